"""What a summary table is built from: the reviewed packages, what the filer states (unit,
period, city), which findings still block a package, and the registry of the functions that fill
each table's rows (`service.summaries.tables`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Mapping

from pydantic import BaseModel

from service.summaries.model import Sheet

CHINA = timezone(timedelta(hours=8))
FALSE_POSITIVE = ("误报", "false_positive")
BLOCKING = ("veto", "error")


@dataclass
class PackageReport:
    """A reviewed package as a summary sees it."""

    name: str
    report: Mapping[str, Any] | None  # None: not (yet) reviewed
    package_id: str | None = None
    city: str | None = None  # the city the service filed it under
    link: str | None = None  # its findings report
    accepted: bool = False  # a reviewer accepted it despite open findings
    accepted_note: str = ""
    marks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # finding id -> mark
    status: str = "done"
    failure: str | None = None


@dataclass
class Context:
    """What the filer states about the table: who files it, for which period, when."""

    unit: str = ""
    period: str | None = None
    city: str | None = None
    province: str | None = None  # a provincial table (无废 附件2) is filed per province
    filler: str = ""
    reviewer: str = ""
    phone: str = ""
    on: date | None = None
    area: str = ""  # the city the table is for, as its title names it
    max_rows: int | None = None  # the table's own limit (附件2: 5 cases), from corpus/summaries.yaml

    def values(self) -> dict[str, str]:
        year = self.period or ""
        prev = str(int(year) - 1) if year.isdigit() else ""
        when = self.on or datetime.now(CHINA).date()  # the desks date their tables in Beijing time
        return {"unit": self.unit, "area": self.area, "year": year, "prev_year": prev, "filler": self.filler, "reviewer": self.reviewer,
                "phone": self.phone, "date": f"{when.year}年{when.month}月{when.day}日"}


Builder = Callable[[dict[str, Sheet], list[tuple[PackageReport, BaseModel]], Context], list[str]]
_BUILDERS: dict[str, Builder] = {}


def builds(table: str) -> Callable[[Builder], Builder]:
    """Register the function that fills a table's rows (one per table id in summaries.yaml)."""

    def register(fn: Builder) -> Builder:
        _BUILDERS[table] = fn
        return fn

    return register



def open_blocking(report: Mapping[str, Any], marks: Mapping[str, Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The error and veto findings a reviewer has not marked as false positives."""
    return [f for f in report.get("findings") or []
            if f.get("severity") in BLOCKING and (marks.get(f.get("id")) or {}).get("status") not in FALSE_POSITIVE]
