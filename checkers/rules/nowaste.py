"""无废园区 / 无废企业 典型案例 (seed 003, 工信厅联节函〔2024〕16号): text lengths, the 2020–2023
columns, 产生强度 arithmetic, the 基本要求 thresholds, the unit's age, the title's form and the
附件2 汇总表.  Sums and 综合利用率 go through the generic SUM/RATE rules (the extractor fills
SumClaims and RateClaims); what they cannot express lives here.

Inputs are the form's typed model (`NowastePackage`, one `NowasteCase` per case) as
`extractor.forms.nowaste_case` fills it; thresholds come from corpus/forms/nowaste_case_thresholds.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from checkers.context import Context
from checkers.finding import Finding
from checkers.registry import emit, rule
from checkers.rules.common import dec, files_note, show, unique_locations
from checkers.tolerance import HUNDRED, Interval
from extractor.forms.base import form_model
from extractor.forms.nowaste_case import (
    ENTERPRISE,
    Established,
    PARK,
    UNKNOWN,
    NowasteCase,
    NowastePackage,
    RateInputs,
    SummaryRow,
    attribute_kind,
    unit_kind_of_name,
)
from extractor.forms.text import compact, similarity
from extractor.model import Location
from extractor.quantity import Quantity, format_decimal

FORMS = ("nowaste_case",)
KIND_NAMES = {"park": "园区", "enterprise": "企业"}
TEN_THOUSAND = Decimal(10000)


def _clause(ctx: Context, key: str, default: str) -> str:
    return (ctx.settings.get("clauses") or {}).get(key, default)


def _text_settings(ctx: Context) -> dict[str, Any]:
    return ctx.settings.get("text") or {}


def package(ctx: Context) -> NowastePackage:
    return form_model(ctx.form, NowastePackage)


def cases(ctx: Context) -> list[NowasteCase]:
    """Each case: a package of several cases (a province's recommendation) is checked case by case."""
    return package(ctx).cases or [NowasteCase()]


def _who(el: NowasteCase) -> str:
    """The case a finding is about, named when the package holds several."""
    return f"（{el.case}）" if el.case else ""


# ---------------------------------------------------------------- text lengths


@rule(
    "TEXT.LENGTH_EXCEEDED",
    "error",
    "文字篇幅不符合要求",
    "自述 over its limit (1000 字) or a 汇总表 案例简要描述 over 200 字 (error); the case text far from about 3000 字 (warning).",
    "附件1 表1/表2 自述（1000字以内）、申报材料（文字材料字数在3000字左右）；附件2 案例简要描述（不超过200字）",
    forms=FORMS,
)
def text_length(ctx: Context) -> Iterator[Finding]:
    ts = _text_settings(ctx)
    for el in cases(ctx):
        yield from _case_text_length(ctx, el, ts)
    dlimit = int(ts.get("summary_description_max", 200))
    for row in _summary(ctx):
        n = row.description_count
        if n > dlimit:
            loc = row.locs.get("description") or row.loc
            yield emit(
                "TEXT.LENGTH_EXCEEDED",
                f"附件2 汇总表「{row.name or row.case}」的案例简要描述约 {n} 字，超过 {dlimit} 字{files_note([loc])}",
                locations=[loc] if loc else [],
                evidence={"part": "summary_description", "label": "案例简要描述", "unit": row.name, "count": n, "limit": dlimit},
            )


def _case_text_length(ctx: Context, el: NowasteCase, ts: dict[str, Any]) -> Iterator[Finding]:
    sst = el.self_statement
    limit = int(ts.get("self_statement_max", 1000))
    if sst.found and sst.count > limit:
        name = f"{_who(el)}{KIND_NAMES.get(el.kind, '')}自述"
        loc = sst.loc
        yield emit(
            "TEXT.LENGTH_EXCEEDED",
            f"{name}约 {sst.count} 字，超过 {limit} 字的篇幅要求（{_clause(ctx, 'self_statement', '自述1000字以内')}）{files_note([loc])}",
            locations=[loc] if loc else [],
            evidence={"part": "self_statement", "label": name, "count": sst.count, "limit": limit,
                      "counting": "中文字符与标点各计1字，连续的数字或字母计1字"},
        )
    body = el.body
    lo, hi, target = int(ts.get("case_text_min", 1500)), int(ts.get("case_text_max", 6000)), int(ts.get("case_text_target", 3000))
    if body.found and not (lo <= body.count <= hi):
        loc = body.loc
        side = "明显少于" if body.count < lo else "明显多于"
        yield emit(
            "TEXT.LENGTH_EXCEEDED",
            f"{_who(el)}案例正文约 {body.count} 字，{side}要求的 {target} 字左右（按 {lo}–{hi} 字判断）"
            f"（{_clause(ctx, 'case_text', '文字材料字数在3000字左右')}）{files_note([loc])}",
            severity="warning",
            locations=[loc] if loc else [],
            evidence={"part": "body", "label": "正文", "count": body.count, "target": target, "min": lo, "max": hi},
        )


# ---------------------------------------------------------------- 2020–2023 columns


@rule(
    "PERIOD.MISSING_YEAR",
    "error",
    "缺少年度数据",
    "A year the seed asks for (2020–2023) has no column in 表1/表2, or its column is left empty.",
    "附件1 正文（可量化部分应提供2020-2023年数据）、表1/表2",
    forms=FORMS,
)
def missing_year(ctx: Context) -> Iterator[Finding]:
    for el in cases(ctx):
        yield from _case_missing_year(el)


def _case_missing_year(el: NowasteCase) -> Iterator[Finding]:
    """One finding per missing year and kind of gap, naming every part of the table that lacks it
    (a table split into 生产经营 and 工业固废 parts without 2020 is one gap, not two)."""
    gaps: dict[tuple[str, str], list[tuple[str, Location | None]]] = {}
    for block in el.year_columns:
        part = block.part or "基本情况表"
        for y in el.years:
            if y not in block.years:
                gaps.setdefault((y, "no_column"), []).append((part, block.loc))
            elif not block.filled.get(y):
                loc = block.column_locs.get(y) or block.loc
                gaps.setdefault((y, "empty_column"), []).append((part, loc))
    for (y, problem), parts in gaps.items():
        names = "、".join(dict.fromkeys(f"「{p}」" for p, _ in parts))
        locs = unique_locations(loc for _, loc in parts)
        what = f"缺少 {y} 年一列" if problem == "no_column" else f"{y} 年一列未填写数据"
        yield emit("PERIOD.MISSING_YEAR", f"{_who(el)}基本情况表{names}部分{what}（应提供2020–2023年数据）{files_note(locs)}",
                   locations=locs, evidence={"year": y, "part": "、".join(dict.fromkeys(p for p, _ in parts)), "problem": problem})


# ---------------------------------------------------------------- 产生强度


def intensity_interval(generated: Quantity, value_added: Quantity) -> Interval | None:
    """产生量(吨) / 工业增加值(万元), as an interval over the rounding of both inputs."""
    iv = Interval.of(generated) / Interval.of(value_added).scale(1 / TEN_THOUSAND)
    return iv


@rule(
    "INTENSITY.MISMATCH",
    "error",
    "产生强度与计算结果不符",
    "The reported 工业固废产生强度 differs from 产生量(吨) / 工业增加值(万元) beyond the rounding of its inputs.",
    "附件1 表1 注：工业固废产生强度=工业固体废物产生量(吨)/工业增加值(万元)",
    forms=FORMS,
)
def intensity_mismatch(ctx: Context) -> Iterator[Finding]:
    for el in cases(ctx):
        yield from _case_intensity_mismatch(el)


def _case_intensity_mismatch(el: NowasteCase) -> Iterator[Finding]:
    for y, e in sorted(el.intensity.items()):
        rq, gq, vq = e.reported, e.generated, e.value_added
        if rq is None or gq is None or vq is None or gq.unit != "吨" or vq.unit != "元" or vq.value <= 0:
            continue
        computed_iv = intensity_interval(gq, vq)
        if computed_iv is None or Interval.of(rq).meets(computed_iv):
            continue
        computed = gq.value / (vq.value / TEN_THOUSAND)
        places = max(rq.decimals, 2)
        locs = unique_locations([rq.loc, gq.loc, vq.loc])
        src = "（工业增加值取自正文）" if e.value_added_source == "正文" else ""
        yield emit(
            "INTENSITY.MISMATCH",
            f"{_who(el)}工业固废产生强度（{y}年）：填报 {format_decimal(rq.value, rq.decimals)} 吨/万元，按 产生量 {show(gq)}"
            f"（{format_decimal(gq.value)} 吨）/ 工业增加值 {show(vq)} = {format_decimal(computed, places)} 吨/万元{src}{files_note(locs)}",
            locations=locs,
            evidence={"period": y, "reported": dec(rq.value), "computed": format_decimal(computed, places + 2),
                      "computed_lo": format_decimal(computed_iv.lo, places + 2), "computed_hi": format_decimal(computed_iv.hi, places + 2),
                      "generated_tonnes": dec(gq.value), "value_added_wan_yuan": dec(vq.value / TEN_THOUSAND),
                      "formula": "产生量(吨) / 工业增加值(万元)", "unit": "吨/万元"},
        )


# ---------------------------------------------------------------- 基本要求


def rate_of(entry: RateInputs) -> tuple[Interval, str, list[Location | None]] | None:
    """The year's 综合利用率 as an interval: the reported figure, else 利用量 / 产生量."""
    rq, gq, uq = entry.reported, entry.generated, entry.utilized
    if rq is not None and rq.unit in ("%", ""):
        return Interval.of(rq), f"{format_decimal(rq.value, rq.decimals)}%", [rq.loc]
    if gq is not None and uq is not None and gq.value > 0:
        iv = Interval.of(uq) / Interval.of(gq)
        if iv is None:
            return None
        pct = uq.value / gq.value * HUNDRED
        return iv.scale(HUNDRED), f"{format_decimal(pct, 1)}%（按利用量/产生量计算）", [uq.loc, gq.loc]
    return None


@rule(
    "ELIGIBILITY.RATE_BELOW_THRESHOLD",
    "error",
    "综合利用率未达到基本要求",
    "The latest 综合利用率 is below 90 % (park) / 80 % (enterprise) and did not rise by 20 points over the three years.",
    "二、基本要求（一）1（园区≥90%）、（二）1（企业≥80%），或近三年累计提高20个百分点以上",
    forms=FORMS,
)
def rate_below(ctx: Context) -> Iterator[Finding]:
    for el in cases(ctx):
        yield from _case_rate_below(ctx, el)


def _case_rate_below(ctx: Context, el: NowasteCase) -> Iterator[Finding]:
    kind = el.kind
    floors = ctx.settings.get("min_rate") or {}
    if kind not in floors:
        return
    rates = el.rates
    years = sorted(rates)
    if not years:
        return
    first, last = years[0], years[-1]
    cur = rate_of(rates[last])
    if cur is None:
        return
    floor = Decimal(str(floors[kind]))
    if cur[0].hi >= floor:
        return
    rise_needed = Decimal(str(ctx.settings.get("rate_rise_points", 20)))
    base = rate_of(rates[first]) if first != last else None
    rise_text = ""
    evidence: dict[str, Any] = {"kind": kind, "year": last, "rate": dec(cur[0].mid), "threshold": dec(floor),
                                "rise_needed": dec(rise_needed)}
    if base is not None:
        rise = cur[0] - base[0]
        if rise.hi >= rise_needed:
            return  # risen by 20 points or may have: the alternative condition holds
        rise_text = f"；{first}年为 {base[1]}，{first}–{last}年累计提高 {format_decimal(cur[0].mid - base[0].mid, 1)} 个百分点，不足 {dec(rise_needed)} 个百分点"
        evidence.update({"base_year": first, "base_rate": dec(base[0].mid), "rise": format_decimal(cur[0].mid - base[0].mid, 2)})
    else:
        rise_text = "；未提供往年数据，无法按累计提高幅度判断"
    locs = unique_locations(cur[2] + (base[2] if base else []))
    yield emit(
        "ELIGIBILITY.RATE_BELOW_THRESHOLD",
        f"{_who(el)}{last}年工业固废综合利用率 {cur[1]}，低于无废{KIND_NAMES[kind]}基本要求的 {dec(floor)}%{rise_text}"
        f"（{_clause(ctx, 'rate', '二、基本要求')}，原则上应符合）{files_note(locs)}",
        locations=locs,
        evidence=evidence,
    )


def _decline(first: Interval, last: Interval) -> Interval | None:
    """(first − last) / first × 100 as an interval."""
    r = last / first
    if r is None:
        return None
    return Interval(HUNDRED - r.hi * HUNDRED, HUNDRED - r.lo * HUNDRED)


def _intensity_series(el: NowasteCase) -> dict[str, tuple[Interval, str, list[Location | None]]]:
    out = {}
    for y, e in el.intensity.items():
        rq, gq, vq = e.reported, e.generated, e.value_added
        if rq is not None:
            out[y] = (Interval.of(rq), f"{format_decimal(rq.value, rq.decimals)} 吨/万元", [rq.loc])
        elif gq is not None and vq is not None and vq.value > 0 and gq.unit == "吨":
            iv = intensity_interval(gq, vq)
            if iv is not None:
                out[y] = (iv, f"{format_decimal(iv.mid, 3)} 吨/万元（按产生量/工业增加值计算）", [gq.loc, vq.loc])
    return out


def _unit_output_series(el: NowasteCase) -> dict[str, tuple[Interval, str, list[Location | None]]]:
    out = {}
    for y, e in el.unit_output.items():
        gq, pq = e.generated, e.production
        if pq.value <= 0:
            continue
        iv = Interval.of(gq) / Interval.of(pq)
        if iv is not None:
            unit = pq.source_unit or pq.unit or "单位产品"
            out[y] = (iv, f"{format_decimal(gq.value / pq.value, 4)} 吨/{'吨' if pq.unit == '吨' else unit}产品", [gq.loc, pq.loc])
    return out


@rule(
    "ELIGIBILITY.INTENSITY_DECLINE_BELOW_THRESHOLD",
    "error",
    "产生强度降幅未达到基本要求",
    "工业固废产生强度 (park) fell less than 10 % over the three years (error); for an enterprise, 单位产品产生量 fell less than 10 % (warning: it may instead be well below its industry's average).",
    "二、基本要求（一）2（产生强度近三年累计降幅≥10%）、（二）2（单位产品产生量低于同行业平均水平或近三年累计降幅≥10%）",
    forms=FORMS,
)
def intensity_decline(ctx: Context) -> Iterator[Finding]:
    for el in cases(ctx):
        yield from _case_intensity_decline(ctx, el)


def _case_intensity_decline(ctx: Context, el: NowasteCase) -> Iterator[Finding]:
    kind = el.kind
    need = Decimal(str(ctx.settings.get("min_intensity_decline_percent", 10)))
    if kind == PARK:
        series, what, severity = _intensity_series(el), "工业固废产生强度", None
    elif kind == ENTERPRISE:
        series, what, severity = _unit_output_series(el), "单位产品工业固废产生量", "warning"
    else:
        return
    years = sorted(series)
    if len(years) < 2:
        return
    first, last = years[0], years[-1]
    d = _decline(series[first][0], series[last][0])
    if d is None or d.hi >= need:
        return
    mid = (series[first][0].mid - series[last][0].mid) / series[first][0].mid * HUNDRED
    change = f"累计下降 {format_decimal(mid, 1)}%" if mid >= 0 else f"不降反升 {format_decimal(-mid, 1)}%"
    extra = "；企业也可以单位产品产生量显著低于同行业平均水平满足该项要求，请人工核实" if kind == ENTERPRISE else ""
    locs = unique_locations(series[first][2] + series[last][2])
    yield emit(
        "ELIGIBILITY.INTENSITY_DECLINE_BELOW_THRESHOLD",
        f"{_who(el)}{what}：{first}年 {series[first][1]}，{last}年 {series[last][1]}，{change}，低于近三年累计降幅 {dec(need)}% 的要求"
        f"（{_clause(ctx, 'intensity', '二、基本要求')}）{extra}{files_note(locs)}",
        severity=severity,
        locations=locs,
        evidence={"kind": kind, "measure": what, "first_year": first, "last_year": last, "decline_percent": format_decimal(mid, 2),
                  "decline_lo": format_decimal(d.lo, 2), "decline_hi": format_decimal(d.hi, 2), "threshold": dec(need)},
    )


@rule(
    "ELIGIBILITY.ENTITY_TOO_YOUNG",
    "veto",
    "成立未满3年",
    "The park or enterprise was established less than 3 years before the application date (or the collection deadline): "
    "the earliest founding the package states, the enterprise's own business licence (成立日期) included.",
    "一、征集对象（成立3年以上）",
    forms=FORMS,
)
def entity_too_young(ctx: Context) -> Iterator[Finding]:
    for el in cases(ctx):
        yield from _case_too_young(ctx, el)


def _licence_founding(ctx: Context, el: NowasteCase) -> Established | None:
    """The 成立日期 of the case unit's own 营业执照 (its name is the unit's), if one was read."""
    if not el.unit_name or el.kind == PARK:  # a park's 管委会 has no business licence of its own
        return None
    for lic in ctx.form.licences:
        when, field = lic.established, lic.fields.get("established")
        if when is None or field is None or compact(lic.value("name")) != compact(el.unit_name):
            continue
        return Established(year=when.year, month=when.month, text=f"营业执照 成立日期：{field.text}", loc=field.loc)
    return None


def _case_too_young(ctx: Context, el: NowasteCase) -> Iterator[Finding]:
    ref = el.reference_date
    # the earliest founding stated (a later date names a department or a re-registration)
    stated = [e for e in (el.established, _licence_founding(ctx, el)) if e is not None]
    est = min(stated, key=lambda e: (e.year, e.month or 1), default=None)
    if est is None or ref is None:
        return
    years = int(ctx.settings.get("min_age_years", 3))
    # an unknown month is taken as January: only a certainly-too-young unit is reported
    founded = date(est.year, est.month or 1, 1)
    try:
        matures = founded.replace(year=founded.year + years)
    except ValueError:
        matures = date(founded.year + years, founded.month, 28)
    if matures <= ref:
        return
    when = f"{est.year}年" + (f"{est.month}月" if est.month else "")
    loc = est.loc
    yield emit(
        "ELIGIBILITY.ENTITY_TOO_YOUNG",
        f"申报单位{_who(el)}{when}成立（「{est.text}」），至{el.reference_source or '申报日期'} {ref.isoformat()} 未满 {years} 年，"
        f"不符合征集对象「成立{years}年以上」的要求（{_clause(ctx, 'age', '一、征集对象')}）{files_note([loc])}",
        locations=[loc] if loc else [],
        evidence={"established_year": est.year, "established_month": est.month, "reference_date": ref.isoformat(),
                  "reference_source": el.reference_source, "min_years": years},
    )


# ---------------------------------------------------------------- title


@rule(
    "TITLE.FORMAT_INVALID",
    "warning",
    "题目不符合「XXX园区/企业XXXX模式」格式",
    "The case title does not name the unit or does not end with 模式, as the 参考提纲 asks.",
    "附件1 申报材料 题目（XXX 园区/企业 XXXXXX 模式）",
    forms=FORMS,
)
def title_format(ctx: Context) -> Iterator[Finding]:
    for el in cases(ctx):
        yield from _case_title_format(el)


def _case_title_format(el: NowasteCase) -> Iterator[Finding]:
    title = el.title
    if not title:
        return  # a missing title is OUTLINE.SECTION_MISSING
    t = compact(title).rstrip("”\"」』》")
    problems = []
    if not t.endswith("模式"):
        problems.append("未以「模式」结尾（应概括为某种模式）")
    unit = compact(el.unit_name or "")
    if unit and not _names_unit(t, unit):
        problems.append(f"未写明申报单位（{el.unit_name}）")
    if not problems:
        return
    loc = el.title_loc
    yield emit(
        "TITLE.FORMAT_INVALID",
        f"题目「{title}」{'，'.join(problems)}；参考提纲要求题目为「XXX园区/企业XXXXXX模式」{files_note([loc])}",
        locations=[loc] if loc else [],
        evidence={"title": title, "problems": problems, "unit": el.unit_name},
    )


_NAME_NOISE = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "省", "市")


_GENERIC = ("工业", "园区", "开发区", "产业", "技术", "科技", "钢铁", "新材料", "有限", "经济", "高新", "循环", "固废", "利用")


def _names_unit(title: str, unit: str) -> bool:
    """The title names the unit: in full, or by a distinctive part of its name — the trade name
    ("盛达" for 鄂州盛达特钢股份有限公司) counts, a generic word ("工业", "园区") does not."""
    if unit in title:
        return True
    core = unit
    for w in _NAME_NOISE:
        core = core.replace(w, "")
    a, b = core, title
    for w in _GENERIC:
        a, b = a.replace(w, "\x00"), b.replace(w, "\x01")
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= 2


# ---------------------------------------------------------------- 附件2 汇总表


def _row_matches(row: SummaryRow, unit: str | None, title: str | None) -> bool:
    name, case = compact(row.name), compact(row.case)
    if unit and name and (name == compact(unit) or similarity(name, unit) >= 90):
        return True
    return bool(title and case and similarity(case, title) >= 90)


def _summary(ctx: Context) -> list[SummaryRow]:
    """The package's 附件2 汇总表 rows."""
    return package(ctx).summary


@rule(
    "SUMMARY.CASE_NOT_LISTED",
    "error",
    "汇总表未列入本案例",
    "The 附件2 典型案例汇总表 in the package has no row for the unit whose 申报书 it accompanies.",
    "附件2 典型案例汇总表（每个案例一行）",
    forms=FORMS,
)
def case_not_listed(ctx: Context) -> Iterator[Finding]:
    rows = _summary(ctx)
    for el in cases(ctx):
        unit, title = el.unit_name, el.title
        if not rows or not (unit or title):
            continue
        if any(_row_matches(r, unit, title) for r in rows):
            continue
        yield _not_listed(el, rows)


def _not_listed(el: NowasteCase, rows: list[SummaryRow]) -> Finding:
    unit, title = el.unit_name, el.title
    listed = "、".join(r.name or r.case or "" for r in rows)
    return emit(
        "SUMMARY.CASE_NOT_LISTED",
        f"附件2 典型案例汇总表（{el.summary_file}）未列入本申报单位「{unit or title}」的案例；表中所列：{listed}",
        locations=unique_locations(r.loc for r in rows),
        evidence={"unit": unit, "title": title, "listed": [r.name for r in rows], "file": el.summary_file},
    )


@rule(
    "SUMMARY.DUPLICATE_ROW",
    "error",
    "汇总表同一案例重复填报",
    "The same unit or case appears on more than one row of the 附件2 汇总表 (one row per case).",
    "附件2 典型案例汇总表（每个案例一行）",
    forms=FORMS,
)
def duplicate_row(ctx: Context) -> Iterator[Finding]:
    groups: dict[str, list[SummaryRow]] = {}
    for r in _summary(ctx):
        key = compact(r.name) or compact(r.case)
        if key:
            groups.setdefault(key, []).append(r)
    for rows in groups.values():
        if len(rows) < 2:
            continue
        seqs = "、".join(str(r.seq or "?") for r in rows)
        yield emit(
            "SUMMARY.DUPLICATE_ROW",
            f"附件2 汇总表中「{rows[0].name or rows[0].case}」填报了 {len(rows)} 行（序号 {seqs}），每个案例应只占一行",
            locations=unique_locations(r.loc for r in rows),
            evidence={"unit": rows[0].name, "rows": [r.seq for r in rows]},
        )


@rule(
    "SUMMARY.TOO_MANY_CASES",
    "error",
    "单个省份推荐案例超过5个",
    "More than 5 cases of one province are listed in the 附件2 汇总表.",
    "三、工作安排（一）（每个省（区、市）推荐的案例原则上不超过5个）",
    forms=FORMS,
)
def too_many_cases(ctx: Context) -> Iterator[Finding]:
    limit = int(ctx.settings.get("max_cases_per_province", 5))
    groups: dict[str, list[SummaryRow]] = {}
    for r in _summary(ctx):
        prov = compact(r.province).rstrip("省市") or "（未填省份）"
        groups.setdefault(prov, []).append(r)
    for prov, rows in groups.items():
        distinct = {compact(r.name) or compact(r.case) for r in rows}
        if len(distinct) <= limit:
            continue
        yield emit(
            "SUMMARY.TOO_MANY_CASES",
            f"附件2 汇总表中{prov}推荐了 {len(distinct)} 个案例，超过每省原则上不超过 {limit} 个的要求（{_clause(ctx, 'province_cases', '三、工作安排（一）')}）",
            locations=unique_locations(r.loc for r in rows),
            evidence={"province": prov, "count": len(distinct), "limit": limit, "units": [r.name for r in rows]},
        )


@rule(
    "SUMMARY.ATTRIBUTE_MISMATCH",
    "error",
    "汇总表单位属性与案例不符",
    "The 单位属性 (园区/企业) of a 汇总表 row disagrees with the case (park or enterprise, decided from the 申报书's content), or is left as 园区/企业.",
    "附件2 典型案例汇总表「单位属性」",
    forms=FORMS,
)
def attribute_mismatch(ctx: Context) -> Iterator[Finding]:
    all_cases = cases(ctx)
    for r in _summary(ctx):
        written = attribute_kind(r.attribute)
        loc = r.locs.get("attribute") or r.loc
        el = next((c for c in all_cases if _row_matches(r, c.unit_name, c.title)), None)
        if el is not None and el.kind in (PARK, ENTERPRISE) and written != el.kind:
            why = "、".join(el.kind_evidence[:3])
            yield emit(
                "SUMMARY.ATTRIBUTE_MISMATCH",
                f"附件2 汇总表「{r.name}」的单位属性填写为「{r.attribute or '（空）'}」，"
                f"而申报书内容表明是{KIND_NAMES[el.kind]}（{why}）{files_note([loc])}",
                locations=[loc] if loc else [],
                evidence={"unit": r.name, "written": r.attribute, "case_kind": el.kind},
            )
        elif el is None:
            by_name = unit_kind_of_name(r.name)
            if written == UNKNOWN or (by_name != UNKNOWN and by_name != written):
                yield emit(
                    "SUMMARY.ATTRIBUTE_MISMATCH",
                    f"附件2 汇总表「{r.name}」的单位属性填写为「{r.attribute or '（空）'}」，"
                    + ("未明确园区或企业" if written == UNKNOWN else f"与单位名称所示的{KIND_NAMES[by_name]}不符，请核实"),
                    severity="warning",
                    locations=[loc] if loc else [],
                    evidence={"unit": r.name, "written": r.attribute, "name_kind": by_name},
                )
