"""Scale-out: the partition function mapped by Dask over a 2-worker LocalCluster equals the local engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.csv  # noqa: F401
import pytest

import riskgrade
from riskgrade.scale import grade_arrow
from riskgrade.scale.partition import grade_arrow_with_rejects

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 1)


def test_partition_function_is_pure_and_matches_grade_table():
    packs = riskgrade.load_packs(ROOT / "rules", pack="fire_safety")
    raw = pa.csv.read_csv(ROOT / "examples" / "venues.csv", convert_options=pa.csv.ConvertOptions(
        column_types={c: pa.string() for c in open(ROOT / "examples" / "venues.csv", encoding="utf-8-sig")
                      .readline().strip().split(",")}))
    local = riskgrade.grade_table(ROOT / "examples" / "venues.csv", packs, as_of=AS_OF).long
    once = grade_arrow(packs, AS_OF, raw)
    assert once.to_pylist() == grade_arrow(packs, AS_OF, raw).to_pylist()
    assert once.drop(["name", "city", "county", "station", "grid"]).to_pylist() == \
        local.drop(["name", "city", "county", "station", "grid"]).to_pylist()


def test_dask_local_cluster_equals_local_engine_row_for_row():
    from riskgrade.scale.dask import grade_dask, read_dask

    packs = riskgrade.load_packs(ROOT / "rules", pack="fire_safety")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        ddf = read_dask(str(ROOT / "examples" / "venues.csv"), blocksize="16KB")
        assert ddf.npartitions >= 2
        graded, rejects = grade_dask(ddf, packs, as_of=AS_OF)
        graded, rejects = dask.compute(graded, rejects)
    local = riskgrade.grade_table(ROOT / "examples" / "venues.csv", packs, as_of=AS_OF)
    got = pa.Table.from_pandas(graded, preserve_index=False).cast(local.long.schema).to_pylist()
    assert got == local.long.to_pylist()
    assert len(rejects["entity_id"].unique()) == local.counts.rejected
    assert len(got) + local.counts.rejected == local.counts.rows_in


def test_rejects_are_returned_not_lost():
    packs = riskgrade.load_packs(ROOT / "rules", pack="fire_safety")
    table = pa.table({"entity_id": ["a", "b"], "venue_type": ["hotel", "spa_club"]})
    graded, rejects = grade_arrow_with_rejects(packs, AS_OF, table)
    assert graded.num_rows == 1 and rejects.column("entity_id").to_pylist() == ["b"]


def test_cli_dask_engine_output_is_byte_identical_to_local(tmp_path):
    from riskgrade.cli.main import main

    common = [str(ROOT / "examples" / "venues.csv"), "--rules", str(ROOT / "rules" / "fire_safety.yaml"),
              "--as-of", "2026-11-01", "--quiet"]
    assert main(["grade", *common, "-o", str(tmp_path / "local.jsonl")]) == 1  # the examples hold bad rows
    assert main(["grade", *common, "--engine", "dask", "-o", str(tmp_path / "dask.jsonl")]) == 1
    assert (tmp_path / "local.jsonl").read_bytes() == (tmp_path / "dask.jsonl").read_bytes()
