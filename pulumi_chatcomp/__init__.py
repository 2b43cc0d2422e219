"""Manage OpenAI Chat Completions as Pulumi resources.

A ``ChatCompletion`` resource (a Pulumi dynamic provider), data sources that read stored
completions, policy rules (``pulumi_chatcomp.policy``) and a local OpenAI-compatible server
(``pulumi_chatcomp.server``) so that everything runs offline.

Names are imported on first use, so that ``import pulumi_chatcomp.server`` (or the models)
does not pay for the Pulumi SDK.

>>> import pulumi_chatcomp as chatcomp
>>> chatcomp.TYPE_TOKEN
'pulumi-python:dynamic/chatcomp:ChatCompletion'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_chatcomp import _lazy

if TYPE_CHECKING:
    from pulumi_chatcomp._config import Settings
    from pulumi_chatcomp._exceptions import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ChatCompError,
        ConfigurationError,
        ConflictError,
        ImportMismatchError,
        InternalServerError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        UnprocessableEntityError,
    )
    from pulumi_chatcomp.client._client import ChatCompletionsClient, get_client
    from pulumi_chatcomp.core._names import TYPE_TOKEN
    from pulumi_chatcomp.data_sources import (
        GetChatCompletionMessagesResult,
        GetChatCompletionResult,
        GetChatCompletionsResult,
        InvalidArgumentError,
        StoredChatCompletion,
        StoredChatCompletionMessage,
        get_chat_completion,
        get_chat_completion_messages,
        get_chat_completion_messages_output,
        get_chat_completion_output,
        get_chat_completions,
        get_chat_completions_output,
    )
    from pulumi_chatcomp.provider import ChatCompletionProvider
    from pulumi_chatcomp.resource import ChatCompletion, ChatCompletionArgs

__version__ = "0.1.0"

__all__ = [
    "TYPE_TOKEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ChatCompError",
    "ChatCompletion",
    "ChatCompletionArgs",
    "ChatCompletionProvider",
    "ChatCompletionsClient",
    "ConfigurationError",
    "ConflictError",
    "GetChatCompletionMessagesResult",
    "GetChatCompletionResult",
    "GetChatCompletionsResult",
    "ImportMismatchError",
    "InternalServerError",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "Settings",
    "StoredChatCompletion",
    "StoredChatCompletionMessage",
    "UnprocessableEntityError",
    "__version__",
    "get_chat_completion",
    "get_chat_completion_messages",
    "get_chat_completion_messages_output",
    "get_chat_completion_output",
    "get_chat_completions",
    "get_chat_completions_output",
    "get_client",
]

_EXCEPTIONS = (
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ChatCompError",
    "ConfigurationError",
    "ConflictError",
    "ImportMismatchError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
)
_DATA_SOURCES = (
    "GetChatCompletionMessagesResult",
    "GetChatCompletionResult",
    "GetChatCompletionsResult",
    "InvalidArgumentError",
    "StoredChatCompletion",
    "StoredChatCompletionMessage",
    "get_chat_completion",
    "get_chat_completion_messages",
    "get_chat_completion_messages_output",
    "get_chat_completion_output",
    "get_chat_completions",
    "get_chat_completions_output",
)
_HOMES: dict[str, str] = {
    "TYPE_TOKEN": ".core._names",
    "ChatCompletion": ".resource",
    "ChatCompletionArgs": ".resource",
    "ChatCompletionProvider": ".provider",
    "ChatCompletionsClient": ".client._client",
    "Settings": "._config",
    "get_client": ".client._client",
    **dict.fromkeys(_EXCEPTIONS, "._exceptions"),
    **dict.fromkeys(_DATA_SOURCES, ".data_sources"),
}


__getattr__, __dir__ = _lazy.attach(__name__, _HOMES, __all__)
