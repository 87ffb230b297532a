"""``riskgrade status``: an entity's current level, open hazards with deadlines, and history."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..events import Monitor
from ..events.monitor import open_readonly_path

EXAMPLE = """examples:
  riskgrade status KTV-7 --db state.sqlite
  riskgrade status V-粤B12345 --db state.sqlite --format json
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("status", help="show an entity's level, open hazards and history", epilog=EXAMPLE,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Rebuild the monitor state from --db (snapshot plus journal) and show one "
                                   "entity. Exit 0 found, 1 unknown entity, 2 usage error.")
    p.add_argument("entity", metavar="ENTITY_ID")
    p.add_argument("--db", required=True, metavar="STATE.sqlite")
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    with Monitor(open_readonly_path(args.db)) as monitor:
        status = monitor.status(args.entity)
    if status is None:
        print(f"riskgrade status: no events for entity {args.entity!r} in {args.db}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(status, ensure_ascii=False, indent=2))
    else:
        print(render(status))
    return 0


def render(s: dict[str, Any]) -> str:
    """The status as a short text report."""
    graded = f"pack grade {s['pack_level']}" if s["pack_level"] else "not graded yet"
    lines = [f"{s['entity']}  level {s['level']} ({graded}; pack {s['pack']}, clock {s['clock']})"]
    if s["inspection_interval_days"] is not None:
        lines.append(f"  inspection every {s['inspection_interval_days']} days; last {s['last_inspection'] or '-'}"
                     f"; next {s['next_inspection'] or '-'}")
    for h in s["open_hazards"]:
        lines.append(f"  hazard {h['hazard']} [{h['severity']}] {h['status']}: found {h['found']}, "
                     f"deadline {h['deadline']}")
    for f in s["follow_ups"]:
        lines.append(f"  follow-up for {f['hazard']} due {f['due'] or '(overdue)'}")
    for until in s["accident_raise_until"]:
        lines.append(f"  accident: level raised until {until}")
    lines.append("  history:")
    lines += [f"    {h['at']}  {h['type']}  ({h['event']})" for h in s["history"]]
    return "\n".join(lines)
