"""Graded results as the planning modules use them: one typed pandas DataFrame, whatever the source.

A graded result arrives as a ``GradeResult`` (anything with a ``.long`` Arrow table), an Arrow
table, a DataFrame, or a file written by ``riskgrade grade`` (jsonl, csv, parquet, xlsx), read back
by ``io.read_grades`` with the contract's types; here it becomes one DataFrame: lists as Python
lists, dates as ``datetime64``, ranks and intervals as nullable integers. The packs named in the
results must be the packs given, at the same content hash.
"""

from __future__ import annotations

import os
from typing import Any, Sequence

import pyarrow as pa

from ..compiler.program import Program
from ..errors import InputError, OptionError
from ..io.read_grades import conform_grades, read_grades
from ._pandas import pandas

REQUIRED = ("entity_id", "pack", "applies", "level", "rank", "inspection_interval_days", "next_inspection",
            "as_of")
LIST_COLUMNS = ("fired", "controls", "inspection_modifiers", "data_gaps")
DATE_COLUMNS = ("as_of", "next_inspection")
JURISDICTIONS = ("city", "county", "station", "grid")


def load_graded(source: Any, *, sheet: str | None = None) -> Any:
    """The long-form grades of ``source`` as a typed pandas DataFrame (see the module docstring).

    Raises InputError when a required column is missing or a value cannot be read back.
    """
    table, name = _arrow(source, sheet)
    missing = [c for c in REQUIRED if c not in table.column_names]
    if missing and {"单位编号", "风险等级"} <= set(table.column_names):
        raise InputError("this file was written for people (--lang zh: Chinese headers and levels); plans are "
                         "made from the ids: grade to .jsonl or .parquet, or without --lang zh", file=name)
    if missing:
        raise InputError(f"not a graded results file: no column {', '.join(repr(c) for c in missing)}; "
                         "grade the entities first (riskgrade grade, or plan --grade)", file=name)
    for col_name in JURISDICTIONS:  # carried as text, whatever the file made of them
        if col_name in table.column_names and table.column(col_name).type != pa.string():
            table = table.set_column(table.column_names.index(col_name), col_name,
                                     table.column(col_name).cast(pa.string()))
    df = table.to_pandas(types_mapper=_types_mapper)
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
        return conform_grades(source.long), "<grades>"
    if isinstance(source, pa.Table):
        return conform_grades(source), "<grades>"
    pd = pandas()
    if isinstance(source, pd.DataFrame):
        return conform_grades(pa.Table.from_pandas(source, preserve_index=False)), "<grades>"
    if isinstance(source, (str, os.PathLike)):
        return read_grades(source, sheet=sheet), str(source)
    raise InputError(f"cannot read grades from a {type(source).__name__}; give a GradeResult, a file "
                     "written by riskgrade grade, an Arrow table or a DataFrame")


def _types_mapper(t: pa.DataType) -> Any:
    pd = pandas()
    if t == pa.int64() or t == pa.int32():
        return pd.Int64Dtype()
    if t == pa.bool_():
        return pd.BooleanDtype()
    return None
