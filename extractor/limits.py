"""The bounds on the work one package and one file may cause, stated once.

Submission packages come from strangers: a crafted file can declare a table of 2³¹ columns, a
million rows, a zip member expanding to gigabytes, or a PDF page of ten million paths.  Every
reader clamps what it can (a span to the grid it sits in, a list counter to a sane number) and
stops with `LimitExceeded` where it cannot; the file then gets a finding that names the limit,
and the rest of the package is still read and checked.

Each limit can be changed with an environment variable `SHENCHA_LIMIT_<FIELD NAME IN CAPITALS>`
(for example `SHENCHA_LIMIT_FILE_SECONDS=300`); the defaults are documented in the README.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import lru_cache

MiB = 1024**2
GiB = 1024**3


@dataclass(frozen=True)
class ReadLimits:
    # one package (a folder or an archive with everything inside it)
    package_members: int = 20_000  # files, counting the members of archives inside archives
    package_expanded_bytes: int = 2 * GiB  # bytes all archives of the package expand to
    member_expanded_bytes: int = 512 * MiB  # bytes one archive member expands to
    member_ratio: int = 1000  # expanded / compressed bytes of one member (above 16 MiB)
    archive_depth: int = 2  # the package's archive and archives inside it; deeper ones stay files
    # one file, whatever its format
    file_seconds: float = 120.0  # wall time to read one file, its OCR apart
    ocr_seconds: float = 900.0  # recognition time of one file's scanned pages (about 250 A4 pages)
    file_memory_bytes: int = 3 * GiB  # address space of the process reading one file
    file_pages: int = 5_000  # PDF pages, or sheets of a workbook
    file_cells: int = 2_000_000  # table cells of one file, all tables together
    table_rows: int = 100_000  # rows of one table or sheet
    table_columns: int = 1_000  # columns of one table or sheet (Word allows 63, Excel 16,384)
    list_counter: int = 100_000  # the value a numbered list may start at or reach
    page_objects: int = 200_000  # drawing objects on one PDF page, forms unfolded
    page_path_segments: int = 1_000_000  # path segments on one PDF page
    page_rulings: int = 2_000  # ruling lines on one PDF page considered for tables
    page_text_lines: int = 500  # lines of one PDF page in columns, searched for borderless tables
    page_text_objects: int = 20_000  # text objects of one PDF page given to pdfium's text extraction


class LimitExceeded(Exception):
    """A file asks for more than a limit allows.  `limit` is the ReadLimits field, `reason` the
    reviewer's message (Chinese), naming the limit and what the file asked for."""

    def __init__(self, limit: str, reason: str) -> None:
        super().__init__(reason)
        self.limit = limit
        self.reason = reason


def _from_env(env: dict[str, str]) -> ReadLimits:
    values = {}
    for f in fields(ReadLimits):
        raw = env.get(f"SHENCHA_LIMIT_{f.name.upper()}", "").strip()
        if not raw:
            continue
        kind = float if f.type in ("float", float) else int
        try:
            value = kind(raw)
        except ValueError:
            raise ValueError(f"SHENCHA_LIMIT_{f.name.upper()}={raw!r}: not a number") from None
        if value <= 0:
            raise ValueError(f"SHENCHA_LIMIT_{f.name.upper()}={raw!r}: must be positive")
        values[f.name] = value
    return ReadLimits(**values)


@lru_cache(maxsize=1)
def get_limits() -> ReadLimits:
    """The limits in force: the defaults, changed by SHENCHA_LIMIT_* environment variables."""
    return _from_env(dict(os.environ))
