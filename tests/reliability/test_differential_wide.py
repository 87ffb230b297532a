"""batch == reference on packs that use every part of the format (tables of every kind, derived
values chained three deep, list fields, parameters of every type) and on entities at the edges:
band edges exactly, ±0.0, subnormals, 1e308, any Unicode text, dates across the range data may hold (1800 to 2199) and just beyond it.

Extends ``tests/property/test_differential.py`` (which covers every score method and effect over a
smaller field set); the batch side here goes through the public ``grade_table`` so that the
readers' conversion of Python values to Arrow is under test too.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings, strategies as st

import riskgrade
from riskgrade.backends import reference

from riskgrade.model.scoring import SCORE_METHODS

from genpacks import entities, pack_specs, packs, params, render


def same(a: object, b: object, signed_zero: bool = False) -> bool:
    """Equal, with NaN equal to NaN; ``signed_zero`` also tells -0.0 from 0.0 (which the output
    files show). Off in the property test: min/max may pick either zero of equal values."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and (not signed_zero or math.copysign(1, a) == math.copysign(1, b))
    return a == b


def compare(program: riskgrade.Program, ents: list[dict], as_of: dt.date, chosen: dict,
            signed_zero: bool = False) -> int:
    """Assert every output column agrees; returns the number of entities compared."""
    expected = reference.grade_records(program, ents, as_of, chosen)
    result = riskgrade.grade_table(ents, program, as_of=as_of, params=chosen)
    rejected = {r.row for r in result.rejects}
    graded = iter(result.to_records())
    assert result.counts.rows_in == len(ents) == result.counts.graded + result.counts.rejected
    for row, want in enumerate(expected, start=1):
        if "rejected" in want:
            assert row in rejected, (row, want)
            continue
        assert row not in rejected, (row, want, [str(r) for r in result.rejects if r.row == row])
        have = next(graded)
        for key, value in want.items():
            assert same(have[key], value, signed_zero), (key, value, have[key], ents[row - 1])
    return len(ents)


@given(packs(), st.lists(entities, min_size=1, max_size=10),
       st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)), params)
def test_batch_equals_reference_on_every_feature(pack_text, ents, as_of, chosen):
    program = riskgrade.loads_pack(pack_text, "wide.yaml")
    compare(program, ents, as_of, chosen)


@pytest.mark.parametrize("applies", [True, False], ids=["applies_when", "always"])
@pytest.mark.parametrize("method", list(SCORE_METHODS))
@settings(max_examples=4)
@given(data=st.data())
def test_generated_packs_compile(method, applies, data):
    """The generator's packs are valid by construction (a broken generator would test nothing): with
    every score method, with and without ``applies_when`` (matrix with applies_when is the rarest mix
    the property test draws), a pack compiles into what its structure says: the method, the
    applicability, the rules and the chained derived values. Drawn as a structure, a failure shrinks
    part by part instead of through the pack's text."""
    spec = data.draw(pack_specs(method=st.just(method), applies=st.just(applies)))
    program = riskgrade.loads_pack(render(spec))
    assert program.score.method == method
    assert (program.applies_when is None) == (spec.applies_when is None)
    assert [r.id for r in program.rules] == [f"r{i}" for i in range(len(spec.rules))]
    assert sorted(name for name, _ in program.derive) == ["d1", "d2", "d3", "d4", "d5"]


def test_power_agrees_to_the_last_bit():
    program = riskgrade.loads_pack(EXPONENT_PACK)
    ents = [{"x": 1e-09 + 20}]
    compare(program, ents, dt.date(2026, 1, 1), {})


EXPONENT_PACK = """
pack: pw
version: "1"
title: {en: Power}
owner: {en: Test}
fields: {x: {type: number}}
derive: {sq: 'x ** 2'}
levels:
  - {id: red, label: {en: R}, color: red}
  - {id: blue, label: {en: B}, color: blue}
score: {method: sum, bands: [{level: red, min: 400.00000004000003}, {level: blue, max: 400.00000004000003}]}
rules:
  - {id: r, when: 'sq >= 400.00000004000003', points: 400.00000004000003}
"""


def test_round_keeps_the_same_sign_of_zero():
    program = riskgrade.loads_pack(EXPONENT_PACK.replace("x ** 2", "round(x, 0)"))
    compare(program, [{"x": -0.0}, {"x": -0.4}], dt.date(2026, 1, 1), {}, signed_zero=True)
