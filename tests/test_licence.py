"""营业执照 read from any layout (extractor/forms/licence.py), and what a scanned reading may
decide: a licence naming another company is an error; a reading OCR may have got wrong is a
warning (checkers/tolerance.py OCR_*)."""

from __future__ import annotations

from datetime import date

from extractor.forms.base import Identity
from extractor.forms.licence import find_licences
from extractor.model import Block, Cell, Document, Location, Table
from tests.rule_helpers import check, form

VALID = "91420100MA4K4XQX0F"  # GB 32100 check character computed for this body


def ocr_page(path: str, lines: list[str], confidence: float = 0.98, page: int = 1) -> Document:
    blocks = [
        Block(kind="paragraph", text=t, loc=Location(file=path, page=page, paragraph=i + 1), confidence=confidence)
        for i, t in enumerate(lines)
    ]
    return Document(path=path, type="image", sha256="0" * 64, blocks=blocks, has_text_layer=False)


NEW_STYLE = [
    "营 业 执 照",
    "（副 本）",
    "统一社会信用代码 91420100 MA4K4XQX0F",
    "名 称 湖北金山环保科技有限公司      注册资本 壹仟万圆整",
    "类 型 有限责任公司（自然人投资或控股）    成立日期 2015年03月18日",
    "法定代表人 张三        营业期限 2015年03月18日至长期",
    "经营范围 工业固体废物综合利用；建筑材料生产、销售。",
    "住 所 武汉市江夏区庙山开发区88号",
    "登记机关 2023年05月10日",
]


def test_new_style_licence_from_ocr_rows():
    (lic,) = find_licences([ocr_page("营业执照.jpg", NEW_STYLE, 0.97)])
    assert lic.value("name") == "湖北金山环保科技有限公司"
    assert lic.credit_code == "91420100MA4K4XQX0F"
    assert lic.value("capital") == "壹仟万圆整" and lic.value("legal_rep") == "张三"
    assert lic.value("type") == "有限责任公司（自然人投资或控股）"
    assert lic.established == date(2015, 3, 18)
    assert lic.value("address") == "武汉市江夏区庙山开发区88号"
    assert lic.fields["name"].loc.paragraph == 4 and lic.fields["name"].confidence == 0.97
    # the 登记机关 is named inside its red seal, which OCR does not read: a date is no authority
    assert lic.value("authority") is None
    (typed,) = find_licences([ocr_page("营业执照.jpg", [*NEW_STYLE[:-1], "登记机关 武汉市江夏区市场监督管理局"])])
    assert typed.value("authority") == "武汉市江夏区市场监督管理局"


def test_old_style_licence_with_registration_number_in_a_word_table():
    # typed into a two-column table, labels with full-width spaces, 注册号 instead of the code
    rows = [["营业执照"], ["注册号", "420100000123456"], ["名　　称", "武汉市青山区某某建材厂"],
            ["住　　所", "武汉市青山区工业路1号"], ["负 责 人", "李四"], ["成立日期", "2008年6月1日"],
            ["经营范围", "粉煤灰砖生产"]]
    table = Table(index=1, loc=Location(file="执照.docx", table=1), rows=[
        [Cell(text=t, row=i + 1, col=j + 1, loc=Location(file="执照.docx", table=1, row=i + 1, column=j + 1))
         for j, t in enumerate(r)] for i, r in enumerate(rows)])
    doc = Document(path="执照.docx", type="docx", sha256="0" * 64,
                   blocks=[Block(kind="heading", text="营业执照", loc=Location(file="执照.docx", paragraph=1)),
                           Block(kind="table", table=table, loc=Location(file="执照.docx", table=1))])
    (lic,) = find_licences([doc])
    assert lic.value("name") == "武汉市青山区某某建材厂" and lic.credit_code == "420100000123456"
    assert lic.value("legal_rep") == "李四" and lic.established == date(2008, 6, 1)
    assert lic.fields["name"].confidence is None  # the file's own text


def test_a_report_listing_the_licence_is_not_a_licence():
    lines = ["十、附件", "1. 营业执照", "名称：湖北金山环保科技有限公司", "类型：见营业执照",
             "法定代表人：张三", "成立日期：2015年3月18日", "住所：武汉市"] + ["正文段落。" * 60] * 10
    assert find_licences([ocr_page("报告.pdf", lines)]) == []
    # a short page whose title line is not 营业执照 either
    assert find_licences([ocr_page("说明.pdf", ["关于营业执照的说明", *NEW_STYLE[2:]])]) == []


def test_a_scanned_licence_whose_red_title_was_not_read_is_one_by_its_labels():
    (lic,) = find_licences([ocr_page("申报材料.pdf", NEW_STYLE[1:], page=9)])
    assert lic.page == 9 and lic.value("name") == "湖北金山环保科技有限公司"
    # typed text without the title, or a scan showing only a few of the labels, is not one
    typed = ocr_page("表.pdf", NEW_STYLE[1:])
    typed.blocks = [b.model_copy(update={"confidence": None}) for b in typed.blocks]
    assert find_licences([typed]) == []
    assert find_licences([ocr_page("表.pdf", [NEW_STYLE[2], NEW_STYLE[3], NEW_STYLE[5]])]) == []


def ident(value: str, kind: str = "company_name", confidence: float | None = None, file: str = "附件1.xlsx",
          source: str = "basic_info") -> Identity:
    return Identity(kind=kind, value=value, loc=Location(file=file, paragraph=1), source=source, confidence=confidence)


def test_licence_naming_another_company_read_with_confidence_is_an_error():
    fr = form(identities=[ident("湖北金山环保科技有限公司"),
                          ident("武汉长江建材有限公司", confidence=0.99, file="营业执照.jpg", source="business_license")])
    (f,) = check("IDENTITY.NAME_MISMATCH", fr)
    assert f.severity == "error" and "存疑" not in f.message


def test_one_character_apart_on_a_scan_is_a_warning():
    fr = form(identities=[ident("湖北金山环保科技有限公司"),
                          ident("湖北金山环保科枝有限公司", confidence=0.99, file="营业执照.jpg", source="business_license")])
    (f,) = check("IDENTITY.NAME_MISMATCH", fr)
    assert f.severity == "warning" and "扫描件识别存疑，请核对原件" in f.message


def test_low_confidence_reading_is_a_warning_however_different():
    fr = form(identities=[ident("湖北金山环保科技有限公司"),
                          ident("武汉长江建材有限公司", confidence=0.80, file="营业执照.jpg", source="business_license")])
    (f,) = check("IDENTITY.NAME_MISMATCH", fr)
    assert f.severity == "warning"


def test_invalid_code_read_only_from_a_scan_is_a_warning_and_typed_it_is_an_error():
    bad = VALID[:-1] + ("1" if VALID[-1] != "1" else "2")
    scanned = check("ID.USCC_INVALID", form(identities=[ident(bad, "credit_code", 0.99, "营业执照.jpg", "business_license")]))
    assert [f.severity for f in scanned] == ["warning"] and "存疑" in scanned[0].message
    typed = check("ID.USCC_INVALID", form(identities=[ident(bad, "credit_code")]))
    assert [f.severity for f in typed] == ["error"]


def test_licence_identities_take_part_in_the_package_comparison():
    from extractor.forms.extract import extract_form

    report = Document(path="报告.docx", type="docx", sha256="0" * 64, blocks=[
        Block(kind="paragraph", text="企业名称：湖北金山环保科技有限公司", loc=Location(file="报告.docx", paragraph=1)),
        Block(kind="paragraph", text="统一社会信用代码：91420100MA4K4XQX0F", loc=Location(file="报告.docx", paragraph=2)),
    ])
    licence = ocr_page("营业执照.jpg", [l.replace("湖北金山环保科技有限公司", "武汉长江建材有限公司") for l in NEW_STYLE])
    res = extract_form([report, licence], form_hint="hb_evaluation")
    found = {(i.source, i.value, i.confidence) for i in res.identities if i.loc and i.loc.file == "营业执照.jpg"}
    assert ("business_license", "武汉长江建材有限公司", 0.98) in found
    assert res.licences and res.licences[0].value("name") == "武汉长江建材有限公司"


def test_any_blocking_finding_on_a_doubtful_scan_reading_becomes_a_warning():
    from checkers.finding import Finding
    from checkers.run import doubt_scanned_readings, doubtful_places
    from extractor.model import Location as L

    scan = ocr_page("附件3.jpg", ["合计 36.5 万吨", "粉煤灰 12.6 万吨"], confidence=0.70)
    sure = ocr_page("附件3b.jpg", ["合计 36.5 万吨"], confidence=0.99)
    doubtful = doubtful_places([scan, sure])
    on_scan = Finding(rule="SUM.TOTAL_MISMATCH", severity="error", message="合计不符",
                      locations=[L(file="报告.docx", paragraph=3), L(file="附件3.jpg", page=1, paragraph=1)])
    out = doubt_scanned_readings(on_scan, doubtful)
    assert out.severity == "warning" and out.message == "合计不符（扫描件识别存疑，请核对原件）"
    assert out.id == on_scan.id  # a reviewer's mark stays with it
    on_sure = on_scan.model_copy(update={"locations": [L(file="附件3b.jpg", page=1, paragraph=1)]})
    assert doubt_scanned_readings(on_sure, doubtful).severity == "error"
    typed = on_scan.model_copy(update={"locations": [L(file="报告.docx", paragraph=3)]})
    assert doubt_scanned_readings(typed, doubtful).severity == "error"


def test_a_blocking_finding_on_a_doubtful_scanned_table_cell_becomes_a_warning():
    from checkers.finding import Finding
    from checkers.run import doubt_scanned_readings, doubtful_places
    from extractor.model import Location as L

    def cell(row, col, text, confidence):
        return Cell(text=text, row=row, col=col, confidence=confidence,
                    loc=L(file="附件3.pdf", page=2, table=1, row=row, column=col))

    table = Table(index=1, loc=L(file="附件3.pdf", page=2, table=1),
                  rows=[[cell(1, 1, "合计", 0.99), cell(1, 2, "36.5", 0.62)], [cell(2, 1, "粉煤灰", 0.99), cell(2, 2, "12.6", 0.99)]])
    scan = Document(path="附件3.pdf", type="pdf", sha256="0" * 64,
                    blocks=[Block(kind="table", table=table, loc=L(file="附件3.pdf", page=2, table=1))])
    doubtful = doubtful_places([scan])
    total = Finding(rule="SUM.TOTAL_MISMATCH", severity="error", message="合计不符",
                    locations=[L(file="附件3.pdf", page=2, table=1, row=1, column=2)])
    assert doubt_scanned_readings(total, doubtful).severity == "warning"
    item = total.model_copy(update={"locations": [L(file="附件3.pdf", page=2, table=1, row=2, column=2)]})
    assert doubt_scanned_readings(item, doubtful).severity == "error"


def test_a_scanned_pdf_read_by_ocr_says_so():
    from tests.rule_helpers import check

    blocks = [Block(kind="paragraph", text="合计 36.5 万吨", loc=Location(file="附件3.pdf", page=1, paragraph=1), confidence=0.99)]
    scanned = Document(path="附件3.pdf", type="pdf", sha256="0" * 64, pages=1, has_text_layer=False, blocks=blocks)
    unread = Document(path="执照.pdf", type="pdf", sha256="0" * 64, pages=1, has_text_layer=False)
    messages = {f.locations[0].file: f.message for f in check("FILE.NO_TEXT_LAYER", form(), [scanned, unread])}
    assert "已由 OCR 识别并参与核对" in messages["附件3.pdf"] and "未能直接核对" in messages["执照.pdf"]


def test_each_applicants_licence_joins_its_applicants_group():
    """A batch of several applicants: a licence in an applicant's folder, or one naming an
    applicant wherever it lies, is that applicant's, not a second name of the package."""
    from extractor.forms.base import FormResult
    from extractor.forms.extract import _folders_join_their_group
    from extractor.forms.licence import Licence, LicenceField

    res = FormResult(form="hn_green_mfg", identity_groups={
        "01 甲公司/方案.docx": "甲公司", "02 乙公司/方案.docx": "乙公司", "汇总表.xlsx": "申报汇总表"})
    name = LicenceField(name="name", title="名称", text="乙公司", loc=Location(file="证明材料/执照2.jpg"))
    res.licences = [Licence(file="证明材料/执照2.jpg", fields={"name": name})]
    docs = [Document(path=p, type="image", sha256="0" * 64)
            for p in ("01 甲公司/营业执照.jpg", "证明材料/执照2.jpg", "证明材料/其他.jpg")]
    _folders_join_their_group(res, docs)
    assert res.identity_groups["01 甲公司/营业执照.jpg"] == "甲公司"
    assert res.identity_groups["证明材料/执照2.jpg"] == "乙公司"
    assert "证明材料/其他.jpg" not in res.identity_groups
