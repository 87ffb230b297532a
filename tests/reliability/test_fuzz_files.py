"""Fuzzed entity files: whatever the bytes, grading ends in results or one RiskgradeError (never
another exception), and every row read is graded or rejected — rows in = graded + rejected; for
JSON Lines, rows in = the lines that hold anything."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import riskgrade
from riskgrade import InputError, RiskgradeError
from riskgrade.cli.main import main

# Arrow reports what fails inside its callbacks as "Exception ignored … Traceback" on stderr
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")

AS_OF = dt.date(2026, 6, 30)
PACK = """pack: fz
version: "1"
title: {en: Fuzz}
owner: {en: Station}
fields:
  n: {type: integer, min: 0}
  x: {type: number}
  ok: {type: boolean}
  day: {type: date}
  kind: {type: category, values: [a, 乙]}
  rows: {type: list, items: {v: {type: number}}}
levels:
  - {id: red, label: {en: R}, color: red}
  - {id: blue, label: {en: B}, color: blue}
score: {method: sum, bands: [{level: red, min: 10}, {level: blue, max: 10}]}
rules:
  - {id: r, when: "n > 3 or x < 0 or ok or kind == 'a' or days_since(day) > 10 or sum(rows, v) > 1", points: 10}
inspection:
  interval_days: {red: 30, blue: 365}
  last_inspection: day
"""
PIECES = ["1", "-2", "3.5", "1e308", "１", "1_0", "nan", "true", "是", "a", "乙", "2026-01-01", "9999-12-31",
          "2025-02-21 x", '"', '""', ",", "\n", "\r\n", "\r", "\t", " ", "\ufeff", "\x00", "\x1b[2J", "=1+2",
          '[{"v": 1}]', "[", "{", "}", "\\", "é", "🔥"]
cells = st.lists(st.sampled_from(PIECES), max_size=4).map("".join)
csv_lines = st.lists(st.lists(cells, min_size=0, max_size=8).map(",".join), max_size=12)
raw_bytes = st.sampled_from([b"", b"\xff\xfe", b"\xe4\xb8", b"\x80", codecs.BOM_UTF8])


@pytest.fixture(scope="module")
def pack() -> riskgrade.Program:
    return riskgrade.loads_pack(PACK)


def _accounted(result: riskgrade.GradeResult) -> None:
    c = result.counts
    assert c.rows_in == c.graded + c.rejected
    assert len({r.row for r in result.rejects}) == c.rejected
    assert result.wide.num_rows == c.graded


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=csv_lines, junk=raw_bytes, chunk_rows=st.sampled_from([1, 3, 65536]))
def test_fuzzed_csv_is_graded_or_refused(tmp_path_factory, pack, lines, junk, chunk_rows):
    path = tmp_path_factory.mktemp("csv") / "in.csv"
    path.write_bytes("entity_id,n,x,ok,day,kind,rows\n".encode() + "\n".join(lines).encode() + junk)
    try:
        result = riskgrade.grade_table(path, pack, as_of=AS_OF, chunk_rows=chunk_rows)
    except InputError:
        return
    _accounted(result)


json_pieces = st.sampled_from(['{"entity_id": "e", "n": 1}', '{"n": "x"}', "[]", "{", "null", '"s"', "1e999",
                               '{"x": NaN}', '{"rows": [{"v": 2}]}', '{"rows": "[{\\"v\\": 2}]"}', "",
                               " ", '{"n": ' + "9" * 30 + "}", '{"a": ' + "[" * 70 + "]" * 70 + "}",
                               '{"day": "9999-12-31"}', '{"entity_id": "\\u001b[2J"}', '{"kind": "乙"}'])
json_lines = st.lists(st.lists(json_pieces, min_size=1, max_size=3).map("".join), max_size=12)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=json_lines, junk=raw_bytes)
def test_fuzzed_json_lines_are_graded_or_refused_line_by_line(tmp_path_factory, pack, lines, junk):
    path = tmp_path_factory.mktemp("jsonl") / "in.jsonl"
    data = "\n".join(lines).encode() + junk
    path.write_bytes(data)
    try:
        result = riskgrade.grade_table(path, pack, as_of=AS_OF)
    except InputError as exc:
        assert "one JSON array" in str(exc)  # the only file-level refusal of JSON Lines
        return
    _accounted(result)
    filled = 0
    for i, raw in enumerate(data.split(b"\n")):
        raw = raw[len(codecs.BOM_UTF8):] if i == 0 and raw.startswith(codecs.BOM_UTF8) else raw
        try:
            filled += bool(raw.decode("utf-8").strip())
        except UnicodeDecodeError:
            filled += 1
    assert result.counts.rows_in == filled


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=csv_lines, suffix=st.sampled_from([".csv", ".jsonl"]))
def test_the_command_ends_with_an_exit_code_never_an_exception(tmp_path_factory, capsys, lines, suffix):
    folder = tmp_path_factory.mktemp("cli")
    src, rules = folder / f"in{suffix}", folder / "fz.yaml"
    src.write_text("entity_id,n,x,ok,day,kind,rows\n" + "\n".join(lines), encoding="utf-8")
    rules.write_text(PACK, encoding="utf-8")
    try:
        code = main(["grade", str(src), "--rules", str(rules), "--as-of", "2026-06-30", "-o",
                     str(folder / "o.csv"), "--rejects", str(folder / "r.csv"), "--quiet"])
    except RiskgradeError as exc:  # pragma: no cover - main turns these into exit codes
        pytest.fail(f"escaped main: {exc!r}")
    said = capsys.readouterr()
    assert code in (0, 1, 2) and "Traceback" not in said.err and "internal error" not in said.err
    assert "\x1b" not in said.err
