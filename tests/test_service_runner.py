"""run_job: safe materialisation of uploaded names, progress, results, failures."""

from __future__ import annotations

import pytest

from service.domain import packages

from service.jobs import runner
from service.store import workdirs
from service.store.db import Package
from service.store.blobs import DirectoryBlobStore
from tests.test_service_packages import PDF, sample_files


@pytest.mark.parametrize(
    "given,safe",
    [
        ("../../etc/passwd", "etc/passwd"),
        ("/abs/a.pdf", "abs/a.pdf"),
        ("C:\\Users\\x\\报告.docx", "Users/x/报告.docx"),
        ("a/./b/../c.pdf", "a/b/c.pdf"),
        ('bad:na*me?.pdf', "bad_na_me_.pdf"),
        ("nul\x00byte.pdf", "nul_byte.pdf"),
        ("..", "文件"),
        (".hidden.pdf", ".hidden.pdf"),
    ],
)
def test_safe_relative_path(given, safe):
    assert workdirs.safe_relative_path(given) == safe


def test_long_names_are_shortened_keeping_the_extension():
    name = "很长的文件名" * 40 + ".docx"
    safe = workdirs.safe_segment(name)
    assert safe.endswith(".docx") and len(safe.encode()) <= workdirs.MAX_NAME_BYTES


def test_materialise_folder_stays_inside_and_keeps_duplicates(tmp_path):
    store = DirectoryBlobStore(tmp_path / "blobs")
    a, b = store.put(b"%PDF-1 a"), store.put(b"%PDF-1 b")
    root = tmp_path / "job"
    root.mkdir()
    files = [("../../x.pdf", a, "pdf"), ("x.pdf", b, "pdf"), ("X.PDF", a, "pdf"), ("sub/../../y.pdf", b, "pdf")]
    target = workdirs.materialise(root, "包/名", files, store)
    assert target == root / "包_名"
    written = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert written == ["X-3.PDF", "sub/y.pdf", "x-2.pdf", "x.pdf"]  # case-insensitive file systems too
    assert all(p.resolve().is_relative_to(root.resolve()) for p in root.rglob("*"))
    assert {p.read_bytes() for p in target.rglob("*") if p.is_file()} == {b"%PDF-1 a", b"%PDF-1 b"}


def test_materialise_single_archive(tmp_path):
    store = DirectoryBlobStore(tmp_path / "blobs")
    digest = store.put(b"PK\x05\x06" + b"\0" * 18)
    target = workdirs.materialise(tmp_path, "ignored", [("../材料", digest, "zip")], store)
    assert target == tmp_path / "材料.zip" and target.read_bytes().startswith(b"PK")


def test_missing_or_corrupt_blob_fails_the_package(session, database, make_user):
    user = make_user("a", "agency")
    pkg = packages.create_package(session, user, [("a.pdf", PDF)])
    (f,) = packages.package_files(session, user, pkg.id)
    from service.store.blobs import get_store

    get_store().path(f.sha256).write_bytes(b"tampered")
    assert runner.run_job(pkg.id, database=database) == "failed"
    session.expire_all()
    assert "缺失或已损坏" in session.get(Package, pkg.id).reason


def test_progress_is_written_while_reviewing(session, database, make_user, monkeypatch):
    from service.review import pipeline
    user = make_user("a", "agency")
    pkg = packages.create_package(session, user, sample_files("hn_bench_01"))
    seen = []
    real = pipeline.review_package

    def watching(path, progress=None, form_hint=None):
        def spy(stage, done, total, detail):
            progress(stage, done, total, detail)
            with database.session() as s:
                seen.append(s.get(Package, pkg.id).progress)
        return real(path, progress=spy, form_hint=form_hint)

    monkeypatch.setattr(pipeline, "review_package", watching)
    assert runner.run_job(pkg.id, database=database) == "done"
    assert seen[0] == {"stage": "read", "done": 0, "total": 3, "detail": seen[0]["detail"]}
    assert seen[0]["detail"]  # the file being read
    assert {"stage": "read", "done": 3, "total": 3, "detail": ""} in seen
    assert seen[-1]["stage"] == "check" and seen[-1]["done"] == 1


def test_internal_error_reason(session, database, make_user, monkeypatch):
    from service.review import pipeline
    def boom(path, progress=None, form_hint=None):
        raise KeyError("table")

    monkeypatch.setattr(pipeline, "review_package", boom)
    user = make_user("a", "agency")
    pkg = packages.create_package(session, user, [("a.pdf", PDF)])
    assert runner.run_job(pkg.id, database=database) == "failed"
    session.expire_all()
    assert session.get(Package, pkg.id).reason.startswith("内部错误（KeyError）")


def test_deleted_meanwhile(session, database, make_user, monkeypatch):
    from service.review import pipeline
    user = make_user("a", "agency")
    pkg = packages.create_package(session, user, sample_files("hn_bench_01"))
    real = pipeline.review_package

    def delete_during(path, progress=None, form_hint=None):
        review = real(path, progress=progress, form_hint=form_hint)
        with database.session() as s:
            packages.delete_package(s, s.merge(user), pkg.id)
        return review

    monkeypatch.setattr(pipeline, "review_package", delete_during)
    assert runner.run_job(pkg.id, database=database) == "deleted"
    session.expire_all()
    row = session.get(Package, pkg.id)
    assert row.deleted_at is not None and row.report is None
    assert runner.run_job(pkg.id, database=database) == "deleted"
