"""CSV and TSV entity files, streamed with ``pyarrow.csv``.

Every column is read as text ("001" stays "001"); empty and whitespace-only cells become null;
lines with no value at all (blank, or only separators) are skipped. The encoding is UTF-8 (with or
without BOM), UTF-16 with a BOM, or GB18030 — what Chinese bureau spreadsheets are usually
exported as — unless the caller names one.

Row numbers are physical line numbers, where the row starts, even when quoted cells span lines:
pyarrow numbers *records* (with blank lines kept, see ``ignore_empty_lines=False``), and
:class:`_LineCounter` adds the line breaks found inside the cells of every earlier record.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import InputError
from ..table.chunks import RawChunk
from .read_base import EntitySource, clean_names, rechunk, rename, text_encoding

SAMPLE_BYTES = 4 << 20  # how much of the file is decoded to choose an encoding
BLOCK_BYTES = 1 << 20   # pyarrow's parse block; a row must fit in one, so it grows when one does not
MAX_BLOCK_BYTES = 256 << 20  # a row larger than this is refused rather than read


class CsvSource(EntitySource):
    """A delimited text file read in chunks of ``chunk_rows`` rows."""

    format = "csv"

    def __init__(self, path: Path, *, delimiter: str = ",", encoding: str | None = None,
                 chunk_rows: int = 65536) -> None:
        super().__init__(str(path), chunk_rows)
        self.path = path
        self.delimiter = delimiter
        self.encoding = _check_encoding(encoding, self.name) if encoding else detect_encoding(path)
        self._raw_names = self._read_header()
        self.columns = clean_names(self._raw_names, self.name)

    # --- reading --------------------------------------------------------------------------------

    def _chunks(self) -> Iterator[RawChunk]:
        return rechunk(self._pieces(), self.chunk_rows)

    def _pieces(self) -> Iterator[RawChunk]:
        counter = _LineCounter(sum(_text_breaks(name) for name in self._raw_names))
        types = {name: pa.string() for name in self._raw_names}
        convert = pacsv.ConvertOptions(column_types=types, strings_can_be_null=True,
                                       quoted_strings_can_be_null=True, null_values=[""])
        block = BLOCK_BYTES
        while True:
            try:
                yield from self._batches(counter, convert, block)
                break
            except _RowTooLarge:
                # A row (a cell of megabytes) did not fit in a parse block: read on from the first
                # record not yet handed out, with blocks four times larger.
                if block >= MAX_BLOCK_BYTES:
                    raise self._error(f"a row holds more than {MAX_BLOCK_BYTES >> 20} MiB of text; split "
                                      "the file or shorten that cell", row=counter.line_of_next()) from None
                block *= 4
                counter.forget_pending()
        self._record_rejects(counter.finish())

    def _batches(self, counter: "_LineCounter", convert: pacsv.ConvertOptions, block: int) -> Iterator[RawChunk]:
        with self._reader(counter.on_invalid, convert, block, skip=counter.next_record - 2) as reader:
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    break
                except (pa.ArrowInvalid, UnicodeError) as exc:
                    raise self._read_error(exc) from None
                if batch.num_rows:
                    table = pa.Table.from_batches([batch])
                    rows, placed = counter.place(_cell_breaks(table))
                    self._record_rejects(placed)
                    yield self._tidy(table, rows)

    @contextmanager
    def _reader(self, handler: Callable[[Any], str], convert: pacsv.ConvertOptions | None = None,
                block: int = BLOCK_BYTES, skip: int = 0) -> Iterator[pacsv.CSVStreamingReader]:
        # Serial parsing: pyarrow gives an invalid row's record number only when not threaded.
        read = pacsv.ReadOptions(use_threads=False, block_size=block, skip_rows_after_names=skip)
        parse = pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True,
                                   ignore_empty_lines=False, invalid_row_handler=handler)
        with _Utf8Stream(self.path, self.encoding) as stream:
            try:
                # Opening parses the first block already, so it can fail like any later read.
                reader = pacsv.open_csv(stream, read_options=read, parse_options=parse,
                                        convert_options=convert)
            except (pa.ArrowInvalid, UnicodeError) as exc:
                raise self._read_error(exc) from None
            with closing(reader):
                yield reader

    def _read_header(self) -> list[str]:
        block = BLOCK_BYTES
        while True:
            try:
                with self._reader(lambda row: "skip", block=block) as reader:
                    return list(reader.schema.names)
            except _RowTooLarge:
                if block >= MAX_BLOCK_BYTES:
                    raise self._error(f"the first rows hold more than {MAX_BLOCK_BYTES >> 20} MiB of text; "
                                      "is this a CSV file?") from None
                block *= 4

    def _tidy(self, table: pa.Table, rows: np.ndarray) -> RawChunk:
        """Clean names, blank cells to null, and drop rows that hold no value at all."""
        table = rename(table, self.columns)
        columns = [_blank_to_null(col) for col in table.columns]
        table = pa.Table.from_arrays(columns, names=self.columns)
        empty = _all_null(columns)
        if empty is not None:
            keep = pc.invert(empty)
            table = table.filter(keep)
            rows = rows[keep.to_numpy(zero_copy_only=False)]
        return RawChunk(table, rows)

    def _record_rejects(self, placed: list[tuple[int, int, int]]) -> None:
        sep = "tab" if self.delimiter == "\t" else f"'{self.delimiter}'"
        for line, actual, expected in placed:
            if actual < expected:
                hint = "a separator is missing or the line was cut short; complete the line"
            else:
                hint = (f"a value probably contains an unquoted {sep}; put that value in double "
                        "quotes, or remove the extra separators")
            cells = "1 cell" if actual == 1 else f"{actual} cells"
            self._reject(line, f"line has {cells}, header has {expected}: {hint}")

    def _read_error(self, exc: Exception) -> Exception:
        text = str(exc)
        if "straddles two block boundaries" in text:
            return _RowTooLarge()
        if text == "Empty CSV file":
            return self._error("the file is empty; the first line must name the columns")
        if isinstance(exc, UnicodeError) or "UTF8" in text or "UTF-8" in text:
            line = _decode_error_line(self.path, self.encoding)
            hint = " (exports of Chinese spreadsheets are often 'gb18030')" \
                if self.encoding == "utf-8" else ""
            return self._error(
                f"these bytes are not valid {self.encoding} text, though the start of the file is; "
                f"re-save the file as UTF-8, or pass its real encoding as encoding={hint}", row=line)
        return self._error(f"cannot read the file as delimited text: {text}")


class _RowTooLarge(Exception):
    """A row did not fit in pyarrow's parse block."""


class _LineCounter:
    """Maps pyarrow's record numbers (header = 1) to the physical line where each record starts.

    Valid rows arrive in batches; invalid rows arrive, in order, through the invalid-row handler
    while their block is parsed (so before the batch that follows them is returned).
    """

    def __init__(self, header_breaks: int) -> None:
        self.next_record = 2
        self.extra = header_breaks  # line breaks inside cells of all records placed so far
        self.pending: list[tuple[int, int, int, int]] = []  # record, breaks, actual, expected

    def on_invalid(self, row: pacsv.InvalidRow) -> str:
        last = self.pending[-1][0] if self.pending else self.next_record - 1
        record = row.number if row.number is not None else last + 1
        self.pending.append((record, _text_breaks(row.text), row.actual_columns,
                             row.expected_columns))
        return "skip"

    def place(self, breaks: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
        """Lines of the next ``len(breaks)`` valid rows, and of the invalid rows among them."""
        n = len(breaks)
        pending = np.array([p[0] for p in self.pending], dtype=np.int64)
        # The k-th valid row is the k-th record number, from next_record on, not taken by a reject.
        taken_before = pending - self.next_record - np.arange(len(pending))
        k = np.arange(n, dtype=np.int64)
        records = self.next_record + k + np.searchsorted(taken_before, k, side="right")
        m = int(np.searchsorted(pending, records[-1]))
        rejects, self.pending = self.pending[:m], self.pending[m:]
        all_records = np.concatenate([records, pending[:m]])
        all_breaks = np.concatenate([breaks, np.array([r[1] for r in rejects], dtype=np.int64)])
        order = np.argsort(all_records, kind="stable")
        before = np.cumsum(all_breaks[order]) - all_breaks[order] + self.extra
        lines = np.empty_like(all_records)
        lines[order] = all_records[order] + before
        self.extra += int(all_breaks.sum())
        self.next_record = int(records[-1]) + 1
        placed = [(int(line), r[2], r[3]) for line, r in zip(lines[n:], rejects)]
        return lines[:n], placed

    def forget_pending(self) -> None:
        """Drop the invalid rows not yet placed: reading again from ``next_record`` reports them again."""
        self.pending = []

    def line_of_next(self) -> int:
        """The line where the next record starts."""
        return self.next_record + self.extra

    def finish(self) -> list[tuple[int, int, int]]:
        """Lines of the invalid rows after the last valid one."""
        placed = []
        for record, breaks, actual, expected in self.pending:
            placed.append((record + self.extra, actual, expected))
            self.extra += breaks
        self.pending = []
        return placed


# --- encodings -------------------------------------------------------------------------------------

def detect_encoding(path: Path) -> str:
    """UTF-8 (BOM or not), UTF-16 (with a BOM), or GB18030, judged from the start of the file."""
    with open(path, "rb") as f:
        head = f.read(SAMPLE_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.count(b"\0") * 10 > len(head):
        # NUL is valid UTF-8, so UTF-16 without a BOM (or a binary file) would be "read" as
        # text whose every other character is NUL; no real CSV holds that many.
        raise InputError("the file holds NUL bytes all through: it is UTF-16 text without a "
                         "byte-order mark or not text at all; save it as UTF-8 CSV, or pass its "
                         "encoding, e.g. encoding='utf-16-le'", file=str(path))
    for encoding in ("utf-8", "gb18030"):
        if _decodes(head, encoding):
            return encoding
    raise InputError("the file is neither UTF-8 nor GB18030 text; pass its encoding, "
                     "e.g. encoding='big5'", file=str(path))


def _check_encoding(encoding: str, file: str) -> str:
    return text_encoding(encoding, file)


class _Utf8Stream(io.RawIOBase):
    r"""The file as UTF-8 bytes, in reads that never end with a carriage return.

    Arrow's CSV reader drops the ``\n`` of a quoted ``\r\n`` when one read ends right after the
    ``\r`` (apache/arrow#51368); holding a trailing ``\r`` back until the next read avoids that.
    Other encodings are decoded here, so Arrow always sees UTF-8 (and skips a UTF-8 BOM itself);
    UTF-8 is checked as it passes (a file cut inside a character, bytes past the part the encoding was
    judged on), because Arrow decodes a malformed row's text to report it, and fails there outside
    any error a caller could catch.
    """

    def __init__(self, path: Path, encoding: str) -> None:
        super().__init__()
        self._file = open(path, "rb")
        self._utf8_in = encoding in ("utf-8", "utf8", "utf-8-sig")
        self._decoder = codecs.getincrementaldecoder("utf-8" if self._utf8_in else encoding)()
        self._held = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while True:
            raw = self._file.read(size if size and size > 0 else -1)
            end = not raw
            data = self._held + self._utf8(raw, end)
            self._held = b""
            if not end and data.endswith(b"\r"):
                data, self._held = data[:-1], b"\r"
            if data or end:  # an empty read tells Arrow the file has ended
                return data

    def _utf8(self, raw: bytes, end: bool) -> bytes:
        text = self._decoder.decode(raw, final=end)
        return raw if self._utf8_in else text.encode("utf-8")

    def close(self) -> None:
        self._file.close()
        super().close()


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=False)
    except UnicodeError:
        return False
    return True


def _decode_error_line(path: Path, encoding: str) -> int | None:
    """The line of the first byte that is not valid in ``encoding`` (None if there is none)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with open(path, "rb") as f:
        while block := f.read(BLOCK_BYTES):
            held = decoder.getstate()[0]
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return line + block[: max(exc.start - len(held), 0)].count(b"\n")
            except UnicodeError:  # e.g. UTF-16 without its byte-order mark: no position to give
                return line
            line += block.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeError:  # the file ends inside a character: the last line
        return line
    return None


# --- cells -----------------------------------------------------------------------------------------

def _text_breaks(text: str | None) -> int:
    """Line breaks in a text: \\r\\n, \\r and \\n each count once."""
    if not text:
        return 0
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _cell_breaks(table: pa.Table) -> np.ndarray:
    """Line breaks inside the cells of each row."""
    total = np.zeros(table.num_rows, dtype=np.int64)
    for col in table.columns:
        if pc.sum(pc.count_substring(col, "\r")).as_py():
            counts = pc.count_substring_regex(col, "\r\n|\r|\n")
        else:
            counts = pc.count_substring(col, "\n")
        if pc.sum(counts).as_py():
            total += counts.fill_null(0).to_numpy(zero_copy_only=False)
    return total


def _blank_to_null(col: pa.ChunkedArray) -> pa.ChunkedArray:
    blank = pc.utf8_is_space(col)
    if not pc.any(blank).as_py():
        return col
    return pc.if_else(blank, pa.scalar(None, pa.string()), col)


def _all_null(columns: list[pa.ChunkedArray]) -> pa.ChunkedArray | None:
    """Mask of rows where every cell is null, or None when there is no such row."""
    if not columns:
        return None
    mask = pc.is_null(columns[0])
    for col in columns[1:]:
        mask = pc.and_(mask, pc.is_null(col))
    return mask if pc.any(mask).as_py() else None
