"""Label and title normalisation and fuzzy matching (rapidfuzz), shared by every form."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

from rapidfuzz import fuzz

_WS = re.compile(r"\s+")
# a leading numbering token: 一、 （一） (1) 1、 1. 1） ① 第一部分 第一章 种类1： 序号-like "5"
_LEAD_NUM = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+(?:部分|章|节|条)|[一二三四五六七八九十]+[、.．\s]|"
    r"\([一二三四五六七八九十]+\)|\(\d+\)|\d+(?:\.\d+)*[、.．)\s](?!\d)|\d{1,2}(?:\.\d{1,2}){0,2}(?=[\u4e00-\u9fff])(?![万亿千百吨元倍个项人名年月日])|[①-⑳])\s*"
)
_PAREN = re.compile(r"\([^()]*\)")
# "(万吨/年)", "(10⁴t)", "(单位:t/a)": a trailing bracket holding only a unit
_UNIT_PAREN_ANY = re.compile(r"\((?:单位[:：]?)?\s*(?:[×x]?10[⁴⁸4]|万|亿|千)?\s*(?:吨|t|元|kg|千克|公斤|立方米|m3|平方米|m2)(?:[/／](?:年|a|月))?\s*\)$", re.I)
_UNIT_PAREN = re.compile(r"\((?:单位[:：]?)?\s*(?:万?吨|万?元|亿元|%|个|人|t|万t|盖章|公章|签字|签章)\s*\)", re.I)


@lru_cache(maxsize=1 << 16)  # labels and synonyms recur thousands of times per package
def compact(s: str | None) -> str:
    """NFKC (full-width to ASCII, so （ becomes ( ), no white space at all."""
    return _WS.sub("", unicodedata.normalize("NFKC", s or ""))


def strip_numbering(s: str) -> str:
    return _LEAD_NUM.sub("", compact(s), count=1)


def strip_label(s: str | None) -> str:
    """'年综合利用产值(万元)：' -> '年综合利用产值'; '单位（盖章）' -> '单位'; '联  系  人' -> '联系人'."""
    t = compact(s)
    t = t.rstrip(":：*＊")
    t = _UNIT_PAREN.sub("", t)
    t = _UNIT_PAREN_ANY.sub("", t)
    t = re.sub(r"[/／](?:万?吨|万?元|%)$", "", t)
    return t.rstrip(":：")


def title_part(s: str) -> str:
    """The title of a numbered heading or paragraph: numbering removed, cut at the first
    sentence or clause end ("1、企业概况。经营范围…" -> "企业概况")."""
    t = strip_numbering(s)
    t = re.sub(r"[.…·．_-]{3,}\d*$", "", t)  # table-of-contents dot leaders and page numbers
    t = re.split(r"[。：:；;]", t, maxsplit=1)[0]
    return t.strip("，,、 ")


@lru_cache(maxsize=1 << 16)
def similarity(a: str, b: str) -> float:
    """0–100; identical compact strings score 100."""
    a, b = compact(a), compact(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    return float(fuzz.ratio(a, b))


def best_match(text: str, names: Iterable[str]) -> tuple[str | None, float]:
    best, score = None, 0.0
    for n in names:
        sc = similarity(text, n)
        if sc > score:
            best, score = n, sc
    return best, score


def title_score(heading: str, names: Iterable[str]) -> float:
    """How well a heading matches an outline title or one of its aliases.

    Real reports vary the wording ("企业概况" / "企业基本概况"), append words ("企业基本情况
    介绍") or run the description on ("1、企业概况。经营范围…"), so besides the plain ratio a
    heading that starts with the title, or a title that contains the whole heading, scores high.
    """
    h = title_part(heading)
    if not h:
        return 0.0
    best = 0.0
    for n in names:
        n = compact(n)
        sc = similarity(h, n)
        if len(h) >= 2 and (h.startswith(n) or (n.startswith(h) and len(h) >= 0.6 * len(n))):
            sc = max(sc, 95.0 if len(h) <= len(n) + 6 else 88.0)
        elif n in h and len(n) >= 4 and len(h) <= len(n) + 6:
            # "企业生产经营情况概述" holds 生产经营; a sentence that mentions 生产经营报表 does not
            sc = max(sc, 85.0)
        best = max(best, sc)
    return best
