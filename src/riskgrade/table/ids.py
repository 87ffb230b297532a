"""Entity ids: how a cell becomes an id, and which ids a grading run has already seen, in memory that
stays small for millions of rows.

An id is compared as text with invisible characters removed (a byte-order mark left inside a row by
concatenated exports, zero-width spaces and joiners), in Unicode's composed form (NFC), without
surrounding whitespace: ``"\ufeffFS-1 "`` and ``"FS-1"`` are one entity, not two.

Ids are kept as 64-bit hashes (Python's ``hash`` of the text: stable within a process, which is all a
run needs) with the row where each was first seen, in sorted blocks merged like a log-structured
tree: a new block is merged into its neighbour while that is no more than twice its size, so each
hash is re-sorted O(log n) times. Two distinct ids collide with probability ~n²/2⁶⁵ (10⁷ ids: 3·10⁻⁶).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_INVISIBLE = "[\ufeff\u200b\u200c\u200d\u2060]"
_INVISIBLE_RE = re.compile(_INVISIBLE)


def normalise_ids(text: pa.Array) -> pa.Array:
    """Ids as compared and written: invisible characters removed, NFC, whitespace trimmed."""
    if pc.any(pc.match_substring_regex(text, _INVISIBLE)).as_py():
        text = pc.replace_substring_regex(text, _INVISIBLE, "")
    if not pc.all(pc.string_is_ascii(text)).as_py():  # ASCII is composed already
        text = pc.utf8_normalize(text, "NFC")
    return pc.utf8_trim_whitespace(text)


def normalise_id(text: str) -> str:
    """One id as ``normalise_ids`` makes it."""
    return unicodedata.normalize("NFC", _INVISIBLE_RE.sub("", text)).strip()


class SeenIds:
    def __init__(self) -> None:
        self._blocks: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted hashes, first rows)

    def add(self, ids: list[str], rows: np.ndarray) -> np.ndarray:
        """Record ids in order; return for each the row it was first seen at, or -1 if it is new."""
        hashes = np.fromiter(map(hash, ids), dtype=np.int64, count=len(ids))
        order = np.argsort(hashes, kind="stable")
        sorted_hashes = hashes[order]
        first = np.full(len(ids), -1, dtype=np.int64)
        for keys, block_rows in self._blocks:
            # sorted needles make the binary searches walk the block in order (cache-friendly)
            pos = np.clip(np.searchsorted(keys, sorted_hashes), 0, len(keys) - 1)
            hit = (keys[pos] == sorted_hashes) & (first[order] < 0)
            first[order[hit]] = block_rows[pos[hit]]
        # repeats inside this batch: every occurrence after the first points at the first
        starts = np.r_[True, sorted_hashes[1:] != sorted_hashes[:-1]]
        head = order[np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
        inner = (head != order) & (first[order] < 0)
        first[order[inner]] = rows[head[inner]]
        new = starts & (first[order] < 0)
        self._push(sorted_hashes[new], rows[order[new]])
        return first

    def _push(self, keys: np.ndarray, rows: np.ndarray) -> None:
        if len(keys) == 0:
            return
        self._blocks.append((keys, rows))
        while len(self._blocks) > 1 and len(self._blocks[-2][0]) <= 2 * len(self._blocks[-1][0]):
            (k1, r1), (k2, r2) = self._blocks.pop(), self._blocks.pop()
            keys, rows = np.concatenate([k2, k1]), np.concatenate([r2, r1])
            order = np.argsort(keys, kind="stable")
            self._blocks.append((keys[order], rows[order]))
