"""Reading zip archives that strangers made: one bad entry never sinks the others, and the work
one member can cause is bounded by the caller.

`zipfile` refuses a whole archive for one entry it dislikes (a corrupt extra field, a name
flagged UTF-8 that is not, an unknown version, a damaged central directory) and decompresses
bzip2 and LZMA members in one unbounded call.  So this module parses the central directory
entry by entry, falls back to the local file headers when the directory is damaged (what
`zip -FF` and most recovery tools do), and decompresses every member in small steps with the
standard codecs (zlib, bz2, lzma) and `inflate64` for Deflate64, counting the bytes against
the caller's limits.  Nothing is ever written to disk: member names are only labels.
"""

from __future__ import annotations

import bz2
import lzma
import struct
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

STORED, DEFLATED, DEFLATE64, BZIP2, LZMA, AES = 0, 8, 9, 12, 14, 99
_METHOD_NAMES = {
    1: "Shrink", 2: "Reduce", 3: "Reduce", 4: "Reduce", 5: "Reduce", 6: "Implode", 9: "Deflate64",
    10: "PKWARE DCL Implode", 18: "IBM TERSE", 19: "IBM LZ77", 93: "Zstandard", 94: "MP3", 95: "XZ",
    96: "JPEG", 97: "WavPack", 98: "PPMd",
}

_LOCAL_SIG, _CENTRAL_SIG, _DESCRIPTOR_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x07\x08"
_EOCD_SIG, _EOCD64_SIG, _EOCD64_LOCATOR_SIG = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07"
_EOCD = struct.Struct("<4s4H2LH")  # signature, disks, entries here, entries, dir size, dir offset, comment
_EOCD64 = struct.Struct("<4sQ2H2L4Q")  # signature, size, versions, disks, entries here, entries, size, offset
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_MAX_COMMENT = 0xFFFF
_ZIP64_MARK = 0xFFFFFFFF

_UTF8_FLAG, _ENCRYPTED_FLAG, _DESCRIPTOR_FLAG, _STRONG_ENCRYPTION_FLAG = 0x800, 0x1, 0x8, 0x40
_ZIP64_EXTRA, _UNICODE_PATH_EXTRA = 0x0001, 0x7075
_UNIX_SYSTEM, _S_IFMT, _S_IFLNK = 3, 0o170000, 0o120000

OUT_STEP = 1 << 20  # bytes asked of a decompressor at once
_IN_STEP = 64 * 1024  # compressed bytes fed at once
# inflate64 has no output bound; Deflate64 reaches about 26,000:1, so 1 KiB in is at most ~27 MiB out
_DEFLATE64_IN_STEP = 1024
RATIO_CHECK_FROM = 16 * 1024**2  # small members compress absurdly well without being bombs


# ---------------------------------------------------------------- names


def clean_text(text: str) -> str:
    """`text` with every control character shown visibly: C0 and DEL as their Unicode control
    pictures (ESC -> ␛, NUL -> ␀), C1 and bidirectional overrides as [U+XXXX] (a name such as
    "报告\\u202efdp.exe" must not pass for a PDF).  Lone surrogates are shown the same way."""
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("\u2421")
        elif 0x80 <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or _is_bidi_control(ch):
            out.append(f"[U+{code:04X}]")
        else:
            out.append(ch)
    return "".join(out)


def _is_bidi_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" and unicodedata.bidirectional(ch) in (
        "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"
    )


def raw_text(raw: bytes) -> str:
    """The bytes of a name as printable ASCII, for evidence: every byte outside printable ASCII
    (and the backslash) as \\xNN, so b'\\xb1\\xa8.pdf' -> '\\xb1\\xa8.pdf'."""
    return "".join(chr(b) if 0x20 <= b < 0x7F and b != 0x5C else f"\\x{b:02x}" for b in raw)


def decode_name(raw: bytes, encodings: tuple[str, ...] = ("utf-8", "gb18030")) -> tuple[str, str | None]:
    """A name's bytes as clean text, and the raw bytes as text when the shown name is not their
    plain UTF-8 reading (another encoding, replaced bytes, escaped control characters)."""
    text = None
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        text = raw.decode("utf-8", "replace")
    shown = clean_text(text)
    try:
        exact = raw.decode("utf-8") == shown
    except UnicodeDecodeError:
        exact = False
    return shown, None if exact else raw_text(raw)


def member_display_name(raw: bytes, flags: int, extra: bytes) -> tuple[str, str | None]:
    """A member's real name: UTF-8 when flagged (then GB18030, for archivers that flag wrongly),
    else the Info-ZIP Unicode Path extra field, else UTF-8, GB18030 (what Chinese Windows
    archivers write) or the format's default CP437; the raw bytes when the name is not UTF-8."""
    if flags & _UTF8_FLAG:
        return decode_name(raw)
    unicode_path = _unicode_path_extra(extra, raw)
    if unicode_path is not None:
        shown, _ = decode_name(unicode_path)
        return shown, None if raw == shown.encode("utf-8") else raw_text(raw)
    return decode_name(raw, ("utf-8", "gb18030", "cp437"))


def _extra_fields(extra: bytes) -> Iterator[tuple[int, bytes]]:
    """(id, body) of each well-formed extra field; stops at the first field that overruns."""
    i = 0
    while i + 4 <= len(extra):
        header_id, size = struct.unpack_from("<HH", extra, i)
        if i + 4 + size > len(extra):
            return
        yield header_id, extra[i + 4 : i + 4 + size]
        i += 4 + size


def _unicode_path_extra(extra: bytes, raw: bytes) -> bytes | None:
    for header_id, body in _extra_fields(extra):
        # version 1, then the CRC of the header name it stands for: a stale field is ignored
        if header_id == _UNICODE_PATH_EXTRA and len(body) > 5 and body[0] == 1:
            if struct.unpack_from("<L", body, 1)[0] == zlib.crc32(raw):
                return body[5:]
    return None


# ---------------------------------------------------------------- listing


@dataclass
class ZipMember:
    name: str  # the member's name as shown (decoded and cleaned, not yet made a safe path)
    raw_name: str | None  # the raw name bytes as text, when `name` is not their UTF-8 reading
    flags: int
    method: int
    crc: int
    compressed_size: int
    size: int  # expanded size, as declared
    offset: int  # of the local header in the archive's bytes
    is_dir: bool = False
    is_symlink: bool = False
    problem: str | None = None  # why the entry itself cannot be read (Chinese)
    data_offset: int | None = None  # known when the member was found by its local header

    @property
    def encrypted(self) -> bool:
        return bool(self.flags & (_ENCRYPTED_FLAG | _STRONG_ENCRYPTION_FLAG)) or self.method == AES


@dataclass
class ZipListing:
    members: list[ZipMember]
    more: int = 0  # entries beyond `members` (the caller's maximum), counted but not listed
    damage: str | None = None  # why the central directory was not used (Chinese); members then come from local headers
    empty_directory: bool = False  # the directory is intact and lists nothing


class _DirectoryDamaged(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def looks_like_zip(data: bytes) -> bool:
    return data.startswith((_LOCAL_SIG, _EOCD_SIG, b"PK00PK\x03\x04", _DESCRIPTOR_SIG + _LOCAL_SIG))


def list_zip(data: bytes, max_members: int = 1 << 62) -> ZipListing:
    """The archive's entries, at most `max_members` of them.  Never raises: a damaged central
    directory is replaced by a scan of the local file headers and named in `damage`."""
    try:
        members, declared = _central_directory(data, max_members)
    except _DirectoryDamaged as e:
        members, more = _scan_local_headers(data, max_members)
        return ZipListing(members, more, damage=e.reason)
    if not members and declared == 0 and data.find(_LOCAL_SIG) != -1:
        members, more = _scan_local_headers(data, max_members)
        if members:
            return ZipListing(members, more, damage="压缩包目录未记录任何文件，但包内有文件数据")
    return ZipListing(members, max(0, declared - len(members)), empty_directory=declared == 0 and not members)


def _find_end_record(data: bytes) -> int:
    if len(data) >= _EOCD.size and data[-_EOCD.size : -_EOCD.size + 4] == _EOCD_SIG:
        return len(data) - _EOCD.size
    floor = max(0, len(data) - _EOCD.size - _MAX_COMMENT)
    pos = data.rfind(_EOCD_SIG, floor)
    while pos != -1:
        if pos + _EOCD.size <= len(data):
            return pos
        pos = data.rfind(_EOCD_SIG, floor, pos)
    raise _DirectoryDamaged("找不到压缩包目录（中央目录）的结束记录")


def _central_directory(data: bytes, max_members: int) -> tuple[list[ZipMember], int]:
    end = _find_end_record(data)
    _, _, _, _, count, dir_size, dir_offset, _ = _EOCD.unpack_from(data, end)
    dir_end = end
    locator = end - _EOCD64_LOCATOR.size
    if locator >= 0 and data[locator : locator + 4] == _EOCD64_LOCATOR_SIG:
        record = locator - _EOCD64.size
        if record < 0 or data[record : record + 4] != _EOCD64_SIG:
            raise _DirectoryDamaged("ZIP64 目录结束记录损坏")
        _, _, _, _, _, _, _, count, dir_size, dir_offset = _EOCD64.unpack_from(data, record)
        dir_end = record
    # bytes before the archive (a self-extractor stub) shift every offset by the same amount
    shift = dir_end - dir_size - dir_offset
    start = dir_offset + shift
    if shift < 0 or start < 0 or start + dir_size > len(data):
        raise _DirectoryDamaged("压缩包目录（中央目录）的位置或大小超出文件范围")
    members: list[ZipMember] = []
    pos, seen = start, 0
    while pos < start + dir_size and seen < count:
        if len(members) >= max_members:
            return members, count
        members.append(_central_entry(data, pos, start + dir_size, shift))
        pos += _CENTRAL.size + sum(struct.unpack_from("<3H", data, pos + 28))
        seen += 1
    if seen < count:
        raise _DirectoryDamaged(f"压缩包目录（中央目录）记录了 {count} 个文件，只找到 {seen} 条完整记录")
    return members, count


def _central_entry(data: bytes, pos: int, dir_end: int, shift: int) -> ZipMember:
    if pos + _CENTRAL.size > dir_end or data[pos : pos + 4] != _CENTRAL_SIG:
        raise _DirectoryDamaged("压缩包目录（中央目录）的记录已损坏")
    (_, _, create_system, _, _, flags, method, _, _, crc, csize, usize, nlen, elen, clen, _, _, external,
     offset) = _CENTRAL.unpack_from(data, pos)
    if pos + _CENTRAL.size + nlen + elen + clen > dir_end:
        raise _DirectoryDamaged("压缩包目录（中央目录）的记录超出目录范围")
    raw = data[pos + _CENTRAL.size : pos + _CENTRAL.size + nlen]
    extra = data[pos + _CENTRAL.size + nlen : pos + _CENTRAL.size + nlen + elen]
    name, raw_name = member_display_name(raw, flags, extra)
    member = ZipMember(name, raw_name, flags, method, crc, csize, usize, offset,
                       is_dir=raw.endswith((b"/", b"\\")) and usize == 0,
                       is_symlink=create_system == _UNIX_SYSTEM and (external >> 16) & _S_IFMT == _S_IFLNK)
    try:
        member.size, member.compressed_size, member.offset = _zip64_values(extra, usize, csize, offset)
    except ValueError:
        member.problem = "压缩包目录中该文件的 ZIP64 扩展字段（extra field）已损坏，无法确定其大小或位置"
    member.offset += shift
    return member


def _zip64_values(extra: bytes, usize: int, csize: int, offset: int | None = None) -> tuple[int, int, int | None]:
    """Sizes (and offset) with the ZIP64 extra field's values where the header holds 0xFFFFFFFF."""
    wanted = [usize == _ZIP64_MARK, csize == _ZIP64_MARK, offset == _ZIP64_MARK]
    if not any(wanted):
        return usize, csize, offset
    body = next((b for header_id, b in _extra_fields(extra) if header_id == _ZIP64_EXTRA), None)
    if body is None:
        raise ValueError("no zip64 field")
    values, i = [usize, csize, offset], 0
    for k, want in enumerate(wanted):
        if want:
            if i + 8 > len(body):
                raise ValueError("short zip64 field")
            values[k] = struct.unpack_from("<Q", body, i)[0]
            i += 8
    return values[0], values[1], values[2]


def _scan_local_headers(data: bytes, max_members: int) -> tuple[list[ZipMember], int]:
    """Members found by their local file headers, in file order; (members, how many more)."""
    members: list[ZipMember] = []
    more = 0
    pos = data.find(_LOCAL_SIG)
    while pos != -1:
        member, next_pos = _local_entry(data, pos)
        if member is not None:
            if len(members) < max_members:
                members.append(member)
            else:
                more += 1
        pos = data.find(_LOCAL_SIG, next_pos)
    return members, more


def _local_entry(data: bytes, pos: int) -> tuple[ZipMember | None, int]:
    if pos + _LOCAL.size > len(data):
        return None, len(data)
    _, version, _, flags, method, _, _, crc, csize, usize, nlen, elen = _LOCAL.unpack_from(data, pos)
    data_offset = pos + _LOCAL.size + nlen + elen
    if nlen == 0 or version > 100 or data_offset > len(data):
        return None, pos + 4  # a stray signature inside some member's data, not a header
    raw = data[pos + _LOCAL.size : pos + _LOCAL.size + nlen]
    extra = data[pos + _LOCAL.size + nlen : data_offset]
    name, raw_name = member_display_name(raw, flags, extra)
    member = ZipMember(name, raw_name, flags, method, crc, csize, usize, pos,
                       is_dir=raw.endswith((b"/", b"\\")) and usize == 0, data_offset=data_offset)
    try:
        member.size, member.compressed_size, _ = _zip64_values(extra, usize, csize)
    except ValueError:
        member.problem = "本地文件头的 ZIP64 扩展字段（extra field）已损坏，无法确定文件大小"
        return member, data_offset
    if flags & _DESCRIPTOR_FLAG and member.compressed_size == 0 and not member.is_dir:
        if not _apply_descriptor(data, member):
            member.problem = "本地文件头未记录大小，且找不到数据描述符，无法确定文件范围"
            return member, data_offset
    if data_offset + member.compressed_size > len(data):
        member.problem = "文件数据不完整（压缩包被截断）"
        return member, data_offset
    return member, data_offset + member.compressed_size


def _apply_descriptor(data: bytes, member: ZipMember) -> bool:
    """Sizes and CRC from the data descriptor after the member's data: the first signed
    descriptor whose compressed size is exactly its distance from the data."""
    start = member.data_offset or 0
    pos = data.find(_DESCRIPTOR_SIG, start)
    while pos != -1:
        length = pos - start
        if pos + 16 <= len(data):
            crc, csize, usize = struct.unpack_from("<3L", data, pos + 4)
            if csize == length:
                member.crc, member.compressed_size, member.size = crc, csize, usize
                return True
        if pos + 24 <= len(data):
            crc, csize, usize = struct.unpack_from("<L2Q", data, pos + 4)
            if csize == length:
                member.crc, member.compressed_size, member.size = crc, csize, usize
                return True
        pos = data.find(_DESCRIPTOR_SIG, pos + 4)
    return False


# ---------------------------------------------------------------- reading


class MemberProblem(Exception):
    """A member cannot be read.  `reason` (Chinese) says what is wrong with it; `kind` is
    "damaged", "encrypted" or "unsupported"."""

    def __init__(self, reason: str, kind: str = "damaged") -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


class MemberTooLarge(MemberProblem):
    """Reading stopped at a limit.  `what` is "size" (the caller's cap) or "ratio"; `expanded` the
    bytes produced before stopping (0 when the declared size alone was over)."""

    def __init__(self, what: str, expanded: int, declared: int) -> None:
        super().__init__("超出上限", "limit")
        self.what = what
        self.expanded = expanded
        self.declared = declared


def method_name(method: int) -> str:
    return _METHOD_NAMES.get(method, f"编号 {method}")


def read_member(data: bytes, member: ZipMember, cap: int, ratio: int, *, head: int | None = None) -> bytes:
    """The member's bytes, checked against its CRC and size.  Stops with `MemberTooLarge` past
    `cap` bytes or past `ratio` × its compressed size (above RATIO_CHECK_FROM); with `head`, only
    the first `head` bytes (unchecked).  Raises `MemberProblem` for anything unreadable."""
    _refuse_unreadable(member)
    if head is None:
        refuse_declared_over_limit(member, cap, ratio)
    start = _data_start(data, member)
    raw = memoryview(data)[start : start + member.compressed_size]
    chunks: list[bytes] = []
    total, crc = 0, 0
    try:
        for chunk in _expand(member.method, raw):
            total += len(chunk)
            if head is not None:
                chunks.append(chunk)
                if total >= head:
                    return b"".join(chunks)[:head]
                continue
            if total > member.size:  # a lying directory: never expand more than it declared
                raise MemberProblem(f"解压后超过压缩包目录记录的大小（{member.size} 字节），文件已损坏，已停止解压")
            if total > cap:
                raise MemberTooLarge("size", total, member.size)
            if total > RATIO_CHECK_FROM and total > ratio * max(member.compressed_size, 1):
                raise MemberTooLarge("ratio", total, member.size)
            crc = zlib.crc32(chunk, crc)
            chunks.append(chunk)
    except MemberProblem:
        raise
    except EOFError:
        raise MemberProblem("压缩数据不完整（文件被截断）") from None
    except Exception:  # noqa: BLE001 - zlib.error, OSError, LZMAError, ValueError…: a damaged stream
        raise MemberProblem("压缩数据流已损坏，无法解压") from None
    if head is not None:
        return b"".join(chunks)
    if total != member.size:
        raise MemberProblem(f"解压后大小（{total} 字节）与压缩包目录记录的（{member.size} 字节）不符，文件已损坏")
    if crc != member.crc:
        raise MemberProblem("CRC 校验失败，文件内容已损坏")
    return b"".join(chunks)


def _refuse_unreadable(member: ZipMember) -> None:
    if member.problem:
        raise MemberProblem(member.problem)
    if member.encrypted:
        raise MemberProblem("文件已加密（需要密码），无法解压", "encrypted")
    if member.method not in (STORED, DEFLATED, DEFLATE64, BZIP2, LZMA):
        raise MemberProblem(f"压缩方式 {method_name(member.method)} 不受支持，无法解压", "unsupported")
    if member.method == DEFLATE64 and _inflate64() is None:
        raise MemberProblem("压缩方式 Deflate64 不受支持，无法解压", "unsupported")


def refuse_declared_over_limit(member: ZipMember, cap: int, ratio: int) -> None:
    """`MemberTooLarge` when the directory's own word puts the member over `cap` bytes or over
    `ratio` × its compressed size: then nothing is expanded at all."""
    if member.size > cap:
        raise MemberTooLarge("size", 0, member.size)
    if member.size > RATIO_CHECK_FROM and member.size > ratio * max(member.compressed_size, 1):
        raise MemberTooLarge("ratio", 0, member.size)


def _data_start(data: bytes, member: ZipMember) -> int:
    if member.data_offset is not None:
        start = member.data_offset
    else:
        pos = member.offset
        if pos < 0 or pos + _LOCAL.size > len(data) or data[pos : pos + 4] != _LOCAL_SIG:
            raise MemberProblem("本地文件头损坏或位置错误，无法定位文件数据")
        nlen, elen = struct.unpack_from("<2H", data, pos + 26)
        start = pos + _LOCAL.size + nlen + elen
    if start + member.compressed_size > len(data):
        raise MemberProblem("文件数据不完整（压缩包被截断）")
    return start


def _expand(method: int, raw: memoryview) -> Iterator[bytes]:
    """The member's expanded bytes in pieces of at most about OUT_STEP (Deflate64: ~27 MiB)."""
    if method == STORED:
        for i in range(0, len(raw), OUT_STEP):
            yield bytes(raw[i : i + OUT_STEP])
    elif method == DEFLATED:
        yield from _expand_zlib(zlib.decompressobj(-15), raw)
    elif method == DEFLATE64:
        yield from _expand_deflate64(raw)
    elif method == BZIP2:
        yield from _expand_buffered(bz2.BZ2Decompressor(), raw)
    else:
        # zip's LZMA need not end with an end marker: the size and CRC checks tell a cut stream
        yield from _expand_buffered(_lzma_decompressor(raw), raw[4 + _lzma_props_size(raw) :], needs_end=False)


def _expand_zlib(d: "zlib._Decompress", raw: memoryview) -> Iterator[bytes]:
    for i in range(0, len(raw), _IN_STEP):
        pending = bytes(raw[i : i + _IN_STEP])
        while pending and not d.eof:
            out = d.decompress(pending, OUT_STEP)
            pending = d.unconsumed_tail
            if out:
                yield out
        if d.eof:
            return
    tail = d.flush()  # output zlib still held when the input ran out exactly at a step
    if tail:
        yield tail
    if not d.eof:
        raise EOFError


def _expand_buffered(
    d: "bz2.BZ2Decompressor | lzma.LZMADecompressor", raw: memoryview, needs_end: bool = True
) -> Iterator[bytes]:
    for i in range(0, len(raw), _IN_STEP):
        out = d.decompress(bytes(raw[i : i + _IN_STEP]), OUT_STEP)
        while True:
            if out:
                yield out
            if d.eof or d.needs_input:
                break
            out = d.decompress(b"", OUT_STEP)
        if d.eof:
            return
    if needs_end and not d.eof:
        raise EOFError


def _expand_deflate64(raw: memoryview) -> Iterator[bytes]:
    inflater = _inflate64().Inflater()  # type: ignore[union-attr]
    for i in range(0, len(raw), _DEFLATE64_IN_STEP):
        out = inflater.inflate(bytes(raw[i : i + _DEFLATE64_IN_STEP]))
        if out:
            yield out
        if inflater.eof:
            return
    if not inflater.eof:
        raise EOFError


def _lzma_props_size(raw: memoryview) -> int:
    if len(raw) < 4:
        raise EOFError
    return struct.unpack_from("<H", raw, 2)[0]


def _lzma_decompressor(raw: memoryview) -> lzma.LZMADecompressor:
    # zip's LZMA: 2 bytes of version, 2 of properties size, the properties, then raw LZMA1
    size = _lzma_props_size(raw)
    props = bytes(raw[4 : 4 + size])
    filters = [lzma._decode_filter_properties(lzma.FILTER_LZMA1, props)]  # type: ignore[attr-defined]
    return lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=filters)


def _inflate64():  # noqa: ANN202 - the module, or None when it is not installed
    try:
        import inflate64
    except ImportError:
        return None
    return inflate64


# ---------------------------------------------------------------- formats built on zip

# zip-based formats and the extensions that name them; a member of the first column's
# content keeps its own extension when it is one of these, else it gets the format's
_FORMAT_EXTS = {
    "docx": ("docx", "docm", "dotx", "dotm"),
    "xlsx": ("xlsx", "xlsm", "xltx", "xltm"),
    "pptx": ("pptx", "pptm", "ppsx", "potx"),
    "odt": ("odt", "ott"), "ods": ("ods", "ots"), "odp": ("odp", "otp"), "odg": ("odg", "otg"),
    "epub": ("epub",), "xps": ("xps", "oxps"), "ofd": ("ofd",), "pages": ("pages", "numbers", "key"),
    "jar": ("jar", "war", "ear"), "apk": ("apk",),
}
DOCUMENT_EXTS = frozenset(e for exts in _FORMAT_EXTS.values() for e in exts)
_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.text-template": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.spreadsheet-template": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.presentation-template": "odp",
    "application/vnd.oasis.opendocument.graphics": "odg",
    "application/epub+zip": "epub",
    "application/oxps": "xps",
    "application/vnd.ms-xpsdocument": "xps",
}
_CONTENT_TYPE_MARKS = (
    ("wordprocessingml.document.main", "docx"), ("ms-word.document.macroenabled.main", "docx"),
    ("wordprocessingml.template.main", "docx"),
    ("spreadsheetml.sheet.main", "xlsx"), ("ms-excel.sheet.macroenabled.main", "xlsx"),
    ("spreadsheetml.template.main", "xlsx"),
    ("presentationml", "pptx"), ("ms-package.xps-fixeddocumentsequence", "xps"),
    ("ms-xpsdocument", "xps"), ("oxps", "xps"),
)
_SMALL_MEMBER = 1 << 20  # how much of a format's marker member is read to tell the format


def zip_format(data: bytes, listing: ZipListing | None = None) -> str | None:
    """None when `data` is not a zip; else the zip-based format its members say ("docx",
    "xlsx", "pptx", "odt", "ods", "odp", "odg", "epub", "xps", "ofd", "pages", "jar", "apk",
    "document" for another document format), "archive" for a plain archive, or "damaged" when
    no member at all can be found."""
    if not looks_like_zip(data):
        return None
    listing = listing or list_zip(data, 10_000)
    by_name = {m.name.replace("\\", "/").lstrip("/"): m for m in listing.members}
    if not by_name:
        return "archive" if listing.empty_directory else "damaged"
    names = set(by_name)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "mimetype" in names:
        text = _small_member(data, by_name["mimetype"]).decode("ascii", "replace").strip().lower()
        return _MIMETYPES.get(text, "document")
    if any(n.lower().endswith(".fdseq") for n in names) or "FixedDocumentSequence" in " ".join(names):
        return "xps"
    if "OFD.xml" in names or "ofd.xml" in names:
        return "ofd"
    if "Index/Document.iwa" in names:
        return "pages"
    if "Index/Presentation.iwa" in names or ("index.xml" in names and "buildVersionHistory.plist" in names):
        return "pages"
    if "META-INF/container.xml" in names:
        return "epub"
    if "AndroidManifest.xml" in names and "classes.dex" in names:
        return "apk"
    if "META-INF/MANIFEST.MF" in names and any(n.endswith(".class") for n in names):
        return "jar"
    if "[Content_Types].xml" in names:
        text = _small_member(data, by_name["[Content_Types].xml"]).decode("utf-8", "replace").lower()
        return next((fmt for mark, fmt in _CONTENT_TYPE_MARKS if mark in text), "document")
    return "archive"


def format_ext(fmt: str, name_ext: str) -> str:
    """The extension a file of zip-based format `fmt` should carry: its own when it names the
    format (a .docm stays .docm), else the format's (a .docx renamed .zip is a .docx)."""
    exts = _FORMAT_EXTS.get(fmt)
    if not exts or name_ext in exts:
        return name_ext
    return exts[0]


def _small_member(data: bytes, member: ZipMember) -> bytes:
    try:
        return read_member(data, member, _SMALL_MEMBER, 1 << 30, head=_SMALL_MEMBER)
    except MemberProblem:
        return b""
