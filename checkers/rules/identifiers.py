"""Identifiers and contact formats: credit codes (GB 32100), phone numbers, e-mail addresses,
and the company's name and code agreeing across files."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import phonenumbers
from stdnum.cn import uscc

from checkers.context import Context
from checkers.finding import Finding
from checkers.registry import emit, rule
from checkers.rules.common import files_note, source_name, unique_locations
from checkers.tolerance import OCR_CONFUSABLE_CHARS, OCR_DOUBT_NOTE, ocr_doubtful
from extractor.model import Location

# GB 32100-2015: the code's alphabet (no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_LENGTH = 18

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_FIXED_RE = re.compile(r"^0\d{2,3}\d{7,8}$")
_SERVICE_RE = re.compile(r"^[48]00\d{7}$")  # 400/800 service numbers
_EXTENSION_RE = re.compile(r"(?:转|分机|ext\.?|x|#|-)\s*(\d{1,6})$", re.IGNORECASE)
_PHONE_SEPARATORS = re.compile(r"[/、;；,，]|或")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")

KIND_LABELS = {"company_name": "企业名称", "credit_code": "统一社会信用代码"}


def normalise_code(value: str) -> str:
    """Full-width to half-width, no spaces, upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


def uscc_problem(value: str) -> str | None:
    """What is wrong with a unified social credit code, in Chinese; None when it is valid.

    stdnum's `uscc.validate` insists the first 8 characters are digits, which GB 32100
    does not (codes of organisations registered by other authorities start with N, Y, A…),
    so only its check-character computation is used."""
    code = normalise_code(value)
    bad = sorted({ch for ch in code if ch not in USCC_ALPHABET}, key=code.index)
    problems = []
    if len(code) != USCC_LENGTH:
        problems.append(f"长度为 {len(code)} 位，应为 {USCC_LENGTH} 位")
    if bad:
        problems.append("含非法字符" + "".join(f"「{ch}」" for ch in bad) + "（不得使用 I、O、S、V、Z 及其他符号）")
    if problems:
        return "；".join(problems)
    expected = uscc.calc_check_digit(code[:17])
    if code[17] != expected:
        return f"校验位应为「{expected}」，填写为「{code[17]}」"
    return None


@dataclass
class _Occurrence:
    kind: str
    label: str
    value: str
    loc: Location | None
    confidence: float | None = None  # read by OCR


def _credit_codes(ctx: Context) -> list[_Occurrence]:
    out = [_Occurrence("credit_code", c.label, c.value, c.loc, c.confidence) for c in ctx.form.contacts if c.kind == "credit_code"]
    out += [_Occurrence("credit_code", KIND_LABELS["credit_code"], i.value, i.loc, i.confidence)
            for i in ctx.form.identities if i.kind == "credit_code"]
    return [o for o in out if (o.value or "").strip()]


@rule(
    "ID.USCC_INVALID",
    "error",
    "统一社会信用代码无效",
    "A unified social credit code fails GB 32100 (length, alphabet or check character).",
    "GB 32100-2015；湖北细则附件1 申报企业基本情况表「统一社会信用代码」",
)
def invalid_credit_code(ctx: Context) -> Iterator[Finding]:
    # one finding per distinct code, naming every place it is written
    by_code: dict[str, list[_Occurrence]] = {}
    for occ in _credit_codes(ctx):
        by_code.setdefault(normalise_code(occ.value), []).append(occ)
    for code, occs in by_code.items():
        problem = uscc_problem(code)
        if problem is None:
            continue
        locs = unique_locations(o.loc for o in occs)
        label = occs[0].label or KIND_LABELS["credit_code"]
        # a code read only from scans: one misread character breaks the check digit
        scanned = all(o.confidence is not None for o in occs)
        yield emit(
            "ID.USCC_INVALID",
            f"{label}「{occs[0].value.strip()}」不符合 GB 32100：{problem}{files_note(locs)}"
            + (f"（{OCR_DOUBT_NOTE}）" if scanned else ""),
            severity="warning" if scanned else None,
            locations=locs,
            evidence={"label": label, "value": occs[0].value, "normalised": code, "problem": problem},
        )


def _phone_parts(value: str) -> list[str]:
    text = unicodedata.normalize("NFKC", value or "").strip()
    return [p.strip() for p in _PHONE_SEPARATORS.split(text) if p.strip()]


def mobile_problem(value: str) -> str | None:
    raw = unicodedata.normalize("NFKC", value or "")
    digits = re.sub(r"[\s\-()]", "", raw)
    digits = re.sub(r"^(?:\+?86)(?=1\d{10}$)", "", digits)
    if not digits.isdigit():
        return "含非数字字符"
    if len(digits) != 11:
        return f"位数为 {len(digits)} 位，手机号码应为 11 位"
    if not MOBILE_RE.match(digits):
        return "不是有效的中国大陆手机号码（应以 13–19 开头）"
    number = phonenumbers.parse(digits, "CN")
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return "号段不是有效的中国大陆手机号段"
    return None


def phone_problem(value: str) -> str | None:
    """A telephone field: fixed line with area code (extensions allowed), mobile, or 400/800."""
    for part in _phone_parts(value):
        problem = _one_phone_problem(part)
        if problem:
            return problem if len(_phone_parts(value)) == 1 else f"「{part}」{problem}"
    return None


def _one_phone_problem(part: str) -> str | None:
    text = re.sub(r"\s+", "", part)
    text = re.sub(r"^(?:\+86|0086)-?(?=1)", "", text)  # +86 138… is a mobile
    text = re.sub(r"^(?:\+86|0086)-?", "0", text)  # +86-731-… is 0731-…
    text = text.replace("0(", "(")  # "0(731)" written with the trunk 0 outside
    text = re.sub(r"^\((\d{2,4})\)", lambda m: m.group(1) if m.group(1).startswith("0") else "0" + m.group(1), text)
    # an extension after the full number: "0731-88888888-8001", "…转8001"
    m = _EXTENSION_RE.search(text)
    if m:
        body = text[: m.start()]
        if len(re.sub(r"\D", "", body)) >= 10 or body.startswith("1"):
            text = body
    digits = text.replace("-", "")
    if not digits.isdigit():
        return "含非数字字符"
    if digits.startswith("1"):
        return mobile_problem(digits)
    if _SERVICE_RE.match(digits):
        return None
    if not digits.startswith("0"):
        return "缺少区号（固定电话应写为 区号-号码）"
    if not _FIXED_RE.match(digits):
        return f"位数不正确（区号加号码共 {len(digits)} 位）"
    number = phonenumbers.parse(digits, "CN")
    if not phonenumbers.is_valid_number(number):
        return "区号或号码位数不正确"
    return None


@rule(
    "FORMAT.PHONE_INVALID",
    "error",
    "电话号码格式错误",
    "A mobile number is not a valid mainland mobile, or a telephone number is neither a fixed line with area code nor a mobile.",
    "湖北细则附件1「手机号码」；湖南办法附件 自评价报告书封面「联系电话」",
)
def invalid_phone(ctx: Context) -> Iterator[Finding]:
    for c in ctx.form.contacts:
        if c.kind not in ("mobile", "phone") or not (c.value or "").strip():
            continue
        problem = mobile_problem(c.value) if c.kind == "mobile" else phone_problem(c.value)
        if problem is None:
            continue
        yield emit(
            "FORMAT.PHONE_INVALID",
            f"{c.label}「{c.value.strip()}」格式不正确：{problem}{files_note([c.loc])}",
            locations=[c.loc] if c.loc else [],
            evidence={"label": c.label, "kind": c.kind, "value": c.value, "problem": problem},
        )


def email_problem(value: str) -> str | None:
    v = (value or "").strip()
    if "＠" in v:
        return "使用了全角字符「＠」，应为半角「@」"
    wide = [ch for ch in v if unicodedata.east_asian_width(ch) in ("F", "W")]
    if wide:
        return "含全角或中文字符" + "".join(f"「{ch}」" for ch in dict.fromkeys(wide))
    if re.search(r"\s", v):
        return "含空格"
    if v.count("@") != 1:
        return "应包含且只包含一个「@」"
    if not EMAIL_RE.match(v):
        return "不符合 用户名@域名 的格式"
    return None


@rule(
    "FORMAT.EMAIL_INVALID",
    "error",
    "电子邮箱格式错误",
    "An e-mail address is not of the form local@domain.tld (spaces, full-width characters, missing parts).",
    "湖北细则附件1「电子邮箱」",
)
def invalid_email(ctx: Context) -> Iterator[Finding]:
    for c in ctx.form.contacts:
        if c.kind != "email" or not (c.value or "").strip():
            continue
        problem = email_problem(c.value)
        if problem is None:
            continue
        yield emit(
            "FORMAT.EMAIL_INVALID",
            f"{c.label}「{c.value.strip()}」格式不正确：{problem}{files_note([c.loc])}",
            locations=[c.loc] if c.loc else [],
            evidence={"label": c.label, "value": c.value, "problem": problem},
        )


def normalise_identity(kind: str, value: str) -> str:
    """Spelling differences that do not make a different company: width, spaces, bracket style."""
    v = unicodedata.normalize("NFKC", value or "")
    v = re.sub(r"\s+", "", v).replace("（", "(").replace("）", ")")
    return v.upper() if kind == "credit_code" else v


@dataclass
class _Variant:
    written: str
    locs: list[Location]
    sources: list[str]
    inferred: list[bool] = field(default_factory=list)
    confidences: list[float | None] = field(default_factory=list)  # OCR's per reading, None: the file's text

    @property
    def scanned_only(self) -> bool:
        return bool(self.confidences) and all(c is not None for c in self.confidences)


def _variant_place(v: _Variant) -> str:
    files = list(dict.fromkeys(loc.file for loc in v.locs))
    if files:
        return "、".join(files)
    return "、".join(source_name(s) for s in dict.fromkeys(v.sources))


def _join_variants(parts: list[str]) -> str:
    if len(parts) <= 2:
        return " 与".join(parts)
    return "、".join(parts[:-1]) + " 与" + parts[-1]


def _variants(identities: Iterable) -> dict[str, _Variant]:
    out: dict[str, _Variant] = {}
    for ident in identities:
        if not (ident.value or "").strip():
            continue
        key = normalise_identity(ident.kind, ident.value)
        var = out.setdefault(key, _Variant(ident.value.strip(), [], [], []))
        if ident.loc is not None and ident.loc not in var.locs:
            var.locs.append(ident.loc)
        var.sources.append(ident.source)
        var.inferred.append(ident.inferred)
        var.confidences.append(getattr(ident, "confidence", None))
    return out


def _ocr_doubt(variants: list[_Variant]) -> bool:
    """Whether a variant read only from scans may be a misreading of another: read with a low
    confidence, or differing from another variant in no more characters than OCR confuses."""
    from rapidfuzz.distance import Levenshtein

    for v in variants:
        if not v.scanned_only:
            continue
        if any(ocr_doubtful(c) for c in v.confidences):
            return True
        key = normalise_identity("x", v.written)
        if any(Levenshtein.distance(key, normalise_identity("x", o.written)) <= OCR_CONFUSABLE_CHARS
               for o in variants if o is not v):
            return True
    return False


@rule(
    "IDENTITY.NAME_MISMATCH",
    "error",
    "企业名称或信用代码前后不一致",
    "The company name or credit code differs between files or places of the package.",
    "湖北细则第十六条（资料一致性核查）；湖南办法第十五条（四）（虚假材料）",
)
def identity_mismatch(ctx: Context) -> Iterator[Finding]:
    # compared within each applicant group (one group unless the package bundles applicants)
    groups = list(dict.fromkeys((i.kind, i.group) for i in ctx.form.identities))
    for kind, group in groups:
        variants = _variants(i for i in ctx.form.identities if i.kind == kind and i.group == group)
        if len(variants) < 2:
            continue
        # the most often written spelling first: it is most likely the intended one
        ordered = sorted(variants.values(), key=lambda v: -len(v.sources))
        label = KIND_LABELS.get(kind, kind)
        parts = [f"「{v.written}」({_variant_place(v)})" for v in ordered]
        # variants seen only in running text may be a related company: a warning to verify
        inferred_only = all(all(v.inferred) for v in ordered[1:])
        # a variant read only from a scan may be the recogniser's mistake
        doubt = _ocr_doubt(ordered)
        note = "（正文中出现的近似名称，请核实是否笔误）" if inferred_only else f"（{OCR_DOUBT_NOTE}）" if doubt else ""
        yield emit(
            "IDENTITY.NAME_MISMATCH",
            f"{label}在各文件中不一致：{_join_variants(parts)}" + note,
            severity="warning" if inferred_only or doubt else None,
            locations=unique_locations(loc for v in ordered for loc in v.locs),
            evidence={
                "kind": kind,
                "label": label,
                "variants": [v.written for v in ordered],
                "files": [_variant_place(v) for v in ordered],
            },
        )
