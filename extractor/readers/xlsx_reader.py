"""Read an .xlsx into the unified `Document`.

Each visible sheet is cut into tables at fully blank rows.  Title rows above a table
("附件3 …年报表", "填报单位名称：XX公司  单位：吨") and note rows below it ("填报人：…")
become paragraphs, so the table grid holds only the table.  Cell text is what Excel shows:
the number format decides decimals and percent signs, because reported precision is what
tolerances are derived from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet

from extractor.headings import classify_paragraph
from extractor.model import Block, Document, Location, Table
from extractor.readers.grid import PlacedCell, caption_before, count_header_rows, expand_grid

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
_NOTE_START = ("注", "说明", "备注", "填表说明", "填报说明")
# a label alone above a table title: "附表", "附件3", "表2"
_ATTACHMENT_LABEL = re.compile(r"^(?:附表|附件|表)\s*[\d一二三四五六七八九十]*[-—.．]?\d*$")


def read_xlsx(data: bytes, path: str) -> Document:
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    formulas = _formula_workbook(data)
    blocks: list[Block] = []
    warnings: list[str] = []
    n_tables = 0
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                warnings.append(f"工作表「{ws.title}」为隐藏工作表，已跳过")
                continue
            fws = formulas[ws.title] if formulas is not None and ws.title in formulas.sheetnames else None
            sheet = _SheetReader(path, ws, fws, blocks, warnings, n_tables)
            sheet.read()
            n_tables = sheet.n_tables
    finally:
        wb.close()
        if formulas is not None:
            formulas.close()
    return Document(
        path=path,
        type="xlsx",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=None,
        blocks=blocks,
        warnings=warnings,
    )


def _formula_workbook(data: bytes) -> openpyxl.Workbook | None:
    """The workbook with formulas, loaded only when some sheet has formulas: it tells a
    formula with no cached value (read as None) from an empty cell."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        has_formula = any(
            name.startswith("xl/worksheets/") and _FORMULA_TAG.search(zf.read(name))
            for name in zf.namelist()
            if name.endswith(".xml")
        )
    return openpyxl.load_workbook(io.BytesIO(data), data_only=False) if has_formula else None


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


@dataclass
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
    if number is None:
        return _general(value)
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
        text = f"{Decimal(text):f}"
    return text


def _parse_number_format(number_format: str) -> _NumberFormat | None:
    """Decimals, percent, thousands separator and literal text of the first format section;
    None for General, text and scientific formats (shown like General)."""
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
        min_decimals=fraction.count("0"),
        max_decimals=sum(fraction.count(ch) for ch in "0#?"),
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


class _SheetReader:
    def __init__(
        self,
        path: str,
        ws: Worksheet,
        formula_ws: Worksheet | None,
        blocks: list[Block],
        warnings: list[str],
        n_tables: int,
    ) -> None:
        self.path = path
        self.ws = ws
        self.formula_ws = formula_ws
        self.blocks = blocks
        self.warnings = warnings
        self.n_tables = n_tables

    def read(self) -> None:
        items = self._items()
        covered_rows = self._rows_in_use(items)
        for top, bottom in _runs(sorted(covered_rows)):
            self._segment([it for it in items if top <= it.row <= bottom], top, bottom)

    def _items(self) -> list[_Item]:
        merges = {
            (rng.min_row, rng.min_col): (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
            for rng in self.ws.merged_cells.ranges
        }
        items: list[_Item] = []
        # ws._cells holds only the cells stored in the file; iter_rows would create every
        # position of a used range that formatting can stretch to a million rows
        for (r, c), cell in sorted(self.ws._cells.items()):
            if isinstance(cell, MergedCell):
                continue
            text = display_text(cell.value, cell.number_format)
            if cell.value is None and self._is_uncached_formula(r, c):
                self.warnings.append(
                    f"工作表「{self.ws.title}」单元格{get_column_letter(c)}{r}为公式但无缓存计算值"
                )
            if not text and (r, c) not in merges:
                continue
            rowspan, colspan = merges.get((r, c), (1, 1))
            items.append(_Item(row=r, col=c, text=text, rowspan=rowspan, colspan=colspan))
        return items

    def _is_uncached_formula(self, r: int, c: int) -> bool:
        if self.formula_ws is None:
            return False
        fcell = self.formula_ws._cells.get((r, c))
        if fcell is None:
            return False
        value = fcell.value
        return isinstance(value, (ArrayFormula, DataTableFormula)) or (
            isinstance(value, str) and value.startswith("=")
        )

    def _rows_in_use(self, items: list[_Item]) -> set[int]:
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
        first = top
        while first <= bottom:
            row_items = [it for it in by_row.get(first, []) if it.text]
            if not row_items:
                if self._covered_by(leading, first):
                    first += 1
                    continue
                break
            if not self._is_paragraph_row(row_items, width, leading_side=True):
                break
            leading.extend(row_items)
            first += 1

        trailing: list[_Item] = []
        last = bottom
        while last >= first:
            row_items = [it for it in by_row.get(last, []) if it.text]
            if not row_items or any(it.rowspan > 1 for it in row_items):
                break
            if self._is_paragraph_row(row_items, width, leading_side=False) and not self._covered_by(
                [it for it in items if it.row < last], last
            ):
                trailing[:0] = row_items
                last -= 1
                continue
            break

        for it in leading:
            self._paragraph(it)
        if first <= last:
            self._table([it for it in items if first <= it.row <= last], first, last)
        for it in trailing:
            self._paragraph(it)

    @staticmethod
    def _covered_by(items: list[_Item], row: int) -> bool:
        return any(it.row < row <= it.row + it.rowspan - 1 for it in items)

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
        rows = expand_grid(placed, bottom - top + 1, right - left + 1, loc_of)
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
        """Blocks of this sheet so far: a caption never comes from another sheet."""
        out: list[Block] = []
        for b in reversed(self.blocks):
            if b.loc.sheet != self.ws.title:
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
