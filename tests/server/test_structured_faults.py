"""The ``structured_next`` faults: JSON answers that go wrong on demand, as the official SDK's
``parse`` sees them, and stored as they were answered."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import openai
import pydantic
import pytest

from pulumi_chatcomp.server._broken import REFUSAL
from pulumi_chatcomp.server.testing import LocalServer
from tests.helpers import validate_against
from tests.server.helpers import user


class Summary(pydantic.BaseModel):
    title: str
    tags: list[str]


SCHEMA_FORMAT: dict[str, Any] = {
    "type": "json_schema",
    "json_schema": {
        "name": "summary",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {"title": {"type": "string"}, "tags": {"type": "array"}},
            "required": ["title", "tags"],
            "additionalProperties": False,
        },
    },
}


def _tag() -> dict[str, str]:
    return {"tag": uuid.uuid4().hex}


def _stored(client: openai.OpenAI, metadata: dict[str, str]) -> Any:
    """The one completion stored with ``metadata``: what the server kept of the answer."""
    (found,) = list(client.chat.completions.list(metadata=metadata))
    return found.choices[0]


def _parse(client: openai.OpenAI, metadata: dict[str, str]) -> Any:
    return client.chat.completions.parse(
        model="gpt-4o-mini",
        messages=user("Summarise the weather."),
        response_format=Summary,
        store=True,
        metadata=metadata,
    )


def test_without_a_fault_the_sdk_parses_the_answer(client: openai.OpenAI) -> None:
    parsed = _parse(client, _tag()).choices[0].message.parsed
    assert isinstance(parsed, Summary)


def test_not_json_is_stored_and_does_not_parse(server: LocalServer, client: openai.OpenAI) -> None:
    metadata = _tag()
    server.admin.set_faults(structured_next=["not_json"])
    with pytest.raises(pydantic.ValidationError) as caught:
        _parse(client, metadata)
    assert [error["type"] for error in caught.value.errors()] == ["json_invalid"]
    content = _stored(client, metadata).message.content
    assert content.startswith("```json\n") and content.endswith("\n```")
    Summary.model_validate_json(content.removeprefix("```json\n").removesuffix("\n```"))


def test_schema_mismatch_is_json_of_the_wrong_shape(
    server: LocalServer, client: openai.OpenAI
) -> None:
    metadata = _tag()
    server.admin.set_faults(structured_next=["schema_mismatch"])
    with pytest.raises(pydantic.ValidationError) as caught:
        _parse(client, metadata)
    assert [error["loc"] for error in caught.value.errors()] == [("title",)]
    stored = json.loads(_stored(client, metadata).message.content)
    assert stored["title"] == 42 and isinstance(stored["tags"], list)


def test_cut_off_answers_with_finish_reason_length(
    server: LocalServer, client: openai.OpenAI
) -> None:
    metadata = _tag()
    server.admin.set_faults(structured_next=["cut_off"])
    with pytest.raises(openai.LengthFinishReasonError):
        _parse(client, metadata)
    choice = _stored(client, metadata)
    assert choice.finish_reason == "length"
    with pytest.raises(ValueError):
        json.loads(choice.message.content)


def test_refusal_answers_no_content_and_a_refusal(
    server: LocalServer, client: openai.OpenAI
) -> None:
    metadata = _tag()
    server.admin.set_faults(structured_next=["refusal"])
    message = _parse(client, metadata).choices[0].message
    assert (message.content, message.refusal, message.parsed) == (None, REFUSAL, None)
    stored = _stored(client, metadata).message
    assert (stored.content, stored.refusal) == (None, REFUSAL)


def test_a_broken_answer_is_still_a_completion_of_the_spec(
    server: LocalServer, http: httpx.Client
) -> None:
    server.admin.set_faults(structured_next=["refusal", "cut_off"])
    for _ in range(2):
        body = {"model": "gpt-4o", "messages": user("hi"), "response_format": SCHEMA_FORMAT}
        validate_against(
            "CreateChatCompletionResponse", http.post("/chat/completions", json=body).json()
        )


def test_modes_apply_in_order_to_creates_that_ask_for_json_only(
    server: LocalServer, client: openai.OpenAI
) -> None:
    server.admin.set_faults(structured_next=["not_json", "cut_off"])

    def create(**extra: Any) -> Any:
        return client.chat.completions.create(
            model="gpt-4o-mini", messages=user("Summarise the weather."), **extra
        ).choices[0]

    assert create().finish_reason == "stop"  # no JSON asked for: the list is kept
    assert server.admin.faults()["structured_next"] == ["not_json", "cut_off"]
    assert create(response_format=SCHEMA_FORMAT).message.content.startswith("```json")
    assert create(response_format={"type": "json_object"}).finish_reason == "length"
    assert server.admin.faults()["structured_next"] == []
    json.loads(create(response_format=SCHEMA_FORMAT).message.content)  # faults used up


def test_schema_mismatch_for_json_object_answers_an_array(
    server: LocalServer, client: openai.OpenAI
) -> None:
    server.admin.set_faults(structured_next=["schema_mismatch"])
    answer = client.chat.completions.create(
        model="gpt-4o-mini", messages=user("Some JSON"), response_format={"type": "json_object"}
    )
    assert isinstance(json.loads(answer.choices[0].message.content or ""), list)


def test_a_streamed_refusal_arrives_in_deltas(server: LocalServer, client: openai.OpenAI) -> None:
    server.admin.set_faults(structured_next=["refusal"])
    with client.chat.completions.stream(
        model="gpt-4o-mini", messages=user("Summarise"), response_format=Summary
    ) as stream:
        final = stream.get_final_completion()
    assert final.choices[0].message.refusal == REFUSAL
    assert not final.choices[0].message.content  # the opening delta's "" at most


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(["not_json", "garbled"], id="unknown-mode"),
        pytest.param("cut_off", id="not-a-list"),
    ],
)
def test_admin_refuses_unknown_structured_modes(server: LocalServer, value: Any) -> None:
    response = httpx.post(f"{server.url}/_admin/faults", json={"structured_next": value})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "structured_next"
    assert "not_json, schema_mismatch, cut_off, refusal" in error["message"]
    assert server.admin.faults()["structured_next"] == []


def test_the_flag_sets_the_modes_from_start(chatcomp_server_factory: Any) -> None:
    server = chatcomp_server_factory("--structured-next", "refusal,cut_off")
    assert server.admin.faults()["structured_next"] == ["refusal", "cut_off"]
    with openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0) as client:
        message = _parse(client, _tag()).choices[0].message
    assert message.refusal == REFUSAL
    assert server.admin.faults()["structured_next"] == ["cut_off"]
