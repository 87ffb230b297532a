"""Write an example registry as a county bureau's system exports it: Chinese headers (the packs'
labels, with the unit in brackets: 建筑面积（m²）), Chinese category values (宾馆（旅馆、饭店）), 是/否,
GB18030 — and the bureau's own names for the id and jurisdiction columns (档案编号, 行政区划 …), which
a mapping file gives.

    python tools/chinese_registry.py                # examples/venues_zh.csv and examples/venues_zh_mapping.yaml
    python tools/chinese_registry.py chemicals /tmp  # another registry, another folder

Deterministic: the same English registry and packs give the same bytes. Grading the result with its
mapping gives the English registry's grades (tests/resolve holds it to that, for every pack).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# the pack each example registry is for: its fields' labels become the headers
REGISTRIES = {"venues": "fire_safety", "chemicals": "hazardous_chemicals", "small_venues": "nine_small_venues",
              "vehicles": "road_transport", "outlets": "dangerous_goods_outlets"}
# what this bureau's system calls the id and jurisdiction columns (the first five are no built-in name,
# so the mapping file gives them; 单位名称 and 单位地址 are built-in)
BUREAU_HEADERS = {"entity_id": "档案编号", "city": "所在城市", "county": "行政区划", "station": "主管派出所",
                  "grid": "责任网格", "name": "单位名称", "address": "单位地址"}
MAPPING = """\
# What this bureau's system calls the columns riskgrade carries (see riskgrade map).
columns:
  档案编号: entity_id
  所在城市: city
  行政区划: county
  主管派出所: station
  责任网格: grid
"""


def field_specs(packs: Sequence[Any], first: str) -> dict[str, Any]:
    """Each field name -> its compiled field, the registry's own pack first."""
    out: dict[str, Any] = {}
    for p in sorted(packs, key=lambda p: p.pack_id != first):
        for f in p.fields:
            out.setdefault(f.name, f)
    return out


def chinese_header(column: str, f: Any) -> str:
    if column in BUREAU_HEADERS:
        return BUREAU_HEADERS[column]
    if f is None or f.label is None or not f.label.zh:
        return column
    return f"{f.label.zh}（{f.unit}）" if f.unit else f.label.zh


def chinese_cell(f: Any, cell: str) -> str:
    """A cell as the bureau writes it: 是/否 for yes/no, a category's Chinese label for its code."""
    if f is None or cell == "":
        return cell
    if f.kind == "boolean" and cell in ("true", "false"):
        return "是" if cell == "true" else "否"
    if f.kind == "category" and f.values and cell in f.values:
        label = f.value_labels[f.values.index(cell)] if f.value_labels else None
        return label.zh if label is not None and label.zh else cell
    return cell


def write_chinese_registry(name: str, packs: Sequence[Any], folder: Path) -> tuple[Path, Path]:
    """``folder/<name>_zh.csv`` (GB18030) and ``folder/<name>_zh_mapping.yaml``."""
    with open(EXAMPLES / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    specs = field_specs(packs, REGISTRIES[name])
    fields = [specs.get(c) for c in rows[0]]
    header: list[str] = []
    for column, f in zip(rows[0], fields):
        text = chinese_header(column, f)
        header.append(text if text not in header else column)
    out = folder / f"{name}_zh.csv"
    with open(out, "w", encoding="gb18030", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows([chinese_cell(spec, cell) for spec, cell in zip(fields, row)] for row in rows[1:])
    mapping = folder / f"{name}_zh_mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return out, mapping


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("registry", nargs="?", default="venues", choices=sorted(REGISTRIES))
    parser.add_argument("folder", nargs="?", default=str(EXAMPLES))
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    import riskgrade

    source, mapping = write_chinese_registry(args.registry, riskgrade.load_packs(ROOT / "rules"), Path(args.folder))
    print(f"wrote {source} and {mapping}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
