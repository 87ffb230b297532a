"""The plan and its tables: visits planned and unplanned, workload per unit, weekly and monthly summaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._pandas import pandas
from .capacity import Capacity, StationCapacity, WorkCalendar

_CARRIED = ("entity_id", "name", "city", "county", "station", "grid", "pack", "level", "rank", "color",
            "inspection_interval_days", "modifiers", "campaigns")


@dataclass(frozen=True)
class PlanCounts:
    """``visits`` = ``planned`` + ``unplanned``; ``due`` rows each make one first visit, ``repeat_visits`` follow."""

    due: int
    visits: int
    planned: int
    unplanned: int
    repeat_visits: int

    def __str__(self) -> str:
        return (f"{self.due} due = {self.visits} visits ({self.repeat_visits} repeat) "
                f"= {self.planned} planned + {self.unplanned} unplanned")


@dataclass
class InspectionPlan:
    """The plan: ``planned`` (one row per visit: date, unit, slot, entity …), ``unplanned`` (with
    ``reason``), ``workload`` (per unit: capacity, demand, over capacity), and ``schedule`` (the
    inspection frequency table the plan was made from). Views: ``daily``, ``weekly``, ``monthly``."""

    start: dt.date
    end: dt.date
    unit: str
    planned: Any
    unplanned: Any
    workload: Any
    schedule: Any
    counts: PlanCounts
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    capacity: Capacity | None = None

    def daily(self, day: dt.date | None = None, unit: str | None = None) -> Any:
        """The daily list (日巡查): planned visits by date, unit and slot; optionally one day or unit."""
        out = self.planned
        if day is not None:
            out = out[out["date"] == np.datetime64(day, "s")]
        if unit is not None:
            out = out[out[self.unit] == unit]
        return out.reset_index(drop=True)

    def weekly(self) -> Any:
        """The weekly summary (周汇总) per unit and week (weeks start on Monday)."""
        return period_summary(self, "week")

    def monthly(self) -> Any:
        """The monthly review (月审查) per unit and month."""
        return period_summary(self, "month")

    @property
    def over_capacity(self) -> list[str]:
        """Units whose demand in the period exceeds their capacity."""
        w = self.workload
        return sorted(set(w.loc[w["over_capacity"].fillna(False).astype(bool), self.unit]))


def _carried(due: Any, rows: np.ndarray, unit: str) -> dict[str, Any]:
    cols = [unit] + [c for c in _CARRIED if c != unit]
    return {c: (due[c].to_numpy()[rows] if c in due else None) for c in cols}


def _dates(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[s]")


def planned_frame(due: Any, planned: list[tuple], unit: str) -> Any:
    """One row per planned visit, in date, unit, slot order."""
    pd = pandas()
    arr = np.array(planned, dtype=np.int64).reshape(-1, 5)
    rows, day, due_day, visit, slot = arr.T
    out = pd.DataFrame({"date": _dates(day), **_carried(due, rows, unit), "slot": slot, "visit": visit,
                        "due": _dates(due_day), "overdue_days": np.maximum(0, day - due_day)})
    first = ["date", unit, "slot"]
    out = out[first + [c for c in out.columns if c not in first]]
    return out.sort_values(["date", unit, "slot"], kind="stable").reset_index(drop=True)


def unplanned_frame(due: Any, unplanned: list[tuple], unit: str, end: dt.date) -> Any:
    """One row per visit that could not be fitted, with its reason; most severe, most overdue first."""
    pd = pandas()
    rows = np.array([u[0] for u in unplanned], dtype=np.int64)
    due_day = np.array([u[1] for u in unplanned], dtype=np.int64)
    end_day = (end - dt.date(1970, 1, 1)).days
    out = pd.DataFrame({**_carried(due, rows, unit), "visit": np.array([u[2] for u in unplanned], dtype=np.int64),
                        "due": _dates(due_day), "overdue_days_at_end": np.maximum(0, end_day - due_day),
                        "reason": [u[3] for u in unplanned]})
    return out.sort_values(["rank", "due", "entity_id"], kind="stable").reset_index(drop=True)


def workload_frame(plan: InspectionPlan, pools: dict[tuple[str, str | None], tuple[StationCapacity | None, int, int]],
                   workdays: int) -> Any:
    """Per unit (and pack, where a department has its own capacity row): capacity against demand."""
    pd = pandas()
    records = []
    for (unit, pack), (cap, planned, unplanned) in sorted(pools.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        demand = planned + unplanned
        capacity = None if plan.capacity is None else (0 if cap is None else cap.slots(workdays))
        records.append({
            plan.unit: unit, "pack": pack or "", "officers": None if cap is None else cap.officers,
            "per_officer_per_day": None if cap is None else cap.per_officer_per_day,
            "per_day": None if cap is None else cap.per_day, "workdays": workdays, "capacity": capacity,
            "demand": demand, "planned": planned, "unplanned": unplanned,
            "utilisation": (demand / capacity) if capacity else (None if capacity is None or demand == 0 else float("inf")),
            "over_capacity": capacity is not None and demand > capacity,
        })
    columns = [plan.unit, "pack", "officers", "per_officer_per_day", "per_day", "workdays", "capacity", "demand",
               "planned", "unplanned", "utilisation", "over_capacity"]
    out = pd.DataFrame.from_records(records, columns=columns)
    for c in ("officers", "capacity"):
        out[c] = out[c].astype("Int64")
    return out


def period_summary(plan: InspectionPlan, period: str) -> Any:
    """Per unit and week (or month): visits planned by level, visits left unplanned, capacity, load."""
    unit = plan.unit
    levels = _level_ids(plan)
    planned = plan.planned.assign(period=_period_start(plan.planned["date"], period))
    start = np.datetime64(plan.start, "s")
    un = plan.unplanned.assign(period=_period_start(plan.unplanned["due"].clip(lower=start), period))
    keys = [unit, "period"]
    out = planned.groupby(keys, dropna=False).size().rename("planned").to_frame()
    by_level = planned.pivot_table(index=keys, columns="level", values="entity_id", aggfunc="size", fill_value=0)
    out = out.join(by_level.reindex(columns=levels, fill_value=0), how="outer")
    out = out.join(planned[planned["visit"] > 1].groupby(keys).size().rename("repeat_visits"), how="outer")
    out = out.join(un.groupby(keys, dropna=False).size().rename("unplanned"), how="outer")
    out = out.fillna(0).astype("int64").reset_index()
    out["capacity"] = [_capacity(plan, u, p, period) for u, p in zip(out[unit], out["period"])]
    demand = out["planned"] + out["unplanned"]
    out["utilisation"] = np.where(out["capacity"] > 0, demand / out["capacity"].where(out["capacity"] > 0, 1), np.nan)
    out["over_capacity"] = out["capacity"].notna() & (demand > out["capacity"].fillna(np.inf))
    out = out.rename(columns={"period": "week_of" if period == "week" else "month"})
    return out.sort_values([out.columns[1], unit], kind="stable").reset_index(drop=True)


def _level_ids(plan: InspectionPlan) -> list[str]:
    ranked = plan.schedule[["rank", "level"]].dropna().drop_duplicates().sort_values("rank")
    return list(dict.fromkeys(ranked["level"]))


def _period_start(dates: Any, period: str) -> Any:
    pd = pandas()
    d = pd.to_datetime(dates)
    if period == "week":
        return (d - pd.to_timedelta(d.dt.weekday, unit="D")).dt.normalize().astype("datetime64[s]")
    return d.dt.to_period("M").dt.start_time.astype("datetime64[s]")


def _capacity(plan: InspectionPlan, unit: Any, start: Any, period: str) -> float:
    """Inspections the unit can make in the part of the period that lies in the plan (NaN: unlimited)."""
    if plan.capacity is None:
        return float("nan")
    first = max(pandas().Timestamp(start).date(), plan.start)
    if period == "week":
        last = pandas().Timestamp(start).date() + dt.timedelta(days=6)
    else:
        last = (pandas().Timestamp(start) + pandas().offsets.MonthEnd(0)).date()
    days = len(plan.calendar.workdays(first, min(last, plan.end)))
    return float(sum(row.slots(days) for (u, _), row in plan.capacity.rows.items() if u == unit))
