"""The shared index of audit keys: which stored packages hold a key (`checkers.audit.keys`).

One interface, two places:
- `DatabaseKeyIndex`: the `audit_keys` table (the embedded default; also the durable copy);
- `RedisKeyIndex`: Redis sets, one per key, when the service runs with a Redis broker, so every
  worker on every machine looks keys up in one fast place.  Redis may keep nothing on disk (it
  does not on this kind of machine): an empty Redis index is rebuilt from the table, which
  every check writes too, before it is used.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.store.db import AuditKey, Package

_CHUNK = 500


class KeyIndex(Protocol):
    def counts(self, kind: str, keys: list[str]) -> dict[str, int]: ...

    def holders(self, kind: str, keys: list[str], exclude: str) -> dict[str, set[str]]: ...

    def add(self, package_id: str, keys: Iterable[tuple[str, str]]) -> None: ...

    def remove(self, package_id: str) -> None: ...


class DatabaseKeyIndex:
    def __init__(self, session: Session) -> None:
        self.session = session

    def counts(self, kind: str, keys: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in range(0, len(keys), _CHUNK):
            out.update(self.session.execute(
                select(AuditKey.key, func.count()).where(AuditKey.kind == kind, AuditKey.key.in_(keys[i:i + _CHUNK]))
                .group_by(AuditKey.key)).all())
        return out

    def holders(self, kind: str, keys: list[str], exclude: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for i in range(0, len(keys), _CHUNK):
            for key, pid in self.session.execute(
                select(AuditKey.key, AuditKey.package_id).join(Package, Package.id == AuditKey.package_id)
                .where(AuditKey.kind == kind, AuditKey.key.in_(keys[i:i + _CHUNK]), Package.deleted_at.is_(None),
                       AuditKey.package_id != exclude)
            ):
                out[key].add(pid)
        return out

    def add(self, package_id: str, keys: Iterable[tuple[str, str]]) -> None:
        self.session.add_all(AuditKey(package_id=package_id, kind=kind, key=key) for kind, key in keys)

    def remove(self, package_id: str) -> None:
        self.session.execute(delete(AuditKey).where(AuditKey.package_id == package_id))


class RedisKeyIndex:
    """Set `{prefix}k:{kind}:{key}` holds the package ids; `{prefix}p:{id}` a package's keys."""

    BUILT = "built"

    def __init__(self, url: str, session: Session, prefix: str = "shencha:audit:") -> None:
        import redis

        self.redis = redis.Redis.from_url(url)
        self.session = session
        self.prefix = prefix
        self._rebuild_if_empty()

    def _k(self, kind: str, key: str) -> str:
        return f"{self.prefix}k:{kind}:{key}"

    def _rebuild_if_empty(self) -> None:
        if self.redis.exists(self.prefix + self.BUILT):
            return
        pipe = self.redis.pipeline(transaction=False)
        n = 0
        for pid, kind, key in self.session.execute(
            select(AuditKey.package_id, AuditKey.kind, AuditKey.key).join(Package, Package.id == AuditKey.package_id)
            .where(Package.deleted_at.is_(None))
        ).yield_per(5000):
            pipe.sadd(self._k(kind, key), pid)
            pipe.sadd(f"{self.prefix}p:{pid}", f"{kind}\x1f{key}")
            n += 1
            if n % 5000 == 0:
                pipe.execute()
        pipe.set(self.prefix + self.BUILT, "1")
        pipe.execute()

    def counts(self, kind: str, keys: list[str]) -> dict[str, int]:
        pipe = self.redis.pipeline(transaction=False)
        for key in keys:
            pipe.scard(self._k(kind, key))
        return {key: n for key, n in zip(keys, pipe.execute()) if n}

    def holders(self, kind: str, keys: list[str], exclude: str) -> dict[str, set[str]]:
        pipe = self.redis.pipeline(transaction=False)
        for key in keys:
            pipe.smembers(self._k(kind, key))
        out: dict[str, set[str]] = {}
        for key, members in zip(keys, pipe.execute()):
            ids = {m.decode() for m in members} - {exclude}
            if ids:
                out[key] = ids
        return out

    def add(self, package_id: str, keys: Iterable[tuple[str, str]]) -> None:
        pipe = self.redis.pipeline(transaction=False)
        for kind, key in keys:
            pipe.sadd(self._k(kind, key), package_id)
            pipe.sadd(f"{self.prefix}p:{package_id}", f"{kind}\x1f{key}")
        pipe.execute()

    def remove(self, package_id: str) -> None:
        mine = f"{self.prefix}p:{package_id}"
        pipe = self.redis.pipeline(transaction=False)
        for member in self.redis.smembers(mine):
            kind, _, key = member.decode().partition("\x1f")
            pipe.srem(self._k(kind, key), package_id)
        pipe.delete(mine)
        pipe.execute()


class BothKeyIndexes:
    """Redis answers; the table keeps the durable copy every write goes to as well."""

    def __init__(self, redis_index: RedisKeyIndex, table: DatabaseKeyIndex) -> None:
        self.redis_index, self.table = redis_index, table

    def counts(self, kind: str, keys: list[str]) -> dict[str, int]:
        return self.redis_index.counts(kind, keys)

    def holders(self, kind: str, keys: list[str], exclude: str) -> dict[str, set[str]]:
        return self.redis_index.holders(kind, keys, exclude)

    def add(self, package_id: str, keys: Iterable[tuple[str, str]]) -> None:
        keys = list(keys)
        self.table.add(package_id, keys)
        self.redis_index.add(package_id, keys)

    def remove(self, package_id: str) -> None:
        self.table.remove(package_id)
        self.redis_index.remove(package_id)


def key_index(session: Session, broker_url: str | None = None) -> KeyIndex:
    """Redis (with the table) when the service's broker is Redis, else the table alone."""
    if broker_url and broker_url.startswith(("redis://", "rediss://")):
        import hashlib

        # one Redis may serve several services' databases: each its own keys
        url = session.get_bind().url.render_as_string(hide_password=True)
        prefix = f"shencha:audit:{hashlib.sha256(url.encode()).hexdigest()[:10]}:"
        return BothKeyIndexes(RedisKeyIndex(broker_url, session, prefix=prefix), DatabaseKeyIndex(session))
    return DatabaseKeyIndex(session)
