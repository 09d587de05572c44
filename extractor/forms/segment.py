"""Chinese word segmentation (jieba), set up once for every user in the package: the outline
matcher and the narrative reader.  The waste vocabulary of corpus/waste_types.yaml is added so
that 脱硫石膏 stays one word; jieba's dictionary cache goes to the project's cache directory
instead of the system's temporary folder."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path


def cache_dir() -> Path:
    d = Path(os.environ.get("SHENCHA_CACHE_DIR") or Path.home() / ".cache" / "shencha")
    d.mkdir(parents=True, exist_ok=True)
    return d


@lru_cache(maxsize=1)
def jieba_tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.dt
    tok.tmp_dir = str(cache_dir())
    tok.initialize()
    for word in extra_words():
        tok.add_word(word, freq=20000)
    return tok


def extra_words() -> list[str]:
    from extractor.forms.wastes import known_waste_names

    return [w for w in known_waste_names() if len(w) >= 2]


@lru_cache(maxsize=1 << 15)
def words(text: str) -> tuple[str, ...]:
    """The words of a short text (a heading, a title), cached."""
    return tuple(w for w in jieba_tokenizer().lcut(text) if w.strip())


@lru_cache(maxsize=1 << 14)
def sub_words(word: str) -> tuple[str, ...]:
    """The shorter words inside a compound ("综合利用" -> 综合, 利用)."""
    return tuple(w for w in jieba_tokenizer().lcut_for_search(word) if w != word and len(w) >= 2)
