"""batch == reference == compiled: packs generated valid by construction, entities generated from
their fields (missing values, band edges, extreme numbers, Unicode text); every output column must
agree, and the compiled engine's records must equal the reference's exactly."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pyarrow as pa
from hypothesis import given, strategies as st

import riskgrade
from riskgrade.backends import compiled, reference
from riskgrade.grading import GradeOptions, Grader
from riskgrade.model.scoring import SCORE_METHODS
from riskgrade.table.chunks import RawChunk

FIELDS = """
fields:
  a: {type: number}
  b: {type: integer}
  flag: {type: boolean}
  kind: {type: category, values: [x, y, z]}
  label: {type: string}
  d: {type: date}
  items:
    type: list
    items:
      q: {type: number}
      t: {type: category, values: [p, q]}
parameters:
  mode: {type: category, values: [m1, m2], default: m1}
tables:
  kv: {kind: keyed, entries: {x: 1.5, y: -2}, default: 0}
  band: {kind: banded, bands: [{max: 0, value: 1}, {min: 0, max: 10, value: 2}, {min: 20, value: 3}]}
"""

EDGES = [0.0, 1.0, -1.0, 0.5, 2.0, 3.0, 10.0, 20.0, 1e6, -1e6, 1e300, 7.25]
NUM_LEAVES = ["a", "b", "kv[kind]", "band[a]", "days_since(d)", "years_since(d)", "count(items)",
              "sum(items, q)", "max(items, q * 2)", "min(items, q)", "count(items, t == 'p')", "n1"]
BOOL_LEAVES = ["flag", "kind == 'x'", "kind in ['x', 'y']", "label == 'héllo 火'", "d < '2020-01-01'",
               "is_missing(a)", "any(items, q > 3)", "all(items, t == 'p')", "mode == 'm1'", "b1",
               "kind != 'z'", "label not in ['a']"]


def _num(x: float) -> str:
    return repr(x) if x >= 0 else f"({x!r})"


def numbers_from(leaves: list[str]) -> st.SearchStrategy[str]:
    return st.recursive(
    st.sampled_from(leaves) | st.sampled_from(EDGES).map(_num),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "//", "%"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda x: f"({x} ** 2)"),
        inner.map(lambda x: f"abs({x})"),
        st.tuples(inner, st.integers(-2, 3)).map(lambda t: f"round({t[0]}, {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"min({t[0]}, {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} if {t[1]} > 0 else None)"),
    ),
    max_leaves=6,
)


# a grouped list (derive: grp, items grouped by t) read by the rules
GROUP_LEAVES = ["max(grp, s)", "sum(grp, s)", "count(grp, f)", "count(grp)"]
numbers = numbers_from(NUM_LEAVES + GROUP_LEAVES)


def booleans_from(nums: st.SearchStrategy[str], leaves: list[str] = BOOL_LEAVES) -> st.SearchStrategy[str]:
    cmp = st.tuples(nums, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), nums).map(
        lambda t: f"{t[0]} {t[1]} {t[2]}")
    return st.recursive(
        st.sampled_from(leaves) | cmp,
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda t: f"({t[0]} and {t[1]})"),
            st.tuples(inner, inner).map(lambda t: f"({t[0]} or {t[1]})"),
            inner.map(lambda x: f"(not {x})"),
            st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        ),
        max_leaves=5,
    )


conditions = booleans_from(numbers)


@st.composite
def packs(draw: st.DrawFn) -> str:
    method = draw(st.sampled_from(list(SCORE_METHODS)))  # every declared method, each with its keys
    declared = SCORE_METHODS[method]
    rules = []
    for i in range(draw(st.integers(1, 8))):
        effects = {"points": draw(st.sampled_from([0, 1, 2.5, 5, 10, -3]))}
        if draw(st.booleans()):
            effects["group"] = draw(st.sampled_from(["g1", "g2"]))
        if draw(st.integers(0, 4)) == 0:
            effects["set_level"] = draw(st.sampled_from(["red", "orange", "yellow", "blue"]))
        if draw(st.integers(0, 4)) == 0:
            effects["raise"] = draw(st.integers(1, 2))
        if draw(st.integers(0, 4)) == 0:
            effects["lower"] = draw(st.integers(1, 2))
        if draw(st.integers(0, 3)) == 0:
            effects["controls"] = draw(st.lists(st.sampled_from(["c1", "c2", "c3"]), min_size=1, max_size=2,
                                                unique=True))
        if draw(st.integers(0, 5)) == 0:
            effects["data_gap"] = draw(st.sampled_from(["a", "items.q", "items.t"]))
        if not any(effects.get(k) for k in ("points", "set_level", "raise", "lower", "controls", "data_gap")):
            effects["points"] = 1
        on_missing = draw(st.sampled_from([None, None, "worst", "error"]))
        if on_missing:
            effects["on_missing"] = on_missing
        body = ", ".join(f"{k}: {v!r}" if not isinstance(v, list) else f"{k}: [{', '.join(v)}]"
                         for k, v in effects.items()).replace("'", "")
        rules.append(f"  - {{id: r{i}, when: {draw(conditions)!r}, {body}}}")
    score = [f"  method: {method}"]
    if "base" in declared.requires:
        score.append("  base: 100")
    if "caps" in declared.allows and draw(st.booleans()):
        score.append("  caps: {g1: 6}")
    if "expr" in declared.requires:
        score.append(f"  expr: {draw(numbers)!r}")
    if "matrix" in declared.requires:
        score += ["  likelihood: 'coalesce(b, 1)'", "  severity: 'count(items) + 1'",
                  "  matrix: [[1, 2, 3], [2, 4, 6], [3, 6, 9]]"]
    cuts = sorted(draw(st.lists(st.sampled_from([-5, 0, 2, 5, 10, 20, 50, 90]), min_size=3, max_size=3,
                                unique=True)))
    score.append("  bands:")
    score.append(f"    - {{level: blue, max: {cuts[0]}}}")
    score.append(f"    - {{level: yellow, min: {cuts[0]}, max: {cuts[1]}}}")
    score.append(f"    - {{level: orange, min: {cuts[1]}, max: {cuts[2]}}}")
    score.append(f"    - {{level: red, min: {cuts[2]}}}")
    base_nums = numbers_from(NUM_LEAVES[:-1])  # n1 and b1 may not read themselves
    b1 = draw(booleans_from(st.sampled_from(NUM_LEAVES), BOOL_LEAVES[:-3] + BOOL_LEAVES[-2:]))
    group_s = draw(base_nums)  # aggregates inside see the group's items only
    group_f = draw(st.sampled_from(["s > 1", "s <= 0 or flag", "t == 'p'", "is_missing(s)", "any(items, q > s)"]))
    derive = (f"derive:\n  n1: {draw(base_nums)!r}\n  b1: {b1!r}\n"
              f"  grp:\n    group: items\n    by: t\n    values: {{s: {group_s!r}, f: {group_f!r}}}\n")
    applies = f"applies_when: {draw(conditions)!r}\n" if draw(st.booleans()) else ""
    on_missing = draw(st.sampled_from(["ignore", "worst", "error"]))
    return f"""
pack: gen
version: "1"
title: {{en: Generated}}
owner: {{en: Test}}
on_missing: {on_missing}
{applies}{FIELDS}{derive}
levels:
  - {{id: red, label: {{en: R}}, color: red}}
  - {{id: orange, label: {{en: O}}, color: orange}}
  - {{id: yellow, label: {{en: Y}}, color: yellow}}
  - {{id: blue, label: {{en: B}}, color: blue}}
score:
{chr(10).join(score)}
rules:
{chr(10).join(rules)}
controls:
  measures: {{c1: {{text: one}}, c2: {{text: two}}, c3: {{text: three}}}}
  by_level: {{red: [c1], orange: [c2]}}
  tiers: {{t: {{en: tier}}}}
  responsible: {{red: t}}
inspection:
  interval_days: {{red: 30, orange: 90, yellow: 180}}
  modifiers:
    - {{id: m, when: 'flag', multiply: 0.5, max_days: 60}}
  campaigns:
    - {{id: w, from: '11-01', to: '03-31', multiply: 0.5}}
"""


maybe = lambda s: st.none() | s  # noqa: E731
entities = st.fixed_dictionaries({
    "a": maybe(st.sampled_from(EDGES) | st.floats(-1e4, 1e4, allow_nan=False)),
    "b": maybe(st.integers(-3, 40)),
    "flag": maybe(st.booleans()),
    "kind": maybe(st.sampled_from(["x", "y", "z"])),
    "label": maybe(st.sampled_from(["héllo 火", "a", "", "b"]) | st.text(max_size=5)),
    "d": maybe(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))),
    "items": maybe(st.lists(st.fixed_dictionaries({
        "q": maybe(st.sampled_from(EDGES)), "t": maybe(st.sampled_from(["p", "q"]))}), max_size=4)),
})


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def batch_records(program, ents, as_of, params):
    rows = [{k: (v if k != "items" or v is None else __import__("json").dumps(v)) for k, v in e.items()}
            for e in ents]
    grader = Grader([program], GradeOptions(as_of=as_of, params=params))
    result = grader.grade_chunk(RawChunk(pa.Table.from_pylist(rows), np.arange(1, len(rows) + 1)))
    rejected = {r.row - 1 for r in result.rejects}
    graded = iter(result.long.to_pylist())
    return [None if i in rejected else next(graded) for i in range(len(ents))]


@given(packs(), st.lists(entities, min_size=1, max_size=12), st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)),
       st.sampled_from(["m1", "m2"]))
def test_batch_equals_reference(pack_text, ents, as_of, mode):
    program = riskgrade.loads_pack(pack_text)
    params = {"mode": mode}
    expected = reference.grade_records(program, ents, as_of, params)
    assert compiled.unsupported(program) is None
    assert compiled.grade_records(program, ents, as_of, params) == expected, pack_text
    got = batch_records(program, ents, as_of, params)
    for want, have in zip(expected, got):
        if "rejected" in want:
            assert have is None, (want, have)
            continue
        assert have is not None, want
        for key, value in want.items():
            assert _same(have[key], value), (key, value, have[key], pack_text)
