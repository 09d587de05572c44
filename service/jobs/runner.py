"""One package through the pipeline: `run_job(package_id)`.

Any job executor calls this and nothing else: the in-process worker in `service.jobs.queue`, or
the Celery task in `service.jobs.tasks`.  The package's blobs are written into a private work
folder under sanitised names (`service.store.workdirs`), and that folder (or the single archive)
is what `pipeline.review_package` sees.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import InterfaceError, OperationalError

from service.reports.model import build_report
from service.review import pipeline
from service.store.blobs import BlobStore, get_store
from service.store.db import Database, Package, PackageFile, get_database, utcnow
from service.store.workdirs import BlobMissing, job_work_dir, materialise

log = logging.getLogger("shencha.runner")

COMPANY_FIELDS = ("company_name", "unit_name", "1.name")

# ---------------------------------------------------------------- progress and results


class ProgressWriter:
    """The pipeline's progress callback: writes stage, files done/total and detail to the package."""

    def __init__(self, database: Database, package_id: str) -> None:
        self.database = database
        self.package_id = package_id

    def __call__(self, stage: str, done: int, total: int, detail: str) -> None:
        try:
            with self.database.session() as session:
                session.execute(
                    update(Package)
                    .where(Package.id == self.package_id, Package.deleted_at.is_(None))
                    .values(progress_stage=stage, progress_done=done, progress_total=total,
                            progress_detail=(detail or "")[:500], updated_at=utcnow())
                )
                session.commit()
        except (OperationalError, InterfaceError):
            # the database is restarting: progress is shown on a best-effort basis, the review goes
            # on, and writing its outcome is retried by the job engine if the database is still away
            log.warning("package %s: progress not written (database unavailable)", self.package_id)


def _field_text(report: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    fields = (report.get("fields") or {}).get("fields") or {}
    for key in keys:
        text = (fields.get(key) or {}).get("text")
        if text and str(text).strip():
            return str(text).strip()[:255]
    return None


def summarise(report: dict[str, Any]) -> dict[str, Any]:
    """The package columns a report fills in."""
    summary = report.get("summary") or {}
    return {
        "form": report["package"]["form"],
        "company": _field_text(report, COMPANY_FIELDS),
        "credit_code": (_field_text(report, ("credit_code",)) or "")[:32] or None,
        "veto_count": summary.get("veto", 0),
        "error_count": summary.get("error", 0),
        "warning_count": summary.get("warning", 0),
        "info_count": summary.get("info", 0),
    }


def failure_reason(exc: BaseException) -> str:
    """The package's Chinese reason; never the raw text of an unexpected exception (that is
    logged with its traceback, for the administrator)."""
    if isinstance(exc, BlobMissing):
        return "上传的文件在存储中缺失或已损坏，请重新上传"
    from service.review.failures import failure_reason as reason

    return reason(exc)


def log_failure(package_id: str, exc: BaseException) -> None:
    from service.review.failures import is_internal

    if is_internal(exc):
        log.error("package %s: internal error", package_id, exc_info=exc)
    else:
        log.warning("package %s failed: %s", package_id, failure_reason(exc))


def _finish(database: Database, package_id: str, values: dict[str, Any]) -> str:
    """Writes the outcome unless the package was deleted meanwhile."""
    with database.session() as session:
        result = session.execute(
            update(Package)
            .where(Package.id == package_id, Package.deleted_at.is_(None))
            .values(updated_at=utcnow(), **values)
        )
        session.commit()
    return values["status"] if result.rowcount else "deleted"


# ---------------------------------------------------------------- the job


def run_job(package_id: str, database: Database | None = None, store: BlobStore | None = None,
            work: Path | None = None) -> str:
    """Review one package; returns its final status: `done`, `failed`, or `deleted`.

    `work` is the folder the run's work folder goes in (default `<data dir>/work`)."""
    database = database or get_database()
    store = store or get_store()
    with database.session() as session:
        package = session.get(Package, package_id)
        if package is None or package.deleted_at is not None:
            return "deleted"
        files = [
            (f.path, f.sha256, f.type)
            for f in session.scalars(select(PackageFile).where(PackageFile.package_id == package_id).order_by(PackageFile.id))
        ]
        name, form_hint = package.name, package.form_hint
        package.status = "running"
        package.reason = None
        package.report = None
        package.progress_stage, package.progress_done, package.progress_total = "read", 0, len(files)
        package.progress_detail = ""
        session.commit()

    try:
        with job_work_dir(package_id, work) as folder:
            target = materialise(folder, name, files, store)
            review = pipeline.review_package(target, progress=ProgressWriter(database, package_id), form_hint=form_hint)
            report = build_report(review)
            text = json.dumps(report, ensure_ascii=False)
    except Exception as exc:  # any failure is the package's outcome, not the worker's
        log_failure(package_id, exc)
        return _finish(database, package_id, {"status": "failed", "reason": failure_reason(exc), "report": None})
    # compared with the other packages first: when the package shows done, its audit signals are there
    _compare_across_packages(database, package_id, report)
    return _finish(database, package_id, {"status": "done", "reason": None, "report": text, **summarise(report)})


def _compare_across_packages(database: Database, package_id: str, report: dict[str, Any]) -> None:
    """The provincial audit's incremental part (`service.jobs.audit`); its failure never fails the
    package's review, whose report is already stored."""
    from service.jobs.audit import compare_checked_package

    try:
        with database.session() as session:
            compare_checked_package(session, package_id, report)
    except Exception:  # noqa: BLE001 - logged for the administrator
        log.exception("package %s: the comparison with the other packages failed", package_id)
