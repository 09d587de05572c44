"""The audit's rules: one function per signal, registered (and catalogued) with `audit_rule`.

Each reads the `AuditContext` (every package's features, and the passage index) and returns
`Signal`s.  Thresholds are stated once, here.  A signal is raised only where the shared thing
could not be shared by chance or by honest reuse: boilerplate every applicant writes, an
agency's own text and contacts in its clients' reports, round figures, two people who only
share a name, and a company's own resubmission are not signals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from checkers.audit.index import candidate_pairs
from checkers.audit.model import AuditedPackage, Signal, place
from checkers.registry import declare
from extractor.audit.passages import decode_signature, masked, name_variants, normalise

# ---------------------------------------------------------------- thresholds, stated once
BOILERPLATE_COMPANIES = 3  # a passage or picture found in this many companies' packages is common text
COPY_SIMILARITY = 80  # rapidfuzz ratio of two normalised sentences: copied (with edits)
COPY_MIN_PASSAGES = 4  # fewer copied sentences between two companies is not a signal (a standard phrase)
COPY_MIN_CHARS = 150
IMAGE_DISTANCE = 6  # of 256 pHash bits: the same photo, re-saved or rescaled (two licences differ by 10 and more)
PAPER_DISTANCE = 1  # documents of one template with other names in them are 4-6 bits apart: only a copy is closer
NAME_SIMILARITY = 90  # two spellings of one company name (OCR, 有限公司/有限责任公司)
CONTACT_COMMON_COMPANIES = 5  # a number this many companies give is a switchboard or an agency's

AuditCheck = Callable[["AuditContext"], Iterable[Signal]]
AUDIT_CHECKS: dict[str, AuditCheck] = {}


def audit_rule(code: str, severity: str, title: str, meaning: str, clause: str):
    def deco(func: AuditCheck) -> AuditCheck:
        declare(code, severity, title, meaning, clause)  # type: ignore[arg-type]
        AUDIT_CHECKS[code] = func
        return func

    return deco


@dataclass
class AuditContext:
    packages: list[AuditedPackage]


def _different(a: AuditedPackage, b: AuditedPackage) -> bool:
    """Two packages of different companies: neither the credit code, nor the name, nor any applicant
    of a city's batch of several is shared (a mistyped code is still the same company)."""
    if a.company_key == b.company_key or (a.features.company and a.features.company == b.features.company):
        return False
    names_a = set(a.features.applicants) | ({a.features.company} if a.features.company else set())
    names_b = set(b.features.applicants) | ({b.features.company} if b.features.company else set())
    return not (names_a & names_b)


def _companies(packages: Iterable[AuditedPackage]) -> int:
    """How many different companies the packages are of (`_different`, joined transitively)."""
    groups: list[list[AuditedPackage]] = []
    for pkg in packages:
        joined = [g for g in groups if any(not _different(pkg, other) for other in g)]
        merged = [pkg] + [p for g in joined for p in g]
        groups = [g for g in groups if g not in joined] + [merged]
    return len(groups)


def _names(packages: Iterable[AuditedPackage]) -> list[str]:
    return sorted({p.name for p in packages})


def _marked(a: str, b: str) -> tuple[str, str]:
    """`a` and `b` with the words that differ between them in 【】."""
    out_a, out_b = [], []
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(a, b):
        seg_a, seg_b = a[i1:i2], b[j1:j2]
        if tag == "equal":
            out_a.append(seg_a)
            out_b.append(seg_b)
        else:
            out_a.append(f"【{seg_a}】" if seg_a else "")
            out_b.append(f"【{seg_b}】" if seg_b else "")
    return "".join(out_a), "".join(out_b)


# ---------------------------------------------------------------- AUDIT.TEXT_COPIED


@audit_rule("AUDIT.TEXT_COPIED", "error", "叙述文字跨企业雷同",
            "Narrative sentences of two companies' packages are near-duplicates once shared boilerplate is removed",
            "湖北 第二十三条（提供虚假材料）；绿色制造 第十五条（四）")
def text_copied(ctx: AuditContext) -> Iterable[Signal]:
    packages = ctx.packages
    own = [name_variants(pkg.features.company) for pkg in packages]
    norms = {(i, j): masked(p.text, own[i]) for i, pkg in enumerate(packages) for j, p in enumerate(pkg.features.passages)}
    # sentences identical once masked are one group: a template sentence in 10,000 packages is
    # one entry of the index and one query, not 10,000 (the audit scales with what differs)
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (i, j), norm in norms.items():
        groups[norm].append((i, j))
    texts = list(groups)
    members = [groups[text] for text in texts]
    companies = [{packages[i].company_key for i, _j in group} for group in members]
    signatures = np.stack([decode_signature(packages[g[0][0]].features.passages[g[0][1]].signature) for g in members]) \
        if members else np.zeros((0, 64), dtype=np.uint64)
    near, common = candidate_pairs(signatures)
    pairs: dict[tuple[int, int], list[tuple[int, int, float]]] = defaultdict(list)
    for g, text in enumerate(texts):
        if len(companies[g]) >= BOILERPLATE_COMPANIES or g in common:
            continue
        hits = sorted(near.get(g, ()))
        similar = [h for h in hits if fuzz.ratio(text, texts[h]) >= COPY_SIMILARITY]
        close = [g] + [h for h in similar if h > g]
        around: set[str] = set()
        for h in [g] + similar:
            around |= companies[h]
            if len(around) >= BOILERPLATE_COMPANIES:
                break
        if len(around) >= BOILERPLATE_COMPANIES:
            continue  # text many companies write: a template, a policy, a standard phrase
        for h in close:
            score = 100.0 if h == g else fuzz.ratio(text, texts[h])
            for i, j in members[g]:
                for k, m in members[h]:
                    if i == k:
                        continue
                    a, b = (i, j), (k, m)
                    if b < a:
                        a, b = b, a
                    pa, pb = packages[a[0]], packages[b[0]]
                    if not _different(pa, pb):
                        continue
                    agency = pa.features.agency
                    if agency and agency == pb.features.agency and _mentions_agency(norms[a], agency):
                        continue  # the agency writing about itself in two clients' reports
                    pairs[(a[0], b[0])].append((a[1], b[1], score))
    for (i, k), matches in sorted(pairs.items()):
        a, b = packages[i], packages[k]
        # one sentence of each side once
        seen_a, seen_b, kept = set(), set(), []
        for j, m, score in sorted(matches, key=lambda t: -t[2]):
            if j in seen_a or m in seen_b:
                continue
            seen_a.add(j)
            seen_b.add(m)
            kept.append((j, m, score))
        kept.sort()
        chars = sum(len(normalise(a.features.passages[j].text)) for j, _m, _s in kept)
        names_left = [j for j, m, _s in kept if _names_in(own[k], norms[(i, j)])] + \
                     [m for j, m, _s in kept if _names_in(own[i], norms[(k, m)])]
        # another company's name in one sentence may be a partner named honestly; in a copied run, a slip
        named = bool(names_left) and len(kept) >= 2
        if (len(kept) < COPY_MIN_PASSAGES or chars < COPY_MIN_CHARS) and not named:
            continue
        # identical sentences are never certain falsification (one consultant's template, a plan's
        # standard wording); another company's name left in them is: only that is an error
        strong = named
        shown = []
        for j, m, score in kept[:20]:
            ta, tb = a.features.passages[j].text, b.features.passages[m].text
            ma, mb = _marked(ta, tb)
            shown.append({"a": ta, "b": tb, "a_marked": ma, "b_marked": mb, "similarity": round(score, 1)})
        note = "，且照抄了另一企业的名称" if named else ""
        yield Signal(
            rule="AUDIT.TEXT_COPIED",
            severity="error" if strong else "warning",
            message=(f"「{a.label}」与「{b.label}」的申报材料有 {len(kept)} 句叙述文字近似相同（约 {chars} 字）{note}；"
                     "已排除多家企业共有的模板、政策引文和评价机构介绍，可能由同一份材料改写而成"),
            packages=[a.name, b.name],
            evidence={"companies": [a.label, b.label], "sentences": len(kept), "characters": chars,
                      "company_name_left": named, "passages": shown},
            locations=[place(a, a.features.passages[j].loc) for j, _m, _s in kept[:20]]
            + [place(b, b.features.passages[m].loc) for _j, m, _s in kept[:20]],
        )


def _names_in(names: list[str], norm: str) -> bool:
    """Another company's name written in this package's sentence: copied, and not even edited."""
    return any(name in norm for name in names)


def _mentions_agency(norm: str, agency: str) -> bool:
    short = normalise(agency)
    for suffix in ("有限责任公司", "股份有限公司", "有限公司"):
        if short.endswith(suffix):
            short = short[: -len(suffix)]
            break
    return len(short) >= 4 and short in norm


# ---------------------------------------------------------------- AUDIT.STAFF_SHARED


@audit_rule("AUDIT.STAFF_SHARED", "error", "人员跨机构重复",
            "One person (ID number, masked-number-aware, or name plus birth date) on the staff lists of two agencies",
            "湖北 第二十三条（提供虚假材料）；第八条（专职技术人员）")
def staff_shared(ctx: AuditContext) -> Iterable[Signal]:
    by_key: dict[tuple[str, str], list[tuple[AuditedPackage, object]]] = defaultdict(list)
    for pkg in ctx.packages:
        for person in pkg.features.people:
            if person.id_hash:
                by_key[("id", person.id_hash)].append((pkg, person))
            if person.id_visible:
                by_key[("visible", f"{person.name}|{person.id_visible}")].append((pkg, person))
            if person.birth and not person.id_visible:
                by_key[("birth", f"{person.name}|{person.birth}")].append((pkg, person))
    reported: set[frozenset[tuple[str, str]]] = set()
    for (how, _key), entries in sorted(by_key.items(), key=lambda kv: {"id": 0, "visible": 1, "birth": 2}[kv[0][0]]):
        agencies = {pkg.company_key for pkg, _p in entries}
        if len(agencies) < 2:
            continue
        person = entries[0][1]
        pairs = frozenset((pkg.company_key, getattr(p, "name")) for pkg, p in entries)
        if pairs in reported:
            continue  # the same person already reported by a stronger key
        reported.add(pairs)
        pkgs = {pkg.name: pkg for pkg, _p in entries}
        shown_id = getattr(person, "id_visible", None) or "—"
        how_text = {"id": "身份证号码相同", "visible": "同名且身份证号码可见部分一致（社保清单为遮蔽号码）",
                    "birth": "同名且出生日期相同（名单未列身份证号码）"}[how]
        yield Signal(
            rule="AUDIT.STAFF_SHARED",
            severity="error" if how == "id" else "warning",
            message=(f"人员「{getattr(person, 'name')}」同时列于 {len(agencies)} 家评价机构的人员名单或社保清单（{how_text}）："
                     + "、".join(sorted({pkg.label for pkg, _p in entries})) + "；专职人员不能在两家机构任职"),
            packages=_names(pkgs.values()),
            evidence={"name": getattr(person, "name"), "id_visible": shown_id, "matched_by": how,
                      "agencies": sorted({pkg.label for pkg, _p in entries}),
                      "lists": [{"package": pkg.name, "list": getattr(p, "list")} for pkg, p in entries]},
            locations=[place(pkg, getattr(p, "loc"), list=getattr(p, "list")) for pkg, p in entries],
        )


# ---------------------------------------------------------------- AUDIT.FIGURES_REUSED


@audit_rule("AUDIT.FIGURES_REUSED", "error", "数据跨企业或跨年度雷同",
            "The same set of figures (a waste table, an indicator table) in two companies' packages, or one company's in two years",
            "湖北 第二十三条（提供虚假材料和数据）；绿色制造 第十五条（四）")
def figures_reused(ctx: AuditContext) -> Iterable[Signal]:
    by_print: dict[str, list[tuple[AuditedPackage, object]]] = defaultdict(list)
    for pkg in ctx.packages:
        for fs in pkg.features.figures:
            if not fs.round_only:
                by_print[fs.fingerprint].append((pkg, fs))
    for _print, entries in sorted(by_print.items()):
        pkgs = {}
        for pkg, fs in entries:
            pkgs.setdefault(pkg.name, (pkg, fs))
        if len(pkgs) < 2:
            continue
        items = list(pkgs.values())
        companies = _companies(pkg for pkg, _fs in items)
        periods = {getattr(fs, "period") for _pkg, fs in items}
        if companies >= 2:
            severity, what = "error", "不同企业的申报材料中出现完全相同的一组数据"
        elif len(periods) >= 2:
            severity, what = "warning", "同一企业不同年度的申报材料中数据完全相同"
        else:
            continue  # the same company's same year twice: a resubmission
        fs0 = items[0][1]
        values = getattr(fs0, "values")
        yield Signal(
            rule="AUDIT.FIGURES_REUSED",
            severity=severity,
            message=(f"{what}（{len(values)} 项，如 " + "、".join(f"{k.split(':')[-1]} {v}" for k, v in values[:3])
                     + "）：" + "、".join(f"「{pkg.label}」{getattr(fs, 'period') or ''}" for pkg, fs in items)),
            packages=_names(pkg for pkg, _fs in items),
            evidence={"values": [list(v) for v in values], "sources": [getattr(fs, "source") for _p, fs in items],
                      "periods": [getattr(fs, "period") for _p, fs in items], "companies": [pkg.label for pkg, _fs in items]},
            locations=[place(pkg, getattr(fs, "loc"), period=getattr(fs, "period")) for pkg, fs in items],
        )


# ---------------------------------------------------------------- AUDIT.IMAGE_REUSED


@audit_rule("AUDIT.IMAGE_REUSED", "error", "图片跨企业重复使用",
            "The same photo, chart, certificate or licence image (perceptual hash) in two companies' packages",
            "湖北 第二十三条（提供虚假材料）；绿色制造 第十五条（四）")
def image_reused(ctx: AuditContext) -> Iterable[Signal]:
    pictures = [(pkg, pic, int(pic.phash, 16)) for pkg in ctx.packages for pic in pkg.features.pictures]
    bands: dict[tuple[int, int], list[int]] = defaultdict(list)
    for n, (_pkg, _pic, h) in enumerate(pictures):
        for band in range(8):  # two 256-bit hashes within 7 bits agree on at least one of 8 32-bit bands
            bands[(band, (h >> (32 * band)) & 0xFFFFFFFF)].append(n)
    near: dict[int, set[int]] = defaultdict(set)
    for members in bands.values():
        if len(members) > 2000:
            continue  # a flat byte every picture has: no information
        for x in members:
            for y in members:
                if x < y and bin(pictures[x][2] ^ pictures[y][2]).count("1") <= (
                        PAPER_DISTANCE if pictures[x][1].paper or pictures[y][1].paper else IMAGE_DISTANCE):
                    near[x].add(y)
                    near[y].add(x)
    done: set[tuple[str, str]] = set()
    for x in sorted(near):
        group = {x} | near[x]
        companies = {pictures[n][0].company_key for n in group}
        if len(companies) >= BOILERPLATE_COMPANIES or len(companies) < 2:
            continue  # a logo or emblem many packages carry, or one company's own picture
        for y in sorted(near[x]):
            a, b = pictures[x], pictures[y]
            if x > y or not _different(a[0], b[0]) or (a[0].name, b[0].name) in done:
                continue
            done.add((a[0].name, b[0].name))
            distance = bin(a[2] ^ b[2]).count("1")
            yield Signal(
                rule="AUDIT.IMAGE_REUSED",
                severity="error",
                message=(f"「{a[0].label}」的图片 {a[1].part or a[1].file} 与「{b[0].label}」的图片 {b[1].part or b[1].file} "
                         f"为同一张图片（感知哈希相差 {distance} 位，可经压缩、缩放）"),
                packages=[a[0].name, b[0].name],
                evidence={"distance": distance, "hashes": [a[1].phash, b[1].phash],
                          "pictures": [a[1].model_dump(), b[1].model_dump()]},
                locations=[place(a[0], None, file=a[1].file, part=a[1].part), place(b[0], None, file=b[1].file, part=b[1].part)],
            )


# ---------------------------------------------------------------- AUDIT.IDENTITY_CONFLICT


def _valid_code(code: str) -> bool:
    try:
        from stdnum.cn import uscc

        return uscc.is_valid(code)
    except ImportError:  # pragma: no cover
        return True


@audit_rule("AUDIT.IDENTITY_CONFLICT", "error", "统一社会信用代码与名称不对应",
            "One credit code under two company names, or one name with two credit codes, across packages",
            "湖北 第二十三条（提供虚假材料）")
def identity_conflict(ctx: AuditContext) -> Iterable[Signal]:
    by_code: dict[str, list[AuditedPackage]] = defaultdict(list)
    by_name: dict[str, list[AuditedPackage]] = defaultdict(list)
    for pkg in ctx.packages:
        f = pkg.features
        if f.credit_code and f.company:
            by_code[f.credit_code].append(pkg)
            by_name[f.company].append(pkg)
    for code, pkgs in sorted(by_code.items()):
        names = sorted({p.features.company for p in pkgs})
        clusters: list[list[str]] = []
        for name in names:
            for cluster in clusters:
                if fuzz.ratio(name, cluster[0]) >= NAME_SIMILARITY:
                    cluster.append(name)
                    break
            else:
                clusters.append([name])
        if len(clusters) < 2:
            continue
        yield Signal(
            rule="AUDIT.IDENTITY_CONFLICT",
            severity="error",
            message=f"统一社会信用代码 {code} 出现在不同名称的企业申报材料中：" + "、".join(f"「{c[0]}」" for c in clusters),
            packages=_names(pkgs),
            evidence={"credit_code": code, "names": [c[0] for c in clusters]},
            locations=[place(p, None, field="credit_code") for p in pkgs],
        )
    for name, pkgs in sorted(by_name.items()):
        codes = sorted({p.features.credit_code for p in pkgs if p.features.credit_code})
        if len(codes) < 2:
            continue
        valid = [c for c in codes if _valid_code(c)]
        yield Signal(
            rule="AUDIT.IDENTITY_CONFLICT",
            severity="error" if len(valid) >= 2 else "warning",
            message=(f"企业「{name}」在不同申报材料中使用了不同的统一社会信用代码：" + "、".join(codes)
                     + ("" if len(valid) >= 2 else "（其中有校验不通过的代码，可能为识别或录入错误）")),
            packages=_names(pkgs),
            evidence={"company": name, "credit_codes": codes, "valid": valid},
            locations=[place(p, None, field="credit_code") for p in pkgs],
        )


# ---------------------------------------------------------------- AUDIT.CONTACT_SHARED


@audit_rule("AUDIT.CONTACT_SHARED", "warning", "联系方式跨企业相同",
            "The same mobile number or e-mail as the contact of unrelated companies (an agency's own contact excepted)",
            "湖北 第二十三条（串通）")
def contact_shared(ctx: AuditContext) -> Iterable[Signal]:
    agency_of_contact: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_value: dict[tuple[str, str], list[tuple[AuditedPackage, object]]] = defaultdict(list)
    for pkg in ctx.packages:
        for c in pkg.features.contacts:
            if c.kind not in ("mobile", "email"):
                continue
            by_value[(c.kind, c.value)].append((pkg, c))
            if pkg.features.form == "hb_agency" and pkg.features.company:
                agency_of_contact[(c.kind, c.value)].add(pkg.features.company)
    for (kind, value), entries in sorted(by_value.items()):
        pkgs = {pkg.name: pkg for pkg, _c in entries}
        companies = {pkg.company_key for pkg in pkgs.values()}
        if len(companies) < 2 or len(companies) >= CONTACT_COMMON_COMPANIES:
            continue
        agencies = {pkg.features.agency for pkg in pkgs.values()}
        if len(agencies) == 1 and None not in agencies:
            continue  # every package is of one agency's clients: the agency's own contact
        if agency_of_contact.get((kind, value)):
            clients = {pkg.features.agency for pkg in pkgs.values() if pkg.features.form != "hb_agency"}
            if clients <= agency_of_contact[(kind, value)]:
                continue  # the agency's application gives it, and its clients name that agency
        shown = value if kind == "email" else f"{value[:3]}****{value[-4:]}"
        yield Signal(
            rule="AUDIT.CONTACT_SHARED",
            severity="warning",
            message=(f"{'手机号码' if kind == 'mobile' else '电子邮箱'} {shown} 同时是 {len(companies)} 家企业的联系方式："
                     + "、".join(sorted({pkg.label for pkg in pkgs.values()})) + "；请核实企业之间或与代办人的关系"),
            packages=_names(pkgs.values()),
            evidence={"kind": kind, "value": shown, "companies": sorted({pkg.label for pkg in pkgs.values()})},
            locations=[place(pkg, getattr(c, "loc")) for pkg, c in entries],
        )
