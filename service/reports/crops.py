"""Crops of the original pages: where on a scan a finding's figure sits, as the submitter inked it.

A location read by OCR (or a seal found on a page) carries `box`: `(x0, top, x1, bottom)` in PDF
points of the page as displayed; for an image file, its pixels at its stated resolution (72 dpi
when none) — see docs/report-schema.md.  `crop_png` cuts that box, plus a margin, out of the
file and returns it as a small PNG: a PDF page is rendered by pdfium for the region only (its
/Rotate applied, as the OCR saw it), an image frame is taken upright (EXIF orientation) exactly
as `extractor.ocr.render.image_pages` gives it to the OCR.  A thin blue frame is drawn in the
margin around the box, never over it, so the ink itself is untouched.

Bounds: the output is at most `MAX_PX` pixels a side and at most `MAX_DPI`; a PDF renders only
the region (memory bounded by the output); an image file larger than `IMAGE_MAX_PIXELS` (and the
OCR's own `MAX_DECODED_PIXELS`; a JPEG is exempt, it decodes reduced) is not cropped.  Only files
the review read are cropped, and the endpoint only crops boxes the report names, that is pages the
OCR or the seal search already rendered within the readers' time and memory limits.  pdfium is not thread-safe, so rendering is
serialised (`extractor.pdfium_lock.PDFIUM_LOCK`, shared with every other pdfium use of the process).  Anything that cannot be rendered gives None, never an exception.

Who uses it:

- the standalone HTML report (`service.reports.html_report.render_html(..., file_bytes=…)`) embeds a
  crop beside each finding with a box, as a `data:image/png` image (`ReportCrops`: per build,
  bounded in number and bytes);
- the web page shows the same crops from `GET /api/packages/{id}/crop` (`stored_crop`), which
  only crops boxes the package's own report names.

File bytes come from a callable `file_bytes(path_in_package) -> bytes | None`: the CLI's is
`package_source(path)` (the package re-read from disk), the service's `stored_source(…)` (the
blob store: an uploaded file by its digest, a member of an uploaded zip by expanding the upload
as the review did).  Bytes are checked against the report's sha256 before use.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import math
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from extractor.pdfium_lock import PDFIUM_LOCK

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from service.store.db import Package
    from service.store.blobs import BlobStore

log = logging.getLogger("shencha.crops")

Box = tuple[float, float, float, float]
FileBytes = Callable[[str], "bytes | None"]

MARGIN_PT = 18.0  # a quarter inch of context around the box
MAX_MARGIN_PT = 144.0
MAX_PX = 720  # longest side of a crop
MIN_PX, MAX_PX_LIMIT = 32, 2000
MAX_DPI = 200.0  # the OCR's own resolution: more shows nothing more
MAX_COORD = 100_000.0  # points (1389 inches): beyond any page pdfium or a scanner makes
IMAGE_MAX_PIXELS = 80_000_000  # an image frame decoded whole to be cropped (JPEG: decoded reduced)
OUTLINE = (21, 101, 192)  # the reports' "info" blue: distinct from red seals and black ink
CROPPABLE_TYPES = ("pdf", "image")

# per report build (the HTML report)
MAX_REPORT_CROPS = 120
MAX_REPORT_CROP_BYTES = 16 * 1024 * 1024
MAX_REPORT_CROP_SECONDS = 90.0
MAX_CROPS_PER_FINDING = 3



# ---------------------------------------------------------------- boxes


def clean_box(box: Any) -> Box | None:
    """A box as 4 finite, non-negative floats with x0 < x1 and top < bottom, within MAX_COORD; else None."""
    try:
        if box is None or isinstance(box, (str, bytes)) or len(box) != 4:
            return None
        x0, top, x1, bottom = (float(v) for v in box)
    except (TypeError, ValueError):
        return None
    values = (x0, top, x1, bottom)
    if not all(math.isfinite(v) and 0.0 <= v <= MAX_COORD for v in values):
        return None
    if not (x0 < x1 and top < bottom):
        return None
    return values


def parse_box(text: str) -> Box:
    """'x0,top,x1,bottom' -> the box; ValueError (Chinese) when it is not one."""
    parts = text.split(",")
    if len(parts) != 4:
        raise ValueError("box 应为 x0,top,x1,bottom 四个数")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise ValueError("box 应为 x0,top,x1,bottom 四个数") from None
    box = clean_box(values)
    if box is None:
        raise ValueError(f"box 无效：应满足 0 ≤ x0 < x1 ≤ {MAX_COORD:g}，0 ≤ top < bottom ≤ {MAX_COORD:g}（单位：点）")
    return box


def box_text(box: Sequence[float]) -> str:
    """The box as the crop endpoint takes it: '12.5,30,80.25,44'."""
    return ",".join(_number(v) for v in box)


def _number(v: float) -> str:
    text = f"{float(v):.3f}".rstrip("0").rstrip(".")
    return text or "0"


def same_box(a: Sequence[float], b: Sequence[float]) -> bool:
    return all(abs(float(x) - float(y)) <= 0.0015 for x, y in zip(a, b))


def _region(box: Box, margin: float, width: float, height: float) -> Box | None:
    """The box plus its margin, clipped to the page; None when the box is not on the page."""
    x0, top, x1, bottom = box
    if x0 >= width or top >= height:
        return None
    rx0, rtop = max(0.0, x0 - margin), max(0.0, top - margin)
    rx1, rbottom = min(width, x1 + margin), min(height, bottom + margin)
    if rx1 - rx0 < 0.5 or rbottom - rtop < 0.5:
        return None
    return rx0, rtop, rx1, rbottom


# ---------------------------------------------------------------- one crop


def crop_png(file_bytes: bytes, file_type: str, page: int, box: Sequence[float],
             margin_pt: float = MARGIN_PT, max_px: int = MAX_PX, outline: bool = True) -> bytes | None:
    """PNG bytes of `box` (plus `margin_pt` points around it) on page `page` (1-based) of a PDF
    or an image file (`file_type` "pdf" or "image", a frame of a multi-page TIFF); scaled to at
    most `max_px` pixels a side and MAX_DPI.  None for anything that cannot be rendered: another
    type, a page or box not on the file, a damaged or encrypted file, an image too large."""
    clean = clean_box(box)
    if clean is None or not file_bytes or file_type not in CROPPABLE_TYPES:
        return None
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        return None
    try:
        margin = min(max(float(margin_pt), 0.0), MAX_MARGIN_PT)
        limit = int(min(max(int(max_px), MIN_PX), MAX_PX_LIMIT))
    except (TypeError, ValueError):
        return None
    if not math.isfinite(margin):
        return None
    try:
        with PDFIUM_LOCK:
            if file_type == "pdf":
                cut = _pdf_crop(file_bytes, page, clean, margin, limit)
            else:
                cut = _image_crop(file_bytes, page, clean, margin, limit)
        if cut is None:
            return None
        img, mark = cut
        if outline and margin > 0:
            _frame(img, mark)
        out = io.BytesIO()
        img.save(out, "PNG", compress_level=6)
        return out.getvalue()
    except Exception:  # noqa: BLE001 - a file that will not render has no crop, never an error page
        log.debug("no crop of page %s", page, exc_info=True)
        return None


def _pdf_crop(data: bytes, page: int, box: Box, margin: float, limit: int):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        if page > len(pdf):
            return None
        p = pdf[page - 1]
        try:
            width, height = p.get_size()  # as displayed: /Rotate applied
            region = _region(box, margin, width, height)
            if region is None:
                return None
            rx0, rtop, rx1, rbottom = region
            scale = min(MAX_DPI / 72.0, limit / max(rx1 - rx0, rbottom - rtop))
            # pdfium's crop is in points cut off each side (left, bottom, right, top) of the
            # page as displayed; the bitmap is the region only
            bitmap = p.render(scale=scale, crop=(rx0, height - rbottom, width - rx1, rtop), draw_annots=True)
            try:
                img = bitmap.to_pil().convert("RGB")
            finally:
                bitmap.close()
        finally:
            p.close()
    finally:
        pdf.close()
    x0, top, x1, bottom = box
    mark = ((x0 - rx0) * scale, (top - rtop) * scale, (x1 - rx0) * scale, (bottom - rtop) * scale)
    return img, mark


def _image_crop(data: bytes, page: int, box: Box, margin: float, limit: int):
    from PIL import Image

    from extractor.ocr.render import MAX_DECODED_PIXELS, _page_of_frame  # the frame exactly as the OCR saw it

    with Image.open(io.BytesIO(data)) as img:
        w, h = img.size
        if w * h > min(IMAGE_MAX_PIXELS, MAX_DECODED_PIXELS) and img.format != "JPEG":
            return None  # before counting frames: that decodes them
        if page > getattr(img, "n_frames", 1):
            return None
        if page > 1:
            img.seek(page - 1)
        frame = _page_of_frame(img)
    ppp = frame.points_per_pixel
    rows, cols = frame.rgb.shape[:2]
    region = _region(box, margin, cols * ppp, rows * ppp)
    if region is None:
        return None
    rx0, rtop, rx1, rbottom = region
    px0, py0 = int(math.floor(rx0 / ppp)), int(math.floor(rtop / ppp))
    px1, py1 = min(cols, int(math.ceil(rx1 / ppp))), min(rows, int(math.ceil(rbottom / ppp)))
    if px1 <= px0 or py1 <= py0:
        return None
    cut = Image.fromarray(frame.rgb[py0:py1, px0:px1])
    del frame
    # never enlarged (the scan's own pixels), at most MAX_DPI and `limit` pixels a side
    scale = min(1.0, limit / max(cut.size), MAX_DPI / 72.0 * ppp)
    if scale < 1.0:
        size = (max(1, round(cut.width * scale)), max(1, round(cut.height * scale)))
        cut = cut.resize(size, Image.LANCZOS, reducing_gap=2.0)
    else:
        scale = 1.0
    k = scale / ppp  # output pixels per point
    x0, top, x1, bottom = box
    ox, oy = px0 * ppp, py0 * ppp
    mark = ((x0 - ox) * k, (top - oy) * k, (x1 - ox) * k, (bottom - oy) * k)
    return cut, mark


def _frame(img, mark: tuple[float, float, float, float]) -> None:
    """A thin frame just outside the box, where it fits inside the crop."""
    from PIL import ImageDraw

    w, h = img.size
    gap = max(3, round(min(w, h) / 80))
    x0, y0 = math.floor(mark[0]) - gap, math.floor(mark[1]) - gap
    x1, y1 = math.ceil(mark[2]) + gap - 1, math.ceil(mark[3]) + gap - 1
    if x0 < 0 and y0 < 0 and x1 >= w and y1 >= h:
        return  # the box fills the crop: nothing to point at
    ImageDraw.Draw(img).rectangle((x0, y0, x1, y1), outline=OUTLINE, width=max(1, gap // 2 + 1))


# ---------------------------------------------------------------- caches


class ByteCache:
    """A thread-safe LRU of bytes values, bounded by their total size (one value at most `max_item`)."""

    def __init__(self, max_bytes: int, max_item: int | None = None) -> None:
        self.max_bytes = max_bytes
        self.max_item = max_item if max_item is not None else max_bytes
        self._items: OrderedDict[Any, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Any) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: bytes) -> None:
        if len(value) > self.max_item:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._items[key] = value
            self._size += len(value)
            while self._size > self.max_bytes and self._items:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


# PNG crops by (file sha256, page, box, margin, max px): content-addressed, so shared by every
# user who may see a package holding that file (the caller checks the scope first)
CROP_CACHE = ByteCache(16 * 1024 * 1024, 2 * 1024 * 1024)
# file bytes by sha256, of members of uploaded archives (expanding an archive for each crop of
# the web page would be slow): a few files, never a large one
FILE_CACHE = ByteCache(128 * 1024 * 1024, 48 * 1024 * 1024)
_EXPAND_LOCK = threading.Lock()


def cached_crop(data: bytes, sha256: str | None, file_type: str, page: int, box: Box,
                margin_pt: float = MARGIN_PT, max_px: int = MAX_PX) -> bytes | None:
    """`crop_png`, remembered in CROP_CACHE under the file's digest."""
    digest = sha256 or hashlib.sha256(data).hexdigest()
    key = (digest, file_type, page, tuple(round(v, 3) for v in box), margin_pt, max_px)
    png = CROP_CACHE.get(key)
    if png is None:
        png = crop_png(data, file_type, page, box, margin_pt, max_px)
        if png is not None:
            CROP_CACHE.put(key, png)
    return png


# ---------------------------------------------------------------- report locations with boxes


def boxed_locations(report: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every location object in the report that carries a box (findings, fields, licences,
    tables, and whatever section adds located boxes later)."""
    stack: list[Any] = [report]
    while stack:
        value = stack.pop()
        if isinstance(value, Mapping):
            if isinstance(value.get("file"), str) and value.get("box") is not None:
                yield value
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def report_files(report: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {f["path"]: f for f in (report.get("package") or {}).get("files") or [] if isinstance(f, Mapping) and "path" in f}


def croppable(entry: Mapping[str, Any] | None) -> bool:
    """A report file entry whose pages can be cropped: a PDF or image the review read."""
    return bool(entry) and entry.get("type") in CROPPABLE_TYPES and not entry.get("error")


def location_page(loc: Mapping[str, Any], file_type: str) -> int | None:
    page = loc.get("page")
    if isinstance(page, int) and not isinstance(page, bool) and page >= 1:
        return page
    return 1 if page is None and file_type == "image" else None


def crop_files(report: Mapping[str, Any]) -> set[str]:
    """The paths of the files the report's findings crop."""
    files = report_files(report)
    return {
        loc["file"]
        for f in report.get("findings") or []
        for loc in f.get("locations") or []
        if loc.get("box") is not None and croppable(files.get(loc["file"]))
    }


def caption(page: int | None) -> str:
    return f"原件第{page or 1}页截图"


class ReportCrops:
    """The crops one build of the HTML report embeds: each at most once (cached by location),
    the file bytes asked for once per file and checked against the report's sha256, and the
    whole bounded by MAX_REPORT_CROPS, MAX_REPORT_CROP_BYTES and MAX_REPORT_CROP_SECONDS."""

    def __init__(self, report: Mapping[str, Any], file_bytes: FileBytes, *, max_crops: int = MAX_REPORT_CROPS,
                 max_bytes: int = MAX_REPORT_CROP_BYTES, seconds: float = MAX_REPORT_CROP_SECONDS) -> None:
        self.files = report_files(report)
        self.file_bytes = file_bytes
        self.max_crops, self.max_bytes = max_crops, max_bytes
        self.deadline = time.monotonic() + seconds
        self._data: dict[str, bytes | None] = {}
        self._crops: dict[tuple, dict[str, Any] | None] = {}
        self.count = 0
        self.bytes = 0

    def _bytes_of(self, path: str) -> bytes | None:
        if path not in self._data:
            data = None
            try:
                data = self.file_bytes(path)
            except Exception:  # noqa: BLE001 - a source that fails gives no crops, not a failed report
                log.debug("no bytes for %s", path, exc_info=True)
            expected = (self.files.get(path) or {}).get("sha256")
            if data is not None and expected and hashlib.sha256(data).hexdigest() != expected:
                data = None  # not the file the report was made from
            self._data[path] = data
        return self._data[path]

    def crop(self, loc: Mapping[str, Any]) -> dict[str, Any] | None:
        """{"src": data URI, "caption", "file", "page", "alt"} for a location with a box, else None."""
        entry = self.files.get(loc.get("file"))  # type: ignore[arg-type]
        box = clean_box(loc.get("box"))
        if box is None or not croppable(entry):
            return None
        page = location_page(loc, entry["type"])  # type: ignore[index]
        if page is None:
            return None
        key = (loc["file"], page, box)
        if key in self._crops:
            return self._crops[key]
        view = None
        if self.count < self.max_crops and self.bytes < self.max_bytes and time.monotonic() < self.deadline:
            data = self._bytes_of(loc["file"])
            png = cached_crop(data, entry.get("sha256"), entry["type"], page, box) if data else None  # type: ignore[union-attr,index]
            if png is not None and self.bytes + len(png) <= self.max_bytes:
                self.count += 1
                self.bytes += len(png)
                view = {
                    "src": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                    "caption": caption(page),
                    "file": loc["file"],
                    "page": page,
                    "alt": f"{loc['file']} {caption(page)}",
                }
        self._crops[key] = view
        return view


def finding_crops(locations: Iterable[Mapping[str, Any]], make: Callable[[Mapping[str, Any]], dict[str, Any] | None],
                  limit: int = MAX_CROPS_PER_FINDING) -> list[dict[str, Any]]:
    """The crops of a finding's boxed locations, each place once, at most `limit`."""
    out: list[dict[str, Any]] = []
    seen: list[tuple[str, Any, Box]] = []
    for loc in locations:
        box = clean_box(loc.get("box"))
        if box is None:
            continue
        place = (loc.get("file"), loc.get("page"), box)
        if any(p[0] == place[0] and p[1] == place[1] and same_box(p[2], box) for p in seen):
            continue
        seen.append(place)
        view = make(loc)
        if view is not None:
            out.append(view)
            if len(out) >= limit:
                break
    return out


# ---------------------------------------------------------------- where the bytes come from


def package_source(path: Any, wanted: set[str] | None = None) -> FileBytes:
    """Bytes of a package on disk by path in the package (`shencha check`): the package is loaded
    again on first use, as the review loaded it, keeping only the `wanted` files (all PDFs and
    images when None)."""
    kept: dict[str, bytes] = {}
    loaded = False

    def get(file: str) -> bytes | None:
        nonlocal loaded
        if not loaded:
            loaded = True
            from extractor.package import load_package

            try:
                package = load_package(path)
            except Exception:  # noqa: BLE001 - gone or changed since the review: no crops
                log.debug("package %s not loaded for crops", path, exc_info=True)
                return None
            for pf in package.files:
                if pf.problem is None and (pf.path in wanted if wanted is not None else pf.type in CROPPABLE_TYPES):
                    kept[pf.path] = pf.data
            del package
        return kept.get(file)

    return get


def stored_source(package: "Package", session: "Session", store: "BlobStore",
                  report: Mapping[str, Any], wanted: set[str] | None = None) -> FileBytes:
    """Bytes of a stored package's files by path in the package (the service).  A file that was
    uploaded as itself is its blob (found by digest); a member of an uploaded archive is found by
    expanding the upload exactly as the review did (`workdirs.materialise`, `load_package`), once,
    keeping the `wanted` files (default: those the findings crop) in FILE_CACHE."""
    from sqlalchemy import select

    from service.store.db import PackageFile

    rows = [(f.path, f.sha256, f.type) for f in session.scalars(
        select(PackageFile).where(PackageFile.package_id == package.id).order_by(PackageFile.id))]
    uploaded = {sha for _, sha, _ in rows}
    files = report_files(report)
    wanted = set(wanted) if wanted is not None else crop_files(report)
    name, package_id = package.name, package.id

    def get(file: str) -> bytes | None:
        entry = files.get(file)
        digest = (entry or {}).get("sha256")
        if not digest:
            return None
        if digest in uploaded:
            try:
                data = store.read(digest)
            except (OSError, ValueError):
                return None
            return data if hashlib.sha256(data).hexdigest() == digest else None
        data = FILE_CACHE.get(digest)
        if data is not None:
            return data
        with _EXPAND_LOCK:  # one expansion at a time; the crops that waited find theirs cached
            data = FILE_CACHE.get(digest)
            if data is None:
                data = _expand(package_id, name, rows, store, files, wanted | {file}).get(file)
        return data

    return get


def _expand(package_id: str, name: str, rows: list[tuple[str, str, str]], store: "BlobStore",
            files: Mapping[str, Mapping[str, Any]], wanted: set[str]) -> dict[str, bytes]:
    from extractor.package import load_package
    from service.store import workdirs
    found: dict[str, bytes] = {}
    try:
        with workdirs.job_work_dir(package_id) as folder:
            package = load_package(workdirs.materialise(folder, name, rows, store))
    except Exception:  # noqa: BLE001 - a blob gone or an archive that no longer expands: no crops
        log.debug("package %s not expanded for crops", package_id, exc_info=True)
        return found
    for pf in package.files:
        entry = files.get(pf.path)
        if pf.path in wanted and pf.problem is None and entry and entry.get("sha256") == pf.sha256:
            found[pf.path] = pf.data
            FILE_CACHE.put(pf.sha256, pf.data)
    return found


def stored_crop(package: "Package", session: "Session", store: "BlobStore", report: Mapping[str, Any],
                file: str, page: int, box: Box) -> bytes | None:
    """The PNG crop the crop endpoint serves: only of a box the report names on that file and
    page (a location with that box), else None."""
    entry = report_files(report).get(file)
    if not croppable(entry):
        return None
    named = any(
        loc.get("file") == file
        and location_page(loc, entry["type"]) == page  # type: ignore[index]
        and (b := clean_box(loc.get("box"))) is not None and same_box(b, box)
        for loc in boxed_locations(report)
    )
    if not named:
        return None
    digest = entry.get("sha256")  # type: ignore[union-attr]
    key = (digest, entry["type"], page, tuple(round(v, 3) for v in box), MARGIN_PT, MAX_PX)  # type: ignore[index]
    png = CROP_CACHE.get(key) if digest else None
    if png is not None:
        return png
    data = stored_source(package, session, store, report)(file)
    if data is None:
        return None
    return cached_crop(data, digest, entry["type"], page, box)  # type: ignore[index]


def crop_url(package_id: str, loc: Mapping[str, Any], page: int) -> str:
    from urllib.parse import quote, urlencode

    query = urlencode({"file": loc["file"], "page": page, "box": box_text(loc["box"])}, quote_via=quote)
    return f"/api/packages/{quote(package_id, safe='')}/crop?{query}"


def web_crops(package_id: str, report: Mapping[str, Any], locations: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The web page's crops of a finding: URLs of the crop endpoint, as `finding_crops` picks them."""
    files = report_files(report)

    def make(loc: Mapping[str, Any]) -> dict[str, Any] | None:
        entry = files.get(loc.get("file"))  # type: ignore[arg-type]
        if not croppable(entry):
            return None
        page = location_page(loc, entry["type"])  # type: ignore[index]
        if page is None:
            return None
        return {"src": crop_url(package_id, loc, page), "caption": caption(page), "file": loc["file"], "page": page,
                "alt": f"{loc['file']} {caption(page)}"}

    return finding_crops(locations, make)
