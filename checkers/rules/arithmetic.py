"""Arithmetic inside the submission: totals against their items, reported rates against
their inputs, year-on-year changes against the two years.  Every comparison goes through
`checkers.tolerance` so a figure is only wrong when no rounding of its inputs explains it."""

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
    unique_locations,
    written_unit,
)
from checkers.tolerance import HUNDRED, Interval, ratio_percent, rate_agrees, total
from extractor.forms.base import ChangeClaim, Fact, RateClaim, SumClaim
from extractor.quantity import Quantity, format_decimal, parse_quantity

SUM_CLAUSE = "湖南办法附表 指标表（工业资源年综合利用量及分种类利用量）；湖北细则附件3 年报表「合计」行"


@rule(
    "SUM.TOTAL_MISMATCH",
    "error",
    "合计与分项之和不符",
    "A total does not equal the sum of its items within the precision they are written to.",
    SUM_CLAUSE,
)
def sum_mismatch(ctx: Context) -> Iterator[Finding]:
    for claim in ctx.form.sums:
        finding = _sum_finding(claim)
        if finding is not None:
            yield finding


def _sum_finding(claim: SumClaim) -> Finding | None:
    found = total_disagrees(claim.total, claim.items)
    if found is None:
        return None
    tq, items = found
    iqs = [f.quantity for f in items]
    unit = written_unit(tq)
    same_unit = all(written_unit(q) == unit for q in iqs)
    terms = [number_as_written(q) if same_unit else show(q) for q in iqs]
    items_sum = sum((q.value for q in iqs), Decimal(0))
    difference = tq.value - items_sum
    sum_text = show_value(items_sum, unit, places_in(unit, iqs))
    diff_text = show_value(abs(difference), unit, places_in(unit, [*iqs, tq]))
    tol = half_width(Interval.of(tq)) + half_width(total(iqs))
    return emit(
        "SUM.TOTAL_MISMATCH",
        f"{claim.label}{period_suffix(claim.period)}：分项合计 {' + '.join(terms)} = {sum_text}，"
        f"填报 {show(tq)}，相差 {diff_text}{files_note([tq.loc, *(q.loc for q in iqs)])}",
        locations=unique_locations([tq.loc, *(q.loc for q in iqs)]),
        evidence={
            "label": claim.label,
            "period": claim.period,
            "total": dec(tq.value),
            "items_sum": dec(items_sum),
            "difference": dec(difference),
            "tolerance": dec(tol),
            "unit": tq.unit,
            "items": [f.label for f in items],
        },
        quote=first_quote(claim.total, *items),
    )


def _percent_text(q: Quantity) -> str:
    return f"{number_as_written(q)}%"


@rule(
    "RATE.MISMATCH",
    "error",
    "比率与计算结果不符",
    "A reported percentage does not equal numerator / denominator × 100 within the precision of its inputs.",
    "湖南办法附表 指标表「综合利用率」；湖北细则附件3 年报表「综合利用率(%)」",
)
def rate_mismatch(ctx: Context) -> Iterator[Finding]:
    wrong_totals = {s.total.quantity.loc for s in ctx.form.sums
                    if has_quantity(s.total) and s.total.quantity.loc is not None and total_disagrees(s.total, s.items)}
    for claim in ctx.form.rates:
        parts = [f.quantity.loc for f in (claim.numerator, claim.denominator) if has_quantity(f)]
        if any(loc is not None and loc in wrong_totals for loc in parts):
            continue  # computed from a 合计 that does not add up: SUM.TOTAL_MISMATCH reports it once
        finding = _rate_finding(claim)
        if finding is not None:
            yield finding


def _rate_finding(claim: RateClaim) -> Finding | None:
    if not (has_quantity(claim.reported) and has_quantity(claim.numerator) and has_quantity(claim.denominator)):
        return None
    rq, nq, dq = claim.reported.quantity, claim.numerator.quantity, claim.denominator.quantity
    if not compatible(nq, dq) or rq.unit not in ("%", ""):
        return None
    agrees = rate_agrees(rq, nq, dq)
    if agrees is None or agrees:  # None: zero denominator, nothing to recompute
        return None
    others = [a for a in claim.alternatives if has_quantity(a) and compatible(nq, a.quantity)]
    if any(rate_agrees(rq, nq, a.quantity) for a in others):
        return None
    computed = nq.value / dq.value * HUNDRED
    places = max(rq.decimals, 1)
    computed_iv = ratio_percent(nq, dq)
    locs = unique_locations([rq.loc, nq.loc, dq.loc])
    also = "".join(f"；按 {claim.numerator.label} / {a.label} {show(a.quantity)} 计算为 "
                   f"{format_decimal(nq.value / a.quantity.value * HUNDRED, places)}%" for a in others if a.quantity.value)
    return emit(
        "RATE.MISMATCH",
        f"{claim.label}{period_suffix(claim.period)}：填报 {_percent_text(rq)}，按 {claim.numerator.label} {show(nq)} / "
        f"{claim.denominator.label} {show(dq)} × 100% = {format_decimal(computed, places)}%{also}{files_note(locs)}",
        locations=locs,
        evidence={
            "label": claim.label,
            "period": claim.period,
            "reported": dec(rq.value),
            "computed": format_decimal(computed, places + 2),
            "computed_lo": format_decimal(computed_iv.lo, places + 2),
            "computed_hi": format_decimal(computed_iv.hi, places + 2),
            "tolerance": dec(rq.tolerance),
            "numerator": dec(nq.value),
            "denominator": dec(dq.value),
            "numerator_label": claim.numerator.label,
            "denominator_label": claim.denominator.label,
            "formula": claim.formula,
            "unit": "%",
        },
        quote=first_quote(claim.reported, claim.numerator, claim.denominator),
    )


def _is_rate_fact(f: Fact) -> bool:
    return has_quantity(f) and f.quantity.unit == "%" and "rate" in f.key.lower()


@rule(
    "RATE.OUT_OF_RANGE",
    "error",
    "比率超出 0–100%",
    "A rate (a percentage fact or a reported rate) is below 0 % or above 100 %.",
    "湖南办法附表 指标表「综合利用率」；湖北细则附件3 年报表「综合利用率(%)」",
)
def rate_out_of_range(ctx: Context) -> Iterator[Finding]:
    candidates: list[tuple[str, str | None, Fact]] = [(f.label, f.period, f) for f in ctx.form.facts if _is_rate_fact(f)]
    candidates += [(c.label, c.period, c.reported) for c in ctx.form.rates if has_quantity(c.reported)]
    seen: set[tuple] = set()
    for label, period, fact in candidates:
        q = fact.quantity
        if Decimal(0) <= q.value <= HUNDRED:
            continue
        key = (q.loc, q.value, period)
        if key in seen:
            continue
        seen.add(key)
        bound = "低于 0%" if q.value < 0 else "超过 100%"
        yield emit(
            "RATE.OUT_OF_RANGE",
            f"{label}{period_suffix(period)}填报 {_percent_text(q)}，{bound}，超出比率的合理范围（0%–100%）{files_note([q.loc])}",
            locations=[q.loc] if q.loc else [],
            evidence={"label": label, "key": fact.key, "period": period, "value": dec(q.value), "unit": "%"},
            quote=fact.quote,
        )


# ---- year-on-year changes -------------------------------------------------------------


def _year_name(f: Fact, fallback: str) -> str:
    p = (f.period or "").strip()
    return f"{p}年" if p.isdigit() else (p or fallback)


def _signed_value(value: Decimal, unit: str, places: int | None) -> str:
    s = show_value(value, unit, places)
    return s if value <= 0 else f"+{s}"


def _written_percent_interval(q: Quantity) -> Interval:
    """A bare number read as a percentage: its written number, to its written precision."""
    w = q.in_source_unit
    t = q.tolerance / q.scale
    return Interval(w - t, w + t)


def _change_interval_in_row_unit(ch: Quantity, row: Quantity) -> Interval:
    """The change cell as an amount in the years' base unit.  A change without any unit is
    taken to be in the unit the years are written in."""
    if ch.unit:
        return Interval.of(ch)
    w = _written_percent_interval(ch)
    return w.scale(row.scale)


def change_modes(claim: ChangeClaim) -> list[str]:
    """How the change column may be meant: 'absolute' (cur − prev in the years' unit),
    'points' (cur − prev of a rate, in percentage points), 'relative' ((cur − prev)/prev × 100).
    Several modes mean: accept a match in any of them."""
    ch, prev = claim.change.quantity, claim.previous.quantity
    written = parse_quantity(claim.change_text or ch.text)
    bare = written is None or not written.source_unit
    if ch.unit == "%":
        return ["points", "relative"] if prev.unit == "%" else ["relative"]
    if bare:
        return ["absolute", "relative"]
    return ["absolute"]


@rule(
    "CHANGE.MISMATCH",
    "error",
    "变化情况与两年数据不符",
    "The year-on-year change column disagrees with the previous and current year's figures (absolute or relative).",
    "湖南办法附表 指标表「上年度指标较前一年度变化情况」；编制提纲二（较前一年度变化情况）",
)
def change_mismatch(ctx: Context) -> Iterator[Finding]:
    for claim in ctx.form.changes:
        finding = _change_finding(claim)
        if finding is not None:
            yield finding


def _change_finding(claim: ChangeClaim) -> Finding | None:
    if not (has_quantity(claim.previous) and has_quantity(claim.current) and has_quantity(claim.change)):
        return None
    pq, cq, ch = claim.previous.quantity, claim.current.quantity, claim.change.quantity
    if not compatible(pq, cq):
        return None
    modes = change_modes(claim)
    diff = Interval.of(cq) - Interval.of(pq)
    computed: dict[str, Interval] = {}
    written: dict[str, Interval] = {}
    if "absolute" in modes and (not ch.unit or compatible(ch, cq)):
        computed["absolute"] = diff
        written["absolute"] = _change_interval_in_row_unit(ch, cq)
    if "points" in modes:
        computed["points"] = diff
        written["points"] = Interval.of(ch)
    if "relative" in modes:
        rel = diff / Interval.of(pq)
        if rel is not None:
            computed["relative"] = rel.scale(HUNDRED)
            written["relative"] = Interval.of(ch) if ch.unit == "%" else _written_percent_interval(ch)
    if not computed or any(computed[m].meets(written[m]) for m in computed):
        return None

    prev_name = _year_name(claim.previous, "前一年度")
    cur_name = _year_name(claim.current, "上年度")
    abs_value = cq.value - pq.value
    row_unit = written_unit(cq)
    abs_places = places_in(row_unit, [pq, cq])
    pct_places = max(ch.decimals, 1)
    rel_value = (abs_value / pq.value * HUNDRED) if pq.value else None
    shown: list[str] = []
    if "absolute" in computed:
        shown.append(f"按 {cur_name} − {prev_name} 计算应为 {_signed_value(abs_value, row_unit, abs_places)}")
    if "points" in computed:
        shown.append(f"按 {cur_name} − {prev_name} 计算应为 {_signed_value(abs_value, '个百分点', abs_places)}")
    if "relative" in computed and rel_value is not None:
        shown.append(
            f"按 ({cur_name} − {prev_name}) / {prev_name} × 100% 计算应为 "
            f"{'+' if rel_value > 0 else ''}{format_decimal(rel_value, pct_places)}%"
        )
    locs = unique_locations([pq.loc, cq.loc, ch.loc])
    written_change = (claim.change_text or ch.text).strip()
    return emit(
        "CHANGE.MISMATCH",
        f"{claim.label}：{prev_name} {show(pq)}，{cur_name} {show(cq)}，变化情况填写「{written_change}」，"
        f"{'；'.join(shown)}{files_note(locs)}",
        locations=locs,
        evidence={
            "label": claim.label,
            "previous": dec(pq.value),
            "current": dec(cq.value),
            "change": dec(ch.value),
            "change_text": written_change,
            "modes": list(computed),
            "computed_absolute": dec(abs_value),
            "computed_relative": format_decimal(rel_value, pct_places + 2) if rel_value is not None else None,
            "tolerance": dec(half_width(written[next(iter(written))])),
            "unit": cq.unit,
            "change_unit": ch.unit,
        },
        quote=first_quote(claim.change, claim.current, claim.previous),
    )
