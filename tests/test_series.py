"""The year-series table reader (extractor/forms/series.py) on Word tables written by hand."""

from extractor.forms.series import read_series, series_in, years_in_line
from extractor.package import PackageFile
from extractor.read import read_document
from tests.fixtures_build import docx_bytes


def _doc(build):
    return read_document(PackageFile.from_bytes("t.docx", docx_bytes(build)))


def _table(d, grid, merges=()):
    t = d.add_table(rows=len(grid), cols=len(grid[0]))
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    for (r1, c1), (r2, c2) in merges:
        merged = t.cell(r1, c1).merge(t.cell(r2, c2))
        merged.text = grid[r1][c1]
    return t


def _figures(block):
    return [(r.label, r.unit, {y: c.text for y, c in r.cells.items()}) if r else None for r in block.rows]


def test_year_columns_unit_column_and_parts():
    doc = _doc(lambda d: _table(d, [
        ["指标", "单位", "2021年", "2022年度", "2023年数据"],
        ["工业总产值", "万元", "1200", "1300", "1400"],
        ["二、固体废物", "二、固体废物", "二、固体废物", "二、固体废物", "二、固体废物"],
        ["产生量", "万吨", "12.5", "13", "14"],
        ["备注：数据来自统计年报", "备注：数据来自统计年报", "备注：数据来自统计年报", "", ""],
    ], merges=[((2, 0), (2, 4)), ((4, 0), (4, 2))]))
    (block,) = read_series(next(doc.tables()))
    assert block.years == ["2021", "2022", "2023"]
    rows = _figures(block)
    assert rows[0] == ("工业总产值", "万元", {"2021": "1200", "2022": "1300", "2023": "1400"})
    assert rows[1] is None  # the full-width row starts a new part
    assert rows[2] == ("产生量", "万吨", {"2021": "12.5", "2022": "13", "2023": "14"})
    # the note merged across 2021 has no figure for that year; its later cells are blank
    assert rows[3][0] == "备注：数据来自统计年报" and "2021" not in rows[3][2]


def test_transposed_table_reads_years_down_the_rows():
    doc = _doc(lambda d: _table(d, [
        ["年份", "产生量（万吨）", "综合利用量（万吨）"],
        ["2022年", "10", "9"],
        ["2023年", "11", "10.5"],
    ]))
    (block,) = read_series(next(doc.tables()))
    assert block.years == ["2022", "2023"]
    assert _figures(block) == [("产生量（万吨）", None, {"2022": "10", "2023": "11"}),
                               ("综合利用量（万吨）", None, {"2022": "9", "2023": "10.5"})]


def test_continued_table_without_header_takes_the_years_before():
    def build(d):
        _table(d, [["指标", "2022年", "2023年"], ["产值", "100", "120"]])
        d.add_paragraph("— 3 —")  # a page number between the parts is no reason to stop
        d.add_paragraph("续表")
        _table(d, [["产生量", "5", "6"], ["利用量", "4", "5.5"]])
        d.add_paragraph("说明：以上数据经审计。")
        _table(d, [["产生量", "5", "6"]])  # not announced as a continuation: not read as one

    doc = _doc(build)
    found = [series for _, series in series_in(doc)]
    assert [b.years for b in found[0]] == [["2022", "2023"]]
    assert [b.years for b in found[1]] == [["2022", "2023"]]
    assert _figures(found[1][0])[1] == ("利用量", None, {"2022": "4", "2023": "5.5"})
    assert found[2] == []


def test_a_table_without_years_is_not_a_series():
    doc = _doc(lambda d: _table(d, [["名称", "数量"], ["粉煤灰", "3"]]))
    assert read_series(next(doc.tables())) == []
    assert read_series(next(doc.tables()), carry=["2022", "2023"]) == []  # two columns cannot hold two years


def test_year_header_read_as_a_line_of_text():
    assert years_in_line("2020年2021年2022年2023年产值（万元）") == ["2020", "2021", "2022", "2023"]
    assert years_in_line("2023年产值") == []
