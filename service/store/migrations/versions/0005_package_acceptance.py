"""packages.accepted_*: a reviewer accepts a package despite open findings (issue 12)

The summary tables take only packages whose review has no open error or veto, or that a
reviewer accepted (the defect was put right on paper, or judged not to bar the package): who
accepted it, when, and why.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


# Plain ADD COLUMN (nullable) on every dialect, as 0003: no table copy on SQLite.


def upgrade() -> None:
    op.add_column("packages", sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("packages", sa.Column("accepted_by", sa.String(64), nullable=True))
    op.add_column("packages", sa.Column("accepted_note", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("packages", "accepted_note")
    op.drop_column("packages", "accepted_by")
    op.drop_column("packages", "accepted_at")
