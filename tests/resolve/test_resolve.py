"""The resolve step: which header is which field and how, what is reported and suggested, how
values are spelled, and mapping files checked against the packs with every problem located."""

from __future__ import annotations

import datetime as dt

import pytest

import riskgrade
from riskgrade import ColumnsError, MappingError
from riskgrade.resolve import Resolver
from riskgrade.source.mapping_source import parse_mapping

AS_OF = dt.date(2026, 6, 30)
PACK = """
pack: venues
version: "1"
title: {zh: 场所, en: Venues}
owner: {zh: 派出所}
fields:
  kind:
    type: category
    required: true
    label: {zh: 场所类型, en: Venue type}
    values: {hotel: {zh: 宾馆（旅馆、饭店）, en: Hotel}, shop: {zh: 商店, en: Shop}}
    synonyms: {hotel: [酒店]}
  building_area_m2: {type: number, min: 0, label: {zh: 建筑面积, en: Floor area}, aliases: [总建筑面积]}
  exits: {type: integer, min: 0, label: {zh: 安全出口数量, en: Exits}}
  underground: {type: boolean, label: {zh: 场所位于地下}, aliases: [是否地下]}
  note: {type: string}
levels:
  - {id: red, label: {zh: 重大风险, en: Major}, color: red}
  - {id: blue, label: {zh: 低风险, en: Low}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 10}, {level: blue, max: 10}]
rules:
  - {id: few_exits, when: "exits < 2 and kind == 'hotel'", points: 10, hazard: {zh: 安全出口不足}}
  - {id: deep, when: "underground and building_area_m2 > 500", points: 10}
"""


@pytest.fixture(scope="module")
def pack():
    return riskgrade.loads_pack(PACK, "venues.yaml")


def plan(pack, headers, **kw):
    return {m.header: (m.target, m.how) for m in Resolver([pack], **kw).plan(headers).matches}


def test_headers_match_by_id_label_alias_and_built_in_names_after_folding(pack):
    got = plan(pack, ["单位编号", "场所类型", "建筑面积（㎡）", "EXITS ", "是否地下", "所属县（区）", "管辖派出所", "Floor Area"])
    assert got == {"单位编号": ("entity_id", "builtin"), "场所类型": ("kind", "label_zh"),
                   "建筑面积（㎡）": ("building_area_m2", "label_zh"), "EXITS ": ("exits", "id"),
                   "是否地下": ("underground", "alias"), "所属县（区）": ("county", "builtin"),
                   "管辖派出所": ("station", "builtin"), "Floor Area": ("building_area_m2", "duplicate")}


def test_a_near_miss_is_reported_with_a_suggestion_never_used(pack):
    got = Resolver([pack]).plan(["building_area", "exit_count", "联系电话"]).matches
    assert [(m.header, m.target, m.how, m.suggestions) for m in got] == [
        ("building_area", None, "unknown", ("building_area_m2",)), ("exit_count", None, "unknown", ("exits",)),
        ("联系电话", None, "unknown", ())]


def test_two_columns_for_one_field_use_the_stronger_and_name_the_other(pack):
    got = Resolver([pack]).plan(["安全出口数量", "exits"]).matches
    assert [(m.header, m.how, m.other) for m in got] == [("安全出口数量", "duplicate", "exits"), ("exits", "id", None)]


def test_values_by_code_label_synonym_and_yes_no_words_in_any_width(pack):
    rows = [{"entity_id": "A", "场所类型": "酒店", "安全出口数量": 1},
            {"entity_id": "B", "场所类型": "宾馆", "安全出口数量": 1},
            {"entity_id": "C", "场所类型": "ＨＯＴＥＬ", "安全出口数量": 1},
            {"entity_id": "D", "场所类型": "商店", "安全出口数量": 1, "是否地下": "是", "总建筑面积": 600},
            {"entity_id": "E", "场所类型": "Shop", "安全出口数量": 1, "是否地下": "Ｙ", "总建筑面积": 600},
            {"entity_id": "F", "场所类型": "shop", "安全出口数量": 1, "是否地下": "×", "总建筑面积": 600}]
    result = riskgrade.grade_table(rows, pack, as_of=AS_OF)
    assert [r["level"] for r in result.to_records()] == ["red", "red", "red", "red", "red", "blue"]
    assert not result.rejects


def test_an_unknown_value_rejects_its_row_listing_what_is_accepted(pack):
    result = riskgrade.grade_table([{"entity_id": "A", "kind": "casino"}], pack, as_of=AS_OF)
    (r,) = result.rejects
    assert (r.field, r.code) == ("kind", "RG400") and "allowed: hotel, shop" in r.reason


def test_a_dict_with_chinese_keys_and_values_grades_as_its_ids(pack):
    one = riskgrade.grade({"场所类型": "宾馆", "安全出口数量": 1}, pack, as_of=AS_OF)
    assert one.level == "red" and one.packs[0].fired == ["few_exits"]
    mapped = riskgrade.grade({"出口": 1, "类别": "星级"}, pack, as_of=AS_OF,
                             mapping={"columns": {"出口": "exits", "类别": "kind"}, "values": {"kind": {"星级": "hotel"}}})
    assert mapped.level == "red"


def test_the_report_names_what_is_unused_and_the_rules_that_cannot_decide(pack):
    report = riskgrade.check_columns([{"单位编号": "A", "场所类型": "宾馆", "exit_count": 1}], pack, as_of=AS_OF)
    assert report.problems() == [
        "exit_count: not a field of any pack — did you mean exits (Exits)?",
        "venues: building_area_m2 (Floor area) — rules that cannot decide: deep",
        "venues: exits (Exits) — rules that cannot decide: few_exits",
        "venues: underground (场所位于地下) — rules that cannot decide: deep"]
    text = report.render("zh")
    assert "exit_count：不是任何规则包的字段——是否应为 exits（安全出口数量）？" in text
    assert "exits（安全出口数量）——因此无法判定的规则：few_exits" in text
    assert report.to_dict()["columns"][1] == {"header": "场所类型", "as": "kind", "how": "label_zh", "other": None,
                                              "suggestions": [], "candidates": []}


def test_strict_refuses_before_grading_and_a_complete_input_passes(pack):
    with pytest.raises(ColumnsError, match="exit_count"):
        riskgrade.grade_table([{"kind": "hotel", "exit_count": 1}], pack, as_of=AS_OF, strict=True)
    full = {"kind": "hotel", "exits": 1, "underground": False, "building_area_m2": 10}
    assert riskgrade.grade_table([full], pack, as_of=AS_OF, strict=True).counts.graded == 1
    with pytest.raises(ColumnsError):
        riskgrade.grade({"kind": "hotel"}, pack, as_of=AS_OF, strict=True)


def test_mapping_errors_are_located_and_checked_against_the_packs(pack):
    text = "columns:\n  档案编号: entity_id\n  出口数: exit\n  备注: note\nvalues:\n  kind: {星级: hotl, 快捷: hotel}\n" \
           "  exits: {两个: 2}\n  nothing: {a: b}\n"
    with pytest.raises(MappingError) as err:
        riskgrade.grade_table([], pack, as_of=AS_OF, mapping=parse_mapping(text, "m.yaml"))
    assert [(str(loc), msg.split(";")[0].split(" (")[0]) for loc, msg in err.value.problems] == [
        ("m.yaml:3:8 (/columns/出口数)", "'exit' is not a field of any pack, a carried column or entity_id"),
        ("m.yaml:6:14 (/values/kind/星级)", "'hotl' is not a value of 'kind'"),
        ("m.yaml:7:3 (/values/exits)", "'exits' is a integer field"),
        ("m.yaml:8:3 (/values/nothing)", "'nothing' is not a field of any pack")]


def test_a_mapping_file_that_is_not_a_mapping_is_refused_where_it_is_wrong(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("columns:\n  a: b\nvalues:\n  f: {true: 1}\nextra: 1\n", encoding="utf-8")
    with pytest.raises(MappingError) as err:
        riskgrade.GradeOptions(as_of=AS_OF, mapping=path)
    assert [str(loc).split(" ")[0] for loc, _ in err.value.problems] == [f"{path}:4:7", f"{path}:5:1"]


def test_no_two_fields_of_the_shipped_packs_share_a_name():
    """A header that names two different fields (a label of one, the alias of another) could be
    either: the shipped packs must not have one (within one pack the compiler refuses it, RG314)."""
    from pathlib import Path

    names = Resolver(riskgrade.load_packs(Path(__file__).resolve().parents[2] / "rules")).names
    shared = {key: sorted({e.target for e in entries}) for key, entries in names.by_key.items()
              if len({e.target for e in entries}) > 1}
    assert shared == {}


def test_a_column_a_later_chunk_brings_is_reported_too(pack, tmp_path):
    path = tmp_path / "later.jsonl"
    row = '"kind": "shop", "exits": 2, "underground": false, "building_area_m2": 50'
    path.write_text(f'{{"entity_id": "A", {row}}}\n{{"entity_id": "B", {row}, "exit_width": 1}}\n', encoding="utf-8")
    reports = []
    riskgrade.grade_file(path, pack, tmp_path / "out.jsonl", as_of=AS_OF, chunk_rows=1, on_report=reports.append)
    assert [r.source for r in reports] == [str(path), f"{path}, from row 2"]
    assert reports[1].problems() == ["exit_width: not a field of any pack — did you mean exits (Exits)?"]
    with pytest.raises(ColumnsError, match="exit_width"):
        riskgrade.grade_file(path, pack, tmp_path / "strict.jsonl", as_of=AS_OF, chunk_rows=1, strict=True)
    assert not (tmp_path / "strict.jsonl").exists()
