"""Which way a rule pushes the level when it fires: never less severe (harmful), never more severe
(beneficial), or either (mixed), read from its effects, the score method and the bands.

This is what lets the advice leave out fixes that cannot help and prove a target out of reach; it
never decides a grade (the engines do). A rule whose direction cannot be told is ``MIXED``, which
only makes the search look further.
"""

from __future__ import annotations

import numpy as np

from ..compiler.program import CompiledRule, Program

HARMFUL, BENEFICIAL, MIXED = 0, 1, 2


def band_trend(program: Program) -> tuple[bool, bool]:
    """(a higher score is never less severe, a higher score is never more severe)."""
    levels = [level for _, _, level in sorted(program.score.bands)]
    steps = list(zip(levels, levels[1:]))
    return all(b <= a for a, b in steps), all(b >= a for a, b in steps)


def _score_sign(program: Program, rule: CompiledRule) -> int | None:
    """How the score moves when ``rule`` fires, whatever else fired: +1 up or equal, -1 down or
    equal, 0 not at all, None either way."""
    method, p, score = program.score.method, rule.points, program.score
    if method == "matrix":
        return 0
    if method in ("sum", "deduct", "expr") and p == 0:
        return 0
    if method == "sum":  # per-group caps are min(total, cap): monotone in every rule's points
        return 1 if p > 0 else -1
    if method == "deduct":
        return -1 if p > 0 else 1
    if method == "max":
        return 1 if p >= score.base else None
    if method == "product":
        return 1 if score.base >= 0 and all(r.points >= 1 for r in program.rules) else None
    return None  # expr: rule_points feed an arbitrary expression


def rule_direction(program: Program, rule: CompiledRule) -> int:
    up, down = band_trend(program)
    effects: set[int] = set()
    if rule.set_level is not None or rule.raise_:
        effects.add(HARMFUL)
    if rule.lower:
        effects.add(BENEFICIAL)
    sign = _score_sign(program, rule)
    if sign is None:
        effects.add(MIXED)
    elif sign and not (up and down):  # with one level for every score, the score cannot matter
        worse = up if sign > 0 else down
        better = down if sign > 0 else up
        effects.add(HARMFUL if worse else BENEFICIAL if better else MIXED)
    if MIXED in effects or effects == {HARMFUL, BENEFICIAL}:
        return MIXED
    return BENEFICIAL if effects == {BENEFICIAL} else HARMFUL


def directions(program: Program) -> np.ndarray:
    """Per rule: HARMFUL, BENEFICIAL or MIXED (a rule with no effect on the level counts as harmful)."""
    return np.array([rule_direction(program, r) for r in program.rules], dtype=np.int8)
