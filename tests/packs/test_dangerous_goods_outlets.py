"""The dangerous_goods_outlets pack: its examples on both engines, what every outlet kind is asked,
the published conditions it cites, and its generator and example registries."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

import riskgrade
from riskgrade.model import Pack
from riskgrade.packtest import run_examples

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "rules" / "dangerous_goods_outlets.yaml"
GENERATOR = ROOT / "benchmarks" / "generate_outlets.py"
EXAMPLES = ROOT / "examples"
# how examples/outlets*.{csv,jsonl,xlsx} were made (the generator's docstring says so too)
EXAMPLE_ARGS = ["--n", "200", "--seed", "20250630", "--ref-date", "2026-10-31", "--bad-rows", "6"]
AS_OF = dt.date(2025, 6, 30)
RETAIL = dict(entity_type="dangerous_goods_outlet", outlet_type="fireworks_retail", has_licence=True,
              licence_valid_until="2026-02-28", stock_quantity=60, licensed_quantity=100, distance_to_crowded_m=150,
              in_residential_building=False, illegal_products_found=False, dedicated_sales_ok=True,
              physical_protection_ok=True, last_drill="2025-01-10", extinguishers_ok=True, open_hazards=0,
              last_inspection="2025-05-20")


@pytest.fixture(scope="module")
def program() -> riskgrade.Program:
    return riskgrade.load_pack(PACK)


@pytest.fixture(scope="module")
def pack() -> Pack:
    return Pack.model_validate(yaml.safe_load(PACK.read_text(encoding="utf-8")))


def _grade(program: riskgrade.Program, entity: dict) -> riskgrade.PackResult:
    return riskgrade.grade(entity, program, as_of=AS_OF).pack("dangerous_goods_outlets")


def test_examples_pass_on_every_engine(program: riskgrade.Program):
    assert run_examples(program) == []


def test_examples_cover_every_kind_level_and_veto(pack: Pack):
    assert len(pack.examples) >= 20
    assert {e.expect.level for e in pack.examples} >= {"red", "orange", "yellow", "blue"}
    kinds = {e.entity.get("outlet_type") for e in pack.examples}
    assert kinds >= {"fireworks_retail", "fireworks_temporary", "fireworks_wholesale", "fireworks_store",
                     "fuel_station"}
    fired = {r for e in pack.examples for r in e.expect.fired or []}
    vetoes = {r.id for r in pack.rules if r.set_level}
    assert vetoes <= fired, f"no example fires {sorted(vetoes - fired)}"


def test_every_rule_cites_a_declared_basis_and_marks_local_numbers(pack: Pack):
    declared = {b.id for b in pack.basis}
    assert {"FIREWORKS-REG", "FIREWORKS-LICENCE", "BULK-FUEL"} <= declared
    for rule in pack.rules:
        assert rule.basis and rule.basis.split()[0].rstrip(";") in declared, rule.id
        assert rule.hazard and rule.hazard.zh and rule.hazard.en, rule.id
        if rule.points:  # no published deduction exists for these outlets: every number is local
            assert rule.local_choice, rule.id
    assert pack.inspection is not None and pack.inspection.local_choice
    assert all(b.local_choice for b in pack.score.bands)
    assert pack.tables["retail_distance_min_m"].local_choice


def test_each_kind_is_asked_only_what_concerns_it(program: riskgrade.Program):
    """A seasonal stall is not asked for drills or locks, a retail point not for a bulk-fuel register, and
    a fuel station not for fireworks stock: their absence leaves no rule undecided."""
    stall = {k: v for k, v in RETAIL.items() if k not in ("physical_protection_ok", "last_drill")}
    r = _grade(program, {**stall, "outlet_type": "fireworks_temporary"})
    assert (r.level, r.data_gaps, r.inspection_interval_days) == ("blue", [], 15)
    fuel = dict(entity_type="dangerous_goods_outlet", outlet_type="fuel_station", has_licence=True,
                licence_valid_until="2027-06-30", guard_on_duty_ok=True, physical_protection_ok=True,
                video_surveillance_ok=True, duty_roster_ok=True, last_drill="2025-02-01", extinguishers_ok=True,
                bulk_realname_ok=True, bulk_illegal_sale_found=False, open_hazards=0, last_inspection="2025-05-20")
    assert _grade(program, fuel).data_gaps == []
    assert _grade(program, {**fuel, "bulk_realname_ok": None}).data_gaps == ["bulk_realname_ok"]


def test_stock_and_distance_boundaries(program: riskgrade.Program):
    levels = {q: _grade(program, {**RETAIL, "stock_quantity": q}).level for q in (100, 101, 200, 201)}
    assert levels == {100: "blue", 101: "orange", 200: "orange", 201: "red"}
    assert _grade(program, {**RETAIL, "distance_to_crowded_m": 100}).level == "blue"
    assert _grade(program, {**RETAIL, "distance_to_crowded_m": 99.5}).level == "orange"


# --- the generator and the example registries --------------------------------------------------------

def _generator() -> ModuleType:
    if "generate_outlets" not in sys.modules:
        spec = importlib.util.spec_from_file_location("generate_outlets", GENERATOR)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["generate_outlets"] = module
        spec.loader.exec_module(module)
    return sys.modules["generate_outlets"]


def _generate(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    assert _generator().main(["--out", str(out), *args]) == 0
    return out


@pytest.mark.parametrize("ext", ["csv", "jsonl", "parquet", "xlsx"])
def test_generator_writes_n_rows_with_every_field(tmp_path: Path, ext: str, pack: Pack):
    out = _generate(tmp_path, f"outlets.{ext}", "--n", "40", "--seed", "7", "--bad-rows", "2")
    if ext == "csv":
        with out.open(encoding="utf-8") as fh:
            header, rows = next(csv.reader(fh)), list(csv.DictReader(out.open(encoding="utf-8")))
    elif ext == "jsonl":
        rows = [json.loads(line) for line in out.open(encoding="utf-8")]
        header = list(rows[0])
    elif ext == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(out)
        header, rows = table.column_names, table.to_pylist()
    else:
        from openpyxl import load_workbook

        sheet = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
        header, rows = list(sheet[0]), sheet[1:]
    assert len(rows) == 40
    assert set(pack.fields) <= set(header), f"missing columns {set(pack.fields) - set(header)}"


def test_generator_is_deterministic(tmp_path: Path):
    a = _generate(tmp_path, "a.csv", "--n", "30", "--seed", "11")
    b = _generate(tmp_path, "b.csv", "--n", "30", "--seed", "11")
    c = _generate(tmp_path, "c.csv", "--n", "30", "--seed", "12")
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_example_files_are_the_generator_output_and_grade(tmp_path: Path, program: riskgrade.Program):
    csv_out = _generate(tmp_path, "outlets.csv", *EXAMPLE_ARGS)
    assert (EXAMPLES / "outlets.csv").read_bytes() == csv_out.read_bytes(), \
        "examples/outlets.csv is stale: regenerate it with the commands in benchmarks/generate_outlets.py"
    gb = (EXAMPLES / "outlets_gb18030.csv").read_bytes().decode("gb18030")
    assert gb == csv_out.read_text(encoding="utf-8")
    jsonl = _generate(tmp_path, "outlets.jsonl", *EXAMPLE_ARGS)
    assert (EXAMPLES / "outlets.jsonl").read_bytes() == jsonl.read_bytes()
    result = riskgrade.grade_table(EXAMPLES / "outlets.xlsx", program, as_of=AS_OF)
    assert str(result.counts) == "200 rows in = 194 graded + 6 rejected"
    levels = {r["level"] for r in result.to_records()}
    assert levels == {"red", "orange", "yellow", "blue"}
