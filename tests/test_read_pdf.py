import shutil

import pytest
from docx.oxml import parse_xml
from docx.shared import Pt

from extractor.package import PackageFile
from extractor.read import read_document
from extractor.readers.pdf_reader import read_pdf
from tests.fixtures_build import cjk_docx_style, docx_bytes, reportlab_pdf, scanned_pdf, soffice_convert

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
LONG = "企业成立于2015年3月，注册资本5000万元，主要从事粉煤灰、炉渣等工业固体废物的综合利用，年产新型墙体材料12.5万立方米，通过了ISO9001认证。"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


def _report_docx(d):
    cjk_docx_style(d)
    d.add_paragraph("湖北省工业固体废物资源综合利用评价报告")
    d.add_paragraph("一、企业基本情况")
    p = d.add_paragraph(LONG * 3)
    p.paragraph_format.first_line_indent = Pt(21)
    d.add_paragraph("附件3 湖北省工业固体废物资源综合利用情况年报表（2024年）")
    d.add_paragraph("单位：吨")
    t = d.add_table(rows=2, cols=4)
    t.style = "Table Grid"
    t.cell(0, 0).merge(t.cell(1, 0)).text = "固废名称"
    t.cell(0, 1).merge(t.cell(0, 3)).text = "2024年"
    for c, v in enumerate(["产生量", "利用量", "利用率"], 1):
        t.cell(1, c).text = v
    for row in t.rows:  # "repeat as header row": LibreOffice prints them again on page 2
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {W_NS}/>"))
    for i in range(45):
        cells = t.add_row().cells
        for c, v in enumerate([f"固废{i + 1}", f"{i * 1.5:.1f}", f"{i * 1.2:.2f}", f"{80 + i % 20}%"]):
            cells[c].text = v
    d.add_paragraph("二、工艺技术介绍")
    d.add_paragraph("采用先进的蒸压加气工艺。")
    t2 = d.add_table(rows=2, cols=2)
    t2.style = "Table Grid"
    for (r, c), v in {(0, 0): "设备", (0, 1): "数量（台）", (1, 0): "破碎机", (1, 1): "2"}.items():
        t2.cell(r, c).text = v


@pytest.fixture(scope="module")
def exported_data():
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    return soffice_convert(docx_bytes(_report_docx), "report.docx")


@pytest.fixture(scope="module")
def exported(exported_data):
    return read_pdf(exported_data, "report.pdf")


@needs_soffice
def test_table_continued_over_pages_is_joined(exported):
    tables = list(exported.tables())
    assert len(tables) == 2
    t = tables[0]
    assert exported.pages == 2 and t.pages == [1, 2]
    # 2 header rows + 45 data rows; the header LibreOffice repeats on page 2 is dropped
    assert (t.n_rows, t.n_cols) == (47, 4)
    assert [r[0].text for r in t.rows[2:]] == [f"固废{i}" for i in range(1, 46)]
    assert t.header_rows == 2
    assert {c.loc.page for c in t.rows[2]} == {1} and {c.loc.page for c in t.rows[-1]} == {2}
    assert t.rows[-1][3].loc.row == 47 and t.rows[-1][3].loc.table == 1
    assert t.caption == "附件3湖北省工业固体废物资源综合利用情况年报表（2024年） 单位：吨"


@needs_soffice
def test_merged_cells_resolved(exported):
    t = next(exported.tables())
    assert t.text_grid()[:2] == [["固废名称", "2024年", "2024年", "2024年"], ["固废名称", "产生量", "利用量", "利用率"]]
    assert (t.cell(1, 1).rowspan, t.cell(2, 1).origin) == (2, (1, 1))
    assert (t.cell(1, 2).colspan, t.cell(1, 4).origin) == (3, (1, 2))
    assert t.cell(3, 2).origin is None


@needs_soffice
def test_paragraphs_rejoined_and_cjk_spacing_removed(exported):
    texts = [b.text for b in exported.text_blocks()]
    assert texts[0] == "湖北省工业固体废物资源综合利用评价报告"
    assert texts[2] == LONG * 3  # many wrapped lines, one paragraph, no inserted spaces
    assert "2015年3月" in texts[2] and "ISO9001认证" in texts[2]
    heads = [(b.text, b.level, b.numbering) for b in exported.headings()]
    assert heads == [("一、企业基本情况", 1, "一、"), ("二、工艺技术介绍", 1, "二、")]
    # table text is not repeated as paragraphs
    assert not any("固废1" in t or "破碎机" in t for t in texts)
    assert [b.kind for b in exported.blocks] == [
        "paragraph", "heading", "paragraph", "paragraph", "paragraph", "table", "heading", "paragraph", "table",
    ]
    assert [b.loc.paragraph for b in exported.blocks] == list(range(1, 10))
    assert exported.blocks[6].loc.page == 2


@needs_soffice
def test_table_after_paragraph_not_joined(exported):
    second = list(exported.tables())[1]
    assert second.index == 2 and second.pages == [2]
    assert second.text_grid() == [["设备", "数量（台）"], ["破碎机", "2"]]


def _draw_lines(lines_by_page):
    def draw(c, page_no):
        c.setFont("WQY", 12)
        for x, y, text in lines_by_page[page_no - 1]:
            c.drawString(x, y, text)

    return reportlab_pdf(draw, pages=len(lines_by_page))


FULL = "资源综合利用企业应当建立完善的计量统计体系并如实记录固废来源" + "数量"  # 33 chars ≈ 396 pt


def test_paragraph_rules_and_page_continuation(monkeypatch):
    import pdfplumber

    def no_plumber(*a, **k):
        raise AssertionError("pdfplumber must not run on pages without ruling lines")

    monkeypatch.setattr(pdfplumber, "open", no_plumber)
    pages = [
        [
            (72, 760, "一、企业基本情况"),
            (96, 740, FULL[:31]),  # indented first line
            (72, 722, FULL),
            (72, 704, "台账齐全。"),
            (72, 686, "（一）经营指标"),
            (72, 668, FULL),
            (72, 620, FULL),  # after a vertical gap: a new paragraph
            (72, 602, FULL),  # runs to the margin at the page end: continues on page 2
            (290, 40, "- 1 -"),
        ],
        [
            (72, 760, "继续的文字。"),
            (290, 40, "- 2 -"),
        ],
    ]
    doc = read_pdf(_draw_lines(pages), "rl.pdf")
    got = [(b.kind, b.text, b.loc.page) for b in doc.blocks]
    assert got == [
        ("heading", "一、企业基本情况", 1),
        ("paragraph", FULL[:31] + FULL + "台账齐全。", 1),
        ("heading", "（一）经营指标", 1),
        ("paragraph", FULL, 1),
        ("paragraph", FULL + FULL + "继续的文字。", 1),
    ]
    assert doc.pages == 2 and doc.has_text_layer


def test_spaces_between_cjk_and_digits_removed():
    doc = read_pdf(_draw_lines([[(72, 700, "截至 2024 年 12 月，利用量 12.5 万吨。")]]), "s.pdf")
    assert doc.blocks[0].text == "截至2024年12月，利用量12.5万吨。"


def test_scanned_pdf_has_no_text_layer():
    doc = read_pdf(scanned_pdf(pages=2), "扫描件.pdf")
    assert doc.pages == 2 and doc.has_text_layer is False
    assert [(b.kind, b.image.name, b.loc.page) for b in doc.blocks] == [
        ("image", "第1页扫描图像", 1),
        ("image", "第2页扫描图像", 2),
    ]


def test_mixed_text_and_scanned_pages():
    from reportlab.lib.utils import ImageReader
    import io
    from tests.fixtures_build import png_bytes

    img = ImageReader(io.BytesIO(png_bytes(100, 100)))

    def draw(c, page_no):
        if page_no == 1:
            c.setFont("WQY", 12)
            c.drawString(72, 700, "四、企业工艺技术")
            c.drawImage(img, 72, 450, width=300, height=200)  # a figure between text lines
            c.drawString(72, 430, "图1 生产工艺流程图")
            c.drawImage(img, 72, 300, width=10, height=10)  # a bullet-sized picture: ignored
        else:
            c.drawImage(img, 50, 200, width=400, height=400)

    doc = read_pdf(reportlab_pdf(draw, pages=2), "m.pdf")
    assert doc.has_text_layer is True
    assert [(b.kind, b.loc.page) for b in doc.blocks] == [("heading", 1), ("image", 1), ("paragraph", 1), ("image", 2)]
    figure = doc.blocks[1].image
    assert (figure.name, figure.width, figure.height) == ("第1页图片1", 300.0, 200.0)
    assert doc.blocks[3].image.name == "第2页扫描图像"
    assert doc.warnings == ["第2页为扫描图像，无文字层"]


def test_encrypted_pdf_reported():
    data = reportlab_pdf(lambda c, n: (c.setFont("WQY", 12), c.drawString(72, 700, "机密")), encrypt="secret")
    doc = read_document(PackageFile.from_bytes("加密.pdf", data))
    assert doc.error is not None and "PDF 已加密" in doc.error
    assert doc.blocks == []


@pytest.mark.parametrize("data", [b"%PDF-1.4\n" + b"\x00garbage" * 100, b"random bytes, not a pdf" * 20])
def test_corrupt_pdf_reported(data):
    pf = PackageFile.from_bytes("坏.pdf", data)
    assert pf.type == "pdf"
    doc = read_document(pf)
    assert doc.error is not None and doc.error.startswith("文件已损坏，无法作为 PDF 读取")


def test_running_header_and_page_numbers_dropped():
    pages = [
        [(200, 810, "某某建材有限公司自评价报告"), (72, 700, "第一页正文。"), (290, 30, "第 1 页")],
        [(200, 810, "某某建材有限公司自评价报告"), (72, 700, "第二页正文。"), (290, 30, "第 2 页")],
    ]
    doc = read_pdf(_draw_lines(pages), "h.pdf")
    assert [b.text for b in doc.blocks] == ["第一页正文。", "第二页正文。"]


def test_repeated_body_line_at_page_top_is_kept():
    # the same first body line on two pages is content when it runs on into the body
    page = [(72, 790, "承诺：所提交材料真实有效。"), (72, 772, "企业负责人签字。")]
    doc = read_pdf(_draw_lines([page, page]), "c.pdf")
    assert [b.text for b in doc.blocks] == ["承诺：所提交材料真实有效。", "企业负责人签字。"] * 2


# ---------------------------------------------------------------------------------------
# tables from pdfium's ruling, without pdfplumber's page parse


def _no_pdfplumber(monkeypatch):
    import pdfplumber

    def refuse(*a, **k):
        raise AssertionError("pdfplumber must not parse a page whose ruling pdfium reads")

    monkeypatch.setattr(pdfplumber, "open", refuse)


def _table_summary(doc):
    return [
        (t.text_grid(), [[c.origin for c in r] for r in t.rows], t.header_rows, t.caption, t.pages)
        for t in doc.tables()
    ]


@needs_soffice
def test_exported_tables_read_without_pdfplumber(exported_data, monkeypatch):
    _no_pdfplumber(monkeypatch)
    doc = read_pdf(exported_data, "report.pdf")
    first, second = doc.tables()
    assert (first.n_rows, first.n_cols, first.pages, first.header_rows) == (47, 4, [1, 2], 2)
    assert first.text_grid()[:3] == [
        ["固废名称", "2024年", "2024年", "2024年"],
        ["固废名称", "产生量", "利用量", "利用率"],
        ["固废1", "0.0", "0.00", "80%"],
    ]
    assert second.text_grid() == [["设备", "数量（台）"], ["破碎机", "2"]]


@needs_soffice
def test_pdfplumber_fallback_when_pdfium_cannot_give_the_ruling(exported_data, exported, monkeypatch):
    from extractor.readers import pdf_tables

    def unreadable(*a, **k):
        raise pdf_tables.UnreadableGeometry("path segments")

    monkeypatch.setattr(pdf_tables, "_path_edges", unreadable)
    doc = read_pdf(exported_data, "report.pdf")
    assert _table_summary(doc) == _table_summary(exported)
    assert [b.text for b in doc.text_blocks()] == [b.text for b in exported.text_blocks()]


def _ruled_grid(c, xs, ys, texts, rule):
    """Ruling through `xs` × `ys` (ys top to bottom) drawn by `rule(c, x0, y0, x1, y1)`,
    and `texts[r][k]` written in each cell."""
    for y in ys:
        rule(c, xs[0], y, xs[-1], y)
    for x in xs:
        rule(c, x, ys[0], x, ys[-1])
    for r, row in enumerate(texts):
        for k, text in enumerate(row):
            c.drawString(xs[k] + 4, ys[r] - 17, text)


def _thin_rect(c, x0, y0, x1, y1):
    # how Word and some printers draw cell borders: 0.5 pt wide filled rectangles
    if y0 == y1:
        c.rect(x0, y0 - 0.25, x1 - x0, 0.5, stroke=0, fill=1)
    else:
        c.rect(x0 - 0.25, min(y0, y1), 0.5, abs(y1 - y0), stroke=0, fill=1)


def test_tables_from_filled_rectangles_forms_and_stroked_lines(monkeypatch):
    _no_pdfplumber(monkeypatch)

    def draw(c, page_no):
        c.setFont("WQY", 11)
        c.drawString(72, 780, "表1 设备清单")
        _ruled_grid(c, [72, 172, 330, 420], [760, 735, 710, 685],
                    [["设备名称", "规格型号", "数量"], ["破碎机", "PE-600 type A", "2"], ["球磨机", "MQG 1530", "1"]],
                    _thin_rect)
        c.drawString(72, 640, "表2 年度产量")
        # a table drawn once as a form XObject and placed on the page by a translation
        c.beginForm("table2")
        c.setFont("WQY", 11)
        _ruled_grid(c, [0, 100, 200], [75, 50, 25], [["年份", "产量"], ["2024", "12.5"]],
                    lambda c, x0, y0, x1, y1: c.line(x0, y0, x1, y1))
        c.endForm()
        c.saveState()
        c.translate(72, 545)
        c.doForm("table2")
        c.restoreState()
        c.drawString(72, 500, "表3 带斜线表头")
        _ruled_grid(c, [72, 200, 320], [480, 450, 425], [["", "2024"], ["利用量", "12.5"]],
                    lambda c, x0, y0, x1, y1: c.line(x0, y0, x1, y1))
        c.line(72, 480, 200, 450)  # a diagonal header rule is no column edge
        c.drawString(150, 468, "年份")
        c.drawString(80, 455, "项目")
        c.drawString(72, 380, "以上数据真实。")

    doc = read_pdf(reportlab_pdf(draw), "t.pdf")
    assert [(b.kind, b.text) for b in doc.blocks if b.kind != "table"] == [
        ("paragraph", "表1设备清单"), ("paragraph", "表2年度产量"), ("paragraph", "表3带斜线表头"),
        ("paragraph", "以上数据真实。"),
    ]
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph", "table", "paragraph", "table", "paragraph"]
    t1, t2, t3 = doc.tables()
    assert t1.text_grid() == [["设备名称", "规格型号", "数量"], ["破碎机", "PE-600 type A", "2"], ["球磨机", "MQG 1530", "1"]]
    assert (t1.caption, t1.header_rows) == ("表1设备清单", 1)
    assert t2.text_grid() == [["年份", "产量"], ["2024", "12.5"]]
    assert t2.caption == "表2年度产量"
    assert t3.text_grid() == [["年份项目", "2024"], ["利用量", "12.5"]]


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_table_on_a_turned_page_read_as_displayed(rotation, monkeypatch):
    import io

    import pypdfium2 as pdfium

    _no_pdfplumber(monkeypatch)
    width, height = 595.2756, 841.8898  # A4, as reportlab draws it
    # content drawn turned against the page's /Rotate, so that it is displayed upright
    shift = {0: (0, 0), 90: (width, 0), 180: (width, height), 270: (0, height)}[rotation]

    def draw(c, page_no):
        c.translate(*shift)
        c.rotate(rotation)
        c.setFont("WQY", 11)
        c.drawString(72, 540, "表5 横向表格")
        _ruled_grid(c, [72, 200, 330, 460], [520, 495, 470, 445],
                    [[f"横{r}{k}" for k in range(3)] for r in range(3)],
                    lambda c, x0, y0, x1, y1: c.line(x0, y0, x1, y1))
        c.drawString(72, 400, "表后说明文字。")

    pdf = pdfium.PdfDocument(reportlab_pdf(draw))
    pdf[0].set_rotation(rotation)
    buf = io.BytesIO()
    pdf.save(buf)
    doc = read_pdf(buf.getvalue(), "turned.pdf")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "表5横向表格"), ("table", ""), ("paragraph", "表后说明文字。"),
    ]
    table = next(doc.tables())
    assert table.text_grid() == [[f"横{r}{k}" for k in range(3)] for r in range(3)]
    assert table.caption == "表5横向表格"
