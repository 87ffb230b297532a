"""Raw cells -> the typed values a pack declares, one value at a time or a whole column at once.

Both paths give the same result for the same input (a test holds them to it); a cell that cannot be
converted is reported as ``(row, field, value, reason)`` and its row is rejected, never guessed.

Reading is strict where a lenient reading would guess: a number is written with ASCII digits
(``１７６７``, ``١٧٦٧`` and ``1_767`` are not 1767, whatever Python's ``float`` says), a whole
number must be exact in a float (at most 2^53), a date is a date with at most a time of day after it
(``2025-02-21 garbage`` is not a date) and lies in ``DATE_MIN`` … ``DATE_MAX``, so that every date
computed from it (a next inspection at most ``MAX_INTERVAL_DAYS`` later) stays on the calendar of
every output format.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any, Protocol, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .columns import Codes, Column, ListColumn, Table, Tri, day_number

TRUE = {"true", "t", "yes", "y", "1", "是", "有", "对", "√"}
FALSE = {"false", "f", "no", "n", "0", "否", "无", "没有", "错", "×"}
# The dates an entity's data may hold; outside them a cell is rejected as a typing error.
DATE_MIN = dt.date(1800, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)
_DAY_MIN, _DAY_MAX = day_number(DATE_MIN), day_number(DATE_MAX)
# Whole numbers a float64 holds exactly; beyond, two different integers read as one.
MAX_EXACT_INTEGER = 2.0 ** 53
# A time of day after a date (exports of datetime columns): hours, minutes, seconds, zone.
_TIME = r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?: ?(?:Z|[+-][0-9]{2}:?[0-9]{2}))?)?"
_DATE_PATTERNS = [
    re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})" + _TIME + "$"),
    re.compile(r"^([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})" + _TIME + "$"),
    re.compile(r"^([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})$"),
    re.compile(r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$"),
    re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$"),
]
# What Arrow's text-to-number cast accepts (ASCII digits, sign, point, exponent), so the column
# path and the cell path agree; Python's float would also take other scripts' digits and "1_767".
_DECIMAL = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_NOT_FINITE = {"nan", "inf", "infinity"}


class FieldLike(Protocol):
    name: str
    kind: str
    values: tuple[str, ...] | None
    min: float | None
    max: float | None
    items: Sequence["FieldLike"]
    default: Any


# --- one value -----------------------------------------------------------------------------------

def convert_value(f: FieldLike, raw: Any) -> Any:
    """The typed value of one cell (None when missing). Raises ValueError with a plain reason."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, float) and math.isnan(raw) and f.kind not in ("number", "integer"):
        return None
    return _CONVERT[f.kind](f, raw)


def _number(f: FieldLike, raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValueError(f"expected a number, got {raw!r}")
    if isinstance(raw, (int, float)):
        try:
            x = float(raw)
        except OverflowError:  # an integer of hundreds of digits
            raise ValueError(f"not a finite number: {_shown(raw)}") from None
    else:
        text = str(raw).strip()
        if text.lstrip("+-").lower() in _NOT_FINITE:
            raise ValueError(f"not a finite number: {raw!r}")
        if not _DECIMAL.match(text):
            raise ValueError(f"not a number: {_shown(text)}{_lenient_hint(text)}")
        x = float(text)
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {_shown(raw)}")
    if f.kind == "integer" and not x.is_integer():
        raise ValueError(f"expected a whole number, got {raw!r}")
    if f.kind == "integer" and abs(x) > MAX_EXACT_INTEGER:
        raise ValueError(f"whole number {_shown(raw)} is too large to hold exactly (at most 2^53)")
    if f.min is not None and x < f.min:
        raise ValueError(f"{x:g} is below the minimum {f.min:g}")
    if f.max is not None and x > f.max:
        raise ValueError(f"{x:g} is above the maximum {f.max:g}")
    return x


def _lenient_hint(text: str) -> str:
    """Why text that Python's float would read is still not a number here."""
    try:
        float(text)
    except ValueError:
        return ""
    return " (write it with the digits 0-9 and no separators, e.g. 1767 or 12.5)"


def _boolean(f: FieldLike, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(f"not a yes/no value: {raw!r} (use true/false, 1/0, 是/否)")


def _category(f: FieldLike, raw: Any) -> str:
    text = _text(raw)
    if f.values is not None and text not in f.values:
        shown = ", ".join(f.values[:15]) + (" …" if len(f.values) > 15 else "")
        raise ValueError(f"unknown value {text!r} (allowed: {shown})")
    return text


def _text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _date(f: FieldLike, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return _on_calendar(raw.date())
    if isinstance(raw, dt.date):
        return _on_calendar(raw)
    text = str(raw).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
            return _on_calendar(day)
    raise ValueError(f"not a valid date: {_shown(text)} (use YYYY-MM-DD)")


def _on_calendar(day: dt.date) -> dt.date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(f"date {day.isoformat()} is outside {DATE_MIN.isoformat()} … {DATE_MAX.isoformat()}; "
                         "check the year")
    return day


def _shown(value: Any, limit: int = 60) -> str:
    """A value as a reason quotes it: its repr, shortened (a 5,000-digit number is not repeated)."""
    text = repr(value) if not isinstance(value, int) or abs(value) < 10 ** 30 else f"<{len(str(abs(value)))}-digit number>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _list(f: FieldLike, raw: Any) -> list[dict[str, Any]]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not a JSON list of records ({exc.msg} at character {exc.pos})") from None
    if isinstance(raw, dict) or not isinstance(raw, (list, tuple)):
        raise ValueError("expected a list of records, e.g. [{\"substance\": \"氯\", \"tonnes\": 2}]")
    out = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise ValueError(f"record {i} is not a mapping of fields")
        record = {}
        for sub in f.items:
            try:
                record[sub.name] = convert_value(sub, item.get(sub.name))
            except ValueError as exc:
                raise ValueError(f"record {i}, '{sub.name}': {exc}") from None
            if record[sub.name] is None and getattr(sub, "required", False):
                raise ValueError(f"record {i}: required '{sub.name}' is missing")
        out.append(record)
    return out


_CONVERT = {"number": _number, "integer": _number, "boolean": _boolean, "category": _category,
            "string": lambda f, raw: _text(raw), "date": _date, "list": _list}


def convert_entity(fields: Sequence[FieldLike], raw: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, Any, str]]]:
    """Typed values for every declared field of one entity (defaults applied), plus the errors."""
    values: dict[str, Any] = {}
    errors: list[tuple[str, Any, str]] = []
    for f in fields:
        try:
            v = convert_value(f, raw.get(f.name))
        except ValueError as exc:
            errors.append((f.name, raw.get(f.name), str(exc)))
            v = None
        values[f.name] = f.default if v is None and not any(e[0] == f.name for e in errors) else v
    return values, errors


# --- a column ---------------------------------------------------------------------------------------

RowErrors = dict[int, list[tuple[str, Any, str]]]


def convert_columns(fields: Sequence[FieldLike], table: pa.Table) -> tuple[Table, RowErrors]:
    """A typed ``Table`` for the declared fields of a chunk; absent columns are all-missing."""
    n = table.num_rows
    errors: RowErrors = {}
    columns: dict[str, Column] = {}
    for f in fields:
        raw = table.column(f.name) if f.name in table.column_names else None
        columns[f.name] = convert_column(f, raw, n, errors)
    return Table(n, columns), errors


def convert_column(f: FieldLike, raw: pa.ChunkedArray | pa.Array | None, n: int, errors: RowErrors) -> Column:
    if raw is None:
        return _fill_default(f, _missing(f, n))
    if isinstance(raw, pa.ChunkedArray):
        raw = raw.combine_chunks() if raw.num_chunks != 1 else raw.chunk(0)
    fast = _FAST.get(f.kind)
    col = fast(f, raw) if fast is not None else None
    if col is None:  # no fast path, or a cell the fast path cannot take: convert cell by cell
        col = _slow(f, _cells(raw), errors)
    return _fill_default(f, col)


def _missing(f: FieldLike, n: int) -> Column:
    if f.kind == "boolean":
        return Tri(np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
    if f.kind in ("category", "string"):
        return Codes(np.full(n, -1, dtype=np.int32), f.values or ())
    if f.kind == "list":
        items = Table(0, {sub.name: _missing(sub, 0) for sub in f.items})
        return ListColumn(np.zeros(n + 1, dtype=np.int64), np.zeros(n, dtype=bool), items)
    return np.full(n, np.nan)


def _fill_default(f: FieldLike, col: Column) -> Column:
    d = f.default
    if d is None:
        return col
    if isinstance(col, Tri):
        return Tri(np.where(col.known, col.value, bool(d)), np.ones_like(col.known))
    if isinstance(col, Codes):
        code = f.values.index(d) if f.values and d in f.values else None
        if code is None:
            vocab = col.vocab + (d,) if d not in col.vocab else col.vocab
            code = vocab.index(d)
            col = Codes(col.codes, vocab)
        return Codes(np.where(col.codes < 0, code, col.codes).astype(np.int32), col.vocab)
    value = day_number(d) if isinstance(d, dt.date) else float(d)
    return np.where(np.isnan(col), value, col)


def _fast_number(f: FieldLike, raw: pa.Array) -> Column | None:
    t = raw.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        try:
            raw = pc.cast(pc.if_else(pc.equal(pc.utf8_trim_whitespace(raw), ""), None,
                                     pc.utf8_trim_whitespace(raw)), pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
    elif not (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t)):
        return None
    try:  # unsafe: a 64-bit integer past 2^53 becomes its nearest float, as float() makes it
        x = np.array(raw.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False), dtype=np.float64)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    nulls = raw.is_null().to_numpy(zero_copy_only=False) if raw.null_count else None
    # NaN or infinity typed into a float column is not "missing": the slow path names the cell
    if not np.isfinite(x[~nulls] if nulls is not None else x).all():
        return None
    if nulls is not None:
        x[nulls] = np.nan
    with np.errstate(invalid="ignore"):
        bad = np.zeros(len(x), dtype=bool)
        if f.kind == "integer":
            bad |= (np.floor(x) != x) | (np.abs(x) > MAX_EXACT_INTEGER)
        if f.min is not None:
            bad |= x < f.min
        if f.max is not None:
            bad |= x > f.max
    # comparisons with NaN (missing) are False, so only known values can be bad
    return None if (bad & ~np.isnan(x)).any() else x


def _fast_codes(f: FieldLike, raw: pa.Array) -> Column | None:
    if not (pa.types.is_string(raw.type) or pa.types.is_large_string(raw.type)):
        return None
    dictionary = pc.dictionary_encode(pc.utf8_trim_whitespace(raw))
    vocab_raw = dictionary.dictionary.to_pylist()
    indices = dictionary.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
    if f.kind == "category":
        if any(v not in (f.values or ()) for v in vocab_raw if v):
            return None
        remap = np.array([f.values.index(v) if v else -1 for v in vocab_raw] + [-1], dtype=np.int32)
        return Codes(remap[indices], tuple(f.values or ()))
    remap = np.array([i if v else -1 for i, v in enumerate(vocab_raw)] + [-1], dtype=np.int32)
    return Codes(remap[indices], tuple(vocab_raw))


def _fast_boolean(f: FieldLike, raw: pa.Array) -> Column | None:
    if pa.types.is_boolean(raw.type):
        known = pc.is_valid(raw).to_numpy(zero_copy_only=False)
        value = raw.fill_null(False).to_numpy(zero_copy_only=False)
        return Tri(value & known, known)
    if not pa.types.is_string(raw.type):
        return None
    dictionary = pc.dictionary_encode(raw)
    words = [None if v is None else v.strip().lower() for v in dictionary.dictionary.to_pylist()]
    if any(w and w not in TRUE and w not in FALSE for w in words):
        return None
    idx = dictionary.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    value = np.array([w in TRUE for w in words] + [False])[idx]
    known = np.array([bool(w) for w in words] + [False])[idx]
    return Tri(value, known)


def _fast_date(f: FieldLike, raw: pa.Array) -> Column | None:
    t = raw.type
    if pa.types.is_timestamp(t):
        try:
            raw = pc.cast(raw, pa.date32())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        t = raw.type
    if pa.types.is_date(t):
        days = pc.cast(raw, pa.date32()).cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.float64)
        days = np.where(pc.is_null(raw).to_numpy(zero_copy_only=False), np.nan, days)
        with np.errstate(invalid="ignore"):
            off = (days < _DAY_MIN) | (days > _DAY_MAX)
        return None if off.any() else days  # the cell path names the dates off the calendar
    if not pa.types.is_string(t):
        return None
    dictionary = pc.dictionary_encode(raw)
    parsed = []
    for v in dictionary.dictionary.to_pylist():
        try:
            d = convert_value(f, v)
        except ValueError:
            return None
        parsed.append(np.nan if d is None else day_number(d))
    idx = dictionary.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return np.array(parsed + [np.nan])[idx]


_ITEM_ARROW = {"number": pa.float64(), "integer": pa.float64(), "boolean": pa.bool_(), "category": pa.string(),
               "string": pa.string(), "date": pa.string()}


def _fast_list(f: FieldLike, raw: pa.Array) -> Column | None:
    """Lists of records, from JSON text cells or an Arrow list<struct> column, without a Python loop
    per row. Anything unusual (malformed JSON, a wrong type, a bad or missing item value) returns None,
    and the cell-by-cell path reports it precisely."""
    if pa.types.is_string(raw.type) or pa.types.is_large_string(raw.type):
        raw = _parse_json_lists(f, raw)
        if raw is None:
            return None
    if not (pa.types.is_list(raw.type) or pa.types.is_large_list(raw.type)) \
            or not pa.types.is_struct(raw.type.value_type):
        return None
    items = raw.flatten()
    if items.null_count:
        return None
    lengths = pc.fill_null(pc.list_value_length(raw), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    offsets = np.zeros(len(raw) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    names = {items.type.field(i).name for i in range(items.type.num_fields)}
    columns: dict[str, Column] = {}
    for sub in f.items:
        item_errors: RowErrors = {}
        col = convert_column(sub, items.field(sub.name) if sub.name in names else None, len(items), item_errors)
        if item_errors or (getattr(sub, "required", False) and _any_missing(col)):
            return None
        columns[sub.name] = col
    return ListColumn(offsets, raw.is_valid().to_numpy(zero_copy_only=False), Table(len(items), columns))


def _parse_json_lists(f: FieldLike, raw: pa.Array) -> pa.Array | None:
    """Every cell parsed at once by Arrow's JSON reader: each cell becomes one line {"v": <cell>}."""
    import io

    import pyarrow.json as pj

    cells = pc.if_else(pc.equal(pc.utf8_trim_whitespace(raw), ""), None, raw)
    lines = pc.binary_join_element_wise('{"v":', pc.fill_null(cells, "null"), "}\n", "")
    item = pa.struct([(sub.name, _ITEM_ARROW[sub.kind]) for sub in f.items])
    options = pj.ParseOptions(explicit_schema=pa.schema([("v", pa.list_(item))]),
                              unexpected_field_behavior="ignore", newlines_in_values=True)
    try:
        parsed = pj.read_json(io.BytesIO(_string_bytes(lines)), parse_options=options)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if parsed.num_rows != len(raw):
        return None
    return parsed.column("v").combine_chunks()


def _string_bytes(array: pa.Array) -> bytes:
    """The concatenated text of a string array with no nulls (its data buffer, in order)."""
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset:array.offset + len(array) + 1]
    return array.buffers()[2].to_pybytes()[offsets[0]:offsets[-1]]


def _any_missing(col: Column) -> bool:
    if isinstance(col, Tri):
        return bool((~col.known).any())
    if isinstance(col, Codes):
        return bool((col.codes < 0).any())
    return bool(np.isnan(col).any())


_FAST = {"number": _fast_number, "integer": _fast_number, "category": _fast_codes, "string": _fast_codes,
         "boolean": _fast_boolean, "date": _fast_date, "list": _fast_list}


def _cells(raw: pa.Array) -> list[Any]:
    """The cells as Python values; a date or time Python cannot hold (year 10000 on, before year 1)
    as Arrow's text for it, which no date field accepts."""
    try:
        return raw.to_pylist()
    except (OverflowError, ValueError):
        if not pa.types.is_temporal(raw.type):
            raise
    texts = pc.cast(raw, pa.string()).to_pylist()
    cells = []
    for i, text in enumerate(texts):
        try:
            cells.append(raw[i].as_py())
        except (OverflowError, ValueError):
            cells.append(text)
    return cells


def _slow(f: FieldLike, cells: list[Any], errors: RowErrors) -> Column:
    values: list[Any] = []
    for i, cell in enumerate(cells):
        try:
            values.append(convert_value(f, cell))
        except ValueError as exc:
            errors.setdefault(i, []).append((f.name, cell, str(exc)))
            values.append(None)
    return column_from_values(f, values)


def column_from_values(f: FieldLike, values: list[Any]) -> Column:
    """A column from already-typed Python values (None = missing)."""
    if f.kind == "boolean":
        return Tri(np.array([bool(v) for v in values], dtype=bool), np.array([v is not None for v in values],
                                                                              dtype=bool))
    if f.kind in ("category", "string"):
        if f.values is not None:
            index = {v: i for i, v in enumerate(f.values)}
            return Codes(np.array([index[v] if v is not None else -1 for v in values], dtype=np.int32),
                         tuple(f.values))
        return Codes.from_strings(values)
    if f.kind == "date":
        return np.array([np.nan if v is None else day_number(v) for v in values], dtype=np.float64)
    if f.kind == "list":
        return _list_column(f, values)
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def _list_column(f: FieldLike, values: list[Any]) -> ListColumn:
    lengths = np.array([0 if v is None else len(v) for v in values], dtype=np.int64)
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    records = [r for v in values if v is not None for r in v]
    items = Table(len(records), {sub.name: column_from_values(sub, [r.get(sub.name) for r in records])
                                 for sub in f.items})
    return ListColumn(offsets, np.array([v is not None for v in values], dtype=bool), items)
