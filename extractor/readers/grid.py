"""What every reader needs to turn its own cell layout into the model's table grid:
merged-cell expansion, header-row recognition, captions, and CJK-aware text joining."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Sequence

from extractor.limits import LimitExceeded, get_limits
from extractor.model import Block, Cell, Location
from extractor.quantity import is_blank

_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_RE = re.compile(f"[{_CJK}]")
# spaces a PDF text layer inserts between CJK and Latin/digits: "2015 年 3 月" -> "2015年3月"
_SPACE_AFTER_CJK = re.compile(f"(?<=[{_CJK}])[ \u00a0]+(?=[0-9A-Za-z%.,\\-+])")
_SPACE_BEFORE_CJK = re.compile(f"(?<=[0-9A-Za-z%.,\\-+])[ \u00a0]+(?=[{_CJK}])")
_SPACE_CJK_PUNCT = re.compile("[ \u00a0]+(?=[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20])|(?<=[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20])[ \u00a0]+")


def is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_RE.match(ch))


def join_fragments(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space where either side is CJK."""
    left = left.rstrip()
    right = right.lstrip()
    if not left:
        return right
    if not right:
        return left
    if is_cjk(left[-1]) or is_cjk(right[0]) or left.endswith("-"):
        return left + right
    return left + " " + right


def join_wrapped_lines(text: str) -> str:
    """A table cell's wrapped lines as one string (CJK joined without a space)."""
    if "\n" not in text:
        return text.strip()
    out = ""
    for line in text.split("\n"):
        out = join_fragments(out, line)
    return out


def remove_cjk_spacing(text: str) -> str:
    text = _SPACE_AFTER_CJK.sub("", text)
    text = _SPACE_BEFORE_CJK.sub("", text)
    return _SPACE_CJK_PUNCT.sub("", text)


@dataclass
class PlacedCell:
    """One real cell of a source table, 0-based, before expansion to the grid."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


def clamp_span(start: int, span: int, size: int) -> int:
    """A span starting at `start` cut to the `size` positions of its grid: at least 1, whatever
    the file declares (2³¹, negative)."""
    return max(1, min(span, size - start))


@dataclass
class CellBudget:
    """The grid positions one file may still fill with table cells (`ReadLimits.file_cells`),
    shared by all its tables: a reader asks how many rows of a table fit before it builds them,
    so a file's table work stays bounded whatever its tables declare."""

    limit: int
    used: int = 0

    @classmethod
    def for_file(cls) -> CellBudget:
        return cls(get_limits().file_cells)

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def rows_that_fit(self, n_rows: int, n_cols: int) -> int:
        return max(0, min(n_rows, self.remaining // max(1, n_cols)))

    def spend(self, positions: int) -> None:
        self.used += positions


def expand_grid(
    placed: Sequence[PlacedCell],
    n_rows: int,
    n_cols: int,
    loc_of: Callable[[int, int], Location],
) -> list[list[Cell]]:
    """The full grid: a merged cell repeated at every position it covers with `origin` set
    (also on its own top-left position); positions no cell covers become empty cells.
    `loc_of(row, col)` takes 1-based grid coordinates.

    Spans are clamped to the grid, and a merge overlapping a cell placed before it (a malformed
    file) is cut where the overlap starts, so every position is filled once: the work is the
    grid's size.  A grid larger than a whole file may hold raises `LimitExceeded` (the readers
    cut their tables to their `CellBudget` before getting here)."""
    _check_grid_size(n_rows, n_cols)
    grid: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    # row-major order: an earlier cell wins an overlap, and a later rectangle trimmed at its
    # top row and left column can no longer reach into an earlier one
    for pc in sorted(placed, key=lambda p: (p.row, p.col)):
        if not (0 <= pc.row < n_rows and 0 <= pc.col < n_cols) or grid[pc.row][pc.col] is not None:
            continue  # outside the grid, or its position already taken: the first cell placed wins
        colspan = _free_run(grid[pc.row], pc.col, clamp_span(pc.col, pc.colspan, n_cols))
        rowspan = _free_run_down(grid, pc.row, pc.col, clamp_span(pc.row, pc.rowspan, n_rows))
        merged = rowspan > 1 or colspan > 1
        origin = (pc.row + 1, pc.col + 1) if merged else None
        for r in range(pc.row, pc.row + rowspan):
            row = grid[r]
            for c in range(pc.col, pc.col + colspan):
                if row[c] is not None:
                    continue
                row[c] = Cell(
                    text=pc.text,
                    row=r + 1,
                    col=c + 1,
                    rowspan=rowspan,
                    colspan=colspan,
                    origin=origin,
                    loc=loc_of(r + 1, c + 1),
                )
    return [
        [cell or Cell(text="", row=r + 1, col=c + 1, loc=loc_of(r + 1, c + 1)) for c, cell in enumerate(row)]
        for r, row in enumerate(grid)
    ]


def _free_run(line: Sequence[Cell | None], start: int, length: int) -> int:
    """How many positions from `start` (at most `length`) are still free."""
    n = 0
    end = min(len(line), start + length)
    for i in range(start, end):
        if line[i] is not None:
            break
        n += 1
    return max(1, n)


def _free_run_down(grid: Sequence[Sequence[Cell | None]], start: int, col: int, length: int) -> int:
    """How many positions down from (`start`, `col`) (at most `length`) are still free."""
    n = 0
    for r in range(start, min(len(grid), start + length)):
        if grid[r][col] is not None:
            break
        n += 1
    return max(1, n)


def _check_grid_size(n_rows: int, n_cols: int) -> None:
    limit = get_limits().file_cells
    if n_rows * n_cols > limit:
        raise LimitExceeded(
            "file_cells",
            f"表格共 {n_rows} 行 × {n_cols} 列 = {n_rows * n_cols} 个单元格，超过上限 {limit} 个",
        )


# a figure, optionally followed by a short unit: "12.5", "+5.2%", "246749立方米", "308400吨/年"
_NUMBER_RE = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?\s*(?P<unit>[^\d]{0,6})$")
# period labels are column titles, not figures: "2024", "2024年", "3月", "2024年3月"
_YEAR_RE = re.compile(r"^(?:(?:19|20)\d{2}(?:年度?)?|\d{1,2}月份?|(?:19|20)\d{2}年\d{1,2}月份?)$")
# words column titles end with: "设备名称", "规格型号", "产生量(吨)" …
_TITLE_SUFFIX = re.compile(
    r"(?:序号|编号|名称|型号|规格|数量|单位|备注|类别|类型|项目|指标|内容|日期|时间|情况|量|值|率|额)"
    r"\s*(?:[（(][^）)]{1,8}[）)])?$"
)
MAX_HEADER_ROWS = 4  # a longer run of label rows is a form (label/value pairs), not a header


def _distinct_texts(row: Sequence[Cell]) -> list[str]:
    seen: set[tuple[int, int]] = set()
    out = []
    for c in row:
        key = c.origin or (c.row, c.col)
        if key in seen:
            continue
        seen.add(key)
        t = unicodedata.normalize("NFKC", c.text).strip()
        if t and not is_blank(t):  # "—", "/", "无" mark a blank, not a label
            out.append(t)
    return out


def is_number_text(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text).replace(" ", "")
    if not any(ch.isdigit() for ch in t) or not t[0].isdigit() and t[0] not in "+-." or _YEAR_RE.match(t):
        return False
    return bool(_NUMBER_RE.match(t))


def _looks_like_column_titles(row: Sequence[Cell]) -> bool:
    texts = _distinct_texts(row)
    return (
        len(texts) >= 2
        and len(texts) == len({c.origin or (c.row, c.col) for c in row})  # no blank cell
        and all(len(t) <= 16 and not any(ch.isdigit() for ch in t.split("(")[0]) for t in texts)
        and sum(1 for t in texts if _TITLE_SUFFIX.search(t)) * 2 >= len(texts)
    )


def count_header_rows(rows: Sequence[Sequence[Cell]]) -> int:
    """Leading rows that label columns: rows covered by a vertical merge starting in row 1,
    then further rows of mostly non-numeric labels, as long as a data row follows.  In a
    table without numeric rows, row 1 counts when it reads like column titles."""
    if len(rows) < 2:
        return 0
    merged_from_first = max((c.rowspan for c in rows[0] if c.origin == (1, c.col)), default=1)
    label_run = 0
    data_row_found = False
    for row in rows:
        texts = _distinct_texts(row)
        numbers = sum(1 for t in texts if is_number_text(t))
        if not texts or numbers * 2 < len(texts):
            label_run += 1
            continue
        data_row_found = True
        break
    if data_row_found:
        header = label_run if label_run <= MAX_HEADER_ROWS else 0
    else:
        header = 1 if _looks_like_column_titles(rows[0]) else 0
    if merged_from_first > 1:
        header = max(header, merged_from_first)
    return min(header, len(rows) - 1)


_UNIT_LINE = re.compile(r"^[（(]?\s*(?:金额|计量|数量)?单位\s*[:：]")
# lines that qualify a table rather than name it: its unit, the filing organisation
_META_LINE = re.compile(r"^[（(]?\s*(?:(?:金额|计量|数量)?单位|(?:填报|编制|申报|填表)?单位(?:名称)?(?:（盖章）|\(盖章\))?)\s*[:：]")
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")
MAX_CAPTION_CHARS = 80


def is_title_like(text: str) -> bool:
    """Short, not a sentence, and not a "label：value" line other than unit/organisation."""
    t = text.strip()
    if not (0 < len(t) <= MAX_CAPTION_CHARS) or t.endswith(("。", "；", ";", "，", ",")):
        return False
    # "填报人：张三" is a label/value line; "表3 …（单位：吨）" is still a title
    unbracketed = _BRACKETED.sub("", t)
    return not (("：" in unbracketed or ":" in unbracketed) and not _META_LINE.search(t))


def caption_before(blocks: Sequence[Block], lookback: int = 3) -> str | None:
    """The nearest short title-like text before a table (the last blocks of `blocks`).

    Unit and organisation lines ("单位：万元", "填报单位名称：XX公司") are kept together
    with the title above them, joined with a space, so the table's name and its unit are
    both available: "附件3 …年报表（2024年） 单位：吨"."""
    candidates: list[str] = []
    seen = 0
    for b in reversed(blocks):
        if b.kind == "table":
            break
        if b.kind == "image":
            continue
        seen += 1
        if seen > lookback:
            break
        text = b.text.strip()
        if not is_title_like(text):
            if candidates:
                break
            continue
        candidates.append(text)
        if not _META_LINE.search(text):
            break
    if not candidates:
        return None
    return " ".join(reversed(candidates))
