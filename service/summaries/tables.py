"""The rows of each summary table, from the typed forms of the packages it includes.

Figures are the reviewed packages' extracted quantities converted to the unit in the table's
header (吨, 万元, 亿元), exact decimals; each cell keeps the place in the package it came from.
Sums and rates are computed here from those figures, never copied from a package's own total."""

from __future__ import annotations

from collections import OrderedDict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from pydantic import BaseModel

from extractor.forms.spec import load_settings
from extractor.model import Location
from extractor.quantity import UNITS, Quantity, normalise_unit, parse_quantity
from service.summaries.inputs import Context, PackageReport, builds, open_blocking
from service.summaries.model import Cell, Column, Row, Sheet, Source
from service.summaries.regions import province_in

Chosen = list[tuple[PackageReport, BaseModel]]
HUNDRED = Decimal(100)


def source(p: PackageReport, loc: Location | None) -> Source:
    return Source(package=p.name, location=loc.describe() if loc is not None else "", link=p.link)


def in_unit(q: Quantity | None, unit: str) -> Decimal | None:
    """The quantity in the header's unit (万元 from 元, 吨 from 万吨 …); None when its base
    unit is another (a figure in 吨 under a 万元 header is not converted, it is left out)."""
    if q is None:
        return None
    base, mult = UNITS[normalise_unit(unit)]
    if q.unit and q.unit != base:
        return None
    value = q.value / mult
    return value.normalize() if value == value.to_integral_value() else value


def figure(p: PackageReport, q: Quantity | None, unit: str) -> Cell:
    return Cell(value=in_unit(q, unit), source=source(p, q.loc) if q is not None else None)


def text_cell(p: PackageReport, text: str | None, loc: Location | None = None) -> Cell:
    return Cell(value=(text or "").strip() or None, source=source(p, loc) if loc is not None else None)


def field_text(fields: dict[str, Any], *ids: str) -> tuple[str | None, Location | None]:
    for fid in ids:
        fv = fields.get(fid)
        if fv is not None and (fv.text or "").strip():
            return fv.text.strip(), fv.loc
    return None, None


def rate(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (numerator / denominator * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None:
        return b
    return a if b is None else a + b


def total_row(sheet: Sheet, label_column: str, label: str, sums: dict[str, Decimal | None]) -> Row:
    cells = {c.id: Cell() for c in sheet.columns}
    cells[label_column] = Cell(value=label)
    for k, v in sums.items():
        cells[k] = Cell(value=v)
    return Row(cells=cells, kind="total")


def section_row(sheet: Sheet, label: str) -> Row:
    first = sheet.columns[0].id
    return Row(cells={first: Cell(value=label)}, kind="section")


def _numbered(rows: Iterable[Row]) -> None:
    n = 0
    for r in rows:
        if r.kind == "item" and "seq" in r.cells and r.cells["seq"].rowspan:
            n += 1
            r.cells["seq"].value = n


# ---------------------------------------------------------------- 湖北 hb_evaluation


class WasteFigures(BaseModel):
    """One waste of one enterprise, as its 附件3 年报表 states it (附件1 where it has none)."""

    name: str
    generated: Quantity | None = None
    received: Quantity | None = None
    utilized: Quantity | None = None
    value: Quantity | None = None
    product: str | None = None


def waste_figures(model) -> list[WasteFigures]:
    """The enterprise's wastes: 附件3 rows (the 年报表 the city's own 年报表 adds up), else 附件1's
    waste table; products, 接收量 and a blank 产生量 from 附件1 where it states them."""
    by_name = {w.name: w for w in model.waste_use}
    if model.annual_report:
        # a 附件3 cell left blank (产生量 of a waste only received) is taken from 附件1 where it states it
        return [WasteFigures(name=r.name, value=r.value,
                             generated=r.generated or (by_name[r.name].generated if r.name in by_name else None),
                             utilized=r.utilized or (by_name[r.name].utilized if r.name in by_name else None),
                             received=r.received or (by_name[r.name].received if r.name in by_name else None),
                             product=by_name[r.name].product if r.name in by_name else None)
                for r in model.annual_report]
    return [WasteFigures(name=w.name, generated=w.generated, received=w.received, utilized=w.utilized,
                         value=w.product_value, product=w.product) for w in model.waste_use]


def _company(p: PackageReport, model) -> tuple[str, Location | None]:
    name, loc = field_text(model.basic_info, "company_name")
    return name or p.name, loc


def _agency(model) -> tuple[str | None, Location | None]:
    a = getattr(model, "agency", None)
    return (a.text, a.loc) if a is not None else (None, None)


@builds("hb_publicity")
def hb_publicity(sheets: dict[str, Sheet], chosen: Chosen, ctx: Context) -> list[str]:
    sheet = sheets["publicity"]
    warnings = []
    for p, model in chosen:
        name, name_loc = _company(p, model)
        wastes = [w for w in model.waste_use if w.utilized is not None] or \
            [w for w in model.annual_report if w.utilized is not None]
        amounts = "；".join(f"{w.name} {w.utilized.display().replace(' ', '')}" for w in wastes)
        products = "、".join(dict.fromkeys(w.product for w in model.waste_use if w.product))
        agency, agency_loc = _agency(model)
        if not agency:
            warnings.append(f"{name}：评价报告中未读到评价机构名称，公示表中该栏须手工填写")
        if not products:
            warnings.append(f"{name}：附件1中未读到综合利用产品名称，公示表中该栏须手工填写")
        sheet.rows.append(Row(link=p.link, cells={
            "seq": Cell(),
            "company": text_cell(p, name, name_loc),
            "wastes": text_cell(p, amounts, wastes[0].utilized.loc if wastes else None),
            "products": text_cell(p, products, next((w.utilized.loc for w in model.waste_use if w.product and w.utilized), None)),
            "agency": text_cell(p, agency, agency_loc),
        }))
    _numbered(sheet.rows)
    return warnings


@builds("hb_annual")
def hb_annual(sheets: dict[str, Sheet], chosen: Chosen, ctx: Context) -> list[str]:
    sheet = sheets["annual"]
    warnings: list[str] = []
    by_waste: OrderedDict[str, dict[str, Decimal | None]] = OrderedDict()
    incomplete: set[str] = set()
    for p, model in chosen:
        name, name_loc = _company(p, model)
        wastes = [w for w in waste_figures(model) if w.utilized is not None or w.value is not None]
        tax, tax_loc = field_text(model.basic_info, "tax_relief")
        agency, agency_loc = _agency(model)
        span = max(len(wastes), 1)
        for i, w in enumerate(wastes or [WasteFigures(name="")]):
            first = i == 0
            utilized, value = in_unit(w.utilized, "吨"), in_unit(w.value, "万元")
            sheet.rows.append(Row(link=p.link, cells={
                "seq": Cell(rowspan=span if first else 0),
                "company": text_cell(p, name, name_loc) if first else Cell(rowspan=0),
                "waste": text_cell(p, w.name),
                "utilized": figure(p, w.utilized, "吨"),
                "value": figure(p, w.value, "万元"),
                "tax_relief": (text_cell(p, tax or "—", tax_loc) if first else Cell(rowspan=0)),
                "agency": text_cell(p, agency, agency_loc) if first else Cell(rowspan=0),
            }))
            if first:
                for k in ("seq", "company", "tax_relief", "agency"):
                    sheet.rows[-1].cells[k].rowspan = span
            if not w.name:
                continue
            sums = by_waste.setdefault(w.name, {"utilized": None, "value": None})
            sums["utilized"] = add(sums["utilized"], utilized)
            sums["value"] = add(sums["value"], value)
            if value is None:
                incomplete.add(w.name)
        if not wastes:
            warnings.append(f"{name}：未读到分种类的综合利用量")
    _numbered(sheet.rows)
    sheet.rows.append(section_row(sheet, "分种类合计"))
    total_u = total_v = None
    for waste, sums in by_waste.items():
        cells = {c.id: Cell() for c in sheet.columns}
        cells["waste"] = Cell(value=waste)
        cells["utilized"] = Cell(value=sums["utilized"])
        cells["value"] = Cell(value=sums["value"])
        if waste in incomplete:
            cells["tax_relief"] = Cell(value="部分企业未填该种类产值，产值为已填部分之和")
        sheet.rows.append(Row(cells=cells, kind="subtotal"))
        total_u, total_v = add(total_u, sums["utilized"]), add(total_v, sums["value"])
    sheet.rows.append(total_row(sheet, "company", "合计", {"utilized": total_u, "value": total_v}))
    if incomplete:
        warnings.append("以下种类有企业未分种类填报产值，其产值合计不完整：" + "、".join(sorted(incomplete)))
    return warnings


@builds("hb_city_report")
def hb_city_report(sheets: dict[str, Sheet], chosen: Chosen, ctx: Context) -> list[str]:
    """附件3 for the city: each waste's amounts added up over the enterprises, the rate recomputed
    from the sums.  A waste the enterprises also receive from others is utilised out of 产生量 +
    接收量, so its rate is taken over both (the 接收量 from 附件1 where 附件3 has no column)."""
    sheet = sheets["city_report"]
    warnings: list[str] = []
    acc: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for p, model in chosen:
        name, _ = _company(p, model)
        for w in waste_figures(model):
            a = acc.setdefault(w.name, {"generated": None, "utilized": None, "value": None, "received": None,
                                        "companies": [], "missing": {"generated": 0, "utilized": 0, "value": 0}})
            a["companies"].append(name)
            for key, unit in (("generated", "吨"), ("utilized", "吨"), ("value", "万元")):
                v = in_unit(getattr(w, key), unit)
                if v is None:
                    a["missing"][key] += 1
                a[key] = add(a[key], v)
            a["received"] = add(a["received"], in_unit(w.received, "吨"))
    totals: dict[str, Decimal | None] = {"generated": None, "utilized": None, "value": None}
    rated_num = rated_den = None
    unrated = []
    for waste, a in acc.items():
        remarks = [f"{len(set(a['companies']))}家企业"]
        supply = add(a["generated"], a["received"]) if a["received"] else a["generated"]
        complete = not a["missing"]["generated"] and not a["missing"]["utilized"]
        r = rate(a["utilized"], supply) if complete and supply and a["utilized"] is not None and a["utilized"] <= supply else None
        if a["received"]:
            remarks.append(f"含接收外单位{a['received']:,.2f}吨，利用率按（产生量＋接收量）计")
        for key, label in (("generated", "产生量"), ("utilized", "综合利用量"), ("value", "综合利用产值")):
            if a["missing"][key]:
                remarks.append(f"{a['missing'][key]}家未填{label}")
                warnings.append(f"{waste}：{a['missing'][key]}家企业未填{label}，该项合计不含这些企业")
        if r is None:
            unrated.append(waste)
            remarks.append("未能计算利用率")
        else:
            rated_num, rated_den = add(rated_num, a["utilized"]), add(rated_den, supply)
        sheet.rows.append(Row(cells={
            "seq": Cell(), "waste": Cell(value=waste), "generated": Cell(value=a["generated"]),
            "utilized": Cell(value=a["utilized"]), "value": Cell(value=a["value"]),
            "rate": Cell(value=r), "remark": Cell(value="；".join(remarks)),
        }))
        for key in totals:
            totals[key] = add(totals[key], a[key])
    _numbered(sheet.rows)
    sheet.rows.append(total_row(sheet, "waste", f"{len(chosen)}家企业", {**totals, "rate": rate(rated_num, rated_den)}))
    sheet.rows[-1].cells["seq"] = Cell(value="合计")
    if unrated:
        sheet.rows[-1].cells["remark"] = Cell(value=f"合计利用率不含{'、'.join(unrated)}")
    return warnings


# ---------------------------------------------------------------- 湖北 hb_agency


def recent_relevant_contracts(model) -> int:
    """近三年相关业绩: contracts the 附件6 业绩数量 item counts (signed within its window, of a
    related service)."""
    from checkers.agency_scores import recent_contracts

    return sum(1 for c in recent_contracts(model, load_settings("hb_agency")) if c.category is not None)


def _rules_found(report) -> bool | None:
    att = next((a for a in report.get("attachments") or [] if a.get("id") == "management_rules"), None)
    return None if att is None else bool(att.get("found"))


def _score(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value not in (None, "") else None


@builds("hb_agencies")
def hb_agencies(sheets: dict[str, Sheet], chosen: Chosen, ctx: Context) -> list[str]:
    sheet = sheets["agencies"]
    warnings: list[str] = []
    ranked: list[tuple[Decimal, str, PackageReport, Any]] = []
    for p, model in chosen:
        app = model.application
        name, name_loc = field_text(app, "company_name")
        name = name or model.applicant or p.name
        capital_text, capital_loc = field_text(app, "reg_capital")
        capital = parse_quantity(capital_text, "万元", capital_loc) if capital_text else None
        counts = model.staff_counts
        address, address_loc = field_text(app, "address", "reg_address")
        head, head_loc = field_text(app, "legal_rep")
        phone, phone_loc = field_text(app, "legal_rep_phone", "contact_phone", "contact_way")
        rules = _rules_found(p.report)
        sheet.rows.append(Row(link=p.link, cells={
            "seq": Cell(),
            "name": text_cell(p, name, name_loc),
            "capital": figure(p, capital, "万元"),
            "staff_total": Cell(value=counts.total, source=source(p, counts.loc) if counts.loc else None),
            "senior": Cell(value=counts.senior, source=source(p, counts.loc) if counts.loc else None),
            "intermediate": Cell(value=counts.intermediate, source=source(p, counts.loc) if counts.loc else None),
            "contracts": Cell(value=recent_relevant_contracts(model) if model.contracts_found else None,
                              source=source(p, model.contracts[0].loc) if model.contracts else None),
            "rules": Cell(value={True: "是", False: "否", None: "未确定"}[rules]),
            "address": text_cell(p, address, address_loc),
            "head": text_cell(p, head, head_loc),
            "phone": text_cell(p, phone, phone_loc),
            "remark": Cell(value="已确认受理（存在未处理的错误或否决项）" if p.accepted and _blocking(p) else None),
        }))
        if counts.total is None:
            warnings.append(f"{name}：申请表中未读到专业技术人员人数")
        scores = (p.report.get("fields") or {}).get("scores") or []
        computed = sum((_score(s.get("score")) or Decimal(0) for s in scores if s.get("status") == "computed"), Decimal(0))
        ranked.append((computed, name, p, scores))
    _numbered(sheet.rows)
    _ranking(sheets["ranking"], ranked)
    return warnings


def _blocking(p: PackageReport) -> bool:
    return bool(p.report and open_blocking(p.report, p.marks))


def _ranking(sheet: Sheet, ranked: list[tuple[Decimal, str, PackageReport, Any]]) -> None:
    """附件6 score sheets side by side: one column per agency, best computed score first."""
    ranked.sort(key=lambda r: (-r[0], r[1]))
    sheet.header = [[("分类", 1, 1), ("分项", 1, 1), ("满分", 1, 1)] + [(name, 1, 1) for _, name, _, _ in ranked]]
    sheet.columns = [Column("group", width=18), Column("item", width=26), Column("max", "0", 8)] + \
        [Column(f"a{i}", "0.0", 18) for i in range(len(ranked))]
    items: OrderedDict[tuple[str, str], str] = OrderedDict()
    for _, _, _, scores in ranked:
        for s in scores:
            items.setdefault((s.get("group") or "", s.get("item") or ""), s.get("max") or "")
    veto = {c.id: Cell() for c in sheet.columns}
    veto["group"], veto["item"] = Cell(value="基本条件"), Cell(value="一票否决项（附件6 基本条件1–4）")
    for i, (_, _, p, _) in enumerate(ranked):
        veto[f"a{i}"] = Cell(value="存在否决项，已确认受理" if _blocking(p) else "未发现否决情形", source=Source(p.name, "", p.link))
    sheet.rows.append(Row(cells=veto))
    for (group, item), max_ in items.items():
        cells = {"group": Cell(value=group), "item": Cell(value=item), "max": Cell(value=_score(max_))}
        for i, (_, _, p, scores) in enumerate(ranked):
            s = next((s for s in scores if (s.get("group") or "") == group and (s.get("item") or "") == item), None)
            if s is None:
                cells[f"a{i}"] = Cell()
            elif s.get("status") == "computed":
                cells[f"a{i}"] = Cell(value=_score(s.get("score")), source=Source(p.name, s.get("working") or "", p.link))
            else:
                cells[f"a{i}"] = Cell(value="待人工评分", source=Source(p.name, s.get("working") or "", p.link))
        sheet.rows.append(Row(cells=cells))
    total = {"group": Cell(value="自动计算得分合计"), "item": Cell(), "max": Cell()}
    pending = {"group": Cell(value="待人工评分项满分合计"), "item": Cell(), "max": Cell()}
    place = {"group": Cell(value="排名（按已计算得分）"), "item": Cell(), "max": Cell()}
    for i, (computed, _, _, scores) in enumerate(ranked):
        total[f"a{i}"] = Cell(value=computed)
        pending[f"a{i}"] = Cell(value=sum((_score(s.get("max")) or Decimal(0) for s in scores if s.get("status") != "computed"), Decimal(0)),
                                format="0")
        place[f"a{i}"] = Cell(value=1 + sum(1 for c, *_ in ranked if c > computed), format="0")
    sheet.rows += [Row(cells=total, kind="total"), Row(cells=pending, kind="total"), Row(cells=place, kind="total")]


# ---------------------------------------------------------------- 无废 nowaste_case


@builds("nowaste_summary")
def nowaste_summary(sheets: dict[str, Sheet], chosen: Chosen, ctx: Context) -> list[str]:
    sheet = sheets["cases"]
    warnings: list[str] = []
    limit = ctx.max_rows
    for p, package in chosen:
        own = {compact_name(r.name): r for r in package.summary if r.name}
        for case in package.cases:
            if limit is not None and sum(1 for r in sheet.rows if r.kind == "item") >= limit:
                warnings.append(f"{case.unit_name or p.name}：附件2至多列{limit}个案例，未列入")
                continue
            row_own = own.get(compact_name(case.unit_name or ""))
            address, address_loc = field_text(case.cover, "address")
            industry, industry_loc = field_text(case.basic, "leading_industry", "industry")
            contact, contact_loc = field_text(case.cover, "contact")
            if not contact:
                contact, contact_loc = field_text(case.basic, "filler")
            phone, phone_loc = field_text(case.cover, "phone")
            if not phone:
                phone, phone_loc = field_text(case.basic, "filler_phone", "mobile")
            description = case.body.brief or (row_own.description if row_own else None)
            if not description:
                warnings.append(f"{case.unit_name or p.name}：未读到案例正文，简要描述须手工填写")
            sheet.rows.append(Row(link=p.link, cells={
                "seq": Cell(),
                "province": Cell(value=province_in(address) or (row_own.province if row_own else None),
                                 source=source(p, address_loc) if address_loc else None),
                "attribute": Cell(value={"park": "园区", "enterprise": "企业"}.get(case.kind)),
                "name": text_cell(p, case.unit_name),
                "case": text_cell(p, case.title, case.title_loc),
                "industry": text_cell(p, industry or (row_own.industry if row_own else None), industry_loc),
                "description": text_cell(p, description, case.body.loc),
                "contact": text_cell(p, contact, contact_loc),
                "phone": text_cell(p, phone, phone_loc),
            }))
    _numbered(sheet.rows)
    provinces = sorted({r.cells["province"].value for r in sheet.rows if r.cells["province"].value})
    if len(provinces) > 1:
        warnings.append(f"案例来自{len(provinces)}个省份（{'、'.join(provinces)}），附件2按省报送：请用省份筛选")
    return warnings


def compact_name(text: str | None) -> str:
    return "".join((text or "").split())


# ---------------------------------------------------------------- 湖南 hn_green_mfg


def _business_year(plan, year: str | None):
    rows = [b for b in plan.business if b.year == year] if year else []
    if not rows:
        rows = sorted((b for b in plan.business if b.year), key=lambda b: (b.year, b.estimate))
    return rows[-1] if rows else None


def _contact(plan) -> tuple[str | None, Location | None]:
    name, loc = field_text(plan.fields, "contact")
    phone, _ = field_text(plan.fields, "phone")
    if not name:
        name, loc = field_text(plan.cover, "contact")
    if not phone:
        phone, _ = field_text(plan.cover, "phone")
    text = " ".join(x for x in (name, phone) if x)
    return text or None, loc


@builds("green_summary")
def green_summary(sheets: dict[str, Sheet], chosen: Chosen, ctx: Context) -> list[str]:
    ents, parks = sheets["enterprises"], sheets["parks"]
    warnings: list[str] = []
    prev = str(int(ctx.period) - 1) if ctx.period and ctx.period.isdigit() else None
    for p, model in chosen:
        for plan in model.plans:
            contact, contact_loc = _contact(plan)
            name, name_loc = field_text(plan.fields, "name")
            name = name or plan.name
            industry, industry_loc = field_text(plan.fields, "industry")
            if plan.kind == "park":
                area = plan.fields.get("built_area")
                parks.rows.append(Row(link=p.link, cells={
                    "seq": Cell(),
                    "name": text_cell(p, name, name_loc),
                    "industry": text_cell(p, industry, industry_loc),
                    "built_area": Cell(value=area.quantity.value if area and area.quantity else None,
                                       source=source(p, area.loc) if area else None),
                    "total_output": figure(p, plan.outputs.get("total_output"), "亿元"),
                    "industrial_output": figure(p, plan.outputs.get("industrial_output"), "亿元"),
                    "contact": text_cell(p, contact, contact_loc),
                }))
                continue
            business, business_loc = field_text(plan.fields, "business")
            system, system_loc = field_text(plan.fields, "system")
            year = _business_year(plan, prev)
            if year is None:
                warnings.append(f"{name}：未读到{prev or ''}年主营业务收入、利润、税收")
            elif prev and year.year != prev:
                warnings.append(f"{name}：未读到{prev}年数据，收入、利润、税收取{year.label}")
            ents.rows.append(Row(link=p.link, cells={
                "seq": Cell(),
                "name": text_cell(p, name, name_loc),
                "business": text_cell(p, business, business_loc),
                "creation_type": text_cell(p, plan.creation_type),
                "industry": text_cell(p, industry, industry_loc),
                "system": text_cell(p, system, system_loc),
                "revenue": figure(p, year.revenue if year else None, "万元"),
                "profit": figure(p, year.profit if year else None, "万元"),
                "tax": figure(p, year.tax if year else None, "万元"),
                "contact": text_cell(p, contact, contact_loc),
            }))
    _numbered(ents.rows)
    _numbered(parks.rows)
    return warnings
