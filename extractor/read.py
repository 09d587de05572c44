"""One package file in, one `Document` out, whatever happens.

A file that cannot be read becomes a `Document` with `error` set (in Chinese, naming the
problem and, where there is one, the remedy); the pipeline turns that into FILE.UNREADABLE, or
FILE.LIMIT_EXCEEDED when a limit stopped it.  The reason never carries an exception's own text:
known failures are named in Chinese, others by their class at most.

Before a file is called unreadable, LibreOffice gets a try (extractor/readers/legacy.py): legacy
formats and presentations are converted, and a .docx/.xlsx the native reader rejects is saved
again by LibreOffice and read from that.  Presentations and zip-based formats we cannot read
(.ofd, .xps, .epub, .pages) are kept as attachments with a warning, not errors.

The pipeline calls this through `extractor.isolation`, which runs it in a worker process under
the file's time and memory limits.
"""

from __future__ import annotations

import importlib
import io
import logging
import zipfile
import zlib
from typing import Callable

from extractor.headings import classify_paragraph
from extractor.limits import LimitExceeded
from extractor.model import Block, Document, Location
from extractor.package import PackageFile

log = logging.getLogger(__name__)

# formats we are asked for but cannot read: what to ask the submitter for instead
_CONVERT_HINTS = {
    "doc": "请转换为 .docx",
    "wps": "请转换为 .docx",
    "rtf": "请转换为 .docx",
    "xls": "请转换为 .xlsx",
    "et": "请转换为 .xlsx",
    "odt": "请转换为 .docx",
    "ods": "请转换为 .xlsx",
    "heic": "请转换为 .jpg 或 .png",
    "caj": "请转换为 .pdf",
}
# formats kept as attachments when we cannot read them: not an error, the reviewer looks at them
_ATTACHMENTS = {
    "ppt": "演示文稿",
    "pptx": "演示文稿",
    "odp": "演示文稿",
    "dps": "演示文稿",
    "ofd": "OFD 版式文件",
    "xps": "XPS 版式文件",
    "oxps": "XPS 版式文件",
    "epub": "EPUB 电子书",
    "pages": "Pages 文稿",
    "jar": "Java 程序包",
    "war": "Java 程序包",
    "ear": "Java 程序包",
    "apk": "安卓安装包",
}
_PROGRAMS = {"jar", "war", "ear", "apk"}  # zip-based program packages: kept, never unpacked
_ARCHIVES = {"rar", "7z", "tar", "gz", "tgz", "bz2", "xz"}
_TEXT_EXTS = {"txt", "csv", "md", "text"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TYPE_NAMES = {"docx": "DOCX", "xlsx": "XLSX", "pdf": "PDF", "image": "图片"}
_GiB, _MiB = 1024**3, 1024**2


def read_document(pf: PackageFile) -> Document:
    """Never raises: failures are reported in `Document.error` (and `Document.problem`)."""
    if pf.problem is not None:  # the package could not give the file's bytes (damaged member, bomb)
        return failed_document(pf, pf.problem, pf.problem_kind or "damaged")
    try:
        doc = _read(pf)
    except LimitExceeded as e:
        doc = failed_document(pf, e.reason, "limit")
    except MemoryError:  # the worker's address-space cap (extractor/isolation.py), or the machine's
        from extractor.isolation import memory_limit

        doc = failed_document(pf, memory_reason(memory_limit()), "limit")
    except Exception as e:  # noqa: BLE001 - any reader failure is a finding, not a crash
        doc = failed_document(pf, _reason(pf, e), _problem_kind(e))
    update = {"path": pf.path, "sha256": pf.sha256, "size": pf.size}
    if doc.error is None:
        from extractor.audit.pictures import picture_hashes

        update["pictures"] = picture_hashes(pf.path, pf.data, pf.type)
    return doc.model_copy(update=update)


def _problem_kind(e: Exception) -> str:
    from extractor.readers.pdf_reader import EncryptedPdfError

    return "encrypted" if isinstance(e, EncryptedPdfError) or getattr(e, "encrypted", False) else "damaged"


def memory_reason(limit_bytes: int) -> str:
    """The reviewer's reason for a file whose reading needed more memory than the limit."""
    return f"读取时内存超过上限 {format_bytes(limit_bytes)}，已停止读取该文件"


def time_reason(limit_seconds: float) -> str:
    """The reviewer's reason for a file whose reading took longer than the limit."""
    return f"读取用时超过上限 {limit_seconds:g} 秒，已停止读取该文件"


def format_bytes(n: int) -> str:
    for unit, size in (("GiB", _GiB), ("MiB", _MiB)):
        if n >= size:
            return f"{n / size:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n} 字节"


def _read(pf: PackageFile) -> Document:
    if not pf.data:
        return failed_document(pf, "文件为空（0 字节）", "empty")
    reader = _reader_for(pf.type)
    if reader is None:
        return _read_other(pf)
    try:
        doc = _read_quietly(reader, pf.data, pf.path)
    except (LimitExceeded, MemoryError):
        raise
    except Exception as e:
        if getattr(e, "encrypted", False):
            raise  # an encrypted part: no converter reads it either
        # a .docx/.xlsx the native reader rejects may still be a document LibreOffice reads
        # (Strict Open XML, an odd producer, a damaged zip it repairs): convert it before
        # calling it damaged
        converted = _read_round_trip(pf, _cause(e))
        if converted is None:
            raise
        return converted
    if not doc.blocks and not doc.error:
        # nothing at all from a workbook or document that has content (openpyxl drops the
        # sheets of a Strict Open XML workbook with a mere warning): LibreOffice may read it
        return _read_round_trip(pf, "直接读取未得到任何内容") or doc
    return doc


def _read_quietly(reader: Callable[[bytes, str], Document], data: bytes, path: str) -> Document:
    """One reader's attempt, its library warnings captured: those that say content was dropped
    become omissions of this attempt's Document, the rest are discarded (never printed)."""
    from extractor.isolation import captured_noise, with_dropped_content

    with captured_noise() as noise:
        doc = reader(data, path)
    return with_dropped_content(doc, noise)


def _reader_for(file_type: str) -> Callable[[bytes, str], Document] | None:
    # imported lazily so that a broken optional dependency only fails its own format
    if file_type == "docx":
        from extractor.readers.docx_reader import read_docx

        return read_docx
    if file_type == "xlsx":
        from extractor.readers.xlsx_reader import read_xlsx

        return read_xlsx
    if file_type == "pdf":
        from extractor.readers.pdf_reader import read_pdf

        return read_pdf
    if file_type == "image":
        from extractor.readers.image_reader import read_image

        return read_image
    return None


def _read_converted(pf: PackageFile, ext: str) -> Document | None:
    """A .doc/.wps/.xls/.pptx/… converted by LibreOffice and read by the modern reader, or None."""
    from extractor import isolation
    from extractor.readers import legacy

    if ext not in legacy.TARGET:
        return None
    left = isolation.time_left()
    # stop the converter in time to remove its directory before the file's own limit
    result = legacy.convert(pf.data, ext, timeout=None if left is None else left - 2.0)
    if result is None:
        return None
    data, target = result
    reader = _reader_for(target)
    return _read_quietly(reader, data, pf.path) if reader is not None else None


def _read_round_trip(pf: PackageFile, cause: str) -> Document | None:
    """The file saved again by LibreOffice and read from that, when that gives content."""
    if pf.type not in ("docx", "xlsx"):
        return None
    try:
        converted = _read_converted(pf, pf.type)
    except (LimitExceeded, MemoryError):
        raise
    except Exception:  # noqa: BLE001 - the conversion did not help: the original outcome stands
        return None
    if converted is None or converted.error or not converted.blocks:
        return None  # LibreOffice opens a damaged file as an empty one: that is no reading
    kind = _TYPE_NAMES[pf.type]
    converted.warnings.insert(0, f"文件无法直接按 {kind} 读取（{cause}），已由 LibreOffice 转换后读取，请核对转换结果")
    return converted


def _reason(pf: PackageFile, e: Exception) -> str:
    """The reviewer's reason for a reader failure: Chinese, never the exception's own text."""
    from extractor.readers.image_reader import CorruptImageError
    from extractor.readers.ooxml import DamagedOoxml
    from extractor.readers.pdf_reader import EncryptedPdfError

    if isinstance(e, EncryptedPdfError):
        return "PDF 已加密，需要密码，无法读取内容"
    if isinstance(e, CorruptImageError):
        return "图片文件已损坏或格式无法识别"
    if isinstance(e, DamagedOoxml):
        kind = _TYPE_NAMES.get(pf.type, "文档")
        return f"{e.reason}，无法读取内容" if e.encrypted else f"文件已损坏，无法作为 {kind} 读取（{e.reason}）"
    if pf.type in ("docx", "xlsx"):
        encrypted = _office_encrypted(pf.data)
        if encrypted:
            return encrypted
    return f"文件已损坏，无法作为 {_TYPE_NAMES.get(pf.type, pf.ext.upper() or '该格式')} 读取（{_cause(e)}）"


def _cause(e: BaseException) -> str:
    """What went wrong, in Chinese, from the exception's class; its message (English, paths,
    library internals) is never shown."""
    for classes, cause in _known_causes():
        if isinstance(e, classes):
            return cause
    log.info("reader failed with %s, shown to the reviewer as a format violation", type(e).__name__)
    return "内容不符合该格式的规范，无法解析"


def _known_causes() -> list[tuple[tuple[type[BaseException], ...], str]]:
    import xml.etree.ElementTree as ElementTree
    from xml.parsers.expat import ExpatError

    causes: list[tuple[tuple[type[BaseException], ...], str]] = [
        (_optional("extractor.readers.docx_reader", "StrictOoxml"), "采用 Strict Open XML 格式"),
        (_optional("extractor.readers.ooxml", "DamagedOoxml"), "文件内部的压缩数据或部件已损坏"),
        (_optional("docx.opc.exceptions", "PackageNotFoundError"), "不是有效的 Word 文档包"),
        (_optional("openpyxl.utils.exceptions", "InvalidFileException"), "不是有效的 Excel 工作簿"),
        (_optional("pypdfium2", "PdfiumError"), "PDF 结构无法解析"),
        (_optional("pdfminer.pdfparser", "PDFSyntaxError"), "PDF 结构无法解析"),
        ((zipfile.BadZipFile, zipfile.LargeZipFile), "压缩结构无效"),
        ((zlib.error, EOFError), "压缩数据不完整或已损坏"),
        (_optional("lxml.etree", "XMLSyntaxError") + (ElementTree.ParseError, ExpatError), "内部 XML 结构已损坏"),
        ((KeyError,), "缺少必需的组成部分"),
        ((RecursionError,), "结构嵌套过深"),
        ((UnicodeError,), "含有无法识别的文字编码"),
    ]
    return [(classes, cause) for classes, cause in causes if classes]


def _optional(module: str, name: str) -> tuple[type[BaseException], ...]:
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return ()
    return (cls,) if isinstance(cls, type) and issubclass(cls, BaseException) else ()


def _office_encrypted(data: bytes) -> str | None:
    # Word/Excel with a password to open are an OLE container, not a zip
    if data.startswith(_OLE_MAGIC) and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
        return "文件已加密（设置了打开密码），无法读取内容"
    return None


def _read_other(pf: PackageFile) -> Document:
    ext = pf.ext
    if pf.data.startswith(_OLE_MAGIC):
        encrypted = _office_encrypted(pf.data)
        if encrypted:
            return failed_document(pf, encrypted, "encrypted")
        real = _OLE_REAL_EXT.get(ext)
        if real is not None:
            converted = _read_converted(pf, real)
            if converted is not None:
                converted.warnings.insert(0, f"文件扩展名为 .{ext}，实为旧版 .{real} 格式，已由 LibreOffice 转换后读取")
                return converted
            if real in _ATTACHMENTS:
                return _attachment(pf, real)
            return failed_document(pf, f"文件扩展名为 .{ext}，实为旧版 .{real} 格式（{_CONVERT_HINTS[real]}）")
    converted = _read_converted(pf, ext)
    if converted is not None:
        if ext in _ATTACHMENTS:
            note = f"{_ATTACHMENTS[ext]} .{ext} 已由 LibreOffice 转换为 PDF 后读取，请核对转换结果"
        else:
            note = f"旧版或非常用格式 .{ext}，已由 LibreOffice 转换为 .{converted.type} 后读取，请核对转换结果"
        converted.warnings.insert(0, note)
        return converted
    if ext in _ATTACHMENTS:
        return _attachment(pf, ext)
    if ext in _CONVERT_HINTS:
        return failed_document(pf, f"不支持的文件格式 .{ext}（{_CONVERT_HINTS[ext]}）", "unsupported")
    if ext == "zip" or pf.data.startswith(b"PK\x03\x04"):
        return failed_document(pf, _zip_problem(pf.data, ext))
    if ext in _ARCHIVES:
        return failed_document(pf, f"不支持的压缩格式 .{ext}（请解压后提交，或改用 .zip）", "unsupported")
    if ext in _TEXT_EXTS:
        return _read_text(pf)
    doc = Document(path=pf.path, type="other", sha256=pf.sha256, size=pf.size)
    doc.warnings.append(f"未识别的文件格式{(' .' + ext) if ext else ''}，未审查其内容")
    return doc


# a modern extension on an OLE container: the legacy format it really is
_OLE_REAL_EXT = {"docx": "doc", "xlsx": "xls", "pptx": "ppt"}


def _attachment(pf: PackageFile, ext: str) -> Document:
    """A file we recognise but do not read: kept, and the reviewer is told its content was not checked."""
    doc = Document(path=pf.path, type="other", sha256=pf.sha256, size=pf.size)
    if ext in _PROGRAMS:
        doc.warnings.append(f"{_ATTACHMENTS[ext]}（.{ext}）不是申报材料的文档格式，未审查其内容，作为附件保留")
    else:
        doc.warnings.append(f"{_ATTACHMENTS[ext]}（.{ext}）未审查其内容，作为附件保留；如需审查其内容请转换为 .pdf 后提交")
    return doc


def _zip_problem(data: bytes, ext: str) -> str:
    """Why a zip the package loader kept as a file (damaged, or nested deeper than it opens) is
    not read; a damaged .docx or .odt is named as the document it claims to be."""
    claimed = f"文件已损坏，无法作为 {_TYPE_NAMES.get(ext, ext.upper())} 读取" if ext and ext != "zip" else "压缩包已损坏，无法解压"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if any(i.flag_bits & 0x1 for i in zf.infolist()):
                return "压缩包已加密，需要密码，无法解压" if ext in ("", "zip") else f"{claimed}（其中的部件已加密）"
            bad = zf.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError,
            NotImplementedError, IndexError):
        return f"{claimed}（压缩数据已损坏，或使用了无法解压的压缩方式）"
    if bad is not None:
        return f"{claimed}（成员数据校验失败）"
    return "压缩包嵌套层级过深，未展开（请解压后提交）"


def _read_text(pf: PackageFile) -> Document:
    text = _decode(pf.data)
    blocks: list[Block] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        kind, level, numbering = classify_paragraph(line, None)
        blocks.append(
            Block(
                kind=kind,
                text=line,
                level=level,
                numbering=numbering,
                loc=Location(file=pf.path, paragraph=len(blocks) + 1),
            )
        )
    return Document(path=pf.path, type="other", sha256=pf.sha256, size=pf.size, blocks=blocks)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def failed_document(pf: PackageFile, reason: str, problem: str = "damaged") -> Document:
    """A Document for a file that was not read: `reason` for the reviewer, `problem` its kind."""
    return Document(path=pf.path, type=pf.type, sha256=pf.sha256, size=pf.size, error=reason, problem=problem)
