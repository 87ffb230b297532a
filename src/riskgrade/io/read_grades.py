"""Graded results back from a file: the inverse of the writers, typed by the output contract.

A file written by ``riskgrade grade`` (jsonl, csv, parquet, xlsx) loses types on the way (CSV has
only text, lists are joined with ``;``, a spreadsheet turns dates into timestamps), so each column
of the contract (``results.tables.LONG_SCHEMA``, plus ``as_of``) is brought back to its type: lists
as lists, dates as dates, ranks and intervals as integers. Other columns (derived values, columns
carried from the input) stay as the file holds them. A value that cannot be read back is an
InputError naming its row and column.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError
from ..results.tables import LONG_SCHEMA
from .read import open_entities
from .write_values import escape_formula, unescape_formulas

GRADES_SCHEMA = LONG_SCHEMA.insert(4, pa.field("as_of", pa.date32()))


def read_grades(path: str | os.PathLike[str], *, sheet: str | None = None) -> pa.Table:
    """The long-form grades in ``path``, the contract's columns typed (see the module docstring)."""
    src = open_entities(path, sheet=sheet)
    chunks = [c.table for c in src]
    if src.rejects:
        r = src.rejects[0]
        raise InputError(f"cannot read the row: {r.reason}", file=str(path), row=r.row)
    if not chunks:
        raise InputError("the file holds no graded rows", file=str(path))
    table = pa.concat_tables(chunks, promote_options="permissive")
    if src.format == "csv":  # the writer put a ' before text a spreadsheet would run: take it off
        table = pa.table([unescape_formulas(c) if pa.types.is_string(c.type) else c for c in table.columns],
                         names=[_unescape_name(n) for n in table.column_names])
    return conform_grades(table, str(path))


def _unescape_name(name: str) -> str:
    return name[1:] if name[:1] == "'" and escape_formula(name[1:]) == name else name


def conform_grades(table: pa.Table, file: str = "<grades>") -> pa.Table:
    """``table`` with each column of the contract it holds cast to the contract's type."""
    columns = {}
    for name in table.column_names:
        col = table.column(name).combine_chunks()
        index = GRADES_SCHEMA.get_field_index(name)
        columns[name] = col if index < 0 else _typed(name, col, GRADES_SCHEMA.field(index).type, file)
    return pa.table(columns)


def _typed(name: str, col: pa.Array, target: pa.DataType, file: str) -> pa.Array:
    if pa.types.is_list(target):
        return _as_list(col)
    if pa.types.is_string(target):  # text stays as written (ids, levels, hashes)
        return col if col.type == target else col.cast(target)
    if pa.types.is_boolean(target) and not pa.types.is_boolean(col.type) and not pa.types.is_null(col.type):
        col = pc.utf8_lower(col.cast(pa.string()))
    return _as_type(name, col, target, file)


def _as_list(col: pa.Array) -> pa.Array:
    """A list column from a list, or from text joined with ``;`` (CSV, xlsx); empty pieces dropped."""
    if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
        return pc.fill_null(col.cast(pa.list_(pa.string())), pa.scalar([], pa.list_(pa.string())))
    if pa.types.is_null(col.type):
        return pa.array([[]] * len(col), pa.list_(pa.string()))
    parts = pc.split_pattern(pc.fill_null(col.cast(pa.string()), ""), ";")
    flat = pc.utf8_trim_whitespace(pc.list_flatten(parts))
    keep = pc.not_equal(flat, "")
    parent = pc.list_parent_indices(parts).filter(keep).to_numpy()
    offsets = np.zeros(len(col) + 1, dtype=np.int32)
    np.cumsum(np.bincount(parent, minlength=len(col)), out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), flat.filter(keep))


def _as_type(name: str, col: pa.Array, target: pa.DataType, file: str) -> pa.Array:
    if col.type == target:
        return col
    source: Any = col
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        trimmed = pc.utf8_trim_whitespace(col)
        source = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    elif pa.types.is_timestamp(col.type) and target == pa.date32():
        source = col.cast(pa.date32())
    elif pa.types.is_floating(col.type) and pa.types.is_integer(target):
        source = pc.round(col)
    try:
        return source.cast(target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    for i, value in enumerate(source.to_pylist()):  # find the first bad value to name it
        try:
            pa.array([value]).cast(target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise InputError(f"cannot read {value!r} as {target}", file=file, row=i + 2, column=name) from None
    raise InputError(f"cannot read the column as {target}", file=file, column=name)
