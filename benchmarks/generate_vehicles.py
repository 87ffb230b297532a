"""Generate realistic 两客一危一货 registries for the road_transport pack (rules/road_transport.yaml).

One file holds the three kinds of entity the pack grades, told apart by ``entity_type``: vehicles
(about 68% of the rows), drivers (about 27%) and the carriers that operate them (about 5%). A
carrier row carries its fleet and its drivers as JSON lists (``vehicles``, ``drivers``) built from
the same vehicle and driver rows, so a carrier's roll-up agrees with the rows of its vehicles.

Deterministic: the same ``--n`` and ``--seed`` give the same rows. Vectorised with numpy (the carrier
lists are assembled per carrier) and written in chunks of 50,000 rows, each with its own carriers.

    python benchmarks/generate_vehicles.py --n 1000000 --seed 1 --out /tmp/vehicles.parquet
    python benchmarks/generate_vehicles.py --n 300 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --out examples/vehicles.csv
    python benchmarks/generate_vehicles.py --n 300 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --encoding gb18030 \
        --out examples/vehicles_gb18030.csv

(and the same with ``.xlsx`` and ``.jsonl``). Vehicles carry the checkpoint items (markings, guards,
dangerous-goods signs, escort, permit, route) and school buses their sign, driver qualification and
overloading. ``--bad-rows`` rows carry one deliberate error each
(unknown state code, impossible date, Chinese text in the points column, negative mass, broken JSON
in a list cell, text in the violations column); about ``--missing`` of the optional cells are empty.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_venues as gv  # noqa: E402  (place names, id sequences)
import registry_io as rio  # noqa: E402

CHUNK = 50_000
PLATE_LETTER = {"杭州市": "A", "宁波市": "B", "温州市": "C", "绍兴市": "D", "湖州市": "E", "嘉兴市": "F",
                "金华市": "G", "衢州市": "H", "台州市": "J", "丽水市": "K", "舟山市": "L"}
BUSINESS = np.array(["passenger", "hazmat", "freight"])
BUSINESS_P = np.array([0.3, 0.2, 0.5])
COMPANY = {"passenger": "客运有限公司 旅游客运有限公司 汽车运输有限公司",
           "hazmat": "危险品运输有限公司 化工物流有限公司 危险货物运输有限公司",
           "freight": "物流有限公司 货运有限公司 运输有限公司 供应链管理有限公司"}
# vehicle classes each business runs, with weights
FLEET = {"passenger": (["tour_coach", "line_coach", "school_bus"], [0.42, 0.5, 0.08]),
         "hazmat": (["hazmat", "tractor"], [0.8, 0.2]),
         "freight": (["truck", "tractor"], [0.7, 0.3])}
STATUS = np.array(["A", "Q", "G", "P", "I", "D", "L", "C", "J", "N", "E", "M"])
STATUS_P = np.array([0.925, 0.02, 0.03, 0.004, 0.006, 0.006, 0.004, 0.001, 0.001, 0.001, 0.001, 0.001])
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈")
GIVEN = ("建国 志强 海波 伟 敏 军 勇 杰 磊 涛 明 超 斌 华 平 刚 辉 鹏 飞 波 峰 浩 亮 俊 强 林 东 新华 建华 国庆 "
         "卫东 小龙 永强 文斌 晓明 春生 金宝 德福 海涛 立新 红军 宏伟 跃进 建军 振华 玉林 国平").split()
POINT_VALUES = np.array([1, 3, 6, 9, 12])
POINT_P = np.array([0.35, 0.35, 0.2, 0.07, 0.03])
VEHICLE_ITEMS = ["plate", "vehicle_class", "status", "inspection_valid_until", "scrap_deadline",
                 "unprocessed_violations", "fatigue_alarms_30d", "speeding_alarms_30d"]
DRIVER_ITEMS = ["name", "cycle_points", "licence_valid_until", "review_due"]

FIELDS = ["entity_type", "vehicle_class", "line_class", "gross_mass_t", "status", "inspection_valid_until",
          "scrap_deadline", "unprocessed_violations", "terminal_online", "fatigue_alarms_30d", "speeding_alarms_30d",
          "night_speeding_alarms_30d", "reflective_marking_ok", "side_rear_guard_ok", "hazard_sign_ok",
          "escort_on_board", "transport_permit_valid", "route_violation_30d", "school_bus_sign_valid",
          "school_bus_driver_qualified", "overload_pct", "cycle_points", "cycle_end", "licence_valid_until",
          "review_due", "business_type", "monitoring_staff", "fatal_accidents_3m", "max_deaths_one_accident_3m",
          "hazmat_accident_3m", "vehicles", "drivers", "last_inspection"]
IDENTITY = ["entity_id", "name", "plate", "carrier_id", "address", "city", "county", "station", "grid"]
COLUMNS = IDENTITY + FIELDS
ALWAYS = {"entity_type", "vehicles", "drivers"}  # never left empty at random
BAD_KINDS = [("status", "X"), ("inspection_valid_until", "2025-02-30"), ("cycle_points", "十二"),
             ("gross_mass_t", -5.0), ("vehicles", '[{"plate": "浙A1'), ("unprocessed_violations", "若干")]
TEXT_COLUMNS = ["inspection_valid_until", "cycle_points", "unprocessed_violations"]


def _days(ref: np.datetime64, offsets: np.ndarray) -> np.ndarray:
    return ref + np.round(offsets).astype("timedelta64[D]")


def _plates(rng: np.random.Generator, city: np.ndarray) -> np.ndarray:
    """浙A12345 style: province, city letter, five characters, now and then a letter among them."""
    n = len(city)
    letters = np.array([PLATE_LETTER.get(c, "A") for c in city])
    digits = np.char.mod("%05d", rng.integers(0, 100_000, n))
    with_letter = rng.random(n) < 0.25
    alpha = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ"))[rng.integers(0, 24, n)]
    body = np.where(with_letter, np.char.add(alpha, np.char.mod("%04d", rng.integers(0, 10_000, n))), digits)
    return np.char.add(np.char.add("浙", letters), body)


def _carriers(rng: np.random.Generator, k: int, geo: gv.Geography, counters: np.ndarray) -> dict:
    c = rng.choice(len(geo.p), k, p=geo.p)
    business = BUSINESS[rng.choice(3, k, p=BUSINESS_P)]
    suffix = np.array([COMPANY[b].split()[i % 3] for i, b in enumerate(business)])
    station_stem = geo.stem[c, rng.integers(0, gv.STATIONS_PER_COUNTY, k)]
    road = np.char.add(gv._pick(rng, gv.ROADS, k), gv._pick(rng, gv.ROAD_KINDS, k))
    seq = gv._sequence(c, counters)
    return {
        "county_index": c, "business_type": business,
        "entity_id": np.char.add(np.char.add("RTC-", geo.code[c]), np.char.add("-", np.char.mod("%05d", seq))),
        "name": np.char.add(np.char.add(geo.city[c].astype("U2"), gv._pick(rng, gv.BRANDS, k)), suffix),
        "address": np.char.add(np.char.add(np.char.add(geo.city[c], geo.name[c]), road),
                               np.char.add(rng.integers(1, 999, k).astype(str), "号")),
        "station": np.char.add(np.char.add(geo.name[c], "交警大队"), np.char.add(station_stem, "中队")),
        "grid": np.char.add(station_stem, np.char.add("中队第", np.char.add(rng.integers(1, 7, k).astype(str), "责任区"))),
        "fatal_accidents_3m": rng.poisson(0.04, k),
        "hazmat_accident_3m": (business == "hazmat") & (rng.random(k) < 0.01),
    }


def _vehicles(rng: np.random.Generator, owner: np.ndarray, business: np.ndarray, city: np.ndarray,
              ref: np.datetime64) -> dict:
    n = len(owner)
    cls = np.empty(n, dtype=object)
    for b, (classes, p) in FLEET.items():
        idx = np.flatnonzero(business[owner] == b)
        cls[idx] = rng.choice(classes, idx.size, p=p)
    cls = cls.astype(str)
    worse = np.where(rng.random(n) < 0.15, 4.0, 1.0)
    status = STATUS[rng.choice(len(STATUS), n, p=STATUS_P)]
    inspection = np.where(status == "Q", rng.uniform(-90, -1, n),
                          np.where(rng.random(n) < 0.01 * worse, rng.uniform(-40, -1, n), rng.uniform(0, 365, n)))
    scrap = np.where(status == "P", rng.uniform(-200, -1, n), rng.uniform(30, 4000, n))
    violations = np.where(status == "G", 1 + rng.poisson(1.2, n), rng.poisson(0.15 * worse))
    coach = np.isin(cls, ["tour_coach", "line_coach", "school_bus"])
    goods = np.isin(cls, ["truck", "tractor", "hazmat"])
    hazmat = cls == "hazmat"
    school = cls == "school_bus"
    return {
        # checkpoint items (goods vehicles; the dangerous-goods ones for hazmat vehicles only)
        "reflective_marking_ok": (rng.random(n) > 0.03 * worse, ~goods),
        "side_rear_guard_ok": (rng.random(n) > 0.02 * worse, ~goods),
        "hazard_sign_ok": (rng.random(n) > 0.01 * worse, ~hazmat),
        "escort_on_board": (rng.random(n) > 0.01 * worse, ~hazmat),
        "transport_permit_valid": (rng.random(n) > 0.004 * worse, ~hazmat),
        "route_violation_30d": (rng.random(n) < 0.01 * worse, ~hazmat),
        "school_bus_sign_valid": (rng.random(n) > 0.01 * worse, ~school),
        "school_bus_driver_qualified": (rng.random(n) > 0.01 * worse, ~school),
        "overload_pct": (np.where(rng.random(n) < 0.03 * worse, rng.choice([5.0, 10.0, 20.0, 30.0], n), 0.0), ~school),
        "plate": _plates(rng, city),
        "vehicle_class": cls,
        "line_class": (rng.choice([1, 2, 3, 4], n, p=[0.2, 0.3, 0.35, 0.15]), cls != "line_coach"),
        "gross_mass_t": np.round(np.select([coach, cls == "truck"], [rng.uniform(12, 18, n), rng.uniform(8, 49, n)],
                                           rng.uniform(18, 49, n)), 1),
        "status": status,
        "inspection_valid_until": _days(ref, inspection),
        "scrap_deadline": _days(ref, scrap),
        "unprocessed_violations": violations.astype(np.int64),
        "terminal_online": rng.random(n) > 0.03 * worse,
        "fatigue_alarms_30d": rng.poisson(0.25 * worse).astype(np.int64),
        "speeding_alarms_30d": rng.poisson(0.7 * worse).astype(np.int64),
        "night_speeding_alarms_30d": (rng.poisson(0.1 * worse).astype(np.int64), ~coach),
    }


def _drivers(rng: np.random.Generator, n: int, ref: np.datetime64) -> dict:
    worse = np.where(rng.random(n) < 0.15, 4.0, 1.0)
    offences = rng.poisson(0.35 * worse)
    # the sum of `offences` point values each: add one draw per possible offence, masked
    draws = POINT_VALUES[rng.choice(5, (n, 6), p=POINT_P)] * (np.arange(6) < offences[:, None])
    return {
        "name": np.char.add(gv._pick(rng, SURNAMES, n), gv._pick(rng, GIVEN, n)),
        "cycle_points": draws.sum(axis=1).astype(np.int64),
        "cycle_end": _days(ref, np.where(rng.random(n) < 0.03, rng.uniform(-60, -1, n), rng.uniform(1, 365, n))),
        "licence_valid_until": _days(ref, np.where(rng.random(n) < 0.015 * worse, rng.uniform(-60, -1, n),
                                                   rng.uniform(0, 3650, n))),
        "review_due": _days(ref, np.where(rng.random(n) < 0.02 * worse, rng.uniform(-60, -1, n),
                                          rng.uniform(0, 365, n))),
        "fatigue_alarms_30d": rng.poisson(0.2 * worse).astype(np.int64),
        "speeding_alarms_30d": rng.poisson(0.5 * worse).astype(np.int64),
        "night_speeding_alarms_30d": rng.poisson(0.05 * worse).astype(np.int64),
    }


def _lists(owner: np.ndarray, k: int, values: dict, names: list[str]) -> np.ndarray:
    """One JSON list per carrier from the rows it owns (dates as ISO text)."""
    cols = [np.asarray(values[nm][0] if isinstance(values[nm], tuple) else values[nm]) for nm in names]
    cols = [c.astype("datetime64[D]").astype(str) if c.dtype.kind == "M" else c.tolist() for c in cols]
    records = [dict(zip(names, row)) for row in zip(*[list(c) for c in cols])]
    out: list[list] = [[] for _ in range(k)]
    for i in np.argsort(owner, kind="stable"):
        out[owner[i]].append(records[i])
    return np.array([json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in out], dtype=object)


def make_chunk(seed: int, index: int, m: int, geo: gv.Geography, counters: np.ndarray, ref: np.datetime64,
               missing: float) -> pa.Table:
    """``m`` rows: carriers, then their vehicles and drivers, shuffled as a registry export is."""
    rng = np.random.default_rng([seed, index])
    k = max(1, round(m * 0.05)) if m >= 3 else 0
    nv = round((m - k) * 0.72) if k else m
    nd = m - k - nv
    car = _carriers(rng, max(k, 1), geo, counters)
    v_owner, d_owner = rng.integers(0, max(k, 1), nv), rng.integers(0, max(k, 1), nd)
    c_city = geo.city[car["county_index"]]
    veh = _vehicles(rng, v_owner, car["business_type"], c_city[v_owner], ref)
    drv = _drivers(rng, nd, ref)
    fleet = np.bincount(v_owner, minlength=max(k, 1))
    car_fields = {
        "business_type": car["business_type"],
        "monitoring_staff": np.where(rng.random(len(fleet)) < 0.1, 1, np.maximum(2, np.ceil(fleet / 100))).astype(np.int64),
        "fatal_accidents_3m": car["fatal_accidents_3m"],
        "max_deaths_one_accident_3m": np.where(car["fatal_accidents_3m"] > 0, 1 + rng.poisson(0.4, len(fleet)), 0),
        "hazmat_accident_3m": car["hazmat_accident_3m"],
        "vehicles": _lists(v_owner, len(fleet), veh, VEHICLE_ITEMS),
        "drivers": _lists(d_owner, len(fleet), drv, DRIVER_ITEMS),
    }
    parts = [("carrier", np.arange(k), car_fields, None), ("vehicle", v_owner, veh, "RTV"), ("driver", d_owner, drv, "RTD")]
    table = _assemble(rng, parts, car, geo, counters, ref, missing)
    return table.take(pa.array(rng.permutation(table.num_rows))) if table.num_rows else table


def _assemble(rng, parts, car, geo, counters, ref, missing) -> pa.Table:
    """One table of all three kinds; a field a kind does not have is empty on its rows."""
    blocks = []
    for kind, owner, fields, prefix in parts:
        n = len(owner)
        if not n:
            continue
        cols: dict = {}
        county = car["county_index"][owner]
        seq = np.char.mod("%06d", gv._sequence(county, counters)) if prefix else None
        ids = car["entity_id"][owner] if prefix is None else np.char.add(np.char.add(f"{prefix}-", geo.code[county]),
                                                                          np.char.add("-", seq))
        ident = {"entity_id": ids, "name": car["name"][owner] if kind == "carrier" else
                 fields["plate"] if kind == "vehicle" else fields["name"],
                 "plate": fields["plate"] if kind == "vehicle" else np.full(n, None, dtype=object),
                 "carrier_id": car["entity_id"][owner], "address": car["address"][owner],
                 "city": geo.city[county], "county": geo.name[county], "station": car["station"][owner],
                 "grid": car["grid"][owner]}
        for name in IDENTITY:
            values = np.asarray(ident[name], dtype=object)
            cols[name] = rio.text_column(values, np.array([v is None for v in values]))
        for name in FIELDS:
            cols[name] = _field(rng, name, kind, fields, n, ref, missing)
        blocks.append(pa.table(cols))
    return pa.concat_tables(blocks)


_TYPES = {"line_class": pa.int64(), "gross_mass_t": pa.float64(), "unprocessed_violations": pa.int64(),
          "terminal_online": pa.bool_(), "cycle_points": pa.int64(), "monitoring_staff": pa.int64(),
          "fatal_accidents_3m": pa.int64(), "max_deaths_one_accident_3m": pa.int64(), "hazmat_accident_3m": pa.bool_(),
          "fatigue_alarms_30d": pa.int64(), "speeding_alarms_30d": pa.int64(), "night_speeding_alarms_30d": pa.int64(),
          "reflective_marking_ok": pa.bool_(), "side_rear_guard_ok": pa.bool_(), "hazard_sign_ok": pa.bool_(),
          "escort_on_board": pa.bool_(), "transport_permit_valid": pa.bool_(), "route_violation_30d": pa.bool_(),
          "school_bus_sign_valid": pa.bool_(), "school_bus_driver_qualified": pa.bool_(), "overload_pct": pa.float64()}
_DATES = {"inspection_valid_until", "scrap_deadline", "cycle_end", "licence_valid_until", "review_due", "last_inspection"}


def _field(rng, name: str, kind: str, fields: dict, n: int, ref: np.datetime64, missing: float) -> pa.Array:
    if name == "entity_type":
        return rio.text_column(np.full(n, kind))
    if name == "last_inspection":
        return rio.column(ref - np.minimum(700, rng.gamma(2.0, 60.0, n)).astype("timedelta64[D]"),
                          rng.random(n) < missing)
    if name not in fields:
        typ = pa.date32() if name in _DATES else _TYPES.get(name, pa.string())
        return pa.nulls(n, typ)
    values, na = fields[name] if isinstance(fields[name], tuple) else (fields[name], np.zeros(n, bool))
    gaps = na if name in ALWAYS else na | (rng.random(n) < missing)
    arr = rio.column(np.asarray(values), gaps)
    return arr.cast(_TYPES[name]) if name in _TYPES else arr


def chunks(n: int, seed: int, ref: dt.date, missing: float, bad: float, cities: str = "zhejiang"):
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
    writer = rio.Writer(COLUMNS, lists=("vehicles", "drivers"),
                        text_columns=TEXT_COLUMNS if args.bad_rows and args.n else ())
    writer.write(args.out, chunks(args.n, args.seed, args.ref_date, args.missing, args.bad_rows), args.encoding)
    return 0


if __name__ == "__main__":
    sys.exit(main())
