"""One ledger worksheet from a DataFrame: bold frozen header, autofilter, sized columns, level colours.

Written with openpyxl's write-only mode, so a registry of 100,000 entities streams to disk. Text is
stored as text, even when it starts with ``=`` (a name ``=HYPERLINK(...)`` from the registry must
not become a formula Excel calculates), unless the writer is made with ``escape_formulas=False``.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

LIST_SEP = "；"
# colour -> (fill, font colour): white text where the fill is dark
COLOURS = {"red": ("FF0000", "FFFFFF"), "orange": ("FFA500", "000000"), "yellow": ("FFFF00", "000000"),
           "blue": ("1E90FF", "FFFFFF")}
FLAG = ("FFC7CE", "9C0006")  # the usual "bad" cell: light red fill, dark red text
_BAD_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, none of ``[]:*?/\\``)."""
    base = (text.translate(_BAD_TITLE).strip() or "sheet")[:31]
    title, n = base, 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


class SheetWriter:
    """Writes DataFrames into new sheets of a write-only workbook (``book``), each sheet's title made
    valid and unique.

    ``colour_of``: column -> the column holding that cell's colour name (level cells);
    ``flag``: a boolean column whose true rows are marked; ``header_colours``: column -> colour;
    ``formats``: column -> Excel number format (``"0%"``); ``wrap``: long-text columns to wrap.
    Columns whose name starts with ``_`` are not written: they only steer the styles.
    """

    def __init__(self, escape_formulas: bool = True) -> None:
        self.escape = escape_formulas
        self.book = Workbook(write_only=True)
        self.titles: set[str] = set()
        self.fills = {k: (PatternFill("solid", start_color=f, end_color=f), Font(name="Calibri", color=t, bold=k == "red"))
                      for k, (f, t) in COLOURS.items()}
        self.wrap_style = Alignment(wrap_text=True, vertical="top")
        self.flag_style = (PatternFill("solid", start_color=FLAG[0], end_color=FLAG[0]), Font(name="Calibri", color=FLAG[1]))

    def write(self, title: str, df: Any, headers: Sequence[str], *, colour_of: dict[str, str] | None = None,
              flag: str | None = None, header_colours: dict[str, str] | None = None,
              formats: dict[str, str] | None = None, wrap: Sequence[str] = ()) -> Any:
        ws = self.book.create_sheet(sheet_title(title, self.titles))
        shown = [c for c in df.columns if not c.startswith("_")]  # "_" columns steer styles only
        self._widths(ws, df, shown, headers)
        ws.freeze_panes = "A2"
        _print_setup(ws)
        ws.append([self._header(ws, h, (header_colours or {}).get(c)) for c, h in zip(shown, headers)])
        colour_cols = {c: df[src].to_numpy() for c, src in (colour_of or {}).items()}
        flags = df[flag].fillna(False).astype(bool).to_numpy() if flag else None
        columns = [df[c].to_numpy(dtype=object) for c in shown]
        number_formats = formats or {}
        for i in range(len(df)):
            row = []
            for c, values in zip(shown, columns):
                value = cell_value(values[i])
                if self.escape and isinstance(value, str) and value[:1] == "=":
                    value = WriteOnlyCell(ws, value=value)
                    value.data_type = "s"  # openpyxl would store it as a formula
                if c in number_formats and value is not None:
                    value = value if isinstance(value, Cell) else WriteOnlyCell(ws, value=value)
                    value.number_format = number_formats[c]
                elif c in wrap and value is not None:
                    value = value if isinstance(value, Cell) else WriteOnlyCell(ws, value=value)
                    value.alignment = self.wrap_style
                if c in colour_cols and colour_cols[c][i] in self.fills:
                    value = self._styled(ws, value, self.fills[colour_cols[c][i]])
                elif flags is not None and flags[i]:
                    value = self._styled(ws, value, self.flag_style)
                row.append(value)
            ws.append(row)
        used = f"A1:{get_column_letter(max(1, len(shown)))}{len(df) + 1}"
        ws.auto_filter.ref = used
        ws.print_area = used  # long texts in the last column must not widen the printed page
        return ws

    def _header(self, ws: Any, text: str, colour: str | None) -> Any:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(name="Calibri", bold=True, color=COLOURS[colour][1] if colour in COLOURS else None)
        if colour in COLOURS:
            cell.fill = self.fills[colour][0]
        return cell

    @staticmethod
    def _styled(ws: Any, value: Any, style: tuple[PatternFill, Font]) -> Any:
        cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value=value)
        cell.fill, cell.font = style
        return cell

    @staticmethod
    def _widths(ws: Any, df: Any, shown: list[str], headers: Sequence[str]) -> None:
        sample = df.head(200)
        for i, (c, h) in enumerate(zip(shown, headers), start=1):
            values = [display_width(str(cell_value(v) or "")) for v in sample[c].to_numpy(dtype=object)]
            ws.column_dimensions[get_column_letter(i)].width = min(max([display_width(h)] + values) + 2, 60)


def _print_setup(ws: Any) -> None:
    """Ledgers get printed and filed: landscape, one page wide, the header on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def cell_value(value: Any) -> Any:
    """A value an xlsx cell holds: dates as dates, lists joined, missing and infinite values empty."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, (str, bytes))
                                             and getattr(value, "ndim", 0) == 1):
        return LIST_SEP.join(str(v) for v in list(value)) or None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = None if value != value else value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value.replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalars
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    try:
        if value != value:  # pandas NA / NaT
            return None
    except TypeError:
        return None
    return value


def display_width(text: str) -> int:
    """Width in Excel character units: East Asian wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[:100])
