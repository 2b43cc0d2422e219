"""The native wrappers are written out for type checkers; each is pinned to the data source
of the same name (the same call shape), which tests/unit/test_data_sources.py pins to its row
of ``core._functions`` (its name, its arguments in order, and the result class of that row)."""

from __future__ import annotations

import inspect

import pytest

from pulumi_chatcomp import data_sources, native
from pulumi_chatcomp.core._functions import FUNCTIONS, Function
from pulumi_chatcomp.native import _functions


def test_the_module_wraps_every_function_and_no_other() -> None:
    assert sorted(_functions.__all__) == sorted(
        f"{function.name}{form}" for function in FUNCTIONS for form in ("", "_output")
    )


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
@pytest.mark.parametrize("form", ["", "_output"])
def test_each_wrapper_has_its_data_sources_call_shape(function: Function, form: str) -> None:
    # Both faces write the typed signature out (for IDEs); they must stay one call shape.
    name = f"{function.name}{form}"
    native_shape = inspect.signature(getattr(native, name), eval_str=True)
    dynamic_shape = inspect.signature(getattr(data_sources, name), eval_str=True)
    assert native_shape.parameters == dynamic_shape.parameters
    assert native_shape.return_annotation == dynamic_shape.return_annotation
