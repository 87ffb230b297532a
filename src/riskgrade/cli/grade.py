"""``riskgrade grade``: grade entity files with the packs of a rules folder."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from ..api import GradeOptions, grade_file, load_packs
from ..io.outputs import check_outputs
from ..scale.dask import grade_file_dask
from .common import as_of, param

EXAMPLE = """examples:
  riskgrade grade examples/venues.csv --rules rules/ -o graded.xlsx
  riskgrade grade venues.csv --rules rules/ --pack fire_safety --as-of 2026-11-01 -o out.parquet --rejects rejects.csv
  riskgrade grade venues.csv --rules rules/ --param region=fujian -o out.jsonl
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("grade", help="grade entity files (csv, xlsx, jsonl, parquet)", epilog=EXAMPLE,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Grade every row of the input files; write one record per entity and pack.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="entity files: .csv .tsv .jsonl .parquet .xlsx")
    p.add_argument("--rules", required=True, action="append", metavar="DIR_OR_FILE",
                   help="a rules folder or pack file (repeatable)")
    p.add_argument("--pack", action="append", metavar="ID", help="grade with this pack only (repeatable)")
    p.add_argument("--as-of", type=as_of, default=None, metavar="DATE",
                   help="the grading date (default: today); the same date gives the same grades")
    p.add_argument("--param", type=param, action="append", default=[], metavar="NAME=VALUE",
                   help="a pack parameter, e.g. region=fujian")
    p.add_argument("-o", "--output", required=True, help="result file: .jsonl .csv .parquet .xlsx")
    p.add_argument("--rejects", metavar="FILE", help="also write rejected rows here (.jsonl or .csv)")
    p.add_argument("--id-column", metavar="COL", help="column holding entity ids (default: entity_id or id)")
    p.add_argument("--encoding", help="CSV encoding (default: detect UTF-8 / GB18030)")
    p.add_argument("--sheet", help="xlsx sheet to read (default: the first)")
    p.add_argument("--chunk-rows", type=int, default=65536, help="rows per chunk (default 65536)")
    p.add_argument("--keep", action="append", metavar="COL",
                   help="input column to carry into the results (repeatable; default: name, city, county, "
                        "station, grid when present)")
    p.add_argument("--engine", choices=("batch", "dask"), default="batch",
                   help="batch (this machine, default) or dask (a Dask cluster; needs riskgrade[dask])")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: a running scheduler (default: a local cluster)")
    p.add_argument("--explain", action="store_true",
                   help="add an 'explanation' column (JSON: fired rules with their inputs, band, vetoes, "
                        "controls, interval) to every record; one slower pass per entity")
    p.add_argument("--strict", action="store_true",
                   help="reject rows a pack cannot tell it applies to (a field deciding it is missing) "
                        "instead of grading them undecided")
    p.add_argument("--no-escape-formulas", dest="escape_formulas", action="store_false",
                   help="write text starting with = + - @ as it is (by default such text is stored as text "
                        "in xlsx and written with a leading ' in CSV, so a spreadsheet never runs it)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")


def run(args: argparse.Namespace) -> int:
    check_outputs({"-o": args.output, "--rejects": args.rejects}, [*args.inputs, *args.rules])
    packs = load_packs(*args.rules, pack=args.pack)
    day = args.as_of or dt.date.today()
    options = GradeOptions(as_of=day, params=dict(args.param), chunk_rows=args.chunk_rows, id_column=args.id_column,
                           encoding=args.encoding, sheet=args.sheet, keep=args.keep, explain=args.explain,
                           strict=args.strict, escape_formulas=args.escape_formulas)
    sources: Any = args.inputs if len(args.inputs) > 1 else args.inputs[0]
    if args.engine == "dask":
        return _run_dask(args, packs, options)
    progress = _Progress(args.quiet)
    with progress:
        counts, rejects = grade_file(sources, packs, args.output, options, rejects_path=args.rejects,
                                     on_chunk=progress.update)
    _show_rejects(rejects, counts, args.rejects)
    if not args.quiet:
        names = ", ".join(f"{p.pack_id} {p.version}" for p in packs)
        print(f"graded as of {day.isoformat()} with {names}: {counts}; wrote {args.output}", file=sys.stderr)
    return 1 if counts.rejected else 0


def _run_dask(args: argparse.Namespace, packs: Any, options: GradeOptions) -> int:
    if len(args.inputs) != 1:
        print("riskgrade grade: --engine dask takes one input file", file=sys.stderr)
        return 2
    counts, rejects = grade_file_dask(args.inputs[0], packs, args.output, options, scheduler=args.scheduler,
                                      rejects_path=args.rejects)
    _show_rejects(rejects, counts, args.rejects)
    if not args.quiet:
        print(f"graded on Dask as of {options.as_of.isoformat()}: {counts}; wrote {args.output}", file=sys.stderr)
    return 1 if counts.rejected else 0


def _show_rejects(rejects: Any, counts: Any, path: str | None, shown: int = 20) -> None:
    """The first rejected rows on stderr, then how many more there are and where they all are."""
    for r in rejects[:shown]:
        print(f"rejected: {r}", file=sys.stderr)
    more = counts.rejected - len({(r.source, r.row) for r in rejects[:shown]})
    if more > 0:
        where = f" (all in {path})" if path else " (use --rejects FILE to keep them all)"
        print(f"… and {more} more rejected rows{where}", file=sys.stderr)


class _Progress:
    """A rich progress line on an interactive terminal; silent otherwise."""

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar: Any = None

    def __enter__(self) -> "_Progress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            # the bar draws with escape sequences; the counts it shows are numbers
            console = Console(file=getattr(sys.stderr, "unfiltered", sys.stderr))
            self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                transient=True, console=console)
            self.bar.start()
            self.task = self.bar.add_task("grading…")
        return self

    def update(self, counts: Any) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=f"graded {counts.graded:,} rows, rejected {counts.rejected:,}")

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()
