"""Graded results read back from any output format carry the contract's types and values."""

from __future__ import annotations

import datetime as dt

import pytest

import riskgrade
from riskgrade.io.read_grades import GRADES_SCHEMA, read_grades

PACK = """
pack: p
version: "1"
title: {zh: 示例, en: Demo}
owner: {zh: 派出所, en: Police station}
fields:
  exits: {type: integer, min: 0}
  last_inspection: {type: date}
levels:
  - {id: red, label: {zh: 重大风险, en: Major}, color: red}
  - {id: blue, label: {zh: 低风险, en: Low}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 10}, {level: blue, max: 10}]
rules:
  - {id: few_exits, when: "exits < 2", points: 10}
  - {id: no_exit, when: "exits < 1", points: 1}
inspection:
  last_inspection: last_inspection
  interval_days: {red: 30, blue: 365}
  modifiers:
    - {id: very_few, when: "exits < 1", multiply: 0.5}
"""


@pytest.mark.parametrize("ext", ["csv", "jsonl", "parquet", "xlsx"])
def test_every_format_reads_back_to_the_contract(tmp_path, ext):
    rows = [{"entity_id": "A", "exits": 0, "last_inspection": "2026-01-05"}, {"entity_id": "B", "exits": 1},
            {"entity_id": "C", "exits": 4, "last_inspection": "2025-12-01"}]
    result = riskgrade.grade_table(rows, riskgrade.loads_pack(PACK), as_of=dt.date(2026, 3, 1))
    path = tmp_path / f"graded.{ext}"
    result.write(path)
    back = read_grades(path)
    for field in GRADES_SCHEMA:
        assert back.schema.field(field.name).type == field.type, field.name
        assert back.column(field.name).to_pylist() == result.long.column(field.name).to_pylist(), field.name
    assert back.column("inspection_modifiers").to_pylist() == [["very_few"], [], []]


def test_a_value_that_cannot_be_read_back_is_named(tmp_path):
    path = tmp_path / "graded.csv"
    path.write_text("entity_id,pack,rank\nA,p,first\n", encoding="utf-8")
    with pytest.raises(riskgrade.InputError, match="rank") as info:
        read_grades(path)
    assert info.value.row == 2
