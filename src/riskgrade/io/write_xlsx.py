"""Excel results, the way a bureau keeps its ledger.

The long table goes to the first sheet, the wide table (if any) to the second. Each sheet has a
bold, frozen header row and an autofilter; a level cell is filled with its colour (red, orange,
yellow, blue) when the row says which. Lists are joined with ``"; "``. Written with openpyxl's
write-only mode, so rows stream to disk instead of piling up in memory.

Text is stored as text: a name ``=HYPERLINK(...)`` or an id ``=1+2`` is a string cell, never a
formula Excel would calculate (openpyxl makes every string starting with ``=`` a formula), unless
the writer is told ``escape_formulas=False``.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from decimal import Decimal
from typing import Any, BinaryIO

import pyarrow as pa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..errors import OutputError
from .write_values import conform, text_value

MAX_ROWS = 1_048_576  # Excel's limit per sheet, header row included
MAX_COLUMNS = 16_384
LIST_SEP = "; "
_WIDTH_SAMPLE = 200   # rows of the first table measured to size the columns
_BAD_TITLE_CHARS = set("[]:*?/\\")

_WHITE = "FFFFFF"
# colour name -> (fill, text colour or None, bold); Chinese names as a ledger writes them.
_LEVEL_COLOURS: dict[str, tuple[str, str | None, bool]] = {
    "red": ("FF0000", _WHITE, True),
    "orange": ("FFA500", None, False),
    "yellow": ("FFFF00", None, False),
    "blue": ("1E90FF", _WHITE, False),
}
_ALIASES = {"红": "red", "红色": "red", "橙": "orange", "橙色": "orange",
            "黄": "yellow", "黄色": "yellow", "蓝": "blue", "蓝色": "blue"}


class XlsxSink:
    """Streams a long table, and optionally a wide one, into a two-sheet workbook."""

    def __init__(self, file: BinaryIO, name: str, sheet_names: tuple[str, str], escape: bool = True) -> None:
        _check_titles(sheet_names)
        self.file = file
        self.name = name
        self.escape = escape
        self.sheet_names = sheet_names
        self.book = Workbook(write_only=True)
        self.sheets: dict[str, _Sheet] = {}
        self.styles = {colour: (PatternFill("solid", start_color=fill, end_color=fill),
                                Font(color=text, bold=bold) if text or bold else None)
                       for colour, (fill, text, bold) in _LEVEL_COLOURS.items()}

    def write(self, long: pa.Table, wide: pa.Table | None = None) -> None:
        self._sheet(self.sheet_names[0]).append(long)
        if wide is not None:
            self._sheet(self.sheet_names[1]).append(wide)

    def finish(self) -> None:
        """Set each sheet's autofilter (it needs the final row count) and save the workbook."""
        self._sheet(self.sheet_names[0])  # a workbook needs at least one sheet
        for sheet in self.sheets.values():
            sheet.finish()
        save_workbook(self.book, self.file)

    def discard(self) -> None:
        """Remove the scratch files openpyxl keeps for each write-only sheet (best effort)."""
        for sheet in self.sheets.values():
            try:
                if not sheet.ws.closed:
                    sheet.ws.close()  # ends its row stream cleanly
                writer = getattr(sheet.ws, "_writer", None)
                if writer is not None:
                    writer.cleanup()
            except (OSError, ValueError):
                pass

    def _sheet(self, title: str) -> _Sheet:
        if title not in self.sheets:
            self.sheets[title] = _Sheet(self.book.create_sheet(title), self.name, self.styles, self.escape)
        return self.sheets[title]


class _Sheet:
    """One write-only worksheet: header, rows, level colours, autofilter."""

    def __init__(self, ws: Any, file: str, styles: dict[str, tuple[PatternFill, Font | None]],
                 escape: bool = True) -> None:
        self.ws = ws
        self.file = file
        self.styles = styles
        self.escape = escape
        self.names: list[str] | None = None
        self.rows = 0  # data rows written
        self.colour_pairs: list[tuple[int, int]] = []  # (level column, colour column)

    def append(self, table: pa.Table) -> None:
        if self.names is None:
            self._start(table)
        table = conform(table, self.names, self.file)
        if self.rows + table.num_rows >= MAX_ROWS:
            raise OutputError(
                f"{self.file}: sheet '{self.ws.title}' would need {self.rows + table.num_rows + 1:,} "
                f"rows but Excel holds at most {MAX_ROWS:,}; write .parquet or .csv instead")
        columns = [col.to_pylist() for col in table.columns]
        for values in zip(*columns):
            cells: list[Any] = [_cell_value(v) for v in values]
            if self.escape:
                cells = [text_cell(self.ws, c) if isinstance(c, str) and c[:1] == "=" else c for c in cells]
            for level, colour in self.colour_pairs:
                cells[level] = self._coloured(cells[level], values[colour])
            self.ws.append(cells)
        self.rows += table.num_rows

    def finish(self) -> None:
        if self.names:
            last = get_column_letter(len(self.names))
            self.ws.auto_filter.ref = f"A1:{last}{self.rows + 1}"

    def _start(self, table: pa.Table) -> None:
        """Column widths and frozen header: write-only sheets take both before the first row."""
        self.names = table.column_names
        if len(self.names) > MAX_COLUMNS:
            raise OutputError(f"{self.file}: {len(self.names):,} columns, but Excel holds at most "
                              f"{MAX_COLUMNS:,}; write .parquet or .csv instead")
        self.colour_pairs = _colour_pairs(self.names)
        sample = table.slice(0, _WIDTH_SAMPLE)
        for i, (name, col) in enumerate(zip(self.names, sample.columns), start=1):
            width = max([_display_width(name)] + [_display_width(text_value(v, LIST_SEP))
                                                   for v in col.to_pylist()])
            self.ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
        self.ws.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for name in self.names:
            cell = text_cell(self.ws, _cell_value(name)) if self.escape else WriteOnlyCell(self.ws, _cell_value(name))
            cell.font = bold
            header.append(cell)
        self.ws.append(header)

    def _coloured(self, value: Any, colour: Any) -> Any:
        key = str(colour).strip().lower() if colour is not None else ""
        key = _ALIASES.get(key, _ALIASES.get(key[:1], key) if key[1:2] == "（" else key)  # 橙（较大风险）
        style = self.styles.get(key)
        if style is None:
            return value
        cell = value if isinstance(value, Cell) else WriteOnlyCell(self.ws, value=value)
        cell.fill, font = style
        if font is not None:
            cell.font = font
        return cell


def save_workbook(book: Workbook, file: BinaryIO) -> None:
    """``book.save(file)``, except that a failure (a full disk) leaves no half-written zip archive
    behind to write itself again, and fail again, when it is garbage-collected at exit."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    if book.write_only and not book.worksheets:
        book.create_sheet()
    archive = ZipFile(file, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(book, archive).save()
    except BaseException:
        archive.fp = None  # ZipFile.close (and __del__) then does nothing: the file is dropped anyway
        raise


def text_cell(ws: Any, value: Any) -> Any:
    """A write-only cell holding ``value``; text stays text even when it starts with ``=``."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _colour_pairs(names: list[str]) -> list[tuple[int, int]]:
    """(level, colour) column positions: ``color``/``level``, ``overall_color``/``overall_level``,
    any other ``<prefix>color`` with a matching ``<prefix>level``, the same in Chinese
    (``颜色``/``风险等级``); and a Chinese level column without a colour column is coloured by its own
    value (``橙（较大风险）``)."""
    index = {name: i for i, name in enumerate(names)}
    pairs = []
    for name, i in index.items():
        for colour, level in (("color", "level"), ("颜色", "风险等级")):
            if name.endswith(colour):
                found = index.get(name[: -len(colour)] + level)
                if found is not None:
                    pairs.append((found, i))
    paired = {level for level, _ in pairs}
    pairs += [(i, i) for name, i in index.items() if name.endswith("风险等级") and i not in paired]
    return pairs


def _cell_value(value: Any) -> Any:
    """A value openpyxl can store; Excel has no time zones, NaN, lists or control characters."""
    if value is None or isinstance(value, (bool, int, Decimal, dt.date, dt.time, dt.timedelta)):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # the wall-clock time in the value's own zone
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    text = text_value(value, LIST_SEP)
    return None if text is None else ILLEGAL_CHARACTERS_RE.sub("", text)


def _display_width(text: str | None) -> int:
    """Width in Excel character units: East Asian wide characters count two."""
    if not text:
        return 0
    line = max(text.split("\n"), key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line[:100])


def _check_titles(titles: tuple[str, str]) -> None:
    for title in titles:
        if not title or len(title) > 31 or _BAD_TITLE_CHARS & set(title):
            raise ValueError(f"bad sheet name {title!r}: Excel wants 1 to 31 characters, "
                             "none of [ ] : * ? / \\")
    if titles[0] == titles[1]:
        raise ValueError(f"the two sheet names must differ, both are {titles[0]!r}")
