"""The fuzz targets of tests/fuzz (issue 8), bounded for CI.

- every committed seed goes through its target in this process and is read as it should be
  (a Document, a documented refusal, or for a package the files and problems it should give);
- every reported finding under tests/fuzz/crashes/ still fails its target in strict mode (once
  a reader is fixed, the test says so: delete the input and its `KNOWN` entry);
- each target runs under atheris in a subprocess for a bounded number of iterations with a
  fixed seed (SHENCHA_FUZZ_SEED picks another, SHENCHA_FUZZ_RUNS_FACTOR scales the runs): it
  must end without a finding, and the committed corpus must be left as it was.

Longer runs: tests/fuzz/README.md.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.limits import get_limits
from tests.fuzz import targets
from tests.fuzz.targets import CORPUS, FUZZ_DIR, KNOWN, TARGETS

REPO = Path(__file__).resolve().parent.parent
CRASHES = FUZZ_DIR / "crashes"
REGRESSIONS = FUZZ_DIR / "regressions"  # inputs of fixed findings: read with a documented refusal

SEEDS = sorted((t.name, p.name) for t in TARGETS.values() for p in t.corpus.iterdir() if p.is_file())
CRASH_FILES = sorted(p.name for p in CRASHES.iterdir() if p.is_file() and p.name != "README.md") if CRASHES.is_dir() else []

# What each package seed gives: the problem kinds of its files (None: read without a problem).
PACKAGE_PROBLEMS: dict[str, set[str | None]] = {
    "damaged_directory.zip": {None, "damaged"},  # two files recovered from local headers, and the note
    "docx_as_zip.zip": {None},  # a .docx named .zip is read as a .docx
    "encrypted_flag.zip": {"encrypted"},
    "gbk_names.zip": {None},
    "image.jpg": {None},
    "methods.zip": {None},  # stored, deflated, bzip2 and LZMA members
    "nested.zip": {"limit"},  # archives deeper than archive_depth
    "not_a_zip.zip": {"damaged"},
    "ole_as_docx.docx": {"damaged"},  # an OLE file named .docx (LibreOffice is off while fuzzing)
    "pdf.pdf": {None},
    "program.jar": {None},  # a program package is kept as an attachment
    "streamed.zip": {None, "empty"},  # data descriptors; one empty member
    "submission.zip": {None},  # junk dropped, unsafe names made safe, a nested zip expanded
    "text.txt": {None},
    "xlsx_as_docx.docx": {None},  # a workbook named .docx is read as a workbook
    "zip64_symlink.zip": {None, "damaged"},  # the symbolic link is not followed
}


@pytest.fixture
def fuzz_limits(monkeypatch):
    """The fuzzers' small limits, in this process only for the test."""
    for key, value in targets.limit_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("SHENCHA_FUZZ_STRICT", raising=False)
    get_limits.cache_clear()
    yield
    get_limits.cache_clear()


@pytest.mark.parametrize("target,seed", SEEDS, ids=[f"{t}/{s}" for t, s in SEEDS])
def test_seed_is_read_as_expected(fuzz_limits, target, seed):
    t = TARGETS[target]
    result = t.function((t.corpus / seed).read_bytes())
    if target == "package":
        assert seed in PACKAGE_PROBLEMS, f"new package seed {seed}: say what it gives in PACKAGE_PROBLEMS"
        assert isinstance(result, list) and result
        assert {d.problem for d in result} == PACKAGE_PROBLEMS[seed], [(d.path, d.problem, d.error) for d in result]
        return
    if t.expect.get(seed) == "refused":
        assert result is None, f"{seed} should be refused with a documented error"
        return
    assert result is not None, f"{seed} was refused"
    assert result.error is None
    if seed != "bare.docx":  # the one seed with nothing in it
        assert result.blocks, f"{seed} gave no content"


def test_every_package_seed_is_described():
    assert set(PACKAGE_PROBLEMS) == {p.name for p in TARGETS["package"].corpus.iterdir()}


def test_seeds_stay_small():
    for target, seed in SEEDS:
        size = (CORPUS / target / seed).stat().st_size
        assert size <= min(TARGETS[target].max_len, 8192), f"{target}/{seed} is {size} bytes"


@pytest.mark.parametrize("crash", CRASH_FILES)
def test_reported_finding_still_reproduces(fuzz_limits, monkeypatch, crash):
    """A reported input still breaks the contract in strict mode; when it no longer does, the
    reader was fixed: delete the input (and its KNOWN entry), or move it to the corpus."""
    monkeypatch.setenv("SHENCHA_FUZZ_STRICT", "1")
    target = TARGETS[crash.split("-", 1)[0]]
    try:
        target.function((CRASHES / crash).read_bytes())
    except Exception as e:  # noqa: BLE001 - any finding
        documented = targets.documented_errors()
        assert not isinstance(e, documented), f"{crash} now raises the documented {type(e).__name__}: fixed"
        return
    pytest.fail(f"{crash} is read without a finding now: the reader was fixed; delete the input and its KNOWN entry")


def test_every_reported_input_is_explained():
    """Each input under crashes/ belongs to a KNOWN entry (a finding in extractor code) or to
    LIBRARY_FINDINGS (a library's exception the reader lets through)."""
    explained = {c: k for k in KNOWN for c in k.crashes}
    for crash in explained:
        assert crash.split("-", 1)[0] in explained[crash].targets, crash
    assert set(CRASH_FILES) == set(explained) | set(targets.LIBRARY_FINDINGS)


@pytest.mark.parametrize("crash", sorted(c for k in KNOWN for c in k.crashes))
def test_known_finding_is_passed_over_outside_strict_mode(fuzz_limits, crash):
    """CI fuzzing goes on past a reported finding: the target passes it over."""
    target = TARGETS[crash.split("-", 1)[0]]
    assert target.function((CRASHES / crash).read_bytes()) is None


@pytest.mark.parametrize("name", sorted(p.name for p in REGRESSIONS.iterdir() if p.is_file()))
def test_fixed_finding_is_refused_in_chinese(fuzz_limits, monkeypatch, name):
    """A fixed finding's input keeps to the contract in strict mode, and the reviewer's reason
    names the damage in Chinese, without an exception's class or text."""
    import re

    from extractor.package import PackageFile
    from extractor.read import read_document

    monkeypatch.setenv("SHENCHA_FUZZ_STRICT", "1")
    monkeypatch.setattr("extractor.readers.legacy.soffice", lambda: None)  # no conversion rescues it
    data = (REGRESSIONS / name).read_bytes()
    TARGETS[name.split("-", 1)[0]].function(data)  # raises a Finding if the contract is broken
    doc = read_document(PackageFile.from_bytes(f"材料/{name}", data))
    assert doc.error and doc.problem in ("damaged", "encrypted"), (doc.error, doc.problem)
    assert re.search(r"[\u4e00-\u9fff]", doc.error) and not re.search(r"Error|Exception|NotImplemented", doc.error), doc.error


def _corpus_state() -> dict[str, str]:
    return {str(p.relative_to(CORPUS)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(CORPUS.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_fuzz_target_runs_clean(tmp_path, name):
    t = TARGETS[name]
    runs = max(1, int(t.ci_runs * float(os.environ.get("SHENCHA_FUZZ_RUNS_FACTOR", "1"))))
    seed = os.environ.get("SHENCHA_FUZZ_SEED", "1")
    before = _corpus_state()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SHENCHA_LIMIT_") and k not in ("SHENCHA_FUZZ_STRICT", "SHENCHA_OCR", "SHENCHA_ISOLATE_READS")}
    artifacts = tmp_path / "artifacts"
    proc = subprocess.run(
        [sys.executable, "-m", "tests.fuzz.run", name, "--runs", str(runs), "--seed", seed,
         "--timeout", "30", "--artifacts", str(artifacts), "--corpus-out", str(tmp_path / "corpus")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    found = sorted(p.name for p in artifacts.iterdir()) if artifacts.is_dir() else []
    tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-60:])
    assert proc.returncode == 0 and not found, f"fuzz target {name} found something ({found}):\n{tail}"
    assert f"Done {runs} runs" in proc.stdout + proc.stderr, tail
    assert _corpus_state() == before, "the committed corpus was changed"
