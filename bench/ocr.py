"""Benchmark: `shencha check` with OCR on a scanned package, beside RapidOCR's own time (issue 9).

    python bench/ocr.py [--pages 40]

Prints figures only (no asserts).  The package is a clean hb_evaluation package whose report of
about `--pages` pages (corpus/generate/large.py) is printed and scanned whole (corpus/generate/
scan.py: 200 dpi, tilt, blur, paper tint, JPEG), built once and cached in bench/.cache/.  In one
run:

- RapidOCR's own time: one engine, created once, given every page image the package holds (the
  scanned PDF's pages rendered as the reader renders them, extractor.ocr.render at 200 dpi; the
  package's image files as the reader decodes them), `RapidOCR()(image)` on each; the figure is the
  sum of those calls (engine start and rendering shown apart);
- `shencha check <package> --json …` (OCR on, the default) with an empty cache directory: wall time with
  process start, pages/s, peak memory; and its ratio to the engine's own time, against the target
  (≤ 1.1 ×);
- the same check again on the warm cache (a recheck).

The runs use the default limits: the time each page's recognition took is given back to its file
(extractor/isolation.py ocr_page_done, up to SHENCHA_LIMIT_OCR_SECONDS, 900 s a file), so a
40-page scan is read whole within the 120-second file budget; the report says when pages were
still left unrecognised.

Each run is a separate process, timed with its start; peak memory is the larger of its own peak RSS
(os.wait4, as bench/bench.py measures) and the sampled peak of its process tree's RSS (shencha
recognises pages in worker processes).
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

CACHE = REPO / "bench" / ".cache"
TARGET_RATIO = 1.1  # shencha's time ≤ 1.1 × the engine's own time on the same page images
GENERATOR = "corpus.generate.large+scan/2"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif", ".webp")


@dataclass
class Run:
    seconds: float
    peak_mb: float
    exit_code: int
    stdout: str
    stderr: str


def _tree_rss_mb(root: int) -> float:
    """The resident memory of `root` and all its descendants (the review's worker processes), MB."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        parents[int(entry)] = int(stat[stat.rindex(b")") + 2:].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall time (process start included) and peak memory: the larger of the child's own peak RSS
    (os.wait4) and the peak, sampled four times a second, of the RSS summed over the child and
    its descendants (shencha reads files in worker processes, whose memory wait4 does not see)."""
    full_env = {**os.environ, **(env or {}),
                "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, env=full_env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        tree_peak = 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree_peak = max(tree_peak, _tree_rss_mb(proc.pid))
            time.sleep(0.25)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = err.read().decode("utf-8", errors="replace").strip()
    return Run(seconds, max(usage.ru_maxrss / 1024, tree_peak), proc.returncode, stdout, stderr)  # ru_maxrss: KiB


# ---------------------------------------------------------------- the scanned package


def scanned_package(pages: int) -> Path:
    """A clean hb_evaluation package whose ~`pages`-page report is a scan, built once."""
    target = CACHE / f"scanned-{pages}"
    marker = target / ".built.json"
    if marker.exists():
        built = json.loads(marker.read_text(encoding="utf-8"))
        if built.get("generator") == GENERATOR and Path(built["path"]).exists():
            return Path(built["path"])
    from corpus.generate.large import make_large_package
    from corpus.generate.scan import scan_pdf_bytes

    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    # a ledger every 5 pages: the generator gives each of the 7 sections at least one stretch of
    # narrative and ledger, so with one every 10 pages no report is shorter than about 75 pages
    package = Path(make_large_package(target, pages=pages, table_every=5))
    report = next(p for p in package.glob("*.pdf") if "评价报告" in p.name)
    report.write_bytes(scan_pdf_bytes(report.read_bytes(), random.Random(f"bench-ocr:{pages}"), may_be_grey=False))
    marker.write_text(json.dumps({"path": str(package), "generator": GENERATOR}, ensure_ascii=False), encoding="utf-8")
    return package


def _image_only_pages(pdf) -> list[int]:
    """0-based indices of the pages without a text layer (the pages the reader recognises)."""
    out = []
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        if not tp.get_text_range().strip():
            out.append(i)
        tp.close()
        page.close()
    return out


def page_images(package: Path):
    """(file name, page image) of every page the OCR reader recognises, one at a time, made as
    the reader makes them (extractor.ocr.render)."""
    import pypdfium2

    from extractor.ocr.render import image_pages, render_pdf_page

    for path in sorted(p for p in package.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            try:
                pdf = pypdfium2.PdfDocument(str(path))
            except Exception:  # noqa: BLE001 - unreadable: the reader recognises nothing either
                continue
            try:
                for i in _image_only_pages(pdf):
                    yield path.name, render_pdf_page(pdf, i)
            finally:
                pdf.close()
        elif suffix in IMAGE_SUFFIXES:
            for image in image_pages(path.read_bytes()):
                yield path.name, image


def engine_pass(package: Path) -> dict:
    """RapidOCR alone on the package's page images (run in a child process of its own)."""
    t0 = time.perf_counter()
    from rapidocr import RapidOCR

    engine = RapidOCR(params={"Global.log_level": "error"})
    created = time.perf_counter() - t0
    calls: list[float] = []
    render = 0.0
    files: dict[str, int] = {}
    lines = 0
    t_render = time.perf_counter()
    for name, image in page_images(package):
        bgr = image.rgb[:, :, ::-1].copy()  # as cv2.imread gives a page image: BGR
        render += time.perf_counter() - t_render
        t = time.perf_counter()
        result = engine(bgr)
        calls.append(time.perf_counter() - t)
        lines += len(result.txts or ())
        files[name] = files.get(name, 0) + 1
        t_render = time.perf_counter()
    return {"created": created, "calls": calls, "render": render, "files": files, "lines": lines}


_POOL_IMAGES: list = []
_POOL_ENGINE = None


def _pool_start() -> None:
    global _POOL_ENGINE
    from rapidocr import RapidOCR

    _POOL_ENGINE = RapidOCR(params={"Global.log_level": "error", "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                                    "EngineConfig.onnxruntime.inter_op_num_threads": 1})


def _pool_page(i: int) -> int:
    return len(_POOL_ENGINE(_POOL_IMAGES[i]).txts or ())


def pool_pass(package: Path, workers: int = 2) -> dict:
    """The same page images over a pool of `workers` processes, one engine each on one thread:
    what a process pool over pages would gain over one engine using every core (onnxruntime's
    own threads)."""
    import multiprocessing

    _POOL_IMAGES[:] = [image.rgb[:, :, ::-1].copy() for _name, image in page_images(package)]
    with multiprocessing.get_context("fork").Pool(workers, initializer=_pool_start) as pool:
        pool.map(_pool_page, [0] * workers)  # engines loaded and warm, as the sequential pass's
        t = time.perf_counter()
        pool.map(_pool_page, range(len(_POOL_IMAGES)), chunksize=1)
        return {"seconds": time.perf_counter() - t, "pages": len(_POOL_IMAGES), "workers": workers}


# ---------------------------------------------------------------- reporting


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISS"


def row(cells: list[str], widths: list[int]) -> str:
    from service.review.progress import pad

    return "".join(pad(c, w, "<" if i == 0 else ">") for i, (c, w) in enumerate(zip(cells, widths)))


def shencha_run(package: Path, cache_dir: Path, report: Path) -> Run:
    env = {"SHENCHA_OCR": "on", "SHENCHA_OCR_CACHE_DIR": str(cache_dir)}
    return measure([sys.executable, "-m", "service.cli", "check", str(package), "--json", str(report), "--quiet"], env)


def left_unread(report: Path) -> list[str]:
    """The report's warnings saying pages were not recognised."""
    if not report.exists():
        return ["（没有生成 JSON 报告）"]
    data = json.loads(report.read_text(encoding="utf-8"))
    words = ("未进行文字识别", "文字识别失败", "无法启动")
    return [f"{f['path']}：{w}" for f in data["package"]["files"] for w in f.get("warnings", []) if any(x in w for x in words)]


def bench(pages: int) -> int:
    t0 = time.perf_counter()
    package = scanned_package(pages)
    print("== 扫描件文字识别：shencha check 与 RapidOCR 自身用时 ==")
    shown = package.relative_to(REPO) if package.is_relative_to(REPO) else package
    print(f"包：{shown}（准备用时 {time.perf_counter() - t0:.1f} s）", flush=True)

    engine_run = measure([sys.executable, str(Path(__file__).resolve()), "--engine-pass", str(package)])
    if engine_run.exit_code != 0:
        print(f"RapidOCR 基线失败（退出码 {engine_run.exit_code}）：{engine_run.stderr.splitlines()[-1:] or ''}")
        return 2
    e = json.loads(engine_run.stdout.strip().splitlines()[-1])
    n_pages = len(e["calls"])
    own = sum(e["calls"])
    detail = "，".join(f"{name} {n} 页" for name, n in e["files"].items())
    print(f"识别页：共 {n_pages} 页（{detail}），200 dpi；RapidOCR 识别出 {e['lines']} 行", flush=True)

    with tempfile.TemporaryDirectory(prefix="shencha-ocr-bench-") as tmp:
        cache_dir = Path(tmp) / "cache"
        cache_dir.mkdir()
        cold_report, warm_report = Path(tmp) / "cold.json", Path(tmp) / "warm.json"
        cold = shencha_run(package, cache_dir, cold_report)
        cold_missing = left_unread(cold_report)
        warm = shencha_run(package, cache_dir, warm_report)
        warm_missing = left_unread(warm_report)
        cached = sum(1 for _ in cache_dir.rglob("*.json"))
    for label, run in (("冷缓存", cold), ("复查", warm)):
        if run.exit_code not in (0, 1):
            reason = run.stderr.splitlines()[-1] if run.stderr else ""
            print(f"注意：shencha check（{label}）失败（退出码 {run.exit_code}），下列数字不代表完整审查：{reason}")

    widths = [30, 10, 9, 18]
    print(row(["", "用时 s", "页/s", "峰值 MB（进程树）"], widths))
    print(row(["RapidOCR 自身（只计识别调用）", f"{own:.1f}", f"{n_pages / own:.2f}" if own else "—",
               f"{engine_run.peak_mb:.0f}"], widths))
    print(row(["  另：引擎创建 / 渲染页面", f"{e['created']:.1f} / {e['render']:.1f}", "", ""], widths))
    print(row(["  另：基线进程总用时", f"{engine_run.seconds:.1f}", "", ""], widths))
    print(row(["shencha check（空缓存）", f"{cold.seconds:.1f}", f"{n_pages / cold.seconds:.2f}",
               f"{cold.peak_mb:.0f}"], widths))
    print(row(["shencha check（复查，缓存已热）", f"{warm.seconds:.1f}", f"{n_pages / warm.seconds:.2f}",
               f"{warm.peak_mb:.0f}"], widths))
    ratio = cold.seconds / own if own else float("inf")
    print(f"用时比 shencha（空缓存）/ RapidOCR 自身 = {ratio:.2f}（目标 ≤ {TARGET_RATIO}）  {verdict(ratio <= TARGET_RATIO)}")
    print(f"平均每页：RapidOCR {own / max(n_pages, 1):.2f} s，shencha {cold.seconds / max(n_pages, 1):.2f} s；"
          f"复查为空缓存用时的 {warm.seconds / cold.seconds:.0%}（缓存 {cached} 页）")
    pool_run = measure([sys.executable, str(Path(__file__).resolve()), "--pool-pass", str(package)])
    if pool_run.exit_code == 0:
        p = json.loads(pool_run.stdout.strip().splitlines()[-1])
        print(f"按页并行（{p['workers']} 个进程，各用 1 线程）：{p['seconds']:.1f} s，为 RapidOCR 自身（1 个引擎用全部核）的 "
              f"{own / p['seconds']:.2f} 倍速")
    for label, missing in (("空缓存", cold_missing), ("复查", warm_missing)):
        for w in missing:
            print(f"注意（{label}）：{w}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="扫描件 OCR 性能基准（只输出数据，不做断言）")
    parser.add_argument("--pages", type=int, default=40, help="扫描报告的大致页数（默认 40）")
    parser.add_argument("--engine-pass", metavar="PACKAGE", help=argparse.SUPPRESS)  # the baseline's child process
    parser.add_argument("--pool-pass", metavar="PACKAGE", help=argparse.SUPPRESS)  # the page pool's child process
    args = parser.parse_args(argv)
    if args.engine_pass:
        print(json.dumps(engine_pass(Path(args.engine_pass))))
        return 0
    if args.pool_pass:
        print(json.dumps(pool_pass(Path(args.pool_pass))))
        return 0
    return bench(args.pages)


if __name__ == "__main__":
    sys.exit(main())
