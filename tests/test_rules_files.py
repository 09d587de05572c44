"""FILE.UNREADABLE, FILE.NO_TEXT_LAYER, FORM.UNKNOWN."""

from extractor.model import Location
from tests.rule_helpers import check, doc, form


def test_unreadable_file_names_file_and_reason():
    docs = [doc("报告.docx"), doc("附件/年报表.xlsx", "xlsx", error="文件已加密，需要密码")]
    out = check("FILE.UNREADABLE", form(), docs)
    assert len(out) == 1
    f = out[0]
    assert f.severity == "error"
    assert "附件/年报表.xlsx" in f.message and "文件已加密，需要密码" in f.message
    assert f.locations == [Location(file="附件/年报表.xlsx")]
    assert f.evidence["reason"] == "文件已加密，需要密码"


def test_readable_files_give_nothing():
    assert check("FILE.UNREADABLE", form(), [doc("报告.docx"), doc("a.pdf", "pdf")]) == []


def test_scanned_pdf_is_info_only():
    docs = [doc("营业执照.pdf", "pdf", has_text_layer=False, pages=1), doc("报告.pdf", "pdf")]
    out = check("FILE.NO_TEXT_LAYER", form(), docs)
    assert [f.severity for f in out] == ["info"]
    assert "营业执照.pdf" in out[0].message and "无文字层" in out[0].message
    assert out[0].locations == [Location(file="营业执照.pdf")]


def test_no_text_layer_ignores_non_pdf_and_unreadable_pdf():
    docs = [
        doc("照片.jpg", "image", has_text_layer=False),
        doc("坏.pdf", "pdf", has_text_layer=False, error="文件损坏"),
    ]
    assert check("FILE.NO_TEXT_LAYER", form(), docs) == []


def test_unknown_form_is_a_warning():
    out = check("FORM.UNKNOWN", form("unknown"), [doc("杂项.docx")])
    assert len(out) == 1 and out[0].severity == "warning"
    assert "杂项.docx" in out[0].message and "仅进行了文件层面的检查" in out[0].message


def test_known_form_is_not_unknown():
    assert check("FORM.UNKNOWN", form("hb_evaluation"), [doc("a.docx")]) == []
