"""Generate realistic venue registries for the fire-safety pack (rules/fire_safety.yaml).

Deterministic: the same ``--n`` and ``--seed`` give the same rows. Vectorised with numpy and written
in chunks, so 10^6 rows take seconds (CSV/Parquet) and memory stays flat for larger runs.

    python benchmarks/generate_venues.py --n 1000000 --seed 1 --out /tmp/venues.parquet
    python benchmarks/generate_venues.py --n 300 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --out examples/venues.csv
    python benchmarks/generate_venues.py --n 300 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --encoding gb18030 \
        --out examples/venues_gb18030.csv
    python benchmarks/generate_venues.py --n 300 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --out examples/venues.jsonl
    python benchmarks/generate_venues.py --n 300 --seed 20250630 --ref-date 2026-10-31 --bad-rows 6 --out examples/venues.xlsx

The format follows the extension: .csv, .jsonl, .parquet, .xlsx (xlsx only up to Excel's row limit).
Besides size, exits and fire systems, rows carry the factors bureaus inspect now (gas-use detail,
e-bikes charged indoors, shared rentals) and the data of the GB 35181 direct elements (flammable-goods
sites, fuel-station class, tanks, floors of nurseries); a factor that concerns some kinds of venue only
is empty elsewhere. ``--bad-rows`` below 1 is a fraction of the rows, from 1 up a number of rows;
bad rows carry one deliberate error each (negative area, unknown venue type, text in a number column,
an impossible date, a missing venue type, Chinese text in an integer column). About ``--missing``
(default 5%) of the cells of every optional field are left empty at random.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from registry_io import csv_bytes  # noqa: E402  (the generators' shared CSV writer)

CHUNK = 100_000
XLSX_MAX_ROWS = 1_048_575

# code, weight, median floor area m², sigma, floors lo..hi, persons per m², P(gas), P(people live on
# the premises), P(underground), P(sells combustibles)
TYPES = [
    ("other", 22.0, 120, 0.6, 1, 3, 0.15, 0.20, 0.08, 0.02, 0.6),
    ("restaurant", 16.0, 300, 0.8, 1, 3, 0.50, 0.92, 0.04, 0.04, 0.05),
    ("office", 10.0, 2500, 1.0, 3, 30, 0.08, 0.15, 0.0, 0.01, 0.0),
    ("factory", 9.0, 4000, 1.0, 1, 5, 0.03, 0.30, 0.05, 0.0, 0.2),
    ("warehouse", 6.0, 3000, 0.9, 1, 3, 0.005, 0.05, 0.05, 0.03, 0.5),
    ("hotel", 7.0, 3000, 0.9, 3, 25, 0.05, 0.60, 0.0, 0.02, 0.05),
    ("entertainment", 6.0, 600, 0.7, 1, 6, 0.40, 0.30, 0.02, 0.10, 0.05),
    ("mall", 6.0, 2500, 1.3, 1, 8, 0.30, 0.40, 0.02, 0.12, 0.85),
    ("internet_cafe", 3.0, 400, 0.5, 1, 4, 0.40, 0.05, 0.03, 0.08, 0.0),
    ("school", 3.0, 15000, 0.6, 3, 6, 0.10, 0.60, 0.0, 0.0, 0.0),
    ("kindergarten", 3.0, 2500, 0.4, 2, 3, 0.12, 0.60, 0.0, 0.0, 0.0),
    ("hospital", 2.0, 12000, 1.0, 3, 20, 0.06, 0.50, 0.0, 0.01, 0.0),
    ("elderly_care", 2.0, 3000, 0.7, 2, 8, 0.06, 0.70, 0.0, 0.0, 0.0),
    ("fuel_station", 2.0, 400, 0.4, 1, 2, 0.03, 0.05, 0.03, 0.0, 0.9),
    ("transport_terminal", 0.7, 6000, 0.8, 1, 3, 0.15, 0.30, 0.0, 0.02, 0.1),
    ("stadium", 0.5, 12000, 0.8, 1, 4, 0.20, 0.10, 0.0, 0.0, 0.0),
    ("assembly_hall", 0.4, 5000, 0.6, 1, 4, 0.25, 0.10, 0.0, 0.0, 0.0),
    ("library", 0.5, 5000, 0.8, 2, 6, 0.10, 0.05, 0.0, 0.01, 0.0),
    ("exhibition_hall", 0.4, 8000, 0.9, 1, 4, 0.15, 0.10, 0.0, 0.01, 0.0),
    ("museum", 0.5, 5000, 0.9, 1, 4, 0.10, 0.05, 0.0, 0.01, 0.0),
    ("archive", 0.3, 3000, 0.6, 2, 6, 0.02, 0.05, 0.0, 0.01, 0.0),
    ("government_office", 1.0, 6000, 0.8, 3, 15, 0.04, 0.10, 0.0, 0.0, 0.0),
    ("broadcast_telecom", 0.3, 5000, 0.8, 2, 20, 0.03, 0.05, 0.0, 0.01, 0.0),
    ("airport", 0.03, 40000, 0.8, 1, 3, 0.08, 0.20, 0.0, 0.0, 0.2),
    ("heritage_site", 0.4, 1200, 1.0, 1, 3, 0.10, 0.05, 0.0, 0.0, 0.0),
    ("rental_housing", 8.0, 160, 0.6, 2, 7, 0.08, 0.50, 0.0, 0.03, 0.0),
]
CODES = np.array([t[0] for t in TYPES])
WEIGHTS = np.array([t[1] for t in TYPES]) / sum(t[1] for t in TYPES)
PARAMS = np.array([t[2:] for t in TYPES], dtype=float)  # columns follow TYPES from "median" on
CROWDED = {"mall", "hotel", "stadium", "assembly_hall", "entertainment", "hospital", "elderly_care", "school",
           "kindergarten", "transport_terminal", "library", "exhibition_hall", "museum", "restaurant",
           "internet_cafe", "airport"}
PLACE_6_6 = {"hotel", "entertainment", "mall"}
PUBLIC = {"school", "kindergarten", "hospital", "transport_terminal", "stadium", "assembly_hall", "library",
          "exhibition_hall", "museum", "archive", "government_office", "broadcast_telecom", "airport", "heritage_site"}

SUFFIXES = {
    "other": "便利店 五金店 理发店 洗衣店 小超市 烟酒店 服装店 药店 建材店 电动车行",
    "restaurant": "饭店 酒楼 火锅店 面馆 小吃店 大排档 餐厅 土菜馆",
    "office": "大厦 科技有限公司 商务中心 写字楼 网络科技有限公司",
    "factory": "服装厂 机械厂 电子有限公司 制鞋厂 纺织有限公司 包装厂 家具厂 塑料制品厂",
    "warehouse": "仓库 物流仓储中心 冷链仓储 建材仓库 快递分拣中心",
    "hotel": "大酒店 宾馆 酒店 快捷酒店 商务酒店 精品民宿",
    "entertainment": "KTV 量贩式KTV 歌舞厅 影城 游艺厅 足浴城 桑拿中心 酒吧 密室逃脱馆 剧本杀馆",
    "mall": "商场 购物中心 商贸城 超市 农贸市场 家居广场",
    "internet_cafe": "网吧 网咖 电竞馆",
    "school": "小学 中学 实验学校 职业技术学校 外国语学校",
    "kindergarten": "幼儿园 实验幼儿园 托育中心",
    "hospital": "医院 中医院 人民医院 妇幼保健院 社区卫生服务中心",
    "elderly_care": "养老院 颐养院 老年公寓 康养中心 敬老院",
    "fuel_station": "加油站 加油加气站",
    "transport_terminal": "汽车客运站 客运中心 长途汽车站 客运码头",
    "stadium": "体育馆 体育中心 全民健身中心",
    "assembly_hall": "大会堂 会议中心 人民大会堂",
    "library": "图书馆 图书分馆 少儿图书馆",
    "exhibition_hall": "展览馆 会展中心 规划展览馆",
    "museum": "博物馆 纪念馆 美术馆",
    "archive": "档案馆 城建档案馆",
    "government_office": "人民政府 人大常委会 政协 人民法院 人民检察院",
    "broadcast_telecom": "广播电视台 邮政分拣中心 通信枢纽楼 电信机房",
    "airport": "国际机场 机场航站楼",
    "heritage_site": "古建筑群 祠堂 古寺 文物保护单位",
    "rental_housing": "出租屋 群租房 公寓 民房",
}
BRANDS = ("春风 星光 金港 华府 欣悦 明珠 锦绣 和平 新世纪 东方 天和 恒丰 盛世 阳光 海韵 瑞丰 红星 宏达 永盛 福满 聚贤 "
          "悦来 同福 百味 金桥 云端 星辰 蓝海 绿洲 嘉禾 鸿运 万家 百乐 金色年华 好再来 顺发 兴隆 长兴 富春 钱江 之江 "
          "西子 湖畔 运河 望江 丰收 美佳 新天地 凯旋 花园 翠竹 梧桐 银河 晨曦").split()
PLACES = ("城东 城西 城南 城北 城中 江东 江南 江北 新城 南苑 北苑 东湖 南湖 文昌 新桥 白沙 青山 金山 长安 太平 "
          "永安 东升 前进 建设 光明 龙山 凤凰 梅园 桃源 清溪").split()
ROADS = ("文一 文二 文三 天目山 教工 莫干山 东新 石桥 秋涛 江南 滨盛 江陵 建国 解放 延安 环城北 凤起 庆春 体育场 "
         "湖墅 丰潭 古墩 紫金港 余杭塘 文化 人民 中山 新华 和平 工人 胜利 育才 学院 青年 园林 长江 黄河 通惠 "
         "市心 金城 振宁 富春江 迎宾 临平 星桥 南苑 藕花洲 望梅").split()
ROAD_KINDS = np.array(["路", "路", "路", "街", "大道", "巷"])

# city, county code, county name, weight (registries are heaviest in the central districts)
COUNTIES = {
    "杭州市": [("330102", "上城区", 1.3), ("330105", "拱墅区", 1.3), ("330106", "西湖区", 1.2),
             ("330108", "滨江区", 0.8), ("330109", "萧山区", 1.5), ("330110", "余杭区", 1.2),
             ("330111", "富阳区", 0.8), ("330112", "临安区", 0.6), ("330113", "临平区", 0.8),
             ("330114", "钱塘区", 0.7)],
    "宁波市": [("330203", "海曙区", 1.0), ("330205", "江北区", 0.8), ("330206", "北仑区", 0.9),
             ("330211", "镇海区", 0.6), ("330212", "鄞州区", 1.3), ("330213", "奉化区", 0.6)],
    "温州市": [("330302", "鹿城区", 1.2), ("330303", "龙湾区", 0.8), ("330304", "瓯海区", 0.9),
             ("330305", "洞头区", 0.2)],
    "嘉兴市": [("330402", "南湖区", 0.9), ("330411", "秀洲区", 0.8)],
    "湖州市": [("330502", "吴兴区", 0.9), ("330503", "南浔区", 0.6)],
    "绍兴市": [("330602", "越城区", 0.9), ("330603", "柯桥区", 1.0), ("330604", "上虞区", 0.8)],
    "金华市": [("330702", "婺城区", 0.9), ("330703", "金东区", 0.6)],
    "衢州市": [("330802", "柯城区", 0.6), ("330803", "衢江区", 0.4)],
    "舟山市": [("330902", "定海区", 0.5), ("330903", "普陀区", 0.4)],
    "台州市": [("331002", "椒江区", 0.8), ("331003", "黄岩区", 0.7), ("331004", "路桥区", 0.7)],
    "丽水市": [("331102", "莲都区", 0.6)],
}
# 街道/镇 of the Hangzhou districts (station and public-venue names); other counties draw from PLACES
STREETS = {
    "330102": "湖滨 清波 小营 南星 望江 凯旋 采荷 四季青 笕桥 丁兰 九堡 彭埠",
    "330105": "米市巷 湖墅 小河 和睦 拱宸桥 大关 上塘 祥符 康桥 半山 石桥 东新 文晖 潮鸣 武林 天水",
    "330106": "北山 西溪 灵隐 翠苑 文新 古荡 蒋村 留下 转塘 双浦 三墩",
    "330108": "西兴 长河 浦沿",
    "330109": "城厢 北干 蜀山 新塘 宁围 新街 瓜沥 临浦 义桥 闻堰",
    "330110": "五常 仓前 闲林 余杭 良渚 瓶窑 径山 中泰",
    "330111": "富春 东洲 银湖 春江 新登",
    "330112": "锦城 玲珑 锦南 锦北 青山湖 於潜",
    "330113": "临平 南苑 东湖 星桥 乔司 崇贤 塘栖",
    "330114": "白杨 下沙 河庄 义蓬 新湾",
}
STEMS_PER_COUNTY = 8
STATIONS_PER_COUNTY = 4
GRIDS_PER_STATION = 12

FIELDS = ["venue_type", "building_area_m2", "floors_above_ground", "building_height_m", "underground",
          "sells_combustibles", "guest_rooms", "beds", "boarding_beds", "waiting_hall_m2", "occupancy", "exits",
          "exit_width_ratio", "sprinklers", "fire_alarm", "fire_lane_blocked", "exits_blocked",
          "evacuation_signs_ok", "emergency_lighting_ok", "extinguishers_ok", "electrical_faults", "gas_in_use",
          "people_living_on_premises", "hazmat_with_dwelling", "fires_last_3_years", "open_hazards",
          "last_inspection", "gas_alarm_missing", "gas_hose_defective", "lpg_cylinders_indoors",
          "ebike_indoor_charging", "workshop_staff", "stores_flammables", "fire_hazard_class",
          "hazmat_site_not_isolated", "built_up_area", "station_class", "tank_protection_missing",
          "hazmat_in_crowded_place", "vulnerable_floor_noncompliant", "sandwich_panel_dwelling", "group_rental",
          "combustible_partitions"]
COLUMNS = ["entity_id", "name", "address", "city", "county", "station", "grid"] + FIELDS
# each bad row carries one of these, in turn: (column, value)
BAD_KINDS = [("building_area_m2", -120.0), ("venue_type", "spa_club"), ("occupancy", "abc"),
             ("last_inspection", "2023-13-45"), ("venue_type", None), ("exits", "两个")]


class Geography:
    """The counties rows are drawn from, with their stations and grids."""

    def __init__(self, cities: str):
        chosen = COUNTIES if cities == "zhejiang" else {"杭州市": COUNTIES["杭州市"]}
        rows = [(city, code, name, w) for city, lst in chosen.items() for code, name, w in lst]
        self.city = np.array([r[0] for r in rows])
        self.code = np.array([r[1] for r in rows])
        self.name = np.array([r[2] for r in rows])
        weights = np.array([r[3] for r in rows])
        self.p = weights / weights.sum()
        # place-name stems per county (the first ones name its police stations), cycled to a fixed width
        stems = [STREETS[r[1]].split() if r[1] in STREETS else
                 [PLACES[(i * 7 + k * 11) % len(PLACES)] for k in range(STEMS_PER_COUNTY)] for i, r in enumerate(rows)]
        self.stem = np.array([[lst[k % len(lst)] for k in range(STEMS_PER_COUNTY)] for lst in stems])


def _pick(rng: np.random.Generator, pool: list[str] | np.ndarray, n: int) -> np.ndarray:
    return np.asarray(pool)[rng.integers(0, len(pool), n)]


def _suffixes(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    out = np.empty(len(t), dtype=object)
    for i, code in enumerate(CODES):
        idx = np.flatnonzero(t == i)
        if idx.size:
            out[idx] = _pick(rng, SUFFIXES[code].split(), idx.size)
    return out.astype(str)


def _identity(rng: np.random.Generator, n: int, t: np.ndarray, geo: Geography,
              counters: np.ndarray) -> dict[str, np.ndarray]:
    c = rng.choice(len(geo.p), n, p=geo.p)
    s = rng.integers(0, STATIONS_PER_COUNTY, n)
    seq = _sequence(c, counters)
    public = np.isin(CODES[t], list(PUBLIC))
    stem = np.where(public, geo.stem[c, rng.integers(0, STEMS_PER_COUNTY, n)], _pick(rng, BRANDS, n))
    road = np.char.add(_pick(rng, ROADS, n), _pick(rng, ROAD_KINDS, n))
    number = rng.integers(1, 999, n).astype(str)
    station_stem = geo.stem[c, s]
    return {
        "entity_id": np.char.add(np.char.add("FS-", geo.code[c]), np.char.add("-", np.char.mod("%06d", seq))),
        "name": np.char.add(np.char.add(geo.name[c], stem), _suffixes(rng, t)),
        "address": np.char.add(np.char.add(np.char.add(geo.city[c], geo.name[c]), road), np.char.add(number, "号")),
        "city": geo.city[c],
        "county": geo.name[c],
        "station": np.char.add(np.char.add(geo.name[c], station_stem), "派出所"),
        "grid": np.char.add(np.char.add(station_stem, "街道第"),
                            np.char.add(rng.integers(1, GRIDS_PER_STATION + 1, n).astype(str), "网格")),
    }


def _sequence(county: np.ndarray, counters: np.ndarray) -> np.ndarray:
    """1-based running number of each row within its county, continuing across chunks."""
    order = np.argsort(county, kind="stable")
    sorted_c = county[order]
    starts = np.searchsorted(sorted_c, np.arange(len(counters)))
    rank = np.empty(len(county), dtype=np.int64)
    rank[order] = np.arange(len(county)) - starts[sorted_c]
    seq = counters[county] + rank + 1
    counters += np.bincount(county, minlength=len(counters))
    return seq


def _system_state(rng: np.random.Generator, required: np.ndarray, strict: np.ndarray) -> np.ndarray:
    """not_required / missing / ok / faulty: mostly compliant, rarely missing where a veto applies."""
    u = rng.random(len(required))
    p_missing = np.where(strict, 0.006, 0.02)
    req = np.where(u < p_missing, "missing", np.where(u < p_missing + 0.05, "faulty", "ok"))
    opt = np.where(u < 0.85, "not_required", np.where(u < 0.99, "ok", "faulty"))
    return np.where(required, req, opt)


def _venues(rng: np.random.Generator, t: np.ndarray, ref: np.datetime64) -> dict[str, np.ndarray | tuple]:
    """Every pack field; a (values, not-applicable) pair for the type-specific counts."""
    code = CODES[t]
    size = _size(rng, code, PARAMS[t].T)
    mgmt = _management(rng, code, PARAMS[t].T, ref)
    return {"venue_type": code, **size, **_facilities(rng, code, size), **mgmt,
            **_factors(rng, code, size, mgmt)}


def _size(rng: np.random.Generator, code: np.ndarray, params: np.ndarray) -> dict[str, np.ndarray | tuple]:
    n = len(code)
    median, sigma, f_lo, f_hi, density, _, _, p_under, p_sells = params
    is_ = {k: code == k for k in CODES}
    area = np.round(median * np.exp(sigma * rng.standard_normal(n)), 0).clip(15)
    floors = (f_lo + np.floor((f_hi - f_lo + 1) * rng.random(n) ** 2)).astype(np.int64)
    rooms = np.maximum(5, np.round(area / rng.uniform(45, 75, n))).astype(np.int64)
    beds = np.round(area / np.where(is_["hospital"], rng.uniform(60, 120, n), rng.uniform(30, 60, n)))
    boarding = np.where(is_["school"], np.where(rng.random(n) < 0.5, 0, np.round(area / rng.uniform(40, 80, n))),
                        np.where(rng.random(n) < 0.85, 0, rng.integers(20, 121, n)))
    return {
        "building_area_m2": area,
        "floors_above_ground": floors,
        "building_height_m": np.round(floors * rng.uniform(3.0, 4.5, n), 1),
        "underground": rng.random(n) < p_under,
        "sells_combustibles": rng.random(n) < p_sells,
        "guest_rooms": (rooms, ~is_["hotel"]),
        "beds": (beds.astype(np.int64), ~(is_["hospital"] | is_["elderly_care"])),
        "boarding_beds": (boarding.astype(np.int64), ~(is_["school"] | is_["kindergarten"])),
        "waiting_hall_m2": (np.round(area * rng.uniform(0.1, 0.25, n), 0), ~is_["transport_terminal"]),
        "occupancy": np.maximum(2, np.round(area * density * rng.uniform(0.6, 1.4, n))).astype(np.int64),
    }


def _facilities(rng: np.random.Generator, code: np.ndarray, size: dict) -> dict[str, np.ndarray]:
    """Exits and fixed systems: compliant for most venues, as the building code requires (roughly)."""
    n = len(code)
    area, height, occupancy = size["building_area_m2"], size["building_height_m"], size["occupancy"]
    crowded_below = size["underground"] & np.isin(code, list(CROWDED))
    need_two = (area > 200) | (occupancy > 50)
    exits = np.where(need_two, np.maximum(2, np.ceil(area / 3000)), 1).astype(np.int64)
    u = rng.random(n)
    width = np.where(u < 0.006, rng.uniform(0.5, 0.8, n),
                     np.where(u < 0.05, rng.uniform(0.8, 1.0, n), rng.uniform(1.0, 1.6, n)))
    strict = np.isin(code, list(PLACE_6_6)) | crowded_below
    spr_req = (area > 3000) | (height > 24) | (strict & (area > 1000))
    alarm_req = ((area > 2000) | (height > 24) | crowded_below
                 | np.isin(code, ["hotel", "entertainment", "hospital", "elderly_care", "kindergarten"]))
    return {
        "exits": np.where(need_two & (rng.random(n) < 0.012), exits - 1, exits).clip(1),
        "exit_width_ratio": np.round(width, 2),
        "sprinklers": _system_state(rng, spr_req, strict),
        "fire_alarm": _system_state(rng, alarm_req, strict),
    }


def _management(rng: np.random.Generator, code: np.ndarray, params: np.ndarray,
                ref: np.datetime64) -> dict[str, np.ndarray]:
    n = len(code)
    p_gas, p_live = params[5], params[6]
    risky_trade = (code == "restaurant") | (code == "other")
    p_hazmat = np.where((code == "other") | (code == "warehouse"), 0.008, 0.001)
    # a minority of badly run venues has every kind of deficiency several times as often
    worse = np.where(rng.random(n) < 0.2, 5.0, 1.0)
    return {
        "fire_lane_blocked": rng.random(n) < 0.03 * worse,
        "exits_blocked": rng.random(n) < 0.02 * worse,
        "evacuation_signs_ok": rng.random(n) > 0.05 * worse,
        "emergency_lighting_ok": rng.random(n) > 0.05 * worse,
        "extinguishers_ok": rng.random(n) > 0.06 * worse,
        "electrical_faults": rng.poisson(np.where(risky_trade, 0.35, 0.2) * worse),
        "gas_in_use": rng.random(n) < p_gas,
        "people_living_on_premises": rng.random(n) < p_live * worse,
        "hazmat_with_dwelling": rng.random(n) < p_hazmat * worse,
        "fires_last_3_years": rng.poisson(np.where(code == "restaurant", 0.06, 0.03) * worse),
        "open_hazards": np.where(rng.random(n) < 0.75 / worse, 0, rng.poisson(worse / 2)),
        "last_inspection": ref - np.minimum(1500, rng.gamma(2.0, 110.0, n)).astype("timedelta64[D]"),
        "worse": worse,  # shared with _factors, not a column
    }


def _factors(rng: np.random.Generator, code: np.ndarray, size: dict, mgmt: dict) -> dict[str, np.ndarray | tuple]:
    """Gas detail, e-bikes, flammable goods, fuel stations, GB 35181 ch. 6 items and shared rentals;
    a (values, not-applicable) pair where a factor concerns some kinds of venue only."""
    n = len(code)
    worse = mgmt["worse"]
    gas = mgmt["gas_in_use"]
    works = np.isin(code, ["factory", "warehouse"])
    flammable = works & (rng.random(n) < np.where(code == "warehouse", 0.15, 0.08))
    hazmat = (code == "fuel_station") | flammable
    klass = np.where(flammable, rng.choice(["A", "B"], n, p=[0.4, 0.6]),
                     rng.choice(["C", "D", "E"], n, p=[0.6, 0.25, 0.15]))
    crowded = np.isin(code, list(CROWDED))
    rental = code == "rental_housing"
    return {
        "gas_alarm_missing": (rng.random(n) < 0.12 * worse, ~gas),
        "gas_hose_defective": (rng.random(n) < 0.08 * worse, ~gas),
        "lpg_cylinders_indoors": (rng.random(n) < np.where(code == "restaurant", 0.08, 0.03) * worse, ~gas),
        "ebike_indoor_charging": rng.random(n) < np.where(rental | (code == "other"), 0.12, 0.02) * worse,
        "workshop_staff": (np.round(size["occupancy"] * rng.uniform(0.3, 0.9, n)).astype(np.int64), code != "factory"),
        "stores_flammables": (flammable, ~works),
        "fire_hazard_class": (klass, ~works),
        "hazmat_site_not_isolated": (rng.random(n) < 0.04 * worse, ~hazmat),
        "built_up_area": (rng.random(n) < 0.6, code != "fuel_station"),
        "station_class": (rng.choice([1, 2, 3], n, p=[0.1, 0.6, 0.3]), code != "fuel_station"),
        "tank_protection_missing": (rng.random(n) < 0.02 * worse, ~hazmat),
        "hazmat_in_crowded_place": (rng.random(n) < 0.006 * worse, ~crowded),
        "vulnerable_floor_noncompliant": (rng.random(n) < 0.02, ~np.isin(code, ["kindergarten", "elderly_care"])),
        "sandwich_panel_dwelling": (rng.random(n) < 0.004 * worse, ~crowded),
        "group_rental": (rng.random(n) < 0.25 * worse, ~rental),
        "combustible_partitions": (rng.random(n) < 0.1 * worse, ~rental),
    }


def _column(values: np.ndarray | tuple, missing: np.ndarray) -> pa.Array:
    if isinstance(values, tuple):  # (values, not-applicable mask)
        values, na = values
        missing = missing | na
    if values.dtype.kind == "M":
        return pa.array(values.astype("datetime64[D]"), type=pa.date32(), mask=missing)
    if values.dtype.kind in "US":
        return pa.array(values.astype(object), type=pa.string(), mask=missing)
    return pa.array(values, mask=missing)


def make_chunk(seed: int, index: int, n: int, geo: Geography, counters: np.ndarray, ref: np.datetime64,
               missing: float) -> pa.Table:
    """Rows of one chunk; ``counters`` (entity-id sequence per county) is advanced in place."""
    rng = np.random.default_rng([seed, index])
    t = rng.choice(len(CODES), n, p=WEIGHTS)
    ident = _identity(rng, n, t, geo, counters)
    fields = _venues(rng, t, ref)
    cols = {k: pa.array(v.astype(object), type=pa.string()) for k, v in ident.items()}
    for name in FIELDS:
        gaps = np.zeros(n, bool) if name == "venue_type" else rng.random(n) < missing
        cols[name] = _column(fields[name], gaps)
    return pa.table(cols)


def bad_rows(n: int, bad: float, seed: int) -> dict[int, int]:
    """Row position -> index into BAD_KINDS."""
    k = int(round(bad * n)) if bad < 1 else int(bad)
    k = min(k, n)
    pos = np.sort(np.random.default_rng([seed, 7_777_777]).choice(n, k, replace=False))
    return {int(p): i % len(BAD_KINDS) for i, p in enumerate(pos)}


def spoil(table: pa.Table, hits: dict[int, int]) -> pa.Table:
    """The table with the bad values written in; columns that receive text become string columns
    (CSV and Parquet need one type per column; JSON Lines and xlsx keep the others typed)."""
    for col in {c for c, v in BAD_KINDS if isinstance(v, str) and c != "venue_type"}:
        table = table.set_column(table.schema.get_field_index(col), col, pc.cast(table[col], pa.string()))
    for col in {BAD_KINDS[k][0] for k in hits.values()}:
        values = table[col].to_pylist()
        for row, k in hits.items():
            if BAD_KINDS[k][0] == col:
                values[row] = BAD_KINDS[k][1]
        i = table.schema.get_field_index(col)
        table = table.set_column(i, col, pa.array(values, type=table.schema.field(col).type))
    return table


def spoil_row(row: dict, kind: int) -> dict:
    col, value = BAD_KINDS[kind]
    return {**row, col: value}


def chunks(n: int, seed: int, cities: str, ref: dt.date, missing: float, bad: float):
    """Yields (table, bad rows of the table: row index -> index into BAD_KINDS)."""
    geo = Geography(cities)
    counters = np.zeros(len(geo.p), dtype=np.int64)
    spoilt = bad_rows(n, bad, seed) if bad else {}
    ref64 = np.datetime64(ref, "D")
    for index, start in enumerate(range(0, max(n, 1), CHUNK)):  # n = 0: one empty chunk
        size = min(CHUNK, n - start)
        table = make_chunk(seed, index, size, geo, counters, ref64, missing)
        yield table, {p - start: k for p, k in spoilt.items() if start <= p < start + size}


# --- writers ----------------------------------------------------------------------------------

def write_csv(path: Path, tables, encoding: str, spoilt: bool) -> None:
    with open(path, "wb") as out:
        out.write((",".join(COLUMNS) + "\n").encode(encoding))
        for table, hits in tables:
            data = csv_bytes(spoil(table, hits) if hits else table)
            out.write(data if encoding.lower().replace("-", "") == "utf8" else data.decode("utf-8").encode(encoding))


def write_jsonl(path: Path, tables, encoding: str, spoilt: bool) -> None:
    with open(path, "w", encoding=encoding, newline="\n") as out:
        for table, hits in tables:
            lines = _jsonl_lines(table)
            for row, kind in hits.items():
                lines[row] = _json_line(spoil_row(table.slice(row, 1).to_pylist()[0], kind))
            out.write("".join(lines))


def _json_line(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, default=str) + "\n"


def _jsonl_lines(table: pa.Table) -> list[str]:
    """One JSON object per row, built column-wise (json.dumps per row is several times slower)."""
    if any(pa.types.is_string(f.type) and pc.any(pc.match_substring_regex(table[f.name], r'["\\\x00-\x1f]')).as_py()
           for f in table.schema):
        return [_json_line(r) for r in table.to_pylist()]
    parts = []
    for i, f in enumerate(table.schema):
        col = table[f.name]
        if pa.types.is_boolean(f.type):
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
            table = spoil(table, hits) if spoilt else table  # one schema for every chunk
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="zstd")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def write_xlsx(path: Path, tables, encoding: str, spoilt: bool) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("venues")
    ws.append(COLUMNS)
    for table, hits in tables:
        for i, row in enumerate(table.to_pylist()):
            row = spoil_row(row, hits[i]) if i in hits else row
            ws.append([row[c] for c in COLUMNS])
    wb.save(path)


WRITERS = {".csv": write_csv, ".jsonl": write_jsonl, ".parquet": write_parquet, ".xlsx": write_xlsx}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of venues (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", required=True, help="output file: .csv, .jsonl, .parquet or .xlsx")
    ap.add_argument("--bad-rows", type=float, default=0.0,
                    help="rows with a deliberate error: a fraction below 1, a count from 1 up (default 0)")
    ap.add_argument("--missing", type=float, default=0.05, help="share of empty optional cells (default 0.05)")
    ap.add_argument("--encoding", default="utf-8", help="text encoding for .csv/.jsonl, e.g. gb18030")
    ap.add_argument("--cities", choices=["hangzhou", "zhejiang"], default="hangzhou",
                    help="one city's districts, or the whole province")
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
    rows = chunks(args.n, args.seed, args.cities, args.ref_date, args.missing, args.bad_rows)
    writer(out, rows, args.encoding, args.bad_rows > 0 and args.n > 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
