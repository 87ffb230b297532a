"""Shared fixtures: a small pack that uses every feature of the format."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("deep", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("RISKGRADE_HYPOTHESIS", "ci"))

AS_OF = dt.date(2026, 6, 30)

FULL_PACK = """
pack: full
version: "2.1"
title: {zh: 全功能示例, en: Everything}
owner: {zh: 派出所, en: Police station}
basis:
  - {id: STD, title: {en: A standard}}
applies_when: "kind != 'z'"
parameters:
  region: {type: category, values: [national, north], default: national}
fields:
  area: {type: number, min: 0, unit: m2}
  floors: {type: integer}
  sprinkler: {type: boolean}
  kind: {type: category, values: [x, y, z], required: true}
  name: {type: string}
  opened: {type: date}
  last_inspection: {type: date}
  stock:
    type: list
    items:
      substance: {type: category, values: [cl, nh3, lpg]}
      tonnes: {type: number, min: 0}
tables:
  threshold: {kind: keyed, entries: {cl: 5, nh3: 10, lpg: 50}}
  area_limit: {kind: keyed, entries: {national: 1000, north: 3000}}
  size_points:
    kind: banded
    bands: [{max: 100, value: 0}, {min: 100, max: 1000, value: 5}, {min: 1000, value: 10}]
derive:
  ratio: "sum(stock, tonnes / threshold[substance])"
  big: "area >= area_limit[region]"
  age: "years_since(opened)"
levels:
  - {id: red, label: {zh: 重大风险, en: Major}, color: red}
  - {id: orange, label: {zh: 较大风险, en: High}, color: orange}
  - {id: yellow, label: {zh: 一般风险, en: Medium}, color: yellow}
  - {id: blue, label: {zh: 低风险, en: Low}, color: blue}
score:
  method: sum
  caps: {equipment: 12}
  bands:
    - {level: red, min: 30}
    - {level: orange, min: 20, max: 30}
    - {level: yellow, min: 10, max: 20}
    - {level: blue, max: 10}
rules:
  - {id: size, when: "size_points[area] > 0", points: 5, basis: STD 1}
  - {id: no_sprinkler, when: "not sprinkler", points: 8, group: equipment, basis: STD 2}
  - {id: tall, when: "floors > 6", points: 8, group: equipment, basis: STD 3}
  - {id: major_hazard, when: "ratio >= 1", set_level: red, basis: STD 4, controls: [registry]}
  - {id: old, when: "age >= 30", raise: 1, basis: STD 5}
  - {id: tidy, when: "name == 'model unit'", lower: 1, basis: STD 6}
  - {id: big, when: "big", points: 10, on_missing: worst, basis: STD 7}
controls:
  tiers: {city: {zh: 市局}, station: {zh: 派出所}}
  responsible: {red: city, orange: city, yellow: station, blue: station}
  measures:
    registry: {text: {zh: 登记备案}}
    patrol: {text: {zh: 日常巡查}}
    self_check: {text: {zh: 自查}}
  by_level: {red: [patrol], orange: [patrol], yellow: [patrol], blue: [self_check]}
inspection:
  last_inspection: last_inspection
  interval_days: {red: 30, orange: 90, yellow: 180, blue: 365}
  modifiers:
    - {id: no_sprinkler, when: "not sprinkler", multiply: 0.5}
  campaigns:
    - {id: winter, from: "11-01", to: "03-31", multiply: 0.5, levels: [red, orange]}
examples:
  - id: quiet
    as_of: 2026-06-30
    entity: {kind: x, area: 50, floors: 2, sprinkler: true, name: shop, opened: 2020-01-01, stock: []}
    expect: {level: blue, fired: [], score: 0, interval_days: 365}
"""


@pytest.fixture(scope="session")
def full_pack():
    import riskgrade

    return riskgrade.loads_pack(FULL_PACK, "full.yaml")
