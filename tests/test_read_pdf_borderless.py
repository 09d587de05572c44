"""Borderless tables in text PDFs: "three-line" tables (a rule above the header, one under
it, one at the bottom) and tables with no rules at all, as Word/WPS export them.  The PDFs
are built here with python-docx and LibreOffice."""

import shutil

import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from extractor.readers.pdf_reader import read_pdf
from tests.fixtures_build import cjk_docx_style, docx_bytes, soffice_convert

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/setup.sh")

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PROSE = (
    "报告期内，企业坚持绿色发展理念，持续推进工业固体废物源头减量和资源化利用，建立健全固体废物管理台账，"
    "粉煤灰、炉渣、脱硫石膏等大宗工业固体废物均按照相关标准进行分类贮存和综合利用。"
)
WASTES = [
    ("粉煤灰", "486,320.00", "472,680.00", "97.20", "分选后作为混凝土掺合料外售"),
    ("炉渣", "61,280.00", "59,859.00", "97.68", "破碎筛分后生产砌块"),
    ("脱硫石膏", "93,540.00", "91,275.00", "97.58", "烘干后作水泥缓凝剂"),
    ("除尘灰", "3,120.00", "3,050.00", "97.76", "返回烧结配料"),
]
HEADER = ["序号", "固体废物种类", "产生量（吨）", "综合利用量（吨）", "综合利用率（%）", "利用方式"]


# ------------------------------------------------------------------------------ building


def _borders(element, tag: str, sides: dict[str, str | None]) -> None:
    """Set `w:tblBorders` / `w:tcBorders` (tag) on a tblPr / tcPr: side -> size in eighths of
    a point, or None for no border."""
    box = element.find(qn(f"w:{tag}"))
    if box is None:
        box = OxmlElement(f"w:{tag}")
        element.append(box)
    for side, size in sides.items():
        edge = OxmlElement(f"w:{side}")
        if size is None:
            edge.set(qn("w:val"), "nil")
        else:
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), size)
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), "000000")
        box.append(edge)


NO_BORDERS = dict.fromkeys(["top", "left", "bottom", "right", "insideH", "insideV"])


def _table(d, rows: list[list[str]], three_line: bool, repeat_header: bool = False, tight: bool = False):
    """A table without vertical rules: three-line (rules above and under the header and at
    the bottom) or without any rule.  `tight`: no paragraph spacing in the cells, so rows
    are as close as the lines of a wrapped cell."""
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    tbl_pr = t._tbl.tblPr
    if three_line:
        _borders(tbl_pr, "tblBorders", {**NO_BORDERS, "top": "12", "bottom": "12"})
    else:
        _borders(tbl_pr, "tblBorders", NO_BORDERS)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = t.cell(r, c)
            cell.text = value
            if tight:
                fmt = cell.paragraphs[0].paragraph_format
                fmt.space_before = fmt.space_after = Pt(0)
                fmt.line_spacing = 1.0
            if three_line and r == 0:
                _borders(cell._tc.get_or_add_tcPr(), "tcBorders", {"bottom": "6"})
    if repeat_header:
        t.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {W_NS}/>"))
    return t


def _waste_rows(n: int = 4) -> list[list[str]]:
    out = [HEADER]
    for i in range(n):
        name, made, used, rate, how = WASTES[i % len(WASTES)]
        out.append([str(i + 1), name, made, used, rate, how])
    return out


def _page_break(d) -> None:
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _mixed_docx(d) -> None:
    """Page 1: a TOC, label/value lines, paragraphs and a three-line table; page 2: a
    table without any rule, with a wrapped cell; lists set out with tabs, more prose."""
    cjk_docx_style(d)
    d.add_paragraph("目录")
    for entry in ["一、评价概述……………………………………2", "二、企业基本情况…………………………………3",
                  "三、固体废物综合利用情况…………………………5", "四、结论……………………………………………8"]:
        d.add_paragraph(entry)
    for line in ["联系人：张三\t电话：13800001111\t邮箱：zhangsan@example.com",
                 "法定代表人：李四\t电话：13900002222\t传真：0710-3326180",
                 "填报人：王五\t电话：13700003333\t日期：2025年3月18日"]:
        p = d.add_paragraph(line)
        for pos in (6, 11):
            p.paragraph_format.tab_stops.add_tab_stop(Cm(pos))
    d.add_paragraph("一、固体废物综合利用情况")
    d.add_paragraph(PROSE * 2).paragraph_format.first_line_indent = Pt(21)
    d.add_paragraph("表1 2025年工业固体废物产生及综合利用情况")
    _table(d, _waste_rows(), three_line=True)
    _page_break(d)
    d.add_paragraph("表2 主要生产设备一览表")
    _table(d, [["序号", "设备名称", "型号规格", "数量", "用途"],
               ["1", "涡流分级机", "FJX-30", "2套", "粉煤灰分选"],
               ["2", "真空皮带脱水机（带自动纠偏及滤布清洗装置）", "DU-40", "2台", "石膏脱水"],
               ["3", "汽车衡", "SCS-100", "3台", "出厂计量"],
               ["4", "散装机计量系统", "SZJ-200", "4套", "装车计量"]],
           three_line=False, tight=True)
    d.add_paragraph(PROSE).paragraph_format.first_line_indent = Pt(21)
    # lists set out with tabs: names in a grid, numbered items with their figures
    d.add_paragraph("项目组成员：")
    for line in ["张三\t李四\t王五", "赵六\t钱七\t孙八", "周九\t吴十\t郑十一"]:
        d.add_paragraph(line).paragraph_format.tab_stops.add_tab_stop(Cm(4))
    for line in ["（1）粉煤灰\t486,320吨\t97.2%", "（2）炉渣\t61,280吨\t97.7%", "（3）脱硫石膏\t93,540吨\t97.6%"]:
        d.add_paragraph(line)
    d.add_paragraph("（一）计量统计体系")
    d.add_paragraph(PROSE * 2).paragraph_format.first_line_indent = Pt(21)


def _running_header_and_page_number(d) -> None:
    section = d.sections[0]
    section.header.paragraphs[0].text = "湖北中科绿源节能环保技术服务有限公司  ZKLY-PJ-2026-0032"
    footer = section.footer.paragraphs[0]
    footer.alignment = 1
    footer._p.append(parse_xml(f'<w:fldSimple {W_NS} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _continued_docx(d, split: bool) -> None:
    """A three-line table of 60 rows over two pages, under a running header and over page
    numbers.  `split`: as people do it, two tables with a 续表 line on the second page;
    otherwise one table whose header repeats."""
    cjk_docx_style(d)
    _running_header_and_page_number(d)
    d.add_paragraph("三、固体废物综合利用情况")
    d.add_paragraph(PROSE).paragraph_format.first_line_indent = Pt(21)
    d.add_paragraph("表3 2025年每日综合利用量（单位：吨）")
    header = ["日期", "粉煤灰", "炉渣", "脱硫石膏", "合计"]
    rows = [[f"1月{i + 1}日" if i < 31 else f"2月{i - 30}日", f"{1200 + i * 7.25:.2f}", f"{160 + i * 1.5:.2f}",
             f"{250 + i:.2f}", f"{1200 + i * 7.25 + 160 + i * 1.5 + 250 + i:.2f}"] for i in range(60)]
    if split:
        _table(d, [header, *rows[:36]], three_line=True)
        _page_break(d)
        d.add_paragraph("续表3")
        _table(d, [header, *rows[36:]], three_line=True)
    else:
        _table(d, [header, *rows], three_line=True, repeat_header=True)
    d.add_paragraph(PROSE).paragraph_format.first_line_indent = Pt(21)


def _plain_continued_docx(d) -> None:
    """A table without any rule, rows as close as lines, over two pages with no header on
    the second; a two-level header with merged cells."""
    cjk_docx_style(d)
    _running_header_and_page_number(d)
    d.add_paragraph("附表 2025年各月固体废物产生及利用情况")
    rows = [["月份", "粉煤灰", "", "炉渣", ""], ["", "产生量", "利用量", "产生量", "利用量"]]
    for i in range(70):
        rows.append([f"第{i + 1}批", f"{3000 + i * 11.5:.1f}", f"{2900 + i * 11:.1f}", f"{400 + i:.1f}", f"{390 + i:.1f}"])
    t = _table(d, rows, three_line=False, tight=True)
    t.cell(0, 1).merge(t.cell(0, 2)).text = "粉煤灰"
    t.cell(0, 3).merge(t.cell(0, 4)).text = "炉渣"
    t.cell(0, 0).merge(t.cell(1, 0)).text = "月份"
    for c in range(5):
        for p in t.cell(0, c).paragraphs + t.cell(1, c).paragraphs:
            p.alignment = 1
    d.add_paragraph(PROSE).paragraph_format.first_line_indent = Pt(21)


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def mixed():
    return read_pdf(soffice_convert(docx_bytes(_mixed_docx), "mixed.docx"), "mixed.pdf")


@pytest.fixture(scope="module")
def continued_split():
    return read_pdf(soffice_convert(docx_bytes(lambda d: _continued_docx(d, True)), "c.docx"), "c.pdf")


@pytest.fixture(scope="module")
def continued_repeat():
    return read_pdf(soffice_convert(docx_bytes(lambda d: _continued_docx(d, False)), "r.docx"), "r.pdf")


@pytest.fixture(scope="module")
def plain_continued():
    return read_pdf(soffice_convert(docx_bytes(_plain_continued_docx), "p.docx"), "p.pdf")


def _blocks(doc, page):
    return [b for b in doc.blocks if b.loc.page == page]


# ------------------------------------------------------------------------------ tests


def test_three_line_table_becomes_a_table(mixed):
    tables = list(mixed.tables())
    t = tables[0]
    assert t.text_grid() == _waste_rows()
    assert (t.n_rows, t.n_cols, t.header_rows) == (5, 6, 1)
    assert t.caption == "表1 2025年工业固体废物产生及综合利用情况"
    assert t.pages == [1] and t.loc.page == 1
    cell = t.cell(3, 3)
    assert (cell.text, cell.loc.page, cell.loc.table, cell.loc.row, cell.loc.column) == ("61,280.00", 1, 1, 3, 3)
    # the wrapped 利用方式 cells are one cell each
    assert t.cell(2, 6).text == "分选后作为混凝土掺合料外售"


def test_table_without_rules_becomes_a_table(mixed):
    t = list(mixed.tables())[1]
    assert t.text_grid() == [
        ["序号", "设备名称", "型号规格", "数量", "用途"],
        ["1", "涡流分级机", "FJX-30", "2套", "粉煤灰分选"],
        ["2", "真空皮带脱水机（带自动纠偏及滤布清洗装置）", "DU-40", "2台", "石膏脱水"],
        ["3", "汽车衡", "SCS-100", "3台", "出厂计量"],
        ["4", "散装机计量系统", "SZJ-200", "4套", "装车计量"],
    ]
    assert t.caption == "表2主要生产设备一览表" and t.pages == [2]
    assert t.rows[2][1].loc.page == 2 and t.header_rows == 1


def test_paragraphs_toc_label_lines_and_lists_stay_paragraphs(mixed):
    assert len(list(mixed.tables())) == 2
    texts = [b.text for b in mixed.blocks if b.kind != "table"]
    assert "一、评价概述……………………………………2" in texts
    assert any(t.startswith("联系人：张三") for t in texts)
    assert any("法定代表人：李四" in t for t in texts)
    assert any(t.startswith("报告期内，企业坚持绿色发展理念") for t in texts)
    assert any(t.startswith("张三") and "王五" in t for t in texts)
    assert any(t.startswith("（3）脱硫石膏") for t in texts)
    # no text of the tables is left behind as a paragraph
    assert not any("486,320.00" in t or "涡流分级机" in t for t in texts)


def test_two_page_table_under_xu_biao_is_one_table(continued_split):
    tables = list(continued_split.tables())
    assert len(tables) == 1
    t = tables[0]
    assert len(t.pages) >= 2 and t.n_cols == 5 and t.header_rows == 1
    assert t.n_rows == 61  # the header once, 60 days
    assert [r[0].text for r in t.rows[1:]] == [f"1月{i}日" for i in range(1, 32)] + [f"2月{i}日" for i in range(1, 30)]
    assert t.rows[-1][4].loc.page == t.pages[-1] and t.rows[1][0].loc.page == 1
    assert not any(b.text.startswith("续表") for b in continued_split.blocks if b.kind != "table")


def test_two_page_table_with_repeated_header_is_one_table(continued_repeat):
    tables = list(continued_repeat.tables())
    assert len(tables) == 1
    t = tables[0]
    assert t.n_rows == 61 and t.n_cols == 5 and len(t.pages) >= 2
    assert t.text_grid()[0] == ["日期", "粉煤灰", "炉渣", "脱硫石膏", "合计"]
    assert t.text_grid()[-1] == ["2月29日", "1627.75", "248.50", "309.00", "2185.25"]


def test_running_headers_and_page_numbers_are_no_rows(continued_split, continued_repeat, plain_continued):
    for doc in (continued_split, continued_repeat, plain_continued):
        for t in doc.tables():
            for row in t.rows:
                assert not any("ZKLY" in c.text or "湖北中科绿源" in c.text for c in row)
                assert not (row[0].text.isdigit() and not any(c.text for c in row[1:]))


def test_table_without_rules_continued_without_header(plain_continued):
    tables = list(plain_continued.tables())
    assert len(tables) == 1
    t = tables[0]
    assert len(t.pages) >= 2 and t.n_cols == 5 and t.n_rows == 72
    assert [r[0].text for r in t.rows[2:]] == [f"第{i}批" for i in range(1, 71)]
    assert t.text_grid()[-1] == ["第70批", f"{3000 + 69 * 11.5:.1f}", f"{2900 + 69 * 11:.1f}", "469.0", "459.0"]
    # the header: 粉煤灰 and 炉渣 over two columns each, 月份 over both header rows
    assert t.text_grid()[:2] == [
        ["月份", "粉煤灰", "粉煤灰", "炉渣", "炉渣"],
        ["月份", "产生量", "利用量", "产生量", "利用量"],
    ]
    assert (t.cell(1, 2).colspan, t.cell(1, 3).origin) == (2, (1, 2))
    assert (t.cell(1, 1).rowspan, t.cell(2, 1).origin) == (2, (1, 1))
    assert t.header_rows == 2
