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

from ..backends import compiled
from ..compiler.program import Program
from ..errors import ColumnsError, InputError
from ..explain.batch import ExplainingSource, with_column
from ..io.read import EntitySource, open_entities
from ..io.outputs import check_outputs
from ..io.write import ResultWriter, rejects_for_file, write_rejects
from ..resolve import ColumnReport, Resolver
from ..results.records import EntityResult, PackResult, trusted
from ..results.localize import SHEETS_ZH, ChineseTables
from ..results.reject_text import ChineseRejects
from ..results.rejects import RowReject
from ..table.ids import normalise_id
from .grader import Counts, GradedChunk, Grader
from .options import GradeOptions

OnReport = Callable[[ColumnReport], None]
# Rejected rows a file grading hands back (all of them are in the rejects file): enough to show.
KEEP_REJECTS = 1000


@dataclass
class GradeResult:
    """Grades of a table: the long form, the wide form, the rejected rows and the counts."""

    long: pa.Table
    wide: pa.Table
    rejects: list[RowReject] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    report: ColumnReport | None = None  # what each input column was read as; what the input lacks
    options: GradeOptions | None = field(default=None, repr=False)
    programs: Sequence[Program] = field(default=(), repr=False)

    def to_arrow(self, wide: bool = False) -> pa.Table:
        return self.wide if wide else self.long

    def to_records(self, wide: bool = False) -> list[dict[str, Any]]:
        return self.to_arrow(wide).to_pylist()

    def to_pandas(self, wide: bool = False) -> Any:
        return self.to_arrow(wide).to_pandas()

    def write(self, path: str | PathLike[str], *, lang: str | None = None, encoding: str | None = None) -> None:
        """Write the long form (xlsx: plus the wide form) to a file; the format follows the extension.
        ``lang`` and ``encoding`` (CSV) default to the run's options (``lang="zh"``: Chinese csv and xlsx)."""
        options = self.options
        lang = lang or (options.lang if options else "en")
        encoding = encoding or (options.output_encoding if options else None)
        escape = options.escape_formulas if options else True
        with result_writer(path, lang, encoding, escape) as writer:
            long, wide = for_people(writer, lang, self.programs, self.long, self.wide)
            writer.write(long, wide)

    def write_rejects(self, path: str | PathLike[str], *, lang: str | None = None,
                      encoding: str | None = None) -> None:
        """The rejected rows, one line per row (``lang="zh"``: reasons and csv/xlsx headers in Chinese)."""
        options = self.options
        lang = lang or (options.lang if options else "en")
        write_rejects(self.rejects, path, wording=rejects_wording(lang, self.programs),
                      encoding=encoding or (options.output_encoding if options else None),
                      escape_formulas=options.escape_formulas if options else True)


def grade_source(source: Any, programs: Sequence[Program], options: GradeOptions,
                 on_report: OnReport | None = None) -> GradeResult:
    """Grade a file, DataFrame, Arrow table or list of dicts into one ``GradeResult``; ``on_report``
    sees the column report before the first row is graded (``strict``: ColumnsError instead)."""
    grader = Grader(programs, options)
    src = open_source(source, grader)
    counts = Counts()
    longs, wides, rejects = [], [], []
    reports: list[ColumnReport] = []
    for chunk in graded_chunks(grader, src, counts, _collect(reports, on_report)):
        longs.append(chunk.long)
        wides.append(chunk.wide)
        rejects += chunk.rejects
    rejects = source_rejects(src, counts) + rejects
    long = pa.concat_tables(longs) if longs else _empty(grader)
    wide = pa.concat_tables(wides) if wides else pa.table({"entity_id": pa.array([], pa.string())})
    return GradeResult(long, wide, sorted(rejects, key=lambda r: r.row), counts, reports[0] if reports else None,
                       options, list(programs))


def column_report(source: Any, programs: Sequence[Program], options: GradeOptions) -> ColumnReport:
    """The column report of a source, from its header and its first chunk (graded to learn which packs
    apply to its rows); nothing is written."""
    grader = Grader(programs, options)
    src = open_source(source, grader)
    first = next(iter(src), None)
    if first is None:
        return grader.report(src.name, tuple(getattr(src, "columns", None) or ()))
    chunk = grader.grade_chunk(first)
    return grader.report(src.name, chunk.headers, chunk.applies)


def grade_into(sources: Sequence[Any], programs: Sequence[Program], output: str | PathLike[str],
               options: GradeOptions, *, rejects_path: str | PathLike[str] | None = None,
               on_chunk: Callable[[Counts], None] | None = None,
               names: Sequence[str | None] | None = None,
               on_report: OnReport | None = None,
               keep_rejects: int = KEEP_REJECTS) -> tuple[Counts, list[RowReject]]:
    """Grade the sources one after another into ``output``, written atomically; memory stays flat,
    however many rows are graded or rejected.

    Every output path is checked before anything is read or written: it is none of the sources, the
    two outputs are two files, and their folders exist (``io.outputs.check_outputs``). The rejected
    rows stream into ``rejects_path`` (in the order of the sources, then of their rows); the first
    ``keep_rejects`` of them are returned too, with the counts. ``names`` label each source's
    rejected rows (``RowReject.source``) and its rows without an id; ``on_chunk`` sees the counts
    after each chunk, ``on_report`` each source's column report before its first row is written
    (``strict``: ColumnsError instead, and nothing is written).
    """
    grader = Grader(programs, options)
    check_outputs({"the output": output, "the rejects file": rejects_path}, sources)
    counts = Counts()
    with ExitStack() as stack:
        writer = stack.enter_context(result_writer(output, options.lang, options.output_encoding,
                                                   options.escape_formulas))
        log = _RejectLog(stack.enter_context(ResultWriter(rejects_path, encoding=options.output_encoding,
                                                          escape_formulas=options.escape_formulas))
                         if rejects_path is not None else None, rejects_wording(options.lang, programs), keep_rejects)
        wrote = False
        for one, name in zip(sources, names or [None] * len(sources)):
            src = open_source(one, grader)
            held = _HeldRejects(src, name, counts)
            for chunk in graded_chunks(grader, src, counts, on_report, name):
                writer.write(*for_people(writer, options.lang, programs, chunk.long, chunk.wide))
                wrote = True
                log.add(held.merged(_labelled(chunk.rejects, name), _last_row(chunk)))
                if on_chunk:
                    on_chunk(counts)
            log.add(held.merged([], None))
        if not wrote:
            writer.write(*for_people(writer, options.lang, programs, _empty(grader), None))
        log.finish()
    return counts, log.kept


def rejects_wording(lang: str, programs: Sequence[Program]) -> ChineseRejects | None:
    """How rejects are worded for people in ``lang`` (None: English, as they are made)."""
    return ChineseRejects(programs) if lang == "zh" else None


def result_writer(path: str | PathLike[str], lang: str, encoding: str | None,
                  escape_formulas: bool = True) -> ResultWriter:
    """The writer of a run's results: sheet names in ``lang``, CSV in ``encoding``, formula-like text
    written as text unless ``escape_formulas`` is off."""
    return ResultWriter(path, sheet_names=SHEETS_ZH if lang == "zh" else ("grades", "overview"), encoding=encoding,
                        escape_formulas=escape_formulas)


def for_people(writer: ResultWriter, lang: str, programs: Sequence[Program], long: pa.Table,
                wide: pa.Table | None) -> tuple[pa.Table, pa.Table | None]:
    """The tables in ``lang`` for the formats people open (csv, xlsx); machine formats keep the ids."""
    if lang != "zh" or writer.format not in ("csv", "xlsx"):
        return long, wide
    zh = ChineseTables(programs)
    return zh.long(long), None if wide is None else zh.wide(wide)


def grade_entity(entity: Mapping[str, Any], programs: Sequence[Program], options: GradeOptions) -> EntityResult:
    """Grade one entity (a dict of field values, keyed and spelled as a registry writes them) with the
    compiled engine (each pack as straight-line Python, held to the reference engine); raises
    InputError naming the field when a value cannot be used."""
    params = _checked(options, programs)
    resolver = resolver_for(programs, options)
    results = []
    for program in programs:
        values = resolver.entity(entity, program)
        record = compiled.grade_one(program, values, options.as_of, params[program.pack_id])
        if "rejected" in record:
            field_, value, reason, _ = record["rejected"][0]
            raise InputError(f"{reason} (value {value!r})" if value is not None else reason,
                             column=field_, file=f"pack {program.pack_id}")
        results.append(PackResult.of_record(record))
    if options.strict:
        applies = {r.pack: (int(r.applies), 1) for r in results}
        _refuse(resolver.report("<entity>", [str(k) for k in entity], applies), options)
    top = None  # the most severe pack that applies
    for r in results:
        if r.applies and r.rank is not None and (top is None or r.rank < top.rank):
            top = r
    eid = resolver.entity_id(entity)
    return trusted(EntityResult, {"entity_id": None if eid is None else normalise_id(str(eid)),
                                  "as_of": options.as_of, "level": top.level if top else None,
                                  "rank": top.rank if top else None, "color": top.color if top else None,
                                  "packs": results})


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


def resolver_for(programs: Sequence[Program], options: GradeOptions) -> Resolver:
    """The resolver of these packs and options, kept on the first pack so that grading one entity
    after another prepares it once."""
    key = (tuple(id(p) for p in programs), options.carried, options.keep, options.id_column)
    cache = programs[0].cache.setdefault("resolvers", {}) if programs else {}
    hit = cache.get(key)
    if hit is not None and hit[0] is options.mapping and hit[1] == list(programs):
        return hit[2]
    resolver = Resolver(programs, options.mapping, carried=options.carried, keep=options.keep or (),
                        id_column=options.id_column)
    if len(cache) > 16:
        cache.clear()
    cache[key] = (options.mapping, list(programs), resolver)
    return resolver


def open_source(source: Any, grader: Grader) -> EntitySource | ExplainingSource:
    """The source opened as the grader's options say (encoding, chunk size, sheet; explanations)."""
    o = grader.options
    src = open_entities(source, encoding=o.encoding, chunk_rows=o.chunk_rows, sheet=o.sheet)
    return ExplainingSource(src, grader.programs, o.as_of, o.params, grader.resolver) if o.explain else src


def graded_chunks(grader: Grader, src: EntitySource | ExplainingSource, counts: Counts,
                  on_report: OnReport | None = None, source: str | None = None) -> Any:
    """The source's chunks graded, in order, with its column report before the first (``on_report``;
    with ``strict`` a ColumnsError instead) and the columns a later chunk brings reported too."""
    first = True
    seen: set[str] = set()
    for chunk in grader.grade_chunks(src, counts, source=source):
        if first:  # before anything of this source is written: report, and refuse when strict
            _reported(grader.report(src.name, chunk.headers, chunk.applies), grader.options, on_report)
            first = False
        elif set(chunk.headers) - seen:  # JSON Lines and dicts may bring new keys in a later chunk
            late = tuple(h for h in chunk.headers if h not in seen)
            where = f"{src.name}, from row {int(chunk.rows[0]) if len(chunk.rows) else '?'}"
            _reported(grader.resolver.report(where, late, packs=False), grader.options, on_report)
        seen.update(chunk.headers)
        if isinstance(src, ExplainingSource):
            chunk = replace(chunk, long=src.explained(chunk.long, chunk.rows))
        yield chunk
    if first:  # an empty source: its header alone
        _reported(grader.report(src.name, tuple(getattr(src, "columns", None) or ())), grader.options, on_report)


def _reported(report: ColumnReport, options: GradeOptions, on_report: OnReport | None) -> None:
    if on_report is not None:
        on_report(report)
    if options.strict:
        _refuse(report, options)


def _refuse(report: ColumnReport, options: GradeOptions) -> None:
    problems = report.problems(options.lang)
    if problems:
        head = f"{report.source}: 按 --strict 不予评级：" if options.lang == "zh" else \
            f"{report.source}: not graded (strict): "
        raise ColumnsError(head + "; ".join(problems), report)


def _collect(reports: list[ColumnReport], on_report: OnReport | None) -> OnReport:
    def collect(report: ColumnReport) -> None:
        reports.append(report)
        if on_report is not None:
            on_report(report)
    return collect


def source_rejects(src: Any, counts: Counts) -> list[RowReject]:
    """The rows a reader could not split into cells since the last call, counted in."""
    found = src.take_rejects()
    counts.rows_in += len(found)
    counts.rejected += len(found)
    return [RowReject.one(r.row, None, "row", None, r.reason, "RG404") for r in found]


def _empty(grader: Grader) -> pa.Table:
    table = grader.schema.empty_table()
    return with_column(table) if grader.options.explain else table


class _RejectLog:
    """Rejected rows as they come: appended to the rejects file (if any), the first ``keep`` kept."""

    def __init__(self, writer: ResultWriter | None, wording: Any, keep: int) -> None:
        self.writer, self.wording, self.keep = writer, wording, keep
        self.kept: list[RowReject] = []
        self.wrote = False

    def add(self, rejects: list[RowReject]) -> None:
        if not rejects:
            return
        if len(self.kept) < self.keep:
            self.kept += rejects[: self.keep - len(self.kept)]
        if self.writer is not None:
            self.writer.write(rejects_for_file(rejects, self.writer.format, self.wording))
            self.wrote = True

    def finish(self) -> None:
        if self.writer is not None and not self.wrote:  # a file with its header, saying "none"
            self.writer.write(rejects_for_file([], self.writer.format, self.wording))


class _HeldRejects:
    """The rows a reader could not split into cells, merged into the graded chunks' rejects in row
    order. A reader reports such a row as it reads it, which may be ahead of the chunk being
    written; it is held until a chunk reaches its row (or the source ends)."""

    def __init__(self, src: Any, name: str | None, counts: Counts) -> None:
        self.src, self.name, self.counts = src, name, counts
        self.held: list[RowReject] = []

    def merged(self, rejects: list[RowReject], upto: int | None) -> list[RowReject]:
        """``rejects`` with the reader's rejects up to row ``upto`` (None: all) merged in."""
        fresh = _labelled(source_rejects(self.src, self.counts), self.name)
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


__all__ = ["GradeResult", "GradedChunk", "column_report", "for_people", "grade_entity", "grade_into", "grade_source",
           "graded_chunks", "open_source", "rejects_wording", "result_writer", "resolver_for", "source_rejects"]
