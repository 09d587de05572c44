"""Crafted PDFs (issue 8): every one is read within the limits, the cut named in Chinese as an
omission (FILE.PARTIALLY_READ), the rest of the file and of the package still read and checked.

Every PDF is built here, object by object (`PdfBuilder`): forms that draw each other ten times
over seven deep, a page of graph paper, pages of many text objects or many columns, files pdfium
refuses.  Bounded work is shown structurally, never by the clock: the heavy page never reaches
pdfium (a spy refuses it), small `SHENCHA_LIMIT_*` values make the reader stop exactly at the
limit, the omission names it, and the text outside the cut is read.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from extractor.limits import get_limits
from extractor.model import Document
from extractor.package import PackageFile
from extractor.read import read_document
from extractor.readers import pdf_reader
from extractor.readers.pdf_reader import read_pdf
from extractor.readers.pdf_weight import page_weights
from tests.fixtures_build import reportlab_pdf, scanned_pdf
from tests.limit_helpers import set_limits

REPO = Path(__file__).resolve().parent.parent
# what a mail gateway or a careless upload puts before "%PDF": pdfium refuses such a file
# (it looks for the header in the first kilobyte), pdfminer rebuilds its cross references
JUNK = b"X-Scanned-By: gateway\n" + b"#" * 2000 + b"\n"
FALLBACK = "PDFium 无法读取该 PDF（文件头、交叉引用表或对象结构损坏），已改用备用解析器 pdfminer 读取，版面与表格请核对原件"


# ---------------------------------------------------------------------------------------------
# a PDF, object by object


class PdfBuilder:
    """A PDF written object by object: pages of Helvetica text (font /F1) and form XObjects."""

    def __init__(self) -> None:
        # 1 catalog, 2 page tree (written last), 3 the font
        self.objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
        self.pages: list[int] = []

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def stream(self, content: bytes, attrs: bytes = b"", compress: bool = False) -> int:
        if compress:
            content = zlib.compress(content)
            attrs += b" /Filter /FlateDecode"
        return self.add(b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(content), attrs, content))

    @staticmethod
    def resources(xobjects: dict[str, int]) -> bytes:
        named = b" ".join(b"/%s %d 0 R" % (name.encode(), number) for name, number in xobjects.items())
        return b"<< /Font << /F1 3 0 R >> /XObject << %s >> >>" % named

    def form(self, content: bytes, xobjects: dict[str, int] | None = None) -> int:
        attrs = b"/Type /XObject /Subtype /Form /BBox [0 0 2000 2000] /Resources " + self.resources(xobjects or {})
        return self.stream(content, attrs)

    def page(self, content: bytes, xobjects: dict[str, int] | None = None, size: tuple[int, int] = (595, 842)) -> int:
        contents = self.stream(content, compress=True)
        number = self.add(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R /Resources %s >>"
            % (size[0], size[1], contents, self.resources(xobjects or {}))
        )
        self.pages.append(number)
        return number

    def build(self) -> bytes:
        self.objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
        kids = b" ".join(b"%d 0 R" % n for n in self.pages)
        self.objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self.pages))
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(self.objects) + 1, xref)
        return bytes(out)


def text(lines: list[tuple[float, float, str]], size: float = 12) -> bytes:
    """One text object per (x, y, text), in Helvetica."""

    def escape(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    return "\n".join(f"BT /F1 {size:g} Tf {x:g} {y:g} Td ({escape(t)}) Tj ET" for x, y, t in lines).encode()


def fan_out(pdf: PdfBuilder, leaf: bytes, depth: int, fan: int = 10) -> tuple[str, int]:
    """Forms F0 (drawing `leaf`) … F{depth-1}, each drawing the one below it `fan` times: the top
    form's name and object number.  A page drawing the top form `fan` times draws the leaf
    fan**depth times, forms nested `depth` deep."""
    number = pdf.form(leaf)
    for level in range(1, depth):
        number = pdf.form(b"\n".join([b"/F%d Do" % (level - 1)] * fan), {f"F{level - 1}": number})
    return f"F{depth - 1}", number


def bomb_page(pdf: PdfBuilder, caption: str, leaf: bytes = b"0 0 m 10 10 l S", depth: int = 7, fan: int = 10) -> None:
    """A page with a line of text and forms drawing `leaf` fan**depth times (10^7 paths)."""
    name, top = fan_out(pdf, leaf, depth, fan)
    pdf.page(text([(72, 780, caption)]) + b"\n" + b"\n".join([b"/%s Do" % name.encode()] * fan), {name: top})


def fan_out_pdf(leaf: bytes = b"0 0 m 10 10 l S", depth: int = 7) -> bytes:
    """Three pages, the second of them a form fan-out (issue 8: 10 × 10 … seven deep)."""
    pdf = PdfBuilder()
    pdf.page(text([(72, 780, "First page before the bomb."), (72, 760, "Ordinary body text.")]))
    bomb_page(pdf, "Caption of the bomb page.", leaf, depth)
    pdf.page(text([(72, 780, "Third page after the bomb.")]))
    return pdf.build()


def all_text(doc: Document) -> str:
    return "\n".join(b.text for b in doc.blocks if b.text)


def page_text(doc: Document, page: int) -> str:
    return "\n".join(b.text for b in doc.blocks if b.text and b.loc.page == page)


def refuse_pdfium_pages(monkeypatch, *indexes: int) -> list[int]:
    """pdfium may not load the pages `indexes` (0-based): loading a fan-out page is ten million
    paths inside one uninterruptible call.  Returns the pages it did load."""
    loaded: list[int] = []
    original = pdf_reader._read_pdfium_page

    def spy(pdf, index):
        if index in indexes:
            raise AssertionError(f"page {index + 1} was given to pdfium")
        loaded.append(index)
        return original(pdf, index)

    monkeypatch.setattr(pdf_reader, "_read_pdfium_page", spy)
    return loaded


def chinese_reason(reason: str) -> bool:
    """A reviewer's reason: Chinese, no exception text (the only Latin word is "PDF")."""
    return not re.search(r"[A-Za-z_]", reason.replace("PDF", "")) and re.search(r"[\u4e00-\u9fff]", reason) is not None


# ---------------------------------------------------------------------------------------------
# 1. form XObjects fanning out


def test_fan_out_of_ten_million_paths_is_weighed_before_pdfium():
    weights = page_weights(fan_out_pdf(), 10)
    assert [w.over(get_limits().page_objects, get_limits().page_path_segments) for w in weights] == [
        None,
        "page_objects",
        None,
    ]
    assert weights[1].objects > 10**7 and weights[1].segments >= 2 * 10**7


def test_fan_out_page_is_not_given_to_pdfium_and_the_rest_is_read(monkeypatch):
    loaded = refuse_pdfium_pages(monkeypatch, 1)
    doc = read_pdf(fan_out_pdf(), "图形炸弹.pdf")
    assert loaded == [0, 2]
    assert doc.pages == 3 and doc.error is None
    assert doc.omissions == ["第2页图形对象超过上限 200000 个，未识别其中的表格线"]
    read = all_text(doc)
    # the bomb page's own text (outside the forms) is read by pdfminer, its neighbours by pdfium
    for line in ("First page before the bomb.", "Ordinary body text.", "Caption of the bomb page.", "Third page after the bomb."):
        assert line in read


def test_fan_out_of_path_segments_names_page_path_segments(monkeypatch):
    # 10^4 drawings of one path of 200 segments: few objects, two million segments
    leaf = b"0 0 m " + b" ".join(b"%d %d l" % (i, i % 7) for i in range(1, 200)) + b" S"
    pdf = PdfBuilder()
    bomb_page(pdf, "Segment bomb page.", leaf, depth=4)
    pdf.page(text([(72, 780, "The page after it.")]))
    loaded = refuse_pdfium_pages(monkeypatch, 0)
    doc = read_pdf(pdf.build(), "路径炸弹.pdf")
    assert loaded == [1]
    assert doc.omissions == ["第1页图形路径段超过上限 1000000 个，未识别其中的表格线"]
    assert "Segment bomb page." in all_text(doc) and "The page after it." in all_text(doc)


def test_fan_out_of_ten_million_text_showings_is_read_in_part(monkeypatch):
    # the forms draw text: the heavy page's text is read by pdfminer up to its byte budget
    loaded = refuse_pdfium_pages(monkeypatch, 1)
    doc = read_pdf(fan_out_pdf(leaf=b"BT /F1 8 Tf 100 400 Td (x) Tj ET"), "文字炸弹.pdf")
    assert loaded == [0, 2]
    assert doc.omissions == ["第2页图形对象超过上限 200000 个，未识别其中的表格线，该页部分文字可能未读取"]
    read = all_text(doc)
    assert "Caption of the bomb page." in read and "Third page after the bomb." in read
    read_xs = read.count("x")
    assert 1000 < read_xs < 10**6  # some of the ten million, not all of them


def test_fan_out_in_a_file_pdfium_refuses_is_bounded_too(monkeypatch):
    monkeypatch.setattr(pdf_reader, "_read_pdfium_page", lambda *a: pytest.fail("pdfium opened the file"))
    doc = read_pdf(JUNK + fan_out_pdf(), "图形炸弹.pdf")
    assert doc.warnings == [FALLBACK]
    assert doc.omissions == ["第2页图形对象超过上限 200000 个，未识别其中的表格线"]
    read = all_text(doc)
    for line in ("First page before the bomb.", "Caption of the bomb page.", "Third page after the bomb."):
        assert line in read


def test_a_form_cut_on_a_heavy_page_is_whole_on_the_next_page():
    # pdfminer reads a heavy page's text up to a byte budget; the form it cuts there is drawn
    # again, whole, by the next page (it is one object: cutting it in place lost its end there)
    pdf = PdfBuilder()
    name, top = fan_out(pdf, b"0 0 m 10 10 l S", 6)
    padding = b"\n".join([b"% " + b"p" * 97] * 1000) + b"\n"  # 100 kB that draw nothing
    shared = pdf.form(padding + text([(72, 100, "END OF THE SHARED FORM")]))
    # 450 kB of the page's own content: the 100 kB form crosses the 512 kB budget of a heavy page
    heavy = text([(72, 780, "Heavy page.")]) + b"\n" + padding * 4 + padding[:50_000] + b"\n"
    pdf.page(heavy + b"\n".join([b"/%s Do" % name.encode()] * 10) + b"\n/T Do", {name: top, "T": shared})
    pdf.page(text([(72, 780, "Second page.")]) + b"\n/T Do", {"T": shared})
    for data, warnings in ((pdf.build(), []), (JUNK + pdf.build(), [FALLBACK])):
        doc = read_pdf(data, "共用表单.pdf")
        assert doc.warnings == warnings
        assert doc.omissions == ["第1页图形对象超过上限 200000 个，未识别其中的表格线，该页部分文字可能未读取"]
        assert "END OF THE SHARED FORM" in page_text(doc, 2)
        assert all_text(doc).count("END OF THE SHARED FORM") == 1  # cut on the heavy page


def test_content_stream_inflating_past_the_cap_is_not_given_to_pdfium(monkeypatch):
    # blank space draws nothing, so no operator count can find it, yet pdfium would hold all
    # of it: 64 MiB of spaces deflate to about 64 kB
    from extractor.readers.pdf_weight import MAX_CONTENT_BYTES

    loaded = refuse_pdfium_pages(monkeypatch, 1)
    pdf = PdfBuilder()
    pdf.page(text([(72, 780, "Page before the blank bomb.")]))
    pdf.page(text([(72, 780, "Caption of the blank page.")]) + b" " * (4 * MAX_CONTENT_BYTES))
    pdf.page(text([(72, 780, "Page after the blank bomb.")]))
    data = pdf.build()
    assert len(data) < MAX_CONTENT_BYTES // 100
    doc = read_pdf(data, "空白炸弹.pdf")
    assert loaded == [0, 2] and doc.error is None
    assert doc.omissions == ["第2页内容数据过多，只读取了其开头部分，该页其余文字与表格未读取"]
    read = all_text(doc)
    for line in ("Page before the blank bomb.", "Caption of the blank page.", "Page after the blank bomb."):
        assert line in read


# ---------------------------------------------------------------------------------------------
# 2. a page of graph paper


def graph_paper(lines: int = 200, step: int = 5) -> bytes:
    """A page ruled with `lines` × `lines` lines `step` points apart (the issue's 200 × 200),
    a heading above it, and a second page of text."""
    x0 = y0 = 50
    end = x0 + (lines - 1) * step
    rulings = [f"{x0} {y0 + i * step} m {end} {y0 + i * step} l S" for i in range(lines)]
    rulings += [f"{x0 + i * step} {y0} m {x0 + i * step} {end} l S" for i in range(lines)]
    side = end + 50
    pdf = PdfBuilder()
    pdf.page(text([(50, side - 20, "Graph paper heading")]) + b"\n0.1 w\n" + "\n".join(rulings).encode(), size=(side, side))
    pdf.page(text([(72, 780, "The page after the graph paper.")]))
    return pdf.build()


def test_graph_paper_of_200_by_200_lines_is_read_within_the_default_limits():
    doc = read_pdf(graph_paper(), "坐标纸.pdf")
    assert doc.omissions == []
    [table] = doc.tables()
    assert (table.n_rows, table.n_cols) == (199, 199)
    assert all_text(doc).split() == "Graph paper heading The page after the graph paper.".split()


@pytest.mark.parametrize("prefix", [b"", JUNK], ids=["pdfium", "pdfminer"])
def test_graph_paper_over_page_rulings_is_not_searched_for_tables(monkeypatch, prefix):
    set_limits(monkeypatch, page_rulings=100)
    doc = read_pdf(prefix + graph_paper(), "坐标纸.pdf")
    assert doc.omissions == ["第1页表格线 400 条，超过上限 100 条，未识别其中的表格"]
    assert list(doc.tables()) == []
    assert all_text(doc).split() == "Graph paper heading The page after the graph paper.".split()


# ---------------------------------------------------------------------------------------------
# 3. more pages than file_pages


def numbered_pages(n: int) -> bytes:
    pdf = PdfBuilder()
    for k in range(1, n + 1):
        pdf.page(text([(72, 780, f"Body of page {k}.")]))
    return pdf.build()


@pytest.mark.parametrize("prefix", [b"", JUNK], ids=["pdfium", "pdfminer"])
def test_pages_beyond_file_pages_are_not_read(monkeypatch, prefix):
    set_limits(monkeypatch, file_pages=2)
    doc = read_pdf(prefix + numbered_pages(5), "长文件.pdf")
    assert doc.pages == 5
    assert doc.omissions == ["共 5 页，只读取了前 2 页（页数上限 2）"]
    read = all_text(doc)
    assert "Body of page 1." in read and "Body of page 2." in read and "page 3" not in read
    assert {b.loc.page for b in doc.blocks} <= {1, 2}


def test_pages_of_a_refused_file_are_counted_only_so_far(monkeypatch):
    set_limits(monkeypatch, file_pages=1)
    doc = read_pdf(JUNK + numbered_pages(12), "长文件.pdf")
    assert doc.omissions == ["超过 10 页，只读取了前 1 页（页数上限 1）"]
    assert all_text(doc) == "Body of page 1."


# ---------------------------------------------------------------------------------------------
# 4. a file pdfium refuses and pdfminer reads


def two_pages() -> bytes:
    pdf = PdfBuilder()
    pdf.page(text([(72, 780, "Rescued by pdfminer."), (72, 740, "Second line of page one.")]))
    pdf.page(text([(72, 780, "Page two is read too.")]))
    return pdf.build()


@pytest.mark.parametrize(
    "damage",
    [lambda data: JUNK + data, lambda data: data.replace(b"%PDF-1.7", b"%XYZ-9.9", 1)],
    ids=["junk-before-header", "header-overwritten"],
)
def test_file_pdfium_refuses_is_read_by_pdfminer_with_a_warning(damage):
    import pypdfium2 as pdfium

    data = damage(two_pages())
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(data)
    doc = read_document(PackageFile.from_bytes("修复.pdf", data))
    assert doc.error is None and doc.problem is None
    assert doc.warnings == [FALLBACK]
    assert doc.pages == 2 and doc.omissions == []
    assert "Rescued by pdfminer." in page_text(doc, 1) and "Page two is read too." in all_text(doc)


# ---------------------------------------------------------------------------------------------
# 5. more text objects than page_text_objects


def test_page_of_many_text_objects_is_read_by_the_fallback(monkeypatch):
    import pypdfium2 as pdfium

    words = [(72 + (i % 5) * 100, 740 - (i // 5) * 14, f"w{i}") for i in range(100)]
    pdf = PdfBuilder()
    pdf.page(text([(72, 780, "A page of few text objects.")]))
    pdf.page(text([(72, 780, "Many text objects follow."), *words], 10))
    data = pdf.build()
    textpages = []
    original = pdfium.PdfPage.get_textpage
    monkeypatch.setattr(pdfium.PdfPage, "get_textpage", lambda self: textpages.append(1) or original(self))

    normal = read_pdf(data, "文字对象.pdf")
    assert normal.omissions == [] and len(textpages) == 2

    set_limits(monkeypatch, page_text_objects=50)
    textpages.clear()
    doc = read_pdf(data, "文字对象.pdf")
    assert len(textpages) == 1  # the second page's text is not extracted by pdfium
    assert doc.omissions == ["第2页文字对象超过上限 50 个，改由备用解析器读取文字，未识别其中有表格线的表格"]
    read = all_text(doc)
    assert "A page of few text objects." in read and "Many text objects follow." in read
    cells = {c.text for t in doc.tables() for row in t.rows for c in row}
    assert {f"w{i}" for i in range(100)} <= cells | set(read.split())


# ---------------------------------------------------------------------------------------------
# 6. more lines in columns than page_text_lines


def columns_page(rows: int = 30) -> bytes:
    lines = [(72, 800, "Table of columns.")]
    for r in range(rows):
        y = 770 - r * 16
        lines += [(72, y, f"item{r}"), (250, y, f"{r * 3}"), (400, y, f"{r * 7}.5")]
    pdf = PdfBuilder()
    pdf.page(text(lines, 10))
    return pdf.build()


def test_lines_in_columns_beyond_page_text_lines_are_read_as_text(monkeypatch):
    [table] = read_pdf(columns_page(), "分栏.pdf").tables()
    assert (table.n_rows, table.n_cols) == (30, 3)
    assert table.text_grid()[29] == ["item29", "87", "203.5"]

    set_limits(monkeypatch, page_text_lines=10)
    doc = read_pdf(columns_page(), "分栏.pdf")
    assert list(doc.tables()) == []
    assert doc.omissions == ["第1页分栏排列的文字有 30 行，超过上限 10 行，未识别其中的无框表格（文字已读取）"]
    read = all_text(doc)
    for r in (0, 15, 29):
        assert f"item{r}" in read and f"{r * 7}.5" in read


# ---------------------------------------------------------------------------------------------
# 7. encrypted and broken files


def encrypted_pdf() -> bytes:
    return reportlab_pdf(lambda c, n: (c.setFont("WQY", 12), c.drawString(72, 700, "机密")), encrypt="secret")


@pytest.mark.parametrize("prefix", [b"", JUNK], ids=["pdfium", "pdfminer"])
def test_encrypted_pdf_stays_encrypted(prefix):
    doc = read_document(PackageFile.from_bytes("加密.pdf", prefix + encrypted_pdf()))
    assert doc.error == "PDF 已加密，需要密码，无法读取内容"
    assert doc.blocks == []


@pytest.mark.parametrize(
    "cut",
    [lambda d: d[: len(d) // 3], lambda d: d[:100], lambda d: b"%PDF-1.7\n", lambda d: b"%PDF-1.4\n" + bytes(range(256)) * 12],
    ids=["a-third", "100-bytes", "header-only", "garbage"],
)
def test_truncated_or_garbage_pdf_is_unreadable_in_chinese(cut):
    doc = read_document(PackageFile.from_bytes("截断.pdf", cut(two_pages())))
    assert doc.problem == "damaged"
    assert doc.error == "文件已损坏，无法作为 PDF 读取（PDF 结构无法解析）"
    assert chinese_reason(doc.error)


# ---------------------------------------------------------------------------------------------
# through the command line: the package is checked, each hostile file named


def run_cli(directory: Path, out: Path, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "service.cli", "check", str(directory), "--quiet", "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc, json.loads(out.read_text(encoding="utf-8"))


def findings_for(report: dict, name: str) -> list[dict]:
    return [f for f in report["findings"] if any(loc.get("file") == name for loc in f["locations"])]


def test_cli_names_each_hostile_pdf_and_checks_the_rest(tmp_path):
    package = tmp_path / "package"
    package.mkdir()
    (package / "图形炸弹.pdf").write_bytes(fan_out_pdf())
    (package / "修复.pdf").write_bytes(JUNK + two_pages())
    (package / "加密.pdf").write_bytes(encrypted_pdf())
    (package / "截断.pdf").write_bytes(two_pages()[:100])
    (package / "正常报告.pdf").write_bytes(
        reportlab_pdf(lambda c, n: (c.setFont("WQY", 12), c.drawString(72, 700, "企业成立于2015年，主要从事粉煤灰综合利用。")))
    )
    (package / "营业执照.pdf").write_bytes(scanned_pdf())
    # a generous time limit: only a regression (the fan-out given to pdfium) comes near it
    proc, report = run_cli(package, tmp_path / "out.json", env={"SHENCHA_LIMIT_FILE_SECONDS": "60"})
    assert proc.stderr == ""
    files = {f["path"]: f for f in report["package"]["files"]}
    assert len(files) == 6

    bomb = files["图形炸弹.pdf"]
    assert (bomb["error"], bomb["pages"]) == (None, 3)
    assert bomb["omissions"] == ["第2页图形对象超过上限 200000 个，未识别其中的表格线"]
    [partial] = [f for f in findings_for(report, "图形炸弹.pdf")]
    assert partial["rule"] == "FILE.PARTIALLY_READ" and partial["severity"] == "warning"
    assert "「图形炸弹.pdf」" in partial["message"] and "图形对象超过上限 200000 个" in partial["message"]

    rescued = files["修复.pdf"]
    assert rescued["error"] is None and rescued["warnings"] == [FALLBACK]
    assert findings_for(report, "修复.pdf") == []

    [encrypted] = findings_for(report, "加密.pdf")
    assert encrypted["rule"] == "FILE.UNREADABLE" and "PDF 已加密" in encrypted["message"]
    [truncated] = findings_for(report, "截断.pdf")
    assert truncated["rule"] == "FILE.UNREADABLE"
    assert truncated["evidence"]["reason"] == "文件已损坏，无法作为 PDF 读取（PDF 结构无法解析）"

    # the other files are read and checked as in any package
    normal = files["正常报告.pdf"]
    assert (normal["error"], normal["has_text_layer"], normal["omissions"]) == (None, True, [])
    assert findings_for(report, "正常报告.pdf") == []
    [scan] = findings_for(report, "营业执照.pdf")
    assert scan["rule"] == "FILE.NO_TEXT_LAYER"
    assert not any(f["rule"] == "FILE.LIMIT_EXCEEDED" for f in report["findings"])
