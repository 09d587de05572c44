"""Borderless tables of a text PDF page, found from the alignment of its text.

Word and WPS export "three-line" tables (a rule above the header, one under it, one at the
bottom, no vertical rules) and tables without any rule; the ruling-line path
(`pdf_tables`) finds no cells in them.  Here each line of text comes split into pieces at
wide horizontal gaps (`Chunk`s, measured from pdfium's character boxes by the reader).  A
table is a run of lines whose pieces share column boundaries: vertical "rivers" of white
space that no piece of the run's multi-piece lines crosses.  Rows are told apart by the
vertical gaps between lines (a cell wrapped onto two lines is closer than the next row) or,
where rows are as close as wrapped lines, by the first column being empty on a wrapped line.
Long horizontal rules near the run bound it, separate its rows and mark its header.

Detection is conservative: at least three columns and three multi-piece lines (two within
rules), and not label/value lines ("联系人：张三  电话：…"), table-of-contents entries,
captions or paragraphs.
"""

from __future__ import annotations

import bisect
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

from extractor.headings import match_numbering
from extractor.quantity import is_blank
from extractor.readers.grid import PlacedCell, is_number_text, join_fragments
from extractor.readers.pdf_tables import PageTable

# a gap between two characters of a line this wide (in font sizes) separates two cells; the
# narrowest gap between the texts of two Word table cells is the cells' padding, ~1 em
WIDE_GAP_EM = 0.7
# a gap narrower than this (in font sizes) is no word space: pdfium's own spacing
SPACE_EM = 0.15
MIN_COLUMNS = 3
MIN_MULTI_LINES = 3  # lines with at least two pieces; two will do between rules
MIN_RIVER = 1.0  # points
BREAK_GAP = 3.0  # a vertical gap of this many font sizes ends a table
WIDE_LINE = 0.5  # a single-piece line wider than this share of the text width is prose
MIN_RULE_SHARE = 0.3  # rules shorter than this share of the text width are underlines
ROW_GAP_RATIO = 1.3  # row pitch ≥ this × wrapped-line pitch to tell rows apart by gaps

_CAPTION = re.compile(r"^(?:续\s*)?[表图]\s*(?:[\dA-Za-z一二三四五六七八九十]|$)")
_CONTINUED = re.compile(r"^续\s*表")
_LABEL = re.compile(r"^[^\s：:，。；,;]{1,14}[：:]")
_LEADERS = re.compile(r"[.…·．]{4,}|…{2,}|[-—_]{6,}")
_NOTE = re.compile(r"^(?:注|备注|说明|资料来源|数据来源|来源|填表|制表|审核|负责人|联系人|联系电话)")
_TOTAL = re.compile(r"^(?:合\s*计|小\s*计|总\s*计)")
_CJK_AFTER = re.compile(r"[\u4e00-\u9fff]")
# a list item's number: "（1）", "1、", "1.", "一、", "①"; not a bare 序号 ("1") nor a figure
_ITEM = re.compile(r"^(?:[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]|[\d一二三四五六七八九十]{1,3}\s*[、．.](?!\d)|[①-⑳])")


class LineLike(Protocol):
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    chunks: list[Chunk]  # empty: the line is one piece


@dataclass
class Chunk:
    """A piece of a line of text between two wide gaps."""

    x0: float
    x1: float
    text: str


@dataclass(frozen=True)
class Rule:
    """A long horizontal rule drawn on the page."""

    x0: float
    x1: float
    y: float


@dataclass
class Carry:
    """A text table still open at the bottom of a page: the next page may continue it."""

    columns: list[tuple[float, float]]
    anchor: int


@dataclass
class TextTable:
    table: PageTable
    lines: list  # the page lines it is made of
    columns: list[tuple[float, float]]
    anchor: int
    bottom: float


@dataclass
class _Piece:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    first: int = 0  # columns it covers, 0-based, inclusive
    last: int = 0


@dataclass
class _VLine:
    """One visual line: the page lines (pdfium may give a row of cells as several) that
    share a baseline, their pieces ordered left to right."""

    top: float
    bottom: float
    size: float
    pieces: list[_Piece]
    sources: list

    @property
    def multi(self) -> bool:
        return len(self.pieces) >= 2

    @property
    def x0(self) -> float:
        return self.pieces[0].x0

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.pieces)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)


def has_candidate(lines: Sequence[LineLike]) -> bool:
    """Cheap test: could the page hold a text table at all (two lines with wide gaps)?"""
    n = 0
    for ln in lines:
        if len(ln.chunks) >= 2:
            n += 1
            if n >= 2:
                return True
    return False


def find_text_tables(
    lines: Sequence[LineLike],
    rules: Sequence[Rule],
    carry: Carry | None = None,
    text_right: float | None = None,
) -> list[TextTable]:
    """The borderless tables among a page's lines (top to bottom).  `carry`: the columns of
    a table left open at the bottom of the previous page, tried on the lines that start
    this page.  `text_right`: the right edge of the document's text (its right margin)."""
    vlines = _visual_lines(lines)
    if not vlines:
        return []
    left = min(v.x0 for v in vlines)
    right = max(v.x1 for v in vlines)
    width = max(1.0, right - left)
    right = max(right, text_right or 0.0)
    rules = [r for r in rules if r.x1 - r.x0 >= MIN_RULE_SHARE * width]
    out: list[TextTable] = []
    first = True
    for seg, starts_page in _segments(vlines, width, rules):
        carried = carry if first and starts_page else None
        first = False
        out.extend(_tables_in(seg, rules, right, carried))
    return out


# ---------------------------------------------------------------------------------------
# lines and segments


def _visual_lines(lines: Sequence[LineLike]) -> list[_VLine]:
    ordered = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    out: list[_VLine] = []
    for ln in ordered:
        chunks = ln.chunks or [Chunk(ln.x0, ln.x1, ln.text)]
        pieces = [_Piece(c.x0, c.x1, ln.top, ln.bottom, c.text) for c in chunks if c.text]
        if not pieces:
            continue
        cur = out[-1] if out else None
        if cur is not None and min(cur.bottom, ln.bottom) - max(cur.top, ln.top) >= 0.5 * min(
            cur.bottom - cur.top, ln.bottom - ln.top
        ):
            pieces = cur.pieces + pieces
            cur.pieces = _merge_close(sorted(pieces, key=lambda p: p.x0), max(cur.size, ln.size))
            cur.sources.append(ln)
            cur.top = min(cur.top, ln.top)
            cur.bottom = max(cur.bottom, ln.bottom)
            cur.size = max(cur.size, ln.size)
            continue
        out.append(_VLine(top=ln.top, bottom=ln.bottom, size=ln.size, pieces=_merge_close(pieces, ln.size), sources=[ln]))
    return out


def _merge_close(pieces: list[_Piece], size: float) -> list[_Piece]:
    """Pieces a narrow gap apart on the page are one piece, whatever order the text
    drew them in (a check box drawn after the word it stands before)."""
    out: list[_Piece] = []
    for p in pieces:
        if out and p.x0 - out[-1].x1 < WIDE_GAP_EM * size:
            last = out[-1]
            out[-1] = _Piece(
                min(last.x0, p.x0), max(last.x1, p.x1), min(last.top, p.top), max(last.bottom, p.bottom),
                join_fragments(last.text, p.text),
            )
            continue
        out.append(p)
    return out


def _is_breaker(v: _VLine, width: float) -> bool:
    """A line no table runs through: a paragraph line, a heading or a caption."""
    if v.multi:
        return False
    text = v.pieces[0].text
    if v.x1 - v.x0 > WIDE_LINE * width:
        return True
    if _CAPTION.match(text):
        return True
    numbered = match_numbering(text)
    # a heading: its number, then words ("26.com", a wrapped e-mail address, is none)
    return numbered is not None and _CJK_AFTER.match(text[len(numbered[1]):].lstrip()) is not None


def _segments(vlines: list[_VLine], width: float, rules: Sequence[Rule]):
    """Runs of lines between breakers and wide vertical gaps (a gap a rule runs through
    is inside a table); whether the run starts the page (only a 续表 line before it)."""
    cur: list[_VLine] = []
    cur_starts = True
    page_start = True  # nothing but a 续表 line seen so far
    for v in vlines:
        gap_break = (
            bool(cur)
            and v.top - cur[-1].bottom > BREAK_GAP * max(v.size, cur[-1].size)
            and not any(cur[-1].bottom < r.y < v.top for r in rules)
        )
        if _is_breaker(v, width) or gap_break:
            if cur:
                yield cur, cur_starts
                page_start = False
            cur = []
            if _is_breaker(v, width):
                if not (page_start and _CONTINUED.match(v.pieces[0].text)):
                    page_start = False
                cur_starts = False
                continue
            cur_starts = False
        if not cur:
            cur_starts = page_start
        cur.append(v)
    if cur:
        yield cur, cur_starts


# ---------------------------------------------------------------------------------------
# one segment


def _tables_in(seg: list[_VLine], rules: Sequence[Rule], right: float, carry: Carry | None) -> list[TextTable]:
    """`right`: the right edge of the page's text, where a full-width table ends."""
    found = _standalone(seg, rules, right)
    if carry is None:
        return found
    carried = _carried_table(seg, rules, carry, right)
    if carried is None:
        return found
    table, rest = carried
    first = found[0] if found else None
    if first is not None and _ids(first.lines) & _ids(table.lines) and len(first.lines) > len(table.lines):
        return found  # the page starts a table of its own
    return [table, *(_standalone(rest, rules, right) if rest else [])]


def _ids(lines) -> set[int]:
    return {id(x) for x in lines}


def _standalone(seg: list[_VLine], rules: Sequence[Rule], right: float) -> list[TextTable]:
    multi = [v for v in seg if v.multi]
    if len(multi) < 2:
        return []
    size = statistics.median(v.size for v in seg)
    lo, hi = min(v.x0 for v in multi), max(v.x1 for v in multi)
    near = sorted(
        (
            r for r in rules
            if seg[0].top - 2 * size <= r.y <= seg[-1].bottom + 2 * size
            and min(r.x1, hi) - max(r.x0, lo) >= 0.5 * (hi - lo)
        ),
        key=lambda r: r.y,
    )
    before: list[_VLine] = []
    after: list[_VLine] = []
    body = seg
    bounded = False
    if len(near) >= 2:
        top_rule, last_rule = near[0], near[-1]
        before = [v for v in seg if v.cy < top_rule.y]
        body = [v for v in seg if top_rule.y <= v.cy <= last_rule.y]
        after = [v for v in seg if v.cy > last_rule.y]
        if len(near) == 2 and after:
            # a rule above the header and one under it, and the table runs on below them
            # (to the page's end: it continues on the next page); or a top and a bottom rule
            tail = _continuing_tail(after)
            body, after = body + tail, after[len(tail):]
        bounded = sum(v.multi for v in body) >= 2
        if not bounded:
            before, body, after = [], seg, []
    out: list[TextTable] = []
    if before:
        out.extend(_standalone(before, [], right))
    table = _table(body, near, True, right) if bounded else None
    if table is not None:
        out.append(table)
        used = _ids(table.lines)
        tail = [v for v in body if v.top > table.bottom and not _ids(v.sources) & used]
        if tail:
            out.extend(_standalone(tail, [], right))
    else:
        # no rules, or rules around more than one table (a form above a table): runs of
        # one column layout, each a table or not
        for run in _runs(body):
            table = _table(run, near, False, right)
            if table is not None:
                out.append(table)
    if after:
        out.extend(_standalone(after, [], right))
    return out


def _runs(lines: list[_VLine]) -> list[list[_VLine]]:
    """Split where the column layout changes (a form above a table, two tables).  Going
    up from the last line, a table's most regular part, a line starts another run when,
    added to the run below it, it leaves fewer than three columns, merges columns other
    lines need apart, or splits a column while the line above it does the same (a new
    layout, not one odd line).  A header with merged cells, cut off that way, is put back
    on its table."""
    multi = [i for i, v in enumerate(lines) if v.multi]
    starts = {0}
    cur: list[_VLine] = []  # top-down
    for n in range(len(multi) - 1, -1, -1):
        v = lines[multi[n]]
        above = lines[multi[n - 1]] if n > 0 else None
        if cur and not _joins(cur, v, above):
            starts.add(multi[n + 1])
            cur = []
        cur.insert(0, v)
    runs: list[list[_VLine]] = []
    for i, v in enumerate(lines):
        if i in starts or not runs:
            runs.append([])
        runs[-1].append(v)
    merged: list[list[_VLine]] = []
    for run in runs:
        if merged and _is_header_of(merged[-1], run):
            merged[-1] = merged[-1] + run
        else:
            merged.append(run)
    out: list[list[_VLine]] = []
    for run in merged:
        out.extend(_split_at_spanning(run))
    return [r for r in out if r]


def _joins(cur: list[_VLine], v: _VLine, above: _VLine | None) -> bool:
    crowded = _crowded([v, *cur])
    if crowded is None:
        return False
    if not crowded:
        return True
    if crowded != {id(v)}:
        return False
    if above is None:
        return True
    after = _crowded([above, v, *cur])
    return after is not None and after <= {id(v)}


def _is_header_of(head: list[_VLine], run: list[_VLine]) -> bool:
    """One or two lines of fewer cells than the run below, whose merged cells bridge its
    columns: its header."""
    top = [v for v in head if v.multi]
    body = [v for v in run if v.multi]
    if not top or len(top) > 2 or not body:
        return False
    most = max(len(v.pieces) for v in body)
    if any(len(v.pieces) >= most for v in top):
        return False
    return _crowded(top + body, suspects=True) == set()


def _crowded(multi: list[_VLine], suspects: bool = False) -> set[int] | None:
    """The lines with two pieces in one column, or None if the lines make fewer than
    three columns.  `suspects`: header and total lines with merged cells set aside."""
    found = _column_layout(multi, suspects)
    if found is None:
        return None
    columns, core = found
    out: set[int] = set()
    for v in core:
        spans = sorted(_span(p, columns) for p in v.pieces)
        if any(b[0] <= a[1] for a, b in pairwise(spans)):
            out.add(id(v))
    return out


def _split_at_spanning(run: list[_VLine]) -> list[list[_VLine]]:
    """A line of one text across the columns of the lines around it (a section title, a
    note) ends one table and may start another."""
    multi = [v for v in run if v.multi]
    if len(multi) < 2:
        return [run]
    rivers = _rivers(multi)
    out: list[list[_VLine]] = [[]]
    for v in run:
        if not v.multi and any(v.x0 < a and v.x1 > b for a, b in rivers):
            out.append([])
            continue
        out[-1].append(v)
    return out


def _continuing_tail(after: list[_VLine]) -> list[_VLine]:
    """Lines below a table's second rule that carry on its rows: up to a note or a line of
    labels."""
    out: list[_VLine] = []
    for v in after:
        if _NOTE.match(v.pieces[0].text) or _label_line(v):
            break
        out.append(v)
    # the rows run to the end of the segment, or they are not rows of this table
    return out if len(out) == len(after) else []


def _table(lines: list[_VLine], rules: Sequence[Rule], bounded: bool, right: float) -> TextTable | None:
    lines = _trim(lines, bounded)
    need = 2 if bounded else MIN_MULTI_LINES
    multi = [v for v in lines if v.multi]
    if len(multi) < need:
        return None
    if _label_value(multi) or sum(1 for v in lines if _LEADERS.search(v.text())) >= 2:
        return None
    columns = _columns(multi)
    if columns is None:
        return None
    lines = _fit(lines, columns, bounded)
    if not lines or sum(1 for v in lines if v.multi) < need or not _supported(lines, len(columns)):
        return None
    if _list_like([v for v in lines if v.multi]):
        return None
    return _build(lines, columns, rules, right, carried=False)


def _trim(lines: list[_VLine], bounded: bool) -> list[_VLine]:
    """Leading lines before the first multi-piece line and trailing notes and label lines
    are not part of the table (between rules everything is)."""
    if bounded:
        return lines
    start = next((i for i, v in enumerate(lines) if v.multi and not _label_line(v)), len(lines))
    end = len(lines)
    while end > start and (_NOTE.match(lines[end - 1].pieces[0].text) or _label_line(lines[end - 1])):
        end -= 1
    return lines[start:end]


def _label_line(v: _VLine) -> bool:
    """A line of "label：value" pairs."""
    labels = sum(1 for p in v.pieces if _LABEL.match(p.text))
    return labels >= 1 and labels * 2 >= len(v.pieces)


def _list_like(multi: list[_VLine]) -> bool:
    """Items of a list ("（1）粉煤灰  486,320吨  97.2%" …) with their figures set out by tabs,
    or words set out in a grid (names), are no table: a third of the lines start in the
    first column with an outline number (a table's sub-items, "1．废钢铁", sit in a later
    column than its 序号), or no line below the first holds a figure."""
    numbered = sum(1 for v in multi if v.pieces[0].first == 0 and _ITEM.match(v.pieces[0].text))
    figures = any(ch.isdigit() for v in multi[1:] for p in v.pieces for ch in p.text)
    return (numbered >= 2 and numbered * 3 >= len(multi)) or not figures


def _label_value(multi: list[_VLine]) -> bool:
    """Lines of "label：value" pairs, however well they align, are a form, not a table."""
    pieces = [p for v in multi for p in v.pieces]
    labels = sum(1 for p in pieces if _LABEL.match(p.text))
    label_lines = sum(1 for v in multi if _label_line(v))
    return labels >= 0.3 * len(pieces) or label_lines * 2 >= len(multi)


# ---------------------------------------------------------------------------------------
# columns


def _rivers(lines: Sequence[_VLine]) -> list[tuple[float, float]]:
    """The x intervals no piece of `lines` covers, between their leftmost and rightmost ink."""
    spans = sorted((p.x0, p.x1) for v in lines for p in v.pieces)
    out: list[tuple[float, float]] = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= MIN_RIVER:
            out.append((reach, x0))
        reach = max(reach, x1)
    return out


def _columns(multi: list[_VLine]) -> list[tuple[float, float]] | None:
    found = _column_layout(multi)
    return found[0] if found is not None else None


def _column_layout(
    multi: list[_VLine], suspects: bool = True
) -> tuple[list[tuple[float, float]], list[_VLine]] | None:
    """Column extents from the white rivers of the multi-piece lines, and the lines that
    made them.  A header or total line whose merged cell bridges rivers all other lines
    leave open is set aside (if `suspects`)."""
    core = list(multi)
    rivers = _rivers(core)
    candidates = multi[:3] + [v for v in multi[3:] if _TOTAL.match(v.pieces[0].text)] if suspects else []
    for v in candidates:
        if len(core) <= 1:
            break
        rest = [w for w in core if w is not v]
        more = _rivers(rest)
        new = [(a, b) for a, b in more if not any(min(b, d) > max(a, c) for c, d in rivers)]
        if new and all(any(p.x0 < a and p.x1 > b for p in v.pieces) for a, b in new):
            core, rivers = rest, more
    lo = min(p.x0 for v in core for p in v.pieces)
    hi = max(p.x1 for v in core for p in v.pieces)
    columns: list[tuple[float, float]] = []
    x = lo
    for a, b in rivers:
        columns.append((x, a))
        x = b
    columns.append((x, hi))
    columns = _merge_complementary(columns, core)
    return (columns, core) if len(columns) >= MIN_COLUMNS else None


def _merge_complementary(columns: list[tuple[float, float]], lines: list[_VLine]) -> list[tuple[float, float]]:
    """Two neighbouring columns never both filled on one line are one column whose texts
    are aligned differently (a header centred, figures to the right)."""
    changed = True
    while changed and len(columns) > 1:
        changed = False
        occupied = [_occupied(v, columns) for v in lines]
        for k in range(len(columns) - 1):
            both = any(k in occ and k + 1 in occ for occ in occupied)
            if not both and any(k in o for o in occupied) and any(k + 1 in o for o in occupied):
                columns = columns[:k] + [(columns[k][0], columns[k + 1][1])] + columns[k + 2:]
                changed = True
                break
    return columns


def _span(p: _Piece, columns: list[tuple[float, float]]) -> tuple[int, int]:
    """The columns a piece lies in (first, last)."""
    if len(columns) > _FEW_COLUMNS:
        index = _ColumnIndex.of(columns)
        if index.ordered:
            return index.span(p)
    need = min(1.5, 0.5 * (p.x1 - p.x0))
    hit = [k for k, (a, b) in enumerate(columns) if min(b, p.x1) - max(a, p.x0) > need]
    if hit:
        return (hit[0], hit[-1])
    # in a river (narrower than the gap it sits in): the nearest column
    centre = (p.x0 + p.x1) / 2
    k = min(range(len(columns)), key=lambda k: max(columns[k][0] - centre, centre - columns[k][1], 0.0))
    return (k, k)


_FEW_COLUMNS = 8  # up to this many columns a piece is tested against each


class _ColumnIndex:
    """`_span` by bisection over columns that are ordered and apart (as rivers make them):
    a table of hundreds of columns would otherwise test every piece against every column,
    again on every merge of two columns."""

    _last: tuple[list, _ColumnIndex] | None = None  # columns come in runs of calls

    def __init__(self, columns: list[tuple[float, float]]) -> None:
        self.columns = columns
        self.starts = [a for a, _ in columns]
        self.ends = [b for _, b in columns]
        self.ordered = all(a <= b for a, b in columns) and all(
            b0 < a1 for (_, b0), (a1, _) in pairwise(columns)
        )

    @classmethod
    def of(cls, columns: list[tuple[float, float]]) -> _ColumnIndex:
        last = cls._last
        if last is not None and last[0] is columns:
            return last[1]
        index = cls(columns)
        cls._last = (columns, index)
        return index

    def span(self, p: _Piece) -> tuple[int, int]:
        columns = self.columns
        need = min(1.5, 0.5 * (p.x1 - p.x0))
        # the columns that meet the piece at all: ending after its start, starting before its end
        lo = bisect.bisect_right(self.ends, p.x0)
        hi = bisect.bisect_left(self.starts, p.x1)
        hit = [k for k in range(lo, hi) if min(columns[k][1], p.x1) - max(columns[k][0], p.x0) > need]
        if hit:
            return (hit[0], hit[-1])
        centre = (p.x0 + p.x1) / 2
        i = bisect.bisect_right(self.starts, centre)
        near = [k for k in (i - 1, i) if 0 <= k < len(columns)]
        k = min(near, key=lambda k: (max(columns[k][0] - centre, centre - columns[k][1], 0.0), k))
        return (k, k)


def _best_column(p: _Piece, columns: list[tuple[float, float]], first: int, last: int) -> int:
    return max(range(first, last + 1), key=lambda k: min(columns[k][1], p.x1) - max(columns[k][0], p.x0))


def _occupied(v: _VLine, columns: list[tuple[float, float]]) -> set[int]:
    out: set[int] = set()
    for p in v.pieces:
        first, last = _span(p, columns)
        out.update(range(first, last + 1))
    return out


def _fit(lines: list[_VLine], columns: list[tuple[float, float]], bounded: bool) -> list[_VLine]:
    """Place every piece in its columns.  Outside rules, the table ends before a single
    piece line that spans several columns (a paragraph or note); within rules such a line
    is a merged row."""
    kept: list[_VLine] = []
    for v in lines:
        spanning = False
        for p in v.pieces:
            p.first, p.last = _span(p, columns)
            spanning = spanning or p.last > p.first
        if spanning and not v.multi and not bounded:
            if any(w.multi for w in kept):
                break
            continue
        kept.append(v)
    while kept and not kept[-1].multi and not bounded and _NOTE.match(kept[-1].pieces[0].text):
        kept.pop()
    return kept


def _supported(lines: list[_VLine], n_cols: int) -> bool:
    """At least three columns filled on two lines or more, and two lines filling three."""
    per_col = [0] * n_cols
    wide_lines = 0
    for v in lines:
        for k in {p.first for p in v.pieces if p.first == p.last}:
            per_col[k] += 1
        if len({(p.first, p.last) for p in v.pieces}) >= MIN_COLUMNS:
            wide_lines += 1
    return sum(1 for n in per_col if n >= 2) >= MIN_COLUMNS and wide_lines >= 2


# ---------------------------------------------------------------------------------------
# continuation of the previous page's table


def _carried_table(
    seg: list[_VLine], rules: Sequence[Rule], carry: Carry, right: float
) -> tuple[TextTable, list[_VLine]] | None:
    """The lines starting the page that fit the columns of the table the previous page
    left open."""
    columns = carry.columns
    lo, hi = columns[0][0], columns[-1][1]
    slack = 2 * statistics.median(v.size for v in seg)
    kept: list[_VLine] = []
    for v in seg:
        if _NOTE.match(v.pieces[0].text) or _label_line(v) or v.x0 < lo - slack or v.x1 > hi + slack:
            break
        spans = [_span(p, columns) for p in v.pieces]
        if not v.multi and spans[0][1] > spans[0][0]:
            break  # one text across several columns: a paragraph
        for p, (first, last) in zip(v.pieces, spans):
            p.first, p.last = first, last
        kept.append(v)
    if not any(v.multi for v in kept):
        return None
    size = statistics.median(v.size for v in kept)
    near = [r for r in rules if kept[0].top - 2 * size <= r.y <= kept[-1].bottom + 2 * size]
    return _build(kept, columns, near, right, carried=True, anchor=carry.anchor), seg[len(kept):]


# ---------------------------------------------------------------------------------------
# rows and cells


def _build(
    lines: list[_VLine],
    columns: list[tuple[float, float]],
    rules: Sequence[Rule],
    right: float,
    carried: bool,
    anchor: int | None = None,
) -> TextTable:
    n_cols = len(columns)
    interior = sorted(r.y for r in rules if lines[0].cy < r.y < lines[-1].cy)
    top_rules = [r.y for r in rules if r.y <= lines[0].cy and lines[0].top - r.y <= 2 * lines[0].size]
    if anchor is None:
        anchor = _anchor(lines, n_cols)
    groups = _row_groups(lines, interior, anchor, columns)
    # the header of a three-line table: the lines above its second rule
    header_groups = 0
    if top_rules and interior and not carried:
        header_groups = sum(1 for g in groups if g[-1].cy < interior[0])
    rows: list[list[_VLine]] = []
    sub = _split_levels(groups[0])
    rows.extend(sub)
    rows.extend(groups[1:])
    header_rows = header_groups + len(sub) - 1 if header_groups else None
    widths = _column_widths(lines, n_cols)
    column_pieces: dict[tuple[int, int], list[_Piece]] = {}
    for v in lines:
        for p in v.pieces:
            column_pieces.setdefault((p.first, p.last), []).append(p)
    placed: list[PlacedCell] = []
    for r, row in enumerate(rows):
        placed.extend(_cells(row, r, columns, widths, column_pieces, right))
    levels = len(sub) if len(sub) > 1 else _header_levels(placed, len(rows))
    if levels > 1:
        placed = _merge_header(placed, levels)
        if header_rows is None and len(sub) == 1:
            header_rows = levels
    continues_row = carried and _is_wrapped_tail(rows[0], anchor, n_cols)
    x0 = min(v.x0 for v in lines)
    x1 = max(v.x1 for v in lines)
    top = min([lines[0].top, *top_rules])
    bottom = lines[-1].bottom
    table = PageTable(
        top=top,
        bbox=(x0, top, x1, bottom),
        placed=placed,
        n_rows=len(rows),
        n_cols=n_cols,
        continues_row=continues_row,
        header_rows=header_rows,
    )
    sources = [src for v in lines for src in v.sources]
    return TextTable(table=table, lines=sources, columns=columns, anchor=anchor, bottom=bottom)


def _column_widths(lines: list[_VLine], n_cols: int) -> list[float]:
    """The widest text of each column (a cell's width, less its padding, where one wraps)."""
    widths = [0.0] * n_cols
    for v in lines:
        for p in v.pieces:
            if p.first == p.last:
                widths[p.first] = max(widths[p.first], p.x1 - p.x0)
    return widths


def _anchor(lines: list[_VLine], n_cols: int) -> int:
    """The column filled most often on lines of several cells (the leftmost of equals): a
    line without it is a wrapped line of the row above."""
    counts = [0] * n_cols
    for v in lines:
        if not v.multi:
            continue
        for k in {p.first for p in v.pieces}:
            counts[k] += 1
    return counts.index(max(counts))


def _row_groups(
    lines: list[_VLine], interior: list[float], anchor: int, columns: list[tuple[float, float]]
) -> list[list[_VLine]]:
    """Visual lines grouped into table rows.  A rule always separates rows.  Between rules,
    a wrapped line is closer to the line above than rows are to each other; where all lines
    are equally close, a wrapped line is one that leaves the anchor column empty and holds
    only the tails of long cells of the line above."""

    def ruled(a: _VLine, b: _VLine) -> bool:
        return any(a.cy < y < b.cy for y in interior)

    threshold = _gap_threshold([b.top - a.top for a, b in pairwise(lines) if not ruled(a, b)])
    widths = _column_widths(lines, len(columns))
    groups: list[list[_VLine]] = [[lines[0]]]
    for prev, v in pairwise(lines):
        if ruled(prev, v):
            wrapped = False
        elif threshold is not None:
            # by the gaps; in the header also a second paragraph of a cell ("总投资" over
            # "（万元）"), as far below as the next row
            wrapped = v.top - prev.top < threshold or (
                len(groups) == 1 and _looks_wrapped(v, prev, anchor, len(columns), widths)
            )
        else:
            wrapped = _looks_wrapped(v, prev, anchor, len(columns), widths)
        if wrapped:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


def _gap_threshold(pitches: list[float]) -> float | None:
    """Between the pitch of wrapped lines and the larger pitch of rows, if the pitches fall
    in two clear groups with at least two row pitches."""
    if len(pitches) < 2:
        return None
    ds = sorted(pitches)
    best, at = 1.0, -1
    for k in range(len(ds) - 1):
        if ds[k] > 0 and ds[k + 1] / ds[k] > best:
            best, at = ds[k + 1] / ds[k], k
    if best < ROW_GAP_RATIO or at < 0 or len(ds) - at - 1 < 2:
        return None
    return math.sqrt(ds[at] * ds[at + 1])


def _looks_wrapped(v: _VLine, prev: _VLine, anchor: int, n_cols: int, widths: list[float]) -> bool:
    occ = {k for p in v.pieces for k in range(p.first, p.last + 1)}
    if anchor in occ or len(occ) > max(1, n_cols // 2):
        return False
    above = {p.first: p for p in prev.pieces}
    for p in v.pieces:
        q = above.get(p.first)
        if q is None or p.last != p.first or (q.x1 - q.x0) < 0.6 * widths[p.first]:
            return False
    return True


def _is_wrapped_tail(row: list[_VLine], anchor: int, n_cols: int) -> bool:
    """The first row on a continued page is the rest of a row split by the page break."""
    occ = {k for v in row for p in v.pieces for k in range(p.first, p.last + 1)}
    return anchor not in occ and len(occ) <= max(1, n_cols // 2)


def _split_levels(group: list[_VLine]) -> list[list[_VLine]]:
    """A header of two levels: a line with a merged cell over several columns, then the
    lines naming those columns, are two rows."""
    out: list[list[_VLine]] = [[]]
    spans: list[tuple[int, int]] = []
    for v in group:
        under = any(p.first == p.last and any(a <= p.first <= b for a, b in spans) for p in v.pieces)
        if under and out[-1]:
            out.append([])
            spans = []
        out[-1].append(v)
        spans.extend((p.first, p.last) for p in v.pieces if p.last > p.first)
    return out


def _cells(
    row: list[_VLine],
    r: int,
    columns: list[tuple[float, float]],
    widths: list[float],
    column_pieces: dict[tuple[int, int], list[_Piece]],
    right: float,
) -> list[PlacedCell]:
    """A row's cells: the pieces of each column joined top to bottom; a piece over several
    columns is a merged cell unless another piece of its line shares one of them.  A text
    centred over empty neighbouring columns is a merged cell over them."""
    items: list[tuple[_Piece, int, int]] = []
    for v in row:
        for p in v.pieces:
            first, last = p.first, p.last
            if last > first and any(q is not p and q.last >= first and q.first <= last for q in v.pieces):
                first = last = _best_column(p, columns, first, last)
            items.append((p, first, last))
    cells: list[tuple[int, int, list[_Piece]]] = []
    for p, first, last in sorted(items, key=lambda t: t[1] - t[2]):  # merged cells first
        home = next((c for c in cells if c[0] <= first and last <= c[1]), None)
        if home is None and any(not (c[1] < first or c[0] > last) for c in cells):
            first = last = _best_column(p, columns, first, last)
            home = next((c for c in cells if c[0] <= first <= c[1]), None)
        if home is None:
            home = (first, last, [])
            cells.append(home)
        home[2].append(p)
    cells.sort(key=lambda c: c[0])
    filled = {k for first, last, _ in cells for k in range(first, last + 1)}
    out: list[PlacedCell] = []
    for first, last, pieces in cells:
        pieces.sort(key=lambda p: (p.top, p.x0))
        text = ""
        for i, p in enumerate(pieces):
            text = _join_cell(text, p, pieces[i - 1] if i else None, max(widths[first:last + 1]))
        first, last = _centred_span(pieces, first, last, columns, filled, row[0].size, column_pieces, right)
        out.append(PlacedCell(row=r, col=first, text=text, colspan=last - first + 1))
    return out


_NO_SPACE_AFTER = ("-", "—", "–", "/", "@", "_", ".", "~", "～", "、", "（", "(")
_NO_SPACE_BEFORE = ("-", "—", "–", "/", "@", "_", ".", "~", "～", "%", "）", ")")


def _join_cell(text: str, p: _Piece, prev: _Piece | None, width: float) -> str:
    """A cell's text and its next piece: on the same line, or wrapped onto the next one; a
    word broken because it was wider than the cell ("xxgyy_gxj@1" / "26.com") is joined
    without a space."""
    if not text:
        return p.text
    if prev is not None and prev.top < p.top:
        broken = text.endswith(_NO_SPACE_AFTER) or p.text.startswith(_NO_SPACE_BEFORE)
        if broken or (" " not in prev.text and prev.x1 - prev.x0 >= 0.9 * width):
            return text + p.text
    return join_fragments(text, p.text)


def _centred_span(
    pieces: list[_Piece],
    first: int,
    last: int,
    columns: list[tuple[float, float]],
    filled: set[int],
    size: float,
    column_pieces: dict[tuple[int, int], list[_Piece]],
    right: float,
) -> tuple[int, int]:
    """Widen a cell of words (not a figure, not a blank mark) over the empty columns beside
    it when its text is centred on them together and not on its own columns, or is wider
    than its column on both sides: a merged cell ("园区名称 | 湖南潇湘工业园区" over the rest
    of the row, "2023年" over the two columns under it).  The widest such span wins."""
    text = "".join(p.text for p in pieces)
    if is_number_text(text) or is_blank(text):
        return first, last
    x0 = min(p.x0 for p in pieces)
    x1 = max(p.x1 for p in pieces)
    centre = (x0 + x1) / 2
    # the cells' sides: a column's leftmost text starts a padding (~0.5 em) inside its cell
    # (a full-width table ends at the right edge of the page's text)
    pad = 0.5 * size
    sides = [c[0] - pad for c in columns] + [max(columns[-1][1] + pad, right)]

    def off(a: int, b: int) -> float:
        return abs(centre - (sides[a] + sides[b + 1]) / 2)

    def tolerance(a: int, b: int) -> float:
        return max(0.5 * size, 0.04 * (sides[b + 1] - sides[a]))

    # the column's extent by its other texts
    others = [q for q in column_pieces.get((first, last), []) if all(q is not p for p in pieces)]
    overflows = bool(others) and x0 < min(q.x0 for q in others) - 1 and x1 > max(q.x1 for q in others) + 1
    if off(first, last) <= tolerance(first, last) and not overflows:
        return first, last
    lo = first
    while lo > 0 and lo - 1 not in filled:
        lo -= 1
    hi = last
    while hi < len(columns) - 1 and hi + 1 not in filled:
        hi += 1
    best = (first, last)
    for a in range(lo, first + 1):
        for b in range(last, hi + 1):
            if b - a > best[1] - best[0] and off(a, b) <= tolerance(a, b):
                best = (a, b)
    return best


def _header_levels(placed: list[PlacedCell], n_rows: int) -> int:
    """A header of two or three rows of words whose first has a merged cell over several
    columns, over rows of figures: the number of its rows (1 if there is no such header)."""
    if not any(pc.row == 0 and pc.colspan > 1 for pc in placed):
        return 1
    levels = 0
    for r in range(min(4, n_rows)):
        texts = [pc.text for pc in placed if pc.row == r and pc.text]
        numbers = sum(1 for t in texts if is_number_text(t))
        if texts and numbers * 2 >= len(texts):
            return levels if 2 <= levels <= 3 else 1  # the first row of figures
        if not texts or numbers:
            break
        levels += 1
    return 1


def _merge_header(placed: list[PlacedCell], n: int) -> list[PlacedCell]:
    """In a header of `n` rows, a column named on its first row only is one cell over all
    `n` rows."""
    header = [pc for pc in placed if pc.row < n]
    body = [pc for pc in placed if pc.row >= n]
    by_col: dict[int, int] = {}
    for pc in header:
        for c in range(pc.col, pc.col + pc.colspan):
            by_col[c] = by_col.get(c, 0) + 1
    out = [
        PlacedCell(row=0, col=pc.col, text=pc.text, rowspan=n)
        if pc.row == 0 and pc.colspan == 1 and by_col[pc.col] == 1
        else pc
        for pc in header
    ]
    return sorted(out, key=lambda pc: (pc.row, pc.col)) + body
