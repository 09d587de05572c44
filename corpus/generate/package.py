"""Lay out a package's files as a folder or a .zip — UTF-8 names, or GBK names without the
UTF-8 flag as Windows archivers write them — with fixed timestamps."""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from corpus.generate.determinism import ZIP_TIME

UTF8_FLAG = 0x800


@dataclass
class PlannedFile:
    path: str  # '/'-separated path inside the package
    data: bytes | None = None
    pdf_from_docx: bytes | None = None  # filled with LibreOffice's export before writing

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


class _LegacyNameZipInfo(zipfile.ZipInfo):
    """zipfile stores any non-ASCII name as UTF-8 and sets the flag; Windows archivers store
    the ANSI code page's bytes (GBK) without it.  Names here are already those bytes
    decoded as cp437, so encoding back to cp437 writes the GBK bytes unchanged."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's hook
        return self.filename.encode("cp437"), self.flag_bits & ~UTF8_FLAG


def gbk_zipinfo(name: str) -> zipfile.ZipInfo:
    """A member whose stored name bytes are GBK and whose UTF-8 flag is clear."""
    zi = _LegacyNameZipInfo(name.encode("gbk").decode("cp437"), date_time=ZIP_TIME)
    zi.flag_bits &= ~UTF8_FLAG
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.external_attr = 0o644 << 16
    return zi


def utf8_zipinfo(name: str) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.external_attr = 0o644 << 16
    return zi


def zip_bytes(files: list[PlannedFile], gbk: bool) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        dirs: list[str] = []
        for f in files:
            parts = f.path.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                d = "/".join(parts[:i]) + "/"
                if d not in dirs:
                    dirs.append(d)
        for d in dirs:  # explicit folder entries, as Windows' "send to compressed folder" writes
            zi = gbk_zipinfo(d) if gbk else utf8_zipinfo(d)
            zi.external_attr = (0o40755 << 16) | 0x10
            zi.compress_type = zipfile.ZIP_STORED
            zf.writestr(zi, b"")
        for f in files:
            assert f.data is not None, f.path
            zi = gbk_zipinfo(f.path) if gbk else utf8_zipinfo(f.path)
            zf.writestr(zi, f.data)
    return out.getvalue()


def read_zip_names(path: Path) -> list[str]:
    """Member names decoded as an unzip tool for Chinese Windows archives would: UTF-8 when
    flagged, otherwise the raw bytes as GBK."""
    names = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.flag_bits & UTF8_FLAG:
                names.append(info.filename)
            else:
                names.append(info.filename.encode("cp437").decode("gbk"))
    return names


def write_package(out_dir: Path, pid: str, files: list[PlannedFile], container: str) -> str:
    """container: 'folder', 'zip' or 'zip_gbk'.  Returns the package path relative to out_dir."""
    if container == "folder":
        root = out_dir / pid
        if root.exists():
            shutil.rmtree(root)
        for f in files:
            target = root / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            assert f.data is not None, f.path
            target.write_bytes(f.data)
        return pid
    name = f"{pid}.zip"
    data = zip_bytes(files, gbk=container == "zip_gbk")
    (out_dir / name).write_bytes(data)
    if container == "zip_gbk":
        expected = sorted(f.path for f in files)
        got = sorted(n for n in read_zip_names(out_dir / name) if not n.endswith("/"))
        if got != expected:
            raise RuntimeError(f"GBK names did not read back in {name}: {got} != {expected}")
    return name
