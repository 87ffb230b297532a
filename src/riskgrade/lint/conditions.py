"""Lint: rule (and modifier, applies_when) conditions that can never be true, or are always true
when their data is known — judged from the declared bounds and category values (``intervals``)."""

from __future__ import annotations

from ..compiler.program import CompiledExpr
from .context import LintContext, fmt
from .intervals import Reasoner, Span


def _why(reasoner: Reasoner, cexpr: CompiledExpr) -> str:
    """The declared domains of the inputs the condition reads, e.g. ``exits: 0 … inf``."""
    parts = []
    for name in sorted(cexpr.fields):
        domain = reasoner.box.get(name)
        if isinstance(domain, Span):
            parts.append(f"{name}: {fmt(domain.lo)} … {fmt(domain.hi)}")
        elif isinstance(domain, frozenset):
            parts.append(f"{name}: {', '.join(sorted(map(str, domain)))}")
    return "; ".join(parts) or "-"


def _conditions(ctx: LintContext):  # noqa: ANN202 - (pointer, rule id, compiled condition)
    program = ctx.program
    assert program is not None
    if program.applies_when is not None:
        yield "/applies_when", "", program.applies_when
    for rule in program.rules:
        yield rule.when.pointer, rule.id, rule.when
    if program.inspection is not None:
        for m in program.inspection.modifiers:
            assert m.when is not None
            yield m.when.pointer, "", m.when


def conditions(ctx: LintContext) -> None:
    if ctx.program is None:
        return
    reasoner = Reasoner(ctx.program)
    for pointer, rule_id, cexpr in _conditions(ctx):
        if not reasoner.possible(cexpr.node, True):
            ctx.report("RG604", pointer, rule_id=rule_id, why=_why(reasoner, cexpr))
        elif not reasoner.possible(cexpr.node, False):
            ctx.report("RG605", pointer, rule_id=rule_id)
