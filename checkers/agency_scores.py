"""湖北 附件6 评分细则: the scores of an evaluation-agency application that its documents
determine (机构从业年限, 业绩数量, 业绩相关性, 人员稳定性, 申请报告内容完整性), each with its
working, and the items left to a reviewer's judgement.  Both the SCORE.* rules and the score
sheet of the report read `score_table`; the thresholds and points come from
corpus/forms/hb_agency_thresholds.yaml."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel

from extractor.forms.hb_agency import Contract, HbAgency, RosterEntry, person_key


class ScoreRow(BaseModel):
    """One 附件6 打分项: computed from the documents, or left to the reviewer."""

    item: str
    group: str
    max: Decimal
    score: Decimal | None = None
    working: str
    status: str  # computed | manual



def _d(x: Any) -> Decimal:
    return Decimal(str(x))


def _fmt(x: Decimal) -> str:
    x = x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{x:f}"


def reference_date(model: HbAgency, settings: dict[str, Any]) -> tuple[date, str]:
    """The date ages and tenures are taken at: the application date, else 1 January of the
    review year (a setting — never the clock)."""
    if model.apply_date is not None:
        return model.apply_date, f"申请时间 {model.apply_date.isoformat()}"
    year = int(settings.get("review_year", 2026))
    return date(year, 1, 1), f"{year}-01-01（未读到申请时间，按评审年度年初）"


def full_years(start: date, end: date) -> int:
    """Completed years from start to end (an age, a tenure)."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(years, 0)


def recent_contracts(model: HbAgency, settings: dict[str, Any]) -> list[Contract]:
    cfg = (settings.get("scores") or {}).get("contract_count") or {}
    year = int(settings.get("review_year", 2026))
    first = year - int(cfg.get("recent_years", 3))
    return [c for c in model.contracts if c.signed is not None and first <= c.signed.year <= year]


def technical_staff(model: HbAgency) -> list[RosterEntry]:
    """The 专职技术人员 whose tenure counts: roster entries of the people on the staff list (all
    full-time roster entries when there is no staff list)."""
    full = [r for r in model.roster if r.full_time is not False]
    if not model.staff:
        return full
    names = {person_key(s.name) for s in model.staff}
    return [r for r in full if person_key(r.name) in names]


def _score_agency_years(model: HbAgency, settings, cfg) -> ScoreRow:
    title, mx = cfg.get("title", "机构从业年限"), _d(cfg.get("max", 5))
    year = int(settings.get("review_year", 2026))
    if not model.contracts_found:
        return ScoreRow(item=title, group="专业技术能力", max=mx, status="manual",
                        working="未识别到业绩合同清单，无法确定首份相关合同年份，待人工评分")
    related = [c for c in model.contracts if c.related and c.signed is not None]
    if not related:
        return ScoreRow(item=title, group="专业技术能力", max=mx, score=Decimal(0), status="computed",
                        working="业绩合同清单中没有可确认签订年份的相关第三方服务合同，得 0 分")
    first = min(related, key=lambda c: c.signed)
    years = year - first.signed.year
    per = _d(cfg.get("per_year", "0.5"))
    raw = Decimal(years) * per
    score = min(mx, max(Decimal(0), raw))
    working = (f"最早的相关服务合同「{first.name}」签订于 {first.signed.year} 年；"
               f"({year} − {first.signed.year}) × {_fmt(per)} = {_fmt(raw)} 分")
    if raw > mx:
        working += f"，满 {cfg.get('full_years', 10)} 年按上限 {_fmt(mx)} 分"
    return ScoreRow(item=title, group="专业技术能力", max=mx, score=score, working=working, status="computed")


def _score_contract_count(model: HbAgency, settings, cfg) -> ScoreRow:
    title, mx = cfg.get("title", "业绩数量"), _d(cfg.get("max", 10))
    if not model.contracts_found:
        return ScoreRow(item=title, group="专业技术能力", max=mx, status="manual",
                        working="未识别到业绩合同清单，待人工评分")
    year = int(settings.get("review_year", 2026))
    recent = [c for c in recent_contracts(model, settings) if c.related]
    per, per_prov = _d(cfg.get("per_contract", 1)), _d(cfg.get("per_provincial_contract", 2))
    prov = [c for c in recent if c.provincial]
    other = len(recent) - len(prov)
    raw = per * other + per_prov * len(prov)
    score = min(mx, raw)
    first = year - int(cfg.get("recent_years", 3))
    working = (f"{first}–{year} 年签订的相关服务合同 {len(recent)} 项，其中省级政府部门委托 {len(prov)} 项："
               f"{other} × {_fmt(per)} + {len(prov)} × {_fmt(per_prov)} = {_fmt(raw)} 分")
    if raw > mx:
        working += f"，按上限 {_fmt(mx)} 分"
    return ScoreRow(item=title, group="专业技术能力", max=mx, score=score, working=working, status="computed")


def _score_relevance(model: HbAgency, settings, cfg) -> ScoreRow:
    title, mx = cfg.get("title", "业绩相关性"), _d(cfg.get("max", 15))
    if not model.contracts_found:
        return ScoreRow(item=title, group="专业技术能力", max=mx, status="manual", working="未识别到业绩合同清单，待人工评分")
    recent = recent_contracts(model, settings)
    if not recent:
        return ScoreRow(item=title, group="专业技术能力", max=mx, score=Decimal(0), status="computed",
                        working="近三年无业绩合同，得 0 分")
    rel = [c for c in recent if c.relevant]
    share = (Decimal(len(rel)) * 100 / Decimal(len(recent)))
    score = Decimal(0)
    band_text = ""
    for lo, pts in sorted(((_d(a), _d(b)) for a, b in cfg.get("bands", [])), reverse=True):
        if share >= lo:
            score, band_text = min(mx, pts), f"占比不低于 {_fmt(lo)}%"
            break
    working = (f"近三年业绩 {len(recent)} 项，其中工业固废评价与环境咨询类 {len(rel)} 项，"
               f"占比 {len(rel)} / {len(recent)} = {_fmt(share)}%，{band_text}，得 {_fmt(score)} 分")
    return ScoreRow(item=title, group="专业技术能力", max=mx, score=score, working=working, status="computed")


def _score_stability(model: HbAgency, settings, cfg) -> ScoreRow:
    title, mx = cfg.get("title", "人员稳定性"), _d(cfg.get("max", 10))
    if not model.roster_found:
        return ScoreRow(item=title, group="专业技术能力", max=mx, status="manual",
                        working="未识别到专职人员花名册（入职时间），待人工评分")
    ref, ref_text = reference_date(model, settings)
    need = int(cfg.get("full_years", 5))
    per_person, per_py = _d(cfg.get("per_senior_person", 1)), _d(cfg.get("per_person_year", "0.2"))
    long_, short_years, unknown = [], [], []
    for r in technical_staff(model):
        if r.hired is None:
            unknown.append(r.name)
            continue
        y = full_years(r.hired, ref)
        (long_ if y >= need else short_years).append((r.name, y))
    py = sum(y for _, y in short_years)
    raw = per_person * len(long_) + per_py * py
    score = min(mx, raw)
    working = (f"截至{ref_text}，任职满 {need} 年的 {len(long_)} 人 × {_fmt(per_person)} 分"
               f" + 不满 {need} 年的 {len(short_years)} 人共 {py} 人·年 × {_fmt(per_py)} 分 = {_fmt(raw)} 分")
    if raw > mx:
        working += f"，按上限 {_fmt(mx)} 分"
    if unknown:
        working += f"；{'、'.join(unknown)} 未填写入职时间，未计分"
    return ScoreRow(item=title, group="专业技术能力", max=mx, score=score, working=working, status="computed")


def _manual_rows(model: HbAgency, cfg: list[dict]) -> list[ScoreRow]:
    out = []
    for m in cfg:
        hint = "需评审人员依据评分细则判断"
        if m["item"] == "真实性声明":
            hint = ("已识别到真实性声明，需核验法定代表人签名和单位公章" if model.declaration_found
                    else "未识别到真实性声明，请人工核实")
        out.append(ScoreRow(item=m["item"], group=m.get("group", ""), max=_d(m["max"]), status="manual",
                            working=f"待人工评分：{hint}"))
    return out


def _score_content(model: HbAgency, cfg: dict[str, Any]) -> ScoreRow:
    """内容完整性: the full marks less the points of each core item the 申请报告 lacks."""
    title, mx, per = cfg.get("title", "内容完整性"), _d(cfg.get("max", 10)), _d(cfg.get("per_missing", 3))
    if not model.report_found:
        return ScoreRow(item=title, group="申请报告", max=mx, status="manual", working="未识别到申请报告，待人工评分")
    missing = model.outline_missing
    raw = mx - per * len(missing)
    score = max(Decimal(0), raw)
    if not missing:
        working = "申请报告核心内容（机构基本情况、从业能力、业绩说明、服务规划）均已识别，得满分"
    else:
        working = f"申请报告缺少 {len(missing)} 项核心内容（{'、'.join(missing)}）：{_fmt(mx)} − {len(missing)} × {_fmt(per)} = {_fmt(score)} 分"
    if model.outline_possible:
        working += f"；其中「{'、'.join(model.outline_possible)}」可能以其他标题出现，请人工确认"
    return ScoreRow(item=title, group="申请报告", max=mx, score=score, working=working, status="computed")


def score_table(model: HbAgency, settings: dict[str, Any]) -> list[ScoreRow]:
    """附件6 打分项 in the seed's order: computed where the documents determine the score,
    "待人工评分" where it takes a reviewer's judgement."""
    cfg = settings.get("scores") or {}
    manual = _manual_rows(model, cfg.get("manual") or [])
    report_rows = [_score_content(model, cfg.get("content") or {})] + [r for r in manual if r.group == "申请报告"]
    rules_rows = [r for r in manual if r.group != "申请报告"]
    computed = [
        _score_agency_years(model, settings, cfg.get("agency_years") or {}),
        _score_contract_count(model, settings, cfg.get("contract_count") or {}),
        _score_relevance(model, settings, cfg.get("contract_relevance") or {}),
        _score_stability(model, settings, cfg.get("staff_stability") or {}),
    ]
    return report_rows + computed + rules_rows
