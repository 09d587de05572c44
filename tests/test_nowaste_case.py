"""nowaste_case extraction and rules on a hand-built 申报书 laid out unlike the generator's:
years written "2020" without 年, 亿元 and 吨 units in the labels, "其中：" item rows, a
工业增加值 row, an inline "园区自述：…" paragraph, the 汇总表 in the same .docx with other
column names."""

from datetime import date
from decimal import Decimal

import pytest

from checkers.run import run_checks
from extractor.forms.base import form_model
from extractor.forms.extract import extract_form
from extractor.forms.nowaste_case import (
    NowastePackage,
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
    (el,) = form_model(form, NowastePackage).cases
    assert el.kind == "park"
    assert el.title == "襄阳循环经济产业园“园区统筹、企业协同”固废闭环利用模式"
    assert el.established is not None and el.established.year == 2010
    assert el.reference_date == date(2024, 3, 25) and el.reference_source == "申报日期"
    assert rules(findings) == [], [f.message for f in findings if f.severity in ("error", "veto")]
    # 亿元 in the label: the total is read as 元; the industries are its list
    total = next(s for s in form.sums if s.label.endswith("园区总产值") and s.period == "2023")
    assert total.total.quantity.value == Decimal(15080000000)
    assert [i.label for i in total.items] == ["建材", "化工", "装备制造"]
    gen = next(s for s in form.sums if s.label.endswith("工业固废产生量") and s.period == "2020")
    assert gen.total.quantity.value == Decimal(360000) and len(gen.items) == 2
    assert {r.period for r in form.rates} == set(YEARS)
    assert set(el.intensity) == set(YEARS) and set(el.rates) == set(YEARS)
    assert el.intensity["2023"].value_added_source == "表" and el.rates["2020"].reported.value == Decimal("88.0")
    assert [h.id for h in form.outline if not h.found] == []


def test_the_model_is_reported_in_its_old_shape_and_reads_back():
    # a package of one case keeps the case's keys at the top of the report's "fields" (no "cases"
    # list); the report's object reads back into the same typed model
    from service.reports.model import jsonable

    form, _ = review(application())
    pkg = form_model(form, NowastePackage)
    out = jsonable(pkg)
    assert "cases" not in out and out["kind"] == "park" and out["reference_date"] == "2024-03-25"
    assert {"kind_evidence", "title_loc", "cover", "basic", "rows", "year_columns", "body", "self_statement",
            "established", "summary", "summary_file", "narrative"} <= set(out)
    assert out["rates"]["2023"]["reported"]["value"] == "92.0"
    back = NowastePackage.model_validate(out)
    assert len(back.cases) == 1 and back.cases[0].rates == pkg.cases[0].rates and back.years == YEARS
    assert back.cases[0].established == pkg.cases[0].established
    assert form_model(form.model_copy(update={"model": None}), NowastePackage).cases == []


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


# ---------------------------------------------------------------- layouts by other hands

COMPANY = "潜江示例纸业有限公司"
E_YEARS_ROWS = [["", *[f"{y}年" for y in YEARS]],
                ["产值（万元）", "338,600", "372,500", "361,200", "386,400"],
                ["销售额（万元）", "331,800", "366,400", "354,100", "379,600"]]


def e_waste_rows(util_2020="16.51", rate_2022="96.37"):
    return [["", *[f"{y}年" for y in YEARS]],
            ["工业固废产生量（万吨）", "20.10", "20.71", "18.73", "17.91"],
            ["其中：白泥", "14.82", "15.25", "13.61", "12.93"],
            ["粉煤灰", "5.28", "5.46", "5.12", "4.98"],
            ["工业固废综合利用量（万吨）", util_2020, "18.50", "18.05", "17.63"],
            ["工业固废综合利用率（%）", "82.14", "89.33", rate_2022, "98.44"]]


def enterprise_application(name=COMPANY, body_extra="", ops=None, wastes=None, email="yuanxf@cyzy.com.cn",
                           caption_only=False, founded="2003年9月"):
    def build(d):
        d.add_paragraph("典型案例申报书（无废企业）")
        d.add_paragraph(f"单位名称：{name}")
        d.add_paragraph("联系人：袁晓峰")
        d.add_paragraph("电话：0728-6425519")
        d.add_paragraph(f"邮箱：{email}")
        d.add_paragraph("申报日期：2024年3月8日")
        d.add_heading("承诺声明", level=1)
        d.add_paragraph("我单位申报的所有材料，均真实、完整，如有不实，愿承担相应的责任。")
        d.add_paragraph("2024年3月8日")
        d.add_paragraph(f"{name}制浆造纸固废厂内闭环资源化模式")
        since = f"成立于{founded}，" if founded else ""
        d.add_paragraph(f"{name}{since}主要从事文化用纸生产。2023年公司实现产值38.64亿元，销售额37.96亿元。" + body_extra)
        for head, words in (("一、主要做法", "公司利用白泥制备脱硫剂，污泥掺烧发电，灰渣外售建材企业。"),
                            ("二、取得的成效", "固废综合利用水平持续提升，基本实现厂内闭环利用。"),
                            ("三、创新点", "白泥以废治废，全过程数字化监管。"),
                            ("四、推广应用的条件", "适用于化学制浆和废纸造纸企业。")):
            d.add_paragraph(head)
            for _ in range(12):
                d.add_paragraph(words * 2)
        d.add_paragraph("表2")
        d.add_paragraph(f"{name}基本情况表")
        if caption_only:
            # the table as lines of text (a borderless table a PDF reader could not rebuild)
            d.add_paragraph("企业名称 从事行业")
            d.add_paragraph(f"{name} 222造纸")
            d.add_paragraph("2020年2021年2022年2023年产值（万元）338,600 372,500 361,200 386,400")
        else:
            ff.table(d, [["企业名称", name, "从事行业*", "222造纸"], ["负责人", "袁志诚", "员工数量", "1,326"]])
            ff.table(d, ops or E_YEARS_ROWS)
            ff.table(d, wastes or e_waste_rows())
        d.add_paragraph(f"企业自述：公司{since}建成固体废物管理信息化平台，实现固废全过程可追溯。")

    return ff.docx_bytes(build)


def _summary_xlsx(rows):
    from tests.fixtures_build import xlsx_bytes

    def build(wb):
        ws = wb.active
        ws.append(["附件2"])
        ws.append(["典型案例汇总表"])
        for r in rows:
            ws.append(r)

    return xlsx_bytes(build)


def review_docs(files):
    docs = [ff.as_document(name, data) for name, data in files]
    form = extract_form(docs)
    return form, run_checks(docs, form)


def blocking(findings):
    return [f"{f.rule}: {f.message}" for f in findings if f.severity in ("error", "veto")]


def _letter():
    def build(d):
        d.add_paragraph("关于推荐“无废园区”“无废企业”典型案例的函")
        d.add_paragraph("根据通知要求，现推荐2个典型案例，请予审核。")
        d.add_paragraph("附件：1.典型案例申报书（2份）")
        d.add_paragraph("2.典型案例汇总表")
        d.add_paragraph("（联系人：周文斌，电话：027-87251636）")
    return ff.docx_bytes(build)


def test_a_provincial_package_is_checked_case_by_case():
    # two cases of one province: their figures differ without being a mismatch; the covering letter
    # (which names the 申报书 and the 汇总表) is neither; its phone is read without its bracket
    head = ["序号", "省份", "单位属性", "单位名称", "典型案例名称", "主导产业", "案例简要描述", "单位联系人", "电话"]
    summary = _summary_xlsx([head,
                             ["1", "湖北", "园区", f"{PARK}管理委员会", "襄阳循环经济产业园“园区统筹、企业协同”固废闭环利用模式",
                              "建材", "简述", "周立新", "0710-3456789"],
                             ["2", "湖北", "企业", COMPANY, f"{COMPANY}制浆造纸固废厂内闭环资源化模式", "造纸", "简述", "袁晓峰",
                              "0728-6425519"]])
    files = [("关于推荐典型案例的函.docx", _letter()),
             ("案例1 襄阳/典型案例申报书.docx", application()),
             ("案例2 潜江/典型案例申报书.docx", enterprise_application(wastes=e_waste_rows(rate_2022="95.37"))),
             ("附件2 典型案例汇总表.xlsx", summary)]
    form, findings = review_docs(files)
    roles = {r.path: r.roles for r in form.file_roles}
    assert "application" not in roles["关于推荐典型案例的函.docx"] and "summary" not in roles["关于推荐典型案例的函.docx"]
    pkg = form_model(form, NowastePackage)
    assert [(c.case, c.kind) for c in pkg.cases] == [(f"{PARK}管理委员会", "park"), (COMPANY, "enterprise")]
    assert len(pkg.summary) == 2 and pkg.summary_file == "附件2 典型案例汇总表.xlsx"
    assert [c.files for c in pkg.cases] == [["案例1 襄阳/典型案例申报书.docx"], ["案例2 潜江/典型案例申报书.docx"]]
    assert pkg.years == YEARS and all(c.summary_file == pkg.summary_file for c in pkg.cases)
    # only case 2's own defect: its 2022 rate (17.05/18.73 = 91.03%, written 95.37%)
    assert [f.rule for f in findings if f.severity in ("error", "veto")] == ["RATE.MISMATCH"], blocking(findings)
    (rm,) = [f for f in findings if f.rule == "RATE.MISMATCH"]
    assert COMPANY in rm.message and rm.locations[0].file == "案例2 潜江/典型案例申报书.docx"
    assert {form.identity_groups[p] for p in ("案例1 襄阳/典型案例申报书.docx", "案例2 潜江/典型案例申报书.docx")} == \
        {f"{PARK}管理委员会", COMPANY}


def test_a_phone_closing_its_bracket_and_a_full_width_at_sign():
    from extractor.forms.labels import inline_pairs

    fields = {"contact": ["联系人"], "phone": ["电话"], "email": ["邮箱", "电子信箱"]}
    assert inline_pairs("（联系人：周文斌，电话：027-87251636）", fields) == [("phone", "027-87251636")]
    # the value as written: a full-width ＠ is the submitter's error, not normalised away
    assert inline_pairs("电子信箱：lnty_hbj＠126.com", fields) == [("email", "lnty_hbj＠126.com")]
    _, findings = review(enterprise_application(email="yuanxf＠cyzy.com.cn"))
    (bad,) = [f for f in findings if f.rule == "FORMAT.EMAIL_INVALID"]
    assert "＠" in bad.message and bad.severity == "error"


def test_table_title_without_a_readable_table_is_a_warning():
    _, findings = review(enterprise_application(caption_only=True))
    miss = [f for f in findings if f.rule == "OUTLINE.SECTION_MISSING" and "表2" in f.message]
    assert miss and all(f.severity == "warning" for f in miss) and "未能读出" in miss[0].message
    assert not [f for f in findings if f.rule == "FIELD.MISSING" and f.evidence["label"] in ("企业名称", "从事行业")]


def test_group_rows_totals_written_as_zongliang_and_rates_restated_year_by_year():
    # '一、…' group rows; '综合利用总量' names the 利用量; the text gives 2021 and 2022 in one sentence
    rows = [["指标", *YEARS],
            ["一、工业固废产生情况", "", "", "", ""],
            ["园区内一般工业固废产生总量（万吨）", "36.00", "37.00", "36.50", "35.00"],
            ["其中：粉煤灰", "20.00", "20.50", "20.00", "19.00"],
            ["炉渣", "16.00", "16.50", "16.50", "16.00"],
            ["二、工业固废利用情况", "", "", "", ""],
            ["园区内一般工业固废综合利用总量（万吨）", "31.68", "33.15", "33.22", "32.20"],
            ["其中：粉煤灰", "18.00", "18.60", "18.40", "17.50"],
            ["炉渣", "14.68", "14.55", "14.82", "14.70"],
            ["综合利用率（%）", "88.0", "89.6", "91.0", "92.0"]]
    data = application(wastes=rows)
    # merge the group rows as a submitter's Word table does
    import io

    import docx
    doc = docx.Document(io.BytesIO(data))
    t = doc.tables[-1]
    for r in (1, 5):
        t.cell(r, 0).merge(t.cell(r, 4))
    doc.add_paragraph("2021年园区工业固废综合利用率为89.6%。综合利用率2021年为89.6%，2022年为91.6%。")
    buf = io.BytesIO()
    doc.save(buf)
    _, findings = review(buf.getvalue())
    sums = [f for f in findings if f.rule == "SUM.TOTAL_MISMATCH"]
    # 2020: 18.00 + 14.68 = 32.68 against 31.68
    assert [f.evidence["period"] for f in sums] == ["2020"] and "31.68" in sums[0].message
    cross = [f for f in findings if f.rule == "CROSSDOC.FIGURE_MISMATCH" and f.evidence["period"] == "2022"]
    assert cross and cross[0].severity == "error" and "91.6" in cross[0].message


def test_unit_column_years_in_another_order_and_money_in_yi_yuan():
    # a 单位 column, years 2023→2020; the text's 销售额37.96亿元 against 378,600 万元 in the table
    ops = [["项目", "单位", "2023年", "2022年", "2021年", "2020年"],
           ["产值", "万元", "386,400", "361,200", "372,500", "338,600"],
           ["销售额", "万元", "378,600", "354,100", "366,400", "331,800"]]
    form, findings = review(enterprise_application(ops=ops))
    sales = [r for r in form.facts if r.key == "sales" and r.period == "2023"]
    assert {f.source for f in sales} == {"basic_info", "narrative"}
    table = next(f for f in sales if f.source == "basic_info")
    assert table.quantity.value == Decimal(3786000000)
    cross = [f for f in findings if f.rule == "CROSSDOC.FIGURE_MISMATCH" and "销售额" in f.message]
    assert cross and cross[0].severity == "error"
    assert not [f for f in findings if f.rule == "PERIOD.MISSING_YEAR"]


def test_missing_year_in_both_parts_is_one_finding():
    ops = [r[:1] + r[2:] for r in E_YEARS_ROWS]
    wastes = [r[:1] + r[2:] for r in e_waste_rows()]
    _, findings = review(enterprise_application(ops=ops, wastes=wastes))
    miss = [f for f in findings if f.rule == "PERIOD.MISSING_YEAR"]
    assert len(miss) == 1 and miss[0].evidence["year"] == "2020" and "、" in miss[0].evidence["part"]


def test_whole_unit_totals_in_prose_and_a_continued_table_without_header():
    # "其中白泥…，综合利用X万吨": X is the unit's total; "2022年产生…" carries the subject of the
    # clause before; a 续表 without its header takes the years of the table it continues
    text = ("2023年，公司产生工业固废约18万吨，其中白泥12.93万吨，综合利用17.36万吨。"
            "2021年公司产生工业固废20.71万吨，利用18.50万吨；2022年产生18.37万吨，利用18.05万吨。")
    import io

    import docx
    doc = docx.Document(io.BytesIO(enterprise_application(body_extra=text)))
    # split the waste table: its utilisation rows go to a 续表 without a header
    t = doc.tables[-1]
    rows = [[c.text for c in r.cells] for r in t.rows]
    t._tbl.getparent().remove(t._tbl)
    first = doc.add_table(rows=4, cols=5)
    for i, r in enumerate(rows[:4]):
        for j, v in enumerate(r):
            first.cell(i, j).text = v
    doc.add_paragraph("续表2")
    rest = doc.add_table(rows=2, cols=5)
    for i, r in enumerate(rows[4:]):
        for j, v in enumerate(r):
            rest.cell(i, j).text = v
    buf = io.BytesIO()
    doc.save(buf)
    form, findings = review(buf.getvalue())
    keys = {(f.key, f.period, str(f.quantity.value)) for f in form.facts if f.source == "narrative"}
    assert ("utilized.total", "2023", "173600.00") in keys and ("generated.total", "2022", "183700.00") in keys
    cross = {(f.evidence["label"], f.evidence["period"]) for f in findings if f.rule == "CROSSDOC.FIGURE_MISMATCH"
             and f.severity == "error"}
    assert ("工业固废利用量", "2023") in cross and ("工业固废产生量", "2022") in cross
    # the 续表's rate row is read under the years of the table before it
    assert any(r.period == "2022" for r in form.rates)


def test_established_from_the_table_field_and_dates_in_chinese_numerals():
    from extractor.forms.nowaste_case import find_established

    def build(d):
        d.add_paragraph("公司始建于二〇二二年三月，2023年经市政府批准设立研发中心。")
        ff.table(d, [["企业名称", COMPANY], ["成立时间", "2022.1"]])

    doc = ff.as_document("申报书.docx", ff.docx_bytes(build))
    est = find_established([doc])
    assert (est.year, est.month) == (2022, 3)  # prose: 二〇二二年三月
    from extractor.forms.base import FieldValue

    field = FieldValue(name="established", label="成立时间", text="2022.1")
    est = find_established([doc], {"established": field})
    assert (est.year, est.month) == (2022, 1) and "2022.1" in est.text  # the table's 成立时间 is earlier


@pytest.mark.parametrize("founded, licence_name, young", [
    (None, COMPANY, True),  # the licence alone says when the enterprise was founded
    ("2003年9月", COMPANY, False),  # the earliest founding stated counts
    (None, "湖北另一家纸业有限公司", False),  # another company's licence says nothing of this one
])
def test_the_enterprises_licence_founding_date_feeds_the_age_rule(founded, licence_name, young):
    from tests.test_licence import NEW_STYLE, ocr_page

    lines = [ln.replace("湖北金山环保科技有限公司", licence_name).replace("2015年03月18日", "2022年05月10日")
             for ln in NEW_STYLE]
    docs = [ff.as_document("申报书.docx", enterprise_application(founded=founded)), ocr_page("营业执照.jpg", lines)]
    form = extract_form(docs)
    got = [f for f in run_checks(docs, form) if f.rule == "ELIGIBILITY.ENTITY_TOO_YOUNG"]
    if not young:
        assert got == []
        return
    (f,) = got
    assert f.severity == "veto" and "营业执照 成立日期：2022年05月10日" in f.message
    assert f.locations[0].file == "营业执照.jpg" and f.evidence["established_year"] == 2022
