"""The peer transcriptions of the fire-safety pack give riskgrade's levels and scores.

The benchmark compares speeds only after this agreement holds; these tests keep the peers honest
between benchmark runs (a changed pack, a changed engine, a changed peer).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import riskgrade
from riskgrade.grading import GradeOptions, Grader
from riskgrade.io.read import open_entities

pytest.importorskip("zen")
pytest.importorskip("durable")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from peers import fire_inputs  # noqa: E402
from peers.durable_fire import FireDurable  # noqa: E402
from peers.zen_fire import FireZen  # noqa: E402

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def venues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("generate_venues", ROOT / "benchmarks" / "generate_venues.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    path = tmp_path_factory.mktemp("venues") / "venues.parquet"
    # 20% of optional cells empty: the peers' handling of missing data is what most often drifts
    assert gen.main(["--n", "200", "--seed", "7", "--missing", "0.2", "--out", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def graded(venues: Path) -> tuple[list[dict], list[tuple[str, float]]]:
    program = riskgrade.load_pack(ROOT / "rules" / "fire_safety.yaml")
    grader = Grader([program], GradeOptions(as_of=AS_OF))
    ours = []
    for chunk in open_entities(venues):
        long = grader.grade_chunk(chunk).long
        ours += list(zip(long["level"].to_pylist(), long["score"].to_pylist()))
    return pq.read_table(venues).to_pylist(), ours


def _disagreements(rows: list[dict], ours: list[tuple], theirs: list[tuple]) -> list[str]:
    return [f"{rows[i]['entity_id']}: riskgrade {a}, peer {b}" for i, (a, b) in enumerate(zip(ours, theirs))
            if a != tuple(b)]


def test_zen_graph_gives_riskgrade_levels_and_scores(graded: tuple) -> None:
    rows, ours = graded
    zen = FireZen(AS_OF)
    theirs = [(r["level"], r["score"]) for r in map(zen.evaluate, fire_inputs.entity_records(rows, True))]
    assert len(theirs) == len(ours) == 200
    assert _disagreements(rows, ours, theirs) == []
    assert len({lv for lv, _ in ours}) >= 3  # the sample exercises several levels, not one


def test_zen_evaluate_batch_matches_evaluate(graded: tuple) -> None:
    rows, _ = graded
    zen = FireZen(AS_OF)
    records = fire_inputs.entity_records(rows[:50], True)
    assert zen.evaluate_batch(records) == [zen.evaluate(r) for r in records]


def test_durable_ruleset_gives_riskgrade_levels_and_scores(graded: tuple) -> None:
    rows, ours = graded
    durable = FireDurable(AS_OF)
    theirs = [durable.grade(e) for e in fire_inputs.entity_records(rows, False)]
    assert _disagreements(rows, ours, theirs) == []
    # grading the same entities again gives the same result: no fact is left behind or deduplicated
    assert [durable.grade(e) for e in fire_inputs.entity_records(rows[:20], False)] == theirs[:20]


def test_missing_values_are_unknown_in_every_engine() -> None:
    """A hotel with nothing known but its type: no veto, no points beyond the type's own, and the
    on_missing: worst rule (blocked exits) fires in all three."""
    program = riskgrade.load_pack(ROOT / "rules" / "fire_safety.yaml")
    entity = {"venue_type": "hotel"}
    ours = riskgrade.grade(entity, program, as_of=AS_OF).packs[0]
    assert "FS-C-7.3.3-B" in ours.fired
    zen = FireZen(AS_OF).evaluate(fire_inputs.entity_record(entity, True))
    durable = FireDurable(AS_OF).grade(fire_inputs.entity_record(entity, False))
    assert (zen["level"], zen["score"]) == durable == (ours.level, ours.score)
