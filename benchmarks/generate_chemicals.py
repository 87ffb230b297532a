"""Generate realistic registries of hazardous-chemical enterprises for rules/hazardous_chemicals.yaml.

Deterministic: the same ``--n`` and ``--seed`` give the same rows. Vectorised with numpy and Arrow
and written in chunks, so 10^6 rows take seconds and memory stays flat.

    python benchmarks/generate_chemicals.py --n 1000000 --seed 1 --out /tmp/chemicals.parquet
    python benchmarks/generate_chemicals.py --n 200 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --out examples/chemicals.csv
    python benchmarks/generate_chemicals.py --n 200 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --encoding gb18030 \
        --out examples/chemicals_gb18030.csv
    python benchmarks/generate_chemicals.py --n 200 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --out examples/chemicals.jsonl
    python benchmarks/generate_chemicals.py --n 200 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --out examples/chemicals.xlsx

The format follows the extension: .csv, .jsonl, .parquet, .xlsx. ``inventory`` is a JSON list of
records ({"substance", "tonnes", "ghs_category"}) in a text cell (CSV, xlsx, Parquet) or a JSON array
(JSON Lines); some enterprises name the identification unit of each record ({"unit", …}), and a few
substances are not in Table 1 (二甲苯, 异丙醇, 乙酸丁酯: graded by their category). ``--bad-rows`` below 1
is a fraction of the rows, from 1 up a number of rows; each bad row carries one deliberate error (a
category no table knows, negative tonnes, an inventory that is not JSON, text in a number column, a
grade above 4, an impossible date). About ``--missing``
(default 3%) of the optional cells are left empty at random.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

CHUNK = 100_000
XLSX_MAX_ROWS = 1_048_575

# substance spelling, Table 2/4 symbol (None: Table 3 sets β), Q (t), median tonnes, weight, 2 if an
# explosive precursor (易制爆). Spellings mix names, aliases and CAS numbers as registries do.
SUBSTANCES = [
    ("液氨", None, 10, 25, 6, 0), ("液氯", None, 5, 8, 3, 0), ("氯化氢", None, 20, 5, 2, 0),
    ("硫化氢", None, 5, 1, 1, 0), ("二氧化硫", None, 20, 6, 1, 0), ("环氧乙烷", None, 10, 15, 2, 0),
    ("光气", None, 0.3, 0.1, 0.3, 0), ("甲醇", "W5.3", 500, 300, 10, 0), ("67-56-1", "W5.3", 500, 200, 2, 0),
    ("乙醇", "W5.3", 500, 150, 6, 0), ("汽油", "W5.3", 200, 150, 8, 0), ("苯", "W5.3", 50, 40, 4, 0),
    ("甲苯", "W5.3", 500, 150, 6, 0), ("108-88-3", "W5.3", 500, 80, 1, 0), ("丙酮", "W5.3", 500, 80, 4, 0),
    ("乙酸乙酯", "W5.3", 500, 80, 4, 0), ("正己烷", "W5.3", 500, 60, 2, 0), ("液化石油气", "W2", 50, 40, 6, 0),
    ("天然气", "W2", 50, 8, 3, 0), ("氢气", "W2", 5, 1, 3, 0), ("乙炔", "W2", 1, 0.3, 2, 0),
    ("液氧", "W4", 200, 30, 3, 0), ("环氧丙烷", "W5.1", 10, 8, 2, 0), ("苯乙烯", "W5.4", 500, 150, 3, 0),
    ("丙烯腈", "W5.3", 50, 30, 2, 0), ("二硫化碳", "W5.1", 50, 5, 1, 0), ("TDI", "J5", 100, 20, 1, 0),
    ("硝酸(发红烟的除外,含硝酸>70%)", "W9.2", 100, 20, 2, 2), ("硝酸钾", "W9.2", 1000, 30, 2, 2),
    ("氯酸钠", "W9.1", 100, 15, 1, 2), ("过氧化钠", "W9.1", 20, 2, 1, 2), ("电石", "W11", 100, 60, 2, 0),
    ("钠", "W11", 10, 0.5, 1, 2), ("黄磷", "W8", 50, 8, 1, 0), ("W5.4", "W5.4", 5000, 400, 5, 0),
    ("W5.3", "W5.3", 1000, 200, 3, 0), ("J5", "J5", 500, 20, 2, 0), ("W9.2", "W9.2", 200, 30, 2, 0),
    ("W10", "W10", 200, 20, 1, 0),
    # not in Table 1: graded by their hazard category (Table 2 Q, Table 4 β)
    ("二甲苯", "W5.4", 5000, 400, 3, 0), ("异丙醇", "W5.3", 1000, 80, 2, 0), ("乙酸丁酯", "W5.4", 5000, 120, 2, 0),
]
SUB_NAME = np.array([s[0] for s in SUBSTANCES])
SUB_GHS = np.array([s[1] or "" for s in SUBSTANCES])
SUB_Q = np.array([s[2] for s in SUBSTANCES], dtype=float)
SUB_MED = np.array([s[3] for s in SUBSTANCES], dtype=float)
SUB_P = np.array([s[4] for s in SUBSTANCES], dtype=float) / sum(s[4] for s in SUBSTANCES)
SUB_TOXIC = np.isin(SUB_NAME, ["液氯", "光气"])  # the inhalation-toxic (剧毒) spellings above
SUB_PRECURSOR = np.array([s[5] == 2 for s in SUBSTANCES])

# identification units an enterprise with several names its records by (GB 18218 4.1.1)
UNITS = ("生产装置区", "储罐区", "甲类仓库")
P_SEVERAL_UNITS = 0.3  # of the enterprises with three records or more
# activity, weight, company-name suffixes, items per inventory (lo..hi), P(in a chemical park)
ACTIVITIES = [
    ("production", 0.45, "化工有限公司 石化有限公司 新材料有限公司 化学有限公司 制药有限公司 精细化工有限公司 氟化工有限公司", 2, 6, 0.75),
    ("storage", 0.35, "危险化学品仓储有限公司 化工物流有限公司 化工贸易有限公司 石油化工储运有限公司 液化气有限公司 气体有限公司", 1, 5, 0.35),
    ("use", 0.20, "电镀有限公司 印染有限公司 水务有限公司 食品有限公司 金属表面处理有限公司 电子材料有限公司", 1, 3, 0.15),
]
ACT_CODE = np.array([a[0] for a in ACTIVITIES])
ACT_P = np.array([a[1] for a in ACTIVITIES])
BRANDS = ("恒逸 荣盛 巨化 新安 中巨 华峰 传化 闰土 龙盛 联化 永太 海正 华海 建业 新和成 皇马 杭氧 正泰 镇洋 和利 "
          "金海 宏远 鑫源 浙化 星海 东港 联盛 汇丰 永安 天成 华源 远东 晨光 瑞华 天宇 嘉化 利安 卫星 滨海 宁化").split()
# city, county code, county name, weight, chemical park of the county, town stems (stations, grids)
COUNTIES = [
    ("杭州市", "330114", "钱塘区", 1.2, "杭州钱塘新区化工园区", "临江 河庄 义蓬 新湾 前进"),
    ("杭州市", "330109", "萧山区", 1.0, "萧山临江工业园区", "瓜沥 党湾 益农 义桥 临浦"),
    ("杭州市", "330111", "富阳区", 0.5, "富阳场口化工园区", "场口 东洲 新登 春江"),
    ("宁波市", "330211", "镇海区", 1.4, "宁波石化经济技术开发区", "蛟川 澥浦 骆驼 庄市 招宝山"),
    ("宁波市", "330206", "北仑区", 1.0, "宁波大榭开发区", "大榭 霞浦 柴桥 小港 戚家山"),
    ("嘉兴市", "330482", "平湖市", 0.9, "嘉兴港区化工新材料园区", "乍浦 独山港 全塘 新仓"),
    ("绍兴市", "330604", "上虞区", 1.1, "杭州湾上虞经济技术开发区", "沥海 道墟 盖北 曹娥 百官"),
    ("衢州市", "330803", "衢江区", 0.7, "衢州高新技术产业开发区", "樟潭 浮石 廿里 高家"),
    ("台州市", "331082", "临海市", 0.6, "临海头门港经济开发区", "杜桥 上盘 桃渚 汛桥"),
    ("温州市", "330303", "龙湾区", 0.5, "温州经济技术开发区", "海城 沙城 天河 星海"),
]
ROADS = "滨海 港口 化工 纬三 纬五 经一 经二 临江 海河 石化 园区 发展 兴港 东海 创业 科技 东方 金港".split()
GRIDS_PER_STATION = 10

# flag name -> base probability (a minority of badly run enterprises has each several times as often)
FLAGS = {
    "self_reactive_units": 0.05, "open_flame_adjacent": 0.02, "external_distance_noncompliant": 0.01,
    "first_use_process_unverified": 0.004, "reaction_risk_unassessed": 0.012, "class_a_design": 0.30,
    "special_equipment_unregistered": 0.05, "dual_power_missing": 0.005, "key_process_automation_missing": 0.005,
    "tank_farm_sis_missing": 0.005, "tank_farm_cutoff_missing": 0.005, "safety_engineer_missing": 0.08,
    "operating_procedures_incomplete": 0.08, "operating_procedures_missing": 0.004,
    "special_work_rules_deficient": 0.01, "hazard_investigation_system_missing": 0.005, "own_fire_brigade": 0.15,
    "new_process_untested": 0.002, "unit_not_formally_designed": 0.004, "special_workers_uncertified": 0.005,
    "special_workers_low_education": 0.005, "liquefied_hydrocarbon_no_water_injection": 0.004,
    "loading_without_arm": 0.004, "toxic_pipeline_public_area": 0.002, "power_line_over_production": 0.003,
    "control_room_not_protected": 0.006, "control_ups_missing": 0.006, "safety_accessories_not_in_use": 0.006,
    "trial_run_without_plan": 0.002, "storage_noncompliant": 0.008,
}
# count name -> Poisson mean for a well-run enterprise
COUNTS = {
    "explosive_kinds": 0.03, "other_key_chemical_kinds": 2.0, "hazardous_processes": 0.8, "class_a_places": 1.5,
    "class_b_places": 1.0, "obsolete_equipment_items": 0.004, "remote_monitoring_gaps": 0.2,
    "gas_detection_gaps": 0.004, "explosion_proof_gaps": 0.004, "occupied_rooms_in_units": 0.02,
    "uncertified_managers": 0.003, "unqualified_safety_officers": 0.08, "unqualified_unit_managers": 0.08,
    "posts_without_responsibility": 0.004, "major_accidents_3y": 0.0005, "serious_accidents_3y": 0.003,
    "fatal_accidents_3y": 0.01, "fatal_accidents_1y": 0.003, "impact_incidents_3y": 0.02,
}
FIELDS = (["entity_type", "inventory", "people_within_500m", "registered_major_hazard_grade", "self_reactive_units",
           "explosive_kinds", "inhalation_toxic_kinds", "other_key_chemical_kinds", "hazardous_processes",
           "class_a_places", "class_b_places", "open_flame_adjacent", "in_chemical_park"]
          + [f for f in FLAGS if f not in ("self_reactive_units", "open_flame_adjacent")]
          + [c for c in COUNTS if c not in ("explosive_kinds", "other_key_chemical_kinds", "hazardous_processes",
                                            "class_a_places", "class_b_places")]
          + ["chemistry_graduate_leaders", "safety_standardization", "accident_free_5y", "handles_highly_toxic",
             "handles_explosive_precursors", "last_inspection"])
COLUMNS = ["entity_id", "name", "activity", "address", "city", "county", "station", "grid"] + FIELDS
REQUIRED = {"entity_type", "inventory"}
# each bad row carries one of these, in turn: (column, value)
BAD_KINDS = [("inventory", '[{"substance": "二甲苯", "tonnes": 12, "ghs_category": "W12"}]'),
             ("inventory", '[{"substance": "甲醇", "tonnes": -5, "ghs_category": "W5.3"}]'),
             ("inventory", "甲醇 20吨"), ("people_within_500m", "约200人"),
             ("registered_major_hazard_grade", 5), ("last_inspection", "2024-02-30")]


def _pick(rng: np.random.Generator, pool, n: int) -> np.ndarray:
    return np.asarray(pool)[rng.integers(0, len(pool), n)]


def _join(*parts) -> np.ndarray:
    out = np.asarray(parts[0]).astype(str)
    for p in parts[1:]:
        out = np.char.add(out, np.asarray(p).astype(str))
    return out


def _sequence(county: np.ndarray, counters: np.ndarray) -> np.ndarray:
    """1-based running number of each row within its county, continuing across chunks."""
    order = np.argsort(county, kind="stable")
    starts = np.searchsorted(county[order], np.arange(len(counters)))
    rank = np.empty(len(county), dtype=np.int64)
    rank[order] = np.arange(len(county)) - starts[county[order]]
    seq = counters[county] + rank + 1
    counters += np.bincount(county, minlength=len(counters))
    return seq


def _identity(rng: np.random.Generator, act: np.ndarray, park: np.ndarray, counters: np.ndarray) -> dict:
    n = len(act)
    w = np.array([c[3] for c in COUNTIES])
    c = rng.choice(len(COUNTIES), n, p=w / w.sum())
    city, code, county, parks = (np.array([x[i] for x in COUNTIES]) for i in (0, 1, 2, 4))
    stems = np.array([(x[5].split() * 2)[:4] for x in COUNTIES])
    station = stems[c, rng.integers(0, 4, n)]
    suffix = np.empty(n, dtype=object)
    for i, a in enumerate(ACTIVITIES):
        idx = np.flatnonzero(act == i)
        suffix[idx] = _pick(rng, a[2].split(), idx.size)
    road = _join(_pick(rng, ROADS, n), _pick(rng, ["路", "路", "大道", "街"], n), rng.integers(1, 1200, n), "号")
    return {
        "entity_id": _join("HC-", code[c], "-", np.char.mod("%06d", _sequence(c, counters))),
        "name": _join(np.where(rng.random(n) < 0.5, county[c], city[c]), _pick(rng, BRANDS, n), suffix.astype(str)),
        "activity": ACT_CODE[act],
        "address": _join(city[c], county[c], np.where(park, parks[c], ""), road),
        "city": city[c], "county": county[c], "station": _join(county[c], station, "派出所"),
        "grid": _join(station, "街道第", rng.integers(1, GRIDS_PER_STATION + 1, n), "网格"),
    }


def _inventory(rng: np.random.Generator, act: np.ndarray) -> dict:
    """The inventory JSON text of each row, and what the inventory implies for the other fields."""
    n = len(act)
    lo = np.array([a[3] for a in ACTIVITIES])[act]
    hi = np.array([a[4] for a in ACTIVITIES])[act]
    k = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(k, out=offsets[1:])
    row = np.repeat(np.arange(n), k)
    sub = rng.choice(len(SUBSTANCES), offsets[-1], p=SUB_P)
    big = np.array([0.6, 1.2, 0.25])[act[row]]  # storage enterprises hold the most, users the least
    tonnes = np.round(SUB_MED[sub] * big * np.exp(1.1 * rng.standard_normal(len(sub))), 1).clip(0.1)
    # a few records lack their hazard category (β, or Q for a substance not in Table 1, then unknown:
    # a data gap, not an error)
    ghs = np.where(rng.random(len(sub)) < 0.04, "", SUB_GHS[sub])
    # some enterprises with three records or more name the unit of each (records spread over units)
    several = (k >= 3) & (rng.random(n) < P_SEVERAL_UNITS)
    unit = np.where(several[row], rng.integers(0, len(UNITS), len(sub)), -1)
    unit_text = np.where(unit >= 0, np.array(UNITS)[np.maximum(unit, 0)], "")
    frag = pc.binary_join_element_wise(
        pc.if_else(pa.array(unit >= 0), pc.binary_join_element_wise('{"unit": "', pa.array(unit_text), '", ', ""),
                   "{"),
        '"substance": "', pa.array(SUB_NAME[sub]), '", "tonnes": ', pc.cast(pa.array(tonnes), pa.string()),
        pc.if_else(pa.array(ghs == ""), "", pc.binary_join_element_wise(', "ghs_category": "', pa.array(ghs), '"', "")),
        "}", "")
    lists = pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), frag)
    text = pc.binary_join_element_wise("[", pc.binary_join(lists, ", "), "]", "")
    # S of the largest unit (an enterprise without unit names is one unit)
    per_unit = np.bincount(row * (len(UNITS) + 1) + unit + 1, weights=tonnes / SUB_Q[sub],
                           minlength=n * (len(UNITS) + 1)).reshape(n, len(UNITS) + 1)
    s = per_unit.max(axis=1)
    return {"inventory": text, "q_ratio_sum": s,
            "toxic_kinds": np.bincount(row, weights=SUB_TOXIC[sub], minlength=n),
            "precursors": np.bincount(row, weights=SUB_PRECURSOR[sub], minlength=n) > 0}


def _fields(rng: np.random.Generator, act: np.ndarray, park: np.ndarray, inv: dict, ref: np.datetime64) -> dict:
    n = len(act)
    worse = np.where(rng.random(n) < 0.1, 4.0, 1.0)
    out: dict[str, object] = {"entity_type": np.full(n, "chemical_enterprise"), "inventory": inv["inventory"]}
    people = np.round(np.exp(4.3 + 1.3 * rng.standard_normal(n)) * np.where(park, 0.4, 1.0)).astype(np.int64)
    out["people_within_500m"] = np.where(rng.random(n) < np.where(park, 0.25, 0.05), 0, people)
    major = inv["q_ratio_sum"] >= 1
    grade = rng.choice([1, 2, 3, 4], n, p=[0.06, 0.14, 0.35, 0.45])
    out["registered_major_hazard_grade"] = (grade, ~(major & (rng.random(n) < 0.85)))
    production = act == 0
    for name, p in FLAGS.items():
        scale = 1.0 if name in ("class_a_design", "own_fire_brigade") else worse
        out[name] = rng.random(n) < p * scale * np.where(production | (name == "storage_noncompliant"), 0.6, 0.3)
    out["in_chemical_park"] = park
    for name, mean in COUNTS.items():
        scale = 1.0 if name in ("other_key_chemical_kinds", "class_a_places", "class_b_places") else worse
        out[name] = rng.poisson(mean * scale * np.where(production, 1.5, 0.6))
    out["hazardous_processes"] = np.where(production, out["hazardous_processes"], 0)
    out["inhalation_toxic_kinds"] = inv["toxic_kinds"].astype(np.int64)
    out["chemistry_graduate_leaders"] = rng.binomial(3, 0.35, n)
    out["safety_standardization"] = rng.choice(["none", "grade_1", "grade_2", "grade_3"], n, p=[0.25, 0.02, 0.18, 0.55])
    out["accident_free_5y"] = rng.random(n) < 0.7 / worse
    out["handles_highly_toxic"] = (inv["toxic_kinds"] > 0) | (rng.random(n) < 0.02)
    out["handles_explosive_precursors"] = inv["precursors"] | (rng.random(n) < 0.03)
    out["last_inspection"] = ref - np.minimum(1200, rng.gamma(2.0, 90.0, n)).astype("timedelta64[D]")
    return out


def _column(values, missing: np.ndarray) -> pa.Array:
    if isinstance(values, tuple):  # (values, not-applicable mask)
        values, na = values
        missing = missing | na
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), values)
    if values.dtype.kind == "M":
        return pa.array(values.astype("datetime64[D]"), type=pa.date32(), mask=missing)
    if values.dtype.kind in "US":
        return pa.array(values.astype(object), type=pa.string(), mask=missing)
    return pa.array(values, mask=missing)


def make_chunk(seed: int, index: int, n: int, counters: np.ndarray, ref: np.datetime64, missing: float) -> pa.Table:
    """Rows of one chunk; ``counters`` (entity-id sequence per county) is advanced in place."""
    rng = np.random.default_rng([seed, index])
    act = rng.choice(len(ACTIVITIES), n, p=ACT_P)
    park = rng.random(n) < np.array([a[5] for a in ACTIVITIES])[act]
    ident = _identity(rng, act, park, counters)
    inv = _inventory(rng, act)
    fields = _fields(rng, act, park, inv, ref)
    cols = {k: pa.array(v.astype(object), type=pa.string()) for k, v in ident.items()}
    for name in FIELDS:
        gaps = np.zeros(n, bool) if name in REQUIRED else rng.random(n) < missing
        cols[name] = _column(fields[name], gaps)
    return pa.table(cols)


def bad_rows(n: int, bad: float, seed: int) -> dict[int, int]:
    """Row position -> index into BAD_KINDS."""
    k = min(int(round(bad * n)) if bad < 1 else int(bad), n)
    pos = np.sort(np.random.default_rng([seed, 7_777_777]).choice(n, k, replace=False))
    return {int(p): i % len(BAD_KINDS) for i, p in enumerate(pos)}


def spoil(table: pa.Table, hits: dict[int, int]) -> pa.Table:
    """The table with the bad values written in; a column that receives text becomes a text column."""
    for col in {BAD_KINDS[k][0] for k in hits.values()}:
        values = table[col].to_pylist()
        for row, k in hits.items():
            if BAD_KINDS[k][0] == col:
                values[row] = BAD_KINDS[k][1]
        typ = table.schema.field(col).type
        if any(isinstance(v, str) for v in values) and not pa.types.is_string(typ):
            values = [None if v is None else str(v) for v in values]
            typ = pa.string()
        table = table.set_column(table.schema.get_field_index(col), col, pa.array(values, type=typ))
    return table


def chunks(n: int, seed: int, ref: dt.date, missing: float, bad: float):
    """Yields (table, bad rows of the table: row index -> index into BAD_KINDS)."""
    counters = np.zeros(len(COUNTIES), dtype=np.int64)
    spoilt = bad_rows(n, bad, seed) if bad else {}
    ref64 = np.datetime64(ref, "D")
    for index, start in enumerate(range(0, max(n, 1), CHUNK)):  # n = 0: one empty chunk
        size = min(CHUNK, n - start)
        table = make_chunk(seed, index, size, counters, ref64, missing)
        yield table, {p - start: k for p, k in spoilt.items() if start <= p < start + size}


# --- writers ----------------------------------------------------------------------------------

def write_csv(path: Path, tables, encoding: str, spoilt: bool) -> None:
    import pyarrow.csv as pacsv

    with open(path, "wb") as out:
        out.write((",".join(COLUMNS) + "\n").encode(encoding))
        for table, hits in tables:
            buf = pa.BufferOutputStream()
            table = spoil(table, hits) if hits else table
            pacsv.write_csv(table, buf, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
            data = buf.getvalue().to_pybytes()
            out.write(data if encoding.lower().replace("-", "") == "utf8" else data.decode("utf-8").encode(encoding))


def write_jsonl(path: Path, tables, encoding: str, spoilt: bool) -> None:
    """One object per row; ``inventory`` is written as a JSON array (its text is already JSON)."""
    with open(path, "w", encoding=encoding, newline="\n") as out:
        for table, hits in tables:
            lines = _jsonl_lines(table)
            for row, kind in hits.items():
                lines[row] = _json_line(_spoil_row(table.slice(row, 1).to_pylist()[0], kind))
            out.write("".join(lines))


def _spoil_row(row: dict, kind: int) -> dict:
    col, value = BAD_KINDS[kind]
    return {**row, col: value}


def _json_line(row: dict) -> str:
    inv = row.get("inventory")
    try:
        row = {**row, "inventory": json.loads(inv) if isinstance(inv, str) else inv}
    except json.JSONDecodeError:
        pass  # a deliberately broken inventory stays text
    return json.dumps(row, ensure_ascii=False, default=str) + "\n"


def _jsonl_lines(table: pa.Table) -> list[str]:
    """JSON objects built column-wise with Arrow (json.dumps per row is several times slower)."""
    parts = []
    for i, f in enumerate(table.schema):
        col = table[f.name]
        if f.name == "inventory":
            text = col
        elif pa.types.is_boolean(f.type):
            text = pc.if_else(col, "true", "false")
        elif pa.types.is_string(f.type) or pa.types.is_date(f.type):
            text = pc.binary_join_element_wise('"', pc.cast(col, pa.string()), '"', "")
        else:
            text = pc.cast(col, pa.string())
        key = ("{" if i == 0 else ", ") + json.dumps(f.name) + ": "
        parts.append(pc.binary_join_element_wise(key, pc.fill_null(text, "null"), ""))
    return pc.binary_join_element_wise(*parts, "}\n", "").to_pylist()


def write_parquet(path: Path, tables, encoding: str, spoilt: bool) -> None:
    import pyarrow.parquet as pq

    writer = None
    try:
        for table, hits in tables:
            table = _as_text(spoil(table, hits)) if spoilt else table  # one schema for every chunk
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="zstd")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def _as_text(table: pa.Table) -> pa.Table:
    """Columns that bad rows may fill with text, as text in every chunk (Parquet has one schema)."""
    for col in {c for c, _ in BAD_KINDS}:
        i = table.schema.get_field_index(col)
        table = table.set_column(i, col, pc.cast(table[col], pa.string()))
    return table


def write_xlsx(path: Path, tables, encoding: str, spoilt: bool) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("enterprises")
    ws.append(COLUMNS)
    for table, hits in tables:
        for i, row in enumerate(table.to_pylist()):
            row = _spoil_row(row, hits[i]) if i in hits else row
            ws.append([row[c] for c in COLUMNS])
    wb.save(path)


WRITERS = {".csv": write_csv, ".jsonl": write_jsonl, ".parquet": write_parquet, ".xlsx": write_xlsx}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of enterprises (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", required=True, help="output file: .csv, .jsonl, .parquet or .xlsx")
    ap.add_argument("--bad-rows", type=float, default=0.0,
                    help="rows with a deliberate error: a fraction below 1, a count from 1 up (default 0)")
    ap.add_argument("--missing", type=float, default=0.03, help="share of empty optional cells (default 0.03)")
    ap.add_argument("--encoding", default="utf-8", help="text encoding for .csv/.jsonl, e.g. gb18030")
    ap.add_argument("--ref-date", type=dt.date.fromisoformat, default=dt.date(2025, 6, 30),
                    help="date the registry was extracted (last inspections lie before it)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        ap.error(f"unknown output format '{out.suffix}': use one of {', '.join(WRITERS)}")
    if args.n < 0 or not 0 <= args.missing < 1 or args.bad_rows < 0:
        ap.error("--n, --missing and --bad-rows must not be negative (and --missing below 1)")
    if writer is write_xlsx and args.n > XLSX_MAX_ROWS:
        ap.error(f"xlsx holds at most {XLSX_MAX_ROWS} rows: write .csv or .parquet instead")
    out.parent.mkdir(parents=True, exist_ok=True)
    writer(out, chunks(args.n, args.seed, args.ref_date, args.missing, args.bad_rows), args.encoding,
           args.bad_rows > 0 and args.n > 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
