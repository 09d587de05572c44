"""Year-series tables: one row per item, one column per year ("2021年 | 2022年 | 2023年").

Submitters transpose them (years down the first column), add a 单位 / 计量单位 column between the
labels and the years, split them into parts with full-width rows ("二、固体废物情况"), merge a
label across the year columns, and continue them on the next page under 续表 with or without the
year header again; a PDF may even give the header as a line of text above the grid.  This module
reads all of that into `SeriesBlock`s of `SeriesRow`s; what a row's label means is the form's
business (nowaste_case maps labels onto its anchors, hn_benchmark onto its indicators).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from extractor.forms.labels import indexed_unique_cells
from extractor.forms.tables import continuation_note, oriented_rows
from extractor.forms.text import compact
from extractor.model import Block, Cell, Document, Location, Table
from extractor.quantity import unit_of

# a year column's header: "2023", "2023年", "2023年度", "2023年数据", "2023年情况", "2023年实际"
YEAR_HEADER = re.compile(r"^(20\d{2})年?度?(?:情况|数据|数值|实际)?$")
# the year header of a grid read as one line of text: "2020年2021年2022年2023年产值（万元）…"
_YEAR_RUN = re.compile(r"^((?:20\d{2}年度?){2,})")
_UNIT_COLUMN = ("单位", "计量单位", "单位名称")
_CONTINUED = re.compile(r"^[(（]?续表")


def year_header(row: list[Cell]) -> dict[str, int]:
    """year -> column index when the row heads two or more year columns, else {}."""
    out: dict[str, int] = {}
    for j, c in indexed_unique_cells(row):
        m = YEAR_HEADER.match(compact(c.text))
        if m:
            out.setdefault(m.group(1), j)
    return out if len(out) >= 2 else {}


def header_years(t: Table) -> list[str]:
    """The years of the table's last year header, in column order ([] when it has none)."""
    for row in reversed(t.rows):
        hdr = year_header(row)
        if hdr:
            return sorted(hdr, key=hdr.get)
    return []


def years_in_line(text: str) -> list[str]:
    """The years of a year header read as a line of text, [] for any other line."""
    m = _YEAR_RUN.match(compact(text))
    return re.findall(r"20\d{2}", m.group(1)) if m else []


def is_series_table(t: Table) -> bool:
    """Whether the table has a year header, across its columns or (transposed) down its rows."""
    return any(year_header(r) for r in t.rows) or any(year_header(r) for r in oriented_rows(t, True))


@dataclass
class SeriesRow:
    label: str  # the row's label cells joined, as written
    unit: str | None  # from the row's 单位 column ("万吨"), None when the table has none or it is not a unit
    cells: dict[str, Cell]  # year -> the cell holding that year's figure


@dataclass
class SeriesBlock:
    """The rows under one year header (a table may hold several, one per part)."""
    years: list[str]  # in column order
    loc: Location  # the first year's header cell (the table's first cell for a continuation)
    column_locs: dict[str, Location]
    # rows in table order; None marks a full-width row, which starts a new part of the table
    rows: list[SeriesRow | None] = field(default_factory=list)


def read_series(t: Table, carry: list[str] | None = None) -> list[SeriesBlock]:
    """The year-series blocks of a table, [] when it has none.  `carry`: the years, in column
    order, of the table this one continues (a 续表 without its header again): they head its value
    columns when it has exactly one label column and one column per year."""
    grid = t.rows
    blocks: list[SeriesBlock] = []
    years: dict[str, int] = {}
    unit_col: int | None = None
    if not any(year_header(r) for r in grid):
        transposed = oriented_rows(t, True)
        if any(year_header(r) for r in transposed):
            grid = transposed
        elif carry and t.n_cols == len(carry) + 1 and t.rows:
            years = {y: j + 1 for j, y in enumerate(carry)}
            first = t.rows[0]
            blocks.append(SeriesBlock(years=list(carry), loc=t.loc,
                                      column_locs={y: first[j].loc for y, j in years.items() if j < len(first)}))
        else:
            return []
    for row in grid:
        hdr = year_header(row)
        if hdr:
            years = hdr
            first_col = min(hdr.values())
            unit_col = next((j for j, c in indexed_unique_cells(row)
                             if j < first_col and compact(c.text) in _UNIT_COLUMN), None)
            blocks.append(SeriesBlock(years=sorted(hdr, key=hdr.get), loc=row[first_col].loc,
                                      column_locs={y: row[j].loc for y, j in hdr.items()}))
            continue
        if not years:
            continue
        uniq = indexed_unique_cells(row)
        if len(uniq) == 1:
            blocks[-1].rows.append(None)
            continue
        first_col = min(years.values())
        label = "".join(c.text.strip() for j, c in uniq if j < first_col and j != unit_col and c.text.strip())
        if not label or re.fullmatch(r"[.…。·\s]+", label):
            continue
        unit = None
        if unit_col is not None and unit_col < len(row) and unit_of(row[unit_col].text.strip()):
            unit = row[unit_col].text.strip()
        cells: dict[str, Cell] = {}
        for y, j in years.items():
            if j >= len(row):
                continue
            c = row[j]
            if c.is_continuation and c.origin and c.origin[1] != c.col and (c.origin[1] - 1) < first_col:
                continue  # the label merged across the years: no figure for this year
            cells[y] = c
        blocks[-1].rows.append(SeriesRow(label=label, unit=unit, cells=cells))
    return blocks


def series_in(doc: Document) -> Iterator[tuple[Block, list[SeriesBlock]]]:
    """Each table block of the document with its year-series blocks, in document order.  A table
    that continues the one before (a 续表 note, page-number lines between) without its own year
    header gets the years of the header before it, or of a year line of text above it."""
    carry: list[str] = []
    continued = False
    for b in doc.blocks:
        if b.kind in ("paragraph", "heading"):
            text = compact(b.text)
            carry = years_in_line(b.text) or carry
            if _CONTINUED.match(text):
                continued = True
            elif text and not continuation_note(text):
                continued = False
        elif b.kind == "table" and b.table is not None:
            is_continued = continued or bool(_CONTINUED.match(compact(b.table.caption or "")))
            yield b, read_series(b.table, carry if is_continued else None)
            carry = header_years(b.table) or carry
            continued = False
