"""The fuzz targets: one function per reader, each taking arbitrary bytes.

The contract they check (issue 8):

- the package loader, for any bytes given as a file, returns a `Package` (or raises its
  documented `PackageError` for an input it cannot process at all); the paths of its files are
  safe labels; what it keeps stays within `package_members` and `package_expanded_bytes`;
  `read_document` then returns a `Document` for every file and never raises;
- each format reader (`read_docx`, `read_xlsx`, `read_pdf`, `read_image`, called directly,
  because `read_document` turns *any* exception into a finding) returns a `Document` or raises
  one of its documented "unreadable" signals: `LimitExceeded`, the reader's own
  (`StrictOoxml`, `EncryptedPdfError`, `CorruptImageError`) and the library failures that
  `extractor.read` names in Chinese (its table of causes: `BadZipFile`, `XMLSyntaxError`,
  `PdfiumError`, `KeyError`, …).  Another exception type is a finding when extractor code
  raises it or lets it through from the standard library (zipfile's NotImplementedError); one
  raised inside a third-party library (python-docx, openpyxl, Pillow, pdfminer refuse a
  malformed file with ValueError, TypeError, AttributeError…) is passed over, except in strict
  mode (SHENCHA_FUZZ_STRICT=1, `run.py --strict`): the reviewer is told "读取程序报告 TypeError",
  which is vague but not wrong, and there are too many of them to keep CI green otherwise;
- a returned `Document` keeps to the limits it was read under: no table longer than
  `table_rows` or wider than `table_columns` (Word, Excel), no more grid positions than
  `file_cells` in all, no page or sheet past `file_pages`, cells where the grid says;
- no input hangs or exhausts memory (libFuzzer's -timeout and -rss_limit_mb).

Findings already reported and not fixed are listed in `KNOWN` and `LIBRARY_FINDINGS`, their
inputs in tests/fuzz/crashes/.

Nothing here touches `os.environ` on import: `apply_limits()` sets the small limits the
fuzzers run under (the runner calls it; the tests set them with monkeypatch).  LibreOffice is
never started (`no_libreoffice()`): one conversion takes seconds.
"""

from __future__ import annotations

import atexit
import io
import os
import random
import shutil
import sys
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

FUZZ_DIR = Path(__file__).resolve().parent
CORPUS = FUZZ_DIR / "corpus"
DICTS = FUZZ_DIR / "dicts"

# Small limits keep one iteration fast and make the limit paths reachable from small inputs.
FUZZ_LIMITS: dict[str, int | float] = {
    "package_members": 40,
    "package_expanded_bytes": 4 << 20,
    "member_expanded_bytes": 1 << 20,
    "archive_depth": 2,
    "file_seconds": 20,
    "file_pages": 4,
    "file_cells": 3000,
    "table_rows": 120,
    "table_columns": 40,
    "list_counter": 1000,
    "page_objects": 5000,
    "page_path_segments": 20000,
    "page_rulings": 200,
    "page_text_lines": 120,
    "page_text_objects": 3000,
}

# The file name a package input is given: its first byte picks one (the rest is the content).
PACKAGE_NAMES = [
    "申报材料.zip", "package.zip", "年报表.docx", "年报表.xlsx", "申报书.pdf", "照片.jpg", "说明.txt",
    "旧版.docx", "tool.jar", "附件.7z", "无扩展名", "旧版.doc", "演示.pptx", "报告.docm",
]


def limit_env() -> dict[str, str]:
    """The SHENCHA_LIMIT_* variables for FUZZ_LIMITS, reads in this process, no OCR."""
    env = {f"SHENCHA_LIMIT_{k.upper()}": str(v) for k, v in FUZZ_LIMITS.items()}
    env["SHENCHA_ISOLATE_READS"] = "0"
    env["SHENCHA_OCR"] = "off"  # OCR of scans takes seconds a page: not what these targets fuzz
    return env


def apply_limits() -> None:
    """Sets the fuzzing limits in this process (a variable already set wins: a longer local
    run may loosen one)."""
    for key, value in limit_env().items():
        os.environ.setdefault(key, value)
    limits = sys.modules.get("extractor.limits")  # not imported here: the runner instruments it first
    if limits is not None:
        limits.get_limits.cache_clear()


@contextmanager
def no_libreoffice() -> Iterator[None]:
    """`read_document` never converts with LibreOffice inside: the conversion finds no soffice."""
    from extractor.readers import legacy

    saved = legacy.convert
    legacy.convert = lambda data, ext, timeout=None: None
    try:
        yield
    finally:
        legacy.convert = saved


class Finding(AssertionError):
    """The contract was broken (the reader raised an undocumented exception type, or its
    Document breaks a limit).  Raised from the target so that atheris saves the input."""


# ---------------------------------------------------------------- findings already reported


@dataclass(frozen=True)
class Known:
    """A finding in extractor code, reported and not fixed yet; its inputs are `crashes`
    (under tests/fuzz/crashes/).  Until it is fixed, the targets pass over an exception of one
    of these types whose innermost extractor frame is one of `where` ("readers/ooxml.py:_raw";
    "readers/ooxml.py:*" for any function of the file), so that CI runs look for new things.
    tests/test_fuzz.py replays each input in strict mode and fails once the reader no longer
    breaks the contract on it: then delete the inputs and this entry."""

    targets: tuple[str, ...]
    exceptions: tuple[str, ...]  # class names
    where: tuple[str, ...]
    crashes: tuple[str, ...]
    note: str


KNOWN: list[Known] = []  # every finding reported so far is fixed: tests/fuzz/regressions/ keeps the inputs

# Inputs that break the contract only in strict mode: a library's own exception for a file it
# cannot read, outside the reader's documented signals (the reviewer reads 读取程序报告 TypeError).
# Not fixed in extractor code yet; kept under tests/fuzz/crashes/ and replayed by the tests.
LIBRARY_FINDINGS: dict[str, str] = {
    "xlsx-empty-fill-element-TypeError.xlsx": "openpyxl: an empty <fill/> in styles.xml (schema-valid) raises "
                                              "TypeError; the workbook is refused",
}


def strict() -> bool:
    """SHENCHA_FUZZ_STRICT=1: known findings and library refusals are findings too."""
    return os.environ.get("SHENCHA_FUZZ_STRICT", "").strip().lower() in ("1", "true", "yes")


_EXTRACTOR = str(FUZZ_DIR.parents[1] / "extractor") + os.sep


def extractor_frame(e: BaseException) -> tuple[str, bool]:
    """("<path under extractor/>:<function>" of the innermost extractor frame, whether a frame
    below it is a third-party library's)."""
    import traceback

    frames = traceback.extract_tb(e.__traceback__)
    ours = [i for i, f in enumerate(frames) if f.filename.startswith(_EXTRACTOR)]
    if not ours:
        return "", True
    last = frames[ours[-1]]
    below = frames[ours[-1] + 1 :]
    library = any(("site-packages" in f.filename or "dist-packages" in f.filename) for f in below)
    return f"{last.filename[len(_EXTRACTOR):]}:{last.name}", library


def known_finding(target: str, e: BaseException) -> Known | None:
    where, _library = extractor_frame(e)
    file = where.split(":", 1)[0]
    for k in KNOWN:
        if (target in k.targets and type(e).__name__ in k.exceptions
                and any(w == where or (w.endswith(":*") and w[:-2] == file) for w in k.where)):
            return k
    return None


def passed_over(target: str, e: Exception) -> bool:
    """Whether an undocumented exception is not a finding (unless strict): a known finding, or
    a third-party library's own refusal of a malformed file (python-docx, openpyxl, Pillow,
    pdfminer raise ValueError, TypeError, AttributeError… for what they cannot parse).
    What extractor code raises itself, or lets through from the standard library (zipfile's
    NotImplementedError on an unknown compression), is a finding."""
    if strict():
        return False
    if known_finding(target, e) is not None:
        return True
    return extractor_frame(e)[1]


# ---------------------------------------------------------------- what a reader may raise


def documented_errors(extra: tuple[type[BaseException], ...] = ()) -> tuple[type[BaseException], ...]:
    """Exceptions that mean "this file is unreadable" for a reader: `LimitExceeded`, the
    failures `extractor.read` names (its table of causes), and the reader's own `extra`."""
    from extractor.limits import LimitExceeded
    from extractor.read import _known_causes

    named = tuple(cls for classes, _cause in _known_causes() for cls in classes)
    return (LimitExceeded, *named, *extra)


def _limits():
    from extractor.limits import get_limits

    return get_limits()


def check_document(doc, path: str, file_type: str, *, strict_tables: bool) -> None:
    """A reader's Document keeps to the contract and to the limits it was read under."""
    from extractor.model import Document

    if not isinstance(doc, Document):
        raise Finding(f"reader returned {type(doc).__name__}, not a Document")
    if doc.type != file_type or doc.path != path:
        raise Finding(f"Document type/path {doc.type!r}/{doc.path!r}, expected {file_type!r}/{path!r}")
    if doc.error is not None and doc.blocks:
        raise Finding("a Document with an error also has blocks")
    limits = _limits()
    cells = 0
    for block in doc.blocks:
        page = block.loc.page
        if page is not None and page > limits.file_pages:
            raise Finding(f"block on page {page}, past file_pages={limits.file_pages}")
        table = block.table
        if block.kind != "table" or table is None:
            continue
        cells += sum(len(row) for row in table.rows)
        if strict_tables and table.n_rows > limits.table_rows:
            raise Finding(f"table {table.index} has {table.n_rows} rows, past table_rows={limits.table_rows}")
        if strict_tables and table.n_cols > limits.table_columns:
            raise Finding(f"table {table.index} has {table.n_cols} columns, past table_columns={limits.table_columns}")
        for r, row in enumerate(table.rows, start=1):
            for c, cell in enumerate(row, start=1):
                if (cell.row, cell.col) != (r, c):
                    raise Finding(f"table {table.index}: cell at ({r}, {c}) says ({cell.row}, {cell.col})")
                if cell.rowspan < 1 or cell.colspan < 1:
                    raise Finding(f"table {table.index}: cell ({r}, {c}) spans {cell.rowspan}x{cell.colspan}")
    if cells > limits.file_cells:
        raise Finding(f"{cells} table cells in the Document, past file_cells={limits.file_cells}")
    if file_type == "xlsx":
        sheets = {b.loc.sheet for b in doc.blocks if b.loc.sheet is not None}
        if len(sheets) > limits.file_pages:
            raise Finding(f"{len(sheets)} sheets read, past file_pages={limits.file_pages}")


def _run_reader(target: str, reader: Callable[[bytes, str], object], data: bytes, path: str, file_type: str,
                allowed: tuple[type[BaseException], ...], strict_tables: bool) -> object | None:
    """The reader on `data`: its Document checked, a documented refusal (or a known finding)
    passed over (None), any other exception re-raised as it is (atheris then shows its
    traceback and keeps the input)."""
    from extractor.isolation import captured_noise

    with captured_noise():  # library warnings and log records: not for the fuzzer's output
        try:
            doc = reader(data, path)
        except allowed:
            return None
        except Exception as e:
            if passed_over(target, e):
                return None
            raise
    check_document(doc, path, file_type, strict_tables=strict_tables)
    return doc


# ---------------------------------------------------------------- the targets


def fuzz_docx(data: bytes) -> object | None:
    from extractor.readers.docx_reader import read_docx
    from extractor.readers.ooxml import StrictOoxml

    return _run_reader("docx", read_docx, data, "fuzz.docx", "docx", documented_errors((StrictOoxml,)), True)


def fuzz_xlsx(data: bytes) -> object | None:
    from extractor.readers.ooxml import StrictOoxml
    from extractor.readers.xlsx_reader import read_xlsx

    return _run_reader("xlsx", read_xlsx, data, "fuzz.xlsx", "xlsx", documented_errors((StrictOoxml,)), True)


def fuzz_pdf(data: bytes) -> object | None:
    from extractor.readers.pdf_reader import EncryptedPdfError, read_pdf

    return _run_reader("pdf", read_pdf, data, "fuzz.pdf", "pdf", documented_errors((EncryptedPdfError,)), False)


def fuzz_image(data: bytes) -> object | None:
    from extractor.readers.image_reader import CorruptImageError, read_image

    return _run_reader("image", read_image, data, "fuzz.png", "image", documented_errors((CorruptImageError,)), False)


_PROBLEM_KINDS = {None, "damaged", "encrypted", "unsupported", "empty", "limit"}
_scratch: Path | None = None


def _scratch_dir() -> Path:
    global _scratch
    if _scratch is None or not _scratch.is_dir():
        parent = os.environ.get("SHENCHA_FUZZ_SCRATCH")  # the runner's, removed by the runner
        _scratch = Path(tempfile.mkdtemp(prefix="package-", dir=parent or None))
        if not parent:
            atexit.register(shutil.rmtree, _scratch, True)
    return _scratch


def split_package_input(data: bytes) -> tuple[str, bytes]:
    """(file name, content) of a package input: the first byte picks the name."""
    if not data:
        return PACKAGE_NAMES[0], b""
    return PACKAGE_NAMES[data[0] % len(PACKAGE_NAMES)], data[1:]


def fuzz_package(data: bytes) -> object | None:
    """The bytes as one file handed in (named by the first byte), loaded by `load_package`; every
    file it yields is read by `read_document`."""
    from extractor.package import Package, PackageError, load_package
    from extractor.read import read_document
    from extractor.zipread import clean_text

    name, content = split_package_input(data)
    folder = _scratch_dir()
    path = folder / name
    path.write_bytes(content)
    try:
        try:
            package = load_package(path)
        except PackageError:
            return None
    finally:
        path.unlink()
    if not isinstance(package, Package):
        raise Finding(f"load_package returned {type(package).__name__}")
    limits = _limits()
    # members (an archive's damage note among them), the over-limit ones listed, one summary per archive
    if len(package.files) > 2 * limits.package_members + 1000 + 1:
        raise Finding(f"{len(package.files)} files from one input")
    kept = sum(len(f.data) for f in package.files)
    if kept > limits.package_expanded_bytes + len(content):
        raise Finding(f"{kept} bytes kept, past package_expanded_bytes={limits.package_expanded_bytes}")
    paths = set()
    for f in package.files:
        parts = f.path.split("/")
        if not f.path or f.path.startswith("/") or ".." in parts or "." in parts or "" in parts[:-1]:
            raise Finding(f"unsafe path {f.path!r}")
        if clean_text(f.path) != f.path:
            raise Finding(f"path with control characters {f.path!r}")
        if f.path in paths:
            raise Finding(f"two files share the path {f.path!r}")
        paths.add(f.path)
        if f.problem is not None and (f.data or f.problem_kind not in _PROBLEM_KINDS - {None}):
            raise Finding(f"{f.path!r}: problem {f.problem_kind!r} with {len(f.data)} bytes")
        if f.problem is None and f.size != len(f.data):
            raise Finding(f"{f.path!r}: size {f.size} for {len(f.data)} bytes")
    from extractor.isolation import captured_noise

    docs = []
    with no_libreoffice(), captured_noise():
        for f in package.files:
            doc = read_document(f)
            if doc.path != f.path or (doc.error is None) != (doc.problem is None):
                raise Finding(f"{f.path!r}: Document path {doc.path!r}, error {doc.error!r}, problem {doc.problem!r}")
            if doc.problem not in _PROBLEM_KINDS:
                raise Finding(f"{f.path!r}: problem kind {doc.problem!r}")
            docs.append(doc)
    return docs


# ---------------------------------------------------------------- a mutator for zip-based formats


def rezip(parts: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method, compresslevel=1 if method == zipfile.ZIP_DEFLATED else None) as zf:
        for name, body in parts:
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), body, compress_type=method)
    return buf.getvalue()


def ooxml_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    """Mutates a .docx/.xlsx inside its zip: one part's XML is mutated (libFuzzer's own
    mutations, dictionary included), sometimes a part is dropped, copied or renamed, and the
    zip is written again, so CRCs stay right and the XML parsers see the change.  Now and then,
    or when the input is no zip, the bytes are mutated as they are."""
    import warnings

    import atheris

    warnings.filterwarnings("ignore", "Duplicate name", UserWarning)
    rng = random.Random(seed)
    if rng.random() < 0.15:
        return atheris.Mutate(data, max_size)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = [(i.filename, zf.read(i)) for i in zf.infolist()][:64]
    except Exception:  # noqa: BLE001 - not a zip (any more): mutate the bytes
        return atheris.Mutate(data, max_size)
    if not parts:
        return atheris.Mutate(data, max_size)
    xml = [i for i, (name, _) in enumerate(parts) if name.endswith((".xml", ".rels"))] or list(range(len(parts)))
    # the main parts (document.xml, a sheet, the workbook) more often than the rest
    main = [i for i in xml if "document.xml" in parts[i][0] or "sheet" in parts[i][0] or "workbook.xml" in parts[i][0]]
    i = rng.choice(main if main and rng.random() < 0.6 else xml)
    name, body = parts[i]
    action = rng.random()
    if action < 0.04 and len(parts) > 1:
        del parts[i]
    elif action < 0.07:
        parts.append((name, body))  # a duplicate name
    elif action < 0.10:
        parts[i] = (name.upper() if rng.random() < 0.5 else "/" + name, body)
    else:
        parts[i] = (name, atheris.Mutate(body, max(len(body) * 2, 256)))
    method = zipfile.ZIP_STORED if rng.random() < 0.2 else zipfile.ZIP_DEFLATED
    out = rezip(parts, method)
    if len(out) > max_size:
        return atheris.Mutate(data, max_size)
    return out


# ---------------------------------------------------------------- the table of targets


@dataclass(frozen=True)
class Target:
    name: str
    function: Callable[[bytes], object | None]
    max_len: int  # bytes of one input
    ci_runs: int  # iterations in tests/test_fuzz.py: about 10 s each, start included, on 2 cores
    mutator: Callable[[bytes, int, int], bytes] | None = None
    instrument: tuple[str, ...] = ("extractor",)  # packages whose Python code gives coverage
    dict_file: str | None = None
    # what every committed seed must give: "document" (read), "refused" (a documented refusal)
    expect: dict[str, str] = field(default_factory=dict)

    @property
    def corpus(self) -> Path:
        return CORPUS / self.name


TARGETS: dict[str, Target] = {
    t.name: t
    for t in [
        Target("package", fuzz_package, max_len=24_000, ci_runs=4000,
               instrument=("extractor",), dict_file="zip.dict"),
        Target("docx", fuzz_docx, max_len=16_000, ci_runs=8000, mutator=ooxml_mutator,
               instrument=("extractor", "docx"), dict_file="docx.dict"),
        Target("xlsx", fuzz_xlsx, max_len=16_000, ci_runs=4000, mutator=ooxml_mutator,
               instrument=("extractor", "openpyxl"), dict_file="xlsx.dict"),
        Target("pdf", fuzz_pdf, max_len=24_000, ci_runs=1000,
               instrument=("extractor", "pdfminer", "pdfplumber"), dict_file="pdf.dict",
               expect={"encrypted.pdf": "refused"}),
        Target("image", fuzz_image, max_len=4_000, ci_runs=6000,
               instrument=("extractor", "PIL")),
    ]
}
