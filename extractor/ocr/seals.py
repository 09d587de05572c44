"""Red seals (公章, 合同/财务专用章, 发票专用章) on a rendered or scanned page, and a red-free
grayscale copy of the page for OCR.

Why: a red seal stamped over a table column corrupts OCR (电石渣 read as 「电石湾」); OCR of the
red channel alone reads every word (see ../shared/notes/extraction-facts.md, "Seals").  So a
page is searched for seals on its colour image, and OCR runs on `remove_red(page)`.

Detection (`find_seals`), at an analysis resolution of about 100 dpi:

1. Red mask in HSV.  Red wraps around hue 0/180 (OpenCV units), so two hue bands are kept:
   0–12 (red to orange-red) and 155–180 (crimson to the pinkish-magenta of some inks).  A pixel
   must also have saturation ≥ 30, value ≥ 70 and chroma (max − min of R, G, B) ≥ 25: faded
   pale-pink ink (about RGB 245/200/205) passes, and so does red ink that JPEG's colour
   subsampling has washed out next to black text; white, gray, yellowed or faintly pink paper,
   black toner and the dark fringes around black text do not.  Red ink printed over black
   text is black on the scan and is not red — the ring simply has gaps there.  The mask is
   made at 100–200 dpi and reduced by an integer factor to about 100 dpi (a cell is red when a
   quarter of it is).
2. Morphological close (2 mm disc), so a ring cut into arcs by black text strokes, faded ink
   or JPEG blocks is one piece again, then connected components.
3. A component is a candidate when its longer side is about 1.3–10 cm (the fact note's range;
   small 财务/合同 seals of 30 mm and personal-name seals of 15–20 mm are inside it) and, unless
   it touches the page edge, its bounding box is not too elongated.
4. The convex hull of the component (indifferent to gaps in the ring) is sampled and an
   ellipse fitted to it (a circle, for a component cut by the page edge — the hull points on
   the edge itself are dropped).  The hull
   must *be* an ellipse: the 90th percentile of |ρ − 1| over its samples (ρ the normalised
   elliptic radius) ≤ 0.06.  A square glyph (国, 回, 固), a filled rectangle or a table cell
   has hull corners about 20 % outside any fitted ellipse and fails here.
5. Axis ratio (minor / major) ≥ 0.65.  The fact note's 0.75–1.33 is exactly the ratio of the
   standard oval 发票专用章 (40 × 30 mm), so it is widened to leave room for scan distortion and
   for the 45 × 30 mm oval 合同/财务 seals some companies use (0.67).  minor / major ≥ 0.90 is
   reported as "round", below as "oval".  `diameter_cm` is the outer diameter, the major axis
   for an oval.
6. Ring coverage: the annulus 0.80 ≤ ρ ≤ 1.05 is cut into 72 bins of 5° of elliptic angle; a bin
   is red when it holds a few red pixels.  A seal needs ≥ 0.85 of the bins it can show.  Red
   heading characters, even round-hulled ones, leave most bins of the ring empty — this is
   what Hough circles miss and why they false-fire on 红头 headers.
7. The interior (ρ < 0.6) holds a seal's star and text, 10–35 % red.  A filled red disc (a
   logo, a big bullet) is *not* a seal: more than 60 % red there rejects it.  Neither is a bare
   red ring (a hand-drawn circle round a figure, a big red 〇 or ○): less than 1 % red inside
   ρ < 0.78 (star, tax number and the text along the arc) rejects it — a seal whose text has
   faded away entirely is then missed, but its ring is then rarely 85 % intact either.
8. A seal cut by the page edge: coverage is counted over the bins still on the page; it is
   found when at least 40 % of its ring is on the page and that part is ≥ 0.85 covered, and
   `ring_coverage` is then the share of all 72 bins (so about 0.5 for half a seal), with a
   lower confidence.  `box` is clipped to the page.

Known limits: two seals stamped over each other, or a seal over red handwriting or red
heading text, close into one component whose hull is no ellipse — not found.  A seal cut by the
page edge is fitted as a circle (a half oval is missed).  A ring less than 85 % visible (very
faded or patchy ink: on synthetic pages, ink at under ~40 % strength, blurred and over text) is
not found.  Black or photocopied seals are not looked for.  Anything red that *is* shaped like a
seal is reported: a round red logo with text inside it, a big red ◎ glyph.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

ANALYSIS_DPI = 100.0

HUE_LOW_MAX = 12  # OpenCV hue 0..180: red is 0..12 and 155..180
HUE_HIGH_MIN = 155
SAT_MIN = 30
VAL_MIN = 70
CHROMA_MIN = 25

CLOSE_MM = 2.0
REMOVE_RED_MIN = 100  # red-channel level from which a red pixel is made paper-white
DIAMETER_MIN_CM = 1.3
DIAMETER_MAX_CM = 10.0
ASPECT_MIN = 0.65  # minor / major axis
ROUND_MIN = 0.90  # minor / major at or above which a seal is "round"
HULL_RESIDUAL_MAX = 0.06
RING_INNER, RING_OUTER = 0.80, 1.05  # annulus, in normalised elliptic radius
BINS = 72  # 5° each
COVERAGE_MIN = 0.85
VISIBLE_MIN = 0.40  # share of the ring on the page, for a seal cut by the page edge
FILL_MAX = 0.60  # red share inside ρ < 0.6 above which a disc is filled, not a seal
FILL_EMPTY = 0.01  # red share inside ρ < CONTENT_RHO below which it is a bare ring, not a seal
CONTENT_RHO = 0.78


@dataclass(frozen=True)
class Seal:
    """A red seal found on a page.

    `box` is (x0, top, x1, bottom) in pixels of the image given, clipped to it; `diameter_cm`
    the outer diameter (major axis for an oval); `ring_coverage` the share of the 72 bins of 5°
    with red on the outer ring; `confidence` 0..1.
    """

    box: tuple[int, int, int, int]
    diameter_cm: float
    ring_coverage: float
    shape: Literal["round", "oval"]
    confidence: float


def _as_rgb(image: np.ndarray) -> np.ndarray | None:
    """The image as contiguous uint8 H×W×3, or None for a grayscale image."""
    arr = np.asarray(image)
    if arr.ndim == 2 or (arr.ndim == 3 and arr.shape[2] == 1):
        return None
    if arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise ValueError(f"expected an H×W×3 RGB image, got shape {arr.shape}")
    if arr.shape[2] == 4:
        arr = arr[:, :, :3]
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(arr)


def _shrink(img: np.ndarray, k: int) -> tuple[np.ndarray, int]:
    """img reduced k times by area averaging (its size cropped to a multiple of k first), and
    the factor applied (1 when the image is too small to reduce)."""
    h, w = img.shape[:2]
    hk, wk = h // k, w // k
    if k <= 1 or hk < 2 or wk < 2:
        return img, 1
    return cv2.resize(img[: hk * k, : wk * k], (wk, hk), interpolation=cv2.INTER_AREA), k


def _red_mask(rgb: np.ndarray) -> np.ndarray:
    """uint8 mask, 255 where the pixel is red ink."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    low = cv2.inRange(hsv, (0, SAT_MIN, VAL_MIN), (HUE_LOW_MAX, 255, 255))
    high = cv2.inRange(hsv, (HUE_HIGH_MIN, SAT_MIN, VAL_MIN), (180, 255, 255))
    mask = cv2.bitwise_or(low, high)
    # chroma = max − min of R, G, B = S·V/255 in OpenCV's 8-bit HSV
    _, sat, val = cv2.split(hsv)
    sv = cv2.multiply(sat, val, dtype=cv2.CV_16U)
    chroma_ok = cv2.compare(sv, CHROMA_MIN * 255, cv2.CMP_GE)
    return cv2.bitwise_and(mask, chroma_ok)


def remove_red(rgb: np.ndarray) -> np.ndarray:
    """Grayscale copy of the page for OCR in which red ink is paper-white.

    This is the red channel (red ink reflects red light like paper; black toner absorbs it),
    with red pixels (the `find_seals` mask) whose red channel is ≥ 100 set to white, so a
    dark-red seal (red channel about 130) leaves no gray ghost either; the dark edges of black
    strokes under the ink stay dark.  Red over black text is black on the scan and stays
    black.  A grayscale image is returned as a 2-D copy.
    """
    arr = _as_rgb(rgb)
    if arr is None:
        gray = np.asarray(rgb)
        return gray[:, :, 0].copy() if gray.ndim == 3 else gray.copy()
    out = arr[:, :, 0].copy()
    # only where the red channel is light already: the dark-edged pixels of black strokes under
    # the ink keep their darkness
    lift = cv2.bitwise_and(_red_mask(arr), cv2.compare(out, REMOVE_RED_MIN, cv2.CMP_GE))
    out[lift > 0] = 255
    return out


def _hull_samples(points: np.ndarray, n: int = 240) -> np.ndarray:
    """n points evenly spaced along the closed polygon `points` (k×2)."""
    closed = np.vstack([points, points[:1]]).astype(np.float64)
    seg = np.diff(closed, axis=0)
    seg_len = np.hypot(seg[:, 0], seg[:, 1])
    cum = np.concatenate([[0.0], np.cumsum(seg_len)])
    if cum[-1] <= 0:
        return closed[:1]
    t = np.linspace(0.0, cum[-1], n, endpoint=False)
    idx = np.clip(np.searchsorted(cum, t, side="right") - 1, 0, len(seg) - 1)
    frac = (t - cum[idx]) / np.where(seg_len[idx] > 0, seg_len[idx], 1.0)
    return closed[idx] + seg[idx] * frac[:, None]


def _fit_circle(pts: np.ndarray) -> tuple[float, float, float] | None:
    """Least-squares (Kåsa) circle through pts: (cx, cy, r)."""
    x, y = pts[:, 0], pts[:, 1]
    a = np.column_stack([x, y, np.ones_like(x)])
    b = -(x * x + y * y)
    try:
        (d, e, f), *_ = np.linalg.lstsq(a, b, rcond=None)
    except np.linalg.LinAlgError:
        return None
    cx, cy = -d / 2.0, -e / 2.0
    r2 = cx * cx + cy * cy - f
    if not np.isfinite(r2) or r2 <= 0:
        return None
    return float(cx), float(cy), float(math.sqrt(r2))


def _polar(xs: np.ndarray, ys: np.ndarray, ell: tuple[float, float, float, float, float]):
    """Normalised elliptic radius ρ and elliptic angle θ of points, for ellipse
    (cx, cy, a, b, angle_rad) with semi-axis a along the direction angle."""
    cx, cy, a, b, ang = ell
    c, s = math.cos(ang), math.sin(ang)
    dx, dy = xs - cx, ys - cy
    u = (dx * c + dy * s) / a
    v = (-dx * s + dy * c) / b
    return np.hypot(u, v), np.arctan2(v, u)


def find_seals(rgb: np.ndarray, dpi: float) -> list[Seal]:
    """Red seals on a page image (H×W×3 RGB, uint8) rendered or scanned at `dpi`.

    Seals are returned largest first.  A grayscale image has no colour and yields [].
    """
    if not dpi or dpi <= 0 or not math.isfinite(dpi):
        raise ValueError(f"dpi must be a positive number, got {dpi!r}")
    arr = _as_rgb(rgb)
    if arr is None or arr.shape[0] < 2 or arr.shape[1] < 2:
        return []
    full_h, full_w = arr.shape[:2]

    # Red mask at dpi/k1, then reduced to dpi/(k1·k2) ≈ 100 dpi (a cell is red when a quarter of
    # it is).  Integer factors on a cropped multiple keep OpenCV's fast area-resize path; the
    # last k−1 rows and columns of the page are dropped.
    k = max(1, round(dpi / ANALYSIS_DPI))
    k1 = max(1, k // 2)
    k2 = max(1, k // k1)
    work, k1 = _shrink(arr, k1)
    mask = _red_mask(work)
    small, k2 = _shrink(mask, k2)
    if k2 > 1:
        _, mask = cv2.threshold(small, 63, 255, cv2.THRESH_BINARY)
    h, w = mask.shape
    sx = sy = 1.0 / (k1 * k2)  # analysis px per input px
    px_cm = dpi * sx / 2.54
    if cv2.countNonZero(mask) == 0:
        return []
    if min(h, w) < DIAMETER_MIN_CM * px_cm * VISIBLE_MIN:
        # no room for the visible part of the smallest seal (a sliver of an image: the closing
        # kernel alone would be wider than the image, and costs seconds at that size)
        return []

    kc = max(3, int(round(CLOSE_MM / 10.0 * px_cm)) | 1)  # odd, in analysis px
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (kc, kc)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)

    lo_px, hi_px = DIAMETER_MIN_CM * px_cm * 0.9, DIAMETER_MAX_CM * px_cm * 1.1
    candidates = []
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        long_side, short_side = max(bw, bh), min(bw, bh)
        if not lo_px <= long_side <= hi_px:
            continue
        border = x <= 0 or y <= 0 or x + bw >= w or y + bh >= h
        if not border and short_side < long_side * ASPECT_MIN * 0.9:
            continue
        candidates.append((area, i, x, y, bw, bh, border))
    candidates.sort(reverse=True)

    found: list[tuple[float, Seal, tuple[float, float, float, float]]] = []
    for area, i, x, y, bw, bh, border in candidates:
        ccx, ccy = x + bw / 2.0, y + bh / 2.0
        if any(b[0] <= ccx <= b[2] and b[1] <= ccy <= b[3] for _, _, b in found):
            continue  # the star or the text inside a seal already found
        seal = _judge(mask, labels, i, (x, y, bw, bh), border, px_cm, (sx, sy), (full_w, full_h))
        if seal is not None:
            s, small_box = seal
            found.append((area, s, small_box))
    return [s for _, s, _ in found]


def _judge(mask, labels, i, bbox, border, px_cm, scale, full_size):
    x, y, bw, bh = bbox
    h, w = mask.shape
    comp = (labels[y:y + bh, x:x + bw] == i).astype(np.uint8)
    contours, _ = cv2.findContours(comp, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    pts = np.vstack([c.reshape(-1, 2) for c in contours]) + np.array([x, y])
    hull = cv2.convexHull(pts.astype(np.int32)).reshape(-1, 2)
    if len(hull) < 3:
        return None
    samples = _hull_samples(hull)

    if border:
        on_edge = ((samples[:, 0] <= 1.0) | (samples[:, 1] <= 1.0)
                   | (samples[:, 0] >= w - 2.0) | (samples[:, 1] >= h - 2.0))
        arc = samples[~on_edge]
        if len(arc) < 20:
            return None
        circle = _fit_circle(arc)
        if circle is None:
            return None
        cx, cy, r = circle
        ell = (cx, cy, r + 0.5, r + 0.5, 0.0)
        fit_pts = arc
    else:
        if len(samples) < 5:
            return None
        (cx, cy), (d1, d2), ang = cv2.fitEllipse(samples.astype(np.float32))
        if not (d1 > 0 and d2 > 0):
            return None
        # +0.5 px: hull runs through the outermost pixel centres, the seal's edge is half out
        ell = (cx, cy, d1 / 2.0 + 0.5, d2 / 2.0 + 0.5, math.radians(ang))
        fit_pts = samples

    a, b = ell[2], ell[3]
    major, minor = 2 * max(a, b), 2 * min(a, b)
    if minor < major * ASPECT_MIN:
        return None
    diameter_cm = major / px_cm
    if not DIAMETER_MIN_CM <= diameter_cm <= DIAMETER_MAX_CM:
        return None
    rho_fit, _ = _polar(fit_pts[:, 0], fit_pts[:, 1], (ell[0], ell[1], a - 0.5, b - 0.5, ell[4]))
    residual = float(np.percentile(np.abs(rho_fit - 1.0), 90))
    if residual > HULL_RESIDUAL_MAX:
        return None

    # Ring coverage, on the unclosed mask, over the ellipse's box clipped to the page.
    ang = ell[4]
    ex = math.sqrt((a * math.cos(ang)) ** 2 + (b * math.sin(ang)) ** 2)
    ey = math.sqrt((a * math.sin(ang)) ** 2 + (b * math.cos(ang)) ** 2)
    pad = RING_OUTER + 0.02
    rx0, rx1 = max(0, int(math.floor(cx - ex * pad))), min(w, int(math.ceil(cx + ex * pad)) + 1)
    ry0, ry1 = max(0, int(math.floor(cy - ey * pad))), min(h, int(math.ceil(cy + ey * pad)) + 1)
    if rx1 - rx0 < 3 or ry1 - ry0 < 3:
        return None
    ys, xs = np.mgrid[ry0:ry1, rx0:rx1]
    rho, theta = _polar(xs.astype(np.float64), ys.astype(np.float64), ell)
    red = mask[ry0:ry1, rx0:rx1] > 0
    bins = ((theta + math.pi) / (2 * math.pi) * BINS).astype(np.int64) % BINS
    ring = (rho >= RING_INNER) & (rho <= RING_OUTER)
    expected = math.pi * a * b * (RING_OUTER ** 2 - RING_INNER ** 2) / BINS
    on_page = np.bincount(bins[ring], minlength=BINS)
    red_count = np.bincount(bins[ring & red], minlength=BINS)
    visible = on_page >= 0.5 * expected
    red_bins = visible & (red_count >= max(2.0, 0.03 * expected))
    n_visible = int(visible.sum())
    if n_visible < BINS * (VISIBLE_MIN if border else 0.95):
        return None
    cov_visible = float(red_bins.sum()) / n_visible
    if cov_visible < COVERAGE_MIN:
        return None
    coverage = float(red_bins.sum()) / BINS

    inner = rho < 0.6
    fill = float(red[inner].mean()) if inner.any() else 0.0
    inside = rho < CONTENT_RHO
    content = float(red[inside].mean()) if inside.any() else 0.0
    if fill > FILL_MAX or content < FILL_EMPTY:
        return None

    confidence = 0.6 + 0.4 * min(1.0, (cov_visible - COVERAGE_MIN) / (1.0 - COVERAGE_MIN))
    confidence *= 1.0 - 0.3 * min(1.0, max(0.0, residual - 0.02) / (HULL_RESIDUAL_MAX - 0.02))
    if n_visible < BINS:
        confidence *= 0.5 + 0.5 * n_visible / BINS

    sx, sy = scale
    full_w, full_h = full_size
    # analysis pixel centre c is the input pixel edge (c + 0.5) / scale
    box_small = (cx - ex, cy - ey, cx + ex, cy + ey)
    box = (
        max(0, int(round((cx - ex + 0.5) / sx))),
        max(0, int(round((cy - ey + 0.5) / sy))),
        min(full_w, int(round((cx + ex + 0.5) / sx))),
        min(full_h, int(round((cy + ey + 0.5) / sy))),
    )
    seal = Seal(
        box=box,
        diameter_cm=round(diameter_cm, 2),
        ring_coverage=round(coverage, 3),
        shape="round" if minor >= major * ROUND_MIN else "oval",
        confidence=round(confidence, 3),
    )
    return seal, box_small
