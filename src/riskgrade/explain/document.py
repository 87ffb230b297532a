"""A compiled pack as a document a panel reads (评分细则): every field with its label, every rule with
its hazard, its condition in words, its effect, the clause it cites and whether its numbers are a local
choice; the bands, the controls and the inspection intervals per level.

The document is JSON-able data in both languages (``{"zh": …, "en": …}`` for authored text, and the
condition in words under ``words.zh`` / ``words.en``), built from the compiled ``Program`` and the
authored model it carries, so it renders any valid pack the same way.
"""

from __future__ import annotations

import math
from typing import Any

from ..compiler.program import CompiledExpr, Program
from .values import jsonable, text
from .words import in_words, pack_labeller

LANGS = ("zh", "en")


def pack_document(program: Program) -> dict[str, Any]:
    """The pack as a document (see the module docstring).

    >>> from riskgrade import loads_pack
    >>> from riskgrade.api import EXAMPLE_PACK
    >>> doc = pack_document(loads_pack(EXAMPLE_PACK))
    >>> rule = doc["rules"][0]
    >>> rule["id"], rule["words"]["zh"], rule["points"], [b["level"] for b in doc["bands"]]
    ('few_exits', 'exits 小于 2', 10.0, ['blue', 'red'])
    """
    model = program.model
    words = {lang: pack_labeller(program, lang) for lang in LANGS}

    def said(cexpr: CompiledExpr | None) -> dict[str, Any] | None:
        if cexpr is None:
            return None
        return {"expr": cexpr.text, "words": {lang: in_words(cexpr.node, lang, *words[lang]) for lang in LANGS}}

    levels = [lv.id for lv in program.levels]
    return {
        "pack": program.pack_id, "version": program.version, "sha256": program.sha256,
        "title": text(program.title), "owner": text(program.owner),
        "description": text(model.description) if model is not None else None,
        "basis": _basis(model),
        "levels": [{"id": lv.id, "rank": i + 1, "label": text(lv.label), "color": lv.color}
                   for i, lv in enumerate(program.levels)],
        "params": _params(program),
        "fields": [_field(f, model) for f in program.fields],
        "derive": [{"name": name, **(said(c) or {}), **_derived_meta(model, name)} for name, c in program.derive],
        "applies_when": said(program.applies_when),
        "score": _score(program, model),
        "bands": _bands(program, model),
        "rules": [_rule(program, model, r, said(r.when)) for r in program.rules],
        "controls": _controls(program, levels),
        "inspection": _inspection(program, model, said),
    }


def _basis(model: Any) -> list[dict[str, Any]]:
    if model is None:
        return []
    return [{"id": b.id, "title": text(b.title), "issuer": b.issuer, "url": b.url, "note": text(b.note)}
            for b in model.basis]


def basis_title(model: Any, citation: str | None) -> dict[str, str] | None:
    """The title of the basis document a citation (``GB35181-2017 6.5``) names: the longest declared id
    the citation starts with."""
    if model is None or not citation:
        return None
    found = [b for b in model.basis if citation == b.id or citation.startswith((b.id + " ", b.id + "/"))]
    return text(max(found, key=lambda b: len(b.id)).title) if found else None


def _params(program: Program) -> list[dict[str, Any]]:
    model = program.model
    out = []
    for name, (ptype, default) in program.params.items():
        spec = model.parameters.get(name) if model is not None else None
        out.append({"name": name, "type": str(ptype), "default": jsonable(default),
                    "label": text(spec.label) if spec is not None else None,
                    "values": _values(spec.values if spec is not None else None)})
    return out


def _values(values: Any) -> list[dict[str, Any]] | None:
    if values is None:
        return None
    if isinstance(values, dict):
        return [{"code": k, "label": text(v)} for k, v in values.items()]
    return [{"code": v, "label": None} for v in values]


def _field(f: Any, model: Any) -> dict[str, Any]:
    spec = model.fields.get(f.name) if model is not None else None
    out: dict[str, Any] = {
        "name": f.name, "type": f.kind, "label": text(f.label), "required": f.required,
        "default": jsonable(f.default), "min": _finite(f.min), "max": _finite(f.max),
        "unit": spec.unit if spec is not None else None,
        "description": text(spec.description) if spec is not None else None,
        "values": _values(spec.values) if spec is not None else _values(f.values),
    }
    if f.items:
        out["items"] = [_field(item, None) | _item_meta(spec, item.name) for item in f.items]
    return out


def _item_meta(spec: Any, name: str) -> dict[str, Any]:
    item = (spec.items or {}).get(name) if spec is not None else None
    if item is None:
        return {}
    return {"unit": item.unit, "values": _values(item.values), "label": text(item.label)}


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def _derived_meta(model: Any, name: str) -> dict[str, Any]:
    d = model.derive.get(name) if model is not None else None
    if d is None:
        return {"label": None, "unit": None, "basis": None}
    return {"label": text(d.label), "unit": getattr(d, "unit", None), "basis": d.basis}  # groups have no unit


def _score(program: Program, model: Any) -> dict[str, Any]:
    spec = program.score
    caps = {g: c for g, c in zip(spec.groups, spec.caps) if c is not None}
    return {"method": spec.method, "base": spec.base, "caps": caps,
            "basis": model.score.basis if model is not None else None,
            "note": text(model.score.note) if model is not None else None}


def _bands(program: Program, model: Any) -> list[dict[str, Any]]:
    authored = {(b.level, b.min, b.max): b for b in model.score.bands} if model is not None else {}
    out = []
    for lo, hi, level in program.score.bands:
        lo_, hi_ = _finite(lo), _finite(hi)
        band = authored.get((program.levels[level].id, lo_, hi_))
        out.append({"level": program.levels[level].id, "min": lo_, "max": hi_,
                    "local_choice": bool(band and band.local_choice), "note": text(band.note) if band else None})
    return out


def _rule(program: Program, model: Any, rule: Any, when: dict[str, Any] | None) -> dict[str, Any]:
    authored = next((r for r in model.rules if r.id == rule.id), None) if model is not None else None
    return {
        "id": rule.id, "hazard": text(rule.hazard), **(when or {}), "points": rule.points,
        "group": None if rule.group.startswith("\0") else rule.group,
        "set_level": None if rule.set_level is None else program.levels[rule.set_level].id,
        "raise": rule.raise_, "lower": rule.lower, "on_missing": rule.on_missing,
        "controls": [program.measures[m][0] for m in rule.controls],
        "basis": rule.basis, "basis_title": basis_title(model, rule.basis),
        "local_choice": bool(authored and authored.local_choice),
        "note": text(authored.note) if authored is not None else None,
    }


def _controls(program: Program, levels: list[str]) -> dict[str, Any]:
    return {
        "measures": [{"id": mid, "text": text(t)} for mid, t in program.measures],
        "tiers": [{"id": tid, "label": text(t)} for tid, t in program.tiers.items()],
        "by_level": [{"level": levels[i], "measures": [program.measures[m][0] for m in ms],
                      "responsible": program.responsible[i]} for i, ms in enumerate(program.level_controls)],
    }


def _inspection(program: Program, model: Any, said: Any) -> dict[str, Any] | None:
    insp = program.inspection
    if insp is None:
        return None
    spec = model.inspection if model is not None else None
    authored = {a.id: a for a in (spec.modifiers + spec.campaigns)} if spec is not None else {}

    def adjustment(a: Any) -> dict[str, Any]:
        src = authored.get(a.id)
        out = {"id": a.id, "label": text(src.label) if src else None, "multiply": a.multiply,
               "max_days": a.max_days, "local_choice": bool(src and src.local_choice),
               "basis": src.basis if src else None}
        if a.when is not None:
            out.update(said(a.when) or {})
        if a.window is not None:
            (m1, d1), (m2, d2) = a.window
            out["window"] = f"{m1:02d}-{d1:02d}..{m2:02d}-{d2:02d}"
            out["levels"] = None if a.levels is None else [program.levels[i].id for i in sorted(a.levels)]
        return out

    return {
        "intervals": [{"level": lv.id, "days": days} for lv, days in zip(program.levels, insp.intervals)],
        "last_inspection": insp.last_inspection, "local_choice": bool(spec and spec.local_choice),
        "basis": spec.basis if spec is not None else None, "note": text(spec.note) if spec is not None else None,
        "modifiers": [adjustment(a) for a in insp.modifiers], "campaigns": [adjustment(a) for a in insp.campaigns],
    }


__all__ = ["basis_title", "pack_document"]
