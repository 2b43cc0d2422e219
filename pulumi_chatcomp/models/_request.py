"""The create request: ``ChatCompletionCreateParams``, every field of the API's
``CreateChatCompletionRequest`` with its limits and the rules between fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from pulumi_chatcomp.models._base import RequestModel, between, invalid, preworded
from pulumi_chatcomp.models._messages import MessageParam
from pulumi_chatcomp.models._metadata import validate_metadata
from pulumi_chatcomp.models._options import (
    AudioOutputParam,
    ModerationParam,
    PredictionParam,
    PromptCacheOptions,
    ResponseFormat,
    StreamOptions,
    WebSearchOptions,
)
from pulumi_chatcomp.models._problems import show
from pulumi_chatcomp.models._tools import FunctionCallOption, LegacyFunction, ToolChoice, ToolParam
from pulumi_chatcomp.models._warnings import warn_deprecated

WARN_DEPRECATED = "warn_deprecated"
"""Validation-context key; ``False`` silences ``ChatCompDeprecationWarning`` (e.g. servers)."""


def _token_ids(value: Any) -> Any:
    # Python callers naturally write {50256: -100}; JSON needs string keys.
    if isinstance(value, Mapping):
        converted: dict[Any, Any] = {}
        for key, bias in value.items():
            if isinstance(key, int) and not isinstance(key, bool):
                key = str(key)
            if not isinstance(key, str) or not key.isdigit():
                raise invalid(f"keys must be token IDs (whole numbers), got {show(key)}")
            converted[key] = bias
        return converted
    return value


Penalty = Annotated[float, between(-2.0, 2.0)]

# Bounds the live API enforces although the spec does not write them down. Each names its
# source; the API's answer to a breach is a 400 such as "Invalid 'max_completion_tokens':
# integer below minimum value. Expected a value >= 1, but got 0 instead."
TokenCap = Annotated[int, Field(ge=1)]
"""A cap on generated tokens: at least 1 (observed API error ``integer_below_min_value``)."""
MAX_MESSAGES = 2048
"""Most messages in one request (observed API error ``array_above_max_length``)."""
MAX_TOOLS = 128
"""Most tools in one request (API reference text for ``tools``: "A max of 128 functions are
supported"; observed API error ``array_above_max_length``)."""


class ChatCompletionCreateParams(RequestModel):
    """The body of ``POST /chat/completions``: every field the API accepts, checked.

    Unknown fields are refused (a typo is reported with a suggestion). Fields the API has
    deprecated still work but emit ``ChatCompDeprecationWarning``. ``store`` left unset
    counts as false, as in the API, so ``metadata`` needs ``store=True``.

    >>> params = ChatCompletionCreateParams(
    ...     model="gpt-4o-mini",
    ...     messages=[{"role": "user", "content": "Write a haiku about infrastructure."}],
    ...     temperature=0.2,
    ... )
    >>> params.to_body()["messages"]
    [{'role': 'user', 'content': 'Write a haiku about infrastructure.'}]
    """

    openapi = "CreateChatCompletionRequest"

    messages: Annotated[list[MessageParam], Field(min_length=1, max_length=MAX_MESSAGES)]
    """The conversation so far; 1 to 2048 messages."""
    model: Annotated[str, Field(min_length=1)]
    """Model ID, e.g. ``gpt-4o`` or ``o3``."""
    audio: AudioOutputParam | None = None
    """Audio output settings; required when ``modalities`` includes ``"audio"``."""
    frequency_penalty: Penalty | None = None
    """-2 to 2; positive values discourage repeating the same tokens."""
    function_call: Literal["none", "auto"] | FunctionCallOption | None = None
    """Deprecated: use ``tool_choice``."""
    functions: Annotated[list[LegacyFunction], Field(min_length=1, max_length=128)] | None = None
    """Deprecated: use ``tools``."""
    logit_bias: (
        Annotated[dict[str, Annotated[int, between(-100, 100)]], BeforeValidator(_token_ids)] | None
    ) = None
    """Token ID -> bias from -100 (ban) to 100 (force)."""
    logprobs: bool | None = None
    """Return the log probability of each output token."""
    max_completion_tokens: TokenCap | None = None
    """Upper bound on generated tokens, reasoning tokens included (at least 1)."""
    max_tokens: TokenCap | None = None
    """Deprecated: use ``max_completion_tokens``."""
    metadata: dict[str, str] | None = None
    """Up to 16 string pairs stored with the completion (needs ``store=True``)."""
    modalities: list[Literal["text", "audio"]] | None = None
    """Output types, e.g. ``["text", "audio"]``."""
    moderation: ModerationParam | None = None
    """Moderate input and output with this moderation model and policy."""
    n: Annotated[int, between(1, 128)] | None = None
    """How many choices to generate (1 to 128)."""
    parallel_tool_calls: bool | None = None
    """Allow several tool calls in one reply (the API's default is true)."""
    prediction: PredictionParam | None = None
    """Predicted Outputs: content the reply is expected to mostly repeat."""
    presence_penalty: Penalty | None = None
    """-2 to 2; positive values encourage new topics."""
    prompt_cache_key: str | None = None
    """Groups similar requests for prompt caching (replaces ``user`` for that purpose)."""
    prompt_cache_options: PromptCacheOptions | None = None
    """Prompt caching settings (gpt-5.6 and later)."""
    prompt_cache_retention: Literal["in_memory", "24h"] | None = None
    """Deprecated: use ``prompt_cache_options.ttl``."""
    reasoning_effort: Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"] | None = (
        None
    )
    """How hard a reasoning model thinks; support varies by model."""
    response_format: ResponseFormat | None = None
    """Text (default), JSON mode or Structured Outputs."""
    safety_identifier: Annotated[str, Field(max_length=64)] | None = None
    """A stable, hashed ID of the end user (at most 64 characters)."""
    seed: Annotated[int, between(-(2**63), 2**63 - 1)] | None = None
    """Deprecated: best-effort deterministic sampling."""
    service_tier: Literal["auto", "default", "flex", "scale", "priority", "fast"] | None = None
    """Processing tier; the response reports the tier actually used."""
    stop: str | Annotated[list[str], Field(min_length=1, max_length=4)] | None = None
    """Up to 4 sequences where generation stops."""
    store: bool | None = None
    """Keep the completion for later retrieval; unset means false, as in the API."""
    stream: bool | None = None
    """Stream the reply as server-sent events."""
    stream_options: StreamOptions | None = None
    """Streaming options; only with ``stream=True``."""
    temperature: Annotated[float, between(0.0, 2.0)] | None = None
    """0 to 2; higher is more random. Change this or ``top_p``, not both."""
    tool_choice: ToolChoice | None = None
    """Which tool the model must, may or may not call."""
    # An empty list is refused too (observed API error ``empty_array``).
    tools: Annotated[list[ToolParam], Field(min_length=1, max_length=MAX_TOOLS)] | None = None
    """Function and custom tools the model may call (1 to 128)."""
    top_logprobs: Annotated[int, between(0, 20)] | None = None
    """0 to 20 most likely tokens per position; requires ``logprobs=True``."""
    top_p: Annotated[float, between(0.0, 1.0)] | None = None
    """0 to 1; nucleus sampling mass."""
    user: str | None = None
    """Deprecated: use ``safety_identifier`` and ``prompt_cache_key``."""
    verbosity: Literal["low", "medium", "high"] | None = None
    """How long the reply should be."""
    web_search_options: WebSearchOptions | None = None
    """Web search settings (search models only)."""

    @field_validator("metadata")
    @classmethod
    def _metadata_limits(cls, metadata: dict[str, str] | None) -> dict[str, str] | None:
        problems = validate_metadata(metadata)
        if problems:
            first = problems[0]
            raise preworded(first.message, at=first.path.removeprefix("metadata"))
        return metadata

    @model_validator(mode="after")
    def _rules_between_fields(self, info: ValidationInfo) -> ChatCompletionCreateParams:
        if self.top_logprobs is not None and self.logprobs is not True:
            raise invalid("requires logprobs to be true", at="top_logprobs")
        if self.metadata is not None and self.store is not True:
            raise invalid(
                "is only allowed when store is true (unset store means false)", at="metadata"
            )
        if self.stream_options is not None and self.stream is not True:
            raise invalid("is only allowed when stream is true", at="stream_options")
        if self.modalities and "audio" in self.modalities and self.audio is None:
            raise invalid("is required when modalities includes 'audio'", at="audio")
        context = info.context if isinstance(info.context, Mapping) else {}
        if context.get(WARN_DEPRECATED, True):
            warn_deprecated(self, stacklevel=3)
        return self

    @classmethod
    def from_body(
        cls, body: Mapping[str, Any], *, warn_deprecated: bool = True
    ) -> ChatCompletionCreateParams:
        """Validate a JSON request body; ``warn_deprecated=False`` suits servers and policies.

        >>> ChatCompletionCreateParams.from_body(
        ...     {"model": "o3", "messages": [{"role": "user", "content": "hi"}]}
        ... ).model
        'o3'
        """
        return cls.model_validate(body, context={WARN_DEPRECATED: warn_deprecated})

    def to_body(self) -> dict[str, Any]:
        """The JSON request body: unset and ``None`` fields left out, API field names.

        >>> ChatCompletionCreateParams(
        ...     model="o3", messages=[{"role": "user", "content": "hi"}], n=2
        ... ).to_body()
        {'messages': [{'role': 'user', 'content': 'hi'}], 'model': 'o3', 'n': 2}
        """
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
