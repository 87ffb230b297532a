"""The public API: load packs, grade one entity, grade a table, grade a file into a file."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import pyarrow as pa
from pydantic import BaseModel, ConfigDict

from .backends import reference
from .compiler import Program, compile_pack
from .errors import InputError, OptionError, PackError
from .grading import Counts, Grader, RowReject, check_options
from .io.pack_source import parse_pack, read_pack

Packs = Program | Sequence[Program]


# --- packs -----------------------------------------------------------------------------------------

def loads_pack(text: str, file: str = "<string>") -> Program:
    """Compile a pack from YAML text.

    >>> pack = loads_pack(EXAMPLE_PACK)
    >>> pack.pack_id, [lv.id for lv in pack.levels]
    ('demo', ['red', 'blue'])
    """
    return compile_pack(parse_pack(text, file))


def load_pack(path: str | PathLike[str]) -> Program:
    """Compile the pack in one YAML file. Raises PackError listing every problem with its location."""
    return compile_pack(read_pack(path))


def pack_files(*paths: str | PathLike[str]) -> list[Path]:
    """The pack files named, folders expanded to their ``*.yaml``/``*.yml`` (test files excluded)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.suffix in (".yaml", ".yml")
                          and not f.stem.endswith("_test"))
        else:
            out.append(p)
    return out


def load_packs(*paths: str | PathLike[str], pack: str | Sequence[str] | None = None) -> list[Program]:
    """Compile every pack in the files and folders given; ``pack`` keeps only those ids.

    All packs are compiled before any error is raised, so one PackError lists the problems of all.
    """
    programs, diagnostics = [], []
    for f in pack_files(*paths):
        try:
            programs.append(load_pack(f))
        except PackError as exc:
            diagnostics += exc.diagnostics
    if diagnostics:
        raise PackError(diagnostics)
    if not programs:
        raise OptionError(f"no rule packs (*.yaml) found in {', '.join(map(str, paths))}")
    if pack is not None:
        wanted = [pack] if isinstance(pack, str) else list(pack)
        missing = [w for w in wanted if w not in {p.pack_id for p in programs}]
        if missing:
            raise OptionError(f"no pack with id {', '.join(missing)}; found: "
                              f"{', '.join(p.pack_id for p in programs)}")
        programs = [p for p in programs if p.pack_id in wanted]
    ids = [p.pack_id for p in programs]
    if len(set(ids)) != len(ids):
        raise OptionError(f"two packs share an id: {', '.join(sorted({i for i in ids if ids.count(i) > 1}))}")
    return programs


def _as_list(packs: Packs) -> list[Program]:
    return [packs] if isinstance(packs, Program) else list(packs)


# --- one entity -------------------------------------------------------------------------------------

class PackResult(BaseModel):
    """One pack's grade of one entity (the long form's columns)."""

    model_config = ConfigDict(frozen=True)

    pack: str
    pack_version: str
    pack_sha256: str
    applies: bool
    level: str | None
    rank: int | None
    color: str | None
    score: float | None
    fired: list[str]
    controls: list[str]
    responsible: str | None
    inspection_interval_days: int | None
    next_inspection: dt.date | None
    inspection_modifiers: list[str] = []
    data_gaps: list[str]
    derived: dict[str, Any]


class EntityResult(BaseModel):
    """An entity's grade by every pack, and its overall level (the most severe pack that applies)."""

    model_config = ConfigDict(frozen=True)

    entity_id: str | None
    as_of: dt.date
    level: str | None
    rank: int | None
    color: str | None
    packs: list[PackResult]

    def pack(self, pack_id: str) -> PackResult:
        return next(p for p in self.packs if p.pack == pack_id)


def grade(entity: Mapping[str, Any], packs: Packs, *, as_of: dt.date,
          params: Mapping[str, Any] | None = None) -> EntityResult:
    """Grade one entity (a dict of field values) with one or more packs.

    Raises InputError naming the field when a value cannot be used.

    >>> r = grade({"exits": 1}, loads_pack(EXAMPLE_PACK), as_of=dt.date(2026, 1, 1))
    >>> r.level, r.packs[0].fired
    ('red', ['few_exits'])
    """
    results = []
    programs = _as_list(packs)
    check_options(programs, as_of, dict(params or {}))  # the options, checked once for every pack
    for program in programs:
        chosen = {k: v for k, v in (params or {}).items() if k in program.params}
        (record,) = reference.grade_records(program, [entity], as_of, chosen)
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
    return EntityResult(entity_id=None if eid is None else str(eid), as_of=as_of,
                        level=top.level if top else None, rank=top.rank if top else None,
                        color=top.color if top else None, packs=results)


# --- tables and files ---------------------------------------------------------------------------------

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
        from .io.write import ResultWriter

        with ResultWriter(path) as writer:
            writer.write(self.long, self.wide)


def _open(source: Any, chunk_rows: int, encoding: str | None, sheet: str | None) -> Any:
    from .io.read import open_entities

    return open_entities(source, encoding=encoding, chunk_rows=chunk_rows, sheet=sheet)


def grade_table(source: Any, packs: Packs, *, as_of: dt.date, params: Mapping[str, Any] | None = None,
                chunk_rows: int = 65536, id_column: str | None = None, encoding: str | None = None,
                sheet: str | None = None, keep: Sequence[str] | None = None, explain: bool = False) -> GradeResult:
    """Grade a table: a file path (csv, jsonl, parquet, xlsx), a pandas DataFrame, an Arrow table or a
    list of dicts. Rows that cannot be graded are in ``rejects``; ``counts`` adds up. ``keep`` names
    input columns to carry into the results (default: name, city, county, station, grid if present).
    ``explain`` adds an ``explanation`` column (JSON text, see ``riskgrade.explain``) to every record.

    >>> res = grade_table([{"entity_id": "A", "exits": 3}, {"entity_id": "B", "exits": "x"}],
    ...                   loads_pack(EXAMPLE_PACK), as_of=dt.date(2026, 1, 1))
    >>> res.to_records()[0]["level"], str(res.counts)
    ('blue', '2 rows in = 1 graded + 1 rejected')
    """
    grader = Grader(_as_list(packs), as_of, dict(params or {}), id_column, keep)
    src = _open(source, chunk_rows, encoding, sheet)
    if explain:
        src = _explaining(src, grader)
    counts = Counts()
    longs, wides, rejects = [], [], []
    for chunk in grader.grade_chunks(src, counts):
        if explain:
            chunk = src.add(chunk)
        longs.append(chunk.long)
        wides.append(chunk.wide)
        rejects += chunk.rejects
    rejects = _source_rejects(src) + rejects
    counts.rows_in += len(src.rejects)
    counts.rejected += len(src.rejects)
    long = pa.concat_tables(longs) if longs else _empty(grader, explain)
    wide = pa.concat_tables(wides) if wides else pa.table({"entity_id": pa.array([], pa.string())})
    return GradeResult(long, wide, sorted(rejects, key=lambda r: r.row), counts)


def _explaining(src: Any, grader: Grader) -> Any:
    from .explain.batch import ExplainingSource

    return ExplainingSource(src, grader.programs, grader.as_of, grader.params)


def _empty(grader: Grader, explain: bool) -> pa.Table:
    from .explain.batch import with_column

    table = grader.schema.empty_table()
    return with_column(table) if explain else table


def _source_rejects(src: Any) -> list[RowReject]:
    return [RowReject(r.row, None, "row", None, r.reason, "RG404") for r in src.rejects]


def read_entities(source: Any, *, encoding: str | None = None, sheet: str | None = None) -> pa.Table:
    """The entities of a source as ``grade_table`` reads them: one column per input column, cells as the
    file holds them (before conversion to a pack's types); rows that cannot be split into cells are left
    out (``grade_table`` reports them). For looking an entity up, e.g. to explain its grade.

    >>> read_entities([{"entity_id": "A", "exits": 3}]).column("exits").to_pylist()
    [3]
    """
    tables = [chunk.table for chunk in _open(source, 65536, encoding, sheet)]
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables, promote_options="permissive")


def grade_file(source: Any, packs: Packs, output: str | PathLike[str], *, as_of: dt.date,
               params: Mapping[str, Any] | None = None, chunk_rows: int = 65536, id_column: str | None = None,
               encoding: str | None = None, sheet: str | None = None, rejects_path: str | PathLike[str] | None = None,
               on_chunk: Callable[[Counts], None] | None = None,
               keep: Sequence[str] | None = None, explain: bool = False) -> tuple[Counts, list[RowReject]]:
    """Grade one source (or a list of files) chunk by chunk into ``output``, written atomically;
    memory stays flat. Returns the counts and the rejected rows. ``explain``: as in ``grade_table``."""
    from .io.write import ResultWriter

    grader = Grader(_as_list(packs), as_of, dict(params or {}), id_column, keep)
    many = isinstance(source, (list, tuple)) and source and all(isinstance(s, (str, PathLike)) for s in source)
    sources = list(source) if many else [source]
    counts = Counts()
    rejects: list[RowReject] = []
    with ResultWriter(output) as writer:
        wrote = False
        for one in sources:
            src = _open(one, chunk_rows, encoding, sheet)
            if explain:
                src = _explaining(src, grader)
            name = str(one) if many else None
            for chunk in grader.grade_chunks(src, counts):
                if explain:
                    chunk = src.add(chunk)
                writer.write(chunk.long, chunk.wide)
                wrote = True
                rejects += [replace(r, source=name) for r in chunk.rejects] if name else chunk.rejects
                if on_chunk:
                    on_chunk(counts)
            rejects += [replace(r, source=name) for r in _source_rejects(src)]
            counts.rows_in += len(src.rejects)
            counts.rejected += len(src.rejects)
        if not wrote:
            writer.write(_empty(grader, explain), None)
    rejects.sort(key=lambda r: (r.source or "", r.row))
    if rejects_path is not None:
        write_rejects(rejects, rejects_path)
    return counts, rejects


def write_rejects(rejects: Iterable[RowReject], path: str | PathLike[str]) -> None:
    """The rejected rows as JSON Lines (or CSV for a ``.csv`` path), written atomically."""
    from .io.write import write_table

    rows = [r.to_dict() for r in rejects]
    for r in rows:
        if r["value"] is not None and not isinstance(r["value"], str):
            r["value"] = json.dumps(r["value"], ensure_ascii=False)
    schema = pa.schema([("source", pa.string()), ("row", pa.int64()), ("entity_id", pa.string()), ("pack", pa.string()),
                        ("field", pa.string()), ("value", pa.string()), ("code", pa.string()),
                        ("reason", pa.string())])
    write_table(pa.Table.from_pylist(rows, schema=schema), path)


EXAMPLE_PACK = """
pack: demo
version: "1"
title: {zh: 示例, en: Demo}
owner: {zh: 派出所, en: Police station}
fields:
  exits: {type: integer, min: 0}
levels:
  - {id: red, label: {zh: 重大风险, en: Major}, color: red}
  - {id: blue, label: {zh: 低风险, en: Low}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 10}, {level: blue, max: 10}]
rules:
  - {id: few_exits, when: "exits < 2", points: 10}
"""
