"""Which interval modifiers and campaigns applied to each graded row — found again after grading.

The grade output carries the interval, not the reasons for it, and the engines are not changed to
say. So the reasons are recomputed here, in one of two ways, and each row says which was used:

- ``inputs``: the rows carry every input field a modifier reads (``riskgrade grade --keep
  open_hazards …``, or ``plan --grade``, which keeps them): each modifier's ``when`` is evaluated with
  the reference interpreter, exactly as the engines do (unknown counts as not applied).
- ``interval``: otherwise, every subset of the pack's modifiers is tried against the row's level,
  campaigns and graded interval; when exactly one subset gives that interval, that is the answer.
- ``unknown``: several subsets give the same interval (or none does: the pack changed); the
  ``modifiers`` cell is then missing rather than guessed.

Campaigns need no inputs: they depend only on the grading date and the level.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, Mapping

import numpy as np

from ..compiler.program import CompiledAdjustment, Program
from ..expr.interpret import Env, evaluate
from ..io.convert import convert_entity
from .interval import adjust, finish

MAX_SUBSET_MODIFIERS = 10  # 2^10 subsets per (level, campaign set): beyond that, evaluate inputs only


def campaigns_applied(program: Program, level: np.ndarray, as_of: np.ndarray) -> list[list[str]]:
    """Per row, the ids of the campaigns whose window holds the grading date and whose levels hold the row's."""
    insp = program.inspection
    out: list[list[str]] = [[] for _ in range(len(level))]
    if insp is None or not insp.campaigns:
        return out
    has_interval = np.array([lv >= 0 and insp.intervals[lv] is not None for lv in level], dtype=bool)
    for day in np.unique(as_of):
        on_day = as_of == day
        date = dt.date.fromisoformat(str(day)[:10])
        for c in insp.campaigns:
            if not c.in_window(date):
                continue
            touched = on_day & has_interval & (np.ones(len(level), bool) if c.levels is None
                                               else np.isin(level, list(c.levels)))
            for i in np.flatnonzero(touched):
                out[i].append(c.id)
    return out


def modifier_inputs(program: Program) -> frozenset[str]:
    """The input fields the pack's modifiers read, directly or through derived values."""
    insp = program.inspection
    if insp is None:
        return frozenset()
    return frozenset().union(*[m.when.fields for m in insp.modifiers if m.when is not None])


def modifiers_from_inputs(program: Program, records: list[Mapping[str, Any]], as_of: list[dt.date],
                          params: Mapping[str, Any]) -> list[list[str]]:
    """Per record, the modifiers whose ``when`` is true, by the reference interpreter."""
    insp = program.inspection
    if insp is None or not insp.modifiers:
        return [[] for _ in records]
    lookup = lambda table, key: program.tables[table].lookup_value(key)  # noqa: E731
    needed = _needed_derived(program)
    out = []
    for raw, day in zip(records, as_of):
        values, _ = convert_entity(program.fields, raw)  # unreadable values count as missing
        env = Env(values, day, lookup, {}, params)
        for name, cexpr in program.derive:
            if name in needed:
                env.derived[name] = evaluate(cexpr.node, env)  # type: ignore[index]
        out.append([m.id for m in insp.modifiers if m.when is not None and evaluate(m.when.node, env) is True])
    return out


def _needed_derived(program: Program) -> set[str]:
    """Derived values the modifiers use, with the derived values those use in turn."""
    from ..expr.nodes import Aggregate, Name as NameNode, children

    derived = dict(program.derive)
    needed: set[str] = set()
    stack = [m.when.node for m in program.inspection.modifiers if m.when is not None] if program.inspection else []
    while stack:
        node = stack.pop()
        ref = (node.name if isinstance(node, NameNode) and node.scope == "derived" else
               node.list_name if isinstance(node, Aggregate) and node.source == "derived" else None)
        if ref is not None and ref not in needed:
            needed.add(ref)
            stack.append(derived[ref].node)
        stack.extend(children(node))
    return needed


def modifiers_from_interval(program: Program, level: np.ndarray, campaigns: list[list[str]],
                            interval: np.ndarray) -> list[list[str] | None]:
    """Per row, the one subset of modifiers that reproduces the graded interval, or None when not one."""
    insp = program.inspection
    n = len(level)
    if insp is None or not insp.modifiers:
        return [[] for _ in range(n)]
    if len(insp.modifiers) > MAX_SUBSET_MODIFIERS:
        return [None] * n
    subsets = [s for k in range(len(insp.modifiers) + 1) for s in itertools.combinations(insp.modifiers, k)]
    by_campaign = {c.id: c for c in insp.campaigns}
    cache: dict[tuple[int, tuple[str, ...]], dict[int, list[tuple[CompiledAdjustment, ...]]]] = {}
    out: list[list[str] | None] = []
    for lv, camps, days in zip(level, campaigns, interval):
        if lv < 0 or insp.intervals[lv] is None or days is None or np.isnan(days):
            out.append([])
            continue
        key = (int(lv), tuple(camps))
        if key not in cache:
            cache[key] = _outcomes(float(insp.intervals[lv]), subsets, [by_campaign[c] for c in camps])
        matches = cache[key].get(int(days), [])
        out.append([m.id for m in matches[0]] if len(matches) == 1 else None)
    return out


def _outcomes(base: float, subsets: list[tuple[CompiledAdjustment, ...]],
              campaigns: list[CompiledAdjustment]) -> dict[int, list[tuple[CompiledAdjustment, ...]]]:
    """Interval in days -> the modifier subsets giving it (modifiers in pack order, then campaigns)."""
    found: dict[int, list[tuple[CompiledAdjustment, ...]]] = {}
    for subset in subsets:
        interval = base
        for adj in subset + tuple(campaigns):
            interval = adjust(interval, adj)
        days = finish(interval)
        assert days is not None
        found.setdefault(days, []).append(subset)
    return found
