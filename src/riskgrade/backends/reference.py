"""The reference engine: one entity at a time, in plain Python — slow and obviously right.

It restates the grading semantics independently of the numpy code (see ``scoring.combine`` for the
precedence; its score methods are in ``scoring.plain``), so the two can be held to each other by
property tests.

As a ``Backend``: ``grade_records`` grades dicts, ``grade_columns`` grades a chunk row by row.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Mapping, Sequence

from ..compiler.program import CompiledExpr, Program
from ..expr.interpret import Env, evaluate
from ..scoring.interval import adjust, finish, overdue_days
from ..scoring.methods import implementation
from ..scoring.plain import final_level
from ..table.convert import convert_entity
from ..table import Table
from .base import PackGrades, Reason, Record, columns_by_entity, resolve_params

name = "reference"


def grade_columns(program: Program, table: Table, as_of: dt.date,
                  params: Mapping[str, Any] | None = None) -> PackGrades:
    """Grade a chunk of typed columns, one entity after another."""
    return columns_by_entity(grade_entity, program, table, as_of, params)


def grade_records(program: Program, records: Sequence[Mapping[str, Any]], as_of: dt.date,
                  params: Mapping[str, Any] | None = None) -> list[Record]:
    """Grade raw entity dicts; a rejected entity's record has ``rejected`` with its reasons."""
    chosen = resolve_params(program, params)
    out = []
    for raw in records:
        values, errors = convert_entity(program.fields, raw)
        if errors:
            out.append({"rejected": [(f, v, r, "RG400") for f, v, r in errors]})
            continue
        out.append(grade_entity(program, values, as_of, chosen))
    return out


def field_is_missing(program: Program, name_: str, values: Mapping[str, Any]) -> bool:
    by_name = program.cache.get("fields_by_name")
    if by_name is None:
        by_name = program.cache["fields_by_name"] = {f.name: f for f in program.fields}
    f = by_name[name_]
    v = values.get(name_)
    if f.kind == "list":
        return v is None or any(r.get(sub.name) is None for r in v for sub in f.items)
    return v is None


def grade_entity(program: Program, values: Mapping[str, Any], as_of: dt.date,
                 params: Mapping[str, Any]) -> dict[str, Any]:
    """Grade one entity whose values are already typed (``table.convert.convert_entity``)."""
    lookup = lambda table, key: program.tables[table].lookup_value(key)  # noqa: E731
    env = Env(values, as_of, lookup, {}, params)
    for dname, cexpr in program.derive:
        env.derived[dname] = evaluate(cexpr.node, env)
    gaps: set[str] = set()
    rejects: list[Reason] = []

    def note_gaps(cexpr: CompiledExpr) -> None:
        gaps.update(f for f in cexpr.fields if field_is_missing(program, f, values))

    applies: bool | None = True
    if program.applies_when is not None:
        a = evaluate(program.applies_when.node, env)
        if a is None:
            note_gaps(program.applies_when)
            # a required field whose absence leaves applicability undecided rejects the entity
            missing = _missing_required(program, values, program.applies_when.fields)
            if missing:
                return {"rejected": missing}
        applies = a  # None: undecided, neither graded nor left out; data_gaps say what decides it
    record = _empty_record(program, env.derived)
    if applies is not True:
        record["applies"] = applies
        record["data_gaps"] = _ordered_gaps(program, gaps)
        return record

    fired = []
    for rule in program.rules:
        v = evaluate(rule.when.node, env)
        if v is None:
            note_gaps(rule.when)
            if rule.on_missing == "error":
                missing = sorted(f for f in rule.when.fields if field_is_missing(program, f, values))
                rejects.append((rule.id, None, f"rule {rule.id} needs data that is missing: "
                                               f"{', '.join(missing) or '?'}", "RG401"))
            v = rule.on_missing == "worst"
        if v:
            fired.append(rule)
            if rule.gap is not None:
                gaps.add(program.gap_names[rule.gap])
    score = _score(program, fired, env)
    if score is None:
        for c in (program.score.expr, program.score.likelihood, program.score.severity):
            if c is not None:
                note_gaps(c)
        if program.on_missing == "error":
            rejects.append(("score", None, "the score cannot be computed: data missing", "RG403"))
    level = _level(program, score, fired)
    rejects += _missing_required(program, values)
    if rejects:
        return {"rejected": rejects}

    measures = set(program.level_controls[level])
    for rule in fired:
        measures.update(rule.controls)
    interval, next_due, adjusted = _schedule(program, level, env, values, as_of, note_gaps)
    lv = program.levels[level]
    record.update(
        applies=True, level=lv.id, rank=level + 1, color=lv.color, score=score,
        fired=[r.id for r in fired], controls=[program.measures[m][0] for m in sorted(measures)],
        responsible=program.responsible[level], inspection_interval_days=interval, next_inspection=next_due,
        inspection_overdue_days=overdue_days(next_due, as_of), inspection_modifiers=adjusted, data_gaps=_ordered_gaps(program, gaps))
    return record


def _missing_required(program: Program, values: Mapping[str, Any],
                      among: frozenset[str] | None = None) -> list[Reason]:
    return [(f.name, None, f"required field '{f.name}' is missing", "RG402")
            for f in program.fields
            if f.required and values.get(f.name) is None and (among is None or f.name in among)]


def _empty_record(program: Program, derived: Mapping[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "pack": program.pack_id, "pack_version": program.version, "pack_sha256": program.sha256,
        "applies": False, "level": None, "rank": None, "color": None, "score": None, "fired": [],
        "controls": [], "responsible": None, "inspection_interval_days": None, "next_inspection": None,
        "inspection_overdue_days": None, "inspection_modifiers": [], "data_gaps": [],
    }
    record.update(derived)
    return record


def _ordered_gaps(program: Program, gaps: set[str]) -> list[str]:
    return [g for g in program.gap_names if g in gaps]


def _score(program: Program, fired: list[Any], env: Env) -> float | None:
    def value(cexpr: CompiledExpr, rule_points: float | None = None) -> Any:
        env.rule_points = rule_points
        return evaluate(cexpr.node, env)

    score = implementation(program.score.method, "reference")(program, fired, value)
    return score if score is not None and math.isfinite(score) else None


def _level(program: Program, score: float | None, fired: list[Any]) -> int:
    if score is None:
        band = 0 if program.on_missing == "worst" else len(program.levels) - 1
    else:
        band = program.score.band_of(score)
    return final_level(program, band, fired)


def _schedule(program: Program, level: int, env: Env, values: Mapping[str, Any], as_of: dt.date,
              note_gaps: Any) -> tuple[int | None, dt.date | None, list[str]]:
    insp = program.inspection
    if insp is None:
        return None, None, []
    base = insp.intervals[level]
    interval = None if base is None else float(base)
    applied = []
    for m in insp.modifiers:
        assert m.when is not None
        hit = evaluate(m.when.node, env)
        if hit is None:
            note_gaps(m.when)
        if hit and interval is not None:
            interval = adjust(interval, m)
            applied.append(m.id)
    for c in insp.campaigns:
        if interval is not None and c.in_window(as_of) and (c.levels is None or level in c.levels):
            interval = adjust(interval, c)
            applied.append(c.id)
    days = finish(interval)
    if days is None:
        return None, None, []
    last = values.get(insp.last_inspection) if insp.last_inspection else None
    return days, (as_of if last is None else last + dt.timedelta(days=days)), applied
