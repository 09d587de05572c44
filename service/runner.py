"""One package through the pipeline: `run_job(package_id)`.

Any job executor calls this and nothing else: the in-process worker in `service.jobs`, or a
Celery task.  The uploaded names are never trusted as paths: the blobs are written into a
private work folder under sanitised names, and that folder (or the single archive) is what
`pipeline.review_package` sees.

The work folder is `<data dir>/work/<package id>.<random>/` (mode 0700), not /tmp: it is removed
when the run ends either way, and a run killed before it could remove it (SIGKILL, power cut)
leaves it where `jobs.sweep_work_dirs` finds it at the next worker start, instead of a copy of
the upload in /tmp forever.  One folder per run, so that a sweep never touches a folder a run
claimed after the sweep looked at the jobs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import tempfile
import unicodedata
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from sqlalchemy import select, update

from service import pipeline
from service.config import get_settings
from service.db import Database, Package, PackageFile, get_database, utcnow
from service.report import build_report
from service.storage import BlobStore, get_store

log = logging.getLogger("shencha.runner")

WORK_DIR = "work"  # under the data dir
MAX_NAME_BYTES = 180  # a path segment; file systems allow 255 bytes, Chinese takes 3 each
COMPANY_FIELDS = ("company_name", "unit_name", "1.name")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


class BlobMissing(Exception):
    pass


# ---------------------------------------------------------------- safe names


def safe_segment(name: str, fallback: str = "文件") -> str:
    """One path segment that is safe on disk and still reads like the original."""
    name = unicodedata.normalize("NFC", name)
    # leading dots stay: the package loader skips dot files (.DS_Store …) exactly as the CLI does
    name = _UNSAFE.sub("_", name).strip(" ")
    if not name or name in (".", ".."):
        name = fallback
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        suffix = PurePosixPath(name).suffix
        if len(suffix.encode("utf-8")) > 16:
            suffix = ""
        stem = name[: len(name) - len(suffix)] if suffix else name
        while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
            stem = stem[:-1]
        name = stem + suffix
    return name


def safe_relative_path(path: str) -> str:
    """'../a\\b/c.docx' -> 'a/b/c.docx': no root, drive, '.' or '..' parts, each segment safe."""
    parts = []
    for part in path.replace("\\", "/").split("/"):
        if part in ("", ".", "..") or (len(part) == 2 and part[1] == ":"):
            continue
        parts.append(safe_segment(part))
    return "/".join(parts) or safe_segment("")


def _unique_path(rel: str, taken: set[str]) -> str:
    candidate, n = rel, 2
    path = PurePosixPath(rel)
    while candidate.lower() in taken:
        candidate = str(path.with_name(f"{path.stem}-{n}{path.suffix}"))
        n += 1
    taken.add(candidate.lower())
    return candidate


def materialise(root: Path, name: str, files: list[tuple[str, str, str]], store: BlobStore) -> Path:
    """Write the package's blobs under `root`; returns what to review.

    `files` are (uploaded path, sha256, type).  A single archive is reviewed as that archive;
    anything else as a folder named after the package.
    """
    def blob(sha256: str) -> bytes:
        try:
            data = store.read(sha256)
        except FileNotFoundError:
            raise BlobMissing(sha256) from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobMissing(sha256)
        return data

    if len(files) == 1 and files[0][2] == "zip":
        archive_name = safe_segment(PurePosixPath(files[0][0].replace("\\", "/")).name, "申报材料.zip")
        if not archive_name.lower().endswith(".zip"):
            archive_name += ".zip"
        target = root / archive_name
        target.write_bytes(blob(files[0][1]))
        return target
    folder = root / safe_segment(re.sub(r"\.zip$", "", name, flags=re.IGNORECASE), "申报材料")
    folder.mkdir()
    taken: set[str] = set()
    for path, sha256, _type in files:
        rel = _unique_path(safe_relative_path(path), taken)
        target = folder.joinpath(*rel.split("/"))
        # belt and braces: the sanitiser already guarantees this
        if not target.resolve().is_relative_to(folder.resolve()):
            raise ValueError(f"unsafe member path {path!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob(sha256))
    return folder


# ---------------------------------------------------------------- progress and results


class ProgressWriter:
    """The pipeline's progress callback: writes stage, files done/total and detail to the package."""

    def __init__(self, database: Database, package_id: str) -> None:
        self.database = database
        self.package_id = package_id

    def __call__(self, stage: str, done: int, total: int, detail: str) -> None:
        with self.database.session() as session:
            session.execute(
                update(Package)
                .where(Package.id == self.package_id, Package.deleted_at.is_(None))
                .values(progress_stage=stage, progress_done=done, progress_total=total,
                        progress_detail=(detail or "")[:500], updated_at=utcnow())
            )
            session.commit()


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
    from service.failures import failure_reason as reason

    return reason(exc)


def log_failure(package_id: str, exc: BaseException) -> None:
    from service.failures import is_internal

    if is_internal(exc):
        log.error("package %s: internal error", package_id, exc_info=exc)
    else:
        log.warning("package %s failed: %s", package_id, failure_reason(exc))


# ---------------------------------------------------------------- work folders


def work_root(data_dir: Path | None = None) -> Path:
    """Where runs keep their copy of a package: `<data dir>/work`."""
    return (data_dir if data_dir is not None else get_settings().data_dir) / WORK_DIR


def work_dir_package(name: str) -> str | None:
    """The package id a work folder name `<package id>.<random>` belongs to, else None."""
    package_id, dot, suffix = name.partition(".")
    return package_id if dot and package_id and suffix else None


@contextmanager
def job_work_dir(package_id: str, root: Path | None = None) -> Iterator[Path]:
    """A private folder for one run of one package, removed however the run ends."""
    root = root if root is not None else work_root()
    root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f"{safe_segment(package_id, 'package')}.", dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


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
    return _finish(database, package_id, {"status": "done", "reason": None, "report": text, **summarise(report)})
