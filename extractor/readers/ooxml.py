"""What the Word and Excel readers share about the OOXML package itself.

- Bounds on the package's parts: python-docx and openpyxl read a part whole, so the sizes its
  zip directory declares are checked first (`zipfile` never returns more than the declared
  size: a part that lies about it fails its CRC instead).
- Strict Open XML (ISO/IEC 29500 Strict, namespaces under `http://purl.oclc.org/ooxml/`) read as
  Transitional: the Strict namespaces map one-to-one onto the Transitional ones, so rewriting the
  namespace URIs and relationship types lets python-docx and openpyxl read the common case.  A
  Strict file they still reject raises `StrictOoxml`, so the caller can try LibreOffice.
- Library warnings (openpyxl's "wmf image format is not supported…", "Data Validation extension
  is not supported…") kept off stderr while a file is read; what a reader drops it reports as an
  omission of its own.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import threading
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from lxml import etree

from extractor.limits import LimitExceeded, ReadLimits

log = logging.getLogger(__name__)

MiB = 1024**2
PACKAGE_RELS = "_rels/.rels"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
RT_DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_PREFIX = b"http://purl.oclc.org/ooxml/"
# a parser for the small parts read whole (relationships, the workbook): no entities, no network
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


class StrictOoxml(Exception):
    """A Strict Open XML file (namespaces under http://purl.oclc.org/ooxml/) that python-docx or
    openpyxl could not read even after its namespaces were rewritten to Transitional ones.  A
    converter (LibreOffice saves it again as Transitional) may still read it."""

    def __init__(self, kind: str, cause: BaseException) -> None:
        super().__init__(f"{kind} 文件为 Strict Open XML 格式，转换命名空间后仍无法读取：{type(cause).__name__}")
        self.kind = kind
        self.cause = cause


class DamagedOoxml(Exception):
    """The file's zip cannot be read as it declares: an encrypted part, a compression method or
    zip feature `zipfile` does not read, damaged compressed data, a damaged entry.  `reason`
    says which, in Chinese, for the reviewer."""

    def __init__(self, reason: str, encrypted: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.encrypted = encrypted


# the compression methods zipfile reads (stored, deflate, bzip2, LZMA)
_READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_ENCRYPTED_FLAG = 0x1
_PATCHED_DATA_FLAG = 0x20
_ZIP_MODULES = ("zipfile", "bz2.py", "lzma.py", "_compression.py")


def check_entries(infos: list[zipfile.ZipInfo]) -> None:
    """Raises `DamagedOoxml` for an entry `zipfile` would fail on when the part is read: an
    encrypted or nameless part, a compression method or zip version it does not read."""
    for info in infos:
        if not info.filename:
            raise DamagedOoxml("文件内部有一个部件没有名称（压缩目录已损坏）")
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise DamagedOoxml(f"文件内部的部件 {info.filename} 已加密", encrypted=True)
        if info.compress_type not in _READABLE_METHODS or info.flag_bits & _PATCHED_DATA_FLAG:
            raise DamagedOoxml(f"文件内部的部件 {info.filename} 使用了无法解压的压缩方式（{info.compress_type}）")
        if info.extract_version > zipfile.MAX_EXTRACT_VERSION:
            raise DamagedOoxml(f"文件内部的部件 {info.filename} 需要更高版本的解压程序")


@contextmanager
def zip_damage_as_finding() -> Iterator[None]:
    """An error that `zipfile` (or the bz2/lzma/zlib decoders under it) raises while python-docx,
    openpyxl or this module read a part becomes `DamagedOoxml`: damaged compressed data or a
    local header pointing nowhere, never a bare NotImplementedError or ValueError."""
    try:
        yield
    except (NotImplementedError, RuntimeError, ValueError, OSError, EOFError, IndexError, zlib.error) as e:
        if isinstance(e, zlib.error) or _raised_in_zip(e):
            raise DamagedOoxml("文件内部的压缩数据已损坏，部件无法解压") from e
        raise


def _raised_in_zip(e: BaseException) -> bool:
    tb = e.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return last is not None and any(part in last for part in _ZIP_MODULES)


# ---------------------------------------------------------------------------------------
# Strict → Transitional

# "<area>/<name>" under the Strict prefix is "<area>/2006/<name>" under the Transitional one,
# except two property parts whose names changed spelling
_STRICT_URI = re.compile(rb"(?<=[\"'])http://purl\.oclc\.org/ooxml/([A-Za-z]+)/([A-Za-z/-]+)(?=[\"'])")
_STRICT_RENAMES = {b"extendedProperties": b"extended-properties", b"customProperties": b"custom-properties"}


def _transitional_uri(m: re.Match[bytes]) -> bytes:
    area, rest = m.group(1), m.group(2)
    head, _, last = rest.rpartition(b"/")
    last = _STRICT_RENAMES.get(last, last)
    rest = head + b"/" + last if head else last
    return b"http://schemas.openxmlformats.org/" + area + b"/2006/" + rest


def strict_to_transitional(xml: bytes) -> bytes:
    """The part with every Strict namespace URI and relationship type (a quoted attribute value)
    replaced by its Transitional twin."""
    if STRICT_PREFIX not in xml:
        return xml
    return _STRICT_URI.sub(_transitional_uri, xml)


def _is_xml_part(name: str) -> bool:
    return name.endswith((".xml", ".rels", ".vml"))


# ---------------------------------------------------------------------------------------
# the package


class OoxmlPackage:
    """A .docx/.xlsx zip read part by part, bounded, Strict parts seen as Transitional, and
    parts replaced (a sanitised sheet, a pruned body) before the library opens it."""

    def __init__(self, data: bytes, limits: ReadLimits) -> None:
        self.data = data
        self.limits = limits
        self.zip = zipfile.ZipFile(io.BytesIO(data))  # BadZipFile: damaged, the caller says so
        check_entries(self.zip.infolist())
        self.infos = {i.filename: i for i in self.zip.infolist() if not i.is_dir()}
        self._replaced: dict[str, bytes] = {}
        self._check_sizes()
        self.strict = STRICT_PREFIX in self._raw(PACKAGE_RELS) if PACKAGE_RELS in self.infos else False

    def _check_sizes(self) -> None:
        bound = self.limits.member_expanded_bytes
        total = sum(i.file_size for i in self.infos.values())
        if total > bound:
            biggest = max(self.infos.values(), key=lambda i: i.file_size)
            raise LimitExceeded(
                "member_expanded_bytes",
                f"文件内部各部件解压后共 {_mib(total)}（其中 {biggest.filename} 为 {_mib(biggest.file_size)}），"
                f"超过上限 {_mib(bound)}",
            )

    def size(self, name: str) -> int:
        if name in self._replaced:
            return len(self._replaced[name])
        return self.infos[name].file_size

    def _raw(self, name: str) -> bytes:
        return self.zip.read(name)

    def read(self, name: str) -> bytes:
        """The part's bytes (Transitional namespaces if the file is Strict)."""
        if name in self._replaced:
            return self._replaced[name]
        data = self._raw(name)
        return strict_to_transitional(data) if self.strict and _is_xml_part(name) else data

    def open(self, name: str) -> IO[bytes]:
        """The part as a stream: read as it is parsed, so a huge part never sits in memory whole
        (a Strict part is rewritten first, in memory)."""
        if name in self._replaced or self.strict:
            return io.BytesIO(self.read(name))
        return self.zip.open(name)

    def replace(self, name: str, data: bytes) -> None:
        self._replaced[name] = data

    def to_bytes(self) -> bytes:
        """The package for python-docx / openpyxl: the original bytes, or a new zip with the
        replaced parts (and every part rewritten to Transitional for a Strict file)."""
        if not self._replaced and not self.strict:
            return self.data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for name in self.infos:
                zout.writestr(name, self.read(name))
        return out.getvalue()

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """rId -> (type, target part name) of a part's internal relationships ("" for the package)."""
        rels_name = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels") if part else PACKAGE_RELS
        if rels_name not in self.infos:
            return {}
        root = etree.fromstring(self.read(rels_name), SAFE_PARSER)
        base = posixpath.dirname(part)
        found: dict[str, tuple[str, str]] = {}
        for rel in root.iter(f"{{{RELS_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            found[rel.get("Id") or ""] = (rel.get("Type") or "", name)
        return found

    def main_part(self) -> str | None:
        """The officeDocument part (word/document.xml, xl/workbook.xml)."""
        for rel_type, target in self.relationships("").values():
            if rel_type == RT_OFFICE_DOCUMENT and target in self.infos:
                return target
        return None


def _mib(n: int) -> str:
    return f"{n / MiB:.0f} MiB" if n >= MiB else f"{n} 字节"


# ---------------------------------------------------------------------------------------
# library warnings


_local = threading.local()
_install_lock = threading.Lock()
_previous_showwarning = warnings.showwarning


def _route_warning(message, category, filename, lineno, file=None, line=None):
    sink = getattr(_local, "sink", None)
    if sink is None:  # another thread, not reading a file: as before
        _previous_showwarning(message, category, filename, lineno, file, line)
        return
    sink.append(warnings.WarningMessage(message, category, filename, lineno, file, line))
    log.debug("library warning while reading: %s", message)


@contextmanager
def quiet_library_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Warnings raised in this thread inside the block are collected, never printed.

    `warnings.catch_warnings` swaps process-wide state and is not safe when the service's worker
    threads read files at the same time (one thread's exit restores another's hook); this routes
    `warnings.showwarning` once, and each thread collects only its own warnings."""
    global _previous_showwarning
    with _install_lock:
        if warnings.showwarning is not _route_warning:
            _previous_showwarning = warnings.showwarning
            warnings.showwarning = _route_warning
    outer = getattr(_local, "sink", None)
    sink: list[warnings.WarningMessage] = []
    _local.sink = sink
    try:
        yield sink
    finally:
        _local.sink = outer
