"""SEAL.MISSING: a declaration the seeds require sealed (湖北 第八条（七）) is looked at for a red
seal wherever it stands.  The packages are a clean agency sample whose 真实性声明 is replaced by
hand-made copies: a colour scan with and without a seal, a grey scan, a scanned PDF, the Word file."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from service.pipeline import review_package
from tests.test_seals import SEAL_AT, letter_page, seal_ink, stamp

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "samples" / "hb_agency_04"
DECLARATION = "07 真实性声明.docx"


def page(sealed: bool) -> Image.Image:
    p = letter_page()
    if sealed:
        stamp(p, seal_ink(42), SEAL_AT)
    return p


def as_bytes(img: Image.Image, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def review_with(tmp_path: Path, name: str, data: bytes | None, with_review: bool = False):
    folder = tmp_path / "pkg"
    shutil.copytree(SAMPLE, folder)
    if data is not None:
        (folder / DECLARATION).unlink()
        (folder / name).write_bytes(data)
    review = review_package(folder)
    seal = [f for f in review.findings if f.rule == "SEAL.MISSING"]
    blocking = [f for f in review.findings if f.severity in ("error", "veto")]
    return (seal, blocking, review) if with_review else (seal, blocking)


def test_sealed_colour_scan_has_no_finding_and_the_package_stays_clean(tmp_path):
    from service.report import build_report

    scan = as_bytes(page(True), "JPEG", quality=85, dpi=(200, 200))
    seal, blocking, review = review_with(tmp_path, "07 真实性声明.jpg", scan, True)
    assert seal == [] and blocking == []
    # the report says where the seal is: the page and its box (the 42 mm ring drawn at SEAL_AT, 200 dpi)
    (declaration,) = [a for a in build_report(review)["attachments"] if a["id"] == "declaration"]
    (copy,) = declaration["copies"]
    (found,) = copy["seals"]
    assert copy["kind"] == "scan" and found["page"] == 1
    x0, top, x1, bottom = found["box"]
    assert abs((x0 + x1) / 2 - SEAL_AT[0] * 72 / 200) < 15 and abs((top + bottom) / 2 - SEAL_AT[1] * 72 / 200) < 15


@pytest.mark.parametrize("name,make", [
    ("07 真实性声明.jpg", lambda: as_bytes(page(False), "JPEG", quality=85)),
    ("07 真实性声明.pdf", lambda: as_bytes(page(False), "PDF", resolution=200)),
])
def test_colour_scan_without_a_seal_is_an_error_naming_the_copy(tmp_path, name, make):
    seal, blocking = review_with(tmp_path, name, make())
    (f,) = seal
    assert f.severity == "error" and f in blocking
    assert "未见单位公章" in f.message and name in f.message and "第八条（七）" in f.message
    assert f.locations[0].file == name and f.evidence["copies"][0]["kind"] == "scan"


def test_grey_scan_cannot_tell_a_red_seal_and_is_a_warning(tmp_path):
    seal, blocking = review_with(tmp_path, "07 真实性声明.png", as_bytes(page(True).convert("L"), "PNG"))
    (f,) = seal
    assert f.severity == "warning" and "黑白扫描件" in f.message and blocking == []


def test_word_declaration_only_is_a_warning(tmp_path):
    seal, blocking = review_with(tmp_path, "", None)
    (f,) = seal
    assert f.severity == "warning" and "可编辑文档" in f.message and DECLARATION in f.message
    assert blocking == []
