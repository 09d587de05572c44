"""What a generated file says, before it is written as .docx, .xlsx or .pdf.

Builders (hb_evaluation, hn_benchmark) produce these blocks; renderers write them.
Figures are `Num`s so a renderer can store a real number in a spreadsheet cell and the
same text everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

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

    def name(self, role: str) -> str:
        return self.name_in.get(role, self.company.name)

    def code(self, role: str) -> str:
        return self.code_in.get(role, self.company.credit_code)

    def title(self, i: int) -> str:
        seed, alt = self.sections[i - 1]
        return alt if i in self.v["alt_title_sections"] else seed
