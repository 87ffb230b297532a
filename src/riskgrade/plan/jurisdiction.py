"""Jurisdiction roll-ups: per city, county, station or grid, how many entities at each level, how
many open hazards, how many inspections overdue.

Counts are per pack (each pack grades on its own scale and its owner inspects on its own). Every
graded row is counted exactly once per jurisdiction level: rows without a jurisdiction value go to
a ``(none)`` unit, rows a pack does not apply to to ``not_applicable``, so the level columns plus
``not_applicable`` add up to ``entities``, and ``entities`` adds up to the rows graded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

import numpy as np

from ..compiler.program import Program
from ._pandas import pandas
from .graded import JURISDICTIONS, as_graded, programs_for

NO_UNIT = "(none)"


def rollup(graded: Any, packs: Program | Sequence[Program], *, by: str = "county", on: dt.date | None = None,
           check_sha: bool = True) -> Any:
    """Counts per ``by`` unit and pack (DataFrame): ``entities``, one column per level (most severe
    first), ``not_applicable``, ``overdue`` (next inspection before ``on``, default the grading
    date), and — when the grades carry an ``open_hazards`` column — ``open_hazards`` (their sum)
    and ``with_open_hazards`` (entities with at least one)."""
    pd = pandas()
    df = as_graded(graded)
    programs = programs_for(df, packs, check_sha=check_sha)
    if by not in df:
        df = df.assign(**{by: None})
    unit = df[by].astype("object").where(df[by].notna() & (df[by].astype("object") != ""), NO_UNIT)
    applies = df["applies"].fillna(False).astype(bool) & df["level"].notna()
    ref = df["as_of"] if on is None else pd.Series(np.datetime64(on, "s"), index=df.index)
    work = pd.DataFrame({by: unit, "pack": df["pack"], "level": df["level"].where(applies, "not_applicable"),
                         "overdue": (applies & df["next_inspection"].notna() & (df["next_inspection"] < ref))
                         .astype("int64")})
    hazards = "open_hazards" in df
    if hazards:
        n = pd.to_numeric(df["open_hazards"], errors="coerce").fillna(0)
        work["open_hazards"] = n.astype("int64")
        work["with_open_hazards"] = (n > 0).astype("int64")
    keys = [by, "pack"]
    counts = work.pivot_table(index=keys, columns="level", values="overdue", aggfunc="size", fill_value=0)
    level_ids = list(dict.fromkeys(lv.id for p in programs.values() for lv in p.levels))
    counts = counts.reindex(columns=level_ids + ["not_applicable"], fill_value=0)
    sums = work.groupby(keys)[[c for c in ("overdue", "open_hazards", "with_open_hazards") if c in work]].sum()
    out = counts.join(sums)
    out.insert(0, "entities", counts.sum(axis=1))
    out = out.reset_index()
    out.columns.name = None
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def rollups(graded: Any, packs: Program | Sequence[Program], *, on: dt.date | None = None,
            levels: Sequence[str] = JURISDICTIONS, check_sha: bool = True) -> dict[str, Any]:
    """``rollup`` for each jurisdiction level the grades carry (city, county, station, grid)."""
    df = as_graded(graded)
    return {by: rollup(df, packs, by=by, on=on, check_sha=check_sha) for by in levels if by in df}

