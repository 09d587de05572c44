"""Hand-built hn_benchmark packages (湖南省工业资源综合利用标杆企业自评价报告书 + 附表 指标表).

Written independently of Shencha's generator ("another hand"): the layouts, wording, units and
file splits follow what Hunan enterprises actually submit.  Usage:

    python -m tests.variations.build_hn_benchmark OUT_DIR   # builds all packages, prints the manifest

Everything is deterministic: no clock, no randomness.  Only the standard library, python-docx,
openpyxl, Pillow, python-stdnum and LibreOffice (for the PDFs) are used.
"""
from __future__ import annotations

import copy
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from decimal import ROUND_HALF_UP, Decimal

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from PIL import Image, ImageDraw, ImageFont
from stdnum.cn import uscc as _uscc

FORM = "hn_benchmark"
D = Decimal

# --------------------------------------------------------------------------------------------
# identifiers
# --------------------------------------------------------------------------------------------
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def org_code(body8: str) -> str:
    """GB 11714 organisation code: 8 characters + check character."""
    w = [3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(_ALNUM.index(ch) * wt for ch, wt in zip(body8, w))
    c = 11 - s % 11
    return body8 + ("X" if c == 10 else "0" if c == 11 else str(c))


def make_uscc(region: str, org8: str) -> str:
    body = "91" + region + org_code(org8)
    assert len(body) == 17
    code = body + _uscc.calc_check_digit(body)
    assert _uscc.is_valid(code)
    return code


def break_uscc(code: str) -> str:
    """Same code with a wrong check character (a typo in the last character)."""
    for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if ch != code[-1]:
            bad = code[:-1] + ch
            assert not _uscc.is_valid(bad)
            return bad
    raise AssertionError


# --------------------------------------------------------------------------------------------
# numbers
# --------------------------------------------------------------------------------------------

def rnd(x: Decimal, nd: int) -> Decimal:
    """Round half-up, refusing values that sit too close to a rounding boundary."""
    q = Decimal(1).scaleb(-nd)
    r = x.quantize(q, ROUND_HALF_UP)
    assert abs(x - r) / q < Decimal("0.45"), (x, nd)
    return r


def fm(x, nd: int = 2, sep: bool = True) -> str:
    x = D(x).quantize(Decimal(1).scaleb(-nd), ROUND_HALF_UP) if nd >= 0 else D(x)
    return f"{x:,.{nd}f}" if sep else f"{x:.{nd}f}"


def nd_of(s: str) -> int:
    return len(s.split(".")[1]) if "." in s else 0


def pct(num, den, nd: int = 2) -> Decimal:
    return rnd(D(num) / D(den) * 100, nd)


def rel(prev, cur, nd: int = 2) -> Decimal:
    return rnd((D(cur) - D(prev)) / D(prev) * 100, nd)


def signed(x: Decimal, nd: int, sep: bool = True) -> str:
    s = fm(abs(x), nd, sep)
    return ("+" if x > 0 else "-" if x < 0 else "") + s


_DIG = "零一二三四五六七八九"


def cn_int(n: int) -> str:
    if n == 0:
        return "零"
    units = ["", "十", "百", "千", "万"]
    s, zero, digits = "", False, str(n)
    for i, ch in enumerate(digits):
        d, pos = int(ch), len(digits) - i - 1
        if d == 0:
            zero = True
            continue
        if zero:
            s += "零"
            zero = False
        s += _DIG[d] + units[pos]
    if s.startswith("一十"):
        s = s[1:]
    return s


def cn_num(x) -> str:
    """Chinese numerals as written in prose: 45.80 -> 四十五点八, 140 -> 一百四十."""
    t = format(D(x).normalize(), "f")
    ip, _, fp = t.partition(".")
    out = cn_int(int(ip))
    if fp:
        out += "点" + "".join(_DIG[int(c)] for c in fp)
    return out


def yi(wan) -> str:
    """万元 -> 亿元 with two decimals (checked against rounding boundaries)."""
    return fm(rnd(D(wan) / 10000, 2), 2, False)


# --------------------------------------------------------------------------------------------
# docx helpers
# --------------------------------------------------------------------------------------------
BODY_FONT = "仿宋_GB2312"
HEAD_FONT = "黑体"


def _font(run, name=None, size=None, bold=None, color=None):
    if name:
        run.font.name = name
        rpr = run._element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            rpr.append(rfonts)
        rfonts.set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if color is not None:
        run.font.color.rgb = color


def new_doc(body_size=12, font=BODY_FONT):
    doc = Document()
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(body_size)
    rpr = st.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), font)
    for name, size in (("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 13)):
        hs = doc.styles[name]
        hs.font.size = Pt(size)
        hs.font.color.rgb = RGBColor(0, 0, 0)
        hs.font.name = "Times New Roman"
        hrpr = hs.element.get_or_add_rPr()
        hf = hrpr.find(qn("w:rFonts"))
        if hf is None:
            hf = OxmlElement("w:rFonts")
            hrpr.append(hf)
        for att in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if hf.get(qn(att)) is not None:
                del hf.attrib[qn(att)]
        hf.set(qn("w:eastAsia"), HEAD_FONT)
    doc.core_properties.author = "Administrator"
    doc.core_properties.last_modified_by = "Administrator"
    doc.core_properties.title = ""
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.top_margin = sec.bottom_margin = Cm(2.54)
    sec.left_margin = sec.right_margin = Cm(2.8)
    return doc


def para(doc, text="", bold=False, size=None, align=None, indent=True, font=None, space_after=None):
    p = doc.add_paragraph()
    if indent and text:
        p.paragraph_format.first_line_indent = Pt((size or 12) * 2)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    if text:
        r = p.add_run(text)
        _font(r, font, size, bold)
    return p


def page_break(doc):
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def header_footer(doc, header_text=None, page_numbers=True):
    sec = doc.sections[0]
    if header_text:
        hp = sec.header.paragraphs[0]
        hp.text = header_text
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for r in hp.runs:
            _font(r, "宋体", 9)
    if page_numbers:
        fp = sec.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = fp.add_run("— ")
        _font(r, "宋体", 9)
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        rr = OxmlElement("w:r")
        tt = OxmlElement("w:t")
        tt.text = "1"
        rr.append(tt)
        fld.append(rr)
        fp._p.append(fld)
        r2 = fp.add_run(" —")
        _font(r2, "宋体", 9)


def _border_el(tag, val="single", sz=4):
    el = OxmlElement(tag)
    el.set(qn("w:val"), val)
    if val != "nil":
        el.set(qn("w:sz"), str(sz))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
    return el


def add_table(doc, grid, merges=(), style="grid", widths=None, header_rows=1, repeat_header=False,
              size=10.5, bold_rows=(), center_cols=(), font="宋体"):
    """grid: list of rows (strings); merges: (row, col, rowspan, colspan), 0-based."""
    nrows, ncols = len(grid), len(grid[0])
    t = doc.add_table(rows=nrows, cols=ncols)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    if style == "grid":
        t.style = doc.styles["Table Grid"]
    elif style in ("three", "none"):
        tblPr = t._tbl.tblPr
        b = OxmlElement("w:tblBorders")
        edge_val = "single" if style == "three" else "nil"
        b.append(_border_el("w:top", edge_val, 12))
        b.append(_border_el("w:left", "nil"))
        b.append(_border_el("w:bottom", edge_val, 12))
        b.append(_border_el("w:right", "nil"))
        b.append(_border_el("w:insideH", "nil"))
        b.append(_border_el("w:insideV", "nil"))
        tblPr.append(b)
    covered = set()
    for (r, c, rs, cs) in merges:
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                if (rr, cc) != (r, c):
                    covered.add((rr, cc))
    for r, row in enumerate(grid):
        for c, val in enumerate(row):
            if (r, c) in covered:
                continue
            cell = t.cell(r, c)
            p = cell.paragraphs[0]
            run = p.add_run(str(val))
            _font(run, font, size, bold=(r < header_rows or r in bold_rows))
            if r < header_rows or c in center_cols:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for (r, c, rs, cs) in merges:
        a = t.cell(r, c)
        m = a.merge(t.cell(r + rs - 1, c + cs - 1))
        # drop the empty paragraphs python-docx keeps from the swallowed cells
        for p in list(m.paragraphs)[1:]:
            if not p.text:
                p._p.getparent().remove(p._p)
    if style == "three":
        for hr in range(header_rows):
            for cell in t.rows[hr].cells:
                tcPr = cell._tc.get_or_add_tcPr()
                tb = OxmlElement("w:tcBorders")
                tb.append(_border_el("w:bottom", "single", 6))
                tcPr.append(tb)
    if repeat_header:
        for hr in range(header_rows):
            trPr = t.rows[hr]._tr.get_or_add_trPr()
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            trPr.append(el)
    if widths:
        t.autofit = False
        for i, gc in enumerate(t._tbl.tblGrid.findall(qn("w:gridCol"))):
            if i < len(widths):
                gc.set(qn("w:w"), str(int(Cm(widths[i]) / 635)))
        for row in t.rows:
            for i, w in enumerate(widths):
                if i < len(row.cells):
                    row.cells[i].width = Cm(w)
    return t


# --------------------------------------------------------------------------------------------
# images (scans of certificates; content is not read by the reviewer yet)
# --------------------------------------------------------------------------------------------
_FONT_PATHS = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
               "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]


def _pil_font(size):
    for p in _FONT_PATHS:
        if os.path.exists(p):
            return ImageFont.truetype(p, size)
    return ImageFont.load_default()


def cert_image(path: pathlib.Path, title: str, lines: list[str], stamp: str, landscape=False):
    w, h = (1400, 1000) if landscape else (1000, 1400)
    img = Image.new("RGB", (w, h), (250, 248, 240))
    d = ImageDraw.Draw(img)
    d.rectangle([30, 30, w - 30, h - 30], outline=(150, 110, 60), width=6)
    ft, fb = _pil_font(54), _pil_font(28)
    tw = d.textlength(title, font=ft)
    d.text(((w - tw) / 2, 90), title, font=ft, fill=(20, 20, 20))
    y = 220
    for ln in lines:
        while ln:
            chunk = ln[:30]
            ln = ln[30:]
            d.text((90, y), chunk, font=fb, fill=(30, 30, 30))
            y += 46
        y += 8
    cx, cy, rr = w - 260, h - 260, 130
    d.ellipse([cx - rr, cy - rr, cx + rr, cy + rr], outline=(210, 30, 30), width=7)
    fs = _pil_font(26)
    sw = d.textlength(stamp[:10], font=fs)
    d.text((cx - sw / 2, cy - 40), stamp[:10], font=fs, fill=(210, 30, 30))
    if len(stamp) > 10:
        sw2 = d.textlength(stamp[10:20], font=fs)
        d.text((cx - sw2 / 2, cy), stamp[10:20], font=fs, fill=(210, 30, 30))
    d.text((cx - 16, cy + 40), "★", font=_pil_font(32), fill=(210, 30, 30))
    path.parent.mkdir(parents=True, exist_ok=True)
    ext = path.suffix.lower()
    if ext == ".pdf":
        img.save(path, "PDF", resolution=120.0)
    elif ext == ".png":
        img.save(path, "PNG", optimize=True)
    else:
        img.save(path, "JPEG", quality=70)
    return path


def screenshot_image(path: pathlib.Path, site: str, query: str, rows: list[str]):
    img = Image.new("RGB", (1280, 760), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 1280, 70], fill=(22, 93, 170))
    d.text((30, 16), site, font=_pil_font(30), fill=(255, 255, 255))
    d.rectangle([30, 100, 1250, 150], outline=(180, 180, 180), width=2)
    d.text((45, 110), query, font=_pil_font(24), fill=(60, 60, 60))
    y = 190
    for r in rows:
        d.text((45, y), r, font=_pil_font(24), fill=(30, 30, 30))
        y += 48
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG", optimize=True)
    return path


# --------------------------------------------------------------------------------------------
# the companies (figures in 万吨 / 万元 unless said otherwise)
# --------------------------------------------------------------------------------------------
PREV, CUR = 2023, 2024


def _w(name, prev, cur, recv=None, nname=None, tname=None):
    return dict(name=name, nname=nname or name, tname=tname or name, prev=D(prev), cur=D(cur),
                recv=D(recv) if recv else None, p_s=prev, c_s=cur)


def _p(name, unit, qprev, qcur, vprev, vcur):
    return dict(name=name, unit=unit, qprev=D(qprev), qcur=D(qcur), vprev=D(vprev), vcur=D(vcur),
                qprev_s=qprev, qcur_s=qcur)


def company_hongyue():
    return dict(
        key="hongyue", name="湘潭宏岳新型建材有限公司", short="宏岳建材", region="430304", org8="57658213",
        founded="2011年6月", capital="8,000万元", legal="刘建华", contact="周晓梅", mobile="13975216384",
        tel="0731-58862316", address="湘潭市岳塘区荷塘街道建材路88号",
        city_bureau="湘潭市岳塘区", positioning="公司是国家高新技术企业、湖南省专精特新中小企业，是湘潭地区规模最大的粉煤灰、脱硫石膏综合利用企业之一。",
        scope="新型建筑材料的研发、生产与销售；粉煤灰、炉渣、脱硫石膏等工业固体废物的综合利用；蒸压加气混凝土砌块、纸面石膏板、矿物掺合料的生产和销售；道路普通货物运输",
        capacity="公司建有年产40万立方米蒸压加气混凝土砌块生产线1条、年产3,000万平方米纸面石膏板生产线1条、年产15万吨粉煤灰矿物掺合料粉磨站1座",
        sources="粉煤灰、炉渣主要来源于湘江发电有限责任公司、湘潭荷塘热电有限公司，脱硫石膏主要来源于湘江发电有限责任公司和株洲石峰热电有限公司，均采用密闭罐车及专用车辆运输进厂",
        honors="先后获评国家高新技术企业、湖南省专精特新中小企业、湖南省绿色工厂，蒸压加气混凝土砌块获绿色建材产品认证（二星级）",
        inv=4, senior=9, mid=24,
        rd="公司建有湘潭市固废基新型建材工程技术研究中心，与湘潭大学、湖南科技大学共建产学研合作基地，2024年研发投入1,312.6万元。近年来先后完成“高掺量粉煤灰蒸压加气混凝土砌块制备技术”“脱硫石膏低温煅烧及改性技术”等研发项目8项，其中2项通过省级科技成果评价，达到国内先进水平。",
        core_tech="高掺量粉煤灰蒸压加气技术、脱硫石膏沸腾炉低温煅烧技术和粉煤灰分级粉磨技术",
        position="公司粉煤灰砌块单线产能和脱硫石膏利用规模在省内同行业位居前列，纸面石膏板产品性能达到GB/T 9775—2008要求，在湘中地区具有较高的市场占有率。",
        energy=["主要原材料及能源消耗：公司生产所需原料以粉煤灰、炉渣、脱硫石膏为主，辅以水泥、石灰、护面纸等；所需能源主要为电力、天然气和外购蒸汽。2024年综合能源消费量18,650吨标准煤，其中用电2,860万千瓦时、天然气612万立方米、外购蒸汽8.9万吨，新鲜水用量21.6万立方米；屋顶分布式光伏发电186万千瓦时。",
                "单位产品能耗：蒸压加气混凝土砌块综合能耗28.6千克标准煤/立方米，纸面石膏板综合能耗1.92千克标准煤/平方米，均优于行业先进值。",
                "“三废”产生、处置和排放：生产废水经沉淀后全部回用，生活污水经化粪池预处理后排入园区污水管网；石膏煅烧炉、导热油炉烟气经布袋除尘+脱硫处理，颗粒物、二氧化硫排放浓度分别为6.2mg/m³、18mg/m³，稳定达标排放；生产过程中产生的切割边角料、废石膏板全部回用于生产。公司能耗、排放水平在省内同行业处于领先地位。"],
        mgmt="公司成立以总经理为组长的资源综合利用工作领导小组，下设资源综合利用管理办公室（挂靠生产技术部），配备专职管理人员6人；制定《固体废物进厂验收管理制度》《原料质量检验规程》《资源综合利用台账管理办法》等制度21项，实行原料进厂“一车一检”和月度台账核对，各项制度执行情况纳入部门绩效考核。",
        tech_qc="主要技术装备方面，2024年公司完成砌块生产线智能化改造，新增自动配料系统、蒸压釜智能控制系统各1套，砌块生产线粉煤灰掺量由65%提高至70%；石膏板生产线更换沸腾煅烧炉1台。产品质量管控方面，公司严格执行GB/T 11968—2020、GB/T 9775—2008等产品标准，出厂产品合格率100%，全年未发生质量投诉。",
        green="2024年，公司通过实施余热回收、空压机变频改造、屋顶分布式光伏等措施，单位产品综合能耗较前一年度下降4.2%；生产用水重复利用率达到95%以上；全年减少颗粒物排放约12吨、二氧化硫排放约8吨。",
        channel="废弃物回收利用渠道方面，公司与湘江发电有限责任公司等4家电厂签订长期固废供应协议（期限3—5年），建立“电厂—物流—工厂”闭环运输体系，配备粉煤灰密闭罐车32辆，实现灰渣、石膏“日产日清”。营销模式方面，公司采取“直销+经销”模式，砌块产品主要供应长株潭地区装配式建筑项目，石膏板通过省内18家经销商销售，并与多家大型建筑施工企业建立战略合作关系。",
        std_text="2024年，公司参与制定行业标准《蒸压加气混凝土砌块自保温系统应用技术规程》1项，主导制定团体标准1项，新制定企业标准1项",
        systems_txt="已建立并有效运行质量管理体系（ISO 9001）、环境管理体系（ISO 14001）、职业健康安全管理体系（ISO 45001），2024年新增通过能源管理体系（ISO 50001）认证",
        projects=["（一）蒸压加气混凝土砌块生产线智能化改造项目。建设地点：湘潭市岳塘区公司厂区。建设内容：新建自动配料及浇注控制系统、蒸压釜智能控制系统，改造切割线和成品包装线，配套建设生产执行系统（MES）。项目总投资2,680万元，2023年10月开工，2024年9月建成投产。项目投运后砌块生产线粉煤灰掺量提高5个百分点，年新增消纳粉煤灰约1.5万吨，人均劳动生产率提高约30%。",
                  "（二）脱硫石膏煅烧系统节能改造项目。建设地点：公司石膏板车间。建设内容：将原回转窑煅烧工艺改造为沸腾炉煅烧工艺，新增烟气余热回收装置。项目总投资960万元，2024年6月完成。改造后吨熟石膏煅烧能耗下降约11%，年新增消纳脱硫石膏约1万吨。",
                  "（三）重点工作。一是开展粉煤灰分级利用，Ⅰ级灰用于商品混凝土掺合料、Ⅱ/Ⅲ级灰用于砌块生产，提高产品附加值；二是推进数智化管理，建成固废进厂及利用台账信息系统，实现“来源—贮存—利用”全过程可追溯；三是与上游电厂开展协同利用，实现灰渣、石膏“点对点”消纳，促进资源综合利用产业延链强链。"],
        safeguards=["资金保障：公司每年按不低于销售收入3%的比例提取研发经费；2024年资源综合利用相关项目投入资金3,640万元，其中自有资金2,640万元、银行贷款1,000万元。",
                    "技术保障：依托工程技术研究中心和产学研合作基地，聘请行业专家3名担任技术顾问，重点攻关高掺量、低能耗技术。",
                    "环保保障：完善环保设施运行管理制度，落实在线监测和第三方运维，2024年环保设施运维投入312万元。",
                    "人才保障：实施管理、技术“双通道”职业发展机制，2024年引进本科及以上学历专业技术人员7人，开展技能培训46场次。"],
        problems="存在的主要问题：一是粉煤灰季节性供需矛盾突出，冬季电厂发电负荷高、产灰量大，而建材需求处于淡季，库存压力大；二是脱硫石膏品质波动，部分批次含水率、氯离子偏高，影响石膏板质量；三是固废基建材市场认可度仍有待提高。已采取的措施：新建2万吨粉煤灰储库调节季节性差异，建立石膏进厂分级堆存制度，积极开展绿色建材产品认证。",
        experience="主要经验：坚持“以用定收、以产促用”，与上游电厂建立稳定的协同利用关系；坚持技术创新驱动，不断提高固废掺量和产品附加值；坚持全过程台账管理，做到利用数据可追溯、可核查。",
        suggestions="政策建议：一是建议在政府投资工程中加大固废基绿色建材的采购比例；二是建议进一步落实资源综合利用增值税即征即退政策；三是建议省级层面搭建工业固废供需信息平台，促进产废企业与利废企业精准对接。",
        waste_word="工业固废",
        wastes=[_w("粉煤灰", "11.20", "12.60", "12.78"), _w("炉渣", "3.60", "3.40", "3.46"),
                _w("脱硫石膏", "7.05", "8.10", "8.20")],
        supply=(D("22.25"), D("24.44")),
        revenue=(D("38620"), D("42180")), psales=(D("28460"), D("31250")),
        profit=(D("2105.6"), D("2316.5")), tax=(D("1652.3"), D("1768.4")),
        y2022=dict(revenue=D("35270"), profit=D("1876.2"), tax=D("1498.7")),
        products=[_p("蒸压加气混凝土砌块", "万立方米", "35.2", "38.6", "12320", "13510"),
                  _p("粉煤灰矿物掺合料", "万吨", "9.80", "11.20", "3430", "3920"),
                  _p("纸面石膏板", "万平方米", "1850", "2120", "14370", "16030")],
        patents=(18, 23), standards=(4, "团体标准1项、企业标准3项", 7, "行业标准1项（参与）、团体标准2项、企业标准4项"),
        systems=("质量、环境、职业健康安全管理体系", "质量、环境、职业健康安全、能源管理体系", "新增能源管理体系认证"),
        staff=(294, 312), tech_staff=(61, 68), mgmt_staff=(38, 41),
        license=dict(type="有限责任公司（自然人投资或控股）", date="2011年06月15日", authority="湘潭市岳塘区市场监督管理局"),
        bureaus=dict(safety="湘潭市岳塘区应急管理局", env="湘潭市生态环境局岳塘分局", quality="湘潭市岳塘区市场监督管理局"),
        patent_title="一种高掺量粉煤灰蒸压加气混凝土砌块及其制备方法",
        project_doc="蒸压加气混凝土砌块生产线智能化改造项目竣工验收意见",
        iso="能源管理体系认证证书（GB/T 23331-2020/ISO 50001:2018）",
    )


def company_jinqiao():
    return dict(
        key="jinqiao", name="益阳金桥环保建材有限公司", short="金桥建材", region="430903", org8="68502974",
        founded="2009年3月", capital="5,000万元", legal="龚志强", contact="符丽娟", mobile="15873712046",
        tel="0737-4221856", address="益阳市赫山区龙岭工业集中区金桥路16号",
        city_bureau="益阳市赫山区", positioning="公司是国家高新技术企业、益阳市资源综合利用骨干企业，产品获湖南省新型墙体材料认定。",
        scope="新型墙体材料、干混砂浆的生产与销售；粉煤灰、脱硫石膏、炉底渣等一般工业固体废物的综合利用；建筑材料销售",
        capacity="公司建有蒸压粉煤灰砖生产线2条（年产能32万吨）、石膏基自流平砂浆生产线1条（年产能8万吨）、炉渣混凝土空心砌块生产线1条（年产能5万吨）",
        sources="粉煤灰、炉底渣主要来源于益阳电厂及园区热电联产企业，脱硫石膏来源于益阳电厂，运距均在30公里以内",
        honors="先后获评国家高新技术企业、湖南省“守合同重信用”企业、益阳市节能减排先进单位",
        inv=3, senior=5, mid=14,
        rd="公司设有技术研发中心，与长沙理工大学开展校企合作，2024年研发投入786.5万元，完成“脱硫石膏基自流平砂浆配方优化”等研发项目5项。",
        core_tech="蒸压粉煤灰砖高压成型及蒸压养护技术、脱硫石膏改性及自流平砂浆配制技术",
        position="公司蒸压粉煤灰砖产销量连续多年位居益阳市第一，石膏基自流平砂浆技术水平在省内同行业处于先进行列。",
        energy=["公司生产主要消耗粉煤灰、脱硫石膏、炉底渣、石灰、水泥等原料及电力、蒸汽。2024年综合能源消费量6,920吨标准煤，其中用电1,240万千瓦时、蒸汽3.6万吨，新鲜水用量9.8万立方米。",
                "蒸压粉煤灰砖单位产品综合能耗19.8千克标准煤/立方米，低于行业平均水平。生产废水全部循环使用不外排，粉尘经布袋除尘器处理后达标排放，一般固废全部回用于生产。公司在省内同行业处于先进地位。"],
        mgmt="公司设立资源综合利用领导小组，由总经理任组长，生产部、技术中心、质检部分工负责；建立《工业固废进厂检验制度》《综合利用台账管理制度》等管理制度16项，严格执行。公司已建立质量、环境、职业健康安全三大管理体系并通过认证。",
        tech_qc="2024年公司新增全自动液压压砖机2台、石膏改性设备1套，蒸压粉煤灰砖粉煤灰掺量稳定在70%以上；严格执行JC/T 239—2014、JC/T 1023—2021等标准，出厂检验合格率100%。",
        green="2024年，公司完成蒸压釜余热回收改造，年节约蒸汽约0.4万吨；完成厂区雨污分流改造，生产用水循环利用率达到98%；单位产品综合能耗较前一年度下降3.5%。",
        channel="公司与益阳电厂签订长期供灰协议，建立粉煤灰、脱硫石膏“点对点”直供渠道，配备密闭罐车12辆；产品销售以益阳、常德、岳阳地区为主，采取“工厂直销+区域代理”模式，并入驻湖南省绿色建材采购平台。",
        std_text="2024年，公司参与制定团体标准《石膏基自流平砂浆应用技术规程》1项",
        systems_txt="已建立质量、环境、职业健康安全管理体系并通过第三方认证，体系运行有效",
        projects=["（一）蒸压粉煤灰砖生产线扩能改造项目。建设地点：益阳市赫山区龙岭工业集中区公司厂区。建设内容：新增全自动液压压砖机2台、蒸压釜1台，配套建设成品堆场。项目总投资1,580万元，2024年5月建成投产，年新增消纳粉煤灰约1.2万吨。",
                  "（二）石膏基自流平砂浆生产线技术改造项目。建设内容：新增石膏改性设备及自动包装线。项目总投资620万元，2024年8月完成，产品附加值显著提高。",
                  "（三）重点工作：推进数字化管理，建成原料进厂称重与台账联网系统；开展炉底渣分选试验，拓展炉底渣高值化利用途径。"],
        safeguards=["资金方面，2024年资源综合利用项目投入2,200万元，均为企业自有资金；技术方面，与长沙理工大学共建实习实训基地，聘请技术顾问2名；环保方面，新增环保设施投入186万元；人才方面，全年开展岗位技能培训32场次。"],
        problems="存在的主要问题：粉煤灰供应受电厂发电量影响波动较大；石膏基砂浆市场开拓难度较大。已采取措施：扩建原料储库，加大产品推广力度。",
        experience="主要经验：依托电厂建立稳定的固废供应渠道，坚持“就近消纳、高值利用”，以技术改造提升固废掺量。",
        suggestions="政策建议：建议加大对固废基新型墙材在政府投资项目中的推广应用力度，对资源综合利用技改项目给予专项资金支持。",
        waste_word="工业固废",
        wastes=[_w("粉煤灰", "9.36", "10.52", "10.71"), _w("脱硫石膏", "4.18", "4.65", "4.74"),
                _w("炉底渣", "1.26", "1.43", "1.47")],
        supply=(D("15.19"), D("16.92")),
        revenue=(D("21560"), D("24380")), psales=(D("17240"), D("19880")),
        profit=(D("1386.2"), D("1572.9")), tax=(D("968.5"), D("1094.7")),
        y2022=dict(revenue=D("19830"), profit=D("1205.4"), tax=D("876.3")),
        products=[_p("蒸压粉煤灰砖", "万吨", "26.8", "29.9", "9650", "10760"),
                  _p("脱硫石膏基自流平砂浆", "万吨", "5.6", "6.3", "6720", "8190"),
                  _p("炉渣混凝土空心砌块", "万吨", "3.1", "3.5", "1680", "1990")],
        patents=(11, 15), standards=(2, "企业标准2项", 3, "团体标准1项（参与）、企业标准2项"),
        systems=("质量、环境、职业健康安全管理体系", "质量、环境、职业健康安全管理体系", "无变化"),
        staff=(186, 201), tech_staff=(38, 42), mgmt_staff=(24, 26),
        license=dict(type="有限责任公司（自然人投资或控股）", date="2009年03月26日", authority="益阳市赫山区市场监督管理局"),
        bureaus=dict(safety="益阳市赫山区应急管理局", env="益阳市生态环境局赫山分局", quality="益阳市赫山区市场监督管理局"),
        patent_title="一种脱硫石膏基自流平砂浆及其制备方法",
        project_doc="蒸压粉煤灰砖生产线扩能改造项目竣工验收报告",
        iso="质量管理体系认证证书（GB/T 19001-2016/ISO 9001:2015）",
    )


def company_xiangli():
    return dict(
        key="xiangli", name="湖南湘锂循环科技有限公司", short="湘锂循环", region="430182", org8="MA4L2X8K",
        founded="2016年3月", capital="30,000万元", legal="谭志刚", contact="欧阳晓", mobile="13974816259",
        email="ouyangxiao@xlrecycle.com.cn", tel="0731-87953260", address="湖南宁乡经济技术开发区金洲北路1288号",
        city_bureau="宁乡市", positioning="公司是工业和信息化部《新能源汽车废旧动力蓄电池综合利用行业规范条件》公告企业（第四批）、国家高新技术企业、湖南省“专精特新”中小企业。",
        scope="废旧锂离子电池及锂电池生产废料的回收、拆解与综合利用；碳酸锂、三元前驱体、硫酸钴、硫酸镍的生产与销售；新材料技术研发",
        capacity="公司建有废旧锂电池预处理（放电、拆解、破碎分选）生产线2条，年处理能力4万吨；湿法冶金生产线1条，年产电池级碳酸锂3,000吨、三元前驱体15,000吨、硫酸钴4,000吨",
        sources="废旧电池主要来源于省内外新能源汽车生产企业、梯次利用企业及公司在全国设立的46个回收服务网点，生产废料主要来源于长沙、宁德等地电池生产企业",
        honors="先后获评国家高新技术企业、湖南省“专精特新”中小企业、湖南省工业企业技术中心、湖南省绿色工厂",
        inv=17, senior=21, mid=58,
        rd="公司建有湖南省动力电池回收利用工程技术研究中心，拥有博士5人、硕士38人，与中南大学冶金与环境学院共建联合实验室；2024年研发投入5,128.4万元，承担湖南省重点研发计划项目2项。",
        core_tech="废旧锂电池带电破碎及惰性气氛热解技术、镍钴锰锂高效浸出与萃取分离技术、锂的选择性提取技术",
        position="公司镍钴锰综合回收率达到98.5%以上、锂回收率达到90%以上，技术指标处于国内领先水平，废旧锂电池回收处理规模位居省内前列。",
        energy=["主要原材料为废旧锂离子电池、极片废料及黑粉，辅料为硫酸、液碱、双氧水、碳酸钠等；2024年综合能源消费量3.12万吨标准煤，其中用电1.48亿千瓦时、天然气836万立方米，新鲜水用量62.4万立方米，分布式光伏发电量420万千瓦时。",
                "单位产品能耗：三元前驱体综合能耗0.92吨标准煤/吨。“三废”情况：生产废水经MVR蒸发结晶处理后回用，副产硫酸钠外售；废气经碱液喷淋+活性炭吸附处理后达标排放；隔膜、塑料等拆解废物交由有资质单位利用，危险废物全部委托持证单位处置。能耗和排放水平处于国内同行业先进水平。"],
        mgmt="公司设立循环经济管理部，负责资源综合利用统筹管理，建立《废旧电池入库溯源管理制度》《危险废物管理计划》《物料平衡核算管理办法》等制度28项；全面接入国家溯源管理平台，实现废旧电池“来源可查、去向可追”。公司已通过质量、环境、职业健康安全、能源管理体系认证，并建立两化融合管理体系。",
        tech_qc="2024年公司完成湿法车间萃取线扩能及DCS控制系统升级，新增惰性气氛热解炉1台，镍钴锰综合回收率由98.1%提高至98.5%。产品质量方面，严格执行GB/T 33069、YS/T 1087等标准，碳酸锂产品一次合格率99.6%，质量稳定。",
        green="2024年公司实施MVR蒸发系统余热回收、空压站节能改造和分布式光伏扩容，单位产品综合能耗较前一年度下降5.3%；工业用水重复利用率达到92%；废水实现“零排放”。",
        channel="回收渠道方面，公司与12家新能源汽车生产企业签订退役电池回收协议，在全国设立回收服务网点46个，建立“网点回收—区域集中—工厂处理”的逆向物流体系；营销模式方面，三元前驱体、碳酸锂以长协方式直供正极材料及电池企业，硫酸钴通过大宗商品平台销售。",
        std_text="2024年，公司参与制定国家标准《车用动力电池回收利用 材料回收要求》1项，新制定团体标准1项、企业标准1项",
        systems_txt="已建立并运行质量、环境、职业健康安全、能源管理体系，2024年各体系均通过年度监督审核",
        projects=["（一）废旧锂电池预处理智能化升级项目。建设地点：宁乡经开区公司一期厂区。建设内容：新建带电破碎及惰性气氛热解系统1套，配套智能立体仓库和MES系统。项目总投资8,650万元，2024年7月建成投运，预处理线自动化率提高至90%。",
                  "（二）锂回收率提升技术攻关。联合中南大学开展锂选择性提取技术攻关，2024年锂回收率由87%提高至90%以上，年增产碳酸锂约130吨。",
                  "（三）回收网络建设。新设回收服务网点9个，与3家梯次利用企业建立合作，延伸“回收—梯次利用—再生利用”产业链。"],
        safeguards=["资金保障：2024年投入资源综合利用项目资金10,260万元，其中自有资金6,260万元、银行项目贷款4,000万元；技术保障：依托省级工程技术研究中心，研发投入占销售收入的4.41%；环保保障：环保设施投资1,180万元，委托第三方开展环境监测；人才保障：实施股权激励计划，引进高层次人才6名。"],
        problems="存在的主要问题：一是碳酸锂等产品价格大幅波动，企业经营压力加大；二是废旧电池流向非正规渠道问题仍较突出，正规企业回收成本高。已采取措施：加强长协销售和套期保值，拓展与整车企业的定向回收合作。",
        experience="主要经验：坚持技术领先，持续提升有价金属回收率；坚持渠道为先，构建覆盖全国的回收网络；坚持规范经营，全面落实溯源管理。",
        suggestions="政策建议：建议加大对非法回收拆解行为的查处力度；建议将废旧动力电池回收纳入省级专项资金重点支持方向；建议完善再生材料认证和碳足迹核算标准。",
        waste_word="废旧锂电池及生产废料",
        wastes=[_w("废旧锂离子电池", "2.06", "2.36", "2.37", nname="废旧锂电池", tname="1.废旧锂离子电池"),
                _w("锂电池生产废料", "0.71", "0.82", "0.83", nname="极片废料及黑粉", tname="2.锂电池生产废料（极片、黑粉）")],
        supply=(D("2.79"), D("3.20")),
        revenue=(D("128630"), D("116320")), psales=(D("121380"), D("109460")),
        profit=(D("9862.4"), D("8631.7")), tax=(D("5236.8"), D("4518.2")),
        y2022=dict(revenue=D("146280"), profit=D("15306.5"), tax=D("7102.4")),
        products=[_p("电池级碳酸锂", "吨", "1860", "2250", "41850", "22950"),
                  _p("三元前驱体", "吨", "8650", "11260", "69200", "76570"),
                  _p("硫酸钴", "吨", "3020", "3480", "12080", "10440")],
        patents=(36, 44), standards=(9, "行业标准2项、团体标准3项、企业标准4项", 12, "国家标准1项（参与）、行业标准2项、团体标准4项、企业标准5项"),
        systems=("质量、环境、职业健康安全、能源管理体系", "质量、环境、职业健康安全、能源管理体系", "无变化"),
        staff=(528, 561), tech_staff=(142, 156), mgmt_staff=(64, 67),
        license=dict(type="其他有限责任公司", date="2016年03月08日", authority="宁乡市市场监督管理局"),
        bureaus=dict(safety="宁乡市应急管理局", env="长沙市生态环境局宁乡分局", quality="宁乡市市场监督管理局"),
        patent_title="一种退役三元锂电池中锂的选择性提取方法",
        project_doc="废旧锂电池预处理智能化升级项目竣工环境保护验收意见",
        iso="能源管理体系认证证书",
    )


def company_huaye():
    # wastes stored in 万吨; the 指标表 of this company is written in 吨
    return dict(
        key="huaye", name="衡阳华冶新材料科技有限公司", short="华冶新材", region="430405", org8="07632581",
        founded="2013年9月", capital="12,000万元", legal="罗新民", contact="贺雅琴", mobile="18673405127",
        tel=None, address="衡阳市珠晖区茶山坳镇冶金工业园华冶路9号",
        city_bureau="衡阳市珠晖区", positioning="公司是湘南地区规模最大的冶金渣综合利用企业，国家高新技术企业，湖南省资源综合利用示范企业。",
        scope="钢渣、高炉水渣等冶金渣的综合利用；矿渣微粉、钢渣微粉、建筑用骨料的生产与销售；废钢加工",
        capacity="公司建有年产90万吨S95级矿渣微粉立磨生产线2条、年产25万吨钢渣微粉生产线1条、年处理60万吨钢渣热闷及磁选生产线1条",
        sources="钢渣、高炉水渣及氧化铁皮、除尘灰全部来源于湘南钢铁有限公司（与公司厂区一墙之隔，采用皮带廊及专用车辆转运）",
        honors="先后获评国家高新技术企业、湖南省资源综合利用示范企业、湖南省绿色工厂、衡阳市“十佳”循环经济企业",
        inv=6, senior=12, mid=33,
        rd="公司设有省级企业技术中心，与湖南工学院、武汉理工大学开展产学研合作；2024年研发投入1,836.2万元，主持完成的“钢渣全组分梯级利用关键技术”通过湖南省科技成果评价，达到国内领先水平。",
        core_tech="钢渣有压热闷技术、钢渣多级破碎磁选技术、矿渣立磨粉磨技术和钢渣—矿渣复合微粉制备技术",
        position="公司冶金渣年综合利用规模位居省内同行业前列，钢渣尾渣利用率达到国内先进水平。",
        energy=["公司主要原料为钢渣、高炉水渣、氧化铁皮及除尘灰，主要能源为电力和天然气。2024年综合能源消费量2.46万吨标准煤，其中用电1.72亿千瓦时，天然气356万立方米；新鲜水用量38.5万立方米。",
                "矿渣微粉单位产品电耗36.8千瓦时/吨，优于行业先进值。生产废水经沉淀处理后全部循环使用；粉磨系统粉尘经高效袋式除尘器处理，排放浓度低于10mg/m³；热闷蒸汽经收集处理后达标排放。公司能耗、排放水平处于省内同行业领先水平。"],
        mgmt="公司成立资源综合利用管理委员会，总经理任主任，设资源综合利用部，专职管理人员8人；制定《冶金渣接收与计量管理办法》《综合利用台账管理制度》《产品质量追溯制度》等制度24项，并纳入绩效考核。",
        tech_qc="2024年公司完成2号矿渣立磨系统节能改造及钢渣磁选线升级，新增智能配料系统1套，钢渣中金属铁回收率由92%提高至95%；产品执行GB/T 18046—2017、GB/T 20491—2017标准，出厂合格率100%。",
        green="2024年公司实施立磨变频节能改造、热闷余热回收及厂区光伏项目，单位产品综合能耗较前一年度下降3.8%；完成料场全封闭改造，无组织粉尘排放大幅降低。",
        channel="公司与湘南钢铁有限公司签订冶金渣长期利用协议，建立“钢厂产渣—皮带转运—工厂利用”的一体化消纳渠道，实现冶金渣“不落地、全利用”；产品以直销为主，矿渣微粉主要供应衡阳、郴州、永州地区商品混凝土企业，钢渣骨料用于市政道路基层。",
        std_text="2024年，公司参与制定国家标准《钢渣处理工艺技术规范》1项，主导制定团体标准1项，新增企业标准1项",
        systems_txt="已建立质量、环境、职业健康安全、能源管理体系并通过认证",
        projects=["（一）钢渣全组分梯级利用项目。建设地点：衡阳市珠晖区冶金工业园公司厂区。建设内容：新建钢渣有压热闷线、多级破碎磁选线及钢渣微粉生产线。项目总投资6,850万元，2024年10月建成，年新增钢渣处理能力15万吨。",
                  "（二）矿渣立磨节能改造项目。对2号立磨实施变频及选粉机改造，项目投资1,120万元，2024年4月完成，吨产品电耗下降约6%。",
                  "（三）重点工作：建成冶金渣数字化管控平台，实现接收、加工、销售全过程数据实时采集；推进钢渣骨料在市政道路工程中的应用示范。"],
        safeguards=["资金保障：2024年资源综合利用项目投入7,970万元，其中自有资金4,970万元、银行贷款3,000万元。",
                    "技术保障：依托省级企业技术中心，与高校共建联合实验室；环保保障：投入环保设施改造资金860万元；人才保障：引进专业技术人员10名，开展培训52场次。"],
        problems="存在的主要问题：钢渣安定性控制难度大，钢渣微粉在混凝土中的应用受到一定限制；冶金渣产品运输半径有限，市场容量受区域建设需求影响较大。已采取措施：加强钢渣陈化和安定性检测，拓展道路工程应用。",
        experience="主要经验：钢厂与利废企业一体化布局，实现冶金渣就地就近消纳；坚持全组分利用，提高产品附加值。",
        suggestions="政策建议：建议在交通、市政工程中推广使用钢渣骨料；建议对钢渣综合利用项目给予用地和电价支持。",
        waste_word="冶金渣",
        wastes=[_w("钢渣", "42.60", "45.80", "46.12"), _w("高炉水渣", "86.30", "91.25", "91.78"),
                _w("氧化铁皮及除尘灰", "3.15", "2.95", "2.95")],
        supply=(D("133.25"), D("140.85")),
        revenue=(D("52860"), D("56240")), psales=(D("45380"), D("48260")),
        profit=(D("3628.4"), D("3905.1")), tax=(D("2214.6"), D("2376.9")),
        y2022=dict(revenue=D("50120"), profit=D("3402.8"), tax=D("2105.3")),
        products=[_p("S95级矿渣微粉", "万吨", "78.6", "83.2", "23580", "24960"),
                  _p("钢渣微粉", "万吨", "18.4", "20.1", "4600", "5025"),
                  _p("钢渣骨料", "万吨", "21.5", "23.4", "1935", "2106"),
                  _p("磁选渣钢及铁精粉", "万吨", "5.12", "5.46", "16384", "17472")],
        patents=(27, 31), standards=(6, "行业标准1项、企业标准5项", 9, "国家标准1项（参与）、行业标准1项、团体标准1项、企业标准6项"),
        systems=("质量、环境、职业健康安全、能源管理体系", "质量、环境、职业健康安全、能源管理体系", "无变化"),
        staff=(436, 452), tech_staff=(97, 105), mgmt_staff=(52, 54),
        license=dict(type="有限责任公司（非自然人投资或控股的法人独资）", date="2013年09月12日", authority="衡阳市珠晖区市场监督管理局"),
        bureaus=dict(safety="衡阳市珠晖区应急管理局", env="衡阳市生态环境局珠晖分局", quality="衡阳市珠晖区市场监督管理局"),
        patent_title="一种钢渣全组分梯级利用方法",
        project_doc="钢渣全组分梯级利用项目竣工验收意见",
        iso="能源管理体系认证证书",
    )


def company_jinshi(small=False):
    co = dict(
        key="jinshi", name="冷水江市金石新型墙体材料有限公司", short="金石墙材", region="431381", org8="67558304",
        founded="2008年4月", capital="3,000万元", legal="曾国平", contact="李红梅", mobile="13807389215",
        tel=None, address="冷水江市禾青镇工业集中区金石路2号",
        city_bureau="冷水江市", positioning="公司是娄底市规模最大的煤矸石烧结墙材生产企业，湖南省新型墙体材料示范企业。",
        scope="煤矸石、粉煤灰等工业固体废物综合利用；烧结多孔砖、烧结保温砌块的生产与销售",
        capacity="公司建有煤矸石烧结多孔砖隧道窑生产线2条，年设计产能2.4亿块（折标砖），配套烧结保温砌块生产线1条，年产能20万立方米",
        sources="煤矸石主要来源于冷水江市及周边的煤矿洗选企业，粉煤灰来源于冷水江电厂",
        honors="先后获评湖南省新型墙体材料示范企业、娄底市循环经济示范企业、娄底市“守合同重信用”企业",
        inv=2, senior=3, mid=9,
        rd="公司设有技术中心，与湖南人文科技学院合作开展煤矸石高掺量烧结技术研究，2024年研发投入268.3万元。",
        core_tech="煤矸石全掺烧结技术、隧道窑余热综合利用技术",
        position="公司煤矸石掺量达到90%以上，产品质量和能耗指标在省内同行业处于先进水平。",
        energy=["公司生产以煤矸石自身热值为主要热源，外加少量原煤；2024年综合能源消费量9,860吨标准煤，用电960万千瓦时，新鲜水用量4.2万立方米。",
                "烧结多孔砖单位产品综合能耗低于国家标准限定值。窑炉烟气经双碱法脱硫+湿电除尘处理后达标排放，生产废水循环利用，废次品破碎后回用于生产。"],
        mgmt="公司成立资源综合利用工作小组，由总经理任组长，生产部负责日常管理；制定《煤矸石进厂验收制度》《固废利用台账制度》等制度12项，按月核对进厂量与利用量。公司已建立质量、环境管理体系并通过认证。",
        tech_qc="2024年公司完成1号隧道窑余热发电改造，新增自动码坯机1台；产品执行GB/T 13544—2011、GB/T 26538—2011标准，出厂合格率100%。",
        green="2024年公司完成窑炉烟气超低排放改造，余热发电年发电量约280万千瓦时，单位产品综合能耗较前一年度下降2.9%。",
        channel="公司与周边8家煤矿洗选企业签订煤矸石供应协议，建立“矿—厂”直供渠道；产品主要销往娄底、邵阳、湘潭地区，采用直销和经销相结合的营销模式。",
        std_text="2024年，公司新制定企业标准1项",
        systems_txt="已建立质量、环境管理体系并通过第三方认证",
        projects=["（一）隧道窑余热发电改造项目。建设地点：冷水江市禾青镇工业集中区公司厂区。建设内容：新建余热锅炉及1.5兆瓦汽轮发电机组。项目总投资1,260万元，2024年8月建成发电。",
                  "（二）重点工作：开展煤矸石烧结保温砌块产品开发，拓展高附加值产品；完成原料车间全封闭改造。"],
        safeguards=["2024年公司投入资源综合利用相关资金1,480万元，其中自有资金980万元、银行贷款500万元；聘请技术顾问2名；开展员工培训18场次。"],
        problems="存在的主要问题：煤矸石来源受煤矿减产影响，供应量有所下降；烧结砖市场需求受房地产行业影响较大。已采取措施：拓展周边县市煤矸石来源，开发保温砌块等新产品。",
        experience="主要经验：坚持以煤矸石自身热值替代燃煤，实现资源和能源双重利用。",
        suggestions="政策建议：建议对煤矸石烧结墙材企业的环保改造给予资金支持；建议在保障性住房项目中优先使用固废基墙材。",
        waste_word="煤矸石及粉煤灰",
        wastes=[_w("煤矸石", "16.82", "18.40", "18.71"), _w("粉煤灰", "2.08", "2.35", "2.40")],
        supply=(D("19.36"), D("21.11")),
        revenue=(D("7860"), D("8640")), psales=(D("7520"), D("8320")),
        profit=(D("612.5"), D("705.3")), tax=(D("386.2"), D("421.6")),
        y2022=dict(revenue=D("7215"), profit=D("548.6"), tax=D("352.9")),
        products=[_p("煤矸石烧结多孔砖", "亿块", "1.92", "2.10", "5760", "6300"),
                  _p("煤矸石烧结保温砌块", "万立方米", "14.6", "16.8", "2044", "2352")],
        patents=(8, 10), standards=(1, "企业标准1项", 2, "企业标准2项"),
        systems=("质量、环境管理体系", "质量、环境管理体系", "无变化"),
        staff=(168, 175), tech_staff=(26, 29), mgmt_staff=(18, 19),
        license=dict(type="有限责任公司（自然人投资或控股）", date="2008年04月17日", authority="冷水江市市场监督管理局"),
        bureaus=dict(safety="冷水江市应急管理局", env="娄底市生态环境局冷水江分局", quality="冷水江市市场监督管理局"),
        patent_title="一种煤矸石烧结保温砌块",
        project_doc="隧道窑余热发电改造项目验收意见",
        iso="环境管理体系认证证书",
    )
    if small:
        co.update(
            capacity="公司建有煤矸石烧结多孔砖隧道窑生产线1条，年设计产能1.2亿块（折标砖），配套烧结保温砌块生产线1条，年产能8万立方米",
            wastes=[_w("煤矸石", "7.36", "7.95", "8.09"), _w("粉煤灰", "0.92", "1.00", "1.02")],
            supply=(D("8.48"), D("9.11")),
            revenue=(D("3520"), D("3880")), psales=(D("3380"), D("3720")),
            profit=(D("268.4"), D("301.7")), tax=(D("172.6"), D("188.9")),
            y2022=dict(revenue=D("3236"), profit=D("241.5"), tax=D("158.2")),
            products=[_p("煤矸石烧结多孔砖", "亿块", "0.86", "0.93", "2580", "2790"),
                      _p("煤矸石烧结保温砌块", "万立方米", "6.4", "7.3", "896", "1022")],
            patents=(5, 6), staff=(86, 91), tech_staff=(12, 14), mgmt_staff=(10, 10),
            energy=["公司生产以煤矸石自身热值为主要热源，外加少量原煤；2024年综合能源消费量4,320吨标准煤，用电436万千瓦时，新鲜水用量1.9万立方米。",
                    "烧结多孔砖单位产品综合能耗低于国家标准限定值。窑炉烟气经双碱法脱硫+湿电除尘处理后达标排放，生产废水循环利用，废次品破碎后回用于生产。"],
            rd="公司设有技术中心，与湖南人文科技学院合作开展煤矸石高掺量烧结技术研究，2024年研发投入126.5万元。",
            green="2024年公司完成窑炉烟气超低排放改造，单位产品综合能耗较前一年度下降2.9%。",
            projects=["（一）窑炉烟气超低排放改造项目。建设地点：冷水江市禾青镇工业集中区公司厂区。建设内容：新建双碱法脱硫塔及湿式电除尘器各1套。项目总投资560万元，2024年8月建成投运。",
                      "（二）重点工作：开展煤矸石烧结保温砌块产品开发，拓展高附加值产品；完成原料车间全封闭改造。"],
            safeguards=["2024年公司投入资源综合利用相关资金680万元，其中自有资金480万元、银行贷款200万元；聘请技术顾问1名；开展员工培训12场次。"],
            project_doc="窑炉烟气超低排放改造项目验收意见",
            tech_qc="2024年公司新增自动码坯机1台；产品执行GB/T 13544—2011、GB/T 26538—2011标准，出厂合格率100%。",
        )
    return co


def company_hengtong():
    return dict(
        key="hengtong", name="岳阳市恒通再生资源有限公司", short="恒通再生", region="430603", org8="32062715",
        founded="2014年11月", capital="6,000万元", legal="方卫东", contact="黎静", mobile="15973018462",
        tel=None, address="岳阳市云溪区长岭街道临港产业园恒通路6号",
        city_bureau="岳阳市云溪区", positioning="公司是工业和信息化部《废钢铁加工行业准入条件》公告企业（第八批）、湖南省再生资源回收利用骨干企业。",
        scope="废钢铁、废有色金属的回收、加工与销售；再生资源回收（除生产性废旧金属）；普通货物道路运输",
        capacity="公司建有废钢破碎生产线1条（年处理能力15万吨）、龙门剪切生产线2条、打包生产线2条，年回收加工能力30万吨",
        sources="废钢铁主要来源于岳阳、常德地区的机械加工企业、拆迁工程、报废汽车拆解企业及社会回收网点，废有色金属主要来源于电线电缆及机电加工企业",
        honors="先后获评湖南省再生资源回收利用骨干企业、岳阳市循环经济示范企业、岳阳市纳税信用A级企业",
        inv=1, senior=2, mid=8,
        rd="公司设有技术研发部，与湖南理工学院合作开展废钢智能判级技术研究，2024年研发投入412.8万元。",
        core_tech="废钢破碎分选技术、废钢智能判级及放射性检测技术",
        position="公司废钢加工配送规模位居岳阳市第一、全省前列，废钢加工质量达到GB/T 39733—2020《再生钢铁原料》要求。",
        energy=["公司生产主要消耗电力和柴油，2024年综合能源消费量3,180吨标准煤，其中用电1,920万千瓦时、柴油312吨，新鲜水用量1.6万立方米。",
                "单位加工量综合能耗较低。破碎线粉尘经旋风+布袋除尘处理后达标排放；场地雨水经隔油沉淀处理后回用；分选出的废塑料、橡胶等非金属杂物交由有资质单位利用。"],
        mgmt="公司设立资源综合利用管理办公室，建立《废钢铁收购登记制度》《放射性检测管理制度》《进出厂计量管理制度》等制度18项，严格执行收购实名登记和“一车一检”。公司已建立质量、环境、职业健康安全管理体系并通过认证。",
        tech_qc="2024年公司新增废钢智能判级系统1套、车辆放射性检测门2套，升级破碎线分选设备；产品执行GB/T 39733—2020标准，合格率100%。",
        green="2024年公司完成厂区屋顶光伏建设（装机1.2兆瓦）、破碎线电机变频改造，单位加工量电耗较前一年度下降4.6%；料场实现全硬化、全覆盖。",
        channel="公司建立“社会回收网点—分拣中心—加工基地”三级回收体系，在岳阳、常德设立回收网点23个；产品主要直供华菱湘钢、涟钢等省内钢铁企业，并与下游钢厂签订年度供货协议。",
        std_text="2024年，公司参与制定团体标准《废钢铁加工配送中心建设规范》1项，新制定企业标准1项",
        systems_txt="已建立质量、环境、职业健康安全管理体系并通过第三方认证",
        projects=["（一）废钢智能化加工配送中心改造项目。建设地点：岳阳市云溪区临港产业园公司厂区。建设内容：新增废钢智能判级系统、车辆放射性检测门，升级破碎线分选设备，建设数字化计量管理平台。项目总投资2,360万元，2024年11月完成。",
                  "（二）重点工作：扩建社会回收网点6个；与报废汽车拆解企业建立定向合作，拓展优质废钢来源。"],
        safeguards=["资金保障：2024年投入资源综合利用相关资金2,360万元，全部为自有资金。技术保障：与湖南理工学院共建实践基地。环保保障：环保投入286万元。人才保障：开展废钢判级、安全生产等培训24场次。"],
        problems="存在的主要问题：废钢回收增值税进项抵扣链条不完整，企业税负偏高；社会回收网点规范化程度不高。已采取措施：推行“反向开票”试点，加强网点规范化建设。",
        experience="主要经验：坚持规范经营、源头可追溯；以智能判级提升废钢加工质量和定价透明度。",
        suggestions="政策建议：建议加快推广再生资源回收反向开票政策；建议对废钢加工配送中心的智能化改造给予专项资金支持。",
        waste_word="废钢铁及废有色金属",
        wastes=[_w("废钢铁", "14.92", "16.85", "16.91", nname="废钢", tname="1．废钢铁（重废、中小型废钢、轻薄料）"),
                _w("废有色金属", "0.46", "0.52", "0.53", nname="废铝、废铜等废有色金属", tname="2．废有色金属（废铝、废铜）")],
        supply=(D("15.46"), D("17.44")),
        revenue=(D("43620"), D("46120")), psales=(D("42980"), D("45370")),
        profit=(D("1023.8"), D("1086.4")), tax=(D("1346.5"), D("1402.2")),
        y2022=dict(revenue=D("41280"), profit=D("968.3"), tax=D("1286.1")),
        products=[_p("再生钢铁原料", "万吨", "14.78", "16.71", "42150", "44560"),
                  _p("再生铝、铜原料", "万吨", "0.45", "0.51", "830", "810")],
        patents=(6, 9), standards=(1, "团体标准1项（参与）", 3, "团体标准2项（参与）、企业标准1项"),
        systems=("质量、环境、职业健康安全管理体系", "质量、环境、职业健康安全管理体系", "无变化"),
        staff=(124, 137), tech_staff=(21, 25), mgmt_staff=(17, 18),
        license=dict(type="有限责任公司（自然人投资或控股）", date="2014年11月20日", authority="岳阳市云溪区市场监督管理局"),
        bureaus=dict(safety="岳阳市云溪区应急管理局", env="岳阳市生态环境局云溪分局", quality="岳阳市云溪区市场监督管理局"),
        patent_title="一种废钢破碎分选装置",
        project_doc="废钢智能化加工配送中心改造项目验收意见",
        iso="质量管理体系认证证书",
        steel_split=[("重型废钢", "11.02"), ("中小型废钢", "4.11"), ("轻薄料", "1.72")],
    )


def derive(co):
    """Totals, rates and shares, all checked against rounding boundaries."""
    co = copy.deepcopy(co)
    co["uscc"] = make_uscc(co["region"], co["org8"])
    co["wtot"] = (sum(w["prev"] for w in co["wastes"]), sum(w["cur"] for w in co["wastes"]))
    co["rate"] = (pct(co["wtot"][0], co["supply"][0], 1), pct(co["wtot"][1], co["supply"][1], 1))
    co["ptot"] = (sum(p["vprev"] for p in co["products"]), sum(p["vcur"] for p in co["products"]))
    for w in co["wastes"]:
        if w["recv"] is not None:
            assert w["cur"] <= w["recv"], w
    if all(w["recv"] is not None for w in co["wastes"]):
        assert sum(w["recv"] for w in co["wastes"]) == co["supply"][1], co["key"]
    return co


# --------------------------------------------------------------------------------------------
# narrative (编制提纲 一…六)
# --------------------------------------------------------------------------------------------

def num(x) -> str:
    """A figure as people write it in prose: thousands separators, no trailing zeros."""
    x = D(x).normalize()
    return f"{x:,f}" if x == x.to_integral() else f"{x:,}"


def pct_safe(n, d) -> str:
    for nd in (1, 2, 0):
        try:
            return fm(pct(n, d, nd), nd, False)
        except AssertionError:
            continue
    raise AssertionError((n, d))


def incr(prev, cur, word=("增长", "下降"), nd=2) -> str:
    r = rel(prev, cur, nd)
    return f"{word[0] if r >= 0 else word[1]}{fm(abs(r), nd, False)}%"


def qty(p, which) -> str:
    v = p["qcur"] if which == "cur" else p["qprev"]
    return fm(v, 0) if p["unit"] == "吨" else (p["qcur_s"] if which == "cur" else p["qprev_s"])


def waste_list_text(co, style, Y):
    ws = co["wastes"]
    tot = co["wtot"][1]
    if style == "fenbie":
        return (f"利用工业固废情况：公司综合利用的工业资源为{'、'.join(w['nname'] for w in ws)}，{Y}利用量分别为"
                f"{'、'.join(num(w['cur']) + '万吨' for w in ws)}，{co['sources']}。")
    if style == "cn":
        items = "、".join(f"{w['nname']}{cn_num(w['cur'])}万吨" for w in ws)
        return f"利用工业固废情况：{Y}公司共综合利用{co['waste_word']}{cn_num(tot)}万吨，其中{items}；{co['sources']}。"
    parts = []
    for w in ws:
        t = f"{w['nname']}{num(w['cur'])}万吨"
        if w["name"] == "废钢铁" and co.get("steel_split"):
            t += "（" + "、".join(f"{a}{b}万吨" for a, b in co["steel_split"]) + "）"
        parts.append(t)
    return f"利用工业固废情况：{Y}公司共综合利用{co['waste_word']}{num(tot)}万吨，其中{'、'.join(parts)}。{co['sources']}。"


def narrative(co, o):
    """Blocks: ('sec', id) | ('p', text) | ('table', spec).  o: narrative options."""
    Y = o.get("Y", f"{CUR}年")
    B = []

    def sec(i):
        B.append(("sec", i))

    def P(t):
        B.append(("p", t))

    prods = co["products"]
    rev, ps, pr, tx = co["revenue"], co["psales"], co["profit"], co["tax"]
    y22 = co["y2022"]
    sec("1")
    sec("1.1")
    P(f"{co['name']}（以下简称“{co['short']}”或“公司”）成立于{co['founded']}，注册资本{co['capital']}，"
      f"统一社会信用代码{co['uscc']}，法定代表人{co['legal']}，注册地址：{co['address']}。{co['positioning']}")
    P(f"经营范围：{co['scope']}。")
    P(f"产品产能及实际产量：{co['capacity']}。{Y}实际生产" +
      "、".join(f"{p['name']}{qty(p, 'cur')}{p['unit']}" for p in prods) + "。")
    if o.get("approx"):
        P(o["approx"])
    P(waste_list_text(co, o.get("waste_style", "qizhong"), Y))
    money = o.get("money", "yi")
    if money in ("yi", "yuan_tax"):
        revs = "、".join(yi(v) + "亿元" for v in (y22["revenue"], rev[0], rev[1]))
    else:
        revs = "、".join(num(v) + "万元" for v in (y22["revenue"], rev[0], rev[1]))
    if money == "yuan_tax":
        taxes = "、".join(fm(v * 10000, 0) + "元" for v in (y22["tax"], tx[0], tx[1]))
    else:
        taxes = "、".join(num(v) + "万元" for v in (y22["tax"], tx[0], tx[1]))
    P(f"近三年经营情况：{CUR - 2}—{CUR}年，公司营业收入分别为{revs}，利润总额分别为"
      f"{'、'.join(num(v) + '万元' for v in (y22['profit'], pr[0], pr[1]))}，上缴税金分别为{taxes}。")
    P(f"有关资质、专利及荣誉：截至{CUR}年底，公司拥有资源综合利用领域相关技术专利{co['patents'][1]}项，"
      f"其中发明专利{co['inv']}项；{co['honors']}。")
    sec("1.2")
    P(f"专业技术人员情况：公司现有专业技术人员{co['tech_staff'][1]}人，其中高级职称{co['senior']}人、中级职称{co['mid']}人。{co['rd']}")
    P(f"主要综合利用产品及核心技术：公司主要综合利用产品为{'、'.join(p['name'] for p in prods)}，核心工艺技术为{co['core_tech']}。{co['position']}")
    sec("1.3")
    for t in co["energy"]:
        P(t)
    sec("1.4")
    P(co["mgmt"])
    P(f"管理体系建设情况：公司{co['systems_txt']}。")

    sec("2")
    sec("2.1")
    P(f"{Y}，公司实现销售收入{num(rev[1])}万元，较前一年度{incr(*rev)}；其中资源综合利用产品或技术成果销售收入"
      f"{num(ps[1])}万元，占销售收入的{pct_safe(ps[1], rev[1])}%。实现利润{num(pr[1])}万元，较前一年度{incr(*pr)}；"
      f"上缴税金{num(tx[1])}万元，较前一年度{incr(*tx)}。")
    st, ts, ms = co["staff"], co["tech_staff"], co["mgmt_staff"]
    prod_staff = st[1] - ts[1] - ms[1]
    P(f"截至{CUR}年末，公司从业人员{st[1]}人，较{PREV}年末增加{st[1] - st[0]}人；其中专业技术人员{ts[1]}人、"
      f"经营管理人员{ms[1]}人、生产一线人员{prod_staff}人，专业技术人员占从业人员总数的{pct_safe(ts[1], st[1])}%。")
    sec("2.2")
    P(f"资源综合利用产品情况：{Y}，公司" + "；".join(
        f"生产{p['name']}{qty(p, 'cur')}{p['unit']}（{PREV}年{qty(p, 'prev')}{p['unit']}），实现产值{num(p['vcur'])}万元"
        for p in prods) + f"。综合利用产品年产值合计{num(co['ptot'][1])}万元，较前一年度{incr(*co['ptot'])}。")
    wt = co["wtot"]
    if o.get("multiyear", True):
        parts = []
        for w in co["wastes"]:
            d = w["cur"] - w["prev"]
            parts.append(f"{w['name']}利用量较前一年度{'增加' if d >= 0 else '减少'}{num(abs(d))}万吨")
        P(f"工业资源综合利用情况：{PREV}年公司综合利用{co['waste_word']}{num(wt[0])}万吨，{CUR}年综合利用"
          f"{num(wt[1])}万吨，同比增加{num(wt[1] - wt[0])}万吨、增长{fm(rel(*wt), 2, False)}%。分品种看，"
          + "，".join(parts) + "。")
    rt = co["rate"]
    rate_txt = f"百分之{cn_num(rt[1])}" if o.get("cn_rate") else f"{rt[1]}%"
    P(f"{Y}，公司共接收（产生）各类{co['waste_word']}{num(co['supply'][1])}万吨，综合利用{num(wt[1])}万吨，"
      f"综合利用率{rate_txt}，较前一年度提高{rt[1] - rt[0]}个百分点。")
    for t in o.get("extra_2_2", []):
        P(t)
    if o.get("balance_table"):
        B.append(("table", o["balance_table"]))
    P(co["tech_qc"])
    sec("2.3")
    P(co["green"])
    sec("2.4")
    P(co["channel"])
    sec("2.5")
    n0, d0, n1, d1 = co["standards"]
    P(f"{co['std_text']}。截至{CUR}年底，公司制定（参与制定）资源综合利用国家、地方、行业、团体、企业标准共{n1}项"
      f"（{d1}）。公司{co['systems_txt']}。")
    sec("3")
    P(f"{CUR}年以来，公司围绕技术创新、协同利用、设备更新、数智改造和管理能力提升，重点开展了以下工作：")
    for t in co["projects"]:
        P(t)
    sec("4")
    for t in co["safeguards"]:
        P(t)
    sec("5")
    P(co["problems"])
    P(co["experience"])
    P(co["suggestions"])
    sec("6")
    for t in o.get("att_list", []):
        P(t)
    return B


def replace_once(blocks, old, new):
    hits = [i for i, b in enumerate(blocks) if b[0] == "p" and old in b[1]]
    assert len(hits) == 1 and blocks[hits[0]][1].count(old) == 1, (old, hits)
    i = hits[0]
    blocks[i] = ("p", blocks[i][1].replace(old, new))


# --------------------------------------------------------------------------------------------
# outline headings
# --------------------------------------------------------------------------------------------
TITLES = {
    "1": "企业基本情况", "1.1": "企业概况", "1.2": "研发能力", "1.3": "能源资源消耗、废弃物排放情况",
    "1.4": "企业管理能力", "2": "上年度资源综合利用情况",
    "2.1": "上年度企业经营指标、从业人数及构成情况",
    "2.2": "上年度资源综合利用产品及工业资源综合利用情况",
    "2.3": "上年度推动绿色发展主要工作情况",
    "2.4": "上年度废弃物回收利用渠道和综合利用产品营销模式",
    "2.5": "上年度推动相关标准建立、完善管理体系情况",
    "3": "重点项目、重点工作情况", "4": "保障措施", "5": "存在问题、主要经验和政策建议", "6": "相关证明材料",
}
_CN = "一二三四五六七八九十"


def outline_map(scheme, rename=None, merge=None, drop=()):
    """id -> heading text (None: no heading, content kept).  merge: {first_id: (ids, title)}."""
    titles = dict(TITLES)
    titles.update(rename or {})
    merged_away = set()
    for first, (ids, title) in (merge or {}).items():
        titles[first] = title
        merged_away.update(i for i in ids if i != first)
    out, top_n, sub_n = {}, 0, 0
    for i in TITLES:
        if i in drop or i.split(".")[0] in drop:
            continue
        if i in merged_away:
            out[i] = None
            continue
        if "." not in i:
            top_n += 1
            sub_n = 0
            n = top_n
            out[i] = {"cn": f"{_CN[n - 1]}、", "seed": f"{_CN[n - 1]}、", "chapter": f"第{_CN[n - 1]}章 ",
                      "arabic": f"{n} "}[scheme] + titles[i]
        else:
            sub_n += 1
            out[i] = {"cn": f"（{_CN[sub_n - 1]}）", "seed": f"{sub_n}、", "chapter": f"{top_n}.{sub_n} ",
                      "arabic": f"{top_n}.{sub_n} "}[scheme] + titles[i]
    return out


# --------------------------------------------------------------------------------------------
# 指标表 rows
# --------------------------------------------------------------------------------------------

def chg_text(prev, cur, style, nd=2, unit=""):
    prev, cur = D(prev), D(cur)
    d = cur - prev
    if style == "pct":
        return signed(rel(prev, cur, nd), nd, False) + "%"
    if style == "pct_cn":
        return incr(prev, cur, ("增长", "下降"), nd)
    if style == "neg_cn":  # 负12.5%
        r = rel(prev, cur, nd)
        return ("负" if r < 0 else "+") + fm(abs(r), nd, False) + "%"
    if style == "abs":
        return signed(d, nd)
    if style == "abs_nosep":
        return signed(d, nd, False)
    if style == "abs_cn":
        return ("增加" if d >= 0 else "减少") + fm(abs(d), nd) + unit
    if style == "acct":
        return f"({fm(abs(d), nd)})" if d < 0 else fm(d, nd)
    if style == "both":
        return f"{signed(d, nd)}\n（{signed(rel(prev, cur, 2), 2, False)}%）"
    if style == "pp":
        return signed(d, 1, False) + "个百分点"
    raise ValueError(style)


def ind_rows(co, t):
    """The 指标表 as a list of row dicts (kind: data | group | ph)."""
    wunit = t.get("wunit", "万吨")
    mnd = t.get("money_nd", 2)
    styles = dict(money="pct", waste="abs", prod="abs", count="abs")
    styles.update(t.get("chg", {}))
    over = t.get("chg_over", {})
    rows = []

    def R(no, name, unit, prev, cur, chg, pv=None, cv=None, key=None, nd=None, note=""):
        rows.append(dict(kind="data", no=no, name=name, unit=unit, prev=prev, cur=cur, chg=chg, pv=pv, cv=cv,
                         key=key or name, nd=nd, note=note))

    def money_row(no, name, pair, key):
        ov = over.get(key, styles["money"])
        st, nd_c = ov if isinstance(ov, tuple) else (ov, None)
        if nd_c is None:
            nd_c = 1 if st == "neg_cn" else 2 if st in ("pct", "pct_cn") else mnd
        R(no, name, "万元", fm(pair[0], mnd), fm(pair[1], mnd), chg_text(pair[0], pair[1], st, nd_c),
          pair[0], pair[1], key, mnd)

    def group(text):
        if t.get("groups"):
            rows.append(dict(kind="group", name=text))

    group("一、经营指标")
    money_row("1", "企业年销售收入", co["revenue"], "revenue")
    money_row("2", "资源综合利用产品或技术成果年销售收入", co["psales"], "psales")
    money_row("3", "利润", co["profit"], "profit")
    money_row("4", "税金", co["tax"], "tax")
    group("二、资源综合利用指标")

    def wv(x):
        return fm(x * 10000, 0) if wunit == "吨" else fm(x, 2)

    def wchg(p, c, key):
        st = over.get(key, styles["waste"])
        if wunit == "吨":
            return chg_text(p * 10000, c * 10000, st, 0 if st not in ("pct", "pct_cn", "neg_cn") else 2, unit="吨")
        return chg_text(p, c, st, 2 if st not in ("neg_cn",) else 1, unit=t.get("wunit_word", wunit))

    tot = co["wtot"]
    R("5", "工业资源年综合利用量", wunit, wv(tot[0]), wv(tot[1]), wchg(tot[0], tot[1], "wtot"),
      tot[0] * (10000 if wunit == "吨" else 1), tot[1] * (10000 if wunit == "吨" else 1), "wtot",
      0 if wunit == "吨" else 2)
    kl = t.get("kind_label", lambda i, w: f"种类{i}：{w['name']}利用量")
    for i, w in enumerate(co["wastes"], 1):
        R("", kl(i, w), wunit, wv(w["prev"]), wv(w["cur"]), wchg(w["prev"], w["cur"], "w:" + w["name"]),
          w["prev"] * (10000 if wunit == "吨" else 1), w["cur"] * (10000 if wunit == "吨" else 1), "w:" + w["name"],
          0 if wunit == "吨" else 2)
    if t.get("placeholders"):
        rows.append(dict(kind="ph", name="……（列举所有综合利用资源的利用量）"))
    rt = co["rate"]
    R("6", "综合利用率", "%", fm(rt[0], 1), fm(rt[1], 1), chg_text(rt[0], rt[1], "pp"), rt[0], rt[1], "rate", 1)
    group("三、综合利用产品指标")
    pt = co["ptot"]
    R("7", "综合利用产品年产值", "万元", fm(pt[0], mnd), fm(pt[1], mnd),
      chg_text(pt[0], pt[1], over.get("ptot", styles["money"]), 2 if over.get("ptot", styles["money"]) in ("pct", "pct_cn") else mnd),
      pt[0], pt[1], "ptot", mnd)
    pl = t.get("prod_label", lambda i, p, what: f"综合利用产品{i}：{p['name']}{what}")
    for i, p in enumerate(co["products"], 1):
        qnd = 0 if p["unit"] == "吨" else nd_of(p["qcur_s"])
        R("", pl(i, p, "产量"), t.get("prod_units", {}).get(p["unit"], p["unit"]), qty(p, "prev"), qty(p, "cur"),
          chg_text(p["qprev"], p["qcur"], over.get("q:" + p["name"], styles["prod"]), qnd), p["qprev"], p["qcur"],
          "q:" + p["name"], qnd)
        R("", pl(i, p, "产值"), "万元", fm(p["vprev"], mnd), fm(p["vcur"], mnd),
          chg_text(p["vprev"], p["vcur"], over.get("v:" + p["name"], styles["prod"]), mnd if over.get("v:" + p["name"], styles["prod"]) not in ("pct", "pct_cn") else 2),
          p["vprev"], p["vcur"], "v:" + p["name"], mnd)
    if t.get("placeholders"):
        rows.append(dict(kind="ph", name="……（列举所有综合利用产品的产量产值）"))
    group("四、管理及创新指标")
    sy = co["systems"]
    R("8", "建立质量、环境、职业健康、能源管理体系情况", "—", sy[0], sy[1], sy[2], key="systems")
    pa = co["patents"]
    R("9", "资源综合利用领域相关技术专利数量", "个", str(pa[0]), str(pa[1]), signed(D(pa[1] - pa[0]), 0), D(pa[0]), D(pa[1]), "patents", 0)
    n0, d0, n1, d1 = co["standards"]
    R("10", "制定（或参与制定）的资源综合利用国家、地方、行业、团体、企业标准数量（分项列出数量）", "个",
      f"{n0}（{d0}）", f"{n1}（{d1}）", signed(D(n1 - n0), 0), D(n0), D(n1), "standards", 0)
    rows[-1]["text_xlsx"] = True  # written with its breakdown, as the seed asks (分项列出数量)
    return rows


def set_cell(rows, key, col, value):
    hit = [r for r in rows if r.get("key") == key]
    assert len(hit) == 1, key
    hit[0][col] = value
    if col in ("prev", "cur"):
        hit[0]["pv" if col == "prev" else "cv"] = None  # numeric copy no longer valid; xlsx writes text


def ind_grid(rows, cols, headers):
    """Rows -> (grid, merges) for a Word table; group rows span the width."""
    grid = [[headers[c] for c in cols]]
    merges = []
    for r in rows:
        if r["kind"] == "group":
            grid.append([r["name"]] * len(cols))
            merges.append((len(grid) - 1, 0, 1, len(cols)))
            grid[-1] = [r["name"]] + [""] * (len(cols) - 1)
        elif r["kind"] == "ph":
            grid.append([r["name"] if c == "name" else "" for c in cols])
        else:
            grid.append([r.get(c, "") or "" for c in cols])
    return grid, merges


# --------------------------------------------------------------------------------------------
# report rendering
# --------------------------------------------------------------------------------------------
TITLE1 = "湖南省工业资源综合利用标杆企业"
TITLE2 = "自评价报告书"


def cover_lines(doc, fields, date, title_size=26, label_size=16, extra_top=None):
    for _ in range(3):
        para(doc)
    if extra_top:
        para(doc, extra_top, size=14, align="center", indent=False)
    para(doc, TITLE1, bold=True, size=title_size, align="center", indent=False, font="方正小标宋简体")
    para(doc, TITLE2, bold=True, size=title_size, align="center", indent=False, font="方正小标宋简体")
    for _ in range(6):
        para(doc)
    for label, value in fields:
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(2.5)
        p.paragraph_format.space_after = Pt(10)
        r = p.add_run(label)
        _font(r, "黑体", label_size)
        r2 = p.add_run(value)
        _font(r2, BODY_FONT, label_size)
    for _ in range(4):
        para(doc)
    para(doc, date, size=label_size, align="center", indent=False, font="黑体")
    page_break(doc)


def cover_table(doc, fields, date_label, date, inline=False, title_size=24):
    for _ in range(3):
        para(doc)
    para(doc, TITLE1, bold=True, size=title_size, align="center", indent=False, font="方正小标宋简体")
    para(doc, TITLE2, bold=True, size=title_size, align="center", indent=False, font="方正小标宋简体")
    for _ in range(5):
        para(doc)
    if inline:
        grid = [[f"{lab}：{val}"] for lab, val in fields]
        if date_label is not None:
            grid.append([f"{date_label}：{date}" if date_label else date])
        add_table(doc, grid, style="none", header_rows=0, size=15, font=BODY_FONT, widths=[13])
    else:
        grid = [[lab, val] for lab, val in fields]
        if date_label is not None:
            grid.append([date_label, date])
        add_table(doc, grid, style="none", header_rows=0, size=15, font=BODY_FONT, widths=[5, 9])
    if date_label is None:
        for _ in range(4):
            para(doc)
        para(doc, date, size=15, align="center", indent=False)
    page_break(doc)


def toc(doc, omap, levels=2, title="目  录"):
    para(doc, title, bold=True, size=16, align="center", indent=False, font="黑体")
    page = 1
    for i, h in omap.items():
        if h is None or ("." in i and levels < 2):
            continue
        page += 1 if "." not in i else 0
        p = doc.add_paragraph()
        if "." in i:
            p.paragraph_format.left_indent = Cm(0.8)
        r = p.add_run(f"{h}{'…' * max(4, 30 - len(h))}{page}")
        _font(r, BODY_FONT, 12)
    page_break(doc)


def heading(doc, text, level, style):
    if style == "word":
        h = doc.add_heading(level=level)
        r = h.add_run(text)
        _font(r, HEAD_FONT if level == 1 else "楷体", 16 if level == 1 else 14, color=RGBColor(0, 0, 0))
        return h
    if style == "bold":
        return para(doc, text, bold=True, size=16 if level == 1 else 14, indent=(level == 2),
                    font=HEAD_FONT if level == 1 else "楷体")
    # plain: numbered paragraphs, no bold, same size as the body
    return para(doc, text, size=12, indent=False)


def render_blocks(doc, blocks, omap, hstyle, inline_level2=False, body_size=12):
    skip = False
    pending = None
    for b in blocks:
        kind = b[0]
        if kind == "sec":
            i = b[1]
            if i not in omap:
                skip = True
                continue
            skip = False
            h = omap[i]
            if h is None:
                continue
            level = 1 if "." not in i else 2
            if level == 2 and inline_level2:
                pending = h
                continue
            heading(doc, h, level, hstyle)
        elif skip:
            continue
        elif kind == "p":
            if pending:
                p = doc.add_paragraph()
                p.paragraph_format.first_line_indent = Pt(body_size * 2)
                r = p.add_run(pending + "。")
                _font(r, "楷体", body_size, bold=True)
                r2 = p.add_run(b[1])
                _font(r2, None, body_size)
                pending = None
            else:
                para(doc, b[1], size=body_size)
        elif kind == "table":
            spec = b[1]
            para(doc, spec["caption"], bold=True, size=10.5, align="center", indent=False)
            add_table(doc, spec["grid"], merges=spec.get("merges", ()), style=spec.get("style", "grid"),
                      size=9, center_cols=spec.get("center_cols", (0,)))
            if spec.get("note"):
                para(doc, spec["note"], size=9, indent=False)
        elif kind == "pic":
            _, caption, path = b
            doc.add_picture(str(path), width=Cm(10))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            para(doc, caption, size=10.5, align="center", indent=False)


def indicator_docx_table(doc, rows, cols, headers, style="grid", title=True, unit_line=None, split_at=None,
                         continued_header=True, fill_line=None, size=9, widths=None):
    if title:
        para(doc, "附表", bold=True, size=14, indent=False, font=HEAD_FONT)
        para(doc, "工业资源综合利用标杆企业指标表", bold=True, size=16, align="center", indent=False,
             font="方正小标宋简体")
    if fill_line:
        para(doc, fill_line, size=10.5, indent=False)
    if unit_line:
        para(doc, unit_line, size=10.5, align="right", indent=False)
    if split_at is None:
        grid, merges = ind_grid(rows, cols, headers)
        add_table(doc, grid, merges, style=style, size=size, center_cols=(0,), widths=widths)
        return
    g1, m1 = ind_grid(rows[:split_at], cols, headers)
    add_table(doc, g1, m1, style=style, size=size, center_cols=(0,), widths=widths)
    page_break(doc)
    para(doc, "续表", size=10.5, indent=False, bold=True)
    g2, m2 = ind_grid(rows[split_at:], cols, headers)
    if not continued_header:
        g2 = g2[1:]
        m2 = [(r - 1, c, rs, cs) for r, c, rs, cs in m2]
    add_table(doc, g2, m2, style=style, size=size, center_cols=(0,), header_rows=1 if continued_header else 0,
              widths=widths)


def indicator_xlsx(path, rows, cols, headers, title, fill_line=None, footer=None, sheet="指标表", widths=None,
                   numeric=True, title_cells=None):
    wb = Workbook()
    wb.properties.creator = "Administrator"
    wb.properties.lastModifiedBy = "Administrator"
    ws = wb.active
    ws.title = sheet
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ncol = len(cols)
    r = 1
    ws.cell(r, 1, title).font = Font(name="宋体", size=16, bold=True)
    ws.cell(r, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
    ws.row_dimensions[r].height = 30
    r += 1
    if fill_line:
        ws.cell(r, 1, fill_line).font = Font(name="宋体", size=11)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        r += 1
    hdr_row = r
    for c, key in enumerate(cols, 1):
        cell = ws.cell(r, c, headers[key])
        cell.font = Font(name="宋体", size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    r += 1
    for row in rows:
        if row["kind"] == "group":
            ws.cell(r, 1, row["name"]).font = Font(name="宋体", size=11, bold=True)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
            for c in range(1, ncol + 1):
                ws.cell(r, c).border = border
            r += 1
            continue
        for c, key in enumerate(cols, 1):
            if row["kind"] == "ph":
                val = row["name"] if key == "name" else None
            else:
                val = row.get(key, "")
                if (numeric and key in ("prev", "cur") and not row.get("text_xlsx")
                        and row.get("pv" if key == "prev" else "cv") is not None):
                    num_v = row["pv" if key == "prev" else "cv"]
                    val = int(num_v) if row["nd"] == 0 else float(num_v)
                    cell = ws.cell(r, c, val)
                    cell.number_format = "#,##0" if row["nd"] == 0 else "#,##0." + "0" * row["nd"]
                    cell.border = border
                    cell.alignment = Alignment(horizontal="right", vertical="center")
                    continue
                if key == "no" and val:
                    val = int(val)
            cell = ws.cell(r, c, val)
            cell.border = border
            cell.font = Font(name="宋体", size=11)
            cell.alignment = Alignment(vertical="center", wrap_text=True,
                                       horizontal="center" if key in ("no", "unit") else None)
        r += 1
    if footer:
        r += 1
        ws.cell(r, 1, footer).font = Font(name="宋体", size=11)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
    for i, w in enumerate(widths or [6, 44, 10, 14, 14, 20, 16][:ncol], 1):
        ws.column_dimensions[chr(64 + i)].width = w
    ws.freeze_panes = ws.cell(hdr_row + 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


# --------------------------------------------------------------------------------------------
# 相关证明材料
# --------------------------------------------------------------------------------------------

def make_attachment(kind, co, path: pathlib.Path, date="2025年3月5日"):
    name, code = co["name"], co["uscc"]
    if kind == "license":
        lic = co["license"]
        return cert_image(path, "营 业 执 照", [
            "（副　本）", f"统一社会信用代码　{code}", f"名　　称　{name}", f"类　　型　{lic['type']}",
            f"法定代表人　{co['legal']}", f"注册资本　{co['capital'].replace(',', '')}", f"成立日期　{lic['date']}",
            f"住　　所　{co['address']}", f"经营范围　{co['scope']}。（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
            "登记机关", "2024年05月20日"], lic["authority"], landscape=True)
    if kind in ("safety", "env", "quality"):
        what = {"safety": "未发生一般及以上生产安全事故，未因安全生产违法行为受到行政处罚",
                "env": "未发生一般及以上突发环境事件，无环境违法行政处罚记录",
                "quality": "未发生一般及以上产品质量事故，无产品质量行政处罚记录"}[kind]
        bureau = co["bureaus"][kind]
        return cert_image(path, "证　明", [
            f"兹证明{name}（统一社会信用代码：{code}）自2022年1月1日至本证明出具之日，在我辖区内{what}。",
            "特此证明。", "", bureau, date], bureau)
    if kind == "credit_co":
        return screenshot_image(path, "信用中国  www.creditchina.gov.cn", name, [
            f"企业名称：{name}", f"统一社会信用代码：{code}", f"法定代表人：{co['legal']}",
            "严重失信主体名单：暂无", "行政处罚信息：暂无", "经营异常名录：暂无", "查询时间：2025-03-06 10:21"])
    if kind == "credit_legal":
        return screenshot_image(path, "中国执行信息公开网  失信被执行人查询", f"被执行人姓名：{co['legal']}", [
            f"被执行人姓名/名称：{co['legal']}", "查询结果：在全国范围内没有找到相关结果。",
            f"企业名称：{name}", "查询结果：在全国范围内没有找到相关结果。", "查询时间：2025-03-06 10:35"])
    if kind == "patent":
        return cert_image(path, "发明专利证书", [
            f"发明名称：{co['patent_title']}", f"专利权人：{name}", "专利号：ZL 2022 1 0583164.7",
            "专利申请日：2022年05月26日", "授权公告日：2024年03月15日", "国家知识产权局局长　申长雨"], "国家知识产权局")
    if kind == "project":
        return cert_image(path, co["project_doc"], [
            f"项目单位：{name}", "验收时间：2024年12月18日", "验收组意见：项目按批复内容建成，主要设备运行稳定，",
            "环保设施与主体工程同时投入使用，各项指标达到设计要求，同意通过验收。", "验收组组长（签字）：", ""], name)
    if kind == "iso":
        return cert_image(path, co["iso"].split("（")[0], [
            co["iso"], f"兹证明　{name}", f"统一社会信用代码：{code}", f"地址：{co['address']}",
            "管理体系符合标准要求，认证范围：资源综合利用产品的生产及相关管理活动。", "有效期至：2027年06月30日"],
            "中国质量认证中心")
    if kind == "pledge":
        doc = new_doc(14)
        para(doc, "承 诺 书", bold=True, size=20, align="center", indent=False, font="方正小标宋简体")
        para(doc, "湖南省工业和信息化厅：", size=14, indent=False)
        para(doc, f"我单位{name}（统一社会信用代码：{code}）郑重承诺：近三年来（2022年1月1日至今），我单位未发生一般及以上"
                  "安全、环保、质量事故，无行政处罚记录和失信行为记录；企业及法定代表人未被列入失信黑名单。"
                  "本次申报所提供的全部材料及数据真实、准确、完整，如有虚假，愿承担相应责任。", size=14)
        para(doc, f"法定代表人（签字）：{co['legal']}", size=14, align="right", indent=False)
        para(doc, f"单位（盖章）：{name}", size=14, align="right", indent=False)
        para(doc, date, size=14, align="right", indent=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(path)
        return path
    raise ValueError(kind)


def att_list_text(names):
    """Section 六 as a submitter writes it: the three items of the outline, each pointing at its files."""
    lic = names.get("license", "营业执照（副本）")
    second = "、".join(names.get(k) for k in ("safety", "env", "quality", "credit_co", "credit_legal", "pledge")
                      if names.get(k))
    third = "、".join(names.get(k) for k in ("patent", "project", "iso") if names.get(k))
    return [f"（一）企业营业执照：{lic}；",
            f"（二）企业近三年未发生一般及以上安全、环保、质量事故，企业和法定代表人未被列入失信黑名单的证明材料：{second}；",
            f"（三）能够证明资源综合利用水平提升及相关重点项目、重点工作开展情况的材料：{third}。",
            "以上材料均附后。"]


def stem(p):
    return pathlib.PurePosixPath(p).stem


# --------------------------------------------------------------------------------------------
# packages
# --------------------------------------------------------------------------------------------
SEED_HEADERS = {"no": "序号", "name": "指标名称", "unit": "单位", "prev": "前一年度情况", "cur": "上年度情况",
                "chg": "上年度指标较前一年度变化情况", "note": "备注"}


class Ctx:
    def __init__(self, out: pathlib.Path, tmp: pathlib.Path):
        self.out, self.tmp = out, tmp
        self.pdf_jobs: list[tuple[pathlib.Path, pathlib.Path]] = []
        self.zip_jobs: list[tuple[pathlib.Path, pathlib.Path, bool]] = []
        self.n = 0

    def to_pdf(self, doc, final: pathlib.Path):
        self.n += 1
        src = self.tmp / f"pdf{self.n:02d}.docx"
        doc.save(src)
        self.pdf_jobs.append((src, final))


def write_atts(co, root: pathlib.Path, names: dict, skip=()):
    for kind, rel_path in names.items():
        if kind in skip or rel_path is None:
            continue
        make_attachment(kind, co, root / rel_path)


def entry(package, clean, variations, expected=(), allowed=(), notes="", uncovered=()):
    e = {"package": package, "form": FORM, "clean": clean, "variations": sorted(set(variations)),
         "expected": list(expected), "allowed": list(allowed), "notes": notes}
    if uncovered:
        e["uncovered"] = list(uncovered)
    return e


# ---- 1. 湘潭宏岳: one Word file with the 附表 inside, Word heading styles, seed numbering ---------

def pkg_hongyue(ctx, pkg, variant):
    co = derive(company_hongyue())
    root = ctx.out / pkg
    report_name = f"{co['name']}工业资源综合利用标杆企业自评价报告书.docx"
    names = {"license": "证明材料/01 营业执照（副本）.jpg",
             "safety": "证明材料/02 安全生产无事故证明（岳塘区应急管理局）.jpg",
             "env": "证明材料/03 环境守法证明（市生态环境局岳塘分局）.jpg",
             "quality": "证明材料/04 产品质量无事故证明（岳塘区市场监督管理局）.jpg",
             "credit_co": "证明材料/05 信用中国查询结果（企业）.png",
             "credit_legal": "证明材料/06 失信被执行人查询结果（法定代表人）.png",
             "patent": "证明材料/07 发明专利证书.jpg",
             "project": "证明材料/08 砌块生产线智能化改造项目竣工验收意见.pdf",
             "iso": "证明材料/09 能源管理体系认证证书.jpg"}
    o = dict(Y="上年度", waste_style="fenbie", money="yuan_tax",
             att_list=att_list_text({k: stem(v)[3:] for k, v in names.items()}))
    blocks = narrative(co, o)
    rows = ind_rows(co, dict(chg=dict(money="pct_cn", waste="abs", prod="abs")))
    drop, skip_att = (), ()
    uscc_bad = None
    if variant == "sum":
        set_cell(rows, "w:炉渣", "prev", "3.06")
        replace_once(blocks, "、8.1万吨，", "、8.5万吨，")
    if variant == "misc":
        uscc_bad = break_uscc(co["uscc"])
        replace_once(blocks, co["uscc"], uscc_bad)
        drop = ("2.4",)
        skip_att = ("safety", "env", "quality", "credit_co", "credit_legal")
    omap = outline_map("seed", drop=drop)
    doc = new_doc(12)
    header_footer(doc, f"{co['name']}  工业资源综合利用标杆企业自评价报告书")
    cover_lines(doc, [("单位（盖章）：", co["name"]), ("联  系  人：", co["contact"]), ("联 系 电 话：", co["mobile"])],
                "二〇二五年三月")
    toc(doc, omap)
    render_blocks(doc, blocks, omap, "word")
    page_break(doc)
    indicator_docx_table(doc, rows, ["no", "name", "unit", "prev", "cur", "chg"], SEED_HEADERS,
                         fill_line=f"填报单位（盖章）：{co['name']}", widths=[1.0, 5.4, 1.2, 2.3, 2.3, 3.2])
    root.mkdir(parents=True, exist_ok=True)
    doc.save(root / report_name)
    write_atts(co, root, names, skip_att)
    base_vars = ["narr_fenbie", "narr_qizhong", "narr_multiyear", "narr_money_units", "narr_relative_period",
                 "narr_approx", "date_formats"]
    if variant == "clean":
        return entry(pkg, True, base_vars, notes="Clean: single .docx (cover, 目录, Heading styles, 附表 inside) + "
                     "9 scanned 证明材料; narrative in 上年度, 分别为 list, 亿元/万元/元 amounts, 2022–2024 series.")
    if variant == "sum":
        return entry(pkg, False, base_vars, expected=[
            {"rule": "SUM.TOTAL_MISMATCH", "keys": ["综合利用量"], "file": report_name, "severity": "error"},
            {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": ["脱硫石膏", "8.5"], "file": report_name, "severity": "error"},
        ], allowed=[{"rule": "CHANGE.MISMATCH", "keys": ["炉渣"]}, {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": ["炉渣"]}],
            notes="Twin of hnb01: 指标表 前一年度 炉渣 typed 3.06 (true 3.60) so 种类 rows (21.31) ≠ 21.85; the 分别为 "
                  "list in 一.1 gives 脱硫石膏 8.5万吨 against 8.10 in the 指标表 (上年度 = 2024).")
    return entry(pkg, False, base_vars, expected=[
        {"rule": "ID.USCC_INVALID", "keys": [uscc_bad], "file": report_name, "severity": "error"},
        {"rule": "ATTACHMENT.MISSING", "keys": ["事故"], "severity": "error"},
        {"rule": "OUTLINE.SECTION_MISSING", "keys": ["回收利用渠道"], "severity": "warning"},
    ], allowed=[{"rule": "ATTACHMENT.MISSING", "keys": ["失信"]}],
        notes="Twin of hnb01: credit code in 一.1 has a wrong check character; all 提纲六（二） files (无事故证明, "
              "信用查询) left out though still listed in 六; sub-item 二.4 (回收渠道/营销模式) omitted, later item renumbered.")


# ---- 2. 益阳金桥: report + 指标表 as one PDF, inline sub-items, 指标表 split under 续表 --------------

def pkg_jinqiao(ctx, pkg, variant):
    co = derive(company_jinqiao())
    root = ctx.tmp / pkg
    pdf_name = "益阳金桥环保建材有限公司自评价报告书（含附表）.pdf"
    names = {"license": "附件/附件1 营业执照.jpg", "safety": "附件/附件2 安全生产证明.jpg",
             "env": "附件/附件3 环保守法证明.jpg", "quality": "附件/附件4 质量无事故证明.jpg",
             "credit_co": "附件/附件5 信用中国查询截图.png", "credit_legal": "附件/附件6 法定代表人失信查询截图.png",
             "patent": "附件/附件7 发明专利证书.jpg", "project": "附件/附件8 扩能改造项目竣工验收报告.jpg"}
    o = dict(Y="2024年", waste_style="qizhong", money="wan", att_list=att_list_text({k: stem(v) for k, v in names.items()}))
    blocks = narrative(co, o)
    rows = ind_rows(co, dict(chg=dict(money="both", waste="abs", prod="abs"),
                             kind_label=lambda i, w: f"其中：{w['name']}" if i == 1 else f"　　　{w['name']}"))
    if variant == "defect":
        good = [r for r in rows if r.get("key") == "ptot"][0]["chg"]
        bad = good.replace("+16.01%", "+18.01%")
        assert bad != good
        set_cell(rows, "ptot", "chg", bad)
        replace_once(blocks, f"{CUR}年综合利用16.6万吨", f"{CUR}年综合利用16.06万吨")
    omap = outline_map("seed")
    doc = new_doc(12)
    header_footer(doc, None)
    cover_lines(doc, [("单位（盖章）：", co["name"]), ("联 系 人：", co["contact"]), ("联系电话：", co["mobile"])],
                "2025年3月20日", label_size=15)
    render_blocks(doc, blocks, omap, "bold", inline_level2=True)
    page_break(doc)
    split = next(i for i, r in enumerate(rows) if r.get("key") == "rate")
    indicator_docx_table(doc, rows, ["no", "name", "unit", "prev", "cur", "chg"],
                         {**SEED_HEADERS, "prev": "2023年（前一年度）", "cur": "2024年（上年度）",
                          "chg": "变化情况（较前一年度）"}, split_at=split, continued_header=True,
                         widths=[1.0, 5.2, 1.2, 2.3, 2.3, 3.4])
    root.mkdir(parents=True, exist_ok=True)
    ctx.to_pdf(doc, root / pdf_name)
    write_atts(co, root, names)
    ctx.zip_jobs.append((root, ctx.out / f"{pkg}.zip", False))
    vars_ = ["tbl_continued", "tbl_header_containment", "narr_qizhong", "narr_multiyear", "date_formats", "num_formats"]
    if variant == "clean":
        return entry(f"{pkg}.zip", True, vars_, notes="Clean: zip; report + 指标表 in one PDF (LibreOffice), "
                     "sub-items inline (\"1、企业概况。…\"), 指标表 split after row 5 and continued under 续表 with the "
                     "header repeated; headers '2023年（前一年度）'; change column '+2,820.00（+13.08%）'.")
    return entry(f"{pkg}.zip", False, vars_, expected=[
        {"rule": "CHANGE.MISMATCH", "keys": ["综合利用产品年产值"], "file": pdf_name, "severity": "error"},
        {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": ["16.06"], "file": pdf_name, "severity": "error"},
    ], allowed=[{"rule": "CHANGE.MISMATCH", "keys": ["16.06"]}],
        notes="Twin of hnb04: on the 续表 page 综合利用产品年产值 change reads +2,890.00（+18.01%）, true +16.01%; "
              "二.2 multi-year sentence gives 2024 utilisation 16.06万吨 vs 16.60 in the 指标表.")


# ---- 3. 湖南湘锂: report docx + 指标表 xlsx with year headers, reordered columns --------------------

def pkg_xiangli(ctx, pkg, variant):
    co = derive(company_xiangli())
    root = ctx.out / pkg
    rep = "1-自评价报告书.docx"
    xl = "2-附表：工业资源综合利用标杆企业指标表.xlsx"
    names = {"license": "3-证明材料/营业执照副本.jpg", "pledge": "3-证明材料/企业信用及安全环保质量情况承诺书.docx",
             "safety": "3-证明材料/安全生产证明.jpg", "env": "3-证明材料/环境保护守法证明.jpg",
             "quality": "3-证明材料/产品质量证明.jpg", "credit_co": "3-证明材料/信用中国查询截图（企业）.png",
             "credit_legal": "3-证明材料/失信被执行人查询截图（法定代表人）.png",
             "patent": "3-证明材料/发明专利证书（锂选择性提取）.jpg",
             "project": "3-证明材料/预处理智能化升级项目环保验收意见.pdf", "iso": "3-证明材料/能源管理体系认证证书.jpg"}
    o = dict(Y="上年度", waste_style="qizhong", money="wan", att_list=att_list_text({k: stem(v) for k, v in names.items()}))
    blocks = narrative(co, o)
    rows = ind_rows(co, dict(money_nd=1, chg=dict(money="pct", waste="abs_cn", prod="abs"),
                             chg_over={"profit": "neg_cn", "tax": "acct", "v:硫酸钴": "acct"},
                             kind_label=lambda i, w: w["tname"], wunit_word="万吨"))
    notes = {"revenue": "碳酸锂等产品价格下行", "rate": "利用量/回收入库量", "standards": "见报告第二章2.5"}
    for r in rows:
        if r.get("key") in notes:
            r["note"] = notes[r["key"]]
    mobile = co["mobile"]
    fill_name = co["name"]
    if variant == "defect":
        mobile = co["mobile"][:-1]
        fill_name = "湖南湘锂循环科技股份有限公司"
        set_cell(rows, "profit", "chg", "负15.2%")
    omap = outline_map("chapter", rename={
        "2": f"{CUR}年度资源综合利用情况", "2.1": "经营指标、从业人数及构成", "2.2": "综合利用产品及废旧电池利用情况",
        "2.3": "绿色低碳发展成效", "2.4": "退役电池回收网络及产品营销模式", "2.5": "标准制定及管理体系建设",
        "6": "相关证明材料（附后）"})
    doc = new_doc(12)
    header_footer(doc, co["name"])
    cover_table(doc, [("申报单位（盖章）", co["name"]), ("联系人姓名", co["contact"]), ("移动电话", mobile),
                      ("固定电话", co["tel"]), ("电子信箱", co["email"])], "填报日期", "2025.3")
    toc(doc, omap)
    render_blocks(doc, blocks, omap, "word")
    para(doc, "附表：工业资源综合利用标杆企业指标表（见单独Excel文件）。", indent=False)
    root.mkdir(parents=True, exist_ok=True)
    doc.save(root / rep)
    cols = ["no", "name", "cur", "prev", "chg", "unit", "note"]
    hdr = {"no": "序号", "name": "指标名称", "cur": f"{CUR}年", "prev": f"{PREV}年", "chg": f"{CUR}年较{PREV}年变化",
           "unit": "单位", "note": "备注"}
    indicator_xlsx(root / xl, rows, cols, hdr, "附表  工业资源综合利用标杆企业指标表",
                   fill_line=f"填报单位（盖章）：{fill_name}　　　　　　　　　　填报时间：2025年3月",
                   footer=f"填表人：{co['contact']}　　　　审核人：{co['legal']}", widths=[6, 46, 14, 14, 20, 8, 22])
    write_atts(co, root, names)
    vars_ = ["tbl_column_order", "num_formats", "narr_relative_period", "tbl_waste_synonyms", "lv_label_variants",
             "outline_renamed", "outline_numbering", "narr_qizhong", "narr_multiyear", "date_formats", "tbl_unit_column"]
    if variant == "clean":
        return entry(pkg, True, vars_, notes="Clean: 废旧锂离子电池 recycler (第七条（二）: 锂电 ≥1万吨, 2.36); docx with "
                     "cover label table (申报单位（盖章）/联系人姓名/移动电话/电子信箱, 2025.3), 第一章/1.1 renamed headings; "
                     "xlsx 指标表 headed 2024年 | 2023年 (newer first), 单位 and 备注 at the right, changes '负12.5%', "
                     "'(718.6)', '增加0.41万吨'; products in 吨; revenue falls 2024.")
    return entry(pkg, False, vars_, expected=[
        {"rule": "IDENTITY.NAME_MISMATCH", "keys": ["湖南湘锂循环科技股份有限公司"], "file": xl, "severity": "error"},
        {"rule": "FORMAT.PHONE_INVALID", "keys": [mobile], "file": rep, "severity": "error"},
        {"rule": "CHANGE.MISMATCH", "keys": ["利润"], "file": xl, "severity": "error"},
    ], notes="Twin of hnb06: 指标表 填报单位 '湖南湘锂循环科技股份有限公司'; cover 移动电话 has 10 digits; 利润 change "
             "written '负15.2%' (columns are 2024 | 2023: true change 9,862.4→8,631.7 = -12.48%).")


# ---- 4. 衡阳华冶: zip with GBK names, bold headings （一）, merged 四/五, 指标表 in 吨 with group rows --

def huaye_balance(defect=False):
    """表1 of 二.2: opening stock + received − utilised = closing stock, per slag (吨)."""
    rows = [["1", "钢渣", "湘南钢铁有限公司转炉、电炉", "9,800", "461,200", "458,000", "13,000",
             "热闷磁选后生产钢渣微粉、骨料，回收渣钢"],
            ["2", "高炉水渣", "湘南钢铁有限公司高炉", "0", "917,800", "912,500", "5,300", "立磨粉磨生产S95级矿渣微粉"],
            ["3", "氧化铁皮及除尘灰", "湘南钢铁有限公司轧钢、除尘系统", "0", "29,500", "29,500", "0", "压球后返回钢厂烧结配料"]]
    total = ["", "合计", "", "9,800", "1,408,500", "1,400,000", "18,300", ""]
    if defect:  # 水渣 receipts typed low, 钢渣 receipts high: the receipts total still adds up
        rows[0][4], rows[0][6] = "473,700", "25,500"
        rows[1][4], rows[1][6] = "905,300", "0"
        total[6] = "25,500"
    grid = [["序号", "名称", "来源", "期初库存", "接收量", "综合利用量", "期末库存", "利用途径"]] + rows + [total]
    return dict(caption=f"表1  {CUR}年冶金渣接收及综合利用情况（单位：吨）", grid=grid, merges=[], style="grid",
                center_cols=(0,))


def pkg_huaye(ctx, pkg, variant):
    co = derive(company_huaye())
    root = ctx.tmp / pkg
    rep = "衡阳华冶新材料科技有限公司自评价报告书.docx"
    tbl = "附表 工业资源综合利用标杆企业指标表.docx"
    names = {"license": "证明材料/营业执照副本.jpg", "safety": "证明材料/安全生产证明.jpg", "env": "证明材料/环保证明.jpg",
             "quality": "证明材料/质量证明.jpg", "credit_co": "证明材料/信用中国查询截图.png",
             "credit_legal": "证明材料/法定代表人失信查询截图.png", "patent": "证明材料/发明专利证书.jpg",
             "project": "证明材料/钢渣全组分梯级利用项目竣工验收意见.jpg", "iso": "证明材料/能源管理体系认证证书.jpg"}
    bal = huaye_balance(defect=(variant == "balance"))
    o = dict(Y=f"{CUR}年", waste_style="cn", cn_rate=True, money="yi", balance_table=bal,
             approx=f"公司年处理冶金渣能力超过150万吨，{CUR}年实际综合利用冶金渣约140万吨，综合利用产品销售收入近4.83亿元，"
                    f"从业人员超过450人。",
             att_list=att_list_text({k: stem(v) for k, v in names.items()}))
    blocks = narrative(co, o)
    rows = ind_rows(co, dict(wunit="吨", money_nd=1, groups=True, placeholders=True,
                             chg=dict(money="pct", waste="abs", prod="abs"),
                             kind_label=lambda i, w: f"（{i}）{w['name']}",
                             prod_label=lambda i, p, what: f"（{i}）{p['name']}{what}"))
    for r in rows:
        if r.get("key") == "w:氧化铁皮及除尘灰":
            r["note"] = "压球后返回钢厂"
        if r.get("key") == "rate":
            r["note"] = "综合利用量/接收量"
    if variant == "sum":
        replace_once(blocks, "高炉水渣九十一点二五万吨", "高炉水渣九十一点五万吨")
        set_cell(rows, "v:钢渣微粉", "cur", "5,205.0")
    if variant == "balance":
        replace_once(blocks, f"{yi(co['revenue'][1])}亿元，利润总额", "5.86亿元，利润总额")
    omap = outline_map("cn", merge={"4": (("4", "5"), "保障措施、存在问题及政策建议")})
    doc = new_doc(12)
    header_footer(doc, None)
    cover_lines(doc, [("单位（盖章）：", co["name"]), ("联系人：", co["contact"]), ("联系电话：", co["mobile"])],
                "2025-03-18")
    render_blocks(doc, blocks, omap, "bold")
    root.mkdir(parents=True, exist_ok=True)
    doc.save(root / rep)
    tdoc = new_doc(10.5)
    sec = tdoc.sections[0]
    sec.orientation = 1
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    indicator_docx_table(tdoc, rows, ["no", "name", "unit", "prev", "cur", "chg", "note"],
                         {"no": "序号", "name": "指标名称", "unit": "计量单位", "prev": f"前一年度（{PREV}年）情况",
                          "cur": f"上年度（{CUR}年）情况", "chg": "较前一年度变化", "note": "备注"},
                         fill_line=f"填报单位（盖章）：{co['name']}", widths=[1.2, 8.5, 1.8, 3.2, 3.2, 3.2, 3.0])
    para(tdoc, "注：冶金渣数量以地磅计量数据为准，单位为吨；产品产量单位为万吨。", size=9, indent=False)
    tdoc.save(root / tbl)
    write_atts(co, root, names)
    ctx.zip_jobs.append((root, ctx.out / f"{pkg}.zip", True))
    vars_ = ["narr_cn_numerals", "narr_qizhong", "narr_approx", "narr_money_units", "outline_merged",
             "outline_numbering", "tbl_group_rows", "tbl_placeholder_rows", "tbl_unit_column",
             "tbl_header_containment", "date_formats"]
    if variant == "clean":
        return entry(f"{pkg}.zip", True, vars_, notes="Clean: zip with GBK member names; bold-paragraph headings "
                     "一、/（一）, 四+五 merged ('四、保障措施、存在问题及政策建议', 六 renumbered 五); figures in Chinese "
                     "numerals (一百四十万吨, 百分之九十九点四) and approximations (约140万吨, 近4.83亿元); balance table in 吨; "
                     "separate landscape 指标表 .docx in 吨 with group rows and the seed's '……（列举所有…）' rows left in.")
    if variant == "sum":
        return entry(f"{pkg}.zip", False, vars_, expected=[
            {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": ["水渣", "91.5"], "file": rep, "severity": "error"},
            {"rule": "SUM.TOTAL_MISMATCH", "keys": ["综合利用产品年产值"], "file": tbl, "severity": "error"},
        ], allowed=[{"rule": "CHANGE.MISMATCH", "keys": ["钢渣微粉"]}, {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": ["钢渣微粉"]}],
            notes="Twin of hnb08: 一.1 says 高炉水渣九十一点五万吨 (指标表 912,500吨 = 91.25万吨); in the 指标表, after the "
                  "placeholder row, 钢渣微粉 产值 2024 typed 5,205.0 (true 5,025.0) so product 产值 rows ≠ 49,563.0.")
    return entry(f"{pkg}.zip", False, vars_, expected=[
        {"rule": "BALANCE.UTILIZATION_EXCEEDS_SUPPLY", "keys": ["水渣"], "file": rep, "severity": "error"},
        {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": ["收入", "5.86"], "file": rep, "severity": "error"},
    ], notes="Twin of hnb08: balance table 表1 gives 高炉水渣 期初库存 0 + 接收量 905,300吨 but 综合利用量 912,500吨 (钢渣 "
             "接收 raised so the 接收量 合计 still holds); 一.1 series gives 2024 营业收入 5.86亿元 vs 56,230.0万元 in the 指标表.")


# ---- 5. 冷水江金石: inline cover cells, renamed plain headings, pictures inside 六, xlsx in 万t -------

def pkg_jinshi(ctx, pkg, variant):
    small = variant == "defect"
    co = derive(company_jinshi(small=small))
    root = ctx.out / pkg
    rep = f"自评价报告书（{co['name']}）.docx"
    xl = "附表-指标表.xlsx"
    picdir = ctx.tmp / f"{pkg}_pics"
    pics = [("附件1：营业执照（副本）", "license"), ("附件2：安全生产情况证明", "safety"), ("附件3：环境守法情况证明", "env"),
            ("附件4：产品质量情况证明", "quality"), ("附件5：信用中国查询结果（企业）", "credit_co"),
            ("附件6：失信被执行人查询结果（法定代表人）", "credit_legal"), ("附件7：专利证书", "patent"),
            ("附件8：" + co["project_doc"], "project")]
    o = dict(Y=f"{CUR}年", waste_style="qizhong", money="wan",
             att_list=att_list_text({k: c.split("：")[1] for c, k in pics}))
    blocks = narrative(co, o)
    for cap, kind in pics:
        p = make_attachment(kind, co, picdir / f"{kind}.{'png' if kind.startswith('credit') else 'jpg'}")
        blocks.append(("pic", cap, p))
    rows = ind_rows(co, dict(wunit="万t", money_nd=1, chg=dict(money="pct_cn", waste="abs", prod="abs"),
                             prod_units={"万立方米": "万m³", "亿块": "亿块（折标）"},
                             kind_label=lambda i, w: f"种类{i}：{w['name']}"))
    omap = outline_map("seed", rename={
        "1": "公司概况", "1.1": "公司基本情况", "1.2": "技术研发与创新能力", "1.3": "能源资源消耗及污染物排放",
        "1.4": "综合利用管理能力", "2": f"{CUR}年度资源综合利用情况", "2.1": "经营指标与人员情况",
        "2.2": "综合利用产品及煤矸石、粉煤灰利用情况", "2.3": "绿色低碳发展成效", "2.4": "煤矸石回收渠道与产品营销",
        "2.5": "标准化及管理体系建设", "3": "重点项目建设与重点工作", "4": "资金、技术、人才保障措施",
        "5": "存在的问题、经验与建议", "6": "证明材料"})
    contact = "" if small else co["contact"]
    doc = new_doc(12)
    header_footer(doc, None)
    cover_table(doc, [("单位（盖章）", co["name"]), ("联 系 人", contact), ("联系电话（手机）", co["mobile"]),
                      ("传    真", "")], None, "2025年4月8日", inline=True)
    render_blocks(doc, blocks, omap, "plain")
    root.mkdir(parents=True, exist_ok=True)
    doc.save(root / rep)
    indicator_xlsx(root / xl, rows, ["no", "name", "unit", "prev", "cur", "chg", "note"],
                   {**SEED_HEADERS, "prev": f"前一年度（{PREV}年）", "cur": f"上年度（{CUR}年）"},
                   "工业资源综合利用标杆企业指标表", fill_line=f"单位名称：{co['name']}", sheet="Sheet1")
    vars_ = ["lv_inline", "lv_blank", "lv_label_variants", "outline_renamed", "tbl_unit_column", "narr_qizhong",
             "date_formats", "tbl_header_containment"]
    if variant == "clean":
        return entry(pkg, True, vars_, notes="Clean: 煤矸石 brick maker (20.75万吨 ≥ 10); cover as one-column table with "
                     "'label：value' in each cell, optional 传真 left blank; headings renamed ('一、公司概况', "
                     "'二、2024年度资源综合利用情况', '六、证明材料') as plain numbered paragraphs; 证明材料 pasted as pictures "
                     "inside 六; xlsx 指标表 in 万t / 万m³ / 亿块（折标）.")
    return entry(pkg, False, vars_, expected=[
        {"rule": "ELIGIBILITY.SCALE_BELOW_THRESHOLD", "keys": [], "severity": "veto"},
        {"rule": "FIELD.MISSING", "keys": ["联系人"], "file": rep, "severity": "error"},
    ], notes="Twin of hnb11 for a smaller plant: 煤矸石 7.95 + 粉煤灰 1.00 = 8.95万吨 in 2024 (< 10万吨, 第七条（一）), all "
             "figures consistent; cover cell '联 系 人：' left empty.")


# ---- 6. 岳阳恒通: report docx + 指标表 as a separate three-line PDF, 报告期/本年度 prose -------------

def pkg_hengtong(ctx, pkg, variant):
    co = derive(company_hengtong())
    root = ctx.out / pkg
    rep = "01 自评价报告书.docx"
    pdf = "02 附表 工业资源综合利用标杆企业指标表.pdf"
    names = {"license": "03 证明材料/营业执照.jpg", "pledge": "03 证明材料/无事故及信用情况承诺书.docx",
             "safety": "03 证明材料/安全生产证明（云溪区应急管理局）.jpg",
             "env": "03 证明材料/环保证明（生态环境局云溪分局）.jpg", "quality": "03 证明材料/质量证明（云溪区市场监管局）.jpg",
             "credit_co": "03 证明材料/信用中国查询截图.png", "credit_legal": "03 证明材料/法定代表人失信查询截图.png",
             "patent": "03 证明材料/专利证书.jpg", "project": "03 证明材料/加工配送中心改造项目验收意见.jpg",
             "iso": "03 证明材料/质量管理体系认证证书.jpg"}
    o = dict(Y="报告期内", waste_style="qizhong", money="yi",
             approx="公司现具备年回收加工废钢铁30万吨以上的能力，报告期内实际回收加工废钢约17万吨，从业人员近140人。",
             extra_2_2=["上年度，公司回收加工废钢16.85万吨，废钢加工配送能力利用率进一步提升。",
                        f"本年度（{CUR + 1}年）1—2月，公司已回收加工废钢2.96万吨，生产经营保持平稳。"],
             att_list=att_list_text({k: stem(v) for k, v in names.items()}))
    blocks = narrative(co, o)
    drop, skip = (), ()
    if variant == "defect":
        replace_once(blocks, "上年度，公司回收加工废钢16.85万吨", "上年度，公司回收加工废钢14.92万吨")
        drop, skip = ("5",), ("license",)
    rows = ind_rows(co, dict(wunit="10⁴t", wunit_word="万吨", money_nd=1, chg=dict(money="pct", waste="abs_cn", prod="abs"),
                             kind_label=lambda i, w: w["tname"]))
    omap = outline_map("cn", merge={"3": (("3", "4"), "重点项目、重点工作及保障措施")}, drop=drop)
    doc = new_doc(12)
    header_footer(doc, f"{co['name']}工业资源综合利用标杆企业自评价报告书")
    cover_lines(doc, [("申报单位（盖章）：", co["name"]), ("联系人：", co["contact"]), ("联系电话：", "159 7301 8462")],
                "2025年3月")
    render_blocks(doc, blocks, omap, "word")
    root.mkdir(parents=True, exist_ok=True)
    doc.save(root / rep)
    tdoc = new_doc(10.5)
    indicator_docx_table(tdoc, rows, ["no", "name", "unit", "prev", "cur", "chg"],
                         {"no": "序号", "name": "指标名称", "unit": "单位", "prev": f"{PREV}年", "cur": f"{CUR}年",
                          "chg": "增减情况"}, style="three", fill_line=f"企业名称（盖章）：{co['name']}",
                         widths=[1.0, 5.6, 1.2, 2.3, 2.3, 3.0])
    para(tdoc, f"填表人：{co['contact']}　　　　　联系电话：159 7301 8462　　　　　2025年3月", size=10.5, indent=False)
    ctx.to_pdf(tdoc, root / pdf)
    write_atts(co, root, names, skip)
    vars_ = ["tbl_borderless_pdf", "narr_relative_period", "narr_approx", "tbl_waste_synonyms", "outline_merged",
             "tbl_header_containment", "date_formats", "narr_qizhong"]
    if variant == "clean":
        return entry(pkg, True, vars_, notes="Clean: 废钢铁 recycler (16.85万吨 ≥ 10); Word report (三+四 merged heading, "
                     "'报告期内' prose, '上年度…16.85万吨', a partial-year '本年度（2025年）1—2月…2.96万吨' sentence, "
                     "约/以上/近 figures, phone written '159 7301 8462'); 指标表 as separate PDF, borderless three-line "
                     "table headed 2023年 | 2024年, unit 10⁴t, waste rows '1．废钢铁（重废、中小型废钢、轻薄料）'.")
    return entry(pkg, False, vars_, expected=[
        {"rule": "CROSSDOC.FIGURE_MISMATCH", "keys": ["废钢", "14.92"], "file": rep, "severity": "error"},
        {"rule": "OUTLINE.SECTION_MISSING", "keys": ["存在问题"], "severity": "error"},
        {"rule": "ATTACHMENT.MISSING", "keys": ["营业执照"], "severity": "error"},
    ], notes="Twin of hnb13: '上年度，公司回收加工废钢14.92万吨' (that is the 2023 figure; 上年度 = 2024 = 16.85 in the "
             "PDF 指标表); section 五 (存在问题、主要经验和政策建议) left out; 营业执照 file missing though listed in 六.")


# --------------------------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------------------------
_ZIP_TIME = (2025, 3, 18, 9, 30, 0)


class _GbkZipInfo(zipfile.ZipInfo):
    """Member names in GBK without the UTF-8 flag, as Windows' built-in zip and WinRAR write them."""

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's own name)
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def write_zip(src: pathlib.Path, dest: pathlib.Path, gbk: bool):
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        dirs = sorted({p.parent for p in src.rglob("*") if p.is_file() and p.parent != src})
        for d in dirs:  # explicit folder entries, as desktop zippers write them
            arc = d.relative_to(src).as_posix() + "/"
            zi = (_GbkZipInfo if gbk else zipfile.ZipInfo)(arc, date_time=_ZIP_TIME)
            z.writestr(zi, b"")
        for f in sorted(p for p in src.rglob("*") if p.is_file()):
            arc = f.relative_to(src).as_posix()
            zi = (_GbkZipInfo if gbk else zipfile.ZipInfo)(arc, date_time=_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, f.read_bytes())


def convert_pdfs(ctx: Ctx):
    if not ctx.pdf_jobs:
        return
    outdir = ctx.tmp / "pdf_out"
    outdir.mkdir(exist_ok=True)
    profile = pathlib.Path(tempfile.mkdtemp(prefix=f"lo_hnbench_{os.getpid()}_"))
    try:
        cmd = ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
               "--convert-to", "pdf", "--outdir", str(outdir)] + [str(s) for s, _ in ctx.pdf_jobs]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    for src, final in ctx.pdf_jobs:
        produced = outdir / (src.stem + ".pdf")
        assert produced.exists(), produced
        final.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(produced), final)


_FIXED_ISO = b"2025-03-18T09:30:00Z"


def _normalize_ooxml(path: pathlib.Path):
    """Rewrite a .docx/.xlsx with fixed member times and fixed core-property dates (byte-stable output)."""

    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + _FIXED_ISO + rb"\g<3>",
                              data)
            zi = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)


def _normalize_pdf(path: pathlib.Path):
    """Same-length replacement of the clock-dependent parts of a PDF (dates, /ID), so xref offsets stay valid."""

    data = path.read_bytes()

    def fix_date(m):
        orig = m.group(2)
        new = (b"D:20250318093000" + orig[16:]) if len(orig) >= 16 else orig
        return m.group(1) + new + m.group(3)

    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\()([^)]*)(\))", fix_date, data)
    data = re.sub(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)([^<]*)(<)",
                  lambda m: m.group(1) + (b"2025-03-18T09:30:00" + m.group(2)[19:] if len(m.group(2)) >= 19 else m.group(2)) + m.group(3),
                  data)
    data = re.sub(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)",
                  lambda m: m.group(1) + b"0" * len(m.group(2)) + m.group(3) + b"0" * len(m.group(4)) + m.group(5), data)
    data = re.sub(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)", lambda m: m.group(1) + b"0" * len(m.group(2)), data)
    path.write_bytes(data)


def normalize_tree(root: pathlib.Path):
    for f in sorted(root.rglob("*")):
        if f.suffix.lower() in (".docx", ".xlsx"):
            _normalize_ooxml(f)
        elif f.suffix.lower() == ".pdf":
            _normalize_pdf(f)


PACKAGES = [
    ("hnb01_hongyue", pkg_hongyue, "clean"),
    ("hnb02_hongyue_b", pkg_hongyue, "sum"),
    ("hnb03_hongyue_c", pkg_hongyue, "misc"),
    ("hnb04_jinqiao", pkg_jinqiao, "clean"),
    ("hnb05_jinqiao_b", pkg_jinqiao, "defect"),
    ("hnb06_xiangli", pkg_xiangli, "clean"),
    ("hnb07_xiangli_b", pkg_xiangli, "defect"),
    ("hnb08_huaye", pkg_huaye, "clean"),
    ("hnb09_huaye_b", pkg_huaye, "sum"),
    ("hnb10_huaye_c", pkg_huaye, "balance"),
    ("hnb11_jinshi", pkg_jinshi, "clean"),
    ("hnb12_jinshi_b", pkg_jinshi, "defect"),
    ("hnb13_hengtong", pkg_hengtong, "clean"),
    ("hnb14_hengtong_b", pkg_hengtong, "defect"),
]


def build(out_dir: pathlib.Path) -> list[dict]:
    """Write every package under out_dir (a folder or a .zip per package) and return the manifest."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, _, _ in PACKAGES:
        for p in (out_dir / name, out_dir / f"{name}.zip"):
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
    manifest = []
    with tempfile.TemporaryDirectory(prefix="hnbench_") as tmp:
        ctx = Ctx(out_dir, pathlib.Path(tmp))
        for name, fn, variant in PACKAGES:
            manifest.append(fn(ctx, name, variant))
        convert_pdfs(ctx)
        for name, _, _ in PACKAGES:
            for root in (out_dir / name, ctx.tmp / name):
                if root.is_dir():
                    normalize_tree(root)
        for src, dest, gbk in ctx.zip_jobs:
            write_zip(src, dest, gbk)
    return manifest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python -m tests.variations.build_hn_benchmark OUT_DIR", file=sys.stderr)
        sys.exit(2)
    print(json.dumps(build(pathlib.Path(sys.argv[1])), ensure_ascii=False, indent=2))
