"""Excel workbooks (.xlsx), streamed row by row with openpyxl's read-only mode.

The first non-empty row of the sheet names the columns. Cells keep their kind: numbers, dates
(datetimes at midnight become dates), booleans, text (stripped; empty text is null). Formulas give
the value Excel cached when it last saved the file; a formula never calculated gives null. Of a
merged range only the top-left cell holds the value; the others are null.

A workbook whose parts declare a DTD (``<!DOCTYPE …>``: entity expansion, external entities) is
refused before openpyxl parses it: Excel never writes one. A sheet that turns out to be damaged
half way is an InputError naming the last row read, not a traceback.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import InputError
from ..table.chunks import RawChunk
from .read_base import EntitySource, clean_names
from .read_columns import build_column, dates_if_all_midnight

_BAD_WORKBOOK = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError,
                 SyntaxError, IndexError, AttributeError, EOFError)  # SyntaxError: XML ParseError
_PROLOG_BYTES = 64 << 10  # a DTD sits before the root element, in the first bytes of a part


class XlsxSource(EntitySource):
    """One worksheet (``sheet`` by name, else the first); row numbers are worksheet row numbers."""

    format = "xlsx"

    def __init__(self, path: Path, *, sheet: str | None = None, chunk_rows: int = 65536) -> None:
        super().__init__(str(path), chunk_rows)
        self.path = path
        self.sheet = sheet
        with self._rows() as rows:
            header_row, header = _first_filled(rows)
        if header is None:
            raise self._error(f"sheet {self.sheet!r} is empty; its first row must name the columns")
        self._header_row = header_row
        self.width = _filled_width(header)
        self.columns = clean_names(header[: self.width], self.name)

    @contextmanager
    def _rows(self) -> Iterator[Iterator[tuple[int, tuple[Any, ...]]]]:
        """(row number, cell values) of every row of the sheet; closes the workbook afterwards."""
        try:
            self._refuse_dtd()
            book = load_workbook(self.path, read_only=True, data_only=True)
        except InputError:
            raise
        except _BAD_WORKBOOK as exc:
            raise self._error(f"not a readable .xlsx workbook: {exc}") from None
        try:
            if self.sheet is None:
                sheet = book.worksheets[0]
                self.sheet = sheet.title
            elif self.sheet in book.sheetnames:
                sheet = book[self.sheet]
            else:
                names = ", ".join(repr(n) for n in book.sheetnames)
                raise self._error(f"there is no sheet {self.sheet!r}; the workbook has {names}")
            # The size a file declares is sometimes wrong (e.g. "A1:A1"), and read-only mode would
            # cut the rows and columns to it; ignore it and read every cell there is.
            sheet.reset_dimensions()
            # Read-only mode yields an empty row for every missing row, so positions stay true.
            yield self._guarded(enumerate(sheet.iter_rows(values_only=True), start=1))
        finally:
            book.close()

    def _guarded(self, rows: Iterator[tuple[int, tuple[Any, ...]]]) -> Iterator[tuple[int, tuple[Any, ...]]]:
        number = 0
        while True:
            try:
                number, values = next(rows)
            except StopIteration:
                return
            except (*_BAD_WORKBOOK, RecursionError, MemoryError) as exc:
                raise self._error(f"the sheet is damaged after row {number}: {exc}", row=number + 1) from None
            yield number, values

    def _refuse_dtd(self) -> None:
        with zipfile.ZipFile(self.path) as archive:
            for info in archive.infolist():
                if not info.filename.endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(info) as part:
                    head = part.read(_PROLOG_BYTES)
                if b"<!DOCTYPE" in head.upper():
                    raise self._error(f"part {info.filename} declares a DTD (<!DOCTYPE …>), which Excel never "
                                      "writes and which could expand entities or read other files; re-save the "
                                      "workbook in Excel or export it as CSV")

    def _chunks(self) -> Iterator[RawChunk]:
        cells: list[list[Any]] = [[] for _ in self.columns]
        numbers: list[int] = []
        with self._rows() as rows:
            for number, values in rows:
                if number <= self._header_row:
                    continue
                row = self._row(number, values)
                if row is None:
                    continue
                for column, value in zip(cells, row):
                    column.append(value)
                numbers.append(number)
                if len(numbers) >= self.chunk_rows:
                    yield self._chunk(cells, numbers)
                    cells, numbers = [[] for _ in self.columns], []
        if numbers:
            yield self._chunk(cells, numbers)

    def _row(self, number: int, values: tuple[Any, ...]) -> list[Any] | None:
        """The row's cells under the header, or None for an empty or rejected row."""
        row = [_clean(v) for v in values[: self.width]]
        row += [None] * (self.width - len(row))
        stray = [i for i, v in enumerate(values[self.width:], start=self.width + 1)
                 if _clean(v) is not None]
        if stray:
            letter = get_column_letter(stray[0])
            self._reject(number, f"row has a value in column {letter}, which has no header; "
                                 "add a header for it or clear the cell")
            return None
        if all(v is None for v in row):
            return None
        return row

    def _chunk(self, cells: list[list[Any]], numbers: list[int]) -> RawChunk:
        arrays = [build_column(dates_if_all_midnight(column)) for column in cells]
        table = pa.Table.from_arrays(arrays, names=self.columns)
        return RawChunk(table, np.asarray(numbers, dtype=np.int64))


def _first_filled(rows: Iterator[tuple[int, tuple[Any, ...]]]) -> tuple[int, list[Any] | None]:
    for number, values in rows:
        cleaned = [_clean(v) for v in values]
        if any(v is not None for v in cleaned):
            return number, cleaned
    return 0, None


def _filled_width(header: list[Any]) -> int:
    """Columns up to the last named one (formatting often stretches a sheet's used range)."""
    return max(i for i, v in enumerate(header, start=1) if v is not None)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
