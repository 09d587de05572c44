"""Background checking: the `JobQueue` interface and the database-backed in-process worker.

The database is the queue.  The service layer writes a queued `Job` row in the same
transaction as its package (`enqueue`), so an accepted upload always has a job and jobs survive
restarts; `JobQueue.submit(package_id)` is then called after the commit to get it run.

The in-process implementation runs a worker thread that claims queued jobs atomically
(`UPDATE jobs SET status='running' … WHERE id=:id AND status='queued'`, so several workers, in
threads or processes, never run one job twice), heartbeats while `runner.run_job` works, and
re-queues jobs whose worker died (`recover_orphans`).

Another task engine (Celery with Redis, say) would implement `submit` by sending a task whose
body is `runner.run_job(package_id)`; its own acknowledgement and retry replace the claim and
heartbeat, and `mark_running`/`mark_finished` keep the `Job` row informative.  Nothing else in
the service changes.

A run works in its own folder under `<data dir>/work` (see `runner.job_work_dir`).  A run killed
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
from sqlalchemy.orm import Session

from service import runner
from service.config import Settings, get_settings
from service.db import Database, Job, Package, get_database, utcnow

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


_queue_lock = threading.Lock()


def ensure_worker(database: Database | None = None, settings: Settings | None = None) -> JobQueue:
    """The process-wide queue, with a started in-process worker when the settings ask for one.

    Idempotent: `shencha serve` calls it, and an app's startup may call it again without
    starting a second worker.
    """
    settings = settings or get_settings()
    with _queue_lock:
        current = get_queue()
        if isinstance(current, InProcessQueue) and current.running:
            return current
        if settings.worker_mode != "inprocess":
            return current
        queue = InProcessQueue(database=database, settings=settings).start()
        set_queue(queue)
        return queue


def shutdown_worker(timeout: float | None = 30.0) -> None:
    """Stop the process-wide in-process worker, if one runs; jobs then wait in the database."""
    with _queue_lock:
        current = get_queue()
        if isinstance(current, InProcessQueue):
            current.stop(timeout)
        set_queue(DatabaseOnlyQueue())


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


def heartbeat(session: Session, job_id: int, attempts: int) -> bool:
    """False when the job is no longer ours (re-queued by recovery, or deleted)."""
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running", Job.attempts == attempts)
        .values(heartbeat_at=utcnow())
    )
    session.commit()
    return result.rowcount == 1


def mark_running(session: Session, package_id: str, worker: str) -> Job | None:
    """For task engines that deliver the job themselves: the package's queued job, now running."""
    job = session.scalars(select(Job).where(Job.package_id == package_id, Job.status == "queued").order_by(Job.id)).first()
    if job is None:
        return None
    now = utcnow()
    job.status, job.attempts, job.worker, job.started_at, job.heartbeat_at = "running", job.attempts + 1, worker, now, now
    session.commit()
    return job


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
    settings = settings or get_settings()
    stale_before = utcnow() - timedelta(seconds=settings.stale_seconds)
    recovered = 0
    for job in session.scalars(select(Job).where(Job.status == "running")).all():
        stale = job.heartbeat_at is None or job.heartbeat_at < stale_before
        if not (stale or _process_gone(job.worker)):
            continue
        guard = (Job.id == job.id, Job.status == "running", Job.attempts == job.attempts)
        if job.attempts >= settings.max_attempts:
            reason = f"审查进程中断 {job.attempts} 次，已停止重试，请联系管理员或重新上传"
            session.execute(update(Job).where(*guard).values(status="failed", finished_at=utcnow(), error=reason))
            session.execute(
                update(Package)
                .where(Package.id == job.package_id, Package.deleted_at.is_(None))
                .values(status="failed", reason=reason, updated_at=utcnow())
            )
        else:
            session.execute(update(Job).where(*guard).values(status="queued", worker=None, heartbeat_at=None))
            session.execute(
                update(Package)
                .where(Package.id == job.package_id, Package.deleted_at.is_(None))
                .values(status="queued", updated_at=utcnow())
            )
        recovered += 1
    session.commit()
    return recovered


def sweep_work_dirs(session: Session, settings: Settings | None = None) -> int:
    """Remove the work folders of runs that are over; returns how many.

    A folder stays while its package has a running job: after `recover_orphans` that is a job a
    live worker holds (a dead worker's job is queued again, so its folder goes).  The folders are
    listed before the jobs are read: a job claimed after that read makes a new folder, never one
    in this list, so a sweep cannot remove a folder a run is using."""
    from extractor.readers.legacy import sweep_stale_conversions

    sweep_stale_conversions()  # LibreOffice folders of reader workers killed mid-conversion
    settings = settings or get_settings()
    root = runner.work_root(settings.data_dir)
    try:
        listed = [p for p in root.iterdir() if runner.work_dir_package(p.name) is not None]
    except FileNotFoundError:
        return 0
    if not listed:
        return 0
    running = set(session.scalars(select(Job.package_id).where(Job.status == "running")))
    session.commit()  # end the read transaction
    removed = 0
    for path in listed:
        if runner.work_dir_package(path.name) in running:
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
        work = runner.work_root(self.settings.data_dir)
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
        done = threading.Event()

        def beat() -> None:
            while not done.wait(self.settings.heartbeat_seconds):
                try:
                    with self.database.session() as session:
                        if not heartbeat(session, job_id, attempts):
                            return
                except Exception:
                    log.exception("heartbeat")

        beater = threading.Thread(target=beat, name=f"shencha-heartbeat-{job_id}", daemon=True)
        beater.start()
        outcome, error, reason = "failed", None, None
        try:
            outcome = self._run(package_id)
        except Exception as exc:  # run_job handles package errors; this is the worker's own failure
            log.exception("job %s", job_id)
            error = f"{type(exc).__name__}: {exc}"  # the job row, for the administrator
            reason = runner.failure_reason(exc)  # the package, for the reviewer: never the raw text
        finally:
            done.set()
            beater.join()
        with self.database.session() as session:
            mark_finished(session, job_id, attempts, outcome, error)
            if error is not None:
                session.execute(
                    update(Package)
                    .where(Package.id == package_id, Package.deleted_at.is_(None),
                           Package.status.in_(("queued", "running")))
                    .values(status="failed", reason=reason, updated_at=utcnow())
                )
                session.commit()
