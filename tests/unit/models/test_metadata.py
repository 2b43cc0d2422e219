"""validate_metadata: the API's limits on metadata, with reserved keys counted."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_chatcomp.models import (
    METADATA_KEY_MAX,
    METADATA_MAX_PAIRS,
    METADATA_VALUE_MAX,
    FieldProblem,
    validate_metadata,
)


def test_limits_are_the_api_limits() -> None:
    assert (METADATA_MAX_PAIRS, METADATA_KEY_MAX, METADATA_VALUE_MAX) == (16, 64, 512)


@pytest.mark.parametrize(
    ("metadata", "reserved"),
    [
        pytest.param(None, 0, id="none"),
        pytest.param({}, 16, id="empty-with-all-reserved"),
        pytest.param({f"k{i}": "v" for i in range(16)}, 0, id="16-pairs"),
        pytest.param({f"k{i}": "v" for i in range(15)}, 1, id="15-pairs-plus-reserved"),
        pytest.param({"k" * 64: "v" * 512}, 0, id="longest-key-and-value"),
        pytest.param({"": ""}, 0, id="empty-key-and-value"),
    ],
)
def test_metadata_within_limits_has_no_problems(
    metadata: dict[str, Any] | None, reserved: int
) -> None:
    assert validate_metadata(metadata, reserved_pairs=reserved) == []


def test_reserved_pairs_count_against_the_limit() -> None:
    metadata = {f"k{i}": "v" for i in range(16)}
    assert validate_metadata(metadata, reserved_pairs=1) == [
        FieldProblem(
            "metadata",
            "metadata has 16 pairs and 1 more are reserved by pulumi-chatcomp;"
            " at most 16 are allowed",
        )
    ]


def test_every_problem_is_listed() -> None:
    metadata: dict[str, Any] = {f"k{i}": "v" for i in range(16)}
    metadata["note"] = "v" * 513
    metadata["count"] = 3
    metadata["k" * 65] = "v"
    problems = validate_metadata(metadata)
    assert [problem.path for problem in problems] == [
        "metadata",
        'metadata["note"]',
        'metadata["count"]',
        f'metadata["{"k" * 65}"]',
    ]


def test_values_are_measured_not_echoed() -> None:
    secret = "s3cr3t-" * 80
    (problem,) = validate_metadata({"token": secret})
    assert secret not in problem.message
    assert str(len(secret)) in problem.message


def test_non_mapping_is_refused() -> None:
    assert validate_metadata(["a"]) == [  # type: ignore[arg-type]
        FieldProblem("metadata", "metadata must be a map of strings to strings")
    ]
