"""Chinese numerals written in prose and tables, turned into Arabic digits before parsing.

"十二点五万吨" -> "12.5万吨", "百分之九十五点三" -> "95.3%", "二〇二五年三月" -> "2025年3月",
"负12.5%" -> "-12.5%".  Only a run of numerals that is followed by a unit, a date word or 百分点, or
preceded by 百分之, is converted: "一般", "统一", "十四五规划" and "第一章" stay as they are.
cn2an does the arithmetic of each run; its `transform` cannot take "十二点五万" (a decimal
before 万), so the 万/亿 multiplier is split off and left for the quantity parser.
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = "零〇一二两三四五六七八九"
_RUN = rf"[{_DIGITS}十百千万亿点壹贰叁肆伍陆柒捌玖拾佰仟]+"
# what may follow a numeral run for it to be a figure (units, dates, counts)
_AFTER = (r"(?=万吨|亿吨|千吨|吨|万t|t\b|万元|亿元|千元|元|万平方米|平方米|万立方米|立方米|万千瓦时|千瓦时|"
          r"个百分点|百分点|%|％|个|项|件|人|名|家|年|月|日|号|岁|周岁|倍|公斤|千克|台|套)")
# "前一年度", "上一年度", "第一年", "每一吨": words, not figures
_NOT_AFTER = r"(?<![前上下同当每第])"
_FIGURE = re.compile(rf"(?P<pct>百分之)?(?P<neg>负)?{_NOT_AFTER}(?P<run>{_RUN}){_AFTER}|百分之(?P<neg2>负)?(?P<run2>{_RUN})")
_NEG_DIGITS = re.compile(r"负\s*(?=\d)")


@lru_cache(maxsize=4096)
def _run_value(run: str) -> str | None:
    """The run as Arabic digits, a trailing 万/亿 kept as a multiplier word; None if not a number."""
    if not any(ch in _DIGITS + "十壹贰叁肆伍陆柒捌玖拾" for ch in run):
        return None  # "千克", "万吨": a unit word, not a number
    import cn2an  # 0.15 s to import: only when a Chinese numeral is met

    mult = ""
    core = run
    if run[-1] in "万亿" and len(run) > 1:
        # "十二点五万" (a decimal before 万) or "十二万" -> "12.5万" / "12万"; "十二万五千" stays whole
        mult, core = run[-1], run[:-1]
    if all(ch in "零〇一二两三四五六七八九" for ch in core) and (len(core) >= 4 or ("〇" in core or "零" in core) and len(core) >= 2):
        # digit by digit: years "二〇二五", codes "一二〇"
        return "".join(str("零一二三四五六七八九".index(ch) if ch != "〇" and ch != "两" else (0 if ch == "〇" else 2))
                       for ch in core) + mult
    for candidate in ((core, mult), (run, "")):
        try:
            v = cn2an.cn2an(candidate[0], "smart")
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        text = f"{v}"
        if isinstance(v, float) and v.is_integer() and "点" not in candidate[0]:
            text = str(int(v))
        return text + candidate[1]
    return None


def arabic(text: str) -> str:
    """`text` with the Chinese numerals that are figures written in digits, 负 as a minus sign."""
    if not text:
        return text
    if not any(ch in text for ch in _DIGITS + "十百千负壹贰叁肆伍陆柒捌玖拾"):
        return text

    def repl(m: re.Match) -> str:
        run = m.group("run") or m.group("run2")
        value = _run_value(run)
        if value is None:
            return m.group(0)
        neg = "-" if (m.group("neg") or m.group("neg2")) else ""
        if m.group("pct") or m.group("run2"):
            return f"{neg}{value}%"
        return neg + value

    out = _FIGURE.sub(repl, text)
    return _NEG_DIGITS.sub("-", out)
