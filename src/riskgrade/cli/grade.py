"""``riskgrade grade``: grade entity files with the packs of a rules folder."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from ..api import GradeOptions, check_columns, grade_file, load_packs
from ..errors import ColumnsError
from ..grading.run import rejects_wording
from ..resolve import ColumnReport
from ..io.outputs import check_outputs
from ..scale.dask import grade_file_dask
from .common import as_of, param

EXAMPLE = """examples:
  riskgrade grade examples/venues.csv --rules rules/ -o graded.xlsx
  riskgrade grade venues.csv --rules rules/ --pack fire_safety --as-of 2026-11-01 -o out.parquet --rejects rejects.csv
  riskgrade grade venues.csv --rules rules/ --param region=fujian -o out.jsonl
  riskgrade grade 场所台账.xlsx --rules rules/ --map mapping.yaml --strict --lang zh -o 评级.xlsx
  riskgrade grade 场所台账.csv --rules rules/ --lang zh --encoding gb18030 -o 评级.csv --rejects 未评级.csv
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
    p.add_argument("--id-column", metavar="COL",
                   help="column holding entity ids (default: entity_id, id, 单位编号, 统一社会信用代码 …)")
    p.add_argument("--map", metavar="MAPPING.yaml",
                   help="what the input calls the packs' columns and values (see riskgrade map)")
    p.add_argument("--strict", action="store_true",
                   help="grade nothing on missing information: exit 1 without writing anything when a column "
                        "is unknown or a field a rule needs is absent, and reject a row a pack cannot tell it "
                        "applies to (RG406) instead of grading it undecided")
    p.add_argument("--lang", choices=("en", "zh"), default="en",
                   help="language of the column report, messages, rejects, and of csv/xlsx headers and levels "
                        "(default: en; jsonl and parquet keep the ids)")
    p.add_argument("--encoding", metavar="ENC", help="encoding of CSV output (default: UTF-8 with BOM; e.g. gb18030)")
    p.add_argument("--input-encoding", metavar="ENC", help="encoding of CSV input (default: detect UTF-8 / GB18030)")
    p.add_argument("--sheet", help="xlsx sheet to read (default: the first)")
    p.add_argument("--chunk-rows", type=int, default=65536, help="rows per chunk (default 65536)")
    p.add_argument("--keep", action="append", metavar="COL",
                   help="another input column to carry into the results (repeatable), besides name, address, "
                        "city, county, station, grid, which are carried when present")
    p.add_argument("--engine", choices=("batch", "dask"), default="batch",
                   help="batch (this machine, default) or dask (a Dask cluster; needs riskgrade[dask])")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: a running scheduler (default: a local cluster)")
    p.add_argument("--explain", action="store_true",
                   help="add an 'explanation' column (JSON: fired rules with their inputs, band, vetoes, "
                        "controls, interval) to every record; one slower pass per entity")
    p.add_argument("--no-escape-formulas", dest="escape_formulas", action="store_false",
                   help="write text starting with = + - @ as it is (by default such text is stored as text "
                        "in xlsx and written with a leading ' in CSV, so a spreadsheet never runs it)")
    p.add_argument("--quiet", action="store_true",
                   help="no progress bar, no summary, and of the column report only what is wrong")


def options_from(args: argparse.Namespace) -> GradeOptions:
    """The run's options from the command line (``grade`` and ``map`` share them)."""
    return GradeOptions(as_of=getattr(args, "as_of", None) or dt.date.today(), params=dict(args.param),
                        chunk_rows=args.chunk_rows, id_column=args.id_column, encoding=args.input_encoding,
                        sheet=args.sheet, keep=args.keep, explain=getattr(args, "explain", False),
                        mapping=args.map, strict=getattr(args, "strict", False), lang=args.lang,
                        output_encoding=getattr(args, "encoding", None),
                        escape_formulas=getattr(args, "escape_formulas", True))


def run(args: argparse.Namespace) -> int:
    check_outputs({"-o": args.output, "--rejects": args.rejects}, [*args.inputs, *args.rules, args.map])
    packs = load_packs(*args.rules, pack=args.pack)
    options = options_from(args)
    sources: Any = args.inputs if len(args.inputs) > 1 else args.inputs[0]
    try:
        if args.engine == "dask":
            return _run_dask(args, packs, options)
        progress = _Progress(args.quiet)
        with progress:
            counts, rejects = grade_file(sources, packs, args.output, options, rejects_path=args.rejects,
                                         on_chunk=progress.update, on_report=_printer(args, progress))
    except ColumnsError as exc:
        print(f"riskgrade grade: {exc}", file=sys.stderr)
        print("没有写出任何文件。" if args.lang == "zh" else "nothing was written.", file=sys.stderr)
        return 1
    _print_rejects(args, packs, rejects, counts)
    if not args.quiet:
        names = ", ".join(f"{p.pack_id} {p.version}" for p in packs)
        day = options.as_of.isoformat()
        print(f"按 {day} 评级（{names}）：读入 {counts.rows_in} 行 = 评级 {counts.graded} 行 + 未评级 "
              f"{counts.rejected} 行；已写出 {args.output}" if args.lang == "zh" else
              f"graded as of {day} with {names}: {counts}; wrote {args.output}", file=sys.stderr)
    return 1 if counts.rejected else 0


def _printer(args: argparse.Namespace, progress: "_Progress") -> Any:
    def show(report: ColumnReport) -> None:
        progress.pause()
        print_report(report, args.lang, args.quiet)
    return show


def print_report(report: ColumnReport, lang: str, quiet: bool = False) -> None:
    """The column report on stderr (with ``quiet``, only what is wrong with the columns)."""
    if not quiet:
        print(report.render(lang), end="", file=sys.stderr)
        return
    for problem in report.problems(lang):
        print(f"{report.source}: {problem}", file=sys.stderr)


def _print_rejects(args: argparse.Namespace, packs: Any, rejects: list[Any], counts: Any, shown: int = 20) -> None:
    """The first rejected rows on stderr, then how many more there are and where they all are (a
    run hands back the first thousand; the counts have them all)."""
    wording = rejects_wording(args.lang, packs)
    label = "未评级：" if args.lang == "zh" else "rejected: "
    for r in rejects[:shown]:
        print(f"{label}{r.text(wording)}", file=sys.stderr)
    more = counts.rejected - len({(r.source, r.row) for r in rejects[:shown]})
    if more > 0:
        if args.lang == "zh":
            tail = f"（全部见 {args.rejects}）" if args.rejects else "（用 --rejects 文件 保存全部）"
            print(f"… 另有 {more} 行未评级{tail}", file=sys.stderr)
        else:
            tail = f" (all in {args.rejects})" if args.rejects else " (use --rejects FILE to keep them all)"
            print(f"… and {more} more rejected rows{tail}", file=sys.stderr)


def _run_dask(args: argparse.Namespace, packs: Any, options: GradeOptions) -> int:
    if len(args.inputs) != 1:
        print("riskgrade grade: --engine dask takes one input file", file=sys.stderr)
        return 2
    report = check_columns(args.inputs[0], packs, GradeOptions.of(options, strict=False))
    print_report(report, args.lang, args.quiet)
    if options.strict and report.problems():
        raise ColumnsError("; ".join(report.problems(args.lang)), report)
    counts, rejects = grade_file_dask(args.inputs[0], packs, args.output, options, scheduler=args.scheduler,
                                      rejects_path=args.rejects)
    _print_rejects(args, packs, rejects, counts)
    if not args.quiet:
        print(f"graded on Dask as of {options.as_of.isoformat()}: {counts}; wrote {args.output}", file=sys.stderr)
    return 1 if counts.rejected else 0


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

    def pause(self) -> None:
        """Stop drawing, so that a block printed to stderr is not drawn over."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def update(self, counts: Any) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=f"graded {counts.graded:,} rows, rejected {counts.rejected:,}")

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()
