"""Ruled tables of a PDF page, found from pypdfium2's path objects.

pdfplumber finds a ruled table from the page's edges (the straight sides of its lines,
rectangles and curves) with a handful of pure functions: merge the edges, intersect them,
close the intersections into cells, group the cells into tables.  Getting those edges
from pdfplumber means a full pdfminer parse of the page (~55 ms); pypdfium2 hands us the
same path geometry for a fraction of that.  So the edges are built here from pdfium's
path segments exactly as pdfminer/pdfplumber build them (every straight piece of every
painted path, a rectangle giving its four sides, coordinates top-down), and pdfplumber's
own table functions run on them with the settings of its default "lines" strategy.  Cell
text comes from pdfium's text page.

Everything is placed on the page as displayed, after its /Rotate (as pdfplumber does): a
landscape table on a turned page keeps its rows.

A page is read within bounds (`extractor.limits`): the walk over its objects stops at
`page_objects` objects or `page_path_segments` segments, forms unfolded as often as they are
drawn; a page ruled with more than `page_rulings` lines is not searched for tables.  Below
those bounds every step is near-linear: pdfplumber's `edges_to_intersections` (every vertical
edge against every horizontal one), `intersections_to_cells` and `cells_to_tables` (a pass over
all cells per table) are replaced here by functions that give the same results from sorted and
indexed data, and a large table's cell texts come from one pass over the page's characters.
"""

from __future__ import annotations

import bisect
import ctypes
import math
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from extractor.limits import get_limits
from extractor.readers.grid import PlacedCell, join_wrapped_lines, remove_cjk_spacing

MAX_FORM_DEPTH = 8
# pdfminer calls a segment vertical only when both x are exactly equal; pdfium's float32
# coordinates after a transform can differ in the last bits, so allow a hair's breadth
_AXIS_EPSILON = 0.01
# pdfium's bounded text takes every char whose glyph box touches the rectangle; pulling
# the cell's sides in keeps a glyph that merely touches the ruling out of the next cell
_CELL_INSET = 1.0

Matrix = tuple[float, float, float, float, float, float]  # PDF a b c d e f
Box = tuple[float, float, float, float]  # x0, top, x1, bottom (top-down page coordinates)
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class UnreadableGeometry(Exception):
    """pdfium could not give a path's or a form's geometry."""


class TooManyRulings(Exception):
    """The page is ruled with more lines than `page_rulings`: not searched for tables."""

    def __init__(self, rulings: int) -> None:
        super().__init__(rulings)
        self.rulings = rulings


class TableTooCostly(Exception):
    """Reading a table's cell texts would take far more steps than its cells and characters
    warrant (character or cell boxes spread over the whole table): the table is not read."""


class _Spent(Exception):
    """The walk over a page's objects reached a limit."""

    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass
class PageTable:
    """One table found on a page, placed on the page as displayed (top-down)."""

    top: float
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    placed: list[PlacedCell]
    n_rows: int
    n_cols: int
    # found from the alignment of text (`pdf_text_tables`): its first row finishes the last
    # row of the table the previous page left open, and the header rows its rules mark
    continues_row: bool = False
    header_rows: int | None = None


@dataclass
class PageGraphics:
    """What the page draws, in one pass over its objects."""

    paths: int = 0
    segments: int = 0
    objects: int = 0  # objects walked, forms unfolded (each drawing of a form counts its objects)
    texts: int = 0  # text objects among them
    edges: list[dict] = field(default_factory=list)  # pdfplumber-style edge dicts
    images: list[Box] = field(default_factory=list)  # displayed
    complete: bool = True  # False: pdfium failed to give some path or form, edges are partial
    # the limit ("page_objects" / "page_path_segments") the walk stopped at: the edges are
    # partial and the page's ruling is not to be used for tables
    over_limit: str | None = None


@dataclass(frozen=True)
class PageSpace:
    """The page as displayed: PDF user space (bottom-up) to top-down coordinates of the
    page after its /Rotate.  On an unturned page a point's displayed top is height - y."""

    to_display: Matrix
    from_display: Matrix

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> PageSpace:
        width, height = page.get_size()  # as displayed: swapped on a page turned 90°
        rotation = page.get_rotation()
        # user space is `width` × `height` unturned, `height` × `width` when turned by 90°
        w, h = (height, width) if rotation in (90, 270) else (width, height)
        to_display = {
            0: (1.0, 0.0, 0.0, -1.0, 0.0, h),
            90: (0.0, 1.0, 1.0, 0.0, 0.0, 0.0),
            180: (-1.0, 0.0, 0.0, 1.0, w, 0.0),
            270: (0.0, -1.0, -1.0, 0.0, h, w),
        }[rotation]
        return cls(to_display=to_display, from_display=_invert(to_display))

    def user_box(self, box: Box) -> tuple[float, float, float, float]:
        """A displayed box as left, bottom, right, top in user space."""
        return _turned_box(self.from_display, box)

    def display_box(self, user_box: tuple[float, float, float, float]) -> Box:
        """A user-space box (left, bottom, right, top) as displayed."""
        return _turned_box(self.to_display, user_box)


def _turned_box(m: Matrix, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """`_box_through` for a matrix that turns by a multiple of 90°, which maps opposite
    corners to opposite corners: called for every line of every page, so kept lean."""
    a, b, c, d, e, f = m
    x0, y0, x1, y1 = box
    u0, u1 = a * x0 + c * y0 + e, a * x1 + c * y1 + e
    v0, v1 = b * x0 + d * y0 + f, b * x1 + d * y1 + f
    return (min(u0, u1), min(v0, v1), max(u0, u1), max(v0, v1))


def _box_through(m: Matrix, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The box holding `box`'s four corners mapped by `m`."""
    a, b, c, d = box
    corners = [_apply(m, x, y) for x in (a, c) for y in (b, d)]
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def read_graphics(page: pdfium.PdfPage, space: PageSpace) -> PageGraphics:
    """Path edges and image bounds of a page as displayed, form XObjects
    included (their objects are in the form's space: its matrix carries them onto the page).
    The walk stops at `page_objects` objects or `page_path_segments` segments (`over_limit`)."""
    limits = get_limits()
    out = PageGraphics()
    try:
        for obj, kind, container in _walk(page.raw, _IDENTITY, 0, False, out, limits.page_objects):
            if kind == pdfium_raw.FPDF_PAGEOBJ_PATH:
                out.paths += 1
                n = pdfium_raw.FPDFPath_CountSegments(obj)
                if out.segments + max(0, n) > limits.page_path_segments:
                    raise _Spent("page_path_segments")
                try:
                    out.segments += _path_edges(obj, n, container, space.to_display, out.edges)
                except UnreadableGeometry:
                    out.complete = False
            else:
                out.images.append(space.display_box(_bounds(obj, container)))
    except _Spent as e:
        out.complete = False
        out.over_limit = e.limit
    return out


def _walk(
    parent, matrix: Matrix, depth: int, form: bool, out: PageGraphics, max_objects: int
) -> Iterator[tuple[object, int, Matrix]]:
    count = pdfium_raw.FPDFFormObj_CountObjects if form else pdfium_raw.FPDFPage_CountObjects
    get = pdfium_raw.FPDFFormObj_GetObject if form else pdfium_raw.FPDFPage_GetObject
    for i in range(max(0, count(parent))):
        # every object counts, text and forms too: a form drawn many times is walked as
        # many times, so a few forms drawing each other can make millions of objects
        out.objects += 1
        if out.objects > max_objects:
            raise _Spent("page_objects")
        obj = get(parent, i)
        if not obj:
            out.complete = False
            continue
        kind = pdfium_raw.FPDFPageObj_GetType(obj)
        if kind in (pdfium_raw.FPDF_PAGEOBJ_PATH, pdfium_raw.FPDF_PAGEOBJ_IMAGE):
            yield obj, kind, matrix
        elif kind == pdfium_raw.FPDF_PAGEOBJ_TEXT:
            out.texts += 1
        elif kind == pdfium_raw.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
            try:
                form_matrix = _compose(_matrix_of(obj), matrix)
            except UnreadableGeometry:
                out.complete = False
                continue
            yield from _walk(obj, form_matrix, depth + 1, True, out, max_objects)


def _matrix_of(obj) -> Matrix:
    m = pdfium_raw.FS_MATRIX()
    if not pdfium_raw.FPDFPageObj_GetMatrix(obj, m):
        raise UnreadableGeometry("object matrix")
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """`inner` then `outer` (PDF row-vector convention: p' = p × inner × outer)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _invert(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _bounds(obj, container: Matrix) -> tuple[float, float, float, float]:
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_raw.FPDFPageObj_GetBounds(obj, l, b, r, t):
        return (0.0, 0.0, 0.0, 0.0)  # no size: not taken for a figure
    return _box_through(container, (l.value, b.value, r.value, t.value))


def _path_edges(obj, n: int, container: Matrix, to_display: Matrix, edges: list[dict]) -> int:
    """Append the horizontal and vertical straight pieces of a painted path of `n` segments
    to `edges`; return `n`.  Like pdfminer, a Bézier contributes the straight pieces between
    its control points, and a closed subpath its closing side."""
    if n < 0:
        raise UnreadableGeometry("path segments")
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if pdfium_raw.FPDFPath_GetDrawMode(obj, fill, stroke) and not fill.value and not stroke.value:
        return n  # neither filled nor stroked: pdfminer does not paint it either
    m = _compose(_compose(_matrix_of(obj), container), to_display)
    x, y = ctypes.c_float(), ctypes.c_float()
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    for i in range(n):
        seg = pdfium_raw.FPDFPath_GetPathSegment(obj, i)
        if not seg or not pdfium_raw.FPDFPathSegment_GetPoint(seg, x, y):
            raise UnreadableGeometry("path segment")
        point = _apply(m, x.value, y.value)
        if pdfium_raw.FPDFPathSegment_GetType(seg) == pdfium_raw.FPDF_SEGMENT_MOVETO or prev is None:
            start = point
        else:
            _add_edge(prev, point, edges)
        prev = point
        if pdfium_raw.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_edge(point, start, edges)
            prev = start
    return n


def _add_edge(p0: tuple[float, float], p1: tuple[float, float], edges: list[dict]) -> None:
    """An edge from two displayed (top-down) points, if the piece between them is level
    or upright: a slanted piece (a diagonal header cell, a chart) is no table ruling."""
    (x0, t0), (x1, t1) = p0, p1
    if not all(map(math.isfinite, (x0, t0, x1, t1))):
        return  # a crafted matrix can throw a point to infinity: no ruling of any table
    if abs(x0 - x1) <= _AXIS_EPSILON:
        x = (x0 + x1) / 2
        top, bottom = min(t0, t1), max(t0, t1)
        edges.append(
            {"object_type": "line", "orientation": "v", "x0": x, "x1": x,
             "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top}
        )
    elif abs(t0 - t1) <= _AXIS_EPSILON:
        top = (t0 + t1) / 2
        left, right = min(x0, x1), max(x0, x1)
        edges.append(
            {"object_type": "line", "orientation": "h", "x0": left, "x1": right,
             "top": top, "bottom": top, "width": right - left, "height": 0.0}
        )


def table_cells(edges: list[dict], max_rulings: int | None = None) -> list[list[Box]]:
    """The cell boxes (x0, top, x1, bottom) of each table the edges enclose, top to bottom,
    by the steps and settings of pdfplumber's `TableFinder` with its default "lines"
    strategy (snap and join 3 pt, intersections 3 pt, edges of at least 3 pt).  Raises
    `TooManyRulings` if the edges merge into more than `max_rulings` lines."""
    # imported here: pdfplumber costs ~0.1 s to import and pages without ruling never need it
    from pdfplumber.table import TableSettings, merge_edges
    from pdfplumber.utils import filter_edges

    s = TableSettings()
    v = filter_edges(edges, "v", min_length=s.edge_min_length_prefilter)
    h = filter_edges(edges, "h", min_length=s.edge_min_length_prefilter)
    merged = merge_edges(v + h, s.snap_x_tolerance, s.snap_y_tolerance, s.join_x_tolerance, s.join_y_tolerance)
    merged = filter_edges(merged, min_length=s.edge_min_length)
    if max_rulings is not None and len(merged) > max_rulings:
        raise TooManyRulings(len(merged))
    intersections = edges_to_intersections(merged, s.intersection_x_tolerance, s.intersection_y_tolerance)
    return cells_to_tables(intersections_to_cells(intersections))


def edges_to_intersections(edges: list[dict], x_tolerance: float = 1, y_tolerance: float = 1) -> dict:
    """pdfplumber's `edges_to_intersections`, the same dict (points, and their edges in the same
    order), without testing every vertical edge against every horizontal one: the horizontal
    edges sorted by top, each vertical edge tests only those its length (and the tolerance)
    reaches, by pdfplumber's own comparisons."""
    v_edges = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    h_edges = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in h_edges]
    intersections: dict = {}
    for v in v_edges:
        # a hair wider than the tolerance: the exact test below decides, as pdfplumber's does
        slack = 1e-9 * (1.0 + abs(v["top"]) + abs(v["bottom"]))
        lo = bisect.bisect_left(tops, v["top"] - y_tolerance - slack)
        hi = bisect.bisect_right(tops, v["bottom"] + y_tolerance + slack)
        for h in h_edges[lo:hi]:
            if (
                (v["top"] <= (h["top"] + y_tolerance))
                and (v["bottom"] >= (h["top"] - y_tolerance))
                and (v["x0"] >= (h["x0"] - x_tolerance))
                and (v["x0"] <= (h["x1"] + x_tolerance))
            ):
                vertex = (v["x0"], h["top"])
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


def cells_to_tables(cells: list[Box]) -> list[list[Box]]:
    """pdfplumber's `cells_to_tables`, the same tables with their cells in the same order,
    in time linear in the cells.  pdfplumber grows a table by passes over all cells left,
    adding each that shares a corner with the table so far, until a pass adds none: a table is
    a connected group of corner-sharing cells, started at its first cell, and a cell joins in
    the first pass that reaches it.  That pass is a shortest path: from a neighbour earlier in
    the list a cell joins in the neighbour's pass, from a later one in the pass after.  So each
    table's cells are ordered by (pass, position), found by a breadth-first search with 0/1
    weights over the cells that share corners."""
    corners = [((x0, top), (x0, bottom), (x1, top), (x1, bottom)) for x0, top, x1, bottom in cells]
    at: dict[tuple[float, float], list[int]] = {}
    for i, points in enumerate(corners):
        for point in set(points):
            at.setdefault(point, []).append(i)
    joined = [-1] * len(cells)  # the pass a cell joins its table in; -1 not reached yet
    done = [False] * len(cells)
    tables: list[list[Box]] = []
    for start in range(len(cells)):
        if done[start]:
            continue
        joined[start] = 0
        queue = deque([start])
        members: list[int] = []
        while queue:
            i = queue.popleft()
            if done[i]:
                continue
            done[i] = True
            members.append(i)
            for point in set(corners[i]):
                for j in at[point]:
                    if done[j]:
                        continue
                    step = 0 if i < j else 1
                    if joined[j] < 0 or joined[i] + step < joined[j]:
                        joined[j] = joined[i] + step
                        if step:
                            queue.append(j)
                        else:
                            queue.appendleft(j)
        members.sort(key=lambda i: (joined[i], i))
        tables.append([cells[i] for i in members])
    ordered = sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in ordered if len(t) > 1]


def intersections_to_cells(intersections: dict) -> list[Box]:
    """The cells pdfplumber's `intersections_to_cells` finds, cell for cell, without its cost:
    it rebuilds the sets of edges through two points on every one of its O(points²) tests
    (most of a ruled page's read time); here each point's edges are a set once, and the
    points below and to the right of a point are looked up by its column and row."""
    v_edges = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in d["v"]} for p, d in intersections.items()}
    h_edges = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in d["h"]} for p, d in intersections.items()}
    points = sorted(intersections)
    # the points of a column in order of y, of a row in order of x (points sort by x, then y)
    by_x: dict[float, list] = {}
    by_y: dict[float, list] = {}
    for pt in points:
        by_x.setdefault(pt[0], []).append(pt)
        by_y.setdefault(pt[1], []).append(pt)
    below_at = {pt: i + 1 for column in by_x.values() for i, pt in enumerate(column)}
    right_at = {pt: i + 1 for row in by_y.values() for i, pt in enumerate(row)}
    cells: list[Box] = []
    for pt in points:
        x, y = pt
        below = by_x[x][below_at[pt]:]
        right = by_y[y][right_at[pt]:]
        cell = _smallest_cell(pt, below, right, v_edges, h_edges)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(pt, below, right, v_edges, h_edges) -> Box | None:
    pv, ph = v_edges[pt], h_edges[pt]
    for below_pt in below:
        if pv.isdisjoint(v_edges[below_pt]):
            continue
        for right_pt in right:
            if ph.isdisjoint(h_edges[right_pt]):
                continue
            corner = (right_pt[0], below_pt[1])
            if corner in v_edges and not v_edges[corner].isdisjoint(v_edges[right_pt]) \
                    and not h_edges[corner].isdisjoint(h_edges[below_pt]):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


def page_table(cells: list[Box], textpage: pdfium.PdfTextPage, space: PageSpace) -> PageTable:
    """A table from its displayed cell rectangles, its text read per cell from pdfium's
    text page."""
    n_chars = textpage.count_chars()
    if len(cells) * n_chars > BULK_TEXT_WORK:
        # each pdfium call scans every character of the page: a large table on a page of many
        # characters (a sheet of graph paper, numbered) would take cells × characters
        texts = dict(zip(cells, bulk_cell_texts(textpage, [space.user_box(box) for box in cells])))
        return grid_table(cells, texts.__getitem__)
    return grid_table(cells, lambda box: _cell_text(textpage, space.user_box(box)))


def grid_table(cells: list[Box], text_of: Callable[[Box], str]) -> PageTable:
    """A table's grid from its cell rectangles: the distinct cell sides are the row and
    column boundaries, and a cell spanning several of them is a merged cell (pdfplumber's
    `extract()` gives the positions it covers as None)."""
    xs = _boundaries([c[0] for c in cells] + [c[2] for c in cells])
    ys = _boundaries([c[1] for c in cells] + [c[3] for c in cells])
    placed: list[PlacedCell] = []
    for box in cells:
        x0, top, x1, bottom = box
        c0, c1 = _boundary_index(xs, x0), _boundary_index(xs, x1)
        r0, r1 = _boundary_index(ys, top), _boundary_index(ys, bottom)
        text = join_wrapped_lines(remove_cjk_spacing(text_of(box)))
        placed.append(PlacedCell(row=r0, col=c0, text=text, rowspan=max(1, r1 - r0), colspan=max(1, c1 - c0)))
    placed.sort(key=lambda pc: (pc.row, pc.col))
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
    return PageTable(top=bbox[1], bbox=bbox, placed=placed, n_rows=max(1, len(ys) - 1), n_cols=max(1, len(xs) - 1))


_TEXT_BUFFER_CHARS = 4096
_buffers = threading.local()


def _cell_text(textpage: pdfium.PdfTextPage, user_box: tuple[float, float, float, float]) -> str:
    left, bottom, right, top = _inset(user_box)
    # one pdfium call into a buffer kept for the purpose; pypdfium2's get_text_bounded makes
    # two (size, then text), and every call scans all the page's characters
    buffer = getattr(_buffers, "text", None)
    if buffer is None:
        buffer = _buffers.text = (ctypes.c_ushort * _TEXT_BUFFER_CHARS)()
    n = pdfium_raw.FPDFText_GetBoundedText(textpage.raw, left, top, right, bottom, buffer, _TEXT_BUFFER_CHARS)
    if n >= _TEXT_BUFFER_CHARS:  # a cell holding a page of text: let pypdfium2 size the buffer
        text = textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
    else:
        # the count includes the terminating NUL pdfium writes
        text = ctypes.string_at(buffer, max(0, n - 1) * 2).decode("utf-16-le", errors="ignore")
    return _tidy(text)


def _inset(user_box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    left, bottom, right, top = user_box
    inset_x = min(_CELL_INSET, (right - left) / 4)
    inset_y = min(_CELL_INSET, (top - bottom) / 4)
    return left + inset_x, bottom + inset_y, right - inset_x, top - inset_y


def _tidy(text: str) -> str:
    return "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n")).strip()


# cells × characters above which a table's texts come from one pass over the characters
# (pdfium scans a page's ~2,000 characters per cell in a few microseconds)
BULK_TEXT_WORK = 20_000_000


def bulk_cell_texts(textpage: pdfium.PdfTextPage, user_boxes: list[tuple[float, float, float, float]]) -> list[str]:
    """The text `_cell_text` gives for each box, from one pass over the page's characters
    instead of one pdfium scan of them per box.  pdfium's bounded text takes, in page order,
    every character whose box meets the rectangle (both in float32, both normalised, the
    overlap strictly positive on both axes), puts a blank after a taken character followed by
    an untaken blank, and a line break before a taken character that follows untaken
    non-blank ones on another baseline (`CPDF_TextPage::GetTextByPredicate`); that rule is
    followed here exactly, each character tested only against the boxes near it."""
    chars = _CharTable.of(textpage)
    rects = [_float32_rect(_inset(box)) for box in user_boxes]
    taken: list[list[int]] = [[] for _ in rects]
    # a few buckets and tests per cell and character; a crafted table must not make it more
    work = _Work(BULK_STEPS_PER_ITEM * (chars.n + len(rects)) + BULK_STEPS_SPARE)
    index = _BoxIndex(rects, work)
    for k in range(chars.n):
        box = chars.boxes[k]
        if box is None:
            continue
        left, bottom, right, top = box
        near = index.near(box)
        work.spend(len(near))
        for r in near:
            rl, rb, rr, rt = rects[r]
            # max(lefts) < min(rights) on both axes; both boxes are normalised and not empty
            if rl < right and left < rr and rb < top and bottom < rt:
                taken[r].append(k)
    return [_tidy(chars.text_of(ks)) for ks in taken]


def plumber_cell_texts(chars: list[dict], cells: list[Box]) -> dict[Box, str]:
    """Each cell's text as pdfplumber's `Table.extract()` gives it (the characters whose centre
    lies in the cell, half-open, in page order, through `utils.extract_text`), from one pass
    over the characters instead of one per table row and cell."""
    from pdfplumber.utils import extract_text

    work = _Work(BULK_STEPS_PER_ITEM * (len(chars) + len(cells)) + BULK_STEPS_SPARE)
    index = _BoxIndex(cells, work, keep_empty=True)
    taken: dict[Box, list[dict]] = {cell: [] for cell in cells}
    for ch in chars:
        x = (ch["x0"] + ch["x1"]) / 2
        y = (ch["top"] + ch["bottom"]) / 2
        if not (math.isfinite(x) and math.isfinite(y)):
            continue
        near = index.near((x, y, x, y))
        work.spend(len(near))
        for i in near:
            x0, top, x1, bottom = cells[i]
            if x0 <= x < x1 and top <= y < bottom:
                taken[cells[i]].append(ch)
    return {cell: extract_text(found) if found else "" for cell, found in taken.items()}


BULK_STEPS_PER_ITEM = 20
BULK_STEPS_SPARE = 2_000_000


class _Work:
    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            raise TableTooCostly()


def _float32_rect(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    left, bottom, right, top = (ctypes.c_float(v).value for v in box)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


@dataclass
class _CharTable:
    """A text page's characters as pdfium's bounded text sees them."""

    n: int
    boxes: list[tuple[float, float, float, float] | None]  # normalised; None: empty box
    codes: list[int]  # unicode
    origin_y: list[float]
    non_blank_before: list[int]  # how many of the characters before k are not a blank

    @classmethod
    def of(cls, textpage: pdfium.PdfTextPage) -> _CharTable:
        raw = textpage.raw
        n = max(0, pdfium_raw.FPDFText_CountChars(raw))
        l, r, b, t = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        get_box, get_code, get_origin = (
            pdfium_raw.FPDFText_GetCharBox, pdfium_raw.FPDFText_GetUnicode, pdfium_raw.FPDFText_GetCharOrigin)
        boxes: list = []
        codes: list[int] = []
        origin_y: list[float] = []
        non_blank_before = [0] * (n + 1)
        for k in range(n):
            code = get_code(raw, k)
            codes.append(code)
            non_blank_before[k + 1] = non_blank_before[k] + (code != 0x20)
            box = None
            if get_box(raw, k, l, r, b, t):
                left, right = min(l.value, r.value), max(l.value, r.value)
                bottom, top = min(b.value, t.value), max(b.value, t.value)
                # an empty box meets nothing; an infinite one is no glyph of a cell
                if left < right and bottom < top and math.isfinite(right - left) and math.isfinite(top - bottom):
                    box = (left, bottom, right, top)
            boxes.append(box)
            origin_y.append(oy.value if get_origin(raw, k, ox, oy) else 0.0)
        return cls(n=n, boxes=boxes, codes=codes, origin_y=origin_y, non_blank_before=non_blank_before)

    def text_of(self, taken: list[int]) -> str:
        out: list[str] = []
        posy = 0.0
        prev = -1
        for k in taken:
            if k == prev + 1 and prev >= 0:
                contains_prev, add_line_feed = True, False
            else:
                contains_prev = False
                start = prev + 1
                if prev >= 0 and self.codes[start] == 0x20:
                    out.append(" ")  # the blank after the last taken character
                add_line_feed = self.non_blank_before[k] - self.non_blank_before[start] > 0
            if posy != self.origin_y[k] and not contains_prev and add_line_feed:
                posy = self.origin_y[k]
                if out:
                    out.append("\r\n")
            code = self.codes[k]
            if code and not 0xD800 <= code <= 0xDFFF and code <= 0x10FFFF:
                out.append(chr(code))
            prev = k
        return "".join(out)


class _BoxIndex:
    """Boxes bucketed on a grid of about one typical box per bucket (at most 1,024 buckets
    across and down), to find those near a character without testing them all."""

    def __init__(self, rects: list[tuple[float, float, float, float]], work: _Work, keep_empty: bool = False) -> None:
        widths = sorted(r[2] - r[0] for r in rects) or [1.0]
        heights = sorted(r[3] - r[1] for r in rects) or [1.0]
        self.x0 = min((r[0] for r in rects), default=0.0)
        self.y0 = min((r[1] for r in rects), default=0.0)
        x_extent = max((r[2] for r in rects), default=0.0) - self.x0
        y_extent = max((r[3] for r in rects), default=0.0) - self.y0
        self.bw = max(1.0, widths[len(widths) // 2], x_extent / 1024)
        self.bh = max(1.0, heights[len(heights) // 2], y_extent / 1024)
        self.buckets: dict[tuple[int, int], list[int]] = {}
        for i, (left, bottom, right, top) in enumerate(rects):
            if not (left < right and bottom < top) and not keep_empty:
                continue  # an empty rectangle takes no character
            for key in self._keys(left, bottom, right, top, work):
                self.buckets.setdefault(key, []).append(i)
        self.span = self._span(rects)
        self.work = work

    def _span(self, rects) -> tuple[int, int, int, int]:
        if not self.buckets:
            return (0, -1, 0, -1)
        xs = [k[0] for k in self.buckets]
        ys = [k[1] for k in self.buckets]
        return (min(xs), max(xs), min(ys), max(ys))

    def _range(self, lo: float, hi: float, origin: float, size: float) -> tuple[int, int]:
        return math.floor((lo - origin) / size), math.floor((hi - origin) / size)

    def _keys(self, left: float, bottom: float, right: float, top: float, work: _Work) -> Iterator[tuple[int, int]]:
        x_lo, x_hi = self._range(left, right, self.x0, self.bw)
        y_lo, y_hi = self._range(bottom, top, self.y0, self.bh)
        work.spend((x_hi - x_lo + 1) * (y_hi - y_lo + 1))
        for x in range(x_lo, x_hi + 1):
            for y in range(y_lo, y_hi + 1):
                yield (x, y)

    def near(self, box: tuple[float, float, float, float]) -> set[int] | list[int]:
        left, bottom, right, top = box
        x_lo, x_hi = self._range(left, right, self.x0, self.bw)
        y_lo, y_hi = self._range(bottom, top, self.y0, self.bh)
        # only the buckets that exist: a huge character box does not walk empty space
        sx0, sx1, sy0, sy1 = self.span
        x_lo, x_hi, y_lo, y_hi = max(x_lo, sx0), min(x_hi, sx1), max(y_lo, sy0), min(y_hi, sy1)
        if x_lo > x_hi or y_lo > y_hi:
            return []
        if x_lo == x_hi and y_lo == y_hi:
            return self.buckets.get((x_lo, y_lo), [])
        self.work.spend((x_hi - x_lo + 1) * (y_hi - y_lo + 1))
        found: set[int] = set()
        for x in range(x_lo, x_hi + 1):
            for y in range(y_lo, y_hi + 1):
                found.update(self.buckets.get((x, y), ()))
        return found


def _boundaries(values: list[float], tolerance: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _boundary_index(boundaries: list[float], value: float, tolerance: float = 1.5) -> int:
    i = bisect.bisect_left(boundaries, value - tolerance)
    return min(i, len(boundaries) - 1)
