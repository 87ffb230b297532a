"""The targets of the performance issue, and the results as a Markdown table."""

from __future__ import annotations

from typing import Any

TARGETS = {"engine_grades_per_s_per_pack": 5_000_000, "e2e_parquet_1e6_s": 5.0, "zen_ratio": 50, "durable_ratio": 100,
           "peak_mb_1e6": 2048, "single_us": 30, "single_vs_zen": 2.0, "public_vs_chunk": 0.8}


def targets(res: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of the performance issue with the figure measured against it."""
    out = []

    def add(what: str, target: str, value: Any, ok: bool | None) -> None:
        out.append({"target": what, "wanted": target, "measured": value,
                    "met": ok if value is not None else None})
    mem = [r for r in res.get("memory", []) if r["packs"] != "all packs"]
    if mem:
        largest = max(r["rows"] for r in mem)
        worst = min((r for r in mem if r["rows"] == largest), key=lambda r: r["engine_grades_per_s"])
        add(f"engine alone, grades/s per pack ({worst['packs']}, {largest:,} rows; the slowest pack)",
            f">= {TARGETS['engine_grades_per_s_per_pack']:,}", worst["engine_grades_per_s"],
            worst["engine_grades_per_s"] >= TARGETS["engine_grades_per_s_per_pack"])
    e2e = {(r["input"], r["rows"]): r for r in res.get("e2e", [])}
    one = e2e.get(("parquet", 1_000_000))
    add("10^6 rows, all packs, Parquet in -> Parquet out, wall s", f"<= {TARGETS['e2e_parquet_1e6_s']}",
        one and one["wall_s"], one and one["wall_s"] <= TARGETS["e2e_parquet_1e6_s"])
    add("peak memory, 10^6 rows end to end, MB", f"<= {TARGETS['peak_mb_1e6']}", one and one["peak_mb"],
        one and one["peak_mb"] <= TARGETS["peak_mb_1e6"])
    big = e2e.get(("parquet", 10_000_000))
    if one and big:
        add("peak memory flat from 10^6 to 10^7 rows (MB at 10^7)", f"about {one['peak_mb']} (within 25%)",
            big["peak_mb"], big["peak_mb"] <= 1.25 * one["peak_mb"])
    peers = res.get("peers")
    public = "grade_table_path_per_s"
    add("public grade_table(path) / grade_chunk, fire_safety, same rows", f">= {TARGETS['public_vs_chunk']}x",
        peers and peers.get(f"ratio_chunk_{public}"),
        peers and peers.get(f"ratio_chunk_{public}", 0) >= TARGETS["public_vs_chunk"])
    add("public grade_table(path) / zen-engine (fastest path), fire_safety", f">= {TARGETS['zen_ratio']}x",
        peers and peers.get(f"ratio_zen_{public}"), peers and peers.get(f"ratio_zen_{public}", 0) >= TARGETS["zen_ratio"])
    add("public grade_table(path) / durable_rules, fire_safety", f">= {TARGETS['durable_ratio']}x",
        peers and peers.get(f"ratio_durable_{public}"),
        peers and peers.get(f"ratio_durable_{public}", 0) >= TARGETS["durable_ratio"])
    add("grade_chunk / zen-engine (fastest path), fire_safety", f">= {TARGETS['zen_ratio']}x",
        peers and peers["ratio_zen"], peers and peers["ratio_zen"] >= TARGETS["zen_ratio"])
    add("grade_chunk / durable_rules, fire_safety", f">= {TARGETS['durable_ratio']}x",
        peers and peers["ratio_durable"], peers and peers["ratio_durable"] >= TARGETS["durable_ratio"])
    one = peers and peers.get("single")
    add("single grade(dict) vs zen-engine's fastest path, fire_safety, median, same entities (times faster)",
        f">= {TARGETS['single_vs_zen']}x", one and one["ratio"], one and one["ratio"] >= TARGETS["single_vs_zen"])
    single = res.get("single", {})
    if single:
        slow = max((k for k in single if k != "all packs"), key=lambda k: single[k]["median_us"])
        add(f"single-entity grade(dict), median µs, every pack (slowest: {slow})", f"<= {TARGETS['single_us']}",
            single[slow]["median_us"], single[slow]["median_us"] <= TARGETS["single_us"])
    return out


def _n(x: Any) -> str:
    return f"{x:,}" if isinstance(x, int) else "—" if x is None else str(x)


def render(res: dict[str, Any]) -> str:
    m = res["machine"]
    lines = [
        "# riskgrade performance", "",
        f"Measured {res['date']} ({res['mode']} mode, median of {res['runs']} runs; {res['elapsed_s']} s in all) on "
        f"{m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}; Python {m['python']}, "
        f"numpy {m['numpy']}, pyarrow {m['pyarrow']}, riskgrade {m['riskgrade']} at {m['git']}.",
        f"Load average {m['load_at_start']:.2f} at the start and {m['load_at_end']:.2f} at the end: "
        + ("the machine was shared while measuring, so the figures are lower bounds."
           if max(m["load_at_start"] or 0, m["load_at_end"] or 0) > 0.5 else "the machine was otherwise idle."),
        "", "Reproduce: `python benchmarks/run.py` (full) or `python benchmarks/run.py --quick`. "
        f"Grading date {res['as_of']}, seed {res['seed']}, {res['chunk_rows']:,}-row chunks.", "",
        "Packs: " + ", ".join(f"`{p['pack']}` {p['version']} ({p['rules']} rules, data from `{p['generator']}`)"
                              for p in res["packs"]) + "."]
    lines += [f"Skipped: `{s['pack']}` — {s['reason']}." for s in res["skipped"]]
    lines += [f"Note: {n}." for n in res["notes"]]
    lines += ["", "## Targets", "", "| target | wanted | measured | met |", "|---|---|---:|:---:|"]
    lines += [f"| {t['target']} | {t['wanted']} | {_n(t['measured'])} | "
              f"{'—' if t['met'] is None else 'yes' if t['met'] else '**no**'} |" for t in res["targets"]]
    if res.get("memory"):
        lines += ["", "## In-memory batch grading", "",
                  "`Grader.grade_chunk`: raw Arrow chunk in, typed conversion, every pack, long and wide result "
                  "tables out. Engine: `backends.batch.grade_columns` alone on typed tables prepared beforehand. "
                  "A grade is one entity by one pack.", "",
                  "| packs | rows | runs | grade_chunk s | grades/s | engine s | engine grades/s |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        lines += [f"| {r['packs']} | {r['rows']:,} | {r['runs']} | {r['grade_chunk_s']} | {r['grades_per_s']:,} | "
                  f"{r['engine_s']} | {r['engine_grades_per_s']:,} |" for r in res["memory"]]
    if res.get("e2e"):
        lines += ["", "## End to end: `riskgrade grade`, every pack, Parquet out", "",
                  "Wall time of the whole command (start-up, pack compilation, reading, grading, writing); peak "
                  "resident memory of the process.", "",
                  "| input | rows | packs | input MB | wall s | rows/s | peak MB | counts |",
                  "|---|---:|---:|---:|---:|---:|---:|---|"]
        lines += [f"| {r['input']} | {r['rows']:,} | {r['packs']} | {r['input_mb']} | {r['wall_s']} | "
                  f"{r['rows_per_s']:,} | {r['peak_mb']:,} | {r['counts']} |" for r in res["e2e"]]
    if res.get("single"):
        lines += ["", "## One entity: `riskgrade.grade(dict)`", "", "| packs | calls | median µs | p99 µs |",
                  "|---|---:|---:|---:|"]
        lines += [f"| {k} | {v['calls']:,} | {v['median_us']} | {v['p99_us']} |" for k, v in res["single"].items()]
    if res.get("peers"):
        lines += render_peers(res["peers"])
    return "\n".join(lines) + "\n"


def render_peers(p: dict[str, Any]) -> list[str]:
    ours = [("riskgrade `Grader.grade_chunk` (raw chunk in, result tables out)", p["riskgrade_grades_per_s"]),
            ("riskgrade engine alone (`batch.grade_columns` on typed tables)", p["riskgrade_engine_grades_per_s"])]
    rows = [("zen-engine `ZenEngine.evaluate` with a pre-built `ZenDecisionContent` (fastest path)",
             p["zen_evaluate_per_s"]),
            ("zen-engine `ZenEngine.evaluate_batch`", p["zen_evaluate_batch_per_s"]),
            (f"zen-engine `ZenDecision.evaluate` (on {p['zen_decision_evaluate_entities']:,} entities)",
             p["zen_decision_evaluate_per_s"]),
            ("zen-engine, a one-expression graph (the binding's per-call floor)", p["zen_one_expression_graph_per_s"]),
            ("durable_rules, one fact per entity (assert, fire, retract)", p["durable_per_s"])]
    from .peer_compare import PUBLIC

    ours = [(label, p[key]) for key, label in PUBLIC.items() if key in p] + ours
    versions = ", ".join(f"{k} {v}" for k, v in p.get("versions", {}).items())
    return ["", "## Side by side: the fire-safety pack on three engines", "",
            f"The same {p['entities']:,} venues, the pack's full scoring ({p['rules']} rules, derived values, "
            "missing data as unknown, vetoes, raise/lower) in each engine (see `benchmarks/README.md`). "
            f"Agreement checked first: all three give the same level and score on every entity. "
            f"Peers: {versions}; median of 3 passes over the same entities.", "",
            "| engine | entities/s | vs zen-engine's fastest path | vs durable_rules |", "|---|---:|---:|---:|"] + [
            f"| {name} | {rate:,} | {rate / p['zen_evaluate_per_s']:,.1f}x | {rate / p['durable_per_s']:,.1f}x |"
            for name, rate in ours] + [
            f"| {name} | {rate:,} | | |" for name, rate in rows] + _single(p.get("single"))


def _single(one: dict[str, Any] | None) -> list[str]:
    if not one:
        return []
    return ["", f"One entity per call, the same {one['calls']:,} venues, the two calls interleaved: "
                f"`riskgrade.grade(dict)` (the compiled engine) median {one['riskgrade_median_us']} µs "
                f"(p99 {one['riskgrade_p99_us']}), zen-engine's fastest path median {one['zen_median_us']} µs "
                f"(p99 {one['zen_p99_us']}): riskgrade {one['ratio']}x faster."]

