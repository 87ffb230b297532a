"""Advice in words per entity, for the ledger's 整改建议 column: from advice in memory, or read back
from a file ``riskgrade advise`` wrote."""

from __future__ import annotations

from os import PathLike
from typing import Iterable

from ..errors import InputError
from ..io.read import open_entities
from .results import Advice

Summaries = dict[tuple[str, str], str]  # (pack, entity id) -> the advice in one sentence


def summaries(advice: Iterable[Advice], lang: str = "zh") -> Summaries:
    return {(a.pack, str(a.entity_id)): a.summary(lang) for a in advice}


def read_summaries(path: str | PathLike[str]) -> Summaries:
    """The ``summary`` of every record of an advice file (jsonl, csv, parquet, xlsx). Raises InputError
    when the file is not one ``riskgrade advise`` wrote."""
    out: Summaries = {}
    for chunk in open_entities(path):
        missing = [c for c in ("entity_id", "pack", "summary") if c not in chunk.table.column_names]
        if missing:
            raise InputError(f"not an advice file (riskgrade advise): no column {', '.join(missing)}", file=str(path))
        for eid, pack, text in zip(*(chunk.table.column(c).to_pylist() for c in ("entity_id", "pack", "summary"))):
            if eid is not None and pack is not None and text:
                out[(str(pack), str(eid))] = str(text)
    return out
