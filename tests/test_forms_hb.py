"""hb_evaluation extraction end to end on hand-built parts (not the generator's layout)."""

from decimal import Decimal

from checkers.run import run_checks
from extractor.forms.extract import extract_form
from tests import form_fixtures as ff


def package(report=None, basic=None, annual=None, extra=()):
    docs = [ff.as_document("评价报告.docx", report or ff.hb_report()),
            ff.as_document("材料A.docx", basic or ff.hb_basic_info()),
            ff.as_document("材料B.docx", annual or ff.hb_annual_report())]
    docs += [ff.as_document(n, d) for n, d in extra]
    form = extract_form(docs)
    return docs, form, run_checks(docs, form)


def rules(findings, severities=("veto", "error")):
    return sorted({f.rule for f in findings if f.severity in severities})


def test_detects_form_and_roles_from_content_not_names():
    _, form, _ = package()
    assert form.form == "hb_evaluation"
    roles = {r.path: r.roles for r in form.file_roles}
    assert "report" in roles["评价报告.docx"]
    assert "basic_info" in roles["材料A.docx"]
    assert "annual_report" in roles["材料B.docx"]


def test_clean_parts_give_no_error_apart_from_the_missing_licence():
    _, form, findings = package(extra=[("营业执照.png", ff.PNG)])
    assert rules(findings) == [], [f.message for f in findings if f.severity in ("error", "veto")]
    assert form.fields["credit_code"].text == ff.VALID_USCC
    assert form.fields["annual_value"].quantity.value == Decimal("30000000")


def test_units_from_headers_and_captions_are_applied():
    _, form, _ = package()
    facts = {(f.key, f.source): f.quantity.value for f in form.facts}
    # 附件1 header says (吨); the report's 物料衡算表 caption says 单位：万吨
    assert facts[("waste.utilized:粉煤灰", "basic_info")] == Decimal("126000")
    assert facts[("waste.utilized:粉煤灰", "report_table")] == Decimal("126000")
    assert facts[("waste.utilized:粉煤灰", "narrative")] == Decimal("126000")


def test_blank_required_field_is_reported_at_its_cell():
    _, _, findings = package(basic=ff.hb_basic_info(mobile=""))
    missing = [f for f in findings if f.rule == "FIELD.MISSING"]
    assert any("手机号码" in f.message for f in missing)
    assert any(l.table == 1 and l.row == 3 for f in missing for l in f.locations)


def test_missing_section_and_flowchart():
    titles = ["评价概述", "企业基本概况", "企业生产经营情况", None, "体系建设情况", "固体废物综合利用情况", "评价结论"]
    _, _, findings = package(report=ff.hb_report(sections=titles))
    msgs = [f.message for f in findings if f.rule == "OUTLINE.SECTION_MISSING"]
    assert any("企业工艺技术" in m for m in msgs)
    assert any("工艺流程图" in f.message for f in findings if f.rule == "ATTACHMENT.MISSING")


def test_utilisation_above_supply_and_cross_file_mismatch():
    rows = (("粉煤灰", "0", "126,000", "126,000", "蒸压粉煤灰砖", "8000万块", "2,400"),
            ("炉渣", "32,000", "0", "35,500", "混凝土砌块", "5万立方米", "600"))
    _, _, findings = package(basic=ff.hb_basic_info(rows=rows))
    bal = [f for f in findings if f.rule == "BALANCE.UTILIZATION_EXCEEDS_SUPPLY"]
    assert any("炉渣" in f.message for f in bal)
    assert any("炉渣" in f.message for f in findings if f.rule == "CROSSDOC.FIGURE_MISMATCH")


def test_total_row_and_rate_errors_in_annual_report():
    rows = (("1", "粉煤灰", "", "126,000", "2,400", "—", "外购"), ("2", "炉渣", "32,000", "31,500", "600", "92.0", ""))
    total = ("合计", "", "32,000", "167,500", "3,000", "", "")
    _, _, findings = package(annual=ff.hb_annual_report(rows=rows, total=total))
    assert any("合计" in f.message for f in findings if f.rule == "SUM.TOTAL_MISMATCH")
    assert any("炉渣" in f.message for f in findings if f.rule == "RATE.MISMATCH")


def test_company_name_differs_between_files():
    _, _, findings = package(annual=ff.hb_annual_report(company="湖北示例新型建材有限公司"))
    assert any("湖北示例新型建材有限公司" in f.message for f in findings if f.rule == "IDENTITY.NAME_MISMATCH")


def test_narrative_restating_a_different_figure():
    _, _, findings = package(report=ff.hb_report(narrative="2025年共综合利用粉煤灰13.60万吨、炉渣3.15万吨。"))
    assert any("粉煤灰" in f.message for f in findings if f.rule == "CROSSDOC.FIGURE_MISMATCH")


def test_monthly_sum_mismatch_and_precision_tolerance():
    # the narrative's 12.6 万吨 (±0.05 万吨) agrees with 126,000 吨; nothing false-fires
    _, _, findings = package(report=ff.hb_report(narrative="2025年共综合利用粉煤灰12.6万吨。"))
    assert "CROSSDOC.FIGURE_MISMATCH" not in rules(findings)


def test_labels_in_a_header_row_with_values_below():
    def build(d):
        d.add_paragraph("湖北省工业固体废物资源综合利用申报企业基本情况表")
        ff.table(d, [["企业名称", "统一社会信用代码", "联系人", "手机号码", "电子邮箱"],
                     ["湖北示例建材有限公司", ff.VALID_USCC, "张明", "13871234567", "hbsl@163.com"]])
        ff.table(d, [["工业固体废物种类名称", "产生量（万吨）", "接收量（万吨）", "利用量（万吨）", "产品名称"],
                     ["粉煤灰", "0", "12.6", "12.6", "蒸压粉煤灰砖"]])
    doc = ff.as_document("基本情况.docx", ff.docx_bytes(build))
    form = extract_form([doc], form_hint="hb_evaluation")
    assert form.fields["credit_code"].text == ff.VALID_USCC
    assert form.fields["mobile"].text == "13871234567"
    used = next(f for f in form.facts if f.key == "waste.utilized:粉煤灰")
    assert used.quantity.value == Decimal("126000") and used.quantity.source_unit == "万吨"


def test_narrative_reads_the_verb_nearest_the_number_and_skips_changes_and_capacities():
    from extractor.forms.narrative import NarrativeContext, extract_narrative_facts
    from extractor.model import Block, Document, Location

    lines = ["公司2025年接收并综合利用粉煤灰12.6万吨，较上年增长1.2万吨。",
             "粉煤灰年处理能力30万吨，近三年累计利用粉煤灰35万吨。",
             "全年实现利润总额4600万元，净利润3900万元，减免税金1200万元。"]
    doc = Document(path="r.docx", type="docx", sha256="0",
                   blocks=[Block(kind="paragraph", text=t, loc=Location(file="r.docx", paragraph=i + 1)) for i, t in enumerate(lines)])
    ctx = NarrativeContext(waste_names=["粉煤灰"], metrics={"profit": ("利润", ("利润",), "元"), "tax": ("税金", ("税金",), "元")},
                           periods={}, default_period="2025")
    facts = {(f.key, f.quantity.value) for f in extract_narrative_facts(doc, ctx)}
    assert facts == {("waste.utilized:粉煤灰", Decimal("126000.0")), ("profit", Decimal("46000000"))}


def test_a_list_item_mentioning_a_title_word_is_not_that_section():
    from extractor.forms.text import title_score

    assert title_score("（6）企业提供的生产经营报表、计量台账、检测报告等资料。", ["企业生产及经营", "生产经营"]) < 80
    assert title_score("三、企业生产经营情况概述", ["企业生产及经营", "生产经营"]) >= 80
