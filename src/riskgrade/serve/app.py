"""The ASGI application: the JSON API under ``/v1``, the workbench pages, their static files, and the
API's own reference at ``/docs`` (rendered here from the OpenAPI document: no script from elsewhere)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from .._version import __version__
from . import problems
from .fastpath import FastGrade
from .limits import Limits
from .service import Service
from .settings import ServeSettings

PROBLEM_SCHEMA = {
    "type": "object", "description": "RFC 9457 problem details with the library's diagnostic code",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "instance": {"type": "string"},
        "code": {"type": "string", "description": "RG1xx–RG6xx from the library, RG7xx from the service"},
        "errors": {"type": "array", "items": {"type": "object"},
                   "description": "each problem with its code and location (file, line, col, pointer, rule_id; "
                                  "or row, entity_id, field)"}},
}


def create_app(settings: ServeSettings) -> FastAPI:
    """The service for ``settings``: packs are loaded (and checked) now; a pack with errors raises
    PackError here, before anything is served."""
    svc = Service(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            svc.close()

    app = FastAPI(title="riskgrade", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Grade supervised entities into four-colour risk levels from YAML rule packs.")
    app.state.service = svc
    problems.install(app)
    from . import v1
    from .web import pages

    app.include_router(v1.router)
    app.include_router(pages.router)
    pages.mount_static(app)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(Limits, max_body=settings.max_body)
    app.add_middleware(FastGrade, get_service=lambda: svc)  # outermost: the hot route skips the stack
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes)  # the pages are left out (include_in_schema=False)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        schema["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        for path in ("/v1/events", "/v1/reload"):
            for op in schema["paths"].get(path, {}).values():
                op["security"] = [{"bearer": []}]
        app.openapi_schema = schema
    return app.openapi_schema
