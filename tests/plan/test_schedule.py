"""Inspection frequency: each modifier, campaign windows across the year's end, next-due and overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from riskgrade.plan import inspection_schedule, load_graded

from plan_helpers import AS_OF, grade, venue

KEEP = ["name", "city", "county", "station", "grid", "open_hazards", "overdue_hazards", "last_accident"]


def _one(pack, row, as_of=AS_OF, keep=KEEP, on=None):
    sched = inspection_schedule(grade([row], pack, as_of=as_of, keep=keep), pack, on=on)
    assert len(sched) == 1
    return sched.iloc[0]


@pytest.mark.parametrize("values, interval, applied", [
    ({}, 40, []),
    ({"open_hazards": 2}, 20, ["open_hazards"]),
    ({"overdue_hazards": 1}, 14, ["overdue_rectification"]),
    ({"last_accident": dt.date(2026, 1, 1)}, 30, ["recent_accident"]),
    ({"last_accident": dt.date(2025, 6, 29)}, 40, []),  # 366 days ago: not recent
    ({"open_hazards": 1, "last_accident": dt.date(2026, 6, 1)}, 15, ["open_hazards", "recent_accident"]),
])
def test_each_modifier_sets_the_interval_and_is_listed(plan_pack, values, interval, applied):
    r = _one(plan_pack, venue("A", exits=0, **values))
    assert (r["level"], r["base_interval_days"], r["inspection_interval_days"]) == ("red", 40, interval)
    assert r["modifiers"] == applied


def test_modifiers_come_from_the_grades_without_the_inputs_they_read(plan_pack):
    r = _one(plan_pack, venue("A", exits=0, open_hazards=3), keep=["station"])
    assert r["modifiers"] == ["open_hazards"]
    # blue, overdue rectification: capped at 14 days, which halving alone would also give
    r = _one(plan_pack, venue("B", exits=3, overdue_hazards=1), keep=["station"])
    assert r["inspection_interval_days"] == 14 and r["modifiers"] == ["overdue_rectification"]


def test_grades_without_the_adjustments_column_leave_them_unknown(plan_pack):
    graded = grade([venue("A", exits=0, open_hazards=3)], plan_pack, keep=["station"]).long
    r = inspection_schedule(graded.drop_columns(["inspection_modifiers"]), plan_pack).iloc[0]
    assert r["inspection_interval_days"] == 20 and r["modifiers"] is None and r["campaigns"] is None


@pytest.mark.parametrize("as_of, in_campaign", [
    (dt.date(2026, 11, 14), False), (dt.date(2026, 11, 15), True), (dt.date(2026, 12, 31), True),
    (dt.date(2027, 1, 1), True), (dt.date(2027, 2, 28), True), (dt.date(2027, 3, 1), False),
    (dt.date(2026, 7, 1), False),
])
def test_campaign_window_wraps_the_year(plan_pack, as_of, in_campaign):
    red = _one(plan_pack, venue("R", exits=0), as_of=as_of)
    blue = _one(plan_pack, venue("B", exits=3), as_of=as_of)
    assert red["campaigns"] == (["winter"] if in_campaign else [])
    assert red["inspection_interval_days"] == (20 if in_campaign else 40)
    assert blue["campaigns"] == [] and blue["inspection_interval_days"] == 360  # levels: red, orange only


def test_next_due_and_overdue_arithmetic(plan_pack):
    row = venue("A", exits=0, last_inspection=dt.date(2026, 1, 10))
    r = _one(plan_pack, row, on=dt.date(2026, 3, 1))
    assert r["next_inspection"].date() == dt.date(2026, 2, 19)  # 10 Jan + the 40-day red interval
    assert (r["days_to_due"], r["overdue_days"], bool(r["overdue"])) == (-10, 10, True)
    r = _one(plan_pack, row, on=dt.date(2026, 2, 11))
    assert (r["days_to_due"], r["overdue_days"], bool(r["overdue"])) == (8, 0, False)
    r = _one(plan_pack, row, on=dt.date(2026, 2, 19))
    assert (r["days_to_due"], r["overdue_days"], bool(r["overdue"])) == (0, 0, False)


def test_never_inspected_is_due_on_the_grading_date(plan_pack):
    r = _one(plan_pack, venue("A", exits=2))
    assert r["next_inspection"].date() == AS_OF and r["overdue_days"] == 0
    assert _one(plan_pack, venue("A", exits=2), on=AS_OF + dt.timedelta(days=5))["overdue_days"] == 5


def test_a_graded_file_read_back_gives_the_same_schedule(plan_pack, tmp_path):
    rows = [venue(f"E{i}", exits=i % 4, open_hazards=i % 3, last_inspection=dt.date(2026, 1, 1) + dt.timedelta(days=i))
            for i in range(12)]
    result = grade(rows, plan_pack, keep=KEEP)
    direct = inspection_schedule(result, plan_pack)
    for ext in ("csv", "jsonl", "xlsx", "parquet"):
        path = tmp_path / f"graded.{ext}"
        result.write(path)
        back = inspection_schedule(load_graded(path), plan_pack)
        cols = ["entity_id", "inspection_interval_days", "next_inspection", "overdue_days", "modifiers", "campaigns"]
        assert back[cols].astype(str).equals(direct[cols].astype(str)), ext


def test_grades_from_another_pack_version_are_refused(plan_pack):
    import riskgrade

    from plan_helpers import PLAN_PACK

    other = riskgrade.loads_pack(PLAN_PACK.replace('version: "1"', 'version: "2"'))
    with pytest.raises(riskgrade.OptionError, match="different version"):
        inspection_schedule(grade([venue("A")], plan_pack), other)
    assert len(inspection_schedule(grade([venue("A")], plan_pack), other, check_sha=False)) == 1
