"""OCR of scanned pages (extractor/ocr, extractor/readers/scan_reader.py).

The pages are drawn here with PIL in WenQuanYi Micro Hei at 200 dpi: a form page, a table-like
page, a degraded copy (turned 1.5°, blurred, JPEG at quality 55), a page with a red seal
stamped over its text, and a PDF whose text layer maps every glyph to a private-use character.
Each real recognition costs one to a few seconds, so there are few of them and the images are
small; everything else (grouping lines into blocks, the cache, rendering, the time budget, the
garbage test) runs on made-up recogniser output.
"""

from __future__ import annotations

import difflib
import io
import json
import math
import re

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from extractor.model import Location
from extractor.ocr import cache, engine, ocr_enabled
from extractor.ocr.engine import OcrLine
from extractor.ocr.garbage import garbage_text
from extractor.ocr.render import MAX_PIXELS, image_pages, render_pdf_page
from extractor.readers import scan_reader
from extractor.readers.image_reader import read_image
from extractor.readers.pdf_reader import read_pdf
from extractor.readers.scan_reader import ScannedPage, scan_blocks

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
DPI = 200
PT = 72 / DPI  # points per pixel at 200 dpi
CREDIT_CODE = "91420100MA4KXYZ12Q"
FORM_LINES = [
    "一、企业基本情况",
    "企业名称：湖北某某环保科技有限公司",
    f"统一社会信用代码：{CREDIT_CODE}",
    "利用的废物为粉煤灰、炉渣、脱硫石膏，利用量分别为12.6万吨、3.4万吨。",
]
TABLE_ROWS = [("废物名称", "产生量（万吨）", "利用量（万吨）"), ("粉煤灰", "15.2", "12.6"), ("炉渣", "4.1", "3.4"),
              ("脱硫石膏", "9.0", "8.1")]


@pytest.fixture(autouse=True)
def _ocr_state(monkeypatch, tmp_path):
    """OCR off unless a test turns it on; no disk cache; an empty memory cache."""
    monkeypatch.setenv("SHENCHA_OCR", "off")
    monkeypatch.delenv("SHENCHA_OCR_CACHE_DIR", raising=False)
    cache.clear_memory()
    yield
    cache.clear_memory()


@pytest.fixture
def engine_calls(monkeypatch):
    """Counts the recogniser's real runs (cache hits do not run it)."""
    calls = []
    real = engine.recognise

    def counted(image):
        calls.append(image.shape)
        return real(image)

    monkeypatch.setattr(engine, "recognise", counted)
    return calls


def font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, px)


def form_page(width: int = 1400, height: int = 420) -> Image.Image:
    """FORM_LINES at 36 px (13 pt at 200 dpi), from (100, 60), 80 px apart."""
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    for i, line in enumerate(FORM_LINES):
        d.text((100, 60 + 80 * i), line, font=font(36), fill=(20, 20, 20))
    return img


def table_page() -> Image.Image:
    img = Image.new("RGB", (1400, 420), "white")
    d = ImageDraw.Draw(img)
    xs = [80, 500, 920, 1320]
    for r, row in enumerate(TABLE_ROWS):
        y = 40 + 90 * r
        d.line((xs[0], y, xs[-1], y), fill="black", width=3)
        for c, text in enumerate(row):
            d.text((xs[c] + 30, y + 24), text, font=font(36), fill="black")
    bottom = 40 + 90 * len(TABLE_ROWS)
    d.line((xs[0], bottom, xs[-1], bottom), fill="black", width=3)
    for x in xs:
        d.line((x, 40, x, bottom), fill="black", width=3)
    return img


def degraded(img: Image.Image) -> Image.Image:
    """A poor scan of the page: turned 1.5°, blurred, JPEG-compressed."""
    turned = img.rotate(1.5, resample=Image.BICUBIC, expand=True, fillcolor="white")
    blurred = turned.filter(ImageFilter.GaussianBlur(1.2))
    buf = io.BytesIO()
    blurred.save(buf, "JPEG", quality=55)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def stamped(img: Image.Image, cx: int, cy: int, r: int = 150) -> Image.Image:
    """A red seal (ring, star, name along the ring) printed over the page: the inks multiply,
    so black text under the seal stays black."""
    ink = (225, 30, 35)
    layer = Image.new("RGB", img.size, "white")
    d = ImageDraw.Draw(layer)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=ink, width=11)
    star = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rr = r * (0.28 if k % 2 == 0 else 0.11)
        star.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(star, fill=ink)
    name = "湖北某某环保科技有限公司"
    for i, ch in enumerate(name):
        a = math.radians(-155 + i * 130 / (len(name) - 1))
        glyph = Image.new("L", (46, 46), 0)
        ImageDraw.Draw(glyph).text((2, 0), ch, font=font(40), fill=255)
        glyph = glyph.rotate(-math.degrees(a) - 90, expand=True)
        x, y = cx + (r - 42) * math.cos(a), cy + (r - 42) * math.sin(a)
        layer.paste(Image.new("RGB", glyph.size, ink), (int(x - glyph.width / 2), int(y - glyph.height / 2)), glyph)
    return ImageChops.multiply(img, layer)


def png(img: Image.Image, dpi: int | None = DPI) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return buf.getvalue()


def recall(expected: str, got: str) -> float:
    """Share of the expected characters found, in order, in what was read."""
    sm = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()) / len(expected)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------------------------------
# the setting


def test_ocr_is_on_unless_turned_off(monkeypatch):
    monkeypatch.delenv("SHENCHA_OCR")
    assert ocr_enabled()
    for value, on in (("on", True), ("1", True), ("TRUE", True), ("off", False), ("0", False), ("maybe", True)):
        monkeypatch.setenv("SHENCHA_OCR", value)
        assert ocr_enabled() is on


def test_with_ocr_off_scans_stay_pictures(monkeypatch, engine_calls):
    doc = read_image(png(form_page()), "营业执照.png")
    assert [b.kind for b in doc.blocks] == ["image"] and not doc.warnings
    pdf = scanned_pdf([form_page()])
    doc = read_pdf(pdf, "扫描件.pdf")
    assert [b.kind for b in doc.blocks] == ["image"] and not doc.warnings
    garbage = read_pdf(pua_pdf(), "乱码.pdf")
    assert "\ue001" in garbage.full_text() and not garbage.warnings
    assert engine_calls == []


# ---------------------------------------------------------------------------------------------
# real recognition


def test_image_file_read_by_ocr_and_cached(monkeypatch, engine_calls):
    monkeypatch.setenv("SHENCHA_OCR", "on")
    data = png(form_page())
    doc = read_image(data, "营业执照.png")
    assert doc.has_text_layer is False and doc.blocks[0].kind == "image"
    text = doc.full_text()
    assert CREDIT_CODE in text and "12.6万吨" in text and "湖北某某环保科技有限公司" in text
    heading = doc.blocks[1]
    assert heading.kind == "heading" and heading.text == "一、企业基本情况" and heading.numbering == "一、"
    code = next(b for b in doc.blocks if CREDIT_CODE in b.text)
    assert code.kind == "paragraph" and code.loc.page == 1 and code.loc.paragraph == doc.blocks.index(code) + 1
    # drawn from (100, 220) px at 200 dpi: 36 × 79.2 pt, 36 px high (13 pt)
    x0, top, x1, bottom = code.loc.box
    assert abs(x0 - 100 * PT) < 4 and abs(top - 220 * PT) < 5 and 8 < bottom - top < 20 and x1 > x0 + 200
    assert code.confidence is not None and code.confidence > 0.9
    assert any("OCR 识别" in w for w in doc.warnings)
    assert len(engine_calls) == 1
    again = read_image(data, "营业执照.png")  # the same pixels: from the cache
    assert len(engine_calls) == 1
    assert again.blocks == doc.blocks


def test_table_page_and_a_poor_scan_of_it(monkeypatch, engine_calls):
    clean = engine.ocr_image(np.asarray(table_page()), DPI)
    poor = engine.ocr_image(np.asarray(degraded(table_page())), DPI)
    assert len(engine_calls) == 2
    for lines in (clean, poor):
        got = compact("".join(ln.text for ln in lines))
        for row in TABLE_ROWS:
            for cell in row:
                assert compact(cell) in got, (cell, got)
    # the cells of one row are one block, far-apart pieces joined with a space: on the poor
    # scan too, whose rows climb 1.5° (a third of a line height across the table)
    for lines in (clean, poor):
        page = ScannedPage(number=1, width=1400 * PT, height=420 * PT,
                           lines=[OcrLine(ln.text, tuple(v * PT for v in ln.box), ln.confidence) for ln in lines])
        texts = [b.text for b in scan_blocks(page, "表.png", 1)]
        assert "粉煤灰 15.2 12.6" in texts and "脱硫石膏 9.0 8.1" in texts, texts


def test_red_seal_over_text_read_on_the_red_channel(engine_calls):
    page = np.asarray(stamped(form_page(), cx=560, cy=200))
    expected = compact("".join(FORM_LINES))
    colour = compact("".join(ln.text for ln in engine.recognise(np.ascontiguousarray(page[:, :, ::-1]))))
    red = compact("".join(ln.text for ln in engine.ocr_image(page, DPI)))
    assert recall(expected, red) >= recall(expected, colour)
    assert recall(expected, red) > 0.97
    assert CREDIT_CODE in red and "湖北某某环保科技有限公司" in red


def test_pdf_scan_and_garbage_text_layer_read_by_ocr(monkeypatch, engine_calls):
    monkeypatch.setenv("SHENCHA_OCR", "on")
    garbage = read_pdf(pua_pdf(), "乱码.pdf")
    assert not any("\ue000" <= ch <= "\uf8ff" for ch in garbage.full_text())
    assert CREDIT_CODE in garbage.full_text() and "12.6万吨" in garbage.full_text()
    assert garbage.warnings[0].startswith("第1页文字层含私用区字符")
    assert all(b.kind != "image" for b in garbage.blocks)  # not a scan: no picture block
    code = next(b for b in garbage.blocks if CREDIT_CODE in b.text)
    x0, top, _, bottom = code.loc.box  # drawn at x 50 pt, baseline 240 pt up a 300 pt page, 16 pt
    assert abs(x0 - 50) < 4 and abs(top - (300 - 240 - 16)) < 5 and abs(bottom - (300 - 240)) < 6

    scan = read_pdf(scanned_pdf([form_page()]), "扫描件.pdf")
    assert scan.has_text_layer is False
    assert scan.blocks[0].kind == "image" and scan.blocks[0].image.name == "第1页扫描图像"
    assert CREDIT_CODE in scan.full_text()
    code = next(b for b in scan.blocks if CREDIT_CODE in b.text)
    # the picture fills the page: its pixels are at 200 dpi, as the page is rendered
    assert abs(code.loc.box[0] - 100 * PT) < 4 and abs(code.loc.box[1] - 220 * PT) < 5
    assert len(engine_calls) == 2


# ---------------------------------------------------------------------------------------------
# lines into blocks (made-up recogniser output)


def line(text: str, x0: float, top: float, x1: float, h: float = 14.0, conf: float = 0.95) -> OcrLine:
    return OcrLine(text, (x0, top, x1, top + h), conf)


def test_lines_grouped_into_rows_paragraphs_and_headings():
    lines = [
        line("第 3 页", 280, 810, 320),  # a page number at the foot: dropped
        line("一、企业基本情况", 72, 80, 200),
        line("我公司成立于2015年，主要从事工业固体废物综合利用，年利用粉煤灰", 72, 110, 523),
        line("12.6万吨。", 72, 130, 140, conf=0.85),
        line("企业名称：", 72, 160, 140),
        line("湖北某某环保科技有限公司", 300, 161, 470),
        line("（二）利用情况", 72, 200, 180),
    ]
    page = ScannedPage(number=3, width=595, height=842, lines=lines)
    blocks = scan_blocks(page, "a.png", first_paragraph=5)
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "一、企业基本情况"),
        ("paragraph", "我公司成立于2015年，主要从事工业固体废物综合利用，年利用粉煤灰12.6万吨。"),
        ("paragraph", "企业名称： 湖北某某环保科技有限公司"),
        ("heading", "（二）利用情况"),
    ]
    assert [b.loc.paragraph for b in blocks] == [5, 6, 7, 8] and {b.loc.page for b in blocks} == {3}
    assert blocks[1].loc.box == (72, 110, 523, 144)
    n1, n2 = len(lines[2].text), len(lines[3].text)
    assert blocks[1].confidence == round((0.95 * n1 + 0.85 * n2) / (n1 + n2), 3)


def test_box_is_kept_out_of_finding_ids_but_in_report_locations():
    from checkers.finding import Finding
    from service.reports.model import location_dict

    plain = Location(file="a.pdf", page=2, paragraph=4)
    boxed = Location(file="a.pdf", page=2, paragraph=4, box=(1.0, 2.0, 3.0, 4.0))
    assert boxed.model_dump() == plain.model_dump() and "box" not in plain.model_dump()
    ids = [Finding(rule="X.Y", severity="info", message="m", locations=[loc]).id for loc in (plain, boxed)]
    assert ids[0] == ids[1]
    assert location_dict(boxed)["box"] == (1.0, 2.0, 3.0, 4.0) and location_dict(plain)["box"] is None


# ---------------------------------------------------------------------------------------------
# the cache (made-up recogniser)


@pytest.fixture
def fake_engine(monkeypatch):
    calls = []

    def fake(image):
        calls.append(image.shape)
        return [OcrLine("粉煤灰12.6万吨", (10.0, 20.0, 110.0, 40.0), 0.9)]

    monkeypatch.setattr(engine, "recognise", fake)
    return calls


def test_cache_in_memory_and_on_disk(monkeypatch, tmp_path, fake_engine):
    img = np.full((50, 80, 3), 255, np.uint8)
    first = engine.ocr_image(img, 200)
    assert engine.ocr_image(img, 200) == first and len(fake_engine) == 1
    engine.ocr_image(img, 300)  # another resolution: another key
    other = img.copy()
    other[0, 0, 0] = 0
    engine.ocr_image(other, 200)  # another pixel
    assert len(fake_engine) == 3

    monkeypatch.setenv("SHENCHA_OCR_CACHE_DIR", str(tmp_path / "ocr"))
    cache.clear_memory()
    engine.ocr_image(img, 200)
    assert len(fake_engine) == 4
    files = list((tmp_path / "ocr").rglob("*"))
    entries = [p for p in files if p.is_file()]
    assert len(entries) == 1 and entries[0].name == cache.key(img, 200) + ".json"  # no temporary left
    cache.clear_memory()  # a new process: from disk
    assert engine.ocr_image(img, 200) == first and len(fake_engine) == 4
    for corrupt in ('{"key": "', "[]", json.dumps({"key": cache.key(img, 200), "engine": "old", "lines": []})):
        entries[0].write_text(corrupt, encoding="utf-8")
        cache.clear_memory()
        assert engine.ocr_image(img, 200) == first  # ignored, recognised again, written again
    assert len(fake_engine) == 7
    assert json.loads(entries[0].read_text(encoding="utf-8"))["engine"] == engine.ENGINE_VERSION


def test_unwritable_cache_dir_costs_only_the_cache(monkeypatch, tmp_path, fake_engine):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("SHENCHA_OCR_CACHE_DIR", str(blocker / "ocr"))
    assert engine.ocr_image(np.zeros((5, 5, 3), np.uint8)) == [OcrLine("粉煤灰12.6万吨", (10.0, 20.0, 110.0, 40.0), 0.9)]


def test_time_budget_leaves_pages_unrecognised(monkeypatch, fake_engine):
    import extractor.isolation as isolation

    monkeypatch.setenv("SHENCHA_OCR", "on")
    monkeypatch.setattr(isolation, "time_left", lambda: 3.0)
    doc = read_pdf(scanned_pdf([form_page(), form_page()]), "扫描件.pdf")
    assert fake_engine == []
    assert [b.kind for b in doc.blocks] == ["image", "image"]
    assert any("第1–2页（共 2 页）未进行文字识别" in w for w in doc.warnings)


def test_ocr_budget_leaves_pages_unrecognised_and_says_which_limit(monkeypatch, fake_engine):
    import extractor.isolation as isolation

    monkeypatch.setenv("SHENCHA_OCR", "on")
    left = iter([60.0, 0.0])
    monkeypatch.setattr(isolation, "ocr_time_left", lambda: next(left))
    reported = []
    monkeypatch.setattr(isolation, "ocr_page_done", lambda s, done, total: reported.append((done, total)))
    doc = read_pdf(scanned_pdf([form_page(), form_page()]), "扫描件.pdf")
    assert len(fake_engine) == 1 and reported == [(1, 2)]
    assert [b.kind for b in doc.blocks][:1] == ["image"]
    assert any("文字识别用时接近上限 900 秒，第2页未进行文字识别" in w for w in doc.warnings), doc.warnings


def test_engine_that_cannot_start_leaves_a_warning(monkeypatch):
    def broken(image):
        raise ImportError("onnxruntime")

    monkeypatch.setattr(engine, "recognise", broken)
    monkeypatch.setenv("SHENCHA_OCR", "on")
    doc = read_image(png(form_page()), "a.png")
    assert [b.kind for b in doc.blocks] == ["image"]
    assert doc.warnings == ["文字识别程序无法启动（ImportError），扫描页的文字未读取"]


# ---------------------------------------------------------------------------------------------
# page images


def test_image_pages_tiff_frames_exif_and_size(fake_engine):
    frames = [Image.new("RGB", (300, 200), c) for c in ("white", "gray", "black")]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300))
    pages = list(image_pages(buf.getvalue()))
    assert len(pages) == 3 and pages[1].rgb[0, 0].tolist() == [128, 128, 128]
    assert pages[0].points_per_pixel == pytest.approx(72 / 300)
    assert len(list(image_pages(buf.getvalue(), max_pages=2))) == 2

    sideways = Image.new("RGB", (400, 100), "white")
    exif = sideways.getexif()
    exif[0x0112] = 6  # stored turned: displayed rotated 90° clockwise
    buf = io.BytesIO()
    sideways.save(buf, "JPEG", exif=exif.tobytes())
    (page,) = image_pages(buf.getvalue())
    assert page.rgb.shape[:2] == (400, 100)

    huge = Image.new("L", (5000, 4000), 255)  # 20 million pixels, 72 dpi
    (page,) = image_pages(png(huge, dpi=None))
    h, w = page.rgb.shape[:2]
    assert h * w <= MAX_PIXELS and page.rgb.shape[2] == 3
    assert page.points_per_pixel == pytest.approx(5000 / w)  # still the page's points

    rgba = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    (page,) = image_pages(png(rgba))
    assert page.rgb[0, 0].tolist() == [255, 255, 255]  # transparent is paper


def test_pdf_page_rendered_at_200_dpi_as_displayed():
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(scanned_pdf([form_page()]))
    try:
        page = render_pdf_page(doc, 0)
    finally:
        doc.close()
    assert page.points_per_pixel == pytest.approx(PT)
    assert page.rgb.shape == (420, 1400, 3)


# ---------------------------------------------------------------------------------------------
# garbage text layers


@pytest.mark.parametrize(
    ("text", "garbage"),
    [
        ("统一社会信用代码：91420100MA4KXYZ12Q\n粉煤灰利用量为12.6万吨。", False),
        ("目录\n一、企业概况..........................1\n二、利用情况……………………3", False),
        ("序号 名称 产生量 利用量\n1 粉煤灰 15.2 12.6\n2 炉渣 4.1 3.4\n合计 19.3 16.0 (t/a) ±5% ℃ ㎡ ①②", False),
        ("Annual report of solid waste utilisation, 2024: 12.6 kt fly ash.", False),
        ("12", False),
        ("\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008\ue009\ue039\ue031", True),
        ("\ue001\ue002", True),  # all of a few characters unmapped
        ("企业名称\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd有限公司", True),
        ("\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11", True),
        ("ÆóÒµÃû³Æ£ººþ±±Ä³Ä³»·±£¿Æ¼¼ÓÐÏÞ¹«Ë¾ ÀûÓÃÁ¿", True),  # GBK bytes read as Latin-1
        ('!"#$%&\'()*+,/:;<=>?@[\\]^!"#$%&\'()', True),  # glyph ids read as ASCII codes
    ],
)
def test_garbage_text_layer(text, garbage):
    bad, reason = garbage_text(text)
    assert bad is garbage
    assert (reason is not None) is garbage


# ---------------------------------------------------------------------------------------------
# PDFs for the tests


def _canvas(size):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", FONT, subfontIndex=0))
    buf = io.BytesIO()
    return buf, canvas.Canvas(buf, pagesize=size, pageCompression=0)


def pua_pdf() -> bytes:
    """Real text in an embedded font, drawn and rendered correctly, whose ToUnicode map sends
    every code to the private-use area (U+E000 + code): its text layer is garbage."""
    buf, c = _canvas((595, 300))
    c.setFont("WQY", 16)
    c.drawString(50, 240, f"统一社会信用代码：{CREDIT_CODE}")
    c.drawString(50, 200, "粉煤灰利用量为12.6万吨。")
    c.showPage()
    c.save()
    data = buf.getvalue()

    def to_pua(block: re.Match) -> bytes:
        return re.sub(rb"<([0-9A-F]{2})> <[0-9A-F]{4}>", lambda m: b"<" + m.group(1) + b"> <E0" + m.group(1) + b">",
                      block.group(0))

    out = re.sub(rb"beginbfchar.*?endbfchar", to_pua, data, flags=re.S)
    assert out != data and len(out) == len(data)  # same length: the cross-reference table still holds
    return out


def scanned_pdf(images: list[Image.Image]) -> bytes:
    """One page per image, the image filling a page sized for it at 200 dpi: no text layer."""
    from reportlab.lib.utils import ImageReader

    w, h = images[0].size
    buf, c = _canvas((w * PT, h * PT))
    for img in images:
        c.drawImage(ImageReader(img), 0, 0, width=w * PT, height=h * PT)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_ocr_pages_are_progress_on_the_cli_line_and_the_web_page(monkeypatch, tmp_path, fake_engine):
    """Each scanned page recognised is a progress step naming its file: the CLI's line and the
    web page's status show it."""
    from service.review import pipeline
    from service.review.progress import TerminalProgress
    from service.web.pages import _progress_text

    monkeypatch.setenv("SHENCHA_OCR", "on")
    monkeypatch.setenv("SHENCHA_ISOLATE_READS", "0")  # the fake recogniser lives in this process
    (tmp_path / "pkg").mkdir()
    pages = [form_page(), form_page(height=430), form_page(height=440)]  # three different pages
    (tmp_path / "pkg" / "扫描件.pdf").write_bytes(scanned_pdf(pages))
    seen = []
    pipeline.review_package(tmp_path / "pkg", progress=lambda *step: seen.append(step))
    assert [s for s in seen if s[0] == "ocr"] == [("ocr", k, 3, "扫描件.pdf") for k in (1, 2, 3)]
    assert seen.index(("ocr", 1, 3, "扫描件.pdf")) < seen.index(("read", 1, 1, ""))

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    term = Terminal()
    TerminalProgress(term)("ocr", 2, 3, "扫描件.pdf")
    assert "识别扫描页 2/3 扫描件.pdf" in term.getvalue()
    progress = {"stage": "ocr", "done": 2, "total": 3, "detail": "扫描件.pdf"}
    assert _progress_text("running", progress, None) == "识别扫描页 2/3 扫描件.pdf"


def test_a_cell_the_page_recognition_left_empty_is_read_again_alone(monkeypatch):
    """The page's recognition missed the word of one cell (a short word in a narrow column is
    sometimes not detected): the cell, which holds ink, is read again by itself.  A cell with
    no ink is not."""
    from extractor.ocr.render import PageImage

    real = engine.recognise

    def missing_one_word(image):
        return [ln for ln in real(image) if ln.text != "炉渣"]

    monkeypatch.setattr(engine, "recognise", missing_one_word)
    cells = []
    real_cell = engine.recognise_cell
    monkeypatch.setattr(engine, "recognise_cell", lambda img: cells.append(img.shape) or real_cell(img))
    page = scan_reader.read_page_image(PageImage(np.asarray(table_page()), 72 / DPI, DPI), 1, dpi_known=True)
    (table,) = page.tables
    texts = {(pc.row, pc.col): pc.text for pc in table.placed}
    assert texts[2, 0] == "炉渣" and len(cells) == 1
    assert next(pc.confidence for pc in table.placed if (pc.row, pc.col) == (2, 0)) >= 0.8



def test_pages_of_a_long_scan_are_read_side_by_side_as_one_after_the_other(monkeypatch):
    """A file of MIN_PAGES scanned pages or more is recognised by a page pool
    (extractor/ocr/pool.py): what it reads is what one engine reads page by page, and each page
    is reported to the file's budget."""
    import extractor.isolation as isolation
    from extractor.ocr import pool

    monkeypatch.setenv("SHENCHA_OCR", "on")
    pages = [form_page(height=420 + 10 * k) for k in range(pool.MIN_PAGES + 1)]
    data = scanned_pdf(pages)
    started = []
    real_pool = pool.page_pool

    def watched(n):
        started.append(n)
        return real_pool(n)

    monkeypatch.setattr(pool, "page_pool", watched)
    reported = []
    monkeypatch.setattr(isolation, "ocr_page_done", lambda s, done, total: reported.append((done, total)))
    monkeypatch.setenv("SHENCHA_OCR_PAGE_WORKERS", "2")
    side_by_side = read_pdf(data, "扫描件.pdf")
    cache.clear_memory()
    monkeypatch.setenv("SHENCHA_OCR_PAGE_WORKERS", "1")
    in_turn = read_pdf(data, "扫描件.pdf")
    assert started == [len(pages)] * 2
    assert [(b.kind, b.text, b.loc) for b in side_by_side.blocks] == [(b.kind, b.text, b.loc) for b in in_turn.blocks]
    assert sum("企业名称" in b.text for b in side_by_side.blocks) == len(pages)
    assert reported == [(k, len(pages)) for k in range(1, len(pages) + 1)] * 2
