"""Benchmark: `shencha check` end to end against bare pdfplumber, and on the bundled samples.

    python bench/bench.py [--pages 100,300,1000] [--table-every 1] [--samples]

Prints figures only (no asserts): for text-PDF packages of about 100, 300 and 1,000 pages with
a table on most pages (built once and cached in bench/.cache/), the wall time with process
start, pages/s and peak memory of `shencha check`, the same for a bare pdfplumber pass
(extract_text + extract_tables on every page), their ratio, and PASS/MISS against the targets
(≥ 200 pages/s, ≤ 0.1 × pdfplumber's time, peak memory flat in the page count).  With --samples, also times every sample package
of corpus/manifest.json.

Each run is a separate process, measured with os.wait4: its rusage is that child's own, so
peak memory (ru_maxrss) is not mixed up with earlier children as RUSAGE_CHILDREN would be.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(REPO))

from service.review.progress import pad  # noqa: E402
CACHE = REPO / "bench" / ".cache"

TARGET_RATIO = 0.1  # shencha time ≤ 0.1 × pdfplumber time (issue 7: "about a tenth")
TARGET_PAGES_PER_S = 200.0
TARGET_PEAK_MB = 500.0
FLAT_PEAK_RATIO = 1.25

PDFPLUMBER_BASELINE = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
        page.extract_tables()
"""


@dataclass
class Run:
    seconds: float
    peak_mb: float
    exit_code: int
    stderr: str


def measure(cmd: list[str]) -> Run:
    """Wall time (process start included) and the child's own peak RSS."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace").strip()
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, stderr)  # ru_maxrss is in KiB on Linux


def shencha_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "service.cli", "check", *args, "--quiet"]


def pdf_pages(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def package_pdfs(package: Path) -> list[Path]:
    return [package] if package.is_file() else sorted(package.rglob("*.pdf"))


# ---------------------------------------------------------------- the large package


def large_package(pages: int, table_every: int = 10) -> Path:
    """A ~`pages`-page text-PDF package, built once per page count and generator and reused
    from the cache (a package from the fallback is rebuilt once the corpus generator exists)."""
    try:
        from corpus.generate.large import make_large_package
    except ImportError:
        make_large_package = None
    generator = "corpus.generate.large" if make_large_package else "bench-fallback"
    target = CACHE / (f"large-{pages}" if table_every == 10 else f"large-{pages}-t{table_every}")
    marker = target / ".built.json"
    if marker.exists():
        built = json.loads(marker.read_text(encoding="utf-8"))
        if built.get("generator") == generator and Path(built["path"]).exists():
            return Path(built["path"])
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    if make_large_package is None:
        print("（corpus.generate.large 不可用，改用 bench 自带的生成方法）", flush=True)
        package = make_fallback_package(target, pages)
    else:
        package = Path(make_large_package(target, pages=pages, table_every=table_every))
    marker.write_text(json.dumps({"path": str(package), "generator": generator}, ensure_ascii=False), encoding="utf-8")
    return package


NARRATIVE = [
    "公司坚持绿色发展理念，持续推进工业固体废物源头减量和资源化利用，建立健全固体废物管理台账。",
    "报告期内，粉煤灰、炉渣、脱硫石膏等大宗工业固体废物均按照相关标准进行分类贮存和综合利用。",
    "企业设立环境保护管理部门，配备专职管理人员，制定固体废物污染环境防治责任制度并严格执行。",
    "综合利用产品质量符合国家和行业标准要求，产品主要销往省内建材企业，市场需求稳定。",
    "公司采用先进适用的综合利用工艺技术和装备，主要设备运行稳定，能耗和排放指标达到行业先进水平。",
    "本年度共投入技术改造资金{money}万元，新增综合利用能力{cap}万吨，综合利用率提高{rate}个百分点。",
]
WASTES = ["粉煤灰", "炉渣", "脱硫石膏", "钢渣", "尾矿", "赤泥", "煤矸石", "冶炼渣", "废钢铁", "工业副产石膏"]
PARAGRAPHS_PER_PAGE = 9


def _sentence(rng: random.Random) -> str:
    return rng.choice(NARRATIVE).format(money=rng.randint(100, 9000), cap=round(rng.uniform(0.5, 30), 1),
                                        rate=round(rng.uniform(0.1, 3), 1))


def make_fallback_package(out_dir: Path, pages: int) -> Path:
    """An hb_evaluation-like report: narrative pages with a waste table every tenth page,
    written with python-docx (explicit page breaks keep the page count predictable) and
    exported to PDF by LibreOffice, as submitters make their PDFs."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Pt

    rng = random.Random(20261121)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    chapters = ["评价概述", "企业基本情况", "企业生产及经营", "企业工艺技术", "企业体系建设", "固体废物综合利用情况", "结论"]
    doc.add_heading("湖北某某环保科技有限公司工业固体废物资源综合利用评价报告", level=0)
    # chapter i starts on page 1 + i * pages / 7
    chapter_at = {1 + i * pages // len(chapters): i for i in range(len(chapters))}
    for page in range(1, pages + 1):
        if page in chapter_at:
            i = chapter_at[page]
            doc.add_heading(f"{'一二三四五六七'[i]}、{chapters[i]}", level=1)
        if page % 10 == 0:
            doc.add_paragraph(f"表{page // 10} 2024年度工业固体废物产生及综合利用情况（单位：吨）")
            table = doc.add_table(rows=1, cols=5)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, ["固废名称", "产生量", "综合利用量", "贮存量", "综合利用率（%）"]):
                cell.text = text
            for waste in rng.sample(WASTES, 8):
                made = rng.randint(20000, 400000)
                used = rng.randint(made // 2, made)
                row = table.add_row().cells
                for cell, text in zip(row, [waste, f"{made}", f"{used}", f"{made - used}", f"{used / made * 100:.1f}"]):
                    cell.text = text
            doc.add_paragraph(_sentence(rng))
        else:
            for _ in range(PARAGRAPHS_PER_PAGE):
                doc.add_paragraph(_sentence(rng) + _sentence(rng))
        if page < pages:
            doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    work = out_dir / "docx"
    work.mkdir(parents=True, exist_ok=True)
    source = work / "评价报告.docx"
    doc.save(str(source))
    package = out_dir / "package"
    package.mkdir(exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="shencha-lo-"))
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(package), str(source)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return package


# ---------------------------------------------------------------- reporting


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


@dataclass
class SizeResult:
    pages: int
    shencha: Run
    baseline_seconds: float
    baseline_peak: float


def bench_size(pages: int, table_every: int) -> SizeResult | None:
    t0 = time.perf_counter()
    package = large_package(pages, table_every)
    pdfs = package_pdfs(package)
    if not pdfs:
        print(f"生成的包 {package} 中没有 PDF，无法比较")
        return None
    n_pages = sum(pdf_pages(p) for p in pdfs)
    print(f"包：{package.relative_to(REPO) if package.is_relative_to(REPO) else package}"
          f"（{len(pdfs)} 个 PDF，共 {n_pages} 页；准备用时 {time.perf_counter() - t0:.1f} s）", flush=True)
    shencha = measure(shencha_cmd(str(package)))
    if shencha.exit_code not in (0, 1):
        reason = shencha.stderr.splitlines()[-1] if shencha.stderr else ""
        print(f"注意：shencha check 失败（退出码 {shencha.exit_code}），下列数字不代表完整审查：{reason}")
    baseline_time = baseline_peak = 0.0
    for pdf in pdfs:
        run = measure([sys.executable, "-c", PDFPLUMBER_BASELINE, str(pdf)])
        if run.exit_code != 0:
            print(f"注意：pdfplumber 基线失败：{run.stderr.splitlines()[-1] if run.stderr else ''}")
        baseline_time += run.seconds
        baseline_peak = max(baseline_peak, run.peak_mb)
    return SizeResult(n_pages, shencha, baseline_time, baseline_peak)


def bench_large(sizes: list[int], table_every: int) -> None:
    where = "几乎每页都有表格" if table_every <= 2 else f"约每 {table_every} 页一张表格"
    print(f"== 大文件：文本 PDF，{where} ==")
    results = [r for r in (bench_size(p, table_every) for p in sizes) if r is not None]
    widths = [8, 12, 10, 12, 14, 10, 12, 9]
    print(row(["页数", "shencha s", "页/s", "峰值 MB", "pdfplumber s", "页/s", "峰值 MB", "用时比"], widths))
    for r in results:
        s = r.shencha
        pps = r.pages / s.seconds if s.seconds else 0.0
        base_pps = r.pages / r.baseline_seconds if r.baseline_seconds else 0.0
        ratio = s.seconds / r.baseline_seconds if r.baseline_seconds else float("inf")
        print(row([str(r.pages), f"{s.seconds:.2f}", f"{pps:.1f}", f"{s.peak_mb:.1f}", f"{r.baseline_seconds:.2f}",
                   f"{base_pps:.1f}", f"{r.baseline_peak:.1f}", f"{ratio:.2f}"], widths))
    if not results:
        return
    largest = max(results, key=lambda r: r.pages)
    pps = largest.pages / largest.shencha.seconds if largest.shencha.seconds else 0.0
    ratio = largest.shencha.seconds / largest.baseline_seconds if largest.baseline_seconds else float("inf")
    peaks = [r.shencha.peak_mb for r in results]
    print(f"吞吐（{largest.pages} 页）{pps:.1f} 页/s（目标 ≥ {TARGET_PAGES_PER_S:.0f}）  {verdict(pps >= TARGET_PAGES_PER_S)}")
    print(f"用时比 shencha/pdfplumber = {ratio:.2f}（目标 ≤ {TARGET_RATIO}）  {verdict(ratio <= TARGET_RATIO)}")
    # flat: the largest package's peak within FLAT_PEAK_RATIO of the smallest's
    flat = max(peaks) <= FLAT_PEAK_RATIO * min(peaks)
    print(f"峰值内存 {min(peaks):.1f}–{max(peaks):.1f} MB（目标 < {TARGET_PEAK_MB:.0f}，且不随页数增长："
          f"最大不超过最小的 {FLAT_PEAK_RATIO} 倍）  {verdict(max(peaks) < TARGET_PEAK_MB and flat)}")


def row(cells: list[str], widths: list[int]) -> str:
    """First column left-aligned, the rest right-aligned, by terminal width (CJK = 2 columns)."""
    return "".join(pad(c, w, "<" if i == 0 else ">") for i, (c, w) in enumerate(zip(cells, widths)))


def bench_samples() -> None:
    root = REPO / "corpus"
    manifest_path = root / "manifest.json"
    print("== 样例包 ==")
    if not manifest_path.exists():
        print(f"没有样例清单 {manifest_path.relative_to(REPO)}（先运行 python -m corpus.generate）")
        return
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    widths = [24, 9, 7, 9, 10, 8]
    print(row(["样例包", "用时 s", "页数", "页/s", "峰值 MB", "退出码"], widths))
    total_time = total_pages = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for entry in manifest:
            path = root / "samples" / entry["package"]
            report_path = Path(tmp) / "report.json"
            run = measure(shencha_cmd(str(path), "--json", str(report_path)))
            pages = 0
            if report_path.exists():
                report = json.loads(report_path.read_text(encoding="utf-8"))
                pages = sum(f["pages"] or 0 for f in report["package"]["files"])
                report_path.unlink()
            total_time += run.seconds
            total_pages += pages
            pps = f"{pages / run.seconds:.1f}" if pages else "—"
            print(row([entry["package"], f"{run.seconds:.2f}", str(pages), pps, f"{run.peak_mb:.1f}", str(run.exit_code)], widths))
    if manifest:
        print(f"合计 {len(manifest)} 个包，{total_time:.2f} s，平均每包 {total_time / len(manifest):.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="shencha 性能基准（只输出数据，不做断言）")
    parser.add_argument("--pages", default="100,300,1000", help="大文件页数，逗号分隔（默认 100,300,1000）")
    parser.add_argument("--table-every", type=int, default=1, help="每隔几页一张表格（默认 1：几乎每页都有表格）")
    parser.add_argument("--samples", action="store_true", help="同时逐个计时内置样例包")
    args = parser.parse_args(argv)
    if args.samples:
        bench_samples()
        print()
    bench_large([int(p) for p in str(args.pages).split(",") if p.strip()], args.table_every)
    return 0


if __name__ == "__main__":
    sys.exit(main())
