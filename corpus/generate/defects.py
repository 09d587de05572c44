"""The catalogue of defects a package can carry, and how each is planted.

Every defect changes exactly one view of the package and returns what a checker must
report: the rule code and the keys that appear in the finding and name the planted item
(the tampered value as the finding shows it, a waste name as the tables write it, a label
as the seed writes it, or a file name) — never a word any finding of the rule would carry
(合计, 综合利用率 …: see service.reports.scoring.GENERIC_KEYS).  `tags`
name what a defect touches; two defects sharing a tag would mask each other and are
never planted together.  `needs` asks the figure generator for a suitable enterprise
(own waste, received waste, …) before the package is built.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from corpus.generate import hb_evaluation as hb
from corpus.generate import hn_benchmark as hn
from corpus.generate.content import fmt, round_to
from corpus.generate.figures import HUNDRED, TEN_THOUSAND, pct_change, rate_of, split_monthly
from corpus.generate.identities import (
    illegal_letter_code, invalid_email, invalid_mobile, name_variant, other_valid_code, wrong_check_code,
)

Expected = dict  # {"rule": ..., "key": ...} or {"rule": ..., "keys": [...]}


@dataclass(frozen=True)
class Defect:
    form: str
    rule: str
    variant: str
    tags: frozenset[str]
    needs: tuple[str, ...]
    apply: Callable[[object, random.Random], list[Expected]]
    order: int = 5  # figure-shaping defects first, so later ones see the final figures

    @property
    def id(self) -> str:
        return f"{self.rule}/{self.variant}"


def _exp(rule: str, *keys: str) -> list[Expected]:
    """One expected finding: a single key, several (all must appear), or none (a
    package-level finding, one of its rule per package)."""
    if len(keys) == 1:
        return [{"rule": rule, "key": keys[0]}]
    return [{"rule": rule, "keys": list(keys)}]


def _allowed(rule: str, *keys: str) -> list[Expected]:
    """A finding that is an honest consequence of the planted defect (scored as explained, not
    required)."""
    return [{"rule": rule, "keys": list(keys), "allowed": True}]


def shown_tonnes(plan: hb.HbPlan, tonnes_: Decimal) -> str:
    """An amount of 附件3 as a finding states it: in the unit the table is written in, without
    thousands separators."""
    scale = TEN_THOUSAND if plan.v["annual_units"] in ("header_wan", "in_cell") else Decimal(1)
    return fmt(tonnes_ / scale, 2)


# ---------------------------------------------------------------- shared


def _invalid_code(plan, rng: random.Random) -> list[Expected]:
    good = plan.company.credit_code
    bad = wrong_check_code(good) if rng.random() < 0.5 else illegal_letter_code(good, rng)
    plan.company = plan.company.with_(credit_code=bad)
    return _exp("ID.USCC_INVALID", bad)


def _drop_license(plan, rng: random.Random) -> list[Expected]:
    plan.drop_license = True
    return _exp("ATTACHMENT.MISSING", "营业执照")


def _corrupt(names: list[str]):
    def apply(plan, rng: random.Random) -> list[Expected]:
        name = rng.choice(names)
        how = "random" if name.endswith(".pdf") else "truncated"
        plan.corrupt = (name, how)
        return _exp("FILE.UNREADABLE", name)
    return apply


# ---------------------------------------------------------------- hb_evaluation


def _hb_untouched(plan: hb.HbPlan, pred=lambda w: True):
    ws = [w for w in plan.figs.wastes if w.name not in plan.touched and pred(w)]
    if not ws:
        raise LookupError("no suitable waste left")
    return ws


def _hb_drop_section(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    i = rng.choice([3, 5, 7])
    plan.drop_sections.add(i)
    return _exp("OUTLINE.SECTION_MISSING", hb.SECTIONS[i - 1][0])


def _hb_blank_field(label: str):
    def apply(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
        plan.blank_fields[label] = rng.choice(["", "", "/"])
        return _exp("FIELD.MISSING", label)
    return apply


def _hb_drop_flowchart(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    plan.drop_flowchart = True
    return _exp("ATTACHMENT.MISSING", "工艺流程图")


def _hb_drop_commitment(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    plan.drop_commitment = True
    return _exp("ATTACHMENT.MISSING", "材料真实性承诺")


def _hb_phone(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    bad = invalid_mobile(rng, plan.company.mobile)
    plan.company = plan.company.with_(mobile=bad)
    return _exp("FORMAT.PHONE_INVALID", bad)


def _hb_email(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    bad = invalid_email(rng, plan.company.email)
    plan.company = plan.company.with_(email=bad)
    return _exp("FORMAT.EMAIL_INVALID", bad)


def _hb_name_mismatch(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    variant = name_variant(plan.company.name, plan.company.industry)
    plan.name_in[rng.choice(["annual", "basic_info"])] = variant
    return _exp("IDENTITY.NAME_MISMATCH", variant)


def _hb_code_mismatch(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    other = other_valid_code(rng, plan.company.credit_code)
    plan.code_in[rng.choice(["report", "basic_info"])] = other
    return _exp("IDENTITY.NAME_MISMATCH", other)


def _hb_total(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    # a 合计 typed over an old draft: off by a few thousand tonnes
    plan.ov.set("annual.total_delta", Decimal(rng.choice([-1, 1]) * rng.randint(3000, 12000)))
    total = shown_tonnes(plan, plan.annual_total_utilized())
    # a report that states the (right) total beside its items disagrees with the wrong 合计 too
    return _exp("SUM.TOTAL_MISMATCH", total) + _allowed("CROSSDOC.FIGURE_MISMATCH", total)


def _hb_rate(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    w = rng.choice(_hb_untouched(plan, lambda w: w.generated > 0 and w.received == 0))
    plan.touched.add(w.name)
    right = round_to(w.utilized / w.generated * HUNDRED, plan.v["rate_places"])
    wrong = right - Decimal(rng.randint(40, 90)) / 10
    plan.ov.set(f"annual.rate:{w.name}", wrong)
    return _exp("RATE.MISMATCH", w.name, fmt(wrong, plan.v["rate_places"]))


def _hb_rate_over(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    w = next(w for w in plan.figs.wastes if w.generated > 0 and w.received > 0)
    plan.touched.add(w.name)
    return _exp("RATE.OUT_OF_RANGE", w.name, fmt(w.utilized / w.generated * HUNDRED, 1))


def _hb_crossdoc_annual(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    w = rng.choice(_hb_untouched(plan))
    plan.touched.add(w.name)
    plan.ov.set(f"annual.utilized:{w.name}", round_to(w.utilized * Decimal(rng.uniform(0.86, 0.93)), 2))
    # 附件3 works its rate and 合计 out of the wrong amount: both then differ from the report's
    # (right) rate and total as well — true findings of the same planted error
    return (_exp("CROSSDOC.FIGURE_MISMATCH", w.name, shown_tonnes(plan, plan.annual_utilized(w)))
            + _allowed("CROSSDOC.FIGURE_MISMATCH", f"{w.name}综合利用率")
            + _allowed("CROSSDOC.FIGURE_MISMATCH", shown_tonnes(plan, plan.annual_total_utilized())))


def _hb_crossdoc_narrative(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    w = rng.choice(_hb_untouched(plan))
    plan.touched.add(w.name)
    plan.ov.set(f"narrative.utilized:{w.name}", round_to(w.utilized * Decimal(rng.uniform(0.82, 0.9)), 2))
    return _exp("CROSSDOC.FIGURE_MISMATCH", w.name)


def _hb_exceeds_supply(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    w = rng.choice(_hb_untouched(plan, lambda w: w.generated == 0 and w.received > 0))
    plan.touched.add(w.name)
    # every view shows the same impossible figure: more used than received, no stock to draw on
    w.utilized = round_to(w.received * Decimal(rng.uniform(1.12, 1.25)), 2)
    w.stock_open = w.stock_close = w.disposed = Decimal(0)
    w.monthly = split_monthly(rng, w.utilized)
    return _exp("BALANCE.UTILIZATION_EXCEEDS_SUPPLY", w.name)


def _hb_monthly(plan: hb.HbPlan, rng: random.Random) -> list[Expected]:
    w = rng.choice(_hb_untouched(plan))
    plan.touched.add(w.name)
    m = rng.randrange(12)
    plan.ov.set(f"monthly:{w.name}", (m, w.monthly[m] + Decimal(rng.randint(1500, 6000))))
    return _exp("BALANCE.MONTHLY_SUM_MISMATCH", w.name)


def _d(form, rule, variant, tags, apply, needs=(), order=5) -> Defect:
    return Defect(form, rule, variant, frozenset(tags), tuple(needs), apply, order)


HB = "hb_evaluation"
HN = "hn_benchmark"

HB_DEFECTS: list[Defect] = [
    _d(HB, "OUTLINE.SECTION_MISSING", "section", {"section"}, _hb_drop_section),
    _d(HB, "FIELD.MISSING", "联系人", {"field:联系人"}, _hb_blank_field("联系人")),
    _d(HB, "FIELD.MISSING", "手机号码", {"phone"}, _hb_blank_field("手机号码")),
    _d(HB, "FIELD.MISSING", "电子邮箱", {"email"}, _hb_blank_field("电子邮箱")),
    _d(HB, "FIELD.MISSING", "通讯地址", {"field:通讯地址"}, _hb_blank_field("通讯地址")),
    _d(HB, "FIELD.MISSING", "统一社会信用代码", {"code"}, _hb_blank_field("统一社会信用代码")),
    _d(HB, "ATTACHMENT.MISSING", "营业执照", {"license"}, _drop_license),
    _d(HB, "ATTACHMENT.MISSING", "工艺流程图", {"flowchart"}, _hb_drop_flowchart),
    _d(HB, "ATTACHMENT.MISSING", "承诺", {"commitment"}, _hb_drop_commitment),
    _d(HB, "ID.USCC_INVALID", "code", {"code"}, _invalid_code),
    _d(HB, "FORMAT.PHONE_INVALID", "mobile", {"phone"}, _hb_phone),
    _d(HB, "FORMAT.EMAIL_INVALID", "email", {"email"}, _hb_email),
    _d(HB, "IDENTITY.NAME_MISMATCH", "name", {"name"}, _hb_name_mismatch),
    _d(HB, "IDENTITY.NAME_MISMATCH", "code", {"code"}, _hb_code_mismatch),
    _d(HB, "SUM.TOTAL_MISMATCH", "合计", {"annual_total"}, _hb_total),
    _d(HB, "RATE.MISMATCH", "waste", {"rate"}, _hb_rate, needs=("self",), order=3),
    _d(HB, "RATE.OUT_OF_RANGE", "over", {"rate_over"}, _hb_rate_over, needs=("over",), order=1),
    _d(HB, "CROSSDOC.FIGURE_MISMATCH", "annual", {"annual_total", "crossdoc_annual"}, _hb_crossdoc_annual),
    _d(HB, "CROSSDOC.FIGURE_MISMATCH", "narrative", {"crossdoc_narrative"}, _hb_crossdoc_narrative),
    _d(HB, "BALANCE.UTILIZATION_EXCEEDS_SUPPLY", "received", {"exceeds"}, _hb_exceeds_supply,
       needs=("received",), order=2),
    _d(HB, "BALANCE.MONTHLY_SUM_MISMATCH", "month", {"monthly"}, _hb_monthly),
    _d(HB, "FILE.UNREADABLE", "file", {"corrupt"}, _corrupt(["产品质量检测报告.pdf", "补充材料.docx", "scan_009.pdf"])),
]


# ---------------------------------------------------------------- hn_benchmark


def _hn_drop_section(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
    i = rng.choice([3, 4, 5, 6])
    plan.drop_sections.add(i)
    return _exp("OUTLINE.SECTION_MISSING", hn.SECTIONS[i - 1][0])


def _hn_blank(label: str):
    def apply(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
        plan.cover_blank[label] = rng.choice(["", "", "/"])
        return _exp("FIELD.MISSING", label)
    return apply


def _hn_phone(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
    plan.v["cover_mobile"] = True
    bad = invalid_mobile(rng, plan.company.mobile)
    plan.company = plan.company.with_(mobile=bad)
    return _exp("FORMAT.PHONE_INVALID", bad)


def _hn_name_mismatch(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
    variant = name_variant(plan.company.name, plan.company.industry)
    roles = ["cover"] + (["indicator_table"] if not plan.v["table_in_report"] else []) + (
        ["proof"] if plan.v["proof_kind"] == "docx" else [])
    plan.name_in[rng.choice(roles)] = variant
    return _exp("IDENTITY.NAME_MISMATCH", variant)


def _hn_code_mismatch(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
    plan.v["proof_kind"] = "docx"
    other = other_valid_code(rng, plan.company.credit_code)
    plan.code_in["proof"] = other
    return _exp("IDENTITY.NAME_MISMATCH", other)


def _hn_row5(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
    # the total left out a kind's last-minute correction: shown lower than the kinds' sum
    delta = round_to(plan.figs.total_cur * Decimal(rng.uniform(0.06, 0.12)), 2)
    plan.ov.set("row5.cur", plan.figs.total_cur - delta)
    return _exp("SUM.TOTAL_MISMATCH", "工业资源年综合利用量", hn_shown(plan, plan.total("cur"), "t"))


def _hn_row7(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
    f = plan.figs
    delta = round_to(f.value_cur * Decimal(rng.uniform(0.05, 0.1)), 2)
    plan.ov.set("row7.cur", f.value_cur + rng.choice([-1, 1]) * delta)
    return _exp("SUM.TOTAL_MISMATCH", "综合利用产品年产值", hn_shown(plan, plan.value("cur"), "m"))


def _hn_rate(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
    right = rate_of(plan.total("cur"), plan.figs.supply_cur)
    plan.ov.set("row6.cur", right - Decimal(rng.randint(35, 80)) / 10)
    return _exp("RATE.MISMATCH", fmt(plan.rate("cur"), 1))


def _hn_rate_over(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
    # 资源产生（含接收）总量 stated below the utilisation: the rate follows and tops 100 %
    f = plan.figs
    f.supply_cur = round_to(f.total_cur / Decimal("1.085"), 2)
    return _exp("RATE.OUT_OF_RANGE", fmt(rate_of(f.total_cur, f.supply_cur), 1))


CHANGE_LABELS = {
    "sales": "企业年销售收入",
    "product_sales": "资源综合利用产品或技术成果年销售收入",
    "profit": "利润",
    "tax": "税金",
    "value": "综合利用产品年产值",
}


def _hn_change(key: str):
    def apply(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
        f = plan.figs
        prev, cur = {
            "sales": (f.sales_prev, f.sales_cur), "product_sales": (f.product_sales_prev, f.product_sales_cur),
            "profit": (f.profit_prev, f.profit_cur), "tax": (f.tax_prev, f.tax_cur),
            "value": (plan.value("prev"), plan.value("cur")),
        }[key]
        style = plan.v["change_style"]
        scale = Decimal(10000) if plan.v["money_unit"] == "元" else Decimal(1)
        places = 0 if scale > 1 else 2
        if style == "pct":
            right = pct_change(prev, cur)
            wrong = right + Decimal(rng.choice([-1, 1]) * rng.randint(45, 120)) / 10
            text = hn.signed(plan, wrong, 1, percent=True)
        else:
            diff = (cur - prev) * scale
            wrong = diff + (abs(diff) * Decimal("0.4") + prev * scale * Decimal("0.05")) * rng.choice([-1, 1])
            if style == "words":
                text = ("增加" if wrong > 0 else "减少") + fmt(abs(wrong), places) + plan.v["money_unit"]
            else:
                text = hn.signed(plan, wrong, places)
        plan.ov.set(f"change.{key}", text)
        return _exp("CHANGE.MISMATCH", CHANGE_LABELS[key], text)
    return apply


def _hn_crossdoc_kind(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
    k = rng.choice(plan.figs.kinds)
    plan.ov.set(f"narrative.kind:{k.name}", round_to(k.cur * Decimal(rng.uniform(1.1, 1.2)), 2))
    return _exp("CROSSDOC.FIGURE_MISMATCH", k.name)


def _hn_crossdoc_sales(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
    plan.ov.set("narrative.sales_cur", round_to(plan.figs.sales_cur * Decimal(rng.uniform(1.06, 1.12)), 2))
    return _exp("CROSSDOC.FIGURE_MISMATCH", "企业年销售收入")


def _hn_below(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
    # the veto names the largest resource of the category it weighs against its line
    return _exp("ELIGIBILITY.SCALE_BELOW_THRESHOLD", plan.figs.main.name)


def _hn_scope(plan: hn.HnPlan, rng: random.Random) -> list[Expected]:
    # the resource with the largest utilisation is the one out of 第三条's scope
    return _exp("ELIGIBILITY.CATEGORY_OUT_OF_SCOPE", plan.figs.main.name)


def hn_shown(plan: hn.HnPlan, value: Decimal, kind: str) -> str:
    """A 指标表 figure as a finding states it: in the table's unit, no thousands separators."""
    if kind == "t":
        return fmt(value * 10000, 0) if plan.v["tonnes_unit"] == "吨" else fmt(value, 2)
    return fmt(value * 10000, 0) if plan.v["money_unit"] == "元" else fmt(value, 2)


HN_DEFECTS: list[Defect] = [
    _d(HN, "OUTLINE.SECTION_MISSING", "section", {"section"}, _hn_drop_section),
    _d(HN, "FIELD.MISSING", "联系人", {"cover_contact"}, _hn_blank("联系人")),
    _d(HN, "FIELD.MISSING", "联系电话", {"phone"}, _hn_blank("联系电话")),
    _d(HN, "ATTACHMENT.MISSING", "营业执照", {"license"}, _drop_license),
    _d(HN, "ID.USCC_INVALID", "code", {"code"}, _invalid_code),
    _d(HN, "FORMAT.PHONE_INVALID", "mobile", {"phone"}, _hn_phone),
    _d(HN, "IDENTITY.NAME_MISMATCH", "name", {"name"}, _hn_name_mismatch, order=6),
    _d(HN, "IDENTITY.NAME_MISMATCH", "code", {"code", "proof"}, _hn_code_mismatch, order=4),
    _d(HN, "SUM.TOTAL_MISMATCH", "row5", {"row5", "row6"}, _hn_row5),
    _d(HN, "SUM.TOTAL_MISMATCH", "row7", {"row7"}, _hn_row7),
    _d(HN, "RATE.MISMATCH", "row6", {"row6"}, _hn_rate),
    _d(HN, "RATE.OUT_OF_RANGE", "row6", {"row6", "row5"}, _hn_rate_over, order=2),
    _d(HN, "CHANGE.MISMATCH", "sales", {"change:sales"}, _hn_change("sales")),
    _d(HN, "CHANGE.MISMATCH", "profit", {"change:profit"}, _hn_change("profit")),
    _d(HN, "CHANGE.MISMATCH", "tax", {"change:tax"}, _hn_change("tax")),
    _d(HN, "CHANGE.MISMATCH", "value", {"change:value", "row7"}, _hn_change("value")),
    _d(HN, "CROSSDOC.FIGURE_MISMATCH", "kind", {"narrative_kind"}, _hn_crossdoc_kind),
    _d(HN, "CROSSDOC.FIGURE_MISMATCH", "sales", {"narrative_sales", "change:sales"}, _hn_crossdoc_sales),
    _d(HN, "ELIGIBILITY.SCALE_BELOW_THRESHOLD", "scale", {"profile"}, _hn_below, needs=("below",), order=1),
    _d(HN, "ELIGIBILITY.CATEGORY_OUT_OF_SCOPE", "scope", {"profile"}, _hn_scope, needs=("scope",), order=1),
    _d(HN, "FILE.UNREADABLE", "file", {"corrupt"}, _corrupt(["专利证书.pdf", "补充材料.docx", "scan_009.pdf"])),
]

CATALOGUE = {HB: HB_DEFECTS, HN: HN_DEFECTS}


def compatible(chosen: list[Defect], candidate: Defect) -> bool:
    """One defect per rule in a package, and no two touching the same thing."""
    return all(not (d.tags & candidate.tags) and d.rule != candidate.rule for d in chosen)


def hb_needs(defects: list[Defect]) -> dict:
    """What the enterprise's figures must offer for these defects."""
    waste_defects = sum(1 for d in defects if d.variant in ("waste", "annual", "narrative", "month", "received", "over")
                        and d.rule not in ("FIELD.MISSING",))
    return {
        "need_self": sum(1 for d in defects if "self" in d.needs),
        "need_received": sum(1 for d in defects if "received" in d.needs),
        "need_over": any("over" in d.needs for d in defects),
        "min_wastes": max(2, min(3, waste_defects)),
    }
