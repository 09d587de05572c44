"""湖南省绿色制造体系创建工作方案 (seed 004): the checks the generic claims cannot express —
enumerated values, the 近三年经营情况 table, clean-production audits, the park conditions
and the 申报汇总表 rows against the plans in the package.

The rules read the extractor's typed model (`extractor.forms.hn_green_mfg.HnGreenMfg`, through
`model_of(ctx.form)`); thresholds come from corpus/forms/hn_green_mfg_thresholds.yaml
and the allowed values from corpus/forms/hn_green_mfg_enums.yaml."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from rapidfuzz import fuzz, process

from checkers.context import Context
from checkers.finding import Finding
from checkers.registry import emit, rule
from checkers.rules.common import dec, files_note, show, unique_locations
from checkers.tolerance import HUNDRED, Interval, exceeds
from extractor.forms.hn_green_mfg import PARK, SummaryRow, UnitPlan, contact_parts, model_of
from extractor.forms.spec import load_yaml
from extractor.forms.text import compact
from extractor.model import Location
from extractor.quantity import format_decimal

FORMS = ("hn_green_mfg",)
ENUMS_FILE = "forms/hn_green_mfg_enums.yaml"
SEPARATORS = "、,，/;；及和"


def enums() -> dict[str, Any]:
    return load_yaml(ENUMS_FILE)


def enum_problem(kind: str, value: str) -> tuple[str, str, float] | None:
    """(the part not allowed, the nearest allowed value, its similarity) for a value outside
    the seed's list, None when every part of it is allowed.  "机械、汽车" is two values."""
    spec = enums()[kind]
    allowed, aliases = spec["values"], spec.get("aliases") or {}
    parts = [p for p in _split(value) if p]
    for part in parts:
        if part in allowed or part in aliases:
            continue
        nearest, score, _ = process.extractOne(part, allowed, scorer=fuzz.WRatio)
        return part, nearest, float(score)
    return None


def _split(value: str) -> list[str]:
    t = compact(value)
    for s in SEPARATORS:
        t = t.replace(s, "|")
    return t.split("|")


def _plans(ctx: Context) -> list[UnitPlan]:
    return model_of(ctx.form).plans


def _rows(ctx: Context) -> list[SummaryRow]:
    return model_of(ctx.form).summary_rows


@rule(
    "ENUM.INVALID_VALUE",
    "error",
    "填报值不在规定的分类中",
    "所属行业 / 所属现代产业体系 / 创建类型 is not one of the values the seed lists (fuzzy matched; the nearest allowed value is named).",
    "绿色制造体系创建计划征集通知 基本情况表 注1、注2；附件2-1 注2、注3、注4",
    forms=FORMS,
)
def invalid_enum(ctx: Context) -> Iterator[Finding]:
    checks: list[tuple[str, str, str, Location | None, str]] = []  # kind, value, where, loc, unit
    for p in _plans(ctx):
        if p.kind == PARK:
            continue
        for fid, kind in (("industry", "industry"), ("system", "modern_system")):
            fv = p.fields.get(fid)
            if fv and fv.text:
                checks.append((kind, fv.text, f"基本情况表（{p.name}）", fv.loc, p.name))
    for r in _rows(ctx):
        for key, kind in (("industry", "industry"), ("system", "modern_system"), ("type", "creation_type")):
            c = r.cells.get(key)
            if r.table == "2-1" and c and c.text:
                checks.append((kind, c.text, f"附件{r.table}申报汇总表「{r.name}」行", c.loc, r.name))
    for kind, value, where, loc, unit in checks:
        found = enum_problem(kind, value)
        if found is None:
            continue
        part, nearest, score = found
        spec = enums()[kind]
        yield emit(
            "ENUM.INVALID_VALUE",
            f"{where}「{spec['title']}」填写为「{value}」，其中「{part}」不在规定的分类中（{spec['clause']}："
            f"{'、'.join(spec['values'])}），最接近的规定值为「{nearest}」{files_note([loc])}",
            locations=[loc] if loc else [],
            evidence={"field": spec["title"], "value": value, "invalid_part": part, "nearest": nearest,
                      "similarity": format_decimal(Decimal(str(round(score, 1)))), "unit": unit, "allowed": spec["values"]},
        )


@rule(
    "FINANCE.PROFIT_EXCEEDS_REVENUE",
    "error",
    "利润大于主营业务收入",
    "In 企业近三年经营情况 a year's 利润 is greater than its 主营业务收入 beyond rounding.",
    "绿色制造体系创建计划征集通知 基本情况表「企业近三年经营情况」",
    forms=FORMS,
)
def profit_exceeds_revenue(ctx: Context) -> Iterator[Finding]:
    for p in _plans(ctx):
        for b in p.business:
            if b.profit is None or b.revenue is None or b.profit.unit != b.revenue.unit:
                continue
            if not exceeds(Interval.of(b.profit), Interval.of(b.revenue)):
                continue
            locs = unique_locations([b.profit.loc, b.revenue.loc])
            yield emit(
                "FINANCE.PROFIT_EXCEEDS_REVENUE",
                f"基本情况表（{p.name}）企业近三年经营情况「{b.label}」：利润 {show(b.profit)} 大于主营业务收入 "
                f"{show(b.revenue)}，利润不应超过收入，请核实{files_note(locs)}",
                locations=locs,
                evidence={"unit": p.name, "year": b.year, "profit": dec(b.profit.value), "revenue": dec(b.revenue.value),
                          "difference": dec(b.profit.value - b.revenue.value), "base_unit": b.revenue.unit},
            )


@rule(
    "PERIOD.ESTIMATE_NOT_MARKED",
    "warning",
    "当年数据未标注预计",
    "The 近三年经营情况 row of the year the call was issued (2023) is not marked 预计, or a year of 2021–2023 is missing.",
    "绿色制造体系创建计划征集通知 基本情况表「企业近三年经营情况」（2021年、2022年、2023年预计）",
    forms=FORMS,
)
def estimate_not_marked(ctx: Context) -> Iterator[Finding]:
    year = str(ctx.settings.get("estimate_year", 2023))
    wanted = [str(y) for y in ctx.settings.get("business_years", [2021, 2022, 2023])]
    for p in _plans(ctx):
        if p.kind == PARK or not p.business:
            continue
        for b in p.business:
            if b.year == year and not b.estimate:
                yield emit(
                    "PERIOD.ESTIMATE_NOT_MARKED",
                    f"基本情况表（{p.name}）企业近三年经营情况的{year}年数据写为「{b.label}」，未标注「预计」"
                    f"（表样为「{year}年预计」，申报时该年度尚未结束）{files_note([b.loc])}",
                    locations=[b.loc] if b.loc else [],
                    evidence={"unit": p.name, "year": year, "label": b.label},
                )
        missing = [y for y in wanted if y not in {b.year for b in p.business}]
        if missing:
            yield emit(
                "PERIOD.ESTIMATE_NOT_MARKED",
                f"基本情况表（{p.name}）企业近三年经营情况缺少 {'、'.join(y + '年' for y in missing)} 的数据",
                locations=[p.business_loc] if p.business_loc else [],
                evidence={"unit": p.name, "missing_years": missing},
            )


@rule(
    "ELIGIBILITY.CLEAN_PRODUCTION_AUDIT_MISSING",
    "error",
    "近五年未开展清洁生产审核",
    "A 绿色工厂 / 绿色供应链管理示范企业 applicant ticks neither 强制性 nor 自愿性清洁生产审核 as completed in the last five years (unreadable ticks -> warning).",
    "绿色制造体系创建计划征集通知 二、有关要求 1（原则上近五年内开展了清洁生产审核）",
    forms=FORMS,
)
def audit_missing(ctx: Context) -> Iterator[Finding]:
    clause = ctx.settings.get("audit_clause", "二、有关要求 1")
    for p in _plans(ctx):
        if p.kind == PARK or not p.basic_file:
            continue
        chs = [p.choices.get(k) for k in ("audit_mandatory", "audit_voluntary")]
        present = [c for c in chs if c is not None]
        locs = unique_locations(c.loc for c in present) or [Location(file=p.basic_file)]
        if any("已完成" in c.selected for c in present):
            continue
        unknown = [c for c in present if not c.known] or ([] if present else ["无"])
        evidence = {"unit": p.name, "answers": {c.label: c.text for c in present}}
        if unknown:
            yield emit(
                "ELIGIBILITY.CLEAN_PRODUCTION_AUDIT_MISSING",
                f"基本情况表（{p.name}）未能判断近五年清洁生产审核是否已完成（勾选不清或未填写："
                f"{'；'.join(f'{c.label}「{c.text}」' for c in present) or '无此栏'}），请人工核实（{clause}）",
                severity="warning", locations=locs, evidence=evidence)
        else:
            yield emit(
                "ELIGIBILITY.CLEAN_PRODUCTION_AUDIT_MISSING",
                f"基本情况表（{p.name}）强制性、自愿性清洁生产审核均勾选「未完成」：{clause}{files_note(locs)}",
                locations=locs, evidence=evidence)


def _park_share(p: UnitPlan) -> tuple[Decimal, str, list[Location | None]] | None:
    s = p.industry_share
    if s is None:
        return None
    if s.share is not None:
        return s.share.value, f"写明工业增加值占比 {show(s.share)}", [s.share.loc]
    if s.value_added is not None and s.gdp is not None and s.gdp.value:
        v = s.value_added.value / s.gdp.value * HUNDRED
        return v, (f"工业增加值 {show(s.value_added)} / 地区生产总值 {show(s.gdp)} × 100% = "
                   f"{format_decimal(v, 1)}%"), [s.value_added.loc, s.gdp.loc]
    return None


@rule(
    "ELIGIBILITY.PARK_INDUSTRY_SHARE_LOW",
    "veto",
    "园区工业增加值占比未超过 50%",
    "A 绿色园区 applicant's 工业增加值占比 is not above 50 % (not stated in the plan -> warning).",
    "绿色制造体系创建计划征集通知 一、征集范围 2（工业增加值占比超过 50%）",
    forms=FORMS,
)
def park_share_low(ctx: Context) -> Iterator[Finding]:
    limit = Decimal(str(ctx.settings.get("park_industry_share_min", 50)))
    clause = ctx.settings.get("park_industry_share_clause", "一、征集范围 2")
    for p in _plans(ctx):
        if p.kind != PARK or not p.plan_file:
            continue
        found = _park_share(p)
        if found is None:
            yield emit("ELIGIBILITY.PARK_INDUSTRY_SHARE_LOW",
                       f"{p.name}创建工作方案中未找到工业增加值占比（或工业增加值与地区生产总值），无法核实是否超过 "
                       f"{format_decimal(limit)}%，请人工核实（{clause}）",
                       severity="warning", locations=[Location(file=p.plan_file)],
                       evidence={"unit": p.name, "limit": dec(limit)})
            continue
        value, how, locs = found
        if value > limit:
            continue
        locs = unique_locations(locs)
        yield emit("ELIGIBILITY.PARK_INDUSTRY_SHARE_LOW",
                   f"{p.name}：{how}，未超过 {format_decimal(limit)}%，不符合{clause}{files_note(locs)}",
                   locations=locs, evidence={"unit": p.name, "share": dec(value), "limit": dec(limit), "unit_of_share": "%"},
                   quote=p.industry_share.quote if p.industry_share else None)


@rule(
    "ELIGIBILITY.PARK_AUDIT_SHARE_LOW",
    "error",
    "园区清洁生产审核企业比例低于 15%",
    "A 绿色园区's enterprises that passed 强制性 + 自愿性 clean-production audits are below 15 % of its 规模企业数.",
    "绿色制造体系创建计划征集通知 二、有关要求 1（清洁生产审核企业比例占规模以上工业企业数量的 15% 以上）",
    forms=FORMS,
)
def park_audit_low(ctx: Context) -> Iterator[Finding]:
    limit = Decimal(str(ctx.settings.get("park_audit_share_min", 15)))
    clause = ctx.settings.get("park_audit_share_clause", "二、有关要求 1")
    for p in _plans(ctx):
        if p.kind != PARK:
            continue
        scale, m, v = p.quantity("scale_enterprises"), p.quantity("audited_mandatory"), p.quantity("audited_voluntary")
        if scale is None or scale.value <= 0 or (m is None and v is None):
            continue
        audited = (m.value if m else Decimal(0)) + (v.value if v else Decimal(0))
        share = audited / scale.value * HUNDRED
        if share >= limit:
            continue
        locs = unique_locations([scale.loc, m.loc if m else None, v.loc if v else None])
        parts = " + ".join(f"{lbl} {format_decimal(q.value)}" for lbl, q in (("强制性", m), ("自愿性", v)) if q is not None)
        yield emit("ELIGIBILITY.PARK_AUDIT_SHARE_LOW",
                   f"{p.name}：通过清洁生产审核的企业（{parts} = {format_decimal(audited)} 家）占规模企业数 "
                   f"{format_decimal(scale.value)} 家的 {format_decimal(share, 1)}%，低于 {format_decimal(limit)}%（{clause}）"
                   f"{files_note(locs)}",
                   locations=locs,
                   evidence={"unit": p.name, "audited": dec(audited), "scale_enterprises": dec(scale.value),
                             "share": format_decimal(share, 2), "limit": dec(limit)})


# ---------------------------------------------------------------- 申报汇总表 against the plans


def _has_summary(ctx: Context) -> bool:
    return bool(model_of(ctx.form).summary_files)


@rule(
    "SUMMARY.ROW_WITHOUT_PLAN",
    "error",
    "汇总表所列单位缺少创建工作方案",
    "A row of 申报汇总表 2-1 / 2-2 names a unit whose 创建工作方案 is not in the package.",
    "绿色制造体系创建计划征集通知 二、有关要求 3（报送申报汇总表以及所推荐企业、园区制定的创建工作方案）",
    forms=FORMS,
)
def row_without_plan(ctx: Context) -> Iterator[Finding]:
    for r in _rows(ctx):
        if r.plan is None:
            yield emit("SUMMARY.ROW_WITHOUT_PLAN",
                       f"附件{r.table}申报汇总表列有「{r.name}」，但申报材料中未找到该单位的创建工作方案{files_note([r.loc])}",
                       locations=[r.loc] if r.loc else [], evidence={"unit": r.name, "table": r.table})


@rule(
    "SUMMARY.PLAN_NOT_LISTED",
    "error",
    "创建工作方案未列入申报汇总表",
    "A plan in a package that has a 申报汇总表 is not listed in it (enterprises in 2-1, parks in 2-2).",
    "绿色制造体系创建计划征集通知 二、有关要求 3；附件2-1、2-2",
    forms=FORMS,
)
def plan_not_listed(ctx: Context) -> Iterator[Finding]:
    if not _has_summary(ctx):
        return
    listed = {r.plan for r in _rows(ctx) if r.plan}
    for p in _plans(ctx):
        if p.name in listed or not (p.plan_file or p.basic_file):
            continue
        table = "2-2" if p.kind == PARK else "2-1"
        loc = Location(file=p.plan_file or p.basic_file)
        yield emit("SUMMARY.PLAN_NOT_LISTED",
                   f"申报材料含「{p.name}」的创建工作方案，但附件{table}申报汇总表未列入该单位（见 {loc.file}）",
                   locations=[loc], evidence={"unit": p.name, "table": table})


_TEXT_COMPARE = {  # summary column -> (plan field, label)
    "business": ("business", "主营业务"),
    "industry": ("industry", "所属行业"),
    "system": ("system", "所属体系分类"),
}


def _same_text(a: str, b: str) -> bool:
    return compact(a) == compact(b)


@rule(
    "SUMMARY.PLAN_FIELD_MISMATCH",
    "error",
    "汇总表与创建工作方案填报不一致",
    "A 申报汇总表 row states a unit's name, 创建类型, 主营业务, 所属行业, 所属体系分类, 主导产业 or contact differently from its plan and 基本情况表.",
    "绿色制造体系创建计划征集通知 附件2-1、2-2（申报汇总表）与附件1（创建工作方案、基本情况表）",
    forms=FORMS,
)
def summary_field_mismatch(ctx: Context) -> Iterator[Finding]:
    plans = {p.name: p for p in _plans(ctx)}
    for r in _rows(ctx):
        p = plans.get(r.plan or "")
        if p is None:
            continue
        pairs: list[tuple[str, str, str, Location | None, Location | None]] = []  # label, row, plan, locs
        if not _same_text(r.name, p.name):
            pairs.append(("申报单位", r.name, p.name, r.loc, p.fields["name"].loc if "name" in p.fields else None))
        compare = dict(_TEXT_COMPARE)
        if r.table == "2-2":
            compare = {"industry": ("industry", "主导产业")}
        for key, (fid, label) in compare.items():
            c, fv = r.cells.get(key), p.fields.get(fid)
            if c and fv and c.text and fv.text and not _same_text(c.text, fv.text):
                pairs.append((label, c.text, fv.text, c.loc, fv.loc))
        c = r.cells.get("type")
        if c and c.text and p.creation_type and not _same_text(c.text, p.creation_type):
            pairs.append(("创建类型", c.text, p.creation_type, c.loc, p.cover["type"].loc if "type" in p.cover else None))
        c = r.cells.get("contact")
        if c and c.text:
            name, phone = contact_parts(c.text)
            # the 基本情况表's 申报联系人 row, else the plan's cover
            contact_f = p.fields.get("contact") if p.value("contact") else p.cover.get("contact")
            phone_f = p.fields.get("phone") if p.value("phone") else p.cover.get("phone")
            contact, mobile = (contact_f.text or "") if contact_f else "", (phone_f.text or "") if phone_f else ""
            if name and contact and not _same_text(name, contact):
                pairs.append(("联系人", name, contact, c.loc, contact_f.loc))
            if phone and mobile and compact(phone).replace("-", "") != compact(mobile).replace("-", ""):
                pairs.append(("联系人手机", phone, mobile, c.loc, phone_f.loc))
        for label, row_value, plan_value, rloc, ploc in pairs:
            locs = unique_locations([rloc, ploc])
            yield emit("SUMMARY.PLAN_FIELD_MISMATCH",
                       f"「{p.name}」的{label}：附件{r.table}申报汇总表填写「{row_value}」，创建工作方案/基本情况表填写"
                       f"「{plan_value}」{files_note(locs)}",
                       locations=locs,
                       evidence={"unit": p.name, "field": label, "summary": row_value, "plan": plan_value, "table": r.table})
