"""The reviewer's HTML page, rendered from the JSON report (Jinja2, autoescaped).

One standalone page: inline CSS, no scripts or external assets, printable.  Order: summary,
files, findings grouped by severity then by file (each with its locations in Chinese, the
source text quoted and the evidence), then the extracted tables with the cells that findings
point at highlighted.  Everything is derived from the report dict, so a stored report renders
the same page; the `Review` is consulted only to quote source text the report lacks.

Provenance on scans: given `file_bytes` (a callable: path in the package -> the file's bytes,
or None), each finding whose locations carry a `box` (text read by OCR, a seal) shows the crop of
the original page there, embedded as a `data:image/png` image captioned 「原件第N页截图」
(`service.reports.crops.ReportCrops`, bounded in number and size).  Without it (a stored report, JSON
only) the page has no images.  The page's CSP (`service.api.routes.DOWNLOAD_CSP`) allows `img-src data:`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from checkers.finding import SEVERITIES, SEVERITY_LABELS
from service.reports.crops import FileBytes, ReportCrops, finding_crops
from service.reports.model import describe_location, package_version, source_quote, verdict as report_verdict
from service.reports.view import evidence_of, report_title, rule_title

if TYPE_CHECKING:
    from service.review.pipeline import Review

TEMPLATE = "report.html.j2"
NO_FILE = "（整个申报包）"

_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["where"] = lambda loc: describe_location(loc) if loc else ""


def _when(report: Mapping[str, Any]) -> str:
    stamp = report.get("generator", {}).get("generated_at")
    try:
        moment = datetime.fromisoformat(stamp) if stamp else datetime.now().astimezone()
    except ValueError:
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


def _table_anchors(report: Mapping[str, Any]) -> dict[tuple[str, int], str]:
    return {(t["file"], t["index"]): f"t{n}" for n, t in enumerate(report.get("tables", []), 1)}


def _location_view(loc: Mapping[str, Any], anchors: dict[tuple[str, int], str]) -> dict[str, Any]:
    href = None
    anchor = anchors.get((loc["file"], loc["table"])) if loc.get("table") is not None else None
    if anchor is not None:
        href = f"#{anchor}-r{loc['row']}c{loc['column']}" if loc.get("row") and loc.get("column") else f"#{anchor}"
    return {"text": loc.get("description") or describe_location(loc), "href": href}


def _finding_view(f: Mapping[str, Any], anchors, cells_of_finding, review: "Review | None", form: str | None,
                  crops: ReportCrops | None = None) -> dict[str, Any]:
    quote = f.get("quote")
    if not quote and review is not None:
        quote = next(filter(None, (source_quote(review.documents, l) for l in f["locations"])), None)
    locations = [_location_view(l, anchors) for l in f["locations"]]
    linked = {l["href"] for l in locations if l["href"]}
    return {
        "id": f["id"],
        "rule": f["rule"],
        "rule_title": rule_title(f),
        "severity": f["severity"],
        "message": f["message"],
        "locations": locations,
        "cells": [] if linked else cells_of_finding.get(f["id"], []),
        "evidence": evidence_of(f, form),
        "quote": quote,
        "mark": f.get("mark"),  # a reviewer's mark, present when the service merged marks in
        "crops": finding_crops(f["locations"], crops.crop) if crops is not None else [],
    }


def grid_view(table: Mapping[str, Any], anchor: str) -> list[list[dict[str, Any]]]:
    """Rows of cells to draw: merged areas drawn once with their spans, highlighted cells
    (or the merged area containing them) marked with the worst severity pointing at them."""
    rows: list[list[str]] = table["rows"]
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, rs, cs in table.get("merges", []):
        spans[(r0, c0)] = (rs, cs)
        for r in range(r0, r0 + rs):
            for c in range(c0, c0 + cs):
                covered[(r, c)] = (r0, c0)
    marks: dict[tuple[int, int], dict[str, Any]] = {}
    for h in table.get("highlights", []):
        pos = covered.get((h["row"], h["column"]), (h["row"], h["column"]))
        mark = marks.setdefault(pos, {"severity": h["severity"], "findings": []})
        if SEVERITIES.index(h["severity"]) < SEVERITIES.index(mark["severity"]):
            mark["severity"] = h["severity"]
        mark["findings"].extend(i for i in h["findings"] if i not in mark["findings"])
    width = max((len(r) for r in rows), default=0)
    out = []
    header_rows = table.get("header_rows") or 0
    for r, row in enumerate(rows, 1):
        cells = []
        for c in range(1, width + 1):
            origin = covered.get((r, c))
            if origin is not None and origin != (r, c):
                continue
            rs, cs = spans.get((r, c), (1, 1))
            mark = marks.get((r, c))
            cells.append(
                {
                    "text": row[c - 1] if c <= len(row) else "",
                    "rowspan": rs,
                    "colspan": cs,
                    "header": r <= header_rows,
                    "id": f"{anchor}-r{r}c{c}",
                    "severity": mark["severity"] if mark else None,
                    "findings": mark["findings"] if mark else [],
                }
            )
        out.append(cells)
    return out


def render_html(report: Mapping[str, Any], review: "Review | None" = None, file_bytes: FileBytes | None = None) -> str:
    """The page.  `file_bytes(path)` gives a package file's bytes for the crops of the original
    pages beside findings on scans; without it there are none."""
    anchors = _table_anchors(report)
    crops = ReportCrops(report, file_bytes) if file_bytes is not None else None
    # finding id -> links to the table cells it points at (for locations without a table index)
    cells_of_finding: dict[str, list[dict[str, str]]] = {}
    for t in report.get("tables", []):
        anchor = anchors[(t["file"], t["index"])]
        for h in t.get("highlights", []):
            for fid in h["findings"]:
                cells_of_finding.setdefault(fid, []).append(
                    {
                        "href": f"#{anchor}-r{h['row']}c{h['column']}",
                        "text": f"{t['file']} 表{t['index']} 第{h['row']}行第{h['column']}列",
                    }
                )

    groups = []
    for sev in SEVERITIES:
        found = [f for f in report["findings"] if f["severity"] == sev]
        if not found:
            continue
        by_file: dict[str, list[dict[str, Any]]] = {}
        for f in found:
            file = f["locations"][0]["file"] if f["locations"] else NO_FILE
            by_file.setdefault(file, []).append(
                _finding_view(f, anchors, cells_of_finding, review, report["package"].get("form"), crops))
        groups.append(
            {
                "severity": sev,
                "label": SEVERITY_LABELS[sev],
                "count": len(found),
                "files": sorted(by_file.items(), key=lambda kv: (kv[0] == NO_FILE, kv[0])),
            }
        )

    tables_by_file: dict[str, list[dict[str, Any]]] = {}
    for t in report.get("tables", []):
        anchor = anchors[(t["file"], t["index"])]
        tables_by_file.setdefault(t["file"], []).append(
            {
                "anchor": anchor,
                "index": t["index"],
                "caption": t.get("caption"),
                "where": t["location"]["description"] if t.get("location") else describe_location(
                    {"file": t["file"], "page": t.get("page"), "sheet": t.get("sheet"), "table": t["index"]}
                ),
                "grid": grid_view(t, anchor),
                "width": max((len(r) for r in t["rows"]), default=0),
                "hits": len(t.get("highlights", [])),
            }
        )

    summary = report["summary"]
    verdict, verdict_class = report_verdict(summary)

    fields = report.get("fields", {}).get("fields", {})
    pkg = report["package"]
    return _env.get_template(TEMPLATE).render(
        package=pkg,
        title=report_title(pkg["name"]),
        form_title=pkg.get("form_title") or ("未识别的申报类型" if pkg["form"] == "unknown" else pkg["form"]),
        version=report.get("generator", {}).get("version") or package_version(),
        generated=_when(report),
        summary=[{"severity": s, "label": SEVERITY_LABELS[s], "count": summary.get(s, 0)} for s in SEVERITIES],
        verdict=verdict,
        verdict_class=verdict_class,
        files=[
            {**f, "role_label": f.get("role_title") or f["role"], "sha": (f.get("sha256") or "")[:12]}
            for f in pkg["files"]
        ],
        # a form's score sheet (e.g. 附件6 评分细则 for agencies): [{item, max, score, working, status}]
        scores=[r for r in (report.get("fields", {}).get("scores") or []) if isinstance(r, Mapping)],
        fields=[
            {
                "id": fid,
                "label": v["label"],
                "text": v.get("text"),
                "value": v.get("value"),
                "unit": v.get("unit"),
                "where": describe_location(v["location"]) if v.get("location") else "",
            }
            for fid, v in fields.items()
        ],
        outline=report.get("outline", []),
        attachments=report.get("attachments", []),
        groups=groups,
        tables_by_file=sorted(tables_by_file.items()),
        no_file=NO_FILE,
    )
