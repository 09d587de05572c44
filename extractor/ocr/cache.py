"""OCR results cached by the page image they were read from.

The key is the SHA-256 of the image's pixels, its shape, the resolution it was made at and the
engine that read it (`engine.ENGINE_VERSION`): the same page of the same file, reviewed again,
is not recognised again, and a new engine or preprocessing never returns an old reading.

Results are kept in memory (the last `MEMORY_ENTRIES` pages of the process) and, when
`SHENCHA_OCR_CACHE_DIR` names a directory, on disk there as one JSON file per page image,
`<dir>/<key[:2]>/<key>.json`.  A file is written under a temporary name and renamed into
place, so a reader never sees half of it; a file that does not load (truncated, edited, from
another version) is ignored and written again.  Nothing ever deletes old entries: the
directory is the operator's to clear.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from extractor.ocr.engine import ENGINE_VERSION, OcrLine

log = logging.getLogger(__name__)

MEMORY_ENTRIES = 256
_memory: OrderedDict[str, tuple[OcrLine, ...]] = OrderedDict()
_lock = threading.Lock()


def key(image: np.ndarray, dpi: float | None, kind: str = "page") -> str:
    """`kind`: "page" (every line of a page image) or "cell" (the one line of a table cell,
    read without detection)."""
    arr = np.ascontiguousarray(image)
    h = hashlib.sha256()
    tag = "" if kind == "page" else f"{kind}|"  # a page's key is what it was before cells had keys
    h.update(f"{tag}{ENGINE_VERSION}|dpi={dpi if dpi is None else round(float(dpi), 3)}|{arr.shape}|{arr.dtype.str}|".encode())
    h.update(memoryview(arr).cast("B"))
    return h.hexdigest()


def cache_dir() -> Path | None:
    raw = os.environ.get("SHENCHA_OCR_CACHE_DIR", "").strip()
    return Path(raw) if raw else None


def get(k: str) -> list[OcrLine] | None:
    with _lock:
        hit = _memory.get(k)
        if hit is not None:
            _memory.move_to_end(k)
            return list(hit)
    lines = _load(k)
    if lines is not None:
        _remember(k, lines)
    return lines


def put(k: str, lines: list[OcrLine]) -> None:
    _remember(k, lines)
    _store(k, lines)


def clear_memory() -> None:
    with _lock:
        _memory.clear()


def _remember(k: str, lines: list[OcrLine]) -> None:
    with _lock:
        _memory[k] = tuple(lines)
        _memory.move_to_end(k)
        while len(_memory) > MEMORY_ENTRIES:
            _memory.popitem(last=False)


def _path(k: str) -> Path | None:
    root = cache_dir()
    return None if root is None else root / k[:2] / f"{k}.json"


def _load(k: str) -> list[OcrLine] | None:
    path = _path(k)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") != k or data.get("engine") != ENGINE_VERSION:
            return None
        return [
            OcrLine(text=str(text), box=tuple(float(v) for v in box), confidence=float(conf))
            for text, box, conf in data["lines"]
            if len(box) == 4
        ]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        log.debug("OCR cache entry %s does not load: ignored", path)
        return None


def _store(k: str, lines: list[OcrLine]) -> None:
    path = _path(k)
    if path is None:
        return
    data = {"key": k, "engine": ENGINE_VERSION, "lines": [[ln.text, list(ln.box), ln.confidence] for ln in lines]}
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:  # a full or read-only disk costs the cache, not the reading
        log.warning("OCR cache entry not written to %s: %s", path.parent, type(e).__name__)
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
