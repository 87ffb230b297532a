"""Lookup tables a pack declares: keyed values (a standard's threshold table) and banded ranges."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .common import Strict, Text

Scalar = float | int | bool | str


class Band(Strict):
    """One band of a banded table: ``min`` inclusive, ``max`` exclusive; an open end is omitted."""

    min: float | None = None
    max: float | None = None
    value: Scalar

    @model_validator(mode="after")
    def _ordered(self) -> "Band":
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"band min ({self.min}) must be below its max ({self.max})")
        return self


class KeyedTable(Strict):
    """``name[key]`` gives the entry for ``key``; a key not listed gives ``default`` (missing if none)."""

    kind: Literal["keyed"]
    key: Literal["string", "number"] = "string"
    value: Literal["number", "string", "boolean"] = "number"
    entries: dict[str, Scalar]
    default: Scalar | None = None
    label: Text | None = None
    basis: str | None = None
    local_choice: bool = False
    note: Text | None = None


class BandedTable(Strict):
    """``name[x]`` gives the value of the band that holds ``x``; no band gives missing."""

    kind: Literal["banded"]
    value: Literal["number", "string", "boolean"] = "number"
    bands: list[Band]
    label: Text | None = None
    basis: str | None = None
    local_choice: bool = False
    note: Text | None = None


Table = KeyedTable | BandedTable
