"""Impact analysis of a pack change (``riskgrade diff``): grade one population with two versions."""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from .impact import PackImpact, compare, grade_side
from .report import render_json, render_markdown, render_text
from .sources import load_version


def diff_packs(old: Any, new: Any, entities: Any, *, as_of: dt.date,
               params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The impact report (a JSON-able dict) of going from ``old`` to ``new`` packs (Program lists, or
    specs for ``load_version``: a file, a folder, ``REV:path``) on the ``entities`` population."""
    old_programs = load_version(old) if isinstance(old, str) else list(old)
    new_programs = load_version(new) if isinstance(new, str) else list(new)
    a = grade_side(old_programs, entities, as_of, params)
    b = grade_side(new_programs, entities, as_of, params)
    return {
        "old": str(old) if isinstance(old, str) else None, "new": str(new) if isinstance(new, str) else None,
        "entities": str(entities) if isinstance(entities, str) else None, "as_of": as_of.isoformat(),
        "population": a.rows_in, "packs": [impact.to_dict() for impact in compare(a, b)],
    }


__all__ = ["PackImpact", "compare", "diff_packs", "grade_side", "load_version", "render_json",
           "render_markdown", "render_text"]
