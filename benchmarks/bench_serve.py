"""The HTTP service under load, over loopback, on this machine's cores.

1. Single-entity ``POST /v1/grade``: ``--clients`` concurrent keep-alive connections send real venue
   rows (from examples/venues.csv) for ``--seconds`` after a warm-up; throughput and latency
   percentiles, every pack served (and, for comparison, ``?pack=fire_safety``).
   Target: >= 1,500 requests/s with p99 <= 20 ms.
2. A 10^5-row csv uploaded to ``POST /v1/grade/batch?output=parquet`` against ``riskgrade grade`` on
   the same file to Parquet (median of ``--repeat``). Target: within 3x the CLI's time.

    python benchmarks/bench_serve.py                    # the full run (about two minutes)
    python benchmarks/bench_serve.py --seconds 5 --rows 20000 --repeat 1

The load generator is a lean asyncio client written here (raw HTTP/1.1 on keep-alive sockets), so
that the client spends as little of the shared cores as it can. Writes benchmarks/results/serve.md
and serve.json. Figures taken while other work runs on the machine are marked "under load" (the
load average before the run is recorded).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
AS_OF = "2026-11-01"
LENGTH = re.compile(rb"content-length:\s*(\d+)", re.I)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, *extra: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "riskgrade.cli.main", "serve", "--rules", str(ROOT / "rules"),
                             "--port", str(port), *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n")
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"the server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc), to state the cost per request
    independently of what else the cores were doing."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def requests_for(rows: list[dict[str, str]], query: str) -> list[bytes]:
    out = []
    for row in rows:
        body = json.dumps({k: v for k, v in row.items() if v != ""}, ensure_ascii=False).encode()
        out.append(f"POST /v1/grade?{query} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return out


async def one_client(port: int, payloads: list[bytes], start: int, warm_until: float, stop_at: float,
                     latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = start
    try:
        while True:
            now = time.perf_counter()
            if now >= stop_at:
                break
            writer.write(payloads[i % len(payloads)])
            i += 1
            head = await reader.readuntil(b"\r\n\r\n")
            body_length = int(LENGTH.search(head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(body_length)
            done = time.perf_counter()
            if now >= warm_until:
                latencies.append(done - now)
                if head[9:12] != b"200":
                    errors.append(int(head[9:12]))
    finally:
        writer.close()


async def load(port: int, payloads: list[bytes], clients: int, seconds: float, warmup: float) -> dict:
    latencies: list[float] = []
    errors: list[int] = []
    t0 = time.perf_counter()
    warm_until, stop_at = t0 + warmup, t0 + warmup + seconds
    await asyncio.gather(*(one_client(port, payloads, k * 7, warm_until, stop_at, latencies, errors)
                           for k in range(clients)))
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {"clients": clients, "seconds": seconds, "requests": len(latencies),
            "requests_per_s": round(len(latencies) / seconds), "p50_ms": round(pct(0.50), 2),
            "p90_ms": round(pct(0.90), 2), "p99_ms": round(pct(0.99), 2), "max_ms": round(latencies[-1] * 1000, 2),
            "errors": len(errors)}


def graded_rows() -> list[dict[str, str]]:
    """The example venues that grade (the six deliberately bad rows would only measure 422s)."""
    import datetime as dt

    import riskgrade

    with open(ROOT / "examples" / "venues.csv", encoding="utf-8") as f:
        rows = [{k: v for k, v in r.items() if v != ""} for r in csv.DictReader(f)]
    packs = riskgrade.load_packs(ROOT / "rules")
    good = []
    for row in rows:
        try:
            riskgrade.grade(row, packs, as_of=dt.date.fromisoformat(AS_OF))
            good.append(row)
        except riskgrade.RiskgradeError:
            pass
    return good


def single(port: int, pid: int, args: argparse.Namespace) -> list[dict]:
    rows = graded_rows()
    out = []
    for label, query in (("every pack", f"as_of={AS_OF}"), ("fire_safety only", f"as_of={AS_OF}&pack=fire_safety")):
        before = cpu_seconds(pid)
        result = asyncio.run(load(port, requests_for(rows, query), args.clients, args.seconds, args.warmup))
        # CPU per request over warm-up and measurement alike (the warm-up requests are not counted, so
        # this slightly overstates the cost); its inverse is what one free core would serve.
        spent = cpu_seconds(pid) - before
        served = result["requests"] * (args.seconds + args.warmup) / args.seconds
        result["server_cpu_us_per_request"] = round(spent / served * 1e6)
        result["one_core_capacity_per_s"] = round(served / spent) if spent else None
        out.append({"case": label, **result})
        print(f"  {label}: {result}", file=sys.stderr)
    return out


def batch(port: int, args: argparse.Namespace, work: Path) -> dict:
    import httpx

    data = work / f"venues_{args.rows}.csv"
    subprocess.run([sys.executable, str(HERE / "generate_venues.py"), "--n", str(args.rows), "--seed", "7",
                    "--out", str(data)], check=True, stdout=subprocess.DEVNULL)
    cli, http = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "riskgrade.cli.main", "grade", str(data), "--rules", str(ROOT / "rules"),
                        "--as-of", AS_OF, "-o", str(work / "cli.parquet"), "--quiet"], check=True)
        cli.append(time.perf_counter() - t)
        t = time.perf_counter()
        with open(data, "rb") as f, httpx.Client(timeout=600) as client:
            r = client.post(f"http://127.0.0.1:{port}/v1/grade/batch", params={"as_of": AS_OF, "output": "parquet"},
                            content=f, headers={"content-type": "text/csv"})
            r.raise_for_status()
            (work / "http.parquet").write_bytes(r.content)
        http.append(time.perf_counter() - t)
        counts = {k: r.headers[f"x-riskgrade-{k}"] for k in ("rows-in", "graded", "rejected")}
    c, h = statistics.median(cli), statistics.median(http)
    result = {"rows": args.rows, "bytes": data.stat().st_size, "cli_s": round(c, 2), "http_s": round(h, 2),
              "ratio": round(h / c, 2), "counts": counts, "repeat": args.repeat}
    print(f"  batch: {result}", file=sys.stderr)
    return result


def write(results: dict) -> None:
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "serve.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    loaded = results["load_before"] > 0.5
    mark = " (under load)" if loaded else ""
    lines = ["# HTTP service (`riskgrade serve`)", "",
             f"Machine: {results['machine']}; load average before the run: {results['load_before']:.2f}"
             + (" — figures taken while other work ran on the cores: **under load**" if loaded else "") + ".",
             f"Server: `riskgrade serve --rules rules/` (one uvicorn process, {results['http']}), "
             f"client: {results['clients']} keep-alive connections from one asyncio process.", "",
             "## Single entity, `POST /v1/grade` (target: >= 1,500 requests/s, p99 <= 20 ms)", "",
             "| case | requests/s | p50 ms | p90 ms | p99 ms | max ms | errors | server CPU per request | "
             "one free core would serve |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in results["single"]:
        lines.append(f"| {s['case']}{mark} | {s['requests_per_s']:,} | {s['p50_ms']} | {s['p90_ms']} | {s['p99_ms']} | "
                     f"{s['max_ms']} | {s['errors']} | {s['server_cpu_us_per_request']} µs | "
                     f"{s['one_core_capacity_per_s']:,}/s |")
    lines += ["", "The server is one process: grading is Python holding the GIL, so one process uses one core; "
                  "the CPU per request (from /proc) does not depend on what else ran, and its inverse is what the "
                  "server serves with a core to itself."]
    b = results.get("batch")
    if b:
        lines += ["", "## Registry upload, `POST /v1/grade/batch?output=parquet` (target: within 3x the CLI)", "",
                  f"{b['rows']:,} rows ({b['bytes'] / 1e6:.1f} MB csv), every pack, median of {b['repeat']}:", "",
                  "| | seconds |", "|---|---:|",
                  f"| `riskgrade grade FILE -o out.parquet`{mark} | {b['cli_s']} |",
                  f"| upload and download over HTTP{mark} | {b['http_s']} |",
                  f"| ratio | {b['ratio']}x |", "",
                  f"Rows: {b['counts']['rows-in']} in = {b['counts']['graded']} graded + {b['counts']['rejected']} "
                  "rejected."]
    (out / "serve.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=8, help="concurrent connections (default 8)")
    ap.add_argument("--seconds", type=float, default=15, help="measured seconds per case (default 15)")
    ap.add_argument("--warmup", type=float, default=3, help="unmeasured seconds first (default 3)")
    ap.add_argument("--rows", type=int, default=100_000, help="rows of the uploaded registry (default 10^5)")
    ap.add_argument("--repeat", type=int, default=3, help="batch runs, median taken (default 3)")
    ap.add_argument("--no-batch", action="store_true", help="only the single-entity load")
    args = ap.parse_args()
    try:
        import httptools  # noqa: F401
        http = "httptools"
    except ImportError:
        http = "h11"
    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                     "load_before": os.getloadavg()[0], "clients": args.clients, "http": http}
    port = free_port()
    server = start_server(port, "--max-body", "1G", "--timeout", "600")
    try:
        results["single"] = single(port, server.pid, args)
        if not args.no_batch:
            with tempfile.TemporaryDirectory(prefix="bench-serve-") as work:
                results["batch"] = batch(port, args, Path(work))
    finally:
        server.terminate()
        server.wait(30)
    write(results)
    print((HERE / "results" / "serve.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
