import pytest

from extractor.headings import classify_paragraph, heading_style_level, match_numbering


@pytest.mark.parametrize(
    "text, expected",
    [
        ("第一部分 企业概况", (1, "第一部分")),
        ("第四章 监督管理", (1, "第四章")),
        ("第二节 工艺", (1, "第二节")),
        ("一、企业基本情况", (1, "一、")),
        ("十一、其他", (1, "十一、")),
        ("一 企业基本情况", (1, "一")),
        ("一．企业基本情况", (1, "一．")),
        ("（一）企业营业执照；", (2, "（一）")),
        ("(二)研发能力", (2, "(二)")),
        ("（十二）其他", (2, "（十二）")),
        ("1、企业概况", (3, "1、")),
        ("1. 企业概况", (3, "1.")),
        ("2．研发能力", (3, "2．")),
        ("3）管理能力", (3, "3）")),
        ("（1）粉煤灰", (4, "（1）")),
        ("(2)炉渣", (4, "(2)")),
        ("①原料", (5, "①")),
        ("⑳其他", (5, "⑳")),
        ("\u3000\u3000二、上年度资源综合利用情况", (1, "二、")),
    ],
)
def test_numbering_tokens(text, expected):
    assert match_numbering(text) == expected


@pytest.mark.parametrize(
    "text",
    ["1.5万吨粉煤灰", "2024年综合利用量", "12.5", "十分重要的工作", "一二三", "企业基本情况", "", "（1.5）", "第三条 标杆企业"],
)
def test_not_numbering(text):
    assert match_numbering(text) is None


def test_short_numbered_line_is_heading():
    assert classify_paragraph("一、企业基本情况", None) == ("heading", 1, "一、")
    assert classify_paragraph("（二）研发能力", "Normal") == ("heading", 2, "（二）")


def test_numbered_sentence_stays_paragraph_but_keeps_numbering():
    text = "1、企业概况。经营范围、产品产能、实际产量等；利用工业固废数量、品种、来源等；近三年营收、利润、税收等。"
    assert classify_paragraph(text, None) == ("paragraph", None, "1、")
    # short but a sentence
    assert classify_paragraph("（一）具有独立法人资格。", None) == ("paragraph", None, "（一）")
    assert classify_paragraph("（一）被依法终止的；", None) == ("paragraph", None, "（一）")


def test_heading_style_makes_heading_without_numbering():
    assert classify_paragraph("企业基本情况", "Heading 2") == ("heading", 2, None)
    assert classify_paragraph("企业基本情况", "标题 1") == ("heading", 1, None)
    assert classify_paragraph("企业基本情况", "heading 3") == ("heading", 3, None)
    assert classify_paragraph("企业基本情况", "Normal") == ("paragraph", None, None)


def test_outline_level_and_toc():
    assert heading_style_level("正文", 0) == 1
    assert heading_style_level("正文", 9) is None
    assert classify_paragraph("企业基本情况", "正文", 1) == ("heading", 2, None)
    # table-of-contents entries repeat headings but are not the outline
    assert classify_paragraph("一、企业基本情况\t3", "TOC 1") == ("paragraph", None, "一、")


def test_bare_token_is_not_heading():
    assert classify_paragraph("一、", None)[0] == "paragraph"
