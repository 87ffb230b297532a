"""One Backend protocol: every engine satisfies it, the Grader takes any of them, and they give the
same output tables, byte for byte, on the shipped packs and example registries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

import riskgrade
from riskgrade import backends
from riskgrade.backends.base import Backend, grades_from_records, records_from_grades
from riskgrade.errors import OptionError
from riskgrade.grading import GradeOptions, Grader
from riskgrade.io.read import open_entities
from riskgrade.table import RawChunk

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 1)
ROWS = 60  # per example registry: enough for every pack to fire, veto and reject a few rows


@pytest.fixture(scope="module")
def packs():
    return riskgrade.load_packs(ROOT / "rules")


def _head(path: Path) -> RawChunk:
    chunk = next(iter(open_entities(path, chunk_rows=ROWS)))
    return RawChunk(chunk.table.slice(0, ROWS), chunk.row_numbers[:ROWS])


def test_every_engine_is_a_backend():
    assert list(backends.ENGINES) == ["batch", "reference", "durable", "compiled"]
    for name, engine in backends.ENGINES.items():
        assert isinstance(engine, Backend) and engine.name == name
    with pytest.raises(OptionError, match="engines: batch, reference, durable, compiled"):
        backends.engine("rete")


def test_the_grader_uses_the_batch_engine_unless_told(packs):
    assert Grader(packs, GradeOptions(as_of=AS_OF)).backend is backends.batch
    assert Grader(packs, GradeOptions(as_of=AS_OF), backend=backends.durable).backend is backends.durable


@pytest.mark.parametrize("example", ["venues.csv", "chemicals.csv", "small_venues.csv", "vehicles.csv"])
def test_every_engine_gives_the_same_tables_through_the_grader(packs, example):
    chunk = _head(ROOT / "examples" / example)
    results = {name: Grader(packs, GradeOptions(as_of=AS_OF), backend=engine).grade_chunk(chunk)
               for name, engine in backends.ENGINES.items()}
    want = results["batch"]
    assert want.long.num_rows > 0
    for name, got in results.items():
        assert got.long.equals(want.long) and got.wide.equals(want.wide), name
        assert got.rejects == want.rejects, name


def test_records_and_columns_are_two_views_of_the_same_grades(packs):
    chunk = _head(ROOT / "examples" / "chemicals.csv")
    program = next(p for p in packs if p.pack_id == "hazardous_chemicals")
    entities = chunk.table.to_pylist()
    records = backends.reference.grade_records(program, entities, AS_OF)
    assert backends.batch.grade_records(program, entities, AS_OF) == records
    assert backends.durable.grade_records(program, entities, AS_OF) == records
    assert backends.compiled.grade_records(program, entities, AS_OF) == records
    back = records_from_grades(grades_from_records(program, AS_OF, records))
    assert back == records
    assert sum("rejected" in r for r in records) and sum(bool(r.get("fired")) for r in records)
    assert np.isnan(grades_from_records(program, AS_OF, [{"rejected": []}]).score).all()
