"""Response models: lenient parsing, unknown fields kept, pages, chunks, stored messages."""

from __future__ import annotations

import pickle
import subprocess
import sys
from typing import Any

import pytest
from pydantic import ValidationError

from pulumi_chatcomp.models import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionDeleted,
    ChatCompletionList,
    ChatCompletionMessageList,
    ChatCompletionStoreMessage,
    ChoiceLogprobs,
    CursorPage,
    CustomToolCall,
    FunctionToolCall,
    ModerationError,
    ModerationResult,
    ModerationResults,
    StoredImagePart,
    StoredTextPart,
    TopLogprob,
    validation_problems,
)


def completion(**fields: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1738960610,
        "model": "gpt-4o-2024-08-06",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hi", "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        **fields,
    }


def test_unknown_fields_are_kept_at_every_level() -> None:
    data = completion(request_id="req_1", seed=7, input_user=None)
    data["choices"][0]["message"]["reasoning"] = "short"
    data["choices"][0]["future_field"] = {"a": 1}
    parsed = ChatCompletion.model_validate(data)
    assert parsed.model_extra == {"request_id": "req_1", "seed": 7, "input_user": None}
    assert parsed.choices[0].model_extra == {"future_field": {"a": 1}}
    assert parsed.choices[0].message.model_extra == {"reasoning": "short"}
    assert parsed.to_dict()["request_id"] == "req_1"


def test_new_enum_values_from_the_api_do_not_break_parsing() -> None:
    data = completion(service_tier="ultra")
    data["choices"][0]["finish_reason"] = "paused"
    parsed = ChatCompletion.model_validate(data)
    assert (parsed.service_tier, parsed.choices[0].finish_reason) == ("ultra", "paused")


def test_usage_details_are_parsed() -> None:
    usage = {
        "prompt_tokens": 19,
        "completion_tokens": 10,
        "total_tokens": 29,
        "prompt_tokens_details": {"cached_tokens": 3, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 4, "rejected_prediction_tokens": 1},
    }
    parsed = ChatCompletion.model_validate(completion(usage=usage))
    assert parsed.usage is not None
    assert parsed.usage.total_tokens == 29
    assert parsed.usage.prompt_tokens_details is not None
    assert parsed.usage.prompt_tokens_details.cached_tokens == 3
    assert parsed.usage.completion_tokens_details is not None
    assert parsed.usage.completion_tokens_details.reasoning_tokens == 4


@pytest.mark.parametrize(
    ("call", "kind"),
    [
        pytest.param(
            {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}},
            FunctionToolCall,
            id="function-with-type",
        ),
        pytest.param(
            {"id": "c", "function": {"name": "f", "arguments": "{}"}},
            FunctionToolCall,
            id="function-without-type",
        ),
        pytest.param(
            {"id": "c", "custom": {"name": "shell", "input": "ls"}},
            CustomToolCall,
            id="custom-without-type",
        ),
    ],
)
def test_tool_calls_are_recognised_with_or_without_type(call: dict[str, Any], kind: type) -> None:
    data = completion()
    data["choices"][0]["message"] = {"role": "assistant", "content": None, "tool_calls": [call]}
    parsed = ChatCompletion.model_validate(data)
    assert parsed.choices[0].message.tool_calls is not None
    assert type(parsed.choices[0].message.tool_calls[0]) is kind


def test_moderation_results_and_errors_are_told_apart() -> None:
    moderation = {
        "input": {
            "type": "moderation_results",
            "model": "omni-moderation-latest",
            "results": [
                {
                    "type": "moderation_result",
                    "model": "omni-moderation-latest",
                    "flagged": False,
                    "categories": {"violence": False},
                    "category_scores": {"violence": 0.01},
                    "category_applied_input_types": {"violence": ["text"]},
                }
            ],
        },
        "output": {"type": "error", "code": "timeout", "message": "moderation timed out"},
    }
    parsed = ChatCompletion.model_validate(completion(moderation=moderation))
    assert parsed.moderation is not None
    assert isinstance(parsed.moderation.input, ModerationResults)
    assert isinstance(parsed.moderation.output, ModerationError)


def test_to_dict_keeps_nulls_the_api_always_sends_and_drops_the_rest() -> None:
    data = completion()
    data["choices"][0]["message"] = {"role": "assistant", "content": "Hi"}
    dumped = ChatCompletion.model_validate(data).to_dict()
    assert dumped["choices"][0]["message"] == {
        "role": "assistant",
        "content": "Hi",
        "refusal": None,
    }
    assert dumped["choices"][0]["logprobs"] is None
    assert "usage" not in dumped
    assert "system_fingerprint" not in dumped


def test_missing_required_response_field_names_it() -> None:
    data = completion()
    del data["created"]
    with pytest.raises(ValidationError) as caught:
        ChatCompletion.model_validate(data)
    assert [problem.message for problem in validation_problems(caught.value)] == [
        "created is required"
    ]


def test_page_of_completions_parses() -> None:
    page = ChatCompletionList.model_validate(
        {
            "object": "list",
            "data": [completion(), completion(id="chatcmpl-2")],
            "first_id": "chatcmpl-1",
            "last_id": "chatcmpl-2",
            "has_more": True,
        }
    )
    assert [item.id for item in page.data] == ["chatcmpl-1", "chatcmpl-2"]
    assert (page.first_id, page.last_id, page.has_more) == ("chatcmpl-1", "chatcmpl-2", True)


@pytest.mark.parametrize(
    "cursors",
    [
        pytest.param({"first_id": None, "last_id": None}, id="null"),
        pytest.param({"first_id": "", "last_id": ""}, id="empty-string"),
        pytest.param({}, id="absent"),
    ],
)
def test_empty_page_parses_whatever_the_cursors_are(cursors: dict[str, Any]) -> None:
    page = ChatCompletionMessageList.model_validate(
        {"object": "list", "data": [], "has_more": False, **cursors}
    )
    assert page.data == []
    assert not page.has_more
    assert not page.last_id


def test_cursor_page_is_generic_over_its_items() -> None:
    page = CursorPage[ChatCompletionDeleted].model_validate(
        {"object": "list", "data": [{"id": "x", "deleted": True}], "has_more": False}
    )
    assert isinstance(page.data[0], ChatCompletionDeleted)
    with pytest.raises(ValidationError):
        CursorPage[ChatCompletionDeleted].model_validate({"data": [{"id": "x"}]})


@pytest.mark.parametrize(
    ("named", "item"),
    [
        pytest.param(ChatCompletionList, ChatCompletion, id="completions"),
        pytest.param(ChatCompletionMessageList, ChatCompletionStoreMessage, id="messages"),
    ],
)
def test_named_pages_are_the_pages_the_client_builds(named: type, item: type) -> None:
    # The client parses with CursorPage[Item]; isinstance against the named page must hold.
    page = CursorPage[item].model_validate({"object": "list", "data": [], "has_more": False})
    assert isinstance(page, named)


def test_a_page_the_client_parsed_unpickles_in_a_fresh_interpreter() -> None:
    page = CursorPage[ChatCompletion].model_validate(
        {"object": "list", "data": [completion()], "has_more": False}
    )
    load = (
        "import pickle, sys; page = pickle.loads(sys.stdin.buffer.read()); "
        "print(type(page).__name__, page.data[0].choices[0].message.content)"
    )
    result = subprocess.run(
        [sys.executable, "-c", load],
        input=pickle.dumps(page),
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.decode().split() == ["CursorPage[ChatCompletion]", "Hi"]
    assert pickle.loads(pickle.dumps(page)) == page


def test_empty_defaults_are_fresh_for_every_object() -> None:
    token = {"token": "a", "logprob": -0.1, "bytes": [97]}
    logprobs = ChoiceLogprobs.model_validate({"content": [token, token]})
    first, second = logprobs.content or []
    first.top_logprobs.append(TopLogprob(token="b", logprob=-2.0))
    assert second.top_logprobs == []
    verdicts = [ModerationResult(model="omni-moderation", flagged=False) for _ in range(2)]
    verdicts[0].categories["violence"] = False
    assert (verdicts[1].categories, verdicts[1].category_scores) == ({}, {})
    assert verdicts[1].category_applied_input_types == {}


def test_stored_messages_carry_input_roles_names_and_parts() -> None:
    message = ChatCompletionStoreMessage.model_validate(
        {
            "id": "chatcmpl-1-0",
            "role": "user",
            "content": "What is in this image?",
            "name": "ana",
            "content_parts": [
                {"type": "text", "text": "What is in this image?"},
                {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
            ],
        }
    )
    assert (message.id, message.role, message.name) == ("chatcmpl-1-0", "user", "ana")
    assert message.content_parts is not None
    assert [type(part).__name__ for part in message.content_parts] == [
        StoredTextPart.__name__,
        StoredImagePart.__name__,
    ]


def test_deleted_result_parses() -> None:
    deleted = ChatCompletionDeleted.model_validate(
        {"object": "chat.completion.deleted", "id": "chatcmpl-1", "deleted": True}
    )
    assert deleted.deleted is True


def test_stream_chunks_parse_deltas_tool_call_pieces_and_final_usage() -> None:
    first = ChatCompletionChunk.model_validate(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "gpt-4o",
            "choices": [
                {
                    "index": 0,
                    "delta": {
                        "role": "assistant",
                        "tool_calls": [
                            {
                                "index": 0,
                                "id": "c1",
                                "type": "function",
                                "function": {"name": "f", "arguments": ""},
                            }
                        ],
                    },
                    "finish_reason": None,
                }
            ],
            "obfuscation": "r4N7",
        }
    )
    last = ChatCompletionChunk.model_validate(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "gpt-4o",
            "choices": [],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
        }
    )
    delta = first.choices[0].delta
    assert delta.tool_calls is not None
    assert delta.tool_calls[0].function is not None
    assert delta.tool_calls[0].function.name == "f"
    assert first.obfuscation == "r4N7"
    assert first.choices[0].to_dict()["finish_reason"] is None
    assert last.choices == []
    assert last.usage is not None and last.usage.total_tokens == 3
