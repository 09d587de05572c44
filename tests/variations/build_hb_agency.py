"""Hand-built ``hb_agency`` submission packages (湖北 工业固废资源综合利用评价机构 申请材料).

Written by the helper "hbagency" as an independent hand: the packages follow seed 001
(第七条, 第八条, 附件5 申请表, 附件6 评分细则) the way real agencies assemble them, in layouts of
their own.  Nothing here is imported from the project.

    python -m tests.variations.build_hb_agency OUT_DIR   -> builds every package, prints the manifest
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl.styles import Alignment, Border, Font, Side
from PIL import Image, ImageDraw, ImageFont
from stdnum.cn import ric, uscc

FORM = "hb_agency"

# --------------------------------------------------------------------------------------------
# small formatting helpers
# --------------------------------------------------------------------------------------------
_CN_DIGIT = "〇一二三四五六七八九"


def cn_small(n: int) -> str:
    """Chinese numeral for 0..99 (十, 十一, 二十三)."""
    units = "零一二三四五六七八九"
    if n < 10:
        return units[n]
    t, u = divmod(n, 10)
    s = ("" if t == 1 else units[t]) + "十"
    return s + (units[u] if u else "")


def cn_year(y: int) -> str:
    return "".join(_CN_DIGIT[int(c)] for c in str(y))


def fdate(d, style: str) -> str:
    """Format a (y, m[, d]) tuple the many ways submitters write dates."""
    y, m = d[0], d[1]
    day = d[2] if len(d) > 2 else 1
    if style == "dot_ym":          # 2019.3
        return f"{y}.{m}"
    if style == "dot_ym0":         # 2019.03
        return f"{y}.{m:02d}"
    if style == "dot_ymd":         # 2019.03.11
        return f"{y}.{m:02d}.{day:02d}"
    if style == "iso":             # 2019-03-11
        return f"{y}-{m:02d}-{day:02d}"
    if style == "iso_ym":          # 2019-03
        return f"{y}-{m:02d}"
    if style == "cn_ym":           # 2019年3月
        return f"{y}年{m}月"
    if style == "cn_ymd":          # 2019年3月11日
        return f"{y}年{m}月{day}日"
    if style == "cnnum_ym":        # 二〇一九年三月
        return f"{cn_year(y)}年{cn_small(m)}月"
    if style == "cnnum_ymd":       # 二〇一九年三月十一日
        return f"{cn_year(y)}年{cn_small(m)}月{cn_small(day)}日"
    if style == "compact_ym":      # 201903
        return f"{y}{m:02d}"
    if style == "slash":           # 2019/3/11
        return f"{y}/{m}/{day}"
    raise ValueError(style)


def make_ric(area: str, birth: str, seq: str) -> str:
    body = area + birth + seq
    return body + ric.calc_check_digit(body + "0")


def make_uscc(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


def age_at(birth: str, when) -> int:
    y, m, d = int(birth[:4]), int(birth[4:6]), int(birth[6:8])
    a = when[0] - y
    if (when[1], when[2]) < (m, d):
        a -= 1
    return a


def mask6(idn: str) -> str:
    return idn[:6] + "*" * 8 + idn[-4:]


def mask4(idn: str) -> str:
    return idn[:4] + "*" * 10 + idn[-4:]


def money(x: Decimal) -> str:
    return f"{x:,.2f}"


# --------------------------------------------------------------------------------------------
# data model
# --------------------------------------------------------------------------------------------
ENV = {"环境工程", "环境科学", "环境科学与工程", "环境监测"}
FIN = {"会计学", "财务管理"}
RES = {"资源循环科学与工程", "冶金工程", "矿物加工工程", "材料科学与工程"}
CHEM = {"化学工程与工艺", "热能与动力工程", "化学工程"}


@dataclass
class Person:
    name: str
    sex: str
    area: str
    birth: str
    seq: str
    edu: str
    title: str
    level: str
    major: str
    work: str          # 从事专业
    years: int         # 从事资源综合利用服务年限
    post: str
    hire: tuple
    ss_start: tuple
    perf: str = ""
    fulltime: bool = True

    @property
    def idn(self) -> str:
        return make_ric(self.area, self.birth, self.seq)


@dataclass
class Contract:
    project: str
    client: str
    kind: str
    date: tuple
    amount: Decimal


@dataclass
class Agency:
    key: str
    name: str
    short: str
    credit: str
    city: str
    district: str
    legal: str
    contact: str
    mobile: str
    phone: str
    email: str
    reg_addr: str
    mail_addr: str
    reg_date: tuple
    capital: Decimal      # 万元
    assets: Decimal       # 万元
    area: int             # ㎡
    app: tuple            # application date (y, m, d)
    ss_office: str
    ss_unit_no: str
    lease: str
    staff: list
    contracts: list
    first_contract: Contract
    dfx: dict = field(default_factory=dict)


def P(name, sex, area, birth, edu, title, level, major, work, years, post, hire, ss, perf=""):
    # order code: 2 digits from the name, parity by sex (odd male, even female)
    base = (sum(ord(c) for c in name) % 45) * 2 + 10
    seq = f"{base + (1 if sex == '男' else 0):03d}"
    return Person(name, sex, area, birth, seq, edu, title, level, major, work, years, post, hire, ss, perf)


def _perf(p: Person) -> str:
    n = 2 + (sum(ord(c) for c in p.name) % 6)
    if p.major in FIN:
        return f"负责{n}个评价项目的财务数据核查与成本核算"
    if p.level == "初级":
        return f"参与{p.work}项目{n}项"
    if p.level == "高级":
        return f"主持{p.work}项目{n + 3}项，担任项目审核人"
    return f"承担{p.work}项目{n + 1}项"


def level_counts(staff):
    return tuple(sum(1 for p in staff if p.level == lv) for lv in ("高级", "中级", "初级"))


# --------------------------------------------------------------------------------------------
# the six agencies
# --------------------------------------------------------------------------------------------
CLIENTS = [
    ("湖北鄂东水泥有限公司", "钢渣、粉煤灰"),
    ("黄石新港钢铁渣业有限公司", "钢渣"),
    ("宜昌磷都新材料有限公司", "磷石膏"),
    ("襄阳华汉铸造材料有限公司", "铸造废砂"),
    ("荆门楚能热电有限公司", "粉煤灰、炉渣"),
    ("孝感恒信新型建材有限公司", "脱硫石膏"),
    ("鄂州华容建材有限公司", "矿渣"),
    ("天门汉江铝业有限公司", "铝灰渣"),
    ("枝江楚星化工有限公司", "磷石膏"),
    ("黄冈大别山建材有限公司", "煤矸石"),
    ("潜江江汉盐化有限公司", "盐泥"),
    ("荆州长江电石化工有限公司", "电石渣"),
    ("恩施清江矿业开发有限公司", "尾矿"),
    ("武汉青山热电有限公司", "粉煤灰"),
    ("随州金鼎机械铸造有限公司", "铸造废砂"),
    ("咸宁南鄂纸业有限公司", "造纸白泥"),
]
OTHERS = [
    ("十堰东风零部件再制造有限公司", "绿色制造评价", "绿色工厂第三方评价"),
    ("仙桃丰源无纺布有限公司", "节能评估", "年产2万吨无纺布项目节能评估"),
    ("随州金鼎机械铸造有限公司", "清洁生产审核", "清洁生产审核咨询"),
    ("咸宁南鄂纸业有限公司", "环境咨询", "环境管理提升咨询服务"),
    ("荆门楚能热电有限公司", "节能评估", "2×350MW机组节能改造项目节能评估"),
    ("孝感恒信新型建材有限公司", "绿色制造评价", "绿色工厂自评价报告第三方评价"),
    ("鄂州华容建材有限公司", "环境咨询", "突发环境事件应急预案编制"),
    ("潜江江汉盐化有限公司", "清洁生产审核", "强制性清洁生产审核咨询"),
]


def _contracts(start: int, n_waste: int, n_other: int, dates, amounts, gov=None):
    out = []
    k = 0
    for i in range(n_waste):
        c, w = CLIENTS[(start + i) % len(CLIENTS)]
        out.append(Contract(f"{c}{w}资源综合利用评价", c, "工业固废资源综合利用评价", dates[k], Decimal(amounts[k])))
        k += 1
    for i in range(n_other):
        c, kind, what = OTHERS[(start + i) % len(OTHERS)]
        out.append(Contract(f"{c}{what}", c, kind, dates[k], Decimal(amounts[k])))
        k += 1
    if gov:
        out.append(Contract(gov[0], gov[1], gov[2], dates[k], Decimal(amounts[k])))
    out.sort(key=lambda c: c.date)
    return out


def agency_A() -> Agency:  # 湖北楚源 — folder, docx/xlsx, masked 420106********2315
    staff = [
        P("陈国栋", "男", "420106", "19761103", "硕士研究生", "高级工程师", "高级", "环境工程", "固废资源综合利用评价", 18, "总经理（技术负责人）", (2015, 10, 8), (2015, 10)),
        P("刘晓雯", "女", "420102", "19880212", "硕士研究生", "工程师", "中级", "环境科学", "环境咨询", 11, "评价业务部经理", (2016, 3, 1), (2016, 3)),
        P("王海涛", "男", "420111", "19830925", "本科", "高级工程师", "高级", "冶金工程", "固废资源综合利用评价", 16, "技术质量部经理", (2017, 7, 3), (2017, 7)),
        P("张敏", "女", "420103", "19900118", "本科", "会计师", "中级", "会计学", "财务审核", 10, "财务部主管", (2018, 2, 26), (2018, 3)),
        P("李俊杰", "男", "420104", "19921009", "硕士研究生", "工程师", "中级", "材料科学与工程", "固废资源综合利用评价", 8, "评价工程师", (2019, 3, 11), (2019, 3)),
        P("周雨欣", "女", "420105", "19951202", "本科", "助理工程师", "初级", "环境工程", "环境监测与评价", 5, "评价工程师", (2021, 7, 5), (2021, 7)),
        P("郭志强", "男", "420112", "19850301", "本科", "高级工程师", "高级", "化学工程与工艺", "节能评估", 14, "项目负责人", (2018, 9, 3), (2018, 9)),
        P("黄丽华", "女", "420106", "19870921", "本科", "工程师", "中级", "环境科学", "清洁生产审核", 12, "项目负责人", (2019, 11, 18), (2019, 11)),
        P("吴昊", "男", "420502", "19931115", "硕士研究生", "工程师", "中级", "资源循环科学与工程", "固废资源综合利用评价", 6, "评价工程师", (2020, 6, 15), (2020, 6)),
        P("杨静", "女", "420602", "19970120", "本科", "助理会计师", "初级", "财务管理", "财务核算", 3, "财务专员", (2022, 8, 1), (2022, 8)),
    ]
    dates = [(2023, 7, 12), (2023, 10, 9), (2024, 1, 16), (2024, 4, 22), (2024, 8, 5), (2024, 11, 28),
             (2025, 3, 14), (2025, 6, 30), (2025, 10, 20), (2026, 2, 27)]
    amounts = ["12.80", "9.50", "15.60", "18.00", "11.20", "13.50", "8.60", "6.80", "7.20", "5.50"]
    return Agency(
        key="A", name="湖北楚源环境工程咨询有限公司", short="楚源环境", credit=make_uscc("91420111MA4KM8QX7"),
        city="武汉市", district="洪山区", legal="陈国栋", contact="刘晓雯", mobile="13871234562",
        phone="027-87651234", email="cyhj_pj@163.com",
        reg_addr="武汉市洪山区珞喻路456号光谷时代广场B座1206室", mail_addr="武汉市洪山区珞喻路456号光谷时代广场B座1206室",
        reg_date=(2015, 9, 22), capital=Decimal("1000"), assets=Decimal("2368.45"), area=386,
        app=(2026, 5, 18), ss_office="武汉市社会保险管理中心", ss_unit_no="42010601236578",
        lease="租赁", staff=staff, contracts=_contracts(0, 6, 4, dates, amounts),
        first_contract=Contract("武汉青山热电有限公司粉煤灰综合利用情况咨询", "武汉青山热电有限公司", "环境咨询", (2016, 4, 12), Decimal("4.80")),
    )


def agency_B() -> Agency:  # 武汉循环优选 — zip, combined docx, 社保 PDF over two pages (续表)
    staff = [
        P("黄志明", "男", "420102", "19740815", "本科", "正高级工程师", "高级", "环境工程", "固废资源综合利用评价", 22, "总经理", (2014, 3, 20), (2014, 4)),
        P("吴倩", "女", "420103", "19890310", "硕士研究生", "工程师", "中级", "环境科学与工程", "环境咨询", 10, "综合管理部经理", (2016, 9, 1), (2016, 9)),
        P("罗建华", "男", "420104", "19800128", "本科", "高级工程师", "高级", "热能与动力工程", "节能评估", 20, "技术总监", (2015, 1, 5), (2015, 1)),
        P("谢婷婷", "女", "420105", "19911018", "本科", "会计师", "中级", "会计学", "财务审核", 9, "财务部经理", (2017, 2, 13), (2017, 2)),
        P("邓超", "男", "420111", "19861212", "硕士研究生", "高级工程师", "高级", "环境工程", "固废资源综合利用评价", 13, "评价一部经理", (2016, 5, 16), (2016, 5)),
        P("何佳", "女", "420112", "19940214", "硕士研究生", "工程师", "中级", "资源循环科学与工程", "固废资源综合利用评价", 6, "评价工程师", (2019, 3, 1), (2019, 3)),
        P("胡斌", "男", "420106", "19821030", "本科", "高级工程师", "高级", "冶金工程", "固废资源综合利用评价", 17, "评价二部经理", (2017, 8, 7), (2017, 8)),
        P("曾丽", "女", "420502", "19921125", "本科", "工程师", "中级", "环境监测", "环境咨询", 8, "评价工程师", (2019, 10, 8), (2019, 10)),
        P("彭飞", "男", "420503", "19900902", "本科", "工程师", "中级", "化学工程与工艺", "清洁生产审核", 10, "项目负责人", (2018, 3, 5), (2018, 3)),
        P("夏雪", "女", "420602", "19960108", "本科", "助理工程师", "初级", "环境工程", "环境咨询", 4, "评价助理", (2022, 2, 21), (2022, 3)),
        P("汪洋", "男", "420624", "19971211", "本科", "助理工程师", "初级", "材料科学与工程", "固废资源综合利用评价", 3, "评价助理", (2023, 7, 3), (2023, 7)),
        P("沈梦", "女", "420704", "19980302", "本科", "助理会计师", "初级", "财务管理", "财务核算", 2, "出纳", (2023, 9, 11), (2023, 9)),
    ]
    dates = [(2023, 8, 3), (2023, 11, 17), (2024, 2, 26), (2024, 5, 13), (2024, 9, 2), (2024, 12, 10),
             (2025, 3, 3), (2025, 5, 19), (2025, 8, 25), (2025, 11, 6), (2026, 3, 16)]
    amounts = ["16.50", "12.00", "9.80", "14.30", "21.60", "10.40", "8.90", "13.20", "6.50", "11.80", "7.60"]
    return Agency(
        key="B", name="武汉循环优选节能环保科技有限公司", short="循环优选", credit=make_uscc("91420102MA4KL3PN2"),
        city="武汉市", district="江岸区", legal="黄志明", contact="吴倩", mobile="15927345678",
        phone="027-82765432", email="service@whxhyx.com.cn",
        reg_addr="武汉市江岸区建设大道1108号泛海国际中心写字楼21层2103室", mail_addr="武汉市江岸区建设大道1108号泛海国际中心写字楼21层2103室",
        reg_date=(2014, 3, 11), capital=Decimal("500"), assets=Decimal("1856.20"), area=520,
        app=(2026, 5, 26), ss_office="武汉市江岸区社会保险管理处", ss_unit_no="42010200987412",
        lease="租赁", staff=staff, contracts=_contracts(4, 7, 4, dates, amounts),
        first_contract=Contract("武汉青山热电有限公司锅炉节能改造项目节能评估", "武汉青山热电有限公司", "节能评估", (2014, 9, 18), Decimal("6.00")),
    )


def agency_C() -> Agency:  # 宜昌三峡绿环 — PDF heavy, value-below cover, borderless staff list, full-ID 社保
    staff = [
        P("向红军", "男", "420502", "19781120", "本科", "高级工程师", "高级", "环境工程", "固废资源综合利用评价", 20, "总经理", (2016, 8, 15), (2016, 9)),
        P("覃丽娟", "女", "420503", "19900310", "本科", "工程师", "中级", "环境科学", "环境咨询", 11, "办公室主任", (2016, 10, 10), (2016, 10)),
        P("田志刚", "男", "420502", "19820105", "硕士研究生", "高级工程师", "高级", "矿物加工工程", "固废资源综合利用评价", 15, "技术负责人", (2017, 3, 6), (2017, 3)),
        P("邓春燕", "女", "420503", "19881206", "本科", "会计师", "中级", "会计学", "财务审核", 12, "财务负责人", (2017, 5, 2), (2017, 5)),
        P("李明", "男", "420602", "19920918", "硕士研究生", "工程师", "中级", "资源循环科学与工程", "固废资源综合利用评价", 7, "评价工程师", (2019, 3, 4), (2019, 3)),
        P("杜娟", "女", "420302", "19910224", "本科", "工程师", "中级", "环境工程", "清洁生产审核", 9, "评价工程师", (2018, 11, 12), (2018, 11)),
        P("黎鹏", "男", "420202", "19951028", "本科", "助理工程师", "初级", "化学工程与工艺", "节能评估", 5, "评价工程师", (2021, 3, 15), (2021, 3)),
        P("秦雪梅", "女", "420502", "19970212", "本科", "助理工程师", "初级", "环境科学", "环境监测", 3, "评价助理", (2023, 2, 20), (2023, 3)),
        P("孙浩", "男", "420503", "19981008", "本科", "助理会计师", "初级", "财务管理", "财务核算", 2, "会计", (2024, 3, 1), (2024, 3)),
    ]
    dates = [(2023, 9, 8), (2024, 1, 10), (2024, 4, 15), (2024, 9, 23), (2025, 1, 6), (2025, 5, 12),
             (2025, 9, 1), (2026, 1, 19), (2026, 4, 8)]
    amounts = ["10.50", "8.80", "12.60", "7.50", "9.20", "15.00", "6.40", "5.80", "4.50"]
    return Agency(
        key="C", name="宜昌三峡绿环评价技术服务有限公司", short="三峡绿环", credit=make_uscc("91420502MA49C7TD5"),
        city="宜昌市", district="西陵区", legal="向红军", contact="覃丽娟", mobile="13972012345",
        phone="0717-6234567", email="sxlh_yc@126.com",
        reg_addr="宜昌市西陵区东山大道95号清江大厦9楼", mail_addr="宜昌市西陵区东山大道95号清江大厦9楼908室",
        reg_date=(2016, 8, 5), capital=Decimal("300"), assets=Decimal("968.30"), area=260,
        app=(2026, 6, 12), ss_office="宜昌市社会保险局西陵分局", ss_unit_no="42050200345120",
        lease="租赁", staff=staff,
        contracts=_contracts(8, 5, 3, dates, amounts, gov=("宜昌市重点行业工业固体废物综合利用现状调查", "宜昌市经济和信息化局", "环境咨询")),
        first_contract=Contract("宜昌磷都新材料有限公司磷石膏综合利用技术咨询", "宜昌磷都新材料有限公司", "环境咨询", (2017, 1, 9), Decimal("3.60")),
    )


def agency_D() -> Agency:  # 襄阳汉江 — zip with root folder, xlsx 申请表 (inline labels), placeholder rows
    staff = [
        P("马建新", "男", "420602", "19751012", "博士研究生", "正高级工程师", "高级", "环境科学与工程", "固废资源综合利用评价", 24, "院长", (2013, 12, 2), (2013, 12)),
        P("杨帆", "女", "420624", "19911109", "硕士研究生", "工程师", "中级", "环境工程", "环境咨询", 8, "综合部主任", (2018, 7, 9), (2018, 7)),
        P("王磊", "男", "420602", "19830222", "硕士研究生", "高级工程师", "高级", "材料科学与工程", "固废资源综合利用评价", 16, "技术总监", (2014, 3, 17), (2014, 3)),
        P("赵婷", "女", "420624", "19890126", "本科", "高级会计师", "高级", "会计学", "财务审计", 14, "财务总监", (2015, 9, 1), (2015, 9)),
        P("刘洋", "男", "420602", "19901203", "本科", "工程师", "中级", "冶金工程", "固废资源综合利用评价", 11, "评价工程师", (2016, 3, 1), (2016, 3)),
        P("陈静", "女", "420602", "19930119", "硕士研究生", "工程师", "中级", "资源循环科学与工程", "固废资源综合利用评价", 7, "评价工程师", (2019, 3, 18), (2019, 3)),
        P("孟凡", "男", "422801", "19871016", "本科", "工程师", "中级", "热能与动力工程", "节能评估", 13, "项目负责人", (2017, 10, 9), (2017, 10)),
        P("周丽", "女", "420624", "19920912", "本科", "工程师", "中级", "环境监测", "环境咨询", 9, "项目负责人", (2018, 3, 12), (2018, 3)),
        P("张凯", "男", "420602", "19960301", "本科", "助理工程师", "初级", "环境工程", "固废资源综合利用评价", 4, "评价助理", (2022, 7, 4), (2022, 7)),
        P("高雅", "女", "420624", "19981121", "本科", "助理会计师", "初级", "财务管理", "财务核算", 2, "会计", (2024, 2, 26), (2024, 3)),
    ]
    dates = [(2023, 7, 20), (2023, 12, 4), (2024, 3, 18), (2024, 6, 24), (2024, 10, 14), (2025, 2, 17),
             (2025, 6, 9), (2025, 9, 22), (2025, 12, 15), (2026, 3, 30)]
    amounts = ["14.20", "11.60", "9.90", "16.80", "12.40", "8.30", "10.70", "13.90", "7.40", "9.60"]
    return Agency(
        key="D", name="襄阳汉江资源循环技术研究院有限公司", short="汉江资源循环研究院", credit=make_uscc("91420602MA48Y2RW0"),
        city="襄阳市", district="襄城区", legal="马建新", contact="杨帆", mobile="18671011234",
        phone="0710-3456789", email="hjzyxh@163.com",
        reg_addr="襄阳市襄城区檀溪路188号襄阳科技城A3栋5楼", mail_addr="襄阳市襄城区檀溪路188号襄阳科技城A3栋5楼",
        reg_date=(2013, 11, 20), capital=Decimal("1200"), assets=Decimal("3456.78"), area=610,
        app=(2026, 6, 3), ss_office="襄阳市社会保险中心", ss_unit_no="42060200567834",
        lease="自有", staff=staff, contracts=_contracts(2, 7, 3, dates, amounts),
        first_contract=Contract("襄阳华汉铸造材料有限公司铸造废砂再生利用咨询", "襄阳华汉铸造材料有限公司", "环境咨询", (2014, 5, 6), Decimal("5.20")),
    )


def agency_E() -> Agency:  # 荆州长江 — folder, bold plain headings, 6-column 申请表, matrix 社保 with full IDs
    staff = [
        P("彭晓东", "男", "420302", "19791118", "本科", "高级工程师", "高级", "环境工程", "固废资源综合利用评价", 19, "总经理", (2017, 4, 20), (2017, 5)),
        P("郑雅琴", "女", "420104", "19900105", "硕士研究生", "工程师", "中级", "环境科学", "环境咨询", 9, "业务部经理", (2017, 6, 5), (2017, 6)),
        P("易军", "男", "420202", "19841021", "本科", "高级工程师", "高级", "化学工程与工艺", "节能评估", 15, "技术负责人", (2018, 1, 8), (2018, 1)),
        P("熊艳", "女", "420502", "19861209", "本科", "高级会计师", "高级", "会计学", "财务审核", 16, "财务负责人", (2017, 9, 4), (2017, 9)),
        P("蔡文", "男", "420111", "19930212", "硕士研究生", "工程师", "中级", "资源循环科学与工程", "固废资源综合利用评价", 6, "评价工程师", (2020, 3, 2), (2020, 3)),
        P("万琳", "女", "420103", "19911030", "本科", "工程师", "中级", "环境工程", "清洁生产审核", 8, "评价工程师", (2019, 3, 1), (2019, 3)),
        P("肖勇", "男", "422801", "19881108", "本科", "工程师", "中级", "矿物加工工程", "固废资源综合利用评价", 11, "项目负责人", (2018, 8, 13), (2018, 8)),
        P("龚倩", "女", "420602", "19970910", "本科", "助理工程师", "初级", "环境科学", "环境监测", 3, "评价助理", (2023, 3, 6), (2023, 3)),
        P("付磊", "男", "420704", "19960119", "本科", "助理工程师", "初级", "冶金工程", "固废资源综合利用评价", 4, "评价助理", (2022, 9, 5), (2022, 9)),
    ]
    dates = [(2023, 8, 21), (2023, 12, 18), (2024, 4, 1), (2024, 8, 19), (2025, 1, 13), (2025, 4, 28),
             (2025, 9, 15), (2026, 1, 5)]
    amounts = ["9.60", "7.80", "11.50", "6.90", "8.40", "10.20", "5.60", "7.00"]
    return Agency(
        key="E", name="荆州长江绿色发展咨询有限公司", short="长江绿色", credit=make_uscc("91421002MA49F6KJ3"),
        city="荆州市", district="沙市区", legal="彭晓东", contact="郑雅琴", mobile="13507161234",
        phone="0716-8123456", email="cjls_jz@163.com",
        reg_addr="荆州市沙市区北京东路128号荆州国际大厦15楼1502室", mail_addr="荆州市沙市区北京东路128号荆州国际大厦15楼1502室",
        reg_date=(2017, 4, 18), capital=Decimal("200"), assets=Decimal("612.50"), area=210,
        app=(2026, 5, 29), ss_office="荆州市社会保险管理局", ss_unit_no="42100200218807",
        lease="租赁", staff=staff, contracts=_contracts(10, 5, 3, dates, amounts),
        first_contract=Contract("荆州长江电石化工有限公司电石渣综合利用咨询", "荆州长江电石化工有限公司", "环境咨询", (2017, 7, 24), Decimal("3.20")),
    )


def agency_F() -> Agency:  # 湖北华中 — zip, Heading styles + TOC, roster PDF, 社保 PDF 续表 without header
    staff = [
        P("李卫东", "男", "420106", "19720926", "博士研究生", "正高级工程师", "高级", "环境工程", "固废资源综合利用评价", 26, "主任", (2012, 7, 2), (2012, 7)),
        P("胡静", "女", "420102", "19881015", "硕士研究生", "工程师", "中级", "环境科学", "环境咨询", 11, "综合部部长", (2015, 3, 2), (2015, 3)),
        P("袁志华", "男", "420111", "19791208", "本科", "高级工程师", "高级", "冶金工程", "固废资源综合利用评价", 21, "技术负责人", (2012, 9, 10), (2012, 9)),
        P("潘晓燕", "女", "420103", "19840216", "本科", "高级会计师", "高级", "会计学", "财务审计", 18, "财务部部长", (2013, 3, 4), (2013, 3)),
        P("梁超", "男", "420104", "19861130", "硕士研究生", "高级工程师", "高级", "材料科学与工程", "固废资源综合利用评价", 14, "评价一部部长", (2014, 2, 17), (2014, 2)),
        P("石莉", "女", "420105", "19901027", "本科", "工程师", "中级", "环境工程", "环境咨询", 10, "评价二部部长", (2016, 8, 1), (2016, 8)),
        P("程浩", "男", "420112", "19910310", "硕士研究生", "工程师", "中级", "化学工程与工艺", "节能评估", 8, "项目负责人", (2018, 3, 19), (2018, 3)),
        P("方圆", "女", "420106", "19930105", "硕士研究生", "工程师", "中级", "资源循环科学与工程", "固废资源综合利用评价", 7, "评价工程师", (2019, 3, 4), (2019, 3)),
        P("江涛", "男", "420502", "19891023", "本科", "工程师", "中级", "矿物加工工程", "固废资源综合利用评价", 12, "评价工程师", (2017, 2, 20), (2017, 3)),
        P("韩雪", "女", "420602", "19920222", "本科", "会计师", "中级", "财务管理", "财务审核", 9, "主办会计", (2019, 8, 5), (2019, 8)),
        P("余亮", "男", "420704", "19951118", "本科", "助理工程师", "初级", "环境工程", "清洁生产审核", 6, "评价工程师", (2020, 7, 13), (2020, 7)),
        P("苏晴", "女", "420302", "19980109", "本科", "助理工程师", "初级", "环境科学", "环境监测", 2, "评价助理", (2024, 2, 19), (2024, 3)),
    ]
    dates = [(2023, 7, 6), (2023, 9, 25), (2024, 1, 22), (2024, 5, 6), (2024, 8, 26), (2024, 12, 2),
             (2025, 3, 24), (2025, 7, 14), (2025, 10, 27), (2026, 1, 12), (2026, 4, 13)]
    amounts = ["18.60", "15.20", "22.40", "12.80", "16.00", "19.50", "11.30", "14.70", "9.80", "13.60", "28.00"]
    return Agency(
        key="F", name="湖北华中资源综合利用评价中心有限公司", short="华中评价中心", credit=make_uscc("91420106MA4K9WBT6"),
        city="武汉市", district="武昌区", legal="李卫东", contact="胡静", mobile="13995612345",
        phone="027-88123456", email="hzzypj@hzzy-pj.cn",
        reg_addr="武汉市武昌区中北路166号长江产业大厦22层", mail_addr="武汉市武昌区中北路166号长江产业大厦22层2206室",
        reg_date=(2012, 6, 15), capital=Decimal("2000"), assets=Decimal("5210.36"), area=780,
        app=(2026, 6, 8), ss_office="武汉市社会保险管理中心", ss_unit_no="42010600112233",
        lease="租赁", staff=staff,
        contracts=_contracts(6, 6, 4, dates, amounts, gov=("湖北省工业固体废物资源综合利用现状调研及对策研究", "湖北省经济和信息化厅", "环境咨询")),
        first_contract=Contract("武汉青山热电有限公司粉煤灰综合利用评价", "武汉青山热电有限公司", "工业固废资源综合利用评价", (2012, 11, 5), Decimal("8.00")),
    )


def finish(ag: Agency) -> Agency:
    for p in ag.staff:
        if not p.perf:
            p.perf = _perf(p)
    return ag


# --------------------------------------------------------------------------------------------
# derived views (what each document shows; defects live in ag.dfx)
# --------------------------------------------------------------------------------------------
def list_people(ag):
    """附件5 二 名单 rows: (person, age as written)."""
    out = []
    for p in ag.staff + ag.dfx.get("list_extra", []):
        age = ag.dfx.get("age_override", {}).get(p.name)
        if age is None:
            age = p.age if hasattr(p, "age") else age_at(p.birth, ag.app)
        out.append((p, age))
    return out


def roster_id(ag, p):
    return ag.dfx.get("bad_id", {}).get(p.name, p.idn)


def roster_ss(ag, p, style):
    end = ag.dfx.get("roster_ss_end", {}).get(p.name)
    start = fdate(p.ss_start, style)
    if end:
        return start, fdate(end, style)
    return start, None


def ss_people(ag):
    """社保 statement rows: (person, id shown full, status)."""
    out = []
    for p in ag.staff:
        if p.name in ag.dfx.get("ss_missing", ()):
            continue
        out.append(p)
    extra = ag.dfx.get("ss_extra", [])
    for e, after in extra:
        idx = next(i for i, q in enumerate(out) if q.name == after) + 1
        out.insert(idx, e)
    return out


def ss_id(ag, p, style):
    if p.name in ag.dfx.get("mask_override", {}):
        return ag.dfx["mask_override"][p.name]
    idn = ag.dfx.get("bad_id", {}).get(p.name, p.idn)
    return {"m6": mask6, "m4": mask4, "full": lambda s: s}[style](idn)


def ss_status(ag, p, normal):
    return ag.dfx.get("ss_status", {}).get(p.name, normal)


def ss_unit(ag):
    return ag.dfx.get("ss_unit", ag.name)


def stated_counts(ag):
    a, b, c = level_counts(ag.staff)
    n = len(ag.staff)
    return ag.dfx.get("stated", (n, a, b, c))


def categories(staff):
    cat = {"env": 0, "res": 0, "chem": 0, "fin": 0}
    for p in staff:
        if p.major in ENV:
            cat["env"] += 1
        elif p.major in RES:
            cat["res"] += 1
        elif p.major in CHEM:
            cat["chem"] += 1
        elif p.major in FIN:
            cat["fin"] += 1
    return cat


def recent(ag):
    return [c for c in ag.contracts]


def kinds(ag):
    order = ["工业固废资源综合利用评价", "环境咨询", "节能评估", "绿色制造评价", "清洁生产审核"]
    cnt = {k: 0 for k in order}
    for c in ag.contracts:
        cnt[c.kind] += 1
    return [(k, v) for k, v in cnt.items() if v]


# --------------------------------------------------------------------------------------------
# docx helpers
# --------------------------------------------------------------------------------------------
def new_doc(landscape=False, body_font="宋体", size=12, margins=2.2):
    doc = Document()
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(size)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), body_font)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        s = doc.styles[name]
        s.font.color.rgb = RGBColor(0, 0, 0)
        s.font.name = "Times New Roman"
        s.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    doc.styles["Heading 1"].font.size = Pt(16)
    doc.styles["Heading 2"].font.size = Pt(14)
    doc.styles["Heading 3"].font.size = Pt(12)
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    else:
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(margins))
    return doc


def para(doc, text="", bold=False, size=None, align=None, indent=True, font=None, space_after=4, underline=False):
    p = doc.add_paragraph()
    if text:
        r = p.add_run(text)
        r.bold = bold
        r.underline = underline
        if size:
            r.font.size = Pt(size)
        if font:
            r.font.name = font
            r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent and align is None:
        p.paragraph_format.first_line_indent = Pt(24)
    p.paragraph_format.space_after = Pt(space_after)
    return p


def label_line(doc, label, value, width=22, size=14, sep=""):
    """Cover line: label then an underlined value (as printed cover pages do)."""
    p = doc.add_paragraph()
    p.paragraph_format.left_indent = Cm(2.0)
    p.paragraph_format.space_after = Pt(12)
    r = p.add_run(label + sep)
    r.font.size = Pt(size)
    pad = max(0, width - len(value))
    r2 = p.add_run(" " + value + "　" * (pad // 2) + " ")
    r2.font.size = Pt(size)
    r2.underline = True
    return p


def heading(doc, text, level=1, mode="style"):
    if mode == "style":
        return doc.add_heading(text, level=level)
    size = {1: 15, 2: 13, 3: 12}[level]
    p = doc.add_paragraph()
    r = p.add_run(text)
    r.bold = True
    r.font.size = Pt(size)
    r.font.name = "Times New Roman"
    r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    p.paragraph_format.space_before = Pt(8)
    p.paragraph_format.space_after = Pt(6)
    if level > 1:
        p.paragraph_format.first_line_indent = Pt(24)
    return p


def page_break(doc):
    doc.add_page_break()


def footer_page_numbers(section, prefix=""):
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if prefix:
        p.add_run(prefix)
    r = p.add_run()
    for tag, txt in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
            r._r.append(el)
        else:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = txt
            r._r.append(it)


def header_text(section, text):
    p = section.header.paragraphs[0]
    p.text = text
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for r in p.runs:
        r.font.size = Pt(9)


def set_cell(cell, text, bold=False, size=10.5, align="center"):
    cell.text = ""
    lines = str(text).split("\n")
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        r = p.add_run(line)
        r.bold = bold
        r.font.size = Pt(size)
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "left":
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT


def repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)


def cell_border(cell, **edges):
    tcPr = cell._tc.get_or_add_tcPr()
    b = tcPr.find(qn("w:tcBorders"))
    if b is None:
        b = OxmlElement("w:tcBorders")
        tcPr.append(b)
    for edge, (val, sz) in edges.items():
        el = OxmlElement("w:" + edge)
        el.set(qn("w:val"), val)
        el.set(qn("w:sz"), str(sz))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        b.append(el)


def table(doc, rows, style="Table Grid", size=10.5, header_rows=1, widths=None, repeat=False,
          align=None, three_line=False):
    ncols = max(len(r) for r in rows)
    t = doc.add_table(rows=len(rows), cols=ncols)
    if style:
        t.style = doc.styles[style]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, r in enumerate(rows):
        for j in range(ncols):
            v = r[j] if j < len(r) else ""
            a = "center"
            if align and j < len(align):
                a = align[j]
            set_cell(t.cell(i, j), v, bold=(i < header_rows), size=size, align=a)
    if widths:
        set_widths(t, widths)
    if repeat:
        for i in range(header_rows):
            repeat_header(t.rows[i])
    if three_line:
        last = len(rows) - 1
        for j in range(ncols):
            cell_border(t.cell(0, j), top=("single", 12))
            cell_border(t.cell(header_rows - 1, j), bottom=("single", 6))
            cell_border(t.cell(last, j), bottom=("single", 12))
    return t


def set_widths(t, widths):
    t.autofit = False
    grid = t._tbl.tblGrid
    for j, gc in enumerate(grid.gridCol_lst):
        if j < len(widths):
            gc.w = Cm(widths[j])
    for row in t.rows:
        for j, cell in enumerate(row.cells):
            if j < len(widths):
                cell.width = Cm(widths[j])


def merge_row(t, i, a, b, text=None, bold=False, size=10.5, align="left"):
    c = t.cell(i, a).merge(t.cell(i, b))
    if text is not None:
        set_cell(c, text, bold=bold, size=size, align=align)
    return c


def static_toc(doc, entries):
    para(doc, "目  录", bold=True, size=16, align="center")
    for text, page, lvl in entries:
        p = doc.add_paragraph()
        p.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        p.paragraph_format.left_indent = Cm(0.8 * (lvl - 1))
        p.add_run(f"{text}\t{page}")


# --------------------------------------------------------------------------------------------
# xlsx helpers
# --------------------------------------------------------------------------------------------
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def xl_row(ws, r, values, bold=False, border=True, wrap=True, size=10, start_col=1):
    for j, v in enumerate(values):
        c = ws.cell(row=r, column=start_col + j, value=v)
        c.font = Font(name="宋体", size=size, bold=bold)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=wrap)
        if border:
            c.border = BOX


def xl_title(ws, r, text, ncols, size=14, bold=True, align="center"):
    ws.cell(row=r, column=1, value=text).font = Font(name="黑体", size=size, bold=bold)
    ws.cell(row=r, column=1).alignment = Alignment(horizontal=align, vertical="center")
    if ncols > 1:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)


def xl_widths(ws, widths):
    for j, w in enumerate(widths):
        ws.column_dimensions[openpyxl.utils.get_column_letter(j + 1)].width = w


def xl_save(wb, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.creator = "Administrator"
    wb.properties.created = dt.datetime(2026, 5, 10, 9, 0, 0)
    wb.properties.modified = dt.datetime(2026, 5, 10, 9, 0, 0)
    wb.save(path)


# --------------------------------------------------------------------------------------------
# images and scanned PDFs (content of images is not read yet; they still look like the real thing)
# --------------------------------------------------------------------------------------------
_FONT_PATHS = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
               "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]


def _font(size):
    for fp in _FONT_PATHS:
        if os.path.exists(fp):
            try:
                return ImageFont.truetype(fp, size)
            except OSError:
                pass
    return ImageFont.load_default()


def draw_page(title, lines, seal=None, size=(1240, 1754), subtitle=None):
    img = Image.new("RGB", size, (252, 251, 247))
    d = ImageDraw.Draw(img)
    w, h = size
    d.rectangle([40, 40, w - 40, h - 40], outline=(120, 110, 90), width=3)
    ft = _font(54)
    tw = d.textlength(title, font=ft)
    d.text(((w - tw) / 2, 110), title, fill=(20, 20, 20), font=ft)
    y = 200
    if subtitle:
        fs = _font(30)
        sw = d.textlength(subtitle, font=fs)
        d.text(((w - sw) / 2, y), subtitle, fill=(40, 40, 40), font=fs)
        y += 70
    fb = _font(28)
    for line in lines:
        # crude wrapping by character count
        while line:
            chunk, line = line[:38 if w < 1300 else 52], line[38 if w < 1300 else 52:]
            d.text((110, y), chunk, fill=(30, 30, 30), font=fb)
            y += 46
        if y > h - 160:
            break
    if seal:
        cx, cy, r = w - 300, h - 300, 150
        d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(200, 30, 30), width=8)
        fst = _font(40)
        d.text((cx - 22, cy - 30), "★", fill=(200, 30, 30), font=fst)
        fs = _font(22)
        s1, s2 = seal[: len(seal) // 2 + 1], seal[len(seal) // 2 + 1:]
        d.text((cx - d.textlength(s1, font=fs) / 2, cy - 95), s1, fill=(200, 30, 30), font=fs)
        d.text((cx - d.textlength(s2, font=fs) / 2, cy + 40), s2, fill=(200, 30, 30), font=fs)
    return img


def save_img(img, path: pathlib.Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".jpg", ".jpeg"):
        img.save(path, "JPEG", quality=80)
    else:
        img.save(path, "PNG", optimize=False)


def save_scan_pdf(pages, path: pathlib.Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    imgs = [p.convert("L").resize((p.width // 2, p.height // 2)) for p in pages]
    imgs[0].save(path, "PDF", save_all=True, append_images=imgs[1:], resolution=75.0)


def licence_image(ag):
    cap = {Decimal("1000"): "壹仟万元整", Decimal("500"): "伍佰万元整", Decimal("300"): "叁佰万元整",
           Decimal("1200"): "壹仟贰佰万元整", Decimal("200"): "贰佰万元整", Decimal("2000"): "贰仟万元整"}[ag.capital]
    lines = [
        f"统一社会信用代码  {ag.credit}",
        f"名        称  {ag.name}",
        "类        型  有限责任公司（自然人投资或控股）",
        f"法定代表人  {ag.legal}",
        "经营范围  一般项目：环境保护监测；节能管理服务；资源循环利用服务技术咨询；",
        "  工程和技术研究和试验发展；技术服务、技术开发、技术咨询、技术交流、",
        "  技术转让、技术推广；企业管理咨询；认证咨询。（除许可业务外，可自主",
        "  依法经营法律法规非禁止或限制的项目）",
        f"注册资本  {cap}",
        f"成立日期  {fdate(ag.reg_date, 'cn_ymd')}",
        f"住        所  {ag.reg_addr}",
        "",
        f"登记机关  {ag.city}{ag.district}市场监督管理局",
    ]
    return draw_page("营 业 执 照", lines, seal=f"{ag.city}{ag.district}市场监督管理局", size=(1754, 1240), subtitle="（副  本）")


def person_cert(ag, p):
    lines = [f"姓名：{p.name}", f"性别：{p.sex}", f"身份证号：{p.idn}", f"专业：{p.major}",
             f"资格名称：{p.title}", f"级别：{p.level}", "评审组织：湖北省职称改革工作领导小组办公室",
             f"证书编号：HB{p.birth[2:6]}{p.seq}{p.area[-2:]}"]
    return draw_page("专业技术职务任职资格证书", lines, seal="湖北省人力资源和社会保障厅")


def labour_contract_page(ag, p):
    lines = [f"甲方（用人单位）：{ag.name}", f"法定代表人：{ag.legal}", f"乙方（劳动者）：{p.name}",
             f"身份证号码：{p.idn}", "合同期限：无固定期限" if p.hire[0] < 2020 else f"合同期限：{p.hire[0] + 5}年{p.hire[1]}月止（固定期限）",
             f"工作岗位：{p.post}", "工作地点：甲方住所地", "乙方为甲方全日制专职员工，不在其他单位兼职。",
             f"签订日期：{fdate(p.hire, 'cn_ymd')}"]
    return draw_page("劳 动 合 同 书", lines, seal=ag.name)


def org_chart(ag):
    img = Image.new("RGB", (1600, 1000), (255, 255, 255))
    d = ImageDraw.Draw(img)
    f = _font(30)
    boxes = {"股东会": (700, 60), "总经理办公会": (660, 200), "技术负责人": (340, 360), "质量负责人": (980, 360),
             "评价业务部": (100, 600), "技术质量部": (480, 600), "财务部": (860, 600), "综合办公室": (1200, 600)}
    for name, (x, y) in boxes.items():
        w = 60 + 34 * len(name)
        d.rectangle([x, y, x + w, y + 80], outline=(0, 0, 0), width=3)
        d.text((x + 30, y + 22), name, fill=(0, 0, 0), font=f)
    for a, b in [("股东会", "总经理办公会"), ("总经理办公会", "技术负责人"), ("总经理办公会", "质量负责人"),
                 ("技术负责人", "评价业务部"), ("技术负责人", "技术质量部"), ("质量负责人", "财务部"), ("质量负责人", "综合办公室")]:
        (x1, y1), (x2, y2) = boxes[a], boxes[b]
        d.line([x1 + 100, y1 + 80, x2 + 100, y2], fill=(0, 0, 0), width=3)
    d.text((520, 880), f"{ag.name}组织架构图", fill=(0, 0, 0), font=_font(34))
    return img


def write_common_attachments(ag, root: pathlib.Path, names: dict):
    """营业执照、职称证书、劳动合同、办公场所证明、组织架构图 — as the agency scanned them."""
    save_img(licence_image(ag), root / names["licence"])
    if names.get("certs_pdf"):
        save_scan_pdf([person_cert(ag, p) for p in ag.staff], root / names["certs_pdf"])
    if names.get("certs_dir"):
        for i, p in enumerate(ag.staff, 1):
            save_img(person_cert(ag, p), root / names["certs_dir"] / f"{i:02d}{p.name}职称证书.jpg")
    if names.get("contracts_pdf"):
        save_scan_pdf([labour_contract_page(ag, p) for p in ag.staff], root / names["contracts_pdf"])
    if names.get("contracts_certs_pdf"):
        save_scan_pdf([labour_contract_page(ag, p) for p in ag.staff] + [person_cert(ag, p) for p in ag.staff],
                      root / names["contracts_certs_pdf"])
    if names.get("contracts_dir"):
        for i, p in enumerate(ag.staff, 1):
            save_img(labour_contract_page(ag, p), root / names["contracts_dir"] / f"{i:02d}{p.name}劳动合同.jpg")
    if names.get("office"):
        if ag.lease == "自有":
            img = draw_page("不动产权证书", [f"权利人：{ag.name}", "共有情况：单独所有", f"坐落：{ag.reg_addr}",
                                           f"用途：办公", f"面积：建筑面积{ag.area}㎡", "使用期限：2011年至2061年止"],
                            seal=f"{ag.city}自然资源和规划局")
            save_img(img, root / names["office"])
        else:
            pages = [draw_page("房屋租赁合同", [f"出租方（甲方）：{ag.city}鸿远物业管理有限公司", f"承租方（乙方）：{ag.name}",
                                            f"租赁房屋坐落：{ag.mail_addr}", f"租赁面积：{ag.area}平方米", "房屋用途：办公",
                                            "租赁期限：2024年1月1日至2028年12月31日", "租金及支付方式：按季度支付"],
                               seal=f"{ag.city}鸿远物业管理有限公司"),
                     draw_page("不动产权证书（出租方）", [f"权利人：{ag.city}鸿远物业管理有限公司", f"坐落：{ag.mail_addr}",
                                                    "用途：商务金融用地/办公"], seal=f"{ag.city}自然资源和规划局")]
            if str(names["office"]).endswith(".pdf"):
                save_scan_pdf(pages, root / names["office"])
            else:
                save_img(pages[0], root / names["office"])
    if names.get("orgchart"):
        save_img(org_chart(ag), root / names["orgchart"])


# --------------------------------------------------------------------------------------------
# narrative of the 申请报告
# --------------------------------------------------------------------------------------------
def t_basic(ag, num_style="arabic"):
    n = len(ag.staff)
    cap = f"{ag.capital}万元" if num_style == "arabic" else f"{money(ag.capital)}万元"
    emp = f"{n}人" if num_style != "cn" else f"{cn_small(n)}人"
    return [
        f"{ag.name}（以下简称“{ag.short}”）成立于{fdate(ag.reg_date, 'cn_ymd')}，统一社会信用代码{ag.credit}，"
        f"注册资本{cap}，是在{ag.city}{ag.district}市场监督管理局登记注册、具有独立法人资格的有限责任公司，"
        f"登记状态为存续，无经营异常及行政处罚记录。",
        f"公司注册地址为{ag.reg_addr}。办公场所面积{ag.area}平方米（{ag.lease}），设有业务办公区、档案室、会议室和样品暂存间，"
        f"配备台式计算机{n + 4}台、便携式计算机{n // 2 + 2}台、彩色激光打印复印一体机3台、扫描仪2台、文件柜及企业级路由器和专线宽带，"
        f"并配置便携式X射线荧光光谱仪、电子天平、手持式激光测距仪、无人机等现场核查设备，满足评价工作需要。",
        f"截至{ag.app[0] - 1}年末，公司资产总额{ag.assets}万元；现有员工{emp}，均为与公司签订劳动合同的专职人员。",
    ]


def t_org(ag):
    return [
        "公司按照“决策层—管理层—执行层”设置组织架构：决策层为股东会和总经理办公会；管理层由总经理、技术负责人、质量负责人组成；"
        "执行层设评价业务部、技术质量部、财务部和综合办公室。评价业务部专门承担工业固体废物资源综合利用评价项目的资料审查、"
        "现场核查、物料衡算和报告编制；技术质量部负责报告三级审核并组织专家审议；财务部负责合同收费及企业财务数据核查支持；"
        "综合办公室负责人事、档案和后勤保障。各部门及岗位职责均以《岗位职责说明书》形式予以明确。",
        "公司已制定并施行《机构管理制度》《评价工作规程》《评价人员管理制度》《专家审议制度》，以及《项目质量管理制度》《档案管理制度》"
        "《廉洁从业与保密管理规定》等内控文件，对项目受理、合同评审、现场核查、报告编制、三级审核、专家审议、成果交付和归档实行全过程管理。",
    ]


def t_staff(ag, num_style="arabic"):
    n, a, b, c = len(ag.staff), *level_counts(ag.staff)
    cat = categories(ag.staff)
    parts = []
    if cat["env"]:
        parts.append(f"环境类（环境工程、环境科学、环境监测等）{cat['env']}名")
    if cat["res"]:
        parts.append(f"资源与材料类（资源循环科学与工程、冶金工程、矿物加工工程、材料科学与工程等）{cat['res']}名")
    if cat["chem"]:
        parts.append(f"化工与能源类{cat['chem']}名")
    if cat["fin"]:
        parts.append(f"财会类（会计学、财务管理）{cat['fin']}名")
    if num_style == "cn":
        head = f"公司现有从事资源综合利用的专职技术人员{cn_small(n)}名，其中高级职称{cn_small(a)}名、中级职称{cn_small(b)}名、初级职称{cn_small(c)}名。"
    else:
        head = f"公司现有从事资源综合利用的专职技术人员{n}名，其中高级职称{a}名、中级职称{b}名、初级职称{c}名。"
    senior = "、".join(p.name for p in ag.staff if p.level == "高级")
    return [
        head + "所学专业涵盖" + "、".join(parts) + "。",
        f"技术负责人及主要审核人员（{senior}）均具有十年以上固体废物综合利用、环境咨询或节能评估从业经历，"
        "熟悉《中华人民共和国固体废物污染环境防治法》《工业固体废物资源综合利用评价管理暂行办法》《国家工业固体废物资源综合利用产品目录》"
        "及相关产品标准和技术规范。全部专职人员均与公司依法签订劳动合同，并由公司按月足额缴纳社会保险，无在其他单位兼职情形。",
        "公司每年组织不少于40学时的内部培训，内容包括产业政策、物料衡算方法、计量统计体系核查要点和典型案例复盘，并安排人员参加省、市主管部门组织的业务培训。",
    ]


def t_perf(ag, num_style="arabic"):
    cs = recent(ag)
    total = sum(c.amount for c in cs)
    ks = kinds(ag)
    fc = ag.first_contract
    n = len(cs)
    cnt = f"{n}项" if num_style != "cn" else f"{cn_small(n)}项"
    ex = cs[:3]
    return [
        f"公司自{fdate(fc.date, 'cn_ym')}承接首个第三方技术服务项目（{fc.project}）以来，持续从事资源综合利用评价、环境咨询和节能评估等相关业务，"
        f"相关领域业务经验已超过{ag.app[0] - fc.date[0] - 1}年。",
        f"近三年（{cs[0].date[0]}年{cs[0].date[1]}月至今）公司共签订相关第三方服务合同{cnt}，合同金额合计{total}万元，其中"
        + "、".join(f"{k}{v}项" for k, v in ks) + "，详见《近三年业绩合同清单》及合同复印件。",
        "代表性项目包括：" + "；".join(f"{c.project}（{fdate(c.date, 'cn_ym')}签订）" for c in ex)
        + "。上述项目均按照公司《评价工作规程》完成资料审查、现场核查、物料衡算和三级审核，成果已按合同约定交付委托单位。",
    ]


def t_plan(ag):
    return [
        f"业务定位：公司将工业固体废物资源综合利用评价作为核心业务，立足{ag.city}、服务全省，重点面向冶金、建材、化工、电力等工业固废产生和利用量大的行业，"
        "为企业提供资源综合利用评价、物料衡算核查和政策咨询服务，协助主管部门做好评价结果的核查与汇总。",
        "发展规划：2026—2028年，公司计划每年完成工业固废资源综合利用评价项目15项以上；新增专职评价人员3—5名，重点补充资源循环、冶金及财会专业人员；"
        "建成评价项目信息化管理平台，实现项目全过程留痕；每年至少开展2次内部质量审核和1次管理评审。",
        "服务承诺：严格执行《湖北省工业固体废物资源综合利用评价管理实施细则》，坚持独立、客观、公正原则，不将评价工作外包，不与企业合谋造假，"
        "按规定公开收费标准，评价报告完成后30日内报送企业所在市（州）经济和信息化主管部门，并主动接受监督管理。",
    ]


def outline_spec(variant):
    """Headings of the 申请报告 and which content goes under each. Returns list of (level, title, blocks)."""
    if variant == "std":
        return [(1, "一、机构基本情况", ["basic"]), (2, "（一）组织架构与管理制度", ["org"]),
                (1, "二、从业能力", ["staff"]), (1, "三、业绩说明", ["perf"]), (1, "四、服务规划", ["plan"])]
    if variant == "chapter_merged":
        return [(1, "第一章 机构基本情况", ["basic"]), (2, "一、组织架构", ["org"]),
                (1, "第二章 专业技术能力", ["staff"]), (1, "第三章 业绩及服务规划", ["perf", "plan"])]
    if variant == "chapter_merged_no_plan":
        return [(1, "第一章 机构基本情况", ["basic"]), (2, "一、组织架构", ["org"]),
                (1, "第二章 专业技术能力", ["staff"]), (1, "第三章 业绩及荣誉", ["perf", "honour"])]
    if variant == "decimal":
        return [(1, "1 机构概况", ["basic"]), (2, "1.1 组织架构与管理制度", ["org"]),
                (1, "2 从业能力", []), (2, "2.1 人员配备", ["staff"]), (1, "3 业绩说明", ["perf"]),
                (1, "4 服务规划", ["plan"])]
    if variant == "renamed":
        return [(1, "一、公司概况", ["basic", "org"]), (1, "二、技术力量与评价能力", ["staff"]),
                (1, "三、近三年项目业绩", ["perf"]), (1, "四、发展规划与服务承诺", ["plan"])]
    if variant == "renamed_no_perf":
        return [(1, "一、公司概况", ["basic", "org"]), (1, "二、技术力量与评价能力", ["staff"]),
                (1, "三、发展规划与服务承诺", ["plan"])]
    if variant == "paren":
        return [(1, "一、机构基本情况", []), (2, "（1）基本信息", ["basic"]), (2, "（2）组织架构及管理制度", ["org"]),
                (1, "二、从业能力", ["staff"]), (1, "三、业绩说明", ["perf"]), (1, "四、服务规划", ["plan"])]
    if variant == "toc_std":
        return [(1, "一、机构基本情况", ["basic"]), (2, "（一）组织架构", ["org"]),
                (1, "二、专业从业能力", ["staff"]), (1, "三、业绩情况说明", ["perf"]), (1, "四、服务规划及承诺", ["plan"])]
    raise ValueError(variant)


def report_into(doc, ag, variant, mode="style", num_style="arabic", title=True):
    if title:
        para(doc, f"关于申请列入湖北省工业固体废物资源综合利用评价机构推荐名单的报告", bold=True, size=16, align="center")
        para(doc, f"{ag.city}经济和信息化局：", indent=False)
        para(doc, f"根据《湖北省工业固体废物资源综合利用评价管理实施细则》有关规定，{ag.name}对照第七条规定的评价机构备案条件开展了自查，"
                  "认为本单位符合相关条件，现申请列入湖北省工业固体废物资源综合利用评价机构推荐名单。现将有关情况报告如下：")
    blocks = {
        "basic": lambda: t_basic(ag, num_style), "org": lambda: t_org(ag), "staff": lambda: t_staff(ag, num_style),
        "perf": lambda: t_perf(ag, num_style), "plan": lambda: t_plan(ag),
        "honour": lambda: ["公司先后被评为“湖北省守合同重信用企业”和“" + ag.city + "科技型中小企业”，"
                           "连续三年纳税信用等级为A级。"],
    }
    for level, text, bl in outline_spec(variant):
        heading(doc, text, level, mode)
        for b in bl:
            for t in blocks[b]():
                para(doc, t)
    para(doc, "特此报告。")
    para(doc, "")
    para(doc, f"{ag.name}（盖章）", align="right")
    para(doc, fdate(ag.app, "cn_ymd"), align="right")


# --------------------------------------------------------------------------------------------
# 附件5 申请表 (docx flavours)
# --------------------------------------------------------------------------------------------
STD_LABELS = {
    "单位全称": "单位全称", "注册地址": "注册地址", "注册时间": "注册时间", "注册资金": "注册资金", "资产总额": "资产总额",
    "通信地址": "通信地址", "邮箱": "邮箱", "法定代表人": "法定代表人", "电话": "电话", "联系人": "联系人",
    "联系方式": "联系方式", "员工总数": "员工总数", "工作场所面积": "工作场所面积", "专业技术人员情况": "专业技术人员情况",
}
VARIANT_LABELS = {
    "单位全称": "单位名称（全称）", "注册地址": "注册地址", "注册时间": "成立日期", "注册资金": "注册资本（万元）",
    "资产总额": "资产总额（万元）", "通信地址": "通讯地址", "邮箱": "电子信箱", "法定代表人": "法人代表",
    "电话": "办公电话", "联系人": "联系人姓名", "联系方式": "联系人手机", "员工总数": "职工总数（人）",
    "工作场所面积": "办公场所面积（㎡）", "专业技术人员情况": "专业技术人员情况",
}


def form_values(ag, style):
    """Values of table 一; style decides how figures and dates are written."""
    blank = ag.dfx.get("blank", set())
    n = len(ag.staff)
    if style == "variant":   # units live in the labels
        v = {"注册资金": f"{ag.capital}", "资产总额": f"{ag.assets}", "员工总数": f"{n}", "工作场所面积": f"{ag.area}",
             "注册时间": fdate(ag.reg_date, "iso")}
    elif style == "fancy":
        v = {"注册资金": f"{money(ag.capital)}万元", "资产总额": f"{money(ag.assets)}万元", "员工总数": f"{n}人",
             "工作场所面积": f"{ag.area:,}平方米", "注册时间": fdate(ag.reg_date, "cn_ymd")}
    else:
        v = {"注册资金": f"{ag.capital}万元", "资产总额": f"{ag.assets}万元", "员工总数": f"{n}人",
             "工作场所面积": f"{ag.area}㎡", "注册时间": fdate(ag.reg_date, "cn_ymd")}
    v.update({"单位全称": ag.name, "注册地址": ag.reg_addr, "通信地址": ag.mail_addr, "邮箱": ag.email,
              "法定代表人": ag.legal, "电话": ag.phone, "联系人": ag.contact, "联系方式": ag.mobile})
    for k in blank:
        v[k] = ""
    return v


def staff_sentence(ag, cn=False):
    n, a, b, c = stated_counts(ag)
    if cn:
        return f"共{cn_small(n)}名。其中高级职称{cn_small(a)}名；中级职称{cn_small(b)}名；初级职称{cn_small(c)}名"
    return f"共{n}名。其中高级职称{a}名；中级职称{b}名；初级职称{c}名"


def conformity_text(ag):
    n, a, b, c = len(ag.staff), *level_counts(ag.staff)
    cat = categories(ag.staff)
    prof = []
    if cat["res"]:
        prof.append("资源")
    if cat["env"]:
        prof.append("环境")
    if cat["fin"]:
        prof.append("财会")
    return (f"本单位为独立法人，组织机构健全，管理制度完善，办公场所固定；自{ag.first_contract.date[0]}年起从事资源综合利用相关技术服务，"
            f"业务经验一年以上；从事资源综合利用的专职人员{n}人（不少于8人），专业涵盖" + "、".join(prof) +
            "等；专职人员均签订劳动合同并由本单位缴纳社会保险。")


def cover_into(doc, ag, layout="underline", date_style="cn_ymd"):
    para(doc, "附件5", bold=True, indent=False, align=None)
    para(doc, "")
    para(doc, "湖北省工业固体废物资源综合利用评价机构", bold=True, size=20, align="center")
    para(doc, "申请表", bold=True, size=26, align="center")
    for _ in range(4):
        para(doc, "")
    items = [("单位名称（公章）", ag.name), ("法定代表人（签字）", ag.legal), ("联系人", ag.contact),
             ("联系电话", ag.mobile), ("申请时间", fdate(ag.app, date_style))]
    blank = ag.dfx.get("cover_blank", set())
    if layout == "underline":
        for lab, val in items:
            label_line(doc, lab, "" if lab in blank else val)
    elif layout == "below":     # label on one line, its value underneath (a 1-column table)
        rows = []
        for lab, val in items:
            rows.append([lab])
            rows.append(["" if lab in blank else val])
        t = table(doc, rows, style=None, size=14, header_rows=0, widths=[12])
        for i in range(0, len(rows), 2):
            set_cell(t.cell(i, 0), rows[i][0], bold=True, size=13, align="left")
            cell_border(t.cell(i + 1, 0), bottom=("single", 6))
    elif layout == "inline":
        for lab, val in items:
            para(doc, f"{lab}：{'' if lab in blank else val}", size=14, indent=False)
    page_break(doc)


def table_one_grid(doc, ag, labels, vstyle, cn_staff=False):
    """Seed layout: 4 columns label/value/label/value."""
    L = labels
    v = form_values(ag, vstyle)
    para(doc, "一、单位基本情况", bold=True, size=14, indent=False)
    rows = [
        [L["单位全称"], v["单位全称"], "", ""],
        [L["注册地址"], v["注册地址"], L["注册时间"], v["注册时间"]],
        [L["注册资金"], v["注册资金"], L["资产总额"], v["资产总额"]],
        [L["通信地址"], v["通信地址"], L["邮箱"], v["邮箱"]],
        [L["法定代表人"], v["法定代表人"], L["电话"], v["电话"]],
        [L["联系人"], v["联系人"], L["联系方式"], v["联系方式"]],
        [L["员工总数"], v["员工总数"], L["工作场所面积"], v["工作场所面积"]],
        [L["专业技术人员情况"], staff_sentence(ag, cn_staff), "", ""],
        ["（条件符合性描述）", conformity_text(ag), "", ""],
        ["市州经济和信息化主管部门意见", "\n\n（盖章）\n年    月    日", "", ""],
    ]
    t = table(doc, rows, header_rows=0, widths=[3.6, 5.4, 3.0, 4.4], size=10.5)
    for i in range(len(rows)):
        for j in (0, 2):
            if rows[i][j]:
                set_cell(t.cell(i, j), rows[i][j], bold=True, size=10.5)
    merge_row(t, 0, 1, 3, v["单位全称"], align="left")
    merge_row(t, 7, 1, 3, staff_sentence(ag, cn_staff), align="left")
    merge_row(t, 8, 1, 3, conformity_text(ag), align="left")
    merge_row(t, 9, 1, 3, "\n\n（盖章）\n年    月    日", align="right")
    return t


def table_one_below(doc, ag):
    """Value-below layout: a label row, then the values row underneath (three fields per band)."""
    v = form_values(ag, "std")
    para(doc, "一、单位基本情况", bold=True, size=14, indent=False)
    bands = [
        [("单位全称", 3)],
        [("注册地址", 2), ("注册时间", 1)],
        [("注册资金", 1), ("资产总额", 1), ("工作场所面积", 1)],
        [("通信地址", 2), ("邮箱", 1)],
        [("法定代表人", 1), ("电话", 1), ("员工总数", 1)],
        [("联系人", 1), ("联系方式", 2)],
    ]
    rows, spans = [], []
    for band in bands:
        lab, val, sp = [], [], []
        col = 0
        for name, w in band:
            lab += [name] + [""] * (w - 1)
            val += [v[name]] + [""] * (w - 1)
            sp.append((col, col + w - 1))
            col += w
        rows.append(lab)
        rows.append(val)
        spans.append(sp)
        spans.append(sp)
    rows.append(["专业技术人员情况", "", ""])
    rows.append([staff_sentence(ag), "", ""])
    rows.append(["（条件符合性描述）", "", ""])
    rows.append([conformity_text(ag), "", ""])
    rows.append(["市州经济和信息化主管部门意见", "", ""])
    rows.append(["（盖章）      年    月    日", "", ""])
    for _ in range(6):
        spans.append([(0, 2)])
    t = table(doc, rows, header_rows=0, widths=[5.6, 5.6, 5.6], size=10.5)
    for i, sp in enumerate(spans):
        for a, b in sp:
            txt = rows[i][a]
            c = t.cell(i, a) if a == b else t.cell(i, a).merge(t.cell(i, b))
            set_cell(c, txt, bold=(i % 2 == 0), size=10.5, align="center" if i % 2 == 0 else "left")
    return t


STAFF_HEAD_STD = ["序号", "姓名", "年龄", "学历", "职称", "所学专业", "从事专业", "从事资源综合利用服务年限", "近三年内服务业绩情况"]
STAFF_HEAD_UNITS = ["序号", "姓 名", "年龄（周岁）", "学历（学位）", "职称（资格）", "所学专业（毕业院校专业）", "从事专业",
                    "从事资源综合利用服务年限（年）", "近三年内服务业绩情况（项目类别/数量）"]


def staff_rows(ag, year_suffix=False):
    rows = []
    for i, (p, age) in enumerate(list_people(ag), 1):
        yrs = f"{p.years}年" if year_suffix else str(p.years)
        rows.append([str(i), p.name, str(age), p.edu, p.title, p.major, p.work, yrs, p.perf])
    return rows


def table_two(doc, ag, head=STAFF_HEAD_STD, three_line=False, placeholder=0, year_suffix=False, size=9):
    para(doc, "二、工业固体废物资源综合利用评价机构专业技术人员名单", bold=True, size=14, indent=False)
    rows = [head] + staff_rows(ag, year_suffix)
    n = len(rows) - 1
    for k in range(placeholder):
        rows.append([str(n + k + 1)] + [""] * 8)
    if placeholder:
        rows.append(["……"] + [""] * 8)
    if three_line:
        t = table(doc, rows, style=None, size=size, header_rows=1, three_line=True,
                  widths=[0.9, 1.4, 1.0, 1.6, 2.0, 2.4, 2.4, 1.5, 3.4])
    else:
        t = table(doc, rows, size=size, header_rows=1, repeat=True,
                  widths=[0.9, 1.4, 1.0, 1.6, 2.0, 2.4, 2.4, 1.5, 3.4])
    para(doc, "注：只填写评价机构本单位人员。", size=10, indent=False)
    return t


# --------------------------------------------------------------------------------------------
# 花名册, 社保明细, 业绩清单, 声明, 制度
# --------------------------------------------------------------------------------------------
def roster_xlsx(path, ag, head, hire_style, ss_style, ss_join="-", fill_date=None, date_cells=False,
                extra_cols=False, ft_word="是"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ncol = len(head)
    xl_title(ws, 1, f"{ag.name}专职人员花名册", ncol)
    ws.cell(row=2, column=1, value=f"填报单位（盖章）：{ag.name}")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol // 2)
    ws.cell(row=2, column=ncol // 2 + 1, value=f"填报日期：{fill_date or fdate(ag.app, 'cn_ymd')}")
    ws.merge_cells(start_row=2, start_column=ncol // 2 + 1, end_row=2, end_column=ncol)
    xl_row(ws, 3, head, bold=True)
    r = 4
    for i, p in enumerate(ag.staff, 1):
        s, e = roster_ss(ag, p, ss_style)
        ss = f"{s}{ss_join}{e if e else '至今'}"
        hire = dt.datetime(*p.hire) if date_cells else fdate(p.hire, hire_style)
        vals = {"序号": i, "姓名": p.name, "性别": p.sex, "身份证号": roster_id(ag, p), "岗位": p.post, "职称": p.title,
                "入职时间": hire, "社保缴纳起止时间": ss, "是否全职": ft_word if p.fulltime else "否", "备注": ""}
        row = []
        for h in head:
            key = next(k for k in vals if k in h.replace(" ", "").replace("号码", "号"))
            row.append(vals[key])
        xl_row(ws, r, row)
        if date_cells:
            j = next(k for k, h in enumerate(head) if "入职" in h)
            ws.cell(row=r, column=j + 1).number_format = 'yyyy"年"m"月"d"日"'
        r += 1
    ws.cell(row=r + 1, column=1, value=f"合计：专职人员{len(ag.staff)}人，均为全职。")
    ws.cell(row=r + 3, column=ncol - 3, value=f"{ag.name}（公章）")
    xl_widths(ws, [6, 10, 6, 22, 18, 14, 14, 22, 10, 10][:ncol] + [12] * max(0, ncol - 10))
    xl_save(wb, path)


def roster_docx_into(doc, ag, head, hire_style, ss_style, ss_join="-", ft_word="是", size=10, title=True):
    if title:
        para(doc, f"{ag.name}专职人员花名册", bold=True, size=15, align="center")
        para(doc, f"单位（盖章）：{ag.name}        统计日期：{fdate(ag.app, 'cn_ymd')}", indent=False, size=10.5)
    rows = [head]
    for i, p in enumerate(ag.staff, 1):
        s, e = roster_ss(ag, p, ss_style)
        ss = f"{s}{ss_join}{e if e else '至今'}"
        vals = {"序号": str(i), "姓名": p.name, "性别": p.sex, "身份证号": roster_id(ag, p), "岗位": p.post, "职称": p.title,
                "入职时间": fdate(p.hire, hire_style), "社保缴纳起止时间": ss, "是否全职": ft_word if p.fulltime else "否",
                "备注": "技术负责人" if p.post.startswith(("总经理", "技术")) else ""}
        row = []
        for h in head:
            key = next(k for k in vals if k in h.replace(" ", "").replace("号码", "号"))
            row.append(vals[key])
        rows.append(row)
    wmap = {"序号": 1.1, "姓名": 1.8, "性别": 1.1, "身份证号": 4.4, "岗位": 3.4, "职称": 2.8, "入职时间": 3.0,
            "社保缴纳起止时间": 4.2, "是否全职": 1.6, "备注": 2.2}
    widths = [next(w for k, w in wmap.items() if k in h) for h in head]
    t = table(doc, rows, size=size, header_rows=1, repeat=True, widths=widths)
    para(doc, f"以上专职人员共{len(ag.staff)}人，均与本单位签订劳动合同并由本单位缴纳社会保险。", size=10.5, indent=False)
    return t


SS_KINDS4 = ["企业职工基本养老保险", "职工基本医疗保险", "失业保险", "工伤保险"]
SS_KINDS3 = ["基本养老保险", "失业保险", "工伤保险"]


def ss_xlsx_rowwise(path, ag, id_style, status_word="正常参保", print_date=None, header_variant="A"):
    """One row per person, as exported from the city 社保 system (C1 style)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "参保人员明细"
    head = ["序号", "个人编号", "姓名", "公民身份号码", "参保险种", "参保状态", "本单位参保日期", "末次缴费年月", "缴费基数（元）"]
    ncol = len(head)
    xl_title(ws, 1, f"{ag.ss_office}  单位参保职工缴费明细", ncol)
    ws.cell(row=2, column=1, value=f"单位名称：{ss_unit(ag)}")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=5)
    ws.cell(row=2, column=6, value=f"单位编号：{ag.ss_unit_no}")
    ws.merge_cells(start_row=2, start_column=6, end_row=2, end_column=9)
    ws.cell(row=3, column=1, value=f"打印日期：{print_date}    查询期间：{ag.app[0] - 1}01-{fdate((ag.app[0], ag.app[1] - 1), 'compact_ym')}")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=9)
    xl_row(ws, 4, head, bold=True)
    r = 5
    last = fdate((ag.app[0], ag.app[1] - 1), "compact_ym")
    for i, p in enumerate(ss_people(ag), 1):
        st = ss_status(ag, p, status_word)
        lastpay = last if st == status_word else ag.dfx.get("ss_last", {}).get(p.name, last)
        base = 4500 + (sum(ord(c) for c in p.name) % 30) * 100
        xl_row(ws, r, [i, f"10{(sum(ord(c) for c in p.name) * 7919) % 10 ** 8:08d}", p.name, ss_id(ag, p, id_style), "养老、医疗、失业、工伤、生育",
                       st, fdate(p.ss_start, "compact_ym"), lastpay, f"{base:.2f}"])
        r += 1
    ws.cell(row=r + 1, column=1, value=f"本页共{r - 5}人。以上信息由{ag.ss_office}社会保险信息系统生成，经办人：窗口03")
    ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=9)
    xl_widths(ws, [6, 16, 10, 22, 28, 10, 14, 12, 12])
    xl_save(wb, path)


def ss_xlsx_full(path, ag, layout="rows", print_date=None):
    """Full ID numbers. layout 'rows': one row per person with 单位名称 column; 'matrix': 险种 columns."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if layout == "rows":
        ws.title = "Sheet1"
        head = ["序号", "姓名", "性别", "公民身份号码", "参加险种", "缴费状态", "本单位参保起始时间", "单位名称"]
        xl_title(ws, 1, "参保单位职工社会保险缴费情况证明", len(head))
        ws.cell(row=2, column=1, value=f"查询单位：{ss_unit(ag)}    统一社会信用代码：{ag.credit}    打印时间：{print_date}")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(head))
        xl_row(ws, 3, head, bold=True)
        r = 4
        for i, p in enumerate(ss_people(ag), 1):
            xl_row(ws, r, [i, p.name, p.sex, ss_id(ag, p, "full"), "养老保险、医疗保险、失业保险、工伤保险",
                           ss_status(ag, p, "正常缴费"), fdate(p.ss_start, "cn_ym"), ss_unit(ag)])
            r += 1
        xl_widths(ws, [6, 10, 6, 22, 36, 10, 16, 36])
    else:
        ws.title = "职工参保缴费"
        head = ["序号", "姓名", "身份证号码", "养老保险", "医疗保险", "失业保险", "工伤保险", "参保时间", "缴费状态"]
        xl_title(ws, 1, f"{ss_unit(ag)}职工参加社会保险情况明细表", len(head))
        ws.cell(row=2, column=1, value=f"单位名称：{ss_unit(ag)}")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=5)
        ws.cell(row=2, column=6, value=f"打印日期：{print_date}")
        ws.merge_cells(start_row=2, start_column=6, end_row=2, end_column=9)
        xl_row(ws, 3, head, bold=True)
        r = 4
        for i, p in enumerate(ss_people(ag), 1):
            xl_row(ws, r, [i, p.name, ss_id(ag, p, "full"), "参保", "参保", "参保", "参保",
                           fdate(p.ss_start, "dot_ym0"), ss_status(ag, p, "正常缴费")])
            r += 1
        ws.cell(row=r + 1, column=1, value=f"（{ag.ss_office}社会保险费征缴业务专用章）")
        ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=9)
        xl_widths(ws, [6, 10, 22, 10, 10, 10, 10, 12, 10])
    xl_save(wb, path)


def ss_pdf_docx(path_docx, ag, id_style, kinds, split_after, repeat_head_on_cont, cont_label, print_date,
                status_word="正常缴费"):
    """A long 社保 statement, one row per person and 险种, split over two pages with a 续表."""
    doc = new_doc(margins=1.8, size=10.5)
    para(doc, "湖北省社会保险单位职工参保缴费明细", bold=True, size=15, align="center")
    para(doc, f"单位名称：{ss_unit(ag)}", indent=False, size=10.5, space_after=0)
    para(doc, f"单位社保编号：{ag.ss_unit_no}        统一社会信用代码：{ag.credit}", indent=False, size=10.5, space_after=0)
    para(doc, f"经办机构：{ag.ss_office}        打印时间：{print_date}", indent=False, size=10.5)
    head = ["序号", "姓名", "社会保障号码", "险种类型", "缴费状态", "参保起始年月", "缴费基数（元）"]
    people = ss_people(ag)
    body = []
    for i, p in enumerate(people, 1):
        base = 4500 + (sum(ord(c) for c in p.name) % 30) * 100
        for k in kinds:
            body.append((p, [str(i), p.name, ss_id(ag, p, id_style), k, ss_status(ag, p, status_word),
                             fdate(p.ss_start, "compact_ym"), f"{base:.2f}"]))
    first = [r for p, r in body if int(r[0]) <= split_after]
    rest = [r for p, r in body if int(r[0]) > split_after]
    widths = [1.0, 1.6, 3.9, 3.8, 1.9, 2.2, 2.2]
    table(doc, [head] + first, size=9, widths=widths)
    para(doc, f"第1页  共2页", align="center", size=9)
    page_break(doc)
    para(doc, cont_label, bold=True, indent=False, size=10.5)
    if repeat_head_on_cont:
        table(doc, [head] + rest, size=9, widths=widths)
    else:
        table(doc, rest, size=9, widths=widths, header_rows=0)
    para(doc, f"合计参保职工{len(people)}人。", indent=False, size=10)
    para(doc, "说明：本明细由社会保险信息系统打印，身份证号码已作脱敏处理，可通过“鄂汇办”扫码核验。", indent=False, size=9)
    para(doc, f"（{ag.ss_office}业务专用章）", align="right", size=10)
    para(doc, f"第2页  共2页", align="center", size=9)
    doc.save(path_docx)


def ss_pdf_simple_docx(path_docx, ag, id_style, print_date):
    """One row per person, 险种 columns, bordered (C4 style)."""
    doc = new_doc(landscape=True, margins=1.8, size=10.5)
    para(doc, "社会保险参保缴费证明（单位）", bold=True, size=16, align="center")
    para(doc, f"兹证明{ss_unit(ag)}（单位编号：{ag.ss_unit_no}）为下列职工缴纳社会保险，明细如下：", size=10.5)
    head = ["序号", "姓名", "身份证号", "养老", "医疗", "失业", "工伤", "参保起始", "缴费状态", "缴费单位"]
    rows = [head]
    for i, p in enumerate(ss_people(ag), 1):
        rows.append([str(i), p.name, ss_id(ag, p, id_style), "√", "√", "√", "√", fdate(p.ss_start, "iso_ym"),
                     ss_status(ag, p, "正常缴费"), ss_unit(ag)])
    table(doc, rows, size=9.5, widths=[1.2, 1.8, 4.4, 1.2, 1.2, 1.2, 1.2, 2.2, 2.2, 7.0])
    para(doc, f"打印日期：{print_date}        {ag.ss_office}（盖章）", align="right", size=10.5)
    doc.save(path_docx)


CONTRACT_HEAD_A = ["序号", "项目名称", "委托单位", "服务类别", "合同签订日期", "合同金额（万元）", "备注"]


def contract_rows(ag, date_style, include_first=False):
    rows = []
    cs = ([ag.first_contract] if include_first else []) + recent(ag)
    for i, c in enumerate(cs, 1):
        note = "首个相关业务合同" if (include_first and i == 1) else ("省级政府部门委托" if c.client.startswith("湖北省") else "已完成")
        rows.append([str(i), c.project, c.client, c.kind, fdate(c.date, date_style), f"{c.amount:.2f}", note])
    return rows


def contracts_xlsx(path, ag, date_style, include_first=False):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "业绩清单"
    xl_title(ws, 1, f"{ag.name}近三年相关业绩合同清单", 7)
    xl_row(ws, 2, CONTRACT_HEAD_A, bold=True)
    rows = contract_rows(ag, date_style, include_first)
    for i, r in enumerate(rows):
        vals = r[:]
        vals[5] = float(Decimal(vals[5]))
        xl_row(ws, 3 + i, vals)
        ws.cell(row=3 + i, column=6).number_format = "0.00"
        ws.cell(row=3 + i, column=2).alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    tot = sum(Decimal(r[5]) for r in rows)
    xl_row(ws, 3 + len(rows), ["合计", "", "", "", "", float(tot), ""], bold=True)
    ws.cell(row=3 + len(rows), column=6).number_format = "0.00"
    ws.merge_cells(start_row=3 + len(rows), start_column=1, end_row=3 + len(rows), end_column=5)
    ws.cell(row=5 + len(rows), column=1, value="注：合同复印件附后（按序号装订）。")
    xl_widths(ws, [6, 48, 30, 22, 16, 14, 18])
    xl_save(wb, path)


def contracts_into(doc, ag, date_style, include_first=False, title=True):
    if title:
        para(doc, f"{ag.name}近三年相关业绩合同清单", bold=True, size=15, align="center")
    rows = contract_rows(ag, date_style, include_first)
    tot = sum(Decimal(r[5]) for r in rows)
    head = ["序号", "项目名称", "委托单位", "服务类别", "签订时间", "金额(万元)", "备注"]
    all_rows = [head] + rows + [["合计", "", "", "", "", f"{tot:.2f}", ""]]
    t = table(doc, all_rows, size=9, widths=[1.0, 5.2, 3.6, 2.6, 2.2, 1.6, 1.8],
              align=["center", "left", "left", "center", "center", "right", "center"])
    merge_row(t, len(all_rows) - 1, 0, 4, "合计", bold=True, size=9, align="center")
    return t


def declaration_into(doc, ag, full_ids=False):
    para(doc, "申请材料真实性声明", bold=True, size=18, align="center")
    para(doc, "")
    para(doc, "湖北省经济和信息化厅、" + ag.city + "经济和信息化局：", indent=False)
    para(doc, f"我单位{ag.name}（统一社会信用代码：{ag.credit}）郑重声明：本次申请列入湖北省工业固体废物资源综合利用评价机构推荐名单"
              "所提交的申请报告、申请表、营业执照、专业技术人员职称证书、劳动合同、社会保险缴纳证明、业绩证明材料、管理制度及办公场所证明等全部材料"
              "均真实、准确、完整，复印件与原件一致，不存在虚假记载、误导性陈述或重大遗漏。")
    para(doc, "如有不实，我单位愿承担由此产生的全部法律责任，并接受主管部门依照《湖北省工业固体废物资源综合利用评价管理实施细则》"
              "第二十三条作出的处理。")
    if full_ids:
        para(doc, "本次申报的专职人员如下（身份证号码为全号，供核查使用）：", indent=True)
        rows = [["序号", "姓名", "身份证号码", "职称"]] + [[str(i), p.name, roster_id(ag, p), p.title]
                                                      for i, p in enumerate(ag.staff, 1)]
        table(doc, rows, size=10, widths=[1.2, 2.4, 5.4, 3.4])
    para(doc, "")
    para(doc, f"法定代表人（签名）：{ag.legal}", align="right")
    para(doc, f"单位（公章）：{ag.name}", align="right")
    para(doc, fdate(ag.app, "cn_ymd"), align="right")


def pledge_docx(path, ag, ctx=None):
    doc = new_doc()
    para(doc, "人员合规守法承诺书", bold=True, size=18, align="center")
    para(doc, f"本单位承诺：本单位所有从事资源综合利用的专职人员（共{len(ag.staff)}人）均遵守国家法律法规，具有良好的职业道德，"
              "无行业禁入、行政处罚及其他违法违规记录。若存在隐瞒，本单位承担全部责任。")
    para(doc, f"承诺单位（公章）：{ag.name}", align="right")
    para(doc, f"法定代表人（签名）：{ag.legal}", align="right")
    para(doc, fdate(ag.app, "cn_ymd"), align="right")
    if ctx is not None:
        ctx.pdf(doc, pathlib.Path(path))
    else:
        _save_docx(doc, path)


def rules_into(doc, ag, mode="style"):
    para(doc, f"{ag.name}管理制度汇编", bold=True, size=18, align="center")
    para(doc, f"（{ag.app[0] - 1}年修订版）", align="center")
    chapters = [
        ("机构管理制度", ["本制度适用于公司各部门及全体员工，明确决策层、管理层、执行层的职责分工。",
                     "公司实行总经理负责制，技术负责人对评价工作的技术质量全面负责，质量负责人对质量体系运行负责。",
                     "本制度由综合办公室负责制定和修订，经总经理办公会审议通过后发布执行。"]),
        ("评价工作规程（项目管理制度）", ["评价项目实行项目负责人制，按照项目受理、合同评审、资料审查、现场核查、物料衡算、报告编制、"
                                  "三级审核、专家审议、成果交付、资料归档的程序开展。",
                                  "现场核查应核实企业生产工艺、计量器具、原料掺量及产品产量，形成现场核查记录，并由企业确认签字。",
                                  "评价报告完成后30日内报送企业所在市（州）经济和信息化主管部门。"]),
        ("评价人员管理制度", ["评价人员应具备相关专业背景，经内部培训考核合格后方可上岗，每年继续教育不少于40学时。",
                         "评价人员不得在其他评价机构兼职，不得承接与本人存在利害关系企业的评价项目。"]),
        ("专家审议制度（质量管控制度）", ["重大或复杂评价项目的报告须经不少于3名外部专家审议，专家意见及修改情况存档备查。",
                                  "技术质量部每季度对已交付报告进行抽查，抽查比例不低于20%。"]),
        ("档案管理制度", ["评价项目档案保存期限不少于10年，电子档案与纸质档案同步归档。"]),
    ]
    for i, (t, items) in enumerate(chapters, 1):
        heading(doc, f"{cn_small(i)}、{t}" if mode == "style" else f"第{cn_small(i)}部分 {t}", 1, mode)
        for j, it in enumerate(items, 1):
            para(doc, f"第{cn_small(j)}条 {it}")
    para(doc, f"{ag.name}（盖章）", align="right")


def _save_docx(doc, path):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cp = doc.core_properties
    cp.author = "Administrator"
    cp.created = dt.datetime(2026, 5, 10, 9, 0, 0)
    cp.modified = dt.datetime(2026, 5, 10, 9, 0, 0)
    cp.last_modified_by = "Administrator"
    cp.revision = 1
    doc.save(path)


# --------------------------------------------------------------------------------------------
# build context: PDFs are converted in one LibreOffice run at the end
# --------------------------------------------------------------------------------------------
class Ctx:
    def __init__(self, out: pathlib.Path):
        self.out = out
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="hbagency_"))
        self.jobs = []       # (staged docx, final pdf)
        self.zips = []       # (folder, zip path, root in zip or None)

    def pdf(self, doc, dest: pathlib.Path):
        src = self.tmp / f"job{len(self.jobs):03d}.docx"
        _save_docx(doc, src)
        self.jobs.append((src, dest))

    def pdf_from_file(self, src_docx: pathlib.Path, dest: pathlib.Path):
        src = self.tmp / f"job{len(self.jobs):03d}.docx"
        shutil.copy(src_docx, src)
        self.jobs.append((src, dest))

    def convert(self):
        if not self.jobs:
            return
        outdir = self.tmp / "pdf"
        outdir.mkdir(exist_ok=True)
        prof = self.tmp / "lo_profile"
        cmd = ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{prof}",
               "--convert-to", "pdf", "--outdir", str(outdir)] + [str(s) for s, _ in self.jobs]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        for src, dest in self.jobs:
            pdf = outdir / (src.stem + ".pdf")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(pdf), dest)

    def finish(self):
        self.convert()
        for folder, zpath, root in self.zips:
            with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
                for f in sorted(folder.rglob("*")):
                    if f.is_file():
                        rel = f.relative_to(folder).as_posix()
                        arc = f"{root}/{rel}" if root else rel
                        zi = zipfile.ZipInfo(arc, date_time=(2026, 5, 20, 9, 0, 0))
                        zi.compress_type = zipfile.ZIP_DEFLATED
                        zi.flag_bits |= 0x800
                        z.writestr(zi, f.read_bytes())
        shutil.rmtree(self.tmp, ignore_errors=True)

    def package_dir(self, name, as_zip=False, root=None):
        if as_zip:
            d = self.tmp / "zipsrc" / name
            d.mkdir(parents=True, exist_ok=True)
            self.zips.append((d, self.out / f"{name}.zip", root))
            return d
        d = self.out / name
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        return d


# --------------------------------------------------------------------------------------------
# package builders, one per agency layout; defects come in through ag.dfx
# --------------------------------------------------------------------------------------------
def build_A(ctx, name, ag):
    """Folder of separate files. Word Heading styles; 申请表 with label variants and unit-bearing headers;
    roster xlsx (2019.3 / 2019.03-至今); 社保 xlsx masked 420106********2315."""
    root = ctx.package_dir(name)
    doc = new_doc()
    header_text(doc.sections[0], f"{ag.name}  评价机构申请报告")
    footer_page_numbers(doc.sections[0])
    report_into(doc, ag, ag.dfx.get("outline", "std"), mode="style")
    _save_docx(doc, root / "01 申请报告.docx")

    doc = new_doc()
    cover_into(doc, ag, layout="underline", date_style="cn_ymd")
    table_one_grid(doc, ag, VARIANT_LABELS, "variant")
    page_break(doc)
    table_two(doc, ag, head=STAFF_HEAD_UNITS, year_suffix=False)
    _save_docx(doc, root / "02 附件5 评价机构申请表.docx")

    roster_xlsx(root / "03 专职人员花名册.xlsx", ag,
                ["序号", "姓名", "性别", "身份证号码", "岗位（职务）", "职称", "入职时间（年.月）", "社保缴纳起止时间（年.月）",
                 "是否全职（是/否）", "备注"], hire_style="dot_ym", ss_style="dot_ym0", ss_join="-",
                fill_date=fdate((ag.app[0], ag.app[1], ag.app[2] - 3), "cn_ymd"))
    ss_xlsx_rowwise(root / "04 社保缴纳明细（社保系统打印）.xlsx", ag, "m6",
                    print_date=fdate((ag.app[0], ag.app[1], ag.app[2] - 6), "iso"))
    contracts_xlsx(root / "05 近三年业绩合同清单.xlsx", ag, "dot_ymd")
    write_common_attachments(ag, root, {"licence": "06 营业执照副本.jpg", "contracts_dir": "07 劳动合同",
                                        "certs_dir": "08 职称证书", "office": "10 办公场所证明（房屋租赁合同及产权证明）.pdf",
                                        "orgchart": "组织架构图.png"})
    doc = new_doc()
    rules_into(doc, ag)
    _save_docx(doc, root / "09 管理制度汇编.docx")
    doc = new_doc()
    declaration_into(doc, ag)
    _save_docx(doc, root / "11 真实性声明.docx")
    pledge_docx(root / "12 人员合规守法承诺书.docx", ag)
    return {
        "report": "01 申请报告.docx", "form": "02 附件5 评价机构申请表.docx", "roster": "03 专职人员花名册.xlsx",
        "ss": "04 社保缴纳明细（社保系统打印）.xlsx"}


def build_B(ctx, name, ag):
    """Zip without a root folder: one compiled docx (申请报告 第N章 + 申请表 + 花名册 + 业绩清单), a long 社保 PDF with
    续表 and repeated header (masked 4201**********2315), scanned PDFs for 劳动合同/职称证书, 声明 as PDF."""
    root = ctx.package_dir(name, as_zip=True)
    doc = new_doc()
    footer_page_numbers(doc.sections[0], prefix="— ")
    para(doc, "")
    para(doc, "湖北省工业固体废物资源综合利用评价机构", bold=True, size=22, align="center")
    para(doc, "申 请 材 料", bold=True, size=26, align="center")
    for _ in range(8):
        para(doc, "")
    para(doc, f"申请单位：{ag.name}", size=15, align="center")
    para(doc, f"二〇二六年{cn_small(ag.app[1])}月", size=15, align="center")
    page_break(doc)
    static_toc(doc, [("第一部分 申请报告", 1, 1), ("第二部分 湖北省工业固体废物资源综合利用评价机构申请表", 6, 1),
                     ("第三部分 专职人员花名册", 10, 1), ("第四部分 近三年业绩合同清单", 11, 1)])
    page_break(doc)
    para(doc, "第一部分 申请报告", bold=True, size=16, align="center")
    report_into(doc, ag, ag.dfx.get("outline", "chapter_merged"), mode="style", num_style="cn")
    page_break(doc)
    para(doc, "第二部分 申请表", bold=True, size=16, align="center")
    cover_into(doc, ag, layout="underline", date_style="iso")
    table_one_grid(doc, ag, STD_LABELS, "fancy")
    page_break(doc)
    table_two(doc, ag, head=STAFF_HEAD_STD, year_suffix=True)
    page_break(doc)
    para(doc, "第三部分 专职人员花名册", bold=True, size=16, align="center")
    roster_docx_into(doc, ag, ["序号", "姓名", "性别", "身份证号", "岗位", "入职时间", "社保缴纳起止时间", "是否全职"],
                     hire_style="iso", ss_style="dot_ym0", ss_join="-", size=9)
    page_break(doc)
    para(doc, "第四部分 近三年业绩合同清单", bold=True, size=16, align="center")
    contracts_into(doc, ag, "iso", include_first=True, title=False)
    _save_docx(doc, root / "评价机构申请材料汇编.docx")

    ss_src = ctx.tmp / f"{name}_ss.docx"
    ss_pdf_docx(ss_src, ag, "m4", SS_KINDS4, split_after=8, repeat_head_on_cont=True, cont_label="续表",
                print_date=fdate((ag.app[0], ag.app[1], ag.app[2] - 6), "cn_ymd"))
    ctx.pdf_from_file(ss_src, root / "社保缴纳明细.pdf")
    write_common_attachments(ag, root, {"licence": "营业执照（副本）.jpg", "contracts_pdf": "劳动合同（扫描件）.pdf",
                                        "certs_pdf": "职称证书（扫描件）.pdf", "office": "办公场所租赁合同.pdf",
                                        "orgchart": "组织架构图.png"})
    doc = new_doc()
    rules_into(doc, ag, mode="bold")
    _save_docx(doc, root / "管理制度和内控程序文件.docx")
    doc = new_doc()
    declaration_into(doc, ag)
    ctx.pdf(doc, root / "真实性声明（签字盖章）.pdf")
    pledge_docx(root / "人员合规守法承诺书（盖章）.pdf", ag, ctx)
    return {"report": "评价机构申请材料汇编.docx", "form": "评价机构申请材料汇编.docx",
            "roster": "评价机构申请材料汇编.docx", "ss": "社保缴纳明细.pdf"}


def build_C(ctx, name, ag):
    """Folder, PDF heavy: report PDF (1 / 1.1 numbering), 申请表 PDF with value-below cover and table and a
    borderless three-line staff list; roster xlsx with real date cells; 社保 xlsx with full ID numbers."""
    root = ctx.package_dir(name)
    doc = new_doc()
    footer_page_numbers(doc.sections[0])
    report_into(doc, ag, ag.dfx.get("outline", "decimal"), mode="bold")
    ctx.pdf(doc, root / "1.申请报告.pdf")

    doc = new_doc()
    cover_into(doc, ag, layout="below", date_style="cnnum_ymd")
    table_one_below(doc, ag)
    page_break(doc)
    table_two(doc, ag, head=STAFF_HEAD_STD, three_line=True)
    ctx.pdf(doc, root / "2.附件5申请表.pdf")

    roster_xlsx(root / "3.专职人员花名册.xlsx", ag,
                ["序号", "姓名", "性别", "身份证号", "岗位", "入职时间", "社保缴纳起止时间", "是否全职"],
                hire_style="cn_ym", ss_style="cn_ym", ss_join="—", date_cells=True)
    ss_xlsx_full(root / "4.社保缴纳明细.xlsx", ag, layout="rows", print_date=fdate((ag.app[0], ag.app[1], ag.app[2] - 4), "iso"))
    contracts_xlsx(root / "5.业绩合同清单.xlsx", ag, "cn_ymd", include_first=True)
    write_common_attachments(ag, root, {"licence": "6.营业执照正副本.png", "certs_pdf": "7.职称证书.pdf",
                                        "contracts_pdf": "8.劳动合同.pdf", "office": "9.办公场所证明.pdf",
                                        "orgchart": "10.组织架构图.png"})
    doc = new_doc()
    rules_into(doc, ag)
    ctx.pdf(doc, root / "11.管理制度.pdf")
    doc = new_doc()
    declaration_into(doc, ag)
    ctx.pdf(doc, root / "12.真实性声明.pdf")
    pledge_docx(root / "13.人员合规守法承诺书.pdf", ag, ctx)
    return {"report": "1.申请报告.pdf", "form": "2.附件5申请表.pdf", "roster": "3.专职人员花名册.xlsx",
            "ss": "4.社保缴纳明细.xlsx"}


def form_xlsx_inline(path, ag):
    """附件5 as a workbook: cover and table 一 with labels and values in the same cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "封面"
    blank = ag.dfx.get("blank", set())
    xl_title(ws, 2, "湖北省工业固体废物资源综合利用评价机构", 4, size=18)
    xl_title(ws, 3, "申请表", 4, size=22)
    cover = [("单位名称（公章）", ag.name), ("法定代表人（签字）", ag.legal), ("联系人", ag.contact),
             ("联系电话", ag.mobile), ("申请时间", fdate(ag.app, "cn_ymd"))]
    for i, (lab, val) in enumerate(cover):
        ws.cell(row=7 + 2 * i, column=1, value=f"{lab}：{val}").font = Font(name="宋体", size=14)
        ws.merge_cells(start_row=7 + 2 * i, start_column=1, end_row=7 + 2 * i, end_column=4)
    xl_widths(ws, [24, 24, 24, 24])

    ws = wb.create_sheet("一、单位基本情况")
    v = form_values(ag, "fancy")
    for k in blank:
        v[k] = ""
    xl_title(ws, 1, "一、单位基本情况", 4, align="left", size=12)
    lines = [
        [(f"单位全称：{v['单位全称']}", 4)],
        [(f"注册地址：{v['注册地址']}", 2), (f"注册时间：{v['注册时间']}", 2)],
        [(f"注册资金：{v['注册资金']}", 2), (f"资产总额：{v['资产总额']}", 2)],
        [(f"通信地址：{v['通信地址']}", 2), (f"邮箱：{v['邮箱']}", 2)],
        [(f"法定代表人：{v['法定代表人']}", 2), (f"电话：{v['电话']}", 2)],
        [(f"联系人：{v['联系人']}", 2), (f"联系方式：{v['联系方式']}", 2)],
        [(f"员工总数：{v['员工总数']}", 2), (f"工作场所面积：{v['工作场所面积']}", 2)],
        [(f"专业技术人员情况：{staff_sentence(ag, cn=True)}", 4)],
        [(f"（条件符合性描述）：{conformity_text(ag)}", 4)],
        [("市州经济和信息化主管部门意见：\n\n（盖章）\n                年    月    日", 4)],
    ]
    for i, line in enumerate(lines):
        r = 2 + i
        col = 1
        for text, w in line:
            c = ws.cell(row=r, column=col, value=text)
            c.font = Font(name="宋体", size=11)
            c.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
            for cc in range(col, col + w):
                ws.cell(row=r, column=cc).border = BOX
            if w > 1:
                ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=col + w - 1)
            col += w
        ws.row_dimensions[r].height = 60 if i >= 7 else 30
    xl_widths(ws, [26, 26, 26, 26])

    ws = wb.create_sheet("二、专业技术人员名单")
    xl_title(ws, 1, "二、工业固体废物资源综合利用评价机构专业技术人员名单", 9, align="left", size=12)
    xl_row(ws, 2, STAFF_HEAD_STD, bold=True)
    rows = staff_rows(ag, year_suffix=True)
    r = 3
    for row in rows:
        vals = row[:]
        vals[0] = int(vals[0])
        vals[2] = int(vals[2])
        xl_row(ws, r, vals)
        r += 1
    for k in range(3):
        xl_row(ws, r, [len(rows) + k + 1] + [""] * 8)
        r += 1
    xl_row(ws, r, ["……"] + [""] * 8)
    ws.cell(row=r + 1, column=1, value="注：只填写评价机构本单位人员。")
    xl_widths(ws, [6, 10, 6, 12, 14, 20, 22, 12, 40])
    xl_save(wb, path)


def build_D(ctx, name, ag):
    """Zip with a root folder and sub-folders. Renamed outline; 申请表 as xlsx with inline labels, Chinese-numeral
    staff counts and placeholder rows; roster docx with reordered columns and 二〇一九年三月 dates; 社保 PDF
    one row per person masked 4201**********2315."""
    root_name = f"{ag.short}申请材料"
    root = ctx.package_dir(name, as_zip=True, root=root_name)
    doc = new_doc()
    para(doc, f"{ag.name}", bold=True, size=18, align="center")
    para(doc, "申请列入湖北省工业固体废物资源综合利用评价机构推荐名单", bold=True, size=16, align="center")
    para(doc, "申 请 报 告", bold=True, size=22, align="center")
    para(doc, fdate(ag.app, "cn_ymd"), align="center")
    page_break(doc)
    report_into(doc, ag, ag.dfx.get("outline", "renamed"), mode="style", title=False)
    _save_docx(doc, root / "01申请报告" / "申请报告.docx")

    form_xlsx_inline(root / "02附件5申请表" / "附件5 评价机构申请表.xlsx", ag)

    doc = new_doc(landscape=True)
    roster_docx_into(doc, ag, ["序号", "岗位", "姓名", "身份证号", "性别", "是否全职", "职称", "入职时间",
                               "社保缴纳起止时间", "备注"], hire_style="cnnum_ym", ss_style="cnnum_ym", ss_join="至",
                     ft_word="是", size=9.5)
    _save_docx(doc, root / "03人员材料" / "专职人员花名册.docx")
    ss_src = ctx.tmp / f"{name}_ss.docx"
    ss_pdf_simple_docx(ss_src, ag, "m4", print_date=fdate((ag.app[0], ag.app[1] - 1, 28), "cn_ymd"))
    ctx.pdf_from_file(ss_src, root / "03人员材料" / "社保缴纳证明.pdf")
    write_common_attachments(ag, root, {"licence": "05其他材料/营业执照.png",
                                        "contracts_certs_pdf": "03人员材料/劳动合同及职称证书（扫描件）.pdf",
                                        "office": "05其他材料/办公场所不动产权证书.jpg",
                                        "orgchart": "05其他材料/组织架构图.png"})
    doc = new_doc()
    contracts_into(doc, ag, "cn_ymd")
    _save_docx(doc, root / "04业绩证明" / "近三年业绩合同清单.docx")
    doc = new_doc()
    rules_into(doc, ag)
    _save_docx(doc, root / "05其他材料" / "管理制度.docx")
    doc = new_doc()
    declaration_into(doc, ag)
    ctx.pdf(doc, root / "05其他材料" / "真实性声明.pdf")
    pledge_docx(root / "05其他材料" / "人员合规守法承诺书.docx", ag)
    pre = root_name + "/"
    return {"report": pre + "01申请报告/申请报告.docx", "form": pre + "02附件5申请表/附件5 评价机构申请表.xlsx",
            "roster": pre + "03人员材料/专职人员花名册.docx", "ss": pre + "03人员材料/社保缴纳证明.pdf"}


def table_one_six(doc, ag):
    """Six-column 单位基本情况 with label variants (three label/value pairs per row)."""
    v = form_values(ag, "std")
    para(doc, "一、单位基本情况", bold=True, size=14, indent=False)
    rows = [
        ["单位名称", v["单位全称"], "", "", "统一社会信用代码", ag.credit],
        ["注册地址", v["注册地址"], "", "", "成立时间", v["注册时间"]],
        ["注册资本", v["注册资金"], "资产总额", v["资产总额"], "员工人数", v["员工总数"]],
        ["通讯地址", v["通信地址"], "", "", "电子邮箱", v["邮箱"]],
        ["法定代表人", v["法定代表人"], "固定电话", v["电话"], "办公面积", v["工作场所面积"]],
        ["联系人", v["联系人"], "手机号码", v["联系方式"], "", ""],
        ["专业技术人员情况", staff_sentence(ag), "", "", "", ""],
        ["（条件符合性描述）", conformity_text(ag), "", "", "", ""],
        ["市州经济和信息化主管部门意见", "（盖章）  年  月  日", "", "", "", ""],
    ]
    t = table(doc, rows, header_rows=0, size=10, widths=[2.6, 3.4, 2.2, 2.6, 2.6, 3.4])
    for i, r in enumerate(rows):
        for j in (0, 2, 4):
            if r[j]:
                set_cell(t.cell(i, j), r[j], bold=True, size=10)
    for i in (0, 1, 3):
        merge_row(t, i, 1, 3, rows[i][1], size=10, align="left")
    merge_row(t, 5, 3, 5, v["联系方式"], size=10, align="left")
    for i in (6, 7, 8):
        merge_row(t, i, 1, 5, rows[i][1], size=10, align="left")
    return t


def build_E(ctx, name, ag):
    """Folder. Bold plain headings with (1) sub-items; 申请表 docx with a 6-column table one; roster xlsx
    (2019年3月 / 2019.03-至今); 社保 xlsx with full IDs and one column per 险种."""
    root = ctx.package_dir(name)
    doc = new_doc()
    footer_page_numbers(doc.sections[0])
    report_into(doc, ag, ag.dfx.get("outline", "paren"), mode="bold")
    _save_docx(doc, root / "申请报告.docx")
    doc = new_doc()
    cover_into(doc, ag, layout="underline", date_style="cn_ymd")
    table_one_six(doc, ag)
    page_break(doc)
    table_two(doc, ag)
    _save_docx(doc, root / "湖北省工业固体废物资源综合利用评价机构申请表.docx")
    roster_xlsx(root / "专职人员花名册（盖章版）.xlsx", ag,
                ["序号", "姓名", "性别", "身份证号码", "岗位", "入职时间", "社保缴纳起止时间", "是否全职", "备注"],
                hire_style="cn_ym", ss_style="dot_ym0", ss_join="-")
    ss_xlsx_full(root / "社保缴纳明细.xlsx", ag, layout="matrix", print_date=fdate((ag.app[0], ag.app[1], ag.app[2] - 2), "cn_ymd"))
    contracts_xlsx(root / "近三年业绩一览表.xlsx", ag, "slash")
    write_common_attachments(ag, root, {"licence": "证照/营业执照副本.jpg", "certs_dir": "证照/职称证书",
                                        "contracts_pdf": "劳动合同复印件.pdf", "office": "证照/办公用房租赁合同.jpg",
                                        "orgchart": "组织机构图.png"})
    doc = new_doc()
    rules_into(doc, ag)
    _save_docx(doc, root / "管理制度汇编.docx")
    doc = new_doc()
    declaration_into(doc, ag, full_ids=True)
    _save_docx(doc, root / "真实性声明.docx")
    pledge_docx(root / "人员合规守法承诺书.docx", ag)
    return {"report": "申请报告.docx", "form": "湖北省工业固体废物资源综合利用评价机构申请表.docx",
            "roster": "专职人员花名册（盖章版）.xlsx", "ss": "社保缴纳明细.xlsx"}


def build_F(ctx, name, ag):
    """Zip with a root folder. Report with cover, static TOC, header/footer and Word Heading styles; standard
    申请表; roster PDF (2019.03.04); 社保 PDF split over two pages, 续表 without a repeated header."""
    root_name = f"{ag.name}-评价机构申请材料"
    root = ctx.package_dir(name, as_zip=True, root=root_name)
    doc = new_doc()
    para(doc, "")
    para(doc, "湖北省工业固体废物资源综合利用评价机构", bold=True, size=20, align="center")
    para(doc, "申 请 报 告", bold=True, size=26, align="center")
    for _ in range(8):
        para(doc, "")
    para(doc, f"申请单位：{ag.name}（盖章）", size=14, align="center")
    para(doc, f"日    期：{fdate(ag.app, 'cn_ymd')}", size=14, align="center")
    page_break(doc)
    static_toc(doc, [("一、机构基本情况", 1, 1), ("（一）组织架构", 2, 2), ("二、专业从业能力", 3, 1),
                     ("三、业绩情况说明", 4, 1), ("四、服务规划及承诺", 5, 1)])
    page_break(doc)
    sec = doc.sections[0]
    header_text(sec, f"{ag.short}·评价机构申请报告")
    footer_page_numbers(sec, prefix="第 ")
    report_into(doc, ag, ag.dfx.get("outline", "toc_std"), mode="style")
    _save_docx(doc, root / "1.申请报告.docx")

    doc = new_doc()
    cover_into(doc, ag, layout="underline", date_style="cn_ymd")
    table_one_grid(doc, ag, STD_LABELS, "std")
    page_break(doc)
    table_two(doc, ag)
    _save_docx(doc, root / "2.附件5评价机构申请表.docx")

    doc = new_doc(landscape=True)
    roster_docx_into(doc, ag, ["序号", "姓名", "性别", "身份证号", "职称", "岗位", "入职时间", "社保缴纳起止时间", "是否全职"],
                     hire_style="dot_ymd", ss_style="dot_ym0", ss_join="～", ft_word="全职", size=9.5)
    para(doc, f"{ag.name}（盖章）", align="right")
    ctx.pdf(doc, root / "3.专职人员花名册.pdf")
    ss_src = ctx.tmp / f"{name}_ss.docx"
    ss_pdf_docx(ss_src, ag, "m6", SS_KINDS3, split_after=7, repeat_head_on_cont=False, cont_label="续表（接上页）",
                print_date=fdate((ag.app[0], ag.app[1], ag.app[2] - 5), "iso"), status_word="正常缴费")
    ctx.pdf_from_file(ss_src, root / "4.社保缴纳明细（2026年）.pdf")
    contracts_xlsx(root / "5.近三年业绩清单.xlsx", ag, "iso")
    write_common_attachments(ag, root, {"licence": "6.证照及证书/营业执照副本.jpg", "certs_dir": "6.证照及证书/职称证书",
                                        "contracts_pdf": "6.证照及证书/劳动合同.pdf",
                                        "office": "8.办公场所证明/房屋租赁合同及产权证.pdf",
                                        "orgchart": "6.证照及证书/组织架构图.png"})
    doc = new_doc()
    rules_into(doc, ag)
    _save_docx(doc, root / "7.管理制度汇编.docx")
    doc = new_doc()
    declaration_into(doc, ag)
    ctx.pdf(doc, root / "9.真实性声明.pdf")
    pledge_docx(root / "10.人员合规守法承诺书.docx", ag)
    pre = root_name + "/"
    return {"report": pre + "1.申请报告.docx", "form": pre + "2.附件5评价机构申请表.docx",
            "roster": pre + "3.专职人员花名册.pdf", "ss": pre + "4.社保缴纳明细（2026年）.pdf"}


# --------------------------------------------------------------------------------------------
# the packages
# --------------------------------------------------------------------------------------------
def _ag(factory, **dfx):
    ag = finish(factory())
    ag.dfx = dfx
    return ag


def _person_by(ag, name):
    return next(p for p in ag.staff if p.name == name)


def build(out_dir: pathlib.Path) -> list[dict]:
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = Ctx(out_dir)
    man = []

    def add(pkg, clean, variations, expected, notes, allowed=None, zip_=False):
        e = {"package": pkg + (".zip" if zip_ else ""), "form": FORM, "clean": clean, "variations": variations,
             "expected": expected, "notes": notes}
        if allowed:
            e["allowed"] = allowed
        man.append(e)

    # ---------------- A: 湖北楚源 ----------------
    ag = _ag(agency_A)
    f = build_A(ctx, "hba01_楚源环境_评价机构申请材料", ag)
    add("hba01_楚源环境_评价机构申请材料", True,
        ["masked_id", "tbl_header_containment", "lv_label_variants", "lv_blank", "date_formats", "outline_numbering"],
        [], "clean: separate docx/xlsx files; 申请表 with label variants (法人代表, 电子信箱, 联系人手机, 职工总数（人）), "
            "unit-bearing headers, 市州意见 left blank as it should be; roster dates 2019.3 / 2019.03-至今; 社保 xlsx masked "
            "420106********2315 with 末次缴费年月 = last month")

    ag = _ag(agency_A)
    hl = _person_by(ag, "黄丽华")
    ag.dfx = {"mask_override": {"黄丽华": "420111********" + ("0448" if hl.idn[-4:] != "0448" else "1448")},
              "ss_status": {"吴昊": "暂停缴费"}, "ss_last": {"吴昊": "202512"}}
    f = build_A(ctx, "hba02_楚源环境_评价机构申请材料", ag)
    add("hba02_楚源环境_评价机构申请材料", False, ["masked_id", "tbl_header_containment", "date_formats"],
        [{"rule": "ROSTER.NOT_INSURED", "keys": ["黄丽华"], "file": f["roster"], "severity": "error"},
         {"rule": "ROSTER.INSURANCE_NOT_ACTIVE", "keys": ["吴昊"], "file": f["ss"], "severity": "error"}],
        "defective twin of hba01: the 社保 line for 黄丽华 shows 420111********x448, whose visible digits contradict her "
        "roster ID 420106…(so she is not shown insured); 吴昊's 参保状态 is 暂停缴费 (末次缴费 202512)",
        allowed=[{"rule": "ROSTER.NOT_ON_ROSTER", "keys": ["黄丽华"]}, {"rule": "HEADCOUNT.MISMATCH", "keys": []}])

    ag = _ag(agency_A)
    li = _person_by(ag, "李俊杰")
    real_age = age_at(li.birth, ag.app)
    ag.dfx = {"blank": {"法定代表人"}, "age_override": {"李俊杰": real_age + 3}}
    f = build_A(ctx, "hba03_楚源环境_评价机构申请材料", ag)
    add("hba03_楚源环境_评价机构申请材料", False, ["lv_label_variants", "lv_blank", "tbl_header_containment"],
        [{"rule": "FIELD.MISSING", "keys": ["法定代表人"], "file": f["form"], "severity": "error"},
         {"rule": "ROSTER.AGE_MISMATCH", "keys": ["李俊杰"], "file": f["form"], "severity": "error"}],
        f"defective twin of hba01: the 「法人代表」 value of 单位基本情况 is blank; 李俊杰's 年龄（周岁） written {real_age + 3} "
        f"while his ID (born {li.birth}) gives {real_age} at {fdate(ag.app, 'iso')}")

    # ---------------- B: 武汉循环优选 ----------------
    ag = _ag(agency_B)
    f = build_B(ctx, "hba04_循环优选_申请材料", ag)
    add("hba04_循环优选_申请材料", True,
        ["outline_merged", "outline_numbering", "tbl_continued", "masked_id", "date_formats", "num_formats"],
        [], "clean: zip, one compiled docx (第一章…第三章 业绩及服务规划, 申请表 with 1,000-style figures, 花名册 2019-03-01), "
            "社保 PDF 4 rows/person over two pages with 续表 + repeated header, masked 4201**********2315; counts in "
            "Chinese numerals in the prose", zip_=True)

    ag = _ag(agency_B, outline="chapter_merged_no_plan", ss_status={"汪洋": "暂停缴费"}, ss_missing={"沈梦"})
    f = build_B(ctx, "hba05_循环优选_申请材料", ag)
    add("hba05_循环优选_申请材料", False, ["outline_merged", "outline_numbering", "tbl_continued", "masked_id"],
        [{"rule": "OUTLINE.SECTION_MISSING", "keys": ["服务规划"], "file": f["report"], "severity": "warning"},
         {"rule": "ROSTER.INSURANCE_NOT_ACTIVE", "keys": ["汪洋"], "file": f["ss"], "severity": "error"},
         {"rule": "ROSTER.NOT_INSURED", "keys": ["沈梦"], "file": f["roster"], "severity": "error"}],
        "defective twin of hba04: 第三章 merges 业绩 with 荣誉 and there is no 服务规划 at all (附件6 3-point deduction); "
        "on page 2 of the 社保 PDF (续表) 汪洋's four 险种 are 暂停缴费 and 沈梦 has no lines",
        allowed=[{"rule": "HEADCOUNT.MISMATCH", "keys": []}], zip_=True)

    # ---------------- C: 宜昌三峡绿环 ----------------
    ag = _ag(agency_C)
    f = build_C(ctx, "hba06_三峡绿环_申请材料", ag)
    add("hba06_三峡绿环_申请材料", True,
        ["tbl_borderless_pdf", "outline_numbering", "lv_value_below", "date_formats", "masked_id"],
        [], "clean: PDFs via LibreOffice; 申请表 cover and 单位基本情况 with values below labels, 申请时间 二〇二六年六月十二日, "
            "staff list as a borderless three-line table; roster xlsx with real date cells; 社保 xlsx with full (unmasked) IDs")

    ag = _ag(agency_C)
    du = _person_by(ag, "杜娟")
    du_age = age_at(du.birth, ag.app)
    lp = _person_by(ag, "黎鹏")
    good = lp.idn
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    ag.dfx = {"age_override": {"杜娟": du_age + 3}, "bad_id": {"黎鹏": bad}, "blank": {"联系人"}}
    f = build_C(ctx, "hba07_三峡绿环_申请材料", ag)
    add("hba07_三峡绿环_申请材料", False, ["tbl_borderless_pdf", "lv_value_below", "lv_blank", "date_formats", "masked_id"],
        [{"rule": "ROSTER.AGE_MISMATCH", "keys": ["杜娟"], "file": f["form"], "severity": "error"},
         {"rule": "ID.RESIDENT_ID_INVALID", "keys": [bad], "file": f["roster"], "severity": "error"},
         {"rule": "FIELD.MISSING", "keys": ["联系人"], "file": f["form"], "severity": "error"}],
        f"defective twin of hba06: in the borderless staff list 杜娟's age is {du_age + 3} (ID gives {du_age} at "
        f"二〇二六年六月十二日); 黎鹏's ID {bad} has a wrong check digit (same number on roster and full-ID 社保); "
        "the value under 「联系人」 in 单位基本情况 is empty",
        allowed=[{"rule": "ID.RESIDENT_ID_INVALID", "keys": [bad]}])

    # ---------------- D: 襄阳汉江 ----------------
    ag = _ag(agency_D)
    f = build_D(ctx, "hba08_汉江研究院_申请材料", ag)
    add("hba08_汉江研究院_申请材料", True,
        ["outline_renamed", "lv_inline", "num_formats", "tbl_placeholder_rows", "tbl_column_order", "date_formats",
         "masked_id"],
        [], "clean: zip with root folder; report headings renamed (公司概况/技术力量与评价能力/近三年项目业绩/发展规划与服务承诺); "
            "申请表 xlsx with label：value in one cell, 共十名。其中高级职称三名…, 1,200.00万元; staff list with numbered "
            "empty rows and ……; roster docx columns reordered, dates 二〇一九年三月; 社保 PDF masked 4201**********", zip_=True)

    ag = _ag(agency_D, stated=(11, 3, 5, 3), outline="renamed_no_perf")
    zl = _person_by(ag, "周丽")
    zl_mask = "4205**********" + ("0426" if zl.idn[-4:] != "0426" else "0428")
    ag.dfx["mask_override"] = {"周丽": zl_mask}
    f = build_D(ctx, "hba09_汉江研究院_申请材料", ag)
    add("hba09_汉江研究院_申请材料", False,
        ["outline_renamed", "lv_inline", "num_formats", "tbl_placeholder_rows", "tbl_column_order", "masked_id"],
        [{"rule": "HEADCOUNT.MISMATCH", "keys": ["11"], "file": f["form"], "severity": "error"},
         {"rule": "OUTLINE.SECTION_MISSING", "keys": ["业绩说明"], "file": f["report"], "severity": "warning"},
         {"rule": "ROSTER.NOT_INSURED", "keys": ["周丽"], "file": f["roster"], "severity": "error"}],
        "defective twin of hba08: 专业技术人员情况 says 共十一名 (高级三、中级五、初级三) while the list, roster and 社保 "
        "have 10 (the 3 numbered empty rows must not count); the renamed report has no 业绩 chapter; the 社保 line "
        f"for 周丽 shows {zl_mask}, whose visible digits contradict her roster ID {zl.idn} (she is not shown insured)",
        allowed=[{"rule": "ROSTER.NOT_ON_ROSTER", "keys": ["周丽"]}], zip_=True)

    ag = _ag(agency_D)
    extra = P("刘志刚", "男", "420111", "19680110", "博士研究生", "教授", "高级", "环境工程", "固废资源综合利用评价", 30,
              "特聘专家", (2020, 1, 1), (2020, 1), perf="担任评价项目专家审议组组长8项")
    ag.dfx = {"list_extra": [extra], "blank": {"联系人"}}
    f = build_D(ctx, "hba10_汉江研究院_申请材料", ag)
    add("hba10_汉江研究院_申请材料", False, ["lv_inline", "lv_blank", "tbl_placeholder_rows", "tbl_column_order"],
        [{"rule": "ROSTER.NOT_ON_ROSTER", "keys": ["刘志刚"], "file": f["form"], "severity": "error"},
         {"rule": "FIELD.MISSING", "keys": ["联系人"], "file": f["form"], "severity": "error"}],
        "defective twin of hba08: the 附件5 staff list adds 刘志刚 (特聘专家, 武汉某高校教授) who is not on the roster nor "
        "insured (附件5 注：只填写评价机构本单位人员); the inline cell 「联系人：」 of 单位基本情况 is empty",
        allowed=[{"rule": "HEADCOUNT.MISMATCH", "keys": []}], zip_=True)

    # ---------------- E: 荆州长江 ----------------
    ag = _ag(agency_E)
    f = build_E(ctx, "hba11_长江绿色_申请材料", ag)
    add("hba11_长江绿色_申请材料", True,
        ["lv_label_variants", "outline_numbering", "date_formats", "masked_id"],
        [], "clean: folder; bold plain headings with （1）（2） sub-items; 6-column 单位基本情况 (成立时间, 员工人数, 办公面积, "
            "固定电话, 手机号码); roster 2019年3月; 社保 xlsx with full IDs and one column per 险种; declaration lists full IDs")

    ag = _ag(agency_E)
    ag.staff = [p for p in ag.staff if p.name not in ("万琳", "付磊")]
    f = build_E(ctx, "hba12_长江绿色_申请材料", ag)
    add("hba12_长江绿色_申请材料", False, ["lv_label_variants", "outline_numbering"],
        [{"rule": "ELIGIBILITY.STAFF_BELOW_MINIMUM", "keys": ["7"], "severity": "veto"}],
        "variant of hba11 with only 7 full-time staff, consistently everywhere (共7名 = 3+3+1 = list = roster = 社保)")

    ag = _ag(agency_E)
    i = next(k for k, p in enumerate(ag.staff) if p.name == "熊艳")
    ag.staff[i] = P("史国庆", "男", "420502", "19851003", "本科", "高级工程师", "高级", "化学工程", "产品质量评价", 16,
                    "质量负责人", (2017, 9, 4), (2017, 9))
    ag.staff[i].perf = _perf(ag.staff[i])
    f = build_E(ctx, "hba13_长江绿色_申请材料", ag)
    add("hba13_长江绿色_申请材料", False, ["lv_label_variants", "outline_numbering"],
        [{"rule": "ELIGIBILITY.SPECIALTY_MISSING", "keys": ["财会"], "severity": "veto"}],
        "variant of hba11 whose only accountant is replaced by a chemical engineer (史国庆): no staff member's 所学专业 or "
        "从事专业 is 财会类 (环境类 is covered)")

    # ---------------- F: 湖北华中 ----------------
    ag = _ag(agency_F)
    f = build_F(ctx, "hba14_华中评价中心_申请材料", ag)
    add("hba14_华中评价中心_申请材料", True, ["tbl_continued", "masked_id", "date_formats", "lv_blank"],
        [], "clean: zip with root folder; report with cover, static TOC, header/footer; seed-layout 申请表 (市州意见 blank); "
            "roster PDF (2019.03.04, 2019.03～至今); 社保 PDF 3 rows/person split over two pages, 续表（接上页） without "
            "a repeated header, masked 420106********2315; 湖北省经济和信息化厅 among the clients", zip_=True)

    ag = _ag(agency_F, ss_unit="湖北华中环境产业集团有限公司")
    f = build_F(ctx, "hba15_华中评价中心_申请材料", ag)
    add("hba15_华中评价中心_申请材料", False, ["tbl_continued", "masked_id"],
        [{"rule": "ROSTER.INSURER_UNIT_MISMATCH", "keys": ["湖北华中环境产业集团有限公司"], "file": f["ss"], "severity": "error"}],
        "defective twin of hba14: the 社保 statement is issued to the parent group 湖北华中环境产业集团有限公司, not the applicant",
        allowed=[{"rule": "IDENTITY.NAME_MISMATCH", "keys": ["湖北华中环境产业集团有限公司"]}], zip_=True)

    ag = _ag(agency_F)
    extra = P("戴文斌", "男", "420111", "19850311", "高中", "", "", "", "", 0, "司机", (2021, 5, 6), (2021, 5))
    ag.dfx = {"ss_extra": [(extra, "韩雪")], "roster_ss_end": {"江涛": (2025, 12)}, "ss_status": {"江涛": "停保"}}
    f = build_F(ctx, "hba16_华中评价中心_申请材料", ag)
    add("hba16_华中评价中心_申请材料", False, ["tbl_continued", "masked_id", "date_formats"],
        [{"rule": "ROSTER.NOT_ON_ROSTER", "keys": ["戴文斌"], "file": f["ss"], "severity": "error"},
         {"rule": "ROSTER.INSURANCE_NOT_ACTIVE", "keys": ["江涛"], "severity": "error"}],
        "defective twin of hba14: on page 2 (续表, no header) the 社保 PDF lists 戴文斌 (司机) who is not on the roster; "
        "江涛's roster 社保缴纳起止时间 is 2017.03～2025.12 and his 社保 lines say 停保",
        allowed=[{"rule": "HEADCOUNT.MISMATCH", "keys": []}], zip_=True)

    ctx.finish()
    return man


def _self_check():
    for fac in (agency_A, agency_B, agency_C, agency_D, agency_E, agency_F):
        ag = finish(fac())
        assert uscc.is_valid(ag.credit), ag.credit
        for p in ag.staff:
            assert ric.compact(p.idn) and ric.calc_check_digit(p.idn[:17] + "0") == p.idn[-1]
            assert (int(p.idn[16]) % 2 == 1) == (p.sex == "男"), p.name
        cat = categories(ag.staff)
        assert cat["env"] and cat["fin"] and len(ag.staff) >= 8
        assert sum(level_counts(ag.staff)) == len(ag.staff)


if __name__ == "__main__":
    _self_check()
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "hb_agency_out")
    print(json.dumps(build(out), ensure_ascii=False, indent=2))
