"""Completeness: outline sections, required form fields and required attachments."""

from __future__ import annotations

from typing import Iterator


from checkers.context import Context
from checkers.finding import SEVERITIES, Finding
from checkers.registry import emit, rule
from checkers.rules.common import files_note, source_name
from checkers.tolerance import OCR_DOUBT_NOTE
from extractor.forms.base import SectionHit
from extractor.model import Location

# What the report whose outline is checked is called, per form; other forms use their title.
REPORT_NAMES: dict[str, str] = {
    "hb_evaluation": "评价报告",
    "hn_benchmark": "自评价报告书",
    "nowaste_case": "典型案例申报书",
    "hb_agency": "申请报告",
    "hn_green_mfg": "创建工作方案",
}

# Marks that submitters put in a cell to say "nothing here"; the field is still unfilled.
_PLACEHOLDERS = {"-", "--", "—", "——", "/", "／", "\\", "…", "……"}


def report_name(form: str, form_title: str) -> str:
    return REPORT_NAMES.get(form) or form_title or "报告"


def outline_position(section_id: str) -> str:
    """'4' -> '第四部分', '2.3' -> '第二部分第3项'."""
    parts = [p for p in section_id.split(".") if p]
    if not parts:
        return ""
    head = parts[0]
    import cn2an  # 0.15 s to import: only when a section is reported missing

    text = f"第{cn2an.an2cn(head)}部分" if head.isdigit() else f"第{head}部分"
    for p in parts[1:]:
        text += f"第{p}项"
    return text


def is_sub_item(hit: SectionHit) -> bool:
    return "." in hit.id


@rule(
    "OUTLINE.SECTION_MISSING",
    "error",
    "报告缺少大纲章节",
    "A section the seed's outline requires is missing from the report (error). A warning instead for a sub-item, for an item the "
    "seed only scores (hb_agency 内容完整性), when a heading in its place may cover it, or when too few headings were read "
    "for the absence to be certain.",
    "湖北细则附件2《评价报告》大纲 一至七；湖南办法附件 自评价报告书编制提纲 一至六",
)
def missing_section(ctx: Context) -> Iterator[Finding]:
    from extractor.forms.outline import structure_read

    name = report_name(ctx.form.form, ctx.form.form_title)
    certain = structure_read(ctx.form.outline)
    for hit in ctx.form.outline:
        if hit.found or not hit.required:
            continue
        sub = is_sub_item(hit)
        message = f"{name}缺少大纲{outline_position(hit.id)}「{hit.title}」"
        severity = "warning" if sub else None
        reason = None
        if hit.possible and hit.heading:
            severity, reason = "warning", "possible_heading"
            message = (f"{name}中未找到与大纲{outline_position(hit.id)}「{hit.title}」明确对应的章节；"
                       f"标题「{hit.heading.strip()}」可能对应该部分（相似度 {hit.score:g}），请核实")
        elif not certain and not sub:
            severity, reason = "warning", "structure_unread"
            message += "（报告的章节标题未能可靠识别，该部分可能以其他标题或形式出现，请人工核实）"
        if hit.severity and hit.severity in SEVERITIES and SEVERITIES.index(hit.severity) > SEVERITIES.index(severity or "error"):
            severity = hit.severity
        if hit.note and severity == hit.severity:
            message += f"（{hit.note}）"
        yield emit(
            "OUTLINE.SECTION_MISSING",
            message,
            severity=severity,
            locations=[hit.loc] if hit.loc else [],
            evidence={"id": hit.id, "title": hit.title, "level": "sub_item" if sub else "section", "best_heading": hit.heading,
                      "score": hit.score, "reason": reason},
        )


def field_is_blank(text: str | None) -> bool:
    t = (text or "").strip()
    return not t or t in _PLACEHOLDERS


def on_a_scan(ctx: Context, loc: Location) -> bool:
    """Whether `loc` is text OCR read: an image file, a scanned page, or a file (no page given)
    whose every page is a scan; or a picture's text in a Word file (it carries a confidence)."""
    doc = ctx.document(loc.file)
    if doc is None:
        return False
    if doc.type == "image":
        return True
    if loc.page is not None:
        return loc.page in doc.scan_pages
    if doc.pages and len(set(doc.scan_pages)) >= doc.pages:
        return True
    return loc.paragraph is not None and any(
        b.loc.paragraph == loc.paragraph and b.confidence is not None for b in doc.blocks)


@rule(
    "FIELD.MISSING",
    "error",
    "必填项未填写",
    "A required field of a form table is blank (also where the form asks for it twice and one of its cells is left empty).",
    "湖北细则附件1 申报企业基本情况表；湖南办法附表 工业资源综合利用标杆企业指标表",
)
def missing_field(ctx: Context) -> Iterator[Finding]:
    for fv in ctx.form.fields.values():
        if not fv.required:
            continue
        where = source_name(fv.source) if fv.source else (fv.loc.file if fv.loc else "申报材料")
        if not field_is_blank(fv.text):
            # filled in one place of the form, its own cell left empty in another
            for loc in fv.blank_at:
                scanned = on_a_scan(ctx, loc)
                yield emit(
                    "FIELD.MISSING",
                    f"{where} 「{fv.label}」一栏未填写（{loc.describe()}；另一处填写为「{fv.text}」）"
                    + (f"（该栏位于扫描件上，可能为漏识别；{OCR_DOUBT_NOTE}）" if scanned else ""),
                    severity="warning" if scanned else None,
                    locations=[loc],
                    evidence={"field": fv.name, "label": fv.label, "source": fv.source, "text": "", "filled_elsewhere": fv.text},
                )
            continue
        # a blank read off a scan may be ink the recogniser missed (a faint stamp, a tick)
        scanned = fv.loc is not None and on_a_scan(ctx, fv.loc)
        yield emit(
            "FIELD.MISSING",
            f"{where} 未填写「{fv.label}」{files_note([fv.loc])}"
            + (f"（表格为扫描件，可能为漏识别；{OCR_DOUBT_NOTE}）" if scanned else ""),
            severity="warning" if scanned else None,
            locations=[fv.loc] if fv.loc else [],
            evidence={"field": fv.name, "label": fv.label, "source": fv.source, "text": fv.text},
        )


@rule(
    "ATTACHMENT.MISSING",
    "error",
    "缺少证明材料",
    "A supporting document the seed requires (licence, declaration, test report…) was not found in the package.",
    "湖北细则第十五条（企业应提交的资料）；湖南办法附件 编制提纲六（相关证明材料）",
)
def missing_attachment(ctx: Context) -> Iterator[Finding]:
    for att in ctx.form.attachments:
        if att.found or not att.report_absence:
            continue
        severity = att.severity if att.severity in SEVERITIES else None
        # why its absence is not certain, where the extractor knows (a scan, an unread table)
        doubt = f"；{att.how}" if att.how and severity == "warning" else ""
        yield emit(
            "ATTACHMENT.MISSING",
            f"申报材料中未找到「{att.title}」（{att.clause}要求提供）{doubt}",
            severity=severity,
            locations=list(att.evidence),
            evidence={"id": att.id, "title": att.title, "clause": att.clause, "how": att.how},
        )


_COPY_KINDS = {"scan": "扫描件", "pdf": "电子版 PDF", "editable": "可编辑文档"}


def _copy_place(copy) -> str:
    if copy.pages and len(copy.pages) <= 3:
        return f"{copy.file} 第{'、'.join(map(str, copy.pages))}页"
    return copy.file


@rule(
    "SEAL.MISSING",
    "error",
    "声明未加盖公章",
    "A declaration the seeds require signed and sealed (单位公章) shows no seal: an error when its only copies "
    "are colour scans or images looked at without finding a red seal; a warning when the copy is an electronic "
    "PDF, an editable document, a grey scan or a page not looked at.",
    "湖北细则第八条（七）、第十五条（八）；附件1 材料真实性承诺",
)
def missing_seal(ctx: Context) -> Iterator[Finding]:
    for att in ctx.form.attachments:
        if not (att.sealed and att.found and att.copies) or any(c.seals for c in att.copies):
            continue
        scans = [c for c in att.copies if c.kind == "scan"]
        certain = [c for c in scans if c.looked and not c.mono]
        places = "、".join(_copy_place(c) for c in att.copies)
        kinds = "、".join(dict.fromkeys(_COPY_KINDS[c.kind] for c in att.copies))
        require = f"（{att.clause}要求单位法定代表人签名并加盖单位公章）"
        if certain and len(certain) == len(att.copies):
            message, severity = f"「{att.title}」的扫描件（{places}）上未见单位公章{require}", None
        elif scans and any(c.mono for c in scans):
            message = f"「{att.title}」为黑白扫描件（{places}），无法判断是否加盖红色公章，请核对原件{require}"
            severity = "warning"
        elif scans:
            message = f"「{att.title}」（{places}）未能逐页检查是否盖章，请核对原件{require}"
            severity = "warning"
        else:
            message = f"「{att.title}」只有{kinds}（{places}），未见加盖公章的扫描件或原件{require}"
            severity = "warning"
        yield emit(
            "SEAL.MISSING",
            message,
            severity=severity,
            locations=[Location(file=c.file, page=p) for c in att.copies for p in (c.pages[:3] or [None])],
            evidence={
                "id": att.id,
                "title": att.title,
                "clause": att.clause,
                "copies": [{"file": c.file, "page_numbers": c.pages, "kind": c.kind, "looked": c.looked, "mono": c.mono}
                           for c in att.copies],
            },
        )
