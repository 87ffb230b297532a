"""One rejects record and one writer: the local engine and the partition function (Dask, Spark, Ray)
write a rejected row the same way, non-text values as JSON."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa

import riskgrade
from riskgrade.api import EXAMPLE_PACK
from riskgrade.io.write import write_rejects
from riskgrade.results.rejects import REJECTS_SCHEMA, from_table
from riskgrade.scale.partition import grade_arrow_with_rejects

AS_OF = dt.date(2026, 1, 1)
# a boolean column where a number belongs: both paths see Python booleans
ROWS = [{"entity_id": "A", "exits": True}, {"entity_id": "B", "exits": False}, {"entity_id": "C", "exits": None}]


def test_both_paths_write_the_same_rejects_file(tmp_path):
    pack = riskgrade.loads_pack(EXAMPLE_PACK)
    local = tmp_path / "local.jsonl"
    riskgrade.grade_file(ROWS, pack, tmp_path / "out.jsonl", as_of=AS_OF, rejects_path=local)
    _, table = grade_arrow_with_rejects([pack], AS_OF, pa.Table.from_pylist(ROWS))
    assert table.schema == REJECTS_SCHEMA
    partition = tmp_path / "partition.jsonl"
    write_rejects(from_table(table), partition)
    assert partition.read_bytes() == local.read_bytes()
    values = [json.loads(line)["value"] for line in local.read_text(encoding="utf-8").splitlines()]
    assert values == ["true", "false"]
