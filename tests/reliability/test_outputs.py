"""Outputs never replace inputs, never each other, and are all checked before anything is written;
the rejected rows stream to their file, so memory does not grow with them."""

from __future__ import annotations

import datetime as dt
import os
import tracemalloc
from pathlib import Path

import pytest

import riskgrade
from riskgrade import OutputError
from riskgrade.api import EXAMPLE_PACK
from riskgrade.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
RULES = str(ROOT / "rules" / "fire_safety.yaml")
AS_OF = dt.date(2026, 11, 1)


@pytest.fixture
def venues(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    path.write_bytes((ROOT / "examples" / "venues.csv").read_bytes())
    return path


def grade(*args: str) -> int:
    return main(["grade", *args, "--rules", RULES, "--as-of", "2026-11-01", "--quiet"])


def untouched(path: Path, before: tuple[bytes, int]) -> bool:
    return (path.read_bytes(), path.stat().st_mtime_ns) == before


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.mark.parametrize("case", ["-o input", "--rejects input", "-o = --rejects", "symlink", "hard link",
                                  "dotted path"])
def test_an_output_onto_an_input_is_refused_and_nothing_is_written(venues, tmp_path, capsys, case):
    out = tmp_path / "out.csv"
    args = {
        "-o input": ["-o", str(venues)],
        "--rejects input": ["-o", str(out), "--rejects", str(venues)],
        "-o = --rejects": ["-o", str(out), "--rejects", str(tmp_path / "." / "out.csv")],
        "symlink": ["-o", str(tmp_path / "link.csv")],
        "hard link": ["-o", str(tmp_path / "hard.csv")],
        "dotted path": ["-o", str(tmp_path / "sub" / ".." / "in.csv")],
    }[case]
    (tmp_path / "link.csv").symlink_to(venues)
    os.link(venues, tmp_path / "hard.csv")
    (tmp_path / "sub").mkdir()
    before = snapshot(venues)
    assert grade(str(venues), *args) == 2
    err = capsys.readouterr().err
    assert "input" in err or "same file" in err, err
    assert untouched(venues, before) and not out.exists()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_every_output_is_checked_before_the_first_is_replaced(venues, tmp_path, capsys):
    keep = tmp_path / "keep.csv"
    keep.write_text("precious\n", encoding="utf-8")
    before = snapshot(keep)
    assert grade(str(venues), "-o", str(keep), "--rejects", str(tmp_path / "missing" / "r.csv")) == 2
    assert "does not exist" in capsys.readouterr().err
    assert untouched(keep, before)
    assert grade(str(venues), "-o", str(keep), "--rejects", str(tmp_path)) == 2  # a folder
    assert grade(str(venues), "-o", str(keep), "--rejects", str(tmp_path / "r.txt")) == 2  # no format
    assert untouched(keep, before)


def test_the_api_refuses_too(venues, tmp_path):
    pack = riskgrade.load_pack(RULES)
    with pytest.raises(OutputError, match="input"):
        riskgrade.grade_file(venues, pack, venues, as_of=AS_OF)
    with pytest.raises(OutputError, match="input"):
        riskgrade.grade_file([str(tmp_path / "other.csv"), str(venues)], pack, venues, as_of=AS_OF)
    with pytest.raises(OutputError, match="same file"):
        riskgrade.grade_file(venues, pack, tmp_path / "o.jsonl", as_of=AS_OF, rejects_path=tmp_path / "o.jsonl")


def test_the_dask_engine_refuses_before_starting_a_cluster(venues, tmp_path):
    from riskgrade.scale.dask import grade_file_dask

    pack = riskgrade.load_pack(RULES)
    before = snapshot(venues)
    with pytest.raises(OutputError, match="input"):
        grade_file_dask(str(venues), [pack], str(venues), as_of=AS_OF)
    with pytest.raises(OutputError, match="input"):
        grade_file_dask(str(venues), [pack], str(tmp_path / "o.jsonl"), as_of=AS_OF, rejects_path=str(venues))
    assert untouched(venues, before)


def test_plan_and_diff_refuse_to_write_onto_their_inputs(venues, tmp_path, capsys):
    graded = tmp_path / "g.jsonl"
    assert grade(str(venues), "-o", str(graded)) in (0, 1)
    before = snapshot(graded)
    assert main(["plan", str(graded), "--rules", RULES, "--from", "2026-11-02", "--to", "2026-11-30",
                 "-o", str(graded)]) == 2
    assert untouched(graded, before)
    before = snapshot(venues)
    assert main(["diff", RULES, RULES, "--entities", str(venues), "--as-of", "2026-11-01",
                 "-o", str(venues)]) == 2
    assert untouched(venues, before)
    assert "input" in capsys.readouterr().err


def _all_rejected(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        f.write("entity_id,floors\n")
        f.writelines(f"e{i},not-a-number-{'x' * 40}\n" for i in range(n))
    return path


def test_memory_does_not_grow_with_the_rejected_rows(tmp_path):
    """Every row rejected: the rejects stream to their file, so four times the rows is not four
    times the memory (before, every reject and its value were held until the end of the run).
    ``benchmarks/robustness.py`` measures the same with a million rows."""
    pack = riskgrade.loads_pack(EXAMPLE_PACK.replace("exits", "floors"))
    peaks = {}
    for n in (100, 1_200, 4_800):  # the first run warms the caches up
        src = _all_rejected(tmp_path / f"in{n}.csv", n)
        rejects = tmp_path / f"rejects{n}.jsonl"
        tracemalloc.start()
        counts, kept = riskgrade.grade_file(src, pack, tmp_path / "out.jsonl", as_of=AS_OF, chunk_rows=300,
                                            rejects_path=rejects)
        peaks[n] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert counts.rejected == n and len(kept) == min(n, 1000)
        assert sum(1 for _ in open(rejects, encoding="utf-8")) == n
    assert peaks[4_800] < 1.5 * peaks[1_200], peaks
