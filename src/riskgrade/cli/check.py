"""``riskgrade check``: load, validate, type-check and lint packs, then run their tests on every engine."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..api import pack_files
from ..errors import Diagnostic
from ..lint.check import check_files
from .common import add_format

EXAMPLE = """examples:
  riskgrade check rules/
  riskgrade check rules/fire_safety.yaml --format json --lang zh
  riskgrade check rules/ --strict          # warnings fail the check too
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("check", help="validate and lint packs and run their tests", epilog=EXAMPLE,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Report every problem in the packs (file:line:col, code, rule): schema, "
                                   "expressions, semantics, lints, and each pack's examples and "
                                   "<pack>_test.yaml cases on every engine. Exit 0 clean, 1 findings.")
    p.add_argument("rules", nargs="+", metavar="RULES", help="pack files or folders")
    add_format(p)
    add_lang(p)
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--no-tests", action="store_true", help="do not run the pack tests")


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="language of messages (default: en)")


def check_paths(paths: list[str]) -> tuple[list[Diagnostic], int]:
    """Every diagnostic for the packs under ``paths``, and how many packs were checked."""
    checks = check_files(pack_files(*paths))
    return [f.diagnostic for c in checks for f in c.findings], len(checks)


def run(args: argparse.Namespace) -> int:
    files = pack_files(*args.rules)
    missing = [f for f in files if not f.exists()]
    if not files or missing:
        shown = ", ".join(map(str, missing)) if missing else "no pack files (*.yaml) found"
        print(f"riskgrade check: {shown}" + (": no such file" if missing else ""), file=sys.stderr)
        return 2
    checks = check_files(files, run_tests=not args.no_tests)
    findings = [f for c in checks for f in c.findings]
    errors = sum(f.severity == "error" for f in findings)
    if args.format == "json":
        print(json.dumps({"packs": len(checks), "errors": errors, "warnings": len(findings) - errors,
                          "diagnostics": [f.to_dict(args.lang) for f in findings]}, ensure_ascii=False, indent=2))
    else:
        for f in findings:
            print(f.render(args.lang))
        summary = (f"检查了 {len(checks)} 个规则包：{errors} 个错误，{len(findings) - errors} 个警告"
                   if args.lang == "zh" else
                   f"{len(checks)} pack(s) checked: {errors} error(s), {len(findings) - errors} warning(s)")
        print(summary, file=sys.stderr)
    return 1 if errors or (args.strict and findings) else 0
