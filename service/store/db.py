"""The service's database: SQLAlchemy 2.0 models, engine and sessions, on SQLite or PostgreSQL.

The schema is owned by the Alembic migrations in `service/store/migrations/versions/`; `upgrade()`
brings a database to head and runs wherever the service opens one (`get_database()`), so the
server and every command see the same schema.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import (
    Boolean,
    Index,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker
from sqlalchemy.types import TypeDecorator

ROLES = ("agency", "city", "province")
PACKAGE_STATUSES = ("queued", "running", "done", "failed")
JOB_STATUSES = ("queued", "running", "done", "failed")
MARK_STATUSES = ("已核实", "误报", "待补正")
AUDIT_ACTIONS = ("upload", "view", "mark", "delete", "recheck", "download", "login", "login_failed", "logout", "purge",
                 "accept", "summary")
SEVERITIES = ("veto", "error", "warning", "info")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend (SQLite drops zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    city: Mapped[str | None] = mapped_column(String(64))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # bumped on logout: every session cookie and access token issued before carries the old value
    # (`auth.session_stamp`) and stops working at once
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def __repr__(self) -> str:
        return f"User({self.username!r}, {self.role}, {self.city!r})"


class Package(Base):
    __tablename__ = "packages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    name: Mapped[str] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(64), index=True)
    form_hint: Mapped[str | None] = mapped_column(String(64))
    form: Mapped[str | None] = mapped_column(String(64))
    company: Mapped[str | None] = mapped_column(String(255))
    credit_code: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    progress_stage: Mapped[str | None] = mapped_column(String(16))
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    progress_detail: Mapped[str | None] = mapped_column(Text)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    report: Mapped[str | None] = mapped_column(Text)
    veto_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    warning_count: Mapped[int] = mapped_column(Integer, default=0)
    info_count: Mapped[int] = mapped_column(Integer, default=0)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # a reviewer accepted the package despite open findings: the summary tables take it (issue 12)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by: Mapped[str | None] = mapped_column(String(64))  # the username, kept if the user goes
    accepted_note: Mapped[str | None] = mapped_column(Text)

    uploader: Mapped[User] = relationship(lazy="joined")

    @property
    def progress(self) -> dict[str, Any]:
        return {
            "stage": self.progress_stage,
            "done": self.progress_done or 0,
            "total": self.progress_total or 0,
            "detail": self.progress_detail or "",
        }

    @property
    def counts(self) -> dict[str, int]:
        return {s: getattr(self, f"{s}_count") or 0 for s in SEVERITIES}

    def report_dict(self) -> dict[str, Any] | None:
        return json.loads(self.report) if self.report else None

    def __repr__(self) -> str:
        return f"Package({self.id}, {self.name!r}, {self.status})"


class PackageFile(Base):
    __tablename__ = "package_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text)  # the name as uploaded: a label, never a file-system path
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16))


class FindingMark(Base):
    __tablename__ = "finding_marks"
    __table_args__ = (UniqueConstraint("package_id", "finding_id", name="uq_finding_marks_package_finding"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"))
    finding_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class AuditFeatures(Base):
    """A checked package's features for the provincial audit (`extractor/audit/features.py`)."""

    __tablename__ = "audit_features"

    package_id: Mapped[str] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"), primary_key=True)
    company_key: Mapped[str] = mapped_column(String(300))
    features: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AuditKey(Base):
    """What a package shares with others is found by these: hashed ID numbers, figure prints,
    credit codes and names, contacts, picture-hash bands, sentence LSH bands."""

    __tablename__ = "audit_keys"
    __table_args__ = (Index("ix_audit_keys_key", "kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))


class AuditSignal(Base):
    __tablename__ = "audit_signals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)  # JSON
    locations: Mapped[str] = mapped_column(Text)  # JSON, each with "package": the package's id
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditSignalPackage(Base):
    __tablename__ = "audit_signal_packages"

    signal_id: Mapped[int] = mapped_column(ForeignKey("audit_signals.id", ondelete="CASCADE"), primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"), primary_key=True, index=True)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(16))
    # no foreign key: the trail must outlive the package it talks about
    package_id: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship(lazy="joined")


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(128))  # host:pid of the claiming process
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)


# ---------------------------------------------------------------- engine and sessions


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # WAL lets the worker thread write while request threads read
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(connection: Connection | None = None) -> Any:
    """Alembic configured in code: the migrations ship inside the package, no alembic.ini."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


@contextmanager
def _migration_lock(engine: Engine, conn: Connection) -> Iterator[None]:
    """Two processes starting at once must not both run the migrations."""
    if engine.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_lock(7265347311)"))
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(7265347311)"))
            conn.commit()
        return
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        import fcntl

        with open(f"{database}.migrate-lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return
    yield


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.pid = os.getpid()
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def new_session(self) -> Session:
        """A session the caller closes (FastAPI dependencies)."""
        return self._sessions()

    def upgrade(self, revision: str = "head") -> None:
        from alembic import command

        with self.engine.connect() as conn:
            with _migration_lock(self.engine, conn):
                command.upgrade(alembic_config(conn), revision)
                conn.commit()

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def dispose(self) -> None:
        self.engine.dispose()


_databases: dict[str, Database] = {}
_databases_lock = threading.Lock()


def get_database(url: str | None = None) -> Database:
    """The process-wide database for `url` (default: the settings'), upgraded to head once."""
    if url is None:
        from service.config import get_settings

        url = get_settings().database_url
    with _databases_lock:
        db = _databases.get(url)
        if db is None or db.pid != os.getpid():  # a forked child must not share the parent's pool
            db = Database(url)
            db.upgrade()
            _databases[url] = db
        return db


def reset_database_cache() -> None:
    with _databases_lock:
        for db in _databases.values():
            db.dispose()
        _databases.clear()
