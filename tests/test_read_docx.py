import io

from docx.oxml import parse_xml
from docx.shared import Pt

from extractor.model import Document
from extractor.package import PackageFile
from extractor.quantity import unit_in_header
from extractor.read import read_document
from extractor.readers.docx_reader import read_docx
from tests.fixtures_build import add_text_box, docx_bytes, png_bytes

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _read(build) -> Document:
    return read_docx(docx_bytes(build), "报告.docx")


def _annual_table(d):
    d.add_paragraph("附件3 湖北省工业固体废物资源综合利用情况年报表（2024年）")
    d.add_paragraph("单位：吨")
    t = d.add_table(rows=5, cols=4)
    a = t.cell(0, 0).merge(t.cell(1, 0))
    a.text = "固废名称"
    b = t.cell(0, 1).merge(t.cell(0, 3))
    b.text = "2024年"
    for c, v in enumerate(["产生量（吨）", "利用量（吨）", "利用率"], start=1):
        t.cell(1, c).text = v
    for c, v in enumerate(["粉煤灰", "12.5", "10.0", "80%"]):
        t.cell(2, c).text = v
    for c, v in enumerate(["炉渣", "3", "3", "100%"]):
        t.cell(3, c).text = v
    t.cell(4, 0).text = "合计"  # a total row with no items filled in


def test_merged_cells_header_rows_and_caption():
    doc = _read(_annual_table)
    table = next(doc.tables())
    assert table.index == 1
    assert (table.n_rows, table.n_cols) == (5, 4)
    assert table.text_grid()[:3] == [
        ["固废名称", "2024年", "2024年", "2024年"],
        ["固废名称", "产生量（吨）", "利用量（吨）", "利用率"],
        ["粉煤灰", "12.5", "10.0", "80%"],
    ]
    # vertical merge: A1:A2
    top, below = table.cell(1, 1), table.cell(2, 1)
    assert (top.origin, top.rowspan, top.colspan) == ((1, 1), 2, 1)
    assert below.origin == (1, 1) and below.is_continuation
    # horizontal merge: B1:D1
    assert [table.cell(1, c).origin for c in (2, 3, 4)] == [(1, 2)] * 3
    assert table.cell(1, 4).colspan == 3 and table.cell(1, 4).is_continuation
    assert table.cell(3, 2).origin is None and not table.cell(3, 2).is_continuation
    assert table.header_rows == 2
    assert table.caption == "附件3 湖北省工业固体废物资源综合利用情况年报表（2024年） 单位：吨"
    assert unit_in_header(table.caption) == "吨"
    assert unit_in_header(table.cell(2, 2).text) == "吨"
    # total row with nothing filled in is kept, blank
    assert table.text_grid()[4] == ["合计", "", "", ""]
    # every cell knows where it is
    loc = table.cell(3, 2).loc
    assert (loc.file, loc.table, loc.row, loc.column) == ("报告.docx", 1, 3, 2)
    assert "表1 第3行第2列" in loc.describe()
    # merged cells are not repeated in the flattened text
    assert "固废名称\t2024年\n" in doc.full_text()


def test_empty_table_and_block_order():
    def build(d):
        d.add_paragraph("表1 企业基本情况表")
        d.add_table(rows=2, cols=3)
        d.add_paragraph("正文")

    doc = _read(build)
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["paragraph", "table", "paragraph"]
    assert [b.loc.paragraph for b in doc.blocks] == [1, 2, 3]
    table = doc.blocks[1].table
    assert table.text_grid() == [["", "", ""], ["", "", ""]]
    assert table.header_rows == 0
    assert table.caption == "表1 企业基本情况表"
    assert doc.pages is None


def test_headings_by_style_and_by_numbering():
    def build(d):
        d.add_heading("自评价报告书", level=0)
        d.add_heading("企业基本情况", level=1)
        d.add_paragraph("二、上年度资源综合利用情况")
        d.add_paragraph("（一）经营指标")
        d.add_paragraph(
            "1、企业概况。经营范围、产品产能、实际产量等；利用工业固废数量、品种、来源等；近三年营收、利润、税收等。"
        )
        d.add_paragraph("企业成立于2015年。")

    doc = _read(build)
    got = [(b.kind, b.level, b.numbering, b.text) for b in doc.blocks]
    assert got[0] == ("heading", 1, None, "自评价报告书")
    assert got[1] == ("heading", 1, None, "企业基本情况")
    assert got[2] == ("heading", 1, "二、", "二、上年度资源综合利用情况")
    assert got[3] == ("heading", 2, "（一）", "（一）经营指标")
    assert got[4][:3] == ("paragraph", None, "1、")
    assert got[5] == ("paragraph", None, None, "企业成立于2015年。")
    assert doc.blocks[1].style.lower() == "heading 1"


def _add_chinese_list(d) -> str:
    """A numbering definition like Word's "一、" list; returns its numId."""
    numbering = d.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {W_NS} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _set_num(paragraph, num_id: str, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def test_word_automatic_numbering_is_rendered():
    def build(d):
        num = _add_chinese_list(d)
        for text, lvl in [("企业基本情况", 0), ("企业概况", 1), ("研发能力", 1), ("上年度资源综合利用情况", 0), ("经营指标", 1)]:
            _set_num(d.add_paragraph(text), num, lvl)

    doc = _read(build)
    assert [(b.text, b.kind, b.level) for b in doc.blocks] == [
        ("一、企业基本情况", "heading", 1),
        ("（一）企业概况", "heading", 2),
        ("（二）研发能力", "heading", 2),
        ("二、上年度资源综合利用情况", "heading", 1),
        ("（一）经营指标", "heading", 2),
    ]


def test_picture_and_text_box_become_image_blocks():
    def build(d):
        p = d.add_paragraph("营业执照如下：")
        p.add_run().add_picture(io.BytesIO(png_bytes(80, 60)), width=Pt(120))
        p2 = d.add_paragraph("工艺流程")
        add_text_box(p2, "原料→破碎→成型")
        d.add_paragraph().add_run().add_picture(io.BytesIO(png_bytes()), width=Pt(30))

    doc = _read(build)
    assert [b.kind for b in doc.blocks] == ["paragraph", "image", "paragraph", "image", "image"]
    pic = doc.blocks[1].image
    assert pic.diagram is False and pic.width == 120.0 and pic.height == 90.0
    assert pic.name
    # text-box text is paragraph text, once (not again from the VML fallback)
    assert doc.blocks[2].text == "工艺流程\n原料→破碎→成型"
    box = doc.blocks[3].image
    assert box.diagram is True and box.name == "文本框 1"
    assert (box.width, box.height) == (100.0, 50.0)
    assert doc.blocks[4].loc.paragraph == 5


def test_nested_table_flattened_and_content_control_read():
    def build(d):
        outer = d.add_table(rows=2, cols=2)
        outer.cell(0, 0).text = "项目"
        outer.cell(0, 1).text = "内容"
        outer.cell(1, 0).text = "主要设备"
        inner = outer.cell(1, 1).add_table(rows=2, cols=2)
        inner.cell(0, 0).text = "破碎机"
        inner.cell(0, 1).text = "2台"
        inner.cell(1, 0).text = "球磨机"
        inner.cell(1, 1).text = "1台"
        body = d.element.body
        sdt = parse_xml(
            f"<w:sdt {W_NS}><w:sdtContent><w:p><w:r><w:t>控件内文字</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        )
        body.insert(len(body) - 1, sdt)

    doc = _read(build)
    table = next(doc.tables())
    assert table.n_cols == 2
    assert table.cell(2, 2).text == "破碎机 2台\n球磨机 1台"
    assert doc.blocks[-1].text == "控件内文字"


def test_corrupt_docx_reported_not_raised():
    pf = PackageFile.from_bytes("附件/报告.docx", b"\x00\x01garbage" * 50)
    assert pf.type == "docx"
    doc = read_document(pf)
    assert doc.error is not None and doc.error.startswith("文件已损坏，无法作为 DOCX 读取")
    assert doc.path == "附件/报告.docx" and doc.sha256 == pf.sha256


def test_read_document_fills_identity():
    data = docx_bytes(lambda d: d.add_paragraph("正文"))
    pf = PackageFile.from_bytes("a/b.docx", data)
    doc = read_document(pf)
    assert doc.error is None
    assert (doc.path, doc.type, doc.sha256, doc.size) == ("a/b.docx", "docx", pf.sha256, len(data))
    assert doc.blocks[0].loc.file == "a/b.docx"


def _table(d, grid):
    t = d.add_table(rows=len(grid), cols=len(grid[0]))
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    return t


def test_header_rows_heuristics():
    def build(d):
        d.add_paragraph("表1 年报表")
        _table(d, [  # blank marks "—" in data rows are neither labels nor figures
            ["序号", "固废名称", "产生量(吨)", "利用量(吨)", "备注"],
            ["1", "煤矸石", "—", "204871.45", "外单位接收"],
            ["", "合计", "—", "204871.45", ""],
        ])
        d.add_paragraph("表2 主要生产设备")
        _table(d, [  # no numeric rows: row 1 reads like column titles
            ["设备名称", "规格型号", "数量", "单位"],
            ["电子汽车衡", "SCS-100", "2", "台"],
            ["皮带秤", "ICS-20", "3", "台"],
        ])
        d.add_paragraph("表3 2025年分月综合利用量（单位：吨）")
        _table(d, [  # months and years are titles, not figures
            ["种类", "1月", "2月", "2025年"],
            ["粉煤灰", "12.5", "246749立方米", "308400吨/年"],
        ])
        d.add_paragraph("填报人：张三")
        _table(d, [  # a label/value form: no header
            ["企业名称", "某某公司", "统一社会信用代码", "91420607MA00000000"],
            ["通讯地址", "湖北省襄阳市", "联系人", "唐静"],
            ["联系电话", "0710-3575252", "电子邮箱", "a@b.com"],
            ["主要工艺", "水洗除杂", "主要产品", "石膏粉"],
            ["所属行业", "建材", "企业类型", "民营"],
            ["种类", "产生量(吨)", "利用量(吨)", "利用率"],
            ["粉煤灰", "12.5", "10", "80%"],
        ])

    doc = _read(build)
    tables = list(doc.tables())
    assert [t.header_rows for t in tables] == [1, 1, 1, 0]
    assert [t.caption for t in tables] == ["表1 年报表", "表2 主要生产设备", "表3 2025年分月综合利用量（单位：吨）", None]
