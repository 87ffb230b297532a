"""``riskgrade map``: suggest the mapping of a registry's headers and values to the packs' fields."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ..api import GradeOptions, load_packs, suggest_mapping
from ..errors import OutputError
from ..io.outputs import check_outputs

EXAMPLE = """examples:
  riskgrade map 场所台账.xlsx --rules rules/ -o mapping.yaml
  riskgrade grade 场所台账.xlsx --rules rules/ --map mapping.yaml --strict -o graded.xlsx
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("map", help="suggest a mapping of a registry's columns and values to the packs' fields",
                       epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Read the input and write a mapping file: every column with the field it "
                                   "holds and how it was matched (id, label, alias, built-in name); columns "
                                   "that only resemble a field, unknown columns and values no code or label "
                                   "spells are written commented out, for a person to confirm. Exit 0 when "
                                   "every column and value was matched, 1 when some wait for a person.")
    p.add_argument("input", metavar="INPUT", help="entity file: .csv .tsv .jsonl .parquet .xlsx")
    p.add_argument("--rules", required=True, action="append", metavar="DIR_OR_FILE",
                   help="a rules folder or pack file (repeatable)")
    p.add_argument("--pack", action="append", metavar="ID", help="map to this pack's fields only (repeatable)")
    p.add_argument("-o", "--output", metavar="MAPPING.yaml", help="write the mapping here (default: stdout)")
    p.add_argument("--map", metavar="MAPPING.yaml", help="an earlier mapping to start from")
    p.add_argument("--id-column", metavar="COL", help="column holding entity ids")
    p.add_argument("--keep", action="append", metavar="COL", help="another column to carry (repeatable)")
    p.add_argument("--sheet", help="xlsx sheet to read (default: the first)")
    p.add_argument("--input-encoding", metavar="ENC", help="CSV encoding (default: detect UTF-8 / GB18030)")


def run(args: argparse.Namespace) -> int:
    check_outputs({"-o": args.output}, [args.input, args.map, *args.rules])
    packs = load_packs(*args.rules, pack=args.pack)
    options = GradeOptions(as_of=dt.date.today(), id_column=args.id_column, encoding=args.input_encoding,
                           sheet=args.sheet, keep=args.keep, mapping=args.map)
    suggestion = suggest_mapping(args.input, packs, options)
    if args.output:
        try:
            Path(args.output).write_text(suggestion.text, encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"{args.output}: cannot write: {exc.strerror}") from None
    else:
        sys.stdout.write(suggestion.text)
    where = f" in {args.output}" if args.output else ""
    if suggestion.complete:
        print(f"every column and value matched; wrote the mapping{where}", file=sys.stderr)
        return 0
    print(f"{suggestion.columns_to_check} column(s) and {suggestion.values_to_check} value(s) to check{where} "
          "(the lines starting with #)", file=sys.stderr)
    return 1
