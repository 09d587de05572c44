"""What every rendering of a report says, in the same words: Chinese labels for severities,
marks and score statuses, the verdict line, locations and evidence flattened for a table cell.
Shared by the XLSX, DOCX and PDF downloads."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Mapping

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from checkers.finding import SEVERITY_LABELS
from service.report import describe_location

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
