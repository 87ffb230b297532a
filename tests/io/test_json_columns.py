"""JSON Lines built column by column are, byte for byte, what ``json.dumps`` writes row by row."""

from __future__ import annotations

import datetime as dt
import decimal

import pyarrow as pa
from hypothesis import given, settings, strategies as st

from riskgrade.io import json_columns
from riskgrade.io.json_columns import json_lines
from riskgrade.io.write_values import nan_to_null, to_json


def by_rows(table: pa.Table) -> bytes:
    """The reference: one ``json.dumps`` per row, as the writer did before."""
    if not table.num_rows:
        return b""
    return ("\n".join(to_json(row) for row in nan_to_null(table).to_pylist()) + "\n").encode("utf-8")


def by_columns(table: pa.Table) -> bytes:
    return b"".join(json_lines(table))


texts = st.text(alphabet=st.sampled_from(list("ab中é\"\\\n\t\r\x00\x1f\x7f =+'") + ["\u2028", "🔥"]), max_size=6)
floats = st.floats() | st.sampled_from([0.0, -0.0, 1e16, 1e15, 1e-5, 1e-4, 0.1, 2.0 ** 53, 2.0 ** 53 + 2, 5e-324,
                                        1.7976931348623157e308, 100.0, -3.0, 9007199254740993.0])
COLUMNS = {
    "s": (st.none() | texts, pa.string()),
    "f": (st.none() | floats, pa.float64()),
    "i": (st.none() | st.integers(-2 ** 63, 2 ** 63 - 1), pa.int64()),
    "b": (st.none() | st.booleans(), pa.bool_()),
    "d": (st.none() | st.dates(dt.date(1800, 1, 1), dt.date(2199, 12, 31)), pa.date32()),
    "l": (st.none() | st.lists(st.none() | texts, max_size=3), pa.list_(pa.string())),
    "li": (st.none() | st.lists(st.none() | st.integers(-5, 5), max_size=3), pa.list_(pa.int32())),
    "lf": (st.none() | st.lists(st.none() | floats, max_size=3), pa.list_(pa.float64())),
    "st": (st.none() | st.fixed_dictionaries({"u": st.none() | texts, "x": st.none() | floats}),
           pa.struct([("u", pa.string()), ("x", pa.float64())])),
    "ts": (st.none() | st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)), pa.timestamp("us")),
}


@settings(max_examples=40)
@given(st.data(), st.integers(0, 12), st.lists(st.sampled_from(sorted(COLUMNS)), min_size=1, max_size=6))
def test_columns_spell_what_rows_spell(data, n, names):
    arrays = {f"{name}{i}\"é": pa.array(data.draw(st.lists(COLUMNS[name][0], min_size=n, max_size=n)),
                                      COLUMNS[name][1]) for i, name in enumerate(names)}
    table = pa.table(arrays)
    assert by_columns(table) == by_rows(table)


def test_blocks_and_odd_types(monkeypatch):
    monkeypatch.setattr(json_columns, "BLOCK_ROWS", 3)
    monkeypatch.setattr(json_columns, "JOIN_ROWS", 2)
    table = pa.table({
        "dec": pa.array([decimal.Decimal("1.5"), None, decimal.Decimal("2"), None, decimal.Decimal("-0.25")]),
        "nil": pa.nulls(5), "cat": pa.array(["a", "b", None, "a", "c"]).dictionary_encode(),
        "time": pa.array([dt.time(8, 30), None, None, dt.time(0, 0), None]),
        "empty": pa.array([[], [], [], [], []], pa.list_(pa.string())), "f32": pa.array([1.5, None, 0.1, 2.0, 1e30], pa.float32()),
    })
    assert by_columns(table) == by_rows(table)
    assert by_columns(pa.table({"nil": pa.nulls(4)})) == b'{"nil": null}\n' * 4
    assert by_columns(table.slice(0, 0)) == b""
