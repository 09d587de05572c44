"""Figures and text of a 无废园区 / 无废企业 典型案例 (seed 003), drawn from a seeded RNG.

Every displayed figure is rounded first and the derived ones are computed from the rounded
values, as a careful filer's spreadsheet would: 园区总产值 = Σ 产业, 产生量 = Σ 固废, 利用量 =
Σ 固废 (or Σ 方式), 综合利用率 = 利用量 / 产生量, 产生强度 = 产生量(吨) / 工业增加值(万元).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

YEARS = ("2020", "2021", "2022", "2023")
HUNDRED = Decimal(100)

PARK_INDUSTRIES = [("C30 非金属矿物制品业", "建材"), ("C31 黑色金属冶炼和压延加工业", "钢铁"),
                   ("C26 化学原料和化学制品制造业", "化工"), ("C32 有色金属冶炼和压延加工业", "有色"),
                   ("C34 通用设备制造业", "装备制造"), ("C39 计算机、通信和其他电子设备制造业", "电子信息"),
                   ("D44 电力、热力生产和供应业", "热电")]
PARK_WASTES = ["粉煤灰", "炉渣", "脱硫石膏", "冶炼废渣", "磷石膏", "废包装材料", "污泥"]
ENT_WASTES = ["钢渣", "高炉渣", "含铁尘泥", "废耐火材料", "氧化铁皮"]
ENT_USES = ["厂内回用", "制备建材产品", "外售综合利用", "协同处置"]
ENT_PRODUCTS = ["螺纹钢", "线材", "热轧板卷"]
PARK_NAMES = ["经济技术开发区", "高新技术产业开发区", "循环经济产业园", "化工园区", "工业园区"]


def r(value: Decimal, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass
class Series:
    name: str
    values: dict[str, Decimal]  # year -> value in the displayed unit, rounded


@dataclass
class CaseFigures:
    kind: str  # park | enterprise
    industries: list[Series] = field(default_factory=list)  # park: 产业 (万元)
    value_added: dict[str, Decimal] = field(default_factory=dict)  # 万元
    output: dict[str, Decimal] = field(default_factory=dict)  # enterprise 产值 (万元)
    sales: dict[str, Decimal] = field(default_factory=dict)
    products: list[Series] = field(default_factory=list)  # enterprise 产品 (万吨)
    wastes: list[Series] = field(default_factory=list)  # 产生量 (万吨)
    uses: list[Series] = field(default_factory=list)  # 利用量 by waste (park) or by 方式 (enterprise), 万吨

    def total(self, series: list[Series], y: str) -> Decimal:
        return sum((s.values[y] for s in series), Decimal(0))

    def generated(self, y: str) -> Decimal:
        return self.total(self.wastes, y)

    def utilized(self, y: str) -> Decimal:
        return self.total(self.uses, y)

    def rate(self, y: str) -> Decimal:
        return r(self.utilized(y) / self.generated(y) * HUNDRED, 1)

    def intensity(self, y: str) -> Decimal:
        """吨 / 万元 from the displayed 万吨 and 万元."""
        return r(self.generated(y) * 10000 / self.value_added[y], 3)

    def production(self, y: str) -> Decimal:
        return self.total(self.products, y)


def _grow(rng: random.Random, base: Decimal, growth: tuple[float, float], places: int) -> dict[str, Decimal]:
    out, v = {}, base
    for y in YEARS:
        out[y] = r(v, places)
        v = v * Decimal(str(1 + rng.uniform(*growth)))
    return out


def make_figures(rng: random.Random, kind: str, rate_2020: float, rate_2023: float, decline: float) -> CaseFigures:
    """`decline`: the wanted fall of 产生强度 (park) or 单位产品产生量 (enterprise) 2020 -> 2023."""
    f = CaseFigures(kind=kind)
    n_w = rng.choice([3, 4])
    if kind == "park":
        picks = rng.sample(PARK_INDUSTRIES, rng.choice([3, 4, 5]))
        for code, _ in picks:
            f.industries.append(Series(code, _grow(rng, Decimal(rng.randint(150000, 900000)), (0.04, 0.12), 0)))
        for y in YEARS:
            f.value_added[y] = r(f.total(f.industries, y) * Decimal(str(rng.uniform(0.22, 0.28))), 0)
        names = rng.sample(PARK_WASTES, n_w)
    else:
        names = rng.sample(ENT_WASTES, n_w)
        for p in rng.sample(ENT_PRODUCTS, 2):
            f.products.append(Series(p, _grow(rng, Decimal(rng.randint(120, 420)), (0.01, 0.06), 2)))
        for y in YEARS:
            f.output[y] = r(f.production(y) * Decimal(str(rng.uniform(3800, 4300))), 0)
            f.sales[y] = r(f.output[y] * Decimal(str(rng.uniform(0.93, 0.99))), 0)
            f.value_added[y] = r(f.output[y] * Decimal(str(rng.uniform(0.18, 0.22))), 0)
    # generated amounts: the intensity falls by `decline` over the three years
    base_i = Decimal(str(rng.uniform(0.8, 1.6))) if kind == "park" else Decimal(str(rng.uniform(0.25, 0.4)))
    shares = [Decimal(str(rng.uniform(0.5, 1.5))) for _ in names]
    tot_share = sum(shares)
    denom = f.value_added if kind == "park" else {y: f.production(y) * 10000 for y in YEARS}
    for k, name in enumerate(names):
        vals = {}
        for i, y in enumerate(YEARS):
            factor = Decimal(1) - Decimal(str(decline)) * Decimal(i) / Decimal(3)
            amount_t = base_i * factor * denom[y] * shares[k] / tot_share  # 吨
            if kind == "enterprise":
                amount_t = amount_t / Decimal(1)  # 吨 per 吨 product share
            vals[y] = r(amount_t / 10000, 2)
        f.wastes.append(Series(name, vals))
    # utilisation: the rate moves linearly from rate_2020 to rate_2023
    rates = {y: Decimal(str(rate_2020 + (rate_2023 - rate_2020) * i / 3)) / HUNDRED for i, y in enumerate(YEARS)}
    if kind == "park":
        for s in f.wastes:
            f.uses.append(Series(s.name, {y: r(s.values[y] * rates[y], 2) for y in YEARS}))
    else:
        uses = rng.sample(ENT_USES, 3)
        for y in YEARS:
            total = f.generated(y) * rates[y]
            parts = [Decimal("0.5"), Decimal("0.3")]
            vals = [r(total * p, 2) for p in parts]
            vals.append(r(total, 2) - sum(vals))
            for k, u in enumerate(uses):
                if len(f.uses) <= k:
                    f.uses.append(Series(u, {}))
                f.uses[k].values[y] = vals[k]
    return f


# ---------------------------------------------------------------- text

_PRACTICES = [
    "{u}坚持“源头减量、过程控制、末端利用”的思路，把工业固废管理纳入{p}年度重点工作，建立了主要负责人牵头、职能部门分工负责的工作机制，逐级签订目标责任书，形成了层层抓落实的工作格局。",
    "围绕{w}等大宗工业固废，{u}编制了工业固废分类收集、贮存和利用的管理制度，明确产生、转移、贮存、利用各环节的责任主体和操作要求，定期开展专项检查，发现问题立即整改。",
    "在技术改造方面，{u}累计实施固废减量化和资源化项目多项，重点推广高效分选、低温烘干、协同制备等成熟工艺，使{w}由过去的外运填埋转变为就地就近资源化利用。",
    "{u}建设了工业固体废物管理信息化平台，对固废的种类、数量、流向、贮存、利用、处置等信息实行电子台账管理，数据按月汇总、按季分析，能够实现全过程可追溯、可查询。",
    "通过推动上下游企业之间的协同利用，{u}把一家企业的副产物作为另一家企业的原料，形成了“固废—建材—市场”的循环链条，减少了固废跨区域转移带来的环境风险和运输成本。",
    "{u}注重标准引领，参与制定了多项固废综合利用产品的团体标准和企业标准，对再生产品实行批批检测，确保产品质量稳定可靠，提高了下游用户对再生产品的认可度。",
    "在管理模式上，{u}引入第三方专业机构开展固废全过程管理评估，每年形成评估报告并向社会公开，接受政府部门和公众监督，持续提升固废管理的规范化、精细化水平。",
    "为解决贮存设施不足的问题，{u}新建了标准化固废贮存库，配套防渗、防雨、防扬散设施，设置规范的标识标牌，贮存场所全部纳入视频监控，杜绝了露天堆放和随意倾倒。",
]
_RESULTS = [
    "通过上述措施，{u}工业固废综合利用水平明显提升，{y1}年工业固废综合利用率达到{rate}%，大宗工业固废基本实现“零填埋”。",
    "{u}固废减量成效显著，单位产品固废产生量持续下降，资源利用效率稳步提高，为企业降本增效和区域生态环境质量改善作出了积极贡献。",
    "再生产品年销售规模不断扩大，带动了相关配套产业发展，新增就业岗位数百个，取得了良好的经济效益、社会效益和环境效益。",
    "固废信息化平台运行以来，台账数据与实际产生利用情况吻合，各类固废去向清楚、责任明确，历次环保检查均未发现固废管理方面的问题。",
    "在固废处置费用方面，由于大部分固废实现了就地利用，外委处置量大幅减少，每年节约处置费用和运输费用数千万元，企业和园区的积极性进一步提高。",
]
_INNOVATION = [
    "一是管理机制创新。{u}把固废管理指标纳入绩效考核体系，实行月调度、季通报、年考核，形成了常态化的推进机制。",
    "二是技术路线创新。针对{w}成分复杂、波动大的特点，{u}联合高校和科研院所开展攻关，形成了分质分级利用的技术路线，拓宽了利用途径。",
    "三是协同模式创新。{u}打通了企业之间、产业之间的物料循环通道，实现固废在区域内的闭环利用，探索出一条可复制的协同利用路径。",
    "四是数字赋能创新。依托信息化平台，{u}实现了固废产生、贮存、转移、利用的全过程数字化监管，为科学决策提供了数据支撑。",
]
_PROMOTION = [
    "本案例适用于以{w}为主要工业固废的同类{k}，推广应用需要具备一定的产业集聚基础、稳定的固废来源和相对完善的利用设施。",
    "其他{k}在借鉴本模式时，应结合自身产业结构和固废特性，先行开展固废产生和利用情况调查，因地制宜选择利用技术和管理模式，稳步推进无废建设。",
    "同时，应注重发挥政府部门的引导作用，完善再生产品推广应用政策，畅通再生产品市场渠道，为模式的推广应用创造良好的外部条件。",
]
_SELF = [
    "{u}{est}，{hist}。",
    "{u}先后获得省级绿色{k2}、资源综合利用示范{k2}等荣誉称号，多次在全省工业固废资源化利用工作中作典型发言。",
    "{u}生产经营总体情况良好，{y1}年实现{out}，主要经济指标保持平稳增长，在同行业中处于领先水平。",
    "{u}高度重视信息化建设，建成的固体废物管理信息化平台与生态环境部门系统实现数据对接，固废的种类、数量、流向等信息详实准确。",
    "下一步，{u}将继续深化无废建设，推动工业固废资源化利用向高值化、规模化方向发展，努力打造全国一流的无废{k}。",
]


def _fill(templates: list[str], target: int, rng: random.Random, **kw) -> list[str]:
    """Paragraphs from `templates` (cycled) until about `target` characters."""
    out, n, i = [], 0, 0
    order = list(templates)
    rng.shuffle(order)
    while n < target:
        s = order[i % len(order)].format(**kw)
        out.append(s)
        n += len(s)
        i += 1
        if i >= 8 * len(order):
            break
    return out


def body_sections(rng: random.Random, unit: str, wastes: list[str], kind_word: str, rate_2023: Decimal,
                  target_chars: int = 3000) -> list[tuple[str, list[str]]]:
    """(section title, paragraphs) of the 正文: 主要做法, 取得的成效, 创新点, 推广应用的条件."""
    w = "、".join(wastes[:2])
    per = target_chars // 4
    kw = dict(u=unit, p=unit, w=w, k=kind_word, y1="2023", rate=f"{rate_2023:.1f}")
    return [
        ("主要做法", _fill(_PRACTICES, int(per * 1.4), rng, **kw)),
        ("取得的成效", _fill(_RESULTS, int(per * 0.9), rng, **kw)),
        ("创新点", _fill(_INNOVATION, int(per * 0.9), rng, **kw)),
        ("推广应用的条件", _fill(_PROMOTION, int(per * 0.8), rng, **kw)),
    ]


def self_statement(rng: random.Random, unit: str, kind_word: str, established: str, history: str,
                   output_text: str, target_chars: int = 600) -> list[str]:
    kw = dict(u=unit, k=kind_word, k2=("园区" if kind_word == "园区" else "工厂"), est=established, hist=history,
              y1="2023", out=output_text)
    first = _SELF[0].format(**kw)
    rest = _fill(_SELF[1:], max(0, target_chars - len(first)), rng, **kw)
    return [first] + rest
