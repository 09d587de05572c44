"""The service layer: uploads and their refusals, scope per role, marks, delete, recheck, audit —
on SQLite and on PostgreSQL, with the real pipeline doing the checking."""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from service.auth import audit_log as audit

from service.domain import packages
from service.config import Limits
from service.store.db import AuditLog, FindingMark, Job, Package, PackageFile
from service.jobs.queue import InProcessQueue
from service.domain.packages import NotFound, PackageFilters, Refusal
from service.store.blobs import get_store

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"


def sample_files(name: str) -> list[tuple[str, bytes]]:
    """A sample package as an upload: the zip itself, or the folder's files with relative paths."""
    path = SAMPLES / name
    if path.is_file():
        return [(path.name, path.read_bytes())]
    return [(f"{name}/{p.relative_to(path).as_posix()}", p.read_bytes()) for p in sorted(path.rglob("*")) if p.is_file()]


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


PDF = (SAMPLES / "hn_bench_01" / "无事故及未列入失信黑名单证明.pdf").read_bytes()


class RecordingQueue:
    def __init__(self) -> None:
        self.submitted: list[str] = []

    def submit(self, package_id: str) -> None:
        self.submitted.append(package_id)


@pytest.fixture
def people(make_user):
    return {
        "agency_a": make_user("agency_a", "agency", city="武汉市"),
        "agency_b": make_user("agency_b", "agency"),
        "agency_c": make_user("agency_c", "agency", city="宜昌市"),
        "wuhan": make_user("wuhan", "city", city="武汉市"),
        "yichang": make_user("yichang", "city", city="宜昌市"),
        "province": make_user("province", "province"),
    }


def run_queued(database, service_settings) -> int:
    return InProcessQueue(database=database, settings=service_settings).run_until_idle()


# ---------------------------------------------------------------- upload and review


def test_upload_stores_queues_and_review_completes(session, database, service_settings, people):
    queue = RecordingQueue()
    pkg = packages.create_package(session, people["wuhan"], sample_files("hb_eval_03"), queue=queue)
    assert queue.submitted == [pkg.id]
    assert pkg.status == "queued" and pkg.city == "武汉市" and pkg.name == "hb_eval_03"
    files = session.scalars(select(PackageFile).where(PackageFile.package_id == pkg.id)).all()
    assert files and all(get_store().exists(f.sha256) for f in files)  # stored before returning
    assert {f.type for f in files} <= {"docx", "xlsx", "pdf", "image"}
    assert session.scalars(select(Job).where(Job.package_id == pkg.id)).one().status == "queued"

    assert run_queued(database, service_settings) == 1
    session.expire_all()
    done = packages.get_package(session, people["wuhan"], pkg.id)
    assert done.status == "done", done.reason
    report = done.report_dict()
    assert done.form == report["package"]["form"] == "hb_evaluation"
    assert done.counts == report["summary"] and done.error_count >= 1
    assert done.company and done.credit_code
    assert done.progress["stage"] == "check" and done.progress["done"] == done.progress["total"] == 1
    rules = {f["rule"] for f in report["findings"]}
    assert "SUM.TOTAL_MISMATCH" in rules
    assert session.scalars(select(Job).where(Job.package_id == pkg.id)).one().status == "done"


def test_single_zip_upload_is_reviewed_as_that_archive(session, database, service_settings, people):
    pkg = packages.create_package(session, people["agency_a"], sample_files("hb_eval_01.zip"), form_hint="hb_evaluation")
    assert pkg.name == "hb_eval_01.zip" and pkg.form_hint == "hb_evaluation"
    (f,) = session.scalars(select(PackageFile).where(PackageFile.package_id == pkg.id)).all()
    assert f.type == "zip"
    run_queued(database, service_settings)
    session.expire_all()
    done = session.get(Package, pkg.id)
    assert done.status == "done" and done.report_dict()["package"]["name"] == "hb_eval_01.zip"
    assert done.veto_count == done.error_count == 0  # a clean sample stays clean through the service


def test_same_content_uploaded_twice_is_stored_once(session, people):
    files = sample_files("hn_bench_01")
    a = packages.create_package(session, people["agency_a"], files)
    b = packages.create_package(session, people["agency_a"], files)
    assert a.id != b.id
    shas = lambda p: sorted(session.scalars(select(PackageFile.sha256).where(PackageFile.package_id == p.id)))
    assert shas(a) == shas(b)
    assert get_store().all() == set(shas(a))


def test_failed_review_has_a_chinese_reason(session, database, service_settings, people, monkeypatch):
    from extractor.package import PackageError
    from service.review import pipeline
    def broken(path, progress=None, form_hint=None):
        raise PackageError("压缩包内无可识别文件")

    monkeypatch.setattr(pipeline, "review_package", broken)
    pkg = packages.create_package(session, people["agency_a"], [("a.pdf", PDF)])
    run_queued(database, service_settings)
    session.expire_all()
    failed = session.get(Package, pkg.id)
    assert failed.status == "failed" and failed.reason == "压缩包内无可识别文件" and failed.report is None


# ---------------------------------------------------------------- refusals


def refusal(session, user, files, status, text, **kw):
    with pytest.raises(Refusal) as info:
        packages.create_package(session, user, files, **kw)
    assert info.value.status_code == status
    assert text in info.value.message, info.value.message
    return info.value


def test_upload_refusals(session, people, service_settings):
    user = people["agency_a"]
    refusal(session, user, [], 400, "未选择任何文件")
    refusal(session, user, [("a.pdf", b"")], 400, "为空")
    refusal(session, user, [("setup.exe.pdf", b"MZ\x90\x00 not a pdf at all")], 415, "未发现可审查的文件")
    # a name that claims .docx does not make a document: type is decided by content
    refusal(session, user, [("报告.docx", b"just some text")], 415, "按内容识别")
    refusal(session, user, [("a.zip", b"PK\x03\x04 broken")], 415, "未发现可审查的文件")
    refusal(session, user, [("a.zip", zip_bytes({"readme.txt": b"hello"}))], 415, "未发现可审查的文件")
    refusal(session, user, [("a.pdf", PDF)], 400, "未知申报类型", form_hint="no_such_form")
    refusal(session, people["province"], [("a.pdf", PDF)], 403, "只读")
    refusal(session, people["wuhan"], [("a.pdf", PDF)], 403, "武汉市", city="宜昌市")
    assert session.scalars(select(Package)).all() == []  # nothing stored by a refusal
    assert get_store().all() == set()


def test_limit_refusals(session, people, service_settings, monkeypatch):
    user = people["agency_a"]
    limits = Limits(max_files=3, max_total_bytes=len(PDF) * 2 + 10, max_file_bytes=len(PDF) + 5,
                    max_zip_ratio=20, max_expanded_bytes=50 * 1024**2)
    settings = replace(service_settings, limits=limits)
    refusal(session, user, [(f"{i}.pdf", PDF) for i in range(4)], 413, "超过上限 3 个", settings=settings)
    refusal(session, user, [("big.pdf", PDF + b"x" * 10)], 413, "单个文件上限", settings=settings)
    refusal(session, user, [(f"{i}.pdf", PDF) for i in range(3)], 413, "总大小", settings=settings)
    archives = replace(settings, limits=replace(limits, max_file_bytes=10**7, max_total_bytes=10**7))
    # issue 8: what is inside an archive is the review's business, not the upload's: more members
    # than max_files, a bomb, a bomb in a nested archive, more expansion than the inspection's
    # budget are accepted, and the review reports every member it cannot read (package loader)
    many = zip_bytes({f"{i}.pdf": PDF for i in range(4)})
    bomb = zip_bytes({"a.pdf": PDF, "zeros.bin": b"\0" * (8 * 1024**2)})
    nested = zip_bytes({"inner.zip": bomb}, zipfile.ZIP_STORED)
    expanded = replace(archives, limits=replace(archives.limits, max_zip_ratio=10**6, max_expanded_bytes=4 * 1024**2))
    for name, data, limited in (("many.zip", many, archives), ("bomb.zip", bomb, archives),
                                ("nested.zip", nested, archives), ("big.zip", bomb, expanded)):
        assert packages.create_package(session, user, [(name, data)], settings=limited).status == "queued"
    # an archive with nothing reviewable in it is still refused, bombs and all
    refusal(session, user, [("zeros.zip", zip_bytes({"zeros.bin": b"\0" * (8 * 1024**2)}))], 415,
            "未发现可审查的文件", settings=archives)


def test_archive_with_bad_members_is_accepted_and_reported(session, database, service_settings, people, monkeypatch):
    """Issue 8: an encrypted member, a damaged one and a bomb no longer refuse the upload; the
    review reports each one and reads the rest."""
    from extractor.limits import get_limits

    monkeypatch.setenv("SHENCHA_LIMIT_MEMBER_EXPANDED_BYTES", str(1024**2))
    get_limits.cache_clear()
    data = bytearray(zip_bytes({"加密.pdf": PDF, "好.pdf": PDF, "炸弹.bin": b"\0" * (4 * 1024**2), "坏.pdf": PDF}))
    # set the "encrypted" flag of 加密.pdf in its local header and its central directory entry
    data[6] |= 0x1
    cd = data.find(b"PK\x01\x02")
    data[cd + 8] |= 0x1
    # damage 坏.pdf's stored CRC in the central directory
    bad = data.rfind(b"PK\x01\x02")
    data[bad + 16] ^= 0xFF
    try:
        pkg = packages.create_package(session, people["agency_a"], [("材料.zip", bytes(data))])
        run_queued(database, service_settings)
    finally:
        get_limits.cache_clear()
    session.expire_all()
    done = session.get(Package, pkg.id)
    assert done.status == "done", done.reason
    report = done.report_dict()
    files = {f["path"]: f for f in report["package"]["files"]}
    assert files["好.pdf"]["error"] is None  # one uploaded archive is the package: members at the top
    by_rule = {(f["rule"], f["evidence"]["file"]): f["evidence"]["reason"] for f in report["findings"]
               if f["rule"] in ("FILE.UNREADABLE", "FILE.LIMIT_EXCEEDED")}
    assert "加密" in by_rule[("FILE.UNREADABLE", "加密.pdf")]
    assert "CRC" in by_rule[("FILE.UNREADABLE", "坏.pdf")]
    assert "member_expanded_bytes" in by_rule[("FILE.LIMIT_EXCEEDED", "炸弹.bin")]


def test_member_paths_are_labels_not_paths(session, database, service_settings, people, tmp_path):
    hostile = zip_bytes({"../../escape.pdf": PDF, "/abs/x.pdf": PDF, "C:\\win\\y.pdf": PDF})
    files = [("../../../etc/evil.zip", hostile), ("..\\..\\z.pdf", PDF)]
    pkg = packages.create_package(session, people["agency_a"], files)
    labels = sorted(session.scalars(select(PackageFile.path).where(PackageFile.package_id == pkg.id)))
    assert labels == ["etc/evil.zip", "z.pdf"]
    run_queued(database, service_settings)
    session.expire_all()
    done = session.get(Package, pkg.id)
    assert done.status == "done", done.reason
    paths = sorted(f["path"] for f in done.report_dict()["package"]["files"])
    assert paths == ["etc/evil.zip/abs/x.pdf", "etc/evil.zip/escape.pdf", "etc/evil.zip/win/y.pdf", "z.pdf"]
    assert not (tmp_path / "escape.pdf").exists() and not (tmp_path.parent / "escape.pdf").exists()


# ---------------------------------------------------------------- scope


@pytest.fixture
def spread(session, people):
    """One package per uploader/city combination."""
    mk = lambda user, **kw: packages.create_package(session, user, [("a.pdf", PDF)], **kw)
    return {
        "a_wuhan": mk(people["agency_a"]),  # agency_a's own city
        "a_wuhan_named": mk(people["agency_a"], city="武汉市"),  # an agency may name its own city, no other
        "b_nocity": mk(people["agency_b"]),
        "c_yichang": mk(people["agency_c"]),
        "wuhan_own": mk(people["wuhan"]),
        "yichang_own": mk(people["yichang"]),
    }


VISIBLE = {
    "agency_a": {"a_wuhan", "a_wuhan_named"},
    "agency_b": {"b_nocity"},
    "agency_c": {"c_yichang"},
    "wuhan": {"a_wuhan", "a_wuhan_named", "wuhan_own"},
    "yichang": {"c_yichang", "yichang_own"},
    "province": {"a_wuhan", "a_wuhan_named", "b_nocity", "c_yichang", "wuhan_own", "yichang_own"},
}


def test_each_role_sees_exactly_its_own(session, people, spread):
    names = {p.id: key for key, p in spread.items()}
    for who, expected in VISIBLE.items():
        user = people[who]
        listed = {names[p.id] for p in packages.list_packages(session, user, per_page=100).items}
        assert listed == expected, who
        for key, pkg in spread.items():
            if key in expected:
                assert packages.get_package(session, user, pkg.id).id == pkg.id
                assert packages.package_files(session, user, pkg.id)
            else:
                with pytest.raises(NotFound):
                    packages.get_package(session, user, pkg.id)
                with pytest.raises(NotFound):
                    packages.package_files(session, user, pkg.id)
                with pytest.raises(NotFound):
                    packages.delete_package(session, user, pkg.id)
                with pytest.raises(NotFound):
                    packages.recheck_package(session, user, pkg.id)


def test_unknown_and_malformed_ids_are_not_found(session, people):
    for bad in (str(uuid.uuid4()), "not-a-uuid", "' OR 1=1 --"):
        with pytest.raises(NotFound):
            packages.get_package(session, people["province"], bad)


def test_disabled_user_sees_nothing(session, people, spread):
    from service.auth import users
    users.disable_user(session, "wuhan")
    assert packages.list_packages(session, people["wuhan"]).total == 0


def test_province_is_read_only(session, people, spread, database, service_settings):
    run_queued(database, service_settings)
    pid = spread["a_wuhan"].id
    for call in (
        lambda: packages.delete_package(session, people["province"], pid),
        lambda: packages.recheck_package(session, people["province"], pid),
    ):
        with pytest.raises(Refusal) as info:
            call()
        assert info.value.status_code == 403 and "只读" in info.value.message


def test_list_filters_and_paging(session, people, spread, database, service_settings):
    run_queued(database, service_settings)
    province = people["province"]
    page = packages.list_packages(session, province, page=2, per_page=4)
    assert page.total == 6 and page.pages == 2 and len(page.items) == 2
    first = packages.list_packages(session, province, page=1, per_page=4).items
    assert not {p.id for p in first} & {p.id for p in page.items}
    assert packages.list_packages(session, province, PackageFilters(city="宜昌市")).total == 2
    assert packages.list_packages(session, province, PackageFilters(status="done")).total == 6
    assert packages.list_packages(session, province, PackageFilters(status="queued")).total == 0
    assert packages.list_packages(session, province, PackageFilters(q="a.pdf")).total == 6
    assert packages.list_packages(session, province, PackageFilters(q="100%")).total == 0
    with pytest.raises(Refusal):
        packages.list_packages(session, province, PackageFilters(status="bogus"))


# ---------------------------------------------------------------- marks, recheck, delete, audit


@pytest.fixture
def reviewed(session, database, service_settings, people):
    pkg = packages.create_package(session, people["wuhan"], sample_files("hb_eval_03"))
    run_queued(database, service_settings)
    session.expire_all()
    return session.get(Package, pkg.id)


def test_mark_finding(session, people, reviewed):
    finding = reviewed.report_dict()["findings"][0]
    mark = packages.mark_finding(session, people["wuhan"], reviewed.id, finding["id"], "误报", "数据来源不同口径")
    assert (mark.status, mark.comment, mark.user_id) == ("误报", "数据来源不同口径", people["wuhan"].id)
    again = packages.mark_finding(session, people["wuhan"], reviewed.id, finding["id"], "已核实")
    assert again.id == mark.id and again.status == "已核实"
    assert session.scalars(select(FindingMark)).all() == [again]
    marks = packages.marks_for(session, reviewed)
    assert marks[finding["id"]]["status"] == "已核实" and marks[finding["id"]]["user"] == "wuhan"
    report = packages.report_with_marks(session, reviewed)
    assert report["findings"][0]["mark"]["status"] == "已核实"
    assert all(f["mark"] is None for f in report["findings"][1:] if f["id"] != finding["id"])
    # resolve by finding id alone (PATCH /api/findings/{id})
    assert packages.resolve_finding(session, people["wuhan"], finding["id"]).id == reviewed.id
    assert packages.mark_finding(session, people["wuhan"], None, finding["id"], "待补正").status == "待补正"


def test_mark_refusals_and_scope(session, people, reviewed):
    fid = reviewed.report_dict()["findings"][0]["id"]
    with pytest.raises(Refusal) as info:
        packages.mark_finding(session, people["wuhan"], reviewed.id, fid, "通过")
    assert info.value.status_code == 400
    with pytest.raises(Refusal) as info:
        packages.mark_finding(session, people["wuhan"], reviewed.id, fid, "误报", "x" * 3000)
    assert info.value.status_code == 400
    with pytest.raises(Refusal) as info:
        packages.mark_finding(session, people["province"], reviewed.id, fid, "误报")
    assert info.value.status_code == 403
    for outsider in ("yichang", "agency_a", "agency_b"):
        with pytest.raises(NotFound):
            packages.mark_finding(session, people[outsider], reviewed.id, fid, "误报")
        with pytest.raises(NotFound):
            packages.resolve_finding(session, people[outsider], fid)
    with pytest.raises(NotFound):
        packages.mark_finding(session, people["wuhan"], reviewed.id, "0123456789ab", "误报")


def test_same_finding_in_two_packages_needs_the_package(session, database, service_settings, people, reviewed):
    twin = packages.create_package(session, people["wuhan"], sample_files("hb_eval_03"))
    run_queued(database, service_settings)
    fid = reviewed.report_dict()["findings"][0]["id"]
    with pytest.raises(Refusal) as info:
        packages.resolve_finding(session, people["wuhan"], fid)
    assert info.value.status_code == 409
    assert packages.mark_finding(session, people["wuhan"], twin.id, fid, "误报").package_id == twin.id


def test_recheck(session, database, service_settings, people, reviewed):
    fid = reviewed.report_dict()["findings"][0]["id"]
    packages.mark_finding(session, people["wuhan"], reviewed.id, fid, "误报")
    queue = RecordingQueue()
    pkg = packages.recheck_package(session, people["wuhan"], reviewed.id, queue=queue)
    assert queue.submitted == [reviewed.id] and pkg.status == "queued" and pkg.report is None
    with pytest.raises(Refusal) as info:
        packages.recheck_package(session, people["wuhan"], reviewed.id)
    assert info.value.status_code == 409
    run_queued(database, service_settings)
    session.expire_all()
    again = session.get(Package, reviewed.id)
    assert again.status == "done" and fid in {f["id"] for f in again.report_dict()["findings"]}
    assert packages.marks_for(session, again)[fid]["status"] == "误报"  # ids are stable, marks survive


def test_delete_removes_files_results_and_marks(session, people, reviewed):
    fid = reviewed.report_dict()["findings"][0]["id"]
    packages.mark_finding(session, people["wuhan"], reviewed.id, fid, "误报")
    keep = packages.create_package(session, people["wuhan"], [("a.pdf", PDF)])
    blobs_before = get_store().all()
    packages.delete_package(session, people["wuhan"], reviewed.id)
    with pytest.raises(NotFound):
        packages.get_package(session, people["wuhan"], reviewed.id)
    session.expire_all()
    row = session.get(Package, reviewed.id)
    assert row.deleted_at is not None and row.report is None
    assert session.scalars(select(PackageFile).where(PackageFile.package_id == reviewed.id)).all() == []
    assert session.scalars(select(FindingMark)).all() == []
    keep_shas = set(session.scalars(select(PackageFile.sha256).where(PackageFile.package_id == keep.id)))
    assert get_store().all() == keep_shas and blobs_before > keep_shas
    with pytest.raises(NotFound):
        packages.delete_package(session, people["wuhan"], reviewed.id)


def test_delete_keeps_content_another_package_shares(session, people):
    a = packages.create_package(session, people["agency_a"], [("a.pdf", PDF)])
    b = packages.create_package(session, people["agency_b"], [("b.pdf", PDF)])
    packages.delete_package(session, people["agency_a"], a.id)
    (sha,) = session.scalars(select(PackageFile.sha256).where(PackageFile.package_id == b.id)).all()
    assert get_store().exists(sha)


def test_every_action_is_audited(session, people, reviewed):
    wuhan = people["wuhan"]
    fid = reviewed.report_dict()["findings"][0]["id"]
    packages.get_package(session, wuhan, reviewed.id)
    packages.get_package(session, wuhan, reviewed.id, record_view=False)
    packages.mark_finding(session, wuhan, reviewed.id, fid, "误报", "口径不同")
    packages.record_download(session, wuhan, reviewed, "pdf")
    packages.recheck_package(session, wuhan, reviewed.id)
    packages.delete_package(session, wuhan, reviewed.id)
    trail = [(e.action, e.user_id) for e in reversed(audit.entries(session, package_id=reviewed.id))]
    assert trail == [(a, wuhan.id) for a in ("upload", "view", "mark", "download", "recheck", "delete")]
    mark_entry = audit.entries(session, action="mark")[0]
    assert fid in mark_entry.detail and "口径不同" in mark_entry.detail
    assert session.scalars(select(AuditLog).where(AuditLog.action == "view")).all()[0].package_id == reviewed.id


def test_describe_package(session, people, reviewed):
    d = packages.describe_package(reviewed)
    assert d["status"] == "done" and d["uploader"] == "wuhan" and d["city"] == "武汉市"
    assert d["counts"] == reviewed.report_dict()["summary"]
    assert set(d["progress"]) == {"stage", "done", "total", "detail"}
