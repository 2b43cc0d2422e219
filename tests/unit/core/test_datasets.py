"""Fine-tuning examples from stored completions: what goes in, what is skipped and why."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_chatcomp._exceptions import InternalServerError
from pulumi_chatcomp.core._datasets import SkippedExample, finetune_example, finetune_examples
from pulumi_chatcomp.models import ChatCompletion, ChatCompletionStoreMessage
from tests.unit.client.helpers import Harness, completion_body, error, ok, page_body

WEATHER: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}
IMAGE: dict[str, Any] = {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}
CALL: dict[str, Any] = {
    "id": "call_1",
    "type": "function",
    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
}


def completion(*, message: dict[str, Any] | None = None, **extra: Any) -> ChatCompletion:
    body = completion_body("chatcmpl-1", "Hello!", **extra)
    if message is not None:
        body["choices"][0]["message"] = {"role": "assistant", "content": None, **message}
    return ChatCompletion.model_validate(body)


def stored(index: int, role: str, content: Any, **fields: Any) -> ChatCompletionStoreMessage:
    # As the messages list serves a message: every field, null where unset.
    body = {"id": f"chatcmpl-1-{index}", "role": role, "content": content, "refusal": None}
    return ChatCompletionStoreMessage.model_validate(
        {"name": None, "content_parts": None, **body, **fields}
    )


def test_an_example_is_the_input_messages_then_the_answer() -> None:
    messages = [stored(0, "developer", "Be brief.", name="house"), stored(1, "user", "Hi")]
    assert finetune_example(completion(), messages) == {
        "messages": [
            {"role": "developer", "content": "Be brief.", "name": "house"},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello!"},
        ]
    }


def test_a_message_sent_as_parts_gets_its_parts_back() -> None:
    parts = [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": None}},
    ]
    message = stored(0, "user", "What is this?", content_parts=parts)
    example = finetune_example(completion(), [message])
    assert isinstance(example, dict)
    assert example["messages"][0] == {
        "role": "user",
        "content": [
            {"type": "text", "text": "What is this?"},
            {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
        ],
    }


def test_tools_come_from_the_echoed_request_and_tool_calls_are_the_answer() -> None:
    answered = completion(message={"tool_calls": [CALL]}, tools=[WEATHER], tool_choice="auto")
    example = finetune_example(answered, [stored(0, "user", "Weather in Paris?")])
    assert example == {
        "messages": [
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "tool_calls": [CALL]},
        ],
        "tools": [WEATHER],
    }


@pytest.mark.parametrize("tools", [None, []], ids=["null", "empty"])
def test_no_tools_key_without_tools(tools: Any) -> None:
    example = finetune_example(completion(tools=tools), [stored(0, "user", "Hi")])
    assert isinstance(example, dict)
    assert "tools" not in example


def test_earlier_turns_keep_their_tool_calls_and_tool_results() -> None:
    history = [
        stored(0, "user", "Weather in Paris?"),
        stored(1, "assistant", None, tool_calls=[CALL]),
        stored(2, "tool", "18 C and sunny", tool_call_id="call_1"),
    ]
    example = finetune_example(completion(tools=[WEATHER]), history)
    assert isinstance(example, dict)
    assert example["messages"][1:3] == [
        {"role": "assistant", "tool_calls": [CALL]},
        {"role": "tool", "content": "18 C and sunny", "tool_call_id": "call_1"},
    ]


def test_only_the_first_choice_is_the_answer() -> None:
    body = completion_body("chatcmpl-1", "first")
    second = {**body["choices"][0], "index": 1, "message": {"role": "assistant", "content": "2nd"}}
    body["choices"].append(second)
    example = finetune_example(ChatCompletion.model_validate(body), [stored(0, "user", "Hi")])
    assert isinstance(example, dict)
    assert example["messages"][-1] == {"role": "assistant", "content": "first"}


def test_annotations_and_audio_of_the_answer_are_left_out() -> None:
    citation = {"type": "url_citation", "url_citation": {
        "start_index": 0, "end_index": 2, "url": "https://example.com", "title": "Example"
    }}  # fmt: skip
    audio = {"id": "audio_1", "expires_at": 1, "data": "AAAA", "transcript": "Hello!"}
    answered = completion(message={"content": "Hello!", "annotations": [citation], "audio": audio})
    example = finetune_example(answered, [stored(0, "user", "Hi")])
    assert isinstance(example, dict)
    assert example["messages"][-1] == {"role": "assistant", "content": "Hello!"}


@pytest.mark.parametrize(
    ("answered", "messages", "field", "words"),
    [
        pytest.param(
            completion(message={"refusal": "I can't help with that."}),
            [stored(0, "user", "Hi")],
            "choices[0].message.refusal",
            "the model refused",
            id="refusal",
        ),
        pytest.param(
            completion(choices=[]), [stored(0, "user", "Hi")], "choices", "no answer", id="none"
        ),
        pytest.param(
            completion(message={"content": None}),
            [stored(0, "user", "Hi")],
            "choices[0].message.content",
            "required unless tool_calls",
            id="empty-answer",
        ),
        pytest.param(
            # The messages list keeps text and image parts only: audio alone leaves nothing.
            completion(),
            [stored(0, "user", None, content_parts=[])],
            "messages[0].content",
            "at least 1 item",
            id="audio-only-input",
        ),
        pytest.param(
            completion(),
            [stored(0, "system", None, content_parts=[IMAGE]), stored(1, "user", "Hi")],
            "messages[0].content[0]",
            "'text'",
            id="image-in-system-message",
        ),
        pytest.param(
            completion(tools=[{"type": "function", "function": {"name": "get weather"}}]),
            [stored(0, "user", "Hi")],
            "tools[0].function.name",
            "",
            id="bad-tool-name",
        ),
        pytest.param(
            # A field the API added to tool calls, which a request's tool call does not have.
            completion(message={"tool_calls": [{**CALL, "status": "done"}]}),
            [stored(0, "user", "Hi")],
            "choices[0].message.tool_calls[0].status",
            "not a known field",
            id="new-tool-call-field",
        ),
    ],
)
def test_a_completion_that_makes_no_valid_example_is_skipped_naming_the_field(
    answered: ChatCompletion, messages: list[ChatCompletionStoreMessage], field: str, words: str
) -> None:
    skipped = finetune_example(answered, messages)
    assert isinstance(skipped, SkippedExample)
    assert skipped.completion_id == "chatcmpl-1"
    assert skipped.problem.path.startswith(field)
    assert str(skipped).startswith(f"chatcmpl-1: {field}")
    assert words in str(skipped)
    assert "\n" not in str(skipped)


# -- reading the messages -------------------------------------------------------------------


@pytest.fixture
def harness() -> Iterator[Harness]:
    harness = Harness()
    yield harness
    for client in harness.clients:
        client.close()


class Store:
    """A list endpoint over `total` completions, and each one's messages endpoint."""

    def __init__(self, total: int, *, gone: frozenset[str] = frozenset()) -> None:
        self.ids = [f"chatcmpl-{n:04d}" for n in range(total)]
        self.gone = gone
        self.requests: list[httpx.Request] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
        path = request.url.path.removeprefix("/v1/chat/completions")
        if path.endswith("/messages"):
            completion_id = path.split("/")[1]
            if completion_id in self.gone:
                return error(404, f"No completion found with id '{completion_id}'.")
            message = {"id": f"{completion_id}-0", "role": "user", "content": completion_id}
            return ok(page_body([message], False))
        params = request.url.params
        start = self.ids.index(params["after"]) + 1 if "after" in params else 0
        page = self.ids[start : start + int(params["limit"])]
        more = start + len(page) < len(self.ids)
        return ok(page_body([completion_body(i, f"answer {i}") for i in page], more))

    def pages_read(self) -> int:
        return sum(1 for r in self.requests if not r.url.path.endswith("/messages"))


@pytest.mark.parametrize("workers", [1, 4])
def test_examples_come_in_order_with_their_own_messages(harness: Harness, workers: int) -> None:
    store = Store(230)
    client = harness.client(store)
    examples = list(finetune_examples(client, client.list(), workers=workers))
    assert len(examples) == 230
    for completion_id, example in zip(store.ids, examples, strict=True):
        assert isinstance(example, dict)
        assert example["messages"] == [
            {"role": "user", "content": completion_id},
            {"role": "assistant", "content": f"answer {completion_id}"},
        ]
    reads = [r for r in store.requests if r.url.path.endswith("/messages")]
    assert len(reads) == 230
    assert all(r.url.params.get("order") == "asc" for r in reads)


@pytest.mark.parametrize("workers", [1, 4])
def test_examples_are_made_as_they_are_asked_for(harness: Harness, workers: int) -> None:
    store = Store(1000)
    client = harness.client(store)
    pulled = 0

    def completions() -> Iterator[ChatCompletion]:
        nonlocal pulled
        for one in client.list():
            pulled += 1
            yield one

    examples = finetune_examples(client, completions(), workers=workers)
    assert store.requests == []
    next(examples)
    # One page of the list, and the messages of at most the few completions read ahead.
    assert store.pages_read() == 1
    assert pulled <= 2 * workers + 1
    examples.close()
    assert pulled <= 2 * workers + 1


def test_a_completion_gone_before_its_messages_are_read_is_skipped(harness: Harness) -> None:
    store = Store(5, gone=frozenset({"chatcmpl-0002"}))
    client = harness.client(store)
    examples = list(finetune_examples(client, client.list(), workers=2))
    skipped = [e for e in examples if isinstance(e, SkippedExample)]
    assert [s.completion_id for s in skipped] == ["chatcmpl-0002"]
    assert skipped[0].problem.path == "messages"
    assert "deleted or expired" in str(skipped[0])
    assert len(examples) == 5


def test_other_failures_end_the_examples(harness: Harness) -> None:
    store = Store(5)

    def failing(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("chatcmpl-0003/messages"):
            return error(500, "down")
        return store(request)

    client = harness.client(failing, max_retries=0)
    made = []
    with pytest.raises(InternalServerError, match="down"):
        for example in finetune_examples(client, client.list(), workers=2):
            made.append(example)
    # The failure surfaces in its place: the examples before it were made.
    assert len(made) == 3
