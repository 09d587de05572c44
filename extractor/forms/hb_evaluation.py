"""hb_evaluation — 湖北省工业固体废物资源综合利用评价 (seed 001).

Parts: the 评价报告 (附件2 大纲 一…七), 附件1 申报企业基本情况表, 附件3 年报表, and the
enterprise's materials (第十五条).  Figures are compared per waste type across all of them.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from extractor.forms import common
from extractor.forms.balance import BalanceRow, read_balance_tables
from extractor.forms.base import (BalanceClaim, Fact, FieldValue, FormResult, MonthlyClaim, RateClaim,
                                  SumClaim)
from extractor.forms.monthly import monthly_rows
from extractor.forms.narrative import NarrativeContext, extract_narrative_facts
from extractor.forms.outline import match_outline
from extractor.forms.parts import parts_of
from extractor.forms.spec import load_spec
from extractor.forms.labels import find_label_values
from extractor.forms.tables import RecordTable, find_record_tables, is_total_label, logical_tables
from extractor.forms.text import compact
from extractor.forms.wastes import align_names, base_waste_name
from extractor.model import Document
from extractor.quantity import Quantity, unit_in_header

FORM_ID = "hb_evaluation"
_YEAR_PATTERNS = [
    re.compile(r"(20\d{2})年(?:度)?工业固体废物(?:利用|产生|综合利用)"),
    re.compile(r"年报表[(（](20\d{2})年?[)）]"),
    re.compile(r"评价期[^。]{0,12}?(20\d{2})年"),
    re.compile(r"(20\d{2})年(?:度)?(?:1月1日)?至"),
]


class WasteUse(BaseModel):
    """One row of 附件1 "20__年工业固体废物利用情况"."""

    name: str  # cleaned ("1.粉煤灰（干灰）" -> 粉煤灰)
    written: str = ""  # as written
    generated: Quantity | None = None
    received: Quantity | None = None
    utilized: Quantity | None = None
    product: str | None = None
    product_output: str | None = None
    product_value: Quantity | None = None
    product_shared: bool = False  # the product cells are merged with the row above


class AnnualRow(BaseModel):
    """One row of 附件3 年报表."""

    name: str  # the 附件1 name of the same waste where there is one, else cleaned
    written: str = ""
    generated: Quantity | None = None
    received: Quantity | None = None  # a column some filers add to the seed's 年报表
    utilized: Quantity | None = None
    value: Quantity | None = None
    rate: Quantity | None = None
    remark: str | None = None


class HbEvaluation(BaseModel):
    year: str | None = None
    basic_info: dict[str, FieldValue] = Field(default_factory=dict)
    waste_use: list[WasteUse] = Field(default_factory=list)
    annual_report: list[AnnualRow] = Field(default_factory=list)
    annual_total: AnnualRow | None = None
    balance: list[BalanceRow] = Field(default_factory=list)
    monthly: list[dict[str, Any]] = Field(default_factory=list)
    narrative: list[Fact] = Field(default_factory=list)  # figures restated in the report text
    # the 评价机构 that wrote the report (cover 「评价机构（盖章）：…」 or 「受…委托，某机构对…」):
    # 第二十条 publishes it with the enterprise
    agency: FieldValue | None = None


def _year(docs: list[Document]) -> str | None:
    for pat in _YEAR_PATTERNS:
        for d in docs:
            m = pat.search(compact(d.full_text()))
            if m:
                return m.group(1)
    return None


def _record_rows(rt: RecordTable, keys: list[str]) -> list[tuple[str, dict[str, Quantity | None], Any]]:
    out = []
    for row in rt.rows:
        out.append((row.label, {k: rt.quantity(row, k) for k in keys}, row))
    return out


def extract(docs: list[Document], roles: dict[str, list[str]]) -> FormResult:
    spec = load_spec(FORM_ID)
    by_role = lambda r: [d for d in docs if r in roles.get(d.path, [])]  # noqa: E731
    # a file that binds the report with 附件1 and 附件3 is read part by part
    reports = parts_of(by_role("report"), spec, "report")
    basics, annuals = parts_of(by_role("basic_info"), spec, "basic_info"), parts_of(by_role("annual_report"), spec, "annual_report")
    # a standalone 附件1 / 附件3 wins over a copy embedded in the report
    basics.sort(key=lambda d: "report" in roles.get(d.path, []))
    annuals.sort(key=lambda d: "report" in roles.get(d.path, []))
    year = _year(basics + annuals + reports)
    model = HbEvaluation(year=year)
    res = FormResult(form=FORM_ID, form_title=spec.title)

    # 附件1: fields and the waste table
    fields = common.form_fields(res, spec, basics, "basic_info")
    model.basic_info = fields
    cols = spec.tables["waste_use"]
    units = {"generated": "吨", "received": "吨", "utilized": "吨", "product_value": "万元"}
    for d in basics:
        for rt in find_record_tables(d, cols, required=("name", "utilized"), min_keys=4, default_units=units):
            for row in rt.rows:
                wu = WasteUse(name=base_waste_name(row.label), written=row.label, generated=rt.quantity(row, "generated"),
                              received=rt.quantity(row, "received"), utilized=rt.quantity(row, "utilized"),
                              product=row.text("product") or None, product_output=row.text("product_output") or None,
                              product_value=rt.quantity(row, "product_value"))
                pv = row.cells.get("product_value")
                if pv is not None and pv.is_continuation:
                    # one product made from several wastes: its value is stated once
                    wu.product_value, wu.product_shared = None, True
                model.waste_use.append(wu)
            if rt.total is not None:
                for key in ("generated", "received", "utilized", "product_value"):
                    _sum_claim(res, rt, key, f"附件1{_LABEL[key]}合计", "basic_info", year)
            break
        if model.waste_use:
            break  # one 附件1: a copy inside the report must not double its rows
    # one waste listed twice (under 自产 and under 接收外单位) is one waste: its amounts add up
    model.waste_use = _merge_same_waste(model.waste_use)
    for wu in model.waste_use:
        for key in ("generated", "received", "utilized"):
            f = common.fact(f"waste.{key}:{wu.name}", f"{wu.name}{_LABEL[key]}", getattr(wu, key), "basic_info", year)
            if f:
                res.facts.append(f)
    # 年综合利用产值: stated once, itemised by product in the waste table, totalled in 附件3
    annual_value = fields.get("annual_value")
    if annual_value and annual_value.quantity is not None:
        av = Fact(key="annual_value", label="年综合利用产值", period=year, quantity=annual_value.quantity, source="basic_info")
        res.facts.append(av)
        items = [Fact(key=f"item:{w.product or w.name}", label=w.product or w.name, period=year, quantity=w.product_value, source="basic_info")
                 for w in model.waste_use if w.product_value is not None]
        if items and all(w.product_value is not None or w.product_shared for w in model.waste_use):
            res.sums.append(SumClaim(label="年综合利用产值", period=year, total=av, items=items))

    # 附件3: rows, 合计, rates
    acols = spec.tables["annual"]
    aunits = {"generated": "吨", "utilized": "吨", "value": "万元", "rate": "%"}
    for d in annuals:
        for rt in find_record_tables(d, acols, required=("name", "utilized"), default_units=aunits):
            if "rate" not in rt.columns and rt.total is None:
                continue  # 附件1's waste table in the same file, not the 年报表
            names = align_names([w.name for w in model.waste_use], [row.label for row in rt.rows]) if model.waste_use else \
                {row.label: base_waste_name(row.label) for row in rt.rows}
            for row in rt.rows:
                ar = AnnualRow(name=names[row.label], written=row.label, generated=rt.quantity(row, "generated"),
                               received=rt.quantity(row, "received"), utilized=rt.quantity(row, "utilized"),
                               value=rt.quantity(row, "value"), rate=rt.quantity(row, "rate"), remark=row.text("remark") or None)
                model.annual_report.append(ar)
                _annual_facts(res, ar, year)
            if rt.total is not None:
                tot = rt.total
                model.annual_total = AnnualRow(name="合计", generated=rt.quantity(tot, "generated"), received=rt.quantity(tot, "received"),
                                               utilized=rt.quantity(tot, "utilized"), value=rt.quantity(tot, "value"),
                                               rate=rt.quantity(tot, "rate"))
                for key in ("generated", "utilized", "value"):
                    _sum_claim(res, rt, key, f"附件3合计{_LABEL[key]}", "annual_report", year)
                t = model.annual_total
                if t.value is not None:
                    res.facts.append(Fact(key="annual_value", label="年综合利用产值", period=year, quantity=t.value, source="annual_report"))
                # the total's rate is only unambiguous when no row is a received-only waste (or the
                # table states the 接收量 the rate may include)
                own_only = all(r.generated is not None and r.generated.value > 0 for r in model.annual_report) or "received" in rt.columns
                if own_only and t.rate is not None and t.generated is not None and t.utilized is not None and t.generated.value > 0:
                    res.rates.append(RateClaim(label="附件3合计综合利用率", period=year,
                                               reported=Fact(key="rate.total", label="合计综合利用率", period=year, quantity=t.rate, source="annual_report"),
                                               numerator=Fact(key="total.utilized", label="合计综合利用量", period=year, quantity=t.utilized, source="annual_report"),
                                               denominator=Fact(key="total.generated", label="合计产生量", period=year, quantity=t.generated, source="annual_report"),
                                               formula="综合利用量 / 产生量 × 100%", alternatives=_with_received(t, "合计", year)))
                if t.rate is not None:
                    res.facts.append(Fact(key="rate.total", label="附件3合计综合利用率", period=year, quantity=t.rate, source="annual_report"))
            break
        if model.annual_report:
            break

    # the report: outline, narrative, 物料衡算, monthly tables
    outline, spans = match_outline(reports, spec)
    _parents_gate_children(outline)
    res.outline = outline if reports else []
    waste_names = list(dict.fromkeys([w.name for w in model.waste_use] + [a.name for a in model.annual_report]))
    balance = read_balance_tables(reports, spec.tables["balance"], waste_names, year)
    model.balance = balance.rows
    res.facts.extend(balance.facts)
    res.balances.extend(balance.claims)
    stock = balance.stock_drawn
    for d in reports:
        for t in logical_tables(d):
            series = monthly_rows(d, t)
            for mr in series:
                label = mr.label
                if is_total_label(label) and len(series) > 1:
                    continue  # the 合计 of the wastes' series: their own sums are checked, each once
                measure = _measure_of(label) or _measure_of(t.caption or "") or "utilized"
                bare = re.sub(r"(产生|接收|外购|综合利用|利用)量?|[(（].*?[)）]", "", label)
                name = align_names(waste_names, [bare])[bare] if waste_names and bare.strip() else None
                if name is not None and name not in waste_names:
                    name = None  # a series of a waste the forms do not list: not compared
                series_label = f"{name or label}{_LABEL[measure]}"
                months = [Fact(key=f"month{m}", label=f"{m}月", period=year, quantity=q, source="monthly_table") for m, q in mr.months]
                model.monthly.append({"label": label, "waste": name, "measure": measure, "months": {str(m): str(q.value) for m, q in mr.months},
                                      "annual": str(mr.annual.value) if mr.annual else None})
                if mr.annual is not None:
                    res.monthly.append(MonthlyClaim(label=series_label, period=year, months=months,
                                                    annual=Fact(key="annual", label=f"{series_label}全年合计", period=year, quantity=mr.annual, source="monthly_table")))
                    # "废铸造砂（自产）" beside "废铸造砂（接收）": a part of the waste's amount, not all of it
                    partial = bool(re.search(r"[(（][^()（）]*[)）]", label) and not unit_in_header(label)) or \
                        sum(1 for other in monthly_rows(d, t) if align_names(waste_names, [other.label]).get(other.label) == name) > 1
                    if name and not partial:
                        res.facts.append(Fact(key=f"waste.{measure}:{name}", label=series_label, period=year, quantity=mr.annual, source="monthly_table"))
    ctx = NarrativeContext(waste_names=waste_names, metrics=_METRICS, periods={}, default_period=year)
    for d in reports:
        res.facts.extend(extract_narrative_facts(d, ctx))

    # 附件1 balances, with stock drawn down where the report states it
    for wu in model.waste_use:
        if wu.utilized is None or (wu.generated is None and wu.received is None):
            continue
        res.balances.append(BalanceClaim(
            waste=wu.name, period=year,
            utilized=_f(f"waste.utilized:{wu.name}", f"{wu.name}利用量", wu.utilized, "basic_info", year),
            generated=_f(f"waste.generated:{wu.name}", f"{wu.name}产生量", wu.generated, "basic_info", year),
            received=_f(f"waste.received:{wu.name}", f"{wu.name}接收量", wu.received, "basic_info", year),
            stock_drawn=_f(f"stock.drawn:{wu.name}", f"{wu.name}库存减少量", stock.get(wu.name), "report_table", year)))

    res.attachments = common.required_role_status(spec, roles, {"report": "第十八条、附件2", "basic_info": "附件1"}) + \
        common.attachment_status(spec, docs, roles, spans)
    model.narrative = [f for f in res.facts if f.source == "narrative"]
    model.agency = agency_of(reports, spec)
    res.model = model
    return res


_LABEL = {"generated": "产生量", "received": "接收量", "utilized": "利用量", "product_value": "产品产值", "value": "综合利用产值"}
_METRICS = {
    "annual_value": ("年综合利用产值", ("综合利用产值", "综合利用总产值", "综合利用产品产值", "综合利用产品总产值",
                                       "综合利用产品年产值"), "元"),
}


def _measure_of(text: str) -> str | None:
    """Which amount a series is, from its label or its table's caption ("各月产生量")."""
    t = compact(text)
    if "利用" in t:
        return "utilized"
    if "产生" in t:
        return "generated"
    if "接收" in t or "外购" in t:
        return "received"
    return None


def _f(key: str, label: str, q: Quantity | None, source: str, period: str | None) -> Fact | None:
    return common.fact(key, label, q, source, period)


def _sum_claim(res: FormResult, rt: RecordTable, key: str, label: str, source: str, period: str | None) -> None:
    if key not in rt.columns or rt.total is None:
        return
    total = rt.quantity(rt.total, key)
    if total is None:
        return
    items = [(row.label, rt.quantity(row, key)) for row in rt.rows]
    items_f = [Fact(key=f"item:{n}", label=n, period=period, quantity=q, source=source) for n, q in items if q is not None]
    if not items_f:
        return
    res.sums.append(SumClaim(label=label, period=period,
                             total=Fact(key=f"total.{key}", label=label, period=period, quantity=total, source=source),
                             items=items_f))


def _annual_facts(res: FormResult, ar: AnnualRow, year: str | None) -> None:
    for key in ("generated", "utilized"):
        f = common.fact(f"waste.{key}:{ar.name}", f"{ar.name}{_LABEL[key]}", getattr(ar, key), "annual_report", year)
        if f:
            res.facts.append(f)
    if ar.rate is not None:
        res.facts.append(Fact(key=f"waste.rate:{ar.name}", label=f"{ar.name}综合利用率", period=year, quantity=ar.rate, source="annual_report"))
        if ar.generated is not None and ar.utilized is not None and ar.generated.value > 0:
            res.rates.append(RateClaim(
                label=f"{ar.name}综合利用率", period=year,
                reported=Fact(key=f"waste.rate:{ar.name}", label=f"{ar.name}综合利用率", period=year, quantity=ar.rate, source="annual_report"),
                numerator=Fact(key=f"waste.utilized:{ar.name}", label=f"{ar.name}综合利用量", period=year, quantity=ar.utilized, source="annual_report"),
                denominator=Fact(key=f"waste.generated:{ar.name}", label=f"{ar.name}产生量", period=year, quantity=ar.generated, source="annual_report"),
                formula="综合利用量 / 产生量 × 100%", alternatives=_with_received(ar, ar.name, year)))


def _merge_same_waste(rows: list[WasteUse]) -> list[WasteUse]:
    """Rows of one waste (自产 and 接收 listed apart) as one row with the amounts added up."""
    out: dict[str, WasteUse] = {}
    for w in rows:
        cur = out.get(w.name)
        if cur is None:
            out[w.name] = w
            continue
        for key in ("generated", "received", "utilized"):
            setattr(cur, key, _add(getattr(cur, key), getattr(w, key)))
        if w.product_value is not None:
            cur.product_value = _add(cur.product_value, w.product_value)
    return list(out.values())


def _add(a: Quantity | None, b: Quantity | None) -> Quantity | None:
    if a is None or b is None:
        return a or b
    coarse = a if a.tolerance >= b.tolerance else b
    return Quantity(value=a.value + b.value, unit=a.unit or b.unit, text=f"{a.text} + {b.text}", source_unit=coarse.source_unit,
                    decimals=coarse.decimals, scale=coarse.scale, loc=a.loc)


def _with_received(row: AnnualRow, name: str, year: str | None) -> list[Fact]:
    """产生量 + 接收量 as the rate's other denominator, where the row states a 接收量."""
    if row.received is None or row.generated is None or not row.received.value:
        return []
    return [Fact(key=f"supply:{name}", label=f"{name}（产生量 + 接收量）", period=year, quantity=_add(row.generated, row.received),
                 source="annual_report")]


_COMMISSIONED = re.compile(r"受(?P<client>[^，,。；]{4,40}?)委托[，,]?(?P<agency>[^，,。；]{4,40}?(?:公司|研究院|研究所|中心|院|所))"
                          r"(?:对|开展|承担|于|，|,)")


def agency_of(reports: list[Document], spec) -> FieldValue | None:
    """The evaluation agency named in the report: its labelled line first, else the sentence
    that says who commissioned whom."""
    labels = {"agency": spec.report_fields["agency"].names}
    for d in reports:
        for h in find_label_values(d, labels):
            text = common.company_value(common.clean_value(h.value_text))
            if common.plausible_company(text):
                return FieldValue(name="agency", label="评价机构", text=text, loc=h.value_loc, source="report")
    for d in reports:
        for b in d.blocks:
            if b.kind != "paragraph" or "委托" not in b.text:
                continue
            m = _COMMISSIONED.search(compact(b.text))
            if m and common.plausible_company(m.group("agency")):
                return FieldValue(name="agency", label="评价机构", text=m.group("agency"), loc=b.loc, source="report")
    return None


def _parents_gate_children(outline) -> None:
    """When a whole section is missing, report the section, not each of its sub-items."""
    missing = {h.id for h in outline if not h.found and "." not in h.id}
    for h in outline:
        if "." in h.id and h.id.split(".")[0] in missing:
            h.required = False
