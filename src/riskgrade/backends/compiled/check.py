"""The generated module is read back and checked before it runs: only the constructs the generator
writes, only the names it gives its locals, its helpers and a few builtins, only plain constants.

The generator already emits nothing else; this check makes that a property of every module that is
ever executed, whatever a pack holds (a pack's text can reach the module only as a string literal).
"""

from __future__ import annotations

import ast
import re

from ...expr.lower_python import Unsupported
from .runtime import BUILTIN_NAMES, HELPERS

_NODES = (
    ast.Module, ast.FunctionDef, ast.arguments, ast.arg, ast.Assign, ast.AugAssign, ast.Return, ast.If, ast.For,
    ast.Try, ast.ExceptHandler, ast.Pass, ast.Break, ast.Expr, ast.Name, ast.Load, ast.Store, ast.Constant, ast.Tuple,
    ast.List, ast.Dict, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Call, ast.Attribute, ast.Subscript,
    ast.IfExp, ast.ListComp, ast.GeneratorExp, ast.comprehension, ast.NamedExpr, ast.keyword,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.BitOr, ast.RShift, ast.BitAnd,
    ast.And, ast.Or, ast.Not, ast.USub, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq, ast.Is, ast.IsNot,
    ast.In, ast.NotIn,
)
_LOCAL = re.compile(r"^(?:[tvifdpmhgbsxC]|rp|band|FIELD|read)\d+$")
_FIXED = {
    "as_of", "as_of_md", "params", "gaps", "raw", "errors", "exc", "values", "get", "fired", "reasons", "veto",
    "shift", "controls", "level", "score", "interval", "applied", "days", "due", "undecided", "n", "m", "r", "p", "h", "j",
    "core", "grade", "grade_values", "v", "out", "PACK", "VERSION", "SHA256", "FIELD_NAMES", "MEASURE_IDS", "LEVEL_IDS",
    "COLORS", "RESPONSIBLE", "LEVEL_CONTROLS", "INTERVALS", "ADJUSTMENTS", "GAP_NAMES", "CONTROL_NAMES", "DATA_GAPS",
}
NAMES = _FIXED | set(HELPERS) | set(BUILTIN_NAMES)
ATTRIBUTES = {"get", "append", "setdefault", "items", "strip", "isascii", "is_integer", "__class__", "days", "year", "month", "day", "join",
              "date"}
_PLAIN = (type(None), bool, int, float, str)


def check_source(text: str) -> ast.Module:
    """Parse the module and refuse anything the generator does not write (``Unsupported``)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, RecursionError, MemoryError, ValueError) as exc:
        raise Unsupported(f"the generated module does not parse: {exc}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _NODES):
            raise Unsupported(f"generated code holds a {type(node).__name__}")
        if isinstance(node, ast.Name) and node.id not in NAMES and not _LOCAL.match(node.id):
            raise Unsupported(f"generated code names {node.id!r}")
        if isinstance(node, ast.Attribute) and node.attr not in ATTRIBUTES:
            raise Unsupported(f"generated code reads the attribute {node.attr!r}")
        if isinstance(node, ast.Constant) and type(node.value) not in _PLAIN:
            raise Unsupported(f"generated code holds a {type(node.value).__name__} constant")
        if isinstance(node, ast.FunctionDef) and (node.decorator_list or node.name not in NAMES
                                                  and not _LOCAL.match(node.name)):
            raise Unsupported(f"generated code defines {node.name!r}")
        if isinstance(node, ast.arg) and node.arg not in NAMES and not _LOCAL.match(node.arg):
            raise Unsupported(f"generated code takes {node.arg!r}")
    return tree
