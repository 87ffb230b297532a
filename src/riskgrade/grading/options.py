"""How to read, grade and write a run: one options object that the API, the CLI, Dask and the service
build once, validated once.

Each option is one field; a new one (a header mapping, an output language …) is one more field here
and one use where it is read. The options are checked as they are built (types, ranges) and against
the packs when a ``Grader`` takes them (parameters the packs declare, values they allow).

>>> GradeOptions(as_of="2026-11-01", encoding="gb18030").as_of
datetime.date(2026, 11, 1)
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..backends.base import resolve_params
from ..compiler.program import Program
from ..errors import OptionError

# Input columns carried into every record when present: what a bureau files grades under.
DEFAULT_KEEP = ("name", "city", "county", "station", "grid")


class GradeOptions(BaseModel):
    """The options of a grading run.

    - ``as_of``: the grading date (an input, never the clock: the same date gives the same grades);
    - ``params``: pack parameters by name (e.g. ``{"region": "fujian"}``);
    - reading: ``chunk_rows`` per chunk, the text ``encoding`` (default: detected), the xlsx ``sheet``
      (default: the first), the ``id_column`` (default: ``entity_id`` or ``id``);
    - results: ``keep``, input columns carried into every record (absent ones come out empty);
      without it, those of ``keep_if_present`` the input has (default: name, city, county, station,
      grid); ``explain``, an ``explanation`` column (JSON text) on every record.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: dt.date
    params: dict[str, Any] = {}
    chunk_rows: int = Field(65536, ge=1)
    encoding: str | None = None
    sheet: str | None = None
    id_column: str | None = None
    keep: tuple[str, ...] | None = None
    keep_if_present: tuple[str, ...] = DEFAULT_KEEP
    explain: bool = False

    def __init__(self, **options: Any) -> None:
        try:
            super().__init__(**options)
        except ValidationError as exc:  # one error tree for the caller: OptionError, exit code 2
            raise OptionError("; ".join(_problem(e) for e in exc.errors())) from None

    @field_validator("as_of", mode="before")
    @classmethod
    def _a_date(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):  # a time of day would be silently dropped
            raise ValueError(f"must be a date, not a date and time ({value!r})")
        return value

    @field_validator("params", mode="before")
    @classmethod
    def _no_params(cls, value: Any) -> Any:
        return {} if value is None else dict(value) if isinstance(value, Mapping) else value

    @classmethod
    def of(cls, options: "GradeOptions | None" = None, **changes: Any) -> "GradeOptions":
        """``options`` with ``changes`` applied (or new options from ``changes``), validated. Options
        built from the same keywords are built once (they are immutable): a caller grading entity
        after entity with ``as_of=…`` pays for validation once."""
        if options is not None:
            return cls(**{**dict(options), **changes}) if changes else options
        key = _key(changes)
        found = _RECENT.get(key) if key is not None else None
        if found is None:
            found = cls(**changes)
            if key is not None:
                if len(_RECENT) >= 256:
                    _RECENT.clear()
                _RECENT[key] = found
        return found

    def check(self, programs: Sequence[Program]) -> dict[str, dict[str, Any]]:
        """Each pack's parameters with these options applied; raises OptionError for a parameter no
        pack declares or a value a pack does not allow."""
        if not programs:
            raise OptionError("no rule packs to grade with")
        declared = {name for p in programs for name in p.params}
        unknown = sorted(set(self.params) - declared)
        if unknown:
            raise OptionError(f"unknown parameter(s) {', '.join(unknown)}; the packs declare: "
                              f"{', '.join(sorted(declared)) or 'none'}")
        return {p.pack_id: resolve_params(p, self.params_for(p)) for p in programs}

    def params_for(self, program: Program) -> dict[str, Any]:
        """The parameters given that ``program`` declares."""
        return {k: v for k, v in self.params.items() if k in program.params}


_RECENT: dict[Any, GradeOptions] = {}


def _key(changes: Mapping[str, Any]) -> Any:
    """A hashable key for keyword options (types included: 1 and 1.0 and True stay apart), or None."""
    def freeze(value: Any) -> Any:
        if isinstance(value, Mapping):
            return ("map", tuple(sorted((str(k), freeze(v)) for k, v in value.items())))
        if isinstance(value, (list, tuple)):
            return ("seq", tuple(freeze(v) for v in value))
        return (type(value).__name__, value)
    if len(changes) == 1 and type(changes.get("as_of")) is dt.date:  # grade(entity, packs, as_of=day)
        return ("as_of", changes["as_of"])
    try:
        key = tuple(sorted((k, freeze(v)) for k, v in changes.items()))
        hash(key)
    except TypeError:
        return None
    return key


def _problem(error: Mapping[str, Any]) -> str:
    where = ".".join(str(p) for p in error.get("loc", ())) or "options"
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}"
