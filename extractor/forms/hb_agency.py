"""hb_agency — 湖北省工业固体废物资源综合利用评价机构申请 (seed 001: 第七条, 第八条, 附件5, 附件6).

Parts: the 申请报告, the 附件5 申请表 (一、单位基本情况; 二、专业技术人员名单), the 专职人员花名册,
the 社保缴纳明细 (.xlsx or .pdf), the 近三年业绩 contract list, and the 第八条 materials.

Extraction keeps every person and contract as a record with its location; the checkers
(`checkers/rules/agency.py`) match people across the lists.  The 附件6 scores that the
documents determine are computed here (`score_table`), so the report can show the table and
the rules can report each sub-score with its working from the same numbers.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
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


class ScoreRow(BaseModel):
    """One 附件6 打分项: computed from the documents, or left to the reviewer."""

    item: str
    group: str
    max: Decimal
    score: Decimal | None = None
    working: str
    status: str  # computed | manual


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
    outline_missing: list[str] = Field(default_factory=list)
    declaration_found: bool = False
    scores: list[ScoreRow] = Field(default_factory=list)


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


def _staff(docs: list[Document], spec) -> tuple[list[StaffMember], bool]:
    cols = spec.tables["staff"]
    for d in docs:
        for rt in find_record_tables(d, cols, required=("name",), min_keys=4):
            if not any(k in rt.columns for k in ("years", "specialty", "major")):
                continue
            out = []
            for row in rt.rows:
                if not _real_name(row.label):
                    continue
                age_text = _cell_text(row, "age")
                years_text = _cell_text(row, "years")
                out.append(StaffMember(
                    name=row.label.strip(), age=parse_count(re.sub(r"[岁周]", "", age_text)) if age_text else None,
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
                if not _real_name(row.label):
                    continue
                period = _cell_text(row, "insured_period")
                start, end = parse_period(period)  # one date or "…至今": a period still running
                full_text = _cell_text(row, "full_time")
                out.append(RosterEntry(
                    name=row.label.strip(), gender=_cell_text(row, "gender"), id_number=id_key(_cell_text(row, "id_number")),
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
                if not _real_name(row.label):
                    continue
                idn = id_key(_cell_text(row, "id_number"))
                # a masked number is not unique: two people may share area code and last digits
                key = (idn + "|" + person_key(row.label)) if is_masked(idn) else (idn or person_key(row.label))
                p = people.get(key)
                if p is None:
                    p = people[key] = InsuredPerson(name=row.label.strip(), id_number=idn, loc=_cell_loc(row, "name"),
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
    model.outline_missing = [h.title for h in outline if not h.found and h.required] if reports else []

    res.attachments = common.required_role_status(spec, roles, {
        "report": "第八条（一）",
        "application_form": "第八条（二）、附件5",
        "roster": "附件6 基本条件4（1）",
        "insurance": "第七条（四）、附件6 基本条件4（3）",
        "contracts": "第八条（五）、附件6 打分项「业绩数量」",
    }) + common.attachment_status(spec, docs, roles, spans)
    model.declaration_found = any(a.found for a in res.attachments if a.id == "declaration")

    model.scores = score_table(model, settings)
    res.model = model.model_dump(mode="json")
    return res


# ---------------------------------------------------------------- 附件6 scores


def _d(x: Any) -> Decimal:
    return Decimal(str(x))


def _fmt(x: Decimal) -> str:
    x = x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{x:f}"


def reference_date(model: HbAgency, settings: dict[str, Any]) -> tuple[date, str]:
    """The date ages and tenures are taken at: the application date, else 1 January of the
    review year (a setting — never the clock)."""
    if model.apply_date is not None:
        return model.apply_date, f"申请时间 {model.apply_date.isoformat()}"
    year = int(settings.get("review_year", 2026))
    return date(year, 1, 1), f"{year}-01-01（未读到申请时间，按评审年度年初）"


def full_years(start: date, end: date) -> int:
    """Completed years from start to end (an age, a tenure)."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(years, 0)


def recent_contracts(model: HbAgency, settings: dict[str, Any]) -> list[Contract]:
    cfg = (settings.get("scores") or {}).get("contract_count") or {}
    year = int(settings.get("review_year", 2026))
    first = year - int(cfg.get("recent_years", 3))
    return [c for c in model.contracts if c.signed is not None and first <= c.signed.year <= year]


def technical_staff(model: HbAgency) -> list[RosterEntry]:
    """The 专职技术人员 whose tenure counts: roster entries of the people on the staff list (all
    full-time roster entries when there is no staff list)."""
    full = [r for r in model.roster if r.full_time is not False]
    if not model.staff:
        return full
    names = {person_key(s.name) for s in model.staff}
    return [r for r in full if person_key(r.name) in names]


def _score_agency_years(model: HbAgency, settings, cfg) -> ScoreRow:
    title, mx = cfg.get("title", "机构从业年限"), _d(cfg.get("max", 5))
    year = int(settings.get("review_year", 2026))
    if not model.contracts_found:
        return ScoreRow(item=title, group="专业技术能力", max=mx, status="manual",
                        working="未识别到业绩合同清单，无法确定首份相关合同年份，待人工评分")
    related = [c for c in model.contracts if c.related and c.signed is not None]
    if not related:
        return ScoreRow(item=title, group="专业技术能力", max=mx, score=Decimal(0), status="computed",
                        working="业绩合同清单中没有可确认签订年份的相关第三方服务合同，得 0 分")
    first = min(related, key=lambda c: c.signed)
    years = year - first.signed.year
    per = _d(cfg.get("per_year", "0.5"))
    raw = Decimal(years) * per
    score = min(mx, max(Decimal(0), raw))
    working = (f"最早的相关服务合同「{first.name}」签订于 {first.signed.year} 年；"
               f"({year} − {first.signed.year}) × {_fmt(per)} = {_fmt(raw)} 分")
    if raw > mx:
        working += f"，满 {cfg.get('full_years', 10)} 年按上限 {_fmt(mx)} 分"
    return ScoreRow(item=title, group="专业技术能力", max=mx, score=score, working=working, status="computed")


def _score_contract_count(model: HbAgency, settings, cfg) -> ScoreRow:
    title, mx = cfg.get("title", "业绩数量"), _d(cfg.get("max", 10))
    if not model.contracts_found:
        return ScoreRow(item=title, group="专业技术能力", max=mx, status="manual",
                        working="未识别到业绩合同清单，待人工评分")
    year = int(settings.get("review_year", 2026))
    recent = [c for c in recent_contracts(model, settings) if c.related]
    per, per_prov = _d(cfg.get("per_contract", 1)), _d(cfg.get("per_provincial_contract", 2))
    prov = [c for c in recent if c.provincial]
    other = len(recent) - len(prov)
    raw = per * other + per_prov * len(prov)
    score = min(mx, raw)
    first = year - int(cfg.get("recent_years", 3))
    working = (f"{first}–{year} 年签订的相关服务合同 {len(recent)} 项，其中省级政府部门委托 {len(prov)} 项："
               f"{other} × {_fmt(per)} + {len(prov)} × {_fmt(per_prov)} = {_fmt(raw)} 分")
    if raw > mx:
        working += f"，按上限 {_fmt(mx)} 分"
    return ScoreRow(item=title, group="专业技术能力", max=mx, score=score, working=working, status="computed")


def _score_relevance(model: HbAgency, settings, cfg) -> ScoreRow:
    title, mx = cfg.get("title", "业绩相关性"), _d(cfg.get("max", 15))
    if not model.contracts_found:
        return ScoreRow(item=title, group="专业技术能力", max=mx, status="manual", working="未识别到业绩合同清单，待人工评分")
    recent = recent_contracts(model, settings)
    if not recent:
        return ScoreRow(item=title, group="专业技术能力", max=mx, score=Decimal(0), status="computed",
                        working="近三年无业绩合同，得 0 分")
    rel = [c for c in recent if c.relevant]
    share = (Decimal(len(rel)) * 100 / Decimal(len(recent)))
    score = Decimal(0)
    band_text = ""
    for lo, pts in sorted(((_d(a), _d(b)) for a, b in cfg.get("bands", [])), reverse=True):
        if share >= lo:
            score, band_text = min(mx, pts), f"占比不低于 {_fmt(lo)}%"
            break
    working = (f"近三年业绩 {len(recent)} 项，其中工业固废评价与环境咨询类 {len(rel)} 项，"
               f"占比 {len(rel)} / {len(recent)} = {_fmt(share)}%，{band_text}，得 {_fmt(score)} 分")
    return ScoreRow(item=title, group="专业技术能力", max=mx, score=score, working=working, status="computed")


def _score_stability(model: HbAgency, settings, cfg) -> ScoreRow:
    title, mx = cfg.get("title", "人员稳定性"), _d(cfg.get("max", 10))
    if not model.roster_found:
        return ScoreRow(item=title, group="专业技术能力", max=mx, status="manual",
                        working="未识别到专职人员花名册（入职时间），待人工评分")
    ref, ref_text = reference_date(model, settings)
    need = int(cfg.get("full_years", 5))
    per_person, per_py = _d(cfg.get("per_senior_person", 1)), _d(cfg.get("per_person_year", "0.2"))
    long_, short_years, unknown = [], [], []
    for r in technical_staff(model):
        if r.hired is None:
            unknown.append(r.name)
            continue
        y = full_years(r.hired, ref)
        (long_ if y >= need else short_years).append((r.name, y))
    py = sum(y for _, y in short_years)
    raw = per_person * len(long_) + per_py * py
    score = min(mx, raw)
    working = (f"截至{ref_text}，任职满 {need} 年的 {len(long_)} 人 × {_fmt(per_person)} 分"
               f" + 不满 {need} 年的 {len(short_years)} 人共 {py} 人·年 × {_fmt(per_py)} 分 = {_fmt(raw)} 分")
    if raw > mx:
        working += f"，按上限 {_fmt(mx)} 分"
    if unknown:
        working += f"；{'、'.join(unknown)} 未填写入职时间，未计分"
    return ScoreRow(item=title, group="专业技术能力", max=mx, score=score, working=working, status="computed")


def _manual_rows(model: HbAgency, cfg: list[dict]) -> list[ScoreRow]:
    out = []
    for m in cfg:
        hint = "需评审人员依据评分细则判断"
        if m["item"] == "内容完整性":
            hint = ("申请报告缺少：" + "、".join(model.outline_missing) + "（每缺 1 项核心内容扣 3 分）"
                    if model.outline_missing else "申请报告核心内容（机构基本情况、从业能力、业绩说明、服务规划）均已识别") + "，请人工确认"
        elif m["item"] == "真实性声明":
            hint = ("已识别到真实性声明，需核验法定代表人签名和单位公章" if model.declaration_found
                    else "未识别到真实性声明，请人工核实")
        out.append(ScoreRow(item=m["item"], group=m.get("group", ""), max=_d(m["max"]), status="manual",
                            working=f"待人工评分：{hint}"))
    return out


def score_table(model: HbAgency, settings: dict[str, Any]) -> list[ScoreRow]:
    """附件6 打分项 in the seed's order: computed where the documents determine the score,
    "待人工评分" where it takes a reviewer's judgement."""
    cfg = settings.get("scores") or {}
    manual = _manual_rows(model, cfg.get("manual") or [])
    report_rows = [r for r in manual if r.group == "申请报告"]
    rules_rows = [r for r in manual if r.group != "申请报告"]
    computed = [
        _score_agency_years(model, settings, cfg.get("agency_years") or {}),
        _score_contract_count(model, settings, cfg.get("contract_count") or {}),
        _score_relevance(model, settings, cfg.get("contract_relevance") or {}),
        _score_stability(model, settings, cfg.get("staff_stability") or {}),
    ]
    return report_rows + computed + rules_rows
