"""Rectification plans (整改方案): for an entity and a target level, the cheapest set of the fixes its
pack declares whose application grades it at the target or better — or why no set can.

The search grades fixed variants of the entity with the batch engine (``search``), so vetoes, bands,
raises and lowers and derived values count exactly as they do in a grade; a bound computed with the
same score methods and precedence (``bound``) recognises a target out of reach and names the findings
that stand in the way. ``run`` advises whole registries chunk by chunk.
"""

from .results import ADVICE_SCHEMA, Advice, AdvisedFix, Blocker, advice_table
from .run import AdviceResult, Advisor, advise_into, advise_source, check_target
from .search import MAX_SETS
from .summaries import read_summaries, summaries

__all__ = ["ADVICE_SCHEMA", "Advice", "AdviceResult", "AdvisedFix", "Advisor", "Blocker", "MAX_SETS",
           "advice_table", "advise_into", "advise_source", "check_target", "read_summaries", "summaries"]
