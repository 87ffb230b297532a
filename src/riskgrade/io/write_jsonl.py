"""JSON Lines results: one object per row, keys in column order, UTF-8, ``\\n`` after every line.

The spelling is fixed so that the same results give byte-identical files: ``json.dumps`` with its
default separators (``", "`` and ``": "``), non-ASCII characters kept as they are, dates as
``YYYY-MM-DD``, datetimes ISO 8601, NaN as ``null``.
"""

from __future__ import annotations

from typing import BinaryIO

import pyarrow as pa

from .write_values import conform, nan_to_null, to_json


class JsonlSink:
    """Appends tables to a JSON Lines file."""

    def __init__(self, file: BinaryIO, name: str) -> None:
        self.file = file
        self.name = name
        self.names: list[str] | None = None

    def write(self, table: pa.Table) -> None:
        table = conform(table, self.names, self.name)
        if self.names is None:
            self.names = table.column_names
        if not table.num_rows:
            return
        lines = [to_json(row) for row in nan_to_null(table).to_pylist()]
        self.file.write(("\n".join(lines) + "\n").encode("utf-8"))

    def finish(self) -> None:
        """Nothing to add: every row is written as it comes."""

    def discard(self) -> None:
        """Nothing to release."""
