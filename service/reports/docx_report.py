"""The report as a Word document, in which reviewers write their opinion.

Layout (A4): title; 基本情况 (package, form, verdict); 问题统计 (per severity and per reviewer
mark); 申报材料 (the files); 审查发现 on landscape pages — one table row per finding with its
rule, severity, message and arithmetic, source quote, locations in Chinese, evidence, and the
reviewer's mark and comment; 附件6 评分表 when the form scores the applicant (hb_agency);
then a blank 审查意见 section with lines and signature fields.  Text runs use 宋体 (SimSun)
for East Asian characters so Word and LibreOffice pick a Chinese font.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any, Mapping

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell

from checkers.finding import SEVERITIES
from service.reports.view import (
    CHINESE_NUMERALS,
    Marks,
    clean_text,
    evidence_lines,
    form_title,
    format_time,
    grouped_location_texts,
    mark_counts,
    mark_of,
    plain_number,
    rule_title,
    score_status_label,
    scores_of,
    severity_label,
    to_decimal,
    verdict,
)

EAST_ASIAN_FONT = "宋体"
LATIN_FONT = "Times New Roman"
HEADING_EAST_ASIAN_FONT = "黑体"
SEVERITY_SHADES = {"veto": "F4B6B6", "error": "FAD7B5", "warning": "FFF2B3", "info": "DDEBF7"}
HEADER_SHADE = "D9E1F2"
EVIDENCE_LINE_CHARS = 120
OPINION_LINES = 12
A4 = (Cm(21.0), Cm(29.7))


# ---------------------------------------------------------------- low-level Word helpers


def _set_fonts(rpr_owner, east_asian: str = EAST_ASIAN_FONT, latin: str = LATIN_FONT) -> None:
    """Fonts on a style or run: explicit names replace the theme fonts, which would
    otherwise win over them in Word."""
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _prepare_styles(doc: WordDocument) -> None:
    normal = doc.styles["Normal"]
    _set_fonts(normal)
    normal.font.size = Pt(10.5)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12)):
        style = doc.styles[name]
        _set_fonts(style, HEADING_EAST_ASIAN_FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
    title = doc.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The default template draws a blue rule under the title; a formal report has none.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _page_setup(section, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(2.0)


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("第 ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)
    p.add_run(" 页")


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_as_header(table: Table) -> None:
    trpr = table.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _write(cell: _Cell, text: Any, size: float | None = None, bold: bool = False, grey: bool = False) -> None:
    """Cell text, one paragraph per line (Word shows a bare newline as a space)."""
    lines = clean_text(text).split("\n") or [""]
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        run = p.add_run(line)
        if size:
            run.font.size = Pt(size)
        run.bold = bold or None
        if grey:
            run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _add_lines(cell: _Cell, lines: list[str], size: float, grey: bool = False) -> None:
    for line in lines:
        p = cell.add_paragraph()
        run = p.add_run(clean_text(line))
        run.font.size = Pt(size)
        if grey:
            run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _grid(doc: WordDocument, headers: list[str], rows: list[list[Any]], widths_cm: list[float], size: float = 9) -> Table:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, h in enumerate(headers):
        cell = table.rows[0].cells[i]
        _write(cell, h, size=size, bold=True)
        _shade(cell, HEADER_SHADE)
    _repeat_as_header(table)
    for values in rows:
        cells = table.add_row().cells
        for i, v in enumerate(values):
            _write(cells[i], "" if v is None else v, size=size)
    _widths(table, widths_cm)
    return table


def _widths(table: Table, widths_cm: list[float]) -> None:
    """Column widths in the grid (LibreOffice reads these) and on every cell (Word does)."""
    for column, w in zip(table.columns, widths_cm):
        column.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)


def _heading(doc: WordDocument, counter: list[int], text: str) -> None:
    counter[0] += 1
    doc.add_heading(f"{CHINESE_NUMERALS[counter[0] - 1]}、{text}", level=1)


# ---------------------------------------------------------------- report sections


def _overview(doc: WordDocument, report: Mapping[str, Any]) -> None:
    pkg = report["package"]
    gen = report.get("generator") or {}
    rows = [
        ["申报包", pkg["name"]],
        ["申报类型", form_title(report)],
        ["文件数", str(len(pkg.get("files", [])))],
        ["审查结论", verdict(report["summary"])],
        ["生成时间", format_time(gen.get("generated_at"))],
        ["审查程序", f"{gen.get('name', 'shencha')} {gen.get('version', '')}".strip()],
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for key, value in rows:
        cells = table.add_row().cells
        _write(cells[0], key, bold=True)
        _shade(cells[0], HEADER_SHADE)
        _write(cells[1], value)
    _widths(table, [3.5, 13.5])


def _counts(doc: WordDocument, report: Mapping[str, Any], marks: Marks | None) -> None:
    summary = report["summary"]
    headers = ["严重程度"] + [severity_label(s) for s in SEVERITIES] + ["合计"]
    row = ["问题数"] + [str(summary.get(s, 0)) for s in SEVERITIES] + [str(len(report["findings"]))]
    table = _grid(doc, headers, [row], [3.0] + [2.6] * len(SEVERITIES) + [2.6], size=10.5)
    for i, s in enumerate(SEVERITIES, 1):
        if summary.get(s):
            _shade(table.rows[1].cells[i], SEVERITY_SHADES[s])
    doc.add_paragraph()
    counts = mark_counts(report, marks)
    _grid(doc, ["审查标记"] + list(counts), [["问题数"] + [str(n) for n in counts.values()]], [3.0] + [2.6] * len(counts), size=10.5)


def _files(doc: WordDocument, report: Mapping[str, Any]) -> None:
    rows = []
    for i, f in enumerate(report["package"].get("files", []), 1):
        state = f.get("error") or ("扫描件，无文字层" if f.get("type") == "pdf" and f.get("has_text_layer") is False else "已读取")
        rows.append([str(i), f["path"], f.get("role_title") or f.get("role") or "", f.get("type") or "", _pages(f.get("pages")), state])
    _grid(doc, ["序号", "文件", "材料", "类型", "页数", "读取情况"], rows, [1.2, 6.0, 4.0, 1.4, 1.2, 3.2])


def _pages(pages: Any) -> str:
    return "" if pages is None else str(pages)


FINDING_HEADERS = ["序号", "严重程度", "规则与问题说明", "位置", "依据", "审查标记", "审查意见"]
# landscape A4 less margins: 25.7 cm; the third column holds the longest rule code on one line
FINDING_WIDTHS_CM = [1.1, 1.8, 9.7, 4.2, 4.2, 2.0, 2.7]


def _rule_line(cell: _Cell, finding: Mapping[str, Any]) -> None:
    """The rule code with its Chinese title beside it, as the cell's first line.  The column is
    wide enough for any code, so Word never breaks one inside (it would, at any letter, in a
    column narrower than the code)."""
    p = cell.paragraphs[0]
    code = p.add_run(clean_text(finding["rule"]))
    code.font.size = Pt(8)
    code.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    title = rule_title(finding)
    if title:
        run = p.add_run(f" {clean_text(title)}")
        run.font.size = Pt(9)
        run.bold = True


def _findings(doc: WordDocument, report: Mapping[str, Any], marks: Marks | None) -> None:
    findings = report["findings"]
    if not findings:
        doc.add_paragraph("未发现问题。")
        return
    table = _grid(doc, FINDING_HEADERS, [], FINDING_WIDTHS_CM)
    form = report["package"].get("form")
    for n, f in enumerate(findings, 1):
        cells = table.add_row().cells
        mark = mark_of(marks, f["id"])
        _write(cells[0], str(n), size=9)
        _write(cells[1], severity_label(f["severity"]), size=9, bold=f["severity"] in ("veto", "error"))
        _shade(cells[1], SEVERITY_SHADES.get(f["severity"], "FFFFFF"))
        _rule_line(cells[2], f)
        _add_lines(cells[2], clean_text(f["message"]).split("\n"), size=9)
        if f.get("quote"):
            _add_lines(cells[2], [f"原文：{f['quote']}"], size=8, grey=True)
        _write(cells[3], "\n".join(grouped_location_texts(f)), size=8)
        _write(cells[4], "\n".join(evidence_lines(f, EVIDENCE_LINE_CHARS, form)), size=8)
        _write(cells[5], mark["status"], size=9, bold=True)
        who = " ".join(filter(None, (mark["user"], mark["time"])))
        if who:
            _add_lines(cells[5], [who], size=8, grey=True)
        _write(cells[6], mark["comment"], size=9)
        _add_lines(cells[6], [f"编号 {f['id']}"], size=7, grey=True)
    _widths(table, FINDING_WIDTHS_CM)


def _scores(doc: WordDocument, scores: list[Mapping[str, Any]]) -> None:
    rows = []
    for s in scores:
        manual = s.get("status") == "manual"
        rows.append(
            [
                s.get("group") or "",
                s.get("item") or "",
                plain_number(to_decimal(s.get("max"))),
                "" if manual else plain_number(to_decimal(s.get("score"))),
                s.get("working") or "",
                score_status_label(s.get("status")),
            ]
        )
    full = sum((to_decimal(s.get("max")) or Decimal(0) for s in scores), Decimal(0))
    computed = sum(
        (to_decimal(s.get("score")) or Decimal(0) for s in scores if s.get("status") == "computed"), Decimal(0)
    )
    rows.append(["合计", "", plain_number(full), plain_number(computed), "自动计算项得分小计；待人工评分项请评审人员填写", ""])
    table = _grid(doc, ["分组", "评分项", "满分", "得分", "计算过程", "状态"], rows, [3.2, 4.2, 1.4, 1.6, 12.3, 3.0])
    for row, s in zip(table.rows[1:], scores):
        if s.get("status") == "manual":
            _shade(row.cells[3], "FFF2CC")  # the box the reviewer fills in
    for cell in table.rows[-1].cells:
        for p in cell.paragraphs:
            for r in p.runs:
                r.bold = True


def _opinion(doc: WordDocument) -> None:
    # Ruled lines as an empty one-column table: adjacent paragraphs with the same bottom
    # border would be merged by Word into one box with a single line under it.
    table = doc.add_table(rows=OPINION_LINES, cols=1)
    table.autofit = False
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        ruled = edge in ("bottom", "insideH")
        el.set(qn("w:val"), "single" if ruled else "nil")
        if ruled:
            el.set(qn("w:sz"), "4")
            el.set(qn("w:color"), "808080")
        borders.append(el)
    tblpr.append(borders)
    for row in table.rows:
        row.height = Cm(0.9)
    _widths(table, [17.0])
    doc.add_paragraph()
    for label in ("审查人（签字）：____________________", "审查单位（盖章）：____________________", "日期：______年____月____日"):
        p = doc.add_paragraph(label)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_before = Pt(10)


def render_docx(report: Mapping[str, Any], marks: Marks | None = None) -> bytes:
    """The .docx download of a report (schema_version 1 dict) with reviewers' marks."""
    doc = new_document()
    _prepare_styles(doc)
    _page_setup(doc.sections[0], landscape=False)
    _page_number_footer(doc.sections[0])
    doc.core_properties.title = f"{form_title(report)}审查报告"
    doc.core_properties.author = "审查"

    doc.add_heading(clean_text(f"{form_title(report)}审查报告"), level=0)
    counter = [0]
    _heading(doc, counter, "基本情况")
    _overview(doc, report)
    _heading(doc, counter, "问题统计")
    _counts(doc, report, marks)
    _heading(doc, counter, "申报材料")
    _files(doc, report)

    _page_setup(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    _heading(doc, counter, "审查发现")
    _findings(doc, report, marks)
    scores = scores_of(report)
    if scores:
        _heading(doc, counter, "附件6 评分表")
        _scores(doc, scores)

    _page_setup(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
    _heading(doc, counter, "审查意见")
    doc.add_paragraph("（审查人员在下方填写审查意见）")
    _opinion(doc)

    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()
