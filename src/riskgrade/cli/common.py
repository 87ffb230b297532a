"""Argument helpers shared by the commands."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from typing import Any

# Characters a terminal acts on instead of showing: C0 controls but tab and newline, DEL, C1
# controls (\x9b alone starts an escape sequence on some terminals), and the bidirectional
# overrides and isolates that reorder what is shown.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def as_of(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def param(text: str) -> tuple[str, Any]:
    """``name=value``; the value is read as JSON when it can be (numbers, true/false), else as text."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name.strip(), json.loads(value)
    except json.JSONDecodeError:
        return name.strip(), value


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="how to print diagnostics (default: text)")


def printable(text: str) -> str:
    r"""``text`` safe to print on a terminal: every control character spelled as ``\uXXXX``.

    An entity id or a cell holding an escape sequence could otherwise recolour, move or hide what
    the terminal shows (or, on some terminals, answer back). The spelling is also valid inside a
    JSON string, so JSON output stays parseable.

    >>> printable("FS-1\x1b[2J")
    'FS-1\\u001b[2J'
    """
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
