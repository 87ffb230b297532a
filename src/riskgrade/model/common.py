"""Shared building blocks of the pack model: the strict base model, bilingual text, identifiers."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints


class Strict(BaseModel):
    """Base of every pack element: unknown keys are errors, values are immutable once loaded, and
    every number is finite (YAML's ``.nan`` and ``.inf`` would make scores and bands meaningless)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _text_from_str(value: Any) -> Any:
    return {"zh": value} if isinstance(value, str) else value


class LocalText(Strict):
    """Text in Chinese and English; either may be omitted, not both. A bare string means Chinese."""

    zh: str | None = None
    en: str | None = None

    def get(self, lang: str = "zh") -> str:
        primary, other = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return primary or other or ""


Text = Annotated[LocalText, BeforeValidator(_text_from_str)]

# Identifiers name rules, levels, controls, tiers: letters (any script), digits, _ . - :
Ident = Annotated[str, StringConstraints(pattern=r"^\w[\w.\-:]*$", min_length=1, max_length=80)]
# Names usable inside expressions: Python identifiers (Chinese is fine), never dunders.
Name = Annotated[str, StringConstraints(pattern=r"^[^\W\d]\w*$", min_length=1, max_length=64)]
Expression = Annotated[str, Field(min_length=1, max_length=4000)]
