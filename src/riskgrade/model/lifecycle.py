"""What happens to an entity between gradings: hazards found and rectified, deadlines, follow-ups,
accidents and complaint runs (the pack's ``lifecycle`` section).

Durations are whole hours or days, so a deadline is exact and a replay reproduces it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .common import Ident, Strict, Text

TriggerOn = Literal["complaint", "vehicle_alarm", "violation"]


class Rectification(Strict):
    """Deadline per hazard severity, in hours from the moment the hazard was found.

    A vehicle pack writes ``deadline_hours: {any: 24}``; a ``hazard_found`` event that brings its own
    deadline keeps it. ``default_hours`` covers severities the table does not name.
    """

    deadline_hours: dict[Ident, int] = {}
    default_hours: int | None = Field(None, ge=1)
    basis: str | None = None

    @model_validator(mode="after")
    def _positive(self) -> "Rectification":
        bad = [k for k, v in self.deadline_hours.items() if v < 1]
        if bad:
            raise ValueError(f"deadline_hours must be at least 1 hour (check: {', '.join(bad)})")
        if not self.deadline_hours and self.default_hours is None:
            raise ValueError("give 'deadline_hours' per severity, or 'default_hours', or both")
        return self


class Overdue(Strict):
    """What a hazard past its deadline does: raise the entity's level, shorten its inspection
    interval (``interval_multiply`` and/or ``interval_max_days``), and alert the tiers named."""

    raise_: int = Field(1, alias="raise", ge=0, le=3)
    interval_multiply: float | None = Field(None, gt=0, le=1)
    interval_max_days: int | None = Field(None, ge=1)
    alert: list[Ident] = []
    basis: str | None = None


class FollowUp(Strict):
    """A follow-up inspection (回头看) is due within ``within_days`` of a rectification."""

    within_days: int = Field(ge=1)
    alert: list[Ident] = []
    basis: str | None = None


class AccidentEffect(Strict):
    """An accident raises the entity's level by ``raise`` for ``days`` days."""

    raise_: int = Field(1, alias="raise", ge=1, le=3)
    days: int = Field(365, ge=1)
    alert: list[Ident] = []
    basis: str | None = None


class Trigger(Strict):
    """``count`` events of kind ``event`` within ``within_days`` call for an unscheduled inspection.
    (Not ``on``: YAML 1.1 reads a bare ``on`` key as ``true``.)"""

    id: Ident
    event: TriggerOn = "complaint"
    count: int = Field(ge=1)
    within_days: int = Field(ge=1)
    alert: list[Ident] = []
    label: Text | None = None
    basis: str | None = None


class Lifecycle(Strict):
    """The lifecycle rules of a pack; every tier named under ``alert`` must exist in ``controls.tiers``."""

    rectification: Rectification
    overdue: Overdue = Overdue()
    follow_up: FollowUp | None = None
    accident: AccidentEffect | None = None
    unscheduled_inspection: list[Trigger] = []
    local_choice: bool = False
    note: Text | None = None
