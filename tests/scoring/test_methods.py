"""Score methods are declared once and implemented once per engine: none is missing, an unknown one
is an error, and a new one needs nothing else."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import riskgrade
from riskgrade.errors import EngineError
from riskgrade.model.scoring import SCORE_METHODS, ScoreMethod, declare_score_method
from riskgrade.scoring.methods import ENGINES, IMPLEMENTATIONS, implementation, implements, missing_implementations

AS_OF = dt.date(2026, 1, 1)

PACK = """
pack: toy
version: "1"
title: {zh: 示例, en: Demo}
owner: {zh: 派出所, en: Police station}
fields:
  exits: {type: integer, min: 0}
  alarm: {type: boolean}
levels:
  - {id: red, label: {zh: 重大风险, en: Major}, color: red}
  - {id: blue, label: {zh: 低风险, en: Low}, color: blue}
score:
  method: METHOD
  bands: [{level: red, min: 2}, {level: blue, max: 2}]
rules:
  - {id: few_exits, when: "exits < 2", points: 10}
  - {id: no_alarm, when: "not alarm", points: 1}
"""


@pytest.fixture
def forget_toy():
    yield
    SCORE_METHODS.pop("fired_count", None)
    for engine in ENGINES:
        IMPLEMENTATIONS[engine].pop("fired_count", None)


def test_every_declared_method_is_implemented_by_every_engine():
    assert missing_implementations() == []


def test_a_declared_method_without_implementations_is_reported(forget_toy):
    declare_score_method(ScoreMethod("fired_count", "the number of rules fired"))
    assert [m for m, _ in missing_implementations()] == ["fired_count"] * len(ENGINES)
    with pytest.raises(EngineError, match="no batch implementation"):
        implementation("fired_count", "batch")


def test_an_unknown_method_is_an_error_never_a_fallback():
    with pytest.raises(EngineError, match="unknown score method 'median'"):
        implementation("median", "reference")
    with pytest.raises(riskgrade.PackError, match="unknown score method 'median'") as info:
        riskgrade.loads_pack(PACK.replace("METHOD", "median"), "toy.yaml")
    where = info.value.diagnostics[0].location
    assert (where.pointer, where.line) == ("/score/method", 13)


def test_adding_a_method_is_one_declaration_and_one_implementation_per_engine(forget_toy):
    declare_score_method(ScoreMethod("fired_count", "the number of rules fired, whatever their points"))

    @implements("fired_count", "batch")
    def batch(program, hits, column):
        return hits.sum(axis=1).astype(np.float64)

    @implements("fired_count", "reference")
    def reference(program, fired, value):
        return float(len(fired))

    @implements("fired_count", "compiled")
    def compiled(program, src, fired, value):  # Python source: the local holding the score
        score = src.temp("s")
        src.line(f"{score} = float(len([h for h in ({''.join(h + ', ' for h in fired.hits)}) if h]))")
        return score

    @implements("fired_count", "bounds")
    def bounds(program):
        return 0.0, float(len(program.rules))

    assert missing_implementations() == []
    pack = riskgrade.loads_pack(PACK.replace("METHOD", "fired_count"), "toy.yaml")
    entities = [{"entity_id": "A", "exits": 1, "alarm": False}, {"entity_id": "B", "exits": 1, "alarm": True},
                {"entity_id": "C", "exits": 3, "alarm": True}]
    expected = [(2.0, "red"), (1.0, "blue"), (0.0, "blue")]
    batch_rows = riskgrade.grade_table(entities, pack, as_of=AS_OF).to_records()
    assert [(r["score"], r["level"]) for r in batch_rows] == expected
    one_by_one = [riskgrade.grade(e, pack, as_of=AS_OF).packs[0] for e in entities]
    assert [(r.score, r.level) for r in one_by_one] == expected
