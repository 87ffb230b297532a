"""Advice for a whole source: read it chunk by chunk, grade it (every row graded or reported, as
``riskgrade grade`` does), and search each chunk's entities together, pack by pack."""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, Callable, Iterator, Sequence

import numpy as np
import pyarrow as pa

from ..backends.batch import grade_columns
from ..compiler.program import Program
from ..errors import OptionError
from ..grading import Counts, GradedChunk, GradeOptions, Grader
from ..grading.run import graded_chunks, open_source, rejects_wording, source_rejects
from ..io.write import ResultWriter, write_rejects
from ..resolve import ColumnReport
from ..results.rejects import RowReject
from ..table import RawChunk, Table
from ..table.convert import convert_column
from .build import build_advice
from .people import chinese_table
from .prepare import prepared
from .results import Advice, advice_table
from .search import MAX_SETS, search

OnReport = Callable[[ColumnReport], None]


@dataclass
class AdviceResult:
    """Advice for a table: one ``Advice`` per entity and pack that applies, the rows that could not
    be graded, and the counts (rows in = graded + rejected)."""

    advice: list[Advice]
    rejects: list[RowReject] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    kept: tuple[str, ...] = ()  # input columns carried into every record
    programs: list[Program] = field(default_factory=list, repr=False)
    report: ColumnReport | None = None  # what each input column was read as

    def to_arrow(self, lang: str = "zh") -> pa.Table:
        """The records (``ADVICE_SCHEMA``, texts in ``lang``)."""
        return advice_table(self.advice, lang, self.kept)

    def to_records(self, lang: str = "zh") -> list[dict[str, Any]]:
        return self.to_arrow(lang).to_pylist()

    def write(self, path: str | PathLike[str], lang: str = "zh", encoding: str | None = None) -> None:
        """The records into a file (jsonl, csv, parquet, xlsx); csv and xlsx in Chinese with ``lang="zh"``."""
        with ResultWriter(path, sheet_names=_sheets(lang), encoding=encoding) as writer:
            writer.write(_for(writer, self.advice, lang, self.kept, self.programs))


def _sheets(lang: str) -> tuple[str, str]:
    return ("整改建议", "综合") if lang == "zh" else ("advice", "overview")


def _for(writer: ResultWriter, advice: list[Advice], lang: str, kept: tuple[str, ...],
         programs: Sequence[Program]) -> pa.Table:
    """The table for the writer's format: people's Chinese for csv and xlsx with ``lang="zh"``."""
    if lang == "zh" and writer.format in ("csv", "xlsx"):
        return chinese_table(advice, kept, programs)
    return advice_table(advice, lang, kept)


def check_target(programs: Sequence[Program], target: str | None) -> None:
    """Raise OptionError when ``target`` is not a level of every pack."""
    if target is None:
        return
    for p in programs:
        ids = [lv.id for lv in p.levels]
        if target not in ids:
            raise OptionError(f"--target {target!r} is not a level of pack '{p.pack_id}' (levels: {', '.join(ids)})")


class _Remembered:
    """A source whose chunks are kept, in order, as they are read (the grader reads ahead)."""

    def __init__(self, src: Any) -> None:
        self.src, self.pending = src, deque()
        self.name, self.columns = src.name, getattr(src, "columns", None)

    def take_rejects(self) -> Any:
        return self.src.take_rejects()

    def __iter__(self) -> Iterator[RawChunk]:
        for chunk in self.src:
            self.pending.append(chunk)
            yield chunk


class Advisor:
    """Prepared once for the packs and options of a run; advises chunk after chunk."""

    def __init__(self, programs: Sequence[Program], options: GradeOptions, target: str | None = None,
                 max_sets: int = MAX_SETS) -> None:
        check_target(programs, target)
        self.grader = Grader(programs, options)
        self.programs = list(programs)
        self.target = target
        self.max_sets = max_sets

    def chunks(self, source: Any, counts: Counts,
               on_report: OnReport | None = None) -> Iterator[tuple[list[Advice], list[RowReject]]]:
        """Per chunk of the source: its advice (entity by entity, packs in order) and its rejected rows;
        the column report goes to ``on_report`` first, as a grading run's does."""
        src = _Remembered(open_source(source, self.grader))
        for graded in graded_chunks(self.grader, src, counts, on_report):
            yield self.advise_chunk(src.pending.popleft(), graded), graded.rejects + source_rejects(src, counts)
        yield [], source_rejects(src, counts)

    def advise_chunk(self, chunk: RawChunk, graded: GradedChunk) -> list[Advice]:
        where = {int(r): i for i, r in enumerate(chunk.row_numbers.tolist())}
        pos = np.array([where[int(r)] for r in graded.rows.tolist()], dtype=np.int64)
        resolved = self.grader.resolver.chunk(RawChunk(chunk.table.take(pos), chunk.row_numbers[pos]))
        ids = graded.wide.column("entity_id").to_pylist()
        names = [c for c in self.grader.kept or () if c in graded.wide.column_names]
        kept = graded.wide.select(names).to_pylist() if names else [{} for _ in range(graded.wide.num_rows)]
        found: list[tuple[int, int, Advice]] = []
        for p, program in enumerate(self.programs):
            found += [(i, p, advice) for i, advice in self._advise_pack(program, resolved.table, ids, kept)]
        found.sort(key=lambda x: (x[0], x[1]))
        return [a for _, _, a in found]

    def _advise_pack(self, program: Program, raw: pa.Table, ids: list[Any],
                     kept: list[dict[str, Any]]) -> Iterator[tuple[int, Advice]]:
        as_of: dt.date = self.grader.as_of
        params = self.grader.params_by_pack[program.pack_id]
        resolver, n = self.grader.resolver, raw.num_rows
        # converted as the grader converts them: the rows were graded, so every cell converts
        table = Table(n, {f.name: convert_column(f, resolver.values(f, raw.column(f.name) if f.name in raw.column_names
                                                                      else None), n, {}) for f in program.fields})
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
                  max_sets: int = MAX_SETS, on_report: OnReport | None = None) -> AdviceResult:
    """Advice for every entity of a file, DataFrame, Arrow table or list of dicts, in memory."""
    advisor = Advisor(programs, options, target, max_sets)
    counts = Counts()
    advice: list[Advice] = []
    rejects: list[RowReject] = []
    reports: list[ColumnReport] = []

    def report(r: ColumnReport) -> None:
        reports.append(r)
        if on_report is not None:
            on_report(r)

    for found, rejected in advisor.chunks(source, counts, report):
        advice += found
        rejects += rejected
    return AdviceResult(advice, sorted(rejects, key=lambda r: r.row), counts, tuple(advisor.grader.kept or ()),
                        list(programs), reports[0] if reports else None)


def advise_into(source: Any, programs: Sequence[Program], output: str | PathLike[str], options: GradeOptions,
                target: str | None = None, *, rejects_path: str | PathLike[str] | None = None,
                max_sets: int = MAX_SETS, on_report: OnReport | None = None) -> tuple[Counts, list[RowReject]]:
    """Advice for every entity of ``source`` streamed into ``output`` (jsonl, csv, parquet, xlsx),
    written atomically; memory stays flat. Texts, and csv and xlsx headers and levels, in the options'
    ``lang``. Returns the counts and the rejected rows (also written to ``rejects_path``)."""
    advisor = Advisor(programs, options, target, max_sets)
    counts = Counts()
    rejects: list[RowReject] = []
    with ResultWriter(output, sheet_names=_sheets(options.lang), encoding=options.output_encoding) as writer:
        wrote = False
        for found, rejected in advisor.chunks(source, counts, on_report):
            rejects += rejected
            if found or not wrote:
                writer.write(_for(writer, found, options.lang, tuple(advisor.grader.kept or ()), programs))
                wrote = True
    rejects.sort(key=lambda r: r.row)
    if rejects_path is not None:
        write_rejects(rejects, rejects_path, wording=rejects_wording(options.lang, programs),
                      encoding=options.output_encoding)
    return counts, rejects
