"""Pictures of paper inside a Word file: a licence photographed and pasted into the report, a
signed and sealed declaration scanned into the 附件 document, a table pasted as a screenshot.

Such a picture is read as an image file is (extractor/readers/scan_reader.py): its text and
tables, recognised by OCR, follow the picture block in the Word file's own numbering (each
recognised block a paragraph or table of the file, carrying the recogniser's confidence; no page
box: a Word file has no pages to crop), and red seals are looked for on it
(extractor/readers/seal_pass.py), so that a declaration pasted in as a sealed scan has its seal.

Only a picture that looks like paper is read: large enough to hold text (`MIN_LONG_SIDE`), mostly
paper-white with some dark ink (`_looks_like_paper`).  A photo of a plant, a chart or a logo is
left as the picture it is: recognising it would only add stray words to the report.  At most
`MAX_PICTURES` pictures of a file are read, within the file's OCR budget.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np

from extractor.model import Block, Location, SealMark

log = logging.getLogger(__name__)

MIN_LONG_SIDE = 700  # pixels: a smaller picture holds no page of text worth reading
MAX_PICTURES = 30  # pictures of paper read in one Word file
PAPER_WHITE = 200  # grey level of paper in a scan or photo of it (0–255)
PAPER_SHARE = 0.55  # share of the picture that is paper-white
INK_SHARE = (0.003, 0.30)  # share that is dark ink: some text, not a dark photo
INK_DARK = 110

R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"


@dataclass
class PictureReading:
    """What reading the pictures of one Word file gave: blocks to insert after each picture
    block (by its index), seals, warnings."""

    seals: list[SealMark] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pictures_read: int = 0


def picture_blobs(paragraph, part) -> list[bytes | None]:
    """The image bytes of each picture (a:blip) in the paragraph, in document order; None for
    one whose part is missing."""
    out: list[bytes | None] = []
    for blip in paragraph.iter(A_BLIP):
        rid = blip.get(R_EMBED)
        try:
            out.append(part.related_parts[rid].blob if rid else None)
        except (KeyError, AttributeError):
            out.append(None)
    return out


def _looks_like_paper(rgb: np.ndarray) -> bool:
    """Mostly paper-white with some dark ink: a scan or photo of a printed page."""
    h, w = rgb.shape[:2]
    step = max(1, int(max(h, w) / 400))
    grey = rgb[::step, ::step].mean(axis=2) if rgb.ndim == 3 else rgb[::step, ::step]
    white = float((grey >= PAPER_WHITE).mean())
    ink = float((grey <= INK_DARK).mean())
    return white >= PAPER_SHARE and INK_SHARE[0] <= ink <= INK_SHARE[1]


class PictureReader:
    """Reads the pictures of paper of one Word file, one at a time, as the body is read."""

    def __init__(self, path: str, expected: int) -> None:
        from extractor.ocr import ocr_enabled
        from extractor.readers.scan_reader import _Budget

        self.path = path
        self.ocr = ocr_enabled()
        self.budget = _Budget(min(expected, MAX_PICTURES))
        self.result = PictureReading()
        self._out_of_time = False

    def read(self, blob: bytes | None, number: int) -> tuple[list[Block], int]:
        """The blocks recognised on picture `number` (1-based within the file), located on a
        page of their own (`placed_in_word` numbers them into the file), and how many tables
        they hold.  Nothing for a picture that is not of
        paper, once MAX_PICTURES are read, or past the OCR budget."""
        if blob is None or self.result.pictures_read >= MAX_PICTURES:
            return [], 0
        from extractor.ocr.render import image_pages

        try:
            image = next(image_pages(blob, 1), None)
        except Exception:  # noqa: BLE001 - a picture that does not decode is left as it is
            log.debug("picture %d of %s does not decode", number, self.path, exc_info=True)
            return [], 0
        if image is None or max(image.rgb.shape[:2]) < MIN_LONG_SIDE or not _looks_like_paper(image.rgb):
            return [], 0
        self.result.pictures_read += 1
        self._seals(image, number)
        if not self.ocr:
            return [], 0
        if not self.budget.allows():
            if not self._out_of_time:
                self._out_of_time = True
                self.result.warnings.append(f"文字识别用时已达上限，第{number}张及以后的图片未进行文字识别")
            return [], 0
        started = time.monotonic()
        try:
            return self._recognise(image, number)
        except MemoryError:
            raise
        except Exception as e:  # noqa: BLE001 - one picture that fails leaves the others
            self.result.warnings.append(f"第{number}张图片的文字识别失败（{type(e).__name__}），未读取其文字")
            return [], 0
        finally:
            self.budget.spent(time.monotonic() - started)

    def _seals(self, image, number: int) -> None:
        from extractor.readers.seal_pass import _marks

        try:
            self.result.seals.extend(_marks(image, number))
        except Exception:  # noqa: BLE001 - no seal found is what a failed search says
            log.debug("seal search failed on picture %d of %s", number, self.path, exc_info=True)

    def _recognise(self, image, number: int) -> tuple[list[Block], int]:
        from extractor.readers.pdf_reader import _DocumentBuilder
        from extractor.readers.scan_reader import read_page_image

        page = read_page_image(image, number, where=f"第{number}张图片中")
        builder = _DocumentBuilder(self.path)
        builder.add_recognised(page)
        builder.finish()
        self.result.warnings.extend(page.warnings)
        return builder.blocks, builder.n_tables


def placed_in_word(blocks: list[Block], first_paragraph: int, first_table: int) -> list[Block]:
    """Recognised blocks numbered as paragraphs and tables of the Word file: the first one
    `first_paragraph`, tables from `first_table` + 1; no page and no box (the file has no pages)."""
    out = []
    for k, b in enumerate(blocks):
        loc = _word_loc(b.loc, first_paragraph + k, first_table)
        update: dict = {"loc": loc}
        if b.table is not None:
            rows = [[c.model_copy(update={"loc": _word_loc(c.loc, first_paragraph + k, first_table)}) for c in row]
                    for row in b.table.rows]
            update["table"] = b.table.model_copy(update={"rows": rows})
        out.append(b.model_copy(update=update))
    return out


def _word_loc(loc: Location, paragraph: int, first_table: int) -> Location:
    return loc.model_copy(update={
        "page": None, "box": None, "paragraph": paragraph,
        "table": loc.table + first_table if loc.table is not None else None,
    })
