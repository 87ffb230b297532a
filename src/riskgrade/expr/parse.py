"""Expression text -> typed, checked expression tree.

The text is parsed by the standard library's ``ast`` and accepted only node by node from a
whitelist; anything else (attribute access, calls to unknown functions, lambdas, comprehensions,
imports, f-strings, walrus, starred arguments…) is an error at its line and column. Nothing is ever
evaluated here: the checker only builds ``nodes``.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import unicodedata
from dataclasses import dataclass, field

from .functions import AGGREGATES, SCALAR_FUNCTIONS
from .nodes import (BOOLEAN, DATE, LIST, NUMBER, STRING, Aggregate, Arith, Call, Compare, Const, Expr,
                    IfElse, InList, Logic, Lookup, Name, Node, Type, Unary)

MAX_LENGTH = 4000
MAX_DEPTH = 40
MAX_NODES = 2000
MAX_EXPONENT = 1000
MAX_ROUND_DIGITS = 15  # a float holds about 15 significant decimal digits; 10.0 ** 400 overflows
# Characters that change the direction text is displayed in, or are invisible: they can make an
# expression read differently from what it does ("Trojan Source", CVE-2021-42574).
_HIDDEN = frozenset("\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                    "\u2060\u2066\u2067\u2068\u2069\ufeff")


@dataclass(frozen=True)
class TableInfo:
    key: str  # "string" | "number"
    value: Type
    banded: bool


@dataclass
class Scope:
    """What names an expression may read, and their types."""

    fields: dict[str, Type] = field(default_factory=dict)
    items: dict[str, dict[str, Type]] = field(default_factory=dict)  # list field -> item field types
    derived: dict[str, Type] = field(default_factory=dict)
    params: dict[str, Type] = field(default_factory=dict)
    tables: dict[str, TableInfo] = field(default_factory=dict)
    rule_points: bool = False
    # inside a grouped list's values: the list field grouped, and the group's key and earlier values
    group_list: str | None = None
    group: dict[str, Type] = field(default_factory=dict)
    derived_lists: frozenset[str] = frozenset()  # derived values that are grouped lists


@dataclass(frozen=True)
class ExprError(Exception):
    code: str
    message: str
    line: int
    col: int


_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
        ast.Pow: "**"}
_CMP = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_FORBIDDEN = {
    ast.Attribute: "attribute access (x.y) is not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.Starred: "starred arguments (*x) are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.Dict: "dict literals are not allowed",
    ast.Set: "set literals are not allowed",
    ast.Slice: "slices are not allowed",
}


def parse_expression(text: str, scope: Scope, expected: Type | None = None) -> Expr:
    """Parse and type-check ``text``. Raises ExprError (code, message, line, col)."""
    if len(text) > MAX_LENGTH:
        raise ExprError("RG201", f"expression longer than {MAX_LENGTH} characters", 1, 1)
    _check_characters(text)
    try:
        # parenthesised so that an expression may span lines (YAML block scalars)
        tree = ast.parse(f"({text}\n)", mode="eval")
    except SyntaxError as exc:
        line, col = exc.lineno or 1, exc.offset or 1
        raise ExprError("RG201", f"syntax error: {exc.msg}", line, max(1, col - (line == 1))) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError("RG201", "expression is nested too deeply", 1, 1) from None
    _check_size(tree.body)
    node = _Checker(scope).visit(tree.body)
    if expected is not None and node.type.kind != expected.kind:
        raise ExprError("RG202", f"this expression must give a {expected.kind}, but gives a {node.type}",
                        node.line, node.col)
    return node


def references(text: str) -> set[str]:
    """Names read by an expression, without checking it (to order derived values)."""
    try:
        tree = ast.parse(f"({text}\n)", mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return set()
    return {unicodedata.normalize("NFKC", n.id) for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _check_characters(text: str) -> None:
    """Refuse invisible and direction-changing characters (even inside quotes) and NUL."""
    for i, ch in enumerate(text):
        if ch in _HIDDEN or ch == "\x00":
            line = text.count("\n", 0, i) + 1
            col = i - (text.rfind("\n", 0, i) + 1) + 1
            raise ExprError("RG201", f"invisible or control character U+{ord(ch):04X} is not allowed: "
                                     "it can make an expression read differently from what it does; "
                                     "delete it and retype the text around it", line, col)


def _check_size(root: ast.AST) -> None:
    count = 0
    stack = [(root, 1)]
    while stack:
        n, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise ExprError("RG201", f"expression nested deeper than {MAX_DEPTH} levels", *_pos(n))
        if count > MAX_NODES:
            raise ExprError("RG201", f"expression has more than {MAX_NODES} parts", *_pos(n))
        stack.extend((c, depth + 1) for c in ast.iter_child_nodes(n))


def _pos(n: ast.AST) -> tuple[int, int]:
    # 1-based; the text was wrapped in "(" so the first line is shifted by one
    line = getattr(n, "lineno", 1)
    return line, getattr(n, "col_offset", 0) + (0 if line == 1 else 1)


class _Checker:
    def __init__(self, scope: Scope, item_of: str | None = None):
        self.scope = scope
        self.item_of = item_of

    def pos(self, n: ast.AST) -> tuple[int, int]:
        return _pos(n)

    def fail(self, n: ast.AST, message: str, code: str = "RG203") -> ExprError:
        return ExprError(code, message, *_pos(n))

    def visit(self, n: ast.AST) -> Expr:
        for bad, message in _FORBIDDEN.items():
            if isinstance(n, bad):
                raise self.fail(n, message, "RG201")
        method = getattr(self, f"_{type(n).__name__}", None)
        if method is None:
            raise self.fail(n, f"{type(n).__name__} is not allowed in rule expressions", "RG201")
        return method(n)

    # -- leaves ----------------------------------------------------------------------------------
    def _Constant(self, n: ast.Constant) -> Expr:
        v = n.value
        line, col = _pos(n)
        if isinstance(v, bool):
            return Const(BOOLEAN, line, col, v)
        if isinstance(v, (int, float)):
            try:
                f = float(v)  # 1e308 is a float; an int past the float range is not
            except OverflowError:
                f = math.inf
            if not math.isfinite(f):
                raise self.fail(n, "number too large")
            return Const(NUMBER, line, col, f)
        if isinstance(v, str):
            return Const(STRING, line, col, v)
        if v is None:
            raise self.fail(n, "None (missing) is only allowed as a branch of 'x if cond else None'; "
                               "use is_missing(x) to test for missing data")
        raise self.fail(n, f"literal {v!r} is not allowed", "RG201")

    def _Name(self, n: ast.Name) -> Expr:
        name = unicodedata.normalize("NFKC", n.id)
        line, col = _pos(n)
        if name.startswith("__"):
            raise self.fail(n, f"name '{name}' is not allowed", "RG201")
        s = self.scope
        if self.item_of is not None and name in s.items.get(self.item_of, {}):
            return Name(s.items[self.item_of][name], line, col, name, "item")
        if name in s.group:
            return Name(s.group[name], line, col, name, "group")
        for table, scope in ((s.fields, "field"), (s.derived, "derived"), (s.params, "param")):
            if name in table:
                if table[name].kind == "list":
                    raise self.fail(n, f"list field '{name}' can only be used inside sum/count/any/all/"
                                       f"min/max, e.g. count({name})")
                return Name(table[name], line, col, name, scope)  # type: ignore[arg-type]
        if name == "rule_points" and s.rule_points:
            return Name(NUMBER, line, col, name, "rule_points")
        if name in s.tables:
            raise self.fail(n, f"'{name}' is a table: look a value up with {name}[key]")
        if name in ("true", "false"):
            raise self.fail(n, f"unknown name '{name}' (write True or False)", "RG204")
        if name in SCALAR_FUNCTIONS or name in AGGREGATES:
            raise self.fail(n, f"'{name}' is a function: call it as {name}(...)")
        raise self.fail(n, f"unknown name '{name}': not a field, derived value or parameter of this pack",
                        "RG204")

    def _List(self, n: ast.List) -> Expr:
        raise self.fail(n, "a list is only allowed after 'in' / 'not in'", "RG201")

    _Tuple = _List

    # -- operators -------------------------------------------------------------------------------
    def _UnaryOp(self, n: ast.UnaryOp) -> Expr:
        x = self.visit(n.operand)
        line, col = _pos(n)
        if isinstance(n.op, ast.Not):
            self._want(x, "boolean", "'not'")
            return Unary(BOOLEAN, line, col, "not", x)
        if isinstance(n.op, (ast.USub, ast.UAdd)):
            self._want(x, "number", "'-'")
            if isinstance(x, Const):
                return Const(NUMBER, line, col, -x.value if isinstance(n.op, ast.USub) else x.value)
            return Unary(NUMBER, line, col, "neg", x) if isinstance(n.op, ast.USub) else x
        raise self.fail(n, "operator ~ is not allowed", "RG201")

    def _BinOp(self, n: ast.BinOp) -> Expr:
        op = _OPS.get(type(n.op))
        if op is None:
            raise self.fail(n, "bitwise operators and @ are not allowed", "RG201")
        left, right = self.visit(n.left), self.visit(n.right)
        self._want(left, "number", f"'{op}'")
        self._want(right, "number", f"'{op}'")
        if op == "**" and not (isinstance(right, Const) and abs(right.value) <= MAX_EXPONENT):
            raise self.fail(n, f"the exponent of ** must be a number between -{MAX_EXPONENT} and "
                               f"{MAX_EXPONENT} written in the expression")
        return Arith(NUMBER, *self.pos(n), op, left, right)  # type: ignore[arg-type]

    def _BoolOp(self, n: ast.BoolOp) -> Expr:
        op = "and" if isinstance(n.op, ast.And) else "or"
        items = tuple(self.visit(v) for v in n.values)
        for x in items:
            self._want(x, "boolean", f"'{op}'")
        return Logic(BOOLEAN, *self.pos(n), op, items)  # type: ignore[arg-type]

    def _Compare(self, n: ast.Compare) -> Expr:
        parts: list[Expr] = []
        left: Expr | None = self.visit(n.left)
        for op_ast, right_ast in zip(n.ops, n.comparators):
            if isinstance(op_ast, (ast.In, ast.NotIn)):
                if left is None:
                    raise self.fail(n, "a list cannot be compared", "RG201")
                parts.append(self._in_list(n, left, right_ast, isinstance(op_ast, ast.NotIn)))
                left = None  # "a in [...] < b" would compare the list
                continue
            op = _CMP.get(type(op_ast))
            if op is None:
                raise self.fail(n, "'is' / 'is not' are not allowed: use == or is_missing(x)", "RG201")
            if left is None:
                raise self.fail(n, "a list cannot be compared", "RG201")
            right = self.visit(right_ast)
            a, b = self._comparable(n, op, left, right)
            parts.append(Compare(BOOLEAN, *self.pos(n), op, a, b))  # type: ignore[arg-type]
            left = right
        if len(parts) == 1:
            return parts[0]
        return Logic(BOOLEAN, *self.pos(n), "and", tuple(parts))

    def _in_list(self, n: ast.AST, left: Expr, right: ast.AST, negate: bool) -> Expr:
        if not isinstance(right, (ast.List, ast.Tuple)):
            raise self.fail(right, "'in' needs a literal list, e.g. x in ['a', 'b']")
        options = [self.visit(e) for e in right.elts]
        if not options:
            raise self.fail(right, "'in' needs at least one value in the list")
        values: list[object] = []
        for o in options:
            if not isinstance(o, Const):
                raise self.fail(right, "the list after 'in' may hold only literal values")
            if left.type.kind == "date" and o.type.kind == "string":
                o = self._date_literal(right, o)
            if o.type.kind != left.type.kind or left.type.kind in ("boolean", "list"):
                raise self.fail(right, f"cannot look for a {left.type} in a list of {o.type} values", "RG202")
            self._category_value(right, left, o)
            values.append(o.value)
        return InList(BOOLEAN, *self.pos(n), left, tuple(values), negate)

    def _comparable(self, n: ast.AST, op: str, a: Expr, b: Expr) -> tuple[Expr, Expr]:
        if a.type.kind == "date" and isinstance(b, Const) and b.type.kind == "string":
            b = self._date_literal(n, b)
        if b.type.kind == "date" and isinstance(a, Const) and a.type.kind == "string":
            a = self._date_literal(n, a)
        ka, kb = a.type.kind, b.type.kind
        if ka != kb:
            raise self.fail(n, f"cannot compare a {a.type} with a {b.type}", "RG202")
        if ka == "boolean":
            raise self.fail(n, "do not compare booleans with == or <: use the value itself (x, not x)",
                            "RG202")
        if ka == "string" and op not in ("==", "!="):
            raise self.fail(n, f"text cannot be ordered with {op}; only == and != apply", "RG202")
        for x, y in ((a, b), (b, a)):
            if isinstance(y, Const):
                self._category_value(n, x, y)
        return a, b

    def _category_value(self, n: ast.AST, field_expr: Expr, literal: Expr) -> None:
        vals = field_expr.type.values
        if vals is not None and isinstance(literal, Const) and literal.value not in vals:
            shown = ", ".join(vals[:12]) + (" …" if len(vals) > 12 else "")
            raise self.fail(n, f"'{literal.value}' is not a declared value of this category "
                               f"(declared: {shown})", "RG205")

    def _date_literal(self, n: ast.AST, c: Const) -> Const:
        try:
            return Const(DATE, c.line, c.col, dt.date.fromisoformat(str(c.value)))
        except ValueError:
            raise self.fail(n, f"'{c.value}' is not a date in the form YYYY-MM-DD", "RG202") from None

    def _IfExp(self, n: ast.IfExp) -> Expr:
        cond = self.visit(n.test)
        self._want(cond, "boolean", "the condition of 'if'")
        then, orelse = self._branches(n)
        if then.type.kind != orelse.type.kind:
            raise self.fail(n, f"both branches must have the same type ({then.type} vs {orelse.type})",
                            "RG202")
        t = then.type if then.type == orelse.type else Type(then.type.kind)
        return IfElse(t, *self.pos(n), cond, then, orelse)

    def _branches(self, n: ast.IfExp) -> tuple[Expr, Expr]:
        """Both branches; ``None`` in one of them is a missing value of the other's type."""
        none_body, none_else = (isinstance(b, ast.Constant) and b.value is None for b in (n.body, n.orelse))
        if none_body and none_else:
            raise self.fail(n, "at most one branch of 'if' may be None (missing)")
        if none_body or none_else:
            known = self.visit(n.orelse if none_body else n.body)
            if known.type.kind == "list":
                raise self.fail(n, "a list cannot be a branch of 'if'")
            missing = Const(known.type, *self.pos(n.body if none_body else n.orelse), None)
            return (missing, known) if none_body else (known, missing)
        return self.visit(n.body), self.visit(n.orelse)

    def _Subscript(self, n: ast.Subscript) -> Expr:
        if not isinstance(n.value, ast.Name):
            raise self.fail(n, "only tables can be indexed: table_name[key]", "RG201")
        name = unicodedata.normalize("NFKC", n.value.id)
        info = self.scope.tables.get(name)
        if info is None:
            raise self.fail(n, f"unknown table '{name}'", "RG204")
        key = self.visit(n.slice)
        want = "number" if info.banded or info.key == "number" else "string"
        if key.type.kind != want:
            raise self.fail(n, f"table '{name}' is looked up by a {want}, not a {key.type}", "RG202")
        return Lookup(info.value, *self.pos(n), name, key)

    # -- calls -----------------------------------------------------------------------------------
    def _Call(self, n: ast.Call) -> Expr:
        if not isinstance(n.func, ast.Name):
            raise self.fail(n, "only the built-in functions can be called", "RG201")
        name = n.func.id
        if name.startswith("__"):
            raise self.fail(n, f"name '{name}' is not allowed", "RG201")
        if n.keywords:
            raise self.fail(n, f"{name}() takes positional arguments only", "RG201")
        first = n.args[0] if n.args else None
        if name in AGGREGATES and isinstance(first, ast.Name) and first.id in self.scope.items:
            group_list = self.scope.group_list
            if group_list is not None and first.id != group_list:
                raise self.fail(n, f"inside the values of a group, {name}() runs over the grouped list "
                                   f"'{group_list}' only")
            return self._aggregate(n, name, first.id)
        spec = SCALAR_FUNCTIONS.get(name)
        if spec is None:
            if name in AGGREGATES:
                raise self.fail(n, f"{name}() needs a list field as its first argument")
            known = ", ".join(sorted(set(SCALAR_FUNCTIONS) | set(AGGREGATES)))
            raise self.fail(n, f"unknown function '{name}' (available: {known})", "RG206")
        args = tuple(self.visit(a) for a in n.args)
        if name == "round" and len(args) == 2 and not (isinstance(args[1], Const)
                                                        and float(args[1].value).is_integer()
                                                        and abs(args[1].value) <= MAX_ROUND_DIGITS):
            raise self.fail(n, f"round()'s digits must be a whole number between -{MAX_ROUND_DIGITS} "
                               f"and {MAX_ROUND_DIGITS} written in the expression")
        try:
            result = spec.check([a.type for a in args])
        except ValueError as exc:
            raise self.fail(n, str(exc).replace("this function", name), "RG202") from None
        return Call(result, *self.pos(n), name, args)

    def _aggregate(self, n: ast.Call, func: str, list_name: str) -> Expr:
        if self.item_of is not None:
            raise self.fail(n, "aggregates cannot be nested", "RG201")
        _, _, body_type = AGGREGATES[func]
        if len(n.args) > 2 or (len(n.args) == 1 and func != "count"):
            raise self.fail(n, f"{func}() takes a list field and one expression: {func}({list_name}, ...)",
                            "RG202")
        body = None
        if len(n.args) == 2:
            body = _Checker(self.scope, list_name).visit(n.args[1])
            assert body_type is not None
            if body.type.kind != body_type.kind:
                raise self.fail(n.args[1], f"the expression in {func}() must give a {body_type.kind}, "
                                           f"not a {body.type}", "RG202")
        result = BOOLEAN if func in ("any", "all") else NUMBER
        source = "derived" if list_name in self.scope.derived_lists else "field"
        return Aggregate(result, *self.pos(n), func, list_name, body, source)  # type: ignore[arg-type]

    def _want(self, x: Node, kind: str, what: str) -> None:
        if x.type.kind != kind:
            raise ExprError("RG202", f"{what} needs a {kind}, not a {x.type}", x.line, x.col)


__all__ = ["ExprError", "Scope", "TableInfo", "parse_expression", "references", "LIST", "STRING"]
