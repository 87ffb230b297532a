"""The command line, end to end: grade the shipped examples, check the shipped packs, write the schema."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from riskgrade.cli.main import main
from riskgrade.cli.schema import render

ROOT = Path(__file__).resolve().parents[2]


def test_check_shipped_packs_is_clean(capsys):
    assert main(["check", str(ROOT / "rules")]) == 0


def test_check_reports_located_findings_as_json(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "rules" / "fire_safety.yaml").read_text(encoding="utf-8").replace(
        "levels:", "levelz:", 1), encoding="utf-8")
    assert main(["check", str(bad), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["diagnostics"] and all(d["file"] == str(bad) and d["line"] > 0 for d in report["diagnostics"])


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet", ".xlsx"])
def test_grade_examples_accounts_for_every_row(tmp_path, suffix, capsys):
    out = tmp_path / f"graded{suffix}"
    rejects = tmp_path / "rejects.jsonl"
    code = main(["grade", str(ROOT / "examples" / "venues.csv"), "--rules", str(ROOT / "rules"),
                 "--as-of", "2026-11-01", "-o", str(out), "--rejects", str(rejects)])
    err = capsys.readouterr().err
    assert code in (0, 1) and out.exists()
    data_rows = len((ROOT / "examples" / "venues.csv").read_text(encoding="utf-8-sig").splitlines()) - 1
    n_rejects = len(rejects.read_text(encoding="utf-8").splitlines())
    assert f"{data_rows} rows in" in err
    if suffix == ".parquet":
        graded = pq.read_table(out).num_rows
        assert graded + n_rejects >= data_rows  # a row may carry several reasons


def test_gb18030_copy_grades_like_utf8(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for src, dst in (("venues.csv", a), ("venues_gb18030.csv", b)):
        main(["grade", str(ROOT / "examples" / src), "--rules", str(ROOT / "rules"), "--as-of", "2026-11-01",
              "-o", str(dst), "--quiet"])
    assert a.read_bytes() == b.read_bytes()


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["grade", "nope.csv", "--rules", str(ROOT / "rules"), "-o", str(tmp_path / "x.jsonl")]) == 2
    assert main([]) == 2


def test_committed_schema_is_current():
    committed = (ROOT / "schemas" / "pack.schema.json").read_text(encoding="utf-8")
    assert committed == render(), "schemas/ is stale: run `riskgrade schema -o schemas/`"


@pytest.mark.parametrize("registry, pack", [("venues", "fire_safety"), ("chemicals", "hazardous_chemicals"),
                                            ("small_venues", "nine_small_venues"),
                                            ("vehicles", "road_transport")])
def test_every_registry_grades_with_every_pack_and_only_its_own_applies(tmp_path, capsys, registry, pack):
    import json as _json

    out = tmp_path / "out.jsonl"
    assert main(["grade", str(ROOT / "examples" / f"{registry}.csv"), "--rules", str(ROOT / "rules"),
                 "--as-of", "2026-11-01", "-o", str(out)]) == 1  # each registry holds six bad rows
    assert "+ 6 rejected" in capsys.readouterr().err
    records = [_json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    applying = {r["pack"] for r in records if r["applies"]}
    assert applying == {pack}
