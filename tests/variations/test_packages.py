"""The hand-made packages of tests/variations (other hands, other layouts), scored the strict way:
every real defect found with its evidence, and no error or veto that is not a real defect, in any
package, clean or defective."""

from __future__ import annotations

import pytest

from service.review.pipeline import review_package
from service.reports.model import build_report
from service.reports.scoring import generic_keys, score_package
from tests.variations.build_all import build_all


@pytest.fixture(scope="session")
def scored(tmp_path_factory):
    out = tmp_path_factory.mktemp("variations")
    manifest = build_all(out)
    scores = []
    for entry in manifest:
        review = review_package(out / entry["package"])
        scores.append(score_package(entry, build_report(review)))
    return manifest, scores


def test_every_form_and_every_variation_has_clean_and_defective_packages(scored):
    manifest, _ = scored
    forms = {(e["form"], e["clean"]) for e in manifest}
    for form in ("hb_evaluation", "hn_benchmark", "hb_agency", "nowaste_case", "hn_green_mfg"):
        assert {(form, True), (form, False)} <= forms
    clean = {v for e in manifest if e["clean"] for v in e["variations"]}
    defective = {v for e in manifest if not e["clean"] for v in e["variations"]}
    assert clean == defective and len(clean) >= 20


def test_ground_truth_keys_name_their_items(scored):
    manifest, _ = scored
    weak = [(e["package"], x) for e in manifest for x in e.get("expected") or [] if generic_keys(x)]
    assert weak == []


def test_forms_detected(scored):
    _, scores = scored
    assert {s.package: s.report["package"]["form"] for s in scores if s.report["package"]["form"] != s.expected_form} == {}


def test_no_error_or_veto_that_is_not_a_real_defect(scored):
    _, scores = scored
    unexpected = {s.package: [f"{f['rule']}: {f['message']}" for f in s.unexpected] for s in scores if s.unexpected}
    assert unexpected == {}


def test_every_real_defect_is_found(scored):
    _, scores = scored
    missed = {s.package: [(m["rule"], m.get("keys") or m.get("key")) for m in s.missed] for s in scores if s.missed}
    assert missed == {}
