"""What every part of the harness shares: where things are, the grading date, the chunk size."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
ROOT = BENCH.parent
AS_OF = dt.date(2026, 11, 1)
SEED = 1
CHUNK = 65536
BIG = 10_000_000  # from this size on, chunks are streamed from the file, not held in memory


def say(text: str) -> None:
    """Progress on stderr (the results go to files)."""
    print(text, file=sys.stderr, flush=True)
