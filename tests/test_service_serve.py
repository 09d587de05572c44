"""`shencha serve` and `shencha worker --once`, without a real web server: `serve` prepares the
data dir, the schema and the first user, starts the in-process worker and hands the app to uvicorn."""

from __future__ import annotations

import sys
import types

import pytest

from service import cli

from service.jobs import engine
from service.jobs import queue as jobs

from service.domain import packages

from service.auth import users
from service.store.db import Package
from tests.test_service_packages import sample_files


@pytest.fixture
def fake_app(monkeypatch):
    """service.app replaced by a module whose create_app returns a marker; uvicorn.run recorded."""
    uvicorn = pytest.importorskip("uvicorn")
    app = object()
    module = types.ModuleType("service.app")
    module.create_app = lambda: app
    monkeypatch.setitem(sys.modules, "service.app", module)
    calls = []

    def run(application, host, port):
        calls.append((application, host, port, jobs.get_queue()))

    monkeypatch.setattr(uvicorn, "run", run)
    return app, calls


def test_serve_prepares_everything_and_runs_the_app(service_settings, fake_app, monkeypatch, capsys):
    app, calls = fake_app
    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "8123"]) == 0
    (application, host, port, queue), = calls
    assert (application, host, port) == (app, "0.0.0.0", 8123)
    assert isinstance(queue, jobs.InProcessQueue)
    assert not queue.running and not isinstance(jobs.get_queue(), jobs.InProcessQueue)  # stopped on exit
    err = capsys.readouterr().err
    assert "shencha users add admin --role province --password-stdin" in err
    assert (service_settings.data_dir / "shencha.db").exists() and service_settings.blob_dir.is_dir()


def test_serve_creates_the_first_province_user_from_the_environment(service_settings, fake_app, monkeypatch, capsys):
    from service.config import get_settings
    from service.store.db import get_database

    monkeypatch.setenv("SHENCHA_ADMIN_PASSWORD", "first-admin-pw")
    get_settings.cache_clear()
    assert cli.main(["serve"]) == 0
    assert "已创建省级账号「admin」" in capsys.readouterr().err
    with get_database().session() as s:
        assert users.get_user(s, "admin").role == "province"


def test_serve_without_worker(service_settings, fake_app, monkeypatch):
    from service.config import get_settings

    monkeypatch.setenv("SHENCHA_WORKER", "none")
    get_settings.cache_clear()
    _, calls = fake_app
    assert cli.main(["serve"]) == 0
    assert not isinstance(calls[0][3], jobs.InProcessQueue)


def test_ensure_worker_starts_one_worker_once(database, service_settings):
    first = engine.ensure_worker(database=database, settings=service_settings)
    try:
        assert isinstance(first, jobs.InProcessQueue) and first.running
        assert engine.ensure_worker(database=database, settings=service_settings) is first
    finally:
        engine.shutdown_worker()
    assert not first.running and isinstance(jobs.get_queue(), jobs.DatabaseOnlyQueue)


def test_worker_once_processes_the_queue(session, database, make_user, capsys):
    user = make_user("a", "agency")
    pkg = packages.create_package(session, user, sample_files("hn_bench_01"))
    assert cli.main(["worker", "--once"]) == 0
    assert "已处理 1 个审查任务" in capsys.readouterr().err
    session.expire_all()
    assert session.get(Package, pkg.id).status == "done"
