"""Scoring reports against ground truth, the strict way packages by other hands are scored.

A manifest entry lists the package's real defects (`expected`) and, optionally, findings that are
an honest consequence of one of them (`allowed`):

    {"package": "...", "form": "...", "clean": false,
     "expected": [{"rule": "SUM.TOTAL_MISMATCH", "keys": ["附件3合计利用量"], "file": "附件3.xlsx",
                   "severity": "error"}],
     "allowed": [{"rule": "...", "keys": ["..."]}]}

- A planted defect is **found** when a finding has its rule, every key (none for a package-level
  finding such as a scale veto) appears in the finding's
  message or evidence, and (when the entry names a file) one of its locations is in that file.  A
  key that any finding of that rule would contain anyway (合计, 综合利用率, 模式…) proves nothing:
  `generic_keys` lists them, and a manifest that relies on one is itself an error.
- **Unexpected** are all `error` and `veto` findings, in every package, clean or defective, that
  no expected or allowed entry explains: each is a false alarm a reviewer would see.
- A defect found at a lower severity than expected is reported separately (found, but softened).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from checkers.finding import SEVERITIES, Finding
from service.reports.model import jsonable

BLOCKING = ("veto", "error")

# Words that a rule's own message writes whatever the item: a key made only of these names no item.
GENERIC_KEYS: frozenset[str] = frozenset({
    "合计", "总计", "小计", "综合利用率", "利用率", "模式", "第三条", "第七条", "产生强度", "工业增加值占比", "清洁生产审核",
    "负债率", "社保缴纳明细", "专业技术人员情况", "高级+中级+初级", "承诺", "附件1", "附件3", "指标表",
})


def keys_of(expected: Mapping[str, Any]) -> list[str]:
    keys = expected.get("keys")
    if keys is None:
        keys = [expected["key"]] if expected.get("key") else []
    return [str(k) for k in keys]


def generic_keys(expected: Mapping[str, Any]) -> list[str]:
    """The entry's keys that identify nothing (see GENERIC_KEYS); a good entry has none left
    without a specific key beside it."""
    keys = keys_of(expected)
    specific = [k for k in keys if k not in GENERIC_KEYS]
    return [] if specific else keys


def _parts(finding: Finding | Mapping[str, Any]) -> tuple[str, str, str, str, list[str]]:
    if isinstance(finding, Finding):
        return (finding.rule, finding.severity, finding.message, json.dumps(jsonable(finding.evidence), ensure_ascii=False),
                [loc.file for loc in finding.locations])
    return (finding["rule"], finding["severity"], finding["message"],
            json.dumps(jsonable(finding.get("evidence") or {}), ensure_ascii=False),
            [loc["file"] for loc in finding.get("locations") or []])


def _same_file(a: str, b: str) -> bool:
    a, b = a.replace("\\", "/").strip("/"), b.replace("\\", "/").strip("/")
    return a == b or a.endswith("/" + b) or b.endswith("/" + a)


def matches_expected(finding: Finding | Mapping[str, Any], expected: Mapping[str, Any]) -> bool:
    """Whether `finding` is the finding `expected` describes (rule, keys, file)."""
    rule, _severity, message, evidence, files = _parts(finding)
    if rule != expected["rule"]:
        return False
    keys = keys_of(expected)  # none: a package-level finding, one of its rule per package
    if not all(k in message or k in evidence for k in keys):
        return False
    want = expected.get("file")
    return not want or any(_same_file(f, want) for f in files)


@dataclass
class PackageScore:
    package: str
    expected_form: str | None
    clean: bool
    expected: list[dict[str, Any]]
    report: dict[str, Any] | None = None
    failure: str | None = None
    caught: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    softened: list[dict[str, Any]] = field(default_factory=list)  # found below the expected severity
    unexpected: list[dict[str, Any]] = field(default_factory=list)  # error/veto nothing explains

    @property
    def false_alarms(self) -> list[dict[str, Any]]:
        return self.unexpected


def score_package(entry: Mapping[str, Any], report: dict[str, Any] | None, failure: str | None = None) -> PackageScore:
    expected = list(entry.get("expected") or [])
    allowed = list(entry.get("allowed") or [])
    score = PackageScore(entry["package"], entry.get("form"), bool(entry.get("clean")), expected, report, failure)
    if report is None:
        score.missed = expected
        return score
    findings = report["findings"]
    for exp in expected:
        hits = [f for f in findings if matches_expected(f, exp)]
        if not hits:
            score.missed.append(exp)
            continue
        score.caught.append(exp)
        want = exp.get("severity")
        if want in SEVERITIES and min(SEVERITIES.index(f["severity"]) for f in hits) > SEVERITIES.index(want):
            score.softened.append(exp)
    explained = expected + allowed
    score.unexpected = [f for f in findings if f["severity"] in BLOCKING and not any(matches_expected(f, e) for e in explained)]
    return score


def summary(scores: list[PackageScore]) -> dict[str, Any]:
    planted = sum(len(s.expected) for s in scores)
    caught = sum(len(s.caught) for s in scores)
    return {
        "packages": [
            {
                "package": s.package,
                "form_expected": s.expected_form,
                "form_detected": s.report["package"]["form"] if s.report else None,
                "clean": s.clean,
                "caught": s.caught,
                "missed": s.missed,
                "softened": s.softened,
                "unexpected": [{"id": f["id"], "rule": f["rule"], "message": f["message"]} for f in s.unexpected],
                "summary": s.report["summary"] if s.report else None,
                "failure": s.failure,
            }
            for s in scores
        ],
        "planted": planted,
        "caught": caught,
        "recall": round(caught / planted, 4) if planted else None,
        "softened": sum(len(s.softened) for s in scores),
        "unexpected": sum(len(s.unexpected) for s in scores),
        "clean_with_unexpected": sum(1 for s in scores if s.clean and s.unexpected),
        "failed": sum(1 for s in scores if s.report is None),
    }
