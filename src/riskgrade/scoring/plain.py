"""The score methods in plain Python, one entity at a time: the reference engine's implementations.

They restate the numpy implementations (``scoring.combine``) independently, in the same order of
operations, so that the property tests can hold the two to identical scores.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from ..compiler.program import Program
from .methods import implements

Value = Callable[..., Any]  # value(expr, rule_points=None) -> the expression's value for the entity


def group_totals(program: Program, fired: list[Any]) -> list[float]:
    """Per score group in order, the points of its fired rules, capped."""
    totals = {g: 0.0 for g in program.score.groups}
    for rule in fired:
        if rule.points:
            totals[rule.group] += rule.points
    return [t if cap is None else min(t, cap) for t, cap in zip(totals.values(), program.score.caps)]


@implements("sum", "reference")
def sum_points(program: Program, fired: list[Any], value: Value) -> float:
    score = program.score.base
    for total in group_totals(program, fired):
        score = score + total
    return score


@implements("deduct", "reference")
def deduct_points(program: Program, fired: list[Any], value: Value) -> float:
    score = program.score.base
    for total in group_totals(program, fired):
        score = score - total
    return score


@implements("max", "reference")
def max_points(program: Program, fired: list[Any], value: Value) -> float:
    return max((r.points for r in fired), default=program.score.base)


@implements("product", "reference")
def product_points(program: Program, fired: list[Any], value: Value) -> float:
    best: dict[str, float] = {}
    for r in fired:
        best[r.group] = max(best.get(r.group, -math.inf), r.points)
    score = program.score.base
    for g in program.score.groups:
        score = score * best.get(g, 1.0)
    return score


@implements("matrix", "reference")
def matrix_cell(program: Program, fired: list[Any], value: Value) -> float | None:
    spec = program.score
    assert spec.likelihood and spec.severity and spec.matrix
    li, si = value(spec.likelihood), value(spec.severity)
    rows, cols = len(spec.matrix), len(spec.matrix[0])
    if li is None or si is None or not (float(li).is_integer() and float(si).is_integer()
                                        and 1 <= li <= rows and 1 <= si <= cols):
        return None
    return spec.matrix[int(li) - 1][int(si) - 1]


@implements("expr", "reference")
def expression(program: Program, fired: list[Any], value: Value) -> float | None:
    assert program.score.expr is not None
    points = 0.0
    for total in group_totals(program, fired):
        points += total
    return value(program.score.expr, points)


def final_level(program: Program, band: int, fired: list[Any]) -> int:
    """Band level -> the most severe fired veto -> net raise/lower, clamped and never below a veto."""
    n_levels = len(program.levels)
    vetoes = [r.set_level for r in fired if r.set_level is not None]
    veto = min(vetoes) if vetoes else n_levels
    shift = sum(r.raise_ - r.lower for r in fired)
    level = min(max(min(band, veto) - shift, 0), n_levels - 1)
    return min(level, veto)
