"""Score methods and interval arithmetic, each in one place for every engine.

Importing the package registers every engine's implementation of every declared score method
(``combine``: numpy, for the batch engine; ``plain``: the reference engine; ``source``: Python source
for the compiled engine; ``bounds``: the linter),
so ``methods.implementation`` finds them whichever module asks first.
"""

from . import bounds, combine, plain, source
from .methods import ENGINES, declaration, implementation, implements, missing_implementations

__all__ = ["ENGINES", "bounds", "combine", "declaration", "implementation", "implements",
           "missing_implementations", "plain", "source"]
