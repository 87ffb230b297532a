"""The road_transport pack: its examples on every engine, vehicle / driver / carrier grades, its generator."""

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
PACK = ROOT / "rules" / "road_transport.yaml"
GENERATOR = ROOT / "benchmarks" / "generate_vehicles.py"
AS_OF = dt.date(2025, 6, 30)
COACH = dict(entity_type="vehicle", vehicle_class="tour_coach", gross_mass_t=16, status="A",
             inspection_valid_until="2025-11-30", scrap_deadline="2032-05-31", unprocessed_violations=0,
             terminal_online=True, fatigue_alarms_30d=0, speeding_alarms_30d=0, night_speeding_alarms_30d=0,
             last_inspection="2025-05-20")
DRIVER = dict(entity_type="driver", cycle_points=0, cycle_end="2025-09-14", licence_valid_until="2029-09-14",
              review_due="2025-09-14", fatigue_alarms_30d=0, speeding_alarms_30d=0, night_speeding_alarms_30d=0)


def _item(plate, cls="truck", status="A", insp="2025-11-30", viol=0):
    return dict(plate=plate, vehicle_class=cls, status=status, inspection_valid_until=insp, scrap_deadline="2031-01-01",
                unprocessed_violations=viol, fatigue_alarms_30d=0, speeding_alarms_30d=0)


CARRIER = dict(entity_type="carrier", business_type="freight", monitoring_staff=2, fatal_accidents_3m=0,
               max_deaths_one_accident_3m=0, hazmat_accident_3m=False,
               vehicles=[_item("浙A10001"), _item("浙A10002"), _item("浙A10003", "tractor")],
               drivers=[dict(name="王建国", cycle_points=0, licence_valid_until="2029-01-01", review_due="2026-01-01")])


@pytest.fixture(scope="module")
def program():
    return riskgrade.load_pack(PACK)


@pytest.fixture(scope="module")
def model() -> Pack:
    return Pack.model_validate(yaml.safe_load(PACK.read_text(encoding="utf-8")))


def _grade(program, entity):
    return riskgrade.grade(entity, program, as_of=AS_OF).packs[0]


def test_examples_pass_on_every_engine(program):
    assert run_examples(program) == []


def test_examples_cover_every_kind_level_veto_and_band_edge(model: Pack):
    assert len(model.examples) >= 20
    assert {e.expect.level for e in model.examples} >= {"red", "orange", "yellow", "blue"}
    assert {e.entity["entity_type"] for e in model.examples} >= {"vehicle", "driver", "carrier"}
    fired = {r for e in model.examples for r in e.expect.fired or []}
    special = {r.id for r in model.rules if r.set_level or r.raise_ or r.lower}
    assert special <= fired, f"no example fires {sorted(special - fired)}"
    assert {90, 70, 60} <= {e.expect.score for e in model.examples}


def test_every_rule_cites_a_declared_basis(model: Pack):
    declared = {b.id for b in model.basis}
    for rule in model.rules:
        assert rule.basis and rule.basis.replace(";", " ").split()[0] in declared, rule.id
        if rule.local_choice:
            assert rule.note, rule.id


def test_hazard_vehicle_gets_the_24_hour_deadline(program):
    r = _grade(program, {**COACH, "inspection_valid_until": "2025-06-29"})
    assert r.level == "orange" and r.fired == ["RT-V-INSPECTION"]
    assert r.inspection_interval_days == 1 and "vehicle_24h" in r.controls
    assert _grade(program, {**COACH, "inspection_valid_until": "2025-06-30"}).inspection_interval_days == 180


def test_driver_points_cycle(program):
    assert _grade(program, {**DRIVER, "cycle_points": 12}).level == "red"
    assert _grade(program, {**DRIVER, "cycle_points": 11}).score == 70
    cleared = _grade(program, {**DRIVER, "cycle_points": 8, "cycle_end": "2025-06-01"})
    assert cleared.level == "blue" and cleared.derived["points_now"] == 0


def test_carrier_rolls_up_its_vehicles_and_drivers(program):
    clean = _grade(program, CARRIER)
    assert (clean.level, clean.derived["fleet"], clean.derived["vehicles_hazard"]) == ("blue", 3, 0)
    overdue = {**CARRIER, "vehicles": CARRIER["vehicles"][:2] + [_item("浙A10003", "tractor", insp="2025-06-01")]}
    r = _grade(program, overdue)
    assert r.level == "orange" and {"RT-C-VEH-INSP", "RT-C-HAZARD-SHARE"} <= set(r.fired)
    assert r.inspection_interval_days == 7
    assert _grade(program, {**overdue, "business_type": "hazmat"}).level == "red"  # Yulin: direct red


def test_scope_is_two_coaches_one_hazmat_one_heavy_truck(program):
    assert _grade(program, {**COACH, "vehicle_class": "truck", "gross_mass_t": 12}).applies
    assert not _grade(program, {**COACH, "vehicle_class": "truck", "gross_mass_t": 11.9}).applies
    assert not _grade(program, {**COACH, "vehicle_class": "line_coach", "line_class": 4}).applies


def test_a_truck_without_its_mass_is_undecided_not_left_out(program, tmp_path: Path):
    """Scope unknown: applies is null with the mass in data_gaps; --strict rejects the row instead."""
    truck = {k: v for k, v in COACH.items() if k != "gross_mass_t"} | {"vehicle_class": "truck"}
    r = _grade(program, truck)
    assert r.applies is None and r.level is None and "gross_mass_t" in r.data_gaps
    from riskgrade.explain import explain, render_text

    text = render_text(explain(program, truck, AS_OF), "zh")
    assert "无法判定本规则包是否适用" in text and "gross_mass_t" in text
    rows = tmp_path / "trucks.jsonl"
    rows.write_text(json.dumps({"entity_id": "V1", **truck}, ensure_ascii=False) + "\n", encoding="utf-8")
    from riskgrade.cli.main import main

    common = [str(rows), "--rules", str(PACK), "--as-of", AS_OF.isoformat(), "--quiet"]
    assert main(["grade", *common, "-o", str(tmp_path / "lenient.jsonl")]) == 0
    graded = json.loads((tmp_path / "lenient.jsonl").read_text(encoding="utf-8"))
    assert graded["applies"] is None and "gross_mass_t" in graded["data_gaps"]
    assert main(["grade", *common, "--strict", "-o", str(tmp_path / "strict.jsonl"),
                 "--rejects", str(tmp_path / "rejects.csv")]) == 1
    assert "RG406" in (tmp_path / "rejects.csv").read_text(encoding="utf-8")


def _generator():
    if "generate_vehicles" not in sys.modules:
        spec = importlib.util.spec_from_file_location("generate_vehicles", GENERATOR)
        module = importlib.util.module_from_spec(spec)
        sys.modules["generate_vehicles"] = module
        spec.loader.exec_module(module)
    return sys.modules["generate_vehicles"]


def _generate(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    assert _generator().main(["--out", str(out), *args]) == 0
    return out


@pytest.mark.parametrize("ext", ["csv", "jsonl", "parquet", "xlsx"])
def test_generator_writes_n_rows_of_three_kinds(tmp_path: Path, ext: str, model: Pack):
    out = _generate(tmp_path, f"vehicles.{ext}", "--n", "60", "--seed", "5", "--bad-rows", "2")
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
    assert len(rows) == 60
    assert set(model.fields) <= set(rows[0])
    assert {r["entity_type"] for r in rows} == {"vehicle", "driver", "carrier"}
    assert len({r["entity_id"] for r in rows}) == 60


def test_carrier_lists_agree_with_the_vehicle_rows(tmp_path: Path):
    rows = [json.loads(line) for line in _generate(tmp_path, "v.jsonl", "--n", "200", "--seed", "9").open(encoding="utf-8")]
    plates = {}
    for r in rows:
        if r["entity_type"] == "vehicle":
            plates.setdefault(r["carrier_id"], []).append(r["plate"])
    for r in rows:
        if r["entity_type"] == "carrier":
            assert sorted(v["plate"] for v in r["vehicles"]) == sorted(plates.get(r["entity_id"], []))


def test_example_files_are_the_generator_output_and_grade(tmp_path: Path):
    a = _generate(tmp_path, "a.csv", "--n", "300", "--seed", "20250630", "--ref-date", "2026-10-31", "--bad-rows", "6")
    assert (ROOT / "examples" / "vehicles.csv").read_bytes() == a.read_bytes(), \
        "examples/vehicles.csv is stale: regenerate it with the command in the generator's docstring"
    assert (ROOT / "examples" / "vehicles_gb18030.csv").read_bytes().decode("gb18030") == a.read_text(encoding="utf-8")
    table = riskgrade.grade_table(a, riskgrade.load_packs(ROOT / "rules", pack="road_transport"), as_of=AS_OF)
    assert table.counts.rows_in == 300 and table.counts.rejected == 6
    assert set(table.to_arrow().column("level").to_pylist()) >= {"red", "orange", "yellow", "blue"}
