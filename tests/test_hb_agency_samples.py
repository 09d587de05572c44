"""The hb_agency sample packages, built into a temporary folder (reports as .docx, no
LibreOffice) and run through the CLI against their planted ground truth: the form is
detected, ≥ 95 % of planted defects are found, clean packages raise no error or veto, and
every rule of the form is planted at least once."""

from __future__ import annotations

import json

import pytest

import corpus.generate  # noqa: F401  (BuiltPackage lives in the package the plug-in imports)
from checkers.run import load_rules
from corpus.generate.form_hb_agency import build_packages
from corpus.generate.package import write_package
from service.cli import main
from service.reports.scoring import matches_expected

SEED = 20261121
RECALL_TARGET = 0.95


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    root = tmp_path_factory.mktemp("hb-agency")
    samples, reports = root / "samples", root / "reports"
    samples.mkdir()
    reports.mkdir()
    out = []
    for b in build_packages(SEED, pdf=False):
        name = write_package(samples, b.pid, b.files, b.container)
        target = reports / f"{b.pid}.json"
        code = main(["check", str(samples / name), "--json", str(target), "--quiet"])
        out.append((b, code, json.loads(target.read_text(encoding="utf-8"))))
    return out


def test_packages_are_deterministic():
    a = build_packages(SEED, pdf=False)
    b = build_packages(SEED, pdf=False)
    assert [(p.pid, [(f.path, f.data) for f in p.files], p.expected) for p in a] == \
        [(p.pid, [(f.path, f.data) for f in p.files], p.expected) for p in b]


def test_about_a_third_clean_and_every_rule_planted(results):
    clean = [b for b, _, _ in results if not b.expected]
    assert 3 <= len(clean) <= len(results) // 2
    planted = {x["rule"] for b, _, _ in results for x in b.expected}
    own = {code for code, r in load_rules().items() if r.forms == ("hb_agency",) and r.severity != "info"}
    # fed by the 营业执照, which the samples hold as an image read only by OCR (off in these
    # tests): planted by hand in tests/test_hb_agency.py
    own -= {"CONTRACT.BEFORE_FOUNDING"}
    assert own <= planted, own - planted


def test_form_detected(results):
    assert {b.pid: r["package"]["form"] for b, _, r in results if r["package"]["form"] != "hb_agency"} == {}


def test_clean_packages_raise_no_error_or_veto(results):
    alarms = {b.pid: [f"{f['rule']}: {f['message']}" for f in r["findings"] if f["severity"] in ("error", "veto")]
              for b, code, r in results if not b.expected}
    assert {k: v for k, v in alarms.items() if v} == {}
    assert all(code == 0 for b, code, _ in results if not b.expected)


def test_recall_of_planted_defects(results):
    expected = [(b.pid, x, r) for b, _, r in results for x in b.expected]
    missed = [(pid, x) for pid, x, r in expected if not any(matches_expected(f, x) for f in r["findings"])]
    recall = 1 - len(missed) / len(expected)
    assert recall >= RECALL_TARGET, f"recall {recall:.1%}; missed: {missed}"


def test_score_table_in_every_report(results):
    for b, _, r in results:
        rows = r["fields"]["scores"]
        assert [row["item"] for row in rows][5:9] == ["机构从业年限", "业绩数量", "业绩相关性", "人员稳定性"], b.pid
        assert all(row["status"] in ("computed", "manual") for row in rows)
        assert all(row["score"] is not None for row in rows if row["status"] == "computed")
