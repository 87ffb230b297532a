"""Event-driven monitoring: hazards, deadlines, follow-ups, accidents and complaint runs, on the
durable_rules engine, with a crash-safe SQLite journal (``Monitor``)."""

from .models import EVENT_TYPES, EventError, parse_event
from .monitor import Monitor, Outcome, alert_line

__all__ = ["EVENT_TYPES", "EventError", "Monitor", "Outcome", "alert_line", "parse_event"]
