"""Retention: `purge_expired` and `shencha purge`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from service.auth import audit_log as audit

from service import cli

from service.domain import packages
from service.store.db import FindingMark, Package, PackageFile, utcnow
from service.jobs.queue import InProcessQueue
from service.domain.purge import purge_expired
from service.store.blobs import get_store
from tests.test_service_packages import PDF, sample_files


def age(database, package_id: str, days: int) -> None:
    with database.session() as s:
        s.execute(update(Package).where(Package.id == package_id).values(created_at=utcnow() - timedelta(days=days)))
        s.commit()


def test_purge_removes_expired_packages_only(session, database, service_settings, make_user):
    user = make_user("wh", "city", city="武汉市")
    old = packages.create_package(session, user, sample_files("hb_eval_03"))
    new = packages.create_package(session, user, [("a.pdf", PDF)])
    InProcessQueue(database=database, settings=service_settings).run_until_idle()
    session.expire_all()
    fid = session.get(Package, old.id).report_dict()["findings"][0]["id"]
    packages.mark_finding(session, user, old.id, fid, "误报")
    age(database, old.id, 40)

    result = purge_expired(session, days=30)
    assert result.packages == [old.id] and result.blobs >= 1
    session.expire_all()
    row = session.get(Package, old.id)
    assert row.deleted_at is not None and row.report is None
    assert session.scalars(select(PackageFile).where(PackageFile.package_id == old.id)).all() == []
    assert session.scalars(select(FindingMark)).all() == []
    new_shas = set(session.scalars(select(PackageFile.sha256).where(PackageFile.package_id == new.id)))
    assert get_store().all() == new_shas
    (entry,) = audit.entries(session, action="purge")
    assert entry.package_id == old.id and entry.user_id is None and "30" in entry.detail
    assert purge_expired(session, days=30).packages == []  # already purged


def test_purge_command(database, service_settings, make_user, session, capsys, monkeypatch):
    user = make_user("a", "agency")
    pkg = packages.create_package(session, user, [("a.pdf", PDF)])
    age(database, pkg.id, 400)
    assert cli.main(["purge"]) == 0  # default retention: 365 days
    assert "已清除 1 个超过 365 天的申报包" in capsys.readouterr().out
    monkeypatch.setenv("SHENCHA_RETENTION_DAYS", "10")
    from service.config import get_settings

    get_settings.cache_clear()
    pkg2 = packages.create_package(session, user, [("b.pdf", PDF)])
    age(database, pkg2.id, 5)
    assert cli.main(["purge"]) == 0 and "已清除 0 个" in capsys.readouterr().out
    assert cli.main(["purge", "--days", "3"]) == 0 and "已清除 1 个超过 3 天" in capsys.readouterr().out
