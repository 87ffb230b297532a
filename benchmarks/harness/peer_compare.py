"""The fire-safety pack on riskgrade, zen-engine and durable_rules: agreement first, then speed."""

from __future__ import annotations

import time
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa

from riskgrade.backends import batch
from riskgrade.compiler import Program
from riskgrade.grading import GradeOptions, Grader
from riskgrade.table.convert import convert_columns

from .common import AS_OF, say as _say
from .data import chunks_of
from .measure import median_time

def bench_peers(program: Program, path: Path, n: int, runs: int) -> dict[str, Any]:
    """The fire-safety pack, riskgrade vs zen-engine vs durable_rules, on the same n entities."""
    from peers import fire_inputs
    from peers.durable_fire import FireDurable
    from peers.zen_fire import FireZen, trivial_engine

    chunks = list(chunks_of(path, n))
    rows = pa.concat_tables([c.table for c in chunks]).to_pylist()
    zin, din = fire_inputs.entity_records(rows, True), fire_inputs.entity_records(rows, False)
    grader, zen, durable = Grader([program], GradeOptions(as_of=AS_OF)), FireZen(AS_OF), FireDurable(AS_OF)
    ours = [(lv, sc) for c in chunks for lv, sc in zip(*(grader.grade_chunk(c).long[k].to_pylist()
                                                         for k in ("level", "score")))]
    theirs_zen = [(r["level"], r["score"]) for r in map(zen.evaluate, zin)]
    theirs_durable = [durable.grade(e) for e in din]
    import riskgrade

    one_by_one = [(r.level, r.score) for r in (riskgrade.grade(row, program, as_of=AS_OF).packs[0] for row in rows)]
    check_agreement(rows, ours, {"zen-engine": theirs_zen, "durable_rules": theirs_durable,
                                 "riskgrade.grade (compiled, one entity)": one_by_one})
    _say(f"peers: the three agree on all {n:,} entities")

    runs = min(runs, 3)  # the peers take seconds per pass: the median of three

    def rate(fn: Callable[[], Any], count: int, k: int = runs) -> float:
        return count / median_time(lambda: _clock(fn), k)[0]
    typed = [convert_columns(program.fields, c.table)[0] for c in chunks]
    few = zin[:min(n, 2000)]
    floor_engine = trivial_engine()
    result = {
        "entities": n, "agree": True, "rules": len(program.rules),
        "versions": {name: metadata.version(name) for name in ("zen-engine", "durable_rules")},
        "riskgrade_grades_per_s": rate(lambda: [grader.grade_chunk(c) for c in chunks], n),
        "riskgrade_engine_grades_per_s": rate(lambda: [batch.grade_columns(program, t, AS_OF) for t in typed], n),
        "zen_evaluate_per_s": rate(lambda: [zen.evaluate(e) for e in zin], n),
        "zen_evaluate_batch_per_s": rate(lambda: zen.evaluate_batch(zin), n),
        "zen_decision_evaluate_per_s": rate(lambda: [zen.evaluate_decision(e) for e in few], len(few)),
        "zen_decision_evaluate_entities": len(few),
        "zen_one_expression_graph_per_s": rate(lambda: [floor_engine(e) for e in zin], n),
        "durable_per_s": rate(lambda: [durable.grade(e) for e in din], n),
    }
    result.update(public_paths(program, path, chunks, rate))
    result = {k: round(v) if isinstance(v, float) else v for k, v in result.items()}  # rates: whole numbers
    result["single"] = single_vs_zen(program, rows, zin, zen, min(n, 2000))
    result["ratio_zen"] = round(result["riskgrade_grades_per_s"] / result["zen_evaluate_per_s"], 1)
    result["ratio_durable"] = round(result["riskgrade_grades_per_s"] / result["durable_per_s"], 1)
    result["ratio_zen_floor"] = round(result["riskgrade_grades_per_s"] / result["zen_one_expression_graph_per_s"], 1)
    for key in PUBLIC:
        result[f"ratio_zen_{key}"] = round(result[key] / result["zen_evaluate_per_s"], 1)
        result[f"ratio_durable_{key}"] = round(result[key] / result["durable_per_s"], 1)
        result[f"ratio_chunk_{key}"] = round(result[key] / result["riskgrade_grades_per_s"], 2)
    _say(f"peers: riskgrade {result['riskgrade_grades_per_s']:,}/s, zen {result['zen_evaluate_per_s']:,}/s, "
         f"durable {result['durable_per_s']:,}/s")
    return result


def check_agreement(rows: list[dict], ours: list[tuple], peers: dict[str, list[tuple]]) -> None:
    """Stop the whole run, naming the first entities, unless every peer gives riskgrade's level and score."""
    problems = []
    for name, theirs in peers.items():
        bad = [i for i, (a, b) in enumerate(zip(ours, theirs)) if a[0] != b[0] or a[1] != b[1]]
        if len(theirs) != len(ours):
            problems.append(f"{name} graded {len(theirs)} entities, riskgrade {len(ours)}")
        for i in bad[:3]:
            problems.append(f"{name} disagrees on {rows[i].get('entity_id')}: riskgrade {ours[i]}, {name} {theirs[i]}")
        if bad:
            problems.append(f"{name}: {len(bad)} of {len(ours)} entities disagree")
    if problems:
        raise SystemExit("peer comparison stopped, no speed reported — the engines disagree:\n  "
                         + "\n  ".join(problems))


def _clock(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


# the public paths a user calls, measured on the same entities as the peers (key -> label)
PUBLIC = {
    "grade_table_path_per_s": "`riskgrade.grade_table(path)` (Parquet file)",
    "grade_table_pandas_per_s": "`riskgrade.grade_table(DataFrame)`",
    "grade_table_arrow_per_s": "`riskgrade.grade_table(Arrow table)`",
    "grade_file_per_s": "`riskgrade.grade_file(path, out.parquet)`",
    "cli_per_s": "`riskgrade grade FILE -o out.parquet` (a new process: start-up and pack loading included)",
}


def public_paths(program: Program, source: Path, chunks: list, rate: Callable[..., float]) -> dict[str, float]:
    """Entities per second through the public API and the CLI, on the same rows as the peers."""
    import subprocess
    import sys
    import tempfile

    import pyarrow.parquet as pq

    import riskgrade

    table = pa.concat_tables([c.table for c in chunks])
    n = table.num_rows
    frame = table.to_pandas()
    with tempfile.TemporaryDirectory(prefix="riskgrade-public-") as tmp:
        path, out = Path(tmp) / "venues.parquet", Path(tmp) / "graded.parquet"
        pq.write_table(table, path)
        cli = [sys.executable, "-m", "riskgrade.cli.main", "grade", str(path), "--rules", program.file,
               "--as-of", AS_OF.isoformat(), "-o", str(out), "--quiet"]
        riskgrade.grade_table(path, program, as_of=AS_OF)  # the first call of a process: not what is measured
        measured = {
            "grade_table_path_per_s": rate(lambda: riskgrade.grade_table(path, program, as_of=AS_OF), n),
            "grade_table_pandas_per_s": rate(lambda: riskgrade.grade_table(frame, program, as_of=AS_OF), n),
            "grade_table_arrow_per_s": rate(lambda: riskgrade.grade_table(table, program, as_of=AS_OF), n),
            "grade_file_per_s": rate(lambda: riskgrade.grade_file(path, program, out, as_of=AS_OF), n),
            "cli_per_s": rate(lambda: subprocess.run(cli, check=False, capture_output=True), n),
        }
    _say("public paths: " + ", ".join(f"{k} {v:,.0f}/s" for k, v in measured.items()))
    return measured


def single_vs_zen(program: Program, rows: list[dict], zen_inputs: list[dict], zen: Any, count: int) -> dict[str, Any]:
    """One entity per call, the same entities: ``riskgrade.grade(dict)`` and zen-engine's fastest path,
    interleaved call by call so that both see the same load; median and p99 in microseconds."""
    import statistics

    import numpy as np

    import riskgrade

    ours, theirs = [], []
    for row, z in zip(rows[:50], zen_inputs[:50]):  # warm-up
        riskgrade.grade(row, program, as_of=AS_OF)
        zen.evaluate(z)
    clock = time.perf_counter_ns
    for row, z in zip(rows[:count], zen_inputs[:count]):
        t = clock()
        riskgrade.grade(row, program, as_of=AS_OF)
        t1 = clock()
        zen.evaluate(z)
        t2 = clock()
        ours.append((t1 - t) / 1000)
        theirs.append((t2 - t1) / 1000)
    out = {"calls": len(ours), "riskgrade_median_us": round(statistics.median(ours), 1),
           "riskgrade_p99_us": round(float(np.percentile(ours, 99)), 1),
           "zen_median_us": round(statistics.median(theirs), 1), "zen_p99_us": round(float(np.percentile(theirs, 99)), 1)}
    out["ratio"] = round(out["zen_median_us"] / out["riskgrade_median_us"], 2)
    _say(f"single entity: riskgrade {out['riskgrade_median_us']} us, zen {out['zen_median_us']} us ({out['ratio']}x)")
    return out
