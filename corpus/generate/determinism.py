"""Make written files byte-identical across runs: writers stamp the current time into
zip members (docx, xlsx) and into PDF info dictionaries and trailer ids."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

ZIP_TIME = (2026, 3, 16, 9, 30, 0)
PDF_DATE = b"20260316093000"


def normalise_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed member timestamps, same order and contents."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            data_ = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time into dcterms:modified whatever was set
                data_ = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>2026-03-16T09:30:00Z\g<2>", data_)
            dst.writestr(zi, data_)
    return out.getvalue()


def normalise_pdf(data: bytes) -> bytes:
    """Fix the dates, the trailer /ID and LibreOffice's /DocChecksum without moving any
    byte (same-length replacements keep the xref table valid)."""
    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)\d{14}", rb"\g<1>" + PDF_DATE, data)
    digest = hashlib.md5(
        re.sub(rb"/ID\s*\[[^\]]*\]|/DocChecksum\s*/[0-9A-Fa-f]+", b"", data)
    ).hexdigest().upper().encode()

    def _id(m: re.Match) -> bytes:
        return m.group(1) + digest[: len(m.group(2))] + m.group(3) + digest[: len(m.group(4))] + b">"

    data = re.sub(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)>", _id, data)
    data = re.sub(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)", lambda m: m.group(1) + digest[: len(m.group(2))], data)
    return data
