"""Lints on score bands and levels: bands listed out of order, a higher score mapped to a lower risk,
levels that no score, veto or raise/lower can reach, and caps on groups no rule belongs to.

Gaps and overlaps between bands are compiler errors (RG308, RG309): a score there has no level or two.
"""

from __future__ import annotations

import math

from ..compiler.program import Program
from ..scoring.methods import declaration, implementation
from .context import LintContext, fmt


def band_order(ctx: LintContext) -> None:
    bands = ctx.pack.score.bands
    starts = [-math.inf if b.min is None else b.min for b in bands]
    ascending = all(a <= b for a, b in zip(starts, starts[1:]))
    descending = all(a >= b for a, b in zip(starts, starts[1:]))
    if not (ascending or descending):
        # the intended direction is the one from the first band to the last; report the first band
        # that goes against it
        up = starts[-1] >= starts[0]
        bad = next(i for i in range(1, len(starts)) if (starts[i] < starts[i - 1]) == up)
        ctx.report("RG601", f"/score/bands/{bad}")
    level_ids = {lv.id: i for i, lv in enumerate(ctx.pack.levels)}
    ordered = sorted((s, i, level_ids.get(b.level)) for i, (s, b) in enumerate(zip(starts, bands)))
    ranks = [(s, i, r) for s, i, r in ordered if r is not None]
    if len(ranks) < 2:
        return
    # the direction of the whole scale (lowest vs highest scores); each step must keep it
    direction = ranks[-1][2] - ranks[0][2]
    for (_, _, r1), (s2, i2, r2) in zip(ranks, ranks[1:]):
        if (r2 - r1) * direction < 0:
            levels = ctx.pack.levels
            ctx.report("RG602", f"/score/bands/{i2}/level", lo=fmt(s2), level=levels[r2].id, other=levels[r1].id)
            break


def score_range(program: Program) -> tuple[float, float]:
    """Lowest and highest score the pack's scoring can give (-inf/inf where it cannot tell)."""
    return implementation(program.score.method, "bounds")(program)


def reachable_levels(program: Program) -> set[int]:
    """Level indexes some entity can get (an over-approximation: a level outside is never given)."""
    n = len(program.levels)
    lo, hi = score_range(program)
    bands = {level for blo, bhi, level in program.score.bands if blo <= hi and bhi > lo}
    if declaration(program.score.method).may_be_missing:
        bands.add(0 if program.on_missing == "worst" else n - 1)
    vetoes = {r.set_level for r in program.rules if r.set_level is not None} | {n}
    up = sum(r.raise_ for r in program.rules)
    down = sum(r.lower for r in program.rules)
    out = set()
    for band in bands:
        for veto in vetoes:
            start = min(band, veto)
            for shift in range(-down, up + 1):
                out.add(min(min(max(start - shift, 0), n - 1), veto))
    return out


def unreachable_levels(ctx: LintContext) -> None:
    if ctx.program is None:
        return
    reachable = reachable_levels(ctx.program)
    for i, level in enumerate(ctx.pack.levels):
        if i not in reachable:
            ctx.report("RG603", f"/levels/{i}/id", level=level.id)


def unused_caps(ctx: LintContext) -> None:
    """The compiler's RG311 warning, which a successful compilation does not keep."""
    if ctx.program is None:
        return
    groups = {r.group for r in ctx.pack.rules if r.group is not None}
    for g in ctx.pack.score.caps:
        if g not in groups:
            ctx.report("RG311", f"/score/caps/{g}", key=True, group=g)
