"""Monthly tables (评价报告 六: 每月分种类的综合利用量), in either orientation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.forms.labels import looks_numeric
from extractor.forms.tables import oriented_rows
from extractor.forms.text import compact
from extractor.model import Cell, Document, Table
from extractor.quantity import Quantity, parse_quantity, unit_in_header

_MONTH = re.compile(r"^(?:20\d{2}年)?(?:(\d{1,2})|([一二三四五六七八九十]{1,3}))月份?$|^20\d{2}[.\-/](\d{1,2})$")
_ANNUAL = re.compile(r"^(?:合计|全年|总计|年度合计|全年合计|年合计|小计|全年累计|累计)")
_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}


@dataclass
class MonthlyRow:
    label: str  # as written, e.g. "粉煤灰利用量（吨）"
    months: list[tuple[int, Quantity]]
    annual: Quantity | None
    label_cell: Cell


def _month_of(text: str) -> int | None:
    m = _MONTH.match(compact(text).split("(")[0])
    if not m:
        return None
    n = int(m.group(1) or m.group(3) or 0) if (m.group(1) or m.group(3)) else _CN_MONTH.get(m.group(2), 0)
    return n if 1 <= n <= 12 else None


def monthly_rows(doc: Document, table: Table, default_unit: str | None = "吨") -> list[MonthlyRow]:
    """Rows of a monthly table (one per series), or [] when the table is not one."""
    for transposed in (False, True):
        rows = oriented_rows(table, transposed)
        for r, row in enumerate(rows[:4]):
            months = {j: _month_of(c.text) for j, c in enumerate(row)}
            months = {j: m for j, m in months.items() if m}
            if len(set(months.values())) < 6:
                continue
            annual_j = next((j for j, c in enumerate(row) if _ANNUAL.match(compact(c.text))), None)
            label_j = min(months) - 1 if min(months) > 0 else None
            if label_j is None:
                continue
            # unit in the header corner or the caption
            unit = unit_in_header(row[label_j].text) or (unit_in_header(table.caption or "") if table.caption and "单位" in table.caption else None) or default_unit
            out = []
            for data in rows[r + 1:]:
                if len(data) <= max(months):
                    continue
                label_cell = data[label_j]
                label = label_cell.text.strip()
                if not label or _ANNUAL.match(compact(label)) and not any(looks_numeric(data[j].text) for j in months):
                    continue
                row_unit = unit_in_header(label) or unit
                vals = []
                for j, mo in sorted(months.items(), key=lambda kv: kv[1]):
                    q = parse_quantity(data[j].text, row_unit, data[j].loc)
                    if q is not None:
                        vals.append((mo, q))
                annual = parse_quantity(data[annual_j].text, row_unit, data[annual_j].loc) if annual_j is not None and annual_j < len(data) else None
                if vals:
                    out.append(MonthlyRow(label, vals, annual, label_cell))
            if out:
                return out
    return []
