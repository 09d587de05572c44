"""营业执照 (business licences) found anywhere in a package: a licence file, a photo, a scan, a
page of a merged PDF, as read by any reader (OCR included).

A page is a licence when it says 营业执照 and shows at least `min_labels` of the licence's
labels (corpus/licence.yaml).  The licence's text is split at its labels, wherever they stand
(start of a line, or after white space: a licence prints two columns, so one recognised row may
hold 名称 … and 注册资本 …), and each label's value is the text up to the next label.  Labels
are printed with letter spacing (名　　称) and matched with any white space between their
characters.

One-line fields (名称, 统一社会信用代码, 类型, 法定代表人, 注册资本, 成立日期, 营业期限, 登记机关)
keep the first line of their value; 住所 and 经营范围 run over lines.  On a two-column licence
the continuation lines of 经营范围 can interleave with 住所 in reading order: those two are
shown to the reviewer, never compared.

Each field keeps where it was read and, for OCR, the lowest confidence of the text it came from,
so that a rule can tell a certain reading from an uncertain one.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from extractor.dates import parse_date
from extractor.model import Block, Document, Location

SPEC_PATH = Path(__file__).resolve().parents[2] / "corpus" / "licence.yaml"
_SPACE = r"[\s\u3000]*"
_CODE = re.compile(r"[0-9A-Z]{18}|[0-9]{15}")  # a credit code, or an old 注册号
_TRIM = " \t\u3000:：;；,，。"
_AUTHORITY = re.compile(r"[\u4e00-\u9fff]{2,}(?:局|委员会|厅|所|分局)")
ONE_LINE = {"credit_code", "name", "type", "legal_rep", "capital", "paid_capital", "established", "term", "authority"}


class LicenceField(BaseModel):
    name: str  # credit_code, name, legal_rep …
    title: str  # Chinese, as the licence names it
    text: str
    loc: Location
    confidence: float | None = None  # OCR's, lowest over the text read; None: the file's own text


class Licence(BaseModel):
    file: str
    page: int | None = None
    fields: dict[str, LicenceField] = Field(default_factory=dict)

    def value(self, name: str) -> str | None:
        f = self.fields.get(name)
        return f.text if f else None

    @property
    def established(self) -> date | None:
        return parse_date(self.value("established"))

    @property
    def credit_code(self) -> str | None:
        text = self.value("credit_code")
        if not text:
            return None
        m = _CODE.search(re.sub(r"\s", "", text).upper())
        return m.group(0) if m else None


@lru_cache(maxsize=1)
def _spec() -> dict:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern[str]:
    labels = sorted(
        ((label, name) for name, f in _spec()["fields"].items() for label in f["labels"]),
        key=lambda x: -len(x[0]),
    )
    alternatives = "|".join(f"(?P<{name}_{i}>{_SPACE.join(map(re.escape, label))})" for i, (label, name) in enumerate(labels))
    # a label starts a line or follows white space; it never sits inside a word (产品名称)
    return re.compile(rf"(?:^|(?<=[\s\u3000]))(?:{alternatives})", re.M)


def _page_groups(doc: Document) -> list[tuple[int | None, list[Block]]]:
    """The file's text page by page; in a file without pages (Word), each picture's recognised
    text (extractor/readers/docx_pictures.py) is a page of its own, apart from the typed text."""
    pages: dict[tuple[int | None, int], list[Block]] = {}
    run, recognised = 0, False
    for b in doc.blocks:
        if b.loc.page is None and b.kind != "image" and (b.confidence is not None) != recognised:
            run, recognised = run + 1, b.confidence is not None
        if b.kind == "image" and b.loc.page is None:
            run, recognised = run + 1, False
        key = (b.loc.page, run if b.loc.page is None else 0)
        if b.kind in ("heading", "paragraph") and b.text.strip():
            pages.setdefault(key, []).append(b)
        elif b.kind == "table" and b.table is not None:
            # a licence typed into a table: each row one line
            for r in b.table.rows:
                texts = [c.text for c in r if c.text]
                # a merged cell repeats its text in every grid position it covers
                line = " ".join(t for k, t in enumerate(texts) if k == 0 or t != texts[k - 1])
                if line:
                    conf = min((c.confidence for c in r if c.confidence is not None), default=None)
                    pages.setdefault(key, []).append(Block(kind="paragraph", text=line, loc=b.loc, confidence=conf))
    return [(page, blocks) for (page, _run), blocks in pages.items()]


def find_licences(docs: list[Document]) -> list[Licence]:
    """Every licence page in the documents, with its fields."""
    spec = _spec()
    out = []
    for doc in docs:
        if doc.error:
            continue
        for page, blocks in _page_groups(doc):
            if not _is_licence_page(blocks, spec):
                continue
            licence = _read_licence(doc.path, page, blocks)
            if len(licence.fields) >= spec["min_labels"] and "name" in licence.fields:
                out.append(licence)
    return out


def _is_licence_page(blocks: list[Block], spec: dict) -> bool:
    """A page (a whole file without pages) that is a licence: a line of its own says 营业执照
    (营业执照（副本）), and the page is no longer than a licence is (a report that lists the
    licence among its attachments, or quotes its fields in a table, is not one).  On a scan
    the title, printed in red, is not read (OCR reads the red channel, extractor/ocr/engine.py):
    a scanned page that never names 营业执照 is one when it shows the licence's own labels
    (`untitled_labels`, 统一社会信用代码 and 成立日期 among them)."""
    size = sum(len(b.text) for b in blocks)
    if size > spec["max_chars"]:
        return False
    named = False
    for b in blocks:
        line = re.sub(r"[\s\u3000]", "", b.text)
        if any(line.startswith(w) and len(line) <= len(w) + 6 for w in spec["title_words"]):
            return True
        named = named or any(w in line for w in spec["title_words"])
    if named or not any(b.confidence is not None for b in blocks):
        return False  # a page about the licence (关于营业执照的说明), or typed text without its title
    text = "\n".join(b.text for b in blocks)
    labels = {m.lastgroup.rsplit("_", 1)[0] for m in _label_pattern().finditer(text)}
    return {"credit_code", "established"} <= labels and len(labels) >= spec["untitled_labels"]


def _read_licence(path: str, page: int | None, blocks: list[Block]) -> Licence:
    # one text, with each character's block, so a value knows where it was read
    text, owner = "", []
    for i, b in enumerate(blocks):
        if text:
            text += "\n"
            owner.append(i - 1)
        text += b.text
        owner.extend([i] * len(b.text))
    titles = {name: f["title"] for name, f in _spec()["fields"].items()}
    hits = [(m.start(), m.end(), m.lastgroup.rsplit("_", 1)[0]) for m in _label_pattern().finditer(text)]
    licence = Licence(file=path, page=page)
    for k, (start, end, name) in enumerate(hits):
        if name in licence.fields:
            continue  # the first reading of a label counts (a second 名称 is inside a value)
        stop = hits[k + 1][0] if k + 1 < len(hits) else len(text)
        raw = text[end:stop]
        if name in ONE_LINE:
            raw = raw.lstrip(_TRIM + "\n").split("\n", 1)[0]
        value = re.sub(r"\s*\n\s*", "", raw).strip(_TRIM)
        if name != "scope":
            value = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", value)
        if not value or (name == "authority" and not _AUTHORITY.search(value)):
            continue  # the 登记机关 is named inside its red seal: what follows the label is often only the date
        first = text.index(value[0], end) if value[0] in text[end:stop] else end
        used = sorted({owner[j] for j in range(min(first, len(owner) - 1), min(stop, len(owner)))})
        block = blocks[owner[min(first, len(owner) - 1)]]
        confidences = [blocks[j].confidence for j in used if blocks[j].confidence is not None]
        licence.fields[name] = LicenceField(
            name=name, title=titles[name], text=value, loc=block.loc,
            confidence=min(confidences) if confidences else None,
        )
    return licence
