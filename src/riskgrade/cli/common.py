"""Argument helpers shared by the commands."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any


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
