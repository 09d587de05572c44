"""The schema: Alembic migrations create exactly the models' tables, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.exc import StatementError

from service.store.db import Base, Database, Package, User, get_database


def test_migrations_create_exactly_the_models_tables(database):
    with database.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set(Base.metadata.tables)
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        for name, table in Base.metadata.tables.items():
            assert {c["name"] for c in inspect(conn).get_columns(name)} == set(table.columns.keys()), name
    assert database.current_revision() is not None


def test_upgrade_is_idempotent(database):
    before = database.current_revision()
    database.upgrade()
    Database(database.url).upgrade()  # another process starting on the same database
    assert database.current_revision() == before


def test_datetimes_come_back_as_aware_utc(session, make_user):
    user = make_user("u1", "agency")
    local = datetime(2024, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=8)))
    pkg = Package(name="x", uploader_id=user.id, created_at=local)
    session.add(pkg)
    session.commit()
    session.expire_all()
    back = session.get(Package, pkg.id).created_at
    assert back == local and back.utcoffset() == timedelta(0)
    with pytest.raises(StatementError, match="naive datetime"):
        session.add(Package(name="naive", uploader_id=user.id, created_at=datetime(2024, 1, 1)))
        session.commit()
    session.rollback()


def test_unique_username(session, make_user):
    from sqlalchemy.exc import IntegrityError

    make_user("dup", "agency")
    session.add(User(username="dup", password_hash="x", role="agency"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_get_database_is_shared_per_url(database):
    assert get_database() is database
    assert get_database(database.url) is database
