"""Grading semantics, checked on both engines: precedence of effects, missing data, score methods."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

import riskgrade
from riskgrade.backends import reference
from riskgrade.grading import GradeOptions, Grader
from riskgrade.table.chunks import RawChunk

AS_OF = dt.date(2026, 6, 30)
HEAD = """pack: t
version: 1
title: {en: T}
owner: {en: O}
fields:
  x: {type: number}
  y: {type: number}
  flag: {type: boolean}
levels:
  - {id: red, label: {en: R}, color: red}
  - {id: orange, label: {en: O}, color: orange}
  - {id: yellow, label: {en: Y}, color: yellow}
  - {id: blue, label: {en: B}, color: blue}
"""
SUM_BANDS = """score:
  method: sum
  bands: [{level: red, min: 30}, {level: orange, min: 20, max: 30}, {level: yellow, min: 10, max: 20},
          {level: blue, max: 10}]
"""


def both(pack_text: str, entity: dict) -> dict:
    """Grade with both engines, assert they agree, return the record."""
    program = riskgrade.loads_pack(pack_text)
    (ref,) = reference.grade_records(program, [entity], AS_OF)
    result = Grader([program], GradeOptions(as_of=AS_OF)).grade_chunk(RawChunk(pa.Table.from_pylist([entity]), np.array([1])))
    if "rejected" in ref:
        assert result.rejects, "batch graded a row the reference rejected"
        return ref
    (got,) = result.long.to_pylist()
    for key in ref:
        assert got[key] == ref[key], key
    return got


def test_band_then_veto_then_shift():
    pack = HEAD + SUM_BANDS + """rules:
  - {id: p, when: "x > 0", points: 12}
  - {id: veto, when: "flag", set_level: orange}
  - {id: up, when: "y > 5", raise: 1}
  - {id: down, when: "y < 0", lower: 2}
"""
    assert both(pack, {"x": 1, "y": 0, "flag": False})["level"] == "yellow"  # band
    assert both(pack, {"x": 1, "y": 0, "flag": True})["level"] == "orange"  # veto beats band
    assert both(pack, {"x": 1, "y": 9, "flag": False})["level"] == "orange"  # raise by one
    assert both(pack, {"x": 1, "y": 9, "flag": True})["level"] == "red"  # raise after veto
    assert both(pack, {"x": 1, "y": -1, "flag": False})["level"] == "blue"  # lower, clamped
    assert both(pack, {"x": 1, "y": -1, "flag": True})["level"] == "orange"  # a veto is a floor


def test_raise_is_clamped_to_the_scale():
    pack = HEAD + SUM_BANDS + 'rules:\n  - {id: up, when: "x > 0", raise: 9, points: 40}\n'
    assert both(pack, {"x": 1})["level"] == "red"


def test_most_severe_veto_wins():
    pack = HEAD + SUM_BANDS + """rules:
  - {id: a, when: "x > 0", set_level: yellow}
  - {id: b, when: "x > 1", set_level: orange}
"""
    assert both(pack, {"x": 2})["level"] == "orange"
    assert both(pack, {"x": 1})["level"] == "yellow"


def test_missing_data_is_unknown_not_false():
    pack = HEAD + SUM_BANDS + """rules:
  - {id: ignored, when: "x > 1", points: 40}
  - {id: worst, when: "y > 1", points: 15, on_missing: worst}
  - {id: decided, when: "flag or x > 1", points: 1}
"""
    r = both(pack, {"x": None, "y": None, "flag": True})
    assert r["fired"] == ["worst", "decided"]  # True or unknown is True
    assert r["level"] == "yellow" and r["data_gaps"] == ["x", "y"]
    r = both(pack, {"x": None, "y": 0, "flag": False})
    assert r["fired"] == [] and r["data_gaps"] == ["x"]


@pytest.mark.parametrize("when", ["x ** 0 == 1", "(x * 2) ** 0 > 0", "(x + y) ** 0.0 == 1"])
def test_a_power_of_missing_data_is_unknown(when):
    # numpy says nan ** 0 == 1; a missing input must stay unknown on every engine
    pack = HEAD + SUM_BANDS + f'rules:\n  - {{id: p, when: "{when}", points: 40}}\n'
    r = both(pack, {"x": None, "y": 0, "flag": True})
    assert r["fired"] == [] and r["data_gaps"] == ["x"]


def test_on_missing_error_rejects_the_entity():
    pack = HEAD + SUM_BANDS + 'rules:\n  - {id: strict, when: "x > 1", points: 1, on_missing: error}\n'
    r = both(pack, {"x": None})
    assert "rejected" in r and "strict" in r["rejected"][0][2]


@pytest.mark.parametrize("score, entity, expected_score, level", [
    ("method: sum\n  base: 5", {"x": 1, "y": 1}, 5 + 8 + 4, "yellow"),
    ("method: deduct\n  base: 30", {"x": 1, "y": 1}, 30 - 12, "yellow"),
    ("method: max", {"x": 1, "y": 1}, 8, "blue"),
    ("method: product", {"x": 1, "y": 1}, 32, "red"),
    ("method: expr\n  expr: 'rule_points * 2 + x'", {"x": 1, "y": 1}, 25, "orange"),
    ("method: matrix\n  likelihood: 'x'\n  severity: 'y'\n  matrix: [[1, 2], [3, 40]]", {"x": 2, "y": 2}, 40,
     "red"),
])
def test_every_score_method(score, entity, expected_score, level):
    pack = HEAD + f"""score:
  {score}
  bands: [{{level: red, min: 30}}, {{level: orange, min: 20, max: 30}}, {{level: yellow, min: 10, max: 20}},
          {{level: blue, max: 10}}]
rules:
  - {{id: a, when: "x > 0", points: 8, group: g}}
  - {{id: b, when: "y > 0", points: 4}}
"""
    r = both(pack, entity)
    assert (r["score"], r["level"]) == (expected_score, level)


def test_caps_limit_a_group():
    pack = HEAD + """score:
  method: sum
  caps: {g: 10}
  bands: [{level: red, min: 30}, {level: orange, min: 20, max: 30}, {level: yellow, min: 10, max: 20},
          {level: blue, max: 10}]
rules:
  - {id: a, when: "x > 0", points: 8, group: g}
  - {id: b, when: "x > 0", points: 8, group: g}
"""
    assert both(pack, {"x": 1})["score"] == 10


def test_unknown_matrix_score_takes_least_severe_level_and_lists_the_gap():
    pack = HEAD + """score:
  method: matrix
  likelihood: 'x'
  severity: 'y'
  matrix: [[1, 2], [3, 40]]
  bands: [{level: red, min: 30}, {level: blue, max: 30}]
"""
    r = both(pack, {"x": None, "y": 2})
    assert (r["score"], r["level"], r["data_gaps"]) == (None, "blue", ["x"])
    worst = both(pack.replace("fields:", "on_missing: worst\nfields:"), {"x": None, "y": 2})
    assert worst["level"] == "red"


def test_grading_date_is_an_input(full_pack):
    entity = {"kind": "x", "opened": "1996-07-01", "sprinkler": True, "area": 10, "floors": 1, "stock": []}
    young = riskgrade.grade(entity, full_pack, as_of=dt.date(2026, 6, 30))
    old = riskgrade.grade(entity, full_pack, as_of=dt.date(2026, 7, 1))
    assert young.packs[0].derived["age"] == 29 and old.packs[0].derived["age"] == 30
    assert "old" in old.packs[0].fired and "old" not in young.packs[0].fired


def test_campaign_window_wraps_the_year(full_pack):
    entity = {"kind": "x", "area": 5000, "sprinkler": True, "floors": 8, "stock": [], "last_inspection": "2026-01-01"}
    def interval(day):
        return riskgrade.grade(entity, full_pack, as_of=day).packs[0].inspection_interval_days
    assert interval(dt.date(2026, 6, 30)) == 90
    assert interval(dt.date(2026, 12, 31)) == 45 and interval(dt.date(2027, 1, 15)) == 45
    assert interval(dt.date(2026, 4, 1)) == 90
