"""``grade --explain``: an ``explanation`` column (JSON text) on every record of a batch grading.

The batch engine grades; the explanation of each graded record is then built by the reference
interpreter from the same raw row. That is one Python pass per entity and pack, so ``--explain`` is
for files a person will read, not for the monthly re-grade of a province.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import deque
from typing import Any, Iterator, Mapping, Sequence

import numpy as np
import pyarrow as pa

from ..compiler.program import Program
from ..table.chunks import RawChunk
from .build import explain

COLUMN = "explanation"


class ExplainingSource:
    """Wraps an entity source; remembers the raw chunks so explanations can be built from them once
    their grades come back (in the same order, as ``Grader.grade_chunks`` keeps it)."""

    def __init__(self, source: Any, programs: Sequence[Program], as_of: dt.date,
                 params: Mapping[str, Any] | None = None, resolver: Any = None):
        self.source = source
        self.resolver = resolver  # resolve.Resolver: the registry's names and spellings -> the pack's
        self.programs = {p.pack_id: p for p in programs}
        self.as_of = as_of
        self.params = dict(params or {})
        self.pending: deque[RawChunk] = deque()

    def __getattr__(self, name: str) -> Any:  # rejects, file, … of the wrapped source
        return getattr(self.source, name)

    def __iter__(self) -> Iterator[RawChunk]:
        for chunk in self.source:
            self.pending.append(chunk)
            yield chunk

    def explained(self, long: pa.Table, graded_rows: np.ndarray) -> pa.Table:
        """The next chunk's long table with an ``explanation`` column (JSON text per record);
        ``graded_rows`` are the source row numbers of the entities it holds, in order."""
        raw = self.pending.popleft()
        position = {int(r): i for i, r in enumerate(raw.row_numbers)}
        rows = raw.table.to_pylist()
        packs = long.column("pack").to_pylist()
        per_entity = len(packs) // max(1, len(graded_rows))
        texts = []
        for k, pack_id in enumerate(packs):
            entity = rows[position[int(graded_rows[k // per_entity])]]
            program = self.programs[pack_id]
            if self.resolver is not None:
                entity = self.resolver.entity(entity, program)
            params = {n: v for n, v in self.params.items() if n in program.params}
            texts.append(json.dumps(explain(program, entity, self.as_of, params), ensure_ascii=False,
                                    separators=(",", ":")))
        return long.append_column(COLUMN, pa.array(texts, type=pa.string()))


def with_column(table: pa.Table) -> pa.Table:
    """An (empty) long table with the explanation column, for a grading that produced no rows."""
    return table.append_column(COLUMN, pa.nulls(table.num_rows, pa.string()))
