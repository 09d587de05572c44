"""The reviewer's HTML page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from checkers.finding import Finding
from extractor.model import Location
from service.reports.html_report import render_html
from service.reports.model import build_report
from tests.test_report import DOCX, FIXED_TIME, XLSX, make_review


class Collector(HTMLParser):
    """Tags with their attributes, and every text node, for structural assertions."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Collector:
    c = Collector()
    c.feed(html)
    return c


def render(review=None, **kw) -> str:
    review = review or make_review()
    return render_html(build_report(review, generated_at=FIXED_TIME), review, **kw)


def test_page_is_standalone_chinese_and_printable():
    html = render()
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html
    assert "<title>审查报告 — hb_eval_03.zip</title>" in html
    assert "<h1>审查报告 — hb_eval_03.zip</h1>" in html  # named as on the web page (report_view.report_title)
    assert "湖北省工业固体废物资源综合利用评价报告" in html
    assert "@media print" in html
    tags = parse(html).tags
    assert not [t for t, a in tags if t in ("script", "link", "img", "iframe")]
    assert not [a for t, a in tags if any((v or "").startswith(("http:", "https:", "//")) for k, v in a.items() if k in ("src", "href"))]


def test_summary_comes_before_findings_and_counts_are_shown():
    html = render()
    assert html.index('id="summary"') < html.index('id="findings"') < html.index('id="tables"')
    summary = html[html.index('id="summary"'):html.index('id="files"')]
    assert re.search(r'class="count veto"><b>1</b>否决', summary)
    assert re.search(r'class="count error"><b>2</b>错误', summary)
    assert re.search(r'class="count warning"><b>1</b>警告', summary)
    assert re.search(r'class="count info"><b>1</b>提示', summary)
    assert "存在否决项" in summary


def test_findings_grouped_by_severity_in_order_then_by_file():
    html = render()
    positions = [html.index(f'id="severity-{s}"') for s in ("veto", "error", "warning", "info")]
    assert positions == sorted(positions)
    error_group = html[positions[1]:positions[2]]
    # both error findings sit under their own file heading
    assert f"<h4>{DOCX}</h4>" in error_group and f"<h4>{XLSX}</h4>" in error_group
    assert error_group.index("炉渣一行数值有误") > error_group.index(f"<h4>{DOCX}</h4>")
    assert error_group.index("工业资源年综合利用量合计") > error_group.index(f"<h4>{XLSX}</h4>")
    info_group = html[positions[3]:html.index('id="tables"')]
    assert "（整个申报包）" in info_group


def test_empty_severities_get_no_group():
    review = make_review(findings=[Finding(rule="A.B", severity="warning", message="仅警告")])
    html = render(review)
    assert 'id="severity-warning"' in html
    assert 'id="severity-error"' not in html and 'id="severity-veto"' not in html
    assert "未发现否决项或错误" in html


def test_messages_are_escaped():
    html = render()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    # cell text from a document is escaped too
    assert "<b>160000</b>" not in html and "&lt;b&gt;160000&lt;/b&gt;" in html


def test_finding_shows_rule_evidence_locations_and_quote():
    html = render()
    start = html.index("工业资源年综合利用量合计")
    block = html[html.rindex('<div class="finding', 0, start):]
    block = block[:block.index('<div class="finding', 10)] if '<div class="finding' in block[10:] else block
    assert '<span class="code">SUM.TOTAL_MISMATCH</span> <span class="rule-title">合计与分项之和不符</span>' in block
    # Chinese evidence labels; the message writes 吨, so do the figures, with separators
    assert "<th>差额</th><td>10,000 吨</td>" in block and "<th>填报合计</th><td>160,000 吨</td>" in block
    assert "<th>difference</th>" not in block
    assert "附件3 年报表.xlsx 工作表「Sheet1」 单元格C5" in block
    assert "<blockquote>合计 | 150000 | &lt;b&gt;160000&lt;/b&gt;</blockquote>" in block
    # a spreadsheet location without a table index still links to the highlighted cell
    assert 'href="#t2-r3c3"' in block


def test_quote_is_looked_up_in_the_review_when_the_report_lacks_it():
    review = make_review(findings=[Finding(rule="A.B", severity="error", message="段落有误",
                                           locations=[Location(file=DOCX, paragraph=2)])])
    report = build_report(review, generated_at=FIXED_TIME)
    report["findings"][0]["quote"] = None  # e.g. a report written by a tool that does not quote
    assert "粉煤灰综合利用量为12.6万吨" in render_html(report, review)
    assert "粉煤灰综合利用量为12.6万吨</blockquote>" not in render_html(report)


def test_extracted_tables_render_with_captions_merges_and_highlights():
    html = render()
    tables = html[html.index('id="tables"'):]
    assert '<table class="grid" id="t1">' in tables and '<table class="grid" id="t2">' in tables
    assert '<caption>表1 <span class="where">申报材料/评价报告.docx 表1' in tables
    assert "工作表「Sheet1」" in tables
    # the merged header is drawn once, spanning two columns
    assert re.search(r'<th id="t1-r1c2" colspan="2">产生量</th>', tables)
    assert 'id="t1-r1c3"' not in tables
    # the cell the veto points at is highlighted with the veto colour
    assert re.search(r'<td id="t1-r2c3" class="hit veto" title="[0-9a-f]{12}">126,000</td>', tables)
    assert re.search(r'<td id="t2-r3c3" class="hit error"', tables)
    assert re.search(r'<td id="t1-r2c1">粉煤灰</td>', tables)


def test_files_table_lists_roles_hash_prefix_and_read_errors():
    html = render()
    files = html[html.index('id="files"'):html.index('id="findings"')]
    assert "申报材料/评价报告.docx" in files
    assert "aaaaaaaaaaaa" in files and "a" * 13 not in files
    assert "PDF 已加密，需要密码" in files
    assert "附件" in files  # role of a file without a recognised role


def test_footer_names_version_and_time():
    html = render()
    report = build_report(make_review(), generated_at=FIXED_TIME)
    assert f"shencha {report['generator']['version']}" in html
    assert "2026-03-01" in html


def test_score_sheet_rendered_as_a_table_when_the_form_has_one():
    from service.reports.html_report import render_html

    report = {
        "schema_version": 1,
        "generator": {"name": "shencha", "version": "0"},
        "package": {"name": "p", "form": "hb_agency", "form_title": "评价机构申请", "files": []},
        "fields": {"scores": [{"item": "机构从业年限", "max": 5, "score": "3.5", "working": "(2026 - 2019) × 0.5 = 3.5", "status": "computed"},
                              {"item": "内容完整性", "max": 10, "score": None, "working": "", "status": "manual"}]},
        "findings": [], "summary": {"veto": 0, "error": 0, "warning": 0, "info": 0}, "tables": [],
    }
    html = render_html(report)
    assert "评分表" in html and "(2026 - 2019) × 0.5 = 3.5" in html
    assert "自动计算" in html and "待人工评分" in html and ">manual<" not in html


def test_reviewer_mark_shown_with_its_finding():
    from service.reports.html_report import render_html

    finding = {"id": "abc123", "rule": "SUM.TOTAL_MISMATCH", "severity": "error", "message": "合计不符",
               "locations": [], "evidence": {}, "quote": None,
               "mark": {"status": "误报", "comment": "已与企业核实", "user": "wuhan01", "updated_at": "2026-11-21 10:00"}}
    report = {"schema_version": 1, "generator": {"name": "shencha", "version": "0"},
              "package": {"name": "p", "form": "hb_evaluation", "form_title": "t", "files": []},
              "fields": {}, "findings": [finding], "summary": {"veto": 0, "error": 1, "warning": 0, "info": 0}, "tables": []}
    html = render_html(report)
    assert "审查人标记" in html and "误报" in html and "已与企业核实" in html and "wuhan01" in html


def test_every_finding_shows_its_rule_title_beside_the_code():
    from checkers.registry import RULES

    html = render()
    report = build_report(make_review(), generated_at=FIXED_TIME)
    for f in report["findings"]:
        title = RULES[f["rule"]].title if f["rule"] in RULES else ""
        assert f["rule_title"] == title
        head = f'<span class="code">{f["rule"]}</span>' + (f' <span class="rule-title">{title}</span>' if title else "</span>")
        assert head in html, f["rule"]


def test_evidence_in_wan_tonnes_with_separators_and_rule_codes_unbroken():
    from tests.test_report_downloads import SUM_EVIDENCE, SUM_MESSAGE, finding_of, synthetic_report

    old = finding_of(2, "CROSSDOC.FIGURE_MISMATCH", "报告 12.6 万吨，年报表 13.0 万吨", with_title=False)  # stored before rule_title
    html = render_html(synthetic_report([finding_of(1, "SUM.TOTAL_MISMATCH", SUM_MESSAGE, SUM_EVIDENCE), old]))
    for label, text in (("填报合计", "12,346.678 万吨"), ("分项之和", "12,345.678 万吨"), ("差额", "1 万吨"),
                        ("允许误差", "0.001 万吨"), ("单位", "万吨"), ("期间", "2024"), ("分项", "粉煤灰、炉渣")):
        assert f"<tr><th>{label}</th><td>{text}</td></tr>" in html
    assert '<span class="rule-title">同一数据前后不一致</span>' in html  # title from the registry
    assert ".finding .rule .code { white-space: nowrap; }" in html  # a code never wraps inside
