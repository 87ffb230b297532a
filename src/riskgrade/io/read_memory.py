"""Entities already in memory: a pandas DataFrame, or a pyarrow Table or RecordBatch.

Row numbers are 1-based positions (not the DataFrame's index, which need not be numbers).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from ..table.chunks import RawChunk
from .read_base import EntitySource, clean_names, positions, rename
from .read_columns import build_column


class ArrowSource(EntitySource):
    """A pyarrow Table or RecordBatch, sliced into chunks (no copy for single-chunk columns)."""

    format = "arrow"

    def __init__(self, data: pa.Table | pa.RecordBatch, *, chunk_rows: int = 65536) -> None:
        super().__init__(f"<{type(data).__name__}>", chunk_rows)
        table = pa.Table.from_batches([data]) if isinstance(data, pa.RecordBatch) else data
        self.columns = clean_names(table.column_names, self.name)
        self._table = rename(table, self.columns)

    def _chunks(self) -> Iterator[RawChunk]:
        for start in range(0, self._table.num_rows, self.chunk_rows):
            table = self._table.slice(start, self.chunk_rows).combine_chunks()
            yield RawChunk(table, positions(start + 1, table.num_rows))


class DataFrameSource(EntitySource):
    """A pandas DataFrame, converted to Arrow one chunk at a time so memory stays flat.

    A column pyarrow cannot convert (an object column mixing numbers and text, say) becomes text
    in that chunk; the next stage reports the cells it cannot use.
    """

    format = "dataframe"

    def __init__(self, frame: Any, *, chunk_rows: int = 65536) -> None:
        super().__init__("<DataFrame>", chunk_rows)
        self.columns = clean_names(list(frame.columns), self.name)
        self._frame = frame

    def _chunks(self) -> Iterator[RawChunk]:
        for start in range(0, len(self._frame), self.chunk_rows):
            part = self._frame.iloc[start:start + self.chunk_rows]
            yield RawChunk(self._to_arrow(part), positions(start + 1, len(part)))

    def _to_arrow(self, part: Any) -> pa.Table:
        try:
            return rename(pa.Table.from_pandas(part, preserve_index=False), self.columns)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            pass  # some column is not uniform; convert column by column below
        arrays = []
        for i in range(part.shape[1]):
            series = part.iloc[:, i]
            try:
                arrays.append(pa.Array.from_pandas(series))
            except (pa.ArrowException, TypeError, ValueError, OverflowError):
                arrays.append(build_column(series.tolist()))
        return pa.Table.from_arrays(arrays, names=self.columns)
