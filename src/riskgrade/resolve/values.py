"""Cells -> the values a pack declares, before they are converted (``table.convert``).

A category cell may hold the code (``hotel``), a label (``宾馆（旅馆、饭店）``, ``Hotel``), a synonym the
pack declares (``酒店``) or a value the mapping file maps (``星级酒店: hotel``); a yes/no cell any of
the words ``table.convert`` reads (是/否, 有/无, 对/错, Y/N, √/×, 1/0, true/false), in any width, or
a value the mapping file maps. All are compared by ``table.names.word_key`` (width, case, spaces).
Each distinct value of a column is looked up once; a value nothing knows is left as it is, so that
conversion reports its row with the allowed values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..compiler.program import CompiledField
from ..table.convert import FALSE, TRUE
from ..table.names import label_words, word_key

_BOOL_WORDS = {**{word_key(w): "true" for w in TRUE}, **{word_key(w): "false" for w in FALSE}}


@dataclass(frozen=True)
class ValueMap:
    """How one field's cells are spelled -> the spelling conversion reads (a code, "true", "false")."""

    words: Mapping[str, str]  # word_key(spelling) -> canonical text
    exact: frozenset[str]  # canonical texts, left as they are

    def get(self, cell: str) -> str | None:
        if cell in self.exact:
            return None
        return self.words.get(word_key(cell))


def value_map(f: CompiledField, mapped: Mapping[str, str | bool] | None = None) -> ValueMap | None:
    """The value map of a category or boolean field (None for other kinds: numbers and dates are read
    as written)."""
    words: dict[str, str] = {}
    if f.kind == "category" and f.values:
        for code in f.values:
            words[word_key(code)] = code
        for code, label in zip(f.values, f.value_labels):
            for text in (label.zh, label.en) if label is not None else ():
                for word in label_words(text) if text else ():
                    words.setdefault(word_key(word), code)
        for code, synonyms in f.synonyms:
            for text in synonyms:
                words.setdefault(word_key(text), code)
        exact = frozenset(f.values)
    elif f.kind == "boolean":
        words.update(_BOOL_WORDS)
        exact = frozenset()
    else:
        return None
    for their, code in (mapped or {}).items():  # the bureau's own word wins over a built-in one
        words[word_key(their)] = ("true" if code else "false") if isinstance(code, bool) else code
    return ValueMap(words, exact)


def resolve_array(vm: ValueMap, raw: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """``raw`` with every known spelling replaced by its canonical text (text columns only; a column
    of numbers or booleans is left to conversion)."""
    if not (pa.types.is_string(raw.type) or pa.types.is_large_string(raw.type)):
        return raw
    if isinstance(raw, pa.ChunkedArray):
        raw = raw.combine_chunks() if raw.num_chunks != 1 else raw.chunk(0)
    encoded = pc.dictionary_encode(raw)
    words = encoded.dictionary.to_pylist()
    replaced = [vm.get(w) if w is not None else None for w in words]
    if not any(r is not None for r in replaced):
        return raw
    dictionary = pa.array([r if r is not None else w for w, r in zip(words, replaced)], pa.string())
    return dictionary.take(encoded.indices)


def resolve_cell(vm: ValueMap, value: Any) -> Any:
    """One cell (the dict path): text spelled otherwise becomes its canonical text."""
    if isinstance(value, str):
        found = vm.get(value)
        return value if found is None else found
    return value
