"""The narrative passages of a package as the audit compares them: sentences, normalised, each
with a MinHash signature (datasketch) of its character shingles.

Chinese has no spaces, so a sentence is shingled into overlapping runs of `SHINGLE` characters
after normalisation (NFKC, no whitespace or punctuation, digits kept: a copied paragraph whose
figures were changed is still close, and the alignment shows the changed figures).  Text every
package of a form must carry is left out here already: outline titles, citations of laws and
notices, and the statements the seeds require; text many packages share is left out by the
audit itself (`checkers.audit`), which sees them all.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from functools import lru_cache
from typing import Iterable

import numpy as np

from extractor.model import Block, Document, Location

SHINGLE = 3
NUM_PERM = 64
MIN_CHARS = 16  # normalised characters: shorter sentences are labels and headings, not prose
MAX_PASSAGES = 3000  # per package
MAX_TEXT = 300  # characters of a passage kept in the features, for showing it

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")
_NOT_TEXT = re.compile(r"[\s\W_]+", re.UNICODE)
# a sentence that cites a law, a notice or a standard, or makes the statements every applicant
# must make, is boilerplate whatever else it says
_BOILERPLATE = re.compile(
    r"《[^》]{2,60}(法|条例|办法|通知|规定|意见|标准|规范|指南|目录|公告|方案)》"
    r"|(承诺|保证)[^。]{0,30}(真实|准确|完整|有效)"
    r"|(真实|准确|完整|有效)[^。]{0,10}(承诺|负责|承担)"
    r"|GB/?T?\s*\d{3,}"
)


def normalise(text: str) -> str:
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text)).lower()


_DIGITS = re.compile(r"\d+")
_LEGAL_SUFFIX = re.compile(r"(有限责任公司|股份有限公司|有限公司|集团|公司)$")


def name_variants(name: str | None) -> list[str]:
    """A company's name as its own text may write it: whole, and without its legal form."""
    if not name:
        return []
    whole = normalise(name)
    short = _LEGAL_SUFFIX.sub("", whole)
    return sorted({v for v in (whole, short) if len(v) >= 4}, key=len, reverse=True)


def masked(text: str, own_names: list[str]) -> str:
    """What is compared: the normalised sentence with the package's own company name and every
    figure replaced by a mark.  A sentence every applicant fills in with its name and numbers
    is then one sentence across the province (boilerplate, counted as such), and a paragraph
    copied from another company with the name and figures changed is still the same."""
    norm = normalise(text)
    for name in own_names:
        norm = norm.replace(name, "＠")
    return _DIGITS.sub("#", norm)


def sentences(text: str) -> Iterable[str]:
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if piece:
            yield piece


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=20261201)
    a, b = m.permutations
    return a, b


def signature(norm: str) -> np.ndarray:
    """The MinHash of `norm`'s shingles as NUM_PERM uint32 values."""
    from datasketch import MinHash

    a, b = _permutations()
    m = MinHash(num_perm=NUM_PERM, permutations=(a, b))
    shingles = {norm[i:i + SHINGLE].encode("utf-8") for i in range(max(1, len(norm) - SHINGLE + 1))}
    m.update_batch(list(shingles))
    return m.hashvalues.astype(np.uint32)


def encode_signature(values: np.ndarray) -> str:
    return base64.b64encode(values.astype("<u4").tobytes()).decode("ascii")


def decode_signature(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint64)


def narrative_blocks(documents: list[Document]) -> Iterable[tuple[Block, Document]]:
    for doc in documents:
        for block in doc.blocks:
            if block.kind == "paragraph" and block.text:
                yield block, doc


def passages(documents: list[Document], boilerplate_titles: set[str], own_names: list[str]) -> list[tuple[str, str, Location]]:
    """(sentence as written, masked, location) of each sentence worth comparing."""
    out: list[tuple[str, str, Location]] = []
    seen: set[str] = set()
    for block, _doc in narrative_blocks(documents):
        for sentence in sentences(block.text):
            norm = masked(sentence, own_names)
            if (len(norm.replace("#", "").replace("＠", "")) < MIN_CHARS or norm in seen or normalise(sentence) in boilerplate_titles
                    or _BOILERPLATE.search(sentence)):
                continue
            seen.add(norm)
            out.append((sentence[:MAX_TEXT], norm, block.loc))
            if len(out) >= MAX_PASSAGES:
                return out
    return out
