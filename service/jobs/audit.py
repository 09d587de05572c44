"""After a package's check: keep its audit features and compare it with every package stored.

Incremental, one package against the province: its keys (`checkers.audit.keys`) find the
packages it shares anything with through the shared key index (`service.store.audit_index`: the
`audit_keys` table, and Redis sets when the broker is Redis), which every worker on every machine
reads and writes.  A sentence whose bands
are shared by packages of three companies or more is text many write, and is left out before
the comparison, exactly as the batch audit does; a key shared by more than `MAX_SHARED`
packages (a common phrase's band) brings no candidates.  The audit rules then run over the new
package and its candidates only, and the signals that name the new package replace the ones a
previous check of it gave.
"""

from __future__ import annotations

import fcntl
import json
import logging
from contextlib import contextmanager
from collections import defaultdict
from typing import Any, Iterator

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from checkers.audit.keys import audit_keys, passage_band_keys
from checkers.audit.model import AuditedPackage
from checkers.audit.rules import BOILERPLATE_COMPANIES
from checkers.audit.run import audit
from extractor.audit.features import PackageFeatures
from service.config import get_settings
from service.store.audit_index import KeyIndex, key_index
from service.store.db import AuditFeatures, AuditSignal, AuditSignalPackage, Package, utcnow

log = logging.getLogger("shencha.audit")

MAX_SHARED = 200  # packages sharing one key: beyond, the key is common and finds no candidate
MAX_CANDIDATES = 500
_CHUNK = 500


AUDIT_LOCK = 7265347312  # PostgreSQL advisory lock: one comparison at a time across every worker


@contextmanager
def one_comparison_at_a_time(session: Session) -> Iterator[None]:
    """Two packages checked at once on two workers must see each other: were both compared before
    either was stored, the pair would never be compared.  Comparisons take a fraction of a second,
    so they run one after the other: an advisory lock on PostgreSQL (held to the commit), a file
    lock beside SQLite (whose workers share a machine)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({AUDIT_LOCK})"))
        yield
        return
    lock_path = get_settings().data_dir / "audit.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def compare_checked_package(session: Session, package_id: str, report: dict[str, Any]) -> int:
    """Store the package's features and its signals against the others; returns how many signals."""
    with one_comparison_at_a_time(session):
        return _compare(session, package_id, report)


def _compare(session: Session, package_id: str, report: dict[str, Any]) -> int:
    section = report.get("audit")
    forget_package(session, package_id)
    package = session.get(Package, package_id)
    if not section or package is None or package.deleted_at is not None:  # deleted while it was checked
        session.commit()
        return 0
    features = PackageFeatures.model_validate(section)
    me = AuditedPackage(name=package_id, features=features)
    keys = audit_keys(features)
    index = key_index(session, get_settings().broker_url)
    holders = _holders(index, keys, package_id)
    whole = me
    me = AuditedPackage(name=package_id, features=_without_common_text(session, me, holders))
    others = _candidates(session, holders)
    signals = [s for s in audit([me] + others) if package_id in s.packages] if others else []
    _retract_what_became_common(session, whole, others)
    session.add(AuditFeatures(package_id=package_id, company_key=me.company_key[:300], features=json.dumps(section, ensure_ascii=False)))
    index.add(package_id, keys)
    for s in signals:
        row = AuditSignal(rule=s.rule, severity=s.severity, message=s.message,
                          evidence=json.dumps(s.evidence, ensure_ascii=False), locations=json.dumps(s.locations, ensure_ascii=False),
                          created_at=utcnow())
        session.add(row)
        session.flush()
        session.add_all(AuditSignalPackage(signal_id=row.id, package_id=pid) for pid in sorted(set(s.packages)))
    session.commit()
    return len(signals)


def _retract_what_became_common(session: Session, me: AuditedPackage, others: list[AuditedPackage]) -> None:
    """A copied-text signal between two earlier packages whose sentences this package writes too
    was boilerplate seen too early: three companies now write it.  Checked again with the three
    together, and withdrawn when it no longer stands."""
    if not others:
        return
    by_id = {o.name: o for o in others}
    rows = session.execute(
        select(AuditSignal.id, AuditSignalPackage.package_id)
        .join(AuditSignalPackage, AuditSignalPackage.signal_id == AuditSignal.id)
        .where(AuditSignal.rule == "AUDIT.TEXT_COPIED", AuditSignalPackage.package_id.in_(list(by_id)))
    ).all()
    pairs: dict[int, set[str]] = defaultdict(set)
    for sid, pid in rows:
        pairs[sid].add(pid)
    for sid, pids in pairs.items():
        linked = set(session.scalars(select(AuditSignalPackage.package_id).where(AuditSignalPackage.signal_id == sid)))
        if len(linked) != 2 or not linked <= set(by_id):
            continue
        x, y = sorted(linked)
        still = [s for s in audit([by_id[x], by_id[y], me]) if s.rule == "AUDIT.TEXT_COPIED" and set(s.packages) == {x, y}]
        if not still:
            session.execute(delete(AuditSignalPackage).where(AuditSignalPackage.signal_id == sid))
            session.execute(delete(AuditSignal).where(AuditSignal.id == sid))


def forget_package(session: Session, package_id: str) -> None:
    """Its features, keys and every signal naming it (a recheck gives them again)."""
    signal_ids = list(session.scalars(select(AuditSignalPackage.signal_id).where(AuditSignalPackage.package_id == package_id)))
    if signal_ids:
        session.execute(delete(AuditSignalPackage).where(AuditSignalPackage.signal_id.in_(signal_ids)))
        session.execute(delete(AuditSignal).where(AuditSignal.id.in_(signal_ids)))
    key_index(session, get_settings().broker_url).remove(package_id)
    session.execute(delete(AuditFeatures).where(AuditFeatures.package_id == package_id))


def _holders(index: KeyIndex, keys: list[tuple[str, str]], me: str) -> dict[tuple[str, str], set[str]]:
    """Who else holds each key.  A key many packages hold (a template sentence's band) is counted,
    not listed: it stands for `MAX_SHARED + 1` holders and brings no candidates."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, key in keys:
        by_kind[kind].append(key)
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for kind, values in by_kind.items():
        counts = index.counts(kind, values)
        for key, n in counts.items():
            if n > MAX_SHARED:
                holders[(kind, key)] = {f"common:{m}" for m in range(MAX_SHARED + 1)}
        listed = [key for key, n in counts.items() if n <= MAX_SHARED]
        for key, pids in index.holders(kind, listed, me).items():
            holders[(kind, key)] = pids
    return holders


def _company_keys(session: Session, package_ids: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    ids = sorted(package_ids)
    for i in range(0, len(ids), _CHUNK):
        for pid, key in session.execute(select(AuditFeatures.package_id, AuditFeatures.company_key)
                                        .where(AuditFeatures.package_id.in_(ids[i:i + _CHUNK]))):
            out[pid] = key
    return out


def _without_common_text(session: Session, me: AuditedPackage, holders: dict[tuple[str, str], set[str]]) -> PackageFeatures:
    """The passages packages of other companies share in numbers are left out (boilerplate)."""
    features = me.features
    bands = passage_band_keys(features)
    sharing_of = []
    everyone: set[str] = set()
    for keys in bands:
        sharing: set[str] = set()
        for k in keys:
            sharing |= holders.get(("band", k), set())
        sharing_of.append(sharing)
        if len(sharing) <= MAX_SHARED:
            everyone |= sharing
    company_of = _company_keys(session, everyone)
    kept = []
    for passage, sharing in zip(features.passages, sharing_of):
        if len(sharing) > MAX_SHARED:
            continue
        companies = {company_of.get(pid, pid) for pid in sharing} | {me.company_key}
        if len(companies) >= BOILERPLATE_COMPANIES:
            continue  # a sentence (or one like it) many companies write
        kept.append(passage)
    return features.model_copy(update={"passages": kept})


def _candidates(session: Session, holders: dict[tuple[str, str], set[str]]) -> list[AuditedPackage]:
    counts: dict[str, int] = defaultdict(int)
    for (_kind, _key), pids in holders.items():
        if len(pids) > MAX_SHARED:
            continue
        for pid in pids:  # (never a "common:" placeholder: those sets are larger than MAX_SHARED)
            counts[pid] += 1
    chosen = sorted(counts, key=lambda pid: (-counts[pid], pid))[:MAX_CANDIDATES]
    out = []
    for i in range(0, len(chosen), _CHUNK):
        for pid, stored in session.execute(select(AuditFeatures.package_id, AuditFeatures.features)
                                         .where(AuditFeatures.package_id.in_(chosen[i:i + _CHUNK]))):
            try:
                out.append(AuditedPackage(name=pid, features=PackageFeatures.model_validate_json(stored)))
            except ValueError:
                log.warning("stored audit features of %s do not load; left out", pid)
    return out
