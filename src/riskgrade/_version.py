"""The library's version: one place, read by the package, the CLI and every explanation."""

__version__ = "0.1.0"
