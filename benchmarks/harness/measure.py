"""The measurements: the machine, in-memory grading, the CLI end to end, one entity, a profile."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import riskgrade
from riskgrade.backends import batch
from riskgrade.compiler import Program
from riskgrade.grading import GradeOptions, Grader
from riskgrade.table.convert import convert_columns
from riskgrade.table.chunks import RawChunk

from .common import AS_OF, BIG, ROOT, say as _say
from .data import chunks_of

def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, Python and library versions: what the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor() or platform.machine())
    mem_kb = next((int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), 0)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_kb / 2**20, 1),
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "numpy": np.__version__, "pyarrow": pa.__version__, "riskgrade": riskgrade.__version__,
            "git": _git_head(), "load_at_start": load}


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def _git_head() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(["git", "--no-optional-locks", "-C", str(ROOT), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "") if out.returncode == 0 else None
    except OSError:
        return None


def median_time(run_once: Callable[[], float], runs: int) -> tuple[float, list[float]]:
    """The median of ``runs`` calls of a function that returns a duration, and all of them."""
    times = [run_once() for _ in range(runs)]
    return statistics.median(times), times


def timed_chunks(path: Path, n: int, prepare: Callable[[RawChunk], Any], work: Callable[[Any], Any],
                 runs: int) -> float:
    """Median over runs of the summed time of ``work`` on every prepared chunk of the first n rows.

    Below BIG rows the prepared chunks are held in memory; from BIG on they are read (and prepared)
    again for each run, untimed, so that memory stays flat."""
    held = [prepare(c) for c in chunks_of(path, n)] if n < BIG else None

    def once() -> float:
        total = 0.0
        for item in held if held is not None else map(prepare, chunks_of(path, n)):
            t = time.perf_counter()
            work(item)
            total += time.perf_counter() - t
        return total
    return median_time(once, runs)[0]


def runs_for(n: int, runs: int) -> int:
    return runs if n < BIG else min(runs, 3)


def bench_memory(label: str, programs: list[Program], path: Path, sizes: list[int], runs: int) -> list[dict]:
    """Grades per second through grade_chunk and through the engine alone, per size."""
    rows = []
    for n in sizes:
        grader = Grader(programs, GradeOptions(as_of=AS_OF))
        k = runs_for(n, runs)
        full = timed_chunks(path, n, lambda c: c, grader.grade_chunk, k)

        def typed(c: RawChunk) -> list[Any]:
            return [convert_columns(p.fields, c.table)[0] for p in programs]

        def engine(tables: list[Any]) -> None:
            for p, table in zip(programs, tables):
                batch.grade_columns(p, table, AS_OF)
        core = timed_chunks(path, n, typed, engine, k)
        grades = n * len(programs)
        rows.append({"packs": label, "rows": n, "runs": k, "grade_chunk_s": round(full, 4),
                     "grades_per_s": round(grades / full), "engine_s": round(core, 4),
                     "engine_grades_per_s": round(grades / core)})
        _say(f"memory {label} {n:,}: {rows[-1]['grades_per_s']:,} grades/s "
             f"(engine {rows[-1]['engine_grades_per_s']:,})")
    return rows


def bench_cli(path: Path, fmt: str, n: int, packs: list[Program], runs: int, tmp: Path,
              rules: list[Path]) -> dict[str, Any]:
    """``riskgrade grade`` as a subprocess: median wall time, peak RSS of the child (max over runs)."""
    out = tmp / "graded.parquet"
    cmd = [sys.executable, "-m", "riskgrade.cli.main", "grade", str(path),
           *[a for r in rules for a in ("--rules", str(r))], "--as-of", AS_OF.isoformat(), "-o", str(out)]
    walls, peaks, summary = [], [], ""
    for _ in range(runs):
        wall, peak_kb, stderr, rc = measure_child(cmd)
        if rc not in (0, 1):  # 1 = some rows rejected, still a complete run
            raise RuntimeError(f"riskgrade grade failed ({rc}): {stderr[-800:]}")
        walls.append(wall)
        peaks.append(peak_kb)
        summary = next((m.group(0) for m in [re.search(r"\d+ rows in = \d+ graded \+ \d+ rejected", stderr)] if m), "")
    out.unlink(missing_ok=True)
    row = {"input": fmt, "rows": n, "packs": len(packs), "runs": runs, "wall_s": round(statistics.median(walls), 3),
           "rows_per_s": round(n / statistics.median(walls)), "peak_mb": round(max(peaks) / 1024),
           "input_mb": round(path.stat().st_size / 2**20, 1), "counts": summary}
    _say(f"cli {fmt} {n:,}: {row['wall_s']} s, peak {row['peak_mb']} MB ({summary})")
    return row


CHILD = ("import resource, subprocess, sys, time\n"
         "t = time.perf_counter()\n"
         "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
         "wall = time.perf_counter() - t\n"
         "sys.stderr.write(p.stderr)\n"
         "print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)\n")


def measure_child(cmd: list[str]) -> tuple[float, int, str, int]:
    """(wall s, peak RSS kB, stderr, exit code) of one command, measured from a fresh parent so that
    ``RUSAGE_CHILDREN`` holds that command alone."""
    proc = subprocess.run([sys.executable, "-c", CHILD, *cmd], capture_output=True, text=True)
    wall, peak, rc = proc.stdout.split()
    return float(wall), int(peak), proc.stderr, int(rc)


def bench_single(programs: list[Program], path: Path, count: int) -> dict[str, Any]:
    """``riskgrade.grade(dict)`` per call: median and p99 in microseconds, after a warm-up."""
    records = pq.ParquetFile(path).read_row_group(0).slice(0, count).to_pylist()
    for r in records[:20]:
        riskgrade.grade(r, programs, as_of=AS_OF)
    times = []
    for r in records:
        t = time.perf_counter_ns()
        riskgrade.grade(r, programs, as_of=AS_OF)
        times.append((time.perf_counter_ns() - t) / 1000)
    return {"calls": len(times), "median_us": round(statistics.median(times), 1),
            "p99_us": round(float(np.percentile(times, 99)), 1)}


def profile(program: Program, path: Path, n: int, out: Path) -> None:
    """A pyinstrument profile of grade_chunk on n rows held in memory, as text."""
    from pyinstrument import Profiler

    chunks = list(chunks_of(path, n))
    grader = Grader([program], GradeOptions(as_of=AS_OF))
    grader.grade_chunk(chunks[0])  # kernels are prepared on the first chunk: leave that out
    profiler = Profiler(interval=0.0005)
    with profiler:
        for c in chunks:
            grader.grade_chunk(c)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    _say(f"profile of {program.pack_id} on {n:,} rows written to {out}")

