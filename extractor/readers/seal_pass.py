"""Red seals (公章) looked for on the pages where a declaration may stand, for SEAL.MISSING.

A page is looked at when it is a scan (a PDF page without a text layer, every page of an image
file), when it holds a picture (an electronic seal is a picture over the text), or when its text
asks for or mentions a seal or a declaration (`SEAL_WORDS`).  At most `MAX_PAGES` pages of a
file are looked at, the first ones that qualify; the pages looked at are recorded
(`Document.seal_pages`), so that a rule can tell "no seal on this page" from "not looked at".
A page stored without colour (a grey or bitonal scan: an image file in a grey mode, a PDF page
whose pictures are all DeviceGray or one bit deep) cannot show a red seal: it is recorded apart
(`Document.mono_pages`).  A page stored in colour that shows no red seal has none: a black and
white photocopy scanned in colour has no original seal either.

A page is rendered at the detector's own analysis resolution (extractor/ocr/seals.py
ANALYSIS_DPI, 100 dpi: about 4 ms a page) and searched (about 20–40 ms); seals are placed in
PDF points of the page as displayed, like every `Location.box`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator

from extractor.model import SealMark

log = logging.getLogger(__name__)

MAX_PAGES = 40
MAX_ASPECT = 4.0  # a page longer than this many times its width is no page (a banner, a crafted strip)
SEAL_WORDS = re.compile(r"公章|盖章|签章|（章）|\(章\)|承诺|声明")


def wants_seal_check(text: str, has_picture: bool, scanned: bool) -> bool:
    return scanned or has_picture or bool(SEAL_WORDS.search(re.sub(r"\s", "", text)))


class SealSearch:
    """What the search found: seals, the pages looked at in colour, the pages without colour."""

    def __init__(self) -> None:
        self.seals: list[SealMark] = []
        self.pages: list[int] = []
        self.mono: list[int] = []

    def look(self, image, number: int, stored_gray: bool) -> None:
        height, width = image.rgb.shape[:2]
        if max(height, width) > MAX_ASPECT * min(height, width):
            return  # a strip, not a page: nothing a seal is stamped on (not looked at)
        if stored_gray:
            self.mono.append(number)
            return
        self.seals.extend(_marks(image, number))
        self.pages.append(number)

    def fields(self) -> dict:
        return {"seals": self.seals, "seal_pages": self.pages, "mono_pages": self.mono}


def seals_on_pdf_pages(pdf, numbers: Iterable[int]) -> SealSearch:
    """The search on the pages `numbers` (1-based) of an open pypdfium2 document; a page that
    cannot be rendered is not looked at."""
    from extractor.ocr.render import render_pdf_page
    from extractor.ocr.seals import ANALYSIS_DPI

    search = SealSearch()
    for number in list(numbers)[:MAX_PAGES]:
        try:
            image = render_pdf_page(pdf, number - 1, dpi=ANALYSIS_DPI)
        except Exception:  # noqa: BLE001 - a page pdfium cannot render is not looked at
            log.debug("page %d could not be rendered for seals", number, exc_info=True)
            continue
        search.look(image, number, _pdf_page_gray(pdf, number - 1))
    return search


def _pdf_page_gray(pdf, index: int) -> bool:
    """Whether the page's pictures are all grey or bitonal (a page without pictures is not)."""
    import pypdfium2.raw as pdfium_raw

    page = pdf[index]
    try:
        found = False
        for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            meta = obj.get_metadata()
            found = True
            if meta.colorspace != pdfium_raw.FPDF_COLORSPACE_DEVICEGRAY and meta.bits_per_pixel != 1:
                return False
        return found
    except Exception:  # noqa: BLE001 - unknown: taken as colour, the detector decides
        return False
    finally:
        page.close()


GRAY_MODES = {"1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F"}


def seals_on_image(data: bytes, stored_gray: bool) -> SealSearch:
    """The search on the pages (frames) of an image file (`stored_gray`: its mode has no colour)."""
    from extractor.ocr.render import image_pages

    search = SealSearch()
    try:
        for number, image in enumerate(image_pages(data, max_pages=MAX_PAGES), start=1):
            search.look(image, number, stored_gray)
    except Exception:  # noqa: BLE001 - pages that do not decode are not looked at
        log.debug("image pages could not be decoded for seals", exc_info=True)
    return search


A4_LONG_INCHES = 11.69
PLAUSIBLE_LONG_INCHES = (5.0, 20.0)  # a page from a receipt to A2


def _page_dpi(height: int, width: int, stated: float | None) -> float:
    """The resolution to judge seal sizes by: the stated one when it makes a plausible page,
    else that of an A4 page (a phone photo says 72 dpi whatever it shows; an A3 licence taken
    as A4 makes its seal 1.4 times larger, still inside the detector's range)."""
    long_side = max(height, width)
    if stated and PLAUSIBLE_LONG_INCHES[0] <= long_side / stated <= PLAUSIBLE_LONG_INCHES[1]:
        return stated
    return long_side / A4_LONG_INCHES


def _marks(image, number: int) -> Iterator[SealMark]:
    from extractor.ocr.seals import find_seals

    dpi = _page_dpi(image.rgb.shape[0], image.rgb.shape[1], image.dpi)
    for seal in find_seals(image.rgb, dpi):
        yield SealMark(page=number, box=image.to_points(seal.box), diameter_mm=round(seal.diameter_cm * 10, 1),
                       confidence=round(seal.confidence, 3))
