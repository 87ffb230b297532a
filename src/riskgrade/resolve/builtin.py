"""The columns every registry may have whatever the packs: the entity id and the jurisdiction columns a
bureau files grades under, with the Chinese names their systems export them as.

Matched as pack names are (``table.names.name_key``): ``所属县（区）`` also matches ``所属县`` and
``所属县(区)``. A pack field, a label or an alias always wins over these built-in names.
"""

from __future__ import annotations

ENTITY_ID = "entity_id"

# Input columns carried into every record when present: what a bureau files grades under.
DEFAULT_CARRIED = ("name", "address", "city", "county", "station", "grid")

BUILTIN_NAMES: dict[str, tuple[str, ...]] = {
    ENTITY_ID: ("id", "单位编号", "统一社会信用代码", "社会信用代码", "信用代码", "单位代码", "组织机构代码",
                "场所编号", "企业编号", "对象编号", "编号"),
    "name": ("单位名称", "场所名称", "企业名称", "单位全称", "对象名称", "名称"),
    "address": ("地址", "单位地址", "场所地址", "详细地址", "经营地址", "注册地址", "所在地址"),
    "city": ("所属市", "所属地市", "所在市", "地市", "市", "city name"),
    "county": ("所属县（区）", "所属区县", "所属县区", "所在县区", "县区", "区县", "县（市、区）", "所属区"),
    "station": ("管辖派出所", "所属派出所", "辖区派出所", "派出所", "管辖单位", "所属中队", "管辖中队"),
    "grid": ("所属网格", "网格", "网格名称", "所属责任区", "责任区"),
}

# Chinese names of the carried columns and the id, for outputs in Chinese (``--lang zh``)
CARRIED_ZH = {ENTITY_ID: "单位编号", "name": "单位名称", "address": "地址", "city": "所属市",
              "county": "所属县（区）", "station": "管辖派出所", "grid": "所属网格"}
