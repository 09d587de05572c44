"""Waste types and recycled resources: canonical names and 第七条 categories (corpus data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from extractor.forms.spec import load_yaml
from extractor.forms.text import compact, strip_numbering

_NOISE = re.compile(r"^(?:种类\d*|其中|固废\d*|资源\d*|\d+)[:：、.]?|(?:综合)?利用量$|[:：]$")


@dataclass(frozen=True)
class WasteType:
    name: str  # canonical
    category: str


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, WasteType], int]:
    data = load_yaml("waste_types.yaml")
    index: dict[str, WasteType] = {}
    for t in data["types"]:
        wt = WasteType(t["name"], t["category"])
        for syn in [t["name"], *t.get("synonyms", [])]:
            index[compact(syn)] = wt
    return index, int(data.get("fuzzy_cutoff", 85))


def clean_waste_name(text: str) -> str:
    """'种类1：粉煤灰利用量' -> '粉煤灰'; '其中：脱硫石膏' -> '脱硫石膏'."""
    t = strip_numbering(compact(text))  # "（1）粉煤灰", "1.粉煤灰"
    for _ in range(3):
        t2 = _NOISE.sub("", t)
        if t2 == t:
            break
        t = t2
    return t.strip("：:、")


def classify_waste(text: str) -> WasteType | None:
    """Exact synonym, then the longest synonym contained in the name, then fuzzy."""
    index, cutoff = _table()
    t = clean_waste_name(text)
    if not t:
        return None
    if t in index:
        return index[t]
    contained = [s for s in index if len(s) >= 2 and s in t]
    if contained:
        return index[max(contained, key=len)]
    m = process.extractOne(t, list(index), scorer=fuzz.ratio, score_cutoff=cutoff)
    return index[m[0]] if m else None


def known_waste_names() -> list[str]:
    """All synonyms, longest first (for finding waste names in running text)."""
    index, _ = _table()
    return sorted(index, key=len, reverse=True)
