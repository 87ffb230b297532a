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
    check_agreement(rows, ours, {"zen-engine": theirs_zen, "durable_rules": theirs_durable})
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
    result = {k: round(v) if isinstance(v, float) else v for k, v in result.items()}  # rates: whole numbers
    result["ratio_zen"] = round(result["riskgrade_grades_per_s"] / result["zen_evaluate_per_s"], 1)
    result["ratio_durable"] = round(result["riskgrade_grades_per_s"] / result["durable_per_s"], 1)
    result["ratio_zen_floor"] = round(result["riskgrade_grades_per_s"] / result["zen_one_expression_graph_per_s"], 1)
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
