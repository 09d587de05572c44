"""Figures restated in the narrative: "2025年共综合利用粉煤灰12.60万吨，综合利用率98.5%".

spaCy reads each sentence (`spacy.blank("zh")` with jieba, offline): an EntityRuler built from
corpus/waste_types.yaml, the package's own waste names and the forms' indicator names tags
wastes (WASTE), company metrics (METRIC), periods (PERIOD), measure verbs (MEASURE), changes
(CHANGE), capacities and plans (BLOCK), approximations (APPROX); a Matcher finds list markers
("分别为", "其中").  Numbers with their units are found on the text and parsed by the one
quantity parser (Chinese numerals first turned into digits).

Each figure gets a meaning from the words just before it: a measure (产生 / 接收 / 利用 / 利用率)
of a waste, or a metric; a period (the year or relative period last named, resolved through the
document's own dates); "A、B、C，利用量分别为x、y、z" pairs subjects and figures in order.  A
change ("较上年增长5%"), a capacity ("产能30万吨/年") or a multi-year total is not a restated figure.

A figure whose attribution is not certain (several wastes or years could be meant, a list whose
lengths differ) carries the reason in `Fact.uncertain`; one written approximately (约, 近, 超过,
以上) is marked on its quantity.  The cross-document check turns those into warnings, never errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extractor.forms.base import Fact
from extractor.forms.text import compact
from extractor.forms.wastes import known_waste_names, waste_lookup
from extractor.model import Document, Location
from extractor.numerals import arabic
from extractor.quantity import approximation, parse_quantity, unit_of

# a sentence ends at 。！？; a ；continues it as another clause ("2023年、2024年分别…a、b；…c、d")
_SENTENCE = re.compile(r"[^。！!？?\n]+[。！!？?]?")
_NUMBER_UNIT = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>亿元|万元|千元|元|亿吨|万吨|千吨|吨|万t|t(?![a-zA-Z])|个百分点|%|％)"
)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_YEAR = re.compile(r"(20\d{2})\s*年(?:度)?(?!\d)")
_PER_YEAR = ("/年", "每年", "/a", "／年")
_COMPARED = ("较", "比", "与", "同", "对比", "相比", "较之", "相较")
_YEAR_AFTER = re.compile(r"^\s*[(（]\s*(20\d{2})\s*年度?\s*[)）]")
_YEAR_RANGE = re.compile(r"(20\d{2})\s*(?:年\s*)?[-—–~～至到]\s*(20\d{2})\s*年")
# "2023年、2024年" / "2023年和2024年": the years a 分别 list pairs with
_YEAR_LIST = re.compile(r"20\d{2}\s*年?度?(?:\s*[、和及与]\s*20\d{2}\s*年?度?)+")
_RUN_SEPARATOR = re.compile(r"^\s*[、，,和及与]\s*$")
_MULTI_YEAR = ("近三年", "近两年", "近五年", "近3年", "近2年", "近5年", "近年来", "历年", "多年来", "建厂以来", "成立以来",
               "累计至今", "以来累计")

MEASURE_WORDS: dict[str, tuple[str, ...]] = {
    "rate": ("综合利用率", "利用率", "处置率"),
    "received": ("接收", "外购", "收购", "购入", "采购", "外来"),
    "generated": ("产生", "产出", "排放"),
    "utilized": ("综合利用", "利用", "消纳", "处理利用", "资源化", "回收加工", "回收利用", "加工利用", "再生利用", "拆解利用"),
}
CHANGE_WORDS = ("增长", "增加", "提高", "提升", "上升", "下降", "减少", "降低", "增幅", "降幅", "同比", "较上年", "较前一年",
                "较上一年", "比上年", "变化", "增长率", "下降率", "多出", "少于")
BLOCK_WORDS = ("产能", "能力", "规模", "设计", "计划", "预计", "目标", "库存", "贮存", "堆存", "投资", "注册资本", "注册资金",
               "资产", "占地", "面积", "合同", "标准", "限值", "要求", "不低于", "不少于", "以下", "处置", "填埋", "外运", "焚烧",
               "近三年", "近两年", "近五年", "近3年", "近2年", "近5年", "近年来", "历年", "多年来", "建厂以来", "成立以来",
               "累计至今", "以来累计")
# "由108.62万吨增加至121.36万吨": the first figure is the earlier state, the second the period's own
_FROM = re.compile(r"(?:由|从)$")
_TO = re.compile(r"(?:增加|提高|提升|上升|增长|下降|减少|降低|降|增|升)(?:至|到)$")
# a subject that is a category of several wastes: "废旧锂电池及生产废料3.18万吨"
_JOINED = re.compile(r"[及和与、]|以及")
# a subject wider than one waste: a figure after it may be the whole's
_GENERIC_SUBJECT = re.compile(r"工业固废|固体废物|固废|废弃物|工业资源|各类|全部")
# words that make a money figure something other than the form's metric: 净利润 is not 利润总额,
# 减免税额 is not 税金
METRIC_BLOCKERS = ("净利润", "毛利润", "毛利", "减免", "退税", "即征即退", "优惠", "补贴", "奖励", "研发投入", "投资")
RELATIVE_PERIODS = ("上年度", "上一年度", "上年", "前一年度", "前一年", "本年度", "本年", "报告期", "评价期", "当年", "同年",
                    "去年", "今年", "前年", "上一年", "全年", "年内", "本期", "当期")

# a waste name followed by one of these names a product made from it ("钢渣微粉", "粉煤灰砖")
PRODUCT_SUFFIXES = ("微粉", "砖", "砌块", "制品", "水泥", "骨料", "板", "陶粒", "粉", "混凝土", "砂浆", "石膏板", "建材",
                    "产品", "掺合料", "填料")
# a clause about products, not wastes: "全年生产综合利用产品矿渣微粉25.77万吨"
PRODUCT_WORDS = ("产品", "产量", "生产", "销售", "销量", "出厂")

_RELATIVE_RE = re.compile("|".join(sorted(RELATIVE_PERIODS, key=len, reverse=True)))

MEASURE_LABELS = {"generated": "产生量", "received": "接收量", "utilized": "利用量", "rate": "综合利用率"}
_DIMENSION = {"generated": "吨", "received": "吨", "utilized": "吨", "rate": "%"}


@dataclass
class NarrativeContext:
    """What the narrative reader needs to know about the package."""

    waste_names: list[str]  # waste names as written in the package's tables
    metrics: dict[str, tuple[str, tuple[str, ...], str]]  # key -> (label, phrases, base unit)
    periods: dict[str, str]  # relative period as written -> year: "上年度" -> "2024", "前一年度" -> "2023"
    default_period: str | None  # the period of a sentence that names none
    # measure -> fact key for a figure of all the unit's wastes ("产生工业固废138万吨，其中高炉渣88万吨，
    # 综合利用134万吨"): a form that states such totals sets it; others drop such figures
    totals: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- the spaCy pipeline


@lru_cache(maxsize=1)
def _metric_phrases() -> tuple[str, ...]:
    """Every metric phrase the forms read in prose (their modules declare them)."""
    import importlib

    from extractor.forms.spec import FORM_IDS

    out: set[str] = set()
    for fid in FORM_IDS:
        mod = importlib.import_module(f"extractor.forms.{fid}")
        for _label, phrases, _unit in getattr(mod, "_METRICS", {}).values():
            out.update(phrases)
    return tuple(sorted(out, key=len, reverse=True))


@lru_cache(maxsize=1)
def nlp():
    """spaCy's blank Chinese pipeline on jieba, with the entity ruler and list-marker matcher."""
    import spacy
    from spacy.matcher import Matcher

    from extractor.forms.segment import jieba_tokenizer

    tok = jieba_tokenizer()  # our vocabulary in jieba's dictionary before spaCy segments with it
    # metric phrases are not added: jieba would glue "年综合利用量" over the 年 of "2024年"
    vocab_words = set(known_waste_names()) | set(RELATIVE_PERIODS) | {
        w for ws in MEASURE_WORDS.values() for w in ws} | {"分别为", "分别是", "依次为"}
    for w in vocab_words:
        if len(w) >= 2:
            tok.add_word(w, freq=50000)
    pipeline = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = pipeline.add_pipe("entity_ruler", config={"overwrite_ents": True})
    patterns = []
    patterns += [{"label": "WASTE", "pattern": w} for w in known_waste_names()]
    patterns += [{"label": "METRIC", "pattern": p} for p in _metric_phrases()]
    patterns += [{"label": "PERIOD", "pattern": p} for p in RELATIVE_PERIODS]
    patterns += [{"label": "PERIOD", "pattern": [{"TEXT": {"REGEX": r"^20\d{2}$"}}, {"TEXT": {"IN": ["年", "年度"]}}]}]
    patterns += [{"label": "PERIOD", "pattern": [{"TEXT": {"REGEX": r"^20\d{2}年度?$"}}]}]
    patterns += [{"label": "MEASURE", "pattern": w, "id": key} for key, ws in MEASURE_WORDS.items() for w in ws]
    patterns += [{"label": "CHANGE", "pattern": w} for w in CHANGE_WORDS]
    patterns += [{"label": "BLOCK", "pattern": w} for w in BLOCK_WORDS + METRIC_BLOCKERS]
    ruler.add_patterns(patterns)
    matcher = Matcher(pipeline.vocab)
    matcher.add("RESPECTIVELY", [[{"TEXT": {"IN": ["分别为", "分别是", "依次为", "分别达到", "分别"]}}]])
    matcher.add("AMONG", [[{"TEXT": {"IN": ["其中", "包括"]}}]])
    return pipeline, matcher


@lru_cache(maxsize=8)
def _package_matcher(names: tuple[str, ...]):
    """A phrase matcher for the package's own waste names that the corpus does not know."""
    from spacy.matcher import PhraseMatcher

    pipeline, _ = nlp()
    pm = PhraseMatcher(pipeline.vocab)
    if names:
        pm.add("WASTE", [pipeline.make_doc(n) for n in names])
    return pm


@dataclass
class _Mention:
    kind: str  # WASTE, METRIC, PERIOD, MEASURE, CHANGE, BLOCK, RESPECTIVELY, AMONG
    start: int  # character offsets in the sentence
    end: int
    text: str
    value: str | None = None  # the waste's table name, the period's year, the measure key


@dataclass
class _Figure:
    start: int
    end: int
    text: str
    approx: str | None  # at_least / at_most / about
    clause: int
    mentions_before: list[_Mention] = field(default_factory=list)


def _mentions(sentence: str, lookup: dict[str, str], ctx: NarrativeContext, package_names: tuple[str, ...]) -> list[_Mention]:
    pipeline, matcher = nlp()
    doc = pipeline(sentence)
    out: list[_Mention] = []
    for ent in doc.ents:
        m = _Mention(ent.label_, ent.start_char, ent.end_char, ent.text)
        if ent.label_ == "MEASURE":
            m.value = ent.ent_id_ or next((k for k, ws in MEASURE_WORDS.items() if ent.text in ws), None)
        out.append(m)
    for match_id, s, e in matcher(doc):
        span = doc[s:e]
        out.append(_Mention(pipeline.vocab.strings[match_id], span.start_char, span.end_char, span.text))
    for _, s, e in _package_matcher(package_names)(doc):
        span = doc[s:e]
        if not any(m.kind == "WASTE" and m.start <= span.start_char < m.end for m in out):
            out.append(_Mention("WASTE", span.start_char, span.end_char, span.text))
    # jieba may merge a waste name into a longer word ("粉煤灰砖"): fall back to the text
    for mention in sorted(lookup, key=len, reverse=True):
        for mm in re.finditer(re.escape(mention), sentence):
            if not any(m.kind == "WASTE" and m.start <= mm.start() < m.end for m in out):
                out.append(_Mention("WASTE", mm.start(), mm.end(), mention))
    # what jieba glued into a longer word ("年综合利用量", "利润总额") is found on the text
    for mm in _YEAR.finditer(sentence):
        if not any(m.kind == "PERIOD" and m.start <= mm.start() < m.end for m in out):
            out.append(_Mention("PERIOD", mm.start(), mm.end(), mm.group(0)))
    for mm in _PART_OF_YEAR.finditer(sentence):
        out.append(_Mention("BLOCK", mm.start(), mm.end(), mm.group(0)))
    # "本年度(2025年)": the year in brackets names the relative period
    for mm in re.finditer(rf"({'|'.join(RELATIVE_PERIODS)})[(（](20\d{{2}})年?[)）]", sentence):
        out.append(_Mention("PERIOD", mm.start(), mm.end(), mm.group(0), mm.group(2)))
    words = [("MEASURE", w, key) for key, ws in MEASURE_WORDS.items() for w in ws]
    words += [("CHANGE", w, None) for w in CHANGE_WORDS] + [("BLOCK", w, None) for w in BLOCK_WORDS + METRIC_BLOCKERS]
    for kind, w, key in words:
        for mm in re.finditer(re.escape(w), sentence):
            if not any(m.kind == kind and m.start <= mm.start() < m.end for m in out):
                out.append(_Mention(kind, mm.start(), mm.end(), w, key))
    for key, (_label, phrases, _base) in ctx.metrics.items():
        for p in phrases:
            for mm in re.finditer(re.escape(p), sentence):
                if not any(m.kind == "METRIC" and m.start <= mm.start() < m.end for m in out):
                    out.append(_Mention("METRIC", mm.start(), mm.end(), p))
    for m in out:
        if m.kind == "WASTE":
            m.value = lookup.get(compact(m.text))
        elif m.kind == "PERIOD":
            y = _YEAR.match(m.text)
            if m.value is None:
                m.value = y.group(1) if y else resolve_period(m.text, ctx)
    # "较前一年度增长", "与2023年相比": a period named for comparison is not the figure's period
    for m in out:
        if m.kind == "PERIOD" and sentence[max(0, m.start - 2): m.start].endswith(_COMPARED):
            m.value = None
    # a period inside a longer one ("本年度" in "本年度(2025年)") is that one
    out = [m for m in out if not (m.kind == "PERIOD" and any(o is not m and o.kind == "PERIOD" and o.start <= m.start
                                                             and m.end <= o.end and o.end - o.start > m.end - m.start for o in out))]
    keep = [m for m in out if not (m.kind in ("WASTE", "PERIOD") and m.value is None)
            and not (m.kind == "WASTE" and sentence.startswith(PRODUCT_SUFFIXES, m.end))
            # "接收…企业产生的废铸造砂12,400吨": a verb before 的 describes the waste, it is not the measure
            and not (m.kind == "MEASURE" and sentence.startswith("的", m.end))]
    return sorted(keep, key=lambda m: (m.start, -m.end))


_RELATIVE = {
    "上年度": ("上年度",), "上一年度": ("上年度",), "上年": ("上年度",), "去年": ("上年度",), "上一年": ("上年度",),
    "前一年度": ("前一年度",), "前一年": ("前一年度",), "前年": ("前一年度",),
    "本年度": ("本年度", "报告期"), "本年": ("本年度", "报告期"), "今年": ("本年度", "报告期"),
    "报告期": ("报告期", "本年度"), "评价期": ("评价期", "报告期", "本年度"),
}


def resolve_period(text: str, ctx: NarrativeContext) -> str | None:
    """The year a relative period stands for in this document (its periods map, built from the
    document's own dates); 本年度 / 报告期 default to the period the document reports on."""
    for key in _RELATIVE.get(text, ()):
        if key in ctx.periods:
            return ctx.periods[key]
    if text in ("本年度", "本年", "今年", "报告期", "评价期", "全年", "年内", "本期", "当期"):
        return ctx.default_period
    return None


def _clauses(sentence: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"[，,；;：:]", sentence):
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(sentence)))
    return out


def _clause_of(pos: int, clauses: list[tuple[int, int]]) -> int:
    return next(i for i, (s, e) in enumerate(clauses) if s <= pos < e or i == len(clauses) - 1)


def _strip_closed_asides(text: str) -> str:
    """An aside closed before the figure ("总量16.73万吨（前一年度17.54万吨），综合利用率…") does
    not set the period of what follows it; characters keep their positions."""
    return re.sub(r"[(（][^()（）]*[)）]", lambda m: " " * len(m.group(0)), text)


# ---------------------------------------------------------------- reading


def extract_narrative_facts(doc: Document, ctx: NarrativeContext, source: str = "narrative") -> list[Fact]:
    lookup = waste_lookup(ctx.waste_names)
    package_names = tuple(sorted({n for n in ctx.waste_names if n and compact(n) not in set(known_waste_names())}))
    facts: list[Fact] = []
    # a sentence that names no year is taken for the default period; in a document that
    # writes about other years too, that reading is not certain
    years = set(_YEAR.findall(compact(" ".join(b.text for b in doc.text_blocks()))))
    other_years = bool(years - {ctx.default_period})
    for b in doc.blocks:
        if b.kind not in ("paragraph", "heading") or not b.text:
            continue
        text = compact(b.text)
        paragraph_period: str | None = None
        totals_before = False  # the sentence before stated the unit's totals ("…产生工业固废44.91万吨；2022年产生…")
        for sm in _SENTENCE.finditer(text):
            original = sm.group(0)
            sentence = _THOUSANDS.sub("", arabic(original))
            if any(w in original for w in _MULTI_YEAR):
                # "近三年营业收入分别为a、b、c" pairs with the three years up to the report's own;
                # elsewhere the multi-year words block the figures of their own clause (a total over
                # years), not the clauses that name their year ("从近两年情况看，2024年…")
                sentence = _name_recent_years(sentence, ctx) or sentence
            found, explicit = _sentence_facts(sentence, original, b.loc, ctx, lookup, package_names, source, paragraph_period,
                                              other_years, totals_before)
            totals_before = any(f.key in ctx.totals.values() for f in found)
            facts.extend(found)
            paragraph_period = explicit or paragraph_period
    return facts


_CAPACITY_AFTER = re.compile(r"^(?:以上|以下|左右)?(?:的)?(?:处理|加工|生产|利用)?(?:能力|产能|规模)")
# a part of a year: "1—2月", "上半年", "一季度" — not the year's figure
_PART_OF_YEAR = re.compile(r"\d{1,2}\s*[—\-–~～至到]\s*\d{1,2}\s*月|上半年|下半年|[一二三四1-4]季度|前三季度|截至\d{1,2}月|\d{1,2}月份")
_BREAKDOWN_OPEN = re.compile(r"(?:亿元|万元|元|亿吨|万吨|吨|%)\s*[(（]$")


def _figures(sentence: str, clauses) -> list[_Figure]:
    out = []
    asides = _strip_closed_asides(sentence)
    for m in _NUMBER_UNIT.finditer(sentence):
        if asides[m.start()] == " ":
            opening = sentence.rfind("(", 0, m.start()), sentence.rfind("（", 0, m.start())
            k = max(opening)
            if k >= 0 and _BREAKDOWN_OPEN.search(sentence[max(0, k - 3): k + 1]):
                continue  # "废钢16.85万吨（重型废钢11.02万吨、…）": the parts of the figure before
        before, after = sentence[max(0, m.start() - 4): m.start()], sentence[m.end(): m.end() + 3]
        approx = approximation(before, after)
        if after.startswith(_PER_YEAR) or after.startswith(("/", "／")):
            continue  # a capacity ("30万吨/年") or an intensity ("1.091吨/万元"), not an amount
        if _CAPACITY_AFTER.match(sentence[m.end(): m.end() + 8]):
            continue  # "年回收加工废钢铁30万吨以上的能力"
        if after.startswith(("/", "／")) and m.group("unit") not in ("%", "％", "个百分点"):
            continue  # a ratio: "5.463吨/万元", "0.926吨/吨铸件"
        out.append(_Figure(m.start(), m.end(), m.group(0), approx, _clause_of(m.start(), clauses)))
    return out


def _sentence_facts(sentence, original, loc: Location, ctx: NarrativeContext, lookup, package_names, source,
                    paragraph_period, other_years: bool, totals_before: bool = False) -> tuple[list[Fact], str | None]:
    if not _NUMBER_UNIT.search(sentence):
        # no figure to read: only the period it names matters, for the sentences after it
        named = [(m.start(), m.group(1)) for m in _YEAR.finditer(sentence)]
        named += [(m.start(), resolve_period(m.group(0), ctx)) for m in _RELATIVE_RE.finditer(sentence)]
        explicit = [p for pos, p in sorted(named, key=lambda x: x[0])
                    if p and not sentence[max(0, pos - 2): pos].endswith(_COMPARED)]
        return [], (explicit[-1] if explicit else None)
    clauses = _clauses(sentence)
    mentions = _mentions(sentence, lookup, ctx, package_names)
    figures = _figures(sentence, clauses)
    if not figures:
        explicit = [m.value for m in mentions if m.kind == "PERIOD" and m.value]
        return [], (explicit[-1] if explicit else None)
    asides = _strip_closed_asides(sentence)
    periods = [m for m in mentions if m.kind == "PERIOD" and m.value and asides[m.start] != " "]
    distinct_periods = {m.value for m in periods}
    ranged = _year_series(sentence, mentions, figures)
    # a 分别 that pairs figures with years does not pair them with wastes
    respectively = {k: v for k, v in _respectively(sentence, mentions, figures).items() if k not in ranged}
    listed_metric = _listed_metric(sentence, mentions, figures, clauses, ctx)
    out: list[Fact] = []
    prev_end = 0
    inherited: str | None = None
    inherited_metric: str | None = None
    for k, fig in enumerate(figures):
        clause_start = clauses[fig.clause][0]
        window_start = max(prev_end, clause_start)
        # what a closed aside says ("（含接收外单位废砂1.24万吨）") is not said of the figures after it
        window = [m for m in mentions if window_start <= m.start < fig.start
                  and (asides[m.start] != " " or asides[fig.start] == " ")]
        prev_end = fig.end
        lead = sentence[window_start:fig.start]
        if _FROM.search(lead) and _TO.match(sentence[fig.end:fig.end + 3]):
            continue  # the earlier state of a change: "由108.62万吨增加至…"
        to_figure = bool(_TO.search(lead))
        if to_figure:
            # "…增加至121.36万吨": the change words name the movement, not a difference
            window = [m for m in window if m.kind != "CHANGE"]
        if any(m.kind in ("CHANGE", "BLOCK") for m in window):
            inherited = None
            continue
        q = parse_quantity(fig.text, loc=loc)
        if q is None:
            continue
        if fig.approx:
            q = q.model_copy(update={"approx": fig.approx})
        doubts: list[str] = []
        # the period: written right after the figure ("35,373.87万元（2024年）"), a year range
        # paired in order ("2022—2024年…分别为"), else the last one named before the figure
        before_p = [m for m in periods if m.start < fig.start]
        after = _YEAR_AFTER.match(sentence[fig.end:])
        if after:
            period = after.group(1)
        elif k in ranged:
            period = ranged[k]
            if period is None:
                continue  # a series over several years that does not pair up
        elif before_p:
            period = before_p[-1].value
            if len(distinct_periods) > 1 and _clause_of(before_p[-1].start, clauses) != fig.clause:
                doubts.append("句中提及多个年度，该数据所属年度按最近提及的年度理解")
        else:
            period = paragraph_period or ctx.default_period
            if paragraph_period and ctx.default_period and paragraph_period != ctx.default_period:
                doubts.append(f"句中未写明年度，按上文的 {paragraph_period} 年理解")
            elif not paragraph_period and other_years:
                doubts.append(f"句中未写明年度，按报告期 {ctx.default_period} 年理解")
        if period is None:
            continue
        # a company metric named right before the figure
        metric = _metric_of(window, ctx)
        wastes_in_window = [m for m in window if m.kind == "WASTE"]
        measures_in_window = [m for m in window if m.kind == "MEASURE"]
        if metric is None and k in listed_metric and not wastes_in_window:
            metric = listed_metric[k]  # "营业收入分别为5.01亿元、5.29亿元、5.86亿元"
        if metric is None and inherited_metric and not wastes_in_window and any(m.kind == "PERIOD" for m in window) \
                and (measures_in_window or all(m.kind == "PERIOD" for m in window)):
            # "综合利用率2021年为94.02%，2022年为96.60%": a clause naming only another year
            # "2023年综合利用工业固废14.8万吨，2024年综合利用16.06万吨": the same metric, another year
            metric = inherited_metric
        if metric and not (wastes_in_window and measures_in_window):
            label, _, base = ctx.metrics[metric]
            if q.unit == base:
                out.append(_fact(metric, label, period, q, source, original, doubts))
            inherited, inherited_metric = None, metric
            continue
        inherited_metric = None
        if any(m.kind == "BLOCK" for m in mentions if clause_start <= m.start < fig.start and m.text in METRIC_BLOCKERS):
            continue
        if not measures_in_window and any(w in sentence[clause_start:fig.start] for w in PRODUCT_WORDS):
            continue  # a product's output in a clause about products
        # the subject: "A、B、C … 分别为 x、y、z" pairs in order; else the waste named in the window,
        # else the only waste the sentence named before
        waste = None
        whole = False  # the figure is all the unit's wastes together
        if k in respectively:
            waste, doubt = respectively[k]
            if doubt:
                doubts.append(doubt)
        elif len({m.value for m in wastes_in_window}) > 1:
            # "利用炉渣、粉煤灰共计15.6万吨": one figure for several wastes
            inherited = measures_in_window[-1].value if measures_in_window else inherited
            continue
        elif wastes_in_window:
            last = wastes_in_window[-1]
            if _JOINED.search(sentence[last.end:fig.start]):
                # "废旧锂电池及生产废料3.18万吨": a category wider than the waste named
                inherited = measures_in_window[-1].value if measures_in_window else inherited
                continue
            waste = last.value
        else:
            named = [m for m in mentions if m.kind == "WASTE" and m.start < fig.start]
            among = any(m.kind == "AMONG" and m.start < fig.start for m in mentions)
            whole = among or not named
            if among and not ctx.totals:
                continue  # after "其中 A x万吨，综合利用y万吨" the figure is the whole's, not A's
            earlier = {m.value for m in named}
            if among:
                pass
            elif len(earlier) == 1:
                waste = named[-1].value
                if _clause_of(named[-1].start, clauses) != fig.clause and _GENERIC_SUBJECT.search(sentence[:fig.start]):
                    doubts.append(f"该数据所在分句未写明废物种类，句中另有总体表述，按前文的「{waste}」理解")
            elif len(earlier) > 1:
                if _JOINED.fullmatch(sentence[named[-2].end:named[-1].start].strip()):
                    continue  # "废钢铁及废有色金属17.44万吨，综合利用17.37万吨": the figures of both together
                waste = named[-1].value
                doubts.append("句中提及多种废物，该数据所指的废物按最近提及的理解")
        measure = measures_in_window[-1].value if measures_in_window else None
        if measure is None and inherited and (wastes_in_window or k in respectively):
            measure = inherited  # "综合利用粉煤灰12.6万吨、炉渣3.2万吨"
        if measure is None:
            earlier_measures = [m for m in mentions if m.kind == "MEASURE" and clause_start <= m.start < fig.start]
            among = any(m.kind == "AMONG" and m.start < fig.start for m in mentions)
            if (k in respectively or among) and not earlier_measures:
                # "分别为…" and "其中…" take the measure named before the list
                earlier_measures = [m for m in mentions if m.kind == "MEASURE" and m.start < fig.start]
            measure = earlier_measures[-1].value if earlier_measures else None
        if measure is not None and asides[fig.start] != " ":
            inherited = measure  # a figure inside a closed aside lends its measure to nothing after it
        if waste is None and whole and measure in ctx.totals and measures_in_window and q.unit == _DIMENSION[measure] \
                and (_GENERIC_SUBJECT.search(sentence[:fig.start])
                     or (totals_before and not any(m.kind == "WASTE" for m in mentions))):
            # "产生工业固废约11万吨，其中铸造废砂9.28万吨，综合利用10.61万吨": the unit's total
            out.append(_fact(ctx.totals[measure], f"工业固废{MEASURE_LABELS[measure]}", period, q, source, original, doubts))
            continue
        if measure is None or waste is None:
            continue
        if q.unit != _DIMENSION[measure]:
            continue
        out.append(_fact(f"waste.{measure}:{waste}", f"{waste}{MEASURE_LABELS[measure]}", period, q, source, original, doubts))
    explicit = [m.value for m in periods]
    return out, (explicit[-1] if explicit else None)


_RECENT = re.compile(r"近(三|两|二|五|3|2|5)年")


def _name_recent_years(sentence: str, ctx: NarrativeContext) -> str | None:
    """'近三年…分别为…' with the report's year known: the range written out ('2022—2024年'), so the
    figures pair with their years; None when the sentence cannot be read year by year."""
    if _YEAR_RANGE.search(sentence):
        return sentence
    m = _RECENT.search(sentence)
    if not m or not (ctx.default_period or "").isdigit() or not re.search(r"分别|依次", sentence):
        return None
    n = {"三": 3, "两": 2, "二": 2, "五": 5}.get(m.group(1)) or int(m.group(1))
    last = int(ctx.default_period)
    return sentence[:m.start()] + f"{last - n + 1}-{last}年" + sentence[m.end():]


def _listed_metric(sentence: str, mentions: list[_Mention], figures: list[_Figure], clauses, ctx: NarrativeContext) -> dict[int, str]:
    """figure index -> the metric named before the "分别为" its list follows."""
    out: dict[int, str] = {}
    markers = [m for m in mentions if m.kind == "RESPECTIVELY"]
    for k, marker in enumerate(markers):
        start = clauses[_clause_of(marker.start, clauses)][0]
        metric = _metric_of([m for m in mentions if start <= m.start < marker.start], ctx)
        if metric is None:
            continue
        end = markers[k + 1].start if k + 1 < len(markers) else len(sentence)
        for i, f in enumerate(figures):
            if marker.end <= f.start < end:
                out[i] = metric
    return out


def _year_series(sentence: str, mentions: list[_Mention], figures: list[_Figure]) -> dict[int, str | None]:
    """figure index -> year for "2022—2024年营业收入分别为a、b、c" and "2023年、2024年公司分别综合利用
    餐厨垃圾a、b；市政污泥c、d": each run of figures after 分别 pairs with the years in order (None
    for a run whose length differs from the years')."""
    out: dict[int, str | None] = {}
    series: list[tuple[int, list[str]]] = []
    for rm in _YEAR_RANGE.finditer(sentence):
        first, last = int(rm.group(1)), int(rm.group(2))
        if 0 < last - first <= 10:
            series.append((rm.end(), [str(y) for y in range(first, last + 1)]))
    for lm in _YEAR_LIST.finditer(sentence):
        series.append((lm.end(), re.findall(r"20\d{2}", lm.group(0))))
    for end_of_years, years in series:
        markers = [m for m in mentions if m.kind == "RESPECTIVELY" and m.start >= end_of_years]
        if not markers:
            continue
        after = [i for i, f in enumerate(figures) if f.start >= markers[0].end and i not in out]
        runs: list[list[int]] = []
        for i in after:
            if runs and _RUN_SEPARATOR.match(sentence[figures[runs[-1][-1]].end:figures[i].start]):
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            for i, y in zip(run, years if len(run) == len(years) else [None] * len(run)):
                out[i] = y
    return out


def _metric_of(window: list[_Mention], ctx: NarrativeContext) -> str | None:
    """The metric the window names; the most specific phrase wins ("资源综合利用产品或技术成果
    销售收入" is product revenue although it ends with 销售收入)."""
    names = [m for m in window if m.kind == "METRIC"]
    if not names or any(m.kind == "BLOCK" and m.text in METRIC_BLOCKERS for m in window):
        return None
    best, best_len = None, 0
    for key, (_label, phrases, _base) in ctx.metrics.items():
        for m in names:
            for p in phrases:
                if p in m.text and len(p) > best_len:
                    best, best_len = key, len(p)
    return best


def _respectively(sentence: str, mentions: list[_Mention], figures: list[_Figure]) -> dict[int, tuple[str, str | None]]:
    """figure index -> (waste, doubt) for "粉煤灰、炉渣、脱硫石膏，利用量分别为12.6万吨、3.4万吨、8.1万吨"."""
    out: dict[int, tuple[str, str | None]] = {}
    markers = [m for m in mentions if m.kind == "RESPECTIVELY"]
    for mk in markers:
        # the list nearest before the marker: the names after the last figure before it
        last_fig_end = max((f.end for f in figures if f.end <= mk.start), default=-1)
        subjects = [m.value for m in mentions if m.kind == "WASTE" and last_fig_end < m.start and m.end <= mk.start and m.value]
        if not subjects:
            # "粉煤灰产生量12万吨，炉渣产生量3万吨，利用率分别为98.5%和95.0%": the wastes named before
            subjects = [m.value for m in mentions if m.kind == "WASTE" and m.end <= mk.start and m.value]
        subjects = list(dict.fromkeys(subjects))
        nxt = next((m.start for m in markers if m.start > mk.start), len(sentence))
        figs = [i for i, f in enumerate(figures) if mk.end <= f.start < nxt]
        if not subjects or not figs:
            continue
        if len(subjects) == len(figs):
            for i, s in zip(figs, subjects):
                out[i] = (s, None)
        else:
            doubt = f"「分别为」前列出 {len(subjects)} 种废物，后列 {len(figs)} 个数据，无法一一对应"
            for i, s in zip(figs, subjects):
                out[i] = (s, doubt)
    return out


def _fact(key: str, label: str, period: str, q, source: str, quote: str, doubts: list[str]) -> Fact:
    return Fact(key=key, label=label, period=period, quantity=q, source=source, quote=quote,
                uncertain="；".join(dict.fromkeys(doubts)) or None)


def base_unit(unit: str) -> str:
    u = unit_of(unit)
    return u[0] if u else unit
