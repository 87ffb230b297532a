"""Advice for a whole source: read it chunk by chunk, grade it (every row graded or reported, as
``riskgrade grade`` does), and search each chunk's entities together, pack by pack."""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, Iterator, Sequence

import numpy as np
import pyarrow as pa

from ..backends.batch import grade_columns
from ..compiler.program import Program
from ..errors import OptionError
from ..grading import Counts, GradedChunk, GradeOptions, Grader
from ..io.read import open_entities
from ..io.write import ResultWriter, write_rejects
from ..results.rejects import RowReject
from ..table import RawChunk
from ..table.convert import convert_columns
from .build import build_advice
from .prepare import prepared
from .results import Advice, advice_table
from .search import MAX_SETS, search


@dataclass
class AdviceResult:
    """Advice for a table: one ``Advice`` per entity and pack that applies, the rows that could not
    be graded, and the counts (rows in = graded + rejected)."""

    advice: list[Advice]
    rejects: list[RowReject] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    kept: tuple[str, ...] = ()  # input columns carried into every record

    def to_arrow(self, lang: str = "zh") -> pa.Table:
        return advice_table(self.advice, lang, self.kept)

    def to_records(self, lang: str = "zh") -> list[dict[str, Any]]:
        return self.to_arrow(lang).to_pylist()

    def write(self, path: str | PathLike[str], lang: str = "zh") -> None:
        with ResultWriter(path, sheet_names=("advice", "overview")) as writer:
            writer.write(self.to_arrow(lang))


def check_target(programs: Sequence[Program], target: str | None) -> None:
    """Raise OptionError when ``target`` is not a level of every pack."""
    if target is None:
        return
    for p in programs:
        ids = [lv.id for lv in p.levels]
        if target not in ids:
            raise OptionError(f"--target {target!r} is not a level of pack '{p.pack_id}' (levels: {', '.join(ids)})")


class Advisor:
    """Prepared once for the packs and options of a run; advises chunk after chunk."""

    def __init__(self, programs: Sequence[Program], options: GradeOptions, target: str | None = None,
                 max_sets: int = MAX_SETS) -> None:
        check_target(programs, target)
        self.grader = Grader(programs, options)
        self.programs = list(programs)
        self.target = target
        self.max_sets = max_sets

    def chunks(self, source: Any, counts: Counts) -> Iterator[tuple[list[Advice], list[RowReject]]]:
        """Per chunk of the source: its advice (entity by entity, packs in order) and its rejected rows."""
        o = self.grader.options
        src = open_entities(source, encoding=o.encoding, chunk_rows=o.chunk_rows, sheet=o.sheet)
        pending: deque[RawChunk] = deque()

        def remembered() -> Iterator[RawChunk]:
            for chunk in src:
                pending.append(chunk)
                yield chunk

        for graded in self.grader.grade_chunks(remembered(), counts):
            yield self.advise_chunk(pending.popleft(), graded), graded.rejects
        counts.rows_in += len(src.rejects)
        counts.rejected += len(src.rejects)
        yield [], [RowReject(r.row, None, "row", None, r.reason, "RG404") for r in src.rejects]

    def advise_chunk(self, chunk: RawChunk, graded: GradedChunk) -> list[Advice]:
        where = {int(r): i for i, r in enumerate(chunk.row_numbers.tolist())}
        pos = np.array([where[int(r)] for r in graded.rows.tolist()], dtype=np.int64)
        raw = chunk.table.take(pos)
        ids = graded.wide.column("entity_id").to_pylist()
        names = [c for c in self.grader.kept or () if c in graded.wide.column_names]
        kept = graded.wide.select(names).to_pylist() if names else [{} for _ in range(graded.wide.num_rows)]
        found: list[tuple[int, int, Advice]] = []
        for p, program in enumerate(self.programs):
            found += [(i, p, advice) for i, advice in self._advise_pack(program, raw, ids, kept)]
        found.sort(key=lambda x: (x[0], x[1]))
        return [a for _, _, a in found]

    def _advise_pack(self, program: Program, raw: pa.Table, ids: list[Any],
                     kept: list[dict[str, Any]]) -> Iterator[tuple[int, Advice]]:
        as_of: dt.date = self.grader.as_of
        params = self.grader.params_by_pack[program.pack_id]
        table, _ = convert_columns(program.fields, raw)  # rows graded already: every cell converts
        grades = grade_columns(program, table, as_of, params)
        level = grades.level
        last = len(program.levels) - 1
        target = (np.full(table.n, program.level_index(self.target)) if self.target is not None
                  else np.minimum(level + 1, last))
        prep = prepared(program)
        outcome = search(prep, table, grades, target, as_of, params, self.max_sets)
        rows = np.flatnonzero(grades.applies & (level >= 0))
        yield from build_advice(prep, outcome, rows, ids, level, target, grades.hits, kept)


def advise_source(source: Any, programs: Sequence[Program], options: GradeOptions, target: str | None = None,
                  max_sets: int = MAX_SETS) -> AdviceResult:
    """Advice for every entity of a file, DataFrame, Arrow table or list of dicts, in memory."""
    advisor = Advisor(programs, options, target, max_sets)
    counts = Counts()
    advice: list[Advice] = []
    rejects: list[RowReject] = []
    for found, rejected in advisor.chunks(source, counts):
        advice += found
        rejects += rejected
    return AdviceResult(advice, sorted(rejects, key=lambda r: r.row), counts, tuple(advisor.grader.kept or ()))


def advise_into(source: Any, programs: Sequence[Program], output: str | PathLike[str], options: GradeOptions,
                target: str | None = None, lang: str = "zh", *, rejects_path: str | PathLike[str] | None = None,
                max_sets: int = MAX_SETS) -> tuple[Counts, list[RowReject]]:
    """Advice for every entity of ``source`` streamed into ``output`` (jsonl, csv, parquet, xlsx),
    written atomically; memory stays flat. Returns the counts and the rejected rows (also written to
    ``rejects_path``)."""
    advisor = Advisor(programs, options, target, max_sets)
    counts = Counts()
    rejects: list[RowReject] = []
    with ResultWriter(output, sheet_names=("advice", "overview")) as writer:
        wrote = False
        for found, rejected in advisor.chunks(source, counts):
            rejects += rejected
            if found or not wrote:
                writer.write(advice_table(found, lang, tuple(advisor.grader.kept or ())))
                wrote = True
    rejects.sort(key=lambda r: r.row)
    if rejects_path is not None:
        write_rejects(rejects, rejects_path)
    return counts, rejects
