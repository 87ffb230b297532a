"""Stage ``check_lifecycle``: the pack's ``lifecycle`` section -> a frozen ``CompiledLifecycle``.

Durations become whole seconds (the engine's clock unit); tiers named under ``alert`` are checked
against ``controls.tiers``; effects that can do nothing on this pack are reported as warnings.
Codes: RG360 unknown tier, RG361 an overdue raise that spans the whole scale, RG362 an interval change
without an ``inspection`` section, RG363 two triggers with one id.
"""

from __future__ import annotations

from dataclasses import dataclass

from .stages import Context

HOUR = 3600
DAY = 86400


@dataclass(frozen=True)
class CompiledTrigger:
    id: str
    event: str  # complaint | vehicle_alarm | violation
    count: int
    window: int  # seconds
    alert: tuple[str, ...]


@dataclass(frozen=True)
class CompiledLifecycle:
    """Lifecycle rules in engine units (seconds, level steps, tier ids)."""

    deadlines: tuple[tuple[str, int], ...]  # (hazard severity, seconds)
    default_deadline: int | None  # seconds, for severities not listed
    overdue_raise: int
    overdue_multiply: float | None
    overdue_max_days: int | None
    overdue_alert: tuple[str, ...]
    follow_up_within: int | None  # seconds
    follow_up_alert: tuple[str, ...]
    accident_raise: int
    accident_duration: int | None  # seconds
    accident_alert: tuple[str, ...]
    triggers: tuple[CompiledTrigger, ...]

    def deadline_for(self, severity: str) -> int | None:
        """Seconds allowed to rectify a hazard of this severity (None: the pack sets no deadline)."""
        for sev, seconds in self.deadlines:
            if sev == severity:
                return seconds
        return self.default_deadline


def check_lifecycle(ctx: Context) -> CompiledLifecycle | None:
    """Check the lifecycle section and build its IR; None when the pack has none."""
    spec = ctx.pack.lifecycle
    if spec is None:
        return None
    _check_tiers(ctx, "/lifecycle/overdue/alert", spec.overdue.alert)
    n_levels = len(ctx.pack.levels)
    if n_levels > 2 and spec.overdue.raise_ >= n_levels - 1:
        ctx.error("RG361", f"raise {spec.overdue.raise_} covers the whole scale of {n_levels} levels: any "
                  f"overdue hazard makes an entity '{ctx.pack.levels[0].id}'", "/lifecycle/overdue/raise",
                  severity="warning")
    changes_interval = spec.overdue.interval_multiply is not None or spec.overdue.interval_max_days is not None
    if changes_interval and ctx.pack.inspection is None:
        ctx.error("RG362", "the overdue effect shortens the inspection interval, but the pack has no "
                  "'inspection' section", "/lifecycle/overdue", severity="warning")
    follow = spec.follow_up
    if follow is not None:
        _check_tiers(ctx, "/lifecycle/follow_up/alert", follow.alert)
    accident = spec.accident
    if accident is not None:
        _check_tiers(ctx, "/lifecycle/accident/alert", accident.alert)
    triggers = []
    seen: set[str] = set()
    for i, t in enumerate(spec.unscheduled_inspection):
        pointer = f"/lifecycle/unscheduled_inspection/{i}"
        if t.id in seen:
            ctx.error("RG363", f"trigger id '{t.id}' is used twice", f"{pointer}/id")
        seen.add(t.id)
        _check_tiers(ctx, f"{pointer}/alert", t.alert)
        triggers.append(CompiledTrigger(t.id, t.event, t.count, t.within_days * DAY, tuple(t.alert)))
    rect = spec.rectification
    return CompiledLifecycle(
        deadlines=tuple((sev, hours * HOUR) for sev, hours in rect.deadline_hours.items()),
        default_deadline=None if rect.default_hours is None else rect.default_hours * HOUR,
        overdue_raise=spec.overdue.raise_, overdue_multiply=spec.overdue.interval_multiply,
        overdue_max_days=spec.overdue.interval_max_days, overdue_alert=tuple(spec.overdue.alert),
        follow_up_within=None if follow is None else follow.within_days * DAY,
        follow_up_alert=() if follow is None else tuple(follow.alert),
        accident_raise=0 if accident is None else accident.raise_,
        accident_duration=None if accident is None else accident.days * DAY,
        accident_alert=() if accident is None else tuple(accident.alert),
        triggers=tuple(triggers),
    )


def _check_tiers(ctx: Context, pointer: str, tiers: list[str]) -> None:
    known = ctx.pack.controls.tiers
    for j, tier in enumerate(tiers):
        if tier not in known:
            names = ", ".join(known) or "none declared"
            ctx.error("RG360", f"unknown tier '{tier}' (tiers: {names}; declare it under controls.tiers)",
                      f"{pointer}/{j}")


__all__ = ["CompiledLifecycle", "CompiledTrigger", "check_lifecycle"]
