"""Inspection frequency: a base interval per level, modifiers, and seasonal campaigns."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from .common import Expression, Ident, Name, Strict, Text

MonthDay = Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
# The longest interval between inspections (ten years): base intervals and caps may not exceed it,
# and an interval stretched by modifiers is cut to it, so every next inspection stays on the calendar.
MAX_INTERVAL_DAYS = 3650
Days = Annotated[int, Field(ge=1, le=MAX_INTERVAL_DAYS)]


class _Adjustment(Strict):
    """``multiply`` scales the interval (0.5 halves it); ``max_days`` caps it."""

    id: Ident
    label: Text | None = None
    multiply: float | None = Field(None, gt=0)
    max_days: Days | None = None
    basis: str | None = None
    local_choice: bool = False

    @model_validator(mode="after")
    def _has_effect(self) -> "_Adjustment":
        if self.multiply is None and self.max_days is None:
            raise ValueError("give 'multiply' or 'max_days' (or both)")
        return self


class Modifier(_Adjustment):
    """Applies to an entity whose ``when`` expression is true (e.g. ``open_hazards > 0``)."""

    when: Expression


class Campaign(_Adjustment):
    """Applies while the grading date lies in ``from``..``to`` (MM-DD, inclusive; may wrap the year)."""

    start: MonthDay = Field(alias="from")
    end: MonthDay = Field(alias="to")
    levels: list[Ident] | None = None


class Inspection(Strict):
    """Interval per level in days (1 to ``MAX_INTERVAL_DAYS``); ``last_inspection`` names the date field
    the next due date counts from."""

    interval_days: dict[Ident, Days]
    last_inspection: Name | None = None
    basis: str | None = None
    local_choice: bool = False
    note: Text | None = None
    modifiers: list[Modifier] = []
    campaigns: list[Campaign] = []
