"""How much drawing each page of a PDF asks for, found before pdfium parses the page.

pdfium parses a page's whole content when it loads the page, every form XObject unfolded as
often as it is drawn: a page whose forms draw each other ten times over, seven deep, is ten
million paths, 14 s and 4 GB inside one pdfium call that nothing can interrupt.  So the
content streams are weighed first, with pdfminer's parser (a maintained library, and the one
the reader falls back on): each stream's drawing operators are counted in its decoded bytes,
and a form drawn n times weighs n times its own weight, forms inside it included.  A page
heavier than `page_objects` or `page_path_segments` is not given to pdfium.

The counts are estimates from the operator tokens (`re` is five segments, a Bézier three, as
pdfium stores them); a token inside a string or inline image may be counted too, which only
makes a page look heavier.  Decoding is bounded: at most `MAX_CONTENT_BYTES` of one stream
are inflated, so a content stream that inflates a thousandfold cannot exhaust memory here.
"""

from __future__ import annotations

import io
import itertools
import re
import zlib
from collections import Counter
from dataclasses import dataclass

from extractor.limits import get_limits

# a content stream of a normal page is tens of kilobytes; this much of one is plenty to tell
# that it draws more than the limits allow (a segment takes at least three bytes)
MAX_CONTENT_BYTES = 16 * 1024 * 1024
_INFLATE_CHUNK = 64 * 1024
MAX_FORM_NESTING = 64  # pdfium stops unfolding forms at a depth below this
PAGE_CONTENT = "page_content"  # the "limit" of a page whose content stream reached MAX_CONTENT_BYTES

# operator tokens: a run of regular characters between PDF delimiters or white space
_OPERATOR = re.compile(rb"(?<![^\s/\[\]()<>{}%])(re|[mlcvy]|[SsfFBbn]\*?|Tj|TJ|'|\"|Do|BI|sh)(?![^\s/\[\]()<>{}%])")
_SEGMENTS = {b"m": 1, b"l": 1, b"c": 3, b"v": 3, b"y": 3, b"re": 5}
_PAINTS = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"Tj", b"TJ", b"'", b'"', b"BI", b"sh"}
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![^\s/\[\]()<>{}%])")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class Weight:
    objects: int = 0  # painted paths, text showings, images, forms (forms unfolded)
    segments: int = 0  # path segments (forms unfolded)
    # a content stream of the page or of a form it draws decodes to MAX_CONTENT_BYTES or more:
    # pdfium would parse all of it (a stream of blank space inflating to gigabytes weighs
    # nothing by its operators, yet costs pdfium its whole size in memory)
    content_cut: bool = False

    def over(self, objects: int, segments: int) -> str | None:
        """The limit this weight exceeds ("page_objects" / "page_path_segments" /
        "page_content"), if any."""
        if self.content_cut:
            return PAGE_CONTENT
        if self.objects > objects:
            return "page_objects"
        if self.segments > segments:
            return "page_path_segments"
        return None


def page_weights(data: bytes, max_pages: int) -> list[Weight] | None:
    """The weight of each of the first `max_pages` pages, in page order; None if pdfminer
    cannot parse the file (pdfium may still read it: the weights are only a guard)."""
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        document = PDFDocument(PDFParser(io.BytesIO(data)))
        return weigh_pages(itertools.islice(PDFPage.create_pages(document), max_pages))
    except Exception:  # noqa: BLE001 - a file pdfminer cannot parse is judged by pdfium alone
        return None


def weigh_pages(pages) -> list[Weight]:
    """The weights of pdfminer's `PDFPage`s."""
    scale = _Scales()
    return [scale.page(page) for page in pages]


class _Scales:
    """Weighs content streams, each form once (by object number), however often it is drawn.
    A stream is first weighed by its length alone (an operator and its space take at least
    two bytes), which is all a normal page needs; only a page that bound puts over a limit
    has its operators counted."""

    def __init__(self) -> None:
        self.limits = get_limits()
        self.forms: dict[tuple[object, bool], Weight] = {}

    def page(self, page) -> Weight:
        from pdfminer.pdftypes import resolve1

        streams = [resolve1(s) for s in (page.contents or [])]
        decoded = [decoded_content(s) for s in streams if hasattr(s, "rawdata")]
        if any(len(d) >= MAX_CONTENT_BYTES for d in decoded):
            return Weight(content_cut=True)
        content = b"\n".join(decoded)
        resources = resolve1(page.resources) or {}
        weight = self.content(content, resources, frozenset(), exact=False)
        if weight.over(self.limits.page_objects, self.limits.page_path_segments):
            weight = self.content(content, resources, frozenset(), exact=True)
        return weight

    def content(self, content: bytes, resources: dict, drawing: frozenset, exact: bool) -> Weight:
        from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1

        objects = segments = 0
        cut = False
        if exact:
            for op, n in Counter(_OPERATOR.findall(content)).items():
                segments += _SEGMENTS.get(op, 0) * n
                if op in _PAINTS:
                    objects += n
        else:
            objects = segments = len(content) // 2
        calls = Counter(_DO.findall(content)) if b"Do" in content else None
        if not calls:
            return Weight(objects, segments)
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        xobjects = xobjects if isinstance(xobjects, dict) else {}
        for raw_name, n in calls.items():
            objects += n if exact else 0
            ref = xobjects.get(_name(raw_name))
            form = resolve1(ref)
            if not isinstance(form, PDFStream) or _literal(form.get("Subtype")) != "Form":
                continue
            key = ref.objid if isinstance(ref, PDFObjRef) else id(form)
            if key in drawing or len(drawing) >= MAX_FORM_NESTING:
                continue  # a form that draws itself, or nested deeper than pdfium goes
            weight = self.forms.get((key, exact))
            if weight is None:
                own = resolve1(form.get("Resources"))
                own = own if isinstance(own, dict) else resources
                form_content = decoded_content(form)
                if len(form_content) >= MAX_CONTENT_BYTES:
                    weight = Weight(content_cut=True)
                else:
                    weight = self.content(form_content, own, drawing | {key}, exact)
                self.forms[(key, exact)] = weight
            objects += n * weight.objects
            segments += n * weight.segments
            cut = cut or weight.content_cut
        return Weight(objects, segments, cut)


class TextFinder:
    """Whether a form draws any text, itself or through the forms it draws (each form looked
    at once): a page read for its text only need not unfold forms that draw none."""

    def __init__(self) -> None:
        self.found: dict[object, bool] = {}

    def draws_text(self, form, resources: dict, drawing: frozenset = frozenset()) -> bool:
        from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1

        key = form.objid if form.objid is not None else id(form)
        if key in self.found:
            return self.found[key]
        content = decoded_content(form)
        # a quote may be a text operator or a byte inside a string: when unsure, it has text
        answer = any(op in content for op in (b"Tj", b"TJ", b"'", b'"'))
        if not answer and b"Do" in content and len(drawing) < MAX_FORM_NESTING:
            own = resolve1(form.get("Resources"))
            own = own if isinstance(own, dict) else resources
            xobjects = resolve1(own.get("XObject")) if isinstance(own, dict) else None
            xobjects = xobjects if isinstance(xobjects, dict) else {}
            for raw_name in set(_DO.findall(content)):
                ref = xobjects.get(_name(raw_name))
                inner = resolve1(ref)
                inner_key = ref.objid if isinstance(ref, PDFObjRef) else id(inner)
                if (
                    isinstance(inner, PDFStream)
                    and _literal(inner.get("Subtype")) == "Form"
                    and inner_key not in drawing
                    and self.draws_text(inner, own, drawing | {key})
                ):
                    answer = True
                    break
        self.found[key] = answer
        return answer


def decoded_content(stream) -> bytes:
    """A content stream's bytes, at most MAX_CONTENT_BYTES of them: inflated here with a
    bound (pdfminer would inflate all of it); other filters by pdfminer."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    if stream.data is not None:
        return stream.data[:MAX_CONTENT_BYTES]
    raw = stream.rawdata or b""
    if stream.decipher and stream.objid is not None:
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    filters = stream.get_filters()
    if not filters:
        return raw[:MAX_CONTENT_BYTES]
    if len(filters) == 1 and filters[0][0] in LITERALS_FLATE_DECODE and not _predictor(filters[0][1]):
        return _inflate(raw)
    try:
        return stream.get_data()[:MAX_CONTENT_BYTES]
    except Exception:  # noqa: BLE001 - a stream pdfminer cannot decode draws nothing here
        return b""


def bound_content(stream) -> None:
    """Decode a content stream once, bounded, so that pdfminer's interpreter reads at most
    MAX_CONTENT_BYTES of it instead of inflating it whole."""
    if stream.data is None:
        stream.data = decoded_content(stream)
        stream.rawdata = None


def _inflate(raw: bytes) -> bytes:
    """Inflate at most MAX_CONTENT_BYTES, keeping what came out before any damage (as pdfium
    and pdfminer keep the readable start of a damaged stream)."""
    inflater = zlib.decompressobj()
    out: list[bytes] = []
    size = 0
    try:
        for start in range(0, len(raw), _INFLATE_CHUNK):
            piece = inflater.decompress(raw[start:start + _INFLATE_CHUNK], MAX_CONTENT_BYTES - size)
            out.append(piece)
            size += len(piece)
            if size >= MAX_CONTENT_BYTES or inflater.eof:
                break
    except zlib.error:
        pass
    return b"".join(out)


def _predictor(params) -> bool:
    from pdfminer.pdftypes import resolve1

    params = resolve1(params)
    return isinstance(params, dict) and resolve1(params.get("Predictor", 1)) not in (None, 1)


def _name(raw: bytes) -> str | bytes:
    """A name as pdfminer keys it: text if it is UTF-8, else its bytes."""
    raw = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


def _literal(value) -> str | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral

    value = resolve1(value)
    return value.name if isinstance(value, PSLiteral) else None
