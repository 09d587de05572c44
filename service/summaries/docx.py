"""A summary as a Word document: the table in the seed's layout (merged headers, one row per
item) under its title and 填报单位 line, the footer lines, and the list of packages considered.
The 第二十条 公示 is a public notice: the table is framed by the notice's own words."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_Merge
from docx.table import _Cell
from docx.shared import Cm, Pt

from service.reports.view import clean_text
from service.summaries.catalogue import table_specs
from service.summaries.model import Sheet, Summary

FONT = "宋体"


def _font(run, size: float = 10.5, bold: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _para(doc, text: str, size: float = 10.5, bold: bool = False, align=None) -> None:
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    _font(p.add_run(clean_text(text)), size, bold)


def _cell_text(cell, text: str, bold: bool = False, align=None) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    if align is not None:
        p.alignment = align
    _font(p.add_run(clean_text(text)), 9, bold)


def _table(doc, sheet: Sheet) -> None:
    width = len(sheet.columns)
    body = [r for r in sheet.rows]
    table = doc.add_table(rows=len(sheet.header) + len(body), cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(col.width for col in sheet.columns) or 1
    for c, col in enumerate(sheet.columns):  # the page's 26 cm shared as the XLSX shares its columns
        size = Cm(26 * col.width / total)
        table.columns[c].width = size  # the grid LibreOffice and WPS lay out by
        for cell in table.columns[c].cells:
            cell.width = size
    for hr, hc, text, rowspan, colspan in sheet.header_grid():
        cell = table.cell(hr - 1, hc - 1)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(hr - 1 + rowspan - 1, hc - 1 + colspan - 1))
        _cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    # the body is written on the rows' own cell elements: python-docx's table.cell() and merge()
    # walk the whole table each call, quadratic over a province's thousands of rows
    top = len(sheet.header)
    rows = list(table.rows)  # _Rows[i] lists every row on each call
    for i, row in enumerate(body):
        r = top + i
        tcs = rows[r]._tr.tc_lst
        if row.kind == "section":
            tcs[0].grid_span = width
            for tc in tcs[1:]:
                rows[r]._tr.remove(tc)
            _cell_text(_Cell(tcs[0], table), str(next(iter(row.cells.values())).value or ""), bold=True)
            continue
        for c, col in enumerate(sheet.columns):
            data = row.cells.get(col.id)
            if data is None or data.rowspan == 0:
                continue
            if data.rowspan > 1:
                tcs[c].vMerge = ST_Merge.RESTART
                for below in range(r + 1, r + data.rowspan):
                    rows[below]._tr.tc_lst[c].vMerge = ST_Merge.CONTINUE
            numeric = not isinstance(data.value, str) and data.value is not None
            align = WD_ALIGN_PARAGRAPH.CENTER if col.id == "seq" else (WD_ALIGN_PARAGRAPH.RIGHT if numeric else None)
            _cell_text(_Cell(tcs[c], table), data.display(col.format), bold=row.kind in ("total", "subtotal"), align=align)


def _sheet(doc, sheet: Sheet, sign_off: tuple[str, ...] = (), notes: bool = True) -> None:
    _para(doc, sheet.title, 16, True, WD_ALIGN_PARAGRAPH.CENTER)
    if sheet.subtitle:
        _para(doc, sheet.subtitle, 12, False, WD_ALIGN_PARAGRAPH.CENTER)
    for i, line in enumerate(sheet.caption):
        _para(doc, line + (f"        {sheet.right}" if i == 0 and sheet.right else ""))
    if sheet.columns:
        _table(doc, sheet)
    if sheet.explain:
        _para(doc, sheet.explain, 9)
    for line in sheet.footer:
        # a notice is signed at the right: the issuing unit and the date
        _para(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT if line.strip() in sign_off else None)
    for note in sheet.notes if notes else ():  # a public notice carries no working notes
        _para(doc, note, 9)


def _notice_intro(doc, summary: Summary) -> None:
    """第二十条: 复核通过后由市（州）经济和信息化主管部门在其网站上公示，5个工作日。"""
    year = summary.period or ""
    _para(doc, f"关于{year}年度工业固体废物资源综合利用评价结果的公示", 18, True, WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "根据《湖北省工业固体废物资源综合利用评价管理实施细则》第二十条，下列企业的工业固体废物资源综合利用"
               "评价报告经审核并经省经济和信息化厅复核通过，现将企业名称、工业固体废物的种类与数量、综合利用产品名称、"
               "评价机构名称予以公示。公示期为5个工作日，如有异议，请在公示期内以书面形式向我局反映。")


def _today_line() -> str:
    from service.summaries.inputs import Context

    return Context().values()["date"]


def summary_docx(summary: Summary) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for m in ("left_margin", "right_margin"):
        setattr(section, m, Cm(1.8))
    notice = table_specs()[summary.table].docx == "notice"
    if notice:
        _notice_intro(doc, summary)
    for i, sheet in enumerate(summary.sheets):
        if i:
            doc.add_page_break()
        _sheet(doc, sheet, (summary.unit, _today_line()) if notice else (), notes=not notice)
    if not notice:
        doc.add_page_break()
        _para(doc, "纳入与未纳入本表的申报包", 12, True)
        t = doc.add_table(rows=1 + len(summary.inclusions), cols=4)
        t.style = "Table Grid"
        lines = [("申报包", "市州", "是否纳入", "原因")] + [
            (inc.package, inc.city or "", "纳入" if inc.included else "未纳入", inc.reason) for inc in summary.inclusions]
        for r, (row, texts) in enumerate(zip(t.rows, lines)):
            for tc, text in zip(row._tr.tc_lst, texts):
                _cell_text(_Cell(tc, t), text, bold=r == 0)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
