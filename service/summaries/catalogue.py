"""The summary tables (`corpus/summaries.yaml`) and how a table is built from reviewed packages.

A table is built from the findings reports alone (the JSON a review writes, or the service's
stored copy): each package's extracted form is read back into its typed model, so the figures in
a table are the figures the review checked.  Which packages go in is decided here, once, for
every table: reviewed, of the table's form, of the chosen period, and with no open error or
veto unless a reviewer accepted the package."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Mapping

from pydantic import BaseModel, ValidationError

from extractor.forms.spec import load_yaml
from service.summaries import tables  # noqa: F401  (registers the builders)
from service.summaries.inputs import _BUILDERS, Context, PackageReport, builds, open_blocking  # noqa: F401
from service.summaries.model import Column, Inclusion, Sheet, Summary
from service.summaries.regions import city_in, province_in, province_of_city


@dataclass(frozen=True)
class TableSpec:
    id: str
    title: str
    clause: str
    forms: tuple[str, ...]
    scope: str  # city | province
    period: str | None  # year: the table is filed per year
    sheets: tuple[dict[str, Any], ...]
    max_rows: int | None = None
    docx: str | None = None  # notice: the DOCX is a public notice around the table


@lru_cache(maxsize=1)
def table_specs() -> dict[str, TableSpec]:
    data = load_yaml("summaries.yaml")
    return {
        tid: TableSpec(id=tid, title=t["title"], clause=t["clause"], forms=tuple(t["forms"]), scope=t["scope"],
                       period=t.get("period"), sheets=tuple(t["sheets"]), max_rows=t.get("max_rows"), docx=t.get("docx"))
        for tid, t in data["tables"].items()
    }


def number_formats() -> dict[str, str]:
    return dict(load_yaml("summaries.yaml")["formats"])


# ---------------------------------------------------------------- a package's form, period, city


def form_model(report: Mapping[str, Any]) -> BaseModel | None:
    """The package's extracted form as its typed model, read back from the report."""
    from extractor.forms.hb_agency import HbAgency
    from extractor.forms.hb_evaluation import HbEvaluation
    from extractor.forms.hn_green_mfg import HnGreenMfg
    from extractor.forms.nowaste_case import NowastePackage

    models: dict[str, type[BaseModel]] = {"hb_evaluation": HbEvaluation, "hb_agency": HbAgency,
                                          "nowaste_case": NowastePackage, "hn_green_mfg": HnGreenMfg}
    cls = models.get(report.get("package", {}).get("form", ""))
    if cls is None:
        return None
    fields = {k: v for k, v in (report.get("fields") or {}).items() if k not in ("fields", "licences")}
    return cls.model_validate(fields)


def period_of(report: Mapping[str, Any]) -> str | None:
    """The year a package reports on: the evaluation year, the year an application is dated."""
    fields = report.get("fields") or {}
    form = report.get("package", {}).get("form")
    if form == "hb_evaluation":
        return fields.get("year")
    if form in ("hb_agency", "nowaste_case"):
        when = fields.get("apply_date") or next((c.get("apply_date") for c in fields.get("cases") or [] if c.get("apply_date")), None)
        return str(when)[:4] if when else None
    return None


def _field_texts(report: Mapping[str, Any], *keys: str) -> list[str]:
    fields = (report.get("fields") or {}).get("fields") or {}
    out = []
    for fid, f in fields.items():
        if any(fid == k or fid.endswith("." + k) or fid.endswith(k) for k in keys) and isinstance(f, Mapping) and f.get("text"):
            out.append(str(f["text"]))
    return out


def province_of(report: Mapping[str, Any], city: str | None = None) -> str | None:
    """The province an address names ("湖南省娄底市…" -> 湖南), else the province of its city."""
    for text in _field_texts(report, "address", "reg_address", "detail_address"):
        province = province_in(text)
        if province:
            return province
    return province_of_city(city or city_of(report))


def city_of(report: Mapping[str, Any]) -> str | None:
    """The package's city from its address, else from the start of the applicant's name."""
    for text in _field_texts(report, "address", "reg_address", "detail_address"):
        city = city_in(text)
        if city:
            return city
    for text in _field_texts(report, "company_name", "unit_name", "name"):
        city = city_in(text)
        if city:
            return city
    return None


# ---------------------------------------------------------------- which packages go in


def _blocking_reason(blocking: list[Mapping[str, Any]]) -> str:
    rules = list(dict.fromkeys(f"{f.get('rule')} {f.get('rule_title') or ''}".strip() for f in blocking))
    shown = "；".join(rules[:3]) + ("等" if len(rules) > 3 else "")
    return f"存在{len(blocking)}项未处理的错误或否决项（{shown}）"


def select(spec: TableSpec, packages: list[PackageReport], ctx: Context) -> tuple[list[Inclusion], list[tuple[PackageReport, BaseModel]]]:
    inclusions: list[Inclusion] = []
    chosen: list[tuple[PackageReport, BaseModel]] = []
    for p in packages:
        report = p.report
        inc = Inclusion(package=p.name, included=False, reason="", package_id=p.package_id, city=p.city, link=p.link)
        inclusions.append(inc)
        if report is None:
            inc.reason = f"审查失败：{p.failure}" if p.failure else f"审查尚未完成（{p.status}）"
            continue
        form = report.get("package", {}).get("form")
        inc.city = p.city or city_of(report)
        inc.period = period_of(report)
        if form not in spec.forms:
            inc.reason = f"申报类型为「{report.get('package', {}).get('form_title') or form}」，不属于本表"
            continue
        try:
            model = form_model(report)
        except (ValidationError, TypeError, AttributeError) as exc:  # a report another version wrote
            inc.reason = f"报告中的表单数据无法读取（{type(exc).__name__}），请用当前版本重新审查该包"
            continue
        inc.company = _company(report)
        if ctx.province and spec.scope == "province":
            province = province_of(report, inc.city)
            if province and province != ctx.province.removesuffix("省"):
                inc.reason = f"属于{province}，不属于{ctx.province}"
                continue
        if ctx.city and inc.city and inc.city != ctx.city:
            inc.reason = f"属于{inc.city}，不属于{ctx.city}"
            continue
        if spec.period and ctx.period and inc.period != ctx.period:
            inc.reason = f"年度为{inc.period}年，不是所选的{ctx.period}年" if inc.period else f"未能读出年度，不能确认属于{ctx.period}年"
            continue
        blocking = open_blocking(report, p.marks)
        inc.blocking = len(blocking)
        if blocking and not p.accepted:
            inc.reason = _blocking_reason(blocking)
            continue
        if spec.max_rows is not None and len(chosen) >= spec.max_rows:
            inc.reason = f"本表至多{spec.max_rows}个，已列满（调整选择可替换）"
            continue
        inc.included = True
        if blocking:
            inc.reason = f"{_blocking_reason(blocking)}，审查人员已确认受理" + (f"：{p.accepted_note}" if p.accepted_note else "")
        else:
            inc.reason = "审查无未处理的错误或否决项"
        chosen.append((p, model))
    return inclusions, chosen


def _company(report: Mapping[str, Any]) -> str | None:
    texts = _field_texts(report, "company_name", "unit_name") or _field_texts(report, "name")
    return texts[0] if texts else None


# ---------------------------------------------------------------- build


def _fill(text: str, values: Mapping[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text)


def _sheet(s: Mapping[str, Any], values: Mapping[str, str], formats: Mapping[str, str]) -> Sheet:
    return Sheet(
        id=s["id"], name=s["name"], title=_fill(s.get("title", ""), values), subtitle=s.get("subtitle", ""),
        caption=[_fill(c, values) for c in s.get("caption", [])], right=s.get("right", ""),
        header=[[(_fill(str(t), values), int(rs), int(cs)) for t, rs, cs in row] for row in s.get("header", [])],
        columns=[Column(id=c["id"], format=formats.get(c["format"]) if c.get("format") else None, width=c.get("width", 12))
                 for c in s.get("columns", [])],
        explain=s.get("explain", ""), footer=[_fill(f, values) for f in s.get("footer", [])], notes=list(s.get("notes", [])),
    )


def build_summary(table: str, packages: list[PackageReport], ctx: Context) -> Summary:
    """The table `table` from `packages`: rows from the included ones, every package listed."""
    spec = table_specs().get(table)
    if spec is None:
        raise KeyError(table)
    if spec.period and not ctx.period:
        ctx.period = _latest_period(packages, spec)
    inclusions, chosen = select(spec, packages, ctx)
    if spec.id == "green_summary" and not ctx.period:
        ctx.period = _green_year(chosen)
    ctx.max_rows = spec.max_rows
    ctx.area = ctx.area or ctx.city or (city_in(ctx.unit) if ctx.unit else None) or ""
    values = ctx.values()
    formats = number_formats()
    sheets = {s["id"]: _sheet(s, values, formats) for s in spec.sheets}
    warnings = _BUILDERS[table](sheets, chosen, ctx)
    warnings += _blanks(list(sheets.values()))
    return Summary(table=table, title=spec.title, clause=spec.clause, unit=ctx.unit, period=ctx.period,
                   sheets=list(sheets.values()), inclusions=inclusions, warnings=warnings,
                   generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))


_OPTIONAL_COLUMNS = {"seq", "remark", "tax_relief"}


def _blanks(sheets: list[Sheet]) -> list[str]:
    """Each cell of a package's row the packages did not fill: the filer completes it by hand."""
    out = []
    for sheet in sheets:
        leaf = [t for _, _, t, _, cs in sheet.header_grid() if cs == 1]
        names = dict(zip((c.id for c in sheet.columns), leaf)) if len(leaf) == len(sheet.columns) else {}
        # rows of one package each (a sum over packages has no link: its gaps are stated in 备注)
        for n, row in enumerate((r for r in sheet.rows if r.kind == "item" and r.link is not None), start=1):
            missing = [names.get(c.id, c.id) for c in sheet.columns
                       if c.id not in _OPTIONAL_COLUMNS and c.id in row.cells
                       and row.cells[c.id].rowspan and row.cells[c.id].value in (None, "")]
            if missing:
                who = next((row.cells[k].value for k in ("company", "name") if k in row.cells and row.cells[k].value), f"第{n}行")
                out.append(f"{sheet.name}「{who}」：未读到{'、'.join(missing)}，须手工填写")
    return out


def _latest_period(packages: list[PackageReport], spec: TableSpec) -> str | None:
    """The most recent year among the table's packages: the year a desk files by default."""
    years = [period_of(p.report) for p in packages
             if p.report is not None and p.report.get("package", {}).get("form") in spec.forms]
    years = [y for y in years if y]
    return max(years) if years else None


def _green_year(chosen: list[tuple[PackageReport, BaseModel]]) -> str | None:
    """The creation year of a 绿色制造 batch: the year after its 预计 business year."""
    for _, model in chosen:
        for plan in getattr(model, "plans", []):
            years = [b.year for b in plan.business if b.year and b.year.isdigit()]
            if years:
                return str(int(max(years)) + 1)
    return None
