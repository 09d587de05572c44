"""nowaste_case — 无废园区 / 无废企业 典型案例申报书 (seed 003, 工信厅联节函〔2024〕16号).

Parts: the 申报书 (cover, 承诺声明, 题目, 正文, 表1 园区基本情况表 or 表2 企业基本情况表, 自述),
possibly split over several files, and the province's 附件2 典型案例汇总表.  Whether the case is
a park or an enterprise is decided from what the package contains (which table, which rows,
which labels, the unit's name), never from a file name.

表1/表2 hold 2020–2023 columns; their "……" rows are lists: any number of 产业 rows under
园区总产值, 固废 rows under 产生量 and 利用量, 方式 rows under 综合利用量, 产品 rows under 产量.
Submitters also transpose the table (years as rows) or split it into several tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import (
    BaseModel,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from extractor.dates import date_line, find_dates, parse_date
from extractor.forms import common
from extractor.forms.base import (
    AttachmentStatus,
    Fact,
    FieldValue,
    FormResult,
    RateClaim,
    SectionHit,
    SumClaim,
)
from extractor.forms.narrative import NarrativeContext, extract_narrative_facts
from extractor.forms.spec import FormSpec, load_settings, load_spec
from extractor.forms.labels import indexed_unique_cells
from extractor.forms.series import SeriesBlock, is_series_table, series_in
from extractor.forms.tables import find_record_tables
from extractor.forms.text import compact, similarity, strip_label, strip_numbering
from extractor.forms.wastes import clean_waste_name
from extractor.headings import match_numbering
from extractor.model import Block, Document, Location, Table
from extractor.numerals import arabic
from extractor.quantity import Quantity, parse_quantity, unit_in_header

FORM_ID = "nowaste_case"
PARK, ENTERPRISE, UNKNOWN = "park", "enterprise", "unknown"
KIND_NAMES = {PARK: "园区", ENTERPRISE: "企业", UNKNOWN: "未能判断"}

_PAREN = re.compile(r"[(（][^()（）]*[)）]")
_QIZHONG = re.compile(r"^其中[,，:：、]?")
# anchors whose following unmatched rows are their "其中" list
_LIST_ANCHORS = {"total_output": "industry", "output": "industry", "production": "product",
                 "generated": "waste", "utilized": "use"}
_DEFAULT_UNITS = {"total_output": "万元", "output": "万元", "sales": "万元", "value_added": "万元",
                  "generated": "万吨", "utilized": "万吨", "rate": "%"}
# order matters: 产生强度 before 产生量, 园区总产值 before 产值
_ANCHOR_ORDER = ("intensity", "rate", "value_added", "total_output", "generated", "utilized", "sales",
                 "capacity", "production", "output")
_PARK_WORDS = ("园区", "开发区", "高新区", "工业园", "产业园", "经开区", "管委会", "工业集中区", "产业基地", "新区")
_ENTERPRISE_WORDS = ("公司", "集团", "厂", "企业")
_COMMITMENT = re.compile(r"^(?:[一二三四五六七八九十]+[、.．])?(?:承诺声明|承诺书|诚信承诺书?|真实性承诺(?:书|声明)?)$")
_SELF_LABEL = re.compile(r"^(?:园区|企业|单位)?自述|(?:园区|企业|单位)自述(?=[(（:：]|$)")
_SEAL = re.compile(r"[(（][^()（）]{0,8}(?:盖章|公章|签章|签字)[^()（）]{0,4}[)）]")
_SELF_PREFIX = re.compile(r"^\s*(?:园区|企业|单位)?\s*自\s*述\s*(?:[（(][^）)]*[）)]\s*)*[:：]?")
_SUMMARY_MARK = re.compile(r"典型案例汇总表")
_TABLE_CAPTION = re.compile(r"^(?:附)?表\s*[12一二](?![\d])|基本情况表$")
_TEMPLATE = ("请将", "根据实际情况", "标题应有概括性", "详细描述案例主要做法")
# a founding statement around a date: "成立于2015年", "2012年经省政府批准设立", "2011年5月始建"
_FOUNDED_BEFORE = re.compile(r"(?:成立|设立|创建|组建|始建|创办|注册成立|批准设立|获批设立)(?:时间|日期)?(?:于|为|是|[:：])$")
_FOUNDED_AFTER = re.compile(r"^(?:\d{1,2}日)?[^，。；,;]{0,20}?(?:批准设立|获批设立|注册成立|正式成立|挂牌成立|成立|设立|创建|组建|始建)"
                            r"(?=[，。；,;）)]|$|以来)")
_SUB_KEYWORDS = {"3.1": ("做法", "举措", "措施"), "3.2": ("成效", "效果", "效益"), "3.3": ("创新",),
                 "3.4": ("推广", "借鉴", "适用条件", "应用条件")}


# ---------------------------------------------------------------- the model


class YearRow(BaseModel):
    """One row of 表1/表2: an anchor (园区总产值, 产生量…) or an item of an anchor's list."""

    key: str  # anchor key, or the list kind of its parent: industry / waste / use / product
    parent: str | None = None  # the anchor an item belongs to
    label: str  # as written
    name: str  # item name (cleaned) or the anchor's label
    unit: str | None = None
    values: dict[str, Quantity | None] = Field(default_factory=dict)  # year -> figure
    texts: dict[str, str] = Field(default_factory=dict)
    locs: dict[str, Location] = Field(default_factory=dict)


class YearColumns(BaseModel):
    """One block of year columns (a header row with 2020年…2023年) and which are filled."""

    file: str
    table: int
    loc: Location
    part: str  # the first anchor below the header, e.g. 园区总产值 / 工业固废产生量
    years: list[str]
    filled: dict[str, bool] = Field(default_factory=dict)
    column_locs: dict[str, Location] = Field(default_factory=dict)


class TextPart(BaseModel):
    found: bool = False
    label: str | None = None
    count: int = 0  # 字数 as Word counts it (see zh_word_count)
    loc: Location | None = None
    excerpt: str | None = None
    # the opening whole sentences within 200 字 (附件2 汇总表「案例简要描述(不超过 200 字)」)
    brief: str | None = None


class SummaryRow(BaseModel):
    seq: str | None = None
    province: str | None = None
    attribute: str | None = None
    name: str | None = None
    case: str | None = None
    industry: str | None = None
    description: str | None = None
    description_count: int = 0
    contact: str | None = None
    phone: str | None = None
    loc: Location | None = None
    locs: dict[str, Location] = Field(default_factory=dict)


class Established(BaseModel):
    """When the unit was founded, as the package states it (see `find_established`)."""

    year: int
    month: int | None = None  # None when only the year is written
    text: str  # the statement, e.g. "表1 成立时间：2015年" or "…成立于2015年…"
    loc: Location | None = None


class RateInputs(BaseModel):
    """One year's 综合利用率 inputs from 表1/表2."""

    reported: Quantity | None = None  # the 综合利用率 row, in %
    generated: Quantity | None = None  # 工业固废产生量
    utilized: Quantity | None = None  # 工业固废利用量


class IntensityInputs(BaseModel):
    """One year's 工业固废产生强度 inputs: the reported figure, 产生量 and 工业增加值."""

    reported: Quantity | None = None  # 吨/万元 as written
    generated: Quantity | None = None
    value_added: Quantity | None = None
    value_added_source: str | None = None  # "表" (表1/表2) or "正文" (restated in the text); None when absent


class UnitOutputInputs(BaseModel):
    """One year's 单位产品产生量 inputs of an enterprise: 产生量 and 产量."""

    generated: Quantity
    production: Quantity
    production_label: str  # the 产量 row's label as written


class NowasteCase(BaseModel):
    """One case (one 申报书 with its tables): what the nowaste rules check."""

    kind: str = UNKNOWN  # park | enterprise | unknown
    kind_evidence: list[str] = Field(default_factory=list)
    unit_name: str | None = None
    title: str | None = None
    title_loc: Location | None = None
    cover: dict[str, FieldValue] = Field(default_factory=dict)
    basic: dict[str, FieldValue] = Field(default_factory=dict)
    rows: list[YearRow] = Field(default_factory=list)
    year_columns: list[YearColumns] = Field(default_factory=list)
    body: TextPart = Field(default_factory=TextPart)
    self_statement: TextPart = Field(default_factory=TextPart)
    established: Established | None = None
    summary: list[SummaryRow] = Field(default_factory=list)
    summary_file: str | None = None
    narrative: list[Fact] = Field(default_factory=list)
    years: list[str] = Field(default_factory=list)  # the years the seed asks for (2020–2023)
    base_table_found: bool = False  # 表1/表2 was read
    rates: dict[str, RateInputs] = Field(default_factory=dict)  # year -> 综合利用率 inputs
    intensity: dict[str, IntensityInputs] = Field(default_factory=dict)  # year -> 产生强度 inputs
    unit_output: dict[str, UnitOutputInputs] = Field(default_factory=dict)  # year -> enterprise's 单位产品产生量 inputs
    apply_date: date | None = None  # the cover's 申报日期
    reference_date: date | None = None  # the unit's age is taken at this date: 申报日期, else the collection deadline
    reference_source: str | None = None  # 申报日期 | 征集截止日期
    files: list[str] = Field(default_factory=list)  # the case's own files
    case: str | None = None  # the case's name (its unit, else its title) in a package of several cases


_PACKAGE_KEYS = ("summary", "summary_file", "years")


class NowastePackage(BaseModel):
    """The package: its cases (a province's recommendation holds several) and what they share.

    A package of one case is reported (and read back) in the shape the report has always had:
    the case's own keys at the top level, no "cases" list."""

    cases: list[NowasteCase] = Field(default_factory=list)
    summary: list[SummaryRow] = Field(default_factory=list)  # the 附件2 汇总表 rows
    summary_file: str | None = None
    years: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _one_case(cls, data: Any) -> Any:
        # the flat shape `_flat_one_case` writes: a case's own keys, no "cases"
        if isinstance(data, dict) and "cases" not in data and data.keys() - cls.model_fields.keys():
            return {"cases": [data]} | {k: data[k] for k in _PACKAGE_KEYS if k in data}
        return data

    @model_serializer(mode="wrap")
    def _flat_one_case(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        if len(self.cases) != 1 or not isinstance(data, dict) or "cases" not in data:
            return data
        (case,) = data.pop("cases")
        return case | data


# ---------------------------------------------------------------- text helpers


def _is_subheading(text: str) -> bool:
    """"一、主要做法", "（二）成效": a heading line of the case, not its prose."""
    t = compact(text)
    return len(t) <= 24 and not re.search(r"[。！？；]", t)


def brief_of(paragraphs: list[str], limit: int = 200) -> str:
    """The case's opening whole sentences within `limit` 字, its sub-headings left out; a first
    sentence longer than the limit is cut at a comma (or at the limit) and closed with …"""
    t = "".join(p.strip() for p in paragraphs if p.strip() and not _is_subheading(p))
    out = ""
    for sentence in re.findall(r"[^。！？；]*[。！？；]", t) or [t]:
        if zh_word_count(out + sentence) > limit:
            break
        out += sentence
    if out or not t:
        return out
    cut = ""
    for clause in re.findall(r"[^，,]+[，,]?", t):
        if zh_word_count(cut + clause) > limit - 1:
            break
        cut += clause
    cut = cut.rstrip("，,") or t[: limit - 1]
    return cut + "…"


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u2014]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:[.,%][A-Za-z0-9]+)*%?")


def zh_word_count(text: str | None) -> int:
    """字数 as Word's 字数统计 counts Chinese text: every Chinese character and full-width
    punctuation mark is one, every run of Latin letters or digits ("2023", "92.5%") is one."""
    t = text or ""
    n = len(_CJK.findall(t))
    n += len(_WORD.findall(_CJK.sub(" ", t)))
    return n


def unit_kind_of_name(name: str | None) -> str:
    """园区 / 企业 from an organisation's name, UNKNOWN when it says neither."""
    t = compact(name)
    if not t:
        return UNKNOWN
    if any(w in t for w in ("有限公司", "股份公司", "集团", "公司", "厂")):
        return ENTERPRISE
    if any(w in t for w in _PARK_WORDS):
        return PARK
    return UNKNOWN


def attribute_kind(text: str | None) -> str:
    """单位属性 as written: 园区 / 企业; the template's "园区/企业" left unchosen is UNKNOWN."""
    t = compact(text)
    has_p, has_e = "园区" in t or "无废园区" in t, "企业" in t
    if has_p and not has_e:
        return PARK
    if has_e and not has_p:
        return ENTERPRISE
    return UNKNOWN


def _clean_label(text: str) -> str:
    t = strip_numbering(compact(text)).replace("*", "").replace("＊", "")
    t = _PAREN.sub("", strip_label(t))
    t = re.sub(r"[(（][^()（）]*$", "", t)  # a unit cut off by a wrapped PDF cell: "产生量(万"
    return t.strip("：:，,")


def anchor_of(label: str, spec: FormSpec) -> str | None:
    """The anchor key a row label names, None for a list item."""
    t = _clean_label(label)
    if not t or _QIZHONG.match(t):
        return None
    names = spec.tables.get("base_rows", {})
    # "园区内一般工业固废综合利用总量" is the 综合利用量; "产值合计" the 产值
    variants = list(dict.fromkeys((t, t.replace("总量", "量"), re.sub(r"(?:合计|总计)$", "", t))))
    for key in _ANCHOR_ORDER:
        for n in names.get(key, []):
            n = compact(n)
            if any(v == n or (len(n) >= 4 and n in v) for v in variants if v):
                return key
    return None


def _item_name(label: str) -> str:
    t = _QIZHONG.sub("", strip_numbering(compact(label)))
    t = _PAREN.sub("", t).replace("*", "")
    name = clean_waste_name(t) or t
    return re.sub(r"(?:产生量|利用量|综合利用量|产量|产值)$", "", name) or name


# ---------------------------------------------------------------- 表1 / 表2


def parse_year_table(doc: Document, t: Table, spec: FormSpec, blocks: list[SeriesBlock]) -> tuple[list[YearRow], list[YearColumns]]:
    """表1 / 表2 rows from the table's year-series blocks: each label is an anchor ("工业固废产生量")
    or an item of the anchor list above it ("其中：粉煤灰")."""
    rows: list[YearRow] = []
    columns: list[YearColumns] = []
    for block in blocks:
        current = YearColumns(file=doc.path, table=t.index, loc=block.loc, part="", years=sorted(block.years),
                              filled={y: False for y in block.years}, column_locs=block.column_locs)
        columns.append(current)
        parent: str | None = None
        parent_unit: str | None = None
        for sr in block.rows:
            if sr is None:
                parent, parent_unit = None, None  # a full-width row: a new part of the table
                continue
            key = anchor_of(sr.label, spec)
            unit = unit_in_header(sr.label) or sr.unit
            if key is not None:
                parent = key if key in _LIST_ANCHORS else None
                unit = unit or _DEFAULT_UNITS.get(key)
                parent_unit = unit
                yr = YearRow(key=key, label=sr.label, name=_clean_label(sr.label), unit=unit)
                if not current.part:
                    current.part = yr.name
            elif parent is not None:
                yr = YearRow(key=_LIST_ANCHORS[parent], parent=parent, label=sr.label, name=_item_name(sr.label),
                             unit=unit or parent_unit)
            else:
                continue
            for y, c in sr.cells.items():
                text = c.text.strip()
                if any(w in text for w in _TEMPLATE):
                    text = ""
                yr.texts[y] = text
                yr.locs[y] = c.loc
                yr.values[y] = _row_quantity(yr, text, c.loc)
                if yr.values[y] is not None:
                    current.filled[y] = True
            rows.append(yr)
    return rows, [c for c in columns if c.part]


def _row_quantity(yr: YearRow, text: str, loc: Location) -> Quantity | None:
    if yr.key == "intensity":
        q = parse_quantity(text, None, loc)
        if q is None:
            return None
        # 吨/万元 is the seed's unit; a figure in 千克/万元 is converted to it
        per_kg = "千克" in yr.label or "kg" in yr.label.lower() or (q.source_unit or "") in ("千克", "kg", "公斤")
        num = q.in_source_unit
        scale = Decimal("0.001") if per_kg else Decimal(1)
        return Quantity(value=num * scale, unit="吨/万元", text=q.text, source_unit="千克/万元" if per_kg else "吨/万元",
                        decimals=q.decimals, scale=scale, loc=loc)
    return parse_quantity(text, yr.unit, loc)


# ---------------------------------------------------------------- package parts


def _views(doc: Document, lo: int, hi: int) -> Document:
    return doc.model_copy(update={"blocks": doc.blocks[lo:hi]})


def _text_of(b: Block) -> str:
    return compact(b.text) if b.kind in ("paragraph", "heading") else ""


def _find_index(doc: Document, pred, start: int = 0) -> int | None:
    for i in range(start, len(doc.blocks)):
        if pred(doc.blocks[i]):
            return i
    return None


def _is_commitment(b: Block) -> bool:
    t = _text_of(b)
    return bool(t) and len(t) <= 16 and bool(_COMMITMENT.match(t))


def _is_caption(b: Block) -> bool:
    t = _text_of(b)
    return bool(t) and len(t) <= 40 and bool(_TABLE_CAPTION.search(t)) and "汇总表" not in t


def _is_self_label(b: Block) -> bool:
    t = _text_of(b)
    return bool(t) and bool(_SELF_LABEL.search(t))


def _is_summary_mark(b: Block) -> bool:
    t = _text_of(b)
    return bool(t) and len(t) <= 30 and bool(_SUMMARY_MARK.search(t))


def _is_year_table(b: Block, spec: FormSpec) -> bool:
    if b.kind != "table" or b.table is None:
        return False
    return is_series_table(b.table)


def _title_candidate(b: Block) -> str | None:
    """The case title a block states: "题目：X" or a short unnumbered line naming a 模式."""
    raw = (b.text or "").strip()
    t = compact(raw)
    if not t or b.kind not in ("paragraph", "heading"):
        return None
    m = re.match(r"^(?:题目|标题|案例名称)[:：](.*)$", t)
    if m:
        rest = m.group(1).strip()
        if not rest or any(w in rest for w in _TEMPLATE):
            return None
        return rest
    if len(t) <= 60 and "模式" in t and not re.search(r"[。；;]$", t) and match_numbering(raw) is None:
        return t
    return None


def _wrapped_title(doc: Document, k: int, end: int) -> str | None:
    """A title wrapped over two lines in a PDF: "…固废全量利用模" + "式"."""
    b = doc.blocks[k]
    if k + 1 >= end or b.kind not in ("paragraph", "heading"):
        return None
    nb = doc.blocks[k + 1]
    t, nt = compact(b.text), compact(nb.text)
    if nb.kind not in ("paragraph", "heading") or not nt or len(nt) > 15 or len(t) > 60 or re.search(r"[。；;]$", t):
        return None
    joined = t + nt
    end_re = r"模式[”\"」』》]?$"
    # a PDF line may carry the quotes of "厂内闭环" displaced to its end: "…资源化模“”" + "式"
    bare = re.sub(r"[“”\"]", "", joined)
    if not re.search(end_re, t) and (re.search(end_re, joined) or re.search(end_re, bare)):
        if not re.search(end_re, joined):
            joined = bare
        m = re.match(r"^(?:题目|标题)[:：](.*)$", joined)
        return m.group(1) if m else joined
    return None


def _title_fallback(b: Block) -> str | None:
    t = compact(b.text)
    if b.kind not in ("paragraph", "heading") or not (6 <= len(t) <= 60) or re.search(r"[。；;，,：:]", t):
        return None
    if match_numbering(b.text or "") is not None or _is_caption(b) or _is_self_label(b) or _is_commitment(b):
        return None
    if re.fullmatch(r"\(.*\)", t) or t in ("申报材料", "正文", "附表") or t.startswith(("典型案例申报书", "附件")):
        return None
    if date_line(t) is not None:
        return None  # the 承诺声明's date ("2024.3.20", "二〇二四年三月二十日") is not the title
    return t


def _strip_quotes(t: str) -> str:
    return t.strip("“”\"'「」『』《》 ")


def find_title_and_body(docs: list[Document], spec: FormSpec) -> tuple[tuple[str, Location] | None, TextPart, tuple[Document, int, int] | None]:
    """The title and the 正文 of the application: the 正文 runs from the title (or the first
    numbered section after the 承诺声明) to 表1/表2, the 自述 or the 汇总表."""
    for doc in docs:
        start = 0
        ci = _find_index(doc, _is_commitment)
        if ci is not None:
            # the commitment ends at its date line or after a few lines
            start = ci + 1
            for k in range(ci + 1, min(ci + 8, len(doc.blocks))):
                if re.search(r"年\s*月\s*日|20\d{2}\s*年\s*\d{1,2}\s*月", doc.blocks[k].text or ""):
                    start = k + 1
                    break
        end = len(doc.blocks)
        for k in range(start, len(doc.blocks)):
            b = doc.blocks[k]
            if _is_caption(b) or _is_self_label(b) or _is_summary_mark(b) or _is_year_table(b, spec):
                end = k
                break
        title, t_idx = None, None
        for k in range(start, end):
            b = doc.blocks[k]
            if b.kind == "table":
                break
            if match_numbering(b.text or "") is not None and (match_numbering(b.text or "") or (9,))[0] == 1:
                break
            cand, t_idx = _title_candidate(b), k
            wrapped = _wrapped_title(doc, k, end)
            if wrapped and not (cand or "").endswith(("模式", "模式”", "模式\"")):
                cand, t_idx = wrapped, k + 1
            if cand:
                title = (_strip_quotes(cand), b.loc)
                break
            t_idx = None
        if title is None:
            for k in range(start, end):
                b = doc.blocks[k]
                if b.kind == "table" or (match_numbering(b.text or "") or (9,))[0] == 1:
                    break
                cand = _title_fallback(b)
                if cand:
                    title, t_idx = (_strip_quotes(cand), b.loc), k
                    break
        body_lo = (t_idx + 1) if t_idx is not None else start
        texts = [b for b in doc.blocks[body_lo:end] if b.kind in ("paragraph", "heading") and b.text.strip()
                 and not any(w in b.text for w in _TEMPLATE) and compact(b.text) not in ("申报材料", "正文", "正文：")]
        body_text = "".join(b.text.strip() for b in texts)
        if title is None and not body_text:
            continue
        part = TextPart(found=bool(body_text), label="正文", count=zh_word_count(body_text),
                        loc=texts[0].loc if texts else (title[1] if title else None), excerpt=body_text[:60] or None,
                        brief=brief_of([b.text for b in texts if b.kind == "paragraph"]) or None)
        return title, part, (doc, body_lo, end)
    return None, TextPart(), None


def find_self_statement(docs: list[Document]) -> TextPart:
    for doc in docs:
        for i, b in enumerate(doc.blocks):
            if b.kind == "table" and b.table is not None:
                part = _self_in_table(b.table)
                if part is not None:
                    return part
                continue
            if not _is_self_label(b):
                continue
            # a PDF may run the label on from the line before it (the table's 注)
            m = _SELF_LABEL.search(compact(b.text))
            raw = b.text.strip()
            k = raw.find("自")
            while k > 0 and raw[k - 2:k] not in ("园区", "企业", "单位") and raw.find("自", k + 1) >= 0 and m and m.start() > 0:
                k = raw.find("自", k + 1)
            label = raw[max(0, k - 2):] if (m and m.start() > 0 and raw[max(0, k - 2):k] in ("园区", "企业", "单位")) else raw
            rest = _SELF_PREFIX.sub("", label, count=1).strip()
            texts = [rest] if rest else []
            for nb in doc.blocks[i + 1:]:
                if nb.kind == "table" or _is_summary_mark(nb) or _is_caption(nb):
                    break
                t = compact(nb.text)
                if nb.kind == "heading" and re.match(r"^附件\d", t):
                    break
                if re.match(r"^附件\s*\d\s*$", t):
                    break
                if nb.text.strip():
                    texts.append(nb.text.strip())
            text = "".join(texts)
            return TextPart(found=bool(compact(text)), label=compact(label)[:20], count=zh_word_count(text), loc=b.loc,
                            excerpt=text[:60] or None)
    return TextPart()


def _self_in_table(t: Table) -> TextPart | None:
    for r, row in enumerate(t.rows):
        for j, c in indexed_unique_cells(row):
            if not _SELF_LABEL.match(compact(c.text)):
                continue
            rest = _SELF_PREFIX.sub("", c.text.strip(), count=1).strip()
            if not rest:
                right = next((x for k, x in indexed_unique_cells(row) if k > j and x.text.strip()), None)
                below = t.rows[r + 1][j] if r + 1 < len(t.rows) and j < len(t.rows[r + 1]) else None
                src = right or (below if below is not None and below.text.strip() else None)
                rest = src.text.strip() if src is not None else ""
            return TextPart(found=bool(compact(rest)), label=compact(c.text)[:20], count=zh_word_count(rest), loc=c.loc,
                            excerpt=rest[:60] or None)
    return None


def find_established(docs: list[Document], fields: dict[str, FieldValue] | None = None) -> Established | None:
    """When the unit was founded: the 表1/表2 成立时间 and every "成立于2015年" / "2012年经省政府
    批准设立" / "二〇〇九年四月成立" statement of the package (dates read by extractor.dates); the
    unit's own founding is the earliest of them, later ones name its departments or platforms."""
    cands: list[tuple[date, str, str, Location | None]] = []  # date, precision, quote, loc
    fv = (fields or {}).get("established")
    if fv is not None and fv.text:
        found = find_dates(fv.text)
        if found:
            cands.append((found[0].value, found[0].precision, f"{fv.label}：{fv.text.strip()}", fv.loc))
    for doc in docs:
        for b in doc.blocks:
            if b.kind == "table" and b.table is not None:
                texts = [(c.text, c.loc) for row in b.table.rows for _, c in indexed_unique_cells(row)]
            elif b.text:
                texts = [(b.text, b.loc)]
            else:
                continue
            for text, loc in texts:
                t = arabic(compact(text))
                for dt in find_dates(t):
                    if _FOUNDED_BEFORE.search(t[:dt.start]) or _FOUNDED_AFTER.match(t[dt.end:]):
                        cands.append((dt.value, dt.precision, t[max(0, dt.start - 20):dt.end + 10], loc))
    if not cands:
        return None
    # within one year, a date with its month ("始建于2006年8月") says more than the bare year beside it
    value, precision, quote, loc = min(cands, key=lambda c: (c[0].year, c[1] == "year", c[0]))
    return Established(year=value.year, month=value.month if precision in ("month", "day") else None, text=quote, loc=loc)


def find_summary(docs: list[Document], spec: FormSpec) -> tuple[list[SummaryRow], str | None]:
    cols = spec.tables["summary"]
    for doc in docs:
        for rt in find_record_tables(doc, cols, required=("name", "attribute"), min_keys=4, cutoff=85):
            out = []
            for row in rt.rows:
                vals = {k: (row.text(k) or None) for k in cols}
                if not (vals.get("name") or vals.get("case")):
                    continue
                if vals.get("name") in ("填写全称",) or any(w in (vals.get("name") or "") for w in ("……", "....")):
                    continue
                sr = SummaryRow(**vals, description_count=zh_word_count(vals.get("description")),
                                loc=row.cells["name"].loc if "name" in row.cells else None,
                                locs={k: c.loc for k, c in row.cells.items()})
                out.append(sr)
            if out:
                return out, doc.path
    return [], None


# ---------------------------------------------------------------- kind


def decide_kind(rows: list[YearRow], fields: dict[str, FieldValue], self_part: TextPart, title: str | None,
                unit_name: str | None, captions: list[str]) -> tuple[str, list[str]]:
    park, ent, why = 0, 0, []

    def vote(kind: str, weight: int, reason: str) -> None:
        nonlocal park, ent
        if kind == PARK:
            park += weight
        else:
            ent += weight
        why.append(f"{KIND_NAMES[kind]}：{reason}")

    keys = {r.key for r in rows}
    if "total_output" in keys or any("园区" in r.label for r in rows if r.parent is None):
        vote(PARK, 3, "基本情况表有「园区总产值」或园区行")
    if keys & {"output", "sales", "capacity", "production"}:
        vote(ENTERPRISE, 3, "基本情况表有产值/销售额/产能/产量行")
    for cap in captions:
        if "园区基本情况表" in cap:
            vote(PARK, 3, f"表题「{cap}」")
        elif "企业基本情况表" in cap:
            vote(ENTERPRISE, 3, f"表题「{cap}」")
    for fid in ("park_name", "above_scale_count", "park_head"):
        if fid in fields:
            vote(PARK, 2, f"表中有「{fields[fid].label}」")
            break
    for fid in ("company_name", "plant_area", "industry"):
        if fid in fields:
            vote(ENTERPRISE, 2, f"表中有「{fields[fid].label}」")
            break
    if self_part.label:
        if self_part.label.startswith("园区"):
            vote(PARK, 2, "园区自述")
        elif self_part.label.startswith("企业"):
            vote(ENTERPRISE, 2, "企业自述")
    k = unit_kind_of_name(unit_name)
    if k != UNKNOWN:
        vote(k, 2, f"单位名称「{unit_name}」")
    if title:
        if any(w in title for w in _PARK_WORDS):
            vote(PARK, 1, "题目含园区")
        elif any(w in title for w in _ENTERPRISE_WORDS):
            vote(ENTERPRISE, 1, "题目含企业/公司")
    if park > ent:
        return PARK, why
    if ent > park:
        return ENTERPRISE, why
    return UNKNOWN, why


# ---------------------------------------------------------------- extraction


def _spec_subset(spec: FormSpec, ids: Iterable[str]) -> FormSpec:
    ids = list(ids)
    return spec.model_copy(update={"fields": {k: v for k, v in spec.fields.items() if k in ids}})


def _fact(key: str, label: str, year: str, q: Quantity | None, source: str = "basic_info") -> Fact | None:
    return common.fact(key, label, q, source, year)


def is_application(doc: Document, spec: FormSpec) -> bool:
    """A 申报书 has its parts: the 承诺声明, the title, 表1/表2 or the 自述.  A covering letter
    ("关于推荐…典型案例的函", "附件：1.典型案例申报书") names the 申报书 without being one."""
    for b in doc.blocks:
        if _is_commitment(b) or _is_caption(b) or _is_self_label(b) or _is_year_table(b, spec) or _title_candidate(b):
            return True
    return False


def _is_case_body(doc: Document, spec: FormSpec) -> bool:
    """A 申报书 with more than its 承诺声明 (a title, 表1/表2, the 自述): a 承诺声明 signed,
    sealed and scanned on its own is a page of a case, not a case."""
    return any(_is_caption(b) or _is_self_label(b) or _is_year_table(b, spec) or _title_candidate(b)
               for b in doc.blocks)


def _dir(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def split_cases(docs: list[Document], roles: dict[str, list[str]], spec: FormSpec) -> tuple[list[list[Document]], list[Document]]:
    """The package's cases, each the list of its own files, and the files they share (a
    province's covering letter and 附件2 汇总表).  One 申报书 is one case; a package with
    several (a province's recommendation) is split: a file goes with the 申报书 in its folder,
    a standalone 表1/表2 with the 申报书 whose unit it names."""
    apps = [d for d in docs if "application" in roles.get(d.path, [])]
    bodies = [a for a in apps if _is_case_body(a, spec)]
    apps = bodies or apps
    if len(apps) <= 1:
        return [docs], []
    cases: list[list[Document]] = [[a] for a in apps]
    folders = {}
    for i, a in enumerate(apps):
        folders.setdefault(_dir(a.path), []).append(i)
    names = [_unit_name_hint(a, spec) for a in apps]
    shared: list[Document] = []
    for d in docs:
        if d in apps:
            continue
        here = folders.get(_dir(d.path), [])
        if len(here) == 1 and _dir(d.path):
            cases[here[0]].append(d)
            continue
        if "basic_table" in roles.get(d.path, []) or "application" in roles.get(d.path, []):
            hint = _unit_name_hint(d, spec)
            scores = [similarity(compact(hint), compact(n)) if hint and n else 0.0 for n in names]
            best = max(range(len(apps)), key=lambda i: scores[i])
            if scores[best] >= 80:
                cases[best].append(d)
                continue
        shared.append(d)
    return cases, shared


def _unit_name_hint(doc: Document, spec: FormSpec) -> str | None:
    """The unit a file is about: its cover's 单位名称, else its table's 园区名称 / 企业名称."""
    ids = ["unit_name", "park_name", "company_name"]
    found = common.collect_fields([doc], _spec_subset(spec, ids), "application")
    for fid in ids:
        fv = found.get(fid)
        if fv is not None and fv.text:
            return _SEAL.sub("", fv.text).strip()
    return None


def extract(docs: list[Document], roles: dict[str, list[str]]) -> FormResult:
    spec = load_spec(FORM_ID)
    readable = [d for d in docs if not d.error]
    # a covering letter that only names the 申报书 is not one
    apps = [d for d in readable if "application" in roles.get(d.path, [])]
    real = [d for d in apps if is_application(d, spec)]
    if real:
        for d in apps:
            if d not in real:
                roles[d.path] = [r for r in roles[d.path] if r != "application"] or ["other"]
    cases, shared = split_cases(readable, roles, spec)
    if len(cases) == 1:
        res, _model = extract_case(docs, readable, roles, spec)
        return res
    return _merge_cases([extract_case(case, readable, roles, spec) for case in cases], shared, spec)


def _package(cases: list[NowasteCase]) -> NowastePackage:
    """The package model: its cases and, from the first, the 汇总表 and the years they share."""
    first = cases[0]
    return NowastePackage(cases=cases, summary=first.summary, summary_file=first.summary_file, years=first.years)


def _merge_cases(parts: list[tuple[FormResult, NowasteCase]], shared: list[Document],
                 spec: FormSpec) -> FormResult:
    """One FormResult for a package of several cases: each case's figures keep their meaning
    within the case (fact keys carry the unit), each case is reported under its own name, and
    each case's files form one identity group."""
    res = FormResult(form=FORM_ID, form_title=spec.title)
    models = []
    for i, (part, model) in enumerate(parts, 1):
        tag = case_name(model, i)
        model.case = tag
        for fid, fv in part.fields.items():
            res.fields[f"{i}.{fid}"] = fv
        res.contacts.extend(part.contacts)
        for f in part.facts:
            res.facts.append(f.model_copy(update={"key": f"{f.key}@{compact(tag)}", "label": f"{f.label}（{tag}）"}))
        res.sums.extend(s.model_copy(update={"label": f"{s.label}（{tag}）"}) for s in part.sums)
        res.rates.extend(r.model_copy(update={"label": f"{r.label}（{tag}）"}) for r in part.rates)
        for h in part.outline:
            res.outline.append(h.model_copy(update={"id": h.id, "title": f"{h.title}（{tag}）"}))
        for a in part.attachments:
            if a.id.startswith("part:"):
                if not any(x.id == a.id for x in res.attachments):
                    res.attachments.append(a)
                continue
            res.attachments.append(a.model_copy(update={"id": f"{a.id}@{i}", "title": f"{a.title}（{tag}）"}))
        for path in model.files:
            res.identity_groups[path] = tag
        models.append(model)
    for d in shared:
        res.identity_groups.setdefault(d.path, "省级报送材料")
    res.model = _package(models)
    return res


def case_name(model: NowasteCase, i: int) -> str:
    return model.unit_name or model.title or f"案例{i}"


def extract_case(docs: list[Document], package: list[Document], roles: dict[str, list[str]],
                 spec: FormSpec) -> tuple[FormResult, NowasteCase]:
    """One case: its own files `docs`; `package` is every readable file (the 汇总表 is looked
    for among them)."""
    settings = load_settings(FORM_ID)
    res = FormResult(form=FORM_ID, form_title=spec.title)
    model = NowasteCase()
    readable = [d for d in docs if not d.error]
    has = lambda d, r: r in roles.get(d.path, [])
    apps = [d for d in readable if has(d, "application")]
    # the application first, then the standalone tables, then the rest
    ordered = apps + [d for d in readable if d not in apps and has(d, "basic_table")] + \
        [d for d in readable if d not in apps and not has(d, "basic_table")]
    groups = spec.tables.get("field_groups", {})

    # 表1 / 表2: the first file holding one gives the claims; copies elsewhere give facts
    primary: list[YearRow] = []
    copies: list[list[YearRow]] = []
    base_docs: list[Document] = []
    captions: list[str] = []
    caption_locs: list[tuple[str, Location]] = []
    for d in ordered:
        drows: list[YearRow] = []
        dcols: list[YearColumns] = []
        for b in d.blocks:
            if _is_caption(b):
                captions.append(compact(b.text))
                caption_locs.append((b.text.strip(), b.loc))
        for b, series in series_in(d):
            if b.table.caption and _is_caption(Block(kind="paragraph", text=b.table.caption, loc=b.loc)):
                captions.append(compact(b.table.caption))
            rs, cs = parse_year_table(d, b.table, spec, series)
            drows += rs
            dcols += cs
        if any(r.parent is None for r in drows):
            if not primary:
                primary = drows
                model.year_columns = dcols
            else:
                copies.append(drows)
            base_docs.append(d)
    model.rows = primary

    # cover fields (before the 承诺声明 in the application) and the table's fields
    cover_docs = []
    for d in apps or ordered[:1]:
        ci = _find_index(d, _is_commitment)
        ti = _find_index(d, lambda b: _is_caption(b) or _is_year_table(b, spec))
        hi = min(x for x in (ci, ti, len(d.blocks)) if x is not None)
        cover_docs.append(_views(d, 0, hi))
    cover = common.collect_fields(cover_docs, _spec_subset(spec, groups.get("cover", [])), "application")
    table_ids = list(dict.fromkeys(groups.get("park", []) + groups.get("enterprise", [])))
    table_docs = []
    for d in base_docs or ordered:
        lo = _find_index(d, _is_caption)
        if lo is None:
            lo = _find_index(d, lambda b: _is_year_table(b, spec)) or 0
            lo = max(0, lo - 4)
        hi = _find_index(d, _is_summary_mark, lo) or len(d.blocks)
        table_docs.append(_views(d, lo, hi))
    basic = common.collect_fields(table_docs, _spec_subset(spec, table_ids), "basic_table")

    # title, 正文, 自述
    title, body, body_span = find_title_and_body(apps or ordered, spec)
    self_part = find_self_statement(base_docs + [d for d in ordered if d not in base_docs])
    model.body, model.self_statement = body, self_part
    if title:
        model.title, model.title_loc = title
    unit_name = next((_SEAL.sub("", fv.text).strip() for fv in (cover.get("unit_name"), basic.get("park_name"),
                                                                 basic.get("company_name")) if fv is not None and fv.text), None)
    model.unit_name = unit_name
    model.kind, model.kind_evidence = decide_kind(primary, basic, self_part, model.title, unit_name, captions)

    # fields: the cover's, plus the table fields required for this kind
    required = set(groups.get(f"{model.kind}_required", [])) if model.kind != UNKNOWN else set()
    kind_ids = set(groups.get(model.kind, [])) if model.kind != UNKNOWN else set(table_ids)
    fields: dict[str, FieldValue] = dict(cover)
    if apps:
        common.blank_fields_for_missing(_spec_subset(spec, groups.get("cover", [])), fields, "application", apps[0])
    for fid, fv in basic.items():
        if fid in kind_ids:
            fields[fid] = fv.model_copy(update={"required": fid in required})
    if base_docs:
        for fid in required:
            if fid not in fields and not common.label_written(spec.fields[fid].names, base_docs):
                f = spec.fields[fid]
                fields[fid] = FieldValue(name=fid, label=f.label, text=None, required=True, source="basic_table",
                                         loc=Location(file=base_docs[0].path))
    res.fields = fields
    model.cover, model.basic = cover, basic
    res.contacts = common.contacts_from_fields(spec, fields)

    # claims from 表1/表2
    years = [str(y) for y in settings.get("years", [2020, 2021, 2022, 2023])]
    _claims(res, primary, model.kind, years)
    for rows in copies:
        _facts(res, rows)

    # narrative figures (value added, rates, totals restated in the text)
    waste_names = [r.name for r in primary if r.key == "waste"]
    ctx = NarrativeContext(waste_names=waste_names, metrics=_METRICS, periods={}, default_period=None, totals=_TOTALS)
    narrative: list[Fact] = []
    for d in apps:
        narrative += [f for f in extract_narrative_facts(d, ctx) if f.period in years]
    # a figure repeated word for word is one statement, not several
    seen_facts: set[tuple] = set()
    narrative = [f for f in narrative if (f.key, f.period, f.quantity.value) not in seen_facts
                 and not seen_facts.add((f.key, f.period, f.quantity.value))]
    res.facts.extend(f for f in narrative if f.key != "value_added" or not _row(primary, "value_added"))
    model.narrative = narrative

    # the eligibility inputs: 2020–2023 rates, 产生强度, 单位产品产生量
    model.years, model.base_table_found = years, bool(primary)
    model.rates = _rates(primary, years)
    model.intensity = _intensity(primary, narrative, years)
    model.unit_output = _unit_output(primary, years) if model.kind == ENTERPRISE else {}

    # established date and the reference date for the age: the 申报日期, else the collection deadline
    model.established = find_established(ordered, basic)
    apply_date = parse_date(cover["apply_date"].text) if cover.get("apply_date") and cover["apply_date"].text else None
    deadline = settings.get("reference_date")
    model.apply_date = apply_date
    model.reference_date = apply_date or (date.fromisoformat(str(deadline)) if deadline else None)
    model.reference_source = "申报日期" if apply_date else "征集截止日期"

    # 汇总表
    sdocs = [d for d in package if has(d, "summary")] + [d for d in package if not has(d, "summary")]
    model.summary, model.summary_file = find_summary(sdocs, spec)
    if model.summary_file:
        # a covering letter that mentions the 汇总表 ("附件：2.典型案例汇总表") is not it
        for d in package:
            if has(d, "summary") and d.path != model.summary_file and not has(d, "application"):
                roles[d.path] = [r for r in roles[d.path] if r != "summary"] or ["other"]

    # outline
    res.outline = _outline(spec, docs, roles, model, body_span, primary, caption_locs)
    spans = {"3": body_span} if body_span else {}
    res.attachments = common.required_role_status(spec, roles, {"application": "附件1 典型案例申报书"}) + \
        common.attachment_status(spec, docs, roles, spans)
    if model.summary_file is None:
        res.attachments.append(AttachmentStatus(id="part:summary", title=spec.roles["summary"].title,
                                                clause="附件2 典型案例汇总表（由省级主管部门汇总报送）", severity="info"))

    model.files = [d.path for d in docs]
    res.model = _package([model])
    return res, model


_METRICS = {
    "value_added": ("工业增加值", ("工业增加值", "增加值"), "元"),
    "rate": ("工业固废综合利用率", ("综合利用率",), "%"),
    "sales": ("销售额", ("销售额", "销售收入"), "元"),
    "generated.total": ("工业固废产生量", ("工业固废产生量", "工业固体废物产生量", "固废产生量", "固体废物产生量"), "吨"),
    "utilized.total": ("工业固废利用量", ("工业固废综合利用量", "工业固废利用量", "工业固体废物综合利用量", "固废综合利用量",
                                   "固体废物综合利用量"), "吨"),
}
# a figure of all the unit's wastes in prose ("产生工业固废138万吨，其中…，综合利用134万吨")
_TOTALS = {"generated": "generated.total", "utilized": "utilized.total"}


def _row(rows: list[YearRow], key: str) -> YearRow | None:
    return next((r for r in rows if r.key == key and r.parent is None), None)


def _items(rows: list[YearRow], parent: str) -> list[YearRow]:
    return [r for r in rows if r.parent == parent]


_ANCHOR_LABELS = {"total_output": "园区总产值", "output": "产值", "sales": "销售额", "value_added": "工业增加值",
                  "generated": "工业固废产生量", "utilized": "工业固废利用量", "rate": "工业固废综合利用率",
                  "intensity": "工业固废产生强度", "production": "产量", "capacity": "产能"}
_FACT_KEYS = {"total_output": "total_output", "output": "output", "sales": "sales", "value_added": "value_added",
              "generated": "generated.total", "utilized": "utilized.total", "rate": "rate", "production": "production"}
_ITEM_KEYS = {"industry": "industry", "waste": "waste.generated", "use": "waste.utilized", "product": "product"}


def _facts(res: FormResult, rows: list[YearRow]) -> None:
    for r in rows:
        if r.parent is None and r.key in _FACT_KEYS:
            key, label = _FACT_KEYS[r.key], _ANCHOR_LABELS[r.key]
        elif r.parent is not None:
            key = f"{_ITEM_KEYS[r.key]}:{r.name}" if r.parent != "utilized" else f"waste.utilized:{r.name}"
            label = f"{r.name}{'利用量' if r.parent == 'utilized' else '产生量' if r.parent == 'generated' else ''}"
        else:
            continue
        for y, q in r.values.items():
            f = _fact(key, label, y, q)
            if f:
                res.facts.append(f)


def _claims(res: FormResult, rows: list[YearRow], kind: str, years: list[str]) -> None:
    _facts(res, rows)
    for parent, label in (("total_output", "园区总产值"), ("output", "产值"), ("generated", "工业固废产生量"),
                          ("utilized", "工业固废利用量"), ("production", "产量")):
        total = _row(rows, parent)
        items = _items(rows, parent)
        if total is None or not items:
            continue
        if parent == "production" and not all(i.unit and total.unit and i.unit == total.unit for i in items):
            continue  # products in different units do not add up to 产量
        for y in sorted(total.values):
            tq = total.values.get(y)
            iqs = [(i, i.values.get(y)) for i in items]
            if tq is None or not any(q is not None for _, q in iqs):
                continue
            res.sums.append(SumClaim(
                label=f"{'表1' if kind == PARK else '表2' if kind == ENTERPRISE else '基本情况表'}{label}", period=y,
                total=Fact(key=_FACT_KEYS[parent], label=label, period=y, quantity=tq, source="basic_info"),
                items=[Fact(key=f"item:{i.name}", label=i.name, period=y, quantity=q, source="basic_info") for i, q in iqs if q is not None]))
    rate, gen, util = _row(rows, "rate"), _row(rows, "generated"), _row(rows, "utilized")
    if rate and gen and util:
        for y in sorted(rate.values):
            rq, gq, uq = rate.values.get(y), gen.values.get(y), util.values.get(y)
            if rq is None or gq is None or uq is None or gq.value <= 0:
                continue
            res.rates.append(RateClaim(
                label="工业固废综合利用率", period=y,
                reported=Fact(key="rate", label="工业固废综合利用率", period=y, quantity=rq, source="basic_info"),
                numerator=Fact(key="utilized.total", label="工业固废利用量", period=y, quantity=uq, source="basic_info"),
                denominator=Fact(key="generated.total", label="工业固废产生量", period=y, quantity=gq, source="basic_info"),
                formula="利用量 / 产生量 × 100%（表1/表2 口径）"))


def _rates(rows: list[YearRow], years: list[str]) -> dict[str, RateInputs]:
    rate, gen, util = _row(rows, "rate"), _row(rows, "generated"), _row(rows, "utilized")
    out = {}
    for y in years:
        entry = RateInputs(reported=rate.values.get(y) if rate else None,
                           generated=gen.values.get(y) if gen else None,
                           utilized=util.values.get(y) if util else None)
        if any(v is not None for v in (entry.reported, entry.generated, entry.utilized)):
            out[y] = entry
    return out


def _intensity(rows: list[YearRow], narrative: list[Fact], years: list[str]) -> dict[str, IntensityInputs]:
    inten, gen, va = _row(rows, "intensity"), _row(rows, "generated"), _row(rows, "value_added")
    out = {}
    for y in years:
        vaq = va.values.get(y) if va else None
        va_source = "表" if vaq is not None else None
        if vaq is None:
            f = next((f for f in narrative if f.key == "value_added" and f.period == y), None)
            if f is not None:
                vaq, va_source = f.quantity, "正文"
        entry = IntensityInputs(reported=inten.values.get(y) if inten else None,
                                generated=gen.values.get(y) if gen else None, value_added=vaq, value_added_source=va_source)
        if entry.reported is not None or (entry.generated is not None and vaq is not None):
            out[y] = entry
    return out


def _unit_output(rows: list[YearRow], years: list[str]) -> dict[str, UnitOutputInputs]:
    """单位产品产生量 inputs of an enterprise: 产生量 and 产量 (when the 产量 has one unit)."""
    gen, prod = _row(rows, "generated"), _row(rows, "production")
    if gen is None or prod is None:
        return {}
    out = {}
    for y in years:
        g, p = gen.values.get(y), prod.values.get(y)
        if g is not None and p is not None and p.value > 0:
            out[y] = UnitOutputInputs(generated=g, production=p, production_label=prod.label)
    return out


def _outline(spec: FormSpec, docs: list[Document], roles: dict[str, list[str]], model: NowasteCase,
             body_span, rows: list[YearRow], captions: list[tuple[str, Location]] = ()) -> list[SectionHit]:
    hits = {s.id: SectionHit(id=s.id, title=s.title, required=s.required) for s in spec.outline}
    for d in docs:
        if d.error:
            continue
        i = _find_index(d, _is_commitment)
        if i is not None:
            hits["1"].found, hits["1"].heading, hits["1"].loc = True, d.blocks[i].text.strip(), d.blocks[i].loc
            break
        if "承诺" in d.path.rsplit("/", 1)[-1] and (d.type == "image" or not d.has_text_layer or d.type == "pdf"):
            hits["1"].found, hits["1"].heading, hits["1"].loc = True, d.path, Location(file=d.path)
            break
    if model.title:
        hits["2"].found, hits["2"].heading, hits["2"].loc = True, model.title, model.title_loc
    min_body = int((load_settings(FORM_ID).get("text") or {}).get("body_min_found", 200))
    if model.body.found and model.body.count >= min_body:
        hits["3"].found, hits["3"].heading, hits["3"].loc = True, model.body.excerpt, model.body.loc
    if body_span and hits["3"].found:
        doc, lo, hi = body_span
        text = compact("".join(b.text for b in doc.blocks[lo:hi] if b.kind in ("paragraph", "heading")))
        for sid, words in _SUB_KEYWORDS.items():
            if any(w in text for w in words):
                hits[sid].found = True
    else:
        for sid in _SUB_KEYWORDS:
            hits[sid].required = False  # the whole 正文 is reported, not each of its parts
    if any(r.parent is None for r in rows):
        first = next(r for r in rows if r.parent is None)
        loc = next(iter(first.locs.values()), None)
        hits["4"].found, hits["4"].heading, hits["4"].loc = True, first.label, loc
    elif captions:
        # the table's title is there but no table was read under it (a borderless table in a PDF,
        # a picture of the table): its absence is not certain
        text, loc = captions[0]
        hits["4"].severity, hits["4"].heading, hits["4"].loc = "warning", text, loc
        hits["4"].note = f"申报书中有表题「{text}」，但未能读出其下的表格（可能为无框线表格或图片），请人工核实"
    if model.self_statement.found:
        hits["5"].found, hits["5"].heading, hits["5"].loc = True, model.self_statement.label, model.self_statement.loc
    if model.kind == PARK:
        hits["4"].title, hits["5"].title = "表1 园区基本情况表", "园区自述"
    elif model.kind == ENTERPRISE:
        hits["4"].title, hits["5"].title = "表2 企业基本情况表", "企业自述"
    return [hits[s.id] for s in spec.outline]
