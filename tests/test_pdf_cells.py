"""Our cell finder gives exactly the cells of pdfplumber's `intersections_to_cells`, which it
replaces for speed: on hand-made grids and on every ruled page of the bundled sample PDFs."""

import random
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdfplumber.table import TableSettings, edges_to_intersections, merge_edges
from pdfplumber.table import intersections_to_cells as pdfplumber_cells
from pdfplumber.utils import filter_edges

from extractor.readers.pdf_tables import PageSpace, intersections_to_cells, read_graphics, table_cells

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"


def _h(x0, x1, y):
    return {"object_type": "line", "orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y,
            "width": x1 - x0, "height": 0.0}


def _v(x, top, bottom):
    return {"object_type": "line", "orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom,
            "width": 0.0, "height": bottom - top}


def _intersections(edges):
    s = TableSettings()
    merged = merge_edges(filter_edges(edges, min_length=s.edge_min_length_prefilter), s.snap_x_tolerance,
                         s.snap_y_tolerance, s.join_x_tolerance, s.join_y_tolerance)
    merged = filter_edges(merged, min_length=s.edge_min_length)
    return edges_to_intersections(merged, s.intersection_x_tolerance, s.intersection_y_tolerance)


def test_grid_with_merged_cell_and_a_gap():
    # a 3×3 grid whose middle row's first two cells are merged (no rule between them), and a
    # ruling that stops short of the right border on the last row
    ys = [0, 20, 40, 60]
    edges = [_h(0, 150, ys[0]), _h(0, 150, ys[1]), _h(0, 150, ys[2]), _h(0, 100, ys[3])]
    edges += [_v(0, 0, 60), _v(100, 0, 60), _v(150, 0, 40), _v(50, 0, 20), _v(50, 40, 60)]
    inter = _intersections(edges)
    ours = intersections_to_cells(inter)
    assert ours == pdfplumber_cells(inter)
    assert (0, 20, 100, 40) in ours  # the merged cell
    assert len(ours) == 7


def test_random_rulings_agree():
    rnd = random.Random(7)
    for _ in range(60):
        xs = sorted(rnd.sample(range(0, 400, 10), rnd.randint(2, 7)))
        ys = sorted(rnd.sample(range(0, 400, 10), rnd.randint(2, 7)))
        edges = []
        for y in ys:  # each rule spans a random run of the columns
            a, b = sorted(rnd.sample(range(len(xs)), 2))
            edges.append(_h(xs[a], xs[b], y))
        for x in xs:
            a, b = sorted(rnd.sample(range(len(ys)), 2))
            edges.append(_v(x, ys[a], ys[b]))
        inter = _intersections(edges)
        assert intersections_to_cells(inter) == pdfplumber_cells(inter)


def _sample_pdfs():
    return sorted(SAMPLES.rglob("*.pdf"))


@pytest.mark.skipif(not _sample_pdfs(), reason="no sample PDFs")
def test_every_ruled_sample_page_agrees():
    pages = 0
    for path in _sample_pdfs():
        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            continue  # the samples hold corrupt files on purpose
        try:
            for page in pdf:
                graphics = read_graphics(page, PageSpace.of(page))
                if not graphics.edges:
                    continue
                inter = _intersections(graphics.edges)
                assert intersections_to_cells(inter) == pdfplumber_cells(inter), path
                pages += 1
        finally:
            pdf.close()
    assert pages >= 10
    assert table_cells([]) == []
