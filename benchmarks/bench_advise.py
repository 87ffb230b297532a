"""Rectification plans for 10^5 entities of each pack, timed next to grading them.

    python benchmarks/bench_advise.py                   # 100,000 entities per pack, median of 3 runs
    python benchmarks/bench_advise.py --n 20000 --runs 1

Per pack with a data generator (as ``run.py`` finds them): the generated entities (Parquet) are
graded into Parquet (``riskgrade.grade_file``) and advised into Parquet (``riskgrade.advise_file``),
once towards one level less severe (the default) and once towards the pack's lowest level. The
figures: wall seconds of each, advice time as a multiple of grading time, and what the advice found
(entities that need fixes, targets reached, out of reach, searches stopped by the limit). Writes
``benchmarks/results/advise.md`` and ``advise.json``; nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
import riskgrade  # noqa: E402
from harness.common import AS_OF, ROOT, say  # noqa: E402
from harness.data import discover, generate  # noqa: E402
from harness.measure import machine  # noqa: E402


def timed(fn: Any, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def found(path: Path) -> dict[str, Any]:
    """What the advice file holds: entities, those needing fixes, targets reached or not, fixes."""
    t = pq.read_table(path, columns=["reachable", "fixes", "exact", "level", "target_level"])
    n = t.num_rows
    lengths = pc.list_value_length(t.column("fixes"))
    needing = pc.sum(pc.not_equal(t.column("level"), t.column("target_level"))).as_py() or 0
    return {"entities": n, "below_target": needing,
            "with_fixes": pc.sum(pc.greater(lengths, 0)).as_py() or 0,
            "unreachable": n - (pc.sum(t.column("reachable")).as_py() or 0),
            "inexact": n - (pc.sum(t.column("exact")).as_py() or 0),
            "mean_fixes": round(pc.mean(lengths).as_py() or 0.0, 2), "max_fixes": pc.max(lengths).as_py() or 0}


def measure(program: Any, src: Path, work: Path, runs: int) -> dict[str, Any]:
    lowest = program.levels[-1].id
    warm = pq.read_table(src).slice(0, 200)  # kernels are prepared once per pack: not part of the figures
    riskgrade.grade_table(warm, program, as_of=AS_OF)
    riskgrade.advise_table(warm, program, lowest, as_of=AS_OF)
    graded, default, to_lowest = work / "graded.parquet", work / "advice.parquet", work / "advice_lowest.parquet"
    grade_s, grade_all = timed(lambda: riskgrade.grade_file(src, program, graded, as_of=AS_OF), runs)
    advise_s, advise_all = timed(lambda: riskgrade.advise_file(src, program, default, as_of=AS_OF), runs)
    lowest_s, lowest_all = timed(lambda: riskgrade.advise_file(src, program, to_lowest, lowest, as_of=AS_OF), runs)
    return {"pack": program.pack_id, "version": program.version, "fixes_declared": len(program.fixes),
            "rows": pq.ParquetFile(src).metadata.num_rows, "grade_s": round(grade_s, 3),
            "advise_s": round(advise_s, 3), "advise_lowest_s": round(lowest_s, 3),
            "ratio": round(advise_s / grade_s, 1), "ratio_lowest": round(lowest_s / grade_s, 1),
            "runs": {"grade": grade_all, "advise": advise_all, "advise_lowest": lowest_all},
            "one_level": found(default), "lowest": {**found(to_lowest), "target": lowest}}


def render(res: dict[str, Any]) -> str:
    m = res["machine"]
    lines = [
        "# Rectification plans: advice next to grading", "",
        f"Measured {res['date']} (median of {res['runs']} runs) on {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; "
        f"Python {m['python']}, numpy {m['numpy']}, pyarrow {m['pyarrow']}, riskgrade {m['riskgrade']} at {m['git']}.",
        f"Load average {m['load_at_start']:.2f} at the start and {m['load_at_end']:.2f} at the end: "
        + ("**under load** — other processes shared the cores, so the figures are lower bounds."
           if max(m["load_at_start"] or 0, m["load_at_end"] or 0) > 0.5 else "the machine was otherwise idle."),
        "", f"Reproduce: `python benchmarks/bench_advise.py --n {res['n']} --runs {res['runs']}`. Grading date "
        f"{AS_OF}, seed 1; Parquet in, Parquet out; wall seconds of `riskgrade.grade_file` and `riskgrade.advise_file` "
        "(which reads, grades every row and then searches).", "",
        "| pack | fixes declared | rows | grade s | advise s (one level down) | × grade | advise s (to the lowest level) | × grade |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in res["packs"]:
        lines.append(f"| {r['pack']} {r['version']} | {r['fixes_declared']} | {r['rows']:,} | {r['grade_s']} | "
                     f"{r['advise_s']} | {r['ratio']} | {r['advise_lowest_s']} | {r['ratio_lowest']} |")
    lines += ["", "What the advice found (entities graded more severe than the target, those given fixes, targets "
              "out of reach by rectification, searches stopped by the limit, fixes per plan):", "",
              "| pack | target | below target | with fixes | out of reach | stopped by limit | mean fixes | most fixes |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in res["packs"]:
        for name, f in (("one level down", r["one_level"]), (f"lowest ({r['lowest']['target']})", r["lowest"])):
            lines.append(f"| {r['pack']} | {name} | {f['below_target']:,} | {f['with_fixes']:,} | {f['unreachable']:,} "
                         f"| {f['inexact']:,} | {f['mean_fixes']} | {f['max_fixes']} |")
    for s in res["skipped"]:
        lines.append(f"\nSkipped {s['pack']}: {s['reason']}.")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="entities per pack (default 100,000)")
    ap.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    ap.add_argument("--rules", type=Path, default=ROOT / "rules")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args()
    measured, skipped = discover(args.rules)
    res: dict[str, Any] = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "n": args.n,
                           "runs": args.runs, "machine": machine(), "packs": [], "skipped": skipped}
    with tempfile.TemporaryDirectory(prefix="bench_advise_") as tmp:
        for program, gen, _ in measured:
            work = Path(tmp) / program.pack_id
            work.mkdir()
            src = work / "entities.parquet"
            say(f"{program.pack_id}: generating {args.n:,} entities")
            generate(gen, args.n, src)
            say(f"{program.pack_id}: grading and advising")
            res["packs"].append(measure(program, src, work, args.runs))
    res["machine"]["load_at_end"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "advise.json").write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (args.out / "advise.md").write_text(render(res), encoding="utf-8")
    say(f"wrote {args.out / 'advise.md'}")


if __name__ == "__main__":
    main()
