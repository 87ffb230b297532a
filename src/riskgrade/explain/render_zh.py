"""An explanation in Chinese, as an inspector reads it to the entity: rules by their titles (the hazard
they describe), the documents they cite by name, fields and derived values by their labels, levels as
colour and label (``橙（较大风险）``) — no expressions and no ids a person has to look up.

Rule ids stay in brackets after each title: they are what the pack and the rejects file cite.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .render_advice import advice_lines

COLOURS = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝"}
METHODS = {"sum": "累加", "deduct": "扣分", "max": "取最大值", "product": "连乘（LEC）", "matrix": "风险矩阵",
           "expr": "公式"}
_CLAUSES = [(re.compile(p), z) for p, z in [
    (r"^arts?\. ?([\d.–-]+)$", r"第 \1 条"), (r"^items? ([\d.–-]+)$", r"第 \1 项"), (r"^ch\. ?(\d+)$", r"第 \1 章"),
    (r"^tables? ([\d.–-]+)$", r"表 \1"), (r"^annex ([A-Z\d]+)$", r"附录 \1"),
]]


def render_zh(expl: dict[str, Any]) -> str:
    """The explanation as indented Chinese text."""
    z = _Zh(expl)
    title = _pick(expl.get("pack_title")) or expl["pack"]
    out = [f"{expl.get('entity_id') or '该对象'}：按“{title}”（{expl['pack']} {expl['pack_version']}，"
           f"sha256 {expl['pack_sha256'][:12]}）于 {expl['as_of']} 评级"]
    if "rejected" in expl:
        from ..results.reject_text import ChineseRejects

        words = ChineseRejects()
        words.values = {f: [_pick(t) or code for code, t in v.items()] for f, v in z.values.items()}
        out.append("无法评级：")
        out += [f"  - {z.field(r['field'])}：{words.reason(r['reason'], r.get('code', ''), r['field'])}"
                for r in expl["rejected"]]
        return "\n".join(out) + "\n"
    if expl["applies"] is None:  # what applies_when reads is missing: neither graded nor left out
        gaps = "；".join(f"{z.field(f)}（{f}）" if z.field(f) != f else f for f in expl["data_gaps"]) or "-"
        out.append(f"无法判定本规则包是否适用，缺少：{gaps}。")
        return "\n".join(out) + "\n"
    if not expl["applies"]:
        out.append("本规则包不适用于该对象。")
        return "\n".join(out) + "\n"
    out += z.derived() + z.fired() + z.undecided() + z.level() + z.controls() + z.inspection()
    if expl["data_gaps"]:
        out.append("缺失数据：" + "；".join(z.field(f) for f in expl["data_gaps"]))
    if expl.get("advice"):
        out += advice_lines(expl["advice"], "zh", expl.get("field_labels") or {}, expl.get("value_labels") or {})
    return "\n".join(out) + "\n"


def _pick(t: dict[str, str] | None) -> str:
    if not t:
        return ""
    return t.get("zh") or t.get("en") or ""


def _value(v: Any) -> str:
    if v is None:
        return "缺失"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


def clause_zh(clause: str) -> str:
    """``art. 33`` -> ``第 33 条``, ``item 4`` -> ``第 4 项``; other clauses (``7.3.3``) as written."""
    for pattern, template in _CLAUSES:
        if pattern.match(clause):
            return pattern.sub(template, clause)
    return clause


class _Zh:
    def __init__(self, expl: dict[str, Any]) -> None:
        self.e = expl
        self.labels = expl.get("field_labels") or {}
        self.derived_labels = {d["name"]: _pick(d.get("label")) for d in expl.get("derived", [])}
        self.levels = expl.get("levels") or {}
        self.values: dict[str, dict[str, Any]] = expl.get("value_labels") or {}

    def value(self, name: str, v: Any) -> str:
        """A value as a person writes it: a category code by its label."""
        label = _pick((self.values.get(name) or {}).get(v)) if isinstance(v, str) else ""
        return label or _value(v)

    def field(self, name: str) -> str:
        return _pick(self.labels.get(name)) or self.derived_labels.get(name) or name

    def level(self, level_id: str | None = None) -> list[str] | str:  # type: ignore[override]
        if level_id is not None:
            return self.level_text(level_id)
        e = self.e
        score = e["score"]["value"]
        shown = "-" if score is None else f"{score:g}"
        out = [f"得分：{shown}（{METHODS.get(e['score']['method'], e['score']['method'])}）", "等级判定过程："]
        out += ["  " + self.step(s) for s in e["level_steps"]]
        return out

    def level_text(self, level_id: str) -> str:
        lv = self.levels.get(level_id) or {}
        label = _pick(lv.get("label")) or level_id
        colour = COLOURS.get(lv.get("color", ""))
        return f"{colour}（{label}）" if colour and not label.startswith(colour) else label

    def step(self, s: dict[str, Any]) -> str:
        kind, lv = s["step"], self.level_text(s.get("level", "")) if s.get("level") else ""
        if kind == "band":
            if s["score"] is None:
                return f"无法计分（数据缺失）→ {lv}"
            lo = "-∞" if s["min"] is None else f"{s['min']:g}"
            hi = "∞" if s["max"] is None else f"{s['max']:g}"
            return f"得分 {s['score']:g} 落在 [{lo}, {hi}) → {lv}"
        if kind == "veto":
            return f"{self.rule(s['rule'])} 一票否决，至少为{lv}"
        if kind == "after_vetoes":
            return f"取最严重的否决等级 → {lv}"
        if kind == "raise":
            return f"{self.rule(s['rule'])} 升 {s['by']} 级"
        if kind == "lower":
            return f"{self.rule(s['rule'])} 降 {s['by']} 级"
        if kind == "after_raise_lower":
            return f"净调整 {s['net']:+d} 级 → {lv}（不超出等级范围，不低于否决等级）"
        return f"最终等级：{lv}"

    def rule(self, rule_id: str) -> str:
        for r in self.e["rules"]["fired"] + self.e["rules"]["undecided"]:
            if r["id"] == rule_id and _pick(r.get("hazard")):
                return f"“{_pick(r['hazard'])}”（{rule_id}）"
        return rule_id

    def derived(self) -> list[str]:
        shown = [d for d in self.e["derived"] if _pick(d.get("label"))]
        if not shown:
            return []
        return ["派生值："] + [f"  {_pick(d['label'])}：{_value(d['value'])}" for d in shown]

    def fired(self) -> list[str]:
        fired = self.e["rules"]["fired"]
        out = ["触发的规则：" + ("" if fired else "无")]
        for r in fired:
            effects = []
            if r["points"]:
                effects.append(f"{r['points']:g} 分")
            if r["set_level"]:
                effects.append(f"一票否决，至少为{self.level_text(r['set_level'])}")
            if r["raise"]:
                effects.append(f"升 {r['raise']} 级")
            if r["lower"]:
                effects.append(f"降 {r['lower']} 级")
            out.append(f"  - {_pick(r['hazard']) or r['id']}（{r['id']}；{'，'.join(effects) or '无计分'}）")
            basis = self.basis(r)
            if basis:
                out.append(f"      依据：{basis}")
            data = "；".join(f"{self.field(k)} = {self.value(k, v)}" for k, v in r["inputs"].items())
            if data:
                out.append(f"      数据：{data}")
            if r["because_missing"]:
                out.append("      数据缺失，按触发计（本规则缺数据时从严）")
        return out

    def basis(self, r: dict[str, Any]) -> str:
        refs = r.get("basis_refs") or []
        parts = []
        for ref in refs:
            title = _pick(ref.get("title"))
            parts.append(f"{title} {clause_zh(ref['clause'])}".strip() if title else ref["text"])
        return "；".join(parts) or (r.get("basis") or "")

    def undecided(self) -> list[str]:
        pending = [r for r in self.e["rules"]["undecided"] if not r["fired"]]
        if not pending:
            return []
        out = ["因数据缺失无法判定的规则（不计入）："]
        for r in pending:
            missing = "；".join(self.field(f) for f in r["missing"]) or "-"
            out.append(f"  - {_pick(r.get('hazard')) or r['id']}（{r['id']}）：缺少 {missing}")
        return out

    def controls(self) -> list[str]:
        e = self.e
        out = ["管控措施：" + ("" if e["controls"] else "无")]
        for c in e["controls"]:
            why = (["本等级要求"] if c["for_level"] else []) + [f"规则 {r} 要求" for r in c["rules"]]
            out.append(f"  - {_pick(c['text']) or c['id']}（{'；'.join(why)}）")
        if e["responsible"]:
            out.append(f"责任层级：{_pick(e['responsible']['label']) or e['responsible']['id']}")
        return out

    def inspection(self) -> list[str]:
        insp = self.e.get("inspection")
        if not insp or insp["interval_days"] is None:
            return []
        line = f"检查：每 {insp['interval_days']} 天一次（基准 {insp['base_days']} 天）"
        applied = [a for a in insp["adjustments"] if a["applies"]]
        for a in applied:
            if a["multiply"] is not None:
                line += f"；{a['id']} 乘以 {a['multiply']:g}"
            if a["max_days"] is not None:
                line += f"；{a['id']} 不超过 {a['max_days']} 天"
        if insp["next_inspection"]:
            line += f"；下次检查 {insp['next_inspection']}"
            if insp.get("overdue_days"):
                line += f"（已逾期 {insp['overdue_days']} 天）"
        return [line]
