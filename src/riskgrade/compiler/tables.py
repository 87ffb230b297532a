"""Compiled lookup tables, with a plain-Python lookup and a numpy lookup of the same meaning."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..expr.nodes import BOOLEAN, NUMBER, STRING, Type
from ..table import Codes, Tri


@dataclass(frozen=True)
class CompiledTable:
    name: str
    banded: bool
    key: str  # "string" | "number"
    value_type: Type
    entries: dict[Any, Any]  # keyed: key -> value
    default: Any
    bands: tuple[tuple[float, float, Any], ...]  # banded: [min, max) -> value, first match wins
    _cache: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    # -- one value (reference engine) ----------------------------------------------------------
    def lookup_value(self, key: Any) -> Any:
        if self.banded:
            for lo, hi, value in self.bands:
                if lo <= key < hi:
                    return value
            return None
        return self.entries.get(key, self.default)

    # -- a column (batch engine) ---------------------------------------------------------------
    def lookup(self, key: Any) -> Any:
        if isinstance(key, Codes):
            values = self._cache.get(key.vocab)
            if values is None:
                values = self._column([self.entries.get(k, self.default) for k in key.vocab] + [None])
                self._cache[key.vocab] = values
            return _take(values, key.codes)
        keys = np.asarray(key, dtype=np.float64)
        if self.banded:
            return self._banded(keys)
        return self._keyed_numbers(keys)

    def _banded(self, keys: np.ndarray) -> Any:
        lows = [b[0] for b in self.bands]
        highs = [b[1] for b in self.bands]
        if lows[0] == -np.inf and highs[-1] == np.inf and all(h == lo for h, lo in zip(highs, lows[1:])):
            # contiguous bands in order: one binary search per key (NaN sorts last -> "not found")
            index = np.searchsorted(np.array(highs[:-1]), keys, side="right")
            index = np.where(np.isnan(keys) | (keys == np.inf), len(self.bands), index)
            return _take(self._column([b[2] for b in self.bands] + [None]), index)
        index = np.full(keys.shape, len(self.bands), dtype=np.int64)
        for i in range(len(self.bands) - 1, -1, -1):  # reversed: the first matching band wins
            lo, hi, _ = self.bands[i]
            index[(keys >= lo) & (keys < hi)] = i
        return _take(self._column([b[2] for b in self.bands] + [None]), index)

    def _keyed_numbers(self, keys: np.ndarray) -> Any:
        listed = sorted(self.entries)
        sorted_keys = np.array(listed, dtype=np.float64)
        pos = np.clip(np.searchsorted(sorted_keys, keys), 0, max(len(listed) - 1, 0))
        found = (sorted_keys[pos] == keys) if listed else np.zeros(keys.shape, dtype=bool)
        index = np.where(found, pos, np.where(np.isnan(keys), len(listed) + 1, len(listed)))
        return _take(self._column([self.entries[k] for k in listed] + [self.default, None]), index)

    def _column(self, values: list[Any]) -> Any:
        """Values (last one: for 'not found') as the column type of this table's values."""
        kind = self.value_type.kind
        if kind == "number":
            return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)
        if kind == "boolean":
            return Tri(np.array([bool(v) for v in values]), np.array([v is not None for v in values]))
        vocab = tuple(sorted({v for v in values if v is not None}))
        return Codes(np.array([vocab.index(v) if v is not None else -1 for v in values], dtype=np.int32),
                     vocab)


def _take(values: Any, index: Any) -> Any:
    if isinstance(values, Tri):
        return Tri(values.value[index], values.known[index])
    if isinstance(values, Codes):
        return Codes(values.codes[index], values.vocab)
    return values[index]


VALUE_TYPES = {"number": NUMBER, "string": STRING, "boolean": BOOLEAN}
