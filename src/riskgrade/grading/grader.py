"""Grade a stream of raw chunks with one or more packs, accounting for every row.

Each chunk is converted to each pack's declared types, graded by every pack, and split into the rows
graded and the rows rejected (a row rejected by any pack is rejected whole, with every reason), so
that rows in = rows graded + rows rejected, whatever the chunking.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..backends import batch
from ..backends.base import Backend, PackGrades
from ..compiler.program import CompiledField, Program
from ..errors import OptionError
from ..resolve import ENTITY_ID, ColumnReport, Resolver
from ..results.rejects import RowReject, merge_problems
from ..results.tables import LONG_SCHEMA, derived_type, interleave, long_table, wide_table
from ..table import RawChunk, Table
from ..table.convert import RowErrors, convert_column
from ..table.ids import SeenIds, normalise_ids
from .options import GradeOptions

_ROW_BITS = 40  # a first-seen position is (file index << 40) | row number
_LABEL = re.compile(r"(^|:)row-[0-9]+$")


@dataclass
class Counts:
    """Rows read, graded and rejected in a run: ``rows_in == graded + rejected``, however it was chunked."""

    rows_in: int = 0
    graded: int = 0
    rejected: int = 0

    def __str__(self) -> str:
        return f"{self.rows_in} rows in = {self.graded} graded + {self.rejected} rejected"


@dataclass
class GradedChunk:
    """One chunk graded by every pack: the output contract's long and wide Arrow tables for the rows
    graded, and the rows rejected (each reason a ``RowReject``)."""

    long: pa.Table
    wide: pa.Table
    rejects: list[RowReject]
    rows: np.ndarray  # source row number of each graded entity (the rows of ``wide``)
    headers: tuple[str, ...] = ()  # the input's column names, as the source writes them
    applies: dict[str, tuple[int, int]] | None = None  # pack -> (rows it applies to, rows in the chunk)


class Grader:
    """Prepared once for a set of packs and the run's options; grades chunk after chunk with one
    engine (``backend``: the batch engine unless another ``backends.Backend`` is given).

    The options are checked against the packs here, before any row is read.
    """

    def __init__(self, programs: Sequence[Program], options: GradeOptions, backend: Backend = batch) -> None:
        self.params_by_pack = options.check(programs)
        self.backend = backend
        self.programs = list(programs)
        self.options = options
        self.as_of = options.as_of
        self.params = options.params
        self.derived_names = _derived_column_names(self.programs)
        self._declared_by: dict[str, list[str]] = {}  # field -> the packs declaring it
        for p in self.programs:
            for f in p.fields:
                self._declared_by.setdefault(f.name, []).append(p.pack_id)
        _check_kept(options, self.derived_names)
        self.resolver = Resolver(self.programs, options.mapping, carried=options.carried,
                                 keep=options.keep or (), id_column=options.id_column)
        # input columns carried through; None until the first chunk shows which defaults are present
        self.kept: list[str] | None = None
        self._pack_schema = _long_schema(self.programs, self.derived_names)
        self._seen = SeenIds()
        self._sources: list[str | None] = []  # the files graded so far, in order

    @property
    def schema(self) -> pa.Schema:
        schema = self._pack_schema
        for i, name in enumerate(self.kept or [], 1):
            schema = schema.insert(i, pa.field(name, pa.string()))
        return schema

    def report(self, source: str, headers: tuple[str, ...],
               applies: dict[str, tuple[int, int]] | None = None) -> ColumnReport:
        """The column report of a source (see ``resolve.report``)."""
        return self.resolver.report(source, headers, applies)

    def grade_chunk(self, chunk: RawChunk, source: str | None = None) -> GradedChunk:
        """Grade one chunk; a row without an id is called ``row-<n>``, or ``<source>:row-<n>`` when
        ``source`` names the file among several graded in one run."""
        headers = tuple(chunk.table.column_names)
        chunk = self.resolver.chunk(chunk)
        n = chunk.table.num_rows
        ids = _entity_ids(chunk, source)
        errors: RowErrors = {}
        cache: dict[CompiledField, Any] = {}
        all_grades: list[PackGrades] = []
        reasons: dict[int, list[tuple[str | None, tuple[str, Any, str, str]]]] = {}
        for program in self.programs:
            table = Table(n, {f.name: self._column(f, chunk, cache, errors) for f in program.fields})
            grades = self.backend.grade_columns(program, table, self.as_of, self.params_by_pack[program.pack_id])
            all_grades.append(grades)
            for i, rs in grades.rejects.items():
                reasons.setdefault(i, []).extend((program.pack_id, r) for r in rs)
            if self.options.strict and grades.undecided is not None:
                for i in np.flatnonzero(grades.undecided):
                    reasons.setdefault(int(i), []).append((program.pack_id, _undecided_reason(grades, int(i))))
        for i, errs in errors.items():
            bad = {f for f, _, _ in errs}
            # a value that could not be read is not also "missing": report it once
            kept_reasons = [x for x in reasons.get(i, []) if not (x[1][3] == "RG402" and x[1][0] in bad)]
            # a column several packs declare is converted once per pack: each unreadable cell once,
            # with every pack that declares the field
            once = {(f, repr(v), r): (f, v, r) for f, v, r in errs}.values()
            reasons[i] = [(pack, (f, v, r, "RG400")) for f, v, r in once for pack in self._declared_by[f]] \
                + kept_reasons
        keep = np.ones(n, dtype=bool)
        keep[list(reasons)] = False
        rejects = [RowReject(int(chunk.row_numbers[i]), ids[i].as_py(),
                             merge_problems((pack, f, v, r, code) for pack, (f, v, r, code) in reasons[i]))
                   for i in sorted(reasons)]
        tables = [_with_as_of(long_table(g, ids, keep, self.derived_names[g.program.pack_id]), self.as_of)
                  for g in all_grades]
        if self.kept is None:  # decided on the first chunk, so every chunk has the same columns
            present = [c for c in self.options.keep_if_present if c in chunk.table.column_names]
            self.kept = list(dict.fromkeys(present + list(self.options.keep or ())))
        kept = {c: _text_column(chunk.table, c, keep) for c in self.kept}
        tables = [_insert_after_id(t, kept) for t in tables]
        long = interleave(tables, self.schema)
        wide = _insert_after_id(wide_table(tables, [p.pack_id for p in self.programs]), kept)
        applies = {g.program.pack_id: (int(g.applies.sum()), n) for g in all_grades}
        return GradedChunk(long, wide, rejects, chunk.row_numbers[keep], headers, applies)

    def _drop_repeated_ids(self, result: GradedChunk, source: str | None) -> GradedChunk:
        """Reject every later row of an entity id already graded in this run (chunks come in order)."""
        ids = result.wide.column("entity_id").to_pylist()
        if source not in self._sources:
            self._sources.append(source)
        here = self._sources.index(source)
        first = self._seen.add(ids, result.rows + (here << _ROW_BITS))
        repeated = first >= 0
        if not repeated.any():
            return result
        keep = ~repeated
        per_pack = result.long.num_rows // max(1, len(ids))
        rejects = result.rejects + [
            RowReject.one(int(row), ids[i], "entity_id", ids[i], self._repeated(ids[i], int(f), here), "RG405")
            for i, (row, f) in enumerate(zip(result.rows, first)) if f >= 0]
        rejects.sort(key=lambda r: r.row)
        return replace(result, long=result.long.filter(pa.array(np.repeat(keep, per_pack))),
                       wide=result.wide.filter(pa.array(keep)), rejects=rejects, rows=result.rows[keep])

    def _repeated(self, entity_id: str, first: int, here: int) -> str:
        where, row = self._sources[first >> _ROW_BITS], first & ((1 << _ROW_BITS) - 1)
        of = f" of {where}" if first >> _ROW_BITS != here and where else ""
        label = " (a row without an id is called row-<line>)" if _LABEL.search(entity_id) else ""
        return f"duplicate entity id: first seen at row {row}{of}{label}; each entity must appear once"

    def _column(self, f: CompiledField, chunk: RawChunk, cache: dict[CompiledField, Any], errors: RowErrors) -> Any:
        if f not in cache:
            raw = chunk.table.column(f.name) if f.name in chunk.table.column_names else None
            cache[f] = convert_column(f, self.resolver.values(f, raw), chunk.table.num_rows, errors)
        return cache[f]

    def grade_chunks(self, chunks: Iterable[RawChunk], counts: Counts, workers: int | None = None,
                     source: str | None = None) -> Iterator[GradedChunk]:
        """Grade chunk after chunk, in order. numpy and Arrow release the GIL in their kernels, so
        ``workers`` threads grade the next chunks while one is being written; at most
        ``workers + 1`` chunks are in memory at once. ``source`` names the file when a run grades
        several (ids of rows without one, and where a repeated id was first seen)."""
        workers = workers or min(4, os.cpu_count() or 1)
        it = iter(chunks)
        first = next(it, None)
        if first is None:
            return
        yield self._count(first, self.grade_chunk(first, source), counts, source)  # fixes the kept columns
        with ThreadPoolExecutor(workers) as pool:
            pending: deque[tuple[RawChunk, Future[GradedChunk]]] = deque()
            for chunk in it:
                pending.append((chunk, pool.submit(self.grade_chunk, chunk, source)))
                if len(pending) > workers:
                    done, future = pending.popleft()
                    yield self._count(done, future.result(), counts, source)
            while pending:
                done, future = pending.popleft()
                yield self._count(done, future.result(), counts, source)

    def _count(self, chunk: RawChunk, result: GradedChunk, counts: Counts, source: str | None) -> GradedChunk:
        result = self._drop_repeated_ids(result, source)
        counts.rows_in += chunk.table.num_rows
        counts.graded += result.wide.num_rows
        counts.rejected += chunk.table.num_rows - result.wide.num_rows
        return result


def _undecided_reason(grades: PackGrades, i: int) -> tuple[str, Any, str, str]:
    program = grades.program
    missing = [name for name, gap in zip(program.gap_names, grades.gaps[i]) if gap]
    return (missing[0] if missing else "applies_when", None,
            f"cannot tell whether pack {program.pack_id} applies: {', '.join(missing) or 'data'} missing "
            "(strict grading)", "RG406")


def _text_column(table: pa.Table, name: str, keep: np.ndarray) -> pa.Array:
    if name not in table.column_names:
        return pa.nulls(int(keep.sum()), pa.string())
    col = table.column(name).filter(pa.array(keep))
    if col.type == pa.string():
        return col
    try:
        return col.cast(pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):  # nested values: carried as JSON text
        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                         for v in col.to_pylist()], type=pa.string())


def _insert_after_id(table: pa.Table, columns: dict[str, Any]) -> pa.Table:
    for i, (name, col) in enumerate(columns.items(), 1):
        if name not in table.column_names:
            table = table.add_column(i, name, col)
    return table


def _with_as_of(table: pa.Table, as_of: dt.date) -> pa.Table:
    return table.add_column(4, "as_of", pa.array([as_of] * table.num_rows, type=pa.date32()))


def _entity_ids(chunk: RawChunk, source: str | None = None) -> pa.Array:
    """Entity ids as text (the column resolved as ``entity_id``, ``table.ids.normalise_ids``); a row
    without one is called ``row-<source row number>`` (``<source>:row-<n>`` when a run grades
    several files)."""
    if ENTITY_ID in chunk.table.column_names:
        text = normalise_ids(_id_text(chunk.table.column(ENTITY_ID).combine_chunks()))
        empty = pc.fill_null(pc.equal(text, ""), True)
        return pc.if_else(empty, _row_labels(chunk, source), text) if pc.any(empty).as_py() else text
    return _row_labels(chunk, source)


def _id_text(col: pa.Array) -> pa.Array:
    """An id column as text: whole floats from a spreadsheet as integers (1.0 is id "1"), nested
    values as JSON."""
    if pa.types.is_floating(col.type):
        x = col.to_numpy(zero_copy_only=False)
        known = x[~np.isnan(x)]
        if np.all(np.isfinite(known) & (np.floor(known) == known) & (np.abs(known) <= 2.0 ** 53)):
            col = col.cast(pa.int64())
    try:
        return col.cast(pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                         for v in col.to_pylist()], type=pa.string())


def _row_labels(chunk: RawChunk, source: str | None = None) -> pa.Array:
    prefix = f"{source}:" if source else ""
    return pa.array([f"{prefix}row-{r}" for r in chunk.row_numbers.tolist()], type=pa.string())


def _check_kept(options: GradeOptions, derived: dict[str, dict[str, str]]) -> None:
    """A kept column named like a derived value would be written twice (an unreadable Parquet file)."""
    names = {column for per_pack in derived.values() for column in per_pack.values()}
    clash = [k for k in options.keep or () if k in names]
    if clash:
        raise OptionError(f"--keep {', '.join(clash)}: a derived value of the packs has that name, so the column "
                          "would be written twice; rename the input column (or map it to another name in a "
                          "mapping file) and keep it under that name")


def _derived_column_names(programs: Sequence[Program]) -> dict[str, dict[str, str]]:
    """Per pack, the column of each derived value: its own name, or ``pack.name`` when packs share it."""
    seen: dict[str, int] = {}
    for p in programs:
        for name, _ in p.derive:
            seen[name] = seen.get(name, 0) + 1
    return {p.pack_id: {name: name if seen[name] == 1 else f"{p.pack_id}.{name}" for name, _ in p.derive}
            for p in programs}


def _long_schema(programs: Sequence[Program], names: dict[str, dict[str, str]]) -> pa.Schema:
    fields = list(LONG_SCHEMA)
    fields.insert(4, pa.field("as_of", pa.date32()))
    seen = {f.name for f in fields}
    for p in programs:
        for name, cexpr in p.derive:
            column = names[p.pack_id][name]
            if column not in seen:
                seen.add(column)
                fields.append(pa.field(column, derived_type(cexpr.node)))
    return pa.schema(fields)
