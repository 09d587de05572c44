"""Load test of the review service: N packages uploaded concurrently, each followed to its report.

    .venv/bin/python bench/load.py [-n 24] [--concurrency 6] [--time-limit 900]
    echo "$PASSWORD" | .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --username U --password-stdin

Without --url it starts `shencha serve` on a free localhost port with a private data dir and
creates an agency user through `shencha users add`; the server (and its in-process worker)
is stopped at the end.  With --url (a server already running, e.g. ./scripts/serve.sh) it needs
an account of that server that may upload: agency or city (a province account is read-only).
Whatever it lacks (the project's environment, a server answering at the URL, the account) it
says in one line and exits 2.  The packages are the generated sample packages of corpus/samples
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
from typing import NoReturn
from urllib.parse import urlparse

def give_up(message: str) -> NoReturn:
    """What the load test lacks, in one line on stderr; exit 2."""
    print(f"load: {message}", file=sys.stderr)
    raise SystemExit(2)


try:
    import httpx
except ImportError:  # run with a Python outside the project's environment
    give_up("needs the project's environment (httpx): run it as .venv/bin/python bench/load.py")

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


def last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no output)"


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
            give_up(f"could not create the load-test user: {last_line(added.stderr)}")
        self.log = open(Path(self.tmp.name) / "server.log", "wb")
        self.proc = subprocess.Popen(cli + ["serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                     env=self.env, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                give_up(f"shencha serve exited ({self.proc.returncode}): "
                        f"{last_line((Path(self.tmp.name) / 'server.log').read_text(errors='replace'))}")
            try:
                if httpx.get(f"{self.url}/login", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.3)
        give_up("the server did not start within 90 s")

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


ACCOUNT_HINT = ("an agency or city account of that server: --username U --password-stdin "
                "(create one with: shencha users add U --role agency --password-stdin)")


def token_for(url: str, username: str, password: str) -> str:
    try:
        r = httpx.post(f"{url}/api/auth/token", data={"username": username, "password": password}, timeout=30)
    except httpx.HTTPError as exc:
        give_up(f"no Shencha server answers at {url} ({type(exc).__name__}); "
                "start one with ./scripts/serve.sh, or leave out --url to let load.py start its own")
    if r.status_code != 200:
        give_up(f"login as {username!r} failed (HTTP {r.status_code}); --url needs {ACCOUNT_HINT}")
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


def run_load(url: str, token: str, count: int, concurrency: int, time_limit: float,
             packages: list[Path] | None = None) -> tuple[list[Outcome], float, float]:
    """Upload `packages` (default: `count` sample zips, cycled) and follow each to its report."""
    samples = packages or sample_packages()
    if not samples:
        give_up("no .zip sample package in corpus/samples (python -m corpus.generate makes them)")
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
    if any(o.status == "refused" and o.detail.startswith("HTTP 403") for o in outcomes):
        print(f"load: the account may not upload (a province account is read-only); use {ACCOUNT_HINT}")


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
            parser.error(f"--url needs {ACCOUNT_HINT}")
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
