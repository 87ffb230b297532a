"""Inspection frequency per entity and pack: interval, next due date, overdue days, and why.

The interval, the next due date and the adjustments that made the interval come from the grades
(the engines computed them: the level's base interval, the pack's modifiers, the campaigns in force
on the grading date, listed in ``inspection_modifiers``; next due = last inspection + interval, or
the grading date when there was none). Here they are set against a reference date ``on``:
``days_to_due`` (negative when late), ``overdue_days`` (0 when not late), and the adjustments are
split into ``modifiers`` and ``campaigns`` (unknown, None, for grades made without that column).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

import numpy as np

from ..compiler.program import Program
from ._pandas import pandas
from .graded import JURISDICTIONS, as_graded, programs_for

COLUMNS = ("entity_id", "name") + JURISDICTIONS + (
    "pack", "level", "rank", "color", "base_interval_days", "inspection_interval_days", "modifiers",
    "campaigns", "as_of", "next_inspection", "on", "days_to_due", "overdue_days", "overdue")


def inspection_schedule(graded: Any, packs: Program | Sequence[Program], *, on: dt.date | None = None,
                        check_sha: bool = True) -> Any:
    """Interval, next due date and overdue days of every row a pack applies to (DataFrame, ``COLUMNS``).

    ``on`` is the reference date for overdue arithmetic (default: each row's grading date).
    Rows a pack does not apply to are left out: that pack does not inspect them.
    """
    pd = pandas()
    df = as_graded(graded)
    programs = programs_for(df, packs, check_sha=check_sha)
    df = df[df["applies"].fillna(False).astype(bool) & df["level"].notna()]
    parts = [_pack_schedule(df[df["pack"] == pid], program, on) for pid, program in programs.items()]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    out = pd.concat(parts).sort_index(kind="stable")
    return out[list(COLUMNS) + [c for c in out.columns if c not in COLUMNS]].reset_index(drop=True)


def _pack_schedule(rows: Any, program: Program, on: dt.date | None) -> Any:
    pd = pandas()
    level_of = {lv.id: i for i, lv in enumerate(program.levels)}
    level = np.array([level_of.get(lv, -1) for lv in rows["level"]], dtype=np.int64)
    insp = program.inspection
    base = [None if insp is None or li < 0 else insp.intervals[li] for li in level]
    as_of = rows["as_of"].to_numpy(dtype="datetime64[D]")
    modifiers, campaigns = _adjustments(rows, program)
    reference = (np.full(len(rows), np.datetime64(on, "D")) if on is not None else as_of)
    due = rows["next_inspection"].to_numpy(dtype="datetime64[D]")
    to_due = (due - reference).astype("timedelta64[D]").astype("float64")
    to_due[np.isnat(due)] = np.nan
    out = rows.drop(columns=[c for c in ("modifiers", "campaigns") if c in rows]).copy()
    out["base_interval_days"] = pd.array(base, dtype="Int64")
    out["modifiers"] = modifiers
    out["campaigns"] = campaigns
    out["on"] = reference.astype("datetime64[s]")
    out["days_to_due"] = pd.array(np.where(np.isnan(to_due), None, to_due), dtype="Int64")
    out["overdue_days"] = pd.array(np.where(np.isnan(to_due), None, np.maximum(0, -to_due)), dtype="Int64")
    out["overdue"] = pd.array(np.where(np.isnan(to_due), None, to_due < 0), dtype="boolean")
    for c in ("name",) + JURISDICTIONS + ("color",):
        if c not in out:
            out[c] = None
    return out


def _adjustments(rows: Any, program: Program) -> tuple[list[list[str] | None], list[list[str] | None]]:
    """Per row, the modifiers and the campaigns its grade lists in ``inspection_modifiers``."""
    if "inspection_modifiers" not in rows:
        return [None] * len(rows), [None] * len(rows)
    insp = program.inspection
    modifiers = {m.id for m in insp.modifiers} if insp is not None else set()
    campaigns = {c.id for c in insp.campaigns} if insp is not None else set()
    applied = rows["inspection_modifiers"].tolist()
    return ([[a for a in adj if a in modifiers] for adj in applied],
            [[a for a in adj if a in campaigns] for adj in applied])
