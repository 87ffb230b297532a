"""Reproduce every performance figure of riskgrade and write the results table.

    python benchmarks/run.py            # full: 10^4..10^7 rows, 5 runs each (about 15 minutes on 2 cores)
    python benchmarks/run.py --quick    # a minute or two: 10^4..10^5 rows, 3 runs
    python benchmarks/run.py --sizes 10000,1000000 --runs 3 --skip e2e,peers

Measures, on data generated once per run (deterministic seed) into a temporary folder:

* in-memory batch grading — entity grades per second per pack and for all packs together, through
  ``Grader.grade_chunk`` (raw Arrow chunk in, long and wide result tables out) and through the
  engine alone, ``backends.batch.grade_columns`` on typed tables prepared beforehand;
* end to end — ``riskgrade grade`` as a subprocess, Parquet and CSV in, Parquet out, every pack:
  wall time and peak resident memory;
* single-entity ``riskgrade.grade(dict)`` latency, median and p99;
* the fire-safety pack side by side with the same scoring as a zen-engine decision graph and as a
  durable_rules ruleset (``benchmarks/peers/``), on the same entities: the three must give the same
  level and score on every entity before any speed is reported.

Every pack in ``rules/`` with a data generator in ``benchmarks/`` is measured; a pack without one is
listed as skipped. Figures are medians of ``--runs`` runs; nothing is asserted. Writes
``benchmarks/results/results.md`` and ``results.json`` (or ``--out DIR``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the harness and the peers live beside this file

from harness.common import AS_OF, BENCH, CHUNK, ROOT, SEED, say  # noqa: E402
from harness.data import combine, discover, generate, write_csv, write_prefix  # noqa: E402
from harness.measure import bench_cli, bench_memory, bench_single, machine, profile  # noqa: E402
from harness.peer_compare import bench_peers  # noqa: E402
from harness.report import render, targets  # noqa: E402

from riskgrade.compiler import Program  # noqa: E402

# --- the run --------------------------------------------------------------------------------------

def options(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a small run (a minute or two): to check the harness works")
    ap.add_argument("--sizes", help="in-memory row counts, comma separated (default 10^4..10^7; quick 10^4,10^5)")
    ap.add_argument("--big-rows", type=int, default=10_000_000,
                    help="rows of the end-to-end run that shows memory stays flat (full mode; 0 skips it)")
    ap.add_argument("--runs", type=int, help="runs per figure, the median is reported (default 5; quick 3)")
    ap.add_argument("--skip", default="", help="sections to leave out: memory,e2e,single,peers")
    ap.add_argument("--profile", action="store_true",
                    help="also profile grade_chunk on 10^6 rows of each pack with pyinstrument (profile_<pack>.txt)")
    ap.add_argument("--rules", type=Path, default=ROOT / "rules", help="the packs to measure (default rules/)")
    ap.add_argument("--out", type=Path, default=BENCH / "results", help="folder for results.md and results.json")
    args = ap.parse_args(argv)
    args.sizes = [int(float(s)) for s in args.sizes.split(",")] if args.sizes else (
        [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000, 10_000_000])
    args.runs = args.runs or (3 if args.quick else 5)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if args.runs < 1 or min(args.sizes) < 1 or args.skip - {"memory", "e2e", "single", "peers"}:
        ap.error("--runs and --sizes must be positive; --skip takes memory, e2e, single, peers")
    args.e2e_rows = 100_000 if args.quick else 1_000_000
    args.e2e_big = None if args.quick or not args.big_rows else args.big_rows
    args.peer_rows = 5_000 if args.quick else 100_000
    args.single_calls = 300 if args.quick else 2_000
    return args


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    started = time.perf_counter()
    measured, skipped = discover(args.rules)
    if not measured:
        raise SystemExit(f"nothing to measure: no pack in {args.rules} compiles and has a data generator "
                         "in benchmarks/\n  " + "\n  ".join(f"{s['pack']}: {s['reason']}" for s in skipped))
    programs = [p for p, _, _ in measured]
    args.pack_files = [path for _, _, path in measured]
    results: dict[str, Any] = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "machine": machine(),
        "mode": "quick" if args.quick else "full", "runs": args.runs, "as_of": AS_OF.isoformat(), "seed": SEED,
        "chunk_rows": CHUNK, "packs": [{"pack": p.pack_id, "version": p.version, "rules": len(p.rules),
                                        "fields": len(p.fields), "generator": g.name} for p, g, _ in measured],
        "skipped": skipped, "notes": []}
    biggest = max([*args.sizes, args.e2e_rows, args.e2e_big or 0, args.peer_rows, args.single_calls])
    with tempfile.TemporaryDirectory(prefix="riskgrade-bench-") as tmp_name:
        tmp = Path(tmp_name)
        files = {}
        for p, gen, _ in measured:
            say(f"generating {biggest:,} rows for {p.pack_id} with {gen.name}")
            files[p.pack_id] = tmp / f"{p.pack_id}.parquet"
            generate(gen, biggest, files[p.pack_id])
        everything = tmp / "all_packs.parquet"
        results["notes"] += combine(files, programs, everything)
        if "memory" not in args.skip:
            results["memory"] = [r for p in programs for r in bench_memory(p.pack_id, [p], files[p.pack_id],
                                                                           args.sizes, args.runs)]
            if len(programs) > 1:
                results["memory"] += bench_memory("all packs", programs, everything, args.sizes, args.runs)
        if "e2e" not in args.skip:
            results["e2e"] = run_e2e(args, programs, everything, tmp)
        if "single" not in args.skip:
            results["single"] = {p.pack_id: bench_single([p], files[p.pack_id], args.single_calls) for p in programs}
            if len(programs) > 1:
                results["single"]["all packs"] = bench_single(programs, everything, args.single_calls)
        if args.profile:
            for p in programs:
                profile(p, files[p.pack_id], min(biggest, 1_000_000), args.out / f"profile_{p.pack_id}.txt")
        fire = next((p for p in programs if p.pack_id == "fire_safety"), None)
        if "peers" not in args.skip and fire is not None:
            results["peers"] = bench_peers(fire, files["fire_safety"], args.peer_rows, args.runs)
    results["machine"]["load_at_end"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    results["elapsed_s"] = round(time.perf_counter() - started)
    results["targets"] = targets(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "results.md").write_text(render(results), encoding="utf-8")
    say(f"wrote {args.out / 'results.md'} and results.json in {results['elapsed_s']} s")
    return 0


def run_e2e(args: argparse.Namespace, programs: list[Program], everything: Path, tmp: Path) -> list[dict]:
    rows = []
    sample = tmp / "e2e.parquet"
    write_prefix(everything, args.e2e_rows, sample)
    csv = tmp / "e2e.csv"
    write_csv(sample, csv)
    rows.append(bench_cli(sample, "parquet", args.e2e_rows, programs, args.runs, tmp, args.pack_files))
    rows.append(bench_cli(csv, "csv", args.e2e_rows, programs, args.runs, tmp, args.pack_files))
    csv.unlink()
    if args.e2e_big:
        write_prefix(everything, args.e2e_big, sample)
        rows.append(bench_cli(sample, "parquet", args.e2e_big, programs, min(args.runs, 3), tmp, args.pack_files))
    return rows



if __name__ == "__main__":
    sys.exit(main())
