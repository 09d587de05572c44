"""Every bundled sample package through the CLI, against the generator's ground truth, scored
the strict way (service/reports/scoring.py): the form is detected for every package, every planted
defect is found with its evidence, no error or veto that no planted defect explains appears in
any package (clean or defective), the ground truth names its items, and nothing crashes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import corpus
from service.cli import main
from service.reports.scoring import generic_keys, matches_expected, score_package

CORPUS = Path(corpus.__file__).parent
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
RECALL_TARGET = 1.0


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample-reports")
    got = {}
    for i, entry in enumerate(MANIFEST):
        target = out / f"{i:03d}.json"
        code = main(["check", str(CORPUS / "samples" / entry["package"]), "--json", str(target), "--quiet"])
        report = json.loads(target.read_text(encoding="utf-8")) if target.exists() else None
        got[entry["package"]] = (code, report)
    return got


def test_manifest_covers_both_forms_clean_and_defective():
    forms = {(e["form"], e["clean"]) for e in MANIFEST}
    assert {("hb_evaluation", True), ("hb_evaluation", False), ("hn_benchmark", True), ("hn_benchmark", False)} <= forms


def test_no_package_crashes(results):
    crashed = {p: c for p, (c, r) in results.items() if c not in (0, 1) or r is None}
    assert crashed == {}


def test_form_detected_for_every_package(results):
    wrong = {e["package"]: results[e["package"]][1]["package"]["form"] for e in MANIFEST
             if results[e["package"]][1]["package"]["form"] != e["form"]}
    assert wrong == {}


def test_clean_packages_raise_no_error_or_veto(results):
    alarms = {}
    for e in MANIFEST:
        if not e["clean"]:
            continue
        code, report = results[e["package"]]
        bad = [f"{f['rule']}: {f['message']}" for f in report["findings"] if f["severity"] in ("error", "veto")]
        if bad or code != 0:
            alarms[e["package"]] = bad
    assert alarms == {}


def test_recall_of_planted_defects(results):
    expected = [(e["package"], x) for e in MANIFEST for x in e["expected"]]
    missed = [(p, x) for p, x in expected
              if not any(matches_expected(f, x) for f in results[p][1]["findings"])]
    recall = 1 - len(missed) / len(expected)
    assert recall >= RECALL_TARGET, f"recall {recall:.1%}; missed: {missed}"


def test_defective_packages_fail_the_check(results):
    # a package with a planted error-severity defect must exit 1
    for e in MANIFEST:
        if e["clean"]:
            continue
        code, report = results[e["package"]]
        if any(f["severity"] in ("error", "veto") for f in report["findings"]):
            assert code == 1, e["package"]


def test_no_error_or_veto_that_no_planted_defect_explains(results):
    unexpected = {}
    for e in MANIFEST:
        score = score_package(e, results[e["package"]][1])
        if score.unexpected:
            unexpected[e["package"]] = [f"{f['rule']}: {f['message']}" for f in score.unexpected]
    assert unexpected == {}


def test_ground_truth_keys_name_their_items():
    assert [(e["package"], x) for e in MANIFEST for x in e["expected"] if generic_keys(x)] == []
