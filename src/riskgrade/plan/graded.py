"""Graded results as the planning modules use them: one typed pandas DataFrame, whatever the source.

A graded result arrives as a ``GradeResult`` (anything with a ``.long`` Arrow table), an Arrow
table, a DataFrame, or a file written by ``riskgrade grade`` (jsonl, csv, parquet, xlsx). Files lose
types on the way (CSV has only text, lists are joined with ``;``), so every source is brought back
to the same columns: lists as Python lists, dates as ``datetime64``, ranks and intervals as
nullable integers. The packs named in the results must be the packs given, at the same content hash.
"""

from __future__ import annotations

import os
from typing import Any, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..compiler.program import Program
from ..errors import InputError, OptionError
from ._pandas import pandas

REQUIRED = ("entity_id", "pack", "applies", "level", "rank", "inspection_interval_days", "next_inspection",
            "as_of")
LIST_COLUMNS = ("fired", "controls", "data_gaps")
DATE_COLUMNS = ("as_of", "next_inspection")
INT_COLUMNS = ("rank", "inspection_interval_days")
JURISDICTIONS = ("city", "county", "station", "grid")


def load_graded(source: Any, *, sheet: str | None = None) -> Any:
    """The long-form grades of ``source`` as a typed pandas DataFrame (see the module docstring).

    Raises InputError when a required column is missing or a value cannot be read back.
    """
    table, name = _arrow(source, sheet)
    missing = [c for c in REQUIRED if c not in table.column_names]
    if missing:
        raise InputError(f"not a graded results file: no column {', '.join(repr(c) for c in missing)}; "
                         "grade the entities first (riskgrade grade, or plan --grade)", file=name)
    columns = {}
    for col_name in table.column_names:
        columns[col_name] = _normalise(col_name, table.column(col_name), name)
    df = pa.table(columns).to_pandas(types_mapper=_types_mapper)
    for col_name in LIST_COLUMNS:
        if col_name in df:
            df[col_name] = [list(v) if v is not None else [] for v in df[col_name]]
    for col_name in DATE_COLUMNS:
        df[col_name] = pandas().to_datetime(df[col_name]).astype("datetime64[s]")
    return df


def as_graded(graded: Any) -> Any:
    """``graded`` itself when it is already a DataFrame from ``load_graded``, else ``load_graded(graded)``."""
    pd = pandas()
    if isinstance(graded, pd.DataFrame) and "as_of" in graded and str(graded["as_of"].dtype).startswith("datetime64"):
        return graded
    return load_graded(graded)


def programs_for(graded: Any, packs: Program | Sequence[Program], *, check_sha: bool = True) -> dict[str, Program]:
    """The compiled pack for every pack id in the graded rows, checked against the hash they were graded with."""
    programs = {p.pack_id: p for p in ([packs] if isinstance(packs, Program) else packs)}
    found = [str(p) for p in graded["pack"].dropna().unique()]
    unknown = sorted(set(found) - set(programs))
    if unknown:
        raise OptionError(f"the grades name pack(s) {', '.join(unknown)} that the rules given do not have "
                          f"(rules: {', '.join(programs) or 'none'})")
    if check_sha and "pack_sha256" in graded:
        for pid in found:
            shas = set(graded.loc[graded["pack"] == pid, "pack_sha256"].dropna().unique())
            stale = shas - {programs[pid].sha256}
            if stale:
                raise OptionError(
                    f"pack {pid}: the grades were made with a different version of the pack "
                    f"(sha256 {sorted(stale)[0][:12]}…, rules give {programs[pid].sha256[:12]}…); "
                    "re-grade, or accept the difference (check_sha=False, --allow-pack-change)")
    return {pid: programs[pid] for pid in found}


def _arrow(source: Any, sheet: str | None) -> tuple[pa.Table, str]:
    if hasattr(source, "long") and isinstance(source.long, pa.Table):
        return source.long, "<grades>"
    if isinstance(source, pa.Table):
        return source, "<grades>"
    pd = pandas()
    if isinstance(source, pd.DataFrame):
        return pa.Table.from_pandas(source, preserve_index=False), "<grades>"
    if isinstance(source, (str, os.PathLike)):
        from ..io.read import open_entities

        src = open_entities(source, sheet=sheet)
        chunks = [c.table for c in src]
        if src.rejects:
            r = src.rejects[0]
            raise InputError(f"cannot read the row: {r.reason}", file=str(source), row=r.row)
        if not chunks:
            raise InputError("the file holds no graded rows", file=str(source))
        return pa.concat_tables(chunks, promote_options="permissive"), str(source)
    raise InputError(f"cannot read grades from a {type(source).__name__}; give a GradeResult, a file "
                     "written by riskgrade grade, an Arrow table or a DataFrame")


def _normalise(name: str, col: pa.ChunkedArray, file: str) -> pa.Array:
    col = col.combine_chunks()
    if name in LIST_COLUMNS:
        return _as_list(col)
    if name in DATE_COLUMNS:
        return _as_type(name, col, pa.date32(), file)
    if name in INT_COLUMNS:
        return _as_type(name, col, pa.int64(), file)
    if name == "applies" and not pa.types.is_boolean(col.type):
        return _as_type(name, pc.utf8_lower(col.cast(pa.string())), pa.bool_(), file)
    if name in ("entity_id", "pack", "level", "color", "responsible", "pack_sha256") + JURISDICTIONS:
        return col.cast(pa.string()) if col.type != pa.string() else col
    return col


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
    source = col
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        trimmed = pc.utf8_trim_whitespace(col)
        source = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    elif pa.types.is_timestamp(col.type) and target == pa.date32():
        source = col.cast(pa.date32())
    elif pa.types.is_floating(col.type) and target == pa.int64():
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


def _types_mapper(t: pa.DataType) -> Any:
    pd = pandas()
    if t == pa.int64() or t == pa.int32():
        return pd.Int64Dtype()
    if t == pa.bool_():
        return pd.BooleanDtype()
    return None
