"""Inspection interval per entity: the level's base interval, then modifiers, then campaigns.

Each applicable adjustment multiplies the interval by ``multiply`` and caps it at ``max_days``, in
the order the pack declares them (modifiers first, then campaigns); the result is rounded down to
whole days and is at least one day and at most ``MAX_INTERVAL_DAYS`` (a pack multiplying by 1e300
gets ten years, not an interval no calendar holds).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from ..compiler.program import CompiledAdjustment, CompiledInspection
from ..model.inspection import MAX_INTERVAL_DAYS


def adjust(interval: float, adj: CompiledAdjustment) -> float:
    if adj.multiply is not None:
        interval = interval * adj.multiply
    if adj.max_days is not None:
        interval = min(interval, float(adj.max_days))
    return interval


def adjustment_ids(insp: CompiledInspection | None) -> list[str]:
    """The ids of an inspection's modifiers then campaigns: the order results list them in."""
    return [] if insp is None else [a.id for a in (*insp.modifiers, *insp.campaigns)]


def finish(interval: float | None) -> int | None:
    return None if interval is None else max(1, math.floor(min(interval, MAX_INTERVAL_DAYS)))


def intervals_numpy(insp: CompiledInspection, level: np.ndarray, modifier_hits: list[np.ndarray],
                    as_of: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Interval in days per row (NaN where the level has none), and which adjustments applied:
    a (modifiers + campaigns, rows) boolean matrix."""
    base = np.array([np.nan if d is None else float(d) for d in insp.intervals] + [np.nan])
    interval = base[np.where(level >= 0, level, len(insp.intervals))]
    has = ~np.isnan(interval)
    applied = np.zeros((len(insp.modifiers) + len(insp.campaigns), len(level)), dtype=bool)
    for j, (adj, hit) in enumerate(zip(insp.modifiers, modifier_hits)):
        applied[j] = hit & has
        interval = np.where(hit, _adjust_numpy(interval, adj), interval)
    for j, adj in enumerate(insp.campaigns, len(insp.modifiers)):
        if adj.in_window(as_of):
            touched = np.ones(level.shape, dtype=bool) if adj.levels is None else np.isin(level, list(adj.levels))
            applied[j] = touched & has
            interval = np.where(touched, _adjust_numpy(interval, adj), interval)
    return np.where(np.isnan(interval), np.nan, np.clip(np.floor(interval), 1.0, MAX_INTERVAL_DAYS)), applied


def _adjust_numpy(interval: np.ndarray, adj: CompiledAdjustment) -> np.ndarray:
    if adj.multiply is not None:
        with np.errstate(over="ignore"):  # past the float range is infinite, then cut to MAX_INTERVAL_DAYS
            interval = interval * adj.multiply
    if adj.max_days is not None:
        interval = np.minimum(interval, float(adj.max_days))
    return interval


def overdue_days(next_due: dt.date | None, as_of: dt.date) -> int | None:
    """Days an inspection is overdue on ``as_of`` (0 when not yet due; None when there is no due date)."""
    return None if next_due is None else max(0, (as_of - next_due).days)


def overdue_days_numpy(next_due: np.ndarray, as_of: dt.date) -> np.ndarray:
    """``overdue_days`` over day numbers (days since 1970-01-01; NaN where there is no due date)."""
    today = float((as_of - dt.date(1970, 1, 1)).days)
    return np.where(np.isnan(next_due), np.nan, np.maximum(0.0, today - next_due))
