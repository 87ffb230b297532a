"""The pack model: what expert panels write, validated, with no evaluation code."""

from .common import LocalText
from .controls import Controls, Measure
from .examples import Example, Expectation
from .fields import FieldSpec, ItemField, Parameter
from .fixes import Fix
from .inspection import Campaign, Inspection, Modifier
from .levels import Level
from .lifecycle import Lifecycle
from .pack import BasisDoc, Derived, DerivedGroups, Pack
from .rules import Rule
from .scoring import Score, ScoreBand
from .tables import Band, BandedTable, KeyedTable

__all__ = [
    "Band", "BandedTable", "BasisDoc", "Campaign", "Controls", "Derived", "DerivedGroups", "Example", "Expectation",
    "FieldSpec", "Fix", "Inspection", "ItemField", "KeyedTable", "Level", "Lifecycle", "LocalText", "Measure",
    "Modifier", "Pack", "Parameter", "Rule", "Score", "ScoreBand",
]
