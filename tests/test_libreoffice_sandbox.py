"""LibreOffice conversions (extractor/readers/legacy.py) cannot reach out: a linked image or an
included file in a submitted document sends no request and pulls nothing in, and a conversion
writes nothing outside its own temporary directory.  Files the native readers reject are tried
through LibreOffice before they are called unreadable; presentations and zip-based formats we
cannot read are kept as attachments.

Every document here is written by hand with zipfile (or as RTF text) inside the test.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import re
import shutil
import tempfile
import threading
import urllib.request
import zipfile
from pathlib import Path

import pytest

from extractor.package import PackageFile, detect_type
from extractor.read import read_document
from extractor.readers import legacy
from tests.limit_helpers import hang_guard

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/setup.sh")

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _hang_guard():
    with hang_guard(180):
        yield


def _pf(name: str, data: bytes) -> PackageFile:
    ext = name.rsplit(".", 1)[-1].lower()
    return PackageFile(path=name, data=data, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                       type=detect_type(data, ext), ext=ext)


# ---------------------------------------------------------------- a listener that counts requests


class Listener:
    def __init__(self) -> None:
        self.requests: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                listener.requests.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    lst = Listener()
    # the listener does answer: a request from here is counted (then forgotten)
    with pytest.raises(urllib.request.HTTPError):
        urllib.request.urlopen(lst.url("probe"), timeout=10)
    assert lst.requests == ["/probe"]
    lst.requests.clear()
    yield lst
    lst.close()


# ---------------------------------------------------------------- documents written by hand

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
)


def odf(kind: str, body: str) -> bytes:
    """An ODF package: the mimetype member first and stored, a manifest, content.xml."""
    mimetype = f"application/vnd.oasis.opendocument.{kind}"
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS} office:version="1.2">'
               f"<office:body>{body}</office:body></office:document-content>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def odt_with_links(image_url: str, section_source: str) -> bytes:
    return odf("text", (
        "<office:text>"
        "<text:p>正文第一段</text:p>"
        '<text:p><draw:frame draw:name="f1" text:anchor-type="paragraph" svg:width="2cm" svg:height="2cm">'
        f'<draw:image xlink:href="{image_url}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
        "</draw:frame></text:p>"
        f'<text:section text:name="s1"><text:section-source xlink:href="{section_source}" xlink:type="simple" '
        'text:filter-name="Text"/><text:p>节内原有文字</text:p></text:section>'
        "<text:p>正文末段</text:p>"
        "</office:text>"
    ))


def rtf_with_fields(picture_url: str, included: Path) -> bytes:
    def u(text: str) -> str:  # RTF \\uN? escapes for Chinese
        return "".join(f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?" for ch in text)

    path = str(included).replace("\\", "\\\\")
    return (
        "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0 " + u("字段之前") + "\\par "
        "{\\field{\\*\\fldinst INCLUDEPICTURE \"" + picture_url + "\" \\\\d}{\\fldrslt }}\\par "
        "{\\field{\\*\\fldinst INCLUDETEXT \"" + path + "\"}{\\fldrslt " + u("原有结果") + "}}\\par "
        + u("字段之后") + "\\par}"
    ).encode("ascii")


W_NS = ('xmlns:w="{w}" xmlns:r="{r}" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')
TRANSITIONAL = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
STRICT = {"w": "http://purl.oclc.org/ooxml/wordprocessingml/main",
          "r": "http://purl.oclc.org/ooxml/officeDocument/relationships"}


def docx(body: str, ns: dict[str, str] = TRANSITIONAL, image_url: str | None = None,
         content_type: str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml") -> bytes:
    """A .docx written part by part: Strict Open XML namespaces with ns=STRICT, an externally
    linked picture with image_url."""
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/word/document.xml" ContentType="{content_type}"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns["r"]}/officeDocument" Target="word/document.xml"/></Relationships>')
    picture = ""
    doc_rels = ""
    if image_url:
        doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f'<Relationship Id="rIdImg" Type="{ns["r"]}/image" Target="{image_url}" TargetMode="External"/>'
                    "</Relationships>")
        picture = ('<w:p><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="P"/>'
                   '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
                   '<pic:nvPicPr><pic:cNvPr id="1" name="P"/><pic:cNvPicPr/></pic:nvPicPr>'
                   '<pic:blipFill><a:blip r:link="rIdImg"/></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
                   '<a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic>'
                   "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>")
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS.format(**ns)}>'
                f"<w:body>{body}{picture}</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document)
        if doc_rels:
            z.writestr("word/_rels/document.xml.rels", doc_rels)
    return buf.getvalue()


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


# ---------------------------------------------------------------- no request, no local file


def test_linked_image_in_odt_sends_no_request(listener, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("绝密内容SECRET-ODT-7731", encoding="utf-8")
    doc = read_document(_pf("说明.odt", odt_with_links(listener.url("a.png"), secret.as_uri())))
    assert doc.error is None and doc.type == "docx"
    text = doc.full_text()
    assert "正文第一段" in text and "正文末段" in text
    assert "SECRET-ODT-7731" not in text
    assert listener.requests == []


def test_rtf_fields_include_neither_a_remote_picture_nor_a_local_file(listener, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-RTF-4242", encoding="utf-8")
    doc = read_document(_pf("说明.rtf", rtf_with_fields(listener.url("x.png"), secret)))
    assert doc.error is None and doc.type == "docx"
    text = doc.full_text()
    assert "字段之前" in text and "字段之后" in text
    assert "SECRET-RTF-4242" not in text
    assert listener.requests == []


def test_docx_round_trip_does_not_fetch_an_externally_linked_picture(listener):
    """A .docx python-docx rejects goes through LibreOffice: its external picture stays unfetched."""
    data = docx(para("封面 粉煤灰 1200 吨"), image_url=listener.url("docx.png"),
                content_type="application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
    doc = read_document(_pf("报告.docx", data))
    assert listener.requests == []
    if doc.error is None:
        assert "粉煤灰" in doc.full_text()


def test_conversions_run_without_network_here():
    """This machine allows unprivileged network namespaces: the sandbox uses one."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare on this machine")
    assert legacy.network_isolated()


# ---------------------------------------------------------------- no writes outside the conversion


def _entries(root: Path) -> set[str]:
    if not root.exists():
        return set()
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_a_conversion_writes_nothing_outside_its_directory(tmp_path, monkeypatch):
    real_home = Path.home()
    before_config = _entries(real_home / ".config" / "libreoffice")
    before_cache = _entries(real_home / ".cache")
    home = tmp_path / "home"
    tmp = tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(tmp))
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(tempfile, "tempdir", None)  # tempfile caches the temporary directory
    doc = read_document(_pf("说明.odt", odt_with_links("http://127.0.0.1:9/none.png", "file:///nonexistent")))
    assert doc.error is None and "正文第一段" in doc.full_text()
    assert list(home.iterdir()) == []
    assert list(tmp.iterdir()) == []  # the conversion's own directory is gone
    assert _entries(real_home / ".config" / "libreoffice") == before_config
    assert _new_libreoffice(_entries(real_home / ".cache") - before_cache) == set()


def test_folders_of_conversions_killed_midway_are_swept(tmp_path, monkeypatch):
    import subprocess

    gone = subprocess.Popen(["true"])
    gone.wait()  # a process id no process has now
    dead = tmp_path / f"shencha-lo-{gone.pid}-abc"
    (dead / "home").mkdir(parents=True)
    (dead / "input.doc").write_bytes(b"copy of a submitted file")
    live = tmp_path / f"shencha-lo-{os.getpid()}-def"
    live.mkdir()
    other = tmp_path / "shencha-lo-notapid"
    other.mkdir()
    assert legacy.sweep_stale_conversions(tmp_path) == 1
    assert not dead.exists() and live.exists() and other.exists()
    # a conversion sweeps the temporary directory before it starts
    (dead / "home").mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(legacy, "soffice", lambda: None)  # the conversion itself is not needed
    legacy.convert(b"{\\rtf1 x}", "rtf")
    assert not dead.exists() and live.exists()


def _new_libreoffice(new: set[str]) -> set[str]:
    """New entries under ~/.cache that a LibreOffice conversion would make (other programs on
    the machine may write there meanwhile)."""
    return {e for e in new if re.search(r"libreoffice|dconf|fontconfig|mesa|soffice|\.lock", e, re.I)}


def test_the_profile_blocks_links_and_macros(tmp_path):
    legacy.write_profile(tmp_path / "profile")
    xcu = (tmp_path / "profile" / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    for path, name, value in [
        ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
        ("/org.openoffice.Office.Writer/Content/Update", "Link", "0"),
        ("/org.openoffice.Office.Calc/Content/Update", "Link", "1"),
    ]:
        assert f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>' in xcu


def test_a_hanging_converter_is_killed_with_everything_it_started(tmp_path, monkeypatch):
    """soffice forks oosplash → soffice.bin: at the timeout the whole group goes."""
    marker = "424242"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep {marker}1 &\nsleep {marker}2\n")
    fake.chmod(0o755)
    monkeypatch.setattr(legacy, "soffice", lambda: str(fake))
    monkeypatch.setattr(legacy, "_MIN_TIMEOUT_SECONDS", 1)
    rtf = b"{\\rtf1\\ansi hello\\par}"
    assert legacy.convert(rtf, "rtf", timeout=2) is None

    def sleepers() -> list[str]:
        found = []
        for proc in Path("/proc").iterdir():
            try:
                if marker in (proc / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(proc.name)
            except OSError:
                continue
        return found

    assert sleepers() == []


# ---------------------------------------------------------------- fallbacks and attachments


def test_strict_ooxml_docx_is_read(tmp_path):
    body = para("严格格式文档 粉煤灰 1200 吨") + (
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>名称</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>数量</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")
    doc = read_document(_pf("报告.docx", docx(body, ns=STRICT)))
    assert doc.error is None and doc.type == "docx"
    assert "严格格式文档" in doc.full_text() and "名称" in doc.full_text()


def test_docx_the_native_reader_rejects_is_read_through_libreoffice():
    data = docx(para("附件1 申报企业基本情况表 粉煤灰 1200 吨"),
                content_type="application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
    doc = read_document(_pf("附件1.docx", data))
    assert doc.error is None and doc.type == "docx"
    assert "粉煤灰 1200 吨" in doc.full_text()
    assert doc.warnings and "LibreOffice" in doc.warnings[0] and "无法直接按 DOCX 读取" in doc.warnings[0]
    assert "content type" not in doc.warnings[0] and "Traceback" not in doc.warnings[0]  # the class name at most


def _strict_xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工业固体废物名称", "产生量(吨)"])
    ws.append(["粉煤灰", 1200])
    plain = io.BytesIO()
    wb.save(plain)
    strict = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(strict, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            data = data.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                b"http://purl.oclc.org/ooxml/spreadsheetml/main")
            data = data.replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                                b"http://purl.oclc.org/ooxml/officeDocument/relationships")
            dst.writestr(info, data)
    return strict.getvalue()


def test_strict_ooxml_xlsx_is_read():
    doc = read_document(_pf("附件3.xlsx", _strict_xlsx()))
    assert doc.error is None and doc.type == "xlsx"
    assert "粉煤灰" in doc.full_text()


def test_a_workbook_the_native_reader_finds_empty_is_read_through_libreoffice(monkeypatch):
    """openpyxl drops the sheets of a Strict Open XML workbook with a mere warning: an empty
    result from a workbook that has content is tried through LibreOffice."""
    from extractor.model import Document
    from extractor.readers import xlsx_reader

    real = xlsx_reader.read_xlsx
    calls = []

    def empty_first(data: bytes, path: str) -> Document:
        calls.append(path)
        if len(calls) == 1:
            return Document(path=path, type="xlsx", sha256="", blocks=[])
        return real(data, path)

    monkeypatch.setattr(xlsx_reader, "read_xlsx", empty_first)
    doc = read_document(_pf("附件3.xlsx", _strict_xlsx()))
    assert len(calls) == 2  # the native reader, then the same reader on LibreOffice's copy
    assert doc.error is None and "粉煤灰" in doc.full_text()
    assert doc.warnings[0] == "文件无法直接按 XLSX 读取（直接读取未得到任何内容），已由 LibreOffice 转换后读取，请核对转换结果"


def test_an_empty_workbook_stays_empty_without_a_warning(monkeypatch):
    import openpyxl

    wb = openpyxl.Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    doc = read_document(_pf("空表.xlsx", buf.getvalue()))
    assert doc.error is None and doc.blocks == [] and doc.warnings == []


@pytest.mark.parametrize("name", ["汇报.odp", "汇报.pptx", "汇报.ppt", "汇报.dps"])
def test_presentations_are_read_or_kept_as_attachments(name):
    slide = ('<office:presentation><draw:page draw:name="p1"><draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" '
             'svg:height="3cm"><draw:text-box><text:p>幻灯片 粉煤灰 1200 吨</text:p></draw:text-box></draw:frame>'
             "</draw:page></office:presentation>")
    if name.endswith(".odp"):
        data = odf("presentation", slide)
    elif name.endswith(".pptx"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("ppt/presentation.xml", "<p:presentation/>")
        data = buf.getvalue()
    else:
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "PowerPoint Document".encode("utf-16-le") + b"\0" * 600
    doc = read_document(_pf(name, data))
    assert doc.error is None and doc.problem is None
    if doc.type == "pdf":  # LibreOffice Impress is installed: the slides are read
        assert "LibreOffice" in doc.warnings[0]
    else:
        assert doc.type == "other" and any("演示文稿" in w and "未审查其内容" in w for w in doc.warnings)


@pytest.mark.parametrize("name", ["电子证照.ofd", "手册.epub", "报告.pages", "扫描.xps", "扫描.oxps"])
def test_zip_based_formats_are_kept_as_attachments(name):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml" if name.endswith(".ofd") else "mimetype", "x")
        z.writestr("Doc_0/Document.xml", "<Document/>")
    doc = read_document(_pf(name, buf.getvalue()))
    assert doc.error is None and doc.problem is None and doc.type == "other"
    assert len(doc.warnings) == 1 and "未审查其内容" in doc.warnings[0] and HAN.search(doc.warnings[0])


@pytest.mark.parametrize(
    "name, data, cause",
    [
        ("报告.docx", b"PK\x03\x04 this is not really a zip at all" * 10, "压缩结构无效"),
        ("表.xlsx", b"PK\x03\x04 \xff\xfe garbage" * 10, "压缩结构无效"),
        ("报告.pdf", b"%PDF-1.7\n garbage, no objects, no xref\n", None),
    ],
)
def test_reasons_are_chinese_without_exception_text(name, data, cause):
    doc = read_document(_pf(name, data))
    assert doc.problem == "damaged" and doc.error
    kind = name.rsplit(".", 1)[-1].upper()
    assert doc.error.startswith(f"文件已损坏，无法作为 {kind} 读取（")
    if cause:
        assert cause in doc.error
    detail = doc.error[doc.error.index("（") + 1 : -1]
    # Chinese, never the exception's class or message
    assert HAN.search(detail) and not re.search(r"Error|Exception|[a-z]{3,}", detail), detail


def test_garbage_docx_is_not_sent_to_libreoffice(monkeypatch):
    """LibreOffice opens anything as text: only files with the structure of their format go there."""
    calls = []
    monkeypatch.setattr(legacy, "_run", lambda *a, **k: calls.append(a) or False)
    read_document(_pf("报告.docx", b"PK\x03\x04 not a zip" * 10))
    read_document(_pf("随便.pptx", b"just text"))
    assert calls == []
