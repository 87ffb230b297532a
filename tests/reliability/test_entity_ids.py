"""One entity, one id: a byte-order mark or a zero-width space inside an id does not make a second
entity, and the ids given to rows without one never collide, across files or with real ids."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
from hypothesis import given, strategies as st

import riskgrade
from riskgrade.api import EXAMPLE_PACK
from riskgrade.table.ids import normalise_id, normalise_ids

AS_OF = dt.date(2026, 1, 1)


def _pack() -> riskgrade.Program:
    return riskgrade.loads_pack(EXAMPLE_PACK)


def test_invisible_characters_inside_an_id_do_not_make_a_second_entity(tmp_path: Path):
    # two exports concatenated: the second one's BOM now sits at the start of a data row
    path = tmp_path / "joined.csv"
    path.write_bytes("entity_id,exits\nFS-1,1\nFS-2,3\n".encode() + "\ufeffFS-1,1\nFS\u200b-2 ,3\nCafe\u0301,2\nCafé,2\n".encode())
    result = riskgrade.grade_table(path, _pack(), as_of=AS_OF)
    assert [r["entity_id"] for r in result.to_records()] == ["FS-1", "FS-2", "Café"]
    assert [(r.row, r.entity_id, r.code) for r in result.rejects] == [
        (4, "FS-1", "RG405"), (5, "FS-2", "RG405"), (7, "Café", "RG405")]
    assert riskgrade.grade({"entity_id": "\ufeffFS-1 ", "exits": 1}, _pack(), as_of=AS_OF).entity_id == "FS-1"


def test_rows_without_ids_are_named_apart_in_every_file(tmp_path: Path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("entity_id,exits\nx,1\n,2\n,3\n", encoding="utf-8")
    b.write_text("entity_id,exits\ny,1\n,2\nrow-3,3\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    counts, rejects = riskgrade.grade_file([str(a), str(b)], _pack(), out, as_of=AS_OF)
    ids = [json.loads(line)["entity_id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == ["x", f"{a}:row-3", f"{a}:row-4", "y", f"{b}:row-3", "row-3"]
    assert (counts.graded, counts.rejected, rejects) == (6, 0, [])


def test_a_real_id_equal_to_a_label_is_reported_not_merged(tmp_path: Path):
    path = tmp_path / "one.csv"
    path.write_text("entity_id,exits\n,1\nrow-2,3\n", encoding="utf-8")
    result = riskgrade.grade_table(path, _pack(), as_of=AS_OF)
    (reject,) = result.rejects
    assert (reject.row, reject.entity_id) == (3, "row-2")
    assert "first seen at row 2 (a row without an id is called row-<line>)" in reject.reason


def test_a_repeated_id_says_in_which_file_it_was_first_seen(tmp_path: Path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("entity_id,exits\nx,1\n", encoding="utf-8")
    b.write_text("entity_id,exits\nz,1\nx,2\n", encoding="utf-8")
    _, (reject,) = riskgrade.grade_file([str(a), str(b)], _pack(), tmp_path / "o.jsonl", as_of=AS_OF)
    assert (reject.source, reject.row) == (str(b), 3) and f"first seen at row 2 of {a}" in reject.reason


def test_odd_id_cells_become_text_not_errors():
    rows = [{"entity_id": 1e400, "exits": 1}, {"entity_id": 1e20, "exits": 1}, {"entity_id": 2.0, "exits": 1},
            {"entity_id": [1, 2], "exits": 1}, {"entity_id": {"a": 1}, "exits": 1}]
    result = riskgrade.grade_table(rows, _pack(), as_of=AS_OF)
    assert result.counts.rows_in == 5 == result.counts.graded + result.counts.rejected


@given(st.lists(st.text(alphabet="aé\u0301\ufeff\u200b \u3000-1", max_size=6) | st.none(), max_size=8))
def test_one_id_and_a_column_of_ids_are_normalised_alike(texts):
    column = normalise_ids(pa.array(texts, pa.string())).to_pylist()
    assert column == [None if t is None else normalise_id(t) for t in texts]
