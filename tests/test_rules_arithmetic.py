"""SUM.TOTAL_MISMATCH, RATE.MISMATCH, RATE.OUT_OF_RANGE, CHANGE.MISMATCH."""

from extractor.forms.base import ChangeClaim, RateClaim, SumClaim
from tests.rule_helpers import blank_fact, check, fact, form, loc


def utilised(label, text, unit="万吨", row=6, **kw):
    return fact(f"waste.utilized:{label}", f"{label}利用量", text, unit, source="indicator_table", file="指标表.xlsx", row=row, column=5, **kw)


def total_claim(total_text, *items, unit="万吨"):
    total = fact("utilized_total", "工业资源年综合利用量", total_text, unit, source="indicator_table", file="指标表.xlsx", row=5, column=5)
    return SumClaim(label="工业资源年综合利用量", period="2024", total=total, items=list(items))


# ---- SUM.TOTAL_MISMATCH ----------------------------------------------------------------


def test_sum_mismatch_shows_the_arithmetic():
    claim = total_claim("13.6", utilised("粉煤灰", "8.0", row=6), utilised("钢渣", "4.6", row=7))
    out = check("SUM.TOTAL_MISMATCH", form(sums=[claim]))
    assert len(out) == 1
    f = out[0]
    assert f.message.startswith("工业资源年综合利用量（2024年）：分项合计 8.0 + 4.6 = 12.6 万吨，填报 13.6 万吨，相差 1.0 万吨")
    assert "指标表.xlsx" in f.message
    assert f.locations == [loc("指标表.xlsx", 5, 5), loc("指标表.xlsx", 6, 5), loc("指标表.xlsx", 7, 5)]
    assert f.evidence["total"] == "136000" and f.evidence["items_sum"] == "126000"
    assert f.evidence["difference"] == "10000" and f.evidence["tolerance"] == "1500" and f.evidence["unit"] == "吨"


def test_sum_within_rounding_agrees():
    # 8.04 + 4.64 = 12.68 rounds to 12.7: written to 0.1 the items allow 12.6–12.8
    claim = total_claim("12.7", utilised("粉煤灰", "8.0"), utilised("钢渣", "4.6"))
    assert check("SUM.TOTAL_MISMATCH", form(sums=[claim])) == []


def test_sum_mixed_units_converts():
    claim = total_claim("12.6", utilised("粉煤灰", "80000", unit="吨"), utilised("钢渣", "4.6"))
    assert check("SUM.TOTAL_MISMATCH", form(sums=[claim])) == []
    claim = total_claim("13.6", utilised("粉煤灰", "80000", unit="吨"), utilised("钢渣", "4.6"))
    out = check("SUM.TOTAL_MISMATCH", form(sums=[claim]))
    assert len(out) == 1
    assert "80000 吨 + 4.6 万吨 = 12.6 万吨，填报 13.6 万吨" in out[0].message


def test_sum_without_items_or_with_blank_parts_gives_nothing():
    assert check("SUM.TOTAL_MISMATCH", form(sums=[total_claim("13.6")])) == []
    claim = total_claim("13.6", blank_fact())
    assert check("SUM.TOTAL_MISMATCH", form(sums=[claim])) == []
    claim = SumClaim.model_construct(label="合计", period=None, total=blank_fact(), items=[utilised("粉煤灰", "8.0")])
    assert check("SUM.TOTAL_MISMATCH", form(sums=[claim])) == []


def test_sum_skips_blank_items_but_checks_the_rest():
    claim = total_claim("13.6", utilised("粉煤灰", "8.0"), blank_fact(), utilised("钢渣", "4.6"))
    out = check("SUM.TOTAL_MISMATCH", form(sums=[claim]))
    assert len(out) == 1 and "8.0 + 4.6 = 12.6 万吨" in out[0].message


# ---- RATE.MISMATCH ---------------------------------------------------------------------


def rate_claim(reported, num="11.4", den="12.6", num_unit="万吨", den_unit="万吨"):
    return RateClaim(
        label="综合利用率",
        period="2024",
        reported=fact("utilization_rate", "综合利用率", reported, "%", row=9, column=5),
        numerator=fact("utilized_total", "综合利用量", num, num_unit, row=7, column=5),
        denominator=fact("generated_total", "产生量", den, den_unit, row=8, column=5),
        formula="综合利用量 / 产生量 × 100%",
    )


def test_rate_mismatch_shows_formula():
    out = check("RATE.MISMATCH", form(rates=[rate_claim("95.0")]))
    assert len(out) == 1
    f = out[0]
    assert f.message.startswith("综合利用率（2024年）：填报 95.0%，按 综合利用量 11.4 万吨 / 产生量 12.6 万吨 × 100% = 90.5%")
    assert f.evidence["formula"] == "综合利用量 / 产生量 × 100%"
    assert f.evidence["reported"] == "95"
    assert len(f.locations) == 3


def test_rate_from_rounded_inputs_agrees():
    # 11.4/12.6 = 90.48 %, but the inputs allow 89.72–91.24 %
    assert check("RATE.MISMATCH", form(rates=[rate_claim("91.2")])) == []
    assert check("RATE.MISMATCH", form(rates=[rate_claim("90.5")])) == []


def test_rate_across_units():
    assert check("RATE.MISMATCH", form(rates=[rate_claim("90.5", num="114000", num_unit="吨")])) == []


def test_rate_zero_denominator_or_blank_is_skipped():
    assert check("RATE.MISMATCH", form(rates=[rate_claim("95.0", den="0")])) == []
    claim = rate_claim("95.0").model_copy(update={"denominator": blank_fact()})
    assert check("RATE.MISMATCH", form(rates=[claim])) == []


# ---- RATE.OUT_OF_RANGE -----------------------------------------------------------------


def test_rate_above_100_and_below_0():
    facts = [
        fact("utilization_rate", "综合利用率", "105.3", "%", row=9, column=5),
        fact("utilization_rate", "综合利用率", "-2", "%", period="2023", row=9, column=4),
        fact("utilization_rate", "综合利用率", "100.0", "%", period="2022", row=9, column=3),
        fact("sales_growth", "增长", "150", "%"),  # not a rate by key
    ]
    out = check("RATE.OUT_OF_RANGE", form(facts=facts))
    assert len(out) == 2
    assert "综合利用率（2024年）填报 105.3%" in out[0].message and "超过 100%" in out[0].message
    assert "-2%" in out[1].message and "低于 0%" in out[1].message


def test_reported_rate_of_a_claim_is_checked_once():
    claim = rate_claim("120.0")
    out = check("RATE.OUT_OF_RANGE", form(rates=[claim], facts=[claim.reported]))
    assert len(out) == 1 and "120.0%" in out[0].message


# ---- CHANGE.MISMATCH -------------------------------------------------------------------


def change(label, prev, cur, written, unit="万元", change_unit=None):
    return ChangeClaim(
        label=label,
        previous=fact("x", label, prev, unit, period="2023", source="indicator_table", row=2, column=4),
        current=fact("x", label, cur, unit, period="2024", source="indicator_table", row=2, column=5),
        change=fact("x.change", label, written, change_unit or unit, source="indicator_table", row=2, column=6),
        change_text=written,
    )


def test_relative_change_of_an_amount():
    ok = change("企业年销售收入", "1200.0", "1350.0", "+12.5%")
    bad = change("企业年销售收入", "1200.0", "1350.0", "+15.0%")
    assert check("CHANGE.MISMATCH", form(changes=[ok])) == []
    out = check("CHANGE.MISMATCH", form(changes=[bad]))
    assert len(out) == 1
    assert "2023年 1200.0 万元，2024年 1350.0 万元，变化情况填写「+15.0%」" in out[0].message
    assert "计算应为 +12.5%" in out[0].message
    assert len(out[0].locations) == 3


def test_decrease_words_carry_the_sign():
    assert check("CHANGE.MISMATCH", form(changes=[change("利润", "500", "450", "下降10%")])) == []
    assert check("CHANGE.MISMATCH", form(changes=[change("利润", "500", "450", "减少50")])) == []
    out = check("CHANGE.MISMATCH", form(changes=[change("利润", "500", "450", "增加10%")]))
    assert len(out) == 1


def test_absolute_change_with_unit():
    assert check("CHANGE.MISMATCH", form(changes=[change("利用量", "12.0", "13.5", "1.5万吨", unit="万吨")])) == []
    assert check("CHANGE.MISMATCH", form(changes=[change("利用量", "12.0", "13.5", "15000吨", unit="万吨")])) == []
    out = check("CHANGE.MISMATCH", form(changes=[change("利用量", "12.0", "13.5", "2.5万吨", unit="万吨")]))
    assert len(out) == 1 and "+1.5 万吨" in out[0].message


def test_bare_number_accepts_either_mode():
    # 100 -> 120: +20 (absolute, 万元) or +20 % (relative) - both readings agree with "20"
    assert check("CHANGE.MISMATCH", form(changes=[change("利润", "100", "120", "20")])) == []
    # 200 -> 240: absolute 40, relative 20 %: "20" is read as relative and agrees
    assert check("CHANGE.MISMATCH", form(changes=[change("利润", "200", "240", "20")])) == []
    out = check("CHANGE.MISMATCH", form(changes=[change("利润", "200", "240", "30")]))
    assert len(out) == 1
    assert "+40 万元" in out[0].message and "+20.0%" in out[0].message


def test_rate_change_in_points_or_relative():
    assert check("CHANGE.MISMATCH", form(changes=[change("综合利用率", "90.0", "92.5", "+2.5个百分点", unit="%")])) == []
    assert check("CHANGE.MISMATCH", form(changes=[change("综合利用率", "90.0", "92.5", "2.8%", unit="%")])) == []
    out = check("CHANGE.MISMATCH", form(changes=[change("综合利用率", "90.0", "92.5", "增加3.0个百分点", unit="%")]))
    assert len(out) == 1 and "+2.5 个百分点" in out[0].message


def test_relative_change_from_zero_is_skipped():
    assert check("CHANGE.MISMATCH", form(changes=[change("专利数量", "0", "3", "+50%", unit="个")])) == []


def test_change_with_blank_side_is_skipped():
    claim = change("利润", "100", "120", "20").model_copy(update={"previous": blank_fact()})
    assert check("CHANGE.MISMATCH", form(changes=[claim])) == []
