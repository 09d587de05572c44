"""Tolerances, stated once: a figure is known to half a unit of its last written digit.

Each comparison turns the figures into intervals [value - tolerance, value + tolerance]
and reports a mismatch only when the intervals cannot meet.  So 12.6 万吨 (±0.05 万吨)
agrees with 126,340 吨 (±0.5 吨), and a rate of 85.3 % (±0.05) agrees with any ratio
that its rounded inputs allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from extractor.ocr import CERTAIN_CONFIDENCE, read_doubtfully
from extractor.quantity import Quantity

HUNDRED = Decimal(100)
# an approximate figure ("约12万吨", "超过12万吨") restates a precise one when within this share of it
APPROXIMATE_SHARE = Decimal("0.1")
# Text read by OCR from a scan is certain enough to block only when the recogniser's confidence
# (rapidocr's line score, 0…1) is at least this, and when it differs from what it is compared
# with in more characters than OCR commonly confuses (粉煤灰/粉煤炭, 0/O): a difference of at
# most OCR_CONFUSABLE_CHARS characters, or a lower confidence, makes a warning to check the
# original, never an error.
OCR_CERTAIN_CONFIDENCE = CERTAIN_CONFIDENCE  # stated once, in extractor/ocr
OCR_CONFUSABLE_CHARS = 1
OCR_DOUBT_NOTE = "扫描件识别存疑，请核对原件"


ocr_doubtful = read_doubtfully  # a reading from a scan below OCR_CERTAIN_CONFIDENCE


@dataclass(frozen=True)
class Interval:
    lo: Decimal
    hi: Decimal

    @classmethod
    def of(cls, q: Quantity) -> "Interval":
        t = q.tolerance
        return cls(q.value - t, q.value + t)

    @classmethod
    def exact(cls, v: Decimal) -> "Interval":
        return cls(v, v)

    def __add__(self, o: "Interval") -> "Interval":
        return Interval(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: "Interval") -> "Interval":
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def scale(self, k: Decimal) -> "Interval":
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def __truediv__(self, o: "Interval") -> "Interval | None":
        """None when the divisor interval contains zero."""
        if o.lo <= 0 <= o.hi:
            return None
        c = [self.lo / o.lo, self.lo / o.hi, self.hi / o.lo, self.hi / o.hi]
        return Interval(min(c), max(c))

    def meets(self, o: "Interval") -> bool:
        return self.lo <= o.hi and o.lo <= self.hi

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2


def total(quantities: Iterable[Quantity]) -> Interval:
    acc = Interval.exact(Decimal(0))
    for q in quantities:
        acc = acc + Interval.of(q)
    return acc


def agree(a: Quantity, b: Quantity) -> bool:
    """Two statements of the same figure agree within their written precision."""
    return Interval.of(a).meets(Interval.of(b))


def sum_agrees(total_q: Quantity, items: Iterable[Quantity]) -> bool:
    return Interval.of(total_q).meets(total(items))


def ratio_percent(numerator: Quantity, denominator: Quantity) -> Interval | None:
    r = Interval.of(numerator) / Interval.of(denominator)
    return r.scale(HUNDRED) if r is not None else None


def rate_agrees(reported_percent: Quantity, numerator: Quantity, denominator: Quantity) -> bool | None:
    """None when the rate cannot be recomputed (zero or blank denominator)."""
    r = ratio_percent(numerator, denominator)
    if r is None:
        return None
    return Interval.of(reported_percent).meets(r)


def exceeds(a: Interval, b: Interval) -> bool:
    """a is certainly greater than b."""
    return a.lo > b.hi


def approximation_holds(a: Quantity, b: Quantity) -> bool | None:
    """Whether an approximate statement ("超过12万吨", "不足5万吨", "约12万吨") is true of the other,
    precise figure: True when it holds, False when it is certainly false (the precise figure is on
    the wrong side of a bound), None when an "about" figure is off by more than APPROXIMATE_SHARE."""
    approx, exact = (a, b) if a.approximate else (b, a)
    lo, hi = Interval.of(exact).lo, Interval.of(exact).hi
    # a bound is meant as written: "超过13万吨" is not true of 12.6 万吨, whatever 13's precision
    if approx.approx == "at_least":
        return hi >= approx.value
    if approx.approx == "at_most":
        return lo <= approx.value
    near = APPROXIMATE_SHARE * max(abs(approx.value), abs(exact.value))
    return True if abs(exact.value - approx.value) <= near else None
