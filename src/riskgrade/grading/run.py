"""A grading run: open the entities, grade them chunk by chunk, and gather the results in memory
(``grade_source`` -> ``GradeResult``) or stream them into a file (``grade_into``); or grade one entity
(``grade_entity`` -> ``EntityResult``). Every row read is graded or rejected, and counted.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from os import PathLike
from typing import Any, Callable, Mapping, Sequence

import pyarrow as pa

from ..backends import reference
from ..compiler.program import Program
from ..errors import InputError
from ..explain.batch import ExplainingSource, with_column
from ..io.read import EntitySource, open_entities
from ..io.outputs import check_outputs
from ..io.write import ResultWriter
from ..results.records import EntityResult, PackResult
from ..results.rejects import RowReject, rejects_table
from ..table.ids import normalise_id
from .grader import Counts, GradedChunk, Grader
from .options import GradeOptions

# Rejected rows a file grading hands back (all of them are in the rejects file): enough to show.
KEEP_REJECTS = 1000


@dataclass
class GradeResult:
    """Grades of a table: the long form, the wide form, the rejected rows and the counts."""

    long: pa.Table
    wide: pa.Table
    rejects: list[RowReject] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)

    def to_arrow(self, wide: bool = False) -> pa.Table:
        return self.wide if wide else self.long

    def to_records(self, wide: bool = False) -> list[dict[str, Any]]:
        return self.to_arrow(wide).to_pylist()

    def to_pandas(self, wide: bool = False) -> Any:
        return self.to_arrow(wide).to_pandas()

    def write(self, path: str | PathLike[str]) -> None:
        """Write the long form (xlsx: plus the wide form) to a file; the format follows the extension."""
        with ResultWriter(path) as writer:
            writer.write(self.long, self.wide)


def grade_source(source: Any, programs: Sequence[Program], options: GradeOptions) -> GradeResult:
    """Grade a file, DataFrame, Arrow table or list of dicts into one ``GradeResult``."""
    grader = Grader(programs, options)
    src = _open(source, grader)
    counts = Counts()
    longs, wides, rejects = [], [], []
    for chunk in _graded(grader, src, counts):
        longs.append(chunk.long)
        wides.append(chunk.wide)
        rejects += chunk.rejects
    rejects = _source_rejects(src, counts) + rejects
    long = pa.concat_tables(longs) if longs else _empty(grader)
    wide = pa.concat_tables(wides) if wides else pa.table({"entity_id": pa.array([], pa.string())})
    return GradeResult(long, wide, sorted(rejects, key=lambda r: r.row), counts)


def grade_into(sources: Sequence[Any], programs: Sequence[Program], output: str | PathLike[str],
               options: GradeOptions, *, rejects_path: str | PathLike[str] | None = None,
               on_chunk: Callable[[Counts], None] | None = None,
               names: Sequence[str | None] | None = None,
               keep_rejects: int = KEEP_REJECTS) -> tuple[Counts, list[RowReject]]:
    """Grade the sources one after another into ``output``, written atomically; memory stays flat,
    however many rows are graded or rejected.

    Every output path is checked before anything is read or written: it is none of the sources, the
    two outputs are two files, and their folders exist (``io.outputs.check_outputs``). The rejected
    rows stream into ``rejects_path`` (in the order of the sources, then of their rows); the first
    ``keep_rejects`` of them are returned too, with the counts. ``names`` label each source's
    rejected rows (``RowReject.source``); ``on_chunk`` sees the counts after each chunk.
    """
    grader = Grader(programs, options)
    check_outputs({"the output": output, "the rejects file": rejects_path}, sources)
    counts = Counts()
    with ExitStack() as stack:
        escape = options.escape_formulas
        writer = stack.enter_context(ResultWriter(output, escape_formulas=escape))
        log = _RejectLog(stack.enter_context(ResultWriter(rejects_path, escape_formulas=escape))
                         if rejects_path is not None else None, keep_rejects)
        wrote = False
        for one, name in zip(sources, names or [None] * len(sources)):
            src = _open(one, grader)
            held = _HeldRejects(src, name, counts)
            for chunk in _graded(grader, src, counts, name):
                writer.write(chunk.long, chunk.wide)
                wrote = True
                log.add(held.merged(_labelled(chunk.rejects, name), _last_row(chunk)))
                if on_chunk:
                    on_chunk(counts)
            log.add(held.merged([], None))
        if not wrote:
            writer.write(_empty(grader), None)
        log.finish()
    return counts, log.kept


def grade_entity(entity: Mapping[str, Any], programs: Sequence[Program], options: GradeOptions) -> EntityResult:
    """Grade one entity (a dict of field values) with the reference engine; raises InputError naming
    the field when a value cannot be used."""
    params = options.check(programs)
    results = []
    for program in programs:
        (record,) = reference.grade_records(program, [entity], options.as_of, params[program.pack_id])
        if "rejected" in record:
            field_, value, reason, _ = record["rejected"][0]
            raise InputError(f"{reason} (value {value!r})" if value is not None else reason,
                             column=field_, file=f"pack {program.pack_id}")
        derived = {name: record.get(name) for name, _ in program.derive}
        core = {k: v for k, v in record.items() if k not in derived}
        results.append(PackResult(**core, derived=derived))
    ranked = [r for r in results if r.applies and r.rank is not None]
    top = min(ranked, key=lambda r: r.rank or 0) if ranked else None
    eid = entity.get("entity_id", entity.get("id"))
    return EntityResult(entity_id=None if eid is None else normalise_id(str(eid)), as_of=options.as_of,
                        level=top.level if top else None, rank=top.rank if top else None,
                        color=top.color if top else None, packs=results)


def _open(source: Any, grader: Grader) -> EntitySource | ExplainingSource:
    o = grader.options
    src = open_entities(source, encoding=o.encoding, chunk_rows=o.chunk_rows, sheet=o.sheet)
    return ExplainingSource(src, grader.programs, o.as_of, o.params) if o.explain else src


def _graded(grader: Grader, src: EntitySource | ExplainingSource, counts: Counts, source: str | None = None) -> Any:
    for chunk in grader.grade_chunks(src, counts, source=source):
        if isinstance(src, ExplainingSource):
            chunk = replace(chunk, long=src.explained(chunk.long, chunk.rows))
        yield chunk


def _source_rejects(src: Any, counts: Counts) -> list[RowReject]:
    """The rows a reader could not split into cells since the last call, counted in."""
    found = src.take_rejects()
    counts.rows_in += len(found)
    counts.rejected += len(found)
    return [RowReject(r.row, None, "row", None, r.reason, "RG404") for r in found]


def _empty(grader: Grader) -> pa.Table:
    table = grader.schema.empty_table()
    return with_column(table) if grader.options.explain else table


class _RejectLog:
    """Rejected rows as they come: appended to the rejects file (if any), the first ``keep`` kept."""

    def __init__(self, writer: ResultWriter | None, keep: int) -> None:
        self.writer = writer
        self.keep = keep
        self.kept: list[RowReject] = []
        self.wrote = False

    def add(self, rejects: list[RowReject]) -> None:
        if not rejects:
            return
        if len(self.kept) < self.keep:
            self.kept += rejects[: self.keep - len(self.kept)]
        if self.writer is not None:
            self.writer.write(rejects_table(rejects))
            self.wrote = True

    def finish(self) -> None:
        if self.writer is not None and not self.wrote:
            self.writer.write(rejects_table([]))  # a file with its header, saying "none"


class _HeldRejects:
    """The rows a reader could not split into cells, merged into the graded chunks' rejects in row
    order. A reader reports such a row as it reads it, which may be ahead of the chunk being
    written; it is held until a chunk reaches its row (or the source ends)."""

    def __init__(self, src: Any, name: str | None, counts: Counts) -> None:
        self.src, self.name, self.counts = src, name, counts
        self.held: list[RowReject] = []

    def merged(self, rejects: list[RowReject], upto: int | None) -> list[RowReject]:
        """``rejects`` with the reader's rejects up to row ``upto`` (None: all) merged in."""
        fresh = _labelled(_source_rejects(self.src, self.counts), self.name)
        if fresh:
            self.held = sorted(self.held + fresh, key=lambda r: r.row)
        if not self.held:
            return rejects
        cut = len(self.held) if upto is None else next(
            (i for i, r in enumerate(self.held) if r.row > upto), len(self.held))
        now, self.held = self.held[:cut], self.held[cut:]
        return sorted(rejects + now, key=lambda r: r.row) if now else rejects


def _labelled(rejects: list[RowReject], name: str | None) -> list[RowReject]:
    return [replace(r, source=name) for r in rejects] if name else rejects


def _last_row(chunk: GradedChunk) -> int:
    """The last source row a graded chunk covers (graded or rejected)."""
    last = int(chunk.rows[-1]) if len(chunk.rows) else -1
    return max([last] + [r.row for r in chunk.rejects])


__all__ = ["GradeResult", "GradedChunk", "grade_entity", "grade_into", "grade_source"]
