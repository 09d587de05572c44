"""The limits are stated once (extractor/limits.py) and documented in the README with their defaults."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from extractor.limits import ReadLimits, _from_env

README = Path(__file__).resolve().parents[1] / "README.md"
_UNITS = {"GiB": 1024**3, "MiB": 1024**2}


def _documented() -> dict[str, float]:
    rows = re.findall(r"^\| `(\w+)` \| ([\d.]+)(?: (GiB|MiB))? \|", README.read_text(encoding="utf-8"), re.M)
    return {name: float(value) * _UNITS.get(unit, 1) for name, value, unit in rows}


def test_every_limit_is_in_the_readme_with_its_default():
    documented = _documented()
    defaults = {f.name: float(f.default) for f in fields(ReadLimits)}
    assert {k: documented.get(k) for k in defaults} == defaults


def test_environment_overrides_and_refuses_nonsense():
    limits = _from_env({"SHENCHA_LIMIT_FILE_SECONDS": "300", "SHENCHA_LIMIT_TABLE_ROWS": " 50 "})
    assert limits.file_seconds == 300.0 and limits.table_rows == 50 and limits.file_pages == ReadLimits().file_pages
    for bad in ("abc", "0", "-1"):
        with pytest.raises(ValueError, match="SHENCHA_LIMIT_FILE_PAGES"):
            _from_env({"SHENCHA_LIMIT_FILE_PAGES": bad})
