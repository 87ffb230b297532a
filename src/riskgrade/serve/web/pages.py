"""The workbench pages: overview (概览), entity (风险告知书), pack document with what-if, diff.

Every page is rendered here from the public API's results (``grade``, ``grade_table``, ``explain``,
``pack_document``, ``diff_packs``, ``Monitor``); the browser gets HTML, one stylesheet and one small
script, all served by this app.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ...api import GradeOptions, advise, explain_entity, grade
from ...compiler import Program
from ...errors import RiskgradeError
from ...explain import pack_document
from ..options import RequestOptions, from_query
from ..problems import Problem, from_library
from ..registry import JURISDICTIONS, level_scale
from ..service import Service
from ..uploads import save_form
from ..v1 import _grade_registry, impact
from .charts import colour, ink, stacked_bars
from .i18n import Words

HERE = Path(__file__).parent
router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(HERE / "templates"))
FIELD_PREFIX = "f."


def _when(value: Any) -> str:
    """An ISO time as people read it: 2026-06-04 08:12 (the zone is the monitor's, said once)."""
    text = "" if value is None else str(value)
    return text[:16].replace("T", " ") if len(text) >= 16 and text[10] == "T" else text


templates.env.filters["when"] = _when


def mount_static(app: Any) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")


def _svc(request: Request) -> Service:
    return request.app.state.service


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "zh"


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a template with what every page needs: the words, the language switch, the palette."""
    lang = _lang(request)
    words = Words(lang)
    query = dict(request.query_params)
    query["lang"] = "en" if lang == "zh" else "zh"

    def link(path: str, **params: Any) -> str:
        params = {k: v for k, v in params.items() if v is not None}
        if lang == "en":
            params["lang"] = "en"
        return path + ("?" + urlencode(params) if params else "")

    return templates.TemplateResponse(request, name, {
        "t": words, "lang": lang, "switch_url": f"{request.url.path}?{urlencode(query)}", "link": link,
        "colour": colour, "ink": ink, "today": dt.date.today().isoformat(), **context}, status_code=status)


def error_page(request: Request, problem: Problem) -> HTMLResponse:
    return page(request, "error.html", status=problem.status, problem=problem.body(request.url.path))


def _guarded(request: Request, exc: Exception) -> HTMLResponse:
    if isinstance(exc, RiskgradeError):
        return error_page(request, from_library(exc))
    if isinstance(exc, Problem):
        return error_page(request, exc)
    raise exc


# --- overview ----------------------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
async def overview(request: Request) -> HTMLResponse:
    svc = _svc(request)
    reg = svc.registry.current
    words = Words(_lang(request))
    by = request.query_params.get("by", "county")
    context: dict[str, Any] = {"registry": None, "packs": list(svc.packs.current.programs.values())}
    if reg is not None:
        ov = reg.overview
        label = lambda lv: words.pick(lv["label"]) or lv["id"]  # noqa: E731
        groups = ov["by_jurisdiction"]
        by = by if by in groups else next(iter(groups), None)
        context.update(
            registry=ov, by=by, jurisdictions=[j for j in JURISDICTIONS if j in groups],
            overall_chart=stacked_bars([{"group": words("total"), "counts": ov["overall"],
                                         "total": sum(ov["overall"].values())}], ov["levels"], label),
            group_chart=stacked_bars(groups[by], ov["levels"], label) if by else None,
            pack_titles={p.pack_id: words.pick(p.title) for p in reg.programs},
            level_labels={lv["id"]: label(lv) for lv in ov["levels"]},
            level_colours={lv["id"]: lv["color"] for lv in ov["levels"]}, rejects=_rejects_shown(ov["rejects"]))
    context["hazards"] = await _overdue_hazards(svc)
    return page(request, "overview.html", **context)


def _rejects_shown(rejects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per rejected row and reason, naming the packs that gave it."""
    return [{"row": r["row"], "entity_id": r["entity_id"], **p} for r in rejects for p in r["problems"]]


async def _overdue_hazards(svc: Service) -> list[dict[str, Any]] | None:
    if svc.events is None:
        return None
    return await svc.events.run(lambda m: [h for h in m.open_hazards() if h["status"] == "overdue"])


@router.post("/upload")
async def upload(request: Request) -> Response:
    svc = _svc(request)
    form = None
    try:
        form = await svc.within_time(save_form(request, svc.workdir, yaml_fields=("mapping",)))
        if "file" not in form.files:
            raise Problem(422, "RG709", "choose a registry file to upload")
        query = [("as_of", form.fields.get("as_of") or dt.date.today().isoformat()), ("lang", _lang(request)),
                 ("strict", "true" if form.fields.get("strict") else "false")]
        query += [("param", p) for p in form.fields.get("params", "").split() if p]
        opts = from_query(query, mapping=form.files.get("mapping"))
        programs = opts.programs(svc.packs.current.programs)
        source, name = form.files["file"], form.names["file"]
        registry = await svc.heavy(lambda: _grade_registry(source, programs, opts, name))
    except (Problem, RiskgradeError) as exc:
        if form is not None:
            form.discard()
        return _guarded(request, exc)
    if "mapping" in form.files:  # read into the options already
        form.files["mapping"].unlink(missing_ok=True)
    svc.registry.replace(registry)
    return RedirectResponse("/?lang=en" if _lang(request) == "en" else "/", status_code=303)


# --- entity ------------------------------------------------------------------------------------------------

@router.get("/entities/{entity_id:path}", response_class=HTMLResponse)
async def entity_page(entity_id: str, request: Request) -> HTMLResponse:
    svc = _svc(request)
    reg = svc.registry.current
    raw = await svc.light(reg.entity, entity_id) if reg is not None else None
    status = None
    if svc.events is not None:
        status = await svc.events.run(lambda m: m.status(entity_id))
    if raw is None and status is None:
        problem = Problem(404, "RG708", Words(_lang(request))("entity_missing", id=entity_id))
        return error_page(request, problem)
    context: dict[str, Any] = {"entity_id": entity_id, "info": {}, "monitored": status, "explanations": [],
                               "overall": None}
    if raw is not None and reg is not None:
        context.update(await svc.light(_explained, raw, reg.programs, reg.options))
        context["info"] = reg.info(entity_id)
        context["as_of"] = reg.as_of.isoformat()
        context["levels"] = {lv["id"]: lv for lv in level_scale(reg.programs)}
    return page(request, "entity.html", **context)


def _explained(raw: dict[str, Any], programs: list[Program], options: GradeOptions) -> dict[str, Any]:
    explanations = list(explain_entity(raw, programs, options).values())
    for e, p in zip(explanations, programs):
        e["title"] = {"zh": p.title.zh, "en": p.title.en}
        if e.get("applies") and "rejected" not in e:  # the rectification advice, one level down
            for plan in advise(raw, p, options=GradeOptions.of(options, strict=False)):
                e["advice"] = plan.to_explanation()
    explanations.sort(key=lambda e: (not e.get("applies"), e.get("level", {}).get("rank", 99)))
    try:  # the row was graded already; strict's column checks are the registry's, not the row's
        overall = grade(raw, programs, GradeOptions.of(options, strict=False))
    except RiskgradeError:
        overall = None
    return {"explanations": explanations, "overall": overall}


# --- packs -------------------------------------------------------------------------------------------------

@router.get("/packs", response_class=HTMLResponse)
def packs_page(request: Request) -> HTMLResponse:
    return page(request, "packs.html", packs=list(_svc(request).packs.current.programs.values()))


def _pack(request: Request, pack_id: str) -> Program:
    programs = _svc(request).packs.current.programs
    if pack_id not in programs:
        raise Problem(404, "RG704", f"no pack {pack_id!r}; this service has: {', '.join(programs)}")
    return programs[pack_id]


def _whatif_input(request: Request, program: Program) -> tuple[dict[str, Any], RequestOptions, str | None]:
    """The what-if entity: an example's values (chosen, or the first), overridden by the form's fields."""
    q = request.query_params
    example = next((e for e in program.examples if e.id == q.get("example")), None)
    if example is None and not any(k.startswith(FIELD_PREFIX) for k in q):
        example = program.examples[0] if program.examples else None
    entity: dict[str, Any] = dict(example.entity) if example is not None else {}
    for key, value in q.multi_items():
        if key.startswith(FIELD_PREFIX):
            name = key[len(FIELD_PREFIX):]
            if value == "":
                entity.pop(name, None)
            else:
                entity[name] = value
    query = [(k, v) for k, v in q.multi_items() if k in ("as_of", "param")]
    if example is not None and "as_of" not in q:
        query.append(("as_of", example.as_of.isoformat()))
        query += [("param", f"{k}={v}") for k, v in example.params.items()]
    return entity, from_query(query), example.id if example is not None else None


def _whatif_result(program: Program, entity: dict[str, Any], opts: RequestOptions) -> dict[str, Any]:
    return explain_entity(entity, program, opts.grading)[program.pack_id]


@router.get("/packs/{pack_id}", response_class=HTMLResponse)
async def pack_page(pack_id: str, request: Request) -> HTMLResponse:
    svc = _svc(request)
    try:
        program = _pack(request, pack_id)
        entity, opts, example = _whatif_input(request, program)
        result = await svc.light(_whatif_result, program, entity, opts)
    except (Problem, RiskgradeError) as exc:
        return _guarded(request, exc)
    doc = pack_document(program)
    return page(request, "pack.html", doc=doc, form_values={k: _form_value(v) for k, v in entity.items()},
                result=result, example=example,
                examples=program.examples, as_of=opts.as_of.isoformat(),
                params=" ".join(f"{k}={v}" for k, v in opts.params.items()),
                levels={lv["id"]: lv for lv in doc["levels"]})


def _form_value(value: Any) -> str:
    """A value as a form field holds it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@router.get("/packs/{pack_id}/whatif", response_class=HTMLResponse)
async def whatif_fragment(pack_id: str, request: Request) -> HTMLResponse:
    svc = _svc(request)
    try:
        program = _pack(request, pack_id)
        entity, opts, _ = _whatif_input(request, program)
        result = await svc.light(_whatif_result, program, entity, opts)
    except (Problem, RiskgradeError) as exc:
        return _guarded(request, exc)
    levels = {lv.id: {"id": lv.id, "color": lv.color, "label": {"zh": lv.label.zh, "en": lv.label.en}}
              for lv in program.levels}
    return page(request, "whatif_result.html", result=result, levels=levels)


# --- diff --------------------------------------------------------------------------------------------------

@router.get("/diff", response_class=HTMLResponse)
def diff_form(request: Request) -> HTMLResponse:
    svc = _svc(request)
    return page(request, "diff.html", packs=list(svc.packs.current.programs), report=None,
                has_registry=svc.registry.current is not None)


@router.post("/diff", response_class=HTMLResponse)
async def diff_page(request: Request) -> HTMLResponse:
    svc = _svc(request)
    try:
        form = await svc.within_time(save_form(request, svc.workdir, yaml_fields=("old_file", "new_file")))
        try:
            files = {side: form.files[f"{side}_file"] for side in ("old", "new") if f"{side}_file" in form.files}
            names = {side: form.names[f"{side}_file"] for side in files}
            if "entities" in form.files:
                files["entities"], names["entities"] = form.files["entities"], form.names["entities"]
            fields = {side: form.fields.get(side, "") for side in ("old", "new") if side not in files}
            opts = from_query([("as_of", form.fields.get("as_of") or dt.date.today().isoformat())])
            report = await svc.heavy(lambda: impact(svc, files, names, fields, opts))
        finally:
            form.discard()
    except (Problem, RiskgradeError) as exc:
        return _guarded(request, exc)
    return page(request, "diff.html", packs=list(svc.packs.current.programs), report=report,
                has_registry=svc.registry.current is not None,
                levels={lv["id"]: lv for lv in level_scale(list(svc.packs.current.programs.values()))})


# --- the API's reference -----------------------------------------------------------------------------------

@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    return page(request, "docs.html", spec=request.app.openapi())
