"""Safe YAML reading that remembers where every value came from.

PyYAML's composer builds a node tree with source marks; we walk it ourselves instead of letting a
constructor run, so that only plain data (maps, lists, strings, numbers, booleans, dates, null) can
come out, duplicate keys are caught, alias expansion is bounded (billion laughs) and every value
keeps its ``line:col`` under its JSON pointer.

Plain scalars are read as YAML 1.2's core schema says, not as PyYAML's YAML 1.1: only ``true`` and
``false`` are booleans (a key ``on:`` or a value ``no`` stays text), ``017`` is seventeen (not octal
fifteen), ``1_000`` and ``1:30`` are text, ``1e5`` is a number. Dates (``2026-01-01``) are dates.

Aliases are bounded twice: by the number of values they expand to, and by the characters of text
they expand to (one alias of a 4 MiB string repeated a thousand times is a handful of nodes but
gigabytes once validated and hashed). Nesting is bounded while composing, so a deep document is
refused at the line where it becomes too deep instead of exhausting Python's stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Diagnostic, Location, PackError

MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_BYTES = 16 * 1024 * 1024
# Scalar text a document may expand to through aliases: twice what a file may hold without them.
MAX_EXPANDED_CHARS = 2 * MAX_BYTES

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass(frozen=True)
class ScalarMark:
    """Where a scalar's text starts, and how it was written (to place errors inside expressions)."""

    line: int  # 1-based
    col: int  # 1-based, first character of the value itself
    style: str | None  # None plain, "'" or '"' quoted, "|" or ">" block


@dataclass
class SourceMap:
    """JSON pointer -> position of the value (and of its key, for mapping entries)."""

    file: str
    values: dict[str, ScalarMark] = field(default_factory=dict)
    keys: dict[str, ScalarMark] = field(default_factory=dict)

    def locate(self, pointer: str, *, key: bool = False, rule_id: str = "") -> Location:
        """The nearest known position for ``pointer`` (walking up to a parent if needed)."""
        table = self.keys if key else self.values
        probe = pointer
        while True:
            mark = table.get(probe) or self.values.get(probe)
            if mark is not None:
                return Location(self.file, mark.line, mark.col, pointer, rule_id)
            if not probe:
                return Location(self.file, 0, 0, pointer, rule_id)
            probe = probe.rsplit("/", 1)[0]

    def locate_in_expression(self, pointer: str, line: int, col: int, rule_id: str = "") -> Location:
        """Position of character (line, col) — both 1-based — of the expression stored at ``pointer``."""
        mark = self.values.get(pointer)
        if mark is None:
            return self.locate(pointer, rule_id=rule_id)
        if mark.style in ("|", ">"):
            # block scalars start on the line after the indicator, at the node's indentation
            return Location(self.file, mark.line + line, mark.col + col + 1, pointer, rule_id)
        quote = 1 if mark.style in ("'", '"') else 0
        if line == 1:
            return Location(self.file, mark.line, mark.col + quote + col - 1, pointer, rule_id)
        return Location(self.file, mark.line + line - 1, col, pointer, rule_id)


_CORE_SCALARS = [  # (tag, pattern): YAML 1.2 core schema, in the order they are tried
    ("null", re.compile(r"^(?:~|null|Null|NULL|)$")),
    ("bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    ("int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    ("float", re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                         r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")),
]
_TIMESTAMP = next(rx for tag, rx in yaml.SafeLoader.yaml_implicit_resolvers["0"] if tag.endswith(":timestamp"))


def core_tag(value: str) -> str:
    """The tag YAML 1.2's core schema gives a plain scalar (dates kept as timestamps)."""
    for name, pattern in _CORE_SCALARS:
        if pattern.match(value):
            return f"tag:yaml.org,2002:{name}"
    if _TIMESTAMP.match(value):
        return "tag:yaml.org,2002:timestamp"
    if value == "<<":  # recognised so that it is refused (RG102), not taken for a key named "<<"
        return "tag:yaml.org,2002:merge"
    return "tag:yaml.org,2002:str"


def _core_value(node: yaml.ScalarNode) -> Any:
    """The value of a plain null, bool, int or float scalar under the core schema."""
    tag, text = node.tag.rsplit(":", 1)[1], node.value
    if tag == "null":
        return None
    if tag == "bool":
        return text.lower() == "true"
    if tag == "int":
        body = text.lstrip("+-")
        sign = -1 if text.startswith("-") else 1
        base = 8 if body.startswith("0o") else 16 if body.startswith("0x") else 10
        return sign * int(body[2:] if base != 10 else body, base)
    lowered = text.lower()
    if lowered.endswith("inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(text)


def escape_pointer(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _mark(node: yaml.Node) -> ScalarMark:
    start = node.start_mark
    style = getattr(node, "style", None)
    return ScalarMark(start.line + 1, start.column + 1, style)


class _Walker:
    def __init__(self, file: str):
        self.source = SourceMap(file)
        self.constructor = yaml.SafeLoader("")  # only used for plain scalar resolution
        self.nodes = 0
        self.chars = 0
        self.errors: list[Diagnostic] = []

    def fail(self, code: str, message: str, node: yaml.Node, pointer: str) -> None:
        m = _mark(node)
        self.errors.append(Diagnostic(code, message, Location(self.source.file, m.line, m.col, pointer)))

    def walk(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Abort("RG103", f"the document expands to more than {MAX_NODES} values "
                          "(are aliases (*name) repeating a large block?)", node, pointer)
        if depth > MAX_DEPTH:
            raise _Abort("RG104", f"nesting deeper than {MAX_DEPTH} levels", node, pointer)
        if isinstance(node, yaml.ScalarNode):
            self.chars += len(node.value)
            if self.chars > MAX_EXPANDED_CHARS:
                raise _Abort("RG103", f"the document expands to more than {MAX_EXPANDED_CHARS // 1024 // 1024} "
                              "Mi characters of text (are aliases (*name) repeating a long text?)", node, pointer)
        self.source.values[pointer] = _mark(node)
        if node.tag not in _PLAIN_TAGS:
            raise _Abort("RG102", f"YAML tag {node.tag!r} is not allowed: rule packs hold plain data only",
                         node, pointer)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, pointer, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, f"{pointer}/{i}", depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag.rsplit(":", 1)[1] in ("null", "bool", "int", "float"):
            return _core_value(node)
        return self.constructor.construct_object(node)  # text and dates

    def _mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Abort("RG102", "merge keys (<<) are not supported in rule packs", key_node, pointer)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                raise _Abort("RG102", "mapping keys must be plain text", key_node, pointer)
            key = self._scalar(key_node)
            key = str(key) if not isinstance(key, str) else key
            child = f"{pointer}/{escape_pointer(key)}"
            if key in out:
                self.fail("RG105", f"key '{key}' appears twice in the same mapping", key_node, child)
                continue
            self.source.keys[child] = _mark(key_node)
            out[key] = self.walk(value_node, child, depth + 1)
        return out


class _DepthLimitedLoader(yaml.SafeLoader):
    """PyYAML's composer recurses once per nesting level; stop it at ``MAX_DEPTH`` with a mark.
    Plain scalars are resolved by YAML 1.2's core schema (``core_tag``)."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return core_tag(value)
        return super().resolve(kind, value, implicit)

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:  # +1: the document's root is depth 0 for the walker
                mark = self.peek_event().start_mark
                raise _TooDeep(mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark):
        self.mark = mark


class _Abort(Exception):
    def __init__(self, code: str, message: str, node: yaml.Node, pointer: str):
        self.code, self.message, self.node, self.pointer = code, message, node, pointer


def load_yaml(text: str, file: str = "<string>") -> tuple[Any, SourceMap]:
    """Parse YAML text into plain data plus its source map. Raises PackError with a location."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise PackError([Diagnostic("RG106", f"file is larger than {MAX_BYTES // 1024 // 1024} MiB",
                                    Location(file))])
    walker = _Walker(file)
    try:
        loader = _DepthLimitedLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except _TooDeep as exc:
        loc = Location(file, exc.mark.line + 1, exc.mark.column + 1)
        raise PackError([Diagnostic("RG104", f"nesting deeper than {MAX_DEPTH} levels", loc)]) from None
    except yaml.reader.ReaderError as exc:
        # raised for characters YAML forbids (NUL, most C0 controls) and undecodable bytes
        loc = _position(text, exc.position, file)
        shown = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise PackError([Diagnostic("RG101", f"character {shown} is not allowed in YAML ({exc.reason}); "
                                    "remove it", loc)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        raise PackError([Diagnostic("RG101", f"not valid YAML: {exc.problem or exc}", loc)]) from None
    except yaml.YAMLError as exc:
        raise PackError([Diagnostic("RG101", f"not valid YAML: {exc}", Location(file))]) from None
    except RecursionError:
        raise PackError([Diagnostic("RG104", "nesting too deep", Location(file))]) from None
    if root is None:
        raise PackError([Diagnostic("RG101", "the file is empty", Location(file, 1, 1))])
    try:
        data = walker.walk(root, "", 0)
    except _Abort as abort:
        walker.fail(abort.code, abort.message, abort.node, abort.pointer)
        raise PackError(walker.errors) from None
    except RecursionError:
        raise PackError([Diagnostic("RG104", "nesting too deep", Location(file))]) from None
    except yaml.YAMLError as exc:
        raise PackError([Diagnostic("RG101", f"not valid YAML: {exc}", Location(file))]) from None
    if walker.errors:
        raise PackError(walker.errors)
    return data, walker.source


def _position(text: str, offset: int, file: str) -> Location:
    """The 1-based line and column of character ``offset`` of ``text``."""
    before = text[:offset]
    line = before.count("\n") + 1
    return Location(file, line, offset - (before.rfind("\n") + 1) + 1)
