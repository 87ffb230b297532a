"""The curated public API: every exported name is bound, and the docstring examples run."""

from __future__ import annotations

import doctest

import riskgrade
import riskgrade.api
import riskgrade.grading.options


def test_all_exports_are_bound_and_sorted():
    assert list(riskgrade.__all__) == sorted(riskgrade.__all__)
    for name in riskgrade.__all__:
        assert getattr(riskgrade, name) is not None


def test_errors_share_one_root_and_the_natural_builtin():
    assert issubclass(riskgrade.PackError, (riskgrade.RiskgradeError, ValueError))
    assert issubclass(riskgrade.InputError, ValueError) and issubclass(riskgrade.OutputError, OSError)


def test_docstring_examples_run():
    for module in (riskgrade, riskgrade.api, riskgrade.grading.options):
        failed, _ = doctest.testmod(module, extraglobs={"EXAMPLE_PACK": riskgrade.api.EXAMPLE_PACK,
                                                        "dt": __import__("datetime")})
        assert failed == 0
