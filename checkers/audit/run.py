"""`audit(packages)`: every audit rule over a set of packages' features; the signals, strongest first."""

from __future__ import annotations

from checkers.audit.model import AuditedPackage, Signal
from checkers.audit.rules import AUDIT_CHECKS, AuditContext

_SEVERITY_ORDER = {"veto": 0, "error": 1, "warning": 2, "info": 3}


def audit(packages: list[AuditedPackage]) -> list[Signal]:
    ctx = AuditContext(packages=packages)
    signals: list[Signal] = []
    for _code, check in sorted(AUDIT_CHECKS.items()):
        signals.extend(check(ctx))
    return sorted(signals, key=lambda s: (_SEVERITY_ORDER.get(s.severity, 9), s.rule, s.packages))
