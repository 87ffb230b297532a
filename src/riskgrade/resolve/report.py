"""The column report: what each input column was read as, what was not used and why, and which pack
fields the input lacks with the rules that therefore cannot decide — printed before grading, and the
ground of ``strict``.

``problems()`` are what ``strict`` refuses: unknown, ambiguous and second columns; kept columns the
input lacks; and, for each pack that applies to some row, absent fields that are required or that a
rule or the inspection interval reads (fields with a default are filled, not missing).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..compiler.program import Program
from ..model.common import LocalText
from ..table.names import name_key
from .headers import ColumnMatch, ColumnPlan, Names


@dataclass(frozen=True)
class AbsentField:
    """A pack field no input column gives, and what it would have decided."""

    name: str
    label: LocalText | None
    required: bool
    has_default: bool
    rules: tuple[str, ...]  # rules whose condition reads it
    applies: bool  # the pack's applies_when reads it
    inspection: bool  # the inspection interval reads it

    @property
    def deciding(self) -> bool:
        return not self.has_default and (self.required or bool(self.rules) or self.inspection)


@dataclass(frozen=True)
class PackColumns:
    """One pack's view of the input: how many of its fields are present, which are absent, and how many
    rows (of the first chunk) it applies to, when known."""

    pack: str
    title: LocalText
    fields: int
    absent: tuple[AbsentField, ...]
    applies: int | None = None
    rows: int | None = None

    @property
    def in_play(self) -> bool:
        """Whether its absent fields matter: it applies to some row (or that is not known yet)."""
        return self.applies is None or self.applies > 0


@dataclass(frozen=True)
class ColumnReport:
    """What became of every input column of one source (see the module docstring)."""

    source: str
    plan: ColumnPlan
    packs: tuple[PackColumns, ...]
    labels: dict[str, LocalText | None] = field(default_factory=dict)  # target -> label
    unused_mapping: tuple[str, ...] = ()  # mapping headers the input does not have
    fields: frozenset[str] = frozenset()  # the targets that are pack fields (the others are carried)

    @property
    def used(self) -> list[ColumnMatch]:
        return [m for m in self.plan.matches if m.used]

    @property
    def unused(self) -> list[ColumnMatch]:
        return [m for m in self.plan.matches if not m.used and m.how != "ignored"]

    def problems(self, lang: str = "en") -> list[str]:
        """What ``strict`` refuses, one sentence each."""
        t = _WORDS[lang]
        out = [_unused_line(m, self.labels, t) for m in self.unused]
        out += [t["keep_missing"].format(name=n) for n in self.plan.missing_keep]
        for p in self.packs:
            if p.in_play:
                out += [f"{p.pack}: " + _absent_line(a, lang, t) for a in p.absent if a.deciding]
        return out

    def render(self, lang: str = "en") -> str:
        """The report as a block of text for a person (``lang`` "zh" or "en")."""
        t = _WORDS[lang]
        lines = [t["head"].format(source=self.source, n=len(self.plan.matches))]
        lines += _used_lines(self.used, self.fields, self.labels, t)
        ignored = [m.header for m in self.plan.matches if m.how == "ignored"]
        if ignored:
            lines.append("  " + t["ignored"].format(n=len(ignored), names=t["sep"].join(ignored)))
        unused = self.unused
        if unused:
            lines.append("  " + t["unused"].format(n=len(unused)))
            lines += ["    " + _unused_line(m, self.labels, t) for m in unused]
        for name in self.plan.missing_keep:
            lines.append("  " + t["keep_missing"].format(name=name))
        for header in self.unused_mapping:
            lines.append("  " + t["mapping_unused"].format(header=header))
        if self.packs:
            lines += _absent_lines(self.packs, lang, t)
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (for the service and for tools)."""
        return {
            "source": self.source,
            "columns": [{"header": m.header, "as": m.target if m.used else None, "how": m.how, "other": m.other,
                         "suggestions": list(m.suggestions), "candidates": list(m.candidates)}
                        for m in self.plan.matches],
            "missing_keep": list(self.plan.missing_keep),
            "unused_mapping": list(self.unused_mapping),
            "packs": [{"pack": p.pack, "fields": p.fields, "applies": p.applies, "rows": p.rows,
                       "absent": [{"field": a.name, "label": _pick(a.label, "zh"), "required": a.required,
                                   "default": a.has_default, "rules": list(a.rules), "applies_when": a.applies,
                                   "inspection": a.inspection, "deciding": a.deciding} for a in p.absent]}
                      for p in self.packs],
            "problems": self.problems(),
        }


def build_report(source: str, plan: ColumnPlan, names: Names, programs: Sequence[Program],
                 applies: dict[str, tuple[int, int]] | None = None,
                 mapped_headers: Sequence[str] = ()) -> ColumnReport:
    """The report of one source's plan; ``applies`` gives per pack (rows it applies to, rows) of the
    first chunk, when it has been graded."""
    present = plan.targets
    packs = []
    for p in programs:
        absent = tuple(_absent(p, f) for f in p.fields if f.name not in present)
        n_applies, rows = (applies or {}).get(p.pack_id, (None, None))
        packs.append(PackColumns(p.pack_id, p.title, len(p.fields), absent, n_applies, rows))
    keys = {name_key(m.header) for m in plan.matches}
    unused_mapping = tuple(h for h in mapped_headers if name_key(h) not in keys)
    labels = {name: t.label for name, t in names.targets.items()}
    fields = frozenset(name for name, t in names.targets.items() if t.is_field)
    return ColumnReport(source, plan, tuple(packs), labels, unused_mapping, fields)


def _absent(p: Program, f: Any) -> AbsentField:
    rules = tuple(r.id for r in p.rules if f.name in r.when.fields)
    applies = p.applies_when is not None and f.name in p.applies_when.fields
    insp = p.inspection
    inspection = insp is not None and (insp.last_inspection == f.name or any(
        m.when is not None and f.name in m.when.fields for m in insp.modifiers))
    return AbsentField(f.name, f.label, f.required, f.default is not None, rules, applies, inspection)


# --- text ------------------------------------------------------------------------------------------

_WORDS = {
    "en": {
        "head": "columns of {source} ({n}):", "sep": ", ", "arrow": " → ",
        "id": "fields by id", "label_zh": "fields by Chinese label", "label_en": "fields by English label",
        "alias": "fields by alias", "mapping": "by the mapping file", "id_column": "entity id (--id-column)",
        "builtin": "by built-in name", "carried": "carried into the results",
        "ignored": "not used, as the mapping file says ({n}): {names}",
        "unused": "not used ({n}):",
        "unknown": "{header}: not a field of any pack",
        "suggest": " — did you mean {names}?",
        "ambiguous": "{header}: could be {names}; say which in a mapping file (columns: {{{header}: …}})",
        "duplicate": "{header}: also gives {target}, which column '{other}' already gives; not used",
        "keep_missing": "--keep {name}: the input has no such column (it comes out empty)",
        "mapping_unused": "the mapping file names column '{header}', which this input does not have",
        "absent_head": "pack fields the input does not have:",
        "none_present": "{pack}: none of its {n} fields is in the input{applies}",
        "applies_none": " (it applies to none of the first {rows} rows)",
        "absent_pack": "{pack}: {n} of its {total} fields absent{applies}",
        "applies_some": " (it applies to {applies} of the first {rows} rows)",
        "rules": "rules that cannot decide: {ids}", "required": "required: rows it applies to are rejected",
        "default": "its default is used", "applies_when": "decides whether the pack applies",
        "inspection": "the inspection interval reads it", "unused_field": "no rule reads it",
        "all_present": "every field of every pack is in the input",
    },
    "zh": {
        "head": "{source} 的列（{n} 列）：", "sep": "、", "arrow": " → ",
        "id": "按字段编号识别的字段", "label_zh": "按中文名称识别的字段", "label_en": "按英文名称识别的字段",
        "alias": "按别名识别的字段", "mapping": "按映射文件识别", "id_column": "单位编号列（--id-column）",
        "builtin": "按常用列名识别", "carried": "随结果带出",
        "ignored": "映射文件注明不使用（{n} 列）：{names}",
        "unused": "未使用的列（{n} 列）：",
        "unknown": "{header}：不是任何规则包的字段",
        "suggest": "——是否应为 {names}？",
        "ambiguous": "{header}：可能是 {names}，请在映射文件中注明（columns: {{{header}: …}}）",
        "duplicate": "{header}：同样对应 {target}，而“{other}”列已对应该字段；未使用",
        "keep_missing": "--keep {name}：输入中没有这一列（结果中该列为空）",
        "mapping_unused": "映射文件中的列“{header}”在本输入中不存在",
        "absent_head": "输入中缺少的规则包字段：",
        "none_present": "{pack}：输入不含其 {n} 个字段中的任何一个{applies}",
        "applies_none": "（前 {rows} 行中没有适用本规则包的对象）",
        "absent_pack": "{pack}：其 {total} 个字段中缺少 {n} 个{applies}",
        "applies_some": "（前 {rows} 行中有 {applies} 行适用）",
        "rules": "因此无法判定的规则：{ids}", "required": "必填：适用的行将被拒绝",
        "default": "使用默认值", "applies_when": "用于判断是否适用本规则包",
        "inspection": "检查周期要用到", "unused_field": "没有规则用到",
        "all_present": "各规则包的字段在输入中齐全",
    },
}


def _pick(text: LocalText | None, lang: str) -> str:
    return text.get(lang) if text is not None else ""


def _named(name: str, labels: dict[str, LocalText | None], lang: str) -> str:
    label = _pick(labels.get(name), "zh" if lang == "zh" else "en")
    return f"{name}（{label}）" if lang == "zh" and label else f"{name} ({label})" if label else name


def _used_lines(used: list[ColumnMatch], fields: frozenset[str], labels: dict[str, LocalText | None],
                t: dict[str, str]) -> list[str]:
    """One line per way of matching: field columns by how they matched, then the carried ones."""
    lang = "zh" if t["sep"] == "、" else "en"
    groups: dict[str, list[ColumnMatch]] = {}
    for m in used:
        how = m.how if m.target in fields and m.how != "id_column" else "carried"
        groups.setdefault(how, []).append(m)
    order = ["id", "label_zh", "label_en", "alias", "mapping", "builtin", "carried"]
    lines = []
    for how in sorted(groups, key=order.index):
        head = f"  {t[how]}（{len(groups[how])}）：" if lang == "zh" else f"  {t[how]} ({len(groups[how])}): "
        lines += _wrapped(head, [_as(m, how, labels, lang, t) for m in groups[how]], t["sep"])
    return lines


def _wrapped(head: str, items: list[str], sep: str, width: int = 100) -> list[str]:
    """``head`` and the items joined by ``sep``, in lines of at most ``width`` terminal columns (a
    Chinese character takes two), continued under the first item."""
    indent = "    "
    lines, line = [], head
    for i, item in enumerate(items):
        piece = item + (sep if i < len(items) - 1 else "")
        if line.strip() and line != head and _columns(line + piece) > width:
            lines.append(line.rstrip())
            line = indent
        line += piece
    lines.append(line.rstrip())
    return lines


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _as(m: ColumnMatch, how: str, labels: dict[str, LocalText | None], lang: str, t: dict[str, str]) -> str:
    if m.header == m.target:
        return m.header
    target = m.target or ""
    # a label match shows the id; an id, alias or mapping match shows the label too
    shown = target if how in ("label_zh", "label_en", "carried") else _named(target, labels, lang)
    return f"{m.header}{t['arrow']}{shown}"


def _unused_line(m: ColumnMatch, labels: dict[str, LocalText | None], t: dict[str, str]) -> str:
    lang = "zh" if t["sep"] == "、" else "en"
    if m.how == "duplicate":
        return t["duplicate"].format(header=m.header, target=m.target, other=m.other)
    if m.how == "ambiguous":
        return t["ambiguous"].format(header=m.header, names=t["sep"].join(_named(c, labels, lang) for c in m.candidates))
    line = t["unknown"].format(header=m.header)
    if m.suggestions:
        line += t["suggest"].format(names=t["sep"].join(_named(s, labels, lang) for s in m.suggestions))
    return line


def _absent_line(a: AbsentField, lang: str, t: dict[str, str]) -> str:
    notes = []
    if a.required:
        notes.append(t["required"])
    if a.has_default:
        notes.append(t["default"])
    if a.rules:
        notes.append(t["rules"].format(ids=t["sep"].join(a.rules)))
    if a.inspection:
        notes.append(t["inspection"])
    if a.applies:
        notes.append(t["applies_when"])
    if not notes:
        notes.append(t["unused_field"])
    name = _named(a.name, {a.name: a.label}, lang)
    return f"{name}——{'；'.join(notes)}" if lang == "zh" else f"{name} — {'; '.join(notes)}"


def _absent_lines(packs: Sequence[PackColumns], lang: str, t: dict[str, str]) -> list[str]:
    if not any(p.absent for p in packs):
        return ["  " + t["all_present"]]
    lines = ["  " + t["absent_head"]]
    for p in packs:
        if not p.absent:
            continue
        head = f"{p.pack} {_pick(p.title, lang)}"
        applies = ""
        if p.applies is not None and p.rows:
            applies = t["applies_none"].format(rows=p.rows) if p.applies == 0 else \
                t["applies_some"].format(applies=p.applies, rows=p.rows)
        if len(p.absent) == p.fields:
            lines.append("    " + t["none_present"].format(pack=head, n=p.fields, applies=applies))
            continue
        lines.append("    " + t["absent_pack"].format(pack=head, n=len(p.absent), total=p.fields, applies=applies))
        if p.in_play:  # a pack that applies to no row: its absent fields decide nothing here
            lines += ["      " + _absent_line(a, lang, t) for a in p.absent]
    return lines
