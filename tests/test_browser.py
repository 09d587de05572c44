"""The web page in a real browser: Debian's Chromium, headless, driven by Selenium.

The real app runs as `shencha serve` (uvicorn, in-process worker) in a subprocess on a free
localhost port with its own data dir; the user is created with `shencha users add`.  The test
logs in, uploads a defective sample package from corpus/samples, waits for the report page and
reads a planted finding there, then marks it.  A screenshot of the report is left in /tmp.

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
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1800", "--lang=zh-CN",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    added = subprocess.run(cli + ["users", "add", "reviewer", "--role", "city", "--city", "武汉市", "--password-stdin"],
                           input=PASSWORD + "\n", text=True, capture_output=True, env=env, cwd=ROOT, timeout=120)
    assert added.returncode == 0, added.stderr
    port = free_port()
    log = open(data_dir / "server.log", "wb")
    proc = subprocess.Popen(cli + ["serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/login", proc)
        yield base
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
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, f"#f-{finding_id} .mark-info"), "已电话核实企业"))
    info = browser.find_element(By.CSS_SELECTOR, f"#f-{finding_id} .mark-info").text
    assert info.startswith("已核实 · reviewer · ")

    # the list shows the package as done with its counts
    browser.get(f"{server}/packages")
    row = browser.find_element(By.CSS_SELECTOR, "tr[data-id]")
    assert row.get_attribute("data-status") == "done"
    assert "已完成" in row.text
