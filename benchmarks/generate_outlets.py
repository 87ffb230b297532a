"""Generate realistic registries of dangerous-goods outlets for rules/dangerous_goods_outlets.yaml.

Fireworks retail points (year-round and seasonal stalls), fireworks wholesalers and their stores, and
fuel stations that sell bulk gasoline, as a public-order police station keeps them. Deterministic:
the same ``--n`` and ``--seed`` give the same rows; vectorised with numpy and written in chunks of
100,000 rows, so a million rows take seconds and memory stays flat.

    python benchmarks/generate_outlets.py --n 1000000 --seed 1 --out /tmp/outlets.parquet
    python benchmarks/generate_outlets.py --n 200 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --out examples/outlets.csv
    python benchmarks/generate_outlets.py --n 200 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --encoding gb18030 \
        --out examples/outlets_gb18030.csv
    python benchmarks/generate_outlets.py --n 200 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --out examples/outlets.jsonl
    python benchmarks/generate_outlets.py --n 200 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --out examples/outlets.xlsx

A field that concerns some kinds of outlet only (a retail point's distance to crowded places, a
store's location, a fuel station's bulk-sales register) is empty for the others. Most outlets are in
order; a badly run minority has every deficiency several times as often. ``--bad-rows`` rows carry
one deliberate error each (an unknown kind of outlet, an impossible date, Chinese text in the stock
column, a negative distance, a missing kind, text in the hazards column); about ``--missing`` of the
optional cells are empty.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_venues as gv  # noqa: E402  (place names, police stations, id sequences)
import registry_io as rio  # noqa: E402

CHUNK = 100_000
# kind, weight, name suffixes
KINDS = [
    ("fireworks_retail", 40.0, "烟花爆竹零售店 烟花爆竹经营部 鞭炮烟花店 烟花爆竹专卖店"),
    ("fireworks_temporary", 25.0, "烟花爆竹临时零售点 春节烟花销售点"),
    ("fireworks_wholesale", 4.0, "烟花爆竹批发有限公司 烟花爆竹贸易有限公司"),
    ("fireworks_store", 3.0, "烟花爆竹仓库 烟花爆竹储存库"),
    ("fuel_station", 28.0, "加油站 加油加气站 石化加油站 石油加油站"),
]
CODES = np.array([k[0] for k in KINDS])
WEIGHTS = np.array([k[1] for k in KINDS]) / sum(k[1] for k in KINDS)

FIELDS = ["entity_type", "outlet_type", "has_licence", "licence_valid_until", "stock_quantity", "licensed_quantity",
          "distance_to_crowded_m", "in_residential_building", "store_in_built_up_area", "illegal_products_found",
          "dedicated_sales_ok", "guard_on_duty_ok", "physical_protection_ok", "video_surveillance_ok",
          "duty_roster_ok", "last_drill", "extinguishers_ok", "bulk_realname_ok", "bulk_illegal_sale_found",
          "open_hazards", "last_inspection"]
IDENTITY = ["entity_id", "name", "address", "city", "county", "station", "grid"]
COLUMNS = IDENTITY + FIELDS
ALWAYS = {"entity_type", "outlet_type"}  # never left empty at random
BAD_KINDS = [("outlet_type", "fireworks_factory"), ("licence_valid_until", "2025-02-30"),
             ("stock_quantity", "约100箱"), ("distance_to_crowded_m", -5.0), ("outlet_type", None),
             ("open_hazards", "两项")]
TEXT_COLUMNS = ["licence_valid_until", "stock_quantity", "open_hazards"]


def _identity(rng: np.random.Generator, t: np.ndarray, geo: gv.Geography, counters: np.ndarray) -> dict:
    n = len(t)
    c = rng.choice(len(geo.p), n, p=geo.p)
    s = rng.integers(0, gv.STATIONS_PER_COUNTY, n)
    seq = gv._sequence(c, counters)
    suffix = np.empty(n, dtype=object)
    for i, kind in enumerate(KINDS):
        idx = np.flatnonzero(t == i)
        suffix[idx] = gv._pick(rng, kind[2].split(), idx.size)
    station_stem = geo.stem[c, s]
    road = np.char.add(gv._pick(rng, gv.ROADS, n), gv._pick(rng, gv.ROAD_KINDS, n))
    return {
        "entity_id": np.char.add(np.char.add("DG-", geo.code[c]), np.char.add("-", np.char.mod("%06d", seq))),
        "name": np.char.add(np.char.add(geo.name[c], gv._pick(rng, gv.BRANDS, n)), suffix.astype(str)),
        "address": np.char.add(np.char.add(np.char.add(geo.city[c], geo.name[c]), road),
                               np.char.add(rng.integers(1, 999, n).astype(str), "号")),
        "city": geo.city[c],
        "county": geo.name[c],
        "station": np.char.add(np.char.add(geo.name[c], station_stem), "派出所"),
        "grid": np.char.add(np.char.add(station_stem, "社区第"),
                            np.char.add(rng.integers(1, gv.GRIDS_PER_STATION + 1, n).astype(str), "网格")),
    }


def _days(ref: np.datetime64, offset: np.ndarray) -> np.ndarray:
    return ref + np.round(offset).astype("timedelta64[D]")


def _outlets(rng: np.random.Generator, t: np.ndarray, ref: np.datetime64) -> dict:
    """Every pack field; a (values, not-applicable) pair where a field concerns some kinds only."""
    n = len(t)
    code = CODES[t]
    retail = np.isin(code, ["fireworks_retail", "fireworks_temporary"])
    storage = np.isin(code, ["fireworks_wholesale", "fireworks_store"])
    fireworks = retail | storage
    fuel = code == "fuel_station"
    worse = np.where(rng.random(n) < 0.2, 4.0, 1.0)
    # stock in the licence's unit: cases for retail, tonnes of composition for wholesale and stores
    licensed = np.where(retail, rng.choice([50.0, 80.0, 100.0, 150.0], n), rng.choice([5.0, 10.0, 20.0, 50.0], n))
    fill = np.where(rng.random(n) < 0.04 * worse, rng.uniform(1.05, 2.6, n), rng.uniform(0.2, 1.0, n))
    return {
        "entity_type": np.full(n, "dangerous_goods_outlet"),
        "outlet_type": code,
        "has_licence": rng.random(n) > np.where(retail, 0.02, 0.005) * worse,
        "licence_valid_until": _days(ref, np.where(rng.random(n) < 0.02 * worse, rng.uniform(-120, -1, n),
                                                   rng.uniform(0, 1100, n))),
        "stock_quantity": (np.round(licensed * fill, 1), ~fireworks),
        "licensed_quantity": (licensed, ~fireworks),
        "distance_to_crowded_m": (np.round(np.exp(5.2 + 0.4 * rng.standard_normal(n))), ~retail),
        "in_residential_building": (rng.random(n) < np.where(retail, 0.02, 0.005) * worse, ~fireworks),
        "store_in_built_up_area": (rng.random(n) < 0.03 * worse, ~storage),
        "illegal_products_found": (rng.random(n) < 0.01 * worse, ~fireworks),
        "dedicated_sales_ok": (rng.random(n) > 0.05 * worse, ~retail),
        "guard_on_duty_ok": (rng.random(n) > 0.04 * worse, retail),
        "physical_protection_ok": (rng.random(n) > 0.04 * worse, code == "fireworks_temporary"),
        "video_surveillance_ok": (rng.random(n) > 0.05 * worse, retail),
        "duty_roster_ok": (rng.random(n) > 0.05 * worse, retail),
        "last_drill": (_days(ref, -np.minimum(900, rng.gamma(2.0, 70.0, n) * worse)), code == "fireworks_temporary"),
        "extinguishers_ok": rng.random(n) > 0.04 * worse,
        "bulk_realname_ok": (rng.random(n) > 0.03 * worse, ~fuel),
        "bulk_illegal_sale_found": (rng.random(n) < 0.005 * worse, ~fuel),
        "open_hazards": np.where(rng.random(n) < 0.8 / worse, 0, rng.poisson(worse / 2)).astype(np.int64),
        "last_inspection": _days(ref, -np.minimum(700, rng.gamma(2.0, 60.0, n))),
    }


def make_chunk(seed: int, index: int, n: int, geo: gv.Geography, counters: np.ndarray, ref: np.datetime64,
               missing: float) -> pa.Table:
    """Rows of one chunk; ``counters`` (id sequence per county) is advanced in place."""
    rng = np.random.default_rng([seed, index])
    t = rng.choice(len(CODES), n, p=WEIGHTS)
    ident = _identity(rng, t, geo, counters)
    fields = _outlets(rng, t, ref)
    cols = {k: rio.text_column(v) for k, v in ident.items()}
    for name in FIELDS:
        values, na = fields[name] if isinstance(fields[name], tuple) else (fields[name], np.zeros(n, bool))
        gaps = na if name in ALWAYS else na | (rng.random(n) < missing)
        cols[name] = rio.column(values, gaps)
    return pa.table(cols)


def chunks(n: int, seed: int, ref: dt.date, missing: float, bad: float, cities: str = "hangzhou"):
    """Yields (table, bad cells of the table: row -> (column, value))."""
    geo = gv.Geography(cities)
    counters = np.zeros(len(geo.p), dtype=np.int64)
    spoilt = {int(p): BAD_KINDS[i % len(BAD_KINDS)] for i, p in enumerate(rio.bad_positions(n, bad, seed))} if bad else {}
    for index, start in enumerate(range(0, max(n, 1), CHUNK)):
        size = min(CHUNK, n - start)
        table = make_chunk(seed, index, size, geo, counters, np.datetime64(ref, "D"), missing)
        yield table, {p - start: kv for p, kv in spoilt.items() if start <= p < start + size}


def main(argv: list[str] | None = None) -> int:
    args = rio.parse_args(__doc__, dt.date(2025, 6, 30), argv)
    writer = rio.Writer(COLUMNS, text_columns=TEXT_COLUMNS if args.bad_rows and args.n else ())
    writer.write(args.out, chunks(args.n, args.seed, args.ref_date, args.missing, args.bad_rows), args.encoding)
    return 0


if __name__ == "__main__":
    sys.exit(main())
