"""An inspection plan for a period: which entity each station inspects on which working day.

Every entity-and-pack row whose next inspection falls on or before the period's end is due (rows
already overdue at the start included). Each station (the plan's ``unit``) works through its due
visits day by day: on a working day it takes, among the visits already due, the most severe first
(rank 1 = red), then the most overdue, then by entity id, up to its daily capacity. With ``repeat``,
an inspection made on day d makes the entity due again at d + interval, and that visit is planned
too when it falls inside the period (a red venue on a 15-day winter interval is seen twice a month).

Nothing is dropped: a visit that cannot be fitted is in ``unplanned`` with its reason, so
``planned + unplanned`` = the visits due, and every due row appears there as its first visit.
"""

from __future__ import annotations

import datetime as dt
import heapq
from typing import Any, Sequence

import numpy as np

from ..compiler.program import Program
from ..errors import OptionError
from .capacity import Capacity, StationCapacity, WorkCalendar
from .schedule import inspection_schedule
from .views import InspectionPlan, PlanCounts, planned_frame, unplanned_frame, workload_frame

REASONS = {
    "over_capacity": ("超出检查力量", "over capacity"),
    "no_workday_left": ("期末无工作日", "no working day left in the period"),
    "no_capacity": ("无检查力量记录", "no capacity for this unit"),
    "no_unit": ("未填所属单位", "no unit (station) recorded"),
}
_EPOCH = dt.date(1970, 1, 1)


MAX_PERIOD_DAYS = 3660  # ten years: a plan is made for a month, a quarter or a year


def plan_inspections(graded: Any, packs: Program | Sequence[Program], *, start: dt.date, end: dt.date,
                     capacity: Capacity | None = None, calendar: WorkCalendar | None = None,
                     unit: str = "station", repeat: bool = True, check_sha: bool = True) -> InspectionPlan:
    """Plan the inspections due from ``start`` to ``end`` (both included) within each unit's capacity.

    ``graded`` is a GradeResult, a graded file, an Arrow table or a DataFrame; ``capacity`` as read
    by ``read_capacity`` (None: unlimited, every visit is planned on its first working day).
    """
    if end < start:
        raise OptionError(f"the period ends ({end}) before it starts ({start})")
    if (end - start).days >= MAX_PERIOD_DAYS:  # every day and repeat visit of it is held in memory
        raise OptionError(f"the period {start} – {end} is longer than {MAX_PERIOD_DAYS // 366} years; plan a "
                          "year or a quarter at a time")
    calendar = calendar or WorkCalendar()
    if capacity is not None and capacity.unit != unit:
        raise OptionError(f"the capacity file is per {capacity.unit}, the plan per {unit}")
    schedule = inspection_schedule(graded, packs, on=start, check_sha=check_sha)
    if unit not in schedule:
        raise OptionError(f"the grades have no '{unit}' column to plan by; carry it with riskgrade grade --keep {unit}")
    workdays = [_day(d) for d in calendar.workdays(start, end)]
    due = schedule[schedule["next_inspection"].notna() & (schedule["next_inspection"] <= np.datetime64(end, "s"))]
    due = due.reset_index(drop=True)
    planned, unplanned, demand = _assign(due, capacity, workdays, _day(end), unit, repeat)
    first = sum(1 for r in planned if r[3] == 1) + sum(1 for r in unplanned if r[2] == 1)
    assert first == len(due), "every due row is planned or listed unplanned exactly once as a first visit"
    counts = PlanCounts(len(due), len(planned) + len(unplanned), len(planned), len(unplanned),
                        len(planned) + len(unplanned) - len(due))
    plan = InspectionPlan(start, end, unit, planned_frame(due, planned, unit), unplanned_frame(due, unplanned, unit, end),
                          None, schedule, counts, calendar, capacity)
    plan.workload = workload_frame(plan, demand, len(workdays))
    return plan


def _day(d: dt.date) -> int:
    return (d - _EPOCH).days


def _assign(due: Any, capacity: Capacity | None, workdays: list[int], end: int, unit: str,
            repeat: bool) -> tuple[list[tuple], list[tuple], dict[tuple[str, str | None], tuple[StationCapacity | None, int, int]]]:
    """Planned (row, day, due, visit, slot), unplanned (row, due, visit, reason), and per pool (unit,
    pack or None) its capacity row with the visits planned and unplanned."""
    units = due[unit].astype("object").where(due[unit].notna(), None).to_numpy()
    packs = due["pack"].to_numpy()
    pools: dict[tuple[str, str | None], list[int]] = {}
    planned: list[tuple] = []
    unplanned: list[tuple] = []
    due_day = due["next_inspection"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    rank = due["rank"].to_numpy(dtype="int64", na_value=99)
    interval = due["inspection_interval_days"].to_numpy(dtype="int64", na_value=0)
    order = np.empty(len(due), dtype=np.int64)
    order[np.lexsort((due["entity_id"].to_numpy().astype(str), due_day, rank))] = np.arange(len(due))
    for i, (u, p) in enumerate(zip(units, packs)):
        if u is None or u == "":
            unplanned.append((i, int(due_day[i]), 1, "no_unit"))
            continue
        pool = capacity.pool(u, p) if capacity is not None else None
        key = (u, pool.pack if pool is not None else None)
        pools.setdefault(key, []).append(i)
    demand: dict[tuple[str, str | None], tuple[StationCapacity | None, int, int]] = {}
    for key, rows in pools.items():
        pool = capacity.pool(*key) if capacity is not None else None
        if capacity is not None and (pool is None or pool.per_day == 0):
            unplanned += [(i, int(due_day[i]), 1, "no_capacity") for i in rows]
            demand[key] = (pool, 0, len(rows))
            continue
        per_day = None if pool is None else pool.per_day
        got_planned, got_unplanned = _simulate(rows, due_day, rank, interval, order, workdays, per_day, end, repeat)
        planned += got_planned
        unplanned += got_unplanned
        demand[key] = (pool, len(got_planned), len(got_unplanned))
    if capacity is not None:
        for (u, p), row in capacity.rows.items():
            demand.setdefault((u, p), (row, 0, 0))
    return planned, unplanned, demand


def _simulate(rows: list[int], due: np.ndarray, rank: np.ndarray, interval: np.ndarray, order: np.ndarray,
              workdays: list[int], per_day: float | None, end: int, repeat: bool) -> tuple[list[tuple], list[tuple]]:
    """One unit's days: each working day, the most urgent visits already due, up to ``per_day``
    (a fractional capacity accrues from day to day, so 0.5 a day gives one visit every other day)."""
    future = [(int(due[i]), int(rank[i]), int(order[i]), i, 1) for i in rows]  # not yet due, by due day
    heapq.heapify(future)
    ready: list[tuple[int, int, int, int, int]] = []  # due: by rank, due day, order
    planned, unplanned = [], []
    budget = 0.0
    for day in workdays:
        while future and future[0][0] <= day:
            d, r, o, i, v = heapq.heappop(future)
            heapq.heappush(ready, (r, d, o, i, v))
        if per_day is not None:
            budget += per_day
        take = len(ready) if per_day is None else min(int(budget + 1e-9), len(ready))
        budget -= int(budget + 1e-9)  # a slot not used today is lost; only the fraction carries
        for slot in range(1, take + 1):
            r, d, o, i, v = heapq.heappop(ready)
            planned.append((i, day, d, v, slot))
            nxt = day + int(interval[i])
            if repeat and interval[i] > 0 and nxt <= end:
                heapq.heappush(future, (nxt, r, o, i, v + 1))
    unplanned += [(i, d, v, "over_capacity") for r, d, o, i, v in ready]
    unplanned += [(i, d, v, "no_workday_left") for d, r, o, i, v in future]
    return planned, unplanned
