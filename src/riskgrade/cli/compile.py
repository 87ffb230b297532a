"""``riskgrade compile``: print the Python module a pack compiles to for grading one entity at a time
(what ``riskgrade.grade`` runs), for a person to read; nothing is written or run."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..api import load_packs
from ..backends import compiled

EXAMPLE = """examples:
  riskgrade compile --rules rules/ --pack fire_safety
  riskgrade compile --rules rules/hazardous_chemicals.yaml > chemicals_compiled.py
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("compile", help="print the Python a pack compiles to (one entity at a time)", epilog=EXAMPLE,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="The module is generated from the compiled pack: every name in it is the "
                                   "generator's, every value from the pack a literal. Exit 1 when the pack holds a "
                                   "construct the compiled engine does not lower (it is then graded by the "
                                   "reference engine).")
    p.add_argument("--rules", required=True, action="append", metavar="DIR_OR_FILE",
                   help="a rules folder or pack file (repeatable)")
    p.add_argument("--pack", metavar="ID", help="the pack to print (needed when the rules hold several)")


def run(args: argparse.Namespace) -> int:
    packs = load_packs(*args.rules, pack=args.pack)
    if len(packs) != 1:
        ids = ", ".join(p.pack_id for p in packs) or "none"
        print(f"riskgrade compile: name one pack with --pack (the rules hold: {ids})", file=sys.stderr)
        return 2
    (program,) = packs
    reason = compiled.unsupported(program)
    if reason is not None:
        print(f"riskgrade compile: pack {program.pack_id} is graded by the reference engine: {reason}",
              file=sys.stderr)
        return 1
    sys.stdout.write(compiled.source(program))
    return 0
