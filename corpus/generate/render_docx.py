"""Write content blocks as a .docx the way a submitter's Word would: 宋体 body text,
黑体 headings, tables with grid borders, merged header cells, embedded pictures."""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from corpus.generate.content import Block, Heading, Image, Orientation, PageBreak, Para, Table, cell_text
from corpus.generate.determinism import normalise_zip

FIXED_TIME = datetime(2026, 3, 16, 9, 30, 0)
BODY_FONT = ("Times New Roman", "宋体")
HEADING_FONT = ("Times New Roman", "黑体")


def _set_fonts(rpr_owner, latin: str, east_asia: str) -> None:
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme_attr)) is not None:
            del fonts.attrib[qn(theme_attr)]
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _prepare_styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    _set_fonts(normal.element, *BODY_FONT)
    for level, size in ((1, 16), (2, 14), (3, 12)):
        st = doc.styles[f"Heading {level}"]
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(st.element, *HEADING_FONT)
    for name in ("Title", "Caption"):
        if name in [s.name for s in doc.styles]:
            _set_fonts(doc.styles[name].element, *HEADING_FONT)


def _fix_core_properties(doc, title: str) -> None:
    cp = doc.core_properties
    cp.author = "user"
    cp.last_modified_by = "user"
    cp.title = title
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.last_printed = FIXED_TIME
    cp.revision = 1
    cp.comments = ""


def _add_table(doc, t: Table) -> None:
    n_cols = t.n_cols
    table = doc.add_table(rows=len(t.rows), cols=n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    covered: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in t.merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    for r, row in enumerate(t.rows):
        for c in range(n_cols):
            if (r, c) in covered:
                continue
            value = row[c] if c < len(row) else ""
            cell = table.cell(r, c)
            lines = cell_text(value).split("\n")
            p = cell.paragraphs[0]
            for i, line in enumerate(lines):
                if i:
                    p = cell.add_paragraph()
                run = p.add_run(line)
                if t.font_size:
                    run.font.size = Pt(t.font_size)
                if r < t.header_rows:
                    run.bold = True
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if t.header_rows:
        # repeat the header on each page when the table runs on
        for r in range(t.header_rows):
            tr_pr = table.rows[r]._tr.get_or_add_trPr()
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            tr_pr.append(el)
    if t.widths:
        table.autofit = False
        for col, w in zip(table.columns, t.widths):
            col.width = Cm(w)
        for r in table.rows:
            for c, w in zip(r.cells, t.widths):
                c.width = Cm(w)


def render_docx(blocks: list[Block], title: str = "") -> bytes:
    doc = new_document()
    _prepare_styles(doc)
    _fix_core_properties(doc, title)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin = section.bottom_margin = Cm(2.5)
    for b in blocks:
        if isinstance(b, Heading):
            if b.styled:
                doc.add_heading(b.text, level=b.level)
            else:
                p = doc.add_paragraph()
                run = p.add_run(b.text)
                run.bold = True
                run.font.size = Pt(16 if b.level == 1 else 14)
                _set_fonts(run._r, *HEADING_FONT)
        elif isinstance(b, Para):
            p = doc.add_paragraph()
            for i, line in enumerate(b.text.split("\n")):
                run = p.add_run(line)
                if i < len(b.text.split("\n")) - 1:
                    run.add_break()
                run.bold = b.bold
                if b.size:
                    run.font.size = Pt(b.size)
            if b.center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                p.paragraph_format.first_line_indent = Pt(24)
        elif isinstance(b, Table):
            _add_table(doc, b)
        elif isinstance(b, Image):
            doc.add_picture(io.BytesIO(b.data), width=Cm(b.width_cm))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(b, Orientation):
            sec = doc.add_section(WD_SECTION.NEW_PAGE)
            long_side, short_side = Cm(29.7), Cm(21.0)
            sec.orientation = WD_ORIENT.LANDSCAPE if b.landscape else WD_ORIENT.PORTRAIT
            sec.page_width, sec.page_height = (long_side, short_side) if b.landscape else (short_side, long_side)
        elif isinstance(b, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    doc.save(out)
    return normalise_zip(out.getvalue())
