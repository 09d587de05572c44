"""Hand-built inputs for rule tests: quantities, facts, claims and documents with locations,
so each test states exactly the figures it is about."""

from __future__ import annotations

from typing import Any

from checkers.context import Context
from checkers.finding import Finding
from checkers.registry import RULES
from checkers.run import load_rules
from extractor.forms.base import Fact, FormResult
from extractor.model import Document, Location
from extractor.quantity import Quantity, parse_quantity

load_rules()


def loc(file: str = "附件1.xlsx", row: int | None = None, column: int | None = None, **kw: Any) -> Location:
    return Location(file=file, row=row, column=column, **kw)


def q(text: str, unit: str | None = None, file: str = "附件1.xlsx", row: int | None = None, column: int | None = None) -> Quantity:
    """A parsed quantity at a location; `unit` plays the part of the header's unit."""
    parsed = parse_quantity(text, unit, loc(file, row, column))
    assert parsed is not None, f"not a quantity: {text!r}"
    return parsed


def fact(
    key: str,
    label: str,
    text: str,
    unit: str | None = None,
    *,
    period: str | None = "2024",
    source: str = "basic_info",
    file: str = "附件1.xlsx",
    row: int | None = None,
    column: int | None = None,
    quote: str | None = None,
) -> Fact:
    return Fact(key=key, label=label, period=period, quantity=q(text, unit, file, row, column), source=source, quote=quote)


def blank_fact(key: str = "x", label: str = "空值", source: str = "basic_info") -> Fact:
    """A fact whose quantity is None: what an extractor may hand over for a blank cell."""
    return Fact.model_construct(key=key, label=label, period="2024", quantity=None, source=source, quote=None)


def doc(path: str, type: str = "docx", **kw: Any) -> Document:
    return Document(path=path, type=type, sha256="0" * 64, **kw)


def form(name: str = "hb_evaluation", **kw: Any) -> FormResult:
    return FormResult(form=name, **kw)


def check(code: str, form_result: FormResult, documents: list[Document] | None = None, settings: dict | None = None) -> list[Finding]:
    """Run one rule by itself."""
    ctx = Context(documents=documents or [], form=form_result, settings=settings or {})
    return list(RULES[code].func(ctx))
