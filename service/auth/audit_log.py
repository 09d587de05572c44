"""The audit trail: who uploaded, viewed, marked, downloaded, rechecked, deleted and purged what,
and who logged in, failed to log in (the account name as typed, the client address, the reason)
and logged out.

Entries are added to the caller's session and committed with the change they describe, so an
action and its entry land together or not at all.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.store.db import AUDIT_ACTIONS, AuditLog, User

ACTION_LABELS = {
    "upload": "上传",
    "view": "查看",
    "mark": "标记",
    "delete": "删除",
    "recheck": "重新审查",
    "download": "下载",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "purge": "到期清除",
}


def record(
    session: Session,
    user: User | None,
    action: str,
    package_id: str | None = None,
    detail: str | None = None,
) -> AuditLog:
    """`user` None is the system itself (retention purge), or nobody known (a failed login for an
    account that does not exist; the detail names what was typed)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditLog(user_id=user.id if user is not None else None, action=action, package_id=package_id, detail=detail)
    session.add(entry)
    return entry


def entries(
    session: Session,
    *,
    package_id: str | None = None,
    user_id: int | None = None,
    action: str | None = None,
    limit: int = 200,
) -> list[AuditLog]:
    """Newest first."""
    query = select(AuditLog)
    if package_id is not None:
        query = query.where(AuditLog.package_id == package_id)
    if user_id is not None:
        query = query.where(AuditLog.user_id == user_id)
    if action is not None:
        query = query.where(AuditLog.action == action)
    return list(session.scalars(query.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)))
