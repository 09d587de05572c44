"""What every rendering of a report says, in the same words: Chinese labels for severities,
marks and score statuses, the rule's title beside its code, the verdict line, the report's
title and file name, locations and evidence (`service.reports.evidence`) for a table cell.
Shared by the XLSX, DOCX and PDF downloads, the HTML download and the web page."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Mapping

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from checkers.finding import SEVERITY_LABELS
from service.reports.evidence import evidence_of
from service.reports.model import describe_location, rule_title as report_rule_title

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


def rule_title(finding: Mapping[str, Any] | str) -> str:
    """Short Chinese title of a finding's rule: the report's `rule_title`, else (a report
    written before the field existed, or a bare code) the registry's; "" when unknown."""
    if isinstance(finding, str):
        return report_rule_title(finding)
    return finding.get("rule_title") or report_rule_title(finding.get("rule") or "")


def rule_heading(finding: Mapping[str, Any]) -> str:
    """The rule code with its Chinese title beside it: 'SUM.TOTAL_MISMATCH 合计与分项之和不符'."""
    title = rule_title(finding)
    return f"{finding['rule']} {title}" if title else str(finding["rule"])


def verdict(summary: Mapping[str, int]) -> str:
    from service.reports.model import verdict as report_verdict

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


def evidence_lines(finding: Mapping[str, Any], max_chars: int | None = None, form: str | None = None) -> list[str]:
    """'label：value' lines of a finding's evidence (Chinese labels, figures in the message's
    unit with separators; see `service.reports.evidence`), each clipped to max_chars when given.
    `form` (the report's package.form) names the file roles a rule cites."""
    lines = [f"{label}：{text}" for label, text in evidence_of(finding, form)]
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


# ---------------------------------------------------------------- how a report is named

REPORT_WORD = "审查报告"
_PACKAGE_SUFFIX = (".zip", ".docx", ".xlsx", ".pdf", ".doc", ".xls")


def report_title(package_name: str) -> str:
    """The title of a package's report, the same on the web page and in the HTML download."""
    return f"{REPORT_WORD} — {package_name}"


def report_file_name(package_name: str, fmt: str) -> str:
    """The download's file name: the package name without its archive or document suffix,
    then '-审查报告.<fmt>' (e.g. hb_eval_03.zip -> hb_eval_03-审查报告.html)."""
    stem = package_name.strip()
    if stem.lower().endswith(_PACKAGE_SUFFIX):
        stem = stem[: stem.rindex(".")]
    return f"{stem or '申报包'}-{REPORT_WORD}.{fmt}"
