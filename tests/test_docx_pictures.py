"""Pictures of paper inside a Word file (extractor/readers/docx_pictures.py): a licence photo
pasted into the report is read as a licence, a sealed declaration pasted in has its seal, and a
photo that is not of paper is left as a picture.  The recogniser is the real one."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extractor.forms.licence import find_licences
from extractor.readers.docx_pictures import _looks_like_paper
from extractor.readers.docx_reader import read_docx
from tests.test_seal_missing import as_bytes, page

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"


@pytest.fixture(autouse=True)
def _ocr_on(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("SHENCHA_OCR", "on")
    monkeypatch.setenv("SHENCHA_OCR_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "ocr-cache"))


def word_with_pictures(*pictures: bytes, text: str = "附件：营业执照复印件") -> bytes:
    import docx
    from docx.shared import Cm

    d = docx.Document()
    d.add_paragraph("十、附件")
    d.add_paragraph(text)
    for data in pictures:
        d.add_picture(io.BytesIO(data), width=Cm(15))
    d.add_paragraph("（以上材料复印件加盖公章）")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def photo() -> bytes:
    """A photo of a plant: dark and colourful, no paper in it."""
    rng = np.random.default_rng(7)
    arr = (rng.random((900, 1200, 3)) * 120 + 40).astype(np.uint8)
    return as_bytes(Image.fromarray(arr), "JPEG", quality=80)


def test_a_licence_photo_pasted_into_a_report_is_read_as_a_licence():
    licence = (SAMPLES / "hb_eval_04" / "营业执照.jpg").read_bytes()
    doc = read_docx(word_with_pictures(licence, photo()), "评价报告.docx")
    kinds = [b.kind for b in doc.blocks]
    assert kinds.count("image") == 2
    read = [b for b in doc.blocks if b.confidence is not None]
    assert read and all(b.loc.page is None and b.loc.box is None for b in read)
    # numbered as the Word file's paragraphs, after the picture they were read on
    assert [b.loc.paragraph for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))
    first_image = kinds.index("image")
    assert doc.blocks[first_image + 1].confidence is not None
    # nothing was read on the photo: what follows it is the Word file's own text
    assert doc.blocks[-1].kind == "image" or doc.blocks[-1].confidence is None
    (lic,) = find_licences([doc])
    assert lic.value("name") == "襄阳金鼎热电股份有限公司" and lic.credit_code == "914206074715070274"


def test_a_sealed_declaration_pasted_in_has_its_seal_and_an_unsealed_one_has_none():
    sealed = read_docx(word_with_pictures(as_bytes(page(True), "JPEG", quality=85), text="真实性声明"), "声明.docx")
    assert len(sealed.seals) == 1
    assert any("承诺" in b.text for b in sealed.blocks if b.confidence is not None)
    unsealed = read_docx(word_with_pictures(as_bytes(page(False), "JPEG", quality=85), text="真实性声明"), "声明.docx")
    assert unsealed.seals == []


def test_with_ocr_off_pictures_are_still_searched_for_seals(monkeypatch):
    monkeypatch.setenv("SHENCHA_OCR", "off")
    doc = read_docx(word_with_pictures(as_bytes(page(True), "JPEG", quality=85)), "声明.docx")
    assert len(doc.seals) == 1 and all(b.confidence is None for b in doc.blocks)


def test_what_looks_like_paper():
    white = np.full((1000, 800, 3), 250, np.uint8)
    assert not _looks_like_paper(white)  # blank: no ink
    text = white.copy()
    text[100:900:20, 100:700] = 0
    assert _looks_like_paper(text)
    assert not _looks_like_paper(np.asarray(Image.open(io.BytesIO(photo()))))
