"""The expression whitelist and the type checker: everything outside them is rejected with a location."""

from __future__ import annotations

import pytest

from riskgrade.expr.nodes import BOOLEAN, LIST, NUMBER, STRING, DATE, Type
from riskgrade.expr.parse import ExprError, Scope, TableInfo, parse_expression

SCOPE = Scope(
    fields={"area": NUMBER, "exits": NUMBER, "ok": BOOLEAN, "kind": Type("string", ("ktv", "hotel")),
            "name": STRING, "opened": DATE, "stock": LIST, "场所面积": NUMBER},
    items={"stock": {"tonnes": NUMBER, "substance": STRING}},
    tables={"limit": TableInfo("string", NUMBER, False), "band": TableInfo("number", NUMBER, True)},
)


def reject(text: str) -> ExprError:
    with pytest.raises(ExprError) as info:
        parse_expression(text, SCOPE)
    return info.value


@pytest.mark.parametrize("text, words", [
    ("area.real > 1", "attribute access"),
    ("__import__('os')", "not allowed"),
    ("().__class__", "attribute access"),
    ("(lambda: 1)()", "only the built-in functions"),
    ("lambda x: x", "lambda"),
    ("[x for x in stock]", "comprehensions"),
    ("{x for x in stock}", "comprehensions"),
    ("f'{area}' == 'x'", "f-strings"),
    ("(y := 3) > 1", "assignment"),
    ("max(*stock)", "starred"),
    ("open('/etc/passwd')", "unknown function"),
    ("eval('1')", "unknown function"),
    ("import os", "syntax error"),
    ("10 ** 10 ** 10", "exponent"),
    ("area ** exits", "exponent"),
    ("unknown_field > 1", "unknown name"),
    ("__builtins__", "not allowed"),
    ("area[0]", "unknown table"),
    ("{'a': 1}", "dict literals"),
    ("max(area, key=abs)", "positional"),
])
def test_forbidden_constructs_are_rejected(text, words):
    err = reject(text)
    assert words in err.message
    assert err.line >= 1 and err.col >= 1


def test_error_points_at_the_offending_part():
    err = reject("exits < 2 and area.x > 1")
    assert (err.line, err.col) == (1, 15)


@pytest.mark.parametrize("text, words", [
    ("area + 'x'", "needs a number"),
    ("ok == True", "booleans"),
    ("name < 'b'", "ordered"),
    ("kind == 'spa'", "not a declared value"),
    ("kind in ['ktv', 'bar']", "not a declared value"),
    ("area and ok", "needs a boolean"),
    ("opened < '2020-13-01'", "not a date"),
    ("limit[area]", "looked up by a string"),
    ("sum(stock, substance)", "must give a number"),
    ("stock > 1", "list field"),
    ("1 if ok else 'a'", "same type"),
    ("days_since(area)", "must be a date"),
    ("is_missing(area) + 1", "needs a number"),
])
def test_type_errors(text, words):
    assert words in reject(text).message


@pytest.mark.parametrize("text, kind", [
    ("exits < 2 and area >= 50", "boolean"),
    ("kind in ['ktv', 'hotel']", "boolean"),
    ("sum(stock, tonnes / limit[substance])", "number"),
    ("count(stock, tonnes > 1) + count(stock)", "number"),
    ("days_since(opened) > 365", "boolean"),
    ("opened < '2020-01-01'", "boolean"),
    ("coalesce(area, 0) * 2 if ok else -1", "number"),
    ("band[area] + round(area / 3, 2) + abs(-area) + min(area, 3) + max(1, 2, 3)", "number"),
    ("场所面积 > 100", "boolean"),
    ("1 < area <= 10", "boolean"),
    ("not is_missing(name) or any(stock, substance == 'cl')", "boolean"),
    ("(area\n + 1) > 2", "boolean"),
])
def test_valid_expressions_have_their_type(text, kind):
    assert parse_expression(text, SCOPE).type.kind == kind


def test_overlong_and_deep_expressions_are_rejected():
    assert "longer" in reject("1" + " + 1" * 2000).message
    assert "deeper" in reject("not " * 200 + "ok").message
    assert "nested" in reject("-" * 100_000 + "1 > 0").message or "longer" in reject("-" * 100_000 + "1").message
