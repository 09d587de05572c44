"""The report as an Excel workbook: one row per finding, for reviewers who sort and filter.

Sheets: 概要 (package, verdict, counts per severity and per reviewer mark), 问题清单 (one row
per finding: id, rule and its Chinese title, severity, message, every coordinate of its first
location plus all locations in Chinese, evidence with Chinese labels (figures in the message's
unit, with separators) and as raw JSON, quote, reviewer mark), 位置明细 (one row per finding
location, for findings that point at several places), 文件, and 附件6评分 when the form has a
score table.

The wording shared with the DOCX and PDF downloads lives in `service.reports.view`.
"""

from __future__ import annotations

import json
from io import BytesIO
from typing import Any, Iterable, Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from checkers.finding import SEVERITIES
from service.reports.model import LOCATION_KEYS, describe_location
from service.reports.view import (
    LOCATION_HEADERS,
    UNMARKED,
    Marks,
    clean_text,
    evidence_lines,
    form_title,
    format_time,
    location_texts,
    mark_counts,
    mark_of,
    rule_title,
    score_status_label,
    scores_of,
    severity_label,
    to_decimal,
    verdict,
)

# ---------------------------------------------------------------- workbook

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
SEVERITY_FILLS = {
    "veto": PatternFill("solid", fgColor="F4B6B6"),
    "error": PatternFill("solid", fgColor="FAD7B5"),
    "warning": PatternFill("solid", fgColor="FFF2B3"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
MAX_WIDTH = 60
# Columns whose long text wraps instead of widening the sheet.
WIDE_COLUMNS = {"问题说明", "全部位置", "依据", "证据（JSON）", "原文", "标记说明", "计算过程", "位置说明"}

FINDING_HEADERS = (
    ["序号", "问题编号", "规则", "规则名称", "严重程度", "问题说明"]
    + [LOCATION_HEADERS[k] for k in LOCATION_KEYS if k in LOCATION_HEADERS]
    + ["位置数", "全部位置", "依据", "证据（JSON）", "原文", "标记状态", "标记说明", "标记人", "标记时间"]
)


def _display_width(text: str) -> int:
    # CJK characters take about two Latin character widths in Excel's default font.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _put(ws: Worksheet, row: int, col: int, value: Any):
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = clean_text(value)
        # openpyxl would store text starting with "=" as a formula; uploaded text must stay text.
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _table_sheet(ws: Worksheet, headers: list[str], rows: Iterable[list[Any]]) -> int:
    """Write a header row and data rows with a frozen header, filters and fitted widths;
    returns the number of data rows."""
    for c, h in enumerate(headers, 1):
        cell = _put(ws, 1, c, h)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [_display_width(h) + 2 for h in headers]
    n = 0
    for n, values in enumerate(rows, 1):
        for c, v in enumerate(values, 1):
            cell = _put(ws, n + 1, c, v)
            wide = headers[c - 1] in WIDE_COLUMNS
            cell.alignment = WRAP if wide else TOP
            longest = max((_display_width(part) for part in str(v if v is not None else "").split("\n")), default=0)
            widths[c - 1] = max(widths[c - 1], min(longest + 2, MAX_WIDTH))
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{n + 1}"
    return n


def finding_row(number: int, f: Mapping[str, Any], marks: Marks | None, form: str | None = None) -> list[Any]:
    """The 问题清单 row of one finding (columns as FINDING_HEADERS); `form` is the report's."""
    first = f["locations"][0] if f.get("locations") else {}
    mark = mark_of(marks, f["id"])
    return (
        [number, f["id"], f["rule"], rule_title(f), severity_label(f["severity"]), f["message"]]
        + [first.get(k) for k in LOCATION_KEYS if k in LOCATION_HEADERS]
        + [
            len(f.get("locations", [])),
            "\n".join(location_texts(f)),
            "\n".join(evidence_lines(f, form=form)),
            json.dumps(f.get("evidence") or {}, ensure_ascii=False),
            f.get("quote") or "",
            mark["status"] or UNMARKED,
            mark["comment"],
            mark["user"],
            mark["time"],
        ]
    )


def _summary_sheet(ws: Worksheet, report: Mapping[str, Any], marks: Marks | None) -> None:
    pkg = report["package"]
    summary = report["summary"]
    gen = report.get("generator") or {}
    rows: list[tuple[str, Any]] = [
        ("申报包", pkg["name"]),
        ("申报类型", form_title(report)),
        ("文件数", len(pkg.get("files", []))),
        ("审查结论", verdict(summary)),
        ("生成时间", format_time(gen.get("generated_at"))),
        ("程序版本", f"{gen.get('name', 'shencha')} {gen.get('version', '')}".strip()),
        ("", ""),
        ("严重程度", "问题数"),
    ]
    rows += [(severity_label(s), summary.get(s, 0)) for s in SEVERITIES]
    rows += [("合计", len(report["findings"])), ("", ""), ("审查标记", "问题数")]
    rows += list(mark_counts(report, marks).items())
    bold = {"严重程度", "审查标记", "合计"}
    for r, (k, v) in enumerate(rows, 1):
        key = _put(ws, r, 1, k)
        _put(ws, r, 2, v)
        if k in bold or r <= 6:
            key.font = Font(bold=True)
        if k in ("严重程度", "审查标记"):
            ws.cell(row=r, column=2).font = Font(bold=True)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = max(30, min(MAX_WIDTH, _display_width(str(pkg["name"])) + 4))


def render_xlsx(report: Mapping[str, Any], marks: Marks | None = None) -> bytes:
    """The .xlsx download of a report (schema_version 1 dict) with reviewers' marks."""
    wb = Workbook()
    summary_ws = wb.active
    summary_ws.title = "概要"
    _summary_sheet(summary_ws, report, marks)

    ws = wb.create_sheet("问题清单")
    findings = report["findings"]
    form = report["package"].get("form")
    _table_sheet(ws, FINDING_HEADERS, (finding_row(i, f, marks, form) for i, f in enumerate(findings, 1)))
    severity_col = FINDING_HEADERS.index("严重程度") + 1
    for i, f in enumerate(findings, 2):
        fill = SEVERITY_FILLS.get(f["severity"])
        if fill is not None:
            ws.cell(row=i, column=severity_col).fill = fill

    loc_ws = wb.create_sheet("位置明细")
    loc_headers = ["问题编号", "规则", "规则名称", "严重程度", "位置序号"] + [
        LOCATION_HEADERS[k] for k in LOCATION_KEYS if k in LOCATION_HEADERS
    ] + ["位置说明"]
    _table_sheet(
        loc_ws,
        loc_headers,
        (
            [f["id"], f["rule"], rule_title(f), severity_label(f["severity"]), n]
            + [loc.get(k) for k in LOCATION_KEYS if k in LOCATION_HEADERS]
            + [loc.get("description") or describe_location(loc)]
            for f in findings
            for n, loc in enumerate(f.get("locations", []), 1)
        ),
    )

    files_ws = wb.create_sheet("文件")
    _table_sheet(
        files_ws,
        ["文件", "类型", "材料", "页数", "大小（字节）", "读取情况", "SHA-256"],
        (
            [
                f["path"],
                f.get("type"),
                f.get("role_title") or f.get("role"),
                f.get("pages"),
                f.get("size"),
                f.get("error") or ("已读取（扫描件，无文字层）" if f.get("has_text_layer") is False and f.get("type") == "pdf" else "已读取"),
                f.get("sha256"),
            ]
            for f in report["package"].get("files", [])
        ),
    )

    scores = scores_of(report)
    if scores:
        score_ws = wb.create_sheet("附件6评分")
        _table_sheet(
            score_ws,
            ["分组", "评分项", "满分", "得分", "计算过程", "状态"],
            (
                [
                    s.get("group") or "",
                    s.get("item"),
                    _number(s.get("max")),
                    _number(s.get("score")),
                    s.get("working") or "",
                    score_status_label(s.get("status")),
                ]
                for s in scores
            ),
        )

    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _number(value: Any) -> Any:
    """A Decimal string from the report as a number Excel can add up; None stays blank."""
    d = to_decimal(value)
    if d is None:
        return None if value in (None, "") else str(value)
    return int(d) if d == d.to_integral_value() else float(d)
