import io
import zipfile

import pytest

from extractor.limits import get_limits
from extractor.package import PackageError, PackageFile, detect_type, load_package
from extractor.read import read_document
from tests.fixtures_build import docx_bytes, png_bytes, xlsx_bytes, zip_bytes


def _docx() -> bytes:
    return docx_bytes(lambda d: d.add_paragraph("一、企业基本情况"))


def _xlsx() -> bytes:
    def build(wb):
        wb.active["A1"] = "产生量"

    return xlsx_bytes(build)


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


def test_types_by_content_not_name():
    assert detect_type(_docx(), "bin") == "docx"
    assert detect_type(_xlsx(), "docx") == "xlsx"
    assert detect_type(PDF, "txt") == "pdf"
    assert detect_type(png_bytes(), "pdf") == "image"
    assert detect_type(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "docx") == "other"
    assert detect_type(zip_bytes({"a.txt": b"x"}), "zip") == "other"
    # content says nothing: the extension decides so the reader can report the corruption
    assert detect_type(b"garbage bytes", "docx") == "docx"
    assert detect_type(b"garbage bytes", "pdf") == "pdf"
    assert detect_type(b"hello", "txt") == "other"


def test_single_file(tmp_path):
    f = tmp_path / "自评价报告.docx"
    f.write_bytes(_docx())
    pkg = load_package(f)
    assert pkg.name == "自评价报告.docx"
    assert [(p.path, p.type, p.ext) for p in pkg.files] == [("自评价报告.docx", "docx", "docx")]
    assert pkg.files[0].size == f.stat().st_size
    assert len(pkg.files[0].sha256) == 64


def test_folder_recursive_skips_junk_and_sorts(tmp_path):
    # system junk is skipped; a dot file is not junk (issue 8: nothing is silently dropped)
    root = tmp_path / "申报材料"
    (root / "附件" / "证明").mkdir(parents=True)
    (root / "报告.docx").write_bytes(_docx())
    (root / "附件" / "年报表.xlsx").write_bytes(_xlsx())
    (root / "附件" / "证明" / "营业执照.png").write_bytes(png_bytes())
    (root / "附件" / "~$报告.docx").write_bytes(b"lock")
    (root / "Thumbs.db").write_bytes(b"x")
    (root / "desktop.ini").write_bytes(b"x")
    (root / ".hidden").write_bytes(b"x")
    (root / "__MACOSX").mkdir()
    (root / "__MACOSX" / "._报告.docx").write_bytes(b"x")
    pkg = load_package(root)
    assert pkg.name == "申报材料"
    assert [(p.path, p.type) for p in pkg.files] == [
        (".hidden", "other"),
        ("报告.docx", "docx"),
        ("附件/年报表.xlsx", "xlsx"),
        ("附件/证明/营业执照.png", "image"),
    ]


def test_zip_with_gbk_names_nested_folders(tmp_path):
    z = tmp_path / "材料.zip"
    z.write_bytes(
        zip_bytes(
            {"材料/评价报告.docx": _docx(), "材料/附件/附件3 年报表.xlsx": _xlsx(), "材料/__MACOSX/x": b"x"},
            gbk_names=True,
        )
    )
    # the names really are stored without the UTF-8 flag
    with zipfile.ZipFile(z) as zf:
        assert all(not (i.flag_bits & 0x800) for i in zf.infolist())
    pkg = load_package(z)
    assert [p.path for p in pkg.files] == ["材料/评价报告.docx", "材料/附件/附件3 年报表.xlsx"]
    assert [p.type for p in pkg.files] == ["docx", "xlsx"]


def test_zip_with_utf8_names(tmp_path):
    z = tmp_path / "p.zip"
    z.write_bytes(zip_bytes({"报告/营业执照.png": png_bytes()}))
    assert [p.path for p in load_package(z).files] == ["报告/营业执照.png"]


def test_zip_inside_zip_is_expanded_with_prefix(tmp_path):
    inner = zip_bytes({"证明/营业执照.png": png_bytes(), "deeper.zip": zip_bytes({"x.txt": b"x"})})
    z = tmp_path / "outer.zip"
    z.write_bytes(zip_bytes({"报告.docx": _docx(), "附件/证明材料.zip": inner}))
    pkg = load_package(z)
    paths = {p.path: p.type for p in pkg.files}
    assert paths == {
        "报告.docx": "docx",
        "附件/证明材料.zip/证明/营业执照.png": "image",
        # one level is expanded; a zip in the inner zip stays a file, reported over the depth limit
        "附件/证明材料.zip/deeper.zip": "other",
    }
    deeper = next(p for p in pkg.files if p.path.endswith("deeper.zip"))
    assert deeper.problem_kind == "limit" and "archive_depth" in deeper.problem


def test_folder_with_zip_inside(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "附件.zip").write_bytes(zip_bytes({"a.pdf": PDF}))
    pkg = load_package(tmp_path / "pkg")
    assert [(p.path, p.type) for p in pkg.files] == [("附件.zip/a.pdf", "pdf")]


def test_member_paths_never_escape(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../etc/evil.txt", b"x")
        zf.writestr("/abs/path.txt", b"y")
        zf.writestr("C:\\win\\file.txt", b"z")
    z = tmp_path / "evil.zip"
    z.write_bytes(buf.getvalue())
    paths = [p.path for p in load_package(z).files]
    assert paths == ["abs/path.txt", "etc/evil.txt", "win/file.txt"]
    assert all(not p.startswith("/") and ".." not in p.split("/") for p in paths)


def test_corrupt_inner_zip_kept_as_file(tmp_path):
    z = tmp_path / "outer.zip"
    z.write_bytes(zip_bytes({"坏.zip": b"PK\x03\x04 not really a zip", "ok.pdf": PDF}))
    pkg = load_package(z)
    bad = next(p for p in pkg.files if p.path == "坏.zip")
    assert bad.type == "other" and bad.problem_kind == "damaged"
    doc = read_document(bad)
    assert doc.error and "压缩包「坏.zip」已损坏" in doc.error


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p: p / "missing.zip", "不存在"),
        (lambda p: (p / "emptydir").mkdir() or p / "emptydir", "文件夹为空"),
    ],
)
def test_package_errors_name_path_and_reason(tmp_path, make, reason):
    target = make(tmp_path)
    with pytest.raises(PackageError) as ei:
        load_package(target)
    assert reason in str(ei.value)
    assert target.name in str(ei.value)


@pytest.mark.parametrize(
    "name, data, reason, kind",
    [
        ("bad.zip", b"this is not a zip", "内容不是 zip 格式", "damaged"),
        ("empty.zip", zip_bytes({}), "为空", "empty"),
        ("junk.zip", zip_bytes({"Thumbs.db": b"x"}), "只有系统生成的文件", "empty"),
    ],
)
def test_unusable_archive_is_a_one_file_package(tmp_path, name, data, reason, kind):
    # issue 8: PackageError only when the input cannot be processed at all; an archive that
    # yields nothing is a package of one unreadable file that says why
    target = tmp_path / name
    target.write_bytes(data)
    pkg = load_package(target)
    [pf] = pkg.files
    assert pf.path == name and pf.problem_kind == kind and reason in pf.problem
    doc = read_document(pf)
    assert doc.error == pf.problem


@pytest.fixture(autouse=True)
def _fresh_limits():
    get_limits.cache_clear()
    yield
    get_limits.cache_clear()


def test_zip_bomb_ratio_is_a_limit_finding(tmp_path):
    # 40 MiB of zeros compresses to ~40 KiB: far over the ratio limit
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("zeros.txt", b"\0" * (40 * 1024 * 1024))
        zf.writestr("ok.pdf", PDF)
    info = zipfile.ZipFile(io.BytesIO(buf.getvalue())).getinfo("zeros.txt")
    assert info.file_size / info.compress_size > get_limits().member_ratio
    z = tmp_path / "bomb.zip"
    z.write_bytes(buf.getvalue())
    files = {p.path: p for p in load_package(z).files}
    assert files["ok.pdf"].problem is None and files["ok.pdf"].data == PDF
    assert files["zeros.txt"].problem_kind == "limit" and "压缩炸弹" in files["zeros.txt"].problem


def test_zip_total_size_over_the_package_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("SHENCHA_LIMIT_PACKAGE_EXPANDED_BYTES", "1000")
    get_limits.cache_clear()
    z = tmp_path / "big.zip"
    z.write_bytes(zip_bytes({"a.txt": b"a" * 600, "b.txt": b"b" * 600}))
    files = {p.path: p for p in load_package(z).files}
    assert files["a.txt"].data == b"a" * 600
    assert files["b.txt"].problem_kind == "limit" and "package_expanded_bytes" in files["b.txt"].problem


def test_encrypted_member_is_a_finding(tmp_path):
    data = bytearray(zip_bytes({"a.txt": b"hello"}))
    # set the "encrypted" general-purpose flag in the local and central headers
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        i = data.find(sig)
        off = i + (6 if sig == b"PK\x03\x04" else 8)
        data[off] |= 0x1
    z = tmp_path / "locked.zip"
    z.write_bytes(bytes(data))
    [pf] = load_package(z).files
    assert pf.path == "a.txt" and pf.problem_kind == "encrypted" and "加密" in pf.problem


def _pf(path: str, data: bytes) -> PackageFile:
    return PackageFile.from_bytes(path, data)


def test_read_text_file_as_paragraphs():
    doc = read_document(_pf("说明.txt", "一、企业基本情况\n\n企业成立于2015年。\n".encode("gbk")))
    assert doc.error is None and doc.type == "other"
    assert [(b.kind, b.text) for b in doc.blocks] == [("heading", "一、企业基本情况"), ("paragraph", "企业成立于2015年。")]


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "不支持的文件格式 .doc（请转换为 .docx）"),
        ("表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "不支持的文件格式 .xls（请转换为 .xlsx）"),
        ("报告.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "实为旧版 .doc"),
        ("材料.rar", b"Rar!\x1a\x07\x00", "不支持的压缩格式 .rar"),
        ("空.pdf", b"", "文件为空"),
    ],
)
def test_unreadable_formats_reported(name, data, expected):
    doc = read_document(_pf(name, data))
    assert doc.error is not None and expected in doc.error
    assert doc.blocks == []
    assert doc.path == name


def test_unknown_format_is_warned_not_failed():
    doc = read_document(_pf("图纸.dwg", b"AC1032\0\0"))
    assert doc.error is None and doc.type == "other"
    assert any(".dwg" in w for w in doc.warnings)


def test_image_read_with_size_and_no_text_layer():
    from tests.fixtures_build import jpeg_bytes

    doc = read_document(_pf("证明/营业执照.jpg", jpeg_bytes(64, 48)))
    assert doc.error is None and doc.type == "image" and doc.has_text_layer is False
    [block] = doc.blocks
    assert block.kind == "image" and block.image.name == "营业执照.jpg"
    assert (block.image.width, block.image.height) == (64.0, 48.0)  # no dpi stored: 1 px = 1 pt
    dpi_doc = read_document(_pf("a.png", png_bytes(300, 150, dpi=300)))
    assert (dpi_doc.blocks[0].image.width, dpi_doc.blocks[0].image.height) == (72.0, 36.0)


def test_truncated_image_reported():
    data = png_bytes(200, 200)
    doc = read_document(_pf("坏图.png", data[: len(data) // 2]))
    assert doc.type == "image"
    assert doc.error is not None and "图片文件已损坏" in doc.error


def test_a_stored_zip_whose_first_member_is_a_pdf_is_an_archive(tmp_path):
    """7-Zip's and WinRAR's "store" mode keep members uncompressed: the PDF header of the first
    member sits in the archive's first kilobyte.  It was taken for a PDF (and pdfium would have
    read the first member as the whole file)."""
    import io
    import zipfile

    from extractor.package import detect_type, load_package

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("报告.pdf", b"%PDF-1.4\n%%EOF\n")
        z.writestr("附件.pdf", b"%PDF-1.4\n%%EOF\n")
    assert detect_type(out.getvalue(), "zip") == "other"
    folder = tmp_path / "申报材料"
    folder.mkdir()
    (folder / "附件包.zip").write_bytes(out.getvalue())
    names = sorted(f.path for f in load_package(folder).files)
    assert any(n.endswith("报告.pdf") for n in names) and any(n.endswith("附件.pdf") for n in names), names
