"""A single updating progress line on a terminal, text-width helpers for CJK output, and
`terminal_safe`, which every print of untrusted text goes through.

Progress goes to stderr only when stderr is a terminal: redirected output and logs stay clean.
Chinese characters take two terminal columns, so widths are measured with
`unicodedata.east_asian_width`, not `len`.

File names, zip member names, sheet names and finding messages come from strangers.  A name
carrying ESC sequences could clear the screen, retitle the window or forge earlier output; a
carriage return could overwrite the line; a bidi override (U+202E) could show `exe.docx` as
`xcod.exe`.  `terminal_safe` shows every such character escaped (`\\x1b`, `\\u202e`).
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from typing import TextIO

STAGE_LABELS = {"read": "读取文件", "ocr": "识别扫描页", "check": "审查"}

# control (C0, DEL, C1), format (bidi controls, zero-width, BOM), lone surrogates (undecodable
# bytes of a file name), line and paragraph separators: none of them may reach a terminal raw
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_ESCAPED_BYTES = range(0xDC80, 0xDD00)  # os.fsdecode's surrogateescape: U+DC80+b stands for byte b


def _escape(ch: str) -> str:
    code = ord(ch)
    if code in _ESCAPED_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def terminal_safe(text: object) -> str:
    """`text` as one line a terminal shows as it is: controls, bidi and format characters,
    newlines and undecodable bytes are written as escapes (`\\x1b`, `\\u202e`, `\\x0a`).
    Chinese text, other scripts, emoji and ordinary spaces pass unchanged."""
    text = str(text)
    if text.isprintable():  # the common case; isprintable() is False for every unsafe category
        return text
    return "".join(_escape(ch) if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch for ch in text)


def terminal_lines(text: object) -> str:
    """Like `terminal_safe`, but keeps the line breaks of a multi-line message."""
    return "\n".join(terminal_safe(line) for line in str(text).split("\n"))


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def fit(text: str, width: int) -> str:
    """Cut `text` to at most `width` terminal columns, marking the cut with '…'."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int, align: str = "<") -> str:
    """Pad to `width` terminal columns ('<' left, '>' right)."""
    gap = " " * max(0, width - display_width(text))
    return text + gap if align == "<" else gap + text


class TerminalProgress:
    """`service.review.pipeline.Progress` callable writing one line, rewritten in place."""

    def __init__(self, stream: TextIO, prefix: str = "") -> None:
        self.stream = stream
        self.prefix = prefix
        self._shown = False

    def __call__(self, stage: str, done: int, total: int, detail: str) -> None:
        label = STAGE_LABELS.get(stage, stage)
        if stage == "read":
            text = f"{label} {min(done + 1, total) if detail else done}/{total}"
            if detail:
                text += f" {detail}"
        elif stage == "ocr":
            text = f"{label} {done}/{total} {detail}".rstrip()
        else:
            text = f"{label}…" if done < total else f"{label}完成"
        if self.prefix:
            text = f"{self.prefix}：{text}"
        text = terminal_safe(text)  # the detail is a file name from the package
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        # \r back to column 0, then erase to end of line: a shorter line leaves no leftovers
        self.stream.write("\r" + fit(text, width) + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def terminal_progress(quiet: bool, stream: TextIO | None = None, prefix: str = "") -> TerminalProgress | None:
    """A progress line on `stream` (default stderr), or None when quiet or not a terminal."""
    stream = stream if stream is not None else sys.stderr
    if quiet:
        return None
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        return None
    return TerminalProgress(stream, prefix)
