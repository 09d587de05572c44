"""hb_agency sample packages (湖北评价机构申请, seed 001 第七条、第八条、附件5、附件6), with planted
defects and their ground truth.  Plugged into `corpus.generate.build_all` by its file name.

Packages hb_agency_01 … 12: every third one clean; the others carry the defects listed in
`PLANTED` (fixed, so every rule of the form is planted at least once)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from corpus.generate.agency_files import build_files
from corpus.generate.agency_plan import (
    FORM,
    MAJORS_OTHER,
    REVIEW_YEAR,
    AgencyPlan,
    make_contracts,
    make_people,
    make_person,
)
from corpus.generate.identities import (
    invalid_email,
    invalid_mobile,
    make_company,
    person_name,
    wrong_check_code,
)
from corpus.generate.outline import MORE_NUMBERINGS, NUMBERINGS

N_PACKAGES = 12
Expected = dict


def _exp(rule: str, *keys: str) -> list[Expected]:
    if len(keys) == 1:
        return [{"rule": rule, "key": keys[0]}]
    return [{"rule": rule, "keys": list(keys)}]


def _untouched(plan: AgencyPlan, rng: random.Random, skip_first: bool = False):
    """A person no other defect of the package has changed (two defects on one person would mask each other)."""
    p = rng.choice([q for q in plan.people[1 if skip_first else 0:] if q.name not in plan.touched])
    plan.touched.add(p.name)
    return p


# ---------------------------------------------------------------- defects


def stated_total(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    plan.stated_total_delta = rng.choice([-2, -1, 1, 2])
    # the stated 共N名 as the finding quotes it, beside the other sources' counts
    return _exp("HEADCOUNT.MISMATCH", "专业技术人员情况", f"共计 {plan.stated_total()} 人")


def grade_sum(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    plan.junior_delta = 1
    senior, mid, junior = plan.grade_counts()
    return _exp("HEADCOUNT.MISMATCH", f"{senior} + {mid} + {junior} = {senior + mid + junior} 人")


def not_insured(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    p = _untouched(plan, rng, skip_first=True)
    plan.not_insured.add(p.name)
    return _exp("ROSTER.NOT_INSURED", p.name)  # the count difference is this person's: not repeated


def not_on_roster(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    used = {p.name for p in plan.people}
    extra = make_person(rng, used, MAJORS_OTHER[0], "初级", plan.apply_date, REVIEW_YEAR - 3)
    plan.extra_insured.append(extra)
    return _exp("ROSTER.NOT_ON_ROSTER", extra.name)  # the count difference is this person's: not repeated


def insurer_unit(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    unit = f"{plan.company.city.short}{rng.choice(['众信', '博才', '才汇'])}人力资源服务有限公司"
    plan.insurer_unit = unit
    return _exp("ROSTER.INSURER_UNIT_MISMATCH", unit)


def suspended(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    p = _untouched(plan, rng)
    p.status = rng.choice(["暂停缴费", "停保", "中断缴费"])
    return _exp("ROSTER.INSURANCE_NOT_ACTIVE", p.name)


def roster_period_ended(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    p = _untouched(plan, rng)
    p.insured_to = date(REVIEW_YEAR - 1, rng.randint(3, 9), 1)
    return _exp("ROSTER.INSURANCE_NOT_ACTIVE", p.name)


def bad_id(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    p = _untouched(plan, rng)
    if rng.random() < 0.5:
        last = p.id_number[-1]
        p.id_number = p.id_number[:-1] + ("0" if last != "0" else "1")
    else:  # month 13: a birth date that does not exist (check character recomputed)
        from stdnum.cn import ric
        body = p.id_number[:10] + "13" + p.id_number[12:17]
        p.id_number = body + ric.calc_check_digit(body + "0")
    if not plan.v["roster_ids"]:
        plan.v["roster_ids"] = True
    return _exp("ID.RESIDENT_ID_INVALID", p.id_number)


def wrong_age(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    p = _untouched(plan, rng)
    plan.stated_age[p.name] = p.age_on(plan.apply_date) + rng.choice([-5, -3, 3, 4])
    plan.v["roster_ids"] = True
    return _exp("ROSTER.AGE_MISMATCH", p.name)


def part_timer(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    # eight on every list, one of them not full-time: seven count
    p = _untouched(plan, rng)
    p.full_time = False
    return _exp("ELIGIBILITY.STAFF_BELOW_MINIMUM", p.name)


def too_few(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    return _exp("ELIGIBILITY.STAFF_BELOW_MINIMUM", f"{len(plan.people)} 人")


def no_finance(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    return _exp("ELIGIBILITY.SPECIALTY_MISSING", "财会类")


def new_agency(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    first = plan.contracts[0]
    return _exp("ELIGIBILITY.EXPERIENCE_BELOW_MINIMUM", first.name)


def bad_code(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    plan.credit_code = wrong_check_code(plan.company.credit_code)
    return _exp("ID.USCC_INVALID", plan.credit_code)


def bad_mobile(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    plan.contact_way = invalid_mobile(rng, plan.company.mobile)
    return _exp("FORMAT.PHONE_INVALID", plan.contact_way)


def bad_email(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    plan.email = invalid_email(rng, plan.company.email)
    return _exp("FORMAT.EMAIL_INVALID", plan.email)


def blank_field(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    label = rng.choice(["资产总额", "工作场所面积", "注册时间"])
    plan.blank_fields.add(label)
    return _exp("FIELD.MISSING", label)


def drop_attachment(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    which, title = rng.choice([("business_license", "营业执照"), ("declaration", "真实性声明"),
                               ("management_rules", "管理制度"), ("labour_contracts", "劳动合同")])
    plan.drop_files.add(which)
    return _exp("ATTACHMENT.MISSING", title)


def drop_section(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    i = rng.choice([2, 3, 4])
    plan.drop_sections.add(i)
    return _exp("OUTLINE.SECTION_MISSING", ["", "机构基本情况", "从业能力", "业绩说明", "服务规划"][i])


def roster_name(plan: AgencyPlan, rng: random.Random) -> list[Expected]:
    c = plan.company
    plan.roster_name = c.name.replace("有限公司", "有限责任公司") if "有限责任公司" not in c.name else c.name.replace("有限责任公司", "有限公司")
    return _exp("IDENTITY.NAME_MISMATCH", plan.roster_name)


Defect = Callable[[AgencyPlan, random.Random], list[Expected]]
# package number -> defects; 1, 4, 7, 10 are clean.  Shape-changing choices (how many people,
# which majors, when the first contract was signed) are made before the plan is built.
PLANTED: dict[int, list[Defect]] = {
    2: [not_insured, bad_mobile],
    3: [stated_total, bad_id, drop_attachment],
    5: [not_on_roster, wrong_age],
    6: [too_few, insurer_unit],
    8: [no_finance, suspended, blank_field],
    9: [new_agency, grade_sum, bad_email],
    11: [part_timer, roster_period_ended, drop_section],
    12: [bad_code, roster_name, wrong_age],
}


# ---------------------------------------------------------------- variants and build


def choose_variants(rng: random.Random, i: int) -> dict:
    return {
        "report_pdf": i % 3 == 2,
        "numbering": NUMBERINGS[i % len(NUMBERINGS)],
        "styled_headings": rng.random() < 0.6,
        "alt_titles": set(rng.sample(range(1, 6), rng.choice([0, 1, 2]))),
        "application": ("docx", "xlsx", "pdf")[i % 3],
        "years_suffix": rng.random() < 0.5,
        "roster_xlsx": i % 4 != 3,
        "roster_ids": i % 5 != 4,
        "spaced_names": i % 4 == 1,
        "date_style": ("dash", "dot", "cn")[i % 3],
        "full_time_word": rng.choice(["yes", "word"]),
        "insurance_kind": ("xlsx", "pdf")[i % 2],
        "insurance_per_kind": i % 3 == 0,
        "contracts_xlsx": i % 2 == 0,
        "contract_types": i % 3 != 1,
        "nested": i % 4 == 2,
        "container": ("folder", "zip", "folder", "zip_gbk")[i % 4],
    }


def choose_layout(rng: random.Random) -> dict:
    """Layouts real applicants produce, from a RNG of their own (the draws of `choose_variants`
    keep their sequence)."""
    return {
        "more_numbering": rng.choice(MORE_NUMBERINGS) if rng.random() < 0.35 else None,
        "renamed_sections": set(rng.sample(range(1, 6), rng.choice([0, 0, 1, 2]))),
        "combined_heading": rng.random() < 0.35,
        "label_variants": rng.random() < 0.4,
        "one_cell": rng.random() < 0.35,
        "values_below": rng.random() < 0.3,
        "masked_ids": rng.choice([None, "six", "four"]),
        "new_dates": rng.choice([None, None, "dot_short", "cn_upper"]),
    }


def variant_tags(v: dict) -> list[str]:
    tags = ["pdf_report" if v["report_pdf"] else "docx_report", f"numbering_{v.get('more_numbering') or v['numbering']}",
            f"application_{v['application']}", "roster_xlsx" if v["roster_xlsx"] else "roster_docx",
            f"insurance_{v['insurance_kind']}", "insurance_row_per_kind" if v["insurance_per_kind"] else "insurance_row_per_person",
            "contracts_xlsx" if v["contracts_xlsx"] else "contracts_docx", f"dates_{v['date_style']}",
            {"folder": "folder", "zip": "zip", "zip_gbk": "gbk_zip"}[v["container"]]]
    for key, tag in (("alt_titles", "alt_titles"), ("spaced_names", "spaced_names"), ("nested", "nested_folders")):
        if v[key]:
            tags.append(tag)
    if not v["roster_ids"]:
        tags.append("roster_without_ids")
    if not v["contract_types"]:
        tags.append("contract_type_from_name")
    tags += [t for t in v.get("shown", []) if t not in tags]  # layouts recorded where they were written
    return tags


def build_plan(pid: str, i: int, rng: random.Random, defects: list[Defect], used: set[str],
               layout_rng: random.Random | None = None) -> AgencyPlan:
    company = make_company(rng, "湖北省", rng.choice(["环境科技", "环保科技", "资源评价咨询", "节能环保科技"]), used)
    apply_date = date(REVIEW_YEAR, rng.randint(2, 4), rng.randint(1, 28))
    founded = int(company.founded[:4])
    n = 7 if too_few in defects else 8 if part_timer in defects else rng.randint(8, 13)
    people = make_people(rng, n, apply_date, founded, with_fin=no_finance not in defects)
    if new_agency in defects:
        first_year = REVIEW_YEAR - 1
        contracts = make_contracts(rng, first_year, apply_date, company.short, 0, 1.0)
        contracts[0].signed = date(REVIEW_YEAR - 1, min(12, apply_date.month + 5), 10)
    else:
        first_year = rng.randint(max(founded, 2012), REVIEW_YEAR - 4)
        contracts = make_contracts(rng, first_year, apply_date, company.short, rng.randint(4, 12), rng.choice([0.4, 0.6, 0.75, 1.0]))
    company = company.with_(contact=person_name(rng))
    v = choose_variants(rng, i)
    v.update(choose_layout(layout_rng or random.Random(f"{pid}:layout")))
    if v["new_dates"]:
        v["date_style"] = v["new_dates"]
    return AgencyPlan(pid, company, apply_date, people, contracts, v)


def build_packages(seed: int, pdf: bool) -> list:
    from corpus.generate import BuiltPackage

    used: set[str] = set()
    out = []
    for i in range(1, N_PACKAGES + 1):
        pid = f"hb_agency_{i:02d}"
        rng = random.Random(f"{seed}:{pid}")
        defects = PLANTED.get(i, [])
        plan = build_plan(pid, i, rng, defects, used, random.Random(f"{seed}:{pid}:layout"))
        expected: list[Expected] = []
        for d in defects:
            expected += d(plan, rng)
        files = build_files(plan, rng, pdf)
        out.append(BuiltPackage(pid, FORM, files, plan.v["container"], expected, variant_tags(plan.v)))
    return out


