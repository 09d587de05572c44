"""The first run as a new user meets it, and job work folders that never outlive their run.

- `./scripts/serve.sh --first-run-message` (setup skipped: nothing is installed) prints a command
  that works as printed, how to create a province and an uploading account, and the password
  rules; the printed commands are run as printed;
- a command run from another directory uses the server's data dir;
- scripts/setup.sh waits for apt's locks (checked with a fake apt-get: apt never runs);
- a job's copy of the upload lives under `<data dir>/work`, is removed after the run, and a
  killed run's folder is swept at the next worker start while a live run's folder stays.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from service import cli

from service import config

from service.jobs import queue as jobs

from service.domain import packages

from service.review import pipeline

from service.jobs import runner
from service.store import workdirs

from service.auth import users
from service.store.db import Job, Package, utcnow
from tests.test_service_jobs import WORKER_THAT_HANGS, job_of, package_row, wait_for
from tests.test_service_packages import PDF

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / "scripts" / "serve.sh"
SETUP = ROOT / "scripts" / "setup.sh"
PASSWORD = "first-run-pw-1"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any SHENCHA_* setting (as on a fresh machine), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHENCHA_")}
    env.update(extra)
    return env


def first_run_message(data_dir: Path, cwd: Path) -> str:
    proc = subprocess.run([str(SERVE), "--first-run-message"], cwd=cwd, capture_output=True, text=True,
                          env=clean_env(SHENCHA_SKIP_SETUP="1", SHENCHA_DATA_DIR=str(data_dir)), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "setup:" not in proc.stderr  # the install step did not run
    return proc.stdout


def printed_add_commands(message: str) -> list[str]:
    return [line.strip() for line in message.splitlines() if " users add " in line and not line.strip().startswith("#")
            and "…" not in line]


# ---------------------------------------------------------------- the first-run message


def test_serve_script_first_run_message_works_as_printed(tmp_path):
    data_dir = tmp_path / "data"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    message = first_run_message(data_dir, cwd=elsewhere)
    assert f"数据目录：{data_dir}" in message
    # the accounts: a province one, and why an uploading one is needed too
    assert "省级账号只读，不能上传申报包" in message
    commands = printed_add_commands(message)
    assert [re.search(r"--role (\w+)", c).group(1) for c in commands] == ["province", "agency", "city"]
    assert "--city 武汉市" in commands[2]
    # the password rules
    assert f"密码规则：至少 {users.MIN_PASSWORD_LENGTH} 个字符" in message

    # the command exists and works, from another directory and another shell's environment
    program = commands[0].split(" users add ")[0]
    help_run = subprocess.run(["bash", "-c", f"{program} --help"], cwd=elsewhere, env=clean_env(),
                              capture_output=True, text=True, timeout=300)
    assert help_run.returncode == 0 and "check" in help_run.stdout, help_run.stderr
    # and the account commands, run exactly as printed (password piped in), reach the server's data
    for command in commands:
        added = subprocess.run(["bash", "-c", command], cwd=elsewhere, env=clean_env(), input=PASSWORD + "\n",
                               capture_output=True, text=True, timeout=300)
        assert added.returncode == 0 and "已添加用户" in added.stdout, added.stderr
    assert "账号已齐全" in first_run_message(data_dir, cwd=elsewhere)


def test_only_the_uploading_account_is_asked_for_once_a_province_one_exists(session, service_settings):
    users.add_user(session, "admin", "province", PASSWORD)
    message = users.first_run_message(session, service_settings, "shencha")
    assert "--role province" not in message and "--role agency" in message and "--role city" in message
    assert "不能上传申报包" in message and "密码规则" in message
    users.add_user(session, "wh", "city", PASSWORD, city="武汉市")
    assert users.first_run_message(session, service_settings, "shencha") is None


def test_serve_prints_the_message_and_the_data_dir_on_start(service_settings, monkeypatch, capsys):
    import types

    uvicorn = pytest.importorskip("uvicorn")
    module = types.ModuleType("service.app")
    module.create_app = lambda: object()
    monkeypatch.setitem(sys.modules, "service.app", module)
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port: None)
    assert cli.main(["serve"]) == 0
    err = capsys.readouterr().err
    assert f"数据目录：{service_settings.data_dir}" in err
    assert "users add admin --role province --password-stdin" in err and "--role agency" in err
    assert "密码规则" in err


def test_users_add_at_a_terminal_asks_for_the_password_twice(service_settings, monkeypatch, capsys):
    import getpass

    class Terminal:
        def isatty(self):
            return True

    answers = iter([PASSWORD, PASSWORD, "one", "other"])
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    assert cli.main(["users", "add", "jigou1", "--role", "agency"]) == 0
    out, err = capsys.readouterr()
    assert "已添加用户「jigou1」" in out and "密码规则" in err
    assert cli.main(["users", "add", "jigou2", "--role", "agency"]) == 2
    assert "两次输入的密码不一致" in capsys.readouterr().err


# ---------------------------------------------------------------- one data dir, whatever the cwd


def data_dir_shown(text: str) -> Path:
    match = re.search(r"数据目录：(.+?)（", text)
    assert match, text
    return Path(match.group(1))


@pytest.fixture
def checkout_data_dir():
    """The checkout's data/ as the commands below may create it (empty folders only): removed after
    the test unless it was there before."""
    data = ROOT / "data"
    existed = data.exists()
    yield data
    if not existed and data.exists():
        shutil.rmtree(data)


def test_a_command_in_another_directory_uses_the_servers_data_dir(tmp_path, checkout_data_dir):
    # no SHENCHA_DATA_DIR, as a new user has it; the database and the key are kept out of the
    # checkout so that the test writes nothing there but empty folders
    env = clean_env(SHENCHA_DATABASE_URL=f"sqlite:///{tmp_path / 'shencha.db'}", SHENCHA_SECRET_KEY="k" * 40)
    served = subprocess.run([str(SERVE), "--first-run-message"], cwd=ROOT, capture_output=True, text=True,
                            env={**env, "SHENCHA_SKIP_SETUP": "1"}, timeout=300)
    assert served.returncode == 0, served.stderr
    listed = subprocess.run([str(ROOT / ".venv" / "bin" / "shencha"), "users", "list"], cwd=tmp_path,
                            capture_output=True, text=True, env=env, timeout=300)
    assert listed.returncode == 0, listed.stderr
    assert data_dir_shown(served.stdout) == data_dir_shown(listed.stderr) == checkout_data_dir
    assert not (tmp_path / "data").exists()  # nothing relative to the working directory


def test_data_dir_resolution(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert config.resolve_data_dir({"SHENCHA_DATA_DIR": "rel"}) == tmp_path / "rel"
    assert config.resolve_data_dir({}) == ROOT / "data"  # a checkout: its data/, not ./data
    # an installed package (no pyproject.toml beside it): the user's data directory
    monkeypatch.setattr(config, "__file__", str(tmp_path / "site-packages" / "service" / "config.py"))
    assert config.default_data_dir({"XDG_DATA_HOME": str(tmp_path / "xdg")}) == tmp_path / "xdg" / "shencha"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config.default_data_dir({}) == tmp_path / "home" / ".local" / "share" / "shencha"


def test_printed_command_is_the_short_name_when_it_is_on_the_path(monkeypatch):
    script = Path(os.path.abspath(sys.executable)).parent / "shencha"
    if not script.is_file():
        pytest.skip("the console script is not installed beside this Python")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert cli.shencha_command() == str(script)
    monkeypatch.setenv("PATH", f"{script.parent}:/usr/bin:/bin")
    assert cli.shencha_command() == "shencha"


# ---------------------------------------------------------------- setup.sh and apt's locks


def test_every_apt_get_carries_the_lock_timeout():
    text = SETUP.read_text(encoding="utf-8")
    code = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    invocations = [line for line in code if "apt-get" in line]
    assert invocations == ['APT_GET=($SUDO apt-get -o "DPkg::Lock::Timeout=$APT_LOCK_WAIT")']
    assert 'APT_LOCK_WAIT="${APT_LOCK_WAIT:-600}"' in text
    assert '"${APT_GET[@]}" update' in text and '"${APT_GET[@]}" install' in text
    assert "pip install -q" not in text  # pip shows its progress


def test_apt_update_waits_for_the_lists_lock(tmp_path):
    """A fake apt-get that reports the lists lock held twice, then succeeds: setup says once that
    it waits, retries, and passes the lock timeout every time.  No real apt runs."""
    calls = tmp_path / "calls"
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in ("apt-get", "sudo"):
        (fake / name).write_text("#!/usr/bin/env bash\n" + (
            'exec "$@"\n' if name == "sudo" else
            f'echo "$*" >> {calls}\n'
            f'if [ "$(wc -l < {calls})" -lt 3 ]; then\n'
            '  echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 42 (apt-get)" >&2\n'
            "  exit 100\n"
            "fi\n"))
        (fake / name).chmod(0o755)
    proc = subprocess.run(["bash", "-c", f'source "{SETUP}"; apt_update'], capture_output=True, text=True,
                          env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}", "APT_LOCK_POLL": "0.1"},
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert calls.read_text().splitlines() == ["-o DPkg::Lock::Timeout=600 update"] * 3
    assert proc.stderr.count("waiting for it") == 1


def test_apt_update_gives_up_on_other_errors(tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    for name, body in (("apt-get", 'echo "E: network down" >&2; exit 100\n'), ("sudo", 'exec "$@"\n')):
        (fake / name).write_text("#!/usr/bin/env bash\n" + body)
        (fake / name).chmod(0o755)
    proc = subprocess.run(["bash", "-c", f'source "{SETUP}"; apt_update'], capture_output=True, text=True,
                          env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}", "APT_LOCK_POLL": "0.1"},
                          timeout=60)
    assert proc.returncode != 0 and "network down" in proc.stderr and "waiting" not in proc.stderr


# ---------------------------------------------------------------- job work folders


def old_prefix_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("shencha-job-*")}


@pytest.fixture
def uploader(make_user):
    return make_user("agency", "agency", city="武汉市")


@pytest.mark.parametrize("outcome", ["done", "failed"])
def test_run_job_works_under_the_data_dir_and_cleans_up(session, database, service_settings, uploader,
                                                        monkeypatch, outcome):
    before = old_prefix_dirs()
    seen: list[Path] = []
    real = pipeline.review_package

    def watching(path, progress=None, form_hint=None):
        seen.append(Path(path))
        assert Path(path).exists()
        if outcome == "failed":
            raise RuntimeError("boom")
        return real(path, progress=progress, form_hint=form_hint)

    monkeypatch.setattr(pipeline, "review_package", watching)
    pkg = packages.create_package(session, uploader, [("a.pdf", PDF)])
    assert runner.run_job(pkg.id, database=database) == outcome
    (target,) = seen
    work = service_settings.data_dir / "work"
    assert target.is_relative_to(work)
    folder = work / target.relative_to(work).parts[0]
    assert workdirs.work_dir_package(folder.name) == pkg.id
    assert not folder.exists() and list(work.iterdir()) == []
    assert old_prefix_dirs() <= before  # nothing new in /tmp with the old prefix


def _running(database, package_id: str, worker: str) -> None:
    with database.session() as s:
        s.execute(update(Job).where(Job.package_id == package_id)
                  .values(status="running", worker=worker, attempts=1, heartbeat_at=utcnow() - timedelta(seconds=1)))
        s.execute(update(Package).where(Package.id == package_id).values(status="running"))
        s.commit()


def _work_folder(settings, package_id: str, tag: str) -> Path:
    folder = workdirs.work_root(settings) / f"{package_id}.{tag}"
    (folder / "申报材料").mkdir(parents=True)
    (folder / "申报材料" / "a.pdf").write_bytes(PDF)
    return folder


def test_worker_start_sweeps_a_killed_runs_folder_but_not_a_live_ones(session, database, service_settings, uploader):
    import socket

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    killed = packages.create_package(session, uploader, [("a.pdf", PDF)]).id
    live = packages.create_package(session, uploader, [("b.pdf", PDF)]).id
    finished = packages.create_package(session, uploader, [("c.pdf", PDF)]).id
    _running(database, killed, f"{host}:{dead.pid}")  # its process is gone
    _running(database, live, f"{host}:{os.getpid()}")  # a live worker holds it
    with database.session() as s:
        s.execute(update(Job).where(Job.package_id == finished).values(status="done"))
        s.commit()
    killed_dir = _work_folder(service_settings, killed, "k1")
    live_dir = _work_folder(service_settings, live, "l1")
    finished_dir = _work_folder(service_settings, finished, "f1")
    stranger = workdirs.work_root(service_settings) / "not-a-run"
    stranger.mkdir()

    ran: list[str] = []
    queue = jobs.InProcessQueue(database=database, settings=service_settings, run=lambda p: ran.append(p) or "done",
                                poll_seconds=60)
    queue.start()
    try:
        assert not killed_dir.exists() and not finished_dir.exists()
        assert (live_dir / "申报材料" / "a.pdf").read_bytes() == PDF
        assert stranger.is_dir()  # only run folders are swept
        wait_for(lambda: killed in ran, "the re-queued job to run again")
    finally:
        queue.stop()
    assert job_of(database, live).status == "running"


def test_a_job_killed_mid_run_leaves_no_copy_behind(session, database, service_settings, uploader, tmp_path):
    before = old_prefix_dirs()
    pkg = packages.create_package(session, uploader, [("a.pdf", PDF)])
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SHENCHA_DATA_DIR": str(service_settings.data_dir),
           "SHENCHA_DATABASE_URL": database.url}
    marker = tmp_path / "started"
    first = subprocess.Popen([sys.executable, "-c", WORKER_THAT_HANGS, str(marker)], env=env, cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(marker.exists, "the first worker to start the job")
        work = workdirs.work_root(service_settings)
        (folder,) = list(work.iterdir())
        assert workdirs.work_dir_package(folder.name) == pkg.id
        assert [p.read_bytes() for p in folder.rglob("*") if p.is_file()] == [PDF]  # the copy of the upload
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert folder.exists()  # a killed run cannot clean up after itself

    second = subprocess.run([sys.executable, "-m", "service.cli", "worker", "--once"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr
    assert package_row(database, pkg.id).status == "done"
    assert list(work.iterdir()) == []
    assert old_prefix_dirs() <= before
