"""``riskgrade check``: load, validate and type-check packs, then run their examples on every engine."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..api import load_pack, pack_files
from ..errors import Diagnostic, PackError
from ..io.pack_source import read_pack
from ..packtest import run_examples
from .common import add_format

EXAMPLE = """examples:
  riskgrade check rules/
  riskgrade check rules/fire_safety.yaml --format json
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("check", help="validate packs and run their examples", epilog=EXAMPLE,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Report every problem in the packs (file:line:col, code, rule) and run "
                                   "each pack's examples on every engine. Exit 0 clean, 1 findings.")
    p.add_argument("rules", nargs="+", metavar="RULES", help="pack files or folders")
    add_format(p)


def check_paths(paths: list[str]) -> tuple[list[Diagnostic], int]:
    """Every diagnostic for the packs under ``paths``, and how many packs were checked."""
    diagnostics: list[Diagnostic] = []
    files = pack_files(*paths)
    for f in files:
        try:
            program = load_pack(f)
        except PackError as exc:
            diagnostics += exc.diagnostics
            continue
        source = read_pack(f).source
        diagnostics += run_examples(program, source.locate)
    return diagnostics, len(files)


def run(args: argparse.Namespace) -> int:
    diagnostics, n_packs = check_paths(args.rules)
    if n_packs == 0:
        print("riskgrade check: no pack files (*.yaml) found", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps({"packs": n_packs, "diagnostics": [d.to_dict() for d in diagnostics]},
                         ensure_ascii=False, indent=2))
    else:
        for d in diagnostics:
            print(d)
        errors = sum(d.severity == "error" for d in diagnostics)
        print(f"{n_packs} pack(s) checked: {errors} error(s), {len(diagnostics) - errors} warning(s)",
              file=sys.stderr)
    return 1 if any(d.severity == "error" for d in diagnostics) else 0
