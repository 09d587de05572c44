"""Turn what a user hands in (one file, a folder, a .zip) into a flat list of files.

Member names of archives are only ever used as labels, never as file-system paths, so a
hostile archive cannot write anywhere.  File types are decided by content, because packages
often carry files whose extension lies (a .doc renamed .docx, a .zip named .rar).
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from extractor.model import FileType

MAX_TOTAL_BYTES = 2 * 1024**3  # uncompressed bytes a whole package may expand to
MAX_RATIO = 1000  # uncompressed / compressed, per member, above MIN_RATIO_CHECK_BYTES
MIN_RATIO_CHECK_BYTES = 16 * 1024**2
MAX_MEMBERS = 20000
MAX_ARCHIVE_DEPTH = 2  # the input archive and archives inside it; deeper ones stay files

_JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
# Zip-based document formats that must not be unpacked as archives.
_ZIP_DOCUMENT_EXTS = {
    "docx", "docm", "dotx", "xlsx", "xlsm", "xltx", "pptx", "odt", "ods", "odp",
    "ofd", "epub", "jar", "apk", "xps", "oxps",
}
_EXT_TYPES: dict[str, FileType] = {
    "docx": "docx", "docm": "docx", "xlsx": "xlsx", "xlsm": "xlsx", "pdf": "pdf",
    "jpg": "image", "jpeg": "image", "png": "image", "gif": "image", "bmp": "image",
    "tif": "image", "tiff": "image", "webp": "image",
}
_UNICODE_PATH_EXTRA = 0x7075  # Info-ZIP Unicode Path extra field
_UTF8_FLAG = 0x800


class PackageError(Exception):
    """The input cannot be processed at all.  The message is for the reviewer (Chinese)."""


@dataclass
class PackageFile:
    path: str  # member path inside the package: relative, '/'-separated
    data: bytes = field(repr=False)
    sha256: str
    size: int
    type: FileType
    ext: str  # lower-case extension without the dot, "" when none
    # set when the package could not give this file's bytes (a damaged or encrypted member, a
    # member over a limit): the reason for the reviewer, and its kind (see Document.problem)
    problem: str | None = None
    problem_kind: str | None = None

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> "PackageFile":
        ext = extension_of(path)
        return cls(
            path=path,
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            type=detect_type(data, ext),
            ext=ext,
        )


@dataclass
class Package:
    name: str
    files: list[PackageFile]


def extension_of(path: str) -> str:
    suffix = PurePosixPath(path).suffix
    return suffix[1:].lower() if suffix else ""


def detect_type(data: bytes, ext: str = "") -> FileType:
    """Type by content; by extension only when the content says nothing (corrupt files)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK"):
        names = _zip_names(data)
        if names is not None:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            # a readable zip that is neither: an archive or another zip-based format
            return "other"
    if _image_magic(head):
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "other"  # OLE compound file: legacy .doc/.xls/.wps, whatever the name says
    return _EXT_TYPES.get(ext, "other")


def is_zip_archive(data: bytes, ext: str) -> bool:
    """A zip that should be unpacked, as opposed to a zip-based document format."""
    if ext in _ZIP_DOCUMENT_EXTS or not data.startswith(b"PK"):
        return False
    names = _zip_names(data)
    if names is None:
        return False
    return "word/document.xml" not in names and "xl/workbook.xml" not in names


def load_package(path: str | Path) -> Package:
    """Load a single file, a folder (recursively) or a .zip into a `Package`.

    Raises `PackageError` when the path is missing, the archive is unreadable, encrypted, a
    zip bomb, or nothing usable is inside.
    """
    p = Path(path)
    if not p.exists():
        raise PackageError(f"{p}：路径不存在")
    budget = _Budget()
    files: list[PackageFile] = []
    if p.is_dir():
        seen_any = False
        for fp in sorted(p.rglob("*")):
            if not fp.is_file():
                continue
            rel = fp.relative_to(p).as_posix()
            seen_any = True
            if _is_junk(rel):
                continue
            data = _read_file(fp)
            budget.charge(len(data), rel)
            files.extend(_expand(rel, data, depth=1, budget=budget))
        if not files:
            reason = "无可识别文件" if seen_any else "文件夹为空"
            raise PackageError(f"{p}：{reason}")
    else:
        data = _read_file(p)
        ext = p.suffix[1:].lower()
        if ext == "zip" or is_zip_archive(data, ext):
            files = _unzip_outer(p, data, budget)
        else:
            if not data:
                raise PackageError(f"{p}：文件为空（0 字节）")
            files = [PackageFile.from_bytes(p.name, data)]
    files.sort(key=lambda f: f.path)
    return Package(name=p.name, files=files)


class _Budget:
    """Uncompressed bytes and member count left for the whole package."""

    def __init__(self) -> None:
        self.bytes_left = MAX_TOTAL_BYTES
        self.members_left = MAX_MEMBERS

    def charge(self, n: int, where: str) -> None:
        self.bytes_left -= n
        self.members_left -= 1
        if self.bytes_left < 0:
            raise PackageError(
                f"{where}：解压后总大小超过 {MAX_TOTAL_BYTES // 1024**3} GiB 上限，疑似压缩炸弹，已拒绝处理"
            )
        if self.members_left < 0:
            raise PackageError(f"{where}：文件数量超过 {MAX_MEMBERS} 个上限，已拒绝处理")


def _read_file(fp: Path) -> bytes:
    try:
        return fp.read_bytes()
    except OSError as e:
        raise PackageError(f"{fp}：无法读取（{e.strerror or e}）") from e


def _unzip_outer(p: Path, data: bytes, budget: _Budget) -> list[PackageFile]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as e:
        raise PackageError(f"{p}：不是有效的压缩包（{e}）") from e
    with zf:
        members = [i for i in zf.infolist() if not i.is_dir()]
        if not members:
            raise PackageError(f"{p}：压缩包为空")
        try:
            files = _unzip_members(zf, prefix="", depth=1, budget=budget)
        except _ArchiveProblem as e:
            raise PackageError(f"{p}：{e}") from e
    if not files:
        raise PackageError(f"{p}：压缩包内无可识别文件")
    return files


class _ArchiveProblem(Exception):
    """An archive (outer or inner) cannot be unpacked; the message says why, in Chinese."""


def _unzip_members(zf: zipfile.ZipFile, prefix: str, depth: int, budget: _Budget) -> list[PackageFile]:
    out: list[PackageFile] = []
    for info in zf.infolist():
        if info.is_dir():
            continue
        name = _safe_member_path(member_name(info))
        if not name or _is_junk(name):
            continue
        data = _read_member(zf, info, budget, prefix + name)
        out.extend(_expand(prefix + name, data, depth=depth + 1, budget=budget))
    return out


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, where: str) -> bytes:
    if info.flag_bits & 0x1:
        raise _ArchiveProblem(f"压缩包已加密（{where}），需要密码，请提交未加密的压缩包")
    # Read in chunks and count real bytes: the sizes in the zip directory can lie.
    chunks: list[bytes] = []
    total = 0
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                total += len(chunk)
                if total > budget.bytes_left:
                    budget.charge(total, where)  # over the limit: raises PackageError
                if total > MIN_RATIO_CHECK_BYTES and total > MAX_RATIO * max(info.compress_size, 1):
                    raise PackageError(
                        f"{where}：压缩比超过 {MAX_RATIO}:1，疑似压缩炸弹，已拒绝处理"
                    )
                chunks.append(chunk)
    except PackageError:
        raise
    except RuntimeError as e:  # zipfile's "password required"
        raise _ArchiveProblem(f"压缩包已加密（{where}），需要密码") from e
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as e:
        raise _ArchiveProblem(f"压缩包内文件 {where} 已损坏或压缩方式不受支持（{e}）") from e
    budget.charge(total, where)
    return b"".join(chunks)


def _expand(path: str, data: bytes, depth: int, budget: _Budget) -> list[PackageFile]:
    """The file itself, or the members of an archive found inside the package."""
    ext = extension_of(path)
    if depth <= MAX_ARCHIVE_DEPTH and (is_zip_archive(data, ext) or (ext == "zip" and data.startswith(b"PK"))):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                members = _unzip_members(inner, prefix=path + "/", depth=depth, budget=budget)
        except (zipfile.BadZipFile, _ArchiveProblem, ValueError, OSError):
            # keep the archive as a file: the reader reports it as unreadable
            return [PackageFile.from_bytes(path, data)]
        if members:
            return members
    return [PackageFile.from_bytes(path, data)]


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: UTF-8 when flagged, else the Info-ZIP Unicode Path extra field,
    else GBK (what Chinese Windows archivers write), else the cp437 text Python decoded."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    unicode_path = _unicode_path_extra(info.extra)
    if unicode_path:
        return unicode_path
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unicode_path_extra(extra: bytes) -> str | None:
    i = 0
    while i + 4 <= len(extra):
        header_id, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + size]
        if header_id == _UNICODE_PATH_EXTRA and len(body) > 5 and body[0] == 1:
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
        i += 4 + size
    return None


def _safe_member_path(name: str) -> str:
    """A relative '/'-separated path with no '..', '.', drive or root parts."""
    parts = []
    for part in name.replace("\\", "/").split("/"):
        if part in ("", ".", ".."):
            continue
        if len(part) == 2 and part[1] == ":":  # "C:"
            continue
        parts.append(part)
    return "/".join(parts)


def _is_junk(rel: str) -> bool:
    parts = rel.split("/")
    if any(part.startswith(".") or part == "__MACOSX" for part in parts):
        return True
    base = parts[-1]
    return base.lower() in _JUNK_NAMES or base.startswith("~$")


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return set(zf.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return None


def _image_magic(head: bytes) -> bool:
    return (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or head.startswith((b"GIF87a", b"GIF89a"))
        or head.startswith((b"II*\x00", b"MM\x00*"))
        or (head.startswith(b"RIFF") and head[8:12] == b"WEBP")
        or (head.startswith(b"BM") and len(head) >= 26 and head[6:10] == b"\x00\x00\x00\x00")
    )
