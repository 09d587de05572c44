"""Each file of a package is read in a worker process under a time and a memory budget, so that
one file can never take the whole check down.

A crafted or merely unlucky file can make a reader allocate without bound, loop for ever or
crash the interpreter inside a C library (pdfium, lxml, Pillow).  The pipeline therefore reads
through `read_files`, which hands each file to a worker process:

- the worker's address space is capped at `file_memory_bytes` (`RLIMIT_AS`): an allocation
  beyond it fails with `MemoryError`, and the file becomes a FILE.LIMIT_EXCEEDED warning
  ("读取时内存超过上限 3 GiB");
- the parent kills a worker that has not answered within `file_seconds` ("读取用时超过上限
  120 秒"); a LibreOffice converter the worker started dies with it.  Recognising scanned
  pages is slow by nature (seconds a page), so the time a page's OCR took is given back to the
  file as it finishes (`ocr_page_done`, reported to the parent over the worker's pipe), up to
  `ocr_seconds` a file: a hang anywhere, OCR included, is still caught `file_seconds` after
  the last page that finished.  The same reports are the file's OCR progress (`read_files`'s
  `progress`);
- a worker that dies some other way (a segfault, an abort) makes the file unreadable
  ("…异常终止…"), never the package: the other files are still read, by a fresh worker;
- library warnings and log records raised while reading never reach stderr.  The ones that say
  content was dropped (an image openpyxl cannot keep, a sheet it removes) become
  `Document.omissions`; the rest are discarded.

Workers are long-lived and shared by every review of the process.  They come from a
multiprocessing "forkserver" that has the readers imported already: safe from a threaded
parent (uvicorn, job threads), and a new worker costs a fork, not an interpreter start.  A
worker that held a lot of memory, or hit a limit, is retired after its file.  As with any
multiprocessing start method other than fork, the program's `__main__` must be importable
without side effects (`if __name__ == "__main__":`); all entry points of the project are.

The result comes back pickled (protocol 5), blocks in chunks, so that the parent unpickles one
chunk while the worker pickles the next.  Up to `SHENCHA_READ_WORKERS` files are read at once.

Settings (environment variables):

- `SHENCHA_ISOLATE_READS` — `0`, `false`, `no` or `off` reads every file in the calling process
  instead, without limits on time and memory (tests, debugging with a debugger).  Default: on,
  in the CLI and in the service.
- `SHENCHA_READ_WORKERS` — how many files of a package are read at the same time (default 2,
  or 1 on a one-core machine).
- The budgets themselves are `SHENCHA_LIMIT_FILE_SECONDS` and `SHENCHA_LIMIT_FILE_MEMORY_BYTES`
  (extractor/limits.py).
"""

from __future__ import annotations

import atexit
import gc
import logging
import multiprocessing
import os
import pickle
import re
import signal
import threading
import time
import warnings
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, fields
from multiprocessing.connection import Connection, wait
from typing import Callable, Iterator, Sequence

from extractor import limits as _limits
from extractor.model import Document
from extractor.package import PackageFile

log = logging.getLogger(__name__)

Reader = Callable[[PackageFile], Document]

# modules the forkserver imports once, so that a worker starts ready to read
PRELOAD = [
    "extractor.model",
    "extractor.read",
    "extractor.readers.docx_reader",
    "extractor.readers.xlsx_reader",
    "extractor.readers.pdf_reader",
    "extractor.readers.image_reader",
    "extractor.readers.legacy",
    "extractor.isolation",
]
BLOCKS_PER_CHUNK = 64  # blocks pickled together on the way back (a PDF page's worth or so)
WORKER_START_SECONDS = 60.0  # a worker that is not ready by then is broken (hang guard only)
RETIRE_FRACTION = 0.5  # a worker whose address space stays above this share of the limit is replaced
_FALSE = {"0", "false", "no", "off"}


def isolation_enabled() -> bool:
    return os.environ.get("SHENCHA_ISOLATE_READS", "1").strip().lower() not in _FALSE


def parallel_reads() -> int:
    return process_count("SHENCHA_READ_WORKERS")


def process_count(setting: str, fallback: int | None = None) -> int:
    """How many processes the environment variable `setting` asks for; unset: 2 on a machine
    of two cores or more, else 1.  A value that is no number raises, or gives `fallback` (with
    a warning in the log) where one is given."""
    raw = os.environ.get(setting, "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            if fallback is None:
                raise ValueError(f"{setting}={raw!r}: not a number") from None
            log.warning("%s=%r is not a number: %d used", setting, raw, fallback)
            return fallback
    return 2 if (os.cpu_count() or 1) >= 2 else 1


# ---------------------------------------------------------------- the budget of the file being read

_current = threading.local()  # the file being read in this thread: its deadline and memory cap


def time_left() -> float | None:
    """Seconds left of the budget of the file being read in this thread, or None outside a read
    (a LibreOffice conversion stops in time with it)."""
    deadline = getattr(_current, "deadline", None)
    return None if deadline is None else deadline - time.monotonic()


def memory_limit() -> int:
    """The address-space cap of the file being read (bytes)."""
    return getattr(_current, "memory", None) or _limits.get_limits().file_memory_bytes


def ocr_time_left() -> float | None:
    """Seconds of recognition the file being read in this thread may still spend
    (`ReadLimits.ocr_seconds`), or None outside a read."""
    if getattr(_current, "deadline", None) is None:
        return None
    return _limits.get_limits().ocr_seconds - _current.ocr_spent


def ocr_page_done(seconds: float, done: int, total: int) -> None:
    """A scanned page of the file being read was recognised in `seconds`: the file's deadline
    moves on by that much (within `ocr_seconds`), here and in the parent that guards the
    worker, and the file's progress is `done` of `total` pages recognised."""
    if getattr(_current, "deadline", None) is None:
        return
    given = max(0.0, min(seconds, _limits.get_limits().ocr_seconds - _current.ocr_spent))
    _current.ocr_spent += given
    _current.deadline += given
    conn = getattr(_current, "conn", None)
    if conn is not None:
        try:
            conn.send_bytes(pickle.dumps((_OCR_PAGE, given, done, total), protocol=5))
        except (OSError, ValueError):  # the parent is gone: the worker ends when it sends its result
            pass
    report = getattr(_current, "report", None)
    if report is not None:
        report(done, total)


_OCR_PAGE = "ocr-page"  # the tag of a worker's progress message (any other message is the result)


@contextmanager
def _budget(seconds: float, memory: int, conn: Connection | None = None,
            report: Callable[[int, int], None] | None = None) -> Iterator[None]:
    _current.deadline, _current.memory = time.monotonic() + seconds, memory
    _current.ocr_spent, _current.conn, _current.report = 0.0, conn, report
    try:
        yield
    finally:
        _current.deadline = _current.memory = _current.conn = _current.report = None


# ---------------------------------------------------------------- reading files


def read_files(
    files: Sequence[PackageFile],
    started: Callable[[PackageFile], None] | None = None,
    finished: Callable[[PackageFile, Document], None] | None = None,
    reader: Reader | None = None,
    progress: Callable[[PackageFile, int, int], None] | None = None,
) -> list[Document]:
    """One Document per file, in the order given; never raises for a file's sake.

    `started` / `finished` are called (in the calling thread) as each file goes to a worker and
    comes back; `progress(file, done, total)` as each of a file's scanned pages is recognised
    (`ocr_page_done`).  `reader` (default `extractor.read.read_document`, looked up at call time) must
    be a module-level function, since it is sent to the worker by name."""
    if reader is None:
        from extractor import read

        reader = read.read_document
    if not files:
        return []
    if isolation_enabled() and _pool.usable() and _sendable(reader):
        return _read_isolated(list(files), reader, started, finished, progress)
    return _read_in_process(list(files), reader, started, finished, progress)


def _sendable(reader: Reader) -> bool:
    try:
        pickle.dumps(reader)
    except (pickle.PicklingError, AttributeError, TypeError):
        log.warning("reader %r cannot be sent to a worker (not a module-level function): read in this process", reader)
        return False
    return True


def _read_in_process(files: list[PackageFile], reader: Reader, started, finished, progress=None) -> list[Document]:
    limits = _limits.get_limits()
    docs = []
    for pf in files:
        if started:
            started(pf)
        report = (lambda done, total, pf=pf: progress(pf, done, total)) if progress else None
        with _budget(limits.file_seconds, limits.file_memory_bytes, report=report):
            doc = run_reader(reader, pf)
        if finished:
            finished(pf, doc)
        docs.append(doc)
    return docs


def run_reader(reader: Reader, pf: PackageFile) -> Document:
    """`reader(pf)` with library warnings and log records captured: nothing reaches stderr, and
    the warnings that say content was dropped become omissions (extractor.read does this for
    each attempt at a file itself; this catches what is left)."""
    from extractor.read import failed_document, memory_reason

    with captured_noise() as noise:
        try:
            doc = reader(pf)
        except MemoryError:
            doc = failed_document(pf, memory_reason(memory_limit()), "limit")
        except Exception as e:  # noqa: BLE001 - a reader should not raise; a test reader may
            doc = failed_document(pf, f"读取该文件时读取程序出错（{type(e).__name__}），文件可能已损坏", "damaged")
    return with_dropped_content(doc, noise)


@dataclass
class _Task:
    index: int
    pf: PackageFile
    deadline: float
    killed: bool = False  # by us, at the deadline
    ocr_given: float = 0.0  # seconds of OCR the deadline has been moved on by


def _read_isolated(files: list[PackageFile], reader: Reader, started, finished, progress=None) -> list[Document]:
    limits = _limits.get_limits()
    results: list[Document | None] = [None] * len(files)
    queue = deque(enumerate(files))
    busy: dict[Connection, tuple[_Worker, _Task]] = {}
    width = min(parallel_reads(), len(files))
    try:
        while queue or busy:
            while queue and len(busy) < width:
                index, pf = queue.popleft()
                if started:
                    started(pf)
                worker = _pool.take()
                if worker is None:  # workers cannot start here: read this file in this process
                    results[index] = _read_in_process([pf], reader, None, None, progress)[0]
                    _finish(finished, pf, results[index])
                    continue
                worker.send((reader, pf, limits, gc.get_threshold(), reader_settings()))
                busy[worker.conn] = (worker, _Task(index, pf, time.monotonic() + limits.file_seconds))
            if not busy:
                continue
            ready = wait(list(busy), timeout=max(0.0, min(t.deadline for _, t in busy.values()) - time.monotonic()))
            for conn in ready:
                worker, task = busy.pop(conn)
                try:
                    message = worker.next_message()
                except Exception:  # noqa: BLE001 - EOF (the worker died) or a message that does not load
                    message = None
                if isinstance(message, tuple) and message[:1] == (_OCR_PAGE,):
                    _tag, given, done, total = message
                    task.deadline += max(0.0, min(float(given), limits.ocr_seconds - task.ocr_given))
                    task.ocr_given += max(0.0, float(given))
                    busy[conn] = (worker, task)
                    if progress:
                        progress(task.pf, done, total)
                    continue
                results[task.index] = _collect(worker, task, limits, message)
                _finish(finished, task.pf, results[task.index])
            for conn, (worker, task) in list(busy.items()):
                if time.monotonic() >= task.deadline and conn not in ready:
                    del busy[conn]
                    task.killed = True
                    worker.kill()
                    results[task.index] = _lost(worker, task, limits)
                    _finish(finished, task.pf, results[task.index])
    finally:
        for worker, _task in busy.values():  # interrupted: nothing keeps reading
            worker.kill()
    return [doc for doc in results if doc is not None]


def _finish(finished, pf: PackageFile, doc: Document) -> None:
    if finished:
        finished(pf, doc)


def _collect(worker: _Worker, task: _Task, limits: _limits.ReadLimits, first: object) -> Document:
    try:
        if first is None:
            raise EOFError
        doc, retire = worker.receive(limits.file_seconds, first)
    except Exception:  # noqa: BLE001 - EOF (the worker died), a hang, a result that does not load
        worker.kill()
        return _lost(worker, task, limits)
    _pool.give_back(worker, retire)
    return doc


def _lost(worker: _Worker, task: _Task, limits: _limits.ReadLimits) -> Document:
    """The Document of a file whose worker died or was killed."""
    from extractor.read import failed_document, memory_reason, time_reason

    code = worker.exitcode()
    if task.killed:
        return failed_document(task.pf, time_reason(limits.file_seconds), "limit")
    if code == -signal.SIGKILL:  # not by us: the kernel's out-of-memory killer
        return failed_document(task.pf, memory_reason(limits.file_memory_bytes), "limit")
    log.info("reader worker for %s ended with %s", task.pf.path, code)
    return failed_document(task.pf, _crash_reason(code), "damaged")


def _crash_reason(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            how = f"信号 {signal.Signals(-code).name}"
        except ValueError:
            how = f"信号 {-code}"
    else:
        how = f"退出码 {code}"
    return f"读取该文件时读取程序异常终止（{how}），文件可能已损坏或含有无法处理的结构"


# ---------------------------------------------------------------- workers


class _Worker:
    """One reader process and the parent's end of its pipe."""

    def __init__(self, ctx: multiprocessing.context.BaseContext) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(child,), name="shencha-reader", daemon=True)
        with children_allowed():
            self.process.start()
        child.close()  # the worker's end lives in the worker only: its death is EOF here

    def wait_ready(self) -> bool:
        try:
            return self.conn.poll(WORKER_START_SECONDS) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            return False

    def send(self, task: tuple) -> None:
        try:
            self.conn.send(task)
        except (OSError, ValueError):  # died since: the reply will be EOF
            pass

    def next_message(self) -> object:
        """The worker's next message: an OCR progress report or the head of its result."""
        return pickle.loads(self.conn.recv_bytes())

    def receive(self, seconds: float, head: object) -> tuple[Document, bool]:
        """The worker's Document (its result's `head` already received), and whether the
        worker retires after it."""
        doc, chunks, retire = head  # type: ignore[misc]
        for _ in range(chunks):
            if not self.conn.poll(seconds):  # the file is read: this only guards against a hang
                raise TimeoutError
            doc.blocks.extend(pickle.loads(self.conn.recv_bytes()))
        return doc, retire

    def alive(self) -> bool:
        return self.process.is_alive()

    def exitcode(self) -> int | None:
        self.process.join(timeout=5)
        return self.process.exitcode

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=2)
        self.kill()


class _Pool:
    """Idle workers shared by every review of the process (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._ctx: multiprocessing.context.BaseContext | None = None
        self._pid = os.getpid()
        self._broken = False

    def usable(self) -> bool:
        return not self._broken

    def take(self) -> _Worker | None:
        with self._lock:
            self._after_fork()
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
            ctx = self._context()
        worker = _Worker(ctx)
        if worker.wait_ready():
            return worker
        worker.kill()
        # the worker died while starting: __main__ cannot be imported again, or processes
        # cannot be created here; every file is then read in this process
        log.warning("reader worker could not start (exit code %s); files are read without isolation",
                    worker.process.exitcode)
        self._broken = True
        return None

    def give_back(self, worker: _Worker, retire: bool) -> None:
        with self._lock:
            if not retire and os.getpid() == self._pid and len(self._idle) < parallel_reads():
                self._idle.append(worker)
                return
        worker.stop()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def _context(self) -> multiprocessing.context.BaseContext:
        if self._ctx is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            self._ctx = ctx
        return self._ctx

    def _after_fork(self) -> None:
        # a forked copy of this process must not share the parent's workers (their pipes)
        if os.getpid() != self._pid:
            self._idle, self._pid = [], os.getpid()


_pool = _Pool()
atexit.register(_pool.close)


def shutdown() -> None:
    """Stop the idle workers (they are also stopped at exit)."""
    _pool.close()


# ---------------------------------------------------------------- inside a worker


def _worker_main(conn: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C, and stops us
    _die_with_parent()
    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        from extractor.read import memory_reason

        reader, pf, limits, gc_threshold, settings = task
        gc.set_threshold(*gc_threshold)  # the caller's tuning (service.review.pipeline reads with fewer collections)
        _install_limits(limits)
        _install_settings(settings)
        _cap_address_space(limits.file_memory_bytes)
        with _budget(limits.file_seconds, limits.file_memory_bytes, conn=conn):
            doc = run_reader(reader, pf)
        del task, pf
        # after a MemoryError, or holding much of its allowance, a worker is not reused
        retire = doc.error == memory_reason(limits.file_memory_bytes) or (
            _address_space() > RETIRE_FRACTION * limits.file_memory_bytes)
        try:
            _send(conn, doc, retire)
        except OSError:  # the parent is gone
            return
        if retire:
            return


@contextmanager
def children_allowed() -> Iterator[None]:
    """Lets a daemonic process (a Celery pool process, or a reader worker starting its page pool)
    start processes of its own.  multiprocessing forbids it because a daemonic parent's children
    would outlive it; ours cannot: each calls `_die_with_parent` first thing."""
    me = multiprocessing.current_process()
    was_daemon = me._config.get("daemon")  # noqa: SLF001
    me._config["daemon"] = False  # noqa: SLF001
    try:
        yield
    finally:
        if was_daemon is None:
            me._config.pop("daemon", None)  # noqa: SLF001
        else:
            me._config["daemon"] = was_daemon  # noqa: SLF001


def _die_with_parent() -> None:
    """The worker is killed when its parent (the forkserver, which ends with the process that
    started it) dies: a worker stuck on a hostile file must not outlive the service."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the call
            os._exit(0)
    except (OSError, AttributeError):
        pass


def _send(conn: Connection, doc: Document, retire: bool) -> None:
    blocks = doc.blocks
    chunks = [blocks[i : i + BLOCKS_PER_CHUNK] for i in range(0, len(blocks), BLOCKS_PER_CHUNK)]
    shell = doc.model_copy(update={"blocks": []})
    conn.send_bytes(pickle.dumps((shell, len(chunks), retire), protocol=5))
    for chunk in chunks:
        conn.send_bytes(pickle.dumps(chunk, protocol=5))


# reader settings that travel with each file, as the limits do: a worker reads as its caller
# asks now, whatever the environment was when the workers started
READER_SETTINGS = ("SHENCHA_OCR", "SHENCHA_OCR_CACHE_DIR", "SHENCHA_OCR_PAGE_WORKERS", "SHENCHA_OCR_THREADS")


def reader_settings() -> dict[str, str | None]:
    return {name: os.environ.get(name) for name in READER_SETTINGS}


def _install_settings(settings: dict[str, str | None]) -> None:
    for name, value in settings.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _install_limits(limits: _limits.ReadLimits) -> None:
    """The parent's limits, whatever this process's environment said when it started."""
    if _limits.get_limits() == limits:
        return
    for f in fields(limits):
        os.environ[f"SHENCHA_LIMIT_{f.name.upper()}"] = str(getattr(limits, f.name))
    _limits.get_limits.cache_clear()


def _cap_address_space(limit: int) -> None:
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


# ---------------------------------------------------------------- warnings and log records


@dataclass
class Noise:
    warnings: list[str]
    records: list[str]


class _Recorder(logging.Handler):
    """Keeps WARNING+ records; when captures nest, a record belongs to the innermost one."""

    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        record.shencha_capture = id(self)  # handlers run outermost first: the last one wins
        self.sink.append(record)


@contextmanager
def captured_noise() -> Iterator[Noise]:
    """Warnings and WARNING+ log records raised inside are collected into the Noise, not printed.
    Our own loggers (extractor.*, service.*, checkers.*) are let through afterwards: they are
    meant to be seen."""
    noise = Noise([], [])
    records: list[logging.LogRecord] = []
    recorder = _Recorder(records)
    root = logging.getLogger()
    root.addHandler(recorder)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            yield noise
    finally:
        root.removeHandler(recorder)
    noise.warnings.extend(str(w.message) for w in caught)
    for record in records:
        if getattr(record, "shencha_capture", None) != id(recorder):
            continue  # an inner capture has it
        if record.name.split(".")[0] in ("extractor", "service", "checkers"):
            logging.getLogger(record.name).handle(record)
            continue
        try:
            noise.records.append(record.getMessage())
        except (TypeError, ValueError):  # a library's malformed format arguments
            noise.records.append(str(record.msg))


def with_dropped_content(doc: Document, noise: Noise) -> Document:
    """`doc` with the omissions the captured library messages report."""
    omissions = [o for o in dropped_content(noise) if o not in doc.omissions]
    if not omissions or doc.error:
        return doc
    return doc.model_copy(update={"omissions": [*doc.omissions, *omissions]})


# Library messages that mean content was left out, and what the reviewer is told.
_DROPPED = [
    (re.compile(r"(\w+) image format is not supported so the image is being dropped"), "一幅 {0} 格式的图片未能读取"),
    (re.compile(r"The image (\S+) will be removed because it cannot be read"), "一幅图片（{0}）无法解码，未能读取"),
    (re.compile(r"Shapes and drawings will be lost"), "工作簿中的形状和绘图（含文本框中的文字）未能读取"),
    (re.compile(r"Unable to read chart"), "一个图表未能读取"),
    (re.compile(r"Cell (\w+) is marked as a date but the serial value (\S+) is outside the limits for dates"),
     "单元格 {0} 标记为日期，但数值 {1} 超出日期范围，未能读取"),
    (re.compile(r"File contains an invalid specification for .+ This will be removed"), "一个工作表的定义无效，未能读取"),
    (re.compile(r"FPDF_LoadXFA\(\) failed"), "PDF 中的 XFA 表单内容未能读取"),
]


def dropped_content(noise: Noise) -> list[str]:
    """The omissions (Chinese) that the captured library messages report; the rest is dropped."""
    out: list[str] = []
    for message in [*noise.warnings, *noise.records]:
        for pattern, text in _DROPPED:
            m = pattern.search(message)
            if m:
                omission = text.format(*m.groups())
                if omission not in out:
                    out.append(omission)
                break
    return out
