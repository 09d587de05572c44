"""What a generated hb_agency package (湖北评价机构申请) says: the agency, its staff with
resident ID numbers, hire dates and insurance, and its contracts.  Each view of a person
(附件5 名单, 花名册, 社保缴纳明细) reads the person through `AgencyPlan`, where a planted defect
overrides exactly one view."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from stdnum.cn import ric

from corpus.generate.identities import HUBEI_CITIES, Company, person_name

FORM = "hb_agency"
REVIEW_YEAR = 2026

# (所学专业, 从事专业, class): classes the 附件6 veto needs are environment and finance
MAJORS_ENV = [("环境工程", "工业固废评价"), ("环境科学", "环境影响评价"), ("给排水科学与工程", "环境咨询"),
              ("资源循环科学与工程", "资源综合利用评价")]
MAJORS_FIN = [("会计学", "财务审核"), ("财务管理", "财务核算"), ("审计学", "财务审计")]
MAJORS_OTHER = [("化学工程与工艺", "工艺评价"), ("材料科学与工程", "建材产品评价"), ("矿物加工工程", "尾矿综合利用"),
                ("冶金工程", "冶金渣评价"), ("热能与动力工程", "节能评估"), ("机械设计制造及其自动化", "设备评价")]
TITLES = {"高级": ["高级工程师", "正高级工程师", "高级会计师"], "中级": ["工程师", "会计师", "经济师"],
          "初级": ["助理工程师", "助理会计师", "技术员"]}
EDUCATION = ["博士研究生", "硕士研究生", "硕士研究生", "本科", "本科", "本科", "大专"]
POSTS = ["技术负责人", "评价工程师", "评价工程师", "项目经理", "质量负责人", "财务审核", "评价员", "技术员"]
PROVINCIAL_CLIENTS = ["湖北省经济和信息化厅", "湖北省生态环境厅", "湖北省发展和改革委员会"]
CLIENT_WORDS = ["新型建材", "水泥", "电力", "钢铁", "化工", "矿业", "再生资源", "磷化工"]
CLIENT_TRADES = ["华新", "鄂东", "江汉", "长江", "荆楚", "汉江", "三峡", "清江", "神农", "黄鹤"]
# (type written in the list, words of the project name)
CONTRACT_KINDS = [
    ("固废评价", "工业固体废物资源综合利用评价"),
    ("固废评价", "尾矿综合利用评价"),
    ("环境咨询", "环境影响评价咨询"),
    ("环境咨询", "排污许可申报咨询"),
    ("节能评估", "固定资产投资项目节能评估"),
    ("绿色制造评价", "绿色工厂评价"),
    ("体系认证", "能源管理体系认证咨询"),
]


@dataclass
class Person:
    name: str
    gender: str
    id_number: str
    birth: date
    education: str
    grade: str  # 高级 / 中级 / 初级
    title: str
    major: str
    specialty: str
    service_years: int  # 从事资源综合利用服务年限
    hired: date
    post: str
    full_time: bool = True
    insured_from: date | None = None
    insured_to: date | None = None  # None: still paying
    status: str = "正常缴费"

    def age_on(self, d: date) -> int:
        return d.year - self.birth.year - ((d.month, d.day) < (self.birth.month, self.birth.day))


@dataclass
class ContractRow:
    name: str
    client: str
    signed: date
    amount_wan: str
    kind: str  # 服务类型 as written


@dataclass
class AgencyPlan:
    pid: str
    company: Company
    apply_date: date
    people: list[Person]
    contracts: list[ContractRow]
    v: dict
    # planted defects ------------------------------------------------------------------
    stated_total_delta: int = 0
    junior_delta: int = 0
    not_insured: set[str] = field(default_factory=set)  # names absent from the statement
    extra_insured: list[Person] = field(default_factory=list)  # insured, not on the roster
    insurer_unit: str | None = None  # the statement issued to another unit
    roster_name: str | None = None  # the company name written on the roster
    stated_age: dict[str, int] = field(default_factory=dict)
    blank_fields: set[str] = field(default_factory=set)
    contact_way: str | None = None
    email: str | None = None
    credit_code: str | None = None
    drop_files: set[str] = field(default_factory=set)  # attachment ids left out
    drop_sections: set[int] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)  # people a defect already changed

    @property
    def name(self) -> str:
        return self.company.name

    def stated_age_of(self, p: Person) -> int:
        return self.stated_age.get(p.name, p.age_on(self.apply_date))

    def insured_people(self) -> list[Person]:
        return [p for p in self.people if p.name not in self.not_insured] + self.extra_insured

    def grade_counts(self) -> tuple[int, int, int]:
        c = {g: sum(1 for p in self.people if p.grade == g) for g in ("高级", "中级", "初级")}
        return c["高级"], c["中级"], c["初级"] + self.junior_delta

    def stated_total(self) -> int:
        return len(self.people) + self.stated_total_delta


def resident_id(rng: random.Random, area: str, birth: date, male: bool) -> str:
    seq = rng.randint(10, 99) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_person(rng: random.Random, used: set[str], major: tuple[str, str], grade: str, apply_date: date,
                founded_year: int) -> Person:
    while True:
        name = person_name(rng)
        if name not in used:
            used.add(name)
            break
    male = rng.random() < 0.6
    birth = date(rng.randint(1966, 1998), rng.randint(1, 12), rng.randint(1, 28))
    area = rng.choice(HUBEI_CITIES).area_code
    earliest = max(founded_year, birth.year + 22)
    hired = date(rng.randint(min(earliest, REVIEW_YEAR - 1), REVIEW_YEAR - 1), rng.randint(1, 12), 1)
    if hired >= apply_date:
        hired = date(REVIEW_YEAR - 1, 6, 1)
    title = rng.choice([t for t in TITLES[grade] if ("会计" in t) == (major in MAJORS_FIN)] or TITLES[grade])
    return Person(
        name=name, gender="男" if male else "女", id_number=resident_id(rng, area, birth, male), birth=birth,
        education=rng.choice(EDUCATION), grade=grade, title=title, major=major[0], specialty=major[1],
        service_years=max(1, min(REVIEW_YEAR - hired.year + rng.randint(0, 6), apply_date.year - birth.year - 22)),
        hired=hired, post=rng.choice(POSTS), insured_from=hired,
    )


def make_people(rng: random.Random, n: int, apply_date: date, founded_year: int,
                with_env: bool = True, with_fin: bool = True) -> list[Person]:
    used: set[str] = set()
    majors = []
    if with_env:
        majors += rng.sample(MAJORS_ENV, 2)
    if with_fin:
        majors.append(rng.choice(MAJORS_FIN))
    while len(majors) < n:
        majors.append(rng.choice(MAJORS_OTHER + (MAJORS_ENV if with_env else [])))
    rng.shuffle(majors)
    grades = ["高级"] * max(2, n // 3) + ["中级"] * max(2, n // 3)
    grades += ["初级"] * (n - len(grades))
    rng.shuffle(grades)
    return [make_person(rng, used, m, g, apply_date, founded_year) for m, g in zip(majors, grades)]


def make_contracts(rng: random.Random, first_year: int, apply_date: date, agency_short: str,
                   n_recent: int, relevant_share: float) -> list[ContractRow]:
    """A first contract in `first_year`, a few in between, and `n_recent` in the last three years."""
    trades = [t for t in CLIENT_TRADES if t != agency_short]
    out: list[ContractRow] = []

    def one(year: int, relevant: bool, provincial: bool = False) -> ContractRow:
        kinds = [k for k in CONTRACT_KINDS if (k[0] in ("固废评价", "环境咨询")) == relevant]
        kind, words = rng.choice(kinds)
        if provincial:
            client = rng.choice(PROVINCIAL_CLIENTS)
            name = f"湖北省工业固体废物资源综合利用情况调研{'评价' if kind == '固废评价' else '咨询'}服务"
        else:
            client = f"湖北{rng.choice(trades)}{rng.choice(CLIENT_WORDS)}有限公司"
            name = f"{client[:-4]}{words}项目"
        month = rng.randint(1, 12) if year < apply_date.year else rng.randint(1, max(1, apply_date.month - 1))
        signed = date(year, month, rng.randint(1, 28))
        return ContractRow(name, client, signed, f"{rng.randint(3, 60)}.{rng.randint(0, 9)}", kind)

    out.append(one(first_year, True))
    for y in range(first_year + 1, REVIEW_YEAR - 3):
        if rng.random() < 0.5:
            out.append(one(y, rng.random() < 0.6))
    n_rel = round(n_recent * relevant_share)
    flags = [True] * n_rel + [False] * (n_recent - n_rel)
    rng.shuffle(flags)
    for i, rel in enumerate(flags):
        year = rng.choice([REVIEW_YEAR - 3, REVIEW_YEAR - 2, REVIEW_YEAR - 1])
        out.append(one(year, rel, provincial=(i == 0 and rel and rng.random() < 0.6)))
    out.sort(key=lambda c: c.signed)
    return out
