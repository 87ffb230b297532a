"""The whitelisted functions, declared once: name, signature, result type, documentation.

Every backend implements each of them: the interpreter (``interpret.SCALAR_FUNCTIONS``,
``LAZY_FUNCTIONS``, ``AGGREGATES``), the numpy lowering (``NUMPY_FUNCTIONS``, ``NUMPY_AGGREGATES``),
and the durable lowering, which routes every call through a precomputed value
(``backends.durable.rulesets.ROUTED_FUNCTIONS``). ``tests/expr/test_functions.py`` holds them to
this list and grades an expression with each function on all three engines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .nodes import BOOLEAN, NUMBER, Type


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    signature: str
    doc: str
    # returns the result type, or raises ValueError with a message for the panel
    check: Callable[[list[Type]], Type]


def _arity(types: list[Type], lo: int, hi: int | None, name: str) -> None:
    if len(types) < lo or (hi is not None and len(types) > hi):
        want = f"{lo}" if hi == lo else f"{lo} to {hi}" if hi else f"at least {lo}"
        raise ValueError(f"{name}() takes {want} argument(s), got {len(types)}")


def _all_kind(types: list[Type], kind: str, name: str) -> None:
    for i, t in enumerate(types, 1):
        if t.kind != kind:
            raise ValueError(f"argument {i} of {name}() must be a {kind}, not a {t}")


def _dates_to_number(n: int) -> Callable[[list[Type]], Type]:
    def check(types: list[Type]) -> Type:
        _arity(types, n, n, "this function")
        _all_kind(types, "date", "this function")
        return NUMBER
    return check


def _numbers(lo: int, hi: int | None) -> Callable[[list[Type]], Type]:
    def check(types: list[Type]) -> Type:
        _arity(types, lo, hi, "this function")
        _all_kind(types, "number", "this function")
        return NUMBER
    return check


def _coalesce(types: list[Type]) -> Type:
    _arity(types, 2, None, "coalesce")
    kinds = {t.kind for t in types}
    if len(kinds) != 1 or "list" in kinds:
        raise ValueError("all arguments of coalesce() must have the same type")
    values = {t.values for t in types}
    return types[0] if len(values) == 1 else Type(types[0].kind)


def _is_missing(types: list[Type]) -> Type:
    _arity(types, 1, 1, "is_missing")
    return BOOLEAN


SCALAR_FUNCTIONS: dict[str, FunctionSpec] = {f.name: f for f in [
    FunctionSpec("days_since", "days_since(date) -> number",
                 "Days from the date to the grading date (negative if the date is later).",
                 _dates_to_number(1)),
    FunctionSpec("years_since", "years_since(date) -> number",
                 "Complete years from the date to the grading date (an age or a service life).",
                 _dates_to_number(1)),
    FunctionSpec("days_between", "days_between(start, end) -> number",
                 "Days from start to end.", _dates_to_number(2)),
    FunctionSpec("coalesce", "coalesce(a, b, ...) -> same type",
                 "The first argument that is not missing.", _coalesce),
    FunctionSpec("is_missing", "is_missing(x) -> boolean",
                 "True when the value is missing (never unknown itself).", _is_missing),
    FunctionSpec("abs", "abs(x) -> number", "Absolute value.", _numbers(1, 1)),
    FunctionSpec("round", "round(x, digits=0) -> number",
                 "x rounded half to even at the given number of decimal digits (a literal).",
                 _numbers(1, 2)),
    FunctionSpec("min", "min(a, b, ...) -> number", "The smallest argument (missing if any is).",
                 _numbers(2, None)),
    FunctionSpec("max", "max(a, b, ...) -> number", "The largest argument (missing if any is).",
                 _numbers(2, None)),
]}

# Aggregates take a list field first, then an expression evaluated on each record of the list.
AGGREGATES: dict[str, tuple[str, str, Type | None]] = {
    # name: (signature, doc, required body type (None: no body allowed))
    "sum": ("sum(list, expr) -> number", "Sum of expr over the records (0 for an empty list).", NUMBER),
    "count": ("count(list[, cond]) -> number", "Number of records (where cond is true).", BOOLEAN),
    "any": ("any(list, cond) -> boolean", "True if cond holds for some record.", BOOLEAN),
    "all": ("all(list, cond) -> boolean", "True if cond holds for every record (true when empty).",
            BOOLEAN),
    "min": ("min(list, expr) -> number", "Smallest expr over the records (missing when empty).", NUMBER),
    "max": ("max(list, expr) -> number", "Largest expr over the records (missing when empty).", NUMBER),
}

