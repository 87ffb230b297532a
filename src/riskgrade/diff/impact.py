"""Impact of a pack change on a population: level transitions, who moved and why, per jurisdiction,
and the change in inspection workload (inspections per year = Σ 365 / interval).

Both versions grade the same entity file with the batch engine (``grading.grade_source``). Every row of the
file is one member of the population on both sides — graded, not applicable, or rejected — so each
pack's transition matrix adds up to the number of rows read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..compiler import Program
from ..grading import GradeOptions, GradeResult, grade_source

NOT_APPLICABLE = "not_applicable"
UNDECIDED = "undecided"  # the data that decides whether the pack applies is missing
REJECTED = "rejected"
NO_PACK = "no_pack"
JURISDICTIONS = ("county", "station")


@dataclass
class Member:
    """One entity's grade by one pack on one side."""

    state: str  # level id, not_applicable, undecided, rejected, no_pack
    rank: int | None = None
    fired: frozenset[str] = frozenset()
    interval: int | None = None


@dataclass
class Side:
    """One version's grades: per population key, per pack, a Member; plus what identifies the packs."""

    programs: Sequence[Program]
    members: dict[str, dict[str, Member]] = field(default_factory=dict)
    info: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> name, county, station
    rows_in: int = 0


def grade_side(programs: Sequence[Program], entities: Any, as_of: dt.date,
               params: Mapping[str, Any] | None = None) -> Side:
    """Grade the population with one version of the packs."""
    result = grade_source(entities, programs, GradeOptions(as_of=as_of, params=dict(params or {})))
    side = Side(programs, rows_in=result.counts.rows_in)
    _graded(side, result)
    _rejected(side, result, [p.pack_id for p in programs])
    return side


def _graded(side: Side, result: GradeResult) -> None:
    table = result.long
    names = table.column_names
    cols = {c: table.column(c).to_pylist() for c in ("entity_id", "pack", "applies", "level", "rank", "fired",
                                                      "inspection_interval_days")}
    extra = {c: table.column(c).to_pylist() for c in ("name", *JURISDICTIONS) if c in names}
    for i, key in enumerate(cols["entity_id"]):
        applies = cols["applies"][i]
        state = cols["level"][i] if applies else UNDECIDED if applies is None else NOT_APPLICABLE
        side.members.setdefault(key, {})[cols["pack"][i]] = Member(
            state, cols["rank"][i], frozenset(cols["fired"][i] or ()), cols["inspection_interval_days"][i])
        if key not in side.info:
            side.info[key] = {c: v[i] for c, v in extra.items()}


def _rejected(side: Side, result: GradeResult, pack_ids: list[str]) -> None:
    seen_rows: set[int] = set()
    for r in result.rejects:
        if r.row in seen_rows:  # a row may carry several reasons
            continue
        seen_rows.add(r.row)
        key = r.entity_id or f"row-{r.row}"
        if key in side.members:  # a repeated id: the later row is its own member
            key = f"{key}@row{r.row}"
        side.members[key] = {p: Member(REJECTED) for p in pack_ids}
        side.info.setdefault(key, {})


def workload(members: Sequence[Member]) -> float:
    """Inspections per year: Σ 365 / interval over the graded members that have an interval."""
    return sum(365.0 / m.interval for m in members if m.interval)


@dataclass
class PackImpact:
    pack: str
    old: dict[str, Any] | None  # provenance of each side's version (None: the pack is only on one side)
    new: dict[str, Any] | None
    states: list[str]
    matrix: dict[str, dict[str, int]]
    moved: list[dict[str, Any]]
    refired: int  # entities whose fired rules changed but whose level did not
    workload_old: float
    workload_new: float
    by_jurisdiction: dict[str, list[dict[str, Any]]]

    @property
    def population(self) -> int:
        return sum(sum(row.values()) for row in self.matrix.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "pack": self.pack, "old": self.old, "new": self.new, "population": self.population,
            "states": self.states, "matrix": self.matrix, "moved_count": len(self.moved),
            "up": sum(m["direction"] == "up" for m in self.moved),
            "down": sum(m["direction"] == "down" for m in self.moved),
            "fired_changed_level_kept": self.refired,
            "workload": {"old": round(self.workload_old, 2), "new": round(self.workload_new, 2),
                         "change": round(self.workload_new - self.workload_old, 2)},
            "by_jurisdiction": self.by_jurisdiction, "moved": self.moved,
        }


def _provenance(programs: Sequence[Program], pack_id: str) -> dict[str, Any] | None:
    p = next((p for p in programs if p.pack_id == pack_id), None)
    return None if p is None else {"version": p.version, "sha256": p.sha256, "file": p.file}


def _states(programs: Sequence[Program]) -> list[str]:
    return [lv.id for p in programs for lv in p.levels]


def compare(old: Side, new: Side) -> list[PackImpact]:
    """Per pack (of either side), the impact of going from ``old`` to ``new``."""
    pack_ids = list(dict.fromkeys([p.pack_id for p in old.programs] + [p.pack_id for p in new.programs]))
    keys = list(dict.fromkeys([*old.members, *new.members]))
    return [_pack_impact(pid, old, new, keys) for pid in pack_ids]


def _member(side: Side, key: str, pack_id: str) -> Member:
    per_pack = side.members.get(key)
    if per_pack is None:
        return Member(REJECTED)
    return per_pack.get(pack_id, Member(NO_PACK))


def _pack_impact(pack_id: str, old: Side, new: Side, keys: list[str]) -> PackImpact:
    levels = list(dict.fromkeys(_states([p for p in old.programs if p.pack_id == pack_id])
                                + _states([p for p in new.programs if p.pack_id == pack_id])))
    matrix: dict[str, Counter[str]] = defaultdict(Counter)
    moved, refired = [], 0
    pairs = []
    for key in keys:
        a, b = _member(old, key, pack_id), _member(new, key, pack_id)
        pairs.append((key, a, b))
        matrix[a.state][b.state] += 1
        if a.state != b.state:
            info = new.info.get(key) or old.info.get(key) or {}
            moved.append({"entity_id": key, **info, "from": a.state, "to": b.state,
                          "direction": _direction(a, b), "newly_fired": sorted(b.fired - a.fired),
                          "stopped_firing": sorted(a.fired - b.fired)})
        elif a.fired != b.fired:
            refired += 1
    used = {s for row in matrix for s in (row, *matrix[row])}
    states = [s for s in levels + [NOT_APPLICABLE, UNDECIDED, REJECTED, NO_PACK] if s in used or s in levels]
    states += sorted(used - set(states))
    table = {a: {b: matrix[a][b] for b in states} for a in states}
    return PackImpact(pack_id, _provenance(old.programs, pack_id), _provenance(new.programs, pack_id), states,
                      table, moved, refired, workload([a for _, a, _ in pairs]), workload([b for _, _, b in pairs]),
                      _by_jurisdiction(pairs, old, new))


def _direction(a: Member, b: Member) -> str:
    if a.rank is not None and b.rank is not None:
        return "up" if b.rank < a.rank else "down" if b.rank > a.rank else "same"
    return "other"


def _by_jurisdiction(pairs: list[tuple[str, Member, Member]], old: Side, new: Side) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for column in JURISDICTIONS:
        groups: dict[str, list[tuple[Member, Member]]] = defaultdict(list)
        present = False
        for key, a, b in pairs:
            info = new.info.get(key) or old.info.get(key) or {}
            present = present or column in info
            groups[str(info.get(column) or "-")].append((a, b))
        if not present:
            continue
        rows = []
        for value in sorted(groups):
            members = groups[value]
            transitions = Counter((a.state, b.state) for a, b in members)
            w_old, w_new = workload([a for a, _ in members]), workload([b for _, b in members])
            rows.append({column: value, "population": len(members),
                         "moved": sum(a.state != b.state for a, b in members),
                         "up": sum(_direction(a, b) == "up" for a, b in members if a.state != b.state),
                         "down": sum(_direction(a, b) == "down" for a, b in members if a.state != b.state),
                         "workload_old": round(w_old, 2), "workload_new": round(w_new, 2),
                         "workload_change": round(w_new - w_old, 2),
                         "transitions": [{"from": f, "to": t, "count": n}
                                         for (f, t), n in sorted(transitions.items()) if f != t]})
        out[column] = rows
    return out
