"""The advice section of an explanation (整改建议), in Chinese or English: the fixes of the cheapest
plan with who does them and what they cost, or the findings that keep the target out of reach. The
section is the ``advice`` key an explanation gets from the advice (``Advice.to_explanation``)."""

from __future__ import annotations

from typing import Any

_WORDS = {
    "en": {
        "advice": "Rectification to reach {target}:", "advice_none": "already {target} or less severe: nothing to fix",
        "fix_line": "{action}: {field} → {to}", "out_of_reach": "{target} cannot be reached by rectification:",
        "advice_total": "total {cost} yuan, {days} days; afterwards {level}", "on_the_spot": "on the spot",
        "by": "by {who}", "cost": "{cost} yuan, {days} days", "notes": " ({notes})", "sep": "; ",
        "search_limit": "the search stopped at its limit: the best plan found is shown",
    },
    "zh": {
        "advice": "整改建议（目标：{target}）：", "advice_none": "已为{target}或更低，无需整改",
        "fix_line": "{action}：{field} → {to}", "out_of_reach": "无法通过整改达到{target}：",
        "advice_total": "合计 {cost} 元，{days} 天；整改后为{level}", "on_the_spot": "现场整改",
        "by": "由{who}实施", "cost": "{cost} 元，{days} 天", "notes": "（{notes}）", "sep": "，",
        "search_limit": "搜索达到上限：给出的是已找到的最优方案",
    },
}


def _pick(text: dict[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or text.get("zh" if lang == "en" else "en") or ""


def _shown(field: str, to: str, lang: str, value_labels: dict[str, Any]) -> str:
    """The value after a fix as a person reads it: a category's label, 是/否 in Chinese."""
    label = _pick((value_labels.get(field) or {}).get(to), lang)
    if label:
        return label
    return {"true": "是", "false": "否"}.get(to, to) if lang == "zh" else to


def advice_lines(advice: dict[str, Any], lang: str, field_labels: dict[str, Any],
                 value_labels: dict[str, Any] | None = None) -> list[str]:
    """The advice section as lines of text in ``lang`` ("zh" or "en"); ``value_labels`` (field ->
    code -> label) names category values."""
    w = _WORDS[lang]
    names = {level: _pick(text, lang) or level for level, text in advice.get("labels", {}).items()}
    target = names.get(advice["target_level"], advice["target_level"])
    reached = names.get(advice["reaches_level"], advice["reaches_level"])
    out = [w["advice"].format(target=target)]
    if advice["reachable"] and not advice["fixes"]:
        return out + [f"  {w['advice_none'].format(target=target)}"]
    if not advice["reachable"]:
        out.append(f"  {w['out_of_reach'].format(target=target)}")
        out += [f"    - {_pick(b['text'], lang)}" for b in advice["blocked_by"]]
    for f in advice["fixes"]:
        notes = ([w["on_the_spot"]] if f["on_the_spot"] else []) + (
            [w["by"].format(who=_pick(f["by"], lang))] if f["by"] else [])
        notes.append(w["cost"].format(cost=f"{f['cost']:g}", days=f"{f['days']:g}"))
        label = _pick(field_labels.get(f["field"]), lang)
        field = f"{label} ({f['field']})" if label else f["field"]
        line = w["fix_line"].format(action=_pick(f["action"], lang), field=field,
                                    to=_shown(f["field"], f["to"], lang, value_labels or {}))
        out.append(f"  - {line}{w['notes'].format(notes=w['sep'].join(notes))}")
    if advice["fixes"]:
        out.append("  " + w["advice_total"].format(cost=f"{advice['total_cost']:g}", days=f"{advice['total_days']:g}",
                                                   level=reached))
    if not advice.get("exact", True):
        out.append(f"  {w['search_limit']}")
    return out
