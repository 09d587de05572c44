"""The JSON report contract (schema_version 1) and the ground-truth matching rule."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from checkers.finding import Finding
from extractor.forms.base import FieldValue, FileRole, FormResult, SectionHit
from extractor.model import Block, Cell, Document, Location, Table
from extractor.quantity import Quantity
from service.review.pipeline import Review
from service.reports.model import build_report, source_quote, write_json
from service.reports.scoring import matches_expected

SCHEMA_DOC = Path(__file__).resolve().parent.parent / "docs" / "report-schema.md"
DOCX, XLSX, PDF = "申报材料/评价报告.docx", "附件3 年报表.xlsx", "扫描件.pdf"
FIXED_TIME = datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc)


def grid(file: str, index: int, texts: list[list[str]], *, sheet: str | None = None, first_sheet_row: int = 1,
         page: int | None = None, merges: dict[tuple[int, int], tuple[int, int]] | None = None) -> Table:
    """A table whose cells carry locations; `merges` maps a covered position to its origin."""
    merges = merges or {}
    rows = []
    for r, row in enumerate(texts, 1):
        cells = []
        for c, text in enumerate(row, 1):
            ref = f"{'ABCDEFGH'[c - 1]}{first_sheet_row + r - 1}" if sheet else None
            origin = merges.get((r, c))
            cells.append(
                Cell(text=text, row=r, col=c, origin=origin,
                     loc=Location(file=file, page=page, sheet=sheet, cell=ref, table=index, row=r, column=c))
            )
        rows.append(cells)
    return Table(index=index, rows=rows, header_rows=1, caption=f"表{index}", loc=Location(file=file, page=page, sheet=sheet, table=index),
                 pages=[page] if page else [])


def make_documents() -> list[Document]:
    report_table = grid(
        DOCX, 1,
        [["固废名称", "产生量", "产生量"], ["粉煤灰", "12.6万吨", "126,000"], ["炉渣", "3.4万吨", "34,000"]],
        merges={(1, 2): (1, 2), (1, 3): (1, 2)},
    )
    docx = Document(
        path=DOCX, type="docx", sha256="a" * 64, size=2048,
        blocks=[
            Block(kind="heading", text="一、企业基本情况", level=1, numbering="一、", loc=Location(file=DOCX, paragraph=1)),
            Block(kind="paragraph", text="2024年公司粉煤灰综合利用量为12.6万吨，利用率为98.5%。", loc=Location(file=DOCX, paragraph=2)),
            Block(kind="table", table=report_table, loc=Location(file=DOCX, paragraph=3, table=1)),
        ],
    )
    annual = grid(
        XLSX, 1,
        [["指标", "2023年", "2024年"], ["粉煤灰产生量（吨）", "120000", "126000"], ["合计", "150000", "<b>160000</b>"]],
        sheet="Sheet1", first_sheet_row=3,
    )
    xlsx = Document(path=XLSX, type="xlsx", sha256="b" * 64, size=4096,
                    blocks=[Block(kind="table", table=annual, loc=Location(file=XLSX, sheet="Sheet1", table=1))])
    pdf = Document(path=PDF, type="pdf", sha256="c" * 64, size=99, pages=3, has_text_layer=False,
                   error="PDF 已加密，需要密码")
    return [docx, xlsx, pdf]


def make_form(form: str = "hb_evaluation") -> FormResult:
    qty = Quantity(value=Decimal("126000.0"), unit="吨", text="12.6万吨", source_unit="万吨", decimals=1, scale=Decimal(10000))
    return FormResult(
        form=form,
        form_title="湖北省工业固体废物资源综合利用评价报告" if form != "unknown" else "",
        detection_score=0.92,
        file_roles=[FileRole(path=DOCX, roles=["report"]), FileRole(path=XLSX, roles=["annual_report", "basic_info"])],
        fields={
            "company_name": FieldValue(name="company_name", label="企业名称", text="湖北某某环保科技有限公司",
                                       loc=Location(file=XLSX, sheet="Sheet1", cell="B2"), required=True),
            "utilized": FieldValue(name="utilized", label="粉煤灰利用量", text="12.6万吨", quantity=qty,
                                   loc=Location(file=DOCX, paragraph=2)),
            "contact": FieldValue(name="contact", label="联系人", text="", required=True),
        },
        model={"company": {"name": "湖北某某环保科技有限公司", "revenue": Decimal("1234.50")}, "years": ["2023", "2024"]},
        outline=[SectionHit(id="2", title="企业基本情况", found=True, heading="一、企业基本情况", loc=Location(file=DOCX, paragraph=1)),
                 SectionHit(id="4", title="企业工艺技术", found=False)],
    )


def make_findings() -> list[Finding]:
    return [
        Finding(rule="DOC.INFO", severity="info", message="共读取 3 个文件"),
        Finding(rule="SUM.TOTAL_MISMATCH", severity="error",
                message="工业资源年综合利用量合计 160000 吨 ≠ 各项之和 150000 吨，差 10000 吨（见 附件3 年报表.xlsx）",
                locations=[Location(file=XLSX, sheet="Sheet1", cell="C5"), Location(file=XLSX, sheet="Sheet1", cell="C4")],
                evidence={"total": Decimal("160000"), "items_sum": Decimal("150000"), "difference": Decimal("1E+4"),
                          "tolerance": Decimal("0.5"), "unit": "吨"}),
        Finding(rule="CROSSDOC.FIGURE_MISMATCH", severity="warning", message="粉煤灰利用量 报告 12.6万吨 与 年报表 不一致",
                locations=[Location(file=DOCX, paragraph=2)]),
        Finding(rule="ELIGIBILITY.CATEGORY_OUT_OF_SCOPE", severity="veto", message="<script>alert('x')</script> 不属于第三条范围",
                locations=[Location(file=DOCX, table=1, row=2, column=3)], quote="规则自带的原文"),
        Finding(rule="TABLE.ROW", severity="error", message="炉渣一行数值有误",
                locations=[Location(file=DOCX, table=1, row=3)]),
    ]


def make_review(form: str = "hb_evaluation", findings: list[Finding] | None = None) -> Review:
    return Review(name="hb_eval_03.zip", documents=make_documents(), form=make_form(form),
                  findings=make_findings() if findings is None else findings)


# ---------------------------------------------------------------- the documented contract


def documented_keys() -> dict[str, set[str]]:
    """`### <object>` headings of docs/report-schema.md, each with a table of `key` rows."""
    sections: dict[str, set[str]] = {}
    current = None
    for line in SCHEMA_DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^### `([^`]+)`", line)
        if m:
            current = m.group(1)
            sections[current] = set()
            continue
        m = re.match(r"^\|\s*`([A-Za-z_0-9]+)`\s*\|", line)
        if m and current is not None:
            sections[current].add(m.group(1))
    return sections


def test_report_has_exactly_the_documented_keys():
    doc = documented_keys()
    report = build_report(make_review(), generated_at=FIXED_TIME)
    assert set(report) == doc["report"]
    assert set(report["generator"]) == doc["generator"]
    assert set(report["package"]) == doc["package"]
    for f in report["package"]["files"]:
        assert set(f) == doc["package.files[]"]
    assert set(report["summary"]) == doc["summary"]
    assert report["findings"]
    for f in report["findings"]:
        assert set(f) == doc["findings[]"]
        for loc in f["locations"]:
            assert set(loc) == doc["location"]
    assert "fields" in report["fields"]
    for fv in report["fields"]["fields"].values():
        assert set(fv) == doc["fields.fields{}"]
    assert report["tables"]
    for t in report["tables"]:
        assert set(t) == doc["tables[]"]
        assert set(t["location"]) == doc["location"]
        for h in t["highlights"]:
            assert set(h) == doc["tables[].highlights[]"]


def test_report_round_trips_through_json(tmp_path):
    report = build_report(make_review(), generated_at=FIXED_TIME)
    assert json.loads(json.dumps(report, ensure_ascii=False)) == report
    path = write_json(report, tmp_path / "out" / "r.json")
    text = path.read_text(encoding="utf-8")
    assert "湖北某某环保科技有限公司" in text  # not \u-escaped
    assert json.loads(text) == report
    assert [p.name for p in path.parent.iterdir()] == ["r.json"]  # no temp file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_header_fields():
    report = build_report(make_review(), generated_at=FIXED_TIME)
    assert report["schema_version"] == 1
    assert report["generator"]["name"] == "shencha"
    assert re.match(r"^\d+\.\d+", report["generator"]["version"])
    assert report["generator"]["generated_at"] == "2026-03-01T08:30:00+00:00"
    assert report["package"]["name"] == "hb_eval_03.zip"
    assert report["package"]["form"] == "hb_evaluation"
    assert report["package"]["form_title"].startswith("湖北省")


def test_decimals_are_exact_strings_without_exponent():
    report = build_report(make_review(), generated_at=FIXED_TIME)
    mismatch = next(f for f in report["findings"] if f["rule"] == "SUM.TOTAL_MISMATCH")
    assert mismatch["evidence"] == {"total": "160000", "items_sum": "150000", "difference": "10000",
                                    "tolerance": "0.5", "unit": "吨"}
    assert report["fields"]["company"]["revenue"] == "1234.50"
    assert report["fields"]["years"] == ["2023", "2024"]
    utilized = report["fields"]["fields"]["utilized"]
    assert utilized == {"label": "粉煤灰利用量", "text": "12.6万吨", "value": "126000.0", "unit": "吨", "source_unit": "万吨",
                        "location": utilized["location"], "required": False, "source": None}
    assert utilized["location"]["paragraph"] == 2 and utilized["location"]["sheet"] is None
    assert report["fields"]["fields"]["contact"]["value"] is None
    assert report["fields"]["fields"]["contact"]["location"] is None


def test_every_location_key_present_and_described():
    report = build_report(make_review(), generated_at=FIXED_TIME)
    mismatch = next(f for f in report["findings"] if f["rule"] == "SUM.TOTAL_MISMATCH")
    loc = mismatch["locations"][0]
    assert loc == {"file": XLSX, "page": None, "sheet": "Sheet1", "cell": "C5", "table": None, "row": None,
                   "column": None, "paragraph": None, "box": None,
                   "description": "附件3 年报表.xlsx 工作表「Sheet1」 单元格C5"}


def test_files_roles_and_errors():
    files = {f["path"]: f for f in build_report(make_review(), generated_at=FIXED_TIME)["package"]["files"]}
    assert files[DOCX]["role"] == "report" and files[DOCX]["roles"] == ["report"]
    assert files[XLSX]["role_title"] == "附件3 年报表"  # from corpus/forms/hb_evaluation.yaml
    assert files[PDF]["role_title"] == "附件"
    assert files[XLSX]["role"] == "annual_report" and files[XLSX]["roles"] == ["annual_report", "basic_info"]
    assert files[PDF]["role"] == "attachment" and files[PDF]["roles"] == []
    assert files[PDF]["error"] == "PDF 已加密，需要密码" and files[PDF]["pages"] == 3
    assert files[DOCX]["sha256"] == "a" * 64 and files[DOCX]["size"] == 2048 and files[DOCX]["type"] == "docx"
    unknown = {f["path"]: f for f in build_report(make_review("unknown"), generated_at=FIXED_TIME)["package"]["files"]}
    assert unknown[PDF]["role"] == "unknown" and unknown[PDF]["role_title"] == "未识别"
    assert unknown[DOCX]["role_title"] == "report"  # no spec to name it: the id is kept


def test_summary_counts_and_severity_order():
    report = build_report(make_review(), generated_at=FIXED_TIME)
    assert report["summary"] == {"veto": 1, "error": 2, "warning": 1, "info": 1}
    assert [f["severity"] for f in report["findings"]] == ["veto", "error", "error", "warning", "info"]
    empty = build_report(make_review(findings=[]), generated_at=FIXED_TIME)
    assert empty["summary"] == {"veto": 0, "error": 0, "warning": 0, "info": 0} and empty["findings"] == []


def test_finding_ids_are_the_findings_stable_ids():
    review = make_review()
    report = build_report(review, generated_at=FIXED_TIME)
    assert sorted(f["id"] for f in report["findings"]) == sorted(f.id for f in review.findings)


def test_quotes_come_from_the_rule_or_the_source():
    by_rule = {f["rule"]: f for f in build_report(make_review(), generated_at=FIXED_TIME)["findings"]}
    assert by_rule["ELIGIBILITY.CATEGORY_OUT_OF_SCOPE"]["quote"] == "规则自带的原文"
    assert by_rule["CROSSDOC.FIGURE_MISMATCH"]["quote"] == "2024年公司粉煤灰综合利用量为12.6万吨，利用率为98.5%。"
    # a spreadsheet cell quotes its whole row
    assert by_rule["SUM.TOTAL_MISMATCH"]["quote"] == "合计 | 150000 | <b>160000</b>"
    assert by_rule["TABLE.ROW"]["quote"] == "炉渣 | 3.4万吨 | 34,000"
    assert by_rule["DOC.INFO"]["quote"] is None


def test_source_quote_handles_merged_cells_and_unknown_places():
    docs = make_documents()
    # the merged header "产生量" appears once in the quoted row
    assert source_quote(docs, Location(file=DOCX, table=1, row=1, column=2)) == "固废名称 | 产生量"
    assert source_quote(docs, Location(file=DOCX, paragraph=1)) == "一、企业基本情况"
    assert source_quote(docs, Location(file=PDF, page=2)) is None
    assert source_quote(docs, Location(file="不存在.docx", paragraph=1)) is None
    assert source_quote(docs, {"file": XLSX, "sheet": "Sheet1", "cell": "A4"}) == "粉煤灰产生量（吨） | 120000 | 126000"


def test_tables_carry_rows_merges_and_highlights():
    report = build_report(make_review(), generated_at=FIXED_TIME)
    tables = {(t["file"], t["index"]): t for t in report["tables"]}
    assert set(tables) == {(DOCX, 1), (XLSX, 1)}
    docx_t, xlsx_t = tables[(DOCX, 1)], tables[(XLSX, 1)]
    assert docx_t["rows"][1] == ["粉煤灰", "12.6万吨", "126,000"]
    assert docx_t["merges"] == [[1, 2, 1, 2]]
    assert xlsx_t["sheet"] == "Sheet1" and xlsx_t["caption"] == "表1"
    ids = {f["rule"]: f["id"] for f in report["findings"]}
    # C5 is grid row 3 of a table that starts on sheet row 3; C4 is grid row 2
    assert xlsx_t["highlights"] == [
        {"row": 2, "column": 3, "findings": [ids["SUM.TOTAL_MISMATCH"]], "severity": "error"},
        {"row": 3, "column": 3, "findings": [ids["SUM.TOTAL_MISMATCH"]], "severity": "error"},
    ]
    docx_hits = {(h["row"], h["column"]): h for h in docx_t["highlights"]}
    assert docx_hits[(2, 3)]["severity"] == "veto"
    # a location naming a row without a column marks the whole row
    assert {pos for pos, h in docx_hits.items() if ids["TABLE.ROW"] in h["findings"]} == {(3, 1), (3, 2), (3, 3)}


# ---------------------------------------------------------------- ground truth matching


def test_matches_expected_by_message_evidence_or_file():
    report = build_report(make_review(), generated_at=FIXED_TIME)
    mismatch = next(f for f in report["findings"] if f["rule"] == "SUM.TOTAL_MISMATCH")
    assert matches_expected(mismatch, {"rule": "SUM.TOTAL_MISMATCH", "key": "工业资源年综合利用量"})
    assert matches_expected(mismatch, {"rule": "SUM.TOTAL_MISMATCH", "key": "150000"})  # evidence
    assert matches_expected(mismatch, {"rule": "SUM.TOTAL_MISMATCH", "keys": ["150000"], "file": "附件3 年报表.xlsx"})
    assert not matches_expected(mismatch, {"rule": "SUM.ITEM_MISMATCH", "key": "工业资源年综合利用量"})
    assert not matches_expected(mismatch, {"rule": "SUM.TOTAL_MISMATCH", "key": "营业执照"})


def test_matches_expected_on_finding_objects():
    f = Finding(rule="ID.USCC_INVALID", severity="error", message="统一社会信用代码校验位错误",
                evidence={"code": "91420100MA4KXYZ12Q", "expected_check": "X"},
                locations=[Location(file="附件1 基本情况表.xlsx", sheet="Sheet1", cell="B3")])
    assert matches_expected(f, {"rule": "ID.USCC_INVALID", "key": "91420100MA4KXYZ12Q"})
    assert matches_expected(f, {"rule": "ID.USCC_INVALID", "key": "91420100MA4KXYZ12Q", "file": "附件1 基本情况表.xlsx"})
    assert not matches_expected(f, {"rule": "ID.USCC_INVALID", "key": "91420100MA4KXYZ12Q", "file": "附件3.xlsx"})
    assert not matches_expected(f, {"rule": "ID.USCC_INVALID", "key": "91420100MA4KXYZ12X"})
    with_decimal = Finding(rule="RATE.MISMATCH", severity="error", message="利用率不符", evidence={"reported": Decimal("98.50")})
    assert matches_expected(with_decimal, {"rule": "RATE.MISMATCH", "key": "98.50"})


@pytest.mark.parametrize("key", ["hb_eval_03", "zip"])
def test_package_name_alone_is_not_a_match(key):
    f = Finding(rule="X.Y", severity="error", message="无关")
    assert not matches_expected(f, {"rule": "X.Y", "key": key})
