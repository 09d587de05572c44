"""Figures restated in the narrative: "2025年共综合利用粉煤灰12.60万吨，综合利用率98.5%".

Sentences are read clause by clause.  Each number with a unit is given a meaning from the
words just before it (产生 / 接收 / 利用 / 利用率 / 销售收入 …), a subject (the waste type last
named in the sentence, if any) and a period (the year last named, or 上年度 / 前一年度).  A
number that is a change ("较前一年度增长5.0%"), a capacity ("产能30万吨/年") or a multi-year
total is not a restated figure and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.forms.base import Fact
from extractor.forms.text import compact
from extractor.forms.wastes import classify_waste, known_waste_names
from extractor.model import Document
from extractor.quantity import parse_quantity, unit_of

_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_NUMBER_UNIT = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>亿元|万元|千元|元|万吨|吨|个百分点|%|％)"
)
_YEAR = re.compile(r"(20\d{2})\s*年(?!\d)")
_CHANGE_BEFORE = re.compile(r"(增长|增加|提高|提升|上升|下降|减少|降低|增幅|降幅|同比|较上年|较前一年度?|变化)[了为达约近]*$")
_BLOCKERS = ("产能", "能力", "规模", "设计", "计划", "预计", "目标", "库存", "贮存", "堆存", "投资", "注册资本", "资产")
_MULTI_YEAR = ("近三年", "近两年", "近年来", "历年", "多年来", "建厂以来", "成立以来", "累计至今")

WASTE_MEASURES: list[tuple[str, tuple[str, ...]]] = [
    ("rate", ("利用率",)),
    ("received", ("接收", "外购", "收购", "购入", "采购")),
    ("generated", ("产生",)),
    ("utilized", ("综合利用", "利用", "消纳", "处理利用")),
]
# words that make a money figure something other than the form's metric: 净利润 is not 利润总额,
# 减免税额 is not 税金
_METRIC_BLOCKERS = ("净利润", "毛利润", "毛利", "减免", "退税", "即征即退", "优惠", "补贴", "奖励")


def _closest_measure(window: str) -> str | None:
    """The measure whose verb stands closest to the number: "接收并综合利用粉煤灰12.6万吨" is a
    utilised amount.  利用率 wins over the 利用 inside it."""
    best, pos = None, -1
    for key, words in WASTE_MEASURES:
        for w in words:
            i = window.rfind(w)
            if i > pos or (i == pos and i >= 0 and key == "rate"):
                best, pos = key, i
    return best


MEASURE_LABELS = {"generated": "产生量", "received": "接收量", "utilized": "利用量", "rate": "综合利用率"}
_DIMENSION = {"generated": "吨", "received": "吨", "utilized": "吨", "rate": "%"}


@dataclass
class NarrativeContext:
    """What the narrative reader needs to know about the package."""

    waste_names: list[str]  # waste names as written in the package's tables
    metrics: dict[str, tuple[str, tuple[str, ...], str]]  # key -> (label, phrases, base unit)
    periods: dict[str, str]  # "上年度" -> "2024", "前一年度" -> "2023"
    default_period: str | None


def waste_lookup(names: list[str]) -> dict[str, str]:
    """mention (compact) -> table name: the names themselves, then synonyms of their canonical
    type when that type is unique among the table's names."""
    lookup = {compact(n): n for n in names if n}
    by_type: dict[str, list[str]] = {}
    for n in names:
        wt = classify_waste(n)
        if wt:
            by_type.setdefault(wt.name, []).append(n)
    for syn in known_waste_names():
        if syn in lookup:
            continue
        wt = classify_waste(syn)
        if wt and len(by_type.get(wt.name, [])) == 1:
            lookup[syn] = by_type[wt.name][0]
    return lookup


def extract_narrative_facts(doc: Document, ctx: NarrativeContext, source: str = "narrative") -> list[Fact]:
    lookup = waste_lookup(ctx.waste_names)
    mentions = sorted(lookup, key=len, reverse=True)
    facts: list[Fact] = []
    for b in doc.blocks:
        if b.kind not in ("paragraph", "heading") or not b.text:
            continue
        text = compact(b.text)
        for sm in _SENTENCE.finditer(text):
            sentence = sm.group(0)
            if any(w in sentence for w in _MULTI_YEAR):
                continue
            facts.extend(_sentence_facts(sentence, b.loc, ctx, lookup, mentions, source))
    return facts


def _last_waste(window: str, lookup: dict[str, str], mentions: list[str]) -> tuple[str | None, int]:
    best, pos = None, -1
    for m in mentions:
        i = window.rfind(m)
        if i > pos or (i == pos and i >= 0 and best is not None and len(m) > len(best)):
            best, pos = m, i
    return (lookup[best], pos) if best is not None and pos >= 0 else (None, -1)


def _period(sentence_before: str, ctx: NarrativeContext) -> str | None:
    # an aside that is closed before the number ("总量16.73万吨（前一年度17.54万吨），综合利用率…")
    # does not change the period of what follows it; "上年度（2024年）" keeps its label outside
    sentence_before = re.sub(r"\([^()]*\)", "", sentence_before)
    best, pos = None, -1
    for m in _YEAR.finditer(sentence_before):
        if m.start() > pos:
            best, pos = m.group(1), m.start()
    for label, year in ctx.periods.items():
        i = sentence_before.rfind(label)
        if i > pos:
            # "上年度" inside "较上年度增长" is a comparison, not the period
            if sentence_before[max(0, i - 1): i] == "较":
                continue
            best, pos = year, i
    return best or ctx.default_period


def _sentence_facts(sentence, loc, ctx: NarrativeContext, lookup, mentions, source) -> list[Fact]:
    out: list[Fact] = []
    prev_end = 0
    inherited_measure: str | None = None
    for m in _NUMBER_UNIT.finditer(sentence):
        before = sentence[: m.start()]
        # the window: from the previous number (or clause start) to this number
        clause_start = max(before.rfind("，"), before.rfind(","), before.rfind("："), before.rfind(":"))
        window = sentence[max(prev_end, clause_start + 1): m.start()]
        prev_end = m.end()
        if _CHANGE_BEFORE.search(window) or any(w in window for w in _BLOCKERS):
            inherited_measure = None
            continue
        after = sentence[m.end(): m.end() + 2]
        if after.startswith(("/年", "每年", "/a")):
            continue
        q = parse_quantity(m.group(0), loc=loc)
        if q is None:
            continue
        period = _period(before, ctx)
        waste, wpos = _last_waste(before, lookup, mentions)
        measure = _closest_measure(window)
        metric = None
        if not any(w in window for w in _METRIC_BLOCKERS):
            for key, (label, phrases, base) in ctx.metrics.items():
                if any(p in window for p in phrases):
                    metric = key
                    break
        # a company-level metric named right before the number wins over a waste subject
        # named earlier in the sentence ("综合利用粉煤灰12.6万吨，实现销售收入2.1亿元")
        waste_in_window = waste is not None and wpos >= len(before) - len(window)
        if metric and not (waste_in_window and measure):
            label, _, base = ctx.metrics[metric]
            if q.unit == base:
                out.append(Fact(key=metric, label=label, period=period, quantity=q, source=source, quote=sentence))
            inherited_measure = None
            continue
        if measure is None and inherited_measure and waste_in_window and "、" in window:
            measure = inherited_measure  # "综合利用粉煤灰12.6万吨、炉渣3.2万吨"
        if measure is None or waste is None:
            continue
        inherited_measure = measure
        if q.unit != _DIMENSION[measure]:
            continue
        out.append(Fact(key=f"waste.{measure}:{waste}", label=f"{waste}{MEASURE_LABELS[measure]}",
                        period=period, quantity=q, source=source, quote=sentence))
    return out


def base_unit(unit: str) -> str:
    u = unit_of(unit)
    return u[0] if u else unit
