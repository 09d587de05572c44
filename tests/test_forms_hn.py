"""hn_benchmark extraction end to end on a hand-built 自评价报告书 with its 指标表 inside."""

from decimal import Decimal

from checkers.run import run_checks
from extractor.forms.extract import extract_form
from tests import form_fixtures as ff

CLEAN_EXTRA = [("营业执照.png", ff.PNG), ("无事故及信用证明.png", ff.PNG), ("项目验收证明.png", ff.PNG)]


def package(report=None, extra=CLEAN_EXTRA):
    docs = [ff.as_document("报告.docx", report or ff.hn_report())] + [ff.as_document(n, d) for n, d in extra]
    form = extract_form(docs)
    return form, run_checks(docs, form)


def with_row(name, **cells):
    out = []
    for r in ff.HN_INDICATORS:
        if r[1] == name:
            r = list(r)
            for k, v in cells.items():
                r[{"previous": 3, "current": 4, "change": 5}[k]] = v
            r = tuple(r)
        out.append(r)
    return out


def blocking(findings):
    return [f for f in findings if f.severity in ("error", "veto")]


def test_clean_report_has_no_blocking_finding():
    form, findings = package()
    assert form.form == "hn_benchmark"
    assert blocking(findings) == [], [f.message for f in blocking(findings)]
    total = next(f for f in form.facts if f.key == "total_utilized" and f.period == "2024")
    assert total.quantity.value == Decimal("158000")


def test_kind_rows_must_sum_to_total():
    form, findings = package(ff.hn_report(indicators=with_row("工业资源年综合利用量", current="16.8", change="+2.6")))
    assert any("工业资源年综合利用量" in f.message for f in findings if f.rule == "SUM.TOTAL_MISMATCH")


def test_change_column_checked_in_the_submitters_mode():
    form, findings = package(ff.hn_report(indicators=with_row("利润", change="增加900")))
    assert any("利润" in f.message for f in findings if f.rule == "CHANGE.MISMATCH")


def test_scale_below_threshold_is_a_veto():
    rows = with_row("工业资源年综合利用量", previous="7.2", current="8.6", change="+1.4")
    rows = [(r if "粉煤灰" not in r[1] else ("", "种类1：粉煤灰利用量", "万吨", "3.1", "4.1", "+1.0")) for r in rows]
    form, findings = package(ff.hn_report(indicators=rows, narrative="资源产生（含接收）总量8.96万吨。"))
    veto = [f for f in findings if f.rule == "ELIGIBILITY.SCALE_BELOW_THRESHOLD"]
    assert veto and veto[0].severity == "veto" and "第七条" in veto[0].message


def test_out_of_scope_resource():
    rows = [(r if "粉煤灰" not in r[1] else ("", "种类1：餐厨垃圾利用量", "万吨", "10.1", "11.3", "+1.2")) for r in ff.HN_INDICATORS]
    form, findings = package(ff.hn_report(indicators=rows, narrative="资源产生（含接收）总量16.46万吨。"))
    assert any(f.rule == "ELIGIBILITY.CATEGORY_OUT_OF_SCOPE" and f.severity == "veto" for f in findings)


def test_missing_section_licence_and_bad_phone():
    form, findings = package(ff.hn_report(drop=("保障措施",), phone="0731-888"), extra=[])
    assert any("保障措施" in f.message for f in findings if f.rule == "OUTLINE.SECTION_MISSING")
    assert any("营业执照" in f.message for f in findings if f.rule == "ATTACHMENT.MISSING")
    assert any(f.rule == "FORMAT.PHONE_INVALID" for f in findings)


def test_narrative_sales_revenue_mismatch():
    form, findings = package(ff.hn_report(narrative="上年度（2024年）企业实现销售收入58,000万元，利润4600万元。资源产生（含接收）总量16.46万吨。"))
    assert any("企业年销售收入" in f.message for f in findings if f.rule == "CROSSDOC.FIGURE_MISMATCH")


def test_year_headed_columns_and_units_inside_cells():
    def build(d):
        d.add_paragraph("湖南省工业资源综合利用标杆企业自评价报告书")
        d.add_paragraph("工业资源综合利用标杆企业指标表")
        ff.table(d, [["序号", "指标名称", "单位", "2023年", "2024年", "变化情况"],
                     ["1", "企业年销售收入", "", "5.2亿元", "5.6亿元", "+7.7%"],
                     ["5", "工业资源年综合利用量", "", "142,000吨", "158,000吨", "+16,000吨"],
                     ["", "粉煤灰", "", "101,000吨", "113,000吨", "+12,000吨"],
                     ["", "脱硫石膏", "", "41,000吨", "45,000吨", "+4,000吨"],
                     ["6", "综合利用率", "%", "95.3", "96.0", "+0.7"]])
    doc = ff.as_document("指标.docx", ff.docx_bytes(build))
    form = extract_form([doc], form_hint="hn_benchmark")
    facts = {(f.key, f.period): f.quantity.value for f in form.facts}
    assert facts[("total_utilized", "2024")] == Decimal("158000")
    assert facts[("sales_revenue", "2023")] == Decimal("520000000")
    assert facts[("waste.utilized:粉煤灰", "2024")] == Decimal("113000")
    findings = run_checks([doc], form)
    assert not [f for f in findings if f.rule in ("SUM.TOTAL_MISMATCH", "CHANGE.MISMATCH")]


def test_near_variant_name_in_running_text_is_a_warning_not_an_error():
    form, findings = package(ff.hn_report(narrative="湖南示例环保新材料有限公司为本公司全资子公司。资源产生（含接收）总量16.46万吨。"))
    hits = [f for f in findings if f.rule == "IDENTITY.NAME_MISMATCH"]
    assert hits and all(f.severity == "warning" for f in hits)
    assert "湖南示例环保新材料有限公司" in hits[0].message


def test_total_without_kind_rows_still_checked_against_the_threshold():
    rows = [r for r in ff.HN_INDICATORS if "种类" not in r[1]]
    rows = [(r if r[1] != "工业资源年综合利用量" else ("5", "工业资源年综合利用量", "万吨", "7.2", "8.6", "+1.4")) for r in rows]
    form, findings = package(ff.hn_report(indicators=rows, narrative="上年度综合利用粉煤灰8.6万吨。粉煤灰来自周边电厂。资源产生（含接收）总量8.96万吨。"))
    veto = [f for f in findings if f.rule == "ELIGIBILITY.SCALE_BELOW_THRESHOLD"]
    assert veto and "第七条" in veto[0].message
