"""sampling-bounds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi_policy import EnforcementLevel
from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE

from pulumi_chatcomp.policy import Bounds, sampling_bounds_policy


@pytest.mark.parametrize(
    ("fields", "config", "expected"),
    [
        pytest.param({}, None, [], id="unset-uses-api-default-1-inside-default-bounds"),
        pytest.param({"temperature": 0.2, "top_p": 0.9}, None, [], id="inside"),
        pytest.param({"temperature": 1}, None, [], id="at-maximum"),
        pytest.param(
            {"temperature": 1.5},
            None,
            ["temperature 1.5 is above the maximum 1 (policy config maxTemperature)"],
            id="temperature-over",
        ),
        pytest.param(
            {"temperature": 0.1},
            {"minTemperature": 0.3},
            ["temperature 0.1 is below the minimum 0.3 (policy config minTemperature)"],
            id="temperature-under-config-min",
        ),
        pytest.param(
            {"top_p": 0.5},
            {"minTopP": 0.8},
            ["top_p 0.5 is below the minimum 0.8 (policy config minTopP)"],
            id="top-p-under",
        ),
        pytest.param(
            {"temperature": 0.2},
            {"maxTopP": 0.9},
            [
                "top_p is not set, so the API default 1 applies, which is above the maximum "
                "0.9 (policy config maxTopP); set top_p explicitly"
            ],
            id="unset-top-p-default-over-config-max",
        ),
        pytest.param(
            {"temperature": 1.8, "top_p": 0.1},
            {"maxTemperature": 2, "minTopP": 0.5},
            ["top_p 0.1 is below the minimum 0.5 (policy config minTopP)"],
            id="config-widens-temperature",
        ),
    ],
)
def test_sampling_bounds(
    fields: dict[str, Any],
    config: dict[str, Any] | None,
    expected: list[str],
    run_resource: Callable[..., Any],
    completion: Callable[..., Any],
) -> None:
    outcome = run_resource(sampling_bounds_policy(), completion(**fields), config)
    assert outcome.violations == expected


def test_unknown_temperature_is_left_for_the_update_but_top_p_is_still_checked(
    run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    outcome = run_resource(
        sampling_bounds_policy(),
        completion(temperature=UNKNOWN_NUMBER_VALUE, top_p=0.01),
        {"minTopP": 0.5},
    )
    assert outcome.violations == ["top_p 0.01 is below the minimum 0.5 (policy config minTopP)"]
    assert outcome.unknown_note is not None
    assert "cannot check temperature during preview" in outcome.unknown_note


def test_constructor_arguments_set_the_default_bounds(
    run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    policy = sampling_bounds_policy(temperature=Bounds(0.0, 0.5))
    assert len(run_resource(policy, completion(temperature=0.7)).violations) == 1


def test_default_enforcement_level_is_advisory() -> None:
    assert sampling_bounds_policy().enforcement_level is EnforcementLevel.ADVISORY
