"""From the search's outcome to the ``Advice`` people read: the fixes with their words and costs,
and for a target out of reach the findings that stand in the way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from ..compiler.program import CompiledRule, Program
from .direction import BENEFICIAL
from .prepare import Prepared
from .results import Advice, AdvisedFix, Blocker
from .search import Outcome


@dataclass(frozen=True)
class _Words:
    """Per pack, built once: each fix and each possible blocker as the objects the advice holds."""

    fixes: tuple[AdvisedFix, ...]
    veto: dict[int, Blocker]  # rule index -> the rule as a veto floor
    other: dict[int, Blocker]  # rule index -> the rule by its raise or points
    score: Blocker | None  # the score's expressions (matrix, expr)
    labels: dict[str, Any]


def _words(prep: Prepared) -> _Words:
    cached = prep.program.cache.get("advise_words")
    if cached is None:
        cached = prep.program.cache["advise_words"] = _build_words(prep)
    return cached


def _build_words(prep: Prepared) -> _Words:
    program = prep.program
    fixes = tuple(AdvisedFix(id=f.id, field=f.field, to=f.to, action=f.action, cost=f.cost, days=f.days, by=f.by,
                             on_the_spot=f.on_the_spot, rule=f.rule, local_choice=f.local_choice)
                  for f in program.fixes)
    labels = {f.name: f.label for f in program.fields}
    uses_points = program.score.method != "matrix"
    veto, other = {}, {}
    for rule in program.rules:
        if prep.direction[rule.index] == BENEFICIAL:
            continue
        if rule.set_level is not None:
            level = program.levels[rule.set_level]
            veto[rule.index] = _blocker(rule, f"set_level:{level.id}", labels, level.label)
        if rule.raise_:
            other[rule.index] = _blocker(rule, f"raise:{rule.raise_}", labels)
        elif rule.points and uses_points:
            other[rule.index] = _blocker(rule, f"points:{rule.points:g}", labels)
    score = None
    if program.score.method in ("matrix", "expr"):
        reads = tuple(f.name for f, r in zip(program.fields, prep.score_reads) if r)
        score = Blocker(rule=None, effect="score", fields=reads, hazard=None,
                        field_labels=tuple(labels.get(f) for f in reads))
    return _Words(fixes, veto, other, score, {lv.id: lv.label for lv in program.levels})


def _blocker(rule: CompiledRule, effect: str, labels: dict[str, Any], level_label: Any = None) -> Blocker:
    fields = tuple(sorted(rule.when.fields))
    return Blocker(rule=rule.id, effect=effect, fields=fields, hazard=rule.hazard,
                   field_labels=tuple(labels.get(f) for f in fields), level_label=level_label)


def build_advice(prep: Prepared, outcome: Outcome, rows: np.ndarray, ids: list[Any], level: np.ndarray,
                 target: np.ndarray, hits: np.ndarray, kept: list[dict[str, Any]]) -> Iterator[tuple[int, Advice]]:
    """(row, Advice) for every row of ``rows``; ``kept``: per row, the input columns carried through."""
    program, words = prep.program, _words(prep)
    level_ids = [lv.id for lv in program.levels]
    pack, labels, fixes = program.pack_id, words.labels, words.fixes
    levels, reaches_all, goals = level.tolist(), outcome.reaches.tolist(), target.tolist()
    exact = outcome.exact.tolist()
    for i in rows.tolist():
        chosen = tuple(fixes[k] for k in outcome.fixes[i])
        reaches, goal = reaches_all[i], goals[i]
        reachable = reaches >= goal
        cost = days = 0.0
        for f in chosen:
            cost += f.cost
            days += f.days
        yield i, Advice(ids[i], pack, level_ids[levels[i]], level_ids[goal], reachable, level_ids[reaches], chosen,
                        cost, days, () if reachable else blockers_of(program, words, hits[i], outcome.free[i], goal),
                        exact[i], labels, kept[i])


def blockers_of(program: Program, words: _Words, hits: np.ndarray, free: np.ndarray, target: int) -> tuple[Blocker, ...]:
    """The fired findings that push the level and that no fix of the entity changes, most decisive
    first: vetoes more severe than the target, raises, then points (largest first); and the score's
    expressions when they decide the score."""
    out: list[tuple[tuple[int, float], Blocker]] = []
    for r in np.flatnonzero(hits & ~free).tolist():
        rule = program.rules[r]
        if r in words.veto and rule.set_level is not None and rule.set_level < target:
            out.append(((0, float(rule.set_level)), words.veto[r]))
        elif r in words.other:
            out.append(((1, -float(rule.raise_)) if rule.raise_ else (2, -abs(rule.points)), words.other[r]))
    if words.score is not None:
        out.append(((3, 0.0), words.score))
    out.sort(key=lambda kb: kb[0])
    return tuple(b for _, b in out)
