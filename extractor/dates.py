"""Dates as submitters write them, one parser for every form.

"2025-03-01", "2025.3", "2025/3/1", "2025年3月1日", "二〇二五年三月", "202503", "2025年" and periods
such as "2019.03-至今" or "2019年3月至2025年12月".  A date without a day is the first of its month,
a bare year is 1 January (the caller knows which precision it needs: `DateText.precision`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from extractor.numerals import arabic

_YMD = re.compile(r"((?:19|20)\d{2})\s*[年./\-／]\s*(\d{1,2})(?:\s*[月./\-／]\s*(\d{1,2})\s*[日号]?|\s*月)?(?!\d)")
_DIGITS = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])?(?!\d)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_ONGOING = re.compile(r"至今|今|现在|目前|在职|在缴")


@dataclass(frozen=True)
class DateText:
    value: date
    precision: str  # "day" | "month" | "year"
    start: int  # position in the normalised text
    end: int


def _normalise(text: str) -> str:
    return arabic(unicodedata.normalize("NFKC", text or ""))


def _make(y: str, m: str | None, d: str | None) -> date | None:
    try:
        return date(int(y), int(m or 1), int(d or 1))
    except ValueError:
        return None


def find_dates(text: str) -> list[DateText]:
    """Every date in `text`, in order of appearance."""
    t = _normalise(text)
    found: list[DateText] = []
    taken: list[tuple[int, int]] = []
    for pat in (_YMD, _DIGITS, _YEAR):
        for m in pat.finditer(t):
            if any(s <= m.start() < e or s < m.end() <= e for s, e in taken):
                continue
            y, mo, d = (m.groups() + (None, None))[:3]
            if pat is _YMD and mo is not None and int(mo) > 12:
                continue  # "2025.35" is a number, not a date
            value = _make(y, mo, d)
            if value is None:
                continue
            precision = "day" if d else "month" if mo else "year"
            found.append(DateText(value, precision, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda x: x.start)


def parse_dates(text: str) -> list[date]:
    return [d.value for d in find_dates(text)]


def parse_date(text: str | None) -> date | None:
    ds = find_dates(text or "")
    return ds[0].value if ds else None


def parse_period(text: str) -> tuple[date | None, date | None]:
    """'2019.03-至今' -> (2019-03-01, None); '2019-03至2025-12' -> both ends; one date -> (it, None)."""
    ds = find_dates(text or "")
    start = ds[0].value if ds else None
    end = ds[1].value if len(ds) > 1 else None
    return start, end


def is_ongoing(text: str) -> bool:
    """A period written as still running ("…至今")."""
    return bool(_ONGOING.search(_normalise(text)))


def date_line(text: str) -> DateText | None:
    """The date of a line that says nothing but a date ("2025.8.20", "二〇二五年八月二十日",
    "2025年8月"): a cover's or a signature's date; None for any other line."""
    ds = find_dates(text or "")
    if not ds:
        return None
    t = _normalise(text)  # the text the dates' positions refer to
    rest = "".join(ch for i, ch in enumerate(t) if not any(d.start <= i < d.end for d in ds))
    return ds[0] if len(re.sub(r"[\s年月日号.\-/]", "", rest)) <= 1 else None
