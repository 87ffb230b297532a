"""JSON Lines entity files: one JSON object per line, streamed line by line.

Blank lines are skipped; a line that is not valid JSON, or holds something other than an object,
is a :class:`SourceReject` with its line number and the other lines are read as usual.

A line is also rejected when its values nest deeper than ``MAX_DEPTH`` (an entity is a record
with lists of records, not a tower of brackets) or hold an integer too long to read (Python refuses
integers of more than 4,300 digits): one hostile line costs its row, never the file.

``NaN``, ``Infinity`` and ``-Infinity`` are not JSON, though Python's ``json`` module writes them;
they are kept as the text they are, so that a number field reports the cell ("not a finite
number") instead of Arrow quietly reading NaN as a missing value.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..table.chunks import RawChunk
from .read_base import EntitySource, text_encoding
from .read_records import RowBatcher

MAX_DEPTH = 64  # nesting of objects and arrays on one line, the same bound as in rule packs
_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number",
               bool: "a boolean", type(None): "null"}


class JsonlSource(EntitySource):
    """A JSON Lines file read in chunks of ``chunk_rows`` objects; row numbers are line numbers.

    The file must be in an ASCII-compatible encoding (UTF-8 unless ``encoding`` says otherwise)
    because lines are split on the newline byte before decoding: a bad line then costs one row.
    """

    format = "jsonl"

    def __init__(self, path: Path, *, encoding: str | None = None, chunk_rows: int = 65536) -> None:
        super().__init__(str(path), chunk_rows)
        self.path = path
        self.encoding = text_encoding(encoding or "utf-8", self.name)
        if "\n".encode(self.encoding, "replace") != b"\n":
            raise InputError(f"JSON Lines are split at the newline byte, which {self.encoding} text does not "
                             "use; save the file as UTF-8", file=self.name)
        self._refuse_json_array()

    def _refuse_json_array(self) -> None:
        """A whole-file JSON array would otherwise come out as one puzzling reject per line."""
        with open(self.path, "rb") as f:
            head = f.read(4096).lstrip(codecs.BOM_UTF8 + b" \t\r\n")
        if head.startswith(b"["):
            raise InputError("the file is one JSON array, not JSON Lines; write one {...} object "
                             "per line, or load the array with json.load and pass the list",
                             file=self.name)

    def _chunks(self) -> Iterator[RawChunk]:
        batcher = RowBatcher(self.chunk_rows, self.name)
        with open(self.path, "rb") as f:
            for number, raw in enumerate(f, start=1):
                row = self._parse(raw, number)
                if row is None:
                    continue
                chunk = batcher.add(row, number)
                if chunk is not None:
                    yield chunk
        chunk = batcher.flush()
        if chunk is not None:
            yield chunk

    def _parse(self, raw: bytes, number: int) -> dict[str, Any] | None:
        """The object on one line, or None (blank line, or rejected with a reason)."""
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            text = raw.decode(self.encoding)
        except UnicodeError:
            self._reject(number, f"line is not valid {self.encoding} text; save the file as "
                                 "UTF-8 or pass its encoding")
            return None
        if not text.strip():
            return None
        try:
            value = json.loads(text, parse_constant=str)
        except json.JSONDecodeError as exc:
            self._reject(number, f"line is not valid JSON ({exc.msg} at column {exc.colno}); "
                                 "fix or remove the line")
            return None
        except RecursionError:
            self._reject(number, f"line nests objects or arrays deeper than {MAX_DEPTH} levels; "
                                 "an entity is one object of fields (lists of records at most)")
            return None
        except ValueError:  # Python reads integers of at most 4,300 digits
            self._reject(number, "line holds a number of thousands of digits, which no field can use; "
                                 "fix or remove the line")
            return None
        if _deeper_than(value, MAX_DEPTH, text):
            self._reject(number, f"line nests objects or arrays deeper than {MAX_DEPTH} levels; "
                                 "an entity is one object of fields (lists of records at most)")
            return None
        if not isinstance(value, dict):
            kind = _JSON_KINDS.get(type(value), type(value).__name__)
            self._reject(number, f"line holds {kind}, not an object; each line must be one "
                                 "{...} object describing one entity")
            return None
        return value


def _deeper_than(value: Any, limit: int, text: str) -> bool:
    """Whether objects and arrays nest more than ``limit`` levels (walked without recursion, and
    only when the line has that many brackets at all)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))
    return False
