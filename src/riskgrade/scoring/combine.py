"""From the (entities × rules) hit matrix to scores and levels, in numpy.

Precedence, applied in this order (the one place it is implemented for the batch engine; the
reference engine restates it in plain Python):

1. score by the pack's method (each method's numpy implementation is here, registered with
   ``scoring.methods``): from the fired rules (``sum``, ``deduct``, ``max``, ``product``) or from
   expressions (``matrix``, ``expr``);
2. band level: the band that holds the score (an unknown score gives the least severe level, or the
   most severe under ``on_missing: worst``);
3. vetoes: the most severe of the band level and every fired ``set_level``;
4. shifts: the net of fired ``raise`` minus ``lower``, clamped to the scale, and never less severe
   than a fired veto (a veto is a floor).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..compiler.program import CompiledScore, Program
from .methods import implements

Column = Callable[..., Any]  # column(expr, rule_points=None) -> the expression's value for every entity


def _members(program: Program) -> list[tuple[list[tuple[int, float]], float | None]]:
    """Per score group in order: its (rule index, points) and its cap. Cached on the program."""
    cached = program.cache.get("score_groups")
    if cached is None:
        index = {g: i for i, g in enumerate(program.score.groups)}
        cached = [([], cap) for cap in program.score.caps]
        for rule in program.rules:
            if rule.points:
                cached[index[rule.group]][0].append((rule.index, rule.points))
        program.cache["score_groups"] = cached
    return cached


def accumulate(program: Program, hits: np.ndarray, start: float, sign: float) -> np.ndarray:
    """``start`` plus (or minus) each group's capped total of fired points, groups in order.

    Adding ``points * False`` (a signed zero) leaves a value unchanged, so this performs exactly the
    additions the reference engine performs, in the same order: the results are bit-identical.
    """
    out = np.full(hits.shape[0], start)
    for members, cap in _members(program):
        if len(members) == 1 and cap is None:
            r, p = members[0]
            out += sign * (p * hits[:, r]) if sign < 0 else p * hits[:, r]
            continue
        total = np.zeros(hits.shape[0])
        for r, p in members:
            total += p * hits[:, r]
        if cap is not None:
            np.minimum(total, cap, out=total)
        out += total if sign > 0 else -total
    return out


def rule_points(program: Program, hits: np.ndarray) -> np.ndarray:
    return accumulate(program, hits, 0.0, 1.0)


@implements("sum", "batch")
def sum_points(program: Program, hits: np.ndarray, column: Column) -> np.ndarray:
    return accumulate(program, hits, program.score.base, 1.0)


@implements("deduct", "batch")
def deduct_points(program: Program, hits: np.ndarray, column: Column) -> np.ndarray:
    return accumulate(program, hits, program.score.base, -1.0)


@implements("max", "batch")
def max_points(program: Program, hits: np.ndarray, column: Column) -> np.ndarray:
    best = np.full(hits.shape[0], -np.inf)
    for rule in program.rules:
        best = np.where(hits[:, rule.index], np.maximum(best, rule.points), best)
    return np.where(np.isneginf(best), program.score.base, best)


@implements("product", "batch")
def product_points(program: Program, hits: np.ndarray, column: Column) -> np.ndarray:
    """Per group the largest fired points; groups where nothing fired count as 1."""
    score = program.score
    n = hits.shape[0]
    out = np.full(n, score.base)
    index = {g: i for i, g in enumerate(score.groups)}
    best = [np.full(n, -np.inf) for _ in score.groups]
    for rule in program.rules:
        g = index[rule.group]
        best[g] = np.where(hits[:, rule.index], np.maximum(best[g], rule.points), best[g])
    for b in best:
        out = out * np.where(np.isneginf(b), 1.0, b)
    return out


@implements("matrix", "batch")
def matrix_cell(program: Program, hits: np.ndarray, column: Column) -> np.ndarray:
    score = program.score
    assert score.likelihood is not None and score.severity is not None
    likelihood, severity = column(score.likelihood), column(score.severity)
    m = np.array(score.matrix, dtype=np.float64)
    rows, cols = m.shape
    ok = (np.isfinite(likelihood) & np.isfinite(severity)
          & (likelihood == np.floor(likelihood)) & (severity == np.floor(severity))
          & (likelihood >= 1) & (likelihood <= rows) & (severity >= 1) & (severity <= cols))
    li = np.where(ok, likelihood, 1).astype(np.int64) - 1
    si = np.where(ok, severity, 1).astype(np.int64) - 1
    return np.where(ok, m[li, si], np.nan)


@implements("expr", "batch")
def expression(program: Program, hits: np.ndarray, column: Column) -> np.ndarray:
    assert program.score.expr is not None
    return column(program.score.expr, rule_points(program, hits))


def band_levels(score: CompiledScore, values: np.ndarray, unknown_level: int) -> np.ndarray:
    out = np.full(values.shape, unknown_level, dtype=np.int64)
    for lo, hi, level in score.bands:
        out[(values >= lo) & (values < hi)] = level
    return out


def final_levels(program: Program, band: np.ndarray, hits: np.ndarray) -> np.ndarray:
    n_levels = len(program.levels)
    veto = np.full(band.shape, n_levels, dtype=np.int64)  # n_levels = no veto
    shift = np.zeros(band.shape, dtype=np.int64)
    for rule in program.rules:
        fired = hits[:, rule.index]
        if rule.set_level is not None:
            veto = np.where(fired, np.minimum(veto, rule.set_level), veto)
        if rule.raise_ or rule.lower:
            shift = shift + np.where(fired, rule.raise_ - rule.lower, 0)
    level = np.minimum(band, veto)
    level = np.clip(level - shift, 0, n_levels - 1)
    return np.minimum(level, veto)
