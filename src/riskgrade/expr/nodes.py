"""The typed expression tree every backend evaluates. Frozen, checked, free of Python's ``ast``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

Kind = Literal["number", "boolean", "string", "date", "list"]
Scope = Literal["field", "derived", "param", "item", "group", "rule_points"]


@dataclass(frozen=True)
class Type:
    kind: Kind
    # the codes a category may take; None for free text and non-strings
    values: tuple[str, ...] | None = None

    def __str__(self) -> str:
        return "category" if self.values is not None else self.kind


NUMBER, BOOLEAN, STRING, DATE, LIST = (Type(k) for k in ("number", "boolean", "string", "date", "list"))


@dataclass(frozen=True)
class Node:
    type: Type
    line: int  # 1-based position of the node inside the expression text
    col: int


@dataclass(frozen=True)
class Const(Node):
    value: object  # float | bool | str | datetime.date


@dataclass(frozen=True)
class Name(Node):
    name: str
    scope: Scope


@dataclass(frozen=True)
class Unary(Node):
    op: Literal["not", "neg"]
    operand: "Expr"


@dataclass(frozen=True)
class Arith(Node):
    op: Literal["+", "-", "*", "/", "//", "%", "**"]
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Compare(Node):
    op: Literal["<", "<=", ">", ">=", "==", "!="]
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Logic(Node):
    op: Literal["and", "or"]
    operands: tuple["Expr", ...]


@dataclass(frozen=True)
class InList(Node):
    operand: "Expr"
    options: tuple[object, ...]
    negate: bool


@dataclass(frozen=True)
class IfElse(Node):
    cond: "Expr"
    then: "Expr"
    orelse: "Expr"


@dataclass(frozen=True)
class Lookup(Node):
    table: str
    key: "Expr"


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple["Expr", ...]


@dataclass(frozen=True)
class Aggregate(Node):
    func: Literal["sum", "count", "any", "all", "min", "max"]
    list_name: str
    body: "Expr | None"
    source: Literal["field", "derived"] = "field"  # a list field, or a grouped list (GroupBy)


@dataclass(frozen=True)
class GroupBy(Node):
    """The records of a list field grouped by one of their item fields, in order of first appearance
    (records without a key form one group); per group, ``values`` computed in order. Inside them,
    aggregates over ``list_name`` see the group's records only, and names of scope ``group`` read the
    group's key and its earlier values. The result is a list of records (``{key, value…}``)."""

    list_name: str
    key: str
    values: tuple[tuple[str, "Expr"], ...]


Expr = Union[Const, Name, Unary, Arith, Compare, Logic, InList, IfElse, Lookup, Call, Aggregate, GroupBy]


def children(node: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of a node (for walks: references, depth, lowering)."""
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, (Arith, Compare)):
        return (node.left, node.right)
    if isinstance(node, Logic):
        return node.operands
    if isinstance(node, InList):
        return (node.operand,)
    if isinstance(node, IfElse):
        return (node.cond, node.then, node.orelse)
    if isinstance(node, Lookup):
        return (node.key,)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Aggregate):
        return (node.body,) if node.body is not None else ()
    if isinstance(node, GroupBy):
        return tuple(v for _, v in node.values)
    return ()


def names_in(node: Expr) -> set[tuple[str, str]]:
    """Every (scope, name) an expression reads, including list fields read by aggregates."""
    out: set[tuple[str, str]] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Name):
            out.add((n.scope, n.name))
        elif isinstance(n, Aggregate):
            out.add((n.source, n.list_name))
        elif isinstance(n, GroupBy):
            out.add(("field", n.list_name))
        stack.extend(children(n))
    return out
