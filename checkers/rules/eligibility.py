"""Hunan benchmark-enterprise eligibility (湖南办法第三条、第六条（四）、第七条): the main
business must be an industrial resource, and at least one category must reach its scale.

The form extractor classifies each utilised waste into a 第七条 category (see
corpus/waste_types.yaml); the thresholds come from corpus/forms/hn_benchmark_thresholds.yaml."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from checkers.context import Context
from checkers.finding import Finding
from checkers.registry import emit, rule
from checkers.rules.common import dec, half_width, period_suffix, places_in, show, show_value, unique_locations
from checkers.tolerance import total
from extractor.forms.base import form_model
from extractor.forms.hn_benchmark import HnBenchmark, Utilization
from extractor.quantity import format_decimal

FORMS = ("hn_benchmark",)
TONNES_PER_WAN = Decimal(10000)
# 第七条（二）: 有色金属类 includes 稀贵金属 and 废旧锂离子电池, which also have their own floor.
ALSO_COUNTS_TOWARD = {"precious_battery": ("nonferrous",)}
NOT_IN_SCOPE = "out_of_scope"
UNKNOWN = "unknown"
DEFAULT_SCOPE_CLAUSE = "第三条、第六条（四）"
SCOPE_TEXT = "尾矿（共伴生矿）、煤矸石、粉煤灰、冶金渣、化工渣（工业副产石膏）、废旧锂离子电池、废旧金属及其他再生资源"


def hn_model(ctx: Context) -> HnBenchmark:
    return form_model(ctx.form, HnBenchmark)


def utilizations(ctx: Context) -> list[Utilization]:
    """The utilisation entries that carry a tonnage."""
    return [u for u in hn_model(ctx).utilization if u.quantity.unit == "吨"]


def _wan(value: Decimal, entries: list[Utilization]) -> str:
    return show_value(value, "万吨", places_in("万吨", [u.quantity for u in entries]))


def _threshold_text(min_tonnes: Decimal) -> str:
    return f"{format_decimal(min_tonnes / TONNES_PER_WAN)} 万吨"


def _members(category: str, entries: list[Utilization]) -> list[Utilization]:
    return [u for u in entries if u.category == category or category in ALSO_COUNTS_TOWARD.get(u.category, ())]


@rule(
    "ELIGIBILITY.SCALE_BELOW_THRESHOLD",
    "veto",
    "年综合利用量未达到规模要求",
    "No 第七条 category of utilised resources reaches its annual tonnage threshold.",
    "湖南办法第七条（一）（二）",
    forms=FORMS,
)
def scale_below_threshold(ctx: Context) -> Iterator[Finding]:
    thresholds = ctx.settings.get("scale") or []
    entries = utilizations(ctx)
    counted = [u for u in entries if u.category != NOT_IN_SCOPE]
    if not thresholds or not counted:
        return
    # an unclassified waste might belong to any category: only "certainly below" is reported
    unknown_hi = total(u.quantity for u in entries if u.category == UNKNOWN).hi
    rows = []
    for t in thresholds:
        members = _members(t["category"], entries)
        iv = total(u.quantity for u in members)
        min_tonnes = Decimal(str(t["min_tonnes"]))
        if iv.hi + unknown_hi >= min_tonnes:
            return  # this category may reach its scale: the enterprise qualifies
        amount = sum((u.quantity.value for u in members), Decimal(0))
        rows.append((t, members, iv, amount, min_tonnes))
    t, members, iv, amount, min_tonnes = max(rows, key=lambda r: (r[3], -r[4]))
    period = hn_model(ctx).period
    detail = "、".join(f"{u.name} {show(u.quantity)}" for u in members)
    others = [
        f"{o[0]['title']} {_wan(o[3], o[1])}（应不低于 {_threshold_text(o[4])}）"
        for o in rows
        if o[0] is not t and o[3] > 0
    ]
    message = (
        f"上年度{period_suffix(period)}{t['title']}年综合利用量 {_wan(amount, members)}"
        f"{f'（{detail}）' if detail else ''}，低于{t['clause']}规定的 {_threshold_text(min_tonnes)}"
    )
    if others:
        message += "；其他类别亦未达到：" + "；".join(others)
    evidence: dict[str, Any] = {
        "category": t["category"],
        "title": t["title"],
        "clause": t["clause"],
        "period": period,
        "amount": dec(amount),
        "min_tonnes": dec(min_tonnes),
        "tolerance": dec(half_width(iv)),
        "unit": "吨",
        "wastes": [u.name for u in members],
    }
    for o in rows:
        evidence[f"amount_{o[0]['category']}"] = dec(o[3])
    yield emit(
        "ELIGIBILITY.SCALE_BELOW_THRESHOLD",
        message,
        locations=unique_locations([u.quantity.loc for u in members] + [u.quantity.loc for u in counted]),
        evidence=evidence,
    )


@rule(
    "ELIGIBILITY.CATEGORY_OUT_OF_SCOPE",
    "veto",
    "主营业务不属于工业资源范围",
    "The waste with the largest utilisation (the main business) is not an industrial resource under 第三条; unclassifiable -> warning.",
    "湖南办法第三条、第六条（四）",
    forms=FORMS,
)
def category_out_of_scope(ctx: Context) -> Iterator[Finding]:
    entries = utilizations(ctx)
    if not entries:
        return
    amounts: dict[str, Decimal] = {}
    for u in entries:
        amounts[u.category] = amounts.get(u.category, Decimal(0)) + u.quantity.value
    # on a tie the enterprise gets the benefit of the doubt: an in-scope category wins
    main = max(amounts, key=lambda c: (amounts[c], c not in (NOT_IN_SCOPE, UNKNOWN), c == UNKNOWN))
    if main not in (NOT_IN_SCOPE, UNKNOWN):
        return
    members = [u for u in entries if u.category == main]
    names = "、".join(f"「{n}」" for n in dict.fromkeys(u.name for u in members))
    clause = ctx.settings.get("scope_clause") or DEFAULT_SCOPE_CLAUSE
    amount = _wan(amounts[main], members)
    locs = unique_locations(u.quantity.loc for u in members)
    evidence = {
        "category": main,
        "wastes": [u.name for u in members],
        "amount": dec(amounts[main]),
        "unit": "吨",
        "clause": clause,
        "period": hn_model(ctx).period,
    }
    if main == NOT_IN_SCOPE:
        yield emit(
            "ELIGIBILITY.CATEGORY_OUT_OF_SCOPE",
            f"利用量最大的资源{names}（年综合利用量 {amount}）不属于第三条规定的工业资源（{SCOPE_TEXT}），"
            f"主营业务不符合{clause}的要求",
            locations=locs,
            evidence=evidence,
        )
    else:
        yield emit(
            "ELIGIBILITY.CATEGORY_OUT_OF_SCOPE",
            f"无法判断{names}是否属于第三条范围，请人工核实（该资源年综合利用量 {amount}，为利用量最大的资源）",
            severity="warning",
            locations=locs,
            evidence=evidence,
        )
