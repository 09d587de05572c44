"""Crops of the original pages beside findings on scans (issue 9, provenance): service/reports/crops.py,
the standalone HTML report, the web page and `GET /api/packages/{id}/crop`.

The scanned page is drawn here (PIL): an A4 page at 150 dpi, white, with a red square at a known
box and a green one elsewhere; it is stored as a PDF, a JPEG, a PNG without a resolution, a
rotated PDF page, a two-page TIFF and a sideways JPEG with its EXIF orientation.  A crop of the
red square's box must show red in the middle, white paper in its margin, and no green.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from service.reports.crops import (
    ByteCache,
    ReportCrops,
    box_text,
    clean_box,
    crop_files,
    crop_png,
    package_source,
    parse_box,
)
from service.reports.html_report import render_html
from tests.test_api import people, service, upload  # noqa: F401  (fixtures)

DPI = 150
PAGE_PX = (1240, 1754)  # A4 at 150 dpi
RED_PX = (300, 450, 450, 600)
GREEN_PX = (900, 1200, 1050, 1350)
PT = 72 / DPI
RED_BOX = tuple(round(v * PT, 1) for v in RED_PX)  # (144, 216, 216, 288) in points
GREEN_BOX = tuple(round(v * PT, 1) for v in GREEN_PX)
RED, GREEN = (220, 0, 0), (0, 160, 0)


def page_image() -> Image.Image:
    img = Image.new("RGB", PAGE_PX, "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((RED_PX[0], RED_PX[1], RED_PX[2] - 1, RED_PX[3] - 1), fill=RED)
    draw.rectangle((GREEN_PX[0], GREEN_PX[1], GREEN_PX[2] - 1, GREEN_PX[3] - 1), fill=GREEN)
    draw.text((100, 100), "SCAN 2024", fill=(0, 0, 0))
    return img


def saved(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


@pytest.fixture(scope="module")
def scan() -> dict[str, bytes]:
    img = page_image()
    return {
        "pdf": saved(img, "PDF", resolution=DPI),
        "jpeg": saved(img, "JPEG", dpi=(DPI, DPI), quality=92),
        "png72": saved(img, "PNG"),  # no resolution: one pixel is one point
    }


def pixels(png: bytes) -> np.ndarray:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def is_red(a: np.ndarray) -> np.ndarray:
    return (a[..., 0] > 170) & (a[..., 1] < 70) & (a[..., 2] < 70)


def is_green(a: np.ndarray) -> np.ndarray:
    return (a[..., 1] > 110) & (a[..., 0] < 70) & (a[..., 2] < 70)


def assert_shows_the_red_square(png: bytes, margin: float = 18.0, side: float = RED_BOX[2] - RED_BOX[0]) -> np.ndarray:
    """The crop is the red box plus its margin: red in the middle, white paper at the corners,
    red over the share of the area the box takes, no green (the other square)."""
    a = pixels(png)
    h, w = a.shape[:2]
    assert is_red(a[h // 2 - 2:h // 2 + 3, w // 2 - 2:w // 2 + 3]).all()
    for y, x in ((1, 1), (1, w - 2), (h - 2, 1), (h - 2, w - 2)):
        assert (a[y, x] > 235).all(), (y, x, a[y, x])
    expected = (side / (side + 2 * margin)) ** 2
    assert abs(is_red(a).mean() - expected) < 0.06, (is_red(a).mean(), expected)
    assert not is_green(a).any()
    return a


# ---------------------------------------------------------------- crop_png


@pytest.mark.parametrize("kind,file_type", [("pdf", "pdf"), ("jpeg", "image")])
def test_crop_shows_the_box_on_a_pdf_and_a_jpeg(scan, kind, file_type):
    a = assert_shows_the_red_square(crop_png(scan[kind], file_type, 1, RED_BOX))
    assert max(a.shape[:2]) <= 720
    # the other square, at its own box
    g = pixels(crop_png(scan[kind], file_type, 1, GREEN_BOX))
    assert is_green(g[g.shape[0] // 2 - 2:g.shape[0] // 2 + 3, g.shape[1] // 2 - 2:g.shape[1] // 2 + 3]).all()
    assert not is_red(g).any()


def test_image_without_resolution_is_in_pixels(scan):
    assert crop_png(scan["png72"], "image", 1, RED_BOX) is not None
    assert_shows_the_red_square(crop_png(scan["png72"], "image", 1, RED_PX), side=RED_PX[2] - RED_PX[0])


def test_blue_frame_drawn_around_the_box_not_over_it(scan):
    a = pixels(crop_png(scan["pdf"], "pdf", 1, RED_BOX))
    blue = (a[..., 2] > 150) & (a[..., 0] < 80)
    assert blue.any()
    assert not (blue & is_red(a)).any()
    ys, xs = np.where(is_red(a))
    inside = blue[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    assert not inside.any()  # the ink itself is untouched
    plain = pixels(crop_png(scan["pdf"], "pdf", 1, RED_BOX, margin_pt=0))
    assert is_red(plain).mean() > 0.9  # without a margin, the box alone and no frame


def test_margin_and_size_bounds(scan):
    small = pixels(crop_png(scan["pdf"], "pdf", 1, RED_BOX, max_px=100))
    assert max(small.shape[:2]) <= 100
    whole = pixels(crop_png(scan["pdf"], "pdf", 1, (0, 0, 595, 841), max_px=10_000))
    assert max(whole.shape[:2]) <= 2000  # capped, whatever the caller asks
    # a huge margin is capped too (2 inches), and clipped at the page's edge
    wide = pixels(crop_png(scan["pdf"], "pdf", 1, RED_BOX, margin_pt=10_000))
    assert wide.shape[0] < PAGE_PX[1]


def test_rotated_pdf_page_is_cropped_as_displayed(scan):
    import pypdfium2 as pdfium

    from extractor.ocr.render import render_pdf_page

    pdf = pdfium.PdfDocument(scan["pdf"])
    pdf[0].set_rotation(90)
    buf = io.BytesIO()
    pdf.save(buf)
    pdf.close()
    data = buf.getvalue()
    # where the OCR sees the red square on the page as displayed
    pdf = pdfium.PdfDocument(data)
    image = render_pdf_page(pdf, 0, dpi=100)
    pdf.close()
    ys, xs = np.where(is_red(image.rgb.astype(int)))
    box = image.to_points((xs.min(), ys.min(), xs.max() + 1, ys.max() + 1))
    assert abs((box[2] - box[0]) - 72) < 2 and box[0] > 500  # turned: now on the right
    assert_shows_the_red_square(crop_png(data, "pdf", 1, box))
    unturned = pixels(crop_png(data, "pdf", 1, RED_BOX))
    assert not is_red(unturned).any()


def test_tiff_frames_and_exif_orientation():
    page = page_image()
    blank = Image.new("RGB", PAGE_PX, "white")
    tiff = saved(blank, "TIFF", save_all=True, append_images=[page], dpi=(DPI, DPI))
    assert_shows_the_red_square(crop_png(tiff, "image", 2, RED_BOX))
    assert not is_red(pixels(crop_png(tiff, "image", 1, RED_BOX))).any()
    assert crop_png(tiff, "image", 3, RED_BOX) is None
    # a phone photo stored sideways, upright by its EXIF orientation (6: turn 90° clockwise)
    exif = Image.Exif()
    exif[0x0112] = 6
    sideways = saved(page.transpose(Image.Transpose.ROTATE_90), "JPEG", dpi=(DPI, DPI), exif=exif, quality=92)
    assert_shows_the_red_square(crop_png(sideways, "image", 1, RED_BOX))


@pytest.mark.parametrize("args", [
    ("pdf", 2, RED_BOX),  # no such page
    ("pdf", 0, RED_BOX),
    ("pdf", 1, (700, 900, 800, 1000)),  # off the page
    ("pdf", 1, (216, 216, 144, 288)),  # inverted
    ("pdf", 1, (float("nan"), 1, 2, 3)),
    ("pdf", 1, (-5, 1, 2, 3)),
    ("pdf", 1, (1, 2, 3)),
    ("pdf", 1, None),
    ("docx", 1, RED_BOX),  # not a page image
])
def test_what_cannot_be_cropped_is_none(scan, args):
    file_type, page, box = args
    assert crop_png(scan["pdf"], file_type, page, box) is None


def test_damaged_or_empty_files_are_none(scan):
    assert crop_png(b"%PDF-1.4 garbage", "pdf", 1, RED_BOX) is None
    assert crop_png(scan["pdf"][:300], "pdf", 1, RED_BOX) is None
    assert crop_png(b"", "image", 1, RED_BOX) is None
    assert crop_png(b"\xff\xd8\xff\xe0 not a jpeg", "image", 1, RED_BOX) is None
    assert crop_png(scan["jpeg"], "pdf", 1, RED_BOX) is None  # the type decides the renderer


def test_box_parsing_and_text():
    assert parse_box("144,216,216,288") == (144.0, 216.0, 216.0, 288.0)
    assert parse_box("0.5,1,2.125,3") == (0.5, 1.0, 2.125, 3.0)
    for bad in ("1,2,3", "a,b,c,d", "5,5,1,1", "1,1,1,1", "1,2,3,4,5", "-1,2,3,4", "1,2,3,1e9", "nan,1,2,3"):
        with pytest.raises(ValueError):
            parse_box(bad)
    assert box_text((144.0, 216.04, 216.5, 288.125)) == "144,216.04,216.5,288.125"
    assert clean_box([1, 2, 3, 4]) == (1.0, 2.0, 3.0, 4.0)
    assert clean_box("1234") is None


def test_byte_cache_is_bounded():
    cache = ByteCache(10, max_item=6)
    cache.put("a", b"12345")
    cache.put("b", b"12345")
    cache.get("a")
    cache.put("c", b"123")  # over 10 bytes: the least recently used ("b") goes
    assert cache.get("b") is None and cache.get("a") == b"12345" and cache.get("c") == b"123"
    cache.put("big", b"1234567")
    assert cache.get("big") is None


# ---------------------------------------------------------------- the HTML report


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_entry(path: str, data: bytes, file_type: str, error: str | None = None) -> dict:
    return {"path": path, "type": file_type, "pages": 1, "sha256": sha(data), "role": "attachment", "role_title": "附件",
            "roles": [], "size": len(data), "error": error, "problem": None, "has_text_layer": False, "warnings": [],
            "omissions": []}


def location(file: str, page: int | None, box=None, **kw) -> dict:
    loc = {"file": file, "page": page, "sheet": None, "cell": None, "table": None, "row": None, "column": None,
           "paragraph": kw.get("paragraph"), "box": list(box) if box is not None else None}
    loc["description"] = f"{file} 第{page}页" if page else file
    return loc


def finding(n: int, message: str, locations: list[dict], severity: str = "error") -> dict:
    return {"id": f"{n:012x}", "rule": "CROSSDOC.FIGURE_MISMATCH", "rule_title": "同一数据前后不一致", "severity": severity,
            "message": message, "locations": locations, "evidence": {}, "quote": "粉煤灰综合利用量 12.6 万吨"}


def scan_report(files: list[dict], findings: list[dict]) -> dict:
    summary = {s: sum(1 for f in findings if f["severity"] == s) for s in ("veto", "error", "warning", "info")}
    return {
        "schema_version": 1,
        "generator": {"name": "shencha", "version": "0", "generated_at": "2026-03-01T08:30:00+00:00"},
        "package": {"name": "扫描件申报包", "form": "hb_evaluation", "form_title": "湖北省工业固体废物资源综合利用评价", "files": files},
        "fields": {}, "outline": [], "attachments": [], "findings": findings, "summary": summary, "tables": [],
    }


def embedded_crops(html: str) -> list[tuple[bytes, str]]:
    """(PNG bytes, caption) of every embedded crop, in page order."""
    out = []
    for m in re.finditer(r'<figure class="crop"><img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="[^"]*">'
                         r"<figcaption>([^<]*)</figcaption></figure>", html):
        out.append((base64.b64decode(m.group(1)), m.group(2)))
    return out


@pytest.fixture(scope="module")
def scan_package(scan) -> tuple[dict, dict[str, bytes]]:
    files = {"扫描件/评价报告.pdf": scan["pdf"], "营业执照.jpg": scan["jpeg"]}
    report = scan_report(
        [file_entry("扫描件/评价报告.pdf", scan["pdf"], "pdf"), file_entry("营业执照.jpg", scan["jpeg"], "image"),
         file_entry("说明.docx", b"docx", "docx")],
        [
            finding(1, "报告第1页的数字与年报不一致", [location("扫描件/评价报告.pdf", 1, RED_BOX), location("说明.docx", None, paragraph=3)]),
            finding(2, "营业执照上的名称与申报表不一致", [location("营业执照.jpg", 1, GREEN_BOX)], severity="warning"),
            finding(3, "没有框的发现", [location("扫描件/评价报告.pdf", 1)], severity="info"),
        ],
    )
    return report, files


def test_html_report_embeds_the_crop_beside_each_finding_on_a_scan(scan_package):
    report, files = scan_package
    html = render_html(report, file_bytes=files.get)
    crops = embedded_crops(html)
    assert [c for _, c in crops] == ["原件第1页截图 · 扫描件/评价报告.pdf", "原件第1页截图 · 营业执照.jpg"]
    assert_shows_the_red_square(crops[0][0])
    g = pixels(crops[1][0])
    assert is_green(g[g.shape[0] // 2, g.shape[1] // 2]) and not is_red(g).any()
    # each crop sits inside its own finding's block
    first = html[html.index('id="f-000000000001"'):html.index('id="f-000000000002"')]
    assert "data:image/png;base64," in first and "原件第1页截图" in first
    third = html[html.index('id="f-000000000003"'):]
    assert "data:image/png" not in third.split("</div>\n    </div>")[0]
    assert html.count("<img ") == 2


def test_html_report_without_file_bytes_or_with_other_bytes_has_no_images(scan_package, scan):
    report, files = scan_package
    assert "<img" not in render_html(report)
    # bytes that are not the file the report was made from (its sha256) are not shown
    swapped = {"扫描件/评价报告.pdf": scan["jpeg"], "营业执照.jpg": scan["pdf"]}
    assert "<img" not in render_html(report, file_bytes=swapped.get)
    # a file the review could not read is not rendered either; a failing source is no crop
    broken = json.loads(json.dumps(report))
    broken["package"]["files"][0]["error"] = "文件已损坏"

    def failing(path: str) -> bytes:
        if path == "营业执照.jpg":
            raise OSError("gone")
        return files[path]

    assert "<img" not in render_html(broken, file_bytes=failing)


def test_report_crops_are_cached_and_bounded(scan_package):
    report, files = scan_package
    asked: list[str] = []

    def source(path: str) -> bytes | None:
        asked.append(path)
        return files.get(path)

    crops = ReportCrops(report, source)
    loc = report["findings"][0]["locations"][0]
    first = crops.crop(loc)
    assert first is not None and crops.crop(dict(loc)) is first
    assert crops.crop(report["findings"][1]["locations"][0]) is not None
    assert asked == ["扫描件/评价报告.pdf", "营业执照.jpg"]  # each file once
    capped = ReportCrops(report, files.get, max_crops=1)
    assert capped.crop(loc) is not None and capped.crop(report["findings"][1]["locations"][0]) is None
    assert ReportCrops(report, files.get, max_bytes=10).crop(loc) is None
    assert crop_files(report) == {"扫描件/评价报告.pdf", "营业执照.jpg"}


def test_cli_html_report_reads_the_crops_from_the_package(tmp_path, scan_package):
    from service.cli import write_outputs

    report, files = scan_package
    folder = tmp_path / "扫描件申报包"
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    out = tmp_path / "out" / "report.html"
    write_outputs(report, None, tmp_path / "out" / "report.json", out, folder)
    crops = embedded_crops(out.read_text(encoding="utf-8"))
    assert len(crops) == 2
    assert_shows_the_red_square(crops[0][0])
    # without the package: the same report, no images
    write_outputs(report, None, None, out)
    assert "<img" not in out.read_text(encoding="utf-8")
    # the package as a zip: members named as the review named them
    archive = tmp_path / "扫描件申报包.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path, data in files.items():
            zf.writestr(path, data)
    source = package_source(archive, {"营业执照.jpg"})
    assert source("营业执照.jpg") == files["营业执照.jpg"]
    assert source("扫描件/评价报告.pdf") is None  # not wanted: not kept
    assert package_source(tmp_path / "gone")("营业执照.jpg") is None


# ---------------------------------------------------------------- the service: API and web page


def _checked_with_boxes(service, headers: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[str, dict]:
    """Upload, review with the real worker, then give the stored report findings with boxes (as
    OCR would) on every scanned file, located by the paths and digests the review reported."""
    from service.store.db import Package

    response = upload(service.client, headers, [("files", (name, data, "application/octet-stream")) for name, data in files])
    assert response.status_code == 202, response.text
    package_id = response.json()["id"]
    assert service.queue.run_until_idle() == 1
    with service.database.session() as session:
        package = session.get(Package, package_id)
        assert package.status == "done", package.reason
        report = package.report_dict()
        scans = [f for f in report["package"]["files"] if f["type"] in ("pdf", "image")]
        assert scans
        report["findings"] = [
            finding(n, f"扫描件 {f['path']} 上的数字", [location(f["path"], 1, RED_BOX)]) for n, f in enumerate(scans, 1)
        ] + report["findings"]
        package.report = json.dumps(report, ensure_ascii=False)
        session.commit()
    return package_id, report


def crop_params(loc: dict) -> dict[str, str]:
    return {"file": loc["file"], "page": str(loc["page"]), "box": box_text(loc["box"])}


@pytest.mark.parametrize("as_zip", [False, True], ids=["files", "zip"])
def test_crop_endpoint_serves_the_owner_and_hides_from_another_agency(service, people, scan, as_zip):
    files = [("扫描件/评价报告.pdf", scan["pdf"]), ("营业执照.jpg", scan["jpeg"])]
    if as_zip:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in files:
                zf.writestr(name, data)
        files = [("扫描件申报包.zip", buf.getvalue())]
    package_id, report = _checked_with_boxes(service, people["agency_wh"], files)
    client = service.client
    url = f"/api/packages/{package_id}/crop"
    locs = [f["locations"][0] for f in report["findings"] if f["locations"] and f["locations"][0].get("box")]
    assert {loc["file"] for loc in locs} == {"扫描件/评价报告.pdf", "营业执照.jpg"}
    for loc in locs:
        for who in ("agency_wh", "city_wh", "province"):  # the owner, its city, the province
            response = client.get(url, params=crop_params(loc), headers=people[who])
            assert response.status_code == 200, response.text
            assert response.headers["content-type"] == "image/png"
            assert response.headers["cache-control"] == "no-store"
            assert_shows_the_red_square(response.content)
        for who in ("agency_yc", "city_yc"):  # another agency, another city: as if it did not exist
            response = client.get(url, params=crop_params(loc), headers=people[who])
            assert response.status_code == 404, response.text
            assert response.json()["detail"] == "未找到该申报包"
    # the HTML download embeds the same crops
    html = client.get(f"/api/packages/{package_id}/report.html", headers=people["agency_wh"])
    assert html.status_code == 200
    assert "img-src data:" in html.headers["content-security-policy"]
    shown = embedded_crops(html.text)
    assert len(shown) == 2
    for png, _ in shown:
        assert_shows_the_red_square(png)


def test_crop_endpoint_refusals(service, people, scan):
    package_id, report = _checked_with_boxes(service, people["agency_wh"], [("扫描件.pdf", scan["pdf"])])
    client, headers = service.client, people["agency_wh"]
    url = f"/api/packages/{package_id}/crop"
    good = crop_params(report["findings"][0]["locations"][0])
    assert client.get(url, params=good, headers=headers).status_code == 200
    assert client.get(url, params=good).status_code == 401
    for change, status in [
        ({"box": "216,216,144,288"}, 404),  # inverted: no place the report names
        ({"box": "144,216,144,288"}, 404),  # empty
        ({"box": "123456,1,2,3"}, 422),  # beyond any page
        ({"box": "a,b,c,d"}, 422),
        ({"box": "1,2,3"}, 422),
        ({"box": "-1,2,3,4"}, 422),
        ({"box": "1" * 80}, 422),
        ({"page": "0"}, 422),
        ({"page": "x"}, 422),
        ({"page": "1000000"}, 422),
        ({"file": ""}, 422),
        ({"file": "x" * 1001}, 422),
        ({"box": "144,216,216,289"}, 404),  # a box the report does not name
        ({"page": "2"}, 404),
        ({"file": "其他.pdf"}, 404),
    ]:
        response = client.get(url, params={**good, **change}, headers=headers)
        assert response.status_code == status, (change, response.text)
        assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"]), response.text
    for missing in ("file", "page", "box"):
        params = {k: v for k, v in good.items() if k != missing}
        assert client.get(url, params=params, headers=headers).status_code == 422
    assert client.get("/api/packages/not-a-package/crop", params=good, headers=headers).status_code == 404
    # not checked yet: 409, as for the downloads
    from service.store.db import Package

    with service.database.session() as session:
        session.get(Package, package_id).status = "running"
        session.commit()
    assert client.get(url, params=good, headers=headers).status_code == 409


def test_web_page_shows_the_crops_from_the_endpoint(service, people, scan):
    from fastapi.testclient import TestClient

    from tests.test_web import post_login

    package_id, report = _checked_with_boxes(service, people["agency_wh"], [("扫描件.pdf", scan["pdf"])])
    with TestClient(service.app, follow_redirects=False) as browser:
        assert post_login(browser, username="agency_wh", password="password-123", next="/packages").status_code == 303
        page = browser.get(f"/packages/{package_id}")
        assert page.status_code == 200
        assert "img-src 'self' data:" in page.headers["content-security-policy"]
        srcs = re.findall(r'<figure class="crop"><a href="[^"]+"[^>]*><img src="([^"]+)" alt="[^"]*" loading="lazy"></a>'
                          r"<figcaption>原件第1页截图 · 扫描件.pdf</figcaption>", page.text)
        assert len(srcs) == 1
        from html import unescape

        src = unescape(srcs[0])
        assert src.startswith(f"/api/packages/{package_id}/crop?")
        response = browser.get(src)  # the page's own session cookie
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"
        assert_shows_the_red_square(response.content)
    # the crop block sits inside the finding
    block = page.text[page.text.index('id="f-000000000001"'):]
    assert block.index('class="crops"') < block.index("</article>")


def test_openapi_documents_the_crop_endpoint(service):
    doc = service.client.get("/openapi.json").json()
    op = doc["paths"]["/api/packages/{package_id}/crop"]["get"]
    assert op["operationId"] == "cropOriginal"
    assert set(op["responses"]) == {"200", "401", "403", "404", "409", "422"}
    assert "image/png" in op["responses"]["200"]["content"]
    params = {p["name"]: p for p in op["parameters"]}
    assert params["box"]["schema"]["pattern"] and params["page"]["schema"]["maximum"] == 100_000
    assert params["file"]["schema"]["maxLength"] == 1000
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "/api/packages/{id}/crop" in readme
