"""The label–value reader: a form's labelled values in any layout a submitter produces.

- a grid of label and value cells (附件1's 企业名称 | X | 统一社会信用代码 | Y …): the value is the
  next cell to the right, or the cell below when labels run across a header row;
- label and value in one cell or line: "法定代表人：张三", "联系人：张三  联系电话：0731-…",
  and "申请时间 2026年5月18日" (a label, blanks, the value);
- labels as submitters vary them: a bracketed qualifier ("单位名称（全称）", "利润（万元）",
  "年龄（周岁）"), spaces inside ("联 系 人"), and the synonyms of corpus/label_synonyms.yaml
  ("电子信箱" for 电子邮箱, "移动电话" for 手机号码) are compared in one canonical form.

A label found with no value gives a blank hit located at the empty cell beside it, so a form's
required field left blank is reported in every layout.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from extractor.forms.spec import load_yaml
from extractor.forms.text import compact, similarity, strip_label
from extractor.model import Block, Cell, Document, Location, Table
from extractor.quantity import is_blank

_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")
_WS = re.compile(r"\s+")
_NUMERIC_RE = re.compile(r"^[\s\d,.，．%％+\-−万亿吨元t]+$")


@lru_cache(maxsize=1 << 16)
def looks_numeric(text: str) -> bool:
    t = compact(text)
    return bool(t) and bool(_NUMERIC_RE.match(t)) and any(ch.isdigit() for ch in t)


def indexed_unique_cells(row: list[Cell]) -> list[tuple[int, Cell]]:
    """A row's cells with their grid index, merged continuations removed (horizontal merges counted once)."""
    out, seen = [], set()
    for j, c in enumerate(row):
        key = c.origin or (c.row, c.col)
        if key in seen:
            continue
        seen.add(key)
        out.append((j, c))
    return out


def unique_cells(row: list[Cell]) -> list[Cell]:
    """A row's cells with merged continuations removed (horizontal merges counted once)."""
    return [c for _, c in indexed_unique_cells(row)]


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    data = load_yaml("label_synonyms.yaml") or {}
    out: dict[str, str] = {}
    for canonical, variants in (data.get("synonyms") or {}).items():
        for v in [canonical, *(variants or [])]:
            out[compact(v).lower()] = compact(canonical)
    return out


@lru_cache(maxsize=1 << 16)
def canonical_label(text: str | None) -> str:
    """A label in the one form labels are compared in: '单位名称（全称）：' -> '单位名称',
    '电子信箱' -> '电子邮箱', '联 系 人' -> '联系人'."""
    t = strip_label(text)
    syn = _synonyms()
    for _ in range(2):
        if t.lower() in syn:
            return syn[t.lower()]
        shorter = _TRAILING_BRACKET.sub("", t).rstrip(":：*")
        if shorter == t or not shorter:
            break
        t = shorter
    return syn.get(t.lower(), t)


@dataclass
class LabelHit:
    name: str  # field id
    label_cell: Cell | None
    value_text: str
    value_loc: Location | None
    value_cell: Cell | None = None
    empty_cell: bool = False  # blank, and the cell for the value is there, empty
    next_line: bool = False  # the value was taken from the line below a label standing alone


_INDEXES: dict[int, tuple[dict, tuple[tuple[str, str], ...]]] = {}


def _label_index(fields: dict[str, list[str]]) -> tuple[tuple[str, str], ...]:
    # match_label runs on every cell of every table with the same few field lists: build each
    # list's index once (keyed by identity; the entry holds the dict, so its id is not reused)
    cached = _INDEXES.get(id(fields))
    if cached is not None and cached[0] is fields:
        return cached[1]
    index = tuple((fid, canonical_label(n)) for fid, names in fields.items() for n in names)
    if len(_INDEXES) >= 256:
        _INDEXES.clear()
    _INDEXES[id(fields)] = (fields, index)
    return index


def match_label(text: str, fields: dict[str, list[str]], cutoff: float = 90) -> str | None:
    """The field id whose label (or alias) the cell text is, or None.  Short labels must match
    exactly: '联系人' must not swallow '联系人手机'."""
    return _match_label(text, _label_index(fields), cutoff)


@lru_cache(maxsize=1 << 16)
def _match_label(text: str, index: tuple[tuple[str, str], ...], cutoff: float) -> str | None:
    t = canonical_label(text)
    if not t or len(t) > 30 or looks_numeric(t):
        return None
    best_id, best = None, 0.0
    for fid, name in index:
        if t == name:
            return fid
        if len(name) >= 5 and len(t) >= 5:
            sc = similarity(t, name)
            if sc > best:
                best_id, best = fid, sc
    return best_id if best >= cutoff else None


def find_label_values(doc: Document, fields: dict[str, list[str]]) -> list[LabelHit]:
    """Every occurrence of a field label in the document's tables and text lines."""
    hits: list[LabelHit] = []
    blocks = doc.blocks
    for i, b in enumerate(blocks):
        if b.kind == "table" and b.table is not None:
            hits.extend(_table_label_values(b.table, fields))
        elif b.kind in ("paragraph", "heading") and b.text:
            line = _line_label_values(b, fields)
            if not line or (len(line) == 1 and not line[0].value_text and match_label(b.text, fields)):
                # a line that is only a label: its value may stand on the next line (the caller
                # checks it is a value of the field's kind: the next line may be the next item)
                below = _label_line_then_value(blocks, i, fields)
                if below and below[0].value_text and line:
                    below[0].empty_cell = line[0].empty_cell
                line = below if below and below[0].value_text else line or below
            hits.extend(line)
    return hits


def _label_line_then_value(blocks: list[Block], i: int, fields: dict[str, list[str]]) -> list[LabelHit]:
    """A line that is only a label, its value on the next line (a cover page whose blanks were
    filled below the labels, as a PDF of it reads)."""
    b = blocks[i]
    fid = match_label(b.text, fields)
    if fid is None:
        return []
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if nxt is None or nxt.kind not in ("paragraph", "heading") or not nxt.text.strip() or len(compact(nxt.text)) > 60 \
            or match_label(nxt.text, fields) is not None or _is_other_label(nxt.text) or nxt.numbering:
        return [LabelHit(fid, None, "", b.loc)]
    return [LabelHit(fid, None, nxt.text.strip(), nxt.loc, next_line=True)]


def _table_label_values(t: Table, fields: dict[str, list[str]]) -> list[LabelHit]:
    hits = []
    for r_idx, row in enumerate(t.rows):
        cells = unique_cells(row)
        for i, c in enumerate(cells):
            if c.is_continuation:
                continue
            fid = match_label(c.text, fields)
            if fid is None:
                # "企业名称：某某公司" or "申请时间  2026年5月18日" written in one cell
                for name, value in inline_pairs(c.text, fields):
                    hits.append(LabelHit(name, c, value, c.loc, c, empty_cell=not value))
                continue
            # the value is the next cell to the right; when labels run across a header row
            # (企业名称 | 统一社会信用代码 | …) it is the cell below
            right = cells[i + 1] if i + 1 < len(cells) else None
            below = None
            if r_idx + 1 < len(t.rows) and c.col - 1 < len(t.rows[r_idx + 1]):
                below = t.rows[r_idx + 1][c.col - 1]
                if below.origin == c.origin and c.origin is not None:
                    below = None  # the label cell itself, merged downwards
            value_cell = None
            # "联 系 人：" with its colon: a fill-in cell; its value is beside it or nowhere
            fill_in = compact(c.text).endswith((":", "："))
            if right is not None and match_label(right.text, fields) is None and not _is_other_label(right.text) \
                    and not is_known_label(right.text):
                value_cell = right
            elif not fill_in and below is not None and below.text.strip() and match_label(below.text, fields) is None \
                    and not _is_other_label(below.text) and not is_known_label(below.text) and (
                    right is None or match_label(right.text, fields) is not None
                    or (is_known_label(right.text) and not _numbered_header(cells)) or _row_of_labels(cells, fields)):
                value_cell = below
            if value_cell is None and fill_in:
                hits.append(LabelHit(fid, c, "", c.loc, None, empty_cell=True))
                continue
            if value_cell is None and below is not None and not below.text.strip() and _row_of_labels(cells, fields):
                # a row of labels with the values in the row below: this one's cell is empty
                hits.append(LabelHit(fid, c, "", below.loc, None, empty_cell=True))
                continue
            if value_cell is not None:
                text = value_cell.text.strip()
                hits.append(LabelHit(fid, c, text, value_cell.loc, value_cell, empty_cell=not text))
            else:
                # blank: point at the empty cell beside the label where there is one
                empty = right is not None and not right.text.strip()
                hits.append(LabelHit(fid, c, "", right.loc if empty else c.loc, None, empty_cell=empty))
    return hits


def _numbered_header(cells: list[Cell]) -> bool:
    """序号 | 申报单位 | 主营业务 …: the header of a list of records, whose rows below are records,
    not the values of a form."""
    first = next((c.text for c in cells if c.text.strip()), "")
    return compact(first) in ("序号", "编号")


def _row_of_labels(cells: list[Cell], fields: dict[str, list[str]]) -> bool:
    """A row whose filled cells are all labels: the values stand in the row below."""
    filled = [c for c in cells if c.text.strip()]
    return len(filled) >= 2 and all(match_label(c.text, fields) is not None for c in filled)


_LABEL_LIKE = re.compile(r"^[\u4e00-\u9fff（）()]{2,10}[:：]$")
_LABEL_FIRST = re.compile(r"^([\u4e00-\u9fff（）()]{2,10})[:：]")
# what the labels of a form end with: a cell "联系电话：…" is a label and its value, while
# "磷石膏：煅烧改性生产…" is a value that happens to hold a colon
_LABEL_ENDINGS = ("人", "电话", "号码", "手机", "传真", "地址", "邮箱", "信箱", "时间", "日期", "代码", "名称", "方式", "面积",
                  "总数", "人数", "资金", "资本", "性质", "规模", "职务", "网址", "邮编")


@lru_cache(maxsize=1)
def _known_labels() -> frozenset[str]:
    """Every label some form reads (its fields' names, the synonyms), in canonical form; short
    ones ("单位", "利润") are left out, they may well be a value or a column header."""
    from extractor.forms.spec import FORM_IDS, load_spec

    out = set(_synonyms().values())
    for form_id in FORM_IDS:
        for f in load_spec(form_id).fields.values():
            out.update(canonical_label(n) for n in f.names)
    return frozenset(n for n in out if len(n) >= 4)


def is_known_label(text: str | None) -> bool:
    """'所属行业' beside '企业名称' in a row of labels: a label of the form, never the value of
    the label before it, even when the caller is not reading that field."""
    t = canonical_label(text)
    return bool(t) and t in _known_labels()


def _is_other_label(text: str) -> bool:
    """'传真：' or '联系电话：0731-…' — a cell that starts with a label of its own, so it is not
    the value of the label to its left."""
    m = _LABEL_FIRST.match(compact(text))
    return bool(m) and canonical_label(m.group(1)).endswith(_LABEL_ENDINGS)


# a date standing apart after a value: the next line of a form (the date under 联系电话 on a
# cover), which a scan's row of far-apart pieces joins to it with a blank
_DATE_RUNS_ON = re.compile(r"(?<=\S)\s+(?=\d{4}\s*(?:年\s*\d{1,2}\s*月|[-./]\d{1,2}[-./]\d{1,2}))")
_SPACED = re.compile(r"^\s*(\S[^\s:：]{1,15}?)(?:[ \t\u3000\u00a0]{1,}|[:：]\s*)(\S.*)$")


def inline_pairs(text: str, fields: dict[str, list[str]]) -> list[tuple[str, str]]:
    """'联系人：张三  联系电话：0731-1234567' -> [(contact, 张三), (phone, 0731-1234567)];
    '申请时间 2026年5月18日' -> [(apply_date, 2026年5月18日)]."""
    raw = text or ""
    t = compact(raw)
    if "：" not in raw and ":" not in t:
        m = _SPACED.match(raw.strip().split("\n")[0])
        if m and match_label(m.group(1), fields) is not None and not match_label(m.group(2), fields):
            return [(match_label(m.group(1), fields), m.group(2).strip().strip("_＿ "))]
        return []
    index = _label_index(fields)
    names = sorted(((fid, n) for fid, n in index), key=lambda p: -len(p[1]))
    spans: list[tuple[int, int, str]] = []
    for fid, name in names:
        for m in re.finditer(_label_pattern(name), t):
            if any(s <= m.start() < e for s, e, _ in spans):
                continue
            spans.append((m.start(), m.end(), fid))
    spans.sort()
    out = []
    written = _written_positions(raw, t)
    for k, (s, e, fid) in enumerate(spans):
        if k == 0 and s > 0 and t[s - 1] not in ":：;；,，。、)）]":
            continue  # "推荐单位(盖章)：" is not the label "单位(盖章)": a form line starts with its label
        end = spans[k + 1][0] if k + 1 < len(spans) else len(t)
        value = t[e:end].strip("_＿ ;；,，。")
        if written is not None and end > e:
            # the value as written (a full-width "＠" in an e-mail is the submitter's, not ours)
            written_value = _DATE_RUNS_ON.split(raw[written[e]:written[end - 1] + 1], maxsplit=1)[0]
            value = re.sub(r"\s+", "", written_value).strip("_＿ ;；,，。\u3000")
        value = _unbalanced_bracket_removed(value)
        if _LABEL_LIKE.match(value + "：") and len(value) <= 8 and match_label(value, fields) is None and value.endswith(("人", "话", "箱", "址")):
            value = ""  # "联系人：联系电话：…" — the next text is another label, not a value
        out.append((fid, value))
    return out


def _written_positions(raw: str, t: str) -> list[int] | None:
    """For each character of compact(raw), the position of the character of `raw` it comes
    from; None when NFKC does not map character by character."""
    pos: list[int] = []
    for i, ch in enumerate(raw):
        for _ in _WS.sub("", unicodedata.normalize("NFKC", ch)):
            pos.append(i)
    return pos if len(pos) == len(t) else None


def _unbalanced_bracket_removed(value: str) -> str:
    """'027-87251636）' from '（联系人：周文斌，电话：027-87251636）': the bracket closes the line's
    aside, it is not part of the value."""
    opens = lambda v: v.count("(") + v.count("（")
    closes = lambda v: v.count(")") + v.count("）")
    while value and value[-1] in ")）" and closes(value) > opens(value):
        value = value[:-1].rstrip()
    while value and value[0] in "(（" and opens(value) > closes(value):
        value = value[1:].lstrip()
    return value


@lru_cache(maxsize=4096)
def _label_pattern(name: str) -> re.Pattern:
    """A canonical label as written in running text: with an optional bracketed qualifier and
    its colon; the synonyms it stands for are written as they are."""
    variants = [v for v, c in _synonyms().items() if c == name] or [name.lower()]
    alts = "|".join(sorted({re.escape(v) for v in variants} | {re.escape(name)}, key=len, reverse=True))
    return re.compile(rf"(?i)(?:{alts})[*＊]?(?:\([^()]{{0,8}}\))?[*＊]?[:：]")


def _line_label_values(b: Block, fields: dict[str, list[str]]) -> list[LabelHit]:
    # "联系人：" with nothing after the colon is a blank the form left to fill in
    return [LabelHit(fid, None, v, b.loc, empty_cell=not v) for fid, v in inline_pairs(b.text, fields)]


def blank_value(text: str | None) -> bool:
    return is_blank(text)
