"""A whole hb_evaluation package exported to PDF by LibreOffice (report, 附件1, 附件3): tables
come from the PDF reader, wrapped cells and all, and a clean package stays clean."""

import json
import shutil

import pytest

from service.cli import main
from tests import form_fixtures as ff

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/setup.sh")


@pytest.fixture(scope="module")
def pdf_package(tmp_path_factory):
    root = tmp_path_factory.mktemp("pdfpkg")
    ff.to_pdf({"报告.docx": ff.hb_report(), "附件一.docx": ff.hb_basic_info(), "附件三.docx": ff.hb_annual_report()}, root)
    (root / "营业执照.png").write_bytes(ff.PNG)
    return root


def test_clean_pdf_package_has_no_error(pdf_package, tmp_path):
    out = tmp_path / "r.json"
    code = main(["check", str(pdf_package), "--json", str(out), "--quiet"])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["package"]["form"] == "hb_evaluation"
    blocking = [f["message"] for f in report["findings"] if f["severity"] in ("error", "veto")]
    assert blocking == [] and code == 0
    # the credit code wrapped over three lines of a narrow PDF cell is read whole
    assert report["fields"]["fields"]["credit_code"]["text"] == ff.VALID_USCC
    assert any(f["page"] for f in [report["fields"]["fields"]["mobile"]["location"]])
