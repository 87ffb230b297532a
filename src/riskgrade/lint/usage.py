"""Lint: fields, tables, control measures and tiers that are declared but that nothing uses."""

from __future__ import annotations

from typing import Iterator

from ..expr.parse import references
from ..model import DerivedGroups, Pack
from .context import LintContext


def expressions(pack: Pack) -> Iterator[tuple[str, str]]:
    """(pointer, text) of every expression in the pack."""
    if pack.applies_when is not None:
        yield "/applies_when", pack.applies_when
    for name, d in pack.derive.items():
        if isinstance(d, DerivedGroups):
            for value, text in d.values.items():
                yield f"/derive/{name}/values/{value}", text
        else:
            yield f"/derive/{name}/expr", d.expr
    for i, r in enumerate(pack.rules):
        yield f"/rules/{i}/when", r.when
    for key in ("expr", "likelihood", "severity"):
        text = getattr(pack.score, key)
        if text is not None:
            yield f"/score/{key}", text
    if pack.inspection is not None:
        for i, m in enumerate(pack.inspection.modifiers):
            yield f"/inspection/modifiers/{i}/when", m.when


def names_used(pack: Pack) -> set[str]:
    """Every name any expression reads (fields, tables, derived values, parameters, item fields)."""
    used: set[str] = set()
    for _, text in expressions(pack):
        used |= references(text)
    if pack.inspection is not None and pack.inspection.last_inspection:
        used.add(pack.inspection.last_inspection)
    used |= {d.group for d in pack.derive.values() if isinstance(d, DerivedGroups)}
    return used


def unused(ctx: LintContext) -> None:
    pack = ctx.pack
    used = names_used(pack)
    for name in pack.fields:
        if name not in used:
            ctx.report("RG607", f"/fields/{name}", key=True, name=name)
    for name in pack.tables:
        if name not in used:
            ctx.report("RG608", f"/tables/{name}", key=True, name=name)
    controls = pack.controls
    measures_used = {m for ms in controls.by_level.values() for m in ms} | {c for r in pack.rules for c in r.controls}
    for name in controls.measures:
        if name not in measures_used:
            ctx.report("RG609", f"/controls/measures/{name}", key=True, what="control measure",
                       what_zh="管控措施", name=name)
    tiers_used = set(controls.responsible.values())
    for name in controls.tiers:
        if name not in tiers_used:
            ctx.report("RG609", f"/controls/tiers/{name}", key=True, what="tier", what_zh="责任层级", name=name)
