"""``ChatCompletionArgs`` and ``ChatCompletionBase`` are written out for readers and type
checkers; these tests pin them to the homes of what they declare: the request model's
fields (names, order, which are required, and the JSON kinds each takes) and the outputs of
``core._names``."""

from __future__ import annotations

import collections.abc
import dataclasses
import inspect
import types
import typing
from collections.abc import Awaitable
from typing import Any

import pytest

from pulumi_chatcomp.core._names import (
    OUTPUT_NAMES,
    READ_BACK_NAMES,
    REQUIRED_OUTPUT_NAMES,
)
from pulumi_chatcomp.core._properties import INPUT_NAMES
from pulumi_chatcomp.models import ChatCompletionCreateParams
from pulumi_chatcomp.program import _completion
from pulumi_chatcomp.program._completion import (
    ChatCompletionArgs,
    ChatCompletionBase,
    completion_props,
)

ARGS = {field.name: field for field in dataclasses.fields(ChatCompletionArgs)}
REQUEST = ChatCompletionCreateParams.model_json_schema()
# Evaluated here, not by typing.get_type_hints: pulumi.Input holds an unresolvable
# forward reference to its Output form, which the kinds below leave out anyway.
HINTS = {
    name: eval(annotation, vars(_completion))
    for name, annotation in inspect.get_annotations(ChatCompletionArgs).items()
}

_JSON_KINDS = {str: "string", bool: "boolean", int: "integer", float: "number"}


def test_the_args_are_the_request_fields_in_order_then_triggers() -> None:
    assert list(ARGS) == [*ChatCompletionCreateParams.model_fields, "triggers"]
    assert set(ARGS) == INPUT_NAMES


def test_the_args_require_what_the_request_requires() -> None:
    required = {name for name, field in ARGS.items() if field.default is dataclasses.MISSING}
    assert required == {
        name for name, info in ChatCompletionCreateParams.model_fields.items() if info.is_required()
    }


def _request_kinds(node: dict[str, Any]) -> set[str]:
    if "$ref" in node:
        return {"object"}
    branches = node.get("anyOf") or node.get("oneOf")
    if branches:
        return set().union(*(_request_kinds(branch) for branch in branches))
    kind = node.get("type")
    if kind == "null":
        return set()
    return {kind} if kind else {"any"}


def _args_kinds(hint: Any) -> set[str]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_args_kinds(arg) for arg in typing.get_args(hint)))
    if hint is type(None) or isinstance(hint, typing.ForwardRef) or origin is Awaitable:
        return set()  # an Input's other forms, and the default
    if hint in _JSON_KINDS:
        return {_JSON_KINDS[hint]}
    if inspect.isclass(origin) and issubclass(origin, collections.abc.Mapping):
        return {"object"}
    if inspect.isclass(origin) and issubclass(origin, collections.abc.Sequence):
        return {"array"}
    return {"any"}


@pytest.mark.parametrize("name", sorted(ChatCompletionCreateParams.model_fields))
def test_each_arg_takes_the_json_kinds_of_its_request_field(name: str) -> None:
    wanted = _request_kinds(REQUEST["properties"][name])
    assert _args_kinds(HINTS[name]) == wanted


def test_the_declared_outputs_are_the_computed_outputs_and_the_inputs_read_back() -> None:
    declared = set(inspect.get_annotations(ChatCompletionBase))
    assert declared == {*OUTPUT_NAMES, *READ_BACK_NAMES}
    assert set(READ_BACK_NAMES) <= INPUT_NAMES
    assert set(REQUIRED_OUTPUT_NAMES) <= declared


def test_the_registered_properties_hold_every_declared_output() -> None:
    props, _ = completion_props(
        "c", [], {"model": "m", "messages": [{"role": "user", "content": "hi"}]}, False
    )
    assert set(inspect.get_annotations(ChatCompletionBase)) <= set(props)
