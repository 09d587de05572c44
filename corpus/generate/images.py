"""Pictures a package carries: the business licence photo, the process flow chart,
and scanned pages (image-only PDFs) — drawn with Pillow, kept small."""

from __future__ import annotations

import io
import random
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from corpus.generate.identities import Company

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
FIXED_DATE = datetime(2026, 3, 16, 9, 30, 0)


@lru_cache(maxsize=16)
def font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    raise RuntimeError("no CJK font found; install fonts-wqy-microhei")


def _wrap(text: str, width_chars: int) -> list[str]:
    return [text[i:i + width_chars] for i in range(0, len(text), width_chars)] or [""]


def _seal(draw: ImageDraw.ImageDraw, cx: int, cy: int, r: int, text: str) -> None:
    red = (200, 30, 30)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=5)
    # a five-pointed star in the middle, as on every Chinese official seal
    import math

    pts = []
    for i in range(10):
        rad = r * (0.32 if i % 2 == 0 else 0.13)
        a = math.pi / 2 + i * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy - rad * math.sin(a)))
    draw.polygon(pts, fill=red)
    f = font(max(14, r // 5))
    n = len(text)
    for i, ch in enumerate(text):
        a = math.pi * (1.15 - 1.3 * i / max(1, n - 1))
        x = cx + (r - r // 4) * math.cos(a)
        y = cy - (r - r // 4) * math.sin(a)
        draw.text((x, y), ch, font=f, fill=red, anchor="mm")


def license_image(company: Company, scope: str, kind: str = "jpg") -> bytes:
    """A photographed 营业执照 (副本): title, fields and the registration authority's seal."""
    w, h = 1240, 880
    img = Image.new("RGB", (w, h), (250, 247, 238))
    d = ImageDraw.Draw(img)
    d.rectangle((18, 18, w - 18, h - 18), outline=(170, 120, 60), width=10)
    d.text((w // 2, 80), "营 业 执 照", font=font(64), fill=(150, 20, 20), anchor="mm")
    d.text((w // 2, 140), "（副    本）", font=font(28), fill=(40, 40, 40), anchor="mm")
    d.text((70, 185), f"统一社会信用代码  {company.credit_code}", font=font(26), fill=(20, 20, 20))
    fields = [
        ("名        称", company.name),
        ("类        型", "有限责任公司（自然人投资或控股）"),
        ("法定代表人", company.legal_rep),
        ("注册资本", f"{company.registered_capital_wan}万元整"),
        ("成立日期", company.founded),
        ("住        所", company.address),
    ]
    y = 250
    f = font(27)
    for label, value in fields:
        d.text((70, y), label, font=f, fill=(20, 20, 20))
        for line in _wrap(value, 30):
            d.text((270, y), line, font=f, fill=(20, 20, 20))
            y += 40
        y += 8
    d.text((70, y), "经营范围", font=f, fill=(20, 20, 20))
    for line in _wrap(scope, 30)[:4]:
        d.text((270, y), line, font=f, fill=(20, 20, 20))
        y += 40
    authority = f"{company.city.name}市场监督管理局"
    d.text((w - 470, h - 150), "登记机关", font=f, fill=(20, 20, 20))
    d.text((w - 470, h - 100), "2024年06月18日", font=f, fill=(20, 20, 20))
    _seal(d, w - 220, h - 170, 105, authority)
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    if kind == "png":
        img = img.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
        img.save(out, "PNG", optimize=True)
    else:
        img.save(out, "JPEG", quality=72)
    return out.getvalue()


def flowchart_png(steps: list[str], title: str) -> bytes:
    """A left-to-right-then-down process flow chart: boxes joined by arrows."""
    per_row = 4
    bw, bh, gx, gy = 220, 70, 70, 70
    rows = (len(steps) + per_row - 1) // per_row
    w = per_row * bw + (per_row - 1) * gx + 80
    h = rows * bh + (rows - 1) * gy + 130
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    d.text((w // 2, 35), title, font=font(28), fill="black", anchor="mm")
    centres = []
    for i, step in enumerate(steps):
        r, c = divmod(i, per_row)
        if r % 2 == 1:  # snake layout so arrows stay short
            c = per_row - 1 - c
        x0 = 40 + c * (bw + gx)
        y0 = 80 + r * (bh + gy)
        d.rectangle((x0, y0, x0 + bw, y0 + bh), outline="black", width=3)
        d.text((x0 + bw // 2, y0 + bh // 2), step, font=font(24), fill="black", anchor="mm")
        centres.append((x0, y0))
    for (ax, ay), (bx, by) in zip(centres, centres[1:]):
        if ay == by:
            if bx > ax:
                p, q = (ax + bw, ay + bh // 2), (bx, by + bh // 2)
            else:
                p, q = (ax, ay + bh // 2), (bx + bw, by + bh // 2)
        else:
            p, q = (ax + bw // 2, ay + bh), (bx + bw // 2, by)
        d.line((p, q), fill="black", width=3)
        _arrow_head(d, p, q)
    img = img.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def _arrow_head(d: ImageDraw.ImageDraw, p: tuple[int, int], q: tuple[int, int]) -> None:
    import math

    a = math.atan2(q[1] - p[1], q[0] - p[0])
    for da in (2.6, -2.6):
        d.line((q, (q[0] + 16 * math.cos(a + da), q[1] + 16 * math.sin(a + da))), fill="black", width=3)


def scan_page(title: str, lines: list[str], rng: random.Random, seal_text: str | None = None) -> Image.Image:
    """An A4 page at about 100 dpi as a scanner delivers it: grey paper, a slight tilt."""
    w, h = 827, 1170
    img = Image.new("L", (w, h), 238)
    d = ImageDraw.Draw(img)
    d.text((w // 2, 110), title, font=font(36), fill=20, anchor="mm")
    y = 190
    for line in lines:
        for part in _wrap(line, 30):
            d.text((80, y), part, font=font(22), fill=25)
            y += 36
        y += 6
    rgb = img.convert("RGB")
    if seal_text:
        _seal(ImageDraw.Draw(rgb), w - 220, min(y + 120, h - 160), 95, seal_text)
    rgb = rgb.rotate(rng.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC, fillcolor=(238, 238, 238))
    return rgb


def scan_pdf(pages: list[Image.Image]) -> bytes:
    """An image-only PDF, as a scanner writes it (no text layer)."""
    out = io.BytesIO()
    pages[0].save(
        out,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=100.0,
        quality=60,
        creationDate=FIXED_DATE.timetuple(),
        modDate=FIXED_DATE.timetuple(),
        producer="Scanner",
        title="scan",
    )
    return out.getvalue()


def jpeg(page: Image.Image, quality: int = 70) -> bytes:
    out = io.BytesIO()
    page.save(out, "JPEG", quality=quality)
    return out.getvalue()
