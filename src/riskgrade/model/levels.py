"""The ordered risk levels of a pack, most severe first (four-colour convention by default)."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from .common import Ident, Strict, Text

Color = Annotated[str, StringConstraints(pattern=r"^(red|orange|yellow|blue|#[0-9A-Fa-f]{6})$")]


class Level(Strict):
    """A risk level: red 重大 / orange 较大 / yellow 一般 / blue 低 in the usual four-colour scale."""

    id: Ident
    label: Text
    color: Color
