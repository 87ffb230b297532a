"""CSV results: UTF-8 with a BOM (so Excel shows Chinese text), or another encoding a bureau's system
reads (``gb18030``, with no BOM); a header row, ``\\n`` line ends.

Lists are joined with ``;``, booleans are ``true``/``false``, missing values are empty cells.
Plain columns go through ``pyarrow.csv`` (fast); only columns it cannot write (timestamps,
objects, nested lists, …) are spelled in Python. Text a spreadsheet would run as a formula (it
starts with = + - @, a tab or a carriage return) is written with a leading ``'``, header names too,
unless the writer is told ``escape_formulas=False``.
"""

from __future__ import annotations

import codecs
import io
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import OutputError
from .write_values import conform, escape_formula, escape_formulas, nan_to_null, text_value

LIST_SEP = ";"


class CsvSink:
    """Appends tables to a CSV file; the first table's columns make the header."""

    def __init__(self, file: BinaryIO, name: str, encoding: str | None = None, escape: bool = True) -> None:
        self.file = file
        self.name = name
        self.escape = escape
        self.names: list[str] | None = None
        self.encoding = None if encoding is None else codecs.lookup(encoding).name
        if self.encoding in ("utf-8", "utf-8-sig"):
            self.encoding = None
        # one encoder for the whole file: UTF-16 and UTF-32 write their byte-order mark once, not per chunk
        self._encoder = None if self.encoding is None else codecs.getincrementalencoder(self.encoding)()

    def write(self, table: pa.Table) -> None:
        table = conform(table, self.names, self.name)
        first = self.names is None
        if first:
            self.names = table.column_names
            if self.encoding is None:
                self.file.write(codecs.BOM_UTF8)
        table = nan_to_null(table)
        columns = [_plain(col) for col in table.columns]
        names = table.column_names
        if self.escape:
            columns = [escape_formulas(c) if pa.types.is_string(c.type) else c for c in columns]
            names = [escape_formula(n) for n in names]
        table = pa.table(columns, names=names)
        if self.encoding is None:
            pacsv.write_csv(table, self.file, pacsv.WriteOptions(include_header=first))
            return
        buffer = io.BytesIO()
        pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=first))
        text = buffer.getvalue().decode("utf-8")
        try:
            self.file.write(self._encoder.encode(text))
        except UnicodeEncodeError as exc:
            raise OutputError(f"{self.name}: {text[exc.start:exc.end]!r} cannot be written in {self.encoding}; "
                              "write UTF-8 (the default) or gb18030, which hold every character") from None

    def finish(self) -> None:
        """Nothing to add: every row is written as it comes."""

    def discard(self) -> None:
        """Nothing to release."""


def _plain(col: pa.ChunkedArray) -> pa.ChunkedArray | pa.Array:
    """The column in a type ``pyarrow.csv`` writes the way this format wants."""
    kind = col.type
    if pa.types.is_dictionary(kind):
        return _plain(col.cast(kind.value_type))
    if _is_scalar_text_friendly(kind):
        return col
    if (pa.types.is_list(kind) or pa.types.is_large_list(kind)) \
            and _is_scalar_text_friendly(kind.value_type) and not pa.types.is_null(kind.value_type):
        return pa.chunked_array([_join(chunk) for chunk in col.chunks], pa.string())
    return pa.array([text_value(v, LIST_SEP) for v in col.to_pylist()], pa.string())


def _is_scalar_text_friendly(kind: pa.DataType) -> bool:
    return (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_integer(kind)
            or pa.types.is_floating(kind) or pa.types.is_boolean(kind) or pa.types.is_date(kind)
            or pa.types.is_null(kind))


def _join(chunk: pa.Array) -> pa.Array:
    """A list column as text, items joined with ``;`` (a missing item is an empty item)."""
    lists = pc.cast(chunk, pa.list_(pa.string()))
    if pc.list_flatten(lists).null_count:  # binary_join would null the whole list: rare, go slow
        return pa.array([text_value(v, LIST_SEP) for v in chunk.to_pylist()], pa.string())
    return pc.binary_join(lists, LIST_SEP)
