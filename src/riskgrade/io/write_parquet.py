"""Parquet results, written row group by row group with the schema of the first table."""

from __future__ import annotations

from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import OutputError
from .write_values import conform


class ParquetSink:
    """Appends tables to a Parquet file; later tables are cast to the first one's schema."""

    def __init__(self, file: BinaryIO, name: str) -> None:
        self.file = file
        self.name = name
        self.writer: pq.ParquetWriter | None = None
        self.schema: pa.Schema | None = None

    def write(self, table: pa.Table) -> None:
        if self.writer is None:
            self.schema = table.schema
            self.writer = pq.ParquetWriter(self.file, table.schema)
        else:
            table = self._cast(conform(table, self.schema.names, self.name))
        self.writer.write_table(table)

    def _cast(self, table: pa.Table) -> pa.Table:
        if table.schema.equals(self.schema):
            return table
        try:
            return table.cast(self.schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
            raise OutputError(f"{self.name}: a chunk's column types differ from the first "
                              f"chunk's and cannot be converted: {exc}") from None

    def finish(self) -> None:
        """Write the footer (an empty table when nothing was written, so the file is valid)."""
        if self.writer is None:
            pq.write_table(pa.table({}), self.file)
        else:
            self.writer.close()

    def discard(self) -> None:
        """Let go of the writer without finishing the file (it is deleted anyway)."""
        if self.writer is not None:
            try:
                self.writer.close()
            except (OSError, ValueError, pa.ArrowException):
                pass
            self.writer = None
