"""Hand-built nowaste_case packages (无废园区/无废企业 典型案例申报书, seed 003) for measuring Shencha.

Independent of the project generator: layouts, wording and defects are written here by hand.
Run:  python -m tests.variations.build_nowaste_case OUT_DIR   (prints the manifest as JSON)
"""
# ---------------------------------------------------------------------------
# helpers (self-contained; duplicated in build_nowaste_case.py / build_hn_green_mfg.py)
# ---------------------------------------------------------------------------
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from decimal import ROUND_HALF_UP, Decimal as D

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from PIL import Image, ImageDraw, ImageFont
from stdnum.cn import uscc as _uscc

ZIP_TIME = (2024, 3, 15, 9, 30, 0)


def q(x, places):
    return D(x).quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fnum(x, places=2, sep=False):
    v = q(x, places)
    return f"{v:,.{places}f}" if sep else f"{v:.{places}f}"


def acct(x, places=0):
    """accounting style: negative in parentheses, thousands separators."""
    v = q(x, places)
    s = f"{abs(v):,.{places}f}"
    return f"({s})" if v < 0 else s


_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def org_code(base8):
    w = (3, 7, 9, 10, 5, 8, 4, 2)
    s = sum(_ALNUM.index(ch) * wi for ch, wi in zip(base8, w))
    c = 11 - s % 11
    return base8 + ("X" if c == 10 else "0" if c == 11 else str(c))


def make_uscc(admin6, base8, head="91"):
    body = head + admin6 + org_code(base8)
    code = body + _uscc.calc_check_digit(body)
    _uscc.validate(code)
    return code


CN_DIG = "零一二三四五六七八九"


def cn_int(n):
    n = int(n)
    if n == 0:
        return "零"
    if n >= 10000:
        hi, lo = divmod(n, 10000)
        s = cn_int(hi) + "万"
        if lo:
            s += ("零" if lo < 1000 else "") + cn_int(lo)
        return s
    units = ["", "十", "百", "千"]
    digits = str(n)
    out, zero = "", False
    for i, ch in enumerate(digits):
        d = int(ch)
        pos = len(digits) - 1 - i
        if d == 0:
            zero = True
            continue
        if zero and out:
            out += "零"
        zero = False
        out += CN_DIG[d] + units[pos]
    if out.startswith("一十"):
        out = out[1:]
    return out


def cn_dec(x):
    s = str(x)
    if "." in s:
        a, b = s.split(".")
        return cn_int(int(a)) + "点" + "".join(CN_DIG[int(c)] for c in b)
    return cn_int(int(s))


def cn_year(y):
    return "".join("〇一二三四五六七八九"[int(c)] for c in str(y))


def cn_date(y, m, d=None):
    s = f"{cn_year(y)}年{cn_int(m)}月"
    if d:
        s += f"{cn_int(d)}日"
    return s


# ---------------------------------------------------------------- docx ----
def new_doc(body_font="仿宋_GB2312", size=12, margins=(2.5, 2.2)):
    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.top_margin = sec.bottom_margin = Cm(margins[0])
    sec.left_margin = sec.right_margin = Cm(margins[1])
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(size)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), body_font)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        hs = doc.styles[name]
        hs.font.color.rgb = RGBColor(0, 0, 0)
        hs.font.name = "Times New Roman"
        hs.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    doc.styles["Heading 1"].font.size = Pt(16)
    doc.styles["Heading 2"].font.size = Pt(14)
    doc.styles["Heading 3"].font.size = Pt(12)
    return doc


def _run(p, text, bold=False, size=None, font=None, underline=False):
    r = p.add_run(text)
    r.bold = bold
    r.underline = underline
    if size:
        r.font.size = Pt(size)
    if font:
        r.font.name = "Times New Roman"
        r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return r


def para(doc, text="", bold=False, size=None, align=None, indent=True, font=None,
         space_after=None, keep=False):
    p = doc.add_paragraph()
    if text:
        _run(p, text, bold=bold, size=size, font=font)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif indent:
        p.paragraph_format.first_line_indent = Pt((size or 12) * 2)
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.line_spacing = 1.25
    if keep:
        p.paragraph_format.keep_with_next = True
    return p


def heading(doc, text, level=1, mode="style"):
    """mode: style (Word Heading N), bold (bold plain paragraph), plain (normal paragraph)."""
    if mode == "style":
        return doc.add_heading(text, level=level)
    size = {1: 15, 2: 13, 3: 12}[level]
    p = para(doc, text, bold=(mode == "bold"), size=size, indent=(level > 1),
             font="黑体" if mode == "bold" and level == 1 else None, keep=True)
    return p


def page_break(doc):
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def header_footer(doc, header_text=None, page_numbers=True):
    sec = doc.sections[0]
    if header_text:
        hp = sec.header.paragraphs[0]
        hp.text = header_text
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if page_numbers:
        fp = sec.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(fp, "— ")
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        r.append(t)
        fld.append(r)
        fp._p.append(fld)
        _run(fp, " —")


def _border_el(tag, val="single", sz=4):
    el = OxmlElement(tag)
    el.set(qn("w:val"), val)
    if val != "nil":
        el.set(qn("w:sz"), str(sz))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
    return el


def _table_borders(table, mode):
    tblPr = table._tbl.tblPr
    b = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if mode == "grid":
            b.append(_border_el(f"w:{edge}", "single", 4))
        elif mode == "three" and edge in ("top", "bottom"):
            b.append(_border_el(f"w:{edge}", "single", 12))
        else:
            b.append(_border_el(f"w:{edge}", "nil"))
    tblPr.append(b)


def _cell_bottom(cell, sz=6):
    tcPr = cell._tc.get_or_add_tcPr()
    tb = OxmlElement("w:tcBorders")
    tb.append(_border_el("w:bottom", "single", sz))
    tcPr.append(tb)


def expand_rows(rows, ncols):
    """rows: list of rows; a cell is str or (str, colspan).  Returns grid + merges."""
    grid, merges = [], []
    for r, row in enumerate(rows):
        line, c = [], 0
        for cell in row:
            text, span = (cell, 1) if isinstance(cell, str) else cell
            line.append(text)
            line.extend([None] * (span - 1))
            if span > 1:
                merges.append((r, c, r, c + span - 1))
            c += span
        if c != ncols:
            raise ValueError(f"row {r} has {c} columns, expected {ncols}: {row}")
        grid.append(line)
    return grid, merges


def add_table(doc, rows, ncols, borders="grid", header_rows=(), repeat_header=False,
              size=10.5, widths=None, bold_rows=(), vmerges=(), left_cols=(0,), font=None):
    grid, merges = expand_rows(rows, ncols)
    t = doc.add_table(rows=len(grid), cols=ncols)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_borders(t, borders)
    for r, line in enumerate(grid):
        for c, text in enumerate(line):
            if not text:
                continue
            cell = t.cell(r, c)
            parts = text.split("\n")
            p = cell.paragraphs[0]
            for i, part in enumerate(parts):
                if i:
                    p = cell.add_paragraph()
                _run(p, part, bold=(r in bold_rows or r in header_rows), size=size, font=font)
                if c not in left_cols:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for (r0, c0, r1, c1) in list(merges) + list(vmerges):
        t.cell(r0, c0).merge(t.cell(r1, c1))
    if widths:
        for r in range(len(grid)):
            for c, w in enumerate(widths):
                t.cell(r, c).width = Cm(w)
    for r in header_rows:
        if repeat_header:
            trPr = t.rows[r]._tr.get_or_add_trPr()
            h = OxmlElement("w:tblHeader")
            h.set(qn("w:val"), "true")
            trPr.append(h)
    if borders == "three" and header_rows:
        last = max(header_rows)
        for c in range(ncols):
            _cell_bottom(t.cell(last, c))
    return t


FIXED_DT = __import__("datetime").datetime(2024, 3, 15, 9, 30, 0)


def _normalize_ooxml(path):
    """rewrite an OOXML zip with fixed entry times so that builds are byte-identical."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2024-03-15T09:30:00Z", data)
            zi = zipfile.ZipInfo(name, ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)


def save_docx(doc, path):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cp = doc.core_properties
    cp.author = cp.last_modified_by = "admin"
    cp.created = cp.modified = FIXED_DT
    cp.revision = 1
    doc.save(str(path))
    _normalize_ooxml(path)


# ---------------------------------------------------------------- xlsx ----
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def xl_rows(ws, rows, ncols, start=1, border=True, bold_rows=(), widths=None, left_cols=(1,),
            size=10.5, row_height=None):
    """rows like add_table; a cell may also be a tuple (value, colspan, number_format)."""
    for i, row in enumerate(rows):
        r = start + i
        c = 1
        for cell in row:
            fmt = None
            if isinstance(cell, tuple):
                if len(cell) == 3:
                    val, span, fmt = cell
                else:
                    val, span = cell
            else:
                val, span = cell, 1
            x = ws.cell(row=r, column=c, value=val)
            x.font = Font(name="宋体", size=size, bold=(i in bold_rows))
            x.alignment = Alignment(horizontal="left" if c in left_cols else "center",
                                    vertical="center", wrap_text=True)
            if fmt:
                x.number_format = fmt
            if border:
                for cc in range(c, c + span):
                    ws.cell(row=r, column=cc).border = BOX
            if span > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + span - 1)
            c += span
        if c - 1 != ncols:
            raise ValueError(f"xlsx row {i} has {c - 1} cols, expected {ncols}: {row}")
        if row_height:
            ws.row_dimensions[r].height = row_height
    if widths:
        for j, w in enumerate(widths):
            ws.column_dimensions[openpyxl.utils.get_column_letter(j + 1)].width = w
    return start + len(rows)


def xl_title(ws, r, text, ncols, size=14, bold=True, align="center"):
    x = ws.cell(row=r, column=1, value=text)
    x.font = Font(name="黑体" if bold else "宋体", size=size, bold=bold)
    x.alignment = Alignment(horizontal=align, vertical="center")
    if ncols > 1:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    return r + 1


def save_xlsx(wb, path):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.creator = "admin"
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT
    wb.save(str(path))
    _normalize_ooxml(path)


# ---------------------------------------------------------------- images --
_FONT_PATHS = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
               "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]


def _font(size):
    for p in _FONT_PATHS:
        if os.path.exists(p):
            return ImageFont.truetype(p, size)
    return ImageFont.load_default()


def make_image(path, title, lines, seal=None, size=(1240, 1754)):
    """A plain scan-like attachment image (licence, certificate, photo caption)."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", size, (250, 249, 244))
    d = ImageDraw.Draw(img)
    W, H = size
    d.rectangle([40, 40, W - 40, H - 40], outline=(150, 60, 40), width=6)
    ft, fb = _font(64), _font(34)
    tw = d.textlength(title, font=ft)
    d.text(((W - tw) / 2, 140), title, fill=(20, 20, 20), font=ft)
    y = 320
    for ln in lines:
        d.text((120, y), ln, fill=(30, 30, 30), font=fb)
        y += 62
    if seal:
        cx, cy, r = W - 330, H - 360, 170
        d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(210, 30, 30), width=8)
        fs = _font(30)
        sw = d.textlength(seal, font=fs)
        d.text((cx - sw / 2, cy - 18), seal, fill=(210, 30, 30), font=fs)
        d.text((cx - 18, cy - 110), "★", fill=(210, 30, 30), font=_font(40))
    if path.suffix.lower() in (".jpg", ".jpeg"):
        img.save(str(path), "JPEG", quality=80)
    else:
        img.save(str(path), "PNG")


# ---------------------------------------------------------------- pdf / zip
def pdf_batch(jobs, tag):
    """jobs: list of (docx_path, pdf_path).  One LibreOffice call for all of them."""
    if not jobs:
        return
    work = pathlib.Path(tempfile.mkdtemp(prefix=f"{tag}_pdf_"))
    prof = pathlib.Path(f"/tmp/lo_{tag}_{os.getpid()}")
    try:
        srcs = []
        for i, (src, _dst) in enumerate(jobs):
            p = work / f"f{i:02d}.docx"
            shutil.copy(src, p)
            srcs.append(str(p))
        subprocess.run(["soffice", "--headless", "--norestore",
                        f"-env:UserInstallation=file://{prof}", "--convert-to", "pdf",
                        "--outdir", str(work)] + srcs,
                       check=True, capture_output=True, timeout=240)
        for i, (_src, dst) in enumerate(jobs):
            dst = pathlib.Path(dst)
            dst.parent.mkdir(parents=True, exist_ok=True)
            data = (work / f"f{i:02d}.pdf").read_bytes()
            # fixed creation/modification dates and document ID (same lengths: offsets stay valid)
            data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)\d{14}", rb"\g<1>20240315093000", data)
            data = re.sub(rb"(/ID\s*\[\s*<)[0-9A-Fa-f]+(>\s*<)[0-9A-Fa-f]+(>)",
                          lambda mm: mm.group(1) + b"0" * 32 + mm.group(2) + b"0" * 32 + mm.group(3), data)
            data = re.sub(rb"(/DocChecksum\s*/)([0-9A-Fa-f]{32})", lambda mm: mm.group(1) + b"0" * 32, data)
            dst.write_bytes(data)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(prof, ignore_errors=True)


def zip_dir(src_dir, zip_path):
    src_dir = pathlib.Path(src_dir)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(src_dir.rglob("*")):
            rel = p.relative_to(src_dir).as_posix()
            if p.is_dir():
                zi = zipfile.ZipInfo(rel + "/", ZIP_TIME)
                zi.external_attr = (0o40755 << 16) | 0x10
                z.writestr(zi, b"")
            else:
                zi = zipfile.ZipInfo(rel, ZIP_TIME)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = 0o644 << 16
                z.writestr(zi, p.read_bytes())


def clear(path):
    path = pathlib.Path(path)
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def hanzi_len(text):
    """characters a reviewer counts as 字: everything except whitespace."""
    return sum(1 for ch in text if not ch.isspace())


# ---------------------------------------------------------------------------
# nowaste_case: data
# ---------------------------------------------------------------------------
FORM = "nowaste_case"
YEARS = [2020, 2021, 2022, 2023]


def Ds(*xs):
    return [D(x) for x in xs]


def metrics(c):
    """derived figures, computed from the figures exactly as they are shown."""
    m = {}
    n = len(YEARS)
    m["gen_tot"] = [sum(w[1][i] for w in c["gen"]) for i in range(n)]
    m["use_tot"] = [sum(w[1][i] for w in c["use"]) for i in range(n)]
    rp = c["rate_places"]
    m["rate"] = [q(m["use_tot"][i] / m["gen_tot"][i] * 100, rp) for i in range(n)]
    k = c.get("waste_scale", 1)          # 1: figures in 万吨; 10000: figures in 吨
    m["gen_t"] = [g * (10000 if k == 1 else 1) for g in m["gen_tot"]]
    if c["kind"] == "park":
        m["out_tot"] = [sum(s[1][i] for s in c["out_items"]) for i in range(n)]
        ip = c["int_places"]
        m["int"] = [q(m["gen_t"][i] / c["va"][i], ip) for i in range(n)]
        m["int_dec"] = q((m["int"][0] - m["int"][3]) / m["int"][0] * 100, 1)
    else:
        m["prod_tot"] = [sum(s[1][i] for s in c["products"]) for i in range(n)]
        f = c["unit_gen_factor"]
        up = c["unit_gen_places"]
        m["ugen"] = [q(m["gen_t"][i] / (m["prod_tot"][i] * f), up) for i in range(n)]
        m["ugen_dec"] = q((m["ugen"][0] - m["ugen"][3]) / m["ugen"][0] * 100, 1)
    m["rate_up"] = m["rate"][3] - m["rate"][0]
    return m


def assert_clean(c, m):
    """the thresholds and balances a clean package must meet."""
    for i in range(len(YEARS)):
        for (wn, g), (un, u) in zip(c["gen"], c["use"]):
            if c["kind"] == "park":
                assert u[i] <= g[i], (c["name"], wn, i)
        assert m["use_tot"][i] <= m["gen_tot"][i]
    thr = 90 if c["kind"] == "park" else 80
    assert m["rate"][3] >= thr, (c["name"], m["rate"])
    if c["kind"] == "park":
        i0, i1, i3 = m["int"][0], m["int"][1], m["int"][3]
        assert (i0 - i3) / i0 >= D("0.1") and (i1 - i3) / i1 >= D("0.1"), (c["name"], m["int"])
        # exact (unrounded) decline rounds the same way as the shown one
        ex = (m["gen_t"][0] / c["va"][0] - m["gen_t"][3] / c["va"][3]) / (m["gen_t"][0] / c["va"][0]) * 100
        assert abs(ex - m["int_dec"]) < 1, ex
    else:
        u0, u1, u3 = m["ugen"][0], m["ugen"][1], m["ugen"][3]
        assert (u0 - u3) / u0 >= D("0.1") and (u1 - u3) / u1 >= D("0.1"), (c["name"], m["ugen"])
    y, mo = c["founded"][:2]
    assert (2024 - y) * 12 + (3 - mo) >= 36 + 12, c["name"]


def yi(wan):
    """万元 -> 亿元 text, exact."""
    v = D(wan) / 10000
    s = fnum(v, 2)
    assert D(s) == v, (wan, v)
    return s


# ---- parks ----------------------------------------------------------------
P_ZHIYANG = dict(
    kind="park", key="zhiyang",
    name="枝阳经济开发区", org="枝阳经济开发区管理委员会", province="湖北",
    level="省级经济开发区", approval="2006年经湖北省人民政府批准设立",
    founded=(2006, 8), founded_text="2006.8",
    address="湖北省宜昌市枝阳区沿江大道168号", region="宜昌市",
    contact="向明辉", phone="0717-6218835", email="zyjkq_gtfw@163.com",
    date=(2024, 3, 18),
    filler=("覃雪梅", "生态环境分局副局长", "13986750412"),
    head=("黄振国", "13907173386"), fax="0717-6218830", head_email="zyjkq@163.com",
    website="http://www.zyjkq.gov.cn", n_ent="236", n_scale="118",
    area_plan="38.6", area_built="26.4", staff="6",
    lead="磷化工、精细化工、新材料",
    industries_text="磷化工、精细化工和化工新材料",
    out_items=[("262 肥料制造", Ds("1628500", "1896400", "2185300", "2291600")),
               ("261 基础化学原料制造", Ds("1104300", "1287500", "1448900", "1562300")),
               ("266 专用化学产品制造", Ds("802600", "935200", "1106700", "1224800")),
               ("其他", Ds("733100", "796200", "879900", "955500"))],
    va=Ds("1152600", "1326900", "1489500", "1598300"),
    gen=[("磷石膏", Ds("312.40", "325.18", "331.75", "338.60")),
         ("黄磷炉渣", Ds("48.65", "47.92", "46.38", "45.10")),
         ("粉煤灰", Ds("36.12", "35.40", "34.26", "33.45")),
         ("其他一般工业固废", Ds("8.27", "7.96", "7.41", "6.82"))],
    use=[("磷石膏", Ds("172.35", "226.40", "281.90", "304.50")),
         ("黄磷炉渣", Ds("46.20", "47.05", "46.38", "45.10")),
         ("粉煤灰", Ds("34.80", "35.40", "34.26", "33.45")),
         ("其他一般工业固废", Ds("5.12", "5.60", "5.95", "5.96"))],
    rate_places=2, int_places=3, profile="phos",
    title="枝阳经济开发区磷石膏“以渣定产、产用协同、全程管控”消纳模式",
    mode="“以渣定产、产用协同、全程管控”的磷石膏消纳",
)

P_EBEI = dict(
    kind="park", key="ebei",
    name="鄂北循环经济产业园", org="鄂北循环经济产业园管理委员会", province="湖北",
    level="省级循环经济产业园", approval="2011年经湖北省发展改革委批复设立",
    founded=(2011, 5), founded_text="2011年5月",
    address="湖北省襄阳市老河口市光化大道西段9号", region="鄂西北地区",
    contact="陈海燕", phone="13545226718", email="ebxhy@126.com",
    date=(2024, 3, 8),
    filler=("陈海燕", "经济发展局科长", "13545226718"),
    head=("王立新", "13872233106"), fax="0710-8236602", head_email="ebxhy_gwh@126.com",
    website="", n_ent="94", n_scale="61",
    area_plan="21.5", area_built="14.8", staff="4",
    lead="热电联产、新型建材、煤化工",
    industries_text="热电联产、新型建材和煤化工",
    out_items=[("441 电力、热力生产和供应", Ds("386200", "421500", "468300", "493600")),
               ("302 石膏、水泥制品及类似制品制造", Ds("214800", "256300", "301200", "338900")),
               ("252 煤炭加工", Ds("298700", "342600", "365100", "372400")),
               ("其他", Ds("86100", "95300", "104800", "112500"))],
    va=Ds("276500", "312800", "341900", "366700"),
    gen=[("粉煤灰", Ds("68.42", "70.15", "69.38", "67.26")),
         ("炉渣", Ds("14.36", "14.82", "14.27", "13.65")),
         ("脱硫石膏", Ds("22.58", "23.06", "22.41", "21.87")),
         ("气化渣", Ds("9.84", "10.27", "9.66", "9.12"))],
    use=[("粉煤灰", Ds("59.60", "64.12", "66.85", "66.10")),
         ("炉渣", Ds("13.12", "14.05", "14.27", "13.65")),
         ("脱硫石膏", Ds("17.45", "19.86", "21.30", "21.60")),
         ("气化渣", Ds("3.26", "5.14", "6.92", "7.85"))],
    rate_places=1, int_places=2, profile="power",
    title="鄂北循环经济产业园“电—材—化”固废园内循环利用模式",
    mode="“电—材—化”固废园内循环利用",
)

P_EDONG = dict(
    kind="park", key="edong",
    name="鄂东滨江冶金工业园区", org="鄂东滨江冶金工业园区管理委员会", province="湖北",
    level="省级工业园区", approval="2008年经湖北省人民政府批准设立",
    founded=(2008, 11), founded_text="2008年11月",
    address="湖北省黄石市阳新县滨江大道1号", region="鄂东地区",
    contact="刘建华", phone="0714-7326688", email="bjyq_hb@163.com",
    date=(2024, 3, 20),
    filler=("吴迪", "安全环保局局长", "13707237625"),
    head=("胡启明", "13908635512"), fax="0714-7326680", head_email="bjyq@163.com",
    website="http://www.bjyq.gov.cn", n_ent="152", n_scale="87",
    area_plan="42.0", area_built="29.5", staff="5",
    lead="钢铁冶炼及压延、有色金属压延、装备制造",
    industries_text="钢铁冶炼及压延加工、有色金属压延和装备制造",
    out_items=[("311 炼铁", Ds("1236400", "1402300", "1318900", "1356200")),
               ("313 钢压延加工", Ds("985300", "1126800", "1089500", "1203800")),
               ("325 有色金属压延加工", Ds("316200", "368400", "392600", "427800")),
               ("其他", Ds("204500", "226100", "241300", "265400"))],
    va=Ds("512400", "598700", "571300", "635200"),
    gen=[("高炉渣", Ds("186.35", "192.60", "178.42", "176.18")),
         ("钢渣", Ds("62.48", "64.15", "60.37", "59.86")),
         ("含铁尘泥", Ds("18.26", "18.94", "17.65", "17.20")),
         ("粉煤灰", Ds("12.84", "13.12", "12.56", "12.34"))],
    use=[("高炉渣", Ds("182.40", "190.05", "177.10", "175.60")),
         ("钢渣", Ds("44.35", "49.80", "51.26", "53.95")),
         ("含铁尘泥", Ds("18.26", "18.94", "17.65", "17.20")),
         ("粉煤灰", Ds("12.10", "12.75", "12.40", "12.34"))],
    rate_places=2, int_places=3, profile="steel",
    title="鄂东滨江冶金工业园区冶金渣“分级处理、梯级利用”模式",
    mode="冶金渣“分级处理、梯级利用”",
)

P_LINAN = dict(
    kind="park", key="linan",
    name="醴南陶瓷工业园区", org="醴南陶瓷工业园区管理委员会", province="湖南",
    level="省级工业园区", approval="2012年经湖南省人民政府批准设立",
    founded=(2012, 3), founded_text="2012年3月",
    address="湖南省株洲市醴南县陶都大道288号", region="湘东地区",
    contact="易志强", phone="0731-23561288", email="lnty_hbj@126.com",
    date=(2024, 3, 22),
    filler=("谭丽", "园区环保办主任", "13973323816"),
    head=("周国平", "13907332018"), fax="0731-23561280", head_email="lnty@126.com",
    website="", n_ent="318", n_scale="142",
    area_plan="18.2", area_built="12.6", staff="3",
    lead="日用陶瓷、电瓷、工业陶瓷",
    industries_text="日用陶瓷、电瓷电器和先进工业陶瓷",
    out_items=[("307 陶瓷制品制造", Ds("986500", "1042300", "1126800", "1198400")),
               ("382 输配电及控制设备制造", Ds("312400", "346200", "371500", "402600")),
               ("其他", Ds("126300", "138500", "149200", "156800"))],
    va=Ds("368200", "392600", "421800", "447300"),
    gen=[("陶瓷废渣", Ds("24.36", "23.82", "22.95", "21.86")),
         ("抛光废渣", Ds("8.42", "8.18", "7.64", "7.23")),
         ("废石膏模具", Ds("5.26", "5.08", "4.82", "4.55")),
         ("污水处理污泥", Ds("2.14", "2.06", "1.95", "1.87"))],
    use=[("陶瓷废渣", Ds("21.05", "21.26", "20.84", "20.15")),
         ("抛光废渣", Ds("5.12", "5.46", "5.63", "5.70")),
         ("废石膏模具", Ds("4.18", "4.26", "4.20", "4.12")),
         ("污水处理污泥", Ds("1.20", "1.25", "1.24", "1.30"))],
    rate_places=2, int_places=3, profile="ceramic",
    title="醴南陶瓷工业园区陶瓷固废“回炉再造”循环利用模式",
    mode="陶瓷固废“回炉再造”循环利用",
)

# ---- enterprises -----------------------------------------------------------
E_HUAXIN = dict(
    kind="ent", key="huaxin",
    name="黄石华鑫特殊钢有限公司", province="湖北",
    founded=(2009, 4), founded_text=cn_date(2009, 4),
    address="湖北省黄石市西塞山区沿湖路266号", city_area="湖北省黄石市西塞山区",
    nature="民营企业",
    contact="柯建平", phone="0714-6358812", mobile="13597718826", email="hxtg_hb@hxsteel.com.cn",
    date=(2024, 3, 12),
    filler=("柯建平", "能源环保部部长", "13597718826"),
    head=("余志刚", "13907234568"), fax="0714-6358800", head_email="hxtg@hxsteel.com.cn",
    website="http://www.hxsteel.com.cn", area_m2="2,360,000", staff_n="4,286",
    industry="311 炼铁；312 炼钢；313 钢压延加工",
    business="钢铁冶炼及压延加工",
    out=Ds("1862400", "2315600", "2108300", "2256900"),
    sales=Ds("1824600", "2287300", "2069500", "2231800"),
    capacity="钢材 320万吨/年", capacity_unit="钢材，万吨/年",
    capacity_vals=["300", "300", "320", "320"],
    prod_unit="万吨",
    products=[("棒材", Ds("126.42", "138.65", "135.20", "142.86")),
              ("线材", Ds("84.36", "92.18", "90.45", "96.32")),
              ("热轧带钢", Ds("52.18", "58.63", "61.34", "66.75"))],
    gen=[("高炉渣", Ds("86.45", "92.36", "90.18", "88.65")),
         ("钢渣", Ds("36.82", "38.56", "36.14", "35.62")),
         ("含铁尘泥", Ds("9.68", "10.12", "9.34", "9.05")),
         ("氧化铁皮", Ds("4.26", "4.58", "4.49", "4.63"))],
    use=[("厂内返烧结利用", Ds("12.86", "14.16", "13.48", "13.41")),
         ("加工矿渣微粉", Ds("84.30", "91.10", "89.62", "88.40")),
         ("钢渣处理后外售建材企业", Ds("27.35", "31.42", "31.58", "32.16"))],
    rate_places=2, unit_gen_factor=D(10000), unit_gen_places=3,
    unit_gen_label="吨/吨钢材", profile="steel_e",
    title="黄石华鑫特殊钢有限公司冶金固废“厂内循环+产业协同”全量利用模式",
    mode="冶金固废“厂内循环+产业协同”全量利用",
)

E_XINYUAN = dict(
    kind="ent", key="xinyuan",
    name="襄阳鑫源热电有限责任公司", province="湖北",
    founded=(2015, 6), founded_text=cn_date(2015, 6),
    address="湖北省襄阳市樊城区太平店镇电厂路1号", city_area="湖北省襄阳市樊城区",
    nature="国有控股企业",
    contact="梁文博", phone="0710-3566218", mobile="15872255163", email="liangwb@xyxyrd.com",
    date=(2024, 3, 11),
    filler=("梁文博", "安全环保部副主任", "15872255163"),
    head=("孙德华", "13886211579"), fax="", head_email="xyxyrd@xyxyrd.com",
    website="http://www.xyxyrd.com", area_m2="468,000", staff_n="512",
    industry="441 电力、热力生产和供应",
    business="燃煤热电联产",
    out=Ds("186400", "205300", "231600", "248200"),
    sales=Ds("186400", "205300", "231600", "248200"),
    capacity="2×350MW 超临界热电联产机组", capacity_unit="装机容量，兆瓦",
    capacity_vals=["700", "700", "700", "700"],
    prod_unit="亿千瓦时",
    products=[("1号机组发电量", Ds("18.65", "19.82", "20.46", "21.30")),
              ("2号机组发电量", Ds("18.12", "19.35", "20.88", "21.54"))],
    waste_scale=10000,
    gen=[("粉煤灰", Ds("452360", "448120", "431650", "418270")),
         ("炉渣", Ds("61840", "60350", "58120", "56430")),
         ("脱硫石膏", Ds("98260", "96510", "92340", "89680"))],
    use=[("生产水泥及混凝土掺合料", Ds("392460", "402850", "398260", "391520")),
         ("生产蒸压加气混凝土砌块", Ds("78320", "82160", "80540", "78650")),
         ("生产纸面石膏板及石膏粉", Ds("76410", "82930", "85180", "86220"))],
    rate_places=1, unit_gen_factor=D(10000), unit_gen_places=3,
    unit_gen_label="吨/万千瓦时", profile="power_e",
    title="襄阳鑫源热电有限责任公司燃煤固废“就近消纳、以用定产”利用模式",
    mode="燃煤固废“就近消纳、以用定产”",
)

E_CHUYUAN = dict(
    kind="ent", key="chuyuan",
    name="潜江楚源纸业有限公司", province="湖北",
    founded=(2003, 9), founded_text="2003年9月",
    address="湖北省潜江市江汉石油路88号", city_area="湖北省潜江市",
    nature="民营企业",
    contact="袁晓峰", phone="0728-6425519", mobile="13972978612", email="yuanxf@cyzy.com.cn",
    date=(2024, 3, 8),
    filler=("袁晓峰", "环保处处长", "13972978612"),
    head=("袁志诚", "13908619937"), fax="0728-6425500", head_email="cyzy@cyzy.com.cn",
    website="http://www.cyzy.com.cn", area_m2="856,000", staff_n="1,326",
    industry="222 造纸",
    business="文化用纸及包装纸生产",
    out=Ds("338600", "372500", "361200", "386400"),
    sales=Ds("331800", "366400", "354100", "379600"),
    capacity="纸及纸板80万吨/年", capacity_unit="万吨/年",
    capacity_vals=["80", "80", "80", "80"],
    prod_unit="万吨",
    products=[("文化用纸", Ds("32.46", "35.12", "34.28", "36.15")),
              ("箱纸板", Ds("28.65", "31.84", "30.96", "33.42"))],
    gen=[("白泥", Ds("6.84", "7.02", "6.38", "6.12")),
         ("污水处理污泥", Ds("4.62", "4.75", "4.21", "3.98")),
         ("浆渣", Ds("3.36", "3.48", "3.12", "2.95")),
         ("粉煤灰及炉渣", Ds("5.28", "5.46", "5.02", "4.86"))],
    use=[("白泥制备脱硫剂", Ds("6.10", "6.58", "6.21", "6.05")),
         ("污泥及浆渣掺烧发电", Ds("5.46", "6.62", "6.86", "6.72")),
         ("灰渣外售建材企业", Ds("4.95", "5.30", "4.98", "4.86"))],
    rate_places=2, unit_gen_factor=D(10000), unit_gen_places=3,
    unit_gen_label="吨/吨纸", profile="paper_e",
    title="潜江楚源纸业有限公司制浆造纸固废“厂内闭环”资源化模式",
    mode="制浆造纸固废“厂内闭环”资源化",
)

E_HUATONG = dict(
    kind="ent", key="huatong",
    name="鹰潭华铜冶炼有限公司", province="江西",
    founded=(2010, 7), founded_text="2010年7月",
    address="江西省鹰潭市月湖区工业园区铜都大道58号", city_area="江西省鹰潭市",
    nature="国有控股企业",
    contact="饶建军", phone="0701-6263518", mobile="13907011626", email="raojj@yths.com.cn",
    date=(2024, 3, 14),
    filler=("饶建军", "安环部经理", "13907011626"),
    head=("程海涛", "13807012235"), fax="0701-6263500", head_email="yths@yths.com.cn",
    website="http://www.yths.com.cn", area_m2="1,120,000", staff_n="2,148",
    industry="321 常用有色金属冶炼",
    business="铜冶炼及硫酸生产",
    out=Ds("2486300", "2912600", "3054800", "3218500"),
    sales=Ds("2462100", "2896300", "3031200", "3196700"),
    capacity="阴极铜 45万吨/年", capacity_unit="阴极铜，万吨/年",
    capacity_vals=["40", "40", "40", "45"],
    prod_unit="万吨",
    products=[("阴极铜", Ds("36.42", "38.15", "39.26", "42.18")),
              ("硫酸", Ds("128.65", "134.20", "137.86", "146.32"))],
    gen=[("铜冶炼渣", Ds("38.26", "38.94", "37.85", "37.62")),
         ("石膏渣", Ds("4.86", "4.72", "4.35", "4.12")),
         ("废耐火材料", Ds("1.28", "1.25", "1.18", "1.12"))],
    use=[("渣选矿回收铜后尾渣外售水泥厂", Ds("31.85", "33.46", "33.12", "33.08")),
         ("石膏渣外售建材企业", Ds("2.26", "2.48", "2.52", "2.60")),
         ("废耐火材料再生利用", Ds("0.95", "0.98", "0.96", "0.95"))],
    rate_places=2, unit_gen_factor=D(10000), unit_gen_places=3,
    unit_gen_label="吨/吨产品", profile="copper_e",
    title="鹰潭华铜冶炼有限公司铜冶炼渣“选冶联合、尾渣建材化”利用模式",
    mode="铜冶炼渣“选冶联合、尾渣建材化”",
)

E_HENGTAI = dict(
    kind="ent", key="hengtai",
    name="宁夏宁东恒泰化工有限公司", province="宁夏",
    founded=(2022, 1), founded_text="2022.1",
    address="宁夏回族自治区银川市灵武市宁东镇化工新材料园区纬三路16号", city_area="宁夏宁东能源化工基地",
    nature="民营企业",
    contact="马晓东", phone="0951-3096618", mobile="13895126634", email="maxd@ndhengtai.com",
    date=(2024, 3, 19),
    filler=("马晓东", "环保总监", "13895126634"),
    head=("杨振宇", "13909516625"), fax="0951-3096600", head_email="ndhengtai@ndhengtai.com",
    website="", area_m2="1,560,000", staff_n="1,862",
    industry="261 基础化学原料制造",
    business="聚氯乙烯树脂、烧碱及电石生产",
    out=Ds("198600", "246500", "271200", "286400"),
    sales=Ds("195300", "243200", "268400", "271300"),
    capacity="聚氯乙烯40万吨/年、烧碱30万吨/年", capacity_unit="万吨/年",
    capacity_vals=["70", "70", "70", "70"],
    prod_unit="万吨",
    products=[("聚氯乙烯树脂", Ds("35.62", "37.84", "38.46", "39.12")),
              ("烧碱（折百）", Ds("26.18", "27.65", "28.32", "28.96"))],
    gen=[("电石渣", Ds("58.36", "60.12", "56.84", "54.28")),
         ("粉煤灰", Ds("16.42", "16.86", "15.92", "15.36")),
         ("炉渣", Ds("4.28", "4.36", "4.12", "3.96"))],
    use=[("电石渣制水泥熟料", Ds("52.10", "55.26", "53.48", "51.86")),
         ("粉煤灰炉渣外售建材企业", Ds("15.84", "16.72", "17.02", "16.95"))],
    rate_places=1, unit_gen_factor=D(10000), unit_gen_places=3,
    unit_gen_label="吨/吨产品", profile="chlor_e",
    title="宁夏宁东恒泰化工有限公司电石渣“全量替代石灰石”利用模式",
    mode="电石渣“全量替代石灰石”",
)

E_DINGSHENG = dict(
    kind="ent", key="dingsheng",
    name="潍坊鼎盛精密铸造有限公司", province="山东",
    founded=(2007, 10), founded_text="2007年10月",
    address="山东省潍坊市坊子区凤山路1899号", city_area="山东省潍坊市坊子区",
    nature="民营企业",
    contact="", phone="0536-7652208", mobile="13706361582", email="dszz_hb@dszz.com.cn",
    summary_contact="孙立强",
    date=(2024, 3, 6),
    filler=("孙立强", "设备能源部部长", "13706361582"),
    head=("赵鼎盛", "13905367715"), fax="0536-7652200", head_email="dszz@dszz.com.cn",
    website="http://www.dszz.com.cn", area_m2="326,000", staff_n="968",
    industry="339 铸造及其他金属制品制造",
    business="汽车及工程机械精密铸件生产",
    out=Ds("186400", "212500", "228600", "246300"),
    sales=Ds("183200", "209800", "225100", "243600"),
    capacity="铸件18万吨/年", capacity_unit="万吨/年",
    capacity_vals=["15", "15", "18", "18"],
    prod_unit="万吨",
    products=[("汽车铸件", Ds("8.62", "9.45", "10.12", "10.86")),
              ("工程机械铸件", Ds("3.84", "4.26", "4.58", "4.92"))],
    gen=[("铸造废砂", Ds("9.86", "10.12", "9.65", "9.28")),
         ("除尘灰", Ds("1.26", "1.32", "1.24", "1.18")),
         ("废耐火材料", Ds("0.42", "0.45", "0.41", "0.38"))],
    use=[("废砂热法再生回用", Ds("7.12", "7.86", "8.14", "8.26")),
         ("除尘灰制砖", Ds("0.86", "1.02", "1.08", "1.06")),
         ("外售建材企业", Ds("0.84", "0.92", "0.88", "0.84"))],
    rate_places=2, unit_gen_factor=D(10000), unit_gen_places=3,
    unit_gen_label="吨/吨铸件", profile="casting_e",
    title="潍坊鼎盛精密铸造有限公司铸造废砂“热法再生、就地回用”模式",
    mode="铸造废砂“热法再生、就地回用”",
)


# ---------------------------------------------------------------------------
# nowaste_case: texts
# ---------------------------------------------------------------------------
PROFILES = {
    "phos": dict(
        brief="园区推行“以渣定产”，延伸磷石膏建材化利用链条，黄磷炉渣、粉煤灰全部就地利用",
        background="园区是全省重要的磷化工产业基地，磷矿资源就地转化率高，工业固废具有产生量大、种类集中的特点，"
                   "以湿法磷酸副产的磷石膏为主，其次为黄磷炉渣、热电联产产生的粉煤灰等。",
        problem="磷石膏以渣场堆存为主，历史堆存量大，渗滤液和扬尘环境风险突出，“以渣定产”压力日益增大，"
                "成为制约园区磷化工产业高质量发展的突出短板。",
        reduce="园区推动磷化工企业实施湿法磷酸工艺优化，推广半水—二水法、二水—半水法等先进工艺，"
               "提高磷的收率和磷石膏品质，从源头降低磷石膏中可溶磷、氟等杂质含量；对黄磷生产企业实施电炉"
               "节能改造和炉渣水淬系统升级，提高炉渣品质。同时严格执行“以渣定产”，将企业磷酸产量与磷石膏"
               "综合利用量挂钩，引导企业主动压减产生量、提升利用量，园区磷化工企业全部完成清洁生产审核。",
        reuse="园区围绕磷石膏“无害化预处理—建材化利用—高值化利用”延伸链条，引进和培育磷石膏综合利用企业"
              "8家，建成磷石膏无害化预处理、建筑石膏粉、纸面石膏板、石膏基自流平砂浆、水泥缓凝剂等生产线，"
              "形成了“磷矿—磷酸—磷石膏—石膏建材”的循环产业链。黄磷炉渣全部用于生产矿渣微粉和水泥混合材，"
              "粉煤灰用于生产加气混凝土砌块和商品混凝土掺合料，实现了园区主要固废的分类利用。",
        synergy="园区以龙头企业为核心，推动产废企业与利用企业签订长期供需协议，建成磷石膏输送皮带廊道和"
                "专用运输通道，实现磷石膏从产生企业到利用企业“点对点”输送。热电联产企业与磷化工企业、"
                "建材企业之间形成蒸汽、粉煤灰、脱硫石膏互供关系，固废在园区内就地就近消纳，运输距离由"
                "平均约40公里缩短到5公里以内。",
        innov="一是“以渣定产”倒逼机制创新。园区将磷石膏综合利用量作为磷化工企业产能释放的前置条件，"
              "企业每新增1吨磷石膏利用能力方可相应释放磷酸产能，形成了产废企业主动找出路、利用企业稳定拿原料的"
              "良性循环。",
        benefit="磷石膏综合利用项目年新增产值约9亿元，带动就业1200余人；累计减少磷石膏堆存超过300万吨，"
                "节约渣场用地近400亩，有效降低了长江沿线环境风险。",
        apply="该模式适用于以磷化工、氯碱化工等产生大宗副产石膏为主的化工园区，",
        honors="先后获得“国家新型工业化产业示范基地（磷化工）”“湖北省循环化改造示范园区”等称号",
    ),
    "power": dict(
        brief="园区以热电企业为中枢，配套建设粉煤灰分选、加气砌块、石膏板和气化渣利用项目，灰渣和石膏在园区内就地消纳",
        background="园区以热电联产为能源中枢，配套发展新型建材和煤化工产业，工业固废以粉煤灰、炉渣、"
                   "脱硫石膏和煤气化渣为主，种类相对集中，具备园区内循环利用的基础条件。",
        problem="受周边建材市场季节性波动影响，冬季粉煤灰、脱硫石膏积压明显，煤气化渣利用途径有限，"
                "部分固废需外运填埋，园区固废管理面临较大压力。",
        reduce="园区推动热电企业实施锅炉燃烧优化和低氮燃烧改造，入炉煤实行精细化配煤，降低灰分和飞灰"
               "含碳量；煤化工企业采用先进的水煤浆气化技术，优化气化炉运行参数，气化渣残炭含量明显降低。"
               "园区对新建项目严格实行固废产生强度准入门槛，对高产废、无出路的项目一律不予准入。",
        reuse="园区按照“以用定产、以产促用”的思路，引进建设粉煤灰分选、蒸压加气混凝土砌块、纸面石膏板、"
              "石膏基砂浆和气化渣制备陶粒等项目，形成“热电—灰渣—建材”和“煤化工—气化渣—轻质建材”两条"
              "利用链。对暂时无法消纳的粉煤灰和脱硫石膏建设封闭式储灰库、储石膏库，实现“错峰储存、旺季利用”。",
        synergy="园区统筹建设固废集中转运站和专用道路，热电企业通过气力输送管道直接向相邻的建材企业供灰，"
                "脱硫石膏经皮带廊道进入石膏板生产线，企业间形成了稳定的固废互供关系，园区内固废平均运距"
                "不足3公里。",
        innov="一是“电—材—化”产业耦合创新。园区以热电企业为能源和固废的“双中枢”，将建材企业布局在热电"
              "企业周边，使粉煤灰、脱硫石膏从产生到利用实现“零落地”，物流和储存成本大幅下降。",
        benefit="固废利用企业年新增产值约6亿元，年节约天然石膏和黏土资源超过80万吨，减少固废外运填埋约15万吨，"
                "节约土地近200亩。",
        apply="该模式适用于以热电联产、煤化工为主导产业的工业园区，",
        honors="先后获得“湖北省循环经济示范园区”“湖北省绿色园区”等称号",
    ),
    "steel": dict(
        brief="园区建设冶金渣集中处理中心，高炉渣、钢渣分级处理、梯级利用",
        background="园区以钢铁冶炼及压延加工为主导产业，工业固废以高炉渣、钢渣、含铁尘泥等冶金渣为主，"
                   "产生量大且成分复杂，其中钢渣因安定性差、易磨性低，长期以来利用难度较大。",
        problem="钢渣以堆存和低值回填为主，渣场扬尘和占地问题突出，成为园区绿色发展的短板。",
        reduce="园区推动钢铁企业实施高炉精料入炉、转炉少渣冶炼和铁水预处理改造，降低渣铁比和钢渣产生量；"
               "推广烧结烟气循环、干法除尘等技术，含铁尘泥全部返回烧结工序。园区内钢铁企业全部完成超低"
               "排放改造和清洁生产审核。",
        reuse="园区按照“分级处理、梯级利用”的思路，高炉渣全部水淬后加工成矿渣微粉，用于水泥和混凝土掺合料；"
              "钢渣经热焖、破碎、磁选回收渣钢后，尾渣加工成钢渣微粉、透水砖和道路基层材料；"
              "含铁尘泥和氧化铁皮返回烧结配料利用；粉煤灰用于商品混凝土和砌块生产。",
        synergy="园区引进建材企业与钢铁企业毗邻布局，建成冶金渣集中处理中心，统一接收园区各钢铁企业的钢渣，"
                "实现规模化处理；园区与周边城市交通建设项目建立钢渣道路材料供应机制，拓展了消纳渠道。",
        innov="一是冶金渣集中处理模式创新。园区由第三方专业企业统一建设运营冶金渣处理中心，各钢铁企业按量"
              "付费、按质分类，解决了单个企业规模小、投资大、利用不经济的问题。",
        benefit="冶金渣综合利用年新增产值约5亿元，年回收渣钢超过4万吨，减少天然砂石开采约150万吨。",
        apply="该模式适用于以钢铁冶炼为主导产业、冶金渣产生量大的工业园区，",
        honors="先后获得“湖北省新型工业化产业示范基地”“湖北省循环化改造示范园区”等称号",
    ),
    "ceramic": dict(
        brief="园区建设陶瓷废渣回收中心，废瓷回用于坯釉料，抛光废渣制备发泡陶瓷",
        background="园区是全国重要的陶瓷产业集聚区，陶瓷企业数量多、规模小，工业固废以烧成废品、"
                   "抛光废渣、废石膏模具和污水处理污泥为主。",
        problem="抛光废渣含有碳化硅等磨料，发泡性强，难以回用于坯料，长期以来以填埋为主。",
        reduce="园区推广薄型化建筑陶瓷、一次烧成和干法制粉等先进工艺，推动企业提高产品合格率，减少烧成废品；"
               "推行窑炉节能改造和天然气替代，降低窑炉脱硫渣产生量。",
        reuse="园区引进专业企业建设陶瓷废渣回收中心，废瓷经分拣、破碎、研磨后作为原料回用于坯料和釉料；"
              "抛光废渣用于生产发泡陶瓷保温板；废石膏模具经煅烧后再生利用；污水处理污泥用于制砖。",
        synergy="园区建立“企业收集、中心转运、统一利用”的协同机制，中小陶瓷企业的废渣由回收中心定期上门收运，"
                "解决了单个企业利用规模不经济的问题。",
        innov="一是中小企业固废“统收统用”机制创新。园区以回收中心为平台，将数百家中小陶瓷企业的分散固废"
              "集中起来规模化利用。",
        benefit="陶瓷固废利用项目年新增产值约2亿元，年节约瓷土原料近20万吨。",
        apply="该模式适用于中小企业集聚、固废种类相近的轻工产业园区，",
        honors="先后获得“国家火炬计划特色产业基地”“湖南省新型工业化产业示范基地”等称号",
    ),
    "steel_e": dict(
        brief="公司建成矿渣微粉和钢渣热焖磁选生产线，含铁尘泥全部返回烧结",
        intro="公司主要产品包括优质棒材、线材和热轧带钢，具备钢材320万吨/年的生产能力。",
        problem="钢渣安定性差、利用难度大，曾长期以堆存为主，含铁尘泥成分波动大，回用效率不高。",
        reduce="公司实施高炉精料方针，提高入炉矿品位，降低渣铁比；转炉推行少渣冶炼和留渣操作，降低石灰消耗和"
               "钢渣产生量；实施烧结烟气循环和干法除尘改造，提高尘泥回收品质。通过工艺优化，吨钢材固废产生量"
               "逐年下降。",
        reuse="公司建成120万吨/年矿渣微粉生产线，高炉水渣全部加工成S95级矿渣微粉；建成钢渣热焖及磁选生产线，"
              "回收渣钢后尾渣外售建材企业生产钢渣微粉和道路材料；含铁尘泥和氧化铁皮经配料后全部返回烧结工序。",
        synergy="公司与周边水泥、商品混凝土企业签订长期供货协议，建立“钢铁—建材”产业协同关系，"
                "并与地方交通部门合作开展钢渣沥青混凝土路面试验段建设，拓展高附加值利用途径。",
        innov="一是钢渣“热焖+磁选+微粉”一体化处理技术。公司自主研发的钢渣有压热焖工艺，使钢渣游离氧化钙"
              "含量显著降低，尾渣满足建材利用要求。",
        benefit="固废综合利用年新增效益约1.5亿元，年回收渣钢约3万吨，减少天然矿石和石灰石开采超过100万吨。",
        apply="该模式适用于长流程钢铁企业，",
        honors="先后获得国家级“绿色工厂”、湖北省“两型企业”、湖北省资源综合利用示范企业等称号",
    ),
    "power_e": dict(
        brief="公司分选灰渣供应建材企业，实行“以用定产”的灰渣调度，脱硫石膏全部用于石膏建材",
        intro="公司装机容量为2台350兆瓦超临界热电联产机组，承担襄阳市樊城区北部工业园区集中供热任务。",
        problem="受区域建材市场季节性影响，冬季灰渣和脱硫石膏销售不畅，曾出现灰场贮存压力大的情况。",
        reduce="公司实施燃烧优化和精细化配煤，控制入炉煤灰分，降低飞灰含碳量；对脱硫系统实施增效改造，"
               "提高石灰石利用率和石膏品质，从源头减少了灰渣和石膏的产生量。",
        reuse="公司建成粉煤灰分选和干灰储运系统，分选后的Ⅰ级、Ⅱ级粉煤灰供应水泥和商品混凝土企业；"
              "炉渣和部分粉煤灰用于生产蒸压加气混凝土砌块；脱硫石膏经脱水后供应纸面石膏板和石膏粉生产企业。",
        synergy="公司与周边7家建材企业签订长期协议，实行“以用定产”的灰渣调度机制，冬季利用封闭储灰库错峰储存，"
                "春季集中供应，实现了全年稳定消纳。",
        innov="一是“以用定产”灰渣调度机制。公司根据下游企业需求动态安排灰渣分选和储运计划，实现灰渣"
              "“即产即用、错峰储存”。",
        benefit="灰渣和石膏综合利用年增加收入约6000万元，灰场贮存量下降超过60%，节约灰场扩容用地约150亩。",
        apply="该模式适用于燃煤电厂和热电联产企业，",
        honors="先后获得“湖北省节水型企业”“湖北省资源综合利用示范企业”等称号",
    ),
    "paper_e": dict(
        brief="公司利用白泥制备脱硫剂替代石灰石，污泥和浆渣干化后掺烧发电，灰渣外售建材企业",
        intro="公司主要产品包括文化用纸和箱纸板，具备纸及纸板80万吨/年的生产能力，配套建设有自备热电站。",
        problem="白泥含水率高、杂质多，污泥和浆渣热值低，长期以来外委处置费用高。",
        reduce="公司推行清洁制浆和废纸分级利用，提高纤维回收率，减少浆渣产生；碱回收系统实施白泥洗涤和过滤"
               "改造，降低白泥残碱和含水率；污水处理系统实施深度脱水改造，污泥含水率由80%降至50%以下。",
        reuse="公司利用白泥制备烟气脱硫剂替代石灰石，供自备电厂使用；污泥和浆渣经干化后掺烧发电；"
              "电厂灰渣外售建材企业生产水泥和砌块，基本实现厂内固废闭环利用。",
        synergy="公司与周边建材企业建立长期合作关系，并与地方环卫部门协作，形成稳定的固废利用渠道。",
        innov="一是白泥“以废治废”技术。白泥替代石灰石作为脱硫剂，既解决了白泥出路，又降低了脱硫成本。",
        benefit="固废资源化年节约处置费用约3000万元，年减少石灰石采购约5万吨。",
        apply="该模式适用于化学制浆和废纸造纸企业，",
        honors="先后获得湖北省“绿色工厂”、湖北省“两型企业”等称号",
    ),
    "copper_e": dict(
        brief="公司通过渣选矿回收铜，尾渣外售水泥厂，石膏渣用于建材",
        intro="公司主要产品为阴极铜和硫酸，具备阴极铜45万吨/年的生产能力。",
        problem="铜冶炼渣含铜较高，直接堆存既浪费资源又占用土地；石膏渣含重金属，利用途径有限。",
        reduce="公司采用富氧底吹熔炼和连续吹炼工艺，降低渣含铜和渣率；对制酸系统实施污酸治理改造，"
               "减少中和石膏渣产生量。",
        reuse="公司建成冶炼渣选矿车间，通过缓冷、破碎、磨矿、浮选回收渣中的铜，选矿尾渣外售水泥厂作为铁质"
              "校正原料；石膏渣经稳定化处理后外售建材企业；废耐火材料分拣后再生利用。",
        synergy="公司与周边水泥企业建立长期供销关系，冶炼渣尾渣全部实现就近利用。",
        innov="一是“选冶联合”工艺创新。渣选矿回收的铜精矿返回熔炼系统，形成铜金属内部闭路循环。",
        benefit="渣选矿年回收铜金属约8000吨，新增效益约4亿元，减少铁质原料开采约30万吨。",
        apply="该模式适用于铜、铅锌等有色金属冶炼企业，",
        honors="先后获得国家级“绿色工厂”、江西省资源综合利用先进单位等称号",
    ),
    "chlor_e": dict(
        brief="公司以电石渣全量替代石灰石生产水泥熟料，灰渣外售建材企业",
        intro="公司主要产品包括聚氯乙烯树脂和烧碱，配套建设有电石、自备电厂和水泥熟料装置。",
        problem="电石渣产生量大、含水率高，堆存易造成土壤碱化和扬尘污染。",
        reduce="公司实施乙炔发生系统干法改造，电石渣含水率由90%左右降至10%以下；实施电石炉密闭化改造，"
               "提高电石发气量，降低单位产品电石消耗和电石渣产生量。",
        reuse="公司建成以电石渣为主要原料的新型干法水泥熟料生产线，电石渣全量替代石灰石；粉煤灰和炉渣外售"
              "周边建材企业。",
        synergy="公司与园区内建材企业建立灰渣供应关系，实现灰渣就地利用。",
        innov="一是电石渣“干法乙炔+水泥熟料”一体化技术，实现电石渣全量替代石灰石。",
        benefit="电石渣制水泥年减少石灰石开采约60万吨，减少二氧化碳排放约30万吨。",
        apply="该模式适用于电石法聚氯乙烯企业，",
        honors="先后获得自治区级“绿色工厂”等称号",
    ),
    "casting_e": dict(
        brief="公司建成废砂热法再生生产线，再生砂全部回用于制芯和造型，除尘灰用于制砖",
        intro="公司主要产品为汽车和工程机械用精密铸件，具备铸件18万吨/年的生产能力。",
        problem="铸造废砂产生量大，过去主要作为一般固废填埋，既浪费硅砂资源又增加处置成本。",
        reduce="公司推广精密组芯造型和3D打印砂芯工艺，提高砂铁比控制水平；优化旧砂机械再生工艺，"
               "降低废砂排放量。",
        reuse="公司建成年处理10万吨的废砂热法再生生产线，再生砂全部回用于制芯和造型；除尘灰用于制砖，"
              "其余固废外售建材企业。",
        synergy="公司与周边铸造企业建立废砂集中再生合作机制，为中小铸造企业提供废砂再生服务。",
        innov="一是废砂“热法再生、就地回用”技术，再生砂质量达到新砂标准。",
        benefit="废砂再生年节约新砂采购约7万吨，节约成本约1800万元。",
        apply="该模式适用于铸造企业和铸造产业集聚区，",
        honors="先后获得山东省“绿色工厂”、山东省“专精特新”中小企业等称号",
    ),
}


def _ordinal(i):
    return "一二三四五六七八九十"[i]


OUTLINE_STYLES = {
    # h1 titles per section id; h2 numbering format
    "seed": dict(h1={"base": "一、基本情况", "measure": "二、主要做法", "effect": "三、取得的成效",
                      "innov": "四、创新点", "promo": "五、推广应用的条件"},
                 h2=lambda i, j: f"（{_ordinal(j)}）"),
    "renamed_park": dict(h1={"base": "一、园区概况与固废产生特点", "measure": "二、“无废园区”建设主要举措",
                              "effect": "三、建设成效", "innov": "四、模式特色与创新",
                              "promo": "五、推广条件与借鉴意义"},
                         h2=lambda i, j: f"（{_ordinal(j)}）"),
    "renamed_ent": dict(h1={"base": "一、企业概况", "measure": "二、“无废企业”建设主要做法",
                             "effect": "三、建设成效", "innov": "四、模式创新点",
                             "promo": "五、推广应用条件及借鉴意义"},
                        h2=lambda i, j: f"（{_ordinal(j)}）"),
    "arabic": dict(h1={"base": "1 企业概况", "measure": "2 主要做法", "effect": "3 取得的成效",
                        "innov": "4 创新点", "promo": "5 推广应用的条件"},
                   h2=lambda i, j: f"{i + 1}.{j + 1} "),
    "part": dict(h1={"base": "第一部分 基本情况", "measure": "第二部分 主要做法", "effect": "第三部分 取得成效",
                      "innov": "第四部分 创新点", "promo": "第五部分 推广应用条件"},
                 h2=lambda i, j: f"{j + 1}. "),
}
SEC_ORDER = ["base", "measure", "effect", "innov", "promo"]


def case_text(c, m, o):
    """the case text (正文) as blocks: ("H1", title) / ("H2", title) / ("P", text)."""
    park = c["kind"] == "park"
    pf = PROFILES[c["profile"]]
    st = OUTLINE_STYLES[o.get("outline", "seed")]
    cn = o.get("cn_numerals", False)
    wscale = c.get("waste_scale", 1)
    i0 = o.get("i0", 0)            # first year the text reports (1 = 2021 for an entity without 2020 data)
    y0 = YEARS[i0]

    def wt(x):               # a waste figure as prose, in 万吨
        if wscale == 1:
            return f"{fnum(x, 2)}万吨"
        return f"{(D(x) / 10000).normalize():f}万吨"

    def pct(x):
        return f"百分之{cn_dec(x)}" if cn else f"{x}%"

    g, u, r = m["gen_tot"], m["use_tot"], m["rate"]
    wnames = [w[0] for w in c["gen"]]
    wlist = "、".join(wnames[:-1]) + "和" + wnames[-1]
    subj = "园区" if park else "公司"
    B = []
    sec = {k: [] for k in SEC_ORDER}

    if park:
        out23, va23 = yi(m["out_tot"][3]), yi(c["va"][3])
        fy, fm = c["founded"][:2]
        sec["base"] += [
            ("P", f"{c['name']}始建于{fy}年{fm}月，{c['approval']}，是{c['level']}，规划面积{c['area_plan']}平方公里，"
                  f"已建成面积{c['area_built']}平方公里，由{c['org']}统一管理。经过十余年发展，园区形成了以"
                  f"{c['industries_text']}为主导的产业体系，现有工业企业{c['n_ent']}家，其中规模以上工业企业"
                  f"{c['n_scale']}家。2023年，园区实现总产值{out23}亿元，工业增加值{va23}亿元。"),
            ("P", pf["background"] + f"2020年，园区工业固废产生量{wt(g[0])}，园区内综合利用率为{pct(r[0])}。"
                  + pf["problem"]),
            ("P", "近年来，园区深入贯彻落实《“十四五”工业绿色发展规划》和“无废城市”建设有关部署，先后实施了园区"
                  "循环化改造、绿色园区创建等工作，建成集中供热、污水集中处理、固废集中转运等公共基础设施，"
                  "园区企业之间的物质流、能量流不断耦合，为开展“无废园区”建设奠定了良好基础。"),
            ("P", f"为破解固废“围城”难题，园区将“无废园区”建设作为推动高质量发展的重要抓手，按照“源头减量、"
                  f"过程控制、末端利用、全程监管”的思路，以{wnames[0]}为重点，统筹推进工业固废减量化、资源化、"
                  f"无害化，逐步探索形成了{c['mode']}模式。"),
        ]
        mh = [("强化规划引领，健全管理机制",
               f"园区成立了由管委会主要负责同志任组长的“无废园区”建设工作领导小组，下设办公室，配备专职工作人员"
               f"{c['staff']}名，建立了“管委会统筹、部门协同、企业主体、第三方服务”的工作机制。先后出台"
               f"《{c['name']}工业固体废物管理办法》《{c['name']}“无废园区”建设实施方案（2021—2025年）》等制度文件，"
               f"明确了各类固废的减量目标和利用路径，将固废综合利用指标纳入入园项目准入评价和企业年度考核。"
               f"对新入园项目实行“固废出路”前置审查，没有明确利用处置去向的项目不予准入。"),
              ("推动源头减量，降低产生强度", pf["reduce"]),
              ("延伸利用链条，提升资源化水平", pf["reuse"]),
              ("推进企业协同，实现就地就近消纳", pf["synergy"]),
              ("建设智慧平台，实现全过程监管",
               "园区建设了固体废物智慧监管平台，接入园区全部产废企业和利用处置企业，对固废的种类、数量、流向、"
               "贮存、利用、处置等信息实行“一企一档”管理。平台通过电子联单、地磅数据自动采集、视频监控和车辆"
               "定位，实现了固废从产生到利用的全过程可追溯、可查询，每月自动生成园区固废产生与利用台账，"
               "为精准施策提供了数据支撑。")]
    else:
        out23, sales23 = yi(c["out"][3]), yi(c["sales"][3])
        fy, fm = c["founded"][:2]
        sec["base"] += [
            ("P", f"{c['name']}成立于{fy}年{fm}月，位于{c['city_area']}，是一家{c['nature']}，主要从事{c['business']}，"
                  f"现有员工{c['staff_n'].replace(',', '')}人，厂区面积{c['area_m2'].replace(',', '')}平方米。"
                  + pf["intro"] + f"2023年公司实现产值{out23}亿元，销售额{sales23}亿元。"),
            ("P", f"公司生产过程中产生的一般工业固体废物主要为{wlist}。" + pf["problem"]
                  + f"{y0}年，公司工业固废产生量{wt(g[i0])}，综合利用率为{pct(r[i0])}，部分固废仍需外委处置或临时"
                    f"贮存，既增加了企业成本，也存在一定环境风险。"),
            ("P", "公司深入贯彻落实《“十四五”工业绿色发展规划》，先后实施了清洁生产改造、节能降碳改造和智能制造"
                  "升级等一批重点项目，主要产品单位能耗、水耗和固废产生量持续下降，建立了较为完善的能源、环境和"
                  "质量管理体系，为开展“无废企业”建设奠定了良好基础。"),
            ("P", f"近年来，公司以创建“无废企业”为目标，坚持“减量优先、循环利用、全程可控”的理念，从工艺源头、"
                  f"生产过程、末端利用和信息化管理等环节系统发力，逐步形成了{c['mode']}模式。"),
        ]
        mh = [("完善管理体系，压实主体责任",
               "公司成立了由总经理任组长的固体废物管理工作领导小组，设立环保能源部作为归口管理部门，各生产单元"
               "设专（兼）职固废管理员，形成“公司—分厂—班组”三级管理网络。制定了《一般工业固体废物管理制度》"
               "《固体废物贮存场所管理规定》等制度，将固废减量和综合利用指标分解到各生产单元，纳入月度绩效考核。"
               "公司定期开展清洁生产审核，持续挖掘固废减量潜力。"),
              ("实施源头减量，降低单位产品产生量", pf["reduce"]),
              ("推进分类利用，提升资源化水平", pf["reuse"]),
              ("加强产业协同，拓展利用渠道", pf["synergy"]),
              ("建设信息化平台，实现可追溯管理",
               "公司建成固体废物管理信息化平台，与企业资源计划系统和地磅系统对接，对固废的种类、数量、流向、"
               "贮存、利用、处置等信息实时采集、自动汇总，生成电子台账，实现了固废从产生、贮存、转移到利用"
               "处置的全过程可追溯、可查询，并与地方生态环境部门固废管理系统实现数据共享。")]
    if not park:
        mh.insert(4, ("规范贮存设施，防控环境风险",
                      "公司按照《一般工业固体废物贮存和填埋污染控制标准》要求建设了一般工业固体废物贮存库，地面防渗、"
                      "雨污分流、防扬散措施齐全，设置了规范的标识标牌；对暂时无法利用的固废分类贮存、定期清运，"
                      "建立出入库台账，确保贮存设施安全运行。"))
    mh.append(("强化科技支撑，突破利用瓶颈",
               f"{subj}与省内高校和科研院所建立产学研合作关系，围绕{wnames[0]}等难利用固废开展技术攻关，先后承担"
               f"省级科技项目3项，获得授权专利12项，参与制定团体标准2项。通过持续攻关，{wnames[0]}利用产品性能"
               f"稳定达到相关标准要求，为扩大利用规模提供了技术保障。"))
    for j, (t, p) in enumerate(mh):
        sec["measure"] += [("H2", st["h2"](1, j) + t), ("P", p)]

    # effects ---------------------------------------------------------------
    approx = ""
    if o.get("approx"):
        # approximations next to precise figures; an approximation is not a restatement
        approx = (f"2023年，{subj}产生工业固废约{int(q(g[3] if wscale == 1 else g[3] / 10000, 0))}万吨，"
                  f"其中{wnames[0]}{wt(c['gen'][0][1][3])}，综合利用{wt(u[3])}，综合利用率超过{int(r[3])}%，"
                  f"绝大部分固废实现了就地就近利用。")
    mode = o.get("multiyear", "list")
    if mode == "list":
        e1 = (f"2020年至2023年，{subj}工业固废产生量分别为{wt(g[0])}、{wt(g[1])}、{wt(g[2])}和{wt(g[3])}，"
              f"综合利用量分别为{wt(u[0])}、{wt(u[1])}、{wt(u[2])}和{wt(u[3])}。")
    else:
        e1 = (f"2021年{subj}产生工业固废{wt(g[1])}，利用{wt(u[1])}；2022年产生{wt(g[2])}，利用{wt(u[2])}；"
              f"2023年产生{wt(g[3])}，利用{wt(u[3])}。综合利用率2021年为{pct(r[1])}，2022年为{pct(r[2])}。")
    e1 += (f"{'园区内' if park else '公司'}综合利用率由{y0}年的{pct(r[i0])}提高到2023年的{pct(r[3])}，"
           f"累计提高{fnum(r[3] - r[i0], c['rate_places'])}个百分点。")
    if park:
        best = max(c["use"], key=lambda x: x[1][3] - x[1][i0])
        if best[1][3] > best[1][i0]:
            e1 += f"其中，{best[0]}利用量由{y0}年的{wt(best[1][i0])}增加到2023年的{wt(best[1][3])}。"
        e2t = "产生强度持续下降"
        e2 = (f"在园区工业增加值由{yi(c['va'][0])}亿元增长到{yi(c['va'][3])}亿元的同时，工业固废产生强度由2020年的"
              f"{m['int'][0]}吨/万元下降到2023年的{m['int'][3]}吨/万元，累计下降{pct(m['int_dec'])}，实现了经济增长与"
              f"固废产生的相对脱钩。")
    else:
        best = max(c["use"], key=lambda x: x[1][3] - x[1][i0])
        if best[1][3] > best[1][i0]:
            e1 += f"其中，{best[0]}由{YEARS[i0]}年的{wt(best[1][i0])}增加到2023年的{wt(best[1][3])}。"
        e2t = "单位产品固废产生量持续下降"
        ug = m["ugen"]
        dec = q((ug[i0] - ug[3]) / ug[i0] * 100, 1)
        e2 = (f"在产量稳步增长的同时，单位产品工业固废产生量由{y0}年的{ug[i0]}{c['unit_gen_label']}下降到"
              f"2023年的{ug[3]}{c['unit_gen_label']}，累计下降{pct(dec)}。")
    sec["effect"] += [("H2", st["h2"](2, 0) + "综合利用水平显著提升"), ("P", e1),
                      ("H2", st["h2"](2, 1) + e2t), ("P", e2),
                      ("H2", st["h2"](2, 2) + "经济、环境和社会效益明显"), ("P", pf["benefit"] + approx),
                      ("P", "经济效益方面，通过固废资源化利用，每年减少外委处置费用和原材料采购成本，固废利用产品"
                            "销售收入逐年增加，并享受资源综合利用增值税即征即退等税收优惠政策，实现了环境效益和经济"
                            "效益“双赢”。"),
                      ("P", f"环境效益方面，{subj}固废贮存量逐年下降，贮存场所全部按照国家标准完成规范化整治，近三年"
                            f"未发生较大及以上污染事故和生态破坏事件，周边环境质量持续改善。社会效益方面，“无废”建设"
                            f"经验多次在省、市有关会议上交流，先后接待同行参观学习30余批次，发挥了良好的示范带动作用。")]
    if not park:
        sec["effect"].append(("P", "管理成效方面，公司固废管理实现了制度化、信息化和精细化，固废台账数据与地磅计量数据、"
                                   "财务结算数据相互印证，连续三年在地方生态环境部门组织的环境管理评估中获评优秀等级。"))
    # innovation / promotion ------------------------------------------------
    sec["innov"] += [("P", pf["innov"]),
                     ("P", "二是全过程数字化监管创新。依托固废信息化平台，实现固废产生、贮存、转移、利用各环节数据自动"
                           "采集和实时核对，管理由“事后统计”转变为“过程管控”，数据详实准确、可追溯。"),
                     ("P", "三是多方协同机制创新。" + ("园区" if park else "公司") + "与上下游企业、科研院所建立长期合作，"
                           "共同开展利用技术攻关和产品标准制定，推动固废利用产品进入工程建设领域，打通了“最后一公里”。")]
    sec["promo"] += [("P", pf["apply"] + "推广应用需具备以下条件：一是主要固废种类相对集中、产生量稳定，具备规模化"
                            "利用的基础；二是周边有一定规模的建材、交通等消纳市场；三是管理主体责任明确，具备建设信息化"
                            "管理平台的能力。"),
                     ("P", "该模式的借鉴意义在于：坚持源头减量与末端利用并重，以产业链协同破解大宗固废利用难题，以数字化"
                           "手段提升管理水平，在实现固废减量化、资源化的同时，带动了相关产业发展，实现了经济效益、"
                           "环境效益和社会效益的统一，可为全国同类" + ("园区" if park else "企业") + "开展“无废”建设提供参考。"),
                     ("P", "推广应用中需注意以下问题：一是要因地制宜选择利用路径，避免盲目追求高值化；二是要加强利用"
                           "产品的质量控制和环境风险评估，确保利用过程不产生二次污染；三是要用好资源综合利用税收优惠、"
                           "绿色建材政府采购等支持政策，增强利用企业的市场竞争力。")]
    if not park:
        sec["promo"].append(("P", "对于计划推广该模式的企业，建议首先开展固废产生环节和利用潜力的系统诊断，摸清固废种类、"
                                  "数量和理化特性，再结合周边市场条件确定利用路径，分阶段实施技术改造和配套设施建设，"
                                  "同时同步建设信息化管理系统，确保数据准确、可追溯。"))
    for i, k in enumerate(SEC_ORDER):
        B.append(("H1", st["h1"][k]))
        B.extend(sec[k])
    # planted narrative defects (replace one exact phrase)
    for old, new in o.get("narr_replace", []):
        texts = [b[1] for b in B]
        hits = sum(t.count(old) for t in texts)
        assert hits == 1, (c["name"], old, hits)
        B = [(k, t.replace(old, new)) for k, t in B]
    return B


def self_text(c, m, o):
    """自述 (≤1000 字 unless o['long_self'])."""
    park = c["kind"] == "park"
    pf = PROFILES[c["profile"]]
    fy, fm = c["founded"][:2]
    if park:
        ps = [f"{c['name']}始建于{fy}年，{c['approval']}，规划面积{c['area_plan']}平方公里，现有工业企业{c['n_ent']}家，"
              f"其中规模以上工业企业{c['n_scale']}家，主导产业为{c['lead']}。园区{pf['honors']}。",
              f"2023年，园区实现总产值{yi(m['out_tot'][3])}亿元、工业增加值{yi(c['va'][3])}亿元，工业固废产生量"
              f"{fnum(m['gen_tot'][3], 2)}万吨，园区内综合利用率{m['rate'][3]}%。近年来，园区坚持生态优先、绿色发展，"
              f"以“无废园区”建设为抓手，推动产业结构调整和循环化改造，园区企业间物质流、能量流实现了有效耦合。",
              "在信息化建设方面，园区建成了固体废物智慧监管平台，覆盖园区全部产废企业和利用处置企业，具备固废"
              "台账管理、电子转移联单、地磅数据采集、视频监控和统计分析等功能。平台自运行以来，园区固废产生、"
              "贮存、利用数据实现按日更新、按月核对，数据准确率明显提高，为园区管理决策提供了有力支撑。",
              "下一步，园区将继续深化“无废园区”建设，进一步拓展固废高值化利用途径，力争到2025年工业固废综合"
              "利用水平再上新台阶，为全国同类园区提供可复制、可推广的经验。"]
    else:
        ps = [f"{c['name']}成立于{fy}年{fm}月，是一家从事{c['business']}的{c['nature']}，现有员工"
              f"{c['staff_n'].replace(',', '')}人。公司{pf['honors']}。",
              f"2023年，公司实现产值{yi(c['out'][3])}亿元，工业固废产生量"
              + (f"{fnum(m['gen_tot'][3], 2)}万吨" if c.get("waste_scale", 1) == 1 else f"{m['gen_tot'][3]}吨")
              + f"，综合利用率{m['rate'][3]}%。公司坚持走绿色低碳发展道路，持续推进清洁生产和节能降碳改造，"
                f"主要技术经济指标处于行业先进水平。",
              "在信息化建设方面，公司建成了固体废物管理信息化平台，实现固废产生、贮存、转移、利用全过程电子化"
              "管理，平台数据与生产管理系统实时对接，自动生成台账和统计报表，实现了固废信息可追溯、可查询。",
              "今后，公司将继续加大科技投入，推动固废高值化利用，努力打造行业“无废企业”标杆。"]
    if o.get("long_self"):
        ps += ["园区发展大事记：2012年园区获批设立；2014年首批陶瓷企业入驻，园区污水处理厂建成投运；2016年园区被认定为"
               "省级新型工业化产业示范基地，同年启动园区循环化改造；2017年园区陶瓷废渣回收中心建成投产；2018年园区"
               "完成天然气管网全覆盖，企业全部实现“煤改气”；2019年园区启动智慧园区建设，同年获评省级绿色园区；"
               "2020年园区固体废物智慧监管平台上线运行；2021年园区抛光废渣制备发泡陶瓷项目投产；2022年园区入选省级"
               "“无废园区”建设试点；2023年园区完成第二轮循环化改造中期评估。",
               "相关荣誉：国家火炬计划特色产业基地、湖南省新型工业化产业示范基地、湖南省循环化改造示范园区、"
               "湖南省绿色园区、湖南省安全生产标准化示范园区、湖南省智慧园区试点单位、湖南省产业集群发展示范"
               "园区、株洲市生态文明建设先进单位等。园区内现有国家级绿色工厂3家、省级绿色工厂11家，国家级专精特新"
               "“小巨人”企业4家，省级专精特新中小企业26家，国家高新技术企业58家。",
               "生产经营方面，园区陶瓷产业持续向高端化、智能化、绿色化转型，日用陶瓷、电瓷电器和先进工业陶瓷三大"
               "产业链不断完善，产品出口一百多个国家和地区。园区近年来累计投入资金，实施窑炉节能改造、智能化生产线"
               "建设和数字化车间改造，陶瓷企业单位产品能耗和固废产生量持续下降，产业集群竞争力显著增强。园区坚持以"
               "项目为抓手，每年组织开展招商引资和项目建设活动，一批强链补链延链项目相继落地，产业链上下游配套能力"
               "进一步提升。园区还建立了企业服务专员制度，为企业提供政策咨询、要素保障和环保技术指导等服务。"]
    return ps


# ---------------------------------------------------------------------------
# nowaste_case: layouts
# ---------------------------------------------------------------------------
def fmt_date(y, mo, d, style):
    return {"cn": cn_date(y, mo, d), "dot": f"{y}.{mo}.{d}", "iso": f"{y}-{mo:02d}-{d:02d}",
            "ymd": f"{y}年{mo}月{d}日"}[style]


def fig_items(c, m, o):
    """the figure rows of 表1 / 表2: (kind, key, label, unit, values by year)."""
    park = c["kind"] == "park"
    sep = o.get("sep", False)
    cont = o.get("label_style") == "contain"
    wscale = c.get("waste_scale", 1)
    wunit = "万吨" if wscale == 1 else "吨"

    def money(v):
        return fnum(v, 0, sep)

    def waste(v):
        return fnum(v, 2) if wscale == 1 else fnum(v, 0, True)

    instr = o.get("instructions", False)
    ph = o.get("placeholders", False)
    items = []
    if park:
        items.append(("group", None, "生产经营总体情况", None, None))
        items.append(("years", None, None, None, None))
        items.append(("data", "out_tot", "园区总产值合计" if cont else "园区总产值", "万元", [money(x) for x in m["out_tot"]]))
        for j, (nm, vals) in enumerate(c["out_items"]):
            lab = ("其中：" if j == 0 else "") + nm
            if j == 0 and instr:
                lab += "（请将“产业X”修改为产业实际名称，下同。）"
            items.append(("data", ("out", nm), lab, "万元", [money(x) for x in vals]))
        if ph:
            items.append(("ph", None, "……", None, None))
        items.append(("data", "va", "园区工业增加值" if cont else "工业增加值", "万元", [money(x) for x in c["va"]]))
        items.append(("wgroup", None, "工业固废产生与利用总体情况（填写园区企业产生和园区企业利用的，不含外运。"
                                     "可根据实际情况调整行数）", None, None))
        items.append(("years", None, None, None, None))
        items.append(("data", "int", "园区工业固废产生强度*" if not cont else "工业固废产生强度（产生量/工业增加值）",
                      "t/万元" if cont else "吨/万元", [str(x) for x in m["int"]]))
        gen_lab = "园区内一般工业固废产生总量" if cont else "园区内工业固废产生量"
        use_lab = "园区内一般工业固废综合利用总量" if cont else "园区内工业固废利用量"
        rate_lab = "园区内工业固废综合利用率" if cont else "工业固体废物园区内综合利用率"
        use_items = c["use"]
    else:
        items.append(("group", None, "生产经营及工业固废综合利用情况", None, None))
        items.append(("years", None, None, None, None))
        items.append(("data", "out", "产值", "万元", [money(x) for x in c["out"]]))
        items.append(("data", "sales", "销售额", "万元", [money(x) for x in c["sales"]]))
        items.append(("data", "cap", "产能", c["capacity_unit"], list(c["capacity_vals"])))
        items.append(("data", "prod", "产量" if not cont else "产品产量合计", c["prod_unit"],
                      [fnum(x, 2) for x in m["prod_tot"]]))
        for j, (nm, vals) in enumerate(c["products"]):
            lab = ("其中：" if j == 0 else "") + nm
            if j == 0 and instr:
                lab += "（请将产品X修改为实际产品名称，下同）"
            items.append(("data", ("prod", nm), lab, c["prod_unit"], [fnum(x, 2) for x in vals]))
        if ph:
            items.append(("ph", None, "…", None, None))
        items.append(("wgroup", None, "工业固废产生及综合利用情况", None, None))
        items.append(("years", None, None, None, None))
        gen_lab = "本年工业固废产生量" if cont else "工业固废产生量"
        use_lab = "工业固废综合利用量（含厂内利用）" if cont else "工业固废综合利用量"
        rate_lab = "工业固废综合利用率"
        use_items = c["use"]
    if o.get("extra_groups"):
        items.append(("group", None, "一、工业固废产生情况", None, None))
    items.append(("data", "gen_tot", gen_lab, wunit, [waste(x) for x in m["gen_tot"]]))
    for j, (nm, vals) in enumerate(c["gen"]):
        lab = ("其中：" if j == 0 else "") + nm
        if j == 0 and instr:
            lab += "（请将“固废X”修改为实际的固废名称，下同）"
        items.append(("data", ("gen", nm), lab, wunit, [waste(x) for x in vals]))
    if ph:
        items.append(("ph", None, "……", None, None))
    if o.get("extra_groups"):
        items.append(("group", None, "二、工业固废利用情况", None, None))
    items.append(("data", "use_tot", use_lab, wunit, [waste(x) for x in m["use_tot"]]))
    for j, (nm, vals) in enumerate(use_items):
        lab = ("其中：" if j == 0 else "") + nm
        if j == 0 and instr:
            lab += ("（请将“固废X”修改为实际的固废名称，下同）" if park
                    else "（请将方式X修改为实际产生的固废名称，下同）")
        items.append(("data", ("use", nm), lab, wunit, [waste(x) for x in vals]))
    if ph:
        items.append(("ph", None, "……", None, None))
    items.append(("data", "rate", rate_lab, "%", [str(x) for x in m["rate"]]))
    if not park and o.get("ugen_row"):
        items.append(("data", "ugen", "单位产品工业固废产生量", c["unit_gen_label"], [str(x) for x in m["ugen"]]))
    # planted table defects
    ov = o.get("override", {})
    out = []
    for it in items:
        kind, key, lab, unit, vals = it
        if kind == "data":
            vals = list(vals)
            for i, y in enumerate(YEARS):
                if (key, y) in ov:
                    vals[i] = ov[(key, y)]
            it = (kind, key, lab, unit, vals)
        out.append(it)
    return out


def fig_rows(c, items, o):
    """figure items -> table rows (specs for expand_rows), with the column layout of o."""
    years = o.get("years", YEARS)
    if o.get("reverse"):
        years = list(reversed(years))
    unit_col, remark = o.get("unit_col", False), o.get("remark", False)
    ncols = 1 + unit_col + len(years) + remark
    yfmt = o.get("year_fmt", "{}年")
    rows, kinds = [], []
    for kind, key, lab, unit, vals in items:
        if kind in ("group", "wgroup"):
            rows.append([(lab, ncols)])
        elif kind == "years":
            r = ["项目" if unit_col else ""] + (["单位"] if unit_col else []) + [yfmt.format(y) for y in years]
            rows.append(r + (["备注"] if remark else []))
        elif kind == "ph":
            rows.append([lab] + [""] * (ncols - 1))
        else:
            if unit_col or isinstance(key, tuple):
                label = lab           # item rows carry no unit, as in the seed
            else:
                label = f"{lab}（{unit}）"
            r = [label] + ([unit] if unit_col else [])
            r += [vals[YEARS.index(y)] for y in years]
            if remark:
                r.append(o.get("remarks", {}).get(key, ""))
            rows.append(r)
        kinds.append(kind)
    return rows, kinds, ncols


def basic_pairs(c):
    park = c["kind"] == "park"
    head, mobile = c["head"]
    if park:
        singles = [("园区名称", c["name"]), ("主导产业*", c["lead"]), ("详细地址", c["address"]),
                   ("网 址", c["website"])]
        pairs = [(("园区负责人", head), ("手 机", mobile)),
                 (("传 真", c["fax"]), ("邮 箱", c["head_email"])),
                 (("企业数量", c["n_ent"]), ("规上企业数量", c["n_scale"]))]
    else:
        singles = [("企业名称", c["name"]), ("从事行业*", c["industry"]), ("详细地址", c["address"]),
                   ("网 址", c["website"])]
        pairs = [(("负责人", head), ("手 机", mobile)),
                 (("传 真", c["fax"]), ("邮 箱", c["head_email"])),
                 (("厂区面积（平方米）", c["area_m2"]), ("员工数量", c["staff_n"]))]
    return singles, pairs


def basic_rows(c, o, ncols):
    singles, pairs = basic_pairs(c)
    if o.get("founded_row"):
        singles.insert(1, (o.get("founded_label", "成立时间"), o["founded_row"]))
    ren = o.get("labels", {})
    singles = [(ren.get(a, a), b) for a, b in singles]
    pairs = [((ren.get(a, a), b), (ren.get(x, x), y)) for (a, b), (x, y) in pairs]
    lay = o.get("basic", "pairs")
    rows = [[("基本资料", ncols)]]
    if lay == "pairs":
        for a, b in singles:
            rows.append([a, (b, ncols - 1)])
        for (a, b), (x, y) in pairs:
            rows.append([a, b, x, (y, ncols - 3)])
    elif lay == "inline":
        for a, b in singles:
            rows.append([(f"{a}：{b}", ncols)])
        h = ncols // 2
        for (a, b), (x, y) in pairs:
            rows.append([(f"{a}：{b}", h), (f"{x}：{y}", ncols - h)])
    elif lay == "below":
        h = 2
        for k in range(0, len(singles), 2):
            if k + 1 == len(singles):
                a, b = singles[k]
                rows.append([(a, ncols)])
                rows.append([(b, ncols)])
                continue
            (a, b), (x, y) = singles[k], singles[k + 1]
            rows.append([(a, h), (x, ncols - h)])
            rows.append([(b, h), (y, ncols - h)])
        flat = [p for pr in pairs for p in pr]
        for k in range(0, len(flat), 4):
            grp = flat[k:k + 4]
            spans = [1, 1, 1, ncols - 3] if len(grp) == 4 else [2, ncols - 2]
            rows.append([(g[0], s) for g, s in zip(grp, spans)])
            rows.append([(g[1], s) for g, s in zip(grp, spans)])
    return rows


def table_caption(c, o):
    park = c["kind"] == "park"
    num = "表1" if park else "表2"
    name = c["name"] + ("基本情况表" if o.get("caption_short") else ("园区基本情况表" if park and "园区" not in c["name"]
                                                                  else "基本情况表"))
    return num, name


def filler_line(c, o):
    n, t, p = c["filler"]
    ren = o.get("labels", {})
    return f"{ren.get('填表人', '填表人')}：{n}　　{ren.get('职务', '职务')}：{t}　　{ren.get('联系电话', '联系电话')}：{p}"


def add_case_tables(doc, c, m, o):
    """表1/表2 into a docx, honouring split / borders options."""
    items = fig_items(c, m, o)
    frows, kinds, ncols = fig_rows(c, items, o)
    brows = basic_rows(c, o, ncols)
    rows = brows + frows
    kinds = ["group"] + ["basic"] * (len(brows) - 1) + kinds
    borders = o.get("borders", "grid")
    num, name = table_caption(c, o)
    para(doc, num, bold=True, indent=False)
    para(doc, name, bold=True, size=15, align="center")
    para(doc, filler_line(c, o), indent=False, size=10.5)
    bold = {i for i, k in enumerate(kinds) if k in ("group", "wgroup", "years")}
    note1 = "注：产业分类参考《国民经济行业分类》中类。" if c["kind"] == "park" \
        else "注：从事行业参考《国民经济行业分类》中类。"
    split = o.get("split")
    first = 5.0 if ncols <= 6 else 4.2
    widths = [first] + [round((16.4 - first) / (ncols - 1), 2)] * (ncols - 1)
    if split:
        cut = kinds.index("wgroup")
        add_table(doc, rows[:cut], ncols, borders=borders, size=9.5, widths=widths,
                  header_rows=(kinds.index("years"),) if borders == "three" else (),
                  bold_rows={i for i in bold if i < cut})
        para(doc, note1, size=9, indent=False)
        page_break(doc)
        para(doc, f"续{num}", bold=True, indent=False)
        part, pk = rows[cut:], kinds[cut:]
        if split == "repeat":          # group title + year header repeated above the continued rows
            add_table(doc, part, ncols, borders=borders, size=9.5, header_rows=(0, 1), repeat_header=True,
                      widths=widths,
                      bold_rows={j for j, k in enumerate(pk) if k in ("group", "wgroup", "years")})
        else:                          # continued rows without any header
            keep = [(r, k) for r, k in zip(part, pk) if k not in ("wgroup", "years")]
            add_table(doc, [r for r, _ in keep], ncols, borders=borders, size=9.5, widths=widths,
                      bold_rows={j for j, (_, k) in enumerate(keep) if k == "group"})
    else:
        add_table(doc, rows, ncols, borders=borders, size=9.5, widths=widths,
                  header_rows=(kinds.index("years"),) if borders == "three" else (),
                  bold_rows=bold)
        para(doc, note1, size=9, indent=False)
    if c["kind"] == "park":
        para(doc, "注：工业固废产生强度=工业固体废物产生量(吨)/工业增加值(万元)。", size=9, indent=False)
    for extra in o.get("table_notes", []):
        para(doc, extra, size=9, indent=False)


def self_heading(c):
    if c["kind"] == "park":
        return "园区自述（主要内容：园区发展历史、相关荣誉、生产经营总体情况、信息化系统建设运行情况等）（1000字以内）"
    return ("企业自述（主要内容：发展历史、相关荣誉、生产经营总体情况、固体废物管理信息化平台建设运行情况等）"
            "（1000字以内）")


def add_self(doc, c, m, o):
    ps = self_text(c, m, o)
    if o.get("self_in_cell"):
        t = add_table(doc, [[self_heading(c) + "：\n" + "\n".join(ps)]], 1, borders="grid", size=10.5)
    else:
        para(doc, self_heading(c) + "：", bold=True, indent=False)
        for p in ps:
            para(doc, p)


COVER_LABELS = ["单位名称", "地    址", "联 系 人", "电    话", "邮    箱", "申报日期"]


def cover_values(c, o):
    org = c.get("org", c["name"])
    date = fmt_date(*c["date"], o.get("date_fmt", "ymd"))
    return [org, c["address"], c["contact"], c["phone"], o.get("cover_email", c["email"]), date]


def add_cover(doc, c, o):
    park = c["kind"] == "park"
    for _ in range(3):
        para(doc)
    para(doc, "典型案例申报书", bold=True, size=26, align="center", font="黑体")
    para(doc, "（无废园区）" if park else "（无废企业）", size=16, align="center")
    for _ in range(5):
        para(doc)
    labels = [o.get("cover_labels", {}).get(l, l) for l in COVER_LABELS]
    vals = cover_values(c, o)
    lay = o.get("cover", "para")
    if lay == "para":
        for l, v in zip(labels, vals):
            if l.startswith("单位名称"):
                v = v + "（加盖单位公章）"
            para(doc, f"{l}：{v}", size=15, indent=False).paragraph_format.left_indent = Cm(2.5)
    elif lay == "table":
        rows = [[l + "：", v] for l, v in zip(labels, vals)]
        t = add_table(doc, rows, 2, borders="none", size=14, widths=[3.6, 10.0], left_cols=(0, 1))
        for r in range(len(rows)):
            _cell_bottom(t.cell(r, 1), 4)
        para(doc, "（加盖单位公章）", size=12, align="center")
    elif lay == "below":
        for l, v in zip(labels, vals):
            para(doc, l + ("（加盖单位公章）" if l.startswith("单位名称") else "") + "：", size=14, indent=False,
                 space_after=0)
            para(doc, v, size=15, indent=False).paragraph_format.left_indent = Cm(1.5)
    page_break(doc)


def add_promise(doc, c, o):
    para(doc, "承诺声明", bold=True, size=18, align="center", font="黑体")
    para(doc)
    para(doc, "我单位申报的所有材料，均真实、完整，如有不实，愿承担相应的责任。", size=14)
    para(doc, "在不涉及商业机密的情况下，自愿与其他企业分享经验。", size=14)
    for _ in range(4):
        para(doc)
    para(doc, f"单位名称：{c.get('org', c['name'])}", size=14, align="right")
    para(doc, "（公章）", size=14, align="right")
    para(doc, fmt_date(*c["date"], o.get("date_fmt", "ymd")), size=14, align="right")
    page_break(doc)


def build_report_doc(c, m, o):
    doc = new_doc(body_font=o.get("font", "仿宋_GB2312"), size=12)
    header_footer(doc, o.get("header"), True)
    add_cover(doc, c, o)
    add_promise(doc, c, o)
    hm = o.get("heading_mode", "style")
    if o.get("intro_heading", True):
        para(doc, "申报材料", bold=True, size=16, align="center", font="黑体")
    title = c["title"]
    if o.get("title_prefix"):
        para(doc, "题目：" + title, bold=True, size=15, indent=False)
    else:
        para(doc, title, bold=True, size=18, align="center", font="黑体")
    if o.get("subtitle"):
        para(doc, o["subtitle"], size=12, align="center")
    for kind, text in case_text(c, m, o):
        if kind == "H1":
            heading(doc, text, 1, hm)
        elif kind == "H2":
            heading(doc, text, 2, hm)
        else:
            para(doc, text)
    if o.get("photos_note"):
        para(doc, o["photos_note"], size=11)
    page_break(doc)
    if o.get("table_file"):
        para(doc, "附表", bold=True, size=15, indent=False)
        para(doc, f"{table_caption(c, o)[0]} {table_caption(c, o)[1]}及{('园区' if c['kind'] == 'park' else '企业')}"
                  f"自述见附件《{o['table_file']}》。", indent=False)
    else:
        add_case_tables(doc, c, m, o)
        para(doc)
        add_self(doc, c, m, o)
    return doc


def build_table_xlsx(c, m, o, path):
    """表1/表2 and 自述 as a filled-in Excel form."""
    wb = openpyxl.Workbook()
    ws = wb.active
    num, name = table_caption(c, o)
    ws.title = num
    items = fig_items(c, m, o)
    frows, kinds, ncols = fig_rows(c, items, o)
    brows = basic_rows(c, o, ncols)
    r = xl_title(ws, 1, num, ncols, size=11, align="left")
    r = xl_title(ws, r, name, ncols, size=15)
    r = xl_title(ws, r, filler_line(c, o), ncols, size=10.5, bold=False, align="left")
    r = xl_rows(ws, brows + frows, ncols, start=r, bold_rows={0} | {len(brows) + i for i, k in enumerate(kinds)
                                                                  if k in ("group", "wgroup", "years")},
                widths=[44] + [10] * (ncols - 2) + [26] if o.get("remark") else [44] + [12] * (ncols - 1))
    r = xl_title(ws, r, "注：从事行业参考《国民经济行业分类》中类，例：342 金属加工机械制造。", ncols, size=9,
                 bold=False, align="left")
    r += 1
    ps = self_text(c, m, o)
    x = ws.cell(row=r, column=1, value=self_heading(c) + "：\n" + "\n".join(ps))
    x.alignment = Alignment(wrap_text=True, vertical="top")
    x.font = Font(name="宋体", size=10.5)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    ws.row_dimensions[r].height = 420
    save_xlsx(wb, path)


def summary_xlsx(path, sender, rows, contact, o):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总表"
    r = xl_title(ws, 1, "附件2", 9, size=11, align="left")
    r = xl_title(ws, r, "典型案例汇总表", 9, size=16)
    r = xl_title(ws, r, f"报送单位名称：{sender}（加盖单位公章）", 9, size=11, bold=False, align="left")
    hdr = ["序号", "省份", "单位属性", "单位名称", "典型案例名称", "主导产业", "案例简要描述（不超过200字）",
           "单位联系人", "电话"]
    body = [hdr]
    for i, row in enumerate(rows, 1):
        body.append([str(i)] + list(row))
    for ph in o.get("placeholders", []):
        body.append([ph] + [""] * 8 if ph else [""] * 9)
    r = xl_rows(ws, body, 9, start=r, bold_rows={0}, widths=[6, 8, 10, 26, 34, 22, 60, 10, 16],
                left_cols=(5, 7))
    r = xl_title(ws, r + 1, f"报送单位联系人：{contact[0]}        电话：{contact[1]}", 9, size=11, bold=False,
                 align="left")
    save_xlsx(wb, path)


def summary_row(c, m, attr=None, desc=None, contact=None):
    park = c["kind"] == "park"
    lead = {"zhiyang": "C26 化学原料和化学制品制造业", "ebei": "D44 电力、热力生产和供应业",
            "edong": "C31 黑色金属冶炼和压延加工业", "linan": "C30 非金属矿物制品业"}.get(c["key"]) \
        if park else c["industry"]
    if desc is None:
        wn = c["gen"][0][0]
        desc = (f"{c['name']}以{wn}为重点，{PROFILES[c['profile']]['brief']}，"
                f"形成了{c['mode']}模式。2023年{'园区' if park else '企业'}工业固废综合利用率{m['rate'][3]}%，"
                f"建成固废信息化管理平台，实现全过程可追溯。")
        assert hanzi_len(desc) <= 200, hanzi_len(desc)
    who = contact or (c["contact"] or c.get("summary_contact"), c["mobile"] if not park else c["phone"])
    return [c["province"], attr or ("园区" if park else "企业"), c.get("org", c["name"]), c["title"], lead, desc,
            who[0], who[1]]


# ---------------------------------------------------------------------------
# nowaste_case: packages
# ---------------------------------------------------------------------------
def licence(path, name, code, rep, cap, date, addr, kind="有限责任公司"):
    make_image(path, "营 业 执 照", [f"统一社会信用代码：{code}", f"名　　称：{name}", f"类　　型：{kind}",
                                     f"法定代表人：{rep}", f"注册资本：{cap}", f"成立日期：{date}",
                                     f"住　　所：{addr}", "经营范围：详见国家企业信用信息公示系统"],
               seal="登记机关")


def E(rule, keys, file=None, severity="error"):
    d = {"rule": rule, "keys": keys, "severity": severity}
    if file:
        d["file"] = file
    return d


def A(rule, keys):
    return {"rule": rule, "keys": keys}


def pkg_nw01(root, jobs, tmp):
    c = P_ZHIYANG
    m = metrics(c)
    assert_clean(c, m)
    o = dict(outline="renamed_park", heading_mode="style", multiyear="list", label_style="contain", sep=True,
             extra_groups=True, basic="inline", founded_row=c["founded_text"], founded_label="设立时间",
             date_fmt="cn", cover="para", header="枝阳经济开发区“无废园区”典型案例申报书")
    doc = build_report_doc(c, m, o)
    f = "典型案例申报书（枝阳经济开发区）.docx"
    save_docx(doc, root / f)
    make_image(root / "附件" / "园区设立批复文件.jpg", "湖北省人民政府",
               ["关于设立枝阳经济开发区的批复", "鄂政函〔2006〕152号", "宜昌市人民政府：",
                "你市《关于申请设立枝阳经济开发区的请示》收悉。经研究，同意设立枝阳经济开发区，",
                "规划面积38.6平方公里。", "", "2006年8月21日"], seal="湖北省人民政府")
    make_image(root / "附件" / "磷石膏综合利用项目现场照片.jpg", "现场照片",
               ["磷石膏无害化预处理车间", "纸面石膏板生产线", "固废智慧监管平台调度中心"], size=(1600, 1000))
    return dict(form=FORM, clean=True,
                variations=["outline_renamed", "narr_multiyear", "narr_money_units", "tbl_group_rows",
                            "tbl_header_containment", "lv_inline", "date_formats", "num_formats"],
                expected=[], notes="clean park case (磷化工园区), one docx with Word headings renamed beyond the "
                                   "seed, 表1 with thousands separators, industry codes in labels, inline label/value "
                                   "cells, added 设立时间 2006.8 and 工业增加值 rows, cover date in 二〇二四年 form")


def pkg_nw02(root, jobs, tmp):
    c = E_HUAXIN
    m = metrics(c)
    assert_clean(c, m)
    o = dict(outline="arabic", heading_mode="bold", cn_numerals=True, multiyear="pairs", approx=True,
             cover="table", cover_labels={"联 系 人": "联系人姓名", "电    话": "联系电话", "邮    箱": "电子信箱"},
             labels={"手 机": "负责人手机", "邮 箱": "电子信箱", "负责人": "企业负责人"},
             basic="below", borders="three", split="repeat", date_fmt="iso",
             founded_row=c["founded_text"], ugen_row=True, sep=True, title_prefix=True)
    doc = build_report_doc(c, m, o)
    src = tmp / "nw02.docx"
    save_docx(doc, src)
    f = "黄石华鑫特殊钢有限公司典型案例申报书.pdf"
    jobs.append((src, root / f))
    licence(root / "营业执照副本.jpg", c["name"], make_uscc("420203", "68843127"), "余志刚", "叁拾亿元整",
            "2009年04月16日", c["address"])
    return dict(form=FORM, clean=True,
                variations=["outline_numbering", "narr_cn_numerals", "narr_multiyear", "narr_approx",
                            "narr_money_units", "tbl_borderless_pdf", "tbl_continued", "lv_label_variants",
                            "lv_value_below", "date_formats", "num_formats"],
                expected=[], notes="clean enterprise case (特钢), PDF from Word: headings '1 企业概况'/'2.1', rates in "
                                   "Chinese numerals, approximations, three-line 表2 split over two pages under 续表2 "
                                   "with repeated header, basic info with values below labels, cover as a table with "
                                   "联系人姓名/联系电话/电子信箱, dates 2024-03-12 and 二〇〇九年四月")


def pkg_nw03(root, jobs, tmp):
    c = E_XINYUAN
    m = metrics(c)
    assert_clean(c, m)
    o = dict(outline="seed", heading_mode="style", multiyear="list", unit_col=True, reverse=True, remark=True,
             placeholders=True, instructions=True, founded_row=cn_date(2015, 6), date_fmt="ymd",
             table_file="2.企业基本情况表.xlsx", year_fmt="{}年度",
             remarks={"cap": "2×350MW机组", "gen_tot": "不含外购", ("use", "生产水泥及混凝土掺合料"): "分选Ⅰ、Ⅱ级灰",
                      "rate": "利用量/产生量"})
    doc = build_report_doc(c, m, o)
    save_docx(doc, root / "1.典型案例申报书.docx")
    build_table_xlsx(c, m, o, root / "2.企业基本情况表.xlsx")
    make_image(root / "3.承诺声明（盖章扫描件）.jpg", "承诺声明",
               ["我单位申报的所有材料，均真实、完整，如有不实，愿承担相应的责任。",
                "在不涉及商业机密的情况下，自愿与其他企业分享经验。", "", f"单位名称：{c['name']}", "（公章）",
                "2024年3月11日"], seal=c["name"][:6])
    licence(root / "4.营业执照.jpg", c["name"], make_uscc("420606", "MA48K3QX"), "孙德华", "捌亿元整",
            "2015年06月09日", c["address"])
    return dict(form=FORM, clean=True,
                variations=["tbl_unit_column", "tbl_column_order", "tbl_placeholder_rows", "lv_blank",
                            "num_formats", "date_formats", "narr_multiyear"],
                expected=[], notes="clean enterprise case (热电), 表2 and 自述 in a separate xlsx: 单位 column, years "
                                   "2023→2020 with '年度', 备注 column, waste figures in 吨 with thousands separators, "
                                   "the seed's '……' rows and '(请将…修改为…)' instructions left in the labels, 传真 "
                                   "(optional) left blank, 成立时间 二〇一五年六月")


def pkg_nw04(root, jobs, tmp):
    c1, c2 = P_EBEI, E_CHUYUAN
    m1, m2 = metrics(c1), metrics(c2)
    assert_clean(c1, m1)
    assert_clean(c2, m2)
    o1 = dict(outline="seed", heading_mode="style", multiyear="list", date_fmt="ymd", cover="para",
              founded_row="2011年5月")
    d1 = build_report_doc(c1, m1, o1)
    f1 = "案例1 鄂北循环经济产业园/典型案例申报书（鄂北循环经济产业园）.docx"
    save_docx(d1, root / f1)
    o2 = dict(outline="renamed_ent", heading_mode="style", multiyear="list", date_fmt="ymd", cover="para",
              sep=True, self_in_cell=True)
    d2 = build_report_doc(c2, m2, o2)
    src = tmp / "nw04b.docx"
    save_docx(d2, src)
    f2 = "案例2 潜江楚源纸业有限公司/典型案例申报书（潜江楚源纸业有限公司）.pdf"
    jobs.append((src, root / f2))
    licence(root / "案例2 潜江楚源纸业有限公司" / "营业执照.jpg", c2["name"], make_uscc("429005", "71832456"),
            "袁志诚", "伍亿元整", "2003年09月22日", c2["address"])
    summary_xlsx(root / "附件2 典型案例汇总表.xlsx", "湖北省经济和信息化厅",
                 [summary_row(c1, m1), summary_row(c2, m2)], ("周文斌", "027-87251636"), {})
    # covering letter
    doc = new_doc(size=14)
    para(doc, "湖北省经济和信息化厅", bold=True, size=22, align="center", font="方正小标宋简体")
    para(doc, "鄂经信节能函〔2024〕41号", size=14, align="center")
    para(doc, "关于推荐“无废园区”“无废企业”典型案例的函", bold=True, size=18, align="center")
    para(doc, "工业和信息化部节能与综合利用司：", indent=False, size=14)
    para(doc, "根据《工业和信息化部办公厅 生态环境部办公厅关于组织开展“无废园区”“无废企业”典型案例征集工作的通知》"
              "（工信厅联节函〔2024〕16号）要求，我厅会同省生态环境厅组织开展了本省典型案例征集工作。经各市州推荐、"
              "专家评审和遴选，现推荐鄂北循环经济产业园、潜江楚源纸业有限公司2个典型案例，请予审核。", size=14)
    para(doc, "附件：1.典型案例申报书（2份）", size=14)
    para(doc, "2.典型案例汇总表", size=14).paragraph_format.left_indent = Cm(2.4)
    para(doc, "（联系人：周文斌，电话：027-87251636）", size=14)
    para(doc, "湖北省经济和信息化厅", size=14, align="right")
    para(doc, "2024年3月26日", size=14, align="right")
    save_docx(doc, root / "关于推荐“无废园区”“无废企业”典型案例的函.docx")
    return dict(form=FORM, clean=True,
                variations=["narr_multiyear", "narr_money_units", "outline_renamed", "num_formats"],
                expected=[], notes="clean provincial package: covering letter, 附件2 汇总表 (xlsx, 2 rows) and two "
                                   "申报书 in sub-folders (a park docx, an enterprise PDF whose 自述 sits in a table "
                                   "cell)")


def pkg_nw05(root, jobs, tmp):
    c = P_EDONG
    m = metrics(c)
    assert_clean(c, m)
    f = "申报书.docx"
    o = dict(outline="renamed_park", heading_mode="bold", multiyear="pairs", label_style="contain", sep=True,
             extra_groups=True, date_fmt="ymd", cover="para", founded_row="2008年11月",
             override={(("use", "钢渣"), 2020): "45.35", ("int", 2021): "4.587"},
             narr_replace=[("2022年为96.06%", "2022年为96.60%")])
    doc = build_report_doc(c, m, o)
    save_docx(doc, root / f)
    return dict(form=FORM, clean=False,
                variations=["outline_renamed", "narr_multiyear", "tbl_group_rows", "tbl_header_containment",
                            "num_formats", "narr_money_units"],
                expected=[E("SUM.TOTAL_MISMATCH", ["257.11"], f),
                          E("INTENSITY.MISMATCH", ["4.587"], f),
                          E("CROSSDOC.FIGURE_MISMATCH", ["96.6"], f)],
                allowed=[A("RATE.MISMATCH", ["2020"])],
                notes="park case (冶金园区) with group rows '一、工业固废产生情况/二、…利用情况' and headers like "
                      "'园区内一般工业固废综合利用总量（万吨）': 2020 利用量 257.11 but its 其中 rows add to 258.11 "
                      "(钢渣 45.35 for 44.35); 2021 产生强度 written 4.587 (288.81万吨/598700万元 = 4.824); the "
                      "multi-year paragraph gives the 2022 rate as 96.60% against 96.06% in 表1")


def pkg_nw06(root, jobs, tmp):
    c = E_HUATONG
    m = metrics(c)
    assert_clean(c, m)
    o = dict(outline="part", heading_mode="style", cn_numerals=True, multiyear="pairs", borders="none",
             split="norepeat", basic="below", date_fmt="dot", founded_row="2010.7",
             override={("rate", 2022): "86.37"},
             narr_replace=[("2023年产生42.86万吨", "2023年产生四十二点六八万吨")])
    doc = build_report_doc(c, m, o)
    src = tmp / "nw06.docx"
    save_docx(doc, src)
    f = "典型案例申报书.pdf"
    jobs.append((src, root / f))
    licence(root / "营业执照.jpg", c["name"], make_uscc("360602", "70558123"), "程海涛", "伍拾亿元整",
            "2010年07月08日", c["address"])
    make_image(root / "固废信息化平台截图.png", "固废管理信息化平台", ["产生台账 / 贮存台账 / 利用台账 / 电子联单"],
               size=(1600, 900))
    return dict(form=FORM, clean=False,
                variations=["outline_numbering", "narr_cn_numerals", "narr_multiyear", "tbl_borderless_pdf",
                            "tbl_continued", "lv_value_below", "date_formats"],
                expected=[E("RATE.MISMATCH", ["86.37"], f),
                          E("CROSSDOC.FIGURE_MISMATCH", ["产生量"], f)],
                notes="enterprise case (铜冶炼) as PDF with a borderless 表2 whose waste rows continue on the next "
                      "page under 续表2 without a header: the 2022 综合利用率 there is 86.37% though "
                      "36.60/43.38 = 84.37%; the text states the 2023 产生量 in Chinese numerals as "
                      "四十二点六八万吨 against 42.86 in 表2")


def pkg_nw07(root, jobs, tmp):
    c = P_LINAN
    m = metrics(c)
    f = "醴南陶瓷工业园区典型案例申报书.docx"
    bad_mail = "lnty_hbj＠126.com"
    o = dict(outline="seed", heading_mode="style", multiyear="list", sep=True, basic="inline", cover="para",
             cover_labels={"联 系 人": "联系人", "电    话": "移动电话", "邮    箱": "电子信箱"},
             labels={"手 机": "负责人手机", "邮 箱": "电子信箱", "园区负责人": "园区主要负责人"},
             cover_email=bad_mail, long_self=True, date_fmt="ymd", approx=True)
    c = dict(c, phone="13973323816")
    doc = build_report_doc(c, m, o)
    save_docx(doc, root / f)
    return dict(form=FORM, clean=False,
                variations=["lv_label_variants", "lv_inline", "num_formats", "narr_approx"],
                expected=[E("ELIGIBILITY.RATE_BELOW_THRESHOLD", ["88.06"], f),
                          E("TEXT.LENGTH_EXCEEDED", ["自述"], f),
                          E("FORMAT.EMAIL_INVALID", ["lnty_hbj"], f)],
                notes="park case (陶瓷园区): 2023 园区内综合利用率 88.06% (<90%, +9.54 points since 2020, not 20); "
                      "园区自述 about 1150 字; cover 电子信箱 written with a full-width ＠")


def pkg_nw08(root, jobs, tmp):
    c = E_HENGTAI
    m = metrics(c)
    f = "无废企业典型案例申报书.docx"
    o = dict(outline="renamed_ent", heading_mode="style", multiyear="pairs", i0=1, years=[2021, 2022, 2023],
             reverse=True, unit_col=True, remark=True, founded_row=c["founded_text"], date_fmt="ymd", sep=True,
             remarks={"out": "2021年为改制前原厂数据"},
             narr_replace=[("销售额27.13亿元", "销售额27.18亿元")])
    doc = build_report_doc(c, m, o)
    save_docx(doc, root / f)
    licence(root / "营业执照.jpg", c["name"], make_uscc("640181", "MA76G2KP"), "杨振宇", "拾亿元整",
            "2022年01月18日", c["address"])
    return dict(form=FORM, clean=False,
                variations=["date_formats", "tbl_unit_column", "tbl_column_order", "narr_money_units",
                            "narr_multiyear"],
                expected=[E("ELIGIBILITY.ENTITY_TOO_YOUNG", ["2022"], f, "veto"),
                          E("PERIOD.MISSING_YEAR", ["2020"], f),
                          E("CROSSDOC.FIGURE_MISMATCH", ["销售额"], f)],
                allowed=[A("ELIGIBILITY.INTENSITY_DECLINE_BELOW_THRESHOLD", [])],
                notes="enterprise case (氯碱) established 2022.1 (成立时间 in 表2, application 2024-03-19); 表2 has "
                      "a 单位 column, a 备注 column and years in the order 2023/2022/2021 with no 2020 column; the "
                      "text says 销售额27.18亿元 while 表2 gives 271,300 万元 for 2023")


def pkg_nw09(root, jobs, tmp):
    c = E_DINGSHENG
    m = metrics(c)
    assert_clean(c, m)
    f = "潍坊鼎盛精密铸造有限公司典型案例申报书.docx"
    fs = "附件2：典型案例汇总表.xlsx"
    o = dict(outline="seed", heading_mode="style", multiyear="list", label_style="contain", approx=True,
             date_fmt="ymd", cover="para",
             narr_replace=[("综合利用10.16万吨，综合利用率超过", "综合利用10.61万吨，综合利用率超过")])
    doc = build_report_doc(c, m, o)
    save_docx(doc, root / f)
    other1 = ["山东", "园区", "东营港经济开发区管理委员会", "东营港经济开发区化工固废“分类收集、园内消纳”模式",
              "C26 化学原料和化学制品制造业",
              "园区建成固废集中收集转运中心和智慧监管平台，推动企业间副产物互供，2023年园区工业固废综合利用率"
              "93.2%。", "高建国", "0546-8526601"]
    other2 = ["山东", "企业", "山东鲁中耐火材料有限公司", "山东鲁中耐火材料有限公司废耐火材料“回收—再生—再用”模式",
              "C30 非金属矿物制品业",
              "公司建立用后耐火材料回收体系，再生料回用于耐火制品生产，2023年工业固废综合利用率96.5%。",
              "李明", "0533-6281152"]
    row = summary_row(c, m, attr="园区")
    summary_xlsx(root / fs, "山东省工业和信息化厅", [other1, row, other2], ("王晓红", "0531-51782216"),
                 {"placeholders": ["……", "", ""]})
    return dict(form=FORM, clean=False,
                variations=["lv_blank", "tbl_placeholder_rows", "narr_approx", "tbl_header_containment"],
                expected=[E("FIELD.MISSING", ["联系人"], f),
                          E("SUMMARY.ATTRIBUTE_MISMATCH", ["鼎盛"], fs),
                          E("CROSSDOC.FIGURE_MISMATCH", ["10.61"], f)],
                notes="enterprise case (铸造) with the provincial 汇总表 (3 rows, '……' and blank rows left in): "
                      "cover 联系人 left blank; the 汇总表 row calls the enterprise a 园区; beside approximations "
                      "('约11万吨', '超过93%') the text states 综合利用10.61万吨 against 10.16 in 表2")


PACKAGES = [
    ("枝阳经济开发区-无废园区典型案例申报", False, pkg_nw01),
    ("黄石华鑫特殊钢_无废企业申报.zip", True, pkg_nw02),
    ("襄阳鑫源热电-无废企业典型案例", False, pkg_nw03),
    ("湖北省无废园区无废企业典型案例推荐材料.zip", True, pkg_nw04),
    ("鄂东滨江冶金工业园区申报材料", False, pkg_nw05),
    ("鹰潭华铜冶炼-无废企业典型案例.zip", True, pkg_nw06),
    ("醴南陶瓷工业园区无废园区申报", False, pkg_nw07),
    ("宁东恒泰化工-无废企业申报", False, pkg_nw08),
    ("山东省推荐案例_潍坊鼎盛.zip", True, pkg_nw09),
]


def build(out_dir):
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="nwgm_nw_"))
    jobs, manifest, zips = [], [], []
    try:
        for name, is_zip, fn in PACKAGES:
            clear(out_dir / name)
            root = (tmp / ("stage_" + name)) if is_zip else (out_dir / name)
            root.mkdir(parents=True, exist_ok=True)
            entry = {"package": name, **fn(root, jobs, tmp)}
            entry.setdefault("allowed", [])
            manifest.append(entry)
            if is_zip:
                zips.append((root, out_dir / name))
        pdf_batch(jobs, "nwgm")
        for root, dst in zips:
            zip_dir(root, dst)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.variations.build_nowaste_case OUT_DIR")
    print(json.dumps(build(pathlib.Path(sys.argv[1])), ensure_ascii=False, indent=2))
