"""The batch engine: a chunk of entities as numpy columns, every expression a prepared kernel.

Per chunk and pack: derived values, applicability, the (entities × rules) hit matrix with its
unknown mask, the score, the level, the controls, the data gaps and the inspection interval — all as
whole-column operations. Nothing is built per entity until results are written.

As a ``Backend``: ``grade_columns`` is the engine; ``grade_records`` converts dicts to columns first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence

import numpy as np

from ..compiler.program import CompiledExpr, Program
from ..expr.lower_numpy import Frame, Kernel, broadcast, lower, missing_mask, to_tri
from ..scoring.interval import intervals_numpy
from ..scoring.combine import band_levels, final_levels
from ..scoring.methods import implementation
from ..table import Codes, ListColumn, Table, Tri, day_number
from ..table.convert import column_from_values, convert_entity
from .base import PackGrades, Reason, Record, records_from_grades, resolve_params

name = "batch"


def kernels(program: Program) -> dict[str, Kernel]:
    """Lowered kernels, prepared once per program and cached on it."""
    cached = program.cache.get("numpy")
    if cached is None:
        cached = {}
        for cexpr in _expressions(program):
            cached[cexpr.pointer] = lower(cexpr.node)
        program.cache["numpy"] = cached
    return cached


def _expressions(program: Program) -> list[CompiledExpr]:
    out = [c for _, c in program.derive] + [r.when for r in program.rules]
    score = program.score
    out += [c for c in (program.applies_when, score.expr, score.likelihood, score.severity) if c is not None]
    if program.inspection is not None:
        out += [m.when for m in program.inspection.modifiers if m.when is not None]
    return out


def numpy_params(program: Program, params: Mapping[str, Any]) -> dict[str, Any]:
    """The pack's parameters (already resolved) as the values kernels read: codes, Tri or float64."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        kind = program.params[name][0].kind
        if kind == "string":
            out[name] = Codes(np.int32(0), (str(value),))
        elif kind == "boolean":
            out[name] = Tri(np.bool_(value), np.bool_(True))
        else:
            out[name] = np.float64(value)
    return out


def field_missing(program: Program, table: Table) -> np.ndarray:
    """(fields, n) True where an input is missing (a list: missing, or a record with a missing value).

    Matrices are kept field-major (and rule-major below) so that one field's or rule's row is
    contiguous: the per-rule updates then touch memory sequentially."""
    out = np.zeros((len(program.fields), table.n), dtype=bool)
    for j, f in enumerate(program.fields):
        col = table.columns[f.name]
        if isinstance(col, ListColumn):
            seg = np.repeat(np.arange(table.n), col.lengths())
            bad_items = np.zeros(len(seg), dtype=bool)
            for sub in f.items:
                bad_items |= missing_mask(col.items.columns[sub.name])
            out[j] = ~col.known | (np.bincount(seg, weights=bad_items, minlength=table.n) > 0)
        else:
            out[j] = missing_mask(col)
    return out


def grade_columns(program: Program, table: Table, as_of: dt.date,
                  params: Mapping[str, Any] | None = None) -> PackGrades:
    """Grade a chunk of typed columns with one pack: its ``PackGrades`` (numpy, row i = entity i)."""
    n = table.n
    ks = kernels(program)
    frame = Frame(n, table.columns, as_of, program.tables, numpy_params(program, resolve_params(program, params)))
    for name, cexpr in program.derive:
        frame.derived[name] = broadcast(ks[cexpr.pointer](frame), n)
    fmiss = field_missing(program, table)
    field_index = {f.name: j for j, f in enumerate(program.fields)}
    gaps = np.zeros((len(program.gap_names), n), dtype=bool)  # (gap names, n)
    gap_of = program.field_gaps
    rejects: dict[int, list[Reason]] = {}

    def note_gaps(cexpr: CompiledExpr, unknown: np.ndarray) -> None:
        cols = [field_index[f] for f in sorted(cexpr.fields) if f in field_index]
        if cols and unknown.any():
            gaps[[gap_of[j] for j in cols]] |= unknown[None, :] & fmiss[cols]

    applies = np.ones(n, dtype=bool)
    undecided = np.zeros(n, dtype=bool)  # applicability unknown: missing data decides it
    if program.applies_when is not None:
        t = to_tri(ks[program.applies_when.pointer](frame), n)
        applies = t.value.copy()
        undecided = ~t.known
        note_gaps(program.applies_when, undecided)

    hits_by_rule = np.zeros((len(program.rules), n), dtype=bool)
    hits = hits_by_rule.T  # (n, rules) view; hits[:, r] is a contiguous row of hits_by_rule
    for rule in program.rules:
        t = to_tri(ks[rule.when.pointer](frame), n)
        unknown = ~t.known & applies
        hits_by_rule[rule.index] = t.value | (unknown & (rule.on_missing == "worst"))
        note_gaps(rule.when, unknown)
        if rule.gap is not None:
            gaps[rule.gap] |= hits_by_rule[rule.index] & applies
        if rule.on_missing == "error":
            for i in np.flatnonzero(unknown):
                rejects.setdefault(int(i), []).append(_missing_reason(program, rule.id, rule.when,
                                                                      fmiss[:, i], field_index))
    score, score_known = _score(program, frame, hits, ks, n)
    unknown_score = ~score_known & applies
    for c in (program.score.expr, program.score.likelihood, program.score.severity):
        if c is not None:
            note_gaps(c, unknown_score)
    if program.on_missing == "error":
        for i in np.flatnonzero(unknown_score):
            rejects.setdefault(int(i), []).append(("score", None, "the score cannot be computed: data missing",
                                                   "RG403"))
    unknown_level = 0 if program.on_missing == "worst" else len(program.levels) - 1
    band = band_levels(program.score, np.where(score_known, score, np.nan), unknown_level)
    level = np.where(applies, final_levels(program, band, hits), -1)
    _required(program, table, applies, rejects)
    if program.applies_when is not None and undecided.any():
        # a required field that decides applicability and is missing: the entity cannot be placed
        _required(program, table, undecided, rejects, program.applies_when.fields)

    per_level = np.zeros((len(program.measures), len(program.levels) + 1), dtype=bool)
    for li, measures in enumerate(program.level_controls):
        per_level[list(measures), li] = True
    controls = per_level[:, level]  # (measures, n); level -1 picks the all-False last column
    for rule in program.rules:
        if rule.controls:
            controls[list(rule.controls)] |= (hits_by_rule[rule.index] & applies)[None, :]

    interval, next_due, adjusted = _schedule(program, frame, table, level, ks, note_gaps, n)
    hits_by_rule &= applies[None, :]
    return PackGrades(program, as_of, applies, level, np.where(applies & score_known, score, np.nan), hits,
                      controls.T, gaps.T, interval, next_due, dict(frame.derived), rejects, adjusted.T, undecided)


def grade_records(program: Program, records: Sequence[Mapping[str, Any]], as_of: dt.date,
                  params: Mapping[str, Any] | None = None) -> list[Record]:
    """Grade raw entity dicts as one chunk; a rejected entity's record has ``rejected`` with its reasons."""
    converted = [convert_entity(program.fields, raw) for raw in records]
    table = Table(len(records), {f.name: column_from_values(f, [values[f.name] for values, _ in converted])
                                 for f in program.fields})
    out = records_from_grades(grade_columns(program, table, as_of, params))
    for i, (_, errors) in enumerate(converted):
        if errors:  # a value that cannot be read rejects the entity, for that reason alone
            out[i] = {"rejected": [(f, v, r, "RG400") for f, v, r in errors]}
    return out


def _score(program: Program, frame: Frame, hits: np.ndarray, ks: dict[str, Kernel],
           n: int) -> tuple[np.ndarray, np.ndarray]:
    def column(cexpr: CompiledExpr, rule_points: np.ndarray | None = None) -> np.ndarray:
        frame.rule_points = rule_points
        return np.asarray(broadcast(ks[cexpr.pointer](frame), n), dtype=np.float64)

    with np.errstate(all="ignore"):
        s = implementation(program.score.method, "batch")(program, hits, column)
    s = np.where(np.isfinite(s), s, np.nan)
    return s, ~np.isnan(s)


def _required(program: Program, table: Table, applies: np.ndarray, rejects: dict[int, list[Reason]],
              among: frozenset[str] | None = None) -> None:
    for f in program.fields:
        if f.required and (among is None or f.name in among):
            col = table.columns[f.name]
            miss = ~col.known if isinstance(col, ListColumn) else missing_mask(col)
            for i in np.flatnonzero(miss & applies):
                rejects.setdefault(int(i), []).append((f.name, None, f"required field '{f.name}' is missing",
                                                       "RG402"))


def _missing_reason(program: Program, rule_id: str, when: CompiledExpr, fmiss_row: np.ndarray,
                    field_index: dict[str, int]) -> Reason:
    missing = [f for f in sorted(when.fields) if f in field_index and fmiss_row[field_index[f]]]
    return (rule_id, None, f"rule {rule_id} needs data that is missing: {', '.join(missing) or '?'}", "RG401")


def _schedule(program: Program, frame: Frame, table: Table, level: np.ndarray, ks: dict[str, Kernel],
              note_gaps: Any, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    insp = program.inspection
    if insp is None:
        return np.full(n, np.nan), np.full(n, np.nan), np.zeros((0, n), dtype=bool)
    applies = level >= 0
    hits = []
    for m in insp.modifiers:
        assert m.when is not None
        t = to_tri(ks[m.when.pointer](frame), n)
        note_gaps(m.when, ~t.known & applies)
        hits.append(t.value)
    interval, adjusted = intervals_numpy(insp, level, hits, frame.as_of)
    if insp.last_inspection is None:
        return interval, np.where(np.isnan(interval), np.nan, day_number(frame.as_of)), adjusted
    last = np.asarray(table.columns[insp.last_inspection], dtype=np.float64)
    due = np.where(np.isnan(last), day_number(frame.as_of), last + interval)
    return interval, np.where(np.isnan(interval), np.nan, due), adjusted
