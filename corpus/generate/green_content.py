"""What a 湖南省绿色制造体系创建工作方案 package says (seed 004): one applicant (`GreenUnit`:
an enterprise creating a 绿色工厂 / 绿色供应链管理示范企业, or a 绿色园区), its plan
(cover, 编写提纲 一…七, 附件), its 基本情况表 and the city's 申报汇总表 rows for it.

Figures are consistent unless a planted defect overrides one view (`GreenUnit.ov` for a
figure, `summary_ov` for what the summary table says about the unit).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from corpus.generate.content import Block, Heading, Num, PageBreak, Para, Sheet, Table, fmt, written_date
from corpus.generate.identities import Company, make_company
from corpus.generate.outline import Numbering

YEARS = (2021, 2022, 2023)
FACTORY, SUPPLY_CHAIN, PARK = "绿色工厂", "绿色供应链管理示范企业", "绿色园区"
SECTIONS = ["单位基本情况", "创建思路", "创建目标", "创建任务", "进度安排", "保障措施", "拟实施项目清单"]
ALT_TITLES = {1: "企业基本情况", 2: "总体思路", 3: "工作目标", 4: "主要任务", 5: "实施进度安排", 6: "主要保障措施", 7: "项目清单"}
# a third wording, as plan writers rename the 编写提纲 items
RENAMED = {1: "企业概况", 2: "创建工作思路", 3: "创建工作目标", 4: "重点任务", 5: "工作进度安排", 6: "保障机制",
           7: "拟实施重点项目"}
PARK_RENAMED = {1: "园区概况"}
# 基本情况表 labels as some filers' copies of the form write them
LABEL_VARIANTS = {"申报联系人": "联系人姓名", "电子邮箱": "电子信箱", "联系电话": "移动电话"}


def show(lay: dict | None, tag: str) -> None:
    """Record in the layout dict a variant the files actually carry (once)."""
    if lay is None:
        return
    shown = lay.setdefault("shown", [])
    if tag not in shown:
        shown.append(tag)


def _contact_rows(u: GreenUnit, head: str, lay: dict | None) -> list[list]:
    """The two contact rows of a 基本情况表 (负责人, 申报联系人), as the seed or a filer's copy
    writes them: other label wordings, or each label and its value in one cell."""
    c = u.company
    email = str(u.get("email", c.email))
    lay = lay or {}
    if lay.get("labels"):
        show(lay, "label_variants")
        contact, mobile_label, email_label = "联系人姓名", "移动电话", "电子信箱"
    else:
        contact, mobile_label, email_label = "申报联系人", "联系电话", "电子邮箱"
    if lay.get("one_cell"):
        show(lay, "label_value_one_cell")
        return [[f"{head}：{c.legal_rep}", "", f"联系电话：{c.landline}", "", f"传真号码：{c.fax}", ""],
                [f"{contact}：{c.contact}", "", f"{mobile_label}：{u.contact_mobile}", "", f"{email_label}：{email}", ""]]
    return [[head, c.legal_rep, "联系电话", c.landline, "传真号码", c.fax],
            [contact, c.contact, mobile_label, u.contact_mobile, email_label, email]]


def _contact_merges(first_row: int, lay: dict | None) -> list[tuple[int, int, int, int]]:
    if not (lay or {}).get("one_cell"):
        return []
    return [(r, a, r, a + 1) for r in (first_row, first_row + 1) for a in (0, 2, 4)]
PARK_ALT = {1: "园区基本情况"}

# (所属行业, 所属现代产业体系, 主营业务, word in the company name)
PROFILES = [
    ("机械", "工程机械", "工程机械液压件研发、生产和销售", "液压机械"),
    ("汽车", "新能源", "新能源汽车电驱动系统零部件制造", "汽车零部件"),
    ("化工", "现代石化", "精细化工中间体生产与销售", "精细化工"),
    ("建材", "前沿材料", "新型墙体材料及装配式构件生产", "新型建材"),
    ("食品", "食品加工", "米粉及预制菜生产加工", "食品"),
    ("电子", "数字产业", "高密度印制电路板制造", "电子科技"),
    ("有色金属", "前沿材料", "高性能电解铜箔生产", "铜业"),
    ("轻工", "轻工纺织", "绿色包装纸制品生产", "纸业"),
]
PARKS = [("高新技术产业开发区", "国家级", "先进装备制造、新材料"), ("经济技术开发区", "国家级", "电子信息、新能源汽车"),
         ("工业集中区", "省级", "有色金属精深加工、新材料"), ("高新区", "省级", "生物医药、食品加工")]
CHECK_STYLES = {  # how a filer ticks 口已完成 / 口未完成
    "box": ("☑", "□"),
    "square": ("■", "□"),
    "tick_only": ("√", None),  # the other option deleted
}


@dataclass
class Business:
    assets: Decimal
    debt: Decimal  # %
    revenue: Decimal
    profit: Decimal
    tax: Decimal


@dataclass
class GreenUnit:
    kind: str
    name: str
    company: Company  # people and numbers (a park's too)
    industry: str = ""
    system: str = ""
    main_business: str = ""
    business: dict[int, Business] = field(default_factory=dict)
    audit_mandatory: bool = True
    audit_voluntary: bool = False
    # parks
    level: str = "省级"
    leading: str = ""
    planned_area: Decimal = Decimal(0)
    built_area: Decimal = Decimal(0)
    enterprises: int = 0
    scale: int = 0
    energy_intensive: int = 0
    key: int = 0
    audited_m: int = 0
    audited_v: int = 0
    total_output: Decimal = Decimal(0)  # 亿元
    industrial_output: Decimal = Decimal(0)
    gdp: Decimal = Decimal(0)
    value_added: Decimal = Decimal(0)
    # what a defect changed, by view: "estimate_label", "industry", "system", "share", "contact_mobile",
    # "email", "org_code", "leading" …
    ov: dict[str, object] = field(default_factory=dict)
    summary_ov: dict[str, object] = field(default_factory=dict)
    drop_sections: set[int] = field(default_factory=set)
    projects: int = 3

    @property
    def is_park(self) -> bool:
        return self.kind == PARK

    def get(self, key: str, default):
        return self.ov.get(key, default)

    @property
    def contact_mobile(self) -> str:
        return str(self.get("contact_mobile", self.company.mobile))

    @property
    def share(self) -> Decimal:
        return Decimal(str(self.get("share", (self.value_added / self.gdp * 100).quantize(Decimal("0.1")))))


def make_enterprise(rng: random.Random, kind: str, used: set[str], profile: int | None = None) -> GreenUnit:
    ind, system, biz, word = PROFILES[profile if profile is not None else rng.randrange(len(PROFILES))]
    company = make_company(rng, "湖南省", word, used)
    rev = Decimal(rng.randrange(30000, 400000))
    business = {}
    for i, y in enumerate(YEARS):
        r = (rev * Decimal(str(0.85 + 0.08 * i + rng.random() * 0.04))).quantize(Decimal("0.01"))
        business[y] = Business(
            assets=(r * Decimal(str(1.2 + rng.random()))).quantize(Decimal("0.01")),
            debt=Decimal(str(round(30 + rng.random() * 35, 2))),
            revenue=r,
            profit=(r * Decimal(str(0.04 + rng.random() * 0.08))).quantize(Decimal("0.01")),
            tax=(r * Decimal(str(0.02 + rng.random() * 0.04))).quantize(Decimal("0.01")),
        )
    return GreenUnit(kind, company.name, company, ind, system, biz, business,
                     audit_mandatory=rng.random() < 0.6, audit_voluntary=rng.random() < 0.7,
                     projects=rng.randint(2, 5))


def ensure_audit(u: GreenUnit) -> None:
    if not (u.audit_mandatory or u.audit_voluntary):
        u.audit_voluntary = True


def make_park(rng: random.Random, used: set[str]) -> GreenUnit:
    company = make_company(rng, "湖南省", "园区", used)
    suffix, level, leading = PARKS[rng.randrange(len(PARKS))]
    name = f"{company.city.short}{suffix}"
    while name in used:
        name = f"{company.city.short}{company.short}{suffix}"
    used.add(name)
    scale = rng.randint(80, 220)
    gdp = Decimal(rng.randrange(300, 1500))
    total = (gdp * Decimal(str(2.6 + rng.random()))).quantize(Decimal("0.1"))
    u = GreenUnit(PARK, name, company, level=level, leading=leading,
                  planned_area=Decimal(rng.randrange(20, 120)), enterprises=scale + rng.randint(60, 300), scale=scale,
                  energy_intensive=rng.randint(5, 25), key=rng.randint(10, 30),
                  audited_m=round(scale * rng.uniform(0.08, 0.12)), audited_v=round(scale * rng.uniform(0.08, 0.14)),
                  gdp=gdp, value_added=(gdp * Decimal(str(0.58 + rng.random() * 0.2))).quantize(Decimal("0.1")),
                  total_output=total, industrial_output=(total * Decimal(str(0.86 + rng.random() * 0.1))).quantize(Decimal("0.1")),
                  projects=rng.randint(3, 6))
    u.built_area = (u.planned_area * Decimal(str(0.5 + rng.random() * 0.4))).quantize(Decimal("0.01"))
    return u


# ---------------------------------------------------------------- the 基本情况表


def choice(options: tuple[str, str], selected: str, style: str) -> str:
    on, off = CHECK_STYLES[style]
    if off is None:
        return f"{on}{selected}"
    return "  ".join(f"{on if o == selected else off}{o}" for o in options)


def enterprise_tables(u: GreenUnit, style: str, transposed: bool, lay: dict | None = None) -> list[Block]:
    c = u.company
    done = ("已完成", "未完成")
    m = choice(done, "已完成" if u.audit_mandatory else "未完成", style)
    v = choice(done, "已完成" if u.audit_voluntary else "未完成", style)
    code = str(u.get("org_code", c.credit_code))
    rows = [
        ["企业名称", u.name, "", "", "", ""],
        ["所属行业", str(u.get("industry", u.industry)), "", "所属现代\n产业体系", str(u.get("system", u.system)), ""],
        ["主营业务", u.main_business, "", "通讯地址", c.address, ""],
        ["企业性质", "有限责任公司", "组织机\n构代码", code, "成立时间", c.founded],
        *_contact_rows(u, "法定代表人", lay),
        ["近五年实施\n清洁生产情况", "强制性清洁生产审核", m, "近五年节能\n诊断开展情况", choice(done, "已完成", style), ""],
        ["", "自愿性清洁生产审核", v, "", "", ""],
        ["近五年内在绿色制造方面已经取得的相关荣誉、资质等情况", "", "", "", "", ""],
        ["类别名称", "是", "否", "类别名称", "是", "否"],
        ["绿色工厂或绿色供应链管理企业", "", "√", "工业产品绿色设计示范企业", "", "√"],
        ["工业碳减排标杆企业", "", "√", "省节水型企业", "√", ""],
    ]
    merges = [(0, 1, 0, 5), (1, 1, 1, 2), (1, 4, 1, 5), (2, 1, 2, 2), (2, 4, 2, 5), (6, 0, 7, 0), (6, 3, 7, 3), (6, 4, 7, 5),
              (8, 0, 8, 5)] + _contact_merges(4, lay)
    head = [Para("基本情况表", bold=True, center=True, size=16), Para("（绿色工厂、绿色供应链管理示范企业填写）", center=True),
            Table(rows, merges, header_rows=0, widths=[2.6, 3.0, 2.2, 2.6, 2.6, 2.6], font_size=9)]
    products = Table([["产品名称", "生产能力", "年生产量", "产销率", "国内市场\n占有率", "年能耗总量\n（万吨标煤）", "年用水总量\n（万立方米）"],
                      [u.main_business[:6], "10万吨/年", "8.6万吨", "98%", "3%", "1.25", "12.6"]], font_size=9)
    return head + [Para("2023年度预计主要产品生产销售及能源资源消费情况", bold=True), products,
                   Para("企业近三年经营情况", bold=True), business_table(u, transposed)]


def business_table(u: GreenUnit, transposed: bool) -> Table:
    header = ["年度", "总资产\n（万元）", "负债率\n（%）", "主营业务收入\n（万元）", "利润\n（万元）", "税金\n（万元）"]
    rows = [header]
    for y in YEARS:
        b = u.business[y]
        label = f"{y}年" if y != YEARS[-1] else str(u.get("estimate_label", f"{y}年预计"))
        rows.append([label, Num(b.assets), Num(Decimal(str(u.get(f"debt.{y}", b.debt))), 2),
                     Num(b.revenue), Num(Decimal(str(u.get(f"profit.{y}", b.profit)))), Num(b.tax)])
    if transposed:
        rows = [list(col) for col in zip(*rows)]
    return Table(rows, font_size=9)


def park_table(u: GreenUnit, style: str, lay: dict | None = None) -> list[Block]:
    c = u.company
    level = choice(("国家级", "省级"), u.level, style)
    rows = [
        ["园区名称", u.name, "", "", "", ""],
        ["园区级别", level, "", "园区地址", f"{c.city.name}{c.city.district}", ""],
        *_contact_rows(u, "园区负责人", lay),
        ["主导产业", str(u.get("leading", u.leading)), "园区规划面积\n（平方公里）", Num(u.planned_area, 2),
         "园区已建成面积\n（平方公里）", Num(u.built_area, 2)],
        ["入园企业数", str(u.enterprises), "其中规模企业数", str(u.scale), "其中高耗能\n企业数", str(u.energy_intensive)],
        ["园区重点\n企业数", str(u.key), "其中通过强制性\n清洁生产审核数", str(u.audited_m), "其中通过自愿性\n清洁生产审核数",
         str(u.audited_v)],
        ["园区绿色发展现状", "", "", "", "", ""],
        ["2023年度万元工业增加值能耗下降率（%）（预计）", "", "3.2", "2023年度高新技术产业产值占园区工业总产值比例（%）（预计）", "", "46.5"],
        ["2023年度工业固体废物综合利用率（%）（预计）", "", "86.4", "2023度万元工业增加值废水排放量（吨/万元）（预计）", "", "4.8"],
        ["近五年内在绿色制造方面取得相关荣誉（资质）情况", "", "", "", "", ""],
        ["1、获批国家绿色工厂 3 家、省级绿色工厂 7 家；2、获批国家绿色供应链管理示范企业 1 家、省级绿色供应链管理示范企业 2 家；"
         "6、获得湖南省节水型企业 4 家。", "", "", "", "", ""],
    ]
    merges = [(0, 1, 0, 5), (1, 1, 1, 2), (1, 4, 1, 5), (7, 0, 7, 5), (8, 0, 8, 1), (8, 3, 8, 4), (9, 0, 9, 1), (9, 3, 9, 4),
              (10, 0, 10, 5), (11, 0, 11, 5)] + _contact_merges(2, lay)
    return [Para("基本情况表", bold=True, center=True, size=16), Para("（绿色园区填写）", center=True),
            Table(rows, merges, header_rows=0, widths=[2.6, 2.6, 2.6, 2.6, 2.6, 2.6], font_size=9)]


def basic_sheet(u: GreenUnit, style: str, lay: dict | None = None) -> Sheet:
    """The 基本情况表 as a filer's spreadsheet: the same grid, the 经营情况 rows below it."""
    blocks = park_table(u, style, lay) if u.is_park else enterprise_tables(u, style, transposed=False, lay=lay)
    rows: list[list] = [["基本情况表"]]
    merges = []
    for b in blocks:
        if isinstance(b, Para):
            rows.append([b.text])
        elif isinstance(b, Table):
            off = len(rows)
            rows += [list(r) for r in b.rows]
            merges += [(r0 + off, c0, r1 + off, c1) for r0, c0, r1, c1 in b.merges]
            rows.append([])
    return Sheet("基本情况表", rows, merges, widths=[16, 16, 14, 16, 14, 14, 14])


# ---------------------------------------------------------------- the plan


def cover(u: GreenUnit, copy_template: bool, date_style: str = "arabic") -> list[Block]:
    out: list[Block] = [Para("附件 1")] if copy_template else []
    out += [Para("湖南省绿色制造体系创建工作方案", bold=True, center=True, size=22), Para(""),
            Para(f"单位（盖章）：{u.name}", center=True, size=15),
            Para(f"创 建 类 型 ：{u.kind}", center=True, size=15),
            Para(f"联  系  人 ：{u.company.contact}", center=True, size=15),
            Para(f"联 系 电 话 ：{u.contact_mobile}", center=True, size=15),
            Para(written_date(2023, 11, None, date_style), center=True, size=15), PageBreak()]
    return out


def _overview(u: GreenUnit) -> list[Block]:
    if u.is_park:
        share = u.share
        return [Para(f"{u.name}为{u.level}工业园区，规划面积{fmt(u.planned_area, 2)}平方公里，主导产业为{u.leading}。"
                     f"园区现有入园企业{u.enterprises}家，其中规模以上工业企业{u.scale}家。"),
                Para(f"2023年园区预计实现总产值{fmt(u.total_output, 1)}亿元，其中工业总产值"
                     f"{fmt(Decimal(str(u.get('industrial_output_text', u.industrial_output))), 1)}亿元；"
                     f"园区地区生产总值{fmt(u.gdp, 1)}亿元，其中工业增加值{fmt(u.value_added, 1)}亿元，"
                     f"工业增加值占比为{fmt(share, 1)}%。")]
    b = u.business[YEARS[-1]]
    return [Para(f"{u.name}成立于{u.company.founded}，主营{u.main_business}，现有员工{u.company.staff}人。"
                 f"2023年预计实现主营业务收入{fmt(b.revenue, 2)}万元。企业已通过ISO14001环境管理体系认证。")]


def plan_blocks(u: GreenUnit, v: dict, basic: list[Block] | None) -> list[Block]:
    numbering = Numbering(v.get("more_numbering") or v["numbering"], v["styled"], "1、")
    out = cover(u, v.get("copy_template", False), v.get("date_style", "arabic"))
    if v.get("date_style", "arabic") != "arabic":
        show(v, f"dates_{v['date_style']}")
    out.append(Para("湖南省绿色制造体系创建工作方案", bold=True, center=True, size=18))
    subject = "园区" if u.is_park else "企业"
    bodies = {
        1: _overview(u) + (basic or []),
        2: [Para(f"以绿色低碳发展为主线，对照{u.kind}评价要求，坚持节能降碳、清洁生产和资源综合利用协同推进，"
                 f"系统提升{subject}绿色制造水平。")],
        3: [Para(f"到2025年底，{subject}单位产值能耗较2022年下降8%以上，工业固体废物综合利用率达到95%以上，"
                 f"全面达到{u.kind}评价标准要求。")],
        4: [Para("（一）完善能源管理体系，推进能源在线监测。"), Para("（二）实施节能降碳技术改造，推广高效电机和余热回收。"),
            Para("（三）推进清洁生产审核和绿色供应链协同。")],
        5: [Para("2024年1月至6月：开展现状诊断，编制创建方案；2024年7月至12月：实施重点项目；2025年：对照标准开展自评价。")],
        6: [Para("成立由主要负责人任组长的创建工作领导小组，落实资金保障，建立考核激励机制。")],
        7: [project_table(u)],
    }
    alt = {**ALT_TITLES, **(PARK_ALT if u.is_park else {})}
    renamed = {**RENAMED, **(PARK_RENAMED if u.is_park else {})}
    for i, title in enumerate(SECTIONS, 1):
        if i in u.drop_sections:
            continue
        if i in v.get("renamed_sections", ()):
            show(v, "renamed_headings")
            title = renamed[i]
        elif i in v.get("alt_titles", set()):
            title = alt[i]
        out.append(numbering.top(i, title))
        out += bodies[i]
    if 8 not in u.drop_sections:
        title = "附件：相关证明、支撑材料及文件"
        out.append(Heading(title, 1, True) if v["styled"] else Para(title, bold=True))
        out += [Para("1. 营业执照（复印件）；"), Para("2. 清洁生产审核验收意见；"), Para("3. 近五年绿色制造相关荣誉证书。")]
    return out


def project_table(u: GreenUnit) -> Table:
    rows: list[list] = [["序号", "项目名称", "建设内容", "总投资（万元）", "建设周期"]]
    names = ["余热余压回收利用", "屋顶分布式光伏", "能源管理中心建设", "中水回用系统改造", "固废资源化利用生产线", "智能化仓储物流"]
    for i in range(u.projects):
        rows.append([str(i + 1), f"{names[i]}项目", "新建或改造相关设施", Num(Decimal(300 + 250 * i), 0), "2024—2025年"])
    return Table(rows, font_size=9)


# ---------------------------------------------------------------- the 申报汇总表


def summary_rows_2_1(units: list[GreenUnit], extra: list[GreenUnit] = ()) -> list[list]:
    rows = []
    for i, u in enumerate(list(units) + list(extra), 1):
        b = u.business[YEARS[-1]]
        s = u.summary_ov
        rows.append([str(i), str(s.get("name", u.name)), u.main_business, u.kind, str(s.get("industry", u.industry)),
                     str(s.get("system", u.system)), Num(Decimal(str(s.get("revenue", b.revenue)))), Num(b.profit), Num(b.tax),
                     f"{u.company.contact} {u.contact_mobile}"])
    return rows


def summary_rows_2_2(units: list[GreenUnit]) -> list[list]:
    rows = []
    for i, u in enumerate(units, 1):
        s = u.summary_ov
        rows.append([str(i), u.name, u.leading, Num(u.built_area, 2), Num(u.total_output, 1),
                     Num(Decimal(str(s.get("industrial_output", u.industrial_output))), 1), f"{u.company.contact} {u.contact_mobile}"])
    return rows


HEAD_2_1 = ["序号", "申报单位", "主营\n业务", "创建\n类型", "所属行业", "所属体系分类", "2023年主营业\n务收入（预计）",
            "2023年\n利润（预计）", "2023年\n税收（预计）", "申报单位联系人及手机"]
HEAD_2_2 = ["序号", "申报单位", "主导\n产业", "园区已建成\n面积", "2023年园区总产\n值（预计）", "2023年园区工业总\n产值（预计）",
            "联系人及手\n机（预计）"]


def summary_sheet(kind: str, rows: list[list], city: str) -> Sheet:
    is_park = kind == "2-2"
    head = HEAD_2_2 if is_park else HEAD_2_1
    out: list[list] = [[f"附件{kind}"], ["2024年湖南省绿色制造体系申报汇总表"],
                       ["（绿色园区）" if is_park else "（绿色工厂、绿色供应链管理示范企业）"],
                       [f"推荐单位（盖章）：{city}工业和信息化局", "", "", "", "", "单位：平方公里、亿元" if is_park else "单位：万元"],
                       head] + rows + [["注：此表由市州工信局、省直管试点县（市）工信部门填写。"]]
    n = len(head)
    return Sheet(f"附件{kind}", out, [(0, 0, 0, n - 1), (1, 0, 1, n - 1), (2, 0, 2, n - 1)],
                 widths=[6, 30, 20, 14, 10, 12, 14, 12, 12, 24][:n])


def summary_blocks(kind: str, rows: list[list], city: str) -> list[Block]:
    is_park = kind == "2-2"
    head = HEAD_2_2 if is_park else HEAD_2_1
    return [Para(f"附件{kind}"), Para("2024年湖南省绿色制造体系申报汇总表", bold=True, center=True, size=16),
            Para("（绿色园区）" if is_park else "（绿色工厂、绿色供应链管理示范企业）", center=True),
            Para(f"推荐单位（盖章）：{city}工业和信息化局        " + ("单位：平方公里、亿元" if is_park else "单位：万元")),
            Table([head] + rows, font_size=8),
            Para("注：此表由市州工信局、省直管试点县（市）工信部门填写。")]

