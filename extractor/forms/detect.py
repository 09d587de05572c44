"""Which kind of submission a package is, and which part each file plays — from content.

File names are only a hint for files without text (scans, photos), whose role comes from
their name until OCR arrives.
"""

from __future__ import annotations

from extractor.forms.outline import outline_count
from extractor.forms.spec import FORM_IDS, FormSpec, load_spec
from extractor.forms.text import compact
from extractor.model import Document

MIN_FORM_SCORE = 5.0


def doc_text(doc: Document) -> str:
    return compact(doc.full_text())


def form_scores(docs: list[Document]) -> dict[str, float]:
    texts = [doc_text(d) for d in docs if not d.error]
    scores = {}
    for fid in FORM_IDS:
        spec = load_spec(fid)
        scores[fid] = sum(w for t in texts for phrase, w in spec.detect.items() if compact(phrase) in t)
    return scores


def detect_form(docs: list[Document], hint: str | None = None) -> tuple[str, float]:
    scores = form_scores(docs)
    if hint and hint in scores:
        return hint, scores[hint]
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < MIN_FORM_SCORE:
        return "unknown", scores[best]
    return best, scores[best]


def assign_roles(docs: list[Document], spec: FormSpec) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {}
    for d in docs:
        rs: list[str] = []
        if d.error:
            roles[d.path] = ["unreadable"]
            continue
        text = doc_text(d)
        for rid, rspec in spec.roles.items():
            if rspec.signatures:
                score = sum(w for p, w in rspec.signatures.items() if compact(p) in text)
                if score >= rspec.min_score:
                    rs.append(rid)
            if rspec.min_outline and outline_count(d, spec) >= rspec.min_outline:
                rs.append(rid)
        name = compact(d.path.rsplit("/", 1)[-1])
        for a in spec.attachments:
            if any(compact(n).lower() in name.lower() for n in a.names):
                rs.append(a.id)
        if not rs:
            rs.append("attachment" if (d.type == "image" or not d.has_text_layer) else "other")
        roles[d.path] = list(dict.fromkeys(rs))
    return roles
