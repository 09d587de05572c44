"""The report as a printable PDF (A4), with its Chinese font embedded.

Same sections as the Word download: overview and verdict, counts per severity and per
reviewer mark, files, findings (message with arithmetic, quote, evidence, locations in
Chinese, reviewer mark and comment), the 附件6 score table when present, and ruled lines
for the reviewer's opinion.  Every page carries the package name and "第 x 页 / 共 y 页".

Font: reportlab cannot load Noto CJK (OpenType CFF) and its built-in STSong-Light is not
embedded (poppler renders it blank), so text is set in WenQuanYi Micro Hei (TrueType, from
fonts-wqy-microhei), which reportlab subsets and embeds.
"""

from __future__ import annotations

import os
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any, Mapping
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from checkers.finding import SEVERITIES
from service.reports.view import (
    CHINESE_NUMERALS,
    Marks,
    clean_text,
    evidence_lines,
    form_title,
    format_time,
    grouped_location_texts,
    mark_counts,
    mark_of,
    plain_number,
    rule_title,
    score_status_label,
    scores_of,
    severity_label,
    to_decimal,
    verdict,
)

FONT_NAME = "WenQuanYiMicroHei"
# SHENCHA_PDF_FONT may name another TrueType (glyf) CJK font file; .ttc files use face 0.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
)
# Characters the font lacks, written with ones it has (check boxes come from submitted forms).
GLYPH_SUBSTITUTES = {"☑": "[√]", "☒": "[×]", "☐": "[ ]", "\t": " "}
EVIDENCE_LINE_CHARS = 100
OPINION_LINES = 10
MARGIN = 15 * mm
SEVERITY_COLOURS = {
    "veto": colors.HexColor("#F4B6B6"),
    "error": colors.HexColor("#FAD7B5"),
    "warning": colors.HexColor("#FFF2B3"),
    "info": colors.HexColor("#DDEBF7"),
}
HEADER_COLOUR = colors.HexColor("#D9E1F2")
GRID_COLOUR = colors.HexColor("#808080")


class FontMissing(RuntimeError):
    """No embeddable CJK TrueType font on this machine (scripts/setup.sh installs one)."""


def font_path() -> Path:
    override = os.environ.get("SHENCHA_PDF_FONT")
    for candidate in ([override] if override else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing("未找到可嵌入 PDF 的中文字体（文泉驿微米黑，Debian 软件包 fonts-wqy-microhei）")


@lru_cache(maxsize=1)
def register_font() -> str:
    """Register the CJK font with reportlab once; returns its name."""
    path = font_path()
    kw = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), **kw))
    return FONT_NAME


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    font = register_font()

    def style(name: str, size: float, wrap: str | None = "CJK", **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.35, wordWrap=wrap, **kw)

    grey = colors.HexColor("#595959")
    return {
        "title": style("title", 17, alignment=TA_CENTER, spaceAfter=4 * mm),
        "h1": style("h1", 13, spaceBefore=5 * mm, spaceAfter=2 * mm, keepWithNext=1),
        "body": style("body", 10),
        "cell": style("cell", 8.5),
        "head": style("head", 8.5, textColor=colors.black),
        "small": style("small", 7.5, textColor=grey),
        # Latin line breaking (at spaces only): CJK wrapping would break a rule code anywhere
        "rule": style("rule", 8.5, wrap=None, spaceAfter=1),
        "right": style("right", 10, alignment=2),
    }


def _text(value: Any) -> str:
    """Report text as Paragraph markup: control characters dropped, markup characters
    escaped (uploaded text must not be parsed as tags), missing glyphs substituted, lines kept."""
    text = clean_text(value)
    for ch, sub in GLYPH_SUBSTITUTES.items():
        text = text.replace(ch, sub)
    return escape(text).replace("\n", "<br/>")


def _p(value: Any, style: str = "cell") -> Paragraph:
    return Paragraph(_text(value), _styles()[style])


def _cell(parts: list[tuple[Any, str]]) -> list[Paragraph]:
    """A table cell of several paragraphs (e.g. message, then quote in small grey)."""
    return [_p(text, style) for text, style in parts if text not in (None, "")]


def _grid(rows: list[list[Any]], widths: list[float], shades: list[tuple[int, int, Any]] = ()) -> Table:
    """A ruled table whose first row is a header repeated on every page."""
    # splitInRow: a finding with many locations may be taller than a page.
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), register_font()),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOUR),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_COLOUR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("BACKGROUND", (col, row), (col, row), colour) for col, row, colour in shades]
    table.setStyle(TableStyle(commands))
    return table


def _rule_line(finding: Mapping[str, Any]) -> Paragraph:
    """The rule code with its Chinese title beside it, the code never broken across lines: the
    paragraph wraps at spaces only, and a code has none (the title moves to the next line
    when both do not fit)."""
    title = rule_title(finding)
    markup = escape(clean_text(finding["rule"]))
    if title:
        markup += f" {_text(title)}"
    return Paragraph(markup, _styles()["rule"])


def _header_row(labels: list[str]) -> list[Paragraph]:
    return [_p(label, "head") for label in labels]


# ---------------------------------------------------------------- sections


def _overview(report: Mapping[str, Any], width: float) -> Table:
    pkg = report["package"]
    gen = report.get("generator") or {}
    rows = [
        ("申报包", pkg["name"]),
        ("申报类型", form_title(report)),
        ("文件数", len(pkg.get("files", []))),
        ("审查结论", verdict(report["summary"])),
        ("生成时间", format_time(gen.get("generated_at"))),
        ("审查程序", f"{gen.get('name', 'shencha')} {gen.get('version', '')}".strip()),
    ]
    table = Table([[_p(k, "body"), _p(v, "body")] for k, v in rows], colWidths=[30 * mm, width - 30 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_font()),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOUR),
                ("BACKGROUND", (0, 0), (0, -1), HEADER_COLOUR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _counts(report: Mapping[str, Any], marks: Marks | None, width: float) -> list[Any]:
    summary = report["summary"]
    labels = [severity_label(s) for s in SEVERITIES] + ["合计"]
    values = [summary.get(s, 0) for s in SEVERITIES] + [len(report["findings"])]
    col = (width - 30 * mm) / len(labels)
    shades = [(i, 1, SEVERITY_COLOURS[s]) for i, s in enumerate(SEVERITIES, 1) if summary.get(s)]
    severity = _grid(
        [_header_row(["严重程度"] + labels), [_p("问题数", "body")] + [_p(v, "body") for v in values]],
        [30 * mm] + [col] * len(labels),
        shades,
    )
    counts = mark_counts(report, marks)
    col = (width - 30 * mm) / len(counts)
    marked = _grid(
        [_header_row(["审查标记"] + list(counts)), [_p("问题数", "body")] + [_p(v, "body") for v in counts.values()]],
        [30 * mm] + [col] * len(counts),
    )
    return [severity, Spacer(1, 3 * mm), marked]


def _files(report: Mapping[str, Any], width: float) -> Table:
    rows = [_header_row(["序号", "文件", "材料", "类型", "页数", "读取情况"])]
    for i, f in enumerate(report["package"].get("files", []), 1):
        state = f.get("error") or ("扫描件，无文字层" if f.get("type") == "pdf" and f.get("has_text_layer") is False else "已读取")
        rows.append(
            [_p(i), _p(f["path"]), _p(f.get("role_title") or f.get("role")), _p(f.get("type")), _p(f.get("pages") or ""), _p(state)]
        )
    fixed = [10 * mm, 0, 45 * mm, 13 * mm, 11 * mm, 28 * mm]
    fixed[1] = width - sum(fixed)
    return _grid(rows, fixed)


def _findings(report: Mapping[str, Any], marks: Marks | None, width: float) -> Table | Paragraph:
    findings = report["findings"]
    if not findings:
        return _p("未发现问题。", "body")
    rows = [_header_row(["序号", "严重程度", "规则与问题说明、依据", "位置", "审查标记与意见"])]
    shades = []
    for n, f in enumerate(findings, 1):
        mark = mark_of(marks, f["id"])
        evidence = evidence_lines(f, EVIDENCE_LINE_CHARS, report["package"].get("form"))
        rows.append(
            [
                _p(n),
                _p(severity_label(f["severity"])),
                [_rule_line(f)]
                + _cell(
                    [
                        (f["message"], "cell"),
                        (f"原文：{f['quote']}" if f.get("quote") else None, "small"),
                        ("依据：" + "；".join(evidence) if evidence else None, "small"),
                    ]
                ),
                _cell([("\n".join(grouped_location_texts(f)), "cell")]),
                _cell(
                    [
                        (mark["status"] or "未标记", "cell"),
                        (" ".join(filter(None, (mark["user"], mark["time"]))), "small"),
                        (mark["comment"], "cell"),
                        (f"编号 {f['id']}", "small"),
                    ]
                ),
            ]
        )
        shades.append((1, n, SEVERITY_COLOURS.get(f["severity"], colors.white)))
    # the middle column is wide enough for the longest rule code on one line
    fixed = [9 * mm, 15 * mm, 0, 37 * mm, 30 * mm]
    fixed[2] = width - sum(fixed)
    return _grid(rows, fixed, shades)


def _scores(scores: list[Mapping[str, Any]], width: float) -> Table:
    rows = [_header_row(["分组", "评分项", "满分", "得分", "计算过程", "状态"])]
    shades = []
    full = computed = 0
    for n, s in enumerate(scores, 1):
        manual = s.get("status") == "manual"
        rows.append(
            [
                _p(s.get("group") or ""),
                _p(s.get("item") or ""),
                _p(plain_number(to_decimal(s.get("max")))),
                _p("" if manual else plain_number(to_decimal(s.get("score")))),
                _p(s.get("working") or ""),
                _p(score_status_label(s.get("status"))),
            ]
        )
        full += to_decimal(s.get("max")) or 0
        if not manual:
            computed += to_decimal(s.get("score")) or 0
        if manual:
            shades.append((3, n, colors.HexColor("#FFF2CC")))
    rows.append(
        [_p("合计"), _p(""), _p(plain_number(full)), _p(plain_number(computed)), _p("自动计算项得分小计；待人工评分项请评审人员填写"), _p("")]
    )
    fixed = [26 * mm, 30 * mm, 11 * mm, 11 * mm, 0, 20 * mm]
    fixed[4] = width - sum(fixed)
    return _grid(rows, fixed, shades)


def _opinion(width: float) -> list[Any]:
    lines = Table([[""]] * OPINION_LINES, colWidths=[width], rowHeights=[9 * mm] * OPINION_LINES)
    lines.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), register_font()), ("LINEBELOW", (0, 0), (-1, -1), 0.5, GRID_COLOUR)])
    )
    signatures = [
        _p("审查人（签字）：____________________", "right"),
        _p("审查单位（盖章）：____________________", "right"),
        _p("日期：______年____月____日", "right"),
    ]
    out: list[Any] = [_p("（审查人员在下方填写审查意见）", "small"), lines, Spacer(1, 6 * mm)]
    for s in signatures:
        out += [s, Spacer(1, 3 * mm)]
    return out


def _numbered_canvas(footer: str):
    """A canvas that writes "第 x 页 / 共 y 页" once the page count is known."""
    font = register_font()

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802  (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font, 8)
                self.setFillColor(colors.HexColor("#595959"))
                self.drawString(MARGIN, 9 * mm, footer)
                self.drawRightString(A4[0] - MARGIN, 9 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pdf(report: Mapping[str, Any], marks: Marks | None = None) -> bytes:
    """The printable PDF download of a report (schema_version 1 dict) with reviewers' marks."""
    styles = _styles()
    title = f"{form_title(report)}审查报告"
    buf = BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 5 * mm,
        title=title,
        author="审查",
        subject=str(report["package"]["name"]),
        # reportlab would otherwise reference Helvetica, a font the PDF does not embed.
        initialFontName=register_font(),
    )
    width = doc.width
    numbers = iter(CHINESE_NUMERALS)

    def heading(text: str) -> Paragraph:
        return Paragraph(_text(f"{next(numbers)}、{text}"), styles["h1"])

    story: list[Any] = [Paragraph(_text(title), styles["title"])]
    story += [heading("基本情况"), _overview(report, width)]
    story += [heading("问题统计"), *_counts(report, marks, width)]
    story += [heading("申报材料"), _files(report, width)]
    story += [heading("审查发现"), _findings(report, marks, width)]
    scores = scores_of(report)
    if scores:
        story += [heading("附件6 评分表"), _scores(scores, width)]
    story.append(KeepTogether([heading("审查意见"), *_opinion(width)]))
    footer = clean_text(f"{report['package']['name']} · {title}")
    doc.build(story, canvasmaker=_numbered_canvas(footer))
    return buf.getvalue()
