"""The fire-safety pack file and its venue generator: quick structural checks.

The pack's examples are graded by the engines in their own tests; here we only check that the file
is a valid pack, cites what it declares, covers what it should, and that the generator works.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from riskgrade.model import Pack

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "rules" / "fire_safety.yaml"
GENERATOR = ROOT / "benchmarks" / "generate_venues.py"
EXAMPLES = ROOT / "examples"
# how examples/venues*.{csv,jsonl,xlsx} were made (the module docstring of the generator says so too)
EXAMPLE_ARGS = ["--n", "300", "--seed", "20250630", "--ref-date", "2026-10-31", "--bad-rows", "6"]


@pytest.fixture(scope="module")
def pack() -> Pack:
    return Pack.model_validate(yaml.safe_load(PACK.read_text(encoding="utf-8")))


def _basis_id(citation: str) -> str:
    return citation.replace(";", " ").split()[0]


def test_pack_file_starts_with_schema_comment():
    assert PACK.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schemas/pack.schema.json")


def test_pack_validates(pack: Pack):
    assert pack.pack == "fire_safety"
    assert [lv.id for lv in pack.levels] == ["red", "orange", "yellow", "blue"]
    assert pack.fields["venue_type"].required


def test_every_rule_cites_a_declared_basis(pack: Pack):
    declared = {b.id for b in pack.basis}
    for rule in pack.rules:
        assert rule.basis, f"rule {rule.id} has no basis"
        assert _basis_id(rule.basis) in declared, f"rule {rule.id}: basis {rule.basis!r} cites no declared id"


def test_tables_derived_values_and_measures_cite_declared_bases(pack: Pack):
    declared = {b.id for b in pack.basis}
    cited = [t.basis for t in pack.tables.values()] + [d.basis for d in pack.derive.values()]
    cited += [m.basis for m in pack.controls.measures.values()]
    wrong = [c for c in cited if not c or _basis_id(c) not in declared]
    assert not wrong, f"citations of undeclared bases: {wrong}"


def test_rules_are_documented(pack: Pack):
    ids = [r.id for r in pack.rules]
    assert len(ids) == len(set(ids)), "duplicate rule ids"
    for rule in pack.rules:
        assert rule.hazard and rule.hazard.zh and rule.hazard.en, f"rule {rule.id} needs hazard text in zh and en"
        if rule.local_choice:
            assert rule.note, f"rule {rule.id} is a local choice: say so in a note"


def test_every_effect_is_used(pack: Pack):
    rules = pack.rules
    assert any(r.points for r in rules) and any(r.set_level for r in rules)
    assert any(r.raise_ for r in rules) and any(r.lower for r in rules) and any(r.controls for r in rules)
    assert [r.id for r in rules if r.on_missing == "worst"], "one safety-critical rule uses on_missing: worst"


def test_examples_cover_every_level(pack: Pack):
    levels = {e.expect.level for e in pack.examples}
    assert levels >= {lv.id for lv in pack.levels}
    assert len(pack.examples) >= 20
    assert all(e.expect.fired is not None for e in pack.examples)


def test_examples_exercise_every_veto_raise_and_lower(pack: Pack):
    fired = {rule_id for e in pack.examples for rule_id in e.expect.fired or []}
    special = {r.id for r in pack.rules if r.set_level or r.raise_ or r.lower or r.on_missing == "worst"}
    assert special <= fired, f"no example fires {sorted(special - fired)}"


def _generate(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out), *args], check=True, timeout=120)
    return out


@pytest.mark.parametrize("ext", ["csv", "jsonl", "parquet", "xlsx"])
def test_generator_writes_n_rows(tmp_path: Path, ext: str):
    out = _generate(tmp_path, f"venues.{ext}", "--n", "50", "--seed", "7", "--bad-rows", "3")
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
    assert len(rows) == 50
    if ext in ("csv", "jsonl"):
        # entity_type may be absent: a registry of venues alone needs no such column
        fields = set(yaml.safe_load(PACK.read_text(encoding="utf-8"))["fields"]) - {"entity_type"}
        assert fields <= set(rows[0]), f"missing columns {fields - set(rows[0])}"
        assert len({r["entity_id"] for r in rows}) == 50


def test_generator_is_deterministic(tmp_path: Path):
    a = _generate(tmp_path, "a.csv", "--n", "50", "--seed", "11")
    b = _generate(tmp_path, "b.csv", "--n", "50", "--seed", "11")
    c = _generate(tmp_path, "c.csv", "--n", "50", "--seed", "12")
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_example_files_are_the_generator_output(tmp_path: Path):
    csv_out = _generate(tmp_path, "venues.csv", *EXAMPLE_ARGS)
    assert (EXAMPLES / "venues.csv").read_bytes() == csv_out.read_bytes(), \
        "examples/venues.csv is stale: regenerate it with the command in benchmarks/generate_venues.py"
    gb = (EXAMPLES / "venues_gb18030.csv").read_bytes().decode("gb18030")
    assert gb == csv_out.read_text(encoding="utf-8")
    jsonl = _generate(tmp_path, "venues.jsonl", *EXAMPLE_ARGS)
    assert (EXAMPLES / "venues.jsonl").read_bytes() == jsonl.read_bytes()
