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


_QUALIFIER = re.compile(r"[(（][^()（）]*[)）]")


def base_waste_name(text: str) -> str:
    """The name without numbering, list words or a bracketed qualifier: '1.粉煤灰（干灰）' -> '粉煤灰'."""
    t = clean_waste_name(text)
    return _QUALIFIER.sub("", t).strip() or t


def align_names(reference: list[str], names: list[str]) -> dict[str, str]:
    """Each of `names` (one table's waste names) mapped to the name of `reference` (another
    table's) that means the same waste: equal once cleaned, one holding the other
    ("燃煤粉煤灰" / "粉煤灰"), or the same canonical type where that type is unique in both tables.
    A name with no such single counterpart keeps its own cleaned name: two figures are compared
    only when the names certainly mean the same waste."""
    ref_base = {r: base_waste_name(r) for r in reference}
    ref_type = {r: classify_waste(r) for r in reference}
    own_type = {n: classify_waste(n) for n in names}

    def unique_type(wt, types) -> bool:
        return wt is not None and sum(1 for t in types if t is not None and t.name == wt.name) == 1

    out: dict[str, str] = {}
    for n in names:
        b = base_waste_name(n)
        exact = [r for r, rb in ref_base.items() if rb == b]
        if len(exact) == 1:
            out[n] = exact[0]
            continue
        held = [r for r, rb in ref_base.items() if len(rb) >= 2 and len(b) >= 2 and (rb in b or b in rb)]
        if len(held) == 1 and sum(1 for m in names if len(base_waste_name(m)) >= 2
                                  and (ref_base[held[0]] in base_waste_name(m) or base_waste_name(m) in ref_base[held[0]])) == 1:
            out[n] = held[0]
            continue
        wt = own_type[n]
        same = [r for r, rt in ref_type.items() if rt is not None and wt is not None and rt.name == wt.name]
        if len(same) == 1 and unique_type(wt, own_type.values()) and unique_type(wt, ref_type.values()):
            out[n] = same[0]
            continue
        out[n] = b
    return out


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
