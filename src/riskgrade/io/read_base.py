"""What every entity reader yields: raw chunks, rows that could not be read, and the source itself.

A reader only *reads*: it splits the input into rows and columns and keeps the values as the file
holds them. Turning cells into the types a pack declares is the next stage's job.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import pyarrow as pa

from ..errors import InputError, OptionError
from ..table.chunks import RawChunk, SourceReject

# Characters a spreadsheet or an editor leaves around a header name: whitespace and the BOM.
_NAME_JUNK = " \t\r\n\v\f\u00a0\u3000\ufeff"


class EntitySource:
    """An iterable of :class:`RawChunk`, read lazily so that memory stays flat.

    ``rejects`` and ``rows_read`` fill as the chunks are read; iterating again (where the source
    allows it) starts both afresh.
    """

    format: str = ""

    def __init__(self, name: str, chunk_rows: int) -> None:
        if chunk_rows < 1:
            raise OptionError(f"chunk_rows must be at least 1, got {chunk_rows}")
        self.name = name
        self.chunk_rows = chunk_rows
        self.rejects: list[SourceReject] = []
        self.rows_read = 0

    def __iter__(self) -> Iterator[RawChunk]:
        self.rejects = []
        self.rows_read = 0
        for chunk in self._chunks():
            if chunk.table.num_rows:
                self.rows_read += chunk.table.num_rows
                yield chunk

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} format={self.format!r}>"

    def take_rejects(self) -> list[SourceReject]:
        """The rows rejected since the last call (so a long run need not hold them all)."""
        taken, self.rejects = self.rejects, []
        return taken

    def _chunks(self) -> Iterator[RawChunk]:
        """Yield the chunks; subclasses implement this."""
        raise NotImplementedError

    def _reject(self, row: int, reason: str) -> None:
        self.rejects.append(SourceReject(int(row), reason))

    def _error(self, message: str, row: int | None = None) -> InputError:
        return InputError(message, file=self.name, row=row)


def text_encoding(name: str, file: str) -> str:
    """The codec name for a text encoding; InputError for an unknown one or a codec that does not
    turn bytes into text (``rot13``, ``hex``, ``zlib`` …)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise InputError(f"unknown encoding {name!r}; use e.g. 'utf-8' or 'gb18030'", file=file) from None
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(f"{name!r} is not a text encoding; use e.g. 'utf-8' or 'gb18030'", file=file)
    return info.name


def clean_names(raw: Sequence[object], file: str) -> list[str]:
    """Header names stripped of whitespace and BOM; empty ones become ``column_<n>`` (1-based).

    Raises InputError when two columns end up with the same name: which of them should a rule
    read? Only the user can say.
    """
    names = []
    for i, name in enumerate(raw, start=1):
        text = "" if name is None else str(name).strip(_NAME_JUNK)
        names.append(text or f"column_{i}")
    seen: dict[str, int] = {}
    dupes = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 2:
            dupes.append(name)
    if dupes:
        shown = ", ".join(repr(d) for d in dupes)
        raise InputError(f"the header names these columns more than once: {shown}; "
                         "rename them so that every column has its own name", file=file)
    return names


def rename(table: pa.Table, names: list[str]) -> pa.Table:
    """The table with the given column names (cheap: no data is copied)."""
    return table if table.column_names == names else table.rename_columns(names)


def positions(start: int, count: int) -> np.ndarray:
    """Row numbers ``start, start+1, …`` as int64."""
    return np.arange(start, start + count, dtype=np.int64)


def rechunk(pieces: Iterable[RawChunk], chunk_rows: int) -> Iterator[RawChunk]:
    """Re-cut a stream of same-schema chunks of any size into chunks of exactly ``chunk_rows``.

    The last chunk may be shorter. At most one chunk plus one piece is held at a time.
    """
    tables: list[pa.Table] = []
    numbers: list[np.ndarray] = []
    held = 0
    for piece in pieces:
        if not piece.table.num_rows:
            continue
        tables.append(piece.table)
        numbers.append(piece.row_numbers)
        held += piece.table.num_rows
        while held >= chunk_rows:
            table = pa.concat_tables(tables)
            rows = np.concatenate(numbers)
            yield RawChunk(table.slice(0, chunk_rows).combine_chunks(), rows[:chunk_rows])
            tables, numbers = [table.slice(chunk_rows)], [rows[chunk_rows:]]
            held -= chunk_rows
    if held:
        yield RawChunk(pa.concat_tables(tables).combine_chunks(), np.concatenate(numbers))
