"""The finding every rule emits; part of the public report contract (schema_version 1)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field

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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        """Stable across runs on the same input: rule + message + locations."""
        h = hashlib.sha1()
        h.update(self.rule.encode())
        h.update(self.message.encode())
        h.update(json.dumps([l.model_dump() for l in self.locations], sort_keys=True).encode())
        return h.hexdigest()[:12]
