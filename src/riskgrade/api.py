"""The public API: load packs, grade one entity, grade a table, grade a file into a file.

Each grading function takes its options as a ``GradeOptions`` or as keywords (``as_of=…``,
``params=…``, any other field of ``GradeOptions``), or both (the keywords win); the options are
validated once, when they are built. The result types, in two sentences: ``grade`` returns an
``EntityResult`` (the entity's overall level and one ``PackResult`` per pack), ``grade_table`` a
``GradeResult`` (the long and wide Arrow tables of the output contract, the rejected rows and the
counts), and ``grade_file`` streams the same tables into a file. Inside, each engine grades a chunk
with one pack into ``PackGrades`` (numpy), which the ``Grader`` turns into a ``GradedChunk``.
"""

from __future__ import annotations

from os import PathLike
from typing import Any, Callable, Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from .advise import Advice, AdviceResult, advise_into, advise_source
from .compiler import Program
from .compiler.load import EXAMPLE_PACK, load_pack, load_packs, loads_pack, pack_files
from .errors import InputError
from .explain import explain
from .grading import (Counts, GradeOptions, GradeResult, column_report, grade_entity, grade_into, grade_source,
                      resolver_for)
from .grading.suggest import MappingSuggestion, suggest_mapping as _suggest
from .io.read import open_entities
from .io.write import write_rejects
from .model.mapping import RegistryMapping
from .resolve import ENTITY_ID, ColumnReport
from .results.records import EntityResult, PackResult
from .results.rejects import RowReject

Packs = Program | Sequence[Program]


def grade(entity: Mapping[str, Any], packs: Packs, options: GradeOptions | None = None,
          **settings: Any) -> EntityResult:
    """Grade one entity (a dict of field values) with one or more packs. Keys and values may be
    written as a registry writes them (``{"安全出口数量": 1, "场所类型": "宾馆"}``): they are resolved as
    a file's headers and cells are (``mapping=`` for the registry's own names).

    Raises InputError naming the field when a value cannot be used.

    >>> import datetime as dt
    >>> r = grade({"exits": 1}, loads_pack(EXAMPLE_PACK), as_of=dt.date(2026, 1, 1))
    >>> r.level, r.packs[0].fired
    ('red', ['few_exits'])
    """
    return grade_entity(entity, _as_list(packs), GradeOptions.of(options, **settings))


def grade_table(source: Any, packs: Packs, options: GradeOptions | None = None, **settings: Any) -> GradeResult:
    """Grade a table: a file path (csv, jsonl, parquet, xlsx), a pandas DataFrame, an Arrow table or a
    list of dicts. Rows that cannot be graded are in ``rejects``; ``counts`` adds up. ``keep`` names
    more input columns to carry into the results (besides name, address, city, county, station,
    grid when present). ``explain=True`` adds an ``explanation`` column (JSON text, see
    ``riskgrade.explain``) to every record. Headers and values are resolved to the packs' fields and
    codes (ids, labels, aliases, ``mapping=``); ``result.report`` says what each column was read as
    and which fields are absent (``strict=True``: ColumnsError instead of grading such an input).
    Other options: see ``GradeOptions``.

    >>> import datetime as dt
    >>> res = grade_table([{"entity_id": "A", "exits": 3}, {"entity_id": "B", "exits": "x"}],
    ...                   loads_pack(EXAMPLE_PACK), as_of=dt.date(2026, 1, 1))
    >>> res.to_records()[0]["level"], str(res.counts)
    ('blue', '2 rows in = 1 graded + 1 rejected')
    """
    return grade_source(source, _as_list(packs), GradeOptions.of(options, **settings))


def grade_file(source: Any, packs: Packs, output: str | PathLike[str], options: GradeOptions | None = None, *,
               rejects_path: str | PathLike[str] | None = None, on_chunk: Callable[[Counts], None] | None = None,
               on_report: Callable[[ColumnReport], None] | None = None,
               **settings: Any) -> tuple[Counts, list[RowReject]]:
    """Grade one source (or a list of files) chunk by chunk into ``output``, written atomically;
    memory stays flat, however many rows are graded or rejected. Returns the counts and the first
    1,000 rejected rows (every one is written to ``rejects_path``, in the order of the rows);
    ``on_chunk`` is called with the counts after each chunk, ``on_report`` with each source's column
    report before its rows are written. Options: as in ``grade_table``.

    Raises OutputError, before anything is read or written, when ``output`` or ``rejects_path`` is
    one of the source files (a symbolic or hard link to it too), when both name one file, or when
    a folder is missing."""
    many = isinstance(source, (list, tuple)) and source and all(isinstance(s, (str, PathLike)) for s in source)
    sources = list(source) if many else [source]
    return grade_into(sources, _as_list(packs), output, GradeOptions.of(options, **settings),
                      rejects_path=rejects_path, on_chunk=on_chunk, names=[str(s) for s in sources] if many else None,
                      on_report=on_report)


def check_columns(source: Any, packs: Packs, options: GradeOptions | None = None, **settings: Any) -> ColumnReport:
    """What each column of ``source`` would be read as, what is not used, and which pack fields it
    lacks with the rules that therefore cannot decide; nothing is graded into a file.

    >>> import datetime as dt
    >>> report = check_columns([{"单位编号": "A", "exit_count": 1}], loads_pack(EXAMPLE_PACK),
    ...                        as_of=dt.date(2026, 1, 1))
    >>> report.problems()
    ['exit_count: not a field of any pack — did you mean exits?', 'demo: exits — rules that cannot decide: few_exits']
    """
    return column_report(source, _as_list(packs), GradeOptions.of(options, **settings))


def suggest_mapping(source: Any, packs: Packs, options: GradeOptions | None = None,
                    **settings: Any) -> MappingSuggestion:
    """A registry mapping for ``source`` (YAML text, ``.text``) for a person to confirm: what each column
    was matched to and how; near misses, unknown columns and unknown values commented out."""
    return _suggest(source, _as_list(packs), GradeOptions.of(options, **settings))


def advise(entity: Mapping[str, Any], packs: Packs, target: str | None = None, options: GradeOptions | None = None,
           **settings: Any) -> list[Advice]:
    """The rectification plan for one entity: per pack that applies, the cheapest set of the fixes
    the pack declares (least total cost, then fewest fixes, then least time) whose application grades
    the entity at ``target`` or better — by default one level less severe than its grade. When the
    target cannot be reached by rectification, ``reachable`` is False, ``blocked_by`` names the
    findings no fix changes, and the fixes are the cheapest way to the least severe level that can be.

    Raises InputError naming the field when a value cannot be used; options as in ``grade``.

    >>> import datetime as dt
    >>> (plan,) = advise({"exits": 1}, loads_pack(EXAMPLE_PACK), as_of=dt.date(2026, 1, 1))
    >>> plan.level, plan.reaches_level, [f.id for f in plan.fixes], plan.total_cost
    ('red', 'blue', ['few_exits'], 30000.0)
    >>> plan.summary("en")
    'To reach Low: Add a safety exit (30,000 yuan, 30 days). Total 30,000 yuan, 30 days.'
    """
    result = advise_source([entity], _as_list(packs), GradeOptions.of(options, **settings), target)
    if result.rejects:
        p = result.rejects[0].problems[0]
        raise InputError(f"{p.reason} (value {p.value!r})" if p.value is not None else p.reason, column=p.field,
                         file=f"pack {', '.join(p.packs)}" if p.packs else "")
    return result.advice


def advise_table(source: Any, packs: Packs, target: str | None = None, options: GradeOptions | None = None, *,
                 on_report: Callable[[ColumnReport], None] | None = None, **settings: Any) -> AdviceResult:
    """Rectification plans for a table (a file path, DataFrame, Arrow table or list of dicts): one
    ``Advice`` per entity and pack that applies, as ``advise`` gives for one entity; rows that cannot be
    graded are in ``rejects``. ``to_arrow(lang)`` gives the records ``riskgrade advise`` writes."""
    return advise_source(source, _as_list(packs), GradeOptions.of(options, **settings), target, on_report=on_report)


def advise_file(source: Any, packs: Packs, output: str | PathLike[str], target: str | None = None,
                options: GradeOptions | None = None, *, rejects_path: str | PathLike[str] | None = None,
                on_report: Callable[[ColumnReport], None] | None = None,
                **settings: Any) -> tuple[Counts, list[RowReject]]:
    """Rectification plans for every entity of ``source`` streamed into ``output`` (jsonl, csv,
    parquet, xlsx), written atomically; memory stays flat. Texts are in the options' ``lang``, and
    with ``lang="zh"`` csv and xlsx have Chinese headers and levels (jsonl and parquet keep the ids).
    Returns the counts and the rejected rows (also written to ``rejects_path``)."""
    return advise_into(source, _as_list(packs), output, GradeOptions.of(options, **settings), target,
                       rejects_path=rejects_path, on_report=on_report)


def read_entities(source: Any, *, encoding: str | None = None, sheet: str | None = None) -> pa.Table:
    """The entities of a source as ``grade_table`` reads them: one column per input column, cells as the
    file holds them (before conversion to a pack's types); rows that cannot be split into cells are left
    out (``grade_table`` reports them). For looking an entity up, e.g. to explain its grade.

    >>> read_entities([{"entity_id": "A", "exits": 3}]).column("exits").to_pylist()
    [3]
    """
    tables = [chunk.table for chunk in open_entities(source, encoding=encoding, sheet=sheet)]
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables, promote_options="permissive")


def find_entity(source: Any, entity_id: str, packs: Packs, options: GradeOptions | None = None,
                **settings: Any) -> dict[str, Any] | None:
    """The row of one entity as ``source`` holds it (its own headers and spellings), found by its id
    under whichever column the registry keeps ids in (the options' mapping and ``id_column`` apply);
    None when no row has that id. With ``explain_entity``, what a page shows for one entity.

    >>> import datetime as dt
    >>> find_entity([{"单位编号": "A", "exits": 1}], "A", loads_pack(EXAMPLE_PACK), as_of=dt.date(2026, 1, 1))
    {'单位编号': 'A', 'exits': 1}
    """
    options = GradeOptions.of(options, **settings)
    resolver = resolver_for(_as_list(packs), options)
    for chunk in open_entities(source, encoding=options.encoding, sheet=options.sheet):
        header = resolver.plan(chunk.table.column_names).column_of(ENTITY_ID)
        if header is None:
            return None
        ids = pc.utf8_trim_whitespace(chunk.table.column(header).cast(pa.string()))
        at = pc.index(ids, str(entity_id)).as_py()
        if at >= 0:
            return {k: v for k, v in chunk.table.slice(at, 1).to_pylist()[0].items() if v is not None}
    return None


def explain_entity(entity: Mapping[str, Any], packs: Packs, options: GradeOptions | None = None,
                   **settings: Any) -> dict[str, dict[str, Any]]:
    """Each pack's explanation (``riskgrade.explain.explain``: fired rules with their evidence, band,
    vetoes, shifts, controls, interval) of one entity keyed and spelled as a registry writes it.

    >>> import datetime as dt
    >>> expl = explain_entity({"exits": 1}, loads_pack(EXAMPLE_PACK), as_of=dt.date(2026, 1, 1))
    >>> expl["demo"]["level"]["id"], [r["id"] for r in expl["demo"]["rules"]["fired"]]
    ('red', ['few_exits'])
    """
    options = GradeOptions.of(options, **settings)
    programs = _as_list(packs)
    params = options.check(programs)
    resolver = resolver_for(programs, options)
    return {p.pack_id: explain(p, resolver.entity(entity, p), options.as_of, params[p.pack_id]) for p in programs}


def _as_list(packs: Packs) -> list[Program]:
    return [packs] if isinstance(packs, Program) else list(packs)


__all__ = ["EXAMPLE_PACK", "Advice", "AdviceResult", "ColumnReport", "EntityResult", "GradeOptions", "GradeResult",
           "MappingSuggestion", "PackResult", "RegistryMapping", "RowReject", "advise", "advise_file", "advise_table",
           "check_columns", "explain_entity", "find_entity", "grade", "grade_file", "grade_table", "load_pack",
           "load_packs", "loads_pack", "pack_files", "read_entities", "suggest_mapping", "write_rejects"]
