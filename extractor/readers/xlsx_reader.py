"""Read an .xlsx into the unified `Document`.

Each visible sheet is cut into tables at fully blank rows.  Title rows above a table
("附件3 …年报表", "填报单位名称：XX公司  单位：吨") and note rows below it ("填报人：…")
become paragraphs, so the table grid holds only the table.  Cell text is what Excel shows:
the number format decides decimals and percent signs, because reported precision is what
tolerances are derived from.

A submitted workbook is hostile input, so the reading is bounded by `extractor.limits`:

- each visible sheet's XML is streamed first (`_scan_sheet`).  The declared `<dimension>` is
  never trusted.  Rows beyond `table_rows`, columns beyond `table_columns` and rows beyond the
  file's `file_cells` are left out (the sheet is rewritten without them where openpyxl would
  otherwise parse them).  Merges are read here and clamped to the range that was read, and
  formula cells without a cached value are noted;
- openpyxl then streams the cells (`read_only=True`) and reading stops at the last row kept,
  so no merge, hyperlink or comment range is ever expanded cell by cell;
- sheets beyond `file_pages` are left out, and every table's grid draws on `file_cells`;
- pictures in formats that cannot be shown (WMF, EMF, unknown) are named as omissions, and
  library warnings never reach stderr.

Strict Open XML is read through its Transitional twin (`extractor.readers.ooxml`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import posixpath
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache
from itertools import accumulate

import openpyxl
from lxml import etree
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from extractor.headings import classify_paragraph
from extractor.limits import ReadLimits, get_limits
from extractor.model import Block, Document, Location, Table
from extractor.readers.grid import (
    CellBudget,
    PlacedCell,
    caption_before,
    count_header_rows,
    expand_grid,
)
from extractor.readers.ooxml import (
    SAFE_PARSER,
    OoxmlPackage,
    StrictOoxml,
    quiet_library_warnings,
    zip_damage_as_finding,
)

__all__ = ["StrictOoxml", "display_text", "format_number", "read_xlsx"]

S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
S_ROW, S_C, S_F, S_V = f"{{{S}}}row", f"{{{S}}}c", f"{{{S}}}f", f"{{{S}}}v"
S_MERGE_CELL, S_COL = f"{{{S}}}mergeCell", f"{{{S}}}col"
_NOTE_START = ("注", "说明", "备注", "填表说明", "填报说明")
# a label alone above a table title: "附表", "附件3", "表2"
_ATTACHMENT_LABEL = re.compile(r"^(?:附表|附件|表)\s*[\d一二三四五六七八九十]*[-—.．]?\d*$")
_CHUNK = 1 << 20  # bytes of sheet XML parsed between two looks at the row still open
# a number this long cannot become a Python int (its 4300-digit limit): kept as the text it is
_MAX_NUMBER_CHARS = 4000
_SHOWN_FORMULA_WARNINGS = 20
_CAPTION_TAIL = 8  # blocks before a table that caption_before may look at


def read_xlsx(data: bytes, path: str) -> Document:
    """The workbook as a `Document`.  Raises `LimitExceeded` for a package too large to open,
    `StrictOoxml` for a Strict file openpyxl cannot read even as Transitional."""
    limits = get_limits()
    blocks: list[Block] = []
    warnings: list[str] = []
    omissions: list[str] = []
    with quiet_library_warnings(), zip_damage_as_finding():
        pkg = OoxmlPackage(data, limits)
        plan = _plan_workbook(pkg, limits, omissions)
        try:
            wb = openpyxl.load_workbook(io.BytesIO(pkg.to_bytes()), read_only=True, data_only=True)
        except Exception as e:
            if pkg.strict:
                raise StrictOoxml("Excel", e) from e
            raise
        try:
            grid_budget = CellBudget(limits.file_cells)
            n_tables = 0
            for ws in wb.worksheets:
                if ws.sheet_state != "visible":
                    warnings.append(f"工作表「{ws.title}」为隐藏工作表，已跳过")
                    continue
                scan = plan.scan_for(ws.title)
                if scan is None:
                    continue
                sheet = _SheetReader(path, ws, scan, blocks, warnings, omissions, n_tables, grid_budget, limits)
                sheet.read()
                n_tables = sheet.n_tables
        finally:
            wb.close()
    return Document(
        path=path,
        type="xlsx",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=None,
        blocks=blocks,
        warnings=warnings,
        omissions=omissions,
    )


# ---------------------------------------------------------------------------------------
# the workbook, before openpyxl opens it


@dataclass
class _WorkbookPlan:
    scans: dict[str, list[SheetScan]] = field(default_factory=dict)  # sheet name -> its scans, in order

    def scan_for(self, title: str) -> SheetScan | None:
        found = self.scans.get(title)
        return found.pop(0) if found else None


def _plan_workbook(pkg: OoxmlPackage, limits: ReadLimits, omissions: list[str]) -> _WorkbookPlan:
    """Sheets beyond `file_pages` dropped from the workbook, each visible sheet scanned (and
    rewritten where openpyxl would otherwise parse more than the limits), pictures checked."""
    plan = _WorkbookPlan()
    book_part = pkg.main_part() or "xl/workbook.xml"
    if book_part not in pkg.infos:
        return plan  # openpyxl says what is wrong
    root = etree.fromstring(pkg.read(book_part), SAFE_PARSER)
    sheets_el = root.find(f"{{{S}}}sheets")
    sheets = list(sheets_el.iterchildren(f"{{{S}}}sheet")) if sheets_el is not None else []
    if len(sheets) > limits.file_pages:
        _keep_first_sheets(root, sheets_el, sheets, limits.file_pages)
        pkg.replace(book_part, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
        omissions.append(
            f"工作簿共 {len(sheets)} 个工作表，超过上限 {limits.file_pages} 个，只读取了前 {limits.file_pages} 个"
        )
        sheets = sheets[: limits.file_pages]
    rels = pkg.relationships(book_part)
    stored = CellBudget(limits.file_cells)
    merged = CellBudget(limits.file_cells)
    for sheet in sheets:
        rel_type, part = rels.get(sheet.get(f"{{{R}}}id") or "", ("", ""))
        if "chartsheet" in rel_type or part not in pkg.infos:
            continue  # as openpyxl decides what is a worksheet
        if (sheet.get("state") or "visible") != "visible":
            continue
        title = sheet.get("name") or ""
        scan = _scan_sheet(pkg, part, title, limits, stored, merged)
        omissions.extend(scan.omissions)
        omissions.extend(_unreadable_pictures(pkg, part, title))
        plan.scans.setdefault(title, []).append(scan)
    return plan


def _keep_first_sheets(root: etree._Element, sheets_el: etree._Element, sheets: list[etree._Element], n: int) -> None:
    for sheet in sheets[n:]:
        sheets_el.remove(sheet)
    names = root.find(f"{{{S}}}definedNames")
    if names is None:
        return
    for name in list(names):
        local = name.get("localSheetId")
        if local is not None and (not local.isdigit() or int(local) >= n):
            names.remove(name)


# ---------------------------------------------------------------------------------------
# one sheet's XML, streamed


@dataclass
class SheetScan:
    """What streaming a sheet's XML found, before openpyxl reads it."""

    title: str
    stop_row: int = 0  # the last row kept (openpyxl's row index): reading stops there
    last_row: int = 0  # the range read: the last row and column holding a kept cell
    last_col: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (top, left, bottom, right), clamped
    uncached: list[tuple[int, int]] = field(default_factory=list)  # formula cells without a cached value
    omissions: list[str] = field(default_factory=list)


class _SheetScanner:
    """Streams one sheet's XML, deciding row by row what is kept.  With `rewrite` it keeps
    the tree of what is kept (to be written out); otherwise it frees each row once seen."""

    def __init__(self, title: str, limits: ReadLimits, stored: CellBudget, merged: CellBudget, rewrite: bool) -> None:
        self.limits = limits
        self.stored = stored  # stored positions (openpyxl pads a row to its last cell)
        self.merged = merged  # positions covered by merges
        self.rewrite = rewrite
        self.scan = SheetScan(title=title)
        self.row_counter = 0
        self.open_rows: list[etree._Element] = []
        self.trimmed: dict[etree._Element, int] = {}
        self.cols = 0
        self.dropped_rows = False
        self.needs_rewrite = False
        self.root: etree._Element | None = None
        # what was left out, for the omissions
        self.max_row_seen = 0
        self.max_col_seen = 0
        self.budget_row: int | None = None  # the first row left out for `file_cells`
        self.merges_cut: list[str] = []
        self.merges_over_budget = 0

    # -- events

    def handle(self, events) -> None:
        for event, el in events:
            if self.root is None:
                self.root = el.getroottree().getroot()
            tag = el.tag
            if tag == S_ROW:
                if event == "start":
                    self.open_rows.append(el)
                else:
                    self.open_rows.pop()
                    self._end_row(el)
            elif event != "end":
                continue
            elif tag == S_MERGE_CELL:
                self._merge(el.get("ref") or "")
                el.getparent().remove(el)  # merges are the scan's: openpyxl never needs them
            else:
                self._column_properties(el)

    def trim_open_rows(self) -> None:
        """A row still being parsed keeps at most `table_columns` cells and the one being
        built: a row of a million cells never sits in memory."""
        keep = self.limits.table_columns
        for row in self.open_rows:
            extra = len(row) - keep - 1
            if extra > 0:
                del row[keep:-1]
                self.trimmed[row] = self.trimmed.get(row, 0) + extra
                self.needs_rewrite = True

    def _column_properties(self, col: etree._Element) -> None:
        # openpyxl keeps one object per <col>: more than the sheet may have columns are dropped
        self.cols += 1
        if self.cols > self.limits.table_columns:
            self.needs_rewrite = True
            col.getparent().remove(col)

    # -- rows and cells

    def _end_row(self, row: etree._Element) -> None:
        limits = self.limits
        number = self._row_number(row)
        self.max_row_seen = max(self.max_row_seen, number)
        trimmed = self.trimmed.pop(row, 0)
        if trimmed:
            self.max_col_seen = max(self.max_col_seen, limits.table_columns + 1)
        if number > limits.table_rows or self.budget_row is not None:
            self._drop_row(row)
            return
        kept = self._kept_cells(row, number, trimmed)
        if kept:
            width = max(col for _, col, _ in kept)
            if width > self.stored.remaining:
                self.budget_row = number
                self._drop_row(row)
                return
            if self.dropped_rows:
                self.needs_rewrite = True  # openpyxl would meet the dropped row before this one
            self.stored.spend(width)
            scan = self.scan
            scan.stop_row = max(scan.stop_row, number)
            scan.last_row = max(scan.last_row, max(r for r, _, _ in kept))
            scan.last_col = max(scan.last_col, width)
            for r, col, c in kept:
                self._check_value(r, col, c)
        if not self.rewrite:
            row.clear()
            row.getparent().remove(row)

    def _kept_cells(self, row: etree._Element, number: int, trimmed: int) -> list[tuple[int, int, etree._Element]]:
        """(row, column, element) of the row's cells within the limits; the others are dropped.
        Positions follow openpyxl: a cell's `r`, else the column after the previous cell (the
        `trimmed` cells dropped while the row was parsed came after the first `table_columns`)."""
        max_rows, max_cols = self.limits.table_rows, self.limits.table_columns
        kept: list[tuple[int, int, etree._Element]] = []
        dropped: list[etree._Element] = []
        col_counter = furthest_row = furthest_col = 0
        for i, c in enumerate(row.iterchildren(S_C)):
            if i == max_cols:
                col_counter += trimmed
            ref = c.get("r")
            if ref:
                try:
                    r, col = coordinate_to_tuple(ref)
                except (ValueError, TypeError):
                    dropped.append(c)  # openpyxl would reject the whole workbook for it
                    continue
            else:
                r, col = number, col_counter + 1
            col_counter = col
            if r > furthest_row:
                furthest_row = r
            if col > furthest_col:
                furthest_col = col
            if col > max_cols or r > max_rows:
                dropped.append(c)
            else:
                kept.append((r, col, c))
        self.max_row_seen = max(self.max_row_seen, furthest_row)
        self.max_col_seen = max(self.max_col_seen, furthest_col)
        for c in dropped:
            self._drop_cell(row, c)
        return kept

    def _row_number(self, row: etree._Element) -> int:
        """The row's index as openpyxl counts it (an unusable `r` puts it beyond the limit)."""
        raw = row.get("r")
        if raw is None:
            self.row_counter += 1
            return self.row_counter
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if not value.is_integer() or value < 1:
            self.needs_rewrite = True  # openpyxl would reject the workbook: the row goes
            return self.limits.table_rows + 1
        self.row_counter = int(value)
        return self.row_counter

    def _check_value(self, r: int, col: int, c: etree._Element) -> None:
        formula, value = False, None
        for child in c:  # a <v>, an <f>, an <is>: one or two children
            tag = child.tag
            if tag == S_V:
                value = child.text
            elif tag == S_F:
                formula = True
        if formula and not value and c.get("t") != "inlineStr":
            self.scan.uncached.append((r, col))
        if value and len(value) > _MAX_NUMBER_CHARS and c.get("t", "n") == "n":
            c.set("t", "str")  # shown as the digits it holds
            self.needs_rewrite = True

    def _drop_cell(self, row: etree._Element, c: etree._Element) -> None:
        row.remove(c)
        self.needs_rewrite = True

    def _drop_row(self, row: etree._Element) -> None:
        self.dropped_rows = True
        row.clear()  # its children first: removing a full row costs a walk of it
        row.getparent().remove(row)

    # -- merges

    def _merge(self, ref: str) -> None:
        """A merge clamped to the range read (sheetData comes before mergeCells, so that range
        is known); one reaching past the limits is named, one past the file's budget dropped."""
        try:
            left, top, right, bottom = range_boundaries(ref)
        except (ValueError, TypeError):
            return
        if None in (left, top, right, bottom):
            return  # a whole row or column: not a merge Excel writes
        limits, scan = self.limits, self.scan
        new_bottom, new_right = min(bottom, scan.last_row), min(right, scan.last_col)
        if bottom > limits.table_rows or right > limits.table_columns:
            shown = f"{get_column_letter(left)}{top}:{get_column_letter(max(left, new_right))}{max(top, new_bottom)}"
            self.merges_cut.append(f"{ref}→{shown}")
        if top > new_bottom or left > new_right or (top, left) == (new_bottom, new_right):
            return  # nothing read there, or a single cell left
        area = (new_bottom - top + 1) * (new_right - left + 1)
        if area > self.merged.remaining:
            self.merges_over_budget += 1
            return
        self.merged.spend(area)
        scan.merges.append((top, left, new_bottom, new_right))

    # -- the reviewer's account

    def finish(self) -> None:
        limits, title, scan = self.limits, self.scan.title, self.scan
        if self.max_row_seen > limits.table_rows:
            scan.omissions.append(
                f"工作表「{title}」数据延伸到第 {self.max_row_seen} 行，超过上限 {limits.table_rows} 行，"
                f"只读取了前 {limits.table_rows} 行"
            )
        if self.budget_row is not None:
            scan.omissions.append(
                f"工作表「{title}」第 {self.budget_row} 行起未读取：全文件单元格超过上限 {limits.file_cells} 个"
            )
        if self.max_col_seen > limits.table_columns:
            scan.omissions.append(
                f"工作表「{title}」数据延伸到第 {self.max_col_seen} 列，超过上限 {limits.table_columns} 列，"
                f"只读取了前 {limits.table_columns} 列（至 {get_column_letter(limits.table_columns)} 列）"
            )
        if self.merges_cut:
            shown = "、".join(self.merges_cut[:3]) + ("等" if len(self.merges_cut) > 3 else "")
            scan.omissions.append(
                f"工作表「{title}」{len(self.merges_cut)} 个合并单元格超出上限（{limits.table_rows} 行、"
                f"{limits.table_columns} 列），已截到读取的范围（{shown}）"
            )
        if self.merges_over_budget:
            scan.omissions.append(
                f"工作表「{title}」{self.merges_over_budget} 个合并单元格超过全文件单元格上限 {limits.file_cells} 个，按未合并读取"
            )


def _scan_sheet(
    pkg: OoxmlPackage, part: str, title: str, limits: ReadLimits, stored: CellBudget, merged: CellBudget
) -> SheetScan:
    """Streams the sheet once.  When openpyxl would have to parse what the limits leave out
    (cells beyond the columns, a row of a million cells, rows out of order, numbers Python
    cannot hold), streams it again, keeping a tree without them, and replaces the part."""
    before = (stored.used, merged.used)
    scanner = _stream_sheet(pkg, part, title, limits, stored, merged, rewrite=False)
    if scanner.needs_rewrite:
        stored.used, merged.used = before
        scanner = _stream_sheet(pkg, part, title, limits, stored, merged, rewrite=True)
        if scanner.root is not None:
            pkg.replace(part, etree.tostring(scanner.root, xml_declaration=True, encoding="UTF-8", standalone=True))
    scanner.finish()
    return scanner.scan


def _stream_sheet(
    pkg: OoxmlPackage, part: str, title: str, limits: ReadLimits, stored: CellBudget, merged: CellBudget, rewrite: bool
) -> _SheetScanner:
    scanner = _SheetScanner(title, limits, stored, merged, rewrite)
    parser = etree.XMLPullParser(
        events=("start", "end"), tag=(S_ROW, S_MERGE_CELL, S_COL), resolve_entities=False, no_network=True
    )
    with pkg.open(part) as source:
        while chunk := source.read(_CHUNK):
            parser.feed(chunk)
            scanner.handle(parser.read_events())
            scanner.trim_open_rows()
    root = parser.close()
    scanner.handle(parser.read_events())
    scanner.root = root
    return scanner


# ---------------------------------------------------------------------------------------
# pictures


def _unreadable_pictures(pkg: OoxmlPackage, sheet_part: str, title: str) -> list[str]:
    """One omission per format of the sheet's pictures that cannot be shown (openpyxl drops
    WMF and what Pillow cannot open, with a warning that used to reach stderr)."""
    by_format: dict[str, list[str]] = {}
    for rel_type, drawing in pkg.relationships(sheet_part).values():
        if not rel_type.endswith("/drawing") or drawing not in pkg.infos:
            continue
        for image_type, image in pkg.relationships(drawing).values():
            if not image_type.endswith("/image") or image not in pkg.infos:
                continue
            fmt = _unreadable_picture_format(pkg.read(image), image)
            if fmt is not None:
                by_format.setdefault(fmt, []).append(posixpath.basename(image))
    return [
        f"工作表「{title}」中 {len(names)} 张 {fmt} 格式图片未能读取（{'、'.join(names[:5])}{'等' if len(names) > 5 else ''}）"
        for fmt, names in by_format.items()
    ]


def _unreadable_picture_format(data: bytes, name: str) -> str | None:
    """"WMF", "EMF", or the file's extension for a picture that cannot be shown; None if it can."""
    if data.startswith(b"\xd7\xcd\xc6\x9a") or data[:6] in (b"\x01\x00\x09\x00\x00\x03", b"\x02\x00\x09\x00\x00\x03"):
        return "WMF"
    if data.startswith(b"\x01\x00\x00\x00") and data[40:44] == b" EMF":
        return "EMF"
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            shown = bool(im.format)
    except Exception:  # noqa: BLE001 - whatever Pillow cannot open cannot be shown
        shown = False
    return None if shown else posixpath.splitext(name)[1].lstrip(".").upper() or "未知"


# ---------------------------------------------------------------------------------------
# displayed values


def display_text(value: object, number_format: str | None) -> str:
    """The text Excel shows for a cell value under its number format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M" if value.second == 0 else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(value, number_format or "General")
    return str(value).strip()


MAX_DECIMALS = 30  # Excel's maximum in a number format


@dataclass(frozen=True)
class _NumberFormat:
    prefix: str
    suffix: str
    min_decimals: int
    max_decimals: int
    thousands: bool
    percent: bool


def format_number(value: float | int, number_format: str) -> str:
    fmt = _parse_number_format(number_format)
    if fmt is None:
        return _general(value)
    number = _to_decimal(value)
    if number is None or not number.is_finite():
        return _general(value)
    with localcontext() as ctx:
        # every digit the value has and the format shows (1e308 with 30 decimals: 340 digits);
        # the default precision of 28 digits would make quantize fail
        ctx.prec = max(28, number.adjusted() + fmt.max_decimals + 6)
        if fmt.percent:
            number *= 100
        rounded = number.quantize(Decimal(1).scaleb(-fmt.max_decimals), rounding=ROUND_HALF_UP)
        body = f"{abs(rounded):,.{fmt.max_decimals}f}" if fmt.thousands else f"{abs(rounded):.{fmt.max_decimals}f}"
    if fmt.max_decimals > fmt.min_decimals and "." in body:
        whole, frac = body.split(".")
        frac = frac.rstrip("0").ljust(fmt.min_decimals, "0")
        body = f"{whole}.{frac}" if frac else whole
    sign = "-" if rounded < 0 else ""
    return f"{fmt.prefix}{sign}{body}{'%' if fmt.percent else ''}{fmt.suffix}"


def _to_decimal(value: float | int) -> Decimal | None:
    try:
        # repr is the shortest text that round-trips: 2.675 stays 2.675, not 2.67499…
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return None


def _general(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    # Excel shows at most 15 significant digits: 0.1+0.2 is shown as 0.3
    text = f"{value:.15g}"
    if "e" in text:
        with localcontext() as ctx:
            ctx.prec = 400  # 1.8e308 written out in full
            text = f"{Decimal(text):f}"
    return text


@lru_cache(maxsize=512)
def _parse_number_format(number_format: str) -> _NumberFormat | None:
    """Decimals, percent, thousands separator and literal text of the first format section;
    None for General, text and scientific formats (shown like General).  Decimals beyond
    Excel's own maximum of 30 are not honoured.  Cached: a workbook has few formats."""
    section = _first_section(number_format)
    if section.strip().lower() in ("general", "", "@"):
        return None
    literal_before: list[str] = []
    literal_after: list[str] = []
    core = ""
    percent = False
    i = 0
    in_core_done = False
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            (literal_after if core else literal_before).append(section[i + 1 : end])
            i = end + 1
            if core:
                in_core_done = True
            continue
        if ch == "\\" and i + 1 < len(section):
            (literal_after if core else literal_before).append(section[i + 1])
            i += 2
            if core:
                in_core_done = True
            continue
        if ch in "_*":  # padding / fill: the next character is not shown as such
            i += 2
            continue
        if ch == "[":
            end = section.find("]", i)
            i = len(section) if end < 0 else end + 1
            continue
        if ch in "Ee" and core:
            return None  # scientific
        if ch == "%":
            percent = True
            i += 1
            continue
        if ch in "0#?.," and not in_core_done:
            core += ch
            i += 1
            continue
        if ch == "@":
            return None
        (literal_after if core else literal_before).append(ch)
        if core:
            in_core_done = True
        i += 1
    if not any(ch in "0#?" for ch in core):
        return None
    integer_part, _, fraction = core.partition(".")
    fraction = fraction.replace(",", "")
    return _NumberFormat(
        prefix="".join(literal_before).strip(),
        suffix="".join(literal_after).rstrip(),
        min_decimals=min(MAX_DECIMALS, fraction.count("0")),
        max_decimals=min(MAX_DECIMALS, sum(fraction.count(ch) for ch in "0#?")),
        thousands="," in integer_part.strip(","),
        percent=percent,
    )


def _first_section(number_format: str) -> str:
    in_quote = False
    for i, ch in enumerate(number_format):
        if ch == '"':
            in_quote = not in_quote
        elif ch == ";" and not in_quote:
            return number_format[:i]
    return number_format


# ---------------------------------------------------------------------------------------
# sheets to blocks


@dataclass
class _Item:
    """A non-blank real cell of the sheet (a merge counted once, at its top-left)."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


class _MergeCover:
    """Which positions a merge hides (all but its top-left), by row: each row's merges sorted
    by left edge with the running furthest right edge, so a lookup is a bisection."""

    def __init__(self, merges: list[tuple[int, int, int, int]]) -> None:
        self.top_left = {(top, left) for top, left, _, _ in merges}
        spans: dict[int, list[tuple[int, int]]] = {}
        for top, left, bottom, right in merges:  # their heights sum to at most the merge budget
            for r in range(top, bottom + 1):
                spans.setdefault(r, []).append((left, right))
        self.lefts: dict[int, list[int]] = {}
        self.reach: dict[int, list[int]] = {}
        for r, row in spans.items():
            row.sort()
            self.lefts[r] = [left for left, _ in row]
            self.reach[r] = list(accumulate((right for _, right in row), max))

    def hides(self, r: int, c: int) -> bool:
        lefts = self.lefts.get(r)
        if not lefts or (r, c) in self.top_left:
            return False
        i = bisect_right(lefts, c) - 1
        return i >= 0 and self.reach[r][i] >= c


class _ReachAbove:
    """Whether an item starting in an earlier row reaches down to a given row."""

    def __init__(self, items: list[_Item]) -> None:  # items sorted by row
        self.rows = [it.row for it in items]
        self.bottoms = list(accumulate((it.row + it.rowspan - 1 for it in items), max))

    def covers(self, row: int) -> bool:
        i = bisect_left(self.rows, row) - 1
        return i >= 0 and self.bottoms[i] >= row


def _number_format(cell: ReadOnlyCell) -> str:
    try:
        return cell.number_format
    except (IndexError, KeyError, AttributeError):  # a style id the workbook does not define
        return "General"


class _SheetReader:
    def __init__(
        self,
        path: str,
        ws: ReadOnlyWorksheet,
        scan: SheetScan,
        blocks: list[Block],
        warnings: list[str],
        omissions: list[str],
        n_tables: int,
        grid_budget: CellBudget,
        limits: ReadLimits,
    ) -> None:
        self.path = path
        self.ws = ws
        self.scan = scan
        self.blocks = blocks
        self.warnings = warnings
        self.omissions = omissions
        self.n_tables = n_tables
        self.grid_budget = grid_budget
        self.limits = limits
        self.unread_tables: list[int] = []  # tables left out whole: the file's cells were used up

    def read(self) -> None:
        items = self._items()
        covered_rows = self._rows_in_use(items)
        starts = [it.row for it in items]
        for top, bottom in _runs(sorted(covered_rows)):
            self._segment(items[bisect_left(starts, top) : bisect_right(starts, bottom)], top, bottom)
        self._note_formulas()
        self._note_unread_tables()

    def _cells(self) -> Iterator[ReadOnlyCell]:
        """The sheet's stored cells, streamed by openpyxl up to the last row the scan kept."""
        stop = self.scan.stop_row
        if stop == 0:
            return
        self.ws.reset_dimensions()  # the declared <dimension> pads every row to its width
        for index, row in enumerate(self.ws.iter_rows(), start=1):
            for cell in row:
                if isinstance(cell, ReadOnlyCell) and cell.column <= self.limits.table_columns:
                    yield cell
            if index >= stop:
                break  # what follows is beyond the limits, or merges the scan has read already

    def _items(self) -> list[_Item]:
        merges = {(top, left): (bottom - top + 1, right - left + 1) for top, left, bottom, right in self.scan.merges}
        cover = _MergeCover(self.scan.merges)
        items: dict[tuple[int, int], _Item] = {}
        for cell in self._cells():
            r, c = cell.row, cell.column
            if r > self.limits.table_rows or cover.hides(r, c):
                continue  # inside a merge, not its top-left: Excel shows nothing there
            text = display_text(cell.value, _number_format(cell))
            if not text and (r, c) not in merges:
                continue
            rowspan, colspan = merges.get((r, c), (1, 1))
            items[(r, c)] = _Item(row=r, col=c, text=text, rowspan=rowspan, colspan=colspan)
        for (r, c), (rowspan, colspan) in merges.items():
            if (r, c) not in items:  # a merge whose top-left holds no stored cell
                items[(r, c)] = _Item(row=r, col=c, text="", rowspan=rowspan, colspan=colspan)
        return [items[key] for key in sorted(items)]

    def _note_formulas(self) -> None:
        title, cells = self.ws.title, self.scan.uncached
        for r, c in cells[:_SHOWN_FORMULA_WARNINGS]:
            self.warnings.append(f"工作表「{title}」单元格{get_column_letter(c)}{r}为公式但无缓存计算值")
        if len(cells) > _SHOWN_FORMULA_WARNINGS:
            self.warnings.append(
                f"工作表「{title}」另有 {len(cells) - _SHOWN_FORMULA_WARNINGS} 个公式单元格无缓存计算值"
            )

    def _note_unread_tables(self) -> None:
        if not self.unread_tables:
            return
        first, last = self.unread_tables[0], self.unread_tables[-1]
        which = f"表{first}" if first == last else f"表{first}至表{last}"
        self.omissions.append(
            f"工作表「{self.ws.title}」{which}（共 {len(self.unread_tables)} 个表格）未读取："
            f"全文件表格超过上限 {self.limits.file_cells} 个单元格"
        )

    @staticmethod
    def _rows_in_use(items: list[_Item]) -> set[int]:
        rows: set[int] = set()
        for it in items:
            if it.text:
                rows.update(range(it.row, it.row + it.rowspan))
        return rows

    def _segment(self, items: list[_Item], top: int, bottom: int) -> None:
        by_row: dict[int, list[_Item]] = {}
        for it in items:
            by_row.setdefault(it.row, []).append(it)
        texts = [it for it in items if it.text]
        min_col = min((it.col for it in texts), default=1)
        max_col = max((it.col + it.colspan - 1 for it in texts), default=1)
        width = max_col - min_col + 1

        leading: list[_Item] = []
        leading_reach = 0  # the last row a leading item's merge covers
        first = top
        while first <= bottom:
            row_items = [it for it in by_row.get(first, []) if it.text]
            if not row_items:
                if leading_reach >= first:
                    first += 1
                    continue
                break
            if not self._is_paragraph_row(row_items, width, leading_side=True):
                break
            leading.extend(row_items)
            leading_reach = max(leading_reach, max(it.row + it.rowspan - 1 for it in row_items))
            first += 1

        reach = _ReachAbove(items)
        trailing_rows: list[list[_Item]] = []
        last = bottom
        while last >= first:
            row_items = [it for it in by_row.get(last, []) if it.text]
            if not row_items or any(it.rowspan > 1 for it in row_items):
                break
            if self._is_paragraph_row(row_items, width, leading_side=False) and not reach.covers(last):
                trailing_rows.append(row_items)
                last -= 1
                continue
            break

        for it in leading:
            self._paragraph(it)
        if first <= last:
            self._table([it for it in items if first <= it.row <= last], first, last)
        for row_items in reversed(trailing_rows):
            for it in row_items:
                self._paragraph(it)

    @staticmethod
    def _is_paragraph_row(row_items: list[_Item], width: int, leading_side: bool) -> bool:
        has_colon = all(("：" in it.text or ":" in it.text) for it in row_items)
        if len(row_items) == 1:
            it = row_items[0]
            text = it.text.strip()
            if width == 1 or has_colon or text.startswith(_NOTE_START):
                return True
            if leading_side:
                return it.colspan > 1 or len(text) >= 6 or bool(_ATTACHMENT_LABEL.match(text))
            return len(text) >= 12
        return len(row_items) <= 3 and has_colon

    def _paragraph(self, it: _Item) -> None:
        kind, level, numbering = classify_paragraph(it.text, None)
        self.blocks.append(
            Block(
                kind=kind,
                text=it.text,
                level=level,
                numbering=numbering,
                loc=Location(
                    file=self.path,
                    sheet=self.ws.title,
                    cell=f"{get_column_letter(it.col)}{it.row}",
                    paragraph=len(self.blocks) + 1,
                ),
            )
        )

    def _table(self, items: list[_Item], top: int, bottom: int) -> None:
        texts = [it for it in items if it.text]
        left = min(it.col for it in texts)
        right = max(it.col + it.colspan - 1 for it in texts)
        # blank merged cells outside the text's columns would only add empty columns
        items = [it for it in items if left <= it.col <= right]
        self.n_tables += 1
        index = self.n_tables
        n_rows, n_cols = bottom - top + 1, right - left + 1
        fit = self.grid_budget.rows_that_fit(n_rows, n_cols)
        if fit == 0:
            self.unread_tables.append(index)
            return
        if fit < n_rows:
            self.omissions.append(
                f"工作表「{self.ws.title}」表{index} 共 {n_rows} 行，全文件表格超过上限 {self.limits.file_cells} 个单元格，"
                f"只读取了前 {fit} 行"
            )
            n_rows, bottom = fit, top + fit - 1
            items = [it for it in items if it.row <= bottom]
        block_no = len(self.blocks) + 1
        sheet = self.ws.title

        def loc_of(r: int, c: int) -> Location:
            return Location(
                file=self.path,
                sheet=sheet,
                cell=f"{get_column_letter(left + c - 1)}{top + r - 1}",
                table=index,
                row=r,
                column=c,
                paragraph=block_no,
            )

        placed = [
            PlacedCell(row=it.row - top, col=it.col - left, text=it.text, rowspan=it.rowspan, colspan=it.colspan)
            for it in items
        ]
        rows = expand_grid(placed, n_rows, n_cols, loc_of)
        self.grid_budget.spend(n_rows * n_cols)
        table = Table(
            index=index,
            rows=rows,
            header_rows=count_header_rows(rows),
            caption=caption_before(self._sheet_blocks()),
            loc=Location(
                file=self.path,
                sheet=sheet,
                cell=f"{get_column_letter(left)}{top}",
                table=index,
                paragraph=block_no,
            ),
        )
        self.blocks.append(Block(kind="table", table=table, loc=table.loc))

    def _sheet_blocks(self) -> list[Block]:
        """The last blocks of this sheet: a caption never comes from another sheet, and only
        the few blocks just before a table can be its caption."""
        out: list[Block] = []
        for b in reversed(self.blocks):
            if b.loc.sheet != self.ws.title or len(out) >= _CAPTION_TAIL:
                break
            out.append(b)
        return out[::-1]


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for r in rows:
        if runs and r == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return runs
