"""What every check function receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extractor.forms.base import FormResult
from extractor.model import Document


@dataclass
class Context:
    documents: list[Document]
    form: FormResult
    settings: dict[str, Any] = field(default_factory=dict)  # the form's corpus data (thresholds…)

    def document(self, path: str) -> Document | None:
        return next((d for d in self.documents if d.path == path), None)
