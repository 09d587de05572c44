"""Form specifications, read from `corpus/forms/<id>.yaml` (data, not code)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
# a form is a spec corpus/forms/<id>.yaml plus a module extractor/forms/<id>.py with extract()
FORM_IDS = tuple(sorted(p.stem for p in (CORPUS / "forms").glob("*.yaml")
                        if not p.stem.endswith("_thresholds") and (Path(__file__).parent / f"{p.stem}.py").exists()))
RESERVED_FORM_IDS = tuple(f for f in ("hb_agency", "nowaste_case", "hn_green_mfg") if f not in FORM_IDS)


class RoleSpec(BaseModel):
    title: str
    signatures: dict[str, float] = Field(default_factory=dict)
    min_score: float = 0
    min_outline: int = 0  # a report is recognised by its outline sections
    # headings that open this part where one file binds several ("附件1", "申报企业基本情况表")
    part_heads: list[str] = Field(default_factory=list)
    # the part is issued by another organisation (a social-security statement names the unit it
    # was printed for): the names in it are not the applicant's statements of its own identity
    foreign: bool = False


class SectionSpec(BaseModel):
    id: str
    title: str
    aliases: list[str] = Field(default_factory=list)
    required: bool = True
    severity: str | None = None  # of its absence, where the seed makes it less than an error
    note: str | None = None  # why, in Chinese, shown with the finding

    @property
    def parent(self) -> str | None:
        return self.id.rsplit(".", 1)[0] if "." in self.id else None


class FieldSpec(BaseModel):
    label: str
    aliases: list[str] = Field(default_factory=list)
    required: bool = False
    kind: str | None = None  # credit_code | mobile | phone | email
    identity: str | None = None  # company_name | credit_code
    unit: str | None = None
    number: bool = False

    @property
    def names(self) -> list[str]:
        return [self.label, *self.aliases]


class IndicatorSpec(BaseModel):
    label: str
    aliases: list[str] = Field(default_factory=list)
    unit: str | None = None
    text: bool = False

    @property
    def names(self) -> list[str]:
        return [self.label, *self.aliases]


class AttachmentSpec(BaseModel):
    id: str
    title: str
    clause: str
    severity: str = "error"
    names: list[str] = Field(default_factory=list)  # file-name / caption words
    text: list[str] = Field(default_factory=list)  # phrases in text that satisfy it
    text_in_role: str | None = None  # only text in a file of that role counts
    image_in_section: str | None = None  # an image in this outline section satisfies it
    sealed: bool = False  # the seeds require it signed and sealed (单位公章): SEAL.MISSING
    # false where another rule already reports its absence (an outline section, a form part):
    # it is then looked for only to check its seal
    report_absence: bool = True


class FormSpec(BaseModel):
    id: str
    title: str
    detect: dict[str, float]
    roles: dict[str, RoleSpec]
    outline: list[SectionSpec]
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    # labelled values read from the report itself rather than a form part (the 评价机构 on its cover)
    report_fields: dict[str, FieldSpec] = Field(default_factory=dict)
    tables: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    indicators: dict[str, IndicatorSpec] = Field(default_factory=dict)
    indicator_columns: dict[str, list[str]] = Field(default_factory=dict)
    attachments: list[AttachmentSpec] = Field(default_factory=list)

    def section(self, sid: str) -> SectionSpec | None:
        return next((s for s in self.outline if s.id == sid), None)


@lru_cache(maxsize=None)
def load_spec(form_id: str) -> FormSpec:
    data = yaml.safe_load((CORPUS / "forms" / f"{form_id}.yaml").read_text(encoding="utf-8"))
    # the record tables every form may meet (物料衡算…), unless the form defines its own
    data["tables"] = {**(load_yaml("tables.yaml").get("tables") or {}), **(data.get("tables") or {})}
    return FormSpec.model_validate(data)


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


def load_settings(form_id: str) -> dict[str, Any]:
    """Thresholds and other checker settings for a form, if it has any."""
    p = CORPUS / "forms" / f"{form_id}_thresholds.yaml"
    return yaml.safe_load(p.read_text(encoding="utf-8")) if p.exists() else {}
