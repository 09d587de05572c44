"""Hand-built 湖北省工业固体废物资源综合利用评价 (hb_evaluation) packages.

Independent of Shencha's own generator: six fictitious Hubei enterprises (磷化工, 热电, 钢铁, 铜冶炼,
铁矿, 铸造), each with a clean package and one or two defective twins.  Every package holds the
评价报告 written by an evaluation agency along 附件2 大纲 (一…七), 附件1 申报企业基本情况表, 附件3 年报表
and the 第十五条 enterprise materials, in layouts of this module's own choosing (folders, zips, one
big Word file, Excel workbooks, PDFs converted by LibreOffice, three-line tables, 续表 …).

    python -m tests.variations.build_hb_evaluation OUT_DIR   # builds and prints the manifest
"""
from __future__ import annotations

import json
import pathlib
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from stdnum.cn import uscc as _uscc

FORM = "hb_evaluation"
FIXED_DT = datetime(2026, 3, 20, 9, 0, 0)
ZIP_DT = (2026, 3, 20, 9, 0, 0)
FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
YEAR = 2025

# ----------------------------------------------------------------------------------------------
# numbers
# ----------------------------------------------------------------------------------------------
D = Decimal


def q(x, nd=2) -> Decimal:
    return D(x).quantize(D(1).scaleb(-nd), rounding=ROUND_HALF_UP)


def _no_tie(x: Decimal, nd: int, what: str = ""):
    """Refuse a rounding that falls exactly on a half: the restatement would depend on the
    rounding mode, which a real writer would not notice but a reviewer could dispute."""
    scaled = D(x).scaleb(nd)
    frac = scaled - scaled.to_integral_value(rounding="ROUND_FLOOR")
    if frac == D("0.5"):
        raise AssertionError(f"rounding tie for {what}: {x} at {nd} dp")


def fmt(x, nd=2, sep=True) -> str:
    v = q(x, nd)
    s = f"{v:,.{nd}f}" if sep else f"{v:.{nd}f}"
    return s


def wan(x_t, nd=2) -> str:
    """吨 -> 万吨 text, refusing ties."""
    v = D(x_t) / D(10000)
    _no_tie(v, nd, f"wan({x_t})")
    return f"{q(v, nd):.{nd}f}"


def yi(x_wan, nd=2) -> str:
    """万元 -> 亿元 text."""
    v = D(x_wan) / D(10000)
    _no_tie(v, nd, f"yi({x_wan})")
    return f"{q(v, nd):.{nd}f}"


def pct(num, den, nd=2) -> Decimal:
    v = D(num) / D(den) * 100
    _no_tie(v, nd, f"pct({num}/{den})")
    return q(v, nd)


def chg(new, old, nd=2) -> Decimal:
    v = (D(new) - D(old)) / D(old) * 100
    _no_tie(v, nd, f"chg({new},{old})")
    return q(v, nd)


CN_DIG = "零一二三四五六七八九"


def _cn4(x: int) -> str:
    s, zero = "", False
    for unit, div in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        d = x // div % 10
        if d:
            if zero:
                s += "零"
                zero = False
            s += CN_DIG[d] + unit
        elif s:
            zero = True
    return s


def cn_int(n: int) -> str:
    if n == 0:
        return "零"
    hi, lo = divmod(n, 10000)
    s = ""
    if hi:
        s = _cn4(hi) + "万"
    if lo:
        if hi and lo < 1000:
            s += "零"
        s += _cn4(lo)
    if s.startswith("一十"):
        s = s[1:]
    return s


def cn_num(x) -> str:
    """Decimal -> 汉字 (十二点五, 九十七点二)."""
    t = format(D(x).normalize(), "f")
    if "." in t:
        i, f = t.split(".")
        return cn_int(int(i)) + "点" + "".join(CN_DIG[int(c)] for c in f)
    return cn_int(int(t))


# ----------------------------------------------------------------------------------------------
# identifiers
# ----------------------------------------------------------------------------------------------
_ORG_ALPHA = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _org_check(body8: str) -> str:
    w = (3, 7, 9, 10, 5, 8, 4, 2)
    s = sum(_ORG_ALPHA.index(c) * wi for c, wi in zip(body8, w))
    c = 11 - s % 11
    return "X" if c == 10 else ("0" if c == 11 else str(c))


def make_uscc(region6: str, org8: str) -> str:
    body = "91" + region6 + org8 + _org_check(org8)
    code = body + _uscc.calc_check_digit(body)
    assert _uscc.is_valid(code), code
    return code


def break_uscc(code: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    c = code[-1]
    bad = alphabet[(alphabet.index(c) + 7) % len(alphabet)]
    out = code[:-1] + bad
    assert not _uscc.is_valid(out)
    return out


# ----------------------------------------------------------------------------------------------
# docx helpers
# ----------------------------------------------------------------------------------------------
def _east(run_or_style_el, name):
    rpr = run_or_style_el.get_or_add_rPr()
    rf = rpr.find(qn("w:rFonts"))
    if rf is None:
        rf = OxmlElement("w:rFonts")
        rpr.insert(0, rf)
    rf.set(qn("w:eastAsia"), name)
    rf.set(qn("w:ascii"), "Times New Roman")
    rf.set(qn("w:hAnsi"), "Times New Roman")


def new_doc(body_font="宋体", size=12, landscape=False, margins=(2.5, 2.5, 2.8, 2.6)):
    doc = Document()
    cp = doc.core_properties
    cp.author = ""
    cp.last_modified_by = ""
    cp.created = FIXED_DT
    cp.modified = FIXED_DT
    cp.revision = 1
    st = doc.styles["Normal"]
    st.font.size = Pt(size)
    st.font.name = "Times New Roman"
    _east(st.element, body_font)
    for lvl in (1, 2, 3):
        hs = doc.styles[f"Heading {lvl}"]
        hs.font.color.rgb = RGBColor(0, 0, 0)
        hs.font.size = Pt({1: 16, 2: 14, 3: 12}[lvl])
        hs.font.name = "Times New Roman"
        _east(hs.element, "黑体")
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    else:
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(margins[0]), Cm(margins[1])
    sec.top_margin, sec.bottom_margin = Cm(margins[2]), Cm(margins[3])
    return doc


def para(doc, text="", *, bold=False, size=None, align=None, indent=True, font=None, space_after=4,
         color=None):
    p = doc.add_paragraph()
    if indent and align is None:
        p.paragraph_format.first_line_indent = Pt(24)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.line_spacing = 1.25
    if text:
        r = p.add_run(text)
        r.bold = bold
        if size:
            r.font.size = Pt(size)
        if font:
            r.font.name = "Times New Roman"
            _east(r._element, font)
        if color:
            r.font.color.rgb = RGBColor(*color)
    return p


def page_break(doc):
    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)


def add_picture(doc, path, width_cm, caption=None, align="center"):
    doc.add_picture(str(path), width=Cm(width_cm))
    pic_par = doc.paragraphs[-1]
    pic_par.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.RIGHT
    if caption:
        para(doc, caption, align="center", size=10.5)


def _set_cell_border(cell, **edges):
    tcPr = cell._tc.get_or_add_tcPr()
    b = tcPr.find(qn("w:tcBorders"))
    if b is None:
        b = OxmlElement("w:tcBorders")
        tcPr.append(b)
    for edge, (val, sz) in edges.items():
        e = b.find(qn(f"w:{edge}"))
        if e is None:
            e = OxmlElement(f"w:{edge}")
            b.append(e)
        e.set(qn("w:val"), val)
        e.set(qn("w:sz"), str(sz))
        e.set(qn("w:space"), "0")
        e.set(qn("w:color"), "000000")


def _set_table_borders(table, spec):
    tblPr = table._tbl.tblPr
    b = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        val, sz = spec.get(edge, ("nil", 0))
        e.set(qn("w:val"), val)
        if val != "nil":
            e.set(qn("w:sz"), str(sz))
            e.set(qn("w:space"), "0")
            e.set(qn("w:color"), "000000")
        b.append(e)
    tblPr.append(b)


def _repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    h = OxmlElement("w:tblHeader")
    h.set(qn("w:val"), "true")
    trPr.append(h)


def add_table(doc, rows, *, style="grid", header_rows=1, merges=(), widths=None, size=10.5,
              bold_cells=(), align_left_cols=(), repeat_header=False, center_all=False):
    """rows: list of lists of str (None for a cell covered by a merge).  merges: (r1,c1,r2,c2)."""
    nr, nc = len(rows), max(len(r) for r in rows)
    t = doc.add_table(rows=nr, cols=nc)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    if style == "grid":
        t.style = doc.styles["Table Grid"]
    elif style == "three_line":
        _set_table_borders(t, {"top": ("single", 12), "bottom": ("single", 12)})
    else:  # none
        _set_table_borders(t, {})
    for (r1, c1, r2, c2) in merges:
        t.cell(r1, c1).merge(t.cell(r2, c2))
    covered = set()
    for (r1, c1, r2, c2) in merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    covered.add((r, c))
    for r, row in enumerate(rows):
        for c in range(nc):
            if (r, c) in covered:
                continue
            txt = row[c] if c < len(row) else ""
            if txt is None:
                continue
            cell = t.cell(r, c)
            p = cell.paragraphs[0]
            lines = str(txt).split("\n")
            for i, line in enumerate(lines):
                if i:
                    p = cell.add_paragraph()
                run = p.add_run(line)
                run.font.size = Pt(size)
                if r < header_rows or (r, c) in bold_cells:
                    run.bold = True
                if c in align_left_cols and r >= header_rows and not center_all:
                    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
                else:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if style == "three_line" and header_rows:
        for c in range(nc):
            _set_cell_border(t.cell(header_rows - 1, c), bottom=("single", 6))
    if repeat_header:
        for r in range(header_rows):
            _repeat_header(t.rows[r])
    if widths:
        t.autofit = False
        for c, w in enumerate(widths):
            if c < nc:
                t.columns[c].width = Cm(w)
        span = {(r1, c1): (c2 - c1 + 1) for (r1, c1, r2, c2) in merges}
        for r in range(nr):
            for c, w in enumerate(widths):
                if c < nc and (r, c) not in covered:
                    k = span.get((r, c), 1)
                    t.cell(r, c).width = Cm(sum(widths[c:c + k]))
    return t


def add_page_number_footer(doc, prefix=""):
    for sec in doc.sections[:1]:     # later sections are linked to the first one
        p = sec.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if prefix:
            p.add_run(prefix)
        r = p.add_run()
        f1 = OxmlElement("w:fldChar")
        f1.set(qn("w:fldCharType"), "begin")
        it = OxmlElement("w:instrText")
        it.set(qn("xml:space"), "preserve")
        it.text = " PAGE "
        f2 = OxmlElement("w:fldChar")
        f2.set(qn("w:fldCharType"), "end")
        r._r.append(f1)
        r._r.append(it)
        r._r.append(f2)


def set_header(doc, text):
    for sec in doc.sections[:1]:
        p = sec.header.paragraphs[0]
        p.text = text
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for r in p.runs:
            r.font.size = Pt(9)


def normalize_zip(path: pathlib.Path):
    """Rewrite an OOXML zip with fixed member timestamps (byte-for-byte reproducible)."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    fixed = []
    for name, data in items:
        if name == "docProps/core.xml":   # openpyxl stamps the save time into dcterms:modified
            data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2026-03-20T09:00:00Z\g<2>", data)
        fixed.append((name, data))
    items = fixed
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            zi = zipfile.ZipInfo(name, ZIP_DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)


def save_doc(doc, path):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    normalize_zip(path)


# ----------------------------------------------------------------------------------------------
# xlsx helpers
# ----------------------------------------------------------------------------------------------
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def new_wb():
    wb = openpyxl.Workbook()
    wb.properties.creator = "Administrator"
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT
    wb.properties.lastModifiedBy = "Administrator"
    return wb


def xput(ws, ref_row, ref_col, value, *, bold=False, border=True, fmt_=None, align="center", size=11,
         wrap=True):
    c = ws.cell(row=ref_row, column=ref_col, value=value)
    c.font = Font(name="宋体", bold=bold, size=size)
    c.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
    if border:
        c.border = BOX
    if fmt_:
        c.number_format = fmt_
    return c


def xmerge(ws, r1, c1, r2, c2, border=True):
    if border:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                ws.cell(row=r, column=c).border = BOX
    ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def xwidths(ws, widths):
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def save_wb(wb, path):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    normalize_zip(path)


# ----------------------------------------------------------------------------------------------
# images
# ----------------------------------------------------------------------------------------------
def _font(sz):
    return ImageFont.truetype(FONT_PATH, sz)


def img_license(path, co):
    W, H = 1400, 1000
    im = Image.new("RGB", (W, H), (250, 246, 232))
    d = ImageDraw.Draw(im)
    d.rectangle([20, 20, W - 20, H - 20], outline=(176, 38, 38), width=8)
    d.rectangle([40, 40, W - 40, H - 40], outline=(200, 160, 90), width=2)
    d.ellipse([W // 2 - 55, 60, W // 2 + 55, 170], outline=(200, 30, 30), width=6)
    d.text((W // 2 - 20, 95), "徽", font=_font(40), fill=(200, 30, 30))
    d.text((W // 2 - 120, 185), "营 业 执 照", font=_font(60), fill=(20, 20, 20))
    d.text((W // 2 - 55, 265), "（副　本）", font=_font(30), fill=(20, 20, 20))
    d.text((80, 200), f"统一社会信用代码\n{co['uscc']}", font=_font(26), fill=(20, 20, 20))
    lines = [
        ("名　　称", co["name"]), ("类　　型", co["nature"]), ("法定代表人", co["legal"]),
        ("经营范围", co["scope_short"]), ("注册资本", co["capital"]), ("成立日期", co["founded_cn"]),
        ("住　　所", co["address"]),
    ]
    y = 340
    for k, v in lines:
        d.text((110, y), k, font=_font(28), fill=(30, 30, 30))
        d.text((300, y), v, font=_font(28), fill=(30, 30, 30))
        y += 62
    d.text((W - 520, H - 190), f"登记机关　{co['registrar']}", font=_font(28), fill=(30, 30, 30))
    d.text((W - 420, H - 130), co["license_date"], font=_font(28), fill=(30, 30, 30))
    d.ellipse([W - 430, H - 300, W - 230, H - 100], outline=(210, 40, 40), width=5)
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(str(path), "JPEG", quality=85)


def img_cert(path, co, kind, number, body):
    W, H = 1000, 1400
    im = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.rectangle([30, 30, W - 30, H - 30], outline=(30, 80, 150), width=10)
    d.text((W // 2 - 200, 120), kind, font=_font(56), fill=(30, 80, 150))
    d.text((120, 300), f"证书编号：{number}", font=_font(30), fill=(0, 0, 0))
    d.text((120, 380), f"兹证明\n{co['name']}", font=_font(34), fill=(0, 0, 0))
    d.text((120, 520), f"注册地址：{co['address']}", font=_font(24), fill=(0, 0, 0))
    d.text((120, 600), body, font=_font(28), fill=(0, 0, 0))
    d.text((120, 1100), "发证日期：2024年05月16日\n有效期至：2027年05月15日", font=_font(26), fill=(0, 0, 0))
    d.text((560, 1240), "中启认证有限公司", font=_font(30), fill=(0, 0, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(str(path), "JPEG", quality=85)


def img_seal(path, text):
    S = 420
    im = Image.new("RGBA", (S, S), (255, 255, 255, 0))
    d = ImageDraw.Draw(im)
    red = (214, 30, 36, 235)
    d.ellipse([10, 10, S - 10, S - 10], outline=red, width=12)
    # star
    import math
    cx, cy, R, r = S / 2, S / 2, 60, 24
    pts = []
    for i in range(10):
        a = math.pi / 2 + i * math.pi / 5
        rad = R if i % 2 == 0 else r
        pts.append((cx + rad * math.cos(a), cy - rad * math.sin(a)))
    d.polygon(pts, fill=red)
    # company name along the upper arc
    n = len(text)
    f = _font(34)
    for i, ch in enumerate(text):
        a = math.radians(210 - i * (240 / max(n - 1, 1)))
        x = cx + 150 * math.cos(a) - 17
        y = cy - 150 * math.sin(a) - 17
        d.text((x, y), ch, font=f, fill=red)
    d.text((cx - 52, cy + 95), "公　章", font=_font(30), fill=red)
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(str(path), "PNG")


def img_flow(path, title, steps, side=None):
    """A simple vertical process flow chart: steps = list of box texts; side = {index: text}."""
    bw, bh, gap = 420, 70, 46
    W = 1100
    H = 120 + len(steps) * (bh + gap)
    im = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.text((40, 25), title, font=_font(34), fill=(0, 0, 0))
    x0 = (W - bw) // 2 - 120
    y = 90
    for i, s in enumerate(steps):
        d.rectangle([x0, y, x0 + bw, y + bh], outline=(0, 0, 0), width=3)
        d.text((x0 + 20, y + 18), s, font=_font(28), fill=(0, 0, 0))
        if side and i in side:
            d.line([x0 + bw, y + bh // 2, x0 + bw + 80, y + bh // 2], fill=(0, 0, 0), width=3)
            d.rectangle([x0 + bw + 80, y + 5, x0 + bw + 400, y + bh - 5], outline=(90, 90, 90), width=2)
            d.text((x0 + bw + 95, y + 18), side[i], font=_font(24), fill=(0, 0, 0))
        if i < len(steps) - 1:
            mx = x0 + bw // 2
            d.line([mx, y + bh, mx, y + bh + gap], fill=(0, 0, 0), width=3)
            d.polygon([(mx - 10, y + bh + gap - 14), (mx + 10, y + bh + gap - 14), (mx, y + bh + gap)],
                      fill=(0, 0, 0))
        y += bh + gap
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(str(path), "PNG")


# ----------------------------------------------------------------------------------------------
# small text PDFs (reportlab, CID font, with a text layer)
# ----------------------------------------------------------------------------------------------
_CID_READY = False


def _cid():
    global _CID_READY
    if not _CID_READY:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        _CID_READY = True
    return "STSong-Light"


def pdf_simple(path, title, lines, table=None, footer=None, seal_png=None):
    """title, paragraphs (wrapped at ~38 chars), optional grid table (list of rows)."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    font = _cid()
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    Wp, Hp = A4
    y = Hp - 70
    c.setFont(font, 18)
    c.drawCentredString(Wp / 2, y, title)
    y -= 40
    c.setFont(font, 11)

    def wrap(s, n=40):
        out = []
        while len(s) > n:
            out.append(s[:n])
            s = s[n:]
        out.append(s)
        return out

    for ln in lines:
        for seg in wrap(ln):
            if y < 80:
                c.showPage()
                c.setFont(font, 11)
                y = Hp - 70
            c.drawString(60, y, seg)
            y -= 18
        y -= 4
    if table:
        ncol = max(len(r) for r in table)
        colw = (Wp - 120) / ncol
        y -= 6
        for row in table:
            if y < 80:
                c.showPage()
                c.setFont(font, 11)
                y = Hp - 70
            for i in range(ncol):
                x = 60 + i * colw
                c.rect(x, y - 6, colw, 20)
                txt = str(row[i]) if i < len(row) else ""
                c.setFont(font, 9.5)
                c.drawString(x + 3, y, txt[:int(colw / 9.5)])
            y -= 20
        c.setFont(font, 11)
        y -= 10
    if footer:
        for ln in footer:
            c.drawRightString(Wp - 70, y, ln)
            y -= 20
    if seal_png:
        c.drawImage(str(seal_png), Wp - 250, y - 10, width=120, height=120, mask="auto")
    c.showPage()
    c.save()


# ----------------------------------------------------------------------------------------------
# data model
# ----------------------------------------------------------------------------------------------
SEASON = {
    "chem": [0.96, 0.80, 1.01, 1.04, 1.05, 1.02, 0.97, 0.95, 1.03, 1.06, 1.05, 1.06],
    "power": [1.12, 0.95, 0.98, 0.90, 0.92, 1.02, 1.10, 1.12, 0.96, 0.93, 0.97, 1.13],
    "steel": [0.98, 0.88, 1.02, 1.03, 1.04, 1.00, 0.97, 0.98, 1.02, 1.04, 1.03, 1.01],
    "mine": [0.90, 0.72, 1.02, 1.06, 1.08, 1.02, 0.98, 1.00, 1.05, 1.08, 1.06, 1.03],
    "foundry": [0.97, 0.70, 1.00, 1.05, 1.06, 1.03, 0.99, 1.00, 1.04, 1.07, 1.05, 1.04],
}


def _split(total, weights, nd):
    s = sum(weights)
    vals = [q(D(total) * D(w) / D(s), nd) for w in weights[:-1]]
    vals.append(q(D(total) - sum(vals), nd))
    return vals


class Waste:
    def __init__(self, name, *, P, S0, Dp, product, O, k, price, O_unit="吨", R=0, nd=2, P24=None,
                 U24=None, R24=0, U23=None, source="", use="", disp="贮存", season="chem", seed="x",
                 cap=None):
        self.name = name
        self.nd = nd
        self.P, self.R, self.S0, self.Dp = q(P, nd), q(R, nd), q(S0, nd), q(Dp, nd)
        self.product, self.O, self.k, self.price, self.O_unit = product, D(O), D(k), D(price), O_unit
        self.U = q(self.O * self.k, nd)
        assert self.O * self.k == self.U, (name, self.O, self.k)
        self.S1 = self.S0 + self.P + self.R - self.U - self.Dp
        assert self.S1 >= 0, (name, self.S1)
        self.value = q(self.O * self.price / 10000, 2)            # 万元
        _no_tie(self.O * self.price / 10000, 2, name + " value")
        self.rate = pct(self.U, self.P + self.R)
        self.P24, self.U24, self.R24, self.U23 = P24, U24, R24, U23
        self.source, self.use, self.disp, self.cap = source, use, disp, cap
        rng = random.Random(f"{seed}:{name}")
        base = SEASON[season]
        wu = [b * (1 + rng.uniform(-0.04, 0.04)) for b in base]
        wp = [b * (1 + rng.uniform(-0.03, 0.03)) for b in base]
        wr = [b * (1 + rng.uniform(-0.10, 0.10)) for b in base]
        self.mU = _split(self.U, wu, nd)
        self.mP = _split(self.P, wp, nd)
        self.mR = _split(self.R, wr, nd) if self.R else [q(0, nd)] * 12
        self.mD = _split(self.Dp, wp, nd) if self.Dp else [q(0, nd)] * 12
        self.mO = _split(self.O, wu, 0 if self.O == self.O.to_integral_value() else 2)
        s = self.S0
        self.mS = []
        for i in range(12):
            s = s + self.mP[i] + self.mR[i] - self.mU[i] - self.mD[i]
            assert s >= 0, (name, i, s)
            self.mS.append(s)
        assert self.mS[-1] == self.S1
        assert sum(self.mU) == self.U and sum(self.mP) == self.P

    def n(self, x, sep=True):
        return fmt(x, self.nd, sep)

    @property
    def supply(self):
        return self.P + self.R


def total(ws, attr):
    return sum(getattr(w, attr) for w in ws)


AGENCIES = {
    "ct": dict(name="湖北楚天环科技术咨询有限公司", lead="马俊", lead_title="高级工程师", writer="汤敏",
               reviewer="郑浩然", prefix="CTHK-ZP", addr="武汉市洪山区珞喻路726号光谷国际大厦B座16层",
               tel="027-87652318"),
    "zk": dict(name="湖北中科绿源节能环保技术服务有限公司", lead="杜永强", lead_title="正高级工程师",
               writer="彭琳", reviewer="吴国栋", prefix="ZKLY-PJ", addr="武汉市东湖新技术开发区关山大道355号",
               tel="027-59716630"),
    "hq": dict(name="武汉华清环境工程评价有限公司", lead="胡立新", lead_title="高级工程师", writer="邓佳",
               reviewer="魏春林", prefix="WHHQ-GF", addr="武汉市武昌区中北路108号中商广场写字楼A座21层",
               tel="027-86785502"),
}


def company_A():
    ws = [
        Waste("磷石膏", P=1862380, S0=35620, Dp=640000, product="建筑石膏粉", O=970880, k="1.25", price=175,
              P24=D(1798300), U24=D(1086180), source="湿法磷酸装置副产", use="煅烧改性生产建筑石膏粉",
              disp="渣场规范堆存", season="chem", seed="A", cap="100万吨/年"),
        Waste("硫铁矿烧渣", P=236800, S0=6240, Dp=9800, product="铁精粉", O=152310, k="1.50", price=620,
              P24=D(241500), U24=D(226780), source="硫铁矿制酸装置焙烧工序", use="磁选生产铁精粉",
              disp="外委处置", season="chem", seed="A", cap="20万吨/年"),
    ]
    return dict(
        key="A", name="宜昌楚峰磷化工有限公司", short="楚峰磷化工", uscc=make_uscc("420505", "67370528"),
        address="湖北省宜昌市猇亭区云池路18号", post="443007", legal="覃建华", contact="向丽娟",
        mobile="13872561408", fax="0717-6512388", email="xianglj@cfphos.com.cn",
        nature="有限责任公司（自然人投资或控股）", capital="36000万元", founded_cn="2008年06月18日",
        registrar="宜昌市猇亭区市场监督管理局", license_date="2023年08月22日",
        scope_short="磷酸、磷肥、硫酸生产销售；建筑石膏粉、铁精粉生产销售",
        staff=(1286, 128, 214, 944), revenue=D("387215.60"), revenue24=D("362480.30"),
        profit=D("3215.48"), profit24=D("2886.12"), tax=D("5862.17"), tax24=D("5417.90"),
        relief=D("1126.35"), relief_kind="增值税即征即退", wastes=ws, agency="ct", city="宜昌市",
        area="猇亭区",
    )


def company_B():
    ws = [
        Waste("粉煤灰", P=486320, S0=12850, Dp=10900, product="商品粉煤灰（Ⅱ级）", O=472680, k="1", price=95,
              P24=D(478650), U24=D(461240), source="锅炉电除尘器收集", use="分选后作为混凝土掺合料外售", disp="灰场贮存", season="power",
              seed="B", cap="50万吨/年"),
        Waste("炉渣", P=61280, S0=2160, Dp=1500, product="炉渣混凝土空心砌块", O=199530, O_unit="立方米",
              k="0.30", price=210, P24=D(60120), U24=D(57960), source="锅炉排渣", use="破碎筛分后生产混凝土空心砌块", disp="灰场贮存",
              season="power", seed="B", cap="25万立方米/年"),
        Waste("脱硫石膏", P=93540, S0=3120, Dp=0, product="脱硫石膏粉（水泥缓凝剂）", O=91275, k="1", price=40,
              P24=D(91880), U24=D(88940), source="石灰石-石膏湿法烟气脱硫", use="脱水烘干后作水泥缓凝剂外售", season="power", seed="B",
              cap="10万吨/年"),
    ]
    return dict(
        key="B", name="襄阳汉能热电有限公司", short="汉能热电", uscc=make_uscc("420606", "72612459"),
        address="湖北省襄阳市樊城区汉江北路9号", post="441001", legal="王志刚", contact="陈晓东",
        mobile="15907108825", fax="0710-3326180", email="chenxd@xyhnrd.com",
        nature="其他有限责任公司", capital="82000万元", founded_cn="2001年03月06日",
        registrar="襄阳市市场监督管理局", license_date="2022年11月09日",
        scope_short="火力发电、热力生产和供应；粉煤灰、炉渣、石膏综合利用",
        staff=(612, 74, 156, 382), revenue=D("268540.70"), revenue24=D("259310.20"),
        profit=D("12563.80"), profit24=D("11902.45"), tax=D("9412.36"), tax24=D("9105.77"),
        relief=D("598.95"), relief_kind="环境保护税免征286.40、增值税即征即退312.55", wastes=ws,
        agency="zk", city="襄阳市", area="樊城区",
    )


def company_C():
    ws = [
        Waste("高炉渣", P=1286540, S0=8620, Dp=0, product="矿渣微粉（S95级）", O=1218900, k="1.05", price=248,
              nd=0, P24=D(1312460), U24=D(1301870), source="高炉炼铁冲渣（水渣）", use="立磨粉磨生产S95级矿渣微粉", season="steel", seed="C",
              cap="130万吨/年"),
        Waste("钢渣", P=412380, S0=21460, Dp=60000, product="钢渣粉", O=340000, k="1.05", price=165, nd=0,
              P24=D(421560), U24=D(352140), source="转炉炼钢", use="热焖、磁选后粉磨生产钢渣粉", disp="尾渣堆存", season="steel", seed="C",
              cap="40万吨/年"),
        Waste("含铁尘泥", P=48650, S0=1280, Dp=0, product="烧结配料（含铁原料）", O=47310, k="1", price=420,
              nd=0, P24=D(49820), U24=D(48010), source="高炉、转炉除尘及污泥", use="配料后返回烧结工序", season="steel", seed="C",
              cap="6万吨/年"),
    ]
    return dict(
        key="C", name="鄂州鑫华特钢有限公司", short="鑫华特钢", uscc=make_uscc("420703", "MA49F3RL"),
        address="湖北省鄂州市华容区临江乡钢铁大道1号", post="436030", legal="周国平", contact="黄敏",
        mobile="13907119632", fax="0711-3358026", email="huangmin@ezxhtg.com",
        nature="有限责任公司（非自然人投资或控股的法人独资）", capital="150000万元",
        founded_cn="2016年04月12日", registrar="鄂州市市场监督管理局", license_date="2024年01月15日",
        scope_short="钢铁冶炼、钢材轧制；矿渣微粉、钢渣粉生产销售",
        staff=(3450, 286, 512, 2652), revenue=D("1865320.00"), revenue24=D("1928450.00"),
        profit=D("4862.35"), profit24=D("7215.60"), tax=D("18236.90"), tax24=D("19102.34"),
        relief=D("2136.48"), relief_kind="增值税即征即退", wastes=ws, agency="ct", city="鄂州市",
        area="华容区",
    )


def company_D():
    ws = [
        Waste("铜冶炼渣", P=1068240, S0=46380, Dp=0, product="渣选铜精矿", O=42120, k="24.30", price=9800,
              P24=D(1032560), U24=D(986240), source="闪速熔炼及转炉吹炼炉渣", use="缓冷、破碎磨矿、浮选回收铜",
              season="steel", seed="D", cap="5万吨/年（精矿）"),
        Waste("脱硫石膏", P=70260, S0=1850, Dp=0, product="石膏（水泥缓凝剂）", O=68470, k="1", price=42,
              P24=D(67900), U24=D(64380), source="冶炼烟气脱硫", use="脱水后作水泥缓凝剂外售",
              season="steel", seed="D", cap="8万吨/年"),
    ]
    return dict(
        key="D", name="黄石鑫源铜业有限公司", short="鑫源铜业", uscc=make_uscc("420203", "75701943"),
        address="湖北省黄石市西塞山区冶炼路36号", post="435001", legal="柯文斌", contact="石慧",
        mobile="13886287415", fax="0714-6452219", email="shihui@hsxycy.cn",
        nature="有限责任公司（国有控股）", capital="120000万元", founded_cn="2003年09月26日",
        registrar="黄石市市场监督管理局", license_date="2023年05月30日",
        scope_short="铜冶炼及铜材加工；硫酸生产销售；冶炼渣综合利用",
        staff=(2186, 215, 398, 1573), revenue=D("1436820.50"), revenue24=D("1352760.40"),
        profit=D("4800.60"), profit24=D("5486.40"), tax=D("12645.30"), tax24=D("11980.10"),
        relief=D("1865.20"), relief_kind="增值税即征即退", wastes=ws, agency="hq", city="黄石市",
        area="西塞山区",
    )


def company_E():
    ws = [
        Waste("铁尾矿", P=1652380, S0=12600, Dp=500000, product="机制砂（尾矿砂）", O=1138460, k="1", price=45,
              nd=0, P24=D(1598720), U24=D(984630), source="选矿厂磁选尾矿", use="浓缩脱水、筛分生产机制砂",
              disp="排入尾矿库", season="mine", seed="E", cap="150万吨/年"),
        Waste("废石", P=684500, S0=35000, Dp=80000, product="建筑用碎石骨料", O=622870, k="1", price=38, nd=0,
              P24=D(652300), U24=D(566400), source="井下采掘及掘进", use="破碎筛分生产建筑碎石",
              disp="排土场堆存", season="mine", seed="E", cap="80万吨/年"),
    ]
    return dict(
        key="E", name="湖北金山店矿业有限公司", short="金山店矿业", uscc=make_uscc("420281", "MA4CXK2N"),
        address="湖北省黄石市大冶市金山店镇矿山路1号", post="435115", legal="陈绍军", contact="余建新",
        mobile="18972014736", fax="0714-8712605", email="yujx@jsdky.com.cn",
        nature="有限责任公司（自然人投资或控股）", capital="28000万元", founded_cn="2012年07月03日",
        registrar="大冶市市场监督管理局", license_date="2022年06月14日",
        scope_short="铁矿开采、选矿；机制砂、碎石生产销售",
        staff=(826, 62, 118, 646), revenue=D("58630.40"), revenue24=D("54210.80"),
        profit=D("2365.42"), profit24=D("1986.50"), tax=D("3120.65"), tax24=D("2874.30"),
        relief=D("412.80"), relief_kind="增值税即征即退", wastes=ws, agency="zk", city="黄石市",
        area="大冶市",
    )


def company_F():
    ws = [
        Waste("废铸造砂", P=38650, R=12400, S0=2350, Dp=0, product="再生铸造砂", O=44200, k="1.10", price=260,
              nd=0, P24=D(35920), R24=D(9800), U24=D(43460), U23=D(39580), source="造型、制芯及落砂工序",
              use="热法再生后回用于造型", season="foundry", seed="F", cap="5万吨/年"),
        Waste("熔炼炉渣", P=5840, S0=320, Dp=0, product="免烧砖", O=14050, k="0.40", price=120, nd=0,
              P24=D(5460), U24=D(5180), U23=D(4720), source="中频感应电炉熔炼", use="破碎后作免烧砖骨料",
              season="foundry", seed="F", cap="2万吨/年"),
    ]
    return dict(
        key="F", name="十堰鑫达精密铸造有限公司", short="鑫达铸造", uscc=make_uscc("420303", "MA48QW1E"),
        address="湖北省十堰市张湾区工业新区龙门路52号", post="442001", legal="杨振宇", contact="刘红梅",
        mobile="13986971234", fax="0719-8265130", email="liuhm@sydxzz.com",
        nature="有限责任公司（自然人投资或控股）", capital="8600万元", founded_cn="2010年10月20日",
        registrar="十堰市张湾区市场监督管理局", license_date="2023年03月02日",
        scope_short="汽车零部件铸件生产销售；再生铸造砂、免烧砖生产销售",
        staff=(468, 36, 72, 360), revenue=D("32580.60"), revenue24=D("29870.30"),
        profit=D("865.30"), profit24=D("742.16"), tax=D("1046.28"), tax24=D("958.40"),
        relief=D("86.45"), relief_kind="增值税即征即退", wastes=ws, agency="hq", city="十堰市",
        area="张湾区",
        suppliers=[("十堰华达铸造有限公司", 5200), ("十堰市东川机械铸造厂", 4300), ("湖北恒力缸套有限公司", 2900)],
    )


def derive(co):
    ws = co["wastes"]
    co["value"] = sum(w.value for w in ws)
    co["U"] = total(ws, "U")
    co["P"] = total(ws, "P")
    co["R"] = total(ws, "R")
    co["rate"] = pct(co["U"], co["P"] + co["R"])
    co["ag"] = AGENCIES[co["agency"]]
    st = co["staff"]
    assert st[0] == st[1] + st[2] + st[3]
    return co


# ----------------------------------------------------------------------------------------------
# company texts (process, equipment, systems …)
# ----------------------------------------------------------------------------------------------
def texts(co):
    k = co["key"]
    ws = co["wastes"]
    if k == "A":
        co.update(
            intro=("公司位于宜昌市猇亭区化工园区内，是以磷矿石、硫铁矿为主要原料，从事湿法磷酸、磷酸一铵、磷酸二铵、"
                   "工业硫酸生产，并配套建设磷石膏、硫铁矿烧渣综合利用装置的磷化工企业。"),
            scope=("磷酸、磷酸一铵、磷酸二铵、工业硫酸生产销售（危险化学品按许可证核定范围经营）；建筑石膏粉、石膏制品、"
                   "铁精粉生产销售；货物进出口。"),
            assets="42.65亿元",
            lines="40万吨/年磷酸一铵、30万吨/年磷酸二铵、80万吨/年硫铁矿制酸装置，以及100万吨/年建筑石膏粉、20万吨/年铁精粉综合利用生产线",
            process={
                "磷石膏": ("磷石膏经皮带输送至预处理车间，采用“水洗—石灰中和—陈化”工艺去除可溶磷、氟等杂质，经沸腾煅烧炉在"
                         "150～170℃下脱水生成β型半水石膏，再经改性、粉磨、均化后制得建筑石膏粉，产品执行GB/T 9776-2022《建筑石膏》。"),
                "硫铁矿烧渣": "硫铁矿烧渣经增湿、筛分后进入两段弱磁—强磁选别，精矿经过滤脱水制得TFe≥60%的铁精粉，外售钢铁企业。",
            },
            equip=[["沸腾煅烧炉", "FSL-50", "2台", "磷石膏煅烧"], ["水洗中和槽", "Φ8m×6m", "4台", "磷石膏预处理"],
                   ["立式磨", "LGM2800", "2台", "石膏粉磨"], ["永磁筒式磁选机", "CTB-1230", "6台", "烧渣选别"],
                   ["汽车衡", "SCS-120", "4台", "进出厂计量"], ["电子皮带秤", "ICS-17A", "6台", "入炉计量"]],
            flow=("磷石膏综合利用生产工艺流程图", ["磷石膏（湿法磷酸副产）", "水洗、石灰中和预处理", "陈化（48h）",
                                     "沸腾煅烧（150～170℃）", "改性、粉磨、均化", "建筑石膏粉包装入库"],
                  {1: "洗水回用磷酸装置", 3: "尾气布袋除尘"}),
            standards=["GB/T 9776-2022《建筑石膏》", "GB/T 23456-2018《磷石膏》"],
            iso=("04425Q10892R2M", "04425E10235R1M"),
        )
    elif k == "B":
        co.update(
            intro=("公司为2×350MW超临界燃煤热电联产企业，承担襄阳市樊城区及高新区工业园区集中供热任务，配套建设粉煤灰"
                   "分选、炉渣砌块和脱硫石膏烘干生产线。"),
            scope="火力发电、热力生产和供应；粉煤灰、炉渣、脱硫石膏综合利用产品生产销售；热网管道维护。",
            assets="56.80亿元",
            lines="2×350MW超临界燃煤热电联产机组及配套粉煤灰分选、炉渣砌块、脱硫石膏烘干生产线",
            process={
                "粉煤灰": "电除尘器收集的干灰经气力输送进入原灰库，经涡流分级机分选得到Ⅱ级粉煤灰，散装外售商品混凝土企业。",
                "炉渣": "锅炉底渣经捞渣机、斗提机输送至渣仓，经破碎、筛分后与水泥、粉煤灰按配比搅拌，振动成型、蒸汽养护制得混凝土空心砌块。",
                "脱硫石膏": "石灰石—石膏湿法脱硫产生的石膏浆液经真空皮带脱水机脱水至含水率≤10%，经烘干后作为水泥缓凝剂外售。",
            },
            equip=[["涡流分级机", "FJX-30", "2套", "粉煤灰分选"], ["砌块成型机", "QT10-15", "2台", "砌块生产"],
                   ["真空皮带脱水机", "DU-40", "2台", "石膏脱水"], ["汽车衡", "SCS-100", "3台", "出厂计量"],
                   ["散装机计量系统", "SZJ-200", "4套", "装车计量"]],
            flow=("粉煤灰、炉渣综合利用生产工艺流程图", ["锅炉燃烧", "电除尘器收集干灰 / 捞渣机排渣", "原灰库 / 渣仓",
                                        "分级分选 / 破碎筛分", "Ⅱ级粉煤灰 / 砌块配料成型", "计量出厂 / 蒸养入库"],
                  {1: "脱硫系统→脱硫石膏", 4: "混凝土搅拌站"}),
            standards=["GB/T 1596-2017《用于水泥和混凝土中的粉煤灰》", "GB/T 8239-2014《普通混凝土小型砌块》",
                       "GB/T 37785-2019《烟气脱硫石膏》"],
            iso=("00124Q31126R3M", "00124E30877R3M"),
        )
    elif k == "C":
        co.update(
            intro="公司为钢铁联合企业，拥有烧结、炼铁、炼钢、轧钢全流程生产装备，配套建设矿渣微粉、钢渣粉综合利用生产线。",
            scope="钢铁冶炼；钢压延加工；矿渣微粉、钢渣粉、建筑材料生产销售；货物进出口。",
            assets="245.30亿元",
            lines="2座1780m³高炉、2座120t转炉及配套130万吨/年矿渣微粉、40万吨/年钢渣粉生产线",
            process={
                "高炉渣": "高炉熔渣经INBA法水淬成水渣，经皮带送至矿渣微粉车间，采用立磨一次粉磨工艺生产比表面积≥420m²/kg的S95级矿渣微粉。",
                "钢渣": "转炉钢渣经辊压破碎—有压热焖处理，磁选回收渣钢后，尾渣经球磨粉磨生产钢渣粉。",
                "含铁尘泥": "高炉瓦斯灰、转炉OG泥等含铁尘泥经脱水、配料后返回烧结工序作为含铁原料使用。",
            },
            equip=[["矿渣立磨", "HRM4800S", "2台", "矿渣粉磨"], ["有压热焖罐", "Φ5.2m", "8座", "钢渣热焖"],
                   ["钢渣球磨机", "Φ4.2×13m", "2台", "钢渣粉磨"], ["汽车衡", "SCS-150", "5台", "进出厂计量"],
                   ["电子皮带秤", "ICS-ST", "12台", "工序计量"]],
            flow=("高炉渣、钢渣综合利用生产工艺流程图", ["高炉熔渣 / 转炉钢渣", "INBA水淬 / 辊压破碎、有压热焖",
                                        "水渣脱水 / 磁选回收渣钢", "立磨粉磨 / 球磨粉磨", "选粉、收尘",
                                        "S95矿渣微粉 / 钢渣粉入库"], {2: "渣钢返炼钢"}),
            standards=["GB/T 18046-2017《用于水泥、砂浆和混凝土中的粒化高炉矿渣粉》",
                       "GB/T 20491-2017《用于水泥和混凝土中的钢渣粉》"],
            iso=("01824Q20561R2L", "01824E20337R2L"),
        )
    elif k == "D":
        co.update(
            intro="公司为铜冶炼企业，采用闪速熔炼—转炉吹炼—阳极精炼工艺，配套建设冶炼渣选矿厂和烟气制酸、脱硫系统。",
            scope="铜冶炼、铜材加工；硫酸生产销售；冶炼渣选矿产品生产销售；有色金属贸易。",
            assets="168.40亿元",
            lines="40万吨/年阴极铜冶炼系统及配套300万吨/年冶炼渣选矿厂",
            process={
                "铜冶炼渣": "闪速炉渣和转炉渣经渣包缓冷（≥48h）后，经颚式破碎、半自耗磨—球磨两段磨矿，浮选回收铜得到渣选铜精矿，返回熔炼配料。",
                "脱硫石膏": "冶炼烟气制酸尾气采用石灰石—石膏法脱硫，石膏浆液经旋流、真空脱水后外售水泥企业作缓凝剂。",
            },
            equip=[["半自磨机", "Φ7.53×3.8m", "1台", "渣选磨矿"], ["溢流型球磨机", "Φ5.5×8.5m", "2台", "渣选磨矿"],
                   ["浮选机", "KYF-40", "28台", "渣选浮选"], ["汽车衡", "SCS-100", "4台", "出厂计量"],
                   ["核子皮带秤", "HCS-4", "3台", "入磨计量"]],
            flow=("铜冶炼渣选矿工艺流程图", ["闪速炉渣、转炉渣", "渣包缓冷（≥48h）", "颚式破碎", "半自磨—球磨两段磨矿",
                                  "粗选—扫选—精选浮选", "渣选铜精矿（返熔炼）"], {4: "渣尾矿外售水泥厂"}),
            standards=["YS/T 318-2007《铜精矿》", "GB/T 37785-2019《烟气脱硫石膏》"],
            iso=("06423Q11874R1L", "06423E11532R1L"),
        )
    elif k == "E":
        co.update(
            intro="公司为地下开采铁矿山企业，配套建设选矿厂，并建成尾矿制机制砂、废石制建筑碎石的综合利用生产线。",
            scope="铁矿石开采、选矿；铁精粉销售；机制砂、建筑碎石生产销售。",
            assets="21.36亿元",
            lines="120万吨/年地下开采系统、选矿厂及配套150万吨/年尾矿机制砂、80万吨/年废石碎石生产线",
            process={
                "铁尾矿": "选矿厂磁选尾矿经高效浓缩机浓缩、旋流分级，粗粒级经直线振动筛脱水得到机制砂，细粒级经压滤后干排至尾矿库。",
                "废石": "井下掘进废石经箕斗提升至地表，经颚破—圆锥破两段破碎、振动筛分得到5～31.5mm建筑碎石骨料。",
            },
            equip=[["高效浓缩机", "NXZ-30", "2台", "尾矿浓缩"], ["直线脱水筛", "ZKX2460", "4台", "机制砂脱水"],
                   ["颚式破碎机", "PE900×1200", "1台", "废石粗碎"], ["圆锥破碎机", "HP400", "2台", "废石中碎"],
                   ["汽车衡", "SCS-120", "3台", "出厂计量"]],
            flow=("尾矿、废石综合利用生产工艺流程图", ["选矿尾矿 / 井下废石", "浓缩分级 / 颚式破碎", "脱水筛分 / 圆锥破碎",
                                        "机制砂 / 振动筛分", "计量出厂"], {1: "溢流水回选矿厂"}),
            standards=["GB/T 14684-2022《建设用砂》", "GB/T 14685-2022《建设用卵石、碎石》"],
            iso=("15024Q20118R0S", "15024E20097R0S"),
        )
    else:  # F
        co.update(
            intro="公司为汽车零部件铸件生产企业，主要生产发动机缸体、缸盖等灰铁、球铁铸件，配套建设废砂热法再生和熔炼炉渣制砖生产线。",
            scope="汽车零部件铸件生产销售；再生铸造砂、免烧砖生产销售；铸造技术服务。",
            assets="6.82亿元",
            lines="8万吨/年汽车铸件生产线及配套5万吨/年废砂热法再生线、2万吨/年免烧砖生产线",
            process={
                "废铸造砂": "自产及接收的废铸造砂经破碎、磁选除铁后进入沸腾焙烧炉（650～750℃）焙烧去除树脂膜，经冷却、筛分得到再生砂，回用于制芯、造型。",
                "熔炼炉渣": "中频炉熔炼渣经冷却、破碎、磁选回收铁珠后，与水泥、石屑按比例混合，经液压成型、自然养护制得免烧砖。",
            },
            equip=[["沸腾焙烧炉", "RZL-10", "1台", "废砂热法再生"], ["振动破碎机", "ZP-20", "2台", "废砂破碎"],
                   ["砖机", "QT6-15", "1台", "免烧砖成型"], ["汽车衡", "SCS-50", "2台", "进出厂计量"]],
            flow=("废铸造砂热法再生工艺流程图", ["自产废砂 / 接收外单位废砂", "破碎、磁选除铁", "沸腾焙烧（650～750℃）",
                                    "冷却、筛分", "再生砂回用于制芯造型"], {2: "烟气经布袋除尘"}),
            standards=["GB/T 9442-2010《铸造用硅砂》", "JC/T 422-2007《非烧结垃圾尾矿砖》"],
            iso=("22025Q30417R1M", "22025E30258R1M"),
        )
    return co


# ----------------------------------------------------------------------------------------------
# the 评价报告 (附件2 大纲 一…七), written section by section into a python-docx Document
# ----------------------------------------------------------------------------------------------
CN_SEQ = "一二三四五六七八九十"


class RW:
    """Report writer: headings in the package's own style, tables in its own border style."""

    def __init__(self, doc, cfg):
        self.doc, self.cfg = doc, cfg
        self.sec = 0
        self.subn = 0
        self.tno = 0
        self.fno = 0

    def h1(self, no, text):
        self.sec, self.subn, self.tno, self.fno = no, 0, 0, 0
        mode = self.cfg["hmode"]
        if mode == "word":
            self.doc.add_heading(text, level=1)
        elif mode == "bold_center":
            para(self.doc, text, bold=True, size=15, align="center", font="黑体", space_after=8)
        else:
            para(self.doc, text, bold=True, size=14, indent=False, font="黑体", space_after=6)

    def h2(self, text):
        self.subn += 1
        st = self.cfg["sub"]
        if st == "dec":
            label = f"{self.sec}.{self.subn} {text}"
        elif st == "cn_dun":
            label = f"{CN_SEQ[self.subn - 1]}、{text}"
        else:
            label = f"（{CN_SEQ[self.subn - 1]}）{text}"
        if self.cfg["hmode"] == "word":
            self.doc.add_heading(label, level=2)
        else:
            para(self.doc, label, bold=True, size=12, indent=self.cfg["hmode"] != "bold_center", space_after=4)

    def p(self, text):
        para(self.doc, text)

    def caption(self, text):
        para(self.doc, text, align="center", bold=True, size=10.5, space_after=2)

    def table_no(self):
        self.tno += 1
        return f"表{self.sec}-{self.tno}"

    def table(self, rows, **kw):
        kw.setdefault("style", self.cfg["tstyle"])
        t = add_table(self.doc, rows, **kw)
        para(self.doc, "", space_after=2)
        return t


def unit_word(cfg):
    return "万吨" if cfg["unit"] == "wan" else "吨"


def nv(cfg, w_or_nd, x):
    """a tonnage in the report's unit"""
    nd = w_or_nd.nd if hasattr(w_or_nd, "nd") else w_or_nd
    if cfg["unit"] == "wan":
        return wan(x)
    return fmt(x, nd)


def neg(cfg, x, nd):
    x = D(x)
    if x < 0 and cfg.get("neg") == "paren":
        return f"({fmt(-x, nd)})"
    return fmt(x, nd)


def write_report(doc, co, cfg):
    ws, ag, nd = co["wastes"], co["ag"], co["wastes"][0].nd
    narr = cfg.get("narr", {})
    titles = cfg["titles"]
    uw = unit_word(cfg)
    rw = RW(doc, cfg)
    U_ = lambda w, x: nv(cfg, w, x) + uw  # noqa: E731

    def hook(name):
        for t in narr.get(name, []):
            rw.p(t)

    # 一 评价概述 ---------------------------------------------------------------------------
    secno = cfg.get("secno", {})

    def H1(k):
        rw.h1(secno.get(k, k), titles[k])

    if titles.get(1):
        H1(1)
        rw.h2("评价目的")
        rw.p(f"受{co['name']}（以下简称“{co['short']}”或“企业”）委托，{ag['name']}依据《湖北省工业固体废物资源综合利用评价管理实施细则》，"
             f"对企业{YEAR}年度工业固体废物资源综合利用情况开展评价，核定企业综合利用工业固体废物的种类和数量，判定综合利用技术条件和要求的符合性，"
             "为企业申请暂予免征环境保护税及享受资源综合利用增值税、所得税等优惠政策提供依据。")
        rw.h2("评价依据")
        basis = ["《中华人民共和国固体废物污染环境防治法》（2020年修订）", "《中华人民共和国环境保护税法》",
                 "《工业固体废物资源综合利用评价管理暂行办法》（工业和信息化部公告2018年第26号）",
                 "《国家工业固体废物资源综合利用产品目录》（工业和信息化部公告2018年第26号附件）",
                 "《湖北省工业固体废物资源综合利用评价管理实施细则》",
                 "《资源综合利用产品和劳务增值税优惠目录（2022年版）》",
                 "GB 18599-2020《一般工业固体废物贮存和填埋污染控制标准》"] + co["standards"] + \
                ["企业提供的营业执照、生产统计报表、固体废物出入库台账、产品检测报告等资料"]
        for i, b in enumerate(basis, 1):
            para(doc, f"（{i}）{b}；" if i < len(basis) else f"（{i}）{b}。")
        rw.h2("评价范围")
        rw.p(f"本次评价范围为{co['name']}位于{co['address']}的{co['lines']}。评价对象为企业评价期内自身产生"
             f"{'及接收' if any(w.R for w in ws) else ''}的"
             f"{'、'.join(w.name for w in ws)}等一般工业固体废物（不含危险废物）的综合利用情况。")
        rw.h2("评价期")
        rw.p(f"本次评价期为{cfg['period_text']}。")
        hook("sec1_period")
        rw.h2("评价程序与方法")
        rw.p("评价工作分为资料收集与审查、现场核查、数据核算和报告编制四个阶段。评价组查阅了企业生产日报、月报、固废出入库台账、"
             "地磅单、销售发票及财务报表，现场核查了固体废物产生、贮存、利用设施和计量器具，采用物料衡算法核定综合利用量。")
        rw.h2("对评价报告真实性的承诺")
        rw.p(f"{ag['name']}承诺：本报告所引用的数据均来源于企业提供并经现场核查的生产统计资料，评价过程独立、客观、公正，"
             "本机构对评价报告的真实性和准确性负责，并承担相应责任，接受主管部门监督。")

    # 二 企业基本情况 -------------------------------------------------------------------------
    if titles.get(2):
        H1(2)
        rw.h2("企业简介")
        rw.p(f"{co['name']}成立于{co['founded_cn'].replace('年0', '年').replace('月0', '月')}，注册资本{co['capital']}，"
             f"统一社会信用代码{co['uscc']}，法定代表人{co['legal']}。{co['intro']}")
        rw.h2("企业性质及所在地")
        rw.p(f"企业类型为{co['nature']}，注册地址及生产经营地址均为{co['address']}（邮编{co['post']}），"
             f"隶属{co['city']}{co['area']}。")
        rw.h2("主要经营范围")
        rw.p(f"经营范围：{co['scope']}")
        rw.h2("从业人数及构成")
        st = co["staff"]
        rw.p(f"截至{YEAR}年12月31日，企业从业人员{st[0]:,}人，其中管理人员{st[1]}人、专业技术人员{st[2]}人、生产及辅助人员{st[3]:,}人。")
        rw.h2("企业规模")
        rw.p(f"企业资产总额{co['assets']}，主要生产装置包括{co['lines']}。")
        hook("sec2_end")

    # 三 企业生产及经营 -----------------------------------------------------------------------
    if titles.get(3):
        H1(3)
        rw.h2("主要综合利用产品生产能力及产量")
        cap = rw.table_no()
        rw.caption(f"{cap} {YEAR}年主要固体废物综合利用产品生产情况")
        rows = [["序号", "产品名称", "设计产能", "利用的固体废物", f"{YEAR}年实际产量", "产值（万元）"]]
        for i, w in enumerate(ws, 1):
            out = fmt(w.O, 0) + w.O_unit
            rows.append([str(i), w.product, w.cap, w.name, out, fmt(w.value)])
        rows.append(["合计", None, "—", "—", "—", fmt(co["value"])])
        rw.table(rows, merges=[(len(rows) - 1, 0, len(rows) - 1, 1)], size=10, widths=[1.2, 3.6, 2.6, 2.4, 3.4, 2.6])
        rw.h2("原料来源")
        for w in ws:
            src = w.source
            if w.R:
                src += f"，另接收十堰市域内铸造企业废砂{fmt(w.R, w.nd)}吨"
            rw.p(f"{w.name}：来源于{src}，经厂内皮带或汽车转运至综合利用车间。")
        rw.h2("产值、利润及纳税情况")
        rw.p(f"{YEAR}年企业实现营业收入{fmt(co['revenue'])}万元，其中综合利用产品产值{fmt(co['value'])}万元；"
             f"利润总额{fmt(co['profit'])}万元，缴纳各项税费{fmt(co['tax'])}万元，享受资源综合利用税收优惠（{co['relief_kind']}）"
             f"合计{fmt(co['relief'])}万元。")
        hook("sec3_end")

    # 四 企业工艺技术 -------------------------------------------------------------------------
    if titles.get(4):
        H1(4)
        rw.h2("核心工艺技术")
        for w in ws:
            rw.p(f"{w.name}综合利用：{co['process'][w.name]}")
        rw.h2("主要生产设备")
        cap = rw.table_no()
        rw.caption(f"{cap} 主要生产及计量设备一览表")
        rows = [["序号", "设备名称", "型号规格", "数量", "用途"]]
        for i, e in enumerate(co["equip"], 1):
            rows.append([str(i)] + e)
        rw.table(rows, size=10)
        rw.h2("技术水平")
        rw.p("企业综合利用工艺成熟可靠，主要设备均为国内先进水平，未使用《产业结构调整指导目录（2024年本）》中的淘汰类工艺和设备，"
             "综合利用产品属于《国家工业固体废物资源综合利用产品目录》所列产品，符合国家产业政策和技术规范要求。")
        if "flow" not in cfg.get("omit", ()):
            rw.h2("生产工艺流程图")
            rw.fno += 1
            add_picture(doc, cfg["flow_png"], 14.5, caption=f"图{rw.sec}-{rw.fno} {co['flow'][0]}")
        hook("sec4_end")

    # 五 企业体系建设 -------------------------------------------------------------------------
    if titles.get(5):
        H1(5)
        rw.h2("计量统计体系建设情况")
        rw.p("企业设有计量管理部门，配备专职计量员，进出厂固体废物及产品均经汽车衡计量，入炉（入磨）物料经皮带秤计量，计量器具按期送"
             f"{co['city']}计量检定测试所检定，检定合格率100%。企业建立了固体废物产生、贮存、利用台账和产品生产、出库、销售台账，"
             "实行日统计、月盘存制度，统计数据可满足综合利用量核算要求。")
        rw.h2("产品质量控制情况")
        rw.p(f"企业建立了ISO 9001质量管理体系（证书编号{co['iso'][0]}），综合利用产品执行{'、'.join(co['standards'])}，"
             "化验室按批次检测产品质量，并委托第三方检测机构进行型式检验，检验结果均符合标准要求。")
        rw.h2("环境管理体系建设情况")
        rw.p(f"企业通过ISO 14001环境管理体系认证（证书编号{co['iso'][1]}），取得排污许可证（编号{co['uscc']}001P），"
             "固体废物贮存场所按GB 18599-2020要求采取防渗、防扬散措施，评价期内未发生环境污染事件。")
        hook("sec5_end")

    # 六 固体废物综合利用情况 -----------------------------------------------------------------
    if titles.get(6):
        H1(6)
        rw.h2(cfg.get("sec6_sub1", "工业固体废物产生及综合利用总体情况"))
        hook("sec6_overview")
        cap = rw.table_no()
        rw.caption(f"{cap} {YEAR}年工业固体废物产生及综合利用情况")
        ucol = cfg.get("unit_col")
        if ucol:   # a 计量单位 column, mixed units, no total row
            hdr = cfg.get("summary_hdr", ["产生量", "接收量", "综合利用量"])
            rows = [["序号", "固体废物种类", "产生环节", "计量单位"] + hdr + ["综合利用率（%）", "利用方式"]]
            for i, w in enumerate(ws, 1):
                u = ucol[w.name]
                f = (lambda x: wan(x)) if u in ("万吨", "万t", "10⁴t") else (lambda x, w=w: fmt(x, w.nd))
                rows.append([str(i), w.name, w.source, u, f(w.P), f(w.R), f(w.U), fmt(w.rate), w.use])
            rw.table(rows, size=9, align_left_cols=(2, 8), widths=[0.9, 1.7, 2.4, 1.2, 1.9, 1.3, 1.9, 1.5, 2.6])
        else:
            hu = f"（{uw}）"
            rows = [["序号", "固体废物种类", "产生环节", "产生量" + hu, "接收量" + hu, "综合利用量" + hu, "综合利用率（%）",
                     "利用方式"]]
            for i, w in enumerate(ws, 1):
                rows.append([str(i), cfg.get("waste_label", lambda w, i: w.name)(w, i), w.source, nv(cfg, w, w.P),
                             nv(cfg, w, w.R), nv(cfg, w, w.U), fmt(w.rate), w.use])
            rows.append(["合计", None, "—", nv(cfg, nd, co["P"]), nv(cfg, nd, co["R"]), nv(cfg, nd, co["U"]),
                         fmt(co["rate"]), "—"])
            rw.table(rows, merges=[(len(rows) - 1, 0, len(rows) - 1, 1)], size=9, align_left_cols=(2, 7),
                     widths=[0.9, 1.9, 2.5, 2.3, 1.6, 2.3, 1.6, 2.8])
        hook("sec6_after_summary")

        if "monthly" not in cfg.get("omit", ()):
            rw.h2(cfg.get("sec6_sub2", "企业自身产生的工业固体废物每月分种类综合利用量"))
            hook("sec6_monthly")
            write_monthly(rw, co, cfg)
        rw.h2(cfg.get("sec6_sub3", "企业接收的工业固体废物分种类综合利用量"))
        recv = [w for w in ws if w.R]
        if not recv:
            rw.p("评价期内企业未接收外单位产生的工业固体废物，接收量为0，无接收固体废物综合利用量。")
        else:
            hook("sec6_recv")
            cap = rw.table_no()
            rw.caption(f"{cap} {YEAR}年接收外单位工业固体废物及综合利用情况")
            rows = [["序号", "来源单位", "固体废物种类", "接收量（吨）", "综合利用量（吨）"]]
            for i, (sup, amt) in enumerate(co["suppliers"], 1):
                rows.append([str(i), sup, recv[0].name, fmt(amt, 0), fmt(amt, 0)])
            rows.append(["合计", None, "—", fmt(recv[0].R, 0), fmt(recv[0].R, 0)])
            rw.table(rows, merges=[(len(rows) - 1, 0, len(rows) - 1, 1)], size=10)
        rw.h2(cfg.get("sec6_sub4", "物料衡算过程"))
        hook("sec6_balance")
        if "balance" not in cfg.get("omit", ()):
            cap = rw.table_no()
            rw.caption(f"{cap} {YEAR}年工业固体废物物料衡算表（单位：{uw}）")
            rows = [["固体废物种类", "期初库存", "产生量", "接收量", "综合利用量", w_disp_header(ws), "期末库存", "库存变化"]]
            for w in ws:
                if cfg["unit"] == "wan":
                    vals = [wan(x) for x in (w.S0, w.P, w.R, w.U, w.Dp, w.S1)]
                    dv = D(wan(w.S1)) - D(wan(w.S0))
                    delta = neg(cfg, dv, 2)
                else:
                    vals = [fmt(x, w.nd) for x in (w.S0, w.P, w.R, w.U, w.Dp, w.S1)]
                    delta = neg(cfg, w.S1 - w.S0, w.nd)
                rows.append([w.name] + vals + [delta])
            rw.table(rows, size=8, widths=[1.8, 2.0, 2.2, 1.5, 2.2, 2.0, 2.0, 1.9])
            u = uw
            for i, w in enumerate(ws, 1):
                f = (lambda x: wan(x)) if cfg["unit"] == "wan" else (lambda x, w=w: fmt(x, w.nd))
                eq = (f"期初库存{f(w.S0)}{u}＋产生量{f(w.P)}{u}" + (f"＋接收量{f(w.R)}{u}" if w.R else "") +
                      f"－综合利用量{f(w.U)}{u}" + (f"－{w.disp}{f(w.Dp)}{u}" if w.Dp else "") +
                      f"＝期末库存{f(w.S1)}{u}")
                if cfg["unit"] == "wan":
                    eq = eq.replace("＝", "≈")  # rounded to 0.01万吨
                rw.p(f"（{i}）{w.name}：{eq}，与企业年末盘存记录一致，物料平衡。综合利用量按产品产量复核："
                     f"{w.product}产量{fmt(w.O, 0)}{w.O_unit}×单位产品消耗{w.name}{w.k}吨/{w.O_unit.replace('立方米', 'm³')}"
                     f"＝{fmt(w.U, w.nd)}吨，与{w.name}出库台账记录相符。")
        hook("sec6_end")

    # 七 结论 ---------------------------------------------------------------------------------
    if titles.get(7):
        H1(7)
        rw.h2("评价结论")
        if "conclusion" in cfg:
            rw.p(cfg["conclusion"])
        else:
            parts = "、".join(f"{w.name}{U_(w, w.U)}" for w in ws)
            rw.p(f"经评价，{co['name']}综合利用的{'、'.join(w.name for w in ws)}属于《国家工业固体废物资源综合利用产品目录》所列工业固体废物，"
                 f"综合利用产品{'、'.join(w.product for w in ws)}符合目录及相关产品标准要求；企业生产工艺、技术符合产业政策和技术规范，"
                 f"已建立质量管理体系和环境管理体系，物质计量统计体系能够满足综合利用量核算要求。核定企业{YEAR}年度综合利用工业固体废物"
                 f"{parts}，综合利用产值{fmt(co['value'])}万元。")
        hook("sec7_conclusion")
        rw.h2("存在问题")
        rw.p("（1）部分固体废物贮存场所顶棚及导流设施需进一步完善；（2）固废台账与财务出库单据的核对频次偏低，个别月份存在补记情况。")
        rw.h2("建议")
        rw.p("（1）进一步拓展综合利用产品市场，提高综合利用率；（2）完善固体废物信息化台账，实现计量数据自动采集；"
             "（3）加强综合利用产品质量检测，确保产品持续符合标准要求。")
        hook("sec7_end")

    # signature -----------------------------------------------------------------------------
    para(doc, "", space_after=10)
    for line in (f"评价机构（盖章）：{ag['name']}", f"项目负责人：{ag['lead']}（{ag['lead_title']}）",
                 f"报告编写：{ag['writer']}　　审核：{ag['reviewer']}", f"报告日期：{cfg['report_date']}"):
        para(doc, line, align="right", space_after=2)
    return rw


def w_disp_header(ws):
    return "处置/贮存量"


MONTHS = list(range(1, 13))


def write_monthly(rw, co, cfg):
    ws = co["wastes"]
    m = cfg["monthly"]
    lab = cfg["month_label"]
    ov = cfg.get("monthly_override", {})  # (waste name, month index 0-11) -> text
    uw = unit_word(cfg)

    def cell(w, i):
        if (w.name, i) in ov:
            return ov[(w.name, i)]
        return nv(cfg, w, w.mU[i])

    def row_total(i):
        if ("__row__", i) in ov:
            return ov[("__row__", i)]
        return nv(cfg, ws[0].nd, sum(w.mU[i] for w in ws))

    cap = rw.table_no()
    title = f"{cap} {YEAR}年每月分种类综合利用量（单位：{uw}）"
    if m["orient"] == "rows_months" and m.get("split_recv"):
        hdr, body, tot = ["月份"], [[lab(i + 1)] for i in range(12)], ["合计"]
        for w in ws:
            if w.R:
                hdr += [f"{w.name}（自产）", f"{w.name}（接收）"]
                for i in range(12):
                    assert w.mU[i] - w.mR[i] >= 0
                    body[i] += [ov.get((w.name, i), nv(cfg, w, w.mU[i] - w.mR[i])), nv(cfg, w, w.mR[i])]
                tot += [nv(cfg, w, w.U - w.R), nv(cfg, w, w.R)]
            else:
                hdr.append(w.name)
                for i in range(12):
                    body[i].append(cell(w, i))
                tot.append(nv(cfg, w, w.U))
        hdr.append("合计")
        for i in range(12):
            body[i].append(row_total(i))
        tot.append(nv(cfg, ws[0].nd, co["U"]))
        rw.caption(title)
        rw.table([hdr] + body + [tot], size=10)
    elif m["orient"] == "rows_months":
        hdr = ["月份"] + [cfg.get("waste_label", lambda w, i: w.name)(w, j) for j, w in enumerate(ws, 1)] + ["合计"]
        body = [[lab(i + 1)] + [cell(w, i) for w in ws] + [row_total(i)] for i in range(12)]
        tot = ["合计"] + [nv(cfg, w, w.U) for w in ws] + [nv(cfg, ws[0].nd, co["U"])]
        split = m.get("split_at")
        if split:
            rw.caption(title)
            rw.table([hdr] + body[:split], size=10, repeat_header=True)
            page_break(rw.doc)
            rw.caption(f"续表{cap[1:]}")
            rows2 = ([hdr] if m.get("repeat") else []) + body[split:] + [tot]
            rw.table(rows2, size=10, header_rows=1 if m.get("repeat") else 0, bold_cells={(len(rows2) - 1, 0)})
        else:
            rw.caption(title)
            rw.table([hdr] + body + [tot], size=10)
    else:  # wastes as rows, months as columns
        hdr = ["固体废物种类"] + [lab(i) for i in MONTHS] + ["全年合计"]
        rows = [hdr]
        for w in ws:
            rows.append([w.name] + [cell(w, i) for i in range(12)] + [nv(cfg, w, w.U)])
        rows.append(["合计"] + [row_total(i) for i in range(12)] + [nv(cfg, ws[0].nd, co["U"])])
        doc = rw.doc
        if m.get("landscape"):
            sec = doc.add_section(WD_SECTION.NEW_PAGE)
            sec.orientation = WD_ORIENT.LANDSCAPE
            sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
        rw.caption(title)
        rw.table(rows, size=m.get("size", 7.5), widths=[2.0] + [1.7] * 12 + [2.0] if m.get("landscape") else None)
        if m.get("landscape"):
            sec = doc.add_section(WD_SECTION.NEW_PAGE)
            sec.orientation = WD_ORIENT.PORTRAIT
            sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)


# ----------------------------------------------------------------------------------------------
# 附件1 申报企业基本情况表 — several layouts
# ----------------------------------------------------------------------------------------------
PLEDGE = ("我单位郑重承诺：本次申报湖北省工业固体废物资源综合利用评价所提交的相关信息、数据及证明材料均真实、准确，"
          "并承担因材料虚假引起的全部责任。特此承诺。")


def a1_values(co, o):
    v = dict(
        name=co["name"], uscc=co["uscc"], address=f"{co['address']}（邮编：{co['post']}）", contact=co["contact"],
        mobile=co["mobile"], fax=co["fax"], email=co["email"], value=fmt(co["value"]), profit=fmt(co["profit"]),
        relief=(f"{co['relief_kind']}，合计{fmt(co['relief'])}" if "、" in co["relief_kind"]
                else f"{co['relief_kind']} {fmt(co['relief'])}"),
        process="；".join(f"{w.name}：{w.use}" for w in co["wastes"]) + "。",
    )
    v.update(o.get("vals", {}))
    return v


def a1_waste_rows(co, o):
    """[(name, P, R, U, product, output, value)] as text, honouring overrides."""
    rows = []
    for w in co["wastes"]:
        nm = o.get("wname", {}).get(w.name, w.name)
        r = [nm, fmt(w.P, w.nd), fmt(w.R, w.nd), fmt(w.U, w.nd), w.product, f"{fmt(w.O, 0)}{w.O_unit}", fmt(w.value)]
        for (wn, col), txt in o.get("wov", {}).items():
            if wn == w.name:
                r[col] = txt
        rows.append(r)
    return rows


def a1_docx_grid(doc, co, o):
    """The seed's grid: label | value pairs, 7 columns."""
    L = dict(name="企业名称", uscc="统一社会信用代码", address="通讯地址", contact="联系人", mobile="手机号码",
             fax="传真号码", email="电子邮箱", value="年综合利用产值(万元)", profit="利润总额(万元)",
             relief="上一年度减免税种及税额(万元)", process="主要生产工艺描述")
    L.update(o.get("labels", {}))
    v = a1_values(co, o)
    para(doc, "附件1", bold=True, indent=False, font="黑体")
    para(doc, "湖北省工业固体废物资源综合利用申报企业基本情况表", bold=True, size=16, align="center", font="方正小标宋简体")
    rows = [
        [L["name"], v["name"], None, None, L["uscc"], v["uscc"], None],
        [L["address"], v["address"], None, None, None, None, None],
        [L["contact"], v["contact"], None, None, L["mobile"], v["mobile"], None],
        [L["fax"], v["fax"], None, None, L["email"], v["email"], None],
        [L["value"], v["value"], L["profit"], v["profit"], L["relief"], v["relief"], None],
        [L["process"], v["process"], None, None, None, None, None],
        [f"{YEAR}年工业固体废物利用情况", None, None, None, None, None, None],
        ["工业固体废物种类名称", "产生量(吨)", "接收量(吨)", "利用量(吨)", "产品名称", "产品产量", "产品产值(万元)"],
    ]
    merges = [(0, 1, 0, 3), (0, 5, 0, 6), (1, 1, 1, 6), (2, 1, 2, 3), (2, 5, 2, 6), (3, 1, 3, 3), (3, 5, 3, 6),
              (4, 5, 4, 6), (5, 1, 5, 6), (6, 0, 6, 6)]
    wr = a1_waste_rows(co, o)
    rows += wr
    for _ in range(o.get("blank_rows", 0)):
        rows.append([""] * 7)
    r = len(rows)
    sign = o.get("sign", {})
    rows.append([f"材料真实性承诺：\n{PLEDGE}\n法定代表人（签字）：{sign.get('legal', co['legal'])}　　　　企业盖章：\n"
                 f"申请日期：{sign['date']}", None, None, None, None, None, None])
    merges.append((r, 0, r, 6))
    bold = {(0, 0), (0, 4), (1, 0), (2, 0), (2, 4), (3, 0), (3, 4), (4, 0), (4, 2), (4, 4), (5, 0), (6, 0)}
    add_table(doc, rows, style="grid", header_rows=0, merges=merges, size=9, bold_cells=bold | {(7, c) for c in range(7)},
              widths=[2.6, 2.6, 1.7, 2.6, 2.5, 2.3, 2.1])
    if o.get("seal"):
        add_picture(doc, o["seal"], 3.2, align="right")


def a1_docx_inline(doc, co, o):
    """Label and value in the same cell ("企业名称：……"), group rows in the waste table."""
    L = dict(name="企业名称", uscc="统一社会信用代码", address="通讯地址", contact="联系人", mobile="手机号码",
             fax="传真号码", email="电子邮箱", value="年综合利用产值（万元）", profit="利润总额（万元）",
             relief="上一年度减免税种及税额（万元）", process="主要生产工艺描述")
    L.update(o.get("labels", {}))
    v = a1_values(co, o)
    if o.get("heading_style"):
        doc.add_heading("附件1 湖北省工业固体废物资源综合利用申报企业基本情况表", level=1)
    else:
        para(doc, "附件1", bold=True, indent=False)
        para(doc, "湖北省工业固体废物资源综合利用申报企业基本情况表", bold=True, size=15, align="center")
    cols = o["cols"]          # header texts of the waste table
    nc = len(cols)
    half = nc // 2
    rows = [
        [f"{L['name']}：{v['name']}"] + [None] * (half - 1) + [f"{L['uscc']}：{v['uscc']}"] + [None] * (nc - half - 1),
        [f"{L['address']}：{v['address']}"] + [None] * (nc - 1),
        [f"{L['contact']}：{v['contact']}"] + [None] * (half - 1) + [f"{L['mobile']}：{v['mobile']}"] + [None] * (nc - half - 1),
        [f"{L['fax']}：{v['fax']}"] + [None] * (half - 1) + [f"{L['email']}：{v['email']}"] + [None] * (nc - half - 1),
        [f"{L['value']}：{v['value']}"] + [None] * (half - 1) + [f"{L['profit']}：{v['profit']}"] + [None] * (nc - half - 1),
        [f"{L['relief']}：{v['relief']}"] + [None] * (nc - 1),
        [f"{L['process']}：{v['process']}"] + [None] * (nc - 1),
        [f"{YEAR}年工业固体废物利用情况"] + [None] * (nc - 1),
        cols,
    ]
    merges = []
    for r in (0, 2, 3, 4):
        merges += [(r, 0, r, half - 1), (r, half, r, nc - 1)]
    for r in (1, 5, 6, 7):
        merges.append((r, 0, r, nc - 1))
    for item in o["body"]:     # ("group", text) or list of cell texts
        if item[0] == "group":
            merges.append((len(rows), 0, len(rows), nc - 1))
            rows.append([item[1]] + [None] * (nc - 1))
        else:
            rows.append(item)
    r = len(rows)
    sign = o.get("sign", {})
    rows.append([f"材料真实性承诺：{PLEDGE}\n法定代表人（签字）：{sign.get('legal', co['legal'])}　　企业盖章：\n申请日期：{sign['date']}"]
                + [None] * (nc - 1))
    merges.append((r, 0, r, nc - 1))
    add_table(doc, rows, style="grid", header_rows=0, merges=merges, size=9.5,
              bold_cells={(8, c) for c in range(nc)} | {(7, 0)}, align_left_cols=tuple(range(nc)), center_all=False)
    if o.get("seal"):
        add_picture(doc, o["seal"], 3.2, align="right")


def a1_xlsx_below(wb, co, o):
    """Labels on one row, values on the row below (Excel)."""
    ws = wb.create_sheet(o.get("sheet", "附件1"))
    L = dict(name="企业名称", uscc="统一社会信用代码", address="通讯地址", contact="联系人", mobile="手机号码",
             fax="传真号码", email="电子邮箱", value="年综合利用产值(万元)", profit="利润总额(万元)",
             relief="上一年度减免税种及税额(万元)", process="主要生产工艺描述")
    L.update(o.get("labels", {}))
    v = a1_values(co, o)
    xwidths(ws, [20, 14, 14, 14, 20, 16, 16])
    xput(ws, 1, 1, "附件1", border=False, align="left", bold=True)
    xput(ws, 2, 1, "湖北省工业固体废物资源综合利用申报企业基本情况表", bold=True, size=16, border=False)
    xmerge(ws, 2, 1, 2, 7, border=False)
    r = 3
    blocks = [
        [("name", 1, 3), ("uscc", 4, 5), ("address", 6, 7)],
        [("contact", 1, 2), ("mobile", 3, 4), ("fax", 5, 5), ("email", 6, 7)],
        [("value", 1, 2), ("profit", 3, 4), ("relief", 5, 7)],
        [("process", 1, 7)],
    ]
    for blk in blocks:
        for key, c1, c2 in blk:
            xput(ws, r, c1, L[key], bold=True)
            xmerge(ws, r, c1, r, c2)
            val = v[key]
            if key in ("value", "profit") and val not in ("", None) and o.get("numeric"):
                xput(ws, r + 1, c1, float(D(val.replace(",", ""))), fmt_="#,##0.00")
            else:
                xput(ws, r + 1, c1, val if val != "" else None)
            xmerge(ws, r + 1, c1, r + 1, c2)
        ws.row_dimensions[r + 1].height = 36 if blk[0][0] != "process" else 48
        r += 2
    xput(ws, r, 1, f"{YEAR}年工业固体废物利用情况", bold=True)
    xmerge(ws, r, 1, r, 7)
    r += 1
    for c, h in enumerate(["工业固体废物种类名称", "产生量(吨)", "接收量(吨)", "利用量(吨)", "产品名称", "产品产量",
                           "产品产值(万元)"], 1):
        xput(ws, r, c, h, bold=True)
    r += 1
    for row in a1_waste_rows(co, o):
        for c, txt in enumerate(row, 1):
            if c in (2, 3, 4, 7) and o.get("numeric"):
                xput(ws, r, c, float(D(txt.replace(",", ""))), fmt_="#,##0.00")
            else:
                xput(ws, r, c, txt)
        r += 1
    sign = o.get("sign", {})
    xput(ws, r, 1, f"材料真实性承诺：\n{PLEDGE}\n法定代表人（签字）：{co['legal']}　　　企业盖章：（公章）\n申请日期：{sign['date']}",
         align="left")
    xmerge(ws, r, 1, r, 7)
    ws.row_dimensions[r].height = 90
    return ws


def a1_xlsx_grid(wb, co, o):
    """The seed grid in Excel, merged cells, numbers as numbers."""
    ws = wb.create_sheet(o.get("sheet", "基本情况表"))
    L = dict(name="企业名称", uscc="统一社会信用代码", address="通讯地址", contact="联系人", mobile="手机号码",
             fax="传真号码", email="电子邮箱", value="年综合利用产值(万元)", profit="利润总额(万元)",
             relief="上一年度减免税种及税额(万元)", process="主要生产工艺描述")
    L.update(o.get("labels", {}))
    v = a1_values(co, o)
    xwidths(ws, [22, 14, 14, 14, 22, 16, 16])
    xput(ws, 1, 1, "湖北省工业固体废物资源综合利用申报企业基本情况表", bold=True, size=16, border=False)
    xmerge(ws, 1, 1, 1, 7, border=False)
    layout = [
        [(L["name"], 1, 1), (v["name"], 2, 4), (L["uscc"], 5, 5), (v["uscc"], 6, 7)],
        [(L["address"], 1, 1), (v["address"], 2, 7)],
        [(L["contact"], 1, 1), (v["contact"], 2, 4), (L["mobile"], 5, 5), (v["mobile"], 6, 7)],
        [(L["fax"], 1, 1), (v["fax"], 2, 4), (L["email"], 5, 5), (v["email"], 6, 7)],
        [(L["value"], 1, 1), (float(co["value"]), 2, 2), (L["profit"], 3, 3), (float(co["profit"]), 4, 4),
         (L["relief"], 5, 5), (v["relief"], 6, 7)],
        [(L["process"], 1, 1), (v["process"], 2, 7)],
    ]
    r = 2
    for row in layout:
        for i, (txt, c1, c2) in enumerate(row):
            c = xput(ws, r, c1, txt, bold=(i % 2 == 0))
            if isinstance(txt, float):
                c.number_format = "#,##0.00"
            if c2 > c1:
                xmerge(ws, r, c1, r, c2)
        ws.row_dimensions[r].height = 30
        r += 1
    xput(ws, r, 1, f"{YEAR}年工业固体废物利用情况", bold=True)
    xmerge(ws, r, 1, r, 7)
    r += 1
    for c, h in enumerate(["工业固体废物种类名称", "产生量(吨)", "接收量(吨)", "利用量(吨)", "产品名称", "产品产量",
                           "产品产值(万元)"], 1):
        xput(ws, r, c, h, bold=True)
    r += 1
    for row in a1_waste_rows(co, o):
        for c, txt in enumerate(row, 1):
            if c in (2, 3, 4, 7) and not o.get("text_numbers"):
                xput(ws, r, c, float(D(txt.replace(",", ""))), fmt_="#,##0" if c != 7 else "#,##0.00")
            else:
                xput(ws, r, c, txt)
        r += 1
    sign = o.get("sign", {})
    xput(ws, r, 1, f"材料真实性承诺：\n{PLEDGE}\n法定代表人（签字）：{co['legal']}　　企业盖章：\n申请日期：{sign['date']}",
         align="left")
    xmerge(ws, r, 1, r, 7)
    ws.row_dimensions[r].height = 90
    return ws


# ----------------------------------------------------------------------------------------------
# 附件3 年报表
# ----------------------------------------------------------------------------------------------
def a3_rows(co, o):
    """Rows of dicts: name, P, R, U, value, rate, dest, note (texts)."""
    out = []
    for i, w in enumerate(co["wastes"], 1):
        d = dict(seq=str(i), name=o.get("wname", {}).get(w.name, w.name), P=fmt(w.P, w.nd), R=fmt(w.R, w.nd),
                 U=fmt(w.U, w.nd), value=fmt(w.value), rate=fmt(w.rate), dest=o.get("dest", {}).get(w.name, ""),
                 note=o.get("note", {}).get(w.name, ""))
        d.update(o.get("ov", {}).get(w.name, {}))
        out.append(d)
    nd = co["wastes"][0].nd
    tot = dict(seq="合计", name="", P=fmt(co["P"], nd), R=fmt(co["R"], nd), U=fmt(co["U"], nd), value=fmt(co["value"]),
               rate=fmt(co["rate"]), dest="", note="")
    tot.update(o.get("ov", {}).get("合计", {}))
    return out, tot


A3_HDR = dict(seq="序号", name="工业固体废物名称", P="产生量(吨)", R="接收量(吨)", U="综合利用量(吨)",
              value="综合利用产值(万元)", rate="综合利用率(%)", dest="去向", note="备注")


def a3_xlsx(wb, co, o):
    ws = wb.create_sheet(o.get("sheet", "年报表"))
    cols = o.get("cols", ["seq", "name", "P", "U", "value", "rate", "note"])
    hdr = dict(A3_HDR)
    hdr.update(o.get("hdr", {}))
    n = len(cols)
    xwidths(ws, [8 if c == "seq" else (22 if c in ("name", "dest", "note") else 16) for c in cols])
    r = 1
    if o.get("tag", True):
        xput(ws, r, 1, "附件3", border=False, align="left", bold=True)
        r += 1
    xput(ws, r, 1, o.get("title", f"湖北省工业固体废物资源综合利用情况年报表（{YEAR}年）"), bold=True, size=15, border=False)
    xmerge(ws, r, 1, r, n, border=False)
    r += 1
    unit_label = o.get("unit_label", "填报单位名称：")
    xput(ws, r, 1, f"{unit_label}{o.get('unit_name', co['name'])}", border=False, align="left")
    xmerge(ws, r, 1, r, n, border=False)
    r += 1
    for c, key in enumerate(cols, 1):
        xput(ws, r, c, hdr[key], bold=True)
    r += 1
    rows, tot = a3_rows(co, o)
    numeric = o.get("numeric", True)
    ph = o.get("placeholders", {})      # index -> list of placeholder rows inserted after that data row

    def put_row(d, bold=False):
        nonlocal r
        for c, key in enumerate(cols, 1):
            txt = d.get(key, "")
            if numeric and key in ("P", "R", "U", "value", "rate") and txt not in ("", "—", "……", None):
                nd = 2 if key in ("value", "rate") else co["wastes"][0].nd
                xput(ws, r, c, float(D(txt.replace(",", ""))), fmt_=("#,##0." + "0" * nd) if nd else "#,##0",
                     bold=bold)
            else:
                xput(ws, r, c, txt if txt != "" else None, bold=bold)
        r += 1

    for i, d in enumerate(rows):
        put_row(d)
        for p in ph.get(i, []):
            put_row(p)
    for p in ph.get("end", []):
        put_row(p)
    tot_row = dict(tot)
    put_row(tot_row, bold=True)
    if o.get("merge_total_label", True) and cols[0] == "seq" and cols[1] == "name":
        xmerge(ws, r - 1, 1, r - 1, 2)
    xput(ws, r, 1, "说明")
    xput(ws, r, 2, "1. 本表所填工业固体废物指《国家工业固体废物资源综合利用产品目录》中所列的固体废物，不包括危险废弃物；"
                   "2. 本表由各市州经济和信息化主管部门于每年4月25日内填报省经济和信息化主管部门。", align="left")
    xmerge(ws, r, 2, r, n)
    ws.row_dimensions[r].height = 48
    r += 2
    f = o["footer"]
    xput(ws, r, 1, f"审核人：{f['reviewer']}", border=False, align="left")
    xmerge(ws, r, 1, r, 2, border=False)
    xput(ws, r, 3, f"填报人：{f['filler']}", border=False, align="left")
    xput(ws, r, 4, f"联系电话：{f['tel']}", border=False, align="left")
    xmerge(ws, r, 4, r, 5, border=False)
    xput(ws, r, 6, f"填报日期：{f['date']}", border=False, align="left")
    if n > 6:
        xmerge(ws, r, 6, r, n, border=False)
    return ws


def a3_docx(doc, co, o):
    cols = o.get("cols", ["seq", "name", "P", "U", "value", "rate", "note"])
    hdr = dict(A3_HDR)
    hdr.update(o.get("hdr", {}))
    if o.get("heading_style"):
        doc.add_heading(f"附件3 湖北省工业固体废物资源综合利用情况年报表（{YEAR}年）", level=1)
    else:
        para(doc, "附件3", bold=True, indent=False)
        para(doc, f"湖北省工业固体废物资源综合利用情况年报表（{YEAR}年）", bold=True, size=15, align="center")
    para(doc, f"{o.get('unit_label', '填报单位名称：')}{o.get('unit_name', co['name'])}", indent=False)
    rows_d, tot = a3_rows(co, o)
    rows = [[hdr[c] for c in cols]]
    for d in rows_d:
        rows.append([d.get(c, "") for c in cols])
    rows.append([tot.get(c, "") for c in cols])
    merges = [(len(rows) - 1, 0, len(rows) - 1, 1)]
    rows.append(["说明", "1. 本表所填工业固体废物指《国家工业固体废物资源综合利用产品目录》中所列的固体废物，不包括危险废弃物；"
                        "2. 本表由各市州经济和信息化主管部门于每年4月25日内填报省经济和信息化主管部门。"] + [None] * (len(cols) - 2))
    merges.append((len(rows) - 1, 1, len(rows) - 1, len(cols) - 1))
    add_table(doc, rows, style="grid", merges=merges, size=9.5)
    f = o["footer"]
    para(doc, f"审核人：{f['reviewer']}　　填报人：{f['filler']}　　联系电话：{f['tel']}　　填报日期：{f['date']}",
         indent=False, size=10.5)


# ----------------------------------------------------------------------------------------------
# 第十五条 enterprise materials
# ----------------------------------------------------------------------------------------------
BLEND_SHARE = {"磷石膏": "100", "硫铁矿烧渣": "100", "粉煤灰": "100", "炉渣": "65", "脱硫石膏": "100", "高炉渣": "97",
               "钢渣": "95", "含铁尘泥": "6.5", "铜冶炼渣": "100", "铁尾矿": "100", "废石": "100", "废铸造砂": "100",
               "熔炼炉渣": "40"}

TEST_ITEMS = {
    "建筑石膏粉": [("细度（0.2mm方孔筛筛余）", "≤10%", "6.2%"), ("初凝时间", "≥3min", "6min"),
              ("2h抗折强度", "≥2.0MPa", "2.8MPa"), ("放射性内照射指数", "≤1.0", "0.3")],
    "铁精粉": [("TFe", "≥60.0%", "61.8%"), ("S", "≤0.50%", "0.32%"), ("水分", "≤10%", "8.6%")],
    "商品粉煤灰（Ⅱ级）": [("细度（45μm方孔筛筛余）", "≤30.0%", "21.4%"), ("需水量比", "≤105%", "101%"),
                   ("烧失量", "≤8.0%", "4.6%"), ("三氧化硫", "≤3.0%", "1.2%")],
    "矿渣微粉（S95级）": [("比表面积", "≥400m²/kg", "432m²/kg"), ("28d活性指数", "≥95%", "98%"),
                   ("流动度比", "≥95%", "101%")],
    "渣选铜精矿": [("Cu", "≥18.00%", "19.26%"), ("As", "≤0.50%", "0.18%"), ("水分", "≤12%", "9.8%")],
    "机制砂（尾矿砂）": [("细度模数", "2.3～3.0", "2.7"), ("石粉含量", "≤10.0%", "6.8%"), ("坚固性", "≤8%", "5%")],
    "再生铸造砂": [("灼减量", "≤0.5%", "0.21%"), ("含泥量", "≤0.3%", "0.18%"), ("角形系数", "≤1.30", "1.22")],
}


def ops_doc(path, co, o):
    doc = new_doc()
    para(doc, f"{co['name']}近两年生产经营情况说明", bold=True, size=16, align="center", font="黑体", space_after=10)
    ws = co["wastes"]
    para(doc, f"一、企业基本情况。{co['name']}成立于{co['founded_cn']}，注册资本{co['capital']}，位于{co['address']}。{co['intro']}")
    para(doc, f"二、经营规模。企业现有从业人员{co['staff'][0]:,}人，资产总额{co['assets']}，建有{co['lines']}。")
    para(doc, f"三、综合利用工业固体废物种类。企业综合利用的工业固体废物为{'、'.join(w.name for w in ws)}，"
              f"综合利用产品为{'、'.join(w.product for w in ws)}。")
    for t in o.get("ops_paras", []):
        para(doc, t)
    para(doc, "四、近两年主要生产经营指标见下表。")
    with_chg = o.get("ops_change")
    hdr = ["指标", "单位", f"{YEAR - 1}年", f"{YEAR}年"] + (["同比增减"] if with_chg else [])
    rows = [hdr]

    def add(lbl, unit, a, b, nd):
        r = [lbl, unit, fmt(a, nd), fmt(b, nd)]
        if with_chg:
            c = chg(b, a)
            r.append((f"负{fmt(-c)}%" if with_chg == "cn_neg" else f"{fmt(c)}%") if c < 0 else f"{fmt(c)}%")
        rows.append(r)

    add("营业收入", "万元", co["revenue24"], co["revenue"], 2)
    add("利润总额", "万元", co["profit24"], co["profit"], 2)
    add("纳税总额", "万元", co["tax24"], co["tax"], 2)
    for w in ws:
        nm = o.get("ops_wname", {}).get(w.name, w.name)
        add(f"{nm}产生量", "吨", w.P24 + 0, w.P, w.nd)
        if w.R:
            add(f"{nm}接收量", "吨", w.R24 + 0, w.R, w.nd)
        add(f"{nm}综合利用量", "吨", w.U24 + 0, w.U, w.nd)
    add_table(doc, rows, size=10)
    para(doc, f"五、{YEAR}年综合利用产品产量：" + "；".join(f"{w.product}{fmt(w.O, 0)}{w.O_unit}" for w in ws) +
         f"，综合利用产品产值合计{fmt(co['value'])}万元。")
    para(doc, "")
    para(doc, f"{co['name']}（盖章）", align="right")
    para(doc, o["dates"]["ops"], align="right")
    save_doc(doc, path)


def ledger_xlsx(path, co, o):
    wb = new_wb()
    ws0 = wb.active
    ws0.title = "固废月度台账"
    xwidths(ws0, [14, 14, 14, 14, 14, 16, 14])
    r = 1
    xput(ws0, r, 1, f"{co['name']}{YEAR}年工业固体废物产生、接收、利用及库存月报表", bold=True, size=14, border=False)
    xmerge(ws0, r, 1, r, 7, border=False)
    r += 2
    mlabel = o.get("ledger_month", lambda m: f"{YEAR}年{m}月")
    for w in co["wastes"]:
        nd = w.nd
        nf = "#,##0.00" if nd == 2 else "#,##0"
        xput(ws0, r, 1, f"固废名称：{o.get('ledger_wname', {}).get(w.name, w.name)}（单位：吨）", bold=True, align="left",
             border=False)
        xmerge(ws0, r, 1, r, 7, border=False)
        r += 1
        for c, h in enumerate(["月份", "期初库存", "产生量", "接收量", "综合利用量", w.disp if w.Dp else "处置/贮存量",
                               "期末库存"], 1):
            xput(ws0, r, c, h, bold=True)
        r += 1
        s = w.S0
        for i in range(12):
            vals = [s, w.mP[i], w.mR[i], w.mU[i], w.mD[i], w.mS[i]]
            xput(ws0, r, 1, mlabel(i + 1))
            for c, v in enumerate(vals, 2):
                xput(ws0, r, c, float(v), fmt_=nf)
            s = w.mS[i]
            r += 1
        xput(ws0, r, 1, "本年累计", bold=True)
        for c, v in enumerate([w.S0, w.P, w.R, w.U, w.Dp, w.S1], 2):
            xput(ws0, r, c, float(v), fmt_=nf, bold=True)
        r += 3
    ws1 = wb.create_sheet("产品产销台账")
    xwidths(ws1, [14, 16, 16, 16, 16])
    r = 1
    xput(ws1, r, 1, f"{co['name']}{YEAR}年综合利用产品生产、出库及外销月报表", bold=True, size=14, border=False)
    xmerge(ws1, r, 1, r, 5, border=False)
    r += 2
    for w in co["wastes"]:
        xput(ws1, r, 1, f"产品名称：{w.product}（单位：{w.O_unit}）", bold=True, align="left", border=False)
        xmerge(ws1, r, 1, r, 5, border=False)
        r += 1
        for c, h in enumerate(["月份", "产量", "出库量", "其中：外销量", "月末库存"], 1):
            xput(ws1, r, c, h, bold=True)
        r += 1
        stock0 = q(w.O * D("0.02"), 0)
        sales_tot = w.O - q(w.O * D("0.01"), 0)
        ms = _split(sales_tot, [float(x) for x in w.mO], 0)
        st = stock0
        for i in range(12):
            st = st + w.mO[i] - ms[i]
            assert st >= 0
            xput(ws1, r, 1, mlabel(i + 1))
            for c, v in enumerate([w.mO[i], ms[i], ms[i], st], 2):
                xput(ws1, r, c, float(v), fmt_="#,##0")
            r += 1
        xput(ws1, r, 1, "本年累计", bold=True)
        for c, v in enumerate([w.O, sales_tot, sales_tot, st], 2):
            xput(ws1, r, c, float(v), fmt_="#,##0", bold=True)
        r += 3
    save_wb(wb, path)


def blend_doc(path, co, o):
    doc = new_doc()
    para(doc, "工业固体废物原料掺量证明材料", bold=True, size=16, align="center", font="黑体", space_after=10)
    para(doc, f"根据{co['name']}{YEAR}年生产配料单、中控系统（DCS）配料记录及原料出入库台账，企业主要综合利用产品的工业固体废物原料"
              "掺量情况如下：")
    rows = [["产品名称", "利用的工业固体废物", "单位产品固废消耗", "固废原料掺量（%）", "证明依据"]]
    for w in co["wastes"]:
        rows.append([w.product, w.name, f"{w.k}吨/{w.O_unit}", BLEND_SHARE[w.name], "配料单、DCS记录、地磅单"])
    add_table(doc, rows, size=10)
    para(doc, "以上掺量数据经企业生产技术部、质量部核实，真实有效。")
    para(doc, f"{co['name']}生产技术部（盖章）", align="right")
    para(doc, o["dates"]["blend"], align="right")
    save_doc(doc, path)


def tech_doc(path, co, o):
    doc = new_doc()
    para(doc, "综合利用产品标准及工艺技术说明", bold=True, size=16, align="center", font="黑体", space_after=10)
    para(doc, "一、产品执行标准", bold=True, indent=False)
    for s in co["standards"]:
        para(doc, s)
    para(doc, "二、生产工艺技术", bold=True, indent=False)
    for w in co["wastes"]:
        para(doc, f"{w.product}：{co['process'][w.name]}")
    para(doc, "三、主要设备", bold=True, indent=False)
    add_table(doc, [["设备名称", "型号规格", "数量", "用途"]] + co["equip"], size=10)
    para(doc, "四、工艺流程", bold=True, indent=False)
    add_picture(doc, o["flow_png"], 14)
    save_doc(doc, path)


def test_pdf(path, co, o):
    lines = [f"报告编号：{o.get('test_no', 'HBJC-2025-W0' + co['key'] + '1736')}", f"委托单位：{co['name']}",
             f"生产单位：{co['name']}", "检验类别：委托检验", "抽样日期：2025年11月12日",
             "检验机构：湖北省建筑材料产品质量监督检验站有限公司"]
    table = [["样品名称", "检验项目", "标准要求", "检验结果", "单项判定"]]
    for w in co["wastes"]:
        for it in TEST_ITEMS.get(w.product, [("外观", "符合标准", "符合"), ("含水率", "≤10%", "7.5%")]):
            table.append([w.product[:8], it[0], it[1], it[2], "合格"])
    concl = "检验结论：所检项目均符合" + "、".join(s.split("《")[0] for s in co["standards"]) + "标准要求。"
    pdf_simple(path, "检 验 报 告", lines + [concl], table=table,
               footer=["批准：张卫东　审核：李霞　主检：王超", "签发日期：2025年11月28日"])


def decl_doc(path, co, o, seal):
    doc = new_doc()
    para(doc, o.get("decl_title", "真实性声明"), bold=True, size=18, align="center", font="黑体", space_after=16)
    para(doc, f"致{co['ag']['name']}及{co['city']}经济和信息化局：")
    para(doc, f"本企业就申请开展{YEAR}年度工业固体废物资源综合利用评价，向评价机构提交了营业执照复印件、近两年生产经营情况说明、"
              "工业固体废物产生、接收、消耗、库存及产品生产、出库、外销报表、原料掺量证明、产品标准及工艺技术说明、产品质量检测报告、"
              "管理体系建设情况等资料。")
    para(doc, "本企业郑重声明：所提交的全部材料真实、准确、完整，不存在虚假记载、误导性陈述或重大遗漏，如有不实，本企业愿承担由此产生的一切法律责任。")
    para(doc, "")
    para(doc, f"法定代表人（签字）：{co['legal']}", align="right")
    para(doc, f"企业名称（盖章）：{co['name']}", align="right")
    add_picture(doc, seal, 3.6, align="right")
    para(doc, o["dates"]["decl"], align="right")
    save_doc(doc, path)


def write_materials(root, co, o, conv):
    """o['names']: key -> path relative to root (None: not written)."""
    names = o["names"]
    seal = o["seal"]

    def P(key):
        return root / names[key]

    if names.get("license"):
        img_license(P("license"), co)
    if names.get("ops"):
        ops_doc(P("ops"), co, o)
    if names.get("ledger"):
        ledger_xlsx(P("ledger"), co, o)
    if names.get("blend"):
        blend_doc(P("blend"), co, o)
    if names.get("tech"):
        tech_doc(P("tech"), co, o)
    if names.get("test"):
        test_pdf(P("test"), co, o)
    if names.get("iso9001"):
        img_cert(P("iso9001"), co, "质量管理体系认证证书", co["iso"][0],
                 "质量管理体系符合\nGB/T 19001-2016/ISO 9001:2015\n覆盖范围：" + "、".join(w.product for w in co["wastes"]) + "的生产")
    if names.get("iso14001"):
        img_cert(P("iso14001"), co, "环境管理体系认证证书", co["iso"][1],
                 "环境管理体系符合\nGB/T 24001-2016/ISO 14001:2015\n覆盖范围：相关生产活动及管理")
    if names.get("decl"):
        dest = P("decl")
        if dest.suffix == ".pdf":
            tmp = dest.with_suffix(".docx")
            decl_doc(tmp, co, o, seal)
            conv.append((tmp, dest))
        else:
            decl_doc(dest, co, o, seal)


# ----------------------------------------------------------------------------------------------
# packaging
# ----------------------------------------------------------------------------------------------
class Pkg:
    def __init__(self, out_dir, name, *, zip_=False, top=None):
        self.out_dir, self.name, self.zip, self.top = out_dir, name, zip_, top
        base = out_dir / (f"_build_{name}" if zip_ else name)
        self.build_root = base
        self.root = base / top if top else base
        self.root.mkdir(parents=True, exist_ok=True)

    def rel(self, relpath):
        """path of a file as it appears inside the package"""
        return f"{self.top}/{relpath}" if self.top else relpath

    def finalize(self):
        if not self.zip:
            return
        target = self.out_dir / self.name
        files = sorted(p for p in self.build_root.rglob("*") if p.is_file())
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for f in files:
                zi = zipfile.ZipInfo(f.relative_to(self.build_root).as_posix(), ZIP_DT)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = 0o644 << 16
                z.writestr(zi, f.read_bytes())
        shutil.rmtree(self.build_root)


def convert_all(conv):
    """conv: [(src.docx, dest.pdf)] -> one LibreOffice run, then move into place."""
    if not conv:
        return
    stage = pathlib.Path(tempfile.mkdtemp(prefix="hbeval_conv_"))
    profile = pathlib.Path(tempfile.mkdtemp(prefix="lo_hbeval_"))
    try:
        names = []
        for i, (src, _) in enumerate(conv):
            n = stage / f"f{i:02d}.docx"
            shutil.copyfile(src, n)
            names.append(str(n))
        subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", "pdf", "--outdir", str(stage)] + names,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        for i, (src, dest) in enumerate(conv):
            out = stage / f"f{i:02d}.pdf"
            if not out.exists():
                raise RuntimeError(f"LibreOffice did not convert {src}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            data = out.read_bytes()
            # LibreOffice stamps the clock into /CreationDate and derives /ID from it: replace both by
            # same-length fixed values so the xref offsets stay valid and the file is reproducible.
            data = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:20260316090000", data)
            data = re.sub(rb"/ID \[ <[0-9A-F]{32}>\s*<[0-9A-F]{32}> \]",
                          lambda m: re.sub(rb"<[0-9A-F]{32}>", b"<" + f"{i:032X}".encode() + b">", m.group(0)), data)
            data = re.sub(rb"/DocChecksum /[0-9A-F]{32}", b"/DocChecksum /" + f"{i:032X}".encode(), data)
            dest.write_bytes(data)
            out.unlink()
            pathlib.Path(src).unlink()
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)


def cover(doc, co, title_lines, date_text, extra=()):
    for _ in range(4):
        para(doc, "")
    for i, t in enumerate(title_lines):
        para(doc, t, bold=True, size=22 if i == 0 else 18, align="center", font="黑体", space_after=12)
    for _ in range(5):
        para(doc, "")
    for t in [f"企业名称：{co['name']}", f"评价机构：{co['ag']['name']}"] + list(extra):
        para(doc, t, size=15, align="center", space_after=8)
    for _ in range(3):
        para(doc, "")
    para(doc, date_text, size=15, align="center")
    page_break(doc)


def toc(doc, entries):
    para(doc, "目　　录", bold=True, size=16, align="center", font="黑体", space_after=12)
    for i, e in enumerate(entries, 1):
        para(doc, f"{e}{'…' * max(4, 34 - len(e))}{i + 1}", indent=False, space_after=3)
    page_break(doc)


def make_assets(tmp, co):
    flow = tmp / f"flow_{co['key']}.png"
    img_flow(flow, co["flow"][0], co["flow"][1], co["flow"][2])
    seal = tmp / f"seal_{co['key']}.png"
    img_seal(seal, co["name"])
    return flow, seal


def fresh(fn):
    return derive(texts(fn()))


# ----------------------------------------------------------------------------------------------
# A  宜昌楚峰磷化工有限公司 — folder, Word Heading styles with renamed titles, seed-grid 附件1 (docx),
#    附件3 xlsx with placeholder rows; 分别 / 约 / 近 / 前一年度 in prose; 二〇二六年三月 on the cover.
# ----------------------------------------------------------------------------------------------
def build_A(out, variant, conv, tmp):
    co = fresh(company_A)
    flow, seal = make_assets(tmp, co)
    ws = co["wastes"]
    ps, sz = ws
    name = {"clean": "HBE-A0", "d1": "HBE-A1", "d2": "HBE-A2"}[variant] + "-宜昌楚峰磷化工有限公司评价申报材料"
    pkg = Pkg(out, name)
    R = pkg.root
    f_report = "01-评价报告/宜昌楚峰磷化工有限公司工业固体废物资源综合利用评价报告.docx"
    f_a1 = "02-申报表格/附件1 申报企业基本情况表.docx"
    f_a3 = "02-申报表格/附件3 2025年综合利用情况年报表.xlsx"

    titles = {1: "一、评价工作概述", 2: "二、企业概况", 3: "三、生产经营情况", 4: "四、工艺技术与装备水平",
              5: "五、管理体系建设情况", 6: "六、一般工业固体废物产生及综合利用情况", 7: "七、评价结论、存在问题及建议"}
    secno = {}
    fenbie = (f"评价期内，企业综合利用的工业固体废物为{ps.name}、{sz.name}，综合利用量分别为{wan(ps.U)}万吨、{wan(sz.U)}万吨，"
              f"综合利用率分别为{fmt(ps.rate)}%、{fmt(sz.rate)}%。")
    approx = (f"企业年产生{ps.name}约{q(ps.P / 10000, 0)}万吨，是宜昌市{ps.name}产生量较大的企业之一；{sz.name}年产生量近"
              f"{q(sz.P / 10000, 0)}万吨，基本实现全量利用。")
    r24 = pct(ps.U24, ps.P24)
    relative = (f"与前一年度相比，评价期{ps.name}综合利用量由{wan(ps.U24)}万吨增加至{wan(ps.U)}万吨，增加"
                f"{wan(ps.U - ps.U24)}万吨，综合利用率由{fmt(r24)}%提高到{fmt(ps.rate)}%。")
    narr = {
        "sec1_period": ["本报告中所称“报告期”与评价期一致；“前一年度”指评价期的上一个自然年度。"],
        "sec3_end": [f"其中，{ps.product}产值{yi(ps.value)}亿元，{sz.product}产值{fmt(sz.value)}万元。"],
        "sec6_overview": [fenbie, approx],
        "sec6_after_summary": [relative],
    }
    expected, allowed, notes = [], [], "clean"
    omit = ()
    if variant == "d1":
        narr["sec6_overview"][0] = fenbie.replace(f"{wan(sz.U)}万吨", "2.28万吨")
        expected += [
            {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": [sz.name, "2.28"], "file": f_report, "severity": "error"},
            {"rule": "SUM.TOTAL_MISMATCH", "keys": ["1424065"], "file": f_a3, "severity": "error"},
        ]
        allowed += [{"rule": "RATE.MISMATCH", "keys": []}]
        notes = ("分别-list gives 硫铁矿烧渣 2.28万吨 for 22.85万吨 (fenbie mapping); 附件3 合计 综合利用量 1,424,065.00 "
                 "instead of 1,442,065.00 (the …… and blank placeholder rows must not be summed)")
    if variant == "d2":
        titles = dict(titles)
        del titles[5]
        titles[6] = "五、一般工业固体废物产生及综合利用情况"
        titles[7] = "六、评价结论、存在问题及建议"
        secno = {6: 5, 7: 6}
        narr["sec6_after_summary"] = [relative.replace(f"增加至{wan(ps.U)}万吨，增加{wan(ps.U - ps.U24)}万吨",
                                                       "增加至125.80万吨")
                                      .replace("评价期", "报告期")]
        expected += [
            {"rule": "OUTLINE.SECTION_MISSING", "keys": ["体系建设"], "severity": "error"},
            {"rule": "FIELD.MISSING", "keys": ["手机号码"], "file": f_a1, "severity": "error"},
            {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": [ps.name, "125.80"], "file": f_report, "severity": "error"},
        ]
        notes = ("section 五 体系建设 absent (renamed titles, renumbered 五/六); 附件1 手机号码 blank; 报告期 (= 评价期 2025, "
                 "cover dated 二〇二六年三月) 磷石膏 utilisation stated 125.80万吨 vs 121.36万吨")
    cfg = dict(hmode="word", sub="cn", tstyle="grid", unit="t2", titles=titles, secno=secno,
               period_text=f"{YEAR}年1月1日至{YEAR}年12月31日", report_date="二〇二六年三月", flow_png=flow,
               month_label=lambda m: f"{m}月", monthly=dict(orient="rows_months"), narr=narr, omit=omit)
    if variant == "d2":
        cfg["conclusion"] = (f"经评价，{co['name']}综合利用的{ps.name}、{sz.name}属于《国家工业固体废物资源综合利用产品目录》所列工业固体废物，"
                             f"综合利用产品{ps.product}、{sz.product}符合目录及相关产品标准要求。核定企业{YEAR}年度综合利用工业固体废物"
                             f"{ps.name}{fmt(ps.U)}吨、{sz.name}{fmt(sz.U)}吨，综合利用产值{fmt(co['value'])}万元。")
    doc = new_doc()
    cover(doc, co, ["湖北省工业固体废物资源综合利用", "评 价 报 告"], "二〇二六年三月",
          extra=[f"报告编号：{co['ag']['prefix']}-2026-017"])
    toc(doc, [t for k, t in sorted(titles.items())])
    write_report(doc, co, cfg)
    set_header(doc, f"{co['name']}工业固体废物资源综合利用评价报告")
    add_page_number_footer(doc)
    save_doc(doc, R / f_report)

    # 附件1
    doc = new_doc(size=11)
    o1 = dict(labels={"contact": "联系人姓名", "email": "电子信箱", "value": "年综合利用产值（万元）",
                      "profit": "利润总额（万元）"}, sign={"date": "2026年3月18日"}, seal=seal)
    if variant == "d2":
        o1["vals"] = {"mobile": ""}
    a1_docx_grid(doc, co, o1)
    save_doc(doc, R / f_a1)

    # 附件3
    wb = new_wb()
    wb.remove(wb.active)
    o3 = dict(cols=["seq", "name", "P", "U", "value", "rate", "note"],
              note={ps.name: f"另有{wan(ps.Dp)}万吨入渣场规范堆存", sz.name: ""},
              placeholders={"end": [{"seq": "……", "name": "……", "P": "……", "U": "……"}, {}, {}]},
              footer=dict(reviewer="李德成", filler=co["contact"], tel="0717-6512366", date="2026年3月18日"))
    if variant == "d1":
        o3["ov"] = {"合计": {"U": "1,424,065.00"}}
    a3_xlsx(wb, co, o3)
    save_wb(wb, R / f_a3)

    mat = dict(names={"license": "03-企业资料/01 营业执照副本.jpg", "ops": "03-企业资料/02 近两年生产经营情况说明.docx",
                      "ledger": "03-企业资料/03 固废产生、消耗、库存及产品产销报表.xlsx",
                      "blend": "03-企业资料/04 原料掺量证明.docx", "tech": "03-企业资料/05 产品标准及工艺技术说明.docx",
                      "test": "03-企业资料/06 产品质量检测报告.pdf",
                      "iso9001": "03-企业资料/07 质量管理体系认证证书.jpg",
                      "iso14001": "03-企业资料/07 环境管理体系认证证书.jpg",
                      "decl": "03-企业资料/08 企业真实性声明.docx"},
               seal=seal, flow_png=flow, ops_change="pct",
               dates=dict(ops="2026年3月10日", blend="2026年3月10日", decl="2026年3月10日"))
    write_materials(R, co, mat, conv)
    vars_ = ["outline_renamed", "narr_fenbie", "narr_approx", "narr_relative_period", "date_formats",
             "tbl_placeholder_rows", "lv_label_variants"]
    if variant == "d2":
        vars_.append("lv_blank")
    return pkg, dict(package=name, form=FORM, clean=variant == "clean", variations=vars_, expected=expected,
                     allowed=allowed, notes=notes if variant != "clean" else
                     "磷化工 folder package, Word headings with renamed titles, 附件3 with ……/blank placeholder rows; clean")


# ----------------------------------------------------------------------------------------------
# B  襄阳汉能热电有限公司 — zip with a top folder; report as PDF with three-line tables and the monthly
#    table continued under 续表 on the next page; 附件1 as PDF; waste names differ per file; 其中-list,
#    汉字 figures, accounting negatives.
# ----------------------------------------------------------------------------------------------
def build_B(out, variant, conv, tmp):
    co = fresh(company_B)
    flow, seal = make_assets(tmp, co)
    fa, lz, gs = co["wastes"]
    name = {"clean": "HBE-B0", "d1": "HBE-B1", "d2": "HBE-B2"}[variant] + "-襄阳汉能热电有限公司评价申报材料.zip"
    top = "襄阳汉能热电有限公司"
    pkg = Pkg(out, name, zip_=True, top=top)
    R = pkg.root
    f_report = "评价报告/襄阳汉能热电有限公司工业固体废物资源综合利用评价报告.pdf"
    f_a1 = "申报表/附件1-申报企业基本情况表.pdf"
    f_a3 = "申报表/附件3-年报表（2025年）.xlsx"
    titles = {1: "一、评价概述", 2: "二、企业基本情况", 3: "三、企业生产及经营", 4: "四、企业工艺技术", 5: "五、企业体系建设",
              6: "六、固体废物综合利用情况", 7: "七、结论"}
    qizhong = (f"评价期内，企业共综合利用工业固体废物{wan(co['U'])}万吨，其中{fa.name}{wan(fa.U)}万吨、{lz.name}{wan(lz.U)}万吨、"
               f"{gs.name}{wan(gs.U)}万吨，综合利用率{fmt(co['rate'])}%。")
    cn_sent = (f"全年{lz.name}综合利用{cn_int(int(lz.U))}吨，{fa.name}综合利用率达到百分之{cn_num(fa.rate.normalize())}；"
               f"{gs.name}年产生量{cn_num(D(wan(gs.P)).normalize())}万吨，基本实现全量利用。")
    narr = {"sec6_overview": [qizhong], "sec6_after_summary": [cn_sent],
            "sec6_balance": ["物料衡算表中“库存变化”一列括号内数字表示库存减少。"]}
    ov_month = {}
    expected, allowed = [], []
    o1 = dict(sign={"date": "2026年3月18日"}, seal=seal, wname={fa.name: "粉煤灰（干灰）", lz.name: "炉渣（底渣）"})
    o3 = dict(cols=["seq", "name", "P", "U", "value", "rate", "note"], numeric=False,
              wname={fa.name: "燃煤粉煤灰", lz.name: "锅炉炉渣", gs.name: "烟气脱硫石膏"},
              note={fa.name: "Ⅱ级灰外售", lz.name: "制砌块", gs.name: "水泥缓凝剂"},
              footer=dict(reviewer="张建国", filler=co["contact"], tel="0710-3326105", date="2026年3月18日"))
    notes = "热电 zip package: PDF report with three-line tables and 续表, 附件1 PDF, synonyms per file; clean"
    if variant == "d1":
        i = 9  # October, on the continuation page
        ov_month[(gs.name, i)] = fmt(gs.mU[i] + 1000, 2)
        ov_month[("__row__", i)] = fmt(sum(w.mU[i] for w in co["wastes"]) + 1000, 2)
        o1["wov"] = {(fa.name, 3): "427,680.00"}
        expected += [
            {"rule": "BALANCE.MONTHLY_SUM_MISMATCH", "keys": [gs.name], "file": f_report, "severity": "error"},
            {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": ["粉煤灰", "427680"], "file": f_a1, "severity": "error"},
        ]
        allowed += [{"rule": "SUM.TOTAL_MISMATCH", "keys": []},
                    {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": [gs.name, str(q(gs.mU[i] + 1000, 2))]}]
        notes = ("October 脱硫石膏 on the 续表 page is 1,000 t too high (monthly sum ≠ annual 91,275.00); 附件1 "
                 "粉煤灰（干灰） 利用量 427,680.00 vs 472,680.00 for 燃煤粉煤灰 in 附件3 and the report")
    if variant == "d2":
        narr["sec6_after_summary"] = [cn_sent.replace(cn_int(int(lz.U)), cn_int(int(lz.U) - 900))]
        o3["ov"] = {gs.name: {"rate": "97.85"}}
        expected += [
            {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": [lz.name, str(int(lz.U) - 900)], "file": f_report,
             "severity": "error"},
            {"rule": "RATE.MISMATCH", "keys": [gs.name], "file": f_a3, "severity": "error"},
        ]
        notes = (f"prose gives 炉渣 {cn_int(int(lz.U) - 900)}吨 (汉字) vs 59,859.00 t in the tables; 附件3 烟气脱硫石膏 "
                 "综合利用率 97.85% vs 91,275/93,540 = 97.58%")
    cfg = dict(hmode="word", sub="cn", tstyle="three_line", unit="t2", titles=titles,
               period_text=f"{YEAR}年1月1日—{YEAR}年12月31日", report_date="2026年3月18日", flow_png=flow,
               month_label=lambda m: f"{YEAR}年{m}月", monthly=dict(orient="rows_months", split_at=6, repeat=True),
               narr=narr, neg="paren", waste_label=lambda w, i: f"{i}.{w.name}", monthly_override=ov_month)
    doc = new_doc()
    cover(doc, co, ["襄阳汉能热电有限公司", "工业固体废物资源综合利用评价报告"], "2026年3月18日")
    write_report(doc, co, cfg)
    set_header(doc, f"{co['ag']['name']}　　{co['ag']['prefix']}-2026-0032")
    add_page_number_footer(doc)
    src = R / f_report.replace(".pdf", ".docx")
    save_doc(doc, src)
    conv.append((src, R / f_report))

    doc = new_doc(size=11)
    a1_docx_grid(doc, co, o1)
    src = R / f_a1.replace(".pdf", ".docx")
    save_doc(doc, src)
    conv.append((src, R / f_a1))

    wb = new_wb()
    wb.remove(wb.active)
    a3_xlsx(wb, co, o3)
    save_wb(wb, R / f_a3)

    mat = dict(names={"license": "企业资料/营业执照（副本）.jpg", "ops": "企业资料/近两年生产经营情况说明.docx",
                      "ledger": "企业资料/粉煤灰、炉渣、脱硫石膏产销存月报表.xlsx", "blend": "企业资料/原料掺量证明.docx",
                      "tech": "企业资料/产品标准及工艺技术说明.docx", "test": "企业资料/产品质量检验报告.pdf",
                      "iso9001": "企业资料/ISO9001质量管理体系证书.jpg", "iso14001": "企业资料/ISO14001环境管理体系证书.jpg",
                      "decl": "企业资料/企业真实性声明（盖章）.pdf"},
               seal=seal, flow_png=flow, ledger_wname={fa.name: "粉煤灰（干灰）"},
               dates=dict(ops="2026年3月12日", blend="2026年3月12日", decl="2026年3月12日"))
    write_materials(R, co, mat, conv)
    vars_ = ["tbl_borderless_pdf", "tbl_continued", "tbl_waste_synonyms", "narr_qizhong", "narr_cn_numerals",
             "num_formats"]
    return pkg, dict(package=name, form=FORM, clean=variant == "clean", variations=vars_, expected=expected,
                     allowed=allowed, notes=notes)


# ----------------------------------------------------------------------------------------------
# C  鄂州鑫华特钢有限公司 — one Word file holding the report, 附件1 (label：value in one cell, group rows,
#    计量单位 column), 附件3 and the 真实性声明; 亿元/万元/元 in prose; headers like 本年产生量, 综合利用量(t).
# ----------------------------------------------------------------------------------------------
def build_C(out, variant, conv, tmp):
    co = fresh(company_C)
    flow, seal = make_assets(tmp, co)
    gl, gz, cn = co["wastes"]
    name = {"clean": "HBE-C0", "d1": "HBE-C1", "d2": "HBE-C2"}[variant] + "-鄂州鑫华特钢有限公司"
    pkg = Pkg(out, name)
    R = pkg.root
    f_main = "鄂州鑫华特钢有限公司工业固体废物资源综合利用评价申报材料（评价报告及附表）.docx"
    titles = {1: "一、评价概述", 2: "二、企业基本情况", 3: "三、企业生产及经营", 4: "四、企业工艺技术", 5: "五、企业体系建设",
              6: "六、固体废物综合利用情况", 7: "七、结论"}
    money = (f"{YEAR}年企业综合利用产品产值{yi(co['value'])}亿元，其中{gl.product}产值{fmt(gl.value)}万元；"
             f"上一年度享受资源综合利用增值税即征即退税款{fmt(co['relief'] * 10000, 0)}元。")
    overview = (f"评价期内企业产生{gl.name}{wan(gl.P)}万吨、{gz.name}{wan(gz.P)}万吨、{cn.name}{fmt(cn.P, 0)}吨，综合利用"
                f"{gl.name}{wan(gl.U)}万吨、{gz.name}{wan(gz.U)}万吨、{cn.name}{fmt(cn.U, 0)}吨。")
    narr = {"sec3_end": [money], "sec6_overview": [overview]}
    expected, allowed = [], []
    a1_rows = {
        gl.name: [gl.name, "万吨", wan(gl.P), "0", wan(gl.U), gl.product, f"{wan(gl.O)}万吨", fmt(gl.value)],
        gz.name: [gz.name, "万吨", wan(gz.P), "0", wan(gz.U), gz.product, f"{wan(gz.O)}万吨", fmt(gz.value)],
        cn.name: [cn.name, "吨", fmt(cn.P, 0), "0", fmt(cn.U, 0), cn.product, f"{fmt(cn.O, 0)}吨", fmt(cn.value)],
    }
    a1_vals = {}
    a3_unit_name = co["name"]
    notes = "钢铁 one-file package (report + 附件1 inline/group rows/计量单位 + 附件3 + 声明 in one docx); clean"
    if variant == "d1":
        narr["sec3_end"] = [money.replace(f"{yi(co['value'])}亿元", "3.87亿元")]
        a1_rows[cn.name][4] = "52,300"
        expected += [
            {"rule": "BALANCE.UTILIZATION_EXCEEDS_SUPPLY", "keys": [cn.name, "52300"], "file": f_main, "severity": "error"},
            {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": ["387000000"], "file": f_main, "severity": "error"},
        ]
        allowed += [{"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": [cn.name, "52300"]}]
        notes = ("附件1 含铁尘泥 (计量单位 吨) 综合利用量 52,300 > 产生量 48,650 + 接收量 0; prose 综合利用产品产值3.87亿元 vs "
                 "37,825.74万元 in 附件1/附件3")
    if variant == "d2":
        bad = break_uscc(co["uscc"])
        a1_vals = {"uscc": bad}
        a3_unit_name = "鄂州鑫华特钢股份有限公司"
        a1_rows[gz.name][4] = "37.50"
        expected += [
            {"rule": "ID.USCC_INVALID", "keys": [bad], "file": f_main, "severity": "error"},
            {"rule": "IDENTITY.NAME_MISMATCH", "keys": ["鄂州鑫华特钢股份有限公司"], "file": f_main, "severity": "error"},
            {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": [gz.name, "375000"], "file": f_main, "severity": "error"},
        ]
        allowed += [{"rule": "IDENTITY.NAME_MISMATCH", "keys": [bad]}]
        notes = (f"附件1 统一社会信用代码：{bad} (bad check character, inline cell); 附件3 填报单位名称 鄂州鑫华特钢股份有限公司; "
                 "附件1 钢渣 (under the group row 一、冶炼废渣, 万吨) 综合利用量 37.50 vs 35.70万吨 / 357,000 t elsewhere")
    cfg = dict(hmode="bold", sub="cn", tstyle="grid", unit="t0", titles=titles,
               period_text=f"{YEAR}年度（{YEAR}年1月1日至12月31日）", report_date="2026年3月", flow_png=flow,
               month_label=lambda m: f"{m}月", monthly=dict(orient="rows_wastes", size=8.5, landscape=True), narr=narr,
               unit_col={gl.name: "万吨", gz.name: "万吨", cn.name: "吨"},
               summary_hdr=["本年产生量", "接收量", "综合利用量"])
    doc = new_doc(size=11)
    cover(doc, co, ["工业固体废物资源综合利用", "评价申报材料"], "2026年3月",
          extra=["（评价报告、附件1、附件3、真实性声明）"])
    toc(doc, ["第一部分 评价报告"] + [titles[k] for k in range(1, 8)] +
        ["第二部分 附件1 申报企业基本情况表", "第三部分 附件3 年报表", "第四部分 企业真实性声明", "第五部分 证明材料清单"])
    doc.add_heading("第一部分 湖北省工业固体废物资源综合利用评价报告", level=1)
    write_report(doc, co, cfg)
    page_break(doc)
    cols = ["工业固体废物种类名称", "计量单位", "本年产生量", "接收量", "综合利用量", "产品名称", "产品产量", "产品产值（万元）"]
    body = [("group", "一、冶炼废渣"), a1_rows[gl.name], a1_rows[gz.name], ("group", "二、除尘灰及污泥"), a1_rows[cn.name]]
    doc.add_heading("第二部分 附件1", level=1)
    a1_docx_inline(doc, co, dict(cols=cols, body=body, vals=a1_vals, sign={"date": "2026年3月12日"}, seal=seal))
    page_break(doc)
    doc.add_heading("第三部分 附件3", level=1)
    a3_docx(doc, co, dict(cols=["seq", "name", "P", "U", "value", "rate", "note"],
                          hdr={"P": "产生量（吨）", "U": "综合利用量(t)", "value": "综合利用产值（万元）"},
                          unit_name=a3_unit_name, note={gz.name: f"尾渣{fmt(gz.Dp, 0)}吨堆存"},
                          footer=dict(reviewer="刘志强", filler=co["contact"], tel="0711-3358020", date="2026年3月12日")))
    page_break(doc)
    doc.add_heading("第四部分 企业真实性声明", level=1)
    para(doc, "真实性声明", bold=True, size=16, align="center")
    para(doc, f"本企业郑重声明：向{co['ag']['name']}提交的营业执照、近两年生产经营情况说明、工业固体废物产生、消耗、库存及产品生产、"
              "出库、外销报表、原料掺量证明、产品标准及工艺技术说明、产品质量检测报告、管理体系建设情况等材料真实、准确、完整，"
              "如有虚假，愿承担一切法律责任。")
    para(doc, f"法定代表人（签字）：{co['legal']}", align="right")
    para(doc, f"{co['name']}（公章）", align="right")
    add_picture(doc, seal, 3.5, align="right")
    para(doc, "2026年3月12日", align="right")
    page_break(doc)
    doc.add_heading("第五部分 证明材料清单", level=1)
    for i, t in enumerate(["营业执照副本（扫描件）", "近两年生产经营情况说明", "工业固体废物及产品产销存台账", "原料掺量证明",
                           "产品标准及工艺技术说明", "产品质量检测报告", "质量、环境管理体系认证证书"], 1):
        para(doc, f"{i}. {t}")
    set_header(doc, co["name"])
    add_page_number_footer(doc)
    save_doc(doc, R / f_main)

    mat = dict(names={"license": "营业执照副本.jpg", "ops": "近两年生产经营情况说明.docx",
                      "ledger": "工业固体废物及产品产销存台账（2025年）.xlsx", "blend": "原料掺量证明.docx",
                      "tech": "产品标准及工艺技术说明.docx", "test": "产品质量检测报告（矿渣微粉）.pdf",
                      "iso9001": "质量管理体系认证证书.jpg", "iso14001": "环境管理体系认证证书.jpg", "decl": None},
               seal=seal, flow_png=flow, dates=dict(ops="2026年3月", blend="2026年3月"))
    write_materials(R, co, mat, conv)
    vars_ = ["tbl_unit_column", "tbl_group_rows", "narr_money_units", "lv_inline", "tbl_header_containment"]
    return pkg, dict(package=name, form=FORM, clean=variant == "clean", variations=vars_, expected=expected,
                     allowed=allowed, notes=notes)


# ----------------------------------------------------------------------------------------------
# D  黄石鑫源铜业有限公司 — 第一章…第七章 as bold centred paragraphs (no Word styles), 一、 sub-items;
#    one workbook for 附件1 (values below labels, label variants) and 附件3; 2024/2025 in one sentence;
#    2025.1—2025.12 / 2026.3 / 2026-03-20 dates; 负12.50%.
# ----------------------------------------------------------------------------------------------
def build_D(out, variant, conv, tmp):
    co = fresh(company_D)
    flow, seal = make_assets(tmp, co)
    cz, gs = co["wastes"]
    name = {"clean": "HBE-D0", "d1": "HBE-D1", "d2": "HBE-D2"}[variant] + "-黄石鑫源铜业"
    pkg = Pkg(out, name)
    R = pkg.root
    f_report = "黄石鑫源铜业有限公司工业固体废物资源综合利用评价报告.docx"
    f_tables = "附件1及附件3（申报表格）.xlsx"
    titles = {1: "第一章 评价概述", 2: "第二章 企业基本情况", 3: "第三章 企业生产及经营情况", 4: "第四章 企业工艺技术",
              5: "第五章 企业体系建设", 6: "第六章 固体废物综合利用情况", 7: "第七章 结论与建议"}
    multi = (f"从近两年情况看，{YEAR - 1}年企业综合利用{cz.name}{wan(cz.U24)}万吨、{gs.name}{wan(gs.U24)}万吨，"
             f"{YEAR}年综合利用{cz.name}{wan(cz.U)}万吨、{gs.name}{wan(gs.U)}万吨，综合利用量稳步增长。")
    profit_sent = (f"受铜价波动及系统检修影响，{YEAR}年企业利润总额{fmt(co['profit'])}万元，同比增速为负"
                   f"{fmt(-chg(co['profit'], co['profit24']))}%。")
    narr = {"sec3_end": [profit_sent], "sec6_after_summary": [multi]}
    expected, allowed = [], []
    o1 = dict(sheet="附件1 基本情况表", labels={"contact": "联系人姓名", "mobile": "移动电话", "email": "电子信箱",
                                          "profit": "利润（万元）", "value": "年综合利用产值（万元）",
                                          "relief": "上年度减免税种及税额（万元）"},
              sign={"date": "2026-03-20"}, numeric=True)
    o3 = dict(sheet="附件3 年报表", cols=["seq", "name", "P", "U", "value", "rate", "note"],
              footer=dict(reviewer="黄卫平", filler=co["contact"], tel="0714-6452200", date="2026年3月20日"))
    notes = "铜冶炼 folder: bold 第一章 headings, workbook with 附件1 values-below and 附件3; clean"
    if variant == "d1":
        titles = dict(titles)
        del titles[7]
        o1["vals"] = {"profit": "", "mobile": "1387162453"}
        expected += [
            {"rule": "OUTLINE.SECTION_MISSING", "keys": ["结论"], "severity": "error"},
            {"rule": "FIELD.MISSING", "keys": ["利润"], "file": f_tables, "severity": "error"},
            {"rule": "FORMAT.PHONE_INVALID", "keys": ["1387162453"], "file": f_tables, "severity": "error"},
        ]
        notes = ("report ends after 第六章 (no 结论/存在问题及建议); 附件1 利润（万元） blank in the value-below row; "
                 "移动电话 1387162453 has 10 digits")
    if variant == "d2":
        narr["sec6_after_summary"] = [multi.replace(f"{YEAR}年综合利用{cz.name}{wan(cz.U)}万吨",
                                                    f"{YEAR}年综合利用{cz.name}103.25万吨")]
        o3["ov"] = {"合计": {"U": "1,109,186.00"}}
        expected += [
            {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": [cz.name, "1032500"], "file": f_report, "severity": "error"},
            {"rule": "SUM.TOTAL_MISMATCH", "keys": ["1109186"], "file": f_tables, "severity": "error"},
        ]
        allowed += [{"rule": "RATE.MISMATCH", "keys": []}]
        notes = ("two-year sentence gives 2025 铜冶炼渣 103.25万吨 vs 102.35万吨 (the 2024 figure 98.62 is correct); "
                 "附件3 合计 综合利用量 1,109,186.00 vs 1,023,516.00 + 68,470.00 = 1,091,986.00")
    cfg = dict(hmode="bold_center", sub="cn_dun", tstyle="grid", unit="t2", titles=titles,
               period_text=f"{YEAR}.1—{YEAR}.12", report_date="2026.3", flow_png=flow,
               month_label=lambda m: f"{YEAR}.{m:02d}", monthly=dict(orient="rows_months"), narr=narr, neg="paren")
    doc = new_doc()
    cover(doc, co, ["湖北省工业固体废物资源综合利用", "评价报告"], "2026.3")
    write_report(doc, co, cfg)
    add_page_number_footer(doc, prefix="第 ")
    save_doc(doc, R / f_report)

    wb = new_wb()
    wb.remove(wb.active)
    a1_xlsx_below(wb, co, o1)
    a3_xlsx(wb, co, o3)
    save_wb(wb, R / f_tables)

    mat = dict(names={"license": "证明材料/1.营业执照.jpg", "ops": "证明材料/2.近两年生产经营情况说明.docx",
                      "ledger": "证明材料/3.冶炼渣及石膏产生、利用、库存台账.xlsx", "blend": "证明材料/4.原料掺量证明.docx",
                      "tech": "证明材料/5.产品标准及工艺技术说明.docx", "test": "证明材料/6.渣选铜精矿质量检测报告.pdf",
                      "iso9001": "证明材料/7.质量管理体系证书.jpg", "iso14001": "证明材料/7.环境管理体系证书.jpg",
                      "decl": "证明材料/8.真实性声明.docx"},
               seal=seal, flow_png=flow, ops_change="cn_neg", ledger_month=lambda m: f"{YEAR}.{m:02d}",
               ops_paras=[multi.replace("从近两年情况看，", "")],
               dates=dict(ops="2026.3", blend="2026.3", decl="2026-03-20"))
    if variant == "d2":
        mat["ops_paras"] = [(multi.replace("从近两年情况看，", ""))]
    write_materials(R, co, mat, conv)
    vars_ = ["outline_numbering", "lv_value_below", "lv_label_variants", "narr_multiyear", "num_formats",
             "date_formats"]
    if variant == "d1":
        vars_.append("lv_blank")
    return pkg, dict(package=name, form=FORM, clean=variant == "clean", variations=vars_, expected=expected,
                     allowed=allowed, notes=notes)


# ----------------------------------------------------------------------------------------------
# E  湖北金山店矿业有限公司 — flat zip; report PDF with "1 评价概述 / 1.1" numbering; 附件1 xlsx grid;
#    附件3 with 综合利用量 before 本年产生量 and a 去向 column; 约/超过 in prose; 上年度 in a doc dated 2026.
# ----------------------------------------------------------------------------------------------
def build_E(out, variant, conv, tmp):
    co = fresh(company_E)
    flow, seal = make_assets(tmp, co)
    wk, fs = co["wastes"]
    name = {"clean": "HBE-E0", "d1": "HBE-E1", "d2": "HBE-E2"}[variant] + "-湖北金山店矿业有限公司.zip"
    pkg = Pkg(out, name, zip_=True)
    R = pkg.root
    f_report = "1.评价报告（湖北金山店矿业有限公司）.pdf"
    f_a1 = "2.附件1 申报企业基本情况表.xlsx"
    f_a3 = "3.附件3 工业固体废物资源综合利用情况年报表.xlsx"
    titles = {1: "1 评价概述", 2: "2 企业概况", 3: "3 生产经营情况", 4: "4 工艺技术及装备", 5: "5 体系建设",
              6: "6 固体废物综合利用情况", 7: "7 结论与建议"}
    approx = (f"企业年产生{wk.name}约{q(wk.P / 10000, 0)}万吨、{fs.name}约{q(fs.P / 10000, 0)}万吨；评价期内综合利用"
              f"{wk.name}{wan(wk.U)}万吨，{fs.name}综合利用量超过60万吨。")
    narr = {"sec1_period": ["报告中“报告期”“本年度”均指评价期。"], "sec6_overview": [approx]}
    expected, allowed = [], []
    names = {"license": "4.营业执照.jpg", "ops": "5.近两年生产经营情况说明.docx", "ledger": "6.固废及产品进出库台账.xlsx",
             "blend": "7.掺量证明.docx", "tech": "8.产品标准及工艺说明.docx", "test": "9.产品质量检测报告（机制砂）.pdf",
             "iso9001": "10.ISO9001证书.jpg", "iso14001": "10.ISO14001证书.jpg", "decl": "11.真实性声明.docx"}
    o3 = dict(cols=["seq", "name", "U", "P", "rate", "value", "dest", "note"],
              hdr={"P": "本年产生量（吨）", "U": "综合利用量（吨）", "rate": "综合利用率（%）", "value": "综合利用产值（万元）"},
              dest={wk.name: "外售商品混凝土企业", fs.name: "外售建筑工地"},
              note={wk.name: f"另有{wan(wk.Dp)}万吨排入尾矿库", fs.name: ""},
              footer=dict(reviewer="石磊", filler=co["contact"], tel="0714-8712600", date="2026-03-16"))
    notes = "铁矿 flat zip: PDF report with decimal numbering, 附件3 columns reordered with 去向; clean"
    if variant == "d1":
        narr["sec6_overview"] = [approx.replace(f"综合利用{wk.name}{wan(wk.U)}万吨", f"{wk.name}综合利用量超过120万吨")]
        o3["ov"] = {fs.name: {"rate": "94.00"}}
        names["test"] = None
        expected += [
            {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": [wk.name, "1200000"], "file": f_report, "severity": "error"},
            {"rule": "RATE.MISMATCH", "keys": [fs.name], "file": f_a3, "severity": "error"},
            {"rule": "ATTACHMENT.MISSING", "keys": ["检测报告"], "severity": "error"},
        ]
        notes = ("prose says 铁尾矿综合利用量超过120万吨 while the tables give 1,138,460 t (113.85万吨); 附件3 废石 "
                 "综合利用率 94.00 vs 622,870/684,500 = 91.00 (columns reordered); 产品质量检测报告 not supplied")
    ov_month, a1_wov = {}, {}
    if variant == "d2":
        i = 10  # November, on the 续表 page (no repeated header)
        ov_month[(wk.name, i)] = fmt(wk.mU[i] - 2000, 0)
        ov_month[("__row__", i)] = fmt(sum(w.mU[i] for w in co["wastes"]) - 2000, 0)
        a1_wov = {(fs.name, 1): "648,500"}
        expected += [
            {"rule": "BALANCE.MONTHLY_SUM_MISMATCH", "keys": [wk.name], "file": f_report, "severity": "error"},
            {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": [fs.name, "648500"], "file": f_a1, "severity": "error"},
        ]
        allowed += [{"rule": "SUM.TOTAL_MISMATCH", "keys": []},
                    {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": [wk.name, str(wk.mU[i] - 2000)]}]
        notes = ("November 铁尾矿 on the 续表 page (continuation without repeated header) is 2,000 t too low, so the "
                 "months no longer add up to 1,138,460; 附件1 废石 产生量 648,500 vs 684,500 elsewhere")
    cfg = dict(hmode="word", sub="dec", tstyle="grid", unit="t0", titles=titles, monthly_override=ov_month,
               period_text=f"{YEAR}-01-01至{YEAR}-12-31", report_date="2026-03-16", flow_png=flow,
               month_label=lambda m: f"{YEAR}-{m:02d}", monthly=dict(orient="rows_months", split_at=8, repeat=False),
               narr=narr)
    doc = new_doc()
    cover(doc, co, ["工业固体废物资源综合利用评价报告"], "2026-03-16",
          extra=[f"报告编号：{co['ag']['prefix']}-2026-0041"])
    toc(doc, [titles[k] for k in range(1, 8)])
    write_report(doc, co, cfg)
    set_header(doc, "湖北金山店矿业有限公司工业固体废物资源综合利用评价报告")
    add_page_number_footer(doc)
    src = R / f_report.replace(".pdf", ".docx")
    save_doc(doc, src)
    conv.append((src, R / f_report))

    wb = new_wb()
    wb.remove(wb.active)
    a1_xlsx_grid(wb, co, dict(sheet="基本情况表", sign={"date": "2026年3月16日"}, wov=a1_wov))
    save_wb(wb, R / f_a1)
    wb = new_wb()
    wb.remove(wb.active)
    a3_xlsx(wb, co, o3)
    save_wb(wb, R / f_a3)

    rel = (f"上年度，公司共综合利用{wk.name}{wan(wk.U)}万吨、{fs.name}{wan(fs.U)}万吨，较{YEAR - 1}年分别增长"
           f"{fmt(chg(wk.U, wk.U24))}%和{fmt(chg(fs.U, fs.U24))}%。")
    mat = dict(names=names, seal=seal, flow_png=flow, ops_paras=[rel],
               dates=dict(ops="2026年2月26日", blend="2026年2月26日", decl="2026年2月26日"))
    write_materials(R, co, mat, conv)
    vars_ = ["tbl_column_order", "tbl_header_containment", "narr_approx", "outline_numbering",
             "narr_relative_period", "date_formats", "tbl_continued"]
    return pkg, dict(package=name, form=FORM, clean=variant == "clean", variations=vars_, expected=expected,
                     allowed=allowed, notes=notes)


# ----------------------------------------------------------------------------------------------
# F  十堰鑫达精密铸造有限公司 — zip with nested folders; bold "一、" headings; 附件1 docx with label：value
#    cells and 自产/接收 group rows (the same waste twice); 附件3 with an extra 接收量 column; 其中-list and
#    three years in one sentence.
# ----------------------------------------------------------------------------------------------
def build_F(out, variant, conv, tmp):
    co = fresh(company_F)
    flow, seal = make_assets(tmp, co)
    sa, lz = co["wastes"]
    name = {"clean": "HBE-F0", "d1": "HBE-F1"}[variant] + "-十堰鑫达精密铸造有限公司申报材料.zip"
    top = "十堰鑫达精密铸造申报材料"
    pkg = Pkg(out, name, zip_=True, top=top)
    R = pkg.root
    f_report = "1 评价报告/十堰鑫达精密铸造有限公司工业固体废物资源综合利用评价报告.docx"
    f_a1 = "2 申报表/附件1 申报企业基本情况表.docx"
    f_a3 = "2 申报表/附件3 年报表.xlsx"
    titles = {1: "一、评价概述", 2: "二、企业基本情况", 3: "三、企业生产及经营", 4: "四、企业工艺技术", 5: "五、企业体系建设",
              6: "六、固体废物综合利用情况", 7: "七、结论"}
    qz = (f"评价期内，企业共综合利用工业固体废物{wan(co['U'])}万吨，其中{sa.name}{wan(sa.U)}万吨（含接收外单位废砂"
          f"{wan(sa.R)}万吨）、{lz.name}{wan(lz.U)}万吨。")
    multi = (f"{YEAR - 2}年、{YEAR - 1}年和{YEAR}年，企业分别综合利用{sa.name}{wan(sa.U23)}万吨、{wan(sa.U24)}万吨和"
             f"{wan(sa.U)}万吨，{lz.name}{wan(lz.U23)}万吨、{wan(lz.U24)}万吨和{wan(lz.U)}万吨。")
    narr = {"sec6_overview": [qz], "sec6_after_summary": [multi],
            "sec6_recv": [f"评价期内企业接收十堰市域内3家铸造企业产生的{sa.name}{fmt(sa.R, 0)}吨，全部进入热法再生线利用。"]}
    expected, allowed = [], []
    cols = ["工业固体废物种类名称", "产生量(吨)", "接收量(吨)", "利用量(吨)", "产品名称", "产品产量", "产品产值(万元)"]
    body = [("group", "一、自产工业固体废物"),
            [sa.name, fmt(sa.P, 0), "0", fmt(sa.U - sa.R, 0), sa.product, f"{fmt(sa.O, 0)}吨", fmt(sa.value)],
            [lz.name, fmt(lz.P, 0), "0", fmt(lz.U, 0), lz.product, f"{fmt(lz.O, 0)}吨", fmt(lz.value)],
            ("group", "二、接收外单位工业固体废物"),
            [sa.name, "0", fmt(sa.R, 0), fmt(sa.R, 0), "再生铸造砂（与自产废砂合并再生，产量、产值已计入上行）", "—", "—"]]
    a1_vals = {"fax": "无"}
    notes = "铸造 nested zip: 附件1 inline cells with 自产/接收 group rows, 附件3 with 接收量 column; clean"
    if variant == "d1":
        narr["sec6_overview"] = [qz.replace(f"{sa.name}{wan(sa.U)}万吨", f"{sa.name}4.68万吨")]
        a1_vals.update({"contact": "", "email": "liuhm@sydxzz"})
        expected += [
            {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": [sa.name, "46800"], "file": f_report, "severity": "error"},
            {"rule": "FIELD.MISSING", "keys": ["联系人"], "file": f_a1, "severity": "error"},
            {"rule": "FORMAT.EMAIL_INVALID", "keys": ["liuhm@sydxzz"], "file": f_a1, "severity": "error"},
        ]
        notes = ("其中-list gives 废铸造砂4.68万吨 vs 4.86万吨; 附件1 “联系人：” cell has no name; 电子邮箱 liuhm@sydxzz "
                 "has no top-level domain")
    cfg = dict(hmode="bold", sub="cn", tstyle="grid", unit="t0", titles=titles,
               period_text=f"{YEAR}年1月至12月", report_date="二〇二六年三月十日", flow_png=flow,
               month_label=lambda m: f"{m}月", monthly=dict(orient="rows_months", split_recv=True), narr=narr,
               sec6_sub2="企业自身产生及接收的工业固体废物每月分种类综合利用量")
    doc = new_doc()
    cover(doc, co, ["十堰鑫达精密铸造有限公司", "工业固体废物资源综合利用评价报告"], "二〇二六年三月十日")
    write_report(doc, co, cfg)
    add_page_number_footer(doc)
    save_doc(doc, R / f_report)

    doc = new_doc(size=11)
    a1_docx_inline(doc, co, dict(cols=cols, body=body, vals=a1_vals, sign={"date": "2026年3月10日"}, seal=seal))
    save_doc(doc, R / f_a1)

    wb = new_wb()
    wb.remove(wb.active)
    a3_xlsx(wb, co, dict(cols=["seq", "name", "P", "R", "U", "value", "rate", "note"],
                         wname={sa.name: "铸造废砂"},
                         note={sa.name: "接收量来自十堰市域内3家铸造企业；利用率按利用量/(产生量+接收量)计"},
                         footer=dict(reviewer="杨振宇", filler="刘红梅", tel="0719-8265128", date="2026年3月10日")))
    save_wb(wb, R / f_a3)

    mat = dict(names={"license": "3 企业材料/（一）营业执照/营业执照副本.jpg",
                      "ops": "3 企业材料/（二）近两年生产经营情况说明.docx",
                      "ledger": "3 企业材料/（三）废砂、炉渣及再生砂产销存报表.xlsx",
                      "blend": "3 企业材料/（四）原料掺量证明.docx",
                      "tech": "3 企业材料/（五）产品标准及工艺技术说明.docx",
                      "test": "3 企业材料/（六）再生砂产品质量检测报告.pdf",
                      "iso9001": "3 企业材料/（七）管理体系/质量管理体系认证证书.jpg",
                      "iso14001": "3 企业材料/（七）管理体系/环境管理体系认证证书.jpg",
                      "decl": "3 企业材料/（八）真实性声明.docx"},
               seal=seal, flow_png=flow, ledger_wname={sa.name: "废旧砂"}, ops_paras=[multi],
               dates=dict(ops="2026年3月5日", blend="2026年3月5日", decl="2026年3月5日"))
    write_materials(R, co, mat, conv)
    vars_ = ["narr_qizhong", "narr_multiyear", "lv_inline", "tbl_group_rows", "tbl_waste_synonyms", "lv_blank"]
    return pkg, dict(package=name, form=FORM, clean=variant == "clean", variations=vars_, expected=expected,
                     allowed=allowed, notes=notes)


# ----------------------------------------------------------------------------------------------
# entry points
# ----------------------------------------------------------------------------------------------
PLAN = [(build_A, "clean"), (build_A, "d1"), (build_A, "d2"),
        (build_B, "clean"), (build_B, "d1"), (build_B, "d2"),
        (build_C, "clean"), (build_C, "d1"), (build_C, "d2"),
        (build_D, "clean"), (build_D, "d1"), (build_D, "d2"),
        (build_E, "clean"), (build_E, "d1"), (build_E, "d2"),
        (build_F, "clean"), (build_F, "d1")]


def build(out_dir: pathlib.Path) -> list[dict]:
    """Write every package under out_dir (a folder or a .zip per package) and return the manifest."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="hbeval_assets_"))
    conv, pkgs, manifest = [], [], []
    try:
        for fn, variant in PLAN:
            pkg, entry = fn(out_dir, variant, conv, tmp)
            for e in entry["expected"]:
                if e.get("file"):
                    e["file"] = pkg.rel(e["file"])
            pkgs.append(pkg)
            manifest.append(entry)
        convert_all(conv)
        for pkg in pkgs:
            pkg.finalize()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python -m tests.variations.build_hb_evaluation OUT_DIR", file=sys.stderr)
        sys.exit(2)
    print(json.dumps(build(pathlib.Path(sys.argv[1])), ensure_ascii=False, indent=2))
