"""``core._functions.FUNCTIONS`` is the one declaration of the package's functions: these
tests fail when a face, the schema, the API reference's paths or the results forget a row."""

from __future__ import annotations

import dataclasses
import json

import pytest

from pulumi_chatcomp.core._functions import BY_NAME, BY_TOKEN, FUNCTIONS, Function
from pulumi_chatcomp.core._names import PACKAGE
from pulumi_chatcomp.plugin._casing import SCHEMA_PATH, snake
from pulumi_chatcomp.plugin._docs import SPEC_PATHS
from pulumi_chatcomp.program import _records

SCHEMA = json.loads(SCHEMA_PATH.read_text())


def test_names_and_tokens_are_each_declared_once() -> None:
    assert len(BY_NAME) == len(BY_TOKEN) == len(FUNCTIONS)
    for function in FUNCTIONS:
        member = function.token.removeprefix(f"{PACKAGE}:index:")
        assert snake(member) == function.name  # Pulumi's convention: the token is its name


def test_the_schema_declares_every_function_and_no_other() -> None:
    assert set(SCHEMA["functions"]) == set(BY_TOKEN)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_the_schema_takes_the_arguments_of_the_row(function: Function) -> None:
    inputs = SCHEMA["functions"][function.token]["inputs"]
    assert [snake(name) for name in inputs["properties"]] == sorted(function.names)
    required = [argument.name for argument in function.arguments if argument.required]
    assert [snake(name) for name in inputs.get("required", [])] == required


def test_the_api_reference_has_a_path_for_every_function() -> None:
    assert set(SPEC_PATHS) == set(BY_NAME)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_one_result_class_answers_each_function(function: Function) -> None:
    answers = [
        cls
        for cls in vars(_records).values()
        if isinstance(cls, type) and getattr(cls, "_function", None) is function
    ]
    member = function.token.removeprefix(f"{PACKAGE}:index:")
    assert [cls.__name__ for cls in answers] == [f"{member[:1].upper()}{member[1:]}Result"]
    (answer,) = answers
    item = answer._items if function.listing is not None else answer.__mro__[1]
    assert item is not None and item.__name__ == function.result
    assert f"{PACKAGE}:index:{function.result}" in SCHEMA["types"]


@pytest.mark.parametrize("function", [f for f in FUNCTIONS if f.listing], ids=lambda f: f.name)
def test_a_list_echoes_each_argument_its_query_holds(function: Function) -> None:
    samples = {a.name: a.sample for a in function.arguments}
    query = function.check(**samples)
    assert [field.name for field in dataclasses.fields(query)] == list(function.names)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_each_required_argument_has_a_sample_that_checks(function: Function) -> None:
    for argument in function.arguments:
        assert (argument.sample is not None) == argument.required
    function.check(**{a.name: a.sample for a in function.arguments})
