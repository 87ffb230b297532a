"""How result values are spelled in text outputs, shared by the JSONL, CSV and xlsx writers.

One spelling everywhere: dates ``YYYY-MM-DD``, datetimes ISO 8601 (``2024-03-01T08:30:00``),
booleans ``true``/``false``, missing values (None, NaN) empty or ``null``, lists and objects as
JSON where a flat spelling would lose their shape.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import OutputError

# Text a spreadsheet would take for a formula (or a command: =cmd|' /C calc'!A0) when it opens the
# file: it starts with = + - @, a tab or a carriage return (OWASP, "CSV injection"). Such text, and
# text that already starts with quotes before one of them, gets one more leading ' in CSV, so the
# escape can be undone exactly (``unescape_formulas``).
FORMULA_LIKE = r"^'*[=+\-@\t\r]"


def json_default(value: Any) -> Any:
    """``json.dumps`` fallback for the values Arrow hands back that JSON has no type for."""
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def without_nan(value: Any) -> Any:
    """A copy of a nested value with NaN and infinities replaced by None (JSON has neither)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: without_nan(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_nan(v) for v in value]
    return value


def to_json(value: Any) -> str:
    """JSON text (UTF-8 characters kept, default separators, NaN as null)."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, default=json_default)
    except ValueError:  # a NaN or infinity somewhere inside
        return json.dumps(without_nan(value), ensure_ascii=False, default=json_default)


def text_value(value: Any, list_sep: str) -> str | None:
    """One value as the text of a CSV or spreadsheet cell; None when missing.

    A list of plain values is joined with ``list_sep``; a list holding lists or objects, and an
    object, are written as JSON so that their structure survives.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, (dict, list, tuple)) for v in value):
            return to_json(value)
        return list_sep.join(text_value(v, list_sep) or "" for v in value)
    if isinstance(value, dict):
        return to_json(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return str(value)


def nan_to_null(table: pa.Table) -> pa.Table:
    """Float columns with NaN turned into nulls (a missing number is null in every output)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_floating(field.type):
            col = table.column(i)
            nan = pc.is_nan(col)
            if pc.any(nan).as_py():
                table = table.set_column(i, field, pc.if_else(nan, pa.scalar(None, field.type), col))
    return table


def conform(table: pa.Table, names: list[str] | None, file: str) -> pa.Table:
    """``table`` with the columns of the first chunk, in the same order.

    Every chunk of one output must have the same columns; a mismatch means the caller mixed up
    results, and writing on would produce a file no reader can trust.
    """
    if names is None or table.column_names == names:
        return table
    if sorted(table.column_names) != sorted(names):
        missing = [n for n in names if n not in table.column_names]
        extra = [n for n in table.column_names if n not in names]
        raise OutputError(f"{file}: a chunk has different columns from the first one "
                          f"(missing: {missing or 'none'}, unexpected: {extra or 'none'})")
    return table.select(names)


def escape_formulas(col: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A text column with ``'`` before every cell a spreadsheet would read as a formula."""
    risky = pc.match_substring_regex(col, FORMULA_LIKE)
    if not pc.any(risky).as_py():
        return col
    return pc.if_else(risky, pc.binary_join_element_wise("'", col, ""), col)


def escape_formula(text: str) -> str:
    """One text escaped as ``escape_formulas`` escapes a column."""
    stripped = text.lstrip("'")
    return "'" + text if stripped[:1] in ("=", "+", "-", "@", "\t", "\r") and stripped else text


def unescape_formulas(col: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The inverse of ``escape_formulas``: one leading ``'`` dropped where it was added."""
    added = pc.match_substring_regex(col, "^'" + FORMULA_LIKE[1:])
    if not pc.any(added).as_py():
        return col
    return pc.if_else(added, pc.utf8_slice_codeunits(col, 1), col)
