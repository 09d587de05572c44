"""BALANCE.UTILIZATION_EXCEEDS_SUPPLY and BALANCE.MONTHLY_SUM_MISMATCH."""

from extractor.forms.base import BalanceClaim, MonthlyClaim
from tests.rule_helpers import blank_fact, check, fact, form, loc


def f(label, text, unit="万吨", row=None, column=None, period="2024"):
    return fact(f"k:{label}", label, text, unit, period=period, row=row, column=column)


def test_utilisation_exceeding_supply_shows_the_sum():
    claim = BalanceClaim(
        waste="粉煤灰",
        generated=f("产生量", "12.0", row=5, column=2),
        received=f("接收量", "3.0", row=5, column=3),
        utilized=f("利用量", "16.2", row=5, column=4),
    )
    out = check("BALANCE.UTILIZATION_EXCEEDS_SUPPLY", form(balances=[claim]))
    assert len(out) == 1
    r = out[0]
    assert r.message.startswith("粉煤灰：产生量 12.0 万吨 + 接收量 3.0 万吨 = 15.0 万吨 < 利用量 16.2 万吨")
    assert r.locations == [loc(row=5, column=2), loc(row=5, column=3), loc(row=5, column=4)]
    assert r.evidence["supply"] == "150000" and r.evidence["utilized"] == "162000" and r.evidence["unit"] == "吨"


def test_within_rounding_is_not_an_excess():
    # 15 万吨 (±0.5) vs 15.4 万吨: the integers allow up to 15.5
    claim = BalanceClaim(waste="煤矸石", generated=f("产生量", "15"), utilized=f("利用量", "15.4"))
    assert check("BALANCE.UTILIZATION_EXCEEDS_SUPPLY", form(balances=[claim])) == []


def test_mixed_units_and_stock():
    claim = BalanceClaim(
        waste="钢渣",
        period="2024",
        generated=f("产生量", "100000", unit="吨"),
        received=f("接收量", "2.0"),
        stock_drawn=f("库存减少", "-1.0"),
        utilized=f("利用量", "11.5"),
    )
    out = check("BALANCE.UTILIZATION_EXCEEDS_SUPPLY", form(balances=[claim]))
    assert len(out) == 1
    assert out[0].message.startswith("钢渣（2024年）：产生量 100000 吨 + 接收量 2.0 万吨 − 库存增加 1.0 万吨 = 110000 吨 < 利用量 11.5 万吨（合 115000 吨）")
    ok = claim.model_copy(update={"stock_drawn": f("库存减少", "1.0")})
    assert check("BALANCE.UTILIZATION_EXCEEDS_SUPPLY", form(balances=[ok])) == []


def test_no_supply_stated_or_blank_utilisation_gives_nothing():
    assert check("BALANCE.UTILIZATION_EXCEEDS_SUPPLY", form(balances=[BalanceClaim(waste="粉煤灰", utilized=f("利用量", "16.2"))])) == []
    claim = BalanceClaim.model_construct(waste="粉煤灰", period=None, generated=f("产生量", "1"), received=None, utilized=blank_fact(), stock_drawn=None)
    assert check("BALANCE.UTILIZATION_EXCEEDS_SUPPLY", form(balances=[claim])) == []


def months(values, unit="万吨"):
    return [f(f"{i}月利用量", v, unit, row=i + 1, column=3) for i, v in enumerate(values, 1)]


def test_months_not_adding_up():
    claim = MonthlyClaim(label="粉煤灰利用量", period="2024", months=months(["1.2"] * 12), annual=f("粉煤灰利用量", "15.2", row=14, column=3))
    out = check("BALANCE.MONTHLY_SUM_MISMATCH", form(monthly=[claim]))
    assert len(out) == 1
    r = out[0]
    assert r.message.startswith("粉煤灰利用量（2024年）：12 个月合计 14.4 万吨，全年填报 15.2 万吨，相差 0.8 万吨")
    assert len(r.locations) == 13 and r.locations[0] == loc(row=14, column=3)
    assert r.evidence["months"] == 12 and r.evidence["months_sum"] == "144000"


def test_months_adding_up_within_precision():
    claim = MonthlyClaim(label="粉煤灰利用量", months=months(["1.2"] * 12), annual=f("粉煤灰利用量", "14.5"))
    assert check("BALANCE.MONTHLY_SUM_MISMATCH", form(monthly=[claim])) == []


def test_partial_months_in_other_unit():
    claim = MonthlyClaim(label="钢渣利用量", months=months(["10000", "12000", "9000"], unit="吨"), annual=f("钢渣利用量", "4.1"))
    out = check("BALANCE.MONTHLY_SUM_MISMATCH", form(monthly=[claim]))
    assert len(out) == 1
    assert "3 个月合计 31000 吨（合 3.1 万吨），全年填报 4.1 万吨，相差 1 万吨" in out[0].message


def test_no_months_gives_nothing():
    claim = MonthlyClaim(label="x", months=[blank_fact()], annual=f("x", "4.1"))
    assert check("BALANCE.MONTHLY_SUM_MISMATCH", form(monthly=[claim])) == []
