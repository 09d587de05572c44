"""Finding ids: stable across message rewording, unique within a report, and the migration that
carries reviewers' marks from the old (message-hashed) ids to the new ones."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import text

from checkers.finding import Finding, assign_ordinals
from extractor.model import Location


def _finding(message: str, **evidence) -> Finding:
    return Finding(rule="SUM.TOTAL_MISMATCH", severity="error", message=message,
                   locations=[Location(file="附件3.xlsx", sheet="Sheet1", cell="C9")], evidence=evidence)


def test_id_ignores_message_and_figures_but_not_the_item():
    a = _finding("合计 36.5 万吨，分项之和 36.1 万吨", label="附件3合计利用量", total="365000", sum="361000")
    b = _finding("附件3「合计」填报 36.5 万吨，与各行之和 36.1 万吨不符", label="附件3合计利用量", total="365000", sum="360000")
    c = _finding("合计 36.5 万吨，分项之和 36.1 万吨", label="附件3合计产生量", total="365000", sum="361000")
    assert a.id == b.id
    assert a.id != c.id


def test_ids_are_unique_within_a_report():
    same = [_finding("x", label="L"), _finding("y", label="L"), _finding("z", label="L")]
    ids = [f.id for f in assign_ordinals(same)]
    assert len(set(ids)) == 3
    assert ids[0] == _finding("x", label="L").id  # the first keeps the plain id
    assert json.loads(same[2].model_dump_json())["id"] == ids[2]


def _old_id(rule: str, message: str, locations: list) -> str:
    h = hashlib.sha1()
    h.update(rule.encode())
    h.update(message.encode())
    h.update(json.dumps(locations, sort_keys=True).encode())
    return h.hexdigest()[:12]


def test_migration_carries_marks_to_the_new_ids(tmp_path):
    from service.store.db import Database

    db = Database(f"sqlite:///{tmp_path / 'm.db'}")
    db.upgrade("0001")
    f = _finding("合计 36.5 万吨，分项之和 36.1 万吨", label="附件3合计利用量")
    loc = [json.loads(l.model_dump_json()) for l in f.locations]
    old = _old_id(f.rule, f.message, loc)
    report = {"schema_version": 1, "findings": [{"id": old, "rule": f.rule, "severity": "error", "message": f.message,
                                                 "locations": loc, "evidence": f.evidence}]}
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, username, password_hash, role, disabled, created_at) "
                          "VALUES (1, 'u', 'x', 'city', 0, '2026-01-01 00:00:00')"))
        conn.execute(text("INSERT INTO packages (id, name, status, uploader_id, created_at, updated_at, report, "
                          "veto_count, error_count, warning_count, info_count, progress_done, progress_total) "
                          "VALUES ('p1', 'pkg', 'done', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', :r, 0, 1, 0, 0, 0, 0)"),
                     {"r": json.dumps(report, ensure_ascii=False)})
        conn.execute(text("INSERT INTO finding_marks (package_id, finding_id, status, comment, user_id, updated_at) "
                          "VALUES ('p1', :f, '已核实', '', 1, '2026-01-01 00:00:00')"), {"f": old})
    db.upgrade()
    with db.engine.connect() as conn:
        mark = conn.execute(text("SELECT finding_id FROM finding_marks")).scalar()
        stored = json.loads(conn.execute(text("SELECT report FROM packages")).scalar())
    assert mark == f.id != old
    assert stored["findings"][0]["id"] == f.id
    from alembic import command

    from service.store.db import alembic_config

    with db.engine.connect() as conn:  # and back
        command.downgrade(alembic_config(conn), "0001")
        conn.commit()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT finding_id FROM finding_marks")).scalar() == old
    db.dispose()
