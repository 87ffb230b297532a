"""``riskgrade advise``: rectification plans — the cheapest fixes that bring each entity to a target level."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from ..api import GradeOptions, advise_file, load_packs
from ..errors import ColumnsError
from ..grading.run import rejects_wording
from .common import as_of, param
from .grade import print_report

EXAMPLE = """examples:
  riskgrade advise examples/venues.csv --rules rules/ --as-of 2026-11-01 -o advice.jsonl
  riskgrade advise examples/venues.csv --rules rules/ --pack fire_safety --target blue -o advice.xlsx
  riskgrade advise 场所台账.xlsx --rules rules/ --map mapping.yaml --lang zh -o 整改建议.xlsx

Each record: entity_id, pack, level, target_level, reachable, reaches_level, total_cost (yuan),
total_days, fixes [{id, field, to, action, cost, days, by, on_the_spot, rule}], blocked_by (the
findings no fix changes, when the target is out of reach), exact and a one-sentence summary.
Without --target the target is one level less severe than the grade; --target blue asks for the
lowest level, and where it is out of reach the fixes lead to the lowest level that can be reached.
With --lang zh the actions and summaries are in Chinese, and csv and xlsx have Chinese headers and
levels (jsonl and parquet keep the ids). Exit 1 when a row could not be graded.
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
    p.add_argument("--rejects", metavar="FILE", help="also write rejected rows here (.jsonl or .csv)")
    p.add_argument("--id-column", metavar="COL",
                   help="column holding entity ids (default: entity_id, id, 单位编号, 统一社会信用代码 …)")
    p.add_argument("--map", metavar="MAPPING.yaml",
                   help="what the input calls the packs' columns and values (see riskgrade map)")
    p.add_argument("--strict", action="store_true",
                   help="advise nothing on missing information: exit 1 without writing anything when a column "
                        "is unknown or a field a rule needs is absent")
    p.add_argument("--lang", choices=("en", "zh"), default="en",
                   help="language of actions, summaries, messages, and of csv/xlsx headers and levels (default: en)")
    p.add_argument("--encoding", metavar="ENC", help="encoding of CSV output (default: UTF-8 with BOM; e.g. gb18030)")
    p.add_argument("--input-encoding", metavar="ENC", help="encoding of CSV input (default: detect UTF-8 / GB18030)")
    p.add_argument("--sheet", help="xlsx sheet to read (default: the first)")
    p.add_argument("--keep", action="append", metavar="COL",
                   help="another input column to carry into the records (repeatable), besides name, address, "
                        "city, county, station, grid, which are carried when present")
    p.add_argument("--quiet", action="store_true", help="no summary, and of the column report only what is wrong")


def run(args: argparse.Namespace) -> int:
    packs = load_packs(*args.rules, pack=args.pack)
    options = GradeOptions(as_of=args.as_of or dt.date.today(), params=dict(args.param), id_column=args.id_column,
                           encoding=args.input_encoding, sheet=args.sheet, keep=args.keep, mapping=args.map,
                           strict=args.strict, lang=args.lang, output_encoding=args.encoding)
    zh = args.lang == "zh"
    try:
        counts, rejects = advise_file(args.input, packs, args.output, args.target, options, rejects_path=args.rejects,
                                      on_report=lambda report: print_report(report, args.lang, args.quiet))
    except ColumnsError as exc:
        print(f"riskgrade advise: {exc}", file=sys.stderr)
        print("没有写出任何文件。" if zh else "nothing was written.", file=sys.stderr)
        return 1
    wording = rejects_wording(args.lang, packs)
    for r in rejects[:20]:
        print(f"{'未评级：' if zh else 'rejected: '}{r.text(wording)}", file=sys.stderr)
    if len(rejects) > 20:
        more = len(rejects) - 20
        print(f"… 另有 {more} 行未评级" if zh else f"… and {more} more rejected rows"
              + (f" (all in {args.rejects})" if args.rejects and not zh else ""), file=sys.stderr)
    if not args.quiet:
        names = ", ".join(f"{p.pack_id} {p.version}" for p in packs)
        day = options.as_of.isoformat()
        print(f"按 {day} 评级并给出整改建议（{names}）：读入 {counts.rows_in} 行 = 评级 {counts.graded} 行 + 未评级 "
              f"{counts.rejected} 行；已写出 {args.output}" if zh else
              f"advised as of {day} with {names}: {counts}; wrote {args.output}", file=sys.stderr)
    return 1 if counts.rejected else 0
