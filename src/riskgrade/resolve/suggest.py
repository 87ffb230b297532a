"""A suggested registry mapping (``riskgrade map``): every column of an input with what it was matched
to and how, for a person to confirm before grading with ``--map``.

Columns matched by id, label, alias or a built-in name are written as they will be used. A column that
only resembles a field, and a column no field is close to, is written commented out: nothing that was
not an exact match is used until a person removes the ``#``. Values of category and yes/no columns
that no code, label or synonym spells are listed the same way, with the closest code if any.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import yaml

from ..compiler.program import CompiledField
from ..model.common import LocalText
from ..table.names import closest, word_key
from .headers import ColumnPlan, Names
from .values import ValueMap

_HOW = {
    "id": "the field id", "label_zh": "the field's Chinese label", "label_en": "the field's English label",
    "alias": "a name the pack declares", "builtin": "a built-in name of the id and jurisdiction columns",
    "mapping": "your mapping", "id_column": "--id-column",
}
MAX_VALUES = 50  # unknown values listed per field


def suggestion_text(source: str, plan: ColumnPlan, names: Names,
                    unknown_values: Mapping[str, Mapping[str, int]],
                    fields: Mapping[str, CompiledField], value_maps: Mapping[str, ValueMap]) -> str:
    """The mapping file's text (see the module docstring)."""
    lines = [
        f"# Registry mapping suggested by `riskgrade map` for {source}.",
        "# Check every line. Lines starting with # are not used: a column that only resembles a field",
        "# (\"close\") or that no field is close to (\"unknown\") is used only after you remove the #,",
        "# naming the field it holds, or null for a column that is not used. Then grade with --map.",
        "columns:",
    ]
    for m in plan.matches:
        key = _key(m.header)
        if m.used and m.target is not None:
            lines.append(f"  {key}: {_key(m.target)}  # {_HOW.get(m.how, m.how)}{_label(names, m.target)}")
        elif m.how == "ignored":
            lines.append(f"  {key}: null  # your mapping: not used")
        elif m.how == "duplicate":
            lines.append(f"  # {key}: {_key(m.target or '')}  # duplicate: column '{m.other}' already gives it")
        elif m.how == "ambiguous":
            lines.append(f"  # {key}: ?  # ambiguous: one of {', '.join(m.candidates)}")
        elif m.suggestions:
            best = m.suggestions[0]
            others = f" (or {', '.join(m.suggestions[1:])})" if len(m.suggestions) > 1 else ""
            lines.append(f"  # {key}: {best}  # close{_label(names, best)}{others}: check, then remove the #")
        else:
            lines.append(f"  # {key}: null  # unknown: no field is close; name the field it holds, or keep null")
    lines += _values(unknown_values, fields, value_maps)
    return "\n".join(lines) + "\n"


def _values(unknown: Mapping[str, Mapping[str, int]], fields: Mapping[str, CompiledField],
            value_maps: Mapping[str, ValueMap]) -> list[str]:
    if not any(unknown.values()):
        return ["values: {}"]
    lines = ["values:  # cells that no code, label or synonym of the field spells"]
    for name, counts in unknown.items():
        if not counts:
            continue
        f, vm = fields[name], value_maps[name]
        allowed = "true, false" if f.kind == "boolean" else ", ".join(f.values or ())
        lines.append(f"  {_key(name)}:  # {allowed}")
        for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_VALUES]:
            near = closest(word_key(value), vm.words, n=1, cutoff=0.6)
            rows = f"{n} row" + ("s" if n > 1 else "")
            if near:
                code = vm.words[near[0]]
                lines.append(f"    # {_key(value)}: {code}  # close ({rows}): check, then remove the #")
            else:
                lines.append(f"    # {_key(value)}: ?  # unknown ({rows}): write the code it stands for")
        if len(counts) > MAX_VALUES:
            lines.append(f"    # … and {len(counts) - MAX_VALUES} more")
    return lines


def unknown_cells(values: Iterable[object], vm: ValueMap, counts: dict[str, int]) -> None:
    """Count the text cells of a column that ``vm`` does not resolve (into ``counts``)."""
    for v in values:
        if isinstance(v, str) and v.strip() and v not in vm.exact and vm.get(v) is None:
            counts[v] = counts.get(v, 0) + 1


def _label(names: Names, target: str) -> str:
    t = names.targets.get(target)
    label: LocalText | None = t.label if t is not None else None
    text = label.get("zh") if label is not None else ""
    return f" — {text}" if text else ""


def _key(text: str) -> str:
    """``text`` as a YAML key or value that reads back as exactly this text (quoted when needed)."""
    try:
        plain = yaml.safe_load(f"{text}: x")
    except yaml.YAMLError:
        plain = None
    if isinstance(plain, dict) and list(plain) == [text]:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plan_fields(programs: Sequence[object]) -> dict[str, CompiledField]:
    """The category and yes/no fields of the packs, by name (the first pack's declaration)."""
    out: dict[str, CompiledField] = {}
    for p in programs:
        for f in p.fields:  # type: ignore[attr-defined]
            if f.kind in ("category", "boolean"):
                out.setdefault(f.name, f)
    return out
