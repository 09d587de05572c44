"""hb_agency (湖北评价机构申请): extraction from a hand-built package laid out unlike the
generator's (label/value 申请表 in two columns, other column names and order, a roster with
real date cells, full-width ID digits and spaced names, a statement with the unit per row, a
contract list without a type column), the checks on it, the 附件6 score table, and the
GB 11643 ID-number rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from stdnum.cn import ric

from checkers.rules.agency import birth_date, resident_id_problem
from checkers.run import run_checks
from extractor.forms.extract import extract_form
from extractor.dates import parse_dates
from extractor.forms.hb_agency import (
    HbAgency,
    parse_staff_counts,
    person_key,
)
from tests.fixtures_build import docx_bytes, xlsx_bytes
from tests.form_fixtures import VALID_USCC, as_document, table

AGENCY = "武汉江城循环经济技术咨询有限公司"


def rid(area: str, birth: str, seq: str = "123") -> str:
    body = f"{area}{birth}{seq}"
    return body + ric.calc_check_digit(body + "0")


# name, age as written, 学历, 职称, 所学专业, 从事专业, 服务年限, birth, hired, 是否专职, 缴费状态
PEOPLE = [
    ("欧阳明", "52岁", "硕士", "高级工程师", "环境工程", "固废评价", "15", "19731105", dt.datetime(2012, 4, 1), "专职", "参保缴费"),
    ("王芳", "42岁", "本科", "高级会计师", "会计学", "财务审核", "12", "19840220", dt.datetime(2016, 7, 1), "专职", "参保缴费"),
    ("李强", "38岁", "本科", "工程师", "材料工程", "建材评价", "8", "19870915", dt.datetime(2019, 3, 1), "专职", "参保缴费"),
    ("张伟", "35岁", "硕士", "工程师", "冶金工程", "冶金渣评价", "6", "19900601", dt.datetime(2021, 9, 1), "专职", "暂停缴费"),
    ("刘洋", "34岁", "本科", "高级工程师", "化学工程", "工艺评价", "7", "19920310", dt.datetime(2018, 1, 1), "专职", "参保缴费"),
    ("陈静", "29岁", "本科", "助理工程师", "环境科学", "环境咨询", "3", "19961201", dt.datetime(2023, 2, 1), "专职", "参保缴费"),
    ("赵磊", "31岁", "本科", "工程师", "给排水工程", "环境咨询", "5", "19940718", dt.datetime(2020, 5, 1), "专职", "参保缴费"),
    # stated age 30 for someone born 1989: the ID says 36 at the application date
    ("孙敏", "30岁", "大专", "助理工程师", "矿物加工", "尾矿评价", "2", "19890404", dt.datetime(2024, 6, 1), "专职", "参保缴费"),
]
PART_TIMER = ("周涛", "19800808", dt.datetime(2022, 1, 1))
IDS = {name: rid("420106" if i % 2 else "990101", birth, f"{100 + i}") for i, (name, *_, birth, _h, _f, _s) in enumerate(PEOPLE)}
IDS[PART_TIMER[0]] = rid("420106", PART_TIMER[1], "321")
BAD_ID = IDS["李强"][:-1] + ("0" if IDS["李强"][-1] != "0" else "1")


def application_docx() -> bytes:
    def build(d):
        d.add_paragraph("附件5")
        d.add_paragraph("湖北省工业固体废物资源综合利用评价机构申请表")
        d.add_paragraph(f"申请单位（公章）：{AGENCY}")
        d.add_paragraph("申请日期：2026年3月18日")
        d.add_paragraph("一、单位基本情况")
        table(d, [
            ["单位全称", AGENCY], ["统一社会信用代码", VALID_USCC], ["注册地址", "武汉市洪山区珞喻路88号"],
            ["注册时间", "2014年5月6日"], ["注册资金", "500万元"], ["资产总额", "1260万元"],
            ["通信地址", "武汉市洪山区珞喻路88号"], ["邮箱", "jc_zx@163.com"], ["法定代表人", "黄建国"],
            ["电话", "027-87654321"], ["联系人", "陈静"], ["联系方式", "13807123456"], ["员工总数", "9人"],
            ["工作场所面积", "320平方米"], ["专业技术人员情况", "共8名，其中高级职称3名，中级职称3名，初级职称2名"],
        ])
        d.add_paragraph("二、专业技术人员名单")
        rows = [["序号", "姓名", "年龄", "最高学历", "专业技术职称", "毕业专业", "现从事专业", "服务年限", "近三年业绩"]]
        for i, (name, age, edu, title, major, spec, years, *_rest) in enumerate(PEOPLE, 1):
            rows.append([str(i), name, age, edu, title, major, spec, f"{years}年", "参与评价项目3项"])
        table(d, rows)
        d.add_paragraph("注：只填写评价机构本单位人员。")
    return docx_bytes(build)


def roster_xlsx() -> bytes:
    def build(wb):
        ws = wb.active
        ws.title = "人员"
        ws.append([f"{AGENCY} 专职人员花名册"])
        ws.append(["序号", "姓名", "公民身份号码", "性别", "部门及岗位", "入职日期", "社保起止时间", "是否专职"])
        for i, (name, *_r, birth, hired, full, _s) in enumerate(PEOPLE, 1):
            shown = "欧阳 明" if name == "欧阳明" else name
            number = BAD_ID if name == "李强" else IDS[name]
            if name == "王芳":  # full-width digits typed by a filer
                number = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
            ws.append([i, shown, number, "男", "评价部", hired, f"{hired:%Y/%m}至今", full])
        ws.append([9, PART_TIMER[0], IDS[PART_TIMER[0]], "男", "专家", PART_TIMER[2], "2022/01至今", "兼职"])
        for row in ws.iter_rows(min_row=3, min_col=6, max_col=6):
            row[0].number_format = "yyyy-mm-dd"
    return xlsx_bytes(build)


def statement_xlsx() -> bytes:
    def build(wb):
        ws = wb.active
        ws.append(["社会保险参保缴费明细表"])
        ws.append(["单位名称", "姓名", "身份证号码", "参保险种", "参保状态"])
        for name, *_r, status in PEOPLE:
            number = BAD_ID if name == "李强" else IDS[name]
            ws.append([AGENCY, name, number, "养老、医疗、失业、工伤", status])
        ws.append([AGENCY, PART_TIMER[0], IDS[PART_TIMER[0]], "养老、医疗", "参保缴费"])
    return xlsx_bytes(build)


CONTRACTS = [
    # 合同名称, 甲方, 签订日期, 金额
    ("湖北某建材公司粉煤灰综合利用评价服务", "湖北宏达建材有限公司", "2019年6月"),
    ("某化工公司排污许可申报咨询", "湖北天成化工有限公司", "2021年3月"),
    ("磷石膏资源综合利用情况调研", "湖北省经济和信息化厅", "2023年5月"),
    ("某钢铁公司绿色工厂评价", "湖北鄂钢特钢有限公司", "2024年8月"),
    ("某水泥公司环境影响评价咨询", "湖北亚东水泥有限公司", "2025年2月"),
    ("某企业工程造价咨询", "武汉城建开发有限公司", "2025年9月"),
]


def contracts_docx() -> bytes:
    def build(d):
        d.add_paragraph("近三年主要业绩一览表")
        rows = [["序号", "合同名称", "甲方", "签订日期", "金额（万元）"]]
        for i, (name, client, when) in enumerate(CONTRACTS, 1):
            rows.append([str(i), name, client, when, "12.5"])
        table(d, rows)
    return docx_bytes(build)


def report_docx() -> bytes:
    def build(d):
        d.add_paragraph("关于申请湖北省工业固体废物资源综合利用评价机构的申请报告")
        for head, body in [("第一部分 机构概况", f"{AGENCY}成立于2014年。"),
                           ("第二部分 人员及技术能力", "公司现有专职技术人员8人。"),
                           ("第三部分 主要业绩", "近三年完成评价咨询项目多项。"),
                           ("第四部分 业务发展规划", "聚焦工业固废资源综合利用评价。")]:
            d.add_heading(head, level=1)
            d.add_paragraph(body)
    return docx_bytes(build)


@pytest.fixture(scope="module")
def reviewed():
    docs = [
        as_document("申请报告.docx", report_docx()),
        as_document("申请表.docx", application_docx()),
        as_document("人员花名册.xlsx", roster_xlsx()),
        as_document("参保明细.xlsx", statement_xlsx()),
        as_document("业绩一览表.docx", contracts_docx()),
    ]
    form = extract_form(docs)
    return docs, form, run_checks(docs, form)


def test_form_and_parts_detected(reviewed):
    _, form, _ = reviewed
    assert form.form == "hb_agency"
    roles = {fr.path: fr.roles for fr in form.file_roles}
    assert "application_form" in roles["申请表.docx"]
    assert "roster" in roles["人员花名册.xlsx"]
    assert "insurance" in roles["参保明细.xlsx"]
    assert "contracts" in roles["业绩一览表.docx"]
    assert "report" in roles["申请报告.docx"]


def test_records_extracted(reviewed):
    _, form, _ = reviewed
    m = HbAgency.model_validate(form.model)
    assert m.applicant == AGENCY
    assert m.apply_date == dt.date(2026, 3, 18)
    assert (m.staff_counts.total, m.staff_counts.senior, m.staff_counts.intermediate, m.staff_counts.junior) == (8, 3, 3, 2)
    assert [s.name for s in m.staff] == [p[0] for p in PEOPLE]
    assert m.staff[0].age == 52 and m.staff[0].years == Decimal(15)
    assert len(m.roster) == 9
    wang = next(r for r in m.roster if r.name == "王芳")
    assert wang.id_number == IDS["王芳"]  # full-width digits folded
    assert wang.hired == dt.date(2016, 7, 1)
    assert next(r for r in m.roster if r.name == "周涛").full_time is False
    assert {p.name: p.active for p in m.insured}["张伟"] is False
    assert m.insurance_units[0].name == AGENCY
    assert [c.category for c in m.contracts] == ["固废评价", "环境咨询", "固废评价", "绿色制造评价", "环境咨询", None]
    assert [c.provincial for c in m.contracts] == [False, False, True, False, False, False]


def test_findings_on_hand_built_package(reviewed):
    _, _, findings = reviewed
    by_rule: dict[str, list] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    # 张伟's insurance is suspended; 孙敏's stated age disagrees with her ID; 李强's ID has a wrong check digit
    assert [f.evidence["name"] for f in by_rule["ROSTER.INSURANCE_NOT_ACTIVE"]] == ["张伟"]
    assert [f.evidence["name"] for f in by_rule["ROSTER.AGE_MISMATCH"]] == ["孙敏"]
    assert by_rule["ROSTER.AGE_MISMATCH"][0].evidence["computed_age"] == 36
    assert [f.evidence["value"] for f in by_rule["ID.RESIDENT_ID_INVALID"]] == [BAD_ID]
    # the spaced "欧阳 明" and the full-width ID still match; unknown area code 990101 is not an error
    for code in ("ROSTER.NOT_INSURED", "ROSTER.NOT_ON_ROSTER", "ROSTER.INSURER_UNIT_MISMATCH", "HEADCOUNT.MISMATCH",
                 "ELIGIBILITY.STAFF_BELOW_MINIMUM", "ELIGIBILITY.SPECIALTY_MISSING", "ELIGIBILITY.EXPERIENCE_BELOW_MINIMUM"):
        assert code not in by_rule, by_rule.get(code)[0].message


def test_score_table(reviewed):
    _, form, findings = reviewed
    from checkers.sheets import build_sheets

    scores = {row.item: row.model_dump() for row in build_sheets(form)["scores"]}
    assert set(scores["机构从业年限"]) >= {"item", "max", "score", "working", "status"}
    # first related contract 2019: (2026 − 2019) × 0.5
    assert Decimal(scores["机构从业年限"]["score"]) == Decimal("3.5")
    # 2023–2026 related: provincial 2023 (2) + 绿色工厂 2024 (1) + 环评 2025 (1); 造价 is unrelated
    assert Decimal(scores["业绩数量"]["score"]) == Decimal(4)
    # recent 4 contracts, 2 of them 固废/环境 (50 %) -> 10
    assert Decimal(scores["业绩相关性"]["score"]) == Decimal(10)
    # at 2026-03-18: ≥ 5 years: 欧阳明, 王芳, 李强, 刘洋, 赵磊 (5 × 1); 张伟 4, 陈静 3, 孙敏 1 person-years × 0.2
    assert Decimal(scores["人员稳定性"]["score"]) == Decimal("6.6")
    # the report holds all four core items: full marks, worked out (no longer left to a reviewer)
    assert scores["内容完整性"]["status"] == "computed" and scores["内容完整性"]["score"] == Decimal(10)
    codes = {f.rule: f for f in findings if f.rule.startswith("SCORE.")}
    assert "(2026 − 2019) × 0.5 = 3.5" in codes["SCORE.AGENCY_YEARS"].message
    assert codes["SCORE.CONTRACT_RELEVANCE"].severity == "info"
    assert "针对性与规范性" in codes["SCORE.MANUAL_REVIEW"].message


def test_review_year_is_a_setting(reviewed):
    docs, form, _ = reviewed
    from checkers.run import form_settings

    settings = form_settings("hb_agency")
    settings = {**settings, "review_year": 2030}
    f = next(f for f in run_checks(docs, form, settings) if f.rule == "SCORE.AGENCY_YEARS")
    assert f.evidence["score"] == "5"  # (2030 − 2019) × 0.5 = 5.5, capped at 5


def test_veto_items_fire():
    from checkers.run import form_settings
    from tests.rule_helpers import form as form_result

    m = HbAgency(roster_found=True, contracts_found=True, apply_date=dt.date(2026, 3, 1))
    from extractor.forms.hb_agency import Contract, RosterEntry, StaffMember

    m.roster = [RosterEntry(name=f"员工{i}", full_time=i < 7) for i in range(8)]
    m.staff = [StaffMember(name=f"员工{i}", major="化学工程") for i in range(8)]
    m.staff_found = True
    m.contracts = [Contract(name="某公司固废评价", signed=dt.date(2025, 9, 1), category="固废评价", relevant=True)]
    fr = form_result("hb_agency", model=m.model_dump(mode="json"))
    got = {f.rule: f for f in run_checks([], fr, form_settings("hb_agency"))}
    assert got["ELIGIBILITY.STAFF_BELOW_MINIMUM"].severity == "veto"
    assert got["ELIGIBILITY.STAFF_BELOW_MINIMUM"].evidence["count"] == 7
    assert set(got["ELIGIBILITY.SPECIALTY_MISSING"].evidence["missing"]) == {"环境类", "财会类"}
    assert got["ELIGIBILITY.EXPERIENCE_BELOW_MINIMUM"].evidence["months"] == 6


@pytest.mark.parametrize("number,problem", [
    (rid("420106", "19800101"), None),
    (rid("990101", "19800101"), None),  # area code unknown to python-stdnum: still valid
    (rid("420106", "19800101")[:-1] + "Z", "含非法字符"),
    ("42010619800230123X", "出生日期"),
    ("420106800101123", "15 位"),
])
def test_resident_id_problem(number, problem):
    got = resident_id_problem(number)
    if problem is None:
        assert got is None
    else:
        assert got is not None and problem in got


def test_wrong_check_character_named():
    good = rid("420106", "19800101")
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    assert f"校验码应为「{good[-1]}」" in resident_id_problem(bad)
    assert birth_date(good) == dt.date(1980, 1, 1)


def test_text_parsers():
    assert parse_dates("2019.03-至今") == [dt.date(2019, 3, 1)]
    assert parse_dates("2018年5月至2025年12月") == [dt.date(2018, 5, 1), dt.date(2025, 12, 1)]
    assert parse_dates("201903") == [dt.date(2019, 3, 1)]
    c = parse_staff_counts("共十二名。其中高级职称4名；中级职称5名；初级职称3名")
    assert (c.total, c.senior, c.intermediate, c.junior) == (12, 4, 5, 3)
    assert parse_staff_counts("共____名").total is None
    assert person_key("张　 伟") == person_key("张伟")


def test_statement_unit_read_from_a_run_on_pdf_line():
    """pypdfium2 joins the title and the 单位名称 line of a statement into one paragraph."""
    from extractor.forms.hb_agency import _insurance
    from extractor.forms.spec import load_settings, load_spec
    from extractor.model import Block, Document, Location

    loc = Location(file="社保.pdf", page=1, paragraph=1)
    doc = Document(path="社保.pdf", type="pdf", sha256="0", blocks=[
        Block(kind="paragraph", text=f"武汉市社会保险单位参保人员缴费明细单位名称：{AGENCY}", loc=loc)])
    _, units, _ = _insurance([doc], load_spec("hb_agency"), load_settings("hb_agency"))
    assert [u.name for u in units] == [AGENCY]


@pytest.mark.parametrize("founded, early", [("2020年01月15日", ["湖北某建材公司粉煤灰综合利用评价服务"]), ("2014年05月06日", [])])
def test_contracts_signed_before_the_agencys_licence_founding_date(founded, early):
    from tests.test_licence import NEW_STYLE, ocr_page

    lines = [ln.replace("湖北金山环保科技有限公司", AGENCY).replace("91420100 MA4K4XQX0F", VALID_USCC)
             .replace("2015年03月18日", founded) for ln in NEW_STYLE]
    docs = [
        as_document("申请表.docx", application_docx()),
        as_document("业绩一览表.docx", contracts_docx()),
        ocr_page("营业执照.jpg", lines),
    ]
    form = extract_form(docs)
    got = [f for f in run_checks(docs, form) if f.rule == "CONTRACT.BEFORE_FOUNDING"]
    if not early:
        assert got == []
        return
    (f,) = got
    assert f.severity == "warning" and [c["name"] for c in f.evidence["contracts"]] == early
    assert f.evidence["founded"] == "2020-01-15" and "营业执照" in f.message
    assert {loc.file for loc in f.locations} == {"营业执照.jpg", "业绩一览表.docx"}
