"""run_checks: rule selection by form, ordering, de-duplication, settings, internal errors."""

import pytest

from checkers.finding import Finding
from checkers.registry import RULES, emit, rule
from extractor.forms.hn_benchmark import HnBenchmark, Utilization
from checkers.run import INTERNAL_ERROR, dedupe, finding_key, form_settings, run_checks
from extractor.forms.base import BalanceClaim, SectionHit
from extractor.model import Location
from tests.rule_helpers import doc, fact, form, q

TEST_FORM = "test_form_for_run"


@pytest.fixture
def temporary_rules():
    added: list[str] = []

    def add(code, func, severity="error", forms=(TEST_FORM,)):
        rule(code, severity, "测试", "test rule", "测试条款", forms)(func)
        added.append(code)

    yield add
    for code in added:
        RULES.pop(code, None)


def test_a_raising_rule_becomes_an_internal_error_and_others_still_run(temporary_rules):
    def boom(ctx):
        yield emit("TEST.BOOM", "先产生的结果", locations=[Location(file="a.docx")])
        raise ZeroDivisionError("secret internal detail /etc/x")

    def fine(ctx):
        yield emit("TEST.FINE", "正常结果")

    temporary_rules("TEST.BOOM", boom)
    temporary_rules("TEST.FINE", fine)
    out = run_checks([doc("a.docx")], form(TEST_FORM), settings={})
    codes = [f.rule for f in out]
    assert "TEST.FINE" in codes and "TEST.BOOM" in codes
    errors = [f for f in out if f.rule == INTERNAL_ERROR]
    assert len(errors) == 1
    assert errors[0].severity == "info"
    assert "TEST.BOOM" in errors[0].message and "ZeroDivisionError" in errors[0].message
    # the exception's own text is for the log, never for the reviewer
    assert "secret" not in errors[0].message and "secret" not in str(errors[0].evidence)
    assert errors[0].evidence["rule"] == "TEST.BOOM"
    assert INTERNAL_ERROR in RULES and RULES[INTERNAL_ERROR].func is None


def test_rules_restricted_to_other_forms_do_not_run(temporary_rules):
    temporary_rules("TEST.ONLY_HERE", lambda ctx: [emit("TEST.ONLY_HERE", "x")])
    assert [f for f in run_checks([], form("hb_evaluation")) if f.rule == "TEST.ONLY_HERE"] == []
    assert [f.rule for f in run_checks([], form(TEST_FORM), settings={})] == ["TEST.ONLY_HERE"]


def test_identical_findings_are_deduplicated(temporary_rules):
    temporary_rules("TEST.TWICE", lambda ctx: [emit("TEST.TWICE", "同一条"), emit("TEST.TWICE", "同一条"), emit("TEST.TWICE", "另一条")])
    out = run_checks([], form(TEST_FORM), settings={})
    assert sorted(f.message for f in out) == ["另一条", "同一条"]


def test_order_is_severity_then_file_then_location():
    def f(sev, file=None, **kw):
        return Finding(rule="X", severity=sev, message=f"{sev}{file}{kw}", locations=[Location(file=file, **kw)] if file else [])

    items = [
        f("info", "a.docx"),
        f("error", "b.xlsx", cell="A10"),
        f("error", "b.xlsx", cell="A9"),
        f("error", "a.docx", page=2),
        f("veto"),
        f("warning", "a.docx"),
        f("error", "a.docx", page=1),
    ]
    ordered = sorted(dedupe(items), key=finding_key)
    assert [(x.severity, x.locations[0].file if x.locations else None) for x in ordered] == [
        ("veto", None),
        ("error", "a.docx"),
        ("error", "a.docx"),
        ("error", "b.xlsx"),
        ("error", "b.xlsx"),
        ("warning", "a.docx"),
        ("info", "a.docx"),
    ]
    assert ordered[1].locations[0].page == 1
    assert ordered[3].locations[0].cell == "A9"  # A9 before A10: by row number, not by text


def test_whole_run_on_a_small_package():
    fr = form(
        "hb_evaluation",
        outline=[SectionHit(id="3", title="企业生产及经营", found=True), SectionHit(id="4", title="企业工艺技术", found=False)],
        balances=[BalanceClaim(waste="粉煤灰", generated=fact("g", "产生量", "12.0", "万吨"), utilized=fact("u", "利用量", "16.2", "万吨"))],
    )
    docs = [doc("报告.docx"), doc("扫描.pdf", "pdf", has_text_layer=False), doc("坏.xlsx", "xlsx", error="文件损坏")]
    out = run_checks(docs, fr)
    # package-level findings (no location) lead their severity; then by file name
    assert [x.rule for x in out] == [
        "OUTLINE.SECTION_MISSING",
        "FILE.UNREADABLE",
        "BALANCE.UTILIZATION_EXCEEDS_SUPPLY",
        "FILE.NO_TEXT_LAYER",
    ]


def test_hn_benchmark_settings_load_by_default_and_drive_eligibility():
    assert form_settings("hn_benchmark")["scale"]
    assert form_settings("hb_evaluation") == {}
    assert form_settings("../etc/passwd") == {}
    fr = form("hn_benchmark", model=HnBenchmark(period="2024", utilization=[
        Utilization(waste="粉煤灰", written="粉煤灰", category="bulk", quantity=q("8.6", "万吨"))]))
    out = run_checks([], fr)
    assert [x.rule for x in out] == ["ELIGIBILITY.SCALE_BELOW_THRESHOLD"]
    assert out[0].severity == "veto"
    # the same package under another form does not get the hn_benchmark rules
    assert run_checks([], fr.model_copy(update={"form": "hb_evaluation"})) == []


def test_unknown_form_runs_only_generic_rules():
    out = run_checks([doc("x.docx")], form("unknown"))
    assert [x.rule for x in out] == ["FORM.UNKNOWN"]
