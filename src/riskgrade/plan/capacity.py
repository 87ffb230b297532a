"""How many inspections each station can make per working day, and which days are working days.

A capacity file is a CSV with one row per station (or per grid, whatever unit the plan is made
for): ``station, officers, per_officer_per_day``, and optionally ``pack`` when a department has its
own officers at that station (a row with a pack serves only that pack's inspections; a row without
one serves the others). Daily capacity = officers × inspections per officer per day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..errors import InputError, OptionError
from ..source.files import RefusedFile, read_limited

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class StationCapacity:
    """One capacity row: who (unit, optionally pack) and how many inspections a working day."""

    unit: str
    officers: int
    per_officer_per_day: float
    pack: str | None = None

    @property
    def per_day(self) -> float:
        """Inspections per working day; a fraction accrues (0.5 a day is one inspection every two days)."""
        return self.officers * self.per_officer_per_day

    def slots(self, workdays: int) -> int:
        """Whole inspections in ``workdays`` working days."""
        return int(self.per_day * workdays + 1e-9)


@dataclass(frozen=True)
class Capacity:
    """Capacity rows by (unit, pack); ``pool`` finds the row that serves a unit's inspections for a pack."""

    rows: Mapping[tuple[str, str | None], StationCapacity]
    unit: str = "station"

    def pool(self, unit: str | None, pack: str) -> StationCapacity | None:
        if unit is None:
            return None
        return self.rows.get((unit, pack)) or self.rows.get((unit, None))

    @classmethod
    def from_rows(cls, rows: Iterable[StationCapacity], unit: str = "station") -> "Capacity":
        table: dict[tuple[str, str | None], StationCapacity] = {}
        for r in rows:
            key = (r.unit, r.pack)
            if key in table:
                raise OptionError(f"capacity given twice for {r.unit}" + (f" (pack {r.pack})" if r.pack else ""))
            table[key] = r
        return cls(table, unit)


# Bounds that no station reaches: past them a value is a typing error (and would overflow the plan).
MAX_CAPACITY_BYTES = 64 << 20  # a row per station and pack: a few kilobytes in practice
MAX_OFFICERS = 100_000
MAX_PER_OFFICER_PER_DAY = 1_000
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def read_capacity(path: str | os.PathLike[str], *, unit: str = "station") -> Capacity:
    """Read a capacity CSV (UTF-8, UTF-8 with BOM or GB18030). Errors name the file, row and column."""
    name = str(path)
    try:
        data = read_limited(path, MAX_CAPACITY_BYTES)
    except RefusedFile as exc:
        raise InputError(f"cannot read the capacity file: {exc.reason}", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot open the capacity file: {exc}", file=name) from None
    text = _decode(data, name)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    for needed in (unit, "officers", "per_officer_per_day"):
        if needed not in header:
            raise InputError(f"the capacity file needs the columns {unit}, officers, per_officer_per_day "
                             f"(found: {', '.join(header) or 'none'})", file=name, column=needed)
    rows = []
    for line, raw in enumerate(reader, start=2):
        who = (raw.get(unit) or "").strip()
        if not who:
            raise InputError(f"no {unit} named", file=name, row=line, column=unit)
        officers = _number(raw, "officers", name, line, whole=True, most=MAX_OFFICERS)
        per = _number(raw, "per_officer_per_day", name, line, whole=False, most=MAX_PER_OFFICER_PER_DAY)
        pack = (raw.get("pack") or "").strip() or None
        rows.append(StationCapacity(who, int(officers), per, pack))
    try:
        return Capacity.from_rows(rows, unit)
    except OptionError as exc:
        raise InputError(str(exc), file=name) from None


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("the capacity file is neither UTF-8 nor GB18030 text", file=name)


def _number(raw: Mapping[str, str | None], column: str, file: str, row: int, whole: bool, most: float) -> float:
    text = (raw.get(column) or "").strip()
    if not _DECIMAL.fullmatch(text):
        raise InputError(f"not a number: {text!r}", file=file, row=row, column=column) from None
    value = float(text)
    if not 0 <= value <= most or (whole and not value.is_integer()):
        kind = "a whole number" if whole else "a number"
        raise InputError(f"must be {kind} from 0 to {most:,g}, got {text}", file=file, row=row, column=column)
    return value


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: the weekdays worked (Mon–Fri by default), minus holidays, plus extra working days
    (the weekends a public holiday is made up on, 调休)."""

    weekdays: frozenset[int] = frozenset(range(5))  # 0 = Monday
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    extra_workdays: frozenset[dt.date] = field(default_factory=frozenset)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.weekday() in self.weekdays and day not in self.holidays

    def workdays(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days from ``start`` to ``end``, both included."""
        days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
        return [d for d in days if self.is_workday(d)]

    @classmethod
    def parse_weekdays(cls, text: str) -> frozenset[int]:
        """``mon-fri``, ``mon-sat``, ``mon,wed,fri`` or ``1-5`` (1 = Monday) as weekday numbers."""
        out: set[int] = set()
        for part in text.lower().replace(" ", "").split(","):
            lo, _, hi = part.partition("-")
            a, b = _weekday(lo, text), _weekday(hi or lo, text)
            out.update(range(a, b + 1) if a <= b else list(range(a, 7)) + list(range(0, b + 1)))
        return frozenset(out)


def _weekday(token: str, text: str) -> int:
    if token.isdigit() and 1 <= int(token) <= 7:
        return int(token) - 1
    if token[:3] in WEEKDAYS:
        return WEEKDAYS.index(token[:3])
    raise OptionError(f"not a weekday range: {text!r} (use e.g. mon-fri, mon-sat, mon,wed,fri or 1-5)")
