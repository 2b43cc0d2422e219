"""max-output-tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi_policy import EnforcementLevel
from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE

from pulumi_chatcomp.policy import max_output_tokens_policy


@pytest.mark.parametrize(
    ("fields", "config", "expected"),
    [
        pytest.param({"max_completion_tokens": 4096}, None, None, id="at-default-limit"),
        pytest.param({"max_completion_tokens": 1000, "n": 4}, None, None, id="cap-times-n-ok"),
        pytest.param(
            {"max_completion_tokens": 2000, "n": 3},
            None,
            "max_completion_tokens x n = 2,000 x 3 = 6,000 output tokens, above the limit of "
            "4,096 output tokens",
            id="cap-times-n-over",
        ),
        pytest.param(
            {"max_completion_tokens": 5000},
            None,
            "max_completion_tokens x n = 5,000 x 1 = 5,000",
            id="cap-over",
        ),
        pytest.param(
            {"max_completion_tokens": None, "max_tokens": 8000},
            None,
            "max_tokens x n = 8,000 x 1",
            id="deprecated-max-tokens-counts",
        ),
        pytest.param(
            {"max_completion_tokens": 100, "max_tokens": 8000},
            None,
            None,
            id="max-completion-tokens-wins",
        ),
        pytest.param(
            {"max_completion_tokens": None},
            None,
            "neither max_completion_tokens nor max_tokens is set",
            id="no-cap",
        ),
        pytest.param(
            {"max_completion_tokens": 600, "n": 2},
            {"maxOutputTokens": 1000},
            "above the limit of 1,000 output tokens (policy config maxOutputTokens)",
            id="config-limit-lower",
        ),
        pytest.param(
            {"max_completion_tokens": 10000},
            {"maxOutputTokens": 20000},
            None,
            id="config-limit-higher",
        ),
    ],
)
def test_max_output_tokens(
    fields: dict[str, Any],
    config: dict[str, Any] | None,
    expected: str | None,
    run_resource: Callable[..., Any],
    completion: Callable[..., Any],
) -> None:
    outcome = run_resource(max_output_tokens_policy(), completion(**fields), config)
    if expected is None:
        assert outcome.violations == []
    else:
        assert len(outcome.violations) == 1
        assert expected in outcome.violations[0]


@pytest.mark.parametrize(
    ("fields", "unknown"),
    [
        pytest.param({"max_completion_tokens": UNKNOWN_NUMBER_VALUE}, "max_completion_tokens"),
        pytest.param({"n": UNKNOWN_NUMBER_VALUE}, "n"),
        pytest.param(
            {"max_completion_tokens": None, "max_tokens": UNKNOWN_NUMBER_VALUE}, "max_tokens"
        ),
    ],
)
def test_unknown_cap_or_n_is_left_for_the_update(
    fields: dict[str, Any],
    unknown: str,
    run_resource: Callable[..., Any],
    completion: Callable[..., Any],
) -> None:
    outcome = run_resource(max_output_tokens_policy(), completion(**fields))
    assert outcome.violations == []
    assert outcome.unknown_note is not None
    assert f"cannot check {unknown} during preview" in outcome.unknown_note


def test_constructor_argument_sets_the_default_limit(
    run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    policy = max_output_tokens_policy(max_output_tokens=100)
    assert len(run_resource(policy, completion(max_completion_tokens=500)).violations) == 1


def test_other_resource_types_are_ignored(run_resource: Callable[..., Any]) -> None:
    outcome = run_resource(max_output_tokens_policy(), {}, resource_type="random:index:Pet")
    assert outcome.violations == []


def test_default_enforcement_level_is_mandatory() -> None:
    assert max_output_tokens_policy().enforcement_level is EnforcementLevel.MANDATORY
