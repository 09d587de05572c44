"""Shared fixtures for the service tests: a private data dir and settings, the database on
SQLite and on the machine's real PostgreSQL server (a database created for this test run and
dropped after it), and users of each role.

PostgreSQL is never skipped: the server is part of the machine (and of CI).  Point
`SHENCHA_TEST_POSTGRES_URL` at another server's maintenance database to use that one.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Iterator

import pytest

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

# OCR is on by default (extractor/ocr/__init__.py) and costs seconds a scanned page: the tests
# turn it on where it is what they test (tests/test_ocr*.py, test_scanned_packages.py, the seal
# and generator tests), and read every other scan as a picture.  Subprocesses inherit this.
os.environ.setdefault("SHENCHA_OCR", "off")


@pytest.fixture(autouse=True)
def _fresh_read_limits() -> Iterator[None]:
    """Every test starts and ends with the limits the environment states (a test that lowered
    them through `tests.limit_helpers.set_limits` leaves nothing cached behind)."""
    from extractor.limits import get_limits

    get_limits.cache_clear()
    yield
    get_limits.cache_clear()


def _admin_url() -> str:
    import os

    return os.environ.get("SHENCHA_TEST_POSTGRES_URL", POSTGRES_ADMIN_URL)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"shencha_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(_admin_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        from service.store.db import reset_database_cache

        reset_database_cache()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from service.store.db import Base

    engine = create_engine(url)
    with engine.begin() as conn:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        exists = conn.execute(text("SELECT to_regclass('public.users')")).scalar()
        if exists:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def service_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings with a private data dir and SQLite database; caches reset around the test."""
    from service import config
    from service.store import db
    from service.jobs import queue as jobs
    monkeypatch.setenv("SHENCHA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SHENCHA_DATABASE_URL", raising=False)
    for var in ("SHENCHA_MAX_FILES", "SHENCHA_MAX_UPLOAD_BYTES", "SHENCHA_MAX_FILE_BYTES", "SHENCHA_MAX_ZIP_RATIO",
                "SHENCHA_MAX_EXPANDED_BYTES", "SHENCHA_RETENTION_DAYS", "SHENCHA_SECRET_KEY", "SHENCHA_WORKER",
                "SHENCHA_ADMIN_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    config.get_settings.cache_clear()
    db.reset_database_cache()
    previous_queue = jobs.get_queue()
    settings = config.get_settings()
    config.ensure_data_dir(settings)
    yield settings
    jobs.set_queue(previous_queue)
    db.reset_database_cache()
    config.get_settings.cache_clear()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, service_settings, monkeypatch: pytest.MonkeyPatch):
    """The service database at schema head, on each backend; `get_database()` returns it."""
    from service import config
    from service.store import db
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        _empty_postgres(url)
        monkeypatch.setenv("SHENCHA_DATABASE_URL", url)
        config.get_settings.cache_clear()
    return db.get_database()


@pytest.fixture
def session(database):
    with database.session() as s:
        yield s


@pytest.fixture
def make_user(session):
    """make_user("wuhan1", "city", city="武汉市") -> User (password: "password-123")."""
    from service.auth import users
    def make(username: str, role: str, city: str | None = None, password: str = "password-123"):
        return users.add_user(session, username, role, password, city=city)

    return make
