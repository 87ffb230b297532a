"""Lint: a level without control measures, without a responsible tier, or without an inspection interval."""

from __future__ import annotations

from .context import LintContext


def level_settings(ctx: LintContext) -> None:
    pack = ctx.pack
    controls = pack.controls
    for i, level in enumerate(pack.levels):
        pointer = f"/levels/{i}/id"
        if not controls.by_level.get(level.id):
            ctx.report("RG610", pointer, level=level.id)
        if controls.tiers and level.id not in controls.responsible:
            ctx.report("RG612", pointer, level=level.id)
        if pack.inspection is None or level.id not in pack.inspection.interval_days:
            ctx.report("RG611", pointer, level=level.id)
