"""``riskgrade watch``: stream events in (JSON Lines), alerts out (JSON Lines), state in SQLite."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Iterable, TextIO

from ..events import Monitor, alert_line

EXAMPLE = """examples:
  riskgrade watch --db state.sqlite --rules rules/ events.jsonl > alerts.jsonl
  tail -f events.jsonl | riskgrade watch --db state.sqlite -      # one event at a time
  riskgrade watch --db state.sqlite events-2026-06.jsonl          # the pack stored in the database

Events: inspection, hazard_found, hazard_rectified, follow_up_done, accident, complaint,
vehicle_alarm, violation, entity_updated, tick (the clock). Alerts: hazard_overdue, level_changed,
follow_up_due, follow_up_overdue, unscheduled_inspection, accident_recorded, accident_expired,
data_rejected. A repeated event id is acknowledged and not applied again, so a stream can be sent
again after a crash. Exit 0 when every event was accepted (or a duplicate), 1 when any was
rejected (see the database's rejects table), 2 on a usage error.
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("watch", help="follow hazards, deadlines and complaints from an event stream",
                       epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Apply events to the monitor state in --db (journalled before they are "
                                   "applied; a restart resumes from it) and print alerts as JSON Lines.")
    p.add_argument("events", nargs="?", default="-", metavar="EVENTS.jsonl",
                   help="the event file, or - for standard input (default)")
    p.add_argument("--db", required=True, metavar="STATE.sqlite", help="monitor database (created if absent)")
    p.add_argument("--rules", metavar="DIR", help="pack file or folder (default: the pack stored in --db)")
    p.add_argument("--pack", metavar="ID", help="the pack to follow when several have a lifecycle section")
    p.add_argument("--snapshot-every", type=int, default=100_000, metavar="N",
                   help="store a snapshot of the state every N accepted events (default: 100000)")
    p.add_argument("--batch", type=int, metavar="N",
                   help="events per journal transaction (default: 512 from a file, 1 from standard input)")


def run(args: argparse.Namespace) -> int:
    if args.batch is not None and args.batch < 1:
        print("riskgrade watch: --batch must be at least 1", file=sys.stderr)
        return 2
    interactive = args.events == "-"
    batch = args.batch or (1 if interactive else 512)
    with Monitor(args.db, args.rules, pack=args.pack, snapshot_every=max(1, args.snapshot_every)) as monitor:
        if interactive:
            return _watch(monitor, sys.stdin, batch, sys.stdout)
        try:
            with open(args.events, encoding="utf-8-sig") as source:
                return _watch(monitor, source, batch, sys.stdout)
        except FileNotFoundError:
            print(f"riskgrade watch: no such file: {args.events}", file=sys.stderr)
            return 2


def _watch(monitor: Monitor, lines: Iterable[str], batch: int, out: TextIO) -> int:
    counts = {"accepted": 0, "duplicate": 0, "rejected": 0}
    for outcomes in monitor.stream(lines, batch):
        for o in outcomes:
            counts[o.status] += 1
            for alert in o.alerts:
                out.write(alert_line(alert) + "\n")
            if o.status == "rejected":
                print(f"riskgrade watch: rejected event {o.event_id or '?'}: {o.reason}", file=sys.stderr)
        out.flush()
    total = sum(counts.values())
    print(f"riskgrade watch: {total} events = {counts['accepted']} accepted + {counts['duplicate']} duplicate "
          f"+ {counts['rejected']} rejected", file=sys.stderr)
    return 1 if counts["rejected"] else 0
