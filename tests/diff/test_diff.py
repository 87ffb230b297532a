"""``diff``: two versions of the shipped fire-safety pack over a generated population."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from riskgrade import load_packs
from riskgrade.cli.main import main
from riskgrade.diff import diff_packs, render_markdown, render_text

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def population(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pop") / "venues.csv"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate_venues.py"), "--n", "2000", "--seed", "7",
                    "--bad-rows", "5", "--out", str(out)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("packs")
    text = (ROOT / "rules" / "fire_safety.yaml").read_text(encoding="utf-8")
    old, new = folder / "old.yaml", folder / "new.yaml"
    old.write_text(text, encoding="utf-8")
    edge = "    - level: orange\n      min: 40\n"
    assert edge in text and "      min: 20\n      max: 40\n" in text
    new.write_text(text.replace(edge, "    - level: orange\n      min: 35\n", 1)
                   .replace("      min: 20\n      max: 40\n", "      min: 20\n      max: 35\n", 1), encoding="utf-8")
    return old, new


@pytest.fixture(scope="module")
def programs(versions):
    return load_packs(versions[0]), load_packs(versions[1])


def test_transition_matrix_adds_up_to_the_population(population, programs):
    report = diff_packs(programs[0], programs[1], str(population), as_of=AS_OF)
    assert report["population"] == 2000
    (pack,) = report["packs"]
    cells = [n for row in pack["matrix"].values() for n in row.values()]
    assert sum(cells) == pack["population"] == 2000
    assert pack["matrix"]["rejected"]["rejected"] == 5  # the bad rows, on both sides
    # moving the orange edge down only ever makes a grade more severe
    assert pack["moved_count"] > 0 and pack["down"] == 0 and pack["up"] == pack["moved_count"]
    assert all(m["from"] in ("yellow", "orange") for m in pack["moved"])
    assert pack["workload"]["new"] > pack["workload"]["old"]
    assert pack["old"]["sha256"] != pack["new"]["sha256"]
    for column in ("county", "station"):
        rows = pack["by_jurisdiction"][column]
        assert sum(r["population"] for r in rows) == 2000
        assert sum(r["moved"] for r in rows) == pack["moved_count"]
        assert sum(r["workload_change"] for r in rows) == pytest.approx(pack["workload"]["change"], abs=0.1)
    md = render_markdown(report)
    assert "### Level transitions" in md and "| total |" in md and "### By county" in md
    assert "inspection workload" in render_text(report)


def test_same_pack_moves_nothing(population, programs):
    report = diff_packs(programs[0], programs[0], str(population), as_of=AS_OF)
    (pack,) = report["packs"]
    assert pack["moved_count"] == 0 and pack["workload"]["change"] == 0
    assert all(n == 0 for a, row in pack["matrix"].items() for b, n in row.items() if a != b)


def test_rules_that_start_firing_are_named(population, versions, programs, tmp_path):
    new = tmp_path / "new.yaml"
    new.write_text(versions[0].read_text(encoding="utf-8").replace(
        "when: gas_in_use\n    points: 3", "when: gas_in_use\n    points: 30", 1), encoding="utf-8")
    report = diff_packs(programs[0], str(new), str(population), as_of=AS_OF)
    moved = report["packs"][0]["moved"]
    assert moved and all(m["newly_fired"] == [] and m["stopped_firing"] == [] for m in moved)
    new.write_text(versions[0].read_text(encoding="utf-8").replace(
        "when: gas_in_use\n", "when: gas_in_use or sells_combustibles\n", 1), encoding="utf-8")
    report = diff_packs(programs[0], str(new), str(population), as_of=AS_OF)
    moved = report["packs"][0]["moved"]
    assert moved and all(m["newly_fired"] == ["FS-R-GAS"] for m in moved)


def test_diff_cli_reads_git_revisions(population, versions, tmp_path, monkeypatch, capsys):
    repo = tmp_path / "repo"
    (repo / "rules").mkdir(parents=True)
    (repo / "rules" / "fire_safety.yaml").write_bytes(versions[0].read_bytes())

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "old")
    (repo / "rules" / "fire_safety.yaml").write_bytes(versions[1].read_bytes())
    monkeypatch.chdir(repo)
    out = tmp_path / "impact.json"
    assert main(["diff", "HEAD:rules/", "rules/", "--entities", str(population), "--as-of", "2026-11-01",
                 "--format", "json", "-o", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    (pack,) = report["packs"]
    assert pack["old"]["file"] == "HEAD:rules/fire_safety.yaml" and pack["moved_count"] > 0
    assert sum(n for row in pack["matrix"].values() for n in row.values()) == 2000
    assert main(["diff", "NOPE:rules/", "rules/", "--entities", str(population)]) == 2
