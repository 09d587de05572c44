"""nowaste_case packages (seed 003): a 无废园区 or 无废企业 典型案例申报书 with its 表1/表2 and
自述, and the province's 附件2 典型案例汇总表.

Twelve packages, a third clean, each defective one with defects chosen so that every rule of
the form is planted at least once.  Layouts vary: everything in one .docx, the same exported
to PDF, the table and 自述 in an .xlsx, a transposed table (years as rows), 万吨 or 吨,
titles written "题目：…" or bare, the 汇总表 as .xlsx or inside the .docx, folders and zips
with GBK names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from corpus.generate import images
from corpus.generate import nowaste_content as C
from corpus.generate.content import (
    Block,
    Heading,
    Image,
    Num,
    Orientation,
    PageBreak,
    Para,
    Sheet,
    Table,
    written_date,
)
from corpus.generate.identities import (
    HUBEI_CITIES,
    HUNAN_CITIES,
    invalid_email,
    make_company,
    mobile,
    person_name,
)
from corpus.generate.package import PlannedFile
from corpus.generate.render_docx import render_docx
from corpus.generate.render_xlsx import render_xlsx

FORM = "nowaste_case"
PREFIX = "nowaste"
CN = "一二三四五六七八九十"
OTHER_CASES = [("园区", "经济开发区", "“以废治废”协同利用模式"), ("企业", "新材料有限公司", "尾矿全量化利用模式"),
               ("企业", "电力有限公司", "粉煤灰高值化利用模式"), ("园区", "化工园区", "磷石膏“以渣定产”模式"),
               ("企业", "水泥有限公司", "水泥窑协同处置模式"), ("园区", "高新技术产业开发区", "数字化固废监管模式")]

# (kind, layout, defects); layout keys: files, table, tonnes, title, summary, numbering, container
PACKAGES: list[tuple[str, dict, list[str]]] = [
    ("park", dict(files="docx", table="seed", tonnes="万吨", title="colon", summary="xlsx", numbering="cn", container="folder"), []),
    ("enterprise", dict(files="docx_xlsx", table="seed", tonnes="万吨", title="bare", summary="xlsx", numbering="arabic", container="zip"),
     ["sum_waste", "too_young", "email"]),
    ("park", dict(files="pdf", table="seed", tonnes="吨", title="bare", summary="in_docx", numbering="cn", container="zip_gbk"),
     ["rate_below", "self_long"]),
    ("enterprise", dict(files="docx", table="transposed", tonnes="万吨", title="colon", summary="xlsx", numbering="plain", container="folder"), []),
    ("park", dict(files="docx_xlsx", table="seed", tonnes="万吨", title="colon", summary="xlsx", numbering="arabic", container="folder"),
     ["sum_industry", "intensity_mismatch", "summary_attribute"]),
    ("park", dict(files="docx", table="split", tonnes="万吨", title="bare", summary="xlsx", numbering="cn", container="zip"),
     ["intensity_decline", "missing_year", "summary_too_many"]),
    ("park", dict(files="pdf", table="seed", tonnes="万吨", title="colon", summary="xlsx", numbering="cn", container="folder",
                  rise=True), []),
    ("enterprise", dict(files="docx", table="seed", tonnes="吨", title="colon", summary="xlsx", numbering="cn", container="zip_gbk"),
     ["rate_mismatch", "desc_long", "no_commitment"]),
    ("park", dict(files="docx", table="seed", tonnes="万吨", title="bare", summary="xlsx", numbering="plain", container="folder"),
     ["bad_title", "body_short", "summary_missing"]),
    ("enterprise", dict(files="docx_xlsx", table="seed", tonnes="万吨", title="colon", summary="xlsx", numbering="cn", container="zip"),
     ["no_self", "summary_duplicate", "narrative_rate"]),
    ("park", dict(files="docx", table="split", tonnes="万吨", title="colon", summary="none", numbering="arabic", container="folder",
                  va_in_text=True), []),
    ("enterprise", dict(files="pdf", table="seed", tonnes="万吨", title="bare", summary="xlsx", numbering="arabic", container="folder"),
     ["missing_year_2023", "rate_below", "contact_blank"]),
]


@dataclass
class Plan:
    pid: str
    kind: str
    layout: dict
    defects: list[str]
    unit: str  # 单位名称 (cover, table, 汇总表)
    province: str
    contact: str
    phone: str
    email: str
    figs: C.CaseFigures
    established: str
    history: str
    title: str
    expected: list[dict] = field(default_factory=list)
    ov: dict = field(default_factory=dict)  # (row, year) -> displayed override
    lv: dict = field(default_factory=dict)  # layouts drawn by the layout RNG
    shown: list[str] = field(default_factory=list)  # the layouts the files actually carry

    def show(self, tag: str) -> None:
        if tag not in self.shown:
            self.shown.append(tag)

    def blank_year(self) -> str | None:
        return "2020" if "missing_year" in self.defects else "2023" if "missing_year_2023" in self.defects else None

    def years_shown(self) -> list[str]:
        """The years whose 固废 columns are filled in."""
        return [y for y in C.YEARS if y != self.blank_year()]

    @property
    def kind_word(self) -> str:
        return "园区" if self.kind == "park" else "企业"


def _unit_name(rng: random.Random, kind: str, province: str, used: set[str]) -> tuple[str, str]:
    cities = HUBEI_CITIES if province == "湖北省" else HUNAN_CITIES
    if kind == "park":
        city = rng.choice(cities)
        name = f"{city.short}{rng.choice(C.PARK_NAMES)}"
        while name in used:
            city = rng.choice(cities)
            name = f"{city.short}{rng.choice(C.PARK_NAMES)}"
        used.add(name)
        return name, city.short
    company = make_company(rng, province, rng.choice(["钢铁", "特钢", "钢业"]), used)
    return company.name, company.short


def make_plan(pid: str, kind: str, layout: dict, defects: list[str], rng: random.Random, used: set[str]) -> Plan:
    province = rng.choice(["湖北省", "湖南省"])
    unit, short = _unit_name(rng, kind, province, used)
    floor = 90 if kind == "park" else 80
    if "rate_below" in defects:
        r20, r23 = floor - 17, floor - 4.5
    elif layout.get("rise"):
        r20, r23 = floor - 28, floor - 3  # below the floor but risen by 25 points: eligible
    else:
        r20, r23 = floor - rng.uniform(1, 8), floor + rng.uniform(2, 7)
    decline = 0.04 if "intensity_decline" in defects else rng.uniform(0.16, 0.28)
    figs = C.make_figures(rng, kind, r20, r23, decline)
    year = 2022 if "too_young" in defects else rng.randint(2003, 2016)
    if kind == "park":
        established = f"始建于{year}年"
        history = f"{year + 2}年经省人民政府批准为省级{rng.choice(['经济开发区', '高新技术产业园区'])}，规划面积约{rng.randint(20, 80)}平方公里"
    else:
        established = f"成立于{year}年{rng.randint(1, 12)}月"
        history = f"注册资本{rng.choice([5, 8, 12, 20])}亿元，现有员工{rng.randint(1500, 6000)}人，主要从事钢铁冶炼及压延加工"
    label = short if kind == "enterprise" else unit
    motto = rng.choice(["“分质分级、吃干榨尽”固废全量利用", "“源头减量、就地消纳”全链条循环利用",
                        "“产废—利废”协同闭环", "“数字赋能+协同利用”固废精细化管理"])
    title = f"{label}{motto}模式"
    if "bad_title" in defects:
        title = f"{label}推进工业固废资源化利用工作情况"
    return Plan(pid, kind, layout, defects, unit, province, person_name(rng), mobile(rng),
                f"{''.join(rng.choice('bcdfghjkmnpqrstwxyz') for _ in range(3))}{rng.randint(10, 999)}@163.com",
                figs, established, history, title)


# ---------------------------------------------------------------- defects


def apply_defects(plan: Plan, rng: random.Random) -> None:
    f = plan.figs
    exp = plan.expected
    for d in plan.defects:
        if d == "sum_waste":
            s = f.wastes[1]
            plan.ov[(f"item:{s.name}", "2021")] = s.values["2021"] + Decimal("0.80")
            # the key is the stated total as displayed: it is in the file and in the finding
            exp.append({"rule": "SUM.TOTAL_MISMATCH", "key": _tonnes(plan, f.generated("2021")).text()})
        elif d == "sum_industry":
            plan.ov[("total.output", "2022")] = f.total(f.industries, "2022") + Decimal(12000)
            exp.append({"rule": "SUM.TOTAL_MISMATCH", "key": _num(plan.ov[("total.output", "2022")], 0).text()})
        elif d == "rate_mismatch":
            plan.ov[("rate", "2022")] = f.rate("2022") + Decimal("3.6")
            exp.append({"rule": "RATE.MISMATCH", "key": _num(plan.ov[("rate", "2022")], 1).text()})
        elif d == "intensity_mismatch":
            plan.ov[("intensity", "2021")] = f.intensity("2021") * Decimal("1.25")
            # the tampered intensity as the table (and the finding) writes it
            exp.append({"rule": "INTENSITY.MISMATCH", "key": _num(plan.ov[("intensity", "2021")], 3).text()})
        elif d == "rate_below":
            # the rate of the latest year the table fills in, the one weighed against the floor
            last = plan.years_shown()[-1]
            exp.append({"rule": "ELIGIBILITY.RATE_BELOW_THRESHOLD", "key": _short(plan.ov.get(("rate", last), f.rate(last)))})
        elif d == "intensity_decline":
            # the first and last intensities the table fills in, between which the fall is measured
            first, last = plan.years_shown()[0], plan.years_shown()[-1]
            exp.append({"rule": "ELIGIBILITY.INTENSITY_DECLINE_BELOW_THRESHOLD",
                        "keys": [_short(f.intensity(first)), _short(f.intensity(last))]})
        elif d == "too_young":
            exp.append({"rule": "ELIGIBILITY.ENTITY_TOO_YOUNG", "key": "2022"})
        elif d == "self_long":
            exp.append({"rule": "TEXT.LENGTH_EXCEEDED", "key": "自述"})
        elif d == "desc_long":
            exp.append({"rule": "TEXT.LENGTH_EXCEEDED", "key": "案例简要描述"})
        elif d == "body_short":
            exp.append({"rule": "TEXT.LENGTH_EXCEEDED", "key": "正文"})
        elif d == "missing_year":
            exp.append({"rule": "PERIOD.MISSING_YEAR", "key": "2020"})
        elif d == "missing_year_2023":
            exp.append({"rule": "PERIOD.MISSING_YEAR", "key": "2023"})
        elif d == "no_commitment":
            exp.append({"rule": "OUTLINE.SECTION_MISSING", "key": "承诺声明"})
        elif d == "no_self":
            exp.append({"rule": "OUTLINE.SECTION_MISSING", "key": "自述"})
        elif d == "bad_title":
            exp.append({"rule": "TITLE.FORMAT_INVALID", "key": plan.title})
        elif d == "summary_missing":
            exp.append({"rule": "SUMMARY.CASE_NOT_LISTED", "key": plan.unit})
        elif d == "summary_too_many":
            exp.append({"rule": "SUMMARY.TOO_MANY_CASES", "key": plan.province[:2]})
        elif d == "summary_attribute":
            exp.append({"rule": "SUMMARY.ATTRIBUTE_MISMATCH", "key": plan.unit})
        elif d == "summary_duplicate":
            exp.append({"rule": "SUMMARY.DUPLICATE_ROW", "key": plan.unit})
        elif d == "contact_blank":
            exp.append({"rule": "FIELD.MISSING", "key": "联系人"})
        elif d == "email":
            plan.email = invalid_email(rng, plan.email)
            exp.append({"rule": "FORMAT.EMAIL_INVALID", "key": plan.email})
        elif d == "narrative_rate":
            exp.append({"rule": "CROSSDOC.FIGURE_MISMATCH", "key": f"{f.rate('2023') - Decimal('4.2'):.1f}"})
        else:
            raise ValueError(d)


def _short(v: Decimal) -> str:
    """A figure as a finding may state it: 85.50 -> 85.5, 0.780 -> 0.78 (each a part of the
    table's own text)."""
    text = f"{v:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------- the parts


def cover(plan: Plan) -> list[Block]:
    contact = "" if "contact_blank" in plan.defects else plan.contact
    lines = [f"单位名称：{plan.unit}（公章）", f"地    址：{plan.province}{plan.unit[:2]}市示范大道{len(plan.unit) * 7}号",
             f"联 系 人：{contact}", f"电    话：{plan.phone}", f"邮    箱：{plan.email}",
             f"申报日期：{written_date(2024, 3, 20, plan.lv.get('date_style', 'arabic'))}"]
    if plan.lv.get("date_style", "arabic") != "arabic":
        plan.show(f"dates_{plan.lv['date_style']}")
    out: list[Block] = [Para("附件1"), Para("典型案例申报书", bold=True, center=True, size=22),
                        Para(f"（无废{plan.kind_word}）", center=True), Para("")]
    for line in lines:  # a cover spaces its lines out, so a PDF keeps them apart
        out += [Para(line, size=14), Para("")]
    return out + [PageBreak()]


def commitment(plan: Plan) -> list[Block]:
    if "no_commitment" in plan.defects:
        return []
    return [Heading("承诺声明", 1, True),
            Para("我单位申报的所有材料，均真实、完整，如有不实，愿承担相应的责任。"),
            Para("在不涉及商业机密的情况下，自愿与其他企业分享经验。"),
            Para(f"单位名称：{plan.unit}（公章）"), Para(written_date(2024, 3, 20, plan.lv.get("date_style", "arabic"))),
            PageBreak()]


def body(plan: Plan, rng: random.Random) -> list[Block]:
    out: list[Block] = []
    if plan.layout["title"] == "colon":
        out.append(Para(f"题目：{plan.title}", bold=True, center=True, size=16))
    else:
        out.append(Para(plan.title, bold=True, center=True, size=16))
    target = 900 if "body_short" in plan.defects else 3000
    wastes = [s.name for s in plan.figs.wastes]
    rate23 = plan.ov.get(("rate", "2023"), plan.figs.rate("2023"))
    if "narrative_rate" in plan.defects:
        rate23 = rate23 - Decimal("4.2")
    sections = C.body_sections(rng, plan.unit, wastes, plan.kind_word, rate23, target)
    style = plan.layout["numbering"]
    for i, (title, paras) in enumerate(sections, 1):
        text = {"cn": f"{CN[i - 1]}、{title}", "arabic": f"{i}. {title}", "plain": title}[style]
        out.append(Heading(text, 1, style != "cn" or i % 2 == 0))
        out += [Para(p) for p in paras]
        if i == 2:
            out += figures_paras(plan, rate23)
            out.append(Image(images.jpeg(images.scan_page("固废综合利用现场", ["再生产品生产线"], rng)), 8, "photo.jpg"))
            out.append(Para("图1 固废综合利用生产线现场照片", center=True))
    if plan.layout.get("va_in_text"):
        f = plan.figs
        for y in ("2020", "2021", "2022", "2023"):
            out.append(Para(f"{y}年，园区实现工业增加值{f.value_added[y] / 10000:.2f}亿元。"))
    return out


def figures_paras(plan: Plan, rate23: Decimal) -> list[Block]:
    """Figures of 取得的成效 as narratives write them: a year series with 分别为, a total with its
    其中 items, two years in one sentence, 产值 in 亿元 — each as the table states it."""
    f, lv = plan.figs, plan.lv
    years = plan.years_shown()
    last = years[-1]
    out: list[Block] = []

    def rate(y: str) -> Decimal:
        return rate23 if y == "2023" else plan.ov.get(("rate", y), f.rate(y))

    def wan(v: Decimal) -> str:
        return f"{v:.2f}万吨"

    if lv.get("fenbie"):
        plan.show("narrative_fenbie")
        out.append(Para(f"{years[0]}—{years[-1]}年，{plan.unit}工业固废综合利用率分别为"
                        + "、".join(f"{rate(y):.1f}%" for y in years) + "，综合利用水平稳步提升。"))
    if lv.get("qizhong"):
        plan.show("narrative_qizhong")
        total = plan.ov.get(("total.generated", last), f.generated(last))
        items = "、".join(f"{s.name}{wan(plan.ov.get((f'item:{s.name}', last), s.values[last]))}" for s in f.wastes)
        out.append(Para(f"{last}年，{plan.unit}工业固废产生量{wan(total)}，其中{items}。"))
    if lv.get("two_years"):
        plan.show("two_years_one_paragraph")
        cur, prev = last, years[-2]
        used = {y: plan.ov.get(("total.utilized", y), f.utilized(y)) for y in (prev, cur)}
        out.append(Para(f"{cur}年工业固废综合利用量{wan(used[cur])}，{prev}年为{wan(used[prev])}。"))
    if lv.get("yi"):
        plan.show("amounts_yi")
        if plan.kind == "park":
            value = plan.ov.get(("total.output", "2023"), f.total(f.industries, "2023"))
            out.append(Para(f"2023年，园区实现总产值{value / 10000:.2f}亿元。"))
        else:
            out.append(Para(f"2023年，企业实现产值{f.output['2023'] / 10000:.2f}亿元。"))
    return out


def _num(v: Decimal, places: int) -> Num:
    return Num(v, places)


def _tonnes(plan: Plan, v: Decimal) -> Num:
    return Num(v * 10000, 0) if plan.layout["tonnes"] == "吨" else Num(v, 2)


def table_rows(plan: Plan) -> tuple[list[list], list[list]]:
    """(生产经营 rows, 固废 rows), each with its own 2020…2023 header."""
    f, y4 = plan.figs, C.YEARS
    tu = plan.layout["tonnes"]
    blank_year = "2020" if "missing_year" in plan.defects else "2023" if "missing_year_2023" in plan.defects else None

    def row(label, values: dict, conv, key=None, waste_part=False):
        cells = []
        for y in y4:
            v = plan.ov.get((key, y), values[y]) if key else values[y]
            cells.append("" if (y == blank_year and waste_part) else conv(v))
        return [label] + cells

    ops: list[list] = [["", "2020年", "2021年", "2022年", "2023年"]]
    if plan.kind == "park":
        ops.append(row("园区总产值（万元）", {y: f.total(f.industries, y) for y in y4}, lambda v: _num(v, 0), "total.output"))
        for k, s in enumerate(f.industries):
            ops.append(row(f"其中，{s.name}" if k == 0 else s.name, s.values, lambda v: _num(v, 0), "ops"))
        if not plan.layout.get("va_in_text"):
            ops.append(row("工业增加值（万元）", f.value_added, lambda v: _num(v, 0), "ops"))
    else:
        ops.append(row("产值（万元）", f.output, lambda v: _num(v, 0), "ops"))
        ops.append(row("销售额（万元）", f.sales, lambda v: _num(v, 0), "ops"))
        ops.append(["产能", *(["1200万吨/年"] * 4)])
        ops.append(row("产量（万吨）", {y: f.production(y) for y in y4}, lambda v: _num(v, 2), "ops"))
        for k, s in enumerate(f.products):
            ops.append(row(f"其中，{s.name}（万吨）" if k == 0 else f"{s.name}（万吨）", s.values, lambda v: _num(v, 2), "ops"))
    w: list[list] = [["", "2020年", "2021年", "2022年", "2023年"]]
    t = lambda v: _tonnes(plan, v)
    if plan.kind == "park":
        w.append(row("园区工业固废产生强度*（吨/万元）", {y: f.intensity(y) for y in y4}, lambda v: _num(v, 3), "intensity", True))
    gen_label = "园区内工业固废产生量" if plan.kind == "park" else "工业固废产生量"
    w.append(row(f"{gen_label}（{tu}）", {y: f.generated(y) for y in y4}, t, "total.generated", True))
    for k, s in enumerate(f.wastes):
        w.append(row(f"其中，{s.name}" if k == 0 else s.name, s.values, t, f"item:{s.name}", True))
    if plan.lv.get("ellipsis") and plan.layout["table"] != "transposed":
        plan.show("placeholder_ellipsis_row")
        w.append(["……", "", "", "", ""])
    use_label = "园区内工业固废利用量" if plan.kind == "park" else "工业固废综合利用量"
    w.append(row(f"{use_label}（{tu}）", {y: f.utilized(y) for y in y4}, t, "total.utilized", True))
    for k, s in enumerate(f.uses):
        w.append(row(f"其中，{s.name}" if k == 0 else s.name, s.values, t, f"use:{s.name}", True))
    rate_label = "工业固体废物园区内综合利用率（%）" if plan.kind == "park" else "工业固废综合利用率（%）"
    w.append(row(rate_label, {y: f.rate(y) for y in y4}, lambda v: _num(v, 1), "rate", True))
    return ops, w


def basic_rows(plan: Plan) -> list[list]:
    if plan.kind == "park":
        return [["基本资料", "", "", "", ""],
                ["园区名称", plan.unit, "", "", ""],
                ["主导产业*", "、".join(s.name.split(" ", 1)[-1] for s in plan.figs.industries[:3]), "", "", ""],
                ["详细地址", f"{plan.province}{plan.unit[:2]}市示范大道{len(plan.unit) * 7}号", "", "", ""],
                ["网    址", "www.example-park.gov.cn", "", "", ""],
                ["园区负责人", person_name(random.Random(plan.pid)), "手    机", plan.phone, ""],
                ["传    真", "", "邮    箱", plan.email, ""],
                ["企业数量", str(120 + len(plan.unit) * 3), "规上企业数量", str(60 + len(plan.unit)), ""]]
    return [["基本资料", "", "", "", ""],
            ["企业名称", plan.unit, "", "", ""],
            ["从事行业*", "311 炼钢", "", "", ""],
            ["详细地址", f"{plan.province}{plan.unit[:2]}市钢城大道{len(plan.unit) * 3}号", "", "", ""],
            ["网    址", "www.example-steel.com.cn", "", "", ""],
            ["负 责 人", person_name(random.Random(plan.pid)), "手    机", plan.phone, ""],
            ["传    真", "", "邮    箱", plan.email, ""],
            ["厂区面积（平方米）", "1860000", "员工数量", "4200", ""]]


def _kv_merges(rows: list[list]) -> list[tuple[int, int, int, int]]:
    out = [(0, 0, 0, 4)]
    for r, row in enumerate(rows[1:], 1):
        if row[2] == "":
            out.append((r, 1, r, 4))
        else:
            out.append((r, 3, r, 4))
    return out


def table_blocks(plan: Plan) -> list[Block]:
    num = "表1" if plan.kind == "park" else "表2"
    name = f"{plan.unit}{'园区' if plan.kind == 'park' and not plan.unit.endswith(('园区', '开发区', '产业园')) else ''}基本情况表"
    title = f"{plan.unit}基本情况表" if plan.kind == "enterprise" else name
    kv = basic_rows(plan)
    ops, w = table_rows(plan)
    out: list[Block] = [Orientation(True), Para(num, bold=True), Para(title, bold=True, center=True),
                        Para(f"填表人：{plan.contact or '王晓'}    职务：科长    联系电话：{plan.phone}")]
    if plan.layout["table"] == "transposed":
        out.append(Table(kv, _kv_merges(kv), header_rows=1))
        for part in (ops, w):
            tr = [[part[r][c] if c < len(part[r]) else "" for r in range(len(part))] for c in range(5)]
            tr[0][0] = "年份"
            out.append(Table(tr, [], header_rows=1, font_size=8))
    elif plan.layout["table"] == "split":
        out.append(Table(kv, _kv_merges(kv), header_rows=1))
        out.append(Para("生产经营总体情况", bold=True))
        out.append(Table(ops, [], header_rows=1))
        out.append(Para("工业固废产生与利用总体情况（填写园区企业产生和园区企业利用的，不含外运）", bold=True))
        out.append(Table(w, [], header_rows=1))
    else:
        head = "生产经营总体情况" if plan.kind == "park" else "生产经营及工业固废综合利用情况"
        rows = kv + [[head, "", "", "", ""]] + ops
        merges = _kv_merges(kv) + [(len(kv), 0, len(kv), 4)]
        out.append(Table(rows, merges, header_rows=1))
        out.append(Para("注：产业分类参考《国民经济行业分类》中类。"))
        out.append(Table(w, [], header_rows=1))
        out.append(Para("注：工业固废产生强度=工业固体废物产生量(吨)/工业增加值(万元)"))
    out.append(Orientation(False))
    return out


def self_blocks(plan: Plan, rng: random.Random) -> tuple[str, list[str]]:
    label = f"{plan.kind_word}自述（主要内容：发展历史、相关荣誉、生产经营总体情况、信息化系统建设运行情况等）（1000字以内）："
    f = plan.figs
    out_text = (f"园区总产值{f.total(f.industries, '2023') / 10000:.1f}亿元" if plan.kind == "park"
                else f"销售额{f.sales['2023'] / 10000:.1f}亿元")
    target = 1600 if "self_long" in plan.defects else rng.randint(450, 800)
    return label, C.self_statement(rng, plan.unit, plan.kind_word, plan.established, plan.history, out_text, target)


SUMMARY_HEADER = ["序号", "省份", "单位属性", "单位名称", "典型案例名称", "主导产业", "案例简要描述（不超过200字）", "单位联系人", "电话"]


def summary_rows(plan: Plan, rng: random.Random) -> list[list]:
    prov = plan.province[:2]
    attr = plan.kind_word
    if "summary_attribute" in plan.defects:
        attr = "企业" if plan.kind == "park" else "园区"
    desc = (f"{plan.unit}围绕工业固废源头减量和资源化利用，建立全过程管理机制，推广分质分级利用技术，"
            f"2023年工业固废综合利用率达到{plan.figs.rate('2023'):.1f}%，形成了可复制可推广的经验。")
    if "desc_long" in plan.defects:
        desc = desc * 3
    industry = "钢铁" if plan.kind == "enterprise" else "建材、化工"
    own = [None, prov, attr, plan.unit, plan.title, industry, desc, plan.contact or "王晓", plan.phone]
    others = []
    n_other = 5 if "summary_too_many" in plan.defects else rng.randint(1, 3)
    cities = HUBEI_CITIES if plan.province == "湖北省" else HUNAN_CITIES
    for k in range(n_other):
        a, suffix, case = C_OTHER(k)
        city = cities[(k + 3) % len(cities)]
        name = f"{city.short}{suffix}"
        others.append([None, prov, a, name, f"{city.short}{case}", "综合", f"{name}推进工业固废综合利用，成效明显，具有示范意义。",
                       person_name(rng), mobile(rng)])
    rows = [] if "summary_missing" in plan.defects else [own]
    rows += others
    if "summary_duplicate" in plan.defects:
        rows.append(list(own))
    for i, r in enumerate(rows, 1):
        r[0] = str(i)
    return [SUMMARY_HEADER] + rows


def C_OTHER(k: int) -> tuple[str, str, str]:
    return OTHER_CASES[k % len(OTHER_CASES)]


def summary_blocks(plan: Plan, rng: random.Random) -> list[Block]:
    return [PageBreak(), Orientation(True), Para("附件2"), Para("典型案例汇总表", bold=True, center=True, size=16),
            Para(f"报送单位名称：{plan.province}经济和信息化厅（加盖单位公章）"),
            Table(summary_rows(plan, rng), [], header_rows=1, font_size=8),
            Para("报送单位联系人：李明    电话：027-87654321"), Orientation(False)]


def summary_sheet(plan: Plan, rng: random.Random) -> bytes:
    rows: list[list] = [["附件2"], ["典型案例汇总表"], [f"报送单位名称：{plan.province}经济和信息化厅（加盖单位公章）"], []]
    rows += summary_rows(plan, rng)
    rows += [[], ["报送单位联系人：李明    电话：027-87654321"]]
    return render_xlsx([Sheet("汇总表", rows, widths=[6, 8, 10, 28, 30, 12, 60, 10, 14])], "典型案例汇总表")


def table_sheet(plan: Plan, label: str, statement: list[str]) -> bytes:
    kv = basic_rows(plan)
    ops, w = table_rows(plan)
    num = "表1" if plan.kind == "park" else "表2"
    rows: list[list] = [[num], [f"{plan.unit}基本情况表"], [f"填表人：{plan.contact or '王晓'}  职务：科长  联系电话：{plan.phone}"], []]
    start = len(rows)
    rows += kv
    merges = [(start + a, b, start + c, d) for a, b, c, d in _kv_merges(kv)]
    rows += [[]] + ops + [[]] + w + [[]]
    sheets = [Sheet(num, rows, merges, widths=[34, 14, 14, 14, 14])]
    if "no_self" not in plan.defects:
        sheets.append(Sheet("自述", [[label], ["".join(statement)]], [(1, 0, 1, 4)], widths=[30, 20, 20, 20, 20]))
    return render_xlsx(sheets, num)


def build_files(plan: Plan, rng: random.Random) -> list[PlannedFile]:
    label, statement = self_blocks(plan, rng)
    blocks: list[Block] = cover(plan) + commitment(plan) + [Para("申报材料", bold=True)] + body(plan, rng)
    files: list[PlannedFile] = []
    folder = f"{plan.unit}典型案例申报材料/"
    if plan.layout["files"] == "docx_xlsx":
        files.append(PlannedFile(folder + f"表{'1' if plan.kind == 'park' else '2'} 基本情况表.xlsx", table_sheet(plan, label, statement)))
    else:
        blocks += [PageBreak()] + table_blocks(plan)
        if "no_self" not in plan.defects:
            blocks += [Para(label, bold=True)] + [Para(p) for p in statement]
    if plan.layout["summary"] == "in_docx":
        blocks += summary_blocks(plan, rng)
    docx = render_docx(blocks, "典型案例申报书")
    name = folder + f"{plan.unit}典型案例申报书.{'pdf' if plan.layout['files'] == 'pdf' else 'docx'}"
    files.insert(0, PlannedFile(name, pdf_from_docx=docx) if plan.layout["files"] == "pdf" else PlannedFile(name, docx))
    if plan.layout["summary"] == "xlsx":
        files.append(PlannedFile("附件2 典型案例汇总表.xlsx", summary_sheet(plan, rng)))
    return files


def variant_tags(plan: Plan) -> list[str]:
    lay = plan.layout
    tags = [plan.kind, f"files_{lay['files']}", f"table_{lay['table']}", f"title_{lay['title']}",
            f"summary_{lay['summary']}", f"numbering_{lay['numbering']}",
            {"folder": "folder", "zip": "zip", "zip_gbk": "gbk_zip"}[lay["container"]]]
    if lay["tonnes"] == "吨":
        tags.append("unit_tonnes")
    if lay.get("rise"):
        tags.append("rate_rise_exception")
    if lay.get("va_in_text"):
        tags.append("value_added_in_text")
    return tags + [t for t in plan.shown if t not in tags]


def choose_layout(rng: random.Random) -> dict:
    """Layouts real submitters produce, from a RNG of their own (the figures' draws keep their
    sequence)."""
    return {
        "fenbie": rng.random() < 0.4,
        "qizhong": rng.random() < 0.4,
        "two_years": rng.random() < 0.4,
        "yi": rng.random() < 0.35,
        "ellipsis": rng.random() < 0.3,
        "date_style": rng.choice(["arabic", "arabic", "cn_upper", "dotted"]),
    }


def build_packages(seed: int, pdf: bool = True):
    from corpus.generate import BuiltPackage

    used: set[str] = set()
    out = []
    for i, (kind, layout, defects) in enumerate(PACKAGES, 1):
        pid = f"{PREFIX}_{i:02d}"
        rng = random.Random(f"{seed}:{pid}")
        layout = dict(layout)
        if not pdf and layout["files"] == "pdf":
            layout["files"] = "docx"
        plan = make_plan(pid, kind, layout, list(defects), rng, used)
        plan.lv = choose_layout(random.Random(f"{seed}:{pid}:layout"))
        apply_defects(plan, rng)
        files = build_files(plan, rng)
        out.append(BuiltPackage(pid, FORM, files, layout["container"], plan.expected, variant_tags(plan)))
    return out
