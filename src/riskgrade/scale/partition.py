"""The pure per-partition grading function that Dask, Spark and Ray map over their data.

``grade_arrow(packs, as_of, batch)`` takes an Arrow table or record batch and returns the long-form
results as an Arrow table; nothing is read or written and no state is kept, so any engine may call it
on any worker in any order. Rejected rows come back from ``grade_arrow_with_rejects``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence

import numpy as np
import pyarrow as pa

from ..compiler import Program
from ..grading import Grader, RowReject
from ..table.chunks import RawChunk


def rejects_schema() -> pa.Schema:
    return pa.schema([("source", pa.string()), ("row", pa.int64()), ("entity_id", pa.string()),
                      ("pack", pa.string()), ("field", pa.string()), ("value", pa.string()),
                      ("code", pa.string()), ("reason", pa.string())])


def _as_table(batch: pa.Table | pa.RecordBatch) -> pa.Table:
    return pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch


def grade_arrow_with_rejects(packs: Sequence[Program], as_of: dt.date, batch: pa.Table | pa.RecordBatch,
                             params: Mapping[str, Any] | None = None, first_row: int = 1,
                             source: str | None = None) -> tuple[pa.Table, pa.Table]:
    """Long-form grades and rejected rows of one partition (rows numbered from ``first_row``)."""
    table = _as_table(batch)
    grader = Grader(list(packs), as_of, dict(params or {}))
    chunk = RawChunk(table, np.arange(first_row, first_row + table.num_rows, dtype=np.int64))
    result = grader.grade_chunk(chunk)
    return result.long, _rejects_table(result.rejects, source)


def grade_arrow(packs: Sequence[Program], as_of: dt.date, batch: pa.Table | pa.RecordBatch,
                params: Mapping[str, Any] | None = None) -> pa.Table:
    """Long-form grades of one partition (rejected rows are left out; see grade_arrow_with_rejects)."""
    return grade_arrow_with_rejects(packs, as_of, batch, params)[0]


def grade_pandas(packs: Sequence[Program], as_of: dt.date, frame: Any,
                 params: Mapping[str, Any] | None = None) -> Any:
    """The same for a pandas DataFrame (what ``dask.dataframe.map_partitions`` hands over)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return grade_arrow(packs, as_of, table, params).to_pandas()


def _rejects_table(rejects: list[RowReject], source: str | None) -> pa.Table:
    rows = []
    for r in rejects:
        d = r.to_dict()
        d["source"] = source
        d["value"] = None if d["value"] is None else str(d["value"])
        rows.append(d)
    return pa.Table.from_pylist(rows, schema=rejects_schema())
