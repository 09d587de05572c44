"""The web service locked down (issue 8), through the real app with FastAPI's TestClient on a
private SQLite data dir: login throttling (per account and per address, with the `limits`
library, in memory and in Redis), the bound on parallel password hashing, the audit trail of
failed logins, server-side logout, CSRF on the login form and never in a URL, the security
headers, API docs without a CDN, bounded numeric parameters, and the city an upload is filed
under."""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import replace
from typing import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.auth import sessions as auth

from service.domain import packages

from service.auth import users
from service.app import create_app
from service.store.db import AuditLog, Package
from service.jobs.queue import InProcessQueue
from tests.test_api import PDF, PASSWORD, add_people, assert_chinese_detail, login, upload

CJK = re.compile(r"[\u4e00-\u9fff]")
HUGE = "9223372036854775807"


@pytest.fixture
def make_app(service_settings):
    """make_app(**settings overrides) -> the app on the test's data dir, with one user per role."""
    from service.store.db import get_database

    database = get_database()
    add_people(database)

    def make(**overrides):
        return create_app(replace(service_settings, **overrides))

    return make


@pytest.fixture
def client(make_app) -> Iterator[TestClient]:
    with TestClient(make_app(), follow_redirects=False) as c:
        yield c


def token_login(client: TestClient, username: str, password: str):
    return client.post("/api/auth/token", data={"username": username, "password": password})


def login_csrf(client: TestClient) -> str:
    page = client.get("/login")
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    assert match, "no CSRF field on the login page"
    return match.group(1)


def page_login(client: TestClient, username: str, password: str = PASSWORD):
    return client.post("/login", data={"username": username, "password": password, "next": "/packages",
                                       "csrf": login_csrf(client)})


def page_csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def audit_rows(database, action: str) -> list[AuditLog]:
    with database.session() as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


# ---------------------------------------------------------------- throttling


def test_nth_wrong_login_is_429_in_chinese_and_the_right_password_too(make_app):
    app = make_app(login_account_limit="3 per 15 minutes")
    with TestClient(app) as client:
        for _ in range(3):
            assert_chinese_detail(token_login(client, "city_wh", "wrong-password"), 401, "用户名或密码错误")
        refused = token_login(client, "city_wh", "wrong-password")
        assert_chinese_detail(refused, 429, "登录失败次数过多", "分钟后再试")
        assert 1 <= int(refused.headers["retry-after"]) <= 15 * 60
        # throttled: the right password is refused too, without being looked at
        assert_chinese_detail(token_login(client, "city_wh", PASSWORD), 429, "登录失败次数过多")
        # another account from the same address is not locked by this one's failures
        assert token_login(client, "city_yc", PASSWORD).status_code == 200

    # the login page says it too (a fresh app: its own throttle)
    with TestClient(make_app(login_account_limit="2 per 15 minutes"), follow_redirects=False) as client:
        for _ in range(2):
            assert page_login(client, "city_wh", "wrong-password").status_code == 401
        page = page_login(client, "city_wh", PASSWORD)
        assert page.status_code == 429 and "登录失败次数过多" in page.text and page.headers["retry-after"]
        assert auth.SESSION_COOKIE not in page.headers.get("set-cookie", "")


def test_wrong_logins_are_throttled_per_address_too(make_app):
    with TestClient(make_app(login_address_limit="4 per 15 minutes")) as client:
        for n in range(4):  # a different guessed account each time: only the address links them
            assert token_login(client, f"guess{n}", "password").status_code == 401
        assert_chinese_detail(token_login(client, "guess9", "password"), 429, "登录失败次数过多")
        assert_chinese_detail(token_login(client, "city_wh", PASSWORD), 429)


def test_throttle_in_redis_is_shared_by_every_process(make_app):
    """With SHENCHA_LOGIN_LIMIT_STORAGE=redis://… two servers count the same failures."""
    storage = "redis://127.0.0.1:6379"
    name = f"nobody-{uuid.uuid4().hex[:12]}"  # a key of this test alone in the shared Redis
    first = make_app(login_limit_storage=storage, login_account_limit="2 per 15 minutes")
    second = make_app(login_limit_storage=storage, login_account_limit="2 per 15 minutes")
    try:
        with TestClient(first) as a, TestClient(second) as b:
            assert token_login(a, name, "x").status_code == 401
            assert token_login(b, name, "x").status_code == 401
            assert_chinese_detail(token_login(a, name, "x"), 429)
            assert_chinese_detail(token_login(b, name, "x"), 429)
    finally:
        for item in first.state.login_guard.per_account:
            first.state.login_guard.limiter.clear(item, "shencha-login", "account", name)
        for item in first.state.login_guard.per_address:
            first.state.login_guard.limiter.clear(item, "shencha-login", "address", "testclient")


def test_parallel_logins_are_bounded_by_the_hash_gate(make_app, monkeypatch):
    """Concurrency 1 and a queue of 1: with one hash running and one waiting, every further login
    is refused at once (503, Chinese, Retry-After) without hashing; when they finish, logins work."""
    app = make_app(hash_concurrency=1, hash_queue=1, hash_wait_seconds=60)
    gate: auth.HashGate = app.state.login_guard.gate
    assert gate.capacity == 2

    hashing = threading.Semaphore(0)  # released once per hash that starts
    release = threading.Event()
    real_verify = auth.verify_password

    def blocked_verify(password: str, password_hash: str) -> bool:
        hashing.release()
        assert release.wait(60), "the test never released the hashes"
        return real_verify(password, password_hash)

    monkeypatch.setattr(auth, "verify_password", blocked_verify)
    statuses: list[int] = []
    with TestClient(app) as client:

        def attempt() -> None:
            statuses.append(token_login(client, "city_wh", PASSWORD).status_code)

        first = threading.Thread(target=attempt)
        first.start()
        assert hashing.acquire(timeout=60)  # one hash running
        second = threading.Thread(target=attempt)
        second.start()
        for _ in range(600):  # the second admitted and waiting for the slot
            if gate.admitted == 2:
                break
            threading.Event().wait(0.05)
        assert gate.admitted == 2

        burst = [threading.Thread(target=attempt) for _ in range(20)]
        for t in burst:
            t.start()
        for t in burst:
            t.join(60)
        assert statuses.count(503) == 20 and gate.admitted == 2
        refused = token_login(client, "city_wh", PASSWORD)
        assert_chinese_detail(refused, 503, "服务繁忙")
        assert int(refused.headers["retry-after"]) >= 1

        release.set()
        first.join(60)
        second.join(60)
        assert sorted(statuses) == [200, 200] + [503] * 20
        assert gate.admitted == 0
        assert token_login(client, "city_wh", PASSWORD).status_code == 200


def test_hash_gate_never_admits_more_than_its_capacity():
    gate = auth.HashGate(concurrency=2, queue=3, wait_seconds=0.01)
    with gate.slot(), gate.slot():
        assert gate.admitted == 2
        # no free slot: the waiting ones give up after wait_seconds, and nothing beyond the queue waits
        with pytest.raises(auth.LoginRefused) as info:
            with gate.slot():
                pass
        assert info.value.status_code == 503
    assert gate.admitted == 0


# ---------------------------------------------------------------- audit


def test_failed_logins_are_audited_with_name_address_and_reason(make_app):
    from service.store.db import get_database

    database = get_database()
    with TestClient(make_app(), follow_redirects=False) as client:
        token_login(client, "city_wh", "wrong-password")
        token_login(client, "no-such-person", "whatever")
        page_login(client, "city_wh", "wrong-again")
        assert token_login(client, "city_wh", PASSWORD).status_code == 200
    failed = audit_rows(database, "login_failed")
    assert len(failed) == 3
    details = [row.detail for row in failed]
    assert all("testclient" in d for d in details)
    assert "账号「city_wh」" in details[0] and "密码错误" in details[0]
    assert "账号「no-such-person」" in details[1] and "账号不存在" in details[1] and failed[1].user_id is None
    assert "密码错误" in details[2]
    with database.session() as session:
        city_wh = users.get_user(session, "city_wh")
    assert failed[0].user_id == city_wh.id
    assert [row.user_id for row in audit_rows(database, "login")] == [city_wh.id]


# ---------------------------------------------------------------- sessions


def test_after_logout_the_old_cookie_is_refused(make_app):
    app = make_app()
    with TestClient(app, follow_redirects=False) as browser:
        assert page_login(browser, "city_wh").status_code == 303
        cookie = browser.cookies.get(auth.SESSION_COOKIE)
        page = browser.get("/packages")
        assert page.status_code == 200
        assert browser.post("/logout", data={"csrf": page_csrf(page.text)}).status_code == 303
    # a copy of the old cookie (as an attacker who stole it would replay it) no longer works
    with TestClient(app, follow_redirects=False, cookies={auth.SESSION_COOKIE: cookie}) as replay:
        r = replay.get("/packages")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        assert_chinese_detail(replay.get("/api/me"), 401)


def test_api_logout_revokes_tokens_and_a_password_change_ends_sessions(make_app):
    from service.store.db import get_database

    app = make_app()
    with TestClient(app, follow_redirects=False) as client:
        headers = login(client, "agency_wh")
        assert client.get("/api/me", headers=headers).status_code == 200
        assert client.post("/api/auth/logout", headers=headers).status_code == 204
        assert_chinese_detail(client.get("/api/me", headers=headers), 401)
        assert client.get("/api/me", headers=login(client, "agency_wh")).status_code == 200

        headers = login(client, "agency_yc")
        assert page_login(client, "agency_yc").status_code == 303
        with get_database().session() as session:
            users.set_password(session, "agency_yc", "a-new-password-1")
        assert_chinese_detail(client.get("/api/me", headers=headers), 401)
        assert client.get("/packages").status_code == 303


def test_login_post_without_csrf_is_403(make_app):
    with TestClient(make_app(), follow_redirects=False) as client:
        for fields in ({}, {"csrf": "0" * 64}):
            r = client.post("/login", data={"username": "city_wh", "password": PASSWORD, "next": "/packages", **fields})
            assert r.status_code == 403 and "登录页面已过期" in r.text
            assert auth.SESSION_COOKIE not in r.headers.get("set-cookie", "")
        # the field of one browser's cookie does not work with another's
        other = TestClient(client.app)
        stolen_field = login_csrf(other)
        login_csrf(client)
        r = client.post("/login", data={"username": "city_wh", "password": PASSWORD, "csrf": stolen_field})
        assert r.status_code == 403
        assert page_login(client, "city_wh").status_code == 303


def test_the_csrf_token_never_appears_in_a_url(make_app):
    app = make_app()
    settings = app.state.settings
    with TestClient(app, follow_redirects=False) as browser:
        page_login(browser, "agency_wh")
        pages = [browser.get(path).text for path in ("/packages", "/upload")]
        token = page_csrf(pages[1])
        for html in pages:
            # every form that carries the token posts it in the body
            for form in re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S):
                if 'name="csrf"' in form:
                    assert re.search(r'method="post"', form), form[:200]
            assert "?csrf=" not in html and "&csrf=" not in html and "&amp;csrf=" not in html
            for url in re.findall(r'(?:href|action|src)="([^"]*)"', html):
                assert token not in url and "csrf" not in url
        # the query string is not accepted as a token either
        r = browser.post(f"/upload?csrf={token}", files=[("files", ("a.pdf", PDF, "application/pdf"))],
                         headers={"Accept": "application/json"})
        assert r.status_code == 403
        # a plain form (no script) posts the hidden field: accepted
        r = browser.post("/upload", files=[("files", ("a.pdf", PDF, "application/pdf"))], data={"csrf": token},
                         headers={"Accept": "application/json"})
        assert r.status_code == 202, r.text
        assert auth.check_csrf(browser.cookies.get(auth.SESSION_COOKIE), token, settings)


# ---------------------------------------------------------------- headers


def assert_security_headers(response) -> None:
    headers = response.headers
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp or "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    script_src = re.search(r"script-src ([^;]*)", csp)
    assert script_src is None or "'unsafe-inline'" not in script_src.group(1)
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in ("same-origin", "no-referrer")


def test_security_headers_on_every_response_and_no_store_on_reports(make_app, service_settings):
    from service.store.db import get_database

    app = make_app()
    with TestClient(app, follow_redirects=False) as client:
        headers = login(client, "agency_wh")
        accepted = upload(client, headers, [("files", ("a.pdf", PDF, "application/pdf"))])
        assert accepted.status_code == 202, accepted.text
        package_id = accepted.json()["id"]
        InProcessQueue(database=get_database(), settings=service_settings).run_until_idle()

        anonymous = [client.get("/login"), client.get("/static/web.js"), client.get("/nowhere"),
                     client.get("/api/me"), client.put("/api/me"), client.get("/openapi.json")]
        for response in anonymous:
            assert_security_headers(response)
        assert client.get("/login").headers["cache-control"] == "no-store"

        for fmt in ("html", "docx", "xlsx", "pdf"):
            report = client.get(f"/api/packages/{package_id}/report.{fmt}", headers=headers)
            assert report.status_code == 200, report.text
            assert_security_headers(report)
            assert report.headers["cache-control"] == "no-store"
            assert "sandbox" in report.headers["content-security-policy"]
        detail = client.get(f"/api/packages/{package_id}", headers=headers)
        assert detail.headers["cache-control"] == "no-store"

        page_login(client, "agency_wh")
        for path in ("/packages", "/upload", f"/packages/{package_id}"):
            page = client.get(path)
            assert page.status_code == 200
            assert_security_headers(page)
            assert page.headers["cache-control"] == "no-store"
            # the policy allows no inline script or style: the pages have none
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text), path
            assert not re.search(r"\sstyle=", page.text) and "<style" not in page.text, path
            assert not re.search(r"\son[a-z]+=", page.text), path


def test_405_names_every_method_of_the_path(client):
    r = client.put("/api/packages/00000000-0000-0000-0000-000000000000")
    assert r.status_code == 405 and set(r.headers["allow"].split(", ")) == {"GET", "DELETE"}
    assert_chinese_detail(r, 405)
    r = client.delete("/api/packages")
    assert r.status_code == 405 and set(r.headers["allow"].split(", ")) == {"GET", "POST"}


# ---------------------------------------------------------------- API docs


def test_docs_make_no_cdn_reference(make_app):
    with TestClient(make_app()) as client:
        for path in ("/docs", "/redoc"):
            page = client.get(path)
            assert page.status_code == 200
            assert not re.search(r"https?://", page.text), path
            for url in re.findall(r'(?:src|href)="([^"]+)"', page.text):
                assert url.startswith("/"), url
                assert client.get(url).status_code == 200, url
            assert "cdn" not in page.headers["content-security-policy"]
        assert client.get("/openapi.json").status_code == 200
    with TestClient(make_app(api_docs=False)) as client:
        assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
        assert client.get("/openapi.json").status_code == 200


# ---------------------------------------------------------------- bad parameters


def test_huge_page_is_4xx(make_app, service_settings):
    from service.store.db import get_database

    with TestClient(make_app(), follow_redirects=False) as client:
        headers = login(client, "province")
        for params in ({"page": HUGE}, {"page": "0"}, {"page": "-1"}, {"per_page": HUGE}, {"page": "1e999"}):
            refused = client.get("/api/packages", headers=headers, params=params)
            assert_chinese_detail(refused, 422)
            assert all("input" not in error for error in refused.json()["errors"])  # nothing sent is echoed
        assert client.get("/api/packages", headers=headers, params={"page": str(packages.MAX_PAGE)}).status_code == 200
        page_login(client, "province")
        r = client.get("/packages", params={"page": HUGE})
        assert 400 <= r.status_code < 500
    with get_database().session() as session:
        province = users.get_user(session, "province")
        with pytest.raises(packages.Refusal) as info:
            packages.list_packages(session, province, page=int(HUGE))
        assert info.value.status_code == 400 and CJK.search(info.value.message)


# ---------------------------------------------------------------- scope


def test_agency_cannot_file_a_package_under_another_city(make_app):
    from service.store.db import get_database

    with TestClient(make_app(), follow_redirects=False) as client:
        agency = login(client, "agency_wh")  # 武汉市
        pdf = [("files", ("a.pdf", PDF, "application/pdf"))]
        assert_chinese_detail(upload(client, agency, pdf, city="宜昌市"), 403, "武汉市", "宜昌市")
        own = upload(client, agency, pdf, city="武汉市")
        default = upload(client, agency, pdf)
        assert own.status_code == default.status_code == 202
        with get_database().session() as session:
            cities = {session.get(Package, r.json()["id"]).city for r in (own, default)}
        assert cities == {"武汉市"}
        # nothing reached the other city's view
        listed = client.get("/api/packages", headers=login(client, "city_yc")).json()
        assert listed["total"] == 0
        # the page refuses the same way
        page_login(client, "agency_wh")
        token = page_csrf(client.get("/upload").text)
        r = client.post("/upload", files=pdf, data={"city": "宜昌市"},
                        headers={"X-CSRF-Token": token, "Accept": "application/json"})
        assert r.status_code == 403 and "宜昌市" in r.json()["detail"]

    # an agency account without a city cannot name one
    with get_database().session() as session:
        loner = users.add_user(session, "agency_nocity", "agency", PASSWORD)
        with pytest.raises(packages.Refusal) as info:
            packages.create_package(session, loner, [("a.pdf", PDF)], city="宜昌市")
        assert info.value.status_code == 403 and "未设置所属城市" in info.value.message

