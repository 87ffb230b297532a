"""Shared by the plan tests: a small pack with every kind of interval modifier and a campaign that
wraps the year, and helpers to make and grade entities."""

from __future__ import annotations

import datetime as dt

PLAN_PACK = """
pack: venues
version: "1"
title: {zh: 场所检查, en: Venue inspection}
owner: {zh: 派出所, en: Police station}
fields:
  exits: {type: integer, min: 0}
  open_hazards: {type: integer, min: 0}
  overdue_hazards: {type: integer, min: 0}
  last_accident: {type: date}
  last_inspection: {type: date}
  gas: {type: boolean}
levels:
  - {id: red, label: {zh: 重大风险, en: Major}, color: red}
  - {id: orange, label: {zh: 较大风险, en: High}, color: orange}
  - {id: yellow, label: {zh: 一般风险, en: Medium}, color: yellow}
  - {id: blue, label: {zh: 低风险, en: Low}, color: blue}
score:
  method: sum
  bands:
    - {level: red, min: 30}
    - {level: orange, min: 20, max: 30}
    - {level: yellow, min: 10, max: 20}
    - {level: blue, max: 10}
rules:
  - {id: no_exit, when: "exits < 1", points: 30}
  - {id: one_exit, when: "exits == 1", points: 20}
  - {id: two_exits, when: "exits == 2", points: 10}
  - {id: gas, when: "gas", points: 1, controls: [gas_check]}
controls:
  tiers:
    city: {zh: 市级专班, en: City task force}
    county: {zh: 县级工作组, en: County group}
    station: {zh: 派出所巡查组, en: Station patrol}
    self: {zh: 单位自查, en: Self-inspection}
  responsible: {red: city, orange: county, yellow: station, blue: self}
  measures:
    notice: {text: {zh: 挂牌督办, en: Public notice}}
    patrol: {text: {zh: 日常巡查, en: Daily patrol}}
    self_check: {text: {zh: 每月自查, en: Monthly self-check}}
    gas_check: {text: {zh: 燃气检测, en: Gas test}}
  by_level: {red: [notice, patrol], orange: [patrol], yellow: [patrol], blue: [self_check]}
inspection:
  last_inspection: last_inspection
  interval_days: {red: 40, orange: 90, yellow: 180, blue: 360}
  modifiers:
    - {id: open_hazards, when: "open_hazards > 0", multiply: 0.5}
    - {id: overdue_rectification, when: "overdue_hazards > 0", max_days: 14}
    - {id: recent_accident, when: "days_since(last_accident) < 365", multiply: 0.75}
  campaigns:
    - {id: winter, from: "11-15", to: "02-28", multiply: 0.5, levels: [red, orange]}
"""

AS_OF = dt.date(2026, 6, 30)


def venue(eid: str, exits: int = 3, station: str | None = "北站", **values):
    """An entity row; ``exits`` picks the level: 0 red, 1 orange, 2 yellow, 3 blue."""
    row = {"entity_id": eid, "name": f"场所{eid}", "city": "杭州市", "county": "上城区", "station": station,
           "grid": "网格1", "exits": exits, "open_hazards": 0, "overdue_hazards": 0, "gas": False}
    row.update(values)
    return row


def grade(rows, pack, as_of=AS_OF, keep=None):
    import riskgrade

    return riskgrade.grade_table(rows, pack, as_of=as_of, keep=keep)
