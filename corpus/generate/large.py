"""A ~300-page text-PDF hb_evaluation package for the benchmark (not committed, not in the
manifest): the same clean report as the samples, with long narrative sections, a table
about every ten pages, and daily ledgers long enough to run on over several pages."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from corpus.generate import hb_evaluation as hb
from corpus.generate.content import Block, Heading, Num, Para, Table
from corpus.generate.figures import make_hb_figures
from corpus.generate.identities import make_company
from corpus.generate.package import PlannedFile, write_package
from corpus.generate.render_docx import render_docx
from corpus.generate.render_pdf import docx_to_pdf

# A4 portrait, 12 pt 宋体, 2.6 cm margins: about 1,150 characters of running text a page
CHARS_PER_PAGE = 1150
DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

_PHRASES = [
    "评价组对照企业提供的生产日报、计量台账和财务凭证逐项核对",
    "现场核查了原料堆场、生产车间、成品库及计量设施的运行状况",
    "抽查了进厂过磅单与供货合同、结算发票的对应关系",
    "核实了各生产线的设计产能、实际运行天数和设备完好率",
    "查阅了检测机构出具的产品型式检验报告和出厂检验记录",
    "对原料掺量进行了复核，掺量计算方法符合相关标准要求",
    "企业统计人员能够按规定口径填报月度综合利用情况",
    "物料衡算过程中各项数据来源清楚、口径一致、计算正确",
    "企业环境保护设施运行正常，污染物排放满足许可要求",
    "生产过程中产生的废水经沉淀处理后全部回用于生产",
]


def _narrative(rng: random.Random, chars: int) -> list[Block]:
    out: list[Block] = []
    total = 0
    while total < chars:
        sentence = "，".join(rng.sample(_PHRASES, 4)) + "。"
        para = sentence * rng.randint(2, 4)
        out.append(Para(para))
        total += len(para)
    return out


def _ledger(plan: hb.HbPlan, rng: random.Random, waste, month: int) -> list[Block]:
    amount = waste.monthly[month]
    days = DAYS[month]
    weights = [rng.uniform(0.8, 1.2) for _ in range(days)]
    cents = int(amount * 100)
    parts = [int(cents * w / sum(weights)) for w in weights]
    parts[-1] += cents - sum(parts)
    rows: list[list] = [["日期", f"{waste.name}利用量（吨）", "累计利用量（吨）", "记录人"]]
    running = Decimal(0)
    for d, p in enumerate(parts, 1):
        running += Decimal(p) / 100
        rows.append([f"{hb.YEAR}-{month + 1:02d}-{d:02d}", Num(Decimal(p) / 100, 2, True), Num(running, 2, True),
                     plan.company.contact])
    rows.append(["月合计", Num(amount, 2, True), "—", ""])
    return [Para(f"{waste.name}{month + 1}月综合利用计量台账（摘录）", center=True), Table(rows, font_size=10)]


def large_report_blocks(plan: hb.HbPlan, rng: random.Random, pages: int, table_every: int = 10) -> list[Block]:
    base = hb.report_blocks(plan)
    # pages of narrative per top-level section, spread over the seven sections
    per_section = max(1, pages // 7)
    out: list[Block] = []
    ledgers = [(w, m) for m in range(12) for w in plan.figs.wastes]
    li = 0
    section_no = 0
    for b in base:
        if isinstance(b, Heading) and b.level == 1 and section_no:
            out += _filler(plan, rng, per_section, ledgers, li, table_every)
            li += per_section // max(1, table_every) + 1
        if isinstance(b, Heading) and b.level == 1:
            section_no += 1
        out.append(b)
    out += _filler(plan, rng, per_section, ledgers, li, table_every)
    return out


def _filler(plan, rng, pages, ledgers, start, table_every: int = 10) -> list[Block]:
    """`pages` pages of narrative with a monthly ledger (about a page and a half: it runs on with its
    header repeated) every `table_every` pages; table_every=1 puts a table on most pages."""
    out: list[Block] = []
    ledger_pages = 1.5
    narrative_pages = max(0.3, table_every - ledger_pages)
    for k in range(max(1, round(pages / (narrative_pages + ledger_pages)))):
        out += _narrative(rng, int(CHARS_PER_PAGE * narrative_pages))
        w, m = ledgers[(start + k) % len(ledgers)]
        out += _ledger(plan, rng, w, m)
    return out


def make_large_package(out_dir: Path | str, pages: int = 300, seed: int = 7, table_every: int = 10) -> Path:
    """Write a clean hb_evaluation package with a ~`pages`-page text PDF report into
    `out_dir/hb_eval_large/` and return that folder (a ledger table every `table_every` pages)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}:large")
    company = make_company(rng, "湖北省", "钢铁")
    figs = make_hb_figures(rng, "钢铁", hb.YEAR, min_wastes=3)
    v = hb.choose_variants(rng)
    v.update(report_pdf=True, container="folder", nested=False, plain_names=False)
    plan = hb.HbPlan("hb_eval_large", company, hb.AGENCIES[0], figs, v)
    report = render_docx(large_report_blocks(plan, rng, pages, table_every), "评价报告")
    pdf = docx_to_pdf({"report": report}, timeout=1800)["report"]
    files = [f for f in hb.build_files(plan, rng) if f.pdf_from_docx is None]
    files.insert(0, PlannedFile(f"{company.name}工业固废资源综合利用评价报告.pdf", pdf))
    name = write_package(out_dir, plan.pid, files, "folder")
    return out_dir / name
