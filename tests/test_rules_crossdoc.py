"""CROSSDOC.FIGURE_MISMATCH: the same figure in several places."""

from checkers.rules.common import SOURCE_NAMES
from checkers.rules.crossdoc import reference_fact
from tests.rule_helpers import check, fact, form, loc

KEY = "waste.utilized:粉煤灰"


def fly_ash(text, unit, source, file, **kw):
    return fact(KEY, "粉煤灰利用量", text, unit, source=source, file=file, **kw)


def test_precision_boundary_between_wan_tonnes_and_tonnes():
    ref = fly_ash("12.6", "万吨", "indicator_table", "指标表.xlsx", row=6, column=5)
    agrees = fly_ash("126,040", "吨", "basic_info", "附件1.xlsx", row=9, column=4)
    differs = fly_ash("126,600", "吨", "annual_report", "附件3.xlsx", row=4, column=3)
    out = check("CROSSDOC.FIGURE_MISMATCH", form(facts=[agrees, ref, differs]))
    assert len(out) == 1
    f = out[0]
    assert f.message.startswith("粉煤灰利用量（2024年）：指标表 填报 12.6 万吨，附件3年报表 填报 126600 吨（合 12.66 万吨）")
    assert "指标表.xlsx" in f.message and "附件3.xlsx" in f.message
    assert f.locations == [loc("指标表.xlsx", 6, 5), loc("附件3.xlsx", 4, 3)]
    assert f.evidence["reference"] == "126000" and f.evidence["other"] == "126600"
    assert f.evidence["difference"] == "600" and f.evidence["tolerance"] == "500.5"


def test_narrative_is_compared_with_the_table_and_worded_as_written():
    table = fly_ash("12.6", "万吨", "basic_info", "附件1.xlsx", row=9, column=4)
    prose = fly_ash("13.6万吨", None, "narrative", "报告.docx", quote="全年利用粉煤灰13.6万吨")
    out = check("CROSSDOC.FIGURE_MISMATCH", form(facts=[prose, table]))
    assert len(out) == 1
    assert out[0].message.startswith("粉煤灰利用量（2024年）：附件1基本情况表 填报 12.6 万吨，报告正文写为 13.6 万吨")
    assert out[0].quote == "全年利用粉煤灰13.6万吨"


def test_different_periods_and_keys_are_not_compared():
    facts = [
        fly_ash("12.6", "万吨", "indicator_table", "指标表.xlsx"),
        fly_ash("10.0", "万吨", "basic_info", "附件1.xlsx", period="2023"),
        fact("waste.utilized:钢渣", "钢渣利用量", "3.0", "万吨", source="basic_info"),
    ]
    assert check("CROSSDOC.FIGURE_MISMATCH", form(facts=facts)) == []


def test_same_source_same_file_is_not_a_cross_document_mismatch():
    facts = [
        fly_ash("12.6", "万吨", "report_table", "报告.docx", row=3, column=2),
        fly_ash("13.6", "万吨", "report_table", "报告.docx", row=8, column=2),
    ]
    assert check("CROSSDOC.FIGURE_MISMATCH", form(facts=facts)) == []


def test_same_source_in_two_files_names_both_files():
    facts = [
        fly_ash("12.6", "万吨", "narrative", "报告.docx"),
        fly_ash("13.6", "万吨", "narrative", "说明.docx"),
    ]
    out = check("CROSSDOC.FIGURE_MISMATCH", form(facts=facts))
    assert len(out) == 1
    assert "报告正文（报告.docx）写为 12.6 万吨，报告正文（说明.docx）写为 13.6 万吨" in out[0].message


def test_incompatible_units_are_not_compared():
    facts = [fly_ash("12.6", "万吨", "indicator_table", "a.xlsx"), fly_ash("12.6", "万元", "basic_info", "b.xlsx")]
    assert check("CROSSDOC.FIGURE_MISMATCH", form(facts=facts)) == []
    facts = [fly_ash("12.6", "万吨", "indicator_table", "a.xlsx"), fly_ash("12.6", None, "narrative", "r.docx")]
    assert check("CROSSDOC.FIGURE_MISMATCH", form(facts=facts)) == []


def test_reference_prefers_form_tables():
    n = fly_ash("1", "吨", "narrative", "r.docx")
    r = fly_ash("1", "吨", "report_table", "r.docx")
    b = fly_ash("1", "吨", "basic_info", "b.xlsx")
    assert reference_fact([n, r, b]) is b
    assert reference_fact([n, r]) is r
    assert SOURCE_NAMES["monthly_table"] == "月度统计表"


def test_unknown_source_role_is_shown_as_is():
    facts = [fly_ash("12.6", "万吨", "indicator_table", "a.xlsx"), fly_ash("20", "万吨", "supplier_letter", "c.pdf")]
    out = check("CROSSDOC.FIGURE_MISMATCH", form(facts=facts))
    assert len(out) == 1 and "supplier_letter 填报 20 万吨" in out[0].message


def test_one_defect_is_reported_once():
    from extractor.forms.base import Fact, RateClaim, SumClaim

    # the table's 钢渣 breaks its 合计; the prose states the value that adds up: SUM reports it, not CROSSDOC too
    slag = fact("waste.utilized:钢渣", "钢渣利用量", "45.35", "万吨", source="basic_info", row=5, column=2)
    ash = fact("waste.utilized:粉煤灰", "粉煤灰利用量", "12.00", "万吨", source="basic_info", row=6, column=2)
    total = fact("total", "合计", "56.35", "万吨", source="basic_info", row=7, column=2)
    prose = fact("waste.utilized:钢渣", "钢渣利用量", "44.35", "万吨", source="narrative", file="报告.docx")
    sums = [SumClaim(label="利用量合计", total=total, items=[slag, ash])]
    assert check("CROSSDOC.FIGURE_MISMATCH", form(facts=[slag, ash, prose], sums=sums)) == []
    other = fact("waste.utilized:钢渣", "钢渣利用量", "40.00", "万吨", source="narrative", file="报告.docx")
    assert len(check("CROSSDOC.FIGURE_MISMATCH", form(facts=[slag, ash, other], sums=sums))) == 1
    # a table rate its own figures contradict, the prose stating the rate they give: RATE.MISMATCH alone
    rate = fact("waste.rate:钢渣", "综合利用率", "91.14", "%", source="annual_report", row=5, column=6)
    said = fact("waste.rate:钢渣", "综合利用率", "97.64", "%", source="narrative", file="报告.docx")
    claim = RateClaim(label="钢渣综合利用率", reported=rate, formula="利用量 / 产生量 × 100%",
                      numerator=Fact(key="u", label="利用量", quantity=slag.quantity, source="annual_report"),
                      denominator=fact("g", "产生量", "46.45", "万吨", source="annual_report", row=5, column=3))
    assert check("CROSSDOC.FIGURE_MISMATCH", form(facts=[rate, said], rates=[claim])) == []
