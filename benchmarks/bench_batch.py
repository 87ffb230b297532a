"""Batch-engine throughput: entity grades per second for the fire-safety pack, in memory.

Writes ``benchmarks/results/batch.md`` and ``batch.json``. Median of several runs; nothing here is
asserted — compare the figures, and the ratio to the reference engine measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

import riskgrade
from riskgrade.backends import reference
from riskgrade.grading import GradeOptions, Grader
from riskgrade.io.read import open_entities

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2026, 11, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    program = riskgrade.load_pack(HERE.parent / "rules" / "fire_safety.yaml")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in map(int, args.sizes.split(",")):
            path = Path(tmp) / f"venues_{n}.parquet"
            subprocess.run([sys.executable, str(HERE / "generate_venues.py"), "--n", str(n), "--out", str(path)],
                           check=True, capture_output=True)
            chunks = list(open_entities(path, chunk_rows=65536))
            grader = Grader([program], GradeOptions(as_of=AS_OF))
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                for chunk in chunks:
                    grader.grade_chunk(chunk)
                times.append(time.perf_counter() - t)
            med = statistics.median(times)
            rows.append({"rows": n, "rules": len(program.rules), "median_s": round(med, 4),
                         "grades_per_s": round(n / med)})
            print(rows[-1], flush=True)
        records = pq.read_table(path).slice(0, 2000).to_pylist()
        t = time.perf_counter()
        reference.grade_records(program, records, AS_OF)
        ref_rate = len(records) / (time.perf_counter() - t)
    out = {"machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}",
           "pack": program.pack_id, "results": rows, "reference_grades_per_s": round(ref_rate),
           "batch_over_reference": round(rows[-1]["grades_per_s"] / ref_rate, 1)}
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "batch.json").write_text(json.dumps(out, indent=2) + "\n")
    lines = [f"# Batch engine throughput ({out['pack']}, {rows[0]['rules']} rules)", "",
             f"Machine: {out['machine']}; median of {args.runs} runs; in memory, 65,536-row chunks,",
             "from conversion of the raw columns to the result table.", "",
             "| rows | median s | entity grades / s |", "|---:|---:|---:|"]
    lines += [f"| {r['rows']:,} | {r['median_s']} | {r['grades_per_s']:,} |" for r in rows]
    lines += ["", f"Reference engine (plain Python, same pack): {out['reference_grades_per_s']:,} grades/s; "
                  f"batch is {out['batch_over_reference']}x faster."]
    (HERE / "results" / "batch.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
