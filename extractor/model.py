"""The unified document model every reader produces.

One reader per format turns a file into a `Document`: an ordered list of blocks
(headings, paragraphs, tables, images), each carrying the `Location` it came from.
Everything downstream (form extraction, checkers, reports) reads only this model.

All positional indices in a `Location` are 1-based, because reviewers read them.
"""

from __future__ import annotations

from typing import Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field

FileType = Literal["docx", "xlsx", "pdf", "image", "other"]
BlockKind = Literal["heading", "paragraph", "table", "image"]


class Location(BaseModel):
    """Where a value sits in the package. Unused coordinates stay None."""

    model_config = ConfigDict(frozen=True)

    file: str
    page: int | None = None
    sheet: str | None = None
    cell: str | None = None  # A1 reference (xlsx only)
    table: int | None = None  # 1-based index of the table within the file
    row: int | None = None  # 1-based row within the table grid
    column: int | None = None  # 1-based column within the table grid
    paragraph: int | None = None  # 1-based index of the block within the file
    # where on the page, for text read by OCR: (x0, top, x1, bottom) in PDF points of the page
    # as displayed (an image file: its pixels at its resolution, 72 dpi when it states none).
    # Left out of `model_dump()`, so a finding's id (checkers.finding) never depends on it; the
    # report's location objects carry it (service.reports.model.location_dict).
    box: tuple[float, float, float, float] | None = Field(default=None, exclude=True)

    def describe(self) -> str:
        """Human-readable Chinese description, e.g. '报告.docx 第3页 表2 第4行第3列'."""
        parts = [self.file]
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.sheet is not None:
            parts.append(f"工作表「{self.sheet}」")
        if self.cell is not None:
            parts.append(f"单元格{self.cell}")
        if self.table is not None:
            parts.append(f"表{self.table}")
        if self.row is not None and self.column is not None:
            parts.append(f"第{self.row}行第{self.column}列")
        elif self.row is not None:
            parts.append(f"第{self.row}行")
        if self.paragraph is not None and self.table is None:
            parts.append(f"第{self.paragraph}段")
        return " ".join(parts)


class Cell(BaseModel):
    """One position of a table grid. A merged cell is repeated at every grid
    position it covers; `origin` then points at its top-left position."""

    text: str
    row: int  # 1-based
    col: int  # 1-based
    rowspan: int = 1
    colspan: int = 1
    origin: tuple[int, int] | None = None  # (row, col) of the merge's top-left cell
    loc: Location
    # a cell of a table read by OCR (a scanned page): the recogniser's lowest confidence over
    # the lines of its text, 0…1 (None for an empty cell); None for text taken from the file
    confidence: float | None = None

    @property
    def is_continuation(self) -> bool:
        return self.origin is not None and self.origin != (self.row, self.col)


class Table(BaseModel):
    index: int  # 1-based within the document
    rows: list[list[Cell]]
    header_rows: int = 0  # leading rows recognised as header
    caption: str | None = None  # nearest title-like text before the table
    loc: Location  # location of the table as a whole (first page / sheet)
    pages: list[int] = Field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def text_grid(self) -> list[list[str]]:
        return [[c.text for c in r] for r in self.rows]

    def cell(self, row: int, col: int) -> Cell | None:
        """1-based access; None outside the grid."""
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None


class ImageInfo(BaseModel):
    name: str | None = None  # file name or embedded part name
    width: float | None = None  # points, where known
    height: float | None = None
    description: str | None = None  # alt text / caption
    diagram: bool = False  # a drawing made of shapes rather than a bitmap


class Block(BaseModel):
    kind: BlockKind
    text: str = ""
    level: int | None = None  # heading level, 1 = top
    numbering: str | None = None  # the numbering token as written, e.g. "一、" or "（二）"
    style: str | None = None  # Word style name, where the format has styles
    table: Table | None = None
    image: ImageInfo | None = None
    loc: Location
    # text read by OCR (extractor/ocr): the recogniser's mean confidence over its characters,
    # 0…1; None for text taken from the file itself
    confidence: float | None = None


class PictureHash(BaseModel):
    """A picture's perceptual hash (extractor/audit/pictures.py): the audit finds it reused."""

    file: str
    part: str | None = None  # the picture's part inside a Word/Excel file; None: the file is the picture
    phash: str  # 256-bit pHash (hash_size 16), hex
    width: int  # pixels
    height: int
    thumbnail: str | None = None  # base64 JPEG, at most 160 pixels a side: shown beside its copy
    paper: bool = False  # mostly white with dark marks (a document, a screenshot, a chart)


class SealMark(BaseModel):
    """A red seal (公章) found on a page (extractor/readers/seal_pass.py)."""

    page: int  # 1-based
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points of the page as displayed
    diameter_mm: float
    confidence: float  # the detector's, 0…1


class Document(BaseModel):
    """One file of a package, parsed."""

    path: str  # path inside the package, '/'-separated
    type: FileType
    sha256: str
    size: int = 0
    pages: int | None = None
    has_text_layer: bool = True
    blocks: list[Block] = Field(default_factory=list)
    error: str | None = None  # why the file could not be read (then blocks is empty)
    # what kind of failure `error` is: "damaged", "encrypted", "unsupported", "empty", or
    # "limit" (the file asks for more than `extractor.limits` allows: time, memory, size)
    problem: str | None = None
    warnings: list[str] = Field(default_factory=list)
    # what the reader left out of a file it did read (a picture it cannot decode, rows beyond
    # a limit, a span clamped to its grid): each one is shown to the reviewer as a finding
    omissions: list[str] = Field(default_factory=list)
    # red seals found, and the pages looked at for them (not every page is: seal_pass.py says
    # which); a page not looked at says nothing about a seal
    seals: list[SealMark] = Field(default_factory=list)
    seal_pages: list[int] = Field(default_factory=list)  # looked at, in colour
    mono_pages: list[int] = Field(default_factory=list)  # looked at, but black and white: a seal cannot be told
    scan_pages: list[int] = Field(default_factory=list)  # pages that are pictures of paper (no text layer)
    pictures: list[PictureHash] = Field(default_factory=list)  # perceptual hashes, for the audit

    def tables(self) -> Iterator[Table]:
        for b in self.blocks:
            if b.kind == "table" and b.table is not None:
                yield b.table

    def headings(self) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind == "heading")

    def text_blocks(self) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind in ("heading", "paragraph"))

    def images(self) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind == "image")

    def full_text(self) -> str:
        """All text in reading order, tables flattened row by row."""
        out: list[str] = []
        for b in self.blocks:
            if b.kind == "table" and b.table is not None:
                for r in b.table.rows:
                    seen: set[tuple[int, int]] = set()
                    cells = []
                    for c in r:
                        key = c.origin or (c.row, c.col)
                        if key in seen:
                            continue
                        seen.add(key)
                        cells.append(c.text)
                    out.append("\t".join(cells))
            elif b.text:
                out.append(b.text)
        return "\n".join(out)
