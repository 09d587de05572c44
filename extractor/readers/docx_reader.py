"""Read a .docx into the unified `Document`.

The body XML is walked directly (python-docx opens and validates the package) because the
model needs what python-docx's objects hide: the real table grid (`w:gridSpan`, `w:vMerge`),
text inside text boxes, drawings, content controls (`w:sdt`) and the text Word generates for
automatic list numbering ("一、" that is not in any `w:t`).

A submitted file is hostile input, so the reading is bounded by `extractor.limits`: spans are
clamped to the table's grid, a table is read up to `table_rows` rows and `table_columns`
columns, all tables together up to `file_cells` grid positions, list counters up to
`list_counter`; what is left out is named in `Document.omissions`.  A body too large to hold
only that many cells is pruned while it is streamed, before python-docx builds its tree.
Strict Open XML is read through its Transitional twin (`extractor.readers.ooxml`).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field

import docx
from lxml import etree

from extractor.headings import classify_paragraph
from extractor.limits import ReadLimits, get_limits
from extractor.model import Block, Document, ImageInfo, Location, Table
from extractor.readers.docx_pictures import A_BLIP, PictureReader, picture_blobs, placed_in_word
from extractor.readers.grid import (
    CellBudget,
    PlacedCell,
    caption_before,
    count_header_rows,
    expand_grid,
)
from extractor.readers.ooxml import DamagedOoxml, OoxmlPackage, StrictOoxml, quiet_library_warnings, zip_damage_as_finding

__all__ = ["StrictOoxml", "drawings_in", "paragraph_text", "read_docx", "table_layout"]

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
    """The file as a `Document`.  Raises `LimitExceeded` for a package too large to open,
    `StrictOoxml` for a Strict file python-docx cannot read even as Transitional."""
    limits = get_limits()
    with quiet_library_warnings(), zip_damage_as_finding():
        pkg = OoxmlPackage(data, limits)
        main = pkg.main_part()
        if main is not None:
            _prune_oversized_body(pkg, main, limits)
        try:
            wdoc = docx.Document(io.BytesIO(pkg.to_bytes()))
        except Exception as e:
            if pkg.strict:
                raise StrictOoxml("Word", e) from e
            raise
        if wdoc.element.tag != f"{{{W}}}document":
            raise DamagedOoxml("主文档部件不是 Word 正文（其根元素不是 w:document）")
        styles = _Styles(wdoc)
        numbering = _Numbering(wdoc, styles, limit=limits.list_counter)
        pictures = PictureReader(path, sum(1 for _ in wdoc.element.body.iter(A_BLIP)))
        reader = _BodyReader(path, styles, numbering, limits, pictures, wdoc.part)
        reader.read(wdoc.element.body)
        stopped = wdoc.element.get(_PRUNED_STOP)
        if stopped is not None:
            reader.omissions.append(
                f"正文中超出上限而跳过的表格行已达 {stopped} 行（多于全文件上限 {limits.file_cells} 个单元格与"
                f"每表 {limits.table_rows} 行之和），其后的内容未读取"
            )
    return Document(
        path=path,
        type="docx",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=None,
        blocks=reader.blocks,
        warnings=[*reader.warnings, *pictures.result.warnings],
        omissions=reader.omissions,
        seals=pictures.result.seals,
    )


# ---------------------------------------------------------------------------------------
# a body too large for the limits, pruned while streamed

# Marks the pruning leaves for the reader (python-docx keeps unknown attributes): what a table
# or row had before rows or cells were dropped, which limit dropped them, and on the document
# element that the body was not read to its end.
_LIMITS_NS = "urn:x-shencha:read-limits"
_PRUNED_ROWS = f"{{{_LIMITS_NS}}}rows"
_PRUNED_BY = f"{{{_LIMITS_NS}}}by"
_PRUNED_CELLS = f"{{{_LIMITS_NS}}}cells"
_PRUNED_STOP = f"{{{_LIMITS_NS}}}stopped"
# the fewest bytes a table cell (or row) takes in the XML: `<w:tc/>`
_MIN_CELL_BYTES = 7
_CHUNK = 1 << 20  # bytes of XML parsed between two looks at the rows still open


def _prune_oversized_body(pkg: OoxmlPackage, part: str, limits: ReadLimits) -> None:
    """A body that could hold more cells than the file may read is streamed first and its
    tables cut to the limits, so python-docx never builds a tree for the rest.  A smaller
    body cannot hold more than `file_cells` cells: it is read as it is."""
    if pkg.size(part) <= _MIN_CELL_BYTES * limits.file_cells:
        return
    with pkg.open(part) as source:
        pruned = prune_tables(source, limits)
    if pruned is not None:
        pkg.replace(part, pruned)


class _Pruner:
    """The state of `prune_tables`: open tables and rows, and what was kept."""

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        # a row's children beyond this many are dropped (its cells and a w:trPr / w:tblPrEx)
        self.row_children = limits.table_columns + 2
        self.open_tables: list[etree._Element] = []
        self.open_rows: list[etree._Element] = []
        self.tables: dict[etree._Element, list[int]] = {}  # table -> [rows seen, rows kept]
        self.cut_by: dict[etree._Element, str] = {}
        self.trimmed: dict[etree._Element, int] = {}  # open row -> children already dropped
        self.kept = 0  # cells kept (an empty row counts one), all tables together
        self.rows_dropped = 0
        self.stopped = False
        self.changed = False
        self.root: etree._Element | None = None

    def handle(self, events) -> None:
        for event, el in events:
            if self.stopped:
                return  # what follows was cut off
            if self.root is None:
                self.root = el.getroottree().getroot()
            if el.tag == W_TR:
                if event == "start":
                    self.open_rows.append(el)
                else:
                    self.open_rows.pop()
                    self._end_row(el)
            elif event == "start":
                self.open_tables.append(el)
                self.tables[el] = [0, 0]
            else:
                self.open_tables.pop()
                self._end_table(el)

    def _end_row(self, tr: etree._Element) -> None:
        limits = self.limits
        table = self.open_tables[-1] if self.open_tables else None
        counts = self.tables.get(table, [0, 0])
        counts[0] += 1
        trimmed = self.trimmed.pop(tr, 0)  # children dropped while it was open: cells
        if table in self.cut_by or counts[1] >= limits.table_rows:
            self._drop_row(tr, table, "table_rows" if counts[1] >= limits.table_rows else "file_cells")
            return
        cells = sum(1 for _ in tr.iterchildren(W_TC)) + trimmed
        # what the reader will take from it at most: never more than it (spans only widen a
        # row), so pruning never removes a row the reader would have read
        cost = max(1, min(cells, limits.table_columns))
        if self.kept + cost > limits.file_cells:
            self._drop_row(tr, table, "file_cells")
            return
        counts[1] += 1
        self.kept += cost
        if len(tr) > self.row_children:
            del tr[self.row_children :]  # the children past `row_children` are cells
            tr.set(_PRUNED_CELLS, str(cells))
            self.changed = True

    def _drop_row(self, tr: etree._Element, table: etree._Element | None, limit: str) -> None:
        self.cut_by.setdefault(table, limit)
        self.rows_dropped += 1
        if self.rows_dropped > self.limits.file_cells + self.limits.table_rows:
            # dropping costs work too: past more rows than a file may hold, the body ends here
            self._stop_at(tr)
            return
        tr.clear()  # freeing the children first: removing a full row costs a walk of it
        tr.getparent().remove(tr)
        self.changed = True

    def _stop_at(self, tr: etree._Element) -> None:
        """The body is cut at this row: it and everything after it go (the parser is not fed
        again), what came before stays a well-formed tree."""
        node = tr
        while (parent := node.getparent()) is not None:
            for later in list(node.itersiblings()):
                parent.remove(later)
            node = parent
        tr.getparent().remove(tr)
        for tbl in reversed(self.open_tables):
            self._end_table(tbl, complete=False)
        if self.root is not None:
            self.root.set(_PRUNED_STOP, str(self.rows_dropped))
        self.stopped = True
        self.changed = True

    def _end_table(self, tbl: etree._Element, complete: bool = True) -> None:
        counts = self.tables.pop(tbl, [0, 0])
        if tbl in self.cut_by:
            # a table the body was cut in: its rows are counted up to the cut ("71+")
            tbl.set(_PRUNED_ROWS, f"{counts[0]}" if complete else f"{counts[0]}+")
            tbl.set(_PRUNED_BY, self.cut_by.pop(tbl))

    def trim_open_rows(self) -> None:
        """A row still being parsed keeps at most `row_children` children and the one being
        built: one row of a million cells never sits in memory."""
        for tr in self.open_rows:
            extra = len(tr) - self.row_children - 1
            if extra > 0:
                del tr[self.row_children : -1]
                self.trimmed[tr] = self.trimmed.get(tr, 0) + extra
                self.changed = True


def prune_tables(source, limits: ReadLimits) -> bytes | None:
    """The body XML with table rows beyond `table_rows`, cells beyond `table_columns` in a row
    and rows beyond `file_cells` kept cells dropped while the XML is parsed, so memory holds
    only what is kept; None when nothing had to be dropped.  Tables and rows that lost content
    carry `_PRUNED_*` attributes saying what they had.  Cells wrapped in a content control
    count as one child of their row."""
    parser = etree.XMLPullParser(events=("start", "end"), tag=(W_TR, W_TBL), resolve_entities=False, no_network=True)
    pruner = _Pruner(limits)
    while not pruner.stopped and (chunk := source.read(_CHUNK)):
        parser.feed(chunk)
        pruner.handle(parser.read_events())
        pruner.trim_open_rows()
    if not pruner.stopped:
        root = parser.close()
        pruner.handle(parser.read_events())
        pruner.root = root
    if not pruner.changed or pruner.root is None:
        return None
    # (serialised while `parser` is alive: a stopped parser is never fed or closed again)
    return etree.tostring(pruner.root, xml_declaration=True, encoding="UTF-8", standalone=True)


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
    """Renders Word's automatic list numbers ("%1、" with chineseCounting -> "一、").

    Counters are clamped to `limit` (`ReadLimits.list_counter`): a list may declare that it
    starts at 10¹⁵, and its roman or letter rendering must stay a short string."""

    wdoc: docx.document.Document
    styles: _Styles
    limit: int = 100_000
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId -> levels
    num_abstract: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    start_overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    used_nums: set[str] = field(default_factory=set)
    clamped: int | None = None  # the first counter value the file asked for beyond `limit`

    def __post_init__(self) -> None:
        try:
            root = self.wdoc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for an in root.iterchildren(_w("abstractNum")):
            aid = an.get(_w("abstractNumId"))
            self.levels[aid] = {}
            for lvl in an.iterchildren(_w("lvl")):
                ilvl = _int_attr(lvl, _w("ilvl"))
                self.levels[aid][ilvl] = _Level(
                    start=self._clamp(_int_val(lvl.find(_w("start"))), default=1),
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
                    self.start_overrides.setdefault(nid, {})[_int_attr(ov, _w("ilvl"))] = self._clamp(start, default=1)

    def _clamp(self, value: int | None, default: int) -> int:
        if value is None:
            return default
        if value > self.limit:
            if self.clamped is None:
                self.clamped = value
            return self.limit
        return max(0, value)

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
        counters[ilvl] = self._clamp(counters.get(ilvl, level.start - 1) + 1, default=1)
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


# beyond these the notation has no standard form (letters repeat: z, aa … 30 letters at 780;
# roman numerals end at MMMCMXCIX): the plain number is shown instead of a giant string
_MAX_LETTER = 780
_MAX_ROMAN = 3999
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
    if fmt in ("upperLetter", "lowerLetter") and 1 <= n <= _MAX_LETTER:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= n <= _MAX_ROMAN:
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
    def __init__(self, path: str, styles: _Styles, numbering: _Numbering, limits: ReadLimits,
                 pictures: PictureReader | None = None, part=None) -> None:
        self.path = path
        self.pictures = pictures
        self.part = part
        self.n_pictures = 0
        self.styles = styles
        self.numbering = numbering
        self.limits = limits
        self.budget = CellBudget(limits.file_cells)
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.omissions: list[str] = []
        self.n_tables = 0
        self.unread_tables: list[int] = []  # tables left out whole: the file's cells were used up

    def read(self, body: etree._Element) -> None:
        for el in _block_elements(body):
            if el.tag == W_P:
                self._paragraph(el)
            else:
                self._table(el)
        self._note_unread_tables()
        if self.numbering.clamped is not None:
            self.omissions.append(
                f"自动编号值 {self.numbering.clamped} 超过上限 {self.limits.list_counter}，编号按 {self.limits.list_counter} 显示"
            )

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
        if images and self.pictures is not None and self.part is not None:
            self._read_pictures(p)

    def _read_pictures(self, p: etree._Element) -> None:
        """The text of each picture of paper in the paragraph, after its pictures
        (extractor/readers/docx_pictures.py)."""
        for blob in picture_blobs(p, self.part):
            self.n_pictures += 1
            found, n_tables = self.pictures.read(blob, self.n_pictures)
            if found:
                self.blocks.extend(placed_in_word(found, len(self.blocks) + 1, self.n_tables))
                self.n_tables += n_tables

    def _table(self, tbl: etree._Element) -> None:
        layout = table_layout(tbl, self.limits, self.budget)
        if layout.total_rows == 0 or (layout.n_cols == 0 and layout.stopped_by is None):
            return
        self.n_tables += 1
        index = self.n_tables
        self._note_cuts(index, layout)
        if layout.n_rows == 0 or layout.n_cols == 0:
            return
        block_no = len(self.blocks) + 1

        def loc_of(r: int, c: int) -> Location:
            return Location(file=self.path, table=index, row=r, column=c, paragraph=block_no)

        rows = expand_grid(layout.placed, layout.n_rows, layout.n_cols, loc_of)
        self.budget.spend(layout.n_rows * layout.n_cols)
        table = Table(
            index=index,
            rows=rows,
            header_rows=count_header_rows(rows),
            caption=caption_before(self.blocks),
            loc=Location(file=self.path, table=index, paragraph=block_no),
        )
        self.blocks.append(Block(kind="table", table=table, loc=table.loc))

    def _note_cuts(self, index: int, layout: TableLayout) -> None:
        """What reading table `index` left out, for the reviewer (Chinese)."""
        limits = self.limits
        size = f"{'至少' if layout.total_is_lower_bound else '共'} {layout.total_rows} 行"
        if layout.stopped_by == "file_cells" and layout.n_rows == 0:
            self.unread_tables.append(index)
        elif layout.stopped_by == "file_cells":
            self.omissions.append(
                f"表{index} {size}，全文件表格超过上限 {limits.file_cells} 个单元格，只读取了前 {layout.n_rows} 行"
            )
        elif layout.stopped_by == "table_rows":
            self.omissions.append(
                f"表{index} {size}，超过上限 {limits.table_rows} 行，只读取了前 {layout.n_rows} 行"
            )
        if layout.widest > limits.table_columns:
            self.omissions.append(
                f"表{index} 有 {layout.widest} 列，超过上限 {limits.table_columns} 列，只读取了前 {limits.table_columns} 列"
            )
        if layout.n_clamped:
            shown = "、".join(layout.clamped) + ("等" if layout.n_clamped > len(layout.clamped) else "")
            self.omissions.append(
                f"表{index} 中 {layout.n_clamped} 处合并跨度超出表格的 {layout.grid_width} 列（{shown}），已按表格宽度截断"
            )
        if layout.nested_cut:
            self.omissions.append(f"表{index} 的单元格中有 {layout.nested_cut} 个嵌套表格超过上限，只读取了一部分")

    def _note_unread_tables(self) -> None:
        if not self.unread_tables:
            return
        first, last = self.unread_tables[0], self.unread_tables[-1]
        which = f"表{first}" if first == last else f"表{first}至表{last}"
        self.omissions.append(
            f"全文件表格超过上限 {self.limits.file_cells} 个单元格，{which}（共 {len(self.unread_tables)} 个表格）未读取"
        )


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


def _cell_text(tc: etree._Element, limits: ReadLimits, budget: CellBudget, layout: TableLayout) -> str:
    lines: list[str] = []
    for el in _block_elements(tc):
        if el.tag == W_P:
            lines.append(paragraph_text(el).strip())
        else:
            # a nested table: its rows as lines, its cells separated by spaces; it draws on the
            # file's cells like any table
            nested = table_layout(el, limits, budget)
            budget.spend(nested.n_rows * nested.n_cols)
            if nested.stopped_by or nested.widest > limits.table_columns or nested.nested_cut:
                layout.nested_cut += 1
            by_row: dict[int, list[str]] = {}
            for pc in nested.placed:
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


@dataclass
class TableLayout:
    """A Word table's real cells on its grid (0-based, spans clamped) and what reading it left out."""

    placed: list[PlacedCell] = field(default_factory=list)
    n_rows: int = 0  # rows read
    n_cols: int = 0
    total_rows: int = 0  # rows the table has, read or not
    total_is_lower_bound: bool = False  # the body was cut inside the table: it has more
    stopped_by: str | None = None  # "table_rows" or "file_cells" when rows were left unread
    grid_width: int = 0  # the columns spans are clamped to: w:tblGrid, at most table_columns
    widest: int = 0  # grid columns the widest row asks for, before `table_columns`
    n_clamped: int = 0  # spans and shifts cut to the grid
    clamped: list[str] = field(default_factory=list)  # the first few of them: "第2行 gridSpan=2147483648"
    nested_cut: int = 0  # nested tables in its cells read only in part


def table_layout(tbl: etree._Element, limits: ReadLimits | None = None, budget: CellBudget | None = None) -> TableLayout:
    """The table's real cells on the grid (0-based) with spans, and the grid size.

    `w:gridSpan` gives horizontal merges, `w:vMerge` restart/continue vertical ones, the
    legacy `w:hMerge` is honoured too, and `w:gridBefore`/`w:gridAfter` shift rows.  Spans and
    shifts are clamped to the table's grid (`w:tblGrid`, at most `table_columns` columns);
    rows are read while they fit `table_rows` and the file's `budget` of grid positions, so
    the work never exceeds what is kept."""
    limits = limits or get_limits()
    budget = budget if budget is not None else CellBudget(limits.file_cells)
    declared = _declared_grid_columns(tbl)
    total_rows, lower_bound = _total_rows(tbl)
    layout = TableLayout(
        total_rows=total_rows,
        total_is_lower_bound=lower_bound,
        grid_width=min(limits.table_columns, declared) if declared else limits.table_columns,
    )
    open_vertical: dict[int, PlacedCell] = {}
    for r, tr in enumerate(_table_rows(tbl)):
        if r >= limits.table_rows:
            layout.stopped_by = "table_rows"
            break
        mark = len(layout.placed)
        row_cols = _layout_row(tr, r, layout, open_vertical, limits, budget)
        n_cols = max(layout.n_cols, row_cols)
        if (r + 1) * n_cols > budget.remaining:
            del layout.placed[mark:]  # a cell it opened may still point at it: expand_grid clamps
            layout.stopped_by = "file_cells"
            break
        layout.n_rows, layout.n_cols = r + 1, n_cols
    if layout.stopped_by is None and tbl.get(_PRUNED_BY) is not None:
        layout.stopped_by = tbl.get(_PRUNED_BY)
    return layout


def _layout_row(
    tr: etree._Element,
    r: int,
    layout: TableLayout,
    open_vertical: dict[int, PlacedCell],
    limits: ReadLimits,
    budget: CellBudget,
) -> int:
    """Places row `r`'s cells into `layout`; returns the grid columns the row takes."""
    width = layout.grid_width
    trpr = tr.find(W_TRPR)
    before = after = 0
    if trpr is not None:
        before = max(0, _int_val(trpr.find(_w("gridBefore"))) or 0)
        after = max(0, _int_val(trpr.find(_w("gridAfter"))) or 0)
    col = _clamped(before, max(0, width - 1), r, "gridBefore", layout)
    last: PlacedCell | None = None
    touched: set[int] = set()
    cells = _row_cells(tr)
    for tc in cells:
        if col >= limits.table_columns:
            # the rest of the row is beyond the column limit: counted, not read
            layout.widest = max(layout.widest, col + 1 + sum(1 for _ in cells))
            break
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
        # a span may not reach past the grid; a row with more cells than the grid declares
        # still gets them, one column each, up to the column limit
        span = _clamped(span, max(1, min(width, limits.table_columns) - col), r, "gridSpan", layout)
        touched.add(col)
        if vmerge == "continue" and col in open_vertical:
            origin = open_vertical[col]
            origin.rowspan = r - origin.row + 1
        elif hmerge == "continue" and last is not None:
            last.colspan += span
        else:
            last = PlacedCell(row=r, col=col, text=_cell_text(tc, limits, budget, layout), colspan=span)
            layout.placed.append(last)
            if vmerge == "restart":
                open_vertical[col] = last
            else:
                open_vertical.pop(col, None)
        col += span
    for stale in [c for c in open_vertical if c not in touched]:
        del open_vertical[stale]
    declared_cells = tr.get(_PRUNED_CELLS)
    if declared_cells is not None:
        layout.widest = max(layout.widest, int(declared_cells))
    after = _clamped(after, max(0, width - col), r, "gridAfter", layout)
    return min(col + after, limits.table_columns)


def _clamped(value: int, allowed: int, r: int, name: str, layout: TableLayout) -> int:
    if value <= allowed:
        return value
    layout.n_clamped += 1
    if len(layout.clamped) < 3:
        layout.clamped.append(f"第{r + 1}行 {name}={value}")
    return allowed


def _declared_grid_columns(tbl: etree._Element) -> int:
    grid = tbl.find(_w("tblGrid"))
    return 0 if grid is None else sum(1 for _ in grid.iterchildren(_w("gridCol")))


def _total_rows(tbl: etree._Element) -> tuple[int, bool]:
    """The rows the table has, and whether that is only a lower bound (the body was cut)."""
    pruned = tbl.get(_PRUNED_ROWS) or ""
    if pruned.rstrip("+").isdigit():
        return int(pruned.rstrip("+")), pruned.endswith("+")
    return sum(1 for _ in _table_rows(tbl)), False


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


def _int_attr(el: etree._Element, name: str) -> int:
    try:
        return int(el.get(name, "0"))
    except ValueError:
        return 0


def _int_val(el: etree._Element | None) -> int | None:
    v = _str_val(el)
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None
