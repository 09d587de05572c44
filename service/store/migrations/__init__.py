"""Alembic migrations of the service database (configured in code by `service.store.db.alembic_config`)."""
