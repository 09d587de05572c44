"""The JSON report: the public contract of a review (schema_version 1, see docs/report-schema.md).

`build_report` turns a `Review` into plain JSON values (Decimals as exact strings, every
location key present); `write_json` stores it.  Scoring against ground truth is in
`service.reports.scoring`.
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from dataclasses import is_dataclass, asdict
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from importlib import metadata
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from pydantic import BaseModel

from checkers.finding import SEVERITIES, Finding
from extractor.model import Document, Location, Table

if TYPE_CHECKING:
    from service.review.pipeline import Review

SCHEMA_VERSION = 1
GENERATOR_NAME = "shencha"
LOCATION_KEYS: tuple[str, ...] = tuple(Location.model_fields)
QUOTE_MAX_CHARS = 300


@lru_cache(maxsize=1)
def package_version() -> str:
    """The installed distribution's version; from pyproject.toml when running from a checkout."""
    try:
        return metadata.version(GENERATOR_NAME)
    except metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        with pyproject.open("rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0+unknown"


def jsonable(value: Any) -> Any:
    """Plain JSON values; Decimals become exact strings in plain notation (no exponent)."""
    if isinstance(value, Decimal):
        return f"{value:f}" if value.is_finite() else str(value)
    if isinstance(value, BaseModel):
        return jsonable(value.model_dump(mode="python"))
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def location_dict(loc: Location) -> dict[str, Any]:
    d = {k: getattr(loc, k) for k in LOCATION_KEYS}
    d["description"] = loc.describe()
    return d


def _attachments(attachments) -> list[dict[str, Any]]:
    """The attachments as JSON; a seal found on a copy keeps where it is on the page (`box`),
    which plain dumping leaves out of locations."""
    out = jsonable(attachments)
    for att, dumped in zip(attachments, out):
        for copy, copy_dumped in zip(att.copies, dumped.get("copies") or []):
            copy_dumped["seals"] = [{**jsonable(loc), "box": list(loc.box) if loc.box else None} for loc in copy.seals]
    return out


def describe_location(loc: Mapping[str, Any]) -> str:
    """Chinese description of a report location dict (also one loaded from disk)."""
    return Location.model_validate({k: loc.get(k) for k in LOCATION_KEYS}).describe()


# ---------------------------------------------------------------- quotes from the source


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX_CHARS else text[: QUOTE_MAX_CHARS - 1] + "…"


def _row_text(table: Table, row: int) -> str | None:
    if not 1 <= row <= len(table.rows):
        return None
    seen: set[tuple[int, int]] = set()
    cells: list[str] = []
    for c in table.rows[row - 1]:
        key = c.origin or (c.row, c.col)
        if key in seen:
            continue
        seen.add(key)
        if c.text.strip():
            cells.append(c.text.strip())
    return " | ".join(cells) or None


def _table_of(doc: Document, loc: Location) -> Table | None:
    for t in doc.tables():
        if loc.table is not None and t.index == loc.table:
            return t
    return None


def _cell_at(doc: Document, sheet: str | None, ref: str):
    for t in doc.tables():
        if sheet is not None and t.loc.sheet not in (None, sheet):
            continue
        for r in t.rows:
            for c in r:
                if c.loc.cell == ref and (sheet is None or c.loc.sheet in (None, sheet)):
                    return t, c
    return None


def source_quote(documents: Iterable[Document], loc: Location | Mapping[str, Any]) -> str | None:
    """The source text at a location: the table row it points into, or the paragraph.
    None when the location only names a file or a page (no exact spot to quote)."""
    if not isinstance(loc, Location):
        loc = Location.model_validate({k: loc.get(k) for k in LOCATION_KEYS})
    doc = next((d for d in documents if d.path == loc.file), None)
    if doc is None:
        return None
    if loc.table is not None:
        table = _table_of(doc, loc)
        if table is not None:
            if loc.row is not None:
                text = _row_text(table, loc.row)
                return _clip(text) if text else None
            return _clip(table.caption) if table.caption else None
    if loc.cell is not None:
        hit = _cell_at(doc, loc.sheet, loc.cell)
        if hit is not None:
            table, cell = hit
            text = _row_text(table, cell.row)
            return _clip(text) if text else None
    if loc.paragraph is not None:
        block = next((b for b in doc.blocks if b.loc.paragraph == loc.paragraph), None)
        if block is None and 1 <= loc.paragraph <= len(doc.blocks):
            block = doc.blocks[loc.paragraph - 1]
        if block is not None:
            if block.kind == "table" and block.table is not None:
                return _clip(block.table.caption or _row_text(block.table, 1) or "") or None
            return _clip(block.text) if block.text.strip() else None
    return None


def finding_quote(finding: Finding, documents: Iterable[Document]) -> str | None:
    if finding.quote:
        return finding.quote
    docs = list(documents)
    for loc in finding.locations:
        q = source_quote(docs, loc)
        if q:
            return q
    return None


# ---------------------------------------------------------------- report sections


GENERIC_ROLE_TITLES = {"other": "其他材料", "attachment": "附件", "unreadable": "无法读取", "unknown": "未识别"}


@lru_cache(maxsize=None)
def _form_role_titles(form: str) -> dict[str, str]:
    try:
        from extractor.forms.spec import load_spec

        spec = load_spec(form)
        titles = {a.id: a.title for a in spec.attachments}
        titles.update({rid: r.title for rid, r in spec.roles.items()})
        return titles
    except Exception:  # no spec for this form (unknown, reserved): generic titles only
        return {}


def form_role_title(form: str, role: str) -> str | None:
    """The form's own name for a file role, None when the form's spec does not name it."""
    return _form_role_titles(form).get(role)


def role_title(form: str, role: str) -> str:
    """Chinese name of a file role, from the form's spec (e.g. basic_info -> 附件1 申报企业基本情况表)."""
    return _form_role_titles(form).get(role) or GENERIC_ROLE_TITLES.get(role, role)


def _roles_by_path(review: "Review") -> dict[str, list[str]]:
    return {fr.path: list(fr.roles) for fr in review.form.file_roles}


def _files(review: "Review") -> list[dict[str, Any]]:
    roles_by_path = _roles_by_path(review)
    fallback = "unknown" if review.form.form == "unknown" else "attachment"
    out = []
    for d in review.documents:
        roles = roles_by_path.get(d.path, [])
        role = roles[0] if roles else fallback
        out.append(
            {
                "path": d.path,
                "type": d.type,
                "pages": d.pages,
                "sha256": d.sha256,
                "role": role,
                "role_title": role_title(review.form.form, role),
                "roles": roles,
                "size": d.size,
                "error": d.error,
                "problem": d.problem,
                "has_text_layer": d.has_text_layer,
                "warnings": list(d.warnings),
                "omissions": list(d.omissions),
            }
        )
    return out


def _fields(review: "Review") -> dict[str, Any]:
    out: dict[str, Any] = jsonable(review.form.model) or {}
    out.update(jsonable(getattr(review, "sheets", None) or {}))
    fields: dict[str, Any] = {}
    for fid, fv in review.form.fields.items():
        q = fv.quantity
        fields[fid] = {
            "label": fv.label,
            "text": fv.text,
            "value": jsonable(q.value) if q is not None else None,
            "unit": q.unit if q is not None else None,
            "source_unit": q.source_unit if q is not None else None,
            "location": location_dict(fv.loc) if fv.loc is not None else None,
            "required": fv.required,
            "source": fv.source,
        }
    out["fields"] = fields
    out["licences"] = [
        {
            "file": lic.file,
            "page": lic.page,
            "fields": {
                name: {"title": f.title, "text": f.text, "location": location_dict(f.loc), "confidence": f.confidence}
                for name, f in lic.fields.items()
            },
        }
        for lic in review.form.licences
    ]
    return out


@lru_cache(maxsize=None)
def rule_title(code: str) -> str:
    """The rule's short Chinese title from the registry, "" for a code no rule registers."""
    from checkers.run import load_rules

    rule = load_rules().get(code)
    return rule.title if rule is not None else ""


def _finding(f: Finding, documents: list[Document]) -> dict[str, Any]:
    return {
        "id": f.id,
        "rule": f.rule,
        "rule_title": rule_title(f.rule),
        "severity": f.severity,
        "message": f.message,
        "locations": [location_dict(l) for l in f.locations],
        "evidence": jsonable(f.evidence),
        "quote": finding_quote(f, documents),
    }


def _severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _merges(table: Table) -> list[list[int]]:
    """[row, col, rowspan, colspan] of each merged area, from the cells' origins; an area that
    is not a full rectangle of its origin's cells is left unmerged."""
    areas: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r in table.rows:
        for c in r:
            if c.origin is not None:
                areas.setdefault(tuple(c.origin), []).append((c.row, c.col))
    out = []
    for (r0, c0), cells in sorted(areas.items()):
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        r1, c1 = max(rows), max(cols)
        if len(cells) < 2 or min(rows) != r0 or min(cols) != c0:
            continue
        if len(set(cells)) != (r1 - r0 + 1) * (c1 - c0 + 1):
            continue
        out.append([r0, c0, r1 - r0 + 1, c1 - c0 + 1])
    return out


def _table_hits(review: "Review", findings: list[dict[str, Any]]) -> dict[tuple[str, int], dict[tuple[int, int], list[str]]]:
    """Which finding ids point at which grid cell of which table: by table/row/column, or
    by sheet + A1 reference for spreadsheet cells."""
    tables: dict[tuple[str, int], Table] = {}
    by_ref: dict[tuple[str, str | None, str], tuple[int, int, int]] = {}
    for d in review.documents:
        for t in d.tables():
            tables[(d.path, t.index)] = t
            for r in t.rows:
                for c in r:
                    if c.loc.cell:
                        by_ref.setdefault((d.path, c.loc.sheet or t.loc.sheet, c.loc.cell), (t.index, c.row, c.col))
    hits: dict[tuple[str, int], dict[tuple[int, int], list[str]]] = {}

    def add(key: tuple[str, int], pos: tuple[int, int], fid: str) -> None:
        ids = hits.setdefault(key, {}).setdefault(pos, [])
        if fid not in ids:
            ids.append(fid)

    for f in findings:
        for loc in f["locations"]:
            file = loc["file"]
            table = tables.get((file, loc["table"])) if loc["table"] is not None else None
            if table is not None and loc["row"] is not None:
                if loc["column"] is not None:
                    add((file, table.index), (loc["row"], loc["column"]), f["id"])
                elif 1 <= loc["row"] <= len(table.rows):
                    for c in table.rows[loc["row"] - 1]:
                        add((file, table.index), (c.row, c.col), f["id"])
            elif loc["cell"] is not None:
                found = by_ref.get((file, loc["sheet"], loc["cell"]))
                if found is not None:
                    add((file, found[0]), (found[1], found[2]), f["id"])
    return hits


def _tables(review: "Review", findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    hits = _table_hits(review, findings)
    severity_of = {f["id"]: f["severity"] for f in findings}
    out = []
    for d in review.documents:
        for t in d.tables():
            table_hits = hits.get((d.path, t.index), {})
            out.append(
                {
                    "file": d.path,
                    "index": t.index,
                    "caption": t.caption,
                    "page": t.loc.page,
                    "sheet": t.loc.sheet,
                    "pages": list(t.pages),
                    "header_rows": t.header_rows,
                    "location": location_dict(t.loc),
                    "rows": t.text_grid(),
                    "merges": _merges(t),
                    "highlights": [
                        {
                            "row": r,
                            "column": c,
                            "findings": ids,
                            "severity": min((severity_of[i] for i in ids), key=_severity_rank),
                        }
                        for (r, c), ids in sorted(table_hits.items())
                    ],
                }
            )
    return out


def build_report(review: "Review", generated_at: datetime | None = None) -> dict[str, Any]:
    """The schema_version 1 report of one review (see docs/report-schema.md)."""
    form = review.form
    documents = list(review.documents)
    findings = sorted(
        (_finding(f, documents) for f in review.findings), key=lambda f: _severity_rank(f["severity"])
    )
    summary = {s: 0 for s in SEVERITIES}
    for f in findings:
        summary[f["severity"]] = summary.get(f["severity"], 0) + 1
    when = generated_at or datetime.now(timezone.utc)
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {
            "name": GENERATOR_NAME,
            "version": package_version(),
            "generated_at": when.isoformat(timespec="seconds"),
        },
        "package": {
            "name": review.name,
            "form": form.form,
            "form_title": form.form_title,
            "detection_score": form.detection_score,
            "files": _files(review),
        },
        "fields": _fields(review),
        "outline": jsonable(form.outline),
        "attachments": _attachments(form.attachments),
        "findings": findings,
        "summary": summary,
        "tables": _tables(review, findings),
        # what the provincial audit compares (`shencha audit` reads it back): added in schema 1
        "audit": jsonable(review.features) if getattr(review, "features", None) is not None else None,
    }


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_json(report: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write UTF-8 JSON (Chinese kept readable), atomically: a reader never sees half a report."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=2)
            f.write("\n")
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual file mode
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def verdict(summary: Mapping[str, Any]) -> tuple[str, str]:
    """The one-line conclusion every rendering shows, and its style class."""
    if summary.get("veto"):
        return "存在否决项，不符合申报条件或须退回", "veto"
    if summary.get("error"):
        return "存在错误，须补正后再审", "error"
    return "未发现否决项或错误", "ok"


def blocking_count(report: Mapping[str, Any]) -> int:
    """Findings that make a package fail: error and veto."""
    s = report["summary"]
    return int(s.get("veto", 0)) + int(s.get("error", 0))
