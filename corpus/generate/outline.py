"""Heading numbering as filers write it: 一、 / 第一部分 / 1. / Word Heading styles
without numbers / （一）, with the matching style one level down; and the report-writer's
styles 第一章 … 1.1, 1 … 1.1 and 一、 … 1.1 (`MORE_NUMBERINGS`, drawn by the layout RNG)."""

from __future__ import annotations

from corpus.generate.content import Heading

CN_NUM = "一二三四五六七八九十"
NUMBERINGS = ("cn_dun", "part", "arabic", "plain", "paren")
MORE_NUMBERINGS = ("chapter", "decimal", "cn_decimal")  # 第一章 / 1.1, 1 / 1.1, 一、 / 1.1


class Numbering:
    def __init__(self, style: str, styled: bool, sub_style_cn: str = "（一）"):
        self.style = style
        # unnumbered headings are only recognisable by their Word style
        self.styled = styled or style == "plain"
        self.sub_style_cn = sub_style_cn  # hb writes （一）, hn writes 1、 under 一、

    def top(self, i: int, title: str) -> Heading:
        n = CN_NUM[i - 1]
        text = {
            "cn_dun": f"{n}、{title}",
            "cn_decimal": f"{n}、{title}",
            "part": f"第{n}部分 {title}",
            "arabic": f"{i}. {title}",
            "plain": title,
            "paren": f"（{n}）{title}",
            "chapter": f"第{n}章 {title}",
            "decimal": f"{i} {title}",
        }[self.style]
        return Heading(text, 1, self.styled)

    def sub(self, i: int, j: int, title: str) -> Heading:
        n = CN_NUM[j - 1]
        if self.style == "cn_dun":
            text = f"（{n}）{title}" if self.sub_style_cn == "（一）" else f"{j}、{title}"
        elif self.style == "part":
            text = f"{n}、{title}"
        elif self.style in ("arabic", "chapter", "decimal", "cn_decimal"):
            text = f"{i}.{j} {title}"
        elif self.style == "plain":
            text = title
        else:
            text = f"{j}. {title}"
        return Heading(text, 2, self.styled)
