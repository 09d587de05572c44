"""The FastAPI application: the HTTP API (`service.api`) and the reviewers' web pages (`service.web`).

`create_app(settings)` wires the shared objects into `app.state`, where the routes of both
routers find them: `settings`, `database` (at schema head) and `store` (the blob store).  The
background worker is not started here: `shencha serve` starts the in-process worker (or none,
with `SHENCHA_WORKER=none`) and installs it with `jobs.set_queue`, so the app only submits jobs
through `jobs.get_queue()` and never runs a check inside a request.
"""

from __future__ import annotations

import importlib
import importlib.util

from fastapi import FastAPI

from service import api
from service.config import Settings, ensure_data_dir, get_settings
from service.db import get_database
from service.report import package_version
from service.storage import BlobStore

DESCRIPTION = """
审查（Shencha）申报材料审查服务的接口。

* 登录：`POST /api/auth/token`（用户名、密码）取得访问令牌，之后的请求带 `Authorization: Bearer <令牌>`。
* 上传申报包后在后台审查；`GET /api/packages/{id}` 查看进度和审查报告；报告可下载为 HTML、DOCX、XLSX、PDF。
* 角色：评价机构（agency）只能看到自己上传的申报包；市级审查（city）看到本市的申报包；
  省级审计（province）看到全部但只读。不在可见范围内的申报包一律返回 404。
* 所有错误的 `detail` 为中文说明。
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    ensure_data_dir(settings)
    app = FastAPI(
        title="审查 Shencha 申报材料审查服务",
        description=DESCRIPTION,
        version=package_version(),
        openapi_tags=[
            {"name": "登录", "description": "访问令牌"},
            {"name": "申报包", "description": "上传、查询、重新审查、删除"},
            {"name": "审查报告下载", "description": "HTML、DOCX、XLSX、PDF 格式的审查报告"},
            {"name": "审查发现", "description": "审查人员对审查发现的标记"},
        ],
    )
    app.state.settings = settings
    app.state.database = get_database(settings.database_url)
    app.state.store = BlobStore(settings.blob_dir)
    api.install_error_handlers(app)
    app.include_router(api.router)
    _include_web(app)
    return app


def _include_web(app: FastAPI) -> None:
    # The pages are written separately (service/web.py); the API must keep working on its own
    # while that module does not exist yet.  A web.py that exists but fails to import is an
    # error, not a reason to serve without pages.
    if importlib.util.find_spec("service.web") is None:
        return
    web = importlib.import_module("service.web")
    app.include_router(web.router)


__all__ = ["create_app"]
