"""The compiler: a validated pack -> a frozen Program (named stages, every diagnostic collected)."""

from .compile import STAGES, compile_pack
from .program import Program

__all__ = ["STAGES", "Program", "compile_pack"]
