"""Internally consistent figures for one enterprise.

Every reported number is derived here from exact values, so that in a clean package
totals are sums of their items, rates are ratios of the figures shown, change columns
follow from the two years, and material balances close.  Defects are planted later by
overriding one view of a figure, never by changing the model behind the others.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from corpus.generate.content import round_to

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10000)


def _cents(rng: random.Random, lo: int, hi: int) -> Decimal:
    """A tonnage between lo and hi tonnes with two decimals."""
    return Decimal(rng.randint(lo * 100, hi * 100)) / 100


def split_monthly(rng: random.Random, total: Decimal) -> list[Decimal]:
    """Twelve monthly amounts (2 decimals) that sum exactly to `total`; February and the
    Spring-Festival month run lower, as plants shut down."""
    weights = [rng.uniform(0.85, 1.15) for _ in range(12)]
    weights[1] *= 0.7
    weights[0] *= 0.9
    s = sum(weights)
    cents = int(total * 100)
    parts = [int(cents * w / s) for w in weights]
    parts[11] += cents - sum(parts)
    return [Decimal(p) / 100 for p in parts]


# ---------------------------------------------------------------- hb_evaluation (湖北)


@dataclass(frozen=True)
class HbWasteKind:
    name: str
    product: str
    product_unit: str  # unit of the product's output as written in cells
    output_per_tonne: Decimal  # product units per tonne of waste used
    price_yuan: Decimal  # 元 per product unit
    source: str  # where received waste comes from, or how own waste arises


# industry word of the company name -> waste kinds it uses (all with distinct canonical types)
HB_PROFILES: dict[str, list[tuple[HbWasteKind, str]]] = {
    "新型建材": [
        (HbWasteKind("粉煤灰", "蒸压粉煤灰砖", "万块", Decimal("0.055"), Decimal("3300"), "周边燃煤电厂"), "received"),
        (HbWasteKind("脱硫石膏", "加气混凝土砌块", "立方米", Decimal("1.9"), Decimal("265"), "热电厂烟气脱硫系统"), "received"),
        (HbWasteKind("尾矿", "机制砂", "吨", Decimal("0.92"), Decimal("48"), "周边铁矿选矿厂"), "received"),
    ],
    "水泥": [
        (HbWasteKind("钢渣", "矿渣微粉", "吨", Decimal("0.95"), Decimal("210"), "周边钢铁企业"), "received"),
        (HbWasteKind("脱硫石膏", "水泥（缓凝剂掺用）", "吨", Decimal("22"), Decimal("330"), "电厂烟气脱硫系统"), "received"),
        (HbWasteKind("煤矸石", "水泥熟料", "吨", Decimal("4.5"), Decimal("280"), "周边煤矿"), "received"),
    ],
    "磷化工": [
        (HbWasteKind("磷石膏", "建筑石膏粉", "吨", Decimal("0.78"), Decimal("160"), "本公司湿法磷酸装置"), "self"),
        (HbWasteKind("粉煤灰", "石膏砌块", "立方米", Decimal("1.4"), Decimal("300"), "周边燃煤电厂"), "received"),
        (HbWasteKind("尾矿", "充填料", "吨", Decimal("1.1"), Decimal("35"), "本公司磷矿选矿厂"), "self"),
    ],
    "热电": [
        (HbWasteKind("粉煤灰", "商品粉煤灰", "吨", Decimal("1"), Decimal("95"), "本公司燃煤锅炉"), "self"),
        (HbWasteKind("脱硫石膏", "脱硫石膏粉", "吨", Decimal("0.98"), Decimal("60"), "本公司烟气脱硫系统"), "self"),
    ],
    "钢铁": [
        (HbWasteKind("高炉水渣", "矿渣微粉", "吨", Decimal("0.96"), Decimal("215"), "本公司炼铁高炉"), "self"),
        (HbWasteKind("脱硫石膏", "建筑石膏粉", "吨", Decimal("0.8"), Decimal("150"), "本公司烧结烟气脱硫"), "self"),
        (HbWasteKind("尾矿", "机制砂", "吨", Decimal("0.9"), Decimal("50"), "周边铁矿选矿厂"), "received"),
    ],
}


@dataclass
class HbWaste:
    kind: HbWasteKind
    generated: Decimal  # 吨; 0 when only received
    received: Decimal
    utilized: Decimal
    disposed: Decimal
    stock_open: Decimal
    stock_close: Decimal
    monthly: list[Decimal]
    product_output: Decimal  # in kind.product_unit
    product_value_wan: Decimal  # 万元, 2 decimals

    @property
    def name(self) -> str:
        return self.kind.name

    @property
    def self_generated(self) -> bool:
        return self.generated > 0

    def rate(self) -> Decimal | None:
        """综合利用率 of 附件3: 综合利用量 / 产生量 × 100, None for received-only waste."""
        if self.generated <= 0:
            return None
        return self.utilized / self.generated * HUNDRED


@dataclass
class HbFigures:
    year: int
    wastes: list[HbWaste]
    profit_wan: Decimal
    tax_paid_wan: Decimal
    tax_relief_vat_wan: Decimal
    tax_relief_cit_wan: Decimal

    @property
    def output_value_wan(self) -> Decimal:
        return sum((w.product_value_wan for w in self.wastes), Decimal(0))

    @property
    def total_utilized(self) -> Decimal:
        return sum((w.utilized for w in self.wastes), Decimal(0))

    def waste(self, name: str) -> HbWaste:
        return next(w for w in self.wastes if w.name == name)


def make_hb_waste(rng: random.Random, kind: HbWasteKind, mode: str) -> HbWaste:
    """mode: 'self' (own waste, 利用量 < 产生量), 'received' (产生量 0),
    'over' (own waste plus received, 利用量 about 108.5 % of 产生量)."""
    stock_open = _cents(rng, 300, 6000)
    if mode == "received":
        generated = Decimal(0)
        received = _cents(rng, 40000, 260000)
        utilized = round_to(received * Decimal(rng.uniform(0.93, 0.995)), 2)
        disposed = Decimal(0)
    elif mode == "over":
        generated = _cents(rng, 60000, 300000)
        utilized = round_to(generated * Decimal("1.085"), 2)
        received = round_to((utilized - generated) * Decimal("1.2"), 2)
        disposed = Decimal(0)
    else:
        generated = _cents(rng, 60000, 480000)
        utilized = round_to(generated * Decimal(rng.uniform(0.86, 0.992)), 2)
        received = Decimal(0)
        disposed = round_to((generated - utilized) * Decimal(rng.uniform(0.2, 0.6)), 2)
    stock_close = stock_open + generated + received - utilized - disposed
    output = round_to(utilized * kind.output_per_tonne * Decimal(rng.uniform(0.97, 1.03)), 0)
    value = round_to(output * kind.price_yuan / TEN_THOUSAND, 2)
    return HbWaste(
        kind=kind,
        generated=generated,
        received=received,
        utilized=utilized,
        disposed=disposed,
        stock_open=stock_open,
        stock_close=stock_close,
        monthly=split_monthly(rng, utilized),
        product_output=output,
        product_value_wan=value,
    )


def make_hb_figures(
    rng: random.Random,
    industry: str,
    year: int,
    need_self: int = 0,
    need_received: int = 0,
    need_over: bool = False,
    min_wastes: int = 2,
) -> HbFigures:
    """Pick 2–3 of the profile's waste kinds meeting the planted defects' needs: own wastes
    (`need_self`, one of them turned into 'over' when `need_over`), received-only wastes."""
    profile = HB_PROFILES[industry]
    want_self = need_self + (1 if need_over else 0)
    for _ in range(200):
        n = min(len(profile), max(min_wastes, rng.choice([2, 2, 3])))
        chosen = rng.sample(profile, n)
        modes = [m for _, m in chosen]
        if modes.count("self") >= want_self and modes.count("received") >= need_received:
            break
    else:
        raise ValueError(f"profile {industry} cannot meet self={want_self} received={need_received}")
    if need_over:
        modes[modes.index("self")] = "over"
    wastes = [make_hb_waste(rng, k, m) for (k, _), m in zip(chosen, modes)]
    value = sum((w.product_value_wan for w in wastes), Decimal(0))
    return HbFigures(
        year=year,
        wastes=wastes,
        profit_wan=round_to(value * Decimal(rng.uniform(0.06, 0.16)), 2),
        tax_paid_wan=round_to(value * Decimal(rng.uniform(0.04, 0.08)), 2),
        tax_relief_vat_wan=round_to(value * Decimal(rng.uniform(0.02, 0.05)), 2),
        tax_relief_cit_wan=round_to(value * Decimal(rng.uniform(0.005, 0.015)), 2),
    )


def profile_supports(industry: str, need_self: int, need_received: int, need_over: bool, min_wastes: int) -> bool:
    modes = [m for _, m in HB_PROFILES[industry]]
    return (modes.count("self") >= need_self + (1 if need_over else 0)
            and modes.count("received") >= need_received and len(modes) >= min_wastes)


# ---------------------------------------------------------------- hn_benchmark (湖南)


@dataclass(frozen=True)
class HnResource:
    name: str
    category: str  # waste_types.yaml category
    lo: float  # 万吨 range of the main kind's 上年度 utilisation in a clean package
    hi: float


@dataclass(frozen=True)
class HnProduct:
    name: str
    unit: str  # 万吨, 万立方米, 万平方米
    per_wan_tonne: Decimal  # product units per 万吨 of resource
    price_wan: Decimal  # 万元 per product unit


HN_PROFILES: dict[str, tuple[list[HnResource], list[HnProduct]]] = {
    "新型建材": (
        [HnResource("粉煤灰", "bulk", 12, 30), HnResource("脱硫石膏", "bulk", 3, 8), HnResource("煤矸石", "bulk", 2, 6)],
        [HnProduct("蒸压加气混凝土砌块", "万立方米", Decimal("1.6"), Decimal("260")),
         HnProduct("纸面石膏板", "万平方米", Decimal("60"), Decimal("7.5"))],
    ),
    "冶金渣": (
        [HnResource("钢渣", "bulk", 15, 40), HnResource("高炉水渣", "bulk", 8, 20)],
        [HnProduct("矿渣微粉", "万吨", Decimal("0.95"), Decimal("220")),
         HnProduct("钢渣微粉", "万吨", Decimal("0.9"), Decimal("180"))],
    ),
    "资源再生": (
        [HnResource("废钢铁", "scrap_steel", 12, 45)],
        [HnProduct("再生钢坯", "万吨", Decimal("0.88"), Decimal("3100"))],
    ),
    "新能源材料": (
        [HnResource("废旧锂离子电池", "precious_battery", 1.3, 4.5)],
        [HnProduct("三元前驱体", "万吨", Decimal("0.42"), Decimal("82000")),
         HnProduct("碳酸锂", "万吨", Decimal("0.035"), Decimal("92000"))],
    ),
    "有色金属": (
        [HnResource("废杂铜", "nonferrous", 6, 15), HnResource("废铝", "nonferrous", 1, 3)],
        [HnProduct("再生铜杆", "万吨", Decimal("0.93"), Decimal("56000")),
         HnProduct("再生铝锭", "万吨", Decimal("0.9"), Decimal("17000"))],
    ),
    "矿业": (
        [HnResource("尾矿", "bulk", 20, 60), HnResource("废石", "bulk", 5, 15)],
        [HnProduct("机制砂", "万吨", Decimal("0.92"), Decimal("55")),
         HnProduct("尾矿充填料", "万吨", Decimal("1.05"), Decimal("30"))],
    ),
}

# 第三条 lists industrial resources only; these profiles are for the out-of-scope defect
HN_OUT_OF_SCOPE = (
    [HnResource("餐厨垃圾", "out_of_scope", 12, 25), HnResource("市政污泥", "out_of_scope", 3, 8)],
    [HnProduct("工业级混合油", "万吨", Decimal("0.03"), Decimal("6500")),
     HnProduct("有机肥", "万吨", Decimal("0.35"), Decimal("900"))],
)

THRESHOLD_WAN = {"bulk": 10, "nonferrous": 5, "precious_battery": 1, "scrap_steel": 10, "other": 2}


@dataclass
class HnKind:
    name: str
    category: str
    prev: Decimal  # 万吨, 2 decimals
    cur: Decimal


@dataclass
class HnProductFig:
    name: str
    unit: str
    output_prev: Decimal
    output_cur: Decimal
    value_prev: Decimal  # 万元
    value_cur: Decimal


@dataclass
class HnFigures:
    prev_year: int
    cur_year: int
    sales_prev: Decimal  # 万元
    sales_cur: Decimal
    product_sales_prev: Decimal
    product_sales_cur: Decimal
    profit_prev: Decimal
    profit_cur: Decimal
    tax_prev: Decimal
    tax_cur: Decimal
    sales_before: Decimal  # the year before 前一年度, for 近三年 narrative
    kinds: list[HnKind]
    products: list[HnProductFig]
    supply_prev: Decimal  # 资源产生（含接收）总量, 万吨
    supply_cur: Decimal
    patents_prev: int
    patents_cur: int
    standards_prev: dict[str, int]
    standards_cur: dict[str, int]
    systems: str  # 已通过… 认证
    staff_prev: int
    staff_cur: int
    tech_staff_cur: int

    @property
    def total_prev(self) -> Decimal:
        return sum((k.prev for k in self.kinds), Decimal(0))

    @property
    def total_cur(self) -> Decimal:
        return sum((k.cur for k in self.kinds), Decimal(0))

    @property
    def value_prev(self) -> Decimal:
        return sum((p.value_prev for p in self.products), Decimal(0))

    @property
    def value_cur(self) -> Decimal:
        return sum((p.value_cur for p in self.products), Decimal(0))

    @property
    def main(self) -> HnKind:
        return max(self.kinds, key=lambda k: k.cur)


def rate_of(total: Decimal, supply: Decimal, places: int = 1) -> Decimal:
    return round_to(total / supply * HUNDRED, places)


def make_hn_figures(
    rng: random.Random,
    industry: str,
    prev_year: int,
    below_threshold: bool = False,
    out_of_scope: bool = False,
) -> HnFigures:
    resources, products = HN_OUT_OF_SCOPE if out_of_scope else HN_PROFILES[industry]
    n = len(resources) if len(resources) <= 2 else rng.choice([2, 3])
    chosen = resources[:n]
    kinds: list[HnKind] = []
    for i, r in enumerate(chosen):
        cur = round_to(Decimal(rng.uniform(r.lo, r.hi)), 2)
        if below_threshold:
            # every category stays under its 第七条 line, so no reading of "main category" passes
            limit = THRESHOLD_WAN[r.category]
            cur = round_to(Decimal(limit) * Decimal(rng.uniform(0.55, 0.8)) / (i + 1), 2)
        prev = round_to(cur / Decimal(rng.uniform(0.92, 1.18)), 2)
        kinds.append(HnKind(r.name, r.category, prev, cur))
    if below_threshold and len(kinds) > 1:
        # the category sum must stay below the line as well
        limit = Decimal(THRESHOLD_WAN[kinds[0].category])
        while sum(k.cur for k in kinds) >= limit * Decimal("0.95"):
            kinds[-1].cur = round_to(kinds[-1].cur / 2, 2)
    total_cur = sum(k.cur for k in kinds)
    total_prev = sum(k.prev for k in kinds)
    ratio = total_cur / total_prev
    prods: list[HnProductFig] = []
    share = [Decimal("0.7"), Decimal("0.3")]
    for p, s in zip(products, share):
        out_cur = round_to(total_cur * s * p.per_wan_tonne, 2)
        out_prev = round_to(total_prev * s * p.per_wan_tonne * Decimal(rng.uniform(0.97, 1.03)), 2)
        val_cur = round_to(out_cur * p.price_wan * Decimal(rng.uniform(0.95, 1.05)), 2)
        val_prev = round_to(out_prev * p.price_wan * Decimal(rng.uniform(0.93, 1.05)), 2)
        prods.append(HnProductFig(p.name, p.unit, out_prev, out_cur, val_prev, val_cur))
    value_cur = sum(p.value_cur for p in prods)
    value_prev = sum(p.value_prev for p in prods)
    sales_cur = round_to(value_cur * Decimal(rng.uniform(1.05, 1.35)), 2)
    sales_prev = round_to(sales_cur / ratio * Decimal(rng.uniform(0.95, 1.05)), 2)
    supply_cur = round_to(total_cur / Decimal(rng.uniform(0.88, 0.995)), 2)
    supply_prev = round_to(total_prev / Decimal(rng.uniform(0.86, 0.99)), 2)
    patents_prev = rng.randint(3, 18)
    std_prev = {"国家标准": rng.randint(0, 1), "行业标准": rng.randint(0, 2), "团体标准": rng.randint(0, 2), "企业标准": rng.randint(1, 4)}
    std_cur = dict(std_prev)
    std_cur["企业标准"] += rng.randint(0, 2)
    std_cur["团体标准"] += rng.randint(0, 1)
    systems = rng.choice([
        "已通过ISO9001/14001/45001/50001认证",
        "已建立质量、环境、职业健康安全管理体系并通过认证，能源管理体系通过认证",
        "已通过ISO9001、ISO14001、ISO45001认证",
    ])
    staff_prev = rng.randint(180, 900)
    staff_cur = staff_prev + rng.randint(-20, 40)
    return HnFigures(
        prev_year=prev_year,
        cur_year=prev_year + 1,
        sales_prev=sales_prev,
        sales_cur=sales_cur,
        product_sales_prev=round_to(value_prev * Decimal(rng.uniform(0.9, 0.98)), 2),
        product_sales_cur=round_to(value_cur * Decimal(rng.uniform(0.9, 0.98)), 2),
        profit_prev=round_to(sales_prev * Decimal(rng.uniform(0.05, 0.12)), 2),
        profit_cur=round_to(sales_cur * Decimal(rng.uniform(0.05, 0.12)), 2),
        tax_prev=round_to(sales_prev * Decimal(rng.uniform(0.03, 0.07)), 2),
        tax_cur=round_to(sales_cur * Decimal(rng.uniform(0.03, 0.07)), 2),
        sales_before=round_to(sales_prev * Decimal(rng.uniform(0.85, 1.05)), 2),
        kinds=kinds,
        products=prods,
        supply_prev=supply_prev,
        supply_cur=supply_cur,
        patents_prev=patents_prev,
        patents_cur=patents_prev + rng.randint(1, 6),
        standards_prev=std_prev,
        standards_cur=std_cur,
        systems=systems,
        staff_prev=staff_prev,
        staff_cur=staff_cur,
        tech_staff_cur=int(staff_cur * rng.uniform(0.12, 0.25)),
    )


def pct_change(prev: Decimal, cur: Decimal, places: int = 1) -> Decimal:
    return round_to((cur - prev) / prev * HUNDRED, places)


@dataclass
class Overrides:
    """Views of a figure that a planted defect changes, keyed by what they show."""

    values: dict[str, object] = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.values.get(key, default)

    def set(self, key: str, value) -> None:
        self.values[key] = value

    def __contains__(self, key: str) -> bool:
        return key in self.values
