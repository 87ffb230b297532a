"""Advice in words per entity, for the ledger's 整改建议 column: from advice in memory, or read back
from a file ``riskgrade advise`` wrote (its records, or the Chinese csv/xlsx of ``--lang zh``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from os import PathLike

from ..compiler.program import Program
from ..errors import InputError
from ..io.read import open_entities
from .people import ADVICE_HEADERS_ZH
from .results import Advice

Summaries = dict[tuple[str, str], str]  # (pack, entity id) -> the advice in one sentence
# the Chinese headers of the columns read back
_ZH = {"单位编号": "entity_id", "规则包": "pack", ADVICE_HEADERS_ZH["summary"]: "summary"}


def summaries(advice: Iterable[Advice], lang: str = "zh") -> Summaries:
    return {(a.pack, str(a.entity_id)): a.summary(lang) for a in advice}


def read_summaries(path: str | PathLike[str], programs: Sequence[Program] = ()) -> Summaries:
    """The ``summary`` of every record of an advice file (jsonl, csv, parquet, xlsx). A pack written by
    its title (the Chinese files) is named by its id again from ``programs``. Raises InputError when
    the file is not one ``riskgrade advise`` wrote."""
    ids = {p.title.get("zh"): p.pack_id for p in programs}
    out: Summaries = {}
    for chunk in open_entities(path):
        names = {c: _ZH.get(c, c) for c in chunk.table.column_names}
        table = chunk.table.rename_columns([names[c] for c in chunk.table.column_names])
        missing = [c for c in ("entity_id", "pack", "summary") if c not in table.column_names]
        if missing:
            raise InputError(f"not an advice file (riskgrade advise): no column {', '.join(missing)}", file=str(path))
        for eid, pack, text in zip(*(table.column(c).to_pylist() for c in ("entity_id", "pack", "summary"))):
            if eid is not None and pack is not None and text:
                out[(ids.get(str(pack), str(pack)), str(eid))] = str(text)
    return out
