"""Same packs + same input + same grading date = byte-identical output files, whatever the chunk size
and whatever the format the same rows were read from."""

from __future__ import annotations

import datetime as dt
import hashlib
import runpy
from pathlib import Path

import pytest
from openpyxl import load_workbook

import riskgrade

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 1)  # inside the winter campaign, so campaign intervals are exercised too
ROWS = 90


@pytest.fixture(scope="module")
def venues(tmp_path_factory) -> dict[str, Path]:
    """The same generated venues (a few deliberately bad) as csv, jsonl and parquet."""
    folder = tmp_path_factory.mktemp("venues")
    generate = runpy.run_path(str(ROOT / "benchmarks" / "generate_venues.py"))["main"]
    out = {}
    for kind in ("csv", "jsonl", "parquet"):
        out[kind] = folder / f"venues.{kind}"
        assert generate(["--n", str(ROWS), "--seed", "11", "--bad-rows", "4", "--out", str(out[kind])]) == 0
    return out


@pytest.fixture(scope="module")
def packs() -> list[riskgrade.Program]:
    return riskgrade.load_packs(ROOT / "rules" / "fire_safety.yaml")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("out_kind", ["jsonl", "csv", "parquet"])
def test_output_bytes_do_not_depend_on_chunks_or_input_format(venues, packs, tmp_path, out_kind):
    digests: dict[str, list[str]] = {}
    reject_lists = set()
    for in_kind, source in venues.items():
        for chunk_rows in (1, 7, 65536):
            out = tmp_path / f"{in_kind}-{chunk_rows}.{out_kind}"
            counts, rejects = riskgrade.grade_file(source, packs, out, as_of=AS_OF, chunk_rows=chunk_rows)
            assert counts.rows_in == ROWS == counts.graded + counts.rejected
            digests.setdefault(digest(out), []).append(f"{in_kind}/{chunk_rows}")
            reject_lists.add(tuple((r.entity_id, r.field, r.code) for r in rejects))
    assert len(digests) == 1, digests
    assert len(reject_lists) == 1 and len(next(iter(reject_lists))) >= 4


def test_xlsx_cells_do_not_depend_on_chunks(venues, packs, tmp_path):
    """An xlsx file stores the time it was written, so its bytes differ; its cells must not."""
    sheets = []
    for chunk_rows in (7, 65536):
        out = tmp_path / f"{chunk_rows}.xlsx"
        riskgrade.grade_file(venues["csv"], packs, out, as_of=AS_OF, chunk_rows=chunk_rows)
        book = load_workbook(out, read_only=True)
        sheets.append({ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets})
        book.close()
    assert sheets[0] == sheets[1] and len(sheets[0]["grades"]) > ROWS - 10


def test_a_second_run_gives_the_same_bytes(venues, packs, tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    riskgrade.grade_file(venues["parquet"], packs, first, as_of=AS_OF)
    riskgrade.grade_file(venues["parquet"], packs, second, as_of=AS_OF)
    assert digest(first) == digest(second)
