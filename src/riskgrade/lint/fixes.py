"""Lint: fixes that cannot do what they are declared for — a fix of a field that nothing grading
reads, a rule's fix of a field the rule does not read, a fix after which a rule still fires whatever
else is true (judged from the declared bounds and values, as ``conditions`` judges conditions)."""

from __future__ import annotations

import math

from ..compiler.program import CompiledFix, CompiledRule, Program
from .context import LintContext
from .intervals import Reasoner, Span


def _read_by_grading(program: Program) -> set[str]:
    read = {f for r in program.rules for f in r.when.fields}
    for cexpr in (program.score.expr, program.score.likelihood, program.score.severity):
        if cexpr is not None:
            read |= cexpr.fields
    return read


def _pushes_up(rule: CompiledRule) -> bool:
    """The rule makes the level more severe when it fires (a veto, a raise or points), never less."""
    return not rule.lower and (rule.set_level is not None or rule.raise_ > 0 or rule.points > 0)


def _still_fires(reasoner: Reasoner, fix: CompiledFix, rule: CompiledRule) -> bool:
    """With the field at the fix's value, can the rule's condition be false for some known data?"""
    value = fix.value
    if fix.field not in reasoner.box or fix.as_of_days is not None or fix.to_field is not None:
        return False  # dates and free text: not modelled, so no verdict
    if isinstance(value, (bool, str)):
        domain: object = frozenset((value,))
    elif isinstance(value, float) and math.isfinite(value):
        domain = Span(value, value)
    else:
        return False
    box = {**reasoner.box, fix.field: domain}
    return not reasoner.possible(rule.when.node, False, box)


def fixes(ctx: LintContext) -> None:
    program = ctx.program
    if program is None or not program.fixes:
        return
    read = _read_by_grading(program)
    rules = {r.id: r for r in program.rules}
    reasoner = Reasoner(program)
    for fix in program.fixes:
        rule = rules.get(fix.rule) if fix.rule else None
        if fix.field not in read:
            ctx.report("RG640", fix.pointer, rule_id=fix.rule or "", field=fix.field)
            continue
        if rule is not None and fix.field not in rule.when.fields:
            ctx.report("RG641", fix.pointer, rule_id=rule.id, field=fix.field, rule=rule.id)
            continue
        for other in [rule] if rule is not None else program.rules:
            if fix.field in other.when.fields and _pushes_up(other) and _still_fires(reasoner, fix, other):
                ctx.report("RG642", fix.pointer, rule_id=fix.rule or "", field=fix.field, to=fix.to, rule=other.id)
