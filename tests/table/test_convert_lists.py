"""Lists of records: the vectorised path (Arrow's JSON reader) and the cell-by-cell path agree."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
from hypothesis import given, strategies as st

import riskgrade
from riskgrade.table.convert import _slow, convert_column

PACK = """
pack: l
version: "1"
title: {en: L}
owner: {en: O}
fields:
  stock:
    type: list
    items:
      substance: {type: category, values: [cl, nh3]}
      tonnes: {type: number, min: 0}
      sealed: {type: boolean}
levels:
  - {id: red, label: {en: R}, color: red}
  - {id: blue, label: {en: B}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 1}, {level: blue, max: 1}]
rules:
  - {id: big, when: "sum(stock, tonnes) > 10", points: 1}
"""
FIELD = riskgrade.loads_pack(PACK).fields[0]

item = st.fixed_dictionaries({}, optional={
    "substance": st.sampled_from(["cl", "nh3", "xx", None]),
    "tonnes": st.one_of(st.none(), st.integers(-2, 50), st.floats(0, 1e6), st.just("5.5")),
    "sealed": st.one_of(st.none(), st.booleans()),
    "extra": st.just(1),
})
cell = st.one_of(st.none(), st.just(""), st.just("not json"), st.just("{}"),
                 st.lists(item, max_size=4).map(lambda v: json.dumps(v, ensure_ascii=False)),
                 st.lists(item, max_size=3).map(lambda v: json.dumps(v, indent=2)))


def _plain(col):
    items = {k: (v.to_list() if hasattr(v, "to_list") else [None if np.isnan(x) else x for x in v.tolist()])
             for k, v in col.items.columns.items()}
    return col.offsets.tolist(), col.known.tolist(), items


@given(st.lists(cell, min_size=1, max_size=12))
def test_fast_and_cell_by_cell_lists_agree(cells):
    fast_errors, slow_errors = {}, {}
    fast = convert_column(FIELD, pa.array(cells, type=pa.string()), len(cells), fast_errors)
    slow = _slow(FIELD, cells, slow_errors)
    assert set(fast_errors) == set(slow_errors)
    if not slow_errors:
        assert _plain(fast) == _plain(slow)
