"""Scaling out: packages per minute and upload-to-report p50/p95 with 1 and with 2 worker
processes on this machine, for text packages and for scanned ones (issue 10).

    .venv/bin/python bench/scale.py [--text 24] [--scanned 8] [--workers 1,2]

For each package kind and each worker count it starts a fresh service the way a province would
run it spread over machines: `shencha serve` with `SHENCHA_BROKER_URL` (Redis at 127.0.0.1:6379,
database 13, emptied) and a PostgreSQL database of its own (created, dropped at the end), plus
one `shencha worker --concurrency N` (N worker processes: Celery's pool, each job in one); uploads every package at once through the
API (`bench/load.py`'s client, up to 32 at a time) and follows each to its report.  Text packages are the bundled
sample zips (OCR off: they have pictures of licences); scanned packages are the scanned twins of
six samples (`corpus.generate --scanned`, built once into bench/.cache/scale-scanned/), OCR on,
each run with an empty OCR cache.  Prints figures only; the scaling factor is the throughput
with the most workers over the throughput with one.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402  (bench/load.py: the client, the figures, the local server)

REPO = load.REPO
CACHE = REPO / "bench" / ".cache"
SCANNED = CACHE / "scale-scanned"
SCANNED_SAMPLES = "hb_eval_01,hb_eval_04,hn_bench_01,nowaste_01,gm_01,hb_agency_02"
REDIS_URL = "redis://127.0.0.1:6379/13"
POLL_SECONDS = 0.5  # 32 clients polling every 0.25 s would take a core from the workers
POSTGRES_ADMIN = os.environ.get("SHENCHA_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1/postgres")


def scanned_packages() -> list[Path]:
    marker = SCANNED / ".built.json"
    if not marker.exists() or json.loads(marker.read_text())["samples"] != SCANNED_SAMPLES:
        print(f"building the scanned packages ({SCANNED_SAMPLES}) into {SCANNED} …", flush=True)
        subprocess.run([sys.executable, "-m", "corpus.generate", "--scanned", "--out", str(SCANNED),
                        "--only", SCANNED_SAMPLES], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        marker.write_text(json.dumps({"samples": SCANNED_SAMPLES}))
    return as_zips(sorted(p for p in SCANNED.iterdir() if p.name != "manifest.json" and not p.name.startswith(".")))


def as_zips(packages: list[Path]) -> list[Path]:
    """Folder packages zipped (once) beside themselves, so each is one upload."""
    out = []
    for path in packages:
        if path.is_file():
            out.append(path)
            continue
        target = path.with_name(path.name + ".upload.zip")
        if not target.exists():
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                for f in sorted(path.rglob("*")):
                    if f.is_file():
                        z.write(f, f"{path.name}/{f.relative_to(path).as_posix()}")
            target.write_bytes(buf.getvalue())
        out.append(target)
    return out


class Postgres:
    """A database of its own for one run."""

    def __enter__(self) -> str:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        self.name = f"shencha_bench_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        return make_url(POSTGRES_ADMIN).set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc: object) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


class DistributedServer(load.LocalServer):
    """`shencha serve` sending jobs to Redis, and `workers` worker processes."""

    def __init__(self, database_url: str, workers: int, ocr: bool) -> None:
        super().__init__()
        self.env.update(SHENCHA_DATABASE_URL=database_url, SHENCHA_BROKER_URL=REDIS_URL,
                        SHENCHA_OCR="on" if ocr else "off")
        self.workers = workers
        self.worker_procs: list[subprocess.Popen] = []

    def __enter__(self) -> "DistributedServer":
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        super().__enter__()
        # one worker program with `workers` pool processes: what a machine runs (it gives each
        # process its share of the cores for OCR; separate programs would each take every core)
        log = open(Path(self.tmp.name) / "worker.log", "wb")
        self.worker_procs.append(subprocess.Popen(
            [sys.executable, "-m", "service.cli", "worker", "--concurrency", str(self.workers)],
            env=self.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT))
        time.sleep(3)  # the workers connect; a job sent before is taken when they are ready anyway
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in self.worker_procs:
            proc.terminate()
        for proc in self.worker_procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        super().__exit__(*exc)
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()


def measure(packages: list[Path], workers: int, ocr: bool, time_limit: float) -> tuple[float, float, float, int]:
    """(packages/min, p50 s, p95 s, finished) for one kind with `workers` worker processes."""
    with Postgres() as url, DistributedServer(url, workers, ocr) as server:
        token = load.token_for(server.url, server.username, server.password)
        # every package uploaded at once (a deadline's burst), then followed to its report
        load.POLL_SECONDS = POLL_SECONDS
        outcomes, started, _ended = load.run_load(server.url, token, len(packages), min(load.MAX_CONCURRENCY, len(packages)),
                                                  time_limit, packages=packages)
    finished = [o for o in outcomes if o.status in ("done", "failed") and o.finished_at is not None]
    for o in outcomes:
        if o.status not in ("done", "failed"):
            print(f"  {o.status}: {o.sample} {o.detail}", flush=True)
    if not finished:
        return 0.0, float("nan"), float("nan"), 0
    span = max(o.finished_at for o in finished) - started
    latencies = [o.report_seconds for o in finished]
    return len(finished) / span * 60, load.percentile(latencies, 50), load.percentile(latencies, 95), len(finished)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Throughput and latency with 1 and 2 worker processes (figures only)")
    parser.add_argument("--text", type=int, default=24, help="text packages per run (0 to skip)")
    parser.add_argument("--scanned", type=int, default=8, help="scanned packages per run (0 to skip)")
    parser.add_argument("--workers", default="1,2", help="worker process counts to compare")
    parser.add_argument("--time-limit", type=float, default=1800)
    args = parser.parse_args(argv)
    counts = [int(x) for x in args.workers.split(",") if x.strip()]
    kinds = []
    if args.text:
        samples = load.sample_packages()
        kinds.append(("text", [samples[i % len(samples)] for i in range(args.text)], False))
    if args.scanned:
        scans = scanned_packages()
        kinds.append(("scanned", [scans[i % len(scans)] for i in range(args.scanned)], True))
    print(f"machine: {os.cpu_count()} cores; broker {REDIS_URL}; PostgreSQL; `shencha worker --concurrency N`: N worker processes")
    print(f"{'kind':8} {'workers':>7} {'packages':>8} {'pkg/min':>8} {'p50 s':>7} {'p95 s':>7} {'scaling':>8}")
    for kind, packages, ocr in kinds:
        base = None
        for n in counts:
            rate, p50, p95, finished = measure(packages, n, ocr, args.time_limit)
            base = base or rate
            print(f"{kind:8} {n:>7} {finished:>5}/{len(packages):<2} {rate:>8.1f} {p50:>7.1f} {p95:>7.1f} "
                  f"{rate / base if base else float('nan'):>7.2f}x", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
