"""A summary as an XLSX workbook in the seed's layout: title, 填报单位 line, merged headers with
units, the rows with number formats, the 说明 and the 填报人/日期 lines; then a sheet of the
packages considered (included or left out, and why) and one of where each figure came from."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from service.reports.view import clean_text
from service.summaries.model import Sheet, Summary

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
FONT = "宋体"
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
TOTAL_FONT = Font(name=FONT, size=10, bold=True)


def _value(v):
    if isinstance(v, str):
        return clean_text(v)
    return v


def _height(row, sheet: Sheet) -> float:
    """Row height for the wrapped text in it: Excel and LibreOffice do not grow a row written by
    openpyxl to fit its text, so a long 备注 would print over the row below."""
    lines = 1
    for col in sheet.columns:
        cell = row.cells.get(col.id)
        if cell is None or cell.rowspan != 1 or not isinstance(cell.value, str):
            continue
        width = _text_width(cell.value)
        lines = max(lines, -(-width // max(int(col.width) - 1, 1)))
    return 15 * lines


def _merge(ws: Worksheet, start_row: int, start_column: int, end_row: int, end_column: int) -> None:
    """`ws.merge_cells` without its check against every range merged so far (quadratic over a
    province's thousands of rows: 90 s for 5,000 packages); the table's own merges never overlap."""
    mcr = MergedCellRange(ws, CellRange(min_col=start_column, min_row=start_row, max_col=end_column, max_row=end_row).coord)
    ws.merged_cells.ranges.add(mcr)
    ws._clean_merge_range(mcr)  # what merge_cells does next: the covered cells become MergedCells


def _text_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _header_height(sheet: Sheet, header_row: int) -> float:
    """A header row tall enough for its wrapped headings (a heading spanning rows has their room)."""
    lines = 1
    for r, c, text, rowspan, colspan in sheet.header_grid():
        if not r <= header_row < r + rowspan:
            continue
        width = sum(col.width for col in sheet.columns[c - 1:c - 1 + colspan])
        needed = -(-_text_width(text) // max(int(width) - 1, 1))
        lines = max(lines, -(-needed // rowspan))
    return 15 * lines


def _write_sheet(ws: Worksheet, sheet: Sheet) -> int:
    """The table on `ws`; returns the last row used."""
    width = max(len(sheet.columns), 1)
    last_col = get_column_letter(width)
    r = 1
    ws.cell(r, 1, sheet.title).font = Font(name=FONT, size=16, bold=True)
    ws.merge_cells(f"A{r}:{last_col}{r}")
    ws.cell(r, 1).alignment = CENTER
    ws.row_dimensions[r].height = 30
    if sheet.subtitle:
        r += 1
        ws.cell(r, 1, sheet.subtitle).font = Font(name=FONT, size=12)
        ws.merge_cells(f"A{r}:{last_col}{r}")
        ws.cell(r, 1).alignment = CENTER
    for i, line in enumerate(sheet.caption or [""]):
        r += 1
        ws.cell(r, 1, clean_text(line)).font = Font(name=FONT, size=11)
        if i == 0 and sheet.right and width > 2:
            ws.merge_cells(f"A{r}:{get_column_letter(width - 1)}{r}")
            ws.cell(r, width, sheet.right).alignment = RIGHT
            ws.cell(r, width).font = Font(name=FONT, size=11)
        else:
            ws.merge_cells(f"A{r}:{last_col}{r}")
    top = r + 1
    for hr, hc, text, rowspan, colspan in sheet.header_grid():
        row, col = top + hr - 1, hc
        cell = ws.cell(row, col, text)
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.alignment = CENTER
        cell.fill = HEADER_FILL
        if rowspan > 1 or colspan > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + rowspan - 1, end_column=col + colspan - 1)
        for dr in range(rowspan):
            for dc in range(colspan):
                ws.cell(row + dr, col + dc).border = BORDER
    for hr in range(len(sheet.header)):
        ws.row_dimensions[top + hr].height = _header_height(sheet, hr + 1)
    r = top + len(sheet.header)
    ws.freeze_panes = ws.cell(r, 1)
    for row in sheet.rows:
        if row.kind == "section":
            ws.cell(r, 1, _value(next(iter(row.cells.values())).value)).font = TOTAL_FONT
            _merge(ws, r, 1, r, width)
            for c in range(1, width + 1):
                ws.cell(r, c).border = BORDER
            r += 1
            continue
        for c, col in enumerate(sheet.columns, start=1):
            data = row.cells.get(col.id)
            cell = ws.cell(r, c)
            cell.border = BORDER
            if data is None or data.rowspan == 0:
                continue
            cell.value = _value(data.value)
            numeric = isinstance(data.value, (int, Decimal)) and not isinstance(data.value, bool)
            if numeric and (data.format or col.format):
                cell.number_format = data.format or col.format
            cell.alignment = CENTER if col.id == "seq" else (RIGHT if numeric else LEFT)
            cell.font = TOTAL_FONT if row.kind in ("total", "subtotal") else Font(name=FONT, size=10)
            if data.rowspan > 1:
                _merge(ws, r, c, r + data.rowspan - 1, c)
            if col.id in ("company", "name") and row.link and row.link.startswith("http"):
                cell.hyperlink = row.link
        ws.row_dimensions[r].height = _height(row, sheet)
        r += 1
    if sheet.explain:
        ws.cell(r, 1, sheet.explain).alignment = LEFT
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        ws.row_dimensions[r].height = 45
        for c in range(1, width + 1):
            ws.cell(r, c).border = BORDER
        r += 1
    for line in sheet.footer:
        r += 1
        ws.cell(r, 1, clean_text(line)).font = Font(name=FONT, size=11)
    if sheet.notes:
        r += 1
        for note in sheet.notes:
            r += 1
            ws.cell(r, 1, clean_text(note)).alignment = Alignment(wrap_text=False)
    for c, col in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{top}:{top + len(sheet.header) - 1}" if sheet.header else None
    return r


def _inclusions(ws: Worksheet, summary: Summary) -> None:
    heads = ["申报包", "企业/单位", "市州", "年度", "是否纳入", "原因", "未处理的错误/否决项", "审查报告"]
    ws.append(["纳入与未纳入本表的申报包"])
    ws.append(heads)
    for c in range(1, len(heads) + 1):
        ws.cell(2, c).font = Font(name=FONT, bold=True)
        ws.cell(2, c).border = BORDER
    for inc in summary.inclusions:
        ws.append([clean_text(inc.package), clean_text(inc.company), inc.city, inc.period, "纳入" if inc.included else "未纳入",
                   clean_text(inc.reason), inc.blocking, inc.link or ""])
        if inc.link and inc.link.startswith("http"):
            ws.cell(ws.max_row, len(heads)).hyperlink = inc.link
    for i, w in enumerate((30, 30, 10, 8, 10, 60, 12, 50), start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _sources(ws: Worksheet, summary: Summary) -> None:
    ws.append(["表中数据来源（每个数据取自哪个申报包的哪个位置，可对照该包的审查报告）"])
    ws.append(["工作表", "行", "栏目", "数据", "申报包", "来源位置", "审查报告"])
    for sheet in summary.sheets:
        names = {c.id: c.id for c in sheet.columns}
        leaf = [t for _, _, t, rs, cs in sheet.header_grid() if cs == 1]
        if len(leaf) == len(sheet.columns):
            names = {c.id: leaf[i] for i, c in enumerate(sheet.columns)}
        for n, row in enumerate(sheet.rows, start=1):
            for col in sheet.columns:
                cell = row.cells.get(col.id)
                if cell is None or cell.source is None or cell.value is None:
                    continue
                ws.append([sheet.name, n, names[col.id], clean_text(cell.display(col.format)), clean_text(cell.source.package),
                           clean_text(cell.source.location), cell.source.link or ""])
    for i, w in enumerate((14, 6, 22, 30, 30, 60, 50), start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def summary_xlsx(summary: Summary) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in summary.sheets:
        _write_sheet(wb.create_sheet(sheet.name[:31]), sheet)
    _inclusions(wb.create_sheet("纳入情况"), summary)
    _sources(wb.create_sheet("数据来源"), summary)
    wb.properties.title = summary.title
    wb.properties.creator = "Shencha"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
