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


def test_undecided_applicability_is_graded_undecided_with_the_gap():
    """An entity whose applicability depends on missing data is neither graded nor left out:
    ``applies`` is null, nothing fires, and data_gaps name the field that decides it."""
    pack = HEAD.replace("fields:\n", "fields:\n  kind: {type: string}\n") + SUM_BANDS + """applies_when: "kind == 'truck' and x >= 12"
rules:
  - {id: p, when: "y > 0", points: 12}
"""
    undecided = both(pack, {"kind": "truck", "y": 1})
    assert undecided["applies"] is None and undecided["level"] is None and undecided["fired"] == []
    assert undecided["data_gaps"] == ["x"]
    assert both(pack, {"kind": "coach", "y": 1})["applies"] is False  # decided without x
    assert both(pack, {"kind": "truck", "x": 12, "y": 1})["level"] == "yellow"


def test_strict_grading_rejects_undecided_rows():
    pack = HEAD.replace("fields:\n", "fields:\n  kind: {type: string}\n") + SUM_BANDS + """applies_when: "kind == 'truck' and x >= 12"
rules:
  - {id: p, when: "y > 0", points: 12}
"""
    program = riskgrade.loads_pack(pack)
    rows = [{"entity_id": "T1", "kind": "truck", "y": 1}, {"entity_id": "T2", "kind": "truck", "x": 20}]
    lenient = riskgrade.grade_table(rows, program, as_of=AS_OF)
    assert [r["applies"] for r in lenient.to_records()] == [None, True] and not lenient.rejects
    strict = riskgrade.grade_table(rows, program, as_of=AS_OF, strict=True)
    (reject,) = strict.rejects
    assert (reject.entity_id, reject.field, reject.code) == ("T1", "x", "RG406")
    assert "cannot tell whether pack t applies" in reject.reason
    assert str(strict.counts) == "2 rows in = 1 graded + 1 rejected"


LIST_HEAD = HEAD.replace("fields:\n", """fields:
  stock:
    type: list
    items:
      name: {type: string}
      tonnes: {type: number}
      water_pct: {type: number}
""")


def test_a_rule_names_a_data_gap_even_where_the_grade_is_computed():
    """``data_gap``: data the panel needs although a default stood in for it, named item by item."""
    pack = LIST_HEAD + SUM_BANDS + """rules:
  - {id: heavy, when: "sum(stock, tonnes) > 10", points: 12}
  - id: wet
    when: "any(stock, name == 'nc' and is_missing(water_pct))"
    data_gap: stock.water_pct
  - {id: x-needed, when: "is_missing(x) and flag", data_gap: x}
"""
    got = both(pack, {"stock": '[{"name": "nc", "tonnes": 20}, {"name": "ok", "tonnes": 1, "water_pct": 3}]',
                      "flag": True})
    assert got["level"] == "yellow" and got["fired"] == ["heavy", "wet", "x-needed"]
    assert got["data_gaps"] == ["stock.water_pct", "x"]  # fields in order, items after their list
    clean = both(pack, {"stock": '[{"name": "nc", "tonnes": 2, "water_pct": 30}]', "x": 1, "flag": True})
    assert clean["data_gaps"] == [] and clean["fired"] == []


def test_an_unknown_data_gap_is_a_located_error():
    pack = LIST_HEAD + SUM_BANDS + """rules:
  - {id: a, when: "flag", data_gap: stock.density}
  - {id: b, when: "flag", data_gap: nothing}
"""
    with pytest.raises(riskgrade.PackError) as err:
        riskgrade.loads_pack(pack)
    found = [(d.code, d.location.rule_id) for d in err.value.diagnostics]
    assert found == [("RG317", "a"), ("RG317", "b")]


UNITS_HEAD = HEAD.replace("fields:\n", """fields:
  stock:
    type: list
    items:
      unit: {type: string}
      tonnes: {type: number}
      q: {type: number}
""")
UNITS = UNITS_HEAD + """derive:
  units:
    group: stock
    by: unit
    values:
      s: "sum(stock, tonnes / q)"
      big: "s >= 1 and x > 0"
      n: "count(stock)"
  worst_s: "max(units, s) if count(units) > 0 else 0"
  major_units: "count(units, big)"
""" + SUM_BANDS + """rules:
  - {id: major, when: "major_units >= 1", points: 12}
  - {id: two, when: "count(units) >= 2", points: 1}
"""


def test_grouped_list_values_per_group_in_order_of_first_appearance():
    """Records grouped by an item field (records without one form one group); aggregates inside a
    group's values see its records only; the entity reads the groups as a list."""
    stock = [{"unit": "B", "tonnes": 5, "q": 10}, {"unit": "A", "tonnes": 3, "q": 1},
             {"tonnes": 1, "q": 2}, {"unit": "B", "tonnes": 6, "q": 10}]
    got = both(UNITS, {"stock": __import__("json").dumps(stock), "x": 1})
    assert got["units"] == [{"unit": "B", "s": 1.1, "big": True, "n": 2.0},
                            {"unit": "A", "s": 3.0, "big": True, "n": 1.0},
                            {"unit": None, "s": 0.5, "big": False, "n": 1.0}]
    assert got["worst_s"] == 3.0 and got["major_units"] == 2 and got["fired"] == ["major", "two"]
    none = both(UNITS, {"stock": "[]", "x": 1})
    assert none["units"] == [] and none["worst_s"] == 0 and none["fired"] == []
    gap = both(UNITS, {"stock": '[{"unit": "A", "tonnes": 3, "q": 1}]'})  # x missing: big unknown
    assert gap["units"] == [{"unit": "A", "s": 3.0, "big": None, "n": 1.0}]
    assert gap["fired"] == [] and gap["data_gaps"] == ["x"]
    missing = both(UNITS, {"x": 1})
    assert missing["units"] is None and missing["data_gaps"] == ["stock"]


def test_grouped_list_errors_are_located():
    bad = UNITS_HEAD + """derive:
  units:
    group: x
    by: unit
    values: {s: "sum(stock, tonnes)"}
  other:
    group: stock
    by: tonnes
    values: {s: "1"}
  third:
    group: stock
    by: unit
    values: {x: "1"}
""" + SUM_BANDS + "rules: []\n"
    with pytest.raises(riskgrade.PackError) as err:
        riskgrade.loads_pack(bad)
    found = sorted((d.code, d.location.pointer) for d in err.value.diagnostics)
    assert found == [("RG303", "/derive/third/values/x"), ("RG318", "/derive/other/by"),
                     ("RG318", "/derive/units/group")]


def test_grouped_lists_are_written_as_lists_of_records(tmp_path):
    rows = [{"entity_id": "E1", "x": 1, "stock": '[{"unit": "A", "tonnes": 3, "q": 1}, {"tonnes": 1, "q": 2}]'}]
    result = riskgrade.grade_table(rows, riskgrade.loads_pack(UNITS), as_of=AS_OF)
    result.write(tmp_path / "out.jsonl")
    result.write(tmp_path / "out.csv")
    line = __import__("json").loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert line["units"] == [{"unit": "A", "s": 3.0, "big": True, "n": 1.0},
                             {"unit": None, "s": 0.5, "big": False, "n": 1.0}]
    assert '""unit"": ""A""' in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")  # JSON in one cell
