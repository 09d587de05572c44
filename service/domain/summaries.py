"""The 汇总 desk: the summary tables over the packages a user may see, and a reviewer's
acceptance of a package despite open findings.

Scope as everywhere (`packages.scoped`): a city user's tables hold its own city's packages only
(a `city` asked for by a city user is its own or refused); a province user's the whole province,
or one city.  Agency accounts file no tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import audit_log as audit
from service.domain.packages import MAX_COMMENT_CHARS, Refusal, _scoped_package, _writable, marks_for, scoped
from service.store.db import Package, User, utcnow
from service.summaries.catalogue import Context, PackageReport, build_summary, period_of, table_specs
from service.summaries.inputs import CHINA
from service.summaries.model import Summary

SUMMARY_ROLES = ("city", "province")


@dataclass
class SummaryRequest:
    table: str
    period: str | None = None
    city: str | None = None  # province users: one city, or None for all
    province: str | None = None  # provincial tables (无废 附件2): the province filed for
    unit: str | None = None
    filler: str = ""
    reviewer: str = ""
    phone: str = ""
    packages: list[str] | None = None  # only these package ids (the choice of cases for 附件2)
    # a batch: the packages uploaded from / to these days (inclusive, UTC+8 as the desks count days)
    uploaded_from: date | None = None
    uploaded_to: date | None = None
    base_url: str = ""  # links to the reports are absolute in a downloaded workbook



def _allowed(user: User) -> None:
    if user.role not in SUMMARY_ROLES:
        raise Refusal(403, "汇总表由市州和省级账号生成，评价机构账号不能生成")


def _city(user: User, city: str | None) -> str | None:
    if user.role == "city":
        if city and city != user.city:
            raise Refusal(403, f"市级账号只能汇总本市（{user.city}）的申报包，不能汇总「{city}」")
        return user.city
    return city or None


def default_unit(user: User, city: str | None) -> str:
    if city:
        return f"{city}经济和信息化局"
    return "省经济和信息化厅" if user.role == "province" else ""


def package_reports(session: Session, user: User, forms: tuple[str, ...], city: str | None,
                    ids: list[str] | None = None, uploaded_from: date | None = None, uploaded_to: date | None = None,
                    base_url: str = "") -> list[PackageReport]:
    """The packages of `forms` in the user's scope (and `city`, the ids, the upload days), oldest
    first, with their marks."""
    query = scoped(select(Package).where(Package.form.in_(forms)), user).order_by(Package.created_at, Package.id)
    if city:
        query = query.where(Package.city == city)
    if ids is not None:
        query = query.where(Package.id.in_(ids))
    if uploaded_from is not None:
        query = query.where(Package.created_at >= datetime.combine(uploaded_from, time.min, CHINA))
    if uploaded_to is not None:
        query = query.where(Package.created_at < datetime.combine(uploaded_to + timedelta(days=1), time.min, CHINA))
    out = []
    for p in session.scalars(query):
        out.append(PackageReport(
            name=p.name, report=p.report_dict() if p.status == "done" else None, package_id=p.id, city=p.city,
            link=f"{base_url.rstrip('/')}/packages/{p.id}", accepted=p.accepted_at is not None, accepted_note=p.accepted_note or "",
            marks=marks_for(session, p), status={"queued": "排队中", "running": "审查中"}.get(p.status, p.status),
            failure=p.reason if p.status == "failed" else None))
    return out


def summary_for(session: Session, user: User, req: SummaryRequest, on: date | None = None) -> Summary:
    _allowed(user)
    spec = table_specs().get(req.table)
    if spec is None:
        raise Refusal(404, f"没有汇总表「{req.table}」")
    city = _city(user, req.city)
    if req.packages is not None and len(req.packages) > 1000:
        raise Refusal(400, "一次至多选择1000个申报包")
    if req.uploaded_from and req.uploaded_to and req.uploaded_from > req.uploaded_to:
        raise Refusal(400, "上传日期范围有误：起始日期晚于截止日期")
    reports = package_reports(session, user, spec.forms, city, req.packages, req.uploaded_from, req.uploaded_to, req.base_url)
    ctx = Context(unit=(req.unit or "").strip() or default_unit(user, city), period=req.period or None, city=city,
                  province=req.province or None, filler=req.filler, reviewer=req.reviewer, phone=req.phone, on=on)
    return build_summary(req.table, reports, ctx)


def periods_for(session: Session, user: User, table: str, city: str | None) -> list[str]:
    """The years the user's packages of the table report on, latest first (the year chooser)."""
    _allowed(user)
    spec = table_specs()[table]
    if not spec.period:
        return []
    city = _city(user, city)
    years = {period_of(p.report) for p in package_reports(session, user, spec.forms, city) if p.report}
    return sorted((y for y in years if y), reverse=True)


def record_summary(session: Session, user: User, table: str, fmt: str, summary: Summary) -> None:
    audit.record(session, user, "summary", None, f"{table}.{fmt} {summary.period or ''} 纳入{len(summary.included)}个")
    session.commit()


def accept_package(session: Session, user: User, package_id: str, note: str) -> Package:
    """A reviewer accepts a reviewed package for the summary tables despite its open findings."""
    package = _scoped_package(session, user, package_id)
    _writable(user, "确认受理申报包")
    if package.status != "done":
        raise Refusal(409, "申报包尚未审查完成，不能确认受理")
    note = (note or "").strip()
    if not note:
        raise Refusal(400, "请填写确认受理的理由（如：已补正、经核实不影响受理）")
    if len(note) > MAX_COMMENT_CHARS:
        raise Refusal(400, f"理由过长：最多 {MAX_COMMENT_CHARS} 个字符")
    package.accepted_at, package.accepted_by, package.accepted_note = utcnow(), user.username, note
    audit.record(session, user, "accept", package.id, note[:200])
    session.commit()
    return package


def withdraw_acceptance(session: Session, user: User, package_id: str) -> Package:
    package = _scoped_package(session, user, package_id)
    _writable(user, "撤销确认受理")
    package.accepted_at = package.accepted_by = package.accepted_note = None
    audit.record(session, user, "accept", package.id, "撤销")
    session.commit()
    return package
