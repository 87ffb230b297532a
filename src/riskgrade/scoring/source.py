"""The score methods as Python source for one entity: the compiled engine's implementations.

Each writes the statements that compute an entity's score into the generated function and returns
the local that holds it (``None``: unknown). They restate the reference implementations
(``scoring.plain``) operation for operation, in the same order, so the two give identical scores.
What they are handed: ``src`` (``expr.lower_python.Source``), ``fired`` (``Fired``: the locals
saying which rules fired and each group's points) and ``value(expr, rule_points=None)``, which
writes an expression of the pack and returns the local holding its value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..compiler.program import Program
from ..expr.lower_python import Source, literal, may_be_none
from .methods import implements

Value = Callable[..., str]


@dataclass(frozen=True)
class Fired:
    """What the generated function knows once every rule has run: per rule, the local that says
    whether it fired; per score group, the local holding the points of its fired rules, added in
    rule order as they fired (before any cap)."""

    hits: Sequence[str]
    totals: Sequence[str]


def group_totals(program: Program, src: Source, fired: Fired) -> list[str]:
    """Per score group in order, the capped total of its fired rules' points (an expression)."""
    return [total if cap is None else f"min({total}, {literal(cap)})" for total, cap in zip(fired.totals, program.score.caps)]


def _fold(program: Program, src: Source, fired: Fired, op: str) -> str:
    """base, then each group's capped total added (or taken away) in order, left to right."""
    score = src.temp("s")
    src.line(f"{score} = {literal(program.score.base)}" + "".join(f" {op} {t}" for t in group_totals(program, src, fired)))
    return score


@implements("sum", "compiled")
def sum_points(program: Program, src: Source, fired: Fired, value: Value) -> str:
    return _fold(program, src, fired, "+")


@implements("deduct", "compiled")
def deduct_points(program: Program, src: Source, fired: Fired, value: Value) -> str:
    return _fold(program, src, fired, "-")


@implements("max", "compiled")
def max_points(program: Program, src: Source, fired: Fired, value: Value) -> str:
    score = src.temp("s")
    pairs = "".join(f"({literal(r.points)}, {fired.hits[r.index]}), " for r in program.rules)
    src.line(f"{score} = max([p for p, h in ({pairs}) if h], default={literal(program.score.base)})")
    return score


@implements("product", "compiled")
def product_points(program: Program, src: Source, fired: Fired, value: Value) -> str:
    """Per group the largest fired points; groups where nothing fired count as 1."""
    spec = program.score
    best = {g: src.temp("b") for g in spec.groups}
    for local in best.values():
        src.line(f"{local} = None")
    for rule in program.rules:
        b, p = best[rule.group], literal(rule.points)
        src.line(f"if {fired.hits[rule.index]}: {b} = {p} if {b} is None else max({b}, {p})")
    score = src.temp("s")
    src.line(f"{score} = {literal(spec.base)}")
    for local in best.values():
        src.line(f"{score} = {score} * (1.0 if {local} is None else {local})")
    return score


@implements("matrix", "compiled")
def matrix_cell(program: Program, src: Source, fired: Fired, value: Value) -> str:
    spec = program.score
    assert spec.likelihood and spec.severity and spec.matrix
    li, si, score = value(spec.likelihood), value(spec.severity), src.temp("s")
    rows, cols = len(spec.matrix), len(spec.matrix[0])
    cells = src.constant(tuple(tuple(row) for row in spec.matrix))
    src.line(f"{score} = None")
    if "None" in (li, si):
        return score
    known = "".join(f"{x} is not None and " for x in (li, si) if may_be_none(x))
    src.line(f"if {known}float({li}).is_integer() and float({si}).is_integer() "
             f"and 1 <= {li} <= {rows} and 1 <= {si} <= {cols}: {score} = {cells}[int({li}) - 1][int({si}) - 1]")
    return score


@implements("expr", "compiled")
def expression(program: Program, src: Source, fired: Fired, value: Value) -> str:
    assert program.score.expr is not None
    points = src.temp("rp")
    src.line(f"{points} = 0.0" + "".join(f" + {t}" for t in group_totals(program, src, fired)))
    return value(program.score.expr, points)


def level_of(program: Program, src: Source, score: str) -> str:
    """The band level of a score (an unknown score: the least severe level, or the most severe under
    ``on_missing: worst``)."""
    band = src.temp("band")
    unknown = 0 if program.on_missing == "worst" else len(program.levels) - 1
    src.line(f"{band} = {literal(unknown)}")
    with src.block(f"if {score} is not None:"):
        for i, (lo, hi, level) in enumerate(program.score.bands):
            src.line(f"{'el' if i else ''}if {literal(float(lo))} <= {score} < {literal(float(hi))}: "
                     f"{band} = {literal(level)}")
    return band


__all__: list[Any] = ["Fired", "group_totals", "level_of"]
