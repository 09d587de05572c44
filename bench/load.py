"""Load test of the review service: N packages uploaded concurrently, each followed to its report.

    python bench/load.py [-n 24] [--concurrency 6] [--time-limit 900]
    python bench/load.py --url http://127.0.0.1:8000 --username U --password-stdin   # a running server

Without --url it starts `shencha serve` on a free localhost port with a private data dir and
creates an agency user through `shencha users add`; the server (and its in-process worker)
is stopped at the end.  The packages are the generated sample packages of corpus/samples
(the .zip ones, cycled; see corpus/manifest.json), uploaded through `POST /api/packages` by a
bounded pool of threads; each thread then polls `GET /api/packages/{id}?include_report=false`
until the package is done or failed.

Prints figures only (no asserts): packages done/failed, wall time, throughput (packages per
minute, first upload to last report), upload request time and upload-to-report latency
p50/p95/max.  Only localhost targets are accepted.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "corpus" / "samples"
MAX_PACKAGES = 500
MAX_CONCURRENCY = 32
POLL_SECONDS = 0.25
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Outcome:
    sample: str
    status: str  # done, failed, refused, timeout, error
    upload_seconds: float
    report_seconds: float | None  # upload start to done/failed
    finished_at: float | None
    detail: str = ""


def sample_packages() -> list[Path]:
    manifest = json.loads((REPO / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    return [SAMPLES / e["package"] for e in manifest if e["package"].endswith(".zip") and (SAMPLES / e["package"]).is_file()]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """`shencha serve` in a subprocess on its own data dir, with one agency user."""

    username = "load-agency"
    password = "load-test-password"

    def __init__(self) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="shencha-load-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHENCHA_")}
        env.update(SHENCHA_DATA_DIR=self.tmp.name, PYTHONPATH=str(REPO))
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.log = None

    def __enter__(self) -> "LocalServer":
        cli = [sys.executable, "-m", "service.cli"]
        added = subprocess.run(
            cli + ["users", "add", self.username, "--role", "agency", "--city", "武汉市", "--password-stdin"],
            input=self.password + "\n", text=True, capture_output=True, env=self.env, cwd=REPO, timeout=120,
        )
        if added.returncode != 0:
            raise SystemExit(f"load: 创建用户失败：{added.stderr.strip()}")
        self.log = open(Path(self.tmp.name) / "server.log", "wb")
        self.proc = subprocess.Popen(cli + ["serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                     env=self.env, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"load: shencha serve exited ({self.proc.returncode}); log in {self.tmp.name}/server.log")
            try:
                if httpx.get(f"{self.url}/login", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.3)
        raise SystemExit("load: the server did not start within 90 s")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log is not None:
            self.log.close()
        self.tmp.cleanup()


def token_for(url: str, username: str, password: str) -> str:
    r = httpx.post(f"{url}/api/auth/token", data={"username": username, "password": password}, timeout=30)
    if r.status_code != 200:
        raise SystemExit(f"load: 登录失败（HTTP {r.status_code}）：{r.text[:200]}")
    return r.json()["access_token"]


def run_one(client: httpx.Client, sample: Path, deadline: float) -> Outcome:
    start = time.monotonic()
    try:
        with sample.open("rb") as fh:
            r = client.post("/api/packages", files=[("files", (sample.name, fh, "application/zip"))])
    except httpx.HTTPError as exc:
        return Outcome(sample.name, "error", time.monotonic() - start, None, None, str(exc))
    uploaded = time.monotonic() - start
    if r.status_code != 202:
        return Outcome(sample.name, "refused", uploaded, None, None, f"HTTP {r.status_code} {r.text[:120]}")
    package_id = r.json()["id"]
    while time.monotonic() < deadline:
        try:
            info = client.get(f"/api/packages/{package_id}", params={"include_report": "false"}).json()
        except (httpx.HTTPError, ValueError):
            time.sleep(POLL_SECONDS)
            continue
        if info.get("status") in ("done", "failed"):
            now = time.monotonic()
            return Outcome(sample.name, info["status"], uploaded, now - start, now, info.get("reason") or "")
        time.sleep(POLL_SECONDS)
    return Outcome(sample.name, "timeout", uploaded, None, None, package_id)


def run_load(url: str, token: str, count: int, concurrency: int, time_limit: float) -> tuple[list[Outcome], float, float]:
    samples = sample_packages()
    if not samples:
        raise SystemExit("load: corpus/samples 中没有 .zip 样例申报包")
    chosen = [samples[i % len(samples)] for i in range(count)]
    deadline = time.monotonic() + time_limit
    local = threading.local()
    clients: list[httpx.Client] = []
    lock = threading.Lock()

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120)
            with lock:
                clients.append(local.client)
        return local.client

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="load") as pool:
        outcomes = list(pool.map(lambda s: run_one(client(), s, deadline), chosen))
    for c in clients:
        c.close()
    return outcomes, started, time.monotonic()


def print_figures(outcomes: list[Outcome], started: float, ended: float, concurrency: int) -> None:
    by_status: dict[str, int] = {}
    for o in outcomes:
        by_status[o.status] = by_status.get(o.status, 0) + 1
    finished = [o for o in outcomes if o.status in ("done", "failed")]
    print(f"packages            {len(outcomes)} (concurrency {concurrency})")
    print("outcomes            " + ", ".join(f"{k} {v}" for k, v in sorted(by_status.items())))
    print(f"wall time           {ended - started:.1f} s")
    if finished:
        last = max(o.finished_at for o in finished if o.finished_at is not None)
        span = max(last - started, 1e-9)
        print(f"throughput          {len(finished) / span * 60:.1f} packages/min (first upload to last report)")
        latencies = [o.report_seconds for o in finished if o.report_seconds is not None]
        print(f"upload→report       p50 {percentile(latencies, 50):.2f} s   p95 {percentile(latencies, 95):.2f} s   "
              f"max {max(latencies):.2f} s")
    uploads = [o.upload_seconds for o in outcomes]
    print(f"upload request      p50 {percentile(uploads, 50):.3f} s   p95 {percentile(uploads, 95):.3f} s")
    for o in outcomes:
        if o.status not in ("done", "failed"):
            print(f"  {o.status}: {o.sample} {o.detail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Concurrent upload load test of the review service (figures only)")
    parser.add_argument("-n", "--packages", type=int, default=24, help=f"packages to upload (max {MAX_PACKAGES})")
    parser.add_argument("--concurrency", type=int, default=6, help=f"upload threads (max {MAX_CONCURRENCY})")
    parser.add_argument("--time-limit", type=float, default=900, help="seconds before unfinished packages count as timeout")
    parser.add_argument("--url", help="a running server on localhost (default: start one)")
    parser.add_argument("--username", help="with --url: the user to upload as (agency or city)")
    parser.add_argument("--password-stdin", action="store_true", help="with --url: read the password from stdin")
    args = parser.parse_args(argv)
    count = max(1, min(args.packages, MAX_PACKAGES))
    concurrency = max(1, min(args.concurrency, MAX_CONCURRENCY, count))

    if args.url:
        host = urlparse(args.url).hostname or ""
        if host not in LOCAL_HOSTS:
            parser.error("only a local server (127.0.0.1 / localhost) may be loaded")
        if not args.username or not args.password_stdin:
            parser.error("--url needs --username and --password-stdin")
        token = token_for(args.url.rstrip("/"), args.username, sys.stdin.readline().rstrip("\r\n"))
        print_figures(*run_load(args.url.rstrip("/"), token, count, concurrency, args.time_limit), concurrency)
        return 0
    with LocalServer() as server:
        print(f"server              {server.url} (data dir {server.tmp.name})")
        token = token_for(server.url, server.username, server.password)
        print_figures(*run_load(server.url, token, count, concurrency, args.time_limit), concurrency)
    return 0


if __name__ == "__main__":
    sys.exit(main())
