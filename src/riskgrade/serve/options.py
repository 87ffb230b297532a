"""The one place where a request's query becomes grading options, so that every endpoint and page
grades the same way and a new library option (header mapping, strict reading, output language) is
passed through by adding it here.

Query parameters: ``as_of`` (YYYY-MM-DD, default today), ``pack`` (repeatable: grade with these packs
only), ``param`` (repeatable ``name=value``, e.g. ``region=fujian``; the value is read as JSON when it
can be), ``explain`` (true/false), ``lang`` (zh/en, for texts meant for people), ``strict``, ``keep``,
``id_column``, ``encoding``, ``sheet``; a form may bring a registry mapping (a ``mapping`` YAML part).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..api import GradeOptions
from ..compiler import Program
from .problems import Problem

LANGS = ("zh", "en")


@dataclass(frozen=True)
class RequestOptions:
    """A request's options: the library's ``GradeOptions`` and what only a request says (which packs,
    whether to explain, the language of texts for people)."""

    grading: GradeOptions
    packs: tuple[str, ...] = ()
    explain: bool = False
    lang: str = "zh"

    @property
    def as_of(self) -> dt.date:
        return self.grading.as_of

    @property
    def params(self) -> Mapping[str, Any]:
        return self.grading.params

    def programs(self, served: Mapping[str, Program]) -> list[Program]:
        """The packs to grade with: the ones asked for (404 for an unknown id), else every pack served."""
        if not self.packs:
            return list(served.values())
        unknown = [p for p in self.packs if p not in served]
        if unknown:
            raise Problem(404, "RG704", f"no pack {', '.join(map(repr, unknown))}; this service has: "
                                        f"{', '.join(served) or 'none'}", pack=unknown[0])
        return [served[p] for p in self.packs]


def from_query(query: Sequence[tuple[str, str]], *, today: dt.date | None = None,
               mapping: Any = None) -> RequestOptions:
    """Options from the (repeatable) query parameters; 422 problem details say what is wrong.
    ``mapping`` is a registry mapping the request brought (a form's YAML part, saved to a file)."""
    values: dict[str, list[str]] = {}
    for key, value in query:
        values.setdefault(key, []).append(value)
    reading = {name: _one(values, name) for name in ("id_column", "encoding", "sheet") if values.get(name)}
    lang = _lang(_one(values, "lang")) if "lang" in values else None
    grading = GradeOptions(
        as_of=_date(_one(values, "as_of")) if "as_of" in values else (today or dt.date.today()),
        params=dict(_param(v) for v in values.get("param", [])),
        strict=_flag("strict", _one(values, "strict")) if "strict" in values else False,
        keep=tuple(values["keep"]) if values.get("keep") else None,
        mapping=mapping, **reading, **({"lang": lang} if lang else {}))
    return RequestOptions(
        grading=grading,
        packs=tuple(p for v in values.get("pack", []) for p in v.split(",") if p),
        explain=_flag("explain", _one(values, "explain")) if "explain" in values else False,
        lang=lang or "zh",
    )


def _one(values: dict[str, list[str]], key: str) -> str:
    return values[key][-1]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _bad("as_of", f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _param(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise _bad("param", f"expected NAME=VALUE, got {text!r}")
    try:
        return name.strip(), json.loads(value)
    except json.JSONDecodeError:
        return name.strip(), value


def _flag(name: str, text: str) -> bool:
    if text.lower() in ("true", "1", "yes", "on"):
        return True
    if text.lower() in ("false", "0", "no", "off", ""):
        return False
    raise _bad(name, f"expected true or false, got {text!r}")


def _lang(text: str) -> str:
    if text not in LANGS:
        raise _bad("lang", f"expected one of {', '.join(LANGS)}, got {text!r}")
    return text


def _bad(name: str, message: str) -> Problem:
    return Problem(422, "RG709", f"query parameter {name}: {message}", title="Invalid grading option",
                   errors=[{"code": "RG709", "message": message, "location": ["query", name]}])


# The parameters, for the OpenAPI document of every grading endpoint.
OPENAPI_PARAMETERS = [
    {"name": "as_of", "in": "query", "required": False, "schema": {"type": "string", "format": "date"},
     "description": "the grading date (default: today); the same date gives the same grades"},
    {"name": "pack", "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}},
     "description": "grade with these packs only (repeatable)"},
    {"name": "param", "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}},
     "description": "a pack parameter NAME=VALUE, e.g. region=fujian (repeatable)"},
    {"name": "lang", "in": "query", "required": False, "schema": {"type": "string", "enum": list(LANGS)},
     "description": "language of texts meant for people: rejects' reasons, csv/xlsx headers and levels"},
    {"name": "strict", "in": "query", "required": False, "schema": {"type": "boolean"},
     "description": "refuse columns that do not serve the packs; reject rows a pack cannot tell it applies to"},
    {"name": "keep", "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}},
     "description": "input columns to carry into every record (repeatable)"},
    {"name": "id_column", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "the column of entity ids (default: entity_id, id or a built-in Chinese name)"},
    {"name": "encoding", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "text encoding of an uploaded csv (default: detected)"},
    {"name": "sheet", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "the sheet of an uploaded xlsx (default: the first)"},
]
