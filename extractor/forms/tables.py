"""The table interpreter: record tables in any layout a submitter produces.

A record table has a header row naming columns and one row per waste type, product or person,
maybe a 合计 row.  Submitters transpose it (waste types as columns), split the header over two
merged rows, name columns their own way ("本年产生量", "产生量（万吨/年）"), state units in the
header, in a caption, in a 计量单位 column or inside each cell, insert group rows ("一、自产固废")
and template rows ("……"), and continue the table under 续表.  Label–value forms are read by
`extractor.forms.labels`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extractor.forms.labels import looks_numeric, unique_cells
from extractor.forms.text import best_match, compact, strip_label
from extractor.model import Block, Cell, Document, Table
from extractor.quantity import Quantity, is_blank, parse_quantity, unit_in_header, unit_of

_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")
TOTAL_WORDS = ("合计", "总计", "小计", "合计数", "总量", "全年合计")
_TOTAL_RE = re.compile(r"^(?:合计|总计|小计|合计数|全年合计|总合计)$")


def is_total_label(text: str) -> bool:
    return bool(_TOTAL_RE.match(compact(text)))


# ---------------------------------------------------------------- record tables


@dataclass
class RecordRow:
    cells: dict[str, Cell]
    label: str  # the name column's text
    is_total: bool = False
    group: str | None = None  # the merged group row above it ("一、自产固废"), if any

    def text(self, key: str) -> str:
        c = self.cells.get(key)
        return c.text.strip() if c else ""


@dataclass
class RecordTable:
    doc: Document
    table: Table
    columns: dict[str, int]  # key -> 0-based position in the (possibly transposed) view
    headers: dict[str, str]  # key -> header text as written
    units: dict[str, str | None]
    rows: list[RecordRow] = field(default_factory=list)
    total: RecordRow | None = None
    transposed: bool = False
    continued: list[Table] = field(default_factory=list)  # 续表 parts joined to this one
    # "小计" rows, each with the group it closes (RecordRow.group); `total` stays the last total row
    subtotals: list[RecordRow] = field(default_factory=list)
    header_end: int = 0  # first row (in the oriented view) below the header

    def quantity(self, row: RecordRow, key: str) -> Quantity | None:
        c = row.cells.get(key)
        if c is None:
            return None
        return parse_quantity(c.text, self.unit(row, key), c.loc)

    def unit(self, row: RecordRow, key: str) -> str | None:
        """The unit of a value: its column header's, else the row's 计量单位 cell when that
        is a unit of the same kind as the column's default, else the column's default."""
        header_unit = unit_in_header(self.headers.get(key, ""))
        if header_unit:
            return header_unit
        default = self.units.get(key)
        row_unit = row.text("unit") if "unit" in self.columns and key != "unit" else ""
        if row_unit:
            ru, du = unit_of(row_unit), unit_of(default) if default else None
            if ru and (du is None or ru[0] == du[0]):
                return row_unit
        return default


def _signature(columns: dict[str, list[str]]) -> tuple:
    return tuple((k, tuple(v)) for k, v in columns.items())


def _header_key(text: str, columns: dict[str, list[str]], cutoff: float) -> tuple[str | None, float]:
    return _header_key_cached(text, _signature(columns), cutoff)


@lru_cache(maxsize=1 << 16)
def _header_key_cached(text: str, signature: tuple, cutoff: float) -> tuple[str | None, float]:
    """The column a header cell names, by fuzzy ratio or by containment ("本年产生量" holds 产生量;
    the unit in brackets is ignored), with its score.  Tables repeat their header texts on every
    page, so the answer is cached per text: header matching stays linear in the package."""
    t = strip_label(text)
    if not t or looks_numeric(t) or len(t) > 30:
        return None, 0.0
    # "岗位（职务）", "入职时间（年.月）", "年龄（周岁）": the qualifier in brackets says little
    bare = _TRAILING_BRACKET.sub("", t)
    best_key, best = None, 0.0
    for cand in dict.fromkeys((t, bare) if bare else (t,)):
        for key, names in signature:
            _, sc = best_match(cand, names)
            for n in names:
                n = compact(n)
                if len(n) >= 3 and n in cand and len(cand) - len(n) <= 4:
                    sc = max(sc, 82.0)
            if cand is bare and cand != t:
                sc -= 1.0  # the full text first, where it matches as well
            if sc > best:
                best_key, best = key, sc
    return (best_key, best) if best >= cutoff else (None, best)


def oriented_rows(t: Table, transposed: bool) -> list[list[Cell]]:
    """The table's rows, or its columns read as rows when submitters transposed it."""
    if not transposed:
        return t.rows
    n = t.n_cols
    return [[r[j] for r in t.rows if j < len(r)] for j in range(n)]


def _assign_header(rows: list[list[Cell]], r: int, sig: tuple, cutoff: float):
    """Map columns of header row r (with an optional sub-header row r+1) to keys."""
    assigned: dict[str, tuple[int, float, str]] = {}
    depth = 1
    sub = rows[r + 1] if r + 1 < len(rows) else None
    if sub is not None:
        sub_hits = sum(1 for c in sub if _header_key_cached(c.text, sig, cutoff)[0] and not looks_numeric(c.text))
        sub_numbers = sum(1 for c in sub if looks_numeric(c.text))
        if sub_hits >= 1 and sub_numbers == 0:
            depth = 2
    for j in range(len(rows[r])):
        texts = []
        for d in range(depth):
            if j < len(rows[r + d]):
                tx = rows[r + d][j].text.strip()
                if tx and tx not in texts:
                    texts.append(tx)
        candidates = texts[-1:] + (["".join(texts)] if len(texts) > 1 else []) + texts[:-1]
        for cand in candidates:
            key, sc = _header_key_cached(cand, sig, cutoff)
            if key and (key not in assigned or sc > assigned[key][1]):
                assigned[key] = (j, sc, "".join(texts))
                break
    return assigned, depth


def _could_be_header(row: list[Cell], min_keys: int) -> bool:
    """Cheap test before matching: enough short, non-numeric cells to name `min_keys` columns."""
    if len(row) < min_keys:
        return False
    n = 0
    for c in unique_cells(row):
        if c.text.strip() and len(c.text) <= 40 and not looks_numeric(c.text):
            n += 1
            if n >= min_keys:
                return True
    return False


def find_record_tables(
    doc: Document,
    columns: dict[str, list[str]],
    required: tuple[str, ...] = ("name",),
    min_keys: int = 3,
    default_units: dict[str, str] | None = None,
    cutoff: float = 80,
) -> list[RecordTable]:
    """Record tables in `doc` whose header names at least `min_keys` of `columns` including
    `required`.  Both orientations are tried; a table may hold several record blocks (附件1's
    key/value part above its waste rows) — the header row is searched anywhere in it.  A table
    continued under 续表 (a new table, with or without the header again) is joined to its start."""
    out: list[RecordTable] = []
    default_units = default_units or {}
    sig = _signature(columns)
    previous: RecordTable | None = None  # the record table just before, for a 续表 without header
    blocks = doc.blocks
    for bi, b in enumerate(blocks):
        if b.kind != "table" or b.table is None:
            if b.kind in ("paragraph", "heading") and b.text and not continuation_note(b.text):
                previous = None  # text between two tables: the second is not a continuation
            continue
        t = b.table
        best = _best_record_table(doc, t, sig, columns, required, min_keys, default_units, cutoff)
        if previous is not None and _continues(previous, t, best, blocks, bi):
            rows = oriented_rows(t, previous.transposed)
            start = best.header_end if best is not None and best.columns == previous.columns else 0
            before = len(previous.rows)
            _collect_rows(previous, rows, start, sig, cutoff)
            if len(previous.rows) > before or previous.total is not None:
                previous.continued.append(t)
            continue
        if best is not None and (best.rows or best.total):
            out.append(best)
            previous = best
        else:
            previous = None
    return out


def _best_record_table(doc, t, sig, columns, required, min_keys, default_units, cutoff) -> RecordTable | None:
    best: RecordTable | None = None
    for transposed in (False, True):
        rows = oriented_rows(t, transposed)
        for r in range(len(rows)):
            if not _could_be_header(rows[r], min_keys):
                continue
            assigned, depth = _assign_header(rows, r, sig, cutoff)
            if len(assigned) < min_keys or any(k not in assigned for k in required):
                continue
            # one key per column position
            positions = {}
            for k, (j, sc, _) in sorted(assigned.items(), key=lambda kv: -kv[1][1]):
                if j not in positions:
                    positions[j] = k
            cols = {k: j for j, k in positions.items()}
            if len(cols) < min_keys or any(k not in cols for k in required):
                continue
            headers = {k: assigned[k][2] for k in cols}
            rt = RecordTable(doc, t, cols, headers, {}, transposed=transposed)
            table_unit = _table_unit(doc, t)
            for k, h in headers.items():
                rt.units[k] = unit_in_header(h) or _unit_for(k, table_unit, default_units)
            rt.header_end = r + depth
            if r + depth < len(rows):
                units = _unit_row(rows[r + depth], cols)
                if units:
                    # "单位 | 亿元 | % | 万元": a unit for each column, under the header (a table with a
                    # 单位 column, transposed, has one)
                    for k, u in units.items():
                        if not unit_in_header(headers[k]):
                            rt.units[k] = u
                    rt.header_end += 1
            _collect_rows(rt, rows, rt.header_end, sig, cutoff)
            if best is None or len(rt.rows) > len(best.rows):
                best = rt
            break  # first header row in this orientation
    return best


def _unit_row(row: list[Cell], cols: dict[str, int]) -> dict[str, str]:
    """key -> unit when `row` states the units of the columns ("单位 | 亿元 | % | 万元"): no
    figure in it, and every filled value cell a unit."""
    name_j = cols.get("name")
    units: dict[str, str] = {}
    for k, j in cols.items():
        if j >= len(row) or k == "name":
            continue
        text = row[j].text.strip()
        if not text:
            continue
        if looks_numeric(text) or unit_of(text) is None:
            return {}
        units[k] = text
    label = compact(row[name_j].text) if name_j is not None and name_j < len(row) else ""
    if label and label not in ("单位", "计量单位"):
        return {}
    return units


_CONTINUATION = re.compile(r"^[(（]?续(?:表|上表)?\s*[\d一二三四五六七八九十]*[)）]?")
# a page footer or header left between the parts of a table: "第1页 共2页", "- 3 -"
_PAGE_LINE = re.compile(r"^[-—–_·]*(?:第\d{1,4}页)?(?:共\d{1,4}页)?[-—–_·]*$|^[-—–_·]*\d{1,4}[/／]\d{1,4}[-—–_·]*$|^[-—–_·]+\d{1,4}[-—–_·]+$")


def continuation_note(text: str) -> bool:
    """A line that may stand between two parts of one table: 续表, or a page number."""
    t = compact(text)
    return bool(_CONTINUATION.match(t)) or bool(t and _PAGE_LINE.match(t))


def _continues(previous: RecordTable, t: Table, best: RecordTable | None, blocks: list[Block], bi: int) -> bool:
    """Whether table `t` carries on the record table before it: it is headed 续表, or it has no
    header of its own (or the same header again) and as many columns."""
    caption = compact(t.caption or "")
    noted = continuation_note(caption) or any(
        blocks[k].kind in ("paragraph", "heading") and continuation_note(blocks[k].text) for k in range(max(0, bi - 2), bi))
    width = (lambda x: x.n_rows) if previous.transposed else (lambda x: x.n_cols)
    same_width = width(t) == width(previous.table)
    if best is None:
        return same_width and (noted or previous.total is None)
    return best.columns == previous.columns and (noted or previous.total is None) and same_width


def _unit_for(key: str, table_unit: str | None, default_units: dict[str, str]) -> str | None:
    default = default_units.get(key)
    if table_unit and default:
        # a caption's "单位：万元" applies to money columns, "单位：万吨" to mass columns
        tu, du = unit_of(table_unit), unit_of(default)
        if tu and du and tu[0] == du[0]:
            return table_unit
    return default


def _table_unit(doc: Document, t: Table) -> str | None:
    """A unit stated for the whole table: in its caption or a short line just before it."""
    if t.caption:
        u = unit_in_header(t.caption) if "单位" in t.caption else None
        if u:
            return u
    prev: list[Block] = []
    for b in doc.blocks:
        if b.kind == "table" and b.table is t:
            break
        prev.append(b)
    for b in reversed(prev[-3:]):
        if b.kind == "table":
            break
        if "单位" in b.text and len(compact(b.text)) <= 40:
            u = unit_in_header(b.text)
            if u:
                return u
    return None


_STOP_WORDS = ("承诺", "说明", "填报人", "审核人", "填报日期", "法定代表人", "注：", "注:", "备注：")
# a template row left in: "……", "……（列举所有综合利用资源的利用量）", "(请将产业X修改为…)"
_PLACEHOLDER_LABEL = re.compile(r"^(?:[.…。·]+|.*(?:列举|请将|请填写|根据实际情况|修改为).*)$")


def _collect_rows(rt: RecordTable, rows: list[list[Cell]], start: int, sig: tuple, cutoff: float) -> None:
    name_j = rt.columns.get("name")
    value_keys = [k for k in rt.columns if k not in ("name", "unit", "remark")]
    group: str | None = None
    for r in range(start, len(rows)):
        row = rows[r]
        texts = [c.text.strip() for c in row]
        uniq = unique_cells(row)
        first_text = next((c.text.strip() for c in uniq if c.text.strip()), "")
        if not any(texts):
            continue
        if any(first_text.startswith(w) or w in first_text[:8] for w in _STOP_WORDS):
            break
        if len([c for c in uniq if c.text.strip()]) == 1 and len(row) > 2 and not looks_numeric(first_text):
            # a full-width row: a group of the rows below ("一、自产固废"), or a new part of the form
            nxt = next((rows[k] for k in range(r + 1, len(rows)) if any(c.text.strip() for c in rows[k])), None)
            if nxt is None or not any(looks_numeric(c.text) for c in nxt):
                break
            group = first_text
            continue
        # a repeated header (a table continued on the next page)
        if sum(1 for c in row if _header_key_cached(c.text, sig, cutoff)[0]) >= max(2, len(rt.columns) - 1):
            continue
        cells = {k: row[j] for k, j in rt.columns.items() if j < len(row)}
        label = cells["name"].text.strip() if "name" in cells else ""
        total = is_total_label(label) or any(is_total_label(c.text) for c in row[: (name_j or 0) + 1])
        numbers = any(looks_numeric(cells[k].text) for k in value_keys if k in cells)
        if not total and not label and all(is_blank(cells[k].text) for k in value_keys if k in cells):
            continue  # an empty template row
        if not total and is_blank(label) and not numbers:
            continue
        if not total and not numbers and _PLACEHOLDER_LABEL.match(compact(label)):
            continue  # the template's "……" row
        rec = RecordRow(cells, "合计" if total and not label.strip() else label, total, group)
        if total and any(compact(c.text) == "小计" for c in row[: (name_j or 0) + 1] + [cells.get("name")] if c is not None):
            rt.subtotals.append(rec)
        if total:
            rt.total = rec
        else:
            rt.rows.append(rec)


def logical_tables(doc: Document) -> list[Table]:
    """The document's tables with each continued table (续表 on the next page, headed again or not)
    joined to its start, as one grid.  The parts' cells keep their own locations."""
    out: list[Table] = []
    last: Table | None = None
    between_ok = True
    for b in doc.blocks:
        if b.kind != "table" or b.table is None:
            if b.kind in ("paragraph", "heading") and b.text and not continuation_note(b.text):
                between_ok = False
            continue
        t = b.table
        if last is not None and between_ok and t.n_cols == last.n_cols and _headless_or_repeated(last, t):
            skip = 1 if t.rows and last.rows and [c.text.strip() for c in t.rows[0]] == [c.text.strip() for c in last.rows[0]] else 0
            last = last.model_copy(update={"rows": last.rows + t.rows[skip:], "pages": sorted(set(last.pages) | set(t.pages))})
            out[-1] = last
        else:
            last = t
            out.append(t)
        between_ok = True
    return out


def _headless_or_repeated(first: Table, second: Table) -> bool:
    """The second table opens with the first's header again, or with data (no header row)."""
    if not second.rows:
        return False
    if first.rows and [c.text.strip() for c in second.rows[0]] == [c.text.strip() for c in first.rows[0]]:
        return True
    return second.header_rows == 0 and any(looks_numeric(c.text) for c in second.rows[0])
