"""One figure, stated in several places of the package, must be the same figure."""

from __future__ import annotations

from typing import Iterator

from checkers.context import Context
from checkers.finding import Finding
from checkers.registry import emit, rule
from checkers.rules.common import (
    SOURCE_PREFERENCE,
    compatible,
    dec,
    files_note,
    first_quote,
    has_quantity,
    period_suffix,
    show,
    show_with_conversion,
    source_name,
    unique_locations,
    total_disagrees,
    written_unit,
)
from checkers.tolerance import (APPROXIMATE_SHARE, Interval, agree, approximation_holds, rate_agrees, ratio_percent,
                                sum_agrees)
from extractor.forms.base import Fact, SumClaim
from extractor.model import Location
from extractor.quantity import Quantity


def _rank(f: Fact) -> int:
    return SOURCE_PREFERENCE.index(f.source) if f.source in SOURCE_PREFERENCE else len(SOURCE_PREFERENCE)


def reference_fact(facts: list[Fact]) -> Fact:
    """The statement others are compared with: the form's own tables before prose."""
    return min(enumerate(facts), key=lambda p: (_rank(p[1]), p[0]))[1]


def _file(f: Fact) -> str | None:
    return f.quantity.loc.file if f.quantity.loc else None


def _place(f: Fact, same_name_as_other: bool) -> str:
    name = source_name(f.source)
    return f"{name}（{_file(f)}）" if same_name_as_other and _file(f) else name


def _verb(f: Fact) -> str:
    # "报告正文写为 13.6 万吨" but "指标表 填报 12.6 万吨", as a reviewer would write it
    return "写为" if f.source == "narrative" else " 填报"


def _rates_that_do_not_compute(ctx: Context) -> dict[Location, Interval]:
    """Reported rates that disagree with their own numerator / denominator (RATE.MISMATCH), by
    location, with the rate their figures give."""
    out: dict[Location, Interval] = {}
    for claim in ctx.form.rates:
        if not all(has_quantity(f) for f in (claim.reported, claim.numerator, claim.denominator)):
            continue
        rq, nq, dq = claim.reported.quantity, claim.numerator.quantity, claim.denominator.quantity
        if rq.loc is None or rate_agrees(rq, nq, dq) is not False:
            continue
        if any(has_quantity(a) and rate_agrees(rq, nq, a.quantity) for a in claim.alternatives):
            continue
        computed = ratio_percent(nq, dq)
        if computed is not None:
            out[rq.loc] = computed
    return out


def _items_of_sums_that_do_not_add_up(ctx: Context) -> dict[Location, SumClaim]:
    """The items of sums that do not add up (SUM.TOTAL_MISMATCH), by the location of each item."""
    out: dict[Location, SumClaim] = {}
    for claim in ctx.form.sums:
        if total_disagrees(claim.total, claim.items) is None:
            continue
        for item in claim.items:
            if has_quantity(item) and item.quantity.loc is not None:
                out[item.quantity.loc] = claim
    return out


def _restores_the_sum(item: Quantity, other: Quantity, broken: dict[Location, SumClaim]) -> bool:
    claim = broken.get(item.loc) if item.loc is not None else None
    if claim is None or not compatible(claim.total.quantity, other):
        return False
    items = [other if f.quantity.loc == item.loc else f.quantity for f in claim.items if has_quantity(f)]
    return sum_agrees(claim.total.quantity, items)


def _restates_the_computed_rate(table: Quantity, other: Quantity, wrong: dict[Location, Interval]) -> bool:
    computed = wrong.get(table.loc) if table.loc is not None else None
    return computed is not None and Interval.of(other).meets(computed)


@rule(
    "CROSSDOC.FIGURE_MISMATCH",
    "error",
    "同一数据前后不一致",
    "The same figure (same meaning and period) is stated differently in different files or parts of the package; a warning "
    "when a narrative figure's attribution is uncertain (which waste or year), when it is approximate (约…) and off by more "
    "than 10 %, or when both statements are prose; an approximate bound (超过 / 不足 X) that the figure certainly breaks is an error.",
    "湖北细则第十六条（资料准确性审查、一致性核查）；湖南办法第十五条（四）（不得提供虚假数据）",
)
def figure_mismatch(ctx: Context) -> Iterator[Finding]:
    wrong_rates = _rates_that_do_not_compute(ctx)
    broken_sums = _items_of_sums_that_do_not_add_up(ctx)
    groups: dict[tuple[str, str | None], list[Fact]] = {}
    for f in ctx.form.facts:
        if has_quantity(f):
            groups.setdefault((f.key, f.period), []).append(f)
    for (key, period), facts in groups.items():
        if len(facts) < 2:
            continue
        ref = reference_fact(facts)
        seen: set[tuple] = set()
        for other in facts:
            if other is ref or (other.source == ref.source and _file(other) == _file(ref)):
                continue
            rq, oq = ref.quantity, other.quantity
            # a figure without a unit next to one with a unit cannot be compared: its scale is unknown
            approximate = rq.approximate or oq.approximate
            if rq.unit != oq.unit or (not approximate and agree(rq, oq)):
                continue
            if _restates_the_computed_rate(rq, oq, wrong_rates) or _restates_the_computed_rate(oq, rq, wrong_rates):
                continue  # the table's rate is wrong and the other states the right one: RATE.MISMATCH says so once
            if _restores_the_sum(rq, oq, broken_sums) or _restores_the_sum(oq, rq, broken_sums):
                continue  # the table's item breaks its 合计 and the other states the value that adds up: SUM says so once
            doubts = [d for d in (ref.uncertain, other.uncertain) if d]
            if approximate:
                verdict = approximation_holds(rq, oq)
                if verdict is True:
                    continue  # "约12万吨" restates 12.3 万吨 well enough; "超过12万吨" is true of 12.3
                if verdict is None:
                    doubts.append("其中一处为约数，两者相差超过" + f"{APPROXIMATE_SHARE * 100:g}%")
            if ref.source == "narrative" and other.source == "narrative":
                doubts.append("两处均为正文表述，未与表格核对")
            sig = (other.source, oq.loc, oq.value)
            if sig in seen:
                continue
            seen.add(sig)
            same_name = source_name(ref.source) == source_name(other.source)
            locs = unique_locations([rq.loc, oq.loc])
            tol = Interval.of(rq).hi - rq.value + Interval.of(oq).hi - oq.value
            yield emit(
                "CROSSDOC.FIGURE_MISMATCH",
                f"{ref.label}{period_suffix(period)}：{_place(ref, same_name)}{_verb(ref)} {show(rq)}，"
                f"{_place(other, same_name)}{_verb(other)} {show_with_conversion(oq, written_unit(rq))}{files_note(locs)}"
                + (f"（{'；'.join(doubts)}，请核实）" if doubts else ""),
                severity="warning" if doubts else None,
                locations=locs,
                evidence={
                    "key": key,
                    "period": period,
                    "label": ref.label,
                    "reference": dec(rq.value),
                    "other": dec(oq.value),
                    "reference_source": ref.source,
                    "other_source": other.source,
                    "difference": dec(oq.value - rq.value),
                    "tolerance": dec(tol),
                    "unit": rq.unit,
                    "uncertain": "；".join(doubts) or None,
                },
                quote=first_quote(other, ref),
            )
