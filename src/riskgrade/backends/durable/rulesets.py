"""durable_rules JSON ruleset definitions built from the IR, and the check every definition passes.

**Lowering a pack's decisions.** Each decision (``applies_when``, each rule's ``when``) becomes two
durable rules: ``<n>#t`` matches when the expression is certainly true, ``<n>#f`` when it is
certainly false; when neither fires the value is unknown (missing data), exactly the reference's
three-valued result. Negation is pushed down to the atoms (Kleene logic allows De Morgan), and a
durable test of an absent property never matches, which is what "unknown" needs.

Lowered into durable conditions: comparisons of a field or derived value with a constant (numbers,
dates as day ordinals, booleans, categories as their value's index — so no string is ever compared
by the engine's 32-bit hash), ``and``/``or``/``not``, and ``x in [...]``. Everything else — arithmetic,
functions, tables, aggregates, conditionals, parameters, free text, field-to-field comparisons — is
routed through a *precomputed value*: the reference interpreter evaluates that sub-expression and
the result is asserted as a boolean fact property ``p<k>`` that the lowered condition tests.
Derived values are always precomputed the same way (they are part of the output record anyway).

**The check.** ``check_definition`` refuses, before anything is registered, every shape the notes
show to crash, hang or mislead the stock engine: ``any`` rules, negative ``pri``, more than 16
patterns, a pattern without the discriminator (it could match the state document or ``$pulse``)
other than the single-comparison tick pattern, a non-equality cross-fact comparison inside
``$and``/``$or`` (heap overflow, S1), and division (SIGFPE on integer division by zero).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from ...errors import EngineError
from ...expr.nodes import Compare, Const, Expr, InList, Logic, Name, Unary

KIND = "_kind"  # the discriminator property every rule tests
TICK_FIELD = "now"  # only tick facts carry it: the one pattern allowed without a discriminator
_CMP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_VALUE_OPS = {"$lt", "$lte", "$gt", "$gte", "$neq"}
_OTHER_OPS = {"$mt", "$imt", "$ex", "$nex", "$iany", "$iall"}
MAX_PATTERNS = 16


# --- the check --------------------------------------------------------------------------------------

def check_definition(ruleset: str, definition: dict[str, Any]) -> None:
    """Raise EngineError naming the rule if a definition holds a shape the engine cannot run safely."""
    for rule_name, rule in definition.items():
        where = f"ruleset '{ruleset}', rule '{rule_name}'"
        unknown = set(rule) - {"all", "pri", "run", "count", "cap"}
        if unknown:
            raise EngineError(f"{where}: unsupported keys {sorted(unknown)} ('any' fires extra combined matches)")
        if not callable(rule.get("run")):
            raise EngineError(f"{where}: 'run' must be a callable")
        pri = rule.get("pri", 0)
        if not isinstance(pri, int) or pri < 0:
            raise EngineError(f"{where}: pri must be an integer >= 0 (stored unsigned), got {pri!r}")
        patterns = rule.get("all")
        if not isinstance(patterns, list) or not 1 <= len(patterns) <= MAX_PATTERNS:
            raise EngineError(f"{where}: 'all' must hold 1 to {MAX_PATTERNS} patterns")
        aliases: list[str] = []
        for pattern in patterns:
            if not isinstance(pattern, dict) or len(pattern) != 1:
                raise EngineError(f"{where}: each pattern is one {{alias: condition}}")
            ((alias, cond),) = pattern.items()
            _check_condition(where, cond, aliases, inside_logic=False)
            if not (_has_discriminator(cond) or _is_tick_pattern(cond, aliases)):
                raise EngineError(f"{where}: pattern '{alias}' does not test '{KIND}', so it could match the "
                                  f"state document or $pulse events (endless re-firing)")
            aliases.append(alias.split("$", 1)[0])


def _has_discriminator(cond: dict[str, Any]) -> bool:
    if isinstance(cond.get(KIND), str):
        return True
    return any(isinstance(c, dict) and isinstance(c.get(KIND), str) for c in cond.get("$and", ()))


def _is_tick_pattern(cond: dict[str, Any], aliases: list[str]) -> bool:
    """``{op: {now: {alias: field}}}``: one cross-fact comparison, no ``$and`` (the safe form)."""
    if len(cond) != 1:
        return False
    ((op, test),) = cond.items()
    if op not in ("$lt", "$lte", "$gt", "$gte") or not isinstance(test, dict) or list(test) != [TICK_FIELD]:
        return False
    ref = test[TICK_FIELD]
    return isinstance(ref, dict) and len(ref) == 1 and next(iter(ref)) in aliases


def _check_condition(where: str, cond: Any, aliases: list[str], inside_logic: bool) -> None:
    if not isinstance(cond, dict) or not cond:
        raise EngineError(f"{where}: a condition must be a non-empty mapping, got {cond!r}")
    for key, value in cond.items():
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not value:
                raise EngineError(f"{where}: {key} needs a non-empty list")
            for sub in value:
                _check_condition(where, sub, aliases, inside_logic=True)
        elif key in _VALUE_OPS:
            for operand in value.values():
                if _is_reference(operand, aliases) and inside_logic:
                    raise EngineError(f"{where}: a non-equality comparison with another fact inside "
                                      f"$and/$or overflows the engine's buffers; use the tick pattern")
                _check_operand(where, operand, aliases)
        elif key in _OTHER_OPS:
            continue
        elif key.startswith("$"):
            raise EngineError(f"{where}: unsupported operator {key}")
        else:
            _check_operand(where, value, aliases)


def _is_reference(value: Any, aliases: list[str]) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in aliases


def _check_operand(where: str, value: Any, aliases: list[str]) -> None:
    if isinstance(value, dict):
        if "$div" in value:
            raise EngineError(f"{where}: division is never lowered (integer division by zero kills the engine)")
        if not _is_reference(value, aliases) and not set(value) <= {"$add", "$sub", "$mul", "$l", "$r", "$m"}:
            raise EngineError(f"{where}: unknown reference {value!r} (aliases so far: {aliases})")
    elif isinstance(value, float) and not math.isfinite(value):
        raise EngineError(f"{where}: {value} in a condition")


# --- lowering expressions ------------------------------------------------------------------------------

# The whitelisted functions and aggregates (``expr.functions``) in durable conditions: none is
# lowered, since the engine has no safe arithmetic on a fact's values (division, overflow) and an
# aggregate needs the list's records. A call is routed through a precomputed value instead, which the
# reference interpreter evaluates. Named one by one, so that a new function is a decision for this
# engine too; a test holds this list to the declared one.
ROUTED_FUNCTIONS = frozenset({
    "days_since", "years_since", "days_between", "coalesce", "is_missing", "abs", "round", "min", "max",
    "sum", "count", "any", "all",
})


@dataclass
class Lowering:
    """Lowers expressions of one Program; remembers which properties facts must carry."""

    names: dict[tuple[str, str], str] = field(default_factory=dict)  # (scope, name) -> property
    kinds: dict[str, tuple[str, tuple[str, ...] | None]] = field(default_factory=dict)  # property -> type
    routed: dict[Expr, str] = field(default_factory=dict)  # sub-expression -> precomputed property
    where: dict[Expr, str] = field(default_factory=dict)  # routed sub-expression -> pointer line:col
    pointer: str = ""  # the decision being lowered (for ``where``)

    def pair(self, node: Expr) -> tuple[dict[str, Any], dict[str, Any]]:
        """(certainly-true condition, certainly-false condition) of a boolean expression."""
        return self.lower(node, True), self.lower(node, False)

    def lower(self, node: Expr, want: bool) -> dict[str, Any]:
        if isinstance(node, Unary) and node.op == "not":
            return self.lower(node.operand, not want)
        if isinstance(node, Logic) and len(node.operands) > 1:
            joined = "$and" if (node.op == "and") == want else "$or"
            return {joined: [self.lower(o, want) for o in node.operands]}
        if isinstance(node, Name) and node.type.kind == "boolean" and node.scope in ("field", "derived"):
            return {self._prop(node): want}
        if isinstance(node, Compare):
            lowered = self._compare(node, want)
            if lowered is not None:
                return lowered
        if isinstance(node, InList):
            lowered = self._in_list(node, want)
            if lowered is not None:
                return lowered
        return {self._route(node): want}

    def _compare(self, node: Compare, want: bool) -> dict[str, Any] | None:
        name, const, op = node.left, node.right, node.op
        if isinstance(name, Const) and isinstance(const, Name):
            name, const, op = const, name, _FLIP[op]
        if not (isinstance(name, Name) and isinstance(const, Const) and self._lowerable(name)):
            return None
        if name.type.values is not None and op not in ("==", "!="):
            return None  # categories order as text, their codes do not
        value = constant(name.type.kind, name.type.values, const.value)
        if value is None:
            return None
        op = op if want else _NEGATE[op]
        prop = self._prop(name)
        if op == "==":
            return {prop: value}
        if op == "!=":
            return {"$neq": {prop: value}}
        return {_CMP[op]: {prop: value}}

    def _in_list(self, node: InList, want: bool) -> dict[str, Any] | None:
        x = node.operand
        if not (isinstance(x, Name) and self._lowerable(x)) or not node.options:
            return None
        values = [constant(x.type.kind, x.type.values, o) for o in node.options]
        if any(v is None for v in values):
            return None
        prop = self._prop(x)
        if want != node.negate:
            tests = [{prop: v} for v in dict.fromkeys(values)]
            return tests[0] if len(tests) == 1 else {"$or": tests}
        tests = [{"$neq": {prop: v}} for v in dict.fromkeys(values)]
        return tests[0] if len(tests) == 1 else {"$and": tests}

    def _lowerable(self, name: Name) -> bool:
        kind = name.type.kind
        return name.scope in ("field", "derived") and (
            kind in ("number", "date", "boolean") or (kind == "string" and name.type.values is not None))

    def _prop(self, name: Name) -> str:
        key = (name.scope, name.name)
        if key not in self.names:
            prop = f"{name.scope[0]}{len(self.names)}"
            self.names[key] = prop
            self.kinds[prop] = (name.type.kind, name.type.values)
        return self.names[key]

    def _route(self, node: Expr) -> str:
        if node not in self.routed:
            self.routed[node] = f"p{len(self.routed)}"
            self.where[node] = f"{self.pointer} {node.line}:{node.col} ({type(node).__name__})"
        return self.routed[node]


def constant(kind: str, values: tuple[str, ...] | None, value: Any) -> Any:
    """A value as the engine compares it (None: it cannot be compared exactly)."""
    if value is None:
        return None
    if values is not None:
        return values.index(value) if value in values else None
    if kind == "date":
        return value.toordinal() if isinstance(value, dt.date) else None
    if kind == "boolean":
        return value if isinstance(value, bool) else None
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        x = float(value)
        return x if math.isfinite(x) else None
    return None


__all__ = ["KIND", "ROUTED_FUNCTIONS", "TICK_FIELD", "Lowering", "check_definition", "constant"]
