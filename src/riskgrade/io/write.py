"""Write grading results to JSON Lines, CSV, Parquet or Excel, atomically.

A :class:`ResultWriter` writes into a hidden temporary file next to the target and moves it into
place only when closed, so an interrupted run leaves either the previous file or the complete new
one — never half a file that another system might pick up.
"""

from __future__ import annotations

import functools
import os
import stat
import tempfile
import weakref
from pathlib import Path
from types import TracebackType
from typing import Any, Iterable

import pyarrow as pa

from ..errors import OutputError
from ..results.rejects import REJECTS_COLUMNS_FOR_PEOPLE, RowReject, Wording, rejects_table
from .write_csv import CsvSink
from .write_jsonl import JsonlSink
from .write_parquet import ParquetSink

__all__ = ["ResultWriter", "write_table", "OUTPUT_FORMATS"]

OUTPUT_FORMATS: dict[str, str] = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
    ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx",
}
_FORMAT_NAMES = ("jsonl", "csv", "parquet", "xlsx")


class ResultWriter:
    """Streams result tables into one file; a context manager.

    ``write`` may be called once per chunk; every chunk must have the first chunk's columns. The
    ``wide`` table goes to the second sheet of an xlsx workbook; the other formats hold one table
    (the long one), so there it is ignored — callers may pass both whatever the format. On leaving
    the ``with`` block normally the file is completed and moved into place; on an exception the
    temporary file is removed and the old file stays as it was.

    ``escape_formulas`` (default on): text that a spreadsheet would run as a formula is written as
    text — a string cell in xlsx, a leading ``'`` in CSV (``io.write_values.FORMULA_LIKE``).
    """

    def __init__(self, path: str | os.PathLike[str], *, format: str | None = None,
                 sheet_names: tuple[str, str] = ("grades", "overview"), encoding: str | None = None,
                 escape_formulas: bool = True) -> None:
        self.path = Path(path)
        self.format = _output_format(self.path, format)
        if self.path.is_dir():
            raise OutputError(f"{self.path}: this is a folder; give a file name")
        fd, self._tmp = _temp_file(self.path)
        self._file = _open_fd(fd)
        try:
            self._sink = _make_sink(self.format, self._file, str(self.path), sheet_names, encoding, escape_formulas)
        except BaseException:
            _drop(None, self._file, self._tmp)
            raise
        # A writer dropped without close() or abort() must not leave its temporary file behind.
        self._cleanup = weakref.finalize(self, _drop, self._sink, self._file, self._tmp)
        self._state = "open"

    def write(self, long: pa.Table, wide: pa.Table | None = None) -> None:
        """Append a chunk of the long table and, for xlsx, of the wide table (else ignored)."""
        long, wide = _as_table(long), _as_table(wide)
        if self._state != "open":
            raise OutputError(f"{self.path}: the writer is already {self._state}")
        try:
            if self.format == "xlsx":  # the one format with a second sheet
                self._sink.write(long, wide)
            else:
                self._sink.write(long)
        except OutputError:
            raise
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write: {exc}") from exc

    def close(self) -> None:
        """Finish the file, flush it to disk and move it into place. A second call does nothing."""
        if self._state != "open":
            return
        try:
            self._sink.finish()
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            os.chmod(self._tmp, _final_mode(self.path))
            os.replace(self._tmp, self.path)
        except BaseException as exc:
            self.abort()
            if isinstance(exc, OSError) and not isinstance(exc, OutputError):
                raise OutputError(f"{self.path}: cannot write: {exc}") from exc
            raise
        self._state = "closed"
        self._cleanup.detach()
        _fsync_dir(self.path.parent)

    def abort(self) -> None:
        """Drop everything written; the file at ``path`` (if any) is left untouched."""
        if self._state == "closed":
            return
        self._state = "aborted"
        self._cleanup()

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def __repr__(self) -> str:
        return f"<ResultWriter {str(self.path)!r} format={self.format!r} {self._state}>"


def write_table(table: pa.Table, path: str | os.PathLike[str], *, format: str | None = None,
                encoding: str | None = None, escape_formulas: bool = True) -> None:
    """Write one table to ``path`` atomically, in the format its extension names (``encoding``: CSV)."""
    with ResultWriter(path, format=format, encoding=encoding, escape_formulas=escape_formulas) as writer:
        writer.write(table)


def _as_table(data: pa.Table | pa.RecordBatch | None) -> pa.Table | None:
    return pa.Table.from_batches([data]) if isinstance(data, pa.RecordBatch) else data


def _make_sink(kind: str, file: Any, name: str, sheet_names: tuple[str, str], encoding: str | None,
               escape: bool) -> Any:
    if kind == "xlsx":
        from .write_xlsx import XlsxSink  # openpyxl is loaded when a workbook is written, not on import

        return XlsxSink(file, name, sheet_names, escape)
    if kind == "csv":
        return CsvSink(file, name, encoding, escape)
    return {"jsonl": JsonlSink, "parquet": ParquetSink}[kind](file, name)


def _output_format(path: Path, format: str | None) -> str:
    if format is not None:
        kind = format.lower().lstrip(".")
        kind = OUTPUT_FORMATS.get("." + kind, kind)
        if kind not in _FORMAT_NAMES:
            raise OutputError(f"{path}: unknown format {format!r}; use one of "
                              f"{', '.join(_FORMAT_NAMES)}")
        return kind
    kind = OUTPUT_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise OutputError(f"{path}: cannot tell the format from the extension "
                          f"{path.suffix or '(none)'!r}; use .jsonl, .csv, .parquet or .xlsx, "
                          "or pass format=")
    return kind


def _temp_file(path: Path) -> tuple[int, str]:
    """A new, empty temporary file in the target's folder (so ``os.replace`` is a rename)."""
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {str(folder)!r} does not exist")
    try:
        return tempfile.mkstemp(dir=folder, prefix="." + path.name + ".", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot create a file in {str(folder)!r}: {exc}") from exc


def _final_mode(path: Path) -> int:
    """Keep the permissions of the file being replaced; a new file gets the usual 0666 & ~umask
    (``mkstemp`` creates 0600, which would hide results from colleagues)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@functools.cache
def _umask() -> int:
    # The only portable way to read the umask is to set it and set it back; do it once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _open_fd(fd: int) -> Any:
    return os.fdopen(fd, "wb")


def _drop(sink: Any, file: Any, path: str) -> None:
    """Abandon a temporary file: let the format writer go, close the file, delete it — the last
    whatever the first two raise (closing flushes, and on a full disk that fails too)."""
    try:
        if sink is not None:
            sink.discard()
    except Exception:  # noqa: BLE001 - best effort: the file is deleted next
        pass
    finally:
        try:
            file.close()
        except OSError:
            pass
        finally:
            try:
                os.remove(path)
            except FileNotFoundError:
                pass


def write_rejects(rejects: Iterable[RowReject], path: str | os.PathLike[str], *, wording: Wording | None = None,
                  encoding: str | None = None, escape_formulas: bool = True) -> None:
    """The rejected rows, one line per row with every reason, as JSON Lines (or CSV, xlsx, Parquet by
    the extension), written atomically; values as text (``results.rejects``), the same whichever path
    graded the rows. CSV and xlsx, for people, leave out the nested ``problems``; with ``wording``
    (e.g. ``results.reject_text.ChineseRejects``) reasons and, there, headers are in its language."""
    table = rejects_for_file(rejects, _output_format(Path(path), None), wording)
    write_table(table, path, encoding=encoding, escape_formulas=escape_formulas)


def rejects_for_file(rejects: Iterable[RowReject], kind: str, wording: Wording | None = None) -> pa.Table:
    """The rejected rows as a rejects file of format ``kind`` holds them (see ``write_rejects``), so
    that a run may also write them chunk by chunk with a ``ResultWriter``."""
    table = rejects_table(rejects, wording)
    if kind in ("csv", "xlsx"):
        table = table.select(list(REJECTS_COLUMNS_FOR_PEOPLE))
        headers = getattr(wording, "headers", None)
        if headers:
            table = table.rename_columns([headers.get(n, n) for n in table.column_names])
    return table
