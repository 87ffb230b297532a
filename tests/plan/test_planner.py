"""Inspection plans: capacity overflow drops nothing, priority order, working days, repeat visits."""

from __future__ import annotations

import datetime as dt

import pytest
from plan_helpers import grade, venue

import riskgrade
from riskgrade.plan import Capacity, StationCapacity, WorkCalendar, plan_inspections

MON = dt.date(2026, 7, 6)  # a Monday
AS_OF = dt.date(2026, 7, 1)


def _graded(pack, rows):
    return grade(rows, pack, as_of=AS_OF)


def _keys(frame):
    return set(zip(frame["entity_id"], frame["visit"]))


def test_overflow_is_listed_never_dropped(plan_pack):
    rows = [venue(f"E{i:02}", exits=i % 4) for i in range(20)]  # never inspected: all due on AS_OF
    cap = Capacity.from_rows([StationCapacity("北站", 2, 1)])
    plan = plan_inspections(_graded(plan_pack, rows), plan_pack, start=MON, end=MON + dt.timedelta(days=2),
                            capacity=cap, repeat=False)
    c = plan.counts
    assert (c.due, c.planned, c.unplanned, c.visits) == (20, 6, 14, 20)
    assert c.planned + c.unplanned == c.due
    assert _keys(plan.planned).isdisjoint(_keys(plan.unplanned))
    assert set(plan.planned["entity_id"]) | set(plan.unplanned["entity_id"]) == {r["entity_id"] for r in rows}
    assert set(plan.unplanned["reason"]) == {"over_capacity"}
    assert list(plan.planned["level"]) == ["red"] * 5 + ["orange"]  # most severe first
    assert plan.over_capacity == ["北站"]
    w = plan.workload.iloc[0]
    assert (w["capacity"], w["demand"], w["planned"], w["unplanned"], bool(w["over_capacity"])) == (6, 20, 6, 14, True)


def test_most_overdue_first_within_a_level(plan_pack):
    rows = [venue("late", exits=2, last_inspection=dt.date(2025, 1, 1)),
            venue("later", exits=2, last_inspection=dt.date(2024, 1, 1)),
            venue("on_time", exits=2, last_inspection=dt.date(2026, 1, 10))]
    cap = Capacity.from_rows([StationCapacity("北站", 1, 1)])
    plan = plan_inspections(_graded(plan_pack, rows), plan_pack, start=MON, end=MON + dt.timedelta(days=4),
                            capacity=cap, repeat=False)
    assert list(plan.planned["entity_id"]) == ["later", "late", "on_time"]
    # on_time falls due on Thursday (10 Jan + 180 days) and is not visited before
    assert list(plan.planned["date"].dt.date) == [MON, MON + dt.timedelta(days=1), dt.date(2026, 7, 9)]
    assert plan.planned["overdue_days"].iloc[0] == (MON - dt.date(2024, 1, 1)).days - 180


def test_a_visit_is_never_planned_before_it_is_due(plan_pack):
    rows = [venue("A", exits=3, last_inspection=dt.date(2025, 7, 15))]  # blue, 360 days: due 2026-07-10 (Fri)
    plan = plan_inspections(_graded(plan_pack, rows), plan_pack, start=MON, end=MON + dt.timedelta(days=13))
    assert list(plan.planned["date"].dt.date) == [dt.date(2026, 7, 10)]


def test_weekends_holidays_and_made_up_working_days(plan_pack):
    rows = [venue(f"E{i}", exits=3) for i in range(6)]
    cap = Capacity.from_rows([StationCapacity("北站", 1, 1)])
    sat = MON + dt.timedelta(days=5)
    cal = WorkCalendar(holidays=frozenset({MON + dt.timedelta(days=1)}), extra_workdays=frozenset({sat}))
    plan = plan_inspections(_graded(plan_pack, rows), plan_pack, start=MON, end=MON + dt.timedelta(days=6),
                            capacity=cap, calendar=cal, repeat=False)
    days = [d.date() for d in plan.planned["date"]]
    assert days == [MON, MON + dt.timedelta(days=2), MON + dt.timedelta(days=3), MON + dt.timedelta(days=4), sat]
    assert plan.counts.unplanned == 1


def test_fractional_capacity_accrues(plan_pack):
    rows = [venue(f"E{i}", exits=3) for i in range(5)]
    cap = Capacity.from_rows([StationCapacity("北站", 1, 0.5)])
    plan = plan_inspections(_graded(plan_pack, rows), plan_pack, start=MON, end=MON + dt.timedelta(days=4),
                            capacity=cap, repeat=False)
    assert [d.date() for d in plan.planned["date"]] == [MON + dt.timedelta(days=1), MON + dt.timedelta(days=3)]
    assert plan.workload.iloc[0]["capacity"] == 2


def test_repeat_visits_follow_the_interval(plan_pack):
    rows = [venue("A", exits=0, overdue_hazards=1)]  # red, capped at 14 days
    start, end = MON, MON + dt.timedelta(days=30)
    plan = plan_inspections(_graded(plan_pack, rows), plan_pack, start=start, end=end)
    assert [d.date() for d in plan.planned["date"]] == [MON, MON + dt.timedelta(days=14), MON + dt.timedelta(days=28)]
    assert list(plan.planned["visit"]) == [1, 2, 3]
    assert plan.counts.repeat_visits == 2
    once = plan_inspections(_graded(plan_pack, rows), plan_pack, start=start, end=end, repeat=False)
    assert once.counts.planned == 1


def test_units_without_capacity_or_without_a_station_are_listed(plan_pack):
    rows = [venue("A", station="北站"), venue("B", station="南站"), venue("C", station=None)]
    cap = Capacity.from_rows([StationCapacity("北站", 1, 1)])
    plan = plan_inspections(_graded(plan_pack, rows), plan_pack, start=MON, end=MON, capacity=cap)
    reasons = dict(zip(plan.unplanned["entity_id"], plan.unplanned["reason"]))
    assert reasons == {"B": "no_capacity", "C": "no_unit"}
    assert list(plan.planned["entity_id"]) == ["A"]
    assert "南站" in plan.over_capacity


def test_not_yet_due_rows_are_not_in_the_plan(plan_pack):
    rows = [venue("A", exits=3, last_inspection=dt.date(2026, 6, 1))]  # due 2027
    plan = plan_inspections(_graded(plan_pack, rows), plan_pack, start=MON, end=MON + dt.timedelta(days=30))
    assert plan.counts.due == 0 and plan.planned.empty and plan.unplanned.empty


def test_views_add_up(plan_pack):
    rows = [venue(f"E{i:02}", exits=i % 4, station=["北站", "南站"][i % 2]) for i in range(40)]
    cap = Capacity.from_rows([StationCapacity("北站", 1, 1), StationCapacity("南站", 2, 2)])
    plan = plan_inspections(_graded(plan_pack, rows), plan_pack, start=MON, end=MON + dt.timedelta(days=27), capacity=cap)
    weekly, monthly = plan.weekly(), plan.monthly()
    for view in (weekly, monthly):
        assert view["planned"].sum() == plan.counts.planned
        assert view["unplanned"].sum() == plan.counts.unplanned
        assert (view[["red", "orange", "yellow", "blue"]].sum(axis=1) == view["planned"]).all()
    assert len(plan.daily(day=MON, unit="南站")) == 4
    assert plan.workload["demand"].sum() == plan.counts.visits


def test_bad_period_and_unknown_unit(plan_pack):
    g = _graded(plan_pack, [venue("A")])
    with pytest.raises(riskgrade.OptionError, match="before it starts"):
        plan_inspections(g, plan_pack, start=MON, end=MON - dt.timedelta(days=1))
    with pytest.raises(riskgrade.OptionError, match="no 'beat' column"):
        plan_inspections(g, plan_pack, start=MON, end=MON, unit="beat")
