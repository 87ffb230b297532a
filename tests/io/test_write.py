"""Result writers: round trips, exact spellings, xlsx ledger styling, atomic replacement."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from riskgrade.errors import OutputError
from riskgrade.io import write_xlsx
from riskgrade.io.read import open_entities
from riskgrade.io.write import ResultWriter, write_table

FORMATS = ["jsonl", "csv", "parquet", "xlsx"]


def results() -> pa.Table:
    return pa.table({
        "entity_id": ["v1", "v2", "v3"],
        "name": ["红星 KTV", '乙, "网吧"', None],
        "score": [85.5, None, 12.0],
        "rank": pa.array([1, None, 4], pa.int64()),
        "applies": [True, False, None],
        "fired": pa.array([["R1", "R2"], ["R3"], None], pa.list_(pa.string())),
        "level": ["major", "large", "low"],
        "color": ["red", "orange", "blue"],
        "next_inspection": pa.array([dt.date(2024, 5, 1), None, dt.date(2025, 1, 2)]),
    })


def read_back(path: Path) -> list[dict]:
    return [row for chunk in open_entities(path) for row in chunk.table.to_pylist()]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- round trips ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
def test_typed_formats_round_trip(tmp_path, kind):
    path = tmp_path / f"out.{kind}"
    write_table(results(), path)
    rows = read_back(path)
    expected = results().to_pylist()
    if kind == "jsonl":  # JSON has no date type
        for row in expected:
            row["next_inspection"] = row["next_inspection"] and row["next_inspection"].isoformat()
    assert rows == expected


def test_csv_round_trip_gives_text(tmp_path):
    path = tmp_path / "out.csv"
    write_table(results(), path)
    rows = read_back(path)
    assert rows[0] == {"entity_id": "v1", "name": "红星 KTV", "score": "85.5", "rank": "1",
                       "applies": "true", "fired": "R1;R2", "level": "major", "color": "red",
                       "next_inspection": "2024-05-01"}
    assert rows[1]["name"] == '乙, "网吧"' and rows[1]["score"] is None
    assert rows[2]["applies"] is None and rows[2]["fired"] is None


def test_xlsx_round_trip_keeps_numbers_dates_and_booleans(tmp_path):
    path = tmp_path / "out.xlsx"
    write_table(results(), path)
    rows = read_back(path)
    assert rows[0] == {"entity_id": "v1", "name": "红星 KTV", "score": 85.5, "rank": 1,
                       "applies": True, "fired": "R1; R2", "level": "major", "color": "red",
                       "next_inspection": dt.date(2024, 5, 1)}
    assert rows[1]["score"] is None and rows[1]["applies"] is False
    assert rows[2]["name"] is None and rows[2]["fired"] is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.text(max_size=8), st.one_of(st.none(), st.integers(-2**53, 2**53)),
                          st.lists(st.text(max_size=4), max_size=3)), max_size=20),
       st.sampled_from(["jsonl", "parquet"]))
def test_any_table_round_trips_through_typed_formats(tmp_path, rows, kind):
    table = pa.table({"s": [r[0] for r in rows], "n": pa.array([r[1] for r in rows], pa.int64()),
                      "l": pa.array([r[2] for r in rows], pa.list_(pa.string()))})
    path = tmp_path / f"h.{kind}"
    write_table(table, path)
    assert read_back(path) == table.to_pylist()


# --- exact spellings -----------------------------------------------------------------------------

def test_jsonl_spelling_is_fixed_and_repeatable(tmp_path):
    table = pa.table({"id": ["甲"], "x": [float("nan")], "when": [dt.datetime(2024, 3, 1, 8, 30)],
                      "ok": [True], "tags": [["a", "b"]]})
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_table(table, first)
    write_table(table, second)
    expected = '{"id": "甲", "x": null, "when": "2024-03-01T08:30:00", "ok": true, "tags": ["a", "b"]}\n'
    assert first.read_text(encoding="utf-8") == expected
    assert first.read_bytes() == second.read_bytes()


def test_csv_has_a_bom_a_header_and_joined_lists(tmp_path):
    path = tmp_path / "out.csv"
    with ResultWriter(path) as writer:
        writer.write(results().slice(0, 2))
        writer.write(results().slice(2))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    lines = data.decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and lines[0].startswith('"entity_id","name"')
    assert '"R1;R2"' in lines[1] and ",true," in lines[1]


def test_csv_writes_nested_and_temporal_values_as_text(tmp_path):
    table = pa.table({"when": [dt.datetime(2024, 3, 1, 8, 30)],
                      "items": pa.array([[{"substance": "氯", "tonnes": 3}]]),
                      "codes": pa.array([[1, None, 3]], pa.list_(pa.int64()))})
    path = tmp_path / "out.csv"
    write_table(table, path)
    assert read_back(path) == [{"when": "2024-03-01T08:30:00",
                                "items": '[{"substance": "氯", "tonnes": 3}]', "codes": "1;;3"}]


def test_parquet_later_chunks_are_cast_to_the_first_schema(tmp_path):
    path = tmp_path / "out.parquet"
    with ResultWriter(path) as writer:
        writer.write(pa.table({"id": ["a"], "score": [1.5]}))
        writer.write(pa.table({"score": pa.array([2], pa.int64()), "id": ["b"]}))
    table = pq.read_table(path)
    assert table.schema.field("score").type == pa.float64()
    assert table.to_pylist() == [{"id": "a", "score": 1.5}, {"id": "b", "score": 2.0}]


@pytest.mark.parametrize("kind", FORMATS)
def test_a_chunk_with_other_columns_is_refused(tmp_path, kind):
    with pytest.raises(OutputError, match="different columns"):
        with ResultWriter(tmp_path / f"out.{kind}") as writer:
            writer.write(pa.table({"id": ["a"]}))
            writer.write(pa.table({"other": ["b"]}))
    assert listing(tmp_path) == []


# --- xlsx ledger ---------------------------------------------------------------------------------

def test_xlsx_header_freeze_filter_and_level_colours(tmp_path):
    path = tmp_path / "ledger.xlsx"
    wide = pa.table({"entity_id": ["v1", "v2"], "overall_level": ["重大", "一般"],
                     "overall_color": ["红", "yellow"]})
    with ResultWriter(path, sheet_names=("分级结果", "总览")) as writer:
        writer.write(results().slice(0, 2), wide.slice(0, 1))
        writer.write(results().slice(2), wide.slice(1))

    book = load_workbook(path)
    assert book.sheetnames == ["分级结果", "总览"]
    ws = book["分级结果"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I4"
    assert all(cell.font.bold for cell in ws[1])
    level = {cell.value: cell for cell in ws["G"][1:]}
    assert level["major"].fill.fgColor.rgb == "00FF0000"
    assert level["major"].font.bold and level["major"].font.color.rgb == "00FFFFFF"
    assert level["large"].fill.fgColor.rgb == "00FFA500"
    assert level["low"].fill.fgColor.rgb == "001E90FF"
    assert level["low"].font.color.rgb == "00FFFFFF"
    assert ws["A2"].fill.fill_type is None  # only level cells are coloured
    assert ws.column_dimensions["B"].width >= 8

    overview = book["总览"]
    assert overview.auto_filter.ref == "A1:C3"
    assert overview["B2"].fill.fgColor.rgb == "00FF0000"
    assert overview["B3"].fill.fgColor.rgb == "00FFFF00"


def test_xlsx_refuses_more_rows_than_excel_holds(tmp_path, monkeypatch):
    monkeypatch.setattr(write_xlsx, "MAX_ROWS", 3)  # header + 2 rows
    path = tmp_path / "big.xlsx"
    with pytest.raises(OutputError, match="parquet or .csv"):
        with ResultWriter(path) as writer:
            writer.write(results().slice(0, 2))
            writer.write(results().slice(2))
    assert listing(tmp_path) == []


def test_xlsx_bad_sheet_names_are_refused(tmp_path):
    with pytest.raises(ValueError, match="sheet name"):
        ResultWriter(tmp_path / "x.xlsx", sheet_names=("a/b", "c"))
    assert listing(tmp_path) == []


# --- atomic replacement --------------------------------------------------------------------------

@pytest.mark.parametrize("kind", FORMATS)
def test_an_exception_keeps_the_previous_file(tmp_path, kind):
    path = tmp_path / f"out.{kind}"
    write_table(results(), path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError):
        with ResultWriter(path) as writer:
            writer.write(results().slice(0, 1))
            raise RuntimeError("interrupted")
    assert path.read_bytes() == before
    assert listing(tmp_path) == [path.name]


def test_nothing_appears_until_close(tmp_path):
    path = tmp_path / "out.jsonl"
    writer = ResultWriter(path)
    writer.write(results())
    assert not path.exists()
    assert len(listing(tmp_path)) == 1 and listing(tmp_path)[0].startswith(".out.jsonl.")
    writer.close()
    writer.close()  # a second close does nothing
    assert listing(tmp_path) == ["out.jsonl"]
    with pytest.raises(OutputError, match="closed"):
        writer.write(results())


def test_abort_and_a_forgotten_writer_leave_no_temporary_file(tmp_path):
    writer = ResultWriter(tmp_path / "out.csv")
    writer.write(results())
    writer.abort()
    assert listing(tmp_path) == []
    forgotten = ResultWriter(tmp_path / "out.parquet")
    forgotten.write(results())
    del forgotten
    assert listing(tmp_path) == []


def test_permissions_are_kept_or_ordinary(tmp_path):
    path = tmp_path / "out.jsonl"
    write_table(results(), path)
    assert stat.S_IMODE(path.stat().st_mode) != 0o600  # not mkstemp's private mode
    os.chmod(path, 0o640)
    write_table(results(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_single_table_formats_ignore_the_wide_table(tmp_path):
    path = tmp_path / "out.csv"
    with ResultWriter(path) as writer:
        writer.write(results(), pa.table({"entity_id": ["v1"], "overall_level": ["重大"]}))
    assert len(read_back(path)) == 3 and "overall_level" not in read_back(path)[0]


def test_bad_targets_are_output_errors(tmp_path):
    with pytest.raises(OutputError, match="extension"):
        ResultWriter(tmp_path / "out.txt")
    with pytest.raises(OutputError, match="does not exist"):
        ResultWriter(tmp_path / "missing" / "out.csv")
    write_table(results(), tmp_path / "out.data", format="jsonl")
    assert json.loads((tmp_path / "out.data").read_text(encoding="utf-8").splitlines()[0])["rank"] == 1
    assert listing(tmp_path) == ["out.data"]
