"""Legacy .doc/.xls files are converted by LibreOffice and read like .docx/.xlsx; garbage with
the same name stays unreadable."""

import hashlib
import shutil
import subprocess

import pytest

from extractor.package import PackageFile, detect_type
from extractor.read import read_document
from tests import form_fixtures as ff

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/setup.sh")


def _pf(name: str, data: bytes) -> PackageFile:
    ext = name.rsplit(".", 1)[-1]
    return PackageFile(path=name, data=data, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                       type=detect_type(data, ext), ext=ext)


def _legacy(tmp_path, name: str, data: bytes, target: str) -> bytes:
    src = tmp_path / name
    src.write_bytes(data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", target,
                    "--outdir", str(tmp_path / "out"), str(src)], check=True, capture_output=True, timeout=180)
    return (tmp_path / "out" / (src.stem + "." + target.split(":")[0])).read_bytes()


def test_word_97_document_is_converted_and_read(tmp_path):
    doc_bytes = _legacy(tmp_path, "a1.docx", ff.hb_basic_info(), "doc")
    doc = read_document(_pf("附件1 基本情况表.doc", doc_bytes))
    assert doc.error is None and doc.type == "docx"
    assert "LibreOffice" in doc.warnings[0]
    text = doc.full_text()
    assert ff.VALID_USCC in text and "粉煤灰" in text and "材料真实性承诺" in text


def test_excel_97_workbook_is_converted_and_read(tmp_path):
    from tests.fixtures_build import xlsx_bytes

    def build(wb):
        ws = wb.active
        ws.append(["序号", "工业固体废物名称", "产生量(吨)", "综合利用量(吨)"])
        ws.append([1, "粉煤灰", 1200, 1100])

    xls = _legacy(tmp_path, "a3.xlsx", xlsx_bytes(build), "xls")
    doc = read_document(_pf("年报表.xls", xls))
    assert doc.error is None and doc.type == "xlsx"
    assert "粉煤灰" in doc.full_text()


def test_garbage_named_xls_stays_unreadable():
    doc = read_document(_pf("表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600))
    assert doc.error and ".xls" in doc.error
