"""Background jobs: atomic claims, the worker thread, recovery of jobs whose worker died, and the
restart test (a worker process killed with SIGKILL mid-job; the next one completes the job)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from service.jobs import queue as jobs

from service.domain import packages
from service.store.db import Job, Package, utcnow
from tests.test_service_packages import PDF, sample_files

ROOT = Path(__file__).resolve().parents[1]


def wait_for(predicate, what: str, limit: float = 120.0):
    """Poll until `predicate()` is truthy; fails (not a timing assert: a hang guard) after `limit`."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}")


def job_of(database, package_id: str) -> Job:
    with database.session() as s:
        return s.scalars(select(Job).where(Job.package_id == package_id).order_by(Job.id.desc())).first()


def package_row(database, package_id: str) -> Package:
    with database.session() as s:
        return s.get(Package, package_id)


@pytest.fixture
def uploader(make_user):
    return make_user("agency", "agency", city="武汉市")


def test_claim_is_atomic_and_in_order(session, database, uploader):
    a = packages.create_package(session, uploader, [("a.pdf", PDF)])
    b = packages.create_package(session, uploader, [("b.pdf", PDF)])
    with database.session() as s1, database.session() as s2:
        first = jobs.claim_next(s1, "host:1")
        second = jobs.claim_next(s2, "host:2")
        third = jobs.claim_next(s1, "host:1")
    assert (first.package_id, second.package_id, third) == (a.id, b.id, None)
    assert first.status == "running" and first.attempts == 1 and first.worker == "host:1"


def test_claim_loses_gracefully_to_another_worker(session, database, uploader):
    pkg = packages.create_package(session, uploader, [("a.pdf", PDF)])
    job = job_of(database, pkg.id)
    # another worker claims between our select and our update: simulate by claiming first
    with database.session() as s:
        s.execute(update(Job).where(Job.id == job.id).values(status="running", worker="other:1"))
        s.commit()
    with database.session() as s:
        assert jobs.claim_next(s, "me:1") is None


def test_worker_thread_runs_submitted_jobs(session, database, service_settings, uploader):
    queue = jobs.InProcessQueue(database=database, settings=service_settings, poll_seconds=30).start()
    try:
        pkg = packages.create_package(session, uploader, sample_files("hn_bench_01"), queue=queue)
        done = wait_for(lambda: package_row(database, pkg.id).status in ("done", "failed"), "the review")
        assert done
        row = package_row(database, pkg.id)
        assert row.status == "done", row.reason
        assert row.form == "hn_benchmark"
        # the job row is written just after the package's outcome
        assert wait_for(lambda: job_of(database, pkg.id).status in ("done", "failed"), "the job row") and \
            job_of(database, pkg.id).status == "done"
    finally:
        queue.stop()


def test_worker_survives_a_crashing_runner(session, database, service_settings, uploader):
    def crash(package_id: str) -> str:
        raise RuntimeError("disk on fire")

    pkg = packages.create_package(session, uploader, [("a.pdf", PDF)])
    queue = jobs.InProcessQueue(database=database, settings=service_settings, run=crash)
    assert queue.run_until_idle() == 1
    job = job_of(database, pkg.id)
    assert job.status == "failed" and "disk on fire" in job.error
    row = package_row(database, pkg.id)
    assert row.status == "failed" and row.reason.startswith("内部错误")


def _running(database, package_id: str, worker: str, heartbeat_age: float, attempts: int = 1) -> None:
    with database.session() as s:
        s.execute(
            update(Job)
            .where(Job.package_id == package_id)
            .values(status="running", worker=worker, attempts=attempts,
                    heartbeat_at=utcnow() - timedelta(seconds=heartbeat_age))
        )
        s.execute(update(Package).where(Package.id == package_id).values(status="running"))
        s.commit()


def test_recovery_requeues_dead_and_stale_but_not_live_jobs(session, database, service_settings, uploader):
    import socket

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    pk_dead = packages.create_package(session, uploader, [("a.pdf", PDF)]).id
    pk_stale = packages.create_package(session, uploader, [("b.pdf", PDF)]).id
    pk_live = packages.create_package(session, uploader, [("c.pdf", PDF)]).id
    pk_tired = packages.create_package(session, uploader, [("d.pdf", PDF)]).id
    _running(database, pk_dead, f"{host}:{dead.pid}", heartbeat_age=0)  # process gone: at once
    _running(database, pk_stale, "elsewhere:1", heartbeat_age=service_settings.stale_seconds + 5)
    _running(database, pk_live, f"{host}:{os.getpid()}", heartbeat_age=0)
    _running(database, pk_tired, "elsewhere:2", heartbeat_age=1e6, attempts=service_settings.max_attempts)
    with database.session() as s:
        assert jobs.recover_orphans(s, service_settings) == 3
    assert job_of(database, pk_dead).status == "queued" and package_row(database, pk_dead).status == "queued"
    assert job_of(database, pk_stale).status == "queued"
    assert job_of(database, pk_live).status == "running"
    assert job_of(database, pk_tired).status == "failed"
    tired = package_row(database, pk_tired)
    assert tired.status == "failed" and "中断" in tired.reason


WORKER_THAT_HANGS = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from service.review import pipeline
    from service import cli
    marker = Path(sys.argv[1])

    def hang(path, progress=None, form_hint=None):
        progress("read", 0, 1, "hanging")
        marker.write_text("started")
        time.sleep(600)

    pipeline.review_package = hang
    sys.exit(cli.main(["worker"]))
    """
)


def test_job_killed_mid_run_completes_after_restart(session, database, service_settings, uploader, tmp_path):
    pkg = packages.create_package(session, uploader, sample_files("hn_bench_01"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SHENCHA_DATA_DIR": str(service_settings.data_dir),
           "SHENCHA_DATABASE_URL": database.url}
    marker = tmp_path / "started"
    first = subprocess.Popen([sys.executable, "-c", WORKER_THAT_HANGS, str(marker)], env=env, cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(marker.exists, "the first worker to start the job")
        assert job_of(database, pkg.id).status == "running"
        assert package_row(database, pkg.id).status == "running"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert job_of(database, pkg.id).status == "running"  # left behind by the killed process

    second = subprocess.run([sys.executable, "-m", "service.cli", "worker", "--once"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr
    job = job_of(database, pkg.id)
    assert job.status == "done" and job.attempts == 2
    row = package_row(database, pkg.id)
    assert row.status == "done", row.reason
    assert row.form == "hn_benchmark" and row.report_dict()["package"]["files"]
