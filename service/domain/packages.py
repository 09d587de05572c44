"""The service operations the API and the pages call.  Every scope rule lives here.

Scope: an `agency` sees the packages it uploaded, a `city` user the packages of its city, a
`province` user everything but may change nothing.  A package outside the caller's scope is
`NotFound`, indistinguishable from one that does not exist (the HTTP layer answers 404).
Refusals carry the HTTP status and a Chinese message the user reads.

Uploads are checked before anything is stored: the count and sizes of the uploaded files, and
the type of each by its content (never its name).  Only what the service must refuse to protect
itself is refused, and an upload with no reviewable file at all: an archive whose members are
damaged, encrypted, over a ratio or a limit is accepted, and the review reports each such member
as the package loader does (issue 8).  Archive member names are only read, never used as paths.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from extractor import zipread
from extractor.limits import get_limits
from extractor.package import detect_type, is_junk, type_by_name
from service.auth import audit_log as audit
from service.jobs import queue as jobs
from service.config import Limits, Settings, get_settings
from service.store.db import MARK_STATUSES, PACKAGE_STATUSES, FindingMark, Job, Package, PackageFile, User, utcnow
from service.store.blobs import BlobStore, delete_unreferenced, get_store

MiB = 1024**2
REVIEWABLE_TYPES = ("docx", "xlsx", "pdf", "image")
MAX_COMMENT_CHARS = 2000
_FINDING_ID = re.compile(r"^[0-9a-f]{12}$")
_HEAD_BYTES = 1024  # of a member, enough to tell a PDF or an image


class Refusal(Exception):
    """The request is understood but refused; `message` (Chinese) tells the user why."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


class NotFound(Exception):
    """No such package or finding in the caller's scope (HTTP 404)."""

    def __init__(self, message: str = "未找到该申报包") -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- upload checks


@dataclass
class CheckedFile:
    path: str  # label as uploaded, normalised to '/'
    data: bytes = field(repr=False)
    type: str  # docx, xlsx, pdf, image, zip, other — by content


def _size_text(n: int) -> str:
    if n >= MiB:
        return f"{n / MiB:.1f} MB"
    return f"{math.ceil(n / 1024)} KB"


def upload_label(name: str, index: int) -> str:
    """The uploaded name as a clean '/'-separated label (it is never used as a path)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.sub(r"[\x00-\x1f\x7f]", "", name)
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if parts and len(parts[0]) == 2 and parts[0][1] == ":":
        parts = parts[1:]
    return "/".join(parts)[:1000] or f"文件{index}"


def content_type(data: bytes) -> str:
    """docx, xlsx, pdf, image, zip (an archive to unpack) or other — from the bytes alone, as the
    package loader decides: a zip-based document (.odt, .pptx, .epub…) is not an archive, and an
    archive whose directory is damaged but whose members can be recovered is one."""
    kind = detect_type(data, "")
    if kind in REVIEWABLE_TYPES:
        return kind
    if zipread.zip_format(data) == "archive":
        return "zip"
    return "other"


class _Expansion:
    """Bytes the inspection of one upload's archives may expand, so that it stays cheap.  It
    refuses nothing: past the budget the upload is given the benefit of the doubt (the review
    reads it within the package loader's own limits and reports what it cannot read)."""

    def __init__(self, limits: Limits) -> None:
        self.left = limits.max_expanded_bytes

    def charge(self, n: int) -> None:
        self.left -= n


def inspect_archive(data: bytes, where: str, limits: Limits, expansion: _Expansion, depth: int = 1) -> bool:
    """Whether the archive holds a reviewable document.  Never refuses: a damaged, encrypted,
    over-ratio or over-limit member named as a document counts as one (the review reports it),
    and inspection stops at the first reviewable member."""
    read_limits = get_limits()
    listing = zipread.list_zip(data, read_limits.package_members)
    for member in listing.members:
        label = upload_label(member.name, 0)
        if member.is_dir or is_junk(label):
            continue
        if _inspect_member(data, member, f"{where}/{label}", limits, expansion, depth):
            return True
    return False


def _inspect_member(data: bytes, member: zipread.ZipMember, label: str, limits: Limits,
                    expansion: _Expansion, depth: int) -> bool:
    read_limits = get_limits()
    named_document = type_by_name(label) in REVIEWABLE_TYPES
    try:
        # over a limit by its declared size, as the package loader will judge it: not even its head is read
        zipread.refuse_declared_over_limit(member, read_limits.member_expanded_bytes, read_limits.member_ratio)
        head = zipread.read_member(data, member, _HEAD_BYTES, read_limits.member_ratio, head=_HEAD_BYTES)
    except zipread.MemberProblem:
        return named_document  # damaged, encrypted or over a limit: the review reports it
    if not zipread.looks_like_zip(head):
        return detect_type(head, "") in REVIEWABLE_TYPES
    # zip-based: a document, or an archive inside the archive; read whole, within both budgets
    if expansion.left <= 0:
        return True  # undecided within the inspection's budget: the review will tell
    cap = min(read_limits.member_expanded_bytes, expansion.left)
    try:
        whole = zipread.read_member(data, member, cap, read_limits.member_ratio)
    except zipread.MemberTooLarge as e:
        expansion.charge(e.expanded)
        return named_document or cap < read_limits.member_expanded_bytes
    except zipread.MemberProblem:
        return named_document
    expansion.charge(len(whole))
    kind = content_type(whole)
    if kind == "zip":
        if depth >= read_limits.archive_depth:
            return False  # the package loader reports it as nested too deep
        return inspect_archive(whole, label, limits, expansion, depth + 1)
    return kind in REVIEWABLE_TYPES


def check_upload(files: list[tuple[str, bytes]], limits: Limits) -> list[CheckedFile]:
    """The upload as labelled, typed files; raises `Refusal` on anything the service will not take."""
    if not files:
        raise Refusal(400, "未选择任何文件，请上传申报材料（多个文件或一个 .zip 压缩包）")
    if len(files) > limits.max_files:
        raise Refusal(413, f"一次上传了 {len(files)} 个文件，超过上限 {limits.max_files} 个，请打包为 .zip 或分批上传")
    total = 0
    out: list[CheckedFile] = []
    for i, (name, data) in enumerate(files, 1):
        label = upload_label(name, i)
        if len(data) > limits.max_file_bytes:
            raise Refusal(
                413, f"文件「{label}」大小 {_size_text(len(data))}，超过单个文件上限 {_size_text(limits.max_file_bytes)}"
            )
        total += len(data)
        if total > limits.max_total_bytes:
            raise Refusal(413, f"上传文件总大小超过上限 {_size_text(limits.max_total_bytes)}")
        out.append(CheckedFile(label, data, content_type(data)))
    expansion = _Expansion(limits)
    reviewable = False
    for f in out:
        if f.type == "zip":
            reviewable = inspect_archive(f.data, f.path, limits, expansion) or reviewable
        elif f.type in REVIEWABLE_TYPES:
            reviewable = True
    if not reviewable:
        empty = next((f.path for f in out if not f.data), None)
        if empty is not None:  # an empty file among others is the review's finding, like any file
            raise Refusal(400, f"文件「{empty}」为空（0 字节），未发现可审查的文件")
        raise Refusal(
            415,
            "未发现可审查的文件：支持 Word（.docx）、Excel（.xlsx）、PDF、图片，以及包含这些文件的 .zip 压缩包"
            "（文件类型按内容识别，与扩展名无关；旧版 .doc/.xls 请另存为 .docx/.xlsx）",
        )
    return out


def package_name(files: list[CheckedFile]) -> str:
    """The single file's name, the common folder of a dropped folder, or the first file and a count."""
    if len(files) == 1:
        return PurePosixPath(files[0].path).name[:255]
    firsts = {f.path.split("/")[0] for f in files}
    if len(firsts) == 1 and all("/" in f.path for f in files):
        return firsts.pop()[:255]
    return f"{PurePosixPath(files[0].path).stem}等{len(files)}个文件"[:255]


def _form_hint(form_hint: str | None) -> str | None:
    hint = (form_hint or "").strip()
    if not hint or hint in ("auto", "unknown"):
        return None
    from extractor.forms.spec import FORM_IDS

    if hint not in FORM_IDS:
        raise Refusal(400, f"未知申报类型「{hint}」，可选：{'、'.join(FORM_IDS)}（留空则自动识别）")
    return hint


CITY_BOUND_ROLES = {"city": "市级账号", "agency": "评价机构账号"}


def _upload_city(user: User, city: str | None) -> str | None:
    """The city a package is filed under.  City and agency users file under their own city only:
    a package filed under another city would show up in that city's view (and leave its own)."""
    city = (city or "").strip() or None
    if city is not None and len(city) > 64:
        raise Refusal(400, "城市名称过长")
    if user.role in CITY_BOUND_ROLES:
        if city is not None and city != user.city:
            who = CITY_BOUND_ROLES[user.role]
            if not user.city:
                raise Refusal(403, f"{who}未设置所属城市，不能指定城市「{city}」；请联系管理员设置所属城市")
            raise Refusal(403, f"{who}只能以本市（{user.city}）名义上传申报包，不能指定城市「{city}」")
        return user.city
    return city or user.city


# ---------------------------------------------------------------- scope


def _writable(user: User, what: str) -> None:
    if user.role == "province":
        raise Refusal(403, f"省级账号为只读审计，不能{what}")


def scoped(query: Select, user: User) -> Select:
    """Restrict a query over Package to what `user` may see (never deleted packages)."""
    query = query.where(Package.deleted_at.is_(None))
    if user.disabled:
        return query.where(False)
    if user.role == "province":
        return query
    if user.role == "city":
        return query.where(Package.city == user.city) if user.city else query.where(False)
    if user.role == "agency":
        return query.where(Package.uploader_id == user.id)
    return query.where(False)


def _valid_id(package_id: str) -> bool:
    try:
        uuid.UUID(str(package_id))
    except ValueError:
        return False
    return True


def _scoped_package(session: Session, user: User, package_id: str) -> Package:
    if not _valid_id(package_id):
        raise NotFound()
    package = session.scalars(scoped(select(Package).where(Package.id == str(package_id)), user)).first()
    if package is None:
        raise NotFound()
    return package


# ---------------------------------------------------------------- operations


def create_package(
    session: Session,
    user: User,
    files: list[tuple[str, bytes]],
    city: str | None = None,
    form_hint: str | None = None,
    *,
    queue: jobs.JobQueue | None = None,
    settings: Settings | None = None,
    store: BlobStore | None = None,
) -> Package:
    """Check, store (blobs fsynced, rows committed) and queue an upload; returns the package."""
    settings = settings or get_settings()
    _writable(user, "上传申报包")
    hint = _form_hint(form_hint)
    package_city = _upload_city(user, city)
    checked = check_upload(files, settings.limits)
    store = store or get_store(settings)
    with store.ingest():
        package = Package(
            id=str(uuid.uuid4()),
            name=package_name(checked),
            city=package_city,
            form_hint=hint,
            status="queued",
            uploader_id=user.id,
            progress_total=0,
            progress_done=0,
        )
        session.add(package)
        for f in checked:
            digest = store.put(f.data)
            session.add(PackageFile(package_id=package.id, path=f.path, sha256=digest, size=len(f.data), type=f.type))
        session.flush()
        jobs.enqueue(session, package.id)
        audit.record(session, user, "upload", package.id, f"{package.name}（{len(checked)} 个文件）")
        session.commit()
    (queue or jobs.get_queue()).submit(package.id)
    return package


@dataclass
class PackageFilters:
    status: str | None = None  # queued, running, done, failed
    form: str | None = None
    city: str | None = None
    q: str | None = None  # substring of name, company or credit code
    created_from: datetime | None = None
    created_to: datetime | None = None


@dataclass
class PackagePage:
    items: list[Package]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


MAX_PER_PAGE = 100
MAX_PAGE = 100_000  # far past any real list; a larger page would overflow the database's OFFSET


def list_packages(
    session: Session, user: User, filters: PackageFilters | None = None, page: int = 1, per_page: int = 20
) -> PackagePage:
    """Newest first, within the user's scope."""
    filters = filters or PackageFilters()
    if filters.status and filters.status not in PACKAGE_STATUSES:
        raise Refusal(400, f"未知状态「{filters.status}」，可选：{'、'.join(PACKAGE_STATUSES)}")
    page = max(1, int(page))
    if page > MAX_PAGE:
        raise Refusal(400, f"页码超出范围：最大为 {MAX_PAGE}")
    per_page = min(MAX_PER_PAGE, max(1, int(per_page)))
    query = scoped(select(Package), user)
    if filters.status:
        query = query.where(Package.status == filters.status)
    if filters.form:
        query = query.where(Package.form == filters.form)
    if filters.city:
        query = query.where(Package.city == filters.city)
    if filters.q and filters.q.strip():
        like = f"%{_escape_like(filters.q.strip())}%"
        query = query.where(
            or_(Package.name.like(like, escape="\\"), Package.company.like(like, escape="\\"),
                Package.credit_code.like(like, escape="\\"))
        )
    if filters.created_from:
        query = query.where(Package.created_at >= filters.created_from)
    if filters.created_to:
        query = query.where(Package.created_at < filters.created_to)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = session.scalars(
        query.order_by(Package.created_at.desc(), Package.id).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return PackagePage(list(items), total, page, per_page)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_package(session: Session, user: User, package_id: str, *, record_view: bool = True) -> Package:
    """The package, audited as viewed (pass record_view=False for progress polling)."""
    package = _scoped_package(session, user, package_id)
    if record_view:
        audit.record(session, user, "view", package.id)
        session.commit()
    return package


def package_files(session: Session, user: User, package_id: str) -> list[PackageFile]:
    package = _scoped_package(session, user, package_id)
    return list(session.scalars(select(PackageFile).where(PackageFile.package_id == package.id).order_by(PackageFile.id)))


def remove_contents(session: Session, package: Package) -> None:
    """Files, report, marks, jobs and audit features go; the row stays as a tombstone the audit trail points at."""
    from service.jobs.audit import forget_package

    forget_package(session, package.id)
    session.execute(delete(PackageFile).where(PackageFile.package_id == package.id))
    session.execute(delete(FindingMark).where(FindingMark.package_id == package.id))
    session.execute(delete(Job).where(Job.package_id == package.id))
    package.deleted_at = utcnow()
    package.report = None
    package.progress_detail = None
    for sev in ("veto", "error", "warning", "info"):
        setattr(package, f"{sev}_count", 0)


def delete_package(session: Session, user: User, package_id: str, *, store: BlobStore | None = None) -> None:
    package = _scoped_package(session, user, package_id)
    _writable(user, "删除申报包")
    remove_contents(session, package)
    audit.record(session, user, "delete", package.id, package.name)
    session.commit()
    delete_unreferenced(session, store)


def recheck_package(session: Session, user: User, package_id: str, *, queue: jobs.JobQueue | None = None) -> Package:
    """Queue the same files for review again (the report is replaced when it is done)."""
    package = _scoped_package(session, user, package_id)
    _writable(user, "重新审查")
    if package.status in ("queued", "running"):
        raise Refusal(409, "该申报包正在审查中，完成后才能重新审查")
    package.status = "queued"
    package.reason = None
    package.report = None
    package.progress_stage, package.progress_done, package.progress_total, package.progress_detail = None, 0, 0, None
    for sev in ("veto", "error", "warning", "info"):
        setattr(package, f"{sev}_count", 0)
    # an acceptance answered the findings of the review it was given on; a new review may find others
    package.accepted_at = package.accepted_by = package.accepted_note = None
    jobs.enqueue(session, package.id)
    audit.record(session, user, "recheck", package.id)
    session.commit()
    (queue or jobs.get_queue()).submit(package.id)
    return package


def _finding_ids(package: Package) -> set[str]:
    report = package.report_dict() or {}
    return {f["id"] for f in report.get("findings", [])}


def resolve_finding(session: Session, user: User, finding_id: str, package_id: str | None = None) -> Package:
    """The package in scope holding `finding_id` (finding ids are per content, not global)."""
    if not _FINDING_ID.match(finding_id or ""):
        raise NotFound("未找到该审查发现")
    if package_id is not None:
        package = _scoped_package(session, user, package_id)
        if finding_id not in _finding_ids(package):
            raise NotFound("未找到该审查发现")
        return package
    query = scoped(select(Package).where(Package.report.like(f'%"id": "{finding_id}"%')), user)
    holders = [p for p in session.scalars(query) if finding_id in _finding_ids(p)]
    if not holders:
        raise NotFound("未找到该审查发现")
    if len(holders) > 1:
        raise Refusal(409, "多个申报包含有该审查发现，请同时指定申报包（package_id）")
    return holders[0]


def mark_finding(
    session: Session, user: User, package_id: str, finding_id: str, status: str, comment: str = ""
) -> FindingMark:
    """Set the reviewer's mark on a finding (one per package and finding; the latest wins)."""
    package = resolve_finding(session, user, finding_id, package_id)
    _writable(user, "标记审查发现")
    if status not in MARK_STATUSES:
        raise Refusal(400, f"标记应为 {'、'.join(MARK_STATUSES)} 之一")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise Refusal(400, f"说明过长：最多 {MAX_COMMENT_CHARS} 个字符")
    for _ in range(2):  # a concurrent first mark may win the insert; then update it
        mark = session.scalars(
            select(FindingMark).where(FindingMark.package_id == package.id, FindingMark.finding_id == finding_id)
        ).first()
        if mark is None:
            mark = FindingMark(package_id=package.id, finding_id=finding_id)
            session.add(mark)
        mark.status, mark.comment, mark.user_id, mark.updated_at = status, comment, user.id, utcnow()
        audit.record(session, user, "mark", package.id, f"{finding_id} {status}" + (f"：{comment[:200]}" if comment else ""))
        try:
            session.commit()
            break
        except IntegrityError:
            session.rollback()
    else:
        raise Refusal(409, "该审查发现正被他人同时标记，请重试")
    session.refresh(mark)
    return mark


def marks_for(session: Session, package: Package) -> dict[str, dict[str, Any]]:
    """finding id -> {status, comment, user, updated_at (ISO 8601)}."""
    marks = session.scalars(select(FindingMark).where(FindingMark.package_id == package.id))
    return {
        m.finding_id: {
            "status": m.status,
            "comment": m.comment,
            "user": m.user.username if m.user else None,
            "updated_at": m.updated_at.isoformat(),
        }
        for m in marks
    }


def report_with_marks(session: Session, package: Package) -> dict[str, Any] | None:
    """The stored report with `mark` (null or `marks_for`'s value) added to every finding."""
    report = package.report_dict()
    if report is None:
        return None
    marks = marks_for(session, package)
    for finding in report.get("findings", []):
        finding["mark"] = marks.get(finding["id"])
    return report


def record_download(session: Session, user: User, package: Package, fmt: str) -> None:
    audit.record(session, user, "download", package.id, fmt)
    session.commit()


def describe_package(package: Package) -> dict[str, Any]:
    """The package as JSON-ready data (no report), the same for the API and the pages."""
    return {
        "id": package.id,
        "name": package.name,
        "city": package.city,
        "form": package.form,
        "form_hint": package.form_hint,
        "company": package.company,
        "credit_code": package.credit_code,
        "status": package.status,
        "reason": package.reason,
        "progress": package.progress,
        "counts": package.counts,
        "uploader": package.uploader.username if package.uploader else None,
        "accepted": None if package.accepted_at is None else
        {"by": package.accepted_by, "at": package.accepted_at.isoformat(), "note": package.accepted_note},
        "created_at": package.created_at.isoformat(),
        "updated_at": package.updated_at.isoformat(),
    }


def report_json(package: Package) -> str | None:
    """The stored report text as is (for streaming without re-encoding)."""
    return package.report


__all__ = [
    "MARK_STATUSES",
    "NotFound",
    "PackageFilters",
    "PackagePage",
    "Refusal",
    "check_upload",
    "create_package",
    "delete_package",
    "describe_package",
    "get_package",
    "list_packages",
    "mark_finding",
    "marks_for",
    "package_files",
    "recheck_package",
    "record_download",
    "report_json",
    "report_with_marks",
    "resolve_finding",
]
