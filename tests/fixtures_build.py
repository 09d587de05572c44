"""Build test inputs on the fly (no binary fixtures in the repository)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import Callable

import docx
import openpyxl
from docx.oxml import parse_xml
from docx.shared import Pt

WQY_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def docx_bytes(build: Callable[[docx.document.Document], None]) -> bytes:
    d = docx.Document()
    build(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def xlsx_bytes(build: Callable[[openpyxl.Workbook], None]) -> bytes:
    wb = openpyxl.Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def png_bytes(width: int = 40, height: int = 30, color: tuple[int, int, int] = (200, 30, 30), dpi: int | None = None) -> bytes:
    from PIL import Image

    img = Image.new("RGB", (width, height), color)
    buf = io.BytesIO()
    img.save(buf, format="PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return buf.getvalue()


def jpeg_bytes(width: int = 64, height: int = 48) -> bytes:
    from PIL import Image

    img = Image.new("RGB", (width, height), (10, 120, 200))
    buf = io.BytesIO()
    img.save(buf, format="JPEG")
    return buf.getvalue()


_TEXTBOX_XML = """
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
     xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps">
      <w:drawing>
        <wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1"
                   behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
          <wp:simplePos x="0" y="0"/>
          <wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
          <wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
          <wp:extent cx="1270000" cy="635000"/>
          <wp:effectExtent l="0" t="0" r="0" b="0"/>
          <wp:wrapNone/>
          <wp:docPr id="99" name="文本框 1"/>
          <a:graphic>
            <a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
              <wps:wsp>
                <wps:cNvSpPr txBox="1"/>
                <wps:spPr/>
                <wps:txbx>
                  <w:txbxContent>
                    <w:p><w:r><w:t>{text}</w:t></w:r></w:p>
                  </w:txbxContent>
                </wps:txbx>
                <wps:bodyPr/>
              </wps:wsp>
            </a:graphicData>
          </a:graphic>
        </wp:anchor>
      </w:drawing>
    </mc:Choice>
    <mc:Fallback>
      <w:pict>
        <v:shape id="tb1" style="width:100pt;height:50pt">
          <v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox>
        </v:shape>
      </w:pict>
    </mc:Fallback>
  </mc:AlternateContent>
</w:r>
"""


def add_text_box(paragraph, text: str) -> None:
    """Anchor a Word 2010 text box (with its VML fallback) holding `text` in `paragraph`."""
    paragraph._p.append(parse_xml(_TEXTBOX_XML.replace("{text}", text)))


def cjk_docx_style(d: docx.document.Document, font: str = "Noto Serif CJK SC", size: float = 10.5) -> None:
    """Use a CJK font that is installed, so LibreOffice lays text out as a reader would see it."""
    style = d.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
    fonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", font)


def soffice_convert(data: bytes, source_name: str, target: str = "pdf") -> bytes:
    """Convert with LibreOffice in a private profile (two soffice on one profile collide)."""
    if shutil.which("soffice") is None:
        raise RuntimeError("soffice not installed")
    with tempfile.TemporaryDirectory(prefix="shencha-lo-") as tmp:
        src = Path(tmp) / source_name
        src.write_bytes(data)
        profile = Path(tmp) / f"profile-{uuid.uuid4().hex}"
        out_dir = Path(tmp) / "out"
        out_dir.mkdir()
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(out_dir),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
            env={**os.environ, "HOME": tmp},
        )
        produced = list(out_dir.iterdir())
        if not produced:
            raise RuntimeError("LibreOffice produced no output")
        return produced[0].read_bytes()


def reportlab_pdf(draw: Callable, pages: int = 1, encrypt: str | None = None) -> bytes:
    """A PDF drawn with reportlab; `draw(canvas, page_no)` draws each page.  Text should use
    the registered font "WQY" (WenQuanYi Micro Hei, which poppler and pdfium render)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", WQY_FONT, subfontIndex=0))
    buf = io.BytesIO()
    kwargs = {}
    if encrypt:
        from reportlab.lib.pdfencrypt import StandardEncryption

        kwargs["encrypt"] = StandardEncryption(encrypt, ownerPassword=encrypt + "-owner", strength=128)
    c = canvas.Canvas(buf, pagesize=A4, **kwargs)
    for page_no in range(1, pages + 1):
        draw(c, page_no)
        c.showPage()
    c.save()
    return buf.getvalue()


def scanned_pdf(pages: int = 1) -> bytes:
    """Pages that carry only an image (what a scanner produces): no text layer."""
    from reportlab.lib.utils import ImageReader

    img = ImageReader(io.BytesIO(png_bytes(300, 400, (240, 240, 240))))

    def draw(c, page_no):
        c.drawImage(img, 50, 200, width=400, height=500)

    return reportlab_pdf(draw, pages=pages)


def zip_bytes(members: dict[str, bytes], gbk_names: bool = False) -> bytes:
    """A zip; with `gbk_names`, names are stored in GBK without the UTF-8 flag (0x800), as
    Chinese Windows archivers write them."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if gbk_names:
                info = _GbkZipInfo(name)
                info.flag_bits &= ~0x800
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
            else:
                zf.writestr(name, data)
    return buf.getvalue()


class _GbkZipInfo(zipfile.ZipInfo):
    """zipfile writes non-ASCII names as UTF-8 and sets flag 0x800; write GBK bytes instead."""

    def _encodeFilenameFlags(self):  # noqa: N802 - overrides zipfile's private hook
        return self.filename.encode("gbk"), self.flag_bits & ~0x800
