"""Uploaded entity files, streamed into a folder the service owns: from ``multipart/form-data`` (the
workbench's forms) or a raw body whose type names the format. The body limit is enforced while
reading (``limits.Limits``); the time to send it is bounded by the caller."""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.exceptions import HTTPException
from starlette.requests import Request

from .problems import Problem

# Media types a raw body may have, and the extension the reader recognises the format by.
MEDIA_FORMATS = {
    "text/csv": ".csv", "text/tab-separated-values": ".tsv", "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl", "application/vnd.apache.parquet": ".parquet",
    "application/x-parquet": ".parquet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
EXTENSIONS = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet", ".pq", ".xlsx")
MAX_FIELD = 64 * 1024
MAX_FILES = 4


@dataclass
class Upload:
    """Files (by form field name) saved under the service's folder, and the text fields of a form."""

    files: dict[str, Path] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # field -> the file name the client gave
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        for path in self.files.values():
            path.unlink(missing_ok=True)


class Workdir:
    """A private folder for uploads and results, removed when the service stops."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="riskgrade-serve-")
        self.path = Path(self._tmp.name)
        os.chmod(self.path, 0o700)

    def new_file(self, suffix: str) -> Path:
        if suffix not in EXTENSIONS and suffix not in (".yaml", ".json", ".xlsx", ".md"):
            raise ValueError(suffix)
        return self.path / f"{uuid.uuid4().hex}{suffix}"

    def close(self) -> None:
        self._tmp.cleanup()


def suffix_for(filename: str | None, media_type: str | None = None, format: str | None = None) -> str:
    """The extension to save an upload under: from ``format``, the file name, or the media type."""
    if format:
        ext = "." + format.lower().lstrip(".")
        if ext in EXTENSIONS:
            return ext
        raise Problem(415, "RG705", f"unknown format {format!r}; use csv, tsv, jsonl, parquet or xlsx")
    ext = os.path.splitext(filename or "")[1].lower()
    if ext in EXTENSIONS:
        return ext
    if media_type in MEDIA_FORMATS:
        return MEDIA_FORMATS[media_type]
    raise Problem(415, "RG705", f"cannot tell the format of {filename or 'the upload'!r} "
                                f"({media_type or 'no media type'}); send .csv, .tsv, .jsonl, .parquet or .xlsx, "
                                "or give ?format=")


async def save_raw(request: Request, workdir: Workdir, suffix: str) -> Path:
    path = workdir.new_file(suffix)
    with open(path, "wb") as out:
        async for chunk in request.stream():
            out.write(chunk)
    return path


async def save_form(request: Request, workdir: Workdir, *, yaml_fields: tuple[str, ...] = ()) -> Upload:
    """Every file part saved (those named in ``yaml_fields``, packs and mappings, as ``.yaml``), every
    text part kept."""
    ctype, opts = parse_options_header(request.headers.get("content-type", ""))
    boundary = opts.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise Problem(415, "RG705", "expected multipart/form-data with a boundary")
    upload = Upload()
    state: dict[str, Any] = {"headers": {}, "name": None, "file": None, "text": None, "header": b"", "skip": False}

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["header"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["headers"][state["header"].lower()] = state["headers"].get(state["header"].lower(), b"") + \
            data[start:end]

    def on_header_end() -> None:
        state["header"] = b""

    def on_headers_finished() -> None:
        _, disp = parse_options_header(state["headers"].get(b"content-disposition", b""))
        name = disp.get(b"name", b"").decode("utf-8", "replace")
        state["name"] = name
        if disp.get(b"filename") == b"":  # a file input left empty: browsers send it with no name
            state["skip"] = True
        elif b"filename" in disp:
            if len(upload.files) >= MAX_FILES:
                raise Problem(400, "RG709", f"a form may carry at most {MAX_FILES} files")
            filename = disp[b"filename"].decode("utf-8", "replace")
            suffix = ".yaml" if name in yaml_fields else suffix_for(
                filename, state["headers"].get(b"content-type", b"").decode("latin-1") or None)
            path = workdir.new_file(suffix)
            upload.files[name], upload.names[name] = path, _plain_name(filename)
            state["file"] = open(path, "wb")
        else:
            state["text"] = bytearray()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state["skip"]:
            return
        if state["file"] is not None:
            state["file"].write(data[start:end])
        else:
            state["text"] += data[start:end]
            if len(state["text"]) > MAX_FIELD:
                raise Problem(413, "RG702", f"form field {state['name']!r} is longer than {MAX_FIELD} bytes")

    def on_part_end() -> None:
        if state["file"] is not None:
            state["file"].close()
        elif state["text"] is not None:
            upload.fields[state["name"]] = state["text"].decode("utf-8", "replace")
        state.update(headers={}, name=None, file=None, text=None, skip=False)

    parser = MultipartParser(boundary, {
        "on_header_field": on_header_field, "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished, "on_part_data": on_part_data, "on_part_end": on_part_end})
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except (Problem, HTTPException):
        upload.discard()
        raise
    except Exception as exc:  # the parser's own errors: a malformed form
        upload.discard()
        raise Problem(400, "RG709", f"malformed multipart/form-data: {exc}") from None
    finally:
        if state["file"] is not None:
            state["file"].close()
    return upload


def _plain_name(filename: str) -> str:
    """A client's file name for display only: no folders, no control characters."""
    return re.sub(r"[\x00-\x1f/\\]", "_", os.path.basename(filename.replace("\\", "/")))[:200] or "upload"
