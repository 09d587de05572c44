"""Background checking: the `JobQueue` interface, the job rows' life cycle, and the embedded worker.

The database holds the truth about every job.  The service layer writes a queued `Job` row in
the same transaction as its package (`enqueue`), so an accepted upload always has a job and
jobs survive restarts; `JobQueue.submit(package_id)` is then called after the commit to get it
run.  Two engines run jobs:

- the embedded default (`InProcessQueue`, no broker configured): worker threads in the server
  process, or `shencha worker` processes, claim queued rows atomically (`claim_next`);
- Celery on Redis or RabbitMQ (`service.jobs.tasks`, `SHENCHA_BROKER_URL`): the broker delivers
  the job and re-delivers it when a worker dies; the task claims its row with `claim_job`.

Both run a claimed job the same way (`execute_claimed`): a heartbeat on the row while
`runner.run_job` works, the outcome written only if the row is still theirs.  So a job runs to
its end once, however often it is delivered: a second delivery of a finished job finds it done,
one of a job another live worker holds finds it busy.  `recover_orphans` re-queues jobs whose
worker died (stale heartbeat, or a process of this host that is gone) and fails those that have
died too often; the Celery workers run it too and send the re-queued jobs again.

A run works in its own folder under the work dir (`service.store.workdirs`).  A run killed
before it could remove it leaves it behind; `sweep_work_dirs` removes every such folder whose
package has no running job, at worker start and whenever the worker is idle.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import threading
from datetime import timedelta
from typing import Callable, Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from service.jobs import runner
from service.store import workdirs
from service.config import Settings, get_settings
from service.store.db import Database, Job, Package, get_database, utcnow

log = logging.getLogger("shencha.jobs")


class JobQueue(Protocol):
    def submit(self, package_id: str) -> None:
        """A queued Job row for the package exists (see `enqueue`); make sure it gets run."""


def enqueue(session: Session, package_id: str) -> Job:
    """Adds the queued Job row to the caller's transaction."""
    job = Job(package_id=package_id, status="queued", attempts=0, enqueued_at=utcnow())
    session.add(job)
    return job


class DatabaseOnlyQueue:
    """Leaves the job in the database for whichever worker runs next (commands, tests)."""

    def submit(self, package_id: str) -> None:
        return None


_queue: JobQueue = DatabaseOnlyQueue()


def get_queue() -> JobQueue:
    return _queue


def set_queue(queue: JobQueue) -> None:
    global _queue
    _queue = queue


def share_the_cores(concurrency: int, cores: int | None = None) -> dict[str, str]:
    """Each of `concurrency` jobs at once gets its share of the machine's cores for OCR, unless
    the operator said otherwise: one recogniser of every core per job would oversubscribe them
    (measured: two such workers on two cores read scans 0.8 × as fast as one).  Returns what it set."""
    cores = cores or os.cpu_count() or 1
    wanted = {"SHENCHA_OCR_THREADS": str(max(1, cores // concurrency))}
    if concurrency >= cores:
        wanted["SHENCHA_OCR_PAGE_WORKERS"] = "1"  # the jobs are the parallelism
    set_now = {}
    for name, value in wanted.items():
        if not os.environ.get(name, "").strip():
            os.environ[name] = value
            set_now[name] = value
    return set_now


# ---------------------------------------------------------------- claiming and finishing


def current_worker_id() -> str:
    # computed per call: a forked worker process has its own pid
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_next(session: Session, worker: str) -> Job | None:
    """The oldest queued job, now running for `worker`; None when there is none."""
    while True:
        candidate = session.scalars(
            select(Job.id).where(Job.status == "queued").order_by(Job.enqueued_at, Job.id).limit(1)
        ).first()
        if candidate is None:
            session.commit()
            return None
        now = utcnow()
        result = session.execute(
            update(Job)
            .where(Job.id == candidate, Job.status == "queued")
            .values(status="running", attempts=Job.attempts + 1, worker=worker,
                    started_at=now, heartbeat_at=now, finished_at=None, error=None)
        )
        session.commit()
        if result.rowcount == 1:
            return session.get(Job, candidate, populate_existing=True)
        # another worker took it first: try the next one


CLAIMED, FINISHED, BUSY = "claimed", "finished", "busy"


def claim_job(session: Session, job_id: int, worker: str, settings: Settings | None = None) -> tuple[str, int]:
    """For an engine that delivers job ids (Celery): take the job if nobody live holds it.

    Returns (CLAIMED, attempts) when it is now ours: it was queued, or running for a worker that
    died (stale heartbeat, or a process of this host that is gone: a redelivery after SIGKILL), or
    running for this very process (a retry after the database went away mid-job: a Celery pool
    process runs one job at a time);
    (FINISHED, 0) when it is done, failed or gone (a second delivery: nothing to do);
    (BUSY, 0) when a live worker holds it (try again later: that worker may still die)."""
    settings = settings or get_settings()
    job = session.get(Job, job_id, populate_existing=True)
    if job is None or job.status in ("done", "failed"):
        session.commit()
        return FINISHED, 0
    if job.status == "running" and job.worker != worker:  # our own process runs one job at a time: not this one now
        stale_before = utcnow() - timedelta(seconds=settings.stale_seconds)
        alive = job.heartbeat_at is not None and job.heartbeat_at >= stale_before and not _process_gone(job.worker)
        if alive:
            session.commit()
            return BUSY, 0
    seen_status, seen_attempts = job.status, job.attempts  # the commit below expires `job`
    now = utcnow()
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == seen_status, Job.attempts == seen_attempts)
        .values(status="running", attempts=Job.attempts + 1, worker=worker,
                started_at=now, heartbeat_at=now, finished_at=None, error=None)
    )
    session.commit()
    if result.rowcount != 1:  # another worker claimed it between our read and our update
        return BUSY, 0
    return CLAIMED, seen_attempts + 1


class TransientFailure(Exception):
    """The database went away during a job (a restart, a failover): the job is not the
    package's failure; the engine runs it again later."""


TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def heartbeat(session: Session, job_id: int, attempts: int) -> bool:
    """False when the job is no longer ours (re-queued by recovery, or deleted)."""
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running", Job.attempts == attempts)
        .values(heartbeat_at=utcnow())
    )
    session.commit()
    return result.rowcount == 1


def mark_finished(session: Session, job_id: int, attempts: int, outcome: str, error: str | None = None) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running", Job.attempts == attempts)
        .values(status="failed" if outcome == "failed" else "done", finished_at=utcnow(), error=error)
    )
    session.commit()


def _process_gone(worker: str | None) -> bool:
    """True when `worker` (host:pid) ran on this host and that process no longer exists."""
    if not worker or ":" not in worker:
        return False
    host, _, pid_text = worker.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


def recover_orphans(session: Session, settings: Settings | None = None) -> int:
    """Re-queue running jobs whose worker died; fail those interrupted too often.  Returns how many."""
    requeued, failed = recover_orphan_jobs(session, settings)
    return len(requeued) + failed


def recover_orphan_jobs(session: Session, settings: Settings | None = None) -> tuple[list[tuple[int, str]], int]:
    """`recover_orphans`, returning the (job id, package id) it re-queued (an engine that
    delivers jobs sends them again) and how many it failed.  Each update is guarded by the
    attempt it saw, so of several workers recovering at once exactly one re-queues a job."""
    settings = settings or get_settings()
    stale_before = utcnow() - timedelta(seconds=settings.stale_seconds)
    requeued: list[tuple[int, str]] = []
    failed = 0
    for job in session.scalars(select(Job).where(Job.status == "running")).all():
        stale = job.heartbeat_at is None or job.heartbeat_at < stale_before
        gone = not stale and _process_gone(job.worker)
        if not (stale or gone):
            continue
        log.warning("job %s of package %s: worker %s %s", job.id, job.package_id, job.worker,
                    "has exited" if gone else f"sent no heartbeat since {job.heartbeat_at}")
        guard = (Job.id == job.id, Job.status == "running", Job.attempts == job.attempts)
        if job.attempts >= settings.max_attempts:
            reason = f"审查进程中断 {job.attempts} 次，已停止重试，请联系管理员或重新上传"
            result = session.execute(update(Job).where(*guard).values(status="failed", finished_at=utcnow(), error=reason))
            if result.rowcount:
                session.execute(
                    update(Package)
                    .where(Package.id == job.package_id, Package.deleted_at.is_(None))
                    .values(status="failed", reason=reason, updated_at=utcnow())
                )
                failed += 1
        else:
            result = session.execute(update(Job).where(*guard).values(status="queued", worker=None, heartbeat_at=None))
            if result.rowcount:
                session.execute(
                    update(Package)
                    .where(Package.id == job.package_id, Package.deleted_at.is_(None))
                    .values(status="queued", updated_at=utcnow())
                )
                requeued.append((job.id, job.package_id))
    session.commit()
    return requeued, failed


def undelivered_jobs(session: Session, older_than_seconds: float) -> list[tuple[int, str]]:
    """Queued jobs waiting longer than a broker would have taken to deliver them (its visibility
    timeout): their message was lost (a broker restarted without its data).  Their clock is
    reset, so each is sent again at most once per period; a duplicate delivery is harmless
    (`claim_job`)."""
    before = utcnow() - timedelta(seconds=older_than_seconds)
    rows = session.execute(
        select(Job.id, Job.package_id).where(Job.status == "queued", Job.enqueued_at < before)
    ).all()
    lost = []
    for job_id, package_id in rows:
        result = session.execute(
            update(Job).where(Job.id == job_id, Job.status == "queued", Job.enqueued_at < before).values(enqueued_at=utcnow())
        )
        if result.rowcount:
            lost.append((job_id, package_id))
    session.commit()
    return lost


def sweep_work_dirs(session: Session, settings: Settings | None = None) -> int:
    """Remove the work folders of runs that are over; returns how many.

    A folder stays while its package has a running job: after `recover_orphans` that is a job a
    live worker holds (a dead worker's job is queued again, so its folder goes).  The folders are
    listed before the jobs are read: a job claimed after that read makes a new folder, never one
    in this list, so a sweep cannot remove a folder a run is using."""
    from extractor.readers.legacy import sweep_stale_conversions

    sweep_stale_conversions()  # LibreOffice folders of reader workers killed mid-conversion
    settings = settings or get_settings()
    root = workdirs.work_root(settings)
    try:
        listed = [p for p in root.iterdir() if workdirs.work_dir_package(p.name) is not None]
    except FileNotFoundError:
        return 0
    if not listed:
        return 0
    running = set(session.scalars(select(Job.package_id).where(Job.status == "running")))
    session.commit()  # end the read transaction
    removed = 0
    for path in listed:
        if workdirs.work_dir_package(path.name) in running:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed += 1
    if removed:
        log.info("removed %d work folder(s) of interrupted runs under %s", removed, root)
    return removed


# ---------------------------------------------------------------- the in-process worker


class InProcessQueue:
    """Worker thread(s) in this process, fed by the database."""

    def __init__(
        self,
        database: Database | None = None,
        settings: Settings | None = None,
        run: Callable[[str], str] | None = None,
        threads: int = 1,
        poll_seconds: float = 2.0,
    ) -> None:
        self.settings = settings or get_settings()
        self.database = database or get_database(self.settings.database_url)
        work = workdirs.work_root(self.settings)
        self._run = run or (lambda package_id: runner.run_job(package_id, database=self.database, work=work))
        self.threads = threads
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []

    # -- JobQueue
    def submit(self, package_id: str) -> None:
        self._wake.set()

    # -- lifecycle
    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._workers)

    def start(self) -> "InProcessQueue":
        with self.database.session() as session:
            recover_orphans(session, self.settings)
            sweep_work_dirs(session, self.settings)
        self._stop.clear()
        for i in range(self.threads):
            t = threading.Thread(target=self._loop, name=f"shencha-worker-{i + 1}", daemon=True)
            t.start()
            self._workers.append(t)
        return self

    def stop(self, timeout: float | None = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        for t in self._workers:
            t.join(timeout)
        self._workers = []

    def run_until_idle(self) -> int:
        """Run every queued job in the calling thread; returns how many ran."""
        ran = 0
        while self.run_one():
            ran += 1
        return ran

    def run_one(self) -> bool:
        with self.database.session() as session:
            job = claim_next(session, current_worker_id())
        if job is None:
            return False
        self._execute(job.id, job.attempts, job.package_id)
        return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                if self.run_one():
                    continue
                with self.database.session() as session:
                    recover_orphans(session, self.settings)
                    sweep_work_dirs(session, self.settings)
            except Exception:  # the database hiccuped: keep the worker alive
                log.exception("worker loop")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def _execute(self, job_id: int, attempts: int, package_id: str) -> None:
        try:
            execute_claimed(self.database, self.settings, job_id, attempts, package_id, self._run)
        except TransientFailure:
            # the row stays running; once its heartbeat is stale `recover_orphans` queues it again
            log.warning("job %s: the database went away; it will run again", job_id)


def execute_claimed(database: Database, settings: Settings, job_id: int, attempts: int, package_id: str,
                    run: Callable[[str], str]) -> str:
    """Run a job this worker claimed (attempt `attempts`): heartbeat while `run(package_id)`
    works, then write the outcome if the row is still ours.  Returns the outcome.  Raises
    `TransientFailure` when the database failed, leaving the row for another attempt."""
    done = threading.Event()

    def beat() -> None:
        while not done.wait(settings.heartbeat_seconds):
            try:
                with database.session() as session:
                    if not heartbeat(session, job_id, attempts):
                        return
            except Exception:
                log.exception("heartbeat")

    beater = threading.Thread(target=beat, name=f"shencha-heartbeat-{job_id}", daemon=True)
    beater.start()
    outcome, error, reason = "failed", None, None
    try:
        outcome = run(package_id)
    except TRANSIENT_ERRORS as exc:
        raise TransientFailure(str(exc)) from exc
    except Exception as exc:  # run_job handles package errors; this is the worker's own failure
        log.exception("job %s", job_id)
        error = f"{type(exc).__name__}: {exc}"  # the job row, for the administrator
        reason = runner.failure_reason(exc)  # the package, for the reviewer: never the raw text
    finally:
        done.set()
        beater.join()
    try:
        with database.session() as session:
            mark_finished(session, job_id, attempts, outcome, error)
            if error is not None:
                session.execute(
                    update(Package)
                    .where(Package.id == package_id, Package.deleted_at.is_(None),
                           Package.status.in_(("queued", "running")))
                    .values(status="failed", reason=reason, updated_at=utcnow())
                )
                session.commit()
    except TRANSIENT_ERRORS as exc:
        raise TransientFailure(str(exc)) from exc
    return outcome
