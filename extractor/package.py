"""Turn what a user hands in (one file, a folder, a .zip) into a flat list of files.

Member names of archives are only ever used as labels, never as file-system paths, so a
hostile archive cannot write anywhere; a folder is never left through a symbolic link.  File
types are decided by content, because packages often carry files whose extension lies (a .doc
renamed .docx, a .docx renamed .zip).

One bad member never sinks the package: a damaged, encrypted or over-limit member, a link out
of the folder, an archive whose directory is broken, all become a `PackageFile` whose `problem`
says why (in Chinese) and whose data is empty; `read_document` turns it into a failed
`Document`, so it is a finding and every other file is still read.  All expansion is bounded by
`extractor.limits.get_limits()`.  `PackageError` is left for inputs that cannot be processed at
all: a missing path, an input that cannot be opened, a folder with nothing in it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from extractor import zipread
from extractor.limits import GiB, MiB, ReadLimits, get_limits
from extractor.model import FileType
from extractor.zipread import MemberProblem, MemberTooLarge, ZipMember, clean_text, decode_name

_JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
_APPLEDOUBLE_MAGIC = b"\x00\x05\x16\x07"  # "._name" files macOS leaves beside real ones
_EXT_TYPES: dict[str, FileType] = {
    "docx": "docx", "docm": "docx", "xlsx": "xlsx", "xlsm": "xlsx", "pdf": "pdf",
    "jpg": "image", "jpeg": "image", "png": "image", "gif": "image", "bmp": "image",
    "tif": "image", "tiff": "image", "webp": "image",
}
# over-limit members past the member budget are listed one by one up to this many; the rest of
# an archive's are counted in one finding on the archive (a crafted directory can list millions)
_LISTED_OVER_LIMIT = 1000
_UNNAMED = "未命名文件"
# zip-based program packages: kept as files, never unpacked, and a plain zip so named is no defect
_PROGRAM_EXTS = {"jar", "war", "ear", "apk"}
_UNLISTED = "（超出文件数量上限的其余文件）"


class PackageError(Exception):
    """The input cannot be processed at all.  The message is for the reviewer (Chinese)."""


@dataclass
class PackageFile:
    path: str  # member path inside the package: relative, '/'-separated, clean text
    data: bytes = field(repr=False)
    sha256: str
    size: int
    type: FileType
    ext: str  # lower-case extension without the dot ("" when none); a zip-based format's own by content
    # set when the package could not give this file's bytes (a damaged or encrypted member, a
    # member over a limit): the reason for the reviewer, and its kind (see Document.problem)
    problem: str | None = None
    problem_kind: str | None = None
    # the name's raw bytes as text (\xNN escapes) when `path` is not their plain UTF-8 reading:
    # a GBK or undecodable name, or one with control characters shown visibly
    raw_name: str | None = None

    @classmethod
    def from_bytes(cls, path: str, data: bytes, raw_name: str | None = None) -> "PackageFile":
        ext = extension_of(path)
        fmt = zipread.zip_format(data)
        return cls._make(path, data, ext, fmt, raw_name)

    @classmethod
    def _make(cls, path: str, data: bytes, ext: str, fmt: str | None, raw_name: str | None) -> "PackageFile":
        if fmt is not None and fmt not in ("archive", "damaged"):
            ext = zipread.format_ext(fmt, ext)
        return cls(
            path=path,
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            type=_type_of(data, ext, fmt),
            ext=ext,
            raw_name=raw_name,
        )

    @classmethod
    def unreadable(cls, path: str, reason: str, kind: str, size: int = 0, raw_name: str | None = None) -> "PackageFile":
        """A file the package could not give: no bytes, the reason, its kind."""
        ext = extension_of(path)
        return cls(
            path=path,
            data=b"",
            sha256=hashlib.sha256(b"").hexdigest(),
            size=size,
            type=_EXT_TYPES.get(ext, "other"),
            ext=ext,
            problem=reason,
            problem_kind=kind,
            raw_name=raw_name,
        )


@dataclass
class Package:
    name: str
    files: list[PackageFile]


def extension_of(path: str) -> str:
    suffix = PurePosixPath(path).suffix
    return suffix[1:].lower() if suffix else ""


def type_by_name(path: str) -> FileType:
    """The type a file's extension claims (for a file whose bytes could not be had)."""
    return _EXT_TYPES.get(extension_of(path), "other")


def detect_type(data: bytes, ext: str = "") -> FileType:
    """Type by content; by extension only when the content says nothing (corrupt files)."""
    return _type_of(data, ext, zipread.zip_format(data))


def _type_of(data: bytes, ext: str, fmt: str | None) -> FileType:
    head = data[:1024]
    # a zip that stores its members uncompressed shows a PDF member's header in its first bytes
    readable_zip = fmt is not None and fmt != "damaged" and zipread.looks_like_zip(data)
    if b"%PDF-" in head and not readable_zip:
        return "pdf"
    if fmt in ("docx", "xlsx"):
        return fmt  # type: ignore[return-value]
    if fmt is not None and fmt != "damaged":
        return "other"  # a readable zip that is neither: an archive or another zip-based format
    if _image_magic(head):
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "other"  # OLE compound file: legacy .doc/.xls/.wps, whatever the name says
    return _EXT_TYPES.get(ext, "other")


def is_zip_archive(data: bytes, ext: str) -> bool:
    """A zip that should be unpacked, as opposed to a zip-based document format."""
    return ext not in zipread.DOCUMENT_EXTS and zipread.zip_format(data) == "archive"


def load_package(path: str | Path) -> Package:
    """Load a single file, a folder (recursively) or a .zip into a `Package`.

    Raises `PackageError` only when the input cannot be processed at all: the path is missing,
    the input cannot be opened, or a folder holds no file.
    """
    p = Path(path)
    name = _shown(p.name or str(p))
    if not p.exists():
        raise PackageError(f"{name}：路径不存在")
    loader = _Loader(get_limits())
    if p.is_dir():
        loader.load_folder(p, name)
    else:
        loader.load_single(p, name)
    return Package(name=name, files=sorted(distinct_paths(loader.files), key=lambda f: f.path))


def distinct_paths(files: list[PackageFile]) -> list[PackageFile]:
    """Files sharing a path get distinct ones, in order: 报告.pdf, 报告 (2).pdf, 报告 (3).pdf.
    A duplicate member name must not let one file hide another."""
    taken_originals = {f.path for f in files}
    seen: set[str] = set()
    for f in files:
        if f.path in seen:
            stem, dot, suffix = _split_suffix(f.path)
            n = 2
            while f"{stem} ({n}){dot}{suffix}" in seen or f"{stem} ({n}){dot}{suffix}" in taken_originals:
                n += 1
            f.path = f"{stem} ({n}){dot}{suffix}"
        seen.add(f.path)
    return files


def _split_suffix(path: str) -> tuple[str, str, str]:
    head, slash, base = path.rpartition("/")
    stem, dot, suffix = base.rpartition(".")
    if not stem:  # no dot, or a leading one (".hidden")
        return path, "", ""
    return head + slash + stem, dot, suffix


def _shown(name: str) -> str:
    """A file-system name as clean text: its bytes read as UTF-8, else GB18030, else with
    replacement (Python hands undecodable bytes over as surrogates)."""
    return decode_name(os.fsencode(name))[0]


def _size_text(n: int) -> str:
    if n >= GiB:
        return f"{n / GiB:.3g} GB"
    if n >= MiB:
        return f"{n / MiB:.3g} MB"
    return f"{n} 字节"


class _Loader:
    """Collects a package's files within its limits: members and bytes left for the package."""

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.files: list[PackageFile] = []
        self.bytes_left = limits.package_expanded_bytes
        self.members_left = limits.package_members
        self.listed_over = 0
        self.unlisted_files = 0  # folder files past the member budget and the listing cap

    # ------------------------------------------------------------ what comes out

    def emit(self, pf: PackageFile) -> None:
        self.files.append(pf)
        self.members_left -= 1

    def out_of_members(self) -> bool:
        return self.members_left <= 0

    def list_over_members(self, path: str, raw_name: str | None, size: int) -> bool:
        """Lists a file beyond the member budget as a limit problem, cheaply (nothing is read);
        False once `_LISTED_OVER_LIMIT` such files are listed (the caller then counts the rest)."""
        if self.listed_over >= _LISTED_OVER_LIMIT:
            self.unlisted_files += 1
            return False
        self.listed_over += 1
        self.files.append(
            PackageFile.unreadable(
                path,
                f"申报包内文件数量超过上限 {self.limits.package_members} 个（package_members），此文件未读取",
                "limit",
                size,
                raw_name,
            )
        )
        return True

    def too_large_reason(self, e: "_TooLarge") -> str:
        if e.whole:
            return (f"文件大小 {_size_text(e.size)} 超过单个文件上限 {_size_text(self.limits.file_memory_bytes)}"
                    "（file_memory_bytes），未读取")
        return self.over_bytes_reason(False)

    def over_bytes_reason(self, stopped: bool) -> str:
        what = "已在上限处停止读取" if stopped else "此文件未读取"
        return f"申报包解压后总大小超过上限 {_size_text(self.limits.package_expanded_bytes)}（package_expanded_bytes），{what}"

    # ------------------------------------------------------------ inputs

    def load_single(self, p: Path, name: str) -> None:
        try:
            data = _read_input(p, self.limits.file_memory_bytes)
        except _TooLarge as e:
            self.emit(PackageFile.unreadable(name, self.too_large_reason(e), "limit", e.size))
            return
        except OSError as e:
            raise PackageError(f"{name}：无法读取（{_os_reason(e)}）") from e
        self.add_blob(name, data, depth=1, raw_name=_raw_fs_name(p.name), outer=True, charge=True)

    def load_folder(self, root: Path, name: str) -> None:
        try:
            _FolderWalk(self, root).run()
        except OSError as e:  # the folder itself cannot be listed
            raise PackageError(f"{name}：无法读取文件夹（{_os_reason(e)}）") from e
        if self.unlisted_files:
            self.files.append(PackageFile.unreadable(
                _UNLISTED,
                f"申报包内另有 {self.unlisted_files} 个文件超出文件数量上限 {self.limits.package_members} 个"
                "（package_members），未读取，也未逐一列出",
                "limit"))
        if not self.files:
            raise PackageError(f"{name}：文件夹为空（或只有系统生成的文件）")

    # ------------------------------------------------------------ one file's bytes

    def add_blob(self, path: str, data: bytes, depth: int, raw_name: str | None = None, *, outer: bool = False,
                 charge: bool = False) -> None:
        """A file of the package: expanded when it is an archive, else kept for the readers.  The
        members of the input archive itself (`outer`) are named without the archive's name.  With
        `charge` (a file read from disk), kept bytes count against the package's budget; an
        archive counts by what it expands to, and a member was counted as it was expanded."""
        ext = extension_of(path)
        try:
            fmt = zipread.zip_format(data)
        except Exception:  # noqa: BLE001 - never a crash on content: a zip that cannot be parsed is damaged
            fmt = "damaged" if zipread.looks_like_zip(data) else None
        if fmt in ("archive", "damaged") and ext in zipread.DOCUMENT_EXTS:
            if fmt == "archive" and ext not in _PROGRAM_EXTS:
                self.emit(PackageFile.unreadable(
                    path, f"文件扩展名为 .{ext}，但内容是普通压缩包，不是该格式的文档（文件已损坏或扩展名有误）",
                    "damaged", len(data), raw_name))
            else:  # a damaged document (its reader says what it can) or a program package
                self.keep(path, data, ext, fmt, raw_name, charge)
        elif fmt in ("archive", "damaged"):
            if depth > self.limits.archive_depth:
                self.emit(PackageFile.unreadable(
                    path,
                    f"压缩包嵌套超过 {self.limits.archive_depth} 层（archive_depth），其中的文件未展开审查，请解压后提交",
                    "limit", len(data), raw_name))
            else:
                _ArchiveExpansion(self, path, data, depth, raw_name, prefix="" if outer else path + "/").run()
        elif fmt is None and ext == "zip" and _type_of(data, "", None) == "other":
            self.emit(PackageFile.unreadable(
                path, "压缩包已损坏，无法解压：内容不是 zip 格式，也找不到可恢复的文件", "damaged", len(data), raw_name))
        else:
            self.keep(path, data, ext, fmt, raw_name, charge)

    def keep(self, path: str, data: bytes, ext: str, fmt: str | None, raw_name: str | None, charge: bool) -> None:
        if charge:
            if len(data) > self.bytes_left:
                self.emit(PackageFile.unreadable(path, self.over_bytes_reason(False), "limit", len(data), raw_name))
                return
            self.bytes_left -= len(data)
        self.emit(PackageFile._make(path, data, ext, fmt, raw_name))


class _ArchiveExpansion:
    """The members of one archive (the input, or one inside the package) into the loader."""

    def __init__(self, loader: _Loader, label: str, data: bytes, depth: int, raw_name: str | None, prefix: str) -> None:
        self.loader = loader
        self.label = label  # the archive's own path in the package
        self.data = data
        self.depth = depth
        self.raw_name = raw_name
        self.prefix = prefix  # what its members' paths start with
        self.emitted = 0
        self.junk = 0
        self.unlisted = 0  # members beyond every budget, counted in one finding

    def run(self) -> None:
        loader = self.loader
        try:
            listing = zipread.list_zip(self.data, max(loader.members_left, 0) + _LISTED_OVER_LIMIT)
        except Exception as e:  # noqa: BLE001 - whatever an archive holds, it is a finding, never a crash
            loader.emit(PackageFile.unreadable(
                self.label, f"压缩包「{self.label}」无法解析（{type(e).__name__}），其中的文件未读取",
                "damaged", len(self.data), self.raw_name))
            return
        before = len(loader.files)
        for member in listing.members:
            if not member.is_dir:
                self.add_member_safely(member)
        self.emitted = len(loader.files) - before
        self.unlisted += listing.more
        if self.unlisted:
            loader.files.append(PackageFile.unreadable(
                self.label,
                f"压缩包「{self.label}」内另有 {self.unlisted} 个文件超出申报包文件数量上限 "
                f"{loader.limits.package_members} 个（package_members），未读取，也未逐一列出",
                "limit", len(self.data), self.raw_name))
        recovered = sum(1 for m in listing.members if not m.is_dir) + listing.more
        if listing.damage and recovered:
            loader.emit(PackageFile.unreadable(
                self.label,
                f"压缩包「{self.label}」已损坏：{listing.damage}。已从各文件的本地文件头恢复 {recovered} 个文件并逐一审查，"
                "目录中可能记录的其他文件无法确认，请申报单位重新打包提交",
                "damaged", len(self.data), self.raw_name))
        elif listing.damage:
            loader.emit(PackageFile.unreadable(
                self.label, f"压缩包「{self.label}」已损坏，无法解压：{listing.damage}，也找不到可恢复的文件",
                "damaged", len(self.data), self.raw_name))
        elif not self.emitted and not self.unlisted:
            self.emit_empty(listing)

    def emit_empty(self, listing: zipread.ZipListing) -> None:
        if self.junk:
            reason, kind = f"压缩包「{self.label}」内只有系统生成的文件（如 Thumbs.db、.DS_Store），没有可审查的文件", "empty"
        else:
            reason, kind = f"压缩包「{self.label}」为空，不含任何文件", "empty"
        self.loader.emit(PackageFile.unreadable(self.label, reason, kind, len(self.data), self.raw_name))

    def add_member_safely(self, member: ZipMember) -> None:
        try:
            self.add_member(member)
        except Exception as e:  # noqa: BLE001 - one member's surprise must not sink the others
            name = _safe_member_path(member.name) or _UNNAMED
            self.loader.emit(PackageFile.unreadable(
                self.prefix + name, f"压缩包「{self.label}」中的文件「{name}」无法读取（{type(e).__name__}）",
                "damaged", member.size, member.raw_name))

    def add_member(self, member: ZipMember) -> None:
        loader = self.loader
        name = _safe_member_path(member.name) or _UNNAMED
        path = self.prefix + name
        if is_junk(name):
            self.junk += 1
            return
        if loader.out_of_members() or loader.bytes_left <= 0:
            if loader.out_of_members():
                if not loader.list_over_members(path, member.raw_name, member.size):
                    self.unlisted += 1
            else:
                loader.emit(PackageFile.unreadable(path, loader.over_bytes_reason(False), "limit", member.size, member.raw_name))
            return
        if member.is_symlink:
            loader.emit(PackageFile.unreadable(
                path, f"压缩包「{self.label}」中的「{name}」是符号链接，不是文件，未读取", "damaged", member.size, member.raw_name))
            return
        limits = loader.limits
        package_cap = loader.bytes_left < limits.member_expanded_bytes  # the package's budget is the tighter
        try:
            data = zipread.read_member(self.data, member, min(limits.member_expanded_bytes, loader.bytes_left),
                                       limits.member_ratio)
        except MemberTooLarge as e:
            loader.bytes_left -= e.expanded
            reason = self.limit_reason(name, e, package_cap)
            loader.emit(PackageFile.unreadable(path, reason, "limit", member.size, member.raw_name))
            return
        except MemberProblem as e:
            loader.emit(PackageFile.unreadable(
                path, f"压缩包「{self.label}」中的文件「{name}」无法解压：{e.reason}", e.kind, member.size, member.raw_name))
            return
        loader.bytes_left -= len(data)
        if PurePosixPath(name).name.startswith("._") and data.startswith(_APPLEDOUBLE_MAGIC):
            self.junk += 1
            return
        loader.add_blob(path, data, self.depth + 1, member.raw_name)

    def limit_reason(self, name: str, e: MemberTooLarge, package_cap: bool) -> str:
        limits = self.loader.limits
        where = f"压缩包「{self.label}」中的文件「{name}」"
        if e.expanded:
            how = f"疑似压缩炸弹，已在解压出 {_size_text(e.expanded)} 时停止读取"
        else:
            how = f"压缩包目录记录其解压后为 {_size_text(e.declared)}，疑似压缩炸弹，未解压"
        if e.what == "ratio":
            return f"{where}压缩比超过 {limits.member_ratio}:1 上限（member_ratio），{how}"
        if package_cap:
            return f"{where}：{self.loader.over_bytes_reason(bool(e.expanded))}"
        return f"{where}解压后超过单个文件上限 {_size_text(limits.member_expanded_bytes)}（member_expanded_bytes），{how}"


class _TooLarge(Exception):
    """A file on disk not read: over the package's budget, or (`whole`) over what one file may take."""

    def __init__(self, size: int, whole: bool = False) -> None:
        super().__init__(size)
        self.size = size
        self.whole = whole


class _NotRegular(Exception):
    """A pipe, device or socket: reading it could block forever."""


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_regular(path: bytes, max_bytes: int, follow: bool = False, budget: int | None = None) -> tuple[bytes, tuple[int, int]]:
    """A regular file's bytes and (device, inode), never more than `max_bytes` (`_TooLarge` past
    them); never a symbolic link unless `follow`, never a pipe or device (`_NotRegular`).  A
    file larger than what is left of the package's `budget` is not read unless it is a zip (an
    archive counts by what it expands to)."""
    flags = _OPEN_FLAGS & ~(getattr(os, "O_NOFOLLOW", 0) if follow else 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _NotRegular()
        if st.st_size > max_bytes:
            raise _TooLarge(st.st_size, whole=True)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 24, max_bytes + 1 - total))
            if not chunk:
                break
            if not chunks and budget is not None and st.st_size > budget and not zipread.looks_like_zip(chunk):
                raise _TooLarge(st.st_size)
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # grew while being read
                raise _TooLarge(total, whole=True)
        return b"".join(chunks), (st.st_dev, st.st_ino)
    finally:
        os.close(fd)


def _read_input(p: Path, max_bytes: int) -> bytes:
    try:
        return _read_regular(os.fsencode(p), max_bytes, follow=True)[0]
    except _NotRegular:
        raise OSError(errno.EINVAL, "not a regular file") from None


_OS_REASONS = {
    errno.EACCES: "无权限读取", errno.EPERM: "无权限读取", errno.ENOENT: "文件不存在",
    errno.ELOOP: "是符号链接", errno.EINVAL: "不是普通文件", errno.EISDIR: "是文件夹",
    errno.EIO: "磁盘读取错误", errno.ENAMETOOLONG: "路径过长",
}


def _os_reason(e: OSError) -> str:
    return _OS_REASONS.get(e.errno or 0, f"系统错误 {errno.errorcode.get(e.errno or 0, e.errno)}")


def _raw_fs_name(name: str) -> str | None:
    return decode_name(os.fsencode(name))[1]


class _FolderWalk:
    """Every file under a folder, never leaving it: links are checked, not followed."""

    def __init__(self, loader: _Loader, root: Path) -> None:
        self.loader = loader
        self.root = os.fsencode(root)
        self.root_real = os.path.realpath(self.root)
        self.read_ids: set[tuple[int, int]] = set()  # (device, inode) of every file read
        self.links: list[tuple[bytes, list[bytes]]] = []

    def run(self) -> None:
        self.walk(self.root, [], top=True)
        for full, parts in self.links:
            self.add_link(full, parts)

    def walk(self, folder: bytes, parts: list[bytes], top: bool = False) -> None:
        stack = [(folder, parts)]
        while stack:
            folder, parts = stack.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as e:
                if top and folder == self.root:
                    raise
                path, raw = self.shown(parts)
                self.add_failed(path + "/", f"文件夹「{path}」无法读取（{_os_reason(e)}），其中的文件未审查", "damaged", raw)
                continue
            subfolders = [sub for entry in entries if (sub := self.visit(entry, parts)) is not None]
            stack.extend(reversed(subfolders))  # depth first, in name order

    def visit(self, entry: os.DirEntry, parts: list[bytes]) -> tuple[bytes, list[bytes]] | None:
        """Reads a file, notes a link; a folder to walk is returned."""
        child = [*parts, entry.name]
        try:
            if entry.is_symlink():
                self.links.append((entry.path, child))
            elif entry.is_dir(follow_symlinks=False):
                if entry.name != b"__MACOSX":
                    return entry.path, child
            elif entry.is_file(follow_symlinks=False):
                self.add_file(entry.path, child)
            else:
                path, raw = self.shown(child)
                self.add_failed(path, f"「{path}」不是普通文件（管道、设备或套接字），未读取", "unsupported", raw)
        except OSError as e:
            path, raw = self.shown(child)
            self.add_failed(path, f"「{path}」无法读取（{_os_reason(e)}）", "damaged", raw)
        return None

    def shown(self, parts: list[bytes]) -> tuple[str, str | None]:
        names = [decode_name(part) for part in parts]
        path = "/".join(n for n, _ in names)
        raw = b"/".join(parts)
        return path, (zipread.raw_text(raw) if any(r is not None for _, r in names) else None)

    def add_failed(self, path: str, reason: str, kind: str, raw: str | None, size: int = 0) -> None:
        loader = self.loader
        if loader.out_of_members():
            loader.list_over_members(path, raw, size)
        else:
            loader.emit(PackageFile.unreadable(path, reason, kind, size, raw))

    def add_file(self, full: bytes, parts: list[bytes], follow: bool = False) -> None:
        loader = self.loader
        path, raw = self.shown(parts)
        base = path.rsplit("/", 1)[-1]
        if _is_junk_name(base):
            return
        if loader.out_of_members():
            loader.list_over_members(path, raw, 0)
            return
        try:
            data, identity = _read_regular(full, loader.limits.file_memory_bytes, follow=follow,
                                           budget=loader.bytes_left)
        except _TooLarge as e:
            loader.emit(PackageFile.unreadable(path, loader.too_large_reason(e), "limit", e.size, raw))
            return
        except _NotRegular:
            self.add_failed(path, f"「{path}」不是普通文件（管道、设备或套接字），未读取", "unsupported", raw)
            return
        except OSError as e:
            reason = "是符号链接，未读取" if e.errno == errno.ELOOP else f"无法读取（{_os_reason(e)}）"
            self.add_failed(path, f"「{path}」{reason}", "damaged", raw)
            return
        self.read_ids.add(identity)
        if base.startswith("._") and data.startswith(_APPLEDOUBLE_MAGIC):
            return
        loader.add_blob(path, data, depth=1, raw_name=raw, charge=True)

    def add_link(self, full: bytes, parts: list[bytes]) -> None:
        """A link out of the folder, or one that leads nowhere, is a finding and is never read;
        a link to a file inside is read once (not again when that file was read by its own name)."""
        path, raw = self.shown(parts)
        target = os.path.realpath(full)
        if not _inside(target, self.root_real):
            self.add_failed(path, f"「{path}」是符号链接，指向申报包文件夹之外，未读取", "damaged", raw)
            return
        try:
            st = os.stat(target)
        except OSError:
            self.add_failed(path, f"「{path}」是符号链接，指向的文件不存在（或链接成环），未读取", "damaged", raw)
            return
        if stat.S_ISDIR(st.st_mode) or (st.st_dev, st.st_ino) in self.read_ids:
            return  # the folder's files, or the file, are read under their own names
        self.add_file(target, parts, follow=True)


def _inside(target: bytes, root: bytes) -> bool:
    return target == root or target.startswith(root.rstrip(b"/") + b"/")


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


def is_junk(rel: str) -> bool:
    """Files systems and editors leave behind: never part of a submission.  A folder whose name
    starts with "." is not junk: what is in it is read like anything else."""
    parts = rel.split("/")
    return "__MACOSX" in parts[:-1] or _is_junk_name(parts[-1])


def _is_junk_name(base: str) -> bool:
    return base.lower() in _JUNK_NAMES or base.startswith("~$")


def _image_magic(head: bytes) -> bool:
    return (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or head.startswith((b"GIF87a", b"GIF89a"))
        or head.startswith((b"II*\x00", b"MM\x00*"))
        or (head.startswith(b"RIFF") and head[8:12] == b"WEBP")
        or (head.startswith(b"BM") and len(head) >= 26 and head[6:10] == b"\x00\x00\x00\x00")
    )
