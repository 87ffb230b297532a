"""Open entities from wherever they are: a file, a DataFrame, an Arrow table, or Python dicts.

:func:`open_entities` returns an :class:`EntitySource`, an iterable of :class:`RawChunk` (a
``pyarrow.Table`` plus each row's source row number). Reading is lazy and chunked, so memory stays
flat however many rows come. Rows that cannot even be split into cells become
:class:`SourceReject` entries; a source that cannot be read at all raises ``InputError``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import InputError
from ..table.chunks import RawChunk, SourceReject
from .read_base import EntitySource
from .read_csv import CsvSource
from .read_jsonl import JsonlSource
from .read_memory import ArrowSource, DataFrameSource
from .read_parquet import ParquetSource
from .read_records import RecordsSource

__all__ = ["EntitySource", "RawChunk", "SourceReject", "open_entities", "FILE_FORMATS"]

# File extension -> format. ".tsv" is the csv format with a tab separator.
FILE_FORMATS: dict[str, str] = {
    ".csv": "csv", ".tsv": "tsv",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl", ".json": "jsonl",
    ".parquet": "parquet", ".pq": "parquet",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
}
_FORMAT_NAMES = ("csv", "tsv", "jsonl", "parquet", "xlsx")
_ACCEPTED = ("CSV (.csv, .tsv), JSON Lines (.jsonl, .ndjson), Parquet (.parquet, .pq), "
             "Excel (.xlsx), a pandas DataFrame, a pyarrow Table or RecordBatch, or a list of dicts")


def open_entities(source: Any, *, format: str | None = None, encoding: str | None = None,
                  chunk_rows: int = 65536, sheet: str | None = None) -> EntitySource:
    """Open an entity source for chunked reading.

    ``source`` is a path (``str`` or ``os.PathLike``), a pandas DataFrame, a pyarrow Table or
    RecordBatch, a list / iterable of dicts, or one dict (a single entity). For a path the format comes from the extension
    unless ``format`` names it (``csv``, ``tsv``, ``jsonl``, ``parquet``, ``xlsx``). ``encoding``
    applies to text files (default: detected for CSV, UTF-8 for JSON Lines); ``sheet`` picks an
    Excel sheet by name (default: the first).

    Raises InputError for a missing or unreadable file or an unknown format.
    """
    if isinstance(source, (str, os.PathLike)):
        return _open_file(Path(source), format, encoding, chunk_rows, sheet)
    if isinstance(source, (pa.Table, pa.RecordBatch)):
        return ArrowSource(source, chunk_rows=chunk_rows)
    pandas = sys.modules.get("pandas")  # a DataFrame implies pandas is imported already
    if pandas is not None and isinstance(source, pandas.DataFrame):
        return DataFrameSource(source, chunk_rows=chunk_rows)
    if isinstance(source, Mapping):  # one entity
        return RecordsSource([source], chunk_rows=chunk_rows)
    if isinstance(source, Iterable) and not isinstance(source, (bytes, bytearray)):
        return RecordsSource(source, chunk_rows=chunk_rows)
    raise InputError(f"cannot read entities from a {type(source).__name__}; give {_ACCEPTED}")


def _open_file(path: Path, format: str | None, encoding: str | None, chunk_rows: int,
               sheet: str | None) -> EntitySource:
    kind = _file_format(path, format)
    if not path.exists():
        raise InputError("no such file", file=str(path))
    if path.is_dir():
        raise InputError("this is a folder, not a file", file=str(path))
    try:
        return _open_kind(path, kind, encoding, chunk_rows, sheet)
    except OSError as exc:  # permissions, a file vanishing between the check and the open, …
        raise InputError(f"cannot open the file: {exc}", file=str(path)) from None


def _open_kind(path: Path, kind: str, encoding: str | None, chunk_rows: int,
               sheet: str | None) -> EntitySource:
    if kind in ("csv", "tsv"):
        delimiter = "\t" if kind == "tsv" else ","
        return CsvSource(path, delimiter=delimiter, encoding=encoding, chunk_rows=chunk_rows)
    if kind == "jsonl":
        return JsonlSource(path, encoding=encoding, chunk_rows=chunk_rows)
    if kind == "parquet":
        return ParquetSource(path, chunk_rows=chunk_rows)
    from .read_xlsx import XlsxSource  # openpyxl is loaded when a workbook is read, not on import

    return XlsxSource(path, sheet=sheet, chunk_rows=chunk_rows)


def _file_format(path: Path, format: str | None) -> str:
    if format is not None:
        kind = format.lower().lstrip(".")
        kind = FILE_FORMATS.get("." + kind, kind)
        if kind not in _FORMAT_NAMES:
            raise InputError(f"unknown format {format!r}; use one of {', '.join(_FORMAT_NAMES)}",
                             file=str(path))
        return kind
    suffix = path.suffix.lower()
    if suffix in FILE_FORMATS:
        return FILE_FORMATS[suffix]
    hint = " (save old .xls workbooks as .xlsx)" if suffix == ".xls" else ""
    raise InputError(f"cannot tell the format from the extension {suffix or '(none)'!r}{hint}; "
                     f"accepted: {_ACCEPTED}, or pass format=", file=str(path))
