"""A single updating progress line on a terminal, and text-width helpers for CJK output.

Progress goes to stderr only when stderr is a terminal: redirected output and logs stay clean.
Chinese characters take two terminal columns, so widths are measured with
`unicodedata.east_asian_width`, not `len`.
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from typing import TextIO

STAGE_LABELS = {"read": "读取文件", "check": "审查"}


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
    """`service.pipeline.Progress` callable writing one line, rewritten in place."""

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
        else:
            text = f"{label}…" if done < total else f"{label}完成"
        if self.prefix:
            text = f"{self.prefix}：{text}"
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
