"""What a generated file says, before it is written as .docx, .xlsx or .pdf.

Builders (hb_evaluation, hn_benchmark) produce these blocks; renderers write them.
Figures are `Num`s so a renderer can store a real number in a spreadsheet cell and the
same text everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def fmt(value: Decimal, places: int = 2, thousands: bool = False) -> str:
    q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,.{places}f}" if thousands else f"{q:.{places}f}"


def fmt_signed(value: Decimal, places: int) -> str:
    q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    return f"{q:+.{places}f}"


def round_to(value: Decimal, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Num:
    """A figure as it is written in a cell: value in the unit of its column."""

    value: Decimal
    places: int = 2
    thousands: bool = False
    fullwidth: bool = False
    suffix: str = ""  # a unit written in the cell, e.g. "万吨"

    def text(self) -> str:
        s = fmt(self.value, self.places, self.thousands)
        if self.fullwidth:
            s = s.translate(FULLWIDTH)
        return s + self.suffix

    @property
    def numeric(self) -> bool:
        """Whether a spreadsheet would hold it as a number."""
        return not self.fullwidth and not self.suffix


Cellish = str | Num


def cell_text(c: Cellish) -> str:
    return c.text() if isinstance(c, Num) else c


@dataclass
class Heading:
    text: str
    level: int = 1
    styled: bool = True  # Word Heading style, or a bold Normal paragraph


@dataclass
class Para:
    text: str
    bold: bool = False
    center: bool = False
    size: float | None = None  # points


@dataclass
class Table:
    rows: list[list[Cellish]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 (0-based, inclusive)
    header_rows: int = 1
    widths: list[float] | None = None  # cm per column
    font_size: float | None = None

    @property
    def n_cols(self) -> int:
        return max(len(r) for r in self.rows)


@dataclass
class Image:
    data: bytes  # PNG or JPEG
    width_cm: float
    name: str = "image.png"


@dataclass
class PageBreak:
    pass


@dataclass
class Orientation:
    """Start a new page in landscape (wide tables) or back in portrait."""

    landscape: bool


Block = Heading | Para | Table | Image | PageBreak | Orientation


@dataclass
class Sheet:
    title: str
    rows: list[list[Cellish | None]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    widths: list[float] | None = None  # characters per column
    bold_rows: tuple[int, ...] = ()


class PlanViews:
    """What both forms' plans derive alike: the company name and credit code as written in a
    given part (a planted mismatch overrides one part), and a section title as written."""

    sections: list[tuple[str, str]] = []  # (seed title, alternative wording), set per form
    renamed: ClassVar[dict[int, str]] = {}  # a third wording, for the sections in v["renamed_sections"]

    def name(self, role: str) -> str:
        return self.name_in.get(role, self.company.name)

    def code(self, role: str) -> str:
        return self.code_in.get(role, self.company.credit_code)

    def title(self, i: int) -> str:
        seed, alt = self.sections[i - 1]
        if i in self.v.get("renamed_sections", ()) and i in self.renamed:
            return self.renamed[i]
        return alt if i in self.v["alt_title_sections"] else seed


# ---------------------------------------------------------------- ways filers write numbers and dates

CN_DIGITS = "〇一二三四五六七八九"
_CN_VALUE_DIGITS = "零一二三四五六七八九"


def _cn_below_10000(n: int) -> str:
    out, zero = "", False
    for unit, div in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        d = n // div % 10
        if d:
            if zero:
                out += "零"
                zero = False
            out += _CN_VALUE_DIGITS[d] + unit
        elif out:
            zero = True
    return out


def cn_int(n: int) -> str:
    """12 -> 十二, 105 -> 一百零五, 23450 -> 二万三千四百五十."""
    if n == 0:
        return "零"
    hi, lo = divmod(n, 10000)
    s = (_cn_below_10000(hi) + "万") if hi else ""
    if lo:
        if hi and lo < 1000:
            s += "零"
        s += _cn_below_10000(lo)
    return s[1:] if s.startswith("一十") else s


def cn_number(value: Decimal, places: int = 1) -> str:
    """A figure in Chinese numerals as some narratives write it: 12.46 (1 place) -> 十二点五."""
    q = round_to(value, places)
    text = f"{q:.{places}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    out = cn_int(int(whole))
    return out + ("点" + "".join(_CN_VALUE_DIGITS[int(c)] for c in frac) if frac else "")


def cn_year(year: int) -> str:
    """2026 -> 二〇二六."""
    return "".join(CN_DIGITS[int(c)] for c in str(year))


def written_date(year: int, month: int, day: int | None, style: str) -> str:
    """A date as a filer writes it: 'arabic' 2026年3月10日, 'cn_upper' 二〇二六年三月十日,
    'dotted' 2026.3.10 (day None: year and month only)."""
    if style == "cn_upper":
        return f"{cn_year(year)}年{cn_int(month)}月" + (f"{cn_int(day)}日" if day else "")
    if style == "dotted":
        return f"{year}.{month}" + (f".{day}" if day else "")
    return f"{year}年{month}月" + (f"{day}日" if day else "")


def negative_text(value: Decimal, places: int, style: str, thousands: bool = False, percent: bool = False) -> str:
    """A signed change as written: 'sign' -1234.00 / +5.0%, 'paren' (1,234.00) for a negative
    and 1,234.00 for a positive, 'word' 负12.5% for a negative."""
    q = round_to(value, places)
    if q == 0:
        q = abs(q)
    pct = "%" if percent else ""
    if style == "paren":
        body = fmt(abs(q), places, True)
        return f"({body}){pct}" if q < 0 else body + pct
    if style == "word" and q < 0:
        return "负" + fmt(abs(q), places, thousands) + pct
    return f"{q:+,.{places}f}{pct}" if thousands else f"{q:+.{places}f}{pct}"
