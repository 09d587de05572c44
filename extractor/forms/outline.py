"""Which outline sections a report contains: headings matched to the seed's outline.

Real reports rename sections ("一、公司概况", "第四章 工艺技术与装备"), number them every way
(一、 / 1 / 1.1 / 第一章 / （1）) and fold two items under one heading ("三、业绩及服务规划").
A heading is scored against each outline item (and its aliases) two ways, after the synonyms of
corpus/outline_terms.yaml have been applied to both:
- the title's words (jieba) that the heading contains, weighted (情况、企业… count little), so
  "一般工业固体废物产生及利用情况" covers 固体废物综合利用情况;
- rapidfuzz on the whole title (plain ratio, and containment: a heading that starts with the title
  or holds it whole).
Headings are then aligned with the outline in order (a dynamic programme over document order), so
a heading is only taken for an item where the report's order allows it; one heading may cover two
consecutive items.  An item is found at `FOUND` or above; between `POSSIBLE` and `FOUND` the best
heading in order is kept as a possible match, which the checker reports as a warning to verify.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.forms.base import SectionHit
from extractor.forms.spec import FormSpec, SectionSpec, load_yaml
from extractor.forms.text import compact, title_part, title_score
from extractor.model import Block, Document, Location

FOUND = 80.0
POSSIBLE = 60.0
CUTOFF = FOUND  # kept for callers that score single headings
_SENTENCE_END = re.compile(r"[。；;]$")
# a table-of-contents line: dot leaders or a tab before a page number
_TOC_LINE = re.compile(r"(?:[.·．_\-—]{3,}|…+|\t)\s*\d{1,3}\s*$")
_MAX_CANDIDATE = 30


@lru_cache(maxsize=1)
def _terms() -> tuple[list[tuple[str, str]], dict[str, float]]:
    data = load_yaml("outline_terms.yaml")
    syn = sorted(((compact(k), compact(v)) for k, v in (data.get("synonyms") or {}).items()), key=lambda kv: -len(kv[0]))
    weights = {compact(w): 0.25 for w in data.get("generic") or []}
    weights.update({compact(w): 0.0 for w in data.get("stop") or []})
    return syn, weights


@lru_cache(maxsize=1 << 15)
def canonical(text: str) -> str:
    """A heading's or title's title part with the synonyms applied ("公司简介" -> "企业概况")."""
    t = title_part(text)
    syn, _ = _terms()
    out, i = [], 0
    while i < len(t):
        for k, v in syn:
            if t.startswith(k, i):
                out.append(v)
                i += len(k)
                break
        else:
            out.append(t[i])
            i += 1
    return "".join(out)


@lru_cache(maxsize=1 << 15)
def term_coverage(heading: str, title: str) -> float:
    """0–100: the weighted share of the title's words that the heading contains."""
    from extractor.forms.segment import sub_words, words

    h, t = canonical(heading), canonical(title)
    if not h or not t:
        return 0.0
    _, weights = _terms()
    total = covered = 0.0
    key_hit = False
    for w in words(t):
        weight = weights.get(w, 1.0)
        if weight == 0:
            continue
        total += weight
        if w in h:
            covered += weight
            key_hit = key_hit or weight == 1.0
            continue
        parts = sub_words(w)
        if parts:
            share = sum(1 for p in parts if p in h) / len(parts)
            if share:
                covered += 0.8 * share * weight
                key_hit = key_hit or weight == 1.0
    if total == 0 or not key_hit:
        return 0.0
    return 100.0 * covered / total


def section_score(spec: SectionSpec, text: str) -> float:
    """How well a heading (or title-like line) names an outline item, 0–100."""
    names = [spec.title, *spec.aliases]
    h = canonical(text)
    if not h:
        return 0.0
    best = title_score(h, [canonical(n) for n in names])
    best = max(best, title_score(text, [spec.title]), 0.97 * title_score(text, spec.aliases) if spec.aliases else 0.0)
    for n in names:
        best = max(best, term_coverage(text, n) * (1.0 if n == spec.title else 0.97))
    return best


def _is_toc_line(b: Block) -> bool:
    return bool(_TOC_LINE.search(b.text or ""))


def heading_candidates(doc: Document) -> list[tuple[int, Block]]:
    """Headings, numbered paragraphs and short title-like lines (a PDF loses Word's styles);
    table-of-contents lines are not the outline itself."""
    out = []
    for i, b in enumerate(doc.blocks):
        if b.kind not in ("heading", "paragraph") or not b.text or _is_toc_line(b):
            continue
        if b.kind == "heading":
            out.append((i, b))
            continue
        t = compact(b.text)
        if b.numbering or (len(t) <= _MAX_CANDIDATE and not _SENTENCE_END.search(t)):
            out.append((i, b))
    return out


def _top_level(cands: list[tuple[int, Block]]) -> int | None:
    """The level the report gives its top sections: the shallowest level among its headings."""
    levels = [b.level for _, b in cands if b.level is not None]
    return min(levels) if levels else None


def _align(items: list[SectionSpec], cands: list[tuple[int, Block]], top: bool) -> dict[int, tuple[int, float]]:
    """item position -> (candidate position, score): the in-order assignment with the highest
    total score; a candidate may serve two consecutive items (one heading for both)."""
    n, m = len(items), len(cands)
    if not n or not m:
        return {}
    top_level = _top_level(cands)
    scores = [[0.0] * m for _ in range(n)]
    for i, s in enumerate(items):
        for j, (_, b) in enumerate(cands):
            sc = section_score(s, b.text)
            if sc < POSSIBLE:
                continue
            if top_level is not None and b.level is not None:
                # a sub-heading ("（一）…") is a weaker claim to a top-level item, and vice versa
                sc += 3.0 if (b.level == top_level) == top else -3.0
            if b.kind == "heading":
                sc += 0.5
            scores[i][j] = sc
    # best[i][j]: best total for items[:i] using candidates[:j]; back pointers for the path
    NEG = -1.0
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[str, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(0, m + 1):
            # item i-1 unmatched
            cand = (best[i - 1][j], ("skip", j))
            if j > 0:
                # candidate j-1 not used by items[:i]
                if best[i][j - 1] > cand[0]:
                    cand = (best[i][j - 1], ("drop", j - 1))
                sc = scores[i - 1][j - 1]
                if sc > 0:
                    v = best[i - 1][j - 1] + sc
                    if v > cand[0]:
                        cand = (v, ("take", j - 1))
                    # the same heading as the previous item: "三、业绩及服务规划"
                    if i >= 2 and back[i - 1][j] is not None and back[i - 1][j][0] in ("take", "share") and sc >= FOUND \
                            and scores[i - 2][j - 1] >= FOUND:
                        v = best[i - 1][j] + sc
                        if v > cand[0]:
                            cand = (v, ("share", j - 1))
            best[i][j], back[i][j] = cand if cand[0] > NEG else (0.0, None)
    out: dict[int, tuple[int, float]] = {}
    i, j = n, m
    while i > 0:
        step = back[i][j]
        if step is None:
            i -= 1
            continue
        kind, k = step
        if kind == "skip":
            i -= 1
        elif kind == "drop":
            j = k
        elif kind == "take":
            out[i - 1] = (k, scores[i - 1][k])
            i, j = i - 1, k
        else:  # share: the previous item keeps candidate k as well
            out[i - 1] = (k, scores[i - 1][k])
            i, j = i - 1, k + 1
    return out


def _possible_by_position(items: list[SectionSpec], cands: list[tuple[int, Block]], hits: dict[str, SectionHit]) -> None:
    """An item no heading names, with a top-level heading of its own standing just where the
    outline puts it (between the headings of its neighbours), may be that heading under
    another name: keep it as a possible match rather than call the item missing."""
    top_level = _top_level(cands)
    if top_level is None:
        return
    taken: set[int] = set()
    matched: dict[str, int] = {}
    for s in items:
        h = hits.get(s.id)
        if h is not None and h.loc is not None:
            pos = next((i for i, b in cands if b.loc == h.loc), None)
            if pos is not None:
                matched[s.id] = pos
                taken.add(pos)
    for k, s in enumerate(items):
        if s.id in hits:
            continue
        before = max((matched[x.id] for x in items[:k] if x.id in matched), default=-1)
        after = min((matched[x.id] for x in items[k + 1:] if x.id in matched), default=None)
        if after is None:
            continue  # after the last matched heading: appendices, signatures, anything
        between = [(i, b) for i, b in cands if before < i < after and i not in taken and b.level == top_level]
        if len(between) == 1:
            i, b = between[0]
            hits[s.id] = _hit(s, b, min(section_score(s, b.text), POSSIBLE - 0.1))


def _keep(hits: dict[str, SectionHit], h: SectionHit) -> SectionHit:
    """Record `h` unless an earlier document gave its item a better hit; return `h`."""
    cur = hits.get(h.id)
    if cur is None or (h.found and not cur.found) or (h.score or 0) > (cur.score or 0):
        hits[h.id] = h
    return h


def _hit(s: SectionSpec, b: Block, score: float) -> SectionHit:
    found = score >= FOUND
    return SectionHit(id=s.id, title=s.title, required=s.required, found=found, heading=b.text[:80],
                      score=round(min(score, 100.0), 1), loc=b.loc, possible=not found)


def match_outline(docs: list[Document], spec: FormSpec) -> tuple[list[SectionHit], dict[str, tuple[Document, int, int]]]:
    """SectionHits in the spec's order, and each found section's span (document, first block
    index, end block index) for locating what lies inside it (e.g. the flow chart in 四)."""
    hits: dict[str, SectionHit] = {}
    spans: dict[str, tuple[Document, int, int]] = {}
    tops = [s for s in spec.outline if s.parent is None]
    subs = [s for s in spec.outline if s.parent is not None]
    for doc in docs:
        cands = heading_candidates(doc)
        todo = [s for s in tops if not (s.id in hits and hits[s.id].found)]
        found_top: list[tuple[int, str]] = []
        for pos, (k, sc) in _align(todo, cands, top=True).items():
            i, b = cands[k]
            if _keep(hits, _hit(todo[pos], b, sc)).found:
                found_top.append((i, todo[pos].id))
        _possible_by_position(todo, cands, hits)
        found_top.sort()
        for k, (i, sid) in enumerate(found_top):
            end = next((j for j, _ in found_top[k + 1:] if j > i), len(doc.blocks))
            spans[sid] = (doc, i, end)
        by_parent: dict[str | None, list[SectionSpec]] = {}
        for s in subs:
            if not (s.id in hits and hits[s.id].found):
                by_parent.setdefault(s.parent, []).append(s)
        for parent, items in by_parent.items():
            lo, hi = 0, len(doc.blocks)
            if parent in spans and spans[parent][0] is doc:
                _, lo, hi = spans[parent]
            within = [(i, b) for i, b in cands if lo <= i < hi]
            for pos, (k, sc) in _align(items, within, top=False).items():
                _keep(hits, _hit(items[pos], within[k][1], sc))
    out = []
    # an item no heading names is missing from the report: the finding points at the report
    where = Location(file=docs[0].path) if docs else None
    for s in spec.outline:
        out.append(hits.get(s.id) or SectionHit(id=s.id, title=s.title, required=s.required, loc=where))
    for h in out:
        spec_item = spec.section(h.id)
        if spec_item is not None and spec_item.severity:
            h.severity, h.note = spec_item.severity, spec_item.note
    return out, spans


def outline_count(doc: Document, spec: FormSpec) -> int:
    """How many top-level sections of the spec a document has (role detection)."""
    hits, _ = match_outline([doc], spec)
    return sum(1 for h in hits if h.found and "." not in h.id)


def structure_read(outline: list[SectionHit]) -> bool:
    """Whether the report's headings were read well enough for a missing section to be
    certain: at least half of the top-level items were found."""
    tops = [h for h in outline if "." not in h.id]
    return bool(tops) and sum(1 for h in tops if h.found) * 2 >= len(tops)
