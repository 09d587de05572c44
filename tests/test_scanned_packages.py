"""Scanned packages end to end, with the real recogniser: a file of a sample package is replaced by
a scan of it drawn here by hand (PIL, not the generator: a table with its own column widths,
wrapped headers, a tilt, blur and JPEG), in a clean and a defective version.

A scan must feed the rules exactly as the file it replaces: the clean scan leaves the package's
blocking findings as they were with the original file, and the defect drawn into the scan is
found, located on the scan (file, page, box).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter

from service.review.pipeline import review_package
from tests.test_seals import font, mm

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
A4 = (1654, 2339)  # 200 dpi
BLOCKING = ("error", "veto")


@pytest.fixture(autouse=True)
def _ocr_on(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("SHENCHA_OCR", "on")
    # one cache for the module: a page drawn twice (the licence of a sample) is recognised once
    monkeypatch.setenv("SHENCHA_OCR_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "ocr-cache"))


def _wrapped(text: str, width: float, f) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if line and f.getlength(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines or [""]


def table_scan(title: list[str], rows: list[list[str]], widths_mm: list[float], *, ruled: bool = True,
               tilt: float = 0.6, footer: list[str] = ()) -> bytes:
    """A page with `title` lines, then `rows` as a table (ruled, or aligned in columns only),
    printed at 10.5 pt and scanned: turned `tilt` degrees, blurred, JPEG at quality 75."""
    page = Image.new("RGB", A4, (250, 249, 245))
    d = ImageDraw.Draw(page)
    f, ft = font(mm(3.7)), font(mm(5.5))
    y = mm(25)
    for k, line in enumerate(title):
        d.text((A4[0] / 2 if k == 0 else mm(20), y), line, font=ft if k == 0 else f, fill="black",
               anchor="ma" if k == 0 else "la")
        y += mm(10 if k == 0 else 7)
    y += mm(3)
    x0 = mm(18)
    xs = [x0]
    for w in widths_mm:
        xs.append(xs[-1] + mm(w))
    for row in rows:
        cells = [_wrapped(text, xs[c + 1] - xs[c] - mm(2.4), f) for c, text in enumerate(row)]
        height = max(len(c) for c in cells) * mm(4.6) + mm(3.6)
        for c, lines in enumerate(cells):
            for k, line in enumerate(lines):
                d.text((xs[c] + mm(1.2), y + mm(1.8) + k * mm(4.6)), line, font=f, fill=(20, 20, 20))
        if ruled:
            d.line((xs[0], y, xs[-1], y), fill="black", width=3)
            for x in xs:
                d.line((x, y, x, y + height), fill="black", width=3)
        y += height
    if ruled:
        d.line((xs[0], y, xs[-1], y), fill="black", width=3)
    y += mm(6)
    for line in footer:
        d.text((mm(20), y), line, font=f, fill="black")
        y += mm(7)
    scanned = page.rotate(tilt, resample=Image.BICUBIC, expand=False, fillcolor=(250, 249, 245))
    scanned = scanned.filter(ImageFilter.GaussianBlur(0.7))
    out = io.BytesIO()
    scanned.save(out, "JPEG", quality=75, dpi=(200, 200))
    return out.getvalue()


def review_with(tmp_path: Path, sample: str, keep: list[str] | None, replace: dict[str, tuple[str, bytes] | None]):
    """The sample package (only the files `keep`, or all) with files replaced, {old name: (new
    name, bytes)}, or removed, {old name: None}."""
    folder = tmp_path / sample
    shutil.copytree(SAMPLES / sample, folder)
    if keep is not None:
        for p in folder.iterdir():
            if p.name not in keep:
                p.unlink()
    for old, new in replace.items():
        (folder / old).unlink()
        if new is not None:
            (folder / new[0]).write_bytes(new[1])
    return review_package(folder)


def blocking(review) -> set[tuple[str, str]]:
    return {(f.rule, f.message) for f in review.findings if f.severity in BLOCKING}


# ---------------------------------------------------------------- 湖北 附件3 年报表, scanned

ANNUAL_TITLE = ["湖北省工业固体废物资源综合利用情况年报表（2025年）", "填报单位名称：襄阳金鼎热电股份有限公司"]
ANNUAL_WIDTHS = [11, 27, 28, 30, 27, 25, 16]
ANNUAL_FOOTER = ["审核人：冯建国      填报人：李磊      联系电话：13072752243", "填报日期：2026年3月10日"]


def annual_rows(total_generated: str = "861705.51") -> list[list[str]]:
    return [
        ["序号", "工业固体废物名称", "本年产生量(吨)", "本年综合利用量(吨)", "综合利用产值(万元)", "综合利用率(%)", "备注"],
        ["1", "粉煤灰", "391089.17", "339840.32", "3134.48", "86.90", ""],
        ["2", "脱硫石膏", "470616.34", "424765.14", "2486.69", "90.26", ""],
        ["", "合计", total_generated, "764605.46", "5621.17", "88.73", ""],
    ]


ANNUAL_DOCX = "附件3 工业固体废物资源综合利用情况年报表.docx"
ANNUAL_SCAN = "附件3 年报表（扫描件）.jpg"


@pytest.fixture(scope="module")
def annual_baseline(tmp_path_factory):
    return review_package(SAMPLES / "hb_eval_04")


def test_scanned_annual_table_checks_as_the_word_one(tmp_path, annual_baseline):
    scan = table_scan(["附件3", *ANNUAL_TITLE], annual_rows(), ANNUAL_WIDTHS, footer=ANNUAL_FOOTER)
    review = review_with(tmp_path, "hb_eval_04", None, {ANNUAL_DOCX: (ANNUAL_SCAN, scan)})
    assert blocking(review) == blocking(annual_baseline)
    read = [b for d in review.documents if d.path == ANNUAL_SCAN for b in d.blocks if b.kind == "table"]
    assert read and any("合计" in c.text for r in read[0].table.rows for c in r)


def test_scanned_annual_table_with_a_wrong_total_is_found_on_the_scan(tmp_path):
    scan = table_scan(["附件3", *ANNUAL_TITLE], annual_rows(total_generated="881705.51"), ANNUAL_WIDTHS,
                      footer=ANNUAL_FOOTER, tilt=-0.8)
    review = review_with(tmp_path, "hb_eval_04", None, {ANNUAL_DOCX: (ANNUAL_SCAN, scan)})
    sums = [f for f in review.findings if f.rule == "SUM.TOTAL_MISMATCH"]
    assert sums, [(f.rule, f.message) for f in review.findings]
    (f,) = sums
    assert "881705.51" in f.message
    on_scan = [loc for loc in f.locations if loc.file == ANNUAL_SCAN]
    assert on_scan and on_scan[0].page == 1 and on_scan[0].box is not None


# ---------------------------------------------------------------- 湖北 agency: roster and 社保 statement, scanned

AGENCY = "hb_agency_04"
AGENCY_FILES = ["01 申请报告.docx", "02 附件5 评价机构申请表.xlsx", "03 专职人员花名册.xlsx", "04 社保缴纳明细.xlsx",
                "05 近三年业绩合同清单.xlsx", "07 真实性声明.docx"]
UNIT = "鄂州金鼎资源评价咨询有限责任公司"
PEOPLE = [  # 姓名, 性别, 岗位, 入职, 身份证号, 起始
    ("杨德胜", "男", "评价工程师", "2022.04", "420607198407031653", "202204"),
    ("李洋", "男", "技术员", "2022.04", "42030319741112301X", "202204"),
    ("宋海燕", "男", "技术负责人", "2019.08", "421003197701132672", "201908"),
    ("萧志强", "男", "评价员", "2022.05", "420303199705276934", "202205"),
    ("郑勇", "男", "技术负责人", "2017.07", "420902198308178793", "201707"),
    ("郭磊", "男", "评价工程师", "2017.01", "420505199508277675", "201701"),
    ("萧伟", "女", "评价员", "2020.03", "420116199007222462", "202003"),
    ("傅涛", "男", "评价工程师", "2016.07", "420116198802266830", "201607"),
    ("傅勇", "女", "质量负责人", "2025.09", "420607199710098505", "202509"),
    ("傅立新", "男", "项目经理", "2023.11", "420902199103133174", "202311"),
    ("谢伟", "女", "技术员", "2024.09", "420703199808163168", "202409"),
    ("郭志强", "男", "评价员", "2017.03", "420116197006183714", "201703"),
]


def roster_scan(leave_out: str | None = None) -> bytes:
    rows = [["序号", "姓名", "性别", "岗位", "入职时间", "社保缴纳起止时间", "是否全职"]]
    for name, sex, post, hired, _id, _start in PEOPLE:
        if name != leave_out:
            rows.append([str(len(rows)), name, sex, post, hired, f"{hired}-至今", "全职"])
    return table_scan([f"{UNIT}专职人员花名册", f"单位名称（盖章）：{UNIT}"], rows, [12, 22, 14, 30, 24, 42, 20])


def statement_scan() -> bytes:
    """As the 社保 system prints it: no rules, columns aligned."""
    rows = [["序号", "姓名", "公民身份号码", "险种", "缴费起始年月", "缴费截止年月", "缴费状态"]]
    for k, (name, _sex, _post, _hired, number, start) in enumerate(PEOPLE, 1):
        rows.append([str(k), name, number, "养老、医疗、失业、工伤", start, "202602", "正常缴费"])
    return table_scan(["鄂州市社会保险单位参保人员缴费明细", f"单位名称：{UNIT}", "单位编号：MA50WFFC5    打印日期：2026-03-17"],
                      rows, [11, 18, 46, 44, 23, 23, 20], ruled=False, tilt=-0.5)


@pytest.fixture(scope="module")
def agency_baseline(tmp_path_factory):
    return review_with(tmp_path_factory.mktemp("agency"), AGENCY, AGENCY_FILES, {})


def test_scanned_roster_and_statement_check_as_the_spreadsheets(tmp_path, agency_baseline):
    review = review_with(tmp_path, AGENCY, AGENCY_FILES, {
        "03 专职人员花名册.xlsx": ("03 专职人员花名册.jpg", roster_scan()),
        "04 社保缴纳明细.xlsx": ("04 社保缴纳明细.jpg", statement_scan()),
    })
    assert blocking(review) == blocking(agency_baseline)


def test_scanned_roster_missing_a_person_is_found(tmp_path, agency_baseline):
    """The person left out is named; the roster's count differs for certain (an error).  Whether
    the person named is the one missing can be in doubt when another name on the scan was read
    doubtfully (any of them may be the missing one): then that finding says so, as a warning."""
    review = review_with(tmp_path, AGENCY, AGENCY_FILES, {
        "03 专职人员花名册.xlsx": ("03 专职人员花名册.jpg", roster_scan(leave_out="傅立新")),
    })
    named = [f for f in review.findings if f.rule == "ROSTER.NOT_ON_ROSTER" and "傅立新" in f.message]
    assert named, [(f.rule, f.message) for f in review.findings]
    assert all(f.severity == "error" or "识别存疑" in f.message for f in named)
    (count,) = [f for f in review.findings if f.rule == "HEADCOUNT.MISMATCH"]
    assert count.severity == "error" and "专职人员花名册 11 人" in count.message
    new = blocking(review) - blocking(agency_baseline)
    assert {rule for rule, _ in new} <= {"ROSTER.NOT_ON_ROSTER", "HEADCOUNT.MISMATCH"}, new


# ---------------------------------------------------------------- one merged PDF: report, scanned 附件3, licence

REPORT_PDF = "襄阳金鼎热电股份有限公司工业固废资源综合利用评价报告.pdf"


def image_page_pdf(jpeg: bytes, dpi: float = 200) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.open(io.BytesIO(jpeg))
    size = (img.width * 72 / dpi, img.height * 72 / dpi)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=size)
    c.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, width=size[0], height=size[1])
    c.showPage()
    c.save()
    return out.getvalue()


def merged_pdf(parts: list[bytes]) -> bytes:
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    for data in parts:
        merged.import_pages(pdfium.PdfDocument(data))
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


@pytest.mark.parametrize("total, defect", [("861705.51", False), ("881705.51", True)])
def test_one_merged_pdf_is_split_into_its_parts_scanned_or_not(tmp_path, annual_baseline, total, defect):
    """The report (text pages), the 附件3 (a scan) and the licence (a photocopy) bound in one
    PDF: each part is found by its content, given its role and checked as the separate file."""
    sample = SAMPLES / "hb_eval_04"
    annual = table_scan(["附件3", *ANNUAL_TITLE], annual_rows(total_generated=total), ANNUAL_WIDTHS, footer=ANNUAL_FOOTER)
    data = merged_pdf([(sample / REPORT_PDF).read_bytes(), image_page_pdf(annual),
                       image_page_pdf((sample / "营业执照.jpg").read_bytes())])
    review = review_with(tmp_path, "hb_eval_04", None, {
        REPORT_PDF: ("申报材料（合订本）.pdf", data), ANNUAL_DOCX: None, "营业执照.jpg": None})
    (doc,) = [d for d in review.documents if d.path == "申报材料（合订本）.pdf"]
    pages = doc.pages
    (roles,) = [fr.roles for fr in review.form.file_roles if fr.path == "申报材料（合订本）.pdf"]
    assert {"report", "annual_report"} <= set(roles)
    (licence,) = review.form.licences
    assert licence.page == pages and licence.value("name") == "襄阳金鼎热电股份有限公司"
    if not defect:
        assert blocking(review) == blocking(annual_baseline)
        return
    (f,) = [f for f in review.findings if f.rule == "SUM.TOTAL_MISMATCH"]
    assert any(loc.file == "申报材料（合订本）.pdf" and loc.page == pages - 1 and loc.box for loc in f.locations)


# ---------------------------------------------------------------- a licence naming another company, photocopied

def licence_copy(name: str) -> bytes:
    """A photocopy of a licence, drawn here: black text only (the red title and seal of the
    original do not survive a black-and-white copy), a tilt, blur and JPEG."""
    page = Image.new("RGB", A4, (246, 246, 243))
    d = ImageDraw.Draw(page)
    f, big = font(mm(4.2)), font(mm(9))
    d.text((A4[0] / 2, mm(40)), "营 业 执 照", font=big, fill="black", anchor="ma")
    lines = ["统一社会信用代码  914206074715070274", f"名      称  {name}", "类      型  有限责任公司（自然人投资或控股）",
             "法定代表人  冯建国", "注册资本  壹亿贰仟万圆整", "成立日期  2013年09月02日", "营业期限  2013年09月02日至长期",
             "住      所  湖北省襄阳市襄州区兴业大道35号", "经营范围  商品粉煤灰、脱硫石膏粉的生产与销售"]
    for k, line in enumerate(lines):
        d.text((mm(30), mm(65) + k * mm(11)), line, font=f, fill=(25, 25, 25))
    scanned = page.rotate(-0.7, resample=Image.BICUBIC, fillcolor=(246, 246, 243)).filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    scanned.save(out, "JPEG", quality=78, dpi=(200, 200))
    return out.getvalue()


@pytest.mark.parametrize("name, mismatch", [("襄阳金鼎热电股份有限公司", False), ("襄阳华能建材有限公司", True)])
def test_a_licence_copy_naming_another_company_is_an_error(tmp_path, annual_baseline, name, mismatch):
    review = review_with(tmp_path, "hb_eval_04", None, {"营业执照.jpg": ("营业执照复印件.jpg", licence_copy(name))})
    (licence,) = review.form.licences
    assert licence.value("name") == name and licence.credit_code == "914206074715070274"
    found = [f for f in review.findings if f.rule == "IDENTITY.NAME_MISMATCH"]
    if not mismatch:
        assert blocking(review) == blocking(annual_baseline)
        return
    assert any(f.severity == "error" and name in f.message for f in found), [(f.severity, f.message) for f in found]
    assert any(loc.file == "营业执照复印件.jpg" and loc.box for f in found for loc in f.locations)


@pytest.mark.parametrize("turn", [Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270])
def test_a_landscape_table_scanned_turned_a_quarter_is_read_upright(tmp_path, annual_baseline, turn):
    scan = Image.open(io.BytesIO(table_scan(["附件3", *ANNUAL_TITLE], annual_rows(), ANNUAL_WIDTHS,
                                            footer=ANNUAL_FOOTER))).transpose(turn)
    out = io.BytesIO()
    scan.save(out, "JPEG", quality=80, dpi=(200, 200))
    review = review_with(tmp_path, "hb_eval_04", None, {ANNUAL_DOCX: (ANNUAL_SCAN, out.getvalue())})
    assert blocking(review) == blocking(annual_baseline)
    (doc,) = [d for d in review.documents if d.path == ANNUAL_SCAN]
    assert any("已转正" in w for w in doc.warnings)
    (table,) = [b.table for b in doc.blocks if b.kind == "table"]
    assert [c.text for c in table.rows[-1]][1:3] == ["合计", "861705.51"]
