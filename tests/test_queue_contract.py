"""The queue contract, for both engines (issue 10): the embedded one (`shencha worker` processes
claiming rows of the database) and Celery on Redis with PostgreSQL.

Each run starts the API server and two worker processes as separate programs, uploads 20
packages through the API, kills one worker with SIGKILL (its whole process group: the worker,
its pool process, its readers) while it is in the middle of a job, starts another, and asserts:
- every package completes, each exactly once: one job row each, claimed once, the killed one
  claimed once more (its `attempts` is 2) and done;
- each report is whole: the packages made of the same files have the same findings, planted
  defects included;
- nothing uploaded is lost: every package's files are still stored;
- a reviewer's mark made before a recheck survives the recheck, which runs through the same
  engine.

Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432) run on this kind of machine and in CI
(`.ci/run`); the test uses its own PostgreSQL database (the `postgres_url` fixture) and its own
Redis database number, emptied first.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from service.store.db import Job, Package, PackageFile
from tests.test_api import PASSWORD, PEOPLE, add_people, sample_upload
from tests.test_service_jobs import wait_for

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/11"
# four samples, five uploads each; planted rules each report must show
SAMPLES = {
    "hb_eval_02.zip": {"RATE.OUT_OF_RANGE", "FORMAT.PHONE_INVALID"},
    "hb_eval_03": {"RATE.MISMATCH", "CROSSDOC.FIGURE_MISMATCH", "SUM.TOTAL_MISMATCH"},
    "hn_bench_01": set(),
    "nowaste_01": set(),
}
COPIES = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """The API server and the worker processes of one engine, as separate programs."""

    def __init__(self, engine: str, tmp_path: Path, database_url: str) -> None:
        self.engine = engine
        self.logs = tmp_path / "logs"
        self.logs.mkdir()
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SHENCHA_DATA_DIR": str(tmp_path / "data"),
            "SHENCHA_DATABASE_URL": database_url,
            "SHENCHA_OCR": "off",
            "SHENCHA_JOB_HEARTBEAT_SECONDS": "1",
            "SHENCHA_JOB_STALE_SECONDS": "6",
        }
        if engine == "celery":
            self.env.update(SHENCHA_BROKER_URL=REDIS_URL, SHENCHA_JOB_TIME_LIMIT="120",
                            SHENCHA_BROKER_VISIBILITY_TIMEOUT="200")
        else:
            self.env.pop("SHENCHA_BROKER_URL", None)
        self.port = free_port()
        self.processes: list[subprocess.Popen] = []

    def _start(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")
        proc = subprocess.Popen([sys.executable, "-m", "service.cli", *args], env=env or self.env, cwd=ROOT,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        proc.log_name = name  # type: ignore[attr-defined]
        self.processes.append(proc)
        return proc

    def start_server(self) -> None:
        env = dict(self.env)
        if self.engine == "embedded":
            env["SHENCHA_WORKER"] = "none"  # the jobs wait in the database for the worker processes
        self._start("serve", "serve", "--host", "127.0.0.1", "--port", str(self.port), env=env)

        def up() -> bool:
            try:
                return httpx.get(f"{self.url}/login", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(up, "the API server", 60)

    def start_worker(self, name: str) -> subprocess.Popen:
        return self._start(name, "worker", "--concurrency", "1")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self, proc: subprocess.Popen) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop(self) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(15)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()

    def log_tail(self) -> str:
        return "\n".join(f"--- {p.name}\n" + p.read_text(errors="replace")[-3000:] for p in sorted(self.logs.iterdir()))


def _group_of(worker: str | None) -> int | None:
    if not worker or ":" not in worker:
        return None
    try:
        return os.getpgid(int(worker.rpartition(":")[2]))
    except (ProcessLookupError, ValueError):
        return None


@pytest.fixture
def redis_db():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pytest.fail("Redis does not answer at 127.0.0.1:6379: it runs on this kind of machine (see .ci/run); "
                    "start it with `service redis-server start`")
    yield
    client.flushdb()


@pytest.mark.parametrize("engine", ["embedded", "celery"])
@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_twenty_packages_one_worker_killed(engine, database, redis_db, tmp_path):
    add_people(database)
    cluster = Cluster(engine, tmp_path, database.url)
    try:
        _run(cluster, database)
    except BaseException:
        print(cluster.log_tail())
        raise
    finally:
        cluster.stop()


def _run(cluster: Cluster, database) -> None:
    cluster.start_server()
    client = httpx.Client(base_url=cluster.url, timeout=60)
    city = PEOPLE[2][0]  # city_wh
    token = client.post("/api/auth/token", data={"username": city, "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    doomed = cluster.start_worker("worker-a")
    cluster.start_worker("worker-b")
    sample_of: dict[str, str] = {}
    for copy in range(COPIES):
        for sample in SAMPLES:
            response = client.post("/api/packages", headers=headers, files=sample_upload(sample))
            assert response.status_code == 202, response.text
            sample_of[response.json()["id"]] = sample
    assert len(sample_of) == 20

    def doomed_job() -> Job | None:
        with database.session() as s:
            for job in s.scalars(select(Job).where(Job.status == "running")):
                if _group_of(job.worker) == doomed.pid:
                    return job
        return None

    victim = wait_for(doomed_job, "worker A to be in the middle of a job", 180)
    cluster.kill(doomed)
    cluster.start_worker("worker-c")

    stages_seen: set[str] = set()

    def all_finished() -> bool:
        # what the web page polls: progress written by whichever worker runs the job
        for item in client.get("/api/packages", headers=headers, params={"per_page": 50}).json()["items"]:
            if item["status"] == "running" and (item.get("progress") or {}).get("stage"):
                stages_seen.add(item["progress"]["stage"])
        with database.session() as s:  # the package's outcome, then its job row, written just after
            return all(p.status in ("done", "failed") for p in s.scalars(select(Package))) and \
                all(j.status in ("done", "failed") for j in s.scalars(select(Job)))

    wait_for(all_finished, "all 20 packages to finish", 420)

    with database.session() as s:
        rows = {p.id: p for p in s.scalars(select(Package))}
        jobs = s.scalars(select(Job)).all()
        stored = {f.package_id for f in s.scalars(select(PackageFile))}
    assert set(rows) == set(sample_of) and stored == set(sample_of)  # nothing uploaded lost
    assert sorted(j.package_id for j in jobs) == sorted(sample_of)  # one job each
    for job in jobs:
        assert job.status == "done", (job.package_id, job.error)
        assert job.attempts == (2 if job.package_id == victim.package_id else 1), (job.package_id, job.attempts)
    assert all(rows[pid].status == "done" for pid in rows), {pid: rows[pid].reason for pid in rows}
    assert stages_seen & {"read", "check"}, stages_seen

    # whole reports: the same files give the same findings, whichever worker and however often
    findings_of: dict[str, list] = {}
    for pid, sample in sample_of.items():
        report = client.get(f"/api/packages/{pid}", headers=headers).json()["report"]
        rules = {f["rule"] for f in report["findings"]}
        assert SAMPLES[sample] <= rules, (sample, rules)
        assert len({f["id"] for f in report["findings"]}) == len(report["findings"])  # no finding twice
        key = sorted((f["id"], f["rule"], f["message"]) for f in report["findings"])
        assert findings_of.setdefault(sample, key) == key, sample

    # a mark before a recheck of the killed worker's package survives the recheck
    pid = victim.package_id
    report = client.get(f"/api/packages/{pid}", headers=headers).json()["report"]
    finding = report["findings"][0]["id"]
    marked = client.patch(f"/api/findings/{finding}", headers=headers,
                          json={"package_id": pid, "status": "已核实", "comment": "与原件一致"})
    assert marked.status_code == 200, marked.text
    assert client.post(f"/api/packages/{pid}/recheck", headers=headers).status_code == 202

    def rechecked():
        body = client.get(f"/api/packages/{pid}", headers=headers).json()
        with database.session() as s:
            jobs_over = all(j.status in ("done", "failed") for j in s.scalars(select(Job).where(Job.package_id == pid)))
        return body if body["status"] in ("done", "failed") and jobs_over else None

    body = wait_for(rechecked, "the recheck", 180)
    assert body["status"] == "done"
    marks = {f["id"]: f["mark"] for f in body["report"]["findings"]}
    assert marks[finding]["status"] == "已核实" and marks[finding]["comment"] == "与原件一致"
    with database.session() as s:
        again = s.scalars(select(Job).where(Job.package_id == pid).order_by(Job.id)).all()
    assert [j.status for j in again] == ["done", "done"]
