"""Bounds on what a client can make the service do: body size, time to send it, headers it gets."""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable

from starlette.exceptions import HTTPException

from .problems import MEDIA_TYPE, Problem

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

# What a browser may load: only what this app serves, no inline script, no framing.
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
     b"form-action 'self'; base-uri 'none'"),
]


class BodyTooLarge(HTTPException):
    """Raised while a streamed body is read past the limit; answered as 413 problem details."""

    def __init__(self, limit: int):
        super().__init__(413, f"the request body is larger than the service accepts ({limit} bytes); "
                              "split the file, or ask the operator to raise --max-body")


class Limits:
    """ASGI middleware: refuse a body over ``max_body`` bytes (413 before reading it when the length
    is declared, or as soon as a streamed body passes it) and add the security headers."""

    def __init__(self, app: Any, max_body: int):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await _refuse(scope, send, self.max_body)
            return
        seen = 0
        started = False

        async def counted() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def secured(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, counted, secured)
        except BodyTooLarge:
            if not started:
                await _refuse(scope, send, self.max_body)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    problem = Problem(413, "RG702", f"the request body is larger than the service accepts ({limit} bytes); "
                                    "split the file, or ask the operator to raise --max-body")
    body = json.dumps(problem.body(scope.get("path", "")), ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})
