"""Explain one entity's grade by one pack, step by step, with the reference interpreter.

The explanation follows the pack's precedence — derived values, rules (fired, undecided for want of
data), score, band, vetoes, raises and lowers, final level — then the controls with who owns them and
the inspection interval with every adjustment. Its grade is the reference engine's own record
(``backends.reference.grade_entity``), so an explanation never disagrees with a grade.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from .._version import __version__
from ..backends import reference
from ..backends.base import resolve_params
from ..compiler.program import CompiledExpr, Program
from ..expr.interpret import Env, evaluate
from ..expr.nodes import names_in
from ..scoring.methods import declaration
from ..table.convert import convert_entity
from .values import jsonable, text


def provenance(program: Program) -> dict[str, Any]:
    """What identifies the pack a grade was made with: id, version, canonical content hash, file."""
    return {"pack": program.pack_id, "pack_version": program.version, "pack_sha256": program.sha256,
            "pack_file": program.file, "riskgrade_version": __version__}


def explain(program: Program, entity: Mapping[str, Any], as_of: dt.date,
            params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The explanation of a raw entity (a dict of field values as a file holds them).

    An entity whose values cannot be used is explained by its rejection reasons (``rejected``).
    """
    chosen = resolve_params(program, params)
    values, errors = convert_entity(program.fields, dict(entity))
    head = {**provenance(program), "entity_id": _entity_id(entity), "as_of": as_of.isoformat(),
            "params": jsonable(chosen), "engine": "reference", "pack_title": text(program.title)}
    if errors:
        return {**head, "rejected": [{"field": f, "value": jsonable(v), "reason": r} for f, v, r in errors],
                "field_labels": _field_labels(program), "value_labels": _value_labels(program)}
    return {**head, **explain_values(program, values, as_of, chosen)}


def _field_labels(program: Program) -> dict[str, Any]:
    return {f.name: text(f.label) for f in program.fields if f.label is not None}


def _value_labels(program: Program) -> dict[str, dict[str, Any]]:
    """Each category field's codes with their labels (how a person writes the value)."""
    return {f.name: {code: text(label) for code, label in zip(f.values or (), f.value_labels) if label is not None}
            for f in program.fields if f.value_labels}


def explain_values(program: Program, values: Mapping[str, Any], as_of: dt.date,
                   params: Mapping[str, Any]) -> dict[str, Any]:
    """The explanation of an entity whose values are already typed (``table.convert.convert_entity``)."""
    record = reference.grade_entity(program, values, as_of, params)
    if "rejected" in record:
        return {"rejected": [{"field": f, "value": jsonable(v), "reason": r, "code": c}
                             for f, v, r, c in record["rejected"]], "field_labels": _field_labels(program),
                "value_labels": _value_labels(program)}
    env = Env(values, as_of, lambda t, k: program.tables[t].lookup_value(k), {}, params)
    for name, cexpr in program.derive:
        env.derived[name] = evaluate(cexpr.node, env)
    out: dict[str, Any] = {
        "applies": record["applies"],
        "derived": [{"name": n, "value": _shown(env.derived.get(n)), "expr": c.text,
                     "label": text(program.derived_labels.get(n))} for n, c in program.derive],
        "data_gaps": record["data_gaps"],
        "field_labels": _field_labels(program),
        "value_labels": _value_labels(program),
        "levels": {lv.id: {"label": text(lv.label), "color": lv.color} for lv in program.levels},
    }
    if program.applies_when is not None:
        out["applies_when"] = {"expr": program.applies_when.text, "value": evaluate(program.applies_when.node, env),
                               "inputs": _inputs(program.applies_when, values, env)}
    if not record["applies"]:
        return out
    out["rules"] = _rules(program, values, env, set(record["fired"]))
    fired = [r for r in program.rules if r.id in set(record["fired"])]
    out["score"] = _score(program, fired, record["score"])
    out["level_steps"] = _level_steps(program, record["score"], fired)
    level = program.level_index(record["level"])
    lv = program.levels[level]
    out["level"] = {"id": lv.id, "rank": level + 1, "color": lv.color, "label": text(lv.label)}
    out["controls"] = _controls(program, level, fired, record["controls"])
    tier = record["responsible"]
    out["responsible"] = None if tier is None else {"id": tier, "label": text(program.tiers.get(tier))}
    out["inspection"] = _inspection(program, level, env, as_of, record)
    return out


def _entity_id(entity: Mapping[str, Any]) -> str | None:
    eid = entity.get("entity_id", entity.get("id"))
    return None if eid is None else str(eid)


def _inputs(cexpr: CompiledExpr, values: Mapping[str, Any], env: Env) -> dict[str, Any]:
    """The input fields an expression reads (through derived values too) and the derived values it
    reads directly, with their values: what made it true, false or undecided."""
    out = {name: _shown(values.get(name)) for name in sorted(cexpr.fields)}
    for scope, name in sorted(names_in(cexpr.node)):
        if scope == "derived":
            out[name] = _shown(env.derived.get(name))
        elif scope == "param":
            out[name] = _shown(env.params.get(name))
    return out


def _shown(value: Any) -> Any:
    """A value as the panel wrote it: 50, not 50.0 (numbers are floats inside the engines)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return jsonable(value)


def _rules(program: Program, values: Mapping[str, Any], env: Env, fired: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"fired": [], "undecided": []}
    for rule in program.rules:
        value = evaluate(rule.when.node, env)
        base = {"id": rule.id, "when": rule.when.text, "inputs": _inputs(rule.when, values, env)}
        if value is None:
            missing = [f for f in sorted(rule.when.fields) if reference.field_is_missing(program, f, values)]
            out["undecided"].append({**base, "missing": missing, "on_missing": rule.on_missing,
                                     "fired": rule.id in fired, "hazard": text(rule.hazard)})
        if rule.id in fired:
            out["fired"].append({
                **base, "points": rule.points, "group": None if rule.group.startswith("\0") else rule.group,
                "set_level": None if rule.set_level is None else program.levels[rule.set_level].id,
                "raise": rule.raise_, "lower": rule.lower, "hazard": text(rule.hazard), "basis": rule.basis,
                "basis_refs": basis_refs(program, rule.basis),
                "because_missing": value is None,
                "controls": [program.measures[m][0] for m in rule.controls]})
    return out


def _score(program: Program, fired: list[Any], score: float | None) -> dict[str, Any]:
    spec = program.score
    out: dict[str, Any] = {"method": spec.method, "base": spec.base, "value": score,
                           "points": [{"rule": r.id, "points": r.points} for r in fired if r.points]}
    capped = []
    for group, cap in zip(spec.groups, spec.caps if "caps" in declaration(spec.method).allows else ()):
        total = sum(r.points for r in fired if r.group == group)
        if cap is not None and total > cap:
            capped.append({"group": group, "points": total, "cap": cap})
    if capped:
        out["caps_applied"] = capped
    return out


def _level_steps(program: Program, score: float | None, fired: list[Any]) -> list[dict[str, Any]]:
    """score -> band -> most severe veto -> net raise/lower (clamped, never below a veto)."""
    n = len(program.levels)
    ids = [lv.id for lv in program.levels]
    if score is None:
        band = 0 if program.on_missing == "worst" else n - 1
        steps: list[dict[str, Any]] = [{"step": "band", "score": None, "level": ids[band],
                                        "note": "score could not be computed"}]
    else:
        band = program.score.band_of(score)
        lo, hi = next((lo, hi) for lo, hi, lv in program.score.bands if lo <= score < hi)
        steps = [{"step": "band", "score": score, "min": None if lo == float("-inf") else lo,
                  "max": None if hi == float("inf") else hi, "level": ids[band]}]
    level = band
    vetoes = [r for r in fired if r.set_level is not None]
    veto = min((r.set_level for r in vetoes), default=n)
    for r in vetoes:
        steps.append({"step": "veto", "rule": r.id, "level": ids[r.set_level]})
    if veto < level:
        level = veto
        steps.append({"step": "after_vetoes", "level": ids[level]})
    shift = 0
    for r in fired:
        if r.raise_:
            steps.append({"step": "raise", "rule": r.id, "by": r.raise_})
        if r.lower:
            steps.append({"step": "lower", "rule": r.id, "by": r.lower})
        shift += r.raise_ - r.lower
    if shift:
        level = min(min(max(level - shift, 0), n - 1), veto)
        steps.append({"step": "after_raise_lower", "net": shift, "level": ids[level],
                      "note": "clamped to the scale and never below a veto"})
    steps.append({"step": "final", "level": ids[level]})
    return steps


def _controls(program: Program, level: int, fired: list[Any], ids: list[str]) -> list[dict[str, Any]]:
    """Each control with its text, and why it applies: the level requires it, and/or rules added it."""
    index = {mid: i for i, (mid, _) in enumerate(program.measures)}
    for_level = set(program.level_controls[level])
    return [{"id": mid, "text": text(program.measures[index[mid]][1]), "for_level": index[mid] in for_level,
             "rules": [r.id for r in fired if index[mid] in r.controls]} for mid in ids]


def _inspection(program: Program, level: int, env: Env, as_of: dt.date, record: Mapping[str, Any]) -> Any:
    insp = program.inspection
    if insp is None:
        return None
    steps = []
    for m in insp.modifiers:
        assert m.when is not None
        hit = evaluate(m.when.node, env)
        steps.append({"kind": "modifier", "id": m.id, "when": m.when.text, "applies": hit is True,
                      "multiply": m.multiply, "max_days": m.max_days})
    for c in insp.campaigns:
        applies = c.in_window(as_of) and (c.levels is None or level in c.levels)
        steps.append({"kind": "campaign", "id": c.id, "applies": applies, "multiply": c.multiply,
                      "max_days": c.max_days})
    last = env.fields.get(insp.last_inspection) if insp.last_inspection else None
    return {"base_days": insp.intervals[level], "adjustments": steps,
            "interval_days": record["inspection_interval_days"], "last_inspection": jsonable(last),
            "next_inspection": jsonable(record["next_inspection"]),
            "overdue_days": record.get("inspection_overdue_days")}


def basis_refs(program: Program, basis: str | None) -> list[dict[str, Any]]:
    """A rule's ``basis`` ("GB35181-2017 7.3.3; MPS120 art. 33") as the documents it cites: each with
    the id, the title the pack declares for it, and the clause."""
    refs = []
    for part in (basis or "").split(";"):
        part = part.strip()
        if not part:
            continue
        doc, _, clause = part.partition(" ")
        title = program.basis.get(doc)
        refs.append({"id": doc if title is not None else None, "title": text(title), "clause": clause.strip(),
                     "text": part})
    return refs
