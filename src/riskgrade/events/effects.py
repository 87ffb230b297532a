"""What each event does to the state, and the alerts it raises.

``Effects.check`` decides whether an event can be accepted (before it is journalled);
``Effects.apply`` applies an accepted one. Time first: before an event at ``T`` is applied, every
lifecycle item due strictly before ``T`` falls due (a tick at ``T`` also takes those due at ``T``),
so a rectification at the deadline is in time and one a second later is not. The engine decides
which items fall due; the results are applied sorted by (deadline, key), so alerts never depend on
the order the engine fires in.
"""

from __future__ import annotations

import datetime as dt
import heapq
from typing import Any

from ..backends import reference
from ..backends.durable.monitor_rules import LifecycleEngine
from ..compiler.program import Program
from .models import (Accident, Complaint, EntityUpdated, FollowUpDone, HazardFound, HazardRectified, Inspection,
                     Tick, VehicleAlarm, Violation, epoch, iso)
from .state import MonitorState, hazard_ref, level_of, note

Alert = dict[str, Any]


class Effects:
    """Applies events to a ``MonitorState`` through the lifecycle engine."""

    def __init__(self, program: Program, state: MonitorState):
        self.program, self.state = program, state
        self.lc = program.lifecycle
        self.engine = LifecycleEngine()
        self._due: list[tuple[int, int]] = []  # (deadline, key) of items opened; stale entries skipped
        self._fields = {f.name for f in program.fields}
        for key in sorted(state.items):  # a restored state: re-open its items in the engine
            item = state.items[key]
            self._open(item["kind"], key, item["deadline"])

    # --- acceptance ---------------------------------------------------------------------------------------
    def check(self, ev: Any) -> str | None:
        """Why the event cannot be accepted now, or None. The state is not changed."""
        st = self.state
        if st.clock is not None and ev.ts < st.clock:
            return f"out of order: at {iso(ev.ts)} is before the monitor's clock {iso(st.clock)}"
        if isinstance(ev, HazardFound):
            key = st.hazard_keys.get(hazard_ref(ev.entity, ev.hazard))
            if key is not None:
                return f"hazard '{ev.hazard}' of entity '{ev.entity}' is already known"
            if ev.deadline is not None and epoch(ev.deadline) < ev.ts:
                return f"deadline {iso(epoch(ev.deadline))} is before the hazard was found"
            if ev.deadline is None and self.lc.deadline_for(ev.severity) is None:
                known = ", ".join(s for s, _ in self.lc.deadlines) or "none"
                return f"no rectification deadline for severity '{ev.severity}' (pack severities: {known})"
        elif isinstance(ev, HazardRectified):
            hz = self._hazard(ev.entity, ev.hazard)
            if hz is None:
                return f"unknown hazard '{ev.hazard}' of entity '{ev.entity}'"
            if hz["status"] not in ("open", "overdue"):
                return f"hazard '{ev.hazard}' of entity '{ev.entity}' is already rectified"
        elif isinstance(ev, FollowUpDone):
            hz = self._hazard(ev.entity, ev.hazard)
            if hz is None or hz.get("follow_key") is None:
                return f"no follow-up is pending for hazard '{ev.hazard}' of entity '{ev.entity}'"
        elif isinstance(ev, EntityUpdated):
            unknown = sorted(set(ev.values) - self._fields)
            if unknown:
                return f"unknown field(s) {', '.join(unknown)} for pack '{self.program.pack_id}'"
        return None

    def _hazard(self, entity: str, hazard: str) -> dict[str, Any] | None:
        key = self.state.hazard_keys.get(hazard_ref(entity, hazard))
        return None if key is None else self.state.hazards.get(key)

    # --- application ---------------------------------------------------------------------------------------
    def apply(self, ev: Any) -> list[Alert]:
        """Apply an accepted event; the alerts it raised, in order."""
        alerts: list[Alert] = []
        is_tick = isinstance(ev, Tick)
        self._advance(ev.ts if is_tick else ev.ts - 1, ev.id, alerts)
        self.state.clock = ev.ts
        if not is_tick:
            ent = self.state.entity(ev.entity)
            if ent["level"] is None:  # first seen: the least severe level until graded
                ent["level"], ent["interval"] = level_of(self.program, ent)
            note(ent, {"at": iso(ev.ts), "event": ev.id, "type": ev.type})
            handler = _HANDLERS[type(ev)]
            handler(self, ev, ent, alerts)
        return alerts

    def _advance(self, now: int, event_id: str, alerts: list[Alert]) -> None:
        while self._due and (self._due[0][1] not in self.state.items or
                             self.state.items[self._due[0][1]]["deadline"] != self._due[0][0]):
            heapq.heappop(self._due)  # closed items: their heap entries are stale
        if not self._due or self._due[0][0] > now:
            return  # nothing can fall due: spare the engine a tick
        self.engine.tick(now)
        fired = self.engine.take()
        items = self.state.items
        for what, key, at in sorted(fired, key=lambda f: (items[f[1]]["deadline"], f[1])):
            item = items.pop(key)
            getattr(self, f"_on_{what}")(key, item, at, event_id, alerts)

    def _open(self, kind: str, key: int, deadline: int, **extra: Any) -> None:
        self.state.items.setdefault(key, {"kind": kind, "deadline": deadline, **extra})
        self.engine.open_item(kind, key, deadline)
        heapq.heappush(self._due, (deadline, key))

    # --- events ----------------------------------------------------------------------------------------------
    def _hazard_found(self, ev: HazardFound, ent: dict[str, Any], alerts: list[Alert]) -> None:
        st = self.state
        deadline = epoch(ev.deadline) if ev.deadline is not None else ev.ts + self.lc.deadline_for(ev.severity)
        key = st.key()
        st.hazard_keys[hazard_ref(ev.entity, ev.hazard)] = key
        st.hazards[key] = {"entity": ev.entity, "hazard": ev.hazard, "severity": ev.severity, "found": ev.ts,
                           "deadline": deadline, "status": "open", "description": ev.description,
                           "officer": ev.officer, "follow_key": None}
        ent["hazards"].append(key)
        self._open("hazard", key, deadline, entity=ev.entity)

    def _hazard_rectified(self, ev: HazardRectified, ent: dict[str, Any], alerts: list[Alert]) -> None:
        st = self.state
        key = st.hazard_keys[hazard_ref(ev.entity, ev.hazard)]
        self.engine.close("hazard", key)
        for what, k, _ in self.engine.take():  # rectified (in time) or rectified_late
            st.items.pop(k, None)
            hz = st.hazards[k]
            late = what == "rectified_late"
            hz.update(status="rectified", rectified=ev.ts, late=late)
            ent["hazards"].remove(k)
            if late:
                ent["overdue"].remove(k)
            if self.lc.follow_up_within is None:
                self._close_hazard(k)
            else:
                follow, due = st.key(), ev.ts + self.lc.follow_up_within
                hz["follow_key"] = follow
                self._open("followup", follow, due, entity=ev.entity, hazard=k)
                alerts.append(self._alert("follow_up_due", ev.ts, ev.entity, ev.id, hazard=hz["hazard"],
                                          due=iso(due), notify=list(self.lc.follow_up_alert)))
            self._set_level(ev.entity, ent, ev.ts, ev.id, "hazard_rectified", alerts)

    def _follow_up_done(self, ev: FollowUpDone, ent: dict[str, Any], alerts: list[Alert]) -> None:
        hz_key = self.state.hazard_keys[hazard_ref(ev.entity, ev.hazard)]
        follow_key = self.state.hazards[hz_key]["follow_key"]
        self.engine.close("followup", follow_key)
        self.engine.take()  # follow_up_done, or follow_up_unknown when it was already overdue
        self.state.items.pop(follow_key, None)
        self._close_hazard(hz_key)

    def _close_hazard(self, key: int) -> None:
        hz = self.state.hazards.pop(key)
        del self.state.hazard_keys[hazard_ref(hz["entity"], hz["hazard"])]

    def _accident(self, ev: Accident, ent: dict[str, Any], alerts: list[Alert]) -> None:
        if self.lc.accident_duration is None:
            return
        key = self.state.key()
        ent["accidents"].append(key)
        self._open("accident", key, ev.ts + self.lc.accident_duration, entity=ev.entity)
        alerts.append(self._alert("accident_recorded", ev.ts, ev.entity, ev.id, notify=list(self.lc.accident_alert),
                                  until=iso(ev.ts + self.lc.accident_duration)))
        self._set_level(ev.entity, ent, ev.ts, ev.id, "accident", alerts)

    def _counted(self, ev: Any, ent: dict[str, Any], alerts: list[Alert]) -> None:
        """Complaints, vehicle alarms and violations: count them in each trigger's window."""
        for trig in self.lc.triggers:
            if trig.event != ev.type:
                continue
            key = self.state.key()
            window = ent["windows"].setdefault(trig.id, [])
            window.append(key)
            self._open("window", key, ev.ts + trig.window, entity=ev.entity, trigger=trig.id)
            if len(window) >= trig.count:
                for k in window:  # the run has called for its inspection: start counting afresh
                    self.engine.drop(k)
                    self.state.items.pop(k, None)
                ent["windows"][trig.id] = []
                alerts.append(self._alert("unscheduled_inspection", ev.ts, ev.entity, ev.id, trigger=trig.id,
                                          count=trig.count, within_days=trig.window // 86400,
                                          notify=list(trig.alert)))

    def _inspection(self, ev: Inspection, ent: dict[str, Any], alerts: list[Alert]) -> None:
        ent["last_inspection"] = ev.ts
        insp = self.program.inspection
        if insp is not None and insp.last_inspection is not None:
            ent["values"][insp.last_inspection] = _day(ev.ts).isoformat()
            if ent["graded"]:
                self._regrade(ev.entity, ent, ev.ts, ev.id, alerts)

    def _entity_updated(self, ev: EntityUpdated, ent: dict[str, Any], alerts: list[Alert]) -> None:
        values = ent["values"]
        for name, value in ev.values.items():
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value
        first = not ent["graded"]
        ent["graded"] = True
        self._regrade(ev.entity, ent, ev.ts, ev.id, alerts, quiet=first)

    # --- due items ------------------------------------------------------------------------------------------
    def _on_hazard_due(self, key: int, item: dict[str, Any], now: int, event_id: str, alerts: list[Alert]) -> None:
        hz = self.state.hazards[key]
        hz["status"] = "overdue"
        ent = self.state.entity(hz["entity"])
        ent["overdue"].append(key)
        _, interval = level_of(self.program, ent)
        alerts.append(self._alert("hazard_overdue", now, hz["entity"], event_id, hazard=hz["hazard"],
                                  severity=hz["severity"], deadline=iso(hz["deadline"]), raise_by=self.lc.overdue_raise,
                                  inspection_interval_days=interval, notify=list(self.lc.overdue_alert)))
        self._set_level(hz["entity"], ent, now, event_id, "hazard_overdue", alerts)

    def _on_followup_due(self, key: int, item: dict[str, Any], now: int, event_id: str,
                         alerts: list[Alert]) -> None:
        hz = self.state.hazards[item["hazard"]]
        alerts.append(self._alert("follow_up_overdue", now, hz["entity"], event_id, hazard=hz["hazard"],
                                  due=iso(item["deadline"]), notify=list(self.lc.follow_up_alert)))

    def _on_accident_due(self, key: int, item: dict[str, Any], now: int, event_id: str,
                         alerts: list[Alert]) -> None:
        ent = self.state.entity(item["entity"])
        ent["accidents"].remove(key)
        alerts.append(self._alert("accident_expired", now, item["entity"], event_id))
        self._set_level(item["entity"], ent, now, event_id, "accident_expired", alerts)

    def _on_window_due(self, key: int, item: dict[str, Any], now: int, event_id: str, alerts: list[Alert]) -> None:
        self.state.entity(item["entity"])["windows"][item["trigger"]].remove(key)

    # --- grading ----------------------------------------------------------------------------------------------
    def _regrade(self, entity_id: str, ent: dict[str, Any], ts: int, event_id: str, alerts: list[Alert],
                 quiet: bool = False) -> None:
        """Grade the entity's known values with the pack (the reference engine), as of the event's day."""
        (record,) = reference.grade_records(self.program, [ent["values"]], _day(ts))
        if "rejected" in record:
            reasons = [r[2] for r in record["rejected"]]
            alerts.append(self._alert("data_rejected", ts, entity_id, event_id, reasons=reasons))
            return
        ent["applies"] = record["applies"]
        ent["base"] = None if record["level"] is None else self.program.level_index(record["level"])
        ent["base_interval"] = record["inspection_interval_days"]
        ent["score"], ent["fired"] = record["score"], record["fired"]
        self._set_level(entity_id, ent, ts, event_id, "regraded", alerts, quiet)

    def _set_level(self, entity_id: str, ent: dict[str, Any], ts: int, event_id: str, reason: str,
                   alerts: list[Alert], quiet: bool = False) -> None:
        """Recompute the entity's level; a change is an alert (not for the first grading of an entity)."""
        level, interval = level_of(self.program, ent)
        before = ent["level"]
        ent["level"], ent["interval"] = level, interval
        if before is not None and before != level and not quiet:
            levels = self.program.levels
            alerts.append(self._alert("level_changed", ts, entity_id, event_id, reason=reason,
                                      from_level=levels[before].id, to_level=levels[level].id,
                                      escalated=level < before, inspection_interval_days=interval))

    def _alert(self, kind: str, ts: int, entity_id: str, event_id: str, **data: Any) -> Alert:
        alert = {"alert": kind, "at": iso(ts), "entity": entity_id, "event": event_id,
                 "pack": self.program.pack_id, **data}
        ent = self.state.entity(entity_id)
        note(ent, {"at": alert["at"], "event": event_id, "type": "alert:" + kind})
        return alert


def _day(ts: int) -> dt.date:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).date()


_HANDLERS: dict[type, Any] = {
    HazardFound: Effects._hazard_found, HazardRectified: Effects._hazard_rectified,
    FollowUpDone: Effects._follow_up_done, Accident: Effects._accident, Complaint: Effects._counted,
    VehicleAlarm: Effects._counted, Violation: Effects._counted, Inspection: Effects._inspection,
    EntityUpdated: Effects._entity_updated,
}

__all__ = ["Alert", "Effects"]
