"""Values off the calendar or outside what a number holds are refused cell by cell, each row with its
reason; nothing lenient is guessed (``１７６７`` is not 1767); and no output, explanation or single
grading meets a date it cannot write. (Pack values that are not numbers: test_hostile_packs.)"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, strategies as st

import riskgrade
from riskgrade import InputError, OptionError
from riskgrade.cli.main import main
from riskgrade.io.read_grades import read_grades
from riskgrade.table.convert import convert_column, convert_value

AS_OF = dt.date(2026, 6, 30)
PACK = """
pack: demo
version: "1"
title: {en: Demo}
owner: {en: Station}
fields:
  exits: {type: integer, min: 0}
  area: {type: number}
  last: {type: date}
levels:
  - {id: red, label: {en: Major}, color: red}
  - {id: blue, label: {en: Low}, color: blue}
score: {method: sum, bands: [{level: red, min: 10}, {level: blue, max: 10}]}
rules:
  - {id: few, when: "exits < 2", points: 10}
inspection:
  interval_days: {red: 30, blue: 3650}
  last_inspection: last
  modifiers:
    - {id: big, when: "area > 100", multiply: 1.0e+300}
    - {id: huge, when: "area > 1000", multiply: 1.0e+300}
"""


@pytest.fixture(scope="module")
def pack() -> riskgrade.Program:
    return riskgrade.loads_pack(PACK)


def reasons(result: riskgrade.GradeResult) -> dict[str, str]:
    return {r.entity_id: f"{r.field}: {r.reason}" for r in result.rejects}


# --- dates off the calendar, intervals past ten years ----------------------------------------------

@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet", ".xlsx"])
def test_far_dates_and_huge_multipliers_reach_every_output(pack, tmp_path, suffix):
    src = tmp_path / "in.jsonl"
    rows = [{"entity_id": "far", "exits": 3, "last": "9999-12-31"},
            {"entity_id": "stretched", "exits": 3, "area": 5000, "last": "2199-12-31"},
            {"entity_id": "ok", "exits": 1, "last": "2026-01-01"}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / f"out{suffix}"
    counts, rejects = riskgrade.grade_file(src, pack, out, as_of=AS_OF)
    assert (counts.graded, counts.rejected) == (2, 1)
    assert rejects[0].entity_id == "far" and "outside 1800-01-01 … 2199-12-31" in rejects[0].reason
    back = read_grades(out) if suffix != ".parquet" else pq.read_table(out)
    got = {r["entity_id"]: r for r in back.to_pylist()}
    assert got["stretched"]["inspection_interval_days"] == 3650  # 3650 × 1e300 × 1e300, cut to ten years
    assert got["stretched"]["next_inspection"] == dt.date(2199, 12, 31) + dt.timedelta(days=3650)


def test_grade_and_explain_name_the_date_instead_of_overflowing(pack, tmp_path, capsys):
    with pytest.raises(InputError, match="last.*outside"):
        riskgrade.grade({"exits": 3, "last": dt.date(9999, 12, 31)}, pack, as_of=AS_OF)
    assert riskgrade.grade({"exits": 3, "area": 5000, "last": "2100-01-01"}, pack,
                           as_of=AS_OF).packs[0].inspection_interval_days == 3650
    rules = tmp_path / "demo.yaml"
    rules.write_text(PACK, encoding="utf-8")
    code = main(["explain", '{"exits": 3, "last": "9999-12-31"}', "--rules", str(rules), "--as-of", "2026-06-30"])
    shown = capsys.readouterr()
    assert code == 1 and "last: date 9999-12-31 is outside" in shown.out and not shown.err
    with pytest.raises(OptionError, match="as_of"):
        riskgrade.grade({"exits": 3}, pack, as_of=dt.date(9999, 1, 1))


def test_parquet_dates_and_times_python_cannot_hold_are_rejected_per_cell(pack, tmp_path):
    path = tmp_path / "far.parquet"
    pq.write_table(pa.table({
        "entity_id": ["a", "b", "c", "d"],
        "last": pa.array([0, 3_000_000, -800_000, 20_000], pa.int32()).cast(pa.date32()),
        "exits": pa.array([1, 2, 3, 2 ** 64 - 1], pa.uint64()),
    }), path)
    result = riskgrade.grade_table(path, pack, as_of=AS_OF)
    assert result.counts.rejected == 3 and result.to_records()[0]["entity_id"] == "a"
    why = reasons(result)
    assert "not a valid date" in why["b"] and "not a valid date" in why["c"]
    assert why["d"].startswith("exits: whole number") and "2^53" in why["d"]
    stamps = tmp_path / "stamps.parquet"
    pq.write_table(pa.table({"entity_id": ["a", "b"], "exits": [1, 1],
                             "last": pa.array([0, 2 ** 40], pa.timestamp("s"))}), stamps)
    result = riskgrade.grade_table(stamps, pack, as_of=AS_OF)
    assert (result.counts.graded, result.counts.rejected) == (1, 1) and reasons(result)["b"].startswith("last:")


# --- no lenient reading -------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["１７６７", "١٧٦٧", "1_767", "१७६७", "1 767", "0x6e7", "1767d"])
def test_numbers_in_other_digits_or_with_separators_are_not_numbers(pack, cell):
    result = riskgrade.grade_table([{"entity_id": "x", "area": cell}, {"entity_id": "y", "area": "1767"}], pack,
                                   as_of=AS_OF)
    assert reasons(result) == {"x": f"area: not a number: {cell!r}" + (
        " (write it with the digits 0-9 and no separators, e.g. 1767 or 12.5)" if cell in ("１７６７", "١٧٦٧", "1_767", "१७६७")
        else "")}


@pytest.mark.parametrize("cell, day", [
    ("2025-02-21", dt.date(2025, 2, 21)), ("2025-02-21T08:30:00", dt.date(2025, 2, 21)),
    ("2025-02-21 08:30", dt.date(2025, 2, 21)), ("2025/2/21 08:30:05.5+08:00", dt.date(2025, 2, 21)),
    ("2025-02-21 garbage", None), ("2025-02-21T", None), ("２０２５-02-21", None), ("2025-02-21 8:30 later", None),
])
def test_a_date_is_a_date_and_at_most_a_time_of_day(cell, day):
    field = riskgrade.loads_pack(PACK).fields[2]
    if day is None:
        with pytest.raises(ValueError, match="not a valid date"):
            convert_value(field, cell)
    else:
        assert convert_value(field, cell) == day


texts = st.text(alphabet="0123456789١１_.+-eE xa", max_size=8)


@given(st.lists(texts | st.none(), min_size=1, max_size=6))
def test_the_column_and_the_cell_read_numbers_alike(cells):
    """One cell decides whether a whole column takes Arrow's path or the cell-by-cell one: both must
    read every cell the same way."""
    field = riskgrade.loads_pack(PACK).fields[1]
    errors: dict = {}
    column = convert_column(field, pa.array(cells, pa.string()), len(cells), errors)
    for i, cell in enumerate(cells):
        try:
            want = convert_value(field, cell)
        except ValueError:
            assert i in errors, (cell, column[i])
            continue
        assert i not in errors, (cell, errors[i])
        assert (want is None and column[i] != column[i]) or column[i] == want, (cell, column[i], want)
