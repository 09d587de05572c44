"""Write the fuzzers' seed corpus, deterministically: `.venv/bin/python -m tests.fuzz.make_corpus`.

Each target gets a handful of small, valid (or deliberately odd) inputs under
`tests/fuzz/corpus/<target>/`, a few KB each.  The generated files are committed, so CI runs
the fuzzers without generating anything; run this again after changing it and commit the
result (`--check` says whether the committed files are what this script writes).

Office files are built part by part (python-docx's template alone is 36 KB); every zip is
written with fixed timestamps and attributes so the bytes never depend on when or where this
runs.  A package seed starts with one byte that selects the file name the package loader is
given (see `tests.fuzz.targets.PACKAGE_NAMES`).
"""

from __future__ import annotations

import argparse
import io
import re
import struct
import sys
import zipfile
from pathlib import Path
from typing import Callable

from tests.fuzz.targets import PACKAGE_NAMES

CORPUS = Path(__file__).resolve().parent / "corpus"
_EPOCH = (1980, 1, 1, 0, 0, 0)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# ---------------------------------------------------------------- zips


def zip_of(members: list[tuple[str, bytes]] | dict[str, bytes], method: int = zipfile.ZIP_DEFLATED, *,
           utf8_names: bool = True, external_attr: dict[str, int] | None = None, zip64: bool = False) -> bytes:
    """A zip with fixed timestamps; names not flagged UTF-8 are stored as GBK (as Chinese
    Windows archivers write them)."""
    items = list(members.items()) if isinstance(members, dict) else list(members)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method, compresslevel=9 if method == zipfile.ZIP_DEFLATED else None) as zf:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=_EPOCH) if utf8_names else _GbkInfo(name, date_time=_EPOCH)
            info.compress_type = method
            info.create_system = 3
            info.external_attr = (external_attr or {}).get(name, 0o100644 << 16)
            with zf.open(info, "w", force_zip64=zip64) as f:
                f.write(data)
    return buf.getvalue()


class _GbkInfo(zipfile.ZipInfo):
    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's own name
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def repack(data: bytes) -> bytes:
    """A library's zip written again with fixed timestamps, and its document properties without
    the time it was saved or the library's version (openpyxl stamps both)."""
    fixed = {
        "docProps/core.xml": re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)"),
        "docProps/app.xml": re.compile(rb"(<Application>)[^<]*(</Application>)"),
    }
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = [(i.filename, zf.read(i)) for i in zf.infolist()]
    parts = [(name, fixed[name].sub(rb"\g<1>2024-05-01T08:00:00Z\g<2>" if "core" in name else rb"\g<1>Shencha\g<2>", body))
             if name in fixed else (name, body) for name, body in parts]
    return zip_of(parts)


def streamed_zip(members: dict[str, bytes]) -> bytes:
    """A zip written to an unseekable stream: sizes in data descriptors after each member."""

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.out = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:
            self.out += b
            return len(b)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w") as f:
                f.write(data)
    return bytes(sink.out)


# ---------------------------------------------------------------- images


def png(width: int = 8, height: int = 6, color=(200, 30, 30), dpi: int | None = None) -> bytes:
    from PIL import Image

    img = Image.new("RGB", (width, height), color)
    buf = io.BytesIO()
    img.save(buf, format="PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return buf.getvalue()


def image_seeds() -> dict[str, bytes]:
    from PIL import Image

    out: dict[str, bytes] = {"scan_300dpi.png": png(16, 12, dpi=300), "palette.png": b""}
    pal = Image.new("P", (10, 10), 3)
    pal.putpalette([i % 256 for i in range(768)])
    buf = io.BytesIO()
    pal.save(buf, format="PNG", transparency=0)
    out["palette.png"] = buf.getvalue()

    def saved(img, fmt: str, **kw) -> bytes:
        b = io.BytesIO()
        img.save(b, format=fmt, **kw)
        return b.getvalue()

    rgb = Image.new("RGB", (12, 9), (10, 120, 200))
    rgb.putpixel((3, 3), (255, 255, 0))
    out["photo.jpg"] = saved(rgb, "JPEG", quality=50, dpi=(96, 96))
    frames = [Image.new("L", (6, 6), v) for v in (0, 128, 255)]
    out["animated.gif"] = saved(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=10, loop=0)
    out["gray.bmp"] = saved(Image.new("L", (5, 4), 77), "BMP")
    out["two_pages.tif"] = saved(rgb, "TIFF", save_all=True, append_images=[Image.new("RGB", (4, 4))],
                                 compression="tiff_deflate", dpi=(200, 200))
    out["lossless.webp"] = saved(rgb, "WEBP", lossless=True)
    return out


# ---------------------------------------------------------------- Word


def _ct(overrides: dict[str, str], defaults: dict[str, str] | None = None) -> bytes:
    d = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml",
         **(defaults or {})}
    body = "".join(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in d.items())
    body += "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides.items())
    return f'{DECL}<Types xmlns="{CT}">{body}</Types>'.encode()


def _rels(rels: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{R}/{t}" Target="{target}"/>' for i, t, target in rels)
    return f'{DECL}<Relationships xmlns="{PR}">{body}</Relationships>'.encode()


_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"

STYLES = f"""{DECL}<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Heading1"/>
<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style>
</w:styles>"""

NUMBERING = f"""{DECL}<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%2）"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1.%2.%3"/></w:lvl>
<w:lvl w:ilvl="3"><w:start w:val="0"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%4)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="5"/><w:numFmt w:val="decimalEnclosedCircle"/>
<w:lvlText w:val="%1"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="9"/></w:lvlOverride></w:num>
</w:numbering>"""


def _p(text: str, style: str | None = None, num: tuple[int, int] | None = None, extra: str = "") -> str:
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num:
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r>{extra}</w:p>'


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_p(text)}</w:tc>"


def docx_of(body: str, *, extra_parts: dict[str, bytes] | None = None, extra_rels: list[tuple[str, str, str]] | None = None,
            ns: str = "", w: str = W) -> bytes:
    document = (f'{DECL}<w:document xmlns:w="{w}" xmlns:r="{R}"{ns}><w:body>{body}'
                '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    overrides = {"/word/document.xml": f"{_WML}.document.main+xml", "/word/styles.xml": f"{_WML}.styles+xml",
                 "/word/numbering.xml": f"{_WML}.numbering+xml"}
    rels = [("rId1", "styles", "styles.xml"), ("rId2", "numbering", "numbering.xml"), *(extra_rels or [])]
    parts = {
        "[Content_Types].xml": _ct(overrides, {"png": "image/png"}),
        "_rels/.rels": _rels([("rId1", "officeDocument", "word/document.xml")]),
        "word/document.xml": document.encode(),
        "word/_rels/document.xml.rels": _rels(rels),
        "word/styles.xml": STYLES.encode(),
        "word/numbering.xml": NUMBERING.encode(),
        **(extra_parts or {}),
    }
    return zip_of(parts)


def docx_seeds() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    out["headings_lists.docx"] = docx_of(
        _p("关于申报2024年度工业固体废物资源综合利用示范项目的报告", "Title")
        + _p("企业基本情况", "Heading1", (1, 0))
        + _p("企业名称：某某新材料有限公司", num=(1, 1))
        + _p("统一社会信用代码：91420100MA4K2XXXXX", num=(1, 1))
        + _p("年产生量 12.5 万吨，综合利用率 80%", num=(1, 2))
        + _p("项目概况", "Heading2")
        + _p("第一条 总则", num=(2, 0))
        + _p("附件3", num=(1, 3))
        + '<w:p><w:r><w:t>申报日期：</w:t></w:r><w:r><w:tab/><w:t>2024年5月1日</w:t></w:r><w:r><w:br/></w:r>'
          '<w:ins><w:r><w:t>（修订）</w:t></w:r></w:ins><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>'
          '<w:hyperlink r:id="rIdX"><w:r><w:t>链接</w:t></w:r></w:hyperlink>'
          '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
          '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    grid = '<w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>'
    rows = [
        "<w:tr>" + _tc("固废名称", '<w:vMerge w:val="restart"/>') + _tc("2024年", '<w:gridSpan w:val="3"/>') + "</w:tr>",
        "<w:tr>" + _tc("", "<w:vMerge/>") + _tc("产生量（吨）") + _tc("利用量（吨）") + _tc("利用率") + "</w:tr>",
        "<w:tr>" + _tc("粉煤灰") + _tc("12.5") + _tc("10.0") + _tc("80%") + "</w:tr>",
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>' + _tc("3") + _tc("3") + _tc("100%") + "</w:tr>",
        "<w:tr>" + _tc("合计", '<w:hMerge w:val="restart"/>') + _tc("", '<w:hMerge w:val="continue"/>') + _tc("15.5")
        + _tc("") + "</w:tr>",
    ]
    nested = ('<w:tbl><w:tblGrid><w:gridCol w:w="1000"/></w:tblGrid><w:tr><w:tc>'
              '<w:tbl><w:tblGrid><w:gridCol w:w="500"/><w:gridCol w:w="500"/></w:tblGrid><w:tr>'
              + _tc("内") + _tc("表") + "</w:tr></w:tbl>" + _p("") + "</w:tc></w:tr></w:tbl>")
    out["tables.docx"] = docx_of(
        _p("附件3 湖北省工业固体废物资源综合利用情况年报表（2024年）") + _p("单位：吨")
        + f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr>{grid}{"".join(rows)}</w:tbl>'
        + _p("续表") + nested + _p("完")
    )
    ns = (' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
          ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
          ' xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
          ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
          ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
          ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"')
    inline = ('<w:r><w:drawing><wp:inline><wp:extent cx="1270000" cy="635000"/><wp:docPr id="1" name="营业执照"'
              ' descr="扫描件"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
              '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="image1.png"/><pic:cNvPicPr/></pic:nvPicPr>'
              '<pic:blipFill><a:blip r:embed="rId9"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData>'
              "</a:graphic></wp:inline></w:drawing></w:r>")
    textbox = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor simplePos="0" relativeHeight="1"'
               ' behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
               '<wp:extent cx="1270000" cy="635000"/><wp:docPr id="2" name="文本框 1"/><a:graphic>'
               '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
               '<wps:txbx><w:txbxContent>' + _p("盖章处") + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData>"
               '</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape id="tb1"'
               ' style="width:100pt;height:50pt"><v:textbox><w:txbxContent>' + _p("盖章处")
               + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    vml = ('<w:r><w:pict><v:shape id="s2" style="width:72pt;height:36.5pt"><v:imagedata r:id="rId9" o:title="印章"/>'
           "</v:shape></w:pict></w:r>")
    out["drawings.docx"] = docx_of(
        _p("营业执照副本：") + f"<w:p>{inline}</w:p>" + f"<w:p>{textbox}</w:p>" + f"<w:p>{vml}</w:p>",
        extra_parts={"word/media/image1.png": png(4, 4)},
        extra_rels=[("rId9", "image", "media/image1.png")],
        ns=ns,
    )
    # Strict Open XML: the reader rewrites the namespaces to Transitional ones
    strict_w = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    strict = docx_of(_p("严格格式文档", "Heading1") + _p("正文内容"), w=strict_w)
    with zipfile.ZipFile(io.BytesIO(strict)) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    for name in ("_rels/.rels", "word/_rels/document.xml.rels"):
        parts[name] = parts[name].replace(R.encode(), b"http://purl.oclc.org/ooxml/officeDocument/relationships")
    for name in ("word/styles.xml", "word/numbering.xml"):
        parts[name] = parts[name].replace(W.encode(), strict_w.encode())
    out["strict.docx"] = zip_of(parts)
    # no styles, no numbering, a body that is only a section: the smallest document
    out["bare.docx"] = zip_of({
        "[Content_Types].xml": _ct({"/word/document.xml": f"{_WML}.document.main+xml"}),
        "_rels/.rels": _rels([("rId1", "officeDocument", "word/document.xml")]),
        "word/document.xml": f'{DECL}<w:document xmlns:w="{W}"><w:body><w:p/></w:body></w:document>'.encode(),
    })
    return out


# ---------------------------------------------------------------- Excel


def xlsx_of(sheets: list[tuple[str, str, str]], shared: list[str], styles: str | None = None,
            workbook_extra: str = "") -> bytes:
    """sheets: (name, state, sheetData-and-after XML)."""
    overrides = {"/xl/workbook.xml": f"{_SML}.sheet.main+xml", "/xl/styles.xml": f"{_SML}.styles+xml",
                 "/xl/sharedStrings.xml": f"{_SML}.sharedStrings+xml"}
    wb_rels = [("rIdS", "styles", "styles.xml"), ("rIdT", "sharedStrings", "sharedStrings.xml")]
    sheet_els = []
    parts: dict[str, bytes] = {}
    for i, (name, state, xml) in enumerate(sheets, start=1):
        overrides[f"/xl/worksheets/sheet{i}.xml"] = f"{_SML}.worksheet+xml"
        wb_rels.append((f"rId{i}", "worksheet", f"worksheets/sheet{i}.xml"))
        state_attr = f' state="{state}"' if state != "visible" else ""
        sheet_els.append(f'<sheet name="{name}" sheetId="{i}"{state_attr} r:id="rId{i}"/>')
        parts[f"xl/worksheets/sheet{i}.xml"] = f'{DECL}<worksheet xmlns="{S}" xmlns:r="{R}">{xml}</worksheet>'.encode()
    sst = "".join(f"<si><t xml:space=\"preserve\">{s}</t></si>" for s in shared)
    return zip_of({
        "[Content_Types].xml": _ct(overrides),
        "_rels/.rels": _rels([("rId1", "officeDocument", "xl/workbook.xml")]),
        "xl/workbook.xml": (f'{DECL}<workbook xmlns="{S}" xmlns:r="{R}"><sheets>{"".join(sheet_els)}</sheets>'
                            f"{workbook_extra}</workbook>").encode(),
        "xl/_rels/workbook.xml.rels": _rels(wb_rels),
        "xl/styles.xml": (styles or XLSX_STYLES).encode(),
        "xl/sharedStrings.xml": f'{DECL}<sst xmlns="{S}" count="{len(shared)}" uniqueCount="{len(shared)}">{sst}</sst>'.encode(),
        **parts,
    })


XLSX_STYLES = f"""{DECL}<styleSheet xmlns="{S}">
<numFmts count="3"><numFmt numFmtId="164" formatCode="0.00%"/><numFmt numFmtId="165" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="166" formatCode="#,##0.000000000000000000000000000000;[Red]-#,##0.00"/></numFmts>
<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/>
<xf numFmtId="166" applyNumberFormat="1"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""


def _row(r: int, cells: list[str]) -> str:
    return f'<row r="{r}">{"".join(cells)}</row>'


def xlsx_seeds() -> dict[str, bytes]:
    import datetime

    import openpyxl

    out: dict[str, bytes] = {}
    shared = ["固废名称", "产生量（吨）", "利用量（吨）", "利用率", "粉煤灰", "炉渣", "合计", "填报日期"]
    data = (
        '<dimension ref="A1:D6"/><sheetData>'
        + _row(1, ['<c r="A1" t="s"><v>0</v></c>', '<c r="B1" t="s"><v>1</v></c>', '<c r="C1" t="s"><v>2</v></c>',
                   '<c r="D1" t="s"><v>3</v></c>'])
        + _row(2, ['<c r="A2" t="s"><v>4</v></c>', '<c r="B2"><v>12.5</v></c>', '<c r="C2"><v>10</v></c>',
                   '<c r="D2" s="1"><v>0.8</v></c>'])
        + _row(3, ['<c r="A3" t="s"><v>5</v></c>', '<c r="B3" s="3"><v>3.0000000000000004</v></c>',
                   '<c r="C3"><f>B3</f><v>3</v></c>', '<c r="D3" t="e"><v>#DIV/0!</v></c>'])
        + _row(4, ['<c r="A4" t="s"><v>6</v></c>', '<c r="B4"><f>SUM(B2:B3)</f><v>15.5</v></c>', '<c r="C4" t="b"><v>1</v></c>'])
        + _row(6, ['<c r="A6" t="s"><v>7</v></c>', '<c r="B6" s="2"><v>45413</v></c>', '<c r="C6" t="inlineStr"><is><t>内联</t></is></c>',
                   '<c r="D6" t="str"><v>公式文本</v></c>'])
        + '</sheetData><mergeCells count="1"><mergeCell ref="C4:D5"/></mergeCells>'
    )
    other = ('<sheetData>' + _row(1, ['<c r="A1" t="s"><v>3</v></c>', '<c r="XFD1"><v>1E+308</v></c>'])
             + _row(1048576, ['<c r="A1048576" s="4"><v>2958466</v></c>']) + "</sheetData>")
    out["tables.xlsx"] = xlsx_of([("年报表", "visible", data), ("隐藏", "hidden", other), ("附表", "visible", other)], shared,
                                 workbook_extra='<definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">'
                                                "'年报表'!$A$1:$D$6</definedName></definedNames>")
    merges = ('<dimension ref="A1:XFD1048576"/><sheetData>'
              + "".join(_row(r, [f'<c r="{c}{r}"><v>{r * 10 + i}</v></c>' for i, c in enumerate("ABCDEF")]) for r in range(1, 9))
              + '</sheetData><mergeCells count="3"><mergeCell ref="A1:F1"/><mergeCell ref="B3:B8"/>'
                '<mergeCell ref="A1:XFD1048576"/></mergeCells>')
    out["merges.xlsx"] = xlsx_of([("Sheet1", "visible", merges)], ["x"])

    wb = openpyxl.Workbook()
    wb.properties.created = wb.properties.modified = datetime.datetime(2024, 5, 1, 8, 0, 0)
    ws = wb.active
    ws.title = "基本情况表"
    ws.append(["企业名称", "某某新材料有限公司", None, "所属行业"])
    ws.append(["统一社会信用代码", "91420100MA4K2XXXXX"])
    ws.append(["申报日期", datetime.date(2024, 5, 1), datetime.datetime(2024, 5, 1, 12, 30)])
    ws.append(["投资额（万元）", 1234.5678, -0.001, 1e21])
    ws["B4"].number_format = "#,##0.00"
    ws["C4"].number_format = "0.0%"
    ws.merge_cells("B1:C1")
    ws2 = wb.create_sheet("产能")
    for r in range(1, 6):
        ws2.append([f"产品{r}", r * 1.5, f"=B{r}*2"])
    wb.create_sheet("空表")
    buf = io.BytesIO()
    wb.save(buf)
    out["openpyxl.xlsx"] = repack(buf.getvalue())

    strict_s = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    strict = xlsx_of([("Strict", "visible", '<sheetData>' + _row(1, ['<c r="A1" t="s"><v>0</v></c>', '<c r="B1"><v>7</v></c>'])
                       + "</sheetData>")], ["严格"])
    with zipfile.ZipFile(io.BytesIO(strict)) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    for name, body in parts.items():
        if name.endswith((".xml", ".rels")) and name != "[Content_Types].xml":
            parts[name] = body.replace(S.encode(), strict_s.encode()).replace(
                R.encode(), b"http://purl.oclc.org/ooxml/officeDocument/relationships")
    out["strict.xlsx"] = zip_of(parts)
    return out


# ---------------------------------------------------------------- PDF


def pdf_of(draw: Callable, pages: int = 1, compress: bool = False, encrypt: str | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    kwargs = {}
    if encrypt:
        from reportlab.lib.pdfencrypt import StandardEncryption

        kwargs["encrypt"] = StandardEncryption(encrypt, ownerPassword=encrypt + "-owner", strength=40)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1 if compress else 0, **kwargs)
    for page_no in range(1, pages + 1):
        draw(c, page_no)
        c.showPage()
    c.save()
    return buf.getvalue()


def pdf_seeds() -> dict[str, bytes]:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out: dict[str, bytes] = {}

    def report(c, page_no):
        c.setFont("STSong-Light", 16)
        c.drawString(72, 780, "第一章 企业基本情况" if page_no == 1 else "第二章 项目概况")
        c.setFont("STSong-Light", 10)
        c.drawString(72, 750, "企业名称：某某新材料有限公司  统一社会信用代码：91420100MA4K2XXXXX")
        c.drawString(72, 735, "年产生量 12.5 万吨，综合利用率 80%。申报日期：2024年5月1日")
        c.drawString(290, 30, f"- {page_no} -")

    out["report.pdf"] = pdf_of(report, pages=2)

    def ruled_table(c, page_no):
        c.setFont("Helvetica", 9)
        c.drawString(72, 800, "Table 3  Annual report (t)")
        xs, ys = [72, 180, 280, 380, 480], [780, 760, 740, 720, 700]
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        c.rect(72, 600, 408, 80)
        rows = [["Name", "Produced", "Used", "Rate"], ["Fly ash", "12.5", "10.0", "80%"], ["Slag", "3", "3", "100%"],
                ["Total", "15.5", "13.0", "84%"]]
        for r, row in enumerate(rows):
            for col, text in enumerate(row):
                c.drawString(xs[col] + 4, ys[r] - 14, text)
        # a borderless table: columns of text only
        for r, row in enumerate(rows):
            for col, text in enumerate(row):
                c.drawString(72 + 110 * col, 560 - 14 * r, text)

    out["ruled_table.pdf"] = pdf_of(ruled_table)

    def scanned(c, page_no):
        c.drawImage(ImageReader(io.BytesIO(png(8, 8, (240, 240, 240)))), 50, 200, width=400, height=500)

    out["scanned.pdf"] = pdf_of(scanned, compress=True)
    out["encrypted.pdf"] = pdf_of(lambda c, n: c.drawString(72, 720, "secret"), encrypt="pw")
    out["minimal.pdf"] = _minimal_pdf()
    return out


def _minimal_pdf() -> bytes:
    """A hand-written PDF with a correct cross-reference table: a page, a font, a text stream."""
    content = b"BT /F1 12 Tf 72 720 Td (Hello 2024) Tj ET 72 700 m 300 700 l S"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# ---------------------------------------------------------------- packages


def _named(name: str, data: bytes) -> bytes:
    return bytes([PACKAGE_NAMES.index(name)]) + data


def package_seeds(docs: dict[str, bytes], sheets: dict[str, bytes], pdfs: dict[str, bytes], images: dict[str, bytes]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    inner = zip_of({"附件/营业执照.png": images["scan_300dpi.png"], "说明.txt": "申报说明\n一、企业情况\n".encode()})
    out["submission.zip"] = _named("申报材料.zip", zip_of([
        ("申报材料/", b""),
        ("申报材料/申报书.pdf", pdfs["minimal.pdf"]),
        ("申报材料/年报表.docx", docs["bare.docx"]),
        ("申报材料/附件.zip", inner),
        ("申报材料/Thumbs.db", b"\x00" * 8),
        ("__MACOSX/申报材料/._申报书.pdf", b"\x00\x05\x16\x07" + b"\x00" * 12),
        ("../逃逸/../../etc/passwd", b"root"),
        ("C:\\Windows\\报告.txt", "报告".encode("gbk")),
        ("名称\u202efdp.exe", b"MZ"),
        ("重复.txt", b"1"),
        ("重复.txt", b"2"),
    ]))
    out["gbk_names.zip"] = _named("申报材料.zip", zip_of({"申报书.txt": "申报书".encode("gbk"), "目录/清单.csv": b"a,b\n1,2\n"},
                                                          utf8_names=False))
    out["methods.zip"] = _named("申报材料.zip", _mixed_methods())
    out["nested.zip"] = _named("package.zip", zip_of({"1.zip": zip_of({"2.zip": zip_of({"3.zip": zip_of({"deep.txt": b"deep"})})})}))
    out["streamed.zip"] = _named("package.zip", streamed_zip({"流式.txt": "数据描述符".encode(), "空.txt": b""}))
    out["zip64_symlink.zip"] = _named("package.zip", zip_of({"link": b"/etc/passwd", "data.txt": b"zip64"}, zip64=True,
                                                            external_attr={"link": 0o120777 << 16}))
    out["encrypted_flag.zip"] = _named("package.zip", _set_flag(zip_of({"secret.txt": b"secret"}, zipfile.ZIP_STORED), 0x1))
    whole = zip_of({"a.txt": b"hello " * 50, "b.txt": b"world"})
    out["damaged_directory.zip"] = _named("package.zip", whole[: whole.rfind(b"PK\x01\x02") + 10])
    out["docx_as_zip.zip"] = _named("申报材料.zip", docs["tables.docx"])
    out["xlsx_as_docx.docx"] = _named("年报表.docx", sheets["merges.xlsx"])
    out["pdf.pdf"] = _named("申报书.pdf", pdfs["minimal.pdf"])
    out["image.jpg"] = _named("照片.jpg", images["photo.jpg"])
    out["ole_as_docx.docx"] = _named("旧版.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    out["not_a_zip.zip"] = _named("申报材料.zip", b"Rar!\x1a\x07\x00" + b"\x00" * 32)
    out["text.txt"] = _named("说明.txt", "第一章 总则\n\n一、企业名称\n".encode("gb18030"))
    out["program.jar"] = _named("tool.jar", zip_of({"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\n", "A.class": b"\xca\xfe\xba\xbe"}))
    return out


def _mixed_methods() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, method in (("stored.txt", zipfile.ZIP_STORED), ("deflated.txt", zipfile.ZIP_DEFLATED),
                             ("bzip2.txt", zipfile.ZIP_BZIP2), ("lzma.txt", zipfile.ZIP_LZMA)):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = method
            zf.writestr(info, (name + " 压缩方式\n").encode() * 20)
    return buf.getvalue()


def _set_flag(data: bytes, flag: int) -> bytes:
    """Sets a general-purpose flag bit in every local and central header."""
    out = bytearray(data)
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = out.find(sig)
        while pos != -1:
            (bits,) = struct.unpack_from("<H", out, pos + at)
            struct.pack_into("<H", out, pos + at, bits | flag)
            pos = out.find(sig, pos + 4)
    return bytes(out)


# ---------------------------------------------------------------- all


def seeds() -> dict[str, dict[str, bytes]]:
    images = image_seeds()
    docs = docx_seeds()
    sheets = xlsx_seeds()
    pdfs = pdf_seeds()
    return {
        "package": package_seeds(docs, sheets, pdfs, images),
        "docx": docs,
        "xlsx": sheets,
        "pdf": pdfs,
        "image": images,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the files on disk")
    args = parser.parse_args(argv)
    differ = []
    for target, files in seeds().items():
        folder = CORPUS / target
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in sorted(files.items()):
            path = folder / name
            if path.exists() and path.read_bytes() == data:
                continue
            differ.append(path)
            if not args.check:
                path.write_bytes(data)
        stale = sorted(p for p in folder.iterdir() if p.name not in files)
        for path in stale:
            differ.append(path)
            if not args.check:
                path.unlink()
    for path in differ:
        print(("differs: " if args.check else "written: ") + str(path.relative_to(CORPUS.parent.parent.parent)))
    return 1 if args.check and differ else 0


if __name__ == "__main__":
    sys.exit(main())
