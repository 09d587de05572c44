"""Service settings, read from the environment once (`get_settings()`).

Everything the service keeps lives under the data dir (`resolve_data_dir`: `SHENCHA_DATA_DIR`, else
the checkout's data/ or the user's data directory, never the working directory): the SQLite database (unless
`SHENCHA_DATABASE_URL` points elsewhere), the blob store and the secret key.  The secret key
is generated on first use and kept in the data dir (mode 0600), so tokens and session cookies
stay valid across restarts without anyone having to configure one.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping

MiB = 1024**2
WORKER_MODES = ("inprocess", "celery", "none")


@dataclass(frozen=True)
class Limits:
    max_files: int = 200  # uploaded files, and members of any one archive
    max_total_bytes: int = 300 * MiB  # all uploaded files of one package together
    max_file_bytes: int = 100 * MiB  # one uploaded file
    max_zip_ratio: int = 100  # expanded / compressed bytes of an archive
    max_expanded_bytes: int = 1024 * MiB  # everything the archives of one upload expand to


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str = field(repr=False)
    limits: Limits = Limits()
    retention_days: int = 365
    worker_mode: str = "inprocess"
    token_minutes: int = 480
    session_hours: int = 12
    heartbeat_seconds: float = 5.0
    stale_seconds: float = 60.0
    max_attempts: int = 3
    admin_username: str = "admin"
    admin_password: str | None = field(default=None, repr=False)
    # login throttling (`limits` rate-limit strings); failed attempts count, per account and per client address
    login_account_limit: str = "5 per 15 minutes"
    login_address_limit: str = "30 per 15 minutes"
    # where the throttle counts live: memory:// (one process) or redis://host:port (shared by every process)
    login_limit_storage: str = "memory://"
    # argon2 hashing (about 64 MiB each): at most this many at once, this many more waiting, this long
    hash_concurrency: int = 2
    hash_queue: int = 8
    hash_wait_seconds: float = 10.0
    # /docs and /redoc, served with assets from the fastapi-offline package (never a CDN)
    api_docs: bool = True
    # the distributed engine (service/jobs/tasks.py): Celery on this broker; None runs the embedded worker
    broker_url: str | None = None
    # a job's time limit; the broker re-delivers an unacknowledged job only after the visibility
    # timeout, which must therefore be longer than the longest job (checked in `load_settings`)
    job_time_limit: int = 3600
    visibility_timeout: int = 7200
    # shared by every machine (uploads, OCR cache): the data dir unless set; the work folders
    # where runs expand their package are better on a local disk
    blob_root: Path | None = None
    work_root: Path | None = None

    @property
    def blob_dir(self) -> Path:
        return self.blob_root or self.data_dir / "blobs"

    @property
    def work_dir(self) -> Path:
        return self.work_root or self.data_dir / "work"

    @property
    def ocr_cache_dir(self) -> Path:
        return self.data_dir / "ocr-cache"


class ConfigError(ValueError):
    """A setting has a value the service cannot use; the message names the variable."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}：应为整数") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r}：不能小于 {minimum}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}：应为数字") from None
    if value <= 0:
        raise ConfigError(f"{name}={raw!r}：应大于 0")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={raw!r}：应为 1/0、true/false、on/off")


def _rate(env: Mapping[str, str], name: str, default: str) -> str:
    from limits import parse_many

    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        parse_many(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}：应为次数限制，如 \"5 per 15 minutes\"") from None
    return raw


def _storage_uri(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if "://" not in raw:
        raise ConfigError(f"{name}={raw!r}：应为存储地址，如 memory:// 或 redis://127.0.0.1:6379")
    return raw


def _path(env: Mapping[str, str], name: str) -> Path | None:
    raw = env.get(name, "").strip()
    return Path(raw).expanduser().resolve() if raw else None


def read_or_create_secret(data_dir: Path) -> str:
    """The key in DATA_DIR/secret_key, created (0600) by whichever process comes first."""
    path = data_dir / "secret_key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        # a process died between create and write: the empty file is useless, replace it
        path.unlink(missing_ok=True)
        return read_or_create_secret(data_dir)
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return key


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The data dir when SHENCHA_DATA_DIR is not set: one place, whatever the working directory,
    so that `shencha users …` run anywhere sees the server's accounts.

    A source checkout (the code beside the project's pyproject.toml, as `pip install -e` and
    ./scripts/serve.sh run it) keeps its data in the checkout's data/, next to the code; an
    installed package in the user's data directory ($XDG_DATA_HOME/shencha, else
    ~/.local/share/shencha)."""
    env = os.environ if env is None else env
    checkout = Path(__file__).resolve().parent.parent  # service/config.py: the checkout is two levels up
    pyproject = checkout / "pyproject.toml"
    if pyproject.is_file() and 'name = "shencha"' in pyproject.read_text(encoding="utf-8", errors="replace"):
        return checkout / "data"
    xdg = env.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "shencha"


def resolve_data_dir(env: Mapping[str, str] | None = None) -> Path:
    """SHENCHA_DATA_DIR (relative to the working directory, as a path given there would be), else
    `default_data_dir()`."""
    env = os.environ if env is None else env
    raw = env.get("SHENCHA_DATA_DIR", "").strip()
    return Path(raw).expanduser().resolve() if raw else default_data_dir(env)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    data_dir = resolve_data_dir(env)
    database_url = env.get("SHENCHA_DATABASE_URL", "").strip() or f"sqlite:///{data_dir / 'shencha.db'}"
    broker_url = env.get("SHENCHA_BROKER_URL", "").strip() or None
    if broker_url is not None and not broker_url.startswith(("redis://", "rediss://", "amqp://", "amqps://", "pyamqp://")):
        raise ConfigError(f"SHENCHA_BROKER_URL={broker_url!r}：应为 redis://主机:端口/库号 或 amqp://用户:密码@主机:端口//")
    worker_mode = env.get("SHENCHA_WORKER", "").strip() or ("celery" if broker_url else "inprocess")
    if worker_mode not in WORKER_MODES:
        raise ConfigError(f"SHENCHA_WORKER={worker_mode!r}：应为 {' 或 '.join(WORKER_MODES)}")
    if worker_mode == "celery" and broker_url is None:
        raise ConfigError("SHENCHA_WORKER=celery 需要同时设置 SHENCHA_BROKER_URL（如 redis://127.0.0.1:6379/0）")
    job_time_limit = _int(env, "SHENCHA_JOB_TIME_LIMIT", Settings.job_time_limit, minimum=10)
    visibility_timeout = _int(env, "SHENCHA_BROKER_VISIBILITY_TIMEOUT", max(Settings.visibility_timeout, 2 * job_time_limit))
    if visibility_timeout <= job_time_limit + 60:
        raise ConfigError(
            f"SHENCHA_BROKER_VISIBILITY_TIMEOUT={visibility_timeout}：应长于任务时限 SHENCHA_JOB_TIME_LIMIT（{job_time_limit} 秒）"
            "加 60 秒，否则仍在运行的任务会被重复投递"
        )
    defaults = Limits()
    limits = Limits(
        max_files=_int(env, "SHENCHA_MAX_FILES", defaults.max_files),
        max_total_bytes=_int(env, "SHENCHA_MAX_UPLOAD_BYTES", defaults.max_total_bytes),
        max_file_bytes=_int(env, "SHENCHA_MAX_FILE_BYTES", defaults.max_file_bytes),
        max_zip_ratio=_int(env, "SHENCHA_MAX_ZIP_RATIO", defaults.max_zip_ratio),
        max_expanded_bytes=_int(env, "SHENCHA_MAX_EXPANDED_BYTES", defaults.max_expanded_bytes),
    )
    secret = env.get("SHENCHA_SECRET_KEY", "").strip() or read_or_create_secret(data_dir)
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=secret,
        limits=limits,
        retention_days=_int(env, "SHENCHA_RETENTION_DAYS", 365),
        worker_mode=worker_mode,
        token_minutes=_int(env, "SHENCHA_TOKEN_MINUTES", 480),
        session_hours=_int(env, "SHENCHA_SESSION_HOURS", 12),
        heartbeat_seconds=_float(env, "SHENCHA_JOB_HEARTBEAT_SECONDS", 5.0),
        stale_seconds=_float(env, "SHENCHA_JOB_STALE_SECONDS", 60.0),
        max_attempts=_int(env, "SHENCHA_JOB_MAX_ATTEMPTS", 3),
        admin_username=env.get("SHENCHA_ADMIN_USERNAME", "").strip() or "admin",
        admin_password=env.get("SHENCHA_ADMIN_PASSWORD") or None,
        login_account_limit=_rate(env, "SHENCHA_LOGIN_ACCOUNT_LIMIT", Settings.login_account_limit),
        login_address_limit=_rate(env, "SHENCHA_LOGIN_ADDRESS_LIMIT", Settings.login_address_limit),
        login_limit_storage=_storage_uri(env, "SHENCHA_LOGIN_LIMIT_STORAGE", Settings.login_limit_storage),
        hash_concurrency=_int(env, "SHENCHA_HASH_CONCURRENCY", Settings.hash_concurrency),
        hash_queue=_int(env, "SHENCHA_HASH_QUEUE", Settings.hash_queue, minimum=0),
        hash_wait_seconds=_float(env, "SHENCHA_HASH_WAIT_SECONDS", Settings.hash_wait_seconds),
        api_docs=_bool(env, "SHENCHA_API_DOCS", Settings.api_docs),
        broker_url=broker_url,
        job_time_limit=job_time_limit,
        visibility_timeout=visibility_timeout,
        blob_root=_path(env, "SHENCHA_BLOB_DIR"),
        work_root=_path(env, "SHENCHA_WORK_DIR"),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()


def ensure_data_dir(settings: Settings) -> Path:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.blob_dir.mkdir(parents=True, exist_ok=True)
    return settings.data_dir
