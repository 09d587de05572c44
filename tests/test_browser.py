"""The web page in a real browser: Debian's Chromium, headless, driven by Selenium.

The real app runs as `shencha serve` (uvicorn, in-process worker) in a subprocess on a free
localhost port with its own data dir; the user is created with `shencha users add`.  The test
logs in, uploads a defective sample package from corpus/samples, waits for the report page and
reads a planted finding there, then marks it.  A screenshot of the report is left in /tmp.
The first-run account flow (a province account learns that uploads need an agency account, and
how to create one) and the package list at 1024 px and on a tablet are checked too.

Chromium and chromedriver come from Debian (`scripts/setup.sh` installs `chromium` and
`chromium-driver`); nothing is downloaded.  The test does not skip: a missing browser fails it.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "hb_eval_09.zip"  # planted: BALANCE.UTILIZATION_EXCEEDS_SUPPLY 尾矿, ID.USCC_INVALID
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOT = Path(tempfile.gettempdir()) / "shencha-browser-report.png"
PASSWORD = "browser-pass-1"
ADMIN = "admin"  # the first province account, as the first-run message names it
LONG_NAME = "湖北省某某循环经济产业园有限公司二〇二四年度工业固体废物资源综合利用评价申报材料（第二次补正后的完整版本）"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1800", "--lang=zh-CN",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shencha(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    """`shencha ARGS` as an administrator runs it on the server."""
    return subprocess.run([sys.executable, "-m", "service.cli", *args], input=stdin, text=True, capture_output=True,
                          env=env, cwd=ROOT, timeout=120)


def service_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHENCHA_")}
    env.update(SHENCHA_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT), SHENCHA_JOB_HEARTBEAT_SECONDS="1")
    return env


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"shencha serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the server did not answer {url} within {seconds} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("browser-data")
    env = service_env(data_dir)
    cli = [sys.executable, "-m", "service.cli"]
    for account in (["reviewer", "--role", "city", "--city", "武汉市"], [ADMIN, "--role", "province"]):
        added = shencha(["users", "add", *account, "--password-stdin"], env, PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
    port = free_port()
    log = open(data_dir / "server.log", "wb")
    proc = subprocess.Popen(cli + ["serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/login", proc)
        yield base, env
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert Path(CHROMIUM).exists(), "chromium is missing: run scripts/setup.sh (Debian package chromium)"
    assert Path(CHROMEDRIVER).exists(), "chromedriver is missing: run scripts/setup.sh (Debian package chromium-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def planted(package: str) -> list[dict[str, str]]:
    manifest = json.loads((ROOT / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    return next(e["expected"] for e in manifest if e["package"] == package)


def test_upload_in_chromium_and_read_a_finding(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    server, _env = server
    wait = WebDriverWait(browser, 30)

    # log in; the list page follows
    browser.get(f"{server}/packages")
    wait.until(EC.url_contains("/login"))
    browser.find_element(By.NAME, "username").send_keys("reviewer")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]").click()
    wait.until(EC.url_matches(r"/packages$"))
    assert "申报包" in browser.find_element(By.TAG_NAME, "h1").text
    assert "reviewer" in browser.find_element(By.CSS_SELECTOR, ".top .user").text

    browser.get(f"{server}/upload")
    # the drop zone takes dropped files (a synthetic drop of an in-page file)
    browser.execute_script(
        """const dt = new DataTransfer();
           dt.items.add(new File(["x"], "拖入的文件.docx"));
           const zone = document.getElementById("dropzone");
           zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
           zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));"""
    )
    assert "拖入的文件.docx" in browser.find_element(By.ID, "chosen").text
    # the real upload goes through the ordinary file input (which replaces the dropped file)
    browser.find_element(By.ID, "file-input").send_keys(str(ROOT / "corpus" / "samples" / SAMPLE))
    assert SAMPLE in browser.find_element(By.ID, "chosen").text
    browser.find_element(By.ID, "upload-button").click()

    # upload progress, then checking progress, then the report page
    WebDriverWait(browser, 180).until(EC.presence_of_element_located((By.ID, "findings")))
    assert re.search(r"/packages/[0-9a-f-]{36}$", browser.current_url)
    assert "审查报告" in browser.find_element(By.TAG_NAME, "h1").text

    # a planted finding is on the page, with its message, source text and place
    expected = next(e for e in planted(SAMPLE) if e["rule"] == "BALANCE.UTILIZATION_EXCEEDS_SUPPLY")
    cards = [c for c in browser.find_elements(By.CSS_SELECTOR, "article.finding")
             if expected["rule"] in c.find_element(By.CSS_SELECTOR, ".rule").text]
    assert cards, "the planted finding is not on the report page"
    card = cards[0]
    message = card.find_element(By.CSS_SELECTOR, ".message").text
    assert all(k in message for k in (expected.get("keys") or [expected["key"]]))
    assert card.find_elements(By.CSS_SELECTOR, ".where li")
    counts = {el.get_attribute("class").split()[1]: int(el.find_element(By.TAG_NAME, "b").text)
              for el in browser.find_elements(By.CSS_SELECTOR, ".summary .count")}
    assert counts["error"] + counts["veto"] >= 1
    assert browser.find_elements(By.CSS_SELECTOR, "figure.balance-chart svg rect")
    assert browser.find_elements(By.CSS_SELECTOR, "table.grid td.hl, table.grid th.hl")
    browser.save_screenshot(str(SCREENSHOT))

    # mark it; the page comes back with the mark, who made it and the comment
    finding_id = card.get_attribute("data-finding")
    card.find_element(By.CSS_SELECTOR, "input[type=radio][value='已核实']").click()
    card.find_element(By.CSS_SELECTOR, "input[name=comment]").send_keys("已电话核实企业")
    card.find_element(By.CSS_SELECTOR, ".mark-form button[type=submit]").click()
    # the form posts and the page comes back: an element read while the old page unloads can make
    # chromedriver answer "unhandled inspector error" instead of "no such element"; both mean
    # "not yet"
    from selenium.common.exceptions import WebDriverException

    after_post = WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,))
    after_post.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, f"#f-{finding_id} .mark-info"), "已电话核实企业"))
    info = browser.find_element(By.CSS_SELECTOR, f"#f-{finding_id} .mark-info").text
    assert info.startswith("已核实 · reviewer · ")

    # the list shows the package as done with its counts
    browser.get(f"{server}/packages")
    row = browser.find_element(By.CSS_SELECTOR, "tr[data-id]")
    assert row.get_attribute("data-status") == "done"
    assert "已完成" in row.text


def log_in(browser, server: str, username: str, password: str = PASSWORD) -> None:
    """A fresh login through the form (cookies of an earlier user dropped first)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{server}/login")
    browser.delete_all_cookies()
    browser.get(f"{server}/login")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]").click()
    WebDriverWait(browser, 30).until(EC.url_matches(r"/packages$"))
    assert username in browser.find_element(By.CSS_SELECTOR, ".top .user").text


def test_first_run_province_account_learns_how_to_create_an_uploading_account(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    server, env = server
    log_in(browser, server, ADMIN)
    # read-only: no upload link, and the list says why and how to get an account that uploads
    assert not browser.find_elements(By.CSS_SELECTOR, "a[href='/upload']")
    help_text = browser.find_element(By.ID, "account-help").text
    assert "只读" in help_text and "评价机构账号（agency）或市级审查账号（city）" in help_text
    command = re.search(r"shencha users add (\S+) --role agency --city (\S+) --password-stdin", help_text)
    assert command, help_text
    browser.get(f"{server}/upload")
    assert "shencha users add" in browser.find_element(By.CSS_SELECTOR, "main").text

    # the administrator runs the command the page shows; the new agency account can upload
    username, city = command.groups()
    added = shencha(["users", "add", username, "--role", "agency", "--city", city, "--password-stdin"], env,
                    PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    browser.get(f"{server}/packages")
    browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button[type=submit]").click()
    WebDriverWait(browser, 30).until(EC.url_contains("/login"))
    log_in(browser, server, username)
    assert not browser.find_elements(By.ID, "account-help")
    browser.find_element(By.CSS_SELECTOR, ".top nav a[href='/upload']").click()
    rules = WebDriverWait(browser, 30).until(EC.visibility_of_element_located((By.ID, "upload-rules"))).text
    assert "Word（.docx）" in rules and ".zip" in rules and "一次最多" in rules and "MB" in rules
    assert browser.find_element(By.NAME, "city").get_attribute("value") == city


def _viewport(browser, width: int, height: int = 1000) -> None:
    """The page laid out exactly `width` CSS pixels wide (the window, and the viewport through
    the DevTools protocol, so window decorations cannot change the width)."""
    browser.set_window_size(width, height)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def _overflow(browser) -> dict:
    return browser.execute_script(
        """const table = document.querySelector("table.packages");
           return {scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
                   inner: window.innerWidth, tableRight: table.getBoundingClientRect().right,
                   rowDisplay: getComputedStyle(table.querySelector("tbody tr")).display,
                   cellDisplays: [...new Set([...table.querySelectorAll("tbody td")].map(
                       (td) => getComputedStyle(td).display))]};""")


def test_package_list_fits_1024_px_and_a_tablet(server, browser, tmp_path):
    from docx import Document
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    server, _env = server
    # a package with a long name, so the list has something that could widen it
    path = tmp_path / f"{LONG_NAME}.docx"
    doc = Document()
    doc.add_paragraph("湖北省工业固体废物资源综合利用评价报告")
    doc.save(path)
    log_in(browser, server, "reviewer")
    browser.get(f"{server}/upload")
    browser.find_element(By.ID, "file-input").send_keys(str(path))
    browser.find_element(By.ID, "upload-button").click()
    WebDriverWait(browser, 180).until(EC.presence_of_element_located((By.ID, "findings")))

    try:
        _viewport(browser, 1024)
        browser.get(f"{server}/packages")
        link = browser.find_element(By.CSS_SELECTOR, f"td.name a[title='{LONG_NAME}.docx']")
        shape = _overflow(browser)
        assert shape["inner"] == 1024, shape
        assert shape["scroll"] <= 1024 and shape["scroll"] <= shape["client"], shape  # no sideways scrolling
        assert shape["tableRight"] <= shape["client"], shape
        assert shape["rowDisplay"] == "table-row" and shape["cellDisplays"] == ["table-cell"], shape  # a real grid
        # the long name is clamped to a few lines, the whole name in its title
        lines = browser.execute_script(
            "const s = getComputedStyle(arguments[0]); return arguments[0].clientHeight / parseFloat(s.lineHeight);", link)
        assert lines <= 3.5, lines
        browser.save_screenshot(str(Path(tempfile.gettempdir()) / "shencha-browser-list-1024.png"))

        _viewport(browser, 768)
        browser.get(f"{server}/packages")
        shape = _overflow(browser)
        assert shape["inner"] == 768 and shape["scroll"] <= 768, shape
        assert shape["rowDisplay"] == "grid", shape  # one card per package on a tablet
        assert not browser.find_element(By.CSS_SELECTOR, "table.packages thead").is_displayed()
        browser.save_screenshot(str(Path(tempfile.gettempdir()) / "shencha-browser-list-768.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.set_window_size(1400, 1800)


def test_province_reads_copied_text_side_by_side_on_the_audit_page(server, browser, tmp_path):
    """Issue 11: two packages of different companies, one with paragraphs copied from the other;
    checked by the running service, which compares them as each check ends; the province's
    审计 page in the browser shows the signal with the two texts side by side, the edits marked."""
    import httpx
    from selenium.webdriver.common.by import By

    from corpus.generate.audit_batch import build

    server, _env = server
    out = tmp_path / "batch"
    build(out)
    token = httpx.post(f"{server}/api/auth/token", data={"username": "reviewer", "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    ids = []
    for name in ("hn_bench_02", "hn_bench_03"):
        folder = out / name
        files = [("files", (f"{name}/{p.relative_to(folder).as_posix()}", p.read_bytes(), "application/octet-stream"))
                 for p in sorted(folder.rglob("*")) if p.is_file()]
        response = httpx.post(f"{server}/api/packages", headers=headers, files=files, timeout=120)
        assert response.status_code == 202, response.text
        ids.append(response.json()["id"])
    deadline = time.monotonic() + 300
    for package_id in ids:
        while httpx.get(f"{server}/api/packages/{package_id}", headers=headers,
                        params={"include_report": "false"}).json()["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline, "the checks did not end"
            time.sleep(0.5)

    log_in(browser, server, ADMIN)
    browser.find_element(By.CSS_SELECTOR, ".top nav a[href='/audit']").click()
    sections = [s for s in browser.find_elements(By.CSS_SELECTOR, "section.finding")
                if "AUDIT.TEXT_COPIED" in s.text]
    assert len(sections) == 1, browser.find_element(By.CSS_SELECTOR, "main").text[:2000]
    table = sections[0].find_element(By.CSS_SELECTOR, "table.side-by-side")
    rows = table.find_elements(By.CSS_SELECTOR, "tr")
    assert len(rows) >= 7  # a header and six copied sentences
    assert any("回转窑" in row.text for row in rows[1:]) and table.find_elements(By.CSS_SELECTOR, "mark")  # edits marked
    browser.save_screenshot(str(Path(tempfile.gettempdir()) / "shencha-browser-audit.png"))


def test_city_files_the_publicity_table_on_the_summary_page(server, browser):
    """Issue 12: a city reviewer's 汇总 page in Chromium: the package that passed is in the 公示 table,
    the one with open errors is listed as left out with its rules; accepted on its report page with
    a reason, it joins the table."""
    import httpx
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait

    server, _env = server
    token = httpx.post(f"{server}/api/auth/token", data={"username": "reviewer", "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    ids = {}
    for name in ("hb_eval_04", "hb_eval_02.zip"):
        path = ROOT / "corpus" / "samples" / name
        files = [("files", (path.name, path.read_bytes(), "application/zip"))] if path.is_file() else \
            [("files", (f"{name}/{p.relative_to(path).as_posix()}", p.read_bytes(), "application/octet-stream"))
             for p in sorted(path.rglob("*")) if p.is_file()]
        response = httpx.post(f"{server}/api/packages", headers=headers, files=files, timeout=120)
        assert response.status_code == 202, response.text
        ids[name] = response.json()["id"]
    deadline = time.monotonic() + 300
    for package_id in ids.values():
        while httpx.get(f"{server}/api/packages/{package_id}", headers=headers,
                        params={"include_report": "false"}).json()["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline, "the checks did not end"
            time.sleep(0.5)

    log_in(browser, server, "reviewer")
    browser.find_element(By.CSS_SELECTOR, ".top nav a[href='/summary']").click()
    Select(browser.find_element(By.NAME, "table")).select_by_value("hb_publicity")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.summary")))
    table = browser.find_element(By.CSS_SELECTOR, "table.summary")
    assert "襄阳金鼎热电股份有限公司" in table.text and "评价机构名称" in table.text

    def row_of(package_id: str):
        return next(r for r in browser.find_elements(By.CSS_SELECTOR, "tr.included, tr.excluded")
                    if r.find_elements(By.CSS_SELECTOR, f"a[href$='/packages/{package_id}']"))

    left = row_of(ids["hb_eval_02.zip"])
    assert "excluded" in left.get_attribute("class") and "RATE.OUT_OF_RANGE" in left.text
    assert "included" in row_of(ids["hb_eval_04"]).get_attribute("class")

    browser.get(f"{server}/packages/{ids['hb_eval_02.zip']}")
    form = browser.find_element(By.CSS_SELECTOR, "form.acceptance")
    form.find_element(By.NAME, "note").send_keys("电话号码已补正")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.accepted")))
    browser.get(f"{server}/summary?table=hb_publicity")
    accepted = row_of(ids["hb_eval_02.zip"])
    assert "included" in accepted.get_attribute("class") and "电话号码已补正" in accepted.text
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a.button")]
    assert any(h.endswith(".xlsx") or ".xlsx?" in h for h in links) and any(".docx" in h for h in links)
    browser.save_screenshot(str(Path(tempfile.gettempdir()) / "shencha-browser-summary.png"))
