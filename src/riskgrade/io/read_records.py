"""Entities given as Python dicts (a list, or any iterable of them).

Columns are the keys, in the order they are first seen; a key that appears only in later rows is
null in earlier ones, and once seen a column stays in every later chunk.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from ..table.chunks import RawChunk
from .read_base import EntitySource, clean_names, rename
from .read_columns import merge_keys, table_from_rows


class RowBatcher:
    """Collects dict rows and cuts them into chunks of ``chunk_rows`` rows."""

    def __init__(self, chunk_rows: int, file: str) -> None:
        self.chunk_rows = chunk_rows
        self.file = file
        self.keys: dict[Any, None] = {}  # ordered set of every key seen so far
        self.rows: list[Mapping[Any, Any]] = []
        self.numbers: list[int] = []

    def add(self, row: Mapping[Any, Any], number: int) -> RawChunk | None:
        """Add one row; returns a full chunk when one is ready."""
        merge_keys(self.keys, row)
        self.rows.append(row)
        self.numbers.append(number)
        return self.flush() if len(self.rows) >= self.chunk_rows else None

    def flush(self) -> RawChunk | None:
        """The rows held so far as a chunk (None when there are none)."""
        if not self.rows:
            return None
        keys = list(self.keys)
        table = rename(table_from_rows(self.rows, keys), clean_names(keys, self.file))
        chunk = RawChunk(table, np.asarray(self.numbers, dtype=np.int64))
        self.rows, self.numbers = [], []
        return chunk


class RecordsSource(EntitySource):
    """A list (or any iterable) of dicts; row numbers are 1-based positions.

    A list can be read many times; a generator only once.
    """

    format = "records"

    def __init__(self, records: Iterable[Any], *, chunk_rows: int = 65536) -> None:
        super().__init__("<records>", chunk_rows)
        self._records = records
        self._once = iter(records) is records  # an iterator cannot be read twice
        self._started = False

    def _chunks(self) -> Iterator[RawChunk]:
        if self._once and self._started:
            raise self._error("these records were given as an iterator and have been read "
                              "already; pass a list to read them again")
        self._started = True
        batcher = RowBatcher(self.chunk_rows, self.name)
        for number, row in enumerate(self._records, start=1):
            if not isinstance(row, Mapping):
                self._reject(number, f"item is of type {type(row).__name__}, not a dict of "
                                     "field names to values; pass one dict per entity")
                continue
            chunk = batcher.add(row, number)
            if chunk is not None:
                yield chunk
        chunk = batcher.flush()
        if chunk is not None:
            yield chunk
