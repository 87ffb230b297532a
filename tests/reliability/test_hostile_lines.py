"""One hostile line costs its row, never the file: a JSON Lines line nested 100,000 deep, an integer
of 5,000 digits, a CSV cell of 2 MB."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import riskgrade
from riskgrade import InputError
from riskgrade.api import EXAMPLE_PACK

AS_OF = dt.date(2026, 1, 1)


def _pack() -> riskgrade.Program:
    return riskgrade.loads_pack(EXAMPLE_PACK)


def test_deep_and_huge_json_lines_are_rejected_one_by_one(tmp_path: Path):
    lines = [
        {"entity_id": "a", "exits": 1},
        '{"entity_id": "deep", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"entity_id": "digits", "exits": ' + "9" * 5000 + "}",
        '{"entity_id": "long", "exits": ' + "9" * 4000 + "}",
        '{"entity_id": "tower", "x": ' + "[" * 65 + "]" * 65 + "}",
        '{"entity_id": "ok-deep", "x": ' + "[" * 60 + "]" * 60 + "}",
        {"entity_id": "b", "exits": 3},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = riskgrade.grade_table(path, _pack(), as_of=AS_OF)
    assert (result.counts.rows_in, result.counts.graded, result.counts.rejected) == (7, 3, 4)
    why = {r.row: r.reason for r in result.rejects}
    assert "deeper than 64 levels" in why[2] and "deeper than 64 levels" in why[5]
    assert "thousands of digits" in why[3] and "not a finite number" in why[4]
    assert [r["entity_id"] for r in result.to_records()] == ["a", "ok-deep", "b"]
    shown = str(next(r for r in result.rejects if r.row == 4))
    assert len(shown) < 300 and "4,002 characters" in shown  # the message does not repeat 4,000 digits


def test_a_csv_cell_of_megabytes_is_read_not_refused(tmp_path: Path):
    """Arrow parses 1 MiB blocks and refuses a row that straddles two; the reader reads on from that
    row with larger blocks, and every line number stays true."""
    rows = ["entity_id,exits,name", "a,1,", "b,2,3,4", 'c,1,"' + "x" * (2 << 20) + '"', 'd,"4\nx",',
            "e,5,6,7", 'f,3,"' + "y" * (5 << 20) + '"', "g,1,"]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = riskgrade.grade_table(path, _pack(), as_of=AS_OF, keep=["name"], chunk_rows=2)
    assert (result.counts.rows_in, result.counts.graded, result.counts.rejected) == (7, 4, 3)
    assert [(r.row, r.entity_id) for r in result.rejects] == [(3, None), (5, "d"), (7, None)]
    names = {r["entity_id"]: r["name"] for r in result.to_records()}
    assert len(names["c"]) == 2 << 20 and len(names["f"]) == 5 << 20 and set(names) == {"a", "c", "f", "g"}


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_csv_cut_inside_a_character_is_refused_with_its_line(tmp_path: Path):
    """A ragged row is reported with its text, which Arrow decodes; a file cut inside a character
    made that decoding fail where no caller could catch it ("Exception ignored … Traceback")."""
    path = tmp_path / "cut.csv"
    path.write_bytes(b"entity_id,exits\na,1\nb,2,3,\xe4\xb8")
    with pytest.raises(InputError, match="row 3"):
        riskgrade.grade_table(path, _pack(), as_of=AS_OF)
