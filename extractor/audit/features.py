"""`PackageFeatures`: what the provincial audit needs of one package, computed when it is checked.

Kept in the JSON report (its `audit` section) and in the service's database, so that packages
are compared without reading their files again: a province audits what its cities already
checked.  ID numbers are kept hashed (a masked number as printed, its visible digits only);
passages as MinHash signatures beside their text (the side-by-side view needs the words).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from extractor.audit.passages import encode_signature, name_variants, passages, signature
from extractor.model import Document, Location, PictureHash

FEATURES_VERSION = 1
ID_SALT = b"shencha-audit-id-v1:"
MIN_FIGURES = 3  # a figure set of fewer numbers is too common to tell anything
COMPANY_FIELDS = ("company_name", "unit_name", "1.name")
_AGENCY = re.compile(
    r"(?:评价机构|编制单位|评价单位|第三方评价机构)(?:名称)?\s*[:：]\s*"
    r"([\u4e00-\u9fff（）()·]{4,40}?(?:有限责任公司|股份有限公司|有限公司|研究院|设计院|研究所|中心|协会|事务所))"
)
_SPACE = re.compile(r"\s+")


class Passage(BaseModel):
    text: str  # as written (cut at 300 characters)
    signature: str  # MinHash (datasketch, 64 permutations) of the 3-character shingles of its masked text, base64 of uint32
    loc: Location | None = None


class Person(BaseModel):
    name: str
    list: str  # "roster" (专职人员花名册) or "insured" (社保缴纳明细)
    id_hash: str | None = None  # of a full ID number
    id_masked: str | None = None  # a masked number as printed ("420106********2315")
    id_visible: str | None = None  # what a masked print shows of any number: its first 6 and last 4 ("420106…2315")
    birth: str | None = None  # YYYYMMDD, when the number shows it
    loc: Location | None = None


class FigureSet(BaseModel):
    """The figures of one table or part for one period: the same set elsewhere is a reuse."""

    source: str  # the part they come from: basic_info, annual_report, indicator_table …
    period: str | None = None
    values: list[tuple[str, str]]  # (meaning key, value in the base unit)
    fingerprint: str  # sha256 of the values, period left out
    round_only: bool = False  # every figure a round number: common by chance
    loc: Location | None = None


class Contact(BaseModel):
    kind: str  # mobile, phone, email
    value: str  # normalised: digits only for numbers, lower case for e-mail
    label: str = ""
    loc: Location | None = None


class PackageFeatures(BaseModel):
    version: int = FEATURES_VERSION
    form: str = "unknown"
    company: str | None = None
    credit_code: str | None = None
    agency: str | None = None  # the evaluation agency that wrote it; an agency's own application: itself
    applicants: list[str] = Field(default_factory=list)  # every company the package names as applicant (a city's batch: several)
    period: str | None = None
    passages: list[Passage] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    figures: list[FigureSet] = Field(default_factory=list)
    pictures: list[PictureHash] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)


def normalise_name(name: str | None) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", name or "")).replace("(", "（").replace(")", "）")


def hash_id(number: str) -> str:
    return hashlib.sha256(ID_SALT + number.encode("ascii", "replace")).hexdigest()[:32]


def package_features(documents: list[Document], form: Any) -> PackageFeatures:
    """`form` is the package's `FormResult`."""
    company = _field(form, COMPANY_FIELDS) or _identity(form, "company_name")
    credit = _field(form, ("credit_code",)) or _identity(form, "credit_code")
    people = _people(form.model)
    agency = company if form.form == "hb_agency" else _agency(documents)
    return PackageFeatures(
        form=form.form,
        company=normalise_name(company) or None,
        credit_code=(credit or "").strip().upper() or None,
        agency=normalise_name(agency) or None,
        period=_period(form),
        applicants=sorted({normalise_name(i.value) for i in form.identities if i.kind == "company_name" and i.value}
                          | ({normalise_name(company)} if company else set())),
        passages=[Passage(text=text, signature=encode_signature(signature(norm)), loc=loc)
                  for text, norm, loc in passages(documents, _outline_titles(form), name_variants(company))],
        people=people,
        figures=_figures(form),
        pictures=[p for doc in documents for p in doc.pictures],
        contacts=_contacts(form),
    )


def _field(form: Any, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        fv = form.fields.get(key)
        if fv is not None and fv.text and fv.text.strip():
            return fv.text.strip()
    return None


def _identity(form: Any, kind: str) -> str | None:
    values = [i.value for i in form.identities if i.kind == kind and i.value]
    return Counter(values).most_common(1)[0][0] if values else None


def _agency(documents: list[Document]) -> str | None:
    for doc in documents:
        for block in doc.blocks[:400]:
            m = _AGENCY.search(block.text or "")
            if m:
                return m.group(1)
            if block.table is not None:
                for row in block.table.rows[:30]:
                    texts = [c.text for c in row]
                    for i, text in enumerate(texts[:-1]):
                        if re.fullmatch(r"\s*(评价机构|编制单位|评价单位)(名称)?\s*", text or ""):
                            value = normalise_name(texts[i + 1])
                            if len(value) >= 4:
                                return value
    return None


def _period(form: Any) -> str | None:
    periods = Counter(f.period for f in form.facts if f.period)
    return periods.most_common(1)[0][0] if periods else None


def _outline_titles(form: Any) -> set[str]:
    from extractor.audit.passages import normalise

    return {normalise(s.title) for s in form.outline if s.title} | {normalise(s.heading) for s in form.outline if s.heading}


def _people(model: Any) -> list[Person]:
    from extractor.forms.hb_agency import HbAgency, id_key

    if not isinstance(model, HbAgency):
        return []
    out = []
    for kind, rows in (("roster", model.roster), ("insured", model.insured)):
        for row in rows:
            name = normalise_name(row.name)
            if not name or row.name_doubtful:
                continue
            number = id_key(row.id_number)
            person = Person(name=name, list=kind, loc=row.loc)
            if re.fullmatch(r"\d{17}[\dX]", number):
                person.id_hash = hash_id(number)
                person.birth = number[6:14]
                person.id_visible = f"{number[:6]}…{number[-4:]}"
            elif "*" in number and re.fullmatch(r"[\dX*]{15,18}", number):
                person.id_masked = number
                head, tail = number.split("*", 1)[0], number.rsplit("*", 1)[-1]
                if len(head) >= 6 and len(tail) >= 4:
                    person.id_visible = f"{head[:6]}…{tail[-4:]}"
                if len(number) == 18 and number[6:14].isdigit():
                    person.birth = number[6:14]
            out.append(person)
    return out


def _is_round(value: Decimal) -> bool:
    return value == value.to_integral_value() and (value == 0 or value % 10 == 0)


def _figures(form: Any) -> list[FigureSet]:
    groups: dict[tuple[str, str | None], list[Any]] = defaultdict(list)
    for fact in form.facts:
        if fact.quantity is None or fact.quantity.approximate or fact.uncertain:
            continue
        groups[(fact.source, fact.period)].append(fact)
    out = []
    for (source, period), facts in groups.items():
        values = sorted({(f.key, format(f.quantity.value.normalize(), "f")) for f in facts})
        if len(values) < MIN_FIGURES:
            continue
        digest = hashlib.sha256(repr(values).encode("utf-8")).hexdigest()[:32]
        out.append(FigureSet(source=source, period=period, values=values, fingerprint=digest,
                             round_only=all(_is_round(Decimal(v)) for _k, v in values),
                             loc=facts[0].quantity.loc))
    return out


def _contacts(form: Any) -> list[Contact]:
    out, seen = [], set()
    for c in form.contacts:
        if c.kind not in ("mobile", "phone", "email"):
            continue
        value = c.value.strip().lower() if c.kind == "email" else re.sub(r"\D", "", c.value)
        if len(value) < 7 or (c.kind, value) in seen:
            continue
        seen.add((c.kind, value))
        out.append(Contact(kind=c.kind, value=value, label=c.label, loc=c.loc))
    return out
