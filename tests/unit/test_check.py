"""``check_inputs`` as a pure function: every problem names the property, nothing raises."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi.runtime.rpc import UNKNOWN

from pulumi_chatcomp._check import check_inputs
from pulumi_chatcomp._client import IDEMPOTENCY_METADATA_KEY
from pulumi_chatcomp._properties import ADOPT_NAME, INPUT_NAMES, OUTPUT_NAMES

MESSAGES = [{"role": "user", "content": "Say hello."}]
VALID: dict[str, Any] = {"model": "gpt-4o-mini", "messages": MESSAGES}
KNOWN_NAMES = INPUT_NAMES | set(OUTPUT_NAMES) | {"__provider", ADOPT_NAME}
_TOP = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*")


def _pairs(count: int) -> dict[str, str]:
    return {f"k{i}": "v" for i in range(count)}


def _paths(news: dict[str, Any]) -> list[str]:
    return [problem.path for problem in check_inputs(news)[1]]


def names_a_property(path: str, given: set[str]) -> bool:
    """Whether a failure path is a given property's name (unknown names are reported as
    they are) or a path starting with a known one (``messages[0].role``)."""
    match = _TOP.match(path)
    return path in given or (match is not None and match[0] in KNOWN_NAMES)


@pytest.mark.parametrize(
    ("news", "path", "words"),
    [
        pytest.param(
            {**VALID, "temperature": 2.5}, "temperature", "between 0 and 2", id="temp-high"
        ),
        pytest.param(
            {**VALID, "temperature": -0.1}, "temperature", "between 0 and 2", id="temp-low"
        ),
        pytest.param({**VALID, "temperature": "hot"}, "temperature", "temperature", id="temp-text"),
        pytest.param({**VALID, "top_p": 1.5}, "top_p", "between 0 and 1", id="top-p"),
        pytest.param({**VALID, "n": 0}, "n", "between 1 and 128", id="n-zero"),
        pytest.param(
            {**VALID, "metadata": _pairs(17)}, "metadata", "at most 16", id="metadata-17-pairs"
        ),
        pytest.param(
            # The provider adds its idempotency key at create: 16 user pairs make 17.
            {**VALID, "metadata": _pairs(16)},
            "metadata",
            "reserved by pulumi-chatcomp",
            id="metadata-16-pairs-plus-reserved",
        ),
        pytest.param(
            {**VALID, "metadata": {IDEMPOTENCY_METADATA_KEY: "mine"}},
            f"metadata.{IDEMPOTENCY_METADATA_KEY}",
            "reserved",
            id="reserved-key",
        ),
        pytest.param(
            {**VALID, "metadata": {"k" * 65: "v"}},
            f'metadata["{"k" * 65}"]',
            "at most 64",
            id="metadata-key-too-long",
        ),
        pytest.param(
            {**VALID, "metadata": {"k": "v" * 513}},
            'metadata["k"]',
            "at most 512",
            id="metadata-value-too-long",
        ),
        pytest.param(
            {**VALID, "metadata": {"k": 1}},
            'metadata["k"]',
            "must be a string",
            id="metadata-value-not-text",
        ),
        pytest.param(
            {**VALID, "metadata": ["k", "v"]}, "metadata", "metadata", id="metadata-not-a-map"
        ),
        pytest.param(
            {**VALID, "store": False, "metadata": {"team": "ml"}},
            "metadata",
            "store",
            id="store-false-with-metadata",
        ),
        pytest.param({**VALID, "bogus": 1}, "bogus", "not an input", id="unknown-property"),
        pytest.param(
            {**VALID, "Temperature": 1}, "Temperature", "not an input", id="wrong-case-property"
        ),
        pytest.param({**VALID, "messages": "hi"}, "messages", "must be a list", id="messages-text"),
        pytest.param(
            {**VALID, "messages": {"role": "user"}},
            "messages",
            "must be a list",
            id="messages-object",
        ),
        pytest.param({**VALID, "messages": []}, "messages", "messages", id="messages-empty"),
        pytest.param(
            {**VALID, "messages": [{"content": "x"}]},
            "messages[0].role",
            "required",
            id="message-without-role",
        ),
        pytest.param(
            {**VALID, "messages": [{"role": "robot", "content": "x"}]},
            "messages[0].role",
            "one of",
            id="message-unknown-role",
        ),
        pytest.param(
            {**VALID, "messages": [MESSAGES[0], {"role": "user", "content": 3}]},
            "messages[1].content",
            "string or a list",
            id="message-content-number",
        ),
        pytest.param(
            {**VALID, "messages": ["hello"]}, "messages[0]", "messages[0]", id="message-text"
        ),
        pytest.param({"messages": MESSAGES}, "model", "required", id="model-missing"),
        pytest.param({**VALID, "triggers": ["a"]}, "triggers", "map", id="triggers-list"),
    ],
)
def test_invalid_input_names_the_property(news: dict[str, Any], path: str, words: str) -> None:
    _, problems = check_inputs(news)
    matching = [p for p in problems if p.path == path]
    assert matching, f"no problem at {path!r}: {problems}"
    assert any(words in p.message for p in matching), matching


def test_fifteen_user_pairs_leave_room_for_the_reserved_key() -> None:
    assert _paths({**VALID, "metadata": _pairs(15)}) == []


@pytest.mark.parametrize(
    "news",
    [
        pytest.param({**VALID, "temperature": UNKNOWN}, id="temperature"),
        pytest.param({"model": UNKNOWN, "messages": MESSAGES}, id="model"),
        pytest.param({**VALID, "messages": UNKNOWN}, id="messages"),
        pytest.param(
            {**VALID, "messages": [{"role": "user", "content": UNKNOWN}]}, id="message-content"
        ),
        pytest.param({**VALID, "metadata": {"team": UNKNOWN}}, id="metadata-value"),
        pytest.param(
            {**VALID, "store": UNKNOWN, "metadata": {"team": "ml"}}, id="store-with-metadata"
        ),
    ],
)
def test_values_unknown_during_preview_are_not_judged(news: dict[str, Any]) -> None:
    assert _paths(news) == []


def test_an_unknown_value_does_not_hide_problems_elsewhere() -> None:
    news = {**VALID, "model": UNKNOWN, "temperature": 5}
    assert _paths(news) == ["temperature"]


@pytest.mark.parametrize(
    ("news", "store"),
    [
        pytest.param(VALID, True, id="absent-means-stored"),
        pytest.param({**VALID, "store": False}, False, id="explicit-false-kept"),
        pytest.param({**VALID, "store": True}, True, id="explicit-true-kept"),
    ],
)
def test_store_defaults_to_true(news: dict[str, Any], store: bool) -> None:
    inputs, problems = check_inputs(news)
    assert problems == []
    assert inputs["store"] is store


def test_outputs_of_prior_state_are_not_inputs() -> None:
    news = {**VALID, "content": "Hello!", "completion_id": "chatcmpl-1", "__provider": "blob"}
    inputs, problems = check_inputs(news)
    assert problems == []
    assert set(inputs) == {"model", "messages", "store"}


def test_every_problem_is_reported_at_once() -> None:
    news = {"messages": "hi", "temperature": 9, "bogus": True, "metadata": _pairs(20)}
    assert {"model", "messages", "temperature", "bogus", "metadata"} <= set(_paths(news))


def test_problems_are_not_repeated() -> None:
    _, problems = check_inputs({**VALID, "temperature": 9, "top_p": 9})
    assert len(problems) == len({(p.path, p.message) for p in problems})


# -- properties -------------------------------------------------------------------------------

JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
JSON = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
PROPERTY_NAME = st.sampled_from(sorted(INPUT_NAMES)) | st.text(max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(PROPERTY_NAME, JSON, max_size=8))
def test_check_never_raises_on_arbitrary_json(news: dict[str, Any]) -> None:
    inputs, problems = check_inputs(news)
    assert isinstance(inputs, dict)
    for problem in problems:
        assert names_a_property(problem.path, set(news)), problem
