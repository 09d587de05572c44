"""Page images for OCR: a PDF page rendered by pdfium, or the pages (frames) of an image file.

Every page comes back as a `PageImage`: RGB pixels (H×W×3, uint8, as the page is displayed)
and how many PDF points one pixel is, so that positions found on the image can be stated in
the page's points like everything else in `Location`.

PDF pages are rendered at `PAGE_DPI` (200: about 98–99 % of characters recognised, see
../shared/notes/extraction-facts.md), image files are taken at their own resolution.  Either
is scaled down to at most `MAX_PIXELS` (a poster-sized page, a 600 dpi A3 scan): the recogniser
reduces its input to 2000 pixels a side for finding lines anyway, and memory is bounded.  An
image file's EXIF orientation is applied (a phone photo stored sideways is read upright); a
multi-page TIFF gives one page per frame.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Iterator

import numpy as np
from PIL import Image, ImageOps

from extractor.readers.image_reader import stated_dpi

PAGE_DPI = 200.0
MAX_PIXELS = 12_000_000  # A3 at 200 dpi is 7.8 million; A4 at 600 dpi 34.8 million
IMAGE_DEFAULT_DPI = 72.0  # an image without a resolution: one pixel is one point (image_reader)
# a frame decoded whole before it can be scaled down (all formats but JPEG) may hold at most this
# many pixels: a 600 dpi A3 scan is 70 million; a crafted GIF of a few hundred bytes can declare
# a canvas of 357 million, a gigabyte once decoded
MAX_DECODED_PIXELS = 80_000_000


class ImageTooLarge(ValueError):
    """A frame too large to decode for recognition (MAX_DECODED_PIXELS)."""


@dataclass
class PageImage:
    rgb: np.ndarray  # H×W×3 uint8
    points_per_pixel: float  # PDF points (1/72 inch) per pixel of `rgb`
    dpi: float | None  # the resolution of `rgb`, where the source states one

    def to_points(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        s = self.points_per_pixel
        return tuple(round(v * s, 1) for v in box)  # type: ignore[return-value]


def render_pdf_page(pdf, index: int, dpi: float = PAGE_DPI) -> PageImage:
    """Page `index` (0-based) of an open `pypdfium2.PdfDocument`, as displayed (its /Rotate
    applied), at `dpi` or less for a page too large for MAX_PIXELS."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        scale = dpi / 72.0
        area = max(width, 1.0) * max(height, 1.0) * scale * scale
        if area > MAX_PIXELS:
            scale *= math.sqrt(MAX_PIXELS / area)
        bitmap = page.render(scale=scale, rev_byteorder=True, draw_annots=True)
        try:
            rgb = np.array(bitmap.to_numpy()[:, :, :3], dtype=np.uint8, copy=True)
        finally:
            bitmap.close()
    finally:
        page.close()
    return PageImage(rgb=rgb, points_per_pixel=1.0 / scale, dpi=scale * 72.0)


def image_frames(data: bytes) -> int:
    with Image.open(io.BytesIO(data)) as img:
        return getattr(img, "n_frames", 1)


def image_pages(data: bytes, max_pages: int | None = None) -> Iterator[PageImage]:
    """The pages of an image file, upright, RGB, at most MAX_PIXELS each; a multi-page TIFF
    (or an animated GIF/PNG) one per frame, up to `max_pages`."""
    with Image.open(io.BytesIO(data)) as img:
        w, h = img.size
        if w * h > MAX_DECODED_PIXELS and img.format != "JPEG":  # before counting frames: that decodes them
            raise ImageTooLarge(f"图像 {w}×{h} 像素，超过可识别的上限 {MAX_DECODED_PIXELS} 像素")
        n = getattr(img, "n_frames", 1)
        if max_pages is not None:
            n = min(n, max_pages)
        for i in range(n):
            if i:
                img.seek(i)
            yield _page_of_frame(img)


def _page_of_frame(img: Image.Image) -> PageImage:
    dpi = stated_dpi(img.info.get("dpi"))
    w, h = img.size
    if w * h > MAX_DECODED_PIXELS and img.format != "JPEG":
        raise ImageTooLarge(f"图像 {w}×{h} 像素，超过可识别的上限 {MAX_DECODED_PIXELS} 像素")
    factor = 1
    if w * h > MAX_PIXELS:
        factor = math.ceil(math.sqrt(w * h / MAX_PIXELS))
        if img.format == "JPEG":
            # decoded at 1/2, 1/4 or 1/8 of its size directly: far less memory than in full
            img.draft("RGB", (max(1, w // factor), max(1, h // factor)))
    frame = ImageOps.exif_transpose(img) or img
    fw, fh = frame.size
    if fw * fh > MAX_PIXELS:
        k = math.ceil(math.sqrt(fw * fh / MAX_PIXELS))
        if frame.mode == "1":  # a fax-like bilevel scan: 8 bits a pixel before 24
            frame = frame.convert("L")
        try:
            frame = frame.reduce(k)  # before widening to RGB, where the mode allows it
        except ValueError:
            frame = _rgb(frame).reduce(k)
    frame = _rgb(frame)
    # pixels of the frame as stored per pixel of the result (the same along both axes)
    shrink = max(w, h) / max(frame.size)
    points_per_pixel = 72.0 / (dpi or IMAGE_DEFAULT_DPI) * shrink
    return PageImage(
        rgb=np.asarray(frame, dtype=np.uint8).copy(),
        points_per_pixel=points_per_pixel,
        dpi=None if dpi is None else dpi / shrink,
    )


def _rgb(img: Image.Image) -> Image.Image:
    """The frame as RGB: transparency on white paper, 16-bit and float images stretched to 8 bits."""
    mode = img.mode
    if mode == "RGB":
        return img
    if mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        arr = np.asarray(img, dtype=np.float64)
        lo, hi = float(arr.min(initial=0.0)), float(arr.max(initial=0.0))
        span = hi - lo or 1.0
        arr = ((arr - lo) * (255.0 / span)).astype(np.uint8)
        return Image.fromarray(arr, "L").convert("RGB")
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("RGB")
    return img.convert("RGB")
