"""The hazardous-chemicals pack: its examples on both engines, the published worked examples, the
GB 18218 substance tables against the Table 1 TSV, and the enterprise generator."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

import riskgrade
from riskgrade.model import Pack
from riskgrade.packtest import run_examples

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "rules" / "hazardous_chemicals.yaml"
TSV = ROOT / "tools" / "gb18218_table1.tsv"
TOOL = ROOT / "tools" / "gb18218_tables.py"
GENERATOR = ROOT / "benchmarks" / "generate_chemicals.py"
EXAMPLES = ROOT / "examples"
# how examples/chemicals*.{csv,jsonl,xlsx} were made (the generator's docstring says so too)
EXAMPLE_ARGS = ["--n", "200", "--seed", "20250630", "--ref-date", "2026-10-31", "--bad-rows", "6"]
AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def program() -> riskgrade.Program:
    return riskgrade.load_pack(PACK)


@pytest.fixture(scope="module")
def pack() -> Pack:
    return Pack.model_validate(yaml.safe_load(PACK.read_text(encoding="utf-8")))


def _script(path: Path) -> ModuleType:
    """A script of the repository imported as a module (run in-process: no interpreter start-up)."""
    name = f"_script_{path.stem}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _grade(program: riskgrade.Program, inventory: list[dict], people: int) -> riskgrade.PackResult:
    entity = {"entity_type": "chemical_enterprise", "inventory": inventory, "people_within_500m": people}
    return riskgrade.grade(entity, program, as_of=AS_OF).pack("hazardous_chemicals")


# --- the pack's own examples, on every engine ------------------------------------------------------

def test_examples_pass_on_every_engine(program: riskgrade.Program):
    assert run_examples(program) == []


def test_examples_cover_levels_vetoes_and_boundaries(pack: Pack):
    assert len(pack.examples) >= 20
    assert {e.expect.level for e in pack.examples} >= {"red", "orange", "yellow", "blue"}
    fired = {r for e in pack.examples for r in e.expect.fired or []}
    vetoes = {r.id for r in pack.rules if r.set_level}
    assert vetoes <= fired, f"no example fires {sorted(vetoes - fired)}"
    scores = {e.expect.score for e in pack.examples}
    assert {60, 75, 90} <= scores
    r_values = {(e.expect.derived or {}).get("r_value") for e in pack.examples}
    assert {10, 50, 100} <= r_values
    assert any((e.expect.derived or {}).get("q_ratio_sum") == 1.0 for e in pack.examples)


def test_every_rule_cites_its_clause(pack: Pack):
    declared = {b.id for b in pack.basis}
    for rule in pack.rules:
        assert rule.basis and rule.basis.split()[0].rstrip(";") in declared, rule.id
        assert rule.hazard and rule.hazard.zh and rule.hazard.en, rule.id
    items = sorted(int(m.group(1)) for r in pack.rules if r.id.startswith("MAH-")
                   for m in [re.search(r"item (\d+)$", r.basis or "")] if m)
    assert items == list(range(1, 21)), "one veto per major-accident-hazard item, numbered in basis"
    assert all(r.set_level == "red" for r in pack.rules if r.id.startswith(("MAH-", "DR-")))


def test_diagnosis_caps_add_up_to_100(pack: Pack):
    assert pack.score.method == "deduct" and pack.score.base == 100
    assert sum(pack.score.caps.values()) == 100
    assert all(r.points < 0 for r in pack.rules if r.group == "bonus")


# --- the published worked examples -----------------------------------------------------------------

def test_w1_sulphur_dioxide_is_grade_3(program: riskgrade.Program):
    r = _grade(program, [{"substance": "二氧化硫", "tonnes": 200}], people=60)
    assert r.derived["q_ratio_sum"] == 10
    assert r.derived["is_major_hazard"] is True
    assert r.derived["exposure_alpha"] == 1.5
    assert r.derived["r_value"] == 30
    assert r.derived["major_hazard_grade"] == 3


@pytest.mark.parametrize(("inventory", "s", "major"), [
    # 甲 (with the 2018 Table 1 Q of 苯乙烯, 500 t; the exam's own table says 50 t and S = 6.5)
    ([("苯乙烯", 300), ("环氧丙烷", 2), ("乙醚", 3)], 1.1, True),
    ([("TDI", 30), ("丙烯醛", 10), ("环氧丙烷", 5)], 1.3, True),  # 乙
    ([("硝化纤维素(含乙醇≥25%)", 5), ("TNT", 1), ("硝化甘油", 0.2)], 0.9, False),  # 丙: the answer
    ([("乙醇", 200), ("汽油", 100), ("乙醚", 1)], 1.0, True),  # 丁: S = 1 exactly is a major hazard
])
def test_w2_four_warehouses(program: riskgrade.Program, inventory, s, major):
    r = _grade(program, [{"substance": name, "tonnes": q} for name, q in inventory], people=10)
    assert r.derived["q_ratio_sum"] == s
    assert r.derived["is_major_hazard"] is major
    if not major:
        assert r.derived["major_hazard_grade"] is None


def test_a_substance_not_in_table_1_is_graded_by_its_category(program: riskgrade.Program):
    """GB 18218 4.2: Table 2's Q and Table 4's β by the hazard category; without one, a data gap."""
    r = _grade(program, [{"substance": "二甲苯", "tonnes": 6000, "ghs_category": "W5.4"}], people=10)
    assert (r.derived["q_ratio_sum"], r.derived["r_value"], r.derived["major_hazard_grade"]) == (1.2, 1.2, 4)
    gap = _grade(program, [{"substance": "二甲苯", "tonnes": 6000}], people=10)
    assert gap.derived["q_ratio_sum"] is None and "inventory.ghs_category" in gap.data_gaps
    table = riskgrade.grade_table(EXAMPLES / "chemicals.csv", program, as_of=AS_OF)
    reasons = [r.reason for r in table.rejects if r.field == "inventory"]
    assert any("'W12'" in reason for reason in reasons), reasons  # an unknown category is still an error
    graded = table.to_records()
    assert any(row["unlisted_substances"] for row in graded)
    assert any(len(row["units"] or []) > 1 for row in graded)


def test_default_categories_are_settled_table1_substances(program: riskgrade.Program):
    """Only Table 1 substances get a default category (Q stays Table 1's; the category sets β)."""
    table = program.tables["default_category"]
    q = program.tables["critical_quantity_t"]
    assert {table.lookup_value(s) for s in ("汽油", "甲醇", "67-56-1")} == {"W5.3"}
    assert {table.lookup_value(s) for s in ("液化石油气", "LPG", "甲烷", "天然气")} == {"W2"}
    assert table.lookup_value("TNT") == "W1.1" and table.lookup_value("二甲苯") is None
    assert all(q.lookup_value(spelling) is not None for spelling in table.entries)
    assert (q.lookup_value("汽油"), q.lookup_value("甲醇"), q.lookup_value("液化石油气"), q.lookup_value("甲烷")) == \
        (200, 500, 50, 50)


def test_a_non_chemical_entity_is_not_graded(program: riskgrade.Program):
    r = riskgrade.grade({"entity_type": "venue"}, program, as_of=AS_OF).pack("hazardous_chemicals")
    assert r.applies is False and r.level is None


# --- GB 18218 tables against the Table 1 TSV -------------------------------------------------------

def test_generated_tables_are_current():
    assert _script(TOOL).main(["--tsv", str(TSV), "--check"]) == 0, \
        "rules/hazardous_chemicals.yaml is stale: run python tools/gb18218_tables.py"


def test_every_table1_name_and_cas_gives_its_critical_quantity(program: riskgrade.Program):
    table = program.tables["critical_quantity_t"]
    rows = list(csv.DictReader(TSV.open(encoding="utf-8"), delimiter="\t"))
    assert len(rows) == 85
    by_cas: dict[str, list[float]] = {}
    for row in rows:
        q = float(row["critical_quantity_t"])
        assert table.lookup_value(row["name"]) == q, row["name"]
        for cas in re.findall(r"\d{2,7}-\d{2}-\d", row["cas"]):
            by_cas.setdefault(cas, []).append(q)
    for cas, qs in by_cas.items():  # a CAS number several entries share takes the lowest Q
        assert table.lookup_value(cas) == min(qs), cas
    assert table.lookup_value("W5.3") == 1000 and table.lookup_value("J1") == 5


def test_table3_beta_and_aliases(program: riskgrade.Program):
    beta = program.tables["beta_toxic_gas"]
    assert beta.lookup_value("光气") == 20 and beta.lookup_value("液氯") == 4
    assert beta.lookup_value("7783-06-4") == 5 and beta.lookup_value("甲醇") is None


# --- the generator ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _script(GENERATOR)


def _generate(generator: ModuleType, tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    assert generator.main(["--out", str(out), *args]) == 0
    return out


@pytest.mark.parametrize("ext", ["csv", "jsonl", "parquet", "xlsx"])
def test_generator_writes_n_rows(generator: ModuleType, tmp_path: Path, ext: str):
    out = _generate(generator, tmp_path, f"chemicals.{ext}", "--n", "40", "--seed", "7", "--bad-rows", "2")
    if ext == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    elif ext == "jsonl":
        rows = [json.loads(line) for line in out.open(encoding="utf-8")]
    elif ext == "parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
    else:
        from openpyxl import load_workbook

        rows = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))[1:]
    assert len(rows) == 40
    if ext in ("csv", "jsonl"):
        fields = set(yaml.safe_load(PACK.read_text(encoding="utf-8"))["fields"])
        assert fields <= set(rows[0]), f"missing columns {fields - set(rows[0])}"
        assert len({r["entity_id"] for r in rows}) == 40


def test_generator_is_deterministic(generator: ModuleType, tmp_path: Path):
    a = _generate(generator, tmp_path, "a.csv", "--n", "30", "--seed", "11")
    b = _generate(generator, tmp_path, "b.csv", "--n", "30", "--seed", "11")
    c = _generate(generator, tmp_path, "c.csv", "--n", "30", "--seed", "12")
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_example_files_are_the_generator_output(generator: ModuleType, tmp_path: Path):
    csv_out = _generate(generator, tmp_path, "chemicals.csv", *EXAMPLE_ARGS)
    assert (EXAMPLES / "chemicals.csv").read_bytes() == csv_out.read_bytes(), \
        "examples/chemicals.csv is stale: regenerate it with the commands in benchmarks/generate_chemicals.py"
    gb = (EXAMPLES / "chemicals_gb18030.csv").read_bytes().decode("gb18030")
    assert gb == csv_out.read_text(encoding="utf-8")
    jsonl = _generate(generator, tmp_path, "chemicals.jsonl", *EXAMPLE_ARGS)
    assert (EXAMPLES / "chemicals.jsonl").read_bytes() == jsonl.read_bytes()
