"""物料衡算 tables, as any form's report writes them: per waste, 期初库存 + 产生量 + 接收量 −
综合利用量 − 处置量 = 期末库存.  Each row gives the waste's figures (compared with the other
tables of the package) and a material balance (utilised ≤ generated + received + stock drawn)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel

from extractor.forms import common
from extractor.forms.base import BalanceClaim, Fact
from extractor.forms.tables import find_record_tables
from extractor.forms.text import compact
from extractor.forms.wastes import align_names, base_waste_name, waste_lookup
from extractor.model import Document
from extractor.quantity import Quantity

AMOUNTS = ("opening", "generated", "received", "utilized", "disposed", "closing")
LABELS = {"generated": "产生量", "received": "接收量", "utilized": "利用量"}
_CAPTION_YEAR = re.compile(r"(20\d{2})\s*年")


# the value column of a one-waste balance table read as if it were a waste
_QUANTITY_COLUMN = re.compile(r"^(?:数量|数值|金额|本年|本期|本年度|全年|吨|万吨)$")


def _waste_in(text: str, waste_names: list[str]) -> str | None:
    lookup = waste_lookup(waste_names)
    t = compact(text)
    found = {lookup[m] for m in lookup if m in t}
    return found.pop() if len(found) == 1 else None


class BalanceRow(BaseModel):
    name: str
    opening: Quantity | None = None
    generated: Quantity | None = None
    received: Quantity | None = None
    utilized: Quantity | None = None
    disposed: Quantity | None = None
    closing: Quantity | None = None


@dataclass
class BalanceReading:
    rows: list[BalanceRow] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    claims: list[BalanceClaim] = field(default_factory=list)
    stock_drawn: dict[str, Quantity] = field(default_factory=dict)  # waste -> 期初 − 期末


def read_balance_tables(docs: list[Document], columns: dict[str, list[str]], waste_names: list[str],
                        period: str | None, years: dict[str, str] | None = None, source: str = "report_table") -> BalanceReading:
    """The 物料衡算 tables of `docs` (a record table with stock columns).  A table whose caption
    names a year is that year's (through `years`, year -> the period label the form uses)."""
    out = BalanceReading()
    units = {k: "吨" for k in columns}
    for d in docs:
        for rt in find_record_tables(d, columns, required=("name", "utilized"), min_keys=4, default_units=units):
            if not any(k in rt.columns for k in ("opening", "closing", "disposed")):
                continue  # not a 物料衡算 table
            table_period = period
            caption_year = _CAPTION_YEAR.search(rt.table.caption or "")
            if caption_year:
                table_period = (years or {}).get(caption_year.group(1), caption_year.group(1))
            names = align_names(waste_names, [row.label for row in rt.rows]) if waste_names else \
                {row.label: base_waste_name(row.label) for row in rt.rows}
            for row in rt.rows:
                name = names[row.label]
                if _QUANTITY_COLUMN.match(base_waste_name(row.label)):
                    # one waste's table laid out 项目 | 数量（吨）: the waste is the one its caption names
                    name = _waste_in(rt.table.caption or "", waste_names)
                    if name is None:
                        continue
                br = BalanceRow(name=name, **{k: rt.quantity(row, k) for k in AMOUNTS})
                out.rows.append(br)
                for key in ("generated", "received", "utilized"):
                    f = common.fact(f"waste.{key}:{name}", f"{name}{LABELS[key]}", getattr(br, key), source, table_period)
                    if f:
                        out.facts.append(f)
                drawn = None
                if br.opening is not None and br.closing is not None:
                    drawn = common.difference(br.opening, br.closing, "库存减少")
                    out.stock_drawn[name] = drawn
                if br.utilized is not None and (br.generated is not None or br.received is not None):
                    out.claims.append(BalanceClaim(
                        waste=name, period=table_period,
                        utilized=common.fact(f"waste.utilized:{name}", f"{name}利用量", br.utilized, source, table_period),
                        generated=common.fact(f"waste.generated:{name}", f"{name}产生量", br.generated, source, table_period),
                        received=common.fact(f"waste.received:{name}", f"{name}接收量", br.received, source, table_period),
                        stock_drawn=common.fact(f"stock.drawn:{name}", f"{name}库存减少量", drawn, source, table_period)))
    return out
