"""PDF pages read by pdfplumber (pdfminer), within the page limits.

pdfium reads a PDF everywhere it can (`pdf_reader`).  pdfplumber reads what it cannot: a file
pdfium refuses to open (a damaged header or cross-reference table that pdfminer's parser
rebuilds), a page pdfium cannot load, the tables of a page whose ruling pdfium cannot give,
and the text of a page too heavy to give to pdfium at all (`pdf_weight`).

pdfminer's interpreter unfolds forms as pdfium does and inflates content streams whole, so
here it runs bounded: its content is decoded at most `pdf_weight.MAX_CONTENT_BYTES` a stream
and `CONTENT_BYTES` (or `TEXT_ONLY_CONTENT_BYTES`) a page, forms drawn beyond that are not
drawn, and painted objects and path segments are counted against `page_objects` and
`page_path_segments`.  For the text of a heavy page, paths are not built at all.
"""

from __future__ import annotations

import io
import itertools
import statistics
from dataclasses import dataclass, field

from extractor.limits import get_limits
from extractor.readers.pdf_weight import PAGE_CONTENT, TextFinder, bound_content

# bytes of content pdfminer may parse for one page, forms unfolded (a page of a normal report
# is tens of kilobytes, a detailed drawing a few megabytes); for a page read for its text
# only, less: pdfminer and pdfplumber take about a second for half a megabyte of text
CONTENT_BYTES = 16 * 1024 * 1024
TEXT_ONLY_CONTENT_BYTES = 512 * 1024


@dataclass
class PlumberLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    chunks: list[tuple[float, float, str]]  # pieces between wide gaps, if more than one


@dataclass
class PlumberPage:
    width: float
    height: float
    lines: list[PlumberLine] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    chars: list[dict] = field(default_factory=list)
    images: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, top, x1, bottom
    # the limit its drawing reached ("page_objects", "page_path_segments", PAGE_CONTENT): the
    # page was read again for its text only, and its ruling is not used
    over_limit: str | None = None
    text_partial: bool = False  # its text was cut short too (content beyond the byte budget)


class PlumberPdf:
    """A PDF opened with pdfplumber, its pages read one at a time within the limits."""

    def __init__(self, data: bytes, max_pages: int) -> None:
        import pdfplumber
        from pdfminer.pdfpage import PDFPage

        self.pdf = pdfplumber.open(io.BytesIO(data))
        try:
            self.page_objs = list(itertools.islice(PDFPage.create_pages(self.pdf.doc), max_pages))
        except BaseException:
            self.pdf.close()
            raise

    def __enter__(self) -> PlumberPdf:
        return self

    def __exit__(self, *exc) -> None:
        self.pdf.close()

    def __len__(self) -> int:
        return len(self.page_objs)

    def count_all(self, up_to: int) -> int:
        """How many pages the file has, counted up to `up_to`."""
        from pdfminer.pdfpage import PDFPage

        return sum(1 for _ in itertools.islice(PDFPage.create_pages(self.pdf.doc), up_to))

    def page(self, number: int, text_only: bool, wide_gap_em: float, space_em: float) -> PlumberPage:
        """Page `number` (1-based).  `text_only`: its text and pictures, no paths (a page too
        heavy for its drawing to be read).  A page that runs out of budget while drawing is
        read again for its text only."""
        from pdfplumber.page import Page

        ppage = Page(self.pdf, self.page_objs[number - 1], page_number=number)
        try:
            spent = _lay_out(ppage, text_only)
            over_limit, text_partial = None, spent is not None
            if spent is not None and not text_only:
                ppage.close()
                ppage = Page(self.pdf, self.page_objs[number - 1], page_number=number)
                over_limit, text_partial = spent, _lay_out(ppage, text_only=True) is not None
            out = PlumberPage(
                width=float(ppage.width), height=float(ppage.height), over_limit=over_limit, text_partial=text_partial
            )
            out.chars = list(ppage.chars)
            out.lines = _lines(ppage, wide_gap_em, space_em)
            if not text_only and over_limit is None:
                out.edges = list(ppage.edges)
            out.images = [(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"])) for i in ppage.images]
            return out
        finally:
            ppage.close()


def _lay_out(ppage, text_only: bool) -> str | None:
    """Interpret the page into pdfplumber's layout cache, bounded; the limit it reached."""
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    pdf = ppage.pdf
    device = PDFPageAggregatorWithMarkedContent(pdf.rsrcmgr, pageno=ppage.page_number, laparams=pdf.laparams)
    budget = _Budget(text_only)
    interpreter = _bounded_interpreter_class()(pdf.rsrcmgr, device, budget)
    interpreter.process_page(ppage.page_obj)
    ppage._layout = device.get_result()  # what pdfplumber's `layout` property would have built
    return budget.spent


class _Spent(Exception):
    pass


class _Budget:
    def __init__(self, text_only: bool) -> None:
        limits = get_limits()
        self.text_only = text_only
        self.objects_left = limits.page_objects
        self.segments_left = limits.page_path_segments
        self.bytes_left = TEXT_ONLY_CONTENT_BYTES if text_only else CONTENT_BYTES
        self.spent: str | None = None
        self.text_forms = TextFinder() if text_only else None

    def stop(self, limit: str) -> None:
        if self.spent is None:
            self.spent = limit
        raise _Spent()

    def objects(self, n: int = 1) -> None:
        self.objects_left -= n
        if self.objects_left < 0 and not self.text_only:
            self.stop("page_objects")

    def segments(self, n: int) -> None:
        self.segments_left -= n
        if self.segments_left < 0 and not self.text_only:
            self.stop("page_path_segments")


_CLASS: list = []


def _cut_stream(stream, size: int):
    """A copy of a decoded content stream holding its first `size` bytes (same object number,
    for pdfminer's guard against forms that draw themselves); the stream itself is left whole."""
    from pdfminer.pdftypes import PDFStream

    cut = PDFStream(stream.attrs, b"")
    cut.rawdata, cut.data = None, (stream.data or b"")[:size]
    cut.objid, cut.genno = stream.objid, stream.genno
    return cut


def _bounded_interpreter_class():
    """pdfminer's page interpreter, bounded (defined on first use: pdfminer is imported only
    when a page needs it)."""
    if _CLASS:
        return _CLASS[0]
    from pdfminer.pdfinterp import LITERAL_FORM, PDFPageInterpreter
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import literal_name
    from pdfminer.utils import MATRIX_IDENTITY

    class BoundedInterpreter(PDFPageInterpreter):
        def __init__(self, rsrcmgr, device, budget: _Budget) -> None:
            super().__init__(rsrcmgr, device)
            self.budget = budget

        def dup(self):
            return self.__class__(self.rsrcmgr, self.device, self.budget)

        def render_contents(self, resources, streams, ctm=MATRIX_IDENTITY) -> None:
            budget = self.budget
            if budget.spent is not None and not budget.text_only:
                return
            resolved = [resolve1(s) for s in streams]
            size = 0
            for stream in resolved:
                if isinstance(stream, PDFStream):
                    bound_content(stream)
                    size += len(stream.data or b"")
            if size > budget.bytes_left:
                budget.spent = budget.spent or PAGE_CONTENT
                if budget.bytes_left <= 0:
                    return
                # the page's own content (or a form's) read up to what is left of the budget,
                # from a cut copy: a form is one object however many pages draw it
                cut = []
                for stream in resolved:
                    if isinstance(stream, PDFStream):
                        stream = _cut_stream(stream, max(0, budget.bytes_left))
                        budget.bytes_left -= len(stream.data)
                    cut.append(stream)
                streams = cut
            else:
                budget.bytes_left -= size
            try:
                super().render_contents(resources, streams, ctm)
            except _Spent:
                pass  # the caller's next counted operator stops it too; figures stay balanced

        # paths: counted; in text-only mode not built

        def do_m(self, x, y) -> None:
            self.budget.segments(1)
            if not self.budget.text_only:
                super().do_m(x, y)

        def do_l(self, x, y) -> None:
            self.budget.segments(1)
            if not self.budget.text_only:
                super().do_l(x, y)

        def do_c(self, x1, y1, x2, y2, x3, y3) -> None:
            self.budget.segments(3)
            if not self.budget.text_only:
                super().do_c(x1, y1, x2, y2, x3, y3)

        def do_v(self, x2, y2, x3, y3) -> None:
            self.budget.segments(3)
            if not self.budget.text_only:
                super().do_v(x2, y2, x3, y3)

        def do_y(self, x1, y1, x3, y3) -> None:
            self.budget.segments(3)
            if not self.budget.text_only:
                super().do_y(x1, y1, x3, y3)

        def do_h(self) -> None:
            if not self.budget.text_only:
                super().do_h()

        def do_re(self, x, y, w, h) -> None:
            self.budget.segments(5)
            if not self.budget.text_only:
                super().do_re(x, y, w, h)

        def _paint(self, paint) -> None:
            self.budget.objects()
            if self.budget.text_only:
                self.curpath = []
            else:
                paint()

        def do_S(self) -> None:
            self._paint(super().do_S)

        def do_s(self) -> None:
            self._paint(super().do_s)

        def do_f(self) -> None:
            self._paint(super().do_f)

        def do_F(self) -> None:
            self._paint(super().do_F)

        def do_f_a(self) -> None:
            self._paint(super().do_f_a)

        def do_B(self) -> None:
            self._paint(super().do_B)

        def do_B_a(self) -> None:
            self._paint(super().do_B_a)

        def do_b(self) -> None:
            self._paint(super().do_b)

        def do_b_a(self) -> None:
            self._paint(super().do_b_a)

        def do_Tj(self, s) -> None:
            self.budget.objects()
            super().do_Tj(s)

        def do_TJ(self, seq) -> None:
            self.budget.objects()
            super().do_TJ(seq)

        def do_Do(self, xobjid_arg) -> None:
            self.budget.objects()
            finder = self.budget.text_forms
            if finder is not None:
                # reading text only: a form that draws no text (however many paths it
                # unfolds to) is not drawn
                form = resolve1(self.xobjmap.get(literal_name(xobjid_arg)))
                if isinstance(form, PDFStream) and form.get("Subtype") is LITERAL_FORM:
                    if not finder.draws_text(form, self.resources):
                        return
            super().do_Do(xobjid_arg)

    _CLASS.append(BoundedInterpreter)
    return BoundedInterpreter


def _lines(ppage, wide_gap_em: float, space_em: float) -> list[PlumberLine]:
    """The page's lines of text, each cut into pieces at gaps wider than `wide_gap_em` font
    sizes (a gap of `space_em` or more inside a piece is a blank)."""
    out: list[PlumberLine] = []
    for line in ppage.extract_text_lines(strip=True, return_chars=True):
        chars = sorted(line["chars"], key=lambda c: c["x0"])
        if not chars or not line["text"].strip():
            continue
        size = statistics.median(float(c["size"]) for c in chars) or float(line["bottom"] - line["top"])
        pieces: list[list[dict]] = [[chars[0]]]
        for prev, ch in itertools.pairwise(chars):
            if ch["x0"] - prev["x1"] >= wide_gap_em * size:
                pieces.append([ch])
            else:
                pieces[-1].append(ch)
        chunks = []
        if len(pieces) > 1:
            chunks = [(float(p[0]["x0"]), float(max(c["x1"] for c in p)), _piece_text(p, space_em * size)) for p in pieces]
        out.append(
            PlumberLine(
                text=line["text"].strip(),
                x0=float(line["x0"]),
                x1=float(line["x1"]),
                top=float(line["top"]),
                bottom=float(line["bottom"]),
                size=float(size),
                chunks=[c for c in chunks if c[2]],
            )
        )
    return out


def _piece_text(chars: list[dict], narrow: float) -> str:
    text = ""
    prev = None
    for ch in chars:
        if prev is not None and ch["x0"] - prev["x1"] >= narrow and not text.endswith(" "):
            text += " "
        text += ch["text"]
        prev = ch
    return text.strip()
