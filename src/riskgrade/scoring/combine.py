"""From the (entities × rules) hit matrix to scores and levels, in numpy.

Precedence, applied in this order (the one place it is implemented for the batch engine; the
reference engine restates it in plain Python):

1. score from the fired rules (``sum``, ``deduct``, ``max``, ``product``) or from expressions
   (``matrix``, ``expr``);
2. band level: the band that holds the score (an unknown score gives the least severe level, or the
   most severe under ``on_missing: worst``);
3. vetoes: the most severe of the band level and every fired ``set_level``;
4. shifts: the net of fired ``raise`` minus ``lower``, clamped to the scale, and never less severe
   than a fired veto (a veto is a floor).
"""

from __future__ import annotations

import numpy as np

from ..compiler.program import CompiledScore, Program


def group_totals(program: Program, hits: np.ndarray) -> list[np.ndarray]:
    """Per score group, the capped sum of fired points (rules in declaration order)."""
    score = program.score
    index = {g: i for i, g in enumerate(score.groups)}
    totals = [np.zeros(hits.shape[0]) for _ in score.groups]
    for rule in program.rules:
        if rule.points:
            # in place, only where fired: the same additions, in the same order, as the reference
            np.add(totals[index[rule.group]], rule.points, out=totals[index[rule.group]],
                   where=hits[:, rule.index])
    return [t if cap is None else np.minimum(t, cap) for t, cap in zip(totals, score.caps)]


def rule_points(program: Program, hits: np.ndarray) -> np.ndarray:
    total = np.zeros(hits.shape[0])
    for t in group_totals(program, hits):
        total = total + t
    return total


def score_from_hits(program: Program, hits: np.ndarray) -> np.ndarray:
    """Scores of the rule-point methods (sum, deduct, max, product)."""
    score = program.score
    n = hits.shape[0]
    if score.method in ("sum", "deduct"):
        out = np.full(n, score.base)
        for t in group_totals(program, hits):
            out = out + t if score.method == "sum" else out - t
        return out
    if score.method == "max":
        best = np.full(n, -np.inf)
        for rule in program.rules:
            best = np.where(hits[:, rule.index], np.maximum(best, rule.points), best)
        return np.where(np.isneginf(best), score.base, best)
    # product: per group the largest fired points; groups where nothing fired count as 1
    out = np.full(n, score.base)
    index = {g: i for i, g in enumerate(score.groups)}
    best = [np.full(n, -np.inf) for _ in score.groups]
    for rule in program.rules:
        g = index[rule.group]
        best[g] = np.where(hits[:, rule.index], np.maximum(best[g], rule.points), best[g])
    for b in best:
        out = out * np.where(np.isneginf(b), 1.0, b)
    return out


def matrix_score(score: CompiledScore, likelihood: np.ndarray, severity: np.ndarray) -> np.ndarray:
    m = np.array(score.matrix, dtype=np.float64)
    rows, cols = m.shape
    ok = (np.isfinite(likelihood) & np.isfinite(severity)
          & (likelihood == np.floor(likelihood)) & (severity == np.floor(severity))
          & (likelihood >= 1) & (likelihood <= rows) & (severity >= 1) & (severity <= cols))
    li = np.where(ok, likelihood, 1).astype(np.int64) - 1
    si = np.where(ok, severity, 1).astype(np.int64) - 1
    return np.where(ok, m[li, si], np.nan)


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
