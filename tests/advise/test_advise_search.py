"""The advice in situations a panel meets: fixes that only help together, rules whose firing helps,
alternatives on one field, a check done today, ties, entities with many fixes, a search limit, and
whole registries with rows rejected and packs that do not apply."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import pytest

import riskgrade
from riskgrade.advise import advise_source
from riskgrade.backends import reference
from riskgrade.grading import GradeOptions

AS_OF = dt.date(2026, 6, 30)
HEAD = """
pack: t
version: "1"
title: {zh: 测试, en: Test}
owner: {zh: 派出所}
levels:
  - {id: red, label: {zh: 重大风险, en: Major}, color: red}
  - {id: orange, label: {zh: 较大风险, en: High}, color: orange}
  - {id: yellow, label: {zh: 一般风险, en: Medium}, color: yellow}
  - {id: blue, label: {zh: 低风险, en: Low}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 30}, {level: orange, min: 20, max: 30}, {level: yellow, min: 10, max: 20}, {level: blue, max: 10}]
"""


def pack(body: str) -> riskgrade.Program:
    return riskgrade.loads_pack(HEAD + body, "t.yaml")


def advise(program, entity, target=None, **kw):
    (plan,) = riskgrade.advise(entity, program, target, as_of=AS_OF, **kw)
    return plan


def fix(to, cost, days=0, **extra):
    more = "".join(f", {k}: {v}" for k, v in extra.items())
    return f"{{to: {to}, action: {{zh: 整改, en: fix}}, cost: {cost}, days: {days}{more}}}"


def test_fixes_that_help_only_together_are_found():
    # fixing `a` stops r0 but starts r1; only fixing `b` as well brings the level down
    program = pack(f"""
fields:
  a: {{type: boolean, fix: {fix('true', 1)}}}
  b: {{type: integer, min: 0, fix: {fix(0, 1)}}}
rules:
  - {{id: r0, when: "not a", points: 30}}
  - {{id: r1, when: "a and b > 1", points: 30}}
""")
    plan = advise(program, {"a": False, "b": 5}, "blue")
    assert plan.level == "red" and plan.reachable and [f.id for f in plan.fixes] == ["a", "b"]
    assert plan.reaches_level == "blue" and plan.total_cost == 2


def test_a_fix_that_makes_a_lowering_rule_fire_is_used():
    program = pack(f"""
fields:
  size: {{type: number, min: 0}}
  certified: {{type: boolean, fix: {fix('true', 100, 30)}}}
rules:
  - {{id: big, when: "size > 5", points: 15}}
  - {{id: good, when: "certified", lower: 1}}
""")
    plan = advise(program, {"size": 10, "certified": False})
    assert (plan.level, plan.target_level, plan.reaches_level) == ("yellow", "blue", "blue")
    assert [f.id for f in plan.fixes] == ["certified"] and plan.total_days == 30


def test_of_two_alternatives_on_one_field_the_one_that_reaches_is_chosen_never_both():
    program = pack(f"""
fields:
  area: {{type: number, min: 0}}
  exits: {{type: integer, min: 0, fix: [{fix(2, 100)}, {fix(3, 300)}]}}
rules:
  - {{id: one_exit, when: "exits < 2", points: 10}}
  - {{id: big_few_exits, when: "exits < 3 and area > 1000", points: 10}}
""")
    assert [f.id for f in advise(program, {"area": 500, "exits": 1}).fixes] == ["exits"]
    plan = advise(program, {"area": 2000, "exits": 1}, "blue")
    assert [(f.id, f.to) for f in plan.fixes] == [("exits.2", "3")] and plan.total_cost == 300


def test_a_repair_and_an_installation_each_apply_only_to_their_starting_value():
    program = pack(f"""
fields:
  sprinklers:
    type: category
    values: [not_required, missing, ok, faulty]
    fix: [{fix('ok', 20000, 15, id='repair', **{'from': '[faulty]'})}, {fix('ok', 300000, 120, id='install', **{'from': '[missing]'})}]
rules:
  - {{id: none, when: "sprinklers in ['missing', 'faulty']", points: 10}}
""")
    assert [f.id for f in advise(program, {"sprinklers": "faulty"}).fixes] == ["repair"]
    assert [f.id for f in advise(program, {"sprinklers": "missing"}).fixes] == ["install"]


def test_a_renewal_dated_from_the_grading_date_clears_an_expired_licence():
    program = pack(f"""
fields:
  licence_until: {{type: date, fix: {fix("'as_of + 365'", 0, 30)}}}
rules:
  - {{id: expired, when: "licence_until < '2026-07-30'", points: 10}}
""")
    plan = advise(program, {"licence_until": "2026-01-01"})
    assert [(f.to, f.days) for f in plan.fixes] == [("as_of + 365", 30)] and plan.reaches_level == "blue"


def test_a_fix_may_copy_another_field_such_as_stock_down_to_the_licensed_quantity():
    program = pack(f"""
fields:
  stock: {{type: number, min: 0, fix: {fix('licensed', 500, 1)}}}
  licensed: {{type: number, min: 0}}
rules:
  - {{id: over, when: "stock > licensed", points: 10}}
""")
    plan = advise(program, {"stock": 180, "licensed": 100})
    assert [(f.field, f.to) for f in plan.fixes] == [("stock", "licensed")] and plan.reaches_level == "blue"
    unknown = advise(program, {"stock": 180})  # nothing to copy: the fix is not offered
    assert unknown.level == "blue" and not unknown.fixes


def test_a_date_fix_to_as_of_is_the_grading_date_and_clears_an_undecided_rule():
    program = pack(f"""
fields:
  checked: {{type: date, fix: {fix('as_of', 300, 3)}}}
rules:
  - {{id: overdue, when: "days_since(checked) > 365", points: 10, on_missing: worst}}
""")
    for entity in ({"checked": "2020-01-01"}, {"entity_id": "never checked"}):
        plan = advise(program, entity)
        assert plan.level == "yellow" and [(f.field, f.to) for f in plan.fixes] == [("checked", "as_of")]
        assert plan.reaches_level == "blue"


def test_ties_go_to_fewer_fixes_then_fewer_days():
    program = pack(f"""
fields:
  a: {{type: boolean, fix: {fix('false', 5, 1)}}}
  b: {{type: boolean, fix: {fix('false', 5, 1)}}}
  c: {{type: boolean, fix: {fix('false', 10, 9)}}}
  d: {{type: boolean, fix: {fix('false', 10, 2)}}}
rules:
  - {{id: ab, when: "a and b", points: 10}}
  - {{id: c, when: "c", points: 10}}
  - {{id: d, when: "d", points: 10}}
""")
    # one finding off (orange): {a} or {b} (5) beat {c}, {d} (10); two off (yellow): {a or b, c} and
    # {a or b, d} cost the same with as many fixes, and d is quicker
    entity = {"a": True, "b": True, "c": True, "d": True}
    assert advise(program, entity, "orange").total_cost == 5
    plan = advise(program, entity, "yellow")
    assert plan.total_cost == 15 and len(plan.fixes) == 2 and "d" in [f.id for f in plan.fixes]
    assert plan.total_days == 3


def _brute_force(program, entity, goal):
    best = None
    for n in range(len(program.fixes) + 1):
        for chosen in combinations(program.fixes, n):
            fixed = {**entity, **{f.field: f.value_on(AS_OF) for f in chosen}}
            (record,) = reference.grade_records(program, [fixed], AS_OF)
            if program.level_index(record["level"]) >= goal:
                key = (sum(f.cost for f in chosen), n, sum(f.days for f in chosen))
                best = key if best is None else min(best, key)
    return best


@pytest.mark.parametrize("listed_up_to", [12, 4])  # 4: the sets drawn one by one from a heap
def test_an_entity_with_many_fixes_is_walked_exactly_whether_its_sets_are_listed_or_drawn(monkeypatch, listed_up_to):
    from riskgrade.advise import search as walk

    monkeypatch.setattr(walk, "SMALL", listed_up_to)
    names = [f"f{i}" for i in range(10)]
    costs = [7, 3, 5, 2, 11, 4, 6, 1, 9, 8]
    fields = "\n".join(f"  {n}: {{type: boolean, fix: {fix('false', c, i % 3)}}}"
                       for i, (n, c) in enumerate(zip(names, costs)))
    rules = "\n".join(f"  - {{id: r{i}, when: \"{n}\", points: {3 + i % 4}}}" for i, n in enumerate(names))
    program = pack(f"fields:\n{fields}\nrules:\n{rules}\n")
    entity = {n: True for n in names}
    plan = advise(program, entity, "yellow")
    assert plan.level == "red" and plan.reachable and plan.exact
    got = (plan.total_cost, len(plan.fixes), plan.total_days)
    assert got == _brute_force(program, entity, program.level_index("yellow"))


def test_a_search_stopped_by_its_limit_says_so_and_gives_the_best_it_found():
    program = pack(f"""
fields:
  a: {{type: boolean, fix: {fix('false', 1)}}}
  b: {{type: boolean, fix: {fix('false', 1)}}}
  c: {{type: boolean, fix: {fix('false', 5)}}}
rules:
  - {{id: abc, when: "a or b or c", points: 10}}
  - {{id: ab, when: "a or b", points: 10}}
""")
    # the sets in order: {a}, {b}, {a, b} (yellow), {c}, … {a, b, c} (blue); the limit stops at three
    result = advise_source([{"a": True, "b": True, "c": True}], [program], GradeOptions(as_of=AS_OF), "blue",
                           max_sets=3)
    (plan,) = result.advice
    assert not plan.exact and not plan.reachable and plan.reaches_level == "yellow"
    assert [f.id for f in plan.fixes] == ["a", "b"]
    assert plan.summary("en").startswith("The search stopped at its limit")


def test_a_registry_every_row_advised_or_rejected_and_only_packs_that_apply():
    venues = pack(f"""
fields:
  kind: {{type: category, values: [venue, vehicle], required: true}}
  blocked: {{type: boolean, fix: {fix('false', 0, on_the_spot='true')}}}
rules:
  - {{id: blocked, when: "blocked", set_level: red}}
""")
    other = riskgrade.loads_pack(HEAD.replace("pack: t", "pack: v") + """
applies_when: "kind == 'vehicle'"
fields:
  kind: {type: category, values: [venue, vehicle], required: true}
rules:
  - {id: any, when: "kind == 'vehicle'", points: 10}
""", "v.yaml")
    rows = [{"entity_id": "1", "kind": "venue", "blocked": True}, {"entity_id": "2", "kind": "boat"},
            {"entity_id": "3", "kind": "vehicle", "blocked": False}]
    result = riskgrade.advise_table(rows, [venues, other], as_of=AS_OF)
    assert str(result.counts) == "3 rows in = 2 graded + 1 rejected"
    assert [(r.entity_id, r.field) for r in result.rejects] == [("2", "kind")]
    assert [(a.entity_id, a.pack, a.level, a.reaches_level) for a in result.advice] == [
        ("1", "t", "red", "blue"), ("3", "t", "blue", "blue"), ("3", "v", "yellow", "yellow")]
    first = result.advice[0]
    assert first.fixes[0].on_the_spot and first.summary("zh") == "降至低风险：整改（现场整改，0 元）。合计 0 元，0 天。"
    records = result.to_records("en")
    assert records[2]["reachable"] is False and records[2]["blocked_by"][0]["rule"] == "any"


def test_bad_input_and_an_unknown_target_are_clear_errors():
    program = pack(f"""
fields:
  n: {{type: integer, min: 0, fix: {fix(0, 1)}}}
rules:
  - {{id: r, when: "n > 1", points: 10}}
""")
    with pytest.raises(riskgrade.InputError, match="n"):
        riskgrade.advise({"n": "many"}, program, as_of=AS_OF)
    with pytest.raises(riskgrade.OptionError, match="'purple' is not a level of pack 't'"):
        riskgrade.advise({"n": 2}, program, "purple", as_of=AS_OF)
