"""SEAL.MISSING: a declaration the seeds require sealed (湖北 第八条（七）) is looked at for a red
seal wherever it stands.  The packages are a clean agency sample whose 真实性声明 is replaced by
hand-made copies: a colour scan with and without a seal, a grey scan, a scanned PDF, the Word file."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from service.review.pipeline import review_package
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
    seal = [f for f in review.findings if f.rule == "SEAL.MISSING" and f.evidence["id"] == "declaration"]
    blocking = [f for f in review.findings if f.severity in ("error", "veto")]
    return (seal, blocking, review) if with_review else (seal, blocking)


def test_sealed_colour_scan_has_no_finding_and_the_package_stays_clean(tmp_path):
    from service.reports.model import build_report

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


def test_the_application_forms_cover_asks_for_the_seal_too(tmp_path):
    """附件5 申请表封面「单位名称（公章）」: in Word only, a warning of its own."""
    _seal, _blocking, review = review_with(tmp_path, "", None, True)
    (cover,) = [f for f in review.findings if f.rule == "SEAL.MISSING" and f.evidence["id"] == "application_cover"]
    assert cover.severity == "warning" and "申请表封面" in cover.message
    assert not [f for f in review.findings if f.rule == "ATTACHMENT.MISSING" and f.evidence["id"] == "application_cover"]


def nowaste_declaration(sealed: bool) -> Image.Image:
    """The 无废 申报书's 承诺声明 as a scanned page (the seed's words), stamped or not."""
    from PIL import ImageDraw

    from tests.test_seals import blank, font, mm

    p = blank()
    draw = ImageDraw.Draw(p)
    draw.text((p.width / 2, mm(40)), "承诺声明", font=font(mm(7)), fill="black", anchor="mm")
    lines = ["我单位申报的所有材料，均真实、完整，如有不实，", "愿承担相应的责任。",
             "在不涉及商业机密的情况下，自愿与其他企业分享经验。"]
    for k, line in enumerate(lines):
        draw.text((mm(25), mm(60) + k * mm(10)), line, font=font(mm(5)), fill="black")
    draw.text((mm(110), mm(120)), "单位名称：襄阳循环经济产业园管理委员会", font=font(mm(4.5)), fill="black")
    draw.text((mm(130), mm(132)), "（公章）", font=font(mm(4.5)), fill="black")
    draw.text((mm(130), mm(144)), "2024年3月25日", font=font(mm(4.5)), fill="black")
    if sealed:
        stamp(p, seal_ink(42), (int(mm(150)), int(mm(132))))
    return p


@pytest.mark.parametrize("sealed", [False, True])
def test_nowaste_commitment_scanned_is_looked_at_for_its_seal(tmp_path, monkeypatch, sealed):
    """The 无废 承诺声明 scanned on its own (read by OCR): without a seal an error naming the
    scan; with one, nothing.  Its absence is the outline's finding, never ATTACHMENT.MISSING."""
    from tests.test_nowaste_case import application

    monkeypatch.setenv("SHENCHA_OCR", "on")
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "申报书.docx").write_bytes(application(commitment=False))
    (folder / "承诺声明.jpg").write_bytes(as_bytes(nowaste_declaration(sealed), "JPEG", quality=85, dpi=(200, 200)))
    review = review_package(folder)
    assert review.form.form == "nowaste_case"
    seal = [f for f in review.findings if f.rule == "SEAL.MISSING"]
    assert not [f for f in review.findings if f.rule == "ATTACHMENT.MISSING" and f.evidence["id"] == "commitment"]
    if sealed:
        assert seal == []
        return
    (f,) = seal
    assert f.severity == "error" and "承诺声明.jpg" in f.message and f.evidence["id"] == "commitment"
