"""``riskgrade diff``: what a pack change does to a population before it is adopted."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ..diff import diff_packs, render_json, render_markdown, render_text
from ..io.outputs import check_outputs
from .common import as_of, param

EXAMPLE = """examples:
  riskgrade diff rules/ proposed/ --entities venues.csv --as-of 2026-11-01
  riskgrade diff HEAD~1:rules/ rules/ --entities venues.parquet --format markdown -o impact.md
  riskgrade diff v0.1.0:rules/fire_safety.yaml rules/fire_safety.yaml --entities venues.csv --format json
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("diff", help="impact of a pack change on a population", epilog=EXAMPLE,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Grade the entities with the OLD and the NEW packs: the level transition "
                                   "matrix, the entities that moved and the rules that newly fired or stopped "
                                   "firing, the same per county and station, and the change in inspections "
                                   "per year. OLD and NEW are pack files, folders, or git revisions REV:path.")
    p.add_argument("old", metavar="OLD", help="pack file, folder, or REV:path (e.g. HEAD~1:rules/)")
    p.add_argument("new", metavar="NEW", help="pack file, folder, or REV:path")
    p.add_argument("--entities", required=True, metavar="FILE", help="entity file (csv, xlsx, jsonl, parquet)")
    p.add_argument("--as-of", type=as_of, default=None, metavar="DATE", help="the grading date (default: today)")
    p.add_argument("--param", type=param, action="append", default=[], metavar="NAME=VALUE",
                   help="a pack parameter, used on both sides")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report here (default: stdout)")


def run(args: argparse.Namespace) -> int:
    check_outputs({"-o": args.output}, [args.entities, args.old, args.new])
    report = diff_packs(args.old, args.new, args.entities, as_of=args.as_of or dt.date.today(),
                        params=dict(args.param))
    text = {"json": render_json, "markdown": render_markdown, "text": render_text}[args.format](report)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        moved = sum(p["moved_count"] for p in report["packs"])
        print(f"{report['population']} entities, {moved} moved; wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
