"""The pack's ``lifecycle`` section: validated with located errors, compiled to engine units."""

from __future__ import annotations

import pytest

import riskgrade
from eventkit import LIFECYCLE_PACK

BASE = LIFECYCLE_PACK.split("lifecycle:")[0]


def diagnostics(text: str) -> list:
    with pytest.raises(riskgrade.PackError) as info:
        riskgrade.loads_pack(text, "p.yaml")
    return info.value.diagnostics


def test_compiled_in_seconds_and_steps():
    lc = riskgrade.loads_pack(LIFECYCLE_PACK).lifecycle
    assert lc.deadline_for("vehicle") == 24 * 3600 and lc.deadline_for("major") == 720 * 3600
    assert lc.deadline_for("unknown") is None
    assert (lc.overdue_raise, lc.overdue_multiply, lc.overdue_alert) == (1, 0.5, ("station", "county"))
    assert lc.follow_up_within == 30 * 86400 and lc.accident_duration == 365 * 86400
    assert [(t.id, t.event, t.count, t.window) for t in lc.triggers] == [
        ("complaints", "complaint", 3, 30 * 86400), ("fatigue", "vehicle_alarm", 5, 7 * 86400)]
    assert riskgrade.loads_pack(BASE).lifecycle is None


def test_unknown_tiers_and_duplicate_triggers_are_located_errors():
    text = BASE + """lifecycle:
  rectification: {default_hours: 48}
  overdue: {alert: [station, brigade]}
  unscheduled_inspection:
    - {id: c, count: 3, within_days: 30, alert: [nobody]}
    - {id: c, count: 5, within_days: 60}
"""
    found = [(d.code, d.location.pointer, d.location.line) for d in diagnostics(text)]
    assert ("RG360", "/lifecycle/overdue/alert/1", 29) in found
    assert ("RG360", "/lifecycle/unscheduled_inspection/0/alert/0", 31) in found
    assert ("RG363", "/lifecycle/unscheduled_inspection/1/id", 32) in found


def test_schema_errors_name_the_key():
    text = BASE + """lifecycle:
  rectification: {deadline_hours: {major: 0}}
  overdue: {raise: 9, when: soon}
"""
    messages = "\n".join(str(d) for d in diagnostics(text))
    assert "deadline_hours must be at least 1 hour" in messages
    assert "/lifecycle/overdue/raise" in messages and "unknown key 'when'" in messages


def test_warnings_for_effects_that_cannot_act():
    text = BASE.replace("inspection:\n  last_inspection: last_inspection\n"
                        "  interval_days: {red: 30, orange: 90, yellow: 180, blue: 360}\n", "")
    text += """lifecycle:
  rectification: {default_hours: 48}
  overdue: {raise: 3, interval_multiply: 0.5, alert: [nobody]}
"""
    found = {(d.code, d.severity) for d in diagnostics(text)}  # the unknown tier makes it fail ...
    assert ("RG361", "warning") in found and ("RG362", "warning") in found  # ... and warnings ride along
