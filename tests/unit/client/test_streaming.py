"""Assembling streamed chunks into one completion (pulumi_chatcomp.client._stream)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_chatcomp._exceptions import (
    APIResponseValidationError,
    InternalServerError,
    RateLimitError,
)
from pulumi_chatcomp.client._stream import StreamAssembler, read_stream
from tests.unit.client.helpers import sse

ENDPOINT = "POST /chat/completions"
REQUEST = httpx.Request("POST", "https://api.test/v1/chat/completions")


def chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-s",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": "gpt-4o-mini",
        "choices": choices,
        **extra,
    }


def delta(
    index: int = 0, finish_reason: str | None = None, logprobs: Any = None, **fields: Any
) -> dict[str, Any]:
    return {"index": index, "delta": fields, "finish_reason": finish_reason, "logprobs": logprobs}


def read(response: httpx.Response) -> Any:
    response.request = REQUEST
    return read_stream(response, endpoint=ENDPOINT)


def test_text_is_concatenated_and_usage_taken_from_the_last_chunk() -> None:
    usage = {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}
    completion = read(
        sse(
            chunk([delta(role="assistant", content="")]),
            chunk([delta(content="Hel")], obfuscation="xyz"),
            chunk([delta(content="lo")]),
            chunk([delta(finish_reason="stop")], system_fingerprint="fp_1", service_tier="default"),
            chunk([], usage=usage),
        )
    )
    assert completion.id == "chatcmpl-s" and completion.object == "chat.completion"
    choice = completion.choices[0]
    assert (choice.message.role, choice.message.content, choice.finish_reason) == (
        "assistant",
        "Hello",
        "stop",
    )
    assert completion.usage is not None and completion.usage.total_tokens == 7
    assert (completion.system_fingerprint, completion.service_tier) == ("fp_1", "default")


def test_several_choices_are_kept_apart() -> None:
    completion = read(
        sse(
            chunk([delta(0, content="A"), delta(1, content="B")]),
            chunk(
                [
                    delta(1, content="b", finish_reason="length"),
                    delta(0, content="a", finish_reason="stop"),
                ]
            ),
        )
    )
    assert [(c.index, c.message.content, c.finish_reason) for c in completion.choices] == [
        (0, "Aa", "stop"),
        (1, "Bb", "length"),
    ]


def test_tool_call_deltas_are_merged_by_index() -> None:
    completion = read(
        sse(
            chunk(
                [
                    delta(
                        role="assistant",
                        content=None,
                        tool_calls=[
                            {
                                "index": 0,
                                "id": "call_a",
                                "type": "function",
                                "function": {"name": "get_weather", "arguments": ""},
                            },
                        ],
                    )
                ]
            ),
            chunk([delta(tool_calls=[{"index": 0, "function": {"arguments": '{"city":'}}])]),
            chunk(
                [
                    delta(
                        tool_calls=[
                            {
                                "index": 1,
                                "id": "call_b",
                                "type": "function",
                                "function": {"name": "get_time", "arguments": "{}"},
                            },
                        ]
                    )
                ]
            ),
            chunk([delta(tool_calls=[{"index": 0, "function": {"arguments": ' "Paris"}'}}])]),
            chunk([delta(finish_reason="tool_calls")]),
        )
    )
    message = completion.choices[0].message
    assert message.content is None
    calls = message.tool_calls or []
    assert [(call.id, call.function.name, call.function.arguments) for call in calls] == [
        ("call_a", "get_weather", '{"city": "Paris"}'),
        ("call_b", "get_time", "{}"),
    ]
    assert completion.choices[0].finish_reason == "tool_calls"


def test_logprobs_and_refusals_are_appended() -> None:
    def lp(token: str) -> dict[str, Any]:
        return {
            "content": [{"token": token, "logprob": -0.1, "bytes": None, "top_logprobs": []}],
            "refusal": None,
        }

    completion = read(
        sse(
            chunk([delta(refusal="I can", logprobs=lp("I"))]),
            chunk([delta(refusal="not.", logprobs=lp("not"), finish_reason="stop")]),
        )
    )
    choice = completion.choices[0]
    assert choice.message.refusal == "I cannot."
    assert choice.logprobs is not None
    assert [entry.token for entry in choice.logprobs.content or []] == ["I", "not"]


def test_no_logprobs_stays_none() -> None:
    completion = read(sse(chunk([delta(content="x", finish_reason="stop")])))
    assert completion.choices[0].logprobs is None


@pytest.mark.parametrize(
    ("event", "cls"),
    [
        pytest.param(
            'event: error\ndata: {"error": {"type": "server_error", "message": "overloaded"}}\n\n',
            InternalServerError,
            id="named-error-event",
        ),
        pytest.param(
            'data: {"error": {"type": "rate_limit_error", "message": "slow down"}}\n\n',
            RateLimitError,
            id="error-payload",
        ),
    ],
)
def test_error_events_raise_status_errors(event: str, cls: type[Exception]) -> None:
    with pytest.raises(cls) as caught:
        read(sse(chunk([delta(content="partial")]), event))
    assert "POST /chat/completions" in str(caught.value)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        pytest.param(
            sse(chunk([delta(content="cut")]), done=False), "before data: [DONE]", id="no-done"
        ),
        pytest.param(sse(), "without any chunk", id="only-done"),
        pytest.param(sse("data: {not json\n\n"), "not valid JSON", id="bad-json"),
        pytest.param(sse({"id": 5, "choices": "x"}), "ChatCompletionChunk", id="bad-chunk"),
        pytest.param(
            httpx.Response(200, text="<html>", headers={"content-type": "text/html"}),
            "text/html",
            id="not-sse",
        ),
    ],
)
def test_malformed_streams(response: httpx.Response, expected: str) -> None:
    with pytest.raises(APIResponseValidationError) as caught:
        read(response)
    assert expected in str(caught.value)
    assert ENDPOINT in str(caught.value)


def test_comments_keep_alives_and_unknown_events_are_skipped() -> None:
    completion = read(
        sse(
            ": keep-alive\n\n",
            "event: ping\ndata: {}\n\n",
            chunk([delta(content="ok", finish_reason="stop")]),
        )
    )
    assert completion.choices[0].message.content == "ok"


def test_events_after_done_are_ignored() -> None:
    response = sse(chunk([delta(content="a", finish_reason="stop")]))
    response = httpx.Response(
        200,
        content=response.content + b"data: {broken\n\n",
        headers={"content-type": "text/event-stream"},
    )
    assert read(response).choices[0].message.content == "a"


def test_assembler_counts_chunks_and_keeps_first_identity() -> None:
    assembler = StreamAssembler()
    assembler.add(chunk([delta(content="x")]))
    assembler.add({**chunk([delta(content="y")]), "id": "other", "model": "other"})
    result = assembler.result()
    assert assembler.chunks == 2
    assert (result["id"], result["model"]) == ("chatcmpl-s", "gpt-4o-mini")
