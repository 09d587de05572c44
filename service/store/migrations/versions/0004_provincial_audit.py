"""The provincial audit: each checked package's features, the keys that find what it shares,
and the signals found across packages (issue 11)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_features",
        sa.Column("package_id", sa.String(36), sa.ForeignKey("packages.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("company_key", sa.String(300), nullable=False),
        sa.Column("features", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "audit_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("package_id", sa.String(36), sa.ForeignKey("packages.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
    )
    op.create_index("ix_audit_keys_key", "audit_keys", ["kind", "key"])
    op.create_index("ix_audit_keys_package_id", "audit_keys", ["package_id"])
    op.create_table(
        "audit_signals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("locations", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_audit_signals_rule", "audit_signals", ["rule"])
    op.create_table(
        "audit_signal_packages",
        sa.Column("signal_id", sa.Integer(), sa.ForeignKey("audit_signals.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("package_id", sa.String(36), sa.ForeignKey("packages.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_audit_signal_packages_package_id", "audit_signal_packages", ["package_id"])


def downgrade() -> None:
    op.drop_table("audit_signal_packages")
    op.drop_table("audit_signals")
    op.drop_table("audit_keys")
    op.drop_table("audit_features")
