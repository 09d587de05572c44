"""Is a PDF page's text layer garbage?

A PDF can draw perfectly legible Chinese with fonts that say nothing of which characters their
glyphs are (no ToUnicode map, a subset with an identity encoding, a converter's private
mapping).  Its text layer then comes out as private-use characters (U+E000–F8FF), replacement
characters (U+FFFD), control characters, or runs of Latin-1 letters and symbols that are GBK
bytes taken one by one ("ÆóÒµÃû³Æ").  Such a page is read like a scan: by OCR.

`garbage_text(text)` judges the text extracted from one page: (True, reason) when it is
garbage, (False, None) otherwise.  The reason is Chinese, for the reviewer's warning.
"""

from __future__ import annotations

MIN_CHARS = 8  # fewer visible characters say too little (a page number, a stray mark)
UNMAPPED_SHARE = 0.10  # private-use + U+FFFD + control characters
ODD_SHARE = 0.35  # characters no Chinese document is made of
ODD_MIN_CHARS = 20  # … judged on at least this many characters
SYMBOL_SHARE = 0.50  # ASCII punctuation and symbols (glyph ids read as ASCII codes)

# dot leaders and rules of a table of contents or a form are punctuation a real page is full of
_LEADERS = set(".·…‥-_—–=~*～－＿．")
# punctuation and signs of Latin-1 that Chinese documents use; the rest of U+0080–00FF (accented
# letters above all) is what GBK bytes read as Latin-1 look like
_LATIN1_USED = set("°±×÷·§¥µ²³®©¹¼½¾")
# ranges (inclusive) of characters a Chinese document is made of, besides ASCII letters and digits
_PLAUSIBLE = (
    (0x0370, 0x03FF),  # Greek (α, μ, Ω)
    (0x2000, 0x206F),  # general punctuation (“” ‘’ — …)
    (0x2100, 0x218F),  # letterlike, number forms (℃, №, Ⅰ Ⅱ Ⅲ)
    (0x2190, 0x22FF),  # arrows, mathematical operators (≤ ≥ ≈ √ ∑)
    (0x2460, 0x24FF),  # enclosed alphanumerics (① ⑴ ⒈)
    (0x2500, 0x27BF),  # box drawing, shapes, symbols, dingbats (□ ■ ○ ● ★ ✓)
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。《》【】)
    (0x3040, 0x30FF),  # kana (a name, a product)
    (0x3100, 0x312F),  # bopomofo
    (0x3200, 0x33FF),  # enclosed CJK, CJK compatibility (㈠ ㎡ ㎏)
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full- and half-width forms (，：（）％)
    (0x20000, 0x2FA1F),  # CJK extensions B–F, compatibility supplement
)


def _private(cp: int) -> bool:
    return 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000


def _control(ch: str, cp: int) -> bool:
    return (cp < 0x20 and ch not in "\t\n\r\f\v") or 0x7F <= cp <= 0x9F


def _plausible(ch: str, cp: int) -> bool:
    if cp < 0x80:
        return True  # ASCII: letters, digits, punctuation (counted apart)
    if cp <= 0xFF:
        return ch in _LATIN1_USED
    return any(lo <= cp <= hi for lo, hi in _PLAUSIBLE)


def garbage_text(text: str) -> tuple[bool, str | None]:
    """(True, reason) when the text extracted from a page is garbage, else (False, None)."""
    visible = [ch for ch in text or "" if not ch.isspace()]
    n = len(visible)
    if n == 0:
        return False, None
    private = replacement = control = odd = symbols = 0
    for ch in visible:
        cp = ord(ch)
        if _private(cp):
            private += 1
        elif cp == 0xFFFD:
            replacement += 1
        elif _control(ch, cp):
            control += 1
        elif not _plausible(ch, cp):
            odd += 1
        elif cp < 0x80 and not ch.isalnum() and ch not in _LEADERS:
            symbols += 1
    unmapped = private + replacement + control
    if n >= MIN_CHARS or unmapped == n:
        if unmapped >= UNMAPPED_SHARE * n:
            parts = []
            if private:
                parts.append(f"私用区字符 {private} 个")
            if replacement:
                parts.append(f"替换字符 U+FFFD {replacement} 个")
            if control:
                parts.append(f"控制字符 {control} 个")
            return True, f"文字层含{'、'.join(parts)}（共 {n} 个字符），字体缺少字符映射"
    if n >= ODD_MIN_CHARS:
        if odd >= ODD_SHARE * n:
            return True, f"文字层 {n} 个字符中有 {odd} 个不是中文文档所用字符（疑为字体编码错乱）"
        if symbols >= SYMBOL_SHARE * n:
            return True, f"文字层 {n} 个字符中有 {symbols} 个为符号（疑为字形编号而非文字）"
    return False, None
