"""hn_green_mfg extraction and rules on a hand-built plan whose layout differs from the
generator's: the 基本情况表 as a two-column label/value list, ticks written after the options,
the 经营情况 years as columns, 第一章-style headings; plus the tick and enumeration parsers."""

from __future__ import annotations

import json

import pytest
from docx import Document as new_document

from extractor.forms.hn_green_mfg import model_of, parse_choice
from service.review.pipeline import review_package
from checkers.rules.green_mfg import enum_problem

NAME = "株洲宏泰轨道装备有限公司"
MOBILE = "13907331234"


def _plan_docx(path, *, industry="机械", system="轨道交通", audits=("未完成√ 已完成□", "已完成□ 未完成√"),
               profit_2022="1,250.00", year_label="2023年（预计）", summary_contact=f"张伟 {MOBILE}"):
    d = new_document()
    d.add_paragraph("湖南省绿色制造体系创建工作方案")
    d.add_paragraph(f"单位（盖章）：{NAME}")
    d.add_paragraph("创建类型：绿色工厂")
    d.add_paragraph("联系人：张伟")
    d.add_paragraph(f"联系电话：{MOBILE}")
    d.add_heading("第一章 企业基本情况", 1)
    d.add_paragraph("基本情况表")
    pairs = [("企业名称", NAME), ("所属行业", industry), ("所属现代产业体系", system), ("主营业务", "轨道交通装备零部件制造"),
             ("通讯地址", "湖南省株洲市天元区创业路8号"), ("法定代表人", "李国平"), ("申报联系人", "张伟"),
             ("电子邮箱", "zw2023@163.com"), ("强制性清洁生产审核", audits[0]), ("自愿性清洁生产审核", audits[1])]
    t = d.add_table(rows=len(pairs), cols=2)
    for i, (k, v) in enumerate(pairs):
        t.cell(i, 0).text, t.cell(i, 1).text = k, v
    d.add_paragraph("企业近三年经营情况（单位：万元）")
    years = [["年度", "2021年", "2022年", year_label],
             ["总资产（万元）", "52,000.00", "55,300.00", "58,100.00"],
             ["负债率（%）", "45.2", "43.8", "41.0"],
             ["主营业务收入（万元）", "30,100.00", "1,200.00", "36,800.00"],
             ["利润（万元）", "2,100.00", profit_2022, "2,900.00"],
             ["税金（万元）", "900.00", "1,000.00", "1,150.00"]]
    t2 = d.add_table(rows=len(years), cols=4)
    for r, row in enumerate(years):
        for c, v in enumerate(row):
            t2.cell(r, c).text = v
    for title in ("第二章 创建思路", "第三章 创建目标", "第四章 主要任务", "第五章 进度安排", "第六章 保障措施", "第七章 拟实施项目清单"):
        d.add_heading(title, 1)
        d.add_paragraph("围绕绿色工厂评价要求，推进节能降碳和清洁生产工作。")
    d.add_heading("附件", 1)
    d.add_paragraph("1. 营业执照。")
    d.save(path / f"{NAME}绿色工厂创建工作方案.docx")
    s = new_document()
    s.add_paragraph("2024年湖南省绿色制造体系申报汇总表")
    s.add_paragraph("（绿色工厂、绿色供应链管理示范企业）")
    head = ["序号", "申报单位", "主营业务", "创建类型", "所属行业", "所属体系分类", "2023年主营业务收入（预计）",
            "2023年利润（预计）", "2023年税收（预计）", "申报单位联系人及手机"]
    rows = [head, ["1", NAME, "轨道交通装备零部件制造", "绿色工厂", industry, system, "36,800.00", "2,900.00", "1,150.00",
                   summary_contact]]
    st = s.add_table(rows=2, cols=len(head))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            st.cell(r, c).text = v
    s.save(path / "汇总表.docx")


def _review(tmp_path, **kw):
    _plan_docx(tmp_path, **kw)
    return review_package(tmp_path)


def test_hand_built_layout_is_extracted(tmp_path):
    r = _review(tmp_path)
    assert r.form.form == "hn_green_mfg"
    m = model_of(r.form)
    assert len(m.plans) == 1
    p = m.plans[0]
    assert p.name == NAME and p.kind == "enterprise" and p.creation_type == "绿色工厂"
    assert p.value("industry") == "机械" and p.value("system") == "轨道交通"
    assert p.choices["audit_mandatory"].selected == ["未完成"]
    assert p.choices["audit_voluntary"].selected == ["未完成"]
    assert [(b.year, b.estimate) for b in p.business] == [("2021", False), ("2022", False), ("2023", True)]
    assert str(p.business[1].profit.value) == "12500000.00"  # 万元 -> 元
    assert [h.id for h in r.form.outline if not h.found] == []
    assert len(m.summary_rows) == 1 and m.summary_rows[0].plan == NAME


def test_hand_built_defects_are_reported(tmp_path):
    r = _review(tmp_path, industry="机械制造", summary_contact="张伟 13907331299")
    by_rule = {}
    for f in r.findings:
        by_rule.setdefault(f.rule, []).append(f)
    assert any("机械制造" in f.message and "「机械」" in f.message for f in by_rule["ENUM.INVALID_VALUE"])
    # 2022: profit 1,250.00 > revenue 1,200.00
    (profit,) = by_rule["FINANCE.PROFIT_EXCEEDS_REVENUE"]
    assert "2022" in profit.message and profit.evidence["year"] == "2022"
    (audit,) = by_rule["ELIGIBILITY.CLEAN_PRODUCTION_AUDIT_MISSING"]
    assert audit.severity == "error"
    assert any(f.evidence["field"] == "联系人手机" for f in by_rule["SUMMARY.PLAN_FIELD_MISMATCH"])
    assert "PERIOD.ESTIMATE_NOT_MARKED" not in by_rule


def test_consistent_hand_built_plan_passes_green_rules(tmp_path):
    r = _review(tmp_path, audits=("已完成√ 未完成□", "已完成□ 未完成√"), profit_2022="120.00")
    mine = [f for f in r.findings if f.rule.split(".")[0] in ("ENUM", "FINANCE", "PERIOD", "SUMMARY")
            or f.rule.startswith("ELIGIBILITY.")]
    assert mine == []


def test_unmarked_estimate_and_summary_without_plan(tmp_path):
    r = _review(tmp_path, year_label="2023年")
    assert any(f.rule == "PERIOD.ESTIMATE_NOT_MARKED" and "2023年" in f.message for f in r.findings)
    (tmp_path / f"{NAME}绿色工厂创建工作方案.docx").unlink()
    r2 = review_package(tmp_path)
    assert any(f.rule == "SUMMARY.ROW_WITHOUT_PLAN" and NAME in f.message for f in r2.findings)


def test_report_json_carries_the_model(tmp_path):
    from service.cli import main

    _plan_docx(tmp_path)
    out = tmp_path / "r.json"
    main(["check", str(tmp_path), "--json", str(out), "--quiet"])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["package"]["form"] == "hn_green_mfg"


@pytest.mark.parametrize("text, selected", [
    ("☑已完成 □未完成", ["已完成"]),
    ("□已完成  ■未完成", ["未完成"]),
    ("已完成√ 未完成□", ["已完成"]),
    ("√已完成", ["已完成"]),
    ("已完成", ["已完成"]),
    ("已完成 未完成", []),
    ("□已完成 □未完成", []),
    ("□国家级 ☑省级", ["省级"]),
])
def test_parse_choice(text, selected):
    assert parse_choice("x", text, None).selected == selected


@pytest.mark.parametrize("kind, value, bad, nearest", [
    ("industry", "机械制造", "机械制造", "机械"),
    ("industry", "建筑材料", "建筑材料", "建材"),
    ("modern_system", "新材料", "新材料", "前沿材料"),
    ("modern_system", "工程机械、高端装备", "高端装备", None),
])
def test_enum_problem(kind, value, bad, nearest):
    part, near, _ = enum_problem(kind, value)
    assert part == bad
    if nearest:
        assert near == nearest


@pytest.mark.parametrize("kind, value", [("industry", "其他"), ("industry", "其它"), ("industry", "生物医药"),
                                         ("modern_system", "工程机械、轨道交通"), ("creation_type", "绿色供应链管理示范企业")])
def test_enum_allowed(kind, value):
    assert enum_problem(kind, value) is None


# ---------------------------------------------------------------- layouts by other hands

OUTLINE = ("一、单位基本情况", "二、创建思路", "三、创建目标", "四、创建任务", "五、进度安排", "六、保障措施", "七、拟实施项目清单")


def _cover(d, name, kind="绿色工厂"):
    d.add_paragraph("湖南省绿色制造体系创建工作方案")
    d.add_paragraph(f"单位（盖章）：{name}")
    d.add_paragraph(f"创 建 类 型：{kind}")
    d.add_paragraph("联  系  人：陈静")
    d.add_paragraph(f"联 系 电 话：{MOBILE}")


def _table(d, rows):
    t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    t.style = "Table Grid"
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            t.cell(i, j).text = v
    return t


def _sections(d, projects=None, intro=""):
    for title in OUTLINE:
        d.add_heading(title, 1)
        d.add_paragraph(intro if title.startswith("一") and intro else "对照评价要求推进绿色制造体系建设。")
        if title.startswith("七") and projects:
            _table(d, projects)
    d.add_heading("附件（相关证明、支撑材料及文件）", 1)
    d.add_paragraph("1.营业执照")


def _inline_basic(d, industry="装备制造", profit_2022="1,120"):
    d.add_paragraph("基本情况表")
    _table(d, [[f"企业名称：{NAME}", f"所属行业：{industry}", "所属现代产业体系：工程机械"],
               ["主营业务：起重机械制造", "企业性质：民营", "成立时间：2011年4月"],
               ["法定代表人：李国华", "申报联系人：陈静", f"联系电话：{MOBILE}"],
               ["电子邮箱：chenjing@hf.com", "强制性清洁生产审核：□已完成 ☑未完成", "自愿性清洁生产审核：☑已完成 □未完成"]])
    _table(d, [["企业近三年经营情况", "", "", "", ""],
               ["年度", "主营业务收入(万元)", "利润总额(万元)", "税金总额(万元)", "总资产(万元)"],
               ["2021年", "29,860", "1,860", "980", "38,620"],
               ["2022年", "32,650", profit_2022, "1,120", "41,350"],
               ["2023年预计", "35,200", "3,560", "1,860", "43,800"]])


def test_basic_table_with_label_and_value_in_each_cell(tmp_path):
    d = new_document()
    _cover(d, NAME)
    _inline_basic(d, profit_2022="33,120")
    _sections(d)
    d.save(tmp_path / "绿色工厂创建工作方案.docx")
    r = review_package(tmp_path)
    p = model_of(r.form).plans[0]
    assert p.kind == "enterprise" and p.value("industry") == "装备制造" and p.value("legal_rep") == "李国华"
    rules = {f.rule for f in r.findings if f.severity in ("error", "veto")}
    assert rules == {"ENUM.INVALID_VALUE", "FINANCE.PROFIT_EXCEEDS_REVENUE"}, [f.message for f in r.findings]


def test_basic_table_in_xlsx_with_values_below_labels(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["基本情况表"], ["企业名称", "所属行业", "所属现代产业体系"], [NAME, "轻工", "轻工纺织"],
                ["主营业务", "通讯地址", "成立时间"], ["棉纺纱线生产", "湖南省常德市德山路18号", "2005.6"],
                ["法定代表人", "申报联系人", "电子信箱"], [None, "龚燕", "xdfz@163.com"],
                ["强制性清洁生产审核", "☑已完成 □未完成", None],
                ["年度", "主营业务收入（万元）", "利润（万元）"], ["2021年", "42380", "2150"], ["2022年", "45260", "2460"],
                ["2023年预计", "48900", "2780"]):
        ws.append(row)
    wb.save(tmp_path / "基本情况表.xlsx")
    d = new_document()
    _cover(d, NAME)
    _sections(d)
    d.save(tmp_path / "创建工作方案.docx")
    r = review_package(tmp_path)
    p = model_of(r.form).plans[0]
    assert p.value("industry") == "轻工" and p.value("contact") == "龚燕"
    blocking = [(f.rule, f.evidence.get("label")) for f in r.findings if f.severity in ("error", "veto")]
    # the 法定代表人 left blank is the one error; "所属行业" (a label) is never taken for the company's name
    assert blocking == [("FIELD.MISSING", "法定代表人")], [f.message for f in r.findings]


@pytest.mark.parametrize("text, selected", [("□国家级 省 ☑级", ["省级"]), ("□国家级 省☑级", ["省级"]),
                                            ("☑国家 级 □省级", ["国家级"])])
def test_tick_inside_a_wrapped_option(text, selected):
    assert parse_choice("园区级别", text, None).selected == selected


def _park_basic(d, level="□国家级 ☑省级", scale="142", audited=("14", "12")):
    d.add_paragraph("基本情况表")
    d.add_paragraph("（绿色园区填写）")
    _table(d, [["园区名称", "益阳示例高新区", "园区级别", level],
               ["申报联系人", "罗婷", "联系电话", MOBILE],
               ["主导产业", "新材料、装备制造", "其中规模企业数", scale],
               ["其中通过强制性清洁生产审核数", audited[0], "其中通过自愿性清洁生产审核数", audited[1]]])


def test_park_with_its_green_factory_list_and_share_in_chinese_numerals(tmp_path):
    import openpyxl

    d = new_document()
    _cover(d, "益阳示例高新区", kind="绿色园区")
    _park_basic(d, level="□国家级 省 ☑级")
    _sections(d, intro="2023年预计实现地区生产总值152.30亿元，其中工业增加值71.30亿元，工业增加值占比百分之四十六点八。")
    d.save(tmp_path / "绿色园区创建工作方案.docx")
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["园区绿色工厂名单"], ["序号", "企业名称", "级别", "认定年份"], ["1", "益阳科力新能源有限公司", "国家级", "2021"],
                ["2", "湖南资江电子有限公司", "省级", "2022"]):
        ws.append(row)
    wb.save(tmp_path / "附件3 园区绿色工厂名单.xlsx")
    r = review_package(tmp_path)
    m = model_of(r.form)
    assert [p.name for p in m.plans] == ["益阳示例高新区"]  # the list is no applicant's 基本情况表
    assert m.plans[0].choices["level"].selected == ["省级"]
    blocking = [(f.rule, f.severity) for f in r.findings if f.severity in ("error", "veto")]
    assert blocking == [("ELIGIBILITY.PARK_INDUSTRY_SHARE_LOW", "veto")], [f.message for f in r.findings]


def test_park_table_not_read_counts_from_the_text(tmp_path):
    d = new_document()
    _cover(d, "永州示例工业园区", kind="绿色园区")
    d.add_paragraph("基本情况表")
    d.add_paragraph("园区名称 永州示例工业园区")  # the table as lines of text, not a table
    _sections(d, intro="园区现有入园企业312家，其中规模以上工业企业168家。园区重点企业12家，其中通过强制性清洁生产审核8家，"
                       "通过自愿性清洁生产审核9家。工业增加值占园区地区生产总值的比重为62.5%。")
    d.save(tmp_path / "绿色园区创建工作方案.docx")
    r = review_package(tmp_path)
    att = [f for f in r.findings if f.rule == "ATTACHMENT.MISSING" and "基本情况表" in f.message]
    assert att and att[0].severity == "warning" and "未能读出" in att[0].message
    (low,) = [f for f in r.findings if f.rule == "ELIGIBILITY.PARK_AUDIT_SHARE_LOW"]
    assert "168" in low.message and low.severity == "error"


def test_transposed_business_table_with_a_unit_column_against_the_summary(tmp_path):
    d = new_document()
    _cover(d, NAME)
    d.add_paragraph("基本情况表")
    _table(d, [["企业名称", NAME, "所属行业", "有色金属"], ["所属现代产业体系", "前沿材料", "主营业务", "铅锌冶炼"],
               ["法定代表人", "何志强", "申报联系人", "张伟"], ["联系电话", MOBILE, "电子邮箱", "zw@hz.com"],
               ["强制性清洁生产审核", "☑已完成 □未完成", "自愿性清洁生产审核", "☑已完成 □未完成"]])
    _table(d, [["企业近三年经营情况", "", "", "", "", ""],
               ["指标", "单位", "2021年", "2022年", "2023年预计", "备注"],
               ["总资产", "亿元", "18.62", "19.85", "21.30", ""],
               ["负债率", "%", "52.3", "50.8", "49.6", ""],
               ["主营业务收入", "亿元", "22.36", "24.18", "26.85", ""],
               ["利润", "万元", "12,360", "13,850", "15,200", ""],
               ["税金", "万元", "6,820", "7,560", "8,230", ""]])
    _sections(d)
    d.save(tmp_path / "绿色工厂创建工作方案.docx")
    s = new_document()
    s.add_paragraph("2024年湖南省绿色制造体系申报汇总表")
    _table(s, [["序号", "申报单位", "主营业务", "创建类型", "所属行业", "所属体系分类", "2023年主营业务收入（预计）", "2023年利润（预计）",
                "2023年税收（预计）", "申报单位联系人及手机"],
               ["", "", "", "", "", "", "万元", "万元", "万元", ""],
               ["1", NAME, "铅锌冶炼", "绿色工厂", "有色金属", "前沿材料", "286,500", "15,200", "8,230", f"张伟 {MOBILE}"]])
    s.save(tmp_path / "汇总表.docx")
    r = review_package(tmp_path)
    p = model_of(r.form).plans[0]
    rev = {b.year: b.revenue.value for b in p.business}
    assert str(rev["2023"]) == "2685000000.00" and p.business[0].profit.unit == "元"
    cross = [f for f in r.findings if f.rule == "CROSSDOC.FIGURE_MISMATCH"]
    assert len(cross) == 1 and "主营业务收入" in cross[0].message and cross[0].severity == "error"


def test_project_list_with_group_subtotals(tmp_path):
    projects = [["序号", "项目名称", "建设内容", "总投资（万元）", "建设周期", "预期成效"],
                ["一、节能降碳类", "", "", "", "", ""],
                ["1", "生物质锅炉项目", "替代燃煤锅炉", "860", "2024.2—2024.8", "减少燃煤"],
                ["2", "屋顶光伏项目", "建设2兆瓦光伏", "800", "2024.3—2024.9", "年发电200万千瓦时"],
                ["小计", "", "", "1660", "", ""],
                ["二、资源综合利用类", "", "", "", "", ""],
                ["3", "竹屑利用项目", "竹炭生产线", "1250", "2024.4—2024.12", "年利用竹屑1.5万吨"],
                ["小计", "", "", "1250", "", ""],
                ["合计", "", "", "3210", "", ""]]
    d = new_document()
    _cover(d, NAME)
    _inline_basic(d, industry="机械")
    _sections(d, projects=projects)
    t = d.tables[-1]
    for row in (1, 5):
        t.cell(row, 0).merge(t.cell(row, 5))
    d.save(tmp_path / "绿色工厂创建工作方案.docx")
    r = review_package(tmp_path)
    sums = [f for f in r.findings if f.rule == "SUM.TOTAL_MISMATCH"]
    # 1660 + 1250 = 2910, written 3210; the 小计 add up
    assert len(sums) == 1 and "3210" in sums[0].message and "2910" in sums[0].message


def test_a_tick_a_wrapped_pdf_cell_put_behind_the_last_option():
    assert parse_choice("园区级别", "□国家级 省级 ☑", None).selected == ["省级"]
    assert parse_choice("园区级别", "☑国家级 □省级", None).selected == ["国家级"]
