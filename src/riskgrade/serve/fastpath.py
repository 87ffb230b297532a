"""``POST /v1/grade`` on a short path: the one request importing systems send by the thousand.

The framework's routing, dependency resolution and middleware layers cost about as much CPU per
request as grading one entity does, so this ASGI layer answers that one route itself and hands every
other request on. It keeps every rule the framework path keeps: the body limit and the time to send
it, the options built by ``options.from_query``, grading on the thread pool, problem details for every
error, the security headers. The route is still declared in the API (``v1.grade_one``) for the
OpenAPI document, and answers the same way.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from ..errors import RiskgradeError
from .limits import SECURITY_HEADERS
from .options import from_query
from .problems import MEDIA_TYPE, Problem, from_library, internal

PATH = "/v1/grade"


class ClientGone(Exception):
    """The client closed the connection before its body arrived."""


class FastGrade:
    def __init__(self, app: Any, get_service: Any):
        self.app = app
        self.get_service = get_service

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        try:
            status, body, media = 200, await self._grade(scope, receive), "application/json"
        except ClientGone:
            return  # nobody to answer
        except Problem as exc:
            status, body, media = exc.status, _problem(exc), MEDIA_TYPE
        except RiskgradeError as exc:
            problem = from_library(exc)
            status, body, media = problem.status, _problem(problem), MEDIA_TYPE
        except Exception as exc:  # never a traceback to the client
            problem = internal(exc)
            status, body, media = problem.status, _problem(problem), MEDIA_TYPE
        headers = [(b"content-type", media.encode()), (b"content-length", str(len(body)).encode()),
                   *SECURITY_HEADERS]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _grade(self, scope: dict[str, Any], receive: Any) -> bytes:
        from .v1 import _grade_one, parse_json, small

        svc = self.get_service()
        body = await svc.within_time(_read(scope, receive, svc.settings.max_body))
        opts = from_query(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        entity = parse_json(body)
        if not isinstance(entity, dict):
            raise Problem(422, "RG709", f"expected a JSON object of field values, got a {type(entity).__name__}")
        programs = opts.programs(svc.packs.current.programs)
        return await svc.light(_grade_one, entity, programs, opts, inline=small(body, opts))


async def _read(scope: dict[str, Any], receive: Any, limit: int) -> bytes:
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > limit:
            raise _too_large(limit)
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _too_large(limit: int) -> Problem:
    return Problem(413, "RG702", f"the request body is larger than the service accepts ({limit} bytes); "
                                 "split the file, or ask the operator to raise --max-body")


def _problem(problem: Problem) -> bytes:
    return json.dumps(problem.body(PATH), ensure_ascii=False, default=str).encode()
