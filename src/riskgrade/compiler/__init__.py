"""The compiler: a validated pack -> a frozen Program (named stages, every diagnostic collected),
and the loading of pack files and text into Programs."""

from .compile import STAGES, compile_pack
from .load import load_pack, load_packs, loads_pack, pack_files
from .program import Program

__all__ = ["STAGES", "Program", "compile_pack", "load_pack", "load_packs", "loads_pack", "pack_files"]
