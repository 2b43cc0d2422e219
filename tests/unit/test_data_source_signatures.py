"""The data sources are written out for type checkers; each is pinned to its row of
``core._functions``: its name, its arguments in order, and the result class of that row."""

from __future__ import annotations

import inspect
import typing

import pytest

from pulumi_chatcomp import data_sources
from pulumi_chatcomp.core._functions import FUNCTIONS, Function


def _answered(annotation: object) -> object:
    """The function the result class of a return annotation answers."""
    (result,) = typing.get_args(annotation) or (annotation,)
    return getattr(result, "_function", None)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
@pytest.mark.parametrize("form", ["", "_output"])
def test_each_data_source_takes_its_rows_arguments_and_returns_its_result(
    function: Function, form: str
) -> None:
    source = getattr(data_sources, f"{function.name}{form}")
    signature = inspect.signature(source, eval_str=True)
    assert [name for name in signature.parameters if name != "opts"] == list(function.names)
    assert _answered(signature.return_annotation) is function


def test_the_module_exports_every_function_and_its_result() -> None:
    exported = set(data_sources.__all__)
    for function in FUNCTIONS:
        result = inspect.signature(getattr(data_sources, function.name)).return_annotation
        assert {function.name, f"{function.name}_output", result} <= exported
