"""``riskgrade schema``: the JSON Schema of the pack format, for editors and validators."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..model import Pack

EXAMPLE = """examples:
  riskgrade schema                 # print to stdout
  riskgrade schema -o schemas/     # write schemas/pack.schema.json
"""


def pack_schema() -> dict[str, Any]:
    schema = Pack.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "riskgrade rule pack"
    return schema


def render() -> str:
    return json.dumps(pack_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def add_parser(sub: Any) -> None:
    p = sub.add_parser("schema", help="print or write the JSON Schema of the pack format", epilog=EXAMPLE,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output", metavar="DIR", help="write pack.schema.json into this folder")


def run(args: argparse.Namespace) -> int:
    text = render()
    if args.output:
        out = Path(args.output)
        out.mkdir(parents=True, exist_ok=True)
        (out / "pack.schema.json").write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0
