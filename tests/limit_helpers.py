"""Limits lowered for one test: the environment variables the service reads, with the cache of
`extractor.limits.get_limits` cleared so that they take effect at once (tests/conftest.py clears
it again after every test)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

from extractor.limits import get_limits


def set_limits(monkeypatch, **values: float) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"SHENCHA_LIMIT_{name.upper()}", str(value))
    get_limits.cache_clear()


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Only catches a hang: a test still running after `seconds` fails (no speed judgement)."""

    def hung(*_):
        raise TimeoutError("test hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
