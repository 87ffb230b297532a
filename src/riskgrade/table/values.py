"""Typed columns -> one dict of typed values per row: the inverse of ``convert.column_from_values``.

Engines that grade one entity at a time (reference, durable, compiled) read a chunk through this,
so that every engine is handed the same typed ``Table`` and sees the same values: numbers as
floats, dates as ``datetime.date``, booleans as ``bool``, text as ``str``, lists as lists of dicts,
and ``None`` where a value is missing.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .columns import Codes, Column, ListColumn, Table, Tri, from_day_number
from .convert import FieldLike


def column_values(f: FieldLike, col: Column) -> list[Any]:
    """The typed Python value of every row of one column (``None`` = missing)."""
    if isinstance(col, Tri):
        return col.to_list()
    if isinstance(col, Codes):
        return col.to_list()
    if isinstance(col, ListColumn):
        return _list_values(f, col)
    x = np.asarray(col, dtype=np.float64)
    if f.kind == "date":
        return [None if v != v else from_day_number(v) for v in x.tolist()]
    return [None if v != v else v for v in x.tolist()]  # v != v: NaN


def _list_values(f: FieldLike, col: ListColumn) -> list[Any]:
    items = entity_values(f.items, col.items)
    offsets = col.offsets.tolist()
    return [items[offsets[i]:offsets[i + 1]] if known else None for i, known in enumerate(col.known.tolist())]


def entity_values(fields: Sequence[FieldLike], table: Table) -> list[dict[str, Any]]:
    """One dict per row of ``table``: each declared field's typed value."""
    names = [f.name for f in fields]
    columns = [column_values(f, table.columns[f.name]) for f in fields]
    return [dict(zip(names, row)) for row in zip(*columns)] if columns else [{} for _ in range(table.n)]
