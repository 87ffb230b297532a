"""An explanation as text an inspector can read to the entity (Chinese or English)."""

from __future__ import annotations

import json
from typing import Any

from .render_advice import advice_lines
from .render_zh import render_zh

_WORDS = {
    "en": {
        "title": "Grade of {entity} by pack {pack} {version} (sha256 {sha}) as of {as_of}",
        "not_applies": "The pack does not apply to this entity ({expr} is {value}).",
        "applies_undecided": "Cannot tell whether the pack applies ({expr} is unknown); missing: {gaps}.",
        "rejected": "The entity cannot be graded:", "derived": "Derived values", "fired": "Rules that fired",
        "none": "none", "points": "{p:g} points", "veto": "at least {level} (veto)", "raise": "raise {n}",
        "lower": "lower {n}", "because": "because", "missing_worst": "data missing; counted as fired (on_missing: worst)",
        "undecided": "Rules that could not be decided (data missing)", "missing": "missing",
        "not_fired": "not counted", "score": "Score", "band": "band", "steps": "How the level was reached",
        "level": "Level", "controls": "Controls", "responsible": "Responsible", "inspection": "Inspection",
        "every": "every {days} days (base {base})", "next": "next due {date}", "gaps": "Data gaps",
        "basis": "basis", "rule": "rule", "from_level": "for the level", "adj": "{id}: ×{mult}", "cap": "{id}: at most {days} days",
        "band_step": "score {score} is in [{lo}, {hi}) → {level}", "no_score": "no score (data missing) → {level}",
        "veto_step": "{rule} sets at least {level}", "after_vetoes": "most severe veto → {level}",
        "raise_step": "{rule} raises by {by}", "lower_step": "{rule} lowers by {by}",
        "shift_step": "net {net:+d} → {level} (clamped, never below a veto)", "final": "final level {level}",
    },
    "zh": {
        "title": "{entity} 按规则包 {pack} {version}（sha256 {sha}）于 {as_of} 的评级",
        "not_applies": "本规则包不适用于该对象（{expr} 为 {value}）。",
        "applies_undecided": "无法判定本规则包是否适用（{expr} 无法判定），缺少：{gaps}。",
        "rejected": "该对象无法评级：", "derived": "派生值", "fired": "触发的规则", "none": "无",
        "points": "{p:g} 分", "veto": "至少为 {level}（一票否决）", "raise": "升 {n} 级", "lower": "降 {n} 级",
        "because": "条件与数据", "missing_worst": "数据缺失，按触发计（on_missing: worst）",
        "undecided": "因数据缺失无法判定的规则", "missing": "缺失", "not_fired": "不计入",
        "score": "得分", "band": "分数段", "steps": "等级判定过程", "level": "风险等级", "controls": "管控措施",
        "responsible": "责任层级", "inspection": "检查", "every": "每 {days} 天一次（基准 {base} 天）",
        "next": "下次检查 {date}", "gaps": "数据缺失", "basis": "依据", "rule": "规则", "from_level": "本等级要求",
        "adj": "{id}：×{mult}", "cap": "{id}：不超过 {days} 天",
        "band_step": "得分 {score} 落在 [{lo}, {hi}) → {level}", "no_score": "无法计分（数据缺失）→ {level}",
        "veto_step": "{rule} 一票否决，至少为 {level}", "after_vetoes": "取最严重的否决等级 → {level}",
        "raise_step": "{rule} 升 {by} 级", "lower_step": "{rule} 降 {by} 级",
        "shift_step": "净调整 {net:+d} → {level}（不超出等级范围，不低于否决等级）", "final": "最终等级 {level}",
    },
}


def _pick(t: dict[str, str] | None, lang: str) -> str:
    if not t:
        return ""
    return t.get(lang) or t.get("zh" if lang == "en" else "en") or ""


def _value(v: Any) -> str:
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


def render_text(expl: dict[str, Any], lang: str = "en") -> str:
    """The explanation as indented text in ``lang`` ("zh": fully Chinese, see ``render_zh``; "en")."""
    if lang == "zh":
        return render_zh(expl)
    w = _WORDS[lang]
    out = [w["title"].format(entity=expl.get("entity_id") or "-", pack=expl["pack"], version=expl["pack_version"],
                             sha=expl["pack_sha256"][:12], as_of=expl["as_of"])]
    if "rejected" in expl:
        out.append(w["rejected"])
        out += [f"  - {r['field']}: {r['reason']}" for r in expl["rejected"]]
        return "\n".join(out) + "\n"
    if expl["applies"] is None:
        aw = expl.get("applies_when", {})
        out.append(w["applies_undecided"].format(expr=aw.get("expr"), gaps=", ".join(expl["data_gaps"]) or "-"))
        return "\n".join(out) + "\n"
    if not expl["applies"]:
        aw = expl.get("applies_when", {})
        out.append(w["not_applies"].format(expr=aw.get("expr"), value=_value(aw.get("value"))))
        return "\n".join(out) + "\n"
    labels = expl.get("field_labels", {})
    out += _derived(expl, w)
    out += _fired(expl, w, lang, labels)
    out += _undecided(expl, w)
    out += _level(expl, w, lang)
    out += _controls(expl, w, lang)
    out += _inspection(expl, w)
    if expl["data_gaps"]:
        out.append(f"{w['gaps']}: {', '.join(expl['data_gaps'])}")
    if expl.get("advice"):
        out += advice_lines(expl["advice"], lang, labels, expl.get("value_labels") or {})
    return "\n".join(out) + "\n"


def _derived(expl: dict[str, Any], w: dict[str, str]) -> list[str]:
    if not expl["derived"]:
        return []
    return [f"{w['derived']}:"] + [f"  {d['name']} = {_value(d['value'])}" for d in expl["derived"]]


def _fired(expl: dict[str, Any], w: dict[str, str], lang: str, labels: dict[str, Any]) -> list[str]:
    fired = expl["rules"]["fired"]
    out = [f"{w['fired']}:" + ("" if fired else f" {w['none']}")]
    for r in fired:
        effects = []
        if r["points"]:
            effects.append(w["points"].format(p=r["points"]))
        if r["set_level"]:
            effects.append(w["veto"].format(level=r["set_level"]))
        if r["raise"]:
            effects.append(w["raise"].format(n=r["raise"]))
        if r["lower"]:
            effects.append(w["lower"].format(n=r["lower"]))
        out.append(f"  - {r['id']} ({', '.join(effects) or '-'}): {_pick(r['hazard'], lang)}")
        if r["basis"]:
            out.append(f"      {w['basis']}: {r['basis']}")
        shown = ", ".join(f"{_label(k, labels, lang)} = {_value(v)}" for k, v in r["inputs"].items())
        out.append(f"      {w['because']}: {r['when']}  [{shown}]")
        if r["because_missing"]:
            out.append(f"      {w['missing_worst']}")
    return out


def _label(name: str, labels: dict[str, Any], lang: str) -> str:
    label = _pick(labels.get(name), lang)
    return f"{label} ({name})" if label else name


def _undecided(expl: dict[str, Any], w: dict[str, str]) -> list[str]:
    pending = [r for r in expl["rules"]["undecided"] if not r["fired"]]
    if not pending:
        return []
    return [f"{w['undecided']}:"] + [f"  - {r['id']}: {r['when']}  ({w['missing']}: {', '.join(r['missing']) or '-'};"
                                     f" {w['not_fired']})" for r in pending]


def _level(expl: dict[str, Any], w: dict[str, str], lang: str) -> list[str]:
    score = expl["score"]["value"]
    out = [f"{w['score']}: {'-' if score is None else f'{score:g}'} ({expl['score']['method']})", f"{w['steps']}:"]
    for s in expl["level_steps"]:
        out.append("  " + _step(s, w))
    lv = expl["level"]
    out.append(f"{w['level']}: {lv['id']} — {_pick(lv['label'], lang)}")
    return out


def _step(s: dict[str, Any], w: dict[str, str]) -> str:
    kind = s["step"]
    if kind == "band":
        if s["score"] is None:
            return w["no_score"].format(level=s["level"])
        lo = "-∞" if s["min"] is None else f"{s['min']:g}"
        hi = "∞" if s["max"] is None else f"{s['max']:g}"
        return w["band_step"].format(score=f"{s['score']:g}", lo=lo, hi=hi, level=s["level"])
    return w[{"veto": "veto_step", "after_vetoes": "after_vetoes", "raise": "raise_step", "lower": "lower_step",
              "after_raise_lower": "shift_step", "final": "final"}[kind]].format(**s)


def _controls(expl: dict[str, Any], w: dict[str, str], lang: str) -> list[str]:
    out = [f"{w['controls']}:" + ("" if expl["controls"] else f" {w['none']}")]
    for c in expl["controls"]:
        src = ", ".join(([w["from_level"]] if c["for_level"] else []) + [f"{w['rule']} {r}" for r in c["rules"]])
        out.append(f"  - {c['id']}: {_pick(c['text'], lang)} ({src})")
    if expl["responsible"]:
        r = expl["responsible"]
        out.append(f"{w['responsible']}: {_pick(r['label'], lang) or r['id']} ({r['id']})")
    return out


def _inspection(expl: dict[str, Any], w: dict[str, str]) -> list[str]:
    insp = expl.get("inspection")
    if not insp or insp["interval_days"] is None:
        return []
    line = f"{w['inspection']}: {w['every'].format(days=insp['interval_days'], base=insp['base_days'])}"
    applied = [a for a in insp["adjustments"] if a["applies"]]
    parts = []
    for a in applied:
        if a["multiply"] is not None:
            parts.append(w["adj"].format(id=a["id"], mult=f"{a['multiply']:g}"))
        if a["max_days"] is not None:
            parts.append(w["cap"].format(id=a["id"], days=a["max_days"]))
    if parts:
        line += "; " + "; ".join(parts)
    if insp["next_inspection"]:
        line += "; " + w["next"].format(date=insp["next_inspection"])
    return [line]
