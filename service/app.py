"""The FastAPI application: the HTTP API (`service.api.routes`) and the reviewers' web pages (`service.web.pages`).

`create_app(settings)` wires the shared objects into `app.state`, where the routes of both
routers find them: `settings`, `database` (at schema head), `store` (the blob store) and
`login_guard` (the login throttle and the bound on password hashing, `auth.LoginGuard`).  The
background worker is not started here: `shencha serve` starts the in-process worker (or none,
with `SHENCHA_WORKER=none`) and installs it with `jobs.set_queue`, so the app only submits jobs
through `jobs.get_queue()` and never runs a check inside a request.

Every response carries the security headers (`SecurityHeaders`): a Content-Security-Policy
that allows nothing but this server's own scripts, styles and images, no framing, no MIME
sniffing, no referrer to other sites, and `Cache-Control: no-store` unless the route set its own
(the static files).  `/docs` and `/redoc` are served with the Swagger UI and ReDoc files that the
`fastapi-offline` package ships, from this server, never from a CDN (`SHENCHA_API_DOCS=0` turns
them off; `/openapi.json` stays).
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api import routes as api
from service.auth.sessions import LoginGuard
from service.config import Settings, ensure_data_dir, get_settings
from service.store.db import get_database
from service.reports.model import package_version
from service.store.blobs import get_store

DESCRIPTION = """
审查（Shencha）申报材料审查服务的接口。

* 登录：`POST /api/auth/token`（用户名、密码）取得访问令牌，之后的请求带 `Authorization: Bearer <令牌>`。
  连续登录失败过多时暂停登录（429，`Retry-After` 给出等待秒数）；`POST /api/auth/logout` 作废令牌。
* 上传申报包后在后台审查；`GET /api/packages/{id}` 查看进度和审查报告；报告可下载为 HTML、DOCX、XLSX、PDF。
* 角色：评价机构（agency）只能看到自己上传的申报包；市级审查（city）看到本市的申报包；
  省级审计（province）看到全部但只读。不在可见范围内的申报包一律返回 404。
  评价机构和市级账号只能以本市名义上传。
* 所有错误的 `detail` 为中文说明。
"""

# Pages: this server's scripts, styles and images only; no inline script or style, no plugins,
# no framing, forms post here only.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}

DOCS_ASSETS = "/docs-assets"
DOCS_FILES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI: streaming bodies pass untouched).

    A response that set its own Content-Security-Policy (the API docs, report downloads) or
    Cache-Control (static files) keeps it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                wanted = {**SECURITY_HEADERS, "content-security-policy": PAGE_CSP, "cache-control": "no-store"}
                for name, value in wanted.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    ensure_data_dir(settings)
    app = FastAPI(
        title="审查 Shencha 申报材料审查服务",
        description=DESCRIPTION,
        version=package_version(),
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        openapi_tags=[
            {"name": "登录", "description": "访问令牌"},
            {"name": "申报包", "description": "上传、查询、重新审查、删除"},
            {"name": "审查报告下载", "description": "HTML、DOCX、XLSX、PDF 格式的审查报告"},
            {"name": "审查发现", "description": "审查人员对审查发现的标记"},
            {"name": "跨包审计", "description": "跨申报包的造假疑点（省级、市级账号）"},
        ],
    )
    app.state.settings = settings
    app.state.database = get_database(settings.database_url)
    app.state.store = get_store(settings)
    app.state.login_guard = LoginGuard(settings)
    api.install_error_handlers(app)
    app.include_router(api.router)
    if settings.api_docs:
        _include_docs(app)
    _include_web(app)
    app.add_middleware(SecurityHeaders)
    return app


def _include_web(app: FastAPI) -> None:
    # The pages are written separately (service/web/pages.py); the API must keep working on its own
    # while that module does not exist yet.  A web.py that exists but fails to import is an
    # error, not a reason to serve without pages.
    if importlib.util.find_spec("service.web.pages") is None:
        return
    web = importlib.import_module("service.web.pages")
    app.include_router(web.router)


# ---------------------------------------------------------------- API documentation pages


def _docs_dir() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


def _with_nonce(page: HTMLResponse, *, workers: bool = False) -> HTMLResponse:
    """FastAPI's docs pages start the UI with one inline script: it runs by its nonce, no other
    inline script does.  Swagger UI and ReDoc set styles from script, so styles may be inline
    here (and ReDoc searches in a blob: worker); everything is still loaded from this server."""
    nonce = secrets.token_urlsafe(18)
    html = re.sub(r"<script(?=[\s>])", f'<script nonce="{nonce}"', bytes(page.body).decode("utf-8"))
    policy = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
    if workers:
        policy.append("worker-src 'self' blob:")
    return HTMLResponse(html, headers={"Content-Security-Policy": "; ".join(policy)})


def _include_docs(app: FastAPI) -> None:
    title = app.title
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{title} — 接口文档",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            oauth2_redirect_url=None,
            swagger_ui_parameters={"validatorUrl": None},
        )
        return _with_nonce(page)

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_redoc_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{title} — 接口文档",
            redoc_js_url=f"{root}{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            with_google_fonts=False,
        )
        return _with_nonce(page, workers=True)

    @app.get(f"{DOCS_ASSETS}/{{name}}", include_in_schema=False)
    def docs_asset(name: str) -> Response:
        if name not in DOCS_FILES:  # the known files only, by exact name
            return Response("未找到", status_code=404, media_type="text/plain; charset=utf-8")
        return FileResponse(_docs_dir() / name, media_type=DOCS_FILES[name],
                            headers={"Cache-Control": "public, max-age=86400"})


__all__ = ["PAGE_CSP", "SecurityHeaders", "create_app"]
