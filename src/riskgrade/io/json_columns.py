"""JSON Lines text built column by column with Arrow's kernels, byte for byte what ``json.dumps``
writes row by row (``write_values.to_json``: default separators, non-ASCII kept, NaN and infinity as
``null``), at a fraction of the cost: a million records of ninety columns no longer pass through
Python one value at a time.

Each column becomes the text of its cells with the key in front (``, "level": "red"``); the rows
are those texts joined in one pass. Distinct texts are escaped once (levels, packs and hashes
repeat), whole numbers are spelled by Arrow, and what Arrow cannot spell exactly as Python does is
spelled by Python for those cells only: floats that are not whole numbers (numpy's shortest repr,
which is Python's), text holding control characters, lists of records, times and other rare types.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .write_values import to_json

_CONTROL = "[\\x00-\\x1f]"
_EXACT_WHOLE = 2.0 ** 53  # below it a whole float's repr is its integer digits and ".0"

Cells = pa.Array | pa.Scalar  # a column's texts; a scalar when every cell reads the same


def _s(text: str) -> pa.Scalar:
    return pa.scalar(text, pa.large_string())


# Rows per block: columns are spelled a block at a time and rows joined a smaller block at a time,
# so that what Arrow copies stays in the processor's cache (ten times faster than whole chunks).
BLOCK_ROWS = 32768
JOIN_ROWS = 8192


def json_lines(table: pa.Table) -> Iterator[memoryview]:
    """The rows of ``table`` as JSON Lines (UTF-8, ``\n`` after every line), keys in column order:
    pieces of text in order, each a view of an Arrow buffer to write as it is."""
    n = table.num_rows
    if n and not table.num_columns:
        yield memoryview(b"{}\n" * n)
        return
    keys = [("{" if i == 0 else ", ") + json.dumps(name, ensure_ascii=False) + ": "
            for i, name in enumerate(table.column_names)]
    for start in range(0, n, BLOCK_ROWS):
        block = table.slice(start, BLOCK_ROWS)
        parts: list[Cells] = [json_texts(col.combine_chunks(), key) for key, col in zip(keys, block.columns)]
        parts = _merge_scalars(parts + [_s("}\n")])
        for at in range(0, block.num_rows, JOIN_ROWS):
            rows = min(JOIN_ROWS, block.num_rows - at)
            if all(isinstance(p, pa.Scalar) for p in parts):  # every column constant
                yield memoryview("".join(p.as_py() for p in parts).encode("utf-8") * rows)
                continue
            pieces = [p.slice(at, rows) if isinstance(p, pa.Array) else p for p in parts]
            yield _text_view(pc.binary_join_element_wise(*pieces, _s("")))


def json_texts(col: pa.Array, prefix: str = "") -> Cells:
    """Each cell's JSON text after ``prefix``: a large_string array without nulls, or one scalar when
    every cell reads the same (a column of nulls)."""
    kind = col.type
    if col.null_count == len(col):
        return _s(prefix + "null")
    if pa.types.is_dictionary(kind):
        return json_texts(col.cast(kind.value_type), prefix)
    for test, spell in _SPELLERS:
        if test(kind):
            return spell(col, prefix)
    return _by_python(col, prefix, to_json)


def _strings(col: pa.Array, prefix: str) -> pa.Array:
    encoded = pc.dictionary_encode(col.cast(pa.large_string()))
    texts = pc.binary_join_element_wise(_s(prefix), quoted(encoded.dictionary), _s(""))
    return pc.fill_null(pc.take(texts, encoded.indices), _s(prefix + "null"))


def quoted(text: pa.Array) -> pa.Array:
    """Texts without nulls as JSON strings, as ``json.dumps(text, ensure_ascii=False)`` writes them."""
    escaped = text
    if pc.any(pc.match_substring_regex(text, '[\\\\"]')).as_py():
        escaped = pc.replace_substring(pc.replace_substring(text, "\\", "\\\\"), '"', '\\"')
    out = pc.binary_join_element_wise(_s('"'), escaped, _s('"'), _s(""))
    control = pc.match_substring_regex(text, _CONTROL)
    if pc.any(control).as_py():  # \n, \t and the rest, as json.dumps escapes them: for those texts
        fixed = [json.dumps(v, ensure_ascii=False) for v in text.filter(control).to_pylist()]
        out = pc.replace_with_mask(out, control, pa.array(fixed, pa.large_string()))
    return out


def _booleans(col: pa.Array, prefix: str) -> pa.Array:
    return pc.fill_null(pc.if_else(col, _s(prefix + "true"), _s(prefix + "false")), _s(prefix + "null"))


def _integers(col: pa.Array, prefix: str) -> pa.Array:
    return pc.fill_null(pc.binary_join_element_wise(_s(prefix), col.cast(pa.large_string()), _s("")),
                        _s(prefix + "null"))


def _floats(col: pa.Array, prefix: str) -> pa.Array:
    """Python's ``repr``: whole numbers as their digits and ``.0`` (by Arrow), others by numpy's
    shortest repr (the same digits and form); NaN, infinities and nulls as ``null``."""
    x = col.cast(pa.float64()).to_numpy(zero_copy_only=False)
    valid = np.isfinite(x)  # a null is NaN here
    if col.null_count:
        valid &= col.is_valid().to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        whole = valid & (np.floor(x) == x) & (np.abs(x) < _EXACT_WHOLE) & ~((x == 0) & np.signbit(x))
    digits = pc.cast(pa.array(np.where(whole, x, 0.0).astype(np.int64)), pa.large_string())
    texts = pc.if_else(pa.array(whole), pc.binary_join_element_wise(_s(prefix), digits, _s(".0"), _s("")),
                       _s(prefix + "null"))
    rest = valid & ~whole
    if rest.any():
        spelled = [prefix + t for t in x[rest].astype(str).tolist()]
        texts = pc.replace_with_mask(texts, pa.array(rest), pa.array(spelled, pa.large_string()))
    return texts


def _dates(col: pa.Array, prefix: str) -> pa.Array:
    days = col.cast(pa.date32()).cast(pa.large_string())
    return pc.fill_null(pc.binary_join_element_wise(_s(prefix + '"'), days, _s('"'), _s("")), _s(prefix + "null"))


def _lists(col: pa.Array, prefix: str) -> Cells:
    inner = col.type.value_type
    if not (pa.types.is_string(inner) or pa.types.is_large_string(inner) or pa.types.is_integer(inner)
            or pa.types.is_boolean(inner)):
        return _by_python(col, prefix, to_json)
    offsets = col.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
    items = json_texts(pc.list_flatten(col))
    if isinstance(items, pa.Scalar):  # every item null (or none at all)
        items = pa.array([items.as_py()] * int(offsets[-1] - offsets[0]), pa.large_string())
    lists = pa.LargeListArray.from_arrays(pa.array(offsets - offsets[0], pa.int64()), items,
                                          mask=col.is_null() if col.null_count else None)
    joined = pc.binary_join(lists, _s(", "))
    return pc.fill_null(pc.binary_join_element_wise(_s(prefix + "["), joined, _s("]"), _s("")),
                        _s(prefix + "null"))


def _by_python(col: pa.Array, prefix: str, spell: Callable[[Any], str]) -> pa.Array:
    """Python's spelling for the cells that hold a value; ``null`` for the rest."""
    valid = col.is_valid()
    mask = valid.to_numpy(zero_copy_only=False)
    texts = pa.array([prefix + "null"] * len(col), pa.large_string())
    if mask.any():
        spelled = [prefix + spell(v) for v in col.filter(valid).to_pylist()]
        texts = pc.replace_with_mask(texts, valid, pa.array(spelled, pa.large_string()))
    return texts


_SPELLERS: list[tuple[Callable[[pa.DataType], bool], Callable[[pa.Array, str], Cells]]] = [
    (lambda t: pa.types.is_string(t) or pa.types.is_large_string(t), _strings),
    (pa.types.is_boolean, _booleans),
    (pa.types.is_integer, _integers),
    (pa.types.is_floating, _floats),
    (pa.types.is_date, _dates),
    (lambda t: pa.types.is_list(t) or pa.types.is_large_list(t), _lists),
]


def _merge_scalars(parts: list[Cells]) -> list[Cells]:
    """Neighbouring constant texts as one (fewer pieces for the join to copy per row)."""
    out: list[Cells] = []
    for part in parts:
        if isinstance(part, pa.Scalar) and out and isinstance(out[-1], pa.Scalar):
            out[-1] = _s(out[-1].as_py() + part.as_py())
        else:
            out.append(part)
    return out


def _text_view(lines: pa.Array) -> memoryview:
    """The text of a large_string array without nulls, concatenated: a view of its data buffer."""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset:lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[offsets[0]:offsets[-1]]
