"""Alembic migrations of the service database (configured in code by `service.db.alembic_config`)."""
