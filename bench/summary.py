"""How long a summary table takes for a city's and a province's year: `build_summary` and the
XLSX / DOCX over 100, 1,000 and 5,000 reviewed 湖北 evaluation packages (issue 12).

    .venv/bin/python bench/summary.py [--sizes 100,1000,5000] [--table hb_annual]

The packages are copies of one bundled sample's report (reviewed once, OCR off), each under its
own name, one in five with an open error so the left-out list is filled too.  Figures only (no
target is asserted): a city files tens to hundreds a year, a province a few thousand.
"""

from __future__ import annotations

import argparse
import copy
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _report() -> dict:
    import os

    os.environ.setdefault("SHENCHA_OCR", "off")
    from service.reports.model import build_report
    from service.review.pipeline import review_package

    return build_report(review_package(REPO / "corpus" / "samples" / "hb_eval_04"))


def _packages(base: dict, n: int):
    from service.summaries.catalogue import PackageReport

    defective = copy.deepcopy(base)
    defective["findings"] = [*defective["findings"], {"id": "bench", "rule": "SUM.TOTAL_MISMATCH", "severity": "error",
                                                      "rule_title": "合计与分项之和不符"}]
    return [PackageReport(name=f"pkg{i:05d}", report=defective if i % 5 == 4 else base, link=f"/packages/{i}")
            for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,5000")
    ap.add_argument("--table", default="hb_annual")
    args = ap.parse_args(argv)
    from service.summaries.catalogue import Context, build_summary
    from service.summaries.docx import summary_docx
    from service.summaries.xlsx import summary_xlsx

    base = _report()
    print(f"{'packages':>9} {'build s':>8} {'xlsx s':>7} {'docx s':>7} {'xlsx KB':>8} {'peak MB':>8}")
    for n in (int(s) for s in args.sizes.split(",")):
        packages = _packages(base, n)
        t0 = time.perf_counter()
        summary = build_summary(args.table, packages, Context(unit="测试市经济和信息化局"))
        t1 = time.perf_counter()
        xlsx = summary_xlsx(summary)
        t2 = time.perf_counter()
        summary_docx(summary)
        t3 = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:>9} {t1 - t0:>8.2f} {t2 - t1:>7.2f} {t3 - t2:>7.2f} {len(xlsx) / 1024:>8.0f} {peak:>8.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
