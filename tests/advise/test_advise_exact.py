"""The advice is exact: on generated packs and entities, applying the advised fixes and grading
again gives ``reaches_level``, and no set of the pack's fixes — tried one by one with the reference
engine, a different engine from the one the search grades with — reaches the target more cheaply."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

from hypothesis import given, settings

import riskgrade
from riskgrade.advise import advise_source
from riskgrade.backends import reference
from riskgrade.grading import GradeOptions
from riskgrade.table.convert import convert_entity

from advise_packs import entities, packs

AS_OF = dt.date(2026, 6, 30)


def _level(program, entity: dict) -> int | None:
    (record,) = reference.grade_records(program, [entity], AS_OF)
    if "rejected" in record or not record["applies"]:
        return None
    return program.level_index(record["level"])


def _apply(program, entity: dict, fixes) -> dict:
    values, _ = convert_entity(program.fields, entity)
    out = dict(entity)
    for f in fixes:
        out[f.field] = f.value_on(AS_OF, values)
    return out


def _key(fixes) -> tuple[float, int, float]:
    return (round(sum(f.cost for f in fixes), 6), len(fixes), round(sum(f.days for f in fixes), 6))


def _every_set(program, entity):
    """Every set of the fixes that apply to the entity (``from``), at most one per field."""
    values, _ = convert_entity(program.fields, entity)
    fixes = [f for f in program.fixes if (f.from_values is None or values.get(f.field) in f.from_values)
             and (f.to_field is None or values.get(f.to_field) is not None)]
    for n in range(len(fixes) + 1):
        for chosen in combinations(fixes, n):
            if len({f.field for f in chosen}) == n:
                yield chosen


@settings(max_examples=int(__import__("os").environ.get("ADV_N", "100")))
@given(packs(), entities(), entities())
def test_advice_is_the_cheapest_set_that_reaches_the_target(text, first, second):
    program = riskgrade.loads_pack(text, "gen.yaml")
    rows = [{"entity_id": "e1", **first}, {"entity_id": "e2", **second}]
    for target in (None, "blue"):
        result = advise_source(rows, [program], GradeOptions(as_of=AS_OF), target=target)
        assert result.counts.graded == 2
        for advice, entity in zip(result.advice, rows):
            level = _level(program, entity)
            assert advice.level == program.levels[level].id
            goal = program.level_index(advice.target_level)
            by_id = {f.id: f for f in program.fixes}
            advised = [by_id[f.id] for f in advice.fixes]
            # applying the advised fixes gives the level the advice says
            assert _level(program, _apply(program, entity, advised)) == program.level_index(advice.reaches_level)
            # brute force over every set of the pack's fixes, graded by the reference engine
            best: dict[int, tuple] = {}
            for chosen in _every_set(program, entity):
                reached = _level(program, _apply(program, entity, chosen))
                if reached is not None:
                    key = _key(chosen)
                    for lv in range(reached + 1):
                        best[lv] = min(best.get(lv, key), key)
            assert advice.reachable == (goal in best)
            reached = program.level_index(advice.reaches_level)
            if advice.reachable:
                assert _key(advised) == best[goal]
            else:
                assert reached == max(best), (reached, max(best))
                assert _key(advised) == best[reached]
