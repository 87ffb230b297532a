"""The ``riskgrade`` command: a thin layer that parses arguments and calls the public API.

Exit codes: 0 success, 1 findings (pack errors, failed examples, rejected rows), 2 usage error or a
problem of the environment (a file that cannot be read or written). Every failure is one line on
stderr, never a traceback (``RISKGRADE_TRACEBACK=1`` shows it, for a bug report), and nothing the
data holds reaches the terminal as a control character: stdout and stderr spell them as ``\\uXXXX``
(``common.printable``), so an entity id with an escape sequence cannot rewrite the screen.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from contextlib import contextmanager
from types import ModuleType
from typing import Any, Iterator, Sequence

from .._version import __version__
from ..errors import RiskgradeError
from .common import printable

# One module per command under riskgrade/cli/, each with add_parser(sub) and run(args) -> int.
COMMAND_NAMES = ("grade", "map", "check", "test", "compile", "explain", "advise", "diff", "plan", "watch", "status",
                 "schema", "serve")


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
    with _printable_streams():
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
        except OSError as exc:  # the environment: a file vanished, a permission, a device
            print(f"riskgrade {args.command}: {exc}", file=sys.stderr)
            return 2
        except Exception as exc:  # noqa: BLE001 - a bug: one line, and the traceback on request
            if os.environ.get("RISKGRADE_TRACEBACK"):
                raise
            print(f"riskgrade {args.command}: internal error ({type(exc).__name__}: {exc}); this is a bug "
                  "in riskgrade — run again with RISKGRADE_TRACEBACK=1 and report what it prints", file=sys.stderr)
            return 2


class _Printable:
    """A text stream that spells control characters (``common.printable``) and passes the rest on."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.unfiltered = stream  # for what writes its own escape sequences (the progress bar)

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def _printable_streams() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Printable(sys.stdout), _Printable(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
