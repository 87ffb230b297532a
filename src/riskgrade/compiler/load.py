"""Pack files and text -> Programs: read (``source``), validate and compile, every problem collected."""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Sequence

from ..errors import OptionError, PackError
from ..source.pack_source import parse_pack, read_pack
from .compile import compile_pack
from .program import Program


def loads_pack(text: str, file: str = "<string>") -> Program:
    """Compile a pack from YAML text.

    >>> pack = loads_pack(EXAMPLE_PACK)
    >>> pack.pack_id, [lv.id for lv in pack.levels]
    ('demo', ['red', 'blue'])
    """
    return compile_pack(parse_pack(text, file))


def load_pack(path: str | PathLike[str]) -> Program:
    """Compile the pack in one YAML file. Raises PackError listing every problem with its location."""
    return compile_pack(read_pack(path))


def pack_files(*paths: str | PathLike[str]) -> list[Path]:
    """The pack files named, folders expanded to their ``*.yaml``/``*.yml`` (test files excluded)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.suffix in (".yaml", ".yml")
                          and not f.stem.endswith("_test"))
        else:
            out.append(p)
    return out


def load_packs(*paths: str | PathLike[str], pack: str | Sequence[str] | None = None) -> list[Program]:
    """Compile every pack in the files and folders given; ``pack`` keeps only those ids.

    All packs are compiled before any error is raised, so one PackError lists the problems of all.
    """
    programs, diagnostics = [], []
    for f in pack_files(*paths):
        try:
            programs.append(load_pack(f))
        except PackError as exc:
            diagnostics += exc.diagnostics
    if diagnostics:
        raise PackError(diagnostics)
    if not programs:
        raise OptionError(f"no rule packs (*.yaml) found in {', '.join(map(str, paths))}")
    if pack is not None:
        wanted = [pack] if isinstance(pack, str) else list(pack)
        missing = [w for w in wanted if w not in {p.pack_id for p in programs}]
        if missing:
            raise OptionError(f"no pack with id {', '.join(missing)}; found: "
                              f"{', '.join(p.pack_id for p in programs)}")
        programs = [p for p in programs if p.pack_id in wanted]
    ids = [p.pack_id for p in programs]
    if len(set(ids)) != len(ids):
        raise OptionError(f"two packs share an id: {', '.join(sorted({i for i in ids if ids.count(i) > 1}))}")
    return programs


# A small pack for examples and doctests: one rule, two levels, one fix.
EXAMPLE_PACK = """
pack: demo
version: "1"
title: {zh: 示例, en: Demo}
owner: {zh: 派出所, en: Police station}
fields:
  exits: {type: integer, min: 0}
levels:
  - {id: red, label: {zh: 重大风险, en: Major}, color: red}
  - {id: blue, label: {zh: 低风险, en: Low}, color: blue}
score:
  method: sum
  bands: [{level: red, min: 10}, {level: blue, max: 10}]
rules:
  - id: few_exits
    when: "exits < 2"
    points: 10
    fix: {to: 2, action: {zh: 增设安全出口, en: Add a safety exit}, cost: 30000, days: 30}
"""
