"""One rule, one code, registered here.  The README rule catalogue is generated from this."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from checkers.finding import Finding, Severity


@dataclass(frozen=True)
class Rule:
    code: str  # stable once released, e.g. "SUM.TOTAL_MISMATCH"
    severity: Severity  # default severity of its findings
    title: str  # short Chinese title
    meaning: str  # English, one line: what it checks
    clause: str  # the seed clause it enforces
    forms: tuple[str, ...] = ()  # empty = every form
    func: Callable[..., Iterable[Finding]] | None = field(default=None, compare=False)


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, title: str, meaning: str, clause: str, forms: Iterable[str] = ()):
    """Register a check function under `code`.  The function takes a `checkers.context.Context`
    and yields findings; `emit` fills in the rule code and default severity."""

    def deco(func):
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = Rule(code, severity, title, meaning, clause, tuple(forms), func)
        return func

    return deco


def declare(code: str, severity: Severity, title: str, meaning: str, clause: str, forms: Iterable[str] = ()) -> None:
    """A rule whose findings are produced outside the check functions (e.g. FILE.UNREADABLE
    while reading), registered so that it is catalogued like every other rule."""
    if code in RULES:
        raise ValueError(f"rule {code} registered twice")
    RULES[code] = Rule(code, severity, title, meaning, clause, tuple(forms), None)


def emit(code: str, message: str, *, severity: Severity | None = None, **kw) -> Finding:
    r = RULES[code]
    return Finding(rule=code, severity=severity or r.severity, message=message, **kw)
