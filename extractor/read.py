"""One package file in, one `Document` out, whatever happens.

A file that cannot be read becomes a `Document` with `error` set (in Chinese, naming the
problem and, where there is one, the remedy); the pipeline turns that into FILE.UNREADABLE.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Callable

from extractor.headings import classify_paragraph
from extractor.limits import LimitExceeded
from extractor.model import Block, Document, Location
from extractor.package import PackageFile

# formats we are asked for but cannot read: what to ask the submitter for instead
_CONVERT_HINTS = {
    "doc": "请转换为 .docx",
    "wps": "请转换为 .docx",
    "rtf": "请转换为 .docx",
    "xls": "请转换为 .xlsx",
    "et": "请转换为 .xlsx",
    "ppt": "请转换为 .pdf",
    "pptx": "请转换为 .pdf",
    "dps": "请转换为 .pdf",
    "ofd": "请转换为 .pdf",
    "odt": "请转换为 .docx",
    "ods": "请转换为 .xlsx",
    "heic": "请转换为 .jpg 或 .png",
    "caj": "请转换为 .pdf",
}
_ARCHIVES = {"rar", "7z", "tar", "gz", "tgz", "bz2", "xz"}
_TEXT_EXTS = {"txt", "csv", "md", "text"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TYPE_NAMES = {"docx": "DOCX", "xlsx": "XLSX", "pdf": "PDF", "image": "图片"}


def read_document(pf: PackageFile) -> Document:
    """Never raises: failures are reported in `Document.error` (and `Document.problem`)."""
    if pf.problem is not None:  # the package could not give the file's bytes (damaged member, bomb)
        return _failed(pf, pf.problem, pf.problem_kind or "damaged")
    try:
        doc = _read(pf)
    except LimitExceeded as e:
        doc = _failed(pf, e.reason, "limit")
    except Exception as e:  # noqa: BLE001 - any reader failure is a finding, not a crash
        doc = _failed(pf, _reason(pf, e), "damaged")
    return doc.model_copy(update={"path": pf.path, "sha256": pf.sha256, "size": pf.size})


def _read(pf: PackageFile) -> Document:
    if not pf.data:
        return _failed(pf, "文件为空（0 字节）", "empty")
    reader = _reader_for(pf.type)
    if reader is not None:
        return reader(pf.data, pf.path)
    return _read_other(pf)


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
    """A .doc/.wps/.xls/… converted by LibreOffice and read by the modern reader, or None."""
    from extractor.readers import legacy

    if ext not in legacy.TARGET:
        return None
    result = legacy.convert(pf.data, ext)
    if result is None:
        return None
    data, target = result
    reader = _reader_for(target)
    return reader(data, pf.path) if reader is not None else None


def _reason(pf: PackageFile, e: Exception) -> str:
    from extractor.readers.image_reader import CorruptImageError
    from extractor.readers.pdf_reader import EncryptedPdfError

    if isinstance(e, EncryptedPdfError):
        return "PDF 已加密，需要密码，无法读取内容"
    if isinstance(e, CorruptImageError):
        return f"图片文件已损坏或格式无法识别：{e}"
    detail = str(e).strip() or type(e).__name__
    if len(detail) > 200:
        detail = detail[:200] + "…"
    if pf.type in ("docx", "xlsx"):
        encrypted = _office_encrypted(pf.data)
        if encrypted:
            return encrypted
    return f"文件已损坏，无法作为 {_TYPE_NAMES.get(pf.type, pf.ext.upper() or '该格式')} 读取：{detail}"


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
            return _failed(pf, encrypted, "encrypted")
        if ext in ("docx", "xlsx"):
            real = "doc" if ext == "docx" else "xls"
            converted = _read_converted(pf, real)
            if converted is not None:
                converted.warnings.insert(0, f"文件扩展名为 .{ext}，实为旧版 .{real} 格式，已由 LibreOffice 转换后读取")
                return converted
            return _failed(pf, f"文件扩展名为 .{ext}，实为旧版 .{real} 格式（{_CONVERT_HINTS[real]}）")
    converted = _read_converted(pf, ext)
    if converted is not None:
        converted.warnings.insert(0, f"旧版或非常用格式 .{ext}，已由 LibreOffice 转换为 .{converted.type} 后读取，请核对转换结果")
        return converted
    if ext in _CONVERT_HINTS:
        return _failed(pf, f"不支持的文件格式 .{ext}（{_CONVERT_HINTS[ext]}）", "unsupported")
    if ext == "zip" or pf.data.startswith(b"PK\x03\x04"):
        return _failed(pf, _zip_problem(pf.data))
    if ext in _ARCHIVES:
        return _failed(pf, f"不支持的压缩格式 .{ext}（请解压后提交，或改用 .zip）", "unsupported")
    if ext in _TEXT_EXTS:
        return _read_text(pf)
    doc = Document(path=pf.path, type="other", sha256=pf.sha256, size=pf.size)
    doc.warnings.append(f"未识别的文件格式{(' .' + ext) if ext else ''}，未审查其内容")
    return doc


def _zip_problem(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if any(i.flag_bits & 0x1 for i in zf.infolist()):
                return "压缩包已加密，需要密码，无法解压"
            zf.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as e:
        return f"压缩包已损坏，无法解压：{e}"
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


def _failed(pf: PackageFile, reason: str, problem: str = "damaged") -> Document:
    return Document(path=pf.path, type=pf.type, sha256=pf.sha256, size=pf.size, error=reason, problem=problem)
