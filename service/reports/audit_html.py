"""The audit report as one HTML page: each signal with the packages involved and its evidence,
the two sources side by side (copied sentences with the differing words marked)."""

from __future__ import annotations

from html import escape
from typing import Any

from checkers.registry import RULES

SEVERITY_TEXT = {"veto": "否决", "error": "错误", "warning": "警告", "info": "提示"}
_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.4em} .sig{border:1px solid #ccc;border-radius:6px;margin:1em 0;padding:.8em 1em}
.error{border-left:6px solid #c0392b} .warning{border-left:6px solid #e0a800} .rule{font-weight:bold}
table{border-collapse:collapse;width:100%;margin-top:.5em} td,th{border:1px solid #ddd;padding:.3em .5em;vertical-align:top}
th{background:#f5f5f5;width:50%} mark{background:#ffd8a8} .meta{color:#555;font-size:.9em}
"""


def marked_html(text: str) -> str:
    """【…】 as written by the rule becomes a highlight."""
    out, rest = [], escape(text)
    while "【" in rest and "】" in rest:
        before, _, after = rest.partition("【")
        inner, _, rest = after.partition("】")
        out.append(f"{before}<mark>{inner}</mark>")
    out.append(rest)
    return "".join(out)


def _where(loc: dict[str, Any]) -> str:
    parts = [loc.get("file") or ""]
    for key, label in (("page", "第{}页"), ("table", "表{}"), ("row", "第{}行"), ("paragraph", "第{}段"), ("part", "{}")):
        if loc.get(key) is not None:
            parts.append(label.format(loc[key]))
    return " ".join(p for p in parts if p)


def _evidence(signal: dict[str, Any]) -> str:
    ev = signal.get("evidence") or {}
    rows = []
    if signal["rule"] == "AUDIT.TEXT_COPIED":
        a, b = (ev.get("companies") or ["", ""])[:2]
        rows.append(f"<tr><th>{escape(a)}</th><th>{escape(b)}</th></tr>")
        for p in ev.get("passages", []):
            rows.append(f"<tr><td>{marked_html(p['a_marked'])}</td><td>{marked_html(p['b_marked'])}</td></tr>")
    elif signal["rule"] == "AUDIT.IMAGE_REUSED":
        pics = ev.get("pictures") or []
        rows.append("<tr>" + "".join(f"<th>{escape(str(p.get('part') or p.get('file') or ''))}</th>" for p in pics) + "</tr>")
        rows.append("<tr>" + "".join(
            f'<td><img alt="图片" src="data:image/jpeg;base64,{escape(p["thumbnail"])}"></td>' if p.get("thumbnail") else "<td>（无缩略图）</td>"
            for p in pics) + "</tr>")
    elif signal["rule"] == "AUDIT.FIGURES_REUSED":
        rows.append("<tr><th>项目</th><th>数值（基本单位）</th></tr>")
        rows += [f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in ev.get("values", [])]
    else:
        rows += [f"<tr><td>{escape(str(k))}</td><td>{escape(str(v))}</td></tr>" for k, v in ev.items()
                 if k not in ("pictures",)]
    return f"<table>{''.join(rows)}</table>" if rows else ""


def render_audit_html(report: dict[str, Any]) -> str:
    signals = report.get("signals", [])
    items = []
    for s in signals:
        title = RULES[s["rule"]].title if s["rule"] in RULES else ""
        places = "".join(f"<li>{escape(l['package'])}：{escape(_where(l))}</li>" for l in s.get("locations", [])[:12])
        items.append(
            f'<div class="sig {escape(s["severity"])}"><div class="rule">{escape(s["rule"])} {escape(title)}'
            f' · {SEVERITY_TEXT.get(s["severity"], s["severity"])}</div><p>{escape(s["message"])}</p>'
            f'<div class="meta">涉及申报包：{escape("、".join(s["packages"]))}</div>{_evidence(s)}'
            f'<details><summary>位置</summary><ul>{places}</ul></details></div>')
    skipped = "".join(f"<li>{escape(x['path'])}：{escape(x['reason'])}</li>" for x in report.get("skipped", []))
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>跨申报包审计报告</title>'
            f"<style>{_STYLE}</style></head><body><h1>跨申报包审计报告</h1>"
            f'<p class="meta">共 {len(report.get("packages", []))} 个申报包，发现 {len(signals)} 条疑点。</p>'
            + ("".join(items) or "<p>未发现跨申报包的造假疑点。</p>")
            + (f"<h2>未纳入审计</h2><ul>{skipped}</ul>" if skipped else "")
            + "</body></html>")
