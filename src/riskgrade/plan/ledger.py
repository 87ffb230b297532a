"""The ledger (台账): the workbook a bureau keeps — one sheet per pack with one row per entity, a
summary of the jurisdiction roll-ups, and, with a plan, the workload, weekly and monthly views,
the visits that could not be fitted and a daily list per station.

Level cells are filled red / orange / yellow / blue, headers are bold and frozen, every sheet has
filters, and the headers and texts are Chinese (``lang="zh"``) or English (``"en"``).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..compiler.program import Program
from ..errors import OptionError, OutputError
from ._pandas import pandas
from .controls import control_list
from .graded import JURISDICTIONS, as_graded, programs_for
from .labels import HEADERS, SHEETS, WORDS, text
from .planner import REASONS
from .views import InspectionPlan
from .jurisdiction import rollups
from .schedule import inspection_schedule

if TYPE_CHECKING:
    from .xlsx_sheet import SheetWriter

PACK_COLUMNS = ("entity_id", "name") + JURISDICTIONS + (
    "level", "score", "responsible", "owner", "inspection_interval_days", "adjustments", "next_inspection",
    "overdue_days", "data_gaps", "fired", "controls")


def write_ledger(path: str | os.PathLike[str], graded: Any, packs: Program | Sequence[Program], *,
                 plan: InspectionPlan | None = None, on: dt.date | None = None, lang: str = "zh",
                 check_sha: bool = True, escape_formulas: bool = True,
                 advice: Mapping[tuple[str, str], str] | None = None) -> None:
    """Write the ledger workbook to ``path`` (.xlsx), atomically: a temporary file renamed into place.

    ``on`` is the date overdue days count to (default: the plan's start, else the grading date).
    Text starting with ``=`` is stored as text, never as a formula, unless ``escape_formulas=False``.
    ``advice`` maps (pack, entity id) to the rectification advice in words (``riskgrade advise``'s
    summaries); with it every pack sheet gets a 整改建议 column.
    """
    if lang not in ("zh", "en"):
        raise OptionError(f"lang must be 'zh' or 'en', got {lang!r}")
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"{path}: the ledger is an Excel workbook; name it *.xlsx")
    df = as_graded(graded)
    programs = programs_for(df, packs, check_sha=check_sha)
    on = on or (plan.start if plan is not None else None)
    from .xlsx_sheet import SheetWriter  # openpyxl is loaded when a workbook is written, not on import

    writer = SheetWriter(escape_formulas)
    _summary(writer, df, programs, on, lang, check_sha)
    schedule = plan.schedule if plan is not None and on == plan.start else inspection_schedule(
        df, list(programs.values()), on=on, check_sha=check_sha)
    controls = control_list(df, list(programs.values()), check_sha=check_sha)
    for pid, program in programs.items():
        frame = pack_sheet(df[df["pack"] == pid], schedule[schedule["pack"] == pid],
                           controls[controls["pack"] == pid], program, lang,
                           None if advice is None else {e: t for (p, e), t in advice.items() if p == pid})
        writer.write(program.title.get(lang) or pid, frame, _headers(frame, lang),
                     colour_of={"level": "_color"})
    if plan is not None:
        _plan_sheets(writer, plan, programs, lang)
    _save(writer.book, path)


def pack_sheet(rows: Any, schedule: Any, controls: Any, program: Program, lang: str,
               advice: Mapping[str, str] | None = None) -> Any:
    """One row per entity graded by the pack: level, controls, responsible tier, inspection; most severe
    first; with ``advice`` (entity id -> words), the rectification advice after the controls."""
    pd = pandas()
    rows = rows[rows["applies"].fillna(False).astype(bool) & rows["level"].notna()]
    sched = schedule.set_index(["entity_id"])[["overdue_days", "modifiers", "campaigns"]]
    sched = sched[~sched.index.duplicated()]
    measure_col = "measure_zh" if lang == "zh" else "measure_en"
    texts = controls.groupby("entity_id", sort=False)[measure_col].agg(list) if len(controls) else pd.Series(dtype=object)
    labels = {lv.id: lv.label.get(lang) for lv in program.levels}
    tiers = {k: v.get(lang) for k, v in program.tiers.items()}
    out = pd.DataFrame({c: rows[c].to_numpy() if c in rows else None for c in ("entity_id", "name") + JURISDICTIONS})
    ids = rows["entity_id"].to_numpy()
    out["level"] = [labels.get(lv, lv) for lv in rows["level"]]
    out["_color"] = rows["color"].to_numpy() if "color" in rows else None
    out["score"] = rows["score"].to_numpy() if "score" in rows else None
    out["responsible"] = [tiers.get(t, t) for t in rows.get("responsible", pd.Series([None] * len(rows)))]
    out["owner"] = program.owner.get(lang)
    out["controls"] = [texts.get(i, []) for i in ids]
    out["fired"] = rows["fired"].to_numpy()
    out["inspection_interval_days"] = rows["inspection_interval_days"].to_numpy()
    mods = sched.reindex(ids)
    out["adjustments"] = [_adjustments(m, c) for m, c in zip(mods["modifiers"], mods["campaigns"])]
    out["next_inspection"] = rows["next_inspection"].to_numpy()
    out["overdue_days"] = mods["overdue_days"].to_numpy()
    out["data_gaps"] = rows["data_gaps"].to_numpy()
    out["_rank"] = rows["rank"].to_numpy()
    columns = list(PACK_COLUMNS)
    if advice is not None:
        out["advice"] = [advice.get(str(i)) for i in ids]
        columns.insert(columns.index("controls") + 1, "advice")
    out = out.sort_values(["_rank", "overdue_days", "entity_id"], ascending=[True, False, True], kind="stable")
    return out[columns + ["_color"]].reset_index(drop=True)


def _adjustments(modifiers: Any, campaigns: Any) -> list[str]:
    mods = list(modifiers) if isinstance(modifiers, list) else (["?"] if modifiers is None else [])
    return mods + (list(campaigns) if isinstance(campaigns, list) else [])


def _summary(writer: SheetWriter, df: Any, programs: dict[str, Program], on: dt.date | None,
             lang: str, check_sha: bool) -> None:
    pd = pandas()
    parts = []
    for by, table in rollups(df, list(programs.values()), on=on, check_sha=check_sha).items():
        table = table.rename(columns={by: "unit"})
        table.insert(0, "jurisdiction", text(WORDS, by, lang))
        parts.append(table)
    summary = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"jurisdiction": []})
    summary["pack"] = [programs[p].title.get(lang) if p in programs else p for p in summary.get("pack", [])]
    levels = {lv.id: (lv.label.get(lang), lv.color) for p in programs.values() for lv in p.levels}
    headers = [levels[c][0] if c in levels else text(HEADERS, c, lang) for c in summary.columns]
    colours = {c: levels[c][1] for c in summary.columns if c in levels}
    writer.write(text(SHEETS, "summary", lang), summary, headers, header_colours=colours)


def _plan_sheets(writer: SheetWriter, plan: InspectionPlan, programs: dict[str, Program], lang: str) -> None:
    unit = plan.unit
    for key, frame in (("workload", plan.workload), ("weekly", plan.weekly()), ("monthly", plan.monthly())):
        frame = _flagged(frame, lang)
        writer.write(text(SHEETS, key, lang), frame, _headers(frame, lang, programs),
                     flag="_flag", formats={"utilisation": "0%"})
    unplanned = _visits(plan.unplanned, programs, lang)
    unplanned["reason"] = [REASONS[r][0 if lang == "zh" else 1] for r in plan.unplanned["reason"]]
    writer.write(text(SHEETS, "unplanned", lang), unplanned, _headers(unplanned, lang),
                 colour_of={"level": "_color"})
    daily = _visits(plan.planned, programs, lang)
    for name, frame in daily.groupby(unit, sort=True):
        frame = frame.drop(columns=[unit]).reset_index(drop=True)
        writer.write(f"{text(SHEETS, 'plan', lang)}-{name}", frame, _headers(frame, lang), colour_of={"level": "_color"})


def _visits(visits: Any, programs: dict[str, Program], lang: str) -> Any:
    """Visit rows for people: level labels, pack titles, adjustments in one cell."""
    out = visits.copy()
    labels = {(pid, lv.id): lv.label.get(lang) for pid, p in programs.items() for lv in p.levels}
    out["_color"] = out["color"]
    out["level"] = [labels.get((p, lv), lv) for p, lv in zip(out["pack"], out["level"])]
    out["pack"] = [programs[p].title.get(lang) if p in programs else p for p in out["pack"]]
    out["adjustments"] = [_adjustments(m, c) for m, c in zip(out["modifiers"], out["campaigns"])]
    return out.drop(columns=["color", "rank", "modifiers", "campaigns"])


def _headers(frame: Any, lang: str, programs: dict[str, Program] | None = None) -> list[str]:
    levels = {lv.id: lv.label.get(lang) for p in (programs or {}).values() for lv in p.levels}
    return [levels.get(c) or text(HEADERS, c, lang) for c in frame.columns if not c.startswith("_")]


def _flagged(frame: Any, lang: str) -> Any:
    """``over_capacity`` shown as yes/no, its truth kept in ``_flag`` for the row marking."""
    out = frame.copy()
    out["_flag"] = out["over_capacity"].fillna(False).astype(bool)
    if "pack" in out:  # a capacity row without a pack serves every pack
        out["pack"] = [p or text(WORDS, "all", lang) for p in out["pack"]]
    out["over_capacity"] = [text(WORDS, "yes" if f else "no", lang) for f in out["_flag"]]
    return out


def _save(book: Any, path: Path) -> None:
    import tempfile

    from ..io.write_xlsx import save_workbook

    if not path.parent.is_dir():
        raise OutputError(f"{path}: the folder {str(path.parent)!r} does not exist")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            save_workbook(book, f)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.remove(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write: {exc}") from exc
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
