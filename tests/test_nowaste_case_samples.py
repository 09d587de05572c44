"""The nowaste_case generator's packages through the CLI, against their planted defects.

Built into a temporary folder (PDF rendering skipped: PDF layouts become .docx), so the test
does not depend on the committed corpus."""

from __future__ import annotations

import json

import pytest

from corpus.generate import form_nowaste_case as gen
from corpus.generate.package import write_package
from service.cli import main
from service.reports.scoring import matches_expected

RECALL_TARGET = 0.95


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    root = tmp_path_factory.mktemp("nowaste")
    samples, reports = root / "samples", root / "reports"
    samples.mkdir()
    reports.mkdir()
    out = {}
    for b in gen.build_packages(20261121, pdf=False):
        name = write_package(samples, b.pid, b.files, b.container)
        target = reports / f"{b.pid}.json"
        code = main(["check", str(samples / name), "--json", str(target), "--quiet"])
        out[b.pid] = (b, code, json.loads(target.read_text(encoding="utf-8")))
    return out


def test_packages_cover_clean_defective_parks_and_enterprises(results):
    built = [b for b, _, _ in results.values()]
    assert 10 <= len(built) <= 12
    assert sum(1 for b in built if not b.expected) >= 3
    assert {"park", "enterprise"} <= {t for b in built for t in b.variants}
    planted = {e["rule"] for b in built for e in b.expected}
    assert {"TEXT.LENGTH_EXCEEDED", "PERIOD.MISSING_YEAR", "INTENSITY.MISMATCH", "ELIGIBILITY.RATE_BELOW_THRESHOLD",
            "ELIGIBILITY.INTENSITY_DECLINE_BELOW_THRESHOLD", "ELIGIBILITY.ENTITY_TOO_YOUNG", "TITLE.FORMAT_INVALID",
            "SUMMARY.CASE_NOT_LISTED", "SUMMARY.DUPLICATE_ROW", "SUMMARY.TOO_MANY_CASES", "SUMMARY.ATTRIBUTE_MISMATCH",
            "SUM.TOTAL_MISMATCH", "RATE.MISMATCH"} <= planted


def test_form_detected(results):
    wrong = {pid: r["package"]["form"] for pid, (_, _, r) in results.items() if r["package"]["form"] != "nowaste_case"}
    assert wrong == {}


def test_clean_packages_raise_no_error_or_veto(results):
    alarms = {pid: [f"{f['rule']}: {f['message']}" for f in r["findings"] if f["severity"] in ("error", "veto")]
              for pid, (b, code, r) in results.items() if not b.expected}
    assert all(not v for v in alarms.values()), alarms
    assert all(code == 0 for b, code, _ in results.values() if not b.expected)


def test_recall_of_planted_defects(results):
    expected = [(pid, x) for pid, (b, _, _) in results.items() for x in b.expected]
    missed = [(pid, x) for pid, x in expected if not any(matches_expected(f, x) for f in results[pid][2]["findings"])]
    recall = 1 - len(missed) / len(expected)
    assert recall >= RECALL_TARGET, f"recall {recall:.1%}; missed: {missed}"
