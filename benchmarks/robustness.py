"""The robustness figures: how many generated packs and entities the engines agreed on, how many
hostile packs, inputs and command lines were refused as they should be, how many rows were
accounted for, and what a million rejected rows and a million graded rows cost.

    python benchmarks/robustness.py                 # a few minutes (a million rows graded twice)
    python benchmarks/robustness.py --packs 2000    # deeper
    python benchmarks/robustness.py --big-rows 100000 --output-rows 100000   # quicker

Writes ``benchmarks/results/robustness.md`` and ``.json``. Every figure is a check that passed; a
check that fails stops the script with the failing case, so the report never claims what it did
not see. The cases come from the reliability tests (``tests/reliability/``), so the report and the
test suite cannot drift apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import runpy
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

import riskgrade  # noqa: E402
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

import genpacks  # noqa: E402
import hostile_cli  # noqa: E402
import test_differential_wide as differential  # noqa: E402
import test_fuzz_files as fuzz  # noqa: E402
import test_hostile_inputs as inputs  # noqa: E402
import test_hostile_packs as hostile  # noqa: E402


def differential_figures(n_packs: int) -> dict[str, int]:
    """batch == reference on ``n_packs`` generated packs, each with up to 10 generated entities."""
    seen = {"packs": 0, "entities": 0}

    @settings(max_examples=n_packs, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(genpacks.packs(), st.lists(genpacks.entities, min_size=1, max_size=10),
           st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)), genpacks.params)
    def run(pack_text, ents, as_of, chosen):
        program = riskgrade.loads_pack(pack_text)
        seen["entities"] += differential.compare(program, ents, as_of, chosen)
        seen["packs"] += 1

    run()
    return seen


def hostile_pack_figures() -> dict[str, int]:
    refused = 0
    for text, code, _ in hostile.HOSTILE_YAML.values():
        refused += _refused(text, code)
    for expr, code in hostile.HOSTILE_EXPRESSIONS.values():
        refused += _refused(hostile.with_when(expr), code)
    return {"yaml": len(hostile.HOSTILE_YAML), "expressions": len(hostile.HOSTILE_EXPRESSIONS), "refused": refused}


def _refused(text: str, code: str) -> int:
    try:
        riskgrade.loads_pack(text, "hostile.yaml")
    except riskgrade.PackError as exc:
        if code in {d.code for d in exc.diagnostics}:
            return 1
        raise AssertionError(f"refused with {[str(d) for d in exc.diagnostics]}, expected {code}") from None
    raise AssertionError(f"accepted a hostile pack: {text[:200]!r}")


def hostile_input_figures(rounds: int, seed: int) -> dict[str, int]:
    """Random bad cells, ragged and short lines injected into CSV files: every row accounted for."""
    pack = riskgrade.loads_pack(inputs.PACK)
    rng = random.Random(seed)
    tried = rows = rejected = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.csv"
        for _ in range(rounds):
            n = rng.randint(1, 400)
            bad = set(rng.sample(range(n), rng.randint(0, n)))
            lines = [",".join(inputs.COLUMNS)]
            for i in range(n):
                row = dict(inputs.GOOD, entity_id=f"e{i}")
                cells = [inputs._csv_cell(row.get(c)) for c in inputs.COLUMNS]
                if i in bad:
                    kind = rng.choice(["cell", "ragged", "short"])
                    if kind == "cell":
                        column, cell, _ = rng.choice(inputs.BAD_CELLS)
                        cells[inputs.COLUMNS.index(column)] = inputs._csv_cell(cell)
                    elif kind == "ragged":
                        cells.append("extra")
                    else:
                        cells = cells[:3]
                lines.append(",".join(cells))
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            result = riskgrade.grade_table(path, pack, as_of=inputs.AS_OF, chunk_rows=rng.choice([1, 7, 64, 65536]))
            c = result.counts
            assert c.rows_in == n == c.graded + c.rejected and c.rejected == len(bad), (c, len(bad))
            tried += len(bad)
            rows += n
            rejected += c.rejected
    return {"files": rounds, "rows": rows, "bad_rows_injected": tried, "rejected": rejected,
            "bad_cell_kinds": len(inputs.BAD_CELLS)}


def registry_figures(n: int) -> dict[str, int]:
    """A generated registry with deliberately bad rows, graded file to file."""
    generate = runpy.run_path(str(ROOT / "benchmarks" / "generate_venues.py"))["main"]
    packs = riskgrade.load_packs(ROOT / "rules" / "fire_safety.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "v.parquet", Path(tmp) / "out.jsonl"
        assert generate(["--n", str(n), "--seed", "7", "--bad-rows", "0.01", "--out", str(src)]) == 0
        counts, rejects = riskgrade.grade_file(src, packs, out, as_of=dt.date(2026, 11, 1))
        written = sum(1 for _ in open(out, encoding="utf-8"))
    assert counts.rows_in == n == counts.graded + counts.rejected and written == counts.graded
    return {"rows": n, "graded": counts.graded, "rejected": counts.rejected, "records_written": written}


def hostile_cli_figures() -> dict[str, int]:
    """Every hostile command line of tests/reliability/hostile_cli.py: its exit code, its words, no
    traceback, no temporary file left."""
    cases = [c for c in hostile_cli.CASES if hasattr(os, "mkfifo") or "pipe" not in c.name]
    usage = findings = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            folder = hostile_cli.fresh(Path(tmp) / "case")
            code, said = hostile_cli.run(case, folder)
            assert code == case.code and case.words in said and "Traceback" not in said \
                and "internal error" not in said, (case.name, code, said[-500:])
            assert not [p for p in os.listdir(folder) if p.endswith(".tmp")], case.name
            usage += code == 2
            findings += code == 1
    return {"cases": len(cases), "usage_or_environment": usage, "findings": findings}


def fuzz_figures(examples: int) -> dict[str, int]:
    """Fuzzed CSV and JSON Lines files (the strategies of tests/reliability/test_fuzz_files.py):
    graded or refused with an InputError, rows in = graded + rejected."""
    pack = riskgrade.loads_pack(fuzz.PACK)
    seen = {"files": 0, "refused": 0, "rows": 0}

    def grade(path: Path, **options: object) -> None:
        seen["files"] += 1
        try:
            result = riskgrade.grade_table(path, pack, as_of=fuzz.AS_OF, **options)
        except riskgrade.InputError:
            seen["refused"] += 1
            return
        c = result.counts
        assert c.rows_in == c.graded + c.rejected == result.wide.num_rows + len({r.row for r in result.rejects})
        seen["rows"] += c.rows_in

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in"

        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(fuzz.csv_lines, fuzz.raw_bytes, st.sampled_from([1, 3, 65536]))
        def csv_files(lines, junk, chunk_rows):
            target = path.with_suffix(".csv")
            target.write_bytes("entity_id,n,x,ok,day,kind,rows\n".encode() + "\n".join(lines).encode() + junk)
            grade(target, chunk_rows=chunk_rows)

        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(fuzz.json_lines, fuzz.raw_bytes)
        def json_files(lines, junk):
            target = path.with_suffix(".jsonl")
            target.write_bytes("\n".join(lines).encode() + junk)
            grade(target)

        csv_files()
        json_files()
    return seen


def _peak(argv: list[str]) -> tuple[float, float, int]:
    """Seconds, peak resident memory (MB) and exit code of one command, as a child of its own."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return round(time.perf_counter() - started, 1), round(usage.ru_maxrss / 1024, 1), child.returncode


def rejected_rows_figures(big: int) -> dict[str, float]:
    """Peak memory of ``riskgrade grade`` when every row is rejected, at a tenth of ``big`` rows and
    at ``big`` rows: the rejects stream to their file, so it does not grow with them."""
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "demo.yaml"
        rules.write_text(riskgrade.api.EXAMPLE_PACK, encoding="utf-8")
        for n in (big // 10, big):
            src = Path(tmp) / f"bad{n}.csv"
            with open(src, "w", encoding="utf-8") as f:
                f.write("entity_id,exits\n")
                f.writelines(f"e{i},not a number {i}\n" for i in range(n))
            seconds, mb, code = _peak([sys.executable, "-m", "riskgrade.cli.main", "grade", str(src), "--rules",
                                       str(rules), "--as-of", "2026-11-01", "-o", str(Path(tmp) / "o.jsonl"),
                                       "--rejects", str(Path(tmp) / "r.csv"), "--quiet"])
            lines = sum(1 for _ in open(Path(tmp) / "r.csv", encoding="utf-8-sig")) - 1
            assert code == 1 and lines == n, (code, lines, n)
            out[f"rows_{n}"] = n
            out[f"seconds_{n}"], out[f"peak_mb_{n}"] = seconds, mb
    return out


def output_figures(n: int) -> dict[str, float]:
    """``riskgrade grade`` of ``n`` generated venues with every shipped pack, into JSON Lines and
    into Parquet: time and peak memory of each (the JSON Lines file holds one record per entity and
    pack, ninety-odd keys each)."""
    generate = runpy.run_path(str(ROOT / "benchmarks" / "generate_venues.py"))["main"]
    out: dict[str, float] = {"rows": n, "packs": len(riskgrade.load_packs(ROOT / "rules"))}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "v.parquet"
        assert generate(["--n", str(n), "--seed", "3", "--out", str(src)]) == 0
        for kind in ("parquet", "jsonl"):
            target = Path(tmp) / f"out.{kind}"
            seconds, mb, code = _peak([sys.executable, "-m", "riskgrade.cli.main", "grade", str(src), "--rules",
                                       str(ROOT / "rules"), "--as-of", "2026-11-01", "-o", str(target), "--quiet"])
            assert code in (0, 1), code
            out[f"{kind}_seconds"], out[f"{kind}_peak_mb"] = seconds, mb
            out[f"{kind}_mb_written"] = round(target.stat().st_size / 1e6, 1)
            target.unlink()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--packs", type=int, default=300, help="generated packs for the differential check")
    ap.add_argument("--rounds", type=int, default=200, help="CSV files with injected bad rows")
    ap.add_argument("--registry", type=int, default=100_000, help="rows of the generated registry")
    ap.add_argument("--fuzz", type=int, default=300, help="fuzzed CSV files, and as many JSON Lines files")
    ap.add_argument("--big-rows", type=int, default=1_000_000, help="rows for the all-rejected memory check")
    ap.add_argument("--output-rows", type=int, default=1_000_000, help="entities graded into JSON Lines and Parquet")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    figures = {
        "differential": differential_figures(args.packs),
        "hostile_packs": hostile_pack_figures(),
        "hostile_inputs": hostile_input_figures(args.rounds, args.seed),
        "registry": registry_figures(args.registry),
        "hostile_cli": hostile_cli_figures(),
        "fuzz": fuzz_figures(args.fuzz),
        "rejected_rows": rejected_rows_figures(args.big_rows),
        "outputs": output_figures(args.output_rows),
    }
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    figures["seconds"] = round(time.perf_counter() - started, 1)
    figures["riskgrade"] = riskgrade.__version__ if hasattr(riskgrade, "__version__") else ""
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "robustness.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    (args.out / "robustness.md").write_text(_markdown(figures), encoding="utf-8")
    print(_markdown(figures))
    return 0


def _markdown(f: dict) -> str:
    d, hp, hi, r = f["differential"], f["hostile_packs"], f["hostile_inputs"], f["registry"]
    hc, fz, rr, o = f["hostile_cli"], f["fuzz"], f["rejected_rows"], f["outputs"]
    small, big = sorted(int(k.split("_")[1]) for k in rr if k.startswith("rows_"))
    return f"""# Robustness

Generated by `python benchmarks/robustness.py` in {f['seconds']} s (load average at the end:
{', '.join(map(str, f['load_average']))} on {os.cpu_count()} cores; above the core count the machine was
shared and the times are upper bounds). Every figure is a check that passed.

| claim | figure |
|---|---|
| batch == reference on every output column | {d['packs']} generated packs, {d['entities']} generated entities |
| hostile packs refused with a located diagnostic | {hp['refused']} of {hp['yaml'] + hp['expressions']} ({hp['yaml']} YAML, {hp['expressions']} expressions) |
| rows in = graded + rejected under random bad-row injection | {hi['files']} CSV files, {hi['rows']} rows, {hi['bad_rows_injected']} bad rows injected ({hi['bad_cell_kinds']} kinds of bad cell, ragged and short lines), {hi['rejected']} rejected |
| a generated registry graded file to file | {r['rows']} rows in = {r['graded']} graded + {r['rejected']} rejected; {r['records_written']} records written |
| hostile command lines end in one line, the right exit code, no traceback, no temporary file | {hc['cases']} of {hc['cases']} ({hc['usage_or_environment']} exit 2, {hc['findings']} exit 1) |
| fuzzed CSV and JSON Lines bytes graded or refused, rows in = graded + rejected | {fz['files']} files, {fz['rows']} rows, {fz['refused']} refused whole |
| memory flat in the number of rejected rows (all rows rejected, rejects to a file) | {small:,} rows: {rr[f'peak_mb_{small}']} MB, {rr[f'seconds_{small}']} s; {big:,} rows: {rr[f'peak_mb_{big}']} MB, {rr[f'seconds_{big}']} s |
| JSON Lines output close to Parquet's ({o['rows']:,} entities × {o['packs']} packs) | Parquet {o['parquet_seconds']} s, {o['parquet_peak_mb']} MB peak, {o['parquet_mb_written']} MB written; JSON Lines {o['jsonl_seconds']} s, {o['jsonl_peak_mb']} MB peak, {o['jsonl_mb_written']} MB written |
"""


if __name__ == "__main__":
    sys.exit(main())
