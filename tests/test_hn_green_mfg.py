"""hn_green_mfg extraction and rules on a hand-built plan whose layout differs from the
generator's: the 基本情况表 as a two-column label/value list, ticks written after the options,
the 经营情况 years as columns, 第一章-style headings; plus the tick and enumeration parsers."""

from __future__ import annotations

import json

import pytest
from docx import Document as new_document

from extractor.forms.hn_green_mfg import model_of, parse_choice
from service.pipeline import review_package
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
    m = model_of(r.form.eligibility)
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
