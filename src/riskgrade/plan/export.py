"""The plan's visits as one Arrow table for csv / jsonl / parquet: planned and unplanned rows together.

Column names are stable identifiers (other systems parse them); ``level_label`` and ``reason_text``
carry the words in the language asked for.
"""

from __future__ import annotations

from typing import Sequence

import pyarrow as pa

from ..compiler.program import Program
from ._pandas import pandas
from .planner import REASONS
from .views import InspectionPlan


def visits_table(plan: InspectionPlan, packs: Program | Sequence[Program], lang: str = "zh") -> pa.Table:
    """Every visit of the plan: ``status`` planned (with date and slot) or unplanned (with reason)."""
    pd = pandas()
    programs = {p.pack_id: p for p in ([packs] if isinstance(packs, Program) else packs)}
    labels = {(pid, lv.id): lv.label.get(lang) for pid, p in programs.items() for lv in p.levels}
    planned = plan.planned.assign(status="planned", reason=None)
    unplanned = plan.unplanned.assign(status="unplanned", date=pd.NaT, slot=pd.NA, overdue_days=pd.NA)
    rows = pd.concat([planned, unplanned], ignore_index=True)
    rows["level_label"] = [labels.get((p, lv), lv) for p, lv in zip(rows["pack"], rows["level"])]
    rows["reason_text"] = [None if r is None or r != r else REASONS[r][0 if lang == "zh" else 1] for r in rows["reason"]]
    first = ["status", "date", plan.unit, "slot", "entity_id", "name"]
    rows = rows[first + [c for c in rows.columns if c not in first]]
    for c in ("date", "due"):
        rows[c] = pd.to_datetime(rows[c]).dt.date
    for c in ("slot", "overdue_days", "overdue_days_at_end", "rank", "visit", "inspection_interval_days"):
        rows[c] = rows[c].astype("Int64")
    rows["modifiers"] = [m if isinstance(m, list) else None for m in rows["modifiers"]]
    return pa.Table.from_pandas(rows, preserve_index=False)
