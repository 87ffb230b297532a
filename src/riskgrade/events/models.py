"""The events a monitor consumes, one JSON object per line (JSON Lines).

Every event has an ``id`` (unique: a repeated id is a duplicate, acknowledged and not applied
again), a ``type`` and a timestamp ``at`` (ISO 8601). Times are compared in UTC; a time without an
offset is taken as UTC. The monitor's clock is the latest ``at`` it has accepted — never the wall
clock — and an event older than the clock is rejected as out of order.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cached_property
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

Id = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    at: dt.datetime

    @cached_property
    def ts(self) -> int:
        """``at`` as whole seconds since 1970-01-01 UTC (the engine's clock unit)."""
        return epoch(self.at)


class _EntityEvent(_Event):
    entity: Id


class Inspection(_EntityEvent):
    """An inspection took place; it resets the entity's inspection clock."""

    type: Literal["inspection"] = "inspection"
    inspector: str | None = None
    findings: list[str] = []
    unscheduled: bool = False


class HazardFound(_EntityEvent):
    """A hazard was found; ``deadline`` overrides the pack's deadline for its severity."""

    type: Literal["hazard_found"] = "hazard_found"
    hazard: Id
    severity: Id
    description: str | None = None
    deadline: dt.datetime | None = None
    officer: str | None = None


class HazardRectified(_EntityEvent):
    type: Literal["hazard_rectified"] = "hazard_rectified"
    hazard: Id
    note: str | None = None


class FollowUpDone(_EntityEvent):
    """The follow-up inspection (回头看) after a rectification was done."""

    type: Literal["follow_up_done"] = "follow_up_done"
    hazard: Id
    inspector: str | None = None


class Accident(_EntityEvent):
    type: Literal["accident"] = "accident"
    severity: str | None = None
    description: str | None = None


class Complaint(_EntityEvent):
    type: Literal["complaint"] = "complaint"
    text: str | None = None
    source: str | None = None


class VehicleAlarm(_EntityEvent):
    type: Literal["vehicle_alarm"] = "vehicle_alarm"
    alarm: Id  # fatigue, speeding, off_route, …
    value: float | None = None


class Violation(_EntityEvent):
    type: Literal["violation"] = "violation"
    code: str | None = None
    description: str | None = None


class EntityUpdated(_EntityEvent):
    """New field values for the entity (merged into what is known; ``null`` clears a value)."""

    type: Literal["entity_updated"] = "entity_updated"
    values: dict[str, Any]


class Tick(_Event):
    """The clock: deadlines up to ``at`` fall due."""

    type: Literal["tick"] = "tick"


Event = Annotated[Union[Inspection, HazardFound, HazardRectified, FollowUpDone, Accident, Complaint,
                        VehicleAlarm, Violation, EntityUpdated, Tick], Field(discriminator="type")]
EVENT_TYPES = ("inspection", "hazard_found", "hazard_rectified", "follow_up_done", "accident", "complaint",
               "vehicle_alarm", "violation", "entity_updated", "tick")
_ADAPTER: TypeAdapter[Any] = TypeAdapter(Event)


class EventError(ValueError):
    """An event that cannot be accepted; ``reason`` says why in plain words."""

    def __init__(self, reason: str, event_id: str | None = None):
        self.reason, self.event_id = reason, event_id
        super().__init__(reason)


def parse_event(data: str | bytes | dict[str, Any] | BaseModel) -> Any:
    """One event from a JSON line, a dict or a model. Raises EventError with the reason."""
    if isinstance(data, BaseModel):
        return data
    try:
        if isinstance(data, (str, bytes)):
            return _ADAPTER.validate_json(data)
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise EventError(_reason(exc), _id_of(data)) from None


def _reason(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "event"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def _id_of(data: Any) -> str | None:
    if isinstance(data, dict):
        value = data.get("id")
        return value if isinstance(value, str) else None
    try:
        import json

        obj = json.loads(data)
        return obj.get("id") if isinstance(obj, dict) and isinstance(obj.get("id"), str) else None
    except (ValueError, TypeError):
        return None


def epoch(moment: dt.datetime) -> int:
    """Whole seconds since 1970-01-01 UTC; a naive time is taken as UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc)
    return calendar.timegm(moment.timetuple())


def iso(ts: int) -> str:
    """The text form of a clock value (UTC, seconds)."""
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = ["EVENT_TYPES", "Accident", "Complaint", "EntityUpdated", "Event", "EventError", "FollowUpDone",
           "HazardFound", "HazardRectified", "Inspection", "Tick", "VehicleAlarm", "Violation", "epoch",
           "iso", "parse_event"]
