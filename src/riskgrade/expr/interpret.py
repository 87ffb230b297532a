"""The plain-Python interpreter of expression trees: one entity at a time, obviously right.

Values: ``None`` is missing (for booleans: unknown); numbers are floats, dates ``datetime.date``,
lists are lists of dicts. Every arithmetic result that is not a finite number (division by zero,
overflow) is missing, exactly as in the numpy backend.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from .nodes import (Aggregate, Arith, Call, Compare, Const, Expr, GroupBy, IfElse, InList, Logic, Lookup, Name,
                    Unary)

Lookup_ = Callable[[str, Any], Any]


@dataclass
class Env:
    fields: Mapping[str, Any]
    as_of: dt.date
    lookup: Lookup_
    derived: Mapping[str, Any] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)
    rule_points: float | None = None
    item: Mapping[str, Any] | None = None
    group: Mapping[str, Any] | None = None  # inside a grouped list's values: the group's key and values


def evaluate(node: Expr, env: Env) -> Any:
    return _EVAL[type(node)](node, env)


def finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def power(a: float, b: float) -> float:
    """a ** b exactly as numpy computes it (its ufunc has fast paths, e.g. x*x for ** 2, that libm's
    pow does not share to the last bit), so that both engines agree bit for bit."""
    with np.errstate(all="ignore"):
        return float(np.power(np.array([a]), b)[0])


def round_half_even(x: float, digits: int) -> float | None:
    """round(x, digits) as ``rint(x * 10**d) / 10**d`` (the same formula the numpy backend uses);
    a result of zero is always +0.0."""
    if digits >= 0:
        scale = 10.0 ** digits
        y = x * scale
        return finite(float(round(y)) / scale + 0.0) if math.isfinite(y) else None
    scale = 10.0 ** -digits
    y = x / scale
    return finite(float(round(y)) * scale + 0.0) if math.isfinite(y) else None


def _const(n: Const, env: Env) -> Any:
    return n.value


def _name(n: Name, env: Env) -> Any:
    if n.scope == "item":
        assert env.item is not None
        return env.item.get(n.name)
    if n.scope == "derived":
        return env.derived.get(n.name)
    if n.scope == "param":
        return env.params.get(n.name)
    if n.scope == "group":
        assert env.group is not None
        return env.group.get(n.name)
    if n.scope == "rule_points":
        return env.rule_points
    return env.fields.get(n.name)


def _unary(n: Unary, env: Env) -> Any:
    x = evaluate(n.operand, env)
    if x is None:
        return None
    return (not x) if n.op == "not" else -x


def _arith(n: Arith, env: Env) -> Any:
    a, b = evaluate(n.left, env), evaluate(n.right, env)
    if a is None or b is None:
        return None
    try:
        if n.op == "+":
            r = a + b
        elif n.op == "-":
            r = a - b
        elif n.op == "*":
            r = a * b
        elif n.op == "/":
            r = a / b
        elif n.op == "//":
            r = a // b
        elif n.op == "%":
            r = a % b
        else:
            r = power(a, b)
    except (ZeroDivisionError, OverflowError, ValueError):
        return None
    return finite(float(r))


def _compare(n: Compare, env: Env) -> Any:
    a, b = evaluate(n.left, env), evaluate(n.right, env)
    if a is None or b is None:
        return None
    op = n.op
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    if op == "==":
        return a == b
    return a != b


def _logic(n: Logic, env: Env) -> Any:
    # Kleene logic: a decisive value wins over unknown
    decisive = n.op == "or"
    unknown = False
    for operand in n.operands:
        v = evaluate(operand, env)
        if v is None:
            unknown = True
        elif v == decisive:
            return decisive
    return None if unknown else not decisive


def _in_list(n: InList, env: Env) -> Any:
    x = evaluate(n.operand, env)
    if x is None:
        return None
    return (x in n.options) != n.negate


def _if_else(n: IfElse, env: Env) -> Any:
    c = evaluate(n.cond, env)
    if c is None:
        return None
    return evaluate(n.then if c else n.orelse, env)


def _lookup(n: Lookup, env: Env) -> Any:
    key = evaluate(n.key, env)
    return None if key is None else env.lookup(n.table, key)


def _days(d: dt.date, env: Env) -> float:
    return float((env.as_of - d).days)


def _years(d: dt.date, env: Env) -> float:
    a = env.as_of
    return float(a.year - d.year - ((a.month, a.day) < (d.month, d.day)))


SCALAR_FUNCTIONS: dict[str, Callable[[list[Any], Env], Any]] = {
    "days_since": lambda a, env: _days(a[0], env),
    "years_since": lambda a, env: _years(a[0], env),
    "days_between": lambda a, env: float((a[1] - a[0]).days),
    "abs": lambda a, env: abs(a[0]),
    "round": lambda a, env: round_half_even(a[0], int(a[1]) if len(a) > 1 else 0),
    "min": lambda a, env: min(a),
    "max": lambda a, env: max(a),
}


def _coalesce(n: Call, env: Env) -> Any:
    for arg in n.args:
        v = evaluate(arg, env)
        if v is not None:
            return v
    return None


# Functions that see their arguments unevaluated: a missing argument does not make them missing.
LAZY_FUNCTIONS: dict[str, Callable[[Call, Env], Any]] = {
    "coalesce": _coalesce,
    "is_missing": lambda n, env: evaluate(n.args[0], env) is None,
}


def _call(n: Call, env: Env) -> Any:
    lazy = LAZY_FUNCTIONS.get(n.func)
    if lazy is not None:
        return lazy(n, env)
    args = [evaluate(a, env) for a in n.args]
    if any(a is None for a in args):
        return None
    return SCALAR_FUNCTIONS[n.func](args, env)


def _aggregate(n: Aggregate, env: Env) -> Any:
    records = (env.derived if n.source == "derived" else env.fields).get(n.list_name)
    if records is None:
        return None
    if n.body is None:
        return float(len(records))
    values = []
    for record in records:
        inner = Env(env.fields, env.as_of, env.lookup, env.derived, env.params, env.rule_points, record, env.group)
        values.append(evaluate(n.body, inner))
    return AGGREGATES[n.func](values)


def _group_by(n: GroupBy, env: Env) -> Any:
    records = env.fields.get(n.list_name)
    if records is None:
        return None
    groups: dict[Any, list[Mapping[str, Any]]] = {}  # in order of first appearance
    for record in records:
        groups.setdefault(record.get(n.key), []).append(record)
    out = []
    for key, members in groups.items():
        group: dict[str, Any] = {n.key: key}
        inner = Env({**env.fields, n.list_name: members}, env.as_of, env.lookup, env.derived, env.params,
                    env.rule_points, None, group)
        for name, expr in n.values:
            group[name] = evaluate(expr, inner)
        out.append(group)
    return out


def _sum(values: list[Any]) -> Any:
    if any(v is None for v in values):
        return None
    total = 0.0
    for v in values:
        total += v
    return finite(total)


def _count(values: list[Any]) -> Any:
    return None if any(v is None for v in values) else float(sum(1 for v in values if v))


def _any(values: list[Any]) -> Any:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _all(values: list[Any]) -> Any:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _extreme(pick: Callable[[list[float]], float]) -> Callable[[list[Any]], Any]:
    def agg(values: list[Any]) -> Any:
        if not values or any(v is None for v in values):
            return None
        return pick(values)
    return agg


AGGREGATES: dict[str, Callable[[list[Any]], Any]] = {
    "sum": _sum, "count": _count, "any": _any, "all": _all, "min": _extreme(min), "max": _extreme(max),
}

_EVAL: dict[type, Callable[[Any, Env], Any]] = {
    Const: _const, Name: _name, Unary: _unary, Arith: _arith, Compare: _compare, Logic: _logic,
    InList: _in_list, IfElse: _if_else, Lookup: _lookup, Call: _call, Aggregate: _aggregate, GroupBy: _group_by,
}
