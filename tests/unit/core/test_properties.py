"""The property names and the pure moves between inputs, requests and outputs."""

from __future__ import annotations

from typing import Any

import httpx
import pydantic
import pytest
from pulumi.runtime.rpc import UNKNOWN

from pulumi_chatcomp._config import Settings
from pulumi_chatcomp.client import ChatCompletionsClient
from pulumi_chatcomp.client._client import IDEMPOTENCY_METADATA_KEY
from pulumi_chatcomp.core._properties import (
    INPUT_NAMES,
    OUTPUT_NAMES,
    TYPE_TOKEN,
    contains_unknown,
    inputs_of,
    outputs_from,
    request_of,
)
from pulumi_chatcomp.models import ChatCompletion

INPUTS: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Say hello."}],
    "store": True,
    "metadata": {"owner": "e2e"},
}


def _answer(**changes: Any) -> ChatCompletion:
    """The completion as the client returns it (which takes its idempotency key out)."""
    body: dict[str, Any] = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o-mini-2024-07-18",
        "service_tier": "default",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "Hello!", "refusal": None},
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
        "metadata": {"owner": "e2e", IDEMPOTENCY_METADATA_KEY: "token-1"},
    }
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body | changes))
    with ChatCompletionsClient(Settings(base_url="https://api.test/v1"), transport=transport) as c:
        return c.retrieve("chatcmpl-1")


def test_the_type_token_is_the_documented_one() -> None:
    assert TYPE_TOKEN == "pulumi-python:dynamic/chatcomp:ChatCompletion"


def test_inputs_are_the_request_fields_plus_triggers() -> None:
    assert {"messages", "model", "metadata", "store", "temperature", "triggers"} <= INPUT_NAMES
    # An output never shadows an input: diff compares prior outputs with new inputs.
    assert not INPUT_NAMES & set(OUTPUT_NAMES)


def test_inputs_of_drops_outputs_nulls_and_the_provider() -> None:
    props = {**INPUTS, "seed": None, "content": "Hello!", "__provider": "blob", "usage": {}}
    assert inputs_of(props) == INPUTS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(UNKNOWN, True, id="unknown"),
        pytest.param({"a": [1, {"b": UNKNOWN}]}, True, id="nested"),
        pytest.param(("x", UNKNOWN), True, id="tuple"),
        pytest.param("plain", False, id="text"),
        pytest.param({"a": [1, None, 2.5]}, False, id="known-nested"),
    ],
)
def test_contains_unknown(value: Any, expected: bool) -> None:
    assert contains_unknown(value) is expected


def test_request_of_sends_only_request_fields() -> None:
    request = request_of({**INPUTS, "triggers": {"run": "1"}})
    assert request.to_body() == INPUTS


def test_request_of_raises_a_validation_error_naming_the_field() -> None:
    with pytest.raises(pydantic.ValidationError, match="temperature"):
        request_of({**INPUTS, "temperature": 7})


def test_outputs_repeat_the_inputs_and_add_the_answer() -> None:
    outputs = outputs_from(INPUTS, _answer())
    assert {k: outputs[k] for k in INPUTS} == INPUTS
    assert outputs["content"] == "Hello!"
    assert outputs["finish_reason"] == "stop"
    assert outputs["response_model"] == "gpt-4o-mini-2024-07-18"
    assert outputs["response_service_tier"] == "default"
    assert outputs["usage"]["total_tokens"] == 5
    # Only what the answer has: no nulls in state.
    assert None not in outputs.values()
    assert "refusal" not in outputs


def test_state_keeps_nothing_it_already_holds() -> None:
    # The ID is the resource's id, `object` is a constant, and one plain choice is
    # exactly the first-choice outputs.
    outputs = outputs_from(INPUTS, _answer())
    assert not {"completion_id", "object", "choices"} & set(outputs)


def _choice(**changes: Any) -> dict[str, Any]:
    message = {"role": "assistant", "content": "Hello!", "refusal": None}
    return {"index": 0, "finish_reason": "stop", "message": message} | changes


@pytest.mark.parametrize(
    "choices",
    [
        pytest.param([_choice(), _choice(index=1)], id="two-choices"),
        pytest.param(
            [_choice(logprobs={"content": [{"token": "Hi", "logprob": -0.1, "top_logprobs": []}]})],
            id="logprobs",
        ),
        pytest.param(
            [
                _choice(
                    message={
                        "role": "assistant",
                        "content": "See the docs.",
                        "annotations": [
                            {
                                "type": "url_citation",
                                "url_citation": {
                                    "url": "https://example.com",
                                    "title": "Docs",
                                    "start_index": 0,
                                    "end_index": 3,
                                },
                            }
                        ],
                    }
                )
            ],
            id="annotations",
        ),
    ],
)
def test_choices_are_kept_when_they_say_more_than_the_first_choice(
    choices: list[dict[str, Any]],
) -> None:
    outputs = outputs_from(INPUTS, _answer(choices=choices))
    assert len(outputs["choices"]) == len(choices)
    assert outputs["content"] == choices[0]["message"]["content"]


def test_outputs_keep_the_requested_model_as_the_input() -> None:
    assert outputs_from(INPUTS, _answer())["model"] == "gpt-4o-mini"


def test_stored_metadata_wins_so_drift_shows_on_refresh() -> None:
    outputs = outputs_from(INPUTS, _answer(metadata={"owner": "someone-else"}))
    assert outputs["metadata"] == {"owner": "someone-else"}


def test_the_idempotency_token_never_reaches_outputs() -> None:
    outputs = outputs_from(INPUTS, _answer())
    assert outputs["metadata"] == {"owner": "e2e"}
    assert "token-1" not in repr(outputs)


def test_metadata_removed_on_the_server_shows_as_empty() -> None:
    assert outputs_from(INPUTS, _answer(metadata=None))["metadata"] == {}


def test_no_metadata_anywhere_means_no_metadata_output() -> None:
    inputs = {k: v for k, v in INPUTS.items() if k != "metadata"}
    assert "metadata" not in outputs_from(inputs, _answer(metadata=None))
