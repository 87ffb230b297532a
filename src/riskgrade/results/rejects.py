"""Rows that were not graded: the record type, and the table every writer of rejects writes.

A rejected row is reported once per reason (a row may break several fields or packs). In files the
``value`` is text: a string as given, any other value as JSON (``true``, ``3``, ``2.5``), so the same
row gives the same bytes whichever path graded it (one machine or a cluster).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable

import pyarrow as pa

REJECTS_SCHEMA = pa.schema([
    ("source", pa.string()), ("row", pa.int64()), ("entity_id", pa.string()), ("pack", pa.string()),
    ("field", pa.string()), ("value", pa.string()), ("code", pa.string()), ("reason", pa.string()),
])


@dataclass(frozen=True)
class RowReject:
    """A row that was not graded: where it is, which field or rule, and why."""

    row: int
    entity_id: str | None
    field: str
    value: Any
    reason: str
    code: str
    pack: str | None = None
    source: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}, " if self.source else ""
        who = f" ({self.entity_id})" if self.entity_id else ""
        pack = f" [{self.pack}]" if self.pack else ""
        shown = "" if self.value is None else f" = {_short(repr(self.value))}"
        return f"{where}row {self.row}{who}{pack}: {self.field}{shown}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        value = self.value if isinstance(self.value, (str, int, float, bool, type(None))) else str(self.value)
        return {"source": self.source, "row": self.row, "entity_id": self.entity_id, "pack": self.pack, "field": self.field,
                "value": value, "code": self.code, "reason": self.reason}

    def to_row(self) -> dict[str, Any]:
        """The record as a rejects file holds it (``REJECTS_SCHEMA``): the value as text."""
        row = self.to_dict()
        if row["value"] is not None and not isinstance(row["value"], str):
            row["value"] = json.dumps(row["value"], ensure_ascii=False)
        return row


def _short(text: str, limit: int = 80) -> str:
    """A value as a message shows it: whole when short, else its start (the file keeps it whole)."""
    return text if len(text) <= limit else f"{text[:limit - 1]}… ({len(text):,} characters)"


def rejects_table(rejects: Iterable[RowReject]) -> pa.Table:
    """The rejected rows as an Arrow table of ``REJECTS_SCHEMA``."""
    return pa.Table.from_pylist([r.to_row() for r in rejects], schema=REJECTS_SCHEMA)


def from_table(table: pa.Table) -> list[RowReject]:
    """RowRejects back from a ``REJECTS_SCHEMA`` table (values stay as their text)."""
    return [RowReject(r["row"], r["entity_id"], r["field"], r["value"], r["reason"], r["code"], r["pack"],
                      r["source"]) for r in table.to_pylist()]
