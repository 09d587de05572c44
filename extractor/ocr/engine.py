"""The OCR engine: RapidOCR with its bundled Chinese models (PP-OCR det/rec, onnxruntime).

One engine per process, created on first use (about 1.5 s to import and load its models) and
shared by the threads of the process; recognition itself is serialised (onnxruntime already
uses every core for one image).  A forked process makes its own: onnxruntime's thread pools do
not survive a fork.

Only the bundled models are used: any other model would be fetched from a hub at run time, and
that fails on a machine without internet access (pyproject.toml pins rapidocr for that reason).

The page is recognised on its red channel alone: red ink (a seal stamped over a column of a
table) reflects red light as paper does and vanishes, while black and blue text stays dark.  A
red seal over text otherwise corrupts the words under it (电石渣 read as 「电石湾」, see
../shared/notes/extraction-facts.md); on pages without red it reads the same as the colour
image (tests/test_ocr.py measures both).  The price: red text — a 红头 header, red handwriting
— is not read.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from importlib import metadata

import numpy as np

# the preprocessing, part of what a cached result depends on
PREPROCESS = "red-channel-1"


@dataclass(frozen=True)
class OcrLine:
    """One line of text as the recogniser found it.  `box` is (x0, top, x1, bottom) in pixels
    of the image given: the axis-aligned hull of the recogniser's quadrilateral."""

    text: str
    box: tuple[float, float, float, float]
    confidence: float


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


# what a cached result was made by: a change of engine, model package or preprocessing is a miss
ENGINE_VERSION = f"rapidocr-{_version('rapidocr')}/onnxruntime-{_version('onnxruntime')}/{PREPROCESS}"

THREADS: int | None = None  # onnxruntime threads per engine; None: SHENCHA_OCR_THREADS, else every core. pool.py sets 1


def engine_threads() -> int | None:
    """onnxruntime's threads for this process's engine: one in a page pool, else
    `SHENCHA_OCR_THREADS` (a machine running several jobs at once gives each its share of the
    cores: two engines of every core each on two cores read slower than one), else its default."""
    if THREADS:
        return THREADS
    raw = os.environ.get("SHENCHA_OCR_THREADS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else None
_create_lock = threading.Lock()
_run_lock = threading.Lock()
_engine = None
_engine_pid: int | None = None


def engine():
    """This process's RapidOCR engine, created on first use."""
    global _engine, _engine_pid
    pid = os.getpid()
    if _engine is not None and _engine_pid == pid:
        return _engine
    with _create_lock:
        if _engine is None or _engine_pid != pid:
            from rapidocr import RapidOCR

            # its log goes through the logging module at WARNING and above only
            params: dict = {"Global.log_level": "error"}
            threads = engine_threads()
            if threads:
                params.update({"EngineConfig.onnxruntime.intra_op_num_threads": threads,
                               "EngineConfig.onnxruntime.inter_op_num_threads": 1})
            _engine = RapidOCR(params=params)
            _engine_pid = pid
    return _engine


def for_ocr(rgb: np.ndarray) -> np.ndarray:
    """The image the recogniser is given: the red channel (H×W, uint8) of an RGB image with red
    ink lifted to paper-white (`seals.remove_red`: on a scan a seal's ink keeps about 80 % of the
    paper's brightness in the red channel, enough for its ring text to be read into the line
    beside it), a grayscale image as it is."""
    arr = np.asarray(rgb)
    if arr.ndim == 3:
        from extractor.ocr.seals import remove_red

        arr = remove_red(arr if arr.dtype == np.uint8 else np.clip(arr, 0, 255).astype(np.uint8))
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(arr)


def recognise(image: np.ndarray) -> list[OcrLine]:
    """The lines of `image` (H×W grayscale or H×W×3 **BGR**, uint8), top to bottom, uncached."""
    eng = engine()
    with _run_lock:
        # every step named: RapidOCR keeps the steps of its last call (recognise_cell turns detection off)
        result = eng(image, use_det=True, use_cls=True, use_rec=True)
    texts = result.txts or ()
    boxes = result.boxes if result.boxes is not None else ()
    scores = result.scores or ()
    out: list[OcrLine] = []
    for text, quad, score in zip(texts, boxes, scores):
        text = (text or "").strip()
        if not text:
            continue
        q = np.asarray(quad, dtype=float).reshape(-1, 2)
        box = (float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max()))
        out.append(OcrLine(text=text, box=tuple(round(v, 1) for v in box), confidence=round(float(score), 4)))
    return out


def recognise_cell(image: np.ndarray) -> OcrLine | None:
    """The one line of text of a table cell's image (H×W grayscale), read by the recogniser
    alone (no detection: the cell is the line's box), uncached; None if it reads nothing."""
    eng = engine()
    with _run_lock:
        result = eng(image, use_det=False, use_cls=False, use_rec=True)
    texts, scores = result.txts or (), result.scores or ()
    text = (texts[0] if texts else "").strip()
    if not text:
        return None
    h, w = image.shape[:2]
    return OcrLine(text=text, box=(0.0, 0.0, float(w), float(h)), confidence=round(float(scores[0]), 4))


def text_directions(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """The direction classifier's verdict on line images (H×W×3): ("0" or "180", score) each."""
    eng = engine()
    with _run_lock:
        _images, result = eng.cls_and_rotate(crops)
    return list(result.cls_res or [])


def ocr_cell(gray: np.ndarray) -> OcrLine | None:
    """`recognise_cell`, cached by the cell image's pixels."""
    from extractor.ocr import cache

    key = cache.key(gray, None, kind="cell")
    lines = cache.get(key)
    if lines is None:
        line = recognise_cell(gray)
        lines = [line] if line else []
        cache.put(key, lines)
    return lines[0] if lines else None


def ocr_image(rgb: np.ndarray, dpi: float | None = None) -> list[OcrLine]:
    """The lines of a page image (H×W×3 RGB or H×W grayscale, uint8), recognised on its red
    channel; cached by its pixels, `dpi` (the resolution it was rendered or scanned at, where
    known) and ENGINE_VERSION (extractor/ocr/cache.py)."""
    from extractor.ocr import cache

    key = cache.key(rgb, dpi)
    lines = cache.get(key)
    if lines is None:
        lines = recognise(for_ocr(rgb))
        cache.put(key, lines)
    return lines
