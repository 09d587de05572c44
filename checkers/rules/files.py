"""File-level checks: files that could not be read, scans without text, unmatched packages.
These run for every form, including "unknown"."""

from __future__ import annotations

from typing import Iterator

from checkers.context import Context
from checkers.finding import Finding
from checkers.registry import emit, rule
from extractor.model import Location


@rule(
    "FILE.UNREADABLE",
    "error",
    "文件无法读取",
    "A file of the package could not be read (corrupt, encrypted or unsupported format).",
    "湖北细则第十六条（资料完整性审查）；湖南办法第十条（提交自评价报告书）",
)
def unreadable_file(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.documents:
        if not doc.error or doc.problem == "limit":
            continue
        yield emit(
            "FILE.UNREADABLE",
            f"文件「{doc.path}」无法读取：{doc.error}。其内容未参与审查，请申报单位重新提供可读版本",
            locations=[Location(file=doc.path)],
            evidence={"file": doc.path, "type": doc.type, "reason": doc.error},
        )


@rule(
    "FILE.LIMIT_EXCEEDED",
    "warning",
    "文件超出审查上限",
    "A file asks for more than a reading limit allows (time, memory, size, cells, pages); it was not "
    "read, the rest of the package was.",
    "湖北细则第十六条（资料完整性审查）",
)
def file_over_limit(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.documents:
        if not doc.error or doc.problem != "limit":
            continue
        yield emit(
            "FILE.LIMIT_EXCEEDED",
            f"文件「{doc.path}」超出审查上限，未能读取：{doc.error}。其内容未参与审查，请人工查看或请申报单位提供精简后的文件",
            locations=[Location(file=doc.path)],
            evidence={"file": doc.path, "type": doc.type, "reason": doc.error},
        )


@rule(
    "FILE.PARTIALLY_READ",
    "warning",
    "文件部分内容未能读取",
    "A file was read, but the reader left part of it out (a picture it cannot decode, rows or cells "
    "beyond a limit, a merged span larger than its table); the part is named.",
    "湖北细则第十六条（资料完整性审查）",
)
def partially_read_file(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.documents:
        if doc.error or not doc.omissions:
            continue
        yield emit(
            "FILE.PARTIALLY_READ",
            f"文件「{doc.path}」有部分内容未能读取：{'；'.join(doc.omissions)}。这部分内容未参与审查，请人工查看",
            locations=[Location(file=doc.path)],
            evidence={"file": doc.path, "omissions": list(doc.omissions)},
        )


@rule(
    "FILE.NO_TEXT_LAYER",
    "info",
    "PDF 无文字层（扫描件）",
    "A PDF has no text layer (a scan); kept as an attachment, its text is only as good as OCR.",
    "湖北细则第十五条（证明材料复印件）；湖南办法附件 编制提纲六（相关证明材料）",
)
def pdf_without_text(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.documents:
        if doc.type != "pdf" or doc.error or doc.has_text_layer:
            continue
        pages = f"，共 {doc.pages} 页" if doc.pages else ""
        read_by_ocr = any(b.confidence is not None for b in doc.blocks)
        how = ("其中文字已由 OCR 识别并参与核对，识别结果请对照原件" if read_by_ocr
               else "其中文字未能直接核对，请人工查看")
        yield emit(
            "FILE.NO_TEXT_LAYER",
            f"「{doc.path}」为扫描件（PDF 无文字层{pages}），作为证明材料保留；{how}",
            locations=[Location(file=doc.path)],
            evidence={"file": doc.path, "pages": doc.pages},
        )


@rule(
    "FORM.UNKNOWN",
    "warning",
    "无法识别申报类型",
    "The package matched no known form, so only file-level checks ran.",
    "各申报通知规定的申报材料格式",
)
def unknown_form(ctx: Context) -> Iterator[Finding]:
    if ctx.form.form != "unknown":
        return
    files = "、".join(d.path for d in ctx.documents) or "（无文件）"
    yield emit(
        "FORM.UNKNOWN",
        f"未能识别申报材料对应的申报类型（文件：{files}），仅进行了文件层面的检查，请人工确认申报类型",
        evidence={"form": ctx.form.form, "detection_score": ctx.form.detection_score, "files": [d.path for d in ctx.documents]},
    )
