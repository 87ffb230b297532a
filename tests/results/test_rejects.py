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
    lines = [json.loads(line) for line in local.read_text(encoding="utf-8").splitlines()]
    assert [[p["value"] for p in line["problems"]] for line in lines] == [["true"], ["false"]]
    assert [line["reason"] for line in lines] == [
        "exits = 'true': expected a number, got True", "exits = 'false': expected a number, got False"]


def test_a_row_is_one_line_with_every_reason_and_every_pack_that_found_it(tmp_path):
    """A row that breaks two fields, one of them in two packs, is one record: the shared fault once,
    with both packs."""
    pack = riskgrade.loads_pack(EXAMPLE_PACK)
    other = riskgrade.loads_pack(EXAMPLE_PACK.replace("pack: demo", "pack: other"))
    rows = [{"entity_id": "A", "exits": -1}, {"entity_id": "B", "exits": 2}]
    result = riskgrade.grade_table(rows, [pack, other], as_of=AS_OF)
    (reject,) = result.rejects
    assert (reject.row, reject.entity_id, reject.fields) == (1, "A", ["exits"])
    path = tmp_path / "rejects.csv"
    write_rejects(result.rejects, path)
    text = path.read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == '"source","row","entity_id","fields","codes","packs","reason"'
    assert text[1:] == [',1,"A","exits","RG400","demo;other","exits = \'-1\': -1 is below the minimum 0"']
