"""Messages: the role decides the class and which content parts are allowed."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pulumi_chatcomp.models import (
    MESSAGES_ADAPTER,
    AssistantMessageParam,
    CustomToolCallParam,
    DeveloperMessageParam,
    FileContentPart,
    FunctionMessageParam,
    FunctionToolCallParam,
    ImageContentPart,
    InputAudioContentPart,
    RefusalContentPart,
    SystemMessageParam,
    TextContentPart,
    ToolMessageParam,
    UserMessageParam,
    validation_problems,
)
from tests.unit.models.helpers import problems_of, request

TEXT = {"type": "text", "text": "hi"}
IMAGE = {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}
AUDIO = {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "mp3"}}
FILE = {"type": "file", "file": {"file_id": "file-1"}}
REFUSAL = {"type": "refusal", "refusal": "No."}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param({"role": "developer", "content": "x"}, DeveloperMessageParam, id="developer"),
        pytest.param({"role": "system", "content": "x"}, SystemMessageParam, id="system"),
        pytest.param({"role": "user", "content": "x"}, UserMessageParam, id="user"),
        pytest.param({"role": "assistant", "content": "x"}, AssistantMessageParam, id="assistant"),
        pytest.param(
            {"role": "tool", "content": "x", "tool_call_id": "c"}, ToolMessageParam, id="tool"
        ),
        pytest.param(
            {"role": "function", "content": "x", "name": "f"}, FunctionMessageParam, id="function"
        ),
    ],
)
def test_role_selects_the_message_class(message: dict[str, Any], expected: type) -> None:
    (parsed,) = MESSAGES_ADAPTER.validate_python([message])
    assert type(parsed) is expected


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        pytest.param(TEXT, TextContentPart, id="text"),
        pytest.param(IMAGE, ImageContentPart, id="image_url"),
        pytest.param(AUDIO, InputAudioContentPart, id="input_audio"),
        pytest.param(FILE, FileContentPart, id="file"),
    ],
)
def test_type_selects_the_content_part_class(part: dict[str, Any], expected: type) -> None:
    (message,) = MESSAGES_ADAPTER.validate_python([{"role": "user", "content": [part]}])
    assert isinstance(message, UserMessageParam)
    assert isinstance(message.content, list)
    assert type(message.content[0]) is expected


@pytest.mark.parametrize(
    ("role", "part", "allowed"),
    [
        pytest.param("system", IMAGE, "'text'", id="system-image"),
        pytest.param("developer", AUDIO, "'text'", id="developer-audio"),
        pytest.param("tool", FILE, "'text'", id="tool-file"),
        pytest.param(
            "user", REFUSAL, "one of 'text', 'image_url', 'input_audio', 'file'", id="user-refusal"
        ),
        pytest.param("assistant", IMAGE, "one of 'text', 'refusal'", id="assistant-image"),
    ],
)
def test_parts_a_role_does_not_allow_are_refused_naming_the_allowed_types(
    role: str, part: dict[str, Any], allowed: str
) -> None:
    message = {"role": role, "content": [part], "tool_call_id": "c"}
    if role != "tool":
        del message["tool_call_id"]
    (problem,) = problems_of(request(messages=[message]))
    assert problem.path == "messages[0].content[0].type"
    assert problem.message == (
        f"messages[0].content[0].type must be {allowed}, got {part['type']!r}"
    )


def test_assistant_accepts_refusal_parts() -> None:
    (message,) = MESSAGES_ADAPTER.validate_python([{"role": "assistant", "content": [REFUSAL]}])
    assert isinstance(message, AssistantMessageParam)
    assert isinstance(message.content, list)
    assert isinstance(message.content[0], RefusalContentPart)


def test_unknown_role_lists_the_roles() -> None:
    (problem,) = problems_of(request(messages=[{"role": "bot", "content": "hi"}]))
    assert problem.path == "messages[0].role"
    assert problem.message == (
        "messages[0].role must be one of 'developer', 'system', 'user', 'assistant', 'tool',"
        " 'function', got 'bot'"
    )


def test_missing_role_is_required_and_lists_the_roles() -> None:
    (problem,) = problems_of(request(messages=[{"content": "hi"}]))
    assert problem.path == "messages[0].role"
    assert problem.message.startswith("messages[0].role is required: one of 'developer'")


def test_message_that_is_not_an_object_says_so() -> None:
    (problem,) = problems_of(request(messages=["hi"]))
    assert problem.path == "messages[0]"
    assert problem.message.startswith("messages[0] must be an object with role one of")
    assert problem.message.endswith("got 'hi'")


def test_assistant_needs_content_unless_it_called_tools() -> None:
    (problem,) = problems_of(request(messages=[{"role": "assistant"}]))
    assert problem.path == "messages[0].content"
    assert problem.message == (
        "messages[0].content is required unless tool_calls or function_call is given"
    )
    calls = [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
    (message,) = MESSAGES_ADAPTER.validate_python([{"role": "assistant", "tool_calls": calls}])
    assert isinstance(message, AssistantMessageParam)
    assert message.content is None


def test_assistant_tool_calls_are_discriminated_on_type() -> None:
    calls = [
        {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}},
        {"id": "c2", "type": "custom", "custom": {"name": "shell", "input": "ls"}},
    ]
    (message,) = MESSAGES_ADAPTER.validate_python([{"role": "assistant", "tool_calls": calls}])
    assert isinstance(message, AssistantMessageParam)
    assert message.tool_calls is not None
    assert [type(call).__name__ for call in message.tool_calls] == [
        FunctionToolCallParam.__name__,
        CustomToolCallParam.__name__,
    ]


def test_tool_message_needs_the_call_it_answers() -> None:
    (problem,) = problems_of(request(messages=[{"role": "tool", "content": "42"}]))
    assert problem.message == "messages[0].tool_call_id is required"


def test_empty_content_list_is_refused() -> None:
    (problem,) = problems_of(request(messages=[{"role": "user", "content": []}]))
    assert problem.message == "messages[0].content must have at least 1 item, got 0"


def test_content_of_the_wrong_kind_names_both_allowed_kinds() -> None:
    (problem,) = problems_of(request(messages=[{"role": "user", "content": 42}]))
    assert problem.message == "messages[0].content must be a string or a list, got 42"


def test_function_message_keeps_null_content_in_the_body() -> None:
    (message,) = MESSAGES_ADAPTER.validate_python(
        [{"role": "function", "name": "f", "content": None}]
    )
    assert message.model_dump(exclude_none=True) == {
        "role": "function",
        "name": "f",
        "content": None,
    }


def test_adapter_errors_take_a_prefix_for_their_paths() -> None:
    with pytest.raises(ValidationError) as caught:
        MESSAGES_ADAPTER.validate_python([{"role": "user", "content": [{"type": "text"}]}])
    (problem,) = validation_problems(caught.value, prefix="messages")
    assert problem.message == "messages[0].content[0].text is required"
