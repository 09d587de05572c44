"""The blob store: content addressed, stored once, unreferenced blobs removed."""

from __future__ import annotations

import hashlib

import pytest

from service.domain import packages
from service.store.blobs import DirectoryBlobStore, delete_unreferenced
from tests.test_service_packages import PDF


def test_put_is_content_addressed_and_stored_once(tmp_path):
    store = DirectoryBlobStore(tmp_path / "blobs")
    digest = store.put(b"hello")
    assert digest == hashlib.sha256(b"hello").hexdigest()
    path = store.path(digest)
    assert path == tmp_path / "blobs" / digest[:2] / digest and path.read_bytes() == b"hello"
    inode = path.stat().st_ino
    assert store.put(b"hello") == digest and path.stat().st_ino == inode  # not rewritten
    assert store.all() == {digest} and store.read(digest) == b"hello" and store.exists(digest)
    assert not list(path.parent.glob(".tmp-*"))


def test_a_truncated_blob_is_rewritten(tmp_path):
    store = DirectoryBlobStore(tmp_path)
    digest = store.put(b"complete content")
    store.path(digest).write_bytes(b"compl")
    store.put(b"complete content")
    assert store.read(digest) == b"complete content"


def test_paths_only_for_digests(tmp_path):
    store = DirectoryBlobStore(tmp_path)
    for bad in ("../../etc/passwd", "ab", "A" * 64):
        with pytest.raises(ValueError):
            store.path(bad)


def test_delete_unreferenced(tmp_path):
    store = DirectoryBlobStore(tmp_path)
    keep, drop = store.put(b"keep"), store.put(b"drop")
    (tmp_path / keep[:2] / ".tmp-leftover").write_bytes(b"half")
    assert store.delete_unreferenced(lambda: {keep}) == [drop]
    assert store.all() == {keep} and not list(tmp_path.glob("??/.tmp-*"))


def test_delete_unreferenced_against_the_database(session, make_user):
    user = make_user("a", "agency")
    pkg = packages.create_package(session, user, [("a.pdf", PDF)])
    from service.store.blobs import get_store

    stray = get_store().put(b"orphan")
    assert delete_unreferenced(session) == [stray]
    assert get_store().exists(hashlib.sha256(PDF).hexdigest()) and pkg.id
