"""What the API returns for a completion: the completion object, its choices and messages,
token usage, and the stored-message and delete results.

Enumerations the API may extend (``finish_reason``, ``service_tier``, roles) are plain
strings here so a new value never breaks parsing; the documented values are listed on
each field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from pulumi_chatcomp.models._base import ResponseModel, tag, tagged_by
from pulumi_chatcomp.models._tool_calls import (
    CustomCallFields,
    CustomToolCallFields,
    FunctionCallFields,
    FunctionToolCallFields,
)

# Empty defaults come from lambdas, not `list` or `dict`: pydantic reads a default factory's
# signature, and for a builtin type that means parsing its text signature with tokenize,
# whose regexes then compile (a few ms of the first response parsed in a process).


class FunctionCall(FunctionCallFields, ResponseModel):
    """A function the model called, with JSON-encoded ``arguments`` (validate before use)."""


class FunctionToolCall(FunctionToolCallFields, ResponseModel):
    """A call to a function tool."""

    function: FunctionCall


class CustomCall(CustomCallFields, ResponseModel):
    """A custom tool the model called, with the input it generated."""


class CustomToolCall(CustomToolCallFields, ResponseModel):
    """A call to a custom tool."""

    custom: CustomCall


def _tool_call_kind(value: dict[str, Any]) -> str | None:
    # The spec does not require "type" on tool calls; the payload key tells.
    for kind in ("function", "custom"):
        if kind in value:
            return tag("type", kind)
    return None


ToolCall = Annotated[FunctionToolCall | CustomToolCall, tagged_by("type", infer=_tool_call_kind)]
"""A tool call in a reply: ``FunctionToolCall`` or ``CustomToolCall``."""


class URLCitation(ResponseModel):
    """A web source cited in the reply, as a character range of ``content``."""

    openapi = "ChatCompletionResponseMessage.annotations[].url_citation"

    start_index: int
    end_index: int
    url: str
    title: str


class Annotation(ResponseModel):
    """An annotation on the reply; today always a ``url_citation``."""

    openapi = "ChatCompletionResponseMessage.annotations[]"

    type: str = "url_citation"
    url_citation: URLCitation | None = None


class MessageAudio(ResponseModel):
    """Audio the model produced (when audio output was requested)."""

    openapi = "ChatCompletionResponseMessage.audio"

    id: str
    expires_at: int
    """Unix time after which ``id`` can no longer be referenced in a conversation."""
    data: str
    """Base64-encoded audio in the requested format."""
    transcript: str


class ChatCompletionMessage(ResponseModel):
    """The reply of the model.

    >>> ChatCompletionMessage(content="Hello!").role
    'assistant'
    """

    openapi = "ChatCompletionResponseMessage"

    _required_nullable = ("content", "refusal")

    role: str = "assistant"
    content: str | None = None
    refusal: str | None = None
    """Why the model refused, if it did."""
    tool_calls: list[ToolCall] | None = None
    annotations: list[Annotation] | None = None
    audio: MessageAudio | None = None
    function_call: FunctionCall | None = None
    """Deprecated: replaced by ``tool_calls``."""


class TopLogprob(ResponseModel):
    """One of the most likely tokens at a position."""

    openapi = "ChatCompletionTokenLogprob.top_logprobs[]"

    _required_nullable = ("bytes",)

    token: str
    logprob: float
    """Log probability; ``-9999.0`` means "very unlikely"."""
    bytes: list[int] | None = None
    """UTF-8 bytes of the token, or null when it has none."""


class TokenLogprob(TopLogprob):
    """An output token with its log probability and the most likely alternatives."""

    openapi = "ChatCompletionTokenLogprob"

    top_logprobs: list[TopLogprob] = Field(default_factory=lambda: [])


class ChoiceLogprobs(ResponseModel):
    """Log probabilities of the content and refusal tokens."""

    openapi = "CreateChatCompletionResponse.choices[].logprobs"

    _required_nullable = ("content", "refusal")

    content: list[TokenLogprob] | None = None
    refusal: list[TokenLogprob] | None = None


class Choice(ResponseModel):
    """One generated reply (there are ``n`` of them).

    >>> Choice(index=0, message={"content": "Hi"}, finish_reason="stop").message.content
    'Hi'
    """

    openapi = "CreateChatCompletionResponse.choices[]"

    _required_nullable = ("logprobs",)

    index: int
    message: ChatCompletionMessage
    finish_reason: str | None = None
    """Why generation stopped: ``stop``, ``length``, ``tool_calls``, ``content_filter`` or
    (deprecated) ``function_call``."""
    logprobs: ChoiceLogprobs | None = None


class CompletionTokensDetails(ResponseModel):
    """Breakdown of the generated tokens."""

    openapi = "CompletionUsage.completion_tokens_details"

    accepted_prediction_tokens: int | None = None
    audio_tokens: int | None = None
    reasoning_tokens: int | None = None
    text_tokens: int | None = None
    rejected_prediction_tokens: int | None = None


class PromptTokensDetails(ResponseModel):
    """Breakdown of the prompt tokens."""

    openapi = "CompletionUsage.prompt_tokens_details"

    audio_tokens: int | None = None
    cached_tokens: int | None = None
    text_tokens: int | None = None
    image_tokens: int | None = None
    cache_write_tokens: int | None = None


class Usage(ResponseModel):
    """Tokens used by the request.

    >>> Usage(prompt_tokens=3, completion_tokens=4, total_tokens=7).total_tokens
    7
    """

    openapi = "CompletionUsage"

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    completion_tokens_details: CompletionTokensDetails | None = None
    prompt_tokens_details: PromptTokensDetails | None = None


class ModerationResult(ResponseModel):
    """The verdict of one moderation model on one item."""

    openapi = "ChatCompletionModerationResults.results[]"

    type: str = "moderation_result"
    model: str
    flagged: bool
    categories: dict[str, bool] = Field(default_factory=lambda: {})
    category_scores: dict[str, float] = Field(default_factory=lambda: {})
    category_applied_input_types: dict[str, list[str]] = Field(default_factory=lambda: {})


class ModerationResults(ResponseModel):
    """Moderation results for one side of the conversation."""

    openapi = "ChatCompletionModerationResults"

    type: Literal["moderation_results"] = "moderation_results"
    model: str
    results: list[ModerationResult]


class ModerationError(ResponseModel):
    """Moderation could not run for one side of the conversation."""

    openapi = "ChatCompletionModerationError"

    type: Literal["error"] = "error"
    code: str
    message: str


ModerationOutcome = Annotated[ModerationResults | ModerationError, tagged_by("type")]


class ChatCompletionModeration(ResponseModel):
    """Moderation of the input and of the output (moderated completions)."""

    openapi = "ChatCompletionModeration"

    input: ModerationOutcome
    output: ModerationOutcome


class ChatCompletion(ResponseModel):
    """A chat completion, as returned by create, retrieve and update.

    Stored completions also carry fields the schema does not declare (``request_id``,
    ``seed``, ``temperature``, ...); they are kept in ``model_extra``.

    >>> completion = ChatCompletion.model_validate({
    ...     "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
    ...     "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"},
    ...                  "finish_reason": "stop", "logprobs": None}],
    ...     "request_id": "req_1",
    ... })
    >>> completion.choices[0].message.content, completion.model_extra["request_id"]
    ('Hi', 'req_1')
    """

    openapi = "CreateChatCompletionResponse"

    id: str
    object: str = "chat.completion"
    created: int
    """Unix time (seconds) when the completion was created."""
    model: str
    """The model that answered, e.g. ``gpt-4o-2024-08-06``."""
    choices: list[Choice]
    usage: Usage | None = None
    service_tier: str | None = None
    """The tier that processed the request (``default``, ``flex``, ``priority``, ...)."""
    system_fingerprint: str | None = None
    """Deprecated: backend configuration identifier."""
    metadata: dict[str, str] | None = None
    """Metadata stored with the completion (create responses may omit it)."""
    moderation: ChatCompletionModeration | None = None


class ChatCompletionDeleted(ResponseModel):
    """The result of deleting a stored completion.

    >>> ChatCompletionDeleted(id="chatcmpl-1", deleted=True).object
    'chat.completion.deleted'
    """

    openapi = "ChatCompletionDeleted"

    object: str = "chat.completion.deleted"
    id: str
    deleted: bool


class StoredTextPart(ResponseModel):
    """A text part of a stored input message."""

    openapi = "ChatCompletionRequestMessageContentPartText"

    type: Literal["text"] = "text"
    text: str


class StoredImageURL(ResponseModel):
    """The image of a stored image part."""

    openapi = "ChatCompletionRequestMessageContentPartImage.image_url"

    url: str
    detail: str | None = None


class StoredImagePart(ResponseModel):
    """An image part of a stored input message."""

    openapi = "ChatCompletionRequestMessageContentPartImage"

    type: Literal["image_url"] = "image_url"
    image_url: StoredImageURL


StoredContentPart = Annotated[StoredTextPart | StoredImagePart, tagged_by("type")]


class ChatCompletionStoreMessage(ChatCompletionMessage):
    """A message of a stored completion, from ``GET /chat/completions/{id}/messages``.

    These are the *input* messages, so ``role`` is often ``user``, ``system`` or
    ``developer`` (the spec says ``assistant`` but its own example disagrees). Ids look
    like ``<completion_id>-<index>``.

    >>> ChatCompletionStoreMessage(id="chatcmpl-1-0", role="user", content="hi").role
    'user'
    """

    openapi = "ChatCompletionMessageList.data[]"

    id: str
    name: str | None = None
    """The participant's name the message was sent with, if any."""
    content_parts: list[StoredContentPart] | None = None
    """The parts, when the message was sent as parts; otherwise null."""
