"""Celery: the task that checks one package, its two queues, and `CeleryQueue`, which sends it.

With `SHENCHA_BROKER_URL` set (Redis, or RabbitMQ), the API server sends each job to the broker
and `shencha worker` processes on any machine run it.  What makes that safe:

- **late acknowledgement**: a job's message is acknowledged when the job has ended, so a worker
  that dies mid-job leaves it to be delivered again (`acks_late`, `reject_on_worker_lost`; on
  Redis after the visibility timeout, which `config` keeps longer than the job time limit).
  Sooner than that, every worker runs `recover_orphan_jobs` on a timer: a job whose heartbeat
  stopped is queued again and sent again at once.
- **idempotent jobs**: the task claims the database row (`queue.claim_job`) before it works, so a
  second delivery of a job that is done, or that a live worker holds, does nothing; the report
  is replaced as a whole and reviewers' marks live in their own table, keyed by stable finding
  ids, so a job run twice neither duplicates findings nor loses marks.
- **retries with back-off** when the database goes away (a restart): the job is sent again
  after 2, 4, 8 … up to 300 seconds;
- **a time limit per job** (`SHENCHA_JOB_TIME_LIMIT`): the package fails with a reason that says
  so, a minute later the process is killed if it did not stop;
- **two queues**: packages holding a scan (`extractor.ocr.probe`) go to `shencha.ocr`, the rest
  to `shencha.text`; a worker serving both takes from either, and a machine can be given to one
  (`shencha worker --queues shencha.text`), so a burst of scans never starves quick checks.

Progress reaches the web page through the database (`runner.ProgressWriter`), whichever worker
runs the job.
"""

from __future__ import annotations

import logging
import threading
import uuid
from functools import lru_cache
from typing import Any, Sequence

from celery import Celery, signals
from kombu import Exchange, Queue
from sqlalchemy import select

from service.config import Settings, get_settings
from service.jobs import runner
from service.jobs.queue import (
    BUSY,
    FINISHED,
    TRANSIENT_ERRORS,
    TransientFailure,
    claim_job,
    current_worker_id,
    execute_claimed,
    share_the_cores,
    recover_orphan_jobs,
    sweep_work_dirs,
    undelivered_jobs,
)
from service.store import workdirs
from service.store.blobs import BlobStore, get_store
from service.store.db import Database, Job, PackageFile, get_database

log = logging.getLogger("shencha.tasks")

TASK_NAME = "shencha.check_package"
TEXT_QUEUE = "shencha.text"
OCR_QUEUE = "shencha.ocr"
QUEUES = (TEXT_QUEUE, OCR_QUEUE)
RETRY_BACKOFF_MAX = 300  # seconds
MAX_TRANSIENT_RETRIES = 12  # about half an hour of a database that does not come back
KILL_GRACE = 60  # seconds between the soft time limit and the kill


def retry_delay(retries: int) -> int:
    return min(RETRY_BACKOFF_MAX, 2 ** (retries + 1))


@lru_cache(maxsize=4)
def celery_app(settings: Settings) -> Celery:
    """The Celery application for these settings (one per process and broker)."""
    app = Celery("shencha", broker=settings.broker_url, set_as_current=False)
    transport: dict[str, Any] = {"visibility_timeout": settings.visibility_timeout}
    if settings.broker_url and settings.broker_url.startswith(("redis://", "rediss://")):
        # sweep the abandoned messages of dead workers every 10 s rather than every 100 s
        transport.update(unacked_restore_interval=10, unacked_restore_throttle=1)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,  # a long scan never holds quick jobs behind it in one process
        task_time_limit=settings.job_time_limit + KILL_GRACE,
        task_soft_time_limit=settings.job_time_limit,
        broker_transport_options=transport,
        broker_connection_retry_on_startup=True,
        # each queue its own exchange and key: with one shared binding a job would land in both
        task_queues=[Queue(name, Exchange(name, type="direct"), routing_key=name) for name in QUEUES],
        task_default_exchange=TEXT_QUEUE,
        task_default_routing_key=TEXT_QUEUE,
        task_default_queue=TEXT_QUEUE,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,  # the outcome is the package row
        task_publish_retry_policy={"max_retries": 3, "interval_start": 0, "interval_step": 0.5, "interval_max": 2},
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        enable_utc=True,
    )
    app.task(name=TASK_NAME, bind=True, max_retries=None)(_check_package)
    return app


def _check_package(task: Any, job_id: int, package_id: str) -> str:
    return run_delivered_job(task, get_settings(), job_id, package_id)


def run_delivered_job(task: Any, settings: Settings, job_id: int, package_id: str) -> str:
    """The task's body: claim the row, run the job, retry what was transient."""
    database = get_database(settings.database_url)
    retries = task.request.retries or 0
    try:
        with database.session() as session:
            state, attempts = claim_job(session, job_id, current_worker_id(), settings)
    except TRANSIENT_ERRORS as exc:
        raise task.retry(exc=exc, countdown=retry_delay(retries), max_retries=MAX_TRANSIENT_RETRIES)
    if state == FINISHED:
        return "finished"
    if state == BUSY:  # another live worker runs it; look again once its heartbeat could be stale
        raise task.retry(countdown=max(1, int(settings.stale_seconds)), max_retries=None)
    work = workdirs.work_root(settings)
    try:
        return execute_claimed(database, settings, job_id, attempts, package_id,
                               lambda pid: runner.run_job(pid, database=database, work=work))
    except TransientFailure as exc:
        raise task.retry(exc=exc, countdown=retry_delay(retries), max_retries=MAX_TRANSIENT_RETRIES)


# ---------------------------------------------------------------- sending


def choose_queue(files: Sequence[tuple[str, str, str]], store: BlobStore) -> str:
    """OCR_QUEUE when any file of the package holds a scan, else TEXT_QUEUE."""
    from extractor.ocr.probe import needs_ocr

    for path, sha256, file_type in files:
        if file_type == "image":
            return OCR_QUEUE
        if file_type not in ("pdf", "zip"):
            continue
        try:
            data = store.read(sha256)
        except OSError:
            continue  # the job will say the blob is missing
        if needs_ocr(path, data):
            return OCR_QUEUE
    return TEXT_QUEUE


class CeleryQueue:
    """`JobQueue` that sends each job to the broker."""

    def __init__(self, settings: Settings | None = None, database: Database | None = None,
                 store: BlobStore | None = None) -> None:
        self.settings = settings or get_settings()
        self.database = database or get_database(self.settings.database_url)
        self.store = store or get_store(self.settings)
        self.app = celery_app(self.settings)

    def submit(self, package_id: str) -> None:
        with self.database.session() as session:
            job_id = session.scalars(
                select(Job.id).where(Job.package_id == package_id, Job.status == "queued").order_by(Job.id.desc())
            ).first()
            files = [(f.path, f.sha256, f.type) for f in session.scalars(
                select(PackageFile).where(PackageFile.package_id == package_id).order_by(PackageFile.id))]
        if job_id is None:
            return
        self.send(job_id, package_id, choose_queue(files, self.store))

    def send(self, job_id: int, package_id: str, queue: str | None = None) -> None:
        if queue is None:
            with self.database.session() as session:
                files = [(f.path, f.sha256, f.type) for f in session.scalars(
                    select(PackageFile).where(PackageFile.package_id == package_id))]
            queue = choose_queue(files, self.store)
        try:
            self.app.send_task(TASK_NAME, args=[job_id, package_id], queue=queue)
        except Exception:  # the broker is down: the job row waits, and `resend_lost` sends it later
            log.exception("job %s of package %s could not be sent to the broker; it stays queued", job_id, package_id)


# ---------------------------------------------------------------- the worker's own upkeep


def upkeep_once(queue: CeleryQueue) -> int:
    """Send again what died or went missing; returns how many jobs were sent."""
    settings = queue.settings
    with queue.database.session() as session:
        requeued, _failed = recover_orphan_jobs(session, settings)
        lost = undelivered_jobs(session, settings.visibility_timeout)
        sweep_work_dirs(session, settings)
    for job_id, package_id in requeued + lost:
        queue.send(job_id, package_id)
    return len(requeued) + len(lost)


class Upkeep:
    """A thread in the worker's main process running `upkeep_once` every few seconds."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.interval = max(1.0, settings.stale_seconds / 2)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="shencha-upkeep", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        queue = CeleryQueue(self.settings)
        while not self._stop.is_set():
            try:
                sent = upkeep_once(queue)
                if sent:
                    log.warning("sent again %d job(s) of dead workers or lost messages", sent)
            except Exception:  # the database or the broker hiccuped: try again next time
                log.exception("upkeep")
            self._stop.wait(self.interval)


def worker_argv(settings: Settings, concurrency: int, queues: Sequence[str], loglevel: str = "INFO") -> list[str]:
    return [
        "worker",
        f"--loglevel={loglevel}",
        f"--concurrency={concurrency}",
        f"--queues={','.join(queues)}",
        f"--hostname=shencha-{uuid.uuid4().hex[:8]}@%h",
        "--without-gossip",
        "--without-mingle",
        "--pool=prefork",
    ]


def _pool_process_init(**_: Any) -> None:
    """In each Celery pool process: let the job start the reader processes it needs.

    billiard (Celery's pool) leaves its own AuthenticationString in multiprocessing's process
    record, which refuses to be pickled when the reader's forkserver context starts a process;
    multiprocessing's own type is given back.  The daemon flag is lifted by the reader itself
    (`extractor.isolation.children_allowed`)."""
    import multiprocessing.process as mp

    config = mp.current_process()._config  # noqa: SLF001
    key = config.get("authkey")
    if key is not None and type(key) is not mp.AuthenticationString:
        config["authkey"] = mp.AuthenticationString(bytes(key))


def run_worker(settings: Settings, concurrency: int, queues: Sequence[str], loglevel: str = "INFO") -> None:
    """`shencha worker` with a broker: a Celery worker (blocks until it is stopped)."""
    share_the_cores(concurrency)
    app = celery_app(settings)
    upkeep = Upkeep(settings)

    def ready(**_: Any) -> None:
        upkeep.start()

    def shutting_down(**_: Any) -> None:
        upkeep.stop()

    signals.worker_process_init.connect(_pool_process_init, weak=False)
    signals.worker_ready.connect(ready, weak=False)
    signals.worker_shutting_down.connect(shutting_down, weak=False)
    with get_database(settings.database_url).session() as session:
        sweep_work_dirs(session, settings)
    app.worker_main(worker_argv(settings, concurrency, queues, loglevel))
