"""Hostile and damaged packages (issue 8): one bad member, a bomb, a broken directory, a link
out of the folder, names that are not text — each becomes a finding about that member, and
every other member is still read and checked.  Every input is built here, in the test.

Each class is run through `extractor.package.load_package` and through the CLI (`shencha check
--json`): the bad member is FILE.UNREADABLE or FILE.LIMIT_EXCEEDED naming it and the damage or
the limit in Chinese, a good .docx beside it is read without error, and the exit code is never 2.
Bombs run in a subprocess with a generous timeout that only guards against a hang; that the
work is bounded is shown by the finding naming the limit that stopped it.
"""

from __future__ import annotations

import io
import json
import os
import signal
import struct
import subprocess
import sys
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractor import package as package_module
from extractor import zipread
from extractor.package import PackageError, load_package
from extractor.read import read_document
from tests.fixtures_build import docx_bytes
from tests.limit_helpers import set_limits

REPO = Path(__file__).resolve().parents[1]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
GOOD = "报告.docx"


@pytest.fixture(scope="module")
def docx() -> bytes:
    return docx_bytes(lambda d: d.add_paragraph("一、企业基本情况"))


# ---------------------------------------------------------------- building zips byte by byte


@dataclass
class Raw:
    """One member as it is stored: `payload` is written as is (already compressed)."""

    name: bytes
    payload: bytes
    method: int = 0
    crc: int | None = None  # default: CRC-32 of the payload (right for stored members)
    size: int | None = None  # expanded size; default len(payload)
    flags: int = 0
    extra: bytes = b""
    central_extra: bytes | None = None  # default: the local extra field
    csize: int | None = None  # compressed size written in the headers; default len(payload)
    external: int = 0
    system: int = 0  # 3: made on Unix (then `external` carries the mode)


def _name(name: str | bytes, kw: dict) -> bytes:
    """Text names are written as UTF-8 with the UTF-8 flag, as current archivers do; bytes as given."""
    if isinstance(name, bytes):
        return name
    if not name.isascii():
        kw["flags"] = kw.get("flags", 0) | 0x800
    return name.encode()


def stored(name: str | bytes, data: bytes, **kw) -> Raw:
    return Raw(_name(name, kw), data, **kw)


def deflated(name: str | bytes, data: bytes, **kw) -> Raw:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = co.compress(data) + co.flush()
    kw.setdefault("crc", zlib.crc32(data))
    kw.setdefault("size", len(data))
    return Raw(_name(name, kw), payload, method=8, **kw)


def raw_zip(entries: list[Raw], *, prefix: bytes = b"") -> bytes:
    out, central = bytearray(prefix), bytearray()
    for e in entries:
        offset = len(out) - len(prefix)
        crc = zlib.crc32(e.payload) if e.crc is None else e.crc
        size = len(e.payload) if e.size is None else e.size
        csize = len(e.payload) if e.csize is None else e.csize
        out += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, e.flags, e.method, 0, 0x5A21, crc, csize,
                           size, len(e.name), len(e.extra)) + e.name + e.extra + e.payload
        cextra = e.extra if e.central_extra is None else e.central_extra
        central += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, e.system, 20, 0, e.flags, e.method, 0, 0x5A21,
                               crc, csize, size, len(e.name), len(cextra), 0, 0, 0, e.external,
                               offset) + e.name + cextra
    n = len(entries)
    return bytes(out + central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(central),
                                             len(out) - len(prefix), 0))


_MiB = 1 << 20
_ZEROS = bytes(_MiB)


def zeros_stream(mib: int) -> tuple[bytes, int]:
    """A raw Deflate stream of `mib` MiB of zeros, built in milliseconds: after a full flush
    the compressor's state is reset, so every further MiB compresses to the same bytes."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = co.compress(_ZEROS) + co.flush(zlib.Z_FULL_FLUSH)
    unit = co.compress(_ZEROS) + co.flush(zlib.Z_FULL_FLUSH)
    assert co.compress(_ZEROS) + co.flush(zlib.Z_FULL_FLUSH) == unit
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(_ZEROS, crc)
    return first + unit * (mib - 1) + co.flush(), crc


def zeros_member(name: str, mib: int, declared: int | None = None) -> Raw:
    payload, crc = zeros_stream(mib)
    return Raw(name.encode(), payload, method=8, crc=crc, size=declared if declared is not None else mib * _MiB)


def zf_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


# ---------------------------------------------------------------- running the CLI


def cli(path: Path, tmp_path: Path, *, subprocess_env: dict[str, str] | None = None) -> tuple[int, dict]:
    """`shencha check PATH --quiet --json OUT`: in-process, or in a subprocess (bombs) with a
    timeout that only guards against a hang.  Returns the exit code and the report."""
    out = tmp_path / f"report-{uuid.uuid4().hex}.json"
    args = ["check", str(path), "--quiet", "--json", str(out)]
    if subprocess_env is None:
        from service import cli as cli_module
        code = cli_module.main(args)
    else:
        env = {**os.environ, **subprocess_env, "TMPDIR": str(tmp_path)}
        proc = subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=REPO, env=env,
                              capture_output=True, timeout=300)
        code = proc.returncode
        assert out.exists(), proc.stderr.decode("utf-8", "replace")
    assert code != 2, f"the package was refused as a whole (exit {code})"
    report = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return code, report


def files_of(report: dict) -> dict[str, dict]:
    return {f["path"]: f for f in report["package"]["files"]}


def finding_for(report: dict, path: str, rule: str) -> dict:
    hits = [f for f in report["findings"] if f["rule"] == rule and f["evidence"].get("file") == path]
    assert hits, f"no {rule} for {path}: {[(f['rule'], f['evidence'].get('file')) for f in report['findings']]}"
    return hits[0]


def assert_good_docx_read(report: dict, path: str = GOOD) -> None:
    good = files_of(report)[path]
    assert good["error"] is None and good["type"] == "docx", good


def assert_finding(report: dict, path: str, rule: str, *texts: str) -> dict:
    finding = finding_for(report, path, rule)
    reason = finding["evidence"]["reason"]
    for text in texts:
        assert text in reason, reason
    return finding


def by_path(pkg) -> dict:
    return {f.path: f for f in pkg.files}


# ---------------------------------------------------------------- one bad member


def _crc_wrong(docx: bytes) -> tuple[Raw, str]:
    return deflated("附件/坏文件.pdf", PDF, crc=zlib.crc32(PDF) ^ 0x5A5A), "CRC 校验失败"


def _stream_damaged(docx: bytes) -> tuple[Raw, str]:
    member = deflated("附件/坏文件.pdf", PDF * 50)
    broken = bytearray(member.payload)
    broken[len(broken) // 3 : len(broken) // 3 + 8] = b"\xff" * 8
    member.payload = bytes(broken)
    return member, "已损坏"


def _encrypted(docx: bytes) -> tuple[Raw, str]:
    return stored("附件/坏文件.pdf", PDF, flags=0x1), "加密"


def _truncated_member(docx: bytes) -> tuple[Raw, str]:
    member = deflated("附件/坏文件.pdf", PDF * 50)
    member.payload = member.payload[: len(member.payload) // 2]  # the headers still say the full size
    member.csize = len(member.payload)
    return member, "不完整"


def _unknown_method(docx: bytes) -> tuple[Raw, str]:
    return Raw("附件/坏文件.pdf".encode(), b"\x00" * 40, method=98, crc=0, size=100, flags=0x800), "压缩方式 PPMd 不受支持"


def _broken_zip64_extra(docx: bytes) -> tuple[Raw, str]:
    # sizes say "see the ZIP64 extra field", which is cut short: the member cannot be located
    member = stored("附件/坏文件.pdf", PDF, size=0xFFFFFFFF, csize=0xFFFFFFFF)
    member.extra = member.central_extra = struct.pack("<HH", 0x0001, 4) + b"\x00" * 4
    return member, "扩展字段"


BAD_MEMBERS = {
    "crc": (_crc_wrong, "damaged"),
    "damaged-stream": (_stream_damaged, "damaged"),
    "encrypted": (_encrypted, "encrypted"),
    "truncated-member": (_truncated_member, "damaged"),
    "unknown-method": (_unknown_method, "unsupported"),
    "broken-zip64-extra": (_broken_zip64_extra, "damaged"),
}


def _package_with(bad: Raw, docx: bytes) -> bytes:
    return raw_zip([deflated(GOOD, docx), bad, stored("附件/好文件.pdf", PDF)])


@pytest.mark.parametrize("case", sorted(BAD_MEMBERS))
@pytest.mark.parametrize("container", ["zip", "folder"])
def test_one_bad_member_is_a_finding_and_the_rest_is_read(case, container, docx, tmp_path):
    build, kind = BAD_MEMBERS[case]
    bad, text = build(docx)
    archive = _package_with(bad, docx)
    if container == "zip":
        target, prefix = tmp_path / "申报材料.zip", ""
        target.write_bytes(archive)
    else:  # the same archive inside a folder package
        target, prefix = tmp_path / "申报材料", "附件包.zip/"
        target.mkdir()
        (target / "附件包.zip").write_bytes(archive)
        (target / GOOD).write_bytes(docx)

    files = by_path(load_package(target))
    bad_pf = files[prefix + "附件/坏文件.pdf"]
    assert bad_pf.problem_kind == kind and text in bad_pf.problem and bad_pf.data == b""
    assert "坏文件.pdf" in bad_pf.problem  # the reason names the member
    assert files[prefix + "附件/好文件.pdf"].problem is None and files[prefix + "附件/好文件.pdf"].data == PDF
    assert files[prefix + GOOD].problem is None and files[prefix + GOOD].type == "docx"

    code, report = cli(target, tmp_path)
    assert code == 1  # FILE.UNREADABLE is an error
    assert_good_docx_read(report, prefix + GOOD)
    assert_finding(report, prefix + "附件/坏文件.pdf", "FILE.UNREADABLE", text, "坏文件.pdf")


def test_zipfile_itself_refuses_these_archives(docx):
    """The hostility is real: the standard library gives up on the whole archive."""
    bad, _ = _broken_zip64_extra(docx)
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(_package_with(bad, docx)))


def test_corrupt_extra_field_that_is_not_needed_does_not_lose_the_member(docx, tmp_path):
    # an extra field whose length overruns it: zipfile refuses the archive; the member's sizes and
    # place do not depend on it, so the member is read
    bad_extra = struct.pack("<HH", 0x5455, 200) + b"\x01\x02"
    archive = raw_zip([deflated(GOOD, docx), stored("证明.pdf", PDF, extra=bad_extra)])
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(archive))
    target = tmp_path / "p.zip"
    target.write_bytes(archive)
    files = by_path(load_package(target))
    assert files["证明.pdf"].problem is None and files["证明.pdf"].data == PDF
    assert files[GOOD].type == "docx"


def _deflate64(data: bytes) -> bytes:
    inflate64 = pytest.importorskip("inflate64")
    d = inflate64.Deflater()
    return d.deflate(data) + d.flush()


def test_deflate64_member_is_read(docx, tmp_path):
    # Windows Explorer writes Deflate64 for large files; zipfile cannot read it at all
    archive = raw_zip([Raw(GOOD.encode(), _deflate64(docx), method=9, crc=zlib.crc32(docx), size=len(docx), flags=0x800),
                       stored("证明.pdf", PDF)])
    with pytest.raises(NotImplementedError):
        zipfile.ZipFile(io.BytesIO(archive)).read(GOOD)
    target = tmp_path / "windows.zip"
    target.write_bytes(archive)
    files = by_path(load_package(target))
    assert files[GOOD].problem is None and files[GOOD].data == docx and files[GOOD].type == "docx"
    code, report = cli(target, tmp_path)
    assert_good_docx_read(report)


def test_deflate64_without_a_decoder_is_unsupported_never_encrypted(docx, tmp_path, monkeypatch):
    monkeypatch.setattr(zipread, "_inflate64", lambda: None)
    archive = raw_zip([deflated(GOOD, docx), Raw("大文件.pdf".encode(), b"\x00" * 64, method=9, crc=0, size=10, flags=0x800)])
    target = tmp_path / "windows.zip"
    target.write_bytes(archive)
    pf = by_path(load_package(target))["大文件.pdf"]
    assert "压缩方式 Deflate64 不受支持" in pf.problem and "加密" not in pf.problem
    code, report = cli(target, tmp_path)
    assert_good_docx_read(report)
    assert_finding(report, "大文件.pdf", "FILE.UNREADABLE", "Deflate64 不受支持")


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_bzip2_and_lzma_members_are_read(docx, tmp_path, compression):
    target = tmp_path / "p.zip"
    target.write_bytes(zf_bytes({GOOD: docx, "证明.pdf": PDF}, compression))
    files = by_path(load_package(target))
    assert files[GOOD].data == docx and files["证明.pdf"].data == PDF


def test_unexpected_error_in_one_member_is_a_finding(docx, tmp_path, monkeypatch):
    """Whatever goes wrong with one member (here a bug planted in the reader) stays with it."""
    original = zipread.read_member

    def flaky(data, member, *args, **kw):
        if member.name == "坏.pdf":
            raise RuntimeError("planted")
        return original(data, member, *args, **kw)

    monkeypatch.setattr(zipread, "read_member", flaky)
    target = tmp_path / "p.zip"
    target.write_bytes(zf_bytes({GOOD: docx, "坏.pdf": PDF}))
    files = by_path(load_package(target))
    assert files["坏.pdf"].problem_kind == "damaged" and "坏.pdf" in files["坏.pdf"].problem
    assert "planted" not in files["坏.pdf"].problem  # never the raw exception text
    assert files[GOOD].data == docx


# ---------------------------------------------------------------- bombs


def test_member_expanding_to_1_75_gb_is_stopped_at_its_limit(docx, tmp_path):
    archive = raw_zip([deflated(GOOD, docx), zeros_member("附件/扫描件.pdf", 1792)])
    target = tmp_path / "bomb.zip"
    target.write_bytes(archive)
    assert target.stat().st_size < 4 * _MiB
    code, report = cli(target, tmp_path, subprocess_env={})
    assert_good_docx_read(report)
    assert_finding(report, "附件/扫描件.pdf", "FILE.LIMIT_EXCEEDED", "扫描件.pdf", "member_expanded_bytes", "512 MB")


def test_a_lying_directory_cannot_make_a_member_expand_past_its_declared_size(docx, tmp_path):
    # the directory declares 1 KiB; the stream holds 1.75 GB of zeros: decompression stops
    # right after the declared size (one step), and the member is damaged
    archive = raw_zip([deflated(GOOD, docx), zeros_member("小文件.pdf", 1792, declared=1024)])
    target = tmp_path / "liar.zip"
    target.write_bytes(archive)
    seen = []
    original = zipread._expand_zlib

    def counting(d, raw):
        for chunk in original(d, raw):
            seen.append(len(chunk))
            yield chunk

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(zipread, "_expand_zlib", counting)
        pf = by_path(load_package(target))["小文件.pdf"]
    assert pf.problem_kind == "damaged" and "目录记录的大小" in pf.problem
    assert sum(seen) <= 2 * zipread.OUT_STEP


def _nested_bomb(docx: bytes) -> bytes:
    """16 zips of 16 zips of 16 members of 128 MB of zeros each (512 GB in all), in ~300 KB."""
    leaf = zeros_member("x", 128)
    level3 = raw_zip([Raw(f"{i:02d}.bin".encode(), leaf.payload, 8, leaf.crc, leaf.size) for i in range(16)])
    level2 = zf_bytes({f"{i:02d}.zip": level3 for i in range(16)})
    return zf_bytes({**{f"{i:02d}.zip": level2 for i in range(16)}, GOOD: docx})


def test_nested_bomb_ends_at_the_depth_limit(docx, tmp_path):
    target = tmp_path / "42.zip"
    target.write_bytes(_nested_bomb(docx))
    assert target.stat().st_size < 2 * _MiB
    code, report = cli(target, tmp_path, subprocess_env={})
    assert_good_docx_read(report)
    deep = [p for p in files_of(report) if p.count("/") == 1]
    assert len(deep) == 256  # 16 × 16 archives of the third level, none unpacked
    assert_finding(report, "00.zip/00.zip", "FILE.LIMIT_EXCEEDED", "archive_depth", "2 层")


def test_nested_bomb_with_a_deeper_limit_ends_at_the_ratio_limit(docx, tmp_path, monkeypatch):
    set_limits(monkeypatch, archive_depth=3)
    target = tmp_path / "42.zip"
    target.write_bytes(_nested_bomb(docx))
    with _hang_guard(120):
        files = by_path(load_package(target))
    leaves = [f for p, f in files.items() if p.endswith(".bin")]
    assert len(leaves) == 16**3
    assert all(f.problem_kind == "limit" and "member_ratio" in f.problem for f in leaves)
    assert files[GOOD].problem is None


def test_bomb_inside_a_folder_package_is_cut_at_the_member_limit(docx, tmp_path, monkeypatch):
    set_limits(monkeypatch, member_expanded_bytes=_MiB)
    root = tmp_path / "申报材料"
    root.mkdir()
    (root / GOOD).write_bytes(docx)
    (root / "附件.zip").write_bytes(raw_zip([zeros_member("zeros.bin", 8), stored("证明.pdf", PDF)]))
    files = by_path(load_package(root))
    bomb = files["附件.zip/zeros.bin"]
    assert bomb.problem_kind == "limit" and "member_expanded_bytes" in bomb.problem and "1 MB" in bomb.problem
    assert files["附件.zip/证明.pdf"].data == PDF
    code, report = cli(root, tmp_path)
    assert_good_docx_read(report)
    assert_finding(report, "附件.zip/zeros.bin", "FILE.LIMIT_EXCEEDED", "zeros.bin", "member_expanded_bytes")


def test_ratio_limit(docx, tmp_path, monkeypatch):
    set_limits(monkeypatch, member_ratio=100)
    target = tmp_path / "ratio.zip"
    target.write_bytes(raw_zip([deflated(GOOD, docx), zeros_member("zeros.bin", 20)]))
    pf = by_path(load_package(target))["zeros.bin"]
    assert pf.problem_kind == "limit" and "100:1" in pf.problem and "member_ratio" in pf.problem


class _hang_guard:
    """Fails the test instead of hanging it (a guard, not a timing assertion)."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def __enter__(self):
        def expire(signum, frame):
            raise TimeoutError(f"still running after {self.seconds} s")

        self.previous = signal.signal(signal.SIGALRM, expire)
        signal.alarm(self.seconds)

    def __exit__(self, *exc):
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)


def test_package_member_budget_lists_the_rest_without_reading_them(docx, tmp_path, monkeypatch):
    set_limits(monkeypatch, package_members=4)
    members = [deflated(GOOD, docx)] + [stored(f"附件{i:02d}.pdf", PDF) for i in range(10)]
    target = tmp_path / "many.zip"
    target.write_bytes(raw_zip(members))
    read_calls = []
    original = zipread.read_member
    monkeypatch.setattr(zipread, "read_member", lambda *a, **kw: read_calls.append(1) or original(*a, **kw))
    files = by_path(load_package(target))
    assert len(files) == 11
    over = [f for f in files.values() if f.problem_kind == "limit"]
    assert len(over) == 7 and all("package_members" in f.problem and "4 个" in f.problem for f in over)
    assert len(read_calls) == 4  # the rest were listed, not read
    assert files[GOOD].problem is None


def test_past_the_listing_cap_the_rest_is_counted_on_the_archive(tmp_path, monkeypatch):
    set_limits(monkeypatch, package_members=2)
    monkeypatch.setattr(package_module, "_LISTED_OVER_LIMIT", 3)
    target = tmp_path / "huge.zip"
    target.write_bytes(raw_zip([stored(f"{i:03d}.pdf", PDF) for i in range(50)]))
    files = by_path(load_package(target))
    assert len([f for f in files.values() if f.problem is None]) == 2
    summary = files["huge.zip"]
    assert summary.problem_kind == "limit" and "另有 45 个文件" in summary.problem


def test_package_byte_budget(tmp_path, monkeypatch):
    set_limits(monkeypatch, package_expanded_bytes=3 * len(PDF) + 10)
    target = tmp_path / "a.zip"
    target.write_bytes(raw_zip([stored(f"{i}.pdf", PDF) for i in range(6)]))
    files = by_path(load_package(target))
    read = [p for p, f in files.items() if f.problem is None]
    over = [f for f in files.values() if f.problem_kind == "limit"]
    assert len(read) == 3 and len(over) == 3
    assert all("package_expanded_bytes" in f.problem for f in over)


# ---------------------------------------------------------------- names and members


def test_duplicate_member_names_are_both_kept(docx, tmp_path):
    decoy = docx_bytes(lambda d: d.add_paragraph("空白"))
    target = tmp_path / "dup.zip"
    target.write_bytes(raw_zip([deflated(GOOD, docx), deflated(GOOD, decoy), deflated("报告 (2).docx", decoy)]))
    files = by_path(load_package(target))
    assert sorted(files) == ["报告 (2).docx", "报告 (3).docx", "报告.docx"]
    assert files[GOOD].data == docx and files["报告 (3).docx"].data == decoy
    code, report = cli(target, tmp_path)
    assert set(files_of(report)) == set(files)


def test_dot_folders_are_read_and_only_system_junk_is_skipped(docx, tmp_path):
    root = tmp_path / "申报材料"
    (root / ".备份").mkdir(parents=True)
    (root / ".备份" / "实际报告.docx").write_bytes(docx)
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (root / "Thumbs.db").write_bytes(b"x")
    (root / "~$报告.docx").write_bytes(b"lock")
    (root / "__MACOSX").mkdir()
    (root / "__MACOSX" / "._报告.docx").write_bytes(b"\x00\x05\x16\x07")
    (root / "附件.zip").write_bytes(zf_bytes({".git/证明.pdf": PDF, "__MACOSX/._证明.pdf": b"\x00\x05\x16\x07",
                                              "sub/.DS_Store": b"x"}))
    files = by_path(load_package(root))
    assert sorted(files) == [".备份/实际报告.docx", "附件.zip/.git/证明.pdf"]
    code, report = cli(root, tmp_path)
    assert_good_docx_read(report, ".备份/实际报告.docx")


@pytest.mark.parametrize("where", ["alone", "in-folder", "in-zip"])
def test_docx_renamed_zip_is_reviewed_as_a_docx(docx, tmp_path, where):
    if where == "alone":
        target, path = tmp_path / "报告.zip", "报告.zip"
        target.write_bytes(docx)
    elif where == "in-folder":
        target, path = tmp_path / "pkg", "报告.zip"
        target.mkdir()
        (target / "报告.zip").write_bytes(docx)
    else:
        target, path = tmp_path / "pkg.zip", "正文/报告.zip"
        target.write_bytes(zf_bytes({"正文/报告.zip": docx}))
    pf = by_path(load_package(target))[path]
    assert pf.type == "docx" and pf.ext == "docx" and pf.problem is None and pf.data == docx
    code, report = cli(target, tmp_path)
    assert_good_docx_read(report, path)


def _odf(mimetype: str) -> dict[str, bytes]:
    return {"mimetype": mimetype.encode(), "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest/>"}


ZIP_FORMATS = {
    "odt": _odf("application/vnd.oasis.opendocument.text"),
    "ods": _odf("application/vnd.oasis.opendocument.spreadsheet"),
    "odp": _odf("application/vnd.oasis.opendocument.presentation"),
    "epub": {"mimetype": b"application/epub+zip", "META-INF/container.xml": b"<container/>", "a.xhtml": b"<html/>"},
    "pptx": {"[Content_Types].xml": b"<Types><Override ContentType=\"application/vnd.openxmlformats-officedocument"
             b".presentationml.presentation.main+xml\"/></Types>", "ppt/presentation.xml": b"<p/>",
             "ppt/slides/slide1.xml": b"<s/>"},
    "xps": {"[Content_Types].xml": b"<Types/>", "FixedDocumentSequence.fdseq": b"<FixedDocumentSequence/>",
            "Documents/1/FixedDocument.fdoc": b"<FixedDocument/>"},
    "ofd": {"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"},
    "pages": {"Index/Document.iwa": b"\x00" * 16, "Metadata/Properties.plist": b"<plist/>"},
}


@pytest.mark.parametrize("fmt", sorted(ZIP_FORMATS))
@pytest.mark.parametrize("name_ext", ["zip", "bin", "same"])
def test_zip_based_formats_are_files_by_content_never_archives(fmt, name_ext, tmp_path):
    ext = fmt if name_ext == "same" else name_ext
    data = zf_bytes(ZIP_FORMATS[fmt])
    # alone, and three archives deep, where a real archive would be past the depth limit
    alone = tmp_path / f"文档.{ext}"
    alone.write_bytes(data)
    deep = tmp_path / "deep.zip"
    deep.write_bytes(zf_bytes({"a.zip": zf_bytes({f"b/文档.{ext}": data})}))
    for target, path in ((alone, f"文档.{ext}"), (deep, f"a.zip/b/文档.{ext}")):
        pf = by_path(load_package(target))[path]
        assert pf.ext == fmt and pf.problem is None and pf.data == data
        assert pf.type == "other"


def test_symlinks_never_lead_out_of_the_folder(docx, tmp_path):
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(PDF)
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / GOOD).write_bytes(docx)
    (root / "inside.pdf").write_bytes(PDF)
    os.symlink("/etc/passwd", root / "passwd.txt")
    os.symlink(outside, root / "sub" / "外部.pdf")
    os.symlink(tmp_path, root / "上级文件夹")
    os.symlink("../inside.pdf", root / "sub" / "副本.pdf")  # inside: the same file, read once
    os.symlink("loop2", root / "loop1")
    os.symlink("loop1", root / "loop2")
    os.symlink("nowhere.pdf", root / "断开.pdf")
    files = by_path(load_package(root))
    for path in ("passwd.txt", "sub/外部.pdf", "上级文件夹"):
        assert files[path].problem_kind == "damaged" and "指向申报包文件夹之外" in files[path].problem
        assert files[path].data == b""
    for path in ("loop1", "loop2", "断开.pdf"):
        assert files[path].problem_kind == "damaged" and "不存在" in files[path].problem
    assert files["inside.pdf"].data == PDF and "sub/副本.pdf" not in files
    assert not any(f.data and b"root:" in f.data for f in files.values())
    code, report = cli(root, tmp_path)
    assert_good_docx_read(report)
    assert_finding(report, "passwd.txt", "FILE.UNREADABLE", "符号链接", "指向申报包文件夹之外")


def test_link_inside_the_folder_to_a_file_not_otherwise_read_is_read_once(tmp_path):
    root = tmp_path / "pkg"
    (root / "__MACOSX").mkdir(parents=True)  # skipped as junk, so reached only by the links
    (root / "__MACOSX" / "real.pdf").write_bytes(PDF)
    os.symlink("__MACOSX/real.pdf", root / "a.pdf")
    os.symlink("__MACOSX/real.pdf", root / "b.pdf")
    files = by_path(load_package(root))
    assert [p for p, f in files.items() if f.data == PDF] == ["a.pdf"]


def test_empty_file_alone_and_in_a_folder_get_the_same_finding(tmp_path):
    lone = tmp_path / "空.pdf"
    lone.write_bytes(b"")
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "空.pdf").write_bytes(b"")
    docs = [read_document(by_path(load_package(t))["空.pdf"]) for t in (lone, root)]
    assert docs[0].error == docs[1].error == "文件为空（0 字节）"
    assert docs[0].problem == docs[1].problem == "empty"
    reasons = []
    for target in (lone, root):
        code, report = cli(target, tmp_path)
        reasons.append(finding_for(report, "空.pdf", "FILE.UNREADABLE")["evidence"]["reason"])
    assert reasons[0] == reasons[1]


# ---------------------------------------------------------------- a corrupt archive


def _good_archive(docx: bytes) -> bytes:
    return raw_zip([deflated(GOOD, docx), stored("附件/证明.pdf", PDF), deflated("附件/说明.txt", "说明".encode() * 100)])


def _flip_directory_signature(data: bytes) -> bytes:
    pos = data.rfind(b"PK\x01\x02")
    return data[:pos] + b"PX\x01\x02" + data[pos + 4 :]


def _negative_offset(data: bytes) -> bytes:
    # the end record puts the directory past its own position: a negative shift, a negative seek
    end = data.rfind(b"PK\x05\x06")
    return data[: end + 16] + struct.pack("<L", 0x7FFFFFF0) + data[end + 20 :]


def _no_directory(data: bytes) -> bytes:
    return data[: data.find(b"PK\x01\x02")]


def _zeroed_end_record(data: bytes) -> bytes:
    return data[: data.find(b"PK\x01\x02")] + b"PK\x05\x06" + b"\x00" * 18


def _read_by_zipfile(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return sum(1 for info in zf.infolist() if zf.read(info))
    except Exception:  # noqa: BLE001 - BadZipFile, ValueError (a negative seek), …
        return 0


CORRUPTIONS = {
    "bit-flipped-directory": _flip_directory_signature,
    "negative-offset": _negative_offset,
    "directory-cut-off": _no_directory,
    "zeroed-end-record": _zeroed_end_record,
}


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_corrupt_directory_members_recovered_from_local_headers(case, docx, tmp_path):
    data = CORRUPTIONS[case](_good_archive(docx))
    assert _read_by_zipfile(data) == 0  # zipfile gives up, finds nothing, or cannot seek to anything
    target = tmp_path / "坏目录.zip"
    target.write_bytes(data)
    files = by_path(load_package(target))
    assert files[GOOD].data == docx and files["附件/证明.pdf"].data == PDF
    assert files["附件/说明.txt"].data == "说明".encode() * 100
    archive = files["坏目录.zip"]
    assert archive.problem_kind == "damaged" and "恢复 3 个文件" in archive.problem
    code, report = cli(target, tmp_path)
    assert_good_docx_read(report)
    assert_finding(report, "坏目录.zip", "FILE.UNREADABLE", "已损坏", "本地文件头", "恢复 3 个文件")


class _Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then puts sizes in data descriptors after each member."""

    def __init__(self) -> None:
        self.buf = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.buf += b
        return len(b)


def test_members_with_data_descriptors_are_recovered(docx, tmp_path):
    stream = _Unseekable()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(GOOD, docx)
        zf.writestr("证明.pdf", PDF)
    data = bytes(stream.buf)
    assert data[6] & 0x08  # the local header defers its sizes to the descriptor
    target = tmp_path / "流式.zip"
    target.write_bytes(_no_directory(data))
    files = by_path(load_package(target))
    assert files[GOOD].data == docx and files["证明.pdf"].data == PDF
    assert "恢复 2 个文件" in files["流式.zip"].problem


def test_archive_with_nothing_recoverable_is_a_one_file_package(tmp_path):
    target = tmp_path / "全坏.zip"
    target.write_bytes(b"PK\x03\x04" + bytes(range(16)) + b"\x00" * 300)
    [pf] = load_package(target).files
    assert pf.path == "全坏.zip" and pf.problem_kind == "damaged" and "已损坏" in pf.problem
    code, report = cli(target, tmp_path)
    assert_finding(report, "全坏.zip", "FILE.UNREADABLE", "全坏.zip", "已损坏")


def test_no_byte_of_a_damaged_archive_can_crash_the_loader(docx, tmp_path):
    """Every byte of a small archive's headers and directory replaced in turn: the loader
    always returns a package (zipfile raises ValueError, struct.error, OverflowError, …)."""
    data = raw_zip([stored("a.pdf", PDF), deflated("b.txt", b"hello " * 50), stored("c/d.pdf", PDF)])
    local_headers = [i for i in range(len(data)) if data.startswith(b"PK\x03\x04", i)]
    positions = sorted({*range(data.find(b"PK\x01\x02"), len(data)),
                        *(p + k for p in local_headers for k in range(30))})
    with _hang_guard(300):
        for pos in positions:
            for value in (0x00, 0xFF, data[pos] ^ 0x80):
                mutated = data[:pos] + bytes([value]) + data[pos + 1 :]
                target = tmp_path / "m.zip"
                target.write_bytes(mutated)
                pkg = load_package(target)
                assert pkg.files
                for f in pkg.files:
                    f.path.encode("utf-8")  # never a lone surrogate
                    read_document(f)


# ---------------------------------------------------------------- names that are not text


def _assert_clean(path: str) -> None:
    path.encode("utf-8")  # strict: no lone surrogates
    assert not any(ord(c) < 0x20 or ord(c) == 0x7F or 0x80 <= ord(c) <= 0x9F for c in path), repr(path)


def test_folder_file_names_that_are_not_utf8(docx, tmp_path):
    root = tmp_path / "pkg"
    root.mkdir()
    names = {
        "报告.docx".encode("gbk"): docx,  # a GBK name, as a Chinese Windows disk or old archive leaves it
        b"\xff\xfe\x80bad.pdf": PDF,  # neither UTF-8 nor GB18030
        b"esc\x1b[31m.pdf": PDF,  # a terminal escape
    }
    for raw, data in names.items():
        fd = os.open(os.fsencode(root) + b"/" + raw, os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, data)
        os.close(fd)
    files = by_path(load_package(root))
    for path in files:
        _assert_clean(path)
    assert files["报告.docx"].type == "docx" and files["报告.docx"].raw_name == "\\xb1\\xa8\\xb8\\xe6.docx"
    bad = next(f for p, f in files.items() if p.endswith("bad.pdf"))
    assert "\ufffd" in bad.path and bad.raw_name == "\\xff\\xfe\\x80bad.pdf" and bad.data == PDF
    esc = next(f for p, f in files.items() if p.startswith("esc"))
    assert esc.path == "esc\u241b[31m.pdf" and esc.raw_name == "esc\\x1b[31m.pdf"
    code, report = cli(root, tmp_path)
    assert_good_docx_read(report)
    json.dumps(report, ensure_ascii=False).encode("utf-8")


def test_zip_member_names_that_are_not_text(docx, tmp_path):
    archive = raw_zip([
        deflated("报告.docx".encode("gbk"), docx),  # GBK, no UTF-8 flag
        stored(b"\xff\xfe\x80\xc3(.pdf", PDF, flags=0x800),  # flagged UTF-8, and it is not
        stored(b"nul\x00and\x1besc\xe2\x80\xaefdp.exe", PDF, flags=0x800),  # NUL, ESC, right-to-left override
    ])
    with pytest.raises(UnicodeDecodeError):
        zipfile.ZipFile(io.BytesIO(archive))
    target = tmp_path / "names.zip"
    target.write_bytes(archive)
    files = by_path(load_package(target))
    for path in files:
        _assert_clean(path)
    assert files[GOOD].type == "docx" and files[GOOD].raw_name is not None
    flagged = next(f for p, f in files.items() if p.endswith("(.pdf"))
    assert flagged.raw_name == "\\xff\\xfe\\x80\\xc3(.pdf" and flagged.data == PDF
    hidden = next(f for p, f in files.items() if p.startswith("nul"))
    assert hidden.path == "nul\u2400and\u241besc[U+202E]fdp.exe" and hidden.data == PDF
    code, report = cli(target, tmp_path)
    assert_good_docx_read(report)


def test_member_names_never_escape_and_nothing_is_written_outside(docx, tmp_path):
    token = uuid.uuid4().hex
    archive = zf_bytes({f"../../../../../../tmp/{token}.pdf": PDF, f"/{token}-abs.pdf": PDF,
                        f"..\\..\\{token}-win.pdf": PDF, GOOD: docx})
    target = tmp_path / "escape.zip"
    target.write_bytes(archive)
    before = sorted(p.name for p in tmp_path.iterdir())
    files = by_path(load_package(target))
    assert sorted(files) == sorted([GOOD, f"tmp/{token}.pdf", f"{token}-abs.pdf", f"{token}-win.pdf"])
    code, report = cli(target, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    for place in (Path("/tmp"), Path("/"), REPO, REPO.parent, tmp_path.parent):
        assert not any(place.glob(f"*{token}*")), place


def test_missing_path_is_still_a_package_error(tmp_path):
    with pytest.raises(PackageError, match="不存在"):
        load_package(tmp_path / "nothing.zip")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_input_is_a_package_error(tmp_path):
    target = tmp_path / "locked.pdf"
    target.write_bytes(PDF)
    target.chmod(0)
    with pytest.raises(PackageError, match="无权限"):
        load_package(target)
