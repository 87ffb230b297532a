"""A pack with every lifecycle feature, terse event builders, and a deterministic event stream."""

from __future__ import annotations

import itertools

LIFECYCLE_PACK = """
pack: venues
version: "1.0"
title: {zh: 场所, en: Venues}
owner: {zh: 消防救援机构, en: Fire and rescue}
fields:
  occupancy: {type: integer, min: 0}
  sprinkler: {type: boolean}
  last_inspection: {type: date}
levels:
  - {id: red, label: {en: Major}, color: red}
  - {id: orange, label: {en: High}, color: orange}
  - {id: yellow, label: {en: Medium}, color: yellow}
  - {id: blue, label: {en: Low}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 30}, {level: orange, min: 20, max: 30}, {level: yellow, min: 10, max: 20},
          {level: blue, max: 10}]
rules:
  - {id: crowded, when: "occupancy >= 500", points: 10}
  - {id: no_sprinkler, when: "not sprinkler", points: 10}
controls:
  tiers: {station: {zh: 派出所}, county: {zh: 县局}, city: {zh: 市局}}
inspection:
  last_inspection: last_inspection
  interval_days: {red: 30, orange: 90, yellow: 180, blue: 360}
lifecycle:
  rectification:
    deadline_hours: {major: 720, general: 168, vehicle: 24}
  overdue: {raise: 1, interval_multiply: 0.5, alert: [station, county]}
  follow_up: {within_days: 30, alert: [station]}
  accident: {raise: 1, days: 365, alert: [county]}
  unscheduled_inspection:
    - {id: complaints, event: complaint, count: 3, within_days: 30, alert: [station]}
    - {id: fatigue, event: vehicle_alarm, count: 5, within_days: 7, alert: [county]}
"""


class Feed:
    """Builds events with fresh ids: ``feed.hazard('A', 'H1', 'major', '2026-01-01T00:00:00')``."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def ev(self, type_: str, at: str, **data: object) -> dict:
        return {"id": f"ev{next(self._ids)}", "type": type_, "at": at, **data}

    def hazard(self, entity: str, hazard: str, severity: str, at: str, **data: object) -> dict:
        return self.ev("hazard_found", at, entity=entity, hazard=hazard, severity=severity, **data)

    def rectified(self, entity: str, hazard: str, at: str) -> dict:
        return self.ev("hazard_rectified", at, entity=entity, hazard=hazard)

    def tick(self, at: str) -> dict:
        return self.ev("tick", at)


def alerts_of(outcomes) -> list[dict]:
    return [a for o in outcomes for a in o.alerts]


def kinds(outcomes) -> list[str]:
    return [a["alert"] for a in alerts_of(outcomes)]


def stream(seed: int, n: int, entities: int = 40) -> list[dict]:
    """A deterministic, realistic mix of events over ~100 days (every kind, ticks every few hours)."""
    import datetime as dt
    import random

    rnd = random.Random(seed)
    t0 = dt.datetime(2026, 1, 1)
    out: list[dict] = []
    open_h: list[tuple[str, str]] = []
    rectified: list[tuple[str, str]] = []
    clock = 0
    for i in range(n):
        clock += rnd.randint(60, 3 * 3600)
        at = (t0 + dt.timedelta(seconds=clock)).isoformat()
        ent = f"E{rnd.randrange(entities)}"
        r = rnd.random()
        base = {"id": f"s{seed}-{i}", "at": at}
        if r < 0.10:
            out.append({**base, "type": "tick"})
        elif r < 0.35:
            h = f"H{i}"
            open_h.append((ent, h))
            out.append({**base, "type": "hazard_found", "entity": ent, "hazard": h,
                        "severity": rnd.choice(["major", "general", "vehicle"])})
        elif r < 0.55 and open_h:
            e, h = open_h.pop(rnd.randrange(len(open_h)))
            rectified.append((e, h))
            out.append({**base, "type": "hazard_rectified", "entity": e, "hazard": h})
        elif r < 0.62 and rectified:
            e, h = rectified.pop(rnd.randrange(len(rectified)))
            out.append({**base, "type": "follow_up_done", "entity": e, "hazard": h})
        elif r < 0.75:
            out.append({**base, "type": "complaint", "entity": ent})
        elif r < 0.82:
            out.append({**base, "type": "vehicle_alarm", "entity": ent, "alarm": "fatigue"})
        elif r < 0.86:
            out.append({**base, "type": "accident", "entity": ent})
        elif r < 0.92:
            out.append({**base, "type": "entity_updated", "entity": ent,
                        "values": {"occupancy": rnd.choice([10, 600]), "sprinkler": rnd.random() < 0.5}})
        else:
            out.append({**base, "type": "inspection", "entity": ent})
    return out
