"""The audit desk: the signals across packages a user may see, filtered, and their XLSX export.

A province user sees every signal.  A city user sees the signals that name a package of its
city, and of the other packages only that there is one ("另一市州的申报包"): no name, company,
text or figure of a package outside its scope.  An agency sees none.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkers.registry import RULES
from service.store.db import AuditFeatures, AuditSignal, AuditSignalPackage, Package, User

OTHER_CITY = "另一市州的申报包"
SEVERITY_ORDER = {"veto": 0, "error": 1, "warning": 2, "info": 3}
SEVERITY_TEXT = {"veto": "否决", "error": "错误", "warning": "警告", "info": "提示"}


@dataclass
class SignalFilters:
    rule: str | None = None
    city: str | None = None
    form: str | None = None
    agency: str | None = None


def may_audit(user: User) -> bool:
    return not user.disabled and user.role in ("province", "city")


def list_signals(session: Session, user: User, filters: SignalFilters | None = None,
                 package_id: str | None = None) -> list[dict[str, Any]]:
    filters = filters or SignalFilters()
    if not may_audit(user):
        return []
    query = select(AuditSignal)
    if filters.rule:
        query = query.where(AuditSignal.rule == filters.rule)
    if package_id:
        query = query.where(AuditSignal.id.in_(select(AuditSignalPackage.signal_id).where(AuditSignalPackage.package_id == package_id)))
    signals = session.scalars(query).all()
    if not signals:
        return []
    links: dict[int, list[str]] = {}
    for sid, pid in session.execute(select(AuditSignalPackage.signal_id, AuditSignalPackage.package_id)
                                    .where(AuditSignalPackage.signal_id.in_([s.id for s in signals]))):
        links.setdefault(sid, []).append(pid)
    ids = {pid for pids in links.values() for pid in pids}
    packages = {p.id: p for p in session.scalars(select(Package).where(Package.id.in_(ids), Package.deleted_at.is_(None)))}
    agencies = _agencies(session, ids) if filters.agency else {}
    out = []
    for s in signals:
        involved = [packages[pid] for pid in sorted(links.get(s.id, [])) if pid in packages]
        if len(involved) < 2:
            continue  # the other side was deleted
        mine = [p for p in involved if user.role == "province" or p.city == user.city]
        if not mine:
            continue
        if filters.city and not any(p.city == filters.city for p in (involved if user.role == "province" else mine)):
            continue
        if filters.form and not any(p.form == filters.form for p in mine):
            continue
        if filters.agency and not any(filters.agency in (agencies.get(p.id) or "") for p in mine):
            continue
        out.append(_shown(s, involved, {p.id for p in mine}, full=user.role == "province"))
    return sorted(out, key=lambda d: (SEVERITY_ORDER.get(d["severity"], 9), d["rule"], d["id"]))


def _agencies(session: Session, ids: set[str]) -> dict[str, str | None]:
    out = {}
    for pid, text in session.execute(select(AuditFeatures.package_id, AuditFeatures.features).where(AuditFeatures.package_id.in_(ids))):
        out[pid] = json.loads(text).get("agency")
    return out


def _shown(signal: AuditSignal, involved: list[Package], mine: set[str], full: bool) -> dict[str, Any]:
    title = RULES[signal.rule].title if signal.rule in RULES else signal.rule
    packages = [{"id": p.id, "name": p.name, "city": p.city, "company": p.company, "form": p.form}
                if p.id in mine else {"id": None, "name": OTHER_CITY, "city": None, "company": None, "form": None}
                for p in involved]
    locations = []
    for loc in json.loads(signal.locations):
        pid = loc.get("package")
        if pid in mine:
            name = next(p.name for p in involved if p.id == pid)
            locations.append({**loc, "package": name, "package_id": pid})
    if full:
        message, evidence = signal.message, json.loads(signal.evidence)
    else:  # nothing of the other city's package: no company, text, figure or person of it
        own = "、".join(f"「{p.name}」" for p in involved if p.id in mine)
        message = f"{title}：本市申报包{own}与{OTHER_CITY}存在此项疑点，详情请联系省级审计人员"
        evidence = {}
    return {"id": signal.id, "rule": signal.rule, "title": title, "severity": signal.severity,
            "severity_text": SEVERITY_TEXT.get(signal.severity, signal.severity), "message": message,
            "packages": packages, "evidence": evidence, "locations": locations,
            "created_at": signal.created_at.isoformat(timespec="seconds") if signal.created_at else None}


def signals_xlsx(signals: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "审计疑点"
    headers = ["序号", "规则", "规则名称", "严重程度", "说明", "涉及申报包", "涉及市州", "涉及企业"]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for n, s in enumerate(signals, 1):
        ws.append([n, s["rule"], s["title"], s["severity_text"], s["message"],
                   "\n".join(p["name"] for p in s["packages"]),
                   "\n".join(sorted({p["city"] or "" for p in s["packages"] if p["city"]})),
                   "\n".join(p["company"] or "" for p in s["packages"] if p["company"])])
    for col, width in zip("ABCDEFGH", (6, 24, 18, 10, 80, 30, 14, 30)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
