"""``riskgrade map``: read a registry once and suggest the mapping a person confirms (``resolve.suggest``).

Every chunk is read (values that no code or label spells may sit anywhere in the file), but only the
distinct unknown values of category and yes/no columns are kept, so memory stays small.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..compiler.program import Program
from ..io.read import open_entities
from ..resolve.suggest import plan_fields, suggestion_text, unknown_cells
from .options import GradeOptions
from .run import resolver_for


@dataclass(frozen=True)
class MappingSuggestion:
    """The suggested mapping's text, and how many columns and values wait for a person's decision."""

    text: str
    columns_to_check: int
    values_to_check: int

    @property
    def complete(self) -> bool:
        return not (self.columns_to_check or self.values_to_check)


def suggest_mapping(source: Any, programs: Sequence[Program], options: GradeOptions) -> MappingSuggestion:
    """The suggested mapping of ``source`` for these packs (see ``resolve.suggest``)."""
    resolver = resolver_for(programs, options)
    src = open_entities(source, encoding=options.encoding, chunk_rows=options.chunk_rows, sheet=options.sheet)
    fields = plan_fields(programs)
    value_maps = {name: vm for name, f in fields.items() if (vm := resolver.value_map(f)) is not None}
    unknown: dict[str, dict[str, int]] = {name: {} for name in value_maps}
    headers: tuple[str, ...] = tuple(getattr(src, "columns", None) or ())
    for chunk in src:
        headers = tuple(chunk.table.column_names)
        renames = resolver.plan(headers).renames
        for header, target in renames.items():
            if target in value_maps:
                unknown_cells(chunk.table.column(header).to_pylist(), value_maps[target], unknown[target])
    plan = resolver.plan(headers)
    text = suggestion_text(str(getattr(src, "name", source)), plan, resolver.names, unknown, fields, value_maps)
    to_check = sum(1 for m in plan.matches if not m.used and m.how != "ignored")
    return MappingSuggestion(text, to_check, sum(len(v) for v in unknown.values()))
