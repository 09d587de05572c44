"""Which outline sections a report contains, matched fuzzily on its headings."""

from __future__ import annotations

import re

from extractor.forms.base import SectionHit
from extractor.forms.spec import FormSpec, SectionSpec
from extractor.forms.text import compact, title_score
from extractor.model import Block, Document

CUTOFF = 80.0
_SENTENCE_END = re.compile(r"[。；;]$")


def heading_candidates(doc: Document) -> list[tuple[int, Block]]:
    """Headings, numbered paragraphs and short title-like lines (a PDF loses Word's styles)."""
    out = []
    for i, b in enumerate(doc.blocks):
        if b.kind == "heading":
            out.append((i, b))
        elif b.kind == "paragraph" and b.text:
            t = compact(b.text)
            if b.numbering or (len(t) <= 30 and not _SENTENCE_END.search(t)):
                out.append((i, b))
    return out


def _level(b: Block) -> int | None:
    return b.level


def _score(spec: SectionSpec, b: Block) -> float:
    return max(title_score(b.text, [spec.title]), 0.97 * title_score(b.text, spec.aliases) if spec.aliases else 0.0)


def _pick(spec: SectionSpec, cands: list[tuple[int, Block]], used: set[int], top: bool):
    best, best_rank = None, None
    for i, b in cands:
        if i in used:
            continue
        sc = _score(spec, b)
        if sc < CUTOFF:
            continue
        lvl = _level(b)
        bonus = 0.0
        if lvl is not None:
            bonus = 3.0 if (lvl == 1) == top else -3.0
        rank = (sc + bonus, b.kind == "heading", i)
        if best_rank is None or rank > best_rank:
            best, best_rank = (i, b, sc), rank
    return best


def match_outline(docs: list[Document], spec: FormSpec) -> tuple[list[SectionHit], dict[str, tuple[Document, int, int]]]:
    """SectionHits in the spec's order, and each found section's span (document, first block
    index, end block index) for locating what lies inside it (e.g. the flow chart in 四)."""
    hits: dict[str, SectionHit] = {}
    spans: dict[str, tuple[Document, int, int]] = {}
    tops = [s for s in spec.outline if s.parent is None]
    subs = [s for s in spec.outline if s.parent is not None]
    for doc in docs:
        cands = heading_candidates(doc)
        used: set[int] = set()
        found_top: list[tuple[int, str]] = []
        for s in tops:
            if s.id in hits and hits[s.id].found:
                continue
            p = _pick(s, cands, used, top=True)
            if p:
                i, b, sc = p
                used.add(i)
                hits[s.id] = SectionHit(id=s.id, title=s.title, required=s.required, found=True,
                                        heading=b.text[:80], score=round(sc, 1), loc=b.loc)
                found_top.append((i, s.id))
        found_top.sort()
        for k, (i, sid) in enumerate(found_top):
            end = found_top[k + 1][0] if k + 1 < len(found_top) else len(doc.blocks)
            spans[sid] = (doc, i, end)
        for s in subs:
            if s.id in hits and hits[s.id].found:
                continue
            lo, hi = 0, len(doc.blocks)
            if s.parent in spans and spans[s.parent][0] is doc:
                _, lo, hi = spans[s.parent]
            p = _pick(s, [(i, b) for i, b in cands if lo <= i < hi], used, top=False)
            if p:
                i, b, sc = p
                used.add(i)
                hits[s.id] = SectionHit(id=s.id, title=s.title, required=s.required, found=True,
                                        heading=b.text[:80], score=round(sc, 1), loc=b.loc)
    out = []
    for s in spec.outline:
        out.append(hits.get(s.id) or SectionHit(id=s.id, title=s.title, required=s.required))
    return out, spans


def outline_count(doc: Document, spec: FormSpec) -> int:
    """How many top-level sections of the spec a document has (role detection)."""
    hits, _ = match_outline([doc], spec)
    return sum(1 for h in hits if h.found and "." not in h.id)
