"""Generate realistic 九小场所 registries for the nine_small_venues pack (rules/nine_small_venues.yaml).

Deterministic: the same ``--n`` and ``--seed`` give the same rows. Vectorised with numpy, written in
chunks of 100,000 rows, so a million rows take seconds (CSV/Parquet) and memory stays flat.

    python benchmarks/generate_small_venues.py --n 1000000 --seed 1 --out /tmp/small.parquet
    python benchmarks/generate_small_venues.py --n 300 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --out examples/small_venues.csv
    python benchmarks/generate_small_venues.py --n 300 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --encoding gb18030 \
        --out examples/small_venues_gb18030.csv

(and the same with ``.xlsx`` and ``.jsonl``). The categories are the common nine and Shandong's
flammable-goods outlets. Most venues are within the small-venue limits, about one
in ten is larger (a case for hand-over to the fire authority); a minority of badly run venues has
every deficiency several times as often. ``--bad-rows`` rows carry one deliberate error each (negative
area, unknown category, Chinese text in an integer column, an impossible date, a missing category,
text in a number column); about ``--missing`` of the optional cells are empty.
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
# code, weight, median area m², sigma, people per m², name suffixes
CATEGORIES = [
    ("shop", 30.0, 90, 0.7, 0.25, "便利店 五金店 烟酒店 服装店 小超市 水果店 母婴店 药店 建材店 电动车行"),
    ("restaurant", 22.0, 110, 0.7, 0.7, "小吃店 面馆 快餐店 饺子馆 土菜馆 烧烤店 奶茶店 早餐店"),
    ("lodging", 7.0, 300, 0.6, 0.08, "旅馆 宾馆 招待所 客栈 民宿 公寓酒店"),
    ("entertainment", 4.0, 150, 0.5, 0.35, "KTV 歌厅 棋牌室 桌游吧 台球室 剧本杀馆"),
    ("internet_cafe", 3.0, 170, 0.5, 0.3, "网吧 网咖 电竞馆"),
    ("beauty_bath", 10.0, 110, 0.6, 0.15, "美容院 美发店 足浴店 按摩店 养生馆 健身工作室"),
    ("clinic", 6.0, 180, 0.7, 0.12, "诊所 卫生室 门诊部 社区卫生服务站 颐养院 托老所"),
    ("school", 5.0, 800, 0.7, 0.35, "幼儿园 托育园 培训学校 艺术学校 小学"),
    ("workshop", 13.0, 450, 0.8, 0.06, "服装加工厂 制鞋作坊 五金加工厂 印刷厂 木器加工厂 包装厂 食品加工坊"),
    ("flammables_outlet", 2.0, 60, 0.5, 0.1, "烟花爆竹零售点 液化气供应站 油漆店 燃气具店"),
]
CODES = np.array([c[0] for c in CATEGORIES])
WEIGHTS = np.array([c[1] for c in CATEGORIES]) / sum(c[1] for c in CATEGORIES)
MEDIAN = np.array([c[2] for c in CATEGORIES], dtype=float)
SIGMA = np.array([c[3] for c in CATEGORIES])
DENSITY = np.array([c[4] for c in CATEGORIES])

FIELDS = ["entity_type", "small_category", "building_area_m2", "underground", "floor_level", "floors_above_ground",
          "occupancy", "diners", "beds", "boarding_beds", "pupils", "is_kindergarten", "township_clinic", "staff",
          "dormitory_staff", "exits", "exits_blocked", "extinguisher_count", "extinguishers_ok",
          "emergency_lighting_ok", "evacuation_signs_ok", "improper_wiring", "gas_cylinder_violation",
          "people_living_on_premises", "dwelling_separated", "stores_flammables", "ebike_indoor_charging",
          "fire_lane_blocked", "combustible_decoration", "fixed_window_bars", "repeat_violation", "open_hazards",
          "last_inspection"]
IDENTITY = ["entity_id", "name", "address", "city", "county", "station", "grid"]
COLUMNS = IDENTITY + FIELDS
ALWAYS = {"entity_type", "small_category"}  # never left empty at random
BAD_KINDS = [("building_area_m2", -35.0), ("small_category", "large_mall"), ("extinguisher_count", "两具"),
             ("last_inspection", "2024-02-30"), ("small_category", None), ("occupancy", "abc")]
TEXT_COLUMNS = ["extinguisher_count", "occupancy", "last_inspection"]


def _identity(rng: np.random.Generator, t: np.ndarray, geo: gv.Geography, counters: np.ndarray) -> dict:
    n = len(t)
    c = rng.choice(len(geo.p), n, p=geo.p)
    s = rng.integers(0, gv.STATIONS_PER_COUNTY, n)
    seq = gv._sequence(c, counters)
    suffix = np.empty(n, dtype=object)
    for i, cat in enumerate(CATEGORIES):
        idx = np.flatnonzero(t == i)
        suffix[idx] = gv._pick(rng, cat[5].split(), idx.size)
    station_stem = geo.stem[c, s]
    road = np.char.add(gv._pick(rng, gv.ROADS, n), gv._pick(rng, gv.ROAD_KINDS, n))
    return {
        "entity_id": np.char.add(np.char.add("NS-", geo.code[c]), np.char.add("-", np.char.mod("%06d", seq))),
        "name": np.char.add(np.char.add(geo.name[c], gv._pick(rng, gv.BRANDS, n)), suffix.astype(str)),
        "address": np.char.add(np.char.add(np.char.add(geo.city[c], geo.name[c]), road),
                               np.char.add(rng.integers(1, 999, n).astype(str), "号")),
        "city": geo.city[c],
        "county": geo.name[c],
        "station": np.char.add(np.char.add(geo.name[c], station_stem), "派出所"),
        "grid": np.char.add(np.char.add(station_stem, "社区第"),
                            np.char.add(rng.integers(1, gv.GRIDS_PER_STATION + 1, n).astype(str), "网格")),
    }


def _size(rng: np.random.Generator, t: np.ndarray) -> dict:
    """Size fields; a (values, not-applicable) pair where a count only makes sense for some categories."""
    n = len(t)
    code = CODES[t]
    is_ = {k: code == k for k in CODES}
    area = np.round(MEDIAN[t] * np.exp(SIGMA[t] * rng.standard_normal(n)), 0).clip(12)
    floor = (1 + rng.geometric(0.7, n) - 1).clip(1, 6)
    school_beds = np.where(rng.random(n) < 0.2, np.round(area / rng.uniform(12, 25, n)), 0)
    kindergarten = is_["school"] & (rng.random(n) < 0.6)
    workshop = is_["workshop"]
    return {
        "entity_type": np.full(n, "small_venue"),
        "small_category": code,
        "building_area_m2": area,
        "underground": rng.random(n) < np.where(is_["entertainment"] | is_["internet_cafe"], 0.08, 0.02),
        "floor_level": floor,
        "floors_above_ground": np.maximum(floor, 1 + rng.poisson(2.0, n)),
        "occupancy": np.maximum(2, np.round(area * DENSITY[t] * rng.uniform(0.6, 1.4, n))).astype(np.int64),
        "diners": (np.round(area / rng.uniform(1.6, 2.6, n)).astype(np.int64), ~is_["restaurant"]),
        "beds": (np.where(is_["clinic"] & (rng.random(n) < 0.5), 0, np.round(area / rng.uniform(11, 18, n))).astype(np.int64),
                 ~(is_["lodging"] | is_["clinic"])),
        "boarding_beds": (school_beds.astype(np.int64), ~is_["school"]),
        "pupils": (np.round(area / np.where(kindergarten, rng.uniform(8, 14, n), rng.uniform(2.5, 4.0, n))).astype(np.int64),
                   ~is_["school"]),
        "is_kindergarten": (kindergarten, ~is_["school"]),
        "township_clinic": (rng.random(n) < 0.15, ~is_["clinic"]),
        "staff": np.where(workshop, np.round(area / rng.uniform(10, 20, n)), rng.integers(1, 12, n)).astype(np.int64),
        "dormitory_staff": np.where(workshop & (rng.random(n) < 0.4), rng.poisson(14, n), 0).astype(np.int64),
    }


def _checks(rng: np.random.Generator, t: np.ndarray, size: dict, ref: np.datetime64) -> dict:
    """Checklist results: compliant for most venues, several times worse for a badly run minority."""
    n = len(t)
    code = CODES[t]
    worse = np.where(rng.random(n) < 0.2, 4.0, 1.0)
    area = size["building_area_m2"]
    need = np.maximum(2, np.ceil(area / 75))
    living = rng.random(n) < np.select([code == "shop", code == "restaurant", code == "workshop"],
                                       [0.12, 0.10, 0.15], 0.03) * worse
    return {
        "exits": np.where((area > 100) & (rng.random(n) > 0.06 * worse), 2, 1).astype(np.int64),
        "exits_blocked": rng.random(n) < 0.03 * worse,
        "extinguisher_count": np.where(rng.random(n) < 0.12 * worse, need - rng.integers(1, 3, n), need)
                                .clip(0).astype(np.int64),
        "extinguishers_ok": rng.random(n) > 0.05 * worse,
        "emergency_lighting_ok": rng.random(n) > 0.06 * worse,
        "evacuation_signs_ok": rng.random(n) > 0.06 * worse,
        "improper_wiring": rng.random(n) < 0.06 * worse,
        "gas_cylinder_violation": rng.random(n) < np.where(code == "restaurant", 0.08, 0.015) * worse,
        "people_living_on_premises": living,
        "dwelling_separated": (rng.random(n) < 0.4, ~living),
        "stores_flammables": (code == "flammables_outlet")
                             | (rng.random(n) < np.where(np.isin(code, ["shop", "workshop"]), 0.02, 0.002)),
        "ebike_indoor_charging": rng.random(n) < 0.04 * worse,
        "fire_lane_blocked": rng.random(n) < 0.02 * worse,
        "combustible_decoration": rng.random(n) < 0.03 * worse,
        "fixed_window_bars": rng.random(n) < 0.03 * worse,
        "repeat_violation": rng.random(n) < 0.01 * worse,
        "open_hazards": np.where(rng.random(n) < 0.8 / worse, 0, rng.poisson(worse / 2)).astype(np.int64),
        "last_inspection": ref - np.minimum(900, rng.gamma(2.0, 70.0, n)).astype("timedelta64[D]"),
    }


def make_chunk(seed: int, index: int, n: int, geo: gv.Geography, counters: np.ndarray, ref: np.datetime64,
               missing: float) -> pa.Table:
    """Rows of one chunk; ``counters`` (id sequence per county) is advanced in place."""
    rng = np.random.default_rng([seed, index])
    t = rng.choice(len(CODES), n, p=WEIGHTS)
    ident = _identity(rng, t, geo, counters)
    size = _size(rng, t)
    fields = {**size, **_checks(rng, t, size, ref)}
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
