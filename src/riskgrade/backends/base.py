"""What every grading backend produces, the Protocol they all satisfy, and the adapter that lets an
engine that grades one entity at a time grade a chunk of columns.

An engine is anything with a ``name`` and the two functions of ``Backend``; the engine modules
themselves (``backends.batch``, ``backends.reference``, ``backends.durable``) are the backends. The
``Grader`` takes one (the batch engine by default) and every engine runs the same conformance cases
through it. The batch engine grades whole columns; the others grade entity by entity and are adapted
with ``columns_by_entity``, so that all of them hand the ``Grader`` the same ``PackGrades``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Protocol, Sequence, runtime_checkable

import numpy as np

from ..compiler.program import Program
from ..errors import OptionError
from ..expr.nodes import STRING, Expr, GroupBy, Name, Type
from ..scoring.interval import adjustment_ids, overdue_days
from ..table import Codes, ListColumn, Table, Tri, day_number, from_day_number
from ..table.values import entity_values

# One reason a row is rejected: (field or rule, offending value, plain-language reason, code)
Reason = tuple[str, Any, str, str]
# One entity's grade by one pack: the long form's columns and the pack's derived values, by name;
# or ``{"rejected": [Reason, ...]}``
Record = dict[str, Any]


@dataclass
class PackGrades:
    """Columnar grades of one chunk of entities by one pack (row i = entity i of the chunk): what
    every engine produces, before ``results.tables`` turns it into the output contract."""

    program: Program
    as_of: dt.date
    applies: np.ndarray  # bool (False where undecided)
    level: np.ndarray  # int64 level index, -1 where the pack does not apply
    score: np.ndarray  # float64, NaN where unknown or not applicable
    hits: np.ndarray  # bool (n, rules): fired
    controls: np.ndarray  # bool (n, measures)
    gaps: np.ndarray  # bool (n, program.gap_names)
    interval: np.ndarray  # float64 days, NaN where none
    next_due: np.ndarray  # float64 day numbers, NaN where none
    derived: dict[str, Any]  # name -> column (float64 / Tri / Codes)
    rejects: dict[int, list[Reason]] = field(default_factory=dict)  # row -> reasons
    adjusted: np.ndarray | None = None  # bool (n, modifiers + campaigns): applied to the interval
    # bool: ``applies_when`` is unknown (missing data decides it): neither graded nor left out
    undecided: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.applies)


@runtime_checkable
class Backend(Protocol):
    """A grading engine. Both functions grade with one pack and give the same grades:

    - ``grade_columns``: a chunk of typed columns (``table.Table``, as ``table.convert`` builds it)
      -> ``PackGrades``, row i for entity i; what the ``Grader`` calls;
    - ``grade_records``: entities as dicts of raw values -> one ``Record`` per entity, the long
      form's columns and the derived values (a rejected entity: ``{"rejected": reasons}``).

    ``params`` are the pack's parameters by name (unset ones take their defaults).
    """

    name: str

    def grade_columns(self, program: Program, table: Table, as_of: dt.date,
                      params: Mapping[str, Any] | None = None) -> PackGrades: ...

    def grade_records(self, program: Program, records: Sequence[Mapping[str, Any]], as_of: dt.date,
                      params: Mapping[str, Any] | None = None) -> list[Record]: ...


# (program, typed values of one entity, grading date, resolved parameters) -> its Record
EntityGrader = Callable[[Program, Mapping[str, Any], dt.date, Mapping[str, Any]], Record]


def columns_by_entity(grade_entity: EntityGrader, program: Program, table: Table, as_of: dt.date,
                      params: Mapping[str, Any] | None = None) -> PackGrades:
    """``grade_columns`` for an engine that grades one entity at a time: each row's typed values
    (``table.values``) graded by ``grade_entity``, the records gathered into ``PackGrades``."""
    chosen = resolve_params(program, params)
    records = [grade_entity(program, values, as_of, chosen) for values in entity_values(program.fields, table)]
    return grades_from_records(program, as_of, records)


def grades_from_records(program: Program, as_of: dt.date, records: Sequence[Record]) -> PackGrades:
    """One pack's records of a chunk's entities, as the columns the batch engine would give."""
    n, idx = len(records), _indexes(program)
    applies = np.zeros(n, dtype=bool)
    level = np.full(n, -1, dtype=np.int64)
    score, interval, next_due = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    hits = np.zeros((len(program.rules), n), dtype=bool)
    controls = np.zeros((len(program.measures), n), dtype=bool)
    gaps = np.zeros((len(program.gap_names), n), dtype=bool)
    undecided = np.zeros(n, dtype=bool)
    adjusted = np.zeros((len(idx["adjustments"]), n), dtype=bool)
    derived: dict[str, list[Any]] = {name: [None] * n for name, _ in program.derive}
    rejects: dict[int, list[Reason]] = {}
    for i, rec in enumerate(records):
        if "rejected" in rec:
            rejects[i] = list(rec["rejected"])
            continue
        applies[i] = rec["applies"] is True
        undecided[i] = rec["applies"] is None
        if rec["level"] is not None:
            level[i] = idx["levels"][rec["level"]]
        score[i] = np.nan if rec["score"] is None else rec["score"]
        for matrix, key, names in ((hits, "fired", "rules"), (controls, "controls", "measures"),
                                   (gaps, "data_gaps", "gaps"), (adjusted, "inspection_modifiers", "adjustments")):
            for name in rec[key]:
                matrix[idx[names][name], i] = True
        if rec["inspection_interval_days"] is not None:
            interval[i] = rec["inspection_interval_days"]
        if rec["next_inspection"] is not None:
            next_due[i] = day_number(rec["next_inspection"])
        for name in derived:
            derived[name][i] = rec.get(name)
    columns = {name: value_column(cexpr.node, derived[name]) for name, cexpr in program.derive}
    return PackGrades(program, as_of, applies, level, score, hits.T, controls.T, gaps.T, interval, next_due,
                      columns, rejects, adjusted.T, undecided)


def _indexes(program: Program) -> dict[str, dict[str, int]]:
    cached = program.cache.get("record_indexes")
    if cached is None:
        cached = program.cache["record_indexes"] = {
            "levels": {lv.id: i for i, lv in enumerate(program.levels)},
            "rules": {r.id: r.index for r in program.rules},
            "measures": {m: i for i, (m, _) in enumerate(program.measures)},
            "gaps": {g: i for i, g in enumerate(program.gap_names)},
            "adjustments": {a: i for i, a in enumerate(adjustment_ids(program.inspection))},
        }
    return cached


def value_column(node: Expr, values: Sequence[Any]) -> Any:
    """Derived values (Python, ``None`` = missing) as the batch engine holds them."""
    if isinstance(node, GroupBy):  # a grouped list: records {key, value…} per row
        rows = [v or [] for v in values]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in rows], out=offsets[1:])
        items = [g for r in rows for g in r]
        columns = {node.key: Codes.from_strings([g.get(node.key) for g in items])}
        columns.update((name, value_column(e, [g.get(name) for g in items])) for name, e in node.values)
        return ListColumn(offsets, np.array([v is not None for v in values], dtype=bool), Table(len(items), columns))
    kind = node.type.kind
    if kind == "boolean":
        return Tri(np.array([v is True for v in values], dtype=bool), np.array([v is not None for v in values],
                                                                               dtype=bool))
    if kind == "string":
        return Codes.from_strings(list(values))
    if kind == "date":
        return np.array([np.nan if v is None else day_number(v) for v in values], dtype=np.float64)
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def records_from_grades(grades: PackGrades) -> list[Record]:
    """The inverse of ``grades_from_records``: one Record per row of a chunk's ``PackGrades``."""
    g, p = grades, grades.program
    rules, measures = [r.id for r in p.rules], [m for m, _ in p.measures]
    gaps, adjustments = list(p.gap_names), adjustment_ids(p.inspection)
    derived = {name: python_values(cexpr.node, g.derived[name], g.n) for name, cexpr in p.derive}
    undecided = g.undecided if g.undecided is not None else np.zeros(g.n, dtype=bool)
    out: list[Record] = []
    for i in range(g.n):
        if i in g.rejects:
            out.append({"rejected": list(g.rejects[i])})
            continue
        lv = int(g.level[i])
        rec: Record = {
            "pack": p.pack_id, "pack_version": p.version, "pack_sha256": p.sha256,
            "applies": None if undecided[i] else bool(g.applies[i]),
            "level": p.levels[lv].id if lv >= 0 else None, "rank": lv + 1 if lv >= 0 else None,
            "color": p.levels[lv].color if lv >= 0 else None,
            "score": None if np.isnan(g.score[i]) else float(g.score[i]),
            "fired": [rules[j] for j in np.flatnonzero(g.hits[i])],
            "controls": [measures[j] for j in np.flatnonzero(g.controls[i])],
            "responsible": p.responsible[lv] if lv >= 0 else None,
            "inspection_interval_days": None if np.isnan(g.interval[i]) else int(g.interval[i]),
            "next_inspection": None if np.isnan(g.next_due[i]) else from_day_number(g.next_due[i]),
            "inspection_overdue_days": None if np.isnan(g.next_due[i]) else
            overdue_days(from_day_number(g.next_due[i]), g.as_of),
            "inspection_modifiers": [] if g.adjusted is None else
            [adjustments[j] for j in np.flatnonzero(g.adjusted[i])],
            "data_gaps": [gaps[j] for j in np.flatnonzero(g.gaps[i])],
        }
        rec.update((name, values[i]) for name, values in derived.items())
        out.append(rec)
    return out


def python_values(node: Expr, value: Any, n: int) -> list[Any]:
    """A derived column (numpy representation, possibly a broadcast scalar) as Python values."""
    if isinstance(value, ListColumn):  # a grouped list
        assert isinstance(node, GroupBy)
        m = value.items.n
        columns = {node.key: python_values(Name(STRING, 0, 0, node.key, "group"), value.items.columns[node.key], m)}
        columns.update((name, python_values(e, value.items.columns[name], m)) for name, e in node.values)
        items = [dict(zip(columns, row)) for row in zip(*columns.values())] if columns else []
        offsets = value.offsets.tolist()
        return [items[offsets[i]:offsets[i + 1]] if known else None for i, known in enumerate(value.known.tolist())]
    if isinstance(value, Tri):
        v, k = np.broadcast_to(value.value, (n,)).tolist(), np.broadcast_to(value.known, (n,)).tolist()
        return [bool(a) if b else None for a, b in zip(v, k)]
    if isinstance(value, Codes):
        return Codes(np.broadcast_to(value.codes, (n,)), value.vocab).to_list()
    x = np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).tolist()
    if node.type.kind == "date":
        return [None if v != v else from_day_number(v) for v in x]
    return [None if v != v else v for v in x]


def resolve_params(program: Program, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The pack's parameters with the caller's choices applied and checked."""
    out = {name: default for name, (_, default) in program.params.items()}
    for name, value in (params or {}).items():
        if name not in program.params:
            known = ", ".join(program.params) or "none"
            raise OptionError(f"pack '{program.pack_id}' has no parameter '{name}' (parameters: {known})")
        out[name] = check_param(program.pack_id, name, program.params[name][0], value)
    return out


def check_param(pack_id: str, name: str, t: Type, value: Any) -> Any:
    if t.values is not None and value not in t.values:
        raise OptionError(f"parameter '{name}' of pack '{pack_id}' must be one of {', '.join(t.values)}; "
                          f"got {value!r}")
    if t.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise OptionError(f"parameter '{name}' of pack '{pack_id}' must be a number; got {value!r}")
        return float(value)
    if t.kind == "boolean" and not isinstance(value, bool):
        raise OptionError(f"parameter '{name}' of pack '{pack_id}' must be true or false; got {value!r}")
    return value
