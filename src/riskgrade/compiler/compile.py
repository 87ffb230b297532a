"""Pack -> Program: run the named stages, collect every diagnostic, build the frozen IR."""

from __future__ import annotations

import math
from dataclasses import replace

from ..errors import PackError
from ..expr.nodes import BOOLEAN, NUMBER
from ..model.scoring import SCORE_METHODS
from ..source.pack_source import PackSource
from .program import (CompiledAdjustment, CompiledExpr, CompiledInspection, CompiledLevel, CompiledRule,
                      CompiledScore, Program)
from .fixes import check_fixes
from .lifecycle import check_lifecycle
from .names import check_names
from .stages import (Context, check_bands, check_derived, level_ref, measure_ref, order_derived,
                     resolve_fields, resolve_levels, resolve_tables)

STAGES = ("resolve_fields", "check_names", "resolve_tables", "resolve_levels", "order_derived", "check_derived",
          "check_applies", "check_rules", "check_gaps", "check_score", "check_controls", "check_inspection",
          "check_lifecycle", "check_fixes")


def compile_pack(src: PackSource) -> Program:
    """Compile a validated pack. Raises PackError with every error found (warnings are kept on it)."""
    ctx = Context(src)
    resolve_fields(ctx)
    check_names(ctx)
    resolve_tables(ctx)
    resolve_levels(ctx)
    order_derived(ctx)
    derive = check_derived(ctx)
    applies = _check_applies(ctx)
    rules = _check_rules(ctx)
    gaps, rules = _check_gaps(ctx, rules)
    score = _check_score(ctx, rules)
    level_controls, responsible = _check_controls(ctx)
    inspection = _check_inspection(ctx)
    lifecycle = check_lifecycle(ctx)
    fixes = check_fixes(ctx, rules)
    if any(d.severity == "error" for d in ctx.diagnostics):
        raise PackError(ctx.diagnostics)
    pack = src.pack
    return Program(
        pack_id=pack.pack, version=pack.version, sha256=src.sha256, file=src.file, title=pack.title,
        owner=pack.owner, on_missing=pack.on_missing,
        levels=tuple(CompiledLevel(lv.id, lv.label, lv.color) for lv in pack.levels),
        fields=tuple(ctx.fields.values()),
        params={name: (ctx.scope.params[name], p.default) for name, p in pack.parameters.items()},
        tables=ctx.tables,
        derive=tuple((name, derive[name]) for name in ctx.derive_order if name in derive),
        applies_when=applies, rules=tuple(rules), score=score,
        measures=tuple((mid, m.text) for mid, m in pack.controls.measures.items()),
        level_controls=level_controls, responsible=responsible, tiers=dict(pack.controls.tiers),
        inspection=inspection, examples=tuple(pack.examples), lifecycle=lifecycle, gap_names=gaps, fixes=fixes,
        basis={b.id: b.title for b in pack.basis},
        derived_labels={name: d.label for name, d in pack.derive.items() if d.label is not None},
        model=pack,
    )


def _check_applies(ctx: Context) -> CompiledExpr | None:
    text = ctx.pack.applies_when
    return None if text is None else ctx.expression(text, "/applies_when", BOOLEAN)


def _check_rules(ctx: Context) -> list[CompiledRule]:
    rules: list[CompiledRule] = []
    seen: set[str] = set()
    for i, rule in enumerate(ctx.pack.rules):
        pointer = f"/rules/{i}"
        if rule.id in seen:
            ctx.error("RG310", f"rule id '{rule.id}' is used twice", f"{pointer}/id", rule_id=rule.id)
        seen.add(rule.id)
        when = ctx.expression(rule.when, f"{pointer}/when", BOOLEAN, rule.id)
        set_level = None if rule.set_level is None else level_ref(ctx, rule.set_level, f"{pointer}/set_level",
                                                                   rule.id)
        controls = tuple(m for j, c in enumerate(rule.controls)
                         if (m := measure_ref(ctx, c, f"{pointer}/controls/{j}", rule.id)) is not None)
        if when is None:
            continue
        rules.append(CompiledRule(
            index=len(rules), id=rule.id, when=when, points=float(rule.points),
            group=rule.group if rule.group is not None else f"\0{rule.id}", set_level=set_level,
            raise_=rule.raise_, lower=rule.lower, controls=controls,
            on_missing=rule.on_missing or ctx.pack.on_missing, hazard=rule.hazard, basis=rule.basis))
    return rules


def _check_gaps(ctx: Context, rules: list[CompiledRule]) -> tuple[tuple[str, ...], list[CompiledRule]]:
    """The names data_gaps may hold (every field, each list followed by the item fields rules name),
    and the rules with their ``data_gap`` resolved to one of them."""
    named: dict[str, list[str]] = {}
    wanted: dict[str, str] = {}
    for i, rule in enumerate(ctx.pack.rules):
        gap = rule.data_gap
        if gap is None:
            continue
        head, _, item = gap.partition(".")
        f = ctx.fields.get(head)
        if f is None or (item and item not in {i.name for i in f.items}):
            known = "a field, or list.item for an item field of a list"
            ctx.error("RG317", f"data_gap '{gap}' is not {known} of this pack", f"/rules/{i}/data_gap",
                      rule_id=rule.id)
            continue
        wanted[rule.id] = gap
        if item and gap not in named.setdefault(head, []):
            named[head].append(gap)
    names = tuple(n for f in ctx.fields for n in (f, *named.get(f, [])))
    index = {n: i for i, n in enumerate(names)}
    return names, [replace(r, gap=index[wanted[r.id]]) if r.id in wanted else r for r in rules]


def _check_score(ctx: Context, rules: list[CompiledRule]) -> CompiledScore:
    spec = ctx.pack.score
    groups = tuple(dict.fromkeys(r.group for r in rules))
    for g in spec.caps:
        if g not in groups:
            ctx.error("RG311", f"cap for group '{g}', but no rule has group '{g}'", f"/score/caps/{g}", key=True,
                      severity="warning")
    caps = tuple(spec.caps.get(g) for g in groups)
    scope = ctx.scope
    method = SCORE_METHODS[spec.method]
    if method.rule_points:
        scope = replace(scope, rule_points=True)  # keeps the grouped lists and the rest of the scope
    expr = None if spec.expr is None else ctx.expression(spec.expr, "/score/expr", NUMBER, scope=scope)
    likelihood = None if spec.likelihood is None else ctx.expression(spec.likelihood, "/score/likelihood",
                                                                     NUMBER)
    severity = None if spec.severity is None else ctx.expression(spec.severity, "/score/severity", NUMBER)
    base = float(spec.base) if spec.base is not None else method.default_base
    if method.adds_points or method.rule_points:
        _check_total(ctx, rules, caps, groups, base if method.adds_points else 0.0)
    return CompiledScore(
        method=spec.method, base=base, groups=groups, caps=caps, expr=expr, likelihood=likelihood, severity=severity,
        matrix=tuple(tuple(float(c) for c in row) for row in spec.matrix) if spec.matrix else None,
        bands=check_bands(ctx))


def _check_total(ctx: Context, rules: list[CompiledRule], caps: tuple[float | None, ...],
                 groups: tuple[str, ...], base: float) -> None:
    """The fired points (capped per group) and the base must add up to a number: past ~1.8e308 the
    sum is infinite, no score can be computed and the entity would fall to the least severe level."""
    cap = dict(zip(groups, caps))
    compiled_by_id = {r.id: r for r in reversed(rules)}
    per_group: dict[str, float] = {}
    total = abs(base)
    for i, rule in enumerate(ctx.pack.rules):
        compiled = compiled_by_id.get(rule.id)
        if compiled is None:
            continue
        before = per_group.get(compiled.group, 0.0)
        now = before + abs(compiled.points)
        limit = cap.get(compiled.group)
        now = now if limit is None else min(now, abs(limit))
        per_group[compiled.group] = now
        total += now - before
        if not math.isfinite(total):
            ctx.error("RG316", "the points of the rules (with the base) can add up to more than a number holds "
                      "(about 1.8e308): no score could be computed; use smaller points",
                      f"/rules/{i}/points", rule_id=rule.id)
            return


def _check_controls(ctx: Context) -> tuple[tuple[tuple[int, ...], ...], tuple[str | None, ...]]:
    controls = ctx.pack.controls
    for level_id in controls.by_level:
        level_ref(ctx, level_id, f"/controls/by_level/{level_id}")
    for level_id, tier in controls.responsible.items():
        level_ref(ctx, level_id, f"/controls/responsible/{level_id}")
        if tier not in controls.tiers:
            ctx.error("RG312", f"unknown tier '{tier}' (declare it under controls.tiers)",
                      f"/controls/responsible/{level_id}")
    per_level = []
    for level in ctx.pack.levels:
        ids = controls.by_level.get(level.id, [])
        refs = (measure_ref(ctx, m, f"/controls/by_level/{level.id}/{j}") for j, m in enumerate(ids))
        per_level.append(tuple(sorted({m for m in refs if m is not None})))
    responsible = tuple(controls.responsible.get(level.id) for level in ctx.pack.levels)
    return tuple(per_level), responsible


def _check_inspection(ctx: Context) -> CompiledInspection | None:
    spec = ctx.pack.inspection
    if spec is None:
        return None
    for level_id in spec.interval_days:
        level_ref(ctx, level_id, f"/inspection/interval_days/{level_id}")
    last = spec.last_inspection
    if last is not None and (last not in ctx.fields or ctx.fields[last].kind != "date"):
        ctx.error("RG313", f"'{last}' is not a date field of this pack", "/inspection/last_inspection")
    modifiers = []
    for i, m in enumerate(spec.modifiers):
        when = ctx.expression(m.when, f"/inspection/modifiers/{i}/when", BOOLEAN)
        if when is not None:
            modifiers.append(CompiledAdjustment(m.id, m.multiply, m.max_days, when=when))
    campaigns = []
    for i, c in enumerate(spec.campaigns):
        start = tuple(int(x) for x in c.start.split("-"))
        end = tuple(int(x) for x in c.end.split("-"))
        levels = None if c.levels is None else frozenset(
            level_ref(ctx, lv, f"/inspection/campaigns/{i}/levels/{j}") for j, lv in enumerate(c.levels))
        campaigns.append(CompiledAdjustment(c.id, c.multiply, c.max_days, window=(start, end),  # type: ignore
                                            levels=levels))
    intervals = tuple(spec.interval_days.get(level.id) for level in ctx.pack.levels)
    return CompiledInspection(intervals, last, tuple(modifiers), tuple(campaigns))


__all__ = ["STAGES", "compile_pack"]
