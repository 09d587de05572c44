"""Text and tables of scanned pages, by OCR, as blocks of the unified `Document`.

Used when OCR is on (the default; off with `SHENCHA_OCR=off`, extractor/ocr/__init__.py) by the image reader (every
page of an image file) and the PDF reader (pages without a text layer, and pages whose text
layer is garbage: extractor/ocr/garbage.py).  The page's picture stays a block of its own, as
without OCR; what is recognised follows it, in reading order.

Each page (`read_page_image`): its red channel (what the recogniser reads, `engine.for_ocr`) is
turned a quarter when its text runs down the page (a landscape table scanned portrait:
`tables.text_runs_down`; half a turn more when the direction classifier reads most lines upside
down), deskewed (`extractor.ocr.tables.deskew`) and recognised upright (cached by those pixels);
on the upright page, ruled tables are found from the rulings (`find_ruled_tables`, filled by
`page_table`) and tables without vertical rules from the alignment of the lines
(`find_unruled_tables`).  Tables become `Table` blocks exactly as the PDF reader makes them
from its `PageTable`s (`pdf_reader._DocumentBuilder`: `expand_grid`, `count_header_rows`,
`caption_before`, the file's table numbering and cell budget, a table continued at the top of
the next page); each cell's `Location` has its `box` and the cell its `confidence` (the least
over the lines of its text).  The lines of a table are not paragraphs too.  The other lines
become headings and paragraphs:

- the recogniser's lines that stand level with each other are one row, left to right; pieces
  of a row far apart (more than a character's height: a form's label and value) are joined
  with a space, and such a row is a paragraph of its own;
- rows are joined into paragraphs as the PDF reader joins lines (CJK without a space), and a
  paragraph ends at an outline number, after a line ending in 。：；, at an indent, at a
  vertical gap, after a line that stops well short of the right margin, or at a table;
- headings are told by `extractor.headings.classify_paragraph`, as in every reader;
- a page number alone at the top or bottom of the page is dropped.

Paragraphs and tables are placed by their top on the upright page.  Every `Location.box` is in
PDF points of the page as displayed (an image file: its pixels at its resolution, 72 dpi when
it states none), the deskewing and any quarter turn undone (`page_box`, `turn_back`).  `Block.confidence` is the recogniser's
confidence, averaged over the paragraph's characters.  What the limits cut from the table
search (`tables.py`'s notes) is an omission of the file.

Pages are recognised one after another in the process reading the file (see extractor/ocr),
within the file's time budget: when the budget would run out, the remaining pages are left
unrecognised, with a warning.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import statistics
import time
from dataclasses import dataclass, field

import numpy as np

from extractor.headings import classify_paragraph, match_numbering
from extractor.limits import get_limits
from extractor.model import Block, Document, Location, Table
from extractor.ocr.engine import OcrLine
from extractor.readers.grid import join_fragments, remove_cjk_spacing
from extractor.readers.pdf_reader import (
    _PAGE_NUMBER,
    _PARAGRAPH_END,
    _TOC_ENTRY,
    SHORT_LINE_CHARS,
    _DocumentBuilder,
    _join_lines,
)
from extractor.readers.pdf_tables import PageTable

Box = tuple[float, float, float, float]

WIDE_GAP = 1.0  # a gap wider than this many line heights separates the pieces of a row
FIRST_PAGE_SECONDS = 6.0  # expected time of the first page (engine start, render, recognition)
RESERVE_SECONDS = 5.0  # of the file's budget kept for everything after recognition


@dataclass
class ScannedTable(PageTable):
    """A table of a scanned page: `top`, `bbox` in points of the upright (deskewed) page, its
    `placed` cells `OcrCell`s whose `box` is in points of the page as displayed (a ruled
    cell's outline; in a table without vertical rules the hull of its text's lines, None for
    an empty cell); `box` the table's, as displayed."""

    box: Box | None = None


@dataclass
class ScannedPage:
    """One page's recognised lines and tables, placed in points of the page."""

    number: int  # 1-based
    width: float  # points
    height: float
    lines: list[OcrLine]  # boxes in points of the upright page; the lines of `tables` left out
    angle: float = 0.0  # the page's skew, degrees (tables.deskew): the upright page turned back by it
    turns: int = 0  # quarter turns (np.rot90) that stood the page's text upright, before the skew
    tables: list[ScannedTable] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # Chinese, naming the page
    omissions: list[str] = field(default_factory=list)

    def displayed(self, box: Box) -> Box:
        """A box of the upright page (points) on the page as displayed (points)."""
        if not self.angle and not self.turns:
            return box
        from extractor.ocr.tables import page_box, turn_back

        turned = page_box(box, self.angle, (self.height, self.width)) if self.angle else box
        turned = turn_back(turned, self.turns, (self.height, self.width))
        return tuple(round(v, 1) for v in turned)  # type: ignore[return-value]


@dataclass
class _Row:
    pieces: list[OcrLine] = field(default_factory=list)
    text: str = ""
    wide: bool = False  # pieces far apart: table cells, a label and its value
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0


# ---------------------------------------------------------------------------------------
# recognising pages


class _Budget:
    """Whether the file's time budget (extractor.isolation.time_left) and its recognition budget
    (`ocr_time_left`) allow another page; each page recognised is reported to the file's
    budget (`ocr_page_done`), which gives its time back to the file and shows the progress."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.slowest: float | None = None  # seconds of the slowest page so far
        self.short_of: str | None = None  # "ocr" or "file": which budget ran out

    def allows(self) -> bool:
        from extractor.isolation import ocr_time_left, time_left

        expected = FIRST_PAGE_SECONDS if self.slowest is None else self.slowest
        ocr_left, left = ocr_time_left(), time_left()
        if ocr_left is not None and ocr_left <= expected:
            self.short_of = "ocr"
        elif left is not None and left <= expected + RESERVE_SECONDS:
            self.short_of = "file"
        return self.short_of is None

    def spent(self, seconds: float) -> None:
        from extractor.isolation import ocr_page_done

        self.slowest = seconds if self.slowest is None else max(self.slowest, seconds)
        self.done += 1
        ocr_page_done(seconds, self.done, self.total)

    def out_of_time(self, numbers: list[int], single_image: bool = False) -> str:
        """The warning for the pages `numbers` left unrecognised."""
        limits = get_limits()
        pages = f"第{numbers[0]}页" if len(numbers) == 1 else f"第{numbers[0]}–{numbers[-1]}页（共 {len(numbers)} 页）"
        if single_image:
            pages = "图片"
        if self.short_of == "ocr":
            return f"文字识别用时接近上限 {limits.ocr_seconds:g} 秒，{pages}未进行文字识别，其文字未读取"
        return f"读取用时接近上限 {limits.file_seconds:g} 秒，{pages}未进行文字识别，其文字未读取"


class _EngineUnavailable(Exception):
    pass


def _recognise(image: np.ndarray, dpi: float | None) -> list[OcrLine]:
    from extractor.ocr.engine import ocr_image

    try:
        return ocr_image(image, dpi)
    except (ImportError, OSError) as e:  # onnxruntime or a model missing: no page will do better
        raise _EngineUnavailable(type(e).__name__) from e


def read_page_image(image, number: int, where: str | None = None, dpi_known: bool = False) -> ScannedPage:
    """One page image (`extractor.ocr.render.PageImage`) recognised: deskewed, its lines read
    on the upright red channel, its tables found (see the module's docstring).  `where` names
    the page in notes (default 「第N页」); `dpi_known`: the image's resolution is the page's
    (a rendered PDF page), not what an image file says of itself."""
    from extractor.ocr.engine import for_ocr
    from extractor.ocr.tables import deskew, text_runs_down

    where = where or f"第{number}页"
    gray = for_ocr(image.rgb)
    turns = 1 if text_runs_down(gray) else 0
    if turns:
        gray = np.ascontiguousarray(np.rot90(gray, 1))
    upright, angle = deskew(gray)
    lines = _recognise(upright, image.dpi)
    if turns and _upside_down(upright, lines):
        upright = np.ascontiguousarray(np.rot90(upright, 2))
        h, w = upright.shape[:2]
        lines = [dataclasses.replace(ln, box=(w - ln.box[2], h - ln.box[3], w - ln.box[0], h - ln.box[1])) for ln in lines]
        lines.sort(key=lambda ln: (ln.box[1], ln.box[0]))
        turns = 3
    height, width = upright.shape[:2]
    s = image.points_per_pixel
    page = ScannedPage(number=number, width=round(width * s, 2), height=round(height * s, 2), lines=[], angle=angle,
                       turns=turns)
    if turns:
        page.warnings.append(f"{where.removesuffix('中')}内容横向旋转，已转正后识别")
    notes: list[str] = []
    try:
        dpi = image.dpi if dpi_known and image.dpi else _table_dpi(image, upright.shape)
        tables, taken = _find_tables(upright, lines, dpi, notes)
        _reread_empty_cells(upright, tables, dpi)
    except MemoryError:
        raise
    except Exception as e:  # noqa: BLE001 - the page's text is still read, as paragraphs
        tables, taken = [], set()
        page.warnings.append(f"{where}的表格识别失败（{type(e).__name__}），其文字按段落读取")
    for note in notes:
        note = f"{where}{_NOTE_PAGE.sub('', note)}"
        (page.omissions if _LEFT_OUT.search(note) else page.warnings).append(note)
    page.lines = [_in_points(ln, s) for i, ln in enumerate(lines) if i not in taken]
    page.tables = [_table_in_points(t, page, s) for t in tables]
    return page


CELL_INK = 0.008  # share of dark pixels inside an empty cell that says something is written there
CELL_REREAD_CONFIDENCE = 0.8  # a cell read alone gives its text only this sure or surer
MAX_CELL_REREADS = 80  # cells of one page read again
# what a lone dash or rule stub is read as: a cell read again is never given these alone (a 「1」
# from a 「—」 would be a figure)
_STROKES = set("一-—–_|丨｜1lI/／\\·.")


def _reread_empty_cells(upright: np.ndarray, tables: list[PageTable], dpi: float) -> None:
    """Cells the page's recognition left empty though they hold ink (a short word in a narrow
    column, 「企业」, is sometimes not detected as a line) are read again, each alone: the
    recogniser without detection, on the cell inside its rulings (25 ms a cell)."""
    from extractor.ocr.engine import ocr_cell

    gray = upright if upright.ndim == 2 else upright[..., 0]
    inset = max(3, int(round(dpi / 50)))
    budget = MAX_CELL_REREADS
    for t in tables:
        for i, pc in enumerate(t.placed):
            box = getattr(pc, "box", None)
            if budget <= 0 or pc.text.strip() or box is None:
                continue
            x0, y0, x1, y1 = (int(round(v)) for v in box)
            crop = gray[max(0, y0 + inset):max(0, y1 - inset), max(0, x0 + inset):max(0, x1 - inset)]
            if min(crop.shape[:2], default=0) < 8 or float((crop < 128).mean()) < CELL_INK:
                continue
            budget -= 1
            line = ocr_cell(np.ascontiguousarray(crop))
            if line is not None and line.confidence >= CELL_REREAD_CONFIDENCE and not set(line.text) <= _STROKES:
                t.placed[i] = dataclasses.replace(pc, text=line.text, confidence=line.confidence)


_NOTE_PAGE = re.compile(r"^(?:页面|扫描页)")  # tables.py's notes name no page: 「页面表格线…」
_LEFT_OUT = re.compile(r"未识别|只读取|只在")  # a note saying what was left out


def _upside_down(upright: np.ndarray, lines: list[OcrLine]) -> bool:
    """Whether a page stood up by a quarter turn stands on its head: most of its longer lines,
    shown to the recogniser's direction classifier, read as turned 180°."""
    from extractor.ocr.engine import text_directions

    longest = sorted((ln for ln in lines if len(ln.text) >= 3), key=lambda ln: -(ln.box[2] - ln.box[0]))[:12]
    crops = []
    for ln in longest:
        x0, y0, x1, y1 = (int(round(v)) for v in ln.box)
        crop = upright[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
        if crop.size and min(crop.shape[:2]) >= 4:
            crops.append(np.ascontiguousarray(np.stack([crop] * 3, axis=-1) if crop.ndim == 2 else crop))
    if not crops:
        return False
    try:
        verdicts = text_directions(crops)
    except Exception:  # noqa: BLE001 - no classifier: the quarter turn stands
        return False
    labels = [label for label, score in verdicts if score >= 0.8]
    return labels.count("180") > labels.count("0")


def _table_dpi(image, shape: tuple[int, ...]) -> float:
    """The resolution to find an image file's tables at: the one it states, unless it states
    none or one that makes the page larger than A3 (a photo saying 72 dpi); then as if the
    page were A4 (11.7 inches along its long side)."""
    guess = max(shape[:2]) / 11.7
    dpi = image.dpi
    if dpi is None or not dpi > 0 or max(shape[:2]) / dpi > 17.0:
        return max(guess, 20.0)
    return float(dpi)


def _find_tables(
    upright: np.ndarray, lines: list[OcrLine], dpi: float, notes: list[str]
) -> tuple[list[PageTable], set[int]]:
    """The page's tables (pixels of the upright page, top to bottom) and the indices of the
    lines they are made of."""
    from extractor.ocr.tables import find_ruled_tables, find_unruled_tables, horizontal_rules, in_table, page_table

    ruled = find_ruled_tables(upright, dpi, notes)
    tables: list[PageTable] = []
    taken: set[int] = set()
    for t in ruled:
        pt = page_table(t, lines)
        if pt is None:
            continue
        tables.append(pt)
        taken.update(i for i, ln in enumerate(lines) if in_table(t, ln))
    free = [ln for i, ln in enumerate(lines) if i not in taken]
    if len(free) >= 4:  # fewer make no table without rules (find_unruled_tables)
        index = {id(ln): i for i, ln in enumerate(lines)}
        for ut in find_unruled_tables(free, dpi, horizontal_rules(upright, dpi), ruled, notes):
            tables.append(ut.table)
            taken.update(index[id(ln)] for ln in ut.lines if id(ln) in index)
    tables.sort(key=lambda t: t.top)
    return tables, taken


def _in_points(line: OcrLine, s: float) -> OcrLine:
    return OcrLine(text=line.text, box=tuple(round(v * s, 1) for v in line.box), confidence=line.confidence)


def _table_in_points(pt: PageTable, page: ScannedPage, s: float) -> ScannedTable:
    def points(box) -> Box:
        return tuple(v * s for v in box)  # type: ignore[return-value]

    placed = []
    for pc in pt.placed:
        box = getattr(pc, "box", None)
        if box is not None:
            pc = dataclasses.replace(pc, box=page.displayed(points(box)))
        placed.append(pc)
    bbox = tuple(round(v, 1) for v in points(pt.bbox))
    return ScannedTable(
        top=round(pt.top * s, 1),
        bbox=bbox,  # type: ignore[arg-type]
        placed=placed,
        n_rows=pt.n_rows,
        n_cols=pt.n_cols,
        continues_row=pt.continues_row,
        header_rows=pt.header_rows,
        box=page.displayed(bbox),  # type: ignore[arg-type]
    )


def ocr_pdf_pages(pdf, numbers: list[int]) -> tuple[dict[int, ScannedPage], list[str]]:
    """The pages `numbers` (1-based) of an open pypdfium2 document, recognised; and the
    warnings (Chinese) for pages that could not be.  Several pages are recognised side by side
    where a page pool starts (extractor/ocr/pool.py), one after the other otherwise."""
    from extractor.ocr.pool import page_pool

    out: dict[int, ScannedPage] = {}
    warnings: list[str] = []
    failed: list[str] = []
    budget = _Budget(len(numbers))
    with page_pool(len(numbers)) as pool:
        left = _recognise_pages(pool or _InTurn(), pdf, numbers, out, failed, budget)
    if isinstance(left, str):
        warnings.append(left)
    elif left:
        warnings.append(budget.out_of_time(left))
    if failed:
        warnings.append(f"{'、'.join(failed)}的文字识别失败，未读取其文字")
    return out, warnings


def _read_rendered(task: tuple) -> ScannedPage:
    image, number = task
    return read_page_image(image, number, dpi_known=True)


class _InTurn:
    """The pool's interface, reading each page here when its result is asked for."""

    _processes = 0

    class _Later:
        def __init__(self, fn, args) -> None:
            self.fn, self.args = fn, args

        def get(self):
            return self.fn(*self.args)

    def apply_async(self, fn, args):
        return self._Later(fn, args)


def _recognise_pages(pool, pdf, numbers, out, failed, budget) -> list[int] | str:
    """Pages recognised by `pool` (a page pool, or `_InTurn`), each page rendered here while
    the pool's processes recognise the others; the wall time from one result to the next is
    given back to the file's budget.  Returns the pages left for want of time, or the warning
    that the engine cannot start."""
    from collections import deque

    from extractor.ocr.render import render_pdf_page

    window = pool._processes + 1  # noqa: SLF001 - one page waiting for each free process
    pending: deque = deque()
    k = 0
    last = time.monotonic()
    while True:
        while k < len(numbers) and len(pending) < window and budget.allows():
            number = numbers[k]
            k += 1
            try:
                image = render_pdf_page(pdf, number - 1)
            except MemoryError:
                raise
            except Exception as e:  # noqa: BLE001 - a page pdfium cannot render is a failed page
                failed.append(f"第{number}页（{type(e).__name__}）")
                continue
            pending.append((number, pool.apply_async(_read_rendered, ((image, number),))))
        if not pending:
            return numbers[k:]
        number, result = pending.popleft()
        try:
            out[number] = result.get()
        except _EngineUnavailable as e:
            return _engine_unavailable(str(e))
        except MemoryError:
            raise
        except Exception as e:  # noqa: BLE001 - one page that fails does not stop the others
            failed.append(f"第{number}页（{type(e).__name__}）")
        finally:
            now = time.monotonic()
            budget.spent(now - last)
            last = now


def ocr_image_document(doc: Document, data: bytes) -> Document:
    """An image file's Document (extractor/readers/image_reader.py) with the text and tables
    of its pages (frames) recognised, after its picture block."""
    from extractor.ocr.render import image_pages

    limits = get_limits()
    n_frames = doc.pages or 1
    n = min(n_frames, limits.file_pages)
    builder = _DocumentBuilder(doc.path)
    builder.blocks = list(doc.blocks)
    warnings: list[str] = []
    omissions: list[str] = []
    budget = _Budget(n)
    pages = image_pages(data, n)
    scanned: list[ScannedPage] = []
    for number in range(1, n + 1):
        if not budget.allows():
            warnings.append(budget.out_of_time(list(range(number, n + 1)), single_image=n_frames == 1))
            break
        started = time.monotonic()
        where = f"第{number}页" if n_frames > 1 else "图片中"
        try:
            image = next(pages, None)
            if image is None:
                break
            page = read_page_image(image, number, where)
        except _EngineUnavailable as e:
            warnings.append(_engine_unavailable(str(e)))
            break
        except MemoryError:
            raise
        except Exception as e:  # noqa: BLE001 - a frame that does not decode ends the file's frames
            where = f"第{number}页" if n_frames > 1 else "图片"
            warnings.append(f"{where}的文字识别失败（{type(e).__name__}），未读取其文字")
            break
        finally:
            budget.spent(time.monotonic() - started)
        scanned.append(page)
        builder.add_recognised(page)
    builder.finish()
    if n < n_frames:
        omissions.append(f"共 {n_frames} 页，只识别了前 {n} 页的文字（页数上限 {limits.file_pages}）")
    mean = _mean_confidence(builder.blocks)
    if mean is not None:
        where = "各页图片" if n_frames > 1 else "图片"
        warnings.insert(0, f"{where}中的文字由 OCR 识别（平均置信度 {mean:.2f}），请核对原件")
    return doc.model_copy(
        update={
            "blocks": builder.blocks,
            "warnings": [*doc.warnings, *warnings, *(w for p in scanned for w in p.warnings), *builder.warnings],
            "omissions": [*doc.omissions, *omissions, *(o for p in scanned for o in p.omissions), *builder.omissions],
        }
    )


def ocr_note(pages: list[ScannedPage], blocks: list[Block]) -> str | None:
    """The warning for a PDF's pages read by OCR, or None if none gave text."""
    mean = _mean_confidence(blocks)
    if mean is None:
        return None
    numbers = "、".join(str(p.number) for p in pages)
    return f"第{numbers}页的文字由 OCR 识别（平均置信度 {mean:.2f}），请核对原件"


def _mean_confidence(blocks: list[Block]) -> float | None:
    """The recogniser's confidence over the text it read (paragraphs and table cells), by
    characters; None if it read none."""
    weighted = [(b.confidence, len(b.text)) for b in blocks if b.confidence is not None]
    for b in blocks:
        if b.table is not None:
            weighted.extend((c.confidence, len(c.text)) for c in _distinct_cells(b.table) if c.confidence is not None)
    return _mean(weighted) if weighted else None


def _distinct_cells(table: Table):
    for row in table.rows:
        for c in row:
            if not c.is_continuation:
                yield c


def _mean(weighted: list[tuple[float, int]]) -> float:
    total = sum(w for _, w in weighted)
    return sum(c * w for c, w in weighted) / total if total else 0.0


def _engine_unavailable(cause: str) -> str:
    return f"文字识别程序无法启动（{cause}），扫描页的文字未读取"


# ---------------------------------------------------------------------------------------
# lines into blocks


@dataclass
class ScanItem:
    """A block of a recognised page in reading order: a heading or paragraph (`block`, its
    `loc.paragraph` still to be given), or a table (`table`)."""

    top: float  # points of the upright page
    block: Block | None = None
    table: ScannedTable | None = None


def page_items(page: ScannedPage, path: str) -> list[ScanItem]:
    """The page's headings, paragraphs and tables, placed by their top."""
    items = [ScanItem(top=t.top, table=t) for t in page.tables]
    breaks = sorted(t.top for t in page.tables)
    items.extend(ScanItem(top=top, block=block) for top, block in _text_blocks(page, path, breaks))
    items.sort(key=lambda it: it.top)  # stable: a paragraph at a table's top stays after it
    return items


def scan_blocks(page: ScannedPage, path: str, first_paragraph: int) -> list[Block]:
    """The headings and paragraphs of a recognised page (its tables left out); `first_paragraph`
    is the 1-based index in the file of the first block made."""
    blocks = [b for _, b in _text_blocks(page, path, sorted(t.top for t in page.tables))]
    return [
        b.model_copy(update={"loc": b.loc.model_copy(update={"paragraph": first_paragraph + i})})
        for i, b in enumerate(blocks)
    ]


def _text_blocks(page: ScannedPage, path: str, breaks: list[float]) -> list[tuple[float, Block]]:
    """The headings and paragraphs of the page's lines, with their tops (upright page); a
    paragraph does not run across a table's top (`breaks`)."""
    rows = _drop_page_numbers(_rows(page.lines), page.height)
    out: list[tuple[float, Block]] = []
    for para in _paragraphs(rows, page.width, breaks):
        text = _join_lines([row.text for row in para])
        if not text:
            continue
        kind, level, numbering = classify_paragraph(text, None)
        pieces = [p for row in para for p in row.pieces]
        box = (
            round(min(r.x0 for r in para), 1),
            round(min(r.top for r in para), 1),
            round(max(r.x1 for r in para), 1),
            round(max(r.bottom for r in para), 1),
        )
        weights = [(p.confidence, max(1, len(p.text))) for p in pieces]
        block = Block(
            kind=kind,
            text=text,
            level=level,
            numbering=numbering,
            loc=Location(file=path, page=page.number, box=page.displayed(box)),
            confidence=round(_mean(weights), 3),
        )
        out.append((box[1], block))
    return out


def _rows(lines: list[OcrLine]) -> list[_Row]:
    """The lines level with each other gathered into rows, top to bottom, each left to right."""
    rows: list[_Row] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        x0, top, x1, bottom = line.box
        home = None
        for row in reversed(rows[-4:]):
            overlap = min(bottom, row.bottom) - max(top, row.top)
            if overlap >= 0.5 * min(bottom - top, row.bottom - row.top):
                home = row
                break
        if home is None:
            home = _Row(top=top, bottom=bottom)
            rows.append(home)
        home.pieces.append(line)
        home.top, home.bottom = min(home.top, top), max(home.bottom, bottom)
    for row in rows:
        row.pieces.sort(key=lambda ln: ln.box[0])
        row.x0 = min(p.box[0] for p in row.pieces)
        row.x1 = max(p.box[2] for p in row.pieces)
        height = statistics.median(p.box[3] - p.box[1] for p in row.pieces)
        text = ""
        prev: OcrLine | None = None
        for piece in row.pieces:
            piece_text = remove_cjk_spacing(piece.text.strip())
            if prev is not None and piece.box[0] - prev.box[2] > WIDE_GAP * height:
                row.wide = True
                text = text.rstrip() + " " + piece_text
            else:
                text = join_fragments(text, piece_text)
            prev = piece
        row.text = text
    rows.sort(key=lambda r: r.top)
    return rows


def _drop_page_numbers(rows: list[_Row], height: float) -> list[_Row]:
    margin = height * 0.1
    return [r for r in rows if not (_PAGE_NUMBER.match(r.text) and (r.top < margin or r.bottom > height - margin))]


def _paragraphs(rows: list[_Row], page_width: float, breaks: list[float] = ()) -> list[list[_Row]]:
    if not rows:
        return []
    heights = [r.bottom - r.top for r in rows if r.bottom > r.top]
    # a recogniser's box is a little taller than the characters are wide
    char = 0.9 * statistics.median(heights) if heights else 10.0
    body = [r for r in rows if not r.wide] or rows
    bins = [round(r.x0 / (char / 2)) for r in body]
    common = statistics.mode(bins)
    left = min(r.x0 for r, b in zip(body, bins) if abs(b - common) <= 1)
    # the right margin: where the longest line ends, or (a page of a few short lines) as wide
    # as the left one, give or take two characters of a scan's skew and binding margin
    right = max(max(r.x1 for r in body), page_width - left - 2 * char)
    gaps = [b.top - a.top for a, b in zip(rows, rows[1:]) if 0 < b.top - a.top < 4 * char]
    pitch = statistics.median(gaps) if gaps else 1.5 * char
    out: list[list[_Row]] = [[rows[0]]]
    for prev, row in zip(rows, rows[1:]):
        if (
            row.wide
            or prev.wide
            or match_numbering(row.text)
            or prev.text.endswith(_PARAGRAPH_END)
            or _TOC_ENTRY.search(prev.text)
            or row.x0 > left + 1.5 * char
            or row.top - prev.top > 1.45 * pitch
            or prev.x1 < right - SHORT_LINE_CHARS * char
            or _between(breaks, prev.top, row.top)
        ):
            out.append([row])
        else:
            out[-1].append(row)
    return out


def _between(tops: list[float], a: float, b: float) -> bool:
    """Whether a table's top lies after `a` and at or before `b`."""
    i = bisect.bisect_right(tops, a)
    return i < len(tops) and tops[i] <= b
