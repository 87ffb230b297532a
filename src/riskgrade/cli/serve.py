"""``riskgrade serve``: the HTTP API and the browser workbench (needs ``pip install "riskgrade[serve]"``)."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

EXAMPLE = """examples:
  riskgrade serve --rules rules/                                   # http://127.0.0.1:8000/
  RISKGRADE_TOKEN=s3cret riskgrade serve --rules rules/ --db state.sqlite --port 8080
  curl -s -X POST 'http://127.0.0.1:8000/v1/grade?as_of=2026-11-01' -H 'Content-Type: application/json' \\
       -d '{"venue_type": "hotel", "guest_rooms": 80, "exits": 1}'
"""


def _size(text: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    t = text.strip().lower().rstrip("b").rstrip("i")
    try:
        return int(float(t[:-1]) * units[t[-1]]) if t and t[-1] in units else int(t)
    except (ValueError, IndexError):
        raise argparse.ArgumentTypeError(f"not a size (e.g. 64M, 1G, 1048576): {text!r}") from None


def add_parser(sub: Any) -> None:
    p = sub.add_parser("serve", help="serve the HTTP API and the browser workbench", epilog=EXAMPLE,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Grade over HTTP (JSON in and out, errors as RFC 9457 problem details) and "
                                   "show the workbench: overview, entity pages, pack documents with what-if, "
                                   "diffs. API reference at /docs. Packs are checked at start; POST /v1/reload "
                                   "re-reads them. Writes (events, reload) need RISKGRADE_TOKEN as a bearer token.")
    p.add_argument("--rules", required=True, action="append", metavar="DIR_OR_FILE",
                   help="a rules folder or pack file (repeatable)")
    p.add_argument("--db", metavar="STATE.sqlite", help="event database: enables /v1/events and /v1/entities/{id}")
    p.add_argument("--pack", metavar="ID", help="with --db: the pack whose lifecycle the events follow")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--max-body", type=_size, default=64 * 1024**2, metavar="SIZE",
                   help="largest request body, e.g. 64M (default), 1G")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                   help="time the work of one request may take (default 120)")
    p.add_argument("--read-timeout", type=float, default=60.0, metavar="SECONDS",
                   help="time a client has to send its request body (default 60)")
    p.add_argument("--insecure-no-auth", action="store_true",
                   help="accept writes without a token (only on a machine only you can reach)")
    p.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                   help="allow browser calls from this origin (repeatable; default: none)")
    p.add_argument("--no-tests", action="store_true",
                   help="check the packs at start and reload without running their tests (a faster start)")
    p.add_argument("--access-log", action="store_true", help="log every request")


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from ..serve import ServeSettings, create_app
    except ModuleNotFoundError as exc:
        print(f"riskgrade serve: {exc.name} is not installed; pip install \"riskgrade[serve]\"", file=sys.stderr)
        return 2
    settings = ServeSettings(rules=tuple(args.rules), db=args.db, event_pack=args.pack,
                             insecure_no_auth=args.insecure_no_auth, max_body=args.max_body, timeout=args.timeout,
                             read_timeout=args.read_timeout,
                             cors_origins=tuple(args.cors_origin), pack_tests=not args.no_tests)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)  # packs are loaded and checked here: a bad pack stops the start
    # One process: grading is CPU-bound and releases the GIL in numpy, the event loop only moves bytes,
    # and the last graded registry and the event monitor live in this process.
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=args.access_log,
                timeout_keep_alive=5, timeout_graceful_shutdown=10, limit_concurrency=512,
                server_header=False, proxy_headers=False)
    return 0
