"""``riskgrade explain``: why one entity got its grade, rule by rule, in Chinese or English."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from ..api import GradeOptions, advise, load_packs
from ..errors import InputError
from ..explain import explain, render_text
from ..grading import resolver_for
from ..io.read import open_entities
from ..resolve import ENTITY_ID, Resolver
from ..source.files import RefusedFile, read_limited
from ..table.ids import normalise_id
from .check import add_lang
from .common import add_format, as_of, param

EXAMPLE = """examples:
  riskgrade explain '{"venue_type": "hotel", "guest_rooms": 50, "exits": 1}' --rules rules/ --as-of 2026-11-01
  riskgrade explain entity.json --rules rules/ --pack fire_safety --lang zh
  riskgrade explain --row FS-330112-000001 --input examples/venues.csv --rules rules/ --format json
  riskgrade explain entity.json --rules rules/ --target blue      # advice towards the lowest level

The explanation ends with the advice (整改建议): the cheapest declared fixes that bring the entity one
level down (or to --target), or why that level cannot be reached by rectification.
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("explain", help="explain one entity's grade rule by rule", epilog=EXAMPLE,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Derived values, every rule that fired with its points and the input values "
                                   "that made it true, rules undecided for want of data, the band, vetoes, "
                                   "raises and lowers, the level, controls, responsible tier and interval.")
    p.add_argument("entity", nargs="?", metavar="ENTITY", help="a JSON object, or a .json file holding one")
    p.add_argument("--row", metavar="ID", help="explain the row with this entity id of --input instead")
    p.add_argument("--input", metavar="FILE", help="entity file for --row (csv, xlsx, jsonl, parquet)")
    p.add_argument("--id-column", metavar="COL", help="column holding entity ids (default: entity_id, id, 单位编号 …)")
    p.add_argument("--map", metavar="MAPPING.yaml", help="what the input calls the packs' columns and values")
    p.add_argument("--rules", required=True, action="append", metavar="DIR_OR_FILE",
                   help="a rules folder or pack file (repeatable)")
    p.add_argument("--pack", action="append", metavar="ID", help="explain this pack only (repeatable)")
    p.add_argument("--as-of", type=as_of, default=None, metavar="DATE", help="the grading date (default: today)")
    p.add_argument("--param", type=param, action="append", default=[], metavar="NAME=VALUE",
                   help="a pack parameter, e.g. region=fujian")
    p.add_argument("--target", metavar="LEVEL",
                   help="the level the advice aims at (default: one level less severe than the grade)")
    p.add_argument("--no-advice", action="store_true", help="leave out the advice section")
    add_lang(p)
    add_format(p)


MAX_ENTITY_BYTES = 16 << 20


def read_entity(text: str) -> dict[str, Any]:
    """An entity from inline JSON or a .json file. Raises InputError when it is neither."""
    source = text if text.lstrip().startswith("{") else None
    if source is None:
        try:
            source = read_limited(text, MAX_ENTITY_BYTES).decode("utf-8-sig")
        except (OSError, RefusedFile, UnicodeDecodeError) as exc:
            reason = exc.reason if isinstance(exc, RefusedFile) else "not a JSON object and not a readable UTF-8 file"
            raise InputError(reason, file=text) from None
    try:
        entity = json.loads(source)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc}", file="" if text is source else text) from None
    if not isinstance(entity, dict):
        raise InputError("the entity must be a JSON object ({...})", file="" if text is source else text)
    return entity


def find_row(path: str, entity_id: str, resolver: Resolver) -> dict[str, Any]:
    """The row of an entity file whose id is ``entity_id``, as the file holds it (the id column is the
    one that resolves to ``entity_id``: entity_id, id, 单位编号, --id-column, the mapping …)."""
    for chunk in open_entities(path):
        name = resolver.plan(chunk.table.column_names).column_of(ENTITY_ID)
        if name is None:
            raise InputError("no column of entity ids (entity_id, id, 单位编号 …; or --id-column)", file=path)
        for row in chunk.table.to_pylist():
            if normalise_id(str(row.get(name))) == normalise_id(entity_id):
                return row
    raise InputError(f"no row with id {entity_id!r}", file=path)


def _add_advice(explanations: list[dict[str, Any]], entities: list[dict[str, Any]], packs: list[Any], day: dt.date,
                params: dict[str, Any], target: str | None) -> None:
    """An ``advice`` section on every explanation of a graded entity the pack applies to (``entities``:
    the entity as each pack reads it)."""
    for expl, entity, pack in zip(explanations, entities, packs):
        if "rejected" in expl or not expl.get("applies"):
            continue
        chosen = {k: v for k, v in params.items() if k in pack.params}
        for plan in advise(entity, pack, target, as_of=day, params=chosen):
            expl["advice"] = plan.to_explanation()


def run(args: argparse.Namespace) -> int:
    if (args.entity is None) == (args.row is None) or (args.row is not None and not args.input):
        print("riskgrade explain: give ENTITY, or --row ID with --input FILE", file=sys.stderr)
        return 2
    packs = load_packs(*args.rules, pack=args.pack)
    day = args.as_of or dt.date.today()
    options = GradeOptions(as_of=day, params=dict(args.param), id_column=args.id_column, mapping=args.map)
    resolver = resolver_for(packs, options)
    entity = find_row(args.input, args.row, resolver) if args.row else read_entity(args.entity)
    params = dict(args.param)
    explanations = [explain(p, resolver.entity(entity, p), day, {k: v for k, v in params.items() if k in p.params})
                    for p in packs]
    if not args.no_advice:
        _add_advice(explanations, [resolver.entity(entity, p) for p in packs], packs, day, params, args.target)
    if args.format == "json":
        print(json.dumps({"as_of": day.isoformat(), "explanations": explanations}, ensure_ascii=False, indent=2))
    else:
        print("\n".join(render_text(e, args.lang) for e in explanations), end="")
    return 1 if any("rejected" in e for e in explanations) else 0
