"""``riskgrade plan``: an inspection plan for a period from graded results, within station capacity."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..advise import read_summaries, summaries
from ..api import GradeOptions, advise_table, grade_table, load_packs
from ..errors import OptionError
from ..grading import DEFAULT_KEEP
from ..io.outputs import check_outputs
from ..io.write import write_table
from ..plan.capacity import WorkCalendar, read_capacity
from ..plan.export import visits_table
from ..plan.ledger import write_ledger
from ..plan.planner import plan_inspections
from .common import as_of, param

EXAMPLE = """examples:
  riskgrade grade examples/venues.csv --rules rules/ --as-of 2026-11-01 -o graded.jsonl
  riskgrade plan graded.jsonl --rules rules/ --from 2026-11-02 --to 2026-11-30 \\
      --capacity examples/capacity.csv -o ledger.xlsx
  riskgrade plan examples/venues.csv --grade --as-of 2026-11-01 --rules rules/ \\
      --from 2026-11-02 --to 2026-11-30 --capacity examples/capacity.csv -o plan.csv --lang en

-o .xlsx writes the ledger (台账): a sheet per pack, the roll-ups, workload, weekly and monthly
views, the visits left unplanned and a daily list per station. With --advice FILE (written by
riskgrade advise), or --advise with --grade, the pack sheets get a 整改建议 (rectification) column. -o .csv/.jsonl/.parquet writes the
visits, planned and unplanned (column status). Exit 1 when a visit could not be fitted.
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("plan", help="plan inspections for a period within each station's capacity", epilog=EXAMPLE,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Plan who inspects which entity on which working day, most severe and most "
                                   "overdue first; list what cannot be fitted.")
    p.add_argument("graded", metavar="GRADED", help="graded results (.jsonl .csv .parquet .xlsx from riskgrade "
                                                    "grade), or an entity file with --grade")
    p.add_argument("--rules", required=True, action="append", metavar="DIR_OR_FILE", help="the packs graded with")
    p.add_argument("--pack", action="append", metavar="ID", help="plan this pack only (repeatable)")
    p.add_argument("--from", dest="start", type=as_of, required=True, metavar="DATE", help="first day of the period")
    p.add_argument("--to", dest="end", type=as_of, required=True, metavar="DATE", help="last day of the period")
    p.add_argument("--capacity", metavar="FILE", help="CSV: station, officers, per_officer_per_day [, pack]; "
                                                      "without it capacity is unlimited")
    p.add_argument("--unit", default="station", help="the column whose units inspect (default: station)")
    p.add_argument("--workdays", default="mon-fri", help="weekdays worked, e.g. mon-fri (default), mon-sat")
    p.add_argument("--holiday", type=as_of, action="append", default=[], metavar="DATE", help="a day off (repeatable)")
    p.add_argument("--workday", type=as_of, action="append", default=[], metavar="DATE",
                   help="an extra working day, e.g. a weekend made up for a holiday (repeatable)")
    p.add_argument("--no-repeat", action="store_true", help="plan one visit per entity, not repeat visits")
    p.add_argument("-o", "--output", help="ledger .xlsx, or the visits as .csv .jsonl .parquet")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="headers and texts (default: zh)")
    p.add_argument("--grade", action="store_true", help="GRADED is an entity file: grade it first")
    p.add_argument("--as-of", type=as_of, metavar="DATE", help="with --grade: the grading date (default: --from)")
    p.add_argument("--param", type=param, action="append", default=[], metavar="NAME=VALUE", help="a pack parameter")
    p.add_argument("--advice", metavar="FILE", help="advice written by riskgrade advise: the ledger gets a "
                                                    "整改建议 column")
    p.add_argument("--advise", action="store_true",
                   help="with --grade: work out the advice (one level down) for the ledger's 整改建议 column")
    p.add_argument("--no-escape-formulas", dest="escape_formulas", action="store_false",
                   help="write text starting with = + - @ as it is (by default it is stored as text in xlsx "
                        "and written with a leading ' in CSV, so a spreadsheet never runs it)")
    p.add_argument("--allow-pack-change", action="store_true",
                   help="plan even when the grades were made with another version of a pack")


def run(args: argparse.Namespace) -> int:
    if (args.advice or args.advise) and Path(args.output or "").suffix.lower() != ".xlsx":
        raise OptionError("--advice and --advise fill the ledger's 整改建议 column: write the ledger with -o FILE.xlsx")
    if args.advise and not args.grade:
        raise OptionError("--advise needs --grade (the advice is worked out from the entities' values); "
                          "or pass --advice FILE written by riskgrade advise")
    check_outputs({"-o": args.output}, [args.graded, args.capacity, *args.rules])
    packs = load_packs(*args.rules, pack=args.pack)
    graded: Any = args.graded
    if args.grade:
        graded = _grade(args, packs)
    calendar = WorkCalendar(WorkCalendar.parse_weekdays(args.workdays), frozenset(args.holiday),
                            frozenset(args.workday))
    capacity = read_capacity(args.capacity, unit=args.unit) if args.capacity else None
    plan = plan_inspections(graded, packs, start=args.start, end=args.end, capacity=capacity, calendar=calendar,
                            unit=args.unit, repeat=not args.no_repeat, check_sha=not args.allow_pack_change)
    if args.output:
        _write(args, plan, graded, packs)
    _report(plan, args)
    return 1 if plan.counts.unplanned else 0


def _grade(args: argparse.Namespace, packs: Any) -> Any:
    """Grade the entity file, carrying the columns the plan's roll-ups read when the file has them."""
    options = GradeOptions(as_of=args.as_of or args.start, params=dict(args.param),
                           keep_if_present=DEFAULT_KEEP + ("open_hazards",))
    result = grade_table(args.graded, packs, options)
    if result.counts.rejected:
        print(f"riskgrade plan: {result.counts}; rejected rows are not planned "
              "(riskgrade grade --rejects FILE lists them)", file=sys.stderr)
    return result


def _write(args: argparse.Namespace, plan: Any, graded: Any, packs: Any) -> None:
    if Path(args.output).suffix.lower() == ".xlsx":
        write_ledger(args.output, graded, packs, plan=plan, lang=args.lang, check_sha=not args.allow_pack_change,
                     escape_formulas=args.escape_formulas, advice=_advice(args, packs))
        return
    write_table(visits_table(plan, packs, args.lang), args.output, escape_formulas=args.escape_formulas)


def _advice(args: argparse.Namespace, packs: Any) -> Any:
    """The advice in words for the ledger: read from --advice, or worked out from the entity file."""
    if args.advice:
        return read_summaries(args.advice, packs)
    if args.advise:
        options = GradeOptions(as_of=args.as_of or args.start, params=dict(args.param))
        return summaries(advise_table(args.graded, packs, options=options).advice, args.lang)
    return None


def _report(plan: Any, args: argparse.Namespace) -> None:
    c = plan.counts
    print(f"plan {plan.start} – {plan.end} per {plan.unit}: {c}", file=sys.stderr)
    over = plan.over_capacity
    if over:
        print(f"over capacity ({len(over)}): {', '.join(over[:10])}{' …' if len(over) > 10 else ''}",
              file=sys.stderr)
    if args.output:
        print(f"wrote {args.output}", file=sys.stderr)
