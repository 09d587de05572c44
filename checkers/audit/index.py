"""Finding near-duplicate sentences: MinHash LSH.

A batch (`shencha audit`) is joined at once by `candidate_pairs`: numpy arrays of band hashes,
sorted, so that 400,000 sentences of 10,000 packages cost arrays rather than dictionaries.  One
package against everything stored (the service, as each check ends) asks a `PassageIndex`
(datasketch's MinHashLSH): in memory, or in Redis (datasketch's own Redis storage) so that
every worker adds to and searches one index.  Keys are
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


BANDS, ROWS = 14, 4  # what datasketch picks for THRESHOLD with 64 permutations
MAX_BUCKET = 200  # sentences sharing a band with more than this many others are common text


def band_hashes(signatures: np.ndarray, bands: int = BANDS, rows: int = ROWS) -> np.ndarray:
    """(N × bands) uint64: each band of each signature hashed to one number."""
    sig = signatures.astype(np.uint64).reshape(-1, signatures.shape[-1])
    out = np.zeros((sig.shape[0], bands), dtype=np.uint64)
    for band in range(bands):
        key = np.zeros(sig.shape[0], dtype=np.uint64)
        for c in range(rows):
            key = key * np.uint64(0x100000001B3) ^ sig[:, band * rows + c]  # FNV-style mix; collisions only add candidates
        out[:, band] = key
    return out


def candidate_pairs(signatures: np.ndarray, bands: int = BANDS, rows: int = ROWS,
                    max_bucket: int = MAX_BUCKET) -> tuple[dict[int, set[int]], set[int]]:
    """The LSH join of a whole batch at once: for each row of `signatures` (N × 64), the other rows
    that share a band with it; and the rows that share a band with more than `max_bucket` others
    (text too common to be evidence).  Bands are hashed into uint64 and sorted with numpy, so a
    batch of millions of sentences needs arrays, not a dictionary per band."""
    n = signatures.shape[0]
    near: dict[int, set[int]] = {}
    common: set[int] = set()
    if n < 2:
        return near, common
    hashed = band_hashes(signatures, bands, rows)
    for band in range(bands):
        key = hashed[:, band]
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        ends = np.r_[starts[1:], n]
        for s, e in zip(starts[(ends - starts) > 1], ends[(ends - starts) > 1]):
            members = order[s:e].tolist()
            if len(members) > max_bucket:
                common.update(members)
                continue
            for x in members:
                near.setdefault(x, set()).update(y for y in members if y != x)
    return near, common
