"""Hostile entity data: every bad cell is a rejected row naming its row and field, every unreadable
file is an InputError naming the file, the rest of the file is graded, and rows in = graded +
rejected — through ``grade_table`` and through ``riskgrade grade``."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings, strategies as st
from openpyxl import Workbook

import riskgrade
from riskgrade import InputError
from riskgrade.cli.main import main

AS_OF = dt.date(2026, 6, 30)
PACK = """
pack: venues
version: "1"
title: {en: Venues, zh: 场所}
owner: {en: Fire}
fields:
  kind: {type: category, values: [shop, 饭店, hotel], required: true}
  area: {type: number, min: 0}
  floors: {type: integer}
  sprinkler: {type: boolean}
  opened: {type: date}
  name: {type: string}
  stock:
    type: list
    items: {tonnes: {type: number, min: 0}}
levels:
  - {id: red, label: {en: R}, color: red}
  - {id: blue, label: {en: B}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 10}, {level: blue, max: 10}]
rules:
  - {id: big, when: "area >= 1000", points: 10}
  - {id: tall, when: "floors > 10", points: 10}
  - {id: dry, when: "not sprinkler and kind == '饭店'", points: 10}
  - {id: old, when: "years_since(opened) > 30", points: 5}
  - {id: stock, when: "sum(stock, tonnes) > 5", points: 10}
"""
COLUMNS = ["entity_id", "kind", "area", "floors", "sprinkler", "opened", "name", "stock"]
GOOD = {"entity_id": "ok", "kind": "shop", "area": "120", "floors": "3", "sprinkler": "是",
        "opened": "2001-05-04", "name": "小店 ☕", "stock": '[{"tonnes": 1}]'}

# (column, hostile cell, words the reason must contain); each makes its row rejected on that field
BAD_CELLS = [
    ("area", "abc", "not a number"), ("area", "NaN", "finite"), ("area", "inf", "finite"),
    ("area", "-Infinity", "finite"), ("area", "-5", "below the minimum"), ("area", "1e400", "finite"),
    ("area", "1,200", "not a number"), ("floors", "2.5", "whole number"), ("floors", "三", "not a number"),
    ("sprinkler", "maybe", "yes/no"), ("kind", "casino", "unknown value"), ("kind", "shops", "unknown value"),
    ("opened", "2026-02-30", "not a valid date"), ("opened", "31/12/2020", "not a valid date"),
    ("opened", "99999-01-01", "not a valid date"), ("opened", "yesterday", "not a valid date"),
    ("stock", "not json", "JSON"), ("stock", '[{"tonnes": -1}]', "below the minimum"),
    ("stock", '{"tonnes": 1}', "list"), ("kind", None, "required"),
]


@pytest.fixture(scope="module")
def pack() -> riskgrade.Program:
    return riskgrade.loads_pack(PACK, "venues.yaml")


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.DictWriter(f, COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path


def bad_rows() -> list[dict]:
    rows = []
    for i, (column, cell, _) in enumerate(BAD_CELLS):
        rows.append(dict(GOOD, entity_id=f"good{i}"))
        rows.append(dict(GOOD, entity_id=f"bad{i}", **{column: cell}))
    return rows


def assert_accounted(result, rows_in):
    c = result.counts
    assert c.rows_in == rows_in == c.graded + c.rejected
    assert c.graded == len(result.to_records())
    assert c.rejected == len({r.row for r in result.rejects})


@pytest.mark.parametrize("kind", ["records", "csv", "jsonl", "xlsx"])
def test_each_bad_cell_rejects_its_row_naming_row_and_field(pack, tmp_path, kind):
    rows = bad_rows()
    if kind == "records":
        source, first = rows, 1
    elif kind == "csv":
        source, first = write_csv(tmp_path / "v.csv", rows), 2
    elif kind == "jsonl":
        source, first = tmp_path / "v.jsonl", 1
        source.write_text("".join(json.dumps({k: v for k, v in r.items() if v is not None}, ensure_ascii=False)
                                  + "\n" for r in rows), encoding="utf-8")
    else:
        source, first = tmp_path / "v.xlsx", 2
        book = Workbook()
        book.active.append(COLUMNS)
        for r in rows:
            book.active.append([r[c] for c in COLUMNS])
        book.save(source)
    result = riskgrade.grade_table(source, pack, as_of=AS_OF)
    assert_accounted(result, len(rows))
    by_row = {r.row: r for r in result.rejects}
    assert len(by_row) == len(BAD_CELLS)
    for i, (column, cell, words) in enumerate(BAD_CELLS):
        r = by_row[first + 2 * i + 1]
        assert (r.entity_id, r.field) == (f"bad{i}", column), str(r)
        assert words in r.reason, str(r)
    assert sorted(rec["entity_id"] for rec in result.to_records()) == sorted(f"good{i}" for i in range(len(BAD_CELLS)))


def test_nan_and_infinity_as_floats_in_parquet_and_jsonl_are_rejected(pack, tmp_path):
    values = [1.0, math.nan, math.inf, -math.inf, -0.0, 5e-324, 1.7976931348623157e308]
    ids = [f"e{i}" for i in range(len(values))]
    pq.write_table(pa.table({"entity_id": ids, "kind": ["shop"] * 7, "area": values}), tmp_path / "v.parquet")
    (tmp_path / "v.jsonl").write_text("".join(json.dumps({"entity_id": i, "kind": "shop", "area": v}) + "\n"
                                              for i, v in zip(ids, values)))  # json writes NaN, Infinity
    for name in ("v.parquet", "v.jsonl"):
        result = riskgrade.grade_table(tmp_path / name, pack, as_of=AS_OF)
        assert_accounted(result, 7)
        assert [(r.row, r.field) for r in result.rejects] == [(2, "area"), (3, "area"), (4, "area")], name
        assert all("finite" in r.reason for r in result.rejects)
        levels = {rec["entity_id"]: rec["level"] for rec in result.to_records()}
        assert levels == {"e0": "blue", "e4": "blue", "e5": "blue", "e6": "red"}, name


def test_dates_off_the_calendar_are_rejected_and_its_ends_graded(pack):
    graded = ("1800-01-01", "1899-12-31", "2026-06-30", "2026-07-01", "2199-12-31")
    off = ("0001-01-01", "1799-12-31", "2200-01-01", "2999-01-01", "9999-12-31")
    rows = [{"entity_id": d, "kind": "shop", "opened": d} for d in graded + off]
    rows += [{"entity_id": f"py-{d}", "kind": "shop", "opened": dt.date.fromisoformat(d)} for d in off]
    result = riskgrade.grade_table(rows, pack, as_of=AS_OF)
    assert_accounted(result, len(rows))
    fired = {rec["entity_id"]: rec["fired"] for rec in result.to_records()}
    assert fired["1800-01-01"] == ["old"] and fired["2199-12-31"] == [] and fired["2026-07-01"] == []
    assert {r.entity_id for r in result.rejects} == set(off) | {f"py-{d}" for d in off}
    assert all(r.field == "opened" and "outside 1800-01-01 … 2199-12-31" in r.reason for r in result.rejects)


def test_wrong_python_types_are_rejected_or_read_as_their_text(pack):
    rows = [
        {"entity_id": 1, "kind": "shop", "area": True},          # a boolean is not a number
        {"entity_id": 2, "kind": "shop", "floors": 2 ** 53},     # whole, as large as a float holds exactly
        {"entity_id": 3, "kind": "shop", "opened": dt.datetime(2020, 1, 1, 12, 0)},
        {"entity_id": 4, "kind": ["shop"]},                      # a list in a category
        {"entity_id": 5, "kind": "shop", "stock": [{"tonnes": "x"}]},
        {"entity_id": 6, "kind": "shop", "sprinkler": 2},
        {"entity_id": 7, "kind": "shop", "name": "店", "area": {"value": 5}},
        {"entity_id": 8, "kind": "饭店", "area": 1000, "sprinkler": 0},
        {"entity_id": 9, "kind": "shop", "floors": 10 ** 30},    # whole, but not exactly a float
    ]
    result = riskgrade.grade_table(rows, pack, as_of=AS_OF)
    assert_accounted(result, len(rows))
    assert {(r.row, r.field) for r in result.rejects} == {(1, "area"), (4, "kind"), (5, "stock"), (6, "sprinkler"),
                                                          (7, "area"), (9, "floors")}
    graded = {rec["entity_id"]: rec for rec in result.to_records()}
    assert graded["2"]["fired"] == ["tall"] and graded["8"]["fired"] == ["big", "dry"]


def test_a_nested_value_in_a_carried_column_does_not_stop_the_run(pack):
    result = riskgrade.grade_table([{"entity_id": 1, "kind": "shop", "name": {"zh": "店"}}], pack, as_of=AS_OF)
    assert_accounted(result, 1)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_bom_and_gb18030_grade_like_utf8(pack, tmp_path, encoding):
    rows = [dict(GOOD, entity_id="甲1", kind="饭店", sprinkler="否", name="老字号·火锅"), dict(GOOD, area="坏")]
    plain = riskgrade.grade_table(write_csv(tmp_path / "u.csv", rows), pack, as_of=AS_OF)
    other = riskgrade.grade_table(write_csv(tmp_path / "o.csv", rows, encoding), pack, as_of=AS_OF)
    assert other.to_records() == plain.to_records()
    assert [str(r) for r in other.rejects] == [str(r) for r in plain.rejects] == [
        "row 3 (ok): area = '坏': not a number: '坏'"]
    assert plain.to_records()[0]["name"] == "老字号·火锅"


def test_xlsx_with_merged_cells_and_formulas(pack, tmp_path):
    book = Workbook()
    ws = book.active
    ws.append(COLUMNS)
    ws.append(["m1", "shop", 2000, 3, "是", None, "merged", None])
    ws.append([None, "shop", 10, 3, "是", None, None, None])
    ws.merge_cells("G2:G3")                        # the name spans two rows: only G2 holds it
    ws.append(["f1", "shop", "=A1*2", 3, "是", None, "formula", None])   # never calculated: no value
    ws.append(["f2", "shop", "=1/0", "=SUM(1,2)", "是", None, "error", None])
    ws.append(["ok", "hotel", 5, 2, "否", "2020-01-01", "fine", None])
    book.save(tmp_path / "v.xlsx")
    result = riskgrade.grade_table(tmp_path / "v.xlsx", pack, as_of=AS_OF)
    assert_accounted(result, 5)
    graded = {rec["entity_id"]: rec for rec in result.to_records()}
    assert set(graded) == {"m1", "row-3", "f1", "f2", "ok"}  # formulas without a cached value are missing
    assert graded["m1"]["fired"] == ["big"] and "area" in graded["f1"]["data_gaps"]


@pytest.mark.parametrize("name, content, words", [
    ("empty.csv", b"", "empty"),
    ("binary.csv", bytes(range(256)) * 64, "neither UTF-8 nor GB18030"),
    ("zero.parquet", b"", "Parquet"),
    ("text.parquet", b"entity_id,kind\n1,shop\n", "Parquet"),
    ("zip.xlsx", b"PK\x03\x04 not really", ".xlsx"),
    ("array.jsonl", b'[{"kind": "shop"}]', "JSON array"),
    ("utf16-less.csv", "entity_id,kind\n1,shop\n".encode("utf-16-le"), "NUL bytes"),
])
def test_unreadable_files_are_one_input_error_naming_the_file(pack, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        riskgrade.grade_table(path, pack, as_of=AS_OF)
    assert info.value.file == str(path) and words in str(info.value)


def test_a_truncated_parquet_file_is_an_input_error(pack, tmp_path):
    rows = pa.table({"entity_id": [str(i) for i in range(5000)], "kind": ["shop"] * 5000,
                     "area": [float(i) for i in range(5000)]})
    pq.write_table(rows, tmp_path / "full.parquet", row_group_size=1000)
    data = (tmp_path / "full.parquet").read_bytes()
    for cut in (len(data) // 2, len(data) - 9, 12):
        (tmp_path / "cut.parquet").write_bytes(data[:cut])
        with pytest.raises(InputError, match="not a readable Parquet file"):
            riskgrade.grade_table(tmp_path / "cut.parquet", pack, as_of=AS_OF)


def test_header_only_and_ragged_files(pack, tmp_path):
    (tmp_path / "h.csv").write_text(",".join(COLUMNS) + "\n")
    result = riskgrade.grade_table(tmp_path / "h.csv", pack, as_of=AS_OF)
    assert (result.counts.rows_in, result.to_records()) == (0, [])
    (tmp_path / "r.csv").write_text("entity_id,kind,area\n1,shop,5\n2,shop\n3,shop,5,6,7\n\n4,hotel,9\n5\n")
    result = riskgrade.grade_table(tmp_path / "r.csv", pack, as_of=AS_OF)
    assert_accounted(result, 5)
    assert [(r.row, "header has 3" in r.reason) for r in result.rejects] == [(3, True), (4, True), (7, True)]


def test_a_missing_required_column_rejects_every_row_by_name(pack, tmp_path):
    (tmp_path / "m.csv").write_text("entity_id,area\n1,5\n2,6\n")
    result = riskgrade.grade_table(tmp_path / "m.csv", pack, as_of=AS_OF)
    assert_accounted(result, 2)
    assert [(r.row, r.field, r.code) for r in result.rejects] == [(2, "kind", "RG402"), (3, "kind", "RG402")]


def test_a_missing_required_field_is_rejected_even_when_it_decides_applicability(tmp_path):
    program = riskgrade.loads_pack(PACK.replace("levels:", "applies_when: \"kind != 'hotel'\"\nlevels:"))
    result = riskgrade.grade_table([{"entity_id": "a", "area": 5}], program, as_of=AS_OF)
    assert [(r.row, r.field) for r in result.rejects] == [(1, "kind")]


def test_duplicate_entity_ids_are_rejected_naming_the_first_row(pack, tmp_path):
    rows = [dict(GOOD, entity_id="A"), dict(GOOD, entity_id="B"), dict(GOOD, entity_id="A")]
    result = riskgrade.grade_table(write_csv(tmp_path / "d.csv", rows), pack, as_of=AS_OF, chunk_rows=1)
    assert_accounted(result, 3)
    (r,) = result.rejects
    assert (r.row, r.field, r.entity_id) == (4, "entity_id", "A") and "row 2" in r.reason


# --- rows in = graded + rejected, whatever is injected where -----------------------------------

cells = st.sampled_from([c for _, c, _ in BAD_CELLS if c is not None] + ['"', '""', "\\", ",", "\n", "\r",
                                                                         "\x00", "\ufeff", "\u202e"])


@settings(max_examples=25)
@given(st.integers(1, 40), st.data(), st.sampled_from([1, 3, 65536]))
def test_rows_in_equals_graded_plus_rejected_under_random_injection(tmp_path_factory, n, data, chunk_rows):
    tmp = tmp_path_factory.mktemp("inject")
    rows = [dict(GOOD, entity_id=f"e{i}") for i in range(n)]
    bad = data.draw(st.sets(st.integers(0, n - 1), max_size=n))
    for i in sorted(bad):
        kind = data.draw(st.sampled_from(["cell", "ragged", "short"]))
        if kind == "cell":
            column, cell, _ = data.draw(st.sampled_from(BAD_CELLS))
            rows[i] = dict(rows[i], **{column: cell})
        else:
            rows[i] = dict(rows[i], _extra=kind)
    lines = [",".join(COLUMNS)]
    starts = []  # the physical line each row starts on (a quoted cell may hold line breaks)
    for r in rows:
        # \r\n, \r and \n each end a physical line (as in the reader and Python's universal newlines)
        starts.append(sum(line.count("\n") + line.count("\r") - line.count("\r\n") + 1 for line in lines) + 1)
        fields = [_csv_cell(r.get(c)) for c in COLUMNS]
        if r.get("_extra") == "ragged":
            fields.append(_csv_cell(data.draw(cells)))
        elif r.get("_extra") == "short":
            fields = fields[:3]
        lines.append(",".join(fields))
    path = tmp / "inj.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = riskgrade.grade_table(path, riskgrade.loads_pack(PACK), as_of=AS_OF, chunk_rows=chunk_rows)
    assert_accounted(result, n)
    assert {r.row for r in result.rejects} == {starts[i] for i in bad}
    assert {rec["entity_id"] for rec in result.to_records()} == {f"e{i}" for i in range(n) if i not in bad}


def _csv_cell(value: str | None) -> str:
    if value is None:
        return ""
    return '"' + value.replace('"', '""') + '"' if any(ch in value for ch in ',"\r\n') else value


# --- the CLI --------------------------------------------------------------------------------------

def test_cli_grades_the_rest_lists_rejects_and_exits_1(pack, tmp_path, capsys):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "venues.yaml").write_text(PACK, encoding="utf-8")
    src = write_csv(tmp_path / "in.csv", bad_rows())
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.csv"
    code = main(["grade", str(src), "--rules", str(tmp_path / "rules"), "--as-of", "2026-06-30",
                 "-o", str(out), "--rejects", str(rejects), "--quiet"])
    assert code == 1
    err = capsys.readouterr().err
    assert "rejected: row 3 (bad0): area = 'abc'" in err
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(BAD_CELLS)
    with open(rejects, encoding="utf-8-sig") as f:
        listed = list(csv.DictReader(f))
    assert len({r["row"] for r in listed}) == len(BAD_CELLS)


@pytest.mark.parametrize("content", [b"", bytes(range(256)) * 8])
def test_cli_unreadable_input_exits_2_and_writes_nothing(tmp_path, capsys, content):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "venues.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "in.csv").write_bytes(content)
    code = main(["grade", str(tmp_path / "in.csv"), "--rules", str(tmp_path / "rules"), "--as-of", "2026-06-30",
                 "-o", str(tmp_path / "out.jsonl"), "--quiet"])
    assert code == 2
    assert "in.csv" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "rules"]
