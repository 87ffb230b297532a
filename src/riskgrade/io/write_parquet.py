"""Parquet results, written row group by row group with the schema of the first table.

Row groups have a fixed size, whatever the size of the tables written: the file's bytes then depend
only on the rows, not on how the grading was chunked (one row per chunk or a million), so the same
grades give the same file.
"""

from __future__ import annotations

from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import OutputError
from .write_values import conform

ROW_GROUP_ROWS = 65536


class ParquetSink:
    """Appends tables to a Parquet file; later tables are cast to the first one's schema."""

    def __init__(self, file: BinaryIO, name: str, row_group_rows: int = ROW_GROUP_ROWS) -> None:
        self.file = file
        self.name = name
        self.row_group_rows = row_group_rows
        self.writer: pq.ParquetWriter | None = None
        self.schema: pa.Schema | None = None
        self.held: list[pa.Table] = []  # rows not yet written: less than one row group
        self.held_rows = 0

    def write(self, table: pa.Table) -> None:
        if self.writer is None:
            self.schema = table.schema
            self.writer = pq.ParquetWriter(self.file, table.schema)
        else:
            table = self._cast(conform(table, self.schema.names, self.name))
        self.held.append(table)
        self.held_rows += table.num_rows
        if self.held_rows >= self.row_group_rows:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        """Write every full row group held (and, at the end, the rest)."""
        assert self.writer is not None
        table = pa.concat_tables(self.held)
        full = table.num_rows - table.num_rows % self.row_group_rows
        end = table.num_rows if final else full
        for start in range(0, end, self.row_group_rows):
            self.writer.write_table(table.slice(start, min(self.row_group_rows, end - start)),
                                    row_group_size=self.row_group_rows)
        rest = table.slice(end)
        self.held, self.held_rows = ([rest] if rest.num_rows else []), rest.num_rows

    def _cast(self, table: pa.Table) -> pa.Table:
        if table.schema.equals(self.schema):
            return table
        try:
            return table.cast(self.schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
            raise OutputError(f"{self.name}: a chunk's column types differ from the first "
                              f"chunk's and cannot be converted: {exc}") from None

    def finish(self) -> None:
        """Write the rows held and the footer (an empty table when nothing was written, so the
        file is valid)."""
        if self.writer is None:
            pq.write_table(pa.table({}), self.file)
            return
        if self.held_rows:
            self._flush(final=True)
        self.writer.close()

    def discard(self) -> None:
        """Let go of the writer without finishing the file (it is deleted anyway)."""
        self.held, self.held_rows = [], 0
        if self.writer is not None:
            try:
                self.writer.close()
            except (OSError, ValueError, pa.ArrowException):
                pass
            self.writer = None
