"""The examples in the package's docstrings run and show what they claim.

Public objects carry a short ``>>>`` example; this runs every one with :mod:`doctest` so an
example cannot drift from the code. Examples that need a running server or engine are
marked ``# doctest: +SKIP`` where they are written; modules whose examples are all skipped
get no test here, rather than a test that checks nothing.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import pulumi_chatcomp

_FINDER = doctest.DocTestFinder(exclude_empty=True)


def _runnable(test: doctest.DocTest) -> int:
    return sum(1 for example in test.examples if not example.options.get(doctest.SKIP))


def _modules_with_examples() -> list[str]:
    names = [pulumi_chatcomp.__name__] + [
        info.name
        for info in pkgutil.walk_packages(pulumi_chatcomp.__path__, prefix="pulumi_chatcomp.")
        if not info.name.endswith(".__main__")  # running it would start a server
    ]
    return sorted(
        name
        for name in names
        if any(_runnable(test) for test in _FINDER.find(importlib.import_module(name)))
    )


@pytest.mark.parametrize("name", _modules_with_examples())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in _FINDER.find(module):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} example(s) of {name} failed (printed above)"
