"""The object-valued request options: output format, audio, streaming, prediction, search,
moderation and prompt caching."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from pulumi_chatcomp.models._base import RequestModel, tagged_by
from pulumi_chatcomp.models._messages import TextContentPart
from pulumi_chatcomp.models._tools import FunctionName


class ResponseFormatText(RequestModel):
    """Plain text output (the default)."""

    openapi = "ResponseFormatText"

    type: Literal["text"] = "text"


class ResponseFormatJSONObject(RequestModel):
    """JSON mode: the reply is valid JSON (prefer ``json_schema`` where supported)."""

    openapi = "ResponseFormatJsonObject"

    type: Literal["json_object"] = "json_object"


class JSONSchemaFormat(RequestModel):
    """A named JSON Schema the reply must follow (Structured Outputs).

    >>> JSONSchemaFormat(name="answer", schema={"type": "object"}).schema_
    {'type': 'object'}
    """

    openapi = "ResponseFormatJsonSchema.json_schema"

    name: FunctionName
    description: str | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    """The JSON Schema object (sent as ``schema``)."""
    strict: bool | None = None
    """Follow the schema exactly; the API's default is false."""


class ResponseFormatJSONSchema(RequestModel):
    """Structured Outputs: ``{"type": "json_schema", "json_schema": {...}}``."""

    openapi = "ResponseFormatJsonSchema"

    type: Literal["json_schema"] = "json_schema"
    json_schema: JSONSchemaFormat


ResponseFormat = Annotated[
    ResponseFormatText | ResponseFormatJSONSchema | ResponseFormatJSONObject, tagged_by("type")
]
"""``response_format``: text, json_object or json_schema."""


class CustomVoice(RequestModel):
    """A custom voice, by id."""

    openapi = "VoiceIdsOrCustomVoice(1)"

    id: str


class AudioOutputParam(RequestModel):
    """Audio output settings; required when ``modalities`` includes ``"audio"``.

    >>> AudioOutputParam(voice="alloy", format="mp3").voice
    'alloy'
    """

    openapi = "CreateChatCompletionRequest.audio"

    voice: str | CustomVoice
    """A built-in voice (alloy, ash, ballad, coral, echo, sage, shimmer, verse, marin,
    cedar, ...) or a custom voice ``{"id": ...}``."""
    format: Literal["wav", "aac", "mp3", "flac", "opus", "pcm16"]


class StreamOptions(RequestModel):
    """Streaming options; only valid with ``stream=True``."""

    openapi = "ChatCompletionStreamOptions"

    include_usage: bool | None = None
    """Send a last chunk with the token usage of the whole request."""
    include_obfuscation: bool | None = None
    """Pad chunks with random ``obfuscation`` text (the API's default); false saves bytes."""


class PredictionParam(RequestModel):
    """Predicted Outputs: text the reply is expected to mostly repeat."""

    openapi = "PredictionContent"

    type: Literal["content"] = "content"
    content: str | Annotated[list[TextContentPart], Field(min_length=1)]


class ApproximateLocation(RequestModel):
    """A rough user location for web search."""

    openapi = "WebSearchLocation"

    country: str | None = None
    """Two-letter ISO country code, e.g. ``GB``."""
    region: str | None = None
    city: str | None = None
    timezone: str | None = None
    """IANA time zone, e.g. ``Europe/London``."""


class WebSearchUserLocation(RequestModel):
    """Where the user roughly is, to localise search results."""

    openapi = "CreateChatCompletionRequest.web_search_options.user_location"

    type: Literal["approximate"] = "approximate"
    approximate: ApproximateLocation


class WebSearchOptions(RequestModel):
    """Web search settings (search models only)."""

    openapi = "CreateChatCompletionRequest.web_search_options"

    user_location: WebSearchUserLocation | None = None
    search_context_size: Literal["low", "medium", "high"] | None = None


class ModerationConfig(RequestModel):
    """What moderation does with one side of the conversation."""

    openapi = "ModerationConfigParam"

    mode: Literal["score", "block"]
    """How moderation treats this side of the conversation: ``score`` or ``block``."""


class ModerationPolicy(RequestModel):
    """Moderation settings for input and output."""

    openapi = "ModerationPolicyParam"

    input: ModerationConfig | None = None
    output: ModerationConfig | None = None


class ModerationParam(RequestModel):
    """Moderated completions: the moderation model and policy to apply."""

    openapi = "ModerationParam"

    model: str
    policy: ModerationPolicy | None = None


class PromptCacheOptions(RequestModel):
    """Prompt caching settings (gpt-5.6 and later)."""

    openapi = "PromptCacheOptionsParam"

    ttl: Literal["30m"] | None = None
    mode: Literal["implicit", "explicit"] | None = None
