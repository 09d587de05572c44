"""The passage index the audit searches: MinHash LSH (datasketch), behind one interface.

In memory for the CLI; in Redis (datasketch's own Redis storage) when the service runs with a
Redis broker, so that every worker adds to and searches one index.  Keys are
"<package key>/<passage number>"; values are the uint32 signatures of
`extractor.audit.passages`.
"""

from __future__ import annotations

from typing import Iterable, Protocol

import numpy as np

from extractor.audit.passages import NUM_PERM

THRESHOLD = 0.5  # Jaccard of shingles: a candidate; the alignment decides


class PassageIndex(Protocol):
    def add(self, key: str, signature: np.ndarray) -> None: ...

    def query(self, signature: np.ndarray) -> list[str]: ...


def _lean(signature: np.ndarray):
    from datasketch import LeanMinHash

    return LeanMinHash(seed=1, hashvalues=np.asarray(signature, dtype=np.uint64))


class MemoryPassageIndex:
    def __init__(self, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)

    def add(self, key: str, signature: np.ndarray) -> None:
        self.lsh.insert(key, _lean(signature), check_duplication=False)

    def add_many(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        with self.lsh.insertion_session() as session:
            for key, sig in items:
                session.insert(key, _lean(sig), check_duplication=False)

    def query(self, signature: np.ndarray) -> list[str]:
        return list(self.lsh.query(_lean(signature)))


class RedisPassageIndex(MemoryPassageIndex):
    """The same index kept in Redis under `basename`, shared by every process that opens it."""

    def __init__(self, host: str, port: int, db: int = 0, basename: str = "shencha-audit",
                 threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, storage_config={
            "type": "redis", "basename": basename.encode(), "redis": {"host": host, "port": port, "db": db}})
