"""The command line on hostile names, a closed pipe and internal failures.

- no control, escape or bidi character from a file name, zip member name or finding message
  reaches the terminal raw: stdout, stderr and the progress line show it escaped;
- `shencha check … | head -1` ends quietly (141, no traceback);
- a MemoryError or an unexpected exception is exit 2 with one Chinese line, never 1, never a
  traceback or the exception's own text (unless --debug).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from checkers.finding import Finding
from extractor.model import Location
from service import cli
from service.review import pipeline
from service.review.progress import TerminalProgress, terminal_safe
from tests.test_report import make_review

ROOT = Path(__file__).resolve().parents[1]
EVIL = "evil\x1b[2J\x1b]0;pwn\x07.docx"
EVIL_SHOWN = "evil\\x1b[2J\\x1b]0;pwn\\x07.docx"
BIDI = "invoice\u202excod.exe.docx"
BIDI_SHOWN = "invoice\\u202excod.exe.docx"
RAW = ("\x1b", "\x07", "\u202e", "\r", "\x00", "\x9b")
# A name from a package may already be made visible by the package loader (ESC as the control
# picture ␛, U+202E as [U+202E]); whatever is left, `terminal_safe` escapes (\x1b, \u202e).
EVIL_VISIBLE = re.compile(r"evil(\\x1b|␛)\[2J(\\x1b|␛)\]0;pwn(\\x07|␇)\.docx")
BIDI_VISIBLE = re.compile(r"invoice(\\u202e|\[U\+202E\])xcod\.exe\.docx")
NOT_A_DOCX = b"PK\x03\x04 this is no zip archive"  # read as damaged: a FILE.UNREADABLE error naming the file


def assert_no_raw_controls(text: str) -> None:
    for ch in RAW:
        assert ch not in text, f"raw {ch!r} reached the terminal"


def run_cli(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, timeout=300, **kwargs)


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "申报材料"
    folder.mkdir()
    (folder / EVIL).write_bytes(NOT_A_DOCX)
    (folder / BIDI).write_bytes(NOT_A_DOCX)
    return folder


# ---------------------------------------------------------------- the one function


@pytest.mark.parametrize("raw,shown", [
    ("a\x1b[2Jb", "a\\x1b[2Jb"),
    ("title\x1b]0;pwn\x07", "title\\x1b]0;pwn\\x07"),
    ("line\roverwritten", "line\\x0doverwritten"),
    ("two\nlines", "two\\x0alines"),
    ("nul\x00", "nul\\x00"),
    ("del\x7f", "del\\x7f"),
    ("c1\x9b31m", "c1\\x9b31m"),  # the one-byte CSI of C1
    ("abc\u202excod.exe", "abc\\u202excod.exe"),
    ("\u2066isolate\u2069", "\\u2066isolate\\u2069"),
    ("zero\u200bwidth", "zero\\u200bwidth"),
    ("sep\u2028arator", "sep\\u2028arator"),
    (os.fsdecode(b"bad\xffbyte.docx"), "bad\\xffbyte.docx"),  # an undecodable byte of a file name
])
def test_terminal_safe_escapes_every_unsafe_character(raw, shown):
    assert terminal_safe(raw) == shown


def test_terminal_safe_keeps_ordinary_text():
    text = "审查包：湖北省　评价报告 (2024) — 表1 第2行 ✓ 🙂 Ünïcode\t"[:-1]
    assert terminal_safe(text) == text


# ---------------------------------------------------------------- hostile names through `check`


def test_hostile_file_names_are_escaped_on_stdout_and_stderr(hostile_folder):
    proc = run_cli("check", str(hostile_folder))
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 1  # the two damaged files are errors: the review itself ran
    assert_no_raw_controls(out + err)
    assert EVIL_VISIBLE.search(out) and BIDI_VISIBLE.search(out), out


def test_hostile_zip_member_names_are_escaped(tmp_path):
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"材料/{EVIL}", NOT_A_DOCX)
        zf.writestr(f"材料/{BIDI}", NOT_A_DOCX)
    proc = run_cli("check", str(archive))
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert_no_raw_controls(out + err)
    assert EVIL_VISIBLE.search(out) and BIDI_VISIBLE.search(out), out


def test_hostile_path_in_a_failure_is_escaped(tmp_path):
    missing = tmp_path / f"gone{EVIL}"
    proc = run_cli("check", str(missing))
    err = proc.stderr.decode()
    assert proc.returncode == 2 and err.count("\n") == 1
    assert_no_raw_controls(err)
    assert EVIL_SHOWN in err


def test_hostile_finding_message_and_location_are_escaped(monkeypatch, capsys):
    finding = Finding(rule="SUM.TOTAL_MISMATCH", severity="error", message="合计\x1b[31m有误\r伪造行\u202e",
                      locations=[Location(file=f"材料/{EVIL}", sheet="Sheet\x1b[1m1", cell="C5")])
    review = make_review(findings=[finding])
    review.name = f"包{BIDI}"
    monkeypatch.setattr(pipeline, "review_package", lambda path, progress=None, form_hint=None: review)
    assert cli.main(["check", "whatever"]) == 1
    out, err = capsys.readouterr()
    assert_no_raw_controls(out + err)
    assert "合计\\x1b[31m有误 伪造行\\u202e" in out  # whitespace folded, controls escaped
    assert EVIL_SHOWN in out and "Sheet\\x1b[1m1" in out and f"审查包：包{BIDI_SHOWN}" in out


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_line_escapes_file_names(monkeypatch, capsys):
    def review_package(path, progress=None, form_hint=None):
        progress("read", 0, 2, EVIL)
        progress("read", 1, 2, BIDI)
        review = make_review(findings=[])
        review.name = "pkg"
        return review

    monkeypatch.setattr(pipeline, "review_package", review_package)
    term = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert cli.main(["check", f"pkg{EVIL}", f"pkg{BIDI}"]) == 0  # several: the path is the prefix
    shown = term.getvalue()
    # the progress line's own \r and erase-to-end-of-line are the only controls written
    assert_no_raw_controls(shown.replace("\r", "").replace("\x1b[K", ""))
    assert EVIL_SHOWN in shown and BIDI_SHOWN in shown


def test_progress_writer_escapes_detail_and_prefix():
    term = FakeTerminal()
    TerminalProgress(term, prefix=f"p{BIDI}")("read", 0, 1, EVIL)
    assert_no_raw_controls(term.getvalue().replace("\r", "").replace("\x1b[K", ""))


# ---------------------------------------------------------------- a closed pipe


@pytest.fixture
def clean_folder(tmp_path: Path) -> Path:
    docx = pytest.importorskip("docx")
    folder = tmp_path / "clean"
    folder.mkdir()
    document = docx.Document()
    document.add_paragraph("一份普通的说明。")
    document.save(folder / "说明.docx")
    return folder


def test_check_piped_into_head_ends_quietly(clean_folder):
    script = (f'"{sys.executable}" -m service.cli check --quiet "$1" "$1" "$1" "$1" | head -1; '
              'exit "${PIPESTATUS[0]}"')
    proc = subprocess.run(["bash", "-c", script, "shencha-head", str(clean_folder)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=300)
    assert proc.stdout.decode().startswith("审查包：clean")
    err = proc.stderr.decode()
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err
    # 141 when head had gone before the next summary (as good as always), 0 if every line fitted in
    # the pipe first; never 1, which would claim findings
    assert proc.returncode in (0, cli.EXIT_OUTPUT_CLOSED)


def test_closed_stdout_exits_141_without_traceback(clean_folder):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written: every write fails
    try:
        proc = subprocess.run([sys.executable, "-m", "service.cli", "check", "--quiet", str(clean_folder)],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=write_end,
                              stderr=subprocess.PIPE, timeout=300)
    finally:
        os.close(write_end)
    assert proc.returncode == cli.EXIT_OUTPUT_CLOSED
    assert proc.stderr == b""


# ---------------------------------------------------------------- internal failures


def one_chinese_line(err: str) -> str:
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err and 'File "' not in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err)
    return err


def test_memory_error_exits_2_with_one_chinese_line(monkeypatch, capsys, clean_folder):
    def out_of_memory(path, progress=None, form_hint=None):
        raise MemoryError()

    monkeypatch.setattr(pipeline, "review_package", out_of_memory)
    assert cli.main(["check", str(clean_folder)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "内存不足" in one_chinese_line(err) and "MemoryError" not in err


def test_memory_error_outside_the_review_exits_2(monkeypatch, capsys):
    review = make_review(findings=[])
    review.name = "pkg"
    monkeypatch.setattr(pipeline, "review_package", lambda path, progress=None, form_hint=None: review)

    def summary(*_):
        raise MemoryError()

    monkeypatch.setattr(cli, "print_summary", summary)
    assert cli.main(["check", "pkg"]) == 2
    assert "内存不足" in one_chinese_line(capsys.readouterr().err)


SECRET = "secret internal detail /etc/x"


def test_unexpected_error_text_is_never_shown(monkeypatch, capsys, clean_folder):
    def bug(path, progress=None, form_hint=None):
        raise RuntimeError(SECRET)

    monkeypatch.setattr(pipeline, "review_package", bug)
    assert cli.main(["check", str(clean_folder)]) == 2
    out, err = capsys.readouterr()
    assert SECRET not in out + err and "/etc/x" not in out + err
    assert "内部错误" in one_chinese_line(err) and "--debug" in err


def test_debug_shows_the_traceback(monkeypatch, capsys, clean_folder):
    def bug(path, progress=None, form_hint=None):
        raise RuntimeError(SECRET + "\x1b[2J")

    monkeypatch.setattr(pipeline, "review_package", bug)
    assert cli.main(["check", "--debug", str(clean_folder)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and SECRET in err
    assert "\x1b" not in err  # even the traceback is escaped
    assert cli.main(["--debug", "check", str(clean_folder)]) == 2  # before the command too
    assert "Traceback" in capsys.readouterr().err


def test_unexpected_error_in_a_command_exits_2(monkeypatch, capsys):
    def broken(args):
        raise RuntimeError(SECRET)

    monkeypatch.setattr(cli, "rule_catalogue", lambda: broken(None))
    assert cli.main(["rules"]) == 2
    err = capsys.readouterr().err
    assert SECRET not in err and "内部错误（RuntimeError）" in one_chinese_line(err)


def test_interrupt_exits_130(monkeypatch, capsys):
    def interrupted(path, progress=None, form_hint=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "review_package", interrupted)
    assert cli.main(["check", "pkg"]) == cli.EXIT_INTERRUPTED
    assert "已中断" in capsys.readouterr().err


def test_service_reasons_never_carry_the_exception_text(session, database, make_user, monkeypatch):
    from service.jobs import queue as jobs
    from service.domain import packages
    from service.jobs import runner
    from service.store.db import Package
    from tests.test_service_packages import PDF

    def bug(path, progress=None, form_hint=None):
        raise RuntimeError(SECRET)

    monkeypatch.setattr(pipeline, "review_package", bug)
    user = make_user("a", "agency")
    pkg = packages.create_package(session, user, [("a.pdf", PDF)])
    assert runner.run_job(pkg.id, database=database) == "failed"
    session.expire_all()
    reason = session.get(Package, pkg.id).reason
    assert SECRET not in reason and reason.startswith("内部错误（RuntimeError）")

    def crash(package_id: str) -> str:  # the worker's own failure, outside run_job
        raise RuntimeError(SECRET)

    again = packages.create_package(session, user, [("b.pdf", PDF)])
    jobs.InProcessQueue(database=database, run=crash).run_until_idle()
    session.expire_all()
    reason = session.get(Package, again.id).reason
    assert SECRET not in reason and reason.startswith("内部错误（RuntimeError）")


# ---------------------------------------------------------------- exit codes as documented


def test_exit_codes_are_documented_in_help_and_readme():
    proc = run_cli("check", "--help")
    help_text = " ".join(proc.stdout.decode().split())
    for code in ("0 未发现否决项或错误", "1 至少有一条否决项或错误", "2 无法处理", "141"):
        assert code in help_text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "**0** means no `error` or `veto` finding, **1** means at least one, **2**" in readme
    assert "141" in readme
