"""Outline numbering as Chinese reports write it, and heading vs. paragraph.

Levels follow the usual Chinese official-document hierarchy:

    1  第一部分 / 第一章 / 第一节, 一、 二、 … 十一、, "1 概述"
    2  （一） (一), 1.1
    3  1、 1. 1． 1）, 1.1.1
    4  （1） (1)
    5  ① … ⑳

Word automatic numbering (a list style whose "一、" is generated at render time) is not part
of the paragraph text python-docx exposes, so such headings are found only by their style.
"""

from __future__ import annotations

import re
from typing import Literal

ParagraphKind = Literal["heading", "paragraph"]

_CN_NUM = "一二三四五六七八九十百零〇两"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_WS = r"[ \t\u3000\u00a0]"

# Order matters: the bracketed forms must be tried before the bare ones.
_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^第[{_CN_NUM}\d]{{1,4}}[部分章节篇]{{1,2}}(?={_WS}|$|[^{_CN_NUM}])")),
    (2, re.compile(rf"^[（(][{_CN_NUM}]{{1,3}}[)）]")),
    (4, re.compile(r"^[（(]\d{1,2}[)）]")),
    (1, re.compile(rf"^[{_CN_NUM}]{{1,3}}(?:[、．.]|{_WS}+(?=\S))")),
    # "1.1 企业概况", "2.3.1资源利用": decimal outline numbering, but not "1.5万吨"
    (3, re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}(?![\d.])(?=\s|[\u4e00-\u9fff])(?!\s*[万亿千百吨元倍])")),
    (2, re.compile(r"^\d{1,2}\.\d{1,2}(?![\d.])(?=[ \t\u3000\u00a0]|[\u4e00-\u9fff])(?![ \t\u3000\u00a0]*[万亿千百吨元倍个项人名年月日%％])")),
    # "1 概述" (a number, a space, the title) and "1概述" as a PDF's text layer gives it
    (1, re.compile(rf"^\d{{1,2}}{_WS}*(?=[\u4e00-\u9fff])(?![万亿千百吨元倍个项人名年月日家台套座条种批类级型位所处次号期届天周])")),
    # "1、", "1．", "1）", "1)" and "1." — but "1.5万吨" is a decimal, and "2024年" has no mark.
    (3, re.compile(r"^\d{1,2}(?:[、．）)]|\.(?!\d))")),
    (5, re.compile(rf"^[{_CIRCLED}]")),
]
_VALID_CN_NUMERAL = re.compile(r"^(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])$")
_CN_LEAD = re.compile(rf"^[{_CN_NUM}]+")

_HEADING_STYLE = re.compile(r"^(?:heading|标题|title|subtitle|副标题)\s*(\d)?$", re.IGNORECASE)
_SENTENCE_END = ("。", "；", ";", "，", ",", "！", "!", "？", "?")
MAX_HEADING_CHARS = 40


def match_numbering(text: str) -> tuple[int, str] | None:
    """(level, token) of the numbering the text starts with, else None.

    The token is returned as written without trailing blanks ("一、", "（二）", "1．", "一").
    """
    t = (text or "").lstrip(" \t\u3000\u00a0")
    for level, pattern in _PATTERNS:
        m = pattern.match(t)
        if not m:
            continue
        token = m.group(0).rstrip(" \t\u3000\u00a0")
        if level == 1 and not token.startswith("第") and not token[0].isdigit():
            numeral = _CN_LEAD.match(token)
            # "十分重要" or "一二三" are words, not numbering
            if numeral is None or not _VALID_CN_NUMERAL.match(numeral.group(0)):
                continue
        if level == 2 and token[0] in "（(":
            inner = token[1:-1]
            if not _VALID_CN_NUMERAL.match(inner):
                continue
        return level, token
    return None


def heading_style_level(style_name: str | None, outline_level: int | None = None) -> int | None:
    """Heading level implied by a Word style name ('Heading 2', '标题 1', 'Title') or by an
    explicit outline level (0-based in Word XML, 9 = body text)."""
    if outline_level is not None and 0 <= outline_level < 9:
        return outline_level + 1
    if not style_name:
        return None
    m = _HEADING_STYLE.match(style_name.strip())
    if not m:
        return None
    return int(m.group(1)) if m.group(1) else 1


def classify_paragraph(
    text: str, style_name: str | None = None, outline_level: int | None = None
) -> tuple[ParagraphKind, int | None, str | None]:
    """(kind, level, numbering) for one line or paragraph of text.

    A heading style makes a heading whatever the text; otherwise a short numbered line that
    does not end like a sentence is a heading.  A numbered long paragraph stays a paragraph
    but keeps its numbering, so "1、企业概况。经营范围……" can still be matched to an outline.
    """
    stripped = (text or "").strip()
    numbered = match_numbering(stripped)
    numbering = numbered[1] if numbered else None
    if _is_toc_style(style_name):
        # table-of-contents lines repeat the headings; they are not the outline itself
        return "paragraph", None, numbering
    style_level = heading_style_level(style_name, outline_level)
    if style_level is not None and stripped:
        return "heading", style_level, numbering
    if (
        numbered
        and len(stripped) <= MAX_HEADING_CHARS
        and len(stripped) > len(numbering or "")
        and not stripped.endswith(_SENTENCE_END)
        and "。" not in stripped
    ):
        return "heading", numbered[0], numbering
    return "paragraph", None, numbering


def _is_toc_style(style_name: str | None) -> bool:
    return bool(style_name) and bool(re.match(r"^(toc|目录)", style_name.strip(), re.IGNORECASE))
