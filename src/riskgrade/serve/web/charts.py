"""Charts drawn on the server as SVG: no chart library, nothing for the browser to fetch."""

from __future__ import annotations

from html import escape
from typing import Any, Sequence

from markupsafe import Markup

# The four-colour convention (a pack may also give #rrggbb).
PALETTE = {"red": "#d7302f", "orange": "#f08a24", "yellow": "#f2c40f", "blue": "#2f6bd0"}
INK = {"yellow": "#3a3000"}  # dark text on a light segment


def colour(name: str) -> str:
    return PALETTE.get(name, name if name.startswith("#") else "#888888")


def ink(name: str) -> str:
    return INK.get(name, "#ffffff")


def stacked_bars(rows: Sequence[dict[str, Any]], levels: Sequence[dict[str, Any]], label: Any,
                 *, width: int = 860, label_width: int = 190, row_height: int = 24) -> Markup:
    """Horizontal stacked bars: one row per group (``{"group", "counts": {level: n}, "total"}``), one
    segment per level in the scale's order, coloured by the level; counts inside wide segments, the
    total at the end. ``label(level)`` names a level in the legend and the tooltips."""
    top = 28
    bar_space = width - label_width - 60
    biggest = max((r["total"] for r in rows), default=0) or 1
    height = top + row_height * len(rows) + 6
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img">']
    x = label_width
    for lv in levels:  # legend
        out.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{colour(lv["color"])}"/>'
                   f'<text x="{x + 18}" y="18" class="legend">{escape(label(lv))}</text>')
        x += 30 + _width(label(lv))
    for i, row in enumerate(rows):
        y = top + i * row_height
        out.append(f'<text x="{label_width - 8}" y="{y + row_height * 0.68:.1f}" text-anchor="end" '
                   f'class="group">{escape(_short(str(row["group"]), 14))}<title>{escape(str(row["group"]))}</title></text>')
        x0 = float(label_width)
        for lv in levels:
            n = row["counts"].get(lv["id"], 0)
            if not n:
                continue
            w = bar_space * n / biggest
            out.append(f'<rect x="{x0:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_height - 6}" '
                       f'fill="{colour(lv["color"])}"><title>{escape(str(row["group"]))} · '
                       f'{escape(label(lv))}: {n}</title></rect>')
            if w >= 8 * len(str(n)) + 4:
                out.append(f'<text x="{x0 + w / 2:.1f}" y="{y + row_height * 0.68:.1f}" text-anchor="middle" '
                           f'class="count" fill="{ink(lv["color"])}">{n}</text>')
            x0 += w
        out.append(f'<text x="{x0 + 6:.1f}" y="{y + row_height * 0.68:.1f}" class="total">{row["total"]}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _width(text: str) -> int:
    """Roughly how wide a label is at 12px: CJK characters are square, Latin ones about half."""
    return sum(12 if ord(c) > 0x2E80 else 7 for c in text)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
