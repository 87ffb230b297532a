"""Raw chunks: what a reader hands to grading, before any cell is converted.

A chunk keeps the values as the file holds them (an Arrow table, one column per input column) with
each row's number in the source, so that every message can say where a row came from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa


@dataclass
class RawChunk:
    """A run of consecutive rows, one column per input column, with each row's source row number."""

    table: pa.Table
    row_numbers: np.ndarray  # int64: line (CSV, JSONL), sheet row (xlsx) or 1-based position

    def __len__(self) -> int:
        return self.table.num_rows


@dataclass
class SourceReject:
    """A row that could not even be split into cells; ``reason`` says what is wrong and what to do."""

    row: int
    reason: str
