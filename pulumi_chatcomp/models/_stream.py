"""Streaming: the chunks of a ``stream=True`` create, one per server-sent event."""

from __future__ import annotations

from pulumi_chatcomp.models._base import ResponseModel
from pulumi_chatcomp.models._response import ChatCompletionModeration, ChoiceLogprobs, Usage


class ChoiceDeltaFunctionCall(ResponseModel):
    """Deprecated: a piece of a function call."""

    name: str | None = None
    arguments: str | None = None


class ChoiceDeltaToolCallFunction(ResponseModel):
    """A piece of a function tool call: the name first, then argument fragments."""

    name: str | None = None
    arguments: str | None = None


class ChoiceDeltaToolCall(ResponseModel):
    """A piece of the tool call at position ``index``."""

    index: int
    id: str | None = None
    type: str | None = None
    function: ChoiceDeltaToolCallFunction | None = None


class ChoiceDelta(ResponseModel):
    """What a chunk adds to the reply."""

    role: str | None = None
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[ChoiceDeltaToolCall] | None = None
    function_call: ChoiceDeltaFunctionCall | None = None
    """Deprecated: replaced by ``tool_calls``."""


class ChunkChoice(ResponseModel):
    """The part of one choice carried by a chunk."""

    _required_nullable = ("finish_reason",)

    index: int
    delta: ChoiceDelta
    finish_reason: str | None = None
    """Null until the last chunk of the choice."""
    logprobs: ChoiceLogprobs | None = None


class ChatCompletionChunk(ResponseModel):
    """One server-sent event of a streamed completion (``id`` is the completion id).

    >>> chunk = ChatCompletionChunk.model_validate({
    ...     "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1,
    ...     "model": "gpt-4o", "choices": [{"index": 0, "delta": {"content": "Hel"},
    ...                                     "finish_reason": None}],
    ... })
    >>> chunk.choices[0].delta.content
    'Hel'
    """

    id: str
    object: str = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    """Empty on the final usage chunk."""
    usage: Usage | None = None
    """Set only on the last chunk, when ``stream_options.include_usage`` is true."""
    service_tier: str | None = None
    system_fingerprint: str | None = None
    obfuscation: str | None = None
    """Random padding against side channels."""
    moderation: ChatCompletionModeration | None = None
