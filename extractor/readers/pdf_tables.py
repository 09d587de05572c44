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
"""

from __future__ import annotations

import bisect
import ctypes
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

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
    edges: list[dict] = field(default_factory=list)  # pdfplumber-style edge dicts
    images: list[Box] = field(default_factory=list)  # displayed
    complete: bool = True  # False: pdfium failed to give some path or form, edges are partial


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
    included (their objects are in the form's space: its matrix carries them onto the page)."""
    out = PageGraphics()
    for obj, kind, container in _walk(page.raw, _IDENTITY, 0, False, out):
        if kind == pdfium_raw.FPDF_PAGEOBJ_PATH:
            out.paths += 1
            try:
                out.segments += _path_edges(obj, container, space.to_display, out.edges)
            except UnreadableGeometry:
                out.complete = False
        else:
            out.images.append(space.display_box(_bounds(obj, container)))
    return out


def _walk(parent, matrix: Matrix, depth: int, form: bool, out: PageGraphics) -> Iterator[tuple[object, int, Matrix]]:
    count = pdfium_raw.FPDFFormObj_CountObjects if form else pdfium_raw.FPDFPage_CountObjects
    get = pdfium_raw.FPDFFormObj_GetObject if form else pdfium_raw.FPDFPage_GetObject
    for i in range(max(0, count(parent))):
        obj = get(parent, i)
        if not obj:
            out.complete = False
            continue
        kind = pdfium_raw.FPDFPageObj_GetType(obj)
        if kind in (pdfium_raw.FPDF_PAGEOBJ_PATH, pdfium_raw.FPDF_PAGEOBJ_IMAGE):
            yield obj, kind, matrix
        elif kind == pdfium_raw.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
            try:
                form_matrix = _compose(_matrix_of(obj), matrix)
            except UnreadableGeometry:
                out.complete = False
                continue
            yield from _walk(obj, form_matrix, depth + 1, True, out)


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


def _path_edges(obj, container: Matrix, to_display: Matrix, edges: list[dict]) -> int:
    """Append the horizontal and vertical straight pieces of a painted path to `edges`;
    return its number of segments.  Like pdfminer, a Bézier contributes the straight
    pieces between its control points, and a closed subpath its closing side."""
    n = pdfium_raw.FPDFPath_CountSegments(obj)
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


def table_cells(edges: list[dict]) -> list[list[Box]]:
    """The cell boxes (x0, top, x1, bottom) of each table the edges enclose, top to bottom,
    by the steps and settings of pdfplumber's `TableFinder` with its default "lines"
    strategy (snap and join 3 pt, intersections 3 pt, edges of at least 3 pt)."""
    # imported here: pdfplumber costs ~0.1 s to import and pages without ruling never need it
    from pdfplumber.table import TableSettings, cells_to_tables, edges_to_intersections, merge_edges
    from pdfplumber.utils import filter_edges

    s = TableSettings()
    v = filter_edges(edges, "v", min_length=s.edge_min_length_prefilter)
    h = filter_edges(edges, "h", min_length=s.edge_min_length_prefilter)
    merged = merge_edges(v + h, s.snap_x_tolerance, s.snap_y_tolerance, s.join_x_tolerance, s.join_y_tolerance)
    merged = filter_edges(merged, min_length=s.edge_min_length)
    intersections = edges_to_intersections(merged, s.intersection_x_tolerance, s.intersection_y_tolerance)
    return cells_to_tables(intersections_to_cells(intersections))


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
    left, bottom, right, top = user_box
    inset_x = min(_CELL_INSET, (right - left) / 4)
    inset_y = min(_CELL_INSET, (top - bottom) / 4)
    left, bottom, right, top = left + inset_x, bottom + inset_y, right - inset_x, top - inset_y
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
    return "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def _boundaries(values: list[float], tolerance: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _boundary_index(boundaries: list[float], value: float, tolerance: float = 1.5) -> int:
    i = bisect.bisect_left(boundaries, value - tolerance)
    return min(i, len(boundaries) - 1)
