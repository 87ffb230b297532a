"""Lint: banded lookup tables whose thresholds are out of order, overlap (an ambiguous lookup: error)
or leave gaps (a value there finds nothing)."""

from __future__ import annotations

import math

from .context import LintContext, fmt


def banded_tables(ctx: LintContext) -> None:
    for name, table in ctx.pack.tables.items():
        if table.kind != "banded":
            continue
        pointer = f"/tables/{name}/bands"
        bands = [(-math.inf if b.min is None else b.min, math.inf if b.max is None else b.max, i)
                 for i, b in enumerate(table.bands)]
        for (lo1, _, _), (lo2, _, i2) in zip(bands, bands[1:]):
            if lo2 < lo1:
                ctx.report("RG613", f"{pointer}/{i2}", name=name, index=i2 + 1, lo=fmt(lo2))
                break
        ordered = sorted(bands)
        for (_, hi1, _), (lo2, hi2, i2) in zip(ordered, ordered[1:]):
            if lo2 < hi1:
                ctx.report("RG614", f"{pointer}/{i2}", name=name, lo=fmt(lo2), hi=fmt(min(hi1, hi2)))
            elif lo2 > hi1:
                ctx.report("RG615", f"{pointer}/{i2}", name=name, lo=fmt(hi1), hi=fmt(lo2))
