"""The blob store the uploaded files live in, behind one interface (`BlobStore`), so that every
worker machine reads what the API machine accepted.

`DirectoryBlobStore` is the one there is: content-addressed files `<root>/ab/<sha256>` in the
data dir (`SHENCHA_BLOB_DIR` to put them elsewhere), on a path every machine mounts (NFS v4 or
another file system with `flock`, see the README's "Scaling out").  An S3-compatible store would
be one more class with these methods, picked in `get_store`; nothing else changes.

A blob is written to a temporary file, fsynced and renamed into place (then the folder is
fsynced), so once `put` returns the bytes survive a crash; the same content is stored once.

Deleting unreferenced blobs races with uploads of content that is already stored (the upload
sees the blob, the deleter sees no row referencing it yet).  An `flock` on `blobs/.lock` closes
that: uploads hold it shared from `put` until their rows are committed (`ingest()`), deletion
holds it exclusively.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Callable, Iterator, Protocol

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobStore(Protocol):
    def exists(self, sha256: str) -> bool: ...

    def read(self, sha256: str) -> bytes:
        """The blob's bytes; FileNotFoundError when there is none."""

    def put(self, data: bytes) -> str:
        """Stores `data` durably (it survives a crash once this returns); returns its sha256."""

    def all(self) -> set[str]: ...

    def ingest(self) -> AbstractContextManager[None]:
        """Held while storing blobs and committing the rows that reference them."""

    def delete_unreferenced(self, referenced: Callable[[], set[str]]) -> list[str]:
        """Removes every blob not in `referenced()`, asked while no upload can be between `put`
        and the commit of its rows; returns their digests."""


class DirectoryBlobStore:
    """Blobs as files in a directory (local, or mounted by every machine)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a sha256 digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.is_file() and target.stat().st_size == len(data):
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return digest

    def all(self) -> set[str]:
        if not self.root.is_dir():
            return set()
        return {p.name for p in self.root.glob("??/*") if _SHA256.match(p.name)}

    @contextmanager
    def _lock(self, mode: int) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a") as fh:
            fcntl.flock(fh, mode)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def ingest(self) -> AbstractContextManager[None]:
        """Hold while storing blobs and committing the rows that reference them."""
        return self._lock(fcntl.LOCK_SH)

    def delete_unreferenced(self, referenced: Callable[[], set[str]]) -> list[str]:
        """Remove every blob not in `referenced()` (asked under the exclusive lock)."""
        with self._lock(fcntl.LOCK_EX):
            keep = referenced()
            removed = []
            for digest in sorted(self.all() - keep):
                self.path(digest).unlink(missing_ok=True)
                removed.append(digest)
            for leftover in self.root.glob("??/.tmp-*"):  # from a process killed mid-write
                leftover.unlink(missing_ok=True)
            return removed


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def get_store(settings=None) -> BlobStore:
    from service.config import get_settings

    return DirectoryBlobStore((settings or get_settings()).blob_dir)


def referenced_digests(session) -> set[str]:
    from sqlalchemy import select

    from service.store.db import PackageFile

    return set(session.scalars(select(PackageFile.sha256).distinct()))


def delete_unreferenced(session, store: BlobStore | None = None) -> list[str]:
    """Blobs no `PackageFile` row refers to any more, removed; returns their digests."""
    store = store or get_store()
    return store.delete_unreferenced(lambda: referenced_digests(session))
