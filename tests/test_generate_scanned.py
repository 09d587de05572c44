"""Scanned twins (corpus/generate/scan.py): the chosen documents come back as image-only PDFs or
JPEGs at 200 dpi, the declaration with a red seal, the report with only its table pages scanned,
and the manifest entry unchanged but for the variants.  No OCR here: that is bench/ocr.py's and
`shencha samples`' business."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from corpus.generate import DEFAULT_SEED, build_all
from corpus.generate.package import read_zip_names

pypdfium2 = pytest.importorskip("pypdfium2")
pdfium_c = pytest.importorskip("pypdfium2.raw")

if not (shutil.which("soffice") or shutil.which("libreoffice")):
    pytest.skip("LibreOffice is needed to print the documents before scanning", allow_module_level=True)

PIDS = ["hb_eval_01", "hn_bench_01"]  # the first two packages of a count of 2: one per form


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> tuple[Path, list[dict]]:
    from corpus.generate.scan import generate_scanned

    out = tmp_path_factory.mktemp("scanned") / "set"
    manifest = generate_scanned(out, DEFAULT_SEED, 2, pdf=False, only=PIDS, extra_forms=False)
    return out, manifest


def package_files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(info) for info, name in zip(zf.infolist(), read_zip_names(path)) if not name.endswith("/")}


def pdf_pages(data: bytes) -> list[tuple[str, int]]:
    """(text layer, number of image objects) of each page."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
            out.append((tp.get_text_range().strip(), len(images)))
            tp.close()
            page.close()
        return out
    finally:
        pdf.close()


def first_page_rgb(name: str, data: bytes) -> np.ndarray:
    if name.endswith(".pdf"):
        pdf = pypdfium2.PdfDocument(data)
        try:
            return np.asarray(pdf[0].render(scale=200 / 72).to_pil().convert("RGB"))
        finally:
            pdf.close()
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_manifest_is_the_text_sets_with_scanned_variants(scanned):
    out, manifest = scanned
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    built = {b.pid: b for b in build_all(DEFAULT_SEED, 2, False, extra_forms=False)}
    assert [m["package"].removesuffix(".zip") for m in manifest] == PIDS
    for m in manifest:
        b = built[m["package"].removesuffix(".zip")]
        assert m["form"] == b.form and m["expected"] == b.expected and m.get("allowed", []) == b.allowed
        assert m["clean"] == (not b.expected)
        assert m["variants"][:len(b.variants)] == b.variants and "scanned" in m["variants"]
        assert (out / m["package"]).exists()


def test_declaration_and_annual_table_are_image_only_with_a_seal(scanned):
    from extractor.ocr.seals import find_seals

    out, manifest = scanned
    files = package_files(out / next(m["package"] for m in manifest if m["form"] == "hb_evaluation"))
    names = {n.rsplit("/", 1)[-1].rsplit(".", 1)[0]: n for n in files}
    for stem in ("附件3 工业固体废物资源综合利用情况年报表", "企业真实性声明"):
        name = names[stem]
        assert name.endswith((".pdf", ".jpg")), name
        if name.endswith(".pdf"):
            pages = pdf_pages(files[name])
            assert pages and all(text == "" and n_images == 1 for text, n_images in pages), (name, pages)
        else:
            with Image.open(io.BytesIO(files[name])) as im:
                assert im.format == "JPEG" and round(im.info["dpi"][0]) == 200
    rgb = first_page_rgb(names["企业真实性声明"], files[names["企业真实性声明"]])
    assert rgb.shape[1] == pytest.approx(1654, abs=3)  # A4 at 200 dpi
    assert find_seals(rgb, 200), "the declaration carries no red seal the seal finder sees"
    assert not any(n.endswith(".docx") and ("附件3" in n or "声明" in n) for n in files)


def test_report_keeps_its_text_pages_and_scans_the_indicator_table(scanned):
    out, manifest = scanned
    m = next(m for m in manifest if m["form"] == "hn_benchmark")
    files = package_files(out / m["package"])
    report = next(n for n in files if "自评价报告书" in n)
    assert report.endswith(".pdf") and "scanned_report_pages" in m["variants"]
    pages = pdf_pages(files[report])
    scanned_pages = [i for i, (text, n_images) in enumerate(pages) if text == "" and n_images == 1]
    assert scanned_pages and len(scanned_pages) < len(pages)
    assert not any("指标表" in text for text, _ in pages)  # the page holding the table is the scan
    licence = next(n for n in files if "营业执照" in n)
    with Image.open(io.BytesIO(files[licence])) as im:
        assert im.format == "JPEG" and im.size == (1654, 2339)
