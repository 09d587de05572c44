"""Crafted Word and Excel files (issue 8): every one is read up to the limits, or refused with
problem="limit", quickly and without exhausting memory, with the cut named in Chinese; the rest
of the file and of the package is still read.

Every input is built here, part by part, with `zipfile` and raw XML (python-docx and openpyxl
cannot write most of them).  Bounded work is shown structurally (small `SHENCHA_LIMIT_*` values
make the reader stop exactly at the limit; the cells whose text is read are counted), and the big
inputs run in a subprocess with a generous timeout and address-space limit that only catch a
hang or a blow-up.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path

import openpyxl
import pytest

from extractor.limits import LimitExceeded, ReadLimits, get_limits
from extractor.model import Document, Location
from extractor.package import PackageFile
from extractor.read import read_document
from extractor.readers import docx_reader
from extractor.readers.grid import PlacedCell, expand_grid
from extractor.readers.ooxml import strict_to_transitional
from extractor.readers.xlsx_reader import format_number
from tests.fixtures_build import docx_bytes, xlsx_bytes
from tests.limit_helpers import set_limits

REPO = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def read(name: str, data: bytes) -> Document:
    return read_document(PackageFile.from_bytes(name, data))


def rels(*entries: tuple[str, str, str]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in entries)
    return f'{XML_DECL}<Relationships xmlns="{PKG_RELS}">{body}</Relationships>'


# ---------------------------------------------------------------------------------------------
# a .docx, part by part

DOCX_TYPES = (
    f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/numbering.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    "</Types>"
)


def docx_package(body: Iterable[bytes | str], numbering: str | None = None) -> bytes:
    """A minimal .docx whose body is written from `body` chunk by chunk (a 280 MB table is
    streamed into the zip, never held in memory)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", DOCX_TYPES)
        z.writestr("_rels/.rels", rels(("rId1", f"{RT}/officeDocument", "word/document.xml")))
        if numbering is not None:
            z.writestr("word/_rels/document.xml.rels", rels(("rId1", f"{RT}/numbering", "numbering.xml")))
            z.writestr("word/numbering.xml", f'{XML_DECL}<w:numbering xmlns:w="{W}">{numbering}</w:numbering>')
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'{XML_DECL}<w:document xmlns:w="{W}"><w:body>'.encode())
            for chunk in body:
                f.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            f.write(b"</w:body></w:document>")
    return buf.getvalue()


def para(text: str, num: tuple[int, int] | None = None) -> str:
    ppr = f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>' if num else ""
    return f"<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>"


def cell(text: str = "", props: str = "") -> str:
    tcpr = f"<w:tcPr>{props}</w:tcPr>" if props else ""
    return f"<w:tc>{tcpr}{para(text) if text else '<w:p/>'}</w:tc>"


def table(rows: Iterable[str], grid: int) -> Iterable[bytes]:
    yield f"<w:tbl><w:tblGrid>{'<w:gridCol/>' * grid}</w:tblGrid>".encode()
    for row in rows:
        yield row.encode() if isinstance(row, str) else row
    yield b"</w:tbl>"


def uniform_table(n_rows: int, n_cols: int, tc: bytes = b"<w:tc><w:p/></w:tc>") -> Iterable[bytes]:
    row = b"<w:tr>" + tc * n_cols + b"</w:tr>"
    return table((row for _ in range(n_rows)), n_cols)


# ---------------------------------------------------------------------------------------------
# an .xlsx, part by part

XLSX_TYPES = (
    f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def styles(number_formats: dict[int, str] | None = None) -> str:
    """styles.xml: cell style 0 is General, style i (1…) uses number format id 164+i-1."""
    number_formats = number_formats or {}
    fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{code}"/>' for i, code in number_formats.items())
    xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' + "".join(
        f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' for i in number_formats
    )
    return (
        f'{XML_DECL}<styleSheet xmlns="{S}"><numFmts count="{len(number_formats)}">{fmts}</numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(number_formats) + 1}">{xfs}</cellXfs></styleSheet>'
    )


def xlsx_package(sheets: list[tuple[str, Iterable[bytes | str]]], number_formats: dict[int, str] | None = None,
                 extra: dict[str, bytes | str] | None = None, sheet_rels: dict[int, str] | None = None) -> bytes:
    """A minimal .xlsx; each sheet's XML (inside <worksheet>) written chunk by chunk."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_TYPE}"/>' for i in range(1, len(sheets) + 1)
        )
        z.writestr("[Content_Types].xml", XLSX_TYPES.format(sheets=overrides))
        z.writestr("_rels/.rels", rels(("rId1", f"{RT}/officeDocument", "xl/workbook.xml")))
        entries = "".join(
            f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, start=1)
        )
        z.writestr("xl/workbook.xml", f'{XML_DECL}<workbook xmlns="{S}" xmlns:r="{R}"><sheets>{entries}</sheets></workbook>')
        book_rels = [(f"rId{i}", f"{RT}/worksheet", f"worksheets/sheet{i}.xml") for i in range(1, len(sheets) + 1)]
        book_rels.append((f"rId{len(sheets) + 1}", f"{RT}/styles", "styles.xml"))
        z.writestr("xl/_rels/workbook.xml.rels", rels(*book_rels))
        z.writestr("xl/styles.xml", styles(number_formats))
        for i, (_, body) in enumerate(sheets, start=1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as f:
                f.write(f'{XML_DECL}<worksheet xmlns="{S}" xmlns:r="{R}">'.encode())
                for chunk in body:
                    f.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                f.write(b"</worksheet>")
        for i, text in (sheet_rels or {}).items():
            z.writestr(f"xl/worksheets/_rels/sheet{i}.xml.rels", text)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def sheet_data(rows: Iterable[str]) -> Iterable[str]:
    yield "<sheetData>"
    yield from rows
    yield "</sheetData>"


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def number_cell(ref: str, value: str, style: int = 0) -> str:
    return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'


def small_table_rows() -> list[str]:
    return [
        f'<row r="1">{text_cell("A1", "固废名称")}{text_cell("B1", "产生量")}</row>',
        f'<row r="2">{text_cell("A2", "粉煤灰")}{number_cell("B2", "12.5")}</row>',
        f'<row r="3">{text_cell("A3", "炉渣")}{number_cell("B3", "3")}</row>',
    ]


# ---------------------------------------------------------------------------------------------
# Word: spans, merges, big tables


def test_docx_spans_of_2_31_negative_and_non_numeric_are_clamped_to_the_grid():
    big = 2**31
    span_big, span_negative, span_text = (f'<w:gridSpan w:val="{v}"/>' for v in (big, -5, "x"))
    rows = [
        f'<w:tr><w:trPr><w:gridBefore w:val="{big}"/><w:gridAfter w:val="{big}"/></w:trPr>{cell("甲", span_big)}</w:tr>',
        f'<w:tr>{cell("乙", span_negative)}{cell("丙", span_text)}{cell("丁")}</w:tr>',
        f'<w:tr><w:trPr><w:gridBefore w:val="-3"/></w:trPr>{cell("戊", span_big)}</w:tr>',
    ]
    doc = read("spans.docx", docx_package([para("前文"), *table(rows, 3), para("后文")]))
    assert doc.error is None
    t = next(doc.tables())
    assert (t.n_rows, t.n_cols) == (3, 3)
    assert t.text_grid() == [["", "", "甲"], ["乙", "丙", "丁"], ["戊", "戊", "戊"]]
    assert t.cell(3, 1).colspan == 3
    assert doc.full_text().endswith("后文")
    assert doc.omissions == [
        f"表1 中 4 处合并跨度超出表格的 3 列（第1行 gridBefore={big}、第1行 gridSpan={big}、第1行 gridAfter={big}等），"
        "已按表格宽度截断"
    ]


def test_docx_vmerge_chain_over_a_long_table_stops_at_table_rows(monkeypatch):
    set_limits(monkeypatch, table_rows=500)
    restart = '<w:vMerge w:val="restart"/>'
    rows = [f'<w:tr>{cell("类别", restart)}{cell("0")}</w:tr>']
    rows += [f'<w:tr>{cell("", "<w:vMerge/>")}{cell(str(i))}</w:tr>' for i in range(1, 3000)]
    doc = read("merge.docx", docx_package([*table(rows, 2), para("后文")]))
    t = next(doc.tables())
    assert (t.n_rows, t.n_cols) == (500, 2)
    assert t.cell(500, 1).origin == (1, 1) and t.cell(1, 1).rowspan == 500
    assert doc.omissions == ["表1 共 3000 行，超过上限 500 行，只读取了前 500 行"]
    assert doc.full_text().endswith("后文")


def test_docx_table_of_5000_by_500_is_read_up_to_file_cells_and_no_further(monkeypatch):
    set_limits(monkeypatch, file_cells=20_000)
    texts_read = []
    real_cell_text = docx_reader._cell_text

    def counting_cell_text(tc, *args):
        texts_read.append(1)
        return real_cell_text(tc, *args)

    monkeypatch.setattr(docx_reader, "_cell_text", counting_cell_text)
    one = b"<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"
    data = docx_package([para("表3 大表"), *uniform_table(5000, 500, one), para("表后的正文"), *table([f"<w:tr>{cell('小表')}</w:tr>"], 1)])
    doc = read("大表.docx", data)
    assert doc.error is None
    [big] = list(doc.tables())
    assert (big.n_rows, big.n_cols) == (40, 500)
    # the work stopped at the limit: one row beyond it was looked at, nothing more
    assert len(texts_read) <= 20_000 + 500 + 1
    assert "表后的正文" in doc.full_text()
    assert doc.omissions == [
        "表1 共 5000 行，全文件表格超过上限 20000 个单元格，只读取了前 40 行",
        "全文件表格超过上限 20000 个单元格，表2（共 1 个表格）未读取",
    ]


def test_docx_tables_beyond_the_cells_of_the_file_are_named(monkeypatch):
    set_limits(monkeypatch, file_cells=13)
    small = [f"<w:tr>{cell('a')}{cell('b')}</w:tr>"] * 3
    body = [chunk for _ in range(6) for chunk in (*table(small, 2), para("说明"))]
    doc = read("多表.docx", docx_package(body))
    assert [t.n_rows for t in doc.tables()] == [3, 3]
    assert [b.text for b in doc.text_blocks()] == ["说明"] * 6
    assert doc.omissions == ["全文件表格超过上限 13 个单元格，表3至表6（共 4 个表格）未读取"]


def test_docx_row_of_a_million_cells_is_pruned_while_streamed(monkeypatch):
    set_limits(monkeypatch, file_cells=100_000)
    row = b"<w:tr>" + b"<w:tc/>" * 1_000_000 + b"</w:tr>"
    doc = read("宽行.docx", docx_package([para("前文"), *table([row], 3), para("后文")]))
    assert doc.error is None
    t = next(doc.tables())
    assert t.n_cols == get_limits().table_columns
    assert doc.omissions == ["表1 有 1000000 列，超过上限 1000 列，只读取了前 1000 列"]
    assert doc.full_text().endswith("后文")


def test_prune_tables_keeps_only_what_the_limits_allow():
    limits = ReadLimits(table_rows=10, table_columns=4, file_cells=1000)
    body = docx_package([*uniform_table(50, 9), para("后文")])
    xml = zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml")
    pruned = docx_reader.prune_tables(io.BytesIO(xml), limits)
    assert pruned is not None
    assert pruned.count(b"<w:tr") == 10
    assert pruned.count(b"<w:tc") == 10 * (4 + 2)  # the cells a row may hold, and its properties' room
    assert b'rows="50"' in pruned and b'by="table_rows"' in pruned and b'cells="9"' in pruned
    assert b"\xe5\x90\x8e\xe6\x96\x87" in pruned  # 后文


def test_docx_part_larger_than_the_package_may_expand_is_refused(monkeypatch):
    set_limits(monkeypatch, member_expanded_bytes=1_000_000)
    doc = read("巨表.docx", docx_package([*uniform_table(2000, 100), para("后文")]))
    assert doc.problem == "limit" and doc.blocks == []
    assert "word/document.xml" in doc.error and "超过上限" in doc.error


BIG_DOCX_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
    from extractor.package import PackageFile
    from extractor.read import read_document
    data = open(sys.argv[1], "rb").read()
    doc = read_document(PackageFile.from_bytes("巨表.docx", data))
    print(json.dumps({"error": doc.error, "problem": doc.problem, "omissions": doc.omissions,
                      "tables": [[t.n_rows, t.n_cols] for t in doc.tables()], "text": doc.full_text()[-40:]}))
    """
)


def run_isolated(script: str, *args: str, env: dict[str, str] | None = None) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=REPO, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def test_docx_table_of_20000_by_2000_cells_is_cut_while_streamed(tmp_path):
    """280 MB of body XML (400 kB zipped): pruned while parsed, within 3 GiB of address space."""
    path = tmp_path / "big.docx"
    path.write_bytes(docx_package([para("前文"), *uniform_table(20_000, 2_000, b"<w:tc/>"), para("后文")]))
    result = run_isolated(BIG_DOCX_SCRIPT, str(path), env={"SHENCHA_LIMIT_FILE_CELLS": "100000"})
    assert result["error"] is None
    assert result["tables"] == [[100, 1000]]
    assert result["omissions"] == [
        "表1 共 20000 行，全文件表格超过上限 100000 个单元格，只读取了前 100 行",
        "表1 有 2000 列，超过上限 1000 列，只读取了前 1000 列",
    ]
    assert result["text"].endswith("后文")


# ---------------------------------------------------------------------------------------------
# Word: list counters

NUMBERING = (
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1000000000000000"/>'
    '<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1000000000"/>'
    '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="x"><w:start w:val="1"/>'
    '<w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0">'
    '<w:startOverride w:val="99999999999999999999"/></w:lvlOverride></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>'
)


def test_docx_list_counters_are_clamped_so_numbering_stays_short():
    body = [para("罗马", (1, 0)), para("罗马二", (1, 0)), para("字母", (2, 0)), para("覆盖", (3, 0)), para("坏级别", (4, 0))]
    doc = read("编号.docx", docx_package(body, numbering=NUMBERING))
    assert doc.error is None
    texts = [b.text for b in doc.text_blocks()]
    assert texts == ["100000.罗马", "100000.罗马二", "100000)字母", "100000.覆盖", "i坏级别"]
    assert doc.omissions == ["自动编号值 1000000000000000 超过上限 100000，编号按 100000 显示"]


def test_roman_and_letter_numbering_within_their_notation():
    fmt = docx_reader._format_number
    assert fmt(3999, "upperRoman") == "MMMCMXCIX" and fmt(4000, "upperRoman") == "4000"
    assert fmt(27, "lowerLetter") == "aa" and fmt(780, "upperLetter") == "Z" * 30
    assert fmt(781, "upperLetter") == "781"


# ---------------------------------------------------------------------------------------------
# the shared grid


def test_expand_grid_fills_each_position_once_whatever_the_spans():
    made = []

    def loc_of(r: int, c: int) -> Location:
        made.append((r, c))
        return Location(file="x", row=r, column=c)

    # a hundred overlapping merges, each claiming the whole grid, and spans of 2³¹
    placed = [PlacedCell(row=0, col=0, text="全", rowspan=2**31, colspan=2**31)]
    placed += [PlacedCell(row=r % 10, col=r % 7, text=str(r), rowspan=2**31, colspan=2**31) for r in range(100)]
    grid = expand_grid(placed, 10, 7, loc_of)
    assert len(made) == 70 and len(set(made)) == 70
    assert all(c.text == "全" and c.origin == (1, 1) for row in grid for c in row)


def test_expand_grid_overlap_is_cut_where_it_starts():
    placed = [PlacedCell(row=1, col=0, text="下", colspan=3), PlacedCell(row=0, col=1, text="上", rowspan=3)]
    grid = expand_grid(placed, 3, 3, lambda r, c: Location(file="x"))
    assert [[c.text for c in row] for row in grid] == [["", "上", ""], ["下", "上", ""], ["", "上", ""]]
    assert grid[1][0].colspan == 1


def test_expand_grid_refuses_a_grid_larger_than_a_file_may_hold(monkeypatch):
    set_limits(monkeypatch, file_cells=99)
    with pytest.raises(LimitExceeded) as e:
        expand_grid([], 10, 10, lambda r, c: Location(file="x"))
    assert e.value.limit == "file_cells" and "超过上限 99 个" in e.value.reason


# ---------------------------------------------------------------------------------------------
# Excel: dimensions, merges, rows, columns, sheets


def test_xlsx_declared_dimension_of_the_whole_sheet_is_not_trusted():
    body = ['<dimension ref="A1:XFD1048576"/>', *sheet_data(small_table_rows())]
    doc = read("表.xlsx", xlsx_package([("年报表", body)]))
    assert doc.error is None and doc.omissions == []
    assert [t.text_grid() for t in doc.tables()] == [[["固废名称", "产生量"], ["粉煤灰", "12.5"], ["炉渣", "3"]]]


def test_xlsx_merge_of_the_whole_sheet_is_clamped_to_the_range_read():
    body = [*sheet_data(small_table_rows()), '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>']
    doc = read("合并.xlsx", xlsx_package([("年报表", body)]))
    assert doc.error is None
    assert doc.omissions == ["工作表「年报表」1 个合并单元格超出上限（100000 行、1000 列），已截到读取的范围（A1:XFD1048576→A1:B3）"]
    blocks = [b for b in doc.blocks if b.kind != "table"]
    tables = list(doc.tables())
    # the whole sheet is one merged cell now: its top-left text, once
    assert [b.text for b in blocks] + [t.text_grid() for t in tables] == ["固废名称"]


def test_xlsx_of_a_million_rows_is_streamed_and_cut_at_table_rows(tmp_path):
    rows = (f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{r}.5</v></c></row>' for r in range(1, 1_000_001))
    path = tmp_path / "rows.xlsx"
    path.write_bytes(xlsx_package([("明细", ['<dimension ref="A1:XFD1048576"/>', *sheet_data(rows)])]))
    script = BIG_DOCX_SCRIPT.replace("巨表.docx", "明细.xlsx")
    result = run_isolated(script, str(path), env={"SHENCHA_LIMIT_TABLE_ROWS": "1000"})
    assert result["error"] is None
    assert result["tables"] == [[1000, 2]]
    assert result["omissions"] == ["工作表「明细」数据延伸到第 1000000 行，超过上限 1000 行，只读取了前 1000 行"]


def test_xlsx_stops_at_file_cells_without_reading_further(monkeypatch):
    set_limits(monkeypatch, file_cells=300)
    rows = [f'<row r="{r}">' + "".join(number_cell(f"{c}{r}", str(r)) for c in "ABCDEFGHIJ") + "</row>" for r in range(1, 101)]
    doc = read("多行.xlsx", xlsx_package([("明细", sheet_data(rows))]))
    [t] = doc.tables()
    assert (t.n_rows, t.n_cols) == (30, 10)
    assert doc.omissions == ["工作表「明细」第 31 行起未读取：全文件单元格超过上限 300 个"]


def test_xlsx_cells_beyond_the_columns_and_a_row_of_200000_cells(monkeypatch):
    set_limits(monkeypatch, table_columns=50)
    far = f'<row r="1">{text_cell("A1", "名称")}{text_cell("B1", "数量")}{text_cell("XFD1", "远处")}</row>'
    bomb = "<row r=\"2\">" + "<c><v>1</v></c>" * 200_000 + "</row>"
    doc = read("宽表.xlsx", xlsx_package([("宽", sheet_data([far, bomb]))]))
    assert doc.error is None
    [t] = doc.tables()
    assert (t.n_rows, t.n_cols) == (2, 50)
    assert t.text_grid()[0][:3] == ["名称", "数量", ""]
    assert doc.omissions == ["工作表「宽」数据延伸到第 200000 列，超过上限 50 列，只读取了前 50 列（至 AX 列）"]


def test_xlsx_rows_out_of_order_and_unusable_row_numbers(monkeypatch):
    set_limits(monkeypatch, table_rows=100)
    rows = [
        f'<row r="1">{text_cell("A1", "项目")}{text_cell("B1", "数值")}</row>',
        f'<row r="500000">{text_cell("A500000", "远处")}</row>',
        f'<row r="2">{text_cell("A2", "甲")}{number_cell("B2", "1")}</row>',
        f'<row r="2.5">{text_cell("A3", "坏")}</row>',
        f'<row r="3">{text_cell("A3", "乙")}{number_cell("B3", "2")}</row>',
    ]
    doc = read("乱序.xlsx", xlsx_package([("表", sheet_data(rows))]))
    assert doc.error is None
    assert [t.text_grid() for t in doc.tables()] == [[["项目", "数值"], ["甲", "1"], ["乙", "2"]]]
    assert doc.omissions[0].startswith("工作表「表」数据延伸到第 500000 行")


def test_xlsx_more_sheets_than_file_pages(monkeypatch):
    set_limits(monkeypatch, file_pages=3)
    sheets = [(f"表{i}", sheet_data([f'<row r="1">{text_cell("A1", f"第{i}张")}</row>'])) for i in range(1, 7)]
    doc = read("多表.xlsx", xlsx_package(sheets))
    assert doc.error is None
    assert [b.text for b in doc.blocks] == ["第1张", "第2张", "第3张"]
    assert doc.omissions == ["工作簿共 6 个工作表，超过上限 3 个，只读取了前 3 个"]


def test_xlsx_workbook_larger_than_the_package_may_expand_is_refused(monkeypatch):
    set_limits(monkeypatch, member_expanded_bytes=100_000)
    rows = (f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 5000))
    doc = read("大.xlsx", xlsx_package([("表", sheet_data(rows))]))
    assert doc.problem == "limit" and "超过上限" in doc.error


# ---------------------------------------------------------------------------------------------
# Excel: real number formats


@pytest.mark.parametrize(
    "value, fmt, shown",
    [
        (1.5, "0." + "0" * 30, "1." + "5" + "0" * 29),
        (12345.678, "#,##0." + "0" * 30, "12,345.678" + "0" * 27),
        (1e308, "0.00", "1" + "0" * 308 + ".00"),
        (-1.7976931348623157e308, "#,##0", f"-{17976931348623157 * 10**292:,}"),
        (int("9" * 400), "0.0", "9" * 400 + ".0"),
        (0.25, "0." + "0" * 1000 + "%", "25." + "0" * 30 + "%"),
        (float("inf"), "0.00", "inf"),
    ],
)
def test_number_formats_excel_allows_and_beyond(value, fmt, shown):
    assert format_number(value, fmt) == shown


def test_xlsx_with_30_decimals_and_huge_numbers_is_read():
    thirty = "0." + "0" * 30
    rows = [
        f'<row r="1">{text_cell("A1", "项目")}{text_cell("B1", "数值")}</row>',
        f'<row r="2">{text_cell("A2", "三十位")}{number_cell("B2", "2.5", style=1)}</row>',
        f'<row r="3">{text_cell("A3", "极大")}{number_cell("B3", "1E+308", style=2)}</row>',
        f'<row r="4">{text_cell("A4", "四百位")}{number_cell("B4", "7" * 400, style=2)}</row>',
        f'<row r="5">{text_cell("A5", "五千位")}{number_cell("B5", "8" * 5000)}</row>',
        f'<row r="6">{text_cell("A6", "字符串")}<c r="B6" t="inlineStr"><is><t>{"6" * 400}</t></is></c></row>',
    ]
    doc = read("数值.xlsx", xlsx_package([("数值", sheet_data(rows))], number_formats={164: thirty, 165: "#,##0.00"}))
    assert doc.error is None
    grid = next(doc.tables()).text_grid()
    assert grid[1][1] == "2." + "5" + "0" * 29
    assert grid[2][1] == f"{10**308:,}.00"
    assert grid[3][1].replace(",", "") == "7" * 400 + ".00"
    assert grid[4][1] == "8" * 5000
    assert grid[5][1] == "6" * 400


# ---------------------------------------------------------------------------------------------
# pictures and quiet


def fake_wmf() -> bytes:
    """A placeable Windows metafile header, enough for Pillow to call it WMF."""
    placeable = struct.pack("<IHhhhhHIH", 0x9AC6CDD7, 0, 0, 0, 1000, 1000, 1440, 0, 0)
    standard = struct.pack("<HHHIHIH", 1, 9, 0x300, 12, 0, 3, 0)
    return placeable + standard + b"\x03\x00\x00\x00\x00\x00"


def with_wmf_picture(data: bytes, sheet: int = 1) -> bytes:
    """The workbook with a drawing on sheet `sheet` holding one WMF picture (the parts Excel
    writes; openpyxl drops such a picture with a warning)."""
    xdr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    drawing = (
        f'{XML_DECL}<xdr:wsDr xmlns:xdr="{xdr}" xmlns:a="{a}" xmlns:r="{R}"><xdr:oneCellAnchor>'
        '<xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
        '<xdr:ext cx="952500" cy="952500"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="1" name="图片 1"/><xdr:cNvPicPr/>'
        '</xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>'
        '<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/>'
        "</xdr:oneCellAnchor></xdr:wsDr>"
    )
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            content = src.read(name)
            if name == f"xl/worksheets/sheet{sheet}.xml":
                content = content.replace(b"</worksheet>", b'<drawing r:id="rIdPic"/></worksheet>')
                if b"xmlns:r=" not in content.split(b">", 2)[1]:
                    content = content.replace(b"<worksheet ", f'<worksheet xmlns:r="{R}" '.encode(), 1)
            if name == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Default Extension="wmf" ContentType="image/x-wmf"/>'
                    b'<Override PartName="/xl/drawings/drawing1.xml" '
                    b'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
                )
            z.writestr(name, content)
        z.writestr(f"xl/worksheets/_rels/sheet{sheet}.xml.rels", rels(("rIdPic", f"{RT}/drawing", "../drawings/drawing1.xml")))
        z.writestr("xl/drawings/drawing1.xml", drawing)
        z.writestr("xl/drawings/_rels/drawing1.xml.rels", rels(("rId1", f"{RT}/image", "../media/image1.wmf")))
        z.writestr("xl/media/image1.wmf", fake_wmf())
    return out.getvalue()


def annual_report(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "年报表"
    for r, row in enumerate([["固废名称", "产生量"], ["粉煤灰", 12.5], ["炉渣", 3]], start=1):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)


def test_fake_wmf_is_what_makes_openpyxl_drop_a_picture():
    data = with_wmf_picture(xlsx_bytes(annual_report))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        openpyxl.load_workbook(io.BytesIO(data))
    assert any("image format is not supported" in str(w.message) for w in caught)


def test_xlsx_wmf_picture_is_an_omission_and_nothing_is_printed(capfd):
    doc = read("年报表.xlsx", with_wmf_picture(xlsx_bytes(annual_report)))
    assert doc.error is None and next(doc.tables()).n_rows == 3
    assert doc.omissions == ["工作表「年报表」中 1 张 WMF 格式图片未能读取（image1.wmf）"]
    assert capfd.readouterr().err == ""


# ---------------------------------------------------------------------------------------------
# Strict Open XML

STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
STRICT_S = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_R = "http://purl.oclc.org/ooxml/officeDocument/relationships"


def test_strict_namespaces_map_onto_transitional_ones():
    xml = (b'<x xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main" '
           b'Type="http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties" '
           b"y='http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing'>http://purl.oclc.org/ooxml/keep</x>")
    assert strict_to_transitional(xml) == (
        b'<x xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" '
        b"y='http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing'>http://purl.oclc.org/ooxml/keep</x>"
    )


def strict_docx() -> bytes:
    body = (
        f'<w:p><w:pPr><w:jc w:val="start"/></w:pPr><w:r><w:t>一、企业基本情况</w:t></w:r></w:p>'
        "<w:tbl><w:tblPr><w:tblW w:w=\"100%\" w:type=\"pct\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"2000\"/>"
        "<w:gridCol w:w=\"2000\"/></w:tblGrid>"
        "<w:tr><w:tc><w:p><w:r><w:t>固废名称</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>产生量（吨）</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p><w:r><w:t>粉煤灰</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>12.5</w:t></w:r></w:p></w:tc></w:tr>"
        "</w:tbl>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", DOCX_TYPES)
        z.writestr("_rels/.rels", rels(("rId1", f"{STRICT_R}/officeDocument", "word/document.xml")))
        z.writestr(
            "word/document.xml",
            f'{XML_DECL}<w:document xmlns:w="{STRICT_W}" xmlns:r="{STRICT_R}" w:conformance="strict">'
            f"<w:body>{body}</w:body></w:document>",
        )
    return buf.getvalue()


def strict_xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", XLSX_TYPES.format(
            sheets=f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>'))
        z.writestr("_rels/.rels", rels(("rId1", f"{STRICT_R}/officeDocument", "xl/workbook.xml")))
        z.writestr(
            "xl/workbook.xml",
            f'{XML_DECL}<workbook xmlns="{STRICT_S}" xmlns:r="{STRICT_R}" conformance="strict">'
            '<sheets><sheet name="年报表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr("xl/_rels/workbook.xml.rels", rels(
            ("rId1", f"{STRICT_R}/worksheet", "worksheets/sheet1.xml"), ("rId2", f"{STRICT_R}/styles", "styles.xml")))
        z.writestr("xl/styles.xml", styles({164: "0.00"}).replace(S, STRICT_S))
        rows = "".join(small_table_rows()).replace('s="0"><v>12.5', 's="1"><v>12.5')
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'{XML_DECL}<worksheet xmlns="{STRICT_S}" xmlns:r="{STRICT_R}"><sheetData>{rows}'
            f'<row r="4">{text_cell("A4", "日期")}<c r="B4" t="d"><v>2025-03-01T00:00:00</v></c></row>'
            "</sheetData></worksheet>",
        )
    return buf.getvalue()


def test_strict_docx_is_read_as_transitional():
    doc = read("严格.docx", strict_docx())
    assert doc.error is None, doc.error
    assert [b.text for b in doc.text_blocks()] == ["一、企业基本情况"]
    assert next(doc.tables()).text_grid() == [["固废名称", "产生量（吨）"], ["粉煤灰", "12.5"]]


def test_strict_xlsx_is_read_as_transitional():
    doc = read("严格.xlsx", strict_xlsx())
    assert doc.error is None, doc.error
    assert next(doc.tables()).text_grid() == [["固废名称", "产生量"], ["粉煤灰", "12.50"], ["炉渣", "3"], ["日期", "2025-03-01"]]


def test_strict_file_the_library_still_rejects_raises_strict_ooxml():
    data = strict_docx()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in src.namelist():
            z.writestr(name, src.read(name) if name != "word/document.xml" else b"<not-closed")
    with pytest.raises(docx_reader.StrictOoxml):
        docx_reader.read_docx(out.getvalue(), "坏.docx")
    assert read("坏.docx", out.getvalue()).problem == "damaged"


# ---------------------------------------------------------------------------------------------
# through the command line


def run_cli(directory: Path, out: Path, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "service.cli", "check", str(directory), "--quiet", "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc, json.loads(out.read_text(encoding="utf-8"))


def findings_for(report: dict, name: str) -> list[dict]:
    return [f for f in report["findings"] if any(loc.get("file") == name for loc in f["locations"])]


def normal_docx() -> bytes:
    def build(d):
        d.add_paragraph("一、企业基本情况")
        d.add_paragraph("企业成立于2015年，主要从事粉煤灰综合利用。")

    return docx_bytes(build)


def test_cli_reads_the_normal_file_and_names_the_cut_in_the_hostile_one(tmp_path):
    package = tmp_path / "package"
    package.mkdir()
    (package / "正常报告.docx").write_bytes(normal_docx())
    hostile = [para("前文"), *uniform_table(3000, 50, b"<w:tc/>"), para("后文")]
    (package / "超大表格.docx").write_bytes(docx_package(hostile))
    proc, report = run_cli(package, tmp_path / "out.json", env={"SHENCHA_LIMIT_FILE_CELLS": "10000"})
    assert proc.stderr == ""
    files = {f["path"]: f for f in report["package"]["files"]}
    assert files["正常报告.docx"]["error"] is None and files["超大表格.docx"]["error"] is None
    rules = {f["rule"] for f in findings_for(report, "超大表格.docx")}
    assert rules & {"FILE.PARTIALLY_READ", "FILE.LIMIT_EXCEEDED"}
    [partial] = [f for f in report["findings"] if f["rule"] == "FILE.PARTIALLY_READ"]
    assert "超大表格.docx" in partial["message"] and "上限 10000 个单元格" in partial["message"]
    assert not {f["rule"] for f in findings_for(report, "正常报告.docx")} & {"FILE.PARTIALLY_READ", "FILE.LIMIT_EXCEEDED", "FILE.UNREADABLE"}


def test_cli_quiet_on_a_workbook_with_a_wmf_picture_prints_nothing(tmp_path):
    package = tmp_path / "package"
    package.mkdir()
    (package / "年报表.xlsx").write_bytes(with_wmf_picture(xlsx_bytes(annual_report)))
    proc, report = run_cli(package, tmp_path / "out.json")
    assert proc.stderr == ""
    [partial] = [f for f in report["findings"] if f["rule"] == "FILE.PARTIALLY_READ"]
    assert "年报表.xlsx" in partial["message"] and "WMF 格式图片" in partial["message"] and "image1.wmf" in partial["message"]


def test_docx_body_is_not_read_past_more_dropped_rows_than_a_file_may_hold(monkeypatch):
    set_limits(monkeypatch, file_cells=50, table_rows=10)
    doc = read("长表.docx", docx_package([para("前文"), *uniform_table(200, 1), para("后文")]))
    assert doc.error is None
    assert [t.n_rows for t in doc.tables()] == [10]
    assert "后文" not in doc.full_text() and doc.full_text().startswith("前文")
    assert doc.omissions == [
        "表1 至少 71 行，超过上限 10 行，只读取了前 10 行",
        "正文中超出上限而跳过的表格行已达 61 行（多于全文件上限 50 个单元格与每表 10 行之和），其后的内容未读取",
    ]
