"""The report as an Excel workbook: one row per finding, for reviewers who sort and filter.

Sheets: 概要 (package, verdict, counts per severity and per reviewer mark), 问题清单 (one row
per finding: id, rule, severity, message, every coordinate of its first location plus all
locations in Chinese, evidence as JSON and as key=value, quote, reviewer mark), 位置明细 (one
row per finding location, for findings that point at several places), 文件, and 附件6评分
when the form has a score table.

The helpers above the renderer (Chinese labels for severities and marks, flattened
evidence, the verdict line) are shared with the DOCX and PDF renderers so the three
downloads say the same thing in the same words.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from typing import Any, Iterable, Mapping

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from checkers.finding import SEVERITIES, SEVERITY_LABELS
from service.report import LOCATION_KEYS, describe_location

Marks = Mapping[str, Mapping[str, Any]]

WHOLE_PACKAGE = "（整个申报包）"
UNMARKED = "未标记"
# Reviewers' marks are stored in Chinese; the English codes an API might use are accepted too.
MARK_LABELS = {
    "已核实": "已核实",
    "误报": "误报",
    "待补正": "待补正",
    "confirmed": "已核实",
    "false_positive": "误报",
    "needs_correction": "待补正",
}
MARK_ORDER = ("已核实", "误报", "待补正")
CHINESE_NUMERALS = "一二三四五六七八九十"  # section numbers 一、二、…
SCORE_STATUS_LABELS = {"computed": "自动计算", "manual": "待人工评分"}
LOCATION_HEADERS = {
    "file": "文件",
    "page": "页",
    "sheet": "工作表",
    "cell": "单元格",
    "table": "表",
    "row": "行",
    "column": "列",
    "paragraph": "段",
}


# ---------------------------------------------------------------- shared views of a report


def clean_text(value: Any) -> str:
    """Text safe for XML-based formats: control characters (other than tab and newline)
    removed, since a hostile or broken upload may carry them into quotes."""
    if value is None:
        return ""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def severity_label(severity: str) -> str:
    return SEVERITY_LABELS.get(severity, severity)


@lru_cache(maxsize=1)
def _rule_titles() -> dict[str, str]:
    from checkers.run import load_rules

    return {code: r.title for code, r in load_rules().items()}


def rule_title(code: str) -> str:
    """Short Chinese title of a rule code, "" for a code this version does not know."""
    return _rule_titles().get(code, "")


def verdict(summary: Mapping[str, int]) -> str:
    from service.report import verdict as report_verdict

    return report_verdict(summary)[0]


def form_title(report: Mapping[str, Any]) -> str:
    pkg = report["package"]
    return pkg.get("form_title") or ("未识别的申报类型" if pkg.get("form") == "unknown" else pkg.get("form", ""))


def format_time(value: Any) -> str:
    """An ISO time (or datetime) as local 'YYYY-MM-DD HH:MM'; other text unchanged."""
    if value is None or value == "":
        return ""
    moment = value
    if not isinstance(moment, datetime):
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def mark_of(marks: Marks | None, finding_id: str) -> dict[str, str]:
    """The reviewer's mark on a finding as display strings: status (Chinese), comment, user, time."""
    mark = (marks or {}).get(finding_id) or {}
    status = mark.get("status")
    return {
        "status": MARK_LABELS.get(status, str(status)) if status else "",
        "comment": clean_text(mark.get("comment")),
        "user": clean_text(mark.get("user")),
        "time": format_time(mark.get("updated_at")),
    }


def mark_counts(report: Mapping[str, Any], marks: Marks | None) -> dict[str, int]:
    """How many findings carry each mark, in a fixed order, plus the unmarked ones."""
    counts = {label: 0 for label in MARK_ORDER}
    counts[UNMARKED] = 0
    for f in report["findings"]:
        status = mark_of(marks, f["id"])["status"] or UNMARKED
        counts[status] = counts.get(status, 0) + 1
    return counts


def flatten_evidence(evidence: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Evidence as (key, text) pairs: nested objects become dotted keys, lists of plain
    values one '、'-joined text, lists of objects indexed keys (items[1].name)."""
    if isinstance(evidence, Mapping):
        out: list[tuple[str, str]] = []
        for k, v in evidence.items():
            out.extend(flatten_evidence(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(evidence, (list, tuple)):
        if all(not isinstance(v, (Mapping, list, tuple)) for v in evidence):
            return [(prefix, "、".join(_plain(v) for v in evidence) or "无")]
        out = []
        for i, v in enumerate(evidence, 1):
            out.extend(flatten_evidence(v, f"{prefix}[{i}]"))
        return out
    return [(prefix, _plain(evidence))]


def _plain(value: Any) -> str:
    if value is None:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    return clean_text(value)


def evidence_lines(evidence: Any, max_chars: int | None = None) -> list[str]:
    """'key=value' lines of a finding's evidence, each clipped to max_chars when given."""
    lines = [f"{k}={v}" for k, v in flatten_evidence(evidence or {})]
    if max_chars is not None:
        lines = [l if len(l) <= max_chars else l[: max_chars - 1] + "…" for l in lines]
    return lines


def location_texts(finding: Mapping[str, Any]) -> list[str]:
    """Every location of a finding in Chinese; the whole package when it names none."""
    texts = [clean_text(l.get("description") or describe_location(l)) for l in finding.get("locations", [])]
    return texts or [WHOLE_PACKAGE]


def grouped_location_texts(finding: Mapping[str, Any]) -> list[str]:
    """Locations in Chinese, one line per file: "file：place；place" — a finding pointing at
    a dozen cells of one table stays readable in a narrow table column."""
    by_file: dict[str, list[str]] = {}
    for loc in finding.get("locations", []):
        file = clean_text(loc.get("file"))
        text = clean_text(loc.get("description") or describe_location(loc))
        place = text[len(file):].strip() if file and text.startswith(file) else text
        places = by_file.setdefault(file, [])
        if place and place not in places:
            places.append(place)
    lines = [f"{file}：{'；'.join(places)}" if places else file for file, places in by_file.items()]
    return lines or [WHOLE_PACKAGE]


def scores_of(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    scores = (report.get("fields") or {}).get("scores")
    return list(scores) if isinstance(scores, list) else []


def score_status_label(status: str | None) -> str:
    return SCORE_STATUS_LABELS.get(status or "", status or "")


def to_decimal(value: Any) -> Decimal | None:
    """A report figure (Decimal string) as a Decimal; None when blank or not a number."""
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value))
    except ArithmeticError:
        return None
    return d if d.is_finite() else None


def plain_number(d: Decimal | int | None) -> str:
    """A figure as written for people: no exponent, no trailing '.0' on whole numbers."""
    if d is None:
        return ""
    d = Decimal(d)
    return f"{d.quantize(Decimal(1)):f}" if d == d.to_integral_value() else f"{d.normalize():f}"


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
WIDE_COLUMNS = {"问题说明", "全部位置", "证据（键=值）", "证据（JSON）", "原文", "标记说明", "计算过程", "位置说明"}

FINDING_HEADERS = (
    ["序号", "问题编号", "规则", "规则名称", "严重程度", "问题说明"]
    + [LOCATION_HEADERS[k] for k in LOCATION_KEYS if k in LOCATION_HEADERS]
    + ["位置数", "全部位置", "证据（JSON）", "证据（键=值）", "原文", "标记状态", "标记说明", "标记人", "标记时间"]
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


def finding_row(number: int, f: Mapping[str, Any], marks: Marks | None) -> list[Any]:
    """The 问题清单 row of one finding (columns as FINDING_HEADERS)."""
    first = f["locations"][0] if f.get("locations") else {}
    mark = mark_of(marks, f["id"])
    return (
        [number, f["id"], f["rule"], rule_title(f["rule"]), severity_label(f["severity"]), f["message"]]
        + [first.get(k) for k in LOCATION_KEYS if k in LOCATION_HEADERS]
        + [
            len(f.get("locations", [])),
            "\n".join(location_texts(f)),
            json.dumps(f.get("evidence") or {}, ensure_ascii=False),
            "\n".join(evidence_lines(f.get("evidence"))),
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
    _table_sheet(ws, FINDING_HEADERS, (finding_row(i, f, marks) for i, f in enumerate(findings, 1)))
    severity_col = FINDING_HEADERS.index("严重程度") + 1
    for i, f in enumerate(findings, 2):
        fill = SEVERITY_FILLS.get(f["severity"])
        if fill is not None:
            ws.cell(row=i, column=severity_col).fill = fill

    loc_ws = wb.create_sheet("位置明细")
    loc_headers = ["问题编号", "规则", "严重程度", "位置序号"] + [
        LOCATION_HEADERS[k] for k in LOCATION_KEYS if k in LOCATION_HEADERS
    ] + ["位置说明"]
    _table_sheet(
        loc_ws,
        loc_headers,
        (
            [f["id"], f["rule"], severity_label(f["severity"]), n]
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
