"""``diff_inputs`` as a pure function: metadata updates in place, anything else replaces."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi.runtime.rpc import UNKNOWN

from pulumi_chatcomp.core._diff import InputDiff, diff_inputs
from pulumi_chatcomp.core._properties import INPUT_NAMES

OLD: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Say hello."}],
    "metadata": {"owner": "e2e"},
    "store": True,
    "temperature": 0.5,
    "triggers": {"run": "1"},
}
# What a prior state looks like: the inputs plus the answer's outputs.
STATE = {**OLD, "content": "Hello!", "completion_id": "chatcmpl-1", "__provider": "blob"}


@pytest.mark.parametrize(
    ("news", "changed", "replaces"),
    [
        pytest.param(OLD, (), (), id="unchanged"),
        pytest.param({**OLD, "metadata": {"owner": "x"}}, ("metadata",), (), id="metadata-value"),
        pytest.param({**OLD, "metadata": {}}, ("metadata",), (), id="metadata-cleared"),
        pytest.param(
            {k: v for k, v in OLD.items() if k != "metadata"},
            ("metadata",),
            (),
            id="metadata-removed",
        ),
        pytest.param({**OLD, "model": "gpt-4o"}, ("model",), ("model",), id="model"),
        pytest.param(
            {**OLD, "messages": [{"role": "user", "content": "Bye."}]},
            ("messages",),
            ("messages",),
            id="messages",
        ),
        pytest.param(
            {**OLD, "temperature": 0.7}, ("temperature",), ("temperature",), id="temperature"
        ),
        pytest.param(
            {**OLD, "triggers": {"run": "2"}}, ("triggers",), ("triggers",), id="triggers"
        ),
        pytest.param({**OLD, "store": False}, ("store",), ("store",), id="store"),
        pytest.param({**OLD, "seed": 7}, ("seed",), ("seed",), id="input-added"),
        pytest.param(
            {**OLD, "model": "gpt-4o", "metadata": {"owner": "x"}},
            ("metadata", "model"),
            ("model",),
            id="metadata-and-model",
        ),
        pytest.param(
            {**OLD, "temperature": UNKNOWN}, ("temperature",), ("temperature",), id="unknown"
        ),
        pytest.param(
            {**OLD, "metadata": {"owner": UNKNOWN}}, ("metadata",), (), id="unknown-metadata"
        ),
        pytest.param(
            {**OLD, "messages": [{"role": "user", "content": UNKNOWN}]},
            ("messages",),
            ("messages",),
            id="unknown-nested",
        ),
    ],
)
def test_diff(news: dict[str, Any], changed: tuple[str, ...], replaces: tuple[str, ...]) -> None:
    assert diff_inputs(STATE, news) == InputDiff(changed, replaces)


@pytest.mark.parametrize(
    ("olds", "news"),
    [
        pytest.param({"temperature": 2}, {"temperature": 2.0}, id="2-vs-2.0"),
        pytest.param({"n": 1.0}, {"n": 1}, id="1.0-vs-1"),
        pytest.param(
            {"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}]}], "seed": 3},
            {
                "messages": [{"role": "user", "content": [{"type": "text", "text": "x"}]}],
                "seed": 3.0,
            },
            id="nested-and-top-level",
        ),
        pytest.param({"store": True}, {}, id="absent-store-is-true"),
        pytest.param({}, {"store": True}, id="true-store-is-absent"),
        pytest.param({"metadata": {}}, {}, id="empty-metadata-is-absent"),
        pytest.param({"triggers": {}}, {}, id="empty-triggers-is-absent"),
        pytest.param({"seed": None}, {}, id="null-is-absent"),
        pytest.param({"content": "old answer"}, {}, id="outputs-ignored"),
    ],
)
def test_equal_values_are_no_change(olds: dict[str, Any], news: dict[str, Any]) -> None:
    assert diff_inputs(olds, news) == InputDiff((), ())


def test_absent_store_differs_from_false() -> None:
    assert diff_inputs({}, {"store": False}).replaces == ("store",)


def test_a_real_number_change_is_a_change() -> None:
    assert diff_inputs({"temperature": 1}, {"temperature": 1.5}).changed == ("temperature",)


# -- properties -------------------------------------------------------------------------------

JSON_LEAVES = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
)
JSON = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
PROPS = st.dictionaries(
    st.sampled_from(sorted(INPUT_NAMES)) | st.text(max_size=12), JSON, max_size=8
)


@settings(max_examples=200, deadline=None)
@given(PROPS)
def test_diff_with_itself_is_never_a_change(props: dict[str, Any]) -> None:
    assert diff_inputs(props, props) == InputDiff((), ())


@settings(max_examples=100, deadline=None)
@given(PROPS, PROPS)
def test_only_metadata_is_ever_updated_in_place(olds: dict[str, Any], news: dict[str, Any]) -> None:
    found = diff_inputs(olds, news)
    assert set(found.changed) - set(found.replaces) <= {"metadata"}
    assert set(found.replaces) <= INPUT_NAMES - {"metadata"}
    assert bool(found.changed) == (diff_inputs(news, olds).changed != ())
