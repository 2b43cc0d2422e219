"""Request messages (a discriminated union on ``role``) and their content parts (on ``type``).

>>> messages = MESSAGES_ADAPTER.validate_python(
...     [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
... )
>>> [type(message).__name__ for message in messages]
['SystemMessageParam', 'UserMessageParam']
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    TypeAdapter,
    model_serializer,
    model_validator,
)

from pulumi_chatcomp.models._base import RequestModel, invalid, tagged_by
from pulumi_chatcomp.models._tools import FunctionCallParam, ToolCallParam


class PromptCacheBreakpoint(RequestModel):
    """Marks the end of a prefix to cache explicitly."""

    openapi = "PromptCacheBreakpointParam"

    mode: Literal["explicit"] = "explicit"


class TextContentPart(RequestModel):
    """A piece of text.

    >>> TextContentPart(text="Hello").type
    'text'
    """

    openapi = "ChatCompletionRequestMessageContentPartText"

    type: Literal["text"] = "text"
    text: str
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None


class ImageURL(RequestModel):
    """Where an image is: an ``https://`` URL or a ``data:image/...;base64,`` URL."""

    openapi = "ChatCompletionRequestMessageContentPartImage.image_url"

    url: str
    detail: Literal["auto", "low", "high"] | None = None
    """How closely the model looks at the image; the API's default is ``auto``."""


class ImageContentPart(RequestModel):
    """An image (user messages only).

    >>> ImageContentPart(image_url=ImageURL(url="https://example.com/a.png")).type
    'image_url'
    """

    openapi = "ChatCompletionRequestMessageContentPartImage"

    type: Literal["image_url"] = "image_url"
    image_url: ImageURL
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None


class InputAudio(RequestModel):
    """Base64-encoded audio."""

    openapi = "ChatCompletionRequestMessageContentPartAudio.input_audio"

    data: str
    format: Literal["wav", "mp3"]


class InputAudioContentPart(RequestModel):
    """Audio input (user messages only)."""

    openapi = "ChatCompletionRequestMessageContentPartAudio"

    type: Literal["input_audio"] = "input_audio"
    input_audio: InputAudio
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None


class FileInput(RequestModel):
    """A file, given inline (``file_data``, base64) or by ``file_id`` of an uploaded file."""

    openapi = "ChatCompletionRequestMessageContentPartFile.file"

    filename: str | None = None
    file_data: str | None = None
    file_id: str | None = None


class FileContentPart(RequestModel):
    """A file such as a PDF (user messages only)."""

    openapi = "ChatCompletionRequestMessageContentPartFile"

    type: Literal["file"] = "file"
    file: FileInput
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None


class RefusalContentPart(RequestModel):
    """A refusal the assistant gave earlier (assistant messages only)."""

    openapi = "ChatCompletionRequestMessageContentPartRefusal"

    type: Literal["refusal"] = "refusal"
    refusal: str


UserContentPart = Annotated[
    TextContentPart | ImageContentPart | InputAudioContentPart | FileContentPart,
    tagged_by("type"),
]
"""A content part a user message may hold: text, image_url, input_audio or file."""

AssistantContentPart = Annotated[TextContentPart | RefusalContentPart, tagged_by("type")]
"""A content part an assistant message may hold: text or refusal."""

ContentPart = Annotated[
    TextContentPart
    | ImageContentPart
    | InputAudioContentPart
    | FileContentPart
    | RefusalContentPart,
    tagged_by("type"),
]
"""Any request content part (which ones a message accepts depends on its role)."""

TextContent = str | Annotated[list[TextContentPart], Field(min_length=1)]


class DeveloperMessageParam(RequestModel):
    """Instructions the model follows whatever the user says (replaces ``system`` for o1+).

    >>> DeveloperMessageParam(content="Answer in French.").role
    'developer'
    """

    openapi = "ChatCompletionRequestDeveloperMessage"

    role: Literal["developer"] = "developer"
    content: TextContent
    name: str | None = None
    """Distinguishes participants that share a role."""


class SystemMessageParam(RequestModel):
    """Instructions for the model (older models; newer ones prefer ``developer``)."""

    openapi = "ChatCompletionRequestSystemMessage"

    role: Literal["system"] = "system"
    content: TextContent
    name: str | None = None


class UserMessageParam(RequestModel):
    """What the end user says: text, or parts with images, audio or files.

    >>> UserMessageParam(content="Write a haiku").role
    'user'
    """

    openapi = "ChatCompletionRequestUserMessage"

    role: Literal["user"] = "user"
    content: str | Annotated[list[UserContentPart], Field(min_length=1)]
    name: str | None = None


class AssistantAudioRef(RequestModel):
    """A previous audio response from the model, by id."""

    openapi = "ChatCompletionRequestAssistantMessage.audio"

    id: str


class AssistantMessageParam(RequestModel):
    """An earlier reply of the model, replayed as conversation history.

    ``content`` is required unless ``tool_calls`` or ``function_call`` is given.
    """

    openapi = "ChatCompletionRequestAssistantMessage"

    role: Literal["assistant"] = "assistant"
    content: str | Annotated[list[AssistantContentPart], Field(min_length=1)] | None = None
    refusal: str | None = None
    name: str | None = None
    audio: AssistantAudioRef | None = None
    tool_calls: list[ToolCallParam] | None = None
    function_call: FunctionCallParam | None = None
    """Deprecated: use ``tool_calls``."""

    @model_validator(mode="after")
    def _needs_content_or_calls(self) -> AssistantMessageParam:
        if self.content is None and self.tool_calls is None and self.function_call is None:
            raise invalid("is required unless tool_calls or function_call is given", at="content")
        return self


class ToolMessageParam(RequestModel):
    """The result of a tool call, answering the call with id ``tool_call_id``."""

    openapi = "ChatCompletionRequestToolMessage"

    role: Literal["tool"] = "tool"
    content: TextContent
    tool_call_id: str


class FunctionMessageParam(RequestModel):
    """Deprecated: the result of a function call (use a ``tool`` message)."""

    openapi = "ChatCompletionRequestFunctionMessage"

    role: Literal["function"] = "function"
    content: str | None
    name: str

    @model_serializer(mode="wrap")
    def _keep_null_content(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # The API requires the key even when it is null; to_body() drops other nulls.
        data: dict[str, Any] = handler(self)
        data.setdefault("content", None)
        return data


MessageParam = Annotated[
    DeveloperMessageParam
    | SystemMessageParam
    | UserMessageParam
    | AssistantMessageParam
    | ToolMessageParam
    | FunctionMessageParam,
    tagged_by("role"),
]
"""One request message; ``role`` decides which fields and content parts it accepts."""

# Built on first use, like the models, to keep ``import pulumi_chatcomp.models`` cheap.
MESSAGES_ADAPTER: TypeAdapter[list[MessageParam]] = TypeAdapter(
    list[MessageParam], config=ConfigDict(defer_build=True)
)
"""Validates a list of messages on its own (e.g. a prompt file) without a whole request."""
