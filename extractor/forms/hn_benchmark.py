"""hn_benchmark — 湖南省工业资源综合利用标杆企业自评价报告书 (seed 000).

Parts: the 自评价报告书 (编制提纲 一…六, cover with 单位/联系人/联系电话) and its 附表
工业资源综合利用标杆企业指标表 (in the report or in its own file).  The 指标表's "……" rows
are lists: any number of 种类 rows under 5 and 产量/产值 pairs under 7.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from extractor.dates import date_line
from extractor.forms import common
from extractor.forms.base import ChangeClaim, Fact, FieldValue, FormResult, RateClaim, SumClaim
from extractor.forms.balance import read_balance_tables
from extractor.forms.narrative import NarrativeContext, extract_narrative_facts
from extractor.forms.outline import match_outline
from extractor.forms.series import YEAR_HEADER
from extractor.forms.spec import FormSpec, load_spec
from extractor.forms.tables import RecordRow, RecordTable, find_record_tables
from extractor.forms.text import compact, similarity, strip_label, strip_numbering
from extractor.forms.wastes import base_waste_name, classify_waste
from extractor.model import Document
from extractor.quantity import Quantity, parse_quantity, unit_of

FORM_ID = "hn_benchmark"
_PERIOD_LABELS = ("前一年度", "上年度")


class IndicatorRow(BaseModel):
    key: str  # indicator key, or "waste" / "product_output" / "product_value"
    name: str  # as written
    subject: str | None = None  # waste or product name for list rows
    unit: str | None = None
    previous: Quantity | None = None
    current: Quantity | None = None
    change_text: str | None = None
    change: Quantity | None = None
    # "+2,820.00（+13.08%）": a change written both ways; the second statement
    change_also: Quantity | None = None
    text_current: str | None = None  # text indicators (管理体系)


class Utilization(BaseModel):
    """One resource's 上年度 utilisation with its 第七条 category (corpus/waste_types.yaml)."""

    waste: str  # canonical type
    written: str  # as the 指标表 names it
    category: str  # bulk / nonferrous / precious_battery / scrap_steel / other / out_of_scope / unknown
    quantity: Quantity
    source: str = "indicator_table"

    @property
    def name(self) -> str:
        return self.written or self.waste


class HnBenchmark(BaseModel):
    years: dict[str, str] = Field(default_factory=dict)  # 上年度 -> 2024, 前一年度 -> 2023
    cover: dict[str, FieldValue] = Field(default_factory=dict)
    indicators: list[IndicatorRow] = Field(default_factory=list)
    indicator_table_file: str | None = None
    narrative: list[Fact] = Field(default_factory=list)  # figures restated in the report text
    # eligibility inputs (第三条, 第七条)
    period: str | None = None
    utilization: list[Utilization] = Field(default_factory=list)
    total_utilized: Quantity | None = None


def _years(docs: list[Document], rt: RecordTable | None) -> dict[str, str]:
    cur = None
    if rt is not None:
        m = re.search(r"(20\d{2})", rt.headers.get("current", ""))
        if m:
            cur = int(m.group(1))
    if cur is None:
        for d in docs:
            t = compact(d.full_text())
            m = re.search(r"上年度[(（]?(20\d{2})", t) or re.search(r"(20\d{2})年(?:度)?(?:企业)?资源综合利用情况", t)
            if m:
                cur = int(m.group(1))
                break
    if cur is None:
        # the cover's date ("2025.8.20", "二〇二五年八月"): the report is written the year after 上年度
        for d in docs:
            cover = next((dl for b in d.blocks[:40] if b.kind in ("paragraph", "heading")
                          for dl in [date_line(b.text)] if dl is not None), None)
            if cover is not None:
                cur = cover.value.year - 1
                break
    if cur is None:
        return {}
    return {"上年度": str(cur), "前一年度": str(cur - 1)}


def _indicator_key(spec: FormSpec, name: str) -> str | None:
    t = strip_label(re.sub(r"^\d+[、.．]?", "", compact(name)))
    best, score = None, 0.0
    for key, ind in spec.indicators.items():
        for n in ind.names:
            n = compact(n)
            sc = similarity(t, n)
            if t == n or (len(t) >= 4 and (t.startswith(n) or n.startswith(t))):
                sc = max(sc, 95.0)
            if sc > score:
                best, score = key, sc
    return best if score >= 85 else None


_YEAR_IN = re.compile(r"20\d{2}")
_CHANGE_HEADER = re.compile(r"(?:20\d{2}年?度?)?较(?:20\d{2}|前一|上一|上年).*(?:变化|增减|增长|变动)|^(?:增减|变化|变动)(?:情况|幅度|率)?$")


def _year_columns(docs: list[Document], spec: FormSpec) -> dict[str, list[str]]:
    """Submitters head the year columns their own way: "2023年" / "2024年" (the later year is the
    current one), "前一年度（2023年）情况", "上年度（2024年）"; and the change column "2024年较2023年
    变化", "增减情况".  The headers as written join the spec's names for this package."""
    cols = {k: list(v) for k, v in spec.indicator_columns.items()}
    years: dict[int, set[str]] = {}
    for d in docs:
        for t in d.tables():
            for row in t.rows[:3]:
                for c in row:
                    text = compact(c.text)
                    if not text or len(text) > 30:
                        continue
                    if _CHANGE_HEADER.search(text):
                        cols["change"].append(c.text.strip())
                        continue
                    if re.search(r"前一?年度?|前一年", text) and _YEAR_IN.search(text):
                        cols["previous"].append(c.text.strip())
                        continue
                    if re.search(r"上一?年度", text) and _YEAR_IN.search(text):
                        cols["current"].append(c.text.strip())
                        continue
                    m = YEAR_HEADER.match(text)
                    if m:
                        years.setdefault(int(m.group(1)), set()).add(c.text.strip())
    if len(years) >= 2:
        ys = sorted(years)
        cols["previous"] = cols["previous"] + sorted(years[ys[-2]])
        cols["current"] = cols["current"] + sorted(years[ys[-1]])
    return cols


def _find_indicator_table(docs: list[Document], spec: FormSpec) -> RecordTable | None:
    best = None
    columns = _year_columns(docs, spec)
    for d in docs:
        for rt in find_record_tables(d, columns, required=("name", "current"), min_keys=3):
            hits = sum(1 for r in rt.rows if _indicator_key(spec, r.label))
            if hits >= 3 and (best is None or hits > best[0]):
                best = (hits, rt)
    return best[1] if best else None


def _quantity(rt: RecordTable, row: RecordRow, key: str, unit: str | None) -> Quantity | None:
    c = row.cells.get(key)
    return parse_quantity(c.text, unit, c.loc) if c is not None else None


def _rows(rt: RecordTable, spec: FormSpec) -> list[IndicatorRow]:
    out: list[IndicatorRow] = []
    state = None  # "waste" after 工业资源年综合利用量, "product" after 综合利用产品年产值
    for row in rt.rows:
        name = row.label
        key = _indicator_key(spec, name)
        seq = compact(row.text("seq"))
        if key is None and re.fullmatch(r"\d{1,2}", seq or "") and state:
            key = "unknown"
        unit_txt = row.text("unit") or None
        if key and key != "unknown":
            ind = spec.indicators[key]
            unit = unit_txt if unit_of(unit_txt or "") else ind.unit
            ir = IndicatorRow(key=key, name=name, unit=unit)
            if ind.text:
                ir.text_current = row.text("current") or None
            state = "waste" if key == "total_utilized" else "product" if key == "product_value" else None
        elif key == "unknown":
            state = None
            continue
        elif state == "waste":
            unit = unit_txt if unit_of(unit_txt or "") else "万吨"
            ir = IndicatorRow(key="waste", name=name, subject=base_waste_name(name), unit=unit)
        elif state == "product":
            unit = unit_txt if unit_of(unit_txt or "") else None
            kind = "product_value_item" if ("产值" in name or (unit and unit_of(unit) and unit_of(unit)[0] == "元")) else "product_output"
            subject = re.sub(r"^(?:综合利用)?产品\d*[:：]?|[:：(]?(?:产量|产值)\)?$|^其中[:：]", "", strip_numbering(compact(name))).strip("：:")
            ir = IndicatorRow(key=kind, name=name, subject=subject or name, unit=unit or ("万元" if kind == "product_value_item" else None))
        else:
            continue
        if key not in ("systems",) and not (key and spec.indicators.get(key) and spec.indicators[key].text):
            ir.previous = _quantity(rt, row, "previous", ir.unit)
            ir.current = _quantity(rt, row, "current", ir.unit)
            ct = row.text("change")
            if ct:
                ir.change_text = ct
                # "(718.6)" alone is an accountant's negative; "+2,820.00（+13.08%）" two statements
                two = re.match(r"^([^(（]*\d[^(（]*)[(（]([^()（）]*\d[^()（）]*)[)）]\s*$", ct.strip())
                parts = [two.group(1), two.group(2)] if two else [ct]
                cell = row.cells["change"]
                quantities = [parse_quantity(p, None if re.search(r"[%％]", p) else ir.unit, cell.loc) for p in parts[:2]]
                ir.change = quantities[0] if quantities else None
                ir.change_also = quantities[1] if len(quantities) > 1 else None
        out.append(ir)
    return out


_FACT_KEYS = {"sales_revenue", "product_revenue", "profit", "tax", "total_utilized", "rate", "product_value", "patents", "standards"}
_METRICS = {
    "product_revenue": ("资源综合利用产品或技术成果年销售收入", ("综合利用产品销售收入", "技术成果年销售收入", "综合利用产品或技术成果", "综合利用产品年销售收入"), "元"),
    "sales_revenue": ("企业年销售收入", ("销售收入", "营业收入", "营收"), "元"),
    "profit": ("利润", ("利润",), "元"),
    "tax": ("税金", ("税金", "纳税", "上缴税", "缴纳税"), "元"),
    "product_value": ("综合利用产品年产值", ("综合利用产品年产值", "综合利用产品产值", "综合利用产品总产值"), "元"),
    "total_utilized": ("工业资源年综合利用量", ("工业资源年综合利用量", "工业资源综合利用量", "年综合利用量", "综合利用各类工业资源", "综合利用工业资源", "综合利用各类资源", "综合利用工业固废", "综合利用工业固体废物", "综合利用各类工业固废", "综合利用一般工业固废"), "吨"),
    "supply_total": ("资源产生（含接收）总量", ("产生(含接收)总量", "产生（含接收）总量", "产生及接收总量", "产生和接收总量", "资源产生总量"), "吨"),
    "rate": ("综合利用率", ("综合利用率",), "%"),
}


def extract(docs: list[Document], roles: dict[str, list[str]]) -> FormResult:
    spec = load_spec(FORM_ID)
    reports = [d for d in docs if "report" in roles.get(d.path, [])]
    tables_docs = [d for d in docs if "indicator_table" in roles.get(d.path, [])]
    res = FormResult(form=FORM_ID, form_title=spec.title)
    model = HnBenchmark()

    fields = common.form_fields(res, spec, reports, "report")
    model.cover = fields

    rt = _find_indicator_table(tables_docs + [d for d in reports if d not in tables_docs], spec)
    # without dates to resolve them, the two periods keep their relative names
    years = _years(reports + tables_docs, rt) or {"上年度": "上年度", "前一年度": "前一年度"}
    model.years = years
    prev_p, cur_p = years.get("前一年度", "前一年度"), years.get("上年度", "上年度")
    if rt is not None:
        model.indicator_table_file = rt.doc.path
        model.indicators = _rows(rt, spec)
        if "indicator_table" not in roles.get(rt.doc.path, []):
            roles[rt.doc.path] = roles.get(rt.doc.path, []) + ["indicator_table"]
    _indicator_claims(res, model.indicators, prev_p, cur_p)

    outline, spans = match_outline(reports, spec)
    missing = {h.id for h in outline if not h.found and "." not in h.id}
    for h in outline:
        if "." in h.id and h.id.split(".")[0] in missing:
            h.required = False
    res.outline = outline if reports else []
    waste_names = [r.subject for r in model.indicators if r.key == "waste" and r.subject]
    # a 物料衡算 table in the report: its figures and its balance, for the year its caption names
    balance = read_balance_tables(reports, spec.tables["balance"], waste_names, cur_p,
                                  years={y: label for label, y in years.items()} | {y: y for y in years.values()})
    res.facts.extend(balance.facts)
    res.balances.extend(balance.claims)
    # the report is written in the year after 上年度: its 本年度 / 今年 are that year
    periods = dict(years)
    if cur_p.isdigit():
        periods.setdefault("本年度", str(int(cur_p) + 1))
    ctx = NarrativeContext(waste_names=waste_names, metrics=_METRICS, periods=periods, default_period=cur_p)
    narrative = []
    for d in reports:
        narrative.extend(extract_narrative_facts(d, ctx))
    res.facts.extend(f for f in narrative if f.key != "supply_total")
    # 综合利用率 recomputed against the stated supply (产生含接收总量), where the report states it
    supply = next((f for f in narrative if f.key == "supply_total" and f.period == cur_p), None)
    total = next((r for r in model.indicators if r.key == "total_utilized"), None)
    rate = next((r for r in model.indicators if r.key == "rate"), None)
    if supply and total and rate and total.current is not None and rate.current is not None:
        res.rates.append(RateClaim(label="综合利用率", period=cur_p,
                                   reported=Fact(key="rate", label="综合利用率", period=cur_p, quantity=rate.current, source="indicator_table"),
                                   numerator=Fact(key="total_utilized", label="工业资源年综合利用量", period=cur_p, quantity=total.current, source="indicator_table"),
                                   denominator=supply, formula="工业资源年综合利用量 / 资源产生（含接收）总量 × 100%"))

    # eligibility inputs (第三条, 第七条)
    util: list[Utilization] = []
    for r in model.indicators:
        if r.key == "waste" and r.current is not None:
            wt = classify_waste(r.subject or r.name)
            util.append(Utilization(waste=wt.name if wt else (r.subject or r.name), written=r.subject or r.name,
                                    category=wt.category if wt else "unknown", quantity=r.current))
    if not util and total is not None and total.current is not None:
        # no 种类 rows: the total counts toward the resource the report writes about most
        main = _main_resource(reports)
        util.append(Utilization(waste=main.name if main else "工业资源", written=main.name if main else "工业资源年综合利用量",
                                category=main.category if main else "unknown", quantity=total.current))
    model.period, model.utilization = cur_p, util
    model.total_utilized = total.current if total else None

    res.attachments = common.required_role_status(spec, roles, {"report": "第十条、附件", "indicator_table": "附件 附表"}) + \
        common.attachment_status(spec, docs, roles, spans)
    model.narrative = [f for f in res.facts if f.source == "narrative"]
    res.model = model
    return res


def _main_resource(docs: list[Document]):
    """The waste type named most often in the report text, or None."""
    from collections import Counter

    from extractor.forms.wastes import known_waste_names

    counts: Counter = Counter()
    names = known_waste_names()
    for d in docs:
        text = compact(" ".join(b.text for b in d.text_blocks()))
        for n in names:
            k = text.count(n)
            if k:
                wt = classify_waste(n)
                if wt:
                    counts[wt] += k
                text = text.replace(n, "")  # longest names first: 粉煤灰 inside 电厂粉煤灰 counted once
    return counts.most_common(1)[0][0] if counts else None


def _indicator_claims(res: FormResult, rows: list[IndicatorRow], prev_p: str, cur_p: str) -> None:
    spec = load_spec(FORM_ID)
    for r in rows:
        fact_key = r.key if r.key in _FACT_KEYS else (
            f"waste.utilized:{r.subject}" if r.key == "waste" else f"product.{'value' if r.key == 'product_value_item' else 'output'}:{r.subject}")
        if r.key in spec.indicators:
            label = spec.indicators[r.key].label
        elif r.key == "waste" and r.subject:
            label = f"{r.subject}利用量"  # "其中：粉煤灰" / "种类1：粉煤灰利用量" say the same
        else:
            label = strip_label(re.sub(r"^\d+[、.．]?", "", compact(r.name)))
        for period, q in ((prev_p, r.previous), (cur_p, r.current)):
            if q is not None:
                res.facts.append(Fact(key=fact_key, label=label, period=period, quantity=q, source="indicator_table"))
        for change in (r.change, r.change_also):
            if change is None or r.previous is None or r.current is None:
                continue
            res.changes.append(ChangeClaim(label=label,
                                           previous=Fact(key=fact_key, label=label, period=prev_p, quantity=r.previous, source="indicator_table"),
                                           current=Fact(key=fact_key, label=label, period=cur_p, quantity=r.current, source="indicator_table"),
                                           change=Fact(key=f"change:{fact_key}", label=f"{label}变化情况", quantity=change, source="indicator_table"),
                                           change_text=change.text if r.change_also is not None else (r.change_text or "")))
    for parent, child in (("total_utilized", "waste"), ("product_value", "product_value_item")):
        p = next((r for r in rows if r.key == parent), None)
        kids = [r for r in rows if r.key == child]
        if p is None or not kids:
            continue
        plabel = "工业资源年综合利用量" if parent == "total_utilized" else "综合利用产品年产值"
        for period, attr in ((prev_p, "previous"), (cur_p, "current")):
            tq = getattr(p, attr)
            items = [Fact(key=f"item:{k.subject}", label=k.subject or k.name, period=period, quantity=getattr(k, attr), source="indicator_table")
                     for k in kids if getattr(k, attr) is not None]
            if tq is not None and items:
                res.sums.append(SumClaim(label=plabel, period=period,
                                         total=Fact(key=parent, label=plabel, period=period, quantity=tq, source="indicator_table"),
                                         items=items))
