"""Stage ``check_fixes``: the fixes fields and rules declare, each resolved to the one field it sets
and the typed value it sets it to (converted as an entity's cell is, so bounds and values hold)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model.fixes import AS_OF_SHIFT, Fix
from ..table.convert import convert_value
from .program import CompiledField, CompiledFix, CompiledRule
from .stages import Context


def check_fixes(ctx: Context, rules: list[CompiledRule]) -> tuple[CompiledFix, ...]:
    out: list[CompiledFix] = []
    seen: dict[str, str] = {}
    for name, spec in ctx.pack.fields.items():
        for i, fix in enumerate(spec.fix or ()):
            pointer = _pointer(f"/fields/{name}/fix", i, len(spec.fix or ()))
            _add(ctx, out, seen, fix, name, _default_id(name, i), None, pointer)
    compiled = {r.id: r for r in rules}
    for j, rule in enumerate(ctx.pack.rules):
        for i, fix in enumerate(rule.fix or ()):
            pointer = _pointer(f"/rules/{j}/fix", i, len(rule.fix or ()))
            target = fix.field or _only_field(ctx, compiled.get(rule.id), pointer, rule.id)
            if target is not None:
                _add(ctx, out, seen, fix, target, _default_id(rule.id, i), rule.id, pointer)
    return tuple(out)


def _pointer(base: str, i: int, n: int) -> str:
    return f"{base}/{i}" if n > 1 else base


def _default_id(owner: str, i: int) -> str:
    return owner if i == 0 else f"{owner}.{i + 1}"


def _only_field(ctx: Context, rule: CompiledRule | None, pointer: str, rule_id: str) -> str | None:
    if rule is None:  # its condition did not compile: that error is reported already
        return None
    read = sorted(rule.when.fields)
    if len(read) == 1:
        return read[0]
    ctx.error("RG320", f"name the field this fix changes ('field: …'); the rule reads {', '.join(read) or 'no field'}",
              pointer, rule_id=rule_id)
    return None


def _add(ctx: Context, out: list[CompiledFix], seen: dict[str, str], fix: Fix, field_name: str, default_id: str,
         rule_id: str | None, pointer: str) -> None:
    f = ctx.fields.get(field_name)
    if f is None:
        ctx.error("RG320", f"fix of an unknown field '{field_name}'", f"{pointer}/field", rule_id=rule_id or "")
        return
    if f.kind == "list":
        ctx.error("RG320", f"'{field_name}' is a list field: a fix sets one value (name a field that is not a list)",
                  f"{pointer}/field", rule_id=rule_id or "")
        return
    fid = fix.id or default_id
    if fid in seen:
        ctx.error("RG321", f"fix id '{fid}' is used twice (also at {seen[fid]}); give one an 'id'", pointer,
                  rule_id=rule_id or "")
        return
    seen[fid] = pointer
    shift = AS_OF_SHIFT.match(fix.to) if isinstance(fix.to, str) and f.kind == "date" else None
    days = None if shift is None else (int(shift.group(2) or 0) * (-1 if shift.group(1) == "-" else 1))
    source = _source_field(ctx, f, fix.to, f"{pointer}/to", rule_id)
    if source is None:
        return
    value = None if shift is not None or source else _typed(ctx, f, fix.to, f"{pointer}/to", "'to'", rule_id)
    from_values = None
    if fix.from_ is not None:
        from_values = tuple(_typed(ctx, f, v, f"{pointer}/from/{i}", "'from'", rule_id) for i, v in enumerate(fix.from_))
    if (shift is None and source is None and value is None) or (from_values is not None and None in from_values):
        return
    to = source or (shown(f, value) if days is None else
                    "as_of" + (f" {'+' if days >= 0 else '-'} {abs(days)}" if days else ""))
    out.append(CompiledFix(
        index=len(out), id=fid, field=field_name, value=value, to=to, as_of_days=days, to_field=source or None,
        from_values=from_values,
        action=fix.action, cost=float(fix.cost), days=float(fix.days), by=fix.by, on_the_spot=fix.on_the_spot,
        rule=rule_id, local_choice=fix.local_choice, pointer=pointer))


# a field whose value a fix may copy into a field of each kind ("reduce the stock to the licensed quantity")
_COPIES = {"number": ("number", "integer"), "integer": ("integer",), "date": ("date",)}


def _source_field(ctx: Context, f: CompiledField, to: Any, pointer: str, rule_id: str | None) -> str | None:
    """The field named by ``to`` when the fix copies its value (number, integer and date fields); ''
    when ``to`` is a value; None (with a located error) when it names a field it cannot copy."""
    if not isinstance(to, str) or f.kind not in _COPIES or to not in ctx.fields:
        return ""
    source = ctx.fields[to]
    if source.kind not in _COPIES[f.kind] or to == f.name:
        ctx.error("RG320", f"fix of field '{f.name}': 'to' names field '{to}', whose values ({source.kind}) cannot "
                           f"be those of a {f.kind} field", pointer, rule_id=rule_id or "")
        return None
    return to


def _typed(ctx: Context, f: CompiledField, raw: Any, pointer: str, what: str, rule_id: str | None) -> Any:
    """``raw`` converted as a cell of ``f``; None (with a located error) when it cannot be."""
    try:
        value = convert_value(f, raw)
        if value is None:
            raise ValueError("it is empty")
        return value
    except ValueError as exc:
        ctx.error("RG320", f"fix of field '{f.name}': {what} cannot be a value of this field: {exc}", pointer,
                  rule_id=rule_id or "")
        return None


def shown(f: CompiledField, value: Any) -> str:
    """A typed value as an entity file writes it: true/false, 2, 0.5, a code, YYYY-MM-DD."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
