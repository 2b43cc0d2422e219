"""``check_inputs`` as a pure function: every problem names the property, nothing raises."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pulumi.runtime.rpc import UNKNOWN

from pulumi_chatcomp.client._client import IDEMPOTENCY_METADATA_KEY
from pulumi_chatcomp.core._check import check_inputs
from pulumi_chatcomp.core._names import CREATE_TOKEN
from pulumi_chatcomp.core._properties import (
    ADOPT_NAME,
    INPUT_NAMES,
    OUTPUT_NAMES,
    contains_unknown,
    request_of,
)

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


_TOOL = {"type": "function", "function": {"name": "lookup"}}


@pytest.mark.parametrize(
    ("news", "message"),
    [
        pytest.param(
            {**VALID, "max_completion_tokens": -1},
            "max_completion_tokens must be at least 1, got -1",
            id="max-completion-tokens-negative",
        ),
        pytest.param(
            {**VALID, "max_completion_tokens": 0},
            "max_completion_tokens must be at least 1, got 0",
            id="max-completion-tokens-zero",
        ),
        pytest.param(
            {**VALID, "max_tokens": 0}, "max_tokens must be at least 1, got 0", id="max-tokens"
        ),
        pytest.param(
            {**VALID, "messages": MESSAGES * 2049},
            "messages must have at most 2048 items, got 2049",
            id="messages-2049",
        ),
        pytest.param(
            {**VALID, "tools": [_TOOL] * 129},
            "tools must have at most 128 items, got 129",
            id="tools-129",
        ),
        pytest.param(
            {**VALID, "tools": []}, "tools must have at least 1 item, got 0", id="tools-0"
        ),
    ],
)
def test_bounds_the_api_enforces_beyond_the_spec(news: dict[str, Any], message: str) -> None:
    assert [p.message for p in check_inputs(news)[1]] == [message]


@pytest.mark.parametrize(
    "news",
    [
        pytest.param({**VALID, "max_completion_tokens": 1}, id="one-token"),
        pytest.param({**VALID, "messages": MESSAGES * 2048}, id="2048-messages"),
        pytest.param({**VALID, "tools": [_TOOL] * 128}, id="128-tools"),
    ],
)
def test_bounds_are_inclusive(news: dict[str, Any]) -> None:
    assert check_inputs(news)[1] == []


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
    assert set(inputs) == {"model", "messages", "store", CREATE_TOKEN}


# -- the create token: recorded by the engine before the create, found again after a hard stop


def test_a_stored_completion_gets_a_fresh_create_token() -> None:
    first, _ = check_inputs(VALID)
    second, _ = check_inputs(VALID)
    assert len(first[CREATE_TOKEN]) == 32
    assert first[CREATE_TOKEN] != second[CREATE_TOKEN]  # two resources never share one


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({}, id="unchanged"),
        pytest.param({"metadata": {"stage": "two"}}, id="metadata-updates-in-place"),
    ],
)
def test_the_prior_token_is_kept_while_the_completion_stays(change: dict[str, Any]) -> None:
    olds, _ = check_inputs({**VALID, "metadata": {"stage": "one"}})
    news, _ = check_inputs({**VALID, "metadata": {"stage": "one"}, **change}, olds)
    assert news[CREATE_TOKEN] == olds[CREATE_TOKEN]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"messages": [{"role": "user", "content": "Other?"}]}, id="prompt"),
        pytest.param({"triggers": {"rotate": "1"}}, id="triggers"),
    ],
)
def test_a_replacement_gets_a_token_of_its_own(change: dict[str, Any]) -> None:
    # The old completion exists until the new one is made: sharing its token could adopt it.
    olds, _ = check_inputs(VALID)
    news, _ = check_inputs({**VALID, **change}, olds)
    assert news[CREATE_TOKEN] != olds[CREATE_TOKEN]


IDENTITY = "provider-1/urn:pulumi:dev::p::chatcomp:index:ChatCompletion::a"


def test_a_create_token_is_derived_from_the_resource_so_the_next_run_makes_it_again() -> None:
    """What a killed create was tagged with is found by the next run's create."""
    first, _ = check_inputs(VALID, identity=IDENTITY)
    again, _ = check_inputs(
        {**VALID, "messages": [{"role": "user", "content": "Edited?"}]}, identity=IDENTITY
    )
    assert first[CREATE_TOKEN] == again[CREATE_TOKEN]
    other, _ = check_inputs(VALID, identity=IDENTITY.replace("::a", "::b"))
    assert other[CREATE_TOKEN] != first[CREATE_TOKEN]
    elsewhere, _ = check_inputs(VALID, identity=IDENTITY.replace("provider-1", "provider-2"))
    assert elsewhere[CREATE_TOKEN] != first[CREATE_TOKEN]  # a stack of the same name


def test_a_replacement_derives_its_token_from_the_one_it_replaces() -> None:
    olds, _ = check_inputs(VALID, identity=IDENTITY)
    change = {"messages": [{"role": "user", "content": "Other?"}]}
    news, _ = check_inputs({**VALID, **change}, olds, identity=IDENTITY)
    assert news[CREATE_TOKEN] != olds[CREATE_TOKEN]
    retried, _ = check_inputs({**VALID, **change}, olds, identity=IDENTITY)
    assert retried[CREATE_TOKEN] == news[CREATE_TOKEN]  # a failed replacement, run again


def test_a_token_is_unknown_while_the_identity_is() -> None:
    inputs, problems = check_inputs(VALID, identity=UNKNOWN)
    assert problems == []
    assert inputs[CREATE_TOKEN] == UNKNOWN


@pytest.mark.parametrize(
    ("wrong", "said"),
    [
        pytest.param({"store": "no"}, "store must be true or false, got 'no'", id="store-no"),
        pytest.param({"stream": "yes"}, "stream must be true or false, got 'yes'", id="stream"),
        pytest.param(
            {"max_completion_tokens": True},
            "max_completion_tokens must be a whole number, got true",
            id="tokens-true",
        ),
        pytest.param(
            {"max_completion_tokens": "64"},
            "max_completion_tokens must be a whole number",
            id="tokens-text",
        ),
        pytest.param({"temperature": "0.5"}, "temperature must be a number", id="temp-text"),
    ],
)
def test_values_of_another_type_are_refused_not_converted(wrong: dict[str, Any], said: str) -> None:
    problems = check_inputs({**VALID, **wrong})[1]
    assert [p.path for p in problems] == list(wrong)
    assert said in problems[0].message


def test_whole_numbers_from_the_wire_are_whole_numbers() -> None:
    """Pulumi sends every number as a double: 64.0 is the 64 the program wrote."""
    assert check_inputs({**VALID, "max_completion_tokens": 64.0, "n": 1.0})[1] == []
    assert _paths({**VALID, "max_completion_tokens": 64.5}) == ["max_completion_tokens"]


@pytest.mark.parametrize(
    "news",
    [
        pytest.param({**VALID, "store": False}, id="unstored"),
        pytest.param({**VALID, "import_id": "chatcmpl-1"}, id="adopted"),
    ],
)
def test_no_token_where_nothing_is_created_to_find(news: dict[str, Any]) -> None:
    inputs, _ = check_inputs(news)
    assert CREATE_TOKEN not in inputs


def test_a_token_in_the_new_inputs_is_not_taken() -> None:
    # Only check makes tokens: one arriving with the program's inputs is ignored.
    inputs, problems = check_inputs({**VALID, CREATE_TOKEN: "mine"})
    assert problems == []
    assert inputs[CREATE_TOKEN] != "mine"


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


# -- bad input at scale (issue 9.4) -----------------------------------------------------------
# Plausible argument sets: a valid one, then zero to three mutations, so that a good share is
# valid and the invalid ones break in the ways programs do. bench/bench_check_fuzz.py runs the
# same property 10,000 times and prints how many were valid and invalid.

VALID_MESSAGE = st.sampled_from(
    [
        {"role": "system", "content": "Be brief."},
        {"role": "developer", "content": "Answer in French."},
        {"role": "user", "content": "Say hello."},
        {"role": "user", "content": [{"type": "text", "text": "Describe this."}]},
        {"role": "assistant", "content": "Hello!"},
    ]
)
VALID_ARGS = st.fixed_dictionaries(
    {
        "model": st.sampled_from(["gpt-4o-mini", "gpt-4o", "o3-mini"]),
        "messages": st.lists(VALID_MESSAGE, min_size=1, max_size=4),
    },
    optional={
        "temperature": st.floats(0, 2),
        "top_p": st.floats(0, 1),
        "n": st.integers(1, 4),
        "seed": st.integers(0, 2**31),
        "max_completion_tokens": st.integers(1, 4096),
        "metadata": st.dictionaries(
            st.text("abcdefgh_", min_size=1, max_size=8), st.text(max_size=16), max_size=15
        ),
        "triggers": st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
        "store": st.just(True),
        "stop": st.sampled_from(["END", ["a", "b"]]),
    },
)
WRONG_VALUE = st.sampled_from(
    [None, True, -1, 3, 2.5, 1e308, "", "x" * 600, [], [1], {}, {"a": 1}, "gpt", UNKNOWN]
)


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    """A valid argument set with up to three plausible mistakes applied."""
    news = dict(draw(base))
    for _ in range(draw(st.integers(0, 3))):
        mistake = draw(st.integers(0, 11))
        if mistake == 0:
            news["temperature"] = draw(st.floats(-10, 10) | st.just(2.0000001))
        elif mistake == 1:
            news[draw(st.sampled_from(sorted(INPUT_NAMES)))] = draw(WRONG_VALUE | JSON)
        elif mistake == 2:
            news.pop(draw(st.sampled_from(["model", "messages"])), None)
        elif mistake == 3:
            news[draw(st.text(min_size=1, max_size=12))] = draw(JSON)
        elif mistake == 4:
            # An earlier mistake may have left a metadata that is not a map (True, "x" * 600).
            given = news.get("metadata")
            pairs = given if isinstance(given, dict) else {}
            news["metadata"] = {**pairs, IDEMPOTENCY_METADATA_KEY: "x"}
        elif mistake == 5:
            news["metadata"] = _pairs(draw(st.integers(14, 20)))
        elif mistake == 6:
            news["store"] = draw(st.booleans())
            news.setdefault("metadata", {"team": "ml"})
        elif mistake == 7:
            given = news.get("messages")
            messages = list(given) if isinstance(given, list) and given else [{}]
            index = draw(st.integers(0, len(messages) - 1))
            message = dict(messages[index]) if isinstance(messages[index], dict) else {}
            message[draw(st.sampled_from(["role", "content", "name", "tool_call_id"]))] = draw(
                WRONG_VALUE | st.sampled_from(["robot", "tool", "function"])
            )
            messages[index] = message
            news["messages"] = messages
        elif mistake == 8:
            news["messages"] = draw(WRONG_VALUE | JSON)
        elif mistake == 9:
            news["metadata"] = {draw(st.text(max_size=70)): draw(st.text(max_size=20) | JSON)}
        elif mistake == 10:
            news["tools"] = draw(
                st.sampled_from(
                    [
                        [{"type": "function"}],
                        [{"type": "function", "function": {"name": "f x"}}],
                        [{"type": "telepathy"}],
                        "search",
                    ]
                )
            )
        else:
            news[draw(st.sampled_from(["n", "top_p", "seed", "max_completion_tokens"]))] = draw(
                st.integers(-5, 200) | st.floats(-2, 3) | st.text(max_size=3)
            )
    return news


ARGUMENT_SETS = mutated(VALID_ARGS)


def judge(news: dict[str, Any]) -> bool:
    """Run check on one argument set and assert what a user relies on; True if valid."""
    inputs, problems = check_inputs(news)
    for problem in problems:
        assert names_a_property(problem.path, set(news)), problem
        assert problem.message.strip(), problem
    if problems:
        return False
    assert inputs["store"] in (True, False) or inputs["store"] == UNKNOWN
    if not any(contains_unknown(value) for value in inputs.values()):
        # What check passes, create can send (deprecations are the resource's to report).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            request_of(inputs)
    return True


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARGUMENT_SETS)
def test_plausible_argument_sets_are_judged_without_raising(news: dict[str, Any]) -> None:
    event("valid" if judge(news) else "invalid")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        pytest.param(
            {"metadata": {f"k{i}": "v" for i in range(16)}},
            [
                "metadata has 16 pairs and 1 more are reserved by pulumi-chatcomp; "
                "at most 16 are allowed"
            ],
            id="16-pairs-leave-no-room-for-the-token",
        ),
        pytest.param(
            {"metadata": {f"k{i}": "v" for i in range(17)}},
            ["metadata has 17 pairs; at most 16 are allowed"],
            id="17-pairs-reported-once",
        ),
        pytest.param(
            {"metadata": {"a": 1}},
            ['metadata["a"] must be a string, got 1'],
            id="non-string-value-reported-once",
        ),
        pytest.param(
            {"tempeature": 1},
            ["'tempeature' is not an input of ChatCompletion; did you mean 'temperature'?"],
            id="typo-gets-a-suggestion",
        ),
    ],
)
def test_each_problem_is_worded_once(extra: dict[str, object], expected: list[str]) -> None:
    base = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
    _, problems = check_inputs({**base, **extra})
    assert [p.message for p in problems] == expected
