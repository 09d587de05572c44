"""Run every rule that applies to a package's form and return one ordered list of findings."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from pathlib import Path
from typing import Any

import yaml

import checkers.rules
from checkers.context import Context
from checkers.finding import SEVERITIES, Finding, assign_ordinals
from checkers.registry import RULES, Rule, declare, emit
from checkers.tolerance import OCR_DOUBT_NOTE, ocr_doubtful
from extractor.forms.base import FormResult
from extractor.model import Document, Location

_log = logging.getLogger(__name__)

INTERNAL_ERROR = "CHECKER.INTERNAL_ERROR"
FORMS_DIR = Path(__file__).resolve().parent.parent / "corpus" / "forms"

if INTERNAL_ERROR not in RULES:  # guarded: `python -m checkers.run` imports this module twice
    declare(
        INTERNAL_ERROR,
        "info",
        "检查规则运行出错",
        "A rule raised an exception; its checks are missing from the report and need a manual review.",
        "—（系统内部，非申报要求）",
    )


def load_rules() -> dict[str, Rule]:
    """Import every module of `checkers.rules` so that its rules register."""
    for mod in pkgutil.iter_modules(checkers.rules.__path__):
        importlib.import_module(f"checkers.rules.{mod.name}")
    importlib.import_module("checkers.audit.rules")  # catalogued here; run across packages by checkers.audit.run
    return RULES


def form_settings(form: str) -> dict[str, Any]:
    """The form's corpus data (`corpus/forms/<form>_thresholds.yaml`), {} when it has none."""
    if not re.fullmatch(r"[A-Za-z0-9_]+", form or ""):
        return {}
    path = FORMS_DIR / f"{form}_thresholds.yaml"
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def applies(r: Rule, form: str) -> bool:
    return r.func is not None and (not r.forms or form in r.forms)


def run_rule(r: Rule, ctx: Context) -> list[Finding]:
    """The rule's findings; an exception becomes one CHECKER.INTERNAL_ERROR finding (plus
    whatever the rule had already produced), so one faulty rule never hides the others."""
    out: list[Finding] = []
    try:
        for f in r.func(ctx):
            out.append(f)
    except Exception as exc:  # noqa: BLE001 - any bug in one rule must not stop the review
        # the traceback is for the developers' log; the reviewer reads which check did not finish
        _log.exception("rule %s failed", r.code)
        out.append(
            emit(
                INTERNAL_ERROR,
                f"检查规则 {r.code}（{r.title}）运行出错（{type(exc).__name__}），该项检查结果可能不完整，请人工复核",
                evidence={"rule": r.code, "error_type": type(exc).__name__},
            )
        )
    return out


def _cell_key(cell: str | None) -> tuple[int, int]:
    if not cell:
        return (0, 0)
    try:
        from openpyxl.utils.cell import coordinate_to_tuple  # openpyxl is slow to import; xlsx only

        return coordinate_to_tuple(cell)
    except (ValueError, TypeError):
        return (0, 0)


def location_key(loc: Location) -> tuple:
    return (
        loc.file,
        loc.page or 0,
        loc.sheet or "",
        _cell_key(loc.cell),
        loc.table or 0,
        loc.row or 0,
        loc.column or 0,
        loc.paragraph or 0,
    )


def finding_key(f: Finding) -> tuple:
    first = f.locations[0] if f.locations else None
    return (
        SEVERITIES.index(f.severity),
        first.file if first else "",
        location_key(first) if first else (),
        f.rule,
        f.message,
    )


def dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    out: list[Finding] = []
    for f in findings:
        key = f.model_dump_json()
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def run_checks(documents: list[Document], form: FormResult, settings: dict | None = None) -> list[Finding]:
    """All findings for a package: veto first, then error, warning, info; within a severity
    by file and position."""
    rules = load_rules()
    ctx = Context(documents=documents, form=form, settings=form_settings(form.form) if settings is None else settings)
    findings: list[Finding] = []
    for code in sorted(rules):
        r = rules[code]
        if applies(r, form.form):
            findings.extend(run_rule(r, ctx))
    doubtful = doubtful_places(documents)
    findings = [doubt_scanned_readings(f, doubtful) for f in findings]
    return assign_ordinals(sorted(dedupe(findings), key=finding_key))


def doubt_scanned_readings(f: Finding, doubtful: set[tuple]) -> Finding:
    """A blocking finding that rests on text OCR read with a low confidence (checkers/tolerance.py
    OCR_CERTAIN_CONFIDENCE) is a warning that says so: a doubtful digit or character on a scan
    cannot block on its own."""
    if f.severity not in ("error", "veto") or not f.locations or not doubtful:
        return f
    if not any(is_doubtful(loc, doubtful) for loc in f.locations):
        return f
    if OCR_DOUBT_NOTE in f.message:
        return f.model_copy(update={"severity": "warning"})
    return f.model_copy(update={"severity": "warning", "message": f"{f.message}（{OCR_DOUBT_NOTE}）"})


def is_doubtful(loc: Location, doubtful: set[tuple]) -> bool:
    return _place(loc) in doubtful or _cell_place(loc) in doubtful


def _place(loc: Location) -> tuple:
    return ("text", loc.file, loc.page, loc.paragraph)


def _cell_place(loc: Location) -> tuple:
    return ("cell", loc.file, loc.table, loc.row, loc.column)


def doubtful_places(documents: list[Document]) -> set[tuple]:
    """Every paragraph and table cell OCR read with a low confidence."""
    out: set[tuple] = set()
    for d in documents:
        for b in d.blocks:
            if ocr_doubtful(b.confidence):
                out.add(_place(b.loc))
            if b.table is not None:
                for row in b.table.rows:
                    for c in row:
                        if ocr_doubtful(getattr(c, "confidence", None)):
                            out.add(_cell_place(c.loc))
    return out
