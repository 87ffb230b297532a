"""Roll-ups that add up, and the graded control list."""

from __future__ import annotations

import datetime as dt

from plan_helpers import grade, venue

from riskgrade.plan import control_list, rollup, rollups

KEEP = ["name", "city", "county", "station", "grid", "open_hazards"]


def _rows():
    out = []
    for i in range(30):
        out.append(venue(f"E{i:02}", exits=i % 4, open_hazards=i % 3, station=[None, "北站", "南站"][i % 3],
                         county=["上城区", "西湖区"][i % 2], grid=f"网格{i % 5}",
                         last_inspection=dt.date(2026, 1, 1) if i % 2 else None))
    return out


def test_rollup_counts_add_up_at_every_level(plan_pack):
    g = grade(_rows(), plan_pack, keep=KEEP)
    n = g.counts.graded
    for by, table in rollups(g, plan_pack).items():
        levels = table[["red", "orange", "yellow", "blue", "not_applicable"]].sum(axis=1)
        assert (levels == table["entities"]).all(), by
        assert table["entities"].sum() == n, by
        assert table["open_hazards"].sum() == sum(i % 3 for i in range(30)), by
    station = rollup(g, plan_pack, by="station")
    assert set(station["station"]) == {"(none)", "北站", "南站"}
    assert dict(zip(station["station"], station["entities"])) == {"(none)": 10, "北站": 10, "南站": 10}


def test_rollup_counts_overdue_against_a_date(plan_pack):
    g = grade(_rows(), plan_pack, keep=KEEP)
    # inspected on 1 Jan 2026: red (40 days) and orange (90) are overdue on 30 June, yellow (180) too,
    # blue (360) is not; never inspected rows are due on the grading date, not before it
    county = rollup(g, plan_pack, by="county")
    later = rollup(g, plan_pack, by="county", on=dt.date(2027, 6, 30))
    assert county["overdue"].sum() == sum(1 for i in range(30) if i % 2 and i % 4 != 3)
    assert later["overdue"].sum() == 30


def test_control_list_level_and_rule_controls_with_tier_and_owner(plan_pack):
    g = grade([venue("A", exits=0, gas=True), venue("B", exits=3)], plan_pack, keep=KEEP)
    lines = control_list(g, plan_pack)
    a = lines[lines["entity_id"] == "A"]
    assert list(a["measure"]) == ["notice", "patrol", "gas_check"]
    assert list(a["source"]) == ["level", "level", "gas"]
    assert set(a["responsible"]) == {"city"} and set(a["responsible_zh"]) == {"市级专班"}
    assert list(a["measure_en"]) == ["Public notice", "Daily patrol", "Gas test"]
    b = lines[lines["entity_id"] == "B"]
    assert list(b["measure"]) == ["self_check"] and set(b["responsible_en"]) == {"Self-inspection"}
    assert lines["owner_zh"].eq("派出所").all() and lines["owner_en"].eq("Police station").all()
    assert set(lines["station"]) == {"北站"}
