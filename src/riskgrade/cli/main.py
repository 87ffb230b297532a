"""The ``riskgrade`` command: a thin layer that parses arguments and calls the public API.

Exit codes: 0 success, 1 findings (pack errors, failed examples, rejected rows), 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from types import ModuleType
from typing import Sequence

from .._version import __version__
from ..errors import RiskgradeError

# One module per command under riskgrade/cli/, each with add_parser(sub) and run(args) -> int.
COMMAND_NAMES = ("grade", "map", "check", "test", "compile", "explain", "diff", "plan", "watch", "status", "schema",
                 "serve")


def commands() -> dict[str, ModuleType]:
    found = {}
    for name in COMMAND_NAMES:
        try:
            found[name] = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{name}":
                raise  # a real import error inside the command, not an absent command
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="riskgrade",
        description="Grade supervised entities into risk levels (red/orange/yellow/blue) from YAML rule packs.",
        epilog="Example: riskgrade grade examples/venues.csv --rules rules/ -o graded.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"riskgrade {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands().values():
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(commands()[args.command].run(args))
    except RiskgradeError as exc:
        print(f"riskgrade {args.command}: {exc}", file=sys.stderr)
        return 2 if not hasattr(exc, "diagnostics") else 1
    except KeyboardInterrupt:
        print("riskgrade: interrupted; no output file was replaced", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
