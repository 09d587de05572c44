"""Whether a file will need OCR, told cheaply before anything is read.

The job engine sends a package that holds a scan to its own queue (`service.jobs.tasks`), so a
burst of scanned packages, at seconds a page, does not hold up packages of Word and Excel files
that take seconds in all.  The test is the reader's own: an image file, or a PDF with a page
that has no text layer; inside a .zip, any such member.  It looks at no more than a few pages
and a bounded number of bytes, and any doubt (a damaged file) answers False: the reader will
say what is wrong with it, and a misrouted package is only slower, never wrong.
"""

from __future__ import annotations

from extractor import zipread
from extractor.pdfium_lock import PDFIUM_LOCK
from extractor.package import detect_type, extension_of

PAGES_LOOKED_AT = 6  # the first three and the last three: scans are mostly appended at the end
MIN_PAGE_CHARS = 10  # fewer characters than this on a page: no text layer to speak of
MEMBER_BYTES = 64 * 1024**2  # a PDF member larger than this is taken for a scan unread
MAX_MEMBERS = 400
MAX_DEPTH = 2


def needs_ocr(name: str, data: bytes, _depth: int = 0) -> bool:
    kind = detect_type(data, extension_of(name))
    if kind == "image":
        return True
    if kind == "pdf":
        return pdf_has_scanned_page(data)
    if kind == "other" and _depth < MAX_DEPTH and zipread.looks_like_zip(data):
        return _zip_needs_ocr(data, _depth)
    return False


def pdf_has_scanned_page(data: bytes) -> bool:
    """A page without a text layer among the first and last pages (scans are usually appended)."""
    with PDFIUM_LOCK:  # called in a server's request threads
        return _pdf_has_scanned_page(data)


def _pdf_has_scanned_page(data: bytes) -> bool:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - pdfium refuses: the reader reports it, routing does not care
        return False
    try:
        total = len(pdf)
        half = PAGES_LOOKED_AT // 2
        numbers = sorted(set(range(min(total, half))) | set(range(max(0, total - half), total)))
        for i in numbers:
            page = pdf[i]
            try:
                text = page.get_textpage()
                try:
                    if text.count_chars() < MIN_PAGE_CHARS:
                        return True
                finally:
                    text.close()
            finally:
                page.close()
        return False
    except Exception:  # noqa: BLE001
        return False
    finally:
        pdf.close()


def _zip_needs_ocr(data: bytes, depth: int) -> bool:
    listing = zipread.list_zip(data, max_members=MAX_MEMBERS)
    for member in listing.members:
        if member.is_dir or member.is_symlink or member.problem or member.encrypted:
            continue
        ext = extension_of(member.name)
        if ext in ("jpg", "jpeg", "png", "tif", "tiff", "bmp", "gif", "webp"):
            return True
        if ext not in ("pdf", "zip"):
            continue
        if member.size > MEMBER_BYTES:
            return ext == "pdf"
        try:
            inner = zipread.read_member(data, member, cap=MEMBER_BYTES, ratio=1000)
        except Exception:  # noqa: BLE001 - a damaged member is the reader's finding
            continue
        if needs_ocr(member.name, inner, depth + 1):
            return True
    return False
