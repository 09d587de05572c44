"""users.session_generation: logging out ends the session on the server

Every session cookie and access token carries a stamp derived from the user's session
generation and password hash (`service.auth.session_stamp`).  Logging out bumps the generation,
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


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
