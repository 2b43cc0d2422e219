"""The pydantic model layer shared by the client, server, provider and data sources.

Requests refuse unknown fields and check the API's limits; responses keep unknown fields.
``validation_problems`` words a ``ValidationError`` for users.

Names are imported on first use: a Pulumi program that only needs the pure checks
(``deprecated_fields``, ``validate_metadata``, the ``METADATA_*`` limits) never loads
pydantic, and a provider builds only the models it touches.

>>> from pulumi_chatcomp.models import ChatCompletionCreateParams
>>> ChatCompletionCreateParams(
...     model="gpt-4o-mini", messages=[{"role": "user", "content": "Hello"}]
... ).to_body()
{'messages': [{'role': 'user', 'content': 'Hello'}], 'model': 'gpt-4o-mini'}
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._field_problem import (
        FieldProblem,
    )
    from ._messages import (
        MESSAGES_ADAPTER,
        AssistantAudioRef,
        AssistantContentPart,
        AssistantMessageParam,
        ContentPart,
        DeveloperMessageParam,
        FileContentPart,
        FileInput,
        FunctionMessageParam,
        ImageContentPart,
        ImageURL,
        InputAudio,
        InputAudioContentPart,
        MessageParam,
        PromptCacheBreakpoint,
        RefusalContentPart,
        SystemMessageParam,
        TextContentPart,
        ToolMessageParam,
        UserContentPart,
        UserMessageParam,
    )
    from ._metadata import (
        METADATA_KEY_MAX,
        METADATA_MAX_PAIRS,
        METADATA_VALUE_MAX,
        validate_metadata,
    )
    from ._options import (
        ApproximateLocation,
        AudioOutputParam,
        CustomVoice,
        JSONSchemaFormat,
        ModerationConfig,
        ModerationParam,
        ModerationPolicy,
        PredictionParam,
        PromptCacheOptions,
        ResponseFormat,
        ResponseFormatJSONObject,
        ResponseFormatJSONSchema,
        ResponseFormatText,
        StreamOptions,
        WebSearchOptions,
        WebSearchUserLocation,
    )
    from ._pages import (
        ChatCompletionList,
        ChatCompletionMessageList,
        CursorPage,
    )
    from ._problems import (
        validation_problems,
    )
    from ._request import (
        ChatCompletionCreateParams,
    )
    from ._response import (
        Annotation,
        ChatCompletion,
        ChatCompletionDeleted,
        ChatCompletionMessage,
        ChatCompletionModeration,
        ChatCompletionStoreMessage,
        Choice,
        ChoiceLogprobs,
        CompletionTokensDetails,
        CustomCall,
        CustomToolCall,
        FunctionCall,
        FunctionToolCall,
        MessageAudio,
        ModerationError,
        ModerationOutcome,
        ModerationResult,
        ModerationResults,
        PromptTokensDetails,
        StoredContentPart,
        StoredImagePart,
        StoredImageURL,
        StoredTextPart,
        TokenLogprob,
        ToolCall,
        TopLogprob,
        URLCitation,
        Usage,
    )
    from ._stream import (
        ChatCompletionChunk,
        ChoiceDelta,
        ChoiceDeltaFunctionCall,
        ChoiceDeltaToolCall,
        ChoiceDeltaToolCallFunction,
        ChunkChoice,
    )
    from ._tools import (
        AllowedTools,
        AllowedToolsChoice,
        CustomCallParam,
        CustomToolCallParam,
        CustomToolDefinition,
        CustomToolFormat,
        CustomToolGrammarFormat,
        CustomToolParam,
        CustomToolTextFormat,
        FunctionCallOption,
        FunctionCallParam,
        FunctionDefinition,
        FunctionToolCallParam,
        FunctionToolParam,
        Grammar,
        LegacyFunction,
        NamedCustomToolChoice,
        NamedFunctionToolChoice,
        ToolCallParam,
        ToolChoice,
        ToolName,
        ToolParam,
    )
    from ._warnings import (
        DEPRECATED_REQUEST_FIELDS,
        ChatCompDeprecationWarning,
        deprecated_fields,
    )

__all__ = [
    "DEPRECATED_REQUEST_FIELDS",
    "MESSAGES_ADAPTER",
    "METADATA_KEY_MAX",
    "METADATA_MAX_PAIRS",
    "METADATA_VALUE_MAX",
    "AllowedTools",
    "AllowedToolsChoice",
    "Annotation",
    "ApproximateLocation",
    "AssistantAudioRef",
    "AssistantContentPart",
    "AssistantMessageParam",
    "AudioOutputParam",
    "ChatCompDeprecationWarning",
    "ChatCompletion",
    "ChatCompletionChunk",
    "ChatCompletionCreateParams",
    "ChatCompletionDeleted",
    "ChatCompletionList",
    "ChatCompletionMessage",
    "ChatCompletionMessageList",
    "ChatCompletionModeration",
    "ChatCompletionStoreMessage",
    "Choice",
    "ChoiceDelta",
    "ChoiceDeltaFunctionCall",
    "ChoiceDeltaToolCall",
    "ChoiceDeltaToolCallFunction",
    "ChoiceLogprobs",
    "ChunkChoice",
    "CompletionTokensDetails",
    "ContentPart",
    "CursorPage",
    "CustomCall",
    "CustomCallParam",
    "CustomToolCall",
    "CustomToolCallParam",
    "CustomToolDefinition",
    "CustomToolFormat",
    "CustomToolGrammarFormat",
    "CustomToolParam",
    "CustomToolTextFormat",
    "CustomVoice",
    "DeveloperMessageParam",
    "FieldProblem",
    "FileContentPart",
    "FileInput",
    "FunctionCall",
    "FunctionCallOption",
    "FunctionCallParam",
    "FunctionDefinition",
    "FunctionMessageParam",
    "FunctionToolCall",
    "FunctionToolCallParam",
    "FunctionToolParam",
    "Grammar",
    "ImageContentPart",
    "ImageURL",
    "InputAudio",
    "InputAudioContentPart",
    "JSONSchemaFormat",
    "LegacyFunction",
    "MessageAudio",
    "MessageParam",
    "ModerationConfig",
    "ModerationError",
    "ModerationOutcome",
    "ModerationParam",
    "ModerationPolicy",
    "ModerationResult",
    "ModerationResults",
    "NamedCustomToolChoice",
    "NamedFunctionToolChoice",
    "PredictionParam",
    "PromptCacheBreakpoint",
    "PromptCacheOptions",
    "PromptTokensDetails",
    "RefusalContentPart",
    "ResponseFormat",
    "ResponseFormatJSONObject",
    "ResponseFormatJSONSchema",
    "ResponseFormatText",
    "StoredContentPart",
    "StoredImagePart",
    "StoredImageURL",
    "StoredTextPart",
    "StreamOptions",
    "SystemMessageParam",
    "TextContentPart",
    "TokenLogprob",
    "ToolCall",
    "ToolCallParam",
    "ToolChoice",
    "ToolMessageParam",
    "ToolName",
    "ToolParam",
    "TopLogprob",
    "URLCitation",
    "Usage",
    "UserContentPart",
    "UserMessageParam",
    "WebSearchOptions",
    "WebSearchUserLocation",
    "deprecated_fields",
    "validate_metadata",
    "validation_problems",
]

_FIELD_PROBLEM = ("FieldProblem",)
_MESSAGES = (
    "MESSAGES_ADAPTER",
    "AssistantAudioRef",
    "AssistantContentPart",
    "AssistantMessageParam",
    "ContentPart",
    "DeveloperMessageParam",
    "FileContentPart",
    "FileInput",
    "FunctionMessageParam",
    "ImageContentPart",
    "ImageURL",
    "InputAudio",
    "InputAudioContentPart",
    "MessageParam",
    "PromptCacheBreakpoint",
    "RefusalContentPart",
    "SystemMessageParam",
    "TextContentPart",
    "ToolMessageParam",
    "UserContentPart",
    "UserMessageParam",
)
_METADATA = (
    "METADATA_KEY_MAX",
    "METADATA_MAX_PAIRS",
    "METADATA_VALUE_MAX",
    "validate_metadata",
)
_OPTIONS = (
    "ApproximateLocation",
    "AudioOutputParam",
    "CustomVoice",
    "JSONSchemaFormat",
    "ModerationConfig",
    "ModerationParam",
    "ModerationPolicy",
    "PredictionParam",
    "PromptCacheOptions",
    "ResponseFormat",
    "ResponseFormatJSONObject",
    "ResponseFormatJSONSchema",
    "ResponseFormatText",
    "StreamOptions",
    "WebSearchOptions",
    "WebSearchUserLocation",
)
_PAGES = (
    "ChatCompletionList",
    "ChatCompletionMessageList",
    "CursorPage",
)
_PROBLEMS = ("validation_problems",)
_REQUEST = ("ChatCompletionCreateParams",)
_RESPONSE = (
    "Annotation",
    "ChatCompletion",
    "ChatCompletionDeleted",
    "ChatCompletionMessage",
    "ChatCompletionModeration",
    "ChatCompletionStoreMessage",
    "Choice",
    "ChoiceLogprobs",
    "CompletionTokensDetails",
    "CustomCall",
    "CustomToolCall",
    "FunctionCall",
    "FunctionToolCall",
    "MessageAudio",
    "ModerationError",
    "ModerationOutcome",
    "ModerationResult",
    "ModerationResults",
    "PromptTokensDetails",
    "StoredContentPart",
    "StoredImagePart",
    "StoredImageURL",
    "StoredTextPart",
    "TokenLogprob",
    "ToolCall",
    "TopLogprob",
    "URLCitation",
    "Usage",
)
_STREAM = (
    "ChatCompletionChunk",
    "ChoiceDelta",
    "ChoiceDeltaFunctionCall",
    "ChoiceDeltaToolCall",
    "ChoiceDeltaToolCallFunction",
    "ChunkChoice",
)
_TOOLS = (
    "AllowedTools",
    "AllowedToolsChoice",
    "CustomCallParam",
    "CustomToolCallParam",
    "CustomToolDefinition",
    "CustomToolFormat",
    "CustomToolGrammarFormat",
    "CustomToolParam",
    "CustomToolTextFormat",
    "FunctionCallOption",
    "FunctionCallParam",
    "FunctionDefinition",
    "FunctionToolCallParam",
    "FunctionToolParam",
    "Grammar",
    "LegacyFunction",
    "NamedCustomToolChoice",
    "NamedFunctionToolChoice",
    "ToolCallParam",
    "ToolChoice",
    "ToolName",
    "ToolParam",
)
_WARNINGS = (
    "DEPRECATED_REQUEST_FIELDS",
    "ChatCompDeprecationWarning",
    "deprecated_fields",
)
_HOMES: dict[str, str] = {
    **dict.fromkeys(_FIELD_PROBLEM, "._field_problem"),
    **dict.fromkeys(_MESSAGES, "._messages"),
    **dict.fromkeys(_METADATA, "._metadata"),
    **dict.fromkeys(_OPTIONS, "._options"),
    **dict.fromkeys(_PAGES, "._pages"),
    **dict.fromkeys(_PROBLEMS, "._problems"),
    **dict.fromkeys(_REQUEST, "._request"),
    **dict.fromkeys(_RESPONSE, "._response"),
    **dict.fromkeys(_STREAM, "._stream"),
    **dict.fromkeys(_TOOLS, "._tools"),
    **dict.fromkeys(_WARNINGS, "._warnings"),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
