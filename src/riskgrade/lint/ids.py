"""Lint: ids used twice where the compiler does not already catch it (basis, examples, modifiers,
campaigns). Rule and level ids are the compiler's (RG310, RG305)."""

from __future__ import annotations

from typing import Iterable

from .context import LintContext

_KINDS = {"basis": "基准文件", "example": "用例", "modifier": "检查周期调整", "campaign": "专项行动"}


def _twice(ctx: LintContext, what: str, items: Iterable[tuple[str, str]]) -> None:
    seen: set[str] = set()
    for ident, pointer in items:
        if ident in seen:
            ctx.report("RG606", pointer, what=what, what_zh=_KINDS[what], id=ident)
        seen.add(ident)


def duplicate_ids(ctx: LintContext) -> None:
    pack = ctx.pack
    _twice(ctx, "basis", ((b.id, f"/basis/{i}/id") for i, b in enumerate(pack.basis)))
    _twice(ctx, "example", ((e.id, f"/examples/{i}/id") for i, e in enumerate(pack.examples)))
    if pack.inspection is not None:
        _twice(ctx, "modifier", ((m.id, f"/inspection/modifiers/{i}/id")
                                 for i, m in enumerate(pack.inspection.modifiers)))
        _twice(ctx, "campaign", ((c.id, f"/inspection/campaigns/{i}/id")
                                 for i, c in enumerate(pack.inspection.campaigns)))
