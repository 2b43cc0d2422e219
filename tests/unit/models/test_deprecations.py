"""Deprecated request fields still work, warn by default, and can be listed without warnings."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from pulumi_chatcomp.models import (
    ChatCompDeprecationWarning,
    ChatCompletionCreateParams,
    deprecated_fields,
)
from tests.unit.models.helpers import USER, request

DEPRECATED = [
    pytest.param({"max_tokens": 50}, "max_tokens", "max_completion_tokens", id="max_tokens"),
    pytest.param({"functions": [{"name": "f"}]}, "functions", "tools", id="functions"),
    pytest.param({"function_call": "auto"}, "function_call", "tool_choice", id="function_call"),
    pytest.param({"user": "user-1"}, "user", "safety_identifier", id="user"),
    pytest.param({"seed": 42}, "seed", "deterministic", id="seed"),
    pytest.param(
        {"prompt_cache_retention": "24h"},
        "prompt_cache_retention",
        "prompt_cache_options.ttl",
        id="prompt_cache_retention",
    ),
    pytest.param(
        {"messages": [USER, {"role": "function", "name": "f", "content": "42"}]},
        "messages[1].role",
        "role 'tool'",
        id="function-role",
    ),
    pytest.param(
        {"messages": [{"role": "assistant", "function_call": {"name": "f", "arguments": "{}"}}]},
        "messages[0].function_call",
        "tool_calls",
        id="assistant-function_call",
    ),
]


@pytest.mark.parametrize(("fields", "path", "instead"), DEPRECATED)
def test_deprecated_field_is_accepted_and_warns_naming_the_replacement(
    fields: dict[str, Any], path: str, instead: str
) -> None:
    with pytest.warns(ChatCompDeprecationWarning) as caught:
        params = ChatCompletionCreateParams.model_validate(request(**fields))
    (warning,) = caught
    assert str(warning.message).startswith(path)
    assert "deprecated" in str(warning.message)
    assert instead in str(warning.message)
    for name, value in fields.items():
        assert params.to_body()[name] == value


@pytest.mark.parametrize(("fields", "path", "instead"), DEPRECATED)
def test_deprecated_fields_lists_them_without_warning(
    fields: dict[str, Any], path: str, instead: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = deprecated_fields(request(**fields))
    assert [problem.path for problem in found] == [path]
    assert instead in found[0].message


def test_deprecated_fields_accepts_validated_params() -> None:
    params = ChatCompletionCreateParams.from_body(
        request(max_tokens=5, user="u"), warn_deprecated=False
    )
    assert [problem.path for problem in deprecated_fields(params)] == ["max_tokens", "user"]


def test_current_fields_are_not_reported() -> None:
    body = request(max_completion_tokens=5, safety_identifier="h", tools=[], tool_choice="auto")
    assert deprecated_fields(body) == []


def test_from_body_can_silence_the_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        params = ChatCompletionCreateParams.from_body(request(seed=1), warn_deprecated=False)
    assert params.seed == 1


def test_warning_is_shown_by_default() -> None:
    # FutureWarning, unlike DeprecationWarning, is not hidden outside __main__.
    assert issubclass(ChatCompDeprecationWarning, FutureWarning)
    with warnings.catch_warnings(record=True) as caught:
        warnings.resetwarnings()
        ChatCompletionCreateParams.model_validate(request(max_tokens=5))
    assert [type(warning.message) for warning in caught] == [ChatCompDeprecationWarning]
