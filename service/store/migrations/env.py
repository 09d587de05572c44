"""Alembic environment: runs on the connection `service.store.db.Database.upgrade` hands over.

Without one (the `alembic` command line pointed at this folder) it connects to the settings'
database URL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from service.store.db import Base

config = context.config
target_metadata = Base.metadata


def run_migrations(connection) -> None:
    # render_as_batch: SQLite cannot ALTER most things, batch mode copies the table instead
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    from service.config import get_settings

    engine = create_engine(get_settings().database_url)
    with engine.connect() as conn:
        run_migrations(conn)
        conn.commit()
