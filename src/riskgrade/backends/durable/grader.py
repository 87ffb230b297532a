"""The ``durable`` grading backend: a pack's decisions run on durable_rules' Rete engine, one entity
at a time (the one-shot pattern: a fact with a fresh id and the discriminator, asserted into one
fixed session, every matching rule fires exactly once inside the call, the fact retracted at once).

What runs where (see ``rulesets`` for the lowering): ``applies_when`` and every rule's ``when`` are
decided by the engine; derived values, routed sub-expressions, the score formula, bands, effects
and the inspection schedule use the reference implementation — the engine's answers are put into
the Program as constants and the reference grades it — so the three engines share one set of
semantics and the record is the reference's record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

from ...compiler.program import CompiledExpr, Program
from ...errors import EngineError
from ...expr.interpret import Env, evaluate
from ...expr.nodes import BOOLEAN, Const
from ...table.convert import convert_entity
from .. import reference
from ...table import Table
from ..base import PackGrades, Record, columns_by_entity, resolve_params
from .host import DurableHost, fnv1a32
from .rulesets import KIND, Lowering, constant

name = "durable"
ENTITY = "grading_entity"
SID = "0"
# A fact may satisfy at most 64 alpha nodes at once (error 303): a few decisions per ruleset keeps a
# fact far below that however the pack's rules overlap.
DECISIONS_PER_RULESET = 8


@dataclass
class _Compiled:
    host: DurableHost
    rulesets: tuple[str, ...]
    lowering: Lowering
    decisions: tuple[CompiledExpr, ...]  # applies_when (if any) first, then the rules in order
    hits: list[tuple[int, bool]]


class DurableGrader:
    """Grades entities with one Program on a private durable host (build once, grade many)."""

    def __init__(self, program: Program):
        self.program = program
        self._next_id = 0
        self._compiled = _compile(program)

    @property
    def routed(self) -> list[str]:
        """Sub-expressions routed through precomputed values (not lowered into durable conditions)."""
        return list(self._compiled.lowering.where.values())

    def grade_records(self, records: Sequence[Mapping[str, Any]], as_of: dt.date,
                      params: Mapping[str, Any] | None = None) -> list[Record]:
        """Grade raw entity dicts; a rejected entity's record has ``rejected`` with its reasons."""
        chosen = resolve_params(self.program, params)
        out = []
        for raw in records:
            values, errors = convert_entity(self.program.fields, raw)
            if errors:
                out.append({"rejected": [(f, v, r, "RG400") for f, v, r in errors]})
                continue
            out.append(self.grade_entity(values, as_of, chosen))
        return out

    def grade_entity(self, values: Mapping[str, Any], as_of: dt.date, params: Mapping[str, Any]) -> dict[str, Any]:
        """Grade one entity whose values are typed (``table.convert.convert_entity``)."""
        program = self.program
        lookup = lambda table, key: program.tables[table].lookup_value(key)  # noqa: E731
        env = Env(values, as_of, lookup, {}, params)
        for dname, cexpr in program.derive:
            env.derived[dname] = evaluate(cexpr.node, env)
        return reference.grade_entity(_decided(program, self._decide(env)), values, as_of, params)

    def _decide(self, env: Env) -> list[bool | None]:
        c = self._compiled
        fact = _fact(c.lowering, env)
        c.hits.clear()
        for ruleset in c.rulesets:
            fact_id = self._fresh_id()
            c.host.assert_fact(ruleset, SID, dict(fact, id=fact_id))
            c.host.retract_fact(ruleset, SID, fact_id)  # one live fact at a time: flat memory, no collisions
        truth: list[bool | None] = [None] * len(c.decisions)
        for index, value in c.hits:
            if truth[index] is not None and truth[index] != value:
                raise EngineError(f"decision {c.decisions[index].pointer} matched both true and false")
            truth[index] = value
        return truth

    def _fresh_id(self) -> str:
        self._next_id += 1
        fact_id = f"e{self._next_id}"
        if fnv1a32(fact_id) == _RESERVED_HASH:  # never alias the session's state document
            return self._fresh_id()
        return fact_id


_RESERVED_HASH = fnv1a32(f"sid-{SID}")


def grader_for(program: Program) -> DurableGrader:
    """The program's grader, built on first use and cached on the (immutable) Program."""
    grader = program.cache.get("durable_grader")
    if grader is None:
        grader = program.cache["durable_grader"] = DurableGrader(program)
    return grader


def grade_records(program: Program, records: Sequence[Mapping[str, Any]], as_of: dt.date,
                  params: Mapping[str, Any] | None = None) -> list[Record]:
    """Backend entry point: grade raw entity dicts."""
    return grader_for(program).grade_records(records, as_of, params)


def grade_columns(program: Program, table: Table, as_of: dt.date,
                  params: Mapping[str, Any] | None = None) -> PackGrades:
    """Backend entry point: grade a chunk of typed columns, one entity after another."""
    return columns_by_entity(_grade_entity, program, table, as_of, params)


def _grade_entity(program: Program, values: Mapping[str, Any], as_of: dt.date, params: Mapping[str, Any]) -> Record:
    return grader_for(program).grade_entity(values, as_of, params)


def _compile(program: Program) -> _Compiled:
    lowering = Lowering()
    decisions = ((program.applies_when,) if program.applies_when is not None else ()) + tuple(
        r.when for r in program.rules)
    hits: list[tuple[int, bool]] = []
    definitions: dict[str, dict[str, Any]] = {}
    for start in range(0, max(len(decisions), 1), DECISIONS_PER_RULESET):
        rules: dict[str, Any] = {}
        for index in range(start, min(start + DECISIONS_PER_RULESET, len(decisions))):
            lowering.pointer = decisions[index].pointer
            yes, no = lowering.pair(decisions[index].node)
            for suffix, cond, value in (("t", yes, True), ("f", no, False)):
                rules[f"{index}#{suffix}"] = {"all": [{"m": {"$and": [{KIND: ENTITY}, cond]}}],
                                              "run": _recorder(hits, index, value)}
        if rules:
            definitions[f"grade_{start // DECISIONS_PER_RULESET}"] = rules
    host = DurableHost(definitions, sids=(SID,))
    return _Compiled(host, tuple(definitions), lowering, decisions, hits)


def _recorder(hits: list[tuple[int, bool]], index: int, value: bool) -> Any:
    def action(c: Any) -> None:  # one closure per rule: the action is not told which rule fired
        hits.append((index, value))
    return action


def _fact(lowering: Lowering, env: Env) -> dict[str, Any]:
    """The entity as the engine sees it: normalised types, absent where the value is missing."""
    fact: dict[str, Any] = {KIND: ENTITY}
    for (scope, name_), prop in lowering.names.items():
        raw = env.derived.get(name_) if scope == "derived" else env.fields.get(name_)
        kind, values = lowering.kinds[prop]
        value = constant(kind, values, raw)
        if value is not None:
            fact[prop] = value
    for node, prop in lowering.routed.items():
        value = evaluate(node, env)
        if value is not None:
            fact[prop] = bool(value)
    return fact


def _decided(program: Program, truth: list[bool | None]) -> Program:
    """The Program with each decision replaced by the engine's answer (a constant true, false or
    unknown), so the reference computes everything else exactly as it always does."""
    answers = iter(truth)
    applies = program.applies_when
    if applies is not None:
        applies = replace(applies, node=_ANSWER[next(answers)])
    rules = tuple(replace(r, when=replace(r.when, node=_ANSWER[v])) for r, v in zip(program.rules, answers))
    return replace(program, applies_when=applies, rules=rules)


_ANSWER = {v: Const(BOOLEAN, 0, 0, v) for v in (True, False, None)}


__all__ = ["DurableGrader", "grade_columns", "grade_records", "grader_for", "name"]
