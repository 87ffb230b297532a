"""What an entity carries: typed input fields, and the grading parameters (e.g. a region profile)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field as PField, StringConstraints, model_validator

from .common import Name, Strict, Text
from .fixes import Fixes

FieldType = Literal["number", "integer", "boolean", "category", "date", "string", "list"]
ItemType = Literal["number", "integer", "boolean", "category", "date", "string"]


class ItemField(Strict):
    """A field of a record inside a list field (e.g. one line of a chemical inventory)."""

    type: ItemType
    label: Text | None = None
    unit: str | None = None
    values: list[str] | dict[str, Text] | None = None
    min: float | None = None
    max: float | None = None
    required: bool = False

    @model_validator(mode="after")
    def _values_only_for_category(self) -> "ItemField":
        _check_values(self.type, self.values)
        _check_bounds(self.type, self.min, self.max)
        return self

    def category_values(self) -> tuple[str, ...]:
        return tuple(self.values or ())


class FieldSpec(ItemField):
    """One input of an entity: its type, unit, bounds, label, default and whether it is required.

    ``aliases`` are other column names a registry uses for the field (besides its id and labels);
    ``synonyms`` (category fields) other spellings of a value, by code (``hotel: [酒店, 旅馆]``).
    Both are matched as headers and cells are: ignoring width, case and spaces.
    """

    type: FieldType  # type: ignore[assignment]
    default: Any = None
    items: dict[Name, ItemField] | None = None
    description: Text | None = None
    aliases: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = PField(
        [], description="Other column names registries use for this field, e.g. [是否地下, 地下场所]; matched "
                        "ignoring width, case, spaces and a trailing unit in brackets")
    synonyms: dict[str, list[Annotated[str, StringConstraints(min_length=1, max_length=200)]]] | None = PField(
        None, description="Category fields: other spellings of a value, by code, e.g. {hotel: [酒店, 旅馆]}")
    fix: Fixes | None = None  # how a finding on this field is rectified (none: a fact that cannot change)

    @model_validator(mode="after")
    def _items_only_for_lists(self) -> "FieldSpec":
        if self.type == "list" and not self.items:
            raise ValueError("a list field needs 'items': the fields of each record")
        if self.type != "list" and self.items is not None:
            raise ValueError("'items' is only allowed on fields of type list")
        if self.type == "list" and self.default is not None:
            raise ValueError("a list field cannot have a default")
        _check_synonyms(self.type, self.values, self.synonyms)
        if self.fix and self.type == "list":
            raise ValueError("a list field cannot have a fix: put the fix on a rule that reads it, naming a "
                             "field that is not a list")
        if self.fix and any(f.field is not None for f in self.fix):
            raise ValueError("a field's fix changes that field: 'field' is only for a rule's fix")
        return self


class Parameter(Strict):
    """A grading option chosen per run, not per entity (e.g. the region whose thresholds apply)."""

    type: Literal["category", "number", "boolean", "string"]
    values: list[str] | dict[str, Text] | None = None
    default: Any = PField(...)
    label: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> "Parameter":
        _check_values(self.type, self.values)
        if self.type == "category" and str(self.default) not in (self.values or ()):
            raise ValueError(f"default {self.default!r} is not one of the declared values")
        return self


def _check_values(type_: str, values: object) -> None:
    if type_ == "category" and not values:
        raise ValueError("a category field needs 'values': the codes it may take")
    if type_ != "category" and values is not None:
        raise ValueError("'values' is only allowed on category fields")


def _check_synonyms(type_: str, values: object, synonyms: dict[str, list[str]] | None) -> None:
    if synonyms is None:
        return
    if type_ != "category":
        raise ValueError("'synonyms' is only allowed on category fields")
    unknown = [code for code in synonyms if code not in (values or ())]
    if unknown:
        raise ValueError(f"synonyms for {', '.join(repr(c) for c in unknown)}, which is not a declared "
                         f"value; synonyms are listed under the code they stand for")


def _check_bounds(type_: str, lo: float | None, hi: float | None) -> None:
    if (lo is not None or hi is not None) and type_ not in ("number", "integer"):
        raise ValueError("'min'/'max' are only allowed on number and integer fields")
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"min ({lo}) is greater than max ({hi})")

