"""Entity readers: every source kind, encodings, rejects, row numbers and chunking."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import riskgrade
from riskgrade.errors import InputError
from riskgrade.io import read_csv
from riskgrade.io.read import EntitySource, RawChunk, SourceReject, open_entities


def read_all(source: EntitySource) -> tuple[list[dict], list[int]]:
    """All rows as dicts and all row numbers, checking each chunk's shape on the way."""
    rows: list[dict] = []
    numbers: list[int] = []
    for chunk in source:
        assert isinstance(chunk, RawChunk)
        assert chunk.row_numbers.dtype == np.int64
        assert len(chunk.row_numbers) == chunk.table.num_rows
        rows += chunk.table.to_pylist()
        numbers += chunk.row_numbers.tolist()
    assert source.rows_read == len(rows)
    return rows, numbers


def write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- CSV -----------------------------------------------------------------------------------------

def test_csv_reads_every_cell_as_text_and_blank_cells_as_null(tmp_path):
    path = write_bytes(tmp_path, "v.csv", b" id ,code,exits\nv1,001,2\nv2,  ,\n")
    source = open_entities(path)
    rows, numbers = read_all(source)
    assert source.format == "csv" and source.name == str(path)
    assert rows == [{"id": "v1", "code": "001", "exits": "2"},
                    {"id": "v2", "code": None, "exits": None}]
    assert numbers == [2, 3]
    assert source.rejects == []


def test_csv_utf8_with_bom_strips_it_from_the_first_name(tmp_path):
    path = write_bytes(tmp_path, "v.csv", "名称,类型\n歌厅,ktv\n".encode("utf-8-sig"))
    source = open_entities(path)
    rows, _ = read_all(source)
    assert rows == [{"名称": "歌厅", "类型": "ktv"}]
    assert source.encoding == "utf-8"


def test_csv_gb18030_is_detected(tmp_path):
    text = "单位名称,场所类型,备注\n某某网吧,网吧,消防通道堵塞\n红星歌舞厅,歌舞厅,\n"
    path = write_bytes(tmp_path, "v.csv", text.encode("gb18030"))
    source = open_entities(path)
    rows, numbers = read_all(source)
    assert source.encoding == "gb18030"
    assert rows == [{"单位名称": "某某网吧", "场所类型": "网吧", "备注": "消防通道堵塞"},
                    {"单位名称": "红星歌舞厅", "场所类型": "歌舞厅", "备注": None}]
    assert numbers == [2, 3]


def test_csv_explicit_encoding_is_used(tmp_path):
    path = write_bytes(tmp_path, "v.csv", "名称\n加油站\n".encode("gbk"))
    rows, _ = read_all(open_entities(path, encoding="GBK"))
    assert rows == [{"名称": "加油站"}]


def test_csv_unknown_encoding_is_an_input_error(tmp_path):
    path = write_bytes(tmp_path, "v.csv", b"a\n1\n")
    with pytest.raises(InputError, match="unknown encoding"):
        open_entities(path, encoding="no-such-codec")


def test_csv_encoding_change_after_the_sample_names_the_line(tmp_path, monkeypatch):
    monkeypatch.setattr(read_csv, "SAMPLE_BYTES", 16)
    data = "id,name\n1,甲\n2,乙\n".encode() + "3,丙\n".encode("gb18030")
    path = write_bytes(tmp_path, "v.csv", data)
    with pytest.raises(InputError) as info:
        read_all(open_entities(path))
    assert info.value.row == 4
    assert "encoding" in str(info.value)


def test_csv_ragged_rows_are_rejected_and_the_rest_read(tmp_path):
    text = ("id,a,b\n"
            "1,x,y\n"
            "2,x\n"            # line 3: too few
            "3,x,y\n"
            "4,x,y,z\n"        # line 5: too many
            "5,x,y\n")
    path = write_bytes(tmp_path, "v.csv", text.encode())
    source = open_entities(path)
    rows, numbers = read_all(source)
    assert [r["id"] for r in rows] == ["1", "3", "5"]
    assert numbers == [2, 4, 6]
    assert [r.row for r in source.rejects] == [3, 5]
    assert source.rejects[0].reason.startswith("line has 2 cells, header has 3")
    assert "quote" in source.rejects[1].reason
    assert source.rows_read + len(source.rejects) == 5


def test_csv_line_numbers_count_lines_inside_quoted_cells(tmp_path):
    text = ('id,note,n\r\n'
            '1,"two\r\nlines",1\r\n'   # lines 2-3
            '2,x\r\n'                  # line 4, rejected
            '\r\n'                     # line 5, blank
            '3,"a\nb\nc",3\r\n'        # lines 6-8
            '4,"p\n\nq"\r\n'           # lines 9-11, rejected
            '5,,5\r\n')                # line 12
    path = write_bytes(tmp_path, "v.csv", text.encode())
    source = open_entities(path)
    rows, numbers = read_all(source)
    assert [r["id"] for r in rows] == ["1", "3", "5"]
    assert rows[0]["note"] == "two\r\nlines"
    assert numbers == [2, 6, 12]
    assert [r.row for r in source.rejects] == [4, 9]


def test_csv_quoted_crlf_split_between_two_reads_is_kept(tmp_path, monkeypatch):
    # A read boundary right after the "\r" of a quoted "\r\n" (apache/arrow#51368).
    monkeypatch.setattr(read_csv, "BLOCK_BYTES", 14)
    path = write_bytes(tmp_path, "v.csv", b'id,a,b\n1,2,"x\r\ny"\n3,4,5\n')
    rows, numbers = read_all(open_entities(path))
    assert [r["b"] for r in rows] == ["x\r\ny", "5"]
    assert numbers == [2, 4]


def test_csv_duplicate_header_names_are_an_input_error(tmp_path):
    path = write_bytes(tmp_path, "v.csv", b"id,name, name\n1,a,b\n")
    with pytest.raises(InputError, match="'name'"):
        open_entities(path)


def test_csv_empty_header_cells_get_column_names(tmp_path):
    path = write_bytes(tmp_path, "v.csv", b"id,,x,\n1,2,3,4\n")
    rows, _ = read_all(open_entities(path))
    assert rows == [{"id": "1", "column_2": "2", "x": "3", "column_4": "4"}]


def test_csv_empty_file_is_an_input_error_and_header_only_gives_no_rows(tmp_path):
    with pytest.raises(InputError, match="empty"):
        open_entities(write_bytes(tmp_path, "empty.csv", b""))
    source = open_entities(write_bytes(tmp_path, "header.csv", b"id,name\n"))
    assert read_all(source) == ([], [])
    assert source.columns == ["id", "name"]


def test_csv_lines_without_values_are_skipped(tmp_path):
    path = write_bytes(tmp_path, "v.csv", b"id,a\n1,x\n\n , \n,\n2,y\n\n")
    source = open_entities(path)
    rows, numbers = read_all(source)
    assert numbers == [2, 6] and not source.rejects


def test_tsv_uses_tabs(tmp_path):
    path = write_bytes(tmp_path, "v.tsv", "id\t名称\n1\t甲,乙\n".encode())
    rows, _ = read_all(open_entities(path))
    assert rows == [{"id": "1", "名称": "甲,乙"}]


_CELL = st.lists(st.sampled_from(["a", "中", " ", ",", '"', "\n", "\r\n", "\r", "1"]),
                 max_size=6).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(st.lists(_CELL, min_size=3, max_size=3),
                               st.lists(_CELL, min_size=1, max_size=5),
                               st.just([])), max_size=25),
       eol=st.sampled_from(["\n", "\r\n"]))
def test_csv_rows_and_line_numbers_match_pythons_csv_module(tmp_path, monkeypatch, rows, eol):
    monkeypatch.setattr(read_csv, "BLOCK_BYTES", 64)  # many blocks: rows straddle boundaries
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=eol)
    writer.writerow(["id", "a", "b"])
    for row in rows:
        if row:
            writer.writerow(row)
        else:
            buffer.write(eol)  # a blank line
    text = buffer.getvalue()
    path = write_bytes(tmp_path, "p.csv", text.encode())

    expected_rows, expected_lines, expected_rejects = [], [], []
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    start = reader.line_num + 1
    for record in reader:
        if record and len(record) != 3:
            expected_rejects.append(start)
        elif record and any(cell.strip() for cell in record):
            expected_rows.append([cell if cell.strip() else None for cell in record])
            expected_lines.append(start)
        start = reader.line_num + 1

    source = open_entities(path, chunk_rows=4)
    got, lines = read_all(source)
    assert [[r["id"], r["a"], r["b"]] for r in got] == expected_rows
    assert lines == expected_lines
    assert [r.row for r in source.rejects] == expected_rejects


# --- JSON Lines ----------------------------------------------------------------------------------

def test_jsonl_rows_rejects_and_line_numbers(tmp_path):
    lines = [
        json.dumps({"id": "c1", "inventory": [{"substance": "氯", "tonnes": 3}]}, ensure_ascii=False),
        "",
        '{"id": "c2", "inventory": [}',
        "[1, 2]",
        json.dumps({"id": "c3", "inventory": [], "extra": True}),
    ]
    path = write_bytes(tmp_path, "e.jsonl", "\n".join(lines).encode("utf-8-sig"))
    source = open_entities(path)
    rows, numbers = read_all(source)
    assert source.format == "jsonl"
    assert rows == [{"id": "c1", "inventory": [{"substance": "氯", "tonnes": 3}], "extra": None},
                    {"id": "c3", "inventory": [], "extra": True}]
    assert numbers == [1, 5]
    assert [r.row for r in source.rejects] == [3, 4]
    assert "not valid JSON" in source.rejects[0].reason
    assert "array" in source.rejects[1].reason


def test_jsonl_nested_records_become_list_of_struct(tmp_path):
    path = write_bytes(tmp_path, "e.ndjson",
                       b'{"inv": [{"s": "a", "t": 1}, {"s": "b", "t": 2.5}]}\n{"inv": null}\n')
    chunk = next(iter(open_entities(path)))
    kind = chunk.table.schema.field("inv").type
    assert pa.types.is_list(kind) and pa.types.is_struct(kind.value_type)


def test_jsonl_mixed_columns_become_text(tmp_path):
    data = [{"v": 1}, {"v": "2a"}, {"v": True}, {"v": {"k": "值"}}, {"v": None}, {"v": [1, 2]}]
    path = write_bytes(tmp_path, "e.jsonl",
                       "\n".join(json.dumps(d, ensure_ascii=False) for d in data).encode())
    chunk = next(iter(open_entities(path)))
    assert chunk.table.schema.field("v").type == pa.string()
    assert chunk.table.column("v").to_pylist() == ["1", "2a", "true", '{"k": "值"}', None, "[1, 2]"]


def test_a_json_array_file_is_refused_with_advice(tmp_path):
    path = write_bytes(tmp_path, "e.json", b'[\n  {"id": 1},\n  {"id": 2}\n]\n')
    with pytest.raises(InputError, match="JSON array"):
        open_entities(path)


# --- Parquet -------------------------------------------------------------------------------------

def test_parquet_keeps_types_and_refuses_a_truncated_file(tmp_path):
    path = tmp_path / "e.parquet"
    table = pa.table({"id": ["a", "b"], "n": [1, None], "d": [dt.date(2024, 1, 1), None]})
    pq.write_table(table, path)
    source = open_entities(path)
    rows, numbers = read_all(source)
    assert rows == table.to_pylist() and numbers == [1, 2]
    assert source.format == "parquet"
    truncated = write_bytes(tmp_path, "t.parquet", path.read_bytes()[:-30])
    with pytest.raises(InputError, match="not a readable Parquet file"):
        read_all(open_entities(truncated))
    with pytest.raises(InputError, match="not a readable Parquet file"):
        open_entities(write_bytes(tmp_path, "x.pq", b"not parquet at all"))


# --- xlsx ----------------------------------------------------------------------------------------

def _patch_sheet_xml(path: Path, old: str, new: str) -> None:
    """Edit the first sheet's XML, e.g. to give a formula the cached result Excel would store
    (openpyxl cannot compute formulas) or to declare a wrong size as some exporters do."""
    with zipfile.ZipFile(path) as zin:
        items = {name: zin.read(name) for name in zin.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert old.encode() in items[sheet]
    items[sheet] = items[sheet].replace(old.encode(), new.encode())
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in items.items():
            zout.writestr(name, data)


def test_xlsx_values_formulas_merged_cells_and_empty_rows(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "台账"
    ws.append([" 单位 ", "面积", None, "检查日期", "合计", "未算"])
    ws.append(["甲", 120, "x", dt.datetime(2024, 3, 1), "=B2*2", "=B2+1"])
    ws.append(["  ", 80.5, None, dt.datetime(2024, 4, 2), None, None])
    ws.append([None] * 6)  # an empty row inside the table is skipped
    ws.append(["丙", 10, "z", None, None, None])
    ws.merge_cells("A3:A5")  # only the top-left cell keeps a value
    ws.append([])
    ws.append([None, None])
    path = tmp_path / "e.xlsx"
    book.save(path)
    _patch_sheet_xml(path, "<f>B2*2</f><v />", "<f>B2*2</f><v>240</v>")
    _patch_sheet_xml(path, '<dimension ref="A1:F7" />', '<dimension ref="A1:A1" />')

    source = open_entities(path, sheet="台账")
    rows, numbers = read_all(source)
    assert source.format == "xlsx"
    assert numbers == [2, 3, 5]
    assert rows[0] == {"单位": "甲", "面积": 120, "column_3": "x", "检查日期": dt.date(2024, 3, 1),
                       "合计": 240, "未算": None}
    assert rows[1]["单位"] is None and rows[1]["面积"] == 80.5
    assert rows[2]["单位"] is None and rows[2]["column_3"] == "z"
    assert source.rejects == []


def test_xlsx_mixed_column_becomes_text_and_stray_cells_are_rejected(tmp_path):
    book = Workbook()
    ws = book.active
    ws.append(["id", "when"])
    ws.append(["a", dt.datetime(2024, 3, 1)])
    ws.append(["b", dt.datetime(2024, 3, 1, 8, 30)])
    ws.append(["c", "unknown"])
    ws.append(["d", True, "note without header"])
    ws.append([1, 5])
    path = tmp_path / "e.xlsx"
    book.save(path)
    source = open_entities(path)
    rows, numbers = read_all(source)
    assert [r["when"] for r in rows] == ["2024-03-01", "2024-03-01T08:30:00", "unknown", "5"]
    assert [r["id"] for r in rows] == ["a", "b", "c", "1"]
    assert numbers == [2, 3, 4, 6]
    assert [r.row for r in source.rejects] == [5]
    assert "column C" in source.rejects[0].reason


def test_xlsx_bad_sheet_and_bad_file(tmp_path):
    book = Workbook()
    book.active.append(["id"])
    path = tmp_path / "e.xlsx"
    book.save(path)
    with pytest.raises(InputError, match="no sheet 'x'.*'Sheet'"):
        open_entities(path, sheet="x")
    with pytest.raises(InputError, match="xlsx"):
        open_entities(write_bytes(tmp_path, "bad.xlsx", b"PK not a zip"))
    empty = Workbook()
    empty.save(tmp_path / "empty.xlsx")
    with pytest.raises(InputError, match="empty"):
        open_entities(tmp_path / "empty.xlsx")


# --- in-memory sources ---------------------------------------------------------------------------

def test_dataframe_mixed_object_column_becomes_text():
    frame = pd.DataFrame({"id": ["a", "b", "c"], "exits": [2, "two", None], " area ": [1.5, None, 3.0]},
                         index=[10, 20, 30])
    source = open_entities(frame)
    rows, numbers = read_all(source)
    assert source.format == "dataframe" and source.name == "<DataFrame>"
    assert numbers == [1, 2, 3]
    assert [r["exits"] for r in rows] == ["2", "two", None]
    assert [r["area"] for r in rows] == [1.5, None, 3.0]


def test_records_reject_non_dicts_and_a_generator_reads_once():
    records = [{"id": "a", "n": 1}, "oops", {"id": "b", "m": "x"}]
    source = open_entities(records)
    rows, numbers = read_all(source)
    assert source.format == "records"
    assert rows == [{"id": "a", "n": 1, "m": None}, {"id": "b", "n": None, "m": "x"}]
    assert numbers == [1, 3]
    assert source.rejects == [SourceReject(2, source.rejects[0].reason)]
    assert read_all(source)[1] == [1, 3]  # a list can be read again

    once = open_entities(r for r in records)
    read_all(once)
    with pytest.raises(InputError, match="read already"):
        read_all(once)


def test_one_dict_is_one_entity():
    assert read_all(open_entities({"id": "a", "exits": 2})) == ([{"id": "a", "exits": 2}], [1])


def test_arrow_record_batch():
    batch = pa.record_batch({"id": ["a", "b"], "n": [1, 2]})
    source = open_entities(batch)
    assert source.format == "arrow"
    assert read_all(source) == (batch.to_pylist(), [1, 2])


# --- chunking, formats, errors -------------------------------------------------------------------

def _ten_rows(kind: str, tmp_path: Path):
    table = pa.table({"id": [f"e{i}" for i in range(10)], "n": list(range(10))})
    frame = table.to_pandas()
    if kind == "csv":
        return write_bytes(tmp_path, "t.csv", frame.to_csv(index=False).encode()), 2
    if kind == "jsonl":
        return write_bytes(tmp_path, "t.jsonl", frame.to_json(orient="records", lines=True).encode()), 1
    if kind == "parquet":
        path = tmp_path / "t.parquet"
        pq.write_table(table, path, row_group_size=4)
        return path, 1
    if kind == "xlsx":
        book = Workbook(write_only=True)
        ws = book.create_sheet()
        ws.append(table.column_names)
        for row in table.to_pylist():
            ws.append(list(row.values()))
        book.save(tmp_path / "t.xlsx")
        return tmp_path / "t.xlsx", 2
    return {"dataframe": frame, "arrow": table, "records": table.to_pylist()}[kind], 1


@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet", "xlsx", "dataframe", "arrow", "records"])
def test_chunk_rows_cuts_exact_chunks_with_row_numbers(tmp_path, kind):
    source, first = _ten_rows(kind, tmp_path)
    chunks = list(open_entities(source, chunk_rows=3))
    assert [len(c) for c in chunks] == [3, 3, 3, 1]
    numbers = np.concatenate([c.row_numbers for c in chunks]).tolist()
    assert numbers == list(range(first, first + 10))
    assert [str(v) for c in chunks for v in c.table.column("n").to_pylist()] == \
        [str(i) for i in range(10)]


def test_format_argument_overrides_the_extension(tmp_path):
    path = write_bytes(tmp_path, "data.txt", b"id\tn\n1\t2\n")
    assert read_all(open_entities(path, format="tsv"))[0] == [{"id": "1", "n": "2"}]


def test_unknown_extension_missing_file_and_unknown_object(tmp_path):
    with pytest.raises(InputError, match="accepted: CSV"):
        open_entities(write_bytes(tmp_path, "e.xls", b"..."))
    missing = tmp_path / "nope.csv"
    with pytest.raises(InputError, match="no such file") as info:
        open_entities(missing)
    assert str(missing) in str(info.value)
    with pytest.raises(InputError, match="unknown format"):
        open_entities(missing, format="xml")
    with pytest.raises(InputError, match="cannot read entities"):
        open_entities(42)


def test_records_without_any_key_are_rows_still():
    """A dict with no keys is an entity with every field missing: counted and graded, never dropped."""
    pack = riskgrade.loads_pack(riskgrade.api.EXAMPLE_PACK)
    res = riskgrade.grade_table([{}, {}, {"exits": 1}], pack, as_of=dt.date(2026, 1, 1))
    assert str(res.counts) == "3 rows in = 3 graded + 0 rejected"
    assert [r["entity_id"] for r in res.to_records()] == ["row-1", "row-2", "row-3"]
    assert res.to_records()[0]["data_gaps"] == ["exits"]
