"""Legacy office formats (.doc, .wps, .rtf, .odt → .docx; .xls, .et, .ods → .xlsx) converted by
LibreOffice, so their content is read like any other file instead of being refused.

Submitters still send Word 97 and WPS files.  LibreOffice converts one in about 0.7 s; each
conversion gets its own profile directory, since two soffice processes sharing a profile fail
silently (see shared/notes/extraction-facts.md).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TARGET = {"doc": "docx", "wps": "docx", "rtf": "docx", "odt": "docx",
          "xls": "xlsx", "et": "xlsx", "ods": "xlsx"}
TIMEOUT_SECONDS = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the stream a real document keeps in its OLE container (names are UTF-16 in the directory)
_OLE_STREAMS = {"doc": ("WordDocument",), "wps": ("WordDocument",), "xls": ("Workbook", "Book"), "et": ("Workbook", "Book")}


def looks_like(ext: str, data: bytes) -> bool:
    """LibreOffice imports anything, garbage included (as text): only convert what has the
    structure of the format it claims to be."""
    if ext in _OLE_STREAMS:
        return data.startswith(_OLE_MAGIC) and any(n.encode("utf-16-le") in data for n in _OLE_STREAMS[ext])
    if ext == "rtf":
        return data.lstrip()[:5] == b"{\\rtf"
    if ext in ("odt", "ods"):
        return data.startswith(b"PK\x03\x04") and b"mimetype" in data[:200]
    return False


def convert(data: bytes, ext: str) -> tuple[bytes, str] | None:
    """(converted bytes, new extension), or None when LibreOffice is absent, the data is not
    of the format it claims, or the conversion fails."""
    target = TARGET.get(ext)
    exe = soffice()
    if target is None or exe is None or not looks_like(ext, data):
        return None
    with tempfile.TemporaryDirectory(prefix="shencha-lo-") as tmp:
        src = Path(tmp) / f"input.{ext}"
        src.write_bytes(data)
        out = Path(tmp) / "out"
        try:
            subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", target, "--outdir", str(out), str(src)],
                           check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
        except (subprocess.SubprocessError, OSError):
            return None
        result = out / f"input.{target}"
        return (result.read_bytes(), target) if result.exists() and result.stat().st_size else None
