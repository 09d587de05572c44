"""Scanned twins of the sample packages (issue 9): the same content, printed and scanned.

    python -m corpus.generate --scanned --out DIR [--seed N] [--count N] [--only hb_eval_01,gm_01]
                              [--scan-reports]

A twin is built from the same plan as its package (same seed, same defects, same manifest
entry) and then, before it is written, some of its documents are replaced by scans of
themselves:

- the declaration / 承诺 (a file whose name or title says 声明, 承诺 or 证明), stamped with a red
  seal where it asks for one (盖章, 公章) or under its last line;
- the business licence image (营业执照), as a photocopy on A4;
- the form's main table (`FORMS`: 附件3 年报表, 附件5 申请表, 指标表, 基本情况表, 汇总表), its
  page that asks for the unit's seal (the 申请表 cover's 单位名称（公章）) stamped; where
  the form keeps it inside the report, only the report's pages holding it are scanned and the
  report becomes a PDF of text pages and scanned pages; likewise the report's 承诺 page, sealed,
  when there is no declaration of its own (附件1 of 湖北 carries its 承诺: it is the declaration);
- with `--scan-reports`, every report whole.

A document is exported to PDF by LibreOffice (sandboxed as extractor/readers/legacy.py does; a
spreadsheet printed fitted to the page width, with its grid), rendered page by page with
pypdfium2 at 200 dpi and degraded as a scanner and an office copier do: paper tint, a tilt of up
to ±1.5°, blur, sensor noise, sometimes grey (never a sealed page: a grey seal is no seal), JPEG
at quality 60–85.  Pages are written back as an image-only PDF at 200 dpi (a single sealed page
sometimes as a .jpg), replacing the original file under the same stem.  Files the generator
already made as scans (image-only PDFs, pictures other than the licence) and files planted as
unreadable are left alone.

The manifest keeps every expected and allowed entry as it is (the same content, scanned); the
variants gain `scanned` and one tag per kind of part scanned.  Same seed -> byte-identical
twins.
"""

from __future__ import annotations

import io
import json
import math
import os
import random
import re
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from corpus.generate.determinism import normalise_pdf
from corpus.generate.images import FIXED_DATE, font
from corpus.generate.package import PlannedFile, write_package

DPI = 200  # the resolution pages are scanned at, and the one the OCR reader renders PDF pages at
A4_MM = (210.0, 297.0)

# ---------------------------------------------------------------- what is scanned, per form

DECLARATION = re.compile(r"声明|承诺|证明")
SEAL_ASKED = re.compile(r"盖章|公章|签章")
SEALED_COVER = re.compile(r"(?:单位名称|申请单位)\s*[（(]\s*(?:公章|盖章)")  # 湖北 附件5 申请表封面
PLAIN_NAME = re.compile(r"^(?:材料|方案|表|scan_)\d+$")  # a name that says nothing: look inside
TOC = re.compile(r"目\s*录|[.…·]{6,}")
SECTION_START = re.compile(r"\s*(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十\d]+[章节部分]|（[一二三四五六七八九十]+）|"
                           r"\d+(?:\.\d+)*[、.．\s]|附件|附表|表\s*\d)")


@dataclass(frozen=True)
class FormParts:
    table: str  # the form's main table: a file of its own, or the report's pages holding it
    report: str


FORMS = {
    "hb_evaluation": FormParts(table=r"附件3|年报表", report=r"评价报告"),
    "hn_benchmark": FormParts(table=r"指标表", report=r"自评价报告"),
    "hb_agency": FormParts(table=r"附件5|申请表", report=r"申请报告"),
    "hn_green_mfg": FormParts(table=r"基本情况表|汇总表", report=r"创建工作方案"),
    "nowaste_case": FormParts(table=r"汇总表|基本情况表", report=r"申报书"),
}
DEFAULT_PARTS = FormParts(table=r"附件3|年报表|指标表|汇总表|基本情况表|申请表", report=r"报告|方案|申报书")


@dataclass
class Choice:
    """One file to scan: `whole` (every page) or only `markers` pages of it (the report's table
    or 承诺 pages); `seal` stamps the pages that ask for a seal (the last page when none asks)."""

    index: int  # in the package's file list
    role: str  # declaration, licence, table, report
    whole: bool = True
    markers: list[str] = field(default_factory=list)  # regexes a page's text must match to be scanned
    seal: bool = False


# ---------------------------------------------------------------- reading a file's text


def _ext(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0]


def office_text(name: str, data: bytes, limit: int | None = None) -> str:
    """The text of a .docx or .xlsx (paragraphs and cells in order), or "" when unreadable;
    `limit`: stop after that many non-empty pieces (the title area)."""
    pieces: list[str] = []
    try:
        if _ext(name) == "docx":
            import docx

            doc = docx.Document(io.BytesIO(data))
            pieces = [p.text for p in doc.paragraphs]
            if limit is None or sum(1 for p in pieces if p.strip()) < limit:
                pieces += [c.text for t in doc.tables for r in t.rows for c in r.cells]
        elif _ext(name) == "xlsx":
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    pieces += [str(v) for v in row if v is not None]
    except Exception:  # noqa: BLE001 - a planted unreadable file: nothing to classify
        return ""
    pieces = [p.strip() for p in pieces if p and p.strip()]
    return "\n".join(pieces[:limit] if limit else pieces)


def pdf_page_texts(data: bytes) -> list[str] | None:
    """The text layer of each page, or None when the PDF does not open."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except Exception:  # noqa: BLE001
        return None
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return out
    finally:
        pdf.close()


def head_text(f: PlannedFile) -> str:
    """A document's title area: what it says it is."""
    ext = _ext(f.name)
    if ext in ("docx", "xlsx"):
        return office_text(f.name, f.data or b"", limit=4)
    if ext == "pdf":
        texts = pdf_page_texts(f.data or b"")
        return "\n".join(texts[0].split("\n")[:6]) if texts else ""
    return ""


def _first_match(text: str, patterns: dict[str, str]) -> str | None:
    best: tuple[int, str] | None = None
    for role, pattern in patterns.items():
        m = re.search(pattern, text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), role)
    return best[1] if best else None


def classify(f: PlannedFile, parts: FormParts) -> str | None:
    """declaration, licence, table, report or None (left as it is), by the file's name, or by its
    title when the name says nothing (材料2.xlsx)."""
    stem, ext = _stem(f.name), _ext(f.name)
    if ext in ("jpg", "jpeg", "png"):
        return "licence" if "营业执照" in stem else None
    if ext == "pdf":
        texts = pdf_page_texts(f.data or b"")
        if not texts or not any(t.strip() for t in texts):
            return None  # unreadable, or already a scan (an image-only PDF)
    elif ext not in ("docx", "xlsx"):
        return None
    patterns = {"declaration": DECLARATION.pattern, "table": parts.table, "report": parts.report}
    if "营业执照" in stem:
        return "licence"
    if not PLAIN_NAME.match(stem):
        return _first_match(stem, patterns)
    return _first_match(head_text(f), patterns)


def choose(files: list[PlannedFile], form: str, reports: bool = False) -> list[Choice]:
    """The files of a package to scan, and how (see the module's docstring)."""
    parts = FORMS.get(form, DEFAULT_PARTS)
    roles = {i: classify(f, parts) for i, f in enumerate(files)}
    chosen: dict[int, Choice] = {}
    for i, role in roles.items():
        if role in ("declaration", "licence", "table"):
            chosen[i] = Choice(i, role, seal=role in ("declaration", "table"))
    has = set(roles.values())
    if "declaration" not in has:
        # a document that carries the 承诺 and asks for a seal is the declaration (湖北 附件1)
        for i, f in enumerate(files):
            if roles[i] == "report" or _ext(f.name) not in ("docx", "xlsx"):
                continue
            text = office_text(f.name, f.data or b"")
            if re.search(r"承诺|声明", text) and SEAL_ASKED.search(text):
                chosen[i] = Choice(i, "declaration", seal=True)
                has.add("declaration")
    for i, role in roles.items():
        if role != "report":
            continue
        if reports:
            chosen[i] = Choice(i, "report", seal=True)
            continue
        markers = []
        if "table" not in has:
            markers.append(parts.table)
        if "declaration" not in has:
            markers.append(r"(?s)(?:承诺|声明).*(?:盖章|公章)")
        if markers:
            chosen[i] = Choice(i, "report", whole=False, markers=markers, seal=True)
    return [chosen[i] for i in sorted(chosen)]


# ---------------------------------------------------------------- LibreOffice


def _text_width(text: str) -> float:
    """Width in Excel column units (a digit of the default font): a CJK character two."""
    return sum(2.05 if ord(ch) >= 0x2E80 else 1.1 for ch in text)


def _fit_row_heights(ws) -> None:
    """Rows as tall as their wrapped text, as Excel makes them when the filer types: a workbook
    written by openpyxl states no heights, and LibreOffice then prints one line per row, the rest
    of a wrapped cell cut off."""
    from openpyxl.utils import get_column_letter

    def col_width(c: int) -> float:
        dim = ws.column_dimensions.get(get_column_letter(c))
        return dim.width if dim is not None and dim.width else 8.43

    spans = {}
    for rng_ in ws.merged_cells.ranges:
        spans[(rng_.min_row, rng_.min_col)] = (rng_.max_row - rng_.min_row + 1, rng_.min_col, rng_.max_col)
    need: dict[int, float] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or not hasattr(cell, "column"):
                continue
            rows, c0, c1 = spans.get((cell.row, cell.column), (1, cell.column, cell.column))
            width = sum(col_width(c) for c in range(c0, c1 + 1)) - 0.6
            lines = sum(max(1, math.ceil(_text_width(part) / max(width, 1.0))) for part in str(cell.value).split("\n"))
            size = float(cell.font.sz or 11) if cell.font is not None else 11.0
            height = lines * size * 1.32 + 3
            for r in range(cell.row, cell.row + rows):
                need[r] = max(need.get(r, 0.0), height / rows)
    for r, h in need.items():
        ws.row_dimensions[r].height = round(max(h, 15.0), 1)


def printable_xlsx(data: bytes) -> bytes:
    """The workbook as a filer prints it: each sheet fitted to the page width (landscape when
    wide), its grid printed."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        _fit_row_heights(ws)
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if (ws.max_column or 0) > 6 else "portrait"
        ws.print_options.gridLines = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def office_to_pdf(documents: dict[str, tuple[str, bytes]], timeout: float = 900) -> dict[str, bytes]:
    """{key: (ext, bytes)} of .docx/.xlsx files -> {key: PDF bytes}, in one LibreOffice call per
    40 files, sandboxed as extractor/readers/legacy.py converts submitted files (fresh profile
    with links and macros off, no network where the machine allows it, own HOME and TMPDIR).
    A document LibreOffice does not export is missing from the result."""
    from extractor.readers.legacy import sandbox_env, sandbox_prefix, soffice, write_profile

    if not documents:
        return {}
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: scanned twins need it")
    result: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="shencha-scan-") as tmp:
        box = Path(tmp)
        src_dir, out_dir = box / "src", box / "out"
        src_dir.mkdir()
        names: dict[str, str] = {}
        for n, (key, (ext, data)) in enumerate(sorted(documents.items())):
            name = f"doc{n:04d}"
            (src_dir / f"{name}.{ext}").write_bytes(printable_xlsx(data) if ext == "xlsx" else data)
            names[name] = key
        sources = sorted(src_dir.iterdir())
        for start in range(0, len(sources), 40):
            profile = box / f"profile{start}"
            write_profile(profile)
            cmd = [exe, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                   f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf", "--outdir", str(out_dir),
                   *map(str, sources[start:start + 40])]
            proc = subprocess.Popen(sandbox_prefix() + cmd, cwd=box, env=sandbox_env(box), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                proc.wait(timeout=timeout)
            except BaseException:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                proc.wait()
                raise
        for name, key in names.items():
            pdf = out_dir / f"{name}.pdf"
            if pdf.exists() and pdf.stat().st_size:
                result[key] = normalise_pdf(pdf.read_bytes())
    return result


# ---------------------------------------------------------------- the seal


RED = (205, 30, 40)


def _mm(v: float, dpi: float = DPI) -> float:
    return v / 25.4 * dpi


def seal_ink(name: str, rng: random.Random, diameter_mm: float = 42, dpi: float = DPI) -> Image.Image:
    """The ink of a round official seal (L image, 255 = full ink): a ring, a five-pointed star,
    the unit's name along the upper arc, turned a little as a hand stamps it."""
    r = _mm(diameter_mm, dpi) / 2
    size = int(2 * r * 1.25) | 1
    c = size / 2
    ink = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(ink)
    stroke = max(2, round(_mm(1.0, dpi)))
    d.ellipse((c - r, c - r, c + r, c + r), outline=255, width=stroke)
    star = []
    for k in range(10):
        rr = r * 0.34 if k % 2 == 0 else r * 0.34 * 0.38
        t = math.radians(90 + 36 * k)
        star.append((c + rr * math.cos(t), c - 0.05 * r - rr * math.sin(t)))
    d.polygon(star, fill=255)
    ch = r * 0.24
    f = font(max(8, round(ch)))
    name = name[:18]
    span = min(250.0, 22.0 * len(name))
    for k, glyph in enumerate(name):
        phi = math.radians(90 + span / 2 - span * (k + 0.5) / len(name))
        px = c + (r - stroke - ch * 0.62) * math.cos(phi)
        py = c - (r - stroke - ch * 0.62) * math.sin(phi)
        tile = Image.new("L", (int(ch * 1.6), int(ch * 1.6)), 0)
        ImageDraw.Draw(tile).text((tile.width / 2, tile.height / 2), glyph, font=f, fill=255, anchor="mm")
        tile = tile.rotate(math.degrees(phi) - 90, resample=Image.Resampling.BICUBIC)
        ink.paste(255, (int(px - tile.width / 2), int(py - tile.height / 2)), tile)
    return ink.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC)


def stamp(page: Image.Image, ink: Image.Image, centre: tuple[float, float], colour=RED, strength: float = 0.9) -> Image.Image:
    """The page with the ink multiplied in (red over black text stays black, as on paper)."""
    arr = np.asarray(page.convert("RGB")).astype(np.float32)
    alpha = np.zeros(arr.shape[:2], np.float32)
    x0, y0 = round(centre[0] - ink.width / 2), round(centre[1] - ink.height / 2)
    ix0, iy0 = max(0, -x0), max(0, -y0)
    px0, py0 = max(0, x0), max(0, y0)
    w, h = min(page.width - px0, ink.width - ix0), min(page.height - py0, ink.height - iy0)
    if w > 0 and h > 0:
        alpha[py0:py0 + h, px0:px0 + w] = np.asarray(ink).astype(np.float32)[iy0:iy0 + h, ix0:ix0 + w] / 255 * strength
    tint = 1 - alpha[..., None] * (1 - np.array(colour, np.float32) / 255)
    return Image.fromarray(np.clip(arr * tint, 0, 255).astype(np.uint8))


ORG = re.compile(r"[\u4e00-\u9fff]{2,30}?(?:有限责任公司|股份有限公司|有限公司|管理委员会|应急管理局|"
                 r"市场监督管理局|工业和信息化局|经济和信息化厅|管理局|园区|开发区)")


def seal_name(text: str) -> str:
    """Whose seal: the unit the signature block names (its last lines: a 证明's issuer, 单位名称：X
    （公章）), else the unit the text speaks for (我单位X), else the first organisation named."""
    for line in [ln for ln in text.splitlines() if ln.strip()][-4:][::-1]:
        if len(line) > 40:
            continue
        line = re.sub(r"^.*?[：:]", "", line)
        m = ORG.search(line)
        if m:
            return m.group(0)
    m = re.search(r"(?:我单位|本单位)([^\s（(，,]{4,40})", text)
    if m and ORG.search(m.group(1)):
        return ORG.search(m.group(1)).group(0)
    m = ORG.search(text)
    return m.group(0) if m else "申报单位"


def _seal_centre(page, scale: float) -> tuple[float, float]:
    """Where the seal goes on a rendered page (pixels): over the 盖章/公章 label, else under the
    page's last line of text, to the right."""
    width, height = page.get_size()
    tp = page.get_textpage()
    try:
        for word in ("盖章", "公章", "签章"):
            searcher = tp.search(word)
            hit = searcher.get_next()
            searcher.close()
            if hit:
                left, bottom, right, top = tp.get_charbox(hit[0] + hit[1] - 1)
                x = min(right + _mm(18, 72), width - _mm(32, 72))
                return x * scale, (height - (bottom + top) / 2) * scale
        n = tp.count_chars()
        for k in range(n - 1, -1, -1):
            left, bottom, right, top = tp.get_charbox(k)
            if right > left:
                x = min(max(right - _mm(20, 72), width * 0.55), width - _mm(32, 72))
                return x * scale, (height - bottom + _mm(4, 72)) * scale
    finally:
        tp.close()
    return width * 0.7 * scale, height * 0.75 * scale


# ---------------------------------------------------------------- degrading


@dataclass
class Scanner:
    """One pass through one scanner: the paper, the tilt range and the settings stay the same
    for every page of a document; each page gets its own tilt and noise."""

    rng: random.Random
    grey: bool = False
    quality: int = 75
    paper: tuple[int, int, int] = (246, 243, 234)
    blur: float = 0.7

    @classmethod
    def pick(cls, rng: random.Random, may_be_grey: bool) -> Scanner:
        base = rng.uniform(236, 250)
        paper = (round(base), round(base - rng.uniform(1, 5)), round(base - rng.uniform(5, 14)))
        return cls(rng, grey=may_be_grey and rng.random() < 0.3, quality=rng.randint(60, 85), paper=paper,
                   blur=rng.uniform(0.45, 1.0))

    def degrade(self, page: Image.Image) -> Image.Image:
        arr = np.asarray(page.convert("RGB")).astype(np.float32)
        arr *= np.array(self.paper, np.float32) / 255.0  # tinted paper; black stays black
        noise = np.random.default_rng(self.rng.getrandbits(32)).normal(0.0, self.rng.uniform(2.0, 5.0), arr.shape[:2])
        arr += noise[..., None].astype(np.float32)
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        angle = self.rng.uniform(-1.5, 1.5)
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=self.paper)
        img = img.filter(ImageFilter.GaussianBlur(self.blur))
        return img.convert("L") if self.grey else img


def render_pages(data: bytes, indices: list[int] | None = None, dpi: float = DPI):
    """(index, PIL RGB image, pdfium page) of the PDF's pages, rendered at `dpi`; the page is
    closed after the caller moves on."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        for i in (range(len(pdf)) if indices is None else indices):
            page = pdf[i]
            try:
                bitmap = page.render(scale=dpi / 72.0)
                img = bitmap.to_pil().convert("RGB")
                bitmap.close()
                yield i, img, page
            finally:
                page.close()
    finally:
        pdf.close()


def image_pdf(pages: list[Image.Image], quality: int, dpi: float = DPI) -> bytes:
    """An image-only PDF as a scanner writes it (no text layer), `dpi` pixels an inch."""
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi), quality=quality,
                  creationDate=FIXED_DATE.timetuple(), modDate=FIXED_DATE.timetuple(), producer="Scanner",
                  title="scan")
    return out.getvalue()


def jpeg_bytes(page: Image.Image, quality: int, dpi: float = DPI) -> bytes:
    out = io.BytesIO()
    page.save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
    return out.getvalue()


def scan_pdf(data: bytes, rng: random.Random, *, pages: list[int] | None = None, sealed: set[int] = frozenset(),
             seal_text: str = "申报单位", may_be_grey: bool = True) -> tuple[list[Image.Image], Scanner]:
    """The scanned images of a PDF's pages (all, or `pages`), the `sealed` ones stamped."""
    scanner = Scanner.pick(rng, may_be_grey and not sealed)
    out = []
    for i, img, page in render_pages(data, pages):
        if i in sealed:
            ink = seal_ink(seal_text, rng)
            img = stamp(img, ink, _seal_centre(page, DPI / 72.0), strength=rng.uniform(0.8, 0.95))
        out.append(scanner.degrade(img))
    return out, scanner


def scan_pdf_bytes(data: bytes, rng: random.Random, **kw) -> bytes:
    """A whole PDF scanned into an image-only PDF (the benchmark's long report)."""
    images, scanner = scan_pdf(data, rng, **kw)
    return image_pdf(images, scanner.quality)


def with_continuations(data: bytes, pages: list[int]) -> list[int]:
    """`pages` and the pages after each that their tables run on to: a page with rulings near its
    top (within a couple of lines of its first text) whose first line opens no new section."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    pdf = pypdfium2.PdfDocument(data)
    try:
        out = set(pages)
        for i in pages:
            j = i + 1
            while j < len(pdf) and j not in out:
                page = pdf[j]
                try:
                    rulings = [o.get_bounds()[3] for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])]
                    texts = [o.get_bounds()[3] for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT])]
                    tp = page.get_textpage()
                    first = tp.get_text_range().strip().split("\n", 1)[0]
                    tp.close()
                finally:
                    page.close()
                if not rulings or not texts or max(rulings) < max(texts) - 80 or SECTION_START.match(first):
                    break
                out.add(j)
                j += 1
        return sorted(out)
    finally:
        pdf.close()


def merge_pages(original: bytes, scanned: dict[int, bytes]) -> bytes:
    """The original PDF with the pages in `scanned` ({index: one-page image PDF}) replaced."""
    import pypdfium2

    src = pypdfium2.PdfDocument(original)
    dest = pypdfium2.PdfDocument.new()
    opened = []
    try:
        for i in range(len(src)):
            if i in scanned:
                one = pypdfium2.PdfDocument(scanned[i])
                opened.append(one)
                dest.import_pages(one, [0])
            else:
                dest.import_pages(src, [i])
        out = io.BytesIO()
        dest.save(out)
        return normalise_pdf(out.getvalue())
    finally:
        for d in opened:
            d.close()
        dest.close()
        src.close()


def scan_licence(data: bytes, rng: random.Random) -> bytes:
    """A licence picture photocopied on A4 and scanned: a .jpg at 200 dpi."""
    with Image.open(io.BytesIO(data)) as im:
        pic = im.convert("RGB")
    w, h = round(_mm(A4_MM[0])), round(_mm(A4_MM[1]))
    page = Image.new("RGB", (w, h), "white")
    target_w = round(_mm(rng.uniform(165, 180)))
    pic = pic.resize((target_w, round(pic.height * target_w / pic.width)), Image.Resampling.LANCZOS)
    page.paste(pic, ((w - target_w) // 2, round(_mm(rng.uniform(20, 35)))))
    scanner = Scanner.pick(rng, may_be_grey=False)
    return jpeg_bytes(scanner.degrade(page), scanner.quality)


# ---------------------------------------------------------------- a package


def _renamed(path: str, ext: str) -> str:
    head, _, name = path.rpartition("/")
    new = f"{_stem(name)}.{ext}"
    return f"{head}/{new}" if head else new


def scan_files(files: list[PlannedFile], choices: list[Choice], pdfs: dict[int, bytes], rng: random.Random) -> list[str]:
    """Replace the chosen files by their scans (in place); `pdfs` the PDF of each chosen office
    file.  Returns the variant tags of what was scanned."""
    tags: list[str] = []
    for ch in choices:
        f = files[ch.index]
        ext = _ext(f.name)
        if ch.role == "licence":
            if ext == "pdf":
                images_, scanner = scan_pdf(f.data or b"", rng, may_be_grey=False)
                f.data, f.path = image_pdf(images_, scanner.quality), _renamed(f.path, "pdf")
            else:
                f.data, f.path = scan_licence(f.data or b"", rng), _renamed(f.path, "jpg")
            tags.append("scanned_licence")
            continue
        pdf = f.data if ext == "pdf" else pdfs.get(ch.index)
        if not pdf:
            continue  # LibreOffice did not export it: left as it was
        texts = pdf_page_texts(pdf) or []
        wanted = list(range(len(texts)))
        if not ch.whole:
            wanted = [i for i, t in enumerate(texts) if not TOC.search(t) and any(re.search(m, t) for m in ch.markers)]
            if not wanted:
                continue
            wanted = with_continuations(pdf, wanted)
        sealed: set[int] = set()
        if ch.seal:
            asks = {i for i in wanted if (SEAL_ASKED.search(texts[i]) and re.search(r"承诺|声明|证明", texts[i]))
                    or SEALED_COVER.search(texts[i])}
            sealed = asks or ({wanted[-1]} if ch.role == "declaration" and wanted else set())
        who = seal_name("\n".join(texts[i] for i in sorted(sealed)) or "\n".join(texts))
        images_, scanner = scan_pdf(pdf, rng, pages=wanted, sealed=sealed, seal_text=who,
                                    may_be_grey=ch.role != "declaration")
        if ch.whole:
            if len(images_) == 1 and ch.role == "declaration" and rng.random() < 0.35:
                f.data, f.path = jpeg_bytes(images_[0], scanner.quality), _renamed(f.path, "jpg")
            else:
                f.data, f.path = image_pdf(images_, scanner.quality), _renamed(f.path, "pdf")
        else:
            f.data = merge_pages(pdf, {i: image_pdf([img], scanner.quality) for i, img in zip(wanted, images_)})
            f.path = _renamed(f.path, "pdf")
        f.pdf_from_docx = None
        tag = {"declaration": "scanned_declaration", "table": "scanned_table", "report": "scanned_report"}[ch.role]
        if not ch.whole:
            tag = "scanned_report_pages"
        tags.append(tag)
        if scanner.grey:
            tags.append("scanned_grey")
    return sorted(set(tags))


def scan_built(built: list, seed: int, reports: bool = False) -> dict[str, list[str]]:
    """Turn every package of `built` (`corpus.generate.BuiltPackage`s, their PDFs already
    exported) into its scanned twin, in place; returns {pid: tags}."""
    plans = {b.pid: choose(b.files, b.form, reports) for b in built}
    pending: dict[str, tuple[str, bytes]] = {}
    for b in built:
        for ch in plans[b.pid]:
            f = b.files[ch.index]
            if _ext(f.name) in ("docx", "xlsx") and f.data:
                pending[f"{b.pid}#{ch.index}"] = (_ext(f.name), f.data)
    pdfs = office_to_pdf(pending)
    out: dict[str, list[str]] = {}
    for b in built:
        rng = random.Random(f"{seed}:{b.pid}:scan")
        mine = {ch.index: pdfs[k] for ch in plans[b.pid] if (k := f"{b.pid}#{ch.index}") in pdfs}
        out[b.pid] = scan_files(b.files, plans[b.pid], mine, rng)
    return out


def generate_scanned(out_dir: Path, seed: int, count: int, manifest_path: Path | None = None, pdf: bool = True,
                     reports: bool = False, only: list[str] | None = None, extra_forms: bool = True) -> list[dict]:
    """Write the scanned twins of the packages `corpus.generate.generate` would write (or of
    those named in `only`) into `out_dir` (emptied first), with their manifest (default
    `out_dir/manifest.json`: the scanned set never overwrites the text set's)."""
    from corpus.generate import build_all
    from corpus.generate import empty_dir, export_pdfs

    out_dir = Path(out_dir)
    manifest_path = Path(manifest_path) if manifest_path else out_dir / "manifest.json"
    built = build_all(seed, count, pdf, extra_forms)
    if only:
        unknown = set(only) - {b.pid for b in built}
        if unknown:
            raise ValueError(f"no such package: {', '.join(sorted(unknown))}")
        built = [b for b in built if b.pid in only]
    export_pdfs(built)
    tags = scan_built(built, seed, reports)
    empty_dir(out_dir)
    manifest = []
    for b in built:
        name = write_package(out_dir, b.pid, b.files, b.container)
        entry = {"package": name, "form": b.form, "clean": not b.expected, "expected": b.expected,
                 "variants": [*b.variants, "scanned", *tags[b.pid]]}
        if b.allowed:
            entry["allowed"] = b.allowed
        manifest.append(entry)
    manifest.sort(key=lambda e: e["package"])
    manifest_path.parent.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest
