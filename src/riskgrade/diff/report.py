"""The impact report as JSON, plain text, and Markdown a panel can attach to its minutes."""

from __future__ import annotations

import json
from typing import Any

MAX_MOVED = 50  # moved entities listed in text and Markdown; JSON lists them all


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def _version(p: dict[str, Any] | None) -> str:
    return "—" if p is None else f"{p['version']} (sha256 {p['sha256'][:12]}, {p['file']})"


def _matrix_rows(pack: dict[str, Any]) -> list[list[str]]:
    states = pack["states"]
    rows = [["old \\ new", *states, "total"]]
    for a in states:
        counts = [pack["matrix"][a][b] for b in states]
        rows.append([a, *map(str, counts), str(sum(counts))])
    rows.append(["total", *(str(sum(pack["matrix"][a][b] for a in states)) for b in states), str(pack["population"])])
    return rows


def _moved_rows(pack: dict[str, Any]) -> list[list[str]]:
    keys = ["entity_id", *(k for k in ("name", "county", "station") if any(k in m for m in pack["moved"]))]
    rows = [[*keys, "from", "to", "newly fired", "stopped firing"]]
    for m in pack["moved"][:MAX_MOVED]:
        rows.append([str(m.get(k) or "") for k in keys] + [m["from"], m["to"], ", ".join(m["newly_fired"]) or "-",
                                                          ", ".join(m["stopped_firing"]) or "-"])
    return rows


def _jurisdiction_rows(column: str, rows: list[dict[str, Any]]) -> list[list[str]]:
    out = [[column, "population", "moved", "up", "down", "inspections/yr old", "new", "change"]]
    for r in rows:
        out.append([r[column], str(r["population"]), str(r["moved"]), str(r["up"]), str(r["down"]),
                    f"{r['workload_old']:.1f}", f"{r['workload_new']:.1f}", f"{r['workload_change']:+.1f}"])
    return out


def _headline(report: dict[str, Any], pack: dict[str, Any]) -> list[str]:
    w = pack["workload"]
    return [f"old: {_version(pack['old'])}", f"new: {_version(pack['new'])}",
            f"population: {pack['population']} entities of {report.get('entities') or 'the input'}, "
            f"graded as of {report['as_of']}",
            f"moved: {pack['moved_count']} ({pack['up']} to a more severe level, {pack['down']} to a less severe "
            f"one); fired rules changed without a level change: {pack['fired_changed_level_kept']}",
            f"inspection workload: {w['old']:.1f} -> {w['new']:.1f} inspections per year ({w['change']:+.1f})"]


def render_text(report: dict[str, Any]) -> str:
    out = []
    for pack in report["packs"]:
        out.append(f"== pack {pack['pack']} ==")
        out += _headline(report, pack)
        out += ["", "level transitions (rows: old, columns: new):", *_table_text(_matrix_rows(pack))]
        if pack["moved"]:
            more = len(pack["moved"]) - MAX_MOVED
            out += ["", "entities that moved:", *_table_text(_moved_rows(pack))]
            if more > 0:
                out.append(f"… and {more} more (all of them in --format json)")
        for column, rows in pack["by_jurisdiction"].items():
            out += ["", f"by {column}:", *_table_text(_jurisdiction_rows(column, rows))]
        out.append("")
    return "\n".join(out)


def _table_text(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip() for r in rows]


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def render_markdown(report: dict[str, Any]) -> str:
    out = ["# Impact of the rule-pack change", ""]
    for pack in report["packs"]:
        out += [f"## Pack `{pack['pack']}`", ""] + [f"- {line}" for line in _headline(report, pack)]
        out += ["", "### Level transitions", "", "Rows: old level; columns: new level.", "",
                *_table_md(_matrix_rows(pack))]
        if pack["moved"]:
            out += ["", "### Entities that moved", "", *_table_md(_moved_rows(pack))]
            more = len(pack["moved"]) - MAX_MOVED
            if more > 0:
                out += ["", f"… and {more} more (the JSON report lists all of them)."]
        for column, rows in pack["by_jurisdiction"].items():
            out += ["", f"### By {column}", "", *_table_md(_jurisdiction_rows(column, rows))]
        out.append("")
    return "\n".join(out)


def _table_md(rows: list[list[str]]) -> list[str]:
    def line(r: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in r) + " |"

    return [line(rows[0]), "|" + "---|" * len(rows[0]), *(line(r) for r in rows[1:])]
