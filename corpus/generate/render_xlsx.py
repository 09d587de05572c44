"""Write sheets as an .xlsx the way a filer's spreadsheet looks: figures stored as numbers
with a display format (or as text when the filer typed units or full-width digits),
merged title and header cells, thin borders."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from corpus.generate.content import Num, Sheet
from corpus.generate.determinism import normalise_zip

FIXED_TIME = datetime(2026, 3, 16, 9, 30, 0)
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _number_format(n: Num) -> str:
    base = "#,##0" if n.thousands else "0"
    return base + ("." + "0" * n.places if n.places else "")


def render_xlsx(sheets: list[Sheet], title: str = "") -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "user"
    wb.properties.lastModifiedBy = "user"
    wb.properties.title = title
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    for sh in sheets:
        ws = wb.create_sheet(sh.title)
        for r, row in enumerate(sh.rows, 1):
            for c, value in enumerate(row, 1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c)
                if isinstance(value, Num) and value.numeric:
                    cell.value = float(value.value) if value.places else int(value.value)
                    cell.number_format = _number_format(value)
                else:
                    cell.value = value.text() if isinstance(value, Num) else value
                cell.font = Font(name="宋体", size=11, bold=(r - 1) in sh.bold_rows)
                cell.alignment = Alignment(wrap_text=True, vertical="center")
        for r0, c0, r1, c1 in sh.merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        # borders around the table body (everything below the title rows that has content)
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
            for cell in row:
                if cell.value is not None or cell.coordinate in ws.merged_cells:
                    cell.border = _BORDER
        if sh.widths:
            for i, w in enumerate(sh.widths):
                ws.column_dimensions[chr(ord("A") + i)].width = w
    out = io.BytesIO()
    wb.save(out)
    return normalise_zip(out.getvalue())
