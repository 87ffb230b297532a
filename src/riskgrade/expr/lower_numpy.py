"""Expression trees -> numpy kernels over whole columns, with three-valued logic.

``lower(node)`` is called once per expression when a pack is compiled; the kernel it returns is
called once per chunk of rows. Representations are those of ``riskgrade.table``: float64 with NaN
for numbers and dates, ``Tri`` for booleans, ``Codes`` for text; constants stay numpy scalars and
broadcast. Every arithmetic result that is not finite becomes missing, as in the interpreter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from typing import Any, Callable, Mapping, Protocol

import numpy as np

from ..table import Codes, ListColumn, Table, Tri, day_number
from .nodes import (Aggregate, Arith, Call, Compare, Const, Expr, GroupBy, IfElse, InList, Logic, Lookup, Name,
                    Unary)

Value = Any  # np.ndarray | float | Tri | Codes


class NumpyTable(Protocol):
    def lookup(self, key: Value) -> Value: ...


@dataclass
class Frame:
    """What kernels read: the chunk's columns, derived values so far, parameters and tables."""

    n: int
    columns: Mapping[str, Any]
    as_of: dt.date
    tables: Mapping[str, NumpyTable]
    params: Mapping[str, Value] = field(default_factory=dict)
    derived: dict[str, Value] = field(default_factory=dict)
    rule_points: np.ndarray | None = None
    parent: "Frame | None" = None
    segment: np.ndarray | None = None  # for an item frame: the parent row of each item
    group: bool = False  # a frame of groups (GroupBy): its columns hold the groups' keys and values
    _outer: dict[tuple[str, str], Value] = field(default_factory=dict)

    @property
    def as_of_day(self) -> float:
        return day_number(self.as_of)


Kernel = Callable[[Frame], Value]


def lower(node: Expr) -> Kernel:
    return _LOWER[type(node)](node)


# --- helpers --------------------------------------------------------------------------------------

def to_tri(v: Value, n: int) -> Tri:
    return Tri(np.broadcast_to(v.value, (n,)), np.broadcast_to(v.known, (n,)))


def broadcast(v: Value, n: int) -> Value:
    if isinstance(v, ListColumn):
        return v
    if isinstance(v, Tri):
        return to_tri(v, n)
    if isinstance(v, Codes):
        return Codes(np.broadcast_to(v.codes, (n,)), v.vocab)
    return np.broadcast_to(np.asarray(v, dtype=np.float64), (n,))


def _finite(x: Value) -> Value:
    x = np.asarray(x, dtype=np.float64)
    return np.where(np.isfinite(x), x, np.nan)


def missing_mask(v: Value) -> Value:
    if isinstance(v, Tri):
        return ~v.known
    if isinstance(v, Codes):
        return v.codes < 0
    return np.isnan(v)


def unify(a: Codes, b: Codes) -> tuple[Value, Value, tuple[str, ...]]:
    """Re-code two text values into one vocabulary."""
    if a.vocab == b.vocab:
        return a.codes, b.codes, a.vocab
    vocab = list(a.vocab)
    index = {s: i for i, s in enumerate(vocab)}
    for s in b.vocab:
        if s not in index:
            index[s] = len(vocab)
            vocab.append(s)
    remap = np.array([index[s] for s in b.vocab] + [-1], dtype=np.int32)
    return a.codes, remap[b.codes], tuple(vocab)


# --- kernels ---------------------------------------------------------------------------------------

def _const(node: Const) -> Kernel:
    v = node.value
    if v is None:  # a typed missing value ("x if c else None")
        kind = node.type.kind
        value: Value = (Tri(np.bool_(False), np.bool_(False)) if kind == "boolean" else
                        Codes(np.int32(-1), ()) if kind == "string" else np.float64(np.nan))
    elif isinstance(v, bool):
        value: Value = Tri(np.bool_(v), np.bool_(True))
    elif isinstance(v, str):
        value = Codes(np.int32(0), (v,))
    elif isinstance(v, dt.date):
        value = np.float64(day_number(v))
    else:
        value = np.float64(v)
    return lambda frame: value


def _name(node: Name) -> Kernel:
    name, scope = node.name, node.scope

    def read(frame: Frame) -> Value:
        if scope == "item" or scope == "group" and frame.group:
            return frame.columns[name]
        if frame.parent is not None:
            key = (scope, name)
            if key not in frame._outer:
                outer = read(frame.parent)
                frame._outer[key] = _take(outer, frame.segment)
            return frame._outer[key]
        if scope == "field":
            return frame.columns[name]
        if scope == "derived":
            return frame.derived[name]
        if scope == "param":
            return frame.params[name]
        return frame.rule_points
    return read


def _take(v: Value, idx: np.ndarray) -> Value:
    if isinstance(v, Tri):
        return Tri(np.broadcast_to(v.value, idx.shape) if np.ndim(v.value) == 0 else v.value[idx],
                   np.broadcast_to(v.known, idx.shape) if np.ndim(v.known) == 0 else v.known[idx])
    if isinstance(v, Codes):
        return Codes(v.codes if np.ndim(v.codes) == 0 else v.codes[idx], v.vocab)
    return v if np.ndim(v) == 0 else v[idx]


def _unary(node: Unary) -> Kernel:
    inner = lower(node.operand)
    if node.op == "not":
        def not_(frame: Frame) -> Value:
            x = inner(frame)
            return Tri(~x.value & x.known, x.known)
        return not_
    return lambda frame: -inner(frame)


_ARITH: dict[str, Callable[[Value, Value], Value]] = {
    "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide,
    "//": np.floor_divide, "%": np.remainder, "**": lambda a, b: _power(a, b),
}


def _power(a: Value, b: Value) -> Value:
    """``a ** b`` with a missing side missing: numpy's ``nan ** 0`` and ``1 ** nan`` are 1, but an
    unknown number to the power 0 is still unknown (the reference engine says so)."""
    return np.where(np.isnan(a) | np.isnan(b), np.nan, np.power(a, b))


def _arith(node: Arith) -> Kernel:
    left, right, op = lower(node.left), lower(node.right), _ARITH[node.op]

    def arith(frame: Frame) -> Value:
        with np.errstate(all="ignore"):
            return _finite(op(left(frame), right(frame)))
    return arith


_CMP: dict[str, Callable[[Value, Value], Value]] = {
    "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
    "==": np.equal, "!=": np.not_equal,
}


def _compare(node: Compare) -> Kernel:
    left, right, op = lower(node.left), lower(node.right), _CMP[node.op]
    text_const = next((side for side in (node.right, node.left)
                       if isinstance(side, Const) and isinstance(side.value, str)), None)
    if text_const is not None and node.op in ("==", "!="):
        other = left if text_const is node.right else right
        return _compare_text_const(other, text_const.value, node.op == "==")

    def compare(frame: Frame) -> Value:
        a, b = left(frame), right(frame)
        if isinstance(a, Codes):
            ca, cb, _ = unify(a, b)
            known = (ca >= 0) & (cb >= 0)
            return Tri(op(ca, cb) & known, known)
        known = ~(np.isnan(a) | np.isnan(b))
        with np.errstate(invalid="ignore"):
            return Tri(op(a, b) & known, known)
    return compare


def _compare_text_const(inner: Kernel, literal: str, equal: bool) -> Kernel:
    """``text == 'literal'``: one integer comparison against the literal's code in the column's vocabulary."""
    def compare(frame: Frame) -> Value:
        x = inner(frame)
        known = x.codes >= 0
        code = x.vocab.index(literal) if literal in x.vocab else -2
        hit = x.codes == code if equal else x.codes != code
        return Tri(hit & known, known)
    return compare


def _logic(node: Logic) -> Kernel:
    parts = [lower(o) for o in node.operands]
    is_and = node.op == "and"

    def logic(frame: Frame) -> Value:
        values = [p(frame) for p in parts]
        all_known = reduce(np.logical_and, [x.known for x in values])
        if is_and:
            v = reduce(np.logical_and, [x.value for x in values])
            some_false = reduce(np.logical_or, [x.known & ~x.value for x in values])
            return Tri(v & all_known, all_known | some_false)
        v = reduce(np.logical_or, [x.value for x in values])
        return Tri(v, all_known | v)
    return logic


def _in_list(node: InList) -> Kernel:
    inner, options, negate = lower(node.operand), node.options, node.negate
    if node.operand.type.kind == "date":
        options = tuple(day_number(o) for o in options)  # type: ignore[arg-type]

    def in_list(frame: Frame) -> Value:
        x = inner(frame)
        if isinstance(x, Codes):
            # a lookup over the vocabulary (last entry: missing) beats np.isin on the codes
            lut = np.array([v in options for v in x.vocab] + [False])
            known = x.codes >= 0
            hit = lut[x.codes]
        else:
            known = ~np.isnan(x)
            hit = np.isin(x, np.array(options, dtype=np.float64))
        if negate:
            hit = ~hit
        return Tri(hit & known, known)
    return in_list


def _if_else(node: IfElse) -> Kernel:
    cond, then, orelse = lower(node.cond), lower(node.then), lower(node.orelse)

    def if_else(frame: Frame) -> Value:
        c, a, b = cond(frame), then(frame), orelse(frame)
        if isinstance(a, Tri):
            return Tri(np.where(c.value, a.value, b.value) & c.known,
                       np.where(c.value, a.known, b.known) & c.known)
        if isinstance(a, Codes):
            ca, cb, vocab = unify(a, b)
            return Codes(np.where(c.known, np.where(c.value, ca, cb), -1).astype(np.int32), vocab)
        return np.where(c.known, np.where(c.value, a, b), np.nan)
    return if_else


def _lookup(node: Lookup) -> Kernel:
    key, name = lower(node.key), node.table
    if isinstance(node.key, Const):  # a constant key: look it up once per chunk, not per row
        return lambda frame: _scalar(frame.tables[name].lookup_value(node.key.value), node.type.kind)
    return lambda frame: frame.tables[name].lookup(key(frame))


def _scalar(value: Any, kind: str) -> Value:
    if kind == "boolean":
        return Tri(np.bool_(bool(value)), np.bool_(value is not None))
    if kind == "string":
        return Codes(np.int32(0 if value is not None else -1), (value,) if value is not None else ())
    return np.float64(np.nan if value is None else value)


# --- functions -------------------------------------------------------------------------------------

def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = np.where(np.isnan(days), 0, days).astype(np.int64).astype("datetime64[D]")
    years = d.astype("datetime64[Y]")
    months = d.astype("datetime64[M]")
    return (years.astype(np.int64) + 1970, (months - years).astype(np.int64) + 1,
            (d - months).astype(np.int64) + 1)


def _years_since(args: list[Value], frame: Frame) -> Value:
    d = np.asarray(args[0], dtype=np.float64)
    y, m, dd = _ymd(d)
    a = frame.as_of
    before = (a.month < m) | ((a.month == m) & (a.day < dd))
    return np.where(np.isnan(d), np.nan, (a.year - y - before).astype(np.float64))


def _round(args: list[Value], frame: Frame) -> Value:
    digits = int(args[1]) if len(args) > 1 else 0
    with np.errstate(all="ignore"):
        if digits >= 0:  # "+ 0.0" turns -0.0 into 0.0, as Python's round() does
            scale = 10.0 ** digits
            return _finite(np.rint(_finite(args[0] * scale)) / scale + 0.0)
        scale = 10.0 ** -digits
        return _finite(np.rint(_finite(args[0] / scale)) * scale + 0.0)


def _coalesce(args: list[Value], frame: Frame) -> Value:
    out = args[0]
    for nxt in args[1:]:
        if isinstance(out, Tri):
            out = Tri(np.where(out.known, out.value, nxt.value), out.known | nxt.known)
        elif isinstance(out, Codes):
            ca, cb, vocab = unify(out, nxt)
            out = Codes(np.where(ca >= 0, ca, cb).astype(np.int32), vocab)
        else:
            out = np.where(np.isnan(out), nxt, out)
    return out


NUMPY_FUNCTIONS: dict[str, Callable[[list[Value], Frame], Value]] = {
    "days_since": lambda a, f: f.as_of_day - a[0],
    "years_since": _years_since,
    "days_between": lambda a, f: a[1] - a[0],
    "coalesce": _coalesce,
    "is_missing": lambda a, f: Tri(missing_mask(a[0]), np.bool_(True)),
    "abs": lambda a, f: np.abs(a[0]),
    "round": _round,
    "min": lambda a, f: np.minimum.reduce(np.broadcast_arrays(*a)),
    "max": lambda a, f: np.maximum.reduce(np.broadcast_arrays(*a)),
}


def _call(node: Call) -> Kernel:
    args, fn = [lower(a) for a in node.args], NUMPY_FUNCTIONS[node.func]
    return lambda frame: fn([a(frame) for a in args], frame)


# --- aggregates over list fields -------------------------------------------------------------------

def _seg_count(segment: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(segment, weights=mask.astype(np.float64), minlength=n)


def _agg_sum(vals: Value, seg: np.ndarray, lst: ListColumn, n: int) -> Value:
    miss = np.isnan(vals)
    total = np.bincount(seg, weights=np.where(miss, 0.0, vals), minlength=n)
    bad = (_seg_count(seg, miss, n) > 0) | ~lst.known
    return _finite(np.where(bad, np.nan, total))


def _agg_count(vals: Value, seg: np.ndarray, lst: ListColumn, n: int) -> Value:
    if vals is None:
        return np.where(lst.known, lst.lengths().astype(np.float64), np.nan)
    bad = (_seg_count(seg, ~vals.known, n) > 0) | ~lst.known
    return np.where(bad, np.nan, _seg_count(seg, vals.value, n))


def _agg_any(vals: Value, seg: np.ndarray, lst: ListColumn, n: int) -> Value:
    some_true = _seg_count(seg, vals.value, n) > 0
    some_unknown = _seg_count(seg, ~vals.known, n) > 0
    return Tri(some_true & lst.known, (some_true | ~some_unknown) & lst.known)


def _agg_all(vals: Value, seg: np.ndarray, lst: ListColumn, n: int) -> Value:
    some_false = _seg_count(seg, vals.known & ~vals.value, n) > 0
    some_unknown = _seg_count(seg, ~vals.known, n) > 0
    return Tri(~some_false & ~some_unknown & lst.known, (some_false | ~some_unknown) & lst.known)


def _extreme(ufunc: np.ufunc, start: float) -> Callable[..., Value]:
    def agg(vals: Value, seg: np.ndarray, lst: ListColumn, n: int) -> Value:
        out = np.full(n, start)
        with np.errstate(invalid="ignore"):  # NaN (missing) items: the row is missing, set below
            ufunc.at(out, seg, vals)
        bad = (_seg_count(seg, np.isnan(vals), n) > 0) | ~lst.known | (lst.lengths() == 0)
        return np.where(bad, np.nan, out)
    return agg


NUMPY_AGGREGATES: dict[str, Callable[..., Value]] = {
    "sum": _agg_sum, "count": _agg_count, "any": _agg_any, "all": _agg_all,
    "min": _extreme(np.minimum, np.inf), "max": _extreme(np.maximum, -np.inf),
}


def _aggregate(node: Aggregate) -> Kernel:
    body = lower(node.body) if node.body is not None else None
    combine, name = NUMPY_AGGREGATES[node.func], node.list_name

    source = node.source

    def aggregate(frame: Frame) -> Value:
        lst: ListColumn = frame.derived[name] if source == "derived" else frame.columns[name]
        if body is None:
            return combine(None, None, lst, frame.n)
        seg = np.repeat(np.arange(frame.n), lst.lengths())
        inner = Frame(int(lst.offsets[-1]), lst.items.columns, frame.as_of, frame.tables,
                      parent=frame, segment=seg)
        vals = broadcast(body(inner), inner.n)
        return combine(vals, seg, lst, frame.n)
    return aggregate


# --- grouped lists -----------------------------------------------------------------------------------

def _group_by(node: GroupBy) -> Kernel:
    values = [(name, lower(expr)) for name, expr in node.values]
    list_name, key_name = node.list_name, node.key

    def group_by(frame: Frame) -> Value:
        lst: ListColumn = frame.columns[list_name]
        key: Codes = lst.items.columns[key_name]
        seg = np.repeat(np.arange(frame.n, dtype=np.int64), lst.lengths())
        # one group per (row, key); a missing key (-1) is a group of its own within its row
        composite = seg * (len(key.vocab) + 1) + (np.asarray(key.codes, dtype=np.int64) + 1)
        gid, heads, contiguous = _group_ids(composite)
        n_groups = len(heads)
        offsets = np.zeros(n_groups + 1, dtype=np.int64)
        np.cumsum(np.bincount(gid, minlength=n_groups), out=offsets[1:])
        # records group by group, in their order (already so when every group is one run of records)
        items = lst.items if contiguous else lst.items.take(np.argsort(gid, kind="stable"))
        grouped = ListColumn(offsets, np.ones(n_groups, dtype=bool), items)
        keys = Codes(np.asarray(key.codes)[heads], key.vocab)
        gframe = Frame(n_groups, {list_name: grouped, key_name: keys}, frame.as_of, frame.tables,
                       parent=frame, segment=seg[heads], group=True)
        columns: dict[str, Value] = {key_name: keys}
        for name, kernel in values:
            gframe.columns[name] = columns[name] = broadcast(kernel(gframe), n_groups)  # type: ignore[index]
        row_offsets = np.zeros(frame.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(seg[heads], minlength=frame.n), out=row_offsets[1:])
        return ListColumn(row_offsets, lst.known, Table(n_groups, columns))
    return group_by


def _group_ids(composite: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """The group of each record (groups numbered in order of first appearance), the first record of
    each group, and whether every group is a single run of consecutive records. Runs are found in one
    pass; only their keys are sorted, to tell a key that comes back later in its row."""
    m = len(composite)
    starts = np.ones(m, dtype=bool)
    starts[1:] = composite[1:] != composite[:-1]
    run_heads = np.flatnonzero(starts)
    run_of = np.cumsum(starts) - 1
    _, first, inverse = np.unique(composite[run_heads], return_index=True, return_inverse=True)
    if len(first) == len(run_heads):  # no key comes back: the runs are the groups, in order
        return run_of, run_heads, True
    order = np.argsort(first, kind="stable")  # groups in order of first appearance, row by row
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[inverse.ravel()][run_of], run_heads[first[order]], False


_LOWER: dict[type, Callable[[Any], Kernel]] = {
    Const: _const, Name: _name, Unary: _unary, Arith: _arith, Compare: _compare, Logic: _logic,
    InList: _in_list, IfElse: _if_else, Lookup: _lookup, Call: _call, Aggregate: _aggregate, GroupBy: _group_by,
}
