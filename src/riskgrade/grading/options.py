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
from ..table.convert import DATE_MAX, DATE_MIN

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
      grid); ``explain``, an ``explanation`` column (JSON text) on every record;
    - ``strict``: reject a row a pack cannot tell it applies to (the data deciding ``applies_when`` is
      missing, code RG406) instead of grading it undecided (``applies`` null, the fields in data_gaps).
    - writing: ``escape_formulas`` (default on), text a spreadsheet would run as a formula (it starts
      with = + - @, a tab or a carriage return) written as text: a string cell in xlsx, a leading
      ``'`` in CSV, in the results and in the rejects file.
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
    strict: bool = False
    escape_formulas: bool = True

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

    @field_validator("as_of")
    @classmethod
    def _on_calendar(cls, value: dt.date) -> dt.date:
        if not DATE_MIN <= value <= DATE_MAX:  # the dates entity data may hold, for the same reason
            raise ValueError(f"{value.isoformat()} is outside {DATE_MIN.isoformat()} … {DATE_MAX.isoformat()}")
        return value

    @field_validator("params", mode="before")
    @classmethod
    def _no_params(cls, value: Any) -> Any:
        return {} if value is None else dict(value) if isinstance(value, Mapping) else value

    @classmethod
    def of(cls, options: "GradeOptions | None" = None, **changes: Any) -> "GradeOptions":
        """``options`` with ``changes`` applied (or new options from ``changes``), validated."""
        if options is None:
            return cls(**changes)
        return cls(**{**dict(options), **changes}) if changes else options

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


def _problem(error: Mapping[str, Any]) -> str:
    where = ".".join(str(p) for p in error.get("loc", ())) or "options"
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}"
