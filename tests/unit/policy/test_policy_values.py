"""plain(): how pulumi-policy's property proxies and unknown values become plain data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi_policy.proxy import (
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
)

from pulumi_chatcomp.policy import UNKNOWN, plain


def test_the_sdk_proxy_raises_on_unknown_values_even_through_get_and_in(
    sdk_props: Callable[..., Any],
) -> None:
    # The behaviour `plain` exists for: reading an unknown through the SDK's proxy raises.
    props = sdk_props({"model": UNKNOWN_STRING_VALUE})
    with pytest.raises(UnknownValueError):
        props.get("model")
    with pytest.raises(UnknownValueError):
        _ = "model" in props


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        pytest.param(
            {"model": "gpt-4o-mini", "n": 2},
            {"model": "gpt-4o-mini", "n": 2.0},
            id="known-values-numbers-as-floats",
        ),
        pytest.param({"model": UNKNOWN_STRING_VALUE}, {"model": UNKNOWN}, id="unknown-string"),
        pytest.param({"n": UNKNOWN_NUMBER_VALUE}, {"n": UNKNOWN}, id="unknown-number"),
        pytest.param({"store": UNKNOWN_BOOLEAN_VALUE}, {"store": UNKNOWN}, id="unknown-bool"),
        pytest.param({"tools": UNKNOWN_ARRAY_VALUE}, {"tools": UNKNOWN}, id="unknown-array"),
        pytest.param(
            {"metadata": UNKNOWN_OBJECT_VALUE}, {"metadata": UNKNOWN}, id="unknown-object"
        ),
        pytest.param(
            {"messages": [{"role": "user", "content": UNKNOWN_STRING_VALUE}]},
            {"messages": [{"role": "user", "content": UNKNOWN}]},
            id="unknown-nested-in-list",
        ),
        pytest.param(
            {"messages": [UNKNOWN_OBJECT_VALUE, {"role": "user", "content": "hi"}]},
            {"messages": [UNKNOWN, {"role": "user", "content": "hi"}]},
            id="unknown-list-element",
        ),
    ],
)
def test_plain_copies_sdk_properties_and_marks_unknowns(
    props: dict[str, Any], expected: dict[str, Any], sdk_props: Callable[..., Any]
) -> None:
    assert plain(sdk_props(props)) == expected


def test_plain_marks_sentinels_in_plain_dicts_too() -> None:
    assert plain({"model": UNKNOWN_STRING_VALUE, "content": ["a"]}) == {
        "model": UNKNOWN,
        "content": ["a"],
    }
