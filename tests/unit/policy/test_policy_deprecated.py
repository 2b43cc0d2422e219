"""no-deprecated-parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi_policy import EnforcementLevel
from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE, UNKNOWN_NUMBER_VALUE, UNKNOWN_STRING_VALUE

from pulumi_chatcomp.policy import no_deprecated_parameters_policy

FUNCTION_MESSAGE = {"role": "function", "name": "lookup", "content": "42"}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({}, [], id="compliant"),
        pytest.param(
            {"functions": [{"name": "lookup"}]},
            ["functions is deprecated; use tools instead"],
            id="functions",
        ),
        pytest.param(
            {"function_call": "auto"},
            ["function_call is deprecated; use tool_choice instead"],
            id="function-call",
        ),
        pytest.param(
            {"max_completion_tokens": None, "max_tokens": 100},
            ["max_tokens is deprecated; use max_completion_tokens instead"],
            id="max-tokens",
        ),
        pytest.param(
            {"user": "u-1"},
            ["user is deprecated; use safety_identifier (and prompt_cache_key"],
            id="user",
        ),
        pytest.param({"seed": 7}, ["seed is deprecated; remove it"], id="seed"),
        pytest.param({"seed": UNKNOWN_NUMBER_VALUE}, ["seed is deprecated"], id="unknown-but-set"),
        pytest.param(
            {"messages": [{"role": "user", "content": "q"}, FUNCTION_MESSAGE]},
            ['messages[1] has the deprecated role "function"'],
            id="function-role-message",
        ),
        pytest.param(
            {
                "messages": [
                    {"role": "user", "content": "q"},
                    {"role": "assistant", "function_call": {"name": "f", "arguments": "{}"}},
                ]
            },
            ["messages[1].function_call is deprecated; use tool_calls instead"],
            id="assistant-function-call",
        ),
    ],
)
def test_each_deprecated_field_is_reported(
    fields: dict[str, Any],
    expected: list[str],
    run_resource: Callable[..., Any],
    completion: Callable[..., Any],
) -> None:
    outcome = run_resource(no_deprecated_parameters_policy(), completion(**fields))
    assert len(outcome.violations) == len(expected)
    for message, start in zip(outcome.violations, expected, strict=True):
        assert message.startswith(start)


@pytest.mark.parametrize(
    ("fields", "allowed"),
    [
        pytest.param({"seed": 7}, ["seed"], id="seed"),
        pytest.param(
            {"messages": [{"role": "user", "content": "q"}, FUNCTION_MESSAGE]},
            ["function_messages"],
            id="function-messages",
        ),
    ],
)
def test_config_allowed_tolerates_fields(
    fields: dict[str, Any],
    allowed: list[str],
    run_resource: Callable[..., Any],
    completion: Callable[..., Any],
) -> None:
    policy = no_deprecated_parameters_policy()
    assert run_resource(policy, completion(**fields)).violations != []
    assert run_resource(policy, completion(**fields), {"allowed": allowed}).violations == []


@pytest.mark.parametrize(
    ("messages", "unknown"),
    [
        pytest.param(UNKNOWN_ARRAY_VALUE, "messages", id="whole-list"),
        pytest.param(
            [{"role": UNKNOWN_STRING_VALUE, "content": "q"}], "messages[0].role", id="role"
        ),
    ],
)
def test_unknown_messages_are_left_for_the_update(
    messages: Any,
    unknown: str,
    run_resource: Callable[..., Any],
    completion: Callable[..., Any],
) -> None:
    outcome = run_resource(no_deprecated_parameters_policy(), completion(messages=messages))
    assert outcome.violations == []
    assert outcome.unknown_note is not None
    assert f"cannot check {unknown} during preview" in outcome.unknown_note


def test_default_enforcement_level_is_advisory() -> None:
    assert no_deprecated_parameters_policy().enforcement_level is EnforcementLevel.ADVISORY
