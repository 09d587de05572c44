"""Tables on scanned pages: ruled tables from the page image, unruled ones from the alignment
of the recogniser's lines, both given as the same `PlacedCell`s / `PageTable`s the PDF reader
builds, so that `expand_grid`, `count_header_rows`, every form extractor and every rule work on
scans unchanged.

Coordinates are image pixels, (x0, top, x1, bottom), of the *deskewed* page image; the OCR
lines given to `fill_cells` and `find_unruled_tables` must come from that same image.

The steps, for whoever reads a scanned page:

1. `deskew(gray)` → (image, angle).  The skew is the angle at which the page's ink projects
   onto the sharpest horizontal profile (projection profile): every ink pixel (at most
   `SKEW_POINTS` of them, evenly sampled) is projected onto a line turned by a candidate angle,
   and the energy of the histogram (the sum of its squared bin counts) is largest when ruling
   lines and text lines each fall into few bins.  Candidates: −5°…+5° in 0.25° steps with 4 px
   bins, then ±0.3° around the best in 0.02° steps with 1 px bins, refined by a parabola
   through the best three.  Ruling lines, being long and thin, dominate the energy on a table
   page; text lines carry it on a page of prose.  The image is turned about its centre (same
   size, white corners); below `MIN_ROTATION` it is left as it is and the angle is 0.
   `rotate(image, angle)` turns another copy of the page (the RGB image to recognise) the same
   way, `page_box(box, angle, shape)` takes a box of the deskewed image back to the page as
   scanned.

2. `find_ruled_tables(gray, dpi)` → `ScanTable`s (cells with spans, no text yet), on the
   deskewed page:
   - ink: adaptive mean threshold (a window of dpi/6 px, `ADAPTIVE_C` below the local mean),
     and darker than `DARK_LEVEL` — on the red channel (`engine.for_ocr`, the image OCR
     reads; an RGB image is reduced to it here) a red seal is lighter than that and vanishes;
   - ruling pieces: the ink opened with a horizontal (vertical) line of `dpi / 7` px (3.6 mm),
     longer than any stroke of body text; connected pieces thicker than `dpi / 20` px (1.3 mm)
     on average are no rules;
   - pieces at the same height (within `dpi / 50` px) are one ruling where they are at most
     `dpi / 12` px (2 mm) apart: the gaps of a broken line of a scanned print are joined, the
     missing segment around a merged cell (a whole cell wide) is not;
   - a ruling that does not bound a cell — meeting fewer than two rulings across it, or only
     ones closer than `MIN_CELL` (2.5 mm, the least room for a line of text: a spreadsheet
     printed to fit the page has rows of 3.6 mm) — is dropped, repeatedly: an underline, a
     text stroke, the outline of a seal's star; rulings that meet make one table;
   - the table's row (column) boundaries are its rulings' positions, those closer than
     `MIN_CELL` (a double line) taken as one; a table most of whose rulings are that close
     to the next (graph paper, hatching) is none.  Horizontal rulings reaching beyond the
     outermost vertical one (a table open at its sides) add a boundary where they end;
   - two neighbouring grid cells are one merged cell where the ruling between them is absent
     (less than half of it drawn): cells are grown right then down, row by row, into
     rectangles (an L-shaped region, from a ruling lost in the scan, becomes several cells);
     a cell less than half of whose outline is drawn lies outside the table (a notched
     table) and is dropped;
   - a table is two cells or more.

3. `fill_cells(table, lines)` → `PlacedCell`s (`OcrCell`s: with the cell's box and its least
   recogniser confidence) — see its docstring for lines that cross a ruling; `page_table`
   gives the `PageTable` the PDF reader's table code takes (None for a grid without text).

4. `find_unruled_tables(lines, dpi, rules, tables)` → `UnruledTable`s: the PDF reader's
   borderless-table finder (`pdf_text_tables.find_text_tables`) run on the OCR lines turned
   into points; `horizontal_rules(gray, dpi)` gives the long horizontal rules of a three-line
   table to it.

Bounds (`extractor.limits`): a page whose rulings number more than `page_rulings` (or whose
ruling pieces number ten times that) is not searched for ruled tables; a table is cut to its
first `table_rows` rows and `table_columns` columns; the recognised lines searched for unruled
tables are cut to `page_text_lines`.  Each cut is said, in Chinese, in the `notes` list given.
Every other step is linear in the pixels or near-linear in the rulings and cells.

Known limits: the ruling search expects the red channel.  On a grayscale scan a seal is dark:
where it covers a ruling the ruling can be lost (two cells merged), and its ring and star can
add a row or column in its corner of the table.  The page must be deskewed (a ruling turned
more than about half a degree breaks into pieces too thick to count).  Diagonal rules (a
header cell split corner to corner) are not rulings; the cell is one cell.  Tables rotated by
90° on the page (a landscape table) are not turned upright here.  Cutting a line that crosses
a ruling is a guess by character widths (see `fill_cells`).
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import cv2
import numpy as np

from extractor.limits import get_limits
from extractor.readers.grid import PlacedCell, is_cjk, join_fragments, join_wrapped_lines, remove_cjk_spacing
from extractor.readers.pdf_tables import PageTable

Box = tuple[float, float, float, float]  # x0, top, x1, bottom, pixels

# deskew
MAX_SKEW = 5.0  # degrees either way
MIN_ROTATION = 0.05  # degrees: a smaller skew is left alone (turning costs sharpness)
SKEW_POINTS = 150_000  # ink pixels sampled for the projection profile
COARSE_STEP, COARSE_BIN = 0.25, 4.0
FINE_SPAN, FINE_STEP = 0.3, 0.02

# ruling lines
ADAPTIVE_C = 15  # gray levels below the local mean
DARK_LEVEL = 160  # ink is darker than this (a red seal on the red channel is ~225)
RULE_KERNEL = 1 / 7  # inch: shortest ruling piece (body text strokes are shorter)
MAX_THICK = 1 / 20  # inch: thickest ruling (mean thickness of a piece)
SAME_LINE = 1 / 50  # inch: pieces this close across are one ruling
JOIN_GAP = 1 / 12  # inch: gaps of a broken ruling joined
MEET = 1 / 20  # inch: how far a ruling may stop short of one it meets
MIN_CELL = 0.1  # inch (2.5 mm): the least height or width of a cell; boundaries closer are one
MIN_TABLE = (0.5, 0.2)  # inch: width, height
DRAWN = 0.5  # share of a cell side drawn for it to separate two cells
OUTLINE = 0.5  # share of a cell's outline drawn for it to be a cell
PIECES_PER_RULING = 10
PRUNE_ROUNDS = 50


class OcrLineLike(Protocol):
    """`extractor.ocr.engine.OcrLine`: a recognised line, its box in pixels of the image."""

    @property
    def text(self) -> str: ...

    @property
    def box(self) -> tuple[float, float, float, float]: ...

    @property
    def confidence(self) -> float: ...


@dataclass(frozen=True)
class ScanCell:
    """A cell of a ruled table: 0-based grid position, spans, box in pixels."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: Box


@dataclass
class ScanTable:
    """A ruled table found on a page image: its box and its cells (pixels, row-major)."""

    box: Box
    cells: list[ScanCell]

    @property
    def n_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.colspan for c in self.cells), default=0)


@dataclass
class OcrCell(PlacedCell):
    """A `PlacedCell` read by OCR: its box (pixels) and the least confidence of its lines
    (None for an empty cell)."""

    box: Box | None = None
    confidence: float | None = None


@dataclass
class UnruledTable:
    table: PageTable  # bbox and top in pixels, `placed` are `OcrCell`s (box: the hull of its lines)
    lines: list  # the recognised lines it is made of


# ---------------------------------------------------------------------------------------
# images


def _gray(image: np.ndarray) -> np.ndarray:
    """uint8 H×W: an RGB(A) image's red channel (as the recogniser reads it)."""
    arr = np.asarray(image)
    if arr.ndim == 3:
        arr = arr[:, :, 0]
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(arr)


def _odd(n: float) -> int:
    n = max(3, int(round(n)))
    return n if n % 2 else n + 1


def _ink(gray: np.ndarray, dpi: float) -> np.ndarray:
    """255 where the pixel is ink: darker than its surroundings and than DARK_LEVEL."""
    local = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, _odd(max(15, dpi / 6)), ADAPTIVE_C
    )
    dark = cv2.compare(gray, DARK_LEVEL, cv2.CMP_LT)
    return cv2.bitwise_and(local, dark)


# ---------------------------------------------------------------------------------------
# deskew


TURNED_RATIO = 1.3  # column profile this much peakier than the row profile: the text runs down the page


def text_runs_down(gray: np.ndarray) -> bool:
    """Whether the page's text runs down it rather than across: a landscape table scanned
    into a portrait image, turned a quarter.  Lines of text make the ink's row profile far
    peakier than its column profile (measured here on scanned pages: rows 1.8–8 times
    the columns; a quarter-turned page the inverse); a page in between is taken as upright."""
    g = _gray(gray)
    h, w = g.shape
    if h < 16 or w < 16:
        return False
    s = min(1.0, 1000 / max(h, w))
    small = cv2.resize(g, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA) if s < 1 else g
    ink = (small < 128).astype(np.float64)
    total = float(ink.sum())
    if total < 200:
        return False
    rows, cols = ink.sum(axis=1), ink.sum(axis=0)
    across = float((rows**2).sum()) * len(rows)
    down = float((cols**2).sum()) * len(cols)
    return down > TURNED_RATIO * across


def turn_back(box: Box, turns: int, shape: tuple[int, ...]) -> Box:
    """A box of an image made by `np.rot90(original, turns)` (`shape` its shape), on the
    original image."""
    h, w = shape[:2]
    x0, top, x1, bottom = box
    turns %= 4
    if turns == 0:
        return box
    if turns == 2:
        return (w - x1, h - bottom, w - x0, h - top)
    if turns == 1:  # original (x, y) went to (y, W0 - x), W0 = h here
        return (h - bottom, x0, h - top, x1)
    return (top, w - x1, bottom, w - x0)  # turns == 3: (x, y) went to (H0 - y, x), H0 = w here


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The page turned upright, and its skew in degrees (counter-clockwise as displayed, the
    sense of PIL's `Image.rotate`; the image is turned back by it), at most ±MAX_SKEW; the
    method is in the module's docstring.  An RGB image is measured on its red channel and
    returned in colour."""
    angle = skew_angle(gray)
    if abs(angle) < MIN_ROTATION:
        return np.asarray(gray), 0.0
    return rotate(gray, angle), angle


def skew_angle(gray: np.ndarray) -> float:
    """The page's skew in degrees, as `deskew` measures it (without turning the page)."""
    g = _gray(gray)
    h, w = g.shape
    if h < 16 or w < 16:
        return 0.0
    # the resolution is unknown here: an A4 page's long side is 11.7 inches
    ink = _ink(g, max(h, w) / 11.7)
    ys, xs = np.nonzero(ink)
    if len(xs) < 200:
        return 0.0
    if len(xs) > SKEW_POINTS:
        step = len(xs) / SKEW_POINTS
        pick = (np.arange(SKEW_POINTS) * step).astype(np.int64)
        ys, xs = ys[pick], xs[pick]
    x = xs.astype(np.float64) - w / 2
    y = ys.astype(np.float64) - h / 2
    reach = math.hypot(w, h) / 2 + 2

    def energy(deg: float, bin_px: float) -> float:
        t = math.radians(deg)
        proj = (y * math.cos(t) + x * math.sin(t) + reach) / bin_px
        counts = np.bincount(proj.astype(np.int64), minlength=1).astype(np.float64)
        return float(np.dot(counts, counts))

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, COARSE_STEP)
    best = float(coarse[int(np.argmax([energy(a, COARSE_BIN) for a in coarse]))])
    lo, hi = max(-MAX_SKEW, best - FINE_SPAN), min(MAX_SKEW, best + FINE_SPAN)
    fine = np.arange(lo, hi + 1e-9, FINE_STEP)
    scores = [energy(a, 1.0) for a in fine]
    i = int(np.argmax(scores))
    angle = float(fine[i])
    if 0 < i < len(fine) - 1:
        a, b, c = scores[i - 1], scores[i], scores[i + 1]
        denom = a - 2 * b + c
        if denom < 0:
            angle += FINE_STEP * 0.5 * (a - c) / denom
    return round(max(-MAX_SKEW, min(MAX_SKEW, angle)), 3)


def _rotation(shape: tuple[int, ...], angle: float) -> np.ndarray:
    h, w = shape[:2]
    # OpenCV turns counter-clockwise as displayed for a positive angle: undo the skew
    return cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    """`image` (gray or RGB) turned back by a skew of `angle` degrees as `deskew` does it."""
    arr = np.asarray(image)
    if abs(angle) < MIN_ROTATION:
        return arr
    h, w = arr.shape[:2]
    white = (255,) * (arr.shape[2] if arr.ndim == 3 else 1)
    return cv2.warpAffine(
        arr, _rotation(arr.shape, angle), (w, h), flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT, borderValue=white,
    )


def page_box(box: Box, angle: float, shape: tuple[int, ...]) -> Box:
    """A box of the image `deskew` returned, on the page as scanned (the hull of its turned
    corners); `shape` the image's shape."""
    if abs(angle) < MIN_ROTATION:
        return box
    m = cv2.invertAffineTransform(_rotation(shape, angle))
    x0, top, x1, bottom = box
    pts = np.array([[x0, top, 1], [x1, top, 1], [x0, bottom, 1], [x1, bottom, 1]], dtype=np.float64)
    out = pts @ m.T
    return (float(out[:, 0].min()), float(out[:, 1].min()), float(out[:, 0].max()), float(out[:, 1].max()))


# ---------------------------------------------------------------------------------------
# rulings


@dataclass
class _Ruling:
    pos: float  # y of a horizontal ruling, x of a vertical one
    a: float  # extent along it
    b: float


@dataclass
class _Rulings:
    h: list[_Ruling] = field(default_factory=list)
    v: list[_Ruling] = field(default_factory=list)


class _TooMany(Exception):
    def __init__(self, what: str, n: int) -> None:
        super().__init__(what, n)
        self.what = what
        self.n = n


def _pieces(mask: np.ndarray, horizontal: bool, min_len: int, max_thick: float) -> list[tuple[float, float, float]]:
    """(position across, start, end) of each thin straight piece of the opened mask."""
    n, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 1:
        return []
    st = stats[1:]
    cen = centroids[1:]
    x, y, w, h, area = (st[:, k].astype(np.float64) for k in range(5))
    length, across = (w, h) if horizontal else (h, w)
    thick = area / np.maximum(length, 1)
    keep = (length >= min_len) & (thick <= max_thick) & (across <= max_thick + 0.01 * length)
    idx = np.nonzero(keep)[0]
    limit = PIECES_PER_RULING * get_limits().page_rulings
    if len(idx) > limit:
        raise _TooMany("pieces", int(len(idx)))
    if horizontal:
        return [(float(cen[i, 1]), float(x[i]), float(x[i] + w[i] - 1)) for i in idx]
    return [(float(cen[i, 0]), float(y[i]), float(y[i] + h[i] - 1)) for i in idx]


def _join(pieces: list[tuple[float, float, float]], same: float, gap: float, min_len: float) -> list[_Ruling]:
    """Pieces at one position (within `same`) and at most `gap` apart along it: one ruling."""
    out: list[_Ruling] = []
    pieces.sort()
    groups: list[list[tuple[float, float, float]]] = []
    for p in pieces:
        if groups and p[0] - groups[-1][-1][0] <= same:
            groups[-1].append(p)
        else:
            groups.append([p])
    for group in groups:
        group.sort(key=lambda p: p[1])
        run: list[tuple[float, float, float]] = []
        end = -math.inf
        for p in group + [(0.0, math.inf, math.inf)]:
            if run and p[1] - end > gap:
                a, b = run[0][1], max(q[2] for q in run)
                if b - a >= min_len:
                    weight = sum(q[2] - q[1] + 1 for q in run)
                    pos = sum(q[0] * (q[2] - q[1] + 1) for q in run) / weight
                    out.append(_Ruling(pos, a, b))
                run = []
                end = -math.inf
            if math.isinf(p[1]):
                break
            run.append(p)
            end = max(end, p[2])
    return out


def _find_rulings(gray: np.ndarray, dpi: float, vertical: bool = True) -> _Rulings:
    ink = _ink(gray, dpi)
    k = max(8, int(round(dpi * RULE_KERNEL)))
    max_thick = max(3.0, dpi * MAX_THICK)
    same = max(2.0, dpi * SAME_LINE)
    gap = max(4.0, dpi * JOIN_GAP)
    hmask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    out = _Rulings(h=_join(_pieces(hmask, True, k, max_thick), same, gap, k))
    if vertical:
        vmask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
        out.v = _join(_pieces(vmask, False, k, max_thick), same, gap, k)
    n = len(out.h) + len(out.v)
    if n > get_limits().page_rulings:
        raise _TooMany("rulings", n)
    return out


def horizontal_rules(gray: np.ndarray, dpi: float, min_length: float = 1.0) -> list[tuple[float, float, float]]:
    """Long horizontal rules of the page, (x0, x1, y) in pixels, at least `min_length` inches
    long: the rules of a three-line table, for `find_unruled_tables`.  None on a page ruled
    with more than `page_rulings` lines (which is not searched for tables)."""
    try:
        rulings = _find_rulings(_gray(gray), dpi, vertical=False)
    except _TooMany:
        return []
    return [(r.a, r.b, r.pos) for r in rulings.h if r.b - r.a >= min_length * dpi]


# ---------------------------------------------------------------------------------------
# ruled tables


def find_ruled_tables(gray: np.ndarray, dpi: float, notes: list[str] | None = None) -> list[ScanTable]:
    """The ruled tables of a deskewed page image (gray: the red channel; an RGB image is
    reduced to it), top to bottom.  `dpi`: the image's resolution.  What the limits cut is
    said in `notes`, if given (Chinese, without the page)."""
    if not (math.isfinite(dpi) and dpi > 0):
        raise ValueError(f"dpi must be a positive number, got {dpi!r}")
    g = _gray(gray)
    limits = get_limits()
    try:
        rulings = _find_rulings(g, dpi)
    except _TooMany as e:
        if notes is not None:
            what = "表格线" if e.what == "rulings" else "表格线段"
            limit = limits.page_rulings * (1 if e.what == "rulings" else PIECES_PER_RULING)
            notes.append(f"页面{what} {e.n} 条，超过上限 {limit} 条，未识别其中的表格")
        return []
    tables = [t for group in _connected(rulings, dpi) if (t := _table(group, dpi, notes)) is not None]
    return sorted(tables, key=lambda t: (t.box[1], t.box[0]))


def _connected(rulings: _Rulings, dpi: float) -> list[_Rulings]:
    """Rulings that meet, each meeting at least two across it, grouped into tables."""
    hs, vs = rulings.h, rulings.v
    if len(hs) < 2 or len(vs) < 2:
        return []
    tol = max(3.0, dpi * MEET)
    hy = np.array([r.pos for r in hs])[:, None]
    ha = np.array([r.a for r in hs])[:, None]
    hb = np.array([r.b for r in hs])[:, None]
    vx = np.array([r.pos for r in vs])[None, :]
    va = np.array([r.a for r in vs])[None, :]
    vb = np.array([r.b for r in vs])[None, :]
    meets = (ha - tol <= vx) & (vx <= hb + tol) & (va - tol <= hy) & (hy <= vb + tol)
    h_alive = np.ones(len(hs), dtype=bool)
    v_alive = np.ones(len(vs), dtype=bool)
    min_span = dpi * MIN_CELL

    def bounds_a_cell(m: np.ndarray, across: np.ndarray, axis: int) -> np.ndarray:
        # two rulings across it or more, the outermost a cell's size apart
        hi = np.where(m, across, -np.inf).max(axis=axis)
        lo = np.where(m, across, np.inf).min(axis=axis)
        return (m.sum(axis=axis) >= 2) & (hi - lo >= min_span)

    # a few rounds settle a real page; a crafted staircase of rulings, shedding one per
    # round, is cut off (what is left is still checked cell by cell)
    for _ in range(PRUNE_ROUNDS):
        m = meets & h_alive[:, None] & v_alive[None, :]
        h_next = h_alive & bounds_a_cell(m, vx, 1)
        v_next = v_alive & bounds_a_cell(m, hy, 0)
        if (h_next == h_alive).all() and (v_next == v_alive).all():
            break
        h_alive, v_alive = h_next, v_next
    m = meets & h_alive[:, None] & v_alive[None, :]
    # components of the bipartite graph: horizontals 0..H-1, verticals H..H+V-1
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(m)):
        a, b = find(int(i)), find(len(hs) + int(j))
        if a != b:
            parent[a] = b
    groups: dict[int, _Rulings] = {}
    for i in np.nonzero(h_alive)[0]:
        groups.setdefault(find(int(i)), _Rulings()).h.append(hs[int(i)])
    for j in np.nonzero(v_alive)[0]:
        groups.setdefault(find(len(hs) + int(j)), _Rulings()).v.append(vs[int(j)])
    return [g for g in groups.values() if len(g.h) >= 2 and len(g.v) >= 2]


@dataclass
class _Boundary:
    pos: float
    spans: list[tuple[float, float]]  # drawn extents along it, sorted, disjoint

    def drawn(self, lo: float, hi: float) -> float:
        """Share of [lo, hi] drawn."""
        if hi <= lo:
            return 1.0
        i = bisect.bisect_right(self.spans, (lo, math.inf)) - 1
        covered = 0.0
        for a, b in self.spans[max(0, i):]:
            if a >= hi:
                break
            covered += max(0.0, min(b, hi) - max(a, lo))
        return covered / (hi - lo)


def _boundaries(rulings: list[_Ruling], min_cell: float) -> list[_Boundary] | None:
    """Rulings less than `min_cell` after the first of a run are one boundary (a double
    line); None if most rulings are that close to the next (graph paper, hatching: no text
    fits between them)."""
    ordered = sorted(rulings, key=lambda r: r.pos)
    # pieces of one line (a column rule broken at each row of a printed spreadsheet) are one
    # line here: graph paper is many distinct lines close together, not one line in pieces
    lines = [r.pos for k, r in enumerate(ordered) if k == 0 or r.pos - ordered[k - 1].pos > min_cell * SAME_LINE / MIN_CELL]
    gaps = [b - a for a, b in zip(lines, lines[1:])]
    if len(lines) >= 5 and 2 * sum(1 for g in gaps if g < min_cell) > len(gaps):
        return None
    runs: list[list[_Ruling]] = []
    for r in ordered:
        if runs and r.pos - runs[-1][0].pos < min_cell:
            runs[-1].append(r)
        else:
            runs.append([r])
    out: list[_Boundary] = []
    for run in runs:
        weight = sum(r.b - r.a for r in run)
        pos = sum(r.pos * (r.b - r.a) for r in run) / max(weight, 1e-9)
        out.append(_Boundary(pos, _union([(r.a, r.b) for r in run])))
    return out


def _union(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _open_sides(bounds: list[_Boundary], across: list[_Ruling], min_cell: float) -> list[_Boundary]:
    """Boundaries where rulings across reach beyond the outermost boundary (a table without
    its outer vertical rules): at the median of their ends, when two or more do."""
    lo, hi = bounds[0].pos, bounds[-1].pos
    before = sorted(r.a for r in across if r.a < lo - min_cell)
    after = sorted(r.b for r in across if r.b > hi + min_cell)
    out = list(bounds)
    if len(before) >= 2:
        out.insert(0, _Boundary(before[len(before) // 2], []))
    if len(after) >= 2:
        out.append(_Boundary(after[len(after) // 2], []))
    return out


def _table(group: _Rulings, dpi: float, notes: list[str] | None) -> ScanTable | None:
    min_cell = dpi * MIN_CELL
    ys = _boundaries(group.h, min_cell)
    xs = _boundaries(group.v, min_cell)
    if ys is None or xs is None:
        return None
    xs = _open_sides(xs, group.h, min_cell)
    ys = _open_sides(ys, group.v, min_cell)
    if len(xs) < 2 or len(ys) < 2:
        return None
    if xs[-1].pos - xs[0].pos < MIN_TABLE[0] * dpi or ys[-1].pos - ys[0].pos < MIN_TABLE[1] * dpi:
        return None
    limits = get_limits()
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows > limits.table_rows or n_cols > limits.table_columns:
        if notes is not None:
            notes.append(
                f"扫描页表格共 {n_rows} 行 × {n_cols} 列，超过上限 {limits.table_rows} 行、"
                f"{limits.table_columns} 列，只读取了前 {min(n_rows, limits.table_rows)} 行、"
                f"前 {min(n_cols, limits.table_columns)} 列"
            )
        ys = ys[: limits.table_rows + 1]
        xs = xs[: limits.table_columns + 1]
        n_rows, n_cols = len(ys) - 1, len(xs) - 1
    inset = max(2.0, dpi * MEET)

    def vsep(r: int, c: int) -> bool:  # the vertical ruling left of grid cell (r, c) is drawn
        lo, hi = ys[r].pos, ys[r + 1].pos
        pad = min(inset, (hi - lo) / 4)
        return xs[c].drawn(lo + pad, hi - pad) >= DRAWN

    def hsep(r: int, c: int) -> bool:  # the horizontal ruling above grid cell (r, c) is drawn
        lo, hi = xs[c].pos, xs[c + 1].pos
        pad = min(inset, (hi - lo) / 4)
        return ys[r].drawn(lo + pad, hi - pad) >= DRAWN

    v_drawn = [[vsep(r, c) for c in range(n_cols + 1)] for r in range(n_rows)]
    h_drawn = [[hsep(r, c) for c in range(n_cols)] for r in range(n_rows + 1)]
    taken = [[False] * n_cols for _ in range(n_rows)]
    cells: list[ScanCell] = []
    for r in range(n_rows):
        for c in range(n_cols):
            if taken[r][c]:
                continue
            cs = 1
            while c + cs < n_cols and not v_drawn[r][c + cs] and not taken[r][c + cs]:
                cs += 1
            rs = 1
            while r + rs < n_rows:
                below = r + rs
                if any(h_drawn[below][k] or taken[below][k] for k in range(c, c + cs)):
                    break
                if any(v_drawn[below][k] for k in range(c + 1, c + cs)):
                    break
                rs += 1
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    taken[rr][cc] = True
            if _outline(xs, ys, r, c, rs, cs, inset) >= OUTLINE:
                box = (xs[c].pos, ys[r].pos, xs[c + cs].pos, ys[r + rs].pos)
                cells.append(ScanCell(row=r, col=c, rowspan=rs, colspan=cs, box=box))
    if len(cells) < 2:
        return None
    # rows and columns no cell starts in or covers at the table's edges are not the table's
    r0 = min(c.row for c in cells)
    c0 = min(c.col for c in cells)
    cells = [ScanCell(c.row - r0, c.col - c0, c.rowspan, c.colspan, c.box) for c in cells]
    box = (min(c.box[0] for c in cells), min(c.box[1] for c in cells),
           max(c.box[2] for c in cells), max(c.box[3] for c in cells))
    return ScanTable(box=box, cells=cells)


def _outline(xs: list[_Boundary], ys: list[_Boundary], r: int, c: int, rs: int, cs: int, inset: float) -> float:
    """Share of a cell's outline drawn."""
    x0, x1 = xs[c].pos, xs[c + cs].pos
    y0, y1 = ys[r].pos, ys[r + rs].pos
    w, h = x1 - x0, y1 - y0
    px, py = min(inset, w / 4), min(inset, h / 4)
    drawn = (
        ys[r].drawn(x0 + px, x1 - px) * w
        + ys[r + rs].drawn(x0 + px, x1 - px) * w
        + xs[c].drawn(y0 + py, y1 - py) * h
        + xs[c + cs].drawn(y0 + py, y1 - py) * h
    )
    return drawn / max(1e-9, 2 * (w + h))


# ---------------------------------------------------------------------------------------
# cell texts


@dataclass
class _Piece:
    text: str
    box: Box
    confidence: float


def _overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _area(b: Box) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


def in_table(table: ScanTable, line: OcrLineLike) -> bool:
    """Whether a recognised line is the table's: half its box inside the table's."""
    box = tuple(map(float, line.box))
    return _overlap(box, table.box) >= 0.5 * max(_area(box), 1e-9)


def char_width(ch: str) -> float:
    """A character's width in ems: wide (CJK, full-width forms) 1, anything else ½."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5


class _CellIndex:
    """The cells of a table by the bands between their sides, to find those a box meets
    without testing every cell (a ruled page of thousands of cells)."""

    def __init__(self, cells: Sequence[ScanCell]) -> None:
        self.cells = cells
        self.xs = sorted({c.box[0] for c in cells} | {c.box[2] for c in cells})
        self.ys = sorted({c.box[1] for c in cells} | {c.box[3] for c in cells})
        self.owner: dict[tuple[int, int], int] = {}
        for i, c in enumerate(cells):
            for r in range(*self._bands(self.ys, c.box[1], c.box[3])):
                for k in range(*self._bands(self.xs, c.box[0], c.box[2])):
                    self.owner.setdefault((r, k), i)

    @staticmethod
    def _bands(edges: list[float], lo: float, hi: float) -> tuple[int, int]:
        """The bands (between consecutive edges) that [lo, hi] meets."""
        a = max(0, bisect.bisect_right(edges, lo) - 1)
        b = min(len(edges) - 1, max(a + 1, bisect.bisect_left(edges, hi)))
        return a, b

    def near(self, box: Box) -> list[int]:
        """The cells meeting `box` (a box of no height: those at its height)."""
        found: set[int] = set()
        for r in range(*self._bands(self.ys, box[1], box[3])):
            for k in range(*self._bands(self.xs, box[0], box[2])):
                i = self.owner.get((r, k))
                if i is not None:
                    found.add(i)
        return sorted(found)


def _split(line: OcrLineLike, index: _CellIndex) -> list[_Piece]:
    """The line, cut where it crosses a vertical ruling of the table (see `fill_cells`)."""
    box = tuple(map(float, line.box))
    text = line.text.strip()
    x0, top, x1, bottom = box
    height = bottom - top
    cy = (top + bottom) / 2
    # the cells of the line's row that the line reaches into by half a character or more
    reach = 0.5 * height
    row = sorted(
        (c for c in (index.cells[i] for i in index.near((x0, cy, x1, cy)))
         if c.box[1] <= cy <= c.box[3] and min(x1, c.box[2]) - max(x0, c.box[0]) >= min(reach, (x1 - x0) / 2)),
        key=lambda c: c.box[0],
    )
    cuts = [c.box[2] for c in row[:-1]]
    if not cuts or not text or not x1 > x0:
        return [_Piece(text, box, float(line.confidence))] if text else []
    widths = [char_width(ch) for ch in text]
    total = sum(widths)
    scale = (x1 - x0) / total
    # where each character starts, in ems from the line's start
    starts = [0.0]
    for wdt in widths:
        starts.append(starts[-1] + wdt)
    pieces: list[_Piece] = []
    first = 0
    for cut in cuts:
        k = _cut_index(text, starts, widths, first, (cut - x0) / scale)
        piece = text[first:k].strip()
        if piece:
            box_k = (x0 + starts[first] * scale, top, x0 + starts[k] * scale, bottom)
            pieces.append(_Piece(piece, box_k, float(line.confidence)))
        first = k
    piece = text[first:].strip()
    if piece:
        pieces.append(_Piece(piece, (x0 + starts[first] * scale, top, x1, bottom), float(line.confidence)))
    return pieces


SNAP_EM = 1.5  # a blank or a change of script this near the proportional cut is the cut


def _cut_index(text: str, starts: list[float], widths: list[float], first: int, at: float) -> int:
    """Where a line's text is cut at `at` ems from its start (see `fill_cells`): the index of
    the first character of the right-hand piece, at least `first`."""
    n = len(text)
    # the first character whose centre lies beyond the cut
    k = next((i for i in range(first, n) if starts[i] + widths[i] / 2 > at), n)

    def nearest(ok) -> int | None:
        found = [i for i in range(max(first, 1), n) if ok(i) and abs(starts[i] - at) <= SNAP_EM]
        return min(found, key=lambda i: (abs(starts[i] - at), i)) if found else None

    blank = nearest(lambda i: text[i].isspace() or text[i - 1].isspace())
    if blank is not None:
        return blank
    script = nearest(
        lambda i: not text[i].isspace() and not text[i - 1].isspace() and is_cjk(text[i]) != is_cjk(text[i - 1])
    )
    if script is not None:
        return script
    # a number ends where a dash, slash or sign of the next cell begins (「113202.67—」)
    number = nearest(lambda i: _in_number(text[i]) != _in_number(text[i - 1]))
    return number if number is not None else k


def _in_number(ch: str) -> bool:
    return ch.isdigit() or ch in ".,，．"


def fill_cells(table: ScanTable, lines: Sequence[OcrLineLike]) -> list[PlacedCell]:
    """Every cell of the table with its text, as `OcrCell`s (row-major): each recognised
    line of the table (`in_table`) goes to the cell its box overlaps most.

    A line that crosses a vertical ruling of the table — the recogniser often reads two
    neighbouring cells' texts as one line — is first cut at the ruling, by character-width
    proportion: the line's box is shared among its characters by their widths (a CJK or
    full-width character 1 em, any other ½ em: digits, Latin letters, ASCII punctuation), and
    a character goes to the side of the ruling its centre falls on.  The white space around
    the ruling has no characters, so that point can be off by the width of the gap; within
    `SNAP_EM` (1.5 em) of it, a blank (the recogniser puts one where it saw a gap) or else a
    change between CJK and Latin/digits ("粉煤灰|12600") is taken as the cut instead.  Two
    figures side by side with no blank ("12600|12100") are cut at the proportional point only.
    A line is cut only where it reaches half a line height or more into the cells on both
    sides (a box merely touching a ruling is not cut).

    A cell's lines are joined top to bottom (pieces level with each other left to right) with
    `join_wrapped_lines` / `remove_cjk_spacing`, as the PDF reader joins a cell's lines; its
    `confidence` is the least of its lines'."""
    by_cell: dict[int, list[_Piece]] = {}
    index = _CellIndex(table.cells)
    for line in without_double_reads([ln for ln in lines if in_table(table, ln)]):
        for piece in _split(line, index):
            best, best_area = -1, 0.0
            for i in index.near(piece.box):
                a = _overlap(piece.box, table.cells[i].box)
                if a > best_area:
                    best, best_area = i, a
            if best >= 0:
                by_cell.setdefault(best, []).append(piece)
    out: list[PlacedCell] = []
    for i, cell in enumerate(table.cells):
        pieces = by_cell.get(i, [])
        out.append(
            OcrCell(
                row=cell.row, col=cell.col, rowspan=cell.rowspan, colspan=cell.colspan,
                text=_cell_text(pieces), box=cell.box,
                confidence=min((p.confidence for p in pieces), default=None),
            )
        )
    out.sort(key=lambda pc: (pc.row, pc.col))
    return out


def without_double_reads(lines: Sequence[OcrLineLike]) -> list[OcrLineLike]:
    """The lines, with the characters the recogniser read twice removed from the second line:
    two detections of one row that overlap side by side both hold the characters under the
    overlap (「94.7」 and 「7提高5.6个百分点」).  The leading characters of the right-hand
    line that fall within the overlap (by character widths, as `_split` shares a box) and end
    the left-hand line are dropped from it, its box shrunk by their width."""
    out = list(lines)
    order = sorted(range(len(out)), key=lambda i: float(out[i].box[0]))
    for n, i in enumerate(order):
        a = out[i]
        ax0, atop, ax1, abottom = map(float, a.box)
        for j in order[n + 1:]:
            b = out[j]
            bx0, btop, bx1, bbottom = map(float, b.box)
            if bx0 >= ax1:
                break
            height = min(abottom - atop, bbottom - btop)
            if height <= 0 or min(abottom, bbottom) - max(atop, btop) < 0.5 * height or bx0 <= ax0:
                continue
            text = b.text
            widths = [char_width(ch) for ch in text]
            if not text or not sum(widths) or not bx1 > bx0:
                continue
            scale = (bx1 - bx0) / sum(widths)
            under, used = 0, 0.0
            while under < len(text) and bx0 + (used + widths[under] / 2) * scale <= ax1:
                used += widths[under]
                under += 1
            k = next((k for k in range(min(under + 1, len(text) - 1), 0, -1) if a.text.endswith(text[:k])), 0)
            if k:
                shift = sum(widths[:k]) * scale
                out[j] = dataclasses.replace(b, text=text[k:], box=(bx0 + shift, btop, bx1, bbottom))
    return out


def _cell_text(pieces: list[_Piece]) -> str:
    rows: list[list[_Piece]] = []
    for p in sorted(pieces, key=lambda p: (p.box[1] + p.box[3]) / 2):
        last = rows[-1] if rows else None
        if last is not None:
            top = min(q.box[1] for q in last)
            bottom = max(q.box[3] for q in last)
            if min(bottom, p.box[3]) - max(top, p.box[1]) >= 0.5 * min(bottom - top, p.box[3] - p.box[1]):
                last.append(p)
                continue
        rows.append([p])
    texts = []
    for row in rows:
        text = ""
        for p in sorted(row, key=lambda p: p.box[0]):
            text = join_fragments(text, p.text)
        texts.append(text)
    return join_wrapped_lines(remove_cjk_spacing("\n".join(texts)))


def page_table(table: ScanTable, lines: Sequence[OcrLineLike]) -> PageTable | None:
    """The `PageTable` (pixels) the PDF reader's table code takes, from `fill_cells`; None
    when no cell holds text (a ruled grid that is no table: graph paper, a drawing)."""
    placed = fill_cells(table, lines)
    if not any(pc.text for pc in placed):
        return None
    return PageTable(top=table.box[1], bbox=table.box, placed=placed, n_rows=table.n_rows, n_cols=table.n_cols)


# ---------------------------------------------------------------------------------------
# unruled tables

# an OCR box is taller than the font: RapidOCR's box of 32 px text is ~46 px high
BOX_PER_EM = 1.35


@dataclass
class _TextLine:
    """A recognised line as `pdf_text_tables.LineLike`, in points."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    source: object
    chunks: list = field(default_factory=list)


def find_unruled_tables(
    lines: Sequence[OcrLineLike],
    dpi: float,
    rules: Sequence[tuple[float, float, float]] = (),
    tables: Sequence[ScanTable] = (),
    notes: list[str] | None = None,
) -> list[UnruledTable]:
    """Tables without vertical rules among a page's recognised lines, by the alignment of
    their boxes: `pdf_text_tables.find_text_tables` (columns from the white rivers between the
    boxes, rows from the gaps between lines, merged header cells, the rules of a three-line
    table) run on the lines in points.  Each recognised line is one piece (the recogniser
    already splits a line at wide gaps).  `rules`: (x0, x1, y) pixels, from
    `horizontal_rules`; `tables`: the page's ruled tables, whose lines and rules are left out.
    A cell's confidence is the least of the lines in its columns whose text is part of its
    text (a figure repeated in another row of the column may lower it); its box is the hull
    of the lines its text is made of (`_cell_boxes`), None for an empty cell."""
    from extractor.readers.pdf_text_tables import Rule, find_text_tables

    if not (math.isfinite(dpi) and dpi > 0):
        raise ValueError(f"dpi must be a positive number, got {dpi!r}")
    pt = 72.0 / dpi
    inside = [t.box for t in tables]
    out_lines: list[_TextLine] = []
    for ln in lines:
        text = remove_cjk_spacing(ln.text.strip())
        if not text or any(in_table(t, ln) for t in tables):
            continue
        x0, top, x1, bottom = (float(v) for v in ln.box)
        out_lines.append(_TextLine(text, top * pt, bottom * pt, x0 * pt, x1 * pt, (bottom - top) * pt / BOX_PER_EM, ln))
    limit = get_limits().page_text_lines
    if len(out_lines) > limit:
        if notes is not None:
            notes.append(f"页面识别出的文字行 {len(out_lines)} 行，超过上限 {limit} 行，只在前 {limit} 行中查找无框线表格")
        out_lines = sorted(out_lines, key=lambda ln: (ln.top, ln.x0))[:limit]
    # every recognised line is one piece: two lines of one visual row are the candidates
    if len(out_lines) < 4:
        return []
    page_rules = [
        Rule(x0=a * pt, x1=b * pt, y=y * pt)
        for a, b, y in rules
        if not any(bx[0] - 2 <= a and b <= bx[2] + 2 and bx[1] - 2 <= y <= bx[3] + 2 for bx in inside)
    ]
    found = find_text_tables(out_lines, page_rules)
    result: list[UnruledTable] = []
    for tt in found:
        sources = [ln.source for ln in tt.lines]
        t = tt.table
        boxes = _cell_boxes(t.placed, tt.columns, tt.lines)
        placed = [
            OcrCell(
                row=pc.row, col=pc.col, text=pc.text, rowspan=pc.rowspan, colspan=pc.colspan,
                box=boxes.get(i), confidence=_confidence(pc, tt.columns, tt.lines),
            )
            for i, pc in enumerate(t.placed)
        ]
        table = PageTable(
            top=t.top / pt,
            bbox=tuple(v / pt for v in t.bbox),
            placed=placed,
            n_rows=t.n_rows,
            n_cols=t.n_cols,
            header_rows=t.header_rows,
        )
        result.append(UnruledTable(table=table, lines=sources))
    return result


def _confidence(pc: PlacedCell, columns: list[tuple[float, float]], lines: list[_TextLine]) -> float | None:
    if not pc.text:
        return None
    lo = columns[pc.col][0]
    hi = columns[min(len(columns), pc.col + pc.colspan) - 1][1]
    text = "".join(pc.text.split())
    found = [
        float(ln.source.confidence)
        for ln in lines
        if lo - 1 <= (ln.x0 + ln.x1) / 2 <= hi + 1 and "".join(ln.text.split()) in text
    ]
    return min(found, default=None)


def _cell_boxes(
    placed: Sequence[PlacedCell], columns: list[tuple[float, float]], lines: list[_TextLine]
) -> dict[int, Box]:
    """The box (pixels) of each cell of an unruled table with text, by index in `placed`: the
    hull of the recognised lines its text is made of.  Cells are taken top to bottom, and each
    takes, top first, the lines not yet taken in its columns whose text is part of what is
    left of its text: a figure repeated down a column goes to each row in turn."""
    free = sorted(range(len(lines)), key=lambda k: (lines[k].top, lines[k].x0))
    texts = ["".join(ln.text.split()) for ln in lines]
    out: dict[int, Box] = {}
    for i in sorted(range(len(placed)), key=lambda i: (placed[i].row, placed[i].col)):
        pc = placed[i]
        left = "".join(pc.text.split())
        if not left or not columns:
            continue
        lo = columns[min(pc.col, len(columns) - 1)][0]
        hi = columns[min(len(columns), pc.col + pc.colspan) - 1][1]
        mine: list[int] = []
        for k in free:
            ln = lines[k]
            if texts[k] and lo - 1 <= (ln.x0 + ln.x1) / 2 <= hi + 1 and texts[k] in left:
                mine.append(k)
                left = left.replace(texts[k], "", 1)
                if not left:
                    break
        if not mine:
            continue
        taken = set(mine)
        free = [k for k in free if k not in taken]
        boxes = [tuple(map(float, lines[k].source.box)) for k in mine]
        out[i] = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                  max(b[2] for b in boxes), max(b[3] for b in boxes))
    return out
