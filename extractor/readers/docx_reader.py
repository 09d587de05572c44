"""Read a .docx into the unified `Document`.

The body XML is walked directly (python-docx opens and validates the package) because the
model needs what python-docx's objects hide: the real table grid (`w:gridSpan`, `w:vMerge`),
text inside text boxes, drawings, content controls (`w:sdt`) and the text Word generates for
automatic list numbering ("一、" that is not in any `w:t`).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field

import docx
from lxml import etree

from extractor.headings import classify_paragraph
from extractor.model import Block, Document, ImageInfo, Location, Table
from extractor.readers.grid import PlacedCell, caption_before, count_header_rows, expand_grid

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
V = "urn:schemas-microsoft-com:vml"
O = "urn:schemas-microsoft-com:office:office"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


W_P, W_TBL, W_TR, W_TC, W_T = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("t")
W_SDT, W_SDTCONTENT, W_CUSTOMXML = _w("sdt"), _w("sdtContent"), _w("customXml")
W_PPR, W_RPR, W_TCPR, W_TRPR = _w("pPr"), _w("rPr"), _w("tcPr"), _w("trPr")
W_TAB, W_BR, W_CR = _w("tab"), _w("br"), _w("cr")
W_DEL, W_MOVEFROM = _w("del"), _w("moveFrom")
W_DRAWING, W_PICT, W_OBJECT = _w("drawing"), _w("pict"), _w("object")
W_VAL = _w("val")
MC_ALT, MC_CHOICE, MC_FALLBACK = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice", f"{{{MC}}}Fallback"
EMU_PER_POINT = 12700

_SKIP_IN_TEXT = {W_PPR, W_RPR, W_DEL, W_MOVEFROM, MC_FALLBACK, W_TCPR, W_TRPR, _w("instrText")}


def read_docx(data: bytes, path: str) -> Document:
    wdoc = docx.Document(io.BytesIO(data))
    styles = _Styles(wdoc)
    numbering = _Numbering(wdoc, styles)
    reader = _BodyReader(path, styles, numbering)
    reader.read(wdoc.element.body)
    return Document(
        path=path,
        type="docx",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=None,
        blocks=reader.blocks,
        warnings=reader.warnings,
    )


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline_level: int | None
    num_id: str | None
    ilvl: int | None


class _Styles:
    def __init__(self, wdoc: docx.document.Document) -> None:
        self.by_id: dict[str, _Style] = {}
        self.default_id: str | None = None
        root = wdoc.styles.element
        for st in root.iterchildren(_w("style")):
            if st.get(_w("type")) != "paragraph":
                continue
            sid = st.get(_w("styleId"))
            name_el = st.find(_w("name"))
            based = st.find(_w("basedOn"))
            ppr = st.find(W_PPR)
            outline = num_id = ilvl = None
            if ppr is not None:
                outline = _int_val(ppr.find(_w("outlineLvl")))
                num_pr = ppr.find(_w("numPr"))
                if num_pr is not None:
                    num_id = _str_val(num_pr.find(_w("numId")))
                    ilvl = _int_val(num_pr.find(_w("ilvl")))
            self.by_id[sid] = _Style(
                name=name_el.get(W_VAL) if name_el is not None else sid,
                based_on=based.get(W_VAL) if based is not None else None,
                outline_level=outline,
                num_id=num_id,
                ilvl=ilvl,
            )
            if st.get(_w("default")) in ("1", "true"):
                self.default_id = sid

    def resolve(self, style_id: str | None) -> tuple[str | None, int | None, str | None, int | None]:
        """(name, outline level, numId, ilvl) following `basedOn` for the inherited parts."""
        sid = style_id or self.default_id
        style = self.by_id.get(sid) if sid else None
        if style is None:
            return None, None, None, None
        name = style.name
        outline, num_id, ilvl = style.outline_level, style.num_id, style.ilvl
        seen = {sid}
        parent = style.based_on
        while parent and parent not in seen and (outline is None or num_id is None):
            seen.add(parent)
            ps = self.by_id.get(parent)
            if ps is None:
                break
            outline = outline if outline is not None else ps.outline_level
            if num_id is None:
                num_id, ilvl = ps.num_id, ps.ilvl if ilvl is None else ilvl
            parent = ps.based_on
        return name, outline, num_id, ilvl


@dataclass
class _Level:
    start: int
    fmt: str
    text: str


@dataclass
class _Numbering:
    """Renders Word's automatic list numbers ("%1、" with chineseCounting -> "一、")."""

    wdoc: docx.document.Document
    styles: _Styles
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId -> levels
    num_abstract: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    start_overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    used_nums: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        try:
            root = self.wdoc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for an in root.iterchildren(_w("abstractNum")):
            aid = an.get(_w("abstractNumId"))
            self.levels[aid] = {}
            for lvl in an.iterchildren(_w("lvl")):
                ilvl = int(lvl.get(_w("ilvl"), "0"))
                self.levels[aid][ilvl] = _Level(
                    start=_int_val(lvl.find(_w("start"))) or 1,
                    fmt=_str_val(lvl.find(_w("numFmt"))) or "decimal",
                    text=_str_val(lvl.find(_w("lvlText"))) or "",
                )
        for num in root.iterchildren(_w("num")):
            nid = num.get(_w("numId"))
            abstract = num.find(_w("abstractNumId"))
            if abstract is None:
                continue
            self.num_abstract[nid] = abstract.get(W_VAL)
            for ov in num.iterchildren(_w("lvlOverride")):
                start = _int_val(ov.find(_w("startOverride")))
                if start is not None:
                    self.start_overrides.setdefault(nid, {})[int(ov.get(_w("ilvl"), "0"))] = start

    def label(self, num_id: str | None, ilvl: int | None) -> str:
        """The number text of the next paragraph of list `num_id` at level `ilvl`, or ""."""
        if not num_id or num_id == "0" or num_id not in self.num_abstract:
            return ""
        aid = self.num_abstract[num_id]
        levels = self.levels.get(aid, {})
        ilvl = ilvl or 0
        level = levels.get(ilvl)
        if level is None or level.fmt in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(aid, {})
        if num_id not in self.used_nums:
            self.used_nums.add(num_id)
            for lv, start in self.start_overrides.get(num_id, {}).items():
                counters[lv] = start - 1
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def repl(m: re.Match[str]) -> str:
            lv = int(m.group(1)) - 1
            lvl = levels.get(lv)
            if lvl is None:
                return ""
            value = counters.get(lv, lvl.start)
            return _format_number(value, lvl.fmt)

        return re.sub(r"%(\d)", repl, level.text)


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital"):
        import cn2an  # 0.15 s to import: only for Chinese list numbering

        text = cn2an.an2cn(n, "up" if fmt == "chineseLegalSimplified" else "low")
        return text if fmt != "ideographDigital" else "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("upperLetter", "lowerLetter") and n >= 1:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and n >= 1:
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


class _BodyReader:
    def __init__(self, path: str, styles: _Styles, numbering: _Numbering) -> None:
        self.path = path
        self.styles = styles
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.n_tables = 0

    def read(self, body: etree._Element) -> None:
        for el in _block_elements(body):
            if el.tag == W_P:
                self._paragraph(el)
            else:
                self._table(el)

    def _loc(self, **kw: int | None) -> Location:
        return Location(file=self.path, paragraph=len(self.blocks) + 1, **kw)

    def _paragraph(self, p: etree._Element) -> None:
        ppr = p.find(W_PPR)
        style_id = num_id = None
        ilvl = outline = None
        if ppr is not None:
            style_id = _str_val(ppr.find(_w("pStyle")))
            outline = _int_val(ppr.find(_w("outlineLvl")))
            num_pr = ppr.find(_w("numPr"))
            if num_pr is not None:
                num_id = _str_val(num_pr.find(_w("numId")))
                ilvl = _int_val(num_pr.find(_w("ilvl")))
        style_name, style_outline, style_num, style_ilvl = self.styles.resolve(style_id)
        if outline is None:
            outline = style_outline
        if num_id is None:
            num_id = style_num
            ilvl = ilvl if ilvl is not None else style_ilvl
        text = paragraph_text(p).strip()
        images = drawings_in(p)
        # counted even for an empty paragraph: Word shows (and counts) its number
        label = self.numbering.label(num_id, ilvl)
        if text:
            if label:
                text = label + text
            kind, level, token = classify_paragraph(text, style_name, outline)
            self.blocks.append(
                Block(kind=kind, text=text, level=level, numbering=token, style=style_name, loc=self._loc())
            )
        for info in images:
            self.blocks.append(Block(kind="image", image=info, style=style_name, loc=self._loc()))

    def _table(self, tbl: etree._Element) -> None:
        placed, n_rows, n_cols = table_layout(tbl)
        if n_rows == 0 or n_cols == 0:
            return
        self.n_tables += 1
        index = self.n_tables
        block_no = len(self.blocks) + 1

        def loc_of(r: int, c: int) -> Location:
            return Location(file=self.path, table=index, row=r, column=c, paragraph=block_no)

        rows = expand_grid(placed, n_rows, n_cols, loc_of)
        table = Table(
            index=index,
            rows=rows,
            header_rows=count_header_rows(rows),
            caption=caption_before(self.blocks),
            loc=Location(file=self.path, table=index, paragraph=block_no),
        )
        self.blocks.append(Block(kind="table", table=table, loc=table.loc))


def _block_elements(parent: etree._Element):
    """Paragraphs and tables in document order, looking through content controls."""
    for child in parent:
        tag = child.tag
        if tag in (W_P, W_TBL):
            yield child
        elif tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _block_elements(content)
        elif tag == W_CUSTOMXML:
            yield from _block_elements(child)


def paragraph_text(p: etree._Element) -> str:
    """Visible text of a paragraph, including text boxes anchored in it (each on its own
    line), without deleted revisions or the duplicate VML fallback of a drawing."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_IN_TEXT:
                continue
            if tag == W_T:
                parts.append(child.text or "")
            elif tag == W_TAB:
                parts.append("\t")
            elif tag in (W_BR, W_CR):
                if child.get(_w("type")) in (None, "textWrapping"):
                    parts.append("\n")
            elif tag == W_P:
                parts.append("\n")
                walk(child)
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _cell_text(tc: etree._Element) -> str:
    lines: list[str] = []
    for el in _block_elements(tc):
        if el.tag == W_P:
            lines.append(paragraph_text(el).strip())
        else:
            # a nested table: its rows as lines, its cells separated by spaces
            placed, _, _ = table_layout(el)
            by_row: dict[int, list[str]] = {}
            for pc in placed:
                if pc.text:
                    by_row.setdefault(pc.row, []).append(pc.text.replace("\n", " "))
            lines.extend(" ".join(cells) for _, cells in sorted(by_row.items()))
    return "\n".join(line for line in lines if line).strip()


def _row_cells(tr: etree._Element):
    for child in tr:
        if child.tag == W_TC:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _row_cells(content)
        elif child.tag == W_CUSTOMXML:
            yield from _row_cells(child)


def _table_rows(tbl: etree._Element):
    for child in tbl:
        if child.tag == W_TR:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _table_rows(content)
        elif child.tag == W_CUSTOMXML:
            yield from _table_rows(child)


def table_layout(tbl: etree._Element) -> tuple[list[PlacedCell], int, int]:
    """The table's real cells on the grid (0-based) with spans, and the grid size.

    `w:gridSpan` gives horizontal merges, `w:vMerge` restart/continue vertical ones, the
    legacy `w:hMerge` is honoured too, and `w:gridBefore`/`w:gridAfter` shift rows."""
    placed: list[PlacedCell] = []
    open_vertical: dict[int, PlacedCell] = {}
    n_cols = 0
    rows = list(_table_rows(tbl))
    for r, tr in enumerate(rows):
        trpr = tr.find(W_TRPR)
        col = 0
        after = 0
        if trpr is not None:
            col = _int_val(trpr.find(_w("gridBefore"))) or 0
            after = _int_val(trpr.find(_w("gridAfter"))) or 0
        last: PlacedCell | None = None
        touched: set[int] = set()
        for tc in _row_cells(tr):
            tcpr = tc.find(W_TCPR)
            span = 1
            vmerge = hmerge = None
            if tcpr is not None:
                span = max(1, _int_val(tcpr.find(_w("gridSpan"))) or 1)
                vm = tcpr.find(_w("vMerge"))
                if vm is not None:
                    vmerge = vm.get(W_VAL) or "continue"
                hm = tcpr.find(_w("hMerge"))
                if hm is not None:
                    hmerge = hm.get(W_VAL) or "continue"
            touched.add(col)
            if vmerge == "continue" and col in open_vertical:
                origin = open_vertical[col]
                origin.rowspan = r - origin.row + 1
            elif hmerge == "continue" and last is not None:
                last.colspan += span
            else:
                last = PlacedCell(row=r, col=col, text=_cell_text(tc), colspan=span)
                placed.append(last)
                if vmerge == "restart":
                    open_vertical[col] = last
                else:
                    open_vertical.pop(col, None)
            col += span
        for stale in [c for c in open_vertical if c not in touched]:
            del open_vertical[stale]
        n_cols = max(n_cols, col + after)
    return placed, len(rows), n_cols


def drawings_in(p: etree._Element) -> list[ImageInfo]:
    """One `ImageInfo` per drawing object anchored in the paragraph."""
    found: list[ImageInfo] = []

    def walk(el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in (W_PPR, W_RPR):
                continue
            if tag == MC_ALT:
                info = _alternate_content_info(child)
                if info is not None:
                    found.append(info)
            elif tag == W_DRAWING:
                found.append(_drawing_info(child))
            elif tag in (W_PICT, W_OBJECT):
                found.append(_vml_info(child, embedded=tag == W_OBJECT))
            else:
                walk(child)

    walk(p)
    return found


def _alternate_content_info(alt: etree._Element) -> ImageInfo | None:
    for branch in (alt.find(MC_CHOICE), alt.find(MC_FALLBACK)):
        if branch is None:
            continue
        drawing = next(branch.iter(W_DRAWING), None)
        if drawing is not None:
            return _drawing_info(drawing)
        pict = next(branch.iter(W_PICT), None)
        if pict is not None:
            return _vml_info(pict, embedded=False)
    return None


def _drawing_info(drawing: etree._Element) -> ImageInfo:
    doc_pr = next(drawing.iter(f"{{{WP}}}docPr"), None)
    extent = next(drawing.iter(f"{{{WP}}}extent"), None)
    graphic_data = next(drawing.iter(f"{{{A}}}graphicData"), None)
    uri = graphic_data.get("uri", "") if graphic_data is not None else ""
    is_picture = uri.endswith("/picture")
    pic_name = None
    if is_picture:
        c_nv_pr = next(drawing.iter(f"{{{PIC}}}cNvPr"), None)
        pic_name = c_nv_pr.get("name") if c_nv_pr is not None else None
    doc_name = doc_pr.get("name") if doc_pr is not None else None
    descr = (doc_pr.get("descr") or doc_pr.get("title")) if doc_pr is not None else None
    # pic:cNvPr often keeps the inserted file's own name ("营业执照.jpg"); prefer it
    name = pic_name if pic_name and "." in pic_name else (doc_name or pic_name or descr)
    width = height = None
    if extent is not None:
        width = _emu_to_pt(extent.get("cx"))
        height = _emu_to_pt(extent.get("cy"))
    return ImageInfo(name=name, width=width, height=height, description=descr or None, diagram=not is_picture)


_VML_SHAPES = ("shape", "rect", "roundrect", "oval", "line", "polyline", "group", "arc", "curve")


def _vml_info(el: etree._Element, embedded: bool) -> ImageInfo:
    shape = next((s for s in el.iter() if isinstance(s.tag, str) and s.tag.startswith(f"{{{V}}}")
                  and s.tag.split("}")[1] in _VML_SHAPES), None)
    imagedata = next(el.iter(f"{{{V}}}imagedata"), None)
    has_text = next(el.iter(f"{{{V}}}textbox"), None) is not None
    is_group = next(el.iter(f"{{{V}}}group"), None) is not None
    name = descr = None
    width = height = None
    if shape is not None:
        name = shape.get("alt") or shape.get("id")
        descr = shape.get("alt")
        width, height = _vml_size(shape.get("style", ""))
    if imagedata is not None:
        name = imagedata.get(f"{{{O}}}title") or name
    if embedded and not name:
        name = "嵌入对象"
    return ImageInfo(
        name=name,
        width=width,
        height=height,
        description=descr,
        diagram=imagedata is None or has_text or is_group,
    )


_CSS_LENGTH = re.compile(r"(width|height)\s*:\s*([\d.]+)\s*(pt|in|cm|mm|px)?", re.IGNORECASE)
_TO_PT = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, None: 1.0}


def _vml_size(style: str) -> tuple[float | None, float | None]:
    sizes: dict[str, float] = {}
    for prop, value, unit in _CSS_LENGTH.findall(style):
        sizes[prop.lower()] = round(float(value) * _TO_PT[unit.lower() or None], 2)
    return sizes.get("width"), sizes.get("height")


def _emu_to_pt(value: str | None) -> float | None:
    try:
        return round(int(value) / EMU_PER_POINT, 2) if value is not None else None
    except ValueError:
        return None


def _str_val(el: etree._Element | None) -> str | None:
    return el.get(W_VAL) if el is not None else None


def _int_val(el: etree._Element | None) -> int | None:
    v = _str_val(el)
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None
