"""Text of scanned pages, by OCR.

Scanned pages (an image file; a PDF page without a text layer, or with a text layer whose fonts
map to no real characters) have no text to read.  When OCR is on, `extractor.readers.scan_reader`
renders them (`render`), recognises their lines (`engine`: RapidOCR with its bundled Chinese
models, nothing fetched at run time) and turns the lines into blocks of the same `Document`
model as the other readers, each located on its page (`Location.box`) and carrying the
recogniser's confidence (`Block.confidence`).

`seals` finds red seals on a page image (and gives its red-free copy); recognition here reads
the red channel, which a red seal leaves blank (`engine`).

A page takes seconds on two cores (an A4 page at 200 dpi: about 3.5 s with a few lines, 9.5 s
full of text), so results are cached (`cache`), keyed by the page image's pixels, and the pages
of a long scan are recognised side by side in a pool of processes started by the file's reader
(`pool`).

Settings (environment variables):

- `SHENCHA_OCR` — `on` (the default, also `1`, `true`, `yes`) recognises the text of scanned
  pages; `off` (also `0`, `false`, `no`) leaves them as pictures, attachments whose words are
  not read (faster: seconds a page less, for a first look at a large batch).  Read when a file
  is read, in the process that reads it; each file's read carries the caller's value to the
  reader worker (extractor/isolation.py READER_SETTINGS).
- `SHENCHA_OCR_PAGE_WORKERS` — how many pages of one scanned file are recognised side by side,
  each in a process of its own (extractor/ocr/pool.py; default 2 on two cores or more, 1: one
  after the other).
- `SHENCHA_OCR_THREADS` — onnxruntime threads per recogniser (default: every core).  A machine
  running several jobs at once gives each its share (`shencha worker` sets cores ÷ concurrency).
- `SHENCHA_OCR_CACHE_DIR` — a directory for the cached results (JSON files, one per page
  image); unset: results are cached in memory only, for the life of the process.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

# a reading below this confidence may be wrong (a digit, a character of a name): a rule may not
# block on it alone (checkers/tolerance.py), and an extractor keeps a row it would otherwise drop
CERTAIN_CONFIDENCE = 0.95


def read_doubtfully(confidence: float | None) -> bool:
    """A reading from a scan whose confidence is below CERTAIN_CONFIDENCE (None: the file's own text)."""
    return confidence is not None and confidence < CERTAIN_CONFIDENCE


_ON = {"", "1", "on", "true", "yes"}
_OFF = {"0", "off", "false", "no"}
_warned: set[str] = set()


def ocr_enabled() -> bool:
    """Whether `SHENCHA_OCR` asks for OCR (default: on).  An unknown value is the default, with
    a warning in the log."""
    raw = os.environ.get("SHENCHA_OCR", "").strip().lower()
    if raw in _OFF:
        return False
    if raw not in _ON and raw not in _warned:
        _warned.add(raw)
        log.warning("SHENCHA_OCR=%r is neither on nor off: OCR stays on", raw)
    return True
