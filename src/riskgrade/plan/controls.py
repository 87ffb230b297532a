"""The graded control list (分级管控清单): per entity and pack, every control measure that applies.

A measure applies because the entity's level requires it (``controls.by_level``) or because a rule
that fired adds it (``rules[].controls``); each line says which (``source``: ``level`` and/or the
rule ids). Every line carries the measure's text, the tier responsible at the entity's level and
the department that owns the pack, in Chinese and English, so a line can be handed on as it is.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..compiler.program import Program
from ._pandas import pandas
from .graded import JURISDICTIONS, as_graded, programs_for

COLUMNS = ("entity_id", "name") + JURISDICTIONS + (
    "pack", "level", "rank", "color", "measure", "measure_zh", "measure_en", "source",
    "responsible", "responsible_zh", "responsible_en", "owner_zh", "owner_en")


def control_list(graded: Any, packs: Program | Sequence[Program], *, check_sha: bool = True) -> Any:
    """One row per entity, pack and control measure (DataFrame with ``COLUMNS``).

    ``graded`` is a GradeResult, a graded file, an Arrow table or a DataFrame; ``packs`` are the
    compiled packs it was graded with (checked by content hash unless ``check_sha`` is false). Rows
    where a pack does not apply have no controls and no lines. Lines keep the graded row order and,
    within a row, the pack's measure order.
    """
    pd = pandas()
    df = as_graded(graded)
    programs = programs_for(df, packs, check_sha=check_sha)
    parts = [_pack_lines(df[df["pack"] == pid], program) for pid, program in programs.items()]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    out = pd.concat(parts).sort_values(["_row", "_measure"], kind="stable")
    return out[list(COLUMNS)].reset_index(drop=True)


def _pack_lines(rows: Any, program: Program) -> Any:
    """The control lines of one pack's rows, built column-wise from (row, measure) pairs."""
    pd = pandas()
    rows = rows[rows["applies"].fillna(False).astype(bool) & rows["level"].notna()]
    rule_controls = {r.id: r.controls for r in program.rules}
    level_of = {lv.id: i for i, lv in enumerate(program.levels)}
    pairs: dict[tuple[int, int], list[str]] = {}  # (row position, measure) -> sources
    for pos, (level, fired) in enumerate(zip(rows["level"], rows["fired"])):
        li = level_of.get(level)
        if li is None:
            continue
        for m in program.level_controls[li]:
            pairs.setdefault((pos, m), []).append("level")
        for rule_id in fired:
            for m in rule_controls.get(rule_id, ()):
                sources = pairs.setdefault((pos, m), [])
                if rule_id not in sources:
                    sources.append(rule_id)
    if not pairs:
        return pd.DataFrame()
    keys = sorted(pairs)
    pos = np.fromiter((k[0] for k in keys), dtype=np.int64, count=len(keys))
    meas = np.fromiter((k[1] for k in keys), dtype=np.int64, count=len(keys))
    base = rows.iloc[pos]
    levels = base["level"].to_numpy()
    tiers = [program.responsible[level_of[lv]] for lv in levels]
    texts = [program.measures[m][1] for m in meas]
    out = pd.DataFrame({
        "_row": rows.index.to_numpy()[pos], "_measure": meas,
        "entity_id": base["entity_id"].to_numpy(),
        **{c: (base[c].to_numpy() if c in base else None) for c in ("name",) + JURISDICTIONS},
        "pack": program.pack_id, "level": levels, "rank": base["rank"].to_numpy(),
        "color": base["color"].to_numpy() if "color" in base else None,
        "measure": [program.measures[m][0] for m in meas],
        "measure_zh": [t.zh for t in texts], "measure_en": [t.en for t in texts],
        "source": [";".join(pairs[k]) for k in keys],
        "responsible": tiers,
        "responsible_zh": [_tier(program, t, "zh") for t in tiers],
        "responsible_en": [_tier(program, t, "en") for t in tiers],
        "owner_zh": program.owner.zh, "owner_en": program.owner.en,
    })
    return out


def _tier(program: Program, tier: str | None, lang: str) -> str | None:
    text = program.tiers.get(tier) if tier else None
    return None if text is None else (text.zh if lang == "zh" else text.en)

