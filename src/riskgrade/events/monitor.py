"""``Monitor``: events in, alerts out, state in SQLite that survives a crash.

Each batch of events runs in one journal transaction: every event is checked (malformed, out of
order, or impossible in the current state: rejected with its reason into ``rejects``), a duplicate
id is acknowledged and skipped, an accepted event is appended to the journal and then applied.
Alerts leave the monitor only after the transaction has committed, so nothing is ever announced
for an event the journal does not hold. Opening a database rebuilds the state from the latest
snapshot plus the journal after it; a replay applies the same events in the same order with the
same clock, so it reproduces the state and the alerts byte for byte.

>>> import tempfile, os
>>> from riskgrade.events.monitor import EXAMPLE_PACK
>>> db = os.path.join(tempfile.mkdtemp(), "state.sqlite")
>>> with Monitor(db, pack_text=EXAMPLE_PACK) as m:
...     out = m.process([{"id": "e1", "type": "hazard_found", "at": "2026-01-01T08:00:00",
...                       "entity": "V1", "hazard": "H1", "severity": "any"},
...                      {"id": "t1", "type": "tick", "at": "2026-01-02T09:00:00"}])
...     [a["alert"] for o in out for a in o.alerts]
['hazard_overdue', 'level_changed']
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..compiler.load import loads_pack, pack_files
from ..compiler.program import Program
from ..errors import EngineError, OptionError
from .effects import Alert, Effects
from .journal import Journal
from .models import EventError, parse_event, iso
from .state import MonitorState, level_of

BATCH = 512
SNAPSHOT_EVERY = 100_000

EXAMPLE_PACK = """pack: vehicles
version: 1
title: {en: Vehicles}
owner: {en: Traffic police}
fields:
  fatigue_alarms: {type: integer}
levels:
  - {id: red, label: {en: Major}, color: red}
  - {id: orange, label: {en: High}, color: orange}
  - {id: yellow, label: {en: Medium}, color: yellow}
  - {id: blue, label: {en: Low}, color: blue}
score: {method: sum, bands: [{level: red, min: 30}, {level: orange, min: 20, max: 30},
                             {level: yellow, min: 10, max: 20}, {level: blue, max: 10}]}
rules:
  - {id: fatigue, when: "fatigue_alarms >= 3", points: 10}
controls:
  tiers: {brigade: {en: Traffic brigade}}
inspection: {interval_days: {red: 7, orange: 30, yellow: 90, blue: 180}}
lifecycle:
  rectification: {deadline_hours: {any: 24}}
  overdue: {raise: 1, interval_multiply: 0.5, alert: [brigade]}
"""


@dataclass
class Outcome:
    """What became of one event: ``accepted``, ``duplicate`` or ``rejected`` (with the reason)."""

    event_id: str | None
    status: str
    reason: str | None = None
    alerts: list[Alert] = field(default_factory=list)


def alert_line(alert: Alert) -> str:
    """The JSON Lines form of an alert (keys sorted, so equal alerts are equal bytes)."""
    return json.dumps(alert, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class Monitor:
    """The event monitor of one pack's lifecycle, with its state in one SQLite file.

    ``rules`` is a pack file or a folder of packs (``pack`` picks one when several have a
    ``lifecycle`` section); ``pack_text`` is pack YAML given directly. Without either, the pack
    stored in the database when it was first used is taken. A database keeps to the pack it was
    started with: the journal only replays to the same state under the same rules.
    """

    def __init__(self, db: str | os.PathLike[str], rules: str | os.PathLike[str] | None = None, *,
                 pack: str | None = None, pack_text: str | None = None, snapshot_every: int = SNAPSHOT_EVERY):
        self.journal = Journal(db)
        self.snapshot_every = snapshot_every
        self._poisoned = False
        self._since_snapshot = 0
        try:
            self.program = self._program(rules, pack, pack_text)
            self.state = MonitorState()
            snap = self.journal.latest_snapshot()
            if snap is not None:
                self.state = MonitorState.from_json(snap[1])
            self.effects = Effects(self.program, self.state)
            self.replay()
        except BaseException:
            self.journal.close()
            raise

    # --- the pack -----------------------------------------------------------------------------------------
    def _program(self, rules: Any, pack: str | None, pack_text: str | None) -> Program:
        if pack_text is None and rules is not None:
            candidates = []
            for f in pack_files(rules):
                text = f.read_text(encoding="utf-8-sig")
                program = loads_pack(text, str(f))
                if program.lifecycle is not None and (pack is None or program.pack_id == pack):
                    candidates.append((program, text))
            if not candidates:
                raise OptionError(f"no pack{' ' + repr(pack) if pack else ''} with a 'lifecycle' section in "
                                  f"{rules}; see rules/lifecycle_examples.md")
            if len(candidates) > 1:
                raise OptionError("several packs have a 'lifecycle' section; choose one with --pack: "
                                  + ", ".join(p.pack_id for p, _ in candidates))
            program, pack_text = candidates[0]
        elif pack_text is not None:
            program = loads_pack(pack_text, "<pack>")
        else:
            stored = self.journal.get_meta("pack_text")
            if stored is None:
                raise OptionError(f"{self.journal.path} holds no pack yet: give the rules")
            program = loads_pack(stored, self.journal.get_meta("pack_file") or "<stored pack>")
            pack_text = stored
        if program.lifecycle is None:
            raise OptionError(f"pack '{program.pack_id}' has no 'lifecycle' section")
        stored_sha = self.journal.get_meta("pack_sha256")
        if stored_sha is None:
            self.journal.set_meta("pack_text", pack_text)
            self.journal.set_meta("pack_file", program.file)
            self.journal.set_meta("pack_sha256", program.sha256)
        elif stored_sha != program.sha256:
            raise OptionError(f"{self.journal.path} was started with another version of pack "
                              f"'{program.pack_id}' (sha256 {stored_sha[:12]}…); start a new database")
        return program

    # --- events -----------------------------------------------------------------------------------------------
    def process(self, events: Iterable[Any], batch: int = BATCH) -> list[Outcome]:
        """Process events (JSON lines, dicts or event models); one Outcome per event, in order."""
        return [o for chunk in self.stream(events, batch) for o in chunk]

    def stream(self, events: Iterable[Any], batch: int = BATCH) -> Iterator[list[Outcome]]:
        """Process events in batches of ``batch``; yields each batch's outcomes once it is durable."""
        chunk: list[Any] = []
        for item in events:
            if isinstance(item, str) and not item.strip():
                continue
            chunk.append(item)
            if len(chunk) >= batch:
                yield self._batch(chunk)
                chunk = []
        if chunk:
            yield self._batch(chunk)

    def _batch(self, items: list[Any]) -> list[Outcome]:
        outcomes = []
        journal = self.journal
        journal.begin()
        try:
            for item in items:
                outcomes.append(self._one(item))
            journal.commit()
        except BaseException:
            journal.rollback()
            self._poisoned = True
            raise
        accepted = sum(o.status == "accepted" for o in outcomes)
        self._since_snapshot += accepted
        if self._since_snapshot >= self.snapshot_every:
            self.snapshot()
        return outcomes

    def _one(self, item: Any) -> Outcome:
        if self._poisoned:
            raise EngineError("this monitor failed while applying an event; open the database again to rebuild")
        body = item if isinstance(item, str) else (item.model_dump_json() if hasattr(item, "model_dump_json")
                                                    else json.dumps(item, ensure_ascii=False, default=str))
        body = body.strip()
        try:
            ev = parse_event(item)
        except EventError as exc:
            self.journal.reject(exc.event_id, f"malformed: {exc.reason}", body)
            return Outcome(exc.event_id, "rejected", f"malformed: {exc.reason}")
        reason = self.effects.check(ev)
        if reason is not None:
            if self.journal.has_event(ev.id):
                return Outcome(ev.id, "duplicate")
            self.journal.reject(ev.id, reason, body)
            return Outcome(ev.id, "rejected", reason)
        seq = self.journal.append(ev.id, ev.ts, body)
        if seq is None:
            return Outcome(ev.id, "duplicate")
        alerts = self.effects.apply(ev)
        self.state.seq = seq
        return Outcome(ev.id, "accepted", alerts=alerts)

    def replay(self, on_alert: Any = None) -> int:
        """Apply the journal after the state's seq (done on open); returns the number of events."""
        n = 0
        for seq, body in self.journal.events_after(self.state.seq):
            alerts = self.effects.apply(parse_event(body))
            self.state.seq = seq
            n += 1
            if on_alert is not None:
                for a in alerts:
                    on_alert(a)
        return n

    # --- state ----------------------------------------------------------------------------------------------
    def snapshot(self) -> None:
        """Store the whole state at the current journal position (restart = snapshot + tail)."""
        self.journal.save_snapshot(self.state.seq, self.state.to_json())
        self._since_snapshot = 0

    def digest(self) -> str:
        """sha256 of the canonical state: equal states, equal digests."""
        text = json.dumps(self.state.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def status(self, entity_id: str) -> dict[str, Any] | None:
        """An entity's current level, pack grade, open hazards with deadlines, follow-ups, history."""
        ent = self.state.entities.get(entity_id)
        if ent is None:
            return None
        program, levels = self.program, self.program.levels
        level, interval = level_of(program, ent)
        hazards, follow_ups = [], []
        for key, hz in sorted(self.state.hazards.items()):
            if hz["entity"] != entity_id:
                continue
            if hz["status"] in ("open", "overdue"):
                hazards.append({"hazard": hz["hazard"], "severity": hz["severity"], "status": hz["status"],
                                "found": iso(hz["found"]), "deadline": iso(hz["deadline"])})
            elif hz["follow_key"] is not None:
                item = self.state.items.get(hz["follow_key"])
                follow_ups.append({"hazard": hz["hazard"], "rectified": iso(hz["rectified"]),
                                   "due": None if item is None else iso(item["deadline"]),
                                   "overdue": item is None})
        accidents = [iso(self.state.items[k]["deadline"]) for k in ent["accidents"]]
        last = ent["last_inspection"]
        return {
            "entity": entity_id, "pack": program.pack_id, "clock": None if self.state.clock is None else
            iso(self.state.clock), "level": levels[level].id, "graded": ent["graded"],
            "pack_level": None if ent["base"] is None else levels[ent["base"]].id, "score": ent["score"],
            "fired": ent["fired"], "inspection_interval_days": interval,
            "last_inspection": None if last is None else iso(last),
            "next_inspection": None if last is None or interval is None else iso(last + interval * 86400),
            "open_hazards": hazards, "follow_ups": follow_ups, "accident_raise_until": accidents,
            "history": list(ent["history"]),
        }

    def open_hazards(self) -> list[dict[str, Any]]:
        """Every hazard not yet rectified, across entities: entity, hazard, severity, status (open or
        overdue), found and deadline; in the order they were found."""
        return [{"entity": hz["entity"], "hazard": hz["hazard"], "severity": hz["severity"], "status": hz["status"],
                 "found": iso(hz["found"]), "deadline": iso(hz["deadline"])}
                for _, hz in sorted(self.state.hazards.items()) if hz["status"] in ("open", "overdue")]

    def rejects(self) -> list[dict[str, Any]]:
        """Every rejected event with its reason, oldest first."""
        return self.journal.rejects()

    def close(self) -> None:
        """Snapshot (when events arrived since the last one) and close the database."""
        try:
            if self._since_snapshot and not self._poisoned:
                self.snapshot()
        finally:
            self.journal.close()

    def __enter__(self) -> "Monitor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def open_readonly_path(db: str | os.PathLike[str]) -> Path:
    """The database path, checked to exist (``status`` never creates one)."""
    path = Path(db)
    if not path.exists():
        raise OptionError(f"no monitor database at {path}")
    return path


__all__ = ["EXAMPLE_PACK", "Monitor", "Outcome", "alert_line", "open_readonly_path"]
