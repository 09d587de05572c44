"""A finding's evidence as a reviewer reads it: Chinese labels, figures in the unit the
message uses (万吨 where the message says 万吨), thousands separators on figures only.

The JSON report keeps evidence as the rules wrote it: keys in English, figures as exact Decimal
strings in the base unit (吨, 元, %) named by `unit`.  Every rendering of a finding (the web
page, the HTML, PDF, DOCX and XLSX downloads) goes through `evidence_rows`, so the labels and
the figures read the same everywhere.

Which keys hold figures is stated here key by key: a year, a period, an ID number, a code or a
phone number is never given separators, because only the keys listed in `FIGURE_KEYS` are.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Iterator, Mapping

from extractor.quantity import UNITS, normalise_unit, unit_of

# ---------------------------------------------------------------- labels

# Every key the rules put into evidence (grep "evidence=" checkers/), in Chinese.  A key not
# listed is shown as it is.
EVIDENCE_LABELS: dict[str, str] = {
    # the provincial audit's signals (checkers/audit/rules.py)
    "agencies": "涉及机构",
    "characters": "雷同字数",
    "companies": "涉及企业",
    "company": "企业",
    "company_name_left": "照抄了另一企业名称",
    "credit_code": "统一社会信用代码",
    "credit_codes": "各统一社会信用代码",
    "distance": "图片感知哈希差异（位）",
    "hashes": "图片感知哈希",
    "id_visible": "身份证号码可见部分",
    "lists": "所在名单",
    "matched_by": "比对依据",
    "names": "各名称",
    "passages": "雷同语句",
    "periods": "各年度",
    "pictures": "图片",
    "sentences": "雷同句数",
    "sources": "数据来源",
    "valid": "校验通过的代码",
    "values": "数据",
    # what the finding is about
    "label": "项目",
    "copies": "各份材料",
    "page_numbers": "所在页",
    "looked": "已逐页查看",
    "mono": "黑白扫描",
    "key": "数据项",
    "period": "期间",
    "year": "年度",
    "waste": "固废种类",
    "wastes": "固废种类",
    "category": "类别",
    "title": "名称",
    "clause": "依据条款",
    "field": "字段",
    "part": "部分",
    "item": "评分项",
    "items": "分项",
    "kind": "类型",
    "measure": "指标",
    "unit": "单位",
    "base_unit": "金额单位",
    "change_unit": "变化量单位",
    "unit_of_share": "占比单位",
    "formula": "计算公式",
    "numerator_label": "分子项目",
    "denominator_label": "分母项目",
    # figures compared
    "total": "填报合计",
    "items_sum": "分项之和",
    "difference": "差额",
    "tolerance": "允许误差",
    "reference": "基准值",
    "other": "比对值",
    "reference_source": "基准来源",
    "other_source": "比对来源",
    "uncertain": "存疑原因",
    "reported": "填报值",
    "stated": "填报值",
    "computed": "计算值",
    "computed_lo": "计算值下限",
    "computed_hi": "计算值上限",
    "numerator": "分子",
    "denominator": "分母",
    "previous": "前一年度数值",
    "current": "上年度数值",
    "change": "填报变化量",
    "change_text": "变化情况（原文）",
    "modes": "比较方式",
    "computed_absolute": "计算变化量",
    "computed_relative": "计算变化率",
    "utilized": "利用量",
    "generated": "产生量",
    "received": "接收量",
    "stock_drawn": "库存减少量",
    "supply": "可利用来源合计",
    "excess": "超出量",
    "months": "月数",
    "monthly_values": "各月数值",
    "months_sum": "各月合计",
    "annual": "全年填报值",
    "amount": "年综合利用量",
    "min_tonnes": "规模下限",
    "generated_tonnes": "产生量",
    "value_added_wan_yuan": "工业增加值",
    "profit": "利润",
    "revenue": "主营业务收入",
    "rate": "综合利用率",
    "base_rate": "基准年综合利用率",
    "rise": "累计提高",
    "rise_needed": "要求累计提高",
    "threshold": "要求值",
    "decline_percent": "累计降幅",
    "decline_lo": "降幅下限",
    "decline_hi": "降幅上限",
    "share": "占比",
    "limit": "上限",
    "min": "下限",
    "max": "上限",
    "minimum": "最低要求",
    "target": "目标值",
    "count": "数量",
    "counts": "人数",
    "labels": "来源名称",
    "differing": "不一致的来源",
    "audited": "通过审核的企业数",
    "scale_enterprises": "规模企业数",
    "score": "得分",
    "max_total": "满分合计",
    "status": "状态",
    "working": "计算过程",
    "similarity": "相似度",
    # people, identifiers, dates
    "name": "姓名",
    "person": "姓名（比对时）",
    "people": "人员",
    "id_number": "身份证号码",
    "value": "填写值",
    "normalised": "规范写法",
    "variants": "不同写法",
    "problem": "问题",
    "problems": "问题",
    "where": "出现位置",
    "source": "来源",
    "statuses": "缴纳状态",
    "insured_to": "社保缴至",
    "reference_date": "基准日期",
    "stated_age": "填写年龄",
    "computed_age": "计算年龄",
    "birth_date": "出生日期",
    "applicant": "申请单位",
    "units": "单位",
    "first_contract": "首份合同",
    "signed": "签订日期",
    "minimum_months": "最短月数",
    "missing": "缺少",
    "majors": "专业",
    "established_year": "成立年份",
    "founded": "营业执照成立日期",
    "licence_file": "营业执照所在文件",
    "contracts": "相关合同",
    "established_month": "成立月份",
    "min_years": "最短年限",
    "first_year": "起始年度",
    "last_year": "末年度",
    "base_year": "基准年度",
    "missing_years": "缺少的年度",
    # values as written, places, structure
    "invalid_part": "不符部分",
    "nearest": "最接近的规定值",
    "allowed": "规定值",
    "answers": "填写内容",
    "summary": "汇总表填写",
    "plan": "方案填写",
    "table": "表格",
    "id": "编号",
    "level": "层级",
    "best_heading": "最接近的标题",
    "text": "填写内容",
    "filled_elsewhere": "他处填写",
    "how": "识别方式",
    "target_words": "目标字数",
    "counting": "计数方法",
    "rows": "行号",
    "listed": "已列出",
    "province": "省份",
    "written": "填写内容",
    "case_kind": "案例类型",
    "name_kind": "名称所示类型",
    # files
    "file": "文件",
    "files": "文件",
    "type": "文件类型",
    "reason": "原因",
    "omissions": "未读取的内容",
    "pages": "页数",
    "form": "申报类型",
    "detection_score": "识别置信度",
    # a rule that failed while checking
    "rule": "规则",
    "error_type": "错误类型",
    "error": "错误信息",
}

# Enumerated values the rules write in English, in Chinese (by key).
VALUE_LABELS: dict[str, dict[str, str]] = {
    "modes": {"absolute": "差值", "relative": "变化率", "points": "百分点差"},
    "level": {"section": "章节", "sub_item": "子项"},
    "status": {"computed": "自动计算", "manual": "待人工评分"},
    "kind": {"park": "园区", "enterprise": "企业"},
    "copies": {"scan": "扫描件", "pdf": "电子版 PDF", "editable": "可编辑文档"},  # SEAL.MISSING copies[].kind
    "case_kind": {"park": "园区", "enterprise": "企业"},
    "name_kind": {"park": "园区", "enterprise": "企业"},
}
SOURCE_KEYS = frozenset({"source", "reference_source", "other_source"})
CATEGORY_KEYS = frozenset({"category"})
# categories a rule names that are not in the forms' threshold tables
OTHER_CATEGORIES = {"out_of_scope": "不属于工业资源范围", "unknown": "无法判断类别"}
UNIT_NAME_KEYS = frozenset({"unit", "base_unit", "change_unit", "unit_of_share"})

# ---------------------------------------------------------------- which keys are figures

# Figures in the evidence's measurement unit (`unit`, or `base_unit` when `unit` names an
# organisation): shown in the unit the message uses, with that unit after them.
MEASURED_KEYS = frozenset({
    "total", "items_sum", "difference", "tolerance", "reference", "other", "reported", "stated",
    "computed", "computed_lo", "computed_hi", "previous", "current", "computed_absolute",
    "utilized", "generated", "received", "stock_drawn", "supply", "excess", "months_sum", "annual",
    "amount", "min_tonnes", "profit", "revenue", "value",
})
MEASURED_PREFIXES = ("amount_",)  # amount_<category> of ELIGIBILITY.SCALE_BELOW_THRESHOLD
# Figures whose unit another key names, or a fixed unit.
UNIT_KEY_OF = {"change": "change_unit", "share": "unit_of_share"}
FIXED_BASE_UNIT = {"generated_tonnes": "吨", "min_tonnes": "吨"}
FIXED_SHOWN_UNIT = {
    "value_added_wan_yuan": "万元",
    "rate": "%", "base_rate": "%", "threshold": "%", "decline_percent": "%", "decline_lo": "%",
    "decline_hi": "%", "computed_relative": "%", "similarity": "%",
    "rise": "个百分点", "rise_needed": "个百分点",
}
# Figures whose unit is not recorded but is the message's (the rate's numerator and denominator).
MESSAGE_UNIT_KEYS = frozenset({"numerator", "denominator"})
# Other counts and amounts: separators, no unit.
PLAIN_FIGURE_KEYS = frozenset({
    "count", "counts", "minimum", "max", "min", "limit", "target", "audited", "scale_enterprises",
    "score", "max_total", "months", "minimum_months", "monthly_values", "pages", "stated_age",
    "computed_age", "min_years",
})
FIGURE_KEYS = (
    MEASURED_KEYS | MESSAGE_UNIT_KEYS | PLAIN_FIGURE_KEYS | frozenset(UNIT_KEY_OF)
    | frozenset(FIXED_BASE_UNIT) | frozenset(FIXED_SHOWN_UNIT)
)

_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_MISSING = "无"


def evidence_label(key: str, evidence: Mapping[str, Any] | None = None) -> str:
    """The Chinese label of an evidence key; the key itself when no label is known.  A nested
    key (counts.roster) is labelled part by part; the evidence's own `labels` name sub-keys."""
    own = (evidence or {}).get("labels")
    parts = []
    for i, part in enumerate(re.split(r"\.", key)):
        name, index = re.match(r"^(.*?)((?:\[\d+\])*)$", part).groups()
        if i and isinstance(own, Mapping) and name in own:
            text = str(own[name])
        elif name.startswith(MEASURED_PREFIXES) and name not in EVIDENCE_LABELS:
            prefix = next(p for p in MEASURED_PREFIXES if name.startswith(p))
            text = f"{EVIDENCE_LABELS.get(prefix.rstrip('_'), prefix)}（{category_label(name[len(prefix):])}）"
        else:
            text = EVIDENCE_LABELS.get(name, name)
        parts.append(text + index)
    return "·".join(parts)


# ---------------------------------------------------------------- units


def is_measurement_unit(unit: Any) -> bool:
    """吨, 万元, %, 吨/万元 … as opposed to the name of an organisation, which some rules file
    under `unit` (单位 means both)."""
    if not isinstance(unit, str) or not unit.strip():
        return False
    if unit_of(unit) is not None:
        return True
    parts = unit.split("/")
    return len(parts) == 2 and all(unit_of(p) is not None for p in parts)


def measurement_unit(evidence: Mapping[str, Any]) -> str | None:
    for key in ("unit", "base_unit"):
        if is_measurement_unit(evidence.get(key)):
            return evidence[key]
    return None


def _units_of(base: str) -> list[str]:
    return sorted((u for u, (b, _) in UNITS.items() if b == base), key=len, reverse=True)


def message_unit(message: str, base: str | None) -> str | None:
    """The unit of `base` (吨, 元 …) the message writes its figures in: the first one written
    after a number, e.g. 万吨 in '合计 12.6 万吨'; None when the message writes none."""
    if not message or not base:
        return None
    units = _units_of(base)
    if not units:
        return None
    alternatives = "|".join(re.escape(u) for u in units)
    # a unit that opens a compound one (the 吨 of 吨/万元) is not the figures' unit
    for m in re.finditer(rf"\d\s*({alternatives})(?!\s*[/／])", message, flags=re.IGNORECASE):
        return m.group(1)
    return None


def any_message_unit(message: str) -> str | None:
    """The first unit (other than %) written after a number in the message."""
    bases = {b for b, _ in UNITS.values() if b != "%"}
    found: list[tuple[int, str]] = []
    for base in bases:
        alternatives = "|".join(re.escape(u) for u in _units_of(base))
        m = re.search(rf"\d\s*({alternatives})(?!\s*[/／])", message or "", flags=re.IGNORECASE)
        if m:
            found.append((m.start(1), m.group(1)))
    return min(found)[1] if found else None


def _scale(unit: str) -> Decimal:
    known = unit_of(unit)
    return known[1] if known else Decimal(1)


def _base(unit: str) -> str | None:
    known = unit_of(unit)
    return known[0] if known else None


# ---------------------------------------------------------------- figures


def group_digits(text: str) -> str:
    """A plain decimal number with thousands separators ('126000.5' -> '126,000.5'); any other
    text unchanged."""
    if not _PLAIN_NUMBER.fullmatch(text.strip()):
        return text
    try:
        return f"{Decimal(text.strip()):,f}"
    except InvalidOperation:
        return text


def with_unit(number: str, unit: str | None) -> str:
    if not unit:
        return number
    return f"{number}{unit}" if unit in ("%", "％") else f"{number} {unit}"


def _as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def shown_in(value: Decimal, base_unit: str, shown_unit: str) -> str:
    """A base-unit figure in `shown_unit` (of the same base), with separators and the unit."""
    if shown_unit == base_unit:
        return with_unit(f"{value:,f}", shown_unit)
    converted = (value * _scale(base_unit) / _scale(shown_unit)).normalize()
    return with_unit(f"{converted:,f}", shown_unit)


class _Units:
    """The units one finding's figures are shown in, worked out once from its evidence and message."""

    def __init__(self, evidence: Mapping[str, Any], message: str) -> None:
        self.message = message or ""
        self.base = measurement_unit(evidence)
        self.evidence = evidence
        self._cache: dict[str | None, str | None] = {}

    def shown(self, base: str | None) -> str | None:
        """The unit to show figures of `base` in: the message's, else `base` itself."""
        if base not in self._cache:
            root = _base(base) if base else None
            # only a base unit (吨, 元) is converted; % and 个百分点 are one scale, kept as stored
            convertible = root is not None and root == base and root != "%"
            found = message_unit(self.message, root) if convertible else None
            self._cache[base] = found or base
        return self._cache[base]

    def for_key(self, key: str) -> tuple[str | None, str | None]:
        """(base unit the value is stored in, unit to show it in) for a figure key."""
        if key in FIXED_SHOWN_UNIT:
            return None, FIXED_SHOWN_UNIT[key]
        if key in FIXED_BASE_UNIT:
            base = FIXED_BASE_UNIT[key]
            return base, self.shown(base)
        if key in UNIT_KEY_OF:
            unit = self.evidence.get(UNIT_KEY_OF[key])
            return (unit, self.shown(unit)) if is_measurement_unit(unit) else (None, None)
        if key in MEASURED_KEYS or key.startswith(MEASURED_PREFIXES):
            return self.base, self.shown(self.base)
        if key in MESSAGE_UNIT_KEYS:
            written = any_message_unit(self.message)
            return (_base(written), written) if written else (None, None)
        return None, None


def _is_figure_key(key: str) -> bool:
    return key in FIGURE_KEYS or key.startswith(MEASURED_PREFIXES)


def figure_text(key: str, value: Any, units: _Units) -> str:
    """A figure of the evidence as shown: converted to the message's unit where it has one,
    with separators and its unit."""
    number = _as_decimal(value)
    if number is None or (key == "value" and units.base is None):
        # not a number, or a value without a measurement unit: a code or an ID as written
        return plain_text(key, value)
    base, shown = units.for_key(key)
    if base and shown and _base(base) is not None:
        return shown_in(number, base, shown)
    return with_unit(f"{number:,f}", shown)


def plain_text(key: str, value: Any, form: str | None = None) -> str:
    if value is None:
        return _MISSING
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    if not text.strip():
        return "（空）"
    if key in SOURCE_KEYS:
        return source_label(text, form)
    if key in CATEGORY_KEYS:
        return category_label(text)
    return VALUE_LABELS.get(key, {}).get(text, text)


def source_label(role: str, form: str | None = None) -> str:
    """A source role (indicator_table, report …) in Chinese: the form's own name for a file
    role (自评价报告书), else the rules' generic names (报告, 指标表)."""
    from checkers.rules.common import SOURCE_NAMES
    from service.reports.model import form_role_title, role_title

    titled = form_role_title(form, role) if form else None
    if titled:
        return titled
    if role in SOURCE_NAMES:
        return SOURCE_NAMES[role]
    return role_title(form, role) if form else role


@lru_cache(maxsize=1)
def _category_titles() -> dict[str, str]:
    """category id -> Chinese title, from the forms' threshold tables (corpus/forms/*_thresholds.yaml)."""
    from checkers.run import FORMS_DIR, form_settings

    titles = dict(OTHER_CATEGORIES)
    for path in sorted(FORMS_DIR.glob("*_thresholds.yaml")):
        for entry in form_settings(path.name[: -len("_thresholds.yaml")]).get("scale") or []:
            if isinstance(entry, Mapping) and entry.get("category") and entry.get("title"):
                titles.setdefault(str(entry["category"]), str(entry["title"]))
    return titles


def category_label(category: str) -> str:
    return _category_titles().get(category, category)


def _leaves(value: Any, path: str) -> Iterator[tuple[str, Any, bool]]:
    """(dotted path, leaf value, whether the leaf is a list of plain values) of nested evidence."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, (list, tuple)):
        if all(not isinstance(v, (Mapping, list, tuple)) for v in value):
            yield path, list(value), True
        else:
            for i, v in enumerate(value, 1):
                yield from _leaves(v, f"{path}[{i}]")
    else:
        yield path, value, False


def _top_key(path: str) -> str:
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def evidence_rows(evidence: Mapping[str, Any] | None, message: str = "", form: str | None = None) -> list[tuple[str, str]]:
    """(Chinese label, text) of every fact in a finding's evidence, in the rule's order:
    nested objects become labelled sub-rows, lists of plain values one '、'-joined text.
    `message` decides the unit figures are shown in; `form` names the file roles."""
    evidence = evidence or {}
    units = _Units(evidence, message)
    rows: list[tuple[str, str]] = []
    for path, value, is_list in _leaves(evidence, ""):
        if path == "labels" or path.startswith("labels."):
            continue  # names of other keys' sub-keys, used as their labels
        key = _top_key(path)
        if path in UNIT_NAME_KEYS and is_measurement_unit(value):
            rows.append((evidence_label(path, evidence), units.shown(value) or value))  # the unit the figures are shown in
            continue
        if path == "unit":
            rows.append(("单位名称", plain_text(key, value)))
            continue
        figure = _is_figure_key(key)
        if is_list:
            items = [figure_text(key, v, units) if figure else plain_text(key, v, form) for v in value]
            text = "、".join(items) or _MISSING
        else:
            text = figure_text(key, value, units) if figure else plain_text(key, value, form)
        rows.append((evidence_label(path, evidence), text))
    return rows


def evidence_of(finding: Mapping[str, Any], form: str | None = None) -> list[tuple[str, str]]:
    """`evidence_rows` of a report finding dict (`form`: the report's package.form)."""
    return evidence_rows(finding.get("evidence") or {}, finding.get("message") or "", form)
