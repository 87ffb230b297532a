"""One entity's grades as Python objects: the long form's columns as a record per pack, and the
entity's overall level. What ``riskgrade.grade`` returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict


class PackResult(BaseModel):
    """One pack's grade of one entity (the long form's columns)."""

    model_config = ConfigDict(frozen=True)

    pack: str
    pack_version: str
    pack_sha256: str
    applies: bool | None  # None: undecided, the data that decides it is missing (see data_gaps)
    level: str | None
    rank: int | None
    color: str | None
    score: float | None
    fired: list[str]
    controls: list[str]
    responsible: str | None
    inspection_interval_days: int | None
    next_inspection: dt.date | None
    inspection_overdue_days: int | None = None
    inspection_modifiers: list[str] = []
    data_gaps: list[str]
    derived: dict[str, Any]


class EntityResult(BaseModel):
    """An entity's grade by every pack, and its overall level (the most severe pack that applies)."""

    model_config = ConfigDict(frozen=True)

    entity_id: str | None
    as_of: dt.date
    level: str | None
    rank: int | None
    color: str | None
    packs: list[PackResult]

    def pack(self, pack_id: str) -> PackResult:
        return next(p for p in self.packs if p.pack == pack_id)
