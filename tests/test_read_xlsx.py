import datetime as dt
import shutil

import pytest

from extractor.package import PackageFile
from extractor.read import read_document
from extractor.readers.xlsx_reader import format_number, read_xlsx
from tests.fixtures_build import soffice_convert, xlsx_bytes


def _annual_report(wb):
    ws = wb.active
    ws.title = "年报表"
    ws["A1"] = "附件3 湖北省工业固体废物资源综合利用情况年报表（2024年）"
    ws.merge_cells("A1:E1")
    ws["A2"] = "填报单位名称：某某建材有限公司"
    ws["D2"] = "单位：吨"
    ws["A3"] = "固废名称"
    ws.merge_cells("A3:A4")
    ws["B3"] = "2024年"
    ws.merge_cells("B3:D3")
    ws["E3"] = "综合利用率"
    ws.merge_cells("E3:E4")
    ws["B4"], ws["C4"], ws["D4"] = "产生量", "利用量", "贮存量"
    ws["A5"], ws["B5"], ws["C5"], ws["D5"], ws["E5"] = "粉煤灰", 12.5, 10, 2.5, 0.8
    ws["B5"].number_format = "0.00"
    ws["E5"].number_format = "0.0%"
    ws["A6"], ws["B6"], ws["C6"] = "炉渣", 1234567.891, 3
    ws["B6"].number_format = "#,##0.00"
    ws["A7"] = "合计"
    ws["B7"] = "=SUM(B5:B6)"
    ws["A8"] = "填报人：张三"
    ws["D8"] = "联系电话：13800000000"
    ws["A10"] = "填报日期"
    ws["B10"] = dt.date(2025, 3, 1)
    ws["A11"] = "备注"
    ws["B11"] = "无"


def test_titles_become_paragraphs_and_table_grid():
    doc = read_xlsx(xlsx_bytes(_annual_report), "年报表.xlsx")
    assert doc.type == "xlsx" and doc.error is None
    texts = [(b.kind, b.text, b.loc.cell) for b in doc.blocks if b.kind != "table"]
    assert texts[:3] == [
        ("paragraph", "附件3 湖北省工业固体废物资源综合利用情况年报表（2024年）", "A1"),
        ("paragraph", "填报单位名称：某某建材有限公司", "A2"),
        ("paragraph", "单位：吨", "D2"),
    ]
    assert ("paragraph", "填报人：张三", "A8") in texts
    assert ("paragraph", "联系电话：13800000000", "D8") in texts
    tables = list(doc.tables())
    assert len(tables) == 2  # split at the blank row 9
    t = tables[0]
    assert (t.n_rows, t.n_cols, t.header_rows) == (5, 5, 2)
    assert t.loc.sheet == "年报表" and t.loc.cell == "A3"
    assert t.caption == "附件3 湖北省工业固体废物资源综合利用情况年报表（2024年） 填报单位名称：某某建材有限公司 单位：吨"
    assert t.text_grid() == [
        ["固废名称", "2024年", "2024年", "2024年", "综合利用率"],
        ["固废名称", "产生量", "利用量", "贮存量", "综合利用率"],
        ["粉煤灰", "12.50", "10", "2.5", "80.0%"],
        ["炉渣", "1,234,567.89", "3", "", ""],
        ["合计", "", "", "", ""],
    ]
    assert t.cell(2, 5).origin == (1, 5) and t.cell(1, 5).rowspan == 2
    assert t.cell(1, 3).origin == (1, 2) and t.cell(1, 2).colspan == 3
    c = t.cell(3, 2)
    assert (c.loc.sheet, c.loc.cell, c.loc.table, c.loc.row, c.loc.column) == ("年报表", "B5", 1, 3, 2)
    assert "工作表「年报表」 单元格B5" in c.loc.describe()
    second = tables[1]
    assert second.text_grid() == [["填报日期", "2025-03-01"], ["备注", "无"]]
    assert second.loc.cell == "A10"


def test_formula_without_cached_value_warns():
    doc = read_xlsx(xlsx_bytes(_annual_report), "年报表.xlsx")
    assert doc.warnings == ["工作表「年报表」单元格B7为公式但无缓存计算值"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed to compute cached values")
def test_formula_with_cached_value_reads_value():
    data = soffice_convert(xlsx_bytes(_annual_report), "in.xlsx", "xlsx")
    doc = read_xlsx(data, "年报表.xlsx")
    assert doc.warnings == []
    table = next(doc.tables())
    assert table.cell(5, 1).text == "合计"
    assert table.cell(5, 2).text == "1234580.391"


def test_hidden_sheet_skipped_with_warning_and_empty_sheet():
    def build(wb):
        wb.active.title = "空表"
        hidden = wb.create_sheet("底稿")
        hidden["A1"] = "内部数据"
        hidden.sheet_state = "hidden"
        ws = wb.create_sheet("基本情况")
        ws["A1"], ws["B1"] = "企业名称", "某某公司"
        ws["A2"], ws["B2"] = "从业人数", 120

    doc = read_xlsx(xlsx_bytes(build), "b.xlsx")
    assert doc.warnings == ["工作表「底稿」为隐藏工作表，已跳过"]
    assert all(b.loc.sheet == "基本情况" for b in doc.blocks)
    assert [t.text_grid() for t in doc.tables()] == [[["企业名称", "某某公司"], ["从业人数", "120"]]]


def test_single_column_sheet_is_paragraphs():
    def build(wb):
        ws = wb.active
        ws["A1"] = "一、企业基本情况"
        ws["A2"] = "企业成立于2015年，主要从事粉煤灰综合利用。"

    doc = read_xlsx(xlsx_bytes(build), "c.xlsx")
    assert [(b.kind, b.text, b.level) for b in doc.blocks] == [
        ("heading", "一、企业基本情况", 1),
        ("paragraph", "企业成立于2015年，主要从事粉煤灰综合利用。", None),
    ]


@pytest.mark.parametrize(
    "value, fmt, shown",
    [
        (0.853, "0.0%", "85.3%"),
        (0.85, "0%", "85%"),
        (12.5, "0.00", "12.50"),
        (2.675, "0.00", "2.68"),
        (1234.5, "#,##0.00_ ;[Red]-#,##0.00 ", "1,234.50"),
        (-1234.5, "#,##0.0", "-1,234.5"),
        (5, '0.00"万吨"', "5.00万吨"),
        (0.1 + 0.2, "General", "0.3"),
        (3.0, "General", "3"),
        (3, "0.0#", "3.0"),
        (3.14159, "0.0#", "3.14"),
        (12, "@", "12"),
    ],
)
def test_displayed_number_text(value, fmt, shown):
    assert format_number(value, fmt) == shown


def test_corrupt_xlsx_reported():
    pf = PackageFile.from_bytes("年报表.xlsx", b"not a workbook at all")
    doc = read_document(pf)
    assert doc.error is not None and doc.error.startswith("文件已损坏，无法作为 XLSX 读取")


def test_attachment_label_and_merged_title_above_table():
    def build(wb):
        ws = wb.active
        ws["A1"] = "附表"
        ws["A2"] = "工业资源综合利用标杆企业指标表"
        ws.merge_cells("A2:D2")
        ws["A3"] = "填报单位：某某公司"
        ws.merge_cells("A3:D3")
        for r, row in enumerate([["序号", "指标名称", "单位", "上年度情况"], [1, "企业年销售收入", "元", 901457600]], start=4):
            for c, v in enumerate(row, start=1):
                ws.cell(r, c, v)

    doc = read_xlsx(xlsx_bytes(build), "附表.xlsx")
    assert [b.text for b in doc.blocks if b.kind != "table"] == ["附表", "工业资源综合利用标杆企业指标表", "填报单位：某某公司"]
    table = next(doc.tables())
    assert table.loc.cell == "A4" and table.header_rows == 1
    assert table.caption == "工业资源综合利用标杆企业指标表 填报单位：某某公司"
    assert table.text_grid()[1] == ["1", "企业年销售收入", "元", "901457600"]
