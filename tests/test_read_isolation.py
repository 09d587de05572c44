"""Each file is read in a worker process under a time and a memory budget (extractor/isolation.py):
a file that allocates without bound, never finishes or crashes the interpreter becomes a finding,
and the other files of the package are still read.

The hostile readers below are module-level functions: the parent sends a reader to its worker by
name, so a worker imports this module and runs them there.
"""

from __future__ import annotations

import ctypes
import io
import json
import logging
import os
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from extractor import isolation, limits
from extractor import read as read_module
from extractor.model import Document
from extractor.package import PackageFile
from extractor.read import read_document as real_read_document
from tests.limit_helpers import hang_guard

MiB = 1024**2
HAN = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------- readers run inside the workers


def hoarding_reader(pf: PackageFile) -> Document:
    """Allocates without bound for files named hog*; reads the others."""
    if pf.path.startswith("hog"):
        hoard = []
        while True:
            hoard.append(bytearray(16 * MiB))
    return real_read_document(pf)


def sleeping_reader(pf: PackageFile) -> Document:
    if pf.path.startswith("slow"):
        while True:
            time.sleep(3600)
    return real_read_document(pf)


def settings_reader(pf: PackageFile) -> Document:
    """Says which OCR settings the process reading the file has."""
    import os

    doc = real_read_document(pf)
    doc.warnings.append(f"OCR={os.environ.get('SHENCHA_OCR')} CACHE={os.environ.get('SHENCHA_OCR_CACHE_DIR')}")
    return doc


def crashing_reader(pf: PackageFile) -> Document:
    if pf.path.startswith("exit"):
        os._exit(3)
    if pf.path.startswith("segfault"):
        ctypes.string_at(0)  # reads address 0: SIGSEGV
    return real_read_document(pf)


def hostile_reader(pf: PackageFile) -> Document:
    """The CLI test's reader: one file never finishes, one crashes, the rest are real."""
    if pf.path.startswith("慢"):
        while True:
            time.sleep(3600)
    if pf.path.startswith("崩溃"):
        ctypes.string_at(0)
    return real_read_document(pf)


def noisy_reader(pf: PackageFile) -> Document:
    warnings.warn("WMF image format is not supported so the image is being dropped")
    warnings.warn("Data Validation extension is not supported and will be removed")
    logging.getLogger("pdfminer.pdfinterp").warning("Cannot set gray non-stroke color because /'P0' is an invalid float value")
    return real_read_document(pf)


def ocr_like_reader(pf: PackageFile) -> Document:
    """Recognises 4 "pages" of 0.8 s each, as the scan reader does, reporting each page; a file
    named stuck* hangs on its third page."""
    doc = real_read_document(pf)
    for done in range(1, 5):
        if pf.path.startswith("stuck") and done == 3:
            while True:
                time.sleep(3600)
        time.sleep(0.8)
        isolation.ocr_page_done(0.8, done, 4)
    doc.warnings.append(f"ocr_left={isolation.ocr_time_left():.1f}")
    return doc


def pool_reader(pf: PackageFile) -> Document:
    """Says whether a page pool (extractor/ocr/pool.py) starts in the process reading the file,
    and the pids its processes run in."""
    from extractor.ocr.pool import page_pool

    doc = real_read_document(pf)
    with page_pool(10) as pool:
        pids = sorted(set(pool.map(_pid, range(8)))) if pool is not None else []
    doc.warnings.append(f"pool={pool is not None} pids={len(pids)} mine={os.getpid() in pids}")
    return doc


def _pid(_k: int) -> int:
    time.sleep(0.05)
    return os.getpid()


def pid_reader(pf: PackageFile) -> Document:
    doc = real_read_document(pf)
    doc.warnings.append(f"pid={os.getpid()}")
    return doc


# ---------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def fresh_limits(monkeypatch):
    monkeypatch.delenv("SHENCHA_ISOLATE_READS", raising=False)
    limits.get_limits.cache_clear()
    yield
    monkeypatch.undo()
    limits.get_limits.cache_clear()


@pytest.fixture(autouse=True)
def _hang_guard():
    with hang_guard(120):
        yield


def _docx_bytes(text: str) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _package(*names: str) -> list[PackageFile]:
    """Plain-text files: read by extractor.read itself, so only isolation is under test here."""
    return [PackageFile.from_bytes(name, f"{name} 的正文，粉煤灰 1200 吨".encode()) for name in names]


def _assert_read(doc: Document, name: str) -> None:
    assert doc.error is None, doc.error
    assert doc.path == name and f"{name} 的正文" in doc.full_text()


def _assert_chinese_reason(reason: str | None) -> None:
    assert reason and HAN.search(reason)
    assert "Traceback" not in reason and "Error:" not in reason


# ---------------------------------------------------------------- the budget


def test_unbounded_allocation_ends_at_the_memory_limit(monkeypatch):
    monkeypatch.setenv("SHENCHA_LIMIT_FILE_MEMORY_BYTES", str(768 * MiB))
    limits.get_limits.cache_clear()
    files = _package("a.txt", "hog.txt", "z.txt")
    docs = isolation.read_files(files, reader=hoarding_reader)
    assert [d.path for d in docs] == ["a.txt", "hog.txt", "z.txt"]
    hog = docs[1]
    assert hog.problem == "limit" and hog.blocks == []
    assert hog.error == "读取时内存超过上限 768 MiB，已停止读取该文件"
    _assert_read(docs[0], "a.txt")
    _assert_read(docs[2], "z.txt")


def test_a_reader_that_never_finishes_is_stopped_at_the_time_limit(monkeypatch):
    monkeypatch.setenv("SHENCHA_LIMIT_FILE_SECONDS", "2")
    limits.get_limits.cache_clear()
    files = _package("a.txt", "slow.txt", "slow2.txt", "z.txt")
    docs = isolation.read_files(files, reader=sleeping_reader)
    for slow in docs[1:3]:
        assert slow.problem == "limit"
        assert slow.error == "读取用时超过上限 2 秒，已停止读取该文件"
    _assert_read(docs[0], "a.txt")
    _assert_read(docs[3], "z.txt")


@pytest.mark.parametrize("isolate", ["1", "0"])
def test_ocr_time_is_given_back_to_the_file_and_reported_as_progress(monkeypatch, isolate):
    """4 pages of 0.8 s each outlast a 2-second file budget: each page's time is given back, so
    the file is read whole, and each page is reported, in a worker and in the calling process."""
    monkeypatch.setenv("SHENCHA_ISOLATE_READS", isolate)
    monkeypatch.setenv("SHENCHA_LIMIT_FILE_SECONDS", "2")
    limits.get_limits.cache_clear()
    seen = []
    [doc] = isolation.read_files(_package("scan.txt"), reader=ocr_like_reader,
                                 progress=lambda pf, done, total: seen.append((pf.path, done, total)))
    _assert_read(doc, "scan.txt")
    assert seen == [("scan.txt", k, 4) for k in range(1, 5)]
    assert doc.warnings[-1] == f"ocr_left={limits.ReadLimits.ocr_seconds - 3.2:.1f}"


def test_ocr_time_given_back_is_capped_and_a_hang_during_ocr_is_still_stopped(monkeypatch):
    monkeypatch.setenv("SHENCHA_LIMIT_FILE_SECONDS", "2")
    monkeypatch.setenv("SHENCHA_LIMIT_OCR_SECONDS", "1")
    limits.get_limits.cache_clear()
    started = time.monotonic()
    stuck, capped = isolation.read_files(_package("stuck.txt", "capped.txt"), reader=ocr_like_reader)
    assert stuck.problem == "limit" and stuck.error == "读取用时超过上限 2 秒，已停止读取该文件"
    # 1 s of OCR given back at most: 4 × 0.8 s of pages outlast 2 + 1 s
    assert capped.problem == "limit"
    assert time.monotonic() - started < 10


def test_a_reader_worker_can_start_a_page_pool(monkeypatch):
    """A reader worker is daemonic for its parent, yet forks a page pool of its own for a long
    scan: two processes that are not the reader."""
    monkeypatch.setenv("SHENCHA_OCR_PAGE_WORKERS", "2")
    [doc] = isolation.read_files(_package("scan.txt"), reader=pool_reader)
    assert doc.warnings[-1] == "pool=True pids=2 mine=False"


@pytest.mark.parametrize("name, how", [("exit.txt", "退出码 3"), ("segfault.txt", "SIGSEGV")])
def test_a_crash_of_the_reader_makes_the_file_damaged(name, how):
    files = _package("a.txt", name, "z.txt")
    docs = isolation.read_files(files, reader=crashing_reader)
    crashed = docs[1]
    assert crashed.problem == "damaged" and crashed.path == name
    _assert_chinese_reason(crashed.error)
    assert how in crashed.error and "异常终止" in crashed.error
    _assert_read(docs[0], "a.txt")
    _assert_read(docs[2], "z.txt")


def test_files_come_back_in_order_with_progress_callbacks():
    files = _package(*(f"{i:02d}.txt" for i in range(7)))
    started, finished = [], []
    docs = isolation.read_files(files, started=lambda pf: started.append(pf.path),
                                finished=lambda pf, doc: finished.append((pf.path, doc.path)))
    assert [d.path for d in docs] == [f.path for f in files]
    for doc in docs:
        _assert_read(doc, doc.path)
    assert sorted(started) == [f.path for f in files]
    assert sorted(finished) == [(f.path, f.path) for f in files]


def test_reads_happen_in_a_worker_unless_isolation_is_off(monkeypatch):
    [isolated] = isolation.read_files(_package("a.txt"), reader=pid_reader)
    assert isolated.warnings[-1] != f"pid={os.getpid()}"
    monkeypatch.setenv("SHENCHA_ISOLATE_READS", "0")
    [inline] = isolation.read_files(_package("a.txt"), reader=pid_reader)
    assert inline.warnings[-1] == f"pid={os.getpid()}"


def test_the_worker_reads_with_the_callers_limits(monkeypatch):
    """Limits changed after the workers started still apply in them."""
    isolation.read_files(_package("warm.txt"))  # a worker exists with the default limits
    monkeypatch.setenv("SHENCHA_LIMIT_FILE_SECONDS", "1")
    limits.get_limits.cache_clear()
    [slow] = isolation.read_files(_package("slow.txt"), reader=sleeping_reader)
    assert slow.error == "读取用时超过上限 1 秒，已停止读取该文件"


def test_the_worker_reads_with_the_callers_ocr_settings(monkeypatch):
    """SHENCHA_OCR set or unset after the workers started is what the worker reads with."""
    isolation.read_files(_package("warm.txt"))
    monkeypatch.setenv("SHENCHA_OCR", "on")
    monkeypatch.setenv("SHENCHA_OCR_CACHE_DIR", "/nonexistent/cache")
    [doc] = isolation.read_files(_package("a.txt"), reader=settings_reader)
    assert doc.warnings[-1] == "OCR=on CACHE=/nonexistent/cache"
    monkeypatch.delenv("SHENCHA_OCR")
    monkeypatch.delenv("SHENCHA_OCR_CACHE_DIR")
    [doc] = isolation.read_files(_package("b.txt"), reader=settings_reader)
    assert doc.warnings[-1] == "OCR=None CACHE=None"


# ---------------------------------------------------------------- warnings


@pytest.mark.parametrize("isolate", ["1", "0"])
def test_library_warnings_are_captured_and_dropped_content_is_an_omission(monkeypatch, capfd, isolate):
    monkeypatch.setenv("SHENCHA_ISOLATE_READS", isolate)
    [doc] = isolation.read_files(_package("a.txt"), reader=noisy_reader)
    _assert_read(doc, "a.txt")
    assert doc.omissions == ["一幅 WMF 格式的图片未能读取"]  # data validation and pdfminer noise dropped
    if isolate == "0":  # a worker writes to the stderr it was started with: checked through the CLI below
        assert capfd.readouterr().err == ""


def test_dropped_content_messages_in_chinese():
    noise = isolation.Noise(
        warnings=["Cell B7 is marked as a date but the serial value 99999999 is outside the limits for dates. "
                  "The cell will be treated as an error.",
                  "Conditional Formatting extension is not supported and will be removed"],
        records=["DrawingML support is incomplete and limited to charts and images only. Shapes and drawings will be lost."],
    )
    assert isolation.dropped_content(noise) == [
        "单元格 B7 标记为日期，但数值 99999999 超出日期范围，未能读取",
        "工作簿中的形状和绘图（含文本框中的文字）未能读取",
    ]


def _xlsx_with_unsupported_extension(tmp_path: Path) -> Path:
    """A workbook whose sheet carries an <extLst> openpyxl warns about ("… will be removed")."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工业固体废物名称", "产生量(吨)"])
    ws.append([1, "粉煤灰", 1200])
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    out = tmp_path / "pkg" / "附件3 年报表.xlsx"
    out.parent.mkdir()
    ext = ('<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
           'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
           '<x14:dataValidations count="0"/></ext></extLst>')
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", ext.encode() + b"</worksheet>")
            dst.writestr(info, data)
    return out


def test_cli_quiet_prints_nothing_to_stderr_while_libraries_warn(tmp_path):
    xlsx = _xlsx_with_unsupported_extension(tmp_path)
    import openpyxl

    with warnings.catch_warnings(record=True) as caught:  # the file does make openpyxl warn
        warnings.simplefilter("always")
        openpyxl.load_workbook(xlsx)
    assert any("will be removed" in str(w.message) for w in caught)
    (xlsx.parent / "报告.docx").write_bytes(_docx_bytes("企业基本情况"))
    repo = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHENCHA_")}
    proc = subprocess.run([sys.executable, "-m", "service.cli", "check", str(xlsx.parent), "--quiet",
                           "--json", str(tmp_path / "r.json")], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == ""
    files = {f["path"]: f for f in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["package"]["files"]}
    assert files["附件3 年报表.xlsx"]["error"] is None


# ---------------------------------------------------------------- through the CLI


def test_cli_reads_the_rest_of_a_package_with_a_hanging_and_a_crashing_file(tmp_path, monkeypatch, capsys):
    from service import cli
    monkeypatch.setenv("SHENCHA_LIMIT_FILE_SECONDS", "3")
    limits.get_limits.cache_clear()
    monkeypatch.setattr(read_module, "read_document", hostile_reader)  # the workers are sent this reader
    pkg = tmp_path / "申报材料"
    pkg.mkdir()
    (pkg / "报告.docx").write_bytes(_docx_bytes("湖北省工业固体废物资源综合利用评价报告 粉煤灰 1200 吨"))
    (pkg / "慢.docx").write_bytes(_docx_bytes("x"))
    (pkg / "崩溃.pdf").write_bytes(b"%PDF-1.4\n%\n")
    report = tmp_path / "r.json"
    code = cli.main(["check", str(pkg), "--quiet", "--json", str(report)])
    assert code in (0, 1)
    files = {f["path"]: f for f in json.loads(report.read_text(encoding="utf-8"))["package"]["files"]}
    assert files["报告.docx"]["error"] is None
    assert files["慢.docx"]["error"] == "读取用时超过上限 3 秒，已停止读取该文件"
    _assert_chinese_reason(files["崩溃.pdf"]["error"])
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    rules = {(f["rule"], f["locations"][0]["file"]) for f in findings if f["locations"]}
    assert ("FILE.LIMIT_EXCEEDED", "慢.docx") in rules and ("FILE.UNREADABLE", "崩溃.pdf") in rules
