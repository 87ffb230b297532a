"""Advice as people and machines read it: the fixes chosen, what they cost, the level they reach,
and — when the target is out of reach — the findings that stand in the way.

``Advice.to_record(lang)`` is one record of ``riskgrade advise``'s output (``ADVICE_SCHEMA``);
``Advice.summary(lang)`` the sentence the ledger's 整改建议 column and the explanation show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from ..model import LocalText

FIX_TYPE = pa.struct([
    ("id", pa.string()), ("field", pa.string()), ("to", pa.string()), ("action", pa.string()),
    ("cost", pa.float64()), ("days", pa.float64()), ("by", pa.string()), ("on_the_spot", pa.bool_()),
    ("rule", pa.string()), ("local_choice", pa.bool_()),
])
BLOCKER_TYPE = pa.struct([
    ("rule", pa.string()), ("effect", pa.string()), ("fields", pa.list_(pa.string())), ("text", pa.string()),
])
ADVICE_SCHEMA = pa.schema([
    ("entity_id", pa.string()), ("pack", pa.string()), ("level", pa.string()), ("target_level", pa.string()),
    ("reachable", pa.bool_()), ("reaches_level", pa.string()), ("total_cost", pa.float64()),
    ("total_days", pa.float64()), ("fixes", pa.list_(FIX_TYPE)), ("blocked_by", pa.list_(BLOCKER_TYPE)),
    ("exact", pa.bool_()), ("summary", pa.string()),
])


@dataclass(frozen=True, slots=True)
class AdvisedFix:
    """One fix of the advice: set ``field`` to ``to`` by doing ``action``."""

    id: str
    field: str
    to: str
    action: LocalText
    cost: float
    days: float
    by: LocalText | None = None
    on_the_spot: bool = False
    rule: str | None = None
    local_choice: bool = False
    _cache: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False, compare=False)

    def to_record(self, lang: str = "zh") -> dict[str, Any]:
        """The fix as a record of the advice (the same dict every time: read it, do not change it)."""
        key = ("record", lang)
        if key not in self._cache:
            self._cache[key] = {
                "id": self.id, "field": self.field, "to": self.to, "action": self.action.get(lang), "cost": self.cost,
                "days": self.days, "by": None if self.by is None else self.by.get(lang),
                "on_the_spot": self.on_the_spot, "rule": self.rule, "local_choice": self.local_choice}
        return self._cache[key]

    def step(self, lang: str = "zh") -> str:
        """The fix in words: 配齐灭火器（600 元，1 天）."""
        key = ("step", lang)
        if key not in self._cache:
            self._cache[key] = _step(self, lang)
        return self._cache[key]


@dataclass(frozen=True, slots=True)
class Blocker:
    """A finding that stands between the entity and its target and that no declared fix changes."""

    rule: str | None  # None: the score's own expressions
    effect: str  # set_level:<level> | raise:<n> | points:<p> | score
    fields: tuple[str, ...]  # the facts it reads
    hazard: LocalText | None = None
    field_labels: tuple[LocalText | None, ...] = ()
    level_label: LocalText | None = None  # of the level a veto sets
    _cache: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def text(self, lang: str = "zh") -> str:
        """What the finding does and the facts it rests on, e.g. 规则 X（…）：一票否决，至少为重大风险，…"""
        if lang not in self._cache:
            self._cache[lang] = self._text(lang)
        return self._cache[lang]

    def _text(self, lang: str) -> str:
        sep = "、" if lang == "zh" else ", "
        facts = sep.join(_label(f, lab, lang) for f, lab in zip(self.fields, self.field_labels))
        kind, _, arg = self.effect.partition(":")
        if kind == "set_level":
            arg = _label(arg, self.level_label, lang)
        hazard = self.hazard.get(lang) if self.hazard is not None else ""
        if lang == "zh":
            what = {"set_level": f"一票否决，至少为{arg}", "raise": f"升 {arg} 级", "points": f"计 {arg} 分",
                    "score": "决定分值"}[kind]
            name = "评分表达式" if self.rule is None else f"规则 {self.rule}" + (f"（{hazard}）" if hazard else "")
            return f"{name}：{what}，所依据的事实（{facts or '无'}）不在可整改之列"
        what = {"set_level": f"a veto, at least {arg}", "raise": f"raises the level by {arg}",
                "points": f"adds {arg} points", "score": "sets the score"}[kind]
        name = "the score's expressions" if self.rule is None else f"rule {self.rule}" + (f" ({hazard})" if hazard else "")
        return f"{name}: {what}; it rests on facts no declared fix changes ({facts or 'none'})"

    def to_record(self, lang: str = "zh") -> dict[str, Any]:
        return {"rule": self.rule, "effect": self.effect, "fields": list(self.fields), "text": self.text(lang)}


def _label(name: str, label: LocalText | None, lang: str) -> str:
    return label.get(lang) if label is not None and label.get(lang) else name


@dataclass(frozen=True, slots=True)
class Advice:
    """The rectification plan for one entity and one pack.

    ``fixes`` is the cheapest set (least total cost, then fewest fixes, then least total time) whose
    application grades the entity at ``target_level`` or better; when the target is out of reach
    (``reachable`` false) it is the cheapest set to the least severe level that can be reached, and
    ``blocked_by`` lists the findings no declared fix changes. ``reaches_level`` is the level the
    entity grades at with the fixes applied; ``total_days`` adds the fixes' days up.
    """

    entity_id: str | None
    pack: str
    level: str
    target_level: str
    reachable: bool
    reaches_level: str
    fixes: tuple[AdvisedFix, ...] = ()
    total_cost: float = 0.0
    total_days: float = 0.0
    blocked_by: tuple[Blocker, ...] = ()
    exact: bool = True
    level_labels: dict[str, LocalText] = field(default_factory=dict, repr=False, compare=False)
    kept: dict[str, Any] = field(default_factory=dict)  # input columns carried through (name, station …)

    def label(self, level: str, lang: str = "zh") -> str:
        text = self.level_labels.get(level)
        return text.get(lang) if text is not None else level

    def summary(self, lang: str = "zh") -> str:
        """The plan in one sentence, e.g. 降至一般风险：清理疏散通道（现场整改）。合计 0 元，0 天。"""
        zh = lang == "zh"
        target, reached = self.label(self.target_level, lang), self.label(self.reaches_level, lang)
        if self.reachable and not self.fixes:
            return f"已为{reached}，无需整改即达目标" if zh else f"already {reached}: no fix needed"
        parts = []
        if not self.exact:
            parts.append("搜索达到上限，以下为已找到的最优方案。" if zh else
                         "The search stopped at its limit: this is the best plan it found.")
        if not self.reachable and self.exact:
            why = ("；" if zh else "; ").join(b.text(lang) for b in self.blocked_by)
            if not why:
                why = "已声明的整改措施无论如何组合都达不到" if zh else "no combination of the declared fixes reaches it"
            parts.append(f"无法通过整改降至{target}：{why}。" if zh else f"{target} cannot be reached by rectification: {why}.")
        if not self.fixes:
            return "".join(parts) if zh else " ".join(parts)
        steps = ("；" if zh else "; ").join(f.step(lang) for f in self.fixes)
        total = (f"合计 {_amount(self.total_cost)} 元，{_amount(self.total_days)} 天。" if zh
                 else f" Total {_amount(self.total_cost)} yuan, {_days(self.total_days)}.")
        parts.append((f"降至{reached}：{steps}。" if zh else f"To reach {reached}: {steps}.") + total)
        return "".join(parts) if zh else " ".join(parts)

    def to_explanation(self) -> dict[str, Any]:
        """The advice in both languages, as the ``advice`` section of an explanation."""
        both = {lang: self.to_record(lang) for lang in ("zh", "en")}
        out = {k: v for k, v in both["zh"].items() if k not in ("entity_id", "pack", "fixes", "blocked_by", "summary")}
        out["fixes"] = [{**zh, "action": {"zh": zh["action"], "en": en["action"]}, "by": None if zh["by"] is None
                         else {"zh": zh["by"], "en": en["by"]}} for zh, en in zip(both["zh"]["fixes"], both["en"]["fixes"])]
        out["blocked_by"] = [{**zh, "text": {"zh": zh["text"], "en": en["text"]}}
                             for zh, en in zip(both["zh"]["blocked_by"], both["en"]["blocked_by"])]
        out["summary"] = {"zh": both["zh"]["summary"], "en": both["en"]["summary"]}
        out["labels"] = {level: {"zh": self.label(level, "zh"), "en": self.label(level, "en")}
                         for level in (self.level, self.target_level, self.reaches_level)}
        return out

    def to_record(self, lang: str = "zh") -> dict[str, Any]:
        return {"entity_id": self.entity_id, "pack": self.pack, "level": self.level,
                "target_level": self.target_level, "reachable": self.reachable, "reaches_level": self.reaches_level,
                "total_cost": self.total_cost, "total_days": self.total_days,
                "fixes": [f.to_record(lang) for f in self.fixes],
                "blocked_by": [b.to_record(lang) for b in self.blocked_by], "exact": self.exact,
                "summary": self.summary(lang)}


def _step(fix: AdvisedFix, lang: str) -> str:
    zh = lang == "zh"
    notes = []
    if fix.on_the_spot:
        notes.append("现场整改" if zh else "on the spot")
    if fix.by is not None:
        notes.append(fix.by.get(lang))
    notes.append(f"{_amount(fix.cost)} 元" if zh else f"{_amount(fix.cost)} yuan")
    if fix.days:
        notes.append(f"{_amount(fix.days)} 天" if zh else _days(fix.days))
    return f"{fix.action.get(lang)}（{'，'.join(notes)}）" if zh else f"{fix.action.get(lang)} ({', '.join(notes)})"


def _days(x: float) -> str:
    return f"{_amount(x)} day" + ("" if x == 1 else "s")


def _amount(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def advice_table(advice: list[Advice], lang: str = "zh", kept: tuple[str, ...] = ()) -> pa.Table:
    """Records of ``advice`` as an Arrow table of ``ADVICE_SCHEMA``, the ``kept`` input columns after
    the entity id. Built column by column: a pack's fixes and blockers are few objects shared by
    many records, so each is spelled once and the list columns are gathered from them."""
    plain = {name: [getattr(a, name) for a in advice] for name in
             ("entity_id", "pack", "level", "target_level", "reachable", "reaches_level", "total_cost", "total_days",
              "exact")}
    columns = {name: pa.array(values, ADVICE_SCHEMA.field(name).type) for name, values in plain.items()}
    columns["fixes"] = _gathered([a.fixes for a in advice], FIX_TYPE, lambda f: f.to_record(lang))
    columns["blocked_by"] = _gathered([a.blocked_by for a in advice], BLOCKER_TYPE, lambda b: b.to_record(lang))
    columns["summary"] = pa.array([a.summary(lang) for a in advice], pa.string())
    table = pa.table([columns[f.name] for f in ADVICE_SCHEMA], schema=ADVICE_SCHEMA)
    for i, name in enumerate(kept, 1):
        values = [a.kept.get(name) for a in advice]
        table = table.add_column(i, name, pa.array([None if v is None else str(v) for v in values], pa.string()))
    return table


def _gathered(lists: list[tuple[Any, ...]], kind: pa.DataType, record: Any) -> pa.Array:
    """A list column whose items are shared objects: each distinct object spelled once, then taken."""
    index: dict[int, int] = {}
    distinct: list[Any] = []
    flat: list[int] = []
    offsets = [0]
    for items in lists:
        for item in items:
            key = id(item)
            if key not in index:
                index[key] = len(distinct)
                distinct.append(item)
            flat.append(index[key])
        offsets.append(len(flat))
    values = pa.array([record(item) for item in distinct], kind).take(pa.array(flat, pa.int64()))
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values)
