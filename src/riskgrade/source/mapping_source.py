"""Read a registry mapping (``model.mapping``) from YAML, every problem located at file:line:col.

The mapping's shape is checked here; whether its targets are fields the packs declare is checked
when it meets the packs (``resolve``), with the same locations (``LoadedMapping.locate``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Location, MappingError, PackError
from ..model.mapping import RegistryMapping
from .yaml_source import SourceMap, escape_pointer, load_yaml

MAX_MAPPING_BYTES = 4 << 20


@dataclass(frozen=True)
class LoadedMapping:
    """A validated mapping and where each of its entries is written."""

    mapping: RegistryMapping
    source: SourceMap = field(default_factory=lambda: SourceMap("<mapping>"), compare=False)

    @property
    def file(self) -> str:
        return self.source.file

    def locate(self, *keys: str, key: bool = False) -> Location:
        """Where ``columns/<header>`` or ``values/<field>/<value>`` is written."""
        return self.source.locate("".join(f"/{escape_pointer(k)}" for k in keys), key=key)


def read_mapping(path: str | PathLike[str]) -> LoadedMapping:
    """Read and validate a mapping file. Raises MappingError naming each problem's line and column."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_MAPPING_BYTES:
            raise _error(str(p), "the file is larger than a mapping can be (4 MiB)")
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _error(str(p), "no such file") from None
    except UnicodeDecodeError as exc:
        raise _error(str(p), f"a mapping file must be UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise _error(str(p), f"cannot read the file: {exc.strerror}") from None
    return parse_mapping(text, str(p))


def parse_mapping(text: str, file: str = "<mapping>") -> LoadedMapping:
    """A mapping from YAML text (see ``read_mapping``)."""
    try:
        data, source = load_yaml(text, file)
    except PackError as exc:
        raise MappingError([(d.location, d.message) for d in exc.diagnostics]) from None
    if data is None:
        data = {}
    return mapping_from_data(data, source)


def mapping_from_data(data: Any, source: SourceMap | None = None) -> LoadedMapping:
    """A mapping from already-parsed data (a dict, e.g. from JSON), located by its source map if any."""
    source = source or SourceMap("<mapping>")
    if isinstance(data, RegistryMapping):
        return LoadedMapping(data, source)
    if not isinstance(data, dict):
        raise MappingError([(source.locate(""), "a mapping must be a YAML mapping with 'columns:' and/or "
                                                "'values:'")])
    problems = _yaml_booleans(data, source)
    try:
        mapping = RegistryMapping.model_validate(data)
    except ValidationError as exc:
        seen: set[Location] = set()
        for err in exc.errors():
            loc, message = _problem(err, source)
            if loc not in seen:  # a union (code or true/false) fails once per branch: say it once
                seen.add(loc)
                problems.append((loc, message))
    if problems:
        raise MappingError(problems)
    return LoadedMapping(mapping, source)


def _yaml_booleans(data: dict[str, Any], source: SourceMap) -> list[tuple[Location, str]]:
    """Unquoted yes/no/on/off/true/false keys: YAML reads them as booleans, so the word written is lost
    (``no:`` becomes ``False``); ask for quotes where they stand."""
    found = []
    for section in ("columns", "values"):
        entries = data.get(section)
        pointers = [f"/{section}"] if isinstance(entries, dict) else []
        if section == "values" and isinstance(entries, dict):
            pointers += [f"/values/{escape_pointer(k)}" for k, v in entries.items() if isinstance(v, dict)]
        for pointer in pointers:
            for key in ("True", "False"):
                mark = source.keys.get(f"{pointer}/{key}")
                if mark is not None and mark.style is None:
                    found.append((source.locate(f"{pointer}/{key}", key=True),
                                  "this key reads as a yes/no value, not as the word written; put the word in "
                                  "quotes, e.g. 'yes': or 'no':"))
    return found


def _problem(err: Any, source: SourceMap) -> tuple[Location, str]:
    branches = ("str", "bool", "constrained-str", "function-before[_code_text(), function-before[_text_keys(), "
                "dict[constrained-str,union[constrained-str,bool]]]]")
    union = any(p in ("constrained-str", "bool") for p in err["loc"][1:]) and err["loc"][0] == "values"
    loc = [p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in branches))]
    pointer = "".join(f"/{escape_pointer(p)}" for p in loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        return source.locate(pointer, key=True), f"unknown key '{loc[-1]}'; a mapping has 'columns:' and 'values:'"
    message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    if union and len(loc) == 3:
        return source.locate(pointer), f"expected a code of the field (or true/false), got {err.get('input')!r}"
    if kind in ("string_type", "dict_type"):
        what = "text"
        if kind == "dict_type":
            what = "their header: field" if loc[:1] == ["columns"] and len(loc) == 1 else \
                "field: {their value: code}" if len(loc) == 1 else "their value: code"
        message = f"expected {what}, got {err.get('input')!r}"
    return source.locate(pointer, key=err["loc"][-1:] == ("[key]",)), message


def _error(file: str, message: str) -> MappingError:
    return MappingError([(Location(file), message)])
