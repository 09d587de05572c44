"""Limits lowered for one test: the environment variables the service reads, with the cache of
`extractor.limits.get_limits` cleared so that they take effect at once (tests/conftest.py clears
it again after every test)."""

from __future__ import annotations

from extractor.limits import get_limits


def set_limits(monkeypatch, **values: float) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"SHENCHA_LIMIT_{name.upper()}", str(value))
    get_limits.cache_clear()
