"""required-metadata and store-required."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi_policy import EnforcementLevel
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_OBJECT_VALUE, UNKNOWN_STRING_VALUE

from pulumi_chatcomp.policy import required_metadata_policy, store_required_policy


@pytest.mark.parametrize(
    ("metadata", "config", "missing"),
    [
        pytest.param({"owner": "ml", "purpose": "evals"}, None, None, id="all-present"),
        pytest.param(None, None, "keys owner, purpose", id="no-metadata"),
        pytest.param({"owner": "ml"}, None, "key purpose", id="one-missing"),
        pytest.param({"owner": "ml", "purpose": "  "}, None, "key purpose", id="blank-value"),
        pytest.param(
            {"owner": "ml", "purpose": UNKNOWN_STRING_VALUE}, None, None, id="unknown-value-present"
        ),
        pytest.param(
            {"owner": "ml", "purpose": "x"},
            {"requiredKeys": ["owner", "cost-center"]},
            "key cost-center",
            id="config-keys",
        ),
        pytest.param({}, {"requiredKeys": []}, None, id="config-none-required"),
    ],
)
def test_required_metadata(
    metadata: dict[str, Any] | None,
    config: dict[str, Any] | None,
    missing: str | None,
    run_resource: Callable[..., Any],
    completion: Callable[..., Any],
) -> None:
    outcome = run_resource(required_metadata_policy(), completion(metadata=metadata), config)
    assert outcome.unknown_note is None
    if missing is None:
        assert outcome.violations == []
    else:
        assert len(outcome.violations) == 1
        assert (
            f"metadata is missing the required {missing} (policy config requiredKeys)"
            in (outcome.violations[0])
        )


def test_unknown_metadata_is_left_for_the_update(
    run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    outcome = run_resource(required_metadata_policy(), completion(metadata=UNKNOWN_OBJECT_VALUE))
    assert outcome.violations == []
    assert outcome.unknown_note is not None
    assert "cannot check metadata during preview" in outcome.unknown_note


@pytest.mark.parametrize(
    ("store", "violates"),
    [
        pytest.param(None, False, id="absent-defaults-to-true"),
        pytest.param(True, False, id="true"),
        pytest.param(False, True, id="false"),
    ],
)
def test_store_required(
    store: bool | None,
    violates: bool,
    run_resource: Callable[..., Any],
    completion: Callable[..., Any],
) -> None:
    outcome = run_resource(store_required_policy(), completion(store=store))
    assert bool(outcome.violations) is violates
    if violates:
        assert outcome.violations[0].startswith("store is false")


def test_unknown_store_is_left_for_the_update(
    run_resource: Callable[..., Any], completion: Callable[..., Any]
) -> None:
    outcome = run_resource(store_required_policy(), completion(store=UNKNOWN_BOOLEAN_VALUE))
    assert outcome.violations == []
    assert outcome.unknown_note is not None
    assert "cannot check store during preview" in outcome.unknown_note


@pytest.mark.parametrize(
    ("policy", "level"),
    [
        pytest.param(required_metadata_policy(), EnforcementLevel.ADVISORY, id="required-metadata"),
        pytest.param(store_required_policy(), EnforcementLevel.MANDATORY, id="store-required"),
    ],
)
def test_default_enforcement_levels(policy: Any, level: EnforcementLevel) -> None:
    assert policy.enforcement_level is level


@pytest.mark.parametrize(
    "policy",
    [
        pytest.param(required_metadata_policy(), id="metadata"),
        pytest.param(store_required_policy(), id="store"),
    ],
)
def test_other_resource_types_are_ignored(policy: Any, run_resource: Callable[..., Any]) -> None:
    outcome = run_resource(policy, {"store": False}, resource_type="aws:s3/bucket:Bucket")
    assert outcome.violations == []
