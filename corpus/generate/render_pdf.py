"""Turn .docx into text PDFs the way submitters do: LibreOffice's PDF export.

All documents of a run go through a few soffice calls (one call costs ~0.7 s however
many files it converts), each process with a profile of its own so that a parallel
LibreOffice elsewhere on the machine cannot make it fail silently.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from corpus.generate.determinism import normalise_pdf

BATCH = 40


class PdfExportError(RuntimeError):
    pass


def soffice_binary() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise PdfExportError("LibreOffice (soffice) is not installed")
    return exe


def docx_to_pdf(documents: dict[str, bytes], timeout: float = 900) -> dict[str, bytes]:
    """Convert {key: docx bytes} to {key: pdf bytes}.  Keys only need to be unique."""
    if not documents:
        return {}
    exe = soffice_binary()
    result: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="shencha-gen-") as tmp:
        tmpdir = Path(tmp)
        profile = tmpdir / "profile"
        names = {}
        for i, (key, data) in enumerate(sorted(documents.items())):
            name = f"doc{i:04d}"
            (tmpdir / f"{name}.docx").write_bytes(data)
            names[name] = key
        ordered = sorted(names)
        for start in range(0, len(ordered), BATCH):
            batch = [str(tmpdir / f"{n}.docx") for n in ordered[start:start + BATCH]]
            cmd = [
                exe, "--headless", "--norestore",
                f"-env:UserInstallation=file://{profile}-{os.getpid()}",
                "--convert-to", "pdf", "--outdir", str(tmpdir / "out"), *batch,
            ]
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
            if proc.returncode != 0:
                raise PdfExportError(proc.stderr.decode(errors="replace")[-2000:])
        for name, key in names.items():
            pdf = tmpdir / "out" / f"{name}.pdf"
            if not pdf.exists():
                raise PdfExportError(f"LibreOffice produced no PDF for {key}")
            result[key] = normalise_pdf(pdf.read_bytes())
    return result
