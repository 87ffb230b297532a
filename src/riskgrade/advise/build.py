"""From the search's outcome to the ``Advice`` people read: the fixes with their words and costs,
and for a target out of reach the findings that stand in the way."""

from __future__ import annotations

import numpy as np

from ..compiler.program import Program
from ..scoring.methods import declaration
from .direction import BENEFICIAL
from .prepare import Prepared
from .results import Advice, AdvisedFix, Blocker
from .search import Outcome


def advised_fix(program: Program, index: int) -> AdvisedFix:
    f = program.fixes[index]
    return AdvisedFix(id=f.id, field=f.field, to=f.to, action=f.action, cost=f.cost, days=f.days, by=f.by,
                      on_the_spot=f.on_the_spot, rule=f.rule, local_choice=f.local_choice)


def build_advice(prep: Prepared, outcome: Outcome, entity_id: str | None, level: int, target: int,
                 hits: np.ndarray) -> Advice:
    program = prep.program
    fixes = tuple(advised_fix(program, k) for k in outcome.fixes)
    reachable = outcome.reaches >= target
    blockers = () if reachable else blockers_of(prep, hits, outcome.free, target)
    return Advice(
        entity_id=entity_id, pack=program.pack_id, level=program.levels[level].id,
        target_level=program.levels[target].id, reachable=reachable,
        reaches_level=program.levels[outcome.reaches].id, fixes=fixes,
        total_cost=float(sum(f.cost for f in fixes)), total_days=float(sum(f.days for f in fixes)),
        blocked_by=blockers, exact=outcome.exact, level_labels={lv.id: lv.label for lv in program.levels})


def blockers_of(prep: Prepared, hits: np.ndarray, free: np.ndarray, target: int) -> tuple[Blocker, ...]:
    """The fired findings that push the level and that no fix of the entity changes, most decisive
    first: vetoes more severe than the target, raises, then points (largest first); and the score's
    expressions when they decide the score and read only facts."""
    program = prep.program
    labels = {f.name: f.label for f in program.fields}
    uses_points = declaration(program.score.method).name != "matrix"
    out: list[tuple[tuple[int, float], Blocker]] = []
    for rule in program.rules:
        if not hits[rule.index] or free[rule.index] or prep.direction[rule.index] == BENEFICIAL:
            continue
        fields = tuple(sorted(rule.when.fields))
        effect, key = None, (9, 0.0)
        if rule.set_level is not None and rule.set_level < target:
            effect, key = f"set_level:{program.levels[rule.set_level].id}", (0, float(rule.set_level))
        elif rule.raise_:
            effect, key = f"raise:{rule.raise_}", (1, -float(rule.raise_))
        elif rule.points and uses_points:
            effect, key = f"points:{rule.points:g}", (2, -abs(rule.points))
        if effect is not None:
            out.append((key, Blocker(rule=rule.id, effect=effect, fields=fields, hazard=rule.hazard,
                                     field_labels=tuple(labels.get(f) for f in fields))))
    if program.score.method in ("matrix", "expr"):
        reads = tuple(f.name for f, r in zip(program.fields, prep.score_reads) if r)
        out.append(((3, 0.0), Blocker(rule=None, effect="score", fields=reads,
                                       field_labels=tuple(labels.get(f) for f in reads))))
    out.sort(key=lambda kb: kb[0])
    return tuple(b for _, b in out)
