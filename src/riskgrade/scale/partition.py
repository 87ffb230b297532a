"""The pure per-partition grading function that Dask, Spark and Ray map over their data.

``grade_arrow(packs, options, batch)`` takes an Arrow table or record batch and returns the long-form
results as an Arrow table; nothing is read or written and no state is kept, so any engine may call it
on any worker in any order. Rejected rows come back from ``grade_arrow_with_rejects``, as the rows of
a rejects file (``results.rejects``). ``options`` is a ``GradeOptions`` or a grading date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, Mapping, Sequence

import numpy as np
import pyarrow as pa

from ..compiler import Program
from ..grading import GradeOptions, Grader
from ..results.rejects import REJECTS_SCHEMA, rejects_table
from ..table.chunks import RawChunk

Options = GradeOptions | dt.date


def rejects_schema() -> pa.Schema:
    """The schema of the rejected rows (one for every path that writes them)."""
    return REJECTS_SCHEMA


def _options(options: Options, params: Mapping[str, Any] | None) -> GradeOptions:
    if isinstance(options, GradeOptions):
        return GradeOptions.of(options, params=dict(params)) if params is not None else options
    return GradeOptions(as_of=options, params=dict(params or {}))


def _as_table(batch: pa.Table | pa.RecordBatch) -> pa.Table:
    return pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch


def grade_arrow_with_rejects(packs: Sequence[Program], options: Options, batch: pa.Table | pa.RecordBatch,
                             params: Mapping[str, Any] | None = None, first_row: int = 1,
                             source: str | None = None) -> tuple[pa.Table, pa.Table]:
    """Long-form grades and rejected rows of one partition (rows numbered from ``first_row``)."""
    table = _as_table(batch)
    grader = Grader(list(packs), _options(options, params))
    chunk = RawChunk(table, np.arange(first_row, first_row + table.num_rows, dtype=np.int64))
    result = grader.grade_chunk(chunk, source)
    return result.long, rejects_table(replace(r, source=source) for r in result.rejects)


def grade_arrow(packs: Sequence[Program], options: Options, batch: pa.Table | pa.RecordBatch,
                params: Mapping[str, Any] | None = None) -> pa.Table:
    """Long-form grades of one partition (rejected rows are left out; see grade_arrow_with_rejects)."""
    return grade_arrow_with_rejects(packs, options, batch, params)[0]


def grade_pandas(packs: Sequence[Program], options: Options, frame: Any,
                 params: Mapping[str, Any] | None = None) -> Any:
    """The same for a pandas DataFrame (what ``dask.dataframe.map_partitions`` hands over)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return grade_arrow(packs, options, table, params).to_pandas()
