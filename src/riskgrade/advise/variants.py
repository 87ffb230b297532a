"""Fixed variants of entities as typed columns: row ``rows[v]`` of the table with the fixes of
``apply[v]`` set, ready for the batch engine to grade thousands of them in one call."""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..compiler.program import CompiledFix
from ..table import Codes, Column, Table, Tri, day_number
from .prepare import Prepared


def _number(fix: CompiledFix, as_of: dt.date, table: Table, rows: np.ndarray | None = None) -> np.ndarray | float:
    """The value after the fix as a float (dates as day numbers); when it copies a field, that field's
    value in each row of ``table`` (of ``rows`` of it)."""
    if fix.to_field is not None:
        source = np.asarray(table.columns[fix.to_field], dtype=np.float64)
        return source if rows is None else source[rows]
    value = fix.value_on(as_of)
    return day_number(value) if isinstance(value, dt.date) else float(value)


def _code(col: Codes, value: str) -> tuple[Codes, int]:
    """``col`` (its vocabulary extended when ``value`` is new) and the code of ``value``."""
    if value in col.vocab:
        return col, col.vocab.index(value)
    return Codes(col.codes, col.vocab + (value,)), len(col.vocab)


def _holds(col: Column, value: object) -> np.ndarray:
    """bool (rows,): the column holds ``value`` (a typed value; never where it is missing)."""
    if isinstance(col, Tri):
        return col.known & (col.value == bool(value))
    if isinstance(col, Codes):
        return col.codes == col.vocab.index(value) if value in col.vocab else np.zeros(len(col.codes), dtype=bool)
    number = day_number(value) if isinstance(value, dt.date) else float(value)  # type: ignore[arg-type]
    return np.asarray(col) == number


def applicable(prep: Prepared, table: Table, as_of: dt.date) -> np.ndarray:
    """bool (rows, fixes): the fix changes the row's value, and the row has a value it applies to
    (``from``)."""
    out = np.zeros((table.n, len(prep.fixes)), dtype=bool)
    for fix in prep.fixes:
        col = table.columns[fix.field]
        if fix.to_field is not None:  # copies a value the row must have, and that differs
            other = _number(fix, as_of, table)
            ok = ~np.isnan(other) & (np.asarray(col) != other)
        else:
            ok = ~_holds(col, fix.value_on(as_of))
        if fix.from_values is not None:
            ok &= np.logical_or.reduce([_holds(col, v) for v in fix.from_values])
        out[:, fix.index] = ok
    return out


def variant_table(prep: Prepared, table: Table, rows: np.ndarray, apply: np.ndarray, as_of: dt.date) -> Table:
    """The rows ``rows`` of ``table`` with, in variant v, every fix k where ``apply[v, k]`` set.

    Two fixes of one field are never applied together (the search keeps them apart)."""
    out = table.take(rows)
    touched = apply.any(axis=0)
    for name in {prep.fixes[k].field for k in np.flatnonzero(touched)}:
        col: Column = out.columns[name]
        for fix in prep.fixes:
            if fix.field == name and touched[fix.index]:
                col = _set(col, apply[:, fix.index], fix, as_of, table, rows)
        out.columns[name] = col
    return out


def _set(col: Column, mask: np.ndarray, fix: CompiledFix, as_of: dt.date, table: Table, rows: np.ndarray) -> Column:
    if isinstance(col, Tri):
        return Tri(np.where(mask, bool(fix.value), col.value), col.known | mask)
    if isinstance(col, Codes):
        col, code = _code(col, str(fix.value_on(as_of)))
        return Codes(np.where(mask, np.int32(code), col.codes).astype(np.int32), col.vocab)
    # a copied value is the entity's own, as it was before any fix
    return np.where(mask, _number(fix, as_of, table, rows), np.asarray(col, dtype=np.float64))
