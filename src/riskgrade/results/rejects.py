"""Rows that were not graded: one record per row with every reason it was rejected, and the table
every writer of rejects writes.

A row may break several fields, and several packs may find the same fault (a negative area is wrong
for every pack that reads the area): the record lists each problem once, with the packs that found
it. In files a value is text: a string as given, any other value as JSON (``true``, ``3``, ``2.5``),
so the same row gives the same bytes whichever path graded it (one machine or a cluster).

>>> r = RowReject(7, "FS-1", (Problem("exits", "-1", "-1 is below the minimum 0", "RG400"),))
>>> str(r)
"row 7 (FS-1): exits = '-1': -1 is below the minimum 0"
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pyarrow as pa

PROBLEM_TYPE = pa.struct([("field", pa.string()), ("value", pa.string()), ("code", pa.string()),
                          ("reason", pa.string()), ("packs", pa.list_(pa.string()))])

REJECTS_SCHEMA = pa.schema([
    ("source", pa.string()), ("row", pa.int64()), ("entity_id", pa.string()), ("fields", pa.list_(pa.string())),
    ("codes", pa.list_(pa.string())), ("packs", pa.list_(pa.string())), ("reason", pa.string()),
    ("problems", pa.list_(PROBLEM_TYPE)),
])
# What a person reads in a spreadsheet or CSV: the same, without the nested ``problems``.
REJECTS_COLUMNS_FOR_PEOPLE = ("source", "row", "entity_id", "fields", "codes", "packs", "reason")



class Wording(Protocol):
    """How a reject is worded for people in another language (``results.reject_text``)."""

    sep: str
    row_word: str

    def reason(self, reason: str, code: str, field: str = "") -> str: ...

    def field(self, name: str) -> str: ...


@dataclass(frozen=True)
class Problem:
    """One reason a row was rejected: the field (or ``row``, ``entity_id``, a rule id), its value as
    given, what is wrong and what to do, a stable code, and the packs that found it (none: reading)."""

    field: str
    value: Any
    reason: str
    code: str
    packs: tuple[str, ...] = ()

    def text(self, wording: Wording | None = None) -> str:
        reason = wording.reason(self.reason, self.code, self.field) if wording else self.reason
        field = wording.field(self.field) if wording else self.field
        # the value as a file holds it, so that every path (and a file read back) says the same
        shown = "" if self.value is None else f" = {_short(repr(_as_text(self.value)))}"
        return f"{field}{shown}: {reason}" if wording is None else f"{field}{shown}：{reason}"


@dataclass(frozen=True)
class RowReject:
    """A row that was not graded: where it is, and every reason (``problems``)."""

    row: int
    entity_id: str | None
    problems: tuple[Problem, ...]
    source: str | None = None

    @classmethod
    def one(cls, row: int, entity_id: str | None, field: str, value: Any, reason: str, code: str,
            pack: str | None = None, source: str | None = None) -> "RowReject":
        """A row with a single problem."""
        return cls(row, entity_id, (Problem(field, value, reason, code, (pack,) if pack else ()),), source)

    # the first problem, for a row rejected for one reason (the usual case)
    @property
    def field(self) -> str:
        return self.problems[0].field

    @property
    def value(self) -> Any:
        return self.problems[0].value

    @property
    def code(self) -> str:
        return self.problems[0].code

    @property
    def reason(self) -> str:
        """Every reason, in one sentence per problem."""
        return "; ".join(p.reason for p in self.problems)

    @property
    def pack(self) -> str | None:
        packs = self.packs
        return packs[0] if len(packs) == 1 else None

    @property
    def fields(self) -> list[str]:
        return list(dict.fromkeys(p.field for p in self.problems))

    @property
    def packs(self) -> list[str]:
        return list(dict.fromkeys(k for p in self.problems for k in p.packs))

    def __str__(self) -> str:
        return self.text()

    def text(self, wording: Wording | None = None) -> str:
        """``[source, ]row N (id): field = value: reason; …`` (in another language with ``wording``)."""
        where = f"{self.source}, " if self.source else ""
        if wording is None:
            who = f" ({self.entity_id})" if self.entity_id else ""
            return f"{where}row {self.row}{who}: " + "; ".join(p.text() for p in self.problems)
        who = f"（{self.entity_id}）" if self.entity_id else ""
        return (f"{where}{wording.row_word.format(row=self.row)}{who}："
                + wording.sep.join(p.text(wording) for p in self.problems))

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "row": self.row, "entity_id": self.entity_id,
                "problems": [{"field": p.field, "value": _plain(p.value), "code": p.code, "reason": p.reason,
                              "packs": list(p.packs)} for p in self.problems]}

    def to_row(self, wording: Wording | None = None) -> dict[str, Any]:
        """The record as a rejects file holds it (``REJECTS_SCHEMA``): values as text."""
        problems = [{"field": p.field, "value": _as_text(p.value), "code": p.code,
                     "reason": wording.reason(p.reason, p.code, p.field) if wording else p.reason,
                     "packs": list(p.packs)}
                    for p in self.problems]
        sep = wording.sep if wording else "; "
        return {"source": self.source, "row": self.row, "entity_id": self.entity_id, "fields": self.fields,
                "codes": list(dict.fromkeys(p.code for p in self.problems)), "packs": self.packs,
                "reason": sep.join(p.text(wording) for p in self.problems), "problems": problems}


def _short(text: str, limit: int = 80) -> str:
    """A value as a message shows it: whole when short, else its start (the value itself is kept)."""
    return text if len(text) <= limit else f"{text[:limit - 1]}… ({len(text):,} characters)"


def merge_problems(found: Iterable[tuple[str | None, str, Any, str, str]]) -> tuple[Problem, ...]:
    """``(pack, field, value, reason, code)`` found by the packs -> each problem once, with every pack
    that found it, in the order first found."""
    merged: dict[tuple[str, str, str, str], list[str]] = {}
    values: dict[tuple[str, str, str, str], Any] = {}
    for pack, field, value, reason, code in found:
        key = (field, repr(value), reason, code)
        packs = merged.setdefault(key, [])
        values.setdefault(key, value)
        if pack and pack not in packs:
            packs.append(pack)
    return tuple(Problem(k[0], values[k], k[2], k[3], tuple(p)) for k, p in merged.items())


def rejects_table(rejects: Iterable[RowReject], wording: Wording | None = None) -> pa.Table:
    """The rejected rows as an Arrow table of ``REJECTS_SCHEMA`` (worded for people if asked)."""
    return pa.Table.from_pylist([r.to_row(wording) for r in rejects], schema=REJECTS_SCHEMA)


def from_table(table: pa.Table) -> list[RowReject]:
    """RowRejects back from a ``REJECTS_SCHEMA`` table (values stay as their text)."""
    return [RowReject(r["row"], r["entity_id"], _problems(r["problems"] or []), r["source"])
            for r in table.to_pylist()]


def _problems(rows: Sequence[dict[str, Any]]) -> tuple[Problem, ...]:
    return tuple(Problem(p["field"], p["value"], p["reason"], p["code"], tuple(p["packs"] or ())) for p in rows)


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def _as_text(value: Any) -> str | None:
    value = _plain(value)
    return value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False)
