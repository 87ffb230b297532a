"""``riskgrade advise``: rectification plans — the cheapest fixes that bring each entity to a target level."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from ..api import GradeOptions, advise_file, load_packs
from .common import as_of, param

EXAMPLE = """examples:
  riskgrade advise examples/venues.csv --rules rules/ --as-of 2026-11-01 -o advice.jsonl
  riskgrade advise examples/venues.csv --rules rules/ --pack fire_safety --target blue -o advice.xlsx
  riskgrade advise chemicals.csv --rules rules/ --lang en -o advice.csv --rejects rejects.csv

Each record: entity_id, pack, level, target_level, reachable, reaches_level, total_cost (yuan),
total_days, fixes [{id, field, to, action, cost, days, by, on_the_spot, rule}], blocked_by (the
findings no fix changes, when the target is out of reach) and a one-sentence summary. Without
--target the target is one level less severe than the grade; --target blue asks for the lowest level,
and where it is out of reach the fixes lead to the lowest level that can be reached.
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("advise", help="rectification plans: the cheapest fixes that lower each entity's level",
                       epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="For every entity and pack, the set of the pack's declared fixes of least total "
                                   "cost (then fewest fixes, then least time) that grades the entity at the target "
                                   "level or better, or why the target cannot be reached by rectification.")
    p.add_argument("input", metavar="INPUT", help="entity file: .csv .tsv .jsonl .parquet .xlsx")
    p.add_argument("--rules", required=True, action="append", metavar="DIR_OR_FILE",
                   help="a rules folder or pack file (repeatable)")
    p.add_argument("--pack", action="append", metavar="ID", help="advise for this pack only (repeatable)")
    p.add_argument("--target", metavar="LEVEL",
                   help="the level to reach, e.g. yellow or blue (default: one level less severe than the grade)")
    p.add_argument("--as-of", type=as_of, default=None, metavar="DATE", help="the grading date (default: today)")
    p.add_argument("--param", type=param, action="append", default=[], metavar="NAME=VALUE",
                   help="a pack parameter, e.g. region=fujian")
    p.add_argument("-o", "--output", required=True, help="advice file: .jsonl .csv .parquet .xlsx")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of actions and summaries (default: zh)")
    p.add_argument("--rejects", metavar="FILE", help="also write rejected rows here (.jsonl or .csv)")
    p.add_argument("--id-column", metavar="COL", help="column holding entity ids (default: entity_id or id)")
    p.add_argument("--encoding", help="CSV encoding (default: detect UTF-8 / GB18030)")
    p.add_argument("--sheet", help="xlsx sheet to read (default: the first)")
    p.add_argument("--keep", action="append", metavar="COL",
                   help="input column to carry into the records (repeatable; default: name, city, county, "
                        "station, grid when present)")
    p.add_argument("--quiet", action="store_true", help="no summary")


def run(args: argparse.Namespace) -> int:
    packs = load_packs(*args.rules, pack=args.pack)
    day = args.as_of or dt.date.today()
    options = GradeOptions(as_of=day, params=dict(args.param), id_column=args.id_column, encoding=args.encoding,
                           sheet=args.sheet, keep=args.keep)
    counts, rejects = advise_file(args.input, packs, args.output, args.target, options, lang=args.lang,
                                  rejects_path=args.rejects)
    for r in rejects[:20]:
        print(f"rejected: {r}", file=sys.stderr)
    if len(rejects) > 20:
        print(f"… and {len(rejects) - 20} more rejected rows" + (f" (all in {args.rejects})" if args.rejects
                                                                 else " (use --rejects FILE to keep them all)"),
              file=sys.stderr)
    if not args.quiet:
        names = ", ".join(f"{p.pack_id} {p.version}" for p in packs)
        print(f"advised as of {day.isoformat()} with {names}: {counts}; wrote {args.output}", file=sys.stderr)
    return 1 if counts.rejected else 0
