"""The jobs' work folders and the safe names a package's files are written under.

A run works in `<work dir>/<package id>.<random>/` (`SHENCHA_WORK_DIR`, else `<data dir>/work`) (mode 0700), not /tmp: it is removed
when the run ends either way, and a run killed before it could remove it (SIGKILL, power cut)
leaves it where `service.jobs.queue.sweep_work_dirs` finds it at the next worker start, instead
of a copy of the upload in /tmp forever.  One folder per run, so that a sweep never touches a
folder a run claimed after the sweep looked at the jobs.

The uploaded names are never trusted as paths: blobs are written under sanitised names
(`materialise`), and the crops of the report pages expand an upload the same way.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import unicodedata
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

from service.config import Settings, get_settings
from service.store.blobs import BlobStore

MAX_NAME_BYTES = 180  # a path segment; file systems allow 255 bytes, Chinese takes 3 each
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')

class BlobMissing(Exception):
    pass


# ---------------------------------------------------------------- safe names


def safe_segment(name: str, fallback: str = "文件") -> str:
    """One path segment that is safe on disk and still reads like the original."""
    name = unicodedata.normalize("NFC", name)
    # leading dots stay: the package loader skips dot files (.DS_Store …) exactly as the CLI does
    name = _UNSAFE.sub("_", name).strip(" ")
    if not name or name in (".", ".."):
        name = fallback
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        suffix = PurePosixPath(name).suffix
        if len(suffix.encode("utf-8")) > 16:
            suffix = ""
        stem = name[: len(name) - len(suffix)] if suffix else name
        while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
            stem = stem[:-1]
        name = stem + suffix
    return name


def safe_relative_path(path: str) -> str:
    """'../a\\b/c.docx' -> 'a/b/c.docx': no root, drive, '.' or '..' parts, each segment safe."""
    parts = []
    for part in path.replace("\\", "/").split("/"):
        if part in ("", ".", "..") or (len(part) == 2 and part[1] == ":"):
            continue
        parts.append(safe_segment(part))
    return "/".join(parts) or safe_segment("")


def _unique_path(rel: str, taken: set[str]) -> str:
    candidate, n = rel, 2
    path = PurePosixPath(rel)
    while candidate.lower() in taken:
        candidate = str(path.with_name(f"{path.stem}-{n}{path.suffix}"))
        n += 1
    taken.add(candidate.lower())
    return candidate


def materialise(root: Path, name: str, files: list[tuple[str, str, str]], store: BlobStore) -> Path:
    """Write the package's blobs under `root`; returns what to review.

    `files` are (uploaded path, sha256, type).  A single archive is reviewed as that archive;
    anything else as a folder named after the package.
    """
    def blob(sha256: str) -> bytes:
        try:
            data = store.read(sha256)
        except FileNotFoundError:
            raise BlobMissing(sha256) from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobMissing(sha256)
        return data

    if len(files) == 1 and files[0][2] == "zip":
        archive_name = safe_segment(PurePosixPath(files[0][0].replace("\\", "/")).name, "申报材料.zip")
        if not archive_name.lower().endswith(".zip"):
            archive_name += ".zip"
        target = root / archive_name
        target.write_bytes(blob(files[0][1]))
        return target
    folder = root / safe_segment(re.sub(r"\.zip$", "", name, flags=re.IGNORECASE), "申报材料")
    folder.mkdir()
    taken: set[str] = set()
    for path, sha256, _type in files:
        rel = _unique_path(safe_relative_path(path), taken)
        target = folder.joinpath(*rel.split("/"))
        # belt and braces: the sanitiser already guarantees this
        if not target.resolve().is_relative_to(folder.resolve()):
            raise ValueError(f"unsafe member path {path!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob(sha256))
    return folder



# ---------------------------------------------------------------- work folders


def work_root(settings: "Settings | None" = None) -> Path:
    """Where runs keep their copy of a package: `SHENCHA_WORK_DIR`, else `<data dir>/work`."""
    return (settings or get_settings()).work_dir


def work_dir_package(name: str) -> str | None:
    """The package id a work folder name `<package id>.<random>` belongs to, else None."""
    package_id, dot, suffix = name.partition(".")
    return package_id if dot and package_id and suffix else None


@contextmanager
def job_work_dir(package_id: str, root: Path | None = None) -> Iterator[Path]:
    """A private folder for one run of one package, removed however the run ends."""
    root = root if root is not None else work_root()
    root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f"{safe_segment(package_id, 'package')}.", dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
