"""Read an image file (a scanned certificate, a photo of a seal) into the unified `Document`.

The reader describes the image in one block.  When OCR is on (the default; off with `SHENCHA_OCR=off`,
extractor/ocr), the text of its pages (a multi-page TIFF has several) follows as headings,
paragraphs and tables (extractor/readers/scan_reader.py); `has_text_layer` stays False: the
file has no text of its own.
"""

from __future__ import annotations

import hashlib
import io
import struct

from PIL import Image, UnidentifiedImageError

from extractor.model import Block, Document, ImageInfo, Location
from extractor.ocr import ocr_enabled

DEFAULT_DPI = 72.0  # without a resolution in the file, one pixel is taken as one point

# Scanned pages are large; decoding-bomb protection should not reject a 600 dpi A3 scan.
Image.MAX_IMAGE_PIXELS = 300_000_000


class CorruptImageError(Exception):
    """The bytes are not a decodable image."""


def read_image(data: bytes, path: str) -> Document:
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format or "?"
            width_px, height_px = img.size
            mode = img.mode
            dpi = stated_dpi(img.info.get("dpi"))
            frames = getattr(img, "n_frames", 1)
            img.verify()  # checks the data stream, not just the header
    # TypeError, IndexError, struct.error: Pillow's own on a malformed header (a TIFF without
    # ImageWidth, a GIF frame cut short), found by fuzzing
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError, IndexError, struct.error,
            Image.DecompressionBombError) as e:
        raise CorruptImageError(str(e) or type(e).__name__) from e
    scale = 72.0 / (dpi or DEFAULT_DPI)
    dpi_text = f"，{dpi:g} dpi" if dpi else ""
    info = ImageInfo(
        name=path.rsplit("/", 1)[-1],
        width=round(width_px * scale, 2),
        height=round(height_px * scale, 2),
        description=f"{fmt} 图像 {width_px}×{height_px} 像素{dpi_text}",
        diagram=False,
    )
    doc = Document(
        path=path,
        type="image",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=frames,
        has_text_layer=False,
        blocks=[Block(kind="image", image=info, loc=Location(file=path, page=1, paragraph=1))],
    )
    if ocr_enabled():
        from extractor.readers.scan_reader import ocr_image_document

        doc = ocr_image_document(doc, data)
    from extractor.ocr.render import MAX_DECODED_PIXELS
    from extractor.readers.seal_pass import GRAY_MODES, SealSearch, seals_on_image

    # a frame decoded whole (all formats but JPEG) too large to look at is not looked at
    decodable = fmt == "JPEG" or width_px * height_px <= MAX_DECODED_PIXELS
    search = seals_on_image(data, stored_gray=mode in GRAY_MODES) if decodable else SealSearch()
    return doc.model_copy(update={**search.fields(), "scan_pages": list(range(1, (frames or 1) + 1))})


def stated_dpi(value: object) -> float | None:
    """The resolution an image file states (PIL's info["dpi"]), None when it states none."""
    try:
        x = float(value[0])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    # some writers store 1 (or 0) when they mean "unknown"
    return x if x >= 20 else None
