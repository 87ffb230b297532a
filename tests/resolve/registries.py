"""The Chinese registries of the tests are made by the script that makes the committed example
(tools/chinese_registry.py), from the English example registries."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("chinese_registry", ROOT / "tools" / "chinese_registry.py")
chinese_registry = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(chinese_registry)  # type: ignore[union-attr]

EXAMPLES = chinese_registry.EXAMPLES
REGISTRIES = chinese_registry.REGISTRIES
write_chinese_registry = chinese_registry.write_chinese_registry
