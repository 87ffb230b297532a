"""Run every lint over a pack and collect the findings."""

from __future__ import annotations

from typing import Callable

from ..compiler.program import Program
from ..source.pack_source import PackSource
from .bands import band_order, unreachable_levels, unused_caps
from .basis import basis
from .conditions import conditions
from .confusables import confusable_ids
from .context import LintContext
from .findings import Finding, sort_findings
from .fixes import fixes
from .ids import duplicate_ids
from .levels import level_settings
from .tables import banded_tables
from .usage import unused

# name -> lint; the names double as test targets. Lints needing the compiled program skip without it.
LINTS: dict[str, Callable[[LintContext], None]] = {
    "band_order": band_order,
    "unreachable_levels": unreachable_levels,
    "unused_caps": unused_caps,
    "conditions": conditions,
    "duplicate_ids": duplicate_ids,
    "unused": unused,
    "level_settings": level_settings,
    "banded_tables": banded_tables,
    "basis": basis,
    "confusable_ids": confusable_ids,
    "fixes": fixes,
}


def lint_pack(src: PackSource, program: Program | None = None) -> list[Finding]:
    """Every lint finding for a validated pack (``program``: the same pack compiled, if it compiles)."""
    ctx = LintContext(src, program)
    for lint in LINTS.values():
        lint(ctx)
    return sort_findings(ctx.findings)
