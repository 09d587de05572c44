"""nowaste_case extraction and rules on a hand-built 申报书 laid out unlike the generator's:
years written "2020" without 年, 亿元 and 吨 units in the labels, "其中：" item rows, a
工业增加值 row, an inline "园区自述：…" paragraph, the 汇总表 in the same .docx with other
column names."""

from decimal import Decimal

import pytest

from checkers.run import run_checks
from extractor.forms.extract import extract_form
from extractor.forms.nowaste_case import (
    attribute_kind,
    unit_kind_of_name,
    zh_word_count,
)
from tests import form_fixtures as ff

PARK = "襄阳循环经济产业园"
YEARS = ["2020", "2021", "2022", "2023"]
# 亿元: industries sum to the total; 吨: wastes sum to 产生量 / 利用量
OPS = [["项目", *YEARS],
       ["园区工业总产值（亿元）", "120.5", "131.0", "142.3", "150.8"],
       ["其中：建材", "60.2", "65.5", "70.1", "74.4"],
       ["其中：化工", "40.3", "43.5", "47.2", "50.4"],
       ["其中：装备制造", "20.0", "22.0", "25.0", "26.0"],
       ["工业增加值（亿元）", "30.00", "32.50", "35.00", "37.50"]]


def waste_rows(rates=("88.0", "89.6", "91.0", "92.0"), intensity=None, drop_2020=False):
    gen = [Decimal(360000), Decimal(370000), Decimal(365000), Decimal(350000)]
    fly = [Decimal(200000), Decimal(205000), Decimal(200000), Decimal(190000)]
    slag = [g - f for g, f in zip(gen, fly)]
    util = [(g * Decimal(r) / 100).quantize(Decimal(1)) for g, r in zip(gen, rates)]
    util_fly = [(u * f / g).quantize(Decimal(1)) for u, f, g in zip(util, fly, gen)]
    util_slag = [u - a for u, a in zip(util, util_fly)]
    va = [Decimal(300000), Decimal(325000), Decimal(350000), Decimal(375000)]
    inten = intensity or [f"{g / v:.2f}" for g, v in zip(gen, va)]
    rows = [["指标", *YEARS],
            ["工业固废产生强度（吨/万元）", *inten],
            ["工业固废产生量（吨）", *map(str, gen)],
            ["其中：粉煤灰", *map(str, fly)],
            ["其中：炉渣", *map(str, slag)],
            ["工业固废利用量（吨）", *map(str, util)],
            ["其中：粉煤灰", *map(str, util_fly)],
            ["其中：炉渣", *map(str, util_slag)],
            ["综合利用率（%）", *rates]]
    if drop_2020:
        rows = [r[:1] + r[2:] for r in rows]
    return rows


def application(title="题目：襄阳循环经济产业园“园区统筹、企业协同”固废闭环利用模式", self_text=None, established="2010年",
                commitment=True, ops=OPS, wastes=None, summary=None):
    wastes = wastes or waste_rows()

    def build(d):
        d.add_paragraph("典型案例申报书（无废园区）")
        d.add_paragraph(f"单位名称：{PARK}管理委员会")
        d.add_paragraph("联系人：周立新    电话：0710-3456789    邮箱：xyxh@126.com")
        d.add_paragraph("申报日期：2024年3月25日")
        if commitment:
            d.add_heading("承诺声明", level=1)
            d.add_paragraph("我单位申报的所有材料，均真实、完整，如有不实，愿承担相应的责任。")
            d.add_paragraph("2024年3月25日")
        d.add_paragraph(title)
        for head, words in (("（一）主要做法", "园区统筹规划固废利用设施，推动企业之间副产物互供，建立固废信息化监管平台。"),
                            ("（二）取得的成效", "固废综合利用水平持续提升，大宗固废基本实现园区内消纳。"),
                            ("（三）创新点", "创新“园区统筹、企业协同”的管理机制，形成闭环利用链条。"),
                            ("（四）推广应用的条件", "适用于产业集聚度较高、固废种类相对集中的省级及以上园区。")):
            d.add_paragraph(head)
            for _ in range(12):
                d.add_paragraph(words * 2)
        d.add_paragraph("表1  襄阳循环经济产业园基本情况表")
        ff.table(d, [["园区名称", PARK, "主导产业*", "建材、化工"], ["企业数量", "210", "规上企业数量", "96"]])
        ff.table(d, ops)
        ff.table(d, wastes)
        d.add_paragraph("园区自述：" + (self_text if self_text is not None else
                                    f"园区始建于{established}，2013年获批省级产业园，现有企业210家，建成固废信息化管理平台。"))
        if summary is not None:
            d.add_paragraph("附件2 典型案例汇总表")
            ff.table(d, summary)

    return ff.docx_bytes(build)


def review(data):
    docs = [ff.as_document("申报书.docx", data)]
    form = extract_form(docs)
    return form, run_checks(docs, form)


def rules(findings, severities=("error", "veto")):
    return sorted({f.rule for f in findings if f.severity in severities})


def test_clean_park_case():
    form, findings = review(application())
    assert form.form == "nowaste_case"
    el = form.eligibility
    assert el["kind"] == "park"
    assert el["title"] == "襄阳循环经济产业园“园区统筹、企业协同”固废闭环利用模式"
    assert el["established"]["year"] == 2010
    assert el["reference_date"] == "2024-03-25"
    assert rules(findings) == [], [f.message for f in findings if f.severity in ("error", "veto")]
    # 亿元 in the label: the total is read as 元; the industries are its list
    total = next(s for s in form.sums if s.label.endswith("园区总产值") and s.period == "2023")
    assert total.total.quantity.value == Decimal(15080000000)
    assert [i.label for i in total.items] == ["建材", "化工", "装备制造"]
    gen = next(s for s in form.sums if s.label.endswith("工业固废产生量") and s.period == "2020")
    assert gen.total.quantity.value == Decimal(360000) and len(gen.items) == 2
    assert {r.period for r in form.rates} == set(YEARS)
    assert set(el["intensity"]) == set(YEARS)
    assert [h.id for h in form.outline if not h.found] == []


def test_arithmetic_defects_are_reported():
    rows = waste_rows()
    rows[3][2] = "215000"  # 粉煤灰 2021: items no longer add up to 产生量
    rows[8][3] = "95.5"  # 2022 rate stated too high
    _, findings = review(application(wastes=rows))
    msgs = {f.rule: f.message for f in findings}
    assert "SUM.TOTAL_MISMATCH" in msgs and "2021" in msgs["SUM.TOTAL_MISMATCH"]
    rm = [f for f in findings if f.rule == "RATE.MISMATCH"]
    assert rm and rm[0].evidence["period"] == "2022"


def test_intensity_mismatch_and_decline():
    # computed: 360000/300000 = 1.20, 370000/325000 = 1.14, 365000/350000 = 1.04, 350000/375000 = 0.93
    rows = waste_rows(intensity=["1.20", "1.25", "1.04", "0.93"])
    _, findings = review(application(wastes=rows))
    im = [f for f in findings if f.rule == "INTENSITY.MISMATCH"]
    assert [f.evidence["period"] for f in im] == ["2021"]
    assert "1.14" in im[0].message
    flat = waste_rows(intensity=["1.20", "1.14", "1.04", "1.15"])
    _, findings = review(application(wastes=flat))
    dec = [f for f in findings if f.rule == "ELIGIBILITY.INTENSITY_DECLINE_BELOW_THRESHOLD"]
    assert dec and dec[0].severity == "error" and dec[0].evidence["decline_percent"] == "4.17"


def test_rate_threshold_and_the_twenty_point_alternative():
    low = waste_rows(rates=("80.0", "82.0", "84.0", "86.0"))
    _, findings = review(application(wastes=low))
    assert "ELIGIBILITY.RATE_BELOW_THRESHOLD" in rules(findings)
    risen = waste_rows(rates=("62.0", "70.0", "79.0", "86.0"))  # +24 points: eligible
    _, findings = review(application(wastes=risen))
    assert "ELIGIBILITY.RATE_BELOW_THRESHOLD" not in rules(findings)


def test_young_entity_long_self_statement_and_missing_year():
    _, findings = review(application(established="2022年"))
    young = [f for f in findings if f.rule == "ELIGIBILITY.ENTITY_TOO_YOUNG"]
    assert young and young[0].severity == "veto"
    _, findings = review(application(self_text="园区始建于2010年。" + "园区持续推进固废综合利用工作，成效明显。" * 70))
    assert any(f.rule == "TEXT.LENGTH_EXCEEDED" and f.evidence["part"] == "self_statement" for f in findings)
    _, findings = review(application(wastes=waste_rows(drop_2020=True)))
    miss = [f for f in findings if f.rule == "PERIOD.MISSING_YEAR"]
    assert miss and miss[0].evidence == {"year": "2020", "part": "工业固废产生强度", "problem": "no_column"}


def test_outline_and_title():
    _, findings = review(application(commitment=False, title="襄阳循环经济产业园推进固废利用工作总结"))
    assert any(f.rule == "OUTLINE.SECTION_MISSING" and "承诺声明" in f.message for f in findings)
    assert any(f.rule == "TITLE.FORMAT_INVALID" and "模式" in f.message for f in findings)


SUMMARY_HEAD = ["序号", "省份", "单位属性", "园区/企业名称", "案例名称", "主导产业", "案例简介", "联系人", "联系电话"]


def test_summary_table_checks():
    own = ["1", "湖北", "企业", PARK, "襄阳循环经济产业园“园区统筹、企业协同”固废闭环利用模式", "建材", "简述" * 120, "周立新", "0710-3456789"]
    others = [[str(i), "湖北", "企业", f"湖北示例{i}有限公司", f"示例{i}模式", "化工", "简述", "张三", "13800000000"] for i in range(2, 7)]
    _, findings = review(application(summary=[SUMMARY_HEAD, own, *others]))
    got = rules(findings)
    assert {"SUMMARY.ATTRIBUTE_MISMATCH", "SUMMARY.TOO_MANY_CASES", "TEXT.LENGTH_EXCEEDED"} <= set(got)
    _, findings = review(application(summary=[SUMMARY_HEAD, others[0], [*others[0][:1], *others[0][1:]]]))
    got = rules(findings)
    assert "SUMMARY.CASE_NOT_LISTED" in got and "SUMMARY.DUPLICATE_ROW" in got


def test_word_count_and_kind_helpers():
    assert zh_word_count("2023年综合利用率达到92.5%。") == 11  # 2023 | 年综合利用率达到 | 92.5% | 。
    assert zh_word_count("") == 0
    assert unit_kind_of_name("湖北示例钢铁有限公司") == "enterprise"
    assert unit_kind_of_name("宜昌高新技术产业开发区") == "park"
    assert attribute_kind("园区") == "park" and attribute_kind("园区/企业") == "unknown"


@pytest.mark.parametrize("build,form", [(ff.hb_basic_info, "hb_evaluation")])
def test_other_forms_are_not_taken_for_nowaste(build, form):
    docs = [ff.as_document("附件1.docx", build())]
    assert extract_form(docs).form == form
