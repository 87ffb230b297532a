"""How to read, grade and write a run: one options object that the API, the CLI, Dask and the service
build once, validated once.

Each option is one field; a new one (a header mapping, an output language …) is one more field here
and one use where it is read. The options are checked as they are built (types, ranges) and against
the packs when a ``Grader`` takes them (parameters the packs declare, values they allow).

>>> GradeOptions(as_of="2026-11-01", encoding="gb18030").as_of
datetime.date(2026, 11, 1)
"""

from __future__ import annotations

import codecs
import datetime as dt
from os import PathLike
from typing import Any, Literal, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..backends.base import resolve_params
from ..compiler.program import Program
from ..errors import OptionError
from ..model.mapping import RegistryMapping
from ..resolve import DEFAULT_CARRIED
from ..results.tables import OUTPUT_COLUMNS
from ..source.mapping_source import LoadedMapping, mapping_from_data, read_mapping
from ..table.convert import DATE_MAX, DATE_MIN

# Input columns carried into every record when present: what a bureau files grades under.
DEFAULT_KEEP = DEFAULT_CARRIED


class GradeOptions(BaseModel):
    """The options of a grading run.

    - ``as_of``: the grading date (an input, never the clock: the same date gives the same grades);
    - ``params``: pack parameters by name (e.g. ``{"region": "fujian"}``);
    - reading: ``chunk_rows`` per chunk, the text ``encoding`` (default: detected), the xlsx ``sheet``
      (default: the first), the ``id_column`` (default: ``entity_id`` or ``id``);
    - resolving: ``mapping``, what the registry calls the packs' columns and values (a YAML file's
      path, a dict of the same shape, or a ``RegistryMapping``);
    - ``strict``: grade nothing on information the packs lack. An input whose columns do not serve the
      packs (unknown columns, absent fields a rule needs: the column report's problems) is refused
      before anything is written (``ColumnsError``), and a row a pack cannot tell it applies to (the
      data deciding ``applies_when`` is missing, code RG406) is rejected instead of being graded
      undecided (``applies`` null, the fields in data_gaps);
    - results: ``keep``, input columns carried into every record besides those of
      ``keep_if_present`` the input has (default: name, address, city, county, station, grid; absent
      kept columns come out empty); ``explain``, an ``explanation`` column (JSON text) on every record;
    - for people: ``lang`` ("en" or "zh") of csv and xlsx headers, levels and messages, and of the
      rejects' reasons; ``output_encoding`` of CSV output (default UTF-8 with a BOM; e.g. "gb18030").
    - writing: ``escape_formulas`` (default on), text a spreadsheet would run as a formula (it starts
      with = + - @, a tab or a carriage return) written as text: a string cell in xlsx, a leading
      ``'`` in CSV, in the results and in the rejects file.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    as_of: dt.date
    params: dict[str, Any] = {}
    chunk_rows: int = Field(65536, ge=1)
    encoding: str | None = None
    sheet: str | None = None
    id_column: str | None = None
    keep: tuple[str, ...] | None = None
    keep_if_present: tuple[str, ...] = DEFAULT_KEEP
    explain: bool = False
    mapping: LoadedMapping | None = None
    strict: bool = False
    lang: Literal["en", "zh"] = "en"
    output_encoding: str | None = None
    escape_formulas: bool = True

    def __init__(self, **options: Any) -> None:
        # a mapping file is read here, once, so that its own errors (MappingError, with line and
        # column) reach the caller as they are
        options["mapping"] = _mapping(options.get("mapping"))
        try:
            super().__init__(**options)
        except ValidationError as exc:  # one error tree for the caller: OptionError, exit code 2
            raise OptionError("; ".join(_problem(e) for e in exc.errors())) from None

    @field_validator("keep", mode="after")
    @classmethod
    def _keep_not_an_output(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        clash = [name for name in value or () if name in OUTPUT_COLUMNS]
        if clash:
            raise ValueError(f"{', '.join(repr(c) for c in clash)} is a column the results already have; a "
                             "kept column of that name would be written twice. Rename the input column "
                             "(or map it to another name in a mapping file) and keep it under that name")
        return value

    @field_validator("output_encoding", mode="after")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            info = codecs.lookup(value)
        except LookupError:
            raise ValueError(f"unknown encoding {value!r}; use e.g. 'utf-8' or 'gb18030'") from None
        if not getattr(info, "_is_text_encoding", True):  # rot13, hex, zlib: bytes to bytes
            raise ValueError(f"{value!r} is not a text encoding; use e.g. 'utf-8' or 'gb18030'")
        return info.name

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

    @property
    def carried(self) -> tuple[str, ...]:
        """Every column carried when present: ``keep_if_present`` then ``keep``."""
        return tuple(dict.fromkeys((*self.keep_if_present, *(self.keep or ()))))


def _mapping(value: Any) -> LoadedMapping | None:
    if value is None or isinstance(value, LoadedMapping):
        return value
    if isinstance(value, (str, PathLike)):
        return read_mapping(value)
    if isinstance(value, (Mapping, RegistryMapping)):
        return mapping_from_data(dict(value) if isinstance(value, Mapping) else value)
    raise OptionError(f"mapping: give a YAML file's path, a dict or a RegistryMapping, not a {type(value).__name__}")


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
