"""Expression trees -> straight-line Python source for one entity (the compiled engine's lowering).

Each expression becomes a few statements that leave its value in a local of the generated function,
with the interpreter's meaning exactly (``interpret.py``): ``None`` is missing or unknown, Kleene
logic, every non-finite arithmetic result missing, conditional branches and ``coalesce`` evaluated
only when reached. The text holds only what this module writes: locals it names itself (``t12``,
``i3``), the helpers of ``HELPERS``, and literals through ``literal`` — ``repr`` of None, booleans,
integers, finite floats and strings, everything else (dates, sets, tables, infinities) a module
constant built from such literals. No name, text or number from a pack is ever in code position.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from .interpret import AGGREGATES, power, round_half_even
from .nodes import (Aggregate, Arith, Call, Compare, Const, Expr, GroupBy, IfElse, InList, Logic, Lookup, Name,
                    Unary, children)

# The helpers generated code may call, by the names it calls them.
HELPERS: dict[str, Any] = {
    "INF": math.inf, "datetime": dt, "power": power, "round_half_even": round_half_even,
    **{f"agg_{name}": fn for name, fn in AGGREGATES.items()},
}
_PLAIN = (type(None), bool, int, float, str)


class Unsupported(Exception):
    """A construct the compiled engine does not lower (the caller grades with the reference engine)."""


def literal(value: Any) -> str:
    """The source text of a plain value: ``repr`` of None, a boolean, an integer, a finite float or a
    string (exactly those types, never a subclass that could print itself otherwise)."""
    if type(value) not in _PLAIN:
        raise Unsupported(f"not a plain literal: {type(value).__name__}")
    if type(value) is float and not math.isfinite(value):
        if math.isnan(value):
            raise Unsupported("NaN is not a literal")
        return "INF" if value > 0 else "(-INF)"
    return repr(value)


@dataclass
class Source:
    """The text of one generated module: its constants and the lines of the function being written."""

    lines: list[str] = field(default_factory=list)
    constants: list[str] = field(default_factory=list)
    indent: int = 1
    shared: dict[Any, str] = field(default_factory=dict)  # expression (by structure) -> the local holding it
    _known: dict[Any, str] = field(default_factory=dict)
    _count: int = 0

    def line(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)

    def temp(self, prefix: str = "t") -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    @contextmanager
    def block(self, header: str) -> Iterator[None]:
        self.line(header)
        self.indent += 1
        start = len(self.lines)
        try:
            yield
        finally:
            if len(self.lines) == start:  # nothing to do there: still a block
                self.line("pass")
            self.indent -= 1

    def mark(self) -> tuple[int, int]:
        """A point in the writing: locals named after it are fresh (see ``rename``)."""
        return self._count, len(self.lines)

    def rename(self, value: str, target: str, since: tuple[int, int]) -> None:
        """Leave ``value`` in the local ``target``: a local first named after ``since`` is renamed
        where it was written (no copy); anything else is assigned."""
        m = re.fullmatch(r"t(\d+)", value)
        if m and int(m.group(1)) > since[0]:
            word, start = re.compile(rf"\b{value}\b"), since[1]
            self.lines[start:] = [word.sub(target, line) for line in self.lines[start:]]
            self.shared = {k: (target if v == value else v) for k, v in self.shared.items()}
        else:
            self.line(f"{target} = {value}")

    def constant(self, value: Any) -> str:
        """A module-level constant holding ``value``: a date, a frozenset, a tuple or a dict of plain
        values (or of such containers); each distinct value is written once."""
        key = (type(value).__name__, repr(value) if not isinstance(value, dict) else repr(sorted(value.items(), key=repr)))
        name = self._known.get(key)
        if name is None:
            name = self._known[key] = f"C{len(self._known)}"
            self.constants.append(f"{name} = {self.value_text(value)}")
        return name

    def value_text(self, value: Any) -> str:
        if type(value) is dt.date:
            return f"datetime.date({literal(value.year)}, {literal(value.month)}, {literal(value.day)})"
        if type(value) is frozenset:
            return "frozenset((" + "".join(self.value_text(v) + ", " for v in sorted(value, key=repr)) + "))"
        if type(value) is tuple:
            return "(" + "".join(self.value_text(v) + ", " for v in value) + ")"
        if type(value) is dict:
            return "{" + ", ".join(f"{self.value_text(k)}: {self.value_text(v)}" for k, v in value.items()) + "}"
        return literal(value)


# (scope, name) -> the local holding it
Names = Mapping[tuple[str, str], str]


def may_be_none(value: str) -> bool:
    """Whether a value's text can be None when it runs: a local can, a literal or a constant cannot
    (except the literal None)."""
    return value == "None" or (value[:1].islower() and value.isidentifier())


def guarded(target: str, values: list[str], expr: str) -> str:
    """``target = expr``, or None when one of ``values`` is (the test left out where none can be)."""
    if "None" in values:
        return f"{target} = None"
    test = " or ".join(f"{v} is None" for v in values if may_be_none(v))
    return f"{target} = None if {test} else {expr}" if test else f"{target} = {expr}"


@dataclass
class Lowering:
    """Writes expressions into ``src``: ``value(node)`` returns a local (or a literal) holding its value."""

    src: Source
    names: Names
    tables: Mapping[str, Any]  # name -> compiler.tables.CompiledTable
    item: str | None = None  # the loop variable holding the current record, inside an aggregate
    may_be_int: Callable[[Expr], bool] = field(default=lambda node: False)

    def value(self, node: Expr) -> str:
        """Write ``node`` and return the local (or literal) holding its value. An expression already
        written at the top of the function (not inside a branch or a loop) is not written again."""
        if isinstance(node, (Const, Name)):
            return self.three_valued(node)
        top = self.src.indent == 1 and self.item is None
        key = structure(node) if top else None
        if key is not None and key in self.src.shared:
            return self.src.shared[key]
        out = self._value(node)
        if key is not None and self.src.indent == 1:
            self.src.shared[key] = out
        return out

    def _value(self, node: Expr) -> str:
        if not _one_line(node):
            inputs: list[str] = []
            plain = self.plain(node, inputs)
            if plain is not None:  # when every input is known, Python's own operators say it all
                if not inputs:
                    return self._store(plain)
                t = self.src.temp()
                with self.src.block(f"if {' and '.join(f'{x} is not None' for x in dict.fromkeys(inputs))}:"):
                    self.src.line(f"{t} = {plain}")
                with self.src.block("else:"):
                    since = self.src.mark()
                    self.src.rename(self.three_valued(node), t, since)
                return t
        return self.three_valued(node)

    def three_valued(self, node: Expr) -> str:
        """Write ``node`` with every input possibly missing; returns the local holding its value."""
        handler = getattr(self, f"_{type(node).__name__.lower()}", None)
        if handler is None:
            raise Unsupported(f"no Python lowering for {type(node).__name__}")
        return handler(node)

    def _store(self, text: str) -> str:
        t = self.src.temp()
        self.src.line(f"{t} = {text}")
        return t

    def plain(self, node: Expr, inputs: list[str]) -> str | None:
        """The expression in Python's two-valued terms, valid when every local in ``inputs`` (filled
        in) is known; None for a node that can be missing even then (arithmetic that may overflow,
        a lookup without a default, an aggregate, a conditional)."""
        if isinstance(node, Const):
            return None if node.value is None else self._const(node)
        if isinstance(node, Name):
            local = self._name(node)
            if node.scope != "rule_points":
                inputs.append(local)
            return local
        parts: list[str | None]
        if isinstance(node, Compare):
            parts = [self.plain(node.left, inputs), self.plain(node.right, inputs)]
            return None if None in parts else f"({parts[0]} {node.op} {parts[1]})"
        if isinstance(node, Logic):
            parts = [self.plain(o, inputs) for o in node.operands]
            return None if None in parts else "(" + f" {node.op} ".join(parts) + ")"  # type: ignore[arg-type]
        if isinstance(node, Unary):
            x = self.plain(node.operand, inputs)
            return None if x is None else f"({'not ' if node.op == 'not' else '-'}{x})"
        if isinstance(node, InList):
            x = self.plain(node.operand, inputs)
            options = self.src.constant(frozenset(node.options))
            return None if x is None else f"({x} {'not in' if node.negate else 'in'} {options})"
        if isinstance(node, Call) and node.func in _FUNCTIONS and node.func != "round":
            parts = [self.plain(a, inputs) for a in node.args]
            return None if None in parts else _FUNCTIONS[node.func](parts)  # type: ignore[arg-type]
        if isinstance(node, Lookup):
            table = self.tables[node.table]
            total = not table.banded and table.default is not None and None not in table.entries.values()
            key = self.plain(node.key, inputs) if total else None
            return None if key is None else f"{self.src.constant(dict(table.entries))}.get({key}, {literal(table.default)})"
        return None

    def _const(self, n: Const) -> str:
        if type(n.value) is dt.date:
            return self.src.constant(n.value)
        return literal(n.value)

    def _name(self, n: Name) -> str:
        local = self.names.get((n.scope, n.name))
        if local is None:
            raise Unsupported(f"no local for {n.scope} {n.name!r}")
        return local

    def _unary(self, n: Unary) -> str:
        x, t = self.value(n.operand), self.src.temp()
        self.src.line(guarded(t, [x], f"{'not ' if n.op == 'not' else '-'}{x}"))
        return t

    def _arith(self, n: Arith) -> str:
        a, b = self.value(n.left), self.value(n.right)
        t, src = self.src.temp(), self.src
        wrap = "float" if self.may_be_int(n.left) or self.may_be_int(n.right) else ""
        if n.op in ("+", "-", "*", "**"):
            expr = f"power({a}, {b})" if n.op == "**" else f"{wrap}({a} {n.op} {b})"
            src.line(guarded(t, [a, b], expr))
            src.line(f"if {t} is not None and not -INF < {t} < INF: {t} = None")
            return t
        if isinstance(n.right, Const) and type(n.right.value) is float and n.right.value != 0 and not wrap:
            # a nonzero constant divisor: nothing can raise; a remainder is smaller than it, so finite
            src.line(guarded(t, [a, b], f"({a} {n.op} {b})"))
            if n.op != "%":
                src.line(f"if {t} is not None and not -INF < {t} < INF: {t} = None")
            return t
        src.line(guarded(t, [a, b], "0.0"))
        with src.block(f"if {t} is not None:"):
            with src.block("try:"):
                src.line(f"{t} = {wrap}({a} {n.op} {b})")
            with src.block("except (ZeroDivisionError, OverflowError, ValueError):"):
                src.line(f"{t} = None")
            src.line(f"if {t} is not None and not -INF < {t} < INF: {t} = None")
        return t

    def _compare(self, n: Compare) -> str:
        a, b, t = self.value(n.left), self.value(n.right), self.src.temp()
        self.src.line(guarded(t, [a, b], f"{a} {n.op} {b}"))
        return t

    def _logic(self, n: Logic) -> str:
        # Kleene: the first decisive operand (False for and, True for or) decides; else unknown wins
        decisive, t, src = literal(n.op == "or"), self.src.temp(), self.src
        src.line(f"{t} = {literal(n.op != 'or')}")
        for i, operand in enumerate(n.operands):
            with src.block(f"if {t} is not {decisive}:") if i else _nothing():
                v = self.value(operand)
                if v == decisive or v == "None":
                    src.line(f"{t} = {v}")
                elif may_be_none(v):
                    src.line(f"if {v} is {decisive}: {t} = {decisive}")
                    src.line(f"elif {v} is None: {t} = None")
        return t

    def _inlist(self, n: InList) -> str:
        x, t = self.value(n.operand), self.src.temp()
        options = self.src.constant(frozenset(n.options))
        self.src.line(guarded(t, [x], f"{x} {'not in' if n.negate else 'in'} {options}"))
        return t

    def _ifelse(self, n: IfElse) -> str:
        c, t, src = self.value(n.cond), self.src.temp(), self.src
        if not may_be_none(c):  # a constant condition: the branch is known when the pack is compiled
            src.line(f"{t} = {self.value(n.then if c == 'True' else n.orelse)}")
            return t
        with src.block(f"if {c} is None:"):
            src.line(f"{t} = None")
        with src.block(f"elif {c}:"):
            src.line(f"{t} = {self.value(n.then)}")
        with src.block("else:"):
            src.line(f"{t} = {self.value(n.orelse)}")
        return t

    def _lookup(self, n: Lookup) -> str:
        key, t, src, table = self.value(n.key), self.src.temp(), self.src, self.tables[n.table]
        if not table.banded:
            entries = src.constant(dict(table.entries))
            if table.default is None:  # a missing key (None) is not an entry: the lookup gives None anyway
                src.line(f"{t} = {entries}.get({key})")
            else:
                src.line(guarded(t, [key], f"{entries}.get({key}, {literal(table.default)})"))
            return t
        src.line(guarded(t, [key], "0.0"))
        with src.block(f"if {t} is not None:"):
            src.line(f"{t} = None")
            for i, (lo, hi, value) in enumerate(table.bands):
                src.line(f"{'el' if i else ''}if {literal(float(lo))} <= {key} < {literal(float(hi))}: "
                         f"{t} = {literal(value)}")
        return t

    def _call(self, n: Call) -> str:
        src, t = self.src, self.src.temp()
        if n.func == "coalesce":  # lazy: an argument is evaluated only while all before it are missing
            src.line(f"{t} = {self.value(n.args[0])}")
            for arg in n.args[1:]:
                with src.block(f"if {t} is None:"):
                    src.line(f"{t} = {self.value(arg)}")
            return t
        args = [self.value(a) for a in n.args]
        if n.func == "is_missing":
            x = args[0]
            src.line(f"{t} = {x} is None" if x != "None" and may_be_none(x) else f"{t} = {literal(x == 'None')}")
            return t
        body = _FUNCTIONS.get(n.func)
        if body is None:
            raise Unsupported(f"no Python lowering for the function {n.func}()")
        src.line(guarded(t, args, body(args)))
        return t

    def _aggregate(self, n: Aggregate) -> str:
        source = getattr(n, "source", "field")  # a list field, or a grouped list (a derived value)
        records, t, src = self.value(Name(n.type, n.line, n.col, n.list_name, source)), self.src.temp(), self.src
        if n.func not in AGGREGATES:
            raise Unsupported(f"no aggregate {n.func}()")
        if n.body is None:
            src.line(f"{t} = None if {records} is None else float(len({records}))")
            return t
        fold = _FOLDS.get(n.func)
        item = src.temp("i")
        with src.block(f"if {records} is None:"):
            src.line(f"{t} = None")
        with src.block("else:"):
            # sum, count, any, all: folded as the records are read, stopping where the interpreter's
            # answer is decided (a missing value for sum and count, True for any, False for all)
            values = src.temp("v")
            src.line(f"{t} = {fold[0]}" if fold else f"{values} = []")
            with src.block(f"for {item} in {records}:"):
                x = self._item_value(n, item)
                for line in (fold[1](t, x) if fold else [f"{values}.append({x})"]):
                    src.line(line)
            if n.func == "sum":
                src.line(f"if {t} is not None and not -INF < {t} < INF: {t} = None")
            elif not fold:
                src.line(f"{t} = agg_{n.func}({values})")
        return t

    def _groupby(self, n: GroupBy) -> str:
        """A list field's records grouped by an item field, in order of first appearance, with each
        group's values (``interpret._group_by``): a list of records ``{key, value…}``."""
        records, t, src = self.value(Name(n.type, n.line, n.col, n.list_name, "field")), self.src.temp(), self.src
        groups, members, key, record, group = (src.temp(x) for x in ("v", "v", "x", "i", "v"))
        with src.block(f"if {records} is None:"):
            src.line(f"{t} = None")
        with src.block("else:"):
            src.line(f"{groups} = {{}}")
            with src.block(f"for {record} in {records}:"):
                src.line(f"{groups}.setdefault({record}.get({literal(n.key)}), []).append({record})")
            src.line(f"{t} = []")
            with src.block(f"for {key}, {members} in {groups}.items():"):
                names = dict(self.names)
                names[("field", n.list_name)] = members
                names[("group", n.key)] = key
                src.line(f"{group} = {{{literal(n.key)}: {key}}}")
                for name, expr in n.values:
                    value = Lowering(src, names, self.tables, None, self.may_be_int).value(expr)
                    names[("group", name)] = value
                    src.line(f"{group}[{literal(name)}] = {value}")
                src.line(f"{t}.append({group})")
        return t

    def _item_value(self, n: Aggregate, item: str) -> str:
        """The aggregate's body for the record in ``item`` (its fields read once, at the top)."""
        assert n.body is not None
        names = dict(self.names)
        for name in sorted({x.name for x in _walk(n.body) if isinstance(x, Name) and x.scope == "item"}):
            names[("item", name)] = local = self.src.temp()
            self.src.line(f"{local} = {item}.get({literal(name)})")
        return Lowering(self.src, names, self.tables, item, self.may_be_int).value(n.body)


# aggregate -> (start value, the statements that take one record's value x into the running t)
_FOLDS: dict[str, tuple[str, Callable[[str, str], list[str]]]] = {
    "sum": ("0.0", lambda t, x: [f"if {x} is None:", f"    {t} = None", "    break", f"{t} += {x}"]),
    "count": ("0.0", lambda t, x: [f"if {x} is None:", f"    {t} = None", "    break",
                                   f"if {x}: {t} += 1.0"]),
    "any": ("False", lambda t, x: [f"if {x} is True:", f"    {t} = True", "    break",
                                   f"if {x} is None: {t} = None"]),
    "all": ("True", lambda t, x: [f"if {x} is False:", f"    {t} = False", "    break",
                                  f"if {x} is None: {t} = None"]),
}


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _one_line(node: Expr) -> bool:
    """Whether the three-valued form of a node is one line already (its operands are inputs or
    literals): then a two-valued fast path would only add a test."""
    simple = (Name, Const)
    if isinstance(node, Compare):
        return isinstance(node.left, simple) and isinstance(node.right, simple)
    if isinstance(node, (InList, Unary)):
        return isinstance(node.operand, simple)
    if isinstance(node, Call):
        return node.func not in ("coalesce",) and all(isinstance(a, simple) for a in node.args)
    if isinstance(node, Lookup):
        return isinstance(node.key, simple)
    return False


def structure(node: Any) -> Any:
    """A node's meaning as a hashable key: its kind, operator, values and children, without the
    positions (the same expression written twice in a pack has one key)."""
    if isinstance(node, tuple):
        return tuple(structure(x) for x in node)
    if not dataclasses.is_dataclass(node):
        return (type(node).__name__, node)
    return (type(node).__name__,) + tuple(structure(getattr(node, f.name)) for f in dataclasses.fields(node)
                                          if f.name not in ("line", "col"))


def _walk(node: Expr) -> Iterator[Expr]:
    yield node
    for child in children(node):
        yield from _walk(child)


# Scalar functions whose arguments are all known: the expression of their value (``as_of``, and
# ``as_of_md`` = (month, day) of the grading date, are locals of every generated function).
_FUNCTIONS: dict[str, Callable[[list[str]], str]] = {
    "days_since": lambda a: f"float((as_of - {a[0]}).days)",
    "years_since": lambda a: f"float(as_of.year - {a[0]}.year - (as_of_md < ({a[0]}.month, {a[0]}.day)))",
    "days_between": lambda a: f"float(({a[1]} - {a[0]}).days)",
    "abs": lambda a: f"abs({a[0]})",
    "round": lambda a: f"round_half_even({a[0]}, {f'int({a[1]})' if len(a) > 1 else '0'})",
    "min": lambda a: f"min({', '.join(a)})",
    "max": lambda a: f"max({', '.join(a)})",
}
