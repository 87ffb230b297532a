"""How names and words are compared when a registry's headers and cells are matched to a pack.

A bureau's export writes the same name many ways: ``建筑面积（㎡）``, ``建筑面积(m2)``, ``建筑面积 ``,
``Building Area``, ``building_area``. :func:`name_key` folds what does not change the meaning —
character width (full/half), case, spaces, underscores and hyphens, a trailing unit or note in
brackets — so that two spellings match exactly when their keys are equal. Anything further apart is
at most a suggestion (:func:`closest`), never a match.

>>> name_key("建筑面积（㎡）") == name_key("建筑面积(m2)") == name_key("建筑面积")
True
>>> name_key(" Building_Area ") == name_key("building area")
True
>>> word_key("ＫＴＶ") == word_key(" ktv")
True
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

# A trailing bracketed part: a unit (㎡, m2, 人, 万元) or a note (区, 含地下); full-width brackets
# become ASCII under NFKC, 【】 and 〔〕 do not.
_TRAILING_BRACKETS = re.compile(r"(?:\s*[(\[【〔][^()\[\]【】〔〕]{0,24}[)\]】〕])+\s*$")
_SEPARATORS = re.compile(r"[\s_\-‐－—·・.]+")


def fold(text: str) -> str:
    """Width and case folded, spaces trimmed: the form two spellings of a word are compared in."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def name_key(name: str) -> str:
    """The key a header (or a field id, label or alias) is matched on."""
    text = fold(name)
    stripped = _TRAILING_BRACKETS.sub("", text)
    text = stripped or text  # a name that is all brackets keeps them
    return _SEPARATORS.sub("", text)


def word_key(value: str) -> str:
    """The key a cell value (a category code, label or synonym) is matched on."""
    return " ".join(fold(value).split())


def label_words(label: str) -> list[str]:
    """A value label and, when it ends in a bracketed note, the label without it: ``宾馆（旅馆、饭店）``
    is also written ``宾馆``."""
    stripped = _TRAILING_BRACKETS.sub("", unicodedata.normalize("NFKC", label)).strip()
    return [label, stripped] if stripped and word_key(stripped) != word_key(label) else [label]


def closest(key: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.72) -> list[str]:
    """The candidate keys most like ``key``: close spellings, names one of which begins the other
    (``building_area`` for ``building_area_m2``), Chinese names one of which holds the other
    (``面积`` for ``建筑面积``), best first."""
    pool = list(dict.fromkeys(candidates))
    scored = {c: difflib.SequenceMatcher(None, key, c).ratio() for c in pool}
    for c in pool:
        shorter, longer = sorted((key, c), key=len)
        if len(shorter) >= 3 and longer.startswith(shorter):
            scored[c] = max(scored[c], 0.9)
        if len(shorter) >= 2 and not shorter.isascii() and shorter in longer:
            scored[c] = max(scored[c], 0.8)
        common = len(_common_prefix(key, c))
        if common >= 4 and common >= 0.8 * len(shorter):  # exit_count ~ exits
            scored[c] = max(scored[c], 0.75)
    ranked = sorted((c for c, s in scored.items() if s >= cutoff), key=lambda c: (-scored[c], c))
    return ranked[:n]


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n]
