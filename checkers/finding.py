"""The finding every rule emits; part of the public report contract (schema_version 1)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr, computed_field

from extractor.model import Location

Severity = Literal["veto", "error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("veto", "error", "warning", "info")
SEVERITY_LABELS = {"veto": "否决", "error": "错误", "warning": "警告", "info": "提示"}


class Finding(BaseModel):
    rule: str
    severity: Severity
    message: str  # Chinese, showing the arithmetic
    locations: list[Location] = Field(default_factory=list)
    evidence: dict[str, Any] = Field(default_factory=dict)
    quote: str | None = None  # source text around the first location

    # set by `assign_ordinals` when two findings of one report would share an id
    _ordinal: int = PrivateAttr(default=0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        """Stable across runs on the same input and across rewordings of the message (reviewers'
        marks are keyed by it): rule + identifying evidence + locations."""
        return finding_id(self.rule, self.evidence, [l.model_dump() for l in self.locations], self._ordinal)


# Evidence fields that say WHICH item a finding is about (a waste, a person, a field, a year),
# as opposed to the figures computed about it.  Only these enter a finding's id, so that a
# finding keeps its id (and its reviewer's mark) when its message or arithmetic is reworded.
IDENTIFYING_EVIDENCE = frozenset({
    "key", "period", "label", "name", "kind", "field", "title", "part", "id_number", "file", "files",
    "year", "waste", "applicant", "industry", "category", "type", "clause", "source", "reference_source",
    "other_source", "value", "plan", "province", "table", "where", "system", "rule", "written", "item",
    "normalised", "person", "people", "unit", "variants", "attachment", "section", "code", "group", "id",
})


def finding_id(rule: str, evidence: dict[str, Any], locations: list[dict[str, Any]], ordinal: int = 0) -> str:
    """12 hex characters of sha1 over the rule code, the identifying evidence and the locations."""
    ident = {k: evidence[k] for k in sorted(evidence) if k in IDENTIFYING_EVIDENCE}
    h = hashlib.sha1()
    h.update(rule.encode())
    h.update(json.dumps(ident, sort_keys=True, ensure_ascii=False, default=str).encode())
    h.update(json.dumps(locations, sort_keys=True, ensure_ascii=False).encode())
    if ordinal:
        h.update(f"#{ordinal}".encode())
    return h.hexdigest()[:12]


def assign_ordinals(findings: list[Finding]) -> list[Finding]:
    """Give the second and later findings that would share an id an ordinal of their own, in
    report order, so every id in a report is unique."""
    seen: dict[str, int] = {}
    for f in findings:
        f._ordinal = 0
        base = f.id
        n = seen.get(base, 0)
        if n:
            f._ordinal = n
        seen[base] = n + 1
    return findings
