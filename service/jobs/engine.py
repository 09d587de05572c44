"""Which engine runs the jobs of this process: `ensure_worker` installs it, `shutdown_worker` stops it.

`SHENCHA_WORKER` (default: `celery` when `SHENCHA_BROKER_URL` is set, else `inprocess`):
- `inprocess`: a worker thread in this process, fed by the database (the embedded default);
- `celery`: jobs are sent to the broker; `shencha worker` processes on any machine run them;
- `none`: jobs wait in the database for a `shencha worker` of the embedded kind.
"""

from __future__ import annotations

import threading

from service.config import Settings, get_settings
from service.jobs.queue import DatabaseOnlyQueue, InProcessQueue, JobQueue, get_queue, set_queue
from service.store.db import Database

_queue_lock = threading.Lock()


def ensure_worker(database: Database | None = None, settings: Settings | None = None) -> JobQueue:
    """The process-wide queue for the settings' engine, started.

    Idempotent: `shencha serve` calls it, and an app's startup may call it again without
    starting a second worker.
    """
    settings = settings or get_settings()
    with _queue_lock:
        current = get_queue()
        if isinstance(current, InProcessQueue) and current.running:
            return current
        if settings.worker_mode == "celery":
            from service.jobs.tasks import CeleryQueue

            if not isinstance(current, CeleryQueue):
                current = CeleryQueue(settings=settings, database=database)
                set_queue(current)
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
