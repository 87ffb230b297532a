"""Turn pack YAML into a validated ``Pack``, with errors an expert panel can act on.

pydantic's errors are translated: each names the file, line and column, the key at fault, and what
to write instead — never a raw validation dump.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Diagnostic, PackError
from ..model import Pack
from .files import RefusedFile, read_limited
from .yaml_source import MAX_BYTES, SourceMap, escape_pointer, load_yaml


@dataclass(frozen=True)
class PackSource:
    """A validated pack together with where it came from."""

    pack: Pack
    source: SourceMap
    sha256: str

    @property
    def file(self) -> str:
        return self.source.file


def canonical_sha256(pack: Pack) -> str:
    """Content hash of the pack's meaning: formatting, comments and key order do not change it."""
    data = pack.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_pack(text: str, file: str = "<string>") -> PackSource:
    """Parse and validate pack YAML text. Raises PackError listing every problem with its location."""
    data, source = load_yaml(text, file)
    if not isinstance(data, dict):
        raise PackError([Diagnostic("RG110", "a rule pack must be a mapping of keys (pack, version, fields, …)",
                                    source.locate(""))])
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        raise PackError(_one_per_value([_translate(err, source, data) for err in exc.errors()])) from None
    return PackSource(pack, source, canonical_sha256(pack))


def read_pack(path: str | Path) -> PackSource:
    """Read and validate one pack file (a regular file of at most ``MAX_BYTES``, refused before it
    is read when larger)."""
    p = Path(path)
    return parse_pack(read_pack_text(p), str(p))


def read_pack_text(p: Path) -> str:
    """The text of a pack (or pack test) file; PackError RG100/RG106 when it cannot be read."""
    try:
        data = read_limited(p, MAX_BYTES)
    except FileNotFoundError:
        raise PackError([Diagnostic("RG100", "file not found", _file_loc(str(p)))]) from None
    except RefusedFile as exc:
        raise PackError([Diagnostic("RG106" if exc.too_large else "RG100", exc.reason, _file_loc(str(p)))]) from None
    except OSError as exc:
        raise PackError([Diagnostic("RG100", f"cannot read file: {exc.strerror}", _file_loc(str(p)))]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackError([Diagnostic("RG100", f"pack files must be UTF-8 ({exc.reason} at byte {exc.start})",
                                    _file_loc(str(p)))]) from None


def _file_loc(file: str):
    from ..errors import Location

    return Location(file)


# --- translating pydantic errors -----------------------------------------------------------------

def _pointer(loc: tuple[Any, ...]) -> str:
    # pydantic appends union-branch and validator names to loc; keep only keys and indexes that exist
    return "".join(f"/{escape_pointer(p)}" for p in loc)


_SCALAR_BRANCHES = ("float", "int", "bool", "str")


def _one_per_value(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A value refused by every branch of a union is one problem, reported once (the first branch's
    message: for a table entry, why it is not a number)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for d in diagnostics:
        key = (d.code, d.location.pointer)
        if d.code == "RG113" and key in seen:
            continue
        seen.add(key)
        out.append(d)
    return out


def _clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    out: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part.endswith("_") and part[:-1] in node:
            out.append(part[:-1])  # raise_ -> raise
            node = node[part[:-1]]
        elif part in ("keyed", "banded") or isinstance(part, str) and "[" in part:
            continue  # discriminator / union branch labels
        elif isinstance(node, dict) and isinstance(part, int):
            continue  # one mapping written where a list of them is accepted (``fix: {…}``)
        elif part in _SCALAR_BRANCHES and not isinstance(node, (dict, list)):
            continue  # a scalar union's branch (float | int | bool | str): the value itself is at fault
        else:
            out.append(part)  # a missing key: keep it so the message can name it
            break
    return tuple(out)


def _translate(err: dict[str, Any], source: SourceMap, data: Any) -> Diagnostic:
    loc = _clean_loc(tuple(err["loc"]), data)
    kind = err["type"]
    name = str(loc[-1]) if loc else "pack"
    parent = _pointer(loc[:-1])
    pointer = _pointer(loc)
    rule_id = _rule_id(loc, data)
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1], data)
        hint = f"; allowed keys here: {', '.join(allowed)}" if allowed else ""
        return Diagnostic("RG111", f"unknown key '{name}'{hint}",
                          source.locate(pointer, key=True, rule_id=rule_id))
    if kind == "missing":
        return Diagnostic("RG112", f"missing required key '{name}'", source.locate(parent, rule_id=rule_id))
    msg = err.get("msg", "invalid value")
    msg = msg.removeprefix("Value error, ")
    value = err.get("input")
    shown = "" if isinstance(value, (dict, list)) else f" (got {value!r})"
    return Diagnostic("RG113", f"'{name}': {msg}{shown}", source.locate(pointer, rule_id=rule_id))


def _rule_id(loc: tuple[Any, ...], data: Any) -> str:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = data.get("rules") if isinstance(data, dict) else None
        if isinstance(rules, list) and loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
            return str(rules[loc[1]].get("id", ""))
    return ""


def _allowed_keys(loc: tuple[Any, ...], data: Any) -> list[str]:
    """Best effort: the keys the model allows at ``loc`` (to suggest a fix for a typo)."""
    from pydantic import BaseModel

    model: Any = Pack
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        if isinstance(model, type) and issubclass(model, BaseModel):
            info = model.model_fields.get(part) or next(
                (f for f in model.model_fields.values() if f.alias == part), None)
            model = _inner_model(info.annotation) if info else model
        else:
            model = None
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or n for n, f in model.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
