"""Text of scanned pages, by OCR, as blocks of the unified `Document`.

Used when OCR is on (`SHENCHA_OCR=on`, extractor/ocr/__init__.py) by the image reader (every
page of an image file) and the PDF reader (pages without a text layer, and pages whose text
layer is garbage: extractor/ocr/garbage.py).  The page's picture stays a block of its own, as
without OCR; the recognised text follows it as headings and paragraphs:

- the recogniser's lines that stand level with each other are one row, left to right; pieces
  of a row far apart (more than a character's height: table cells, a form's label and value)
  are joined with a space, and such a row is a paragraph of its own;
- rows are joined into paragraphs as the PDF reader joins lines (CJK without a space), and a
  paragraph ends at an outline number, after a line ending in 。：；, at an indent, at a
  vertical gap, or after a line that stops well short of the right margin;
- headings are told by `extractor.headings.classify_paragraph`, as in every reader;
- a page number alone at the top or bottom of the page is dropped.

Each block's `Location` has the page and, in `box`, where the paragraph is on the page (PDF
points of the page as displayed; an image file's points at its resolution, 72 dpi when it states
none).  `Block.confidence` is the recogniser's confidence, averaged over the paragraph's
characters.  Tables are not rebuilt from scans: their rows come out as paragraphs.

Pages are recognised one after another in the process reading the file (see extractor/ocr),
within the file's time budget: when the budget would run out, the remaining pages are left
unrecognised, with a warning.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

from extractor.headings import classify_paragraph, match_numbering
from extractor.limits import get_limits
from extractor.model import Block, Document, Location
from extractor.ocr.engine import OcrLine
from extractor.readers.grid import join_fragments, remove_cjk_spacing
from extractor.readers.pdf_reader import _PAGE_NUMBER, _PARAGRAPH_END, _TOC_ENTRY, SHORT_LINE_CHARS, _join_lines

WIDE_GAP = 1.0  # a gap wider than this many line heights separates the pieces of a row
FIRST_PAGE_SECONDS = 6.0  # expected time of the first page (engine start, render, recognition)
RESERVE_SECONDS = 5.0  # of the file's budget kept for everything after recognition


@dataclass
class ScannedPage:
    """One page's recognised lines, placed in points of the page."""

    number: int  # 1-based
    width: float  # points
    height: float
    lines: list[OcrLine]  # boxes in points


@dataclass
class _Row:
    pieces: list[OcrLine] = field(default_factory=list)
    text: str = ""
    wide: bool = False  # pieces far apart: table cells, a label and its value
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0


# ---------------------------------------------------------------------------------------
# recognising pages


class _Budget:
    """Whether the file's time budget (extractor.isolation.time_left) allows another page."""

    def __init__(self) -> None:
        self.slowest: float | None = None  # seconds of the slowest page so far

    def allows(self) -> bool:
        from extractor.isolation import time_left

        left = time_left()
        expected = FIRST_PAGE_SECONDS if self.slowest is None else self.slowest
        return left is None or left > expected + RESERVE_SECONDS

    def spent(self, seconds: float) -> None:
        self.slowest = seconds if self.slowest is None else max(self.slowest, seconds)


class _EngineUnavailable(Exception):
    pass


def _recognise(image) -> list[OcrLine]:
    from extractor.ocr.engine import ocr_image

    try:
        return ocr_image(image.rgb, image.dpi)
    except (ImportError, OSError) as e:  # onnxruntime or a model missing: no page will do better
        raise _EngineUnavailable(type(e).__name__) from e


def _placed(lines: list[OcrLine], image) -> list[OcrLine]:
    return [OcrLine(text=ln.text, box=image.to_points(ln.box), confidence=ln.confidence) for ln in lines]


def ocr_pdf_pages(pdf, numbers: list[int]) -> tuple[dict[int, ScannedPage], list[str]]:
    """The pages `numbers` (1-based) of an open pypdfium2 document, recognised; and the
    warnings (Chinese) for pages that could not be."""
    from extractor.ocr.render import render_pdf_page

    out: dict[int, ScannedPage] = {}
    warnings: list[str] = []
    failed: list[str] = []
    budget = _Budget()
    for k, number in enumerate(numbers):
        if not budget.allows():
            warnings.append(_out_of_time(numbers[k:]))
            break
        started = time.monotonic()
        try:
            image = render_pdf_page(pdf, number - 1)
            lines = _recognise(image)
        except _EngineUnavailable as e:
            warnings.append(_engine_unavailable(str(e)))
            break
        except MemoryError:
            raise
        except Exception as e:  # noqa: BLE001 - one page that fails does not stop the others
            failed.append(f"第{number}页（{type(e).__name__}）")
            continue
        finally:
            budget.spent(time.monotonic() - started)
        height, width = image.rgb.shape[:2]
        out[number] = ScannedPage(
            number=number,
            width=round(width * image.points_per_pixel, 2),
            height=round(height * image.points_per_pixel, 2),
            lines=_placed(lines, image),
        )
    if failed:
        warnings.append(f"{'、'.join(failed)}的文字识别失败，未读取其文字")
    return out, warnings


def ocr_image_document(doc: Document, data: bytes) -> Document:
    """An image file's Document (extractor/readers/image_reader.py) with the text of its pages
    (frames) recognised, after its picture block."""
    from extractor.ocr.render import image_pages

    limits = get_limits()
    n_frames = doc.pages or 1
    n = min(n_frames, limits.file_pages)
    blocks = list(doc.blocks)
    warnings: list[str] = []
    omissions: list[str] = []
    budget = _Budget()
    confidences: list[tuple[float, int]] = []
    pages = image_pages(data, n)
    for number in range(1, n + 1):
        if not budget.allows():
            warnings.append(_out_of_time(list(range(number, n + 1)), single_image=n_frames == 1))
            break
        started = time.monotonic()
        try:
            image = next(pages, None)
            if image is None:
                break
            lines = _recognise(image)
        except _EngineUnavailable as e:
            warnings.append(_engine_unavailable(str(e)))
            break
        except MemoryError:
            raise
        except Exception as e:  # noqa: BLE001 - a frame that does not decode ends the file's frames
            where = f"第{number}页" if n_frames > 1 else "图片"
            warnings.append(f"{where}的文字识别失败（{type(e).__name__}），未读取其文字")
            break
        finally:
            budget.spent(time.monotonic() - started)
        height, width = image.rgb.shape[:2]
        page = ScannedPage(
            number=number,
            width=round(width * image.points_per_pixel, 2),
            height=round(height * image.points_per_pixel, 2),
            lines=_placed(lines, image),
        )
        new = scan_blocks(page, doc.path, first_paragraph=len(blocks) + 1)
        blocks.extend(new)
        confidences.extend((b.confidence or 0.0, len(b.text)) for b in new)
    if n < n_frames:
        omissions.append(f"共 {n_frames} 页，只识别了前 {n} 页的文字（页数上限 {limits.file_pages}）")
    if confidences:
        where = "各页图片" if n_frames > 1 else "图片"
        warnings.insert(0, f"{where}中的文字由 OCR 识别（平均置信度 {_mean(confidences):.2f}），请核对原件")
    return doc.model_copy(
        update={
            "blocks": blocks,
            "warnings": [*doc.warnings, *warnings],
            "omissions": [*doc.omissions, *omissions],
        }
    )


def ocr_note(pages: list[ScannedPage], blocks: list[Block]) -> str | None:
    """The warning for a PDF's pages read by OCR, or None if none gave text."""
    confidences = [(b.confidence or 0.0, len(b.text)) for b in blocks if b.confidence is not None]
    if not confidences:
        return None
    numbers = "、".join(str(p.number) for p in pages)
    return f"第{numbers}页的文字由 OCR 识别（平均置信度 {_mean(confidences):.2f}），请核对原件"


def _mean(weighted: list[tuple[float, int]]) -> float:
    total = sum(w for _, w in weighted)
    return sum(c * w for c, w in weighted) / total if total else 0.0


def _out_of_time(numbers: list[int], single_image: bool = False) -> str:
    seconds = get_limits().file_seconds
    pages = f"第{numbers[0]}页" if len(numbers) == 1 else f"第{numbers[0]}–{numbers[-1]}页（共 {len(numbers)} 页）"
    if single_image:
        pages = "图片"
    return f"读取用时接近上限 {seconds:g} 秒，{pages}未进行文字识别，其文字未读取"


def _engine_unavailable(cause: str) -> str:
    return f"文字识别程序无法启动（{cause}），扫描页的文字未读取"


# ---------------------------------------------------------------------------------------
# lines into blocks


def scan_blocks(page: ScannedPage, path: str, first_paragraph: int) -> list[Block]:
    """The headings and paragraphs of a recognised page; `first_paragraph` is the 1-based
    index in the file of the first block made."""
    rows = _drop_page_numbers(_rows(page.lines), page.height)
    blocks: list[Block] = []
    for para in _paragraphs(rows, page.width):
        text = _join_lines([row.text for row in para])
        if not text:
            continue
        kind, level, numbering = classify_paragraph(text, None)
        pieces = [p for row in para for p in row.pieces]
        box = (
            round(min(r.x0 for r in para), 1),
            round(min(r.top for r in para), 1),
            round(max(r.x1 for r in para), 1),
            round(max(r.bottom for r in para), 1),
        )
        weights = [(p.confidence, max(1, len(p.text))) for p in pieces]
        blocks.append(
            Block(
                kind=kind,
                text=text,
                level=level,
                numbering=numbering,
                loc=Location(file=path, page=page.number, paragraph=first_paragraph + len(blocks), box=box),
                confidence=round(_mean(weights), 3),
            )
        )
    return blocks


def _rows(lines: list[OcrLine]) -> list[_Row]:
    """The lines level with each other gathered into rows, top to bottom, each left to right."""
    rows: list[_Row] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        x0, top, x1, bottom = line.box
        home = None
        for row in reversed(rows[-4:]):
            overlap = min(bottom, row.bottom) - max(top, row.top)
            if overlap >= 0.5 * min(bottom - top, row.bottom - row.top):
                home = row
                break
        if home is None:
            home = _Row(top=top, bottom=bottom)
            rows.append(home)
        home.pieces.append(line)
        home.top, home.bottom = min(home.top, top), max(home.bottom, bottom)
    for row in rows:
        row.pieces.sort(key=lambda ln: ln.box[0])
        row.x0 = min(p.box[0] for p in row.pieces)
        row.x1 = max(p.box[2] for p in row.pieces)
        height = statistics.median(p.box[3] - p.box[1] for p in row.pieces)
        text = ""
        prev: OcrLine | None = None
        for piece in row.pieces:
            piece_text = remove_cjk_spacing(piece.text.strip())
            if prev is not None and piece.box[0] - prev.box[2] > WIDE_GAP * height:
                row.wide = True
                text = text.rstrip() + " " + piece_text
            else:
                text = join_fragments(text, piece_text)
            prev = piece
        row.text = text
    rows.sort(key=lambda r: r.top)
    return rows


def _drop_page_numbers(rows: list[_Row], height: float) -> list[_Row]:
    margin = height * 0.1
    return [r for r in rows if not (_PAGE_NUMBER.match(r.text) and (r.top < margin or r.bottom > height - margin))]


def _paragraphs(rows: list[_Row], page_width: float) -> list[list[_Row]]:
    if not rows:
        return []
    heights = [r.bottom - r.top for r in rows if r.bottom > r.top]
    # a recogniser's box is a little taller than the characters are wide
    char = 0.9 * statistics.median(heights) if heights else 10.0
    body = [r for r in rows if not r.wide] or rows
    bins = [round(r.x0 / (char / 2)) for r in body]
    common = statistics.mode(bins)
    left = min(r.x0 for r, b in zip(body, bins) if abs(b - common) <= 1)
    # the right margin: where the longest line ends, or (a page of a few short lines) as wide
    # as the left one, give or take two characters of a scan's skew and binding margin
    right = max(max(r.x1 for r in body), page_width - left - 2 * char)
    gaps = [b.top - a.top for a, b in zip(rows, rows[1:]) if 0 < b.top - a.top < 4 * char]
    pitch = statistics.median(gaps) if gaps else 1.5 * char
    out: list[list[_Row]] = [[rows[0]]]
    for prev, row in zip(rows, rows[1:]):
        if (
            row.wide
            or prev.wide
            or match_numbering(row.text)
            or prev.text.endswith(_PARAGRAPH_END)
            or _TOC_ENTRY.search(prev.text)
            or row.x0 > left + 1.5 * char
            or row.top - prev.top > 1.45 * pitch
            or prev.x1 < right - SHORT_LINE_CHARS * char
        ):
            out.append([row])
        else:
            out[-1].append(row)
    return out
