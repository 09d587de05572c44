"""Variations `outline_renamed`, `outline_numbering`, `outline_merged`: reports written by other
hands, built here with python-docx, their headings matched to the seeds' outlines."""

from __future__ import annotations

import pytest

from checkers.run import run_checks
from extractor.forms.extract import extract_form
from extractor.forms.outline import match_outline
from extractor.forms.spec import load_spec
from tests.fixtures_build import docx_bytes
from tests.form_fixtures import as_document


def _report(headings: list[tuple[str, int | None]]) -> bytes:
    """headings: (text, Word heading level or None for a bold plain paragraph)."""
    def build(d):
        d.add_paragraph("湖北华泰建材有限公司工业固体废物资源综合利用评价报告")
        for text, level in headings:
            if level:
                d.add_heading(text, level=level)
            else:
                d.add_paragraph().add_run(text).bold = True
            d.add_paragraph("本部分内容说明如下，各项数据均以企业提供的台账为准。")
    return docx_bytes(build)


def _outline(headings, form="hb_evaluation"):
    doc = as_document("评价报告.docx", _report(headings))
    hits, _ = match_outline([doc], load_spec(form))
    return {h.id: h for h in hits}


RENAMED = [("第一章 评价概述", 1), ("第二章 公司概况", 1), ("第三章 生产经营情况", 1), ("第四章 工艺技术与装备", 1),
           ("第五章 管理体系建设", 1), ("第六章 一般工业固体废物产生及利用情况", 1), ("第七章 评价结论与建议", 1)]


def test_renamed_titles_and_chapter_numbering_are_found():
    hits = _outline(RENAMED)
    assert all(h.found for h in hits.values()), {k: (h.heading, h.score) for k, h in hits.items() if not h.found}


@pytest.mark.parametrize("numbers", [["1 ", "2 ", "3 ", "4 ", "5 ", "6 ", "7 "], ["一、", "二、", "三、", "四、", "五、", "六、", "七、"],
                                      ["1.", "2.", "3.", "4.", "5.", "6.", "7."]])
def test_numbering_styles_without_heading_styles(numbers):
    titles = ["评价概述", "企业简介", "企业生产经营", "工艺技术", "企业体系建设情况", "固废综合利用情况", "结论"]
    hits = _outline([(n + t, None) for n, t in zip(numbers, titles)] + [("1.1 物料衡算", None), ("（1）粉煤灰", None)])
    assert all(hits[str(i)].found for i in range(1, 8))


def test_missing_section_is_an_error_only_when_certain():
    clean = RENAMED
    defective = [h for h in RENAMED if not h[0].startswith("第五章")]
    docs = [as_document("评价报告.docx", _report(defective))]
    form = extract_form(docs, form_hint="hb_evaluation")
    found = [f for f in run_checks(docs, form) if f.rule == "OUTLINE.SECTION_MISSING" and f.evidence["level"] == "section"]
    assert [(f.evidence["title"], f.severity) for f in found] == [("企业体系建设", "error")]
    docs = [as_document("评价报告.docx", _report(clean))]
    form = extract_form(docs, form_hint="hb_evaluation")
    assert not [f for f in run_checks(docs, form) if f.rule == "OUTLINE.SECTION_MISSING" and f.severity == "error"]


def test_a_differently_named_heading_in_place_is_a_warning():
    headings = [h if not h[0].startswith("第五章") else ("第五章 计量统计与质量环境管理", 1) for h in RENAMED]
    docs = [as_document("评价报告.docx", _report(headings))]
    form = extract_form(docs, form_hint="hb_evaluation")
    found = [f for f in run_checks(docs, form) if f.rule == "OUTLINE.SECTION_MISSING" and f.evidence["level"] == "section"]
    assert [(f.evidence["title"], f.severity) for f in found] == [("企业体系建设", "warning")]
    assert "计量统计与质量环境管理" in found[0].message


def test_one_heading_covering_two_items_of_the_agency_report():
    hits = _outline([("一、公司简介", None), ("二、技术力量", None), ("三、业绩及服务规划", None)], form="hb_agency")
    assert hits["3"].found and hits["4"].found and hits["3"].heading == hits["4"].heading


def test_agency_report_content_items_are_a_score_deduction_not_an_error():
    docs = [as_document("申请报告.docx", _report([("一、公司简介", None), ("二、技术力量", None), ("三、主要业绩", None)]))]
    form = extract_form(docs, form_hint="hb_agency")
    found = [f for f in run_checks(docs, form) if f.rule == "OUTLINE.SECTION_MISSING"]
    assert [(f.evidence["title"], f.severity) for f in found] == [("服务规划", "warning")]
    assert "扣3分" in found[0].message
