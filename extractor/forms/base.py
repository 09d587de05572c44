"""What form extraction hands to the checkers.

A form module (one per kind of submission) reads the package's `Document`s and fills a
`FormResult`: the form's own pydantic model (reported under "fields"), plus generic claims
that the checkers verify without knowing the form: figures with a meaning (`Fact`), sums,
rates, year-on-year changes, material balances, monthly series, identities, outline and
attachment status.  A new form adds a module that fills these; the checkers stay as they are.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, Field

from extractor.model import Location
from extractor.forms.licence import Licence
from extractor.quantity import Quantity

ModelT = TypeVar("ModelT", bound=BaseModel)


class FieldValue(BaseModel):
    """A labelled value of a form table, e.g. 企业名称 -> 某某公司."""

    name: str  # field id, e.g. "company_name"
    label: str  # the label as the seed writes it, e.g. "企业名称"
    text: str | None = None  # None or "" when blank
    quantity: Quantity | None = None
    loc: Location | None = None
    required: bool = False
    source: str | None = None  # role of the file it came from
    # other places of the form where the same field's value cell is left empty
    blank_at: list[Location] = Field(default_factory=list)

    @property
    def blank(self) -> bool:
        return not (self.text or "").strip()


class Fact(BaseModel):
    """A figure with a meaning, from one place.  Two facts with the same key and period
    from different places must agree (CROSSDOC.FIGURE_MISMATCH)."""

    key: str  # canonical meaning, e.g. "waste.utilized:粉煤灰", "sales_revenue"
    label: str  # Chinese, e.g. "粉煤灰利用量"
    period: str | None = None  # "2024", or None when the form has a single period
    quantity: Quantity
    source: str  # role of the file or part: basic_info, annual_report, indicator_table, narrative…
    quote: str | None = None  # surrounding source text, for the report
    # why the figure's meaning is not certain (which waste, which year…); None when it is
    uncertain: str | None = None


class SumClaim(BaseModel):
    label: str  # e.g. "工业资源年综合利用量"
    period: str | None = None
    total: Fact
    items: list[Fact]


class RateClaim(BaseModel):
    label: str  # e.g. "综合利用率"
    period: str | None = None
    reported: Fact  # in %
    numerator: Fact
    denominator: Fact
    formula: str  # Chinese, e.g. "综合利用量 / 产生量 × 100%"
    # other denominators the rate may be defined on (产生量 + 接收量 where a table adds 接收量):
    # the rate is consistent when it agrees with any of them
    alternatives: list[Fact] = Field(default_factory=list)


class ChangeClaim(BaseModel):
    label: str
    previous: Fact
    current: Fact
    change: Fact  # as written: absolute (same unit as the years) or a percentage
    change_text: str  # the cell text, e.g. "+3.2%", "增加1.5"


class BalanceClaim(BaseModel):
    """Material balance of one waste type in one period: utilised cannot exceed what was
    generated plus received (plus stock drawn down, where stated)."""

    waste: str
    period: str | None = None
    generated: Fact | None = None
    received: Fact | None = None
    utilized: Fact
    stock_drawn: Fact | None = None  # 期初库存 - 期末库存 where both are stated, or 库存减少


class MonthlyClaim(BaseModel):
    label: str  # e.g. "粉煤灰利用量"
    period: str | None = None
    months: list[Fact]
    annual: Fact


class SectionHit(BaseModel):
    id: str  # outline id, e.g. "2" or "2.3"
    title: str  # the seed's title
    required: bool = True
    found: bool = False
    heading: str | None = None  # the heading as written
    score: float | None = None
    loc: Location | None = None
    # a heading in the right place that may cover the item but does not clearly name it
    possible: bool = False
    severity: str | None = None  # the form's own severity for a missing item (corpus spec)
    note: str | None = None  # why that severity, in Chinese


class SealCopy(BaseModel):
    """One copy of a declaration that must be sealed, and what its pages show."""

    file: str
    pages: list[int] = Field(default_factory=list)  # the pages it stands on (empty: a file without pages)
    kind: str  # "scan" (a picture of paper), "pdf" (an electronic PDF), "editable" (Word, Excel…)
    seals: list[Location] = Field(default_factory=list)  # seals found on those pages (page and box)
    looked: bool = False  # every page of it was looked at in colour
    mono: bool = False  # some page is a grey or bitonal scan: a red seal cannot be told


class AttachmentStatus(BaseModel):
    id: str  # e.g. "business_license"
    title: str  # Chinese, e.g. "营业执照"
    clause: str  # the seed clause requiring it
    severity: str = "error"
    found: bool = False
    evidence: list[Location] = Field(default_factory=list)
    how: str | None = None  # how it was found: file name, image in section, text…
    sealed: bool = False  # the seeds require it sealed (SEAL.MISSING)
    report_absence: bool = True  # ATTACHMENT.MISSING when not found (false: another rule says so)
    copies: list[SealCopy] = Field(default_factory=list)  # of a sealed one: each copy found


class Identity(BaseModel):
    kind: str  # "company_name" | "credit_code"
    value: str
    loc: Location | None = None
    source: str  # role
    # seen in running text as a near-variant of the declared name, not in a labelled field:
    # likely a slip, possibly a related company, so it is worth a warning rather than an error
    inferred: bool = False
    # identities are compared within a group: a city's package may hold several applicants
    group: str | None = None
    # read by OCR from a scan: the recogniser's confidence (0…1); None for the file's own text
    confidence: float | None = None


class ContactValue(BaseModel):
    kind: str  # "mobile" | "phone" | "email" | "credit_code"
    label: str
    value: str
    loc: Location | None = None
    confidence: float | None = None  # read by OCR: the recogniser's confidence (0…1)


class FileRole(BaseModel):
    path: str
    roles: list[str]


class FormResult(BaseModel):
    form: str  # hb_evaluation, hn_benchmark, … or "unknown"
    form_title: str = ""
    detection_score: float = 0.0
    file_roles: list[FileRole] = Field(default_factory=list)
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    # the form's own typed model (HbEvaluation, HbAgency, HnBenchmark …): what its rules read
    # (`form_model`); Any, so that it is kept as the form built it, never coerced
    model: Any = None
    outline: list[SectionHit] = Field(default_factory=list)
    attachments: list[AttachmentStatus] = Field(default_factory=list)
    identities: list[Identity] = Field(default_factory=list)
    contacts: list[ContactValue] = Field(default_factory=list)
    licences: list[Licence] = Field(default_factory=list)  # 营业执照 found in any file (extractor/forms/licence.py)
    facts: list[Fact] = Field(default_factory=list)
    sums: list[SumClaim] = Field(default_factory=list)
    rates: list[RateClaim] = Field(default_factory=list)
    changes: list[ChangeClaim] = Field(default_factory=list)
    balances: list[BalanceClaim] = Field(default_factory=list)
    monthly: list[MonthlyClaim] = Field(default_factory=list)
    # file path -> applicant group, for packages that bundle several applicants' files
    identity_groups: dict[str, str] = Field(default_factory=dict)


def form_model(result: FormResult, cls: type[ModelT]) -> ModelT:
    """The form's typed model; a default one when the package was not read as that form."""
    m = result.model
    if isinstance(m, cls):
        return m
    return cls.model_validate(m or {})
