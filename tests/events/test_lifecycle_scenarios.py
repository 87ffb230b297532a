"""Real scenarios walked through the monitor: each event in, the alerts and state that must follow."""

from __future__ import annotations

from eventkit import alerts_of, kinds


def graded(monitor, feed, entity="A", at="2026-01-01T00:00:00", **values):
    values = {"occupancy": 100, "sprinkler": True, **values}
    (o,) = monitor.process([feed.ev("entity_updated", at, entity=entity, values=values)])
    assert o.status == "accepted" and o.alerts == []  # a first grading is not a change


def test_hazard_rectified_in_time_schedules_follow_up_without_escalation(monitor, feed):
    graded(monitor, feed)
    out = monitor.process([
        feed.hazard("A", "H1", "general", "2026-01-02T08:00:00"),
        feed.rectified("A", "H1", "2026-01-08T08:00:00"),  # 6 days of 7
        feed.tick("2026-01-20T00:00:00"),
    ])
    assert [o.status for o in out] == ["accepted"] * 3
    assert kinds(out) == ["follow_up_due"]
    (due,) = alerts_of(out)
    assert due["due"] == "2026-02-07T08:00:00Z" and due["notify"] == ["station"] and due["hazard"] == "H1"
    st = monitor.status("A")
    assert st["level"] == "blue" and st["open_hazards"] == []
    assert st["follow_ups"] == [{"hazard": "H1", "rectified": "2026-01-08T08:00:00Z",
                                 "due": "2026-02-07T08:00:00Z", "overdue": False}]
    out = monitor.process([feed.ev("follow_up_done", "2026-02-01T00:00:00", entity="A", hazard="H1"),
                           feed.tick("2026-03-01T00:00:00")])
    assert kinds(out) == [] and monitor.status("A")["follow_ups"] == []


def test_rectification_at_the_deadline_is_in_time_one_second_later_is_not(monitor, feed):
    out = monitor.process([feed.hazard("A", "H1", "general", "2026-01-01T00:00:00"),
                           feed.rectified("A", "H1", "2026-01-08T00:00:00")])
    assert "hazard_overdue" not in kinds(out)
    out = monitor.process([feed.hazard("B", "H1", "general", "2026-01-08T00:00:00"),
                           feed.rectified("B", "H1", "2026-01-15T00:00:01")])
    assert kinds(out)[:2] == ["hazard_overdue", "level_changed"]


def test_overdue_hazard_escalates_shortens_interval_and_alerts(monitor, feed):
    graded(monitor, feed, occupancy=600)  # yellow: 10 points, interval 180
    assert monitor.status("A")["level"] == "yellow"
    out = monitor.process([feed.hazard("A", "H9", "major", "2026-01-02T00:00:00"),
                           feed.tick("2026-01-31T23:59:59"),  # deadline is 2026-02-01T00:00:00
                           feed.tick("2026-02-01T00:00:00")])
    assert kinds(out) == ["hazard_overdue", "level_changed"]
    overdue, changed = alerts_of(out)
    assert overdue["notify"] == ["station", "county"] and overdue["deadline"] == "2026-02-01T00:00:00Z"
    assert overdue["inspection_interval_days"] == 45  # orange's 90, halved
    assert overdue["event"] == out[2].event_id and overdue["at"] == "2026-02-01T00:00:00Z"
    assert (changed["from_level"], changed["to_level"], changed["escalated"]) == ("yellow", "orange", True)
    st = monitor.status("A")
    assert st["level"] == "orange" and st["pack_level"] == "yellow" and st["inspection_interval_days"] == 45
    assert st["open_hazards"][0]["status"] == "overdue"
    # a later tick does not escalate the same hazard again
    assert kinds(monitor.process([feed.tick("2026-03-01T00:00:00")])) == []
    # rectified late: the raise is lifted, a follow-up is still due
    out = monitor.process([feed.rectified("A", "H9", "2026-03-02T00:00:00")])
    assert kinds(out) == ["follow_up_due", "level_changed"]
    assert alerts_of(out)[1]["to_level"] == "yellow" and monitor.status("A")["level"] == "yellow"


def test_vehicle_hazard_past_24_hours(monitor, feed):
    out = monitor.process([feed.hazard("V-粤B12345", "brakes", "vehicle", "2026-05-01T10:00:00"),
                           feed.ev("vehicle_alarm", "2026-05-02T09:59:59", entity="V-粤B12345", alarm="fatigue"),
                           feed.ev("violation", "2026-05-02T10:00:00", entity="V-粤B12345", code="speeding"),
                           feed.ev("complaint", "2026-05-02T10:00:01", entity="V-粤B12345")])
    # due at 10:00:00 on the 2nd: the event at that second still sees it open, the next one does not
    assert kinds(out) == ["hazard_overdue", "level_changed"]
    assert alerts_of(out)[0]["event"] == out[3].event_id
    assert monitor.status("V-粤B12345")["level"] == "yellow"  # ungraded (blue) raised by one


def test_accident_raises_the_level_for_a_year_then_expires(monitor, feed):
    graded(monitor, feed, at="2025-01-01T00:00:00")
    out = monitor.process([feed.ev("accident", "2025-03-01T12:00:00", entity="A", description="fire")])
    assert kinds(out) == ["accident_recorded", "level_changed"]
    assert alerts_of(out)[0]["until"] == "2026-03-01T12:00:00Z"
    assert monitor.status("A")["level"] == "yellow"
    assert kinds(monitor.process([feed.tick("2026-03-01T11:59:59")])) == []
    out = monitor.process([feed.tick("2026-03-01T12:00:00")])
    assert kinds(out) == ["accident_expired", "level_changed"]
    assert alerts_of(out)[1]["to_level"] == "blue" and not alerts_of(out)[1]["escalated"]


def test_complaints_crossing_the_threshold_call_for_an_unscheduled_inspection(monitor, feed):
    c = lambda at: feed.ev("complaint", at, entity="KTV-7", text="噪音")  # noqa: E731
    out = monitor.process([c("2026-01-01T00:00:00"), c("2026-01-20T00:00:00"),
                           c("2026-02-01T00:00:00")])  # the first has left the 30-day window
    assert kinds(out) == []
    out = monitor.process([c("2026-02-05T00:00:00")])
    (alert,) = alerts_of(out)
    assert alert["alert"] == "unscheduled_inspection" and alert["trigger"] == "complaints"
    assert alert["count"] == 3 and alert["within_days"] == 30 and alert["notify"] == ["station"]
    # the run was answered: counting starts afresh
    assert kinds(monitor.process([c("2026-02-06T00:00:00"), c("2026-02-07T00:00:00")])) == []
    assert kinds(monitor.process([c("2026-02-08T00:00:00")])) == ["unscheduled_inspection"]


def test_inspection_updates_the_pack_grade_and_next_due_date(monitor, feed):
    graded(monitor, feed, sprinkler=False, occupancy=600)  # orange
    monitor.process([feed.ev("inspection", "2026-04-01T09:00:00", entity="A", inspector="王")])
    st = monitor.status("A")
    assert st["level"] == "orange" and st["last_inspection"] == "2026-04-01T09:00:00Z"
    assert st["next_inspection"] == "2026-06-30T09:00:00Z"
    out = monitor.process([feed.ev("entity_updated", "2026-04-02T00:00:00", entity="A",
                                   values={"sprinkler": True})])
    assert [(a["alert"], a["to_level"], a["reason"]) for a in alerts_of(out)] == [
        ("level_changed", "yellow", "regraded")]
    history = [h["type"] for h in monitor.status("A")["history"]]
    assert history[-2:] == ["entity_updated", "alert:level_changed"]


def test_bad_events_are_rejected_with_a_reason_and_kept(monitor, feed):
    out = monitor.process([
        '{"id": "x1", "type": "hazard_found", "at": "2026-01-01T00:00:00", "entity": "A"}',
        "not json",
        feed.hazard("A", "H1", "cosmic", "2026-01-02T00:00:00"),
        feed.tick("2026-01-03T00:00:00"),
        feed.tick("2026-01-02T23:00:00"),
        feed.rectified("A", "nope", "2026-01-04T00:00:00"),
        feed.ev("entity_updated", "2026-01-05T00:00:00", entity="A", values={"colour": "red"}),
        feed.ev("follow_up_done", "2026-01-05T00:00:00", entity="A", hazard="H1"),
    ])
    assert [o.status for o in out] == ["rejected", "rejected", "rejected", "accepted"] + ["rejected"] * 4
    reasons = [r["reason"] for r in monitor.rejects()]
    assert len(reasons) == 7
    assert "hazard_found.hazard: Field required" in reasons[0] and reasons[1].startswith("malformed")
    assert "no rectification deadline for severity 'cosmic'" in reasons[2]
    assert reasons[3].startswith("out of order") and "unknown hazard 'nope'" in reasons[4]
    assert "unknown field(s) colour" in reasons[5] and "no follow-up is pending" in reasons[6]
    assert monitor.rejects()[0]["id"] == "x1"


def test_duplicates_are_acknowledged_not_applied_twice(monitor, feed):
    h = feed.hazard("A", "H1", "general", "2026-01-01T00:00:00")
    c = feed.ev("complaint", "2026-01-02T00:00:00", entity="A")
    out = monitor.process([h, c, h, c, c])
    assert [o.status for o in out] == ["accepted", "accepted", "duplicate", "duplicate", "duplicate"]
    assert len(monitor.status("A")["open_hazards"]) == 1
    assert monitor.journal.count("events") == 2 and monitor.rejects() == []


def test_hazard_ids_that_collide_in_the_engine_hash_stay_apart(monitor, feed):
    # f6059 and f264602 share a 32-bit FNV-1a hash: the engine would take one for the other
    out = monitor.process([feed.hazard("A", "f6059", "general", "2026-01-01T00:00:00"),
                           feed.hazard("A", "f264602", "major", "2026-01-01T00:00:00"),
                           feed.rectified("A", "f264602", "2026-01-02T00:00:00"),
                           feed.tick("2026-01-09T00:00:00")])
    assert [o.status for o in out] == ["accepted"] * 4
    assert [(a["alert"], a.get("hazard")) for a in alerts_of(out)] == [
        ("follow_up_due", "f264602"), ("hazard_overdue", "f6059"), ("level_changed", None)]
