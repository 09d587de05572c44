"""hb_agency — 湖北省工业固体废物资源综合利用评价机构申请 (seed 001: 第七条, 第八条, 附件5, 附件6).

Parts: the 申请报告, the 附件5 申请表 (一、单位基本情况; 二、专业技术人员名单), the 专职人员花名册,
the 社保缴纳明细 (.xlsx or .pdf), the 近三年业绩 contract list, and the 第八条 materials.

Extraction keeps every person and contract as a record with its location; the checkers
(`checkers/rules/agency.py`) match people across the lists, and `checkers/agency_scores.py`
works out the 附件6 scores the documents determine.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from extractor.forms import common
from extractor.forms.base import FieldValue, FormResult
from extractor.forms.outline import match_outline
from extractor.forms.parts import parts_of
from extractor.forms.spec import load_settings, load_spec
from extractor.forms.labels import find_label_values
from extractor.forms.tables import RecordRow, find_record_tables
from extractor.dates import parse_date, parse_period
from extractor.ocr import read_doubtfully
from extractor.forms.text import compact
from extractor.model import Document, Location

FORM_ID = "hb_agency"

# ---------------------------------------------------------------- the model


class StaffCounts(BaseModel):
    """附件5 专业技术人员情况: 共N名。其中高级职称N名；中级职称N名；初级职称N名."""

    text: str = ""
    total: int | None = None
    senior: int | None = None
    intermediate: int | None = None
    junior: int | None = None
    loc: Location | None = None


class StaffMember(BaseModel):
    """One row of 附件5 二、专业技术人员名单."""

    name: str
    name_doubtful: bool = False  # OCR read the name doubtfully or not at all (a row of a scan)
    age: int | None = None
    age_text: str = ""
    education: str = ""
    title: str = ""
    major: str = ""
    specialty: str = ""
    years: Decimal | None = None  # 从事资源综合利用服务年限
    years_text: str = ""
    loc: Location | None = None  # the name cell
    age_loc: Location | None = None


class RosterEntry(BaseModel):
    """One row of the 专职人员花名册."""

    name: str
    name_doubtful: bool = False  # OCR read the name doubtfully or not at all (a row of a scan)
    gender: str = ""
    id_number: str = ""
    post: str = ""
    major: str = ""
    hired: date | None = None
    hired_text: str = ""
    insured_from: date | None = None
    insured_to: date | None = None  # None while the period runs on (至今)
    insured_text: str = ""
    full_time: bool | None = None  # None when the roster has no such column
    full_time_text: str = ""
    loc: Location | None = None
    id_loc: Location | None = None
    hired_loc: Location | None = None
    insured_loc: Location | None = None


class InsuredPerson(BaseModel):
    """One person of the 社保缴纳明细 (a statement may give one row per 险种)."""

    name: str
    name_doubtful: bool = False  # OCR read the name doubtfully or not at all (a row of a scan)
    id_number: str = ""
    kinds: list[str] = Field(default_factory=list)
    statuses: list[str] = Field(default_factory=list)
    active: bool | None = None  # False: no 险种 in force; None: no status column
    unit: str = ""  # the 单位名称 column, where the statement has one
    loc: Location | None = None
    id_loc: Location | None = None
    status_loc: Location | None = None


class StatementUnit(BaseModel):
    """The unit a social-security statement was issued to."""

    name: str
    loc: Location | None = None


class Contract(BaseModel):
    """One row of the 业绩 contract list."""

    name: str
    client: str = ""
    signed: date | None = None
    signed_text: str = ""
    amount: str = ""
    type_text: str = ""
    category: str | None = None  # 固废评价 / 环境咨询 / 节能评估 / 绿色制造评价 / 体系认证; None: unrelated
    relevant: bool = False  # 固废评价 or 环境咨询 (附件6 业绩相关性)
    provincial: bool = False  # client is a provincial government department (2 points)
    loc: Location | None = None

    @property
    def related(self) -> bool:
        return self.category is not None


class HbAgency(BaseModel):
    applicant: str | None = None
    apply_date: date | None = None
    apply_date_text: str = ""
    application: dict[str, FieldValue] = Field(default_factory=dict)
    staff_counts: StaffCounts = Field(default_factory=StaffCounts)
    staff_total_employees: int | None = None  # 员工总数
    staff: list[StaffMember] = Field(default_factory=list)
    staff_found: bool = False
    roster: list[RosterEntry] = Field(default_factory=list)
    roster_found: bool = False
    insured: list[InsuredPerson] = Field(default_factory=list)
    insurance_found: bool = False
    insurance_units: list[StatementUnit] = Field(default_factory=list)
    contracts: list[Contract] = Field(default_factory=list)
    contracts_found: bool = False
    report_found: bool = False
    outline_missing: list[str] = Field(default_factory=list)
    outline_possible: list[str] = Field(default_factory=list)  # a heading in place may cover the item
    declaration_found: bool = False


# ---------------------------------------------------------------- text helpers

_NAME_NOISE = re.compile(r"[\s\u3000]+")
_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", "‧": "·"})


def person_key(name: str) -> str:
    """A person's name as compared across lists: full-width folded, no spaces ("张  伟" = "张伟")."""
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name or "")).translate(_DOTS)


_MASK_CHARS = re.compile(r"[*●•×＊\u2217]")


def id_key(number: str) -> str:
    """An ID number as compared: half-width, no spaces, upper-case X, mask characters as "*"."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", number or "")).upper()
    return _MASK_CHARS.sub("*", t)


def is_masked(number: str) -> bool:
    """A number printed with its middle hidden, as the 社保 system prints it ("420106********2315")."""
    return "*" in id_key(number)


def visible_digits(number: str) -> tuple[str, str]:
    """(prefix, suffix) shown around the mask of a masked number."""
    n = id_key(number)
    head = n.split("*", 1)[0]
    tail = n.rsplit("*", 1)[-1]
    return head, tail


def numbers_agree(a: str, b: str) -> bool:
    """Whether two ID numbers, either of them masked, can be the same number: the digits both
    show agree, position by position where the mask keeps the length ("420106********2315"),
    else at the visible head and tail ("4201**2315")."""
    x, y = id_key(a), id_key(b)
    if "*" not in x and "*" not in y:
        return x == y
    if len(x) == len(y):
        return all(p == q or "*" in (p, q) for p, q in zip(x, y))
    (hx, tx), (hy, ty) = visible_digits(x), visible_digits(y)
    n = min(len(hx), len(hy))
    k = min(len(tx), len(ty))
    return hx[:n] == hy[:n] and (k == 0 or tx[-k:] == ty[-k:])


def parse_count(text: str) -> int | None:
    t = compact(text).strip("_＿")
    if not t:
        return None
    if t.isdigit():
        return int(t)
    try:
        import cn2an  # 0.15 s to import: only for ages written in Chinese numerals

        v = cn2an.cn2an(t, "smart")
    except (ValueError, KeyError, TypeError):
        return None
    return int(v) if float(v).is_integer() else None


_COUNT_PATTERNS = {
    "total": re.compile(r"共(?:计|有)?([0-9零〇一二两三四五六七八九十百]+)[名人]"),
    "senior": re.compile(r"(?<![副正])高级(?:职称)?(?:人员)?([0-9零〇一二两三四五六七八九十百]+)[名人]"),
    "intermediate": re.compile(r"中级(?:职称)?(?:人员)?([0-9零〇一二两三四五六七八九十百]+)[名人]"),
    "junior": re.compile(r"初级(?:职称)?(?:人员)?([0-9零〇一二两三四五六七八九十百]+)[名人]"),
}


def parse_staff_counts(text: str, loc: Location | None = None) -> StaffCounts:
    t = compact(text)
    out = StaffCounts(text=text or "", loc=loc)
    for key, pat in _COUNT_PATTERNS.items():
        m = pat.search(t)
        if m:
            setattr(out, key, parse_count(m.group(1)))
    return out


def parse_years(text: str) -> Decimal | None:
    m = re.search(r"\d+(?:\.\d+)?", unicodedata.normalize("NFKC", text or ""))
    return Decimal(m.group(0)) if m else None


def parse_full_time(text: str) -> bool | None:
    t = compact(text)
    if not t:
        return None
    if any(w in t for w in ("否", "兼职", "非全职", "临时", "劳务")):
        return False
    if any(w in t for w in ("是", "全职", "专职", "√", "✓", "Y")):
        return True
    return None


def clean_cell(text: str) -> str:
    return common.clean_value(text)


# ---------------------------------------------------------------- classification (settings-driven)


def contract_category(text: str, settings: dict[str, Any]) -> tuple[str | None, bool]:
    """(category, relevant) of a contract from its 服务类型 or 项目名称; (None, False) when unrelated."""
    t = compact(text)
    for entry in settings.get("contract_types") or []:
        if any(compact(w) in t for w in entry.get("words", [])):
            return entry["type"], bool(entry.get("relevant"))
    return None, False


def is_provincial_client(client: str, settings: dict[str, Any]) -> bool:
    rule = settings.get("provincial_client") or {}
    t = compact(client)
    if not t:
        return False
    if any(w in t for w in rule.get("exclude", [])):
        return False
    return any(t.startswith(p) for p in rule.get("prefix", [])) and any(t.endswith(s) for s in rule.get("suffix", []))


def insurance_active(statuses: list[str], settings: dict[str, Any]) -> bool | None:
    """True when some 险种 is in force, False when every stated status says it is not."""
    words = settings.get("insurance_status") or {}
    verdicts = []
    for s in statuses:
        t = compact(s)
        if not t:
            continue
        if any(w in t for w in words.get("inactive", [])):
            verdicts.append(False)
        elif any(w in t for w in words.get("active", [])):
            verdicts.append(True)
    if not verdicts:
        return None
    return any(verdicts)


def specialty_classes(texts: list[str], settings: dict[str, Any]) -> set[str]:
    """Which of the settings' specialty classes (environment, finance …) the texts name."""
    out = set()
    for cls, spec in (settings.get("specialties") or {}).items():
        if any(compact(w) in compact(t) for t in texts for w in spec.get("words", [])):
            out.add(cls)
    return out


# ---------------------------------------------------------------- extraction


def _cell_text(row: RecordRow, key: str) -> str:
    return clean_cell(row.text(key))


def _cell_loc(row: RecordRow, key: str) -> Location | None:
    c = row.cells.get(key)
    return c.loc if c is not None else None


def _real_name(label: str) -> bool:
    t = person_key(label)
    return 2 <= len(t) <= 12 and not any(ch.isdigit() for ch in t) and t not in ("姓名", "合计", "小计")


def _person_row(row: RecordRow) -> bool:
    """A row of a list of people: its name is a name, or OCR read it doubtfully (李洋 read as
    「率」) or not at all while reading the rest of the row: the row is still a person, whose
    name a rule may not rely on (`_name_doubtful`)."""
    if _real_name(row.label):
        return True
    t = person_key(row.label)
    if any(ch.isdigit() for ch in t) or len(t) > 12 or t in ("姓名", "合计", "小计"):
        return False
    return _name_doubtful(row)


def _name_doubtful(row: RecordRow) -> bool:
    c = row.cells.get("name")
    if c is not None and read_doubtfully(getattr(c, "confidence", None)):
        return True
    # a name cell left empty on a scan whose other cells of the row were read
    scanned = [o for k, o in row.cells.items() if k != "name" and getattr(o, "confidence", None) is not None]
    return not person_key(row.label) and sum(1 for o in scanned if o.text.strip()) >= 2


def _staff(docs: list[Document], spec) -> tuple[list[StaffMember], bool]:
    cols = spec.tables["staff"]
    for d in docs:
        for rt in find_record_tables(d, cols, required=("name",), min_keys=4):
            if not any(k in rt.columns for k in ("years", "specialty", "major")):
                continue
            out = []
            for row in rt.rows:
                if not _person_row(row):
                    continue
                age_text = _cell_text(row, "age")
                years_text = _cell_text(row, "years")
                out.append(StaffMember(
                    name=row.label.strip(), name_doubtful=_name_doubtful(row), age=parse_count(re.sub(r"[岁周]", "", age_text)) if age_text else None,
                    age_text=age_text, education=_cell_text(row, "education"), title=_cell_text(row, "title"),
                    major=_cell_text(row, "major"), specialty=_cell_text(row, "specialty"),
                    years=parse_years(years_text), years_text=years_text,
                    loc=_cell_loc(row, "name"), age_loc=_cell_loc(row, "age")))
            return out, True
    return [], False


def _roster(docs: list[Document], spec) -> tuple[list[RosterEntry], bool]:
    cols = spec.tables["roster"]
    found = False
    out: list[RosterEntry] = []
    for d in docs:
        for rt in find_record_tables(d, cols, required=("name",), min_keys=4):
            if not any(k in rt.columns for k in ("hired", "insured_period", "full_time")):
                continue
            found = True
            for row in rt.rows:
                if not _person_row(row):
                    continue
                period = _cell_text(row, "insured_period")
                start, end = parse_period(period)  # one date or "…至今": a period still running
                full_text = _cell_text(row, "full_time")
                out.append(RosterEntry(
                    name=row.label.strip(), name_doubtful=_name_doubtful(row), gender=_cell_text(row, "gender"), id_number=id_key(_cell_text(row, "id_number")),
                    post=_cell_text(row, "post"), major=_cell_text(row, "major"),
                    hired=parse_date(_cell_text(row, "hired")), hired_text=_cell_text(row, "hired"),
                    insured_from=start, insured_to=end, insured_text=period,
                    full_time=parse_full_time(full_text) if "full_time" in rt.columns else None, full_time_text=full_text,
                    loc=_cell_loc(row, "name"), id_loc=_cell_loc(row, "id_number"), hired_loc=_cell_loc(row, "hired"),
                    insured_loc=_cell_loc(row, "insured_period")))
        if found:
            break
    return out, found


_UNIT_LABELS = {"unit": ["单位名称", "参保单位", "缴费单位", "用人单位", "单位全称", "参保单位名称"]}
_UNIT_IN_TEXT = re.compile(r"(?:单位名称|参保单位|缴费单位|用人单位)[:：]([\u4e00-\u9fa5()]{2,40}?(?:有限责任公司|股份有限公司|有限公司|公司|研究院|中心|事务所))")


def _insurance(docs: list[Document], spec, settings) -> tuple[list[InsuredPerson], list[StatementUnit], bool]:
    cols = spec.tables["insurance"]
    people: dict[str, InsuredPerson] = {}
    units: list[StatementUnit] = []
    found = False
    for d in docs:
        for h in find_label_values(d, _UNIT_LABELS):
            v = clean_cell(h.value_text)
            v = re.split(r"[,，;；。\s]", v)[0] if v else v
            if v and common.plausible_company(v) and all(compact(u.name) != compact(v) for u in units):
                units.append(StatementUnit(name=v, loc=h.value_loc))
        if not units:
            # a PDF line may run the title into the label ("…缴费明细单位名称：某某公司")
            for b in d.text_blocks():
                for mt in _UNIT_IN_TEXT.finditer(compact(b.text)):
                    if all(compact(u.name) != mt.group(1) for u in units):
                        units.append(StatementUnit(name=mt.group(1), loc=b.loc))
        for rt in find_record_tables(d, cols, required=("name",), min_keys=3):
            if not any(k in rt.columns for k in ("kind", "status")):
                continue
            found = True
            for row in rt.rows:
                if not _person_row(row):
                    continue
                idn = id_key(_cell_text(row, "id_number"))
                # a masked number is not unique: two people may share area code and last digits
                key = (idn + "|" + person_key(row.label)) if is_masked(idn) else (idn or person_key(row.label))
                p = people.get(key)
                if p is None:
                    p = people[key] = InsuredPerson(name=row.label.strip(), name_doubtful=_name_doubtful(row),
                                                    id_number=idn, loc=_cell_loc(row, "name"),
                                                    id_loc=_cell_loc(row, "id_number"))
                kind, status = _cell_text(row, "kind"), _cell_text(row, "status")
                if kind:
                    p.kinds.append(kind)
                if status:
                    p.statuses.append(status)
                    if p.status_loc is None or insurance_active([status], settings) is False:
                        p.status_loc = _cell_loc(row, "status")
                unit = _cell_text(row, "unit")
                if unit and not p.unit:
                    p.unit = unit
                    if common.plausible_company(unit) and all(compact(u.name) != compact(unit) for u in units):
                        units.append(StatementUnit(name=unit, loc=_cell_loc(row, "unit")))
    for p in people.values():
        p.active = insurance_active(p.statuses, settings)
    return list(people.values()), units, found


def _contracts(docs: list[Document], spec, settings) -> tuple[list[Contract], bool]:
    cols = spec.tables["contracts"]
    out: list[Contract] = []
    found = False
    for d in docs:
        for rt in find_record_tables(d, cols, required=("name",), min_keys=3):
            if not any(k in rt.columns for k in ("client", "date")):
                continue
            found = True
            for row in rt.rows:
                name = row.label.strip()
                if not name or len(compact(name)) < 4:
                    continue
                type_text = _cell_text(row, "type")
                category, relevant = contract_category(type_text, settings) if type_text else (None, False)
                if category is None:
                    category, relevant = contract_category(name, settings)
                client = _cell_text(row, "client")
                signed_text = _cell_text(row, "date")
                out.append(Contract(name=name, client=client, signed=parse_date(signed_text), signed_text=signed_text,
                                    amount=_cell_text(row, "amount"), type_text=type_text, category=category,
                                    relevant=relevant, provincial=is_provincial_client(client, settings),
                                    loc=_cell_loc(row, "name")))
        if found:
            break
    return out, found


def _apply_date(fields: dict[str, FieldValue]) -> tuple[date | None, str]:
    fv = fields.get("apply_date")
    if fv is not None and fv.text:
        return parse_date(fv.text), fv.text
    return None, ""


def extract(docs: list[Document], roles: dict[str, list[str]]) -> FormResult:
    spec = load_spec(FORM_ID)
    settings = load_settings(FORM_ID)
    by_role = lambda r: [d for d in docs if r in roles.get(d.path, [])]
    forms = parts_of(by_role("application_form"), spec, "application_form")
    form_paths = {d.path for d in forms}
    # the 申请报告: a file of its own, or the 申请报告 part of a file that binds the whole application
    report_files = by_role("report")
    reports = [r for d, r in zip(report_files, parts_of(report_files, spec, "report")) if d.path not in form_paths or r is not d]
    res = FormResult(form=FORM_ID, form_title=spec.title)
    model = HbAgency()

    fields = common.form_fields(res, spec, forms, "application_form")
    model.application = fields
    name = fields.get("company_name")
    model.applicant = name.text if name and name.text else None
    model.apply_date, model.apply_date_text = _apply_date(fields)
    tech = fields.get("tech_staff")
    if tech is not None:
        model.staff_counts = parse_staff_counts(tech.text or "", tech.loc)
    total = fields.get("staff_total")
    if total is not None and total.quantity is not None and total.quantity.value == total.quantity.value.to_integral_value():
        model.staff_total_employees = int(total.quantity.value)

    # the staff list belongs in 附件5, but some filers send it as a file of its own
    lists_elsewhere = [d for d in docs if d.path not in form_paths and not {"roster", "insurance", "contracts"} & set(roles.get(d.path, []))]
    model.staff, model.staff_found = _staff(forms + lists_elsewhere, spec)
    # a part whose file no signature recognised is still looked for, by its table, among the unclaimed files
    unclaimed = [d for d in docs if roles.get(d.path) == ["other"]]
    model.roster, model.roster_found = _roster(by_role("roster") or unclaimed, spec)
    model.insured, model.insurance_units, model.insurance_found = _insurance(by_role("insurance") or unclaimed, spec, settings)
    model.contracts, model.contracts_found = _contracts(by_role("contracts") or unclaimed, spec, settings)

    outline, spans = match_outline(reports, spec)
    res.outline = outline if reports else []
    model.report_found = bool(reports)
    model.outline_missing = [h.title for h in outline if not h.found and h.required] if reports else []
    model.outline_possible = [h.title for h in outline if not h.found and h.required and h.possible] if reports else []

    res.attachments = common.required_role_status(spec, roles, {
        "report": "第八条（一）",
        "application_form": "第八条（二）、附件5",
        "roster": "附件6 基本条件4（1）",
        "insurance": "第七条（四）、附件6 基本条件4（3）",
        "contracts": "第八条（五）、附件6 打分项「业绩数量」",
    }) + common.attachment_status(spec, docs, roles, spans)
    model.declaration_found = any(a.found for a in res.attachments if a.id == "declaration")

    res.model = model
    return res
