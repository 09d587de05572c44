"""The distributed engine's parts, without a broker (issue 10): claiming a delivered job,
re-sending what died or went missing, queue routing, settings, the task's retries, and the
job time limit with a real Celery worker on Redis."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from service.config import ConfigError, load_settings
from service.domain import packages
from service.jobs import queue as jobs
from service.jobs import tasks
from service.store.blobs import DirectoryBlobStore
from service.store.db import Job, Package, utcnow
from tests.fixtures_build import reportlab_pdf, scanned_pdf
from tests.test_service_packages import PDF, sample_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def uploader(make_user):
    return make_user("agency", "agency", city="武汉市")


@pytest.fixture
def settings(database):
    """The settings on the test's database (the `database` fixture points them at it)."""
    from service.config import get_settings

    return get_settings()


def text_pdf(pages: int = 3) -> bytes:
    def draw(c, page_no):
        c.drawString(72, 720, f"Page {page_no}: comprehensive utilisation report, text layer present")

    return reportlab_pdf(draw, pages=pages)


def job_of(database, package_id: str) -> Job:
    with database.session() as s:
        return s.scalars(select(Job).where(Job.package_id == package_id).order_by(Job.id.desc())).first()


def _set_job(database, job_id: int, **values) -> None:
    with database.session() as s:
        s.execute(update(Job).where(Job.id == job_id).values(**values))
        s.commit()


# ---------------------------------------------------------------- claiming a delivered job


def test_claim_job_takes_a_queued_job_once(session, database, service_settings, uploader):
    job = job_of(database, packages.create_package(session, uploader, [("a.pdf", PDF)]).id)
    with database.session() as s:
        assert jobs.claim_job(s, job.id, "host:1", service_settings) == (jobs.CLAIMED, 1)
    with database.session() as s:  # a second delivery while the first runs (live heartbeat)
        assert jobs.claim_job(s, job.id, "host:2", service_settings) == (jobs.BUSY, 0)
    row = job_of(database, job.package_id)
    assert (row.status, row.attempts, row.worker) == ("running", 1, "host:1")


def test_claim_job_after_the_end_does_nothing(session, database, service_settings, uploader):
    job = job_of(database, packages.create_package(session, uploader, [("a.pdf", PDF)]).id)
    for status in ("done", "failed"):
        _set_job(database, job.id, status=status, attempts=1)
        with database.session() as s:
            assert jobs.claim_job(s, job.id, "host:1", service_settings) == (jobs.FINISHED, 0)
        assert job_of(database, job.package_id).attempts == 1
    with database.session() as s:
        assert jobs.claim_job(s, 10**9, "host:1", service_settings) == (jobs.FINISHED, 0)  # deleted package


def test_claim_job_takes_over_from_a_dead_or_silent_worker(session, database, service_settings, uploader):
    import socket

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    job = job_of(database, packages.create_package(session, uploader, [("a.pdf", PDF)]).id)
    _set_job(database, job.id, status="running", attempts=1, worker=f"{socket.gethostname()}:{dead.pid}",
             heartbeat_at=utcnow())
    with database.session() as s:
        assert jobs.claim_job(s, job.id, "host:2", service_settings) == (jobs.CLAIMED, 2)
    _set_job(database, job.id, worker="elsewhere:1",
             heartbeat_at=utcnow() - timedelta(seconds=service_settings.stale_seconds + 1))
    with database.session() as s:
        assert jobs.claim_job(s, job.id, "host:3", service_settings) == (jobs.CLAIMED, 3)


def test_execute_claimed_writes_the_outcome_only_while_the_job_is_ours(session, database, service_settings, uploader):
    job = job_of(database, packages.create_package(session, uploader, [("a.pdf", PDF)]).id)
    with database.session() as s:
        _, attempts = jobs.claim_job(s, job.id, "host:1", service_settings)

    def taken_over(package_id: str) -> str:  # meanwhile recovery gave the job to another worker
        _set_job(database, job.id, attempts=attempts + 1, worker="host:2")
        return "done"

    assert jobs.execute_claimed(database, service_settings, job.id, attempts, job.package_id, taken_over) == "done"
    assert job_of(database, job.package_id).status == "running"  # the other worker's to finish


def test_a_database_failure_is_transient_not_the_packages(session, database, service_settings, uploader):
    job = job_of(database, packages.create_package(session, uploader, [("a.pdf", PDF)]).id)
    with database.session() as s:
        _, attempts = jobs.claim_job(s, job.id, "host:1", service_settings)

    def database_restarts(package_id: str) -> str:
        raise OperationalError("UPDATE packages", {}, Exception("server closed the connection unexpectedly"))

    with pytest.raises(jobs.TransientFailure):
        jobs.execute_claimed(database, service_settings, job.id, attempts, job.package_id, database_restarts)
    row = job_of(database, job.package_id)
    assert row.status == "running" and row.error is None  # left for another attempt
    with database.session() as s:
        assert s.get(Package, job.package_id).status != "failed"


# ---------------------------------------------------------------- the task's body


class FakeTask:
    """What `run_delivered_job` uses of a bound Celery task."""

    class Retry(Exception):
        pass

    def __init__(self, retries: int = 0) -> None:
        self.request = SimpleNamespace(retries=retries)
        self.retried: list[dict] = []

    def retry(self, **kwargs):
        self.retried.append(kwargs)
        return self.Retry()


def test_task_runs_the_job_once_and_ignores_a_second_delivery(session, database, settings, uploader, monkeypatch):
    pkg = packages.create_package(session, uploader, [("a.pdf", PDF)])
    job = job_of(database, pkg.id)
    ran = []
    monkeypatch.setattr(tasks.runner, "run_job", lambda pid, **_: ran.append(pid) or "done")
    assert tasks.run_delivered_job(FakeTask(), settings, job.id, pkg.id) == "done"
    assert tasks.run_delivered_job(FakeTask(), settings, job.id, pkg.id) == "finished"
    assert ran == [pkg.id]
    row = job_of(database, pkg.id)
    assert (row.status, row.attempts) == ("done", 1)


def test_task_retries_a_busy_job_later(session, database, settings, uploader):
    pkg = packages.create_package(session, uploader, [("a.pdf", PDF)])
    job = job_of(database, pkg.id)
    _set_job(database, job.id, status="running", attempts=1, worker="elsewhere:9", heartbeat_at=utcnow())
    task = FakeTask()
    with pytest.raises(FakeTask.Retry):
        tasks.run_delivered_job(task, settings, job.id, pkg.id)
    assert task.retried[0]["countdown"] >= 1 and task.retried[0]["max_retries"] is None


def test_task_retries_with_backoff_when_the_database_fails(session, database, settings, uploader, monkeypatch):
    pkg = packages.create_package(session, uploader, [("a.pdf", PDF)])
    job = job_of(database, pkg.id)

    def gone(*_a, **_k):
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr(tasks, "claim_job", gone)
    delays = []
    for retries in range(4):
        task = FakeTask(retries)
        with pytest.raises(FakeTask.Retry):
            tasks.run_delivered_job(task, settings, job.id, pkg.id)
        delays.append(task.retried[0]["countdown"])
        assert task.retried[0]["max_retries"] == tasks.MAX_TRANSIENT_RETRIES
    assert delays == [2, 4, 8, 16] and tasks.retry_delay(30) == tasks.RETRY_BACKOFF_MAX


# ---------------------------------------------------------------- re-sending


def test_recovered_and_undelivered_jobs_are_named_for_sending_again(session, database, service_settings, uploader):
    stale = job_of(database, packages.create_package(session, uploader, [("a.pdf", PDF)]).id)
    waiting = job_of(database, packages.create_package(session, uploader, [("b.pdf", PDF)]).id)
    fresh = job_of(database, packages.create_package(session, uploader, [("c.pdf", PDF)]).id)
    _set_job(database, stale.id, status="running", attempts=1, worker="elsewhere:1",
             heartbeat_at=utcnow() - timedelta(seconds=service_settings.stale_seconds + 5))
    _set_job(database, waiting.id, enqueued_at=utcnow() - timedelta(hours=3))
    with database.session() as s:
        requeued, failed = jobs.recover_orphan_jobs(s, service_settings)
    assert requeued == [(stale.id, stale.package_id)] and failed == 0
    with database.session() as s:
        lost = jobs.undelivered_jobs(s, 2 * 3600)
    # the job just re-queued was enqueued long ago too: it is sent once, as recovered
    assert (waiting.id, waiting.package_id) in lost and (fresh.id, fresh.package_id) not in lost
    with database.session() as s:
        assert jobs.undelivered_jobs(s, 2 * 3600) == []  # its clock was reset: not sent again at once


def test_upkeep_sends_again_what_died(session, database, service_settings, uploader, monkeypatch):
    stale = job_of(database, packages.create_package(session, uploader, [("a.pdf", PDF)]).id)
    _set_job(database, stale.id, status="running", attempts=1, worker="elsewhere:1",
             heartbeat_at=utcnow() - timedelta(seconds=service_settings.stale_seconds + 5))
    sent = []
    queue = SimpleNamespace(settings=service_settings, database=database,
                            send=lambda job_id, package_id, queue=None: sent.append((job_id, package_id)))
    assert tasks.upkeep_once(queue) == 1
    assert sent == [(stale.id, stale.package_id)]
    assert job_of(database, stale.package_id).status == "queued"


# ---------------------------------------------------------------- routing


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(out, "PNG")
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("files, queue", [
    ([("报告.pdf", text_pdf(), "pdf")], tasks.TEXT_QUEUE),
    ([("报告.pdf", text_pdf(), "pdf"), ("营业执照.png", None, "image")], tasks.OCR_QUEUE),
    ([("证明.pdf", text_pdf(8), "pdf"), ("报告.docx", b"PK\x03\x04", "docx")], tasks.TEXT_QUEUE),
    ([("附件3.pdf", scanned_pdf(), "pdf")], tasks.OCR_QUEUE),
    ([("包.zip", _zip({"a/报告.pdf": text_pdf()}), "zip")], tasks.TEXT_QUEUE),
    ([("包.zip", _zip({"a/报告.pdf": text_pdf(), "a/附件/执照.JPG": b"\xff\xd8\xff"}), "zip")], tasks.OCR_QUEUE),
    ([("包.zip", _zip({"a/扫描.pdf": scanned_pdf(2)}), "zip")], tasks.OCR_QUEUE),
    ([("包.zip", _zip({"内.zip": _zip({"扫描.pdf": scanned_pdf()})}), "zip")], tasks.OCR_QUEUE),
    ([("坏.pdf", b"%PDF-1.7 broken", "pdf")], tasks.TEXT_QUEUE),
])
def test_packages_holding_a_scan_go_to_the_ocr_queue(tmp_path, files, queue):
    store = DirectoryBlobStore(tmp_path)
    rows = [(name, store.put(data if data is not None else _png()), kind) for name, data, kind in files]
    assert tasks.choose_queue(rows, store) == queue


# ---------------------------------------------------------------- settings


def test_broker_settings(tmp_path):
    base = {"SHENCHA_DATA_DIR": str(tmp_path), "SHENCHA_SECRET_KEY": "k" * 40}
    embedded = load_settings(base)
    assert embedded.broker_url is None and embedded.worker_mode == "inprocess"
    assert embedded.blob_dir == tmp_path / "blobs" and embedded.work_dir == tmp_path / "work"
    celery = load_settings({**base, "SHENCHA_BROKER_URL": "redis://127.0.0.1:6379/0", "SHENCHA_JOB_TIME_LIMIT": "5000",
                            "SHENCHA_BLOB_DIR": str(tmp_path / "shared"), "SHENCHA_WORK_DIR": str(tmp_path / "local")})
    assert celery.worker_mode == "celery" and celery.visibility_timeout == 10000
    assert celery.blob_dir == tmp_path / "shared" and celery.work_dir == tmp_path / "local"
    with pytest.raises(ConfigError, match="SHENCHA_BROKER_VISIBILITY_TIMEOUT"):
        load_settings({**base, "SHENCHA_BROKER_URL": "redis://x", "SHENCHA_JOB_TIME_LIMIT": "600",
                       "SHENCHA_BROKER_VISIBILITY_TIMEOUT": "600"})
    with pytest.raises(ConfigError, match="SHENCHA_BROKER_URL"):
        load_settings({**base, "SHENCHA_BROKER_URL": "127.0.0.1:6379"})
    with pytest.raises(ConfigError, match="SHENCHA_BROKER_URL"):
        load_settings({**base, "SHENCHA_WORKER": "celery"})


def test_worker_refuses_options_of_the_other_engine(service_settings, capsys):
    from service import cli

    assert cli.main(["worker", "--queues", "shencha.text"]) != 0
    assert "SHENCHA_BROKER_URL" in capsys.readouterr().err


# ---------------------------------------------------------------- the time limit, on a real worker

WORKER_THAT_HANGS = textwrap.dedent(
    """
    import sys, time
    from service.review import pipeline
    from service import cli

    def hang(path, progress=None, form_hint=None):
        progress("read", 0, 1, "hanging")
        time.sleep(600)

    pipeline.review_package = hang
    sys.exit(cli.main(["worker", "--concurrency", "1"]))
    """
)


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_job_past_its_time_limit_fails_with_a_reason(session, database, settings, uploader, tmp_path):
    import redis

    url = "redis://127.0.0.1:6379/12"
    redis.Redis.from_url(url).flushdb()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SHENCHA_DATA_DIR": str(settings.data_dir),
           "SHENCHA_DATABASE_URL": database.url, "SHENCHA_BROKER_URL": url, "SHENCHA_JOB_TIME_LIMIT": "10",
           "SHENCHA_OCR": "off"}
    worker = subprocess.Popen([sys.executable, "-c", WORKER_THAT_HANGS], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        queue = tasks.CeleryQueue(settings=load_settings(env), database=database)
        pkg = packages.create_package(session, uploader, sample_files("hn_bench_01"), queue=queue)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            row = job_of(database, pkg.id)
            if row.status in ("done", "failed"):
                break
            time.sleep(0.2)
        else:
            pytest.fail("the job did not end")
    finally:
        os.killpg(worker.pid, 9)
        worker.wait()
        redis.Redis.from_url(url).flushdb()
    assert (row.status, row.attempts) == ("failed", 1)
    with database.session() as s:
        package = s.get(Package, pkg.id)
    assert package.status == "failed" and "任务时限" in package.reason


PROBE_FROM_THREADS = textwrap.dedent(
    """
    import sys, threading
    from tests.fixtures_build import reportlab_pdf, scanned_pdf
    from extractor.ocr import probe

    def draw(c, n):
        c.drawString(72, 720, "text layer page %d" % n)

    docs = [reportlab_pdf(draw, pages=12), scanned_pdf(6)]

    def work():
        for i in range(40):
            probe.needs_ocr("x.pdf", docs[i % 2])

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("ok")
    """
)


def test_routing_probes_from_many_request_threads_at_once():
    """pdfium is not thread-safe: 24 uploads routed at once crashed the API server (SIGSEGV)
    before the probe took the process's pdfium lock, which the report crops share."""
    from extractor.ocr import probe
    from service.reports import crops

    assert probe.PDFIUM_LOCK is crops.PDFIUM_LOCK
    proc = subprocess.run([sys.executable, "-c", PROBE_FROM_THREADS], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", (proc.returncode, proc.stderr[-2000:])


# ---------------------------------------------------------------- a database restart, for real


class TcpProxy:
    """127.0.0.1:<port> forwarded to PostgreSQL; `cut()` drops every connection and refuses new
    ones (the server restarting), `restore()` lets them through again."""

    def __init__(self, target: tuple[str, int]) -> None:
        import socket
        import threading

        self.target = target
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.refusing = False
        self.open: list = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refusing:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src, dst) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self) -> None:
        import socket

        self.refusing = True
        with self.lock:
            for s in self.open:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
            self.open = []

    def restore(self) -> None:
        self.refusing = False

    def close(self) -> None:
        self.cut()
        self.listener.close()


WORKER_WAITING_FOR_A_SIGNAL = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from service.review import pipeline
    from service import cli

    started, resume = Path(sys.argv[1]), Path(sys.argv[2])
    real = pipeline.review_package

    def paused(path, progress=None, form_hint=None):
        progress("read", 0, 1, "waiting")
        started.write_text("started")
        while not resume.exists():
            time.sleep(0.1)
        return real(path, progress=progress, form_hint=form_hint)

    pipeline.review_package = paused
    sys.exit(cli.main(["worker", "--concurrency", "1"]))
    """
)


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_database_restart_mid_job_is_retried_not_failed(session, database, settings, uploader, tmp_path):
    """The database goes away while a job works and stays away past its end: writing the outcome
    fails, the task is retried with back-off until the database is back, and the package is done
    (not failed with an internal error)."""
    import redis
    from sqlalchemy.engine import make_url

    url = "redis://127.0.0.1:6379/12"
    redis.Redis.from_url(url).flushdb()
    real = make_url(database.url)
    proxy = TcpProxy((real.host or "127.0.0.1", real.port or 5432))
    proxied = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    started, resume = tmp_path / "started", tmp_path / "resume"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SHENCHA_DATA_DIR": str(settings.data_dir),
           "SHENCHA_DATABASE_URL": proxied, "SHENCHA_BROKER_URL": url, "SHENCHA_OCR": "off",
           "SHENCHA_JOB_HEARTBEAT_SECONDS": "1"}
    log = open(tmp_path / "worker.log", "wb")
    worker = subprocess.Popen([sys.executable, "-c", WORKER_WAITING_FOR_A_SIGNAL, str(started), str(resume)],
                              env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        queue = tasks.CeleryQueue(settings=load_settings(env), database=database)
        pkg = packages.create_package(session, uploader, sample_files("hn_bench_01"), queue=queue)
        deadline = time.monotonic() + 120
        while not started.exists():
            assert time.monotonic() < deadline and worker.poll() is None, "the worker did not start the job"
            time.sleep(0.1)
        proxy.cut()  # the database restarts ...
        resume.write_text("go")  # ... while the review goes on and ends
        time.sleep(6)  # outcome write fails, the task is retried (2 s, 4 s …) against a database still away
        proxy.restore()
        while (row := job_of(database, pkg.id)).status not in ("done", "failed"):
            assert time.monotonic() < deadline + 120, "the job did not end"
            time.sleep(0.2)
    finally:
        os.killpg(worker.pid, 9)
        worker.wait()
        proxy.close()
        redis.Redis.from_url(url).flushdb()
    text = (tmp_path / "worker.log").read_text(errors="replace")
    assert "Retry in" in text, text[-3000:]  # Celery's own line for a retried task
    assert row.status == "done" and row.attempts == 2 and row.error is None, (row.status, row.attempts, row.error)
    with database.session() as s:
        package = s.get(Package, pkg.id)
    assert package.status == "done" and package.form == "hn_benchmark", package.reason


def test_the_broker_password_is_never_shown():
    from service import cli

    assert cli._broker_shown("redis://:s3cret@redis:6379/0") == "redis://:***@redis:6379/0"
    assert cli._broker_shown("amqp://shencha:s3cret@mq:5672//") == "amqp://shencha:***@mq:5672//"
    assert cli._broker_shown("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_concurrent_jobs_share_the_cores_for_ocr(monkeypatch):
    for name in ("SHENCHA_OCR_THREADS", "SHENCHA_OCR_PAGE_WORKERS"):
        monkeypatch.setenv(name, "")  # empty is unset; the fixture puts back what was there
    assert jobs.share_the_cores(1, cores=8) == {"SHENCHA_OCR_THREADS": "8"}
    monkeypatch.setenv("SHENCHA_OCR_THREADS", "")
    assert jobs.share_the_cores(4, cores=8) == {"SHENCHA_OCR_THREADS": "2"}
    monkeypatch.setenv("SHENCHA_OCR_THREADS", "")
    assert jobs.share_the_cores(2, cores=2) == {"SHENCHA_OCR_THREADS": "1", "SHENCHA_OCR_PAGE_WORKERS": "1"}
    monkeypatch.setenv("SHENCHA_OCR_THREADS", "3")  # the operator's word stands
    monkeypatch.setenv("SHENCHA_OCR_PAGE_WORKERS", "")
    assert jobs.share_the_cores(2, cores=2) == {"SHENCHA_OCR_PAGE_WORKERS": "1"}
    from extractor.ocr import engine

    assert engine.engine_threads() == 3
