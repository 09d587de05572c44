"""The scanned pages of one file recognised side by side, in a pool of processes, one engine
each on one thread.

One engine already spreads a page over every core (onnxruntime's own threads), but much of a
page's time is spent where it does not: measured by `python bench/ocr.py` on a 40-page scan,
two processes of one thread each read the pages 1.21 times as fast as one engine on two cores.
A file of `MIN_PAGES` scanned pages or more is therefore read by a pool of
`SHENCHA_OCR_PAGE_WORKERS` processes (default: 2 on a machine of two cores or more, else no pool),
started by the process reading the file (a reader worker, extractor/isolation.py) for that file
and ended with it; the processes are spawned (a fresh interpreter each: forking a process that
holds onnxruntime's threads can leave a child waiting on a lock no thread will release).  Each
pool process dies with the reader that started it (a reader killed at its
deadline takes its pool along), reads the caller's cache directory, and gives back whole
`ScannedPage`s.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

MIN_PAGES = 8  # fewer pages do not repay starting the pool (2–3 s: an interpreter and an engine per process)


def page_workers() -> int:
    from extractor.isolation import process_count

    return process_count("SHENCHA_OCR_PAGE_WORKERS", fallback=1)  # a bad value: one page at a time


@contextmanager
def page_pool(n_pages: int) -> Iterator[multiprocessing.pool.Pool | None]:
    """A pool for a file of `n_pages` scanned pages, or None where one would not help or
    cannot start (pages are then read one after the other in this process)."""
    n = page_workers()
    if n < 2 or n_pages < MIN_PAGES:
        yield None
        return
    from extractor.isolation import children_allowed

    pool = None
    try:
        # a reader worker is daemonic for the process that started it, so that it ends with it;
        # its own pool ends with it too (`_start`: the kernel kills each when the reader dies)
        with children_allowed():
            # spawned, not forked: the reader may hold onnxruntime's threads (and a test process
            # many more), whose locks a forked child inherits held
            pool = multiprocessing.get_context("spawn").Pool(n, initializer=_start)
    except (OSError, ValueError, AssertionError) as e:
        log.info("page pool could not start (%s): pages are read one at a time", e)
    try:
        yield pool
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


def _start() -> None:
    from extractor.isolation import _die_with_parent
    from extractor.ocr import engine

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    engine.THREADS = 1  # the pool is the parallelism: one thread per engine
