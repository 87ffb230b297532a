"""Parquet entity files, streamed batch by batch with the types the file stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..table.chunks import RawChunk
from .read_base import EntitySource, clean_names, positions, rechunk, rename


class ParquetSource(EntitySource):
    """A Parquet file read in chunks of ``chunk_rows`` rows; row numbers are 1-based positions."""

    format = "parquet"

    def __init__(self, path: Path, *, chunk_rows: int = 65536) -> None:
        super().__init__(str(path), chunk_rows)
        self.path = path
        # Opening reads the footer, so a truncated or foreign file is refused here, up front.
        with self._open() as parquet:
            self.columns = clean_names(parquet.schema_arrow.names, self.name)

    def _open(self) -> pq.ParquetFile:
        try:
            return pq.ParquetFile(self.path, pre_buffer=False)
        except (pa.ArrowException, OSError) as exc:
            raise self._error(f"not a readable Parquet file: {exc}") from None

    def _chunks(self) -> Iterator[RawChunk]:
        return rechunk(self._pieces(), self.chunk_rows)

    def _pieces(self) -> Iterator[RawChunk]:
        start = 1
        with self._open() as parquet:
            batches = parquet.iter_batches(batch_size=self.chunk_rows)
            while True:
                try:
                    batch = next(batches)
                except StopIteration:
                    return
                except (pa.ArrowException, OSError) as exc:
                    raise self._error(f"not a readable Parquet file: {exc}", row=start) from None
                table = rename(pa.Table.from_batches([batch]), self.columns)
                yield RawChunk(table, positions(start, batch.num_rows))
                start += batch.num_rows
