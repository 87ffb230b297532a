"""The nine_small_venues pack: its examples on every engine, a few grades by hand, its data generator."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path

import pytest
import yaml

import riskgrade
from riskgrade.model import Pack
from riskgrade.packtest import run_examples

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "rules" / "nine_small_venues.yaml"
GENERATOR = ROOT / "benchmarks" / "generate_small_venues.py"
AS_OF = dt.date(2025, 6, 30)
# a tidy small shop; each test changes what it needs
SHOP = dict(entity_type="small_venue", small_category="shop", building_area_m2=120, underground=False, floor_level=1,
            floors_above_ground=2, occupancy=15, staff=4, dormitory_staff=0, exits=1, exits_blocked=False,
            extinguisher_count=2, extinguishers_ok=True, emergency_lighting_ok=True, evacuation_signs_ok=True,
            improper_wiring=False, gas_cylinder_violation=False, people_living_on_premises=False,
            dwelling_separated=False, stores_flammables=False, ebike_indoor_charging=False, fire_lane_blocked=False,
            combustible_decoration=False, fixed_window_bars=False, repeat_violation=False, open_hazards=0,
            last_inspection="2025-03-01")


@pytest.fixture(scope="module")
def program():
    return riskgrade.load_pack(PACK)


@pytest.fixture(scope="module")
def model() -> Pack:
    return Pack.model_validate(yaml.safe_load(PACK.read_text(encoding="utf-8")))


def _grade(program, params=None, **changes):
    return riskgrade.grade({**SHOP, **changes}, program, as_of=AS_OF, params=params).packs[0]


def test_examples_pass_on_every_engine(program):
    assert run_examples(program) == []


def test_examples_cover_levels_vetoes_and_bands(model: Pack):
    assert len(model.examples) >= 20
    assert {e.expect.level for e in model.examples} >= {"red", "orange", "yellow", "blue"}
    fired = {r for e in model.examples for r in e.expect.fired or []}
    special = {r.id for r in model.rules if r.set_level or r.raise_ or r.lower}
    assert special <= fired, f"no example fires {sorted(special - fired)}"
    scores = {e.expect.score for e in model.examples}
    assert {60, 61, 70, 71, 85, 86} <= scores, "every band edge has an example on each side"


def test_every_rule_cites_a_declared_basis_and_marks_local_choices(model: Pack):
    declared = {b.id for b in model.basis}
    for rule in model.rules:
        assert rule.basis and rule.basis.replace(";", " ").split()[0] in declared, rule.id
        assert rule.hazard and rule.hazard.zh and rule.hazard.en, rule.id
        if rule.local_choice:
            assert rule.note, rule.id
    assert model.inspection and model.inspection.local_choice


def test_checklist_deductions_band_into_the_four_levels(program):
    assert (_grade(program).level, _grade(program).score) == ("blue", 100)
    blocked = _grade(program, exits_blocked=True)
    assert (blocked.level, blocked.score) == ("yellow", 85)
    mixed = _grade(program, people_living_on_premises=True, improper_wiring=True, gas_cylinder_violation=True)
    assert (mixed.level, mixed.score) == ("red", 60)
    assert "separate_dwelling" in mixed.controls and mixed.responsible == "county_fire_brigade"


def test_flammables_where_people_sleep_is_red_whatever_the_score(program):
    r = _grade(program, people_living_on_premises=True, dwelling_separated=True, stores_flammables=True)
    assert r.level == "red" and r.score == 85 and "NS-V-3IN1-FLAM" in r.fired


def test_flammables_weigh_on_their_own(program):
    """A shop selling fireworks is not blue 100 because nobody sleeps there."""
    r = _grade(program, building_area_m2=60, stores_flammables=True)
    assert (r.level, r.score, r.fired, r.inspection_interval_days) == ("yellow", 85, ["NS-FLAM"], 90)
    assert "refer_public_order" in r.controls


def test_threshold_inclusive_parameter_moves_the_300_m2_shop(program):
    at_limit = dict(building_area_m2=300, extinguisher_count=4, occupancy=40)
    assert _grade(program, **at_limit).derived["is_small"] is True
    assert _grade(program, {"threshold_inclusive": False}, **at_limit).derived["is_small"] is False
    assert _grade(program, **{**at_limit, "building_area_m2": 301, "extinguisher_count": 5}).derived["is_small"] is False


def test_other_entities_are_not_graded(program):
    assert _grade(program, entity_type="vehicle").applies is False


def _generate(tmp_path: Path, name: str, *args: str) -> Path:
    """Run the generator's command line in this process (a subprocess would add a second per call)."""
    out = tmp_path / name
    assert _generator().main(["--out", str(out), *args]) == 0
    return out


def _generator():
    if "generate_small_venues" not in sys.modules:
        spec = importlib.util.spec_from_file_location("generate_small_venues", GENERATOR)
        module = importlib.util.module_from_spec(spec)
        sys.modules["generate_small_venues"] = module
        spec.loader.exec_module(module)
    return sys.modules["generate_small_venues"]


@pytest.mark.parametrize("ext", ["csv", "jsonl", "parquet", "xlsx"])
def test_generator_writes_n_rows_with_every_field(tmp_path: Path, ext: str, model: Pack):
    out = _generate(tmp_path, f"small.{ext}", "--n", "40", "--seed", "3", "--bad-rows", "2")
    if ext == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    elif ext == "jsonl":
        rows = [json.loads(line) for line in out.open(encoding="utf-8")]
    elif ext == "parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
    else:
        from openpyxl import load_workbook

        sheet = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
        rows = [dict(zip(sheet[0], r)) for r in sheet[1:]]
    assert len(rows) == 40
    assert set(model.fields) <= set(rows[0])
    assert len({r["entity_id"] for r in rows}) == 40


def test_generator_is_deterministic_and_example_files_are_its_output(tmp_path: Path):
    a = _generate(tmp_path, "a.csv", "--n", "300", "--seed", "20250630", "--ref-date", "2026-10-31", "--bad-rows", "6")
    b = _generate(tmp_path, "b.csv", "--n", "300", "--seed", "20250631", "--bad-rows", "6")
    assert a.read_bytes() != b.read_bytes()
    assert (ROOT / "examples" / "small_venues.csv").read_bytes() == a.read_bytes(), \
        "examples/small_venues.csv is stale: regenerate it with the command in the generator's docstring"
    gb = (ROOT / "examples" / "small_venues_gb18030.csv").read_bytes().decode("gb18030")
    assert gb == a.read_text(encoding="utf-8")


def test_example_file_grades_with_every_row_accounted_for():
    table = riskgrade.grade_table(ROOT / "examples" / "small_venues.csv",
                                  riskgrade.load_packs(ROOT / "rules", pack="nine_small_venues"), as_of=AS_OF)
    assert table.counts.rows_in == 300 and table.counts.rejected == 6
    levels = set(table.to_arrow().column("level").to_pylist())
    assert levels == {"red", "orange", "yellow", "blue"}
