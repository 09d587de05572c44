"""湖南 hn_benchmark packages (seed 000): the enterprise's 自评价报告书 (cover, 编制提纲
一…六), the 附表 指标表 (inside the report or its own .xlsx), the business licence and
the no-accident / not-blacklisted proof.

The 指标表 is computed from `HnFigures` through `HnPlan.ov`: row 5 = sum of the 种类
rows, row 6 = row 5 / 资源产生（含接收）总量 (stated in the narrative), row 7 = sum of the
product 产值 rows, change column = from the two years as displayed.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from decimal import Decimal

from corpus.generate import images
from corpus.generate.content import (
    PlanViews, Block, Num, PageBreak, Para, Sheet, Table, cn_number, fmt, fmt_signed, negative_text, round_to, written_date,
)
from corpus.generate.figures import HUNDRED, HnFigures, Overrides, pct_change, rate_of
from corpus.generate.identities import Company
from corpus.generate.outline import MORE_NUMBERINGS, NUMBERINGS, Numbering
from corpus.generate.package import PlannedFile
from corpus.generate.render_docx import render_docx
from corpus.generate.render_xlsx import render_xlsx

FORM = "hn_benchmark"
PREV, CUR = 2023, 2024

SECTIONS = [
    ("企业基本情况", "企业基本概况"),
    ("上年度资源综合利用情况", f"{CUR}年度资源综合利用情况"),
    ("重点项目、重点工作情况", "重点项目及重点工作情况"),
    ("保障措施", "保障措施情况"),
    ("存在问题、主要经验和政策建议", "存在问题、经验及政策建议"),
    ("相关证明材料", "证明材料"),
]
SUB1 = ["企业概况", "研发能力", "能源资源消耗、废弃物排放情况", "企业管理能力"]
SUB2 = ["经营指标及从业人数情况", "资源综合利用产品及利用量情况", "推动绿色发展主要工作情况",
        "废弃物回收利用渠道及产品营销情况", "标准建立及管理体系完善情况"]
INDICATOR_HEADER = ["序号", "指标名称", "单位", "前一年度情况", "上年度情况", "上年度指标较前一年度变化情况"]
# a third wording of each section title, as report writers rename them
RENAMED = {1: "企业概况", 2: "上年度资源综合利用开展情况", 3: "重点项目建设和重点工作推进情况", 4: "保障措施落实情况",
           5: "存在问题、经验做法及建议", 6: "证明材料清单"}


@dataclass
class HnPlan(PlanViews):
    sections = SECTIONS
    renamed = RENAMED
    pid: str
    company: Company
    figs: HnFigures
    v: dict
    ov: Overrides = field(default_factory=Overrides)
    drop_sections: set[int] = field(default_factory=set)
    drop_license: bool = False
    corrupt: tuple[str, str] | None = None
    cover_blank: dict[str, str] = field(default_factory=dict)  # 联系人 / 联系电话 -> placeholder
    name_in: dict[str, str] = field(default_factory=dict)  # role -> company name
    code_in: dict[str, str] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)


    @property
    def phone(self) -> str:
        return self.company.mobile if self.v["cover_mobile"] else self.company.landline

    # displayed 指标表 values --------------------------------------------------------------
    def total(self, year: str) -> Decimal:
        f = self.figs
        base = f.total_cur if year == "cur" else f.total_prev
        return self.ov.get(f"row5.{year}", base)

    def supply(self, year: str) -> Decimal:
        return self.figs.supply_cur if year == "cur" else self.figs.supply_prev

    def rate(self, year: str) -> Decimal:
        return self.ov.get(f"row6.{year}", rate_of(self.total(year), self.supply(year)))

    def value(self, year: str) -> Decimal:
        f = self.figs
        return self.ov.get(f"row7.{year}", f.value_cur if year == "cur" else f.value_prev)

    def narrative(self, key: str, default: Decimal) -> Decimal:
        return self.ov.get(f"narrative.{key}", default)


def choose_variants(rng: random.Random) -> dict:
    return {
        "report_pdf": rng.random() < 0.45,
        "numbering": rng.choice(NUMBERINGS),
        "styled_headings": rng.random() < 0.6,
        "alt_title_sections": set(rng.sample(range(1, 7), rng.choice([0, 0, 1, 2]))),
        "table_in_report": rng.random() < 0.5,
        "kind_rows": rng.choice(["numbered", "colon", "qizhong"]),
        "change_style": rng.choice(["abs", "words", "pct"]),
        "tonnes_unit": rng.choice(["万吨", "万吨", "万吨", "吨"]),
        "money_unit": rng.choice(["万元", "万元", "万元", "元"]),
        "thousands": rng.random() < 0.5,
        "fullwidth": rng.random() < 0.2,
        "license_kind": rng.choice(["jpg", "png", "scan_pdf"]),
        "proof_kind": rng.choice(["jpg", "scan_pdf", "docx"]),
        "plain_names": rng.random() < 0.25,
        "container": rng.choice(["folder", "folder", "zip", "zip_gbk"]),
        "nested": rng.random() < 0.3,
        "cover_mobile": rng.random() < 0.6,
        "narrative_places": rng.choice([2, 1]),
    }


def choose_layout(rng: random.Random) -> dict:
    """Layouts real submitters produce, from a RNG of their own (see hb_evaluation.choose_layout)."""
    return {
        "more_numbering": rng.choice(MORE_NUMBERINGS) if rng.random() < 0.35 else None,
        "renamed_sections": set(rng.sample(range(1, 7), rng.choice([0, 0, 1, 2]))),
        "kind_list": rng.choice([None, None, "fenbie", "qizhong", "two_years"]),
        "narrative_numerals": rng.choice(["plain", "plain", "cn", "approx"]),
        "sales_two_years": rng.random() < 0.35,
        "money_yi": rng.random() < 0.35,
        "neg_style": rng.choice(["sign", "sign", "paren", "word"]),
        "unit_header": rng.choice(["单位", "单位", "计量单位"]),
        "indicator_ellipsis": rng.random() < 0.25,
        "date_style": rng.choice(["arabic", "arabic", "cn_upper", "dotted"]),
    }


def numbering_style(v: dict) -> str:
    return v.get("more_numbering") or v["numbering"]


def show(plan: HnPlan, tag: str) -> None:
    """Record a layout variant the files actually carry (once)."""
    shown = plan.v.setdefault("shown", [])
    if tag not in shown:
        shown.append(tag)


def signed(plan: HnPlan, value: Decimal, places: int, percent: bool = False) -> str:
    """A change of the 指标表 as this filer signs it: -1234.00, (1,234.00) or 负12.5%."""
    style = plan.v.get("neg_style", "sign")
    if (style == "word") != percent:
        style = "sign"  # 负 is written before percentages, parentheses around amounts
    if round_to(value, places) < 0 and style != "sign":
        show(plan, "negative_parentheses" if style == "paren" else "negative_word")
    if style == "sign":
        return fmt_signed(value, places) + ("%" if percent else "")
    return negative_text(value, places, style, percent=percent)


def variant_tags(v: dict) -> list[str]:
    tags = ["pdf_report" if v["report_pdf"] else "docx_report", f"numbering_{numbering_style(v)}"]
    if not v["styled_headings"] and numbering_style(v) != "plain":
        tags.append("unstyled_headings")
    if v["alt_title_sections"]:
        tags.append("alt_titles")
    tags.append("indicator_table_in_report" if v["table_in_report"] else "indicator_table_xlsx")
    tags += [f"kind_rows_{v['kind_rows']}", f"change_{v['change_style']}"]
    if v["tonnes_unit"] == "吨":
        tags.append("unit_tonnes")
    if v["money_unit"] == "元":
        tags.append("unit_yuan")
    for key, tag in (("thousands", "thousands_separators"), ("fullwidth", "fullwidth_digits"),
                     ("plain_names", "plain_file_names"), ("nested", "nested_folders")):
        if v[key]:
            tags.append(tag)
    tags += [f"license_{v['license_kind']}", f"proof_{v['proof_kind']}",
             {"folder": "folder", "zip": "zip", "zip_gbk": "gbk_zip"}[v["container"]]]
    if v["narrative_places"] == 1:
        tags.append("narrative_rounded")
    tags += [t for t in v.get("shown", []) if t not in tags]  # layouts recorded where they were written
    return tags


# ---------------------------------------------------------------- the 指标表


def _change(plan: HnPlan, prev: Decimal, cur: Decimal, places: int, unit: str, points: bool = False) -> str:
    style = plan.v["change_style"]
    diff = cur - prev
    if points:
        if style == "words":
            return ("提高" if diff > 0 else "下降" if diff < 0 else "持平") + (
                f"{fmt(abs(diff), places)}个百分点" if diff else "")
        return signed(plan, diff, places)
    if style == "pct":
        if prev == 0:
            return "—"
        return signed(plan, pct_change(prev, cur), 1, percent=True)
    if style == "words":
        if diff == 0:
            return "持平"
        return ("增加" if diff > 0 else "减少") + fmt(abs(diff), places, plan.v["thousands"]) + unit
    return signed(plan, diff, places)


def indicator_rows(plan: HnPlan) -> list[list]:
    f, v = plan.figs, plan.v
    t_unit, m_unit = v["tonnes_unit"], v["money_unit"]
    t_scale = Decimal(10000) if t_unit == "吨" else Decimal(1)
    m_scale = Decimal(10000) if m_unit == "元" else Decimal(1)
    t_places = 0 if t_unit == "吨" else 2
    m_places = 0 if m_unit == "元" else 2
    full_cell = {"done": not v["fullwidth"]}

    def cell(value: Decimal, places: int) -> Num:
        fw = not full_cell["done"]
        full_cell["done"] = True
        return Num(value, places, v["thousands"], fw)

    def money_row(no: str, label: str, prev: Decimal, cur: Decimal, key: str) -> list:
        p, c = prev * m_scale, cur * m_scale
        change = plan.ov.get(f"change.{key}", _change(plan, round_to(p, m_places), round_to(c, m_places), m_places, m_unit))
        return [no, label, m_unit, cell(p, m_places), cell(c, m_places), change]

    def tonnes_row(no: str, label: str, prev: Decimal, cur: Decimal, key: str) -> list:
        p, c = prev * t_scale, cur * t_scale
        change = plan.ov.get(f"change.{key}", _change(plan, p, c, t_places, t_unit))
        return [no, label, t_unit, Num(p, t_places, v["thousands"]), Num(c, t_places, v["thousands"]), change]

    header = list(INDICATOR_HEADER)
    if v.get("unit_header", "单位") != "单位":
        show(plan, "unit_column")
        header[2] = v["unit_header"]
    rows: list[list] = [header]
    rows.append(money_row("1", "企业年销售收入", f.sales_prev, f.sales_cur, "sales"))
    rows.append(money_row("2", "资源综合利用产品或技术成果年销售收入", f.product_sales_prev, f.product_sales_cur, "product_sales"))
    rows.append(money_row("3", "利润", f.profit_prev, f.profit_cur, "profit"))
    rows.append(money_row("4", "税金", f.tax_prev, f.tax_cur, "tax"))
    rows.append(tonnes_row("5", "工业资源年综合利用量", plan.total("prev"), plan.total("cur"), "total"))
    for i, k in enumerate(f.kinds, 1):
        label = {"numbered": f"种类{i}：{k.name}利用量", "colon": f"{k.name}：利用量",
                 "qizhong": f"其中：{k.name}"}[v["kind_rows"]]
        rows.append(tonnes_row("", label, k.prev, k.cur, f"kind:{k.name}"))
    if v.get("indicator_ellipsis"):
        show(plan, "placeholder_ellipsis_row")
        rows.append(["", "……", "", "", "", ""])
    r6p, r6c = plan.rate("prev"), plan.rate("cur")
    rows.append(["6", "综合利用率", "%", Num(r6p, 1), Num(r6c, 1),
                 plan.ov.get("change.rate", _change(plan, r6p, r6c, 1, "%", points=True))])
    rows.append(money_row("7", "综合利用产品年产值", plan.value("prev"), plan.value("cur"), "value"))
    for i, p in enumerate(f.products, 1):
        out_label, val_label = {
            "numbered": (f"综合利用产品{i}：{p.name}产量", f"综合利用产品{i}：{p.name}产值"),
            "colon": (f"{p.name}：产量", f"{p.name}：产值"),
            "qizhong": (f"其中：{p.name}产量", f"{p.name}产值"),
        }[v["kind_rows"]]
        rows.append(["", out_label, p.unit, Num(p.output_prev, 2, v["thousands"]), Num(p.output_cur, 2, v["thousands"]),
                     _change(plan, p.output_prev, p.output_cur, 2, p.unit)])
        rows.append(money_row("", val_label, p.value_prev, p.value_cur, f"product:{p.name}"))
    rows.append(["8", "建立质量、环境、职业健康、能源管理体系情况", "", "已通过ISO9001/14001/45001认证", f.systems,
                 "持平" if "50001" not in f.systems and "能源" not in f.systems else "新增能源管理体系认证"])
    rows.append(["9", "资源综合利用领域相关技术专利数量", "个", str(f.patents_prev), str(f.patents_cur),
                 _change(plan, Decimal(f.patents_prev), Decimal(f.patents_cur), 0, "个")])
    sp, sc = sum(f.standards_prev.values()), sum(f.standards_cur.values())
    rows.append(["10", "制定（或参与制定）的资源综合利用国家、地方、行业、团体、企业标准数量（分项列出数量）", "个",
                 f"{sp}（" + "、".join(f"{k}{n}项" for k, n in f.standards_prev.items() if n) + "）",
                 f"{sc}（" + "、".join(f"{k}{n}项" for k, n in f.standards_cur.items() if n) + "）",
                 _change(plan, Decimal(sp), Decimal(sc), 0, "个")])
    return rows


INDICATOR_WIDTHS = [1.0, 5.0, 1.2, 2.5, 2.5, 3.6]


# ---------------------------------------------------------------- the report


def _wan(plan: HnPlan, d: Decimal) -> str:
    return fmt(d, plan.v["narrative_places"]) + "万吨"


def _yuan_wan(plan: HnPlan, d: Decimal) -> str:
    return fmt(d, 2, plan.v["thousands"]) + "万元"


def _money_text(plan: HnPlan, d: Decimal) -> str:
    """An amount of 万元 as the narrative writes it: 万元, or 亿元 (two places) once it passes 1亿."""
    if plan.v.get("money_yi") and d >= 10000:
        show(plan, "amounts_yi")
        return fmt(d / 10000, 2) + "亿元"
    return _yuan_wan(plan, d)


def _kind_amount(plan: HnPlan, d: Decimal) -> str:
    """A resource amount (万吨) in the narrative: figures, Chinese numerals (十二点五万吨) or 约,
    each true to the table."""
    style = plan.v.get("narrative_numerals", "plain")
    if style == "cn":
        show(plan, "chinese_numerals")
        return cn_number(d, 1) + "万吨"
    if style == "approx":
        show(plan, "approximations")
        return "约" + fmt(d, 1) + "万吨"
    return _wan(plan, d)


def _kinds_paragraph(plan: HnPlan) -> str:
    """二（二）: each resource's amount, sentence by sentence, or as a list (分别为 / 其中), or with
    both years in one paragraph."""
    f = plan.figs
    kinds = f.kinds
    amounts = {k.name: plan.narrative("kind:" + k.name, k.cur) for k in kinds}
    style = plan.v.get("kind_list")
    if style == "qizhong" and any(k.startswith("narrative.kind:") for k in plan.ov.values):
        style = "fenbie"  # a 其中 list states its total too: one wrong item would make two wrong figures
    if len(kinds) < 2 and style in ("fenbie", "qizhong"):
        style = None
    if style == "fenbie":
        show(plan, "narrative_fenbie")
        return (f"上年度（{CUR}年）公司综合利用{'、'.join(k.name for k in kinds)}分别为"
                + "、".join(_kind_amount(plan, amounts[k.name]) for k in kinds) + "。")
    if style == "qizhong":
        show(plan, "narrative_qizhong")
        # the total as the 指标表 states it (a wrong total is wrong in the narrative too)
        return (f"上年度（{CUR}年）公司综合利用工业资源{_kind_amount(plan, plan.total('cur'))}，其中"
                + "、".join(f"{k.name}{_kind_amount(plan, amounts[k.name])}" for k in kinds) + "。")
    if style == "two_years":
        show(plan, "two_years_one_paragraph")
        return "；".join(f"{PREV}年、{CUR}年公司分别综合利用{k.name}{_kind_amount(plan, k.prev)}、"
                        f"{_kind_amount(plan, amounts[k.name])}" for k in kinds) + "。"
    return "；".join(f"上年度（{CUR}年）综合利用{k.name}{_kind_amount(plan, amounts[k.name])}，较前一年度{_growth(k.prev, k.cur)}"
                    for k in kinds) + "。"


def _growth(prev: Decimal, cur: Decimal) -> str:
    p = pct_change(prev, cur)
    return f"增长{fmt(p, 1)}%" if p >= 0 else f"下降{fmt(-p, 1)}%"


def report_blocks(plan: HnPlan) -> list[Block]:
    c, f, v = plan.company, plan.figs, plan.v
    numbering = Numbering(numbering_style(v), v["styled_headings"], "1、")
    if v.get("more_numbering"):
        show(plan, f"numbering_{v['more_numbering']}")
    if v.get("renamed_sections"):
        show(plan, "renamed_headings")
    dates = v.get("date_style", "arabic")
    if dates != "arabic":
        show(plan, f"dates_{dates}")
    name = plan.name("report")
    contact = plan.cover_blank.get("联系人", c.contact)
    phone = plan.cover_blank.get("联系电话", plan.phone)
    out: list[Block] = [
        Para("湖南省工业资源综合利用标杆企业", bold=True, center=True, size=20),
        Para("自评价报告书", bold=True, center=True, size=26),
        Para(""),
        Para(f"单位（盖章）：{plan.name('cover')}", center=True, size=15),
        Para(f"联  系  人 ：{contact}", center=True, size=15),
        Para(f"联 系 电 话：{phone}", center=True, size=15),
        Para(written_date(CUR + 1, 8, 20, dates), center=True, size=15),
        PageBreak(),
    ]

    def section(i: int, body: list[Block]) -> None:
        if i in plan.drop_sections:
            return
        out.append(numbering.top(i, plan.title(i)))
        out.extend(body)

    kinds = f.kinds
    sales_cur = plan.narrative("sales_cur", f.sales_cur)
    kind_text = "、".join(f"{k.name}{_wan(plan, plan.narrative('kind:' + k.name, k.cur))}" for k in kinds)
    prod_text = "、".join(f"{p.name}{fmt(p.output_cur, 2)}{p.unit}" for p in f.products)
    section(1, [
        numbering.sub(1, 1, SUB1[0]),
        Para(f"{name}成立于{c.founded}，统一社会信用代码：{plan.code('report')}，注册资本{c.registered_capital_wan}万元，"
             f"注册地址{c.address}。公司经营范围：{'、'.join(p.name for p in f.products)}的生产与销售，"
             f"{'、'.join(k.name for k in kinds)}的回收与综合利用。"),
        Para(f"公司{CUR}年实际生产{prod_text}；综合利用{kind_text}，主要来源于省内相关企业及公司自身生产过程。"
             f"近三年营业收入分别为{_yuan_wan(plan, f.sales_before)}、{_yuan_wan(plan, f.sales_prev)}、"
             f"{_yuan_wan(plan, sales_cur)}，利润分别为{_yuan_wan(plan, f.profit_prev)}（{PREV}年）、"
             f"{_yuan_wan(plan, f.profit_cur)}（{CUR}年），上缴税金{_yuan_wan(plan, f.tax_cur)}（{CUR}年）。"
             f"公司拥有相关专利{f.patents_cur}项，先后获评省级绿色工厂、高新技术企业。"),
        numbering.sub(1, 2, SUB1[1]),
        Para(f"公司现有专业技术人员{f.tech_staff_cur}人，建有省级企业技术中心，核心工艺技术达到省内同行业先进水平。"),
        numbering.sub(1, 3, SUB1[2]),
        Para("公司主要消耗电、天然气和新水，单位产品综合能耗低于行业准入值；生产废水经处理后循环使用，"
             "废气经除尘脱硫处理后达标排放，一般固体废物全部综合利用。"),
        numbering.sub(1, 4, SUB1[3]),
        Para("公司设立资源综合利用管理办公室，制定了固废进厂验收、计量统计、综合利用台账等管理制度并严格执行。"),
    ])
    total_cur = plan.total("cur")
    if v.get("sales_two_years"):
        show(plan, "two_years_one_paragraph")
        sales_text = (f"{PREV}年、{CUR}年，公司分别实现销售收入{_money_text(plan, f.sales_prev)}、"
                      f"{_money_text(plan, sales_cur)}；")
    else:
        sales_text = f"{CUR}年，公司实现销售收入{_money_text(plan, sales_cur)}，较前一年度{_growth(f.sales_prev, f.sales_cur)}；"
    section(2, [
        numbering.sub(2, 1, SUB2[0]),
        Para(sales_text +
             f"其中资源综合利用产品销售收入{_yuan_wan(plan, f.product_sales_cur)}。实现利润{_yuan_wan(plan, f.profit_cur)}，"
             f"上缴税金{_yuan_wan(plan, f.tax_cur)}。年末从业人员{f.staff_cur}人（前一年度{f.staff_prev}人），"
             f"其中专业技术人员{f.tech_staff_cur}人。"),
        numbering.sub(2, 2, SUB2[1]),
        Para(_kinds_paragraph(plan)),
        Para(f"全年工业资源综合利用量合计{fmt(total_cur, 2)}万吨，上年度资源产生（含接收）总量"
             f"{fmt(f.supply_cur, 2)}万吨（前一年度{fmt(f.supply_prev, 2)}万吨），综合利用率{fmt(plan.rate('cur'), 1)}%。"
             f"全年生产综合利用产品{prod_text}，实现综合利用产品产值{_yuan_wan(plan, plan.value('cur'))}。"),
        numbering.sub(2, 3, SUB2[2]),
        Para("公司实施余热回收和光伏发电项目，年节约标准煤约3200吨，单位产品水耗较前一年度下降6%。"),
        numbering.sub(2, 4, SUB2[3]),
        Para("公司与周边产废企业签订长期回收协议，建立稳定的回收渠道；综合利用产品采用直销与经销相结合的营销模式。"),
        numbering.sub(2, 5, SUB2[4]),
        Para(f"{CUR}年公司参与制定团体标准，完善了能源管理体系。{f.systems}。"),
    ])
    section(3, [
        Para(f"{CUR}年以来，公司实施“资源综合利用技术改造项目”，建设地点位于公司厂区内，建设内容包括新建生产线一条及配套"
             "智能化控制系统，项目已于当年建成投产，提高了综合利用水平和产品附加值。"),
    ])
    section(4, [
        Para("公司在资金、技术、环保、人才等方面加大投入：设立专项资金，与高校共建研发平台，完善环保设施，"
             "引进专业技术人才，保障重点项目和重点工作顺利实施。"),
    ])
    section(5, [
        Para("存在的主要问题是原料来源不稳定、产品附加值有待提高。主要经验是坚持技术创新和协同利用。"
             "建议进一步加大对资源综合利用企业的政策支持力度，推动综合利用产品纳入绿色建材采购目录。"),
    ])
    section(6, [
        Para("（一）企业营业执照；\n（二）企业近三年未发生一般及以上安全、环保、质量事故，企业和法定代表人未被列入"
             "失信黑名单的证明材料；\n（三）能够证明资源综合利用水平提升及相关重点项目、重点工作开展情况的材料。"),
    ])
    if plan.v["table_in_report"]:
        out += [
            PageBreak(),
            Para("附表", bold=True),
            Para("工业资源综合利用标杆企业指标表", bold=True, center=True, size=15),
            Table(indicator_rows(plan), widths=INDICATOR_WIDTHS, font_size=9),
        ]
    return out


def indicator_xlsx(plan: HnPlan) -> bytes:
    rows = indicator_rows(plan)
    sheet_rows: list[list] = [["附表"] + [None] * 5,
                              ["工业资源综合利用标杆企业指标表"] + [None] * 5,
                              [f"填报单位：{plan.name('indicator_table')}"] + [None] * 5]
    sheet_rows += rows
    merges = [(1, 0, 1, 5), (2, 0, 2, 5)]
    return render_xlsx([Sheet("指标表", sheet_rows, merges, widths=[6, 44, 8, 18, 18, 22], bold_rows=(1, 3))], "指标表")


def proof_files(plan: HnPlan, rng: random.Random) -> list[PlannedFile]:
    c = plan.company
    name = plan.name("proof")
    code = plan.code("proof")
    lines = [
        f"兹证明{name}（统一社会信用代码：{code}）近三年（{CUR - 2}年至{CUR}年）未发生一般及以上安全、环保、质量事故，"
        f"企业和法定代表人{c.legal_rep}未被列入失信黑名单。",
        "特此证明。",
    ]
    kind = plan.v["proof_kind"]
    stem = "scan_002" if plan.v["plain_names"] else "无事故及未列入失信黑名单证明"
    if kind == "docx":
        data = render_docx([Para("证    明", bold=True, center=True, size=20)] + [Para(x) for x in lines] +
                           [Para(f"{c.city.name}应急管理局", center=True), Para(f"{CUR + 1}年7月15日", center=True)], "证明")
        return [PlannedFile(f"{stem}.docx", data)]
    page = images.scan_page("证    明", lines + [f"{CUR + 1}年7月15日"], rng, seal_text=f"{c.city.name}应急管理局")
    if kind == "jpg":
        return [PlannedFile(f"{stem}.jpg", images.jpeg(page))]
    return [PlannedFile(f"{stem}.pdf", images.scan_pdf([page]))]


def build_files(plan: HnPlan, rng: random.Random) -> list[PlannedFile]:
    from corpus.generate.hb_evaluation import corrupt_file

    v, c = plan.v, plan.company
    plain = v["plain_names"]
    files: list[PlannedFile] = []
    report = render_docx(report_blocks(plan), "自评价报告书")
    stem = "材料1" if plain else f"{plan.name('report')}自评价报告书"
    if v["report_pdf"]:
        files.append(PlannedFile(("scan_001" if plain else stem) + ".pdf", pdf_from_docx=report))
    else:
        files.append(PlannedFile(stem + ".docx", report))
    if not v["table_in_report"]:
        files.append(PlannedFile(("材料2" if plain else "附表 工业资源综合利用标杆企业指标表") + ".xlsx", indicator_xlsx(plan)))
    if not plan.drop_license:
        lic = images.license_image(c.with_(name=plan.name("license"), credit_code=plan.code("license")),
                                   "、".join(p.name for p in plan.figs.products) + "的生产与销售；再生资源回收与综合利用。",
                                   "png" if v["license_kind"] == "png" else "jpg")
        stem_l = "scan_003" if plain else "营业执照"
        if v["license_kind"] == "scan_pdf":
            from PIL import Image as PILImage

            files.append(PlannedFile(f"{stem_l}.pdf", images.scan_pdf([PILImage.open(io.BytesIO(lic)).convert("RGB")])))
        else:
            files.append(PlannedFile(f"{stem_l}.{v['license_kind']}", lic))
    files += proof_files(plan, rng)
    if plan.corrupt:
        files.append(corrupt_file(plan.corrupt, rng))
    if v["nested"]:
        for pf in files:
            folder = "申报材料" if pf.name.endswith((".docx", ".xlsx")) or "报告" in pf.name else "申报材料/证明材料"
            pf.path = f"{folder}/{pf.path}"
    return files


def check_consistency(plan: HnPlan) -> None:
    """Guard for clean plans: the numbers the table shows must agree with each other."""
    f = plan.figs
    assert plan.total("cur") == sum(k.cur for k in f.kinds)
    assert plan.rate("cur") == rate_of(plan.total("cur"), f.supply_cur)
    assert plan.value("cur") == sum(p.value_cur for p in f.products)
    assert round_to(plan.total("cur") / f.supply_cur * HUNDRED, 1) <= 100
