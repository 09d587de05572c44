"""The summary tables (issue 12) from reviewed packages.

The 湖北 tables are checked against packages written by hand (tests/variations/build_hb_evaluation,
not the sample generator), whose figures the builder states: each table's sums must equal the
builder's own figures.  The 附件4 / 无废 / 绿色制造 tables are checked over generated samples
against the figures their reports state.  The files are read back with openpyxl and rendered
through LibreOffice to PDF."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from service.reports.model import build_report
from service.review import pipeline
from service.summaries.catalogue import Context, PackageReport, build_summary, open_blocking, table_specs
from service.summaries.docx import summary_docx
from service.summaries.xlsx import summary_xlsx
from tests.variations import build_hb_evaluation as hand

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
COMPANIES = {k: getattr(hand, f"company_{k}")() for k in "ABCDEF"}


def _review(path: Path) -> dict:
    return build_report(pipeline.review_package(path))


@pytest.fixture(scope="module")
def handmade(tmp_path_factory) -> dict[str, dict]:
    """The hand-written 湖北 packages, clean (X0) and one defective (A1), as reports by key."""
    out = tmp_path_factory.mktemp("hb_hand")
    hand.build(out)
    reports = {}
    for path in sorted(out.iterdir()):
        key = path.name[4:6]  # HBE-A0-…
        if key[1] == "0" or key == "A1":
            reports[key] = _review(path)
    return reports


def _packages(reports: dict[str, dict], **accepted: str) -> list[PackageReport]:
    return [PackageReport(name=k, report=r, accepted=k in accepted, accepted_note=accepted.get(k, "")) for k, r in reports.items()]


def _d(value) -> Decimal:
    return Decimal(str(value))


def test_a_clean_handmade_package_has_no_open_error(handmade):
    for key, report in handmade.items():
        if key.endswith("0"):
            assert not open_blocking(report, {}), (key, [f["rule"] for f in open_blocking(report, {})])
    assert open_blocking(handmade["A1"], {})


def test_city_report_sums_equal_the_builders_figures(handmade):
    summary = build_summary("hb_city_report", _packages(handmade), Context(unit="测试局"))
    assert summary.period == "2025"
    expected: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for key in "ABCDEF":
        for w in COMPANIES[key]["wastes"]:
            e = expected[w.name]
            e["generated"] += w.P
            e["received"] += w.R
            e["utilized"] += w.U
            e["value"] += w.value
    rows = {r.cells["waste"].value: r for r in summary.sheets[0].rows if r.kind == "item"}
    # the 附件3 of F calls its 废铸造砂 铸造废砂: the row keeps the name its 年报表 gives
    rows = {("废铸造砂" if name == "铸造废砂" else name): r for name, r in rows.items()}
    assert set(rows) == set(expected)
    for name, e in expected.items():
        cells = rows[name].cells
        assert cells["generated"].value == e["generated"], name
        assert cells["utilized"].value == e["utilized"], name
        assert cells["value"].value == e["value"], name
        supply = e["generated"] + e["received"]
        assert cells["rate"].value == (e["utilized"] / supply * 100).quantize(Decimal("0.01")), name
        assert cells["generated"].source is None  # a sum over enterprises has no single source
    total = next(r for r in summary.sheets[0].rows if r.kind == "total")
    assert total.cells["utilized"].value == sum(e["utilized"] for e in expected.values())
    assert total.cells["value"].value == sum(e["value"] for e in expected.values())
    # A1 has open errors: it is not among the included; the clean six are
    assert {i.package for i in summary.included} == {f"{k}0" for k in "ABCDEF"}
    left = {i.package: i.reason for i in summary.excluded}
    assert set(left) == {"A1"} and "未处理的错误" in left["A1"] and "CROSSDOC.FIGURE_MISMATCH" in left["A1"]


def test_annual_rows_per_enterprise_and_totals_per_waste(handmade):
    clean = {k: r for k, r in handmade.items() if k.endswith("0")}
    summary = build_summary("hb_annual", _packages(clean), Context(unit="测试局"))
    sheet = summary.sheets[0]
    items = [r for r in sheet.rows if r.kind == "item"]
    assert len(items) == sum(len(c["wastes"]) for c in COMPANIES.values())
    by_company: dict[str, Decimal] = defaultdict(Decimal)
    current = None
    for r in items:
        if r.cells["company"].rowspan:
            current = r.cells["company"].value
            assert r.cells["agency"].value  # 评价机构 read from each report
        by_company[current] += r.cells["utilized"].value
    for c in COMPANIES.values():
        assert by_company[c["name"]] == sum(w.U for w in c["wastes"]), c["name"]
    subtotals = {r.cells["waste"].value: r.cells["utilized"].value for r in sheet.rows if r.kind == "subtotal"}
    assert sum(subtotals.values()) == sum(w.U for c in COMPANIES.values() for w in c["wastes"])
    total = sheet.rows[-1]
    assert total.kind == "total" and total.cells["value"].value == sum(w.value for c in COMPANIES.values() for w in c["wastes"])


def test_publicity_names_the_agency_and_products(handmade):
    clean = {k: r for k, r in handmade.items() if k.endswith("0")}
    summary = build_summary("hb_publicity", _packages(clean), Context(unit="测试局"))
    rows = {r.cells["company"].value: r for r in summary.sheets[0].rows}
    for c in COMPANIES.values():
        row = rows[c["name"]]
        assert row.cells["agency"].value == hand.AGENCIES[c["agency"]]["name"]
        for w in c["wastes"]:
            assert w.product in row.cells["products"].value
        assert row.cells["company"].source is not None and row.cells["company"].source.location


def test_city_choice_keeps_only_that_citys_packages(handmade):
    summary = build_summary("hb_city_report", _packages(handmade), Context(city="黄石市"))
    included = {i.package for i in summary.included}
    assert included == {k + "0" for k, c in COMPANIES.items() if c["city"] == "黄石市"}
    assert all("不属于黄石市" in i.reason for i in summary.excluded if i.package != "A1")
    assert "黄石市" in summary.sheets[0].title or summary.sheets[0].caption  # the area is the city


def test_acceptance_and_false_positive_marks_let_a_package_in(handmade):
    accepted = build_summary("hb_publicity", _packages(handmade, A1="已补正，经核实不影响受理"), Context())
    a1 = next(i for i in accepted.inclusions if i.package == "A1")
    assert a1.included and "确认受理" in a1.reason and "已补正" in a1.reason
    marks = {f["id"]: {"status": "误报"} for f in open_blocking(handmade["A1"], {})}
    packages = _packages(handmade)
    next(p for p in packages if p.name == "A1").marks = marks
    marked = build_summary("hb_publicity", packages, Context())
    assert next(i for i in marked.inclusions if i.package == "A1").included


def test_other_forms_and_years_are_listed_with_the_reason(handmade):
    agency = _review(SAMPLES / "hb_agency_04")
    packages = _packages({"A0": handmade["A0"]}) + [PackageReport(name="agency", report=agency),
                                                  PackageReport(name="broken", report=None, failure="文件损坏")]
    summary = build_summary("hb_annual", packages, Context(period="2024"))
    reasons = {i.package: i.reason for i in summary.inclusions}
    assert "不是所选的2024年" in reasons["A0"]
    assert "不属于本表" in reasons["agency"]
    assert "审查失败" in reasons["broken"]
    assert not summary.included
    garbled = json.loads(json.dumps(handmade["A0"]))
    garbled["fields"]["waste_use"] = "not a list"
    odd = build_summary("hb_annual", [PackageReport(name="old", report=garbled)], Context())
    assert "重新审查" in odd.excluded[0].reason


# ---------------------------------------------------------------- generated samples: 附件4, 无废, 绿色制造


@pytest.fixture(scope="module")
def generated() -> dict[str, dict]:
    names = ["hb_agency_01.zip", "hb_agency_04", "hb_agency_07.zip", "hb_agency_02",
             "nowaste_01", "nowaste_04", "nowaste_02.zip", "gm_01", "gm_02.zip", "gm_05"]
    return {n.removesuffix(".zip"): _review(SAMPLES / n) for n in names}


def _of(reports: dict[str, dict], prefix: str) -> list[PackageReport]:
    return [PackageReport(name=k, report=r) for k, r in reports.items() if k.startswith(prefix)]


def test_agency_table_and_ranking(generated):
    summary = build_summary("hb_agencies", _of(generated, "hb_agency"), Context(unit="测试局"))
    table, ranking = summary.sheets
    included = {i.package for i in summary.included}
    assert included and "hb_agency_02" not in included  # it has open errors
    for row in table.rows:
        report = next(generated[i.package] for i in summary.included
                      if generated[i.package]["fields"]["applicant"] == row.cells["name"].value)
        counts = report["fields"]["staff_counts"]
        assert (row.cells["staff_total"].value, row.cells["senior"].value, row.cells["intermediate"].value) == \
            (counts["total"], counts["senior"], counts["intermediate"])
        capital = report["fields"]["application"]["reg_capital"]["text"]
        assert capital.startswith(f"{row.cells['capital'].value:f}".rstrip("0").rstrip(".")), capital
        assert row.cells["rules"].value == "是"
    # side by side, best computed score first, computed scores add up
    totals = [c.value for k, c in ranking.rows[-3].cells.items() if k.startswith("a")]
    assert totals == sorted(totals, reverse=True) and len(totals) == len(included)
    for i, head in enumerate(ranking.header[0][3:]):
        report = next(r for r in generated.values() if r["fields"].get("applicant") == head[0])
        computed = sum(Decimal(s["score"]) for s in report["fields"]["scores"] if s["status"] == "computed")
        assert ranking.rows[-3].cells[f"a{i}"].value == computed
    assert ranking.rows[-1].cells["a0"].value == 1


def test_nowaste_cases_and_their_brief(generated):
    summary = build_summary("nowaste_summary", _of(generated, "nowaste"), Context(unit="湖南省工业和信息化厅", province="湖南"))
    rows = summary.sheets[0].rows
    assert 1 <= len(rows) <= 5
    for row in rows:
        text = row.cells["description"].value
        assert text and len(text) <= 200 and text.endswith("。")
        assert row.cells["province"].value == "湖南"
        assert row.cells["attribute"].value in ("园区", "企业")
    assert any("不属于湖南" in i.reason for i in summary.excluded)


def test_nowaste_keeps_at_most_five():
    report = json.loads(json.dumps(_review(SAMPLES / "nowaste_01")))
    packages = [PackageReport(name=f"n{i}", report=report) for i in range(7)]
    summary = build_summary("nowaste_summary", packages, Context())
    assert len(summary.sheets[0].rows) == 5
    assert [i.package for i in summary.excluded] == ["n5", "n6"] and "至多5个" in summary.excluded[0].reason


def test_green_summary_figures_are_the_plans(generated):
    summary = build_summary("green_summary", _of(generated, "gm"), Context(unit="测试局"))
    assert summary.period == "2024"
    enterprises, parks = summary.sheets
    assert "2023年主营业务收入（预计）" in [t for t, _, _ in enterprises.header[0]]
    assert enterprises.rows or parks.rows
    for row in enterprises.rows:
        plan = next(p for r in generated.values() for p in (r["fields"].get("plans") or []) if p["name"] == row.cells["name"].value)
        year = next(b for b in plan["business"] if b["year"] == "2023")
        assert row.cells["revenue"].value == _d(year["revenue"]["value"]) / 10000
        assert row.cells["revenue"].source.location
    assert "gm_05" in {i.package for i in summary.excluded}


# ---------------------------------------------------------------- files: read back, rendered


def test_xlsx_layout_read_back(handmade, generated):
    agencies = build_summary("hb_agencies", _of(generated, "hb_agency"), Context(unit="鄂州市经济和信息化局", filler="张三", phone="0711-1234567"))
    wb = load_workbook(__import__("io").BytesIO(summary_xlsx(agencies)))
    assert wb.sheetnames == ["附件4 机构信息汇总", "附件6 评分排序", "纳入情况", "数据来源"]
    ws = wb["附件4 机构信息汇总"]
    assert ws["A1"].value == "湖北省工业固体废物资源综合利用评价机构信息汇总表"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "D3:F3" in merged and "A3:A4" in merged  # 专业技术人员(人) over 合计/高级/中级; 序号 over two rows
    assert ws["D3"].value == "专业技术人员(人)" and ws["D4"].value == "合计" and ws["E4"].value == "其中：高级职称"
    assert ws["C3"].value == "注册资金 (万元)"
    assert ws["C5"].number_format == "#,##0.00" and isinstance(ws["C5"].value, (int, float))
    lines = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "填报单位：鄂州市经济和信息化局" in lines and "填报人：张三" in lines and "电话：0711-1234567" in lines
    assert any(str(v).startswith("填报日期：") for v in lines if v)
    listed = [row[0] for row in wb["纳入情况"].iter_rows(min_row=3, values_only=True)]
    assert set(listed) == {i.package for i in agencies.inclusions}
    sources = list(wb["数据来源"].iter_rows(min_row=3, values_only=True))
    assert sources and all(s[5] for s in sources if s[2] == "注册资金 (万元)")

    city = build_summary("hb_city_report", _packages(handmade), Context(unit="黄石市经济和信息化局", city="黄石市"))
    ws = load_workbook(__import__("io").BytesIO(summary_xlsx(city)))["年报表"]
    assert [ws.cell(3, c).value for c in range(1, 8)] == ["序号", "工业固体废物名称", "产生量(吨)", "综合利用量(吨)",
                                                        "综合利用产值(万元)", "综合利用率(%)", "备注"]
    assert ws["C4"].number_format == "#,##0.00" and ws["F4"].number_format == "0.00"
    values = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "合计" in values and any(str(v).startswith("说明：1. 本表所填") for v in values if v)
    assert "审核人：" in values


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/setup.sh")
def test_files_render_through_libreoffice(handmade, tmp_path):
    import pypdfium2 as pdfium

    summary = build_summary("hb_annual", _packages(handmade), Context(unit="测试市经济和信息化局"))
    for fmt, data in (("xlsx", summary_xlsx(summary)), ("docx", summary_docx(summary))):
        src = tmp_path / f"annual.{fmt}"
        src.write_bytes(data)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                        "--outdir", str(tmp_path / fmt), str(src)], check=True, timeout=180, capture_output=True)
        pdf = pdfium.PdfDocument(tmp_path / fmt / "annual.pdf")
        text = "".join("".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf)))
        assert "工业固体废物资源综合利用评价报告备案情况汇总表" in text, fmt
        assert COMPANIES["A"]["name"] in text and "分种类合计" in text, fmt
        assert "纳入" in text, fmt


def test_every_table_is_listed_with_a_builder():
    from service.summaries import tables  # noqa: F401
    from service.summaries.catalogue import _BUILDERS

    assert set(table_specs()) == set(_BUILDERS) == {"hb_publicity", "hb_annual", "hb_city_report", "hb_agencies",
                                                    "nowaste_summary", "green_summary"}


def test_cli_lists_and_files_a_table(handmade, tmp_path, capsys):
    from service.cli import main

    assert main(["summary", "--list"]) == 0
    listed = capsys.readouterr().out
    assert all(t in listed for t in table_specs())
    reports = tmp_path / "reports"
    reports.mkdir()
    for key, report in handmade.items():
        (reports / f"{key}.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "city.xlsx"
    a1 = handmade["A1"]["package"]["name"].removesuffix(".zip")
    assert main(["summary", "hb_city_report", str(reports), "--out", str(out), "--city", "黄石市", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "纳入 2 个申报包" in printed and f"未纳入 {a1}：属于宜昌市，不属于黄石市" in printed
    ws = load_workbook(out)["年报表"]
    assert ws["A2"].value == "填报单位名称：黄石市经济和信息化局"
    assert main(["summary", "hb_city_report", str(reports), "--out", str(out), "--quiet"]) == 0
    assert f"未纳入 {a1}：存在" in capsys.readouterr().out
    assert main(["summary", "hb_city_report", str(reports), "--out", str(out), "--accept", a1, "--quiet"]) == 0
    assert f"未纳入 {a1}" not in capsys.readouterr().out
    assert main(["summary", "no_such_table", str(reports), "--out", str(out)]) == 2
    assert main(["summary", "hb_annual", str(reports), "--out", str(tmp_path / "x.pdf")]) == 2


# ---------------------------------------------------------------- 附件4 over agencies' applications written by hand


@pytest.fixture(scope="module")
def handmade_agencies(tmp_path_factory) -> tuple[dict[str, dict], dict[str, object]]:
    """The hand-written agency applications (tests/variations/build_hb_agency): the clean one of
    each agency and one defective, with each agency's own figures from its builder."""
    from tests.variations import build_hb_agency as agencies

    out = tmp_path_factory.mktemp("hb_agency_hand")
    manifest = agencies.build(out)
    clean = {e["package"] for e in manifest if e["clean"]}
    reports = {}
    for path in sorted(out.iterdir()):
        if path.name in clean or path.name.startswith("hba02"):
            reports[path.name.removesuffix(".zip")] = _review(path)
    built = [agencies.finish(getattr(agencies, f"agency_{k}")()) for k in "ABCDEF"]
    truth = {a.name: a for a in built}
    return reports, truth


def test_agency_table_equals_the_builders_figures(handmade_agencies):
    from tests.variations import build_hb_agency as agencies

    reports, truth = handmade_agencies
    summary = build_summary("hb_agencies", [PackageReport(name=k, report=r) for k, r in reports.items()], Context())
    table, ranking = summary.sheets
    assert {r.cells["name"].value for r in table.rows} == set(truth)
    for row in table.rows:
        ag = truth[row.cells["name"].value]
        senior, intermediate, _ = agencies.level_counts(ag.staff)
        assert row.cells["capital"].value == ag.capital
        assert (row.cells["staff_total"].value, row.cells["senior"].value, row.cells["intermediate"].value) == \
            (len(ag.staff), senior, intermediate)
        assert row.cells["contracts"].value == len(ag.contracts)  # every contract of the builders is recent and related
        assert row.cells["head"].value == ag.legal
        assert row.cells["address"].value in (ag.mail_addr, ag.reg_addr)
        assert row.cells["rules"].value == "是"
    assert [i.package[:5] for i in summary.excluded] == ["hba02"]
    assert len(ranking.header[0]) == 3 + len(truth)


def test_city_and_province_of_an_address():
    from service.summaries.catalogue import city_in, province_of

    def report(address):
        return {"package": {"form": "nowaste_case"}, "fields": {"fields": {"address": {"text": address}}}}

    assert city_in("湖北省襄阳市襄州区兴业大道275号") == "襄阳市"
    assert city_in("恩施州利川市都亭街道") == "恩施土家族苗族自治州"
    assert city_in("襄阳荆宏钢铁股份有限公司") == "襄阳市"
    assert city_in("湖北楚源环境工程咨询有限公司") is None  # a province-wide name names no city
    assert province_of(report("湖南省娄底市示范大道42号")) == "湖南"
    assert province_of(report("武汉市洪山区珞喻路456号")) == "湖北"  # no province written: its city's
    assert province_of(report("广西壮族自治区南宁市青秀区")) == "广西"
    assert province_of(report("北京市海淀区中关村大街1号")) == "北京"
    assert province_of(report("某地某路1号")) is None
