"""Settings from the environment; the secret key made once, private, and kept."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from service.config import ConfigError, Limits, load_settings


def test_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = load_settings({"SHENCHA_SECRET_KEY": "k" * 40})  # a given key: nothing is written to the data dir
    data = Path(__file__).resolve().parents[1] / "data"  # the checkout's data/, whatever the working directory
    assert s.data_dir == data
    assert s.database_url == f"sqlite:///{data / 'shencha.db'}"
    assert s.limits == Limits() and s.worker_mode == "inprocess" and s.retention_days == 365
    assert s.blob_dir == data / "blobs"


def test_environment_overrides(tmp_path):
    env = {
        "SHENCHA_DATA_DIR": str(tmp_path / "d"),
        "SHENCHA_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
        "SHENCHA_MAX_FILES": "7",
        "SHENCHA_MAX_UPLOAD_BYTES": "1000",
        "SHENCHA_MAX_FILE_BYTES": "500",
        "SHENCHA_MAX_ZIP_RATIO": "50",
        "SHENCHA_MAX_EXPANDED_BYTES": "9000",
        "SHENCHA_RETENTION_DAYS": "30",
        "SHENCHA_WORKER": "none",
        "SHENCHA_SECRET_KEY": "k" * 40,
    }
    s = load_settings(env)
    assert s.data_dir == tmp_path / "d" and s.database_url.startswith("postgresql+psycopg://")
    assert s.limits == Limits(7, 1000, 500, 50, 9000)
    assert (s.retention_days, s.worker_mode, s.secret_key) == (30, "none", "k" * 40)
    assert not (tmp_path / "d" / "secret_key").exists()


@pytest.mark.parametrize("var,value", [("SHENCHA_MAX_FILES", "many"), ("SHENCHA_RETENTION_DAYS", "0"),
                                       ("SHENCHA_WORKER", "celery-ish"), ("SHENCHA_JOB_STALE_SECONDS", "-1")])
def test_bad_values_name_the_variable(tmp_path, var, value):
    with pytest.raises(ConfigError, match=var):
        load_settings({"SHENCHA_DATA_DIR": str(tmp_path), var: value})


def test_secret_key_is_created_once_with_mode_0600(tmp_path):
    env = {"SHENCHA_DATA_DIR": str(tmp_path / "d")}
    first = load_settings(env).secret_key
    path = tmp_path / "d" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 40 and load_settings(env).secret_key == first
    path.write_text("")  # a process died between creating and writing it
    assert load_settings(env).secret_key not in ("", first)
