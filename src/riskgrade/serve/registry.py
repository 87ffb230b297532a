"""The graded registry the workbench shows (the last one uploaded or graded through the API): the
four-colour counts overall, per pack and per county/station/grid, the most severe entities with their
top reasons, and the inspections overdue on the grading date."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from ..api import GradeOptions, GradeResult, find_entity, read_entities
from ..compiler import Program
from ..explain.values import jsonable, text

JURISDICTIONS = ("county", "station", "grid")
CARRIED = ("name", "address", "city", *JURISDICTIONS)
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
    options: GradeOptions
    name: str
    source: Path | str | list[dict[str, Any]] | None = None
    graded_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    def __post_init__(self) -> None:
        self.as_of: dt.date = self.options.as_of
        self.overview = self._overview()
        self._raw: pa.Table | None = None
        self._lock = threading.Lock()

    def _overview(self) -> dict[str, Any]:
        """Counts and lists with Arrow's kernels: a registry of 10^5 rows takes a fraction of a second."""
        wide, long = self.result.wide, self.result.long
        applied = long.filter(pc.fill_null(long.column("applies"), False))
        by_pack: dict[str, dict[str, int]] = {p.pack_id: {} for p in self.programs}
        for row in applied.group_by(["pack", "level"]).aggregate([([], "count_all")]).to_pylist():
            by_pack.setdefault(row["pack"], {})[row["level"]] = row["count_all"]
        levels = wide.column("overall_level") if "overall_level" in wide.column_names else pa.array([], pa.string())
        overall = {row["values"]: row["counts"] for row in pc.value_counts(levels).to_pylist()
                   if row["values"] is not None}
        severe_rows = wide.filter(pc.fill_null(pc.less_equal(wide.column("overall_rank"), SEVERE_RANKS), False))
        severe_rows = severe_rows.sort_by([("overall_rank", "ascending"), ("entity_id", "ascending")])
        overdue = self._overdue(applied)
        return {
            "name": self.name, "as_of": self.as_of.isoformat(), "graded_at": self.graded_at.isoformat(),
            "counts": {"rows_in": self.result.counts.rows_in, "graded": self.result.counts.graded,
                       "rejected": self.result.counts.rejected},
            "levels": level_scale(self.programs),
            "overall": overall, "not_graded_by_any_pack": levels.null_count,
            "by_pack": by_pack,
            "by_jurisdiction": {j: _grouped(wide, j) for j in JURISDICTIONS if j in wide.column_names},
            "severe_total": severe_rows.num_rows, "severe": self._severe(severe_rows.slice(0, LISTED), applied),
            "overdue_total": overdue[0], "overdue_inspections": overdue[1],
            "rejects_total": len(self.result.rejects),
            "rejects": [r.to_dict() for r in self.result.rejects[:LISTED]],
        }

    def _severe(self, rows: pa.Table, applied: pa.Table) -> list[dict[str, Any]]:
        """The most severe entities listed, each with the fired rules that weigh most."""
        programs = {p.pack_id: p for p in self.programs}
        ids = rows.column("entity_id")
        theirs = applied.filter(pc.is_in(applied.column("entity_id"), value_set=ids.combine_chunks()))
        fired: dict[str, list[dict[str, Any]]] = {}
        for row in theirs.select(["entity_id", "pack", "fired"]).to_pylist():
            fired.setdefault(row["entity_id"], []).extend(reasons(programs[row["pack"]], row["fired"] or []))
        keep = [c for c in ("entity_id", "overall_level", "overall_rank", "name", *JURISDICTIONS)
                if c in rows.column_names]
        out = []
        for row in rows.select(keep).to_pylist():
            why = sorted(fired.get(row["entity_id"], []), key=lambda r: r["veto"] is None)[:3]
            out.append({**{k: v for k, v in row.items() if not k.startswith("overall_")},
                        "level": row["overall_level"], "rank": row["overall_rank"], "reasons": why})
        return out

    def _overdue(self, applied: pa.Table) -> tuple[int, list[dict[str, Any]]]:
        """How many inspections are overdue on the grading date, and the longest overdue."""
        due = applied.column("next_inspection")
        late = applied.filter(pc.fill_null(pc.less(due, pa.scalar(self.as_of, pa.date32())), False))
        total = late.num_rows
        late = late.sort_by([("next_inspection", "ascending"), ("entity_id", "ascending")]).slice(0, LISTED)
        keep = [c for c in ("entity_id", "name", "pack", "level", "next_inspection") if c in late.column_names]
        out = []
        for row in late.select(keep).to_pylist():
            nxt = row["next_inspection"]
            out.append({**row, "next_inspection": nxt.isoformat(), "days_overdue": (self.as_of - nxt).days})
        return total, out

    def info(self, entity_id: str) -> dict[str, Any]:
        """What the results carry about an entity (name, address, county, station, grid) by their ids."""
        wide = self.result.wide
        rows = wide.filter(pc.equal(wide.column("entity_id"), entity_id)).slice(0, 1).to_pylist()
        return {k: v for k, v in rows[0].items() if k in CARRIED and v is not None} if rows else {}

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        """The entity's row as the registry holds it (its headers and spellings), for explaining its
        grade; the source is read once, on first use."""
        with self._lock:
            if self._raw is None:
                self._raw = read_entities(self.source, encoding=self.options.encoding, sheet=self.options.sheet) \
                    if self.source is not None else pa.table({})
        found = find_entity(self._raw, entity_id, self.programs, self.options) if self._raw.num_columns else None
        return None if found is None else jsonable(found)


def _grouped(wide: pa.Table, column: str) -> list[dict[str, Any]]:
    """Per value of ``column`` (county, station, grid), the entities at each overall level."""
    groups = wide.select([column, "overall_level"]).filter(pc.is_valid(wide.column("overall_level")))
    groups = groups.set_column(0, column, pc.fill_null(groups.column(column).cast(pa.string()), "-"))
    counts: dict[str, dict[str, int]] = {}
    for row in groups.group_by([column, "overall_level"]).aggregate([([], "count_all")]).to_pylist():
        counts.setdefault(row[column], {})[row["overall_level"]] = row["count_all"]
    return [{"group": g, "counts": c, "total": sum(c.values())} for g, c in sorted(counts.items())]


class RegistryHolder:
    """The last graded registry (one at a time; a new one replaces it whole)."""

    def __init__(self) -> None:
        self.current: GradedRegistry | None = None

    def replace(self, registry: GradedRegistry) -> None:
        old, self.current = self.current, registry
        if old is not None and isinstance(old.source, Path) and old.source != registry.source:
            old.source.unlink(missing_ok=True)
