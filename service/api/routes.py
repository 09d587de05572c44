"""The HTTP API under /api: tokens, uploads, package status and reports, reviewers' marks.

This layer only translates.  Every scope rule, upload check and audit entry lives in
`service.domain.packages`; its `NotFound` becomes 404 and its `Refusal` becomes the status it carries,
both with the Chinese message as `detail`.

Authentication: `Authorization: Bearer <token>` from `POST /api/auth/token`, or the web page's
signed session cookie (`auth.SESSION_COOKIE`).  A cookie-authenticated request that changes
something (POST/PUT/PATCH/DELETE) must also send the page's CSRF token in the `X-CSRF-Token`
header (`auth.csrf_token(cookie)`), because a browser attaches cookies to requests other sites
make it send.  Bearer tokens need no CSRF token: browsers never attach them on their own.
`POST /api/auth/logout` ends every session cookie and token of the caller (`auth.end_sessions`).

Logins go through `app.state.login_guard` (`auth.LoginGuard`): failed attempts are throttled per
account and per client address (429 with `Retry-After`) and password hashing is bounded (503).

Every status an operation can answer is declared in the OpenAPI document with its body
(`ErrorOut`, or `ValidationErrorOut` for 422), and the upload and package responses carry
OpenAPI links to the operations that take the package and finding ids, so a client (and a
stateful test) can follow them.

Uploads are parsed from the request stream here rather than by FastAPI's form handling, so the
configured size and count limits stop a request while it is being received: a body declared
larger than the limit is refused before a byte of it is read, and an undeclared (chunked) body
is cut off as soon as it passes the limit.  The files are spooled to temporary files while
parsing and only the accepted total (bounded by `SHENCHA_MAX_UPLOAD_BYTES`) is held in memory.

The objects the routes need are taken from `request.app.state` (set by `service.app.create_app`):
`settings`, `database` and `store`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, AsyncIterator, Callable, Iterator
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyCookie, OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException, MultiPartParser

from service.auth import sessions as auth

from service.domain import packages
from service.config import Limits, Settings
from service.store.db import MARK_STATUSES, PACKAGE_STATUSES, Database, User
from service.domain.packages import NotFound, Refusal
from service.store.blobs import BlobStore

API_PREFIX = "/api"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UPLOAD_FIELD = "files"
# multipart framing around the files: boundaries and part headers (a few hundred bytes per
# file), plus the small `city` and `form` fields
MULTIPART_OVERHEAD = 1024 * 1024
MAX_FORM_FIELDS = 20
MAX_FIELD_BYTES = 64 * 1024
MiB = 1024**2

router = APIRouter(prefix=API_PREFIX)

_bearer = OAuth2PasswordBearer(
    tokenUrl=f"{API_PREFIX}/auth/token",
    auto_error=False,
    scheme_name="令牌",
    description="用 `POST /api/auth/token` 换取的访问令牌，放在请求头 `Authorization: Bearer <令牌>` 中。",
)
_session_cookie = APIKeyCookie(
    name=auth.SESSION_COOKIE,
    auto_error=False,
    scheme_name="网页会话",
    description=f"网页登录后的会话 Cookie；修改类请求（POST/PATCH/DELETE）还须带请求头 `{CSRF_HEADER}`。",
)


# ---------------------------------------------------------------- response models


class TokenOut(BaseModel):
    access_token: str = Field(description="访问令牌（JWT）")
    token_type: str = Field("bearer", description="固定为 bearer")


class UserOut(BaseModel):
    username: str
    role: str = Field(description="agency（评价机构）、city（市级审查）或 province（省级审计）")
    city: str | None = None


class Counts(BaseModel):
    veto: int = Field(description="否决项数")
    error: int = Field(description="错误数")
    warning: int = Field(description="警告数")
    info: int = Field(description="提示数")


class Progress(BaseModel):
    stage: str | None = Field(description="read（读取文件）、ocr（识别扫描页：done/total 为 detail 所指文件已识别的页数/页数）、check（规则审查）或空")
    done: int
    total: int
    detail: str = Field(description="当前步骤说明")


class PackageAccepted(BaseModel):
    id: str = Field(description="申报包编号")
    status: str = Field(description="审查状态：queued、running、done、failed")
    name: str = Field(description="申报包名称")


class PackageSummary(BaseModel):
    id: str
    name: str
    status: str = Field(description="queued（排队中）、running（审查中）、done（已完成）、failed（失败）")
    reason: str | None = Field(None, description="失败原因（status 为 failed 时）")
    form: str | None = Field(None, description="识别出的申报类型")
    form_hint: str | None = Field(None, description="上传时指定的申报类型")
    company: str | None = Field(None, description="申报单位名称")
    credit_code: str | None = Field(None, description="统一社会信用代码")
    city: str | None
    uploader: str | None = Field(None, description="上传人用户名")
    created_at: datetime
    updated_at: datetime
    progress: Progress
    counts: Counts = Field(description="各严重程度的审查发现数")
    accepted: dict[str, Any] | None = Field(None, description="审查人员确认受理（不论未处理的错误）：{by, at, note}；未确认为 null")


class PackageList(BaseModel):
    items: list[PackageSummary]
    total: int = Field(description="符合条件的申报包总数")
    page: int
    per_page: int
    pages: int


class PackageFileOut(BaseModel):
    path: str = Field(description="上传时的文件名（仅作标签）")
    size: int
    type: str = Field(description="按内容识别的类型：docx、xlsx、pdf、image、zip、other")
    sha256: str


class PackageDetail(PackageSummary):
    files: list[PackageFileOut]
    report: dict[str, Any] | None = Field(
        None,
        description="审查报告 JSON（契约见 docs/report-schema.md），仅在 status 为 done 时提供；"
        "每条 findings[] 另有 mark：审查人员的标记 {status, comment, user, updated_at}，未标记为 null。",
    )


class MarkIn(BaseModel):
    package_id: str = Field(description="审查发现所属申报包的编号（审查发现编号只在一个申报包内唯一，故必须提供）")
    status: str = Field(description="标记：已核实、误报 或 待补正", json_schema_extra={"enum": list(MARK_STATUSES)})
    # the bound is declared here and checked by the service (400 with its own message)
    comment: str = Field("", description="说明（最多 2000 字）", json_schema_extra={"maxLength": packages.MAX_COMMENT_CHARS})


class MarkOut(BaseModel):
    package_id: str
    finding_id: str
    status: str
    comment: str
    user: str | None = Field(description="标记人用户名")
    updated_at: datetime


class ErrorOut(BaseModel):
    detail: str = Field(description="中文说明")


class ValidationErrorOut(BaseModel):
    detail: str = Field(description="中文说明：哪个参数、错在哪里")
    errors: list[dict[str, Any]] = Field(default_factory=list, description="逐项的校验错误（位置 loc、类型 type、说明 msg）")


_ERROR_TEXTS = {
    400: "请求有误", 401: "未登录或登录已过期", 403: "无权执行该操作（或页面校验失败）",
    404: "未找到（或不在本账号可见范围内）", 409: "状态冲突", 413: "超过大小或数量上限",
    415: "文件类型或请求内容类型不受支持", 422: "请求参数有误", 429: "登录失败次数过多，暂时不能登录",
    503: "服务繁忙或暂不可用，请稍后再试",
}
_RETRY_AFTER = {
    "Retry-After": {"description": "多少秒后可以再试", "schema": {"type": "integer", "minimum": 1}},
}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The documented refusals of an operation: each status with its Chinese `detail` body."""
    out: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        entry: dict[str, Any] = {"model": ValidationErrorOut if code == 422 else ErrorOut, "description": _ERROR_TEXTS[code]}
        if code in (429, 503):
            entry["headers"] = _RETRY_AFTER
        out[code] = entry
    return out


# every operation that authenticates may answer 401; one reached with the page's cookie may
# answer 403 when a change lacks the CSRF token
_AUTH = (401, 403)


# ---------------------------------------------------------------- dependencies


def app_settings(request: Request) -> Settings:
    return request.app.state.settings


def app_store(request: Request) -> BlobStore:
    return request.app.state.store


def db_session(request: Request) -> Iterator[Session]:
    database: Database = request.app.state.database
    session = database.new_session()
    try:
        yield session
    finally:
        session.close()


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"})


def current_user(
    request: Request,
    session: Session = Depends(db_session),
    token: str | None = Depends(_bearer),
    cookie: str | None = Depends(_session_cookie),
) -> User:
    """The caller, from a bearer token or the page's session cookie (with CSRF for changes)."""
    settings = request.app.state.settings
    if token:
        user = auth.user_from_token(session, token, settings)
        if user is None:
            raise _unauthorized("访问令牌无效、已过期或账号已停用，请重新登录")
        return user
    if cookie:
        user = auth.user_from_session_cookie(session, cookie, settings)
        if user is None:
            raise _unauthorized("登录已过期或账号已停用，请重新登录")
        if request.method not in SAFE_METHODS and not auth.check_csrf(cookie, request.headers.get(CSRF_HEADER), settings):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "页面校验失败（CSRF 令牌缺失或不符），请刷新页面后重试")
        return user
    raise _unauthorized("未登录：请先登录，或在请求头中提供 Authorization: Bearer <令牌>")


# ---------------------------------------------------------------- auth


def client_address(request: Request) -> str:
    """The caller's address as the server sees it (uvicorn's --proxy-headers makes it the real one
    behind a trusted reverse proxy)."""
    return request.client.host if request.client else "unknown"


def _login_refused(exc: auth.LoginRefused) -> HTTPException:
    return HTTPException(exc.status_code, exc.message, headers={"Retry-After": str(exc.retry_after)})


@router.post(
    "/auth/token",
    operation_id="login",
    response_model=TokenOut,
    tags=["登录"],
    summary="登录，换取访问令牌",
    description="OAuth2 密码方式：表单字段 `username`、`password`（application/x-www-form-urlencoded）。"
    "返回的令牌放在之后请求的 `Authorization: Bearer <令牌>` 中。用户名或密码错误、账号已停用时返回 401。"
    "同一账号或同一地址连续登录失败过多时返回 429（此时正确的密码也被拒绝，`Retry-After` 给出等待秒数）；"
    "同时进行的登录过多时返回 503。",
    responses=_errors(400, 401, 422, 429, 503),
)
def login(
    request: Request,
    form: OAuth2PasswordRequestForm = Depends(),
    session: Session = Depends(db_session),
) -> TokenOut:
    guard: auth.LoginGuard = request.app.state.login_guard
    try:
        user = guard.login(session, form.username, form.password, client_address(request))
    except auth.LoginRefused as exc:
        raise _login_refused(exc) from None
    if user is None:
        raise _unauthorized("用户名或密码错误，或账号已停用")
    return TokenOut(access_token=auth.create_access_token(user, request.app.state.settings), token_type="bearer")


@router.post(
    "/auth/logout",
    operation_id="logout",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["登录"],
    summary="退出登录（作废令牌）",
    description="作废当前账号已签发的全部访问令牌和网页会话（各处登录同时退出）；之后使用旧令牌的请求返回 401。",
    responses=_errors(*_AUTH),
)
def logout(
    request: Request,
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> Response:
    auth.end_sessions(session, user, client_address(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", operation_id="me", response_model=UserOut, tags=["登录"], summary="当前用户", description="当前登录的用户、角色和所属城市。",
            responses=_errors(*_AUTH))
def me(user: User = Depends(current_user)) -> UserOut:
    return UserOut(username=user.username, role=user.role, city=user.city)


# ---------------------------------------------------------------- upload


class _BodyTooLarge(Exception):
    pass


def _mb(n: int) -> str:
    return f"{n / MiB:.0f} MB" if n >= MiB else f"{n / 1024:.0f} KB"


async def _capped(stream: AsyncIterator[bytes], cap: int) -> AsyncIterator[bytes]:
    received = 0
    async for chunk in stream:
        received += len(chunk)
        if received > cap:
            raise _BodyTooLarge()
        yield chunk


def _multipart_refusal(exc: MultiPartException, limits: Limits) -> Refusal:
    message = str(exc)
    if message.startswith("Too many files"):
        return Refusal(413, f"一次上传的文件超过上限 {limits.max_files} 个，请打包为 .zip 或分批上传")
    if message.startswith("Too many fields"):
        return Refusal(400, f"表单字段过多：只接受 {UPLOAD_FIELD}（可重复）、city 和 form")
    if "maximum size" in message:
        return Refusal(400, f"表单字段过长（city、form 每项最多 {MAX_FIELD_BYTES // 1024} KB）")
    return Refusal(400, "上传内容不是有效的 multipart/form-data 表单，请检查上传方式")


@dataclass
class UploadForm:
    files: list[tuple[str, bytes]]  # (name as uploaded, bytes)
    city: str | None = None
    form: str | None = None
    csrf: str | None = None  # the page's token, when a plain (script-less) form posts it


async def read_upload_form(request: Request, limits: Limits) -> UploadForm:
    """The multipart body, within the limits: files, `city`, `form` and the page's `csrf` field."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise Refusal(415, f"请以 multipart/form-data 表单上传文件（字段 {UPLOAD_FIELD}，可重复）")
    cap = limits.max_total_bytes + MULTIPART_OVERHEAD
    too_large = Refusal(413, f"上传内容总大小超过上限 {_mb(limits.max_total_bytes)}，请分批上传")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_large
    # one file more than the limit still reaches `check_upload`, whose message gives the count
    parser = MultiPartParser(
        request.headers, _capped(request.stream(), cap),
        max_files=limits.max_files + 1, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FIELD_BYTES,
    )
    try:
        form = await parser.parse()
    except _BodyTooLarge:
        raise too_large from None
    except MultiPartException as exc:
        raise _multipart_refusal(exc, limits) from None
    try:
        out = UploadForm(files=[])
        for key, value in form.multi_items():
            if isinstance(value, StarletteUploadFile):
                if key != UPLOAD_FIELD:
                    raise Refusal(400, f"文件应放在表单字段 {UPLOAD_FIELD} 中（收到字段「{key}」）")
                out.files.append((value.filename or "", await value.read()))
            elif key == "city":
                out.city = value
            elif key == "form":
                out.form = value
            elif key == "csrf":
                out.csrf = value
        return out
    finally:
        await form.close()


async def read_upload(request: Request, limits: Limits) -> tuple[list[tuple[str, bytes]], str | None, str | None]:
    """(files as (name, bytes), city, form) from the multipart body, within the limits."""
    upload = await read_upload_form(request, limits)
    return upload.files, upload.city, upload.form


def _form_ids() -> list[str]:
    from extractor.forms.spec import FORM_IDS

    return list(FORM_IDS)


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [UPLOAD_FIELD],
                    "properties": {
                        UPLOAD_FIELD: {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "申报材料：多个文件（可带文件夹路径作为文件名），或一个 .zip 压缩包；字段可重复",
                        },
                        "city": {"type": "string", "maxLength": 64,
                                 "description": "所属城市（如 武汉市）；留空则取上传人所在城市。评价机构和市级账号只能填本市（否则 403）"},
                        "form": {"type": "string", "enum": ["", "auto", *_form_ids()],
                                 "description": "申报类型（如 hb_evaluation）；留空或 auto 则自动识别"},
                    },
                }
            }
        },
    }
}


DOWNLOADS: dict[str, tuple[str, str]] = {
    "html": ("text/html; charset=utf-8", "网页版审查报告（单个文件，可离线打开、打印）"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word 审查报告：审查发现表格、附件6评分表（评价机构类），留有审查意见栏",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel 审查发现清单：每条审查发现一行，含位置与依据",
    ),
    "pdf": ("application/pdf", "PDF 审查报告（可打印，内嵌中文字体）"),
}


def _link(operation_id: str, description: str, parameters: dict[str, str] | None = None,
          body: dict[str, Any] | None = None) -> dict[str, Any]:
    link: dict[str, Any] = {"operationId": operation_id, "description": description}
    if parameters:
        link["parameters"] = parameters
    if body:
        link["requestBody"] = body
    return link


def _package_links(id_expression: str) -> dict[str, Any]:
    """OpenAPI links from a response naming a package to every operation that takes its id."""
    parameters = {"package_id": id_expression}
    links = {
        "ReadPackage": _link("readPackage", "查询该申报包的状态、进度与报告", parameters),
        "RecheckPackage": _link("recheckPackage", "重新审查该申报包", parameters),
        "DeletePackage": _link("deletePackage", "删除该申报包", parameters),
    }
    for fmt in DOWNLOADS:
        links[f"DownloadReport{fmt.title()}"] = _link(f"downloadReport{fmt.title()}", f"下载 {fmt.upper()} 审查报告", parameters)
    return links


@router.post(
    "/packages",
    operation_id="uploadPackage",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PackageAccepted,
    tags=["申报包"],
    summary="上传申报包",
    description="multipart/form-data：字段 `files` 可重复（多个文件或一个 .zip），可选 `city`、`form`。"
    "文件按 sha256 保存后立即返回 202，审查在后台进行；用 `GET /api/packages/{id}` 查询进度。"
    "文件数量、大小、压缩比有上限；文件类型按内容识别；省级账号只读，不能上传。",
    openapi_extra=_UPLOAD_BODY,
    responses={202: {"links": _package_links("$response.body#/id")}, **_errors(400, *_AUTH, 413, 415)},
)
async def upload_package(
    request: Request,
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> PackageAccepted:
    settings: Settings = request.app.state.settings
    files, city, form_hint = await read_upload(request, settings.limits)
    package = await run_in_threadpool(
        packages.create_package, session, user, files, city, form_hint,
        settings=settings, store=request.app.state.store,
    )
    return PackageAccepted(id=package.id, status=package.status, name=package.name)


# ---------------------------------------------------------------- packages


def _summary(package: Any) -> dict[str, Any]:
    return packages.describe_package(package)


@router.get(
    "/packages",
    operation_id="listPackages",
    response_model=PackageList,
    tags=["申报包"],
    summary="申报包列表",
    description="本账号可见范围内的申报包，新上传的在前。可按状态、申报类型、城市筛选，"
    "`q` 按名称、申报单位或统一社会信用代码模糊查找；分页（`page` 从 1 开始，`per_page` 最多 100）。",
    responses={200: {"links": _package_links("$response.body#/items/0/id")}, **_errors(400, *_AUTH, 422)},
)
def list_packages(
    status_: str | None = Query(None, alias="status", description=f"状态：{'、'.join(PACKAGE_STATUSES)}（其他值 400）",
                               json_schema_extra={"enum": list(PACKAGE_STATUSES)}),
    form: str | None = Query(None, max_length=64, description="申报类型"),
    city: str | None = Query(None, max_length=64, description="城市"),
    q: str | None = Query(None, max_length=200, description="名称、申报单位或信用代码中包含的文字"),
    page: int = Query(1, ge=1, le=packages.MAX_PAGE, description=f"页码，从 1 开始，最大 {packages.MAX_PAGE}"),
    per_page: int = Query(20, ge=1, le=packages.MAX_PER_PAGE, description="每页条数"),
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> PackageList:
    filters = packages.PackageFilters(status=status_ or None, form=form or None, city=city or None, q=q or None)
    result = packages.list_packages(session, user, filters, page=page, per_page=per_page)
    return PackageList(
        items=[PackageSummary(**_summary(p)) for p in result.items],
        total=result.total, page=result.page, per_page=result.per_page, pages=result.pages,
    )


_MARK_LINK = _link(
    "markFinding", "标记报告中的第一条审查发现",
    {"finding_id": "$response.body#/report/findings/0/id"},
    {"package_id": "$response.body#/id", "status": MARK_STATUSES[0]},
)


@router.get(
    "/packages/{package_id}",
    operation_id="readPackage",
    response_model=PackageDetail,
    tags=["申报包"],
    summary="申报包状态、进度与审查报告",
    description="状态（queued、running、done、failed 及失败原因）、进度，以及审查完成后的报告 JSON"
    "（每条审查发现附带审查人员的标记 `mark`）。轮询进度时传 `include_report=false`：不返回报告，也不记入查看日志。",
    responses={200: {"links": {"MarkFinding": _MARK_LINK}}, **_errors(*_AUTH, 404, 422)},
)
def read_package(
    package_id: str = Path(max_length=64, description="申报包编号"),
    include_report: bool = Query(True, description="是否返回报告（轮询进度时传 false）"),
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> PackageDetail:
    package = packages.get_package(session, user, package_id, record_view=include_report)
    files = packages.package_files(session, user, package_id)
    report = packages.report_with_marks(session, package) if include_report else None
    return PackageDetail(
        **_summary(package),
        files=[PackageFileOut(path=f.path, size=f.size, type=f.type, sha256=f.sha256) for f in files],
        report=report,
    )


@router.post(
    "/packages/{package_id}/recheck",
    operation_id="recheckPackage",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PackageAccepted,
    tags=["申报包"],
    summary="重新审查",
    description="用已上传的同一批文件重新排队审查，完成后替换原报告（标记按审查发现编号保留）。审查进行中时返回 409；省级账号只读（403）。",
    responses={202: {"links": {"ReadPackage": _link("readPackage", "查询重新审查的进度", {"package_id": "$response.body#/id"})}},
               **_errors(*_AUTH, 404, 409, 422)},
)
def recheck_package(
    package_id: str = Path(max_length=64, description="申报包编号"),
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> PackageAccepted:
    package = packages.recheck_package(session, user, package_id)
    return PackageAccepted(id=package.id, status=package.status, name=package.name)


@router.delete(
    "/packages/{package_id}",
    operation_id="deletePackage",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["申报包"],
    summary="删除申报包",
    description="删除申报包的文件、报告和标记（审计日志保留）。省级账号只读（403）。",
    responses=_errors(*_AUTH, 404, 422),
)
def delete_package(
    request: Request,
    package_id: str = Path(max_length=64, description="申报包编号"),
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> Response:
    packages.delete_package(session, user, package_id, store=request.app.state.store)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- report downloads


def _render_html(report: dict[str, Any], marks: dict[str, Any], file_bytes: Callable[[str], bytes | None] | None = None) -> bytes:
    from service.reports.html_report import render_html

    # the findings carry `mark` (report_with_marks); the page shows what the template renders,
    # with crops of the original pages beside findings on scans (data: images, see DOWNLOAD_CSP)
    return render_html(report, file_bytes=file_bytes).encode("utf-8")


def _renderer(fmt: str) -> Callable[..., bytes] | None:
    """The renderer for a format, imported on first use (guarded: a renderer may be absent)."""
    try:
        if fmt == "html":
            return _render_html
        if fmt == "docx":
            from service.reports.docx_report import render_docx

            return render_docx
        if fmt == "xlsx":
            from service.reports.xlsx_report import render_xlsx

            return render_xlsx
        if fmt == "pdf":
            from service.reports.pdf_report import render_pdf

            return render_pdf
    except ImportError:
        return None
    return None


def download_filename(package_name: str, fmt: str) -> str:
    from service.reports.view import report_file_name  # one naming for the pages and the downloads

    return report_file_name(package_name, fmt)


def content_disposition(filename: str) -> str:
    """attachment with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987)."""
    stem, _, ext = filename.rpartition(".")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-") or "shencha-report"
    return f"attachment; filename=\"{ascii_stem}.{ext}\"; filename*=UTF-8''{quote(filename, safe='')}"


# the HTML report embeds its crops of the original pages as data: images, which img-src allows
DOWNLOAD_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; sandbox"


def _crop_source(request: Request, session: Session, package: Any, report: dict[str, Any]) -> Callable[[str], bytes | None] | None:
    """The stored files' bytes for the HTML report's crops; None when no finding has one."""
    from service.reports import crops
    if not crops.crop_files(report):
        return None
    return crops.stored_source(package, session, request.app.state.store, report)


def _download(fmt: str) -> Callable[..., Response]:
    media_type = DOWNLOADS[fmt][0]

    def download(
        request: Request,
        package_id: str = Path(max_length=64, description="申报包编号"),
        user: User = Depends(current_user),
        session: Session = Depends(db_session),
    ) -> Response:
        package = packages.get_package(session, user, package_id, record_view=False)
        if package.status in ("queued", "running"):
            raise Refusal(409, "审查尚未完成，报告生成后才能下载")
        report = packages.report_with_marks(session, package)
        if package.status != "done" or report is None:
            reason = f"：{package.reason}" if package.reason else ""
            raise Refusal(409, f"该申报包审查失败，没有可下载的报告{reason}")
        render = _renderer(fmt)
        if render is None:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"暂不支持导出 {fmt.upper()} 格式")
        report["package"]["name"] = package.name  # named as the pages and the file name name it
        extra = {"file_bytes": _crop_source(request, session, package, report)} if fmt == "html" else {}
        body = render(report, packages.marks_for(session, package), **extra)
        packages.record_download(session, user, package, fmt)
        return Response(
            content=body,
            media_type=media_type,
            headers={
                "Content-Disposition": content_disposition(download_filename(package.name, fmt)),
                # a report is a reviewer's private copy: never kept by a browser or proxy cache; and
                # should a browser ever render one instead of saving it, it runs nothing
                "Cache-Control": "no-store",
                "Content-Security-Policy": DOWNLOAD_CSP,
            },
        )

    download.__name__ = f"download_report_{fmt}"
    return download


for _fmt, (_media_type, _what) in DOWNLOADS.items():
    router.add_api_route(
        f"/packages/{{package_id}}/report.{_fmt}",
        _download(_fmt),
        methods=["GET"],
        operation_id=f"downloadReport{_fmt.title()}",
        tags=["审查报告下载"],
        summary=f"下载 {_fmt.upper()} 审查报告",
        description=f"{_what}。含审查人员的标记。审查未完成或失败时返回 409。",
        response_class=Response,
        responses={200: {"content": {_media_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}},
                         "description": _what},
                   **_errors(*_AUTH, 404, 409, 422, 503)},
    )


# ---------------------------------------------------------------- crops of the original pages


CROP_NUMBER = r"[0-9]{1,5}(\.[0-9]{1,3})?"  # points, below crops.MAX_COORD
CROP_BOX_PATTERN = rf"^{CROP_NUMBER}(,{CROP_NUMBER}){{3}}$"
MAX_CROP_PAGE = 100_000
MAX_CROP_FILE_CHARS = 1000


@router.get(
    "/packages/{package_id}/crop",
    operation_id="cropOriginal",
    tags=["审查报告下载"],
    summary="原件截图（扫描件上审查发现所在位置）",
    description="审查报告中带 `box` 的位置（扫描件或图片上由文字识别读出的文字、识别到的印章）在原件上的截图：PNG，"
    "为该区域外加约 0.25 英寸边距，最长边不超过 720 像素，框外以蓝色细线标出该区域。"
    "`file` 为报告 `package.files[].path`，`page` 为页码（图片文件为 1，多页 TIFF 为帧序号），"
    "`box` 为 `x0,top,x1,bottom`（点，1/72 英寸，自页面左上角起，即报告中 location.box 的四个数）。"
    "只提供报告中出现过的位置的截图：其他文件、页码或区域（包括不满足 x0 < x1、top < bottom 的区域），"
    "以及无法渲染的文件，返回 404。审查未完成或失败时返回 409。",
    response_class=Response,
    responses={200: {"content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
                     "description": "原件截图（PNG）"},
               **_errors(*_AUTH, 404, 409, 422)},
)
def crop_original(
    request: Request,
    package_id: str = Path(max_length=64, description="申报包编号"),
    file: str = Query(min_length=1, max_length=MAX_CROP_FILE_CHARS, description="文件在申报包中的路径（报告 package.files[].path）"),
    page: int = Query(ge=1, le=MAX_CROP_PAGE, description="页码，从 1 开始"),
    box: str = Query(max_length=64, pattern=CROP_BOX_PATTERN,
                     description="区域 x0,top,x1,bottom（点），如 `72,100.5,300,130`"),
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> Response:
    from service.reports import crops
    package = packages.get_package(session, user, package_id, record_view=False)
    if package.status in ("queued", "running"):
        raise Refusal(409, "审查尚未完成，完成后才能查看原件截图")
    report = package.report_dict() if package.status == "done" else None
    if report is None:
        raise Refusal(409, "该申报包审查失败，没有审查报告，无法查看原件截图")
    try:
        region = crops.parse_box(box)
    except ValueError as exc:  # never a box the report names (a schema-valid request: 404, not 400)
        raise NotFound(f"未找到该位置的原件截图：{exc}") from None
    png = crops.stored_crop(package, session, request.app.state.store, report, file, page, region)
    if png is None:
        raise NotFound("未找到该位置的原件截图：报告中没有这一位置，或该文件无法渲染")
    return Response(content=png, media_type="image/png", headers={"Cache-Control": "no-store"})


# ---------------------------------------------------------------- marks


@router.patch(
    "/findings/{finding_id}",
    operation_id="markFinding",
    response_model=MarkOut,
    tags=["审查发现"],
    summary="标记审查发现",
    description="审查人员将一条审查发现标记为 已核实、误报 或 待补正，并可附说明；记录标记人和时间，"
    "并显示在报告 JSON（findings[].mark）和各格式的下载报告中。审查发现编号（报告中的 findings[].id）"
    "只在一个申报包内唯一，因此请求体必须带 `package_id`。省级账号只读（403）。",
    responses=_errors(400, *_AUTH, 404, 409, 422),
)
def mark_finding(
    body: MarkIn,
    finding_id: str = Path(max_length=64, description="审查发现编号（报告中的 findings[].id）"),
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> MarkOut:
    mark = packages.mark_finding(session, user, body.package_id, finding_id, body.status, body.comment)
    return MarkOut(
        package_id=mark.package_id, finding_id=mark.finding_id, status=mark.status, comment=mark.comment,
        user=mark.user.username if mark.user else None, updated_at=mark.updated_at,
    )


# ---------------------------------------------------------------- errors


_PLACES = {"query": "查询参数", "path": "路径参数", "body": "请求体", "header": "请求头", "cookie": "Cookie"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_STATUS_TEXT = {
    400: "请求有误：请求体格式不正确，无法解析", 401: "未登录", 403: "无权执行该操作", 404: "未找到", 405: "不支持该请求方法",
    406: "无法提供所要求的格式", 409: "状态冲突", 413: "请求内容过大", 415: "内容类型不受支持",
    422: "请求参数有误", 429: "请求过于频繁", 500: "服务器内部错误", 503: "服务暂不可用",
}


def _validation_text(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "缺失"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "应为整数"
    if kind in ("bool_parsing", "bool_type"):
        return "应为 true 或 false"
    if kind in ("greater_than_equal", "greater_than"):
        return f"应不小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"应不大于 {ctx.get('le', ctx.get('lt'))}"
    if kind == "string_too_long":
        return f"过长（最多 {ctx.get('max_length')} 个字符）"
    if kind in ("string_type", "string_too_short"):
        return "应为非空文字"
    if kind in ("json_invalid", "model_attributes_type", "dict_type"):
        return "不是有效的 JSON 对象"
    return "取值无效"


def validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for error in errors:
        loc = list(error.get("loc") or [])
        place = _PLACES.get(str(loc[0]), "") if loc else ""
        name = ".".join(str(x) for x in loc[1:]) if place else ".".join(str(x) for x in loc)
        parts.append(f"{place}{f'「{name}」' if name else ''}{_validation_text(error)}")
    return "请求参数有误：" + "；".join(parts or ["格式不正确"])


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


async def _refusal_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refusal)
    return JSONResponse({"detail": exc.message}, status_code=exc.status_code)


async def _not_found_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotFound)
    return JSONResponse({"detail": exc.message}, status_code=status.HTTP_404_NOT_FOUND)


async def _validation_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # what was sent is not echoed back (`input`): it may be a password, or a whole upload
    errors = jsonable_encoder([{k: v for k, v in e.items() if k in ("type", "loc", "msg", "ctx")} for e in exc.errors()])
    return JSONResponse({"detail": validation_message(errors), "errors": errors}, status_code=422)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at the request's path.  Starlette's own 405 names only the
    first route whose path matched, and a path served by two routes (GET and DELETE
    /api/packages/{id}) would advertise one of them."""
    from starlette.routing import Match

    allowed = []
    for method in _METHODS:
        probe = {**request.scope, "method": method}
        if any(route.matches(probe)[0] is Match.FULL for route in request.app.routes):
            allowed.append(method)
    return allowed


async def _http_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        headers["Allow"] = ", ".join(allowed_methods(request)) or headers.get("Allow", "")
    detail = exc.detail
    if _is_api(request) and not (isinstance(detail, str) and _CJK.search(detail)):
        # the framework's own English (unknown route, wrong method, a body it cannot parse):
        # every message under /api is Chinese
        detail = _STATUS_TEXT.get(exc.status_code, "请求失败")
    return await http_exception_handler(request, StarletteHTTPException(exc.status_code, detail, headers=headers or None))


def install_error_handlers(app: FastAPI) -> None:
    """NotFound -> 404, Refusal -> its status, with the Chinese message as `detail`; FastAPI's
    English validation and routing messages under /api said in Chinese."""
    app.add_exception_handler(Refusal, _refusal_handler)
    app.add_exception_handler(NotFound, _not_found_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)


__all__ = [
    "API_PREFIX",
    "CSRF_HEADER",
    "content_disposition",
    "current_user",
    "db_session",
    "download_filename",
    "install_error_handlers",
    "read_upload",
    "read_upload_form",
    "router",
    "validation_message",
]


# ---------------------------------------------------------------- the provincial audit


class AuditSignalPackage(BaseModel):
    id: str | None = Field(description="申报包编号；另一市州的申报包为空")
    name: str = Field(description="申报包名称；市级账号看到的其他市州申报包为「另一市州的申报包」")
    city: str | None = None
    company: str | None = None
    form: str | None = None


class AuditSignalOut(BaseModel):
    id: int
    rule: str = Field(description="规则编号（AUDIT.*，见规则目录）")
    title: str
    severity: str
    severity_text: str
    message: str
    packages: list[AuditSignalPackage]
    evidence: dict[str, Any] = Field(description="证据（省级账号）；市级账号为空")
    locations: list[dict[str, Any]] = Field(description="本账号可见的申报包中的位置")
    created_at: str | None = None


class AuditSignalList(BaseModel):
    items: list[AuditSignalOut]


def audit_filters(
    rule: str | None = Query(None, max_length=64, description="规则编号，如 AUDIT.TEXT_COPIED"),
    city: str | None = Query(None, max_length=64, description="城市（省级账号）"),
    form: str | None = Query(None, max_length=64, description="申报类型"),
    agency: str | None = Query(None, max_length=200, description="评价机构名称中包含的文字"),
):
    from service.domain.audit import SignalFilters

    return SignalFilters(rule=rule or None, city=city or None, form=form or None, agency=agency or None)


@router.get(
    "/audit/signals",
    operation_id="listAuditSignals",
    response_model=AuditSignalList,
    tags=["跨包审计"],
    summary="跨申报包审计疑点",
    description="雷同文字、共用人员、重复数据和图片、身份冲突、共用联系方式。省级账号看全部；"
    "市级账号只看涉及本市申报包的疑点，其他市州的申报包只显示为「另一市州的申报包」，不含其内容；评价机构账号为空。",
    responses=_errors(*_AUTH, 422),
)
def list_audit_signals(
    filters: Any = Depends(audit_filters),
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> AuditSignalList:
    from service.domain.audit import list_signals

    return AuditSignalList(items=[AuditSignalOut(**s) for s in list_signals(session, user, filters)])


@router.get(
    "/audit/signals.xlsx",
    operation_id="exportAuditSignals",
    tags=["跨包审计"],
    summary="导出审计疑点（XLSX）",
    description="与疑点列表相同的范围和筛选条件，一行一条疑点。",
    response_class=Response,
    responses={200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
                                 {"schema": {"type": "string", "format": "binary"}}}, "description": "审计疑点表（XLSX）"},
               **_errors(*_AUTH, 422)},
)
def export_audit_signals(
    filters: Any = Depends(audit_filters),
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> Response:
    from service.domain.audit import list_signals, signals_xlsx

    data = signals_xlsx(list_signals(session, user, filters))
    return Response(content=data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": content_disposition("审计疑点.xlsx"), "Cache-Control": "no-store"})


# ---------------------------------------------------------------- summary tables (汇总)


class SummaryTableOut(BaseModel):
    id: str = Field(description="汇总表编号，如 hb_annual")
    title: str
    clause: str = Field(description="所依据的条款")
    scope: str = Field(description="city：市州汇总；province：全省汇总")
    by_year: bool = Field(description="是否按年度汇总")
    forms: list[str] = Field(description="汇总哪类申报包")


class AcceptIn(BaseModel):
    note: str = Field(description="确认受理的理由（必填，最多 2000 字），如「已补正，经核实不影响受理」",
                      json_schema_extra={"maxLength": packages.MAX_COMMENT_CHARS, "minLength": 1, "pattern": r"\S"})


class AcceptOut(BaseModel):
    id: str
    accepted: bool
    accepted_by: str | None = None
    accepted_at: datetime | None = None
    accepted_note: str | None = None


def summary_request(
    table: str = Path(max_length=32, pattern=r"^[a-z][a-z0-9_]*$", description="汇总表编号（GET /api/summaries 列出）"),
    year: str | None = Query(None, pattern=r"^\d{4}$", description="年度（默认为申报包中最近的年度）"),
    city: str | None = Query(None, max_length=64, description="城市（省级账号；市级账号只能是本市）"),
    province: str | None = Query(None, max_length=16, description="全省汇总表的省份，如 湖南"),
    unit: str | None = Query(None, max_length=100, description="填报单位（默认为「某市经济和信息化局」）"),
    filler: str = Query("", max_length=32, description="填报人"),
    reviewer: str = Query("", max_length=32, description="审核人"),
    phone: str = Query("", max_length=32, description="联系电话"),
    packages_: str | None = Query(None, alias="packages", max_length=40000,
                                  description="只汇总这些申报包（编号以逗号分隔），如选择附件2的5个案例"),
    uploaded_from: date | None = Query(None, alias="from", description="批次：上传日期起（含），如 2026-03-01"),
    uploaded_to: date | None = Query(None, alias="to", description="批次：上传日期止（含）"),
):
    from service.domain.summaries import SummaryRequest

    ids = [p for p in (packages_ or "").split(",") if p.strip()] if packages_ is not None else None
    return SummaryRequest(table=table, period=year, city=city or None, province=province or None, unit=unit,
                          filler=filler, reviewer=reviewer, phone=phone, packages=ids,
                          uploaded_from=uploaded_from, uploaded_to=uploaded_to)


@router.get("/summaries", operation_id="listSummaryTables", response_model=list[SummaryTableOut], tags=["汇总表"],
            summary="可生成的汇总表", description="各通知要求市州、省级填报的汇总表。", responses=_errors(*_AUTH))
def list_summary_tables(user: User = Depends(current_user)) -> list[SummaryTableOut]:
    from service.summaries.catalogue import table_specs

    return [SummaryTableOut(id=s.id, title=s.title, clause=s.clause, scope=s.scope, by_year=bool(s.period), forms=list(s.forms))
            for s in table_specs().values()]


_SUMMARY_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@router.get(
    "/summaries/{table}.{fmt}",
    operation_id="downloadSummary",
    tags=["汇总表"],
    summary="下载汇总表（XLSX / DOCX）",
    description="按通知原表格式生成：合并表头、表头单位、数字格式、填报单位/填报人/日期；另附「纳入情况」（纳入与未纳入的申报包及原因）"
    "和「数据来源」（每个数据取自哪个申报包的哪个位置）。只纳入无未处理错误或否决项、或经审查人员确认受理的申报包。",
    response_class=Response,
    responses={200: {"content": {t: {"schema": {"type": "string", "format": "binary"}} for t in _SUMMARY_TYPES.values()},
                     "description": "汇总表"}, **_errors(400, *_AUTH, 404, 422)},
)
def download_summary(
    request: Request,
    req: Any = Depends(summary_request),
    fmt: str = Path(pattern="^(xlsx|docx)$", description="xlsx 或 docx"),
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> Response:
    from service.domain.summaries import record_summary, summary_for
    from service.summaries.docx import summary_docx
    from service.summaries.xlsx import summary_xlsx

    req.base_url = str(request.base_url)
    summary = summary_for(session, user, req)
    data = summary_xlsx(summary) if fmt == "xlsx" else summary_docx(summary)
    record_summary(session, user, req.table, fmt, summary)
    name = f"{summary.title}{'（' + summary.period + '）' if summary.period else ''}.{fmt}".replace("/", "／")
    return Response(content=data, media_type=_SUMMARY_TYPES[fmt],
                     headers={"Content-Disposition": content_disposition(name), "Cache-Control": "no-store"})


@router.get(
    "/summaries/{table}",
    operation_id="previewSummary",
    tags=["汇总表"],
    summary="汇总表预览（JSON）",
    description="表格各行（每个数据带来源：申报包、位置、审查报告链接）、纳入与未纳入的申报包及原因、提示。"
    "市级账号只汇总本市申报包；省级账号可汇总全省或指定城市；评价机构账号不能生成（403）。",
    responses=_errors(400, *_AUTH, 404, 422),
)
def preview_summary(
    req: Any = Depends(summary_request),
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    from service.domain.summaries import summary_for

    return summary_for(session, user, req).as_json()


def _acceptance(package: Any) -> AcceptOut:
    return AcceptOut(id=package.id, accepted=package.accepted_at is not None, accepted_by=package.accepted_by,
                     accepted_at=package.accepted_at, accepted_note=package.accepted_note)


@router.put(
    "/packages/{package_id}/acceptance",
    operation_id="acceptPackage",
    response_model=AcceptOut,
    tags=["申报包"],
    summary="确认受理申报包",
    description="审查人员确认受理一个仍有未处理错误或否决项的申报包（如已补正、经核实不影响受理），汇总表随即纳入它，"
    "并在「纳入情况」中写明理由。须填写理由；记录确认人和时间。省级账号只读（403）。",
    responses=_errors(400, *_AUTH, 404, 409, 422),
)
def accept_package(
    body: AcceptIn,
    package_id: str = Path(max_length=64, description="申报包编号"),
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> AcceptOut:
    from service.domain.summaries import accept_package as accept

    return _acceptance(accept(session, user, package_id, body.note))


@router.delete(
    "/packages/{package_id}/acceptance",
    operation_id="withdrawAcceptance",
    response_model=AcceptOut,
    tags=["申报包"],
    summary="撤销确认受理",
    description="撤销后，申报包若仍有未处理的错误或否决项，汇总表不再纳入。省级账号只读（403）。",
    responses=_errors(*_AUTH, 404, 422),
)
def withdraw_acceptance(
    package_id: str = Path(max_length=64, description="申报包编号"),
    user: User = Depends(current_user),
    session: Session = Depends(db_session),
) -> AcceptOut:
    from service.domain.summaries import withdraw_acceptance as withdraw

    return _acceptance(withdraw(session, user, package_id))
