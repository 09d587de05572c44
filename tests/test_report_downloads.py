"""The downloadable reports (DOCX, XLSX, PDF) rendered from real sample-package reports."""

from __future__ import annotations

import copy
import ctypes
import json
import re
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from openpyxl import load_workbook

from checkers.finding import SEVERITY_LABELS
from checkers.registry import RULES
from service.review.pipeline import review_package
from service.reports.model import build_report
from service.reports.docx_report import FINDING_HEADERS as DOCX_FINDING_HEADERS
from service.reports.docx_report import render_docx
from service.reports.pdf_report import FONT_NAME, render_pdf
from service.reports.evidence import EVIDENCE_LABELS, evidence_label, evidence_rows
from service.reports.view import evidence_lines, grouped_location_texts, mark_of, plain_number, to_decimal
from service.reports.xlsx_report import FINDING_HEADERS as XLSX_FINDING_HEADERS
from service.reports.xlsx_report import render_xlsx

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"
FIXED_TIME = datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc)
LOCATION_COLUMNS = {"file": "文件", "page": "页", "sheet": "工作表", "cell": "单元格", "table": "表", "row": "行", "column": "列", "paragraph": "段"}


def _report(name: str) -> dict:
    return build_report(review_package(SAMPLES / name), generated_at=FIXED_TIME)


@pytest.fixture(scope="module")
def agency() -> dict:
    """hb_agency_11: a veto, multi-location findings, scanned PDFs and the 附件6 score table."""
    report = _report("hb_agency_11.zip")
    assert report["fields"].get("scores"), "sample must carry the score table"
    assert any(len(f["locations"]) > 1 for f in report["findings"])
    return report


@pytest.fixture(scope="module")
def bench() -> dict:
    """hn_bench_05.zip: a PDF report (page locations) and findings without any location."""
    report = _report("hn_bench_05.zip")
    assert not report["fields"].get("scores")
    assert any(not f["locations"] for f in report["findings"])
    return report


def _marks(report: dict) -> dict:
    first, second = report["findings"][0], report["findings"][1]
    return {
        first["id"]: {"status": "已核实", "comment": "经核对原件，情况属实 <退回>", "user": "wuhan_city", "updated_at": "2026-03-02T09:15:00+00:00"},
        second["id"]: {"status": "误报", "comment": "申报单位已补充说明", "user": "agency_a", "updated_at": "2026-03-02T10:00:00+00:00"},
    }


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _in_text(message: str, text: str) -> bool:
    """The message in the PDF's text, whole, or in two parts where a page break splits its cell
    (the other columns and the page's footer then stand between the parts)."""
    m, t = _squash(message), _squash(text)
    return m in t or any(m[:k] in t and m[k:] in t for k in range(4, len(m) - 3))


# ---------------------------------------------------------------- shared helpers


def test_evidence_shown_with_chinese_labels_and_nested_rows():
    evidence = {"count": 7, "files": ["a.xlsx", "b.docx"], "tolerance": {"abs": "0.5", "unit": "吨"}, "rows": [{"name": "煤矸石"}],
                "empty": [], "ok": False, "none": None, "no_such_key": "原样"}
    assert evidence_rows(evidence) == [
        ("数量", "7"),
        ("文件", "a.xlsx、b.docx"),
        ("允许误差·abs", "0.5"),
        ("允许误差·单位", "吨"),
        ("行号[1]·姓名", "煤矸石"),
        ("empty", "无"),
        ("ok", "否"),
        ("none", "无"),
        ("no_such_key", "原样"),  # an unknown key falls back to the key
    ]
    # the evidence's own `labels` name the sub-keys of a count per source
    counts = {"counts": {"roster": 7, "insured": 1200}, "labels": {"roster": "花名册", "insured": "社保缴纳明细"}}
    assert evidence_rows(counts) == [("人数·花名册", "7"), ("人数·社保缴纳明细", "1,200")]
    # sources and comparison modes in Chinese, like the messages
    assert evidence_rows({"reference_source": "indicator_table", "modes": ["absolute", "relative"]}) == [
        ("基准来源", "指标表"), ("比较方式", "差值、变化率")]
    assert evidence_lines({"evidence": {"text": "甲" * 50}}, max_chars=10) == ["填写内容：" + "甲" * 4 + "…"]


def _evidence_keys_the_rules_emit() -> set[str]:
    """Every literal key of an evidence dict in checkers/ (evidence={...}, evidence = {...},
    evidence.update({...}), evidence["..."] = ...)."""
    import ast

    keys: set[str] = set()
    root = Path(__file__).resolve().parent.parent / "checkers"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            literal = None
            if isinstance(node, ast.keyword) and node.arg == "evidence":
                literal = node.value
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                if isinstance(target, ast.Name) and "evidence" in target.id:
                    literal = node.value
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and "evidence" in target.value.id:
                    if isinstance(target.slice, ast.Constant):
                        keys.add(target.slice.value)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"
                  and isinstance(node.func.value, ast.Name) and "evidence" in node.func.value.id and node.args):
                literal = node.args[0]
            if isinstance(literal, ast.Dict):
                keys.update(k.value for k in literal.keys if isinstance(k, ast.Constant))
    return keys


def test_every_evidence_key_a_rule_emits_has_a_chinese_label():
    keys = _evidence_keys_the_rules_emit()
    assert len(keys) > 100  # the scan found the rules' evidence
    unlabelled = sorted(k for k in keys if k not in EVIDENCE_LABELS)
    assert not unlabelled, unlabelled
    assert all(re.search(r"[\u4e00-\u9fff]", evidence_label(k)) for k in keys)
    # amount_<category> (built with an f-string) is labelled with its category's title; an unknown one with its id
    assert evidence_label("amount_nonferrous") == "年综合利用量（有色金属类）"
    assert evidence_label("amount_new_kind") == "年综合利用量（new_kind）"


SUM_MESSAGE = ("工业资源年综合利用量（2024年）：分项合计 10,000.000 万吨 + 2,345.678 万吨 = 12,345.678 万吨，"
               "填报 12,346.678 万吨，相差 1.000 万吨（见 附件3 年报表.xlsx）")
SUM_EVIDENCE = {"label": "工业资源年综合利用量", "period": "2024", "total": "123466780", "items_sum": "123456780",
                "difference": "10000", "tolerance": "10", "unit": "吨", "items": ["粉煤灰", "炉渣"]}


def test_evidence_figures_in_the_unit_of_the_message_with_separators():
    rows = dict(evidence_rows(SUM_EVIDENCE, SUM_MESSAGE))
    assert rows == {"项目": "工业资源年综合利用量", "期间": "2024", "填报合计": "12,346.678 万吨", "分项之和": "12,345.678 万吨",
                    "差额": "1 万吨", "允许误差": "0.001 万吨", "单位": "万吨", "分项": "粉煤灰、炉渣"}
    # a message in 吨 keeps 吨, with separators
    in_tonnes = dict(evidence_rows(SUM_EVIDENCE, "分项合计 123456780 吨，填报 123466780 吨"))
    assert in_tonnes["填报合计"] == "123,466,780 吨" and in_tonnes["单位"] == "吨"
    # 万元 likewise; `unit` naming an organisation is shown as such, the amounts use `base_unit`
    profit = dict(evidence_rows({"unit": "湖南某某有限公司", "year": "2023", "profit": "12345678", "revenue": "1000000",
                                 "base_unit": "元"}, "利润 1234.5678 万元 大于主营业务收入 100 万元"))
    assert profit == {"单位名称": "湖南某某有限公司", "年度": "2023", "利润": "1,234.5678 万元", "主营业务收入": "100 万元",
                      "金额单位": "万元"}
    # a rate's numerator and denominator in the unit the message writes them in
    rate = dict(evidence_rows({"reported": "95.0", "computed": "96.9231", "numerator": "1260000", "denominator": "1300000",
                               "unit": "%"}, "利用率：填报 95.0%，按 利用量 126.0 万吨 / 产生量 130.0 万吨 × 100% = 96.9%"))
    assert rate == {"填报值": "95.0%", "计算值": "96.9231%", "分子": "126 万吨", "分母": "130 万吨", "单位": "%"}


def test_no_separators_in_years_codes_id_numbers_or_phone_numbers():
    rows = dict(evidence_rows({"year": "2024", "period": "2023", "first_year": "2021", "established_year": "2015",
                               "id_number": "420102199001011234", "value": "13912345678", "normalised": "91420100MA4KXYZ12Q",
                               "key": "utilized.10001", "rows": [1001, 1002]}, "联系电话「13912345678」不是有效的号码"))
    assert rows == {"年度": "2024", "期间": "2023", "起始年度": "2021", "成立年份": "2015", "身份证号码": "420102199001011234",
                    "填写值": "13912345678", "规范写法": "91420100MA4KXYZ12Q", "数据项": "utilized.10001", "行号": "1001、1002"}
    # the same key is a figure when the evidence gives it a measurement unit
    assert dict(evidence_rows({"value": "12345.6", "unit": "%"}))["填写值"] == "12,345.6%"


def test_marks_and_numbers_shown_in_chinese():
    marks = {"a": {"status": "false_positive", "comment": "x\x07y", "user": "u", "updated_at": "2026-03-02T09:15:00"}}
    assert mark_of(marks, "a") == {"status": "误报", "comment": "xy", "user": "u", "time": "2026-03-02 09:15"}
    assert mark_of(marks, "b")["status"] == ""
    assert mark_of(None, "a")["status"] == ""
    assert [plain_number(to_decimal(v)) for v in ("2.0", "4.40", "1E+1", "100")] == ["2", "4.4", "10", "100"]
    assert to_decimal("abc") is None and to_decimal(None) is None


# ---------------------------------------------------------------- DOCX


def _docx(report: dict, marks: dict | None = None):
    return open_docx(BytesIO(render_docx(report, marks)))


def _table_with_header(doc, header: list[str]):
    for t in doc.tables:
        if [c.text for c in t.rows[0].cells] == header:
            return t
    raise AssertionError(f"no table with header {header}")


def test_docx_findings_table_carries_messages_locations_and_marks(agency):
    marks = _marks(agency)
    doc = _docx(agency, marks)
    table = _table_with_header(doc, DOCX_FINDING_HEADERS)
    assert len(table.rows) == len(agency["findings"]) + 1
    for row, f in zip(table.rows[1:], agency["findings"]):
        cells = [c.text for c in row.cells]
        assert cells[1] == SEVERITY_LABELS[f["severity"]]
        # the rule code with its Chinese title beside it, then the message
        assert cells[2].startswith(f"{f['rule']} {RULES[f['rule']].title}\n{f['message']}")
        assert cells[3] == "\n".join(grouped_location_texts(f))
        for loc in f["locations"]:
            assert loc["file"] in cells[3] and loc["description"][len(loc["file"]):].strip() in cells[3]
        if not f["locations"]:
            assert cells[3] == "（整个申报包）"
        mark = marks.get(f["id"])
        if mark:
            assert cells[5].startswith(mark["status"]) and mark["user"] in cells[5]
            assert cells[6].startswith(mark["comment"])
        else:
            assert cells[5] == ""
        assert f["id"] in cells[6]
    veto = [c.text for c in table.rows[1].cells]
    assert "数量：7" in veto[4].split("\n") and "最低要求：8" in veto[4].split("\n")  # Chinese evidence labels
    title = RULES["ELIGIBILITY.STAFF_BELOW_MINIMUM"].title
    assert title and veto[2].split("\n")[0] == f"ELIGIBILITY.STAFF_BELOW_MINIMUM {title}"
    assert agency["findings"][0]["quote"] in veto[2]


def test_docx_overview_counts_and_opinion_section(agency):
    doc = _docx(agency, _marks(agency))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "湖北省工业固体废物资源综合利用评价机构申请审查报告" in text
    for heading in ("一、基本情况", "二、问题统计", "三、申报材料", "四、审查发现", "五、附件6 评分表", "六、审查意见"):
        assert heading in text
    assert "审查人（签字）" in text and "日期：" in text
    overview = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert overview["申报包"] == "hb_agency_11.zip"
    assert overview["审查结论"] == "存在否决项，不符合申报条件或须退回"
    counts = _table_with_header(doc, ["严重程度", "否决", "错误", "警告", "提示", "合计"])
    s = agency["summary"]
    assert [c.text for c in counts.rows[1].cells] == ["问题数", str(s["veto"]), str(s["error"]), str(s["warning"]), str(s["info"]), str(len(agency["findings"]))]
    marked = _table_with_header(doc, ["审查标记", "已核实", "误报", "待补正", "未标记"])
    assert [c.text for c in marked.rows[1].cells] == ["问题数", "1", "1", "0", str(len(agency["findings"]) - 2)]
    files = _table_with_header(doc, ["序号", "文件", "材料", "类型", "页数", "读取情况"])
    assert [r.cells[1].text for r in files.rows[1:]] == [f["path"] for f in agency["package"]["files"]]
    # blank ruled lines for the opinion: a one-column table of empty rows after the heading
    assert any(len(t.columns) == 1 and len(t.rows) >= 10 and not any(c.text for c in t.column_cells(0)) for t in doc.tables)
    landscape = [s for s in doc.sections if s.page_width > s.page_height]
    assert len(doc.sections) == 3 and len(landscape) == 1


def test_docx_score_table_for_agency(agency):
    scores = agency["fields"]["scores"]
    doc = _docx(agency)
    table = _table_with_header(doc, ["分组", "评分项", "满分", "得分", "计算过程", "状态"])
    assert len(table.rows) == len(scores) + 2  # header, items, total
    for row, s in zip(table.rows[1:], scores):
        cells = [c.text for c in row.cells]
        assert cells[1] == s["item"] and cells[4] == s["working"]
        if s["status"] == "computed":
            assert cells[5] == "自动计算" and to_decimal(cells[3]) == to_decimal(s["score"])
        else:
            assert cells[5] == "待人工评分" and cells[3] == ""
    total = [c.text for c in table.rows[-1].cells]
    assert total[0] == "合计"
    assert to_decimal(total[2]) == sum(to_decimal(s["max"]) for s in scores)
    assert to_decimal(total[3]) == sum(to_decimal(s["score"]) for s in scores if s["status"] == "computed")


def test_docx_without_scores_and_with_unlocated_findings(bench):
    doc = _docx(bench)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "附件6" not in text and "五、审查意见" in text
    table = _table_with_header(doc, DOCX_FINDING_HEADERS)
    assert len(table.rows) == len(bench["findings"]) + 1
    assert any("第1页" in r.cells[3].text for r in table.rows[1:])


def test_docx_uses_songti_for_east_asian_text(agency):
    doc = _docx(agency)
    for name in ("Normal", "Heading 1", "Title"):
        fonts = doc.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) in ("宋体", "黑体")
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override it
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"


# ---------------------------------------------------------------- XLSX


def _workbook(report: dict, marks: dict | None = None):
    return load_workbook(BytesIO(render_xlsx(report, marks)))


def test_xlsx_one_row_per_finding_with_locations_evidence_and_marks(agency):
    marks = _marks(agency)
    ws = _workbook(agency, marks)["问题清单"]
    header = [c.value for c in ws[1]]
    assert header == XLSX_FINDING_HEADERS
    col = {h: i for i, h in enumerate(header)}
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(agency["findings"])
    for row, f in zip(rows, agency["findings"]):
        assert row[col["问题编号"]] == f["id"]
        assert row[col["规则"]] == f["rule"]
        assert col["规则名称"] == col["规则"] + 1 and row[col["规则名称"]] == RULES[f["rule"]].title
        assert row[col["严重程度"]] == SEVERITY_LABELS[f["severity"]]
        assert row[col["问题说明"]] == f["message"]
        first = f["locations"][0] if f["locations"] else {}
        for key, label in LOCATION_COLUMNS.items():
            assert row[col[label]] == first.get(key)
        assert row[col["位置数"]] == len(f["locations"])
        for loc in f["locations"]:
            assert loc["description"] in row[col["全部位置"]]
        assert json.loads(row[col["证据（JSON）"]]) == f["evidence"]
        assert (row[col["原文"]] or None) == f["quote"]
        mark = marks.get(f["id"])
        assert row[col["标记状态"]] == (mark["status"] if mark else "未标记")
        assert row[col["标记说明"]] == (mark["comment"] if mark else None)
        assert row[col["标记人"]] == (mark["user"] if mark else None)
    veto = rows[0]  # vetoes lead, their location and evidence spelled out
    first = agency["findings"][0]
    assert first["severity"] == "veto" and veto[col["行"]] == first["locations"][0]["row"]
    assert f"数量：{first['evidence']['count']}" in veto[col["依据"]].split("\n")


def test_xlsx_sheets_are_navigable(agency):
    wb = _workbook(agency, _marks(agency))
    assert wb.sheetnames == ["概要", "问题清单", "位置明细", "文件", "附件6评分"]
    ws = wb["问题清单"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=ws.max_column).column_letter}{len(agency['findings']) + 1}"
    message_col = ws.cell(row=1, column=XLSX_FINDING_HEADERS.index("问题说明") + 1).column_letter
    assert 30 <= ws.column_dimensions[message_col].width <= 62
    assert ws.cell(row=2, column=XLSX_FINDING_HEADERS.index("问题说明") + 1).alignment.wrap_text
    details = list(wb["位置明细"].iter_rows(min_row=2, values_only=True))
    assert len(details) == sum(len(f["locations"]) for f in agency["findings"])
    summary = {r[0]: r[1] for r in wb["概要"].iter_rows(values_only=True) if r[0]}
    assert summary["申报包"] == "hb_agency_11.zip"
    assert summary["否决"] == agency["summary"]["veto"] and summary["提示"] == agency["summary"]["info"]
    assert summary["已核实"] == 1 and summary["误报"] == 1 and summary["未标记"] == len(agency["findings"]) - 2
    files = list(wb["文件"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in files] == [f["path"] for f in agency["package"]["files"]]
    scores = list(wb["附件6评分"].iter_rows(min_row=2, values_only=True))
    assert len(scores) == len(agency["fields"]["scores"])
    assert sum(r[2] for r in scores) == 100
    assert {r[5] for r in scores} == {"自动计算", "待人工评分"}


def test_xlsx_keeps_uploaded_text_as_text(bench):
    report = copy.deepcopy(bench)
    report["findings"][0]["quote"] = '=HYPERLINK("http://example.invalid","点击")'
    report["findings"][0]["message"] = "含控制字符\x07的说明"
    ws = _workbook(report)["问题清单"]
    quote = ws.cell(row=2, column=XLSX_FINDING_HEADERS.index("原文") + 1)
    assert quote.data_type == "s" and quote.value == '=HYPERLINK("http://example.invalid","点击")'
    assert ws.cell(row=2, column=XLSX_FINDING_HEADERS.index("问题说明") + 1).value == "含控制字符的说明"
    assert "附件6评分" not in _workbook(report).sheetnames


# ---------------------------------------------------------------- PDF


def _pdf_text(data: bytes) -> tuple[str, int]:
    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))), len(pdf)
    finally:
        pdf.close()


def _pdf_fonts(data: bytes) -> set[tuple[str, bool]]:
    """(base font name, embedded?) of every text object on every page."""
    pdf = pdfium.PdfDocument(data)
    fonts = set()
    try:
        for i in range(len(pdf)):
            for obj in pdf[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
                font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
                size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
                buf = ctypes.create_string_buffer(size)
                pdfium_c.FPDFFont_GetBaseFontName(font, buf, size)
                fonts.add((buf.value.decode(), bool(pdfium_c.FPDFFont_GetIsEmbedded(font))))
    finally:
        pdf.close()
    return fonts


def test_pdf_text_extractable_with_messages_marks_and_scores(agency):
    marks = _marks(agency)
    data = render_pdf(agency, marks)
    assert data.startswith(b"%PDF")
    text, pages = _pdf_text(data)
    flat = _squash(text)
    assert "湖北省工业固体废物资源综合利用评价机构申请审查报告" in flat
    for f in agency["findings"]:
        assert _in_text(f["message"], flat)
        assert f["id"] in flat
    for mark in marks.values():
        assert _squash(mark["comment"]) in flat and mark["user"] in flat
    assert "已核实" in flat and "误报" in flat
    assert "附件6评分表" in flat and "待人工评分" in flat and "自动计算" in flat
    for s in agency["fields"]["scores"]:
        assert _squash(s["working"]) in flat
    assert "审查人（签字）" in flat
    assert f"第1页/共{pages}页" in flat and f"第{pages}页/共{pages}页" in flat


def test_pdf_embeds_its_cjk_font_only(agency, bench):
    for report in (agency, bench):
        fonts = _pdf_fonts(render_pdf(report))
        assert fonts, "no text objects"
        assert all(embedded for _, embedded in fonts), fonts
        assert all(FONT_NAME in name for name, _ in fonts), fonts


def test_pdf_without_scores_and_with_page_locations(bench):
    text, _ = _pdf_text(render_pdf(bench))
    flat = _squash(text)
    assert "附件6" not in flat
    for f in bench["findings"]:
        assert _in_text(f["message"], flat)
    page_loc = next(l for f in bench["findings"] for l in f["locations"] if l["page"])
    assert _squash(f"{page_loc['file']}：{page_loc['description'][len(page_loc['file']):]}") in flat
    assert "（整个申报包）" in flat


def test_pdf_prints_markup_and_missing_glyphs_safely(bench):
    report = copy.deepcopy(bench)
    report["findings"][0]["message"] = "勾选情况：☑ 是 ☐ 否 <b>不是标记</b> & 其他\x07"
    text, _ = _pdf_text(render_pdf(report))
    assert "勾选情况：[√]是[]否<b>不是标记</b>&其他" in _squash(text)


def test_pdf_finding_taller_than_a_page_flows_onto_next_pages(bench):
    report = copy.deepcopy(bench)
    report["findings"][1]["message"] = "超长说明" * 1500  # about six pages of text in one cell
    text, pages = _pdf_text(render_pdf(report))
    assert pages >= 4
    assert _squash(text).count("超长说明") == 1500
    for f in report["findings"][2:]:
        assert _in_text(f["message"], text)


def test_locations_in_one_file_are_grouped_on_one_line():
    finding = {
        "locations": [
            {"file": "报告.docx", "description": "报告.docx 表3 第3行第2列"},
            {"file": "报告.docx", "description": "报告.docx 表3 第3行第3列"},
            {"file": "附件1.xlsx", "description": "附件1.xlsx 工作表「附件1」 单元格F4"},
            {"file": "营业执照.pdf", "description": "营业执照.pdf"},
        ]
    }
    assert grouped_location_texts(finding) == [
        "报告.docx：表3 第3行第2列；表3 第3行第3列",
        "附件1.xlsx：工作表「附件1」 单元格F4",
        "营业执照.pdf",
    ]
    assert grouped_location_texts({"locations": []}) == ["（整个申报包）"]


# ---------------------------------------------------------------- every format: rule titles, evidence, rule codes


def synthetic_report(findings: list[dict]) -> dict:
    """A stored report (schema_version 1) around hand-made findings."""
    summary = {s: sum(1 for f in findings if f["severity"] == s) for s in ("veto", "error", "warning", "info")}
    return {
        "schema_version": 1,
        "generator": {"name": "shencha", "version": "0", "generated_at": "2026-03-01T08:30:00+00:00"},
        "package": {"name": "合成申报包.zip", "form": "hb_evaluation", "form_title": "湖北省工业固体废物资源综合利用评价", "files": []},
        "fields": {}, "outline": [], "attachments": [], "findings": findings, "summary": summary, "tables": [],
    }


def finding_of(n: int, rule: str, message: str, evidence: dict | None = None, with_title: bool = True) -> dict:
    f = {"id": f"{n:012x}", "rule": rule, "severity": RULES[rule].severity, "message": message,
         "locations": [], "evidence": evidence or {}, "quote": None}
    if with_title:
        f["rule_title"] = RULES[rule].title
    return f


@pytest.fixture(scope="module")
def every_rule() -> dict:
    """One finding per registered rule, the longest codes included; the 合计 one in 万吨, and one
    finding from a report written before `rule_title` existed (the title then comes from the registry)."""
    from checkers.run import load_rules

    codes = sorted(load_rules())
    findings = [finding_of(1, "SUM.TOTAL_MISMATCH", SUM_MESSAGE, SUM_EVIDENCE)]
    findings += [finding_of(n, code, f"第{n}条说明", with_title=n % 2 == 0)
                 for n, code in enumerate((c for c in codes if c != "SUM.TOTAL_MISMATCH"), 2)]
    return synthetic_report(findings)


SUM_SHOWN = ["填报合计：12,346.678 万吨", "分项之和：12,345.678 万吨", "差额：1 万吨", "允许误差：0.001 万吨", "单位：万吨", "期间：2024"]


def test_docx_rule_titles_chinese_evidence_and_figures_in_wan_tonnes(every_rule):
    table = _table_with_header(_docx(every_rule), DOCX_FINDING_HEADERS)
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [r[2].split("\n")[0] for r in rows] == [f"{f['rule']} {RULES[f['rule']].title}" for f in every_rule["findings"]]
    evidence = rows[0][4].split("\n")
    assert all(line in evidence for line in SUM_SHOWN), evidence


def test_xlsx_rule_titles_chinese_evidence_and_figures_in_wan_tonnes(every_rule):
    wb = _workbook(every_rule)
    ws = wb["问题清单"]
    col = {h: i for i, h in enumerate(c.value for c in ws[1])}
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [(r[col["规则"]], r[col["规则名称"]]) for r in rows] == [(f["rule"], RULES[f["rule"]].title) for f in every_rule["findings"]]
    evidence = rows[0][col["依据"]].split("\n")
    assert all(line in evidence for line in SUM_SHOWN), evidence
    assert json.loads(rows[0][col["证据（JSON）"]]) == SUM_EVIDENCE  # the raw evidence stays for machines
    header = [c.value for c in wb["位置明细"][1]]
    assert header[1:3] == ["规则", "规则名称"]


def _pdf_lines(data: bytes) -> list[str]:
    text, _ = _pdf_text(data)
    return [line.strip() for line in text.splitlines()]


def test_pdf_rule_codes_never_split_and_titled(every_rule, agency):
    for report in (every_rule, agency):
        lines = _pdf_lines(render_pdf(report))
        for code in {f["rule"] for f in report["findings"]}:
            times = sum(1 for f in report["findings"] if f["rule"] == code)
            holding = [i for i, line in enumerate(lines) if re.search(rf"(?<![A-Z_.]){re.escape(code)}(?![A-Z_.])", line)]
            # each code whole on one line: a code broken across two lines would be found fewer times
            assert len(holding) == times, (code, [l for l in lines if code.split(".")[0] in l])
            title = RULES[code].title
            for i in holding:  # the title beside the code, or on the line below when both do not fit
                after = lines[i][lines[i].index(code) + len(code):] + "\n" + lines[i + 1]
                assert _squash(title) in _squash(after), (code, lines[i], lines[i + 1])


def test_pdf_chinese_evidence_and_figures_in_wan_tonnes(every_rule):
    flat = _squash(_pdf_text(render_pdf(every_rule))[0])
    assert all(_squash(line) in flat for line in SUM_SHOWN), flat[:2000]
    assert "total" not in flat and "items_sum" not in flat


def test_evidence_names_roles_categories_and_compound_units_in_chinese():
    # a rule's source role, named as the form names the file; an empty text says so
    assert evidence_rows({"source": "report", "text": ""}, "", "hn_benchmark") == [("来源", "自评价报告书"), ("填写内容", "（空）")]
    # scale categories by their titles in corpus/forms/hn_benchmark_thresholds.yaml
    rows = dict(evidence_rows({"category": "nonferrous", "amount_scrap_steel": "7300", "unit": "吨"}, "年综合利用量 0.73 万吨"))
    assert rows == {"类别": "有色金属类", "年综合利用量（废钢铁）": "0.73 万吨", "单位": "万吨"}
    # the 吨 of 吨/万元 is not the unit tonnages are written in: 产生量 33.00 万吨 is
    rows = dict(evidence_rows({"reported": "1.454", "generated_tonnes": "330000", "value_added_wan_yuan": "283639", "unit": "吨/万元"},
                              "填报 1.454 吨/万元，按 产生量 33.00 万吨（330000 吨）/ 工业增加值 283639 万元 = 1.163 吨/万元"))
    assert rows == {"填报值": "1.454 吨/万元", "产生量": "33 万吨", "工业增加值": "283,639 万元", "单位": "吨/万元"}
