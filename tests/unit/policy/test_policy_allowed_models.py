"""allowed-models."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi_policy import EnforcementLevel
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from pulumi_chatcomp.policy import allowed_models_policy, check_allowed_models


@pytest.mark.parametrize(
    ("model", "config", "allowed"),
    [
        pytest.param("gpt-4o-mini", None, True, id="default-list-exact-family"),
        pytest.param("gpt-4o-mini-2024-07-18", None, True, id="default-list-snapshot"),
        pytest.param("gpt-4o", None, False, id="default-list-bigger-model"),
        pytest.param("o3", None, False, id="default-list-reasoning-model"),
        pytest.param("gpt-4.1", {"allowedModels": ["gpt-4.1*"]}, True, id="config-pattern"),
        pytest.param(
            "gpt-4.1-mini-2025-04-14", {"allowedModels": ["gpt-4.1*"]}, True, id="config-prefix"
        ),
        pytest.param("gpt-4o-mini", {"allowedModels": ["gpt-4.1*"]}, False, id="config-replaces"),
        pytest.param("gpt-4o", {"allowedModels": ["gpt-4o"]}, True, id="config-exact"),
        pytest.param("gpt-4o-2024", {"allowedModels": ["gpt-4o"]}, False, id="exact-not-prefix"),
        pytest.param("gpt-4o-mini", {"allowedModels": []}, False, id="empty-list-allows-none"),
    ],
)
def test_allowed_models_honours_the_configured_list(
    model: str,
    config: dict[str, Any] | None,
    allowed: bool,
    run_resource: Callable[..., Any],
    completion: Callable[..., Any],
) -> None:
    outcome = run_resource(allowed_models_policy(), completion(model=model), config)
    assert (outcome.violations == []) is allowed
    assert outcome.unknown_note is None
    if not allowed:
        assert f"model {model!r} is not allowed" in outcome.violations[0]
        assert "allowedModels" in outcome.violations[0]


def test_constructor_argument_sets_the_default_list(
    run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    policy = allowed_models_policy(allowed_models=["gpt-4o"])
    assert run_resource(policy, completion(model="gpt-4o")).violations == []
    assert len(run_resource(policy, completion(model="gpt-4o-mini")).violations) == 1


def test_missing_model_is_reported() -> None:
    assert check_allowed_models({}, allowed=["gpt-4o-mini"]).violations == [
        "model is not set; use a model matching one of: gpt-4o-mini (policy config allowedModels)"
    ]


def test_unknown_model_is_left_for_the_update(
    run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    outcome = run_resource(allowed_models_policy(), completion(model=UNKNOWN_STRING_VALUE))
    assert outcome.violations == []
    assert outcome.unknown_note is not None
    assert "cannot check model during preview" in outcome.unknown_note


def test_other_resource_types_are_ignored(run_resource: Callable[..., Any]) -> None:
    outcome = run_resource(
        allowed_models_policy(), {"model": "gpt-4o"}, resource_type="aws:s3/bucket:Bucket"
    )
    assert outcome.violations == []


def test_default_enforcement_level_is_mandatory() -> None:
    assert allowed_models_policy().enforcement_level is EnforcementLevel.MANDATORY
