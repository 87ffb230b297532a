"""A repeated entity id is rejected (naming the row of its first occurrence), whatever the chunking."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, strategies as st

import riskgrade
from riskgrade.table.ids import SeenIds


@given(st.lists(st.lists(st.sampled_from("abcdefghij") | st.text(max_size=3), max_size=20), max_size=12))
def test_seen_ids_matches_a_dictionary(batches):
    seen, oracle, row = SeenIds(), {}, 1
    for batch in batches:
        rows = np.arange(row, row + len(batch))
        got = seen.add(batch, rows)
        want = []
        for i, r in zip(batch, rows):
            want.append(oracle.get(i, -1))
            oracle.setdefault(i, int(r))
        assert got.tolist() == want
        row += len(batch)


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=30), st.integers(1, 7))
def test_rows_in_equals_graded_plus_rejected_with_duplicates(ids, chunk_rows):
    pack = riskgrade.loads_pack(riskgrade.api.EXAMPLE_PACK)
    rows = [{"entity_id": i, "exits": n % 3} for n, i in enumerate(ids)]
    result = riskgrade.grade_table(rows, pack, as_of=dt.date(2026, 1, 1), chunk_rows=chunk_rows)
    assert [r["entity_id"] for r in result.to_records()] == list(dict.fromkeys(ids))
    assert result.counts.rows_in == len(ids) == result.counts.graded + result.counts.rejected
    for reject in result.rejects:
        first = ids.index(ids[reject.row - 1]) + 1
        assert reject.code == "RG405" and f"first seen at row {first}" in reject.reason
