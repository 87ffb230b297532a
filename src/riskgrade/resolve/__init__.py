"""Resolve: what a registry calls things -> what the packs declare (headers, values, a mapping file),
reported before grading. See ``resolver.Resolver``."""

from .builtin import BUILTIN_NAMES, CARRIED_ZH, DEFAULT_CARRIED, ENTITY_ID
from .headers import ColumnMatch, ColumnPlan
from .report import AbsentField, ColumnReport, PackColumns
from .resolver import Resolver

__all__ = ["AbsentField", "BUILTIN_NAMES", "CARRIED_ZH", "ColumnMatch", "ColumnPlan", "ColumnReport",
           "DEFAULT_CARRIED", "ENTITY_ID", "PackColumns", "Resolver"]
