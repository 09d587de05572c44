"""Numbers as reviewers write them, normalised to a base unit with Decimal.

"12.5万吨" -> 125000 吨; "1,234.5" with header unit 万元 -> 12345000 元;
"８５.３％" -> 85.3 %; "十二万吨" -> 120000 吨.  The original text is kept.

Precision: a figure written to 0.1 万吨 is only known to ±0.05 万吨.  `Quantity.tolerance`
carries that half unit of the last written digit, in the base unit, and is the one place
tolerances come from (see `checkers.tolerance`).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, ConfigDict

from extractor.model import Location

# unit as written -> (base unit, multiplier).  Keys are matched after NFKC and lower-casing.
UNITS: dict[str, tuple[str, Decimal]] = {
    "亿吨": ("吨", Decimal("100000000")),
    "万吨": ("吨", Decimal("10000")),
    "千吨": ("吨", Decimal("1000")),
    "吨": ("吨", Decimal("1")),
    "t": ("吨", Decimal("1")),
    "万t": ("吨", Decimal("10000")),
    # annual amounts: a table headed 产生量（万吨/年） states a year's tonnage
    "亿吨/年": ("吨", Decimal("100000000")),
    "万吨/年": ("吨", Decimal("10000")),
    "吨/年": ("吨", Decimal("1")),
    "万t/a": ("吨", Decimal("10000")),
    "万t/年": ("吨", Decimal("10000")),
    "t/a": ("吨", Decimal("1")),
    "t/年": ("吨", Decimal("1")),
    "公斤": ("吨", Decimal("0.001")),
    "千克": ("吨", Decimal("0.001")),
    "kg": ("吨", Decimal("0.001")),
    "亿元": ("元", Decimal("100000000")),
    "万元": ("元", Decimal("10000")),
    "千元": ("元", Decimal("1000")),
    "元": ("元", Decimal("1")),
    "%": ("%", Decimal("1")),
    "个百分点": ("%", Decimal("1")),
    "百分点": ("%", Decimal("1")),
    "个": ("个", Decimal("1")),
    "项": ("个", Decimal("1")),
    "件": ("个", Decimal("1")),
    "人": ("人", Decimal("1")),
    "名": ("人", Decimal("1")),
    "万立方米": ("立方米", Decimal("10000")),
    "立方米": ("立方米", Decimal("1")),
    "m3": ("立方米", Decimal("1")),
    "万平方米": ("平方米", Decimal("10000")),
    "平方米": ("平方米", Decimal("1")),
    "m2": ("平方米", Decimal("1")),
    "万千瓦时": ("千瓦时", Decimal("10000")),
    "千瓦时": ("千瓦时", Decimal("1")),
    "kwh": ("千瓦时", Decimal("1")),
}
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))

# "10⁴t" and "×10^4 t" are 万t; NFKC would turn the superscript into a plain "104"
_POWER_OF_TEN = re.compile(r"(?:[×xX*]\s*)?10\s*(?:⁴|\^\s*4|\*\*\s*4)")
_POWER_OF_TEN_8 = re.compile(r"(?:[×xX*]\s*)?10\s*(?:⁸|\^\s*8|\*\*\s*8)")
# a figure stated approximately, not a precise restatement of a table's figure; what it still says:
# "超过12万吨" is at least 12, "不足12万吨" at most 12, "约12万吨" near 12
APPROX_WORDS: dict[str, tuple[str, ...]] = {
    "at_least": ("超过", "逾", "不少于", "不低于", "多于", "高于", "以上", "余", "多", "开外"),
    "at_most": ("不足", "不到", "不超过", "少于", "低于", "以下", "最高"),
    "about": ("约", "大约", "近", "将近", "接近", "约为", "达约", "左右", "上下", "上万"),
}
_APPROX_BEFORE = {k: re.compile(rf"(?:{'|'.join(sorted(ws, key=len, reverse=True))})\s*$") for k, ws in APPROX_WORDS.items()}
_APPROX_AFTER = {k: re.compile(rf"^\s*(?:{'|'.join(sorted(ws, key=len, reverse=True))})") for k, ws in APPROX_WORDS.items()}


def approximation(before: str, after: str) -> str | None:
    """'at_least', 'at_most' or 'about' when the words around a figure make it approximate."""
    for kind in ("at_least", "at_most", "about"):
        if _APPROX_BEFORE[kind].search(before) or _APPROX_AFTER[kind].match(after):
            return kind
    return None
_PER_YEAR_SUFFIX = re.compile(r"[/／](?:年|a)$")
_ACCOUNTING_NEGATIVE = re.compile(r"^\(\s*([\d,]+(?:\.\d+)?)\s*\)$")

# a dash written for "none"; OCR reads a lone — as 一, which is never a figure alone in a form's cell
_EMPTY = {"", "-", "--", "—", "——", "–", "−", "－", "/", "／", "一", "一一", "无", "空", "null", "none", "n/a", "na",
          "…", "……", "\\"}

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟点"
_NUM_RE = re.compile(
    r"(?P<sign>[-−+﹣－＋])?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
)
_CN_NUM_RE = re.compile(rf"[{_CN_DIGITS}]+")
_MULT_RE = re.compile(r"^\s*(亿|万)(?!吨|元|t|立方|平方|千瓦)")
_UNIT_AFTER_RE = re.compile(rf"^\s*(?:({_UNIT_ALT}))", re.IGNORECASE)
# "单位：万元", "（单位:吨）", "金额单位：万元"
_HEADER_UNIT_RE = re.compile(rf"单位\s*[:：]?\s*({_UNIT_ALT})", re.IGNORECASE)
# "产生量(吨)", "产值（万元）", "利用率/%"
_PAREN_UNIT_RE = re.compile(rf"[（(［\[/]\s*({_UNIT_ALT})\s*[)）］\]]?\s*$", re.IGNORECASE)


class Quantity(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: Decimal  # in the base unit
    unit: str  # base unit: 吨, 元, %, 个, 人 … or "" when none is known
    text: str  # the original text
    source_unit: str | None = None  # the unit as written or implied by a header, e.g. 万吨
    decimals: int = 0  # digits written after the decimal point
    scale: Decimal = Decimal(1)  # multiplier from source unit to base unit
    loc: Location | None = None
    approx: str | None = None  # at_least / at_most / about: written with 超过/不足/约…, not a precise statement

    @property
    def approximate(self) -> bool:
        return self.approx is not None

    @property
    def tolerance(self) -> Decimal:
        """Half a unit of the last written digit, in the base unit."""
        return Decimal(5).scaleb(-(self.decimals + 1)) * self.scale

    @property
    def in_source_unit(self) -> Decimal:
        return self.value / self.scale

    def display(self, unit: str | None = None) -> str:
        """Format in `unit` (default: the unit as written), e.g. '12.5 万吨'."""
        target = unit or self.source_unit or self.unit
        mult = UNITS.get(normalise_unit(target), (self.unit, Decimal(1)))[1] if target else Decimal(1)
        return f"{format_decimal(self.value / mult)} {target}".strip()

    def at(self, loc: Location | None) -> "Quantity":
        return self.model_copy(update={"loc": loc})


def format_decimal(d: Decimal, places: int | None = None) -> str:
    """Plain notation without exponent or trailing zeros, e.g. 12.50 -> '12.5'."""
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places))
        return f"{d:f}"
    s = f"{d.normalize():f}" if d == d.to_integral() else f"{d:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"


def normalise_text(s: str) -> str:
    """NFKC (full-width digits and letters to ASCII), unify minus signs, drop inner spaces."""
    s = _POWER_OF_TEN_8.sub("亿", _POWER_OF_TEN.sub("万", s or ""))
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("−", "-").replace("﹣", "-").replace("－", "-")
    return s.strip()


def normalise_unit(u: str) -> str:
    u = normalise_text(u).lower().replace(" ", "")
    u = u.replace("(", "").replace(")", "").replace("（", "").replace("）", "")
    return u


def unit_of(u: str | None) -> tuple[str, Decimal] | None:
    """Base unit and multiplier for a unit as written, None if unknown."""
    if not u:
        return None
    return UNITS.get(normalise_unit(u))


def unit_in_header(text: str) -> str | None:
    """The unit a header or caption states: '产生量(吨)' -> '吨', '单位：万元' -> '万元'."""
    t = normalise_text(text).replace(" ", "")
    m = _HEADER_UNIT_RE.search(t) or _PAREN_UNIT_RE.search(t)
    return m.group(1) if m else None


def is_blank(text: str | None) -> bool:
    return text is None or normalise_text(text).replace(" ", "").lower() in _EMPTY


def parse_quantity(
    text: str | None, default_unit: str | None = None, loc: Location | None = None
) -> Quantity | None:
    """Parse the first number in `text` with its unit.

    A unit written next to the number wins over `default_unit` (the header's).  Returns
    None for blank cells and for text holding no number.
    """
    if is_blank(text):
        return None
    raw = text or ""
    t = normalise_text(raw).replace(" ", "").replace("\u3000", "")
    t = t.replace("，", ",")
    accounting = _ACCOUNTING_NEGATIVE.match(t)
    if accounting:  # "(1,234)": a negative figure written the accountant's way
        t = "-" + accounting.group(1)
    if not any(ch.isdigit() for ch in t) or "百分之" in t or "负" in t:
        from extractor.numerals import arabic

        t = arabic(t)
    m = _NUM_RE.search(t)
    if m:
        num_txt = m.group("num").replace(",", "")
        decimals = len(num_txt.split(".")[1]) if "." in num_txt else 0
        try:
            value = Decimal(num_txt)
        except InvalidOperation:
            return None
        if m.group("sign") in ("-",):
            value = -value
        rest = t[m.end():]
        prefix = t[: m.start()]
        if re.search(r"(减少|下降|降低|减)\s*$", prefix) and value > 0:
            value = -value
    else:
        cm = _CN_NUM_RE.search(t)
        if not cm or not any(ch not in "万亿" for ch in cm.group(0)):
            return None
        try:
            # cn2an takes a trailing 万/亿 as a multiplier: "十二万吨" -> 120000, unit 吨
            import cn2an  # 0.15 s to import: only when a Chinese numeral is met

            value = Decimal(str(cn2an.cn2an(cm.group(0), "smart")))
        except (ValueError, KeyError, IndexError):
            return None
        decimals = 0
        rest = t[cm.end():]
        if re.search(r"(减少|下降|降低)\s*$", t[: cm.start()]):
            value = -value
    multiplier = ""
    mm = _MULT_RE.match(rest)
    if m and mm:  # a bare multiplier after the number: "1.5万" under a header "(吨)"
        multiplier = mm.group(1)
        rest = rest[mm.end():]
    um = _UNIT_AFTER_RE.match(rest)
    source_unit = um.group(1) if um else default_unit
    if multiplier:
        source_unit = multiplier + (source_unit or "")
    if source_unit:
        # "万吨/年" in a header states a year's tonnage: shown as 万吨, like the figures it heads
        source_unit = _PER_YEAR_SUFFIX.sub("", source_unit) or source_unit
    known = unit_of(source_unit)
    if known:
        base, scale = known
    elif multiplier:
        base = (source_unit or "")[len(multiplier):]
        scale = Decimal(10000) if multiplier == "万" else Decimal(100000000)
    else:
        base, scale = (source_unit or ""), Decimal(1)
    start = m.start() if m else cm.start()
    approx = approximation(t[:start], rest[um.end():] if um else rest)
    return Quantity(
        value=value * scale,
        unit=base,
        text=raw.strip(),
        source_unit=source_unit or None,
        decimals=decimals,
        scale=scale,
        loc=loc,
        approx=approx,
    )
