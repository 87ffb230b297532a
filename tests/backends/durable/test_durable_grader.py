"""The durable grading backend agrees with the reference engine: on the full-featured pack, on every
shipped pack's examples, and on generated entities over every lowering case (missing values too)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, strategies as st

import riskgrade
from riskgrade.backends import reference
from riskgrade.backends.durable import DurableGrader


ROOT = Path(__file__).resolve().parents[3]
AS_OF = dt.date(2026, 6, 30)

LOWERING_PACK = """pack: lower
version: 1
title: {en: L}
owner: {en: O}
parameters:
  mode: {type: category, values: [m1, m2], default: m1}
fields:
  a: {type: number}
  b: {type: integer}
  flag: {type: boolean}
  kind: {type: category, values: [x, y, z]}
  label: {type: string}
  d: {type: date}
  items: {type: list, items: {q: {type: number}}}
derive:
  twice: "a * 2"
  late: "d < '2020-01-01'"
levels:
  - {id: red, label: {en: R}, color: red}
  - {id: yellow, label: {en: Y}, color: yellow}
  - {id: blue, label: {en: B}, color: blue}
score: {method: sum, bands: [{level: red, min: 20}, {level: yellow, min: 5, max: 20}, {level: blue, max: 5}]}
rules:
  - {id: r1, when: "a > 3 and b <= 2", points: 3}
  - {id: r2, when: "not (kind in ['x', 'y'] or flag)", points: 4}
  - {id: r3, when: "kind not in ['z'] and d >= '2021-06-01'", points: 5}
  - {id: r4, when: "3 < a or not flag", points: 6, on_missing: worst}
  - {id: r5, when: "label == 'héllo 火' or twice != 4", points: 7}
  - {id: r6, when: "late and mode == 'm1'", set_level: yellow}
  - {id: r7, when: "any(items, q > 1) or a == b", raise: 1}
  - {id: r8, when: "kind != 'x' and not (b > 0 and a < 0)", lower: 1}
  - {id: r9, when: "b == 2 and not flag", points: 2, on_missing: error}
"""


def agree(program, entities, as_of=AS_OF, params=None):
    got = DurableGrader(program).grade_records(entities, as_of, params)
    want = reference.grade_records(program, entities, as_of, params)
    for g, w, e in zip(got, want, entities):
        assert g == w, e
    return got


def test_full_pack_examples_and_edge_entities(full_pack):
    ents = [ex.entity for ex in full_pack.examples] + [
        {"kind": "y", "area": 5000, "floors": 9, "sprinkler": False, "name": "model unit", "opened": "1980-01-01",
         "stock": [{"substance": "cl", "tonnes": 6}]},
        {"kind": "z"}, {"kind": "x"}, {}, {"kind": "x", "area": 100, "floors": 6, "stock": [{"substance": "lpg"}]},
        {"kind": "x", "area": "bad"},
    ]
    records = agree(full_pack, ents)
    assert [r.get("level") for r in records[1:4]] == ["red", None, "yellow"]


def test_shipped_pack_examples():
    packs = riskgrade.load_packs(ROOT / "rules")
    n = 0
    for program in packs:
        grader = DurableGrader(program)
        for ex in program.examples:
            (got,) = grader.grade_records([ex.entity], ex.as_of, ex.params)
            (want,) = reference.grade_records(program, [ex.entity], ex.as_of, ex.params)
            assert got == want, (program.pack_id, ex.id)
            n += 1
    assert n >= 5


def test_what_is_lowered_and_what_is_routed():
    grader = DurableGrader(riskgrade.loads_pack(LOWERING_PACK))
    routed = grader.routed
    # arithmetic-free comparisons, in-lists, not/and/or and derived booleans are lowered;
    # free text, parameters, aggregates and field-to-field comparisons are precomputed
    assert [r.split()[0] for r in routed] == ["/rules/4/when", "/rules/5/when", "/rules/6/when",
                                              "/rules/6/when"]
    assert all(r.endswith("(Compare)") or r.endswith("(Aggregate)") for r in routed)


ENTITY = st.fixed_dictionaries({}, optional={
    "a": st.sampled_from([-1.0, 0.0, 2.0, 3.0, 3.5, 1e9]),
    "b": st.sampled_from([0, 1, 2, 3]),
    "flag": st.booleans(),
    "kind": st.sampled_from(["x", "y", "z"]),
    "label": st.sampled_from(["héllo 火", "other", ""]),
    "d": st.sampled_from(["2019-12-31", "2020-01-01", "2021-06-01", "2026-06-30"]),
    "items": st.lists(st.fixed_dictionaries({"q": st.sampled_from([0.0, 1.0, 2.0])}), max_size=3),
})


@given(st.lists(ENTITY, min_size=1, max_size=8), st.sampled_from(["m1", "m2"]))
def test_generated_entities_agree_with_reference(entities, mode):
    program = _lowering_program()
    got = _grader().grade_records(entities, AS_OF, {"mode": mode})
    want = reference.grade_records(program, entities, AS_OF, {"mode": mode})
    assert got == want


@given(st.lists(st.fixed_dictionaries({}, optional={
    "area": st.sampled_from([0.0, 99.0, 100.0, 999.0, 1000.0, 3000.0]), "floors": st.integers(0, 9),
    "sprinkler": st.booleans(), "kind": st.sampled_from(["x", "y", "z"]),
    "name": st.sampled_from(["model unit", "shop"]), "opened": st.sampled_from(["1990-01-01", "2025-01-01"]),
    "stock": st.lists(st.fixed_dictionaries({"substance": st.sampled_from(["cl", "nh3", "lpg"]),
                                             "tonnes": st.sampled_from([0.0, 5.0, 60.0])}), max_size=2),
}), min_size=1, max_size=8), st.sampled_from(["national", "north"]))
def test_full_pack_generated_entities_agree(full_pack, entities, region):
    program = full_pack
    got = program.cache.setdefault("t_durable", DurableGrader(program)).grade_records(entities, AS_OF,
                                                                                      {"region": region})
    assert got == reference.grade_records(program, entities, AS_OF, {"region": region})


def test_many_overlapping_rules_stay_under_the_engine_limits():
    rules = "\n".join(f"  - {{id: r{i}, when: \"a >= {i % 3} and (b > 0 or flag)\", points: 1}}" for i in range(60))
    program = riskgrade.loads_pack(LOWERING_PACK.split("rules:")[0] + "rules:\n" + rules + "\n")
    records = agree(program, [{"a": 5, "b": 1, "flag": True}, {"a": 1}, {}])
    assert len(records[0]["fired"]) == 60


_CACHE: dict[str, object] = {}


def _lowering_program():
    if "lower" not in _CACHE:
        _CACHE["lower"] = riskgrade.loads_pack(LOWERING_PACK)
    return _CACHE["lower"]


def _grader():
    if "grader" not in _CACHE:
        _CACHE["grader"] = DurableGrader(_lowering_program())
    return _CACHE["grader"]


def test_dates_as_of_matter(full_pack):
    agree(full_pack, [{"kind": "x", "opened": "1996-07-01", "area": 10}], as_of=dt.date(2026, 6, 30))
