"""The compiler's named stages. Each reads the pack (and what earlier stages built) and appends
diagnostics instead of stopping, so a panel sees every problem in one round trip."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from graphlib import CycleError, TopologicalSorter
from typing import Any

from ..errors import Diagnostic
from ..expr.nodes import BOOLEAN, DATE, LIST, NUMBER, STRING, GroupBy, Type, names_in
from ..expr.parse import ExprError, Scope, TableInfo, parse_expression, references
from ..model import DerivedGroups, FieldSpec, ItemField
from ..source.pack_source import PackSource
from ..table.convert import convert_value
from .program import CompiledExpr, CompiledField
from .tables import VALUE_TYPES, CompiledTable

RESERVED_OUTPUTS = {
    "entity_id", "pack", "pack_version", "pack_sha256", "applies", "level", "rank", "color", "score",
    "fired", "controls", "responsible", "inspection_interval_days", "next_inspection", "data_gaps",
    "inspection_modifiers", "as_of", "inspection_overdue_days",
}


@dataclass
class Context:
    """State shared by the stages of one compilation."""

    src: PackSource
    diagnostics: list[Diagnostic] = field(default_factory=list)
    scope: Scope = field(default_factory=Scope)
    fields: dict[str, CompiledField] = field(default_factory=dict)
    tables: dict[str, CompiledTable] = field(default_factory=dict)
    derive_order: list[str] = field(default_factory=list)
    derived_fields: dict[str, frozenset[str]] = field(default_factory=dict)
    level_ids: dict[str, int] = field(default_factory=dict)
    measure_ids: dict[str, int] = field(default_factory=dict)

    @property
    def pack(self):  # noqa: ANN201 - the model's Pack
        return self.src.pack

    def error(self, code: str, message: str, pointer: str, *, key: bool = False, rule_id: str = "",
              severity: str = "error") -> None:
        loc = self.src.source.locate(pointer, key=key, rule_id=rule_id)
        self.diagnostics.append(Diagnostic(code, message, loc, severity))  # type: ignore[arg-type]

    def expression(self, text: str, pointer: str, expected: Type | None = None,
                   rule_id: str = "", scope: Scope | None = None) -> CompiledExpr | None:
        """Parse and check one expression; on failure record a located diagnostic and return None."""
        try:
            node = parse_expression(text, scope or self.scope, expected)
        except ExprError as exc:
            loc = self.src.source.locate_in_expression(pointer, exc.line, exc.col, rule_id)
            self.diagnostics.append(Diagnostic(exc.code, f"{exc.message}  — in: {_short(text)}", loc))
            return None
        return CompiledExpr(text, node, pointer, self.input_fields(node))

    def input_fields(self, node: Any) -> frozenset[str]:
        out: set[str] = set()
        for scope, name in names_in(node):
            if scope == "field":
                out.add(name)
            elif scope == "derived":
                out |= self.derived_fields.get(name, frozenset())
        return frozenset(out)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 80 else flat[:77] + "…"


# --- stage: fields and parameters ------------------------------------------------------------------

_KIND_TYPES = {"number": NUMBER, "integer": NUMBER, "boolean": BOOLEAN, "date": DATE, "string": STRING,
               "list": LIST}


def field_type(spec: ItemField) -> Type:
    if spec.type == "category":
        return Type("string", spec.category_values())
    return _KIND_TYPES[spec.type]


def _compile_field(name: str, spec: ItemField) -> CompiledField:
    items: tuple[CompiledField, ...] = ()
    if isinstance(spec, FieldSpec) and spec.items:
        items = tuple(_compile_field(k, v) for k, v in spec.items.items())
    default = spec.default if isinstance(spec, FieldSpec) else None
    labels = tuple(spec.values.values()) if isinstance(spec.values, dict) else ()
    aliases = tuple(spec.aliases) if isinstance(spec, FieldSpec) else ()
    synonyms = tuple((code, tuple(words)) for code, words in (spec.synonyms or {}).items()) \
        if isinstance(spec, FieldSpec) else ()
    return CompiledField(name, spec.type, field_type(spec), spec.category_values() or None, spec.min,
                         spec.max, spec.required, default, items, spec.label, aliases, labels, synonyms,
                         spec.unit)


def resolve_fields(ctx: Context) -> None:
    for name, spec in ctx.pack.fields.items():
        compiled = _compile_field(name, spec)
        if compiled.default is not None:  # parsed where every cell is parsed: table.convert
            try:
                compiled = _with_default(compiled, convert_value(compiled, compiled.default))
            except ValueError as exc:
                ctx.error("RG302", f"default of field '{name}': {exc}", f"/fields/{name}/default")
        ctx.fields[name] = compiled
        ctx.scope.fields[name] = compiled.type
        if compiled.items:
            ctx.scope.items[name] = {i.name: i.type for i in compiled.items}
    for name, param in ctx.pack.parameters.items():
        if name in ctx.scope.fields:
            ctx.error("RG303", f"parameter '{name}' has the name of a field", f"/parameters/{name}", key=True)
        t = Type("string", tuple(param.values)) if param.type == "category" else _KIND_TYPES[param.type]
        ctx.scope.params[name] = t


def _with_default(f: CompiledField, value: Any) -> CompiledField:
    from dataclasses import replace

    return replace(f, default=value)


# --- stage: tables ---------------------------------------------------------------------------------

def resolve_tables(ctx: Context) -> None:
    for name, table in ctx.pack.tables.items():
        pointer = f"/tables/{name}"
        if name in ctx.scope.fields or name in ctx.pack.derive or name in ctx.pack.parameters:
            ctx.error("RG303", f"table '{name}' has the name of a field, derived value or parameter",
                      pointer, key=True)
        value_type = VALUE_TYPES[table.value]
        if table.kind == "banded":
            bands = tuple((-math.inf if b.min is None else b.min, math.inf if b.max is None else b.max,
                           _table_value(ctx, b.value, table.value, f"{pointer}/bands/{i}/value"))
                          for i, b in enumerate(table.bands))
            ctx.tables[name] = CompiledTable(name, True, "number", value_type, {}, None, bands)
        else:
            entries = {}
            for key, value in table.entries.items():
                k = _table_key(ctx, key, table.key, f"{pointer}/entries/{key}")
                entries[k] = _table_value(ctx, value, table.value, f"{pointer}/entries/{key}")
            default = None if table.default is None else _table_value(ctx, table.default, table.value,
                                                                      f"{pointer}/default")
            ctx.tables[name] = CompiledTable(name, False, table.key, value_type, entries, default, ())
        ctx.scope.tables[name] = TableInfo(table.key if table.kind == "keyed" else "number", value_type,
                                           table.kind == "banded")


def _table_key(ctx: Context, key: str, kind: str, pointer: str) -> Any:
    if kind == "string":
        return key
    try:
        return float(key)
    except ValueError:
        ctx.error("RG304", f"key '{key}' is not a number, but the table is keyed by number", pointer, key=True)
        return key


def _table_value(ctx: Context, value: Any, kind: str, pointer: str) -> Any:
    ok = {"number": isinstance(value, (int, float)) and not isinstance(value, bool),
          "string": isinstance(value, str), "boolean": isinstance(value, bool)}[kind]
    if not ok:
        ctx.error("RG304", f"value {value!r} is not a {kind}, as the table declares", pointer)
        return None
    return float(value) if kind == "number" else value


# --- stage: derived values, in dependency order ----------------------------------------------------

def derived_texts(d: Any) -> list[str]:
    """The expression texts of a derived value (one, or a grouped list's values)."""
    return list(d.values.values()) if isinstance(d, DerivedGroups) else [d.expr]


def order_derived(ctx: Context) -> None:
    derive = ctx.pack.derive
    graph = {name: {r for text in derived_texts(d) for r in references(text) if r in derive and r != name}
             for name, d in derive.items()}
    try:
        ctx.derive_order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = exc.args[1]
        ctx.error("RG301", "derived values depend on each other in a cycle: " + " -> ".join(cycle),
                  f"/derive/{cycle[0]}")
        ctx.derive_order = []


def check_derived(ctx: Context) -> dict[str, CompiledExpr]:
    out: dict[str, CompiledExpr] = {}
    for name in ctx.derive_order:
        pointer = f"/derive/{name}/expr"
        if name in ctx.scope.fields or name in ctx.scope.params:
            ctx.error("RG303", f"derived value '{name}' has the name of a field or parameter",
                      f"/derive/{name}", key=True)
            continue
        if name in RESERVED_OUTPUTS:
            ctx.error("RG303", f"'{name}' is a column of every result; choose another name",
                      f"/derive/{name}", key=True)
            continue
        spec = ctx.pack.derive[name]
        compiled = (_check_groups(ctx, name, spec) if isinstance(spec, DerivedGroups)
                    else ctx.expression(spec.expr, pointer))
        if compiled is None:
            continue
        out[name] = compiled
        ctx.scope.derived[name] = compiled.node.type
        ctx.derived_fields[name] = compiled.fields
    return out


def _check_groups(ctx: Context, name: str, spec: DerivedGroups) -> CompiledExpr | None:
    """A grouped list: ``spec.group`` (a list field) grouped by its item field ``spec.by``, each value
    checked with the group's key and earlier values in scope; aggregates inside see the group only."""
    pointer = f"/derive/{name}"
    lst = ctx.fields.get(spec.group)
    if lst is None or lst.kind != "list":
        ctx.error("RG318", f"'{spec.group}' is not a list field of this pack", f"{pointer}/group")
        return None
    items = {i.name: i for i in lst.items}
    key = items.get(spec.by)
    if key is None or key.kind not in ("string", "category"):
        ctx.error("RG318", f"'{spec.by}' is not a text or category item field of '{spec.group}'", f"{pointer}/by")
        return None
    scope = replace(ctx.scope, group_list=spec.group, group={spec.by: key.type})
    values: list[tuple[str, Any]] = []
    fields: set[str] = {spec.group}
    for vname, text in spec.values.items():
        if vname in ctx.scope.fields or vname in ctx.scope.params or vname in ctx.pack.derive or vname == spec.by:
            ctx.error("RG303", f"group value '{vname}' has the name of a field, parameter, derived value or "
                               "the group's key", f"{pointer}/values/{vname}", key=True)
            return None
        compiled = ctx.expression(text, f"{pointer}/values/{vname}", scope=scope)
        if compiled is None:
            return None
        if compiled.node.type.kind == "list":
            ctx.error("RG202", "a group value cannot be a list", f"{pointer}/values/{vname}")
            return None
        values.append((vname, compiled.node))
        fields |= compiled.fields
        scope.group[vname] = compiled.node.type
    node = GroupBy(LIST, 1, 1, spec.group, spec.by, tuple(values))
    ctx.scope.items[name] = dict(scope.group)
    ctx.scope.derived_lists = ctx.scope.derived_lists | {name}
    return CompiledExpr(f"{spec.group} grouped by {spec.by}", node, pointer, frozenset(fields))


# --- stage: levels, bands and references ------------------------------------------------------------

def resolve_levels(ctx: Context) -> None:
    for i, level in enumerate(ctx.pack.levels):
        if level.id in ctx.level_ids:
            ctx.error("RG305", f"level id '{level.id}' is used twice", f"/levels/{i}/id")
        ctx.level_ids.setdefault(level.id, i)
    for i, measure in enumerate(ctx.pack.controls.measures):
        ctx.measure_ids[measure] = i


def level_ref(ctx: Context, level_id: str, pointer: str, rule_id: str = "") -> int:
    if level_id not in ctx.level_ids:
        ctx.error("RG306", f"unknown level '{level_id}' (levels: {', '.join(ctx.level_ids)})", pointer,
                  rule_id=rule_id)
        return 0
    return ctx.level_ids[level_id]


def measure_ref(ctx: Context, measure_id: str, pointer: str, rule_id: str = "") -> int | None:
    if measure_id not in ctx.measure_ids:
        ctx.error("RG307", f"unknown control measure '{measure_id}' (declare it under controls.measures)",
                  pointer, rule_id=rule_id)
        return None
    return ctx.measure_ids[measure_id]


def check_bands(ctx: Context) -> tuple[tuple[float, float, int], ...]:
    bands = []
    for i, band in enumerate(ctx.pack.score.bands):
        lo = -math.inf if band.min is None else band.min
        hi = math.inf if band.max is None else band.max
        bands.append((lo, hi, level_ref(ctx, band.level, f"/score/bands/{i}/level"), i))
    ordered = sorted(bands)
    pointer = "/score/bands"
    if not ordered:
        ctx.error("RG308", "score needs at least one band", pointer)
        return ()
    if ordered[0][0] != -math.inf:
        ctx.error("RG308", f"no band covers scores below {ordered[0][0]:g}: give the lowest band no 'min'",
                  f"{pointer}/{ordered[0][3]}")
    if ordered[-1][1] != math.inf:
        ctx.error("RG308", f"no band covers scores from {ordered[-1][1]:g} up: give the highest band no 'max'",
                  f"{pointer}/{ordered[-1][3]}")
    for (lo1, hi1, _, i1), (lo2, hi2, _, i2) in zip(ordered, ordered[1:]):
        if lo2 < hi1:
            ctx.error("RG309", f"bands overlap between {lo2:g} and {min(hi1, hi2):g}: a score there would "
                               "have two levels", f"{pointer}/{i2}")
        elif lo2 > hi1:
            ctx.error("RG308", f"no band covers scores from {hi1:g} to {lo2:g}", f"{pointer}/{i2}")
    return tuple((lo, hi, level) for lo, hi, level, _ in ordered)
