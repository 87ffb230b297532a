"""Pack YAML read with line:column marks: the text an expert wrote, validated into the model, with a
source map so that every later diagnostic can point at the line it is about."""

from .pack_source import PackSource, parse_pack, read_pack

__all__ = ["PackSource", "parse_pack", "read_pack"]
