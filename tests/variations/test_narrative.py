"""Narrative variations (`narr_*`): figures restated in prose in the ways real reports write them,
read into facts with their meaning, period and certainty."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checkers.run import run_checks
from extractor.forms.base import Fact, FormResult
from extractor.forms.narrative import NarrativeContext, extract_narrative_facts
from extractor.model import Block, Document, Location
from extractor.quantity import parse_quantity

CTX = NarrativeContext(
    waste_names=["粉煤灰", "炉渣", "脱硫石膏"],
    metrics={"profit": ("利润", ("利润",), "元"), "sales_revenue": ("销售收入", ("销售收入", "营业收入"), "元")},
    periods={"上年度": "2024", "前一年度": "2023"}, default_period="2024")


def _facts(*lines: str, ctx: NarrativeContext = CTX) -> dict[tuple[str, str], Fact]:
    doc = Document(path="报告.docx", type="docx", sha256="0",
                   blocks=[Block(kind="paragraph", text=t, loc=Location(file="报告.docx", paragraph=i + 1)) for i, t in enumerate(lines)])
    return {(f.key, f.period): f for f in extract_narrative_facts(doc, ctx)}


def test_respectively_pairs_wastes_and_figures_in_order():
    f = _facts("2024年利用的废物为粉煤灰、炉渣、脱硫石膏，利用量分别为12.6万吨、3.4万吨、8.1万吨。")
    assert {k: v.quantity.value for k, v in f.items()} == {
        ("waste.utilized:粉煤灰", "2024"): Decimal("126000.0"), ("waste.utilized:炉渣", "2024"): Decimal("34000.0"),
        ("waste.utilized:脱硫石膏", "2024"): Decimal("81000.0")}
    assert not any(v.uncertain for v in f.values())


def test_respectively_with_unequal_lists_is_uncertain():
    f = _facts("2024年利用的废物为粉煤灰、炉渣、脱硫石膏，利用量分别为12.6万吨、3.4万吨。")
    assert all("无法一一对应" in v.uncertain for v in f.values())


def test_qizhong_list_takes_the_measure_of_the_total():
    f = _facts("2024年共综合利用工业固废24.1万吨，其中粉煤灰12.6万吨、炉渣3.4万吨、脱硫石膏8.1万吨。")
    assert f[("waste.utilized:炉渣", "2024")].quantity.value == Decimal("34000.0")
    assert ("waste.utilized:粉煤灰", "2024") in f


def test_several_years_in_one_paragraph_and_relative_periods():
    f = _facts("2023年利用粉煤灰11.2万吨，2024年利用粉煤灰12.6万吨。", "前一年度实现销售收入5.1亿元，上年度实现销售收入5.6亿元。")
    assert f[("waste.utilized:粉煤灰", "2023")].quantity.value == Decimal("112000.0")
    assert f[("waste.utilized:粉煤灰", "2024")].quantity.value == Decimal("126000.0")
    assert f[("sales_revenue", "2023")].quantity.value == Decimal("510000000.0")
    assert f[("sales_revenue", "2024")].quantity.value == Decimal("560000000.0")


def test_money_units_chinese_numerals_and_approximations():
    f = _facts("2024年综合利用粉煤灰十二点五万吨，实现利润约4,600万元。")
    assert f[("waste.utilized:粉煤灰", "2024")].quantity.value == Decimal("125000.0")
    profit = f[("profit", "2024")].quantity
    assert profit.value == Decimal("46000000") and profit.approximate


def test_combined_figures_capacities_and_changes_are_not_restatements():
    f = _facts("2024年利用炉渣、粉煤灰共计15.6万吨。", "粉煤灰年处理能力30万吨/年。", "2024年粉煤灰利用量较上年增长1.2万吨。",
               "粉煤灰、炉渣是公司主要的一般固废，2024年综合利用量15.6万吨。", "2024年利用粉煤灰12.6万吨（干灰9.1万吨、湿灰3.5万吨）。")
    f.pop(("waste.utilized:粉煤灰", "2024"))  # the 12.6 万吨 itself, not its parts
    assert f == {}


def _crossdoc(narrative: str, table_value: str = "12.6") -> list:
    table = Fact(key="waste.utilized:粉煤灰", label="粉煤灰利用量", period="2024", source="basic_info",
                 quantity=parse_quantity(table_value, "万吨", Location(file="附件1.xlsx", cell="D8")))
    facts = [table, *_facts(narrative).values()]
    form = FormResult(form="hb_evaluation", facts=facts)
    return [f for f in run_checks([], form) if f.rule == "CROSSDOC.FIGURE_MISMATCH"]


@pytest.mark.parametrize("sentence", ["2024年综合利用粉煤灰12.6万吨。", "2024年综合利用粉煤灰约12万吨。",
                                      "2024年综合利用粉煤灰超过12万吨。", "2024年粉煤灰、炉渣利用量分别为12.6万吨、3.4万吨。"])
def test_clean_restatements_raise_nothing(sentence):
    assert _crossdoc(sentence) == []


def test_a_bound_the_table_certainly_breaks_is_an_error():
    found = _crossdoc("2024年综合利用粉煤灰超过13万吨。")
    assert [(f.severity, f.evidence["other"]) for f in found] == [("error", "130000")]
    assert _crossdoc("2024年综合利用粉煤灰不足13万吨。") == []


def test_an_unambiguous_contradiction_is_an_error():
    found = _crossdoc("2024年综合利用粉煤灰13.6万吨。")
    assert [(f.severity, f.evidence["other"]) for f in found] == [("error", "136000")]


def test_an_ambiguous_contradiction_is_a_warning_that_says_why():
    sentence = "粉煤灰来自电厂，炉渣来自锅炉，2024年综合利用量13.6万吨。"
    fact = next(iter(_facts(sentence).values()))
    assert "多种废物" in fact.uncertain
    table = Fact(key=fact.key, label="利用量", period="2024", source="basic_info",
                 quantity=parse_quantity("3.4", "万吨", Location(file="附件1.xlsx", cell="D9")))
    found = [f for f in run_checks([], FormResult(form="hb_evaluation", facts=[table, fact])) if f.rule == "CROSSDOC.FIGURE_MISMATCH"]
    assert [f.severity for f in found] == ["warning"]
    assert "多种废物" in found[0].message and "请核实" in found[0].message
