"""What a summary table is, before it is an XLSX, a DOCX or a web preview: sheets of rows of
cells, each figure with the package and the place in it it was taken from, and the list of the
packages considered, included or left out with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Source:
    """Where a figure of the table comes from: the package, the place in its files, and its
    findings report (a URL in the service, the report's path from the CLI)."""

    package: str
    location: str = ""
    link: str | None = None


@dataclass
class Cell:
    value: Decimal | int | str | None = None
    source: Source | None = None
    # rows of one enterprise share its name cell: the number of rows this cell spans (0: covered)
    rowspan: int = 1
    format: str | None = None  # this cell's number format where it is not its column's (a rank)

    def display(self, number_format: str | None = None) -> str:
        """The cell as the XLSX shows it under its number format (two decimals, one, or whole)."""
        number_format = self.format or number_format
        v = self.value
        if v is None:
            return ""
        if isinstance(v, Decimal):
            places = {"0": 0, "0.0": 1}.get(number_format or "", 2)
            return f"{v:,.{places}f}"
        return str(v)


@dataclass
class Row:
    cells: dict[str, Cell]
    kind: str = "item"  # item | total | section (a caption row across the table)
    link: str | None = None  # the findings report of the package the row is from


@dataclass
class Column:
    id: str
    format: str | None = None  # Excel number format
    width: float = 12


@dataclass
class Sheet:
    id: str
    name: str  # the worksheet's name
    title: str
    subtitle: str = ""
    caption: list[str] = field(default_factory=list)
    right: str = ""  # printed at the right end of the caption line ("单位：万元")
    header: list[list[tuple[str, int, int]]] = field(default_factory=list)  # rows of (text, rowspan, colspan)
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    explain: str = ""  # the seed's 说明 row inside the table
    footer: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def format_of(self, column: str) -> str | None:
        return next((c.format for c in self.columns if c.id == column), None)

    def header_grid(self) -> list[tuple[int, int, str, int, int]]:
        """(row, col, text, rowspan, colspan) of each header cell, 1-based, placed the way HTML
        places cells: each row's cells fill the columns not covered by a cell above."""
        taken: set[tuple[int, int]] = set()
        out = []
        for r, cells in enumerate(self.header, start=1):
            c = 1
            for text, rowspan, colspan in cells:
                while (r, c) in taken:
                    c += 1
                out.append((r, c, text, rowspan, colspan))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken.add((r + dr, c + dc))
                c += colspan
        return out


@dataclass
class Inclusion:
    """One package considered for the table."""

    package: str
    included: bool
    reason: str
    package_id: str | None = None
    city: str | None = None
    period: str | None = None
    company: str | None = None
    link: str | None = None
    blocking: int = 0  # open error/veto findings


@dataclass
class Summary:
    table: str
    title: str
    clause: str
    unit: str  # 填报单位
    period: str | None
    sheets: list[Sheet]
    inclusions: list[Inclusion]
    generated_at: str = ""
    warnings: list[str] = field(default_factory=list)  # what the filer should know (a figure not found)

    @property
    def included(self) -> list[Inclusion]:
        return [i for i in self.inclusions if i.included]

    @property
    def excluded(self) -> list[Inclusion]:
        return [i for i in self.inclusions if not i.included]

    def as_json(self) -> dict[str, Any]:
        """The preview the API returns and the web page shows."""

        def cell(c: Cell, number_format: str | None) -> dict[str, Any]:
            v = c.value
            return {
                "value": f"{v:f}" if isinstance(v, Decimal) else v,
                "text": c.display(number_format),
                "rowspan": c.rowspan,
                "source": None if c.source is None else
                {"package": c.source.package, "location": c.source.location, "link": c.source.link},
            }

        return {
            "table": self.table,
            "title": self.title,
            "clause": self.clause,
            "unit": self.unit,
            "period": self.period,
            "generated_at": self.generated_at,
            "warnings": list(self.warnings),
            "sheets": [
                {
                    "id": s.id,
                    "name": s.name,
                    "title": s.title,
                    "subtitle": s.subtitle,
                    "caption": s.caption,
                    "right": s.right,
                    "header": [{"row": r, "column": c, "text": t, "rowspan": rs, "colspan": cs}
                               for r, c, t, rs, cs in s.header_grid()],
                    "columns": [c.id for c in s.columns],
                    "rows": [{"kind": row.kind, "link": row.link,
                              "cells": {k: cell(v, s.format_of(k)) for k, v in row.cells.items()}} for row in s.rows],
                    "explain": s.explain,
                    "footer": s.footer,
                    "notes": s.notes,
                }
                for s in self.sheets
            ],
            "included": [vars(i) for i in self.included],
            "excluded": [vars(i) for i in self.excluded],
        }
