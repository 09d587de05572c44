"""湖北评价机构申请 (hb_agency): staff counts, the roster against the social-security
statement, resident ID numbers, the 附件6 veto items and the 附件6 scores the documents
determine.  Thresholds come from corpus/forms/hb_agency_thresholds.yaml (ctx.settings)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from stdnum.cn import ric

from checkers.context import Context
from checkers.finding import Finding
from checkers.registry import emit, rule
from checkers.rules.common import applicant_licence, dec, files_note, unique_locations
from checkers.rules.identifiers import normalise_identity
from checkers.tolerance import OCR_DOUBT_NOTE
from checkers.agency_scores import ScoreRow, full_years, reference_date, score_table
from extractor.forms.hb_agency import (
    HbAgency,
    InsuredPerson,
    RosterEntry,
    id_key,
    is_masked,
    numbers_agree,
    person_key,
    specialty_classes,
)
from extractor.forms.base import form_model
from extractor.model import Location

FORMS = ("hb_agency",)
DEFAULT_MIN_STAFF = 8
DEFAULT_MIN_EXPERIENCE_MONTHS = 12


def agency_model(ctx: Context) -> HbAgency:
    return form_model(ctx.form, HbAgency)


# ---------------------------------------------------------------- resident ID numbers (GB 11643)


def resident_id_problem(number: str, on: date | None = None) -> str | None:
    """What is wrong with a resident ID number, in Chinese; None when it is valid.

    Length, digits, birth date and the MOD 11-2 check character are checked.  The area code
    is not: python-stdnum's table lacks many codes that were valid in earlier years, so an
    unknown area code says nothing about a real person's number."""
    n = id_key(number)
    if len(n) != 18:
        return f"长度为 {len(n)} 位，应为 18 位" + ("（15 位为已停用的一代身份证号码）" if len(n) == 15 else "")
    if not re.fullmatch(r"\d{17}[\dX]", n):
        bad = sorted({ch for ch in n[:17] if not ch.isdigit()} | ({n[17]} if not re.fullmatch(r"[\dX]", n[17]) else set()))
        return "含非法字符" + "".join(f"「{ch}」" for ch in bad)
    birth = birth_date(n)
    if birth is None:
        return f"出生日期「{n[6:14]}」不是有效日期"
    if birth.year < 1900 or (on is not None and birth > on):
        return f"出生日期「{birth.isoformat()}」不合理"
    expected = ric.calc_check_digit(n)
    if n[17] != expected:
        return f"校验码应为「{expected}」，填写为「{n[17]}」"
    return None


def birth_date(number: str) -> date | None:
    n = id_key(number)
    if len(n) != 18 or not n[6:14].isdigit():
        return None
    try:
        return date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return None


@dataclass
class _IdPlace:
    name: str
    number: str
    loc: Location | None
    where: str


def _id_places(m: HbAgency) -> list[_IdPlace]:
    """Full ID numbers as written; a masked number ("420106********2315") is not a number to check."""
    out = [_IdPlace(r.name, r.id_number, r.id_loc or r.loc, "专职人员花名册") for r in m.roster if r.id_number]
    out += [_IdPlace(p.name, p.id_number, p.id_loc or p.loc, "社保缴纳明细") for p in m.insured if p.id_number]
    return [p for p in out if not is_masked(p.number)]


@rule(
    "ID.RESIDENT_ID_INVALID",
    "error",
    "居民身份证号码无效",
    "A resident ID number on the roster or the social-security statement fails GB 11643 (length, birth date, check character); an area code unknown to python-stdnum is not an error.",
    "GB 11643-1999；湖北细则附件6 基本条件4（1）（3）（花名册、社保缴纳明细）",
    forms=FORMS,
)
def invalid_resident_id(ctx: Context) -> Iterator[Finding]:
    m = agency_model(ctx)
    ref, _ = reference_date(m, ctx.settings)
    by_number: dict[str, list[_IdPlace]] = {}
    for p in _id_places(m):
        by_number.setdefault(id_key(p.number), []).append(p)
    for number, places in by_number.items():
        problem = resident_id_problem(number, ref)
        if problem is None:
            continue
        wheres = "、".join(dict.fromkeys(p.where for p in places))
        locs = unique_locations(p.loc for p in places)
        yield emit(
            "ID.RESIDENT_ID_INVALID",
            f"{wheres}中「{places[0].name}」的身份证号码「{number}」不符合 GB 11643：{problem}{files_note(locs)}",
            locations=locs,
            evidence={"name": places[0].name, "person": person_key(places[0].name), "value": number, "problem": problem, "where": wheres},
        )


# ---------------------------------------------------------------- matching people across lists


def _same_person(a_name: str, a_id: str, b_name: str, b_id: str) -> bool:
    """By ID number where both have a full one; by name plus the visible digits where one is
    masked (a masked number alone is not unique); else by the normalised name."""
    if a_id and b_id:
        if is_masked(a_id) or is_masked(b_id):
            return person_key(a_name) == person_key(b_name) and numbers_agree(a_id, b_id)
        return id_key(a_id) == id_key(b_id)
    return person_key(a_name) == person_key(b_name)


def _find_insured(r: RosterEntry, insured: list[InsuredPerson]) -> InsuredPerson | None:
    return next((p for p in insured if _same_person(r.name, r.id_number, p.name, p.id_number)), None)


def _find_roster(name: str, number: str, roster: list[RosterEntry]) -> RosterEntry | None:
    return next((r for r in roster if _same_person(name, number, r.name, r.id_number)), None)


def _namesake_note(name: str, number: str, others: list, where: str) -> str:
    """Why a person with this name in the other list is not taken for this one: the ID number,
    or the digits a masked number shows, say otherwise."""
    same = [o for o in others if person_key(o.name) == person_key(name) and o.id_number
            and not _same_person(name, number, o.name, o.id_number)]
    if not (number and same):
        return ""
    other = same[0].id_number
    if is_masked(other) or is_masked(number):
        return f"（{where}中有同名人员，但其身份证号码「{other}」显示的数字与「{number}」不符）"
    return f"（{where}中有同名人员，但身份证号码为「{other}」，与「{number}」不符）"


@rule(
    "ROSTER.NOT_INSURED",
    "error",
    "花名册人员未见社保缴纳记录",
    "A person on the full-time roster is absent from the social-security statement (matched by ID number where both give a full one, by name plus the digits a masked number shows, else by normalised name).",
    "湖北细则第七条（四）；附件6 基本条件4（3）（花名册人员与社保缴纳人员100%一致）",
    forms=FORMS,
)
def roster_not_insured(ctx: Context) -> Iterator[Finding]:
    m = agency_model(ctx)
    if not (m.roster_found and m.insurance_found):
        return
    doubt = _doubtful_entries(m.insured, m.roster)
    for r in m.roster:
        if not person_key(r.name) or _find_insured(r, m.insured) is not None:
            continue  # a name the recogniser did not read is no one to look for
        note = _namesake_note(r.name, r.id_number, m.insured, "社保缴纳明细") + _doubt_note(doubt, "社保缴纳明细")
        locs = unique_locations([r.loc, r.id_loc, *(p.loc for p in doubt)])
        yield emit(
            "ROSTER.NOT_INSURED",
            f"专职人员花名册中的「{r.name}」" + (f"（身份证号码 {r.id_number}）" if r.id_number else "")
            + f"在社保缴纳明细中未找到{note}{files_note(locs)}",
            severity=_doubt_severity(doubt),
            locations=locs,
            evidence={"name": r.name, "person": person_key(r.name), "id_number": r.id_number, "source": "roster"},
        )


def _doubtful_entries(searched: list, others: list) -> list:
    """The people of the list searched whose name OCR read doubtfully or not at all, matching
    no one of the other lists: any of them may be the person not found (李洋 read as 「率」, or
    a name cell left blank by the recogniser).  A finding that names a person missing from
    such a list cannot block."""
    names = {person_key(o.name) for o in others if person_key(o.name)}
    return [p for p in searched if p.name_doubtful and person_key(p.name) not in names]


def _doubt_note(doubt: list, where: str) -> str:
    if not doubt:
        return ""
    shown = "、".join(f"「{p.name}」" if person_key(p.name) else "姓名未能识别的一行" for p in doubt[:3])
    return f"；{where}扫描件中{shown}识别存疑，可能即为此人（{OCR_DOUBT_NOTE}）"


def _doubt_severity(doubt: list) -> str | None:
    return "warning" if doubt else None


@rule(
    "ROSTER.NOT_ON_ROSTER",
    "error",
    "人员不在专职人员花名册中",
    "A person in the social-security statement or on the 附件5 staff list is not on the full-time roster.",
    "湖北细则附件5 二（只填写评价机构本单位人员）；附件6 基本条件4（1）（3）",
    forms=FORMS,
)
def not_on_roster(ctx: Context) -> Iterator[Finding]:
    m = agency_model(ctx)
    if not m.roster_found:
        return
    doubt = _doubtful_entries(m.roster, [*m.insured, *m.staff])
    for p in m.insured:
        if not (person_key(p.name) or p.id_number) or _find_roster(p.name, p.id_number, m.roster) is not None:
            continue
        note = _namesake_note(p.name, p.id_number, m.roster, "花名册") + _doubt_note(doubt, "花名册")
        locs = unique_locations([p.loc, p.id_loc, *(r.loc for r in doubt)])
        yield emit(
            "ROSTER.NOT_ON_ROSTER",
            f"社保缴纳明细中的「{p.name}」" + (f"（身份证号码 {p.id_number}）" if p.id_number else "")
            + f"不在专职人员花名册中{note}{files_note(locs)}",
            severity=_doubt_severity(doubt),
            locations=locs,
            evidence={"name": p.name, "person": person_key(p.name), "id_number": p.id_number, "source": "insurance"},
        )
    for s in m.staff:
        if not person_key(s.name) or _find_roster(s.name, "", m.roster) is not None:
            continue
        locs = unique_locations([s.loc, *(r.loc for r in doubt)])
        yield emit(
            "ROSTER.NOT_ON_ROSTER",
            f"附件5 专业技术人员名单中的「{s.name}」不在专职人员花名册中（名单只应填写本单位人员）"
            f"{_doubt_note(doubt, '花名册')}{files_note(locs)}",
            severity=_doubt_severity(doubt),
            locations=locs,
            evidence={"name": s.name, "person": person_key(s.name), "source": "staff_list"},
        )


@rule(
    "ROSTER.INSURER_UNIT_MISMATCH",
    "error",
    "社保缴纳明细的缴费单位不是申请机构",
    "The social-security statement is issued to a unit other than the applicant (warning when it names no unit at all).",
    "湖北细则第七条（四）；附件6 基本条件4（3）（需清晰显示机构名称）",
    forms=FORMS,
)
def insurer_unit_mismatch(ctx: Context) -> Iterator[Finding]:
    m = agency_model(ctx)
    if not m.insurance_found:
        return
    applicant = m.applicant or next((i.value for i in ctx.form.identities if i.kind == "company_name" and not i.inferred), None)
    if not applicant:
        return
    if not m.insurance_units:
        yield emit(
            "ROSTER.INSURER_UNIT_MISMATCH",
            "社保缴纳明细未显示缴费单位名称，无法确认为申请机构缴纳，请人工核实",
            severity="warning",
            evidence={"applicant": applicant, "units": []},
        )
        return
    own = normalise_identity("company_name", applicant)
    for u in m.insurance_units:
        if normalise_identity("company_name", u.name) == own:
            continue
        people = [p.name for p in m.insured if p.unit and normalise_identity("company_name", p.unit) == normalise_identity("company_name", u.name)]
        who = f"（涉及 {'、'.join(people)}）" if people and len(people) < len(m.insured) else ""
        yield emit(
            "ROSTER.INSURER_UNIT_MISMATCH",
            f"社保缴纳明细的缴费单位为「{u.name}」，不是申请机构「{applicant}」{who}{files_note([u.loc])}",
            locations=unique_locations([u.loc]),
            evidence={"applicant": applicant, "unit": u.name, "people": people},
        )


@rule(
    "ROSTER.INSURANCE_NOT_ACTIVE",
    "error",
    "社会保险未在正常缴纳",
    "A roster person's insurance is not in force: the statement's 缴费状态 says suspended/stopped, or the roster's 社保缴纳起止时间 ended before the application date.",
    "湖北细则第七条（四）；附件6 基本条件4（3）（缴费状态）",
    forms=FORMS,
)
def insurance_not_active(ctx: Context) -> Iterator[Finding]:
    m = agency_model(ctx)
    ref, ref_text = reference_date(m, ctx.settings)
    for p in m.insured:
        if p.active is not False:
            continue
        statuses = "、".join(dict.fromkeys(p.statuses))
        locs = unique_locations([p.status_loc, p.loc])
        yield emit(
            "ROSTER.INSURANCE_NOT_ACTIVE",
            f"社保缴纳明细中「{p.name}」的缴费状态为「{statuses}」，社会保险未在正常缴纳{files_note(locs)}",
            locations=locs,
            evidence={"name": p.name, "person": person_key(p.name), "statuses": p.statuses, "source": "insurance"},
        )
    for r in m.roster:
        # a statement printed early in a month shows contributions up to the month before
        if r.insured_to is None or (ref.year * 12 + ref.month) - (r.insured_to.year * 12 + r.insured_to.month) < 2:
            continue
        locs = unique_locations([r.insured_loc, r.loc])
        yield emit(
            "ROSTER.INSURANCE_NOT_ACTIVE",
            f"专职人员花名册中「{r.name}」的社保缴纳起止时间为「{r.insured_text}」，在{ref_text}（前一个月）之前已停止缴纳{files_note(locs)}",
            locations=locs,
            evidence={"name": r.name, "person": person_key(r.name), "insured_to": r.insured_to.isoformat(), "reference_date": ref.isoformat(), "source": "roster"},
        )


@rule(
    "ROSTER.AGE_MISMATCH",
    "error",
    "年龄与身份证号码不符",
    "The age on the 附件5 staff list disagrees with the birth date in the person's ID number, taken at the application date (the calendar-year difference is also accepted).",
    "湖北细则附件5 二（专业技术人员名单「年龄」）",
    forms=FORMS,
)
def age_mismatch(ctx: Context) -> Iterator[Finding]:
    m = agency_model(ctx)
    ref, ref_text = reference_date(m, ctx.settings)
    for s in m.staff:
        if s.age is None:
            continue
        person = _find_roster(s.name, "", [r for r in m.roster if r.id_number and not is_masked(r.id_number)]) or next(
            (p for p in m.insured if p.id_number and not is_masked(p.id_number) and person_key(p.name) == person_key(s.name)), None)
        if person is None or resident_id_problem(person.id_number, ref) is not None:
            continue
        birth = birth_date(person.id_number)
        exact = full_years(birth, ref)
        if s.age in (exact, ref.year - birth.year):
            continue
        locs = unique_locations([s.age_loc or s.loc, person.id_loc])
        yield emit(
            "ROSTER.AGE_MISMATCH",
            f"专业技术人员名单中「{s.name}」年龄填写为 {s.age} 岁，按身份证号码 {person.id_number} 的出生日期 "
            f"{birth.isoformat()} 计算，截至{ref_text}，应为 {exact} 岁{files_note(locs)}",
            locations=locs,
            evidence={"name": s.name, "person": person_key(s.name), "stated_age": s.age, "computed_age": exact, "birth_date": birth.isoformat(),
                      "reference_date": ref.isoformat(), "id_number": person.id_number},
        )


# ---------------------------------------------------------------- headcounts


@dataclass
class _Count:
    key: str
    label: str
    n: int
    working: str
    locs: list[Location]


def headcounts(m: HbAgency) -> tuple[list[_Count], list[_Count]]:
    """(technical-staff counts, personnel counts): the 专业技术人员 as stated, as the sum of the
    grades and as listed; the full-time roster and the insured persons."""
    sc = m.staff_counts
    tech: list[_Count] = []
    if sc.total is not None:
        tech.append(_Count("stated", "申请表「专业技术人员情况」共计", sc.total, f"{sc.total} 人", unique_locations([sc.loc])))
    if None not in (sc.senior, sc.intermediate, sc.junior):
        s = sc.senior + sc.intermediate + sc.junior
        tech.append(_Count("grades", "高级+中级+初级职称人数", s, f"{sc.senior} + {sc.intermediate} + {sc.junior} = {s} 人",
                           unique_locations([sc.loc])))
    if m.staff_found:
        tech.append(_Count("staff_list", "附件5 专业技术人员名单", len(m.staff), f"{len(m.staff)} 人",
                           unique_locations(s.loc for s in m.staff[:1])))
    people: list[_Count] = []
    if m.roster_found:
        # every roster entry: a part-timer is still a listed person (the 8-person minimum counts full-time ones)
        people.append(_Count("roster", "专职人员花名册", len(m.roster), f"{len(m.roster)} 人", unique_locations(r.loc for r in m.roster[:1])))
    if m.insurance_found:
        people.append(_Count("insured", "社保缴纳明细", len(m.insured), f"{len(m.insured)} 人", unique_locations(p.loc for p in m.insured[:1])))
    return tech, people


def _explained_person_by_person(m: HbAgency, count: _Count, ref: int) -> bool:
    """A list whose count differs from the others exactly by the people ROSTER.NOT_INSURED /
    ROSTER.NOT_ON_ROSTER name one by one: the difference is already reported, person by person."""
    if not m.roster_found or count.key not in ("insured", "staff_list"):
        return False
    if count.key == "insured":
        missing = sum(1 for r in m.roster if _find_insured(r, m.insured) is None)
        extra = sum(1 for p in m.insured if _find_roster(p.name, p.id_number, m.roster) is None)
    else:
        missing = 0
        extra = sum(1 for s in m.staff if _find_roster(s.name, "", m.roster) is None)
    return (missing or extra) and count.n - ref == extra - missing


@rule(
    "HEADCOUNT.MISMATCH",
    "error",
    "人数前后不一致",
    "The 专业技术人员 count stated (共N名), the sum 高级+中级+初级, the staff list, the full-time roster and the social-security statement disagree.",
    "湖北细则附件5 一「专业技术人员情况」、二 名单；附件6 基本条件4（1）（3）",
    forms=FORMS,
)
def headcount_mismatch(ctx: Context) -> Iterator[Finding]:
    m = agency_model(ctx)
    tech, people = headcounts(m)
    counts = tech + people
    roster = next((c for c in people if c.key == "roster"), None)
    tech_n = next((c.n for c in tech), None)
    # a roster of every employee (员工总数) may be longer than the technical staff list
    if roster is not None and m.staff_total_employees == roster.n and tech_n is not None and roster.n > tech_n:
        groups = [tech, people]
    else:
        groups = [counts]
    differing: list[str] = []
    for g in groups:
        values = [c.n for c in g]
        if len(set(values)) <= 1:
            continue
        # the value most places state is the reference; ties go to the first stated
        ref = max(values, key=lambda v: (values.count(v), -values.index(v)))
        differing += [c.label for c in g if c.n != ref and not _explained_person_by_person(m, c, ref)]
    if not differing:
        return
    listing = "；".join(f"{c.label} {c.working}" for c in counts)
    yield emit(
        "HEADCOUNT.MISMATCH",
        f"人数前后不一致：{listing}。与其他来源不符的是：{'、'.join(differing)}",
        locations=unique_locations(loc for c in counts for loc in c.locs),
        evidence={"counts": {c.key: c.n for c in counts}, "labels": {c.key: c.label for c in counts}, "differing": differing},
    )


# ---------------------------------------------------------------- 附件6 veto items


@rule(
    "ELIGIBILITY.STAFF_BELOW_MINIMUM",
    "veto",
    "专职人员少于8人",
    "Fewer full-time staff than the minimum (8): counted on the roster (全职), else on the staff list, else as stated.",
    "湖北细则第七条（二）；附件6 基本条件4（1）（一票否决）",
    forms=FORMS,
)
def staff_below_minimum(ctx: Context) -> Iterator[Finding]:
    m = agency_model(ctx)
    need = int(ctx.settings.get("min_staff", DEFAULT_MIN_STAFF))
    if m.roster_found:
        full = [r for r in m.roster if r.full_time is not False]
        part = [r for r in m.roster if r.full_time is False]
        n, where = len(full), "专职人员花名册中全职人员"
        extra = f"（另有非全职 {len(part)} 人：{'、'.join(r.name for r in part)}，不计入）" if part else ""
        locs = unique_locations([r.loc for r in m.roster[:1]] + [r.loc for r in part])
    elif m.staff_found:
        n, where, extra, locs = len(m.staff), "附件5 专业技术人员名单", "", unique_locations(s.loc for s in m.staff[:1])
    elif m.staff_counts.total is not None:
        n, where, extra, locs = m.staff_counts.total, "申请表「专业技术人员情况」", "", unique_locations([m.staff_counts.loc])
    else:
        return
    if n >= need:
        return
    yield emit(
        "ELIGIBILITY.STAFF_BELOW_MINIMUM",
        f"{where} {n} 人{extra}，少于第七条（二）规定的专职人员不少于 {need} 人",
        locations=locs,
        evidence={"count": n, "minimum": need, "where": where},
    )


@rule(
    "ELIGIBILITY.SPECIALTY_MISSING",
    "veto",
    "专职人员专业未覆盖环境类和财会类",
    "No staff member's 所学专业/从事专业 is of the 环境类, or none is of the 财会类 (word lists in the thresholds file).",
    "湖北细则第七条（二）；附件6 基本条件4（4）（一票否决）",
    forms=FORMS,
)
def specialty_missing(ctx: Context) -> Iterator[Finding]:
    m = agency_model(ctx)
    classes = ctx.settings.get("specialties") or {}
    texts = [t for s in m.staff for t in (s.major, s.specialty) if t] + [r.major for r in m.roster if r.major]
    if not texts or not classes:
        return
    have = specialty_classes(texts, ctx.settings)
    missing = [cls for cls in classes if cls not in have]
    if not missing:
        return
    titles = [classes[c].get("title", c) for c in missing]
    majors = "、".join(dict.fromkeys(texts))
    yield emit(
        "ELIGIBILITY.SPECIALTY_MISSING",
        f"专职人员的专业背景未覆盖{'、'.join(titles)}（所填专业：{majors}），不符合附件6 基本条件4（4）",
        locations=unique_locations([s.loc for s in m.staff[:1]] + [r.loc for r in m.roster[:1]]),
        evidence={"missing": titles, "majors": list(dict.fromkeys(texts))},
    )


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + (b.month - a.month) - (1 if b.day < a.day else 0)


@rule(
    "ELIGIBILITY.EXPERIENCE_BELOW_MINIMUM",
    "veto",
    "相关领域业务经验不足一年",
    "The first related third-party service contract was signed less than 12 months before the application date (or none is listed).",
    "湖北细则第七条（一）（一年以上业务经验）",
    forms=FORMS,
)
def experience_below_minimum(ctx: Context) -> Iterator[Finding]:
    m = agency_model(ctx)
    if not m.contracts_found:
        return
    need = int(ctx.settings.get("min_experience_months", DEFAULT_MIN_EXPERIENCE_MONTHS))
    ref, ref_text = reference_date(m, ctx.settings)
    related = [c for c in m.contracts if c.related and c.signed is not None]
    if not related:
        yield emit(
            "ELIGIBILITY.EXPERIENCE_BELOW_MINIMUM",
            "业绩合同清单中没有资源综合利用评价、环境咨询、节能评估等相关领域的第三方服务合同，无法证明第七条（一）要求的一年以上业务经验",
            locations=unique_locations(c.loc for c in m.contracts[:1]),
            evidence={"first_contract": None, "months": 0, "minimum_months": need},
        )
        return
    first = min(related, key=lambda c: c.signed)
    months = _months_between(first.signed, ref)
    if months >= need:
        return
    yield emit(
        "ELIGIBILITY.EXPERIENCE_BELOW_MINIMUM",
        f"最早的相关服务合同「{first.name}」签订于 {first.signed.isoformat()}，至{ref_text}，仅 {months} 个月，"
        f"不足第七条（一）要求的一年以上业务经验",
        locations=unique_locations([first.loc]),
        evidence={"first_contract": first.name, "signed": first.signed.isoformat(), "months": months, "minimum_months": need},
    )


@rule(
    "CONTRACT.BEFORE_FOUNDING",
    "warning",
    "业绩合同早于机构成立日期",
    "A contract of the 业绩 list was signed before the agency's founding date on its own business licence "
    "(成立日期): not the agency's own work, unless it is a predecessor's (a restructuring, a branch); it also "
    "inflates 附件6 机构从业年限.",
    "湖北细则第七条（一）（一年以上业务经验）、第八条（五）业绩证明；附件6 机构从业年限",
    forms=FORMS,
)
def contract_before_founding(ctx: Context) -> Iterator[Finding]:
    m, lic = agency_model(ctx), applicant_licence(ctx.form)
    if lic is None or not m.contracts_found:
        return
    founded, field = lic.established, lic.fields["established"]
    early = [c for c in m.contracts if c.signed is not None and c.signed < founded]
    if not early:
        return
    listed = "、".join(f"「{c.name}」（{c.signed.isoformat()}）" for c in early[:5]) + (f"等 {len(early)} 份" if len(early) > 5 else "")
    yield emit(
        "CONTRACT.BEFORE_FOUNDING",
        f"业绩合同{listed}的签订日期早于营业执照记载的成立日期 {founded.isoformat()}（「{field.text}」），"
        f"不应作为本机构的业绩，除非为改制前主体或上级单位的业绩，请核实",
        locations=unique_locations([field.loc, *(c.loc for c in early[:5])]),
        evidence={"founded": founded.isoformat(), "licence_file": lic.file,
                  "contracts": [{"name": c.name, "signed": c.signed.isoformat()} for c in early]},
    )


# ---------------------------------------------------------------- 附件6 scores (info)


def _score_finding(code: str, row: ScoreRow, locs: list[Location]) -> Finding:
    shown = f"{_num(row.score)} / {_num(row.max)} 分" if row.score is not None else f"待人工评分（满分 {_num(row.max)} 分）"
    return emit(code, f"附件6「{row.item}」：{shown}。计算过程：{row.working}", locations=locs,
                evidence={"item": row.item, "max": dec(row.max), "score": dec(row.score) if row.score is not None else None,
                          "status": row.status, "working": row.working})


def _num(x: Decimal) -> str:
    return dec(x)


def _row(ctx: Context, item_key: str) -> tuple[HbAgency, ScoreRow | None]:
    m = agency_model(ctx)
    title = ((ctx.settings.get("scores") or {}).get(item_key) or {}).get("title")
    rows = score_table(m, ctx.settings)
    return m, next((r for r in rows if r.item == title), None)


@rule("SCORE.CONTENT_COMPLETENESS", "info", "评分：申请报告内容完整性",
      "附件6 内容完整性: 10 points less 3 for each core item (机构基本情况、从业能力、业绩说明、服务规划) the 申请报告 lacks.",
      "湖北细则附件6 打分项「申请报告 内容完整性（10分）」", forms=FORMS)
def score_content(ctx: Context) -> Iterator[Finding]:
    m, row = _row(ctx, "content")
    if row is not None and row.status == "computed":
        yield _score_finding("SCORE.CONTENT_COMPLETENESS", row, [])


@rule("SCORE.AGENCY_YEARS", "info", "评分：机构从业年限",
      "附件6 机构从业年限: (review year − year of the first related contract) × 0.5, at most 5.",
      "湖北细则附件6 打分项「机构从业年限（5分）」", forms=FORMS)
def score_agency_years(ctx: Context) -> Iterator[Finding]:
    m, row = _row(ctx, "agency_years")
    if row is not None:
        related = [c for c in m.contracts if c.related and c.signed is not None]
        first = min(related, key=lambda c: c.signed) if related else None
        yield _score_finding("SCORE.AGENCY_YEARS", row, unique_locations([first.loc] if first else []))


@rule("SCORE.CONTRACT_COUNT", "info", "评分：业绩数量",
      "附件6 业绩数量: 1 point per related contract of the last three years, 2 per provincial-government client, at most 10.",
      "湖北细则附件6 打分项「业绩数量（10分）」", forms=FORMS)
def score_contract_count(ctx: Context) -> Iterator[Finding]:
    m, row = _row(ctx, "contract_count")
    if row is not None:
        yield _score_finding("SCORE.CONTRACT_COUNT", row, unique_locations(c.loc for c in m.contracts[:1]))


@rule("SCORE.CONTRACT_RELEVANCE", "info", "评分：业绩相关性",
      "附件6 业绩相关性: share of 固废评价/环境咨询 contracts among the last three years' → 15/10/5/0.",
      "湖北细则附件6 打分项「业绩相关性（15分）」", forms=FORMS)
def score_relevance(ctx: Context) -> Iterator[Finding]:
    m, row = _row(ctx, "contract_relevance")
    if row is not None:
        yield _score_finding("SCORE.CONTRACT_RELEVANCE", row, unique_locations(c.loc for c in m.contracts[:1]))


@rule("SCORE.STAFF_STABILITY", "info", "评分：人员稳定性",
      "附件6 人员稳定性: 1 point per technical staff member with ≥ 5 years at the agency, 0.2 per person-year below, at most 10.",
      "湖北细则附件6 打分项「人员稳定性（10分）」", forms=FORMS)
def score_stability(ctx: Context) -> Iterator[Finding]:
    m, row = _row(ctx, "staff_stability")
    if row is not None:
        yield _score_finding("SCORE.STAFF_STABILITY", row, unique_locations(r.loc for r in m.roster[:1]))


@rule("SCORE.MANUAL_REVIEW", "info", "评分：待人工评分项目",
      "The 附件6 score items that need a reviewer's judgement, listed with what the documents show.",
      "湖北细则附件6 打分项（申请报告、管理制度制定及执行情况）", forms=FORMS)
def score_manual(ctx: Context) -> Iterator[Finding]:
    m = agency_model(ctx)
    rows = [r for r in score_table(m, ctx.settings) if r.score is None]
    if not rows:
        return
    total = sum((r.max for r in rows), Decimal(0))
    items = "；".join(f"{r.item}（{_num(r.max)}分）：{r.working.removeprefix('待人工评分：')}" for r in rows)
    yield emit(
        "SCORE.MANUAL_REVIEW",
        f"附件6 以下打分项共 {_num(total)} 分待人工评分：{items}",
        evidence={"items": [r.item for r in rows], "max_total": dec(total)},
    )
