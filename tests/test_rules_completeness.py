"""OUTLINE.SECTION_MISSING, FIELD.MISSING, ATTACHMENT.MISSING."""

from extractor.forms.base import AttachmentStatus, FieldValue, SectionHit
from tests.rule_helpers import check, form, loc


def test_missing_top_level_section_is_error_with_position_and_title():
    outline = [
        SectionHit(id="3", title="企业生产及经营", found=True),
        SectionHit(id="4", title="企业工艺技术", found=False),
    ]
    out = check("OUTLINE.SECTION_MISSING", form("hb_evaluation", outline=outline))
    assert len(out) == 1
    assert out[0].severity == "error"
    assert out[0].message == "评价报告缺少大纲第四部分「企业工艺技术」"
    assert out[0].evidence["id"] == "4" and out[0].evidence["title"] == "企业工艺技术"


def test_missing_sub_item_is_warning():
    outline = [SectionHit(id="2.3", title="上年度在推动绿色发展方面主要工作情况", found=False)]
    out = check("OUTLINE.SECTION_MISSING", form("hn_benchmark", outline=outline))
    assert [f.severity for f in out] == ["warning"]
    assert out[0].message == "自评价报告书缺少大纲第二部分第3项「上年度在推动绿色发展方面主要工作情况」"


def test_found_or_optional_sections_give_nothing():
    outline = [
        SectionHit(id="1", title="评价概述", found=True),
        SectionHit(id="7", title="结论", found=False, required=False),
    ]
    assert check("OUTLINE.SECTION_MISSING", form(outline=outline)) == []


def test_required_blank_field_is_reported_at_its_cell():
    cell = loc("附件1.xlsx", row=2, column=6)
    fields = {
        "credit_code": FieldValue(name="credit_code", label="统一社会信用代码", text="  ", loc=cell, required=True, source="basic_info"),
        "company_name": FieldValue(name="company_name", label="企业名称", text="某某公司", required=True, source="basic_info"),
        "fax": FieldValue(name="fax", label="传真号码", text="", required=False, source="basic_info"),
    }
    out = check("FIELD.MISSING", form(fields=fields))
    assert len(out) == 1
    f = out[0]
    assert f.severity == "error"
    assert "附件1基本情况表" in f.message and "「统一社会信用代码」" in f.message and "附件1.xlsx" in f.message
    assert f.locations == [cell]


def test_placeholder_dash_counts_as_blank():
    fields = {"email": FieldValue(name="email", label="电子邮箱", text="/", required=True, loc=loc())}
    out = check("FIELD.MISSING", form(fields=fields))
    assert len(out) == 1 and "「电子邮箱」" in out[0].message


def test_missing_attachment_uses_its_severity():
    atts = [
        AttachmentStatus(id="business_license", title="营业执照", clause="湖北细则第十五条（一）", found=False),
        AttachmentStatus(id="test_report", title="产品质量检测报告", clause="湖北细则第十五条（六）", severity="warning", found=False),
        AttachmentStatus(id="statement", title="真实性声明", clause="湖北细则第十五条（八）", found=True, evidence=[loc("声明.pdf")]),
    ]
    out = check("ATTACHMENT.MISSING", form(attachments=atts))
    assert [(f.severity, f.evidence["id"]) for f in out] == [("error", "business_license"), ("warning", "test_report")]
    assert "「营业执照」" in out[0].message and "第十五条（一）" in out[0].message


def test_a_blank_read_off_a_scan_is_a_warning():
    """A cell the recogniser read as blank may hold ink it missed: not a blocking finding."""
    from extractor.model import Document, Location

    scanned = Document(path="申请表.pdf", type="pdf", sha256="0" * 64, pages=2, scan_pages=[1])
    fields = {
        "contact": FieldValue(name="contact", label="联系人", text="", required=True, source="basic_info",
                              loc=Location(file="申请表.pdf", page=1, table=1, row=6, column=2)),
        "staff": FieldValue(name="staff", label="员工总数", text="", required=True, source="basic_info",
                            loc=Location(file="申请表.pdf", page=2, table=2, row=1, column=2)),
    }
    got = {f.evidence["field"]: f for f in check("FIELD.MISSING", form(fields=fields), documents=[scanned])}
    assert got["contact"].severity == "warning" and "扫描件识别存疑" in got["contact"].message
    assert got["staff"].severity == "error"  # page 2 has a text layer: its blank is certain
