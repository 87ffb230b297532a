"""Inspection frequency per entity and pack: interval, next due date, overdue days, and why.

The interval and the next due date come from the grades (the engines computed them: the level's
base interval, the pack's modifiers, the campaigns in force on the grading date; next due = last
inspection + interval, or the grading date when there was none). Here they are set against a
reference date ``on``: ``days_to_due`` (negative when late), ``overdue_days`` (0 when not late), and
the modifiers and campaigns that applied are listed (see ``plan.modifiers`` for how they are found).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence

import numpy as np

from ..compiler.program import Program
from ._pandas import pandas
from .graded import JURISDICTIONS, as_graded, programs_for
from .modifiers import campaigns_applied, modifier_inputs, modifiers_from_inputs, modifiers_from_interval

COLUMNS = ("entity_id", "name") + JURISDICTIONS + (
    "pack", "level", "rank", "color", "base_interval_days", "inspection_interval_days", "modifiers",
    "campaigns", "modifiers_from", "as_of", "next_inspection", "on", "days_to_due", "overdue_days", "overdue")


def inspection_schedule(graded: Any, packs: Program | Sequence[Program], *, on: dt.date | None = None,
                        params: Mapping[str, Any] | None = None, check_sha: bool = True) -> Any:
    """Interval, next due date and overdue days of every row a pack applies to (DataFrame, ``COLUMNS``).

    ``on`` is the reference date for overdue arithmetic (default: each row's grading date).
    ``params`` are the pack parameters the grades were made with (needed only when a modifier
    reads one). Rows a pack does not apply to are left out: that pack does not inspect them.
    """
    pd = pandas()
    df = as_graded(graded)
    programs = programs_for(df, packs, check_sha=check_sha)
    df = df[df["applies"].fillna(False).astype(bool) & df["level"].notna()]
    parts = [_pack_schedule(df[df["pack"] == pid], program, on, params or {}) for pid, program in programs.items()]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    out = pd.concat(parts).sort_index(kind="stable")
    return out[list(COLUMNS) + [c for c in out.columns if c not in COLUMNS]].reset_index(drop=True)


def _pack_schedule(rows: Any, program: Program, on: dt.date | None, params: Mapping[str, Any]) -> Any:
    pd = pandas()
    level_of = {lv.id: i for i, lv in enumerate(program.levels)}
    level = np.array([level_of.get(lv, -1) for lv in rows["level"]], dtype=np.int64)
    insp = program.inspection
    base = [None if insp is None or li < 0 else insp.intervals[li] for li in level]
    interval = rows["inspection_interval_days"].to_numpy(dtype="float64", na_value=np.nan)
    as_of = rows["as_of"].to_numpy(dtype="datetime64[D]")
    campaigns = campaigns_applied(program, level, as_of)
    modifiers, source = _modifiers(rows, program, level, campaigns, interval, as_of, params)
    reference = (np.full(len(rows), np.datetime64(on, "D")) if on is not None else as_of)
    due = rows["next_inspection"].to_numpy(dtype="datetime64[D]")
    to_due = (due - reference).astype("timedelta64[D]").astype("float64")
    to_due[np.isnat(due)] = np.nan
    out = rows.drop(columns=[c for c in ("modifiers", "campaigns") if c in rows]).copy()
    out["base_interval_days"] = pd.array(base, dtype="Int64")
    out["modifiers"] = modifiers
    out["campaigns"] = campaigns
    out["modifiers_from"] = source
    out["on"] = reference.astype("datetime64[s]")
    out["days_to_due"] = pd.array(np.where(np.isnan(to_due), None, to_due), dtype="Int64")
    out["overdue_days"] = pd.array(np.where(np.isnan(to_due), None, np.maximum(0, -to_due)), dtype="Int64")
    out["overdue"] = pd.array(np.where(np.isnan(to_due), None, to_due < 0), dtype="boolean")
    for c in ("name",) + JURISDICTIONS + ("color",):
        if c not in out:
            out[c] = None
    return out


def _modifiers(rows: Any, program: Program, level: np.ndarray, campaigns: list[list[str]], interval: np.ndarray,
               as_of: np.ndarray, params: Mapping[str, Any]) -> tuple[list[list[str] | None], list[str]]:
    inputs = modifier_inputs(program)
    if program.inspection is None or not program.inspection.modifiers:
        return [[] for _ in range(len(rows))], ["inputs"] * len(rows)
    if inputs and inputs <= set(rows.columns):
        records = rows[sorted(inputs)].to_dict("records")
        records = [{k: (None if _isna(v) else v) for k, v in r.items()} for r in records]
        days = [dt.date.fromisoformat(str(d)[:10]) for d in as_of]
        return modifiers_from_inputs(program, records, days, params), ["inputs"] * len(rows)
    found = modifiers_from_interval(program, level, campaigns, interval)
    return found, ["interval" if f is not None else "unknown" for f in found]


def _isna(v: Any) -> bool:
    try:
        return bool(pandas().isna(v))
    except (TypeError, ValueError):  # lists and other containers are values, not missing
        return False
