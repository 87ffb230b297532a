"""``riskgrade test``: run each pack's cases (examples and ``<pack>_test.yaml``) on every engine and
report which rules and levels no case exercises (as ``opa test --coverage``)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..api import pack_files
from ..lint.check import check_files
from ..lint.findings import from_diagnostic
from .check import add_lang
from .common import add_format

EXAMPLE = """examples:
  riskgrade test rules/
  riskgrade test rules/fire_safety.yaml --format json
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("test", help="run pack tests on every engine, with rule and level coverage",
                       epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Cases are a pack's examples plus the 'cases:' of <pack>_test.yaml beside it. "
                                   "Exit 0 when every case passes, 1 otherwise.")
    p.add_argument("rules", nargs="+", metavar="RULES", help="pack files or folders")
    add_format(p)
    add_lang(p)


def run(args: argparse.Namespace) -> int:
    files = pack_files(*args.rules)
    if not files or any(not f.exists() for f in files):
        print("riskgrade test: no pack files (*.yaml) found" if not files else
              f"riskgrade test: no such file: {', '.join(str(f) for f in files if not f.exists())}", file=sys.stderr)
        return 2
    checks = check_files(files)
    broken = [f for c in checks if c.tests is None for f in c.findings if f.severity == "error"]
    reports = [c.tests for c in checks if c.tests is not None]
    if args.format == "json":
        print(json.dumps({"packs": [r.to_dict() for r in reports],
                          "load_errors": [f.to_dict(args.lang) for f in broken]}, ensure_ascii=False, indent=2))
    else:
        for f in broken:
            print(f.render(args.lang))
        for r in reports:
            print(_text(r, args.lang))
    failed = any(r.failed or any(d.severity == "error" for d in r.load_problems) for r in reports)
    return 1 if failed or broken else 0


def _text(report: Any, lang: str) -> str:
    d = report.to_dict()
    cov = d["coverage"]
    zh = lang == "zh"
    lines = [f"{d['pack']} {d['pack_version']}（{d['file']}）：{d['cases']} 个用例，通过 {d['passed']} 个" if zh else
             f"{d['pack']} {d['pack_version']} ({d['file']}): {d['passed']}/{d['cases']} cases passed"]
    for diag in report.diagnostics:
        lines.append("  " + from_diagnostic(diag).render(lang))
    for kind in ("rules", "levels"):
        c = cov[kind]
        if zh:
            missing = "、".join(c["not_covered"]) or "无"
            lines.append(f"  {'规则' if kind == 'rules' else '等级'}覆盖：{c['covered']}/{c['total']}"
                         f"（{c['percent']:g}%）；未覆盖：{missing}")
        else:
            missing = ", ".join(c["not_covered"]) or "-"
            lines.append(f"  {kind} covered: {c['covered']}/{c['total']} ({c['percent']:g}%); not covered: {missing}")
    return "\n".join(lines)
