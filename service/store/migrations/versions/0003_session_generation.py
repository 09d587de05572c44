"""users.session_generation: logging out ends the session on the server

Every session cookie and access token carries a stamp derived from the user's session
generation and password hash (`service.auth.sessions.session_stamp`).  Logging out bumps the generation,
so cookies and tokens issued before stop working at once instead of living until they expire.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on every dialect: SQLite adds a NOT NULL column with a default in place
# (and drops one since 3.35), whereas batch mode would copy `users`, and dropping the old copy
# fails while packages and audit rows point at it with foreign keys on.


def upgrade() -> None:
    op.add_column("users", sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    op.drop_column("users", "session_generation")
