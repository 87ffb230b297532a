"""Stage ``check_names``: every way a registry may name a field, or spell a category value, leads to
one field and one code.

A header is matched to a field by its id, its labels and its ``aliases``; a cell to a code by the
code, its labels and its ``synonyms`` — all compared after folding width, case and spaces
(``table.names``). Two fields sharing a name, or two codes sharing a spelling, would make a
registry's meaning depend on a guess, so the pack is refused with both places named.
"""

from __future__ import annotations

from typing import Any

from ..table.names import label_words, name_key, word_key
from .stages import Context


def check_names(ctx: Context) -> None:
    """RG314: a header would match two fields; RG315: a cell would match two codes of one field."""
    seen: dict[str, tuple[str, str]] = {}  # key -> (field, what)
    for name, f in ctx.fields.items():
        for what, text, pointer in _field_names(name, f):
            key = name_key(text)
            other = seen.get(key)
            if other is not None and other[0] != name:
                ctx.error("RG314", f"{what} '{text}' of field '{name}' is also the {other[1]} of field "
                                   f"'{other[0]}': a column so named could be either; change one of them",
                          pointer)
            seen.setdefault(key, (name, what))
        if f.values:
            _check_values(ctx, name, f)


def _field_names(name: str, f: Any) -> list[tuple[str, str, str]]:
    names = [("id", name, f"/fields/{name}")]
    for lang in ("zh", "en"):
        text = getattr(f.label, lang, None) if f.label is not None else None
        if text:
            names.append((f"{lang} label", text, f"/fields/{name}/label"))
    names += [("alias", a, f"/fields/{name}/aliases/{i}") for i, a in enumerate(f.aliases)]
    return names


def _check_values(ctx: Context, name: str, f: Any) -> None:
    seen: dict[str, str] = {}
    spellings = [(code, code, f"/fields/{name}/values") for code in f.values]
    for code, label in zip(f.values, f.value_labels or ()):
        for lang in ("zh", "en"):
            text = getattr(label, lang, None) if label is not None else None
            for word in label_words(text) if text else ():
                spellings.append((code, word, f"/fields/{name}/values/{code}"))
    for code, words in f.synonyms:
        spellings += [(code, w, f"/fields/{name}/synonyms/{code}/{i}") for i, w in enumerate(words)]
    for code, text, pointer in spellings:
        key = word_key(text)
        other = seen.get(key)
        if other is not None and other != code:
            ctx.error("RG315", f"'{text}' of field '{name}' stands for both '{other}' and '{code}': a cell "
                               "so written could be either; keep it under one code only", pointer)
        seen.setdefault(key, code)
