"""Plan a month of inspections for a synthetic registry and time each step.

    python benchmarks/bench_plan.py                      # 100,000 entities, 50 stations, one month
    python benchmarks/bench_plan.py --n 20000 --stations 10 --no-ledger

The entities are synthesised (deterministic for a seed) and graded with a compact pack that uses
every kind of interval modifier and a winter campaign, so the plan meets repeat visits, overdue
entities and stations over capacity. Writes ``benchmarks/results/plan.md`` and ``plan.json``;
nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

import riskgrade
from riskgrade.plan import Capacity, StationCapacity, control_list, plan_inspections, rollups, write_ledger

PACK = """
pack: bench_venues
version: "1"
title: {zh: 场所检查（基准）, en: Venue inspection (benchmark)}
owner: {zh: 派出所, en: Police station}
fields:
  exits: {type: integer, min: 0}
  open_hazards: {type: integer, min: 0}
  overdue_hazards: {type: integer, min: 0}
  last_accident: {type: date}
  last_inspection: {type: date}
levels:
  - {id: red, label: {zh: 重大风险, en: Major}, color: red}
  - {id: orange, label: {zh: 较大风险, en: High}, color: orange}
  - {id: yellow, label: {zh: 一般风险, en: Medium}, color: yellow}
  - {id: blue, label: {zh: 低风险, en: Low}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 30}, {level: orange, min: 20, max: 30}, {level: yellow, min: 10, max: 20},
          {level: blue, max: 10}]
rules:
  - {id: no_exit, when: "exits < 1", points: 30, controls: [notice]}
  - {id: one_exit, when: "exits == 1", points: 20}
  - {id: two_exits, when: "exits == 2", points: 10}
  - {id: hazards, when: "open_hazards >= 3", points: 10, controls: [rectify]}
controls:
  tiers: {city: {zh: 市级专班}, county: {zh: 县级工作组}, station: {zh: 派出所巡查组}, self: {zh: 单位自查}}
  responsible: {red: city, orange: county, yellow: station, blue: self}
  measures:
    notice: {text: {zh: 挂牌督办}}
    rectify: {text: {zh: 限期整改}}
    patrol: {text: {zh: 日常巡查}}
    self_check: {text: {zh: 每月自查}}
  by_level: {red: [notice, patrol], orange: [patrol], yellow: [patrol], blue: [self_check]}
inspection:
  last_inspection: last_inspection
  interval_days: {red: 30, orange: 90, yellow: 180, blue: 365}
  modifiers:
    - {id: open_hazards, when: "open_hazards > 0", multiply: 0.5}
    - {id: overdue_rectification, when: "overdue_hazards > 0", max_days: 14}
    - {id: recent_accident, when: "days_since(last_accident) < 365", multiply: 0.75}
  campaigns:
    - {id: winter, from: "11-01", to: "03-31", multiply: 0.5, levels: [red, orange]}
"""


def entities(n: int, stations: int, as_of: dt.date, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    day0 = np.datetime64(as_of, "D")
    station = rng.integers(0, stations, n)
    last = day0 - rng.integers(1, 400, n).astype("timedelta64[D]")
    accident = day0 - rng.integers(1, 3000, n).astype("timedelta64[D]")
    return {
        "entity_id": np.char.add("E", np.arange(n).astype(str)),
        "station": np.char.add(np.char.add("第", (station + 1).astype(str)), "派出所"),
        "county": np.char.add(np.char.add("第", (station // 5 + 1).astype(str)), "区"),
        "city": np.full(n, "某市"),
        "grid": np.char.add(np.char.add("网格", (station * 10 + rng.integers(0, 10, n)).astype(str)), ""),
        "exits": rng.choice([0, 1, 2, 3], n, p=[0.02, 0.08, 0.3, 0.6]),
        "open_hazards": rng.choice([0, 1, 2, 4], n, p=[0.7, 0.15, 0.1, 0.05]),
        "overdue_hazards": rng.choice([0, 1], n, p=[0.97, 0.03]),
        "last_accident": accident.astype(str),
        "last_inspection": np.where(rng.random(n) < 0.05, "", last.astype(str)),
    }


def capacity(stations: int, seed: int) -> Capacity:
    """Six to twelve officers, three to five inspections a day each; every tenth station short-staffed."""
    rng = np.random.default_rng(seed + 1)
    rows = []
    for s in range(stations):
        officers = 2 if s % 10 == 9 else int(rng.integers(6, 13))
        rows.append(StationCapacity(f"第{s + 1}派出所", officers, float(rng.integers(3, 6))))
    return Capacity.from_rows(rows)


def timed(label: str, results: dict, fn):
    t = time.perf_counter()
    out = fn()
    results[label] = round(time.perf_counter() - t, 3)
    print(f"{label}: {results[label]:.2f} s")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--stations", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--from", dest="start", default="2026-12-01")
    ap.add_argument("--to", dest="end", default="2026-12-31")
    ap.add_argument("--no-ledger", action="store_true", help="skip writing the xlsx ledger")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = ap.parse_args(argv)
    start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
    pack = riskgrade.loads_pack(PACK, "bench_venues.yaml")
    rows = entities(args.n, args.stations, start, args.seed)
    import pyarrow as pa

    table = pa.table(rows)
    keep = ["city", "county", "station", "grid", "open_hazards", "overdue_hazards", "last_accident"]
    secs: dict[str, float] = {}
    graded = timed("grade", secs, lambda: riskgrade.grade_table(table, pack, as_of=start, keep=keep))
    plan = timed("plan (schedule + assignment + views)", secs,
                 lambda: plan_inspections(graded, pack, start=start, end=end, capacity=capacity(args.stations, args.seed)))
    timed("weekly + monthly views", secs, lambda: (plan.weekly(), plan.monthly()))
    timed("roll-ups (city, county, station, grid)", secs, lambda: rollups(graded, pack, on=start))
    timed("control list", secs, lambda: control_list(graded, pack))
    if not args.no_ledger:
        with tempfile.TemporaryDirectory() as tmp:
            timed("ledger xlsx (all sheets)", secs, lambda: write_ledger(Path(tmp) / "ledger.xlsx", graded, pack, plan=plan))
    c = plan.counts
    report = {
        "entities": args.n, "stations": args.stations, "period": [str(start), str(end)],
        "workdays": int(plan.workload["workdays"].iloc[0]), "due": c.due, "visits": c.visits,
        "planned": c.planned, "unplanned": c.unplanned, "repeat_visits": c.repeat_visits,
        "over_capacity_stations": len(plan.over_capacity), "seconds": secs,
        "python": platform.python_version(), "machine": platform.machine(), "riskgrade": riskgrade.__version__,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "plan.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lines = [f"# Inspection planning: {args.n:,} entities, {args.stations} stations, {start} – {end}", "",
             f"{c}; {len(plan.over_capacity)} stations over capacity; {report['workdays']} working days.", "",
             "| step | seconds |", "|---|---:|"] + [f"| {k} | {v:.2f} |" for k, v in secs.items()] + [
             "", f"Python {report['python']} on {report['machine']}; `python benchmarks/bench_plan.py` regenerates this."]
    (out / "plan.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{c}; wrote {out / 'plan.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
