"""Read a PDF into the unified `Document`.

Speed matters (whole packages of scanned and exported reports are reviewed at once), so
everything comes from pypdfium2, an order of magnitude faster than pdfplumber: text, and
on pages that draw enough ruling lines to hold a table, the ruling itself, which
`pdf_tables` turns into tables with pdfplumber's own table-finding functions.  pdfplumber
still parses a page only where pdfium fails to give its geometry.  Borderless tables
("three-line" tables, tables without rules) are found from the alignment of the text left
over (`pdf_text_tables`), on pages whose lines have wide gaps inside.

Lines are rebuilt into paragraphs: CJK lines of one paragraph are joined without a space,
and a paragraph ends at an outline number, after a line ending in 。：；, at an indent, at
a vertical gap, or after a line that stops well short of the right margin.  A paragraph
that runs over a page break is continued.  Tables continued on the next page are joined,
also under a "续表" line.

Crafted files are read within `extractor.limits`: at most `file_pages` pages; a page whose
content draws more than `page_objects` objects or `page_path_segments` segments (forms
unfolded, weighed before pdfium parses it: `pdf_weight`) is read for its text only, by
pdfminer; a page ruled with more than `page_rulings` lines is not searched for tables.  Each
such cut is an omission the reviewer sees.  A file pdfium refuses to open, or a page it cannot
load, is read by pdfplumber (`pdf_plumber`) before the file is called unreadable.

A page without a text layer is a scan: a picture block.  When OCR is on (the default; off with `SHENCHA_OCR=off`,
extractor/ocr), its text is recognised (`scan_reader`) and follows the picture as headings,
paragraphs and tables (built as a text page's, numbered with them); so is the text of a page
whose text layer is garbage (fonts without a Unicode map:
extractor/ocr/garbage.py), which then replaces that layer.  Pages pdfium could not read or was
not given (too heavy) are not rendered, so not recognised.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from extractor.headings import classify_paragraph, match_numbering
from extractor.limits import get_limits
from extractor.model import Block, Cell, Document, ImageInfo, Location, Table
from extractor.ocr import ocr_enabled
from extractor.readers.grid import (
    PlacedCell,
    caption_before,
    count_header_rows,
    expand_grid,
    join_fragments,
    remove_cjk_spacing,
)
from extractor.readers.pdf_tables import (
    PageGraphics,
    PageSpace,
    TableTooCostly,
    TooManyRulings,
    grid_table,
    page_table,
    plumber_cell_texts,
    read_graphics,
    table_cells,
)
from extractor.readers.pdf_tables import PageTable as _PageTable
from extractor.readers.pdf_plumber import PlumberPage, PlumberPdf
from extractor.readers.pdf_text_tables import (
    SPACE_EM,
    WIDE_GAP_EM,
    Carry,
    Chunk,
    Rule,
    find_text_tables,
    has_candidate,
)
from extractor.readers.pdf_weight import Weight, page_weights, weigh_pages

if TYPE_CHECKING:
    from extractor.readers.scan_reader import ScannedPage

MIN_RULING_SEGMENTS = 8  # a framed text box has ~5; the smallest real table has more
MIN_RULING_PATHS = 3
MIN_IMAGE_POINTS = 30  # smaller pictures are bullets, logos and rules, not figures
# A line ending this many characters short of the right margin ends its paragraph.  Ragged
# right CJK text mixed with digits and Latin words stops up to ~3 characters short.
SHORT_LINE_CHARS = 4
_PARAGRAPH_END = ("。", "：", ":", "；", ";", "！", "!", "？", "?")
# a table-of-contents entry: its dot leaders and page number end the line and the entry
_TOC_ENTRY = re.compile(r"(?:[.…·．]{3,}|…{2,})\s*\d{1,4}$")
_CONTINUED_TABLE = re.compile(r"^续\s*表")
_BLANKS = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(r"^[-—–_·\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／共]\s*\d{1,4}\s*页?)?[-—–_·\s]*$")


class EncryptedPdfError(Exception):
    """The PDF needs a password to be opened."""


# why pdfium refused a file, for the warning of the reader that read it instead
_PDFIUM_ERRORS = {
    pdfium_raw.FPDF_ERR_FILE: "文件无法打开",
    pdfium_raw.FPDF_ERR_FORMAT: "文件头、交叉引用表或对象结构损坏",
    pdfium_raw.FPDF_ERR_PAGE: "页面结构损坏",
}


def read_pdf(data: bytes, path: str) -> Document:
    limits = get_limits()
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code in (pdfium_raw.FPDF_ERR_PASSWORD, pdfium_raw.FPDF_ERR_SECURITY):
            raise EncryptedPdfError("PDF 已加密，需要密码") from e
        return _read_without_pdfium(data, path, e)
    omissions: list[str] = []
    try:
        total = len(pdf)
        n = min(total, limits.file_pages)
        heavy = _heavy_pages(page_weights(data, n) if n else [], n, limits)
        if heavy is None:  # pdfminer sees other pages than pdfium, and one of them is too heavy
            pdf.close()
            return _read_without_pdfium(data, path, None)
        pages = [_read_page(pdf, i, heavy.get(i + 1)) for i in range(n)]
        ocr_warnings = _recognise_scans(pdf, pages)
        seal_search = _look_for_seals(pdf, pages)
    finally:
        pdf.close()
    if total == 0:
        return _read_without_pdfium(data, path, None, empty=_document(data, path, [], 0, [], []))
    _read_with_pdfplumber(data, pages)
    if total > n:
        omissions.append(f"共 {total} 页，只读取了前 {n} 页（页数上限 {limits.file_pages}）")
    doc = _document(data, path, pages, total, ocr_warnings, omissions)
    return doc.model_copy(update=seal_search.fields()) if seal_search is not None else doc


def _is_scan(page: "_Page") -> bool:
    """A picture of paper: read by pdfium without a text layer (OCR may have read it since)."""
    readable = page.plumber is None and not page.omissions
    return readable and (not page.has_text or (page.ocr is not None and page.garbage is None))


def _look_for_seals(pdf: pdfium.PdfDocument, pages: list[_Page]):
    """Seals on the pages pdfium read that may carry one (extractor/readers/seal_pass.py)."""
    from extractor.readers.seal_pass import seals_on_pdf_pages, wants_seal_check

    wanted = []
    for page in pages:
        if page.plumber is not None or page.omissions:
            continue  # too heavy or unreadable for pdfium: not rendered either
        text = " ".join(ln.text for ln in page.lines) + " ".join(pc.text for t in page.tables for pc in t.placed)
        if page.ocr is not None:
            text += " ".join(ln.text for ln in page.ocr.lines)
            text += " ".join(pc.text for t in page.ocr.tables for pc in t.placed)
        if wants_seal_check(text, has_picture=bool(page.images), scanned=not page.has_text or page.ocr is not None):
            wanted.append(page.number)
    return seals_on_pdf_pages(pdf, wanted) if wanted else None


def _document(data: bytes, path: str, pages: list[_Page], total: int, warnings: list[str], omissions: list[str]) -> Document:
    _drop_running_headers(pages)
    _find_text_tables(pages)
    builder = _DocumentBuilder(path)
    for page in pages:
        builder.add_page(page)
    builder.finish()
    scans = [p.number for p in pages if not p.has_text and not p.omissions]
    if scans and len(scans) < len(pages):
        builder.warnings.append(f"第{'、'.join(map(str, scans))}页为扫描图像，无文字层")
    for p in pages:
        if p.garbage is not None:
            builder.warnings.append(f"第{p.number}页{p.garbage}，该页文字改由 OCR 识别")
    ocr_pages = [p.ocr for p in pages if p.ocr is not None]
    if ocr_pages:
        from extractor.readers.scan_reader import ocr_note

        note = ocr_note(ocr_pages, builder.blocks)
        if note:
            builder.warnings.append(note)
    return Document(
        scan_pages=[p.number for p in pages if _is_scan(p)],
        path=path,
        type="pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=total,
        has_text_layer=any(p.has_text for p in pages),
        blocks=builder.blocks,
        warnings=warnings + builder.warnings + [w for p in pages if p.ocr is not None for w in p.ocr.warnings],
        omissions=omissions
        + [note for p in pages for note in p.omissions]
        + builder.omissions
        + [note for p in pages if p.ocr is not None for note in p.ocr.omissions],
    )


def _heavy_pages(weights: list[Weight] | None, n: int, limits) -> dict[int, tuple[str, Weight]] | None:
    """The pages (1-based) too heavy to give to pdfium, with the limit each exceeds.  None if
    pdfminer counts other pages than pdfium and one of its pages is too heavy: which of
    pdfium's pages it is cannot be told."""
    if not weights:
        return {}
    over = {
        i + 1: (limit, w)
        for i, w in enumerate(weights)
        if (limit := w.over(limits.page_objects, limits.page_path_segments)) is not None
    }
    if over and len(weights) != n:
        return None
    return over


def _read_without_pdfium(data: bytes, path: str, error: Exception | None, empty: Document | None = None) -> Document:
    """The whole file read by pdfplumber: pdfium refused it (`error`), found no page in it, or
    disagrees with pdfminer about its pages.  If pdfminer cannot read it either, pdfium's
    refusal stands (`empty`: pdfium's own empty reading)."""
    limits = get_limits()
    try:
        plumber = PlumberPdf(data, limits.file_pages)
    except Exception as e:  # noqa: BLE001 - the file is unreadable; the first reader's verdict stands
        if _pdfminer_encrypted(e):
            raise EncryptedPdfError("PDF 已加密，需要密码") from e
        if empty is not None:
            return empty
        raise (error or e) from e
    with plumber:
        n = len(plumber)
        if n == 0:
            if empty is not None:
                return empty
            if error is not None:
                raise error
        # pdfminer walks the page tree in Python: count a long file's pages only so far
        total = plumber.count_all(up_to=10 * limits.file_pages + 1) if n >= limits.file_pages else n
        try:
            weights = weigh_pages(plumber.page_objs)
        except Exception:  # noqa: BLE001 - unweighed pages are still read within the page budget
            weights = []
        pages = []
        for number in range(1, n + 1):
            page = _Page(number=number, width=0.0, height=0.0, has_text=False, ruled=False, plumber="all")
            over = weights[number - 1].over(limits.page_objects, limits.page_path_segments) if weights else None
            if over is not None:
                page.plumber, page.heavy = "text", over
            pages.append(page)
        _read_plumber_pages(plumber, pages)
    reason = _PDFIUM_ERRORS.get(getattr(error, "err_code", None), "无法解析") if error is not None else "页面结构无法解析"
    warnings = [f"PDFium 无法读取该 PDF（{reason}），已改用备用解析器 pdfminer 读取，版面与表格请核对原件"]
    omissions = []
    if total > n:
        counted = f"共 {total} 页" if total <= 10 * limits.file_pages else f"超过 {10 * limits.file_pages} 页"
        omissions.append(f"{counted}，只读取了前 {n} 页（页数上限 {limits.file_pages}）")
    return _document(data, path, pages, total, warnings, omissions)


def _pdfminer_encrypted(e: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError

    cause = e.args[0] if e.args and isinstance(e.args[0], BaseException) else e  # pdfplumber wraps it
    return isinstance(cause, PDFEncryptionError) or isinstance(e, PDFEncryptionError)


def _over_limit_note(number: int, limit: str, partial_text: bool = False) -> str:
    limits = get_limits()
    if limit == "page_objects":
        note = f"第{number}页图形对象超过上限 {limits.page_objects} 个，未识别其中的表格线"
    elif limit == "page_path_segments":
        note = f"第{number}页图形路径段超过上限 {limits.page_path_segments} 个，未识别其中的表格线"
    elif limit == "page_text_objects":
        note = f"第{number}页文字对象超过上限 {limits.page_text_objects} 个，改由备用解析器读取文字，未识别其中有表格线的表格"
    else:  # the page's content bytes: only their start was read, so its text may be partial anyway
        return f"第{number}页内容数据过多，只读取了其开头部分，该页其余文字与表格未读取"
    return note + ("，该页部分文字可能未读取" if partial_text else "")


# ---------------------------------------------------------------------------------------
# pages: lines of text and tables (pypdfium2), placed on the page as displayed


@dataclass(eq=False)
class _Line:
    text: str
    x0: float
    x1: float
    top: float  # distance from the top of the page
    bottom: float
    size: float = 0.0  # font size (of a line with blanks; else the height of its characters)
    chunks: list[Chunk] = field(default_factory=list)  # pieces between wide gaps, if more than one
    blanks_at: int = -1  # index of the first character of a line with blanks inside
    raw: str = ""  # its text as pdfium gives it


@dataclass
class _PageImage:
    top: float
    width: float
    height: float


@dataclass
class _Page:
    number: int  # 1-based
    width: float
    height: float
    has_text: bool
    ruled: bool
    # what pdfplumber is to read of the page: "tables" (pdfium could not give the ruling),
    # "text" (the page is too heavy for pdfium: its text only), "all" (pdfium cannot read it)
    plumber: str | None = None
    heavy: str | None = None  # the limit the page's weight exceeds (then plumber is "text")
    lines: list[_Line] = field(default_factory=list)
    tables: list[_PageTable] = field(default_factory=list)
    images: list[_PageImage] = field(default_factory=list)  # pictures on a page with text
    rules: list[Rule] = field(default_factory=list)  # long horizontal rules
    metrics: _PageMetrics | None = None  # of the text before borderless tables took their lines
    omissions: list[str] = field(default_factory=list)  # what of the page was left out, and why
    ocr: ScannedPage | None = None  # its text recognised by OCR (a scan, or `garbage`)
    garbage: str | None = None  # why its text layer is garbage (then `ocr` replaces it)


def _recognise_scans(pdf: pdfium.PdfDocument, pages: list[_Page]) -> list[str]:
    """When OCR is on, the text of the pages pdfium read that have no text layer or a garbage
    one, recognised (`_Page.ocr`); the warnings of pages that could not be."""
    if not ocr_enabled():
        return []
    from extractor.ocr.garbage import garbage_text
    from extractor.readers.scan_reader import ocr_pdf_pages

    wanted: dict[int, str | None] = {}
    for page in pages:
        if page.plumber is not None or page.omissions:
            continue  # not read by pdfium: not rendered either
        if not page.has_text:
            wanted[page.number] = None
            continue
        texts = [ln.text for ln in page.lines] + [pc.text for t in page.tables for pc in t.placed]
        bad, reason = garbage_text("\n".join(texts))
        if bad:
            wanted[page.number] = reason
    if not wanted:
        return []
    scanned, warnings = ocr_pdf_pages(pdf, list(wanted))
    for page in pages:
        if page.number not in scanned:
            continue
        page.ocr = scanned[page.number]
        reason = wanted[page.number]
        if reason is not None:  # the garbage layer gives way to what OCR read
            page.garbage = reason
            page.lines, page.tables, page.images, page.rules = [], [], [], []
    return warnings


def _read_page(pdf: pdfium.PdfDocument, index: int, heavy: tuple[str, Weight] | None) -> _Page:
    """A page read by pdfium; one too heavy for pdfium (`heavy`: the limit it exceeds) or one
    pdfium cannot load is marked for pdfplumber instead."""
    number = index + 1
    if heavy is not None:
        width, height = pdf.get_page_size(index)
        return _Page(number=number, width=width, height=height, has_text=False, ruled=False, plumber="text", heavy=heavy[0])
    try:
        return _read_pdfium_page(pdf, index)
    except pdfium.PdfiumError:
        return _Page(number=number, width=0.0, height=0.0, has_text=False, ruled=False, plumber="all")


def _read_pdfium_page(pdf: pdfium.PdfDocument, index: int) -> _Page:
    page = pdf[index]
    try:
        width, height = page.get_size()  # as displayed, like every position on the page
        space = PageSpace.of(page)
        out = _Page(number=index + 1, width=width, height=height, has_text=False, ruled=False)
        # the objects first: pdfium's text extraction is quadratic or worse in text objects
        # along one line, and a walk stopped at a limit leaves their number unknown
        graphics = read_graphics(page, space)
        if graphics.over_limit is not None or graphics.texts > get_limits().page_text_objects:
            out.plumber, out.heavy = "text", graphics.over_limit or "page_text_objects"
            return out
        textpage = page.get_textpage()
        try:
            n_chars = textpage.count_chars()
            out.lines = _page_lines(textpage, n_chars, space, height) if n_chars else []
            out.has_text = any(ln.text for ln in out.lines)
            if out.lines:
                _read_graphics(graphics, textpage, space, out)
        finally:
            textpage.close()
    finally:
        page.close()
    return out


def _page_lines(textpage: pdfium.PdfTextPage, n_chars: int, space: PageSpace, height: float) -> list[_Line]:
    text = textpage.get_text_range()
    # pdfium's text has one character per char index (its line breaks are generated chars),
    # so a line's offset in the text is the index of its first char
    lines: list[_Line] = []
    offset = 0
    for raw_line in text.split("\r\n"):
        start = offset
        offset += len(raw_line) + 2
        stripped = raw_line.strip()
        if not stripped:
            continue
        first = start + (len(raw_line) - len(raw_line.lstrip()))
        last = start + len(raw_line.rstrip()) - 1
        if last >= n_chars:
            last = n_chars - 1
        if first > last:
            continue
        x0, top, _, bottom = space.display_box(textpage.get_charbox(first, loose=True))
        _, last_top, x1, last_bottom = space.display_box(textpage.get_charbox(last, loose=True))
        if last_top >= bottom or last_bottom <= top:
            # pdfium ran lines of the page into one (a table's header and its first row)
            lines.extend(_run_together(textpage, space, raw_line, start))
            continue
        lines.append(_line(stripped, first, x0, x1, top, bottom))
    return _drop_page_numbers(lines, height)


def _line(text: str, first: int, x0: float, x1: float, top: float, bottom: float) -> _Line:
    line = _Line(text=remove_cjk_spacing(text), x0=x0, x1=x1, top=top, bottom=bottom, size=bottom - top)
    if " " in text or "\u3000" in text or "\t" in text or "\xa0" in text:
        line.blanks_at, line.raw = first, text  # split into chunks once ruled tables took theirs
    return line


def _run_together(textpage: pdfium.PdfTextPage, space: PageSpace, raw_line: str, start: int) -> list[_Line]:
    """The lines of the page in a line of pdfium's text that holds several: a new one
    wherever a character is not level with the first of the line so far."""
    groups: list[list] = []  # [first index, last index, box of the first, right edge]
    for k, ch in enumerate(raw_line):
        if ch.isspace():
            continue
        left, top, right, bottom = space.display_box(textpage.get_charbox(start + k, loose=True))
        group = groups[-1] if groups else None
        if group is not None and top < group[2][3] and bottom > group[2][1]:
            group[1], group[3] = k, right
            continue
        groups.append([k, k, (left, top, right, bottom), right])
    return [
        _line(raw_line[a:b + 1], start + a, box[0], right, box[1], box[3])
        for a, b, box, right in groups
    ]


def _chunks(textpage: pdfium.PdfTextPage, space: PageSpace, text: str, first: int, line: _Line) -> list[Chunk]:
    """A line's pieces between gaps wider than WIDE_GAP_EM, if it has such gaps.  Only the
    characters either side of a run of blanks are measured: pdfium puts a blank wherever
    the text jumps right, so a wide gap always has one."""
    wide = WIDE_GAP_EM * line.size
    narrow = SPACE_EM * line.size
    raw, rect, display_box = textpage.raw, pdfium_raw.FS_RECTF(), space.display_box
    get_box = pdfium_raw.FPDFText_GetLooseCharBox  # pypdfium2's get_charbox, without its overhead
    upright = space.to_display[:3] == (1.0, 0.0, 0.0)  # x as displayed is x in user space
    out: list[Chunk] = []
    start, start_x, chunk_start = 0, line.x0, 0
    pieces: list[str] = []
    n = len(text)
    for blank in _BLANKS.finditer(text):
        i, j = blank.span()
        get_box(raw, first + i - 1, rect)
        right_edge = rect.right if upright else display_box((rect.left, rect.bottom, rect.right, rect.top))[2]
        get_box(raw, first + j, rect)
        left_edge = rect.left if upright else display_box((rect.left, rect.bottom, rect.right, rect.top))[0]
        gap = left_edge - right_edge
        if gap >= wide:
            pieces.append(text[start:i])
            out.append(_chunk(textpage, space, start_x, right_edge, "".join(pieces), first + chunk_start, first + i, line))
            pieces = []
            start, start_x, chunk_start = j, left_edge, j
        else:
            pieces.append(text[start:i] + (" " if gap >= narrow else ""))
            start = j
    if not out:
        return []
    pieces.append(text[start:])
    out.append(_chunk(textpage, space, start_x, line.x1, "".join(pieces), first + chunk_start, first + n, line))
    return out


def _chunk(
    textpage: pdfium.PdfTextPage, space: PageSpace, x0: float, x1: float, text: str, start: int, end: int, line: _Line
) -> Chunk:
    """A piece of a line from its first and last characters; if they are drawn out of
    order (a check box after the word it precedes), from all of its characters."""
    if x1 - x0 < 0.3 * line.size * len(text.replace(" ", "")):
        boxes = [space.display_box(textpage.get_charbox(k, loose=True)) for k in range(start, end)]
        x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
    return Chunk(x0, x1, remove_cjk_spacing(text))


def _drop_page_numbers(lines: list[_Line], height: float) -> list[_Line]:
    margin = height * 0.1
    return [
        ln
        for ln in lines
        if not (_PAGE_NUMBER.match(ln.text) and (ln.top < margin or ln.bottom > height - margin))
    ]


def _drop_running_headers(pages: list[_Page]) -> None:
    """Remove running headers and footers: the first or last line of a page, in the page's
    top or bottom tenth, set apart from the body by more than a line, with the same text on
    several pages.  They are not content and would split tables continued across pages."""
    text_pages = [p for p in pages if p.lines]
    if len(text_pages) < 2:
        return
    candidates: dict[int, list[_Line]] = {p.number: _margin_lines(p) for p in text_pages}
    counts: dict[str, int] = {}
    for lines in candidates.values():
        for text in {ln.text for ln in lines}:
            counts[text] = counts.get(text, 0) + 1
    threshold = max(2, len(text_pages) // 2)
    repeated = {text for text, n in counts.items() if n >= threshold}
    if not repeated:
        return
    for page in text_pages:
        drop = {id(ln) for ln in candidates[page.number] if ln.text in repeated}
        page.lines = [ln for ln in page.lines if id(ln) not in drop]


def _margin_lines(page: _Page) -> list[_Line]:
    out = _edge_lines(page.lines, page.height, small_only=False)
    # by position too: a page's header or footer can come anywhere in its text (LibreOffice
    # writes them after the body); then only a line no taller than the body's (a running
    # header, not a cover's title), set apart by 2.5 lines on a page of widely spaced rows
    for line in _edge_lines(sorted(page.lines, key=lambda ln: ln.top), page.height, small_only=True):
        if all(line is not ln for ln in out):
            out.append(line)
    return out


def _edge_lines(lines: list[_Line], height: float, small_only: bool) -> list[_Line]:
    metrics = _PageMetrics.of(lines)
    apart = min(1.5 * metrics.pitch, 2.5 * metrics.char) if small_only else 1.5 * metrics.pitch
    out: list[_Line] = []
    first, last = lines[0], lines[-1]
    for line, edge, gap in (
        (first, first.top < height * 0.1, lines[1].top - first.top if len(lines) > 1 else None),
        (last, last.bottom > height * 0.9, last.top - lines[-2].top if len(lines) > 1 else None),
    ):
        if line is last and last is first:
            break
        if not edge or (small_only and line.bottom - line.top > 1.1 * metrics.char):
            continue
        if gap is None or gap > apart:
            out.append(line)
    return out


def _read_graphics(graphics: PageGraphics, textpage: pdfium.PdfTextPage, space: PageSpace, out: _Page) -> None:
    """The pictures placed on the page and, if it draws enough ruling (path objects or
    segments) to hold a table, its tables."""
    for x0, top, x1, bottom in graphics.images:
        if x1 - x0 >= MIN_IMAGE_POINTS and bottom - top >= MIN_IMAGE_POINTS:
            out.images.append(_PageImage(top=top, width=round(x1 - x0, 2), height=round(bottom - top, 2)))
    out.ruled = graphics.paths >= MIN_RULING_PATHS or graphics.segments >= MIN_RULING_SEGMENTS
    if out.ruled and not graphics.complete:
        out.plumber = "tables"  # some ruling is missing: cells found now could be wrong
    elif out.ruled:
        groups = _cell_groups(graphics.edges, out)
        try:
            out.tables = [page_table(cells, textpage, space) for cells in groups]
        except TableTooCostly:
            out.tables = []
            out.omissions.append(f"第{out.number}页表格的单元格与文字分布异常，读取代价过高，未识别其中的表格")
        if out.tables:
            out.lines = [ln for ln in out.lines if not _inside_any(ln, out.tables)]
    # the lines left with wide gaps inside, in pieces, for `pdf_text_tables`; and the
    # rules that may bound such a table
    chunked = False
    for line in out.lines:
        if line.blanks_at >= 0:
            size = pdfium_raw.FPDFText_GetFontSize(textpage.raw, line.blanks_at)
            if 0.5 * line.size <= size <= 2.5 * line.size:  # else a font scaled by its matrix
                line.size = size
            line.chunks = _chunks(textpage, space, line.raw, line.blanks_at, line)
            chunked = chunked or bool(line.chunks)
    if chunked and graphics.edges:
        out.rules = _rules(graphics.edges, out.width)


def _rules(edges: list[dict], page_width: float) -> list[Rule]:
    """The long horizontal rules of a page (a rule drawn as a thin filled box is one)."""
    found = sorted(
        (e["top"], e["x0"], e["x1"]) for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] >= page_width * 0.15
    )
    out: list[Rule] = []
    for y, x0, x1 in found:
        if out and y - out[-1].y <= 2.0 and min(x1, out[-1].x1) - max(x0, out[-1].x0) > 0:
            last = out[-1]
            out[-1] = Rule(x0=min(x0, last.x0), x1=max(x1, last.x1), y=last.y)
            continue
        out.append(Rule(x0=x0, x1=x1, y=y))
    return out


def _find_text_tables(pages: list[_Page]) -> None:
    """Borderless tables ("three-line" tables, tables without rules) from the alignment of
    the text left outside ruled tables.  A table that reaches the end of its page may go on
    at the top of the next one, in the same columns."""
    carry: Carry | None = None
    text_right: float | None = None
    limit = get_limits().page_text_lines
    for page in pages:
        if not page.lines or not (carry or has_candidate(page.lines)):
            carry = None
            continue
        in_columns = sum(1 for ln in page.lines if len(ln.chunks) >= 2)
        if in_columns > limit:
            # finding columns is quadratic in the lines that have them
            page.omissions.append(
                f"第{page.number}页分栏排列的文字有 {in_columns} 行，超过上限 {limit} 行，未识别其中的无框表格（文字已读取）"
            )
            carry = None
            continue
        if text_right is None:  # the right margin, where full-width tables end
            text_right = statistics.median(max(ln.x1 for ln in p.lines) for p in pages if p.lines)
        rules = [r for r in page.rules if not any(_rule_in(r, t) for t in page.tables)]
        found = find_text_tables(page.lines, rules, carry, text_right)
        carry = None
        if not found:
            continue
        used = {id(ln) for t in found for ln in t.lines}
        page.metrics = _PageMetrics.of(page.lines)
        page.lines = [ln for ln in page.lines if id(ln) not in used]
        page.tables = sorted([*page.tables, *(t.table for t in found)], key=lambda t: t.top)
        last = found[-1]
        below = [ln for ln in page.lines if ln.top > last.bottom]
        if not below and not any(t.top > last.bottom for t in page.tables) and not any(
            im.top > last.bottom for im in page.images
        ):
            carry = Carry(columns=last.columns, anchor=last.anchor)


def _rule_in(rule: Rule, table: _PageTable) -> bool:
    x0, top, x1, bottom = table.bbox
    return top - 2 <= rule.y <= bottom + 2 and rule.x0 >= x0 - 2 and rule.x1 <= x1 + 2


def _cell_groups(edges: list[dict], page: _Page) -> list[list]:
    """The cells of each table the page's ruling encloses (two cells at least); none, with an
    omission, if the page is ruled with more lines than `page_rulings`."""
    limit = get_limits().page_rulings
    try:
        return [cells for cells in table_cells(edges, max_rulings=limit) if len(cells) >= 2]
    except TooManyRulings as e:
        page.omissions.append(f"第{page.number}页表格线 {e.rulings} 条，超过上限 {limit} 条，未识别其中的表格")
        return []


def _read_with_pdfplumber(data: bytes, pages: list[_Page]) -> None:
    """What pdfium could not read, read by pdfplumber: the tables of pages whose ruling it
    could not give, and the pages it could not load or was not given (too heavy)."""
    # Everywhere else both libraries see the same painted paths and the table functions
    # are pdfplumber's own, so pdfplumber would find the same tables ~50 times slower;
    # even on a page with ruling but no closed cells it would only find none again.
    wanted = [p for p in pages if p.plumber and (p.plumber != "tables" or p.lines)]
    if not wanted:
        return
    try:
        plumber = PlumberPdf(data, max(p.number for p in wanted))
    except Exception:  # noqa: BLE001 - pdfminer cannot parse the file pdfium reads: say what is lost
        for page in wanted:
            page.omissions.append(_unread_note(page))
        return
    with plumber:
        _read_plumber_pages(plumber, wanted)


def _read_plumber_pages(plumber: PlumberPdf, pages: list[_Page]) -> None:
    for page in pages:
        if page.number > len(plumber):
            page.omissions.append(_unread_note(page))
            continue
        try:
            read = plumber.page(page.number, text_only=page.plumber == "text", wide_gap_em=WIDE_GAP_EM, space_em=SPACE_EM)
        except Exception:  # noqa: BLE001 - one damaged page does not stop the file
            page.omissions.append(_unread_note(page))
            continue
        if page.plumber == "tables":
            _take_plumber_tables(page, read)
            if read.over_limit is not None:
                page.omissions.append(_over_limit_note(page.number, read.over_limit))
            continue
        _take_plumber_page(page, read)
        limit = page.heavy or read.over_limit
        if limit is not None:
            page.omissions.append(_over_limit_note(page.number, limit, partial_text=read.text_partial))


def _unread_note(page: _Page) -> str:
    if page.plumber == "tables":
        return f"第{page.number}页的表格线无法解析，未识别其中的表格"
    if page.heavy is not None:
        return _over_limit_note(page.number, page.heavy) + "，该页文字也未能读取"
    return f"第{page.number}页内容已损坏，无法解析，未读取该页"


def _take_plumber_tables(page: _Page, read: PlumberPage) -> None:
    """A page's tables from pdfplumber's ruling, its text kept from pdfium."""
    page.tables = _plumber_tables(page, read)
    if page.tables:
        page.lines = [ln for ln in page.lines if not _inside_any(ln, page.tables)]


def _take_plumber_page(page: _Page, read: PlumberPage) -> None:
    """A whole page from pdfplumber: its lines, pictures and (unless it was read for its text
    only) tables."""
    page.width, page.height = read.width, read.height
    lines = [
        _Line(
            text=remove_cjk_spacing(ln.text),
            x0=ln.x0,
            x1=ln.x1,
            top=ln.top,
            bottom=ln.bottom,
            size=ln.size,
            chunks=[Chunk(x0, x1, remove_cjk_spacing(text)) for x0, x1, text in ln.chunks],
        )
        for ln in read.lines
    ]
    page.lines = _drop_page_numbers([ln for ln in lines if ln.text], page.height)
    page.has_text = bool(page.lines)
    if not page.has_text:
        return
    for x0, top, x1, bottom in read.images:
        if x1 - x0 >= MIN_IMAGE_POINTS and bottom - top >= MIN_IMAGE_POINTS:
            page.images.append(_PageImage(top=top, width=round(x1 - x0, 2), height=round(bottom - top, 2)))
    if read.edges:
        _take_plumber_tables(page, read)
        if any(ln.chunks for ln in page.lines):
            page.rules = _rules(read.edges, page.width)


def _plumber_tables(page: _Page, read: PlumberPage) -> list[_PageTable]:
    groups = _cell_groups(read.edges, page)
    try:
        texts = plumber_cell_texts(read.chars, [cell for cells in groups for cell in cells])
    except TableTooCostly:
        page.omissions.append(f"第{page.number}页表格的单元格与文字分布异常，读取代价过高，未识别其中的表格")
        return []
    return [grid_table(cells, texts.__getitem__) for cells in groups]


def _inside_any(line: _Line, tables: list[_PageTable]) -> bool:
    cx = line.x0 + min(4.0, (line.x1 - line.x0) / 2)
    cy = (line.top + line.bottom) / 2
    return any(t.bbox[0] - 1 <= cx <= t.bbox[2] + 1 and t.bbox[1] - 1 <= cy <= t.bbox[3] + 1 for t in tables)


# ---------------------------------------------------------------------------------------
# blocks


@dataclass
class _OpenTable:
    """A table being built, possibly over several pages."""

    placed: list[PlacedCell]
    n_rows: int
    n_cols: int
    row_pages: list[int]
    caption: str | None
    block_index: int  # position in blocks
    header_rows: int | None = None  # as the table's rules mark them, if they do
    detected_header: int | None = None  # counted from its text when a continuation first needed it
    box: tuple[float, float, float, float] | None = None  # on its page: a scanned table on one page


class _DocumentBuilder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.omissions: list[str] = []
        self.cells_left = get_limits().file_cells  # grid positions the file's tables may still fill
        self.n_tables = 0
        self._lines: list[_Line] = []  # lines of the paragraph being built
        self._para_page = 0
        self._open_table: _OpenTable | None = None
        self._page_metrics: _PageMetrics | None = None  # of the previous page
        self._image_page = 0
        self._n_page_images = 0

    # -- pages

    def add_page(self, page: _Page) -> None:
        if page.ocr is not None:
            self._add_scanned_page(page)
            return
        if not page.has_text:
            self._flush_paragraph()
            self._close_table()
            self._append(
                Block(
                    kind="image",
                    image=ImageInfo(name=f"第{page.number}页扫描图像", width=page.width, height=page.height),
                    loc=Location(file=self.path, page=page.number, paragraph=len(self.blocks) + 1),
                )
            )
            return
        metrics = page.metrics or _PageMetrics.of(page.lines)
        # tables and pictures, placed among the lines by their top edge
        inserts: list[_PageTable | _PageImage] = sorted([*page.tables, *page.images], key=lambda t: t.top)
        lines = page.lines
        if self._open_table is not None and not self._lines and inserts and isinstance(inserts[0], _PageTable) and lines:
            # "续表3" over the rest of the table the previous page left open
            head = lines[0]
            if _CONTINUED_TABLE.match(head.text) and head.top < inserts[0].top and all(
                ln.top > inserts[0].top for ln in lines[1:]
            ):
                lines = lines[1:]
        first_block_on_page = True
        prev: _Line | None = None
        for line in lines:
            while inserts and inserts[0].top < line.top:
                self._insert(inserts.pop(0), page.number, continues=first_block_on_page)
                first_block_on_page = False
                prev = None
            if self._lines and self._starts_paragraph(line, prev, metrics):
                self._flush_paragraph()
            if not self._lines:
                self._para_page = page.number
            self._lines.append(line)
            first_block_on_page = False
            prev = line
        for item in inserts:
            self._insert(item, page.number, continues=first_block_on_page)
            first_block_on_page = False
        self._page_metrics = metrics

    def _add_scanned_page(self, page: _Page) -> None:
        """A page read by OCR: its picture (a scan; not a page whose text layer was garbage),
        then the text and tables recognised."""
        picture = None
        if page.garbage is None:
            picture = ImageInfo(name=f"第{page.number}页扫描图像", width=page.width, height=page.height)
        self.add_recognised(page.ocr, picture)

    def add_recognised(self, scanned: "ScannedPage", picture: ImageInfo | None = None) -> None:
        """A page read by OCR (scan_reader): its picture, if given, then its headings,
        paragraphs and tables in reading order.  A table at the top of the page (under a
        "续表" line at most) continues the table the previous page left open, in the same
        columns, as on a page with a text layer."""
        from extractor.readers.scan_reader import page_items

        self._flush_paragraph()
        items = page_items(scanned, self.path)
        open_table = self._open_table
        if (
            open_table is not None
            and len(items) >= 2
            and items[0].block is not None
            and _CONTINUED_TABLE.match(items[0].block.text)
            and items[1].table is not None
            and items[1].table.n_cols == open_table.n_cols
        ):
            items = items[1:]
        head = items[0].table if items else None
        if not (open_table is not None and head is not None and head.n_cols == open_table.n_cols):
            self._close_table()
        if picture is not None:
            loc = Location(file=self.path, page=scanned.number, paragraph=len(self.blocks) + 1)
            self._append(Block(kind="image", image=picture, loc=loc))
        first = True
        for item in items:
            if item.table is not None:
                self._insert(item.table, scanned.number, continues=first)
            elif item.block is not None:
                self._close_table()
                loc = item.block.loc.model_copy(update={"paragraph": len(self.blocks) + 1})
                self._append(item.block.model_copy(update={"loc": loc}))
            first = False

    def _insert(self, item: "_PageTable | _PageImage", page_no: int, continues: bool) -> None:
        self._flush_paragraph()
        if isinstance(item, _PageTable):
            self._add_table(item, page_no, continues=continues)
            return
        self._close_table()
        self._n_page_images = self._n_page_images + 1 if self._image_page == page_no else 1
        self._image_page = page_no
        self._append(
            Block(
                kind="image",
                image=ImageInfo(name=f"第{page_no}页图片{self._n_page_images}", width=item.width, height=item.height),
                loc=Location(file=self.path, page=page_no, paragraph=len(self.blocks) + 1),
            )
        )

    def _starts_paragraph(self, line: _Line, prev: _Line | None, m: "_PageMetrics") -> bool:
        last = self._lines[-1]
        if match_numbering(line.text):
            return True
        if last.text.endswith(_PARAGRAPH_END) or _TOC_ENTRY.search(last.text):
            return True
        if line.x0 > m.left + 1.5 * m.char:
            return True  # first-line indent, or a centred line
        if prev is None:
            # first line of a page: the paragraph carries on only if the last line of the
            # previous page ran to the right margin (it did not stop short)
            pm = self._page_metrics or m
            return last.x1 < pm.right - SHORT_LINE_CHARS * pm.char
        if line.top - prev.top > 1.45 * m.pitch:
            return True
        return prev.x1 < m.right - SHORT_LINE_CHARS * m.char

    def _flush_paragraph(self) -> None:
        if not self._lines:
            return
        text = _join_lines([line.text for line in self._lines])
        self._lines = []
        kind, level, numbering = classify_paragraph(text, None)
        self._close_table()
        self._append(
            Block(
                kind=kind,
                text=text,
                level=level,
                numbering=numbering,
                loc=Location(file=self.path, page=self._para_page, paragraph=len(self.blocks) + 1),
            )
        )

    # -- tables

    def _add_table(self, pt: _PageTable, page_no: int, continues: bool) -> None:
        current = self._open_table
        if continues and current is not None and current.n_cols == pt.n_cols:
            self._continue_table(current, pt, page_no)
            return
        self._close_table()
        self._open_table = _OpenTable(
            placed=list(pt.placed),
            n_rows=pt.n_rows,
            n_cols=pt.n_cols,
            row_pages=[page_no] * pt.n_rows,
            caption=caption_before(self.blocks),
            block_index=len(self.blocks),
            header_rows=pt.header_rows,
            box=getattr(pt, "box", None),  # a scanned table's (scan_reader.ScannedTable)
        )
        # a placeholder keeps the table's position; `_close_table` fills it in
        self.blocks.append(Block(kind="table", loc=Location(file=self.path, page=page_no)))

    def _continue_table(self, current: _OpenTable, pt: _PageTable, page_no: int) -> None:
        skip = _repeated_header_rows(current, pt)
        if skip == 0 and pt.continues_row and current.n_rows:
            # the page break split a row: its first lines end the previous page
            last = current.n_rows - 1
            for pc in pt.placed:
                if pc.row != 0:
                    continue
                home = next(
                    (c for c in current.placed if c.row <= last < c.row + c.rowspan and c.col <= pc.col < c.col + c.colspan),
                    None,
                )
                if home is None:
                    current.placed.append(PlacedCell(row=last, col=pc.col, text=pc.text, colspan=pc.colspan))
                else:
                    home.text = join_fragments(home.text, pc.text)
            skip = 1
        for pc in pt.placed:
            if pc.row < skip:
                continue
            # a copy of its own kind: a scanned cell keeps its box and confidence
            current.placed.append(dataclasses.replace(pc, row=pc.row - skip + current.n_rows))
        current.box = None  # over pages
        added = pt.n_rows - skip
        current.n_rows += added
        current.row_pages.extend([page_no] * added)

    def _close_table(self) -> None:
        ot = self._open_table
        if ot is None:
            return
        self._open_table = None
        self.n_tables += 1
        index = self.n_tables
        block_no = ot.block_index + 1
        path = self.path
        self._fit_cell_budget(ot, index)

        def loc_of(r: int, c: int) -> Location:
            return Location(file=path, page=ot.row_pages[r - 1], table=index, row=r, column=c, paragraph=block_no)

        rows = _with_recognition(expand_grid(ot.placed, ot.n_rows, ot.n_cols, loc_of), ot.placed)
        loc = Location(file=path, page=ot.row_pages[0], table=index, paragraph=block_no, box=ot.box)
        header_rows = count_header_rows(rows) if ot.header_rows is None else min(ot.header_rows, max(0, ot.n_rows - 1))
        table = Table(
            index=index,
            rows=rows,
            header_rows=header_rows,
            caption=ot.caption,
            loc=loc,
            pages=sorted(set(ot.row_pages)),
        )
        self.blocks[ot.block_index] = Block(kind="table", table=table, loc=loc)

    def _fit_cell_budget(self, ot: _OpenTable, index: int) -> None:
        """Cut a table to the grid positions the file may still fill (`file_cells`): its first
        rows are kept (one at least), the rest is an omission."""
        fit = max(1, self.cells_left // max(1, ot.n_cols))
        if ot.n_rows > fit:
            self.omissions.append(
                f"表{index}（第{ot.row_pages[0]}页起）共 {ot.n_rows} 行，文件的表格单元格超过上限 "
                f"{get_limits().file_cells} 个，只读取了前 {fit} 行"
            )
            ot.placed = [pc for pc in ot.placed if pc.row < fit]
            for pc in ot.placed:
                pc.rowspan = min(pc.rowspan, fit - pc.row)
            ot.n_rows = fit
            ot.row_pages = ot.row_pages[:fit]
        self.cells_left = max(0, self.cells_left - ot.n_rows * ot.n_cols)

    def _append(self, block: Block) -> None:
        self.blocks.append(block)

    def finish(self) -> None:
        self._flush_paragraph()
        self._close_table()


def _with_recognition(rows: list[list[Cell]], placed: list[PlacedCell]) -> list[list[Cell]]:
    """The grid's cells with what OCR says of the cells they come from (a scanned table's
    `OcrCell`s, extractor/ocr/tables.py): the confidence, and the box in `loc`."""
    read = {
        (pc.row + 1, pc.col + 1): pc
        for pc in placed
        if getattr(pc, "confidence", None) is not None or getattr(pc, "box", None) is not None
    }
    if not read:
        return rows
    for row in rows:
        for i, cell in enumerate(row):
            pc = read.get(cell.origin or (cell.row, cell.col))
            if pc is None:
                continue
            update: dict = {"confidence": getattr(pc, "confidence", None)}
            box = getattr(pc, "box", None)
            if box is not None:
                update["loc"] = cell.loc.model_copy(update={"box": tuple(round(float(v), 1) for v in box)})
            row[i] = cell.model_copy(update=update)
    return rows


def _join_lines(texts: list[str]) -> str:
    """The lines of a paragraph joined as `join_fragments` joins them one by one, in time
    linear in their length (folding a page of ten thousand lines into one string copied it
    ten thousand times): each join looks only at the end of the text so far."""
    parts: list[str] = []
    for text in texts:
        right = text.lstrip()
        if not right:
            if parts:  # join_fragments keeps the left side, stripped on the right
                parts[-1] = parts[-1].rstrip()
            continue
        if parts:
            parts[-1] = parts[-1].rstrip()
            parts.append(join_fragments(parts[-1][-1], right)[1:])
        else:
            parts.append(right)
    return "".join(parts)


def _repeated_header_rows(current: _OpenTable, pt: _PageTable) -> int:
    """How many leading rows of a continuation repeat the table's header."""

    def row_texts(placed: list[PlacedCell], n: int) -> list[list[str]]:
        rows: list[list[str]] = [[] for _ in range(n)]
        for pc in placed:
            if pc.row < n:
                rows[pc.row].append(pc.text)
        return rows

    probe = min(4, pt.n_rows, current.n_rows)
    ours = row_texts(current.placed, probe)
    theirs = row_texts(pt.placed, probe)
    same = 0
    while same < probe and ours[same] == theirs[same] and any(ours[same]):
        same += 1
    if same == 0:
        return 0
    if current.header_rows:
        return min(same, current.header_rows)
    if current.detected_header is None:
        # counted once, on the table as its first pages give it: recounting the whole table
        # at every further page made a long table quadratic
        nowhere = Location(file="")
        grid = expand_grid(current.placed, current.n_rows, current.n_cols, lambda r, c: nowhere)
        current.detected_header = max(1, count_header_rows(grid))
    return min(same, current.detected_header)


@dataclass
class _PageMetrics:
    left: float
    right: float
    char: float  # typical character width (≈ font size for CJK)
    pitch: float  # typical distance between the tops of consecutive lines

    @classmethod
    def of(cls, lines: list[_Line]) -> "_PageMetrics":
        if not lines:
            return cls(left=0.0, right=0.0, char=10.0, pitch=14.0)
        heights = [ln.bottom - ln.top for ln in lines if ln.bottom > ln.top]
        char = statistics.median(heights) if heights else 10.0
        # the body's left edge: the most common start, rounded to a point
        starts = [round(ln.x0) for ln in lines]
        left = float(statistics.mode(starts)) if starts else 0.0
        left = min((ln.x0 for ln in lines if abs(ln.x0 - left) <= 2), default=left)
        right = max(ln.x1 for ln in lines)
        gaps = [b.top - a.top for a, b in zip(lines, lines[1:]) if 0 < b.top - a.top < 4 * char]
        pitch = statistics.median(gaps) if gaps else char * 1.5
        return cls(left=left, right=right, char=char, pitch=pitch)
