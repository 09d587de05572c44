"""ELIGIBILITY.SCALE_BELOW_THRESHOLD and ELIGIBILITY.CATEGORY_OUT_OF_SCOPE (hn_benchmark)."""

from checkers.run import form_settings
from extractor.forms.hn_benchmark import HnBenchmark, Utilization
from tests.rule_helpers import check, form, q

SETTINGS = form_settings("hn_benchmark")


def entry(waste, written, category, text, unit="万吨", row=None):
    return Utilization(waste=waste, written=written, category=category, quantity=q(text, unit, "指标表.xlsx", row, 5))


def bench(*entries, period="2024"):
    return form("hn_benchmark", model=HnBenchmark(period=period, utilization=list(entries)))


def run(code, fr):
    return check(code, fr, settings=SETTINGS)


def test_thresholds_are_loaded_from_the_corpus():
    cats = {t["category"]: t["min_tonnes"] for t in SETTINGS["scale"]}
    assert cats["bulk"] == 100000 and cats["precious_battery"] == 10000


def test_bulk_below_threshold_is_veto_naming_category_and_clause():
    fr = bench(entry("粉煤灰", "电厂粉煤灰", "bulk", "5.0", row=6), entry("冶金渣", "钢渣", "bulk", "3.6", row=7))
    out = run("ELIGIBILITY.SCALE_BELOW_THRESHOLD", fr)
    assert len(out) == 1
    f = out[0]
    assert f.severity == "veto"
    assert f.message.startswith("上年度（2024年）尾矿（共伴生矿）、煤矸石、粉煤灰、冶金渣、化工渣（工业副产石膏）类年综合利用量 8.6 万吨")
    assert "电厂粉煤灰 5.0 万吨、钢渣 3.6 万吨" in f.message
    assert "低于第七条（一）规定的 10 万吨" in f.message
    assert f.evidence["amount"] == "86000" and f.evidence["min_tonnes"] == "100000"
    assert len(f.locations) == 2


def test_any_category_reaching_its_threshold_qualifies():
    fr = bench(entry("粉煤灰", "粉煤灰", "bulk", "5.0"), entry("废纸", "废纸", "other", "2.1"))
    assert run("ELIGIBILITY.SCALE_BELOW_THRESHOLD", fr) == []


def test_boundary_uses_precision():
    # 9.96 万吨 (±0.005) is certainly below 10 万吨; 10.0 万吨 (±0.05) may be 10.05: not certainly below
    assert len(run("ELIGIBILITY.SCALE_BELOW_THRESHOLD", bench(entry("尾矿", "尾矿", "bulk", "9.94")))) == 1
    assert run("ELIGIBILITY.SCALE_BELOW_THRESHOLD", bench(entry("尾矿", "尾矿", "bulk", "99990", unit="吨"))) != []
    assert run("ELIGIBILITY.SCALE_BELOW_THRESHOLD", bench(entry("尾矿", "尾矿", "bulk", "10.0"))) == []
    assert run("ELIGIBILITY.SCALE_BELOW_THRESHOLD", bench(entry("尾矿", "尾矿", "bulk", "9.96"))) != []


def test_precious_battery_counts_toward_nonferrous_and_has_its_own_floor():
    # 1.2 万吨 of batteries meets the 1 万吨 floor of 稀贵金属、废旧锂离子电池
    assert run("ELIGIBILITY.SCALE_BELOW_THRESHOLD", bench(entry("废旧锂离子电池", "退役动力电池", "precious_battery", "1.2"))) == []
    # 0.8 万吨 batteries + 4.3 万吨 copper = 5.1 万吨 有色金属类 >= 5 万吨
    fr = bench(entry("废旧锂离子电池", "废锂电池", "precious_battery", "0.8"), entry("有色金属", "废铜", "nonferrous", "4.3"))
    assert run("ELIGIBILITY.SCALE_BELOW_THRESHOLD", fr) == []
    out = run("ELIGIBILITY.SCALE_BELOW_THRESHOLD", bench(entry("废旧锂离子电池", "废锂电池", "precious_battery", "0.8")))
    assert len(out) == 1 and "稀贵金属、废旧锂离子电池" in out[0].message and "1 万吨" in out[0].message


def test_unknown_category_might_qualify_so_no_veto():
    fr = bench(entry("粉煤灰", "粉煤灰", "bulk", "1.0"), entry("", "某某废料", "unknown", "3.0"))
    assert run("ELIGIBILITY.SCALE_BELOW_THRESHOLD", fr) == []


def test_no_figures_or_no_thresholds_give_nothing():
    assert run("ELIGIBILITY.SCALE_BELOW_THRESHOLD", bench()) == []
    assert check("ELIGIBILITY.SCALE_BELOW_THRESHOLD", bench(entry("尾矿", "尾矿", "bulk", "1.0")), settings={}) == []


def test_a_model_read_back_from_json_is_accepted():
    dumped = bench(entry("尾矿", "尾矿", "bulk", "1.0")).model.model_dump(mode="json")
    assert len(run("ELIGIBILITY.SCALE_BELOW_THRESHOLD", form("hn_benchmark", model=dumped))) == 1


def test_out_of_scope_main_business_is_veto():
    fr = bench(entry("生活垃圾", "城市生活垃圾", "out_of_scope", "30.0"), entry("粉煤灰", "粉煤灰", "bulk", "12.0"))
    out = run("ELIGIBILITY.CATEGORY_OUT_OF_SCOPE", fr)
    assert len(out) == 1
    f = out[0]
    assert f.severity == "veto" and "「城市生活垃圾」" in f.message and "第三条" in f.message
    assert f.evidence["category"] == "out_of_scope"


def test_in_scope_main_business_passes_even_with_minor_out_of_scope():
    fr = bench(entry("生活垃圾", "生活垃圾", "out_of_scope", "3.0"), entry("粉煤灰", "粉煤灰", "bulk", "12.0"))
    assert run("ELIGIBILITY.CATEGORY_OUT_OF_SCOPE", fr) == []


def test_unknown_main_business_is_a_warning():
    fr = bench(entry("", "某某混合废料", "unknown", "20"), entry("粉煤灰", "粉煤灰", "bulk", "12.0"))
    out = run("ELIGIBILITY.CATEGORY_OUT_OF_SCOPE", fr)
    assert [x.severity for x in out] == ["warning"]
    assert out[0].message.startswith("无法判断「某某混合废料」是否属于第三条范围，请人工核实")
