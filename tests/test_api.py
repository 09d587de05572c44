"""The HTTP API (service/api/routes.py, service/app.py) on SQLite: every endpoint, every refusal, each
role's scope, a real sample package uploaded and checked by the in-process worker, the downloads
and the reviewers' marks in them.  tests/test_api_postgres.py runs the main flow on PostgreSQL
and imports the helpers defined here."""

from __future__ import annotations

import asyncio
import io
import re
import time
import uuid
import zipfile
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Iterator
from urllib.parse import unquote

import pytest
from docx import Document as WordDocument
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from service.auth import sessions as auth

from service.jobs import queue as jobs

from service.auth import users
from service.api.routes import content_disposition, download_filename
from service.app import create_app
from service.config import Limits
from service.store.db import AuditLog, Package
from service.jobs.queue import InProcessQueue

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
PASSWORD = "password-123"
# a defective hb_evaluation package; corpus/manifest.json plants these rules in it
DEFECTIVE_ZIP = "hb_eval_02.zip"
DEFECTIVE_ZIP_RULES = {"RATE.OUT_OF_RANGE", "FORMAT.PHONE_INVALID"}
# a folder package (nested folders); planted: RATE.MISMATCH, CROSSDOC.FIGURE_MISMATCH, SUM.TOTAL_MISMATCH
DEFECTIVE_FOLDER = "hb_eval_03"
DEFECTIVE_FOLDER_RULES = {"RATE.MISMATCH", "CROSSDOC.FIGURE_MISMATCH", "SUM.TOTAL_MISMATCH"}
PDF = (SAMPLES / "hn_bench_01" / "无事故及未列入失信黑名单证明.pdf").read_bytes()
FORMATS = ("html", "docx", "xlsx", "pdf")
MIME = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
MAGIC = {"html": b"<!DOCTYPE html", "docx": b"PK\x03\x04", "xlsx": b"PK\x03\x04", "pdf": b"%PDF-"}
CJK = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------- helpers (also used on PostgreSQL)


def sample_upload(name: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    """A sample package as multipart `files`: the zip itself, or the folder's files with relative names."""
    path = SAMPLES / name
    if path.is_file():
        return [("files", (path.name, path.read_bytes(), "application/zip"))]
    return [
        ("files", (f"{name}/{p.relative_to(path).as_posix()}", p.read_bytes(), "application/octet-stream"))
        for p in sorted(path.rglob("*"))
        if p.is_file()
    ]


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["access_token"]
    return {"Authorization": f"Bearer {body['access_token']}"}


def upload(client: TestClient, headers: dict[str, str], files: list, **fields: str):
    return client.post("/api/packages", headers=headers, files=files, data=fields)


def wait_done(client: TestClient, headers: dict[str, str], package_id: str, timeout: float = 180.0) -> dict[str, Any]:
    """Poll the status (without the report, as the page does) until the package is done or failed."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"/api/packages/{package_id}", headers=headers, params={"include_report": "false"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["report"] is None
        if body["status"] in ("done", "failed"):
            return body
        assert time.monotonic() < deadline, f"package still {body['status']} after {timeout}s"
        time.sleep(0.2)


def assert_chinese_detail(response, status: int, *fragments: str) -> str:
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and CJK.search(detail), detail
    for fragment in fragments:
        assert fragment in detail, detail
    return detail


def add_people(database) -> None:
    with database.session() as session:
        for name, role, city in PEOPLE:
            users.add_user(session, name, role, PASSWORD, city=city)


PEOPLE = [
    ("agency_wh", "agency", "武汉市"),
    ("agency_yc", "agency", "宜昌市"),
    ("city_wh", "city", "武汉市"),
    ("city_yc", "city", "宜昌市"),
    ("province", "province", None),
]


def pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def docx_text(data: bytes) -> str:
    doc = WordDocument(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def xlsx_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)


DOWNLOAD_TEXT = {"docx": docx_text, "xlsx": xlsx_text, "pdf": pdf_text}


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def service(service_settings) -> Iterator[SimpleNamespace]:
    """The app on a private SQLite database; `queue` is the in-process worker (not started)."""
    from service.store.db import get_database

    database = get_database()
    queue = InProcessQueue(database=database, settings=service_settings, poll_seconds=0.2)
    jobs.set_queue(queue)  # service_settings puts the previous queue back
    add_people(database)
    app = create_app(service_settings)
    with TestClient(app) as client:
        yield SimpleNamespace(client=client, app=app, database=database, queue=queue, settings=service_settings)
    queue.stop()


@pytest.fixture
def people(service) -> dict[str, dict[str, str]]:
    """username -> bearer headers."""
    return {name: login(service.client, name) for name, _, _ in PEOPLE}


@pytest.fixture
def checked(service, people) -> dict[str, str]:
    """Three checked packages: agency_wh's (武汉市), agency_yc's (宜昌市), city_wh's (武汉市)."""
    client = service.client
    ids = {}
    for who in ("agency_wh", "agency_yc", "city_wh"):
        response = upload(client, people[who], sample_upload(DEFECTIVE_ZIP))
        assert response.status_code == 202, response.text
        ids[who] = response.json()["id"]
    assert service.queue.run_until_idle() == 3
    return ids


def limited_client(service, **limits: int) -> TestClient:
    settings = replace(service.settings, limits=replace(Limits(), **limits))
    return TestClient(create_app(settings))


# ---------------------------------------------------------------- login


def test_token_login_and_me(service, people):
    response = service.client.get("/api/me", headers=people["city_wh"])
    assert response.json() == {"username": "city_wh", "role": "city", "city": "武汉市"}


@pytest.mark.parametrize("username,password", [("city_wh", "wrong-password"), ("nobody", PASSWORD), ("", "")])
def test_wrong_password_is_401_in_chinese(service, username, password):
    response = service.client.post("/api/auth/token", data={"username": username, "password": password})
    if username:
        assert_chinese_detail(response, 401, "用户名或密码错误")
        assert response.headers["www-authenticate"] == "Bearer"
    else:
        assert_chinese_detail(response, 422, "username")


ENDPOINTS = [
    ("get", "/api/me"),
    ("get", "/api/packages"),
    ("post", "/api/packages"),
    ("get", "/api/packages/{id}"),
    ("post", "/api/packages/{id}/recheck"),
    ("delete", "/api/packages/{id}"),
    ("patch", "/api/findings/0123456789ab"),
    *[("get", f"/api/packages/{{id}}/report.{fmt}") for fmt in FORMATS],
]


@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_missing_or_bad_token_is_401(service, method, path):
    path = path.format(id=uuid.uuid4())
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Cookie": f"{auth.SESSION_COOKIE}=forged"}):
        response = service.client.request(method, path, headers=headers)
        assert_chinese_detail(response, 401)


def test_disabled_user_cannot_log_in_and_its_token_stops_working(service, people):
    client = service.client
    assert client.get("/api/packages", headers=people["agency_wh"]).status_code == 200
    with service.database.session() as session:
        users.disable_user(session, "agency_wh")
    assert_chinese_detail(client.get("/api/packages", headers=people["agency_wh"]), 401, "停用")
    response = client.post("/api/auth/token", data={"username": "agency_wh", "password": PASSWORD})
    assert_chinese_detail(response, 401)


def test_expired_token_is_401(service):
    import jwt

    from service.store.db import utcnow

    with service.database.session() as session:
        user = users.get_user(session, "city_wh")
    claims = {"sub": str(user.id), "typ": "access", "exp": utcnow().timestamp() - 10}
    token = jwt.encode(claims, service.settings.secret_key, algorithm="HS256")
    response = service.client.get("/api/packages", headers={"Authorization": f"Bearer {token}"})
    assert_chinese_detail(response, 401)


# ---------------------------------------------------------------- upload to report


def test_upload_of_a_real_package_is_checked_in_the_background(service, people):
    client, headers = service.client, people["city_wh"]
    response = upload(client, headers, sample_upload(DEFECTIVE_ZIP))
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status"] == "queued" and accepted["name"] == DEFECTIVE_ZIP
    # accepted means stored: the blob is on disk before the worker has even started
    detail = client.get(f"/api/packages/{accepted['id']}", headers=headers).json()
    assert detail["status"] == "queued" and detail["report"] is None
    [stored] = detail["files"]
    assert stored["type"] == "zip" and (service.settings.blob_dir / stored["sha256"][:2] / stored["sha256"]).exists()

    service.queue.start()
    final = wait_done(client, headers, accepted["id"])
    assert final["status"] == "done", final["reason"]
    assert final["form"] == "hb_evaluation" and final["company"]
    assert final["city"] == "武汉市" and final["uploader"] == "city_wh"
    assert final["progress"]["total"] > 0 and final["progress"]["done"] == final["progress"]["total"]

    body = client.get(f"/api/packages/{accepted['id']}", headers=headers).json()
    report = body["report"]
    assert report["package"]["form"] == "hb_evaluation"
    assert DEFECTIVE_ZIP_RULES <= {f["rule"] for f in report["findings"]}
    assert all("mark" in f and f["mark"] is None for f in report["findings"])
    counts = body["counts"]
    assert counts == {s: report["summary"].get(s, 0) for s in ("veto", "error", "warning", "info")}
    assert counts["error"] >= 2


def test_folder_upload_with_relative_names(service, people):
    client, headers = service.client, people["agency_yc"]
    files = sample_upload(DEFECTIVE_FOLDER)
    assert len(files) > 2
    response = upload(client, headers, files, form="hb_evaluation")
    assert response.status_code == 202, response.text
    assert response.json()["name"] == DEFECTIVE_FOLDER
    service.queue.run_until_idle()
    body = client.get(f"/api/packages/{response.json()['id']}", headers=headers).json()
    assert body["status"] == "done" and body["form_hint"] == "hb_evaluation" and body["city"] == "宜昌市"
    assert DEFECTIVE_FOLDER_RULES <= {f["rule"] for f in body["report"]["findings"]}
    assert sorted(f["path"] for f in body["files"]) == sorted(name for _, (name, _, _) in files)


def test_same_file_uploaded_twice_is_stored_once(service, people):
    client = service.client
    first = upload(client, people["agency_wh"], sample_upload(DEFECTIVE_ZIP)).json()["id"]
    second = upload(client, people["agency_yc"], sample_upload(DEFECTIVE_ZIP)).json()["id"]
    sha_a = client.get(f"/api/packages/{first}", headers=people["agency_wh"]).json()["files"][0]["sha256"]
    sha_b = client.get(f"/api/packages/{second}", headers=people["agency_yc"]).json()["files"][0]["sha256"]
    assert sha_a == sha_b
    blobs = [p for p in service.settings.blob_dir.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert [p.name for p in blobs] == [sha_a]


# ---------------------------------------------------------------- upload refusals


def test_upload_refusals_in_chinese(service, people):
    client, headers = service.client, people["agency_wh"]
    docx = sample_upload(DEFECTIVE_FOLDER)[0][1]
    # nothing chosen
    response = client.post("/api/packages", headers=headers, files=[("city", (None, "武汉市"))])
    assert_chinese_detail(response, 400, "未选择任何文件")
    # not multipart at all
    assert_chinese_detail(client.post("/api/packages", headers=headers, json={"files": []}), 415, "multipart/form-data")
    # files under another field name
    response = client.post("/api/packages", headers=headers, files=[("file", ("a.pdf", PDF, "application/pdf"))])
    assert_chinese_detail(response, 400, "files")
    # unknown form
    assert_chinese_detail(upload(client, headers, [("files", ("a.pdf", PDF, "application/pdf"))], form="no_such_form"),
                          400, "未知申报类型")
    # empty file
    assert_chinese_detail(upload(client, headers, [("files", ("空.docx", b"", "application/octet-stream"))]), 400, "为空")
    # a city user uploading for another city; a province user uploading at all
    assert_chinese_detail(upload(client, people["city_wh"], [("files", docx)], city="宜昌市"), 403, "本市")
    assert_chinese_detail(upload(client, people["province"], [("files", docx)]), 403, "只读")
    # nothing was stored by any refused upload
    assert client.get("/api/packages", headers=people["province"]).json()["total"] == 0


def test_content_that_does_not_match_its_name(service, people):
    client, headers = service.client, people["agency_wh"]
    # text named .docx: nothing reviewable
    response = upload(client, headers, [("files", ("评价报告.docx", "这不是 Word 文件".encode(), "application/octet-stream"))])
    assert_chinese_detail(response, 415, "按内容识别")
    # a PDF named .docx is taken, as the PDF it is
    response = upload(client, headers, [("files", ("证明.docx", PDF, "application/octet-stream"))])
    assert response.status_code == 202, response.text
    body = client.get(f"/api/packages/{response.json()['id']}", headers=headers).json()
    assert [(f["path"], f["type"]) for f in body["files"]] == [("证明.docx", "pdf")]


def test_too_many_files(service, people):
    client = limited_client(service, max_files=3)
    headers = people["agency_wh"]
    four = [("files", (f"{i}.pdf", PDF, "application/pdf")) for i in range(4)]
    assert_chinese_detail(upload(client, headers, four), 413, "4 个文件", "上限 3 个")
    # far more than the limit: the parser stops counting early, the message stays Chinese
    many = [("files", (f"{i}.pdf", b"%PDF-1.4 x", "application/pdf")) for i in range(50)]
    assert_chinese_detail(upload(client, headers, many), 413, "上限 3 个")
    # and within the limit it is accepted
    assert upload(client, headers, four[:3]).status_code == 202
    # the members of an uploaded zip do not count (issue 8): the review reads them within its own limits
    archive = zip_bytes({f"{i}.pdf": PDF for i in range(4)})
    assert upload(client, headers, [("files", ("包.zip", archive, "application/zip"))]).status_code == 202


def test_too_large(service, people):
    headers = people["agency_wh"]
    client = limited_client(service, max_file_bytes=len(PDF) - 1)
    assert_chinese_detail(upload(client, headers, [("files", ("大.pdf", PDF, "application/pdf"))]), 413, "单个文件上限")
    client = limited_client(service, max_total_bytes=len(PDF) * 2 - 1)
    two = [("files", (f"{i}.pdf", PDF, "application/pdf")) for i in range(2)]
    assert_chinese_detail(upload(client, headers, two), 413, "总大小超过上限")
    # a body far beyond the limit (multipart framing allowance included) is refused as a whole
    client = limited_client(service, max_total_bytes=100_000)
    huge = [("files", ("大.pdf", PDF + b"\0" * 3 * 1024 * 1024, "application/pdf"))]
    assert_chinese_detail(upload(client, headers, huge), 413, "总大小超过上限")


def review_findings(service, headers, response) -> dict[tuple[str, str], str]:
    """The accepted upload reviewed: (rule, file) -> reason of its file-level findings."""
    assert response.status_code == 202, response.text
    package_id = response.json()["id"]
    service.queue.run_until_idle()
    body = service.client.get(f"/api/packages/{package_id}", headers=headers).json()
    assert body["status"] == "done", body["reason"]
    return {(f["rule"], f["evidence"].get("file")): f["evidence"].get("reason") for f in body["report"]["findings"]
            if f["rule"].startswith("FILE.")}


def test_zip_bomb_ratio(service, people):
    """Issue 8: a bomb in an upload is not a refusal; the review reports the member over the ratio limit."""
    bomb = zip_bytes({"报告.docx": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    headers = people["agency_wh"]
    response = upload(service.client, headers, [("files", ("申报材料.zip", bomb, "application/zip"))])
    reasons = review_findings(service, headers, response)
    assert "member_ratio" in reasons[("FILE.LIMIT_EXCEEDED", "报告.docx")]


def test_corrupt_archive(service, people):
    """Issue 8: a cut archive is accepted; the review recovers what it can from the local headers
    and reports the damaged member and the damaged directory."""
    archive = zip_bytes({"a.pdf": PDF})
    broken = archive[: len(archive) // 2] + b"PK\x05\x06" + b"\0" * 18
    headers = people["agency_wh"]
    reasons = review_findings(service, headers, upload(service.client, headers,
                                                        [("files", ("坏.zip", broken, "application/zip"))]))
    assert "不完整" in reasons[("FILE.UNREADABLE", "a.pdf")]
    assert "本地文件头" in reasons[("FILE.UNREADABLE", "坏.zip")]
    # with nothing recoverable in it, the upload is still refused
    response = upload(service.client, headers, [("files", ("空.zip", b"PK\x03\x04 broken", "application/zip"))])
    assert_chinese_detail(response, 415, "未发现可审查的文件")


def test_path_traversal_names_are_labels_never_paths(service, people):
    """Member and file names like ../../x are accepted as labels only: nothing lands outside."""
    client, headers = service.client, people["agency_wh"]
    target = f"evil-{uuid.uuid4().hex}.pdf"
    archive = zip_bytes({f"../../../../../../tmp/{target}": PDF, f"/{target}": PDF, f"..\\..\\{target}": PDF})
    response = upload(client, headers, [("files", ("../../申报材料.zip", archive, "application/zip")),
                                        ("files", (f"../../../{target}", PDF, "application/pdf"))])
    assert response.status_code == 202, response.text
    package_id = response.json()["id"]
    service.queue.run_until_idle()
    body = client.get(f"/api/packages/{package_id}", headers=headers).json()
    assert body["status"] == "done", body["reason"]
    assert sorted(f["path"] for f in body["files"]) == sorted(["申报材料.zip", target])
    assert not any(".." in f["path"] for f in body["report"]["package"]["files"])
    assert not Path("/tmp", target).exists() and not Path("/", target).exists()
    assert not any(p.name == target for p in service.settings.data_dir.parent.rglob(target))


# ---------------------------------------------------------------- streaming limits (ASGI level)


def _asgi_post(app, path: str, headers: dict[str, str], chunks: Iterator[bytes]) -> tuple[int, dict, int]:
    """POST through the raw ASGI interface; returns (status, json body, chunks the app received)."""
    consumed = 0

    async def receive() -> dict:
        nonlocal consumed
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        consumed += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    import json

    return start["status"], json.loads(body), consumed


def _endless_upload(chunk_bytes: int = 64 * 1024, chunks: int = 256) -> Iterator[bytes]:
    """A multipart body with one file far larger than any limit used here (16 MB, never finished:
    an app that read it all would hit the end of the stream and report the truncated part)."""
    yield (b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.pdf\"\r\n"
           b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n")
    block = b"x" * chunk_bytes
    for _ in range(chunks):
        yield block


def test_declared_oversize_body_is_refused_before_reading(service, people):
    app = create_app(replace(service.settings, limits=replace(Limits(), max_total_bytes=1024 * 1024)))
    headers = {**people["agency_wh"], "Content-Type": "multipart/form-data; boundary=b",
               "Content-Length": str(10 * 1024**3)}
    status, body, consumed = _asgi_post(app, "/api/packages", headers, _endless_upload())
    assert status == 413 and "总大小超过上限" in body["detail"]
    assert consumed == 0


def test_undeclared_oversize_body_is_cut_off_at_the_limit(service, people):
    limit = 1024 * 1024
    app = create_app(replace(service.settings, limits=replace(Limits(), max_total_bytes=limit)))
    headers = {**people["agency_wh"], "Content-Type": "multipart/form-data; boundary=b", "Transfer-Encoding": "chunked"}
    status, body, consumed = _asgi_post(app, "/api/packages", headers, _endless_upload(64 * 1024))
    assert status == 413 and "总大小超过上限" in body["detail"]
    from service.api.routes import MULTIPART_OVERHEAD

    assert consumed * 64 * 1024 <= limit + MULTIPART_OVERHEAD + 2 * 64 * 1024


def test_unauthenticated_upload_is_refused_before_reading(service):
    headers = {"Content-Type": "multipart/form-data; boundary=b", "Transfer-Encoding": "chunked"}
    status, body, consumed = _asgi_post(service.app, "/api/packages", headers, _endless_upload())
    assert status == 401 and CJK.search(body["detail"])
    assert consumed == 0


# ---------------------------------------------------------------- scope per role


VISIBLE = {
    "agency_wh": {"agency_wh"},
    "agency_yc": {"agency_yc"},
    "city_wh": {"agency_wh", "city_wh"},
    "city_yc": {"agency_yc"},
    "province": {"agency_wh", "agency_yc", "city_wh"},
}


@pytest.mark.parametrize("viewer", sorted(VISIBLE))
def test_each_role_sees_exactly_its_own(service, people, checked, viewer):
    client, headers = service.client, people[viewer]
    listed = client.get("/api/packages", headers=headers).json()
    expected = {checked[owner] for owner in VISIBLE[viewer]}
    assert {p["id"] for p in listed["items"]} == expected and listed["total"] == len(expected)

    some_finding: dict[str, str] = {}
    for owner, package_id in checked.items():
        with service.database.session() as session:
            report = session.get(Package, package_id).report_dict()
        some_finding[owner] = report["findings"][0]["id"]

    for owner, package_id in checked.items():
        requests = [
            ("get", f"/api/packages/{package_id}", None),
            *[("get", f"/api/packages/{package_id}/report.{fmt}", None) for fmt in FORMATS],
            ("post", f"/api/packages/{package_id}/recheck", None),
            ("delete", f"/api/packages/{package_id}", None),
            ("patch", f"/api/findings/{some_finding[owner]}", {"package_id": package_id, "status": "误报", "comment": ""}),
        ]
        for method, path, body in requests:
            if owner in VISIBLE[viewer]:
                if method == "get":
                    assert client.request(method, path, headers=headers).status_code == 200, path
                continue  # changes on visible packages are tested below
            response = client.request(method, path, headers=headers, json=body)
            assert_chinese_detail(response, 404, "未找到")


def test_unknown_and_malformed_ids_are_404(service, people):
    client, headers = service.client, people["province"]
    for path in (f"/api/packages/{uuid.uuid4()}", "/api/packages/not-a-uuid", "/api/packages/../etc/report.pdf"):
        assert_chinese_detail(client.get(path, headers=headers), 404)
    assert_chinese_detail(client.get("/api/no-such-endpoint", headers=headers), 404, "未找到")


def test_province_is_read_only(service, people, checked):
    client, headers = service.client, people["province"]
    package_id = checked["agency_wh"]
    finding = client.get(f"/api/packages/{package_id}", headers=headers).json()["report"]["findings"][0]["id"]
    response = client.patch(f"/api/findings/{finding}", headers=headers,
                            json={"package_id": package_id, "status": "已核实", "comment": "x"})
    assert_chinese_detail(response, 403, "只读")
    assert_chinese_detail(client.delete(f"/api/packages/{package_id}", headers=headers), 403, "只读")
    assert_chinese_detail(client.post(f"/api/packages/{package_id}/recheck", headers=headers), 403, "只读")
    # and nothing changed
    body = client.get(f"/api/packages/{package_id}", headers=headers).json()
    assert body["status"] == "done" and all(f["mark"] is None for f in body["report"]["findings"])


# ---------------------------------------------------------------- list


def test_list_filters_and_paging(service, people, checked):
    client, headers = service.client, people["province"]
    with service.database.session() as session:
        package = session.get(Package, checked["agency_yc"])
        company = package.company
        session.execute(Package.__table__.update().where(Package.id == checked["agency_yc"]).values(name="宜昌包"))
        session.commit()
    assert company

    def ids(**params: Any) -> list[str]:
        response = client.get("/api/packages", headers=headers, params=params)
        assert response.status_code == 200, response.text
        return [p["id"] for p in response.json()["items"]]

    assert set(ids(city="宜昌市")) == {checked["agency_yc"]}
    assert set(ids(status="done", form="hb_evaluation")) == set(checked.values())
    assert ids(status="queued") == [] and ids(form="hn_benchmark") == []
    assert ids(q="宜昌包") == [checked["agency_yc"]]
    assert set(ids(q=company[:4])) == set(checked.values())  # same sample, same company everywhere

    page1 = client.get("/api/packages", headers=headers, params={"per_page": 2, "page": 1}).json()
    page2 = client.get("/api/packages", headers=headers, params={"per_page": 2, "page": 2}).json()
    assert page1["total"] == page2["total"] == 3 and page1["pages"] == 2
    assert len(page1["items"]) == 2 and len(page2["items"]) == 1
    assert {p["id"] for p in page1["items"] + page2["items"]} == set(checked.values())

    item = page1["items"][0]
    assert set(item) >= {"id", "name", "status", "form", "company", "city", "uploader", "created_at", "counts"}
    assert set(item["counts"]) == {"veto", "error", "warning", "info"} and item["counts"]["error"] >= 2

    assert_chinese_detail(client.get("/api/packages", headers=headers, params={"status": "bogus"}), 400, "未知状态")
    assert_chinese_detail(client.get("/api/packages", headers=headers, params={"per_page": 1000}), 422, "per_page", "不大于 100")
    assert_chinese_detail(client.get("/api/packages", headers=headers, params={"page": "x"}), 422, "page", "整数")


# ---------------------------------------------------------------- downloads and marks


def test_downloads_have_type_name_and_body(service, people, checked):
    client, headers = service.client, people["city_wh"]
    package_id = checked["agency_wh"]
    for fmt in FORMATS:
        response = client.get(f"/api/packages/{package_id}/report.{fmt}", headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == MIME[fmt]
        assert response.content.startswith(MAGIC[fmt]) and len(response.content) > 1000
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment; filename=\"")
        utf8_name = unquote(disposition.split("filename*=UTF-8''", 1)[1])
        assert utf8_name == f"hb_eval_02-审查报告.{fmt}"
    with service.database.session() as session:
        logged = session.scalars(select(AuditLog.detail).where(AuditLog.action == "download",
                                                               AuditLog.package_id == package_id)).all()
    assert sorted(logged) == sorted(FORMATS)


def test_downloads_are_409_until_done(service, people):
    client, headers = service.client, people["agency_wh"]
    package_id = upload(client, headers, sample_upload(DEFECTIVE_ZIP)).json()["id"]
    for fmt in FORMATS:
        assert_chinese_detail(client.get(f"/api/packages/{package_id}/report.{fmt}", headers=headers), 409, "尚未完成")
    with service.database.session() as session:
        session.execute(Package.__table__.update().where(Package.id == package_id)
                        .values(status="failed", reason="文件无法读取"))
        session.commit()
    for fmt in FORMATS:
        response = client.get(f"/api/packages/{package_id}/report.{fmt}", headers=headers)
        assert_chinese_detail(response, 409, "审查失败", "文件无法读取")
    body = client.get(f"/api/packages/{package_id}", headers=headers).json()
    assert body["status"] == "failed" and body["reason"] == "文件无法读取" and body["report"] is None


def test_marks_show_in_report_json_and_downloads(service, people, checked):
    client, headers = service.client, people["city_wh"]
    package_id = checked["agency_wh"]
    findings = client.get(f"/api/packages/{package_id}", headers=headers).json()["report"]["findings"]
    first, second = findings[0]["id"], findings[1]["id"]

    response = client.patch(f"/api/findings/{first}", headers=headers,
                            json={"package_id": package_id, "status": "误报", "comment": "核对原件无误"})
    assert response.status_code == 200, response.text
    mark = response.json()
    assert mark["status"] == "误报" and mark["user"] == "city_wh" and mark["finding_id"] == first
    # the latest mark wins, by another reviewer in scope (the uploading agency)
    response = client.patch(f"/api/findings/{second}", headers=people["agency_wh"],
                            json={"package_id": package_id, "status": "待补正", "comment": "请补充证明材料"})
    assert response.status_code == 200, response.text

    report = client.get(f"/api/packages/{package_id}", headers=headers).json()["report"]
    marks = {f["id"]: f["mark"] for f in report["findings"]}
    assert marks[first]["status"] == "误报" and marks[first]["comment"] == "核对原件无误" and marks[first]["user"] == "city_wh"
    assert marks[second]["status"] == "待补正" and marks[second]["user"] == "agency_wh"
    assert sum(m is not None for m in marks.values()) == 2

    for fmt, text_of in DOWNLOAD_TEXT.items():
        data = client.get(f"/api/packages/{package_id}/report.{fmt}", headers=headers).content
        text = text_of(data)
        for expected in ("误报", "核对原件无误", "city_wh", "待补正", "请补充证明材料"):
            assert expected in text, (fmt, expected)

    # the other packages (same sample, same finding ids) are untouched
    other = client.get(f"/api/packages/{checked['city_wh']}", headers=headers).json()["report"]
    assert all(f["mark"] is None for f in other["findings"])


def test_mark_refusals(service, people, checked):
    client, headers = service.client, people["city_wh"]
    package_id = checked["agency_wh"]
    finding = client.get(f"/api/packages/{package_id}", headers=headers).json()["report"]["findings"][0]["id"]
    path = f"/api/findings/{finding}"
    assert_chinese_detail(client.patch(path, headers=headers, json={"package_id": package_id, "status": "通过"}),
                          400, "已核实")
    assert_chinese_detail(client.patch(path, headers=headers, json={"status": "误报"}), 422, "package_id", "缺失")
    assert_chinese_detail(client.patch(path, headers=headers, content=b"{"), 422)
    assert_chinese_detail(client.patch("/api/findings/ffffffffffff", headers=headers,
                                       json={"package_id": package_id, "status": "误报"}), 404, "审查发现")
    long = {"package_id": package_id, "status": "误报", "comment": "长" * 2001}
    assert_chinese_detail(client.patch(path, headers=headers, json=long), 400, "过长")


# ---------------------------------------------------------------- recheck and delete


def test_recheck(service, people, checked):
    client, headers = service.client, people["agency_wh"]
    package_id = checked["agency_wh"]
    response = client.post(f"/api/packages/{package_id}/recheck", headers=headers)
    assert response.status_code == 202 and response.json()["status"] == "queued"
    body = client.get(f"/api/packages/{package_id}", headers=headers).json()
    assert body["status"] == "queued" and body["report"] is None
    assert_chinese_detail(client.post(f"/api/packages/{package_id}/recheck", headers=headers), 409, "审查中")
    assert service.queue.run_until_idle() == 1
    body = client.get(f"/api/packages/{package_id}", headers=headers).json()
    assert body["status"] == "done" and DEFECTIVE_ZIP_RULES <= {f["rule"] for f in body["report"]["findings"]}


def test_delete_removes_files_and_results(service, people, checked):
    client = service.client
    package_id = checked["city_wh"]
    sha = client.get(f"/api/packages/{package_id}", headers=people["city_wh"]).json()["files"][0]["sha256"]
    # upload something no other package holds, so its blob must go
    own = upload(client, people["city_wh"], [("files", ("证明.pdf", PDF, "application/pdf"))]).json()["id"]
    own_sha = client.get(f"/api/packages/{own}", headers=people["city_wh"]).json()["files"][0]["sha256"]
    blob = lambda digest: service.settings.blob_dir / digest[:2] / digest  # noqa: E731
    assert blob(own_sha).exists()

    for package in (package_id, own):
        response = client.delete(f"/api/packages/{package}", headers=people["city_wh"])
        assert response.status_code == 204 and response.content == b""
        assert_chinese_detail(client.get(f"/api/packages/{package}", headers=people["city_wh"]), 404)
        assert_chinese_detail(client.get(f"/api/packages/{package}/report.pdf", headers=people["province"]), 404)
    assert not blob(own_sha).exists()
    assert blob(sha).exists()  # still held by the other packages of the same sample
    listed = {p["id"] for p in client.get("/api/packages", headers=people["province"]).json()["items"]}
    assert listed == {checked["agency_wh"], checked["agency_yc"]}
    with service.database.session() as session:
        package = session.get(Package, package_id)
        assert package.report is None and package.deleted_at is not None


# ---------------------------------------------------------------- session cookie (the web page)


def test_session_cookie_works_and_changes_need_the_csrf_token(service, people, checked):
    with service.database.session() as session:
        user = users.get_user(session, "city_wh")
    cookie = auth.create_session_cookie(user, service.settings)
    client = TestClient(service.app, cookies={auth.SESSION_COOKIE: cookie})
    assert client.get("/api/me").json()["username"] == "city_wh"
    package_id = checked["agency_wh"]
    report = client.get(f"/api/packages/{package_id}").json()["report"]
    path, body = f"/api/findings/{report['findings'][0]['id']}", {"package_id": package_id, "status": "已核实"}
    assert_chinese_detail(client.patch(path, json=body), 403, "CSRF")
    assert_chinese_detail(client.patch(path, json=body, headers={"X-CSRF-Token": "0" * 64}), 403, "CSRF")
    assert_chinese_detail(upload(client, {}, [("files", ("a.pdf", PDF, "application/pdf"))]), 403, "CSRF")
    response = client.patch(path, json=body, headers={"X-CSRF-Token": auth.csrf_token(cookie, service.settings)})
    assert response.status_code == 200 and response.json()["user"] == "city_wh"


# ---------------------------------------------------------------- documentation


def test_openapi_documents_every_endpoint_in_chinese(service):
    spec = service.client.get("/openapi.json").json()
    paths = spec["paths"]
    expected = {
        ("post", "/api/auth/token"), ("get", "/api/packages"), ("post", "/api/packages"),
        ("get", "/api/packages/{package_id}"), ("post", "/api/packages/{package_id}/recheck"),
        ("delete", "/api/packages/{package_id}"), ("patch", "/api/findings/{finding_id}"),
        *{("get", f"/api/packages/{{package_id}}/report.{fmt}") for fmt in FORMATS},
    }
    for method, path in expected:
        operation = paths[path][method]
        assert CJK.search(operation["summary"]) and CJK.search(operation["description"]), (method, path)
    upload_body = paths["/api/packages"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert upload_body["properties"]["files"]["items"]["format"] == "binary"
    assert "202" in paths["/api/packages"]["post"]["responses"]
    assert "application/pdf" in paths["/api/packages/{package_id}/report.pdf"]["get"]["responses"]["200"]["content"]
    mark_schema = spec["components"]["schemas"]["MarkIn"]
    assert "package_id" in mark_schema["required"] and mark_schema["properties"]["status"]["enum"] == ["已核实", "误报", "待补正"]
    assert service.client.get("/docs").status_code == 200


def test_content_disposition_is_rfc5987():
    name = download_filename("湖北宏泰 评价报告.zip", "docx")
    assert name == "湖北宏泰 评价报告-审查报告.docx"
    header = content_disposition(name)
    ascii_part, utf8_part = header.split("; filename*=UTF-8''")
    assert ascii_part == 'attachment; filename="shencha-report.docx"'
    assert unquote(utf8_part) == name and all(ord(c) < 128 and c not in ' ";' for c in utf8_part)
    assert content_disposition('a"b;c.pdf').startswith('attachment; filename="a_b_c.pdf"')
