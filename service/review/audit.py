"""`shencha audit`'s inputs and output: packages (folders, zips) or `--json` reports in, the audit
report out.

Each PATH is a folder holding one package per subfolder or `.zip`, or a folder of reports written
by `shencha check --json` (a province auditing what its cities checked, without the files), or
one such package or report itself.  A package's name is its folder name, or its zip name without
`.zip`.  A report written before the audit existed has no `audit` section: it is listed as
skipped with the reason, never guessed at.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from checkers.audit.model import AuditedPackage, Signal
from checkers.audit.run import audit
from extractor.audit.features import PackageFeatures

AUDIT_SCHEMA_VERSION = 1


@dataclass
class AuditInputs:
    packages: list[AuditedPackage] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason in Chinese)


def package_name(path: Path) -> str:
    return re.sub(r"\.zip$", "", path.name, flags=re.IGNORECASE)


def _is_report(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".json"


def _is_package(path: Path) -> bool:
    return path.is_dir() or (path.is_file() and path.suffix.lower() == ".zip")


def _entries(path: Path) -> list[Path]:
    """The packages and reports PATH stands for."""
    if _is_report(path) or (path.is_file() and path.suffix.lower() == ".zip"):
        return [path]
    if not path.is_dir():
        return [path]
    children = sorted(p for p in path.iterdir() if not p.name.startswith("."))
    listed = [p for p in children if _is_report(p) or _is_package(p)]
    if listed and all(p.is_file() and p.suffix.lower() != ".zip" and not _is_report(p) for p in children if p not in listed):
        return listed
    return [path]  # a folder of files: one package


def load_inputs(paths: list[str], review: Callable[[Path], Any], on_package: Callable[[str], None] | None = None) -> AuditInputs:
    """`review(path) -> report dict` checks one package (the CLI's own review)."""
    inputs = AuditInputs()
    for item in read_reports(paths, review, on_package):
        if item.report is None:
            inputs.skipped.append((item.path, item.reason))
            continue
        section = item.report.get("audit")
        if not section:
            inputs.skipped.append((item.path, "报告中没有审计特征（由旧版本生成），请重新审查该包"))
            continue
        inputs.packages.append(AuditedPackage(name=item.name, features=PackageFeatures.model_validate(section)))
    return inputs


@dataclass
class ReportInput:
    """One package named on the command line: its report, or why there is none."""

    name: str  # unique among the inputs
    path: str
    report: dict[str, Any] | None
    reason: str = ""


def read_reports(paths: list[str], review: Callable[[Path], Any], on_package: Callable[[str], None] | None = None) -> list[ReportInput]:
    """The reports PATHs stand for: a `--json` report is read, a package is reviewed with
    `review(path) -> report dict`; a path that cannot be read or reviewed is kept with the reason
    (one broken package never stops the others)."""
    out: list[ReportInput] = []
    taken: set[str] = set()
    for raw in paths:
        for entry in _entries(Path(raw)):
            if not entry.exists():
                out.append(ReportInput(str(entry), str(entry), None, "路径不存在"))
                continue
            if on_package:
                on_package(entry.name)
            try:
                report = json.loads(entry.read_text(encoding="utf-8")) if _is_report(entry) else review(entry)
            except (OSError, ValueError) as exc:
                out.append(ReportInput(str(entry), str(entry), None, f"无法读取（{type(exc).__name__}）"))
                continue
            except Exception as exc:  # noqa: BLE001 - one broken package must not stop the others
                out.append(ReportInput(str(entry), str(entry), None, f"无法审查（{type(exc).__name__}）"))
                continue
            if _is_report(entry) and not (isinstance(report, dict) and "schema_version" in report and "package" in report):
                continue  # another JSON file in the folder (a manifest): not a report
            name = package_name(Path(report.get("package", {}).get("name") or entry.name)) if _is_report(entry) else package_name(entry)
            unique, n = name, 2
            while unique in taken:
                unique, n = f"{name} ({n})", n + 1
            taken.add(unique)
            out.append(ReportInput(unique, str(entry), report))
    return out


def audit_report(inputs: AuditInputs, signals: list[Signal] | None = None) -> dict[str, Any]:
    signals = audit(inputs.packages) if signals is None else signals
    return {
        "schema_version": AUDIT_SCHEMA_VERSION,
        "packages": [{"name": p.name, "form": p.features.form, "company": p.features.company,
                      "credit_code": p.features.credit_code} for p in inputs.packages],
        "skipped": [{"path": path, "reason": reason} for path, reason in inputs.skipped],
        "signals": [s.model_dump(mode="json") for s in signals],
    }
