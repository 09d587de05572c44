"""The reviewers' web pages through FastAPI's TestClient: login, list, upload, report, marks, roles.

Checking runs in the real worker code (`InProcessQueue.run_until_idle`) on sample packages from
corpus/samples, so the report page is tested on real reports, not on hand-made JSON.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from service.reports.scoring import keys_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
MANIFEST = json.loads((ROOT / "corpus" / "manifest.json").read_text(encoding="utf-8"))
PASSWORD = "password-123"


def expected_keys(package: str) -> list[dict[str, str]]:
    return next(e["expected"] for e in MANIFEST if e["package"] == package)


@pytest.fixture
def web(service_settings):
    """(client factory, database, run_jobs): the app on a private SQLite data dir with one user per role."""
    from service.auth import users
    from service.app import create_app
    from service.store.db import get_database
    from service.jobs.queue import InProcessQueue

    database = get_database()
    with database.session() as session:
        users.add_user(session, "agency1", "agency", PASSWORD, city="武汉市")
        users.add_user(session, "agency2", "agency", PASSWORD, city="襄阳市")
        users.add_user(session, "wuhan", "city", PASSWORD, city="武汉市")
        users.add_user(session, "xiangyang", "city", PASSWORD, city="襄阳市")
        users.add_user(session, "prov", "province", PASSWORD)
    app = create_app(service_settings)
    clients: list[TestClient] = []

    def client(username: str | None = None) -> TestClient:
        c = TestClient(app, follow_redirects=False)
        clients.append(c)
        if username:
            r = post_login(c, username=username, password=PASSWORD, next="/packages")
            assert r.status_code == 303, r.text
            assert r.headers["location"] == "/packages"
        return c

    def run_jobs() -> int:
        return InProcessQueue(database=database, settings=service_settings).run_until_idle()

    yield client, database, run_jobs
    for c in clients:
        c.close()


def post_login(c: TestClient, **fields: str):
    """The login form as a browser posts it: the page first (its pre-session CSRF cookie and field)."""
    page = c.get("/login")
    return c.post("/login", data={**fields, "csrf": csrf_of(page.text)})


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html) or re.search(r'data-csrf="([0-9a-f]{64})"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def text_of(html: str) -> str:
    """The page's visible text, roughly: tags dropped, entities decoded, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def upload(client: TestClient, files: list[tuple[str, bytes]], city: str = "", form: str = "", as_json: bool = True):
    page = client.get("/upload")
    assert page.status_code == 200
    token = csrf_of(page.text)
    headers = {"X-CSRF-Token": token}
    if as_json:
        headers["Accept"] = "application/json"
    return client.post(
        "/upload",
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
        data={"city": city, "form": form},
        headers=headers,
    )


def sample(name: str) -> list[tuple[str, bytes]]:
    path = SAMPLES / name
    if path.is_file():
        return [(path.name, path.read_bytes())]
    return [(f"{path.name}/{p.relative_to(path).as_posix()}", p.read_bytes()) for p in sorted(path.rglob("*")) if p.is_file()]


def uploaded(client: TestClient, name: str, city: str = "") -> str:
    r = upload(client, sample(name), city=city)
    assert r.status_code == 202, r.text
    return r.json()["id"]


# ---------------------------------------------------------------- login


def test_pages_need_login_and_redirect_back(web):
    client, _db, _run = web
    anonymous = client()
    r = anonymous.get("/packages?status=done")
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=")
    assert "%2Fpackages%3Fstatus%3Ddone" in r.headers["location"]
    assert anonymous.get("/").headers["location"] == "/login"
    login = anonymous.get("/login")
    assert login.status_code == 200 and "登录" in login.text and 'name="password"' in login.text
    r = post_login(anonymous, username="wuhan", password=PASSWORD, next="/packages?status=done")
    assert r.status_code == 303 and r.headers["location"] == "/packages?status=done"
    cookie = r.headers["set-cookie"]
    assert "shencha_session=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert anonymous.get("/packages").status_code == 200


def test_wrong_password_is_refused_in_chinese(web):
    client, _db, _run = web
    c = client()
    r = post_login(c, username="wuhan", password="wrong-password", next="/packages")
    assert r.status_code == 401
    assert "用户名或密码错误" in r.text
    assert "shencha_session" not in r.headers.get("set-cookie", "")
    assert c.get("/packages").status_code == 303


def test_login_never_redirects_off_site(web):
    client, _db, _run = web
    r = post_login(client(), username="wuhan", password=PASSWORD, next="//evil.example/x")
    assert r.headers["location"] == "/packages"


def test_forged_session_cookie_is_no_login(web):
    client, _db, _run = web
    c = client()
    c.cookies.set("shencha_session", "eyJ1aWQiOjF9.forged.signature")
    assert c.get("/packages").status_code == 303


def test_logout_needs_the_token_and_ends_the_session(web):
    client, _db, _run = web
    c = client("wuhan")
    page = c.get("/packages").text
    assert c.post("/logout", data={"csrf": "0" * 64}).status_code == 403
    r = c.post("/logout", data={"csrf": csrf_of(page)})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert c.get("/packages").status_code == 303


def test_disabled_user_loses_the_session(web):
    client, database, _run = web
    from service.auth import users
    c = client("agency1")
    assert c.get("/packages").status_code == 200
    with database.session() as session:
        users.disable_user(session, "agency1")
    assert c.get("/packages").status_code == 303


# ---------------------------------------------------------------- upload, progress, report


def test_upload_flow_progress_then_report(web):
    client, _db, run_jobs = web
    c = client("agency1")
    package_id = uploaded(c, "hb_eval_11.zip")

    # accepted and queued, not checked inside the request
    progress = c.get(f"/web/packages/{package_id}/progress").json()
    assert progress["status"] == "queued" and progress["status_label"] == "排队中"
    assert progress["url"] == f"/packages/{package_id}"
    page = c.get(f"/packages/{package_id}")
    assert page.status_code == 200
    assert 'data-progress="/web/packages/' in page.text and "排队等待审查" in page.text
    listing = c.get("/packages").text
    assert "hb_eval_11.zip" in listing and 'data-status="queued"' in listing

    assert run_jobs() == 1
    progress = c.get(f"/web/packages/{package_id}/progress").json()
    assert progress["status"] == "done" and progress["counts"]["error"] >= 3
    statuses = c.get(f"/web/status?ids={package_id}").json()["packages"]
    assert statuses[package_id]["status"] == "done"

    html = c.get(f"/packages/{package_id}").text
    text = text_of(html)
    assert "审查报告" in text and "湖北省工业固体废物资源综合利用评价" in text
    # every planted defect of the sample shows with its key
    for exp in expected_keys("hb_eval_11.zip"):
        assert exp["rule"] in text
        assert all(k in text for k in keys_of(exp))
    # the arithmetic, the source text and the place of a finding
    assert re.search(r"分项合计 152214\.22 \+ 60613\.92 \+ 201958\.11 = 414786\.25 吨", text)
    assert 'class="quote"' in html
    assert "附件3 工业固体废物资源综合利用情况年报表.docx" in text and re.search(r"表\d+ 第\d+行第\d+列", text)
    # the list now shows the counts
    listing = c.get("/packages").text
    assert 'data-status="done"' in listing and "已完成" in listing


def test_report_page_structure_tables_and_charts(web):
    client, _db, run_jobs = web
    c = client("agency1")
    package_id = uploaded(c, "hb_eval_11.zip")
    run_jobs()
    html = c.get(f"/packages/{package_id}").text
    # summary counts link to their groups; groups ordered by severity
    assert re.search(r'<a class="count error" href="#g-error"><b>[1-9]\d*</b>错误</a>', html)
    # grouped by file under the severity
    assert re.search(r'id="g-error">\s*<h3>错误（\d+）</h3>\s*<h4>', html)
    # tables: the cells findings point at are highlighted and linked to the finding
    highlighted = re.findall(r'<t[dh] id="(t\d+-r\d+c\d+)"[^>]* class="hl (veto|error|warning|info)" title="审查发现：([0-9a-f]{12})', html)
    assert highlighted
    cell, _sev, finding = highlighted[0]
    assert f'id="f-{finding}"' in html
    # a location link points at a highlighted cell that exists on the page
    links = set(re.findall(r'data-cell="(t\d+-r\d+c\d+)"', html))
    assert links & {h[0] for h in highlighted}
    # material balance charts for each waste type of the balance table, as inline SVG
    assert html.count('<figure class="chart balance-chart">') == 3
    for waste in ("尾矿", "磷石膏", "粉煤灰"):
        assert f"<b>{waste}</b> 物料平衡" in html
    assert "<svg" in html and "产生" in html and "利用" in html and "期末贮存" in html
    # no script or style from anywhere but this server
    assert not re.search(r'(src|href)="(https?:)?//', html)
    # downloads through the API (which takes the session cookie)
    for fmt in ("html", "docx", "xlsx", "pdf"):
        assert f'href="/api/packages/{package_id}/report.{fmt}"' in html
    r = c.get(f"/api/packages/{package_id}/report.xlsx")
    assert r.status_code == 200 and r.content.startswith(b"PK")


def test_balance_chart_geometry_matches_the_figures():
    from service.web.pages import BAR_LEFT, BAR_SPAN, balance_charts

    q = lambda v: {"value": v, "unit": "吨", "source_unit": "吨", "scale": "1", "decimals": 2}  # noqa: E731
    fields = {
        "waste_use": [{"name": "煤矸石", "generated": q("100.00"), "received": q("0.00"), "utilized": q("80.00")},
                      {"name": "尾矿", "generated": q("50.00"), "received": q("50.00"), "utilized": q("100.00")}],
        "balance": [{"name": "尾矿", "opening": q("10.00"), "generated": q("50.00"), "received": q("50.00"),
                     "utilized": q("90.00"), "disposed": q("5.00"), "closing": q("5.00")}],
    }
    charts = {c["name"]: c for c in balance_charts(fields)}
    # the balance table wins over the basic-information table for the same waste
    tail = charts["尾矿"]
    assert tail["source"] == "物料平衡表"
    assert [s["label"] for s in tail["sides"][0]["segments"]] == ["期初贮存", "产生", "接收"]
    assert [s["label"] for s in tail["sides"][1]["segments"]] == ["利用", "处置", "期末贮存"]
    assert tail["difference"] == 10 and tail["difference_text"] == "10.00 吨"
    # the longer side spans the whole bar; the other is in proportion
    assert tail["sides"][0]["end"] == BAR_LEFT + BAR_SPAN
    assert tail["sides"][1]["end"] == pytest.approx(BAR_LEFT + BAR_SPAN * 100 / 110, abs=0.2)
    gangue = charts["煤矸石"]
    assert gangue["source"] == "基本情况表"
    assert [s["label"] for s in gangue["sides"][1]["segments"]] == ["利用"]
    assert gangue["sides"][0]["segments"][0]["text"] == "产生 100.00 吨"


def test_trend_chart_for_year_on_year_indicators(web):
    client, _db, run_jobs = web
    c = client("agency1")
    package_id = uploaded(c, "hn_bench_08.zip")
    run_jobs()
    html = c.get(f"/packages/{package_id}").text
    assert '<figure class="chart trend-chart">' in html
    assert "2023年" in html and "2024年" in html  # 前一年度 / 上年度 of the form
    # figures shown in the unit the form wrote them in (万元), with the change as written
    assert "76,893.76 万元" in html and "74,978.25 万元" in html
    assert "减少1,915.51万元" in html
    for exp in expected_keys("hn_bench_08.zip"):
        assert all(k in text_of(html) for k in keys_of(exp))


def test_upload_refusals_are_shown_in_chinese(web):
    client, _db, _run = web
    c = client("agency1")
    r = upload(c, [("说明.txt", "只是一段文字".encode())])
    assert r.status_code == 415 and "未发现可审查的文件" in r.json()["detail"]
    r = upload(c, [("", b"")])  # what a browser sends for an empty file input
    assert r.status_code == 400 and "未选择任何文件" in r.json()["detail"]
    r = upload(c, [("坏.zip", b"PK\x03\x04 this is not really a zip")])
    assert r.status_code in (400, 415) and re.search(r"[\u4e00-\u9fff]", r.json()["detail"])
    r = upload(c, sample("hb_eval_11.zip"), form="no_such_form")
    assert r.status_code == 400 and "未知申报类型" in r.json()["detail"]
    # without the script: the upload page again, with the message
    r = upload(c, [("说明.txt", "只是一段文字".encode())], as_json=False)
    assert r.status_code == 415 and "未发现可审查的文件" in text_of(r.text) and 'id="upload-form"' in r.text


def test_upload_without_the_token_is_refused(web):
    client, _db, _run = web
    c = client("agency1")
    r = c.post("/upload", files=[("files", ("a.zip", (SAMPLES / "hb_eval_11.zip").read_bytes()))],
               headers={"Accept": "application/json"})
    assert r.status_code == 403 and "刷新页面" in r.json()["detail"]


def test_upload_without_script_redirects_to_the_package(web):
    client, _db, _run = web
    c = client("wuhan")
    r = upload(c, sample("hb_eval_11.zip"), as_json=False)
    assert r.status_code == 303 and re.fullmatch(r"/packages/[0-9a-f-]{36}", r.headers["location"])
    # a city user's upload belongs to the city
    assert "武汉市" in c.get(r.headers["location"]).text


# ---------------------------------------------------------------- marks


def test_marking_a_finding_shows_who_and_when(web):
    client, _db, run_jobs = web
    c = client("wuhan")
    package_id = uploaded(c, "hb_eval_11.zip")
    run_jobs()
    html = c.get(f"/packages/{package_id}").text
    finding = re.search(r'id="f-([0-9a-f]{12})"', html).group(1)
    r = c.post(f"/packages/{package_id}/findings/{finding}/mark",
               data={"status": "误报", "comment": "年报表合计含往年结转", "csrf": csrf_of(html)})
    assert r.status_code == 303 and r.headers["location"] == f"/packages/{package_id}#f-{finding}"
    html = c.get(f"/packages/{package_id}").text
    card = html[html.index(f'id="f-{finding}"'):]
    card = card[: card.index("</article>")]
    assert "mark-误报" in html
    assert re.search(r"<b>误报</b> · wuhan · \d{4}-\d\d-\d\d \d\d:\d\d：年报表合计含往年结转", card)
    assert "人工标记：已核实 0 · 误报 1 · 待补正 0" in text_of(html)
    # the mark reaches the API's report too
    api = c.get(f"/api/packages/{package_id}").json()
    marked = next(f for f in api["report"]["findings"] if f["id"] == finding)
    assert marked["mark"]["status"] == "误报" and marked["mark"]["user"] == "wuhan"


def test_marking_refusals(web):
    client, _db, run_jobs = web
    c = client("wuhan")
    package_id = uploaded(c, "hb_eval_11.zip")
    run_jobs()
    html = c.get(f"/packages/{package_id}").text
    finding = re.search(r'id="f-([0-9a-f]{12})"', html).group(1)
    url = f"/packages/{package_id}/findings/{finding}/mark"
    r = c.post(url, data={"status": "已核实", "comment": "", "csrf": "f" * 64})
    assert r.status_code == 403 and "刷新页面" in r.text
    r = c.post(url, data={"status": "通过", "comment": "", "csrf": csrf_of(html)})
    assert r.status_code == 400 and "已核实、误报、待补正" in text_of(r.text)
    r = c.post(f"/packages/{package_id}/findings/000000000000/mark", data={"status": "已核实", "csrf": csrf_of(html)})
    assert r.status_code == 404 and "未找到该审查发现" in r.text


# ---------------------------------------------------------------- roles


def test_each_role_sees_exactly_its_own(web):
    client, _db, run_jobs = web
    a1, a2, wuhan, xiangyang, prov = (client(u) for u in ("agency1", "agency2", "wuhan", "xiangyang", "prov"))
    p_a1 = uploaded(a1, "hb_eval_11.zip")  # agency1's city: 武汉市
    p_a2 = uploaded(a2, "hb_eval_12.zip")  # agency2's city: 襄阳市
    run_jobs()

    def listed(c: TestClient) -> set[str]:
        return set(re.findall(r'<tr data-id="([0-9a-f-]{36})"', c.get("/packages").text))

    assert listed(a1) == {p_a1}
    assert listed(a2) == {p_a2}
    assert listed(wuhan) == {p_a1}
    assert listed(xiangyang) == {p_a2}
    assert listed(prov) == {p_a1, p_a2}
    # outside the scope: 404, the same page as for a package that does not exist
    for c, other in ((a1, p_a2), (a2, p_a1), (wuhan, p_a2), (xiangyang, p_a1)):
        r = c.get(f"/packages/{other}")
        assert r.status_code == 404 and "未找到该申报包" in r.text
        assert c.get(f"/web/packages/{other}/progress").status_code == 404
        assert c.get(f"/web/status?ids={other}").json() == {"packages": {}}
        assert c.get(f"/api/packages/{other}/report.pdf").status_code == 404
    assert a1.get("/packages/00000000-0000-0000-0000-000000000000").status_code == 404
    # a city filter cannot widen a city user's view
    assert set(re.findall(r'<tr data-id="([0-9a-f-]{36})"', wuhan.get("/packages?city=襄阳市").text)) == set()


def test_province_is_read_only(web):
    client, _db, run_jobs = web
    owner, prov = client("agency1"), client("prov")
    package_id = uploaded(owner, "hb_eval_11.zip")
    run_jobs()
    html = prov.get(f"/packages/{package_id}").text
    assert "审查报告" in html and 'id="f-' in html
    # no buttons to change anything
    assert "mark-form" not in html and "/delete" not in html and "/recheck" not in html
    assert "只读" in html
    assert 'href="/upload"' not in prov.get("/packages").text
    r = prov.get("/upload")
    assert r.status_code == 403 and "只读" in r.text
    # and the server refuses anyway, in Chinese
    token = csrf_of(html)
    finding = re.search(r'id="f-([0-9a-f]{12})"', html).group(1)
    r = prov.post(f"/packages/{package_id}/findings/{finding}/mark", data={"status": "已核实", "csrf": token})
    assert r.status_code == 403 and "省级账号为只读审计" in r.text
    r = prov.post(f"/packages/{package_id}/delete", data={"csrf": token})
    assert r.status_code == 403 and "不能删除申报包" in r.text
    r = prov.post(f"/packages/{package_id}/recheck", data={"csrf": token})
    assert r.status_code == 403
    r = prov.post("/upload", files=[("files", ("a.zip", (SAMPLES / "hb_eval_11.zip").read_bytes()))],
                  headers={"Accept": "application/json", "X-CSRF-Token": token})
    assert r.status_code == 403 and "只读" in r.json()["detail"]
    assert owner.get(f"/packages/{package_id}").status_code == 200


def test_delete_and_recheck_from_the_page(web):
    client, _db, run_jobs = web
    c = client("agency1")
    package_id = uploaded(c, "hb_eval_11.zip")
    run_jobs()
    html = c.get(f"/packages/{package_id}").text
    token = csrf_of(html)
    r = c.post(f"/packages/{package_id}/recheck", data={"csrf": token})
    assert r.status_code == 303
    assert c.get(f"/web/packages/{package_id}/progress").json()["status"] == "queued"
    r = c.post(f"/packages/{package_id}/recheck", data={"csrf": token})
    assert r.status_code == 409 and "正在审查中" in r.text
    run_jobs()
    assert c.post(f"/packages/{package_id}/delete", data={"csrf": "0" * 64}).status_code == 403
    r = c.post(f"/packages/{package_id}/delete", data={"csrf": token})
    assert r.status_code == 303 and r.headers["location"] == "/packages"
    assert c.get(f"/packages/{package_id}").status_code == 404
    assert package_id not in c.get("/packages").text


def test_list_filters_and_paging(web, monkeypatch):
    client, _db, run_jobs = web
    c = client("agency1")
    ids = [uploaded(c, "hb_eval_11.zip") for _ in range(3)]
    run_jobs()
    failing = uploaded(c, "hn_bench_08.zip")
    html = c.get("/packages?status=queued").text
    assert set(re.findall(r'<tr data-id="([0-9a-f-]{36})"', html)) == {failing}
    html = c.get("/packages?form=hb_evaluation").text
    assert set(re.findall(r'<tr data-id="([0-9a-f-]{36})"', html)) == set(ids)
    assert "武汉楚峰" in c.get("/packages?q=武汉楚峰").text
    assert re.findall(r'<tr data-id=', c.get("/packages?q=不存在的企业").text) == []
    assert "没有符合条件的申报包" in c.get("/packages?q=不存在的企业").text

    import service.web.pages as web_module
    from service.domain import packages as service_packages
    real = service_packages.list_packages
    monkeypatch.setattr(web_module.packages, "list_packages",
                        lambda s, u, f, page=1, per_page=20: real(s, u, f, page=page, per_page=2))
    first = c.get("/packages").text
    assert "共 4 个，第 1/2 页" in text_of(first) and "page=2" in first
    second = c.get("/packages?page=2").text
    assert "第 2/2 页" in text_of(second) and "上一页" in second
    assert set(re.findall(r'<tr data-id="([0-9a-f-]{36})"', first)).isdisjoint(
        re.findall(r'<tr data-id="([0-9a-f-]{36})"', second))


def test_static_assets_are_served_locally_and_only_those(web):
    client, _db, _run = web
    c = client()
    css = c.get("/static/web.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    js = c.get("/static/web.js")
    assert js.status_code == 200 and "XMLHttpRequest" in js.text
    assert c.get("/static/..%2Fweb.py").status_code == 404
    assert c.get("/static/nothing.css").status_code == 404
    # nothing fetched from elsewhere: no remote fonts, images or scripts
    assert "url(" not in css.text and "@import" not in css.text
    assert not re.search(r"https?://", js.text)


# ---------------------------------------------------------------- how the pages meet a reviewer


def test_upload_page_states_formats_and_limits(web, monkeypatch):
    import dataclasses

    import service.web.pages as web_module
    from extractor.limits import ReadLimits
    from service.config import Limits

    client, _db, _run = web
    c = client("agency1")
    mib = 1024**2
    # the limits in force, not fixed wording: the app's settings and the reading limits
    c.app.state.settings = dataclasses.replace(
        c.app.state.settings,
        limits=Limits(max_files=37, max_total_bytes=250 * mib, max_file_bytes=20 * mib, max_zip_ratio=50,
                      max_expanded_bytes=2048 * mib))
    monkeypatch.setattr(web_module, "get_limits", lambda: ReadLimits(file_pages=1234, file_seconds=90.0))
    page = c.get("/upload")
    assert page.status_code == 200 and 'id="upload-rules"' in page.text
    text = text_of(page.text)
    for fmt in ("Word（.docx）", "Excel（.xlsx）", "PDF", "图片", ".zip 压缩包", ".doc", ".wps", ".xls"):
        assert fmt in text, fmt
    assert "一次最多 37 个文件" in text
    assert "单个文件不超过 20 MB，全部文件合计不超过 250 MB" in text
    assert "压缩包解压后合计不超过 2 GB，压缩比不超过 50 倍" in text
    assert "每个文件最多读取 1,234 页（或工作表）、2,000,000 个表格单元格，读取时间不超过 90 秒" in text
    # a refused upload comes back to the same page, rules included
    r = upload(c, [("说明.txt", "只是一段文字".encode())], as_json=False)
    assert r.status_code == 415 and "一次最多 37 个文件" in text_of(r.text)


def test_province_account_is_told_how_uploads_work(web):
    client, _db, _run = web
    prov = client("prov")
    text = text_of(prov.get("/packages").text)
    assert "只读" in text and "评价机构账号（agency）或市级审查账号（city）" in text
    assert "shencha users add jigou1 --role agency --city 武汉市 --password-stdin" in text
    r = prov.get("/upload")
    assert r.status_code == 403 and "shencha users add" in text_of(r.text)
    # uploading accounts do not get the note
    assert "account-help" not in client("agency1").get("/packages").text


LONG_NAME = "湖北省某某循环经济产业园有限公司二〇二四年度工业固体废物资源综合利用评价申报材料（第二次补正后的完整版本）.zip"
LIST_LABELS = ["申报包", "企业", "城市", "申报类型", "状态", "否决", "错误", "警告", "提示", "上传人", "上传时间"]


def test_package_list_has_responsive_layout_hooks(web):
    client, _db, run_jobs = web
    c = client("agency1")
    r = upload(c, [(LONG_NAME, (SAMPLES / "hb_eval_11.zip").read_bytes())])
    assert r.status_code == 202, r.text
    run_jobs()
    html = c.get("/packages").text
    # fixed column shares, one hook per column
    assert re.search(r'<table class="packages"[^>]*>\s*<colgroup>', html)
    assert re.findall(r'<col class="(c-[a-z]+)">', html) == ["c-name", "c-company", "c-city", "c-form", "c-status"] + [
        "c-count"] * 4 + ["c-uploader", "c-time"]
    row = re.search(r'<tr data-id="[0-9a-f-]{36}".*?</tr>', html, re.S).group(0)
    # each cell carries its label for the card layout on a tablet; long texts carry their whole text as a title
    assert re.findall(r'data-label="([^"]+)"', row) == LIST_LABELS
    assert f'<a class="clamp" href="/packages/' in row and f'title="{LONG_NAME}">{LONG_NAME}</a>' in row
    assert re.search(r'<td class="company" data-label="企业"><span class="clamp" data-field="company" title="([^"]+)">\1</span></td>', row)
    css = c.get("/static/web.css").text
    assert "table.packages { width: 100%; table-layout: fixed; }" in css
    assert ".clamp { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; overflow: hidden; }" in css
    assert "text-overflow: ellipsis" in css
    assert "@media (max-width: 900px)" in css and "content: attr(data-label)" in css


def test_report_page_shows_rule_titles_and_chinese_evidence(web):
    from checkers.registry import RULES

    client, _db, run_jobs = web
    c = client("agency1")
    package_id = uploaded(c, "hb_eval_11.zip")
    run_jobs()
    html = c.get(f"/packages/{package_id}").text
    codes = set(re.findall(r'<span class="code mono">([A-Z_.]+)</span>', html))
    assert "SUM.TOTAL_MISMATCH" in codes
    for code in codes:
        assert f'<span class="code mono">{code}</span> <span class="rule-title">{RULES[code].title}</span>' in html
    # the 合计 finding: Chinese labels, its figures in 吨 as its message writes them, with separators
    assert "<tr><th>分项之和</th><td>414,786.25 吨</td></tr>" in html
    assert "<th>items_sum</th>" not in html and "<th>tolerance</th>" not in html


def test_html_download_names_the_package_as_the_page_does(web):
    from urllib.parse import unquote

    client, _db, run_jobs = web
    c = client("agency1")
    name = "湖北:评价?.zip"  # the worker stores it as 湖北_评价_.zip; the reviewer knows it by this name
    r = upload(c, [(name, (SAMPLES / "hb_eval_11.zip").read_bytes())])
    assert r.status_code == 202, r.text
    package_id = r.json()["id"]
    run_jobs()

    def heading(html: str) -> str:
        return unescape(re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)).strip()

    def title(html: str) -> str:
        return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1)).strip()

    page = c.get(f"/packages/{package_id}").text
    download = c.get(f"/api/packages/{package_id}/report.html")
    assert download.status_code == 200
    assert heading(page) == heading(download.text) == title(download.text) == f"审查报告 — {name}"
    assert title(page).startswith(f"审查报告 — {name}")
    for fmt in ("html", "pdf"):
        disposition = c.get(f"/api/packages/{package_id}/report.{fmt}").headers["content-disposition"]
        assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"湖北:评价?-审查报告.{fmt}"
