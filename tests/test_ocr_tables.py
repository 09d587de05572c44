"""Tables on scanned pages read into `Table` blocks (extractor/readers/scan_reader.py).

The 附件3 page of tests/test_scan_tables.py (a caption, a ruled table with merged header
cells and a 合计 row, two lines of notes) is scanned turned 1°, blurred and JPEG-compressed,
and read through `extractor.read.read_document` as a PDF (PIL, 200 dpi) and as a .jpg with
the real recogniser; a PDF of a text page with a table and that scanned page numbers its
tables 1 and 2.  The other tests give the recogniser's lines made up from what was drawn
(`fake_engine`), so that table numbering, continuation over pages and the limits' notes are
checked without the seconds a real recognition costs.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata

import pytest
from PIL import Image, ImageDraw

from extractor.ocr import cache, engine
from extractor.ocr.engine import OcrLine
from extractor.package import PackageFile
from extractor.read import read_document
from tests.fixtures_build import reportlab_pdf
from tests.limit_helpers import set_limits
from tests.test_read_pdf import _ruled_grid
from tests.test_scan_tables import A4, CAPTION, FORM, TEXT_PX, UNRULED, XS, YS, degraded, draw_form, draw_unruled, font

DPI = 200
PT = 72 / DPI
ANGLE = 1.0  # the scan's turn, degrees counter-clockwise


@pytest.fixture(autouse=True)
def _ocr_state(monkeypatch):
    """OCR off unless a test turns it on; no disk cache; an empty memory cache."""
    monkeypatch.setenv("SHENCHA_OCR", "off")
    monkeypatch.delenv("SHENCHA_OCR_CACHE_DIR", raising=False)
    cache.clear_memory()
    yield
    cache.clear_memory()


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def turned(x: float, y: float, angle: float = ANGLE) -> tuple[float, float]:
    """Where PIL's `rotate(angle)` (counter-clockwise, about the page's centre) puts (x, y)."""
    cx, cy = A4[0] / 2, A4[1] / 2
    t = math.radians(angle)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(t) + dy * math.sin(t), cy - dx * math.sin(t) + dy * math.cos(t)


def scanned_box(x0: float, top: float, x1: float, bottom: float) -> tuple[float, ...]:
    """A box drawn on the upright page, on the turned scan, in points (the hull of its corners)."""
    pts = [turned(x, y) for x in (x0, x1) for y in (top, bottom)]
    return (min(p[0] for p in pts) * PT, min(p[1] for p in pts) * PT, max(p[0] for p in pts) * PT,
            max(p[1] for p in pts) * PT)


def near(a, b, tol: float) -> bool:
    return a is not None and all(abs(x - y) <= tol for x, y in zip(a, b))


def pdf_of(*images: Image.Image) -> bytes:
    images = tuple(im.copy() for im in images)  # saving leaves encoder settings on the image
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=DPI, save_all=True, append_images=list(images[1:]))
    return buf.getvalue()


def jpg_of(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90, dpi=(DPI, DPI))
    return buf.getvalue()


def text_page_with_table() -> bytes:
    def draw(c, page_no):
        c.setFont("WQY", 11)
        c.drawString(72, 780, "表1 设备清单")
        _ruled_grid(c, [72, 172, 330, 420], [760, 735, 710, 685],
                    [["设备名称", "规格型号", "数量"], ["破碎机", "PE-600", "2"], ["球磨机", "MQG 1530", "1"]],
                    lambda c, x0, y0, x1, y1: c.line(x0, y0, x1, y1))
        c.drawString(72, 640, "以上设备均在用。")

    return reportlab_pdf(draw)


def mixed_pdf(scanned: bytes) -> bytes:
    """A text page with a table, then the scanned page of `scanned` (the same page object)."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    try:
        for data in (text_page_with_table(), scanned):
            src = pdfium.PdfDocument(data)
            try:
                out.import_pages(src)
            finally:
                src.close()
        buf = io.BytesIO()
        out.save(buf)
    finally:
        out.close()
    return buf.getvalue()


def read(name: str, data: bytes):
    return read_document(PackageFile.from_bytes(name, data))


# ---------------------------------------------------------------------------------------------
# the real recogniser


@pytest.fixture(scope="module")
def scan_page() -> Image.Image:
    clean, _ = draw_form()
    return degraded(clean, ANGLE)


@pytest.fixture(scope="module")
def read_on(scan_page):
    """The scan read with OCR on as a PDF, a .jpg and within a mixed PDF (whose scanned page,
    the same page object, comes from the cache)."""
    pdf = pdf_of(scan_page)
    docs, calls = {}, []
    real = engine.recognise
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SHENCHA_OCR", "on")
        mp.delenv("SHENCHA_OCR_CACHE_DIR", raising=False)
        mp.setattr(engine, "recognise", lambda image: calls.append(image.shape) or real(image))
        cache.clear_memory()
        for name, data in (("附件3.pdf", pdf), ("附件3.jpg", jpg_of(scan_page)), ("混合.pdf", mixed_pdf(pdf))):
            docs[name] = read(name, data)
        cache.clear_memory()
    # the upright red channel is recognised, and cached: the mixed PDF's page is not read again
    assert len(calls) == 2 and all(len(shape) == 2 for shape in calls)
    return docs


def check_form_table(doc, index: int = 1, page: int = 1) -> None:
    (table,) = [t for t in doc.tables() if t.loc.page == page]
    assert table.index == index and table.loc.table == index
    assert (table.n_rows, table.n_cols) == (6, 5)
    assert table.header_rows == 2
    assert nfkc(table.caption) == nfkc(CAPTION)
    # the grid: merged cells repeated, their origin at their top-left
    for r, c, rs, cs, text in FORM:
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                cell = table.rows[rr][cc]
                assert (cell.rowspan, cell.colspan) == (rs, cs)
                assert cell.origin == ((r + 1, c + 1) if rs > 1 or cs > 1 else None)
    got = {(r, c): table.rows[r][c].text for r, c, *_ in FORM}
    want = {(r, c): text for r, c, _, _, text in FORM}
    # figures exactly; labels as written (full- and half-width brackets alike)
    assert {k: v for k, v in got.items() if want[k][0].isdigit()} == {k: v for k, v in want.items() if v[0].isdigit()}
    assert sum(nfkc(got[k]) == nfkc(v) for k, v in want.items()) >= len(want) - 1, got
    for r, c, rs, cs, _ in FORM:
        cell = table.rows[r][c]
        assert 0.5 < cell.confidence <= 1.0
        assert (cell.loc.page, cell.loc.table, cell.loc.row, cell.loc.column) == (page, index, r + 1, c + 1)
        # the cell's box on the page as displayed: where it was drawn, turned with the scan
        assert near(cell.loc.box, scanned_box(XS[c], YS[r], XS[c + cs], YS[r + rs]), 2.5), (r, c, cell.loc.box)
    assert near(table.loc.box, scanned_box(XS[0], YS[0], XS[-1], YS[-1]), 2.5)
    assert doc.blocks[table.loc.paragraph - 1].table is table


def test_scanned_table_page_as_pdf_and_jpg(read_on):
    docs = read_on
    for name in ("附件3.pdf", "附件3.jpg"):
        doc = docs[name]
        assert doc.error is None and not doc.omissions
        assert [b.kind for b in doc.blocks] == ["image", "paragraph", "table", "paragraph", "paragraph"], name
        check_form_table(doc)
        caption, notes, signed = (b for b in doc.blocks if b.kind == "paragraph")
        assert nfkc(caption.text) == nfkc(CAPTION)
        assert notes.text.startswith("注：利用率") and "湖北某某环保科技有限公司" in signed.text
        # the lines of the table are no paragraphs
        assert not any("粉煤灰" in b.text or "12600" in b.text for b in doc.text_blocks())
        # paragraphs' boxes, deskewed for recognition, are on the page as displayed: the
        # caption was drawn centred at (827, 340) px, 40 px high
        x0, top, x1, bottom = caption.loc.box
        cx, cy = turned(A4[0] / 2, 340)
        assert abs((x0 + x1) / 2 - cx * PT) < 3 and abs((top + bottom) / 2 - cy * PT) < 3
        assert [b.loc.paragraph for b in doc.blocks] == [1, 2, 3, 4, 5]
        assert any("OCR 识别" in w for w in doc.warnings)
    assert docs["附件3.pdf"].scan_pages == [1]


def test_mixed_pdf_numbers_its_tables_in_order(read_on):
    docs = read_on
    doc = docs["混合.pdf"]
    t1, t2 = doc.tables()
    assert (t1.index, t1.loc.page, t1.caption) == (1, 1, "表1设备清单")
    assert t1.text_grid()[1] == ["破碎机", "PE-600", "2"]
    assert all(c.confidence is None and c.loc.box is None for row in t1.rows for c in row)  # the file's own text
    assert t1.loc.box is None
    check_form_table(doc, index=2, page=2)
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph", "image", "paragraph", "table",
                                           "paragraph", "paragraph"]
    assert [b.loc.paragraph for b in doc.blocks] == list(range(1, 9))
    assert any(w.startswith("第2页的文字由 OCR 识别") for w in doc.warnings)


def test_with_ocr_off_nothing_changes(scan_page, monkeypatch):
    calls = []
    monkeypatch.setattr(engine, "recognise", lambda image: calls.append(1) or [])
    pdf = pdf_of(scan_page)
    for name, data in (("附件3.pdf", pdf), ("附件3.jpg", jpg_of(scan_page))):
        doc = read(name, data)
        assert [b.kind for b in doc.blocks] == ["image"] and not doc.warnings and not doc.omissions
    doc = read("混合.pdf", mixed_pdf(pdf))
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph", "image"]
    assert [t.index for t in doc.tables()] == [1]
    assert doc.warnings == ["第2页为扫描图像，无文字层"]
    assert calls == []


# ---------------------------------------------------------------------------------------------
# made-up recogniser output


ROWS_2 = [("4", "废矿物油", "2.6", "2.6", "100.0"), ("5", "污泥", "120", "80", "66.7")]


def grid_page(rows, caption: str | None, height: int = A4[1]) -> tuple[Image.Image, list[OcrLine]]:
    """A page with a ruled table in FORM's columns (one cell per column, 78 px rows) at YS[0],
    `caption` above it, and the lines a recogniser would give for it."""
    img = Image.new("RGB", (A4[0], height), "white")
    d = ImageDraw.Draw(img)
    lines: list[OcrLine] = []

    def text(x: float, y: float, s: str, px: int = TEXT_PX) -> None:
        d.text((x, y), s, font=font(px), fill=(25, 25, 25), anchor="mm")
        x0, top, x1, bottom = d.textbbox((x, y), s, font=font(px), anchor="mm")
        lines.append(OcrLine(s, (x0 - 3.0, top - 4.0, x1 + 3.0, bottom + 4.0), 0.93))

    if caption:
        text(A4[0] / 2, YS[0] - 80, caption, 40)
    ys = [YS[0] + 78 * k for k in range(len(rows) + 1)]
    for y in ys:
        d.line((XS[0], y, XS[-1], y), fill="black", width=3)
    for x in XS:
        d.line((x, ys[0], x, ys[-1]), fill="black", width=3)
    for r, row in enumerate(rows):
        for c, s in enumerate(row):
            text((XS[c] + XS[c + 1]) / 2, (ys[r] + ys[r + 1]) / 2, s)
    return img, lines


@pytest.fixture
def fake_engine(monkeypatch):
    """The recogniser gives the lines drawn on the page it is shown (told by its height: pdfium
    renders a page a pixel larger)."""
    pages: dict[int, list[OcrLine]] = {}

    def fake(image):
        return list(pages[min(pages, key=lambda h: abs(h - image.shape[0]))])

    monkeypatch.setattr(engine, "recognise", fake)
    monkeypatch.setenv("SHENCHA_OCR", "on")
    return pages


def test_table_continued_on_the_next_scanned_page(fake_engine):
    rows_1 = [("序号", "固废名称", "产生量（吨）", "综合利用量（吨）", "利用率（%）"),
              ("1", "粉煤灰", "12600", "12100", "96.0"), ("2", "炉渣", "3400", "3300", "97.1")]
    page1, lines1 = grid_page(rows_1, "附件3 固体废物利用情况表")
    page2, lines2 = grid_page(ROWS_2, "续表", height=A4[1] - 10)
    fake_engine[page1.height], fake_engine[page2.height] = lines1, lines2
    for name, data in (("两页.pdf", pdf_of(page1, page2)), ("两页.tif", tiff_of(page1, page2))):
        doc = read(name, data)
        (table,) = doc.tables()
        assert table.text_grid() == [list(r) for r in rows_1 + ROWS_2]
        assert (table.index, table.header_rows, table.pages) == (1, 1, [1, 2])
        assert [c.loc.page for c in table.rows[3]] == [2] * 5
        assert table.caption == "附件3固体废物利用情况表"
        assert table.loc.box is None  # over two pages
        assert table.rows[4][1].confidence == 0.93
        # the continuation's cells are boxed on their own page
        assert near(table.rows[3][0].loc.box, (XS[0] * PT, YS[0] * PT, XS[1] * PT, (YS[0] + 78) * PT), 1.5)
        assert "续表" not in doc.full_text()
        # a PDF has a picture per scanned page, an image file one for the file
        pictures = ["image"] if name.endswith(".pdf") else []
        assert [b.kind for b in doc.blocks] == ["image", "paragraph", "table", *pictures], name


def tiff_of(*images: Image.Image) -> bytes:
    images = tuple(im.copy() for im in images)
    buf = io.BytesIO()
    images[0].save(buf, "TIFF", save_all=True, append_images=list(images[1:]), dpi=(DPI, DPI))
    return buf.getvalue()


def test_table_limits_are_omissions(fake_engine, monkeypatch):
    """A page ruled with more lines than `page_rulings` is not searched for ruled tables: an
    omission naming the page; its text is still read."""
    set_limits(monkeypatch, page_rulings=5)
    img, lines = draw_form()
    fake_engine[img.height] = lines
    for name, data, where in (("附件3.png", png_of(img), "图片中"), ("附件3.pdf", pdf_of(img), "第1页")):
        doc = read(name, data)
        assert len(doc.omissions) == 1 and re.fullmatch(where + r"表格线 \d+ 条，超过上限 5 条，未识别其中的表格", doc.omissions[0])
        assert not any(t.n_rows == 6 for t in doc.tables())
        assert all(s in doc.full_text() for s in ("12600", "脱硫石膏", "94.0"))


def png_of(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(DPI, DPI))
    return buf.getvalue()


def test_table_search_that_fails_leaves_the_text(fake_engine, monkeypatch):
    import extractor.ocr.tables as tables

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(tables, "find_ruled_tables", broken)
    img, lines = draw_form()
    fake_engine[img.height] = lines
    doc = read("附件3.png", png_of(img))
    assert list(doc.tables()) == []
    assert "1 粉煤灰 12600 12100 96.0" in [b.text for b in doc.text_blocks()]
    assert "图片中的表格识别失败（ValueError），其文字按段落读取" in doc.warnings


@pytest.mark.parametrize("ruled", [False, True])
def test_unruled_table_on_a_scan(fake_engine, ruled):
    """A table without vertical rules (a three-line table if `ruled`) is a Table block too;
    its cells are boxed by the lines of their text."""
    img, lines = draw_unruled(ruled)
    fake_engine[img.height] = [OcrLine(ln.text, ln.box, ln.confidence) for ln in lines]
    doc = read("去向.png", png_of(img))
    assert [b.kind for b in doc.blocks] == ["image", "paragraph", "table"]
    (table,) = doc.tables()
    assert table.text_grid() == [list(r) for r in UNRULED]
    assert table.header_rows == 1
    by_text = {ln.text: ln for ln in lines}
    for row in table.rows:
        for cell in row:
            line = by_text[cell.text]
            assert cell.confidence == line.confidence
            assert near(cell.loc.box, tuple(v * PT for v in line.box), 0.2)
    assert table.loc.box is not None and table.loc.box[1] < table.rows[0][0].loc.box[1] + 0.5
