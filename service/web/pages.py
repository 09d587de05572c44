"""The reviewers' web pages: log in, upload, the package list and the report page (Chinese).

Server-rendered Jinja2 (autoescaped) with a little vanilla JavaScript from `service/web/static/`
for drag and drop, upload progress and status polling; nothing is loaded from the internet.
The pages are a thin layer over `service.domain.packages`: every scope rule and every refusal comes
from there, so the pages and the API cannot disagree.  The page session is a signed cookie
(`service.auth.sessions`); forms that change something carry a CSRF token bound to that cookie, in a
hidden field or a header, never in a URL.  The login form has its own pre-session token (a nonce
cookie and its HMAC in a hidden field).  Logging out ends the session on the server: the old
cookie is refused afterwards.  Wrong passwords are throttled per account and per address
(`auth.LoginGuard`, shared with the API).

Charts (material balance per waste type, year-on-year indicators) are inline SVG computed here
from the report's `fields`, so the page needs no chart library.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session

from checkers.finding import SEVERITIES, SEVERITY_LABELS
from service.auth import sessions as auth
from service.domain import packages
from service.api.routes import CSRF_HEADER, client_address, db_session, read_upload_form
from service.config import Settings
from service.store.db import MARK_STATUSES, PACKAGE_STATUSES, Package, User
from extractor.limits import get_limits
from service.reports.crops import web_crops
from service.reports.audit_html import marked_html
from service.reports.html_report import NO_FILE, grid_view
from service.reports.model import describe_location, verdict as report_verdict
from service.reports.view import evidence_of, report_title, rule_title
from service.auth.users import ROLE_LABELS

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
STATUS_LABELS = {"queued": "排队中", "running": "审查中", "done": "已完成", "failed": "失败"}
STAGE_LABELS = {"read": "读取文件", "ocr": "识别扫描页", "check": "规则审查"}
# served by the API (`/api/packages/{id}/report.{fmt}`), which accepts the page's session cookie
DOWNLOAD_FORMATS = {"html": "HTML 网页", "docx": "Word（填写审查意见）", "xlsx": "Excel（问题清单）", "pdf": "PDF（打印）"}
_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}

router = APIRouter(include_in_schema=False)

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals.update(
    SEVERITIES=SEVERITIES,
    SEVERITY_LABELS=SEVERITY_LABELS,
    STATUS_LABELS=STATUS_LABELS,
    ROLE_LABELS=ROLE_LABELS,
    MARK_STATUSES=MARK_STATUSES,
    DOWNLOAD_FORMATS=DOWNLOAD_FORMATS,
    report_title=report_title,
)


def _local_time(moment: datetime | str | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


_env.filters["when"] = _local_time


_env.filters["marked"] = lambda text: Markup(marked_html(text))  # 【…】 highlighted, as in the HTML audit report


def _form_titles() -> dict[str, str]:
    from extractor.forms.spec import FORM_IDS, load_spec

    return {f: load_spec(f).title for f in FORM_IDS}


# ---------------------------------------------------------------- request plumbing


def _settings(request: Request) -> Settings:
    return request.app.state.settings


@dataclass
class Visitor:
    """The logged-in user of a page request, with the CSRF token for its forms."""

    user: User
    csrf: str

    @property
    def read_only(self) -> bool:
        return self.user.role == "province"


def current_visitor(request: Request, session: Session) -> Visitor | None:
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    settings = _settings(request)
    user = auth.user_from_session_cookie(session, cookie, settings)
    if user is None or cookie is None:
        return None
    return Visitor(user, auth.csrf_token(cookie, settings))


def _page(template: str, request: Request, visitor: Visitor | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(template).render(
        request_path=request.url.path,
        visitor=visitor,
        user=visitor.user if visitor else None,
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def _to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)


def _error_page(request: Request, visitor: Visitor | None, status_code: int, message: str) -> HTMLResponse:
    return _page("error.html.j2", request, visitor, status_code=status_code, message=message)


def _refused(request: Request, visitor: Visitor, exc: Exception) -> HTMLResponse:
    if isinstance(exc, packages.NotFound):
        return _error_page(request, visitor, 404, exc.message)
    assert isinstance(exc, packages.Refusal)
    return _error_page(request, visitor, exc.status_code, exc.message)


def _csrf_ok(request: Request, token: str | None) -> bool:
    return auth.check_csrf(request.cookies.get(auth.SESSION_COOKIE), token, _settings(request))


CSRF_MESSAGE = "页面已过期或请求来源无效，请刷新页面后重试"


def _safe_next(target: str | None) -> str:
    # only local paths: an open redirect would let a link send a fresh login elsewhere
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/packages"


# ---------------------------------------------------------------- static files


@router.get("/static/{name}")
def static_file(name: str) -> Response:
    path = STATIC_DIR / name
    # only files that sit directly in the static folder, by exact name
    if "/" in name or name.startswith(".") or not path.is_file() or path.parent != STATIC_DIR:
        return Response("未找到", status_code=404, media_type="text/plain; charset=utf-8")
    return FileResponse(path, media_type=_STATIC_TYPES.get(path.suffix, "application/octet-stream"),
                        headers={"Cache-Control": "no-cache"})


# ---------------------------------------------------------------- login


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: Session = Depends(db_session)) -> Response:
    if current_visitor(request, session) is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/packages", status_code=303)


LOGIN_CSRF_MESSAGE = "登录页面已过期或请求来源无效，请重新输入用户名和密码"
LOGIN_NONCE_SECONDS = 2 * 3600


def _login_form(request: Request, status_code: int = 200, *, next: str = "/packages", error: str | None = None,
                username: str = "", headers: dict[str, str] | None = None) -> HTMLResponse:
    """The login page with its pre-session CSRF token: the nonce cookie is kept when the browser
    has one (several tabs share it), else a new one is set."""
    settings = _settings(request)
    nonce = request.cookies.get(auth.LOGIN_CSRF_COOKIE) or auth.new_login_nonce()
    response = _page("login.html.j2", request, None, status_code=status_code, next=_safe_next(next), error=error,
                     username=username, login_csrf=auth.login_csrf_token(nonce, settings))
    response.set_cookie(auth.LOGIN_CSRF_COOKIE, nonce, max_age=LOGIN_NONCE_SECONDS, httponly=True,
                        samesite="strict", path="/login")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/packages", session: Session = Depends(db_session)) -> Response:
    visitor = current_visitor(request, session)
    if visitor is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_form(request, next=next)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form("/packages"),
    csrf: str = Form(""),
    session: Session = Depends(db_session),
) -> Response:
    settings = _settings(request)
    # a login posted from another site would log the visitor into the attacker's account
    if not auth.check_login_csrf(request.cookies.get(auth.LOGIN_CSRF_COOKIE), csrf, settings):
        return _login_form(request, 403, next=next, error=LOGIN_CSRF_MESSAGE, username=username)
    user = None
    if username and password:
        try:
            user = request.app.state.login_guard.login(session, username, password, client_address(request))
        except auth.LoginRefused as exc:
            return _login_form(request, exc.status_code, next=next, error=exc.message, username=username,
                               headers={"Retry-After": str(exc.retry_after)})
    if user is None:
        return _login_form(request, 401, next=next, error="用户名或密码错误，或账号已停用", username=username)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        auth.SESSION_COOKIE,
        auth.create_session_cookie(user, settings),
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        path="/",
    )
    response.delete_cookie(auth.LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, csrf: str = Form(""), session: Session = Depends(db_session)) -> Response:
    # logging out needs the token too: another site must not be able to end a session
    if not _csrf_ok(request, csrf):
        return _error_page(request, None, 403, CSRF_MESSAGE)
    visitor = current_visitor(request, session)
    if visitor is not None:
        # on the server: the cookie is refused from now on, wherever a copy of it is
        auth.end_sessions(session, visitor.user, client_address(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


# ---------------------------------------------------------------- package list


def _parse_day(text: str | None) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%d").astimezone() if text else None
    except ValueError:
        return None


@router.get("/packages", response_class=HTMLResponse)
def package_list(
    request: Request,
    status: str = "",
    form: str = "",
    city: str = "",
    q: str = "",
    page: int = Query(1, ge=1, le=packages.MAX_PAGE),
    session: Session = Depends(db_session),
) -> Response:
    visitor = current_visitor(request, session)
    if visitor is None:
        return _to_login(request)
    filters = packages.PackageFilters(
        status=status if status in PACKAGE_STATUSES else None,
        form=form or None,
        city=city.strip() or None,
        q=q.strip() or None,
    )
    result = packages.list_packages(session, visitor.user, filters, page=page, per_page=20)
    query = {k: v for k, v in {"status": status, "form": form, "city": city, "q": q}.items() if v}
    page_links = {
        "prev": f"/packages?{urlencode({**query, 'page': result.page - 1})}" if result.page > 1 else None,
        "next": f"/packages?{urlencode({**query, 'page': result.page + 1})}" if result.page < result.pages else None,
    }
    return _page(
        "list.html.j2",
        request,
        visitor,
        result=result,
        rows=[packages.describe_package(p) for p in result.items],
        filters={"status": status, "form": form, "city": city, "q": q},
        forms=_form_titles(),
        page_links=page_links,
    )


@router.get("/web/status")
def package_statuses(request: Request, ids: str = "", session: Session = Depends(db_session)) -> Response:
    """Status, progress and counts of the listed packages in the visitor's scope (for polling)."""
    visitor = current_visitor(request, session)
    if visitor is None:
        return JSONResponse({"detail": "请先登录"}, status_code=401)
    out: dict[str, Any] = {}
    for package_id in [i for i in ids.split(",") if i][:100]:
        try:
            package = packages.get_package(session, visitor.user, package_id, record_view=False)
        except packages.NotFound:
            continue
        out[package.id] = _status_view(package)
    return JSONResponse({"packages": out})


def _status_view(package: Package) -> dict[str, Any]:
    info = packages.describe_package(package)
    progress = info["progress"]
    info["status_label"] = STATUS_LABELS.get(package.status, package.status)
    info["progress_text"] = _progress_text(package.status, progress, package.reason)
    info["url"] = f"/packages/{package.id}"
    return info


def _progress_text(status: str, progress: Mapping[str, Any], reason: str | None) -> str:
    if status == "queued":
        return "排队等待审查"
    if status == "failed":
        return f"审查失败：{reason or '原因未知'}"
    if status == "done":
        return "审查完成"
    stage = STAGE_LABELS.get(progress.get("stage") or "", "审查中")
    text = f"{stage} {progress.get('done', 0)}/{progress.get('total', 0)}" if progress.get("total") else stage
    return f"{text} {progress.get('detail') or ''}".strip()


# ---------------------------------------------------------------- upload

# Who may upload, and how an administrator creates such an account (`shencha users add`).
ACCOUNT_HELP = (
    "上传申报包需要评价机构账号（agency）或市级审查账号（city）。账号由管理员在服务器上创建，例如："
    "shencha users add jigou1 --role agency --city 武汉市 --password-stdin"
)
_env.globals["ACCOUNT_HELP"] = ACCOUNT_HELP
ACCEPTED_FORMATS = (
    "Word（.docx）、Excel（.xlsx）、PDF、图片（.jpg、.png 等），或包含这些文件的 .zip 压缩包"
)
LEGACY_FORMATS = (
    "旧版 .doc、.wps、.rtf、.odt、.xls、.et、.ods 文件可随包上传，审查时自动转换后读取"
    "（包内至少要有一个上述格式的文件）"
)
FORMAT_NOTES = ("文件类型按内容识别，与扩展名无关；没有文字层的扫描 PDF 和图片经文字识别（OCR）后参与核对，"
                "识别存疑之处以警告提示，请对照原件")


def size_text(n: int) -> str:
    """A byte count for people: 300 MB, 1 GB, 512 KB."""
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            value = Decimal(n) / size
            value = value.quantize(Decimal(1)) if value == value.to_integral_value() else round(value, 1)
            return f"{value:,} {unit}"
    return f"{n} 字节"


def upload_rules(settings: Settings) -> dict[str, Any]:
    """What the upload page states: the accepted formats, the upload limits in force
    (`Settings.limits`) and the reading limits that apply to each file (`extractor.limits`)."""
    limits, reading = settings.limits, get_limits()
    return {
        "formats": ACCEPTED_FORMATS,
        "legacy": LEGACY_FORMATS,
        "notes": FORMAT_NOTES,
        "limits": [
            f"一次最多 {limits.max_files:,} 个文件（一个压缩包内的文件也不超过 {limits.max_files:,} 个）",
            f"单个文件不超过 {size_text(limits.max_file_bytes)}，全部文件合计不超过 {size_text(limits.max_total_bytes)}",
            f"压缩包解压后合计不超过 {size_text(limits.max_expanded_bytes)}，压缩比不超过 {limits.max_zip_ratio:,} 倍",
        ],
        "reading": [
            f"每个文件最多读取 {reading.file_pages:,} 页（或工作表）、{reading.file_cells:,} 个表格单元格，"
            f"读取时间不超过 {Decimal(str(reading.file_seconds)).normalize():f} 秒",
            "超出的部分不审查，并在报告中以警告列出",
        ],
    }


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, session: Session = Depends(db_session)) -> Response:
    visitor = current_visitor(request, session)
    if visitor is None:
        return _to_login(request)
    if visitor.read_only:
        return _error_page(request, visitor, 403, f"省级账号为只读审计，不能上传申报包。{ACCOUNT_HELP}")
    return _page("upload.html.j2", request, visitor, forms=_form_titles(), error=None,
                 accepted=upload_rules(_settings(request)))


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _upload_csrf_refused(request: Request, visitor: Visitor, as_json: bool) -> Response:
    if as_json:
        return JSONResponse({"detail": CSRF_MESSAGE}, status_code=403)
    return _error_page(request, visitor, 403, CSRF_MESSAGE)


@router.post("/upload")
async def upload(request: Request, session: Session = Depends(db_session)) -> Response:
    """Stores the upload and queues it; the browser script asks for JSON, a plain form gets a redirect.

    The body is parsed by the API's `read_upload`, so the size and count limits stop an
    oversized upload while it is received, exactly as on `POST /api/packages`.
    """
    visitor = current_visitor(request, session)
    as_json = _wants_json(request)
    if visitor is None:
        if as_json:
            return JSONResponse({"detail": "登录已过期，请重新登录"}, status_code=401)
        return _to_login(request)
    settings = _settings(request)
    # The script sends the token as a header, checked before the body is read.  A plain form
    # (no script) sends it as a hidden field: then the body is read first, within the upload
    # limits, and nothing is stored unless the field is right.  Never in the URL.
    header_token = request.headers.get(CSRF_HEADER)
    if header_token is not None and not _csrf_ok(request, header_token):
        return _upload_csrf_refused(request, visitor, as_json)
    try:
        upload_form = await read_upload_form(request, settings.limits)
        if header_token is None and not _csrf_ok(request, upload_form.csrf):
            return _upload_csrf_refused(request, visitor, as_json)
        received, city, form = upload_form.files, upload_form.city, upload_form.form
        received = [(name, data) for name, data in received if name or data]  # an empty file input
        package = await run_in_threadpool(
            packages.create_package, session, visitor.user, received, city, form,
            settings=settings, store=request.app.state.store,
        )
    except packages.Refusal as exc:
        if as_json:
            return JSONResponse({"detail": exc.message}, status_code=exc.status_code)
        return _page("upload.html.j2", request, visitor, status_code=exc.status_code, forms=_form_titles(),
                     error=exc.message, accepted=upload_rules(settings))
    if as_json:
        return JSONResponse({"id": package.id, "status": package.status, "url": f"/packages/{package.id}"},
                            status_code=202)
    return RedirectResponse(f"/packages/{package.id}", status_code=303)


# ---------------------------------------------------------------- one package


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, rule: str = "", city: str = "", form: str = "", agency: str = "",
               session: Session = Depends(db_session)) -> Response:
    from service.domain.audit import SignalFilters, list_signals, may_audit

    visitor = current_visitor(request, session)
    if visitor is None:
        return _to_login(request)
    if not may_audit(visitor.user):
        return _error_page(request, visitor, 403, "跨包审计只对市级和省级账号开放")
    filters = {"rule": rule[:64], "city": city[:64], "form": form[:64], "agency": agency[:200]}
    signals = list_signals(session, visitor.user, SignalFilters(**{k: v.strip() or None for k, v in filters.items()}))
    from checkers.registry import RULES

    return _page("audit.html.j2", request, visitor, signals=signals, filters=filters, forms=_form_titles(),
                 rules={code: r.title for code, r in sorted(RULES.items()) if code.startswith("AUDIT.")},
                 query=urlencode({k: v for k, v in filters.items() if v}))


@router.get("/summary", response_class=HTMLResponse)
def summary_page(request: Request, table: str = "", year: str = "", city: str = "", province: str = "", unit: str = "",
                 filler: str = "", phone: str = "", uploaded_from: str = Query("", alias="from"),
                 uploaded_to: str = Query("", alias="to"), packages_: list[str] = Query([], alias="pick"),
                 session: Session = Depends(db_session)) -> Response:
    from service.domain.summaries import SUMMARY_ROLES, SummaryRequest, periods_for, summary_for
    from service.summaries.catalogue import table_specs

    visitor = current_visitor(request, session)
    if visitor is None:
        return _to_login(request)
    if visitor.user.role not in SUMMARY_ROLES:
        return _error_page(request, visitor, 403, "汇总表由市州和省级账号生成")
    specs = table_specs()
    table = table if table in specs else next(iter(specs))
    form = {"table": table, "year": year[:4] if year[:4].isdigit() else "", "city": city.strip()[:64],
            "province": province.strip()[:16], "unit": unit.strip()[:100], "filler": filler.strip()[:32],
            "phone": phone.strip()[:32], "from": _day(uploaded_from), "to": _day(uploaded_to)}
    picked = [p[:64] for p in packages_[:1000] if p.strip()]
    req = SummaryRequest(table=table, period=form["year"] or None, city=form["city"] or None,
                         province=form["province"] or None, unit=form["unit"] or None, filler=form["filler"], phone=form["phone"],
                         packages=picked or None, uploaded_from=date.fromisoformat(form["from"]) if form["from"] else None,
                         uploaded_to=date.fromisoformat(form["to"]) if form["to"] else None, base_url=str(request.base_url))
    summary, error, years = None, None, []
    try:
        years = periods_for(session, visitor.user, table, req.city)
        summary = summary_for(session, visitor.user, req)
    except packages.Refusal as exc:
        error = exc.message
    query = urlencode([(k, v) for k, v in form.items() if v and k != "table"] + [("packages", ",".join(picked))] * bool(picked))
    return _page("summary.html.j2", request, visitor, tables=list(specs.values()), form=form, years=years,
                 summary=summary.as_json() if summary else None, error=error, query=query, picked=picked)


def _day(text: str) -> str:
    """An ISO day from a date input, "" for anything else."""
    try:
        return date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        return ""


@router.get("/packages/{package_id}", response_class=HTMLResponse)
def package_page(request: Request, package_id: str, session: Session = Depends(db_session)) -> Response:
    visitor = current_visitor(request, session)
    if visitor is None:
        return _to_login(request)
    try:
        package = packages.get_package(session, visitor.user, package_id)
    except packages.NotFound as exc:
        return _refused(request, visitor, exc)
    report = packages.report_with_marks(session, package) if package.status == "done" else None
    if report is None:
        return _page("progress.html.j2", request, visitor, package=_status_view(package))
    from service.domain.audit import list_signals

    signals = list_signals(session, visitor.user, package_id=package.id) if visitor.user.role == "province" else []
    return _page("report.html.j2", request, visitor, package=_status_view(package), audit_signals=signals,
                 **report_view(report, package.id))


@router.get("/web/packages/{package_id}/progress")
def package_progress(request: Request, package_id: str, session: Session = Depends(db_session)) -> Response:
    visitor = current_visitor(request, session)
    if visitor is None:
        return JSONResponse({"detail": "请先登录"}, status_code=401)
    try:
        package = packages.get_package(session, visitor.user, package_id, record_view=False)
    except packages.NotFound as exc:
        return JSONResponse({"detail": exc.message}, status_code=404)
    return JSONResponse(_status_view(package))


def _page_action(request: Request, session: Session, csrf: str, action, then: str) -> Response:
    """A form post from a page: a logged-in visitor, a valid page token, then the service-layer
    action; its refusal is shown as a Chinese error page, success redirects to `then`."""
    visitor = current_visitor(request, session)
    if visitor is None:
        return _to_login(request)
    if not _csrf_ok(request, csrf):
        return _error_page(request, visitor, 403, CSRF_MESSAGE)
    try:
        action(visitor.user)
    except (packages.NotFound, packages.Refusal) as exc:
        return _refused(request, visitor, exc)
    return RedirectResponse(then, status_code=303)


@router.post("/packages/{package_id}/findings/{finding_id}/mark")
def mark(
    request: Request,
    package_id: str,
    finding_id: str,
    status: str = Form(""),
    comment: str = Form(""),
    csrf: str = Form(""),
    session: Session = Depends(db_session),
) -> Response:
    return _page_action(request, session, csrf,
                        lambda user: packages.mark_finding(session, user, package_id, finding_id, status, comment),
                        f"/packages/{quote(package_id)}#f-{quote(finding_id)}")


@router.post("/packages/{package_id}/delete")
def delete(request: Request, package_id: str, csrf: str = Form(""), session: Session = Depends(db_session)) -> Response:
    return _page_action(request, session, csrf,
                        lambda user: packages.delete_package(session, user, package_id, store=request.app.state.store),
                        "/packages")


@router.post("/packages/{package_id}/recheck")
def recheck(request: Request, package_id: str, csrf: str = Form(""), session: Session = Depends(db_session)) -> Response:
    return _page_action(request, session, csrf,
                        lambda user: packages.recheck_package(session, user, package_id),
                        f"/packages/{quote(package_id)}")


@router.post("/packages/{package_id}/acceptance")
def acceptance(request: Request, package_id: str, note: str = Form(""), withdraw: str = Form(""), csrf: str = Form(""),
               session: Session = Depends(db_session)) -> Response:
    from service.domain.summaries import accept_package, withdraw_acceptance

    return _page_action(request, session, csrf,
                        lambda user: withdraw_acceptance(session, user, package_id) if withdraw
                        else accept_package(session, user, package_id, note),
                        f"/packages/{quote(package_id)}#summary")


# ---------------------------------------------------------------- the report page's view model


def report_view(report: Mapping[str, Any], package_id: str | None = None) -> dict[str, Any]:
    """Everything the report template draws, derived from the report dict (with marks).  With the
    package's id, findings on scans show crops of the original page (`GET /api/packages/{id}/crop`)."""
    anchors = {(t["file"], t["index"]): f"t{n}" for n, t in enumerate(report.get("tables", []), 1)}
    groups = []
    for sev in SEVERITIES:
        found = [f for f in report.get("findings", []) if f["severity"] == sev]
        if not found:
            continue
        by_file: dict[str, list[dict[str, Any]]] = {}
        for f in found:
            file = f["locations"][0]["file"] if f["locations"] else NO_FILE
            view = _finding_view(f, anchors, report.get("package", {}).get("form"))
            view["crops"] = web_crops(package_id, report, f.get("locations", [])) if package_id else []
            by_file.setdefault(file, []).append(view)
        groups.append({"severity": sev, "label": SEVERITY_LABELS[sev], "count": len(found),
                       "files": sorted(by_file.items(), key=lambda kv: (kv[0] == NO_FILE, kv[0]))})
    tables = []
    for t in report.get("tables", []):
        anchor = anchors[(t["file"], t["index"])]
        where = (t.get("location") or {}).get("description") or describe_location(
            {"file": t["file"], "page": t.get("page"), "sheet": t.get("sheet"), "table": t["index"]})
        tables.append({"anchor": anchor, "file": t["file"], "index": t["index"], "caption": t.get("caption"),
                       "where": where, "grid": grid_view(t, anchor), "hits": len(t.get("highlights", []))})
    summary = report.get("summary", {})
    verdict, verdict_class = report_verdict(summary)
    fields = report.get("fields") or {}
    pkg = report.get("package", {})
    return {
        "report_package": pkg,
        "form_title": pkg.get("form_title") or ("未识别的申报类型" if pkg.get("form") == "unknown" else pkg.get("form", "")),
        "summary": [{"severity": s, "label": SEVERITY_LABELS[s], "count": summary.get(s, 0)} for s in SEVERITIES],
        "verdict": verdict,
        "verdict_class": verdict_class,
        "groups": groups,
        # tables with highlighted cells first: those are the ones a reviewer needs
        "tables": sorted(tables, key=lambda t: (t["hits"] == 0, t["file"], t["index"])),
        "balance_charts": balance_charts(fields),
        "trend_chart": trend_chart(fields),
        "files": pkg.get("files", []),
        "mark_counts": _mark_counts(report),
    }


def _finding_view(f: Mapping[str, Any], anchors: Mapping[tuple[str, int], str], form: str | None = None) -> dict[str, Any]:
    locations = []
    for loc in f.get("locations", []):
        anchor = anchors.get((loc["file"], loc["table"])) if loc.get("table") is not None else None
        href = None
        if anchor is not None:
            href = f"#{anchor}-r{loc['row']}c{loc['column']}" if loc.get("row") and loc.get("column") else f"#{anchor}"
        locations.append({"text": loc.get("description") or describe_location(loc), "href": href})
    return {
        "id": f["id"],
        "rule": f["rule"],
        "rule_title": rule_title(f),
        "severity": f["severity"],
        "message": f["message"],
        "quote": f.get("quote"),
        "locations": locations,
        "evidence": evidence_of(f, form),
        "mark": f.get("mark"),
    }


def _mark_counts(report: Mapping[str, Any]) -> dict[str, int]:
    counts = {s: 0 for s in MARK_STATUSES}
    counts["未标记"] = 0
    for f in report.get("findings", []):
        status = (f.get("mark") or {}).get("status") or "未标记"
        counts[status] = counts.get(status, 0) + 1
    return counts


# ---------------------------------------------------------------- charts (inline SVG geometry)


def _amount(q: Any) -> Decimal | None:
    """The base-unit value of a report quantity ({"value": "1.5", ...}), None when absent."""
    if not isinstance(q, Mapping) or q.get("value") in (None, ""):
        return None
    try:
        return Decimal(str(q["value"]))
    except InvalidOperation:
        return None


def _shown(q: Mapping[str, Any] | None, value: Decimal | None = None, unit: str | None = None) -> str:
    """A figure as the form wrote it: in its source unit (万元, 万吨), with thousands separators."""
    if value is None:
        return "—"
    scale = Decimal(str((q or {}).get("scale") or "1"))
    shown = value / scale if scale else value
    decimals = (q or {}).get("decimals")
    if isinstance(decimals, int) and 0 <= decimals <= 6:
        shown = shown.quantize(Decimal(1).scaleb(-decimals))
    text = f"{shown:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".") if decimals is None else text
    return f"{text} {unit or (q or {}).get('source_unit') or (q or {}).get('unit') or ''}".strip()


BALANCE_IN = (("opening", "期初贮存", "#90a4ae"), ("generated", "产生", "#1565c0"), ("received", "接收", "#4fc3f7"))
BALANCE_OUT = (("utilized", "利用", "#2e7d32"), ("disposed", "处置", "#ef6c00"), ("closing", "期末贮存", "#78909c"))
CHART_WIDTH = 560
BAR_LEFT = 56
BAR_SPAN = CHART_WIDTH - BAR_LEFT - 150  # room on the right for the total


def balance_charts(fields: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One chart per waste type: 产生 + 接收 (and opening stock) against 利用, 处置 and stock.

    The form's balance table (期初/产生/接收/利用/处置/期末) is preferred; a waste type found
    only in the basic-information table (产生/接收/利用) is drawn from that, with what is missing
    left out rather than guessed.
    """
    rows: dict[str, tuple[Mapping[str, Any], str]] = {}
    for key, title in (("waste_use", "基本情况表"), ("balance", "物料平衡表")):
        for row in fields.get(key) or []:
            if isinstance(row, Mapping) and row.get("name"):
                rows[str(row["name"])] = (row, title)  # balance (later) replaces waste_use
    charts = []
    for name, (row, source) in rows.items():
        sides = []
        for label, parts in (("来源", BALANCE_IN), ("去向", BALANCE_OUT)):
            segs = [(key, seg_label, colour, row.get(key), _amount(row.get(key))) for key, seg_label, colour in parts]
            segs = [s for s in segs if s[4] is not None]
            sides.append({"label": label, "segments": segs, "total": sum((s[4] for s in segs), Decimal(0))})
        if not any(s["segments"] for s in sides) or all(s["total"] == 0 for s in sides):
            continue
        scale = max(s["total"] for s in sides) or Decimal(1)
        unit_q = next((s[3] for side in sides for s in side["segments"]), None)
        drawn = []
        for i, side in enumerate(sides):
            x = Decimal(BAR_LEFT)
            segs = []
            for key, seg_label, colour, q, value in side["segments"]:
                width = Decimal(BAR_SPAN) * value / scale
                segs.append({"x": float(round(x, 1)), "width": float(round(width, 1)), "colour": colour,
                             "label": seg_label, "text": f"{seg_label} {_shown(q, value)}"})
                x += width
            drawn.append({"label": side["label"], "y": 8 + i * 36, "segments": segs,
                          "total_text": _shown(unit_q, side["total"]), "end": float(round(x, 1))})
        difference = sides[0]["total"] - sides[1]["total"]
        charts.append({
            "name": name,
            "source": source,
            "sides": drawn,
            "legend": [(lbl, col) for _key, lbl, col in BALANCE_IN + BALANCE_OUT
                       if any(s["label"] == lbl for side in drawn for s in side["segments"])],
            "difference": difference,
            "difference_text": _shown(unit_q, abs(difference)),
            "width": CHART_WIDTH,
            "height": 8 + len(drawn) * 36,
        })
    return charts


def trend_chart(fields: Mapping[str, Any]) -> dict[str, Any] | None:
    """Year-on-year pairs (previous year against the year applied for) of the indicator table.

    Indicators have different units, so each row has its own scale: the bars compare the two
    years of one indicator, never one indicator with another.
    """
    years = fields.get("years") if isinstance(fields.get("years"), Mapping) else {}
    previous_label = f"{years.get('前一年度')}年" if years.get("前一年度") else "前一年度"
    current_label = f"{years.get('上年度')}年" if years.get("上年度") else "上年度"
    rows = []
    for item in fields.get("indicators") or []:
        if not isinstance(item, Mapping):
            continue
        prev, cur = _amount(item.get("previous")), _amount(item.get("current"))
        if prev is None or cur is None:
            continue
        scale = max(abs(prev), abs(cur)) or Decimal(1)
        span = 300
        change = cur - prev
        rows.append({
            "name": str(item.get("name") or item.get("key")),
            "bars": [
                {"label": previous_label, "width": float(round(Decimal(span) * abs(prev) / scale, 1)),
                 "text": _shown(item.get("previous"), prev), "kind": "previous"},
                {"label": current_label, "width": float(round(Decimal(span) * abs(cur) / scale, 1)),
                 "text": _shown(item.get("current"), cur), "kind": "current"},
            ],
            "change": "增加" if change > 0 else ("减少" if change < 0 else "持平"),
            "change_text": f"填报：{item['change_text']}" if item.get("change_text") else "",
            "change_class": "up" if change > 0 else ("down" if change < 0 else "flat"),
        })
    if not rows:
        return None
    row_height = 46
    for i, row in enumerate(rows):
        row["y"] = 8 + i * row_height
    return {"rows": rows, "previous_label": previous_label, "current_label": current_label,
            "width": 920, "bar_left": 300, "height": 8 + len(rows) * row_height}
