"""The monitor's state: entities, hazards and open lifecycle items, as plain JSON-able data.

The state is what a snapshot stores and what a replay rebuilds; nothing in it depends on the wall
clock or on the order in which the engine happened to fire. ``level_of`` is the one place where a
lifecycle effect is laid on top of the pack's grade: an entity with an overdue hazard is raised by
``overdue.raise`` levels, one within an accident's period by ``accident.raise`` (the two add up,
clamped to the scale), and an overdue hazard shortens its inspection interval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..compiler.program import CompiledAdjustment, Program
from ..scoring.interval import adjust, finish

HISTORY = 50  # entries kept per entity (the journal keeps everything)


def new_entity() -> dict[str, Any]:
    return {
        "values": {}, "graded": False, "applies": None, "base": None, "base_interval": None, "score": None,
        "fired": [], "level": None, "interval": None, "last_inspection": None, "hazards": [], "overdue": [],
        "accidents": [], "windows": {}, "history": [],
    }


@dataclass
class MonitorState:
    """Everything a monitor knows; ``to_json``/``from_json`` round-trip it exactly."""

    clock: int | None = None  # the latest accepted event time (seconds, UTC)
    seq: int = 0  # the last journal seq applied
    next_key: int = 0  # lifecycle item keys are assigned in order: replay assigns the same ones
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    hazards: dict[int, dict[str, Any]] = field(default_factory=dict)  # key -> hazard (until followed up)
    hazard_keys: dict[str, int] = field(default_factory=dict)  # entity \x1f hazard id -> key
    items: dict[int, dict[str, Any]] = field(default_factory=dict)  # items open in the engine

    def key(self) -> int:
        self.next_key += 1
        return self.next_key

    def entity(self, entity_id: str) -> dict[str, Any]:
        ent = self.entities.get(entity_id)
        if ent is None:
            ent = self.entities[entity_id] = new_entity()
        return ent

    def to_json(self) -> dict[str, Any]:
        return {
            "clock": self.clock, "seq": self.seq, "next_key": self.next_key, "entities": self.entities,
            "hazards": {str(k): v for k, v in self.hazards.items()}, "hazard_keys": self.hazard_keys,
            "items": {str(k): v for k, v in self.items.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "MonitorState":
        return cls(clock=data["clock"], seq=data["seq"], next_key=data["next_key"], entities=data["entities"],
                   hazards={int(k): v for k, v in data["hazards"].items()}, hazard_keys=data["hazard_keys"],
                   items={int(k): v for k, v in data["items"].items()})


def hazard_ref(entity_id: str, hazard_id: str) -> str:
    return f"{entity_id}\x1f{hazard_id}"


def level_of(program: Program, ent: dict[str, Any]) -> tuple[int, int | None]:
    """(level index, inspection interval in days) of an entity: the pack's grade (the least severe
    level while none is known) with the lifecycle raises applied, clamped to the scale."""
    lc = program.lifecycle
    n = len(program.levels)
    base = ent["base"] if ent["base"] is not None else n - 1
    shift = (lc.overdue_raise if ent["overdue"] else 0) + (lc.accident_raise if ent["accidents"] else 0)
    level = min(max(base - shift, 0), n - 1)
    interval: float | None
    if level == ent["base"] and ent["base_interval"] is not None:
        interval = float(ent["base_interval"])  # the pack's own interval, its modifiers included
    else:
        insp = program.inspection
        days = None if insp is None else insp.intervals[level]
        interval = None if days is None else float(days)
    if ent["overdue"] and interval is not None:
        interval = adjust(interval, CompiledAdjustment("overdue", lc.overdue_multiply, lc.overdue_max_days))
    return level, finish(interval)


def note(ent: dict[str, Any], entry: dict[str, Any]) -> None:
    """Append to an entity's history, keeping the most recent ``HISTORY`` entries."""
    history = ent["history"]
    history.append(entry)
    if len(history) > HISTORY:
        del history[: len(history) - HISTORY]


__all__ = ["MonitorState", "hazard_ref", "level_of", "new_entity", "note"]
