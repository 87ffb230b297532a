"""One entity's grades as Python objects: the long form's columns as a record per pack, and the
entity's overall level. What ``riskgrade.grade`` returns."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

M = TypeVar("M", bound=BaseModel)


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

    @classmethod
    def of_record(cls, record: dict[str, Any]) -> "PackResult":
        """An engine's record (the long form's columns in order, the derived values under
        ``derived``), taken over as it is — the record becomes the result's fields, so the caller
        must not keep using it; the engines give these types, so nothing is validated again."""
        return trusted(cls, record)


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


def trusted(cls: type[M], values: dict[str, Any]) -> M:
    """A result built from every one of its fields, already of the right types (an engine's output):
    what pydantic's ``model_construct`` does for a model without aliases, extras, private attributes
    or post-init, without its per-field walk (it cost a third of the time of grading one entity)."""
    model = _new(cls)
    _set_dict(model, values)
    _set_fields(model, set(values))
    _set_extra(model, None)
    _set_private(model, None)
    return model


_new = object.__new__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
