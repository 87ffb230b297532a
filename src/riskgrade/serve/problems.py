"""Errors as RFC 9457 problem details, carrying the library's diagnostic codes and locations.

Every error a client sees is ``application/problem+json``: ``type``, ``title``, ``status``,
``detail``, ``instance``, plus ``code`` (the library's ``RGxxx``; ``RG7xx`` for the service's own:
see ``CODES``) and, where there are several, ``errors`` (each with its code and location: file,
line, col, JSON pointer and rule id for a pack; row, entity id and field for an entity). No traceback
ever reaches a client; an unexpected error is logged with an id the client is given.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..errors import (ColumnsError, EngineError, InputError, MappingError, OptionError, OutputError, PackError,
                      RiskgradeError)

log = logging.getLogger("riskgrade.serve")
MEDIA_TYPE = "application/problem+json"

# The service's own codes (the library's RG1xx–RG6xx pass through unchanged).
CODES = {
    "RG701": ("invalid-json", "The body is not valid JSON"),
    "RG702": ("body-too-large", "The request body is too large"),
    "RG703": ("unauthorized", "A valid bearer token is required"),
    "RG704": ("unknown-pack", "No such pack"),
    "RG705": ("unsupported-media-type", "Unsupported media type"),
    "RG706": ("timeout", "The request took too long"),
    "RG707": ("too-many-records", "Too many records for a JSON answer"),
    "RG708": ("not-found", "Not found"),
    "RG709": ("invalid-request", "The request is not valid"),
    "RG710": ("internal-error", "Internal error"),
    "RG711": ("no-event-database", "The service runs without an event database"),
    "RG712": ("no-graded-registry", "No registry has been graded yet"),
    "RG713": ("invalid-mapping", "The registry mapping has problems"),
    "RG714": ("columns-do-not-serve", "The columns do not serve the packs (strict)"),
}


class Problem(Exception):
    """An error answered as problem details."""

    def __init__(self, status: int, code: str, detail: str, *, title: str | None = None,
                 errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None,
                 **extra: Any):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.title = title or CODES.get(code, ("", "Error"))[1]
        self.errors, self.headers, self.extra = errors, headers, extra

    def body(self, instance: str) -> dict[str, Any]:
        slug = CODES.get(self.code, (None,))[0]
        out: dict[str, Any] = {"type": f"/problems/{slug}" if slug else "about:blank", "title": self.title,
                               "status": self.status, "detail": self.detail, "instance": instance,
                               "code": self.code}
        if self.errors is not None:
            out["errors"] = self.errors
        out.update(self.extra)
        return out


def response(problem: Problem, instance: str) -> Response:
    body = json.dumps(problem.body(instance), ensure_ascii=False, default=str)
    return Response(body, status_code=problem.status, media_type=MEDIA_TYPE, headers=problem.headers)


def from_library(exc: RiskgradeError) -> Problem:
    """A library error as a problem: packs and options are the client's to fix (422), engines are ours."""
    if isinstance(exc, PackError):
        errors = [d.to_dict() for d in exc.diagnostics]
        first = next((d for d in exc.diagnostics if d.severity == "error"), exc.diagnostics[0])
        return Problem(422, first.code, str(exc).splitlines()[0], title="The rule pack has errors", errors=errors)
    if isinstance(exc, MappingError):
        errors = [{"code": "RG713", "message": message, "file": loc.file, "line": loc.line, "col": loc.col,
                   "pointer": loc.pointer} for loc, message in exc.problems]
        return Problem(422, "RG713", str(exc).splitlines()[0], errors=errors)
    if isinstance(exc, ColumnsError):
        problems = exc.report.problems() if hasattr(exc.report, "problems") else [str(exc)]
        return Problem(422, "RG714", str(exc), errors=[{"code": "RG714", "message": p} for p in problems])
    if isinstance(exc, InputError):
        where = {"file": exc.file or None, "row": exc.row, "field": exc.column}
        return Problem(422, "RG400", str(exc), title="The entities cannot be read",
                       errors=[{"code": "RG400", "message": str(exc), **where}])
    if isinstance(exc, OptionError):
        return Problem(422, "RG709", str(exc), title="Invalid grading option")
    if isinstance(exc, (EngineError, OutputError)):
        return internal(exc)
    return Problem(400, "RG709", str(exc))


def internal(exc: BaseException) -> Problem:
    """Log the error with an id and tell the client only the id."""
    incident = uuid.uuid4().hex[:12]
    log.error("internal error %s: %s", incident, type(exc).__name__, exc_info=exc)
    return Problem(500, "RG710", f"the service failed on this request; quote incident {incident} to its operator",
                   incident=incident)


def install(app: Any) -> None:
    """Answer every error with problem details: ours, the library's, FastAPI's and Starlette's."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    async def on_problem(request: Request, exc: Problem) -> Response:
        return response(exc, request.url.path)

    async def on_library(request: Request, exc: RiskgradeError) -> Response:
        return response(from_library(exc), request.url.path)

    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"code": "RG709", "message": e.get("msg", ""), "location": [str(x) for x in e.get("loc", ())]}
                  for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(e['location'])}: {e['message']}" for e in errors[:5])
        return response(Problem(422, "RG709", detail, errors=errors), request.url.path)

    async def on_http(request: Request, exc: HTTPException) -> Response:
        code = {404: "RG708", 413: "RG702", 401: "RG703", 415: "RG705"}.get(exc.status_code, "RG709")
        problem = Problem(exc.status_code, code, str(exc.detail), title=_reason(exc.status_code),
                          headers=getattr(exc, "headers", None))
        return response(problem, request.url.path)

    async def on_error(request: Request, exc: Exception) -> Response:
        return response(internal(exc), request.url.path)

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RiskgradeError, on_library)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Exception, on_error)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
