"""Perceptual hashes of the pictures in a file, for `AUDIT.IMAGE_REUSED`.

A picture lifted from another company's package (a licence photo, a flow chart, a certificate)
is usually re-compressed, rescaled or re-saved on its way; a perceptual hash (imagehash's pHash
with 256 bits, of a 512-pixel grey thumbnail) survives that, where a byte hash would not.  Computed in the
reader's worker, under its time and memory limits, for image files and for the pictures stored
in Word and Excel files (their `media/` parts).  Icons, rules and blank pictures say nothing about
copying and are left out.  Never raises: a picture that does not decode is skipped.
"""

from __future__ import annotations

import io

from extractor import zipread
from extractor.model import PictureHash

MIN_SIDE = 64  # pixels: smaller is an icon or a bullet
MIN_CONTRAST = 6.0  # grey-level standard deviation: below it, a blank or flat picture
MAX_PICTURES = 40  # per file
MAX_PART_BYTES = 20 * 1024**2
THUMBNAIL = 512
HASH_SIZE = 16  # 256 bits: a 64-bit pHash puts every 营业执照 (one national layout) within a few bits of each other
IMAGE_EXTS = {"jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "emf", "wmf"}


def picture_hashes(path: str, data: bytes, file_type: str) -> list[PictureHash]:
    if file_type == "image":
        h = hash_picture(data, path, part=None)
        return [h] if h is not None else []
    if file_type not in ("docx", "xlsx"):
        return []
    out: list[PictureHash] = []
    for member in zipread.list_zip(data, max_members=5000).members:
        if len(out) >= MAX_PICTURES:
            break
        name = member.name
        if member.is_dir or member.problem or "/media/" not in f"/{name}" or name.rsplit(".", 1)[-1].lower() not in IMAGE_EXTS:
            continue
        if member.size > MAX_PART_BYTES:
            continue
        try:
            part = zipread.read_member(data, member, cap=MAX_PART_BYTES, ratio=1000)
        except Exception:  # noqa: BLE001 - a damaged part: the reader says so where it matters
            continue
        h = hash_picture(part, path, part=name)
        if h is not None:
            out.append(h)
    return out


THUMBNAIL_SIDE = 160  # pixels: what the audit report shows of each of two reused pictures


PAPER_WHITE = 200  # grey level of paper
PAPER_SHARE = 0.6  # of the thumbnail's pixels


def _paper(grey) -> bool:
    """Mostly white with dark marks: a document, a screenshot, a drawn chart.  Two such pictures of
    one template with other names in it (two 职称证书, two 失信查询截图) are 4–6 bits apart at 256
    bits, as close as a re-saved copy of a photo; the audit then asks for a near-exact match."""
    histogram = grey.histogram()
    return sum(histogram[PAPER_WHITE:]) >= PAPER_SHARE * sum(histogram)


def _thumbnail(img) -> str:
    """A small JPEG of the picture (base64): the evidence a reviewer looks at side by side."""
    import base64

    small = img.convert("RGB")
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=70)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def hash_picture(data: bytes, path: str, part: str | None) -> PictureHash | None:
    import imagehash
    from PIL import Image, ImageStat

    from extractor.ocr.render import MAX_DECODED_PIXELS

    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            if min(width, height) < MIN_SIDE:
                return None
            if img.format == "JPEG":
                img.draft("L", (THUMBNAIL * 2, THUMBNAIL * 2))  # decodes reduced: any size is cheap
            elif width * height > MAX_DECODED_PIXELS:
                return None
            grey = img.convert("L")
            grey.thumbnail((THUMBNAIL, THUMBNAIL))
            if ImageStat.Stat(grey).stddev[0] < MIN_CONTRAST:
                return None
            return PictureHash(file=path, part=part, phash=str(imagehash.phash(grey, hash_size=HASH_SIZE)), width=width,
                               height=height, thumbnail=_thumbnail(img), paper=_paper(grey))
    except Exception:  # noqa: BLE001 - not a picture Pillow decodes (EMF, a damaged file)
        return None
