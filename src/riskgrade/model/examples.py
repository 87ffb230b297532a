"""Pack examples: entities with the outcome the panel expects — the pack's own tests."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from .common import Ident, Strict, Text


class Expectation(Strict):
    """What the panel expects. Only the keys given are checked. ``applies: undecided``: the data that
    decides whether the pack applies is missing."""

    applies: bool | Literal["undecided"] | None = None
    level: Ident | None = None
    fired: list[Ident] | None = None
    score: float | None = None
    controls: list[Ident] | None = None
    interval_days: int | None = None
    derived: dict[str, Any] | None = None
    data_gaps: list[str] | None = None


class Example(Strict):
    id: Ident
    description: Text | None = None
    as_of: dt.date
    params: dict[str, Any] = {}
    entity: dict[str, Any]
    expect: Expectation
