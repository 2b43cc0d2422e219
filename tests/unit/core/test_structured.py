"""Structured outputs in the core: ``parsed``, and what a strict ``json_schema`` create checks
(pulumi_chatcomp.core._structured, used by _operations.create)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_chatcomp._config import Settings
from pulumi_chatcomp._exceptions import InvalidArgumentError, StructuredOutputError
from pulumi_chatcomp.client import ChatCompletionsClient
from pulumi_chatcomp.core import _operations
from pulumi_chatcomp.core._properties import outputs_from
from pulumi_chatcomp.core._reads import read_completion
from pulumi_chatcomp.core._structured import StrictSchema, parsed_from_answer, parsed_of
from pulumi_chatcomp.models import ChatCompletion

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "maxLength": 40},
        "mood": {"enum": ["calm", "stormy"]},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["title", "mood", "tags"],
    "additionalProperties": False,
}
STRICT = {
    "type": "json_schema",
    "json_schema": {"name": "summary", "strict": True, "schema": SCHEMA},
}
LOOSE = {"type": "json_schema", "json_schema": {"name": "summary", "schema": SCHEMA}}
JSON_OBJECT = {"type": "json_object"}
GOOD = {"title": "Rain", "mood": "calm", "tags": ["weather"]}


def _strict_with(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "json_schema",
        "json_schema": {"name": "summary", "strict": True, "schema": schema},
    }


def _content(value: Any) -> dict[str, Any]:
    return {"content": json.dumps(value), "finish_reason": "stop"}


# -- parsed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response_format", "content", "expected"),
    [
        pytest.param(STRICT, json.dumps(GOOD), GOOD, id="json-schema"),
        pytest.param(LOOSE, json.dumps(GOOD), GOOD, id="json-schema-not-strict"),
        pytest.param(JSON_OBJECT, '{"a": [1, 2.5, null]}', {"a": [1, 2.5, None]}, id="json-object"),
        pytest.param(JSON_OBJECT, "[1, 2]", [1, 2], id="an-array"),
        pytest.param(JSON_OBJECT, "```json\n{}\n```", None, id="not-json"),
        pytest.param(JSON_OBJECT, '{"title": "Ra', None, id="cut-off"),
        pytest.param(JSON_OBJECT, "NaN", None, id="nan-is-not-json"),
        pytest.param(JSON_OBJECT, None, None, id="no-content"),
        pytest.param({"type": "text"}, '{"a": 1}', None, id="text"),
        pytest.param(None, '{"a": 1}', None, id="no-response-format"),
    ],
)
def test_parsed_is_the_decoded_content_of_a_json_answer(
    response_format: Any, content: Any, expected: Any
) -> None:
    assert parsed_of(response_format, content) == expected


def test_parsed_from_an_answer_follows_its_echoed_response_format() -> None:
    choices = [{"index": 0, "message": {"role": "assistant", "content": '{"title": "Rain"}'}}]
    assert parsed_from_answer({"response_format": JSON_OBJECT, "choices": choices}) == {
        "title": "Rain"
    }
    assert parsed_from_answer({"response_format": {"type": "text"}, "choices": choices}) is None
    assert parsed_from_answer({"response_format": None, "choices": choices}) is None
    assert parsed_from_answer({"response_format": JSON_OBJECT, "choices": []}) is None


# -- which formats are strict ---------------------------------------------------------------


@pytest.mark.parametrize(
    "response_format",
    [
        pytest.param(LOOSE, id="strict-unset"),
        pytest.param(
            {"type": "json_schema", "json_schema": {"name": "s", "strict": False}},
            id="strict-false",
        ),
        pytest.param(JSON_OBJECT, id="json-object"),
        pytest.param({"type": "text"}, id="text"),
        pytest.param(None, id="none"),
    ],
)
def test_only_a_strict_json_schema_is_checked(response_format: Any) -> None:
    assert StrictSchema.of(response_format) is None


def test_a_strict_format_without_a_schema_still_wants_json() -> None:
    strict = StrictSchema.of({"type": "json_schema", "json_schema": {"name": "s", "strict": True}})
    assert strict == StrictSchema("s", {})
    strict.check_answer(_content([1, "two"]))
    with pytest.raises(StructuredOutputError, match="is not JSON"):
        strict.check_answer({"content": "two", "finish_reason": "stop"})


# -- each failure's message ------------------------------------------------------------------


def _failure(outputs: dict[str, Any]) -> StructuredOutputError:
    strict = StrictSchema.of(STRICT)
    assert strict is not None
    with pytest.raises(StructuredOutputError) as caught:
        strict.check_answer(outputs)
    return caught.value


@pytest.mark.parametrize(
    ("outputs", "content_path", "schema_path", "reason"),
    [
        pytest.param(
            _content(GOOD | {"title": 42}),
            "$.title",
            "/properties/title/type",
            "is an integer, the schema wants type 'string'",
            id="wrong-type",
        ),
        pytest.param(
            _content(GOOD | {"tags": ["ok", False]}),
            "$.tags[1]",
            "/properties/tags/items/type",
            "is a boolean, the schema wants type 'string'",
            id="wrong-type-in-a-list",
        ),
        pytest.param(
            _content({"title": "Rain", "mood": "calm"}),
            "$",
            "/required",
            "lacks the required property 'tags'",
            id="missing-property",
        ),
        pytest.param(
            _content(GOOD | {"extra": 1}),
            "$",
            "/additionalProperties",
            "has properties the schema does not allow ('extra')",
            id="extra-property",
        ),
        pytest.param(
            _content(GOOD | {"mood": "sunny"}),
            "$.mood",
            "/properties/mood/enum",
            "is not one of the schema's values ['calm', 'stormy']",
            id="not-in-enum",
        ),
        pytest.param(
            _content(["Rain"]),
            "$",
            "/type",
            "is an array, the schema wants type 'object'",
            id="not-an-object",
        ),
    ],
)
def test_a_mismatch_names_the_schema_the_paths_and_the_reason(
    outputs: dict[str, Any], content_path: str, schema_path: str, reason: str
) -> None:
    error = _failure(outputs)
    assert (error.schema_name, error.content_path, error.schema_path, error.reason) == (
        "summary",
        content_path,
        schema_path,
        reason,
    )
    assert str(error) == (
        "the answer does not follow response_format.json_schema 'summary' (strict): "
        f"{content_path} {reason} (schema at {schema_path}). Run pulumi up to ask again."
    )


@pytest.mark.parametrize(
    ("outputs", "reason", "next_step"),
    [
        pytest.param(
            {"content": "Sure! Here it is: {}", "finish_reason": "stop"},
            "the content is not JSON: Expecting value at line 1, column 1 (char 0)",
            "Run pulumi up to ask again.",
            id="not-json",
        ),
        pytest.param(
            {"content": '{"title": "Ra', "finish_reason": "length"},
            "the content was cut off at the token limit (finish_reason 'length')",
            "Raise max_completion_tokens, then run pulumi up again.",
            id="cut-off",
        ),
        pytest.param(
            # Cut off is what it is, even when the prefix happens to parse.
            {"content": "[1]", "finish_reason": "length"},
            "the content was cut off at the token limit (finish_reason 'length')",
            "Raise max_completion_tokens, then run pulumi up again.",
            id="cut-off-but-parses",
        ),
        pytest.param(
            {"refusal": "I can't help with the secret plan.", "finish_reason": "stop"},
            "the model refused to answer (the first choice has a refusal)",
            "Rephrase the prompt, then run pulumi up again.",
            id="refusal",
        ),
        pytest.param(
            {"finish_reason": "content_filter"},
            "the first choice has no content (finish_reason 'content_filter')",
            "Run pulumi up to ask again.",
            id="no-content",
        ),
    ],
)
def test_each_failure_is_one_line_with_the_reason_and_what_to_do(
    outputs: dict[str, Any], reason: str, next_step: str
) -> None:
    error = _failure(outputs)
    assert error.reason == reason
    assert error.content_path is None and error.schema_path is None
    text = str(error)
    assert text == (
        f"the answer does not follow response_format.json_schema 'summary' (strict): {reason}. "
        f"{next_step}"
    )
    assert "\n" not in text


def test_messages_never_quote_the_generated_text() -> None:
    # secret_outputs may keep the content secret; the error goes to the console and logs.
    secret = "the launch code is 0000 and more words than the schema allows"
    for outputs in (
        _content(GOOD | {"title": secret}),
        _content(GOOD | {"mood": secret}),
        _content(GOOD | {"tags": secret}),
        {"refusal": secret, "finish_reason": "stop"},
        {"content": secret, "finish_reason": "stop"},
    ):
        assert secret not in str(_failure(outputs))
        assert "launch" not in str(_failure(outputs))


def test_a_valid_answer_passes_and_a_tool_call_has_nothing_to_check() -> None:
    strict = StrictSchema.of(STRICT)
    assert strict is not None
    strict.check_answer(_content(GOOD))
    strict.check_answer({"tool_calls": [{"id": "call_1"}], "finish_reason": "tool_calls"})


def test_a_schema_that_is_no_json_schema_is_refused_before_anything_is_sent() -> None:
    strict = StrictSchema.of(_strict_with({"type": "objekt"}))
    assert strict is not None
    with pytest.raises(InvalidArgumentError) as caught:
        strict.check_schema()
    assert caught.value.argument == "response_format.json_schema.schema"
    assert str(caught.value).startswith(
        "response_format.json_schema.schema is not a valid JSON Schema: at /type, "
    )


# -- outputs and reads -----------------------------------------------------------------------


ANSWER: dict[str, Any] = {
    "id": "chatcmpl-s1",
    "object": "chat.completion",
    "created": 1_700_000_000,
    "model": "gpt-4o-mini-2024-07-18",
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "message": {"role": "assistant", "content": json.dumps(GOOD), "refusal": None},
        }
    ],
    "usage": {"prompt_tokens": 3, "completion_tokens": 9, "total_tokens": 12},
}
INPUTS: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Summarise the weather."}],
    "store": True,
    "response_format": STRICT,
}


def _completion(body: dict[str, Any]) -> ChatCompletion:
    return ChatCompletion.model_validate(body)


def test_outputs_hold_parsed_once_and_only_for_json() -> None:
    outputs = outputs_from(INPUTS, _completion(ANSWER))
    assert outputs["parsed"] == GOOD
    assert "choices" not in outputs  # one plain choice: nothing holds the answer twice more
    text = {k: v for k, v in INPUTS.items() if k != "response_format"}
    assert "parsed" not in outputs_from(text, _completion(ANSWER))


def test_outputs_of_a_completion_read_without_inputs_follow_its_echo() -> None:
    echoed = _completion(ANSWER | {"response_format": JSON_OBJECT})
    assert outputs_from({"model": "gpt-4o-mini"}, echoed)["parsed"] == GOOD


# -- create, through the client, against small handlers ---------------------------------------


class FakeAPI:
    """Answers creates with ``answer`` and records every request; deletes answer ``delete``."""

    def __init__(self, answer: dict[str, Any], delete_status: int = 200) -> None:
        self.answer = answer
        self.delete_status = delete_status
        self.calls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(f"{request.method} {request.url.path}")
        if request.method == "POST":
            return httpx.Response(200, json=self.answer)
        if request.method == "DELETE":
            if self.delete_status != 200:
                body = {"error": {"message": "nope", "type": "invalid_request_error"}}
                return httpx.Response(self.delete_status, json=body)
            return httpx.Response(
                200, json={"object": "chat.completion.deleted", "id": "x", "deleted": True}
            )
        return httpx.Response(200, json=self.answer)


@pytest.fixture
def api() -> FakeAPI:
    return FakeAPI(ANSWER)


@pytest.fixture
def client(api: FakeAPI) -> Iterator[ChatCompletionsClient]:
    settings = Settings(base_url="https://api.test/v1", max_retries=0)
    with ChatCompletionsClient(settings, transport=httpx.MockTransport(api)) as made:
        yield made


def _broken(content: str | None, **changes: Any) -> dict[str, Any]:
    choice = ANSWER["choices"][0]
    message = choice["message"] | {"content": content}
    return ANSWER | {"choices": [choice | {"message": message} | changes]}


def test_a_strict_create_that_matches_returns_parsed(
    api: FakeAPI, client: ChatCompletionsClient
) -> None:
    completion_id, outputs = _operations.create(client, INPUTS)
    assert (completion_id, outputs["parsed"]) == ("chatcmpl-s1", GOOD)
    assert api.calls == ["POST /v1/chat/completions"]


def test_a_strict_create_that_fails_deletes_the_completion_first(
    api: FakeAPI, client: ChatCompletionsClient
) -> None:
    api.answer = _broken(json.dumps(GOOD | {"title": 42}))
    with pytest.raises(StructuredOutputError) as caught:
        _operations.create(client, INPUTS)
    assert api.calls == ["POST /v1/chat/completions", "DELETE /v1/chat/completions/chatcmpl-s1"]
    assert caught.value.completion_id == "chatcmpl-s1"
    assert str(caught.value).endswith(
        "(schema at /properties/title/type). The stored completion chatcmpl-s1 was deleted; "
        "the stack's state is unchanged. Run pulumi up to ask again."
    )


def test_a_failed_delete_says_what_is_left_on_the_server(
    api: FakeAPI, client: ChatCompletionsClient
) -> None:
    api.answer = _broken('{"title": "Ra', finish_reason="length")
    api.delete_status = 403
    with pytest.raises(StructuredOutputError) as caught:
        _operations.create(client, INPUTS)
    text = str(caught.value)
    assert "Deleting the stored completion chatcmpl-s1 failed too (DELETE " in text
    assert "delete it with DELETE /chat/completions/chatcmpl-s1" in text
    assert text.endswith("Raise max_completion_tokens, then run pulumi up again.")


def test_an_unstored_strict_create_has_nothing_to_delete(
    api: FakeAPI, client: ChatCompletionsClient
) -> None:
    api.answer = _broken("not JSON")
    with pytest.raises(StructuredOutputError, match="Nothing was stored"):
        _operations.create(client, INPUTS | {"store": False})
    assert api.calls == ["POST /v1/chat/completions"]


def test_a_broken_schema_fails_before_any_request(
    api: FakeAPI, client: ChatCompletionsClient
) -> None:
    broken = _strict_with({"type": "object", "required": "title"})
    with pytest.raises(InvalidArgumentError, match=r"^response_format\.json_schema\.schema "):
        _operations.create(client, INPUTS | {"response_format": broken})
    assert api.calls == []


@pytest.mark.parametrize("response_format", [LOOSE, JSON_OBJECT], ids=["json-schema", "object"])
def test_a_create_that_is_not_strict_keeps_an_answer_that_is_not_json(
    api: FakeAPI, client: ChatCompletionsClient, response_format: dict[str, Any]
) -> None:
    api.answer = _broken("Here is some JSON: {}")
    completion_id, outputs = _operations.create(
        client, INPUTS | {"response_format": response_format}
    )
    assert completion_id == "chatcmpl-s1"
    assert "parsed" not in outputs
    assert api.calls == ["POST /v1/chat/completions"]


def test_refresh_never_fails_on_the_schema(api: FakeAPI, client: ChatCompletionsClient) -> None:
    api.answer = _broken(json.dumps(GOOD | {"title": 42}))
    found = _operations.read(client, "chatcmpl-s1", INPUTS)
    assert found is not None
    assert found.outputs["parsed"]["title"] == 42


def test_a_read_carries_parsed_by_the_echoed_format(
    api: FakeAPI, client: ChatCompletionsClient
) -> None:
    api.answer = ANSWER | {"response_format": LOOSE}
    assert read_completion(client, "chatcmpl-s1")["parsed"] == GOOD
    api.answer = ANSWER | {"response_format": {"type": "text"}}
    assert read_completion(client, "chatcmpl-s1")["parsed"] is None


def test_the_structured_module_loads_no_jsonschema_until_a_create_validates() -> None:
    code = (
        "import sys\n"
        "from pulumi_chatcomp.core import _structured\n"
        "_structured.parsed_of({'type': 'json_object'}, '{}')\n"
        "_structured.StrictSchema.of({'type': 'json_schema', "
        "'json_schema': {'name': 's', 'strict': True}})\n"
        "print('jsonschema' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "False"
