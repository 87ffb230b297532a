"""Build Arrow columns from Python values (JSON lines, records, spreadsheet cells, pandas objects).

A column keeps its natural Arrow type when pyarrow can build one. When it cannot (numbers mixed
with text, say) the whole column becomes text, so that nothing is lost and the next stage can
report the exact cell it cannot use.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pyarrow as pa

_ARROW_REFUSALS = (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError,
                   TypeError, ValueError, OverflowError)


def to_text(value: Any) -> str | None:
    """One value as text: JSON for lists and objects, ISO for dates, "true"/"false" for booleans.

    A datetime at midnight is written as a date, since spreadsheets store plain dates as datetimes.
    Missing values (None, NaN, pandas' NA/NaT) stay missing.
    """
    if _is_missing(value):
        return None
    if isinstance(value, str):
        return value
    if _is_bool(value):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if _is_midnight(value) else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (Mapping, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def build_column(values: Sequence[Any]) -> pa.Array:
    """An Arrow array of ``values``: its natural type if pyarrow can build one, text otherwise."""
    if _mixes_dates_and_datetimes(values):
        # pyarrow would build a date column and silently drop the times.
        return pa.array([to_text(v) for v in values], pa.string())
    try:
        return pa.array(values, from_pandas=True)
    except _ARROW_REFUSALS:
        return pa.array([to_text(v) for v in values], pa.string())


def table_from_rows(rows: Sequence[Mapping[str, Any]], columns: Iterable[str]) -> pa.Table:
    """A table with one column per name in ``columns`` (absent keys give nulls)."""
    names = list(columns)
    if not names:  # rows without any key are still rows: keep their count
        return pa.table({"": pa.nulls(len(rows))}).select([])
    arrays = [build_column([row.get(name) for row in rows]) for name in names]
    return pa.Table.from_arrays(arrays, names=names)


def merge_keys(order: dict[str, None], row: Mapping[str, Any]) -> None:
    """Add the row's keys, in first-seen order, to ``order`` (a dict used as an ordered set)."""
    for key in row:
        if key not in order:
            order[key] = None


def dates_if_all_midnight(values: list[Any]) -> list[Any]:
    """Datetimes that all fall on midnight become dates (a spreadsheet's way of storing a date)."""
    stamps = [v for v in values if v is not None]
    if stamps and all(isinstance(v, dt.datetime) and _is_midnight(v) for v in stamps):
        return [None if v is None else v.date() for v in values]
    return values


def _mixes_dates_and_datetimes(values: Sequence[Any]) -> bool:
    kinds = {type(v) for v in values}
    stamps = any(issubclass(k, dt.datetime) for k in kinds)
    return stamps and any(issubclass(k, dt.date) and not issubclass(k, dt.datetime) for k in kinds)


def _is_midnight(value: dt.datetime) -> bool:
    return value.hour == value.minute == value.second == value.microsecond == 0


def _is_bool(value: Any) -> bool:
    # numpy's bool_ is not a subclass of bool; compare by name to avoid importing numpy here.
    return isinstance(value, bool) or type(value).__name__ == "bool_"


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pandas.NA, pandas.NaT and numpy.datetime64("NaT") without importing pandas.
    return type(value).__name__ in ("NAType", "NaTType") or (
        type(value).__name__ == "datetime64" and str(value) == "NaT")


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time)):
        return to_text(value)
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)
