"""湖北 hb_evaluation packages (seed 001): the agency's 评价报告 (outline 一…七), 附件1
申报企业基本情况表, 附件3 年报表, the business licence and optional extras.

`HbPlan` holds everything a package shows; `build_files` turns it into files.  Each view
of a figure (附件1, 附件3, the monthly table, the narrative) reads the figure model
through `HbPlan.ov`, where a planted defect overrides exactly one view.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from corpus.generate import images
from corpus.generate.content import (
    PlanViews,
    Block, Image, Num, Orientation, PageBreak, Para, Sheet, Table, cell_text, cn_number, fmt, round_to, written_date,
)
from corpus.generate.figures import HUNDRED, TEN_THOUSAND, HbFigures, HbWaste, Overrides
from corpus.generate.identities import Company
from corpus.generate.outline import MORE_NUMBERINGS, NUMBERINGS, Numbering
from corpus.generate.package import PlannedFile
from corpus.generate.render_docx import render_docx
from corpus.generate.render_xlsx import render_xlsx

FORM = "hb_evaluation"
YEAR = 2025

# (seed title, another wording filers use)
SECTIONS = [
    ("评价概述", "概述"),
    ("企业基本情况", "企业基本概况"),
    ("企业生产及经营", "企业生产经营情况"),
    ("企业工艺技术", "工艺技术及装备"),
    ("企业体系建设", "管理体系建设情况"),
    ("固体废物综合利用情况", "工业固体废物综合利用情况"),
    ("结论", "结论与建议"),
]
# a third wording of each section title, as report writers rename them
RENAMED = {1: "总论", 2: "企业概况", 3: "生产经营情况", 4: "生产工艺与技术装备", 5: "管理体系建设",
           6: "工业固体废物产生及综合利用情况", 7: "评价结论"}
BASIC_REQUIRED = ("统一社会信用代码", "联系人", "手机号码", "电子邮箱", "通讯地址")
# 附件1 labels as some filers' copies of the form write them
BASIC_LABEL_VARIANTS = {"联系人": "联系人姓名", "手机号码": "移动电话", "电子邮箱": "电子信箱", "利润总额(万元)": "利润（万元）"}
COMMITMENT = (
    "我单位郑重承诺：本次申报湖北省工业固体废物资源综合利用评价所提交的相关信息、数据及证明材料均真实、"
    "准确，并承担因材料虚假引起的全部责任。"
)
AGENCIES = [
    "湖北绿循环境科技有限公司", "武汉中环资源评价咨询有限公司", "湖北楚天节能技术服务有限公司",
    "湖北省循环经济发展研究院有限公司",
]
PROCESS_STEPS = {
    "蒸压粉煤灰砖": ["原料进厂", "计量配料", "搅拌消化", "压制成型", "蒸压养护", "成品检验", "出厂"],
    "加气混凝土砌块": ["石膏进厂", "磨细制浆", "计量配料", "浇注发气", "切割", "蒸压养护", "出釜检验"],
    "机制砂": ["尾矿进厂", "脱水", "筛分", "整形制砂", "分级", "成品堆存"],
    "矿渣微粉": ["钢渣进厂", "磁选除铁", "烘干", "立磨粉磨", "选粉", "成品入库"],
    "水泥（缓凝剂掺用）": ["石膏进厂", "陈化", "计量配料", "水泥粉磨", "均化", "包装出厂"],
    "水泥熟料": ["煤矸石进厂", "破碎", "生料配料", "生料粉磨", "预热分解", "回转窑煅烧", "冷却入库"],
    "建筑石膏粉": ["石膏进厂", "水洗除杂", "烘干", "煅烧", "陈化", "改性", "包装"],
    "石膏砌块": ["原料进厂", "计量配料", "搅拌", "浇注成型", "干燥", "检验入库"],
    "充填料": ["尾矿浓密", "过滤", "计量配料", "搅拌制浆", "管道输送", "井下充填"],
    "商品粉煤灰": ["电除尘收集", "气力输送", "分选", "灰库储存", "散装外运"],
    "脱硫石膏粉": ["脱水", "堆存陈化", "烘干", "粉磨", "计量包装"],
}
EQUIPMENT = [
    ("电子汽车衡", "SCS-100", "2", "台"), ("皮带秤", "ICS-20", "3", "台"), ("搅拌机", "JS1500", "2", "台"),
    ("立式磨", "HRM2800", "1", "台"), ("蒸压釜", "Φ2.68×39m", "6", "台"), ("除尘器", "PPC64-6", "4", "套"),
]


@dataclass
class HbPlan(PlanViews):
    sections = SECTIONS
    renamed = RENAMED
    pid: str
    company: Company
    agency: str
    figs: HbFigures
    v: dict  # variant choices
    ov: Overrides = field(default_factory=Overrides)
    drop_sections: set[int] = field(default_factory=set)
    drop_flowchart: bool = False
    drop_commitment: bool = False
    drop_license: bool = False
    corrupt: tuple[str, str] | None = None  # (file name, 'random' | 'truncated')
    name_in: dict[str, str] = field(default_factory=dict)  # role -> company name written there
    code_in: dict[str, str] = field(default_factory=dict)  # role -> credit code written there
    blank_fields: dict[str, str] = field(default_factory=dict)  # 附件1 label -> placeholder
    touched: set[str] = field(default_factory=set)  # waste names a defect already uses


    # views of figures ---------------------------------------------------------------
    def basic_utilized(self, w: HbWaste) -> Decimal:
        return self.ov.get(f"basic.utilized:{w.name}", w.utilized)

    def annual_utilized(self, w: HbWaste) -> Decimal:
        return self.ov.get(f"annual.utilized:{w.name}", w.utilized)

    def annual_rate(self, w: HbWaste) -> Decimal | None:
        if f"annual.rate:{w.name}" in self.ov:
            return self.ov.get(f"annual.rate:{w.name}")
        if w.generated <= 0:
            return None
        return round_to(self.annual_utilized(w) / w.generated * HUNDRED, self.v["rate_places"])

    def annual_total_utilized(self) -> Decimal:
        return sum((self.annual_utilized(w) for w in self.figs.wastes), Decimal(0)) + self.ov.get(
            "annual.total_delta", Decimal(0)
        )

    def monthly(self, w: HbWaste) -> list[Decimal]:
        months = list(w.monthly)
        if f"monthly:{w.name}" in self.ov:
            i, value = self.ov.get(f"monthly:{w.name}")
            months[i] = value
        return months

    def narrative_utilized(self, w: HbWaste) -> Decimal:
        return self.ov.get(f"narrative.utilized:{w.name}", w.utilized)


def choose_variants(rng: random.Random) -> dict:
    return {
        "report_pdf": rng.random() < 0.45,
        "numbering": rng.choice(NUMBERINGS),
        "styled_headings": rng.random() < 0.6,
        "alt_title_sections": set(rng.sample(range(1, 8), rng.choice([0, 0, 1, 2, 3]))),
        "basic_xlsx": rng.random() < 0.55,
        "basic_merged_header": rng.random() < 0.4,
        "annual_xlsx": rng.random() < 0.6,
        "annual_transposed": rng.random() < 0.25,
        "annual_units": rng.choice(["header_t", "header_t", "header_wan", "unit_line", "in_cell"]),
        "thousands": rng.random() < 0.5,
        "fullwidth": rng.random() < 0.25,
        "monthly_transposed": rng.random() < 0.4,
        "balance_combined": rng.random() < 0.4,
        "license_kind": rng.choice(["jpg", "jpg", "png", "scan_pdf"]),
        "plain_names": rng.random() < 0.25,
        "container": rng.choice(["folder", "folder", "zip", "zip_gbk"]),
        "nested": rng.random() < 0.35,
        "declaration_docx": rng.random() < 0.35,
        "quality_scan": rng.random() < 0.4,
        "placeholder": rng.choice(["—", "/", "0"]),
        "rate_places": rng.choice([1, 2]),
        "narrative_places": rng.choice([2, 2, 1]),
    }


def choose_layout(rng: random.Random) -> dict:
    """Layouts real submitters produce, drawn from a RNG of their own (the draws above keep
    their sequence, so adding a layout here changes no company or figure)."""
    return {
        "more_numbering": rng.choice(MORE_NUMBERINGS) if rng.random() < 0.35 else None,
        "renamed_sections": set(rng.sample(range(1, 8), rng.choice([0, 0, 1, 2]))),
        "basic_labels": rng.random() < 0.35,
        "basic_one_cell": rng.random() < 0.3,
        "basic_values_below": rng.random() < 0.3,
        "basic_wan_year": rng.random() < 0.25,
        "narrative_list": rng.choice([None, None, "fenbie", "qizhong"]),
        "narrative_numerals": rng.choice(["plain", "plain", "cn", "approx"]),
        "annual_benian": rng.random() < 0.35,
        "annual_unit_column": rng.random() < 0.3,
        "annual_destination": rng.random() < 0.3,
        "annual_ellipsis": rng.random() < 0.25,
        "annual_groups": rng.random() < 0.3,
        "monthly_continued": rng.choice([None, None, "repeat", "bare"]),
        "balance_note": rng.random() < 0.3,
        "date_style": rng.choice(["arabic", "arabic", "cn_upper", "dotted"]),
    }


def numbering_style(v: dict) -> str:
    return v.get("more_numbering") or v["numbering"]


def variant_tags(v: dict) -> list[str]:
    tags = ["pdf_report" if v["report_pdf"] else "docx_report", f"numbering_{numbering_style(v)}"]
    if not v["styled_headings"] and numbering_style(v) != "plain":
        tags.append("unstyled_headings")
    if v["alt_title_sections"]:
        tags.append("alt_titles")
    if v.get("renamed_sections"):
        tags.append("renamed_headings")
    tags.append("basic_info_xlsx" if v["basic_xlsx"] else "basic_info_docx")
    if v["basic_merged_header"]:
        tags.append("merged_header")
    tags.append("annual_xlsx" if v["annual_xlsx"] else "annual_docx")
    if v["annual_transposed"]:
        tags.append("transposed_annual")
    tags.append(f"annual_units_{v['annual_units']}")
    for key, tag in (
        ("thousands", "thousands_separators"), ("fullwidth", "fullwidth_digits"),
        ("monthly_transposed", "transposed_monthly"), ("balance_combined", "combined_balance_table"),
        ("plain_names", "plain_file_names"), ("nested", "nested_folders"),
        ("declaration_docx", "declaration_docx"), ("quality_scan", "quality_report_scan"),
    ):
        if v[key]:
            tags.append(tag)
    tags.append(f"license_{v['license_kind']}")
    tags.append({"folder": "folder", "zip": "zip", "zip_gbk": "gbk_zip"}[v["container"]])
    tags.append(f"placeholder_{ {'—': 'dash', '/': 'slash', '0': 'zero'}[v['placeholder']] }")
    if v["narrative_places"] == 1:
        tags.append("narrative_rounded")
    tags += [t for t in v.get("shown", []) if t not in tags]  # layouts recorded where they were written
    return tags


def show(plan: HbPlan, tag: str) -> None:
    """Record a layout variant the files actually carry (once)."""
    shown = plan.v.setdefault("shown", [])
    if tag not in shown:
        shown.append(tag)


# ---------------------------------------------------------------- formatting helpers


def tonnes(plan: HbPlan, d: Decimal) -> str:
    return fmt(d, 2, plan.v["thousands"]) + "吨"


def wan_tonnes(plan: HbPlan, d: Decimal) -> str:
    return fmt(d / TEN_THOUSAND, plan.v["narrative_places"]) + "万吨"


def money(plan: HbPlan, d: Decimal) -> str:
    return fmt(d, 2, plan.v["thousands"]) + "万元"


def num(plan: HbPlan, d: Decimal, places: int = 2, fullwidth: bool = False, suffix: str = "") -> Num:
    return Num(Decimal(d), places, plan.v["thousands"], fullwidth, suffix)


def output_text(w: HbWaste, thousands: bool) -> str:
    return fmt(w.product_output, 0, thousands) + w.kind.product_unit


def scope_text(plan: HbPlan) -> str:
    products = "、".join(dict.fromkeys(w.kind.product for w in plan.figs.wastes))
    return f"{products}的生产与销售；工业固体废物综合利用技术研发；建筑材料销售。"


# ---------------------------------------------------------------- the report


def report_blocks(plan: HbPlan) -> list[Block]:
    c, f, v = plan.company, plan.figs, plan.v
    numbering = Numbering(numbering_style(v), v["styled_headings"], "（一）")
    if v.get("more_numbering"):
        show(plan, f"numbering_{v['more_numbering']}")
    if v.get("renamed_sections"):
        show(plan, "renamed_headings")
    name = plan.name("report")
    wastes = f.wastes
    waste_names = "、".join(w.name for w in wastes)
    dates = v.get("date_style", "arabic")
    if dates != "arabic":
        show(plan, f"dates_{dates}")
    out: list[Block] = [
        Para(name, bold=True, center=True, size=18),
        Para("工业固体废物资源综合利用评价报告", bold=True, center=True, size=22),
        Para(f"评价期：{YEAR}年1月1日至{YEAR}年12月31日" if dates != "dotted"
             else f"评价期：{YEAR}.1.1—{YEAR}.12.31", center=True),
        Para(f"评价机构（盖章）：{plan.agency}", center=True),
        Para(written_date(YEAR + 1, 3, None, dates), center=True),
        PageBreak(),
    ]

    def section(i: int, body: list[Block]) -> None:
        if i in plan.drop_sections:
            return
        out.append(numbering.top(i, plan.title(i)))
        out.extend(body)

    # 一、评价概述
    section(1, [
        numbering.sub(1, 1, "评价目的"),
        Para(f"受{name}委托，{plan.agency}对该企业{YEAR}年度工业固体废物资源综合利用情况开展评价，"
             "核定企业综合利用的工业固体废物种类和数量，判定综合利用的技术条件和要求的符合性，"
             "为企业申请资源综合利用相关税收优惠提供依据。"),
        numbering.sub(1, 2, "评价依据"),
        Para("（1）《中华人民共和国固体废物污染环境防治法》；\n"
             "（2）《工业固体废物资源综合利用评价管理暂行办法》（工业和信息化部公告2018年第26号）；\n"
             "（3）《湖北省工业固体废物资源综合利用评价管理实施细则》；\n"
             "（4）《国家工业固体废物资源综合利用产品目录》；\n"
             "（5）《财政部 税务总局 生态环境部关于环境保护税有关问题的通知》；\n"
             "（6）企业提供的生产经营报表、计量台账、检测报告等资料。"),
        numbering.sub(1, 3, "评价范围"),
        Para(f"本次评价范围为{name}厂区内{waste_names}的产生、接收、贮存及综合利用全过程，"
             f"涉及{'、'.join(dict.fromkeys(w.kind.product for w in wastes))}生产线。"),
        numbering.sub(1, 4, "评价期"),
        Para(f"本次评价期为{YEAR}年1月1日至{YEAR}年12月31日。"),
        numbering.sub(1, 5, "对评价报告真实性的承诺"),
        Para(f"{plan.agency}承诺：本报告依据企业提供的资料和现场核查情况客观、公正编制，"
             "对评价报告的真实性和准确性负责，并承担相应责任，接受主管部门监督。"),
    ])

    # 二、企业基本情况
    mgmt = int(c.staff * 0.12)
    tech = int(c.staff * 0.18)
    prod = c.staff - mgmt - tech
    section(2, [
        Para(f"{name}（以下简称“公司”）成立于{c.founded}，统一社会信用代码：{plan.code('report')}，"
             f"注册资本{c.registered_capital_wan}万元，企业性质为有限责任公司，位于{c.address}，"
             f"法定代表人{c.legal_rep}。公司主要经营范围：{scope_text(plan)}"),
        Para(f"截至{YEAR}年末，公司从业人数{c.staff}人，其中管理人员{mgmt}人，专业技术人员{tech}人，"
             f"生产人员{prod}人。公司占地面积约{120 + c.staff // 3}亩，属于资源综合利用型企业。"),
    ])

    # 三、企业生产及经营
    rows: list[list] = [["产品名称", "设计产能", "实际产量", "产值（万元）"]]
    for w in wastes:
        cap = round_to(w.product_output * Decimal("1.25"), -2 if w.product_output > 1000 else 0)
        rows.append([w.kind.product, fmt(cap, 0, v["thousands"]) + w.kind.product_unit + "/年",
                     output_text(w, v["thousands"]), num(plan, w.product_value_wan)])
    rows.append(["合计", "—", "—", num(plan, f.output_value_wan)])
    sources = "；".join(f"{w.name}来源于{w.kind.source}" for w in wastes)
    section(3, [
        Para(f"公司主要综合利用产品为{'、'.join(w.kind.product for w in wastes)}。原料来源：{sources}。"),
        Para(f"表1 {YEAR}年主要综合利用产品产量及产值", center=True),
        Table(rows),
        Para(f"{YEAR}年公司实现综合利用产品产值{money(plan, f.output_value_wan)}，利润总额"
             f"{money(plan, f.profit_wan)}，纳税额{money(plan, f.tax_paid_wan)}。"),
    ])

    # 四、企业工艺技术
    body: list[Block] = []
    for w in wastes:
        steps = PROCESS_STEPS.get(w.kind.product, ["原料进厂", "预处理", "配料", "加工", "检验", "入库"])
        body.append(Para(f"{w.kind.product}生产线：以{w.name}为主要原料，工艺流程为" + "→".join(steps) +
                         "。主要设备运行稳定，自动化控制水平较高，工艺技术符合国家产业政策。"))
    if not plan.drop_flowchart:
        first = wastes[0]
        steps = PROCESS_STEPS.get(first.kind.product, ["原料进厂", "预处理", "配料", "加工", "检验", "入库"])
        body.append(Image(images.flowchart_png(steps, f"{first.kind.product}生产工艺"), 15.0, "flow.png"))
        body.append(Para("图1 生产工艺流程图", center=True))
    body.append(Para("表2 主要生产设备", center=True))
    eq = [["设备名称", "规格型号", "数量", "单位"]] + [list(e) for e in EQUIPMENT]
    body.append(Table(eq))
    section(4, body)

    # 五、企业体系建设
    section(5, [
        numbering.sub(5, 1, "计量统计体系建设情况"),
        Para("公司建立了原料进厂、生产消耗、产品出厂三级计量体系，进厂固体废物经电子汽车衡逐车称重，"
             "生产线配料采用皮带秤连续计量，计量器具均经法定计量检定机构检定合格并在有效期内，"
             "统计台账按日记录、按月汇总。"),
        numbering.sub(5, 2, "产品质量控制情况"),
        Para("公司设有质检中心，按产品标准对原料、半成品和成品进行检验，每批产品出具合格证，"
             f"{YEAR}年委托第三方检测机构对主要产品进行型式检验，检验结果符合标准要求。"),
        numbering.sub(5, 3, "环境管理体系建设情况"),
        Para("公司已通过ISO 14001环境管理体系认证和ISO 9001质量管理体系认证，证书均在有效期内。"),
    ])

    # 六、固体废物综合利用情况
    body = [numbering.sub(6, 1, "固体废物产生及接收情况")]
    for w in wastes:
        if w.generated > 0 and w.received > 0:
            body.append(Para(f"{w.name}：{w.kind.source}产生{tonnes(plan, w.generated)}，"
                             f"另接收外单位{tonnes(plan, w.received)}。"))
        elif w.generated > 0:
            body.append(Para(f"{w.name}：来源于{w.kind.source}，{YEAR}年产生{tonnes(plan, w.generated)}。"))
        else:
            body.append(Para(f"{w.name}：接收自{w.kind.source}，{YEAR}年接收{tonnes(plan, w.received)}，"
                             "企业自身不产生。"))
    body.append(numbering.sub(6, 2, "每月分种类综合利用量"))
    wide = not v["monthly_transposed"]
    if wide:
        body.append(Orientation(True))
    body.append(Para(f"表3 {YEAR}年工业固体废物分月综合利用量（单位：吨）", center=True))
    body.extend(monthly_blocks(plan))
    if wide:
        body.append(Orientation(False))
    body.append(numbering.sub(6, 3, "物料衡算"))
    body.append(Para("衡算关系：期初库存＋产生量＋接收量＝利用量＋处置量＋期末库存。"))
    body.extend(balance_tables(plan))
    body.append(numbering.sub(6, 4, "综合利用量核定"))
    body.extend(utilisation_paras(plan))
    section(6, body)

    # 七、结论
    lines = "；".join(f"{w.name}{tonnes(plan, plan.narrative_utilized(w))}" for w in wastes)
    section(7, [
        Para(f"经评价，{name}综合利用的{waste_names}属于《国家工业固体废物资源综合利用产品目录》所列工业固体废物，"
             "生产工艺、技术符合产业政策和技术规范，已建立质量保证体系和环境管理体系，"
             "计量统计体系满足综合利用量核算要求。"),
        Para(f"评价期内核定综合利用量为：{lines}。"),
        Para("存在问题及建议：部分原料堆场防扬尘措施有待加强，建议进一步完善分月计量台账的电子化管理。"),
    ])
    return out


def narrative_amount(plan: HbPlan, tonnes_: Decimal) -> str:
    """An amount of 6.4 in 万吨 as the report writes it: figures, Chinese numerals (十二点五万吨)
    or an approximation (约12.5万吨), each true to the figure."""
    style = plan.v.get("narrative_numerals", "plain")
    wan = tonnes_ / TEN_THOUSAND
    if style == "cn":
        show(plan, "chinese_numerals")
        return cn_number(wan, 1) + "万吨"
    if style == "approx":
        show(plan, "approximations")
        return "约" + fmt(wan, 1) + "万吨"
    return wan_tonnes(plan, tonnes_)


def utilisation_paras(plan: HbPlan) -> list[Block]:
    """六（四）: each waste's amount and rate, one sentence each, or as a list (分别为 / 其中)."""
    v, wastes = plan.v, plan.figs.wastes
    style = v.get("narrative_list")
    used = {w.name: plan.narrative_utilized(w) for w in wastes}
    if style == "qizhong" and any(k.startswith("narrative.") for k in plan.ov.values):
        style = "fenbie"  # a 其中 list states its total too: one wrong item would make two wrong figures
    rates = []
    for w in wastes:
        if w.generated > 0:
            rates.append(f"{w.name}综合利用率{round_to(used[w.name] / w.generated * HUNDRED, v['rate_places'])}%")
    received = [w for w in wastes if w.generated <= 0]
    recv_text = "".join(f"另接收外单位{w.name}{narrative_amount(plan, w.received)}。" for w in received)
    if style == "fenbie":
        show(plan, "narrative_fenbie")
        text = (f"{YEAR}年，公司综合利用{'、'.join(w.name for w in wastes)}分别为"
                + "、".join(narrative_amount(plan, used[w.name]) for w in wastes) + "。")
        return [Para(text + ("；".join(rates) + "。" if rates else "") + recv_text)]
    if style == "qizhong":
        show(plan, "narrative_qizhong")
        total = sum(used.values(), Decimal(0))
        text = (f"{YEAR}年，公司共综合利用工业固体废物{narrative_amount(plan, total)}，其中"
                + "、".join(f"{w.name}{narrative_amount(plan, used[w.name])}" for w in wastes) + "。")
        return [Para(text + ("；".join(rates) + "。" if rates else "") + recv_text)]
    out: list[Block] = []
    for w in wastes:
        u = used[w.name]
        if w.generated > 0:
            rate = round_to(u / w.generated * HUNDRED, v["rate_places"])
            out.append(Para(f"{YEAR}年共综合利用{w.name}{narrative_amount(plan, u)}，综合利用率{rate}%。"))
        else:
            out.append(Para(f"{YEAR}年共接收{w.name}{narrative_amount(plan, w.received)}，"
                            f"综合利用{w.name}{narrative_amount(plan, u)}。"))
    return out


def monthly_blocks(plan: HbPlan) -> list[Block]:
    """表3, whole or broken over a page and continued under 续表3 (with or without its header
    repeated), as Word users split a long table."""
    table = monthly_table(plan)
    how = plan.v.get("monthly_continued")
    if not how or plan.v["report_pdf"]:
        return [table]
    show(plan, f"continued_table_{how}")
    header, body = table.rows[:1], table.rows[1:]
    cut = (len(body) + 1) // 2
    first = Table(header + body[:cut], font_size=table.font_size, widths=table.widths)
    rest = Table((header if how == "repeat" else []) + body[cut:], header_rows=1 if how == "repeat" else 0,
                 font_size=table.font_size, widths=table.widths)
    return [first, PageBreak(), Para("续表3", center=False), rest]


def monthly_table(plan: HbPlan) -> Table:
    wastes = plan.figs.wastes
    months = [f"{m}月" for m in range(1, 13)]
    if plan.v["monthly_transposed"]:
        rows: list[list] = [["月份"] + [w.name for w in wastes]]
        series = [plan.monthly(w) for w in wastes]
        for m in range(12):
            rows.append([months[m]] + [num(plan, s[m]) for s in series])
        rows.append(["全年合计"] + [num(plan, w.utilized) for w in wastes])
        return Table(rows, font_size=9)
    rows = [["固废种类"] + months + ["合计"]]
    for w in wastes:
        rows.append([w.name] + [num(plan, x) for x in plan.monthly(w)] + [num(plan, w.utilized)])
    return Table(rows, font_size=7, widths=[1.5] + [1.72] * 12 + [2.1])


def balance_tables(plan: HbPlan) -> list[Block]:
    items = [("期初库存", "stock_open"), ("产生量", "generated"), ("接收量", "received"),
             ("利用量", "utilized"), ("处置量", "disposed"), ("期末库存", "stock_close")]
    notes = {"stock_open": "上年末盘点", "generated": "按生产台账", "received": "按过磅单", "utilized": "按配料记录",
             "disposed": "委托处置", "stock_close": "年末盘点"}
    note = plan.v.get("balance_note")
    if note:
        show(plan, "extra_note_column")
    wastes = plan.figs.wastes
    if plan.v["balance_combined"]:
        rows: list[list] = [["项目（吨）"] + [w.name for w in wastes] + (["备注"] if note else [])]
        for label, attr in items:
            rows.append([label] + [num(plan, getattr(w, attr)) for w in wastes] + ([notes[attr]] if note else []))
        return [Para(f"表4 {YEAR}年工业固体废物物料衡算表", center=True), Table(rows)]
    out: list[Block] = []
    for i, w in enumerate(wastes, 4):
        rows = [["项目", "数量（吨）"] + (["备注"] if note else [])] + [
            [label, num(plan, getattr(w, attr))] + ([notes[attr]] if note else []) for label, attr in items]
        out += [Para(f"表{i} {w.name}物料衡算表", center=True), Table(rows)]
    return out


# ---------------------------------------------------------------- 附件1


def basic_info_rows(plan: HbPlan) -> tuple[list[list], list[tuple[int, int, int, int]], int]:
    """The form's grid: 7 columns as the seed lays it out (or as filers' copies of it do:
    other label wordings, a label and its value in one cell, values in the row below their
    labels, the waste amounts in 万吨/年).  Returns rows, merges, and the index of the waste
    table's header row."""
    c, f, v = plan.company, plan.figs, plan.v
    rows: list[list] = []
    merges: list[tuple[int, int, int, int]] = []

    def val(label: str, value: str) -> str:
        return plan.blank_fields.get(label, value)

    def lab(label: str) -> str:
        if v.get("basic_labels") and label in BASIC_LABEL_VARIANTS:
            show(plan, "label_variants")
            return BASIC_LABEL_VARIANTS[label]
        return label

    def add(row: list, spans: list[tuple[int, int]] = ()) -> None:
        r = len(rows)
        rows.append(row)
        merges.extend((r, a, r, b) for a, b in spans)

    relief = (f"增值税即征即退{fmt(f.tax_relief_vat_wan, 2)}；企业所得税减计收入{fmt(f.tax_relief_cit_wan, 2)}")
    add(["湖北省工业固体废物资源综合利用申报企业基本情况表", "", "", "", "", "", ""], [(0, 6)])
    add(["企业名称", val("企业名称", plan.name("basic_info")), "", "", "统一社会信用代码",
         val("统一社会信用代码", plan.code("basic_info")), ""], [(1, 3), (5, 6)])
    add(["通讯地址", val("通讯地址", c.address), "", "", "", "", ""], [(1, 6)])
    if v.get("basic_one_cell"):
        show(plan, "label_value_one_cell")
        add([f"{lab('联系人')}：{val('联系人', c.contact)}", "", "", "", f"{lab('手机号码')}：{val('手机号码', c.mobile)}", "", ""],
            [(0, 3), (4, 6)])
    else:
        add([lab("联系人"), val("联系人", c.contact), "", "", lab("手机号码"), val("手机号码", c.mobile), ""], [(1, 3), (5, 6)])
    add(["传真号码", val("传真号码", c.fax), "", "", lab("电子邮箱"), val("电子邮箱", c.email), ""], [(1, 3), (5, 6)])
    if v.get("basic_values_below"):
        show(plan, "values_below_labels")
        add(["年综合利用产值(万元)", "", lab("利润总额(万元)"), "", "上一年度减免税种及税额(万元)", "", ""],
            [(0, 1), (2, 3), (4, 6)])
        add([num(plan, f.output_value_wan), "", num(plan, f.profit_wan), "", relief, "", ""], [(0, 1), (2, 3), (4, 6)])
    else:
        add(["年综合利用产值(万元)", num(plan, f.output_value_wan), lab("利润总额(万元)"), num(plan, f.profit_wan),
             "上一年度减免税种及税额(万元)", relief, ""], [(5, 6)])
    add(["主要生产工艺描述", "；".join(
        f"{w.name}经" + "、".join(PROCESS_STEPS.get(w.kind.product, ["预处理", "加工"])[1:4]) + f"等工序生产{w.kind.product}"
        for w in f.wastes) + "。", "", "", "", "", ""], [(1, 6)])
    add([f"{YEAR}年工业固体废物利用情况", "", "", "", "", "", ""], [(0, 6)])
    header_at = len(rows)
    wan_year = v.get("basic_wan_year")
    if wan_year:
        show(plan, "header_unit_wan_per_year")
        units = "（万吨/年）"
    else:
        units = "(吨)"
    amounts = [f"产生量{units}", f"接收量{units}", f"利用量{units}"]
    if v["basic_merged_header"]:
        add(["工业固体废物种类名称", *amounts, "产品", "", ""], [(4, 6)])
        add(["", "", "", "", "产品名称", "产品产量", "产品产值(万元)"])
        r = header_at
        merges += [(r, 0, r + 1, 0), (r, 1, r + 1, 1), (r, 2, r + 1, 2), (r, 3, r + 1, 3)]
    else:
        add(["工业固体废物种类名称", *amounts, "产品名称", "产品产量", "产品产值(万元)"])

    def amount(d: Decimal, fullwidth: bool = False) -> Num:
        if wan_year:
            return Num(d / TEN_THOUSAND, 4, v["thousands"], fullwidth)
        return num(plan, d, fullwidth=fullwidth)

    for i, w in enumerate(f.wastes):
        fullwidth = v["fullwidth"] and i == 0
        add([
            w.name,
            amount(w.generated, fullwidth=fullwidth),
            amount(w.received),
            amount(plan.basic_utilized(w)),
            w.kind.product,
            output_text(w, v["thousands"]),
            num(plan, w.product_value_wan),
        ])
    if not plan.drop_commitment:
        add([
            "材料真实性承诺：\n" + COMMITMENT + "\n特此承诺。\n"
            f"法定代表人(签字)：{plan.company.legal_rep}        企业盖章：\n"
            f"申请日期：{written_date(YEAR + 1, 3, 10, v.get('date_style', 'arabic'))}",
            "", "", "", "", "", ""], [(0, 6)])
    return rows, merges, header_at


def basic_info_file(plan: HbPlan) -> tuple[str, bytes]:
    rows, merges, header_at = basic_info_rows(plan)
    if plan.v["basic_xlsx"]:
        sheet = Sheet("附件1", rows, merges, widths=[22, 14, 14, 16, 22, 16, 14],
                      bold_rows=(0, header_at))
        return "xlsx", render_xlsx([sheet], "申报企业基本情况表")
    blocks: list[Block] = [
        Para("附件1", bold=True),
        Para("湖北省工业固体废物资源综合利用申报企业基本情况表", bold=True, center=True, size=15),
        Table(rows[1:], [(a - 1, b, c - 1, d) for a, b, c, d in merges if a > 0], header_rows=0, font_size=9),
    ]
    return "docx", render_docx(blocks, "申报企业基本情况表")


# ---------------------------------------------------------------- 附件3


def annual_rows(plan: HbPlan) -> tuple[list[list], list[str], list[tuple[int, int, int, int]]]:
    """The table body, the lines above it (title, 填报单位名称, unit line) and the table's merged
    cells.  Besides the seed's layout: headers worded 本年产生量, a 计量单位 column, a 去向
    column, group rows (一、自产固废 / 二、外单位接收固废) and a template's leftover …… row."""
    f, v = plan.figs, plan.v
    units = v["annual_units"]
    ph = v["placeholder"]
    if units == "header_wan":
        scale, places, unit_hdr, suffix = TEN_THOUSAND, 2, "(万吨)", ""
    elif units == "in_cell":
        scale, places, unit_hdr, suffix = TEN_THOUSAND, 2, "", "万吨"
    elif units == "unit_line":
        scale, places, unit_hdr, suffix = Decimal(1), 2, "", ""
    else:
        scale, places, unit_hdr, suffix = Decimal(1), 2, "(吨)", ""
    unit_col = bool(v.get("annual_unit_column")) and units != "in_cell"
    if unit_col:
        show(plan, "unit_column")
        unit_hdr = ""
    dest = bool(v.get("annual_destination"))
    if dest:
        show(plan, "extra_destination_column")
    transposed = v["annual_transposed"]
    groups = bool(v.get("annual_groups")) and not transposed
    ellipsis = bool(v.get("annual_ellipsis")) and not transposed

    def t(d: Decimal, fullwidth: bool = False) -> Num:
        return Num(d / scale, places, v["thousands"], fullwidth, suffix)

    above = [f"湖北省工业固体废物资源综合利用情况年报表（{YEAR}年）", f"填报单位名称：{plan.name('annual')}"]
    if units == "unit_line" and not unit_col:
        above.append("单位：吨")
    word = "本年" if v.get("annual_benian") else ""
    if word:
        show(plan, "header_by_containment")
    unit_name = "吨" if scale == 1 else "万吨"

    def line(no: str, name: str, unit: str, rest: list, note: str, where: str = "") -> list:
        row = [no, name] + ([unit] if unit_col else []) + rest + ([where] if dest else []) + [note]
        return row

    header = line("序号", "工业固体废物名称", "计量单位",
                  [f"{word}产生量{unit_hdr}", f"{word}综合利用量{unit_hdr}", "综合利用产值(万元)", "综合利用率(%)"],
                  "备注", "去向")
    n = len(header)
    order = list(f.wastes)
    if groups:
        order = [w for w in f.wastes if w.generated > 0] + [w for w in f.wastes if w.generated <= 0]
    body: list[list] = []
    merges: list[tuple[int, int, int, int]] = []
    group_titles = {True: "一、自产固废", False: "二、外单位接收固废"}
    current = None
    for i, w in enumerate(order, 1):
        own = w.generated > 0
        if groups and own != current:
            current = own
            show(plan, "merged_group_rows")
            title = group_titles[own] if any(x.generated > 0 for x in order) else "一、外单位接收固废"
            merges.append((1 + len(body), 0, 1 + len(body), n - 1))
            body.append([title] + [""] * (n - 1))
        rate = plan.annual_rate(w)
        gen = t(w.generated) if w.generated > 0 else ph if ph != "0" else t(Decimal(0))
        body.append(line(
            str(i), w.name, unit_name,
            [gen, t(plan.annual_utilized(w), fullwidth=v["fullwidth"] and w is f.wastes[-1]),
             Num(w.product_value_wan, 2, v["thousands"]),
             Num(rate, v["rate_places"]) if rate is not None else ("—" if ph == "0" else ph)],
            "" if w.generated > 0 else "外单位接收", f"用于生产{w.kind.product}"))
    if ellipsis:
        show(plan, "placeholder_ellipsis_row")
        body.append(["……"] + [""] * (n - 1))
    total_gen = sum((w.generated for w in f.wastes), Decimal(0))
    all_own = all(w.generated > 0 for w in f.wastes)
    total_rate = (Num(round_to(plan.annual_total_utilized() / total_gen * HUNDRED, v["rate_places"]), v["rate_places"])
                  if all_own and "annual.total_delta" not in plan.ov else "—")
    total = line("", "合计", unit_name, [t(total_gen), t(plan.annual_total_utilized()),
                                       Num(f.output_value_wan, 2, v["thousands"]), total_rate], "", "")
    if transposed:
        cols = list(zip(*([header] + body + [total])))
        # rows become: 工业固体废物名称 | w1 | w2 | 合计 ; then one row per measure
        rows = [[cols[1][0]] + list(cols[1][1:])]
        for col in cols[2:]:
            rows.append([col[0]] + list(col[1:]))
        return rows, above, []
    return [header] + body + [total], above, merges


def annual_file(plan: HbPlan) -> tuple[str, bytes]:
    rows, above, table_merges = annual_rows(plan)
    c = plan.company
    note = ("说明：1. 本表所填工业固体废物指《国家工业固体废物资源综合利用产品目录》中所列的固体废物，"
            "不包括危险废弃物；2. 本表由各市州经济和信息化主管部门于每年4月25日内填报省经济和信息化主管部门。")
    footer = [f"审核人：{c.legal_rep}", f"填报人：{c.contact}", f"联系电话：{c.mobile}",
              f"填报日期：{written_date(YEAR + 1, 3, 10, plan.v.get('date_style', 'arabic'))}"]
    n = len(rows[0])
    if plan.v["annual_xlsx"]:
        sheet_rows: list[list] = [[a] + [None] * (n - 1) for a in above]
        start = len(sheet_rows)
        sheet_rows += rows
        sheet_rows.append([note] + [None] * (n - 1))
        sheet_rows.append([None] * n)
        sheet_rows += [[x] + [None] * (n - 1) for x in footer]
        merges = [(i, 0, i, n - 1) for i in range(len(above))] + [(start + len(rows), 0, start + len(rows), n - 1)]
        merges += [(start + a, b, start + c_, d) for a, b, c_, d in table_merges]
        sheet = Sheet(f"{YEAR}年报表", sheet_rows, merges, widths=[14, 18, 16, 16, 18, 14, 12][:n] + [14] * max(0, n - 7),
                      bold_rows=(0, start))
        return "xlsx", render_xlsx([sheet], "年报表")
    blocks: list[Block] = [Para("附件3", bold=True), Para(above[0], bold=True, center=True, size=15)]
    blocks += [Para(a) for a in above[1:]]
    blocks.append(Table(rows, table_merges, font_size=10))
    blocks.append(Para(note, size=9))
    blocks += [Para(x) for x in footer]
    return "docx", render_docx(blocks, "年报表")


# ---------------------------------------------------------------- other files


def declaration_docx(plan: HbPlan) -> bytes:
    c = plan.company
    return render_docx([
        Para("企业真实性声明", bold=True, center=True, size=18),
        Para(f"我单位{plan.name('report')}（统一社会信用代码：{plan.code('report')}）对向评价机构提交的"
             "全部材料的真实性、准确性和完整性负责，如有虚假，愿承担相应法律责任。"),
        Para(f"法定代表人（签名）：{c.legal_rep}"),
        Para("单位（盖章）："),
        Para(f"{YEAR + 1}年3月8日"),
    ], "企业真实性声明")


def quality_report_pdf(plan: HbPlan, rng: random.Random) -> bytes:
    w = plan.figs.wastes[0]
    page = images.scan_page("检 验 报 告", [
        f"报告编号：HBJC-{YEAR}-{rng.randint(1000, 9999)}",
        f"委托单位：{plan.name('report')}",
        f"样品名称：{w.kind.product}",
        "检验类别：委托检验",
        "检验依据：相关产品国家标准",
        "检验结论：所检项目均符合标准要求。",
        f"签发日期：{YEAR}年11月20日",
    ], rng, seal_text="湖北省建材产品质量监督检验站")
    return images.scan_pdf([page])


def build_files(plan: HbPlan, rng: random.Random) -> list[PlannedFile]:
    v, c = plan.v, plan.company
    plain = v["plain_names"]
    files: list[PlannedFile] = []
    report_docx = render_docx(report_blocks(plan), "评价报告")
    stem = "评价报告" if plain else f"{plan.name('report')}工业固废资源综合利用评价报告"
    if v["report_pdf"]:
        files.append(PlannedFile(("scan_001" if plain else stem) + ".pdf", pdf_from_docx=report_docx))
    else:
        files.append(PlannedFile(("材料1" if plain else stem) + ".docx", report_docx))
    ext, data = basic_info_file(plan)
    files.append(PlannedFile(("材料2" if plain else "附件1 申报企业基本情况表") + f".{ext}", data))
    ext, data = annual_file(plan)
    files.append(PlannedFile(("材料3" if plain else "附件3 工业固体废物资源综合利用情况年报表") + f".{ext}", data))
    if not plan.drop_license:
        kind = v["license_kind"]
        lic_name = "scan_002" if plain else "营业执照"
        if kind == "scan_pdf":
            img = images.license_image(c.with_(name=plan.name("license"), credit_code=plan.code("license")), scope_text(plan))
            from PIL import Image as PILImage
            import io
            page = PILImage.open(io.BytesIO(img)).convert("RGB")
            files.append(PlannedFile(f"{lic_name}.pdf", images.scan_pdf([page])))
        else:
            files.append(PlannedFile(f"{lic_name}.{kind}", images.license_image(
                c.with_(name=plan.name("license"), credit_code=plan.code("license")), scope_text(plan), kind)))
    if v["declaration_docx"] and not plan.drop_commitment:
        files.append(PlannedFile("企业真实性声明.docx", declaration_docx(plan)))
    if v["quality_scan"]:
        files.append(PlannedFile(("scan_003" if plain else "产品质量检测报告") + ".pdf", quality_report_pdf(plan, rng)))
    if plan.corrupt:
        files.append(corrupt_file(plan.corrupt, rng))
    if v["nested"]:
        for pf in files:
            if pf.name.startswith(("附件", "材料2", "材料3")):
                pf.path = f"申报材料/附件/{pf.path}"
            elif pf.name.endswith(".docx") or pf.name.endswith(".pdf"):
                pf.path = f"申报材料/{pf.path}"
            else:
                pf.path = f"申报材料/证照/{pf.path}"
    return files


def corrupt_file(spec: tuple[str, str], rng: random.Random) -> PlannedFile:
    name, how = spec
    if how == "random":
        return PlannedFile(name, bytes(rng.getrandbits(8) for _ in range(4096)))
    whole = render_docx([Para("补充说明材料"), Para("详见附件。" * 40)], "补充说明")
    return PlannedFile(name, whole[: len(whole) // 3])


def cell_texts(rows: list[list]) -> list[list[str]]:
    return [[cell_text(c) if c is not None else "" for c in r] for r in rows]
