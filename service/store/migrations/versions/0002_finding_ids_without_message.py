"""finding ids no longer hash the message: carry reviewers' marks over

A finding's id used to be sha1(rule + message + locations); it is now sha1(rule + identifying
evidence + locations) (`checkers.finding.finding_id`), so that rewording a message does not
orphan the marks keyed by it.  For every stored report this rewrites each finding's id and
moves the marks from the old id to the new one.  Downgrade restores the old ids the same way.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

packages = sa.table("packages", sa.column("id", sa.String), sa.column("report", sa.Text))
marks = sa.table("finding_marks", sa.column("id", sa.Integer), sa.column("package_id", sa.String),
                 sa.column("finding_id", sa.String))


def _old_id(f: dict) -> str:
    # the scheme of revision 0001, frozen here
    h = hashlib.sha1()
    h.update(f["rule"].encode())
    h.update(f["message"].encode())
    h.update(json.dumps(f.get("locations") or [], sort_keys=True).encode())
    return h.hexdigest()[:12]


def _new_ids(findings: list[dict]) -> list[str]:
    from checkers.finding import finding_id

    seen: dict[str, int] = {}
    out = []
    for f in findings:
        base = finding_id(f["rule"], f.get("evidence") or {}, f.get("locations") or [])
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(finding_id(f["rule"], f.get("evidence") or {}, f.get("locations") or [], n) if n else base)
    return out


def _rewrite(new_scheme: bool) -> None:
    conn = op.get_bind()
    for pid, report in conn.execute(sa.select(packages.c.id, packages.c.report)).all():
        if not report:
            continue
        data = json.loads(report)
        findings = data.get("findings") or []
        if not findings:
            continue
        ids = _new_ids(findings) if new_scheme else [_old_id(f) for f in findings]
        mapping = {f["id"]: new for f, new in zip(findings, ids) if f.get("id") and f["id"] != new}
        if not mapping:
            continue
        for f, new in zip(findings, ids):
            f["id"] = new
        conn.execute(packages.update().where(packages.c.id == pid).values(report=json.dumps(data, ensure_ascii=False)))
        for old, new in mapping.items():
            conn.execute(marks.update().where(marks.c.package_id == pid, marks.c.finding_id == old)
                         .values(finding_id=new))


def upgrade() -> None:
    _rewrite(new_scheme=True)


def downgrade() -> None:
    _rewrite(new_scheme=False)
