"""Interval reasoning over expressions, to tell conditions that can never (or must always) be true.

Each input field gets a domain from its declaration: a numeric span from ``min``/``max`` (whole numbers
for integer fields), the declared codes of a category, ``{True, False}`` for a boolean. ``possible``
answers "can this condition take this truth value for some entity whose data is known?". Comparisons
of a field with a constant narrow the field's domain along a conjunction, so ``x < 2 and x > 5`` is seen
to be impossible; anything the reasoning does not model is assumed possible, so a "never" or
"always" verdict is always sound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Mapping

from ..compiler.program import CompiledField, Program
from ..expr.nodes import Aggregate, Arith, Call, Compare, Const, Expr, IfElse, InList, Logic, Lookup, Name, Unary

_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


@dataclass(frozen=True)
class Span:
    """A numeric interval; ``integer`` spans hold whole numbers only (their ends are kept closed)."""

    lo: float = -math.inf
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False

    @property
    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open))

    def narrow(self, op: str, c: float) -> "Span":
        """The part of this span where ``x op c`` holds."""
        if self.integer:
            bounds = {"<": (None, math.ceil(c) - 1), "<=": (None, math.floor(c)), ">": (math.floor(c) + 1, None),
                      ">=": (math.ceil(c), None), "==": (c, c) if float(c).is_integer() else (1, 0)}
            if op == "!=":
                return self._not_point(c)
            lo, hi = bounds[op]
            return replace(self, lo=self.lo if lo is None else max(self.lo, lo),
                           hi=self.hi if hi is None else min(self.hi, hi))
        if op == "==":
            inside = (self.lo < c or (self.lo == c and not self.lo_open)) and \
                     (c < self.hi or (c == self.hi and not self.hi_open))
            return Span(c, c) if inside else Span(1, 0)
        if op == "!=":
            return self._not_point(c)
        if op in ("<", "<="):
            if c < self.hi:
                return replace(self, hi=c, hi_open=op == "<")
            return replace(self, hi_open=self.hi_open or op == "<") if c == self.hi else self
        if c > self.lo:
            return replace(self, lo=c, lo_open=op == ">")
        return replace(self, lo_open=self.lo_open or op == ">") if c == self.lo else self

    def _not_point(self, c: float) -> "Span":
        return Span(1, 0) if self.lo == self.hi == c else self


Domain = Any  # Span | frozenset
Box = Mapping[str, Domain]


def field_domain(f: CompiledField) -> Domain | None:
    if f.kind in ("number", "integer"):
        return Span(-math.inf if f.min is None else f.min, math.inf if f.max is None else f.max,
                    integer=f.kind == "integer")
    if f.kind == "category" and f.values:
        return frozenset(f.values)
    if f.kind == "boolean":
        return frozenset((True, False))
    return None


class Reasoner:
    """Answers ``possible(condition, want)`` for the expressions of one compiled pack."""

    def __init__(self, program: Program):
        self.program = program
        self.derived = dict(program.derive)
        self.box: dict[str, Domain] = {}
        for f in program.fields:
            d = field_domain(f)
            if d is not None:
                self.box[f.name] = d
        for name, (t, _) in program.params.items():
            if t.values:
                self.box[f"param:{name}"] = frozenset(t.values)

    # -- truth values ----------------------------------------------------------------------------
    def possible(self, node: Expr, want: bool, box: Box | None = None) -> bool:
        """Can ``node`` be ``want`` for some entity with known data? (True when unsure.)"""
        box = self.box if box is None else box
        narrowed = self._narrow(node, want, box)
        if narrowed is not None:
            return not _is_empty(narrowed[1])
        if isinstance(node, Const):
            return node.value is None or node.value == want
        if isinstance(node, Unary) and node.op == "not":
            return self.possible(node.operand, not want, box)
        if isinstance(node, Name) and node.scope == "derived" and node.name in self.derived:
            return self.possible(self.derived[node.name].node, want, box)
        if isinstance(node, Logic):
            return self._logic(node, want, box)
        if isinstance(node, Compare):
            return _compare_possible(self.span(node.left, box), node.op if want else _NEGATE[node.op],
                                     self.span(node.right, box), node.left.type.kind)
        if isinstance(node, IfElse):
            return ((self.possible(node.cond, True, box) and self.possible(node.then, want, box))
                    or (self.possible(node.cond, False, box) and self.possible(node.orelse, want, box)))
        return True

    def _logic(self, node: Logic, want: bool, box: Box) -> bool:
        # "and" wanting True / "or" wanting False: every operand must agree -> narrow along the way
        if (node.op == "and") == want:
            current = dict(box)
            for operand in node.operands:
                narrowed = self._narrow(operand, want, current)
                if narrowed is not None:
                    key, domain = narrowed
                    if _is_empty(domain):
                        return False
                    current[key] = domain
                elif not self.possible(operand, want, current):
                    return False
            return True
        return any(self.possible(operand, want, box) for operand in node.operands)

    def _narrow(self, node: Expr, want: bool, box: Box) -> tuple[str, Domain] | None:
        """For a comparison of one input with constants: (the input, its domain where node == want)."""
        if isinstance(node, Unary) and node.op == "not":
            return self._narrow(node.operand, not want, box)
        if isinstance(node, Name) and node.type.kind == "boolean":
            key = _key(node)
            if key in box:
                return key, box[key] & {want}
            return None
        if isinstance(node, InList):
            key = _key(node.operand)
            if key in box and isinstance(box[key], frozenset):
                keep = (not node.negate) == want
                options = frozenset(node.options)
                return key, (box[key] & options) if keep else (box[key] - options)
            return None
        if isinstance(node, Compare):
            left, op, right = node.left, node.op, node.right
            if isinstance(left, Const) and not isinstance(right, Const):
                left, op, right = right, _FLIP[op], left
            key = _key(left)
            if not isinstance(right, Const) or key not in box:
                return None
            op = op if want else _NEGATE[op]
            domain = box[key]
            if isinstance(domain, Span) and isinstance(right.value, float):
                return key, domain.narrow(op, right.value)
            if isinstance(domain, frozenset) and op in ("==", "!="):
                value = frozenset({right.value})
                return key, (domain & value) if op == "==" else (domain - value)
        return None

    # -- numbers ---------------------------------------------------------------------------------
    def span(self, node: Expr, box: Box) -> Span:
        """A span holding every value ``node`` can take (unbounded when unsure)."""
        if isinstance(node, Const) and isinstance(node.value, float):
            return Span(node.value, node.value)
        if isinstance(node, Name):
            domain = box.get(_key(node))
            if isinstance(domain, Span):
                return domain
            if node.scope == "derived" and node.name in self.derived:
                return self.span(self.derived[node.name].node, box)
            return Span()
        if isinstance(node, Unary) and node.op == "neg":
            s = self.span(node.operand, box)
            return Span(-s.hi, -s.lo)
        if isinstance(node, Arith) and node.op in ("+", "-", "*"):
            return _arith(node.op, self.span(node.left, box), self.span(node.right, box))
        if isinstance(node, Lookup):
            return _hull(self._table_values(node.table))
        if isinstance(node, IfElse):
            parts = [b for b in (node.then, node.orelse) if not (isinstance(b, Const) and b.value is None)]
            return _hull_spans([self.span(b, box) for b in parts])
        if isinstance(node, Call) and node.func in ("coalesce", "min", "max"):
            return _hull_spans([self.span(a, box) for a in node.args])
        if isinstance(node, Call) and node.func == "abs":
            s = self.span(node.args[0], box)
            return Span(0 if s.lo <= 0 <= s.hi else min(abs(s.lo), abs(s.hi)), max(abs(s.lo), abs(s.hi)))
        if isinstance(node, Aggregate) and node.func == "count":
            return Span(0, math.inf, integer=True)
        return Span()

    def _table_values(self, name: str) -> list[float]:
        table = self.program.tables[name]
        values = [b[2] for b in table.bands] if table.banded else list(table.entries.values()) + [table.default]
        if not all(isinstance(v, float) or v is None for v in values):
            return []
        return [v for v in values if v is not None]


def _key(node: Expr) -> str:
    if isinstance(node, Name):
        return f"param:{node.name}" if node.scope == "param" else node.name if node.scope == "field" else ""
    return ""


def _is_empty(domain: Domain) -> bool:
    return domain.empty if isinstance(domain, Span) else not domain


def _hull(values: list[float]) -> Span:
    if not values:
        return Span()
    return Span(min(values), max(values), integer=all(float(v).is_integer() for v in values))


def _hull_spans(spans: list[Span]) -> Span:
    if not spans:
        return Span()
    return Span(min(s.lo for s in spans), max(s.hi for s in spans), integer=all(s.integer for s in spans))


def _arith(op: str, a: Span, b: Span) -> Span:
    if op == "+":
        return Span(a.lo + b.lo, a.hi + b.hi, integer=a.integer and b.integer)
    if op == "-":
        return Span(a.lo - b.hi, a.hi - b.lo, integer=a.integer and b.integer)
    products = [x * y for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    if any(math.isnan(p) for p in products):  # 0 * inf: give up
        return Span()
    return Span(min(products), max(products), integer=a.integer and b.integer)


def _compare_possible(a: Span, op: str, b: Span, kind: str) -> bool:
    """Is there a in a, b in b with ``a op b``? Only numbers are reasoned about."""
    if kind != "number" or a.empty or b.empty:
        return True
    if op == "<":
        return a.lo < b.hi
    if op == "<=":
        return a.lo <= b.hi
    if op == ">":
        return a.hi > b.lo
    if op == ">=":
        return a.hi >= b.lo
    if op == "==":
        return a.lo <= b.hi and b.lo <= a.hi
    return not (a.lo == a.hi == b.lo == b.hi)
