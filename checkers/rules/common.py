"""Shared wording and bookkeeping for rule modules: how figures, sources, periods and files
are named in a finding, so every family writes them the same way."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

from checkers.tolerance import Interval
from extractor.forms.base import Fact
from extractor.model import Location
from extractor.quantity import Quantity, format_decimal, unit_of

# Source roles (where a figure was read) as a reviewer names them.
SOURCE_NAMES: dict[str, str] = {
    "basic_info": "附件1基本情况表",
    "annual_report": "附件3年报表",
    "indicator_table": "指标表",
    "report_table": "报告表格",
    "narrative": "报告正文",
    "monthly_table": "月度统计表",
    "application_form": "附件5申请表",
    "roster": "专职人员花名册",
    "insurance": "社保缴纳明细",
    "contracts": "业绩合同清单",
    # file roles a field can be read from (corpus/forms/*.yaml), named generically across forms
    "report": "报告",
    "application": "申报书",
    "basic_table": "基本情况表",
    "plan": "创建工作方案",
    "summary_table": "申报汇总表",
    "summary": "典型案例汇总表",
    "rules": "管理制度",
    "business_license": "营业执照",
}

# Which source is taken as the reference when the same figure is stated in several places:
# the forms' own tables first, prose last.
SOURCE_PREFERENCE: tuple[str, ...] = ("indicator_table", "basic_info", "annual_report", "report_table", "narrative")
TABLE_SOURCES: frozenset[str] = frozenset({"indicator_table", "basic_info", "annual_report", "report_table", "monthly_table"})


def source_name(role: str | None) -> str:
    if not role:
        return "未知来源"
    return SOURCE_NAMES.get(role, role)


def period_suffix(period: str | None) -> str:
    """'（2024年）' for a year, '（2024Q1）' as written otherwise, '' without a period."""
    if not period:
        return ""
    p = str(period).strip()
    return f"（{p}年）" if p.isdigit() else f"（{p}）"


def _unit_multiplier(unit: str | None) -> Decimal:
    known = unit_of(unit)
    return known[1] if known else Decimal(1)


def join_unit(number: str, unit: str | None) -> str:
    """'95.0%' for percentages, '12.6 万吨' otherwise, the bare number without a unit."""
    if not unit:
        return number
    if unit in ("%", "％"):
        return f"{number}%"
    return f"{number} {unit}"


def written_unit(q: Quantity) -> str:
    return q.source_unit or q.unit or ""


def number_as_written(q: Quantity) -> str:
    """The figure in its written unit with its written decimals ('8.0', '12.60')."""
    return format_decimal(q.in_source_unit, places=q.decimals)


def show(q: Quantity) -> str:
    """The figure as written, e.g. '12.0 万吨', '95.0%'."""
    return join_unit(number_as_written(q), written_unit(q))


def show_in(q: Quantity, unit: str | None) -> str:
    """The figure converted to `unit` (a unit as written, e.g. 万吨)."""
    if not unit or unit == written_unit(q):
        return show(q)
    return join_unit(format_decimal(q.value / _unit_multiplier(unit)), unit)


def show_value(value: Decimal, unit: str | None, places: int | None = None) -> str:
    """A computed base-unit value shown in `unit` (as written)."""
    v = value / _unit_multiplier(unit)
    return join_unit(format_decimal(v, places=places) if places is not None else format_decimal(v), unit)


def show_with_conversion(q: Quantity, unit: str | None) -> str:
    """As written, plus the value in `unit` when the units differ: '126600 吨（合 12.66 万吨）'."""
    if not unit or unit == written_unit(q) or not written_unit(q):
        return show(q)
    return f"{show(q)}（合 {show_in(q, unit)}）"


def places_in(unit: str | None, quantities: Iterable[Quantity]) -> int | None:
    """Decimals to show a computed figure with: the most written among `quantities` when they
    are all written in `unit`, else None (show exactly)."""
    qs = list(quantities)
    if qs and all(written_unit(q) == (unit or "") for q in qs):
        return max(q.decimals for q in qs)
    return None


def compatible(*quantities: Quantity) -> bool:
    """Same base unit, or no unit known on some of them (then the form implied it)."""
    units = {q.unit for q in quantities if q.unit}
    return len(units) <= 1


def half_width(iv: Interval) -> Decimal:
    return (iv.hi - iv.lo) / 2


def dec(d: Decimal) -> str:
    """Decimal for evidence: plain string in the base unit."""
    return format_decimal(d)


def fact_loc(f: Fact | None) -> Location | None:
    if f is None or f.quantity is None:
        return None
    return f.quantity.loc


def unique_locations(locs: Iterable[Location | None]) -> list[Location]:
    out: list[Location] = []
    for loc in locs:
        if loc is not None and loc not in out:
            out.append(loc)
    return out


def files_of(locs: Iterable[Location | None]) -> list[str]:
    out: list[str] = []
    for loc in locs:
        if loc is not None and loc.file not in out:
            out.append(loc.file)
    return out


def files_note(locs: Iterable[Location | None]) -> str:
    """'（见 附件1.xlsx、报告.docx）', or '' when no file is known."""
    files = files_of(locs)
    return f"（见 {'、'.join(files)}）" if files else ""


def first_quote(*facts: Fact | None) -> str | None:
    for f in facts:
        if f is not None and f.quote:
            return f.quote
    return None


def has_quantity(f: Any) -> bool:
    return f is not None and getattr(f, "quantity", None) is not None


def total_disagrees(total_fact, item_facts):
    """(total, items) as quantities when a stated total and its items are comparable and do not
    add up within their written precision; None otherwise.  One test for 合计 rows, itemised
    totals and monthly series alike."""
    from checkers.tolerance import sum_agrees

    if not has_quantity(total_fact):
        return None
    items = [f for f in item_facts if has_quantity(f)]
    if not items:
        return None
    tq, iqs = total_fact.quantity, [f.quantity for f in items]
    if not compatible(tq, *iqs) or sum_agrees(tq, iqs):
        return None
    return tq, items


def applicant_licence(form) -> "Licence | None":
    """The applicant's own 营业执照 among those found (`FormResult.licences`): the one whose credit
    code, else whose name, is what the package declares elsewhere.  A licence naming another
    company is not the applicant's (IDENTITY.NAME_MISMATCH says so); with no declared identity
    to compare, the package's only licence."""
    from extractor.forms.text import compact

    licences = [lic for lic in form.licences if lic.established is not None]
    if not licences:
        return None
    declared = [i for i in form.identities if i.source != "business_license"]
    codes = {compact(i.value).upper() for i in declared if i.kind == "credit_code"}
    names = {compact(i.value) for i in declared if i.kind == "company_name"}
    for lic in licences:
        if lic.credit_code and lic.credit_code in codes:
            return lic
    for lic in licences:
        if compact(lic.value("name")) in names:
            return lic
    return licences[0] if len(licences) == 1 and not declared else None
