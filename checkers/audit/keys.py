"""The keys by which a package is found sharing something with others, one package at a time
(the service compares each package, as its check ends, with every package stored).

Two packages that share a signal share at least one key: the same hashed ID number, the same
name with the same visible digits or birth date, the same figure print, credit code, company
name or contact, one of the 8 bands of a picture's hash, or one of the 14 LSH bands of a
sentence (`index.band_hashes`, as the batch audit joins them).
"""

from __future__ import annotations

import numpy as np

from checkers.audit.index import band_hashes
from extractor.audit.features import PackageFeatures
from extractor.audit.passages import decode_signature


def passage_band_keys(features: PackageFeatures) -> list[list[str]]:
    """For each passage, its band keys."""
    if not features.passages:
        return []
    hashed = band_hashes(np.stack([decode_signature(p.signature) for p in features.passages]))
    return [[f"{b}:{int(v):x}" for b, v in enumerate(row)] for row in hashed]


def audit_keys(features: PackageFeatures) -> list[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for bands in passage_band_keys(features):
        keys.update(("band", k) for k in bands)
    for person in features.people:
        if person.id_hash:
            keys.add(("id", person.id_hash))
        if person.id_visible:
            keys.add(("visible", f"{person.name}|{person.id_visible}"))
        elif person.birth:
            keys.add(("birth", f"{person.name}|{person.birth}"))
    for fs in features.figures:
        if not fs.round_only:
            keys.add(("figures", fs.fingerprint))
    for pic in features.pictures:
        h = int(pic.phash, 16)
        keys.update(("picture", f"{band}:{(h >> (32 * band)) & 0xFFFFFFFF:x}") for band in range(8))
    if features.credit_code:
        keys.add(("code", features.credit_code))
    if features.company:
        keys.add(("company", features.company[:190]))
    for c in features.contacts:
        if c.kind in ("mobile", "email"):
            keys.add(("contact", f"{c.kind}:{c.value}"[:190]))
    return sorted(keys)
