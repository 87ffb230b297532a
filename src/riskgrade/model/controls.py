"""Control measures (分级管控): what applies at each level, and which tier is responsible."""

from __future__ import annotations

from .common import Ident, Strict, Text


class Measure(Strict):
    text: Text
    basis: str | None = None


class Controls(Strict):
    """``tiers`` names who may own an entity's control; ``responsible`` maps each level to a tier;
    ``measures`` are the control measures; ``by_level`` lists the measures each level requires."""

    tiers: dict[Ident, Text] = {}
    responsible: dict[Ident, Ident] = {}
    measures: dict[Ident, Measure] = {}
    by_level: dict[Ident, list[Ident]] = {}
