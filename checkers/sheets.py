"""Tables the checkers work out for a report beside their findings, per form: the 附件6 score
sheet of an evaluation-agency application.  The report shows them under `fields` (for hb_agency,
`fields.scores`); they are computed here, from the extracted model, like every rule."""

from __future__ import annotations

from typing import Any, Callable

from checkers.agency_scores import score_table
from checkers.run import form_settings
from extractor.forms.base import FormResult, form_model
from extractor.forms.hb_agency import HbAgency

Sheet = Callable[[FormResult, dict[str, Any]], Any]

SHEETS: dict[str, dict[str, Sheet]] = {
    "hb_agency": {"scores": lambda form, settings: score_table(form_model(form, HbAgency), settings)},
}


def build_sheets(form: FormResult, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """name -> table for the form's report; {} for a form without sheets."""
    sheets = SHEETS.get(form.form) or {}
    settings = form_settings(form.form) if settings is None else settings
    return {name: build(form, settings) for name, build in sheets.items()}
