"""The JSON API (``/v1``): grade one entity or a registry, the packs and their schemas, the impact of a
pack change, events and entity status (with ``--db``), and the atomic reload of the packs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from ..api import GradeResult, grade, grade_table, loads_pack
from ..cli.schema import entity_schema
from ..compiler import Program
from ..diff import diff_packs, render_markdown
from ..explain import explain, pack_document
from .options import OPENAPI_PARAMETERS, RequestOptions, from_query
from .problems import Problem
from .registry import GradedRegistry
from .service import Service
from .uploads import save_form, save_raw, suffix_for

router = APIRouter(prefix="/v1")
OUTPUTS = {"jsonl": ("application/x-ndjson", ".jsonl"), "csv": ("text/csv; charset=utf-8", ".csv"),
           "parquet": ("application/vnd.apache.parquet", ".parquet"),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")}
PROBLEM = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def service(request: Request) -> Service:
    return request.app.state.service


def options(request: Request) -> RequestOptions:
    return from_query(request.query_params.multi_items())


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, default=str), status_code=status,
                    media_type="application/json")


def parse_json(body: bytes) -> Any:
    """JSON, or 400 problem details saying where it breaks (line, column)."""
    try:
        return json.loads(body)
    except UnicodeDecodeError as exc:
        raise Problem(400, "RG701", f"the body is not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise Problem(400, "RG701", f"line {exc.lineno}, column {exc.colno}: {exc.msg}",
                      errors=[{"code": "RG701", "message": exc.msg, "line": exc.lineno, "col": exc.colno}]) from None


def pack_of(svc: Service, pack_id: str) -> Program:
    programs = svc.packs.current.programs
    if pack_id not in programs:
        raise Problem(404, "RG704", f"no pack {pack_id!r}; this service has: {', '.join(programs)}", pack=pack_id)
    return programs[pack_id]


def body_schema(schema: dict[str, Any], *extra_types: str, description: str = "") -> dict[str, Any]:
    content = {"application/json": {"schema": schema}}
    for media in extra_types:
        content[media] = {"schema": {"type": "string", "format": "binary"}}
    return {"requestBody": {"required": True, "content": content, "description": description},
            "parameters": OPENAPI_PARAMETERS}


# --- grading -----------------------------------------------------------------------------------------------

@router.post("/grade", summary="Grade one entity", response_model=None,
             responses={200: {"description": "The entity's grade by every pack, overall level first"},
                        400: PROBLEM, 404: PROBLEM, 413: PROBLEM, 422: PROBLEM},
             openapi_extra=body_schema({"type": "object", "additionalProperties": True,
                                        "description": "the entity's field values, e.g. {\"venue_type\": \"hotel\"}"})
             | {"parameters": OPENAPI_PARAMETERS + [{"name": "explain", "in": "query", "required": False,
                                                     "schema": {"type": "boolean"},
                                                     "description": "add each pack's explanation"}]})
async def grade_one(request: Request) -> Response:
    svc, opts = service(request), options(request)
    body = await svc.within_time(request.body())
    entity = parse_json(body)
    if not isinstance(entity, dict):
        raise Problem(422, "RG709", f"expected a JSON object of field values, got a {type(entity).__name__}")
    programs = opts.programs(svc.packs.current.programs)
    answer = await svc.light(_grade_one, entity, programs, opts, inline=small(body, opts))
    return Response(answer, media_type="application/json")


# An entity this small (a registry row is about 1 KiB) grades in half a millisecond or so, a list-heavy
# one in about a millisecond at most (measured): graded on the event loop, bigger ones on the pool.
INLINE_BYTES = 2048


def small(body: bytes, opts: RequestOptions) -> bool:
    return len(body) <= INLINE_BYTES and not opts.explain


def _grade_one(entity: dict[str, Any], programs: list[Program], opts: RequestOptions) -> bytes:
    """The answer's body: the grade as JSON (pydantic's own serialiser: a quarter of json.dumps's time)."""
    graded = grade(entity, programs, opts.grading)
    if not opts.explain:
        return graded.model_dump_json().encode()
    result = graded.model_dump(mode="json")
    result["explanation"] = {p.pack_id: explain(p, entity, opts.as_of, {k: v for k, v in opts.params.items()
                                                                        if k in p.params})
                             for p in programs}
    return json.dumps(result, ensure_ascii=False, default=str).encode()


@router.post("/grade/batch", summary="Grade a registry: a JSON list of entities or an uploaded file",
             response_model=None,
             responses={200: {"description": "counts (rows in = graded + rejected), rejects and records; or "
                                              "the result file when output= is given"},
                        400: PROBLEM, 404: PROBLEM, 413: PROBLEM, 415: PROBLEM, 422: PROBLEM, 503: PROBLEM},
             openapi_extra={**body_schema({"type": "array", "items": {"type": "object"}},
                                          "multipart/form-data", "text/csv", "application/x-ndjson",
                                          "application/vnd.apache.parquet",
                                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                          description="entities as JSON, a file as the body, or a form with a "
                                                      "'file' part"),
                            "parameters": OPENAPI_PARAMETERS + [
                                {"name": "form", "in": "query", "schema": {"type": "string", "enum": ["long", "wide"]},
                                 "description": "long: one record per entity and pack (default); wide: one per entity"},
                                {"name": "output", "in": "query",
                                 "schema": {"type": "string", "enum": ["json", *OUTPUTS]},
                                 "description": "json (default) or a result file; counts in X-Riskgrade-* headers"},
                                {"name": "format", "in": "query",
                                 "schema": {"type": "string", "enum": ["csv", "tsv", "jsonl", "parquet", "xlsx"]},
                                 "description": "the uploaded file's format when its name or type does not say"}]})
async def grade_batch(request: Request) -> Response:
    svc = service(request)
    options(request)  # a bad option is answered before the body is read
    form = request.query_params.get("form", "long")
    output = request.query_params.get("output", "json")
    if form not in ("long", "wide") or output not in ("json", *OUTPUTS):
        raise Problem(422, "RG709", "form is long or wide; output is json, jsonl, csv, parquet or xlsx")
    source, name, mapping = await receive_entities(request, svc)
    try:
        opts = from_query(request.query_params.multi_items(), mapping=mapping)
        programs = opts.programs(svc.packs.current.programs)
        registry = await svc.heavy(lambda: _grade_registry(source, programs, opts, name))
    except BaseException:
        discard(source)
        raise
    finally:
        discard(mapping)
    svc.registry.replace(registry)
    result = registry.result
    counts = {"rows_in": result.counts.rows_in, "graded": result.counts.graded, "rejected": result.counts.rejected}
    if output != "json":
        media, suffix = OUTPUTS[output]
        path = svc.workdir.new_file(suffix)
        await svc.heavy(lambda: result.write(path))
        headers = {f"X-Riskgrade-{k.replace('_', '-').title()}": str(v) for k, v in counts.items()}
        return FileResponse(path, media_type=media, headers=headers, filename=f"graded{suffix}",
                            background=_unlink(path))
    records = result.wide if form == "wide" else result.long
    if records.num_rows > svc.settings.max_json_records:
        raise Problem(422, "RG707", f"{records.num_rows} records are too many for a JSON answer (at most "
                                    f"{svc.settings.max_json_records}); ask for output=parquet, csv or jsonl, or "
                                    "form=wide")
    body = {"counts": counts, "as_of": opts.as_of.isoformat(),
            "packs": [{"pack": p.pack_id, "version": p.version, "sha256": p.sha256} for p in programs],
            "rejects": [r.to_dict() for r in result.rejects]}
    return await svc.heavy(lambda: json_response({**body, "records": result.to_records(wide=form == "wide")}))


def discard(source: Any) -> None:
    """Remove an uploaded file that will not become the graded registry."""
    if isinstance(source, Path):
        source.unlink(missing_ok=True)


def _unlink(path: Path) -> Any:
    from starlette.background import BackgroundTask

    return BackgroundTask(lambda: path.unlink(missing_ok=True))


async def receive_entities(request: Request, svc: Service) -> tuple[Any, str, Path | None]:
    """The entities of a request: a JSON list, a form's ``file`` part (with, optionally, a ``mapping``
    part: the registry mapping as YAML), or a file as the body; and the mapping's saved file."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        rows = parse_json(await svc.within_time(request.body()))
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise Problem(422, "RG709", "expected a JSON list of entity objects")
        return rows, f"{len(rows)} entities (JSON)", None
    if media == "multipart/form-data":
        upload = await svc.within_time(save_form(request, svc.workdir, yaml_fields=("mapping",)))
        if "file" not in upload.files:
            upload.discard()
            raise Problem(422, "RG709", "the form has no 'file' part")
        return upload.files["file"], upload.names["file"], upload.files.get("mapping")
    suffix = suffix_for(None, media or None, request.query_params.get("format"))
    return await svc.within_time(save_raw(request, svc.workdir, suffix)), f"upload{suffix}", None


def _grade_registry(source: Any, programs: list[Program], opts: RequestOptions, name: str) -> GradedRegistry:
    result: GradeResult = grade_table(source, programs, opts.grading)
    return GradedRegistry(result, programs, opts.grading, name, source)


@router.get("/registry", summary="The overview of the last graded registry (what the workbench shows)",
            responses={404: PROBLEM})
def registry_overview(request: Request) -> Response:
    current = service(request).registry.current
    if current is None:
        raise Problem(404, "RG712", "no registry graded yet: POST one to /v1/grade/batch or upload it on /")
    return json_response(current.overview)


# --- packs -------------------------------------------------------------------------------------------------

def _meta(p: Program) -> dict[str, Any]:
    return {"id": p.pack_id, "version": p.version, "sha256": p.sha256, "file": Path(p.file).name,
            "title": {"zh": p.title.zh, "en": p.title.en}, "owner": {"zh": p.owner.zh, "en": p.owner.en},
            "levels": [lv.id for lv in p.levels], "rules": len(p.rules), "fields": len(p.fields),
            "params": {k: v[1] for k, v in p.params.items()}, "lifecycle": p.lifecycle is not None}


@router.get("/packs", summary="The packs this service grades with")
def list_packs(request: Request) -> Response:
    current = service(request).packs.current
    return json_response({"generation": current.generation, "loaded_at": current.loaded_at.isoformat(),
                          "packs": [_meta(p) for p in current.programs.values()]})


@router.get("/packs/{pack_id}", summary="One pack: metadata, version, sha256", responses={404: PROBLEM})
def get_pack(pack_id: str, request: Request) -> Response:
    return json_response(_meta(pack_of(service(request), pack_id)))


@router.get("/packs/{pack_id}/schema", summary="JSON Schema of the pack's entity input", responses={404: PROBLEM})
def get_pack_schema(pack_id: str, request: Request) -> Response:
    return Response(json.dumps(entity_schema(pack_of(service(request), pack_id)), ensure_ascii=False),
                    media_type="application/schema+json")


@router.get("/packs/{pack_id}/document", summary="The pack as a document (评分细则)", responses={404: PROBLEM})
def get_pack_document(pack_id: str, request: Request) -> Response:
    return json_response(pack_document(pack_of(service(request), pack_id)))


# --- diff --------------------------------------------------------------------------------------------------

@router.post("/diff", summary="Impact of a pack change on a registry", response_model=None,
             responses={200: {"description": "the impact report (JSON, or Markdown with format=markdown)"},
                        400: PROBLEM, 404: PROBLEM, 413: PROBLEM, 422: PROBLEM, 503: PROBLEM},
             openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                 "type": "object", "properties": {
                     "old": {"type": "string", "format": "binary", "description": "pack YAML (default: the served "
                                                                                  "pack with the new one's id)"},
                     "new": {"type": "string", "format": "binary", "description": "pack YAML"},
                     "entities": {"type": "string", "format": "binary",
                                  "description": "entity file (default: the last graded registry)"}},
                 "required": ["new"]}}}},
                 "parameters": OPENAPI_PARAMETERS + [{"name": "format", "in": "query", "schema": {
                     "type": "string", "enum": ["json", "markdown"]}}]})
async def post_diff(request: Request) -> Response:
    svc, opts = service(request), options(request)
    upload = await svc.within_time(save_form(request, svc.workdir, yaml_fields=("old", "new")))
    try:
        report = await svc.heavy(lambda: impact(svc, upload.files, upload.names, upload.fields, opts))
    finally:
        upload.discard()
    if request.query_params.get("format") == "markdown":
        return Response(render_markdown(report), media_type="text/markdown; charset=utf-8")
    return json_response(report)


def impact(svc: Service, files: dict[str, Path], names: dict[str, str], fields: dict[str, str],
           opts: RequestOptions) -> dict[str, Any]:
    """The diff of two pack versions on a registry; an absent side is the pack served now."""
    sides: dict[str, Program | None] = {}
    for side in ("old", "new"):
        if side in files:
            sides[side] = _uploaded_pack(files[side], names[side])
        elif fields.get(side):
            sides[side] = pack_of(svc, fields[side])
        else:
            sides[side] = None
    if sides["new"] is None and sides["old"] is None:
        raise Problem(422, "RG709", "give the new pack (a YAML file part 'new', or a served pack id)")
    known = (sides["new"] or sides["old"]).pack_id  # type: ignore[union-attr]
    old = sides["old"] or pack_of(svc, known)
    new = sides["new"] or pack_of(svc, known)
    entities: Any = files.get("entities")
    if entities is None:
        current = svc.registry.current
        if current is None or current.source is None:
            raise Problem(422, "RG712", "give an entity file (part 'entities'); no registry has been graded yet")
        entities = current.source
    report = diff_packs([old], [new], entities, as_of=opts.as_of, params=opts.params)
    report["old"], report["new"] = names.get("old") or old.pack_id, names.get("new") or new.pack_id
    report["entities"] = names.get("entities") or "the last graded registry"
    return report


def _uploaded_pack(path: Path, name: str) -> Program:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise Problem(422, "RG101", f"{name}: a pack is UTF-8 YAML text") from None
    return loads_pack(text, name)  # a PackError is answered with every diagnostic and its location


# --- events and status (with --db) ------------------------------------------------------------------------

def _desk(svc: Service) -> Any:
    if svc.events is None:
        raise Problem(404, "RG711", "this service runs without --db: no events and no entity status")
    return svc.events


@router.post("/events", summary="Record events (JSON list or JSON Lines); idempotent by event id",
             response_model=None, responses={200: {"description": "one outcome per event"}, 400: PROBLEM,
                                             401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 413: PROBLEM},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
                 "application/x-ndjson": {"schema": {"type": "string"}}}}})
async def post_events(request: Request) -> Response:
    from .events import MAX_EVENTS, parse_events

    svc = service(request)
    svc.require_token(request)
    desk = _desk(svc)
    body = await svc.within_time(request.body())
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        items = parse_events(body, media)
    except UnicodeDecodeError:
        raise Problem(400, "RG701", "the body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise Problem(400, "RG701", f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:
        raise Problem(422, "RG709", str(exc)) from None
    if len(items) > MAX_EVENTS:
        raise Problem(413, "RG702", f"at most {MAX_EVENTS} events per request")
    outcomes = await desk.run(lambda m: m.process(items))
    counts = {s: sum(o.status == s for o in outcomes) for s in ("accepted", "duplicate", "rejected")}
    return json_response({"counts": counts, "outcomes": [
        {"id": o.event_id, "status": o.status, "reason": o.reason, "alerts": o.alerts} for o in outcomes]})


@router.get("/entities/{entity_id:path}", summary="An entity's status: level, open hazards, history (with --db)",
            responses={404: PROBLEM})
async def get_entity(entity_id: str, request: Request) -> Response:
    desk = _desk(service(request))
    status = await desk.run(lambda m: m.status(entity_id))
    if status is None:
        raise Problem(404, "RG708", f"no events for entity {entity_id!r}", entity_id=entity_id)
    return json_response(status)


# --- reload ------------------------------------------------------------------------------------------------

@router.post("/reload", summary="Re-read the packs; one that fails the checks leaves the old ones serving",
             responses={401: PROBLEM, 403: PROBLEM, 422: PROBLEM})
async def post_reload(request: Request) -> Response:
    svc = service(request)
    svc.require_token(request)
    fresh = await svc.heavy(svc.packs.reload)
    return json_response({"generation": fresh.generation, "packs": [_meta(p) for p in fresh.programs.values()],
                          "warnings": fresh.warnings})


@router.get("/health", summary="Liveness, and which packs are served")
def health(request: Request) -> Response:
    current = service(request).packs.current
    return json_response({"status": "ok", "generation": current.generation,
                          "packs": {p.pack_id: p.version for p in current.programs.values()}})
