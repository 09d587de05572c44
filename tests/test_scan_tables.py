"""Tables on scanned pages (extractor/ocr/tables.py).

The pages are drawn with PIL in WenQuanYi Micro Hei at 200 dpi on A4: a 附件3-like table
(序号, 固废名称, a merged 「2024年」 header over 产生量（吨） and 综合利用量（吨）, 利用率（%）,
a 合计 label over two columns), then a poor scan of it (turned 1.5°, rulings broken by small
gaps, blurred, JPEG-compressed), with a red seal over its top-right corner; a three-line
table without vertical rules; a page of prose; graph paper.  The recogniser's lines are made
up from the text drawn and where it was drawn (`drawn_lines`), so the grid, the spans and the
cell texts are checked exactly; one test runs the real recogniser when it is installed.
"""

from __future__ import annotations

import importlib.util
import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from extractor.ocr.tables import (
    OcrCell,
    ScanTable,
    deskew,
    fill_cells,
    find_ruled_tables,
    find_unruled_tables,
    horizontal_rules,
    page_box,
    page_table,
    rotate,
)
from extractor.model import Location
from extractor.readers.grid import count_header_rows, expand_grid
from tests.limit_helpers import set_limits
from tests.test_ocr import stamped as ocr_stamped

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
DPI = 200
A4 = (1654, 2339)
TEXT_PX = 32  # 11.5 pt at 200 dpi


@dataclass(frozen=True)
class Line:
    """A made-up recogniser line (the shape of extractor.ocr.engine.OcrLine)."""

    text: str
    box: tuple[float, float, float, float]
    confidence: float = 0.95


def font(px: int = TEXT_PX) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, px)


# ---------------------------------------------------------------------------------------------
# pages


# 附件3: (row, col, rowspan, colspan, text)
CAPTION = "附件3 一般工业固体废物产生及综合利用情况表"
COL_W = [130, 320, 330, 370, 260]
ROW_H = [78, 78, 78, 78, 78, 78]
LEFT, TOP = 122, 420
FORM = [
    (0, 0, 2, 1, "序号"), (0, 1, 2, 1, "固废名称"), (0, 2, 1, 2, "2024年"), (0, 4, 2, 1, "利用率（%）"),
    (1, 2, 1, 1, "产生量（吨）"), (1, 3, 1, 1, "综合利用量（吨）"),
    (2, 0, 1, 1, "1"), (2, 1, 1, 1, "粉煤灰"), (2, 2, 1, 1, "12600"), (2, 3, 1, 1, "12100"), (2, 4, 1, 1, "96.0"),
    (3, 0, 1, 1, "2"), (3, 1, 1, 1, "炉渣"), (3, 2, 1, 1, "3400"), (3, 3, 1, 1, "3300"), (3, 4, 1, 1, "97.1"),
    (4, 0, 1, 1, "3"), (4, 1, 1, 1, "脱硫石膏"), (4, 2, 1, 1, "9000"), (4, 3, 1, 1, "8100"), (4, 4, 1, 1, "90.0"),
    (5, 0, 1, 2, "合计"), (5, 2, 1, 1, "25000"), (5, 3, 1, 1, "23500"), (5, 4, 1, 1, "94.0"),
]
XS = [LEFT + sum(COL_W[:k]) for k in range(len(COL_W) + 1)]
YS = [TOP + sum(ROW_H[:k]) for k in range(len(ROW_H) + 1)]


def _segments_of_grid() -> tuple[list, list]:
    """The ruling segments of FORM: (x0, x1, y) horizontals and (x, y0, y1) verticals, each
    the side of one grid cell that is not inside a merged cell."""
    owner = {}
    for r, c, rs, cs, _ in FORM:
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                owner[rr, cc] = (r, c)
    n_rows, n_cols = len(ROW_H), len(COL_W)
    hs, vs = [], []
    for r in range(n_rows + 1):
        for c in range(n_cols):
            if 0 < r < n_rows and owner[r - 1, c] == owner[r, c]:
                continue
            hs.append((XS[c], XS[c + 1], YS[r]))
    for r in range(n_rows):
        for c in range(n_cols + 1):
            if 0 < c < n_cols and owner[r, c - 1] == owner[r, c]:
                continue
            vs.append((XS[c], YS[r], YS[r + 1]))
    return hs, vs


def draw_form(broken: bool = False) -> tuple[Image.Image, list[Line]]:
    """The 附件3 table on an A4 page, a caption above and a paragraph below, and the lines a
    recogniser would give for it.  `broken`: every ruling has a gap of 3–6 px every ~120 px
    (a worn print, a poor copy)."""
    img = Image.new("RGB", A4, "white")
    d = ImageDraw.Draw(img)
    lines: list[Line] = []

    def text(x: float, y: float, s: str, px: int = TEXT_PX, anchor: str = "mm") -> None:
        d.text((x, y), s, font=font(px), fill=(25, 25, 25), anchor=anchor)
        x0, top, x1, bottom = d.textbbox((x, y), s, font=font(px), anchor=anchor)
        lines.append(Line(s, (x0 - 3, top - 4, x1 + 3, bottom + 4)))

    text(A4[0] / 2, 340, CAPTION, 40)
    hs, vs = _segments_of_grid()
    for x0, x1, y in hs:
        d.line((x0, y, x1, y), fill="black", width=3)
    for x, y0, y1 in vs:
        d.line((x, y0, x, y1), fill="black", width=3)
    if broken:
        rng = np.random.default_rng(7)
        for x0, x1, y in hs:
            at = np.arange(x0 + 60, x1 - 20, 120)
            for gx in at + rng.integers(-20, 20, size=len(at)):
                d.rectangle((gx, y - 3, gx + rng.integers(3, 7), y + 3), fill="white")
        for x, y0, y1 in vs:
            gy = (y0 + y1) / 2 + rng.integers(-15, 15)
            d.rectangle((x - 3, gy, x + 3, gy + rng.integers(3, 7)), fill="white")
    for r, c, rs, cs, s in FORM:
        text((XS[c] + XS[c + cs]) / 2, (YS[r] + YS[r + rs]) / 2, s)
    y = YS[-1] + 80
    for para in ("注：利用率＝综合利用量÷产生量×100%。", "填报单位（盖章）：湖北某某环保科技有限公司"):
        text(LEFT, y, para, anchor="lm")
        y += 60
    return img, lines


def degraded(img: Image.Image, angle: float = 1.5) -> Image.Image:
    """A poor scan: turned `angle`° about the centre (same size), blurred, JPEG at quality 55."""
    turned = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor="white")
    blurred = turned.filter(ImageFilter.GaussianBlur(1.2))
    buf = io.BytesIO()
    blurred.save(buf, "JPEG", quality=55)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def stamped(img: Image.Image, cx: float, cy: float, r: int = 157) -> Image.Image:
    """The red seal of tests/test_ocr.py, a little larger, printed over the page."""
    return ocr_stamped(img, int(round(cx)), int(round(cy)), r)


def red(img: Image.Image) -> np.ndarray:
    """The page as the recogniser reads it: its red channel."""
    return np.ascontiguousarray(np.asarray(img)[:, :, 0])


# ---------------------------------------------------------------------------------------------
# checks


def shape(table: ScanTable) -> set[tuple[int, int, int, int]]:
    return {(c.row, c.col, c.rowspan, c.colspan) for c in table.cells}


FORM_SHAPE = {(r, c, rs, cs) for r, c, rs, cs, _ in FORM}
FORM_TEXT = {(r, c): s for r, c, _, _, s in FORM}


def texts(placed) -> dict[tuple[int, int], str]:
    return {(pc.row, pc.col): pc.text for pc in placed}


def only_table(gray: np.ndarray) -> ScanTable:
    found = find_ruled_tables(gray, DPI)
    assert len(found) == 1, [shape(t) for t in found]
    return found[0]


def near(a, b, tol: float) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


# ---------------------------------------------------------------------------------------------
# ruled tables


def test_clean_form_grid_spans_and_texts():
    img, lines = draw_form()
    table = only_table(red(img))
    assert (table.n_rows, table.n_cols) == (6, 5)
    assert shape(table) == FORM_SHAPE
    assert near(table.box, (XS[0], YS[0], XS[-1], YS[-1]), 3)
    placed = fill_cells(table, lines)
    assert texts(placed) == FORM_TEXT
    assert all(isinstance(pc, OcrCell) and pc.confidence == 0.95 for pc in placed)
    # the caption and the notes below are no cells
    assert not any(CAPTION in pc.text or "注" in pc.text for pc in placed)


def test_form_as_the_model_grid():
    """The cells make the same grid and header as a Word or PDF table would."""
    img, lines = draw_form()
    pt = page_table(only_table(red(img)), lines)
    assert pt is not None and (pt.n_rows, pt.n_cols) == (6, 5)
    rows = expand_grid(pt.placed, pt.n_rows, pt.n_cols, lambda r, c: Location(file="scan.png", row=r, column=c))
    assert [c.text for c in rows[0]] == ["序号", "固废名称", "2024年", "2024年", "利用率（%）"]
    assert [c.text for c in rows[1]] == ["序号", "固废名称", "产生量（吨）", "综合利用量（吨）", "利用率（%）"]
    assert [c.text for c in rows[5]] == ["合计", "合计", "25000", "23500", "94.0"]
    assert rows[5][1].origin == (6, 1) and rows[0][3].origin == (1, 3)
    assert count_header_rows(rows) == 2


def test_poor_scan_with_a_seal_over_a_corner():
    """Turned 1.5°, rulings broken, blurred, JPEG, a red seal over the top-right corner (and,
    on a second copy, over the middle of the figures): the deskewed red channel — what the
    recogniser reads, where red ink is paper — gives the same grid and texts."""
    clean, lines = draw_form(broken=True)
    for cx, cy in ((XS[-1] - 40, YS[0] + 30), (XS[3] + 60, YS[2] + 10)):
        scan = degraded(stamped(clean, cx, cy))
        upright, angle = deskew(red(scan))
        assert angle == pytest.approx(1.5, abs=0.1)
        table = only_table(upright)
        assert shape(table) == FORM_SHAPE
        assert near(table.box, (XS[0], YS[0], XS[-1], YS[-1]), 6)
        assert texts(fill_cells(table, lines)) == FORM_TEXT
    # the colour page turns the same way as its red channel; an RGB page is read on it
    rgb = rotate(np.asarray(scan), angle)
    assert rgb.shape == np.asarray(scan).shape
    assert np.abs(rgb[:, :, 0].astype(int) - upright.astype(int)).mean() < 1
    assert shape(only_table(rgb)) == FORM_SHAPE


def test_deskew_angles_and_its_bound():
    clean, _ = draw_form()
    for angle in (-3.0, 0.7, 4.5):
        upright, found = deskew(red(clean.rotate(angle, resample=Image.BICUBIC, fillcolor="white")))
        assert found == pytest.approx(angle, abs=0.08)
        assert shape(only_table(upright)) == FORM_SHAPE
    # a skew beyond the bound is measured at most at the bound
    _, found = deskew(red(clean.rotate(9.0, resample=Image.BICUBIC, fillcolor="white")))
    assert abs(found) <= 5.0
    # an upright page is left as it is
    page = red(clean)
    same, zero = deskew(page)
    assert zero == 0.0 and (same is page or np.array_equal(same, page))


def test_page_box_takes_a_box_back_to_the_scan():
    shape_ = (2339, 1654)
    box = (400.0, 600.0, 700.0, 650.0)
    back = page_box(box, 2.0, shape_)
    # the centre of the box, turned 2° counter-clockwise about the page centre
    cx, cy = 550 - 827, 625 - 1169.5
    t = math.radians(2.0)
    expected = (827 + cx * math.cos(t) + cy * math.sin(t), 1169.5 - cx * math.sin(t) + cy * math.cos(t))
    assert ((back[0] + back[2]) / 2, (back[1] + back[3]) / 2) == pytest.approx(expected, abs=0.5)
    assert page_box(box, 0.0, shape_) == box


def test_line_across_a_ruling_is_split_by_character_widths():
    """The recogniser read two or three neighbouring cells as one line."""
    img, lines = draw_form()
    table = only_table(red(img))
    keep = [ln for ln in lines if ln.text not in ("粉煤灰", "12600", "12100", "炉渣", "3400")]
    cy = (YS[2] + YS[3]) / 2
    # 粉煤灰 | 12600 | 12100 as one line, no blanks
    x0 = (XS[1] + XS[2]) / 2 - 48
    x1 = (XS[3] + XS[4]) / 2 + 45
    merged = Line("粉煤灰1260012100", (x0, cy - 20, x1, cy + 20), 0.81)
    # 炉渣 3400 with the blank the recogniser saw between them
    cy3 = (YS[3] + YS[4]) / 2
    merged2 = Line("炉渣 3400", ((XS[1] + XS[2]) / 2 - 32, cy3 - 20, (XS[2] + XS[3]) / 2 + 40, cy3 + 20), 0.9)
    placed = fill_cells(table, keep + [merged, merged2])
    got = texts(placed)
    assert got == FORM_TEXT
    conf = {(pc.row, pc.col): pc.confidence for pc in placed}
    assert conf[2, 1] == conf[2, 2] == conf[2, 3] == 0.81 and conf[3, 1] == 0.9 and conf[2, 0] == 0.95


def test_wrapped_lines_of_a_cell_are_joined():
    img, lines = draw_form()
    table = only_table(red(img))
    keep = [ln for ln in lines if ln.text != "综合利用量（吨）"]
    x = (XS[3] + XS[4]) / 2
    y = (YS[1] + YS[2]) / 2
    keep += [Line("综合利用量", (x - 80, y - 36, x + 80, y - 2), 0.97), Line("（吨）", (x - 50, y + 2, x + 50, y + 36), 0.7)]
    placed = fill_cells(table, keep)
    assert texts(placed)[1, 3] == "综合利用量（吨）"
    assert next(pc.confidence for pc in placed if (pc.row, pc.col) == (1, 3)) == 0.7
    empty = fill_cells(table, [])
    assert all(pc.text == "" and pc.confidence is None for pc in empty)
    assert page_table(table, []) is None


def test_text_page_has_no_table():
    img = Image.new("RGB", A4, "white")
    d = ImageDraw.Draw(img)
    d.text((150, 200), "一、企业基本情况", font=font(44), fill="black")
    d.line((150, 260, 600, 260), fill="black", width=3)  # an underlined heading
    para = "本公司一般工业固体废物主要为粉煤灰、炉渣和脱硫石膏，全部委托有资质单位综合利用。"
    for i in range(24):
        d.text((150, 320 + 62 * i), para[i % 7:] + para[: i % 7], font=font(), fill="black")
    d.text((150, 1900), "法定代表人（签字）：", font=font(), fill="black")
    d.line((470, 1935, 900, 1935), fill="black", width=2)  # a line to sign on
    d.rectangle((1200, 1850, 1500, 2000), outline="black", width=3)  # a framed box: one cell
    page = red(degraded(img))
    upright, angle = deskew(page)
    assert angle == pytest.approx(1.5, abs=0.1)  # text lines alone give the skew
    assert find_ruled_tables(upright, DPI) == []
    assert find_ruled_tables(red(img), DPI) == []


def graph_paper(step: int, width: int = 2) -> np.ndarray:
    img = np.full((A4[1], A4[0]), 255, np.uint8)
    img[:, ::step] = 0
    img[::step, :] = 0
    for k in range(1, width):
        img[:, k::step] = 0
        img[k::step, :] = 0
    return img


def test_graph_paper_is_capped():
    # millimetre paper: its rulings are closer than any cell holding text
    assert find_ruled_tables(graph_paper(8), DPI) == []
    # 5 mm paper: a grid of empty cells, which is no table once filled
    grid = find_ruled_tables(graph_paper(40), DPI)
    assert len(grid) == 1 and grid[0].n_cols <= 42 and grid[0].n_rows <= 59
    assert page_table(grid[0], []) is None


def test_graph_paper_beyond_the_limits(monkeypatch):
    set_limits(monkeypatch, page_rulings=80)
    notes: list[str] = []
    assert find_ruled_tables(graph_paper(40), DPI, notes) == []
    assert notes and "超过上限 80 条" in notes[0]
    set_limits(monkeypatch, page_rulings=2000, table_rows=20, table_columns=10)
    notes = []
    found = find_ruled_tables(graph_paper(40), DPI, notes)
    assert [(t.n_rows, t.n_cols) for t in found] == [(20, 10)]
    assert notes and "只读取了前 20 行、前 10 列" in notes[0]


def test_noise_page_gives_nothing():
    rng = np.random.default_rng(3)
    noise = np.where(rng.random((A4[1], A4[0])) < 0.08, 0, 255).astype(np.uint8)
    noise = cv2.GaussianBlur(noise, (3, 3), 0)
    assert find_ruled_tables(noise, DPI) == []
    assert abs(deskew(noise)[1]) <= 5.0


def test_table_open_at_its_sides():
    """No outer vertical rules: the horizontal rules' ends close the table."""
    img = Image.new("RGB", (1654, 900), "white")
    d = ImageDraw.Draw(img)
    xs, ys = [100, 400, 800, 1200, 1500], [100, 180, 260, 340]
    for y in ys:
        d.line((xs[0], y, xs[-1], y), fill="black", width=3)
    for x in xs[1:-1]:
        d.line((x, ys[0], x, ys[-1]), fill="black", width=3)
    table = only_table(red(img))
    assert (table.n_rows, table.n_cols) == (3, 4)
    assert near(table.box, (xs[0], ys[0], xs[-1], ys[-1]), 3)


def test_two_tables_on_one_page():
    img, _ = draw_form()
    d = ImageDraw.Draw(img)
    for y in (1500, 1580, 1660):
        d.line((200, y, 1000, y), fill="black", width=3)
    for x in (200, 600, 1000):
        d.line((x, 1500, x, 1660), fill="black", width=3)
    found = find_ruled_tables(red(img), DPI)
    assert [shape(t) == FORM_SHAPE for t in found] == [True, False]
    assert (found[1].n_rows, found[1].n_cols) == (2, 2)


# ---------------------------------------------------------------------------------------------
# unruled tables


UNRULED = [
    ("序号", "废物名称", "产生量（吨）", "去向"),
    ("1", "粉煤灰", "12600", "建材厂"),
    ("2", "炉渣", "3400", "水泥厂"),
    ("3", "脱硫石膏", "9000", "石膏板厂"),
    ("4", "废矿物油", "2.6", "有资质单位"),
]


def draw_unruled(rules: bool) -> tuple[Image.Image, list[Line]]:
    """A table without vertical rules (a three-line table if `rules`), a paragraph above."""
    img = Image.new("RGB", (1654, 1000), "white")
    d = ImageDraw.Draw(img)
    lines: list[Line] = []

    def text(x: float, y: float, s: str) -> None:
        d.text((x, y), s, font=font(), fill=(20, 20, 20), anchor="lm")
        x0, top, x1, bottom = d.textbbox((x, y), s, font=font(), anchor="lm")
        lines.append(Line(s, (x0 - 3, top - 4, x1 + 3, bottom + 4), 0.9 if s != "炉渣" else 0.6))

    text(150, 120, "本年度各类固体废物的产生量及去向见下表。")
    xs = [150, 330, 700, 1100]
    for r, row in enumerate(UNRULED):
        for c, s in enumerate(row):
            text(xs[c], 260 + 70 * r, s)
    if rules:
        for y in (220, 295, 260 + 70 * len(UNRULED) - 30):
            d.line((130, y, 1450, y), fill="black", width=3)
    return img, lines


@pytest.mark.parametrize("ruled", [False, True])
def test_unruled_table(ruled):
    img, lines = draw_unruled(ruled)
    gray = red(degraded(img, 0.0))
    assert find_ruled_tables(gray, DPI) == []
    rules = horizontal_rules(gray, DPI)
    assert len(rules) == (3 if ruled else 0)
    found = find_unruled_tables(lines, DPI, rules)
    assert len(found) == 1
    t = found[0].table
    assert (t.n_rows, t.n_cols) == (5, 4)
    assert {(pc.row, pc.col): pc.text for pc in t.placed} == {
        (r, c): s for r, row in enumerate(UNRULED) for c, s in enumerate(row)
    }
    assert t.bbox[1] >= 200 and t.bbox[0] == pytest.approx(147, abs=2)
    assert "本年度" not in " ".join(ln.text for ln in found[0].lines)
    conf = {(pc.row, pc.col): pc.confidence for pc in t.placed}
    assert conf[2, 1] == 0.6 and conf[1, 1] == 0.9
    if ruled:
        assert t.header_rows == 1


def test_unruled_search_leaves_ruled_tables_alone():
    img, lines = draw_form()
    gray = red(img)
    ruled = find_ruled_tables(gray, DPI)
    assert find_unruled_tables(lines, DPI, horizontal_rules(gray, DPI), ruled) == []


def test_prose_is_no_unruled_table():
    lines = [Line("本公司一般工业固体废物主要为粉煤灰、炉渣和脱硫石膏。", (150, 100 + 60 * i, 1400, 140 + 60 * i)) for i in range(8)]
    lines += [Line("联系人：张三", (150, 700, 400, 740)), Line("电话：12345678901", (700, 700, 1100, 740))]
    assert find_unruled_tables(lines, DPI) == []


# ---------------------------------------------------------------------------------------------
# the real recogniser


@pytest.mark.skipif(
    importlib.util.find_spec("extractor.ocr.engine") is None or importlib.util.find_spec("rapidocr") is None,
    reason="the OCR engine is not installed",
)
def test_poor_scan_read_by_the_real_recogniser():
    from extractor.ocr.engine import ocr_image

    clean, _ = draw_form(broken=True)
    scan = np.asarray(degraded(stamped(clean, XS[-1] - 40, YS[0] + 30)))
    upright, angle = deskew(scan[:, :, 0])
    rgb = rotate(scan, angle)
    # the table's band of the page only: recognition costs seconds per page
    band = rgb[YS[0] - 150 : YS[-1] + 40]
    lines = [
        type(ln)(ln.text, (ln.box[0], ln.box[1] + YS[0] - 150, ln.box[2], ln.box[3] + YS[0] - 150), ln.confidence)
        for ln in ocr_image(band, DPI)
    ]
    table = only_table(upright)
    assert shape(table) == FORM_SHAPE
    got = texts(fill_cells(table, lines))
    right = sum(got[k] == v for k, v in FORM_TEXT.items())
    assert right >= len(FORM_TEXT) - 2, got
    assert all(got[k] == v for k, v in FORM_TEXT.items() if v[0].isdigit() and len(v) > 1)


def test_column_rules_broken_at_every_row_are_one_rule_each():
    """A spreadsheet printed cell by cell: each column rule is drawn row by row, a little apart
    at each crossing, with rows of different column splits (as LibreOffice prints a 基本情况表).
    The pieces at one position are one rule, not graph paper."""
    img = Image.new("L", (A4[0], A4[1] // 2), 255)
    d = ImageDraw.Draw(img)
    x0, x1, top, row_h = 200, 1450, 200, 75
    splits = [(200, 420, 650, 1030, 1450), (200, 420, 830, 1030, 1240, 1450), (200, 420, 650, 1030, 1450),
              (200, 420, 830, 1240, 1450), (200, 650, 830, 1030, 1450), (200, 420, 830, 1030, 1240, 1450)]
    for r, xs in enumerate(splits):
        y0, y1 = top + r * row_h, top + (r + 1) * row_h
        d.line((x0, y0, x1, y0), fill=0, width=3)
        for x in xs:
            d.line((x, y0 + 6, x, y1 - 6), fill=0, width=3)  # stops short of both rules it meets
    d.line((x0, top + len(splits) * row_h, x1, top + len(splits) * row_h), fill=0, width=3)
    (table,) = find_ruled_tables(np.asarray(img), DPI)
    assert table.n_rows == len(splits)
    assert table.n_cols == len({x for xs in splits for x in xs}) - 1


@pytest.mark.parametrize("text, early, want", [
    ("113202.67—", 1, ("113202.67", "—")),  # the proportional cut falls one digit short
    ("91715.61/", -1, ("91715.61", "/")),  # and one character past
    ("12.63万吨外单位", 0, ("12.63万吨", "外单位")),  # no number boundary near: the estimate stands
])
def test_a_number_is_not_cut_where_a_dash_or_slash_of_the_next_cell_begins(text, early, want):
    from extractor.ocr.tables import _cut_index, char_width

    widths = [char_width(ch) for ch in text]
    starts = [0.0]
    for w in widths:
        starts.append(starts[-1] + w)
    true_cut = len(want[0])
    k = _cut_index(text, starts, widths, 0, starts[true_cut - early] if early >= 0 else starts[true_cut + 1])
    assert (text[:k], text[k:]) == want


def test_a_spreadsheet_printed_to_fit_the_page_keeps_its_short_rows():
    """Rows 3.6 mm high (a 指标表 printed from Excel fitted to the page width) are rows, not
    hatching."""
    img = Image.new("L", (A4[0], A4[1] // 2), 255)
    d = ImageDraw.Draw(img)
    xs, top, row_h, n = (150, 220, 733, 826, 1036, 1247, 1504), 200, 29, 18
    for r in range(n + 1):
        d.line((xs[0], top + r * row_h, xs[-1], top + r * row_h), fill=0, width=2)
    for x in xs:
        d.line((x, top, x, top + n * row_h), fill=0, width=2)
    (table,) = find_ruled_tables(np.asarray(img), DPI)
    assert (table.n_rows, table.n_cols) == (n, len(xs) - 1)


def test_characters_read_twice_by_overlapping_detections_are_kept_once():
    from extractor.ocr.tables import without_double_reads

    left = Line("94.7", (1201.3, 541.1, 1249.5, 567.1), 1.0)
    right = Line("7提高5.6个百分点", (1240.1, 538.8, 1391.7, 569.4), 0.95)
    apart = Line("7提高5.6个百分点", (1262.0, 538.8, 1413.6, 569.4), 0.95)  # a gap between them
    other = Line("8提高5.6个百分点", (1240.1, 538.8, 1391.7, 569.4), 0.95)  # overlapping, nothing repeated
    below = Line("7提高", (1240.1, 600.0, 1300.0, 626.0), 0.95)  # another row
    got = without_double_reads([right, left])
    assert [ln.text for ln in got] == ["提高5.6个百分点", "94.7"] and got[0].box[0] > 1247
    for line in (apart, other, below):
        assert without_double_reads([left, line])[1] == line


def test_quarter_turns_are_told_and_undone():
    from extractor.ocr.tables import text_runs_down, turn_back

    img, _lines = draw_form()
    page = np.asarray(img.convert("L"))
    assert not text_runs_down(page)
    assert text_runs_down(np.rot90(page, 1)) and text_runs_down(np.rot90(page, 3))
    assert not text_runs_down(np.rot90(page, 2))
    # a box on the turned image comes back to the same place on the original
    h, w = page.shape
    box = (100.0, 200.0, 400.0, 260.0)
    for turns in (1, 2, 3):
        turned = np.zeros((h, w), np.uint8)
        turned[200:260, 100:400] = 255
        on_turned = np.rot90(turned, turns)
        ys, xs = np.nonzero(on_turned)
        found = (float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1))
        assert turn_back(found, turns, on_turned.shape) == box
