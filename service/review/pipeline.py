"""One package in, one review out: load -> read each file -> detect form -> extract -> check.

The CLI, the web service and the benchmark all call `review_package`; nothing else
orchestrates the steps.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from checkers.finding import Finding
from extractor.forms.base import FormResult
from extractor.model import Document

log = logging.getLogger("shencha.pipeline")

# progress(stage, done, total, detail): stage is "read" (files), "ocr" (scanned pages of the file
# named in detail), "check"
Progress = Callable[[str, int, int, str], None]


@dataclass
class Review:
    name: str  # package name: the folder, zip or file name
    documents: list[Document]
    form: FormResult
    findings: list[Finding] = field(default_factory=list)
    sheets: dict[str, Any] = field(default_factory=dict)  # tables the checkers work out (附件6 scores)
    features: Any = None  # what the provincial audit compares (extractor/audit/features.py)


# Reading a package allocates hundreds of thousands of small objects (cells, locations) that
# live as long as the review; at CPython's default threshold (700 allocations) the collector
# runs thousands of times and its full passes walk the whole growing model: a fifth of the time
# on a 700-page report (bench/bench.py).  Fewer collections, same peak memory.
REVIEW_GC_THRESHOLD = (50_000, 20, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    previous = gc.get_threshold()
    gc.set_threshold(*REVIEW_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def review_package(path: str | Path, progress: Progress | None = None, form_hint: str | None = None) -> Review:
    """Raises `extractor.package.PackageError` when the input cannot be processed at all
    (missing path, unreadable archive, empty package)."""
    with fewer_collections():
        return _review_package(path, progress, form_hint)


def _review_package(path: str | Path, progress: Progress | None, form_hint: str | None) -> Review:
    from checkers.run import run_checks
    from checkers.sheets import build_sheets
    from extractor.forms.extract import extract_form
    from extractor.package import load_package

    package = load_package(path)
    documents = _read_files(package.files, progress)
    form = extract_form(documents, form_hint=form_hint)
    if progress:
        progress("check", 0, 1, form.form)
    findings = run_checks(documents, form)
    sheets = build_sheets(form)
    features = _audit_features(documents, form)
    if progress:
        progress("check", 1, 1, form.form)
    return Review(name=package.name, documents=documents, form=form, findings=findings, sheets=sheets,
                  features=features)


def _audit_features(documents: list[Document], form: FormResult) -> Any:
    """The audit's features, or None: what the audit needs must never stop a package's review."""
    from extractor.audit.features import package_features

    try:
        return package_features(documents, form)
    except Exception:  # noqa: BLE001 - logged for the administrator; the report then has no audit section
        log.exception("audit features of %s could not be computed", form.form)
        return None


def _read_files(files: list[Any], progress: Progress | None) -> list[Document]:
    """Every file read under its time and memory limits (extractor/isolation.py), reported file
    by file: the one being read, with the files done and the pages read so far."""
    from extractor.isolation import read_files

    total = len(files)
    done = pages = 0

    def started(pf: Any) -> None:
        if progress:
            progress("read", done, total, pf.path + (f"（已读 {pages} 页）" if pages else ""))

    def finished(pf: Any, doc: Document) -> None:
        nonlocal done, pages
        done += 1
        pages += doc.pages or 0

    def recognised(pf: Any, page: int, pages_total: int) -> None:
        if progress:
            progress("ocr", page, pages_total, pf.path)

    documents = read_files(files, started=started, finished=finished, progress=recognised)
    if progress:
        progress("read", total, total, "")
    return documents
