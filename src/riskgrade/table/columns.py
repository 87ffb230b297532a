"""The columnar entity table the batch engine works on: numpy arrays with explicit missingness.

- numbers and dates: ``float64`` arrays, NaN = missing (dates as days since 1970-01-01);
- booleans: ``Tri`` — value and known masks (three-valued logic);
- categories and text: ``Codes`` — int32 codes into a vocabulary, -1 = missing;
- lists of records: ``ListColumn`` — offsets into a child table of item columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Union

import numpy as np

EPOCH = dt.date(1970, 1, 1)


def day_number(d: dt.date) -> float:
    return float((d - EPOCH).days)


def from_day_number(x: float) -> dt.date:
    return EPOCH + dt.timedelta(days=int(x))


@dataclass(frozen=True)
class Tri:
    """A three-valued boolean column: ``value`` is False wherever ``known`` is False."""

    value: np.ndarray
    known: np.ndarray

    @staticmethod
    def full(n: int, value: bool) -> "Tri":
        return Tri(np.full(n, value), np.ones(n, dtype=bool))

    def take(self, idx: np.ndarray) -> "Tri":
        return Tri(self.value[idx], self.known[idx])

    def to_list(self) -> list[bool | None]:
        return [bool(v) if k else None for v, k in zip(self.value.tolist(), self.known.tolist())]


@dataclass(frozen=True)
class Codes:
    """A text column as codes into ``vocab``; -1 is missing."""

    codes: np.ndarray
    vocab: tuple[str, ...]

    def take(self, idx: np.ndarray) -> "Codes":
        return Codes(self.codes[idx], self.vocab)

    def to_list(self) -> list[str | None]:
        lookup = np.array(list(self.vocab) + [None], dtype=object)
        return lookup[self.codes].tolist()

    @staticmethod
    def from_strings(values: list[str | None]) -> "Codes":
        vocab = tuple(sorted({v for v in values if v is not None}))
        index = {v: i for i, v in enumerate(vocab)}
        return Codes(np.array([index[v] if v is not None else -1 for v in values], dtype=np.int32), vocab)


@dataclass(frozen=True)
class ListColumn:
    """Records per row: row i owns items ``offsets[i]:offsets[i+1]`` of ``items``; ``known`` False = missing list."""

    offsets: np.ndarray
    known: np.ndarray
    items: "Table"

    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def take(self, idx: np.ndarray) -> "ListColumn":
        lengths = self.lengths()[idx]
        offsets = np.zeros(len(idx) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        starts = self.offsets[:-1][idx]
        item_idx = (np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])).astype(np.int64)
        return ListColumn(offsets, self.known[idx], self.items.take(item_idx))


Column = Union[np.ndarray, Tri, Codes, ListColumn]


def take_column(col: Column, idx: np.ndarray) -> Column:
    return col[idx] if isinstance(col, np.ndarray) else col.take(idx)


@dataclass
class Table:
    """``n`` rows of typed columns, plus each row's id and its number in the source (for messages)."""

    n: int
    columns: dict[str, Column] = field(default_factory=dict)
    ids: np.ndarray | None = None  # object array of str
    rows: np.ndarray | None = None  # int64 source row numbers

    def take(self, idx: np.ndarray) -> "Table":
        idx = np.asarray(idx, dtype=np.int64)
        return Table(
            len(idx),
            {k: take_column(c, idx) for k, c in self.columns.items()},
            None if self.ids is None else self.ids[idx],
            None if self.rows is None else self.rows[idx],
        )
