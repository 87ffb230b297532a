"""The graded registry the workbench shows (the last one uploaded or graded through the API): the
four-colour counts overall, per pack and per county/station/grid, the most severe entities with their
top reasons, and the inspections overdue on the grading date."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..api import GradeResult, read_entities
from ..compiler import Program
from ..explain.values import jsonable, text

JURISDICTIONS = ("county", "station", "grid")
SEVERE_RANKS = 2  # red and orange on the four-colour scale: the two most severe levels
LISTED = 200  # entities listed per table on the overview page


def level_scale(programs: Sequence[Program]) -> list[dict[str, Any]]:
    """The levels of all packs, most severe first, each once (packs share the four-colour ids)."""
    seen: dict[str, dict[str, Any]] = {}
    for p in programs:
        for rank, lv in enumerate(p.levels, 1):
            seen.setdefault(lv.id, {"id": lv.id, "rank": rank, "color": lv.color, "label": text(lv.label)})
    return sorted(seen.values(), key=lambda lv: lv["rank"])


def reasons(program: Program, fired: Sequence[str], limit: int = 3) -> list[dict[str, Any]]:
    """The fired rules that weigh most: vetoes (most severe first), then raises, then points."""
    by_id = {r.id: r for r in program.rules}
    rules = [by_id[f] for f in fired if f in by_id]
    rules.sort(key=lambda r: (r.set_level if r.set_level is not None else len(program.levels), -r.raise_, -r.points))
    return [{"pack": program.pack_id, "rule": r.id, "hazard": text(r.hazard),
             "veto": None if r.set_level is None else program.levels[r.set_level].id, "points": r.points}
            for r in rules[:limit]]


@dataclass
class GradedRegistry:
    """One graded registry and its overview, computed once when it is graded."""

    result: GradeResult
    programs: list[Program]
    as_of: dt.date
    name: str
    source: Path | str | list[dict[str, Any]] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    graded_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    def __post_init__(self) -> None:
        self.overview = self._overview()
        self._raw: dict[str, dict[str, Any]] | None = None
        self._lock = threading.Lock()

    def _overview(self) -> dict[str, Any]:
        wide, long = self.result.wide, self.result.long
        cols = {c: wide.column(c).to_pylist() for c in ("entity_id", "overall_level", "overall_rank",
                                                         *JURISDICTIONS, "name") if c in wide.column_names}
        levels = cols.get("overall_level", [])
        by_pack: dict[str, Counter[str]] = {p.pack_id: Counter() for p in self.programs}
        lcols = {c: long.column(c).to_pylist() for c in ("entity_id", "pack", "applies", "level", "fired",
                                                          "next_inspection", "rank")}
        fired: dict[str, dict[str, list[str]]] = {}
        overdue = []
        for i, pack in enumerate(lcols["pack"]):
            if not lcols["applies"][i]:
                continue
            by_pack[pack][lcols["level"][i]] += 1
            fired.setdefault(lcols["entity_id"][i], {})[pack] = lcols["fired"][i] or []
            due = lcols["next_inspection"][i]
            if due is not None and due < self.as_of:
                overdue.append({"entity_id": lcols["entity_id"][i], "pack": pack, "level": lcols["level"][i],
                                "next_inspection": due.isoformat(), "days_overdue": (self.as_of - due).days})
        overdue.sort(key=lambda o: (-o["days_overdue"], o["entity_id"]))
        programs = {p.pack_id: p for p in self.programs}
        severe = []
        for i, eid in enumerate(cols.get("entity_id", [])):
            rank = cols["overall_rank"][i]
            if rank is not None and rank <= SEVERE_RANKS:
                why = [r for pack, f in fired.get(eid, {}).items() for r in reasons(programs[pack], f)]
                severe.append({"entity_id": eid, "level": levels[i], "rank": rank,
                               **{c: cols[c][i] for c in ("name", *JURISDICTIONS) if c in cols},
                               "reasons": sorted(why, key=lambda r: r["veto"] is None)[:3]})
        severe.sort(key=lambda e: (e["rank"], e["entity_id"]))
        names = {eid: cols["name"][i] for i, eid in enumerate(cols.get("entity_id", []))} if "name" in cols else {}
        for o in overdue:
            o["name"] = names.get(o["entity_id"])
        return {
            "name": self.name, "as_of": self.as_of.isoformat(), "graded_at": self.graded_at.isoformat(),
            "counts": {"rows_in": self.result.counts.rows_in, "graded": self.result.counts.graded,
                       "rejected": self.result.counts.rejected},
            "levels": level_scale(self.programs),
            "overall": dict(Counter(lv for lv in levels if lv is not None)),
            "not_graded_by_any_pack": sum(lv is None for lv in levels),
            "by_pack": {p: dict(c) for p, c in by_pack.items()},
            "by_jurisdiction": {j: _grouped(cols[j], levels) for j in JURISDICTIONS if j in cols},
            "severe": severe, "overdue_inspections": overdue,
            "rejects": [r.to_dict() for r in self.result.rejects],
        }

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        """The entity's row as it was read, for explaining its grade (read once, on first use)."""
        with self._lock:
            if self._raw is None:
                self._raw = self._read()
        return self._raw.get(entity_id)

    def _read(self) -> dict[str, dict[str, Any]]:
        if self.source is None:
            return {}
        table = read_entities(self.source)
        key = next((c for c in ("entity_id", "id") if c in table.column_names), None)
        if key is None:
            return {}
        return {str(row[key]): {k: v for k, v in row.items() if v is not None}
                for row in jsonable(table.to_pylist()) if row.get(key) is not None}


def _grouped(groups: list[Any], levels: list[str | None]) -> list[dict[str, Any]]:
    counts: dict[str, Counter[str]] = {}
    for g, lv in zip(groups, levels):
        if lv is not None:
            counts.setdefault(str(g) if g is not None else "-", Counter())[lv] += 1
    return [{"group": g, "counts": dict(c), "total": sum(c.values())} for g, c in sorted(counts.items())]


class RegistryHolder:
    """The last graded registry (one at a time; a new one replaces it whole)."""

    def __init__(self) -> None:
        self.current: GradedRegistry | None = None

    def replace(self, registry: GradedRegistry) -> None:
        old, self.current = self.current, registry
        if old is not None and isinstance(old.source, Path) and old.source != registry.source:
            old.source.unlink(missing_ok=True)
