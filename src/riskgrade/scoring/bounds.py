"""The lowest and highest score each method can give a pack's entities (the linter's implementations,
used to find levels that no entity can reach). ±inf where a method cannot tell."""

from __future__ import annotations

import math

from ..compiler.program import Program
from .methods import implements


def _points_range(program: Program) -> tuple[float, float]:
    """Lowest and highest capped total of fired points."""
    spec = program.score
    lo = hi = 0.0
    for g, cap in zip(spec.groups, spec.caps):
        points = [r.points for r in program.rules if r.group == g]
        neg, pos = sum(p for p in points if p < 0), sum(p for p in points if p > 0)
        lo += neg if cap is None else min(neg, cap)
        hi += pos if cap is None else min(pos, cap)
    return lo, hi


@implements("sum", "bounds")
def sum_bounds(program: Program) -> tuple[float, float]:
    lo, hi = _points_range(program)
    return program.score.base + lo, program.score.base + hi


@implements("deduct", "bounds")
def deduct_bounds(program: Program) -> tuple[float, float]:
    lo, hi = _points_range(program)
    return program.score.base - hi, program.score.base - lo


@implements("max", "bounds")
def max_bounds(program: Program) -> tuple[float, float]:
    points = [r.points for r in program.rules] + [program.score.base]
    return min(points), max(points)


@implements("matrix", "bounds")
def matrix_bounds(program: Program) -> tuple[float, float]:
    cells = [c for row in program.score.matrix or () for c in row]
    return (min(cells), max(cells)) if cells else (-math.inf, math.inf)


@implements("product", "bounds")
@implements("expr", "bounds")
def unbounded(program: Program) -> tuple[float, float]:
    return -math.inf, math.inf
