"""The whitelisted functions are declared once (``expr.functions``) and every engine has each of them:
the interpreter and the numpy lowering implement it, the durable lowering routes it through a
precomputed value. One expression per function, graded on all three engines, gives the same rules."""

from __future__ import annotations

import datetime as dt

import riskgrade
from riskgrade.backends import reference
from riskgrade.backends.durable import DurableGrader
from riskgrade.backends.durable.rulesets import ROUTED_FUNCTIONS
from riskgrade.expr import interpret, lower_numpy
from riskgrade.expr.functions import AGGREGATES, SCALAR_FUNCTIONS

AS_OF = dt.date(2026, 6, 30)

# one condition per declared function: (rule id, function, condition)
EXAMPLES = [
    ("days_since", "days_since", "days_since(d) > 30"),
    ("years_since", "years_since", "years_since(d) >= 1"),
    ("days_between", "days_between", "days_between(d, e) > 10"),
    ("coalesce", "coalesce", "coalesce(n, m) > 5"),
    ("is_missing", "is_missing", "is_missing(n)"),
    ("abs", "abs", "abs(n) > 5"),
    ("round", "round", "round(n / 3, 1) == 3.3"),
    ("min", "min", "min(n, m) < 2"),
    ("max", "max", "max(n, m) > 8"),
    ("sum_of_list", "sum", "sum(items, q) > 5"),
    ("count_of_list", "count", "count(items, t == 'a') >= 2"),
    ("any_of_list", "any", "any(items, q > 4)"),
    ("all_of_list", "all", "all(items, t == 'b')"),
    ("min_of_list", "min", "min(items, q) < 1"),
    ("max_of_list", "max", "max(items, q) > 9"),
]

PACK = """
pack: functions
version: "1"
title: {zh: 函数, en: Functions}
owner: {zh: 派出所, en: Police station}
fields:
  d: {type: date}
  e: {type: date}
  n: {type: number}
  m: {type: number}
  items:
    type: list
    items:
      q: {type: number}
      t: {type: category, values: [a, b]}
levels:
  - {id: red, label: {zh: 红, en: Red}, color: red}
  - {id: blue, label: {zh: 蓝, en: Blue}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 1}, {level: blue, max: 1}]
rules:
""" + "".join(f'  - {{id: {rule}, when: "{when}", points: 1}}\n' for rule, _, when in EXAMPLES)

ENTITIES = [
    {"entity_id": "1", "d": "2025-01-01", "e": "2025-02-01", "n": 10, "m": 1,
     "items": [{"q": 5, "t": "a"}, {"q": 0.5, "t": "a"}]},
    {"entity_id": "2", "m": 9, "items": []},
    {"entity_id": "3", "d": "2026-06-20", "e": "2026-05-01", "n": -7, "items": [{"q": 10, "t": "b"}]},
    {"entity_id": "4", "n": 9.9, "m": 3},
]


def test_every_declared_function_is_implemented_by_every_engine():
    scalars, aggregates = set(SCALAR_FUNCTIONS), set(AGGREGATES)
    assert set(interpret.SCALAR_FUNCTIONS) | set(interpret.LAZY_FUNCTIONS) == scalars
    assert set(interpret.AGGREGATES) == aggregates
    assert set(lower_numpy.NUMPY_FUNCTIONS) == scalars
    assert set(lower_numpy.NUMPY_AGGREGATES) == aggregates
    assert ROUTED_FUNCTIONS == scalars | aggregates  # the durable lowering routes every call


def test_the_examples_use_every_declared_function():
    assert {func for _, func, _ in EXAMPLES} == set(SCALAR_FUNCTIONS) | set(AGGREGATES)


def test_each_function_grades_the_same_on_every_engine():
    program = riskgrade.loads_pack(PACK, "functions.yaml")
    by_reference = [r["fired"] for r in reference.grade_records(program, ENTITIES, AS_OF)]
    by_durable = [r["fired"] for r in DurableGrader(program).grade_records(ENTITIES, AS_OF)]
    by_batch = [r["fired"] for r in riskgrade.grade_table(ENTITIES, program, as_of=AS_OF).to_records()]
    assert by_batch == by_reference == by_durable
    for rule, _, _ in EXAMPLES:  # each example decides: it fires for one entity and not for another
        assert any(rule in fired for fired in by_reference), rule
        assert any(rule not in fired for fired in by_reference), rule
