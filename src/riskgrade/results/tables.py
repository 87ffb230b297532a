"""Grades -> the output contract as Arrow tables: the long form (one row per entity and pack) and the
wide form (one row per entity, overall level first)."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..backends.base import PackGrades
from ..expr.nodes import Expr, GroupBy
from ..scoring.interval import adjustment_ids, overdue_days_numpy
from ..table import Codes, ListColumn, Tri

CONTRACT_COLUMNS = (
    "entity_id", "pack", "pack_version", "pack_sha256", "applies", "level", "rank", "color", "score",
    "fired", "controls", "responsible", "inspection_interval_days", "next_inspection", "inspection_overdue_days",
    "inspection_modifiers", "data_gaps",
)

LONG_SCHEMA = pa.schema([
    ("entity_id", pa.string()), ("pack", pa.string()), ("pack_version", pa.string()),
    ("pack_sha256", pa.string()), ("applies", pa.bool_()), ("level", pa.string()), ("rank", pa.int32()),
    ("color", pa.string()), ("score", pa.float64()), ("fired", pa.list_(pa.string())),
    ("controls", pa.list_(pa.string())), ("responsible", pa.string()),
    ("inspection_interval_days", pa.int32()), ("next_inspection", pa.date32()),
    ("inspection_overdue_days", pa.int32()),
    ("inspection_modifiers", pa.list_(pa.string())), ("data_gaps", pa.list_(pa.string())),
])

# Every column a grading run writes besides derived values and carried ones: a carried (kept)
# column may not take one of these names.
WIDE_COLUMNS = ("overall_level", "overall_rank", "overall_color")
OUTPUT_COLUMNS = frozenset(CONTRACT_COLUMNS) | {"as_of", "explanation"} | set(WIDE_COLUMNS)


# Arrow type of a derived value of each expression kind (strings and categories are text)
VALUE_TYPES = {"number": pa.float64(), "date": pa.date32(), "boolean": pa.bool_(), "string": pa.string()}


def derived_type(node: Expr) -> pa.DataType:
    """The Arrow type of a derived value; a grouped list is a list of records {key, value…}."""
    if isinstance(node, GroupBy):
        return pa.list_(pa.struct([(node.key, pa.string())]
                                  + [(name, VALUE_TYPES[e.type.kind]) for name, e in node.values]))
    return VALUE_TYPES[node.type.kind]


def list_column(value: ListColumn, node: GroupBy) -> pa.Array:
    """A grouped list (numpy representation) as an Arrow list<struct> column."""
    kinds = [(node.key, "string")] + [(name, e.type.kind) for name, e in node.values]
    children = [value_column(value.items.columns[name], value.items.n, kind) for name, kind in kinds]
    struct = pa.StructArray.from_arrays(children, fields=list(derived_type(node).value_type))
    return pa.ListArray.from_arrays(pa.array(np.asarray(value.offsets, dtype=np.int32)), struct,
                                    type=derived_type(node), mask=pa.array(~np.asarray(value.known, dtype=bool)))


def matrix_lists(matrix: np.ndarray, names: Sequence[str]) -> pa.Array:
    """A (rows × names) boolean matrix as a list<string> column, each row's names in column order.

    The engines keep these matrices name-major (``matrix`` is a transposed view), so the lists are
    filled name by name: each pass finds the rows holding one name and appends it to their lists.
    """
    cols = np.ascontiguousarray(matrix.T)  # (names, rows); free for a transposed view
    n = cols.shape[1]
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(cols.sum(axis=0, dtype=np.int32), out=offsets[1:])
    values = np.empty(offsets[-1], dtype=np.int32)
    cursor = offsets[:-1].copy()
    for j in range(cols.shape[0]):
        rows = np.flatnonzero(cols[j])
        values[cursor[rows]] = j
        cursor[rows] += 1
    dictionary = pa.array(list(names), type=pa.string())
    return pa.ListArray.from_arrays(pa.array(offsets), dictionary.take(pa.array(values)))


def _pick(options: Sequence[Any], index: np.ndarray, arrow_type: pa.DataType) -> pa.Array:
    """options[index] with -1 as null."""
    table = pa.array(list(options), type=arrow_type)
    return table.take(pa.array(np.where(index >= 0, index, -1), mask=index < 0, type=pa.int64()))


def _float_column(x: np.ndarray) -> pa.Array:
    return pa.array(x, mask=np.isnan(x), type=pa.float64())


def _int_column(x: np.ndarray) -> pa.Array:
    return pa.array(np.where(np.isnan(x), 0, x).astype(np.int32), mask=np.isnan(x), type=pa.int32())


def value_column(value: Any, n: int, kind: str) -> pa.Array:
    """A derived value column (numpy representation) as Arrow."""
    if isinstance(value, Tri):
        v, k = np.broadcast_to(value.value, (n,)), np.broadcast_to(value.known, (n,))
        return pa.array(v, mask=~k, type=pa.bool_())
    if isinstance(value, Codes):
        codes = np.broadcast_to(value.codes, (n,)).astype(np.int64)
        return _pick(value.vocab, codes, pa.string()) if value.vocab else pa.nulls(n, pa.string())
    x = np.broadcast_to(np.asarray(value, dtype=np.float64), (n,))
    if kind == "date":
        return pa.array(np.where(np.isnan(x), 0, x).astype(np.int32), mask=np.isnan(x), type=pa.date32())
    return _float_column(x)


def long_table(grades: PackGrades, ids: pa.Array, keep: np.ndarray | None = None,
               derived_names: dict[str, str] | None = None) -> pa.Table:
    """The long-form rows of one pack for one chunk (``keep``: rows that were not rejected)."""
    g = grades
    p = g.program
    idx = np.arange(g.n) if keep is None else np.flatnonzero(keep)
    n = len(idx)
    level = g.level[idx]

    def const(value: str) -> pa.Array:
        return pa.repeat(pa.scalar(value, pa.string()), n)

    interval = g.interval[idx]
    due = g.next_due[idx]
    columns: dict[str, pa.Array] = {
        "entity_id": ids if keep is None or len(idx) == g.n else ids.take(pa.array(idx)),
        "pack": const(p.pack_id), "pack_version": const(p.version), "pack_sha256": const(p.sha256),
        # null: applicability undecided (the data that decides it is missing; data_gaps name it)
        "applies": pa.array(g.applies[idx], type=pa.bool_(),
                            mask=None if g.undecided is None else g.undecided[idx]),
        "level": _pick([lv.id for lv in p.levels], level, pa.string()),
        "rank": pa.array(level + 1, mask=level < 0, type=pa.int32()),
        "color": _pick([lv.color for lv in p.levels], level, pa.string()),
        "score": _float_column(g.score[idx]),
        "fired": matrix_lists(_rows(g.hits, idx), [r.id for r in p.rules]),
        "controls": matrix_lists(_rows(g.controls, idx), [m for m, _ in p.measures]),
        "responsible": _pick(list(p.responsible), level, pa.string()),
        "inspection_interval_days": pa.array(np.where(np.isnan(interval), 0, interval).astype(np.int32),
                                             mask=np.isnan(interval), type=pa.int32()),
        "next_inspection": pa.array(np.where(np.isnan(due), 0, due).astype(np.int32), mask=np.isnan(due),
                                    type=pa.date32()),
        "inspection_overdue_days": _int_column(overdue_days_numpy(due, g.as_of)),
        "inspection_modifiers": matrix_lists(
            _rows(g.adjusted, idx) if g.adjusted is not None else np.zeros((n, 0), dtype=bool),
            adjustment_ids(p.inspection)),
        "data_gaps": matrix_lists(_rows(g.gaps, idx), list(p.gap_names)),
    }
    for name, cexpr in p.derive:
        column = (derived_names or {}).get(name, name)
        value = _take(g.derived[name], idx)
        columns[column] = (list_column(value, cexpr.node) if isinstance(cexpr.node, GroupBy)
                           else value_column(value, n, cexpr.node.type.kind))
    return pa.table(columns)


def _rows(matrix: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Rows ``idx`` of a name-major matrix view, keeping it name-major (see matrix_lists)."""
    return matrix if len(idx) == matrix.shape[0] else matrix.T[:, idx].T


def _take(value: Any, idx: np.ndarray) -> Any:
    if isinstance(value, ListColumn):
        return value if len(idx) == len(value.known) else value.take(idx)
    if isinstance(value, Tri):
        return Tri(value.value[idx], value.known[idx])
    if isinstance(value, Codes):
        return Codes(value.codes[idx], value.vocab)
    return value[idx]


def interleave(tables: list[pa.Table], schema: pa.Schema) -> pa.Table:
    """Per-pack tables of the same entities -> one table ordered entity by entity, packs in order."""
    if len(tables) == 1:
        return tables[0].cast(schema) if tables[0].schema != schema else tables[0]
    aligned = [_align(t, schema) for t in tables]
    n, k = aligned[0].num_rows, len(aligned)
    order = (np.arange(k)[None, :] * n + np.arange(n)[:, None]).ravel()
    return pa.concat_tables(aligned).take(pa.array(order))


def _align(table: pa.Table, schema: pa.Schema) -> pa.Table:
    cols = [table.column(f.name) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
            for f in schema]
    return pa.Table.from_arrays(cols, schema=schema)


def wide_table(tables: list[pa.Table], pack_ids: list[str]) -> pa.Table:
    """One row per entity: overall level (most severe applicable pack), then each pack's level and score."""
    first = tables[0]
    n = first.num_rows
    ranks = np.stack([t.column("rank").fill_null(np.iinfo(np.int32).max).to_numpy().astype(np.int64)
                      for t in tables])
    best_rank = ranks.min(axis=0)
    has = best_rank < np.iinfo(np.int32).max
    best = np.argmin(ranks, axis=0)
    level = pa.nulls(n, pa.string())
    color = pa.nulls(n, pa.string())
    for k, t in enumerate(tables):
        sel = pa.array(has & (best == k))
        level = pc.if_else(sel, t.column("level").combine_chunks(), level)
        color = pc.if_else(sel, t.column("color").combine_chunks(), color)
    columns: dict[str, Any] = {
        "entity_id": first.column("entity_id"),
        "overall_level": level,
        "overall_rank": pa.array(np.where(has, best_rank, 0).astype(np.int32), mask=~has),
        "overall_color": color,
    }
    for pid, t in zip(pack_ids, tables):
        columns[f"{pid}.applies"] = t.column("applies")
        columns[f"{pid}.level"] = t.column("level")
        columns[f"{pid}.score"] = t.column("score")
        columns[f"{pid}.fired"] = t.column("fired")
    return pa.table(columns)
