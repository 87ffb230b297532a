"""The resolve step of the flow: raw chunks (or one entity's dict) as a registry writes them -> the
columns and values the packs declare. Every reader path goes through it: files, DataFrames, Arrow,
dicts, Dask partitions, the service.

>>> from riskgrade.compiler.load import EXAMPLE_PACK, loads_pack
>>> r = Resolver([loads_pack(EXAMPLE_PACK)])
>>> r.plan(["单位编号", "Exits"]).renames
{'单位编号': 'entity_id', 'Exits': 'exits'}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from ..compiler.program import CompiledField, Program
from ..errors import Location, MappingError
from ..source.mapping_source import LoadedMapping
from ..table.chunks import RawChunk
from ..table.names import name_key
from .builtin import DEFAULT_CARRIED, ENTITY_ID
from .headers import ColumnPlan, Names
from .report import ColumnReport, build_report
from .values import ValueMap, resolve_array, resolve_cell, value_map


class Resolver:
    """Prepared once per run from the packs, the mapping and the carried columns (checking the mapping
    against the packs: MappingError names each bad entry's line and column); then used chunk by chunk.

    ``carried`` are the columns carried into every record when present, ``keep`` those asked for
    besides; ``id_column`` names the column of entity ids (default: ``entity_id``, ``id`` or a
    built-in Chinese name such as 单位编号).
    """

    def __init__(self, programs: Sequence[Program], mapping: LoadedMapping | None = None, *,
                 carried: Sequence[str] = DEFAULT_CARRIED, keep: Sequence[str] = (),
                 id_column: str | None = None) -> None:
        self.programs = list(programs)
        self.mapping = mapping
        columns = dict(mapping.mapping.columns) if mapping else {}
        self.names = Names.build(self.programs, carried, columns, id_column, keep)
        self._check_mapping()
        self._value_maps: dict[int, tuple[CompiledField, ValueMap | None]] = {}
        self._entity_maps: dict[int, tuple[Program, list[tuple[str, ValueMap]]]] = {}
        self._plans: dict[tuple[str, ...], ColumnPlan] = {}

    # --- columns -------------------------------------------------------------------------------

    def plan(self, headers: Sequence[str]) -> ColumnPlan:
        """What each header is read as (cached: every chunk of a source has the same headers)."""
        key = tuple(headers)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self.names.plan(key)
        return plan

    def chunk(self, chunk: RawChunk) -> RawChunk:
        """The chunk with only the columns used, each under the name it is read as."""
        renames = self.plan(chunk.table.column_names).renames
        if all(h == t for h, t in renames.items()) and len(renames) == chunk.table.num_columns:
            return chunk
        table = chunk.table.select(list(renames)).rename_columns(list(renames.values()))
        return RawChunk(table, chunk.row_numbers)

    def report(self, source: str, headers: Sequence[str],
               applies: dict[str, tuple[int, int]] | None = None, *, packs: bool = True) -> ColumnReport:
        """The column report of a source with these headers (``applies``: per pack, rows of the first
        chunk it applies to and rows graded, when known; ``packs=False``: the columns alone, for
        columns a source brings after its first chunk)."""
        mapped = list(self.mapping.mapping.columns) if self.mapping and packs else []
        return build_report(source, self.plan(headers), self.names, self.programs if packs else (), applies,
                            mapped)

    # --- values --------------------------------------------------------------------------------

    def value_map(self, f: CompiledField) -> ValueMap | None:
        # by identity: hashing a field (its labels, its items) for every cell of an entity cost more
        # than grading it; the programs, and so their fields, live as long as this resolver
        found = self._value_maps.get(id(f))
        if found is None or found[0] is not f:
            mapped = self.mapping.mapping.values.get(f.name) if self.mapping else None
            found = self._value_maps[id(f)] = (f, value_map(f, mapped))
        return found[1]

    def values(self, f: CompiledField, raw: pa.Array | pa.ChunkedArray | None) -> Any:
        """A column of field ``f`` with its values spelled as the pack declares them."""
        vm = self.value_map(f) if raw is not None else None
        return raw if vm is None else resolve_array(vm, raw)

    def entity(self, entity: Mapping[str, Any], program: Program) -> dict[str, Any]:
        """One entity's dict (keys as a registry names them) as ``program`` reads it."""
        renames = self.plan([str(k) for k in entity]).renames
        out = {renames[str(k)]: v for k, v in entity.items() if str(k) in renames}
        for name, vm in self._cell_maps(program):
            if name in out:
                out[name] = resolve_cell(vm, out[name])
        return out

    def _cell_maps(self, program: Program) -> list[tuple[str, ValueMap]]:
        """The fields of ``program`` whose values are respelled, with their maps (worked out once)."""
        found = self._entity_maps.get(id(program))
        if found is None or found[0] is not program:
            pairs = [(f.name, vm) for f in program.fields if (vm := self.value_map(f)) is not None]
            found = self._entity_maps[id(program)] = (program, pairs)
        return found[1]

    def entity_id(self, entity: Mapping[str, Any]) -> str | None:
        """The id of one entity's dict (under whichever name the registry gives it)."""
        header = self.plan([str(k) for k in entity]).column_of(ENTITY_ID)
        value = next((v for k, v in entity.items() if str(k) == header), None) if header else None
        return None if value is None else str(value)

    # --- the mapping against the packs ---------------------------------------------------------

    def _check_mapping(self) -> None:
        if self.mapping is None:
            return
        problems: list[tuple[Location, str]] = []
        targets = self.names.targets
        for header, target in self.mapping.mapping.columns.items():
            if target is not None and target not in targets:
                near = self.names.suggest(name_key(target))
                hint = f"; did you mean {', '.join(near)}?" if near else ""
                problems.append((self.mapping.locate("columns", header),
                                 f"'{target}' is not a field of any pack, a carried column or entity_id{hint} "
                                 "(to carry another column, name it with --keep / keep=)"))
        for name, values in self.mapping.mapping.values.items():
            problems += self._check_values(name, values)
        if problems:
            raise MappingError(problems)

    def _check_values(self, name: str, values: Mapping[str, str | bool]) -> list[tuple[Location, str]]:
        fields = [f for p in self.programs for f in p.fields if f.name == name]
        if not fields:
            near = self.names.suggest(name_key(name))
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            return [(self.mapping.locate("values", name, key=True),  # type: ignore[union-attr]
                     f"'{name}' is not a field of any pack{hint}")]
        problems = []
        for f in fields:
            if f.kind not in ("category", "boolean"):
                return [(self.mapping.locate("values", name, key=True),  # type: ignore[union-attr]
                         f"'{name}' is a {f.kind} field; values can be mapped only for category and yes/no fields")]
            for their, code in values.items():
                where = self.mapping.locate("values", name, their)  # type: ignore[union-attr]
                if f.kind == "boolean" and not isinstance(code, bool):
                    problems.append((where, f"'{name}' is a yes/no field: map '{their}' to true or false"))
                elif f.kind == "category" and (isinstance(code, bool) or code not in (f.values or ())):
                    shown = ", ".join((f.values or ())[:15])
                    problems.append((where, f"'{code}' is not a value of '{name}' (values: {shown})"))
        return list(dict.fromkeys(problems))


__all__ = ["Resolver"]
