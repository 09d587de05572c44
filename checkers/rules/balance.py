"""Material balance of each waste: nothing can be utilised that was not generated, received
or drawn from stock, and the months must add up to the year."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from checkers.context import Context
from checkers.finding import Finding
from checkers.registry import emit, rule
from checkers.rules.common import (
    compatible,
    dec,
    files_note,
    first_quote,
    half_width,
    has_quantity,
    number_as_written,
    period_suffix,
    places_in,
    show,
    show_value,
    total_disagrees,
    show_with_conversion,
    unique_locations,
    written_unit,
)
from checkers.tolerance import Interval, exceeds, total
from extractor.forms.base import BalanceClaim, Fact, MonthlyClaim
from extractor.quantity import Quantity

BALANCE_CLAUSE = "湖北细则第十七条（五）、第十八条（分种类综合利用量及物料衡算过程）；附件1 产生量/接收量/利用量"


def _supply_terms(claim: BalanceClaim) -> list[tuple[str, Fact]]:
    terms = [("产生量", claim.generated), ("接收量", claim.received), ("库存减少", claim.stock_drawn)]
    return [(name, f) for name, f in terms if has_quantity(f)]


def _negated(q: Quantity) -> Quantity:
    return q.model_copy(update={"value": -q.value})


def _supply_text(terms: list[tuple[str, Quantity]], unit: str) -> str:
    same_unit = all(written_unit(q) == unit for _, q in terms)
    parts: list[str] = []
    for i, (name, q) in enumerate(terms):
        if name == "库存减少" and q.value < 0:  # stock grew: it took from supply
            op, name, q = "−", "库存增加", _negated(q)
        else:
            op = "+"
        text = f"{name} {show(q)}"
        parts.append(text if i == 0 else f"{op} {text}")
    expr = " ".join(parts)
    if len(terms) == 1:
        return expr
    supply = sum((q.value for _, q in terms), Decimal(0))
    places = places_in(unit, [q for _, q in terms]) if same_unit else None
    return f"{expr} = {show_value(supply, unit, places)}"


@rule(
    "BALANCE.UTILIZATION_EXCEEDS_SUPPLY",
    "error",
    "利用量超过产生量与接收量之和",
    "The utilised amount of a waste certainly exceeds what was generated plus received (plus stock drawn).",
    BALANCE_CLAUSE,
)
def utilization_exceeds_supply(ctx: Context) -> Iterator[Finding]:
    for claim in ctx.form.balances:
        finding = _balance_finding(claim)
        if finding is not None:
            yield finding


def _balance_finding(claim: BalanceClaim) -> Finding | None:
    if not has_quantity(claim.utilized):
        return None
    if not (has_quantity(claim.generated) or has_quantity(claim.received)):
        return None  # no source stated: nothing to balance against
    uq = claim.utilized.quantity
    terms = [(name, f.quantity) for name, f in _supply_terms(claim)]
    qs = [q for _, q in terms]
    if not compatible(uq, *qs):
        return None
    supply_iv = total(qs)
    if not exceeds(Interval.of(uq), supply_iv):
        return None
    unit = written_unit(qs[0])
    supply = sum((q.value for q in qs), Decimal(0))
    excess = uq.value - supply
    locs = unique_locations([q.loc for q in qs] + [uq.loc])
    by_name = dict(terms)
    return emit(
        "BALANCE.UTILIZATION_EXCEEDS_SUPPLY",
        f"{claim.waste}{period_suffix(claim.period)}：{_supply_text(terms, unit)} < 利用量 {show_with_conversion(uq, unit)}，"
        f"利用量超出可利用来源 {show_value(excess, written_unit(uq))}{files_note(locs)}",
        locations=locs,
        evidence={
            "waste": claim.waste,
            "period": claim.period,
            "utilized": dec(uq.value),
            "generated": dec(by_name["产生量"].value) if "产生量" in by_name else None,
            "received": dec(by_name["接收量"].value) if "接收量" in by_name else None,
            "stock_drawn": dec(by_name["库存减少"].value) if "库存减少" in by_name else None,
            "supply": dec(supply),
            "excess": dec(excess),
            "tolerance": dec(half_width(Interval.of(uq)) + half_width(supply_iv)),
            "unit": uq.unit,
        },
        quote=first_quote(claim.utilized, claim.generated, claim.received),
    )


@rule(
    "BALANCE.MONTHLY_SUM_MISMATCH",
    "error",
    "月度数据之和与全年不符",
    "The monthly figures of a waste do not add up to the annual figure.",
    "湖北细则附件2 大纲六（每月分种类的综合利用量）",
)
def monthly_sum_mismatch(ctx: Context) -> Iterator[Finding]:
    for claim in ctx.form.monthly:
        finding = _monthly_finding(claim)
        if finding is not None:
            yield finding


def _monthly_finding(claim: MonthlyClaim) -> Finding | None:
    found = total_disagrees(claim.annual, claim.months)
    if found is None:
        return None
    aq, months = found
    mqs = [f.quantity for f in months]
    month_units = {written_unit(q) for q in mqs}
    annual_unit = written_unit(aq)
    month_unit = month_units.pop() if len(month_units) == 1 else annual_unit
    months_sum = sum((q.value for q in mqs), Decimal(0))
    sum_text = show_value(months_sum, month_unit, places_in(month_unit, mqs))
    if month_unit != annual_unit:
        sum_text += f"（合 {show_value(months_sum, annual_unit)}）"
    difference = aq.value - months_sum
    diff_places = places_in(annual_unit, [*mqs, aq])
    locs = unique_locations([aq.loc, *(q.loc for q in mqs)])
    return emit(
        "BALANCE.MONTHLY_SUM_MISMATCH",
        f"{claim.label}{period_suffix(claim.period)}：{len(mqs)} 个月合计 {sum_text}，全年填报 {show(aq)}，"
        f"相差 {show_value(abs(difference), annual_unit, diff_places)}{files_note(locs)}",
        locations=locs,
        evidence={
            "label": claim.label,
            "period": claim.period,
            "months": len(mqs),
            "monthly_values": [number_as_written(q) for q in mqs],
            "months_sum": dec(months_sum),
            "annual": dec(aq.value),
            "difference": dec(difference),
            "tolerance": dec(half_width(Interval.of(aq)) + half_width(total(mqs))),
            "unit": aq.unit,
        },
        quote=first_quote(claim.annual, *months),
    )
