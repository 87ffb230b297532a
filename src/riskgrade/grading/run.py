"""A grading run: open the entities, grade them chunk by chunk, and gather the results in memory
(``grade_source`` -> ``GradeResult``) or stream them into a file (``grade_into``); or grade one entity
(``grade_entity`` -> ``EntityResult``). Every row read is graded or rejected, and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from os import PathLike
from typing import Any, Callable, Mapping, Sequence

import pyarrow as pa

from ..backends import compiled
from ..compiler.program import Program
from ..errors import InputError
from ..explain.batch import ExplainingSource, with_column
from ..io.read import EntitySource, open_entities
from ..io.write import ResultWriter, write_rejects
from ..results.records import EntityResult, PackResult, trusted
from ..results.rejects import RowReject
from .grader import Counts, GradedChunk, Grader
from .options import GradeOptions


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
               names: Sequence[str | None] | None = None) -> tuple[Counts, list[RowReject]]:
    """Grade the sources one after another into ``output``, written atomically; memory stays flat.

    ``names`` label each source's rejected rows (``RowReject.source``); ``on_chunk`` sees the counts
    after each chunk. Returns the counts and the rejected rows (also written to ``rejects_path``).
    """
    grader = Grader(programs, options)
    counts = Counts()
    rejects: list[RowReject] = []
    with ResultWriter(output) as writer:
        wrote = False
        for one, name in zip(sources, names or [None] * len(sources)):
            src = _open(one, grader)
            for chunk in _graded(grader, src, counts):
                writer.write(chunk.long, chunk.wide)
                wrote = True
                rejects += [replace(r, source=name) for r in chunk.rejects] if name else chunk.rejects
                if on_chunk:
                    on_chunk(counts)
            rejects += [replace(r, source=name) for r in _source_rejects(src, counts)]
        if not wrote:
            writer.write(_empty(grader), None)
    rejects.sort(key=lambda r: (r.source or "", r.row))
    if rejects_path is not None:
        write_rejects(rejects, rejects_path)
    return counts, rejects


def grade_entity(entity: Mapping[str, Any], programs: Sequence[Program], options: GradeOptions) -> EntityResult:
    """Grade one entity (a dict of field values) with the compiled engine (each pack as straight-line
    Python, held to the reference engine); raises InputError naming the field when a value cannot be
    used."""
    params = _checked(options, programs)
    results = []
    for program in programs:
        record = compiled.grade_one(program, entity, options.as_of, params[program.pack_id])
        if "rejected" in record:
            field_, value, reason, _ = record["rejected"][0]
            raise InputError(f"{reason} (value {value!r})" if value is not None else reason,
                             column=field_, file=f"pack {program.pack_id}")
        results.append(PackResult.of_record(record))
    top = None  # the most severe pack that applies
    for r in results:
        if r.applies and r.rank is not None and (top is None or r.rank < top.rank):
            top = r
    eid = entity.get("entity_id", entity.get("id"))
    return trusted(EntityResult, {"entity_id": None if eid is None else str(eid), "as_of": options.as_of,
                                  "level": top.level if top else None, "rank": top.rank if top else None,
                                  "color": top.color if top else None, "packs": results})


_CHECKED: dict[tuple[int, ...], tuple[Any, ...]] = {}


def _checked(options: GradeOptions, programs: Sequence[Program]) -> dict[str, dict[str, Any]]:
    """``options.check(programs)``, remembered for the same options and packs (immutable, and kept
    alive by the entry, so their ids cannot be reused while it stands): an entity graded after
    another costs no set-up."""
    key = (id(options), *map(id, programs))
    found = _CHECKED.get(key)
    if found is None or found[0] is not options:
        if len(_CHECKED) >= 256:
            _CHECKED.clear()
        found = _CHECKED[key] = (options, tuple(programs), options.check(programs))
    return found[2]


def _open(source: Any, grader: Grader) -> EntitySource | ExplainingSource:
    o = grader.options
    src = open_entities(source, encoding=o.encoding, chunk_rows=o.chunk_rows, sheet=o.sheet)
    return ExplainingSource(src, grader.programs, o.as_of, o.params) if o.explain else src


def _graded(grader: Grader, src: EntitySource | ExplainingSource, counts: Counts) -> Any:
    for chunk in grader.grade_chunks(src, counts):
        if isinstance(src, ExplainingSource):
            chunk = replace(chunk, long=src.explained(chunk.long, chunk.rows))
        yield chunk


def _source_rejects(src: Any, counts: Counts) -> list[RowReject]:
    """The rows a reader could not split into cells, counted in."""
    counts.rows_in += len(src.rejects)
    counts.rejected += len(src.rejects)
    return [RowReject(r.row, None, "row", None, r.reason, "RG404") for r in src.rejects]


def _empty(grader: Grader) -> pa.Table:
    table = grader.schema.empty_table()
    return with_column(table) if grader.options.explain else table


__all__ = ["GradeResult", "GradedChunk", "grade_entity", "grade_into", "grade_source"]
