"""Writing tools the hand-made hn_green_mfg and nowaste_case packages share: python-docx, openpyxl,
Pillow and LibreOffice helpers written independently of the project generator."""
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import zipfile
from decimal import ROUND_HALF_UP, Decimal as D

from docx import Document
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


def cell_bottom(cell, sz=6):
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
            cell_bottom(t.cell(last, c))
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




def build_packages(packages, out_dir, tag):
    """Write each (name, is_zip, writer) package into out_dir; PDFs are converted in one LibreOffice batch and
    zipped packages are staged first. Returns the manifest entries the writers describe."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix=f"nwgm_{tag}_"))
    jobs, manifest, zips = [], [], []
    try:
        for name, is_zip, fn in packages:
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
