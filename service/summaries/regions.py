"""Where a package is from, as its address or name writes it: its city (corpus/summaries.yaml
lists each province's city-level divisions and the short names addresses use) and its province."""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.forms.spec import load_yaml


@lru_cache(maxsize=1)
def _city_names() -> tuple[tuple[str, str], ...]:
    """(name as written, city) pairs, longest first: 襄阳市 and 襄阳 both mean 襄阳市."""
    data = load_yaml("summaries.yaml")
    pairs = []
    for cities in data["cities"].values():
        for c in cities:
            pairs.append((c, c))
            short = re.sub(r"(市|林区|土家族苗族自治州)$", "", c)
            if len(short) >= 2:
                pairs.append((short, c))
    pairs.extend(data.get("city_aliases", {}).items())
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def city_in(text: str) -> str | None:
    """The city a text names first: an address ("湖北省襄阳市襄州区…") or a name ("襄阳某某公司")."""
    text = re.sub(r"^(湖北省|湖南省|湖北|湖南)", "", text.strip())
    best: tuple[int, str] | None = None
    for written, city in _city_names():
        at = text.find(written)
        if at != -1 and (best is None or at < best[0]):
            best = (at, city)
    return best[1] if best is not None and best[0] <= 2 else None


# a province as an address begins: "湖南省…", a municipality "北京市…", a region "广西壮族自治区…";
# never "武汉市…" (a city, whose province is looked up instead)
_PROVINCE = re.compile(r"\s*(?:(北京|天津|上海|重庆)市?|(内蒙古|广西|西藏|宁夏|新疆)|([\u4e00-\u9fff]{2,3}?)省)")


def province_in(text: str | None) -> str | None:
    """The province an address begins with: 湖南 for "湖南省…", 北京 for "北京市…", 广西 for "广西壮族自治区…"."""
    m = _PROVINCE.match(text or "")
    return next(g for g in m.groups() if g) if m else None


def province_of_city(city: str | None) -> str | None:
    for province, cities in load_yaml("summaries.yaml")["cities"].items():
        if city in cities:
            return province
    return None
