"""Retention: packages older than the configured number of days lose their files, report and
marks (`shencha purge [--days N]`).  The package row stays as a deleted tombstone so the audit
trail keeps pointing at something; each purge is itself audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import audit_log as audit
from service.config import get_settings
from service.store.db import Package, utcnow
from service.domain.packages import remove_contents
from service.store.blobs import BlobStore, delete_unreferenced


@dataclass
class PurgeResult:
    packages: list[str] = field(default_factory=list)  # ids purged
    blobs: int = 0  # stored files removed


def purge_expired(
    session: Session,
    *,
    days: int | None = None,
    now: datetime | None = None,
    store: BlobStore | None = None,
) -> PurgeResult:
    days = get_settings().retention_days if days is None else days
    if days < 0:
        raise ValueError("retention days must not be negative")
    cutoff = (now or utcnow()) - timedelta(days=days)
    expired = session.scalars(
        select(Package).where(Package.deleted_at.is_(None), Package.created_at < cutoff).order_by(Package.created_at)
    ).all()
    result = PurgeResult()
    for package in expired:
        remove_contents(session, package)
        audit.record(session, None, "purge", package.id, f"{package.name}（保留期 {days} 天已满）")
        result.packages.append(package.id)
    session.commit()
    result.blobs = len(delete_unreferenced(session, store))
    return result
