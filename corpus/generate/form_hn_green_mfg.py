"""hn_green_mfg sample packages (seed 004): single plans of each 创建类型 and cities'
submissions (申报汇总表 2-1 / 2-2 plus several plans), clean or with planted defects, in
varied layouts (基本情况表 inside the plan / own .docx / own .xlsx, years as rows or columns,
tick styles, heading numbering, docx / pdf, folder / zip / GBK zip).

Each package is listed in `PACKAGES` with the defects it carries; a defect changes one view
of one unit and returns what a checker must report.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from corpus.generate import green_content as G
from corpus.generate.content import fmt
from corpus.generate.identities import invalid_email, invalid_mobile, wrong_check_code
from corpus.generate.outline import MORE_NUMBERINGS
from corpus.generate.package import PlannedFile
from corpus.generate.render_docx import render_docx
from corpus.generate.render_xlsx import render_xlsx

FORM = "hn_green_mfg"
PREFIX = "gm"


@dataclass
class GreenPackage:
    pid: str
    units: list[G.GreenUnit]
    v: dict
    summary: tuple[str, ...] = ()  # "2-1", "2-2"
    summary_format: str = "xlsx"
    unlisted: list[str] = field(default_factory=list)  # plans the summary leaves out
    phantom: list[G.GreenUnit] = field(default_factory=list)  # rows without a plan in the package


Defect = Callable[[GreenPackage, random.Random], list[dict]]


def _exp(rule: str, *keys: str) -> list[dict]:
    if len(keys) == 1:
        return [{"rule": rule, "key": keys[0]}]
    return [{"rule": rule, "keys": list(keys)}]


def _first(p: GreenPackage, park: bool = False) -> G.GreenUnit:
    return next(u for u in p.units if u.is_park == park)


# ---------------------------------------------------------------- defects


def enum_industry(p, rng):
    u = _first(p)
    bad = {"机械": "机械制造", "汽车": "汽车制造业", "化工": "化学工业", "建材": "建筑材料"}.get(u.industry, "装备制造")
    u.ov["industry"] = bad
    return _exp("ENUM.INVALID_VALUE", bad)


def enum_system(p, rng):
    u = _first(p)
    bad = {"工程机械": "工程机械制造", "新能源": "新能源汽车", "前沿材料": "新材料"}.get(u.system, "先进制造")
    u.ov["system"] = bad
    return _exp("ENUM.INVALID_VALUE", bad)


def estimate_unmarked(p, rng):
    _first(p).ov["estimate_label"] = "2023年"
    return _exp("PERIOD.ESTIMATE_NOT_MARKED", "2023")


def profit_over_revenue(p, rng):
    u = _first(p)
    b = u.business[2022]
    u.ov["profit.2022"] = (b.revenue * Decimal("1.12")).quantize(Decimal("0.01"))
    return _exp("FINANCE.PROFIT_EXCEEDS_REVENUE", "2022")


def debt_over_100(p, rng):
    u = _first(p)
    u.ov["debt.2021"] = Decimal("112.50")
    return _exp("RATE.OUT_OF_RANGE", u.name, "112.5")


def no_audit(p, rng):
    u = _first(p)
    u.audit_mandatory = u.audit_voluntary = False
    return _exp("ELIGIBILITY.CLEAN_PRODUCTION_AUDIT_MISSING", u.name)


def drop_section(i: int) -> Defect:
    def apply(p, rng):
        p.units[0].drop_sections.add(i)
        return _exp("OUTLINE.SECTION_MISSING", G.SECTIONS[i - 1])
    return apply


def park_share_low(p, rng):
    u = _first(p, park=True)
    u.value_added = (u.gdp * Decimal("0.436")).quantize(Decimal("0.1"))
    return _exp("ELIGIBILITY.PARK_INDUSTRY_SHARE_LOW", u.name, fmt(u.share, 1))


def park_audit_low(p, rng):
    u = _first(p, park=True)
    u.audited_m, u.audited_v = round(u.scale * 0.05), round(u.scale * 0.04)
    return _exp("ELIGIBILITY.PARK_AUDIT_SHARE_LOW", u.name, f"{u.audited_m + u.audited_v} 家")


def park_leading_blank(p, rng):
    _first(p, park=True).ov["leading"] = ""
    return _exp("FIELD.MISSING", "主导产业")


def bad_mobile(p, rng):
    u = p.units[0]
    bad = invalid_mobile(rng, u.company.mobile)
    u.ov["contact_mobile"] = bad
    return _exp("FORMAT.PHONE_INVALID", bad)


def bad_email(p, rng):
    u = _first(p)
    bad = invalid_email(rng, u.company.email)
    u.ov["email"] = bad
    return _exp("FORMAT.EMAIL_INVALID", bad)


def bad_code(p, rng):
    u = _first(p)
    bad = wrong_check_code(u.company.credit_code)
    u.ov["org_code"] = bad
    return _exp("ID.USCC_INVALID", bad)


def summary_revenue(p, rng):
    u = _first(p)
    u.summary_ov["revenue"] = (u.business[2023].revenue * Decimal("1.15")).quantize(Decimal("0.01"))
    return _exp("CROSSDOC.FIGURE_MISMATCH", u.name)


def summary_industry(p, rng):
    u = p.units[1] if len(p.units) > 1 and not p.units[1].is_park else _first(p)
    other = next(x for x in ("机械", "电子", "轻工") if x != u.industry)
    u.summary_ov["industry"] = other
    return _exp("SUMMARY.PLAN_FIELD_MISMATCH", "所属行业")


def summary_system_invalid(p, rng):
    u = _first(p)
    u.summary_ov["system"] = "高端装备"
    # the row now also disagrees with the plan's 基本情况表: both are true and both reported
    return _exp("ENUM.INVALID_VALUE", "高端装备") + _exp("SUMMARY.PLAN_FIELD_MISMATCH", "高端装备")


def summary_park_output(p, rng):
    u = _first(p, park=True)
    u.summary_ov["industrial_output"] = (u.industrial_output * Decimal("1.2")).quantize(Decimal("0.1"))
    return _exp("CROSSDOC.FIGURE_MISMATCH", "工业总产值")


def phantom_row(p, rng):
    used = {u.name for u in p.units}
    ghost = G.make_enterprise(rng, G.FACTORY, used, profile=7)
    p.phantom.append(ghost)
    return _exp("SUMMARY.ROW_WITHOUT_PLAN", ghost.name)


def unlisted_plan(p, rng):
    u = [x for x in p.units if not x.is_park][-1]
    p.unlisted.append(u.name)
    return _exp("SUMMARY.PLAN_NOT_LISTED", u.name)


# ---------------------------------------------------------------- the catalogue

BASE_V = {"numbering": "cn_dun", "styled": True, "check": "box", "basic": "in_plan", "transposed": False,
          "plan_pdf": False, "container": "folder", "copy_template": False, "alt_titles": set(), "plain_names": False}

# pid suffix -> (units, variants, summary tables, defects)
PACKAGES: list[tuple[list[str], dict, tuple[str, ...], list[Defect]]] = [
    ([G.FACTORY], {}, (), []),
    ([G.PARK], {"basic": "xlsx", "container": "zip", "numbering": "arabic", "check": "square"}, (), []),
    ([G.FACTORY, G.SUPPLY_CHAIN, G.PARK], {"container": "zip_gbk", "plan_pdf": True, "check": "tick_only"}, ("2-1", "2-2"), []),
    ([G.SUPPLY_CHAIN], {"plan_pdf": True, "basic": "docx", "transposed": True, "numbering": "part", "check": "tick_only",
                        "alt_titles": {2, 5}, "copy_template": True, "container": "zip"}, (), []),
    ([G.FACTORY], {"numbering": "plain", "check": "square"}, (), [enum_industry, estimate_unmarked]),
    ([G.SUPPLY_CHAIN], {"plan_pdf": True, "numbering": "paren", "styled": False}, (), [enum_system, profit_over_revenue, debt_over_100]),
    ([G.FACTORY], {"basic": "xlsx", "container": "zip_gbk", "plain_names": True}, (), [no_audit, drop_section(5)]),
    ([G.PARK], {"plan_pdf": True, "check": "tick_only", "alt_titles": {1}}, (), [park_share_low, park_leading_blank]),
    ([G.PARK], {"basic": "docx", "numbering": "part", "container": "zip"}, (), [park_audit_low, bad_mobile]),
    ([G.FACTORY, G.FACTORY], {"summary_format": "docx", "transposed": True}, ("2-1",), [summary_revenue, summary_industry, phantom_row]),
    ([G.SUPPLY_CHAIN, G.FACTORY, G.PARK], {"plan_pdf": True, "container": "zip"}, ("2-1", "2-2"),
     [unlisted_plan, summary_park_output, summary_system_invalid]),
    ([G.FACTORY], {"numbering": "arabic", "basic": "docx", "check": "square"}, (), [bad_code, bad_email, drop_section(7)]),
]


def build_package(i: int, seed: int, pdf: bool):
    from corpus.generate import BuiltPackage

    kinds, variants, summary, defects = PACKAGES[i]
    pid = f"{PREFIX}_{i + 1:02d}"
    rng = random.Random(f"{seed}:{pid}")
    v = {**BASE_V, **variants, **choose_layout(random.Random(f"{seed}:{pid}:layout"))}
    if not pdf:
        v["plan_pdf"] = False
    used: set[str] = set()
    units = []
    for k, kind in enumerate(kinds):
        if kind == G.PARK:
            units.append(G.make_park(rng, used))
        else:
            u = G.make_enterprise(rng, kind, used, profile=(i * 3 + k) % len(G.PROFILES))
            G.ensure_audit(u)
            units.append(u)
    pkg = GreenPackage(pid, units, v, summary, v.get("summary_format", "xlsx"))
    expected: list[dict] = []
    for d in defects:
        expected += d(pkg, rng)
    return BuiltPackage(pid, FORM, package_files(pkg), v["container"], expected, variant_tags(pkg))


def package_files(p: GreenPackage) -> list[PlannedFile]:
    v = p.v
    files: list[PlannedFile] = []
    city = p.units[0].company.city.name
    nested = len(p.units) > 1
    for n, u in enumerate(p.units, 1):
        folder = f"{n:02d} {u.name}/" if nested else ""
        stem = f"方案{n}" if v["plain_names"] else f"{u.name}创建工作方案"
        if u.is_park:
            basic = G.park_table(u, v["check"], v)
        else:
            basic = G.enterprise_tables(u, v["check"], v["transposed"], v)
        plan = render_docx(G.plan_blocks(u, v, basic if v["basic"] == "in_plan" else None), "创建工作方案")
        if v["plan_pdf"]:
            files.append(PlannedFile(f"{folder}{stem}.pdf", pdf_from_docx=plan))
        else:
            files.append(PlannedFile(f"{folder}{stem}.docx", plan))
        bstem = f"表{n}" if v["plain_names"] else f"{u.name}基本情况表"
        if v["basic"] == "docx":
            files.append(PlannedFile(f"{folder}{bstem}.docx", render_docx(basic, "基本情况表")))
        elif v["basic"] == "xlsx":
            files.append(PlannedFile(f"{folder}{bstem}.xlsx", render_xlsx([G.basic_sheet(u, v["check"], v)], "基本情况表")))
    listed = [u for u in p.units if u.name not in p.unlisted]
    for kind in p.summary:
        if kind == "2-1":
            rows = G.summary_rows_2_1([u for u in listed if not u.is_park], p.phantom)
        else:
            rows = G.summary_rows_2_2([u for u in listed if u.is_park])
        name = f"附件{kind} 2024年湖南省绿色制造体系申报汇总表"
        if p.summary_format == "docx":
            files.append(PlannedFile(f"{name}.docx", render_docx(G.summary_blocks(kind, rows, city), "申报汇总表")))
        else:
            files.append(PlannedFile(f"{name}.xlsx", render_xlsx([G.summary_sheet(kind, rows, city)], "申报汇总表")))
    return files


def variant_tags(p: GreenPackage) -> list[str]:
    v = p.v
    kinds = sorted({ {G.FACTORY: "factory", G.SUPPLY_CHAIN: "supply_chain", G.PARK: "park"}[u.kind] for u in p.units})
    tags = [f"kind_{k}" for k in kinds]
    tags += ["pdf_plan" if v["plan_pdf"] else "docx_plan", f"numbering_{v.get('more_numbering') or v['numbering']}", f"basic_{v['basic']}",
             f"ticks_{v['check']}", {"folder": "folder", "zip": "zip", "zip_gbk": "gbk_zip"}[v["container"]]]
    if len(p.units) > 1:
        tags.append("several_plans")
    tags += [f"summary_{k}_{p.summary_format}" for k in p.summary]
    for key, tag in (("transposed", "business_years_as_columns"), ("copy_template", "template_cover"),
                     ("plain_names", "plain_file_names"), ("alt_titles", "alt_titles")):
        if v[key]:
            tags.append(tag)
    if not v["styled"]:
        tags.append("unstyled_headings")
    return tags + [t for t in v.get("shown", []) if t not in tags]


def choose_layout(rng: random.Random) -> dict:
    """Layouts real submitters produce, from a RNG of their own (the units' draws keep their
    sequence)."""
    return {
        "more_numbering": rng.choice(MORE_NUMBERINGS) if rng.random() < 0.35 else None,
        "renamed_sections": set(rng.sample(range(1, 8), rng.choice([0, 0, 1, 2]))),
        "labels": rng.random() < 0.4,
        "one_cell": rng.random() < 0.3,
        "date_style": rng.choice(["arabic", "arabic", "cn_upper", "dotted"]),
    }


def build_packages(seed: int, pdf: bool) -> list:
    return [build_package(i, seed, pdf) for i in range(len(PACKAGES))]
