"""Manage OpenAI Chat Completions as Pulumi resources.

A ``ChatCompletion`` resource (a Pulumi dynamic provider), data sources that read stored
completions, policy rules (``pulumi_chatcomp.policy``) and a local OpenAI-compatible server
(``pulumi_chatcomp.server``) so that everything runs offline.

>>> import pulumi_chatcomp as chatcomp
>>> chatcomp.TYPE_TOKEN
'pulumi-python:dynamic/chatcomp:ChatCompletion'
"""

from __future__ import annotations

from ._client import ChatCompletionsClient, get_client
from ._config import Settings
from ._exceptions import (
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
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from .provider import ChatCompletionProvider
from .resource import TYPE_TOKEN, ChatCompletion, ChatCompletionArgs

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
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "Settings",
    "UnprocessableEntityError",
    "__version__",
    "get_client",
]
