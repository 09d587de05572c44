"""hn_green_mfg — 湖南省绿色制造体系创建工作方案 (seed 004).

A package is one unit's plan (编写提纲 一…七 and 附件) with its 基本情况表 — the enterprise
kind (绿色工厂 / 绿色供应链管理示范企业) or the park kind (绿色园区) — inside the plan or in a
file of its own; or a city's submission: the 申报汇总表 2-1 (enterprises) and/or 2-2 (parks)
plus several plans.  Every plan is extracted on its own (`UnitPlan`), and its figures carry
the unit's name in their fact keys, so a summary row and the plan it lists are compared by
the generic CROSSDOC check while two different plans never are.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from extractor.forms import common
from extractor.forms.base import (
    form_model,
    AttachmentStatus,
    ContactValue,
    Fact,
    FieldValue,
    FormResult,
    RateClaim,
    SectionHit,
    SumClaim,
)
from extractor.forms.labels import (
    LabelHit,
    find_label_values,
    inline_pairs,
    match_label,
)
from extractor.forms.outline import heading_candidates, match_outline, outline_count
from extractor.forms.spec import FormSpec, load_spec
from extractor.forms.tables import find_record_tables
from extractor.forms.text import compact, similarity, strip_numbering
from extractor.model import Block, Document, Location
from extractor.numerals import arabic
from extractor.quantity import Quantity, parse_quantity

FORM_ID = "hn_green_mfg"
SAME_UNIT = 85.0  # name similarity at which a table, a plan and a summary row are one unit

ENTERPRISE, PARK = "enterprise", "park"
_NAME_FIELDS = {"ent.name": ENTERPRISE, "park.name": PARK}
# tick marks submitters use in 口已完成 / 口未完成 choices (Word symbols, PDF glyphs, typed)
CHECKED = "☑☒■√✓✔●▣◼✅⊠"
UNCHECKED = "□☐○〇◻▢"
_OPTION = re.compile(r"(已完成|未完成|已开展|未开展|国家级|省级)")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_PHONE_ANY = re.compile(r"(?:0\d{2,3}-?)?\d{7,8}|1\d{10}|\d{6,}")


class Choice(BaseModel):
    """A tick-box answer: 口已完成 口未完成, 口国家级 口省级."""

    label: str
    text: str = ""
    selected: list[str] = Field(default_factory=list)  # the ticked options
    loc: Location | None = None

    @property
    def known(self) -> bool:
        return len(self.selected) == 1


class BusinessYear(BaseModel):
    """One row of 企业近三年经营情况."""

    label: str  # as written: "2023年预计"
    year: str | None = None
    estimate: bool = False
    loc: Location | None = None
    total_assets: Quantity | None = None
    debt_ratio: Quantity | None = None
    revenue: Quantity | None = None
    profit: Quantity | None = None
    tax: Quantity | None = None


class ShareStatement(BaseModel):
    """工业增加值占比 as the park's plan states it, and the figures behind it where given."""

    share: Quantity | None = None
    value_added: Quantity | None = None
    gdp: Quantity | None = None
    quote: str | None = None


class UnitPlan(BaseModel):
    """One applicant: its plan, its 基本情况表, what it declares."""

    name: str
    kind: str | None = None  # enterprise | park (from the 基本情况表)
    creation_type: str | None = None  # 创建类型 as declared on the cover
    plan_file: str | None = None
    basic_file: str | None = None
    fields: dict[str, FieldValue] = Field(default_factory=dict)  # field id without prefix
    cover: dict[str, FieldValue] = Field(default_factory=dict)
    choices: dict[str, Choice] = Field(default_factory=dict)  # audit_mandatory, audit_voluntary, level
    business: list[BusinessYear] = Field(default_factory=list)
    business_loc: Location | None = None
    industry_share: ShareStatement | None = None
    # the plan's "基本情况表" title where no table was read under it (a borderless PDF table)
    basic_title: Location | None = None
    outputs: dict[str, Quantity] = Field(default_factory=dict)  # park 总产值 / 工业总产值 from the plan text
    projects: list[SumClaim] = Field(default_factory=list)  # 拟实施项目清单: 合计 / 小计 against their projects

    def value(self, fid: str) -> str:
        fv = self.fields.get(fid)
        return (fv.text or "").strip() if fv else ""

    def quantity(self, fid: str) -> Quantity | None:
        fv = self.fields.get(fid)
        return fv.quantity if fv else None


class SummaryCell(BaseModel):
    text: str = ""
    quantity: Quantity | None = None
    loc: Location | None = None


class SummaryRow(BaseModel):
    table: str  # "2-1" (enterprises) | "2-2" (parks)
    file: str
    name: str
    cells: dict[str, SummaryCell] = Field(default_factory=dict)
    loc: Location | None = None
    plan: str | None = None  # the matched plan's name


class HnGreenMfg(BaseModel):
    plans: list[UnitPlan] = Field(default_factory=list)
    summary_rows: list[SummaryRow] = Field(default_factory=list)
    summary_files: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- helpers


def parse_choice(label: str, text: str, loc: Location | None) -> Choice:
    """Which options of a tick-box cell are ticked.  Marks stand before the options (☑已完成
    □未完成) or, in some filers' tables, after them (已完成☑ 未完成□); a cell without any mark
    that names one option (the other deleted) selects it."""
    t = _marks_out_of_words(compact(text))
    opts = [(m.group(1), t[m.start() - 1] if m.start() else "", t[m.end()] if m.end() < len(t) else "")
            for m in _OPTION.finditer(t)]
    marks = set(CHECKED + UNCHECKED)
    if opts and opts[0][1] in marks:
        # marks before the options; the last option's mark may have slipped behind it when a PDF
        # wrapped the cell ("□国家级 省级 ☑")
        sel = [w for k, (w, before, after) in enumerate(opts)
               if before in set(CHECKED) or (before not in marks and k == len(opts) - 1 and after in set(CHECKED))]
    elif opts and opts[-1][2] in marks:
        sel = [w for w, _, after in opts if after in set(CHECKED)]
    else:
        words = list(dict.fromkeys(w for w, _, _ in opts))
        sel = words if len(words) == 1 else []
    return Choice(label=label, text=text.strip(), selected=list(dict.fromkeys(sel)), loc=loc)


_MARK_CLASS = "[" + re.escape(CHECKED + UNCHECKED) + "]"
_WRAPPED_OPTION = re.compile("|".join(
    "".join(re.escape(ch) + (f"({_MARK_CLASS})?" if i < len(w) - 1 else "") for i, ch in enumerate(w))
    for w in _OPTION.pattern.strip("()").split("|")))


def _marks_out_of_words(t: str) -> str:
    """A mark that a wrapped cell put inside its option ("□国家级 省 ☑级" for "□国家级 ☑省级")
    is put back before the option."""
    def fix(m: re.Match) -> str:
        marks = [g for g in m.groups() if g]
        word = "".join(ch for ch in m.group(0) if ch not in CHECKED + UNCHECKED)
        return "".join(marks) + word if marks else m.group(0)
    return _WRAPPED_OPTION.sub(fix, t)


def _sub_document(doc: Document, blocks: list[Block]) -> Document:
    return Document(path=doc.path, type=doc.type, sha256=doc.sha256, pages=doc.pages, blocks=blocks)


def _labels(spec: FormSpec, prefix: str) -> dict[str, list[str]]:
    return {fid: f.names for fid, f in spec.fields.items() if fid.startswith(prefix + ".")}


def _table_kind(t, spec: FormSpec) -> str | None:
    """The kind of 基本情况表 a table is, from its 企业名称 / 园区名称 label (alone in its cell or
    with its value: "企业名称：某某公司"); a list of units (序号 | 企业名称 | 级别 …, such as the
    park's 绿色工厂名单) is not a 基本情况表."""
    names = {k: spec.fields[k].names for k in _NAME_FIELDS}
    for row in t.rows:
        for c in row:
            fid = match_label(c.text, names) or next((f for f, _ in inline_pairs(c.text, names)), None)
            if fid:
                return None if _is_list_header(row) else _NAME_FIELDS[fid]
    return None


def _is_list_header(row) -> bool:
    """A header row of a list of records: it starts with 序号 (or 编号)."""
    first = next((c.text for c in row if c.text.strip()), "")
    return compact(first) in ("序号", "编号", "No.", "NO.")


def basic_segments(doc: Document, spec: FormSpec) -> list[tuple[str, Document]]:
    """The 基本情况表 in a document, each with the tables that continue it (企业近三年经营情况
    is often a table of its own): a table holding 企业名称 or 园区名称 starts a segment."""
    out: list[tuple[str, list[Block]]] = []
    for b in doc.blocks:
        if b.kind != "table" or b.table is None:
            if out:
                out[-1][1].append(b)
            continue
        kind = _table_kind(b.table, spec)
        if kind:
            out.append((kind, [b]))
        elif out:
            out[-1][1].append(b)
    return [(k, _sub_document(doc, bl)) for k, bl in out]


def _phone_owner(h: LabelHit, hits: list[LabelHit]) -> str:
    """联系电话 appears twice in a 基本情况表 row set: beside 法定代表人 / 园区负责人 and beside
    申报联系人.  The one in the 申报联系人 row is the contact's."""
    if h.label_cell is None:
        return "phone"
    r, t = h.label_cell.loc.row, h.label_cell.loc.table
    for o in hits:
        if o.label_cell is not None and o.label_cell.loc.row == r and o.label_cell.loc.table == t and o.name.endswith(".contact"):
            return "phone"
    return "head_phone"


def _fields_of(seg: Document, spec: FormSpec, prefix: str, source: str) -> tuple[dict[str, FieldValue], dict[str, Choice]]:
    labels = _labels(spec, prefix)
    hits = find_label_values(seg, labels)
    fields: dict[str, FieldValue] = {}
    choices: dict[str, Choice] = {}
    for h in hits:
        fid = h.name.split(".", 1)[1]
        f = spec.fields[h.name]
        if fid == "phone":
            fid = _phone_owner(h, hits)
        if fid in ("audit_mandatory", "audit_voluntary", "energy_diagnosis", "level"):
            ch = parse_choice(f.label, h.value_text, h.value_loc)
            if fid not in choices or (not choices[fid].selected and ch.selected):
                choices[fid] = ch
            text = "、".join(ch.selected)
        else:
            text = common.clean_value(h.value_text)
            if f.kind and text:
                text = common.coded_value(f.kind, text)
            if text and match_label(text, labels):
                text = ""
        q = parse_quantity(text, f.unit, h.value_loc) if text and (f.number or f.unit) else None
        label = f.label if fid != "head_phone" else "联系电话（负责人）"
        fv = FieldValue(name=f"{prefix}.{fid}", label=label, text=text, quantity=q, loc=h.value_loc,
                        required=f.required or (fid == "phone"), source=source)
        cur = fields.get(fid)
        if cur is None or (cur.blank and not fv.blank):
            fields[fid] = fv
    # a required label nowhere in the table is as missing as a blank one
    for fid, f in spec.fields.items():
        p, short = fid.split(".", 1)
        if p == prefix and f.required and short not in fields and not common.label_written(f.names, [seg]):
            fields[short] = FieldValue(name=fid, label=f.label, text=None, required=True, source=source,
                                       loc=Location(file=seg.path))
    return fields, choices


_YEAR = re.compile(r"(20\d{2})")


def business_rows(seg: Document, spec: FormSpec) -> tuple[list[BusinessYear], Location | None]:
    cols = spec.tables["business"]
    units = {"total_assets": "万元", "revenue": "万元", "profit": "万元", "tax": "万元", "debt_ratio": "%"}
    for rt in find_record_tables(seg, cols, required=("name", "revenue"), min_keys=3, default_units=units):
        rows = []
        for r in rt.rows:
            label = r.label.strip()
            m = _YEAR.search(compact(label))
            if not m:
                continue
            by = BusinessYear(label=label, year=m.group(1), estimate="预计" in compact(label) or "预估" in compact(label),
                              loc=r.cells["name"].loc if "name" in r.cells else None)
            for key in ("total_assets", "debt_ratio", "revenue", "profit", "tax"):
                q = rt.quantity(r, key)
                if q is not None and key == "debt_ratio" and not q.unit:
                    q = parse_quantity(r.text(key), "%", q.loc)
                setattr(by, key, q)
            # a header "2023年（预计）" or a cell "1234（预计）" marks the estimate too
            if any("预计" in r.text(k) for k in ("total_assets", "revenue", "profit", "tax")):
                by.estimate = True
            rows.append(by)
        if rows:
            return rows, rt.table.loc
    return [], None


def project_sums(doc: Document, spec: FormSpec, unit: str) -> list[SumClaim]:
    """The 拟实施项目清单's 总投资: its 合计 against the projects (or against the 小计 of their
    groups, when every group has one), and each 小计 against the projects of its group."""
    out: list[SumClaim] = []
    units = {"investment": "万元"}
    for rt in find_record_tables(doc, spec.tables["projects"], required=("name", "investment"), min_keys=3,
                                 default_units=units):
        items = [(r, rt.quantity(r, "investment")) for r in rt.rows]
        items = [(r, q) for r, q in items if q is not None]
        if not items:
            continue

        def fact(r, q, label=None) -> Fact:
            return Fact(key=f"project.investment:{compact(label or r.label)}@{compact(unit)}", label=label or r.label,
                        quantity=q, source="创建工作方案")

        subs = [(s, rt.quantity(s, "investment")) for s in rt.subtotals]
        subs = [(s, q) for s, q in subs if q is not None]
        for s, q in subs:
            members = [(r, iq) for r, iq in items if r.group is not None and r.group == s.group]
            if members:
                out.append(SumClaim(label=f"拟实施项目清单「{s.group}」小计总投资（{unit}）", total=fact(s, q, f"{s.group}小计"),
                                    items=[fact(r, iq) for r, iq in members]))
        total = rt.total if rt.total is not None and rt.total not in rt.subtotals else None
        tq = rt.quantity(total, "investment") if total is not None else None
        if tq is None:
            continue
        grouped = {s.group for s, _ in subs}
        if subs and all(r.group in grouped for r, _ in items):
            parts = [fact(s, q, f"{s.group}小计") for s, q in subs]
        else:
            parts = [fact(r, iq) for r, iq in items]
        out.append(SumClaim(label=f"拟实施项目清单总投资（{unit}）", total=fact(total, tq, "合计"), items=parts))
    return out


# 工业增加值占比: "工业增加值占园区地区生产总值的比重为62.5%", "工业增加值占比达到 70%"
_SHARE = re.compile(r"工业增加值占(?:比|[^，,。；;]{0,16}?(?:比重|比例))(?:约|为|达到|达|是|超过)?[:：]?(\d+(?:\.\d+)?)[%％]")
_VALUE_ADDED = re.compile(r"(?<!万元)工业增加值(?:约|为|达到|达|实现|完成)?[:：]?(\d+(?:\.\d+)?)(亿元|万元)")
_GDP = re.compile(r"(?:地区生产总值|园区生产总值|GDP|增加值总额|全部增加值)(?:约|为|达到|达|实现|完成)?[:：]?(\d+(?:\.\d+)?)(亿元|万元)")
_OUTPUTS = {
    "industrial_output": re.compile(r"工业总产值(?:\(预计\))?(?:约|为|达到|达|实现|完成|预计)*[:：]?(\d+(?:\.\d+)?)(亿元|万元)"),
    "total_output": re.compile(r"(?<!工业)(?<!业)总产值(?:\(预计\))?(?:约|为|达到|达|实现|完成|预计)*[:：]?(\d+(?:\.\d+)?)(亿元|万元)"),
}


# the park's counts as its plan states them ("现有入园企业312家，其中规模以上工业企业168家"; "其中通过
# 强制性清洁生产审核8家，通过自愿性清洁生产审核9家"): read where the 基本情况表 gives none
_PARK_COUNTS = {
    "scale_enterprises": re.compile(r"(?:规模以上(?:工业)?企业|规上(?:工业)?企业|规模企业)(?:数)?(?:为|有|共)?(\d+)家"),
    "audited_mandatory": re.compile(r"通过强制性清洁生产审核(?:的企业)?(?:为|有|共)?(\d+)家"),
    "audited_voluntary": re.compile(r"通过自愿性清洁生产审核(?:的企业)?(?:为|有|共)?(\d+)家"),
}


def park_counts(doc: Document) -> dict[str, Quantity]:
    out: dict[str, Quantity] = {}
    for b in doc.text_blocks():
        t = compact(arabic(b.text))
        for key, rx in _PARK_COUNTS.items():
            found = {m.group(1) for m in rx.finditer(t)}
            if key not in out and len(found) == 1:  # one figure in the paragraph: no doubt which
                out[key] = parse_quantity(found.pop(), "个", b.loc)
    return {k: q for k, q in out.items() if q is not None}


def park_statements(doc: Document) -> tuple[ShareStatement | None, dict[str, Quantity]]:
    share = ShareStatement()
    outputs: dict[str, Quantity] = {}
    for b in doc.text_blocks():
        t = compact(arabic(b.text))  # "工业增加值占比百分之四十六点八"
        m = _SHARE.search(t)
        if m and share.share is None:
            share.share = parse_quantity(m.group(1) + "%", "%", b.loc)
            share.quote = b.text.strip()[:160]
        m = _VALUE_ADDED.search(t)
        if m and share.value_added is None and "占" not in t[m.end():m.end() + 1]:
            share.value_added = parse_quantity(m.group(1) + m.group(2), None, b.loc)
        m = _GDP.search(t)
        if m and share.gdp is None:
            share.gdp = parse_quantity(m.group(1) + m.group(2), None, b.loc)
        for key, rx in _OUTPUTS.items():
            m = rx.search(t)
            if m and key not in outputs:
                outputs[key] = parse_quantity(m.group(1) + m.group(2), None, b.loc)
    found = share.share is not None or (share.value_added is not None and share.gdp is not None)
    return (share if found else None), outputs


def _cover(doc: Document, spec: FormSpec) -> dict[str, FieldValue]:
    """The plan cover's 单位 / 创建类型 / 联系人 / 联系电话 lines (text, not the tables)."""
    out: dict[str, FieldValue] = {}
    labels = _labels(spec, "cover")
    cover_blocks = []
    for b in doc.blocks:
        if b.kind == "table":
            continue
        cover_blocks.append(b)
        if len(cover_blocks) > 40:
            break
    for h in find_label_values(_sub_document(doc, cover_blocks), labels):
        fid = h.name.split(".", 1)[1]
        f = spec.fields[h.name]
        text = common.clean_value(h.value_text)
        if f.kind and text:
            text = common.coded_value(f.kind, text)
        if fid not in out or (out[fid].blank and text):
            out[fid] = FieldValue(name=h.name, label=f.label, text=text, loc=h.value_loc, source="封面")
    return out


def _attachment_section(doc: Document, after: int) -> tuple[int, Block] | None:
    """附件 as the last part of a plan: a heading "附件" / "附件：相关证明…" (not "附件1" on a
    cover copied from the seed's template), after the sections already found."""
    for i, b in heading_candidates(doc):
        if i <= after:
            continue
        t = strip_numbering(b.text)
        if re.match(r"^(?:[八8][、.．]?)?附件(?![\d一二三四五六七八九])(?:[:：(（]|$|及|材料|清单)", t) or re.match(
                r"^相关(?:证明|支撑)", t):
            return i, b
    return None


def plan_outline(doc: Document, spec: FormSpec, name: str) -> list[SectionHit]:
    hits, spans = match_outline([doc], spec)
    last = max((spans[s][1] for s in spans), default=-1)
    for h in hits:
        if h.id == "8" and not h.found:
            a = _attachment_section(doc, last)
            if a:
                h.found, h.heading, h.loc, h.score = True, a[1].text[:80], a[1].loc, 90.0
        if not h.found:
            h.loc = Location(file=doc.path)  # names the plan whose section is missing
    return hits


# ---------------------------------------------------------------- summary tables


def _split_contact(text: str) -> tuple[str, str]:
    t = compact(text)
    m = _MOBILE.search(t) or _PHONE_ANY.search(t)
    if not m:
        return t, ""
    name = (t[: m.start()] + t[m.end():]).strip("/、,，;；:：()（）-")
    return name, m.group(0)


def summary_rows(doc: Document, spec: FormSpec) -> list[SummaryRow]:
    out: list[SummaryRow] = []
    specs = (("2-1", "summary_factory", ("name", "type"), {"revenue": "万元", "profit": "万元", "tax": "万元"}),
             ("2-2", "summary_park", ("name", "built_area"), {"built_area": "平方公里", "total_output": "亿元", "industrial_output": "亿元"}))
    taken: set[int] = set()
    for table_id, key, required, units in specs:
        for rt in find_record_tables(doc, spec.tables[key], required=required, min_keys=4, default_units=units):
            if id(rt.table) in taken:
                continue
            taken.add(id(rt.table))
            for r in rt.rows:
                name = common.clean_value(r.label)
                if not name or re.fullmatch(r"[\d.]+", compact(name)):
                    continue
                row = SummaryRow(table=table_id, file=doc.path, name=name, loc=r.cells["name"].loc)
                for k, c in r.cells.items():
                    if k in ("name", "seq"):
                        continue
                    q = rt.quantity(r, k) if k in units else None
                    row.cells[k] = SummaryCell(text=common.clean_value(c.text), quantity=q, loc=c.loc)
                out.append(row)
    return out


# ---------------------------------------------------------------- extraction


def _unit_for(plans: list[UnitPlan], name: str) -> UnitPlan | None:
    best, score = None, 0.0
    for p in plans:
        sc = similarity(compact(p.name), compact(name))
        if sc > score:
            best, score = p, sc
    return best if score >= SAME_UNIT else None


def build_model(docs: list[Document], roles: dict[str, list[str]]) -> HnGreenMfg:
    spec = load_spec(FORM_ID)
    model = HnGreenMfg()
    readable = [d for d in docs if not d.error]
    plan_docs = [d for d in readable if "plan" in roles.get(d.path, []) or outline_count(d, spec) >= 3]
    segs_by_doc = {d.path: basic_segments(d, spec) for d in readable}

    for d in plan_docs:
        cover = _cover(d, spec)
        segs = segs_by_doc.get(d.path, [])
        name = (cover.get("unit").text if cover.get("unit") else "") or ""
        if not name and segs:
            kind, seg = segs[0]
            f, _ = _fields_of(seg, spec, "ent" if kind == ENTERPRISE else "park", "基本情况表")
            name = (f.get("name").text if f.get("name") else "") or ""
        p = UnitPlan(name=name or d.path.rsplit("/", 1)[-1], plan_file=d.path, cover=cover)
        if cover.get("type") and cover["type"].text:
            p.creation_type = cover["type"].text
        model.plans.append(p)

    plan_by_file = {p.plan_file: p for p in model.plans}
    for d in readable:
        for kind, seg in segs_by_doc.get(d.path, []):
            prefix = "ent" if kind == ENTERPRISE else "park"
            fields, choices = _fields_of(seg, spec, prefix, "基本情况表")
            name = (fields.get("name").text if fields.get("name") else "") or ""
            p = plan_by_file.get(d.path) if len(segs_by_doc[d.path]) == 1 else None
            if p is None or (p.basic_file and p.basic_file != d.path):
                p = _unit_for(model.plans, name) if name else None
            if p is None or p.basic_file:
                p = UnitPlan(name=name or d.path.rsplit("/", 1)[-1])
                model.plans.append(p)
            p.kind, p.basic_file, p.fields, p.choices = kind, d.path, fields, choices
            if not p.name or p.name == (p.plan_file or "").rsplit("/", 1)[-1]:
                p.name = name or p.name
            for f in p.fields.values():
                f.source = f"基本情况表（{p.name}）"
            if kind == ENTERPRISE:
                p.business, p.business_loc = business_rows(seg, spec)

    for p in model.plans:
        if p.plan_file:
            doc = next(d for d in readable if d.path == p.plan_file)
            p.projects = project_sums(doc, spec, p.name)
        if p.plan_file and not p.basic_file:
            doc = next(d for d in readable if d.path == p.plan_file)
            p.basic_title = next((b.loc for b in doc.text_blocks() if _BASIC_TITLE.match(compact(b.text))), None)
            if p.kind is None and p.creation_type:
                # no table says which kind: the cover's 创建类型 does
                p.kind = PARK if "园区" in p.creation_type else ENTERPRISE
        if p.kind == PARK and p.plan_file:
            doc = next(d for d in readable if d.path == p.plan_file)
            p.industry_share, p.outputs = park_statements(doc)
            for fid, q in park_counts(doc).items():
                if p.quantity(fid) is None:
                    f = spec.fields[f"park.{fid}"]
                    p.fields[fid] = FieldValue(name=f"park.{fid}", label=f.label, text=q.text, quantity=q, loc=q.loc,
                                               required=f.required, source=f"创建工作方案正文（{p.name}）")

    for d in readable:
        rows = summary_rows(d, spec)
        if rows:
            model.summary_files.append(d.path)
            for r in rows:
                m = _unit_for(model.plans, r.name)
                r.plan = m.name if m else None
            model.summary_rows.extend(rows)
    return model


_BASIC_TITLE = re.compile(r"^(?:附表\d*|表\d+)?[:：]?(?:.{0,30})?基本情况表(?:[(（].{0,20}[)）])?$")


def _fact(unit: str, key: str, label: str, q: Quantity | None, source: str, period: str | None = None, quote=None) -> Fact | None:
    if q is None:
        return None
    return Fact(key=f"{key}@{compact(unit)}", label=f"{label}（{unit}）", period=period, quantity=q, source=source, quote=quote)


def extract(docs: list[Document], roles: dict[str, list[str]]) -> FormResult:
    spec = load_spec(FORM_ID)
    settings_year = "2023"
    res = FormResult(form=FORM_ID, form_title=spec.title)
    model = build_model(docs, roles)
    for p in model.plans:
        if p.basic_file and "basic_info" not in roles.get(p.basic_file, []):
            roles[p.basic_file] = [r for r in roles.get(p.basic_file, []) if r not in ("other",)] + ["basic_info"]
    for path in model.summary_files:
        if "summary_table" not in roles.get(path, []):
            roles[path] = [r for r in roles.get(path, []) if r not in ("other",)] + ["summary_table"]

    readable = {d.path: d for d in docs if not d.error}
    for i, p in enumerate(model.plans, 1):
        for fid, fv in p.fields.items():
            res.fields[f"{i}.{fid}"] = fv
            kind = spec.fields[fv.name].kind if fv.name in spec.fields else None
            if kind and fv.text:
                res.contacts.append(ContactValue(kind=kind, label=fv.label, value=fv.text, loc=fv.loc))
        code = p.value("org_code")
        if len(compact(code)) == 18:
            res.contacts.append(ContactValue(kind="credit_code", label="组织机构代码（统一社会信用代码）", value=compact(code),
                                             loc=p.fields["org_code"].loc))
        for fid in ("phone",):
            fv = p.cover.get(fid)
            if fv and fv.text:
                res.contacts.append(ContactValue(kind="phone", label="联系电话（封面）", value=fv.text, loc=fv.loc))
        if p.plan_file:
            res.outline.extend(plan_outline(readable[p.plan_file], spec, p.name))
        else:
            res.attachments.append(AttachmentStatus(
                id=f"plan:{p.name}", title=f"{p.name}创建工作方案", clause="通知二、有关要求 3（制定本单位创建工作方案，提纲详见附件1）",
                found=False, evidence=[Location(file=p.basic_file)] if p.basic_file else []))
        if p.plan_file and not p.basic_file:
            st = AttachmentStatus(id=f"basic_info:{p.name}", title=f"{p.name}基本情况表", clause="附件1 基本情况表",
                                  found=False, evidence=[p.basic_title or Location(file=p.plan_file)])
            used = {q.basic_file for q in model.plans}
            unread = [d.path for d in docs if "basic_info" in roles.get(d.path, [])
                      and d.path not in used and d.path != p.plan_file]
            if p.basic_title is not None:
                # its title is there: the table may be one that could not be read (borderless, a picture)
                st.severity = "warning"
                st.how = "创建工作方案中有「基本情况表」标题，但未能读出其下的表格（可能为无框线表格或图片），请人工核实"
            elif unread:
                # a file reads as a 基本情况表 by its words, but no table of it could be rebuilt
                # (a scan whose rulings did not come out, a table drawn as text)
                st.severity = "warning"
                st.how = (f"包内「{'、'.join(unread)}」按内容识别为基本情况表，但未能读出其中的表格"
                          "（扫描件或表格结构无法识别），请人工核实")
            res.attachments.append(st)
        res.sums.extend(p.projects)
        # figures the summary table restates: its row is compared with the plan (CROSSDOC)
        last = next((b for b in p.business if b.year == settings_year), None)
        if last:
            for key, label, q in (("revenue", "2023年主营业务收入", last.revenue), ("profit", "2023年利润", last.profit),
                                  ("tax", "2023年税金", last.tax)):
                f = _fact(p.name, key, label, q, "基本情况表", settings_year)
                if f:
                    res.facts.append(f)
        for b in p.business:
            f = _fact(p.name, "debt_rate", "负债率", b.debt_ratio, "基本情况表", b.year)
            if f:
                res.facts.append(f)
        if p.kind == PARK:
            f = _fact(p.name, "built_area", "园区已建成面积", p.quantity("built_area"), "基本情况表", settings_year)
            if f:
                res.facts.append(f)
            for key, label in (("total_output", "2023年园区总产值"), ("industrial_output", "2023年园区工业总产值")):
                f = _fact(p.name, key, label, p.outputs.get(key), "创建工作方案正文", settings_year)
                if f:
                    res.facts.append(f)
            for fid in ("energy_drop_rate", "hightech_rate", "waste_util_rate"):
                q = p.quantity(fid)
                if q is not None and q.unit == "%":
                    res.facts.append(Fact(key=f"{fid}@{compact(p.name)}", label=p.fields[fid].label, period=settings_year,
                                          quantity=q, source="基本情况表"))
            s = p.industry_share
            if s and s.share is not None and s.value_added is not None and s.gdp is not None:
                res.rates.append(RateClaim(
                    label=f"工业增加值占比（{p.name}）", period=settings_year,
                    reported=Fact(key="industry_share", label="工业增加值占比", quantity=s.share, source="创建工作方案正文", quote=s.quote),
                    numerator=Fact(key="value_added", label="工业增加值", quantity=s.value_added, source="创建工作方案正文"),
                    denominator=Fact(key="gdp", label="地区生产总值", quantity=s.gdp, source="创建工作方案正文"),
                    formula="工业增加值 / 地区生产总值 × 100%"))
    for r in model.summary_rows:
        unit = r.plan or r.name
        src = f"附件{r.table}申报汇总表"
        for key, label in (("revenue", "2023年主营业务收入"), ("profit", "2023年利润"), ("tax", "2023年税金"),
                           ("built_area", "园区已建成面积"), ("total_output", "2023年园区总产值"),
                           ("industrial_output", "2023年园区工业总产值")):
            c = r.cells.get(key)
            f = _fact(unit, key, label, c.quantity if c else None, src, settings_year)
            if f:
                res.facts.append(f)
        c = r.cells.get("contact")
        if c and c.text:
            _, phone = _split_contact(c.text)
            if phone:
                res.contacts.append(ContactValue(kind="phone", label=f"联系人及手机（{src}）", value=phone, loc=c.loc))

    if not model.summary_rows:  # a summary table's rows without plans are reported row by row
        res.attachments = common.required_role_status(spec, roles, {"plan": "通知二、有关要求 3；附件1"}) + res.attachments
    # each applicant's files form one identity group (several applicants are not a name mismatch)
    groups = {f: p.name for p in model.plans for f in (p.plan_file, p.basic_file) if f}
    groups.update({f: "申报汇总表" for f in model.summary_files})
    res.identity_groups = groups
    res.model = model
    return res


def model_of(result: FormResult) -> HnGreenMfg:
    """The form's typed model, as the rules read it."""
    return form_model(result, HnGreenMfg)


def contact_parts(text: str) -> tuple[str, str]:
    """'张三 13812345678' -> ('张三', '13812345678')."""
    return _split_contact(text)

