"""Extraction steps every form shares: form fields, identities, contacts, attachments."""

from __future__ import annotations

import re
from extractor.forms.base import AttachmentStatus, ContactValue, FieldValue, Fact, Identity, SealCopy
from extractor.forms.spec import FormSpec
from extractor.forms.labels import find_label_values, match_label
from extractor.forms.text import compact
from extractor.model import Document, Location
from extractor.quantity import Quantity, is_blank, parse_quantity, unit_of

ROLE_TITLES = {
    "report": "报告",
    "basic_info": "附件1 申报企业基本情况表",
    "annual_report": "附件3 年报表",
    "indicator_table": "指标表",
    "attachment": "附件材料",
    "unreadable": "无法读取的文件",
    "other": "其他文件",
    "application_form": "附件5 申请表",
    "roster": "专职人员花名册",
    "insurance": "社保缴纳明细",
    "contracts": "业绩合同清单",
}

COMPANY_LABELS = ["企业名称", "单位名称", "填报单位名称", "填报单位", "申报单位", "申报企业", "申请单位",
                  "企业名称(盖章)", "单位(盖章)", "单位(公章)", "申报单位(盖章)", "单位"]
CODE_LABELS = ["统一社会信用代码", "社会信用代码", "信用代码"]
_ORG_WORDS = ("公司", "厂", "集团", "有限", "企业", "中心", "研究院", "合作社", "矿", "局", "所")
_PLACEHOLDER = re.compile(r"^[_＿\s.…]*$")
_CODE_NEAR_LABEL = re.compile(r"(?:统一社会信用代码|社会信用代码|信用代码)[:：]?([0-9A-Za-z]{15,20})")
# "（盖章）", "（加盖单位公章）", "(签字)": the template's instruction, not part of the value
_SIGNATURE = re.compile(r"[(（][^()（）]{0,8}(?:盖章|公章|签章|签字)[^()（）]{0,4}[)）]")


def clean_value(text: str | None) -> str:
    t = (text or "").strip()
    t = _SIGNATURE.sub("", t).strip()
    return "" if _PLACEHOLDER.match(t) or is_blank(t) else t


def coded_value(kind: str, text: str) -> str:
    """The code, number or address in a cell: a narrow PDF cell wraps "91420100MA4K2XYU13" as
    "9142010 0MA4K2 XYU13", and a sentence may run on after it ("…XYU13，注册资本…")."""
    t = text.strip()
    digits = re.sub(r"\D", "", t)
    if kind in ("mobile", "phone") and re.fullmatch(r"[\d\-\s()（）+]+", t) and len(digits) <= 16:
        return re.sub(r"\s+", "", t)
    if kind in ("credit_code", "email"):
        t = re.sub(r"\s+", "", t)
    return re.split(r"[,，;；。、\s]", t)[0]


_ORG_END = re.compile(r"^(.+?(?:有限责任公司|股份有限公司|有限公司|公司|厂|管理委员会|委员会|局))(.*)$")


def company_value(text: str) -> str:
    """The name alone when a PDF line runs the next label on: "某某有限责任公司创建类型：绿色…"."""
    v = re.split(r"[,，;；。\s]", text.strip())[0]
    m = _ORG_END.match(v)
    if m and re.search(r"[:：]", m.group(2)):
        return m.group(1)
    return v


def plausible_company(text: str) -> bool:
    t = compact(text)
    return len(t) >= 4 and unit_of(t) is None and any(w in t for w in _ORG_WORDS)


_PHONE_LIKE = re.compile(r"^[\d\s\-+()（）转/、]{7,}$")


def fits_kind(kind: str | None, text: str) -> bool:
    """Whether a value read away from its label is of the field's kind at all."""
    t = text.strip()
    if kind in ("phone", "mobile"):
        return bool(_PHONE_LIKE.match(t))
    if kind == "email":
        return "@" in t or "＠" in t
    if kind == "credit_code":
        return bool(re.fullmatch(r"[0-9A-Za-z]{15,20}", compact(t)))
    return True


def collect_fields(docs: list[Document], spec: FormSpec, role: str) -> dict[str, FieldValue]:
    """The spec's fields from the given documents: the first non-blank value wins; a label
    found only with a blank value gives a blank field located at that place."""
    labels = {fid: f.names for fid, f in spec.fields.items()}
    out: dict[str, FieldValue] = {}
    for doc in docs:
        for h in find_label_values(doc, labels):
            f = spec.fields[h.name]
            text = clean_value(h.value_text)
            if f.kind and text:
                text = coded_value(f.kind, text)
            if text and f.identity == "company_name":
                text = company_value(text)
                if not plausible_company(text):
                    continue
            if text and match_label(text, labels):
                text = ""
            if text and h.next_line and not fits_kind(f.kind, text):
                text = ""  # the line below a label standing alone is the next item, not its value
            q = parse_quantity(text, f.unit, h.value_loc) if (text and (f.number or f.unit)) else None
            fv = FieldValue(name=h.name, label=f.label, text=text, quantity=q, loc=h.value_loc,
                            required=f.required, source=role)
            if fv.blank and h.empty_cell and h.value_loc is not None:
                fv.blank_at.append(h.value_loc)
            cur = out.get(h.name)
            if cur is None:
                out[h.name] = fv
            elif cur.blank and not fv.blank:
                fv.blank_at = cur.blank_at + fv.blank_at
                out[h.name] = fv
            elif fv.blank and h.empty_cell and h.value_loc is not None and h.value_loc not in cur.blank_at:
                cur.blank_at.append(h.value_loc)
    return out


def blank_fields_for_missing(spec: FormSpec, found: dict[str, FieldValue], role: str, doc: Document | None) -> None:
    """A required field whose label is nowhere in its form part is as missing as a blank one."""
    for fid, f in spec.fields.items():
        if fid not in found:
            found[fid] = FieldValue(name=fid, label=f.label, text=None, required=f.required, source=role,
                                    loc=Location(file=doc.path) if doc else None)


def label_written(names: list[str], docs: list[Document]) -> bool:
    """Whether a label the reader found no value for is written somewhere in `docs` all the same
    (in a table read with its cells glued, "主导产业电子信息…", or wrapped, "其中通过强制性" over two
    rows, or in lines of a table not read as one): then its value is not certainly missing."""
    text = "".join(compact(b.text) if b.kind != "table" or b.table is None else
                   "".join(compact(c.text) for row in b.table.rows for c in row)
                   for d in docs for b in d.blocks)
    for n in names:
        n = compact(n).rstrip("*")
        if n and (n in text or (len(n) >= 5 and n[:4] in text)):
            return True
    return False


def form_fields(res, spec: FormSpec, docs: list[Document], role: str) -> dict[str, FieldValue]:
    """The spec's fields from the form part `docs` (blank or absent labels reported as blank
    once the part exists), set on the FormResult together with the contacts among them."""
    fields = collect_fields(docs, spec, role)
    if docs:
        blank_fields_for_missing(spec, fields, role, docs[0])
    res.fields = fields
    res.contacts = contacts_from_fields(spec, fields)
    return fields


def identities_in(doc: Document, role: str) -> list[Identity]:
    out: list[Identity] = []
    labels = {"company_name": COMPANY_LABELS, "credit_code": CODE_LABELS}
    for h in find_label_values(doc, labels):
        v = clean_value(h.value_text)
        if not v:
            continue
        if h.name == "company_name":
            v = company_value(v)
            if not plausible_company(v):
                continue
        else:
            m = re.match(r"[0-9A-Za-z]{15,20}", compact(v))
            if not m:
                continue
            v = m.group(0)
        out.append(Identity(kind=h.name, value=v, loc=h.value_loc, source=role))
    # a PDF may break the line between the label and the code: search the joined text
    blocks = list(doc.text_blocks())
    joined, starts = "", []
    for b in blocks:
        starts.append(len(joined))
        joined += compact(b.text)
    for m in _CODE_NEAR_LABEL.finditer(joined):
        k = max(i for i, st in enumerate(starts) if st <= m.start(1))
        out.append(Identity(kind="credit_code", value=m.group(1), loc=blocks[k].loc, source=role))
    seen, uniq = set(), []
    for i in out:
        k = (i.kind, compact(i.value).upper())
        if k not in seen:
            seen.add(k)
            uniq.append(i)
    return uniq


def contacts_from_fields(spec: FormSpec, fields: dict[str, FieldValue]) -> list[ContactValue]:
    out = []
    for fid, fv in fields.items():
        kind = spec.fields[fid].kind if fid in spec.fields else None
        if kind and fv.text:
            out.append(ContactValue(kind=kind, label=fv.label, value=fv.text, loc=fv.loc))
    return out


def attachment_status(
    spec: FormSpec,
    docs: list[Document],
    roles: dict[str, list[str]],
    spans: dict[str, tuple[Document, int, int]],
) -> list[AttachmentStatus]:
    out = []
    unnamed = [d.path for d in docs if roles.get(d.path) == ["attachment"]]
    for a in spec.attachments:
        st = AttachmentStatus(id=a.id, title=a.title, clause=a.clause, severity=a.severity,
                              report_absence=a.report_absence)
        names = [compact(n).lower() for n in a.names]
        for d in docs:
            if a.id in roles.get(d.path, []):
                st.found, st.how = True, "文件名"
                st.evidence.append(Location(file=d.path))
        if not st.found and a.text:
            for d in docs:
                if a.text_in_role and a.text_in_role not in roles.get(d.path, []):
                    continue
                for b in d.blocks:
                    txt = compact(b.text) if b.kind != "table" else ""
                    if b.kind == "table" and b.table is not None:
                        txt = compact(" ".join(c.text for r in b.table.rows for c in r))
                    if any(compact(p) in txt for p in a.text):
                        st.found, st.how = True, "文本"
                        st.evidence.append(b.loc)
                        break
                if st.found:
                    break
        if not st.found:
            st.found, how, ev = _image_evidence(a, names, docs, spans)
            if st.found:
                st.how = how
                st.evidence.extend(ev)
        if st.found and a.sealed:
            st.sealed = True
            st.copies = seal_copies(st.evidence, docs)
        if not st.found and unnamed and a.severity != "info":
            # a scan whose name says nothing may well be this material: OCR will tell later
            st.severity = "warning"
            st.how = "包内有无法识别内容的扫描件或图片（" + "、".join(unnamed) + "），可能包含该材料，请人工核实"
        out.append(st)
    return out


def seal_copies(evidence: list[Location], docs: list[Document]) -> list[SealCopy]:
    """Each file a declaration was found in, with the seals on the pages it stands on (every
    page of the file when it was found by the file's name)."""
    by_path = {d.path: d for d in docs}
    wanted: dict[str, set[int]] = {}
    for loc in evidence:
        doc = by_path.get(loc.file)
        if doc is None or doc.error:
            continue
        pages = {loc.page} if loc.page else set(range(1, (doc.pages or 0) + 1))
        if loc.page and loc.page + 1 in set(doc.seal_pages) | set(doc.mono_pages):
            pages.add(loc.page + 1)  # the signature block may fall on the next page, if it was looked at
        wanted.setdefault(loc.file, set()).update(pages)
    out = []
    for path, pages in wanted.items():
        doc = by_path[path]
        if doc.type == "image" or (pages and pages <= set(doc.scan_pages)):
            kind = "scan"
        elif doc.type == "pdf":
            kind = "pdf"
        else:
            kind = "editable"
        seals = [Location(file=path, page=s.page, box=s.box) for s in doc.seals if not pages or s.page in pages]
        out.append(SealCopy(
            file=path, pages=sorted(pages), kind=kind, seals=seals,
            looked=kind != "editable" and bool(pages) and pages <= set(doc.seal_pages),
            mono=bool(pages & set(doc.mono_pages)),
        ))
    return out


def _image_evidence(a, names, docs, spans):
    if a.image_in_section and a.image_in_section in spans:
        doc, lo, hi = spans[a.image_in_section]
        for b in doc.blocks[lo:hi]:
            if b.kind == "image":
                return True, f"报告第{a.image_in_section}部分中的图片", [b.loc]
    for d in docs:
        for i, b in enumerate(d.blocks):
            if b.kind != "image":
                continue
            near = [d.blocks[j] for j in range(max(0, i - 2), min(len(d.blocks), i + 2)) if j != i]
            desc = compact(" ".join([b.image.name or "", b.image.description or ""] if b.image else []))
            texts = [compact(x.text) for x in near if x.kind in ("paragraph", "heading")] + [desc]
            if any(n and n in t.lower() for n in names for t in texts):
                return True, "图片及其题注", [b.loc]
    return False, None, []


def required_role_status(spec: FormSpec, roles: dict[str, list[str]], required: dict[str, str]) -> list[AttachmentStatus]:
    """A form part (附件1, the report, the 指标表) absent from the package."""
    present = {r for rs in roles.values() for r in rs}
    out = []
    for rid, clause in required.items():
        out.append(AttachmentStatus(id=f"part:{rid}", title=spec.roles[rid].title, clause=clause,
                                    found=rid in present, how="内容识别" if rid in present else None))
    return out


def fact(key: str, label: str, q: Quantity | None, source: str, period: str | None, quote: str | None = None) -> Fact | None:
    return Fact(key=key, label=label, period=period, quantity=q, source=source, quote=quote) if q is not None else None


def difference(a: Quantity, b: Quantity, label: str) -> Quantity:
    """a − b (stock drawn down = opening − closing), carrying the coarser precision of the two."""
    coarse = a if a.tolerance >= b.tolerance else b
    return Quantity(value=a.value - b.value, unit=a.unit, text=f"{a.text} − {b.text}", source_unit=coarse.source_unit,
                    decimals=coarse.decimals, scale=coarse.scale, loc=a.loc)


_ORG_NAME = re.compile(r"[\u4e00-\u9fa5()（）]{4,40}?(?:有限责任公司|股份有限公司|有限公司|集团公司|总公司|分公司|厂)")
NEAR_NAME = 80.0


def name_variants_in_text(doc: Document, role: str, declared: list[str]) -> list[Identity]:
    """Organisation names in running text that are close to, but not the same as, a declared
    company name ("湘潭恒昌环保股份有限公司" beside "湘潭恒昌环保科技股份有限公司").  Names far from
    it are other organisations (the evaluation agency, customers) and are ignored."""
    from extractor.forms.text import similarity

    targets = {compact(d) for d in declared if d}
    if not targets:
        return []
    out = []
    for b in doc.text_blocks():
        text = compact(b.text)
        for m in _ORG_NAME.finditer(text):
            cand = m.group(0)
            # the capture may start with words before the name: take the best-matching tail
            best, score = None, 0.0
            for i in range(0, max(1, len(cand) - 3)):
                tail = cand[i:]
                sc = max(similarity(tail, t) for t in targets)
                if sc > score:
                    best, score = tail, sc
                if sc == 100.0:
                    break
            if best and NEAR_NAME <= score < 100.0:
                out.append(Identity(kind="company_name", value=best, loc=b.loc, source=role, inferred=True))
    return out
