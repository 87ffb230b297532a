"""The robustness figures: how many generated packs and entities the engines agreed on, how many
hostile packs and inputs were refused as they should be, and how many rows were accounted for.

    python benchmarks/robustness.py                 # about a minute
    python benchmarks/robustness.py --packs 2000    # deeper

Writes ``benchmarks/results/robustness.md`` and ``.json``. Every figure is a check that passed; a
check that fails stops the script with the failing case, so the report never claims what it did
not see. The cases come from the reliability tests (``tests/reliability/``), so the report and the
test suite cannot drift apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import runpy
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

import riskgrade  # noqa: E402
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

import genpacks  # noqa: E402
import test_differential_wide as differential  # noqa: E402
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--packs", type=int, default=300, help="generated packs for the differential check")
    ap.add_argument("--rounds", type=int, default=200, help="CSV files with injected bad rows")
    ap.add_argument("--registry", type=int, default=100_000, help="rows of the generated registry")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    figures = {
        "differential": differential_figures(args.packs),
        "hostile_packs": hostile_pack_figures(),
        "hostile_inputs": hostile_input_figures(args.rounds, args.seed),
        "registry": registry_figures(args.registry),
    }
    figures["seconds"] = round(time.perf_counter() - started, 1)
    figures["riskgrade"] = riskgrade.__version__ if hasattr(riskgrade, "__version__") else ""
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "robustness.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    (args.out / "robustness.md").write_text(_markdown(figures), encoding="utf-8")
    print(_markdown(figures))
    return 0


def _markdown(f: dict) -> str:
    d, hp, hi, r = f["differential"], f["hostile_packs"], f["hostile_inputs"], f["registry"]
    return f"""# Robustness

Generated by `python benchmarks/robustness.py` in {f['seconds']} s. Every figure is a check that passed.

| claim | figure |
|---|---|
| batch == reference on every output column | {d['packs']} generated packs, {d['entities']} generated entities |
| hostile packs refused with a located diagnostic | {hp['refused']} of {hp['yaml'] + hp['expressions']} ({hp['yaml']} YAML, {hp['expressions']} expressions) |
| rows in = graded + rejected under random bad-row injection | {hi['files']} CSV files, {hi['rows']} rows, {hi['bad_rows_injected']} bad rows injected ({hi['bad_cell_kinds']} kinds of bad cell, ragged and short lines), {hi['rejected']} rejected |
| a generated registry graded file to file | {r['rows']} rows in = {r['graded']} graded + {r['rejected']} rejected; {r['records_written']} records written |
"""


if __name__ == "__main__":
    sys.exit(main())
