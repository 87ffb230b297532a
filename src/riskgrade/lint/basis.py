"""Lint: rules that cite no basis, and citations of basis ids the pack does not declare.

A citation is ``ID clause``; several are separated by ``;`` (``GB35181-2017 6.2; FIRE-LAW art. 61``).
The id is the first word of each part.
"""

from __future__ import annotations

from typing import Iterator

from ..model import Pack
from .context import LintContext


def cited_ids(text: str) -> list[str]:
    """The basis ids a citation names, in order."""
    return [part.split()[0] for part in text.split(";") if part.split()]


def _citations(pack: Pack) -> Iterator[tuple[str, str, str]]:
    """(pointer, rule id, citation text) of every ``basis`` citation in the pack."""
    for name, d in pack.derive.items():
        yield f"/derive/{name}/basis", "", d.basis or ""
    for name, t in pack.tables.items():
        yield f"/tables/{name}/basis", "", t.basis or ""
    for i, r in enumerate(pack.rules):
        yield f"/rules/{i}/basis", r.id, r.basis or ""
    yield "/score/basis", "", pack.score.basis or ""
    for name, m in pack.controls.measures.items():
        yield f"/controls/measures/{name}/basis", "", m.basis or ""
    if pack.inspection is not None:
        yield "/inspection/basis", "", pack.inspection.basis or ""
        for i, m in enumerate(pack.inspection.modifiers):
            yield f"/inspection/modifiers/{i}/basis", "", m.basis or ""
        for i, c in enumerate(pack.inspection.campaigns):
            yield f"/inspection/campaigns/{i}/basis", "", c.basis or ""


def basis(ctx: LintContext) -> None:
    pack = ctx.pack
    for i, rule in enumerate(pack.rules):
        if not (rule.basis or "").strip():
            ctx.report("RG616", f"/rules/{i}/id", rule_id=rule.id)
    declared = [b.id for b in pack.basis]
    shown = ", ".join(declared) or "—"
    for pointer, rule_id, text in _citations(pack):
        for cited in cited_ids(text):
            if cited not in declared:
                ctx.report("RG617", pointer, rule_id=rule_id, cited=cited, declared=shown)
